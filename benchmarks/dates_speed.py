"""Throughput of `find_dates` beside dateparser's `search_dates`, and linear scaling n vs 4n.

The corpus is the sample dumps concatenated to about `--mb` megabytes. Scaling is checked both
per item (paragraph by paragraph) and on one long text.

    python benchmarks/dates_speed.py [--mb 5] [--peer-kb 100]

Times are CPU seconds (time.process_time) with wall seconds beside them: the machine may be
shared. dateparser is slow, so it runs on a prefix of the corpus (`--peer-kb`) and its rate is
taken as its rate on the whole corpus (it works paragraph by paragraph, so its cost is linear).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bulletin_tools.extract.dates import find_dates  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
ANCHOR = date(2019, 6, 1)


def corpus(size: int) -> str:
    """The samples repeated up to `size` characters."""
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt")))
    return (base * (size // len(base) + 1))[:size]


def best_of(fn: Callable[[], object], runs: int = 3) -> tuple[float, float]:
    """Best CPU seconds (time.process_time) and best wall seconds of `runs` calls.

    CPU time is the figure to read on a shared machine; wall time is shown beside it.
    """
    cpu = wall = float("inf")
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu = min(cpu, time.process_time() - c0)
        wall = min(wall, time.perf_counter() - w0)
    return cpu, wall


def interleaved_best(
    small: Callable[[], object], large: Callable[[], object], runs: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """`best_of` for two workloads, run in turns: this machine's speed drifts by tens of
    percent over seconds, and timing n and 4n in separate stretches measured the drift."""
    small_best = large_best = (float("inf"), float("inf"))
    for _ in range(runs):
        small_best = min(small_best, best_of(small, runs=1))
        large_best = min(large_best, best_of(large, runs=1))
    return small_best, large_best


def per_item(text: str) -> Callable[[], object]:
    parts = text.split("\n\n")
    return lambda: [find_dates(p, ANCHOR) for p in parts]


def peer_rate(text: str) -> tuple[float, float] | None:
    """dateparser `search_dates` chars per CPU second and per wall second, or None if missing."""
    try:
        from dateparser.search import search_dates
    except ImportError:
        return None
    parts = [p for p in text.split("\n\n") if p.strip()]
    settings = {"RELATIVE_BASE": date_to_datetime(ANCHOR)}
    search_dates("warm up on May 5, 2019", languages=["en"], settings=settings)
    cpu, wall = best_of(
        lambda: [search_dates(p, languages=["en"], settings=settings) for p in parts], runs=1
    )
    return len(text) / cpu, len(text) / wall


def date_to_datetime(d: date):  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime(d.year, d.month, d.day)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0, help="corpus size in millions of chars")
    ap.add_argument(
        "--peer-kb",
        type=int,
        default=100,
        help="dateparser runs on this many thousand chars (it is slow)",
    )
    args = ap.parse_args(argv)
    text = corpus(int(args.mb * 1_000_000))
    find_dates("warm up on May 5, 2019")
    print(f"corpus: samples concatenated, {len(text):,} characters")
    print(f"{'':38} {'CPU':>12} {'wall':>12}")
    cpu, wall = best_of(lambda: find_dates(text, ANCHOR), runs=2)
    ours = len(text) / cpu
    print(
        f"{'bulletin_tools find_dates, one text':38} {ours / 1e6:8.2f} M/s "
        f"{len(text) / wall / 1e6:8.2f} M/s"
    )
    cpu, wall = best_of(per_item(text), runs=2)
    print(
        f"{'bulletin_tools find_dates, per item':38} {len(text) / cpu / 1e6:8.2f} M/s "
        f"{len(text) / wall / 1e6:8.2f} M/s"
    )
    prefix = text[: args.peer_kb * 1000]
    peer = peer_rate(prefix)
    if peer is None:
        print("dateparser not installed")
    else:
        print(
            f"{'dateparser search_dates, per item':38} {peer[0] / 1e6:8.3f} M/s "
            f"{peer[1] / 1e6:8.3f} M/s"
            f"  (run on the first {len(prefix):,} chars; its time for the whole corpus"
            f" extrapolated linearly: {len(text) / peer[0]:,.0f} CPU s)"
        )
        print(f"{'ratio ours/dateparser (CPU)':38} {ours / peer[0]:8.1f}x")
    n = text[: len(text) // 4]
    for label, make in (
        ("one text", lambda t: lambda: find_dates(t, ANCHOR)),
        ("per item", per_item),
    ):
        (c1, w1), (c4, w4) = interleaved_best(make(n), make(n * 4), runs=5)
        print(
            f"scaling {label:8}: n={len(n):,} {c1:.3f} CPU s, 4n {c4:.3f} CPU s, ratio "
            f"{c4 / c1:.2f} (wall {w4 / w1:.2f}; floor 4.4)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
