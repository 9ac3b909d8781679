"""Table writers: formats, formula neutralising, atomic writes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from bulletin_tools.errors import OutputError
from bulletin_tools.export import atomic_output, neutralise_formula, write_rows, write_table

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
