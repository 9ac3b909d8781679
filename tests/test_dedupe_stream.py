"""Streaming dedupe: items fed one at a time into the compact index, the result held as arrays,
and the two-pass command (file, stdin, raw dumps) agreeing with the list API."""

from __future__ import annotations

import json

import pytest

from bulletin_tools import dedupe_index
from bulletin_tools.commands.dedupe_cmd import _annotated_rows
from bulletin_tools.dedupe import DedupeOptions, find_duplicate_clusters, stream_clusters
from bulletin_tools.dedupe_result import annotate
from bulletin_tools.errors import InputError
from bulletin_tools.pipeline import InputReader, read_items
from tests.conftest import SAMPLES, run_cli
from tests.test_dedupe import STORY, _gen_module, item


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list:
    out = tmp_path_factory.mktemp("stream")
    _gen_module().main(
        ["--n", "4000", "--seed", "5", "--out", str(out / "items.jsonl")]
        + ["--truth", str(out / "truth.jsonl"), "--samples", str(SAMPLES)]
    )
    rows = [json.loads(line) for line in (out / "items.jsonl").read_text("utf-8").splitlines()]
    return [item(r["id"], r["title"], r["body"], r["date"]) for r in rows]


def test_streamed_items_give_the_list_api_result(corpus, monkeypatch) -> None:
    listed = find_duplicate_clusters(corpus)
    monkeypatch.setattr(dedupe_index, "MIN_ROWS", 16)  # no reservations: every array grows
    streamed = stream_clusters(iter(corpus), DedupeOptions(batch_size=37))
    assert streamed.items == [] and streamed.table is not None
    rows = [r.to_row() for r in listed.clusters]
    assert [r.to_row() for r in streamed.clusters] == rows
    assert streamed.pairs == listed.pairs and streamed.stats == listed.stats
    # The character-level rule read bodies back from the spill file, and joins through a member.
    reasons = {r["reason"] for r in rows}
    assert "similar_text_same_title" in reasons and any(" via " in r for r in reasons)
    table = streamed.table
    assert [annotate(it, table, k) for k, it in enumerate(corpus)] == list(listed.items)


def test_result_rows_read_like_a_list() -> None:
    items = [item("a", "Floods", STORY), item("b", "Floods", STORY), item("c", "Other", "x y z")]
    result = find_duplicate_clusters(items)
    rows = list(result.clusters)
    assert result.clusters == rows and len(result.clusters) == 3
    assert result.clusters[-1] == rows[2] and result.clusters[1:] == rows[1:]
    assert [r.reason for r in rows] == ["canonical", "exact", "unique"]
    assert [it.cluster_id for it in result.items] == [r.cluster_id for r in rows]
    with pytest.raises(IndexError):
        result.clusters[3]


def test_repeated_id_is_found_after_streaming() -> None:
    items = [item(f"i{k}", f"T{k}", f"body {k} words here") for k in range(3000)]
    items.append(item("i1234", "late", "a repeat of an early id"))
    with pytest.raises(ValueError, match="duplicate item_id 'i1234'"):
        stream_clusters(iter(items))


def _parse(*args: str, input_bytes: bytes | None = None) -> list[dict]:
    proc = run_cli("parse", *args, "-f", "jsonl", input_bytes=input_bytes)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def _dedupe(tmp_path, *args: str, input_bytes: bytes | None = None) -> tuple[list, bytes]:
    clusters = tmp_path / "clusters.jsonl"
    proc = run_cli(
        "dedupe", *args, "-f", "jsonl", "--clusters", str(clusters), input_bytes=input_bytes
    )
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()], clusters.read_bytes()


def test_cli_reads_stdin_like_a_file(tmp_path) -> None:
    table = tmp_path / "items.jsonl"
    table.write_bytes(run_cli("parse", str(SAMPLES), "-f", "jsonl").stdout)
    from_file = _dedupe(tmp_path, str(table))
    from_stdin = _dedupe(tmp_path, "-", input_bytes=table.read_bytes())
    assert from_stdin == from_file
    assert len({r["cluster_id"] for r in from_file[0]}) == 40


def test_cli_two_passes_over_raw_dumps_match_the_library(tmp_path) -> None:
    rows, _ = _dedupe(tmp_path, str(SAMPLES))
    library = find_duplicate_clusters(read_items([str(SAMPLES)])).items
    assert rows == [it.to_row() for it in library]
    blank = {"cluster_id": None, "is_canonical": None}
    assert [{**r, **blank} for r in rows] == _parse(str(SAMPLES))
    # A raw dump on stdin is spooled once and parsed twice with the same ids.
    dumps = b"".join(p.read_bytes() + b"\n\n" for p in sorted(SAMPLES.glob("00[23]*.txt")))
    rows, clusters = _dedupe(tmp_path, "-", input_bytes=dumps)
    assert [{**r, **blank} for r in rows] == _parse("-", input_bytes=dumps)
    assert sum(r["is_canonical"] for r in rows) < len(rows)
    assert [json.loads(line)["item_id"] for line in clusters.splitlines()] == [
        r["item_id"] for r in rows
    ]


def test_inputs_changed_between_passes_are_an_error(tmp_path) -> None:
    table = tmp_path / "items.jsonl"
    rows = [{"item_id": f"x{k}", "title": "T", "body": f"body {k}"} for k in range(3)]
    table.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    reader = InputReader([str(table)], keep_spooled=True)
    result = stream_clusters(reader.items())
    table.write_text("".join(json.dumps(r) + "\n" for r in rows[:2]), "utf-8")
    with pytest.raises(InputError, match="inputs changed"):
        list(_annotated_rows(reader, result))


def test_kept_stdin_copy_is_removed_even_when_reading_stops_early(monkeypatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", type("In", (), {"buffer": io.BytesIO(b"TITLE\n\nbody\n")}))
    reader = InputReader(["-"], keep_spooled=True)
    rows = reader.rows()
    next(rows)  # stopped mid-input, as by Ctrl-C: the generator's cleanup has not run
    [copy] = reader._spooled
    assert copy.exists()
    reader.close()
    assert not copy.exists()
    rows.close()
