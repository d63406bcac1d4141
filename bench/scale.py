#!/usr/bin/env python3
"""Query cost at scale (issue 22, parts 2 and 3): the default query (`--json`:
collapsed, totalled, top sources, snippets) against the bare count (`-c`) of the
same query, a fresh process per query, on indexes of growing size.

    python3 bench/scale.py --index 1M=/tmp/scale/idx1m --index 3M=/tmp/scale/idx3m \
        [--build before=/tmp/ns-before --build after=target/release/news-search] [--rounds 3]

Builds, indexes and the two commands alternate query by query, so a noisy machine
hits them alike. Prints, per build and index, p50 and p95 of each command and the
default's p50 and p95 as multiples of the count's (targets: ≤ 2× and ≤ 3× at 3M),
then each build's p50 growth from the first index to the last (target ≤ 1.5×).
The queries are bench/queries.txt, the filtered ones filled for `bench.py --scale`.
"""
import argparse
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import latency, load_queries, news_cmd, percentile  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MODES = {
    "default": lambda cmd: cmd,  # news_cmd's `--json --limit 10`
    "count": lambda cmd: [c for c in cmd if c not in ("--json", "--limit", "10")] + ["-c"],
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", action="append", help="NAME=PATH (default: this tree's release build)")
    ap.add_argument("--index", action="append", required=True, help="LABEL=DIR, smallest first")
    ap.add_argument("--queries", default=str(Path(__file__).with_name("queries.txt")))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--since", default="2020-01-01")
    ap.add_argument("--until", default="2021-01-01")
    ap.add_argument("--source", default="Harbour Post")
    args = ap.parse_args()
    builds = [b.split("=", 1) for b in (args.build or [f"news-search={ROOT / 'target/release/news-search'}"])]
    indexes = [i.split("=", 1) for i in args.index]
    queries = load_queries(args.queries, args.since, args.until, args.source)
    times = {(b, i, m): [] for b, _ in builds for i, _ in indexes for m in MODES}
    runs = [(b, path, i, idx, m) for b, path in builds for i, idx in indexes for m in MODES]
    for b, path, i, idx, m in runs:  # warm the page cache; a failing command is no timing
        for q in queries:
            cmd = MODES[m](news_cmd(path, idx, q))
            run = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if run.returncode not in (0, 1):
                raise SystemExit(f"{' '.join(cmd)}: exit {run.returncode}: {run.stderr.strip()}")
    for r in range(args.rounds):
        print(f"round {r + 1}/{args.rounds}", file=sys.stderr)
        for n, q in enumerate(queries):
            turn = n % len(runs)
            for b, path, i, idx, m in runs[turn:] + runs[:turn]:
                times[(b, i, m)].append(latency(MODES[m](news_cmd(path, idx, q))))
    print(f"{len(queries)} queries x {args.rounds} rounds, a fresh process each; ms")
    print("| build | index | default p50 | p95 | count p50 | p95 | default ÷ count p50 | p95 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    p50 = {}
    for b, _ in builds:
        for i, _ in indexes:
            d, c = times[(b, i, "default")], times[(b, i, "count")]
            dp50, dp95 = statistics.median(d), percentile(d, 95)
            cp50, cp95 = statistics.median(c), percentile(c, 95)
            p50[(b, i)] = dp50
            print(f"| {b} | {i} | {dp50:.1f} | {dp95:.1f} | {cp50:.1f} | {cp95:.1f} | "
                  f"{dp50 / cp50:.2f}× | {dp95 / cp95:.2f}× |")
    if len(indexes) > 1:
        first, last = indexes[0][0], indexes[-1][0]
        for b, _ in builds:
            print(f"{b}: default p50 {first} → {last}: {p50[(b, last)] / p50[(b, first)]:.2f}×")


if __name__ == "__main__":
    main()
