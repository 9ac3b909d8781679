"""Run every benchmark and print our figures beside the peers' (measured in the same run).

Run: python benchmarks/run.py [--quick]
Peers (dateparser, datasketch) come from the `bench` extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# (module, arguments for a full run, arguments for --quick)
BENCHMARKS = [
    ("parse_speed", [], ["--mb", "5", "--repeat", "1"]),
    ("dates_speed", [], ["--mb", "1", "--peer-kb", "20"]),
    ("dates_timeml", [], []),
    ("dedupe_bench", [], ["--quick"]),
    ("adversarial", [], ["--quick"]),
    ("memory", ["--extract"], ["--quick"]),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small corpora, for a smoke run")
    parser.add_argument("only", nargs="*", help="run only these benchmarks")
    args = parser.parse_args()
    for name, full, quick in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        if not (HERE / f"{name}.py").exists():
            print(f"== {name}: not present")
            continue
        print(f"== {name}", flush=True)
        # each in its own process: a child's peak RSS counts from its parent's size at fork
        # (Linux keeps the high-water mark across exec), so an earlier benchmark that grew
        # this process would inflate every later memory figure
        script = [sys.executable, str(HERE / f"{name}.py"), *(quick if args.quick else full)]
        subprocess.run(script, check=True)


if __name__ == "__main__":
    main()
