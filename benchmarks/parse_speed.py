"""Parse throughput (MB/s on one core) and peak memory, on the samples concatenated many times.

Run: python benchmarks/parse_speed.py [--mb 20]
Each measurement runs in a fresh child process so its peak RSS is its own. Two figures:
the parse stage (the library's `InputReader`, with the GC setting the CLI uses) and the whole
command `bulletin-tools parse CORPUS --format jsonl > /dev/null` (interpreter start, imports,
parsing and writing JSON lines).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from childproc import measure_in_child  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"


def make_corpus(path: Path, megabytes: float) -> int:
    """Concatenate the sample dumps until the file reaches `megabytes`; returns its size."""
    unit = "".join(p.read_text("utf-8") + "\n\n\n" for p in sorted(SAMPLES.glob("*.txt")))
    data = unit.encode("utf-8")
    copies = max(1, int(megabytes * 1_000_000 / len(data)))
    with path.open("wb") as out:
        for _ in range(copies):
            out.write(data)
    return path.stat().st_size


def child(path: str, mode: str) -> None:
    """In the child: parse (or only import) and print seconds, items and peak RSS as JSON."""
    from bulletin_tools.models import Item
    from bulletin_tools.pipeline import InputReader
    from bulletin_tools.runtime import use_batch_gc

    use_batch_gc()  # as the CLI does

    start, cpu_start = time.perf_counter(), time.process_time()
    items = 0
    if mode == "parse":
        for row in InputReader([path]).rows():
            items += isinstance(row, Item)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "items": items, "peak_bytes": peak}))


def measure(path: Path, mode: str) -> dict:
    return measure_in_child(__file__, path, mode)


def measure_command(path: Path) -> dict:
    """`bulletin-tools parse PATH --format jsonl` to /dev/null: wall, CPU and peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bulletin_tools", "parse", str(path), "--format", "jsonl"],
        stdout=subprocess.DEVNULL,
        check=True,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"seconds": seconds, "cpu": cpu, "peak_bytes": after.ru_maxrss * 1024}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    parser.add_argument("--repeat", type=int, default=3, help="runs (3): fastest counts")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.txt"
        size = make_corpus(corpus, args.mb)
        baseline = measure(corpus, "import")
        runs = [measure(corpus, "parse") for _ in range(max(1, args.repeat))]
        result = min(runs, key=lambda run: run["cpu"])
        commands = [measure_command(corpus) for _ in range(max(1, args.repeat))]
        command = min(commands, key=lambda run: run["cpu"])
    mb = size / 1e6
    extra = result["peak_bytes"] - baseline["peak_bytes"]
    figures = {
        "input_mb": round(mb, 1),
        "items": result["items"],
        "seconds": round(result["seconds"], 2),
        "mb_per_s": round(mb / result["seconds"], 1),
        "cpu_mb_per_s": round(mb / result["cpu"], 1),
        "median_cpu_mb_per_s": round(mb / statistics.median(run["cpu"] for run in runs), 1),
        "runs": len(runs),
        "peak_rss_mb": round(result["peak_bytes"] / 1e6, 1),
        "peak_over_baseline_mb": round(extra / 1e6, 1),
        "peak_rss_over_input": round(result["peak_bytes"] / size, 2),
        "command_seconds": round(command["seconds"], 2),
        "command_cpu_mb_per_s": round(mb / command["cpu"], 1),
        "command_peak_rss_mb": round(command["peak_bytes"] / 1e6, 1),
    }
    print(
        f"parse: {figures['input_mb']} MB, {figures['items']} items in {figures['seconds']} s = "
        f"{figures['mb_per_s']} MB/s wall, {figures['cpu_mb_per_s']} MB/s of one core's CPU time "
        f"(median of {figures['runs']} runs: {figures['median_cpu_mb_per_s']} MB/s); "
        f"peak RSS {figures['peak_rss_mb']} MB "
        f"({figures['peak_over_baseline_mb']} MB above the bare interpreter+imports, "
        f"{figures['peak_rss_over_input']}x the input)"
    )
    print(
        f"command: bulletin-tools parse --format jsonl > /dev/null: {figures['command_seconds']} s "
        f"wall, {figures['command_cpu_mb_per_s']} MB/s of CPU time (start-up and JSON writing "
        f"included); peak RSS {figures['command_peak_rss_mb']} MB"
    )
    return figures


if __name__ == "__main__":
    main()
