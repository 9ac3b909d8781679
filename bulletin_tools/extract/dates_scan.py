"""Scanning a text for date expressions: a cheap pre-scan for trigger words, the full pattern only
in windows around them, and neighbouring matches joined by range and list words ("from 31 August
to 2 September", "4 and 5 June").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .dates_parse import (
    Expr,
    Point,
    _day_month,
    _month_year,
    _norm,
    _numeric,
    _period,
    _year,
)
from .dates_patterns import WINDOW_BACK, WINDOW_TAIL, Grammar, year_value
from .dates_relative import _relative

MAX_JOINED = 4  # atoms joined into one expression; bounds the work per match
WINDOW_SAFE = 8  # a match ending this close to its window's end is redone on the whole text


def scan_expressions(text: str, g: Grammar, dayfirst: bool = True) -> list[Expr]:
    """Every date expression of `text`, in order, spans as Python str offsets.

    The full pattern only runs around trigger words (digits, month and weekday names, units,
    relative words), and only at the word starts from a trigger's lead-in words ("the end of",
    "next") to the trigger: the same matches as one search over the whole text, since every match
    holds a trigger and starts at its lead-in, at a fraction of the cost.
    """
    out: list[Expr] = []
    n = len(text)
    pos = 0
    match = g.scan.match
    lead = g.words["lead_words"]
    for ws, we, starts in _windows(g.trigger.finditer(text), n):
        for t in starts:
            if t < pos:
                continue  # inside the expression just taken
            # a match starts at most WINDOW_BACK before its first trigger: bounded work per trigger
            lo = _lead_start(text, t, max(ws, t - WINDOW_BACK), lead)
            m = _first_match(text, max(pos, lo), t, we, match)
            if m is not None and we < n and m.end() + WINDOW_SAFE > we:
                m = match(text, m.start())  # may be cut by the window: redo in full
            if m is not None:
                pos = _take(m, text, g, dayfirst, out, pos)
    return out


_WORD_START = re.compile(r"\b\w")


def _first_match(
    text: str, lo: int, hi: int, we: int, match: Callable[[str, int, int], re.Match[str] | None]
) -> re.Match[str] | None:
    """The leftmost match starting at a word start in [lo, hi] (`hi` starts a trigger, so a
    word) and ending by `we`."""
    if lo == hi:  # no lead-in words: the common case, one attempt
        return match(text, hi, we)
    for w in _WORD_START.finditer(text, lo, hi + 1):
        m = match(text, w.start(), we)
        if m is not None:
            return m
    return None


def _windows(triggers: Iterator[re.Match[str]], n: int) -> Iterator[tuple[int, int, list[int]]]:
    """Merged [start, end) windows reaching WINDOW_BACK before and WINDOW_TAIL after triggers,
    with the starts of their triggers."""
    ws = we = -1
    starts: list[int] = []
    for t in triggers:
        s = t.start()
        if s - WINDOW_BACK <= we:
            we = t.end() + WINDOW_TAIL
            starts.append(s)
            continue
        if starts:
            yield max(ws, 0), min(we, n), starts
        ws, we, starts = s - WINDOW_BACK, t.end() + WINDOW_TAIL, [s]
    if starts:
        yield max(ws, 0), min(we, n), starts


_SEPARATORS = frozenset(" \t\u00a0\n,-\u2010\u2011\u2012\u2013\u2014\u2015")


def _lead_start(text: str, i: int, lo: int, lead: frozenset[str]) -> int:
    """Where a match holding the trigger at `i` can start: back over the lead-in words before it
    ("the end of", "next", "the first fiscal"), not before `lo`. Saves trying the big pattern at
    every word of the window."""
    if i > lo and (text[i - 1].isalnum() or text[i - 1] in "'’"):
        return lo  # the trigger follows an apostrophe ("'80s"): look from the window start
    start = i
    while start > lo:
        j = start
        while j > lo and text[j - 1] in _SEPARATORS:
            j -= 1
        k = j
        while k > lo and (text[k - 1].isalpha() or text[k - 1] in "'’"):
            k -= 1
        if k == j or text[k:j].lower() not in lead:
            return start
        start = k
    return lo


def _take(
    m: re.Match[str], text: str, g: Grammar, dayfirst: bool, out: list[Expr], pos: int
) -> int:
    """Turn one match into an expression (joined with its neighbours); the next scan position."""
    expr = _expr_from_match(m, text, g, dayfirst)
    pos = m.end() if m.end() > m.start() else m.start() + 1
    if expr is None or g.words["set_re"].search(text, max(0, expr.start - 12), expr.start):
        return pos  # none, or a recurring set ("each Thursday", "every July")
    if expr.kind == "relative" and _named_by_date_after(text, expr, g, dayfirst):
        return pos  # "the weekend of 10-11 April": the date after it is the mention
    expr.opener = bool(g.words["opener_re"].search(text, max(0, expr.start - 12), expr.start))
    if expr.opener and expr.join == "list" and len(expr.points) == 2:
        expr.join = expr.kind = "range"  # "between 1 and 15 March": two ends, not two days
    joined = 0
    while joined < MAX_JOINED and expr.kind != "relative":
        nxt = _joined_next(text, expr, g, dayfirst)
        if nxt is None:
            break
        expr = nxt
        joined += 1
    if expr.join == "single" and expr.points[0].gran not in ("month", "year"):
        _lead_shift(text, expr, g)  # "the week of March 6" ("the first week of June": June)
    out.append(expr)
    return max(pos, expr.end)


def _named_by_date_after(text: str, expr: Expr, g: Grammar, dayfirst: bool) -> bool:
    """Is a relative expression followed by "of" and a day ("the weekend of 10 April")?"""
    of = g.words["of_date_re"].match(text, expr.end)
    if of is None:
        return False
    m = g.scan.match(text, of.end())
    after = m and _expr_from_match(m, text, g, dayfirst)
    return bool(after) and after.kind != "relative" and after.points[0].gran == "day"


def _lead_shift(text: str, expr: Expr, g: Grammar) -> None:
    """Take in a lead-in that moves a day ("the day before", "the week of"): the span grows to
    it and `meta["lead"]` says how to move the resolved day ("-1", "+1", "week")."""
    lead = g.words["lead_shift_re"].search(text, max(0, expr.outer_start - 24), expr.outer_start)
    if lead is None:
        return
    expr.meta["lead"] = g.words["date_lead_shifts"][_norm(lead.group("lead"))]
    expr.start = expr.outer_start = lead.start()


def _joined_next(text: str, left: Expr, g: Grammar, dayfirst: bool) -> Expr | None:
    """`left` extended by a range/list word and a compatible expression, or None."""
    c = g.conj.match(text, left.end)
    if c is None:
        return None
    m = g.scan.match(text, c.end())
    if m is None:
        return None
    right = _expr_from_match(m, text, g, dayfirst)
    if right is None or right.kind == "relative" or not _compatible(left, right):
        return None
    is_range = c.group("c_list") is None
    join = "list" if not is_range and not left.opener else "range"
    if left.join == "range" or (left.join == "list" and join == "range"):
        return None
    points = left.points + right.points
    _share_year(points)
    return Expr(
        left.start,
        right.end,
        left.outer_start,
        points,
        join,
        "range" if join == "range" else "date",
        True,
        left.opener,
        left.meta,
    )


def _compatible(left: Expr, right: Expr) -> bool:
    """Join only like with like: days with days, months with months, years with years."""
    a, b = left.points[-1], right.points[0]
    return a.gran == b.gran and a.gran in ("day", "month", "year")


def _share_year(points: list[Point]) -> None:
    """Carry an explicit year leftwards to year-less points ("January and June 2019")."""
    year = None
    for p in reversed(points):
        if p.year is not None:
            year = p.year
        elif year is not None:
            p.year = year - (
                1 if p.month and points[-1].month and p.month > points[-1].month else 0
            )
            p.explicit_year = True


def _holiday(m: re.Match[str], g: Grammar) -> Expr:
    """A named day: fixed ("Christmas", "12-25") or by rule ("Thanksgiving", "11-TH-4")."""
    s, e = m.span("hol")
    rule = g.words["date_holidays"][_norm(m.group("holiday"))]
    month = int(rule[:2])
    day = int(rule[3:]) if rule[3:].isdigit() else None
    year = year_value(m.group("h_year"), g.words) if m.group("h_year") else None
    point = Point(
        s, e, year, month, day, part=None if day else rule, explicit_year=year is not None
    )
    meta = {}
    if m.group("h_shift"):
        shift = g.words["date_relative_shifts"][m.group("h_shift").lower()]
        meta = {"tense": "past" if shift < 0 else "future" if shift > 0 else ""}
    return Expr(s, e, s, [point], meta=meta)


def _expr_from_match(m: re.Match[str], text: str, g: Grammar, dayfirst: bool) -> Expr | None:
    """Dispatch on the matched alternative."""
    kind = m.lastgroup
    if kind in ("iso", "num"):
        return _numeric(m, dayfirst)
    if kind in ("dmy", "mdy"):
        return _day_month(m, text, g, kind[0])
    if kind == "period":
        return _period(m, g)
    if kind == "my":
        return _month_year(m, text, g)
    if kind == "dec":
        if m.group("decade2"):  # "the '80s": the century comes with the anchor
            s, e = m.span("decade2")
            point = Point(s, e, gran="decade", part=int(m.group("decade2")[1:3]))
            return Expr(s, e, m.start(), [point], kind="period")
        if m.group("decade"):
            s, e = m.span("decade")
            decade = int(m.group("decade")[:4])
        else:
            s, e = m.start("dec"), m.end()
            decade = int(g.words["date_decade_words"][m.group("decade_w").lower()])
        point = Point(s, e, decade, gran="decade", explicit_year=True)
        return Expr(s, e, m.start(), [point], kind="period")
    if kind == "century":
        s, e = m.span("century")
        n = int(m.group("cent_n"))
        if n < 1:
            return None
        point = Point(s, e, (n - 1) * 100, gran="century", explicit_year=True)
        return Expr(s, e, s, [point], kind="period")
    if kind == "hol":
        return _holiday(m, g)
    if kind == "yr":
        return _year(m, text, g)
    if kind == "rel":
        return _relative(m, text, g)
    return None
