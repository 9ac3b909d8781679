"""Run a benchmark's measurement in a fresh child process, so its peak RSS is its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def measure_in_child(script: str, *args: str | Path) -> dict:
    """Run `python SCRIPT --child ARGS...`; the child prints one JSON object, returned here."""
    out = subprocess.run(
        [sys.executable, script, "--child", *map(str, args)],
        capture_output=True,
        check=True,
        text=True,
    )
    return json.loads(out.stdout)
