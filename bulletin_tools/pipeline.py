"""From input arguments to a stream of items: each input is a raw dump or an items table.

A failing input is recorded (one message naming it) and skipped, so the others still run; the
caller turns `errors` into exit code 1.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .decoding import iter_line_blocks
from .errors import InputError
from .models import Item, NoiseLine, SourceSummary
from .parse import item_id_prefix, parse_row_batches
from .sources import (
    STDIN_NAME,
    Source,
    expand_inputs,
    iter_table_items,
    sniff_table,
    spool_stdin,
)


@dataclass
class InputReader:
    """Iterates items and noise lines over all inputs, collecting errors and warnings."""

    args: list[str]
    encoding: str | None = None
    keep_spooled: bool = False  # keep stdin's copy for `reread_items` until `close`
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sources_read: int = 0
    summaries: list[SourceSummary] = field(default_factory=list)
    _prefixes: dict[str, int] = field(default_factory=dict)
    _read: list[tuple[str, Path]] = field(default_factory=list)  # (name, path on disk)
    _spooled: list[Path] = field(default_factory=list)

    def rows(self) -> Iterator[Item | NoiseLine]:
        """Items and noise lines of every input, in input order."""
        for name, path in self._expanded():
            yield from self._read_one(name, path)

    def items(self) -> Iterator[Item]:
        return (row for row in self.rows() if isinstance(row, Item))

    def reread_items(self) -> Iterator[Item]:
        """The items of every input read so far, again: same order, same ids (stdin from its
        kept copy), for commands that read their input twice instead of holding it. Problems
        were reported by the first pass; an input that failed then stops at the same item."""
        prefixes, self._prefixes = self._prefixes, {}
        try:
            for name, path in list(self._read):
                source = Source(name, path)
                summary = SourceSummary(name, str(path))
                try:
                    for batch in self._batches_of(source, summary):
                        yield from (row for row in batch if type(row) is Item)
                except (InputError, OSError):
                    continue
        finally:
            self._prefixes = prefixes

    def close(self) -> None:
        """Remove stdin's kept copy (see `keep_spooled`)."""
        for path in self._spooled:
            with contextlib.suppress(OSError):
                os.unlink(path)
        self._spooled.clear()

    def _expanded(self) -> Iterator[tuple[str, Path | None]]:
        """Each argument expanded on its own, so one that matches nothing spoils no other."""
        for arg in self.args:
            try:
                yield from expand_inputs([arg])
            except InputError as exc:
                self.errors.append(str(exc))

    def _read_one(self, name: str, path: Path | None) -> Iterator[Item | NoiseLine]:
        spooled = path is None
        real_path = spool_stdin() if spooled else path
        source = Source(name if not spooled else STDIN_NAME, real_path)
        summary = SourceSummary(source.name, str(path) if path else STDIN_NAME)
        self.summaries.append(summary)
        self._read.append((source.name, real_path))
        if spooled and self.keep_spooled:
            self._spooled.append(real_path)  # known to close() even if reading stops here
        try:
            for batch in self._batches_of(source, summary):
                summary.count_rows(batch)
                yield from batch  # delegated in C: a Python loop here cost a step per row
            self.sources_read += 1
        except InputError as exc:
            self._failed(summary, str(exc))
        except OSError as exc:
            self._failed(summary, f"{name}: cannot read ({exc.strerror or exc})")
        finally:
            summary.encoding = source.encoding or None
            self.warnings.extend(source.warnings)
            if spooled and not self.keep_spooled:
                with contextlib.suppress(OSError):
                    os.unlink(real_path)

    def _failed(self, summary: SourceSummary, message: str) -> None:
        self.errors.append(message)
        summary.status, summary.error = "failed", message

    def _batches_of(
        self, source: Source, summary: SourceSummary
    ) -> Iterator[list[Item | NoiseLine]]:
        """The source's rows a list at a time: a parsed window, or one table row."""
        if not source.path.is_file():
            raise InputError(f"{source.name}: not a regular file")
        table = sniff_table(source)
        if table:
            summary.input_kind = f"items table ({table})"
            for row in iter_table_items(source, table):
                yield [row]  # one at a time: a bad row stops the source after the rows before it
            return
        display = Path(source.name).name if source.name != STDIN_NAME else STDIN_NAME
        batches = parse_row_batches(
            iter_line_blocks(source, self.encoding), display, id_prefix=self._unique_prefix(display)
        )
        first = next(batches, None)
        if first is None:
            source.warnings.append(f"{source.name}: empty input, no items")
            return
        yield first
        yield from batches

    def _unique_prefix(self, display: str) -> str:
        """Item ids must be unique in a run even when two inputs share a file name."""
        prefix = item_id_prefix(display)
        count = self._prefixes.get(prefix, 0) + 1
        self._prefixes[prefix] = count
        return prefix if count == 1 else f"{prefix}~{count}"


def read_items(args: Iterable[str], encoding: str | None = None) -> list[Item]:
    """All items of the inputs (convenience for library use); raises on the first bad input."""
    reader = InputReader(list(args), encoding)
    items = list(reader.items())
    if reader.errors:
        raise InputError(reader.errors[0])
    return items
