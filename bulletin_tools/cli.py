"""The `bulletin-tools` command line: options -> core call -> output; errors -> exit codes.

The core never prints or exits; the command modules in `commands/` turn its results into tables
and this entry point turns its exceptions into one-line messages and exit codes.
"""

from __future__ import annotations

import sys

from .commands import (  # noqa: F401 - they register themselves
    dedupe_cmd,
    extract_cmd,
    highlight_cmd,
    parse_cmd,
    run_cmd,
    schema_cmd,
    stats_cmd,
)
from .commands.base import ENV, app, silence_stdout
from .errors import BulletinError, ExitStatus
from .runtime import quiet_after_interrupt, use_batch_gc

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: one-line errors, quiet broken pipes, 130 on Ctrl-C.

    typer reports usage errors (exit 2) and turns Ctrl-C into exit 130 itself; what reaches
    here is a user error from the core (exit 1) or an internal error.
    """
    use_batch_gc()
    quiet_after_interrupt()
    try:
        try:
            app(args=argv, prog_name="bulletin-tools")
        except SystemExit:
            try:  # flush inside the handlers, so a full disk is reported, not ignored at exit
                sys.stdout.flush()
            except BrokenPipeError:
                silence_stdout()  # the reader left: keep the command's own exit code
            raise
    except BulletinError as exc:
        ENV.error(str(exc))
        sys.exit(ExitStatus.INPUT_FAILED)
    except BrokenPipeError:
        silence_stdout()
        sys.exit(ExitStatus.SUCCESS)
    except KeyboardInterrupt:
        sys.exit(ExitStatus.INTERRUPTED)
    except OSError as exc:  # stdout could not be written (e.g. `> /dev/full`)
        if ENV.debug:
            raise
        where = exc.filename or "<stdout>"
        ENV.error(f"{where}: cannot write ({exc.strerror or exc})")
        silence_stdout()
        sys.exit(ExitStatus.INPUT_FAILED)
    except Exception as exc:  # noqa: BLE001 - last resort: one line unless --debug
        if ENV.debug:
            raise
        ENV.error(f"internal error: {exc!r} (run with --debug for the traceback)")
        sys.exit(ExitStatus.INPUT_FAILED)
