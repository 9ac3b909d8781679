"""`bulletin-tools dedupe`: cluster repeated items; items table with cluster columns, and audits."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..dedupe_options import DedupeOptions
from ..errors import InputError
from ..export import format_for_path, write_table
from ..pipeline import InputReader
from ..schema import columns
from ..sources import expand_inputs
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

if TYPE_CHECKING:
    from ..dedupe_result import ClusterTable, DedupeResult
    from ..models import Item

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
    from ..dedupe import stream_clusters  # numpy: imported only when deduping

    args = inputs_or_usage(inputs, ctx)
    reader = InputReader(args, encoding, keep_spooled=True)
    options = DedupeOptions(
        min_jaccard=min_jaccard,
        min_containment=min_containment,
        min_title_similarity=min_title_similarity,
    )
    try:
        # Two passes: the first keeps only what matching needs, the second re-reads the inputs
        # and writes each item with its cluster, so no pass holds the items.
        result = stream_clusters(reader.items(), options, capacity=_input_bytes(args) // 2)
        emit(_annotated_rows(reader, result), "items", fmt, output, safe=safe)
    finally:
        reader.close()
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


def _annotated_rows(reader: InputReader, result: DedupeResult) -> Iterator[dict[str, Any]]:
    """The items read again, each with its cluster columns; raises if they changed."""
    table, count = result.table, 0
    block: list[Item] = []
    for item in reader.reread_items():
        block.append(item)
        if len(block) == 4096:
            yield from _labelled(block, table, count)
            count, block = count + len(block), []
    yield from _labelled(block, table, count)
    if count + len(block) != (len(table) if table is not None else 0):
        raise InputError(_CHANGED)


_CHANGED = "inputs changed while dedupe was reading them; run it again"


def _labelled(block: list[Item], table: ClusterTable | None, lo: int) -> Iterator[dict[str, Any]]:
    """Rows of a block of items re-read from position `lo`, with their cluster columns."""
    hi = lo + len(block)
    if not block:
        return
    if table is None or hi > len(table) or table.names(lo, hi) != [it.item_id for it in block]:
        raise InputError(_CHANGED)
    ids, canonical = table.labels(lo, hi)
    for item, cid, flag in zip(block, ids, canonical, strict=True):
        item.cluster_id, item.is_canonical = cid, flag
        yield item.to_row()


def _input_bytes(args: list[str]) -> int:
    """Total size of the input files (0 for stdin and what cannot be found): an upper bound
    on the text, so dedupe can reserve its shingle store instead of growing it."""
    total = 0
    for arg in args:
        with contextlib.suppress(InputError, OSError):
            total += sum(path.stat().st_size for _, path in expand_inputs([arg]) if path)
    return total
