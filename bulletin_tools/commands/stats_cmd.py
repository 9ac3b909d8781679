"""`bulletin-tools stats`: a one-screen summary of every table, as rich tables (or JSON)."""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated

import typer

from .base import EncodingOpt, InputsArg, app, finish, inputs_or_usage
from .highlight_cmd import print_report, read_tables


@app.command("stats")
def stats_command(
    ctx: typer.Context,
    inputs: InputsArg = None,
    encoding: EncodingOpt = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Rows in each ranking.")] = 5,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as one JSON object instead.")
    ] = False,
) -> None:
    """Summarise: items per source and their date range, duplicate clusters, most-mentioned
    places and countries, largest figures, undated items.

    Example: bulletin-tools stats data/samples/
    """
    reader, tables = read_tables(inputs_or_usage(inputs, ctx), encoding)
    from ..stats import render_summary, summarise  # here: the other commands start faster

    summary = summarise(tables, top=top)
    if as_json:
        text = json.dumps(dataclasses.asdict(summary), ensure_ascii=False, indent=2)
        print_report([text])
    else:
        print_report([render_summary(summary)])
    finish(reader)
