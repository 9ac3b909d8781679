"""Dedupe's thresholds, apart from the engine so the command line can show its defaults
without importing numpy (which costs every command half a second at start-up)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DedupeOptions:
    """Thresholds and sizes for dedupe; every default is a tested starting point.

    Two bodies are the same story when (rules tried in this order):
    `same_body` Jaccard is 1 and the smaller body has >= `min_shingles` shingles;
    `near_same_body` Jaccard >= `min_jaccard` (>= `min_shingles` shingles), whatever the titles;
    `similar_body_same_title` titles similar (>= `min_title_similarity`) and Jaccard >=
    `title_jaccard`; `contained_same_title` titles similar and containment >= `min_containment`;
    `similar_text_same_title` titles similar and the bodies' characters align (rapidfuzz ratio,
    or partial_ratio of the shorter in the longer) >= `min_text_similarity`: catches typos in
    short bodies, where each typo breaks `shingle_size` shingles.
    """

    shingle_size: int = 3  # words per shingle
    sketch_size: int = 8  # blocking keys per item: its rarest shared shingle hashes...
    sketch_pool: int = 32  # ...among its this many smallest shingle hashes...
    max_key_items: int = 10  # ...shared by at most this many items (else a stock phrase)
    max_block_size: int = 100  # larger blocks are boilerplate: skipped and reported
    min_jaccard: float = 0.8
    title_jaccard: float = 0.5
    min_containment: float = 0.8
    min_title_similarity: float = 0.8
    min_shingles: int = 8
    min_text_similarity: float = 0.9
    min_text_containment: float = 0.25  # shared shingles needed before comparing characters
    # A candidate pair whose titles are not alike can only be `same_body`/`near_same_body`
    # (Jaccard >= min_jaccard); it is verified exactly only when a 32-range one-permutation
    # MinHash estimate of its Jaccard reaches this (capped at min_jaccard / 2; 0 verifies every
    # pair). A pair at Jaccard 0.8 estimates below 0.3 with probability < 1e-9.
    prefilter_jaccard: float = 0.3
    batch_size: int = 512  # items hashed per numpy batch (memory/speed trade-off only)
