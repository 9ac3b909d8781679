"""What a person sees in a terminal: tables rendered with rich (never used for piped output)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

PREVIEW_CHARS = 120


def render_table(
    console: Console, title: str, rows: list[Mapping[str, Any]], cols: list[str]
) -> int:
    """Print rows as a rich table; long cells are shortened for reading, not for data."""
    table = Table(title=f"{title} ({len(rows)} rows)", show_lines=False, expand=False)
    shown = [c for c in cols if any(row.get(c) not in (None, "") for row in rows)] or cols
    for col in shown:
        table.add_column(
            col, overflow="fold", max_width=60 if col in ("title", "body", "text") else None
        )
    for row in rows:
        table.add_row(*(_cell(row.get(col)) for col in shown))
    console.print(table)
    return len(rows)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).replace("\n", " ")
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "\u2026"
