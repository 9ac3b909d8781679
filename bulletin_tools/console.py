"""The terminal environment: which streams are terminals, colour, verbosity; messages to stderr.

Commands ask this object instead of `sys` directly, so tests can swap it. Colour and progress
appear only on a terminal, never with `--no-color`, `NO_COLOR` or `TERM=dumb`; long terminal
output goes through `$PAGER` (default `less`, with `LESS=FRX` unless `LESS` is set).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from rich.console import Console

PROG = "bulletin-tools"
DEFAULT_PAGER = "less"
DEFAULT_LESS = "FRX"  # quit if one screen, keep colours, leave the text on screen


@dataclass
class Environment:
    """Streams and user preferences for one invocation."""

    stdout: TextIO | None = None  # None: whatever sys.stdout is when used (CliRunner swaps it)
    stderr: TextIO | None = None
    quiet: bool = False
    verbose: bool = False
    no_color: bool = False
    debug: bool = False

    @property
    def out(self) -> TextIO:
        """The stream data goes to."""
        return self.stdout if self.stdout is not None else sys.stdout

    @property
    def err(self) -> TextIO:
        """The stream messages and progress go to."""
        return self.stderr if self.stderr is not None else sys.stderr

    @property
    def stdout_is_tty(self) -> bool:
        return _isatty(self.out)

    @property
    def stderr_is_tty(self) -> bool:
        return _isatty(self.err)

    @property
    def color(self) -> bool:
        dumb = os.environ.get("TERM") == "dumb"
        return not (self.no_color or "NO_COLOR" in os.environ or dumb)

    @property
    def stdout_color(self) -> bool:
        """Will colour actually reach stdout (a terminal, and colour not turned off)?"""
        return self.color and self.stdout_is_tty

    @property
    def show_progress(self) -> bool:
        """Progress spinners: only on a terminal stderr, and not with -q."""
        return self.stderr_is_tty and not self.quiet and os.environ.get("TERM") != "dumb"

    def out_console(self) -> Console:
        return PipeConsole(file=self.out, no_color=not self.color, highlight=False, soft_wrap=False)

    def err_console(self) -> Console:
        return PipeConsole(file=self.err, no_color=not self.color, highlight=False, stderr=True)

    def error(self, message: str) -> None:
        """One line on stderr: 'bulletin-tools: error: <message>'."""
        self.err.write(f"{PROG}: error: {message}\n")
        self.err.flush()

    def warn(self, message: str) -> None:
        if not self.quiet:
            self.err.write(f"{PROG}: warning: {message}\n")
            self.err.flush()

    def info(self, message: str) -> None:
        if not self.quiet:
            self.err.write(f"{message}\n")
            self.err.flush()

    def detail(self, message: str) -> None:
        """A message for -v/--verbose only (timings, counts)."""
        if self.verbose and not self.quiet:
            self.info(message)

    @contextlib.contextmanager
    def status(self, message: str) -> Iterator[Any]:
        """A transient spinner on stderr while a slow step runs; a no-op off a terminal.

        Yields an object with `update(message)`.
        """
        if not self.show_progress:
            yield _NoStatus()
            return
        with self.err_console().status(message) as status:
            yield status

    def page(self, text: str, lines: int | None = None) -> None:
        """Write terminal text (maybe with ANSI colours) to stdout, through `$PAGER` when it is
        longer than the screen and stdout is a terminal. The pager's exit is not an error."""
        height = shutil.get_terminal_size().lines
        command = self.pager_command()
        if not self.stdout_is_tty or command is None or (lines or text.count("\n")) < height:
            self.out.write(text)
            self.out.flush()
            return
        env = dict(os.environ)
        env.setdefault("LESS", DEFAULT_LESS)
        self.out.flush()
        proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)  # noqa: S602
        try:
            assert proc.stdin is not None
            with contextlib.suppress(BrokenPipeError):  # the reader quit early: fine
                proc.stdin.write(text.encode(_encoding(self.out), errors="replace"))
                proc.stdin.close()
        finally:
            while True:  # Ctrl-C belongs to the pager while it runs
                try:
                    proc.wait()
                    break
                except KeyboardInterrupt:
                    continue

    def pager_command(self) -> str | None:
        """`$PAGER` (or less); None when it is empty, `cat`, or not installed."""
        command = os.environ.get("PAGER", DEFAULT_PAGER).strip()
        try:
            program = shlex.split(command)[0] if command else ""
        except ValueError:
            return None
        if not program or os.path.basename(program) == "cat" or not shutil.which(program):
            return None
        return command


class PipeConsole(Console):
    """A rich Console that lets a closed pipe raise BrokenPipeError (rich itself exits with 1),
    so the command can end quietly with exit code 0 like every other write."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


class _NoStatus:
    def update(self, *args: Any, **kwargs: Any) -> None:
        pass


def _encoding(stream: TextIO) -> str:
    return getattr(stream, "encoding", None) or "utf-8"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
