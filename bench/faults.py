#!/usr/bin/env python3
"""Fault injection: flip random bytes in each kind of index file, then run the
commands a user would and `check`. Prints one row per file type: tries, panics
(a backtrace or exit 101), commands that answered exit 0 with a changed answer,
damage `check` found, and damage `check --repair` cleaned up.

usage: bench/faults.py --news target/release/news-search --index /tmp/rt/index [--tries 50]
"""
import argparse, os, random, shutil, subprocess, tempfile, json

COMMANDS = [["query", "oil", "-c"], ["query", '"crude oil"', "-c"],
            ["query", "oil", "--json", "-n", "20"], ["stats", "--json"],
            ["query", "wheat", "--sort", "newest", "-n", "5"]]

def normal(out):
    """The answer without timings, which differ from run to run."""
    lines = []
    for line in out.splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            lines.append(line)
            continue
        if isinstance(obj, dict):
            obj.get("data", {}).pop("elapsed_ms", None)
            obj.pop("elapsed_ms", None)
            obj.pop("index", None)
        lines.append(json.dumps(obj, sort_keys=True))
    return "\n".join(lines)

def run(news, idx, args):
    p = subprocess.run([news] + args + ["--index", idx], capture_output=True, text=True)
    return p.returncode, normal(p.stdout), p.stderr

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--news", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--tries", type=int, default=50)
    ap.add_argument("--seed", type=int, default=int(os.environ.get("FAULT_SEED", "1")))
    a = ap.parse_args()
    rng = random.Random(a.seed)
    print(f"seed {a.seed}")
    baseline = [run(a.news, a.index, c) for c in COMMANDS]
    exts = sorted({f.rsplit(".", 1)[1] for f in os.listdir(a.index) if "." in f and not f.startswith(".") and f != "meta.json"})
    print(f"{'file':10} {'tries':>5} {'panics':>6} {'silent':>6} {'errors':>6} {'found':>6} {'repaired':>8}")
    for ext in exts:
        stats = dict(tries=0, panics=0, silent=0, errors=0, found=0, repaired=0)
        for _ in range(a.tries):
            with tempfile.TemporaryDirectory() as tmp:
                idx = os.path.join(tmp, "index")
                shutil.copytree(a.index, idx)
                files = [f for f in os.listdir(idx) if f.endswith("." + ext)]
                target = os.path.join(idx, rng.choice(files))
                size = os.path.getsize(target)
                n = min(64, size)
                at = rng.randrange(0, max(1, size - n))
                with open(target, "r+b") as f:
                    f.seek(at)
                    data = bytearray(f.read(n))
                    for i in range(len(data)):
                        data[i] ^= rng.randrange(1, 256)
                    f.seek(at)
                    f.write(data)
                stats["tries"] += 1
                for cmd, base in zip(COMMANDS, baseline):
                    code, out, err = run(a.news, idx, cmd)
                    if code == 101 or "panicked" in err or "RUST_BACKTRACE" in err:
                        stats["panics"] += 1
                    elif code == 2:
                        stats["errors"] += 1
                    elif out != base[1]:
                        stats["silent"] += 1
                code, out, err = run(a.news, idx, ["check"])
                if code == 2:
                    stats["found"] += 1
                    run(a.news, idx, ["check", "--repair"])
                    code, _, _ = run(a.news, idx, ["check"])
                    if code == 0:
                        stats["repaired"] += 1
        print(f"{ext:10} {stats['tries']:5} {stats['panics']:6} {stats['silent']:6} {stats['errors']:6} {stats['found']:6} {stats['repaired']:8}")

if __name__ == "__main__":
    main()
