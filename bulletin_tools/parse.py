"""Split a raw bulletin dump into items (date line, title, body) and noise lines.

How it works, in three passes over a window of lines:
1. every line gets a kind (`lines.classify_line`): blank, date, chrome, separator or text;
2. lines become paragraph units (`parse_units`); hard-wrapped paragraphs (a dump wrapped at a
   fixed width) are joined so their first line is not mistaken for a title;
3. titles are found (`parse_titles`): a date line anchors the title above or below it, or
   closes the item above; an undated title is a heading-like line standing alone before body
   text. Each title starts an item that runs to the next one.
Every non-blank line ends up in exactly one item field or in a `NoiseLine`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice

from .lines import (
    NOISE_KINDS,
    Line,
    LineMarks,
    classify_window,
    marks_of,
    split_dated_title,
    strip_bullet,
    strip_title_marks,
)
from .models import Item, NoiseLine
from .parse_titles import TITLE_CANDIDATE_CHARS, TitleWindow, find_titles
from .parse_units import (
    Unit,
    at_boundary,
    make_units,
    title_shape,
)

# A window's raw lines, Line objects and rows stay within a few hundred KB, so each pass over
# them finds them in cache: callgrind with a 2 MB last-level cache counts 31% fewer misses than
# with 20,000-line windows, for the same instructions (parse timed 6% faster, median of 6).
WINDOW_LINES = 2_000
BLOCK_LINES = 8192  # raw lines handed on at a time by `parse_lines`


def parse_dump(text: str, source: str, *, id_prefix: str | None = None) -> list[Item]:
    """Parse a whole dump held in memory; returns its items (noise is dropped).

    >>> [i.title for i in parse_dump("1 May, 2019\\n\\nA title here\\n\\nSome body text.", "x")]
    ['A title here']
    """
    rows = parse_lines(text.splitlines(), source, id_prefix=id_prefix)
    return [row for row in rows if isinstance(row, Item)]


def parse_lines(
    lines: Iterable[str], source: str, *, id_prefix: str | None = None
) -> Iterator[Item | NoiseLine]:
    """Stream items and noise lines from raw lines, a window of lines at a time."""
    it = iter(lines)
    blocks = iter(lambda: list(islice(it, BLOCK_LINES)), [])
    return parse_line_blocks(blocks, source, id_prefix=id_prefix)


def parse_line_blocks(
    blocks: Iterable[list[str]], source: str, *, id_prefix: str | None = None
) -> Iterator[Item | NoiseLine]:
    """`parse_lines` over lists of raw lines (as `decoding.iter_line_blocks` reads them)."""
    return chain.from_iterable(parse_row_batches(blocks, source, id_prefix=id_prefix))


def parse_row_batches(
    blocks: Iterable[list[str]], source: str, *, id_prefix: str | None = None
) -> Iterator[list[Item | NoiseLine]]:
    """`parse_line_blocks`' rows a window at a time, in order (spares a step per row).

    A window's last item may go on in the next window (a window ends at a blank-line run, and
    one can sit between a title and its body), so it is held back and parsed again with the
    next window's lines; only the dump's final window emits its last item.
    """
    naming = _Naming(id_prefix or item_id_prefix(source), source)
    first = 1
    carried: list[str] = []
    windows = _windows(blocks)
    raws = next(windows, None)
    while raws is not None:
        following = next(windows, None)  # one window of lookahead: is this the dump's end?
        raws = carried + raws if carried else raws
        lines, marks = classify_window(first, raws, TITLE_CANDIDATE_CHARS)
        rows = _segment_window(lines, marks, naming, final=following is None)
        keep = len(rows) if following is None else _last_item_index(rows)
        if keep < len(rows):
            offset = rows[keep].line_start - first  # type: ignore[union-attr]
            carried, first = raws[offset:], first + offset
            rows = rows[:keep]
        else:
            carried, first = [], first + len(raws)
        naming.position = _last_position(rows, naming.position)
        if rows:
            yield rows
        raws = following


@dataclass(slots=True)
class _Naming:
    """What item rows take from their dump: the source name, ids and positions so far."""

    prefix: str
    source: str
    position: int = 0  # of the last item emitted


def _last_position(rows: list[Item | NoiseLine], default: int) -> int:
    """Position of the last item among the rows (`default` when there is none)."""
    index = _last_item_index(rows)
    return rows[index].position if index < len(rows) else default  # type: ignore[union-attr]


def _last_item_index(rows: list[Item | NoiseLine]) -> int:
    """Index of the last item among a window's rows (len(rows) when there is none)."""
    for index in range(len(rows) - 1, -1, -1):
        if isinstance(rows[index], Item):
            return index
    return len(rows)


def item_id_prefix(source: str) -> str:
    """Readable, stable id prefix from a source's file name ('002_22d4...txt' -> '002_22d4...')."""
    name = re.split(r"[\\/]", source)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return re.sub(r"[^\w.-]+", "_", stem).strip("_") or "stdin"


def _windows(blocks: Iterable[list[str]]) -> Iterator[list[str]]:
    """Raw lines a window at a time; a window ends at a blank-line run."""
    raws: list[str] = []
    scanned = WINDOW_LINES  # window ends before this were ruled out
    for block in blocks:
        raws.extend(block)
        while len(raws) >= WINDOW_LINES:
            cut = _cut_point(raws, scanned)
            if cut is None:
                scanned = len(raws) + 1
                break
            yield raws[:cut]
            del raws[:cut]
            scanned = WINDOW_LINES
    if raws:
        yield raws


def _cut_point(raws: list[str], start: int) -> int | None:
    """Length of the first window: it ends after two blank lines in a row once it holds
    WINDOW_LINES lines, after any blank line past four windows' worth (None: not yet).
    Window ends below `start` are known not to qualify."""
    for end in range(start, len(raws) + 1):
        if raws[end - 1].strip():
            continue
        if end >= 4 * WINDOW_LINES or not raws[end - 2].strip():
            return end
    return None


# --- items -------------------------------------------------------------------------------------


def _segment_window(
    lines: list[Line], marks: LineMarks, naming: _Naming, *, final: bool
) -> list[Item | NoiseLine]:
    """The window's rows in order: lead noise, then each item followed by its noise lines.
    Items are numbered on from `naming.position` (a held-back last item is numbered again)."""
    units = make_units(lines, marks)
    if units is not lines:  # wrapped lines were joined: the marks moved
        marks = marks_of(units, TITLE_CANDIDATE_CHARS)
    win = find_titles(units, marks)
    starts = _item_starts(win)
    rows: list[Item | NoiseLine] = []
    first = starts[0] if starts else len(units)
    lead_kind = "heading" if naming.position else "header"
    rows.extend(_noise(units[:first], naming.source, lead_kind))
    if not starts:
        return rows
    position = naming.position
    for k in range(len(starts) - 1):  # every item but the last closes before the next one
        position += 1
        _add_item(rows, win, starts[k], starts[k + 1], naming, position, "heading")
    _add_item(rows, win, starts[-1], len(units), naming, position + 1, _tail_kind(final))
    return rows


def _tail_kind(final: bool) -> str | None:
    """What short heading-like lines closing a window's last item are: the newsletter's
    footer at the dump's end, or (None) unknowable at a window's end. (Those closing any other
    item are the next item's kicker or section heading.)"""
    return "footer" if final else None


def _item_starts(win: TitleWindow) -> list[int]:
    starts = []
    for title in sorted(win.titles):
        date = win.date_of.get(title)
        starts.append(date if date is not None and date < title else title)
    return starts


def _add_item(
    rows: list[Item | NoiseLine],
    win: TitleWindow,
    start: int,
    end: int,
    naming: _Naming,
    position: int,
    tail_kind: str | None,
) -> None:
    """Append the item of units[start:end] to `rows`, then its noise: chrome, and the next
    item's kicker lines."""
    units = win.units
    title_index = start if start in win.titles else start + 1  # else start is its date above
    date_index = win.date_of.get(title_index)
    # a date line right above or right below the title opens the item with it; one further
    # down closes the item (see `_closing_dates`)
    closing = date_index is not None and date_index > title_index + 1
    opening = date_index is not None and not closing
    body_start = max(title_index, date_index) + 1 if opening else title_index + 1
    end = max(end, body_start)
    tail = end  # where the closing kicker, heading or footer lines begin (if any)
    if tail_kind is not None and body_start < end and _is_heading_like(units[end - 1]):
        tail = _trailing_headings(units, title_index, date_index, end)
    body_units = units[body_start:tail]
    noise = units[tail:end]
    if win.noise and bisect_left(win.noise, body_start) < bisect_left(win.noise, tail):
        noise = [u for u in body_units if u.kind in NOISE_KINDS] + noise
        body_units = [u for u in body_units if u.kind not in NOISE_KINDS]
    date_unit = units[date_index] if date_index is not None else None
    title, date, date_line = _title_and_date(win, units[title_index], date_unit)
    if closing:
        body_units = [u for u in body_units if u is not date_unit]
    last = body_units[-1] if body_units else units[body_start - 1]
    if date_unit is not None and closing and date_unit.number > last.number:
        last = date_unit
    rows.append(
        Item(
            naming.prefix + "-" + str(position).zfill(4),  # as f"{position:04d}", in half the time
            naming.source,
            position,
            date,
            title,
            _join_body(body_units),
            units[start].number,
            last.last_number,
            date_line,
        )
    )
    for unit in noise:
        kind = unit.kind if unit.kind in NOISE_KINDS else tail_kind or "heading"
        rows.extend(_noise([unit], naming.source, kind))


def _title_and_date(
    win: TitleWindow, title_unit: Unit, date_unit: Unit | None
) -> tuple[str, str | None, str | None]:
    """The item's title, ISO date and date line as printed: from its own date line, or from a
    date printed on the title line ("12/03/2021 - Title", "Title (12 March 2021)"), which is
    then the date line as a whole."""
    title = strip_title_marks(strip_bullet(title_unit.text))
    if date_unit is not None and date_unit is not title_unit:
        return title, date_unit.date, date_unit.text
    dated = split_dated_title(title)
    if dated and (dated[2] or win.dates_after_titles):
        return dated[1], dated[0], title_unit.text
    return title, date_unit.date if date_unit else None, date_unit.text if date_unit else None


def _trailing_headings(units: list[Unit], title: int, date: int | None, end: int) -> int:
    """Index where closing heading-like lines begin: the next item's kicker or section heading,
    or the newsletter's footer. Whole blocks of short heading-like lines qualify; at least one
    body unit stays in the item."""
    first_body = max(title, date if date is not None else title) + 1
    cut = end
    while cut - 1 >= first_body + 1 and _is_heading_like(units[cut - 1]):
        block_start = _block_start(units, cut - 1, floor=first_body + 1)
        block = units[block_start:cut]
        if not all(_is_heading_like(u) for u in block) or not at_boundary(units, block_start):
            break
        cut = block_start
    while cut < end and units[cut].kind in NOISE_KINDS:
        cut += 1
    return cut


def _block_start(units: list[Unit], i: int, *, floor: int) -> int:
    """First unit of the blank-line block holding unit i (not before `floor`)."""
    while i > floor and units[i - 1].block == units[i].block:
        i -= 1
    return i


def _is_heading_like(unit: Unit) -> bool:
    """Chrome, or a strong title shape (never a line ending in a full stop: checked first, as
    this runs on every item's last body paragraph)."""
    kind = unit.kind
    if kind != "text":
        return kind in NOISE_KINDS
    return unit.text[-1] != "." and title_shape(unit) == "strong"


def _join_body(units: list[Unit]) -> str:
    """Lines of one block joined by a newline, blocks by a blank line."""
    if len(units) == 1 and units[0].parts is None:
        return units[0].text
    parts: list[str] = []
    previous_block = None
    for unit in units:
        text = unit.text if unit.parts is None else "\n".join(unit.parts)
        if previous_block is None:
            parts.append(text)
        elif unit.block == previous_block:
            parts.append("\n" + text)
        else:
            parts.append("\n\n" + text)
        previous_block = unit.block
    return "".join(parts)


def _noise(units: list[Unit], source: str, kind: str) -> Iterator[NoiseLine]:
    """Noise rows of `kind`; chrome and separators keep their own kind, except that everything
    above the first item but separators is the newsletter header ("Issue 14 | March 2021")."""
    keep_own = ("separator",) if kind == "header" else NOISE_KINDS
    for unit in units:
        unit_kind = unit.kind if unit.kind in keep_own else kind
        reason = unit.reason or _noise_reason(unit_kind)
        for offset, text in enumerate(unit.line_texts()):
            yield NoiseLine(source, unit.number + offset, text, unit_kind, reason)


def _noise_reason(kind: str) -> str:
    return {
        "header": "before the first item (newsletter header)",
        "heading": "section heading or kicker between items",
        "footer": "after the last item's body (newsletter footer)",
    }.get(kind, kind)
