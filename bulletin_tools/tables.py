"""The one-shot pipeline's stages: items -> every table (items, noise, clusters, mentions).

`run` and anything else that needs all tables calls `build_tables`; each later capability adds
its table here, so writers and reports never need to know how a table is made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .dedupe_options import DedupeOptions
from .extract import EXTRACTORS, ExtractOptions, extract
from .models import Item, NoiseLine, SourceSummary


@dataclass
class PipelineOptions:
    """Options of every stage, with the CLI's defaults."""

    dedupe: DedupeOptions | None = field(default_factory=DedupeOptions)  # None: skip dedupe
    extract: tuple[str, ...] = tuple(EXTRACTORS)  # mention tables to build
    extract_options: ExtractOptions = field(default_factory=ExtractOptions)


def build_tables(
    items: list[Item],
    noise: Iterable[NoiseLine],
    options: PipelineOptions | None = None,
    sources: Iterable[SourceSummary] = (),
) -> dict[str, list[dict]]:
    """Every table, in the order they are written: items first, then what refers to items."""
    options = options or PipelineOptions()
    tables: dict[str, list[dict]] = {}
    clusters: list[dict] | None = None
    if options.dedupe is not None:
        from .dedupe import find_duplicate_clusters  # numpy: imported only when deduping

        result = find_duplicate_clusters(items, options.dedupe)
        items = result.items
        clusters = [row.to_row() for row in result.clusters]
    tables["items"] = [item.to_row() for item in items]
    tables["noise"] = [line.to_row() for line in noise]
    summaries = [summary.to_row() for summary in sources]
    if summaries:
        tables["sources"] = summaries
    if clusters is not None:
        tables["clusters"] = clusters
    for kind in options.extract:
        mentions = extract(kind, items, options.extract_options)
        tables[kind] = [mention.to_row() for mention in mentions]
    return tables
