"""Exception types that carry what a user needs to fix the problem: the path and, if known, line."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Process exit codes, documented in the README."""

    SUCCESS = 0
    INPUT_FAILED = 1
    USAGE = 2
    INTERRUPTED = 130


class BulletinError(Exception):
    """Base class: a problem the user can fix, reported as one line without a traceback."""


class InputError(BulletinError):
    """An input could not be read or understood (missing, binary, undecodable, malformed)."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        location = path if path else ""
        if path and line:
            location = f"{path}:{line}"
        super().__init__(f"{location}: {message}" if location else message)
        self.path = path
        self.line = line


class OutputError(BulletinError):
    """An output could not be written (missing directory, full disk, refusing to overwrite)."""
