"""Reading inputs: encodings, newlines, binary refusal, directories, globs, items tables."""

from __future__ import annotations

import codecs

import pytest

from bulletin_tools.decoding import iter_lines
from bulletin_tools.errors import InputError
from bulletin_tools.pipeline import InputReader
from bulletin_tools.sources import Source, expand_inputs

DUMP = (
    "8 March, 2019\n\nMigrants in San José and Tapachula get help\n\n"
    "IOM helped migrants in Médico and Ñuñoa.\n"
)


def _items(path):
    reader = InputReader([str(path)])
    return list(reader.items()), reader


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("cp1252", b""),
        ("latin-1", b""),
    ],
)
def test_encodings_are_detected_with_accents_intact(tmp_path, encoding, bom):
    path = tmp_path / "dump.txt"
    path.write_bytes(bom + DUMP.replace("\n", "\r\n").encode(encoding))
    items, reader = _items(path)
    assert [i.title for i in items] == ["Migrants in San José and Tapachula get help"]
    assert items[0].body == "IOM helped migrants in Médico and Ñuñoa."
    assert reader.errors == []


def test_cp1252_curly_quotes_decode_and_warn(tmp_path):
    path = tmp_path / "win.txt"
    path.write_bytes(
        "A \u201cquoted\u201d title for the item\n\nBody sentence here.\n".encode("cp1252")
    )
    items, reader = _items(path)
    assert items[0].title == "A \u201cquoted\u201d title for the item"
    assert any("cp1252" in w for w in reader.warnings)


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_bytes(b"Caf\xe9 \x81 title here\n")
    source = Source("odd.txt", path)
    assert list(iter_lines(source)) == ["Caf\xe9 \x81 title here"]
    assert source.encoding == "latin-1"
    assert any("Latin-1" in warning for warning in source.warnings)


@pytest.mark.parametrize("second_codec", ["cp1252", "latin-1"])
def test_mojibake_is_repaired_with_a_warning(tmp_path, second_codec):
    """UTF-8 text once opened as cp1252 (or Latin-1) and saved again as UTF-8."""
    garbled = DUMP.encode("utf-8").decode(second_codec, errors="replace").encode("utf-8")
    path = tmp_path / "garbled.txt"
    path.write_bytes(garbled)
    items, reader = _items(path)
    assert items[0].title == "Migrants in San José and Tapachula get help"
    assert items[0].body == "IOM helped migrants in Médico and Ñuñoa."
    assert any("repaired" in w and "2 line(s)" in w and "line 3" in w for w in reader.warnings)


def test_text_that_only_looks_like_mojibake_stays(tmp_path):
    path = tmp_path / "pt.txt"
    path.write_text(
        "S\u00c3O PAULO: a new office opens\n\nThe office \x80\u00c2 opened today.\n", "utf-8"
    )
    items, reader = _items(path)
    assert items[0].title == "S\u00c3O PAULO: a new office opens"
    assert items[0].body == "The office \x80\u00c2 opened today."  # no C1 control "repaired"
    assert reader.warnings == []


def test_a_file_utf8_then_cp1252_reads_right_in_both_parts(tmp_path):
    """Two pastes joined: each part keeps its accents, and the warning names the line."""
    path = tmp_path / "joined.txt"
    first = "Médico title\n\nBody in UTF-8 with “quotes”.\n" * 3000  # beyond one read chunk
    path.write_bytes(first.encode("utf-8") + "Ñuñoa “here”\n".encode("cp1252"))
    source = Source("joined.txt", path)
    lines = list(iter_lines(source))
    assert lines[0] == "Médico title" and lines[-1] == "Ñuñoa “here”"
    assert source.encoding == "utf-8+cp1252"
    assert source.warnings == [
        "joined.txt: not valid UTF-8 from line 9001 on; decoded as cp1252 from there "
        "(use --encoding to override)"
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_ends_split_across_read_chunks(tmp_path, newline):
    """A CR LF pair cut by a chunk boundary is one line end, not two."""
    path = tmp_path / "ends.txt"
    lines = [f"line {n} " + "x" * (n % 97) for n in range(40_000)]
    path.write_bytes(newline.join(lines).encode("utf-8") + newline.encode())
    assert list(iter_lines(Source("ends.txt", path))) == lines


@pytest.mark.parametrize(
    ("payload", "what"),
    [(b"%PDF-1.7\n...", "PDF"), (b"PK\x03\x04rest", "ZIP"), (b"abc\x00\x00\x00\x01\x02", "NUL")],
)
def test_binary_inputs_are_refused_and_others_still_read(tmp_path, payload, what):
    bad = tmp_path / "a_bad.txt"
    bad.write_bytes(payload)
    good = tmp_path / "b_good.txt"
    good.write_text(DUMP, "utf-8")
    reader = InputReader([str(bad), str(good)])
    items = list(reader.items())
    assert len(items) == 1
    assert len(reader.errors) == 1 and what in reader.errors[0] and "a_bad.txt" in reader.errors[0]


def test_empty_file_warns_and_gives_no_items(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    items, reader = _items(path)
    assert items == [] and reader.errors == []
    assert any("empty" in w for w in reader.warnings)


def test_cr_only_newlines(tmp_path):
    path = tmp_path / "mac.txt"
    path.write_bytes(DUMP.replace("\n", "\r").encode("utf-8"))
    source = Source("mac.txt", path)
    assert list(iter_lines(source))[:3] == [
        "8 March, 2019",
        "",
        "Migrants in San José and Tapachula get help",
    ]


def test_directories_recurse_and_globs_expand(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("sub/b.txt", "a.txt", "skip.pdf"):
        (tmp_path / name).write_text(DUMP, "utf-8")
    names = [name for name, _ in expand_inputs([str(tmp_path)])]
    assert [n.rsplit("/", 2)[-1] for n in names] == ["a.txt", "b.txt"]
    assert len(list(expand_inputs([str(tmp_path / "*.txt")]))) == 1


@pytest.mark.parametrize("arg", ["missing.txt", "nothing/*.txt"])
def test_missing_inputs_raise_a_clear_error(tmp_path, arg):
    with pytest.raises(InputError, match="no such file|no file matches"):
        list(expand_inputs([str(tmp_path / arg)]))


def test_items_table_jsonl_roundtrip_and_bad_line(tmp_path):
    good = tmp_path / "items.jsonl"
    good.write_text(
        '{"item_id": "x-1", "title": "T", "body": "B", "date": "2019-01-02"}\n', "utf-8"
    )
    items, _ = _items(good)
    assert (items[0].item_id, items[0].date, items[0].title) == ("x-1", "2019-01-02", "T")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"item_id": "x-1", "title": "T", "body": "B"}\n{oops\n', "utf-8")
    _, reader = _items(bad)
    assert reader.errors and "bad.jsonl:2:" in reader.errors[0]


def test_same_file_name_in_two_folders_gives_unique_ids(tmp_path):
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "dump.txt").write_text(DUMP, "utf-8")
    ids = [i.item_id for i in InputReader([str(tmp_path)]).items()]
    assert len(ids) == len(set(ids)) == 2


def test_source_summaries_hold_issue_metadata_and_failures(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("Migration Newsletter, Issue 12\n\n" + DUMP, "utf-8")
    bad = tmp_path / "b.txt"
    bad.write_bytes(b"%PDF-1.4 binary")
    reader = InputReader([str(good), str(bad)])
    list(reader.rows())
    first, second = reader.summaries
    assert (first.items, first.header, first.first_date) == (
        1,
        "Migration Newsletter, Issue 12",
        "2019-03-08",
    )
    assert first.encoding == "utf-8" and first.status == "ok"
    assert second.status == "failed" and "PDF" in (second.error or "")
