"""What a person sees: highlight and stats rendered to a recording rich console; the terminal
environment (colour only on a terminal, NO_COLOR, TERM=dumb, --no-color, pager, progress)."""

from __future__ import annotations

import io
import json
import sys

import pytest
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from bulletin_tools.cli import app
from bulletin_tools.console import Environment, PipeConsole
from bulletin_tools.highlight import (
    TABLE_STYLES,
    cluster_note,
    highlight_report,
    mark_text,
    mention_styles,
    mention_tables,
)
from bulletin_tools.models import Item
from bulletin_tools.stats import render_summary, summarise
from bulletin_tools.tables import build_tables

from .conftest import SAMPLES

runner = CliRunner()

TITLE = "Floods in Tete displace 1,200 people"
BODY = "On 12 May 2019 rains hit Tete, Mozambique.\n\nAbout 1,200 people moved by 14 May."


def _item(item_id: str, source: str, position: int, date: str | None, title: str, body: str):
    return Item(item_id, source, position, date, title, body, 1, 3).to_row()


def _mention(item_id: str, field: str, text: str, needle: str, **extra) -> dict:
    start = text.index(needle)
    return {"item_id": item_id, "field": field, "start": start, "end": start + len(needle)} | {
        "text": needle,
        **extra,
    }


@pytest.fixture
def tables() -> dict[str, list[dict]]:
    """Hand-made tables: two copies of one story, one undated item, three mention tables."""
    items = [
        _item("a-0001", "a.txt", 1, "2019-05-14", TITLE, BODY),
        _item("b-0001", "b.txt", 1, "2019-05-20", TITLE, BODY),
        _item("b-0002", "b.txt", 2, None, "Cyclone season ends", "Nothing dated here."),
    ]
    dates = [
        _mention("a-0001", "body", BODY, "12 May 2019", date_start="2019-05-12"),
        _mention("a-0001", "body", BODY, "14 May", date_start="2019-05-14"),
    ]
    places = [
        _mention("a-0001", "title", TITLE, "Tete", name="Tete", country="Mozambique"),
        _mention("a-0001", "body", BODY, "Tete", name="Tete", country="Mozambique"),
        _mention("a-0001", "body", BODY, "Mozambique", name="Mozambique", country="Mozambique"),
    ]
    figures = [
        _mention("a-0001", "title", TITLE, "1,200", value=1200, unit="people"),
        _mention("b-0002", "body", "Nothing dated here.", "here", value=7, unit="x"),
    ]
    clusters = [
        {"item_id": "a-0001", "cluster_id": "c1", "canonical_item_id": "a-0001",
         "is_canonical": True, "cluster_size": 2, "reason": "canonical"},
        {"item_id": "b-0001", "cluster_id": "c1", "canonical_item_id": "a-0001",
         "is_canonical": False, "cluster_size": 2, "reason": "exact"},
        {"item_id": "b-0002", "cluster_id": "c2", "canonical_item_id": "b-0002",
         "is_canonical": True, "cluster_size": 1, "reason": "unique"},
    ]  # fmt: skip
    return {
        "items": items,
        "noise": [],
        "clusters": clusters,
        "dates": dates,
        "places": places,
        "figures": figures,
    }


def recording(width: int = 100, color: bool = True) -> Console:
    return Console(
        record=True,
        width=width,
        file=io.StringIO(),
        force_terminal=color,
        color_system="truecolor" if color else None,
    )


def render(parts, *, color: bool = False, width: int = 100) -> str:
    """Print renderables one by one (as the commands do) and return the plain text."""
    console = recording(width=width, color=color)
    for part in parts:
        console.print(part)
    return console.export_text()


def styled(text: Text, style: str) -> list[str]:
    """The pieces of `text` that carry `style`."""
    return [text.plain[span.start : span.end] for span in text.spans if str(span.style) == style]


def texts_in(renderable) -> list[Text]:
    """Every Text inside a renderable (Group trees)."""
    if isinstance(renderable, Text):
        return [renderable]
    return [t for part in getattr(renderable, "renderables", []) for t in texts_in(part)]


# --- highlight ----------------------------------------------------------------------------------


def test_highlight_colours_each_table_and_starts_with_a_legend(tables):
    parts = list(highlight_report(tables, color=True))
    legend = parts[0]
    assert legend.plain.startswith("Legend: dates 2  places 3  figures 2")
    for name in ("dates", "places", "figures"):
        assert styled(legend, TABLE_STYLES[name]) == [name]
    texts = [t for part in parts[1:] for t in texts_in(part)]
    title = next(t for t in texts if t.plain == TITLE)
    body = next(t for t in texts if t.plain == BODY)
    assert styled(title, TABLE_STYLES["places"]) == ["Tete"]
    assert styled(title, TABLE_STYLES["figures"]) == ["1,200"]
    assert styled(body, TABLE_STYLES["dates"]) == ["12 May 2019", "14 May"]
    assert styled(body, TABLE_STYLES["places"]) == ["Tete", "Mozambique"]

    console = recording()
    console.print(*parts)
    ansi = console.export_text(styles=True, clear=False)
    assert "\x1b[1;36m12 May 2019\x1b[0m" in ansi  # bold cyan reaches the terminal
    plain = console.export_text()
    assert "cluster c1: 2 copies (canonical)" in plain
    assert "cluster c1: 2 copies, copy of a-0001" in plain
    assert "b-0002" in plain and "undated" in plain and "unique" in plain


def test_highlight_without_colour_marks_mentions_in_brackets(tables):
    console = recording(color=False)
    console.print(*highlight_report(tables, color=False))
    out = console.export_text()
    assert "\x1b" not in console.export_text(styles=True, clear=False)
    assert "Legend: [[text]]{dates} 2  [[text]]{places} 3  [[text]]{figures} 2" in out
    assert "Floods in [[Tete]]{places} displace [[1,200]]{figures} people" in out
    assert "On [[12 May 2019]]{dates} rains hit [[Tete]]{places}, [[Mozambique]]{places}." in out


def test_a_date_line_that_is_the_title_line_is_not_shown_twice():
    dated_title = {**_item("d-0001", "d.txt", 1, "2021-03-12", "Floods hit Tete", "Rains."),
                   "date_line": "12/03/2021 - Floods hit Tete"}  # fmt: skip
    own_line = {**_item("d-0002", "d.txt", 2, "2021-03-10", "Clinic opens", "It opened."),
                "date_line": "10 March 2021"}  # fmt: skip
    out = render(highlight_report({"items": [dated_title, own_line]}, color=False))
    assert "12/03/2021 - Floods hit Tete" not in out and "Floods hit Tete" in out
    assert "10 March 2021" in out


def test_a_new_mention_table_plugs_in_with_a_spare_colour(tables):
    tables["organisations"] = [_mention("a-0001", "body", BODY, "rains")]
    tables["not_mentions"] = [{"item_id": "a-0001", "value": 3}]
    found = mention_tables(tables)
    assert list(found) == ["dates", "places", "figures", "organisations"]
    styles = mention_styles(list(found))
    assert len(set(styles.values())) == 4
    legend = next(iter(highlight_report(tables)))
    assert "organisations 1" in legend.plain


def test_mentions_whose_offsets_miss_their_text_are_flagged(tables):
    tables["dates"].append({"item_id": "a-0001", "field": "body", "start": 0, "end": 2,
                            "text": "no"})  # fmt: skip
    out = render(highlight_report(tables, color=False))
    assert "1 mention(s) point off their text" in " ".join(out.split())


def test_marks_never_cross_without_colour():
    text = "from 1 to 2 May 2019"
    spans = [(5, 20, "dates"), (10, 20, "dates"), (5, 6, "figures")]
    out = mark_text(text, spans, {"dates": "cyan", "figures": "red"}, color=False)
    assert out.plain == "from [[1 to 2 May 2019]]{dates}"


def test_highlight_limit_and_legend_without_mention_tables(tables):
    only_items = {"items": tables["items"]}
    out = render(highlight_report(only_items, color=False, limit=1))
    assert "no mention tables yet" in out
    assert "a-0001" in out and "b-0001" not in out


def test_cluster_note_from_item_row_when_no_clusters_table():
    assert (
        cluster_note({"cluster_id": "c9", "is_canonical": True}, None) == "cluster c9 (canonical)"
    )
    assert cluster_note({"cluster_id": None}, None) == ""


def test_highlight_on_the_samples_marks_every_mention_table():
    from bulletin_tools.pipeline import InputReader

    items = list(InputReader([str(SAMPLES)]).items())
    tables = build_tables(items, [])
    mentions = mention_tables(tables)
    out = render(highlight_report(tables, color=False), width=120)
    assert f"{len(items)} items" in out
    for name, rows in mentions.items():  # degrade gracefully: only tables that exist
        assert f"{{{name}}} {len(rows)}" in out
        if rows:
            assert f"]]{{{name}}}" in out
    assert "point off their text" not in out


# --- stats --------------------------------------------------------------------------------------


def test_summarise_counts_everything(tables):
    s = summarise(tables)
    assert s.items == 3
    a, b = s.sources
    assert (a.source, a.items, a.dated, a.first_date, a.last_date) == (
        "a.txt", 1, 1, "2019-05-14", "2019-05-14"
    )  # fmt: skip
    assert (b.items, b.dated, b.mentions) == (2, 1, {"dates": 0, "places": 0, "figures": 1})
    assert s.clusters == 1 and s.clustered_items == 2
    assert s.biggest_clusters[0]["title"] == TITLE and s.biggest_clusters[0]["sources"] == 2
    places, countries = s.rankings
    assert places.rows == [("Tete", 2), ("Mozambique", 1)]
    assert countries.column == "country" and countries.rows == [("Mozambique", 3)]
    assert [row["value"] for row in s.largest[0].rows] == [1200, 7]
    assert s.undated == 1 and s.no_date_line == 1
    assert s.undated_examples[0]["item_id"] == "b-0002"


def test_stats_render_one_screen_of_rich_tables(tables):
    console = recording(width=100)
    console.print(render_summary(summarise(tables)))
    out = console.export_text()
    for heading in (
        "3 items from 2 sources",
        "Items per source",
        "Duplicate clusters: 1, holding 2 items",
        "Most-mentioned places",
        "Most-mentioned countries",
        "Largest figures",
        "Undated items: 1",
    ):
        assert heading in out, heading
    assert "1,200" in out and "Cyclone season ends" in out
    assert len(out.splitlines()) <= 60


def test_stats_stay_one_screen_with_many_sources():
    items = [_item(f"s{k}-1", f"s{k:03d}.txt", 1, "2019-01-01", "T", "B") for k in range(200)]
    console = recording(width=100)
    console.print(render_summary(summarise({"items": items})))
    out = console.export_text()
    assert "188 more" in out and "Duplicate clusters: not computed" in out
    assert len(out.splitlines()) <= 40


def test_stats_degrade_without_mention_tables(tables):
    s = summarise({"items": tables["items"]})
    assert s.clusters is None and s.rankings == [] and s.largest == [] and s.mention_counts == {}
    assert s.undated == 1


# --- the terminal environment -------------------------------------------------------------------


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("tty", "no_color", "env", "expected"),
    [
        (True, False, {}, True),
        (False, False, {}, False),
        (True, True, {}, False),
        (True, False, {"NO_COLOR": "1"}, False),
        (True, False, {"NO_COLOR": ""}, False),
        (True, False, {"TERM": "dumb"}, False),
    ],
)
def test_colour_only_on_a_terminal(monkeypatch, tty, no_color, env, expected):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    out = FakeTTY() if tty else io.StringIO()
    environment = Environment(stdout=out, no_color=no_color)
    assert environment.stdout_color is expected


def test_progress_only_on_a_terminal_and_not_quiet(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    assert Environment(stderr=FakeTTY()).show_progress
    assert not Environment(stderr=FakeTTY(), quiet=True).show_progress
    assert not Environment(stderr=io.StringIO()).show_progress
    quiet_err = io.StringIO()
    with Environment(stderr=quiet_err).status("working") as status:
        status.update("still working")
    assert quiet_err.getvalue() == ""


def test_messages_respect_quiet_and_verbose():
    err = io.StringIO()
    env = Environment(stderr=err, verbose=True)
    env.detail("timing")
    env.warn("careful")
    Environment(stderr=err, quiet=True, verbose=True).detail("hidden")
    Environment(stderr=err, quiet=True).warn("hidden")
    Environment(stderr=err).detail("hidden")
    assert err.getvalue() == "timing\nbulletin-tools: warning: careful\n"


def test_pager_is_used_only_for_long_output_on_a_terminal(monkeypatch, tmp_path):
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"{sys.executable} -c \"import sys; open(r'{paged}', 'w')"
                                ".write(sys.stdin.read())\"")  # fmt: skip
    monkeypatch.setenv("LINES", "10")
    out = FakeTTY()
    Environment(stdout=out).page("short\n")
    assert out.getvalue() == "short\n" and not paged.exists()
    Environment(stdout=out).page("line\n" * 50)
    assert paged.read_text() == "line\n" * 50
    pipe = io.StringIO()
    Environment(stdout=pipe).page("line\n" * 50)
    assert pipe.getvalue() == "line\n" * 50


@pytest.mark.parametrize("pager", ["", "cat", "no-such-pager-program"])
def test_unusable_pager_prints_directly(monkeypatch, pager):
    monkeypatch.setenv("PAGER", pager)
    monkeypatch.setenv("LINES", "5")
    out = FakeTTY()
    Environment(stdout=out).page("line\n" * 20)
    assert out.getvalue() == "line\n" * 20


def test_closed_pipe_raises_instead_of_exiting():
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    with pytest.raises(BrokenPipeError):
        PipeConsole(file=Closed()).print("x")


# --- the commands (CliRunner) -------------------------------------------------------------------


def test_highlight_command_on_samples():
    result = runner.invoke(app, ["highlight", str(SAMPLES), "-n", "3"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Legend: ")
    assert result.stdout.count("\n== ") == 3
    assert "\x1b[" not in result.stdout


def test_stats_command_on_samples_and_json():
    result = runner.invoke(app, ["stats", str(SAMPLES)])
    assert result.exit_code == 0, result.output
    assert "46 items from 5 sources" in result.stdout and "Items per source" in result.stdout
    as_json = runner.invoke(app, ["stats", str(SAMPLES), "--json"])
    assert as_json.exit_code == 0
    summary = json.loads(as_json.stdout)
    assert summary["items"] == 46 and len(summary["sources"]) == 5


@pytest.mark.parametrize("command", ["highlight", "stats"])
def test_report_commands_have_help_with_an_example(command):
    result = runner.invoke(app, [command, "-h"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_completion_is_offered():
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert "--install-completion" in result.output


def test_stats_headline_reports_encodings_and_failed_inputs(tables):
    tables["sources"] = [
        {"source": "a.txt", "encoding": "utf-8", "status": "ok", "error": None},
        {"source": "b.txt", "encoding": "cp1252", "status": "ok", "error": None},
        {"source": "c.txt", "encoding": None, "status": "failed", "error": "binary file"},
    ]
    s = summarise(tables)
    assert s.failed_inputs == [("c.txt", "binary file")]
    out = render([render_summary(s)])
    assert "decoded as cp1252 (1)" in out and "1 input(s) failed" in out
