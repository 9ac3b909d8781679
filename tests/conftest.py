"""Shared fixtures: the sample dumps and a helper to run the real command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture
def samples() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt"))


def run_cli(*args: str, input_bytes: bytes | None = None, cwd: Path | None = None, timeout=120):
    """Run `python -m bulletin_tools ARGS` as a real process (pipes, exit codes, signals)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "bulletin_tools", *args],
        input=input_bytes,
        capture_output=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=timeout,
    )


def bare(text: str) -> str:
    """A line as an item's title reads it: without heading marks or a title's bullet."""
    from bulletin_tools.lines import strip_bullet, strip_title_marks

    return strip_title_marks(strip_bullet(text))


def accounted_lines(rows) -> list[str]:
    """Every text a parse put somewhere: titles, date lines, body lines and noise lines."""
    from bulletin_tools.lines import date_line_is_title_line
    from bulletin_tools.models import NoiseLine

    texts: list[str] = []
    for row in rows:
        if isinstance(row, NoiseLine):
            texts.append(row.text)
            continue
        if not date_line_is_title_line(row.title, row.date_line):
            texts.append(row.title)
        if row.date_line:  # when the title line printed the date, the date line holds the title
            texts.append(row.date_line)
        texts.extend(line for line in row.body.split("\n") if line)
    return texts
