"""`bulletin-tools highlight`: items with their extracted mentions marked, to check by eye.

Also holds what `highlight` and `stats` share: reading every table, and writing rich output to
stdout (paged on a terminal, quiet on a closed pipe, one line on a full disk).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Annotated

import typer
from rich.console import Console, RenderableType

from ..errors import ExitStatus, OutputError
from ..models import Item, NoiseLine
from ..pipeline import InputReader
from .base import ENV, EncodingOpt, InputsArg, app, finish, inputs_or_usage, silence_stdout

PROGRESS_EVERY = 500  # items between progress updates


@app.command("highlight")
def highlight_command(
    ctx: typer.Context,
    inputs: InputsArg = None,
    encoding: EncodingOpt = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=0, help="Show only the first N items.")
    ] = None,
    pager: Annotated[
        bool,
        typer.Option("--pager/--no-pager", help="Page long output through $PAGER on a terminal."),
    ] = True,
) -> None:
    """Print items with their dates, places and figures coloured in the text, and their cluster.

    A legend at the top gives each mention table's colour; without colour (a pipe, NO_COLOR,
    --no-color) mentions are marked [[text]]{table}.

    Example: bulletin-tools highlight data/samples/003_063630e89767accd.txt -n 5
    """
    reader, tables = read_tables(inputs_or_usage(inputs, ctx), encoding)
    from ..highlight import highlight_report  # here: the other commands start faster

    parts = highlight_report(tables, color=ENV.stdout_color, limit=limit)
    print_report(parts, page=pager)
    finish(reader)


def read_tables(args: list[str], encoding: str | None) -> tuple[InputReader, dict[str, list]]:
    """Parse every input and build every table, with a spinner on a terminal's stderr."""
    from ..tables import build_tables  # here: the other commands start faster

    started = time.perf_counter()
    reader = InputReader(args, encoding)
    items: list[Item] = []
    noise: list[NoiseLine] = []
    with ENV.status("Reading inputs\u2026") as status:
        for row in reader.rows():
            if isinstance(row, NoiseLine):
                noise.append(row)
                continue
            items.append(row)
            if len(items) % PROGRESS_EVERY == 0:
                status.update(f"Reading inputs\u2026 {len(items):,} items")
        parsed = time.perf_counter()
        status.update(f"Finding duplicates and mentions in {len(items):,} items\u2026")
        tables = build_tables(items, noise, sources=reader.summaries)
    done = time.perf_counter()
    ENV.detail(
        f"{len(items)} items from {reader.sources_read} input(s): parsed in "
        f"{parsed - started:.2f} s, tables in {done - parsed:.2f} s; "
        + ", ".join(f"{name} {len(rows)}" for name, rows in tables.items())
    )
    return reader, tables


def report_console() -> Console:
    """Console on stdout; off a terminal, lines are not wrapped (so they grep and diff well)."""
    console = ENV.out_console()
    console.soft_wrap = not console.is_terminal
    return console


def print_report(parts: Iterable[RenderableType], *, page: bool = False) -> None:
    """Print renderables to stdout: through the pager when asked and on a terminal, else
    streamed. A closed pipe ends quietly (exit 0); a write error is one line (exit 1)."""
    console = report_console()
    try:
        if page and console.is_terminal:
            with console.capture() as captured:
                for part in parts:
                    console.print(part)
            ENV.page(captured.get())
        else:
            for part in parts:
                console.print(part)
            ENV.out.flush()
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(ExitStatus.SUCCESS) from None
    except OSError as exc:
        raise OutputError(f"<stdout>: cannot write ({exc.strerror or exc})") from None
