"""Reading inputs: files, directories, globs and stdin, and items tables given as input.

Raw dumps are decoded as a stream of lines by `decoding` (never the whole file at once).
"""

from __future__ import annotations

import contextlib
import csv
import glob
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .decoding import CHUNK_BYTES, SNIFF_BYTES
from .errors import InputError
from .models import Item

STDIN_NAME = "<stdin>"
DUMP_SUFFIXES = (".txt",)
TABLE_SUFFIXES = (".jsonl", ".csv", ".tsv")


@dataclass(slots=True)
class Source:
    """One input: a path on disk (stdin is spooled to a temporary file first)."""

    name: str
    path: Path
    encoding: str = ""
    warnings: list[str] = field(default_factory=list)


def expand_inputs(args: Iterable[str]) -> Iterator[tuple[str, Path | None]]:
    """Yield (display name, path) for each input argument; path None means stdin.

    Directories give their dump and table files recursively, sorted; a pattern that names no
    existing file is expanded as a glob. Raises InputError for an argument that matches nothing.
    """
    for arg in args:
        if arg == "-":
            yield STDIN_NAME, None
            continue
        path = Path(arg)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if _is_input_file(p))
            if not found:
                raise InputError(f"{arg}: directory holds no *.txt dumps or items tables")
            for p in found:
                yield str(p), p
        elif path.exists():
            yield arg, path
        elif glob.has_magic(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                raise InputError(f"{arg}: no file matches this pattern")
            for match in matches:
                yield match, Path(match)
        else:
            raise InputError(f"{arg}: no such file or directory")


def _is_input_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in DUMP_SUFFIXES + TABLE_SUFFIXES


def spool_stdin(stream: BinaryIO | None = None) -> Path:
    """Copy stdin to a temporary file so it can be sniffed and read twice like any file.

    The copy is removed again if copying fails or is interrupted (Ctrl-C).
    """
    stream = stream or sys.stdin.buffer
    handle, name = tempfile.mkstemp(prefix="bulletin-stdin-", suffix=".txt")
    try:
        with os.fdopen(handle, "wb") as out:
            shutil.copyfileobj(stream, out, CHUNK_BYTES)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


# --- items tables as input --------------------------------------------------------------------

ITEM_INT_FIELDS = ("position", "line_start", "line_end")


def sniff_table(source: Source) -> str | None:
    """'jsonl' or 'csv'/'tsv' when the file is an items table (judged by content), else None."""
    with source.path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    first = text.split("\n", 1)[0].strip()
    if first.startswith("{"):
        try:
            record = json.loads(first)
        except ValueError:
            return None
        return (
            "jsonl"
            if isinstance(record, dict) and ("title" in record or "body" in record)
            else None
        )
    for delimiter, name in (("\t", "tsv"), (",", "csv")):
        header = {cell.strip().strip('"') for cell in first.split(delimiter)}
        if {"title", "body"} <= header or {"item_id", "title"} <= header:
            return name
    return None


def iter_table_items(source: Source, kind: str) -> Iterator[Item]:
    """Items from an items table written by `parse` (or any JSONL/CSV with title and body)."""
    with source.path.open(encoding="utf-8-sig", newline="") as handle:
        if kind == "jsonl":
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield _item_from_record(_json_record(line, source.name, number), source, number)
        else:
            reader = csv.DictReader(handle, delimiter="\t" if kind == "tsv" else ",")
            for number, record in enumerate(reader, start=2):
                yield _item_from_record(record, source, reader.line_num or number)


def _json_record(line: str, name: str, number: int) -> dict:
    try:
        record = json.loads(line)
    except ValueError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", path=name, line=number) from None
    if not isinstance(record, dict):
        raise InputError("expected a JSON object per line", path=name, line=number)
    return record


def _item_from_record(record: dict, source: Source, number: int) -> Item:
    """Build an Item from a table row, filling what a foreign table may lack."""
    values = {key: (None if value == "" else value) for key, value in record.items()}
    try:
        ints = {key: int(values[key]) for key in ITEM_INT_FIELDS if values.get(key) is not None}
    except (TypeError, ValueError):
        raise InputError(
            "position/line_start/line_end must be integers", path=source.name, line=number
        ) from None
    position = ints.get("position", number)
    return Item(
        item_id=str(values.get("item_id") or f"{source.name}#{number}"),
        source=str(values.get("source") or source.name),
        position=position,
        date=values.get("date"),
        title=str(values.get("title") or ""),
        body=str(values.get("body") or ""),
        line_start=ints.get("line_start", number),
        line_end=ints.get("line_end", number),
        date_line=values.get("date_line"),
    )
