"""Table writers: formats, formula neutralising, atomic writes, several tables at once."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat

import openpyxl
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin_tools.errors import OutputError
from bulletin_tools.export import atomic_output, neutralise_formula, write_rows, write_table
from bulletin_tools.export_tables import ExportOptions, plan_output, write_tables

ROWS = [
    {"a": 'x, "quoted"\nline two', "b": 1, "c": None, "d": True},
    {"a": "ñ", "b": 2.5, "c": "", "d": False},
]
COLS = ["a", "b", "c", "d"]


def test_csv_roundtrip_with_quotes_newlines_and_unicode():
    out = io.StringIO()
    write_rows(ROWS, COLS, "csv", out)
    back = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert back[0]["a"] == ROWS[0]["a"] and back[1]["a"] == "ñ"
    assert back[0]["c"] == "" and back[0]["d"] == "true"


def test_json_and_jsonl_keep_types_and_non_ascii():
    out = io.StringIO()
    write_rows(ROWS, COLS, "json", out)
    assert json.loads(out.getvalue())[1] == {"a": "ñ", "b": 2.5, "c": "", "d": False}
    assert "ñ" in out.getvalue()
    out = io.StringIO()
    write_rows(ROWS, COLS, "jsonl", out)
    assert [json.loads(line)["b"] for line in out.getvalue().splitlines()] == [1, 2.5]
    empty = io.StringIO()
    write_rows([], COLS, "json", empty)
    assert json.loads(empty.getvalue()) == []


@pytest.mark.parametrize("cell", ['=HYPERLINK("x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell):
    assert neutralise_formula(cell) == "'" + cell
    assert neutralise_formula(5) == 5 and neutralise_formula("plain") == "plain"


def test_atomic_write_leaves_previous_file_on_failure(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("previous", "utf-8")

    def broken_rows():
        yield {"a": "1"}
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_table(broken_rows(), ["a"], "csv", target)
    assert target.read_text("utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_atomic_output_refuses_missing_directory_and_overwrite(tmp_path):
    with (
        pytest.raises(OutputError, match="does not exist"),
        atomic_output(tmp_path / "x" / "y.csv"),
    ):
        pass
    (tmp_path / "z.csv").write_text("keep", "utf-8")
    with (
        pytest.raises(OutputError, match="--force"),
        atomic_output(tmp_path / "z.csv", force=False),
    ):
        pass


# --- CSV details --------------------------------------------------------------------------------


def test_bare_carriage_return_is_quoted_and_round_trips():
    out = io.StringIO()
    write_rows([{"a": "one\rtwo", "b": 1}], ["a", "b"], "csv", out)
    assert out.getvalue() == 'a,b\n"one\rtwo",1\n'
    assert list(csv.reader(io.StringIO(out.getvalue(), newline="")))[1] == ["one\rtwo", "1"]


def test_excel_csv_has_bom_crlf_and_neutralises_text_but_not_numbers():
    rows = [{"a": "-5 people", "b": -5, "c": "=1+1", "d": "body\nline two"}]
    out = io.StringIO()
    write_rows(rows, ["a", "b", "c", "d"], "csv", out, excel=True)
    text = out.getvalue()
    assert text.startswith("\ufeffa,b,c,d\r\n") and text.endswith("\r\n")
    back = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert back[0] == {"a": "'-5 people", "b": "-5", "c": "'=1+1", "d": "body\nline two"}


def test_plain_csv_stays_byte_faithful_unless_safe():
    out = io.StringIO()
    write_rows([{"a": "=1+1"}], ["a"], "csv", out)
    assert out.getvalue() == "a\n=1+1\n"
    out = io.StringIO()
    write_rows([{"a": "=1+1"}], ["a"], "csv", out, safe=True)
    assert out.getvalue() == "a\n'=1+1\n"


def test_json_writes_nan_as_null():
    out = io.StringIO()
    write_rows([{"a": float("nan"), "b": 0.5}], ["a", "b"], "jsonl", out)
    assert json.loads(out.getvalue()) == {"a": None, "b": 0.5}


def test_atomic_files_get_ordinary_permissions(tmp_path):
    write_table([{"a": "1"}], ["a"], "csv", tmp_path / "t.csv")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE((tmp_path / "t.csv").stat().st_mode) == 0o666 & ~mask


# --- several tables: plans, overwrite policy, staging -------------------------------------------


@pytest.mark.parametrize(
    ("output", "fmt", "expected"),
    [
        ("tables", None, ("directory", "csv")),
        ("tables", "parquet", ("directory", "parquet")),
        ("b.xlsx", None, ("xlsx", "xlsx")),
        ("b.DB", None, ("sqlite", "sqlite")),
        ("b.sqlite", "sqlite", ("sqlite", "sqlite")),
    ],
)
def test_plan_output(output, fmt, expected):
    plan = plan_output(output, fmt)
    assert (plan.kind, plan.fmt) == expected


@pytest.mark.parametrize(
    ("output", "fmt"), [("-", None), ("t.csv", None), ("b.xlsx", "csv"), ("d", "xlsx"), ("d", "x")]
)
def test_plan_output_rejects_bad_pairs(output, fmt):
    with pytest.raises(ValueError):
        plan_output(output, fmt)


def test_existing_tables_are_replaced_only_with_force(tmp_path):
    plan = plan_output(str(tmp_path), "csv")
    write_tables({"items": [{"item_id": "a-1"}]}, plan)
    with pytest.raises(OutputError, match="--force"):
        write_tables({"items": []}, plan)
    write_tables({"items": []}, plan, ExportOptions(force=True))
    assert (tmp_path / "items.csv").read_text("utf-8").startswith("item_id,source,")


def test_failure_mid_table_changes_nothing_and_leaves_no_staging(tmp_path):
    plan = plan_output(str(tmp_path), "jsonl")
    write_tables({"items": [{"item_id": "old"}]}, plan)
    before = (tmp_path / "items.jsonl").read_bytes()

    class Broken(list):
        def __iter__(self):
            yield {"item_id": "new"}
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_tables(
            {"items": [{"item_id": "new"}], "dates": Broken()}, plan, ExportOptions(force=True)
        )
    assert [p.name for p in tmp_path.iterdir()] == ["items.jsonl"]
    assert (tmp_path / "items.jsonl").read_bytes() == before


def test_abandoned_staging_of_a_dead_process_is_removed(tmp_path):
    dead = tmp_path / ".bulletin-tools-999999999-abc.tmp"
    dead.mkdir()
    (dead / "items.csv").write_text("half", "utf-8")
    write_tables({"items": []}, plan_output(str(tmp_path), "csv"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["items.csv"]


def test_a_table_unknown_to_the_schema_is_written_in_every_format(tmp_path):
    tables = {
        "items": [{"item_id": "a-1", "title": "T", "body": "B"}],
        "future_table": [{"item_id": "a-1", "field": "body", "start": 0, "end": 1, "score": 0.5}],
    }
    for fmt in ("csv", "json", "parquet"):
        write_tables(tables, plan_output(str(tmp_path / fmt), fmt))
    assert (
        pq.read_table(tmp_path / "parquet" / "future_table.parquet").schema.field("score").type
        == "double"
    )
    write_tables(tables, plan_output(str(tmp_path / "t.sqlite"), None))
    con = sqlite3.connect(tmp_path / "t.sqlite")
    assert con.execute("PRAGMA foreign_key_list(future_table)").fetchone()[2] == "items"
    assert con.execute("SELECT start, score FROM future_table").fetchone() == (0, 0.5)
    write_tables(tables, plan_output(str(tmp_path / "t.xlsx"), None))
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames == ["items", "future_table"]


def test_typed_containers_coerce_text_read_back_from_csv(tmp_path):
    rows = [{"item_id": "a-1", "position": "3", "is_canonical": "true", "date": "2020-03-01"}]
    write_tables({"items": rows}, plan_output(str(tmp_path / "t.sqlite"), None))
    con = sqlite3.connect(tmp_path / "t.sqlite")
    assert con.execute("SELECT position, is_canonical, date FROM items").fetchone() == (
        3,
        1,
        "2020-03-01",
    )
    with pytest.raises(OutputError, match="column position"):
        write_tables(
            {"items": [{"item_id": "x", "position": "three"}]},
            plan_output(str(tmp_path / "u.sqlite"), None),
        )
    assert not (tmp_path / "u.sqlite").exists()


def test_xlsx_cleans_control_characters_and_truncates_huge_cells(tmp_path):
    body = "a\x00b\x0cc" + "x" * 40_000
    report = write_tables(
        {"items": [{"item_id": "a-1", "title": "=cmd|' /C calc'!A0", "body": body}]},
        plan_output(str(tmp_path / "t.xlsx"), None),
    )
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["items"]
    assert sheet["F2"].value.startswith("a\ufffdb\ufffdc") and len(sheet["F2"].value) == 32_767
    assert sheet["E2"].value == "=cmd|' /C calc'!A0" and sheet["E2"].data_type == "s"
    assert report.warnings and "truncated" in report.warnings[0]


CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.sampled_from(["a", "ñ", " ", ",", "\t", '"', "'", "\n", "\r", "=", "“"])),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(CELL, CELL, CELL), max_size=6), st.sampled_from(["csv", "tsv"]))
def test_delimited_output_matches_the_csv_module(rows, fmt):
    """Our str-method writer quotes exactly as csv.writer (QUOTE_MINIMAL) and reads back."""
    delimiter = {"csv": ",", "tsv": "\t"}[fmt]
    records = [dict(zip("xyz", row, strict=True)) for row in rows]
    ours = io.StringIO()
    write_rows(records, list("xyz"), fmt, ours, excel=False)
    # csv.writer quotes CR and LF only when they are in its line terminator: give it CRLF,
    # then end each record with LF as we do
    theirs = []
    for row in [list("xyz"), *([_as_cell(value) for value in row] for row in rows)]:
        record = io.StringIO()
        csv.writer(record, delimiter=delimiter, lineterminator="\r\n").writerow(row)
        theirs.append(record.getvalue().removesuffix("\r\n") + "\n")
    assert ours.getvalue() == "".join(theirs)
    back = list(csv.reader(io.StringIO(ours.getvalue(), newline=""), delimiter=delimiter))
    assert back[1:] == [[_as_cell(value) for value in row] for row in rows]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(CELL, CELL, CELL), max_size=6), st.sampled_from(["xyz", "zyx", "xy"]))
def test_json_lines_match_json_dumps_in_column_order(rows, order):
    """Our reused encoder writes what json.dumps writes, with the columns in the asked order
    (a row holding other keys, or the same keys in another order, is laid out first)."""
    records = [dict(zip("xyz", row, strict=True)) for row in rows]
    ours = io.StringIO()
    write_rows(records, list(order), "jsonl", ours)
    expected = [
        json.dumps({col: record.get(col) for col in order}, ensure_ascii=False) + "\n"
        for record in records
    ]
    assert ours.getvalue() == "".join(expected)


def _as_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
