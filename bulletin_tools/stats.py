"""A one-screen summary of every table: sources and their date ranges, duplicate clusters, the
most-mentioned values of each mention table, the largest figures, undated items.

`summarise` computes plain data; `render_summary` turns it into rich tables (it never prints).
Mention tables are found generically (see `highlight.mention_tables`); what is ranked in each is
set in `RANKINGS` and `LARGEST`, whose column lists are tried in order, so a table plugs in by
naming its columns here.

>>> s = summarise({"items": [{"item_id": "a-1", "source": "a.txt", "date": "2019-05-01"}]})
>>> (s.items, s.sources[0].first_date, s.undated)
(1, '2019-05-01', 0)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .highlight import mention_styles, mention_tables

__all__ = ["LARGEST", "RANKINGS", "Summary", "render_summary", "summarise"]

Row = Mapping[str, Any]
TOP = 5
MAX_SOURCES = 12  # source rows shown (the rest are summed in one row) to keep one screen
# (table, heading, columns to rank by: the first one present in the table is used)
RANKINGS: list[tuple[str, str, tuple[str, ...]]] = [
    ("places", "Most-mentioned places", ("name", "place", "normalised", "text")),
    ("places", "Most-mentioned countries", ("country", "country_name", "country_code", "iso3")),
]
# (table, heading, numeric value column, columns shown beside it)
LARGEST: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
    ("figures", "Largest figures", ("value", "number", "amount"), ("text", "unit", "kind")),
]
UTF8 = ("utf-8", "utf-8-sig", "utf8")
SKIP_GENERIC_RANKING = {"dates", "figures"}  # dates are summarised as ranges, figures by value


@dataclass
class SourceStats:
    source: str
    items: int = 0
    dated: int = 0
    first_date: str | None = None
    last_date: str | None = None
    mentions: dict[str, int] = field(default_factory=dict)


@dataclass
class Ranking:
    table: str
    heading: str
    column: str
    rows: list[tuple[str, int]]  # (value, mentions), most first


@dataclass
class Largest:
    table: str
    heading: str
    columns: list[str]
    rows: list[dict[str, Any]]


@dataclass
class Summary:
    items: int
    sources: list[SourceStats]
    mention_counts: dict[str, int]
    clusters: int | None  # clusters with copies; None when dedupe has not run
    clustered_items: int
    biggest_clusters: list[dict[str, Any]]
    rankings: list[Ranking]
    largest: list[Largest]
    undated: int  # items with no date line and no resolved date mention
    no_date_line: int
    undated_examples: list[dict[str, Any]]
    failed_inputs: list[tuple[str, str]] = field(default_factory=list)  # (input, why)
    encodings: dict[str, int] = field(default_factory=dict)  # inputs per codec, from `sources`


def summarise(tables: Mapping[str, Sequence[Row]], top: int = TOP) -> Summary:
    """Every figure the summary shows, from whatever tables exist."""
    items = tables.get("items", [])
    mentions = mention_tables(tables)
    clusters = tables.get("clusters")
    dated_by_mention = {
        row["item_id"] for row in mentions.get("dates", []) if row.get("date_start")
    }
    undated = [item for item in items if not item.get("date")]
    no_date = [item for item in undated if item["item_id"] not in dated_by_mention]
    with_copies = _clusters_with_copies(clusters or [], items)
    return Summary(
        items=len(items),
        sources=_sources(items, mentions),
        mention_counts={name: len(rows) for name, rows in mentions.items()},
        clusters=None if clusters is None else len(with_copies),
        clustered_items=sum(c["size"] for c in with_copies),
        biggest_clusters=with_copies[:top],
        rankings=_rankings(mentions, top),
        largest=_largest(mentions, top),
        undated=len(no_date),
        no_date_line=len(undated),
        undated_examples=[_brief(item) for item in no_date[:top]],
        failed_inputs=[
            (str(row.get("source")), str(row.get("error") or ""))
            for row in tables.get("sources", [])
            if row.get("status") == "failed"
        ],
        encodings=dict(
            Counter(
                str(row["encoding"]) for row in tables.get("sources", []) if row.get("encoding")
            )
        ),
    )


def _sources(items: Sequence[Row], mentions: Mapping[str, Sequence[Row]]) -> list[SourceStats]:
    stats: dict[str, SourceStats] = {}
    for item in items:
        s = stats.setdefault(str(item.get("source")), SourceStats(str(item.get("source"))))
        s.items += 1
        day = item.get("date")
        if day:
            s.dated += 1
            s.first_date = min(s.first_date or day, day)
            s.last_date = max(s.last_date or day, day)
    source_of = {item["item_id"]: str(item.get("source")) for item in items}
    for name, rows in mentions.items():
        for s in stats.values():
            s.mentions[name] = 0
        for row in rows:
            source = source_of.get(row["item_id"])
            if source in stats:
                stats[source].mentions[name] += 1
    return list(stats.values())


def _clusters_with_copies(clusters: Sequence[Row], items: Sequence[Row]) -> list[dict[str, Any]]:
    """Clusters holding more than one item, biggest first (then by id, for stable output)."""
    by_id = {item["item_id"]: item for item in items}
    members: dict[str, list[Row]] = defaultdict(list)
    for row in clusters:
        members[row["cluster_id"]].append(row)
    found = []
    for cluster_id, rows in members.items():
        if len(rows) < 2:
            continue
        canonical = next((r for r in rows if r.get("is_canonical")), rows[0])
        item = by_id.get(canonical.get("canonical_item_id") or canonical["item_id"], {})
        sources = {by_id.get(r["item_id"], {}).get("source") for r in rows}
        found.append(
            {
                "cluster_id": cluster_id,
                "size": len(rows),
                "sources": len(sources),
                "canonical": canonical.get("canonical_item_id") or canonical["item_id"],
                "title": item.get("title", ""),
            }
        )
    found.sort(key=lambda c: (-c["size"], c["cluster_id"]))
    return found


def _rankings(mentions: Mapping[str, Sequence[Row]], top: int) -> list[Ranking]:
    """Configured rankings, plus 'most-mentioned <table>' by text for unconfigured tables."""
    wanted = [r for r in RANKINGS if r[0] in mentions]
    configured = {table for table, _, _ in RANKINGS}
    wanted += [
        (name, f"Most-mentioned {name}", ("text",))
        for name in mentions
        if name not in configured and name not in SKIP_GENERIC_RANKING
    ]
    out = []
    for table, heading, candidates in wanted:
        rows = mentions[table]
        column = _first_column(rows, candidates)
        if column is None:
            continue
        counts = Counter(str(row[column]) for row in rows if row.get(column) not in (None, ""))
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        out.append(Ranking(table, heading, column, ranked))
    return out


def _largest(mentions: Mapping[str, Sequence[Row]], top: int) -> list[Largest]:
    out = []
    for table, heading, value_columns, shown in LARGEST:
        rows = mentions.get(table)
        if rows is None:
            continue
        column = _first_column(rows, value_columns)
        if column is None:
            continue
        numeric = [
            (number, row) for row in rows if (number := _number(row.get(column))) is not None
        ]
        numeric.sort(key=lambda pair: -pair[0])
        columns = [column] + [c for c in shown if rows and c in rows[0]] + ["item_id"]
        out.append(Largest(table, heading, columns, [dict(r) for _, r in numeric[:top]]))
    return out


def _first_column(rows: Sequence[Row], candidates: Sequence[str]) -> str | None:
    if not rows:
        return None
    return next((c for c in candidates if c in rows[0]), None)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _brief(item: Row) -> dict[str, Any]:
    return {key: item.get(key) for key in ("item_id", "source", "title")}


# --- rendering ---------------------------------------------------------------------------------


def render_summary(summary: Summary) -> Group:
    """The summary as rich tables, compact enough for one screen."""
    styles = mention_styles(list(summary.mention_counts))
    parts: list[RenderableType] = [_headline(summary, styles), _sources_table(summary, styles)]
    parts.append(_clusters_table(summary))
    parts += [_ranking_table(r, styles) for r in summary.rankings]
    parts += [_largest_table(x, styles) for x in summary.largest]
    parts.append(_undated_table(summary))
    return Group(*(p for p in parts if p is not None))


def _headline(summary: Summary, styles: Mapping[str, str]) -> Text:
    text = Text(f"{summary.items} items from {len(summary.sources)} sources", style="bold")
    if summary.clusters is not None:
        text.append(f" \u00b7 {summary.clusters} duplicate clusters")
        text.append(f" ({summary.clustered_items} items)", style="dim")
    for name, count in summary.mention_counts.items():
        text.append(" \u00b7 ")
        text.append(f"{count} {name}", style=styles[name])
    text.append(f" \u00b7 {summary.undated} undated")
    others = {codec: n for codec, n in summary.encodings.items() if codec not in UTF8}
    if others:
        text.append(" \u00b7 decoded as " + ", ".join(f"{c} ({n})" for c, n in others.items()))
    if summary.failed_inputs:
        text.append(f" \u00b7 {len(summary.failed_inputs)} input(s) failed", style="bold red")
    return text


def _table(title: str, *columns: str, numeric: Sequence[str] = ()) -> Table:
    """A compact table; a 'title' column takes the spare width and is cut with an ellipsis."""
    flexible = "title" in columns[-1]
    table = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1), expand=flexible
    )
    table.title_style = "bold"
    for column in columns:
        right = column in numeric
        table.add_column(column, justify="right" if right else "left", no_wrap=True)
    if flexible:
        table.columns[-1].overflow = "ellipsis"
        table.columns[-1].ratio = 1
    return table


def _sources_table(summary: Summary, styles: Mapping[str, str]) -> Table:
    names = list(summary.mention_counts)
    table = _table(
        "Items per source",
        "source",
        "items",
        "dated",
        "from",
        "to",
        *names,
        numeric=("items", "dated", *names),
    )
    for s in summary.sources[:MAX_SOURCES]:
        cells = [s.source, str(s.items), str(s.dated), s.first_date or "", s.last_date or ""]
        cells += [str(s.mentions.get(name, 0)) for name in names]
        table.add_row(*cells)
    hidden = summary.sources[MAX_SOURCES:]
    if hidden:
        cells = [f"\u2026 {len(hidden)} more", str(sum(s.items for s in hidden))]
        cells += [str(sum(s.dated for s in hidden)), "", ""]
        cells += [str(sum(s.mentions.get(name, 0) for s in hidden)) for name in names]
        table.add_row(*cells, style="dim")
    for k, name in enumerate(names):
        table.columns[5 + k].header_style = styles[name]
    return table


def _clusters_table(summary: Summary) -> RenderableType:
    if summary.clusters is None:
        return Text("Duplicate clusters: not computed", style="dim")
    if not summary.biggest_clusters:
        return Text("Duplicate clusters: none", style="dim")
    title = f"Duplicate clusters: {summary.clusters}, holding {summary.clustered_items} items"
    table = _table(
        title, "cluster", "copies", "sources", "canonical title", numeric=("copies", "sources")
    )
    for c in summary.biggest_clusters:
        table.add_row(c["cluster_id"], str(c["size"]), str(c["sources"]), _short(c["title"], 200))
    return table


def _ranking_table(ranking: Ranking, styles: Mapping[str, str]) -> Table:
    table = _table(ranking.heading, ranking.column, "mentions", numeric=("mentions",))
    for value, count in ranking.rows:
        table.add_row(Text(_short(value), style=styles.get(ranking.table, "")), str(count))
    return table


def _largest_table(largest: Largest, styles: Mapping[str, str]) -> Table:
    table = _table(largest.heading, *largest.columns, numeric=largest.columns[:1])
    for row in largest.rows:
        cells = [_short(_format(row.get(c))) for c in largest.columns]
        cells[0] = Text(cells[0], style=styles.get(largest.table, ""))
        table.add_row(*cells)
    return table


def _undated_table(summary: Summary) -> RenderableType:
    title = f"Undated items: {summary.undated} ({summary.no_date_line} without a date line)"
    if not summary.undated_examples:
        return Text(title, style="dim")
    table = _table(title, "item", "title")
    for item in summary.undated_examples:
        table.add_row(str(item["item_id"]), _short(str(item.get("title") or ""), 200))
    return table


def _format(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"
