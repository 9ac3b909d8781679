"""`bulletin-tools extract KIND`: mention tables (dates now; places and figures plug in here)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from ..pipeline import InputReader
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
)

extract_app = typer.Typer(
    help="Find mentions in items' titles and bodies (dates; places and figures to come).\n\n"
    "Example: bulletin-tools extract dates data/samples/ --format csv",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
)
app.add_typer(extract_app, name="extract")

DayfirstOpt = Annotated[
    bool,
    typer.Option(
        "--dayfirst/--monthfirst",
        help="Read ambiguous numeric dates (03/04/2019) day first (default) or month first.",
    ),
]


RelativeOpt = Annotated[
    bool,
    typer.Option(
        "--relative/--no-relative",
        help="Keep relative dates (today, last month) or only dates on the calendar.",
    ),
]


def _anchor(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


@extract_app.command("dates")
def dates_command(
    ctx: typer.Context,
    inputs: InputsArg = None,
    output: OutputOpt = None,
    fmt: FormatOpt = None,
    encoding: EncodingOpt = None,
    dayfirst: DayfirstOpt = True,
    anchor: Annotated[
        str | None,
        typer.Option(help="Reference date (YYYY-MM-DD) for items with no date of their own."),
    ] = None,
    timeml: Annotated[
        bool,
        typer.Option("--timeml", help="TimeML conventions: one row per endpoint, TIMEX3 values."),
    ] = False,
    relative: RelativeOpt = True,
    safe: SafeOpt = False,
) -> None:
    """Find every date expression and resolve it to a calendar interval.

    Example: bulletin-tools extract dates data/samples/ --format jsonl > dates.jsonl
    """
    from ..extract.dates import extract_dates, timeml_mentions  # here: other commands start faster

    reader = InputReader(inputs_or_usage(inputs, ctx), encoding)
    default = _anchor(anchor)
    if timeml:
        rows = timeml_mentions(reader.items(), dayfirst=dayfirst, default_anchor=default)
        emit(rows, "timeml", fmt, output, safe=safe)
    else:
        mentions = extract_dates(
            reader.items(), dayfirst=dayfirst, default_anchor=default, relative=relative
        )
        emit((m.to_row() for m in mentions), "dates", fmt, output, safe=safe)
    finish(reader)
