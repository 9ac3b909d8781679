"""Find every date expression in a text and resolve it to a calendar interval.

`find_dates` works on any text with an optional anchor date; `extract_dates` streams `Item`s into
`DateMention` rows, anchoring each item on its date line, else a dateline opening its body, else a
year written earlier in the same sentence, else the dump's dated items. A range is one row; a list
gives one row per element, each with its own span ("May 22" and "27"). `timeml_mentions` gives
the same finds in TimeML conventions for benchmarking. Ambiguous numeric dates (03/04/2019) are
read day first by default (`dayfirst=False` reads them month first).

Modules: `dates_patterns` (grammar from the language data), `dates_scan` (trigger pre-scan,
windows, joining), `dates_parse` / `dates_relative` (matches to expressions), `dates_tense`
(tense around a date), `dates_resolve` (calendar arithmetic against an anchor).

>>> [(s.text, str(s.date_start), str(s.date_end), s.kind) for s in find_dates("On May 16-17, 2019")]
[('May 16-17, 2019', '2019-05-16', '2019-05-17', 'range')]
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from ..models import DateMention, Item
from .dates_parse import Expr, Point
from .dates_patterns import Grammar, build_grammar
from .dates_resolve import (
    Anchor,
    Resolved,
    anaphora,
    decade_century,
    lead_shift,
    period_year,
    resolve_absolute,
    resolve_relative,
    same_quarter,
    years_back,
)
from .dates_scan import scan_expressions
from .dates_tense import expr_tense

__all__ = ["DateSpan", "extract_dates", "find_dates", "timeml_mentions"]

DEFAULT_LANGUAGES = ("en",)
DATELINE_REACH = 80  # a body's opening dateline ("NAIROBI, 15 May 2018 -") starts this early
NEARBY_REACH = 300  # how far a written year in the same sentence can anchor a year-less date
QUARTER_REACH = 1500  # "a year ago" reads as the quarter under discussion this far after it


@dataclass(slots=True)
class DateSpan:
    """One resolved date mention of a text (one per list element; one per range)."""

    start: int
    end: int
    text: str
    date_start: date | None
    date_end: date | None
    granularity: str
    kind: str  # date | range | list element | period | relative
    year_source: str  # explicit | item date line | dump dates | nearby text | weekday | unresolved
    partial: str | None = None


def find_dates(
    text: str,
    anchor: date | None = None,
    *,
    dayfirst: bool = True,
    context_year_hint: int | None = None,
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
    anchor_source: str = "item date line",
) -> list[DateSpan]:
    """Date mentions of `text`; year-less and relative ones read against `anchor`.

    `context_year_hint` is a year to fall back on when there is no anchor (e.g. the dump's year).
    """
    g = build_grammar(languages)
    exprs = scan_expressions(text, g, dayfirst)
    if not exprs:
        return []
    fallback = Anchor(None, context_year_hint, "nearby text") if context_year_hint else None
    resolved = _resolve_all(text, exprs, g, Anchor.of(anchor, anchor_source), fallback)
    return [
        span
        for expr, res in zip(exprs, resolved, strict=True)
        for span in _table_rows(text, expr, res)
    ]


def extract_dates(
    items: Iterable[Item],
    *,
    dayfirst: bool = True,
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
    default_anchor: date | None = None,
    relative: bool = True,
) -> Iterator[DateMention]:
    """Stream `DateMention` rows for the titles and bodies of `items`, one source at a time.
    `relative=False` leaves out relative mentions ("today", "last month"): only dates written
    on the calendar."""
    for item, field, text, exprs, res in _resolved_items(
        items, dayfirst, languages, default_anchor
    ):
        for expr, r in zip(exprs, res, strict=True):
            for s in _table_rows(text, expr, r):
                if not relative and s.kind == "relative":
                    continue
                yield DateMention(
                    item.item_id,
                    item.source,
                    item.position,
                    field,
                    s.start,
                    s.end,
                    s.text,
                    _iso(s.date_start),
                    _iso(s.date_end),
                    s.granularity,
                    s.kind,
                    s.year_source,
                    s.partial,
                )


def timeml_mentions(
    items: Iterable[Item],
    *,
    dayfirst: bool = True,
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
    default_anchor: date | None = None,
) -> Iterator[dict[str, object]]:
    """TimeML-style DATE mentions: one per range or list endpoint, with TIMEX3 value strings."""
    for item, field, text, exprs, res in _resolved_items(
        items, dayfirst, languages, default_anchor, timeml=True
    ):
        clock_re = build_grammar(languages).words["clock_re"]
        for expr, rs in zip(exprs, res, strict=True):
            kind = "TIME" if clock_re.search(text, max(0, expr.start - 24), expr.start) else "DATE"
            for i, (p, r) in enumerate(zip(expr.points, rs, strict=True)):
                start = expr.outer_start if i == 0 else p.start
                yield {
                    "item_id": item.item_id,
                    "source": item.source,
                    "position": item.position,
                    "field": field,
                    "start": start,
                    "end": p.end,
                    "text": text[start : p.end],
                    "type": kind,
                    "value": r.value,
                }


def _resolved_items(
    items: Iterable[Item],
    dayfirst: bool,
    languages: tuple[str, ...],
    default_anchor: date | None,
    timeml: bool = False,
) -> Iterator[tuple[Item, str, str, list[Expr], list[list[Resolved]]]]:
    """Scan each source's items once, then resolve them with the source's dates as context."""
    g = build_grammar(languages)
    for _, group in itertools.groupby(items, key=lambda it: it.source):
        scanned = []
        for item in group:
            fields = [(f, t) for f, t in (("title", item.title), ("body", item.body)) if t]
            scanned.append(
                (item, [(f, t, _keep(scan_expressions(t, g, dayfirst), timeml)) for f, t in fields])
            )
        dump = _dump_anchors(scanned, default_anchor)
        for (item, fields), fallback in zip(scanned, dump, strict=True):
            primary = _item_anchor(item, fields)
            for field, text, exprs in fields:
                yield item, field, text, exprs, _resolve_all(text, exprs, g, primary, fallback)


def _keep(exprs: list[Expr], timeml: bool) -> list[Expr]:
    return exprs if timeml else [e for e in exprs if e.table]


def _item_anchor(item: Item, fields: list[tuple[str, str, list[Expr]]]) -> Anchor | None:
    """The item's date line, else an explicit full date opening its body (a dateline)."""
    if item.date:
        try:
            return Anchor.of(date.fromisoformat(item.date[:10]), "item date line")
        except ValueError:
            pass
    for field, _text, exprs in fields:
        if field != "body" or not exprs:
            continue
        first = exprs[0]
        p = first.points[0]
        if first.start <= DATELINE_REACH and p.gran == "day" and p.year is not None:
            return Anchor.of(date(p.year, p.month or 1, p.day or 1), "nearby text")
    return None


def _dump_anchors(
    scanned: list[tuple[Item, list[tuple[str, str, list[Expr]]]]], default_anchor: date | None
) -> list[Anchor | None]:
    """Per item, the nearest dated item of the same dump; without any, the dump's latest year."""
    dated = [
        (i, date.fromisoformat(it.date[:10]))
        for i, (it, _) in enumerate(scanned)
        if it.date and _is_iso(it.date)
    ]
    if dated:  # nearest dated item, the earlier one on a tie: a bisection each, not all pairs
        where = [i for i, _ in dated]
        out = []
        for i in range(len(scanned)):
            j = bisect.bisect_left(where, i)
            near = [dated[k] for k in (j - 1, j) if 0 <= k < len(dated)]
            out.append(
                Anchor.of(min(near, key=lambda d: (abs(d[0] - i), d[0] > i))[1], "dump dates")
            )
        return out
    years = [
        p.year
        for _, fields in scanned
        for _, _, exprs in fields
        for e in exprs
        for p in e.points
        if p.year is not None and p.gran in ("day", "month")
    ]
    if years:
        return [Anchor(None, max(years), "dump dates")] * len(scanned)
    return [Anchor.of(default_anchor, "anchor")] * len(scanned)


def _is_iso(value: str) -> bool:
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def _resolve_all(
    text: str, exprs: list[Expr], g: Grammar, primary: Anchor | None, fallback: Anchor | None
) -> list[list[Resolved]]:
    """Resolve every point of every expression of one field."""
    explicit = [
        (e.start, e.points[-1].year)
        for e in exprs
        if e.points[-1].explicit_year and e.kind == "date"
    ]
    out = []
    quarter: tuple[int, Resolved] | None = None  # the latest quarter the text spoke of
    last: Resolved | None = None  # the latest calendar date, for "that year", "the next day"
    for expr in exprs:
        needs_tense = any(p.year is None for p in expr.points)
        tense = expr_tense(text, expr, g.tense) if needs_tense else None
        if "tense" in expr.meta:  # "last Thanksgiving", "next Christmas"
            tense = expr.meta["tense"] or None
        # the item's date line (or dateline), else a year written in the same sentence ("Throughout
        # 2023, ... in January"), else the dump's dates
        anchor = primary
        if anchor is None and expr.kind != "relative":
            anchor = _nearby_year(text, expr, explicit)
        if anchor is None:
            anchor = fallback
        rel = expr.points[0].rel
        if rel is not None and rel[0].startswith("anaphora_"):
            res = [anaphora(rel[0][9:], rel[1], last)]
        else:
            res = _resolve_points(expr, anchor, tense)
        if expr.kind != "relative" and res[-1].lo is not None:
            last = res[-1]
        near = quarter is not None and expr.start - quarter[0] <= QUARTER_REACH
        if quarter and near and (expr.meta.get("ago") or expr.meta.get("period_of")):
            res = [same_quarter(r, quarter[1]) for r in res]
        if expr.meta.get("years_back"):
            res = [years_back(r, int(expr.meta["years_back"])) for r in res]
        if expr.meta.get("lead"):
            res = [lead_shift(r, expr.meta["lead"]) for r in res]
        if expr.meta.get("pod"):
            for r in res:
                if r.gran == "day" and r.lo is not None:
                    r.value += "T" + expr.meta["pod"]
        if res[-1].gran == "quarter" and res[-1].lo is not None:
            quarter = (expr.end, res[-1])
        out.append(res)
    return out


def _nearby_year(text: str, expr: Expr, explicit: list[tuple[int, int | None]]) -> Anchor | None:
    """A year written earlier in the same sentence, nearest first (within reach): "Throughout
    2023, ... in January". A year after the date mostly belongs to another clause ("met on 4 June
    on the plan approved in 2018")."""
    best = None
    i = bisect.bisect_left(explicit, (expr.start - NEARBY_REACH, -1))
    j = bisect.bisect_left(explicit, (expr.start, -1))
    for pos, year in explicit[i:j]:
        dist = abs(pos - expr.start)
        if year is None or dist > NEARBY_REACH or (best and dist >= best[0]):
            continue
        lo, hi = sorted((pos, expr.start))
        if any(mark in text[lo:hi] for mark in (". ", "\n\n", "! ", "? ")):
            continue
        best = (dist, year)
    return Anchor(None, best[1], "nearby text") if best else None


def _resolve_points(expr: Expr, anchor: Anchor | None, tense: str | None) -> list[Resolved]:
    """Resolve the first point, then keep later year-less points in order after it."""
    out: list[Resolved] = []
    for i, p in enumerate(expr.points):
        if p.rel is not None or p.ref is not None:
            out.append(resolve_relative(p, anchor, tense))
            continue
        if i and p.year is None and out[0].lo is not None:
            p = _with_year(p, out[0].lo.year)
            r = resolve_absolute(p, None, tense)
            if r.lo is not None and r.lo < out[0].lo:
                r = resolve_absolute(_with_year(p, out[0].lo.year + 1), None, tense)
            r.year_source = out[0].year_source
            out.append(r)
        elif p.gran in ("quarter", "half", "season"):
            out.append(period_year(p, anchor, tense))
        elif p.gran == "decade" and p.year is None:
            out.append(decade_century(p, anchor))
        else:
            try:
                out.append(resolve_absolute(p, anchor, tense))
            except ValueError:  # 29 February of a non-leap year
                out.append(resolve_absolute(_with_year(p, None), None, tense))
    return out


def _with_year(p: Point, year: int | None) -> Point:
    return Point(
        p.start,
        p.end,
        year,
        p.month,
        p.day,
        p.gran,
        p.part,
        p.weekday,
        p.rel,
        p.ref,
        year is not None,
    )


def _table_rows(text: str, expr: Expr, res: list[Resolved]) -> Iterator[DateSpan]:
    """One row per list element, one per range or single date."""
    s, e = expr.start, expr.end
    surface = text[s:e]
    if expr.join == "list":  # each element its own span: "May 22" and "27", "4" and "5 June"
        for p, r in zip(expr.points, res, strict=True):
            ps, pe = (s if p is expr.points[0] else p.start), p.end
            yield DateSpan(
                ps, pe, text[ps:pe], r.lo, r.hi, r.gran, "list element", r.year_source, r.partial
            )
        return
    first, last = res[0], res[-1]
    kind = expr.kind if expr.join != "range" or expr.kind == "period" else "range"
    partial = first.partial
    if expr.join == "range" and first.partial:
        partial = f"{first.partial}/{last.partial}"
    gran = first.gran if expr.join == "single" or first.gran == last.gran else "mixed"
    yield DateSpan(s, e, surface, first.lo, last.hi, gran, kind, first.year_source, partial)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
