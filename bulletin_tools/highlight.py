"""Items with their extracted mentions marked in the text, so extraction can be checked by eye.

Builds rich renderables and never prints. A *mention table* is any table whose rows point into an
item's text (`item_id`, `field`, `start`, `end`, `text`): `dates` today, `places` and `figures`
as they land. Each gets one style, shown in a legend. Without colour (a pipe, `NO_COLOR`), a
mention is marked `[[text]]{table}` instead, so the marks survive in a file or `grep`.

>>> from rich.console import Console
>>> item = {"item_id": "a-1", "source": "a.txt", "position": 1, "title": "Floods in May"}
>>> mention = {"item_id": "a-1", "field": "title", "start": 10, "end": 13, "text": "May"}
>>> console = Console(width=60, color_system=None)
>>> with console.capture() as out:
...     console.print(*highlight_report({"items": [item], "dates": [mention]}, color=False))
>>> "Floods in [[May]]{dates}" in out.get()
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from .lines import date_line_is_title_line
from .schema import TABLES

__all__ = [
    "MENTION_KEYS",
    "TABLE_STYLES",
    "ItemMarks",
    "highlight_report",
    "legend",
    "mark_text",
    "mention_styles",
    "mention_tables",
]

Row = Mapping[str, Any]
MENTION_KEYS = frozenset({"item_id", "field", "start", "end", "text"})
TABLE_STYLES = {"dates": "bold cyan", "places": "bold green", "figures": "bold magenta"}
SPARE_STYLES = ("bold yellow", "bold blue", "bold red", "bold bright_green", "bold bright_cyan")
TEXT_FIELDS = ("title", "date_line", "body")  # the item fields shown, in this order
FIELD_STYLES = {"title": "bold", "date_line": "dim", "body": ""}
OFF_STYLE = "bold red"


def mention_tables(tables: Mapping[str, Sequence[Row]]) -> dict[str, Sequence[Row]]:
    """The tables whose rows point into item text; known ones first, then by name."""
    found = {name: rows for name, rows in tables.items() if _is_mention_table(name, rows)}
    order = [name for name in TABLE_STYLES if name in found]
    order += sorted(name for name in found if name not in TABLE_STYLES)
    return {name: found[name] for name in order}


def _is_mention_table(name: str, rows: Sequence[Row]) -> bool:
    if rows:
        return MENTION_KEYS.issubset(rows[0].keys())
    known = {column for column, _, _ in TABLES.get(name, [])}
    return MENTION_KEYS.issubset(known)


def mention_styles(names: Sequence[str]) -> dict[str, str]:
    """One style per mention table: the fixed ones for known tables, spare ones for the rest."""
    spare = iter(SPARE_STYLES * (1 + len(names) // len(SPARE_STYLES)))
    return {name: TABLE_STYLES.get(name) or next(spare) for name in names}


def legend(counts: Mapping[str, int], styles: Mapping[str, str], *, color: bool) -> Text:
    """'Legend: dates (97)  places (12)' with each name in its style (or its marker)."""
    text = Text("Legend: ", style="bold")
    if not counts:
        text.append("no mention tables yet (nothing to highlight)", style="dim")
    for k, (name, count) in enumerate(counts.items()):
        if k:
            text.append("  ")
        if color:
            text.append(name, style=styles[name])
        else:
            text.append(f"[[text]]{{{name}}}")
        text.append(f" {count}", style="dim")
    return text


@dataclass
class ItemMarks:
    """The mention spans of one item, by field: (start, end, table) triples."""

    spans: dict[str, list[tuple[int, int, str]]] = field(default_factory=lambda: defaultdict(list))
    off: int = 0  # mentions whose offsets do not point at their text


def mark_text(
    text: str,
    spans: Sequence[tuple[int, int, str]],
    styles: Mapping[str, str],
    *,
    color: bool,
    base_style: str = "",
) -> Text:
    """The text with each span styled (colour) or wrapped in `[[...]]{table}` (no colour).

    Without colour, a span overlapping an earlier mark is left unmarked (marks cannot nest).
    """
    if color:
        out = Text(text, style=base_style)
        for start, end, table in sorted(spans):
            out.stylize(styles[table], start, end)
        return out
    out = Text(style=base_style)
    cursor = 0
    for start, end, table in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < cursor:
            continue
        out.append(text[cursor:start])
        out.append(f"[[{text[start:end]}]]{{{table}}}")
        cursor = end
    out.append(text[cursor:])
    return out


def highlight_report(
    tables: Mapping[str, Sequence[Row]],
    *,
    color: bool = True,
    limit: int | None = None,
) -> Iterator[RenderableType]:
    """The legend, then one block per item (header, title, date line, body), marks applied."""
    mentions = mention_tables(tables)
    styles = mention_styles(list(mentions))
    items = tables.get("items", [])
    yield legend({name: len(rows) for name, rows in mentions.items()}, styles, color=color)
    yield Text(f"{len(items)} items", style="dim")
    marks = _marks_by_item(items, mentions)
    clusters = {row["item_id"]: row for row in tables.get("clusters", [])}
    for item in items[:limit] if limit is not None else items:
        item_marks = marks.get(item["item_id"], ItemMarks())
        yield Text("")
        yield _item_block(item, item_marks, clusters.get(item["item_id"]), styles, color=color)


def _marks_by_item(
    items: Sequence[Row], mentions: Mapping[str, Sequence[Row]]
) -> dict[str, ItemMarks]:
    """Group mention spans by item and field; count spans whose offsets miss their text."""
    by_id = {item["item_id"]: item for item in items}
    marks: dict[str, ItemMarks] = defaultdict(ItemMarks)
    for table, rows in mentions.items():
        for row in rows:
            item = by_id.get(row["item_id"])
            if item is None:
                continue
            text = item.get(row["field"]) or ""
            start, end = int(row["start"]), int(row["end"])
            if not (0 <= start <= end <= len(text)) or text[start:end] != row["text"]:
                marks[row["item_id"]].off += 1
                continue
            marks[row["item_id"]].spans[row["field"]].append((start, end, table))
    return marks


def _item_block(
    item: Row, marks: ItemMarks, cluster: Row | None, styles: Mapping[str, str], *, color: bool
) -> Group:
    parts: list[RenderableType] = [_header(item, marks, cluster)]
    for name in TEXT_FIELDS:
        value = item.get(name)
        if name == "date_line" and date_line_is_title_line(str(item.get("title")), value):
            continue  # the date was read from the title line, shown just above
        if value:
            spans = marks.spans.get(name, [])
            style = FIELD_STYLES[name]
            parts.append(mark_text(value, spans, styles, color=color, base_style=style))
    others = sorted(set(marks.spans) - set(TEXT_FIELDS))
    for name in others:  # a field we do not show by default but a table points into
        text = Text(f"{name}: ", style="dim")
        text.append_text(mark_text(str(item.get(name)), marks.spans[name], styles, color=color))
        parts.append(text)
    return Group(*parts)


def _header(item: Row, marks: ItemMarks, cluster: Row | None) -> Text:
    """'== a-0001 · a.txt #1 · lines 3-9 · 2019-05-01 · cluster c1: 3 copies (canonical)'."""
    header = Text("== ", style="dim")
    header.append(str(item["item_id"]), style="bold reverse")
    bits = [f"{item.get('source', '')} #{item.get('position', '')}"]
    if item.get("line_start") is not None:
        bits.append(f"lines {item['line_start']}-{item.get('line_end', item['line_start'])}")
    bits.append(str(item.get("date") or "undated"))
    header.append(" \u00b7 " + " \u00b7 ".join(bits), style="dim")
    note = cluster_note(item, cluster)
    if note:
        header.append(" \u00b7 ")
        header.append(note, style="dim" if note == "unique" else "yellow")
    if marks.off:
        header.append(f" \u00b7 {marks.off} mention(s) point off their text", style=OFF_STYLE)
    return header


def cluster_note(item: Row, cluster: Row | None) -> str:
    """'cluster c1: 3 copies (canonical)', 'cluster c1: 3 copies, copy of a-1', 'unique', ''."""
    cluster_id = (cluster or {}).get("cluster_id") or item.get("cluster_id")
    if not cluster_id:
        return ""
    size = int((cluster or {}).get("cluster_size") or 0)
    if cluster is not None and size <= 1:
        return "unique"
    note = f"cluster {cluster_id}" + (f": {size} copies" if size else "")
    canonical = (cluster or {}).get("is_canonical", item.get("is_canonical"))
    if canonical:
        return note + " (canonical)"
    of = (cluster or {}).get("canonical_item_id")
    return note + (f", copy of {of}" if of else "")
