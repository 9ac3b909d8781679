"""What `run` shows on stderr: a progress bar while it works (terminal only) and a summary.

The core reports progress through plain callbacks; only this module knows about rich.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from ..console import Environment
from ..export_spec import table_spec
from ..export_tables import ExportReport, OutputPlan

T = TypeVar("T")
READ_EVERY = 200  # rows between progress updates while reading


class RunProgress:
    """Three stages on one bar: reading inputs, building tables, writing rows."""

    def __init__(self, progress: Progress | None):
        self.progress = progress
        self.task: TaskID | None = None

    def reading(self, rows: Iterable[T]) -> Iterator[T]:
        """Pass rows through, counting them on the bar (total unknown: a pulsing bar)."""
        if self.progress is None:
            yield from rows
            return
        self.task = self.progress.add_task("reading inputs", total=None)
        pending = 0
        for row in rows:
            yield row
            pending += 1
            if pending == READ_EVERY:
                self.progress.advance(self.task, pending)
                pending = 0
        self.progress.advance(self.task, pending)

    def building(self) -> None:
        self._restart("finding duplicates and mentions", None)

    def writing(self, total_rows: int) -> None:
        self._restart("writing tables", total_rows)

    def rows_written(self, table: str, count: int) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, advance=count, description=f"writing {table}")

    def _restart(self, description: str, total: int | None) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.reset(self.task, total=total, description=description)


@contextlib.contextmanager
def run_progress(env: Environment) -> Iterator[RunProgress]:
    """A transient bar on stderr when it is a terminal (and not -q); otherwise nothing."""
    if not env.show_progress:
        yield RunProgress(None)
        return
    columns = (
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=env.err_console(), transient=True) as progress:
        yield RunProgress(progress)


def summary_lines(
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    report: ExportReport,
    plan: OutputPlan,
    sources: int,
) -> list[str]:
    """One screen: items, duplicate clusters, rows or mentions per table, where files went."""
    items = len(tables.get("items", ()))
    lines = [f"{items} items from {sources} input(s){_cluster_note(tables)}"]
    width = max((len(name) for name in report.counts), default=0)
    for name, count in report.counts.items():
        unit = "mentions" if _is_mention_table(name, tables[name]) else "rows"
        where = f"  {_file_for(plan, name, report.files)}" if plan.kind == "directory" else ""
        lines.append(f"  {name:<{width}} {count:>8} {unit:<8}{where}".rstrip())
    target = f"{plan.path}{'/' if plan.kind == 'directory' else ''}"
    lines.append(f"Wrote {len(report.files)} file(s) to {target}")
    return lines


def _cluster_note(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> str:
    rows = tables.get("clusters") or tables.get("items") or ()
    ids = {row.get("cluster_id") for row in rows if row.get("cluster_id") is not None}
    if not ids:
        return ""
    duplicates = sum(1 for row in rows if row.get("cluster_id") is not None) - len(ids)
    return f", {len(ids)} clusters ({duplicates} duplicates)"


def _is_mention_table(name: str, rows: Sequence[Mapping[str, Any]]) -> bool:
    return {"item_id", "field", "start", "end"} <= set(table_spec(name, rows).columns)


def _file_for(plan: OutputPlan, name: str, files: list[Path]) -> str:
    expected = plan.path / f"{name}.{plan.fmt}"
    return str(expected) if expected in files else ""
