"""Dedupe: cluster repeated items across bulletin issues, exactly and explainably.

Pipeline (linear in the number of items, bounded memory, numpy except where noted):

1. Normalise a copy of title and body (`textnorm`: NFKD, case, accents, quotes, dashes,
   punctuation, spacing; ~15 µs an item in C-level str/bytes calls); items with identical
   normalised title and body are `exact` copies.
2. Shingle: each body's word `shingle_size`-grams as sorted 32-bit hashes in one CSR store
   (4 bytes a shingle), a 32-range one-permutation MinHash signature (64 bytes an item) and
   the title's character-class counts (38 bytes an item).
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

Memory beyond the items: ~0.55x their text for the shingle store, plus normalised titles, the
per-item arrays above and the result rows (see benchmarks/dedupe_bench.py for measurements).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from operator import attrgetter

import numpy as np
from rapidfuzz.fuzz import ratio
from rapidfuzz.process import cpdist

from bulletin_tools.dedupe_blocks import (
    block_pairs,
    intersection_sizes,
    signature_jaccard,
    unique_pairs,
)
from bulletin_tools.dedupe_graph import cluster_rows, connected_labels
from bulletin_tools.dedupe_options import DedupeOptions
from bulletin_tools.dedupe_rules import (
    REASONS,
    SAME_CODES,
    DedupeResult,
    OversizedBlock,
    PairRow,
    decide_all,
    decide_pair,
    refine_by_text,
)
from bulletin_tools.dedupe_sketch import SIGNATURE_BINS, ShingleStore, shingle_batch, signatures
from bulletin_tools.models import ClusterRow, Item
from bulletin_tools.textnorm import normalise_bytes, normalise_text

__all__ = [
    "DedupeOptions",
    "DedupeResult",
    "OversizedBlock",
    "PairRow",
    "decide_pair",
    "find_duplicate_clusters",
]


class _Titles:
    """Normalised titles as one UTF-8 buffer with offsets (a third of the memory of a list of
    str at a million items); `titles[i]` and `titles.strings(indices)` decode on demand."""

    def __init__(self, n_items: int) -> None:
        self._chunks: list[bytes] = []
        self._offsets = np.zeros(n_items + 1, dtype=np.int64)
        self._items = 0
        self._data = b""

    def add(self, title_bytes: list[bytes]) -> None:
        lo, hi = self._items, self._items + len(title_bytes)
        lengths = np.fromiter(map(len, title_bytes), dtype=np.int64, count=len(title_bytes))
        np.cumsum(lengths, out=self._offsets[lo + 1 : hi + 1])
        self._offsets[lo + 1 : hi + 1] += self._offsets[lo]
        self._chunks.append(b"".join(title_bytes))
        self._items = hi

    def finish(self) -> None:
        self._data, self._chunks = b"".join(self._chunks), []

    def __getitem__(self, index: int) -> str:
        start, end = int(self._offsets[index]), int(self._offsets[index + 1])
        return self._data[start:end].decode("utf-8", "replace")

    def strings(self, indices: np.ndarray) -> list[str]:
        data = self._data
        starts, ends = self._offsets[indices].tolist(), self._offsets[indices + 1].tolist()
        return [data[s:e].decode("utf-8", "replace") for s, e in zip(starts, ends, strict=True)]


@dataclass
class _Index:
    """What dedupe keeps per item besides the items: keys and shingle sets."""

    store: ShingleStore
    titles: _Titles  # normalised, for title similarity
    title_keys: np.ndarray  # 0: no title
    exact_keys: np.ndarray
    blank: np.ndarray  # neither title nor body: never an exact copy
    signatures: np.ndarray  # (items, SIGNATURE_BINS) uint16 one-permutation MinHash
    title_chars: np.ndarray  # (items, _BUCKETS) uint8 character counts of normalised titles
    title_lengths: np.ndarray  # characters in the normalised titles


def _index_items(items: list[Item], options: DedupeOptions) -> _Index:
    """Normalise and hash items batch by batch; only keys, titles and shingle sets are kept.

    Keys are Python hashes of the normalised bytes: only their equality within this run is
    used (which item is the representative, which pairs a block yields), never their values,
    so no output depends on PYTHONHASHSEED.
    """
    n = len(items)
    words = sum(len(it.body) for it in items) // 2 + n  # >= words (and shingles) for most text
    store = ShingleStore(n, words)
    titles = _Titles(n)
    title_keys = np.zeros(n, dtype=np.int64)
    exact_keys = np.zeros(n, dtype=np.int64)
    blank = np.zeros(n, dtype=bool)
    sigs = np.zeros((n, SIGNATURE_BINS), dtype=np.uint16)
    title_chars = np.zeros((n, _BUCKETS), dtype=np.uint8)
    title_lengths = np.zeros(n, dtype=np.int32)
    for lo in range(0, n, options.batch_size):
        batch = items[lo : lo + options.batch_size]
        hi = lo + len(batch)
        bodies = [normalise_bytes(it.body) for it in batch]
        title_bytes = [normalise_bytes(it.title) for it in batch]
        titles.add(title_bytes)
        title_keys[lo:hi] = [hash(t) or 1 if t else 0 for t in title_bytes]
        exact_keys[lo:hi] = list(map(hash, zip(title_bytes, bodies, strict=True)))
        blank[lo:hi] = [not (t or b) for t, b in zip(title_bytes, bodies, strict=True)]
        title_chars[lo:hi], title_lengths[lo:hi] = _title_profiles(title_bytes)
        values, counts = shingle_batch(bodies, options.shingle_size)
        store.add(values, counts)
        sigs[lo:hi] = signatures(values, counts)
        del bodies, title_bytes, values
    store.finish()
    titles.finish()
    return _Index(store, titles, title_keys, exact_keys, blank, sigs, title_chars, title_lengths)


# Character classes for a cheap bound on title similarity: a-z, 0-9, space, any other
# character (counted once, at its UTF-8 lead byte; continuation bytes are class _BUCKETS).
_BUCKETS = 38
_BUCKET_OF = np.full(256, 37, dtype=np.uint8)
_BUCKET_OF[ord("a") : ord("z") + 1] = np.arange(26)
_BUCKET_OF[ord("0") : ord("9") + 1] = np.arange(26, 36)
_BUCKET_OF[ord(" ")] = 36
_BUCKET_OF[0x80:0xC0] = _BUCKETS


def _title_profiles(title_bytes: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Character-class counts (capped at 255) and lengths in characters of normalised titles."""
    lengths = np.fromiter(map(len, title_bytes), dtype=np.int64, count=len(title_bytes))
    bucket = _BUCKET_OF[np.frombuffer(b"".join(title_bytes), dtype=np.uint8)]
    owner = np.repeat(np.arange(len(title_bytes), dtype=np.int64), lengths)
    char = bucket < _BUCKETS
    owner = owner[char]
    hist = np.bincount(owner * _BUCKETS + bucket[char], minlength=len(title_bytes) * _BUCKETS)
    chars = np.bincount(owner, minlength=len(title_bytes))
    return np.minimum(hist, 255).astype(np.uint8).reshape(-1, _BUCKETS), chars


def _titles_may_be_alike(
    index: _Index, a: np.ndarray, b: np.ndarray, threshold: float, chunk: int = 1 << 16
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
    return rep[dup], order[dup]


def _candidates(index: _Index, reps: np.ndarray, options: DedupeOptions, items: list[Item]):
    """Candidate pairs among exact-group representatives, plus the oversized blocks."""
    n = len(index.title_keys)
    sk_items, sk_values = index.store.rare_keys(
        options.sketch_size, options.sketch_pool, options.max_key_items, reps
    )
    by_sketch = block_pairs(sk_values, sk_items, options.max_block_size, n, presorted=True)
    del sk_items, sk_values
    title_items = np.flatnonzero(reps & (index.title_keys != 0))
    by_title = block_pairs(index.title_keys[title_items], title_items, options.max_block_size, n)
    a, b = unique_pairs([by_title, by_sketch], n)
    oversized = [_oversized("title", m, items) for _, m in by_title.oversized]
    oversized += [_oversized("shingle", m, items) for _, m in by_sketch.oversized]
    oversized.sort(key=lambda o: (-o.size, o.kind, o.example_item_ids))
    return a, b, oversized


def _oversized(kind: str, members: np.ndarray, items: list[Item]) -> OversizedBlock:
    first = items[int(members[0])]
    text = normalise_text(first.title) if kind == "title" else ""
    ids = tuple(items[int(i)].item_id for i in members[:5])
    return OversizedBlock(kind, len(members), ids, text)


def title_similarity(
    titles: _Titles | list[str], a: np.ndarray, b: np.ndarray, chunk: int = 1 << 16
) -> np.ndarray:
    """rapidfuzz ratio (0-1) of the normalised titles of each pair."""
    out = np.zeros(len(a), dtype=np.float64)
    for lo in range(0, len(a), chunk):
        x, y = a[lo : lo + chunk], b[lo : lo + chunk]
        if isinstance(titles, _Titles):
            left, right = titles.strings(x), titles.strings(y)
        else:
            left, right = [titles[i] for i in x.tolist()], [titles[j] for j in y.tolist()]
        out[lo : lo + chunk] = cpdist(left, right, scorer=ratio, dtype=np.float64) / 100.0
    return out


def _screen(
    index: _Index, a: np.ndarray, b: np.ndarray, options: DedupeOptions
) -> tuple[np.ndarray, np.ndarray]:
    """Which candidate pairs are worth exact verification, and their title similarity.

    A pair is verified when its titles are alike, or when the MinHash estimate of its Jaccard
    reaches the prefilter threshold (see DedupeOptions.prefilter_jaccard). Titles are aligned
    only where a character-count bound allows them to be alike, and then for the kept pairs."""
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
    index: _Index, a: np.ndarray, b: np.ndarray, tit: np.ndarray | None = None
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


_ITEM_FIELDS = attrgetter(*(f.name for f in fields(Item)))


def _annotated(item: Item, row: ClusterRow) -> Item:
    """A copy of the item with its cluster (faster than dataclasses.replace)."""
    copy = Item(*_ITEM_FIELDS(item))
    copy.cluster_id, copy.is_canonical = row.cluster_id, row.is_canonical
    return copy


def find_duplicate_clusters(
    items: Iterable[Item], options: DedupeOptions | None = None
) -> DedupeResult:
    """Cluster repeated items; returns annotated copies of the items (inputs are not changed).

    >>> from bulletin_tools.models import Item
    >>> a = Item("a", "s1", 1, None, "Floods in X", "Rivers rose fast in the north today.", 1, 3)
    >>> from dataclasses import replace
    >>> b = replace(a, item_id="b", source="s2")
    >>> [r.cluster_size for r in find_duplicate_clusters([a, b]).clusters]
    [2, 2]
    """
    options = options or DedupeOptions()
    items = list(items)
    _check_ids(items)
    n = len(items)
    if n == 0:
        return DedupeResult([], [], [], {"items": 0})
    index = _index_items(items, options)
    rep_of, dup = _exact_groups(index.exact_keys, index.blank)
    reps = np.ones(n, dtype=bool)
    reps[dup] = False
    a, b, oversized = _candidates(index, reps, options, items)
    n_candidates = len(a)
    keep, tit = _screen(index, a, b, options)
    a, b, tit = a[keep], b[keep], tit[keep]

    def verify(x: np.ndarray, y: np.ndarray, t: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
        jac, con, t, smaller = score_pairs(index, x, y, t)
        codes = decide_all(index.titles, (x, y), (jac, con, t, smaller), options)
        refine_by_text(items, (x, y), codes, (con, t), options)
        return jac, con, t, codes

    jac, con, tit, codes = verify(a, b, tit)
    same = np.isin(codes, SAME_CODES)
    ea = np.concatenate((np.minimum(rep_of, dup), a[same]))
    eb = np.concatenate((np.maximum(rep_of, dup), b[same]))
    ecode = np.concatenate((np.zeros(len(dup), np.int8), codes[same]))
    labels = connected_labels(n, ea, eb)

    def direct(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
        nonlocal index
        jac, con, t, codes = verify(x, y)
        index = None  # type: ignore[assignment]  # last use: free it before rows are built
        return jac, con, t, np.where(np.isin(codes, SAME_CODES), codes, -1)

    rows = cluster_rows(items, labels, (ea, eb, ecode), REASONS, direct)
    annotated = list(map(_annotated, items, rows))
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
    return DedupeResult(annotated, rows, oversized, stats, pairs, REASONS)


def _check_ids(items: list[Item]) -> None:
    seen: set[str] = set()
    for it in items:
        if it.item_id in seen:
            raise ValueError(f"duplicate item_id {it.item_id!r}: dedupe needs unique item ids")
        seen.add(it.item_id)
