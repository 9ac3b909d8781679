"""Relative and deictic date expressions: "yesterday", "last month", "two weeks ago", "the
weekend", "that year", "now" (TimeML references), bare weekdays."""

from __future__ import annotations

import re
from typing import Any

from .dates_parse import Expr, Point, _norm
from .dates_patterns import Grammar


def _relative(m: re.Match[str], text: str, g: Grammar) -> Expr | None:
    """ "yesterday", "last month", "this Wednesday", "two weeks ago", "now"."""
    s, e = m.span("rel")
    w = g.words
    if m.group("relday"):
        shift = w["date_relative_days"][m.group("relday").lower()]
        return _pod(m, "pod", g, _rel(s, e, Point(s, e, gran="relative", rel=("day", shift))))
    if m.group("pback"):
        return _period_back(m, s, e, w)
    if m.group("pend"):  # "the end of the month", "year-end": the anchor's month or year
        if m.group("pe_word"):
            unit = w["date_unit_ends"][_norm(m.group("pe_word"))]
        else:
            unit = w["date_units"][m.group("pe_unit").lower()]
        if unit not in ("month", "year"):
            return None
        return _rel(s, e, Point(s, e, gran="relative", rel=(unit, 0)))
    if m.group("tper"):  # "for the year", "the full year": the one under way at the anchor
        unit = w["date_the_periods"][_norm(m.group("tper"))]
        return _rel(s, e, Point(s, e, gran="relative", rel=(unit, 0)), table=False)
    if m.group("shift"):
        shift = w["date_relative_shifts"][m.group("shift").lower()]
        core = m.start("shift")
        if m.group("s_unit"):
            return _shifted_unit(m, text, (core, s, e), shift, w)
        if m.group("s_wd"):
            wd = g.weekdays[m.group("s_wd").rstrip(".").lower()]
            return _rel(
                core, e, Point(core, e, gran="relative", rel=("weekday", shift), weekday=wd), s
            )
        if m.group("s_mon"):
            month = g.months[m.group("s_mon").rstrip(".").lower()]
            return _rel(
                core, e, Point(core, e, month=month, gran="relative", rel=("month_name", shift)), s
            )
        code = w["date_seasons"][m.group("s_season").lower()]
        return _rel(
            core,
            e,
            Point(core, e, gran="relative", part=code, rel=("season", shift)),
            s,
            table=False,
        )
    if m.group("ago"):
        if m.group("nv"):  # "several years ago", "a few weeks ago": some time in the past
            return _rel(s, e, Point(s, e, gran="ref", ref="PAST_REF"), table=False)
        n_txt = m.group("n").lower()
        n = int(n_txt) if n_txt.isdigit() else w["date_number_words"].get(n_txt)
        unit = w["date_units"][m.group("a_unit").lower()]
        if not n:
            return None
        if unit == "decade":  # "a decade ago": the year ten years back
            unit, n = "year", 10 * n
        return _rel(s, e, Point(s, e, gran="relative", rel=(unit, -n)), meta={"ago": "1"})
    if m.group("yago"):  # "year-earlier", "the year-ago quarter": as "a year earlier"
        if _counted_after(text, e, w):
            return None  # "the year-earlier nine months": a duration, no date of its own
        return _rel(s, e, Point(s, e, gran="relative", rel=("year", -1)), meta={"ago": "1"})
    if m.group("ana"):  # "that year", "the following month": read against the date before
        shift = w["date_anaphora"][_anaphor(m, text, w)]
        unit = w["date_units"][m.group("ana_unit").lower()]
        return _rel(s, e, Point(s, e, gran="relative", rel=("anaphora_" + unit, shift)))
    if m.group("tunit"):
        unit = w["date_the_units"][_norm(m.group("tunit"))]
        return _rel(s, e, Point(s, e, gran="relative", rel=("the_" + unit, 0)), table=False)
    if m.group("pref"):  # "the latest quarter", "the latest fiscal year": the last one closed
        unit = w["date_period_refs"][_norm(m.group("pref"))]
        rel = ("last_quarter", 0) if unit == "quarter" else (unit, -1)
        return _rel(s, e, Point(s, e, gran="relative", rel=rel), table=False)
    if m.group("ref"):
        before = text[max(0, s - 12) : s].lower().split()
        if before and before[-1] in w["date_reference_blockers"]:
            return None  # "as soon as", "as recently as": a comparison, no time of its own
        if _norm(m.group("ref")) in w["date_duration_heads"] and _counted_after(text, e, w):
            return None  # "the past two years", "the past few months": a duration
        ref = w["date_reference_words"][_norm(m.group("ref"))]
        table = _norm(m.group("ref")) in w["date_table_reference_words"]
        shifted = _shifted_present(text, s, w) if ref == "PRESENT_REF" else None
        if shifted is not None:  # "the then current price": the present of a past moment
            s, ref = shifted
        return _rel(s, e, Point(s, e, gran="ref", ref=ref), table=table)
    if w["set_after_re"].match(text, e):
        return None  # "on Monday and Tuesday nights": a recurring time, no date
    wd = g.weekdays[m.group("bare_wd").lower()]
    point = Point(s, e, gran="relative", rel=("bare_weekday", 0), weekday=wd)
    return _pod(m, "wpod", g, _rel(s, e, point, table=False))


def _shifted_unit(
    m: re.Match[str], text: str, span: tuple[int, int, int], shift: int, w: dict[str, Any]
) -> Expr | None:
    """ "last week", "next year", "the last decade" (`span`: core start, outer start, end); a
    plural unit is some time ahead after "coming", else a duration ("the past two years")."""
    core, s, e = span
    unit = w["date_units"][m.group("s_unit").lower()]
    plural = m.group("s_unit").lower() != unit
    if plural and shift > 0 and unit != "weekend":  # "in coming months": some time ahead
        return _rel(core, e, Point(core, e, gran="ref", ref="FUTURE_REF"), s, table=False)
    word = m.group("shift").lower()  # "the past" heads durations: "the past decade"
    if plural or (
        unit == "decade" and any(h.split()[-1] == word for h in w["date_duration_heads"])
    ):
        return None  # "the past two years", "the past decade" etc. are durations
    if m.group("s_unit")[0].isupper() and _in_prose(text, s, e):
        return None  # ABC's "This Week": a capitalised unit inside prose is a title
    point = Point(core, e, gran="relative", rel=(unit, shift))
    # "the last decade" is TimeML's "198" but often a span in bulletins: no table row
    return _rel(core, e, point, s, table=unit != "decade")


def _period_back(m: re.Match[str], s: int, e: int, w: dict[str, Any]) -> Expr:
    """ "the corresponding period last year", "the quarter a year ago", "last year's quarter":
    one TIMEX3, the period under discussion a year back. A quarter is the anchor's last one, a
    year back; a "period" reads as "a year ago" does (the quarter spoken of, else the year)."""
    noun = _norm(m.group("pb_noun") or m.group("pb_noun2"))
    if w["date_units"].get(noun) == "quarter":
        point = Point(s, e, gran="relative", rel=("last_quarter", 0))
        return _rel(s, e, point, meta={"years_back": "1"})
    return _rel(s, e, Point(s, e, gran="relative", rel=("year", -1)), meta={"ago": "1"})


_WORD_BEFORE = re.compile(r"(?<![\w'’])([\w'’]+)[ \t\u00a0-]+$")


def _shifted_present(text: str, s: int, w: dict[str, Any]) -> tuple[int, str] | None:
    """A word right before a present reference that moves it ("then current", "then-current"):
    where the mention then starts, and its reference; None without one."""
    m = _WORD_BEFORE.search(text, max(0, s - 16), s)
    if m is None or m.group(1).lower() not in w["date_reference_shifters"]:
        return None
    return m.start(1), w["date_reference_shifters"][m.group(1).lower()]


_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z]{4,}\b")
PROSE_REACH = 60  # characters each side in which a capitalised unit must stand among prose


def _in_prose(text: str, s: int, e: int) -> bool:
    """Two lower-case words of four letters or more on the line around a span: running prose,
    not a Title Case headline ("Talks To Resume Next Week")."""
    lo = max(text.rfind("\n", 0, s) + 1, s - PROSE_REACH)
    nl = text.find("\n", e)
    hi = min(nl if nl >= 0 else len(text), e + PROSE_REACH)
    found = _LOWER_WORD.findall(text, lo, s) + _LOWER_WORD.findall(text, e, hi)
    return len(found) >= 2


_NEXT_WORD = re.compile(r"[ \t\u00a0\n]+([\w'’]+)")


def _counted_after(text: str, e: int, w: dict[str, Any]) -> bool:
    """A count or a unit right after a reference ("the past two years", "the past century"):
    the reference heads a duration, no point of time of its own."""
    m = _NEXT_WORD.match(text, e)
    if m is None:
        return False
    word = m.group(1).lower()
    return (
        word.isdigit()
        or word in w["date_number_words"]
        or word in w["date_spelled_numbers"]
        or word in w["date_spelled_tens"]
        or word in w["date_vague_quantifiers"]
        or word in w["date_units"]
        or word in w["date_century_words"]
    )


def _anaphor(m: re.Match[str], text: str, w: dict[str, Any]) -> str:
    """The anaphora words of an "ana" match, without modifier and unit ("the following")."""
    words = _norm(text[m.start("ana") : m.start("ana_unit")]).split()
    for i in range(len(words)):
        if " ".join(words[i:]) in w["date_anaphora"]:
            return " ".join(words[i:])
    return "that"


def _pod(m: re.Match[str], name: str, g: Grammar, expr: Expr) -> Expr:
    """Note a part of the day written after the day ("Friday night": TimeML "...TNI")."""
    if m.group(name):
        expr.meta["pod"] = g.words["date_day_parts"][m.group(name).lower()]
    return expr


def _rel(
    s: int,
    e: int,
    p: Point,
    outer: int | None = None,
    table: bool = True,
    meta: dict[str, str] | None = None,
) -> Expr:
    return Expr(
        s, e, s if outer is None else outer, [p], kind="relative", table=table, meta=meta or {}
    )
