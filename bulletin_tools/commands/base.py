"""What every command shares: the typer app, global options, input and output helpers.

Each command lives in its own module beside this one and registers itself on `app`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Annotated, Any

import typer

from .. import __version__
from ..console import Environment
from ..errors import ExitStatus
from ..export import FORMATS, format_for_path, write_table
from ..models import Item, NoiseLine
from ..pipeline import InputReader
from ..schema import columns
from ..terminal import render_table

HELP_EXAMPLE = "Example: bulletin-tools run data/samples/ -o tables/"
app = typer.Typer(
    name="bulletin-tools",
    help=f"Turn raw news-bulletin dumps into clean tables.\n\n{HELP_EXAMPLE}",
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
)
ENV = Environment()

InputsArg = Annotated[
    list[str] | None,
    typer.Argument(help="Dump files, directories (*.txt, recursively), globs, or - for stdin."),
]
OutputOpt = Annotated[
    str | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout (- = stdout).")
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format", "-f", help="csv, tsv, json or jsonl (default: table on a terminal, else CSV)."
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option("--encoding", help="Decode inputs with this codec instead of detecting."),
]
SafeOpt = Annotated[
    bool, typer.Option("--safe", help="Neutralise cells that a spreadsheet would run as formulas.")
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bulletin-tools {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="More messages on stderr.")
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour (also NO_COLOR).")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Turn raw news-bulletin dumps into clean tables."""
    ENV.quiet, ENV.verbose, ENV.no_color, ENV.debug = quiet, verbose, no_color, debug


# --- shared helpers ----------------------------------------------------------------------------


def inputs_or_usage(inputs: list[str] | None, ctx: typer.Context) -> list[str]:
    """With no input: read stdin when it is piped, else show usage instead of hanging."""
    if inputs:
        return inputs
    if sys.stdin is not None and not sys.stdin.isatty():
        return ["-"]
    # Usage on stderr (typer's rich help would print to stdout, where data goes).
    hint = f"Try '{ctx.command_path} -h' for help."
    typer.echo(f"{ctx.get_usage()}\n{hint}", err=True)
    ENV.error("no input: give files, directories or globs, or pipe data in (- is stdin)")
    raise typer.Exit(ExitStatus.USAGE)


def _choose_format(fmt: str | None, output: str | None) -> str | None:
    """Explicit --format, else the output file's extension, else a rich table on a terminal."""
    if fmt:
        return check_format(fmt)
    if output and output != "-":
        return format_for_path(output)
    return None if ENV.stdout_is_tty else "csv"


def emit(
    rows: Iterable[Mapping[str, Any]],
    table: str,
    fmt: str | None,
    output: str | None,
    *,
    safe: bool = False,
) -> int:
    """Write a table to stdout or a file; a rich table when stdout is a terminal."""
    chosen = _choose_format(fmt, output)
    try:
        if chosen is None:
            return render_table(ENV.out_console(), table, list(rows), columns(table))
        return write_table(rows, columns(table), chosen, output, safe=safe)
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(ExitStatus.SUCCESS) from None


def finish(reader: InputReader) -> None:
    """Report warnings and per-input errors; exit 1 if any input failed."""
    for warning in reader.warnings:
        ENV.warn(warning)
    for error in reader.errors:
        ENV.error(error)
    if reader.errors:
        raise typer.Exit(ExitStatus.INPUT_FAILED)


def item_rows(rows: Iterable[Item | NoiseLine], noise: list[NoiseLine] | None) -> Iterator[dict]:
    for row in rows:
        if isinstance(row, Item):
            yield row.to_row()
        elif noise is not None:
            noise.append(row)


def silence_stdout() -> None:
    """After a closed pipe, point stdout at devnull so interpreter shutdown stays quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise typer.BadParameter(
            f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="--format"
        )
    return fmt
