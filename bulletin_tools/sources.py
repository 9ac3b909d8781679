"""Reading inputs: files, directories, globs and stdin; encodings; binary refusal; items tables.

Raw dumps are decoded as a stream of lines (never the whole file at once). Encoding detection is
deliberately simple and predictable: a BOM wins; else strict UTF-8; else Windows cp1252 (the
usual legacy paste), falling back to Latin-1 for the five bytes cp1252 leaves undefined.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import glob
import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .errors import InputError
from .models import Item

STDIN_NAME = "<stdin>"
SNIFF_BYTES = 64 * 1024
CHUNK_BYTES = 1 << 20
CHUNK_CHARS = 1 << 20
DUMP_SUFFIXES = (".txt",)
TABLE_SUFFIXES = (".jsonl", ".csv", ".tsv")

BINARY_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"\xd0\xcf\x11\xe0": "an old Office document",
    b"SQLite format 3": "an SQLite database",
    b"\x7fELF": "an executable",
}
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


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


def binary_reason(head: bytes) -> str | None:
    """Why these first bytes are not text (None when they look like text)."""
    for magic, what in BINARY_MAGIC.items():
        if head.startswith(magic):
            return f"binary file ({what}), not a text dump"
    if any(head.startswith(bom) for bom, _ in BOMS):
        return None
    sample = head[:8192]
    if b"\x00" in sample and _utf16_without_bom(sample) is None:
        return "binary file (contains NUL bytes), not a text dump"
    controls = sum(1 for b in sample if b < 32 and b not in b"\t\n\r\f\v\x00\x1a")
    if sample and controls / len(sample) > 0.05:
        return "binary file (control bytes), not a text dump"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """Spot BOM-less UTF-16 text: NULs in every other byte of mostly-ASCII text."""
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def detect_encoding(path: Path) -> tuple[str, str | None]:
    """Return (codec, warning) for a text file; raises InputError for a binary one."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    reason = binary_reason(head)
    if reason:
        raise InputError(f"{path}: {reason}")
    for bom, codec in BOMS:
        if head.startswith(bom):
            return codec, None
    utf16 = _utf16_without_bom(head[:8192])
    if utf16:
        return utf16, None
    if _decodes_whole_file(path, "utf-8"):
        return "utf-8", None
    if _decodes_whole_file(path, "cp1252"):
        return "cp1252", "not valid UTF-8; decoded as cp1252 (use --encoding to override)"
    return "latin-1", "not valid UTF-8; decoded as Latin-1 (use --encoding to override)"


def _decodes_whole_file(path: Path, codec: str) -> bool:
    """Strictly decode the file chunk by chunk, without holding it in memory."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def open_text(source: Source, encoding: str | None = None) -> io.TextIOWrapper:
    """Open a source as text with universal newlines (CRLF, CR and LF all end a line)."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise InputError(f"unknown encoding {encoding!r}") from exc
        with source.path.open("rb") as handle:
            reason = binary_reason(handle.read(SNIFF_BYTES))
        if reason:
            raise InputError(f"{source.name}: {reason}")
        source.encoding = encoding
    else:
        try:
            codec, warning = detect_encoding(source.path)
        except InputError as exc:
            raise InputError(str(exc).replace(str(source.path), source.name, 1)) from None
        source.encoding = codec
        if warning:
            source.warnings.append(f"{source.name}: {warning}")
    errors = "strict" if encoding is None else "replace"
    return open(source.path, encoding=source.encoding, errors=errors, newline=None)  # noqa: SIM115


def iter_lines(source: Source, encoding: str | None = None) -> Iterator[str]:
    """Yield the source's lines without their line endings, streaming in large chunks."""
    for block in iter_line_blocks(source, encoding):
        yield from block


def iter_line_blocks(source: Source, encoding: str | None = None) -> Iterator[list[str]]:
    """The source's lines (without line endings) in lists of many lines, streaming.

    Reading a megabyte at a time and splitting is several times faster than line iteration,
    and handing on whole lists spares a generator step per line.
    """
    with open_text(source, encoding) as handle:
        pending = ""
        try:
            while chunk := handle.read(CHUNK_CHARS):
                lines = (pending + chunk).split("\n")
                pending = lines.pop()
                if lines:
                    yield lines
        except UnicodeDecodeError as exc:
            raise InputError(f"{source.name}: cannot decode as {source.encoding}: {exc}") from None
        if pending:
            yield [pending]


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
