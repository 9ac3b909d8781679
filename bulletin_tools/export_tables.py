"""Several tables in one go: one file per table in a directory, or one .xlsx / .sqlite file.

A directory is written through a hidden staging directory inside it: every table is finished
there first, then the files are renamed into place one after another with Ctrl-C held off for
those few microseconds. So an interrupted run leaves the directory as it was (the previous
tables, or none), never a truncated file and never new items beside old mentions. A container
file is built under a temporary name and renamed over the target the same way.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import OutputError
from .export import EXTENSIONS, FORMATS, fsync_path, interrupts_held, write_rows
from .export_spec import TableSpec, table_spec

DIRECTORY_FORMATS = (*FORMATS, "parquet")
CONTAINERS = {".xlsx": "xlsx", ".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite"}
STAGE_PREFIX = ".bulletin-tools-"
STAGE_NAME = re.compile(re.escape(STAGE_PREFIX) + r"(\d+)-.*\.tmp")
PROGRESS_EVERY = 500

Rows = Sequence[Mapping[str, Any]]
RowsWritten = Callable[[str, int], None]  # (table name, rows just written)


@dataclass(frozen=True)
class OutputPlan:
    """Where `run` writes: a directory of `fmt` files, or one xlsx/sqlite container."""

    path: Path
    kind: str  # "directory", "xlsx" or "sqlite"
    fmt: str

    def targets(self, names: Iterable[str]) -> list[Path]:
        """The files that writing these tables creates or replaces."""
        if self.kind != "directory":
            return [self.path]
        return [self.path / f"{name}.{self.fmt}" for name in names]


@dataclass
class ExportOptions:
    safe: bool = False  # neutralise formula-like cells in csv/tsv/json
    excel: bool = False  # CSV/TSV for Excel: BOM, CRLF, neutralised formulas
    force: bool = False  # replace existing outputs


@dataclass
class ExportReport:
    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def plan_output(output: str, fmt: str | None) -> OutputPlan:
    """Decide directory or container from `-o` and `--format`; ValueError explains a bad pair."""
    if output == "-":
        raise ValueError("run writes several tables: give a directory or a .xlsx/.sqlite file")
    path = Path(output)
    container = None if path.is_dir() else CONTAINERS.get(path.suffix.lower())
    if container:
        if fmt and fmt != container:
            raise ValueError(
                f"the {path.suffix} extension already picks {container}; drop --format"
            )
        return OutputPlan(path, container, container)
    fmt = fmt or "csv"
    if fmt in ("xlsx", "sqlite"):
        raise ValueError(f"{fmt} is one file: give -o FILE.{fmt} instead of a directory")
    if fmt not in DIRECTORY_FORMATS:
        raise ValueError(f"{fmt!r} is not one of {', '.join(DIRECTORY_FORMATS)}, xlsx, sqlite")
    if not path.is_dir() and (path.exists() or path.suffix.lower() in EXTENSIONS):
        raise ValueError(
            f"{output}: run writes several tables; give a directory (-o tables/) "
            "or a .xlsx, .sqlite or .db file"
        )
    return OutputPlan(path, "directory", fmt)


def check_overwrite(plan: OutputPlan, names: Iterable[str], force: bool) -> None:
    """Refuse, before any work, to replace existing outputs unless `force`."""
    existing = [path for path in plan.targets(names) if path.exists()]
    if existing and not force:
        shown = ", ".join(str(path) for path in existing[:3])
        more = f" and {len(existing) - 3} more" if len(existing) > 3 else ""
        raise OutputError(f"{shown}{more}: already exists (use --force to replace)")
    directories = [path for path in existing if path.is_dir()]
    if directories:
        raise OutputError(f"{directories[0]}: is a directory, cannot replace it with a table")


def write_tables(
    tables: Mapping[str, Rows],
    plan: OutputPlan,
    options: ExportOptions | None = None,
    on_rows: RowsWritten | None = None,
) -> ExportReport:
    """Write every table as `plan` says; returns the files written and row counts."""
    options = options or ExportOptions()
    specs = [(table_spec(name, rows), rows) for name, rows in tables.items()]
    check_overwrite(plan, tables, options.force)
    report = ExportReport()
    try:
        if plan.kind == "directory":
            _write_directory(specs, plan, options, report, on_rows)
        else:
            _write_container(specs, plan, options, report, on_rows)
    except OSError as exc:
        raise OutputError(f"{plan.path}: cannot write ({exc.strerror or exc})") from None
    return report


def _write_container(specs, plan: OutputPlan, options, report, on_rows) -> None:
    if plan.kind == "xlsx":
        from .export_xlsx import write_xlsx

        counts = write_xlsx(specs, plan.path, force=options.force, warnings=report.warnings)
    else:
        from .export_sqlite import write_sqlite

        counted = [(spec, _counting(spec.name, rows, on_rows)) for spec, rows in specs]
        counts = write_sqlite(counted, plan.path, force=options.force)
    for (spec, _), count in zip(specs, counts, strict=True):
        report.counts[spec.name] = count
        if on_rows and plan.kind == "xlsx":
            on_rows(spec.name, count)
    report.files.append(plan.path)


def _write_directory(specs, plan: OutputPlan, options, report, on_rows) -> None:
    _make_directory(plan.path)
    _remove_abandoned_stages(plan.path)
    stage: Path | None = None
    try:
        while True:  # name recorded before the directory exists: a Ctrl-C cannot orphan it
            stage = plan.path / f"{STAGE_PREFIX}{os.getpid()}-{secrets.token_hex(6)}.tmp"
            try:
                stage.mkdir()
                break
            except FileExistsError:
                continue
        for spec, rows in specs:
            name = f"{spec.name}.{plan.fmt}"
            rows_iter = _counting(spec.name, rows, on_rows)
            report.counts[spec.name] = _write_one(spec, rows_iter, stage / name, plan.fmt, options)
        finished = sorted(stage.iterdir())
        check_overwrite(plan, [spec.name for spec, _ in specs], options.force)
        _publish(finished, plan.path)
        report.files.extend(plan.path / path.name for path in finished)
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)


def _publish(finished: list[Path], directory: Path) -> None:
    """Rename every finished table into place; a Ctrl-C meanwhile is raised after the last one.

    Once all tables are complete, finishing the few renames is what leaves a consistent set.
    """
    interrupted: KeyboardInterrupt | None = None
    with interrupts_held():
        for path in finished:
            while path.exists():
                try:
                    os.replace(path, directory / path.name)
                except KeyboardInterrupt as exc:  # raised by Python before the block took effect
                    interrupted = exc
    _fsync_directory(directory)
    if interrupted is not None:
        raise interrupted


def _write_one(spec: TableSpec, rows, path: Path, fmt: str, options: ExportOptions) -> int:
    if fmt == "parquet":
        from .export_parquet import write_parquet

        return write_parquet(spec, rows, path)
    with path.open("w", encoding="utf-8", newline="") as out:
        count = write_rows(
            rows, list(spec.columns), fmt, out, safe=options.safe, excel=options.excel
        )
    fsync_path(path)
    return count


def _counting(name: str, rows: Iterable[Mapping[str, Any]], on_rows) -> Iterator[Any]:
    """Pass rows through, telling `on_rows` every few hundred (for a progress bar)."""
    pending = 0
    for row in rows:
        yield row
        pending += 1
        if on_rows and pending == PROGRESS_EVERY:
            on_rows(name, pending)
            pending = 0
    if on_rows and pending:
        on_rows(name, pending)


def _make_directory(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path}: cannot create directory ({exc.strerror or exc})") from None


def _remove_abandoned_stages(directory: Path) -> None:
    """Staging directories left by a killed run (SIGKILL, power cut) whose process is gone."""
    for entry in directory.iterdir():
        match = STAGE_NAME.fullmatch(entry.name)
        if match and entry.is_dir() and not _process_alive(int(match.group(1))):
            shutil.rmtree(entry, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists but belongs to someone else
    return True


def _fsync_directory(path: Path) -> None:
    """Make the renames durable (POSIX); a no-op where directories cannot be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
