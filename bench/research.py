#!/usr/bin/env python3
"""Research tools at scale: the cost of `trends` and `terms` against a bare
count (`query -c`) of the same query, each run in a fresh process, on an index
you give (for the issue-23 figures: the 1M-article set `bench.py --scale`
generates, indexed with `news-search index`).

    python3 bench/research.py --index DIR [--news target/release/news-search] [--queries N]

Prints, per command, the median and the 95th percentile over the queries of
bench/queries.txt (the first N), and each command's median as a multiple of
the bare count's.
"""

import argparse
import os
import statistics
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def timed(cmd):
    started = time.perf_counter()
    run = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = (time.perf_counter() - started) * 1000
    if run.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)}: exit {run.returncode}: {run.stderr.strip()}")
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--news", default=os.path.join(ROOT, "target/release/news-search"))
    ap.add_argument("--queries", type=int, default=20)
    args = ap.parse_args()
    with open(os.path.join(HERE, "queries.txt")) as f:
        queries = [q.strip() for q in f if q.strip() and not q.startswith(("#", "@"))][: args.queries]
    commands = {
        "query -c (floor)": lambda q: ["query", q, "-c"],
        "trends (best-fit unit)": lambda q: ["trends", q],
        "trends --per year": lambda q: ["trends", q, "--per", "year"],
        "trends, 3 queries": lambda q: ["trends", q, "war", "peace"],
        "terms -n 20": lambda q: ["terms", q, "-n", "20"],
    }
    times = {name: [] for name in commands}
    for q in queries:
        for name, make in commands.items():
            times[name].append(timed([args.news, *make(q), "--index", args.index]))
    floor = statistics.median(times["query -c (floor)"])
    print(f"{len(queries)} queries of bench/queries.txt, a fresh process each, index {args.index}")
    print(f"{'command':<24} {'p50 ms':>8} {'p95 ms':>8} {'p50 ÷ count':>12}")
    for name, values in times.items():
        values.sort()
        p50 = statistics.median(values)
        p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
        print(f"{name:<24} {p50:>8.1f} {p95:>8.1f} {p50 / floor:>11.1f}×")


if __name__ == "__main__":
    main()
