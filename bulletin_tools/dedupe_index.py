"""Dedupe's input side: items added one at a time, kept only in the compact form matching needs.

Per item the index keeps its id and normalised title (UTF-8 buffers), its sorted 32-bit shingle
hashes (CSR store, 4 bytes a shingle), two 8-byte keys, its body length and the rank of its
date: about 0.75x the items' text on news items, never the `Item` itself. The screen's 64-byte
MinHash signature and 38 bytes of title character counts are built from these once the
candidate search (the peak) is over. Bodies are needed again only by the `similar_text` rule
for the few pairs it re-checks: they come from a caller's lookup (the items list) or from a
temporary file of normalised bodies written while adding (streamed input).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from bulletin_tools.dedupe_options import DedupeOptions
from bulletin_tools.dedupe_sketch import SIGNATURE_BINS, ShingleStore, shingle_batch, signatures
from bulletin_tools.models import Item
from bulletin_tools.textnorm import normalise_bytes, normalise_text

__all__ = ["DedupeIndex", "StringBuffer", "title_profiles"]


MIN_ROWS = 1 << 12  # a Column's least reservation


class Column:
    """A per-item array written in place as batches come: pages past the end are never
    touched, so a generous `capacity` costs address space only; outgrowing it copies once into
    twice the room. (Gathering per-batch pieces and joining them at the end would leave the
    pieces' freed heap resident beside the joined array.)"""

    def __init__(self, dtype: Any, width: int = 0, capacity: int = 0) -> None:
        self._shape = (width,) if width else ()
        self.data = np.empty((max(capacity, MIN_ROWS), *self._shape), dtype=dtype)
        self.size = 0

    def extend(self, values: Any) -> None:
        values = np.asarray(values, dtype=self.data.dtype)
        end = self.size + len(values)
        if end > len(self.data):
            grown = np.empty((max(end, 2 * len(self.data)), *self._shape), self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[self.size : end] = values
        self.size = end

    def view(self) -> np.ndarray:
        return self.data[: self.size]


class StringBuffer:
    """Strings as one UTF-8 buffer with offsets (a third of the memory of a list of str at a
    million items); `buffer[i]` and `buffer.strings(indices)` decode on demand. The buffer is
    a bytearray: it grows by realloc, which moves no bytes once it is large."""

    def __init__(self, errors: str = "replace", capacity: int = 0) -> None:
        self._errors = errors
        self._data = bytearray()
        self._ends = Column(np.int64, capacity=capacity)
        self.offsets = np.zeros(1, dtype=np.int64)

    def add(self, encoded: list[bytes]) -> None:
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        self._ends.extend(np.cumsum(lengths) + len(self._data))
        self._data += b"".join(encoded)

    def finish(self) -> None:
        """Pack: immutable bytes without the bytearray's spare room (up to an eighth)."""
        self.offsets = np.concatenate(([0], self._ends.view()))
        self._ends = Column(np.int64)
        self._data = bytes(self._data)  # type: ignore[assignment]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def data(self) -> bytearray:
        return self._data

    def __getitem__(self, index: int) -> str:
        start, end = int(self.offsets[index]), int(self.offsets[index + 1])
        return self._data[start:end].decode("utf-8", self._errors)

    def strings(self, indices: np.ndarray) -> list[str]:
        data, errors = self._data, self._errors
        starts, ends = self.offsets[indices].tolist(), self.offsets[indices + 1].tolist()
        return [data[s:e].decode("utf-8", errors) for s, e in zip(starts, ends, strict=True)]


# Character classes for a cheap bound on title similarity: a-z, 0-9, space, any other
# character (counted once, at its UTF-8 lead byte; continuation bytes are class BUCKETS).
BUCKETS = 38
_BUCKET_OF = np.full(256, 37, dtype=np.uint8)
_BUCKET_OF[ord("a") : ord("z") + 1] = np.arange(26)
_BUCKET_OF[ord("0") : ord("9") + 1] = np.arange(26, 36)
_BUCKET_OF[ord(" ")] = 36
_BUCKET_OF[0x80:0xC0] = BUCKETS


def title_profiles(title_bytes: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Character-class counts (capped at 255) and lengths in characters of normalised titles."""
    lengths = np.fromiter(map(len, title_bytes), dtype=np.int64, count=len(title_bytes))
    return _profiles(b"".join(title_bytes), lengths)


def _profiles(data: bytes | bytearray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    bucket = _BUCKET_OF[np.frombuffer(data, dtype=np.uint8)]
    owner = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    char = bucket < BUCKETS
    owner = owner[char]
    hist = np.bincount(owner * BUCKETS + bucket[char], minlength=len(lengths) * BUCKETS)
    chars = np.bincount(owner, minlength=len(lengths))
    return np.minimum(hist, 255).astype(np.uint8).reshape(-1, BUCKETS), chars


_ARRAYS = (  # per-item arrays: (name, dtype, width)
    ("title_keys", np.int64, 0),  # 0: no title
    ("exact_keys", np.int64, 0),
    ("blank", bool, 0),  # neither title nor body: never an exact copy
    ("body_lengths", np.int32, 0),  # characters in the bodies (canonical choice)
    ("date_codes", np.int32, 0),  # order of first appearance of the date; -1: no date
    ("id_hashes", np.int64, 0),  # to find repeated ids without a set of a million str
)


class DedupeIndex:
    """Add items (`add`, `extend`), then `finish()`; `dedupe.cluster_index` does the rest.

    `ids` gives the item ids by index when the caller holds them (else they are kept here).
    `capacity` is an upper estimate of the number of shingles (about half the text's bytes)
    and `expected_items` of the items: reserved address space, so nothing grows by copying
    (an overestimate costs no memory). `bodies(i)` returns item i's body for the
    `similar_text` rule; without it normalised bodies are spilled to a temporary file. Keys
    are Python hashes of the normalised bytes: only their equality within this run is used,
    so no output depends on PYTHONHASHSEED.
    """

    def __init__(
        self,
        options: DedupeOptions | None = None,
        *,
        capacity: int = 0,
        expected_items: int = 0,
        bodies: Callable[[int], str] | None = None,
        ids: Sequence[str] | None = None,
    ) -> None:
        self.options = options or DedupeOptions()
        n = expected_items
        self.store = ShingleStore(n, capacity)
        self.titles = StringBuffer(capacity=n)
        self.ids: Sequence[str] = StringBuffer("surrogatepass", n) if ids is None else ids
        self._bodies = bodies
        spill = None if bodies else tempfile.TemporaryFile(prefix="bulletin-dedupe-")  # noqa: SIM115
        self._spill = spill  # closed by release()
        self._spill_ends = Column(np.int64, capacity=n if spill else 0)
        self._spill_offsets = np.zeros(1, dtype=np.int64)
        self._columns = {name: Column(dtype, width, n) for name, dtype, width in _ARRAYS}
        self._dates: dict[str, int] = {}
        self._batch: list[Item] = []
        self.size = 0
        self.finished = False

    def add(self, item: Item) -> None:
        if self.finished:
            raise RuntimeError("items added to a finished dedupe index")
        self._batch.append(item)
        if len(self._batch) >= self.options.batch_size:
            self._flush()

    def extend(self, items: Iterable[Item]) -> None:
        for item in items:
            self.add(item)

    def _flush(self) -> None:
        """Normalise and hash one batch; only keys, titles and shingle sets are kept."""
        batch, self._batch = self._batch, []
        if not batch:
            return
        bodies = [normalise_bytes(it.body) for it in batch]
        title_bytes = [normalise_bytes(it.title) for it in batch]
        self.titles.add(title_bytes)
        if isinstance(self.ids, StringBuffer):
            self.ids.add([it.item_id.encode("utf-8", "surrogatepass") for it in batch])
        values, counts = shingle_batch(bodies, self.options.shingle_size)
        self.store.add(values, counts)
        dates = self._dates
        columns = {
            "title_keys": [hash(t) or 1 if t else 0 for t in title_bytes],
            "exact_keys": list(map(hash, zip(title_bytes, bodies, strict=True))),
            "blank": [not (t or b) for t, b in zip(title_bytes, bodies, strict=True)],
            "body_lengths": [len(it.body) for it in batch],
            "date_codes": [
                -1 if it.date is None else dates.setdefault(it.date, len(dates)) for it in batch
            ],
            "id_hashes": [hash(it.item_id) for it in batch],
        }
        for name, column in columns.items():
            self._columns[name].extend(column)
        if self._spill is not None:
            lengths = np.fromiter(map(len, bodies), np.int64, len(bodies))
            self._spill_ends.extend(np.cumsum(lengths) + self._spill.tell())
            self._spill.write(b"".join(bodies))
        self.size += len(batch)

    def finish(self) -> None:
        """Flush the last batch; raises ValueError on a repeated item id."""
        if self.finished:
            return
        self._flush()
        self.store.finish()
        self.titles.finish()
        if isinstance(self.ids, StringBuffer):
            self.ids.finish()
        for name, column in self._columns.items():
            setattr(self, name, column.view())
        self._columns = {}
        self.date_ranks = self._date_ranks()
        if self._spill is not None:
            self._spill.flush()
            self._spill_offsets = np.concatenate(([0], self._spill_ends.view()))
        self.finished = True
        _check_ids(self.ids, self.id_hashes)
        self.drop("id_hashes", "date_codes")

    def drop(self, *names: str) -> None:
        """Free per-item arrays that the remaining stages do not read."""
        for name in names:
            setattr(self, name, None)

    def _date_ranks(self) -> np.ndarray:
        """Each item's date as its rank among the distinct dates (str order); -1: no date."""
        ordered = sorted(self._dates, key=self._dates.__getitem__)
        rank = np.empty(len(ordered) + 1, dtype=np.int32)
        rank[:-1] = np.argsort(np.argsort(np.array(ordered, dtype=object), kind="stable"))
        rank[-1] = -1
        self._dates = {}
        return rank[self.date_codes]

    def build_sketches(self, step: int = 4096) -> None:
        """MinHash signatures (64 bytes an item) and title character counts (38 bytes) for
        the screen, built from the store and titles once candidates are found, so they do
        not add to the candidate search's peak."""
        n, offsets, titles = self.size, self.store.offsets, self.titles.offsets
        self.signatures = np.zeros((n, SIGNATURE_BINS), dtype=np.uint16)
        self.title_chars = np.zeros((n, BUCKETS), dtype=np.uint8)
        self.title_lengths = np.zeros(n, dtype=np.int32)
        for lo in range(0, n, step):
            hi = min(lo + step, n)
            values = self.store.values[offsets[lo] : offsets[hi]]
            self.signatures[lo:hi] = signatures(values, np.diff(offsets[lo : hi + 1]))
            data = self.titles.data[titles[lo] : titles[hi]]
            chars, lengths = _profiles(data, np.diff(titles[lo : hi + 1]))
            self.title_chars[lo:hi], self.title_lengths[lo:hi] = chars, lengths

    def normalised_body(self, index: int) -> str:
        """Item `index`'s body in matching form (for the character-level rule)."""
        if self._bodies is not None:
            return normalise_text(self._bodies(index))
        assert self._spill is not None
        start, end = int(self._spill_offsets[index]), int(self._spill_offsets[index + 1])
        self._spill.seek(start)
        return self._spill.read(end - start).decode("utf-8", "replace")

    def release(self) -> None:
        """Drop everything but the ids once matching is done (the result keeps the ids)."""
        self.drop("store", "titles", "signatures", "title_chars", "title_lengths")
        if self._spill is not None:
            self._spill.close()
            self._spill = None


def _check_ids(ids: Sequence[str], hashes: np.ndarray) -> None:
    """Raise on the first item (input order) whose id an earlier item has: ids with equal
    hashes are compared as strings, so a hash collision is no error."""
    order = np.argsort(hashes, kind="stable")
    ranked = hashes[order]
    same = np.flatnonzero(ranked[1:] == ranked[:-1])
    if not len(same):
        return
    suspects = np.unique(np.concatenate((order[same], order[same + 1])))
    seen: set[str] = set()
    for k in suspects.tolist():
        item_id = ids[k]
        if item_id in seen:
            raise ValueError(f"duplicate item_id {item_id!r}: dedupe needs unique item ids")
        seen.add(item_id)
