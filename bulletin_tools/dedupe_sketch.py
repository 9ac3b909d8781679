"""Vectorised shingling for dedupe: normalised bodies -> sorted sets of 32-bit shingle hashes.

Hashes are computed with numpy on UTF-8 bytes (a polynomial hash per word, then a mix of n
consecutive word hashes), so they do not depend on PYTHONHASHSEED, the platform or input order,
and a million items cost seconds, not minutes. Sets are kept in one compact CSR store.
"""

from __future__ import annotations

from collections.abc import Sequence

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
        size = max(length, 1 << 20)
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
    """Per-item sorted shingle sets in one CSR array: 4 bytes per distinct shingle."""

    def __init__(self) -> None:
        self._chunks: list[np.ndarray] = []
        self._counts: list[np.ndarray] = []
        self.values = np.zeros(0, dtype=np.uint32)
        self.offsets = np.zeros(1, dtype=np.int64)

    def add(self, values: np.ndarray, counts: np.ndarray) -> None:
        self._chunks.append(values)
        self._counts.append(counts)

    def finish(self) -> None:
        """Join the chunks (call once, after the last `add`)."""
        counts = np.concatenate(self._counts) if self._counts else np.zeros(0, dtype=np.int64)
        self.offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self.values = np.concatenate(self._chunks) if self._chunks else self.values
        self._chunks, self._counts = [], []

    @property
    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)

    def get(self, index: int) -> np.ndarray:
        return self.values[self.offsets[index] : self.offsets[index + 1]]

    def bottom_k(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(item index, value) for the k smallest shingle hashes of every item."""
        starts = self.offsets[:-1]
        take = np.minimum(self.sizes, k)
        items = np.repeat(np.arange(len(starts), dtype=np.int64), take)
        within = np.arange(len(items), dtype=np.int64) - np.repeat(np.cumsum(take) - take, take)
        return items, self.values[np.repeat(starts, take) + within]

    def rare_keys(
        self, k: int, pool: int, max_freq: int, include: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(item index, value) blocking keys from the `pool` smallest hashes of included items.

        Each item selects its k rarest hashes that 2..max_freq items share (ties by value); a
        selected hash is a key for every item whose pool holds it, so both sides of a pair meet
        even when only one selected it. Stock phrases (common hashes) and typos (hashes no
        other item has) waste no key, and no block exceeds max_freq items.
        """
        items, values = self.bottom_k(pool)
        keep = include[items]
        items, values = items[keep], values[keep]
        _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
        inverse = inverse.ravel()
        freq = counts[inverse]
        usable = (freq >= 2) & (freq <= max_freq)
        items, values, inverse, freq = items[usable], values[usable], inverse[usable], freq[usable]
        order = np.lexsort((values, freq, items))
        ranked = items[order]
        first = np.concatenate(([True], ranked[1:] != ranked[:-1]))
        rank = np.arange(len(ranked)) - np.flatnonzero(first)[np.cumsum(first) - 1]
        selected = np.zeros(len(counts), dtype=bool)
        selected[inverse[order[rank < k]]] = True
        chosen = selected[inverse]
        return items[chosen], values[chosen]
