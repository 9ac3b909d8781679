"""`bulletin-tools run`: parse, dedupe and extract in one go; every table into a directory or file.

Options -> the core (`build_tables`, `write_tables`) -> a summary on stderr. Output policy
(directory vs container, refusing to overwrite without --force) lives in `export_tables`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..export_tables import ExportOptions, OutputPlan, check_overwrite, plan_output, write_tables
from ..models import Item, NoiseLine
from ..pipeline import InputReader
from ..schema import TABLES
from .base import ENV, EncodingOpt, InputsArg, SafeOpt, app, finish, inputs_or_usage
from .extract_cmd import RelativeOpt
from .run_progress import run_progress, summary_lines

DEFAULT_OUTPUT = "bulletin_tables"
TEXT_FORMATS = ("csv", "tsv")

RunOutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="A directory (one file per table, created if missing) or a .xlsx, .sqlite or .db "
        f"file. Default: ./{DEFAULT_OUTPUT}/",
    ),
]
RunFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="For a directory: csv (default), tsv, json, jsonl or parquet. "
        "A .xlsx/.sqlite/.db output picks its own format.",
    ),
]
ExcelOpt = Annotated[
    bool,
    typer.Option(
        "--excel", help="CSV/TSV for Excel: UTF-8 BOM, CRLF line ends, formulas neutralised."
    ),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace existing table files (refused without it).")
]


@app.command("run")
def run_command(
    ctx: typer.Context,
    inputs: InputsArg = None,
    output: RunOutputOpt = None,
    fmt: RunFormatOpt = None,
    encoding: EncodingOpt = None,
    safe: SafeOpt = False,
    excel: ExcelOpt = False,
    force: ForceOpt = False,
    relative: RelativeOpt = True,
) -> None:
    """Parse, dedupe and extract in one go; write every table (items, clusters, dates, ...).

    Example: bulletin-tools run data/samples/ -o tables/ --format jsonl

    Also: bulletin-tools run dumps/ -o bulletins.xlsx   |   bulletin-tools run dumps/ -o b.sqlite
    """
    from ..extract import ExtractOptions
    from ..tables import PipelineOptions, build_tables  # here: the other commands start faster

    plan = _plan(output, fmt, excel)
    check_overwrite(plan, TABLES, force)  # before any work: fail in a second, not after minutes
    reader = InputReader(inputs_or_usage(inputs, ctx), encoding)
    noise: list[NoiseLine] = []
    with run_progress(ENV) as progress:
        items = [row for row in progress.reading(reader.rows()) if _keep_item(row, noise)]
        progress.building()
        pipeline = PipelineOptions(extract_options=ExtractOptions(relative_dates=relative))
        tables = build_tables(items, noise, pipeline, sources=reader.summaries)
        progress.writing(sum(len(rows) for rows in tables.values()))
        options = ExportOptions(safe=safe, excel=excel, force=force)
        report = write_tables(tables, plan, options, on_rows=progress.rows_written)
    for warning in report.warnings:
        ENV.warn(warning)
    for line in summary_lines(tables, report, plan, reader.sources_read):
        ENV.info(line)
    finish(reader)


def _plan(output: str | None, fmt: str | None, excel: bool) -> OutputPlan:
    """Turn -o/--format/--excel into an output plan; a bad combination is a usage error."""
    try:
        plan = plan_output(output or DEFAULT_OUTPUT, fmt)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--output' / '--format'") from None
    if excel and plan.fmt not in (*TEXT_FORMATS, "xlsx"):
        raise typer.BadParameter(f"applies to csv and tsv, not {plan.fmt}", param_hint="--excel")
    return plan


def _keep_item(row: Item | NoiseLine, noise: list[NoiseLine]) -> bool:
    if isinstance(row, NoiseLine):
        noise.append(row)
        return False
    return True
