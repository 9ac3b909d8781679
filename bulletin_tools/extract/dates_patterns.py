"""The date grammar: regular expressions built once from the language word lists.

Every pattern is a bounded alternation (no nested unbounded repeats), so a scan is linear in the
text length whatever the input. Words come from `data/lang/<code>.json`; adding a language adds
data, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..lang import load_language

DAY = r"(?:3[01]|[12]\d|0?[1-9])"
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
DASH = r"[-\u2010-\u2015]"
SP = r"[ \t\u00a0]+"  # spaces inside one expression (not line breaks, which end an expression)
SPO = r"[ \t\u00a0]*"
GAP = r"[ \t\u00a0\n]+"  # spaces where a hard-wrapped line may break an expression


@dataclass(frozen=True, slots=True)
class Grammar:
    """Compiled patterns and lookup tables of a tuple of languages."""

    scan: re.Pattern[str]
    conj: re.Pattern[str]
    words: dict[str, Any]
    months: dict[str, int]
    weekdays: dict[str, int]


def _alt(words: list[str] | dict[str, Any], flexible_space: bool = True) -> str:
    """A regex alternation of words, longest first, spaces matching any run of spaces."""
    out = []
    for word in sorted(set(words), key=len, reverse=True):
        escaped = re.escape(word)
        out.append(escaped.replace(r"\ ", GAP) if flexible_space else escaped)
    return "(?:" + "|".join(out) + ")" if out else "(?!)"


def _cased(words: list[str]) -> str:
    """Case-sensitive alternation of Capitalised and UPPER forms: the modal "may" is no month."""
    forms = {w.capitalize() for w in words} | {w.upper() for w in words}
    return "(?-i:" + _alt(sorted(forms), flexible_space=False)[3:]


def _merge(codes: tuple[str, ...], key: str) -> Any:
    """Union of one key over languages: dicts merged, lists concatenated."""
    merged: Any = None
    for code in codes:
        value = load_language(code).raw.get(key)
        if value is None:
            continue
        if isinstance(value, dict):
            merged = {**value, **(merged or {})}
        else:
            merged = (merged or []) + [v for v in value if v not in (merged or [])]
    return merged if merged is not None else []


@lru_cache(maxsize=8)
def build_grammar(codes: tuple[str, ...] = ("en",)) -> Grammar:
    """Compile the scanning pattern for the given languages (cached)."""
    w: dict[str, Any] = {key: _merge(codes, key) for key in _WORD_KEYS}
    months = {**w["month_abbreviations"], **w["months"]}
    weekdays = {**w["weekday_abbreviations"], **w["weekdays"]}
    full_mon = _cased(list(w["months"]))
    abbr_mon = _cased([a for a in w["month_abbreviations"] if a not in w["months"]])
    mon = rf"(?:{full_mon}\b|{abbr_mon}\b\.?)"
    wday = rf"(?:{_cased(list(w['weekdays']))}\b|{_cased(list(w['weekday_abbreviations']))}\b\.?)"
    ordsfx = _alt(w["ordinal_suffixes"])
    day = rf"{DAY}(?:{ordsfx})?(?![\w%]|[.,:/]\d)"
    rng = _alt(w["date_range_words"])
    lst = _alt(w["date_list_words"])
    link = rf"(?:{SPO}{DASH}{SPO}|{SP}{rng}{GAP})"
    days = (
        rf"{day}(?:{link}{day}|(?:{SPO},{SP}{day}){{0,8}}{SPO},?{GAP}{lst}{GAP}{day}"
        rf"|{SP}{lst}{GAP}{day}(?:{link}{day})?)?"
    )
    of_dm = _alt(w["date_day_month_connectors"])
    of_my = _alt(w["date_month_year_connectors"])
    art = _alt(w["date_articles"])
    year = rf"(?<![\d.,$€£#/]){YEAR}(?![\w%]|[.,]\d)"
    shift = _alt(list(w["date_relative_shifts"]))
    lead_wd = rf"(?:(?:{shift}{GAP})?(?P<wd>{wday}),?{GAP})?"

    def opt_year(name: str) -> str:
        return rf"(?:{SPO},?{GAP}(?:{of_my}{GAP})?(?P<{name}>{year}))?"

    numeric = (
        r"(?<![\w./-])(?:(?P<iso>\d{4}-\d\d-\d\d)|(?P<num>\d{1,2}(?P<nsep>[/.])\d{1,2}(?P=nsep)(?:\d{4}|\d\d)))"
        r"(?![\w/]|[.-]\d)"
    )
    dmy = (
        rf"{lead_wd}(?:{art}{GAP})?(?<![\d.,$€£#/-])(?P<d_days>{days})(?:{GAP}{of_dm})?{GAP}"
        rf"(?P<d_mon>{mon})" + opt_year("d_year")
    )
    mdy = (
        rf"(?:(?:{shift}{GAP})?(?P<wd2>{wday}),?{GAP})?(?P<m_mon>{mon}){SP}(?P<m_days>{days})"
        + opt_year("m_year")
    )
    modifier = _alt(list(w["date_modifiers"]))

    def mod(name: str) -> str:
        return rf"(?:(?P<{name}>{modifier})(?:{GAP}|{DASH}))?"

    season = _alt(list(w["date_seasons"]))
    year_words = _alt([k for k, v in w["date_units"].items() if v == "year"])
    my = (
        mod("my_mod")
        + rf"(?:(?P<my_mon>{mon})|(?P<season>{season}))"
        + rf"(?:{GAP}(?P<my_shift>{shift}){GAP}{year_words}\b|"
        + opt_year("my_year")[3:]
    )
    decade = mod("dc_mod") + r"(?P<decade>(?<![\d.,$€£#])(?:1[5-9]|20)\d0'?s)\b"
    fiscal = _alt(w["date_fiscal_words"])
    yr = (
        mod("y_mod") + rf"(?:(?P<fiscal>{fiscal}){GAP})?(?P<y1>{year})"
        rf"(?:{SPO}{DASH}{SPO}(?P<y2>{YEAR}|\d\d)(?![\w%]|[.,]\d))?"
    )
    ordinal = _alt(list(w["date_ordinals"]))
    part = _alt(list(w["date_parts"]))
    period = (
        rf"(?:{art}{GAP})?(?:(?P<p_year2>{year}){GAP})?(?P<ord>{ordinal})(?:{GAP}|{DASH})(?:{fiscal}{GAP})?(?P<part>{part})\b"
        rf"(?:{GAP}{of_my}{GAP}(?:(?P<p_year>{year})|{art}{GAP}year))?"
        rf"|(?-i:Q(?P<q>[1-4]))(?:{SP}|{DASH})?(?P<q_year>{YEAR})"
    )
    units = _alt(list(w["date_units"]))
    numw = _alt(list(w["date_number_words"]))
    ago = _alt(w["date_ago_words"])
    rel = (
        rf"(?P<relday>{_alt(list(w['date_relative_days']))})\b"
        rf"|(?:{art}{GAP})?(?P<shift>{shift}){GAP}"
        rf"(?:(?P<s_unit>{units})|(?P<s_wd>{wday})|(?P<s_mon>{mon})|(?P<s_season>{season}))\b"
        rf"|(?P<n>{numw}|\d{{1,2}}){GAP}(?P<a_unit>{units}){GAP}(?P<ago>{ago})\b"
        rf"|(?P<ref>{_alt(list(w['date_reference_words']))})\b"
        rf"|(?P<pref>{_alt(list(w['date_period_refs']))})\b"
        rf"|(?P<bare_wd>{_cased(list(w['weekdays']))})\b"
    )
    scan = (
        rf"\b(?:{numeric}|(?P<dmy>{dmy})|(?P<mdy>{mdy})|(?P<period>{period})|(?P<my>{my})"
        rf"|{decade}|(?P<yr>{yr})|(?P<rel>{rel}))"
    )
    opener = _alt(w["date_range_openers"])
    conj = rf"(?P<c_link>{link}|{SPO},?{GAP}(?P<c_list>{lst}){GAP})"
    return Grammar(
        scan=re.compile(scan, re.IGNORECASE),
        conj=re.compile(conj, re.IGNORECASE),
        words={
            **w,
            "range_link_re": re.compile(rf"{DASH}|(?<!\w){rng}(?!\w)", re.IGNORECASE),
            "opener_re": re.compile(rf"\b(?:{opener}){GAP}$", re.IGNORECASE),
            "tense_re": re.compile(
                rf"(?<!\w)(?:(?P<fut>{_alt(w['date_future_markers'])})"
                rf"|(?P<past>{_alt(w['date_past_markers'])}))(?!\w)",
                re.IGNORECASE,
            ),
        },
        months={k.lower(): v for k, v in months.items()},
        weekdays={k.lower(): v for k, v in weekdays.items()},
    )


_WORD_KEYS = (
    "months",
    "month_abbreviations",
    "weekdays",
    "weekday_abbreviations",
    "ordinal_suffixes",
    "date_day_month_connectors",
    "date_month_year_connectors",
    "date_range_openers",
    "date_range_words",
    "date_list_words",
    "date_articles",
    "date_modifiers",
    "date_ordinals",
    "date_parts",
    "date_seasons",
    "date_fiscal_words",
    "date_relative_days",
    "date_relative_shifts",
    "date_units",
    "date_ago_words",
    "date_number_words",
    "date_reference_words",
    "date_table_reference_words",
    "date_future_markers",
    "date_past_markers",
    "date_count_words",
    "date_prepositions",
    "date_ambiguous_months",
    "date_period_refs",
)
