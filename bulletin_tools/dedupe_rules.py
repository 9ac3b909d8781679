"""Dedupe's verdicts: the rules that call two items the same story (or say why not), and the
row types they fill (verified pairs for audits, oversized blocks)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from rapidfuzz.fuzz import partial_ratio, ratio

from bulletin_tools.dedupe_options import DedupeOptions


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
DIFFERENT_REASONS = {"title_differs", "title_numbers_differ", "body_differs"}
SAME_CODES = [k for k, r in enumerate(REASONS) if r not in DIFFERENT_REASONS]
REASON_CODE = {r: k for k, r in enumerate(REASONS)}


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


_NUMBER_WORD = re.compile(r"\S*\d\S*")


def _title_numbers(title: str) -> list[str]:
    return sorted(_NUMBER_WORD.findall(title))


class TitleLookup(Protocol):
    """Normalised titles by item index (a list, or dedupe's compact title buffer)."""

    def __getitem__(self, index: int) -> str: ...


def decide_all(
    titles: TitleLookup,
    pairs: tuple[np.ndarray, np.ndarray],
    scores: tuple[np.ndarray, ...],
    options: DedupeOptions,
) -> np.ndarray:
    """Reason codes (indices into REASONS) of `decide_pair` for arrays of scores (vectorised;
    the title numbers are compared only for pairs with alike titles)."""
    jac, con, tit, smaller = scores
    big = smaller >= options.min_shingles
    alike = tit >= options.min_title_similarity
    numbers_differ = np.zeros(len(jac), dtype=bool)
    for k in np.flatnonzero(alike & ~((jac >= options.min_jaccard) & big)).tolist():
        x, y = int(pairs[0][k]), int(pairs[1][k])
        numbers_differ[k] = _title_numbers(titles[x]) != _title_numbers(titles[y])
    nonempty = smaller > 0
    code = np.select(
        [
            (jac >= 1.0) & big,
            (jac >= options.min_jaccard) & big,
            alike & numbers_differ,
            alike & (jac >= options.title_jaccard) & nonempty,
            alike & (con >= options.min_containment) & nonempty,
            alike,
            (jac >= options.title_jaccard) | (con >= options.min_containment),
        ],
        [
            REASON_CODE["same_body"],
            REASON_CODE["near_same_body"],
            REASON_CODE["title_numbers_differ"],
            REASON_CODE["similar_body_same_title"],
            REASON_CODE["contained_same_title"],
            REASON_CODE["body_differs"],
            REASON_CODE["title_differs"],
        ],
        default=REASON_CODE["body_differs"],
    )
    return code.astype(np.int8)


def refine_by_text(
    normalised_body: Callable[[int], str],
    pairs: tuple[np.ndarray, np.ndarray],
    codes: np.ndarray,
    scores: tuple[np.ndarray, np.ndarray],
    options: DedupeOptions,
) -> None:
    """Re-check `body_differs` pairs with similar titles and some shared shingles at character
    level (in place): a few typos break many shingles of a short body, not its characters."""
    con, tit = scores
    todo = (codes == REASON_CODE["body_differs"]) & (tit >= options.min_title_similarity)
    todo &= con >= options.min_text_containment
    cutoff = 100.0 * options.min_text_similarity
    for k in np.flatnonzero(todo).tolist():
        x, y = (normalised_body(int(side[k])) for side in pairs)
        x, y = sorted((x, y), key=len)
        if ratio(x, y, score_cutoff=cutoff) or (
            len(x) < 0.9 * len(y) and partial_ratio(x, y, score_cutoff=cutoff)
        ):
            codes[k] = REASON_CODE["similar_text_same_title"]
