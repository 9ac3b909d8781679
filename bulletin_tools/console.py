"""The terminal environment: which streams are terminals, colour, verbosity; messages to stderr.

Commands ask this object instead of `sys` directly, so tests can swap it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console

PROG = "bulletin-tools"


@dataclass
class Environment:
    """Streams and user preferences for one invocation."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    quiet: bool = False
    verbose: bool = False
    no_color: bool = False
    debug: bool = False

    @property
    def stdout_is_tty(self) -> bool:
        return _isatty(self.stdout)

    @property
    def stderr_is_tty(self) -> bool:
        return _isatty(self.stderr)

    @property
    def color(self) -> bool:
        dumb = os.environ.get("TERM") == "dumb"
        return not (self.no_color or "NO_COLOR" in os.environ or dumb)

    def out_console(self) -> Console:
        return Console(file=self.stdout, no_color=not self.color, highlight=False, soft_wrap=False)

    def err_console(self) -> Console:
        return Console(file=self.stderr, no_color=not self.color, highlight=False, stderr=True)

    def error(self, message: str) -> None:
        """One line on stderr: 'bulletin-tools: error: <message>'."""
        self.stderr.write(f"{PROG}: error: {message}\n")
        self.stderr.flush()

    def warn(self, message: str) -> None:
        if not self.quiet:
            self.stderr.write(f"{PROG}: warning: {message}\n")
            self.stderr.flush()

    def info(self, message: str) -> None:
        if not self.quiet:
            self.stderr.write(f"{message}\n")
            self.stderr.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
