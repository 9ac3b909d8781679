"""Dedupe: cluster repeated items across bulletin issues, exactly and explainably.

Pipeline (linear in the number of items, bounded memory):

1. Normalise a copy of title and body (`textnorm`: NFKC/NFKD, case, accents, quotes, dashes,
   punctuation, spacing); items with identical normalised title and body are `exact` copies.
2. Block: items sharing their normalised title, or one of the `sketch_size` smallest hashes of
   their body's word `shingle_size`-grams, become candidate pairs. A key shared by more than
   `max_block_size` items is boilerplate: it yields no pairs and is reported.
3. Verify every candidate pair with exact measures: shingle Jaccard, containment of the smaller
   shingle set in the larger, and rapidfuzz title similarity; see `decide_pair` for the rules.
4. Union-find over accepted pairs gives clusters. The canonical item is the earliest dated, then
   the longest body, then the first seen. A cluster id hashes its sorted member ids, so it does
   not depend on input order or PYTHONHASHSEED.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from rapidfuzz.fuzz import partial_ratio, ratio

from bulletin_tools.dedupe_blocks import block_pairs, intersection_sizes, unique_pairs
from bulletin_tools.dedupe_graph import cluster_rows, connected_labels
from bulletin_tools.dedupe_sketch import ShingleStore, shingle_batch
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
    batch_size: int = 2048  # items hashed per numpy batch (memory/speed trade-off only)


@dataclass(frozen=True, slots=True)
class PairRow:
    """One verified candidate pair, for `--pairs FILE` audits of borderline decisions."""

    item_id_a: str
    item_id_b: str
    jaccard: float
    containment: float
    title_similarity: float
    decision: str  # "same" | "different"
    reason: str

    def to_row(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


@dataclass(frozen=True, slots=True)
class OversizedBlock:
    """A blocking key shared by too many items to compare them all (boilerplate)."""

    kind: str  # "title" | "shingle"
    size: int
    example_item_ids: tuple[str, ...]
    text: str  # the normalised title for title blocks, "" for shingle blocks

    def to_row(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


@dataclass
class DedupeResult:
    """Items annotated with `cluster_id`/`is_canonical` (input order), one cluster row per item,
    the verified pairs and the oversized blocks."""

    items: list[Item]
    clusters: list[ClusterRow]
    oversized_blocks: list[OversizedBlock]
    stats: dict[str, int] = field(default_factory=dict)
    _pairs: tuple[np.ndarray, ...] = ()
    _reasons: tuple[str, ...] = ()

    def iter_pairs(self) -> Iterator[PairRow]:
        """Every verified candidate pair with scores and decision, in input order of item a."""
        if not self._pairs:
            return
        a, b, jac, con, tit, code = self._pairs
        for i, j, x, y, z, c in zip(
            a.tolist(),
            b.tolist(),
            jac.tolist(),
            con.tolist(),
            tit.tolist(),
            code.tolist(),
            strict=False,
        ):
            reason = self._reasons[c]
            decision = "different" if reason in _DIFFERENT else "same"
            yield PairRow(
                self.items[i].item_id,
                self.items[j].item_id,
                round(x, 4),
                round(y, 4),
                round(z, 4),
                decision,
                reason,
            )

    @property
    def pairs(self) -> list[PairRow]:
        return list(self.iter_pairs())


REASONS = (
    "exact",
    "same_body",
    "near_same_body",
    "similar_body_same_title",
    "contained_same_title",
    "similar_text_same_title",
    "title_differs",
    "title_numbers_differ",
    "body_differs",
)
_DIFFERENT = {"title_differs", "title_numbers_differ", "body_differs"}
_SAME_CODES = [k for k, r in enumerate(REASONS) if r not in _DIFFERENT]


def decide_pair(
    jaccard: float,
    containment: float,
    title_similarity: float,
    smaller: int,
    options: DedupeOptions,
    title_numbers_match: bool = True,
) -> str:
    """The rule that makes two items the same story, or why they are not (see DedupeOptions).

    >>> decide_pair(0.45, 0.95, 0.97, 40, DedupeOptions())
    'contained_same_title'
    """
    big_enough = smaller >= options.min_shingles
    if jaccard >= 1.0 and big_enough:
        return "same_body"
    if jaccard >= options.min_jaccard and big_enough:
        return "near_same_body"
    if title_similarity >= options.min_title_similarity and not title_numbers_match:
        return "title_numbers_differ"  # "8th meeting" vs "9th meeting": different events
    if title_similarity >= options.min_title_similarity:
        if jaccard >= options.title_jaccard and smaller > 0:
            return "similar_body_same_title"
        if containment >= options.min_containment and smaller > 0:
            return "contained_same_title"
        return "body_differs"
    if jaccard >= options.title_jaccard or containment >= options.min_containment:
        return "title_differs"
    return "body_differs"


def _title_numbers(title: str) -> list[str]:
    return sorted(w for w in title.split() if any(c.isdigit() for c in w))


def _decide_all(
    titles: list[str],
    pairs: tuple[np.ndarray, np.ndarray],
    scores: tuple[np.ndarray, ...],
    options: DedupeOptions,
) -> np.ndarray:
    """Reason codes (indices into REASONS) of `decide_pair` for arrays of scores."""
    jac, con, tit, smaller = scores
    rows = zip(
        pairs[0].tolist(),
        pairs[1].tolist(),
        jac.tolist(),
        con.tolist(),
        tit.tolist(),
        smaller.tolist(),
        strict=True,
    )
    return np.fromiter(
        (
            REASONS.index(
                decide_pair(
                    j,
                    c,
                    t,
                    s,
                    options,
                    t < options.min_title_similarity
                    or _title_numbers(titles[x]) == _title_numbers(titles[y]),
                )
            )
            for x, y, j, c, t, s in rows
        ),
        dtype=np.int8,
        count=len(jac),
    )


def _refine_by_text(
    items: list[Item],
    pairs: tuple[np.ndarray, np.ndarray],
    codes: np.ndarray,
    scores: tuple[np.ndarray, np.ndarray],
    options: DedupeOptions,
) -> None:
    """Re-check `body_differs` pairs with similar titles and some shared shingles at character
    level (in place): a few typos break many shingles of a short body, not its characters."""
    con, tit = scores
    todo = (codes == REASONS.index("body_differs")) & (tit >= options.min_title_similarity)
    todo &= con >= options.min_text_containment
    cutoff = 100.0 * options.min_text_similarity
    for k in np.flatnonzero(todo).tolist():
        x, y = (normalise_text(items[int(side[k])].body) for side in pairs)
        x, y = sorted((x, y), key=len)
        if ratio(x, y, score_cutoff=cutoff) or (
            len(x) < 0.9 * len(y) and partial_ratio(x, y, score_cutoff=cutoff)
        ):
            codes[k] = REASONS.index("similar_text_same_title")


@dataclass
class _Index:
    """What dedupe keeps per item besides the items: keys and shingle sets."""

    store: ShingleStore
    titles: list[str]  # normalised, for title similarity
    title_keys: np.ndarray
    exact_keys: np.ndarray


def _key64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def _index_items(items: list[Item], options: DedupeOptions) -> _Index:
    """Normalise and hash items batch by batch; only keys and shingle sets are kept."""
    store = ShingleStore()
    all_titles: list[str] = []
    title_keys = np.zeros(len(items), dtype=np.uint64)
    exact_keys = np.zeros(len(items), dtype=np.uint64)
    for lo in range(0, len(items), options.batch_size):
        batch = items[lo : lo + options.batch_size]
        bodies = [normalise_bytes(it.body) for it in batch]
        titles = [normalise_bytes(it.title) for it in batch]
        all_titles.extend(t.decode("utf-8", "replace") for t in titles)
        title_keys[lo : lo + len(batch)] = [_key64(t) if t else 0 for t in titles]
        exact_keys[lo : lo + len(batch)] = [
            _key64(t + b"\0" + b) if t or b else _key64(b"\1%d" % (lo + k))
            for k, (t, b) in enumerate(zip(titles, bodies, strict=False))
        ]
        store.add(*shingle_batch(bodies, options.shingle_size))
    store.finish()
    return _Index(store, all_titles, title_keys, exact_keys)


def _exact_groups(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(representative, member) pairs: each exact copy linked to its first-seen twin."""
    order = np.argsort(keys, kind="stable")
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
    has_title = reps & (index.title_keys != 0)
    title_items = np.flatnonzero(has_title)
    by_title = block_pairs(index.title_keys[title_items], title_items, options.max_block_size)
    by_sketch = block_pairs(sk_values.astype(np.uint64), sk_items, options.max_block_size)
    a, b = unique_pairs([by_title, by_sketch], n)
    oversized = [_oversized("title", m, items) for _, m in by_title.oversized]
    oversized += [_oversized("shingle", m, items) for _, m in by_sketch.oversized]
    oversized.sort(key=lambda o: (-o.size, o.kind, o.example_item_ids))
    return a, b, oversized


def _oversized(kind: str, members: np.ndarray, items: list[Item]) -> OversizedBlock:
    first = items[int(members[0])]
    text = normalise_bytes(first.title).decode("utf-8", "replace") if kind == "title" else ""
    ids = tuple(items[int(i)].item_id for i in members[:5])
    return OversizedBlock(kind, len(members), ids, text)


def score_pairs(
    index: _Index, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Jaccard, containment, title similarity and smaller set size for each pair."""
    store = index.store
    inter = intersection_sizes(store, a, b)
    size_a, size_b = store.sizes[a], store.sizes[b]
    union = size_a + size_b - inter
    smaller = np.minimum(size_a, size_b)
    jac = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
    con = np.where(smaller > 0, inter / np.maximum(smaller, 1), 0.0)
    titles = index.titles
    tit = np.fromiter(
        (ratio(titles[i], titles[j]) / 100.0 for i, j in zip(a.tolist(), b.tolist(), strict=False)),
        dtype=np.float64,
        count=len(a),
    )
    return jac, con, tit, smaller


def find_duplicate_clusters(
    items: Iterable[Item], options: DedupeOptions = DedupeOptions()
) -> DedupeResult:
    """Cluster repeated items; returns annotated copies of the items (inputs are not changed).

    >>> from bulletin_tools.models import Item
    >>> a = Item("a", "s1", 1, None, "Floods in X", "Rivers rose fast in the north today.", 1, 3)
    >>> b = replace(a, item_id="b", source="s2")
    >>> [r.cluster_size for r in find_duplicate_clusters([a, b]).clusters]
    [2, 2]
    """
    items = list(items)
    _check_ids(items)
    n = len(items)
    if n == 0:
        return DedupeResult([], [], [], {"items": 0})
    index = _index_items(items, options)
    rep_of, dup = _exact_groups(index.exact_keys)
    reps = np.ones(n, dtype=bool)
    reps[dup] = False
    a, b, oversized = _candidates(index, reps, options, items)

    def verify(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
        jac, con, tit, smaller = score_pairs(index, x, y)
        codes = _decide_all(index.titles, (x, y), (jac, con, tit, smaller), options)
        _refine_by_text(items, (x, y), codes, (con, tit), options)
        return jac, con, tit, np.where(np.isin(codes, _SAME_CODES), codes, -1)

    jac, con, tit, smaller = score_pairs(index, a, b)
    codes = _decide_all(index.titles, (a, b), (jac, con, tit, smaller), options)
    _refine_by_text(items, (a, b), codes, (con, tit), options)
    same = np.isin(codes, _SAME_CODES)
    ea = np.concatenate((np.minimum(rep_of, dup), a[same]))
    eb = np.concatenate((np.maximum(rep_of, dup), b[same]))
    ecode = np.concatenate((np.zeros(len(dup), np.int8), codes[same]))
    labels = connected_labels(n, ea, eb)
    rows = cluster_rows(items, labels, (ea, eb, ecode), REASONS, verify)
    annotated = [
        replace(it, cluster_id=r.cluster_id, is_canonical=r.is_canonical)
        for it, r in zip(items, rows, strict=False)
    ]
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
        "candidate_pairs": len(a),
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
