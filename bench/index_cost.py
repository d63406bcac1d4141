#!/usr/bin/env python3
"""Indexing time, peak memory and index size of two builds side by side, in
alternating rounds on the same folders (the machine is shared and noisy: medians).
Used for the analysis per language (issue 21): Reuters-21578 and Chronicling
America pages, by the last landed build and this one.

    python3 bench/index_cost.py --build before=/tmp/ns-before \\
        --build after=target/release/news-search \\
        --corpus reuters=../shared/data/reuters21578 --corpus chronam=/tmp/ca --rounds 3
"""
import argparse
import os
import statistics
import subprocess
import tempfile
from pathlib import Path


def size_of(folder):
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def one_run(binary, corpus, index):
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", binary, "index", corpus, "--index", index, "-q"],
        capture_output=True, text=True, check=True)
    seconds, kb = out.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kb) / 1024, size_of(index)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", action="append", required=True, help="NAME=BINARY")
    parser.add_argument("--corpus", action="append", required=True, help="NAME=FOLDER")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    builds = [b.split("=", 1) for b in args.build]
    corpora = [c.split("=", 1) for c in args.corpus]
    print("| corpus | build | median time | median peak RSS | index size | time ratio | size ratio |")
    print("|---|---|---|---|---|---|---|")
    for corpus_name, corpus in corpora:
        results = {name: [] for name, _ in builds}
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(args.rounds):
                for name, binary in builds:
                    index = os.path.join(tmp, name)
                    subprocess.run(["rm", "-rf", index], check=True)
                    results[name].append(one_run(binary, corpus, index))
        first = None
        for name, _ in builds:
            runs = results[name]
            t = statistics.median(r[0] for r in runs)
            m = statistics.median(r[1] for r in runs)
            s = statistics.median(r[2] for r in runs)
            if first is None:
                first = (t, s)
            print(f"| {corpus_name} | {name} | {t:.2f} s | {m:.0f} MB | {s / 1e6:.2f} MB "
                  f"| {t / first[0]:.3f} | {s / first[1]:.4f} |")


if __name__ == "__main__":
    main()
