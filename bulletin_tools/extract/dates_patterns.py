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
from .dates_tense import TenseRules

DAY = r"(?:3[01]|[12]\d|0?[1-9])"
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
DASH = r"[-\u2010-\u2015]"
SP = r"[ \t\u00a0]+"  # spaces inside one expression (not line breaks, which end an expression)
SPO = r"[ \t\u00a0]*"
WINDOW_BACK = 32  # an expression starts at most this far before its first trigger
WINDOW_TAIL = 14  # ... and its last trigger is followed by at most this much (" afternoon")
GAP = r"[ \t\u00a0\n]+"  # spaces where a hard-wrapped line may break an expression


@dataclass(frozen=True, slots=True)
class Grammar:
    """Compiled patterns and lookup tables of a tuple of languages."""

    scan: re.Pattern[str]
    trigger: re.Pattern[str]  # cheap pre-scan: every match of `scan` holds a trigger word
    conj: re.Pattern[str]
    words: dict[str, Any]
    months: dict[str, int]
    weekdays: dict[str, int]
    tense: TenseRules


def _alt(words: list[str] | dict[str, Any], flexible_space: bool = True) -> str:
    """A regex alternation of words, longest first, spaces matching any run of spaces."""
    return _trie(set(words), GAP if flexible_space else None)


def _trie(words: list[str] | set[str], space: str | None = None) -> str:
    """An alternation of literal words as a prefix tree: the regex engine then tests one branch
    per first character instead of one per word (same matches, longest first). `space`, if
    given, is the pattern a space in a word stands for."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [
            (space if ch == " " and space else re.escape(ch)) + emit(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return f"(?:{body})?" if len(alts) == 1 else body + "?"
        return body

    return "(?:" + emit(tree) + ")" if tree else "(?!)"


def _cased(words: list[str], free: frozenset[str] = frozenset()) -> str:
    """Alternation of names: Capitalised and UPPER forms only (the modal "may" is no month),
    except the `free` ones, of languages that write names in lower case ("5 de mayo"), which
    match in any case."""
    forms = {w.capitalize() for w in words} | {w.upper() for w in words}
    cased = "(?-i:" + _alt(sorted(forms), flexible_space=False)[3:]
    loose = [w for w in words if w.lower() in free]
    if not loose:
        return cased
    return f"(?:{_alt(loose, flexible_space=False)}|{cased})"


def _lowercase_names(codes: tuple[str, ...]) -> frozenset[str]:
    """Full month and weekday names of the languages whose data says they are not capitalised
    (`date_capitalised_names: false`). Abbreviations stay cased in every language: short lower
    case forms are common words ("mar", "set", "ago")."""
    out: set[str] = set()
    for code in codes:
        raw = load_language(code).raw
        if raw.get("date_capitalised_names", True) is False:
            out |= {x.lower() for k in ("months", "weekdays") for x in raw.get(k, {})}
    return frozenset(out)


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
    free = _lowercase_names(codes)
    full_mon = _cased(list(w["months"]), free)
    abbr_mon = _cased([a for a in w["month_abbreviations"] if a not in w["months"]])
    mon = rf"(?:{full_mon}\b|{abbr_mon}\b\.?)"
    wd_abbr = _cased(list(w["weekday_abbreviations"]))
    wday = rf"(?:{_cased(list(w['weekdays']), free)}\b|{wd_abbr}\b\.?)"
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
    year = rf"(?:(?<![\d.,$€£#/]){YEAR}(?![\w%]|[.,]\d)|{_spelled_year(w)})"
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
    decade = (
        "(?P<dec>"
        + mod("dc_mod")
        + r"(?:(?P<decade>(?<![\d.,$€£#])(?:1[5-9]|20)\d0'?s)\b"
        + rf"|{art}{GAP}(?P<decade_w>{_alt(list(w['date_decade_words']))})\b"  # "the nineties"
        # "the '80s", "the mid-'90s": a two-digit decade, its century read from the anchor
        + rf"|{art}{GAP}(?:{modifier}(?:{GAP}|{DASH}))?(?P<decade2>['’][1-9]0s)\b))"
    )
    century = (  # "the 20th century"
        rf"(?P<century>(?:{art}{GAP})?(?P<cent_n>[12]?\d)(?:{ordsfx}){SP}"
        rf"{_alt(w['date_century_words'])})\b"
    )
    holiday = (  # "Thanksgiving Day", "last Christmas", "World Refugee Day 2019"
        rf"(?P<hol>(?:(?P<h_shift>{shift}){GAP})?(?P<holiday>{_alt(list(w['date_holidays']))})\b"
        rf"(?:{SPO},?{GAP}(?P<h_year>{year}))?)"
    )
    fiscal = _alt(w["date_fiscal_words"])
    yr = (
        mod("y_mod") + rf"(?:{art}{GAP}{year_words}{GAP}|(?P<fiscal>{fiscal}){GAP})?(?P<y1>{year})"
        rf"(?:(?P<y_sep>{SPO}{DASH}{SPO}|/)(?P<y2>{YEAR}|\d\d)(?![\w%]|[.,/]\d)"
        rf"|{GAP}(?P<y_noun>{_alt(w['date_period_nouns'])})\b)?"  # "the 1988 period"
    )
    ago = _alt(w["date_ago_words"])
    ordinal = _alt(list(w["date_ordinals"]))
    part = _alt(list(w["date_parts"]))
    period = (
        rf"(?:{art}{GAP})?(?:(?P<p_ago>{year_words}{DASH}{ago}){GAP})?"  # "the year-ago third"
        # "this year's third quarter", "next year's first half": that part of the shifted year
        rf"(?:(?P<p_shift>{shift}){GAP}{year_words}{_alt(w['date_possessive_suffixes'])}{GAP})?"
        rf"(?:(?P<p_year2>{year}){GAP})?(?P<ord>{ordinal})(?:{GAP}|{DASH})(?:{fiscal}{GAP})?(?P<part>{part})\b"
        rf"(?:{GAP}{of_my}{GAP}(?:(?P<p_year>{year})|{art}{GAP}year))?"
        rf"|(?-i:Q(?P<q>[1-4]))(?:{SP}|{DASH})?(?P<q_year>{YEAR})"
    )
    units = _alt(list(w["date_units"]))
    numw = _alt(list(w["date_number_words"]))

    def pod(name: str) -> str:  # "Friday night", "yesterday morning"
        return rf"(?:{SP}(?P<{name}>{_alt(list(w['date_day_parts']))})\b)?"

    quant = _alt(w["date_vague_quantifiers"])
    cal = _alt(_calendar_units(w))
    blockers = _alt(w["date_ago_words"] + w["date_anaphora_modifiers"] + w["date_relation_words"])
    pnoun = _alt(w["date_period_nouns"])
    rel = (
        rf"(?P<relday>{_alt(list(w['date_relative_days']))})\b{pod('pod')}"
        # "the corresponding period last year", "last year's quarter": that period, a year back
        rf"|(?P<pback>(?:{art}{GAP})?(?:{_alt(w['date_comparison_words'])}{GAP})?"
        rf"(?P<pb_noun>{pnoun}){GAP}{_alt(w['date_year_back'])}"
        rf"|{_alt(w['date_year_back_possessive'])}{GAP}(?P<pb_noun2>{pnoun}))\b"
        # "the end of the month", "mid-year", "year-end": the anchor's month or year
        rf"|(?P<pend>(?:(?P<pe_mod>{modifier})(?:{GAP}|{DASH})(?:{art}{GAP})?(?P<pe_unit>{cal})"
        rf"|(?P<pe_word>{_alt(list(w['date_unit_ends']))}))(?!{DASH}\w))\b"
        # "for the year", "the full year", "the week": the one under way at the anchor
        rf"|(?P<tper>{_alt(list(w['date_the_periods']))})\b(?!{DASH}|{GAP}{blockers}\b)"
        rf"|(?:{art}{GAP})?(?P<shift>{shift}){GAP}(?:{fiscal}{GAP})?"
        rf"(?:(?P<s_unit>{units})|(?P<s_wd>{wday})|(?P<s_mon>{mon})(?!\.?{SP}{DAY}\b)|(?P<s_season>{season}))\b"
        rf"|(?:(?P<n>{numw}|\d{{1,2}})|(?:{numw}{GAP})?(?P<nv>{quant})){GAP}(?P<a_unit>{units})"
        rf"{GAP}(?P<ago>{ago})\b"
        rf"|(?P<yago>(?:{art}{GAP})?(?:{_alt(w['date_comparison_words'])}{GAP})?{year_words}"
        rf"{DASH}{ago}(?:{GAP}{_alt(w['date_period_nouns'])})?)\b"  # "the year-ago quarter"
        rf"|(?P<tunit>{_alt(list(w['date_the_units']))})\b"  # "the weekend"
        rf"|(?P<ana>(?:{_alt(w['date_anaphora_modifiers'])}{GAP})?{_alt(list(w['date_anaphora']))}"
        rf"{GAP}(?P<ana_unit>{_alt(_calendar_units(w))}))\b"  # "later that year", "the same day"
        rf"|(?P<ref>{_alt(list(w['date_reference_words']))})\b"
        rf"|(?P<pref>{_alt(list(w['date_period_refs']))})\b"
        rf"|(?P<bare_wd>{_cased(list(w['weekdays']), free)})\b{pod('wpod')}"
    )
    scan = (
        rf"\b(?:{numeric}|(?P<dmy>{dmy})|(?P<mdy>{mdy})|(?P<period>{period})|(?P<my>{my})"
        rf"|{decade}|{century}|{holiday}|(?P<yr>{yr})|(?P<rel>{rel}))"
    )
    opener = _alt(w["date_range_openers"])
    conj = rf"(?P<c_link>{link}|{SPO},?{GAP}(?P<c_list>{lst}){GAP})"
    return Grammar(
        scan=re.compile(scan, re.IGNORECASE),
        trigger=_trigger(w, free),
        conj=re.compile(conj, re.IGNORECASE),
        words={
            **w,
            "lead_words": _lead_words(w),
            "range_link_re": re.compile(rf"{DASH}|(?<!\w){rng}(?!\w)", re.IGNORECASE),
            "opener_re": re.compile(rf"\b(?:{opener}){GAP}$", re.IGNORECASE),
            # a second year joined to a number ("over 2019 and 2020"): the number is a year too
            "year_pair_re": re.compile(
                rf"(?:{SPO}{DASH}{SPO}|{SP}(?:{rng}|{lst}){GAP})(?:19|20)\d\d(?!\d)", re.IGNORECASE
            ),
            # "the weekend of 10-11 April": the date that follows names the days
            "of_date_re": re.compile(rf"{GAP}(?:{of_dm}){GAP}", re.IGNORECASE),
            # "the week of March 6", "the day before last Tuesday": a lead-in moving a day
            "lead_shift_re": re.compile(
                rf"(?<!\w)(?:{art}{GAP})?(?P<lead>{_alt(list(w['date_lead_shifts']))}){GAP}$",
                re.IGNORECASE,
            ),
            "set_re": re.compile(rf"(?<!\w){_alt(w['date_set_words'])}{GAP}$", re.IGNORECASE),
            # "Monday and Tuesday nights": weekdays with a plural part of the day recur (a SET)
            "set_after_re": re.compile(
                rf"(?:{GAP}{lst}{GAP}{wday})?{GAP}{_alt(w['date_set_day_parts'])}\b", re.IGNORECASE
            ),
            # "10 p.m. Wednesday", "noon Thursday": a time of day makes the mention a TIME
            "clock_re": re.compile(
                rf"(?:\d{{1,2}}(?:[:.]\d\d)?{SPO}{_alt(w['date_clock_suffixes'])}"
                rf"|(?<!\w){_alt(w['date_clock_words'])})(?:{SP}(?-i:[A-Z]{{2,4}}))?,?{SP}$",
                re.IGNORECASE,
            ),
        },
        months={k.lower(): v for k, v in months.items()},
        weekdays={k.lower(): v for k, v in weekdays.items()},
        tense=_tense_rules(w, [*months, *weekdays]),
    )


def _past_form(w: dict[str, Any]) -> str:
    """A lowercase word with a past-tense ending ("trained", "firmaron"), a weaker sign than a
    listed marker: "displaced people" and "armed groups" are adjectives, so are the exceptions."""
    lower = r"[^\W\d_A-ZÀ-ÖØ-Þ]"
    return (
        rf"(?!{_alt(w['date_past_suffix_exceptions'], flexible_space=False)}(?!\w))"
        rf"(?P<form>(?-i:{lower}{{3,}}{_alt(w['date_past_suffixes'], flexible_space=False)}))"
    )


def _tense_rules(w: dict[str, Any], names: list[str]) -> TenseRules:
    """The tense patterns: marker words, the passive and past perfect guards, abbreviations."""
    return TenseRules(
        # a word of a hyphened compound is no verb: "lower-than-expected earnings"; a clitic
        # ("we'll") follows its word
        markers=re.compile(
            rf"(?:(?<![\w-])|(?=['’]))(?:(?P<fut>{_alt(w['date_future_markers'])})"
            rf"|(?P<weak>{_alt(w['date_weak_future_markers'])})"
            rf"|(?P<past>{_alt(w['date_past_markers'])})|{_past_form(w)})(?!\w)",
            re.IGNORECASE,
        ),
        # "will be held", "to be signed", "is needed": a passive, no past
        passive=re.compile(rf"(?<!\w){_alt(w['date_passive_auxiliaries'])}{SP}$", re.IGNORECASE),
        # "had been due to", "had planned to": a plan told in the past perfect, since past
        past_before=re.compile(
            rf"(?<!\w){_alt(w['date_past_perfect_markers'])}{SP}$", re.IGNORECASE
        ),
        # words whose period ends no sentence: "Mr.", "Inc.", "Sept."
        abbreviations=frozenset(x.lower() for x in [*w["abbreviations"], *names] if len(x) <= 5),
        possessives=tuple(w["date_possessive_suffixes"]),
    )


def _spelled_year(w: dict[str, Any]) -> str:
    """A year in words, as read out in broadcasts: "nineteen ninety-six", "two thousand"."""
    if not w["date_spelled_centuries"] and not w["date_spelled_thousands"]:
        return "(?!)"  # a language without spelled years
    ones = _alt([k for k, v in w["date_spelled_numbers"].items() if v < 10])
    teens = _alt([k for k, v in w["date_spelled_numbers"].items() if v >= 10])
    tens = _alt(list(w["date_spelled_tens"]))
    cent = _alt(list(w["date_spelled_centuries"]))
    thousands = _alt(list(w["date_spelled_thousands"]))
    tail = rf"(?:{tens}(?:[ -]{ones})?|{teens})"
    return (
        rf"(?-i:\b(?:{cent}[ -]{tail}|{thousands}(?: and)?(?: {tail}| {ones})?)\b"
        rf"|\b(?:{_cased_words(w['date_spelled_centuries'])})[ -](?-i:{tail})\b)"
    )


def _cased_words(words: Any) -> str:
    return "|".join(sorted({x.capitalize() for x in words}, key=len, reverse=True)) or "(?!)"


def year_value(text: str, w: dict[str, Any]) -> int:
    """The year a matched year text stands for: "2019" or "nineteen ninety-six"."""
    if text.isdigit():
        return int(text)
    words = text.lower().replace("-", " ").replace(" and ", " ").split()
    numbers = {**w["date_spelled_numbers"], **w["date_spelled_tens"]}
    for phrase, value in w["date_spelled_thousands"].items():
        if " ".join(words[: len(phrase.split())]) == phrase:
            return int(value) + sum(numbers.get(x, 0) for x in words[len(phrase.split()) :])
    return w["date_spelled_centuries"][words[0]] * 100 + sum(numbers.get(x, 0) for x in words[1:])


# Word lists whose every entry must appear in a match of the alternative using it; the last word
# of each entry is a trigger. Names (months, weekdays) are matched Capitalised or UPPER only.
_NAME_KEYS = ("months", "month_abbreviations", "weekdays", "weekday_abbreviations")
_HEAD_KEYS = (
    "date_seasons",
    "date_relative_days",
    "date_units",
    "date_parts",
    "date_reference_words",
    "date_period_refs",
    "date_ago_words",
    "date_the_units",
    "date_spelled_centuries",
    "date_spelled_thousands",
    "date_holidays",
    "date_decade_words",
    "date_the_periods",
    "date_unit_ends",
)


# Word lists whose words may come before the first trigger of a match ("the end of", "next").
_LEAD_KEYS = (
    "date_articles",
    "date_modifiers",
    "date_relative_shifts",
    "date_fiscal_words",
    "date_number_words",
    "date_ordinals",
    "date_comparison_words",
    "date_period_nouns",
    "date_day_month_connectors",
    "date_month_year_connectors",
    "date_anaphora",
    "date_anaphora_modifiers",
    "date_vague_quantifiers",
)


def _calendar_units(w: dict[str, Any]) -> list[str]:
    """Singular unit words of days, weeks, months and years ("day", "year")."""
    units = w["date_units"] or {}
    return [k for k, v in units.items() if k == v and v in ("day", "week", "month", "year")]


def _lead_words(w: dict[str, Any]) -> frozenset[str]:
    """Lower-case words that can open a match before its first trigger: the lead-in lists, and
    every word but the last of multi-word trigger entries ("the near future", "to date")."""
    lead = {x for k in _LEAD_KEYS for entry in w[k] for x in entry.lower().split()}
    lead |= {x for k in _HEAD_KEYS for entry in w[k] for x in entry.lower().split()[:-1]}
    return frozenset(lead)


def _trigger(w: dict[str, Any], free: frozenset[str] = frozenset()) -> re.Pattern[str]:
    """Digits or a head word: some trigger lies inside every date expression the grammar finds.

    A case-sensitive alternation of literal words runs several times faster than the scanning
    pattern, so the scan only runs in short windows around triggers (see `scan_expressions`).
    Triggers start words, as every match of the scan does: the leading word boundary lets the
    engine skip the inside of words at once (twice as fast as trying digits everywhere).
    """
    names = {v for k in _NAME_KEYS for word in w[k] for v in (word.capitalize(), word.upper())}
    names |= free
    heads = {entry.split()[-1] for k in _HEAD_KEYS for entry in w[k]}
    forms = names | {v for h in heads for v in (h, h.capitalize(), h.upper())}
    # "Q3": the quarter code of the period pattern, the one match with digits inside a word
    return re.compile(r"\b(?:\d+|Q[1-4]|" + _trie(forms) + r"(?!\w))")


_WORD_KEYS_TEXT = """
    months month_abbreviations weekdays weekday_abbreviations ordinal_suffixes
    date_day_month_connectors date_month_year_connectors date_range_openers date_range_words
    date_list_words date_articles date_modifiers date_ordinals date_parts date_seasons
    date_fiscal_words date_relative_days date_relative_shifts date_units date_ago_words
    date_number_words date_reference_words date_table_reference_words date_future_markers
    date_weak_future_markers date_past_markers date_count_words date_prepositions
    date_ambiguous_months date_period_refs date_day_parts date_reference_blockers date_the_units
    date_comparison_words date_period_nouns date_ambiguous_seasons date_spelled_centuries
    date_spelled_thousands date_spelled_numbers date_spelled_tens date_set_words date_anaphora
    date_anaphora_modifiers date_clock_words date_clock_suffixes date_holidays date_decade_words
    date_century_words date_vague_quantifiers date_unit_ends date_the_periods date_relation_words
    date_passive_auxiliaries date_duration_heads date_lead_shifts date_past_perfect_markers
    date_past_suffixes date_past_suffix_exceptions
    date_year_back date_year_back_possessive date_possessive_suffixes date_reference_shifters
    date_set_day_parts abbreviations date_number_labels
"""
_WORD_KEYS = tuple(_WORD_KEYS_TEXT.split())  # every word list of the language data it reads
