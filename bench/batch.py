#!/usr/bin/env python3
"""Batch search speed: 1,000 queries over an index (for issue 24: Reuters-21578),
run by one `news-search batch`, against the same queries run one process each
(what a shell loop over `news-search query` costs).

    python3 bench/batch.py --index DIR [--reuters ../shared/data/reuters21578]
                           [--news target/release/news-search] [--queries 1000] [--runs 3]

The queries are words and word pairs from Reuters headlines, picked with a fixed
seed: one third single words, one third two words, one third quoted pairs.
Prints the median wall time of each way over the runs, and their ratio.
"""

import argparse
import glob
import os
import random
import re
import statistics
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def headline_words(reuters):
    words = []
    for path in sorted(glob.glob(os.path.join(reuters, "*.sgm"))):
        with open(path, encoding="latin-1") as f:
            for title in re.findall(r"<TITLE>(.*?)</TITLE>", f.read(), re.S):
                words.append([w.lower() for w in re.findall(r"[A-Za-z]{4,}", title)])
    return [w for w in words if len(w) >= 2]


def make_queries(titles, n):
    rng = random.Random(24)
    queries = []
    for i in range(n):
        words = rng.choice(titles)
        k = rng.randrange(len(words) - 1)
        if i % 3 == 0:
            queries.append(words[k])
        elif i % 3 == 1:
            queries.append(f"{words[k]} {words[k + 1]}")
        else:
            queries.append(f'"{words[k]} {words[k + 1]}"')
    return queries


def timed(cmd, **kw):
    started = time.perf_counter()
    run = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)
    if run.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)}: exit {run.returncode}: {run.stderr.strip()[:500]}")
    return time.perf_counter() - started


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--reuters", default=os.path.join(ROOT, "..", "shared", "data", "reuters21578"))
    ap.add_argument("--news", default=os.path.join(ROOT, "target/release/news-search"))
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    queries = make_queries(headline_words(args.reuters), args.queries)
    with tempfile.TemporaryDirectory() as tmp:
        listing = os.path.join(tmp, "queries.txt")
        with open(listing, "w") as f:
            for i, q in enumerate(queries):
                f.write(f"q{i}\t{q}\n")
        ways = {
            "batch --format csv (-n 10)": lambda: timed([args.news, "batch", listing, "--index", args.index]),
            "batch --json (-n 10, snippets)": lambda: timed([args.news, "batch", listing, "--json", "--index", args.index]),
            "a `query -n 10 --no-snippets` process per query": lambda: sum(
                timed([args.news, "query", q, "-n", "10", "--no-snippets", "--index", args.index]) for q in queries
            ),
        }
        times = {name: [] for name in ways}
        for _ in range(args.runs):
            for name, way in ways.items():
                times[name].append(way())
    first = statistics.median(times[next(iter(ways))])
    print(f"{len(queries)} queries, index {args.index}, median of {args.runs} runs")
    print(f"{'way':<50} {'seconds':>8} {'queries/s':>10} {'÷ batch':>8}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<50} {median:>8.2f} {len(queries) / median:>10.0f} {median / first:>7.1f}×")


if __name__ == "__main__":
    main()
