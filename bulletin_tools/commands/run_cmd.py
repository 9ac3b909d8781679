"""`bulletin-tools run`: parse, dedupe and extract in one go, every table into a directory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..export import write_table
from ..models import Item, NoiseLine
from ..pipeline import InputReader
from ..schema import columns
from ..tables import build_tables
from .base import (
    ENV,
    EncodingOpt,
    InputsArg,
    SafeOpt,
    app,
    check_format,
    finish,
    inputs_or_usage,
    make_directory,
)


@app.command("run")
def run_command(
    ctx: typer.Context,
    inputs: InputsArg = None,
    output: Annotated[
        str, typer.Option("--output", "-o", help="Directory for the tables (created if missing).")
    ] = "bulletin_tables",
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, tsv, json or jsonl.")] = "csv",
    encoding: EncodingOpt = None,
    safe: SafeOpt = False,
) -> None:
    """Parse, dedupe and extract in one go; write every table into a directory.

    Example: bulletin-tools run data/samples/ -o tables/ --format jsonl
    """
    check_format(fmt)
    reader = InputReader(inputs_or_usage(inputs, ctx), encoding)
    noise: list[NoiseLine] = []
    items = [row for row in reader.rows() if _keep_item(row, noise)]
    out_dir = Path(output)
    make_directory(out_dir)
    written = []
    for name, rows in build_tables(items, noise).items():
        path = out_dir / f"{name}.{fmt}"
        count = write_table(rows, columns(name), fmt, path, safe=safe)
        written.append(f"{name}: {count} rows -> {path}")
    ENV.info(f"{len(items)} items from {reader.sources_read} input(s); wrote {out_dir}/")
    for line in written:
        ENV.info("  " + line)
    finish(reader)


def _keep_item(row: Item | NoiseLine, noise: list[NoiseLine]) -> bool:
    if isinstance(row, NoiseLine):
        noise.append(row)
        return False
    return True
