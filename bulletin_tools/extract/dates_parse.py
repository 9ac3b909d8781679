"""From regex matches to date expressions: calendar fields read from the text, no year guessing.

`Point` and `Expr` are what `dates_scan.scan_expressions` returns: points may still lack a year.
Absolute dates are read here, relative ones in `dates_relative`; resolution against an anchor is
`dates_resolve`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates_patterns import Grammar, year_value

_DIGITS = re.compile(r"\d+")


@dataclass(slots=True)
class Point:
    """One endpoint or list element: calendar fields as written, with its text span."""

    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    gran: str = "day"  # day month year quarter half season decade week relative ref
    part: int | str | None = None  # quarter or half number, season code
    weekday: int | None = None
    rel: tuple[str, int] | None = None  # (unit, shift) for relative points, unit "weekday" too
    ref: str | None = None  # PRESENT_REF / PAST_REF / FUTURE_REF
    explicit_year: bool = False


@dataclass(slots=True)
class Expr:
    """A date expression: its span, its points and how they combine."""

    start: int
    end: int
    outer_start: int  # with the article or vague modifier TimeML keeps
    points: list[Point]
    join: str = "single"  # single | list | range
    kind: str = "date"  # date | period | relative
    table: bool = True  # False for bare weekdays and vague references (TimeML mode only)
    opener: bool = False  # written after "from" / "between"
    meta: dict[str, str] = field(default_factory=dict)


def _numeric(m: re.Match[str], dayfirst: bool) -> Expr | None:
    s, e = m.span()
    nums = [int(x) for x in _DIGITS.findall(m.group())]
    if m.group("iso"):
        y, mo, d = nums
    else:
        a, b, y = nums
        y += 2000 if y < 100 and y < 70 else (1900 if y < 100 else 0)
        d, mo = (a, b) if dayfirst else (b, a)
        if mo > 12 and d <= 12:
            d, mo = mo, d
    if not (1 <= mo <= 12 and 1 <= d <= _month_days(y, mo)):
        return None
    return Expr(s, e, s, [Point(s, e, y, mo, d, explicit_year=True)])


def _day_month(m: re.Match[str], text: str, g: Grammar, order: str) -> Expr | None:
    """ "4 and 5 June", "May 16-17, 2019", "Wednesday, September 9"."""
    days_s = m.start(f"{order}_days")
    mon_s = m.start(f"{order}_mon")
    month = g.months[m.group(f"{order}_mon").rstrip(".").lower()]
    year_txt = m.group(f"{order}_year")
    year = year_value(year_txt, g.words) if year_txt else None
    wd_txt = m.group("wd") if order == "d" else m.group("wd2")
    weekday = g.weekdays.get(wd_txt.rstrip(".").lower()) if wd_txt else None
    nums = [
        (int(x.group()), days_s + x.start(), days_s + x.end())
        for x in _DIGITS.finditer(m.group(f"{order}_days"))
    ]
    if any(d > _month_days(year or 2000, month) for d, _, _ in nums):
        return None
    is_range = len(nums) == 2 and bool(
        g.words["range_link_re"].search(text, nums[0][2], nums[1][1])
    )
    if is_range and nums[1][0] <= nums[0][0]:
        return None
    start = (
        m.start("wd")
        if order == "d" and wd_txt
        else m.start("wd2")
        if wd_txt
        else (days_s if order == "d" else mon_s)
    )
    end = m.end()
    points = []
    for i, (d, ds, de) in enumerate(nums):
        first, last = i == 0, i == len(nums) - 1
        points.append(
            Point(
                start if first else ds,
                end if last else de,
                year,
                month,
                d,
                weekday=weekday if first else None,
                explicit_year=year is not None,
            )
        )
    join = "single" if len(points) == 1 else "range" if is_range else "list"
    # "Aug. 7 blasts", "the August 7 bombings" are dates; "In March 8 people died" is a count
    named = m.group(f"{order}_mon").endswith(".") or _article_before(text, start, g) < start
    if order == "m" and not (wd_txt or year or named) and _is_count(text, nums[-1][2]):
        return None
    return Expr(
        start, end, _outer(m, text, g, start), points, join, "range" if join == "range" else "date"
    )


def _is_count(text: str, end: int) -> bool:
    """ "In March 8 people died": a day number directly followed by a plural noun."""
    tail = text[end : end + 16]
    return bool(re.match(r" [a-z]+s\b", tail)) and not re.match(_NOT_PLURAL, tail)


# words ending in "s" that are no plural noun ("on May 16 its board", "on March 8 this year")
_NOT_PLURAL = r" (?:and|as|was|has|is|its|his|this|thus|us|plus|unless|across|whereas)\b"


def _period(m: re.Match[str], g: Grammar) -> Expr | None:
    """ "the first half of 2019", "third-quarter", "Q3 2019"."""
    s, e = m.span("period")
    if m.group("q"):
        q, y = int(m.group("q")), int(m.group("q_year"))
        return Expr(
            s, e, s, [Point(s, e, y, gran="quarter", part=q, explicit_year=True)], kind="period"
        )
    ordinal = g.words["date_ordinals"][m.group("ord").lower()]
    parts = g.words["date_parts"][_norm(m.group("part"))]
    if not 1 <= ordinal <= parts:
        return None
    gran = "quarter" if parts == 4 else "half"
    year_txt = m.group("p_year") or m.group("p_year2")
    year = year_value(year_txt, g.words) if year_txt else None
    if m.group("p_shift") and year is None:  # "next year's first quarter": TimeML 1990-Q1
        core = m.start("p_shift")
        shift = g.words["date_relative_shifts"][m.group("p_shift").lower()]
        point = Point(core, e, gran="relative", part=ordinal, rel=(gran + "_in_year", shift))
        return Expr(core, e, s, [point], kind="period")
    core = m.start("ord")
    return Expr(
        core,
        e,
        s,
        [Point(core, e, year, gran=gran, part=ordinal, explicit_year=year is not None)],
        kind="period",
        meta={"years_back": "1"} if m.group("p_ago") else {},
    )


def _month_year(m: re.Match[str], text: str, g: Grammar) -> Expr | None:
    """ "August 2019", "mid-November", "this September" (via relative), "summer 2019"."""
    year = year_value(m.group("my_year"), g.words) if m.group("my_year") else None
    mod = m.group("my_mod")
    if m.group("season"):
        s = m.start("season")
        word = m.group("season").lower()
        outer = m.start()
        if year is None:  # "over the summer": the season of the anchor's year (or the last one)
            if word in g.words["date_ambiguous_seasons"] or not _after_preposition(
                text, m.start(), g
            ):
                return None  # "the fall of", "Arab Spring"
            outer = _article_before(text, outer, g)
        code = g.words["date_seasons"][word]
        return Expr(
            s,
            m.end(),
            outer,
            [Point(s, m.end(), year, gran="season", part=code, explicit_year=year is not None)],
            kind="period",
        )
    s = m.start("my_mon")
    word = m.group("my_mon")
    if year is None and not mod:
        bare = word.endswith(".") or word.rstrip(".").lower() not in g.words["months"]
        if bare and not _opens_month_range(text, m.end(), g):
            return None  # a bare abbreviation ("Mar.", "Sun") is no date
        if word.lower() in g.words["date_ambiguous_months"] and not _after_preposition(
            text, m.start(), g
        ):
            return None
    month = g.months[word.rstrip(".").lower()]
    if m.group("my_shift"):
        shift = g.words["date_relative_shifts"][m.group("my_shift").lower()]
        point = Point(s, m.end(), None, month, gran="relative", rel=("month_in_year", shift))
        return Expr(s, m.end(), m.start(), [point], kind="relative")
    point = Point(s, m.end(), year, month, gran="month", explicit_year=year is not None)
    return Expr(
        s,
        m.end(),
        m.start(),
        [point],
        kind="period" if mod else "date",
        meta={"mod": mod.lower()} if mod else {},
    )


def _opens_month_range(text: str, end: int, g: Grammar) -> bool:
    """Does a range word or dash lead from `end` to a month with its year ("Jan–Mar 2021",
    "Sept. to Oct. 2020")? Then a bare abbreviation before it is that range's first month."""
    c = g.conj.match(text, end)
    if c is None or c.group("c_list") is not None:
        return False
    m = g.scan.match(text, c.end())
    return m is not None and m.group("my_mon") is not None and m.group("my_year") is not None


def _year(m: re.Match[str], text: str, g: Grammar) -> Expr | None:
    """Bare years and year spans ("2019-2025"), filtered for counts and names."""
    s = m.start("y1")
    spelled = not m.group("y1").isdigit()
    y1 = year_value(m.group("y1"), g.words)
    y2txt = m.group("y2")
    mod = m.group("y_mod")
    head = not mod and not m.group("fiscal") and m.start("y1") > m.start("yr")  # "the year 2000"
    if not (mod or m.group("fiscal") or spelled or head) and not _plausible_year(
        text, s, m.end(), y1, g, span=y2txt is not None
    ):
        return None
    bare_thousands = spelled and _norm(m.group("y1")) in g.words["date_spelled_thousands"]
    if bare_thousands and not head and not _after_preposition(text, m.start("y1"), g):
        return None  # "two thousand people"
    if head:
        s = m.start("yr")
    points = [Point(s, m.end("y1"), y1, gran="year", explicit_year=True)]
    if m.group("y_noun"):  # "the 1988 period": the period under discussion, in 1988
        return Expr(s, m.end(), m.start(), points, meta={"period_of": "1"})
    if y2txt:
        y2 = int(y2txt) if len(y2txt) == 4 else y1 // 100 * 100 + int(y2txt)
        if m.group("y_sep") == "/" and y2 != y1 + 1:
            return None  # "2020/2021" is a school or fiscal year; "2019/05" no date here
        if y2 <= y1:
            if len(y2txt) == 2 and 1 <= int(y2txt) <= 12:
                points[0] = Point(s, m.end(), y1, int(y2txt), gran="month", explicit_year=True)
                return Expr(s, m.end(), s, points)
            return None
        points.append(Point(m.start("y2"), m.end(), y2, gran="year", explicit_year=True))
        return Expr(s, m.end(), m.start(), points, "range", "period")
    part = _part_of_year(g.words["date_modifiers"].get(_norm(mod))) if mod else None
    if part is not None:  # "the last half of 1989": TimeML "1989-H2", no modified year
        core = _after_article(m.group("y_mod"), m.start("y_mod"), g)
        point = Point(core, m.end("y1"), y1, gran=part[0], part=part[1], explicit_year=True)
        return Expr(core, m.end(), m.start(), [point], kind="period")
    return Expr(
        s,
        m.end(),
        m.start(),
        points,
        kind="period" if mod else "date",
        meta={"mod": mod.lower()} if mod else {},
    )


_PART_CODES = {"H": ("half", 2), "Q": ("quarter", 4)}


def _part_of_year(code: str | None) -> tuple[str, int] | None:
    """A modifier's part-of-year code as granularity and number: "H2" -> ("half", 2). The
    language data names parts this way ("the last half of": "H2") so no phrase lives in code."""
    if not code or len(code) != 2 or code[0] not in _PART_CODES or not code[1].isdigit():
        return None
    gran, count = _PART_CODES[code[0]]
    return (gran, int(code[1])) if 1 <= int(code[1]) <= count else None


def _plausible_year(text: str, s: int, e: int, year: int, g: Grammar, span: bool = False) -> bool:
    """A bare 4-digit number is a year unless it reads as a count, an amount or a name; a span
    of years stays a period even in a name ("National Development Plan 2019-2024")."""
    if re.match(r"[-\u2010-\u2015]\d|\s*(?:%|per\s?cent|percent)", text[e : e + 9]):
        return False
    before = text[max(0, s - 30) : s]
    if re.search(r"\d[-\u2010-\u2015]$", before):
        return False  # "1-800-2020": a phone number
    prev = re.search(r"([\w'’#º°]+)(\W*)$", before)
    if prev is None:
        return 1900 <= year <= 2099
    word, gap = prev.group(1), prev.group(2)
    low = word.lower()
    if low in g.words["date_number_labels"] and gap.strip() in ("", ".", ":"):
        return False  # "Report No. 2021", "nº 2020": a number
    if _ends_with_phrase(before.lower(), g.words["date_count_words"]):
        return bool(g.words["year_pair_re"].match(text, e))  # "over 2019 and 2020": years
    if low in g.words["date_prepositions"] or low in g.months:
        return True
    if (
        not span
        and gap.strip() in ("", "(")
        and word[:1].isupper()
        # "Paribas's 1989 profit": an owner, no name
        and not word.endswith(tuple(g.words["date_possessive_suffixes"]))
        and (word.isupper() and len(word) > 1 or not _sentence_start(text, s - len(prev.group(0))))
    ):
        return False  # "IHR 2005", "Regulations (2005)", "Vision 2030"
    return 1900 <= year <= 2099


def _ends_with_phrase(before: str, phrases: list[str]) -> bool:
    tail = before.rstrip()
    return any(tail.endswith(" " + p) or tail == p for p in phrases)


def _sentence_start(text: str, i: int) -> bool:
    """True when position `i` opens a sentence or a line."""
    head = text[max(0, i - 3) : i].rstrip(" ")
    return not head or head[-1] in '.!?\n:"“('


def _article_before(text: str, s: int, g: Grammar) -> int:
    """Where the article right before `s` starts ("the summer"), else `s`."""
    for art in g.words["date_articles"]:
        if text[max(0, s - len(art) - 1) : s].lower() == art + " ":
            return s - len(art) - 1
    return s


def _after_article(words: str, start: int, g: Grammar) -> int:
    """Where `words` (found at `start`) begin once a leading article is skipped: table rows
    keep "last half of 1989" as the period rows of "the first half of 2019" do."""
    head, _, rest = words.partition(" ")
    if rest and head.lower() in g.words["date_articles"]:
        return start + len(words) - len(rest.lstrip())
    return start


def _after_preposition(text: str, s: int, g: Grammar) -> bool:
    prev = re.search(r"([\w'’]+)[\s-]*$", text[max(0, s - 20) : s])
    return prev is not None and prev.group(1).lower() in g.words["date_prepositions"]


def _outer(m: re.Match[str], text: str, g: Grammar, core: int) -> int:
    return min(core, m.start())


def _norm(words: str) -> str:
    return " ".join(words.lower().split())


def _month_days(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31
