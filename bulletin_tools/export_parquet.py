"""One table as a Parquet file, typed from the schema (pyarrow, an optional dependency).

Dates become date32 so pandas and DuckDB read real dates; a date column holding anything but
ISO days (a partial '--05-01') stays text rather than losing values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import OutputError
from .export import atomic_path
from .export_spec import TableSpec, iso_day, typed_values

INSTALL_HINT = "writing parquet needs pyarrow: pip install 'bulletin-tools[parquet]'"


def write_parquet(
    spec: TableSpec, rows: Iterable[Mapping[str, Any]], path: str | Path, *, force: bool = True
) -> int:
    """Write one table to `path` atomically; returns the row count."""
    pa, pq = _pyarrow()
    data: dict[str, list[Any]] = {column: [] for column in spec.columns}
    count = 0
    for row in rows:
        for column, value in zip(spec.columns, typed_values(spec, row), strict=True):
            data[column].append(value)
        count += 1
    arrays, fields = [], []
    for column, kind in spec.typed_columns():
        array = _array(pa, data[column], kind)
        arrays.append(array)
        fields.append(pa.field(column, array.type))
    table = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
    with atomic_path(path, force=force) as temp:
        pq.write_table(table, str(temp))
    return count


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise OutputError(INSTALL_HINT) from None
    return pa, pq


def _array(pa: Any, values: list[Any], kind: str) -> Any:
    """A typed Arrow array; dates only when every value is a whole ISO day."""
    if kind == "date":
        days = [iso_day(value) for value in values]
        if all(day is not None or value is None for day, value in zip(days, values, strict=True)):
            return pa.array(days, type=pa.date32())
        return pa.array(values, type=pa.string())
    return pa.array(values, type=ARROW_TYPES.get(kind, ARROW_TYPES["text"])(pa))


ARROW_TYPES = {
    "text": lambda pa: pa.string(),
    "integer": lambda pa: pa.int64(),
    "number": lambda pa: pa.float64(),
    "boolean": lambda pa: pa.bool_(),
}
