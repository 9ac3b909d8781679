"""Throughput of `find_dates` beside dateparser's `search_dates`, and linear scaling n vs 4n.

The corpus is the sample dumps concatenated to about `--mb` megabytes. Scaling is checked both
per item (paragraph by paragraph) and on one long text.

    python benchmarks/dates_speed.py [--mb 5] [--peer-kb 100]
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


def best_of(fn: Callable[[], object], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def per_item(text: str) -> Callable[[], object]:
    parts = text.split("\n\n")
    return lambda: [find_dates(p, ANCHOR) for p in parts]


def peer_rate(text: str) -> float | None:
    """dateparser `search_dates` characters per second, or None when it is not installed."""
    try:
        from dateparser.search import search_dates
    except ImportError:
        return None
    parts = [p for p in text.split("\n\n") if p.strip()]
    settings = {"RELATIVE_BASE": date_to_datetime(ANCHOR)}
    secs = best_of(
        lambda: [search_dates(p, languages=["en"], settings=settings) for p in parts], runs=1
    )
    return len(text) / secs


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
    secs = best_of(lambda: find_dates(text, ANCHOR), runs=2)
    ours = len(text) / secs
    print(f"corpus: samples concatenated, {len(text):,} characters")
    print(f"bulletin_tools find_dates, one text : {ours / 1e6:6.2f} M chars/s")
    item_secs = best_of(per_item(text), runs=2)
    print(f"bulletin_tools find_dates, per item : {len(text) / item_secs / 1e6:6.2f} M chars/s")
    peer = peer_rate(text[: args.peer_kb * 1000])
    if peer is None:
        print("dateparser not installed")
    else:
        print(
            f"dateparser search_dates, per item   : {peer / 1e6:6.3f} M chars/s "
            f"(on {args.peer_kb} k chars)"
        )
        print(f"ratio ours/dateparser               : {ours / peer:6.1f}x")
    n = text[: len(text) // 4]
    for label, make in (
        ("one text", lambda t: lambda: find_dates(t, ANCHOR)),
        ("per item", per_item),
    ):
        t1, t4 = best_of(make(n)), best_of(make(n * 4))
        print(
            f"scaling {label:8}: n={len(n):,} {t1:.3f}s, 4n {t4:.3f}s, ratio {t4 / t1:.2f} "
            f"(floor 4.4)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
