"""Score DATE timexes of TimeBank/AQUAINT news: ours beside dateparser (and HeidelTime), in one run.

Each document becomes an item (dct -> date, text -> body); ours runs through `timeml_mentions`,
dateparser through `search_dates` with the dct as relative base, HeidelTime (with `--heideltime`,
see `heideltime_peer.py`) in news mode with the dct. Strict and relaxed span F1 use one-to-one
matching; value F1 counts relaxed matches whose value string is exact.

    python benchmarks/dates_timeml.py [--data PATH] [--errors N] [--heideltime [--jobs 2]]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bulletin_tools.extract.dates import timeml_mentions  # noqa: E402
from bulletin_tools.models import Item  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "timeml-train.jsonl"

Span = tuple[int, int, str]  # start, end, value


def load_docs(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def docs_to_items(docs: Iterable[dict]) -> list[Item]:
    """One item per document; every item its own source, so no dump-level context leaks."""
    return [Item(d["doc_id"], d["doc_id"], 0, d["dct"], "", d["text"], 0, 0) for d in docs]


def ours(docs: list[dict]) -> dict[str, list[Span]]:
    out: dict[str, list[Span]] = {d["doc_id"]: [] for d in docs}
    for m in timeml_mentions(docs_to_items(docs)):
        if m["type"] != "DATE":
            continue  # "10 p.m. Wednesday" is a TIME, scored on neither side
        out[str(m["item_id"])].append((int(m["start"]), int(m["end"]), str(m["value"])))  # type: ignore[call-overload]
    return out


def dateparser_spans(docs: list[dict]) -> dict[str, list[Span]] | None:
    try:
        from dateparser.search import search_dates
    except ImportError:
        return None
    out: dict[str, list[Span]] = {}
    for d in docs:
        base = datetime.fromisoformat(d["dct"])
        found = search_dates(d["text"], languages=["en"], settings={"RELATIVE_BASE": base}) or []
        spans, pos = [], 0
        for surface, value in found:
            i = d["text"].find(surface, pos)
            if i < 0:
                continue
            pos = i + len(surface)
            spans.append((i, pos, value.date().isoformat()))
        out[d["doc_id"]] = spans
    return out


def score(docs: list[dict], system: dict[str, list[Span]]) -> dict[str, float]:
    """Strict/relaxed span P/R/F1 and value F1 over DATE timexes, one-to-one matching."""
    tp_strict = tp_relaxed = tp_value = n_sys = n_gold = 0
    for d in docs:
        gold = [(t["start"], t["end"], t["value"]) for t in d["timexes"] if t["type"] == "DATE"]
        sys_spans = system.get(d["doc_id"], [])
        n_gold += len(gold)
        n_sys += len(sys_spans)
        tp_strict += len(_match(gold, sys_spans, strict=True))
        pairs = _match(gold, sys_spans, strict=False)
        tp_relaxed += len(pairs)
        tp_value += sum(1 for g, s in pairs if _value_equal(gold[g][2], sys_spans[s][2]))
    return {
        "strict_f1": _f1(tp_strict, n_sys, n_gold),
        "relaxed_f1": _f1(tp_relaxed, n_sys, n_gold),
        "value_f1": _f1(tp_value, n_sys, n_gold),
        "relaxed_p": tp_relaxed / n_sys if n_sys else 0.0,
        "relaxed_r": tp_relaxed / n_gold if n_gold else 0.0,
        "n_sys": n_sys,
        "n_gold": n_gold,
    }


_WEEK = re.compile(r"-W(\d)(?!\d)")


def value_f1_difference_interval(
    docs: list[dict], ours_spans: dict[str, list[Span]], peer: dict[str, list[Span]]
) -> tuple[float, float]:
    """95% interval of value F1 (ours minus the peer's) over documents drawn with replacement:
    is the gap larger than the luck of which documents a test set holds?"""
    a = [_value_counts(d, ours_spans.get(d["doc_id"], [])) for d in docs]
    b = [_value_counts(d, peer.get(d["doc_id"], [])) for d in docs]
    rng = random.Random(0)
    diffs = []
    for _ in range(2000):
        drawn = [rng.randrange(len(docs)) for _ in docs]
        diffs.append(_pooled_f1(a, drawn) - _pooled_f1(b, drawn))
    diffs.sort()
    return diffs[50], diffs[1949]


def _value_counts(doc: dict, spans: list[Span]) -> tuple[int, int, int]:
    """(right values, system mentions, gold timexes) of one document."""
    gold = [(t["start"], t["end"], t["value"]) for t in doc["timexes"] if t["type"] == "DATE"]
    pairs = _match(gold, spans, strict=False)
    right = sum(1 for g, s in pairs if _value_equal(gold[g][2], spans[s][2]))
    return right, len(spans), len(gold)


def _pooled_f1(counts: list[tuple[int, int, int]], drawn: list[int]) -> float:
    right = sum(counts[i][0] for i in drawn)
    total = sum(counts[i][1] + counts[i][2] for i in drawn)
    return 2 * right / total if total else 0.0


def _value_equal(gold: str, system: str) -> bool:
    """Exact TIMEX3 value; a week number written without its zero ("2000-W7") is "2000-W07"."""
    gold, system = _WEEK.sub(r"-W0\1", gold), _WEEK.sub(r"-W0\1", system)
    return gold == system or gold == system.split("T")[0]


def _match(gold: list[Span], system: list[Span], strict: bool) -> list[tuple[int, int]]:
    """Greedy one-to-one matching: exact spans first, then overlaps by largest overlap."""
    cands = []
    for gi, (gs, ge, _) in enumerate(gold):
        for si, (ss, se, _) in enumerate(system):
            if strict and (gs, ge) != (ss, se):
                continue
            overlap = min(ge, se) - max(gs, ss)
            if overlap > 0:
                cands.append((-(overlap + (1000 if (gs, ge) == (ss, se) else 0)), gi, si))
    used_g, used_s, pairs = set(), set(), []
    for _, gi, si in sorted(cands):
        if gi not in used_g and si not in used_s:
            used_g.add(gi)
            used_s.add(si)
            pairs.append((gi, si))
    return pairs


def _f1(tp: int, n_sys: int, n_gold: int) -> float:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def month_day_accuracy(docs: list[dict], system: dict[str, list[Span]]) -> tuple[int, int]:
    """Of the gold year-less "Month D" dates, how many we give the exact value."""
    shape = re.compile(r"^[A-Z][a-z]{2,8}\.? \d{1,2}$")
    right = total = 0
    for d in docs:
        sys_by_span = {(s, e): v for s, e, v in system.get(d["doc_id"], [])}
        for t in d["timexes"]:
            if t["type"] == "DATE" and shape.match(t["text"]):
                total += 1
                right += sys_by_span.get((t["start"], t["end"])) == t["value"]
    return right, total


def print_errors(docs: list[dict], system: dict[str, list[Span]], limit: int) -> None:
    shown = 0
    for d in docs:
        gold = [(t["start"], t["end"], t["value"]) for t in d["timexes"] if t["type"] == "DATE"]
        sys_spans = system.get(d["doc_id"], [])
        pairs = _match(gold, sys_spans, strict=False)
        mg = {g for g, _ in pairs}
        ms = {s for _, s in pairs}
        text = d["text"]
        for gi, g in enumerate(gold):
            if gi not in mg:
                print(f"MISS  {d['dct']} {text[g[0] : g[1]]!r} {g[2]}  | {_ctx(text, g)}")
                shown += 1
        for si, s in enumerate(sys_spans):
            if si not in ms:
                print(f"SPUR  {d['dct']} {text[s[0] : s[1]]!r} {s[2]}  | {_ctx(text, s)}")
                shown += 1
        for gi, si in pairs:
            if not _value_equal(gold[gi][2], sys_spans[si][2]):
                print(
                    f"VALUE {d['dct']} {text[gold[gi][0] : gold[gi][1]]!r} gold {gold[gi][2]} "
                    f"ours {sys_spans[si][2]} | {_ctx(text, gold[gi])}"
                )
                shown += 1
        if shown >= limit:
            return


def _ctx(text: str, span: Span) -> str:
    return " ".join(text[max(0, span[0] - 50) : span[1] + 30].split())


def _heideltime_row(docs: list[dict], jobs: int) -> list[tuple[str, dict[str, list[Span]], float]]:
    import heideltime_peer

    why = heideltime_peer.available()
    if why is not None:
        print(f"HeidelTime skipped: {why}")
        return []
    t0 = time.perf_counter()
    spans = heideltime_peer.heideltime_spans(docs, jobs)
    return [("HeidelTime", spans, time.perf_counter() - t0)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--errors", type=int, default=0, help="print up to N of our errors")
    ap.add_argument("--no-peer", action="store_true", help="skip dateparser")
    ap.add_argument("--heideltime", action="store_true", help="also run HeidelTime (Java; ~16 min)")
    ap.add_argument("--jobs", type=int, default=2, help="HeidelTime processes at once")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"dates_timeml: {args.data} not found")
        return 1
    docs = load_docs(args.data)
    t0 = time.perf_counter()
    mine = ours(docs)
    t_ours = time.perf_counter() - t0
    rows = [("bulletin_tools", mine, t_ours)]
    if not args.no_peer:
        t0 = time.perf_counter()
        peer = dateparser_spans(docs)
        if peer is None:
            print("dateparser not installed")
        else:
            rows.append(("dateparser", peer, time.perf_counter() - t0))
    if args.heideltime:
        rows.extend(_heideltime_row(docs, args.jobs))
    scores = [score(docs, spans) for _, spans, _ in rows]
    gold_n = scores[0]["n_gold"]
    print(f"TimeBank/AQUAINT: {len(docs)} docs, {gold_n} DATE timexes ({date.today()})")
    print(
        f"{'system':16} {'strict F1':>9} {'relaxed F1':>10} {'value F1':>8} {'rel P':>6} "
        f"{'rel R':>6} {'mentions':>8} {'seconds':>8}"
    )
    for (name, _, secs), s in zip(rows, scores, strict=True):
        print(
            f"{name:16} {s['strict_f1']:9.3f} {s['relaxed_f1']:10.3f} {s['value_f1']:8.3f} "
            f"{s['relaxed_p']:6.3f} {s['relaxed_r']:6.3f} {s['n_sys']:8d} {secs:8.2f}"
        )
    for (name, spans, _), s in zip(rows[1:], scores[1:], strict=True):
        ratio = scores[0]["value_f1"] / s["value_f1"]
        lo, hi = value_f1_difference_interval(docs, mine, spans)
        print(
            f"value F1 ratio bulletin_tools / {name}: {ratio:.2f}; difference over 2,000 "
            f"resamples of the documents, 95% interval: {lo:+.3f} to {hi:+.3f}"
        )
    print(
        "scoring note: a week number without its zero counts as with it "
        "(gold writes both '2000-W7' and '2000-W07')"
    )
    right, total = month_day_accuracy(docs, mine)
    print(f"year-less 'Month D' dates: {right}/{total} values right ({right / max(total, 1):.3f})")
    for name, spans, _ in rows[1:]:
        print(f"  {name}: {month_day_accuracy(docs, spans)[0]}/{total}")
    if args.errors:
        print_errors(docs, mine, args.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
