"""`bulletin-tools run`: every table in every format, opened with its real reader.

Each format is read back with the library an analyst would use (csv, pandas, openpyxl, sqlite3,
pyarrow) and checked for row counts, types and the joins to `items`. Real processes check
Ctrl-C and SIGKILL mid-write, the TTY-only progress bar, and byte-identical reruns.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from bulletin_tools.cli import app
from bulletin_tools.schema import TABLES

from .conftest import ROOT, SAMPLES, run_cli

runner = CliRunner()
SAMPLE_ITEMS = 46
BIG_ITEMS = 1500
MENTION_TABLES = [
    name for name, cols in TABLES.items() if {"field", "start", "end"} <= {c for c, _, _ in cols}
]
INJECTION = '=HYPERLINK("http://evil.example/x","Click here for the full report")'
INJECTION_DUMP = f"""

Migrants stranded at the border after heavy rains in the region


{INJECTION} and more text about the migrants stranded at the border since 3 March 2020.


Second item about displacement in the northern provinces this week


-5 people is an odd start, but 120 families were displaced on 3 March 2020 in the province.
"""


def run_ok(*args: str) -> str:
    result = runner.invoke(app, ["run", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """One run of the samples per format (module-wide: the tests only read them)."""
    base = tmp_path_factory.mktemp("run")
    made = {}
    for fmt in ("csv", "tsv", "json", "jsonl", "parquet"):
        run_ok(str(SAMPLES), "-o", str(base / fmt), "--format", fmt)
        made[fmt] = base / fmt
    for name in ("tables.xlsx", "tables.sqlite"):
        run_ok(str(SAMPLES), "-o", str(base / name))
        made[name.split(".")[1]] = base / name
    return made


def check_tables(tables: dict[str, list[dict]]) -> None:
    """Row counts, and every mention row joins an item and quotes its field at start:end."""
    assert len(tables["items"]) == SAMPLE_ITEMS
    items = {row["item_id"]: row for row in tables["items"]}
    assert len(items) == SAMPLE_ITEMS, "item_id must be unique"
    for name in MENTION_TABLES:
        if name not in tables:
            continue
        for row in tables[name]:
            item = items[row["item_id"]]
            assert row["field"] in ("title", "body")
            assert item[row["field"]][int(row["start"]) : int(row["end"])] == row["text"]
    if "dates" in tables:
        assert tables["dates"], "the samples have date mentions"


# --- each format with its own reader -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_delimited_tables_read_with_csv_module_and_pandas(outputs, fmt):
    delimiter = "," if fmt == "csv" else "\t"
    tables = {}
    for path in sorted(outputs[fmt].iterdir()):
        with path.open(encoding="utf-8", newline="") as handle:
            tables[path.stem] = list(csv.DictReader(handle, delimiter=delimiter))
        frame = pd.read_csv(path, sep=delimiter, keep_default_na=False, dtype=str)
        assert len(frame) == len(tables[path.stem])
        assert list(frame.columns) == [c for c, _, _ in TABLES.get(path.stem, [])] or frame.empty
    check_tables(tables)
    assert any("\n" in row["body"] for row in tables["items"]), "multi-line bodies survive"


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_tables_keep_numbers_nulls_and_non_ascii(outputs, fmt):
    tables = {}
    for path in sorted(outputs[fmt].iterdir()):
        text = path.read_text("utf-8")
        if fmt == "json":
            tables[path.stem] = json.loads(text)
        else:
            tables[path.stem] = [json.loads(line) for line in text.splitlines()]
    check_tables(tables)
    assert all(isinstance(row["position"], int) for row in tables["items"])
    assert any(row["date"] is None for row in tables["items"]), "missing values are null"
    assert "\\u" not in (outputs[fmt] / f"items.{fmt}").read_text("utf-8")
    assert "“" in (outputs[fmt] / f"items.{fmt}").read_text("utf-8")


def test_parquet_tables_are_typed(outputs):
    tables = {p.stem: pq.read_table(p) for p in sorted(outputs["parquet"].iterdir())}
    items = tables["items"]
    assert str(items.schema.field("position").type) == "int64"
    assert str(items.schema.field("date").type) == "date32[day]"
    assert str(items.schema.field("is_canonical").type) == "bool"
    check_tables({name: table.to_pylist() for name, table in tables.items()})
    frame = pd.read_parquet(outputs["parquet"] / "dates.parquet")
    joined = frame.merge(items.to_pandas(), on="item_id", how="left", validate="many_to_one")
    assert joined["title"].notna().all()


def test_xlsx_has_a_sheet_per_table_frozen_header_and_real_dates(outputs):
    book = openpyxl.load_workbook(outputs["xlsx"])
    assert book.sheetnames[0] == "items"
    tables = {}
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold
        assert 6 <= sheet.column_dimensions["A"].width <= 60
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        tables[sheet.title] = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    for table in tables.values():
        for row in table:
            for key in ("title", "body", "text"):
                if key in row and row[key] is None:
                    row[key] = ""
    check_tables(tables)
    day = next(r["date_start"] for r in tables["dates"] if r["date_start"] is not None)
    assert isinstance(day, datetime.datetime), "dates are spreadsheet dates, not text"
    assert all(isinstance(r["position"], int) for r in tables["items"])
    frame = pd.read_excel(outputs["xlsx"], sheet_name=None)
    assert len(frame["items"]) == SAMPLE_ITEMS


def test_sqlite_has_keys_indexes_and_joins(outputs):
    con = sqlite3.connect(outputs["sqlite"])
    con.row_factory = sqlite3.Row
    tables = {
        name: [dict(row) for row in con.execute(f'SELECT * FROM "{name}"')]
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    check_tables(tables)
    pk = [r["name"] for r in con.execute("PRAGMA table_info(items)") if r["pk"]]
    assert pk == ["item_id"]
    for name in MENTION_TABLES:
        if name in tables:
            refs = [
                (r["from"], r["table"], r["to"])
                for r in con.execute(f"PRAGMA foreign_key_list({name})")
            ]
            assert ("item_id", "items", "item_id") in refs
            indexed = {r["name"] for r in con.execute(f"PRAGMA index_list({name})")}
            assert f"idx_{name}_item_id" in indexed
    assert list(con.execute("PRAGMA foreign_key_check")) == []
    assert con.execute("SELECT typeof(position) FROM items LIMIT 1").fetchone()[0] == "integer"
    joined = con.execute("SELECT count(*) FROM dates JOIN items USING (item_id)").fetchone()[0]
    assert joined == len(tables["dates"])


# --- spreadsheet formula injection --------------------------------------------------------------


def test_hyperlink_body_is_inert_in_xlsx_and_excel_csv(tmp_path):
    dump = tmp_path / "inj.txt"
    dump.write_text(INJECTION_DUMP, "utf-8")
    run_ok(str(dump), "-o", str(tmp_path / "t.xlsx"))
    cell = openpyxl.load_workbook(tmp_path / "t.xlsx")["items"]["F2"]
    assert cell.value.startswith(INJECTION) and cell.data_type == "s" and cell.quotePrefix
    with zipfile.ZipFile(tmp_path / "t.xlsx") as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert all(b"<f>" not in xml and b"<f " not in xml for xml in sheets), "no formula cells"

    run_ok(str(dump), "-o", str(tmp_path / "excel"), "--excel")
    raw = (tmp_path / "excel" / "items.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with (tmp_path / "excel" / "items.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["body"].startswith("'" + INJECTION)
    assert rows[1]["body"].startswith("'-5 people"), "text starting with - is neutralised"
    assert rows[1]["position"] == "2", "numbers are never touched"

    run_ok(str(dump), "-o", str(tmp_path / "plain"))
    with (tmp_path / "plain" / "items.csv").open(encoding="utf-8", newline="") as handle:
        assert next(csv.DictReader(handle))["body"].startswith(INJECTION), "plain CSV is faithful"


# --- output policy ------------------------------------------------------------------------------


def test_default_directory_refuses_to_overwrite_without_force(tmp_path):
    first = run_cli("run", str(SAMPLES), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert b"to bulletin_tables/" in first.stderr, "says where the tables went"
    items = tmp_path / "bulletin_tables" / "items.csv"
    before = items.read_bytes()
    again = run_cli("run", str(SAMPLES), cwd=tmp_path)
    assert again.returncode == 1 and b"--force" in again.stderr
    assert items.read_bytes() == before
    assert run_cli("run", str(SAMPLES), "--force", cwd=tmp_path).returncode == 0


def test_existing_empty_directory_and_quiet(tmp_path):
    result = run_cli("-q", "run", str(SAMPLES), "-o", str(tmp_path), "--format", "jsonl")
    assert result.returncode == 0 and result.stderr == b""
    assert {"items.jsonl", "noise.jsonl", "dates.jsonl"} <= {p.name for p in tmp_path.iterdir()}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    "args",
    [["-o", "x.csv"], ["-o", "x.xlsx", "-f", "csv"], ["-f", "sqlite"], ["-f", "xml"], ["-o", "-"]],
)
def test_bad_output_combinations_are_usage_errors(tmp_path, args):
    result = runner.invoke(app, ["run", str(SAMPLES), *args])
    assert result.exit_code == 2


def test_two_runs_give_identical_bytes(tmp_path, outputs):
    for fmt in ("csv", "jsonl", "parquet"):
        run_ok(str(SAMPLES), "-o", str(tmp_path / fmt), "-f", fmt)
        for path in outputs[fmt].iterdir():
            assert (tmp_path / fmt / path.name).read_bytes() == path.read_bytes(), path.name
    time.sleep(1.1)  # xlsx stores times: make sure a second has passed
    for kind in ("xlsx", "sqlite"):
        run_ok(str(SAMPLES), "-o", str(tmp_path / f"again.{kind}"))
        assert (tmp_path / f"again.{kind}").read_bytes() == outputs[kind].read_bytes(), kind


# --- real processes: interruption, progress -----------------------------------------------------


@pytest.fixture(scope="module")
def big_dump(tmp_path_factory) -> Path:
    """Distinct items: a few seconds of work, a writing phase long enough to interrupt."""
    path = tmp_path_factory.mktemp("big") / "big.txt"
    words = ["migrants", "border", "flood", "camp", "shelter", "food", "water", "school", "road"]
    parts = []
    for i in range(BIG_ITEMS):
        title = f"Update {i} on " + " ".join(words[(i + k) % len(words)] for k in range(6))
        body = " ".join(words[(i * k) % len(words)] for k in range(150))
        parts.append(f"\n\n{title}\n\n\n{body} on {i % 28 + 1} March 2020.\n")
    path.write_text("".join(parts), "utf-8")
    return path


def start_run(*args: str) -> subprocess.Popen:
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.Popen(
        [sys.executable, "-m", "bulletin_tools", "run", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )


def wait_for_temp(directory: Path, proc: subprocess.Popen, timeout: float = 60) -> bool:
    """Poll until a temporary (dot) entry appears in `directory`: the run is mid-write."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if directory.exists() and any(p.name.startswith(".") for p in directory.iterdir()):
            return True
        time.sleep(0.001)
    return False


def assert_complete_tables(directory: Path, *, hidden_ok: bool = False) -> None:
    """Every table file parses to the end; no temporary file is left (unless `hidden_ok`)."""
    for path in directory.iterdir():
        if path.name.startswith(".") and hidden_ok:
            continue
        assert not path.name.startswith("."), f"temporary file left: {path.name}"
        if path.suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
            if path.stem == "items":
                assert len(rows) in (BIG_ITEMS, SAMPLE_ITEMS)
        elif path.suffix == ".xlsx":
            sheet = openpyxl.load_workbook(path, read_only=True)["items"]
            assert sum(1 for _ in sheet.iter_rows()) - 1 in (BIG_ITEMS, SAMPLE_ITEMS)
        elif path.suffix == ".sqlite":
            count = sqlite3.connect(path).execute("SELECT count(*) FROM items").fetchone()[0]
            assert count in (BIG_ITEMS, SAMPLE_ITEMS)


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.mark.parametrize("target", ["dir", "book.xlsx", "book.sqlite"])
def test_ctrl_c_mid_write_leaves_previous_tables_intact(tmp_path, big_dump, target):
    out = tmp_path / "out"
    out.mkdir()
    destination = out if target == "dir" else out / target
    run_ok(str(SAMPLES), "-o", str(destination))
    previous = snapshot(out)
    proc = start_run(str(big_dump), "-o", str(destination), "--force")
    hit = wait_for_temp(out, proc)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode in (130, 0), err
    assert b"Traceback" not in err and b"Exception ignored" not in err
    if hit:
        assert proc.returncode == 130
    if proc.returncode == 130:
        assert snapshot(out) == previous, "an interrupted run changes nothing"
    assert_complete_tables(out)


def test_sigkill_mid_write_leaves_no_truncated_table(tmp_path, big_dump):
    out = tmp_path / "out"
    proc = start_run(str(big_dump), "-o", str(out))
    wait_for_temp(out, proc)
    proc.kill()
    proc.communicate(timeout=60)
    if out.exists():
        assert_complete_tables(out, hidden_ok=True)
    # The next run removes the staging directory the killed run left behind.
    result = run_cli("-q", "run", str(SAMPLES), "-o", str(out), "--force")
    assert result.returncode == 0
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_progress_bar_only_on_a_terminal(tmp_path):
    plain = run_cli("run", str(SAMPLES), "-o", str(tmp_path / "a"))
    assert b"\x1b[" not in plain.stderr and b"reading inputs" not in plain.stderr
    assert re.search(rb"46 items.*\n(.*\n)*Wrote \d+ file\(s\) to ", plain.stderr)
    pty = pytest.importorskip("pty")
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bulletin_tools", "run", str(SAMPLES), "-o", str(tmp_path / "b")],
        stdout=subprocess.PIPE,
        stderr=secondary,
        cwd=ROOT,
        env=dict(os.environ, TERM="xterm"),
    )
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=60)
    os.close(primary)
    assert proc.returncode == 0
    assert b"\x1b[" in seen, "rich drew on the terminal"
    assert b"46 items" in seen
