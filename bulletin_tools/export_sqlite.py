"""Every table into one SQLite database that `sqlite3` or datasette can open at once.

`items.item_id` is the primary key; other tables' `item_id` (and `canonical_item_id`) reference
it; the join columns are indexed. Booleans are stored as 0/1 and dates as ISO text, SQLite's
own conventions. The database is built under a temporary name and renamed into place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import OutputError
from .export import atomic_path
from .export_spec import TableSpec, typed_values

SQL_TYPES = {"text": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}
PRIMARY_KEYS = {"items": "item_id"}
ITEM_REFERENCES = ("item_id", "canonical_item_id")
JOIN_COLUMNS = ("item_id", "canonical_item_id", "cluster_id")
BATCH = 1000


def write_sqlite(
    tables: Sequence[tuple[TableSpec, Iterable[Mapping[str, Any]]]],
    path: str | Path,
    *,
    force: bool = True,
) -> list[int]:
    """Write each (spec, rows) as a table of a new database at `path`; returns row counts."""
    has_items = any(spec.name == "items" for spec, _ in tables)
    with atomic_path(path, force=force) as temp:
        connection = sqlite3.connect(temp, isolation_level=None)
        try:
            # A scratch file: no journal or fsync per statement (atomic_path syncs it once).
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute("BEGIN")
            counts = [_write_one(connection, spec, rows, has_items) for spec, rows in tables]
            connection.execute("COMMIT")
        except sqlite3.Error as exc:
            raise OutputError(f"{path}: cannot write the database ({exc})") from None
        finally:
            connection.close()
    return counts


def create_statements(spec: TableSpec, has_items: bool) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements for one table (public for docs and tests)."""
    key = PRIMARY_KEYS.get(spec.name)
    lines = []
    for column, kind in spec.typed_columns():
        line = f"{_quote(column)} {SQL_TYPES.get(kind, 'TEXT')}"
        if column == key:
            line += " PRIMARY KEY"
        elif has_items and spec.name != "items" and column in ITEM_REFERENCES:
            line += ' REFERENCES "items"("item_id")'
        lines.append(line)
    statements = [f"CREATE TABLE {_quote(spec.name)} (\n  " + ",\n  ".join(lines) + "\n)"]
    for column in spec.columns:
        if column in JOIN_COLUMNS and column != key:
            index = _quote(f"idx_{spec.name}_{column}")
            statements.append(f"CREATE INDEX {index} ON {_quote(spec.name)}({_quote(column)})")
    return statements


def _write_one(
    connection: sqlite3.Connection,
    spec: TableSpec,
    rows: Iterable[Mapping[str, Any]],
    has_items: bool,
) -> int:
    statements = create_statements(spec, has_items)
    connection.execute(statements[0])
    insert = f"INSERT INTO {_quote(spec.name)} VALUES ({', '.join('?' for _ in spec.columns)})"
    count, batch = 0, []
    for row in rows:
        batch.append(_values(spec, row))
        if len(batch) >= BATCH:
            connection.executemany(insert, batch)
            count, batch = count + len(batch), []
    connection.executemany(insert, batch)
    count += len(batch)
    for statement in statements[1:]:
        connection.execute(statement)
    return count


def _values(spec: TableSpec, row: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(int(v) if isinstance(v, bool) else v for v in typed_values(spec, row))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
