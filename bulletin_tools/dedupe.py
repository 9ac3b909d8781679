"""Dedupe: cluster repeated items across bulletin issues, exactly and explainably.

Pipeline (linear in the number of items, bounded memory, numpy except where noted):

1. Normalise a copy of title and body (`textnorm`: NFKD, case, accents, quotes, dashes,
   punctuation, spacing; ~15 µs an item in C-level str/bytes calls); items with identical
   normalised title and body are `exact` copies.
2. Shingle: each body's word `shingle_size`-grams as sorted 32-bit hashes in one CSR store
   (4 bytes a shingle). After blocking, a 32-range one-permutation MinHash signature (64 bytes
   an item) and the title's character-class counts (38 bytes an item) are built from it.
3. Block: items sharing their normalised title, or one of their `sketch_size` rarest shared
   shingle hashes, become candidate pairs. A key shared by more than `max_block_size` items is
   boilerplate: it yields no pairs and is reported.
4. Screen: only pairs with alike titles, or a MinHash Jaccard estimate of at least
   `prefilter_jaccard`, go on; the others can meet no "same" rule (bar a < 1e-9 chance per
   pair). Most unrelated titles are ruled out by a character-count bound, without alignment.
5. Verify the remaining pairs with exact measures: shingle Jaccard, containment of the smaller
   shingle set in the larger, and rapidfuzz title similarity; see `decide_pair` for the rules.
6. Connected components of accepted pairs give clusters. The canonical item is the earliest
   dated, then the longest body, then the first seen. A cluster id hashes its sorted member
   ids, so it does not depend on input order or PYTHONHASHSEED.

Memory: items go in one at a time (`DedupeIndex`, `stream_clusters`) and only what matching
needs is kept, never the items: the shingle store (~0.55x their text on news), ids, normalised
titles and a few per-item arrays, ~0.75x in all. Work arrays are built a chunk at a time, the
largest (blocking's pool of 32 hashes an item) peaking near 0.25x. The result is arrays too:
rows and annotated items are made when read. `find_duplicate_clusters` is the same over a list
(see benchmarks/dedupe_bench.py for figures).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from rapidfuzz.fuzz import ratio
from rapidfuzz.process import cpdist

from bulletin_tools.dedupe_blocks import (
    block_pairs,
    intersection_sizes,
    signature_jaccard,
    unique_pairs,
)
from bulletin_tools.dedupe_graph import cluster_table, connected_labels
from bulletin_tools.dedupe_index import DedupeIndex, StringBuffer
from bulletin_tools.dedupe_index import title_profiles as _title_profiles  # noqa: F401 (tests)
from bulletin_tools.dedupe_options import DedupeOptions
from bulletin_tools.dedupe_result import AnnotatedItems, ClusterRows, DedupeResult
from bulletin_tools.dedupe_rules import (
    REASONS,
    SAME_CODES,
    OversizedBlock,
    PairRow,
    decide_all,
    decide_pair,
    refine_by_text,
)
from bulletin_tools.models import Item

__all__ = [
    "DedupeIndex",
    "DedupeOptions",
    "DedupeResult",
    "OversizedBlock",
    "PairRow",
    "cluster_index",
    "decide_pair",
    "find_duplicate_clusters",
    "stream_clusters",
]


def _titles_may_be_alike(
    index: Any, a: np.ndarray, b: np.ndarray, threshold: float, chunk: int = 1 << 16
) -> np.ndarray:
    """False only where the titles' ratio is provably below `threshold`: the Indel distance is
    at least the L1 distance of the character-class counts, and ratio = 1 - distance / total
    length, so most unrelated titles are ruled out without aligning them."""
    out = np.ones(len(a), dtype=bool)
    for lo in range(0, len(a), chunk):
        x, y = a[lo : lo + chunk], b[lo : lo + chunk]
        gap = np.abs(
            index.title_chars[x].astype(np.int16) - index.title_chars[y].astype(np.int16)
        ).sum(axis=1)
        total = index.title_lengths[x] + index.title_lengths[y]
        out[lo : lo + chunk] = (total == 0) | (gap <= (1.0 - threshold) * total + 1e-9)
    return out


def _exact_groups(keys: np.ndarray, blank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(representative, member) pairs: each exact copy linked to its first-seen twin."""
    candidates = np.flatnonzero(~blank)
    order = candidates[np.argsort(keys[candidates], kind="stable")]
    sorted_keys = keys[order]
    first = np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1]))
    rep = order[np.flatnonzero(first)[np.cumsum(first) - 1]]
    dup = rep != order
    rep, member = rep[dup], order[dup]
    by_pair = np.lexsort((member, rep))  # input order, not hash order: same pairs file per run
    return rep[by_pair], member[by_pair]


def _candidates(index: DedupeIndex, reps: np.ndarray, options: DedupeOptions):
    """Candidate pairs among exact-group representatives, plus the oversized blocks."""
    n = index.size
    sk_items, sk_values = index.store.rare_keys(
        options.sketch_size, options.sketch_pool, options.max_key_items, reps
    )
    by_sketch = block_pairs(sk_values, sk_items, options.max_block_size, n, presorted=True)
    del sk_items, sk_values
    title_items = np.flatnonzero(reps & (index.title_keys != 0))
    by_title = block_pairs(index.title_keys[title_items], title_items, options.max_block_size, n)
    a, b = unique_pairs([by_title, by_sketch], n)
    oversized = [_oversized("title", m, index) for _, m in by_title.oversized]
    oversized += [_oversized("shingle", m, index) for _, m in by_sketch.oversized]
    oversized.sort(key=lambda o: (-o.size, o.kind, o.example_item_ids))
    return a, b, oversized


def _oversized(kind: str, members: np.ndarray, index: DedupeIndex) -> OversizedBlock:
    text = index.titles[int(members[0])] if kind == "title" else ""
    ids = tuple(index.ids[int(i)] for i in members[:5])
    return OversizedBlock(kind, len(members), ids, text)


def title_similarity(
    titles: StringBuffer | list[str], a: np.ndarray, b: np.ndarray, chunk: int = 1 << 16
) -> np.ndarray:
    """rapidfuzz ratio (0-1) of the normalised titles of each pair."""
    out = np.zeros(len(a), dtype=np.float64)
    for lo in range(0, len(a), chunk):
        x, y = a[lo : lo + chunk], b[lo : lo + chunk]
        if isinstance(titles, StringBuffer):
            left, right = titles.strings(x), titles.strings(y)
        else:
            left, right = [titles[i] for i in x.tolist()], [titles[j] for j in y.tolist()]
        out[lo : lo + chunk] = cpdist(left, right, scorer=ratio, dtype=np.float64) / 100.0
    return out


def _screen(
    index: DedupeIndex, a: np.ndarray, b: np.ndarray, options: DedupeOptions, chunk: int = 1 << 20
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidate pairs worth exact verification, with their title similarity.

    A pair is verified when its titles are alike, or when the MinHash estimate of its Jaccard
    reaches the prefilter threshold (see DedupeOptions.prefilter_jaccard). Titles are aligned
    only where a character-count bound allows them to be alike, and then for the kept pairs.
    Pairs go a chunk at a time, so the work arrays stay small however many candidates come."""
    kept: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for lo in range(0, len(a), chunk):
        x, y = a[lo : lo + chunk], b[lo : lo + chunk]
        keep, tit = _screen_chunk(index, x, y, options)
        kept.append((x[keep], y[keep], tit[keep]))
    if not kept:
        return a[:0], b[:0], np.zeros(0)
    return tuple(np.concatenate(part) for part in zip(*kept, strict=True))  # type: ignore[return-value]


def _screen_chunk(
    index: DedupeIndex, a: np.ndarray, b: np.ndarray, options: DedupeOptions
) -> tuple[np.ndarray, np.ndarray]:
    threshold = options.min_title_similarity
    tit = np.full(len(a), np.nan)
    maybe = np.flatnonzero(_titles_may_be_alike(index, a, b, threshold))
    tit[maybe] = title_similarity(index.titles, a[maybe], b[maybe])
    keep = tit >= threshold
    cutoff = min(options.prefilter_jaccard, options.min_jaccard / 2)
    unlike = np.flatnonzero(~keep)
    if cutoff <= 0:
        keep[:] = True
    else:
        estimate = signature_jaccard(index.signatures, a[unlike], b[unlike])
        keep[unlike[estimate >= cutoff]] = True
    kept = np.flatnonzero(keep)
    missing = kept[np.isnan(tit[kept])]
    tit[missing] = title_similarity(index.titles, a[missing], b[missing])
    return keep, tit


def score_pairs(
    index: DedupeIndex, a: np.ndarray, b: np.ndarray, tit: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Jaccard, containment, title similarity and smaller set size for each pair."""
    store = index.store
    inter = intersection_sizes(store, a, b)
    size_a, size_b = store.sizes[a], store.sizes[b]
    union = size_a + size_b - inter
    smaller = np.minimum(size_a, size_b)
    jac = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
    con = np.where(smaller > 0, inter / np.maximum(smaller, 1), 0.0)
    if tit is None:
        tit = title_similarity(index.titles, a, b)
    return jac, con, tit, smaller


def find_duplicate_clusters(
    items: Iterable[Item], options: DedupeOptions | None = None
) -> DedupeResult:
    """Cluster repeated items; returns annotated copies of the items (inputs are not changed).

    The list is read once into a `DedupeIndex`; rows and annotated items are made when read.

    >>> from bulletin_tools.models import Item
    >>> a = Item("a", "s1", 1, None, "Floods in X", "Rivers rose fast in the north today.", 1, 3)
    >>> from dataclasses import replace
    >>> b = replace(a, item_id="b", source="s2")
    >>> [r.cluster_size for r in find_duplicate_clusters([a, b]).clusters]
    [2, 2]
    """
    items = list(items)
    words = sum(len(it.body) for it in items) // 2 + len(items)  # >= shingles for most text
    index = DedupeIndex(
        options,
        capacity=words,
        expected_items=len(items),
        bodies=lambda i: items[i].body,
        ids=_ItemIds(items),
    )
    index.extend(items)
    result = cluster_index(index)
    if result.table is not None:
        result.items = AnnotatedItems(items, result.table)
    return result


class _ItemIds(Sequence[str]):
    """The ids of a list of items by index, without a copy of them."""

    def __init__(self, items: list[Item]) -> None:
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):  # type: ignore[override]
        return self._items[index].item_id


def stream_clusters(
    items: Iterable[Item],
    options: DedupeOptions | None = None,
    capacity: int = 0,
    expected_items: int = 0,
) -> DedupeResult:
    """Cluster items read one at a time, keeping none of them: `result.items` is empty and
    `result.table` annotates each item when the caller reads the items again (in the same
    order). `capacity`, `expected_items`: upper estimates of the shingles (e.g. half the
    input's bytes) and items, to reserve room (see `DedupeIndex`)."""
    index = DedupeIndex(options, capacity=capacity, expected_items=expected_items)
    index.extend(items)
    return cluster_index(index)


def cluster_index(index: DedupeIndex) -> DedupeResult:
    """Cluster the items of an index; releases the index's matching data when done."""
    index.finish()
    options, n = index.options, index.size
    if n == 0:
        index.release()
        return DedupeResult([], [], [], {"items": 0})
    rep_of, dup = _exact_groups(index.exact_keys, index.blank)
    index.drop("exact_keys", "blank")
    reps = np.ones(n, dtype=bool)
    reps[dup] = False
    a, b, oversized = _candidates(index, reps, options)
    index.drop("title_keys")
    del reps
    index.build_sketches()
    n_candidates = len(a)
    a, b, tit = _screen(index, a, b, options)
    index.drop("signatures", "title_chars", "title_lengths")

    def verify(x: np.ndarray, y: np.ndarray, t: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
        jac, con, t, smaller = score_pairs(index, x, y, t)
        codes = decide_all(index.titles, (x, y), (jac, con, t, smaller), options)
        refine_by_text(index.normalised_body, (x, y), codes, (con, t), options)
        return jac, con, t, codes

    jac, con, tit, codes = verify(a, b, tit)
    same = np.isin(codes, SAME_CODES)
    ea = np.concatenate((np.minimum(rep_of, dup), a[same]))
    eb = np.concatenate((np.maximum(rep_of, dup), b[same]))
    ecode = np.concatenate((np.zeros(len(dup), np.int8), codes[same]))
    labels = connected_labels(n, ea, eb)

    def direct(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
        jac, con, t, codes = verify(x, y)
        index.release()  # last use: free it before the table is built
        return jac, con, t, np.where(np.isin(codes, SAME_CODES), codes, -1)

    keys = (index.date_ranks, index.body_lengths)
    table = cluster_table(index.ids, keys, labels, (ea, eb, ecode), REASONS, direct)
    ones = np.ones(len(dup))
    pairs = (
        np.concatenate((np.minimum(rep_of, dup), a)),
        np.concatenate((np.maximum(rep_of, dup), b)),
        np.concatenate((ones, jac)),
        np.concatenate((ones, con)),
        np.concatenate((ones, tit)),
        np.concatenate((np.zeros(len(dup), np.int8), codes)),
    )
    stats = {
        "items": n,
        "exact_copies": len(dup),
        "candidate_pairs": n_candidates,
        "verified_pairs": len(a),
        "accepted_pairs": int(same.sum()),
        "oversized_blocks": len(oversized),
    }
    return DedupeResult([], ClusterRows(table), oversized, stats, pairs, REASONS, table)
