"""Peak memory (RSS) of parse, and of each extractor fed by parse, on 10 MB vs 200 MB of dumps.

Run: python benchmarks/memory.py [--small 10 --large 200] [--file-mb 1] [--extract] [--quick]
The corpus is the sample dumps concatenated into files of `--file-mb` MB each (a directory of
dumps, like a real archive). Each measurement runs in a fresh child process that reads the
corpus as a stream and reports its own `resource.getrusage` peak, so peaks are not shared. Flat
memory means the large peak is close to the small one, not 20x it.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from childproc import measure_in_child  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
EXTRACTOR_NAMES = ("dates", "places", "figures")


def make_corpus(directory: Path, megabytes: float, file_mb: float) -> int:
    """Write `megabytes` of dumps as files of about `file_mb` MB; returns the total bytes."""
    unit = "".join(p.read_text("utf-8") + "\n\n\n" for p in sorted(SAMPLES.glob("*.txt")))
    data = unit.encode("utf-8")
    per_file = max(1, int(min(file_mb, megabytes) * 1_000_000 / len(data)))
    chunk = data * per_file
    files = max(1, round(megabytes * 1_000_000 / len(chunk)))
    directory.mkdir(parents=True, exist_ok=True)
    for k in range(files):
        (directory / f"dump_{k:05d}.txt").write_bytes(chunk)
    return files * len(chunk)


def child(corpus: str, mode: str) -> None:
    """In the child: stream the corpus through `mode`, print rows, seconds and peak RSS."""
    import importlib

    from bulletin_tools.pipeline import InputReader

    start = time.perf_counter()
    rows = 0
    if mode == "parse":
        rows = sum(1 for _ in InputReader([corpus]).rows())
    elif mode.startswith("extract:"):
        name = mode.split(":", 1)[1]
        extract = getattr(
            importlib.import_module(f"bulletin_tools.extract.{name}"), f"extract_{name}"
        )
        rows = sum(1 for _ in extract(InputReader([corpus]).items()))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_bytes": peak}))


def measure(corpus: Path, mode: str) -> dict:
    return measure_in_child(__file__, corpus, mode)


def available_extractors() -> list[str]:
    found = []
    for name in EXTRACTOR_NAMES:
        module = ROOT / "bulletin_tools" / "extract" / f"{name}.py"
        if module.exists():
            found.append(name)
    return found


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=float, default=10.0, help="small corpus, MB (10)")
    parser.add_argument("--large", type=float, default=200.0, help="large corpus, MB (200)")
    parser.add_argument("--file-mb", type=float, default=1.0, help="size of each dump file, MB")
    parser.add_argument("--extract", action="store_true", help="also measure each extractor")
    parser.add_argument("--quick", action="store_true", help="2 MB vs 20 MB")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return []
    small, large = (2.0, 20.0) if args.quick else (args.small, args.large)
    modes = ["parse"] + [f"extract:{name}" for name in available_extractors() if args.extract]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        sizes = {}
        for label, mb in (("small", small), ("large", large)):
            sizes[label] = make_corpus(Path(tmp) / label, mb, args.file_mb)
        baseline = measure(Path(tmp) / "small", "import")["peak_bytes"]
        print(f"memory: bare interpreter + imports peak {baseline / 1e6:.1f} MB")
        for mode in modes:
            peaks = {}
            for label in ("small", "large"):
                r = measure(Path(tmp) / label, mode)
                peaks[label] = r
                mb = sizes[label] / 1e6
                print(
                    f"{mode:<14} {mb:7.1f} MB in: {r['rows']:>9,} rows in {r['seconds']:7.1f} s; "
                    f"peak RSS {r['peak_bytes'] / 1e6:7.1f} MB"
                )
            growth = peaks["large"]["peak_bytes"] / peaks["small"]["peak_bytes"]
            print(f"{mode:<14} peak large/small = {growth:.2f} (input grew {large / small:.0f}x)")
            results.append({"mode": mode, "sizes": sizes, "baseline": baseline, **peaks})
    return results


if __name__ == "__main__":
    main()
