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
        ("It opened Sept. 8.", [("Sept. 8", "2019-09-08", "2019-09-08", "day", "date")]),
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
    assert [(r[1], r[4]) for r in got] == [
        ("2019-05-22", "list element"),
        ("2019-05-27", "list element"),
    ]
    got = rows("met on 4 and 5 June for")
    assert [r[1] for r in got] == ["2019-06-04", "2019-06-05"]
    got = rows("On May 23 and 24, 2019, the")
    assert [r[1] for r in got] == ["2019-05-23", "2019-05-24"]


def test_tense_moves_year_less_dates() -> None:
    anchor = date(2019, 6, 20)
    past = find_dates("The committee met on May 16-17.", anchor)[0]
    future = find_dates("They will present the plans in May.", anchor)[0]
    assert past.date_start == date(2019, 5, 16)
    assert future.date_start == date(2020, 5, 1)


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
    assert spans and all(text[s.start : s.end] == s.text == "4 and 5 June 2019" for s in spans)


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
