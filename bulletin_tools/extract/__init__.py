"""Extractors: each turns items into mention rows with offsets into the item's title or body.

Every extractor has the same shape, `(items, ExtractOptions) -> iterator of rows with to_row()`,
and is listed in `EXTRACTORS` under its table name; `tables.build_tables`, the `extract` command
and the terminal views use this registry, so places and figures plug in by adding an entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol


class Mention(Protocol):
    """A row of a mention table: it knows its item, field, offsets and surface text."""

    item_id: str
    field: str
    start: int
    end: int
    text: str

    def to_row(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class ExtractOptions:
    """Options shared by every extractor."""

    dayfirst: bool = True  # 03/04/2019 is 3 April
    languages: tuple[str, ...] = ("en",)
    default_anchor: date | None = None  # reference date for items with no date of their own
    relative_dates: bool = True  # "today", "last month": rows of kind "relative"


def _dates(items: Iterable[Any], options: ExtractOptions) -> Iterator[Mention]:
    from .dates import extract_dates

    return extract_dates(
        items,
        dayfirst=options.dayfirst,
        languages=options.languages,
        default_anchor=options.default_anchor,
        relative=options.relative_dates,
    )


Extractor = Callable[[Iterable[Any], ExtractOptions], Iterator[Mention]]
EXTRACTORS: dict[str, Extractor] = {"dates": _dates}


def extract(kind: str, items: Iterable[Any], options: ExtractOptions | None = None):
    """Mentions of one kind ('dates', ...) in items; raises KeyError for an unknown kind."""
    return EXTRACTORS[kind](items, options or ExtractOptions())
