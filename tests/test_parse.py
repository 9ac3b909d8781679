"""Segmentation: the five samples exactly (golden file), layouts, and 'nothing lost' properties."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bulletin_tools.lines import (
    chrome_reason,
    classify_line,
    classify_window,
    marks_of,
    normalise_text,
    parse_date_line,
    split_dated_title,
    strip_title_marks,
)
from bulletin_tools.models import Item, NoiseLine
from bulletin_tools.parse import parse_dump, parse_lines
from bulletin_tools.pipeline import InputReader

from .conftest import GOLDEN, SAMPLES, UPDATE_GOLDEN, accounted_lines, bare

EXPECTED_COUNTS = {"000": 8, "001": 10, "002": 10, "003": 10, "004": 8}


def sample_items() -> list[Item]:
    return list(InputReader([str(SAMPLES)]).items())


def test_sample_item_counts():
    counts: dict[str, int] = {}
    for item in sample_items():
        counts[item.source[:3]] = counts.get(item.source[:3], 0) + 1
    assert counts == EXPECTED_COUNTS


def test_samples_match_reviewed_golden_file():
    """tests/golden/parse_samples.jsonl was reviewed by eye; regenerate with UPDATE_GOLDEN=1."""
    path = GOLDEN / "parse_samples.jsonl"
    got = [item.to_row() for item in sample_items()]
    if UPDATE_GOLDEN:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in got), "utf-8")
    want = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    assert len(got) == len(want)
    for mine, gold in zip(got, want, strict=True):
        assert mine == gold, mine["item_id"]


def test_sample_bodies_keep_bullets_and_paragraphs():
    items = {i.item_id: i for i in sample_items()}
    chiapas = items["002_22d4cd1e50c04007-0005"]
    assert chiapas.title == "IOM interviews migrants from caravans in Chiapas"
    assert chiapas.body.startswith("\u2022 Violence and the search for work")
    assert "\n\u2022 Access to basic resources" in chiapas.body
    two_paragraphs = items["001_88cb6e8f431a2dd6-0002"]
    assert two_paragraphs.body.count("\n\n") == 1


def test_dateline_at_body_start_is_not_a_new_item():
    item = next(i for i in sample_items() if i.title.startswith("IOM promotes labor integration"))
    assert item.body.startswith("Tijuana, Mexico, February 28, 2019.")
    assert item.date == "2019-03-08"


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("10 October, 2019", "2019-10-10"),
        ("October 10, 2019", "2019-10-10"),
        ("Thursday, 10 October 2019", "2019-10-10"),
        ("2019-10-10", "2019-10-10"),
        ("Posted on August 21st, 2013", "2013-08-21"),
        ("20. May 2016 - 7:42", "2016-05-20"),
        ("21/03/2023 | Press release", "2023-03-21"),
        ("Aug. 23, 2012", "2012-08-23"),
        ("Sept. 29, 2023", "2023-09-29"),
        ("5 de marzo de 2019", "2019-03-05"),
        ("10 October 2019 \u00b7 3 min read", "2019-10-10"),
        ("2019/10/10", "2019-10-10"),
        ("Published: 10 Oct. 2019", "2019-10-10"),
        ("October 2023", None),
        ("On May 22 and 27, 45 officials met", None),
        ("31 February, 2019", None),
        ("On\u2009May 5, 2019", "2019-05-05"),  # a thin space after a two-letter opening word
        ("SEPT. 29, 2023", "2023-09-29"),
        ("10-Oct-2019", "2019-10-10"),
        ("10 de octubre del 2019", "2019-10-10"),  # connectors from the language data
        ("10/Oct/2019", "2019-10-10"),
        ("Thursday, October 10, 2019 by Jane Doe", "2019-10-10"),
        ("12 de marzo de 2021 \u2014 por Ana P\u00e9rez de la Cruz", "2021-03-12"),
        ("On 10 October 2019, by decree the government", None),  # a sentence, not a byline
        ("10 October 2019 by the end of the month", None),
        ("Last updated: 12 March 2021", "2021-03-12"),
        ("Fecha de publicaci\u00f3n: 12/03/2021", "2021-03-12"),
        ("(12 March 2021)", "2021-03-12"),  # brackets around the whole line
        ("[12 March 2021]", "2021-03-12"),
        ("(12 March 2021]", None),
    ],
)
def test_date_lines(line, iso):
    assert parse_date_line(line) == iso


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Home > News > Press releases and statements from the office", "chrome"),
        ("Home \u203a Media centre \u203a News", "chrome"),
        ("Mexico / Guatemala / Honduras sign an agreement on migration", "text"),
        ("Displaying 1 - 25 of 106", "chrome"),
        ("Share | Tweet | Email", "chrome"),
        ("\u00a9 IOM 2019 / Photo: John Doe", "chrome"),
        ("* * *", "separator"),
        ("Read more \u00bb", "chrome"),
        ("Compartir en Facebook", "chrome"),
        ("READ MORE " + "\u00bb" * 12, "chrome"),  # longer than any chrome word, until trimmed
        ("Share this article:", "chrome"),
        ("Read more about the new shelters", "text"),
        ("IOM and UNHCR > call for action", "text"),
    ],
)
def test_line_kinds(line, kind):
    assert classify_line(1, line).kind == kind


def test_numeric_date_line_follows_dayfirst_choice():
    assert parse_date_line("03/04/2019") == "2019-04-03"
    assert parse_date_line("03/04/2019", dayfirst=False) == "2019-03-04"
    assert parse_date_line("13/04/2019", dayfirst=False) == "2019-04-13"


DUMP_DATE_BELOW = """\
News digest, issue 12

## Floods displace thousands in the north
Tuesday, March 1, 2016
Heavy rains displaced thousands of families, officials said on Monday.
Read more

## Ministers agree on a new migration framework
2 March 2016
The ministers met in the capital and signed the framework.

Share this
"""


DUMP_HEADINGS_OVER_DATES = """\
Boletín N° 14 - Marzo 2021

MÉXICO: ACNUR ABRE OFICINA EN TAPACHULA
12 de marzo de 2021
La agencia abrió una oficina en Tapachula para atender a solicitantes de asilo.
La oficina atenderá a más de 300 personas por semana.

GUATEMALA: RETORNADOS RECIBEN APOYO
15 de marzo de 2021
Unas 1.200 personas retornadas recibieron apoyo psicosocial en la primera quincena.

HONDURAS: NUEVA CAMPAÑA INFORMATIVA
El 20 de marzo se lanzó una campaña informativa en San Pedro Sula con 45 funcionarios.
"""


def test_a_heading_over_its_date_beats_the_sentence_under_it():
    """Heading, date line and body with no blank lines between: the date line has a possible
    title on both sides, and the habit of the dump is told by the heading (a strong title)
    against the sentence (only a weak one), not left to a tie that picked the sentence."""
    items = parse_dump(DUMP_HEADINGS_OVER_DATES, "b.txt")
    assert [(i.title, i.date) for i in items] == [
        ("MÉXICO: ACNUR ABRE OFICINA EN TAPACHULA", "2021-03-12"),
        ("GUATEMALA: RETORNADOS RECIBEN APOYO", "2021-03-15"),
        ("HONDURAS: NUEVA CAMPAÑA INFORMATIVA", None),
    ]
    assert items[0].body.startswith("La agencia abrió") and items[1].body.startswith("Unas 1.200")


DUMP_MARKDOWN_EMPHASIS = """\
# Regional Migration Bulletin

**Issue 22 — October 2019**

## A new migrant resource centre opens in the capital

*10 October 2019*

The centre will offer legal advice and health referrals to around 300 people a week.

**Returnees receive reintegration support in the north**

_12 October 2019_

More than 1,200 returnees received cash grants and training in October.

* one bullet line in the body
"""


def test_markdown_emphasis_around_titles_and_date_lines_is_markup():
    """Pages converted to Markdown wrap headings in ** and date lines in * or _: the dump had
    no items at all when the date lines were not read as dates."""
    items = parse_dump(DUMP_MARKDOWN_EMPHASIS, "m.txt")
    assert [(i.title, i.date, i.date_line) for i in items] == [
        ("A new migrant resource centre opens in the capital", "2019-10-10", "*10 October 2019*"),
        ("Returnees receive reintegration support in the north", "2019-10-12", "_12 October 2019_"),
    ]
    assert items[1].body.endswith("* one bullet line in the body")
    assert parse_date_line("**10 October 2019**") == "2019-10-10"
    assert strip_title_marks("* not emphasis*") == "* not emphasis*"


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("\u25b6 Floods in the north", "Floods in the north"),
        ("\u26a0\ufe0f Floods in the north", "Floods in the north"),  # with a variation selector
        ("\U0001f469\u200d\u2695\ufe0f Nurses trained", "Nurses trained"),  # a ZWJ sequence
        ("\u2022 a list bullet stays", "\u2022 a list bullet stays"),
        ("\u25b6Floods", "\u25b6Floods"),  # no space: not a mark
        ("\u25b6", "\u25b6"),
    ],
)
def test_pictograph_marks_before_a_title_are_dropped(line, title):
    assert strip_title_marks(line) == title


LAYOUTS = {
    # a form-like export: field labels are not part of the title ("Mexico:" is a place)
    "field labels": (
        "Fecha: 12/03/2021\nTítulo: ACNUR abre una oficina en Tapachula\n"
        "La agencia abrió una oficina para atender a solicitantes de asilo.\n\n"
        "Date: 15/03/2021\nTitle: Returnees receive support in Guatemala\n"
        "Some 1,200 returnees received psychosocial support in March.\n\n"
        "Mexico: a new shelter opens in Tijuana\nThe shelter will host 200 people.\n",
        [
            ("ACNUR abre una oficina en Tapachula", "2021-03-12"),
            ("Returnees receive support in Guatemala", "2021-03-15"),
            ("Mexico: a new shelter opens in Tijuana", None),
        ],
    ),
    # title / date with a byline / body: with the byline unread no line was a date line, every
    # title looked like a kicker over a longer line, and the dump gave no items
    "bylines": (
        "A new centre opens in Tapachula\nThursday, October 10, 2019 by Jane Doe\n\n"
        "The centre will offer legal advice to around 300 people a week.\n\n"
        "Returnees receive support in Honduras\nSaturday, October 12, 2019 by John Roe\n\n"
        "More than 1,200 returnees received cash grants in October.\n",
        [
            ("A new centre opens in Tapachula", "2019-10-10"),
            ("Returnees receive support in Honduras", "2019-10-12"),
        ],
    ),
    # list pages that print the date last: the date glued under the teaser closes its item
    # (it used to head the next one, and the last date was lost in the last body)
    "date after the body": (
        "Floods displace thousands in the north\n"
        "Heavy rains forced more than 4,000 families from their homes, officials said.\n"
        "Published: 12 March 2021\n\n"
        "A new clinic opens in a border town\n"
        "The clinic will serve migrants crossing the border on foot...\nRead more\n"
        "10 March 2021\n\n"
        "Teachers trained on child protection\n"
        "Some 80 teachers took part in the workshop held on 4 and 5 March.\n"
        "8 March 2021\nShare\n",
        [
            ("Floods displace thousands in the north", "2021-03-12"),
            ("A new clinic opens in a border town", "2021-03-10"),
            ("Teachers trained on child protection", "2021-03-08"),
        ],
    ),
    # the date printed on the title line, before the title: the date is the item's date and
    # the whole line its date line; "May 5, 2021 | Title" is no date line with a tag
    "date before the title": (
        "12/03/2021 - Floods displace thousands in the north\n"
        "Heavy rains forced more than 4,000 families from their homes, officials said.\n\n"
        "March 10, 2021 | A new clinic opens in a border town\n"
        "The clinic will serve migrants crossing the border on foot, the ministry said.\n\n"
        "## 2021-03-08 Teachers trained on child protection\n"
        "Some 80 teachers took part in the workshop held on 4 and 5 March.\n",
        [
            ("Floods displace thousands in the north", "2021-03-12"),
            ("A new clinic opens in a border town", "2021-03-10"),
            ("Teachers trained on child protection", "2021-03-08"),
        ],
    ),
    # ... and after it, as the dump's habit
    "date after the title": (
        "Floods displace thousands in the north (12 March 2021)\n"
        "Heavy rains forced more than 4,000 families from their homes, officials said.\n\n"
        "A new clinic opens in a border town \u2013 Wednesday, March 10, 2021\n"
        "The clinic will serve migrants crossing the border on foot, the ministry said.\n",
        [
            ("Floods displace thousands in the north", "2021-03-12"),
            ("A new clinic opens in a border town", "2021-03-10"),
        ],
    ),
    # one title ending in a date names an event: the date stays in the title
    "an event date in one title": (
        "Ministerial meeting on migration, 12 May 2019\n"
        "Ministers of eleven countries met to agree on a regional framework.\n\n"
        "A new clinic opens in a border town\n"
        "The clinic will serve migrants crossing the border on foot, the ministry said.\n",
        [
            ("Ministerial meeting on migration, 12 May 2019", None),
            ("A new clinic opens in a border town", None),
        ],
    ),
    # a pictograph or arrow before each title is a mark, like "## " (these gave no items)
    "pictograph title marks": (
        "\u25b6 Floods displace thousands in the north\n"
        "Heavy rains forced more than 4,000 families from their homes, officials said.\n\n"
        "\U0001f4cc A new clinic opens in a border town\n"
        "The clinic will serve migrants crossing the border on foot, the ministry said.\n",
        [
            ("Floods displace thousands in the north", None),
            ("A new clinic opens in a border town", None),
        ],
    ),
    # a source label or share line glued between title and body (this gave no items)
    "chrome between title and body": (
        "Floods displace thousands in the north\nSource: UNHCR\n"
        "Heavy rains forced more than 4,000 families from their homes, officials said.\n\n"
        "A new clinic opens in a border town\nShare\n"
        "The clinic will serve migrants crossing the border on foot, the ministry said.\n",
        [
            ("Floods displace thousands in the north", None),
            ("A new clinic opens in a border town", None),
        ],
    ),
    # list pages whose one-line teasers have no full stop, glued under the title or apart
    # (every line looked like a title, and these gave no items)
    "teasers without a full stop": (
        "Floods displace thousands in the north\n"
        "Heavy rains forced more than 4,000 families from their homes\n\n"
        "A new clinic opens in a border town\n\n"
        "The clinic will serve migrants crossing the border on foot Read more\n",
        [
            ("Floods displace thousands in the north", None),
            ("A new clinic opens in a border town", None),
        ],
    ),
    # a bullet list right under the title opens the body (this gave no items)
    "bullets under the title": (
        "Floods displace thousands in the north\n- 4,000 families displaced\n"
        "- 12 shelters opened\nHeavy rains forced families from their homes, officials said.\n\n"
        "A new clinic opens in a border town\n- Serves 300 people a week\n"
        "The clinic will serve migrants crossing the border on foot, the ministry said.\n",
        [
            ("Floods displace thousands in the north", None),
            ("A new clinic opens in a border town", None),
        ],
    ),
    # a table of contents parted by blank lines: its entries come again as titles with a body
    # (one entry became a title with the next entry as its teaser)
    "table of contents": (
        "In this issue:\n\nFloods displace thousands in the north\n\n"
        "A new clinic opens in a border town\n\n"
        "Teachers trained on child protection and on the safety of children\n\n"
        "Floods displace thousands in the north\n\n"
        "Heavy rains forced more than 4,000 families from their homes, officials said.\n\n"
        "A new clinic opens in a border town\n\n"
        "The clinic will serve migrants crossing the border on foot, the ministry said.\n",
        [
            ("Floods displace thousands in the north", None),
            ("A new clinic opens in a border town", None),
        ],
    ),
    # the same story printed twice as title and teaser (no body) keeps both copies
    "a story listed twice": (
        "Floods displace thousands in the north\n"
        "Heavy rains forced more than 4,000 families from their homes\n\n"
        "A new clinic opens in a border town\n"
        "The clinic will serve migrants crossing the border on foot\n\n"
        "Floods displace thousands in the north\n"
        "Heavy rains forced more than 4,000 families from their homes\n",
        [
            ("Floods displace thousands in the north", None),
            ("A new clinic opens in a border town", None),
            ("Floods displace thousands in the north", None),
        ],
    ),
    # a headline over its standfirst (a longer sentence with no full stop), then the body:
    # the standfirst was taken for the title and the headline for its kicker
    "standfirst under the title": (
        "Floods displace thousands in the north\n"
        "Heavy rains have forced more than 4,000 families from their homes in three provinces\n"
        "The national disaster agency said on Monday that shelters had opened in twelve towns "
        "and that more rain was expected this week.\n\n"
        "A new clinic opens in a border town\n"
        "The clinic will serve migrants crossing the border on foot in the coming months\n"
        "The ministry said the clinic would offer primary care, vaccination and psychosocial "
        "support to around 300 people a week.\n",
        [
            ("Floods displace thousands in the north", None),
            ("A new clinic opens in a border town", None),
        ],
    ),
    # ... but a kicker in title case glued over a long title stays a kicker
    "long kicker over a title": (
        "International Conference of Labour Statisticians\n"
        "Statisticians adopt new standards on measuring informal employment and work in the "
        "platform economy\n"
        "The conference adopted the standards on Friday after two weeks of talks, the ILO said.\n",
        [
            (
                "Statisticians adopt new standards on measuring informal employment and work in "
                "the platform economy",
                None,
            )
        ],
    ),
    # a kicker over a title with its date under it stays a kicker, not a title with a teaser
    "kicker over a dated title": (
        "International Conference of Statisticians\n\n"
        "Statisticians adopt new standards on measuring informal work\n\n"
        "05 October 2023\n\n"
        "The conference adopted new standards on informal employment, the ILO said.\n",
        [("Statisticians adopt new standards on measuring informal work", "2023-10-05")],
    ),
    # titles ending in a full stop, the date glued under them and a blank line before the
    # body: the blank lines say which sentence the date belongs to
    "full-stop titles over their dates": (
        "Floods displace thousands in the north.\n12 March 2021\n\n"
        "Heavy rains forced more than 4,000 families from their homes, officials said.\n\n"
        "A new clinic opens in a border town.\n10 March 2021\n\n"
        "The clinic will serve migrants crossing the border on foot, the ministry said.\n",
        [
            ("Floods displace thousands in the north.", "2021-03-12"),
            ("A new clinic opens in a border town.", "2021-03-10"),
        ],
    ),
    # a bullet before every title: each opened a one-item "list", no line had a title's shape
    # and the dump gave no items. A list in a body (under its lead-in, or item after item)
    # stays body text.
    "bullet titles": (
        "\u2022 Floods displace thousands in the north\n"
        "Heavy rains forced more than 4,000 families from their homes, officials said.\n"
        "Aid reached them within two days:\n"
        "\u2022 1,200 tents\n\u2022 food for a month\n\n"
        "\u2022 A new clinic opens in a border town\n12 March 2021\n"
        "The clinic will serve migrants crossing the border on foot, the ministry said.\n\n"
        "\u2022 A shelter opens in Tijuana\nThe shelter will host 200 people a night.\n\n"
        "\u2022 Teachers trained on child protection.\n"
        "Some 80 teachers took part in the workshop held on 4 and 5 March in the capital, "
        "where they learnt how to refer children at risk to the protection services.\n",
        [
            ("Floods displace thousands in the north", None),
            ("A new clinic opens in a border town", "2021-03-12"),
            ("A shelter opens in Tijuana", None),
            ("Teachers trained on child protection.", None),
        ],
    ),
    # web chrome between a title and the date under it (a share-button row pasted as words, a
    # reading time, a photo credit) hid the date's title: the dump gave no items
    "chrome between title and date": (
        "(1) Floods displace thousands in the north\nFacebook Twitter LinkedIn Email\n"
        "12 March 2021\n"
        "Heavy rains forced more than 4,000 families from their homes, officials said.\n\n"
        "(2) A new clinic opens in a border town\n3 min read\nPhoto: UNHCR/Jane Doe\n"
        "10 March 2021\n"
        "The clinic will serve migrants crossing the border on foot, the ministry said.\n",
        [
            ("Floods displace thousands in the north", "2021-03-12"),
            ("A new clinic opens in a border town", "2021-03-10"),
        ],
    ),
    # a date in brackets opening the title line was read as part of the title
    "bracketed date before the title": (
        "[12/03/2021] Floods displace thousands in the north\n"
        "Heavy rains forced more than 4,000 families from their homes, officials said.\n\n"
        "(March 10, 2021) - A new clinic opens in a border town\n"
        "The clinic will serve migrants crossing the border on foot, the ministry said.\n\n"
        "(UNHCR) Teachers trained on child protection\n"
        "Some 80 teachers took part in the workshop held on 4 and 5 March.\n",
        [
            ("Floods displace thousands in the north", "2021-03-12"),
            ("A new clinic opens in a border town", "2021-03-10"),
            ("(UNHCR) Teachers trained on child protection", None),
        ],
    ),
    # a blog's archive: "by admin" is a user name, so the line is a date line with a byline
    # (the dump gave no items); the category line under the teaser is chrome
    "blog archive": (
        "Floods displace thousands in the north\nMarch 12, 2021 by admin\n"
        "Heavy rains forced more than 4,000 families from their homes, officials said.\n"
        "Posted in News | Leave a comment\n\n"
        "A new clinic opens in a border town\nMarch 10, 2021 by j.doe\n"
        "The clinic will serve migrants crossing the border on foot, the ministry said.\n"
        "Posted in News | Leave a comment\n",
        [
            ("Floods displace thousands in the north", "2021-03-12"),
            ("A new clinic opens in a border town", "2021-03-10"),
        ],
    ),
    # an aggregator's line of fields under each title: its "Posted:" field dates the item
    "fields line": (
        "Floods displace thousands in the north\n"
        "Format: News and Press Release | Source: UNHCR | Posted: 12 Mar 2021 | "
        "Originally published: 11 Mar 2021\n"
        "Heavy rains forced more than 4,000 families from their homes, officials said.\n\n"
        "A new clinic opens in a border town\n"
        "Country: Mexico | Source: IOM | Date: 10/03/2021\n"
        "The clinic will serve migrants crossing the border on foot, the ministry said.\n",
        [
            ("Floods displace thousands in the north", "2021-03-12"),
            ("A new clinic opens in a border town", "2021-03-10"),
        ],
    ),
    # a list of titles, each with its date under it and no body: the last one, with nothing
    # under its date, was read as the body of the one above
    "dated titles without bodies": (
        "Floods displace thousands in the north\n12 March 2021\n\n"
        "A new clinic opens in a border town\n10 March 2021\n\n"
        "Teachers trained on child protection\n8 March 2021\n",
        [
            ("Floods displace thousands in the north", "2021-03-12"),
            ("A new clinic opens in a border town", "2021-03-10"),
            ("Teachers trained on child protection", "2021-03-08"),
        ],
    ),
    # "By Jane Doe | 12 March 2021": the byline before the date hid the date line, and next to
    # a title ending in a full stop the line was read as a title printing its own date
    "byline before the date": (
        "By Jane Doe | 12 March 2021\nFloods displace thousands in the north.\n"
        "Heavy rains forced more than 4,000 families from their homes, officials said on "
        "Friday, as the river rose above its banks for the second time this year.\n\n"
        "Posted by Ana de la Cruz - March 10, 2021\nA new clinic opens in a border town\n"
        "The clinic will serve migrants crossing the border on foot, the ministry said.\n",
        [
            ("Floods displace thousands in the north.", "2021-03-12"),
            ("A new clinic opens in a border town", "2021-03-10"),
        ],
    ),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_layouts_give_their_titles_and_dates(layout):
    dump, expected = LAYOUTS[layout]
    assert [(i.title, i.date) for i in parse_dump(dump, f"{layout}.txt")] == expected


def test_a_date_printed_on_the_title_line_keeps_the_line_as_date_line():
    dump, _ = LAYOUTS["date before the title"]
    items = parse_dump(dump, "d.txt")
    assert [i.date_line for i in items] == [
        "12/03/2021 - Floods displace thousands in the north",
        "March 10, 2021 | A new clinic opens in a border town",
        "## 2021-03-08 Teachers trained on child protection",
    ]
    assert [(i.line_start, i.line_end) for i in items] == [(1, 2), (4, 5), (7, 8)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("12/03/2021 - Floods in the north", ("2021-03-12", "Floods in the north", True)),
        (
            "12 March 2021: \u201cStop attacks on children\u201d",
            ("2021-03-12", "\u201cStop attacks on children\u201d", True),
        ),
        ("Floods in the north (12 March 2021)", ("2021-03-12", "Floods in the north", False)),
        (
            "Floods, fires and storms, March 12, 2021",
            ("2021-03-12", "Floods, fires and storms", False),
        ),
        ("10 October 2019 marked the start of it", None),  # a sentence opening with a date
        ("21/03/2023 | Press release", None),  # a tag, too short for a title
        ("Regional plan 2019-2025 (2019)", None),  # years are no dates
        ("Floods in the north (see the report of 12 March 2021)", None),
    ],
)
def test_split_dated_title(line, expected):
    assert split_dated_title(line) == expected


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Facebook Twitter LinkedIn Email", "page chrome"),  # share buttons pasted as words
        ("Share Print", "page chrome"),
        ("Listen to this article", "page chrome"),
        ("3 min read", "reading time"),
        ("5 minutos de lectura", "reading time"),
        ("Print shop opens in Tijuana", None),  # a chrome word opening a title
        ("Save the Children opens a clinic", None),
        ("3 min read on migration", None),
    ],
)
def test_web_chrome_lines(line, reason):
    assert chrome_reason(line) == reason


def test_markdown_titles_with_date_below_and_chrome():
    rows = list(parse_lines(DUMP_DATE_BELOW.splitlines(), "d.txt"))
    items = [r for r in rows if isinstance(r, Item)]
    noise = {r.text: r.kind for r in rows if isinstance(r, NoiseLine)}
    assert [i.title for i in items] == [
        "Floods displace thousands in the north",
        "Ministers agree on a new migration framework",
    ]
    assert [i.date for i in items] == ["2016-03-01", "2016-03-02"]
    assert noise == {
        "News digest, issue 12": "header",
        "Read more": "chrome",
        "Share this": "chrome",
    }
    assert items[0].line_start == 3 and items[0].line_end == 5


def test_everything_above_the_first_item_is_the_header():
    dump = "MIGRATION NEWSLETTER\nIssue 14 | March 2021\n\n" + DUMP_DATE_BELOW
    rows = list(parse_lines(dump.splitlines(), "d.txt"))
    header = [r.text for r in rows if isinstance(r, NoiseLine) and r.kind == "header"]
    assert header == ["MIGRATION NEWSLETTER", "Issue 14 | March 2021", "News digest, issue 12"]


def test_footer_lines_after_the_last_body_are_noise():
    footer = "\nRegional Office for Central America\nNewsletter No. 12, March 2016\n"
    dump = DUMP_DATE_BELOW + footer
    rows = list(parse_lines(dump.splitlines(), "d.txt"))
    items = [r for r in rows if isinstance(r, Item)]
    footer = [r.text for r in rows if isinstance(r, NoiseLine) and r.kind == "footer"]
    assert footer == ["Regional Office for Central America", "Newsletter No. 12, March 2016"]
    assert items[-1].body == "The ministers met in the capital and signed the framework."


def test_crlf_cr_and_nbsp_are_normalised():
    text = "8 March, 2019\r\n\r\nA\u00a0title  with odd\u200b spaces\r\n\r\nBody\u00a0text here.\r"
    items = parse_dump(text.replace("\r\n", "\n").replace("\r", "\n"), "x.txt")
    assert items[0].title == "A title with odd spaces"
    assert items[0].body == "Body text here."


def test_empty_and_blank_dumps_give_no_items():
    assert parse_dump("", "e.txt") == []
    assert parse_dump("\n\n   \n\u00a0\n", "e.txt") == []


def test_item_ids_are_stable_and_unique():
    first = [i.item_id for i in sample_items()]
    assert first == [i.item_id for i in sample_items()]
    assert len(set(first)) == len(first)


# --- nothing lost ------------------------------------------------------------------------------

LINE = st.one_of(
    st.sampled_from(
        [
            "",
            "",
            "8 March, 2019",
            "Posted on August 21st, 2013",
            "Read more",
            "-----",
            "## A heading line here",
            "IOM opens a new office in the capital",
            "12/03/2021 - IOM opens a new office in the capital",
            "IOM opens a new office in the capital (8 March 2019)",
            "Published: 8 March 2019",
            "Press release",
            "\u25b6 IOM opens a new office in the capital",
            "IOM opens a new office in the capital.",
            "- 4,000 families displaced",
            "Share",
            "The office will serve migrants and returnees in the region.",
            "\u2022 a bullet point line",
            "   continuation of a wrapped line",
            "Categories: News",
            "24",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=40))
@example(  # bullet titles: the title is the line without its bullet
    [
        "\u2022 Floods in the north",
        "Heavy rains forced more than 4,000 families from their homes, officials said.",
        "",
        "\u2022 A clinic opens",
        "The clinic will serve migrants crossing the border on foot, the ministry said.",
    ]
)
def test_every_non_blank_line_lands_exactly_once(lines):
    rows = list(parse_lines(lines, "gen.txt"))
    texts = (normalise_text(x.replace("\n", " ")) for x in lines)
    expected = [bare(t) for t in texts if t]
    got = [bare(t) for t in accounted_lines(rows)]
    assert sorted(got) == sorted(expected)
    items = [r for r in rows if isinstance(r, Item)]
    noise_lines = {r.line for r in rows if isinstance(r, NoiseLine)}
    spans = sorted((i.line_start, i.line_end) for i in items)
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end < start
    for item in items:
        assert 1 <= item.line_start <= item.line_end <= len(lines)
    assert len(noise_lines) == sum(1 for r in rows if isinstance(r, NoiseLine))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=40), st.integers(min_value=0, max_value=90))
def test_marks_noted_while_classifying_equal_marks_recomputed(raws, title_limit):
    """The classifier notes date, noise and title-candidate lines as it goes, so the parser
    needs no pass of its own; they must be the marks a separate pass over the lines finds."""
    lines, marks = classify_window(1, raws, title_limit)
    assert marks == marks_of(lines, title_limit)


def test_windows_and_read_blocks_do_not_change_the_result(monkeypatch):
    """A long dump is parsed a window (and a read block) at a time; the cuts fall at blank-line
    runs, so small windows and blocks must give exactly the items of one big window."""
    dump = "\n\n\n".join(p.read_text("utf-8") for p in sorted(SAMPLES.glob("*.txt"))) * 3
    whole = [row.to_row() for row in parse_lines(dump.split("\n"), "all.txt")]
    monkeypatch.setattr("bulletin_tools.parse.WINDOW_LINES", 40)
    monkeypatch.setattr("bulletin_tools.parse.BLOCK_LINES", 7)
    windowed = [row.to_row() for row in parse_lines(dump.split("\n"), "all.txt")]
    assert len([r for r in whole if "title" in r]) == 3 * sum(EXPECTED_COUNTS.values())
    assert windowed == whole


BODY = "The office opened on Monday and served hundreds of families in its first week of work."


def test_a_kicker_above_a_title_is_noise_and_a_caption_below_a_title_is_body():
    """Two heading-like lines in a row: the shorter one is the kicker when it comes first, the
    photo caption when it comes second; the longer one is the title either way."""
    dump = "\n\n".join(
        [
            "Central America",
            "New migrant assistance office opens in the border town",
            BODY,
            "Flood relief reaches thousands of families in the north",
            "Relief workers in the town",
            BODY,
        ]
    )
    rows = list(parse_lines(dump.splitlines(), "k.txt"))
    items = [row for row in rows if isinstance(row, Item)]
    assert [item.title for item in items] == [
        "New migrant assistance office opens in the border town",
        "Flood relief reaches thousands of families in the north",
    ]
    assert items[1].body == f"Relief workers in the town\n\n{BODY}"
    assert [(row.text, row.kind) for row in rows if isinstance(row, NoiseLine)] == [
        ("Central America", "header")
    ]
