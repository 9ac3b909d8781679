"""Dedupe's input side: items added one at a time, kept only in the compact form matching needs.

Per item the index keeps its id and normalised title (UTF-8 buffers), its sorted 32-bit shingle
hashes (CSR store, 4 bytes a shingle), a 64-byte MinHash signature, 38 bytes of title character
counts, two 8-byte keys, its body length and the rank of its date: about 0.6x the items' text on
news items, never the `Item` itself. Bodies are needed again only by the `similar_text` rule for
the few pairs it re-checks: they come from a caller's lookup (the items list) or from a
temporary file of normalised bodies written while adding (streamed input).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable

import numpy as np

from bulletin_tools.dedupe_options import DedupeOptions
from bulletin_tools.dedupe_sketch import SIGNATURE_BINS, ShingleStore, shingle_batch, signatures
from bulletin_tools.models import Item
from bulletin_tools.textnorm import normalise_bytes, normalise_text

__all__ = ["DedupeIndex", "StringBuffer", "title_profiles"]


class StringBuffer:
    """Strings as one UTF-8 buffer with offsets (a third of the memory of a list of str at a
    million items); `buffer[i]` and `buffer.strings(indices)` decode on demand."""

    def __init__(self, errors: str = "replace") -> None:
        self._errors = errors
        self._chunks: list[bytes] = []
        self._lengths: list[np.ndarray] = []
        self._data = b""
        self.offsets = np.zeros(1, dtype=np.int64)

    def add(self, encoded: list[bytes]) -> None:
        self._chunks.append(b"".join(encoded))
        self._lengths.append(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)))

    def finish(self) -> None:
        lengths = np.concatenate([np.zeros(1, np.int64), *self._lengths])
        self.offsets = np.cumsum(lengths)
        self._data, self._chunks, self._lengths = b"".join(self._chunks), [], []

    def __len__(self) -> int:
        return len(self.offsets) - 1

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
    bucket = _BUCKET_OF[np.frombuffer(b"".join(title_bytes), dtype=np.uint8)]
    owner = np.repeat(np.arange(len(title_bytes), dtype=np.int64), lengths)
    char = bucket < BUCKETS
    owner = owner[char]
    hist = np.bincount(owner * BUCKETS + bucket[char], minlength=len(title_bytes) * BUCKETS)
    chars = np.bincount(owner, minlength=len(title_bytes))
    return np.minimum(hist, 255).astype(np.uint8).reshape(-1, BUCKETS), chars


_ARRAYS = (  # per-item arrays: (name, dtype)
    ("title_keys", np.int64),  # 0: no title
    ("exact_keys", np.int64),
    ("blank", bool),  # neither title nor body: never an exact copy
    ("signatures", np.uint16),  # (items, SIGNATURE_BINS) one-permutation MinHash
    ("title_chars", np.uint8),  # (items, BUCKETS) character counts of normalised titles
    ("title_lengths", np.int32),  # characters in the normalised titles
    ("body_lengths", np.int64),  # characters in the bodies (canonical choice)
    ("date_codes", np.int32),  # order of first appearance of the date; -1: no date
    ("id_hashes", np.int64),  # to find repeated ids without a set of a million str
)


class DedupeIndex:
    """Add items (`add`, `extend`), then `finish()`; `dedupe.cluster_index` does the rest.

    `capacity` is an upper estimate of the number of shingles (about half the text's bytes):
    reserved address space, so the store never grows by copying. `bodies(i)` returns item i's
    body for the `similar_text` rule; without it normalised bodies are spilled to a temporary
    file. Keys are Python hashes of the normalised bytes: only their equality within this run
    is used, so no output depends on PYTHONHASHSEED.
    """

    def __init__(
        self,
        options: DedupeOptions | None = None,
        *,
        capacity: int = 0,
        bodies: Callable[[int], str] | None = None,
    ) -> None:
        self.options = options or DedupeOptions()
        self.store = ShingleStore(0, capacity)
        self.titles, self.ids = StringBuffer(), StringBuffer("surrogatepass")
        self._bodies = bodies
        spill = None if bodies else tempfile.TemporaryFile(prefix="bulletin-dedupe-")  # noqa: SIM115
        self._spill = spill  # closed by release()
        self._spill_lengths: list[np.ndarray] = []
        self._spill_offsets = np.zeros(1, dtype=np.int64)
        self._parts: dict[str, list[np.ndarray]] = {name: [] for name, _ in _ARRAYS}
        self._dates: dict[str, int] = {}
        self._batch: list[Item] = []
        self.size = 0
        self.finished = False

    def add(self, item: Item) -> None:
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
        self.ids.add([it.item_id.encode("utf-8", "surrogatepass") for it in batch])
        values, counts = shingle_batch(bodies, self.options.shingle_size)
        self.store.add(values, counts)
        chars, lengths = title_profiles(title_bytes)
        dates = self._dates
        columns = {
            "title_keys": [hash(t) or 1 if t else 0 for t in title_bytes],
            "exact_keys": list(map(hash, zip(title_bytes, bodies, strict=True))),
            "blank": [not (t or b) for t, b in zip(title_bytes, bodies, strict=True)],
            "signatures": signatures(values, counts),
            "title_chars": chars,
            "title_lengths": lengths,
            "body_lengths": [len(it.body) for it in batch],
            "date_codes": [
                -1 if it.date is None else dates.setdefault(it.date, len(dates)) for it in batch
            ],
            "id_hashes": [hash(it.item_id) for it in batch],
        }
        for name, dtype in _ARRAYS:
            self._parts[name].append(np.asarray(columns[name], dtype=dtype))
        if self._spill is not None:
            self._spill.write(b"".join(bodies))
            self._spill_lengths.append(np.fromiter(map(len, bodies), np.int64, len(bodies)))
        self.size += len(batch)

    def finish(self) -> None:
        """Flush the last batch and pack the per-item arrays (one at a time, so packing needs
        at most one array's size again); raises ValueError on a repeated item id."""
        if self.finished:
            return
        self._flush()
        self.store.finish()
        self.titles.finish()
        self.ids.finish()
        for name, dtype in _ARRAYS:
            parts = self._parts.pop(name)
            empty = np.zeros((0, SIGNATURE_BINS) if name == "signatures" else 0, dtype=dtype)
            setattr(self, name, np.concatenate(parts) if parts else empty)
            del parts
        if not len(self.title_chars):
            self.title_chars = np.zeros((0, BUCKETS), dtype=np.uint8)
        self.date_ranks = self._date_ranks()
        if self._spill is not None:
            self._spill.flush()
            self._spill_offsets = np.cumsum(np.concatenate([[0], *self._spill_lengths]))
            self._spill_lengths = []
        self.finished = True
        _check_ids(self.ids, self.id_hashes)

    def _date_ranks(self) -> np.ndarray:
        """Each item's date as its rank among the distinct dates (str order); -1: no date."""
        ordered = sorted(self._dates, key=self._dates.__getitem__)
        rank = np.empty(len(ordered) + 1, dtype=np.int32)
        rank[:-1] = np.argsort(np.argsort(np.array(ordered, dtype=object), kind="stable"))
        rank[-1] = -1
        self._dates = {}
        return rank[self.date_codes]

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
        for name in ("store", "titles", "signatures", "title_chars", "exact_keys", "title_keys"):
            setattr(self, name, None)
        if self._spill is not None:
            self._spill.close()
            self._spill = None


def _check_ids(ids: StringBuffer, hashes: np.ndarray) -> None:
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
