"""`bulletin-tools parse`: raw dumps -> the items table (and, on request, the noise table)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..export import format_for_path, write_table
from ..models import NoiseLine
from ..pipeline import InputReader
from ..schema import columns
from .base import (
    EncodingOpt,
    FormatOpt,
    InputsArg,
    OutputOpt,
    SafeOpt,
    app,
    emit,
    finish,
    inputs_or_usage,
    item_rows,
)


@app.command("parse")
def parse_command(
    ctx: typer.Context,
    inputs: InputsArg = None,
    output: OutputOpt = None,
    fmt: FormatOpt = None,
    encoding: EncodingOpt = None,
    noise_file: Annotated[
        str | None,
        typer.Option("--noise", help="Also write the noise table (dropped lines, why) to FILE."),
    ] = None,
    safe: SafeOpt = False,
) -> None:
    """Split raw dumps into items: date, title, body, source and line span.

    Example: bulletin-tools parse data/samples/ --format jsonl > items.jsonl
    """
    reader = InputReader(inputs_or_usage(inputs, ctx), encoding)
    noise: list[NoiseLine] | None = [] if noise_file else None
    emit(item_rows(reader.rows(), noise), "items", fmt, output, safe=safe)
    if noise_file is not None and noise is not None:
        rows = (line.to_row() for line in noise)
        write_table(rows, columns("noise"), format_for_path(noise_file), noise_file)
    finish(reader)
