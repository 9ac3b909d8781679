"""Paragraph units of a dump and their shapes: what could be a title, what reads as body text.

A unit is one line, or the lines of a hard-wrapped paragraph joined back together, so the first
line of a wrapped paragraph is not mistaken for a title. `parse` decides titles from these shapes.
"""

from __future__ import annotations

import re

from .lines import (
    BULLET_MARKS,
    NOISE_KINDS,
    Line,
    LineMarks,
    is_bullet,
    is_markdown_heading,
    marks_of,
    strip_title_marks,
)

MAX_TITLE_CHARS = 250
UNWRAPPED_OVER_WIDTH = 1.5  # a line this much longer than the wrap width was never wrapped
CLOSERS = "\"'\u201d\u2019)]"
SENTENCE_MARKS = ".!?\u2026"
SENTENCE_MARKS_SET = frozenset(SENTENCE_MARKS)
SOFT_ENDINGS = ",;:(-\u2013\u2014/&"
# a title may end in a question or exclamation mark; it is still a strong title
QUESTION_ENDS = ("?", "!", "?\u201d", "!\u201d")
STARTS_LIKE_TITLE = re.compile(r"^[\"'\u201c\u2018\u00ab(\[#]*[\w\u00bf\u00a1]", re.UNICODE)


Unit = Line  # a paragraph piece: one line, or a hard-wrapped paragraph's lines (see `Line`)


# --- units ------------------------------------------------------------------------------------


def make_units(lines: list[Line], marks: LineMarks | None = None) -> list[Unit]:
    """Paragraph units: wrapped continuation lines join the paragraph they continue.

    Most dumps are not wrapped: then every line is its own unit (the same list is returned).
    `marks`, when the classifier gave them, spare a pass.
    """
    marks = marks or marks_of(lines, 0)
    width = _wrap_width(marks.pair_lengths)
    if width is None and not marks.indented:
        return lines
    units: list[Unit] = []
    for line in lines:
        if units and not line.blank_before and _continues(units[-1], line, width):
            units[-1].append(line)
        else:
            units.append(line)
    return units if len(units) < len(lines) else lines  # the same list: nothing was joined


def _wrap_width(pair_lengths: list[int]) -> int | None:
    """Width a hard-wrapped dump was wrapped at, or None when lines are not wrapped.

    `pair_lengths` are the lengths of the text lines followed directly by another text line.
    """
    if len(pair_lengths) < 8:
        return None
    lengths = sorted(pair_lengths)
    # lines longer than the wrap (titles glued over wrapped bodies) must not set the width
    cap = lengths[int(len(lengths) * 0.75)] * 1.15
    wrapped = [n for n in lengths if n <= cap]
    width = wrapped[int(len(wrapped) * 0.9)]
    near = sum(1 for n in lengths if width * 0.7 <= n <= width * 1.05)
    return width if width <= 100 and near >= 0.6 * len(lengths) else None


def _continues(unit: Unit, line: Line, width: int | None) -> bool:
    """Does `line` continue the paragraph `unit` (a forced wrap, or a bullet's hanging indent)?"""
    if unit.kind != "text" or line.kind != "text":
        return False
    first_text, previous_text = (unit.parts[0], unit.parts[-1]) if unit.parts else (unit.text,) * 2
    if line.indent > 0 and is_bullet(first_text) and not is_bullet(line.text):
        return True
    if width is None or is_bullet(line.text):
        return False
    if len(previous_text) > width + 2 and " " in previous_text:
        return False  # longer than the wrap width: a line the wrap left alone (a title)
    if len(line.text) > width * UNWRAPPED_OVER_WIDTH and " " in line.text:
        return False  # far longer than the width: no wrap made it (a paragraph under its title)
    if unit.parts is None and strip_title_marks(previous_text) != previous_text:
        return False  # a marked heading ("## Title", "**Title**", "1. Title") stands alone
    if ends_sentence(previous_text) and len(previous_text) < width * 0.7:
        return False
    next_word = line.text.split(" ", 1)[0]
    return len(previous_text) + 1 + len(next_word) > width - 2


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
    # runs on most short lines of a dump: the helpers it needs are inlined
    if unit.kind != "text" or unit.parts:
        return ""
    text = unit.text
    if len(text) > MAX_TITLE_CHARS + 8:
        return ""
    text = strip_title_marks(text)  # as the item's title will read
    first = text[0]
    if len(text) > MAX_TITLE_CHARS or text[-1] in SOFT_ENDINGS:
        return ""
    if first in BULLET_MARKS and is_bullet(text):
        return ""
    if first.islower() or not (first.isalnum() or STARTS_LIKE_TITLE.match(text)):
        return ""
    if text.rstrip(CLOSERS)[-1:] in SENTENCE_MARKS_SET and not text.endswith(QUESTION_ENDS):
        return "weak" if len(text) <= 200 else ""
    return "strong"


def is_body(unit: Unit) -> bool:
    """Text that reads as a paragraph: wrapped, long, or ending a sentence."""
    if unit.kind != "text":
        return False
    text = unit.text
    return unit.parts is not None or len(text) >= 150 or ends_sentence(text)


def long_enough_for_title(unit: Unit) -> bool:
    text = unit.text
    # three words or more: unit texts have single spaces only, so counting them is enough
    return is_markdown_heading(text) > 0 or (text.count(" ") >= 2 and len(text) >= 15)


def at_boundary(units: list[Unit], i: int) -> bool:
    """Can a new item start at unit i: after a blank line, chrome, or a sentence's end?"""
    if i == 0 or units[i].blank_before:
        return True
    prev = units[i - 1]
    if prev.kind in NOISE_KINDS:
        return True
    return prev.kind == "text" and prev.parts is None and ends_sentence(prev.text)


def unit_at(units: list[Unit], i: int) -> Unit | None:
    return units[i] if 0 <= i < len(units) else None
