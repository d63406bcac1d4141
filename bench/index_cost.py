#!/usr/bin/env python3
"""Indexing time, peak memory and index size of two builds side by side, in
alternating rounds on the same folders (the machine is shared and noisy: medians).
Peak RSS (`/usr/bin/time`) counts the index files a merge or a check maps; the
peak of anonymous memory, sampled from /proc every 50 ms, is what the run holds.
Used for the analysis per language (issue 21) and memory at scale (issue 22):

    python3 bench/index_cost.py --build before=/tmp/ns-before \\
        --build after=target/release/news-search \\
        --corpus chronam=/tmp/ca --corpus 10M=/tmp/scale-10m --rounds 3
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def size_of(folder):
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def anonymous_kb(pid):
    """The process's anonymous resident memory now, in KB (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def one_run(binary, corpus, index):
    """Seconds, peak RSS (MiB), peak anonymous memory (MiB) and index bytes."""
    with tempfile.NamedTemporaryFile("r") as times:
        run = subprocess.Popen(["/usr/bin/time", "-o", times.name, "-f", "%e %M",
                                binary, "index", corpus, "--index", index, "-q"])
        anonymous = 0
        while run.poll() is None:
            children = Path(f"/proc/{run.pid}/task/{run.pid}/children")
            for pid in children.read_text().split() if children.exists() else []:
                anonymous = max(anonymous, anonymous_kb(pid))
            time.sleep(0.05)
        if run.returncode != 0:
            raise SystemExit(f"{binary} index {corpus} failed ({run.returncode})")
        seconds, kb = times.read().strip().splitlines()[-1].split()
    return float(seconds), int(kb) / 1024, anonymous / 1024, size_of(index)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", action="append", required=True, help="NAME=BINARY")
    parser.add_argument("--corpus", action="append", required=True, help="NAME=FOLDER")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    builds = [b.split("=", 1) for b in args.build]
    corpora = [c.split("=", 1) for c in args.corpus]
    print("| corpus | build | median time | median peak RSS | median peak anonymous | index size | time ratio | size ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for corpus_name, corpus in corpora:
        results = {name: [] for name, _ in builds}
        with tempfile.TemporaryDirectory() as tmp:
            for round_ in range(args.rounds):
                for name, binary in builds if round_ % 2 == 0 else builds[::-1]:
                    index = os.path.join(tmp, name)
                    subprocess.run(["rm", "-rf", index], check=True)
                    results[name].append(one_run(binary, corpus, index))
        first = None
        for name, _ in builds:
            runs = results[name]
            t = statistics.median(r[0] for r in runs)
            m = statistics.median(r[1] for r in runs)
            a = statistics.median(r[2] for r in runs)
            s = statistics.median(r[3] for r in runs)
            if first is None:
                first = (t, s)
            # Zero: /proc gave no sample (no `children` file on this kernel).
            anon = f"{a:.0f} MiB" if a else "not sampled"
            print(f"| {corpus_name} | {name} | {t:.2f} s | {m:.0f} MiB | {anon} | {s / 1e6:.2f} MB "
                  f"| {t / first[0]:.3f} | {s / first[1]:.4f} |")


if __name__ == "__main__":
    main()
