#!/usr/bin/env python3
"""What the query features cost: the benchmark queries run against one index with
and without near-duplicate collapsing, passages, the timeline, the JSON summary's
top sources and the recency blend. Variants are interleaved query by query, so a
noisy machine slows them alike; the report gives medians and ratios to the plain
ranking (no collapsing, no passages).

Usage: bench/features.py --news target/release/news-search --index DIR
                         [--rounds 3] [--since 1987-03-01 --until 1987-04-01 --source Reuters]
"""
import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import latency, load_queries, news_cmd, percentile  # noqa: E402

VARIANTS = [
    ("plain ranking (--no-collapse --no-snippets)", ["--no-collapse", "--no-snippets"]),
    ("+ 2 passages (--no-collapse)", ["--no-collapse"]),
    ("+ collapsing (--no-snippets)", ["--no-snippets"]),
    ("default: collapsing + 2 passages", []),
    ("default, 1 passage (--snippets 1)", ["--snippets", "1"]),
    ("default + --timeline month (JSON)", ["--timeline", "month"]),
    ("default + --recent", ["--recent"]),
]


def human(cmd):
    """The query command without --json (the printer people see)."""
    return [c for c in cmd if c != "--json"]


def in_process_ms(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()
    for line in reversed(out):
        value = json.loads(line)
        if value.get("type") == "summary":
            return value["data"]["elapsed_ms"]
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--news", required=True)
    parser.add_argument("--index", required=True)
    parser.add_argument("--queries", default=str(Path(__file__).parent / "queries.txt"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--since", default="1987-03-01")
    parser.add_argument("--until", default="1987-04-01")
    parser.add_argument("--source", default="Reuters")
    args = parser.parse_args()
    queries = load_queries(args.queries, args.since, args.until, args.source)
    wall = {name: [] for name, _ in VARIANTS}
    inner = {name: [] for name, _ in VARIANTS}
    for _ in range(args.rounds):
        for q in queries:
            base = news_cmd(args.news, args.index, q)
            for name, extra in VARIANTS:
                json_cmd = base + extra
                # The timeline variant is measured as JSON: hits and the timeline together.
                wall[name].append(latency(json_cmd if "--timeline" in extra else human(json_cmd)))
                ms = in_process_ms(json_cmd)
                if ms is not None:
                    inner[name].append(ms)
    base_name = VARIANTS[0][0]
    base_p50 = statistics.median(wall[base_name])
    base_inner = statistics.median(inner[base_name])
    print(f"{len(queries)} queries x {args.rounds} rounds on {args.index}, 10 hits each\n")
    print("| variant | process p50 ms | p95 ms | ratio | in-process p50 ms | ratio |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, _ in VARIANTS:
        p50 = statistics.median(wall[name])
        p95 = percentile(wall[name], 95)
        ip = statistics.median(inner[name])
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {p50 / base_p50:.2f} | {ip:.2f} | {ip / base_inner:.2f} |")


if __name__ == "__main__":
    main()
