"""Render real items (the samples' reviewed golden items) into many paste layouts, so the
parser can be checked on every combination of date place, date format, title mark, chrome and
blank-line style, not only on the layouts of the dumps we happen to have.

Each layout is a choice per factor; `render` writes a dump and the titles and dates a parse
must give back. Combinations no rule can read (see `ambiguous`) are left out.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import textwrap
from dataclasses import dataclass
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden" / "parse_samples.jsonl"

MESES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]
DATE_PLACES = ("none", "above", "below", "after body", "title prefix", "title suffix")
DATE_FORMATS = {
    "d month y": lambda d: f"{d.day} {d:%B} {d.year}",
    "month d, y": lambda d: f"{d:%B} {d.day}, {d.year}",
    "dd/mm/yyyy": lambda d: f"{d:%d/%m/%Y}",
    "iso": lambda d: d.isoformat(),
    "posted on": lambda d: f"Posted on {d:%B} {d.day}, {d.year}",
    "weekday": lambda d: f"{d:%A}, {d.day} {d:%B} {d.year}",
    "abbreviated": lambda d: f"{d:%b}. {d.day}, {d.year}",
    "spanish": lambda d: f"{d.day} de {MESES[d.month - 1]} de {d.year}",
    "byline": lambda d: f"By Jane Doe | {d.day} {d:%B} {d.year}",
    "dotted": lambda d: f"{d:%d.%m.%Y}",
}
TITLE_MARKS = {
    "plain": "{}",
    "markdown": "## {}",
    "bold": "**{}**",
    "numbered": "{n}. {}",
    "arrow": "\u25b6 {}",
    "bullet": "\u2022 {}",
}
CHROME = ("none", "read more", "share under title")
SPACING = ("items apart", "every line apart")
FRAMES = ("none", "header and footer")
KICKERS = ("none", "kicker above title")
PARAGRAPHS = ("blank line between", "glued")
WRAPS = ("none", "wrapped at 72")
HEADER = ["Migration news digest | Issue 14", "Monthly bulletin of the regional office"]
FOOTER = ["Subscribe to this bulletin", "\u00a9 2021 Regional office. All rights reserved."]
KICKER = "Press release"


@dataclass(frozen=True)
class Layout:
    date_place: str
    date_format: str
    title_mark: str
    chrome: str
    spacing: str
    frame: str = "none"
    kicker: str = "none"
    paragraphs: str = "blank line between"
    wrap: str = "none"

    def ambiguous(self) -> bool:
        """Layouts no rule can read: with blank lines between every line, a date after the
        body sits between two items and only the dump's edges could say which it closes
        (and a hard-wrapped paragraph with a blank line after every line is no paragraph).
        A byline with its date is a line of its own, never printed inside the title line."""
        every_line = self.spacing == "every line apart"
        on_title_line = self.date_place in ("title prefix", "title suffix")
        return (
            every_line
            and (self.date_place == "after body" or self.wrap != "none")
            or (on_title_line and self.date_format == "byline")
        )


def golden_items() -> list[dict]:
    with GOLDEN.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def all_layouts() -> list[Layout]:
    return [
        layout
        for place in DATE_PLACES
        for fmt in DATE_FORMATS
        for mark in TITLE_MARKS
        for chrome in CHROME
        for spacing in SPACING
        if not (layout := Layout(place, fmt, mark, chrome, spacing)).ambiguous()
    ]


def readable_items(layout: Layout, items: list[dict]) -> list[dict]:
    """The items a layout can show: under bullet titles, a body that opens with a bullet list
    reads as more list items ("\u2022 Title / \u2022 point / \u2022 point"), so it is left out."""
    if layout.title_mark != "bullet":
        return items
    return [item for item in items if item["body"][:1] not in "\u2022-*"]


def render(
    layout: Layout, items: list[dict], seed: int
) -> tuple[str, list[tuple[str, str | None]]]:
    """A dump of `items` in `layout`, and the (title, date) pairs a parse must give."""
    rng = random.Random(seed)
    blocks: list[list[str]] = []
    expected = []
    for n, item in enumerate(items, 1):
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(700))
        stamp = DATE_FORMATS[layout.date_format](day)
        title = item["title"]
        shown = title
        if layout.date_place == "title prefix":
            shown = f"{stamp} - {title}"
        elif layout.date_place == "title suffix":
            shown = f"{title} ({stamp})"
        lines = [TITLE_MARKS[layout.title_mark].format(shown, n=n)]
        if layout.chrome == "share under title":
            lines.append("Share")
        if layout.date_place == "above":
            lines.insert(0, stamp)
        elif layout.date_place == "below":
            lines.insert(1, stamp)
        if layout.kicker != "none":
            lines.insert(0, KICKER)
        lines += _body_lines(item["body"], layout)
        if layout.chrome == "read more":
            lines.append("Read more")
        if layout.date_place == "after body":
            lines.append(stamp)
        blocks.append(lines)
        dated = layout.date_place != "none"
        expected.append((title, day.isoformat() if dated else None))
    if layout.frame != "none":
        blocks = [HEADER, *blocks, FOOTER]
    return _join(blocks, layout.spacing), expected


def _body_lines(body: str, layout: Layout) -> list[str]:
    paragraphs = [p for p in body.split("\n\n") if p]
    if layout.wrap != "none":
        paragraphs = [textwrap.fill(p.replace("\n", " "), 72) for p in paragraphs]
    joiner = "\n" if layout.paragraphs == "glued" else "\n\n"
    return joiner.join(paragraphs).split("\n")


def _join(blocks: list[list[str]], spacing: str) -> str:
    if spacing == "every line apart":
        return "\n\n".join(line for block in blocks for line in block if line) + "\n"
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def extra_layouts(count: int, seed: int) -> list[Layout]:
    """`count` layouts drawn from the whole product, the frame, kicker, paragraph and wrap
    factors included (too many to run them all)."""
    rng = random.Random(seed)
    drawn: list[Layout] = []
    while len(drawn) < count:
        layout = Layout(
            rng.choice(DATE_PLACES),
            rng.choice(list(DATE_FORMATS)),
            rng.choice(list(TITLE_MARKS)),
            rng.choice(CHROME),
            rng.choice(SPACING),
            rng.choice(FRAMES),
            rng.choice(KICKERS),
            rng.choice(PARAGRAPHS),
            rng.choice(WRAPS),
        )
        if not layout.ambiguous():
            drawn.append(layout)
    return drawn


def sample_cases(
    count: int, seed: int = 0, per_dump: int = 4
) -> list[tuple[Layout, list[dict], int]]:
    """`count` layouts drawn from all of them, each with `per_dump` golden items."""
    rng = random.Random(seed)
    items = golden_items()
    layouts = all_layouts()
    cases = []
    for k in range(count):
        layout = rng.choice(layouts)
        cases.append((layout, rng.sample(items, per_dump), seed * 100_000 + k))
    return cases
