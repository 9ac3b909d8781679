"""Calendar arithmetic: turn parsed points into real intervals given an anchor date.

Cheap `datetime` arithmetic only. A year-less date takes the year nearest its anchor, moved to
the past or the future when the sentence's tense says so; a written weekday can settle the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .dates_parse import Point, _month_days

SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}
DAY_SLACK = timedelta(days=3)
QUARTER_GRACE = timedelta(days=92)
FUTURE_SOFTNESS = 12  # a future tense lets a day this many times nearer in the past win
PAST_SOFTNESS = 4  # a past tense still lets a date this many times nearer in the future win


@dataclass(frozen=True, slots=True)
class Anchor:
    """What year-less and relative expressions are read against."""

    day: date | None
    year: int | None
    source: str  # "item date line" | "dump dates" | "nearby text" | "anchor"

    @classmethod
    def of(cls, day: date | None, source: str) -> Anchor | None:
        return None if day is None else cls(day, day.year, source)


@dataclass(slots=True)
class Resolved:
    """One point as an interval, its TimeML value and where its year came from."""

    lo: date | None
    hi: date | None
    gran: str
    value: str
    year_source: str
    partial: str | None = None


def interval(p: Point, year: int) -> tuple[date, date]:
    """The calendar interval of a point once its year is known."""
    g = p.gran
    if g == "day":
        d = (
            holiday(p.part, year)
            if isinstance(p.part, str)
            else date(year, p.month or 1, p.day or 1)
        )
        return d, d
    if g == "century":
        return date(max(year, 1), 1, 1), date(year + 99, 12, 31)
    if g == "month" and p.month:
        return date(year, p.month, 1), date(year, p.month, _month_days(year, p.month))
    if g in ("quarter", "half") and isinstance(p.part, int):
        size = 3 if g == "quarter" else 6
        m1 = (p.part - 1) * size + 1
        return date(year, m1, 1), date(year, m1 + size - 1, _month_days(year, m1 + size - 1))
    if g == "season" and isinstance(p.part, str):
        a, b = SEASON_MONTHS[p.part]
        yb, mb = (year + 1, b - 12) if b > 12 else (year, b)
        return date(year, a, 1), date(yb, mb, _month_days(yb, mb))
    if g == "decade":
        return date(year, 1, 1), date(year + 9, 12, 31)
    return date(year, 1, 1), date(year, 12, 31)


_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def holiday(rule: str, year: int) -> date:
    """The day of a holiday rule in `year`: "11-TH-4" (fourth Thursday of November), "05-MO-L"
    (last Monday of May), "11-MO-1+1" (the day after the first Monday of November)."""
    month, code, nth = rule.split("-", 2)
    nth, _, plus = nth.partition("+")
    m, wd = int(month), _WEEKDAY_CODES.index(code)
    if nth == "L":
        last = date(year, m, _month_days(year, m))
        d = last - timedelta(days=(last.weekday() - wd) % 7)
    else:
        first = date(year, m, 1)
        d = first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (int(nth) - 1))
    return d + timedelta(days=int(plus or 0))


def timeml_value(p: Point, year: int | None, lo: date | None = None) -> str:
    """TimeML VALUE at the point's granularity; "XXXX" stands for an unknown year."""
    y = f"{year:04d}" if year is not None else "XXXX"
    g = p.gran
    if g == "day" and isinstance(p.part, str):  # a holiday by rule
        return holiday(p.part, year).isoformat() if year is not None else f"XXXX-{p.month:02d}"
    if g == "day":
        return f"{y}-{p.month:02d}-{p.day:02d}"
    if g == "century":
        return y[:2]
    if g == "month":
        return f"{y}-{p.month:02d}"
    if g == "quarter":
        return f"{y}-Q{p.part}"
    if g == "half":
        return f"{y}-H{p.part}"
    if g == "season":
        return f"{y}-{p.part}"
    if g == "decade":
        return y[:3]  # TimeML writes a decade as its first three digits: "197" for the 1970s
    return y


def resolve_absolute(p: Point, anchor: Anchor | None, tense: str | None) -> Resolved:
    """Resolve a calendar point; its year comes from the text, the anchor or its weekday."""
    if p.year is not None:
        lo, hi = interval(p, p.year)
        return Resolved(lo, hi, p.gran, timeml_value(p, p.year), "explicit")
    if anchor is None:
        return _unresolved(p)
    if anchor.day is None:
        year = anchor.year
        source = anchor.source
    else:
        year = _nearest_year(p, anchor.day, tense)
        source = anchor.source
    if p.weekday is not None and p.day and year is not None:
        settled = _weekday_year(p, year)
        if settled is not None and settled != year:
            year, source = settled, "weekday"
    if year is None:
        return _unresolved(p)
    lo, hi = interval(p, year)
    return Resolved(lo, hi, p.gran, timeml_value(p, year), source)


def _unresolved(p: Point) -> Resolved:
    partial = None
    if p.month:
        partial = f"--{p.month:02d}" + (f"-{p.day:02d}" if p.day else "")
    return Resolved(None, None, p.gran, timeml_value(p, None), "unresolved", partial)


def _nearest_year(p: Point, anchor: date, tense: str | None) -> int:
    """The year whose occurrence of `p` lies nearest the anchor, on the side the tense says."""
    best: tuple[int, int] | None = None
    fallback: tuple[int, int] | None = None
    slack = DAY_SLACK if p.gran == "day" else timedelta(0)
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            lo, hi = interval(p, year)
        except ValueError:  # 29 February
            continue
        dist = 0 if lo <= anchor <= hi else min(abs((lo - anchor).days), abs((hi - anchor).days))
        if tense is None and lo > anchor:
            dist *= 2  # news and bulletins mostly report what has happened
        if tense == "past" and lo > anchor + slack:
            # soft: "was extended to Nov. 16" two weeks ahead; past tenses abound in reports
            dist *= PAST_SOFTNESS
        if fallback is None or dist < fallback[0]:
            fallback = (dist, year)
        if tense == "future" and hi < anchor - slack:
            if p.gran != "day":
                continue  # "will present the plans in May", said in June: next May
            dist *= FUTURE_SOFTNESS  # "the Aug. 7 blasts" of last week, in a sentence with "would"
        if best is None or dist < best[0]:
            best = (dist, year)
    return (best or fallback or (0, anchor.year))[1]


def _weekday_year(p: Point, near: int) -> int | None:
    """The year nearest `near` (within 6 years) in which the day falls on the written weekday."""
    for delta in (0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6):
        year = near + delta
        try:
            if date(year, p.month or 1, p.day or 1).weekday() == p.weekday:
                return year
        except ValueError:
            continue
    return None


def resolve_relative(p: Point, anchor: Anchor | None, tense: str | None) -> Resolved:
    """ "yesterday", "last month", "this Wednesday", "two weeks ago", "now" against the anchor."""
    if p.ref is not None:
        day = anchor.day if anchor else None
        return Resolved(None, day, "day", p.ref, anchor.source if anchor else "unresolved")
    assert p.rel is not None
    unit, shift = p.rel
    if anchor is None or (anchor.day is None and unit != "year"):
        gran = {
            "weekday": "day",
            "bare_weekday": "day",
            "month_name": "month",
            "month_in_year": "month",
            "quarter_in_year": "quarter",
            "half_in_year": "half",
            "last_quarter": "quarter",
        }.get(unit, unit)
        return Resolved(None, None, gran, "XXXX", "unresolved")
    src = anchor.source
    if anchor.day is None:
        y = (anchor.year or 0) + shift
        return Resolved(date(y, 1, 1), date(y, 12, 31), "year", f"{y:04d}", src)
    a = anchor.day
    if unit == "day":
        d = a + timedelta(days=shift)
        return Resolved(d, d, "day", d.isoformat(), src)
    if unit == "week":
        monday = a - timedelta(days=a.weekday()) + timedelta(weeks=shift)
        iso = monday.isocalendar()
        return Resolved(
            monday, monday + timedelta(days=6), "week", f"{iso[0]:04d}-W{iso[1]:02d}", src
        )
    if unit == "month":
        y, m = divmod(a.year * 12 + a.month - 1 + shift, 12)
        p2 = Point(0, 0, y, m + 1, gran="month")
        lo, hi = interval(p2, y)
        return Resolved(lo, hi, "month", timeml_value(p2, y), src)
    if unit == "quarter":
        y, q = divmod(a.year * 4 + (a.month - 1) // 3 + shift, 4)
        p2 = Point(0, 0, y, gran="quarter", part=q + 1)
        lo, hi = interval(p2, y)
        return Resolved(lo, hi, "quarter", timeml_value(p2, y), src)
    if unit == "year":
        y = a.year + shift
        return Resolved(date(y, 1, 1), date(y, 12, 31), "year", f"{y:04d}", src)
    if unit == "decade":  # "the last decade" written in 1998: the 1980s, TimeML "198"
        p2 = Point(0, 0, (a.year // 10 + shift) * 10, gran="decade")
        lo, hi = interval(p2, p2.year or 0)
        return Resolved(lo, hi, "decade", timeml_value(p2, p2.year), src)
    if unit in ("weekend", "the_weekend"):
        sat = _weekend(a, shift, unit == "the_weekend", tense)
        iso = sat.isocalendar()
        value = f"{iso[0]:04d}-W{iso[1]:02d}-WE"
        return Resolved(sat, sat + timedelta(days=1), "week", value, src)
    if unit in ("weekday", "bare_weekday"):
        d = _weekday_date(a, p.weekday or 0, shift, tense, unit == "bare_weekday")
        return Resolved(d, d, "day", d.isoformat(), src)
    if unit == "month_name" and p.month:
        y = _named_month_year(a, p.month, shift)
        p2 = Point(0, 0, y, p.month, gran="month")
        lo, hi = interval(p2, y)
        return Resolved(lo, hi, "month", timeml_value(p2, y), src)
    if unit == "month_in_year" and p.month:
        p2 = Point(0, 0, a.year + shift, p.month, gran="month")
        lo, hi = interval(p2, a.year + shift)
        return Resolved(lo, hi, "month", timeml_value(p2, a.year + shift), src)
    if unit in ("quarter_in_year", "half_in_year") and isinstance(p.part, int):
        # "this year's third quarter": the part of the anchor's year, shifted by years
        p2 = Point(0, 0, a.year + shift, gran=unit.split("_")[0], part=p.part)
        lo, hi = interval(p2, a.year + shift)
        return Resolved(lo, hi, p2.gran, timeml_value(p2, a.year + shift), src)
    if unit == "last_quarter":
        y, q = divmod(a.year * 4 + (a.month - 1) // 3 - 1, 4)
        p2 = Point(0, 0, y, gran="quarter", part=q + 1)
        lo, hi = interval(p2, y)
        return Resolved(lo, hi, "quarter", timeml_value(p2, y), src)
    if unit == "season" and isinstance(p.part, str):
        # "last summer": the latest one ended by the anchor; "next summer": the first one to
        # begin after it; "this summer": the anchor's year's
        y = a.year
        p2 = Point(0, 0, y, gran="season", part=p.part)
        if shift < 0:
            y -= 1 if interval(p2, a.year)[1] >= a else 0
        elif shift > 0:
            y += 1 if interval(p2, a.year)[0] <= a else 0
        p2 = Point(0, 0, y, gran="season", part=p.part)
        lo, hi = interval(p2, y)
        return Resolved(lo, hi, "season", timeml_value(p2, y), src)
    return Resolved(None, None, "day", "XXXX", "unresolved")


def _named_month_year(a: date, month: int, shift: int) -> int:
    """The year of "last April" / "next April" / "this April" written on day `a`: the latest
    one before the anchor's month, the first one after it. The month just before the anchor's
    would be "last month", so "last February" written in March is the February a year before."""
    if shift < 0:
        y = a.year if month < a.month else a.year - 1
        return y - 1 if month == (a.month - 2) % 12 + 1 else y
    if shift > 0:
        return a.year if month > a.month else a.year + 1
    return a.year


def _weekend(a: date, shift: int, bare: bool, tense: str | None) -> date:
    """The Saturday of the weekend meant: "this"/"next"/"last" weekend, or "the weekend", read by
    tense: the one just past unless the sentence speaks of the future."""
    this_sat = a - timedelta(days=a.weekday()) + timedelta(days=5)  # of the anchor's ISO week
    in_weekend = a.weekday() >= 5
    if bare:
        shift = 0 if tense == "future" or in_weekend else -1
    if shift < 0:
        return this_sat - timedelta(days=7)
    if shift > 0 and in_weekend:
        return this_sat + timedelta(days=7)
    return this_sat


def _weekday_date(a: date, weekday: int, shift: int, tense: str | None, bare: bool) -> date:
    """The weekday meant relative to `a`: same week for "this", else before or after by tense."""
    back = (a.weekday() - weekday) % 7
    ahead = (weekday - a.weekday()) % 7
    if bare:
        return a + timedelta(days=ahead) if tense == "future" else a - timedelta(days=back)
    if shift < 0:
        return a - timedelta(days=back or 7)
    if shift > 0:
        return a + timedelta(days=ahead or 7)
    return a - timedelta(days=a.weekday()) + timedelta(days=weekday)


def decade_century(p: Point, anchor: Anchor | None) -> Resolved:
    """ "the '80s": the latest such decade begun by the decade after the anchor's (from 1989 the
    1990s but the 1920s; from 2024 the 1990s, the 2020s); the 1900s without an anchor, as
    HeidelTime reads them."""
    tens = p.part if isinstance(p.part, int) else 0
    if anchor is None or anchor.year is None:
        year, source = 1900 + tens, "unresolved"
    else:
        year = anchor.year // 100 * 100 + tens
        year -= 100 if year > anchor.year + 10 else 0
        source = anchor.source
    whole = Point(p.start, p.end, year, gran="decade")
    lo, hi = interval(whole, year)
    return Resolved(lo, hi, "decade", timeml_value(whole, year), source)


def period_year(p: Point, anchor: Anchor | None, tense: str | None) -> Resolved:
    """A year-less quarter or half: the latest one begun by the anchor, or the next if future."""
    if p.year is not None or anchor is None or anchor.day is None:
        return resolve_absolute(p, anchor, tense)
    a = anchor.day
    chosen = a.year
    if tense == "future":  # results of a quarter just ended are still to come
        if interval(p, a.year)[1] < a - QUARTER_GRACE:
            chosen = a.year + 1
    elif interval(p, a.year)[0] > a:
        chosen = a.year - 1
    lo, hi = interval(p, chosen)
    return Resolved(lo, hi, p.gran, timeml_value(p, chosen), anchor.source)


def anaphora(unit: str, shift: int, ref: Resolved | None) -> Resolved:
    """ "that year", "the following month", "the same day": the unit holding the latest date
    written before, moved by `shift`; unresolved without one fine enough."""
    fine = {"day": ("day",), "week": ("day",), "month": ("day", "month"), "year": ("day", "month")}
    if ref is None or ref.lo is None or ref.gran not in fine[unit] + ("year",) * (unit == "year"):
        return Resolved(None, None, unit, "XXXX", "unresolved")
    a = ref.lo
    if unit == "year":
        y = a.year + shift
        return Resolved(date(y, 1, 1), date(y, 12, 31), "year", f"{y:04d}", "nearby text")
    if unit == "month":
        y, m = divmod(a.year * 12 + a.month - 1 + shift, 12)
        lo = date(y, m + 1, 1)
        hi = (date(y + (m + 1) // 12, (m + 1) % 12 + 1, 1)) - timedelta(days=1)
        return Resolved(lo, hi, "month", f"{y:04d}-{m + 1:02d}", "nearby text")
    if unit == "week":
        monday = a - timedelta(days=a.weekday()) + timedelta(weeks=shift)
        iso = monday.isocalendar()
        value = f"{iso[0]:04d}-W{iso[1]:02d}"
        return Resolved(monday, monday + timedelta(days=6), "week", value, "nearby text")
    d = a + timedelta(days=shift)
    return Resolved(d, d, "day", d.isoformat(), "nearby text")


def years_back(r: Resolved, n: int) -> Resolved:
    """ "the year-ago third quarter": the resolved period, `n` years earlier."""
    if r.lo is None or r.hi is None:
        return r
    lo, hi = _minus_years(r.lo, n), _minus_years(r.hi, n)
    value = f"{r.lo.year - n:04d}{r.value[4:]}" if r.value[:4].isdigit() else r.value
    return Resolved(lo, hi, r.gran, value, r.year_source, r.partial)


def _minus_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year - n)
    except ValueError:  # 29 February
        return d.replace(year=d.year - n, day=28)


def same_quarter(r: Resolved, quarter: Resolved) -> Resolved:
    """ "a year ago" after talk of a quarter: that quarter, so many years back (the comparison
    period of a results report: "up from $5 million a year earlier")."""
    if r.gran != "year" or r.lo is None or quarter.lo is None:
        return r
    q = (quarter.lo.month - 1) // 3 + 1
    lo = date(r.lo.year, quarter.lo.month, 1)
    hi = date(r.lo.year, quarter.hi.month, quarter.hi.day) if quarter.hi else lo
    return Resolved(lo, hi, "quarter", f"{r.lo.year:04d}-Q{q}", r.year_source, r.partial)


def lead_shift(r: Resolved, how: str) -> Resolved:
    """A resolved day moved by its lead-in: "week" gives its ISO week ("the week of March 6"),
    "-1"/"+1" the day before or after ("the day before last Tuesday's hearing")."""
    if r.gran != "day" or r.lo is None:
        return r
    if how == "week":
        monday = r.lo - timedelta(days=r.lo.weekday())
        iso = monday.isocalendar()
        value = f"{iso[0]:04d}-W{iso[1]:02d}"
        return Resolved(monday, monday + timedelta(days=6), "week", value, r.year_source)
    d = r.lo + timedelta(days=int(how))
    return Resolved(d, d, "day", d.isoformat(), r.year_source)
