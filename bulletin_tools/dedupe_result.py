"""Dedupe's result, held as arrays: a million `ClusterRow` objects would cost more than the
matching itself, so rows and annotated items are built only when read (and a writer streams
them). Sequences here compare equal to lists with the same rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np

from bulletin_tools.dedupe_rules import DIFFERENT_REASONS, OversizedBlock, PairRow
from bulletin_tools.models import ClusterRow, Item

__all__ = ["AnnotatedItems", "ClusterRows", "ClusterTable", "DedupeResult"]


@dataclass
class ClusterTable:
    """Every item's cluster membership: per-item and per-cluster arrays (input order).

    `reason` indexes `reasons`; `via` is the member an item joined through (-1: none); scores
    are NaN for canonical items. A cluster's id is "c" + its 64-bit digest in hex."""

    ids: Sequence[str]
    cluster: np.ndarray  # per item: its cluster's number
    reason: np.ndarray  # per item: index into `reasons`
    via: np.ndarray  # per item
    scores: tuple[np.ndarray, np.ndarray, np.ndarray]  # jaccard, containment, title similarity
    digest: np.ndarray  # per cluster, uint64
    canonical: np.ndarray  # per cluster: the canonical item's index
    size: np.ndarray  # per cluster
    reasons: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.cluster)

    def cluster_id(self, index: int) -> str:
        return f"c{int(self.digest[self.cluster[index]]):016x}"

    def is_canonical(self, index: int) -> bool:
        return bool(self.canonical[self.cluster[index]] == index)

    def labels(self, lo: int, hi: int) -> tuple[list[str], list[bool]]:
        """Cluster ids and canonical flags of items lo..hi-1, vectorised (writers go a block
        of items at a time)."""
        cluster = self.cluster[lo:hi]
        ids = [f"c{d:016x}" for d in self.digest[cluster].tolist()]
        return ids, (self.canonical[cluster] == np.arange(lo, hi)).tolist()

    def names(self, lo: int, hi: int) -> list[str]:
        """The ids of items lo..hi-1."""
        return _names(self.ids, np.arange(lo, hi))

    def rows(self, lo: int, hi: int) -> list[ClusterRow]:
        """The cluster rows of items lo..hi-1."""
        cluster = self.cluster[lo:hi]
        head = self.canonical[cluster]
        names, head_names = self.names(lo, hi), _names(self.ids, head)
        cids, canonical = self.labels(lo, hi)
        reasons = [self.reasons[r] for r in self.reason[lo:hi].tolist()]
        for k in np.flatnonzero(self.via[lo:hi] >= 0).tolist():
            reasons[k] = f"{reasons[k]} via {self.ids[int(self.via[lo + k])]}"
        sizes = self.size[cluster].tolist()
        jac, con, tit = (s[lo:hi].tolist() for s in self.scores)
        return [
            ClusterRow(names[k], cids[k], names[k], True, sizes[k], reasons[k])
            if canonical[k]
            else ClusterRow(
                names[k],
                cids[k],
                head_names[k],
                False,
                sizes[k],
                reasons[k],
                round(jac[k], 4),
                round(con[k], 4),
                round(tit[k], 4),
            )
            for k in range(hi - lo)
        ]


def _names(ids: Sequence[str], indices: np.ndarray) -> list[str]:
    strings = getattr(ids, "strings", None)  # dedupe's id buffer decodes many at once
    return strings(indices) if strings else [ids[i] for i in indices.tolist()]


_BLOCK = 4096  # rows made at a time when a sequence is iterated


class _Rows(Sequence[Any]):
    """A read-only sequence built on demand from a ClusterTable; equal to a list of its rows."""

    def __init__(self, table: ClusterTable) -> None:
        self.table = table

    def __len__(self) -> int:
        return len(self.table)

    def _block(self, lo: int, hi: int) -> list[Any]:
        raise NotImplementedError

    def _one(self, index: int) -> Any:
        return self._block(index, index + 1)[0]

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self._one(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._one(index)

    def __iter__(self) -> Iterator[Any]:
        for lo in range(0, len(self), _BLOCK):
            yield from self._block(lo, min(lo + _BLOCK, len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(x == y for x, y in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self)}>"


class ClusterRows(_Rows):
    """One `ClusterRow` per item, in input order, made when read."""

    def _block(self, lo: int, hi: int) -> list[ClusterRow]:
        return self.table.rows(lo, hi)


class AnnotatedItems(_Rows):
    """Copies of the items with `cluster_id` and `is_canonical` set, made when read (so
    changing one read copy changes no other)."""

    def __init__(self, items: Sequence[Item], table: ClusterTable) -> None:
        super().__init__(table)
        self.items = items

    def _block(self, lo: int, hi: int) -> list[Item]:
        cids, canonical = self.table.labels(lo, hi)
        copies = [_copy(item) for item in self.items[lo:hi]]
        for copy, cid, flag in zip(copies, cids, canonical, strict=True):
            copy.cluster_id, copy.is_canonical = cid, flag
        return copies


def annotate(item: Item, table: ClusterTable, index: int) -> Item:
    """A copy of the item with its cluster."""
    copy = _copy(item)
    copy.cluster_id, copy.is_canonical = table.cluster_id(index), table.is_canonical(index)
    return copy


def _copy(item: Item) -> Item:
    """A copy without cluster columns (faster than dataclasses.replace)."""
    return Item(
        item.item_id,
        item.source,
        item.position,
        item.date,
        item.title,
        item.body,
        item.line_start,
        item.line_end,
        item.date_line,
    )


@dataclass
class DedupeResult:
    """Items annotated with `cluster_id`/`is_canonical` (input order), one cluster row per item,
    the verified pairs and the oversized blocks. `items` is empty when the items were streamed
    in (see `dedupe.stream_clusters`): then `table` annotates items as they are read again."""

    items: Sequence[Item]
    clusters: Sequence[ClusterRow]
    oversized_blocks: list[OversizedBlock]
    stats: dict[str, int] = field(default_factory=dict)
    _pairs: tuple[np.ndarray, ...] = ()
    _reasons: tuple[str, ...] = ()
    table: ClusterTable | None = None

    def iter_pairs(self) -> Iterator[PairRow]:
        """Every verified pair (exact copies, and the candidate pairs that passed the screen)
        with scores and decision, in input order of item a."""
        if not self._pairs or self.table is None:
            return
        ids = self.table.ids
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
            decision = "different" if reason in DIFFERENT_REASONS else "same"
            yield PairRow(ids[i], ids[j], round(x, 4), round(y, 4), round(z, 4), decision, reason)

    @property
    def pairs(self) -> list[PairRow]:
        return list(self.iter_pairs())
