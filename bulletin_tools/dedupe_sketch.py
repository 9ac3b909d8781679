"""Vectorised shingling for dedupe: normalised bodies -> sorted sets of 32-bit shingle hashes.

Hashes are computed with numpy on UTF-8 bytes (a polynomial hash per word, then a mix of n
consecutive word hashes), so they do not depend on PYTHONHASHSEED, the platform or input order,
and a million items cost seconds, not minutes. Sets are kept in one compact CSR store.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

__all__ = ["ShingleStore", "shingle_batch"]

_U64 = np.uint64
_BASE = 0x100000001B3  # odd, so invertible modulo 2**64
_BASE_INV = pow(_BASE, -1, 1 << 64)
_POSITION_MULTIPLIERS = (
    0x9E3779B97F4A7C15,
    0xC2B2AE3D27D4EB4F,
    0x165667B19E3779F9,
    0xD6E8FEB86659FD93,
    0xFF51AFD7ED558CCD,
    0xC4CEB9FE1A85EC53,
)
_powers_cache: list[np.ndarray] = []


def _powers(length: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i modulo 2**64 for i < length, grown on demand and reused."""
    if not _powers_cache or len(_powers_cache[0]) < length:
        size = max(length, 1 << 18)
        with np.errstate(over="ignore"):
            pw = np.cumprod(np.full(size, _BASE, dtype=_U64), dtype=_U64)
            ipw = np.cumprod(np.full(size, _BASE_INV, dtype=_U64), dtype=_U64)
        pw[1:], pw[0] = pw[:-1].copy(), 1
        ipw[1:], ipw[0] = ipw[:-1].copy(), 1
        _powers_cache[:] = [pw, ipw]
    return _powers_cache[0], _powers_cache[1]


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads every input bit over the output (in place, uint64)."""
    with np.errstate(over="ignore"):
        h ^= h >> _U64(30)
        h *= _U64(0xBF58476D1CE4E5B9)
        h ^= h >> _U64(27)
        h *= _U64(0x94D049BB133111EB)
        h ^= h >> _U64(31)
    return h


def _word_hashes(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Start offsets and 64-bit hashes of the space-separated words of `data`."""
    arr = np.frombuffer(data, dtype=np.uint8)
    is_word = np.concatenate(([False], arr != 0x20, [False])).view(np.int8)
    edges = np.diff(is_word)
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    pw, ipw = _powers(len(arr) + 1)
    prefix = np.zeros(len(arr) + 1, dtype=_U64)
    with np.errstate(over="ignore"):
        np.cumsum(arr.astype(_U64) * pw[: len(arr)], out=prefix[1:])
        hashes = (prefix[ends] - prefix[starts]) * ipw[starts]
    return starts, _mix(hashes)


def shingle_batch(bodies: Sequence[bytes], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique 32-bit hashes of word n-grams per body, as (values, counts per body).

    A body with fewer than n words (but at least one) gets one shingle of all its words.
    """
    if not 1 <= n <= len(_POSITION_MULTIPLIERS):
        raise ValueError(f"shingle size must be 1..{len(_POSITION_MULTIPLIERS)}, got {n}")
    lengths = np.fromiter((len(b) + 1 for b in bodies), dtype=np.int64, count=len(bodies))
    body_starts = np.cumsum(lengths) - lengths
    word_starts, words = _word_hashes(b" ".join(bodies))
    word_item = np.searchsorted(body_starts, word_starts, side="right") - 1
    n_words = np.bincount(word_item, minlength=len(bodies))
    total = len(words) - n + 1
    shingles = np.zeros(max(total, 0), dtype=_U64)
    with np.errstate(over="ignore"):
        for k in range(n):
            shingles += words[k : k + total] * _U64(_POSITION_MULTIPLIERS[k])
    owner = word_item[: max(total, 0)]
    keep = owner == word_item[n - 1 :] if total > 0 else np.zeros(0, dtype=bool)
    shingles, owner = shingles[keep], owner[keep]
    short = np.flatnonzero((n_words > 0) & (n_words < n))
    if len(short):
        first_word = np.cumsum(n_words) - n_words
        extra = np.zeros(len(short), dtype=_U64)
        with np.errstate(over="ignore"):
            for k in range(n - 1):
                has = n_words[short] > k
                pos = np.minimum(first_word[short] + k, len(words) - 1)
                extra += np.where(has, words[pos] * _U64(_POSITION_MULTIPLIERS[k]), _U64(0))
        shingles = np.concatenate((shingles, extra))
        owner = np.concatenate((owner, short))
    keys = (owner.astype(_U64) << _U64(32)) | (_mix(shingles) >> _U64(32))
    keys.sort()
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys
    counts = np.bincount((keys >> _U64(32)).astype(np.int64), minlength=len(bodies))
    return (keys & _U64(0xFFFFFFFF)).astype(np.uint32), counts


class ShingleStore:
    """Per-item sorted shingle sets in one CSR array: 4 bytes per distinct shingle.

    Batches are written in place into one array reserved up front (`capacity` values, e.g. an
    upper estimate of the number of words): pages never written are never resident, so an
    overestimate costs address space, not memory. A batch that does not fit grows the array
    (a copy: give a capacity when the input is large). Items may come in any number.
    """

    def __init__(self, n_items: int = 0, capacity: int = 0) -> None:
        self.values = _reserve(max(capacity, 1024))
        self.offsets = np.zeros(max(n_items, 1024) + 1, dtype=np.int64)
        self._items = 0

    def add(self, values: np.ndarray, counts: np.ndarray) -> None:
        lo, hi = self._items, self._items + len(counts)
        if hi + 1 > len(self.offsets):
            grown = np.zeros(max(hi + 1, 2 * len(self.offsets)), dtype=np.int64)
            grown[: lo + 1] = self.offsets[: lo + 1]
            self.offsets = grown
        start = int(self.offsets[lo])
        end = start + len(values)
        if end > len(self.values):
            grown = _reserve(max(end, len(self.values) * 3 // 2))
            grown[:start] = self.values[:start]
            self.values = grown
        self.values[start:end] = values
        np.cumsum(counts, out=self.offsets[lo + 1 : hi + 1])
        self.offsets[lo + 1 : hi + 1] += start
        self._items = hi

    def finish(self) -> None:
        """Drop the unused tails of the reservations (call once, after the last `add`)."""
        self.offsets = self.offsets[: self._items + 1].copy()
        self.values = self.values[: self.offsets[self._items]]

    @property
    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)

    def get(self, index: int) -> np.ndarray:
        return self.values[self.offsets[index] : self.offsets[index + 1]]

    def bottom_k(self, k: int, include: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(values, counts): the k smallest shingle hashes of every (included) item, in item
        order, ascending within an item, and how many each item has."""
        take = np.minimum(self.sizes, k)
        if include is not None:
            take[~include] = 0
        out = np.empty(int(take.sum()), dtype=np.uint32)
        heads = np.concatenate(([0], np.cumsum(take)))
        step = 1 << 16  # items per gather: the int64 positions stay small
        for lo in range(0, len(take), step):
            hi = min(lo + step, len(take))
            positions = _ranges(self.offsets[lo:hi], take[lo:hi])
            out[heads[lo] : heads[hi]] = self.values[positions]
        return out, take

    def rare_keys(
        self, k: int, pool: int, max_freq: int, include: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(item index, value) blocking keys from the `pool` smallest hashes of included items,
        sorted by value, then item.

        Each item selects its k rarest hashes that 2..max_freq items share (ties by value); a
        selected hash is a key for every item whose pool holds it, so both sides of a pair meet
        even when only one selected it. Stock phrases (common hashes) and typos (hashes no
        other item has) waste no key, and no block exceeds max_freq items.

        Memory: about 8 bytes per pool entry, plus sorts over slices of the value range and
        over the usable entries (a quarter of them on news text).
        """
        values, take = self.bottom_k(pool, include)
        freq = _frequencies(values, min(max_freq + 1, 255))
        u_item, u_freq, u_value = _usable(values, freq, take, max_freq)
        del values, freq
        chosen = _rank_within_items(u_item, u_freq, u_value, k, len(take))
        del u_freq
        key = np.empty(len(u_value), dtype=_U64)
        for lo, hi in _chunks(len(key)):
            key[lo:hi] = (u_value[lo:hi].astype(_U64) << _U64(32)) | u_item[lo:hi].astype(_U64)
        del u_item, u_value
        key.sort()  # by value, then item: the order blocks need; membership below is cheap
        chosen.sort()
        keep = np.zeros(len(key), dtype=bool)
        for lo, hi in _chunks(len(key) if len(chosen) else 0):
            value = (key[lo:hi] >> _U64(32)).astype(np.uint32)
            at = np.minimum(np.searchsorted(chosen, value), len(chosen) - 1)
            keep[lo:hi] = chosen[at] == value
        key = key[keep]
        del keep
        return (key & _U64(0xFFFFFFFF)).astype(np.int64), (key >> _U64(32)).astype(np.uint32)


_CHUNK = 1 << 20  # entries per step of the element-wise loops (bounds their temporaries)


def _chunks(total: int) -> Iterator[tuple[int, int]]:
    return ((lo, min(lo + _CHUNK, total)) for lo in range(0, total, _CHUNK))


def _usable(
    values: np.ndarray, freq: np.ndarray, take: np.ndarray, max_freq: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(item, freq, value) of the pool entries that 2..max_freq entries share, in pool order;
    built a chunk at a time (items as int32 when they fit)."""

    def usable(lo: int, hi: int) -> np.ndarray:
        return (freq[lo:hi] >= 2) & (freq[lo:hi] <= max_freq)

    count = sum(int(np.count_nonzero(usable(lo, hi))) for lo, hi in _chunks(len(values)))
    ends = np.cumsum(take)  # pool entries are in item order: an entry's item from these
    small = np.int32 if len(take) < 2**31 else np.int64
    item, u_freq, value = (
        np.empty(count, small),
        np.empty(count, np.uint8),
        np.empty(count, np.uint32),
    )
    at = 0
    for lo, hi in _chunks(len(values)):
        where = np.flatnonzero(usable(lo, hi)) + lo
        end = at + len(where)
        item[at:end] = np.searchsorted(ends, where, side="right")
        u_freq[at:end], value[at:end] = freq[where], values[where]
        at = end
    return item, u_freq, value


def _reserve(capacity: int) -> np.ndarray:
    """An uninitialised uint32 array; a reservation the system refuses is halved until it fits
    (the store then grows by copying)."""
    while True:
        try:
            return np.empty(capacity, dtype=np.uint32)
        except MemoryError:
            if capacity <= 1 << 20:
                raise
            capacity //= 2


_PART = 1 << 20  # pool entries per frequency-counting slice (about)


def _frequencies(values: np.ndarray, cap: int) -> np.ndarray:
    """How many entries hold each entry's value (capped at `cap`, uint8), counted over slices
    of the 32-bit value range so each sort stays small (~24 bytes per entry of a slice)."""
    freq = np.zeros(len(values), dtype=np.uint8)
    bits = min((len(values) // _PART).bit_length(), 16)
    for part in range(1 << bits):
        where = _in_slice(values, part, bits)
        keyed = (values[where].astype(_U64) << _U64(32)) | np.arange(len(where), dtype=_U64)
        keyed.sort()
        first = _first_of_runs(keyed >> _U64(32))
        runs = np.diff(np.append(np.flatnonzero(first), len(keyed)))
        del first
        counts = np.repeat(np.minimum(runs, cap).astype(np.uint8), runs)
        np.bitwise_and(keyed, _U64(0xFFFFFFFF), out=keyed)
        freq[where[keyed.view(np.int64)]] = counts
    return freq


def _in_slice(values: np.ndarray, part: int, bits: int) -> np.ndarray:
    """Positions of the values whose top `bits` bits are `part`, found a chunk at a time (no
    full-size temporaries)."""
    if not bits:
        return np.arange(len(values))
    shift = np.uint32(32 - bits)
    found = [
        np.flatnonzero((values[lo:hi] >> shift) == part) + lo for lo, hi in _chunks(len(values))
    ]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _rank_within_items(
    item: np.ndarray, freq: np.ndarray, value: np.ndarray, k: int, n_items: int
) -> np.ndarray:
    """Values of each item's k entries with the smallest (freq, value), in item order.

    Entries come grouped by item (pool order), so items are ranked a chunk of whole items at a
    time: the sort's work arrays stay small however many entries there are."""
    fbits, ibits = int(freq.max(initial=1)).bit_length(), max(n_items, 1).bit_length()
    chosen, lo = [], 0
    while lo < len(item):
        hi = min(lo + _CHUNK, len(item))
        hi = int(np.searchsorted(item, item[hi - 1], side="right"))  # the last item whole
        chosen.append(_rank_chunk(item[lo:hi], freq[lo:hi], value[lo:hi], k, (fbits, ibits)))
        lo = hi
    return np.concatenate(chosen) if chosen else value[:0]


def _rank_chunk(
    item: np.ndarray, freq: np.ndarray, value: np.ndarray, k: int, bits: tuple[int, int]
) -> np.ndarray:
    fbits, ibits = bits
    if ibits + fbits + 32 <= 64:  # one composite uint64 sort, no index arrays
        comp = item.astype(_U64) << _U64(fbits + 32)
        comp |= freq.astype(_U64) << _U64(32)
        comp |= value
        comp.sort()
        ranked, values = comp >> _U64(fbits + 32), (comp & _U64(0xFFFFFFFF)).astype(np.uint32)
    else:
        order = np.lexsort((value, freq, item))
        ranked, values = item[order], value[order]
    first = _first_of_runs(ranked)
    # An entry is among its item's k first when its item's first entry is at most k - 1
    # entries back: an OR of k shifted flags, with no int64 rank arrays.
    within = first.copy()
    for shift in range(1, min(k, len(first))):
        within[shift:] |= first[:-shift]
    return values[within]


def _first_of_runs(sorted_array: np.ndarray) -> np.ndarray:
    """True where a sorted array starts a run of equal values."""
    first = np.ones(len(sorted_array), dtype=bool)
    if len(sorted_array) > 1:
        np.not_equal(sorted_array[1:], sorted_array[:-1], out=first[1:])
    return first


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated aranges start[i] .. start[i] + lengths[i] (int64 positions)."""
    total = int(lengths.sum())
    out = np.ones(total, dtype=np.int64)
    nonzero = lengths > 0
    heads = np.cumsum(lengths) - lengths
    s, h = starts[nonzero], heads[nonzero]
    if len(s):
        out[h[0]] = s[0]
        prev_end = (s + lengths[nonzero] - 1)[:-1]
        out[h[1:]] = s[1:] - prev_end
    return np.cumsum(out)


SIGNATURE_BINS = 32  # hash ranges of a one-permutation MinHash signature (a power of two)


def signatures(values: np.ndarray, counts: np.ndarray, bins: int = SIGNATURE_BINS) -> np.ndarray:
    """One-permutation MinHash of each item's sorted shingle set: the smallest hash in each of
    `bins` equal hash ranges, 15 bits of it kept with the top bit set (0: empty range).

    Sets are sorted, so a range's smallest hash is its first: no sort, no minimum.at.
    """
    if bins & (bins - 1):
        raise ValueError(f"bins must be a power of two, got {bins}")
    sig = np.zeros((len(counts), bins), dtype=np.uint16)
    if not len(values):
        return sig
    shift = np.uint32(32 - (bins.bit_length() - 1))
    cell = np.repeat(np.arange(len(counts), dtype=np.int64) * bins, counts)
    cell += values >> shift
    first = _first_of_runs(cell)
    sig.ravel()[cell[first]] = (values[first] & np.uint32(0x7FFF)).astype(np.uint16) | 0x8000
    return sig
