"""`bulletin-tools dedupe`: cluster repeated items; items table with cluster columns, and audits."""

from __future__ import annotations

from typing import Annotated

import typer

from ..dedupe_options import DedupeOptions
from ..export import format_for_path, write_table
from ..pipeline import InputReader
from ..schema import columns
from .base import (
    ENV,
    EncodingOpt,
    FormatOpt,
    InputsArg,
    OutputOpt,
    SafeOpt,
    app,
    emit,
    finish,
    inputs_or_usage,
)

DEFAULTS = DedupeOptions()


@app.command("dedupe")
def dedupe_command(
    ctx: typer.Context,
    inputs: InputsArg = None,
    output: OutputOpt = None,
    fmt: FormatOpt = None,
    encoding: EncodingOpt = None,
    clusters: Annotated[
        str | None, typer.Option("--clusters", help="Write the clusters table to FILE.")
    ] = None,
    pairs: Annotated[
        str | None,
        typer.Option("--pairs", help="Write every verified candidate pair (scores, decision)."),
    ] = None,
    min_jaccard: Annotated[
        float, typer.Option(help="Same story whatever the titles at this shingle Jaccard.")
    ] = DEFAULTS.min_jaccard,
    min_containment: Annotated[
        float, typer.Option(help="Same story, titles alike, when this share of one is in other.")
    ] = DEFAULTS.min_containment,
    min_title_similarity: Annotated[
        float, typer.Option(help="Titles count as alike at this rapidfuzz ratio (0-1).")
    ] = DEFAULTS.min_title_similarity,
    safe: SafeOpt = False,
) -> None:
    """Cluster repeated items (verbatim or lightly edited) and mark one canonical copy.

    Example: bulletin-tools dedupe data/samples/ -f jsonl --clusters clusters.csv --pairs pairs.csv
    """
    from ..dedupe import find_duplicate_clusters  # numpy: imported only when deduping

    reader = InputReader(inputs_or_usage(inputs, ctx), encoding)
    options = DedupeOptions(
        min_jaccard=min_jaccard,
        min_containment=min_containment,
        min_title_similarity=min_title_similarity,
    )
    result = find_duplicate_clusters(list(reader.items()), options)
    emit((item.to_row() for item in result.items), "items", fmt, output, safe=safe)
    if clusters:
        rows = (row.to_row() for row in result.clusters)
        write_table(rows, columns("clusters"), format_for_path(clusters), clusters, safe=safe)
    if pairs:
        rows = (row.to_row() for row in result.iter_pairs())
        write_table(rows, columns("pairs"), format_for_path(pairs), pairs, safe=safe)
    for block in result.oversized_blocks:
        ENV.warn(
            f"{block.kind} block of {block.size} items skipped as boilerplate "
            f"(e.g. {', '.join(block.example_item_ids[:3])})"
        )
    finish(reader)
