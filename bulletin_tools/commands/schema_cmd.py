"""`bulletin-tools schema`: the columns of every table, with types and meanings."""

from __future__ import annotations

from typing import Annotated

import typer

from ..schema import TABLES
from .base import app


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
