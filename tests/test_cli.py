"""The command line: CliRunner for options and output; real processes for pipes, exit codes."""

from __future__ import annotations

import csv
import gc
import io
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from bulletin_tools.cli import app, main
from bulletin_tools.runtime import GC_FIRST_GENERATION
from bulletin_tools.schema import schema_markdown

from .conftest import ROOT, SAMPLES, run_cli

runner = CliRunner()
COMMANDS = ["parse", "dedupe", "run", "schema", "extract", "extract dates", "highlight", "stats"]


def test_every_command_help_has_an_example():
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0 and "Example:" in top.output
    for command in COMMANDS:
        result = runner.invoke(app, [*command.split(), "-h"])
        assert result.exit_code == 0, command
        assert "Example:" in result.output, command


def test_readme_documents_every_command():
    readme = (ROOT / "README.md").read_text("utf-8")
    for command in COMMANDS:
        assert f"bulletin-tools {command}" in readme, command
    assert schema_markdown() in readme, "README schema section is stale: regenerate it"


def test_parse_jsonl_to_stdout():
    result = runner.invoke(app, ["parse", str(SAMPLES), "--format", "jsonl"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 46
    assert rows[0]["item_id"] == "000_fb6dc068b2fbce39-0001"


def test_parse_csv_roundtrips_multiline_bodies(tmp_path):
    out = tmp_path / "items.csv"
    result = runner.invoke(app, ["parse", str(SAMPLES), "-o", str(out)])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"), newline="")))
    assert len(rows) == 46
    assert any("\n\n" in row["body"] for row in rows)


def test_extract_dates_reads_an_items_table_and_anchors_on_its_date(tmp_path):
    table = tmp_path / "items.jsonl"
    row = {"item_id": "d1", "title": "", "body": "They met on May 16-17.", "date": "2019-06-03"}
    table.write_text(json.dumps(row) + "\n", "utf-8")
    result = runner.invoke(app, ["extract", "dates", str(table), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["text"], r["date_start"], r["date_end"]) for r in rows] == [
        ("May 16-17", "2019-05-16", "2019-05-17")
    ]
    body = row["body"]
    assert all(body[r["start"] : r["end"]] == r["text"] for r in rows)


def test_no_relative_keeps_only_calendar_dates(tmp_path):
    table = tmp_path / "items.jsonl"
    row = {"item_id": "d1", "title": "", "body": "Today, and on 4 May.", "date": "2019-06-03"}
    table.write_text(json.dumps(row) + "\n", "utf-8")
    texts = {}
    for flag in ("--relative", "--no-relative"):
        result = runner.invoke(app, ["extract", "dates", str(table), "-f", "jsonl", flag])
        assert result.exit_code == 0, result.output
        texts[flag] = [json.loads(line)["text"] for line in result.stdout.splitlines()]
    assert texts == {"--relative": ["Today", "4 May"], "--no-relative": ["4 May"]}


def test_run_no_relative_leaves_relative_dates_out(tmp_path):
    kinds = {}
    for flag in ("--relative", "--no-relative"):
        out = tmp_path / flag.strip("-")
        result = runner.invoke(app, ["run", str(SAMPLES), "-o", str(out), "-f", "jsonl", flag])
        assert result.exit_code == 0, result.output
        lines = (out / "dates.jsonl").read_text("utf-8").splitlines()
        kinds[flag] = {json.loads(line)["kind"] for line in lines}
    assert "relative" in kinds["--relative"]
    assert kinds["--no-relative"] == kinds["--relative"] - {"relative"}


def test_dedupe_writes_clusters_and_pairs(tmp_path):
    clusters, pairs = tmp_path / "clusters.csv", tmp_path / "pairs.jsonl"
    args = ["--clusters", str(clusters), "--pairs", str(pairs)]
    result = runner.invoke(app, ["dedupe", str(SAMPLES), "-f", "jsonl", *args])
    assert result.exit_code == 0, result.output
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(items) == 46 and len({i["cluster_id"] for i in items}) == 40
    assert sum(i["is_canonical"] for i in items) == 40
    rows = list(csv.DictReader(io.StringIO(clusters.read_text("utf-8"), newline="")))
    assert {r["item_id"] for r in rows} == {i["item_id"] for i in items}
    decisions = [json.loads(line)["decision"] for line in pairs.read_text("utf-8").splitlines()]
    assert decisions.count("same") == 6


def test_schema_prints_columns():
    result = runner.invoke(app, ["schema", "items"])
    assert result.exit_code == 0 and "line_start" in result.output
    assert runner.invoke(app, ["schema", "nope"]).exit_code == 2


def test_run_writes_tables(tmp_path):
    result = runner.invoke(app, ["run", str(SAMPLES), "-o", str(tmp_path / "out"), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    items = (tmp_path / "out" / "items.jsonl").read_text("utf-8").splitlines()
    assert len(items) == 46
    assert (tmp_path / "out" / "noise.jsonl").exists()


# --- real processes ----------------------------------------------------------------------------


def test_parse_pipe_into_parse_reads_an_items_table():
    first = run_cli("parse", str(SAMPLES), "--format", "jsonl")
    assert first.returncode == 0
    second = run_cli("parse", "-", "--format", "jsonl", input_bytes=first.stdout)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout


def test_exit_codes_and_one_line_errors(tmp_path):
    missing = run_cli("parse", str(tmp_path / "nope.txt"), "--format", "csv")
    assert missing.returncode == 1
    assert missing.stderr.decode().strip().splitlines() == [
        f"bulletin-tools: error: {tmp_path / 'nope.txt'}: no such file or directory"
    ]
    usage = run_cli("parse", "--format", "xml", str(SAMPLES))
    assert usage.returncode == 2
    assert run_cli("parse", str(SAMPLES), "--format", "csv").returncode == 0


def test_binary_input_fails_but_others_are_processed(tmp_path):
    pdf = tmp_path / "report.pdf.txt"
    pdf.write_bytes(b"%PDF-1.4\x00\x01binary")
    result = run_cli("parse", str(pdf), str(SAMPLES / "000_fb6dc068b2fbce39.txt"), "-f", "jsonl")
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 8
    assert b"report.pdf.txt: binary file (a PDF file)" in result.stderr
    assert b"Traceback" not in result.stderr


def test_broken_pipe_is_quiet(tmp_path):
    big = tmp_path / "big.txt"
    text = "".join(p.read_text("utf-8") + "\n\n" for p in sorted(SAMPLES.glob("*.txt")))
    big.write_text(text * 200, "utf-8")
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "bulletin_tools", "parse", str(big), "-f", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and b"Error" not in err
    assert proc.returncode == 0


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="needs /dev/full")
def test_full_disk_gets_one_line():
    result = run_cli("parse", str(SAMPLES), "-o", "/dev/full", "-f", "csv")
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "/dev/full" in lines[0]


def test_output_in_missing_directory_fails_cleanly(tmp_path):
    result = run_cli("parse", str(SAMPLES), "-o", str(tmp_path / "no" / "items.csv"))
    assert result.returncode == 1
    assert b"does not exist" in result.stderr
    assert not (tmp_path / "no").exists()


def test_start_up_leaves_the_extractors_and_reports_unloaded():
    """Every command pays for what the CLI imports at start: the date grammar, the tables
    builder and the report renderers load only in the commands that use them."""
    code = (
        "import sys, bulletin_tools.cli; "
        "heavy = ['bulletin_tools.extract.dates', 'bulletin_tools.tables', "
        "'bulletin_tools.stats', 'bulletin_tools.highlight']; "
        "print([m for m in heavy if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_entry_point_raises_the_gc_threshold_for_batch_work(capsys):
    """Parsing allocates millions of short-lived objects; the CLI collects less often."""
    before = gc.get_threshold()
    gc.set_threshold(700, *before[1:])
    try:
        with pytest.raises(SystemExit):
            main(["--help"])
        assert gc.get_threshold()[0] >= GC_FIRST_GENERATION == 100_000
    finally:
        gc.set_threshold(*before)
    assert "parse" in capsys.readouterr().out


QUIET_SCRIPT = """
import os, signal
from bulletin_tools.runtime import quiet_after_interrupt

class Broken:
    def __del__(self):
        raise AttributeError("half-built")

quiet_after_interrupt()
Broken()  # before any interrupt: Python reports the failing destructor
try:
    os.kill(os.getpid(), signal.SIGINT)
except KeyboardInterrupt:
    print("interrupted")
Broken()  # after Ctrl-C: nothing more is said
"""


def test_failing_destructors_are_quiet_only_after_ctrl_c():
    """A Ctrl-C that lands inside a constructor (a ZipFile being opened while a workbook is
    saved) must not add "Exception ignored" noise under the one-line message."""
    done = subprocess.run(
        [sys.executable, "-c", QUIET_SCRIPT], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.stdout.strip() == "interrupted"
    assert done.stderr.count("Exception ignored") == 1, done.stderr
