"""Dates extractor: behaviour per case of the issue, negatives, properties, golden samples."""

from __future__ import annotations

import json
import os
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin_tools.extract.dates import extract_dates, find_dates, timeml_mentions
from bulletin_tools.extract.dates_patterns import build_grammar
from bulletin_tools.extract.dates_scan import _take, scan_expressions
from bulletin_tools.models import Item

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "data" / "samples").glob("*.txt"))
GOLDEN = ROOT / "tests" / "golden"
JUNE_2019 = date(2019, 6, 20)


def rows(text: str, anchor: date | None = JUNE_2019) -> list[tuple[str, str, str, str, str]]:
    return [
        (s.text, str(s.date_start), str(s.date_end), s.granularity, s.kind)
        for s in find_dates(text, anchor)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 October, 2019", [("10 October, 2019", "2019-10-10", "2019-10-10", "day", "date")]),
        ("February 28, 2019", [("February 28, 2019", "2019-02-28", "2019-02-28", "day", "date")]),
        ("On July 28 they will meet", [("July 28", "2019-07-28", "2019-07-28", "day", "date")]),
        ("Oct. 30 and", [("Oct. 30", "2018-10-30", "2018-10-30", "day", "date")]),
        ("It opens Sept. 8.", [("Sept. 8", "2019-09-08", "2019-09-08", "day", "date")]),
        ("It opened Sept. 8.", [("Sept. 8", "2018-09-08", "2018-09-08", "day", "date")]),
        ("met on May 16-17", [("May 16-17", "2019-05-16", "2019-05-17", "day", "range")]),
        ("March 5-6", [("March 5-6", "2019-03-05", "2019-03-06", "day", "range")]),
        ("September 8 to 11", [("September 8 to 11", "2019-09-08", "2019-09-11", "day", "range")]),
        (
            "from 31 August to 2 September",
            [("31 August to 2 September", "2019-08-31", "2019-09-02", "day", "range")],
        ),
        (
            "between January and June 2019",
            [("January and June 2019", "2019-01-01", "2019-06-30", "month", "range")],
        ),
        ("the 2019-2025 Work Plan", [("2019-2025", "2019-01-01", "2025-12-31", "year", "period")]),
        (
            "the 2019\u20132024 strategy",
            [("2019\u20132024", "2019-01-01", "2024-12-31", "year", "period")],
        ),
        ("In August 2019, they", [("August 2019", "2019-08-01", "2019-08-31", "month", "date")]),
        (
            "the first half of 2019",
            [("first half of 2019", "2019-01-01", "2019-06-30", "half", "period")],
        ),
        ("Since 2016, the", [("2016", "2016-01-01", "2016-12-31", "year", "date")]),
        ("last month", [("last month", "2019-05-01", "2019-05-31", "month", "relative")]),
        ("yesterday", [("yesterday", "2019-06-19", "2019-06-19", "day", "relative")]),
        ("next year", [("next year", "2020-01-01", "2020-12-31", "year", "relative")]),
        ("this week", [("this week", "2019-06-17", "2019-06-23", "week", "relative")]),
        (
            "the third quarter of 2019",
            [("third quarter of 2019", "2019-07-01", "2019-09-30", "quarter", "period")],
        ),
    ],
)
def test_cases_of_the_issue(text: str, expected: list[tuple[str, ...]]) -> None:
    assert rows(text) == expected


def test_lists_give_one_row_per_element() -> None:
    got = rows("On May 22 and 27, 45 officials met")
    assert [(r[0], r[1], r[4]) for r in got] == [
        ("May 22", "2019-05-22", "list element"),
        ("27", "2019-05-27", "list element"),
    ]
    got = rows("met on 30 October and 11 November 2018.")
    assert [(r[0], r[1]) for r in got] == [
        ("30 October", "2018-10-30"),
        ("11 November 2018", "2018-11-11"),
    ]
    got = rows("met on 4 and 5 June for")
    assert [r[1] for r in got] == ["2019-06-04", "2019-06-05"]
    got = rows("On May 23 and 24, 2019, the")
    assert [r[1] for r in got] == ["2019-05-23", "2019-05-24"]


def test_between_two_days_is_a_range_not_a_list() -> None:
    assert rows("Between 1 and 15 March, 300 people arrived.") == [
        ("1 and 15 March", "2019-03-01", "2019-03-15", "day", "range")
    ]
    assert [r[4] for r in rows("On 14 and 15 May they met.")] == ["list element"] * 2


def test_the_weekend_of_a_date_is_that_date() -> None:
    assert rows("Over the weekend of 10-11 April, the centre opened.") == [
        ("10-11 April", "2019-04-10", "2019-04-11", "day", "range")
    ]
    assert [r[0] for r in rows("Over the weekend, the centre opened.")] == ["the weekend"]


def test_the_week_of_a_month_is_no_week() -> None:
    assert rows("The first week of June saw 200 arrivals.") == [
        ("June", "2019-06-01", "2019-06-30", "month", "date")
    ]


def test_a_count_word_before_a_pair_of_years_reads_years() -> None:
    assert [r[0] for r in rows("Over 2019 and 2020, arrivals doubled.")] == ["2019", "2020"]
    assert [r[0] for r in rows("Over 2000 in 2019 arrived; some 2000 to 3000 people")] == ["2019"]


def test_tense_moves_year_less_dates() -> None:
    anchor = date(2019, 6, 20)
    past = find_dates("The committee met on May 16-17.", anchor)[0]
    future = find_dates("They will present the plans in May.", anchor)[0]
    assert past.date_start == date(2019, 5, 16)
    assert future.date_start == date(2020, 5, 1)


def test_numbers_that_look_like_years() -> None:
    assert rows("Report No. 2021 was released.") == []
    assert rows("Call 1-800-2020 for help.") == []
    assert [r[0] for r in rows("the U.S. 2021 budget")] == ["2021"]


def test_abbreviated_month_ranges_and_school_years() -> None:
    assert rows("Jan\u2013Mar 2021 figures") == [
        ("Jan\u2013Mar 2021", "2021-01-01", "2021-03-31", "month", "range")
    ]
    assert rows("floods of Sept-Oct 2020")[0][1:3] == ("2020-09-01", "2020-10-31")
    assert rows("the Jan. 5 meeting") == [("Jan. 5", "2019-01-05", "2019-01-05", "day", "date")]
    assert rows("Jan and Mar.") == []  # bare abbreviations stay no dates
    assert rows("the 2020/21 school year") == [
        ("2020/21", "2020-01-01", "2021-12-31", "year", "period")
    ]
    assert rows("the 2020/2025 plan") == []  # a slash pairs consecutive years only


def test_past_is_heard_in_verb_forms_not_only_listed_words() -> None:
    anchor = date(1989, 9, 20)
    regular = find_dates("The operator changed its fiscal year in January.", anchor)[0]
    irregular = find_dates("In January, the company brought in a new chief.", anchor)[0]
    assert regular.date_start == date(1989, 1, 1)  # without a tense: the January to come
    assert irregular.date_start == date(1989, 1, 1)
    # an adjective in -ed is no past; a listed marker near the date outweighs a past ending
    assert find_dates("Aid for displaced families in January.", anchor)[0].date_start == date(
        1990, 1, 1
    )
    ahead = find_dates("Trained staff will return in January.", anchor)[0]
    assert ahead.date_start == date(1990, 1, 1)
    assert find_dates("The unit is in January.", anchor)[0].date_start == date(1990, 1, 1)
    # Spanish past endings are data too: "se reunió", "firmaron"; "reunión" is no verb
    es = ("en", "es")
    for text, year in [
        ("El comité se reunió en enero.", 1989),
        ("Los ministros firmaron el acuerdo en enero.", 1989),
        ("La reunión es en enero.", 1990),
    ]:
        assert find_dates(text, anchor, languages=es)[0].date_start == date(year, 1, 1), text


def test_weekday_settles_the_year() -> None:
    span = find_dates("started this Wednesday, September 9, the camp", date(2019, 10, 1))[0]
    assert (span.date_start, span.year_source) == (date(2020, 9, 9), "weekday")


def test_no_anchor_leaves_year_unresolved() -> None:
    span = find_dates("On July 28, Guatemala held", None)[0]
    assert span.date_start is None and span.partial == "--07-28"
    assert span.year_source == "unresolved"


def test_dayfirst_and_monthfirst() -> None:
    assert find_dates("on 03/04/2019")[0].date_start == date(2019, 4, 3)
    assert find_dates("on 03/04/2019", dayfirst=False)[0].date_start == date(2019, 3, 4)


@pytest.mark.parametrize(
    "text",
    [
        "The camp consists of 4 days and a week of rest.",
        "45 officials and 33 thousand migrants, 57% of them",
        "It cost $2019 and 1,500 interviews.",
        "You may go; we may stay. We said so.",
        "Ponele plan a tu vida",
        "the International Health Regulations (2005) and IHR 2005",
        "some 2000 people, more than 1999 children",
        "COVID-19 and 1-800-733-2767",
    ],
)
def test_not_dates(text: str) -> None:
    assert rows(text) == []


def test_timeml_endpoints_and_values() -> None:
    item = Item("d1", "doc", 0, "2019-06-20", "", "met on May 16-17 and in the third quarter", 0, 0)
    got = [(m["text"], m["value"]) for m in timeml_mentions([item])]
    assert got == [("May 16", "2019-05-16"), ("17", "2019-05-17"), ("the third quarter", "2018-Q3")]


def test_extract_uses_dump_dates_for_undated_items() -> None:
    items = [
        Item("a", "s", 0, "2019-06-01", "Title", "Text.", 1, 2),
        Item("b", "s", 1, None, "Other", "The meeting was held on May 30.", 3, 4),
    ]
    got = list(extract_dates(items))
    assert [(m.item_id, m.date_start, m.year_source) for m in got] == [
        ("b", "2019-05-30", "dump dates")
    ]


def timeml(text: str, dct: str = "1989-10-26") -> list[tuple[object, ...]]:
    item = Item("d", "doc", 0, dct, "", text, 0, 0)
    return [(m["text"], m["type"], m["value"]) for m in timeml_mentions([item])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a part of the day rides on the TimeML value
        ("Castro spoke Wednesday night to", [("Wednesday night", "DATE", "1989-10-25TNI")]),
        # a clock time makes it a TIME, not a DATE
        ("until 9 a.m. Tuesday to", [("Tuesday", "TIME", "1989-10-24")]),
        # "a year earlier" after talk of a quarter: that quarter, a year back
        (
            "Third-quarter net rose to $5 million from $4 million a year earlier.",
            [("Third-quarter", "DATE", "1989-Q3"), ("a year earlier", "DATE", "1988-Q3")],
        ),
        ("In the year-ago quarter, it lost", [("the year-ago quarter", "DATE", "1988")]),
        (
            "In the third quarter, sales fell from the year-ago third quarter.",
            [
                ("the third quarter", "DATE", "1989-Q3"),
                ("the year-ago third quarter", "DATE", "1988-Q3"),
            ],
        ),
        # a quarter still to be reported is this year's, not next year's
        ("It expects to report third-quarter results.", [("third-quarter", "DATE", "1989-Q3")]),
        ("In nineteen ninety-one Keating was", [("nineteen ninety-one", "DATE", "1991")]),
        ("by the year two thousand", [("the year two thousand", "DATE", "2000")]),
        ("some two thousand people", []),
        ("in the late 1970s", [("late 1970s", "DATE", "197")]),
        ("over the summer, sales", [("the summer", "DATE", "1989-SU")]),
        ("this past spring", [("past spring", "DATE", "1989-SP")]),
        ("Over the weekend, traders", [("the weekend", "DATE", "1989-W42-WE")]),
        ("in the current fiscal year", [("the current fiscal year", "DATE", "1989")]),
        # the end of a unit, and "the year" of results talk: the unit under way at the anchor
        ("by the end of the month", [("the end of the month", "DATE", "1989-10")]),
        ("to close the deal by year-end.", [("year-end", "DATE", "1989")]),
        ("Sales for the full year rose", [("the full year", "DATE", "1989")]),
        ("For the week, the index fell", [("the week", "DATE", "1989-W43")]),
        # ... but not the fiscal year ended some day (a duration), nor "the year before"
        ("for the year ended March 31, and the year before", [("March 31", "DATE", "1989-03-31")]),
        (
            "a decade ago, and several years ago",
            [
                ("a decade ago", "DATE", "1979"),
                ("several years ago", "DATE", "PAST_REF"),
            ],
        ),
        # "soon" is mostly a relation to an event ("soon after"), no date of its own
        ("was killed soon after", []),
        ("as soon as possible, as soon as Tuesday", [("Tuesday", "DATE", "1989-10-31")]),
        ("flights leave each Thursday and every July", []),
        # a hedge before a possessive weekday does not date the event it names; "will" does
        (
            "Exiles said they would look for ways around Wednesday's ruling",
            [("Wednesday", "DATE", "1989-10-25")],
        ),
        ("She will attend Tuesday's meeting", [("Tuesday", "DATE", "1989-10-31")]),
        # weekdays with a plural part of the day recur: a SET, no date
        ("two flights on Monday and Tuesday nights", []),
        ("on Tuesday night", [("Tuesday night", "DATE", "1989-10-24TNI")]),
        # a bare weekday goes forward after a sign of plans before it ("planned to", "set to")
        ("The team planned to leave on Monday for", [("Monday", "DATE", "1989-10-30")]),
        ("talks, set to resume Monday in Belfast", [("Monday", "DATE", "1989-10-30")]),
        # a period after an initial or an abbreviation ends no sentence: "will" still governs
        (
            "Mr. Smith will succeed Daniel P. Davison on March 1.",
            [("March 1", "DATE", "1990-03-01")],
        ),
        # a plan told in the past perfect has passed; a past progressive plan still lies ahead
        (
            "It had been due to expire Friday evening.",
            [("Friday evening", "DATE", "1989-10-20TEV")],
        ),
        ("Protesters were planning to march on Monday", [("Monday", "DATE", "1989-10-30")]),
        # a clitic future marker ("they'll") counts though it follows its word
        ("They said they'll meet on Monday in Paris.", [("Monday", "DATE", "1989-10-30")]),
        # ... and a sign after it counts only when the weekday opens its clause
        ("On Tuesday, the league will hold a rally", [("Tuesday", "DATE", "1989-10-31")]),
        ("On Friday, the government planned to pay", [("Friday", "DATE", "1989-10-20")]),
        (
            "They issued a statement Friday saying entry will help",
            [("Friday", "DATE", "1989-10-20")],
        ),
        # the anchor's own weekday is the anchor day; a compound word is no verb
        ("Officials said Thursday that", [("Thursday", "DATE", "1989-10-26")]),
        (
            "lower-than-expected earnings after the market closed Wednesday",
            [("Wednesday", "DATE", "1989-10-25")],
        ),
        # "the past" is a past reference, but heads a duration before a count or a unit
        (
            "In the past, Russia claimed it; for the past twenty years and the past century",
            [("the past", "DATE", "PAST_REF")],
        ),
        # a capitalised unit inside prose is a title ("This Week"), not in a Title Case headline
        ('said on ABC\'s "This Week" program that', []),
        ("Ministers To Meet Next Week", [("Next Week", "DATE", "1989-W44")]),
        # a lead-in moving a day: "the week of", "the day before"
        (
            "a hearing the week of March 6, 2000, said",
            [("the week of March 6, 2000", "DATE", "2000-W10")],
        ),
        (
            "The day before last Tuesday's hearing",
            [("The day before last Tuesday", "DATE", "1989-10-23")],
        ),
        # a present passive ("is signed") is no past: a month three months ahead stays ahead
        ("The accord is signed in February.", [("February", "DATE", "1990-02")]),
        ("the redemption on Nov. 16 its $150 million", [("Nov. 16", "DATE", "1989-11-16")]),
        ("since the August 7 bombings", [("August 7", "DATE", "1989-08-07")]),
        # named days, by date or by rule; centuries and decades in words
        ("ends on Thanksgiving Day, at home", [("Thanksgiving Day", "DATE", "1989-11-23")]),
        (
            "until Election Day and on World Refugee Day",
            [("Election Day", "DATE", "1989-11-07"), ("World Refugee Day", "DATE", "1989-06-20")],
        ),
        (
            "a 20th century democrat, through the nineties",
            [("20th century", "DATE", "19"), ("the nineties", "DATE", "199")],
        ),
        # a period with its year-back tail is one TIMEX3: that period, a year back
        (
            "Net rose in the quarter. It lost money in the corresponding period last year.",
            [
                ("the quarter", "DATE", "1989-Q3"),
                ("the corresponding period last year", "DATE", "1988-Q3"),
            ],
        ),
        ("For the quarter a year ago, it earned", [("the quarter a year ago", "DATE", "1988-Q3")]),
        ("Sales for last year's quarter were", [("last year's quarter", "DATE", "1988-Q3")]),
        (
            "Profit fell from the same period last year.",
            [("the same period last year", "DATE", "1988")],
        ),
        # "the year-earlier nine months" heads a duration, as "the past two years" does
        ("Net for the year-earlier nine months rose", []),
        ("compared with year-earlier net income", [("year-earlier", "DATE", "1988")]),
        # "the latest fiscal year" is the last one closed, as "the latest quarter" is
        (
            "sales in the latest fiscal year and the latest quarter",
            [("the latest fiscal year", "DATE", "1988"), ("the latest quarter", "DATE", "1989-Q3")],
        ),
        # a two-digit decade takes the century that puts it nearest ahead of the anchor
        (
            "the last half of the '80s, and since the mid-'20s",
            [("the last half of the '80s", "DATE", "198"), ("the mid-'20s", "DATE", "192")],
        ),
        ("when he was in his 30s", []),
        # "the last decade" is a decade (TimeML "198" written in 1989: the 1970s); "the past
        # decade" a duration
        (
            "lost in the last decade, and over the past decade",
            [("the last decade", "DATE", "197")],
        ),
        # like "the near term": other spans of time ahead with no date of their own
        (
            "placate holders in the short term, or at a later date",
            [("the short term", "DATE", "FUTURE_REF"), ("a later date", "DATE", "FUTURE_REF")],
        ),
        # "then" moves a present reference to a past moment
        ("at the then current market price", [("then current", "DATE", "PAST_REF")]),
        ("the then-current chairman", [("then-current", "DATE", "PAST_REF")]),
        # "coming" with a plural unit is some time ahead (HeidelTime's reading); "past" ones are
        # durations
        (
            "to slow in coming months, after the past two months",
            [("coming months", "DATE", "FUTURE_REF")],
        ),
        # "this year's third quarter": one TIMEX3, that part of the shifted year
        (
            "Sales for this year's third quarter rose",
            [("this year's third quarter", "DATE", "1989-Q3")],
        ),
        (
            "as early as next year's first quarter.",
            [("next year's first quarter", "DATE", "1990-Q1")],
        ),
        # a year after an owner's name is a year; after a bare name it is part of the name
        ("He said Navigation Mixte's 1989 profit fell", [("1989", "DATE", "1989")]),
        ("under Vision 2030 plans", []),
        # a half named by another phrase is still the TIMEX3 half of that year
        ("earnings for the last half of 1989", [("the last half of 1989", "DATE", "1989-H2")]),
        (
            "through the first two quarters of 1990, when",
            [("the first two quarters of 1990", "DATE", "1990-H1")],
        ),
    ],
)
def test_timeml_conventions(text: str, expected: list[tuple[object, ...]]) -> None:
    assert timeml(text) == expected


def test_two_digit_decade_century_follows_the_anchor() -> None:
    assert timeml("back in the '90s and the '20s", "2024-03-01") == [
        ("the '90s", "DATE", "199"),
        ("the '20s", "DATE", "202"),
    ]


def test_anaphoric_dates_read_against_the_date_before() -> None:
    got = rows("He fled in June 1998 and returned later that year. The following month, he left.")
    assert [(r[0], r[1]) for r in got] == [
        ("June 1998", "1998-06-01"),
        ("later that year", "1998-01-01"),
        ("The following month", "1998-07-01"),
    ]


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        (date(1989, 10, 26), date(1989, 4, 1)),  # "last April" in October: this year's
        (date(1989, 5, 10), date(1988, 4, 1)),  # in May, "last month" would say it: a year back
        (date(1989, 4, 10), date(1988, 4, 1)),  # in April itself: the one before
    ],
)
def test_last_named_month(anchor: date, expected: date) -> None:
    assert find_dates("The plant closed last April.", anchor)[0].date_start == expected


def test_week_of_a_day_is_that_week() -> None:
    span = find_dates("in the week of 4 June 2019 talks", None)[0]
    assert (span.text, span.date_start, span.date_end, span.granularity) == (
        "the week of 4 June 2019",
        date(2019, 6, 3),
        date(2019, 6, 9),
        "week",
    )


def test_tense_is_soft_for_days_near_the_anchor() -> None:
    anchor = date(1989, 10, 30)
    extended = find_dates("The offer was extended to Nov. 16.", anchor)[0]
    assert extended.date_start == date(1989, 11, 16)  # two weeks ahead, despite "was"
    blasts = find_dates("Aid would follow the Aug. 7 terrorist blasts.", date(1998, 8, 18))[0]
    assert blasts.date_start == date(1998, 8, 7)  # eleven days back, despite "would"
    months = find_dates("They will present the plans in May.", date(2019, 6, 20))[0]
    assert months.date_start == date(2020, 5, 1)  # a month gone by is next year's


def test_year_earlier_in_the_sentence_beats_the_dump() -> None:
    items = [
        Item("a", "s", 0, None, "T", "Dated 1 May 2019.", 1, 2),
        Item("b", "s", 1, None, "U", "Throughout 2023, from a few in January to more.", 3, 4),
        Item("c", "s", 2, None, "V", "Met on 4 June on the plan approved in 2018.", 5, 6),
    ]
    got = {(m.item_id, m.text): (m.date_start, m.year_source) for m in extract_dates(items)}
    assert got[("b", "January")] == ("2023-01-01", "nearby text")
    assert got[("c", "4 June")] == ("2019-06-04", "dump dates")  # a later year is another clause


def test_a_span_of_years_stays_a_period_in_a_name() -> None:
    assert rows("the National Development Plan 2019-2024 and IHR 2005") == [
        ("2019-2024", "2019-01-01", "2024-12-31", "year", "period")
    ]


def _whole_text_scan(
    text: str, langs: tuple[str, ...] = ("en",)
) -> list[tuple[int, int, str, str]]:
    """The reference the windowed scan must equal: the scanning pattern run over all the text."""
    g = build_grammar(langs)
    out: list = []
    pos = 0
    while pos < len(text):
        m = g.scan.search(text, pos)
        if m is None:
            break
        pos = _take(m, text, g, True, out, pos)
    return [(e.start, e.end, e.kind, e.join) for e in out]


def _windowed(text: str, langs: tuple[str, ...] = ("en",)) -> list[tuple[int, int, str, str]]:
    return [(e.start, e.end, e.kind, e.join) for e in scan_expressions(text, build_grammar(langs))]


# pieces of date expressions and their neighbours, for random texts, "|"-separated
_PIECES_TEXT = (
    "the end of|early|mid-|May|June|Sept.|Wednesday|16|2019|1990s|-|to|and|, |  |\n|last|"
    "next|week|year|years|ago|a|the first half of|quarter|third|Q3|fiscal|now|that|"
    "following|summer|nineteen|ninety-one|two thousand|x|Abc|1,500|%|$|morning|period|same|"
    "corresponding|last year's|year's|nights|Monday|'80s|"
    "year-end|full|ended|of|several|few|decade|mayo|de|del|al|lunes|próximo|junio|y|entre"
)
_PIECES = _PIECES_TEXT.split("|")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(_PIECES),
        max_size=30,
    ).map(" ".join)
)
def test_windowed_scan_equals_whole_text_scan(text: str) -> None:
    assert _windowed(text) == _whole_text_scan(text)
    assert _windowed(text, ("en", "es")) == _whole_text_scan(text, ("en", "es"))


def test_windowed_scan_finds_digits_inside_a_word() -> None:
    # triggers start words; "Q3" is the one match whose digits sit inside a word
    assert _windowed("in Q3 2019 and Q4-2020") == _whole_text_scan("in Q3 2019 and Q4-2020")
    assert _windowed("Q3 2019") == [(0, 7, "period", "single")]


def test_windowed_scan_equals_whole_text_scan_on_samples() -> None:
    for path in SAMPLES:
        text = path.read_text(encoding="utf-8")
        assert _windowed(text) == _whole_text_scan(text)


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("May 16-17, 2019 and June é“”’ –Wednesday\n0123")),
        max_size=80,
    )
)
def test_offsets_match_the_text(text: str) -> None:
    for span in find_dates(text, JUNE_2019):
        assert text[span.start : span.end] == span.text


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_no_crash_on_any_text(text: str) -> None:
    for span in find_dates(text, JUNE_2019):
        assert text[span.start : span.end] == span.text


def test_accented_and_curly_text_offsets() -> None:
    text = "“Médecins Sans Frontières” – café ’s report of 4 and 5 June 2019 São Paulo"
    spans = find_dates(text)
    assert [s.text for s in spans] == ["4", "5 June 2019"]
    assert all(text[s.start : s.end] == s.text for s in spans)


@pytest.mark.parametrize(
    "bad",
    [
        "1" * 200_000,
        "1, " * 70_000,
        "1-" * 100_000,
        "May " * 50_000,
        "Aaa Bbb " * 25_000,
        "2019-" * 40_000,
        "the first " * 20_000,
    ],
)
def test_adversarial_inputs_stay_fast(bad: str) -> None:
    t0 = time.perf_counter()
    find_dates(bad, JUNE_2019)
    assert time.perf_counter() - t0 < 5.0


def test_scaling_is_roughly_linear() -> None:
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in SAMPLES)
    small, big = base * 4, base * 16
    find_dates(small)
    t1 = min(_timed(small) for _ in range(3))
    t4 = min(_timed(big) for _ in range(3))
    assert t4 < 4 * t1 * 2.0  # generous cap: catches quadratic blow-ups, not noise


def _timed(text: str) -> float:
    t0 = time.perf_counter()
    find_dates(text, JUNE_2019)
    return time.perf_counter() - t0


def _sample_items(path: Path) -> list[Item]:
    """Items via the project's parser when it exists, else paragraphs as items."""
    text = path.read_text(encoding="utf-8")
    try:
        from bulletin_tools.parse import parse_dump

        return list(parse_dump(text, path.name))
    except ImportError:
        paras = [p.strip() for p in text.split("\n\n") if p.strip()]
        return [
            Item(f"{path.stem}:{i}", path.name, i, None, "", p, 0, 0) for i, p in enumerate(paras)
        ]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_golden_samples(path: Path) -> None:
    got = [m.to_row() for m in extract_dates(_sample_items(path))]
    golden = GOLDEN / f"dates_{path.stem}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))


ES_ANCHOR = date(2019, 6, 10)  # a Monday


@pytest.mark.parametrize("langs", [("es",), ("en", "es")])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Spanish writes month and weekday names in lower case (`date_capitalised_names: false`)
        ("Se firmó el 5 de mayo de 2019.", [("5 de mayo de 2019", "2019-05-05", "2019-05-05")]),
        ("Será del 3 al 5 de junio.", [("3 al 5 de junio", "2019-06-03", "2019-06-05")]),
        (
            "Llegaron entre enero y junio de 2019.",
            [("enero y junio de 2019", "2019-01-01", "2019-06-30")],
        ),
        ("Se reunirán el próximo lunes.", [("próximo lunes", "2019-06-17", "2019-06-17")]),
        ("El Mar Menor y el mar", []),  # abbreviations stay cased: "mar" is the sea
    ],
)
def test_spanish_lower_case_names(
    text: str, expected: list[tuple[str, str, str]], langs: tuple[str, ...]
) -> None:
    got = find_dates(text, ES_ANCHOR, languages=langs)
    assert [(s.text, str(s.date_start), str(s.date_end)) for s in got] == expected


def test_english_names_stay_capitalised_with_spanish_loaded() -> None:
    # the modal "may" and the verb "march" are no months, whichever languages are loaded
    for langs in (("en",), ("en", "es")):
        text = "It may rain as they march in 2019 and on May 5"
        assert [s.text for s in find_dates(text, ES_ANCHOR, languages=langs)] == ["2019", "May 5"]
