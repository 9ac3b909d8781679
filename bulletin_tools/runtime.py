"""Process-wide settings for batch runs (the CLI applies them; library callers may too)."""

from __future__ import annotations

import gc

GC_FIRST_GENERATION = 10_000


def use_batch_gc() -> None:
    """Collect the youngest GC generation every 10,000 allocations instead of every 700.

    Parsing allocates millions of short-lived objects that reference counting frees at once;
    with the default threshold the cyclic collector still runs hundreds of times per 20 MB and
    takes about a tenth of parse time (measured with `gc.callbacks`). Batch tools such as mypy
    raise the threshold for the same reason. Memory is unaffected in practice: our objects
    form no reference cycles, so they never wait for the collector.
    """
    first, second, third = gc.get_threshold()
    gc.set_threshold(max(GC_FIRST_GENERATION, first), second, third)
