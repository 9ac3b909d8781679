"""The `bulletin-tools` command line: options -> core call -> output; errors -> exit codes.

The core never prints or exits; this module turns its results into tables on stdout or files and
its exceptions into one-line messages.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__
from .console import Environment
from .errors import BulletinError, ExitStatus, OutputError
from .export import FORMATS, format_for_path, write_table
from .models import Item, NoiseLine
from .pipeline import InputReader
from .schema import TABLES, columns
from .terminal import render_table

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


def _inputs_or_usage(inputs: list[str] | None, ctx: typer.Context) -> list[str]:
    """With no input: read stdin when it is piped, else show usage instead of hanging."""
    if inputs:
        return inputs
    if sys.stdin is not None and not sys.stdin.isatty():
        return ["-"]
    typer.echo(ctx.get_help(), err=True)
    raise typer.Exit(ExitStatus.USAGE)


def _choose_format(fmt: str | None, output: str | None) -> str | None:
    """Explicit --format, else the output file's extension, else a rich table on a terminal."""
    if fmt:
        if fmt not in FORMATS:
            raise typer.BadParameter(
                f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="--format"
            )
        return fmt
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
        _silence_stdout()
        raise typer.Exit(ExitStatus.SUCCESS) from None


def finish(reader: InputReader) -> None:
    """Report warnings and per-input errors; exit 1 if any input failed."""
    for warning in reader.warnings:
        ENV.warn(warning)
    for error in reader.errors:
        ENV.error(error)
    if reader.errors:
        raise typer.Exit(ExitStatus.INPUT_FAILED)


def _item_rows(rows: Iterable[Item | NoiseLine], noise: list[NoiseLine] | None) -> Iterator[dict]:
    for row in rows:
        if isinstance(row, Item):
            yield row.to_row()
        elif noise is not None:
            noise.append(row)


# --- commands ----------------------------------------------------------------------------------


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
    reader = InputReader(_inputs_or_usage(inputs, ctx), encoding)
    noise: list[NoiseLine] | None = [] if noise_file else None
    emit(_item_rows(reader.rows(), noise), "items", fmt, output, safe=safe)
    if noise_file is not None and noise is not None:
        rows = (line.to_row() for line in noise)
        write_table(rows, columns("noise"), format_for_path(noise_file), noise_file)
    finish(reader)


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
    if fmt not in FORMATS:
        raise typer.BadParameter(
            f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="--format"
        )
    reader = InputReader(_inputs_or_usage(inputs, ctx), encoding)
    noise: list[NoiseLine] = []
    items = [row for row in reader.rows() if _keep_item(row, noise)]
    tables = build_tables(items, noise)
    out_dir = Path(output)
    _make_directory(out_dir)
    written = []
    for name, rows in tables.items():
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


def build_tables(items: list[Item], noise: list[NoiseLine]) -> dict[str, Iterable[dict]]:
    """Every table `run` writes, in order; later stages add clusters and mentions."""
    return {
        "items": [item.to_row() for item in items],
        "noise": [line.to_row() for line in noise],
    }


def _make_directory(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path}: cannot create directory ({exc.strerror or exc})") from None


@app.command("schema")
def schema_command(
    table: Annotated[str | None, typer.Argument(help=f"One of: {', '.join(TABLES)}.")] = None,
) -> None:
    """Print the columns of every table (or one), with types and meanings.

    Example: bulletin-tools schema items
    """
    if table is not None and table not in TABLES:
        raise typer.BadParameter(f"unknown table {table!r}; choose from {', '.join(TABLES)}")
    for name in [table] if table else list(TABLES):
        typer.echo(f"{name}:")
        for column, kind, meaning in TABLES[name]:
            typer.echo(f"  {column:<18} {kind:<8} {meaning}")


# --- entry point -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: one-line errors, quiet broken pipes, 130 on Ctrl-C.

    typer reports usage errors (exit 2) and turns Ctrl-C into exit 130 itself; what reaches
    here is a user error from the core (exit 1) or an internal error.
    """
    try:
        app(args=argv, prog_name="bulletin-tools")
    except BulletinError as exc:
        ENV.error(str(exc))
        sys.exit(ExitStatus.INPUT_FAILED)
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(ExitStatus.SUCCESS)
    except KeyboardInterrupt:
        sys.exit(ExitStatus.INTERRUPTED)
    except Exception as exc:  # noqa: BLE001 - last resort: one line unless --debug
        if ENV.debug:
            raise
        ENV.error(f"internal error: {exc!r} (run with --debug for the traceback)")
        sys.exit(ExitStatus.INPUT_FAILED)


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at devnull so interpreter shutdown stays quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
