"""Paragraph units of a dump and their shapes: what could be a title, what reads as body text.

A unit is one line, or the lines of a hard-wrapped paragraph joined back together, so the first
line of a wrapped paragraph is not mistaken for a title. `parse` decides titles from these shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import Line, is_bullet, is_markdown_heading, strip_title_marks

MAX_TITLE_CHARS = 250
CLOSERS = "\"'\u201d\u2019)]"
SENTENCE_MARKS = ".!?\u2026"
SENTENCE_MARKS_SET = frozenset(SENTENCE_MARKS)
SOFT_ENDINGS = ",;:(-\u2013\u2014/&"
STARTS_LIKE_TITLE = re.compile(r"^[\"'\u201c\u2018\u00ab(\[#]*[\w\u00bf\u00a1]", re.UNICODE)


@dataclass(slots=True)
class Unit:
    """A paragraph piece: one line, or a hard-wrapped paragraph's lines."""

    lines: list[Line]
    kind: str
    block: int
    blank_before: bool
    text: str  # the lines joined by spaces
    shape: str | None = None  # cached title_shape

    def append(self, line: Line) -> None:
        self.lines.append(line)
        self.text = f"{self.text} {line.text}"
        self.shape = None

    @property
    def first(self) -> Line:
        return self.lines[0]


# --- units ------------------------------------------------------------------------------------


def make_units(lines: list[Line]) -> list[Unit]:
    """Paragraph units: blank lines split blocks; wrapped continuation lines join a paragraph."""
    width = _wrap_width(lines)
    units: list[Unit] = []
    block, previous_number = 0, -1
    for line in lines:
        blank_before = line.number != previous_number + 1
        previous_number = line.number
        if blank_before:
            block += 1
        elif (width or line.indent) and _continues(units[-1], line, width):
            units[-1].append(line)
            continue
        units.append(Unit([line], line.kind, block, blank_before, line.text))
    return units


def _wrap_width(lines: list[Line]) -> int | None:
    """Width a hard-wrapped dump was wrapped at, or None when lines are not wrapped."""
    lengths = [
        len(a.text)
        for a, b in zip(lines, lines[1:], strict=False)
        if a.kind == "text" and b.kind == "text" and b.number == a.number + 1
    ]
    if len(lengths) < 8:
        return None
    lengths.sort()
    width = lengths[int(len(lengths) * 0.9)]
    near = sum(1 for n in lengths if width * 0.7 <= n <= width * 1.05)
    return width if width <= 100 and near >= 0.6 * len(lengths) else None


def _continues(unit: Unit, line: Line, width: int | None) -> bool:
    """Does `line` continue the paragraph `unit` (a forced wrap, or a bullet's hanging indent)?"""
    previous = unit.lines[-1]
    if previous.kind != "text" or line.kind != "text":
        return False
    if line.indent > 0 and is_bullet(unit.first.text) and not is_bullet(line.text):
        return True
    if width is None or is_bullet(line.text):
        return False
    if ends_sentence(previous.text) and len(previous.text) < width * 0.7:
        return False
    next_word = line.text.split(" ", 1)[0]
    return len(previous.text) + 1 + len(next_word) > width - 2


# --- shapes ------------------------------------------------------------------------------------


def ends_sentence(text: str) -> bool:
    """Does the text end like a sentence (a full stop, ? ! or …, maybe inside quotes)?

    Looks only at the tail: a regex anchored with $ would scan the whole line.
    """
    return text.rstrip(CLOSERS)[-1:] in SENTENCE_MARKS_SET


def title_shape(unit: Unit) -> str:
    """'strong' (a heading-like line), 'weak' (one short sentence ending in a period) or ''."""
    if unit.shape is None:
        unit.shape = _compute_title_shape(unit)
    return unit.shape


def _compute_title_shape(unit: Unit) -> str:
    if unit.kind != "text" or len(unit.lines) > 1:
        return ""
    if len(unit.text) > MAX_TITLE_CHARS + 8:
        return ""
    text = strip_title_marks(unit.text)
    if len(text) > MAX_TITLE_CHARS or text[-1] in SOFT_ENDINGS or is_bullet(text):
        return ""
    if not STARTS_LIKE_TITLE.match(text) or text[0].islower():
        return ""
    if ends_sentence(text) and not text.endswith(("?", "!", "?\u201d", "!\u201d")):
        return "weak" if len(text) <= 200 else ""
    return "strong"


def is_body(unit: Unit) -> bool:
    """Text that reads as a paragraph: wrapped, long, or ending a sentence."""
    if unit.kind != "text":
        return False
    text = unit.text
    return len(unit.lines) > 1 or len(text) >= 150 or ends_sentence(text)


def long_enough_for_title(unit: Unit) -> bool:
    text = unit.text
    return is_markdown_heading(text) > 0 or (len(text.split()) >= 3 and len(text) >= 15)


def at_boundary(units: list[Unit], i: int) -> bool:
    """Can a new item start at unit i: after a blank line, chrome, or a sentence's end?"""
    if i == 0 or units[i].blank_before:
        return True
    prev = units[i - 1]
    if prev.kind in ("chrome", "separator"):
        return True
    return prev.kind == "text" and len(prev.lines) == 1 and ends_sentence(prev.text)


def unit_at(units: list[Unit], i: int) -> Unit | None:
    return units[i] if 0 <= i < len(units) else None
