"""Column names, types and meanings of every table, for `bulletin-tools schema` and the README."""

from __future__ import annotations

TABLES: dict[str, list[tuple[str, str, str]]] = {
    "items": [
        ("item_id", "text", "unique in a run, stable across runs: <file stem>-<position>"),
        ("source", "text", "file name of the dump (or <stdin>)"),
        ("position", "integer", "1-based order of the item in its source"),
        (
            "date",
            "date",
            "ISO date of the item's own date line (or of a date printed on its title line); "
            "empty when none",
        ),
        ("title", "text", "title line, without Markdown or list marks"),
        (
            "body",
            "text",
            "body lines; a paragraph's lines joined by a newline, paragraphs by a blank line",
        ),
        ("line_start", "integer", "first line of the item in the source (date line or title)"),
        (
            "line_end",
            "integer",
            "last line of the item in the source (body, or a date line closing it)",
        ),
        (
            "date_line",
            "text",
            "the line the date was read from, as printed (with any label; the whole title line "
            "when the date is printed on it), empty when none",
        ),
        ("cluster_id", "text", "duplicate cluster (after dedupe); empty before"),
        ("is_canonical", "boolean", "the cluster's canonical copy (after dedupe); empty before"),
    ],
    "noise": [
        ("source", "text", "file name of the dump"),
        ("line", "integer", "1-based line number in the source"),
        ("text", "text", "the line, whitespace normalised"),
        ("kind", "text", "header, heading, footer, chrome or separator"),
        ("reason", "text", "why the line is not part of an item"),
    ],
    "sources": [
        ("source", "text", "input as given (file path, or <stdin>)"),
        ("path", "text", "the file read"),
        (
            "encoding",
            "text",
            "the codec it was decoded with; two joined with + when the file changes encoding "
            "part way (utf-8+cp1252)",
        ),
        ("input_kind", "text", "dump, or items table (jsonl/csv/tsv)"),
        ("items", "integer", "items it gave"),
        ("noise_lines", "integer", "lines recorded in the noise table"),
        ("first_date", "date", "earliest item date line"),
        ("last_date", "date", "latest item date line"),
        ("header", "text", "newsletter header lines (issue-level metadata), joined by ' | '"),
        ("footer", "text", "newsletter footer lines, joined by ' | '"),
        ("status", "text", "ok or failed"),
        ("error", "text", "why it failed"),
    ],
    "clusters": [
        ("item_id", "text", "the item"),
        ("cluster_id", "text", "its duplicate cluster"),
        ("canonical_item_id", "text", "the cluster's canonical item"),
        ("is_canonical", "boolean", "true for the canonical item"),
        ("cluster_size", "integer", "number of items in the cluster"),
        ("reason", "text", "why the item joined (canonical, exact, same body, contained...)"),
        ("jaccard", "number", "shingle Jaccard similarity to the canonical item"),
        ("containment", "number", "share of the shorter body's shingles found in the longer"),
        ("title_similarity", "number", "rapidfuzz title similarity to the canonical item (0-1)"),
    ],
    "dates": [
        ("item_id", "text", "the item the mention is in"),
        ("source", "text", "file name of the dump"),
        ("position", "integer", "the item's position in its source"),
        ("field", "text", "title or body"),
        ("start", "integer", "start offset (Python str index) of the mention in the field"),
        ("end", "integer", "end offset (exclusive)"),
        ("text", "text", "the exact surface string"),
        ("date_start", "date", "first day of the interval (empty when the year is unresolved)"),
        ("date_end", "date", "last day of the interval"),
        ("granularity", "text", "day, month, quarter, half or year"),
        ("kind", "text", "date, range, list element, period or relative"),
        ("year_source", "text", "where the year came from (explicit, item date line, ...)"),
        ("partial", "text", "month and day (--MM-DD) when the year is unresolved"),
    ],
    "pairs": [
        ("item_id_a", "text", "first item of a verified candidate pair"),
        ("item_id_b", "text", "second item"),
        ("jaccard", "number", "shingle Jaccard similarity of the bodies"),
        ("containment", "number", "share of the smaller body's shingles found in the larger"),
        ("title_similarity", "number", "rapidfuzz similarity of the titles (0-1)"),
        ("decision", "text", "same or different"),
        ("reason", "text", "the rule that decided (exact, same_body, title_differs, ...)"),
    ],
    "timeml": [
        ("item_id", "text", "the item (document) the mention is in"),
        ("source", "text", "file name"),
        ("position", "integer", "the item's position in its source"),
        ("field", "text", "title or body"),
        ("start", "integer", "start offset of the mention in the field"),
        ("end", "integer", "end offset (exclusive)"),
        ("text", "text", "surface string, without a leading preposition"),
        ("type", "text", "TIMEX3 type (DATE)"),
        ("value", "text", "TIMEX3 value (2019-05-16, 2019-05, 2019-Q3, 2019-W21, PRESENT_REF...)"),
    ],
}


# The machine types used above: writers of typed formats (sqlite, xlsx, parquet) map each one.
COLUMN_TYPES = {
    "text": "a string (CSV: as is; sqlite TEXT; parquet string)",
    "integer": "a whole number (sqlite INTEGER; parquet int64)",
    "number": "a decimal number (sqlite REAL; parquet double)",
    "boolean": "true/false (CSV: true/false; sqlite 0/1; parquet bool)",
    "date": "an ISO day YYYY-MM-DD (sqlite TEXT; xlsx a real date; parquet date32)",
}


def columns(table: str) -> list[str]:
    return [name for name, _, _ in TABLES[table]]


def column_types(table: str) -> list[str]:
    """Machine types of a table's columns, in column order (one of COLUMN_TYPES)."""
    return [kind for _, kind, _ in TABLES[table]]


def schema_markdown() -> str:
    """The README's schema section, generated so the docs cannot drift from the code."""
    parts = []
    for table, cols in TABLES.items():
        parts.append(f"### `{table}`\n\n| column | type | meaning |\n|---|---|---|\n")
        parts.extend(f"| `{name}` | {kind} | {meaning} |\n" for name, kind, meaning in cols)
        parts.append("\n")
    return "".join(parts)
