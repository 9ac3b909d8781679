"""Plain dataclasses shared by every stage: items, noise lines, mentions and cluster rows.

Every row carries its provenance (source file, item id, line span or character offsets) so an
analyst can check it against the raw dump.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


def row_of(record: Any) -> dict[str, Any]:
    """A flat record's fields as a dict in declaration order.

    `dataclasses.asdict` deep-copies every value and took a fifth of `parse`'s time; our
    fields are all scalars, so a shallow read gives the same dict.
    """
    names = _FIELD_NAMES.get(type(record))
    if names is None:
        names = _FIELD_NAMES[type(record)] = tuple(f.name for f in fields(record))
    return {name: getattr(record, name) for name in names}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


@dataclass(slots=True)
class Item:
    """One bulletin item: an optional date line, a title and body paragraphs.

    `body` joins a paragraph's lines with "\\n" and paragraphs with "\\n\\n". `date` is the ISO
    date of the item's own date line (None when it has none); `date_line` is that line as printed.
    """

    item_id: str
    source: str
    position: int
    date: str | None
    title: str
    body: str
    line_start: int
    line_end: int
    date_line: str | None = None
    cluster_id: str | None = None
    is_canonical: bool | None = None

    def to_row(self) -> dict[str, Any]:
        return row_of(self)


@dataclass(slots=True)
class NoiseLine:
    """A non-blank input line that is not part of any item (page chrome, header, footer)."""

    source: str
    line: int
    text: str
    kind: str  # "chrome" | "header" | "footer" | "separator" | "orphan"
    reason: str

    def to_row(self) -> dict[str, Any]:
        return row_of(self)


@dataclass(slots=True)
class DateMention:
    """A date expression found in an item's title or body, resolved to a calendar interval.

    `start`/`end` are Python str offsets into the field exactly as given; `date_start`/`date_end`
    are ISO days (None when the year is unresolved, see `partial`).
    """

    item_id: str
    source: str
    position: int
    field: str
    start: int
    end: int
    text: str
    date_start: str | None
    date_end: str | None
    granularity: str
    kind: str
    year_source: str
    partial: str | None = None

    def to_row(self) -> dict[str, Any]:
        return row_of(self)


@dataclass(slots=True)
class ClusterRow:
    """One item's membership in a duplicate cluster, with its scores against the canonical item."""

    item_id: str
    cluster_id: str
    canonical_item_id: str
    is_canonical: bool
    cluster_size: int
    reason: str
    jaccard: float | None = None
    containment: float | None = None
    title_similarity: float | None = None

    def to_row(self) -> dict[str, Any]:
        return row_of(self)


@dataclass(slots=True)
class SourceSummary:
    """One input file: how it was read, what it gave, and its issue-level metadata (the
    newsletter header and footer lines, which are not items)."""

    source: str
    path: str
    encoding: str | None = None
    input_kind: str = "dump"  # "dump" | "items table"
    items: int = 0
    noise_lines: int = 0
    first_date: str | None = None
    last_date: str | None = None
    header: str | None = None
    footer: str | None = None
    status: str = "ok"  # "ok" | "failed"
    error: str | None = None

    def to_row(self) -> dict[str, Any]:
        return row_of(self)

    def count_rows(self, rows: list[Item | NoiseLine]) -> None:
        """Fold parsed rows into the summary (runs on every row: one pass, kept cheap)."""
        dates = []
        items = 0
        for row in rows:
            if type(row) is Item:
                items += 1
                if row.date:
                    dates.append(row.date)
            else:
                self._count_noise(row)  # type: ignore[arg-type]
        self.items += items
        if dates:
            low, high = min(dates), max(dates)
            if self.first_date is None or low < self.first_date:
                self.first_date = low
            if self.last_date is None or high > self.last_date:
                self.last_date = high

    def _count_noise(self, row: NoiseLine) -> None:
        self.noise_lines += 1
        if row.kind in ("header", "footer"):
            current = getattr(self, row.kind)
            setattr(self, row.kind, f"{current} | {row.text}" if current else row.text)
