"""A table's columns and machine types, and the value coercion every typed writer shares.

The schema (`schema.TABLES`) drives the types, so a new table needs no writer change; a table
the schema does not know yet gets its columns from its first row and types guessed from values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .errors import OutputError
from .schema import TABLES, column_types, columns

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
TRUE_TEXT = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


@dataclass(frozen=True)
class TableSpec:
    """Name, column order and machine type per column of one table."""

    name: str
    columns: tuple[str, ...]
    types: tuple[str, ...]

    def typed_columns(self) -> list[tuple[str, str]]:
        return list(zip(self.columns, self.types, strict=True))


def table_spec(name: str, rows: Sequence[Mapping[str, Any]]) -> TableSpec:
    """The schema's columns and types, or (for a table not in the schema) the first row's keys."""
    if name in TABLES:
        return TableSpec(name, tuple(columns(name)), tuple(column_types(name)))
    names = tuple(rows[0].keys()) if rows else ()
    return TableSpec(name, names, tuple(_guess_type(rows, col) for col in names))


def _guess_type(rows: Sequence[Mapping[str, Any]], column: str) -> str:
    value = next((row.get(column) for row in rows if row.get(column) is not None), None)
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "text"


def typed_values(spec: TableSpec, row: Mapping[str, Any]) -> list[Any]:
    """The row's values in column order, each coerced to its column's type."""
    values = []
    for column, kind in spec.typed_columns():
        try:
            values.append(coerce(row.get(column), kind))
        except (TypeError, ValueError) as exc:
            raise OutputError(f"table {spec.name}, column {column}: {exc}") from None
    return values


def coerce(value: Any, kind: str) -> Any:
    """A value as its column's Python type, None when missing; raises ValueError when it cannot be.

    Rows built by the pipeline already carry the right types; this covers rows read back from
    CSV (strings) so a typed container never holds "3" in an integer column.
    """
    if value is None:
        return None
    if kind == "text":
        return value if isinstance(value, str) else str(value)
    if value == "":
        return None
    return _COERCE.get(kind, _date_text)(value)


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        return int(value)
    return int(value)


def _number(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    key = str(value).strip().lower()
    if key not in TRUE_TEXT:
        raise ValueError(f"{value!r} is not true or false")
    return TRUE_TEXT[key]


def _date_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


_COERCE = {"integer": _integer, "number": _number, "boolean": _boolean, "date": _date_text}


def iso_day(value: Any) -> date | None:
    """A calendar day from 'YYYY-MM-DD' (or a date); None for anything else, e.g. '--05-01'."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DAY.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
