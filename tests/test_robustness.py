"""Predictable for scripts, robust under hostile input.

Real processes check exit codes (0/1/2/130), Ctrl-C, a full disk, closed pipes, unreadable,
binary and missing inputs, `--debug`, colour on a pseudo-terminal and the pager. Hypothesis
checks parse and every extractor on any Unicode text; timed runs at n and 4n catch
catastrophic backtracking (the full figures are in `benchmarks/adversarial.py`).
"""

from __future__ import annotations

import csv
import fcntl
import importlib.util
import io
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from bulletin_tools.decoding import repair_mojibake
from bulletin_tools.lines import normalise_text
from bulletin_tools.models import Item, NoiseLine
from bulletin_tools.pipeline import InputReader
from bulletin_tools.tables import build_tables

from .conftest import ROOT, SAMPLES, accounted_lines, bare, run_cli

ONE_SAMPLE = SAMPLES / "003_063630e89767accd.txt"
ESC = b"\x1b["
COLOUR_CODES = (b"\x1b[36m", b"\x1b[1;36m", b"\x1b[1;32m", b"\x1b[1;35m", b"\x1b[33m")


def _load_adversarial():
    spec = importlib.util.spec_from_file_location(
        "adversarial", ROOT / "benchmarks" / "adversarial.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ADVERSARIAL = _load_adversarial()
EXTRACTORS = ADVERSARIAL.extractors()  # name -> callable(items) -> rows; grows as extractors land


def big_dump(path: Path, copies: int = 100) -> Path:
    text = "".join(p.read_text("utf-8") + "\n\n\n" for p in sorted(SAMPLES.glob("*.txt")))
    path.write_text(text * copies, "utf-8")
    return path


def start_cli(*args: str, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1", NO_COLOR="1") | kwargs.pop("env", {})
    return subprocess.Popen(
        [sys.executable, "-m", "bulletin_tools", *args],
        stdout=kwargs.pop("stdout", subprocess.PIPE),
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
        **kwargs,
    )


def error_lines(result) -> list[str]:
    return result.stderr.decode().strip().splitlines()


# --- exit codes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["parse", "--bogus", str(ONE_SAMPLE)],
        ["highlight", "--limit", "-1", str(ONE_SAMPLE)],
        [],
    ],
)
def test_usage_errors_exit_2_without_traceback(args):
    result = run_cli(*args)
    assert result.returncode == 2, result.stderr
    assert b"Traceback" not in result.stderr


def test_no_input_on_a_terminal_prints_usage_instead_of_hanging():
    controller, terminal = pty.openpty()
    try:
        proc = start_cli("parse", stdin=terminal)
        _, err = proc.communicate(timeout=60)
    finally:
        os.close(controller)
        os.close(terminal)
    assert proc.returncode == 2 and b"Usage:" in err


@pytest.mark.parametrize("command", ["highlight", "stats"])
def test_success_exits_0_and_keeps_stderr_quiet(command):
    result = run_cli(command, str(ONE_SAMPLE))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""  # no progress or colour codes off a terminal
    assert ESC not in result.stdout


@pytest.mark.parametrize("command", ["highlight"])
def test_binary_input_exits_1_others_processed(tmp_path, command):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"PK\x03\x04zipped\x00\x00")
    result = run_cli(command, str(binary), str(ONE_SAMPLE))
    assert result.returncode == 1
    assert error_lines(result) == [
        f"bulletin-tools: error: {binary}: binary file (a ZIP archive (or .docx/.xlsx)), "
        "not a text dump"
    ]
    assert b"10 items" in result.stdout


@pytest.mark.parametrize("command", ["stats"])
def test_missing_input_is_one_line(tmp_path, command):
    result = run_cli(command, str(tmp_path / "nope.txt"))
    assert result.returncode == 1
    assert error_lines(result) == [
        f"bulletin-tools: error: {tmp_path / 'nope.txt'}: no such file or directory"
    ]


@pytest.mark.parametrize("command", ["parse"])
def test_missing_input_does_not_stop_the_others(tmp_path, command):
    result = run_cli(command, str(tmp_path / "nope.txt"), str(ONE_SAMPLE))
    assert result.returncode == 1
    assert len(error_lines(result)) == 1
    if command == "parse":
        rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"), newline="")))
        assert len(rows) == 10
    else:
        assert b"10 items" in result.stdout


def test_directory_without_dumps_is_one_line(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "report.pdf").write_bytes(b"%PDF-1.4")
    result = run_cli("parse", str(empty), "-f", "csv")
    assert result.returncode == 1
    assert error_lines(result) == [
        f"bulletin-tools: error: {empty}: directory holds no *.txt dumps or items tables"
    ]


def test_directory_without_dumps_does_not_stop_the_others(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("parse", str(empty), str(ONE_SAMPLE), "-f", "jsonl")
    assert result.returncode == 1 and len(result.stdout.splitlines()) == 10


def test_unreadable_file_is_one_line_and_others_are_processed(tmp_path):
    """chmod 000 blocks reading except for root (tests often run as root): there, the child
    process gets a PermissionError injected for that path instead, through the same code path."""
    secret = tmp_path / "secret.txt"
    secret.write_text(ONE_SAMPLE.read_text("utf-8"), "utf-8")
    args = ["parse", str(secret), str(ONE_SAMPLE), "-f", "jsonl"]
    if os.geteuid() != 0:
        secret.chmod(0)
        result = run_cli(*args)
    else:
        inject = (
            "import builtins, io, sys\n"
            "real = io.open\n"
            "def guarded(file, *a, **k):\n"
            f"    if str(file) == {str(secret)!r}:\n"
            "        raise PermissionError(13, 'Permission denied', str(file))\n"
            "    return real(file, *a, **k)\n"
            "io.open = builtins.open = guarded\n"
            "from bulletin_tools.cli import main\n"
            "main(sys.argv[1:])\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", inject, *args], capture_output=True, cwd=ROOT, timeout=120
        )
    assert result.returncode == 1
    assert error_lines(result) == [
        f"bulletin-tools: error: {secret}: cannot read (Permission denied)"
    ]
    assert len(result.stdout.splitlines()) == 10


def test_internal_error_is_one_line_and_debug_shows_the_traceback():
    def run(*flags: str):
        code = (
            "import sys\n"
            "import bulletin_tools.tables as t\n"
            "def boom(*a, **k):\n"
            "    raise RuntimeError('boom')\n"
            "t.build_tables = boom\n"
            "from bulletin_tools.cli import main\n"
            "main(sys.argv[1:])\n"
        )
        argv = [*flags, "stats", str(ONE_SAMPLE)]
        return subprocess.run(
            [sys.executable, "-c", code, *argv], capture_output=True, cwd=ROOT, timeout=120
        )

    plain = run()
    assert plain.returncode == 1
    assert error_lines(plain) == [
        "bulletin-tools: error: internal error: RuntimeError('boom') "
        "(run with --debug for the traceback)"
    ]
    debug = run("--debug")
    assert debug.returncode == 1
    assert b"Traceback" in debug.stderr and b"RuntimeError: boom" in debug.stderr


# --- Ctrl-C -------------------------------------------------------------------------------------


def _wait_for(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def test_ctrl_c_while_writing_a_file_keeps_the_old_file_and_exits_130(tmp_path):
    """parse writes to a temporary file beside the target; Ctrl-C mid-run removes it, and the
    file from an earlier run is neither lost nor corrupted."""
    out = tmp_path / "items.csv"
    out.write_text("previous,run\n", "utf-8")
    proc = start_cli("parse", "-", "-o", str(out), stdin=subprocess.PIPE)
    assert proc.stdin is not None
    proc.stdin.write(ONE_SAMPLE.read_bytes())  # stdin stays open: the command is mid-read
    proc.stdin.flush()
    _wait_for(lambda: any(p.name.endswith(".tmp") for p in tmp_path.iterdir()))
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert b"Traceback" not in err
    assert out.read_text("utf-8") == "previous,run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["items.csv"]


@pytest.mark.parametrize("command", ["highlight"])
def test_ctrl_c_in_report_commands_exits_130_quietly(tmp_path, command):
    proc = start_cli(command, "-", stdin=subprocess.PIPE, env={"TMPDIR": str(tmp_path)})
    assert proc.stdin is not None
    proc.stdin.write(ONE_SAMPLE.read_bytes())
    proc.stdin.flush()
    _wait_for(lambda: any(p.name.startswith("bulletin-stdin-") for p in tmp_path.iterdir()))
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert b"Traceback" not in err and out == b""


def test_ctrl_c_while_reading_stdin_leaves_no_temporary_file(tmp_path):
    proc = start_cli("stats", "-", stdin=subprocess.PIPE, env={"TMPDIR": str(tmp_path)})
    assert proc.stdin is not None
    proc.stdin.write(ONE_SAMPLE.read_bytes())
    proc.stdin.flush()
    _wait_for(lambda: any(p.name.startswith("bulletin-stdin-") for p in tmp_path.iterdir()))
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert list(tmp_path.iterdir()) == []


# --- full disk and closed pipes -----------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["parse", str(SAMPLES), "-f", "csv"],
        ["highlight", str(SAMPLES)],
        ["stats", str(SAMPLES)],
    ],
)
def test_stdout_on_a_full_disk_is_one_line(args):
    with open("/dev/full", "wb") as full:
        proc = start_cli(*args, stdout=full)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    lines = err.decode().strip().splitlines()
    assert lines == ["bulletin-tools: error: <stdout>: cannot write (No space left on device)"]


@pytest.mark.parametrize("command", ["highlight"])  # parse: see test_cli.py
def test_closed_pipe_ends_quietly_with_0(tmp_path, command):
    big = big_dump(tmp_path / "big.txt", copies=20)
    args = [command, str(big)] + (["-f", "jsonl"] if command == "parse" else [])
    proc = start_cli(*args)
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert err == b"" and proc.returncode == 0


# --- a real terminal ----------------------------------------------------------------------------


def run_in_pty(*args: str, env: dict[str, str] | None = None, rows: int = 40) -> tuple[int, bytes]:
    """Run the command with stdout and stderr on a pseudo-terminal; returns (code, output)."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 120, 0, 0))
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "LINES", "COLUMNS")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bulletin_tools", *args],
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
        cwd=ROOT,
        env=base | {"TERM": "xterm-256color"} | (env or {}),
    )
    os.close(terminal)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    code = proc.wait(timeout=120)
    reader.join(timeout=10)
    os.close(controller)
    return code, b"".join(chunks)


def test_colour_on_a_terminal_and_never_with_no_color_or_dumb_term():
    args = ("highlight", "--no-pager", "-n", "2", str(ONE_SAMPLE))
    code, coloured = run_in_pty(*args)
    assert code == 0 and any(c in coloured for c in COLOUR_CODES)
    assert b"[[" not in coloured  # colours, not bracket marks
    for env, flags in (({"NO_COLOR": "1"}, ()), ({"TERM": "dumb"}, ()), ({}, ("--no-color",))):
        code, plain = run_in_pty(*flags, *args, env=env)
        assert code == 0
        assert not any(c in plain for c in COLOUR_CODES), (env, flags)
        assert b"]]{dates}" in plain, (env, flags)


def test_long_output_goes_through_the_pager_on_a_terminal(tmp_path):
    paged = tmp_path / "paged.txt"
    pager = (
        f"{sys.executable} -c \"import sys; open(r'{paged}', 'wb').write(sys.stdin.buffer.read())\""
    )
    code, shown = run_in_pty("highlight", str(ONE_SAMPLE), env={"PAGER": pager}, rows=20)
    assert code == 0
    pages = paged.read_bytes()
    assert pages.startswith(b"\x1b[1mLegend") and pages.count(b"063630e89767accd-00") == 10
    assert b"063630e89767accd-00" not in shown  # short output is printed directly: test_terminal


def test_quiet_terminal_gets_no_progress_or_warnings(tmp_path):
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(ONE_SAMPLE.read_text("utf-8").replace("'", "\u2019").encode("cp1252"))
    code, out = run_in_pty("-q", "stats", str(legacy))
    assert code == 0 and b"10 items" in out
    assert b"warning" not in out and b"Reading inputs" not in out


def test_verbose_reports_timings():
    result = run_cli("-v", "stats", str(ONE_SAMPLE))
    assert result.returncode == 0 and b"parsed in" in result.stderr


def test_shell_completion_completes_commands():
    env = {"_BULLETIN_TOOLS_COMPLETE": "complete_bash", "COMP_WORDS": "bulletin-tools hi",
           "COMP_CWORD": "1"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "bulletin_tools"],
        capture_output=True,
        cwd=ROOT,
        env=dict(os.environ) | env,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.split() == [b"highlight"]


# --- any Unicode text ---------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        st.sampled_from(list("\n\n\n\r\u2028 -,.:1234567890May Mayo 2019 Tete")),
    ),
    max_size=300,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
@example(text="\u00c2\x80\u00df")  # spells UTF-8 read as Latin-1: repaired, not lost
def test_any_unicode_dump_parses_from_a_file_losing_nothing(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("dump") / "gen.txt"
    path.write_bytes(text.encode("utf-8"))
    reader = InputReader([str(path)])
    rows = list(reader.rows())
    assume(not reader.errors)  # binary-looking text is refused, by design
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # a line that spells mojibake ("MÃ©decins") is repaired on reading, and lands repaired
    repaired = (normalise_text(repair_mojibake(line)) for line in raw_lines)
    expected = sorted(bare(t) for t in repaired if t)
    got = sorted(bare(t) for t in accounted_lines(rows))
    assert got == expected
    items = [row for row in rows if isinstance(row, Item)]
    for item in items:
        assert 1 <= item.line_start <= item.line_end <= len(raw_lines)
    tables = build_tables(items, [])
    for name, mention_rows in tables.items():
        for row in mention_rows:
            if {"item_id", "field", "start", "end", "text"} <= row.keys():
                item = next(i for i in items if i.item_id == row["item_id"])
                assert getattr(item, row["field"])[row["start"] : row["end"]] == row["text"], name


@pytest.mark.parametrize("name", sorted(EXTRACTORS))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, body=TEXT, date=st.sampled_from([None, "2019-06-01", "2019-13-45", "x"]))
def test_every_extractor_on_any_text_points_at_its_text(name, title, body, date):
    items = [Item("g-0001", "g.txt", 1, date, title, body, 1, 2)]
    for row in EXTRACTORS[name](items):
        row = row.to_row() if hasattr(row, "to_row") else row
        text = title if row["field"] == "title" else body
        assert row["field"] in ("title", "body")
        assert 0 <= row["start"] < row["end"] <= len(text)
        assert text[row["start"] : row["end"]] == row["text"]


# --- hostile and huge input ---------------------------------------------------------------------

SCALING_N = 20_000  # chars; 4n = 80 KB. Generous caps: linear is ~4x, quadratic ~16x.


@pytest.mark.parametrize("case", sorted(ADVERSARIAL.CASES))
@pytest.mark.parametrize("stage", ["parse", *sorted(EXTRACTORS)])
def test_adversarial_input_scales_linearly(stage, case):
    r = ADVERSARIAL.measure(stage, case, SCALING_N, repeat=1)
    assert r["t_4n"] < 10 * r["t_n"] + 0.25, r
    assert r["t_4n"] < 15.0, r


@pytest.mark.parametrize("stage", ["parse", *sorted(EXTRACTORS)])
def test_items_per_dump_scale_linearly(stage):
    """Work per dump (e.g. anchoring each item on its neighbours) must not be all-pairs. At ~1,000
    vs ~4,300 items in one dump, linear work gives a ratio of 4-6 even on a busy machine, an
    all-pairs loop 10-16, so the cap is tighter here than for the other cases."""
    r = ADVERSARIAL.measure(stage, "many_items", 80_000, repeat=1)
    assert r["t_4n"] < 8 * r["t_n"] + 0.25, r


def test_a_one_megabyte_line_without_newline():
    line = ADVERSARIAL.CASES["one_long_line"](1_000_000)
    start = time.perf_counter()
    rows = list(ADVERSARIAL.parse_lines([line], "long.txt"))
    assert time.perf_counter() - start < 10.0
    assert sum(len(row.text) for row in rows if isinstance(row, NoiseLine)) + sum(
        len(row.title) + len(row.body) for row in rows if isinstance(row, Item)
    ) == len(line.strip())
    items = [Item("l-0001", "long.txt", 1, None, "Long", line, 1, 1)]
    for name, extract in EXTRACTORS.items():
        start = time.perf_counter()
        extract(items)
        assert time.perf_counter() - start < 30.0, name
