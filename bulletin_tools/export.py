"""Writing tables: CSV, TSV, JSON and JSONL, streamed row by row, to stdout or atomically to a file.

A file is written to a temporary name in its own directory and renamed into place only when
complete, so a crash or Ctrl-C leaves the previous file or none, never a truncated one. The typed
containers (xlsx, sqlite, parquet) live in their own modules and reuse `atomic_path`.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from .errors import OutputError

FORMATS = ("csv", "tsv", "json", "jsonl")
EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".jsonl": "jsonl"}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"
FLUSH_SECONDS = 0.25

RowWriter = Callable[[Iterable[Mapping[str, Any]], list[str], TextIO], int]


def format_for_path(path: str | None, default: str = "csv") -> str:
    """Table format implied by a file extension (CSV when unknown)."""
    if not path or path == "-":
        return default
    return EXTENSIONS.get(Path(path).suffix.lower(), default)


def neutralise_formula(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would run as a formula with a quote (OWASP advice).

    Only text is touched: a number stored as a number (-5) is never a formula, while the text
    "-5 people" or "=HYPERLINK(...)" is. Example: neutralise_formula("=1+1") == "'=1+1".
    """
    if is_formula_like(value):
        return "'" + value
    return value


def is_formula_like(value: Any) -> bool:
    """True for text that Excel, LibreOffice or Sheets could evaluate when the file is opened."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def write_rows(
    rows: Iterable[Mapping[str, Any]],
    columns: list[str],
    fmt: str,
    out: TextIO,
    *,
    safe: bool = False,
    excel: bool = False,
) -> int:
    """Write rows to an open text stream; returns how many rows were written.

    `excel` (CSV/TSV only) adds the UTF-8 BOM and CRLF line ends that Excel needs for accents and
    implies `safe`, which neutralises formula-like text cells.
    """
    if excel and fmt in ("csv", "tsv"):
        out.write(UTF8_BOM)
        return _write_delimited(_cells(rows, True), columns, out, _DELIMITERS[fmt], "\r\n")
    if fmt in _DELIMITERS:
        return _write_delimited(_cells(rows, safe), columns, out, _DELIMITERS[fmt], "\n")
    return _JSON_WRITERS[fmt](_cells(rows, safe or excel), columns, out)


def _cells(rows: Iterable[Mapping[str, Any]], safe: bool) -> Iterable[Mapping[str, Any]]:
    if not safe:
        return rows
    return ({key: neutralise_formula(value) for key, value in row.items()} for row in rows)


_DELIMITERS = {"csv": ",", "tsv": "\t"}


def _write_delimited(
    rows: Iterable[Mapping[str, Any]], columns: list[str], out: TextIO, delimiter: str, end: str
) -> int:
    """RFC 4180 records: a field holding the delimiter, a quote, CR or LF is quoted, its quotes
    doubled (what `csv.writer` does with QUOTE_MINIMAL; a property test checks they agree).

    Written with str methods rather than `csv.writer`, whose per-character loop ran at about
    30 MB/s on long bodies and made CSV the slowest format.
    """
    out.write(delimiter.join(_csv_field(col, delimiter) for col in columns) + end)
    count = 0
    for row in rows:
        get = row.get
        fields = [_csv_field(_csv_cell(get(col)), delimiter) for col in columns]
        out.write(delimiter.join(fields) + end)
        count += 1
    return count


def _csv_field(value: Any, delimiter: str) -> str:
    text = value if type(value) is str else str(value)
    if '"' in text or delimiter in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return value


def _json_encoder() -> Callable[[Any], str]:
    """One encoder for every row: non-ASCII kept as is, NaN/inf refused (ValueError).

    `JSONEncoder.encode` builds the C encoder anew on every call (a third of the time it takes
    for a row); this builds it once, as `encode` would, and falls back to `encode` where the C
    accelerator is missing. Rows are flat, so the circular-reference check is left out.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
    make_c_encoder = getattr(json.encoder, "c_make_encoder", None)
    if make_c_encoder is None:
        return encoder.encode
    c_encode = make_c_encoder(
        None, encoder.default, json.encoder.encode_basestring, None, ": ", ", ", False, False, False
    )
    return lambda value: "".join(c_encode(value, 0))


_ENCODE_JSON = _json_encoder()


def _json_object(row: Mapping[str, Any], columns: list[str]) -> str:
    """One object in column order; non-ASCII kept as is, NaN/inf (not JSON) written as null.

    A dict that already holds exactly the columns, in order (a dataclass row), is encoded as
    it is; any other row is first laid out in column order.
    """
    if type(row) is dict and len(row) == len(columns) and list(row) == columns:
        record = row
    else:
        get = row.get
        record = {col: get(col) for col in columns}
    try:
        return _ENCODE_JSON(record)
    except ValueError:  # a NaN or infinity: rare, so checked only when the encoder refuses
        return _ENCODE_JSON({col: _json_value(value) for col, value in record.items()})


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _write_jsonl(rows: Iterable[Mapping[str, Any]], columns: list[str], out: TextIO) -> int:
    """JSON lines. A row arriving FLUSH_SECONDS or more after the last flush is flushed at once,
    so a slow stage downstream of a pipe sees rows as they come, without a write per row."""
    count = 0
    flushed = time.monotonic()
    for row in rows:
        out.write(_json_object(row, columns) + "\n")
        count += 1
        now = time.monotonic()
        if now - flushed > FLUSH_SECONDS:
            out.flush()
            flushed = now
    out.flush()
    return count


def _write_json(rows: Iterable[Mapping[str, Any]], columns: list[str], out: TextIO) -> int:
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(_json_object(row, columns))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


_JSON_WRITERS: dict[str, RowWriter] = {"jsonl": _write_jsonl, "json": _write_json}


@contextlib.contextmanager
def atomic_path(path: str | Path, *, force: bool = True) -> Iterator[Path]:
    """A temporary path beside `path`, renamed over it only if the block succeeds.

    For writers that want a file name (sqlite3, openpyxl, pyarrow). On any error or Ctrl-C the
    temporary file is removed and the previous `path`, if any, is left untouched.
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise OutputError(f"{target}: directory {target.parent} does not exist")
    if target.exists() and not force:
        raise OutputError(f"{target}: already exists (use --force to replace it)")
    temp_name: Path | None = None
    try:
        while True:
            # The name is recorded before the file exists, so a Ctrl-C at any instant leaves
            # nothing the cleanup below does not know about (mkstemp returns it only after).
            temp_name = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
            try:
                os.close(os.open(temp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                break
            except FileExistsError:
                continue
        yield temp_name
        fsync_path(temp_name)
        os.chmod(temp_name, 0o666 & ~_umask())
        os.replace(temp_name, target)
    except OSError as exc:
        _remove_quietly(temp_name)
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        _remove_quietly(temp_name)
        raise


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold SIGINT/SIGTERM for a few instructions; a signal that came meanwhile arrives after.

    Used while a set of finished tables is renamed into place. A Ctrl-C already received but not
    yet raised by Python can still surface inside; callers allow for that. A no-op off the main
    thread and where signals cannot be blocked (Windows).
    """
    can_block = hasattr(signal, "pthread_sigmask")
    if not can_block or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def atomic_output(
    path: str | Path, *, force: bool = True, newline: str | None = ""
) -> Iterator[TextIO]:
    """Open a temporary file beside `path`; rename it over `path` only if the block succeeds."""
    with (
        atomic_path(path, force=force) as temp,
        temp.open("w", encoding="utf-8", newline=newline) as out,
    ):
        yield out


def fsync_path(name: str | Path) -> None:
    """Flush the finished file to disk before the rename, so a power cut cannot publish zeros."""
    fd = os.open(name, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    """The process umask (temp files are created 0600; outputs should get the usual mode)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_quietly(name: str | Path | None) -> None:
    if name is None:
        return
    with contextlib.suppress(OSError):
        os.unlink(name)


def write_table(
    rows: Iterable[Mapping[str, Any]],
    columns: list[str],
    fmt: str,
    destination: str | Path | None,
    *,
    safe: bool = False,
    excel: bool = False,
    force: bool = True,
) -> int:
    """Write a table to a file atomically, or to stdout when destination is None or '-'."""
    options = {"safe": safe, "excel": excel}
    if destination is None or str(destination) == "-":
        return write_rows(rows, columns, fmt, sys.stdout, **options)
    if _is_device(destination):
        return _write_device(rows, columns, fmt, Path(destination), options)
    with atomic_output(destination, force=force) as out:
        return write_rows(rows, columns, fmt, out, **options)


def _is_device(destination: str | Path) -> bool:
    """Character devices (/dev/null, /dev/full) cannot be renamed over: write them directly."""
    path = Path(destination)
    return path.exists() and not path.is_file() and not path.is_dir()


def _write_device(rows, columns, fmt, path: Path, options: dict[str, bool]) -> int:
    try:
        with path.open("w", encoding="utf-8", newline="") as out:
            return write_rows(rows, columns, fmt, out, **options)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
