"""Writing tables: CSV, TSV, JSON and JSONL, streamed row by row, to stdout or atomically to a file.

A file is written to a temporary name in its own directory and renamed into place only when
complete, so a crash or Ctrl-C leaves the previous file or none, never a truncated one.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from .errors import OutputError

FORMATS = ("csv", "tsv", "json", "jsonl")
EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".jsonl": "jsonl"}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def format_for_path(path: str | None, default: str = "csv") -> str:
    """Table format implied by a file extension (CSV when unknown)."""
    if not path or path == "-":
        return default
    return EXTENSIONS.get(Path(path).suffix.lower(), default)


def neutralise_formula(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would run as a formula with a quote (OWASP advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_rows(
    rows: Iterable[Mapping[str, Any]],
    columns: list[str],
    fmt: str,
    out: TextIO,
    *,
    safe: bool = False,
) -> int:
    """Write rows to an open text stream; returns how many rows were written."""
    writer = _WRITERS[fmt]
    return writer(_cells(rows, safe), columns, out)


def _cells(rows: Iterable[Mapping[str, Any]], safe: bool) -> Iterator[Mapping[str, Any]]:
    if not safe:
        yield from rows
        return
    for row in rows:
        yield {key: neutralise_formula(value) for key, value in row.items()}


def _write_delimited(delimiter: str):
    def write(rows: Iterable[Mapping[str, Any]], columns: list[str], out: TextIO) -> int:
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow(columns)
        count = 0
        for row in rows:
            writer.writerow([_csv_cell(row.get(col)) for col in columns])
            count += 1
        return count

    return write


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write_jsonl(rows: Iterable[Mapping[str, Any]], columns: list[str], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps({col: row.get(col) for col in columns}, ensure_ascii=False))
        out.write("\n")
        out.flush()
        count += 1
    return count


def _write_json(rows: Iterable[Mapping[str, Any]], columns: list[str], out: TextIO) -> int:
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps({col: row.get(col) for col in columns}, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


_WRITERS = {
    "csv": _write_delimited(","),
    "tsv": _write_delimited("\t"),
    "jsonl": _write_jsonl,
    "json": _write_json,
}


@contextlib.contextmanager
def atomic_output(
    path: str | Path, *, force: bool = True, newline: str | None = ""
) -> Iterator[TextIO]:
    """Open a temporary file beside `path`; rename it over `path` only if the block succeeds."""
    target = Path(path)
    if not target.parent.exists():
        raise OutputError(f"{target}: directory {target.parent} does not exist")
    if target.exists() and not force:
        raise OutputError(f"{target}: already exists (use --force to replace it)")
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline=newline) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, target)
    except OSError as exc:
        _remove_quietly(temp_name)
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        _remove_quietly(temp_name)
        raise


def _remove_quietly(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


def write_table(
    rows: Iterable[Mapping[str, Any]],
    columns: list[str],
    fmt: str,
    destination: str | Path | None,
    *,
    safe: bool = False,
    force: bool = True,
) -> int:
    """Write a table to a file atomically, or to stdout when destination is None or '-'."""
    if destination is None or str(destination) == "-":
        return write_rows(rows, columns, fmt, sys.stdout, safe=safe)
    if _is_device(destination):
        return _write_device(rows, columns, fmt, Path(destination), safe)
    with atomic_output(destination, force=force) as out:
        return write_rows(rows, columns, fmt, out, safe=safe)


def _is_device(destination: str | Path) -> bool:
    """Character devices (/dev/null, /dev/full) cannot be renamed over: write them directly."""
    path = Path(destination)
    return path.exists() and not path.is_file() and not path.is_dir()


def _write_device(rows, columns, fmt, path: Path, safe: bool) -> int:
    try:
        with path.open("w", encoding="utf-8", newline="") as out:
            return write_rows(rows, columns, fmt, out, safe=safe)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
