"""Dedupe quality, speed and peak memory on the synthetic corpus, beside datasketch MinHashLSH.

Run: python benchmarks/dedupe_bench.py [--n 10000 100000] [--seed 1] [--peer-max 100000]
Corpora come from benchmarks/gen_dupes.py (a copy of ../shared/bench/gen_dupes.py). Every
measurement runs in a fresh child process, so its peak RSS is its own. Two ways in are measured:
`ours` is the library on a list of loaded `Item` objects; `cli` is what a user runs,
`bulletin-tools dedupe items.jsonl -f jsonl -o FILE --clusters FILE`, as its own process (peak
RSS from getrusage of the children; wall and CPU time include start-up, reading, writing).
Memory is reported against the items' UTF-8 text size (title + body): peak/text is the whole
process (for `ours` the interpreter, numpy and the loaded items included: these alone are ~2x
the text at 1M), extra/text is the peak minus the RSS after loading the items, i.e. what the
tool itself adds. Seconds are wall and CPU (process time: the shared machine makes wall time
noisy). The peer (MinHashLSH, threshold 0.5, 128 permutations, over the same normalised word
3-grams) is skipped with a note if datasketch is not installed; `--no-cli` skips the CLI.
"""

from __future__ import annotations

import argparse
import collections
import functools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def _rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / 1e6
    except OSError:
        return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def load_items(path: Path) -> list:
    from bulletin_tools.models import Item

    items = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            items.append(
                Item(r["id"], r["source"], r["position"], r["date"], r["title"], r["body"], 0, 0)
            )
    return items


def quality(truth_path: Path, cluster_of: dict[str, str]) -> dict[str, float]:
    """Pair precision and recall against the truth, and the share of hard negatives merged."""
    truth, negatives = {}, {}
    with truth_path.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            truth[r["id"]] = r["cluster"]
            if r["role"] == "hard_negative":
                negatives[r["id"]] = r["shares_with"]

    def pairs(labels) -> int:
        return sum(c * (c - 1) // 2 for c in collections.Counter(labels).values())

    both = pairs((cluster_of[i], truth[i]) for i in truth)
    predicted, gold = pairs(cluster_of[i] for i in truth), pairs(truth.values())
    merged = sum(cluster_of[h] == cluster_of[s] for h, s in negatives.items())
    return {
        "precision": both / predicted if predicted else 1.0,
        "recall": both / gold if gold else 1.0,
        "hard_negatives_merged": merged / len(negatives) if negatives else 0.0,
    }


def run_ours(items: list) -> dict[str, str]:
    from bulletin_tools.dedupe import find_duplicate_clusters

    return {row.item_id: row.cluster_id for row in find_duplicate_clusters(items).clusters}


def run_datasketch(items: list) -> dict[str, str]:
    """MinHashLSH candidates (threshold 0.5, 128 permutations) joined by union-find."""
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    from bulletin_tools.textnorm import normalise_bytes

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    sketches = []
    for it in items:
        words = normalise_bytes(it.body).split()
        grams = [b" ".join(words[k : k + 3]) for k in range(max(len(words) - 2, 1))]
        m = MinHash(num_perm=128)
        m.update_batch(grams)
        lsh.insert(it.item_id, m)
        sketches.append(m)
    parent = {it.item_id: it.item_id for it in items}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for it, m in zip(items, sketches, strict=False):
        for other in lsh.query(m):
            rx, ry = find(it.item_id), find(other)
            if rx != ry:
                parent[max(rx, ry)] = min(rx, ry)
    del np
    return {i: find(i) for i in parent}


def child(tool: str, items_path: Path, truth_path: Path) -> dict:
    """One measurement in this process: load, then time the tool alone."""
    if tool == "ours":
        import bulletin_tools.dedupe  # noqa: F401  (imports are not the tool's working memory)
    else:
        import datasketch  # noqa: F401
    items = load_items(items_path)
    text_mb = sum(len(it.title.encode()) + len(it.body.encode()) for it in items) / 1e6
    base = _rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    clusters = run_ours(items) if tool == "ours" else run_datasketch(items)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = _peak_mb()
    result = {
        "tool": tool,
        "items": len(items),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "base_mb": base,
        "text_mb": text_mb,
        "peak_mb": peak,
        "extra_mb": peak - base,
    }
    result.update(quality(truth_path, clusters))
    return result


def text_mb(items_path: Path) -> tuple[int, float, list[str]]:
    """Items, their UTF-8 title + body size in MB, and their ids in file order."""
    size, ids = 0, []
    with items_path.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            size += len(r["title"].encode()) + len(r["body"].encode())
            ids.append(r["id"])
    return len(ids), size / 1e6, ids


def child_cli(items_path: Path, truth_path: Path) -> dict:
    """The `dedupe` command on the JSONL corpus as a grandchild: its own peak RSS and times.

    The corpus has `id`, not `item_id`, so the command names items by line; its clusters file
    lists items in input order, which maps them back to the corpus ids."""
    with tempfile.TemporaryDirectory() as tmp:
        out, clusters = Path(tmp) / "items.jsonl", Path(tmp) / "clusters.jsonl"
        cmd = [sys.executable, "-m", "bulletin_tools", "dedupe", str(items_path)]
        cmd += ["--format", "jsonl", "-o", str(out), "--clusters", str(clusters)]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        start = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        n, text, ids = text_mb(items_path)
        with clusters.open(encoding="utf-8") as f:
            cluster_of = {i: json.loads(line)["cluster_id"] for i, line in zip(ids, f, strict=True)}
    peak = usage.ru_maxrss / 1e3
    result = {
        "tool": "cli",
        "items": n,
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "base_mb": float("nan"),
        "text_mb": text,
        "peak_mb": peak,
        "extra_mb": float("nan"),
    }
    result.update(quality(truth_path, cluster_of))
    return result


def measure(tool: str, items_path: Path, truth_path: Path) -> dict | None:
    cmd = [sys.executable, __file__, "--child", tool, str(items_path), str(truth_path)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"   {tool}: failed: {proc.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout)


def make_corpus(n: int, seed: int, folder: Path) -> tuple[Path, Path]:
    items, truth = folder / f"items_{n}_{seed}.jsonl", folder / f"truth_{n}_{seed}.jsonl"
    if not items.exists():
        subprocess.run(
            [
                sys.executable,
                str(HERE / "gen_dupes.py"),
                "--n",
                str(n),
                "--seed",
                str(seed),
                "--out",
                str(items),
                "--truth",
                str(truth),
                "--samples",
                str(ROOT / "data" / "samples"),
            ],
            check=True,
            capture_output=True,
        )
    return items, truth


def report(r: dict) -> str:
    if r["tool"] == "cli":
        return (
            f"   {r['tool']:<10} {r['items']:>9,} items {r['seconds']:8.2f} s wall "
            f"{r['cpu_seconds']:8.2f} s CPU "
            f"{r['items'] / max(r['seconds'], 1e-9):>9,.0f} items/s  peak {r['peak_mb']:7.0f} MB "
            f"(whole command: read twice, dedupe, write items and clusters; text "
            f"{r['text_mb']:.0f} MB: peak/text {r['peak_mb'] / r['text_mb']:.2f})  "
            f"P {r['precision']:.4f} R {r['recall']:.4f} "
            f"hard-neg merged {100 * r['hard_negatives_merged']:.2f}%"
        )
    return (
        f"   {r['tool']:<10} {r['items']:>9,} items {r['seconds']:8.2f} s wall "
        f"{r.get('cpu_seconds', float('nan')):8.2f} s CPU "
        f"{r['items'] / max(r['seconds'], 1e-9):>9,.0f} items/s  peak {r['peak_mb']:7.0f} MB "
        f"(loaded items {r.get('base_mb', float('nan')):.0f} MB, +{r['extra_mb']:.0f} MB for the "
        f"tool; text {r['text_mb']:.0f} MB: peak/text {r['peak_mb'] / r['text_mb']:.2f}, "
        f"extra/text {r['extra_mb'] / r['text_mb']:.2f})  "
        f"P {r['precision']:.4f} R {r['recall']:.4f} "
        f"hard-neg merged {100 * r['hard_negatives_merged']:.2f}%"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--peer-max", type=int, default=100_000, help="skip the peer above this")
    parser.add_argument("--workdir", type=Path, help="keep corpora here (default: a temp dir)")
    parser.add_argument("--quick", action="store_true", help="only 2,000 and 20,000 items")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line measurement")
    parser.add_argument(
        "--child", nargs=3, metavar=("TOOL", "ITEMS", "TRUTH"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:
        tool, items, truth = args.child[0], Path(args.child[1]), Path(args.child[2])
        run = child_cli if tool == "cli" else functools.partial(child, tool)
        print(json.dumps(run(items, truth)))
        return
    sizes = [2_000, 20_000] if args.quick else args.n
    try:
        import datasketch  # noqa: F401

        peer = True
    except ImportError:
        print("   datasketch not installed: peer skipped (pip install datasketch)")
        peer = False
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.workdir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        results = {}
        for n in sizes:
            items, truth = make_corpus(n, args.seed, folder)
            tools = ["ours"] + ([] if args.no_cli else ["cli"])
            for tool in tools + (["datasketch"] if peer and n <= args.peer_max else []):
                r = measure(tool, items, truth)
                if r:
                    results[(tool, n)] = r
                    print(report(r), flush=True)
        for name in ("ours", "cli"):
            _scaling(results, name)


def _scaling(results: dict, name: str) -> None:
    sizes = sorted(n for tool, n in results if tool == name)
    for small, big in zip(sizes, sizes[1:], strict=False):
        slow, fast = results[(name, big)], results[(name, small)]
        print(
            f"   scaling ({name}): {big // small}x items took "
            f"{slow['seconds'] / fast['seconds']:.1f}x the wall time, "
            f"{slow['cpu_seconds'] / fast['cpu_seconds']:.1f}x the CPU time "
            f"({small:,} -> {big:,})"
        )


if __name__ == "__main__":
    main()
