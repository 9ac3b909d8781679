"""Tense around a date: marker words ("will", "said", "planned to") near it, read by distance
and clause, so a year-less date or a bare weekday can be moved to the past or the future.

The patterns are built with the grammar (`dates_patterns.build_grammar`) from the language data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .dates_parse import Expr

AFTER_PENALTY = 100  # characters: a tense marker after the date counts only without one before
FORM_PENALTY = 60  # characters: a past ending ("trained") yields to a listed marker near it


@dataclass(frozen=True, slots=True)
class TenseRules:
    """The compiled tense patterns of a grammar (see `dates_patterns.build_grammar`)."""

    markers: re.Pattern[str]  # future, weak future and past marker words
    passive: re.Pattern[str]  # an auxiliary making a past form a passive ("is held")
    past_before: re.Pattern[str]  # a past perfect right before a weak sign ("had been due to")
    abbreviations: frozenset[str] = frozenset()  # words whose period ends no sentence ("Mr.")
    possessives: tuple[str, ...] = ()  # suffixes making a name a possessive ("'s")


def tense_near(text: str, s: int, e: int, rules: TenseRules) -> tuple[str | None, bool]:
    """ "past", "future" or "future?" (a weak sign: "would", "planned") from the marker word
    nearest the mention in its sentence, else None; and whether that marker comes after it."""
    lo, hi = max(0, s - 90), min(len(text), e + 50)
    best, best_dist, after = None, 10**9, False
    for m in rules.markers.finditer(text, lo, hi):
        if m.group("past") and rules.passive.search(text, max(0, m.start() - 12), m.start()):
            continue  # "will be held", "to be signed", "is needed": a passive, not a past
        if m.group("weak") and rules.past_before.search(text, max(0, m.start() - 16), m.start()):
            continue  # "had been due to expire Friday": a plan since past; "had been" rules
        gap = text[m.end() : s] if m.end() <= s else text[e : m.start()]
        if _sentence_break(gap, rules.abbreviations):
            continue
        # the verb governing a date mostly comes before it ("decided on Feb. 11 that ... would")
        dist = s - m.end() if m.end() <= s else m.start() - e + AFTER_PENALTY
        if m.group("form"):
            dist += FORM_PENALTY
        if dist < best_dist:
            kind = "future" if m.group("fut") else "future?" if m.group("weak") else "past"
            best, best_dist, after = kind, dist, m.start() >= e
    return best, after


_BREAK = re.compile(r"(?:([\w'’]+)\.|[!?;])[\"”’)]*\s|\n\n")


def _sentence_break(gap: str, abbreviations: frozenset[str]) -> bool:
    """A sentence ends in `gap`: at "!", "?", ";" or a blank line, or at a period after a word
    that is no initial ("P.") or abbreviation ("Mr.", "Inc.", "Sept.")."""
    for m in _BREAK.finditer(gap):
        word = m.group(1)
        if word is None or not (len(word) == 1 or word.lower() in abbreviations):
            return True
    return False


def expr_tense(text: str, expr: Expr, rules: TenseRules) -> str | None:
    """The tense a date is read in. A weak sign ("would", "planned") counts as future; for a bare
    weekday only from before it, and any sign after a weekday only when the weekday opens its
    clause ("On Tuesday, the league will"): mid-clause ("issued a statement Friday saying the
    entry will"), the verb governing it came before, and what follows is another clause."""
    tense, after = tense_near(text, expr.start, expr.end, rules)
    rel = expr.points[0].rel
    bare = rel is not None and rel[0] == "bare_weekday"
    if bare and tense == "future?" and not after and text.startswith(rules.possessives, expr.end):
        return None  # "would get around Wednesday's ruling": a hedge dates no named event
    if not bare or not after:
        return "future" if tense == "future?" else tense
    if tense == "future?" or not _opens_clause(text, expr.outer_start):
        return None
    return tense


_CLAUSE_HEAD = re.compile(r"(?:^|[.!?;:\n\"“(]\s*|--\s*)(?:[\w'’]+\s+)?$")


def _opens_clause(text: str, start: int) -> bool:
    """True when at most one word ("On", "Also") lies between a clause start and `start`."""
    return _CLAUSE_HEAD.search(text, max(0, start - 24), start) is not None
