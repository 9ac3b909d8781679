"""Candidate generation and exact verification measures for dedupe, vectorised with numpy.

Blocking is linear: every item gets a few keys (normalised title, the k smallest body shingle
hashes); only items sharing a key are compared, and a key shared by more than `max_block_size`
items (boilerplate) yields no pairs but is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from bulletin_tools.dedupe_sketch import ShingleStore

__all__ = ["Blocks", "block_pairs", "intersection_sizes", "unique_pairs"]


@dataclass
class Blocks:
    """Candidate pairs (a < b, input indices) and the oversized blocks left out."""

    a: np.ndarray
    b: np.ndarray
    oversized: list[tuple[int, np.ndarray]]  # (key, member indices in input order)


def block_pairs(keys: np.ndarray, items: np.ndarray, max_block_size: int) -> Blocks:
    """All pairs of items that share a key, except in blocks larger than `max_block_size`."""
    order = np.lexsort((items, keys))
    keys, items = keys[order], items[order]
    if len(keys) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Blocks(empty, empty, [])
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    sizes = np.diff(np.concatenate((starts, [len(keys)])))
    pairs_a: list[np.ndarray] = [items[starts[sizes == 2]]]
    pairs_b: list[np.ndarray] = [items[starts[sizes == 2] + 1]]
    oversized = []
    for start, size in zip(starts[sizes > 2].tolist(), sizes[sizes > 2].tolist(), strict=False):
        members = items[start : start + size]
        if size > max_block_size:
            oversized.append((int(keys[start]), np.unique(members)))
            continue
        left, right = _triangle(size)
        pairs_a.append(members[left])
        pairs_b.append(members[right])
    a, b = np.concatenate(pairs_a), np.concatenate(pairs_b)
    return Blocks(np.minimum(a, b), np.maximum(a, b), oversized)


@lru_cache(maxsize=256)
def _triangle(size: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(size, 1)


def unique_pairs(parts: list[Blocks], n_items: int) -> tuple[np.ndarray, np.ndarray]:
    """Union of the candidate pairs of several key kinds, sorted, without self-pairs."""
    codes = np.concatenate([p.a * n_items + p.b for p in parts] or [np.zeros(0, np.int64)])
    codes = np.unique(codes)
    a, b = codes // n_items, codes % n_items
    keep = a != b
    return a[keep], b[keep]


def _gather(store: ShingleStore, index: np.ndarray, label: np.ndarray) -> np.ndarray:
    """Concatenated shingle sets of `index`, each value tagged with its pair label."""
    sizes = store.sizes[index]
    starts = store.offsets[index]
    total = int(sizes.sum())
    shift = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)
    values = store.values[shift + np.arange(total, dtype=np.int64)].astype(np.uint64)
    return (np.repeat(label.astype(np.uint64), sizes) << np.uint64(32)) | values


def intersection_sizes(
    store: ShingleStore, a: np.ndarray, b: np.ndarray, chunk: int = 20000
) -> np.ndarray:
    """|S(a) ∩ S(b)| for every pair, exactly (sets are sorted and unique)."""
    out = np.zeros(len(a), dtype=np.int64)
    for lo in range(0, len(a), chunk):
        hi = min(lo + chunk, len(a))
        label = np.arange(hi - lo, dtype=np.int64)
        both = np.concatenate((_gather(store, a[lo:hi], label), _gather(store, b[lo:hi], label)))
        both.sort()
        same = both[1:][both[1:] == both[:-1]]
        out[lo:hi] = np.bincount((same >> np.uint64(32)).astype(np.int64), minlength=hi - lo)
    return out
