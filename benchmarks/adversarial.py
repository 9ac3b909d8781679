"""Scaling on hostile input: parse and every extractor, timed at size n and 4n (ratio ~4 = linear).

Run: python benchmarks/adversarial.py [--kb 256] [--quick] [--only dates]
A ratio near 4 means time grows linearly; near 16 is quadratic (catastrophic backtracking or an
all-pairs loop). Extractors are found generically: `bulletin_tools.extract.<name>.extract_<name>`
for each name in EXTRACTOR_NAMES that exists, so places and figures join when they land.
`tests/test_robustness.py` imports CASES and `extractors()` from here.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import time
from collections.abc import Callable, Iterable
from typing import Any

from bulletin_tools.models import Item
from bulletin_tools.parse import parse_lines

EXTRACTOR_NAMES = ("dates", "places", "figures")
WORDS = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India"]


def _repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _capitalised(n: int) -> str:
    words = (f"{w}{i % 97}" if i % 5 == 0 else w for i, w in enumerate(itertools.cycle(WORDS)))
    out, size = [], 0
    for word in words:
        if size >= n:
            break
        out.append(word)
        size += len(word) + 1
    return " ".join(out)[:n]


def _many_items(n: int) -> str:
    """A dump of many short dated items in one source (tests per-dump, all-pairs work)."""
    out, size, k = [], 0, 0
    while size < n:
        k += 1
        block = (
            f"{k % 28 + 1} May 2019\n\nFloods hit district {k} in the north\n\n"
            f"On 3 June, {k * 37 % 1000:,} people moved after the 1-2 June rains in Region {k}.\n\n"
        )
        out.append(block)
        size += len(block)
    return "".join(out)


# name -> text of about n characters
CASES: dict[str, Callable[[int], str]] = {
    "one_long_line": lambda n: _repeat("On 12 May 2019, 1,234 people fled Tete; ", n),
    "digits": lambda n: _repeat("1", n),
    "digits_commas": lambda n: _repeat("1,", n),
    "commas": lambda n: "a" + _repeat(",", n - 2) + "b",
    "spaces": lambda n: "a" + _repeat(" ", n - 2) + "b",
    "hyphens": lambda n: _repeat("-", n),
    "may_may": lambda n: _repeat("May ", n),
    "1-1-1": lambda n: _repeat("1-", n),
    "2019-2019": lambda n: _repeat("2019-", n),
    "capitalised_words": _capitalised,
    "many_items": _many_items,
}


def extractors() -> dict[str, Callable[[Iterable[Item]], list[Any]]]:
    """Every extractor that exists now: name -> callable(items) -> list of mention rows."""
    found = {}
    for name in EXTRACTOR_NAMES:
        try:
            module = importlib.import_module(f"bulletin_tools.extract.{name}")
        except ImportError:
            continue
        function = getattr(module, f"extract_{name}", None)
        if function is not None:
            found[name] = lambda items, f=function: list(f(items))
    return found


def as_items(text: str) -> list[Item]:
    """The text as extractor input: parsed items when it parses into some, else one body."""
    items = [row for row in parse_lines(text.split("\n"), "adv.txt") if isinstance(row, Item)]
    if len(items) > 1:
        return items
    return [Item("adv-0001", "adv.txt", 1, "2019-06-01", "Adversarial", text, 1, 1)]


def run_parse(text: str) -> int:
    return sum(1 for _ in parse_lines(text.split("\n"), "adv.txt"))


def best_time(function: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def measure(stage: str, case: str, n: int, repeat: int = 2) -> dict[str, Any]:
    """Seconds for input sizes n and 4n, and their ratio, for one stage on one case."""
    small, big = CASES[case](n), CASES[case](4 * n)
    if stage == "parse":
        small_run: Callable[[], Any] = lambda: run_parse(small)  # noqa: E731
        big_run: Callable[[], Any] = lambda: run_parse(big)  # noqa: E731
    else:
        extract = extractors()[stage]
        small_items, big_items = as_items(small), as_items(big)
        small_run = lambda: extract(small_items)  # noqa: E731
        big_run = lambda: extract(big_items)  # noqa: E731
    small_run()  # warm caches (compiled grammars)
    t_n, t_4n = best_time(small_run, repeat), best_time(big_run, repeat)
    return {
        "stage": stage,
        "case": case,
        "n_chars": n,
        "t_n": t_n,
        "t_4n": t_4n,
        "ratio": t_4n / max(t_n, 1e-9),
    }


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kb", type=int, default=256, help="n in KB (4n is also run); default 256")
    parser.add_argument("--quick", action="store_true", help="n = 32 KB, one repeat")
    parser.add_argument("--repeat", type=int, default=2, help="best of this many runs")
    parser.add_argument("--only", nargs="*", help="stages to run (parse, dates, ...)")
    args = parser.parse_args(argv)
    n = 32_000 if args.quick else args.kb * 1000
    repeat = 1 if args.quick else args.repeat
    stages = ["parse", *extractors()]
    stages = [s for s in stages if not args.only or s in args.only]
    print(f"adversarial scaling: n = {n:,} chars vs 4n (ratio ~4 linear, ~16 quadratic)")
    print(f"{'stage':<8} {'case':<18} {'t(n) s':>9} {'t(4n) s':>9} {'ratio':>6}")
    results = []
    for stage in stages:
        for case in CASES:
            r = measure(stage, case, n, repeat)
            results.append(r)
            flag = "  <-- superlinear" if r["ratio"] > 6 and r["t_4n"] > 0.05 else ""
            print(
                f"{stage:<8} {case:<18} {r['t_n']:>9.4f} {r['t_4n']:>9.4f} {r['ratio']:>6.1f}{flag}"
            )
    return results


if __name__ == "__main__":
    main()
