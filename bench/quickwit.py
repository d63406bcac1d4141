#!/usr/bin/env python3
"""news-search on a local index against news-search on a single Quickwit node, in one run.

Ingest: wall time from the raw files to searchable articles, MB/s against the raw
size, alternating local and Quickwit rounds. Query: whole-process latency of
`news-search query … --json --limit 10` for bench/queries.txt, warm, alternating,
p50 and p95. Agreement: mean overlap of the top 10 ids per query (|A∩B| / the
larger list; two empty lists agree), and TIME MAP through both (`news-search eval`).

The Quickwit binary is ../shared/bin/quickwit.zst (opt-level 1, see QUICKWIT.md):
its search and ingest times are those of a lightly optimised build.

With --scale N, N generated articles (bench.py --scale's generator, seed 1916) are
measured too, ingested once each way: the archive-scale check (issue 22, part 5).

Usage: bench/quickwit.py --shared ../shared --work /tmp/qwbench --news target/release/news-search
       bench/quickwit.py … --only scale --scale 1000000 --query-rounds 3
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench  # noqa: E402  (load_queries, news_cmd, du, percentile, datasets' unpacking)
import quality  # noqa: E402  (the TIME collection)


def free_port():
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        try:
            with socket.socket() as t, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                t.bind(("127.0.0.1", port + 1))
                u.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue


class Node:
    def __init__(self, shared, work):
        binary = work / "quickwit"
        if not binary.exists():
            subprocess.run(["zstd", "-qd", str(shared / "bin/quickwit.zst"), "-o", str(binary)], check=True)
            binary.chmod(0o755)
        data = work / "qwdata"
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        self.port = free_port()
        config = work / "node.yaml"
        config.write_text(f"version: 0.8\nnode_id: bench\nlisten_address: 127.0.0.1\nrest:\n  listen_port: {self.port}\n"
                          f"data_dir: {data}\nindexer:\n  enable_otlp_endpoint: false\njaeger:\n  enable_endpoint: false\n")
        self.proc = subprocess.Popen([str(binary), "run", "--config", str(config)], env={**os.environ, "QW_DISABLE_TELEMETRY": "1"},
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                if urllib.request.urlopen(f"{self.base}/health/readyz").read().strip() == b"true":
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit("quickwit did not start")

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def location(self, index):
        return f"quickwit+{self.base}/{index}"

    def drop(self, index):
        req = urllib.request.Request(f"{self.base}/api/v1/indexes/{index}", method="DELETE")
        try:
            urllib.request.urlopen(req).read()
        except OSError:
            pass

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def top_ids(news, index, q):
    cmd = bench.news_cmd(news, index, q)
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    return [json.loads(l)["data"]["id"] for l in out.splitlines() if '"type":"match"' in l]


def overlap(a, b):
    if not a and not b:
        return 1.0
    return len(set(a) & set(b)) / max(len(a), len(b))


def time_map(news, index, work, stdin_payload, queries, qrels, fresh):
    if fresh:
        subprocess.run([news, "index", "-", "--index", index, "--quiet"], input=stdin_payload, check=True)
    qfile, rfile = work / "time-q.tsv", work / "time-qrels"
    qfile.write_text("".join(f"{q}\t{t}\n" for q, t in queries))
    rfile.write_text("".join(f"{q} 0 {d} {g}\n" for q, j in qrels.items() for d, g in j.items()))
    out = subprocess.run([news, "eval", "--queries", str(qfile), "--qrels", str(rfile), "--index", index, "--json"],
                         capture_output=True, check=True).stdout
    return json.loads(out)["map"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--news", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--query-rounds", type=int, default=3)
    ap.add_argument("--only", default="reuters,chronam")
    ap.add_argument("--scale", type=int, default=0, help="also N generated articles (ingested once each way)")
    ap.add_argument("--no-time", action="store_true", help="skip TIME MAP")
    ap.add_argument("--queries", default=str(Path(__file__).with_name("queries.txt")))
    args = ap.parse_args()
    shared, work = Path(args.shared), Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    node = Node(shared, work)
    report = {}
    try:
        chronam = work / "chronam-1916-h1"
        if ("chronam" in args.only or args.scale) and not chronam.exists():
            subprocess.run(f"zstd -dc {shared / 'data/chronam-1916-h1.tar.zst'} | tar -x -C {work}", shell=True, check=True)
        sets = [("reuters", shared / "data/reuters21578", "1987-03-01", "1987-04-01", "Reuters"),
                ("chronam", chronam, "1916-03-01", "1916-04-01", "New-York tribune.")]
        if args.scale:
            scale = work / f"scale-{args.scale}"
            if not scale.exists():
                print(f"generating {args.scale} articles…", file=sys.stderr)
                bench.scale_set(shared, chronam, scale, args.scale, seed=1916)
            sets.append(("scale", scale, "2020-01-01", "2021-01-01", "Harbour Post"))
        for name, raw, since, until, source in [s for s in sets if s[0] in args.only.split(",")]:
            raw_bytes = bench.du(raw)
            local, remote = str(work / f"{name}.local"), node.location(name)
            times = {"local": [], "quickwit": []}
            for r in range(1 if name == "scale" else args.rounds):
                for who in (["local", "quickwit"] if r % 2 == 0 else ["quickwit", "local"]):
                    if who == "local":
                        shutil.rmtree(local, ignore_errors=True)
                        target = local
                    else:
                        node.drop(name)
                        target = remote
                    print(f"== {name}: ingest round {r + 1}: {who}", file=sys.stderr)
                    started = time.perf_counter()
                    subprocess.run([args.news, "index", str(raw), "--index", target, "--quiet"], check=True)
                    times[who].append(time.perf_counter() - started)
            queries = bench.load_queries(args.queries, since, until, source)
            lat = {"local": [], "quickwit": []}
            for q in queries:  # warm both
                for target in (local, remote):
                    bench.latency(bench.news_cmd(args.news, target, q))
            for r in range(args.query_rounds):
                for i, q in enumerate(queries):
                    order = [("local", local), ("quickwit", remote)]
                    for who, target in (order if (i + r) % 2 == 0 else order[::-1]):
                        lat[who].append(bench.latency(bench.news_cmd(args.news, target, q)))
            overlaps = [overlap(top_ids(args.news, local, q), top_ids(args.news, remote, q)) for q in queries]
            report[name] = {
                "raw_mb": raw_bytes / 1e6,
                "ingest": {who: {"median_s": statistics.median(v), "mb_s": raw_bytes / 1e6 / statistics.median(v),
                                 "runs": v} for who, v in times.items()},
                "query": {who: {"p50": statistics.median(v), "p95": bench.percentile(v, 95)} for who, v in lat.items()},
                "top10_overlap": statistics.mean(overlaps),
                "overlap_below_1": sum(1 for o in overlaps if o < 1),
                "queries": len(queries),
            }
        if not args.no_time:
            docs, queries, qrels = quality.time_collection(shared)
            payload = "".join(json.dumps({"id": i, "body": t}) + "\n" for i, t in docs).encode()
            local = str(work / "time.local")
            shutil.rmtree(local, ignore_errors=True)
            node.drop("time")
            report["time_map"] = {
                "local": time_map(args.news, local, work, payload, queries, qrels, True),
                "quickwit": time_map(args.news, node.location("time"), work, payload, queries, qrels, True),
            }
    finally:
        node.stop()
    json.dump(report, open(work / "quickwit-report.json", "w"), indent=2)
    print(markdown(report))


def markdown(report):
    out = ["| data | raw MB | ingest MB/s local | ingest MB/s Quickwit | × | query p50 ms local | p50 Quickwit | p95 local | p95 Quickwit | top-10 overlap |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in report.items():
        if name == "time_map":
            continue
        i, q = r["ingest"], r["query"]
        out.append(f"| {name} | {r['raw_mb']:.1f} | {i['local']['mb_s']:.1f} | {i['quickwit']['mb_s']:.1f} | "
                   f"{i['local']['mb_s'] / i['quickwit']['mb_s']:.1f} | {q['local']['p50']:.1f} | {q['quickwit']['p50']:.1f} | "
                   f"{q['local']['p95']:.1f} | {q['quickwit']['p95']:.1f} | {r['top10_overlap']:.3f} "
                   f"({r['overlap_below_1']} of {r['queries']} queries differ) |")
    t = report.get("time_map")
    if t:
        out.append(f"\nTIME MAP: local {t['local']:.4f}, Quickwit {t['quickwit']:.4f} (difference {t['quickwit'] - t['local']:+.4f}).")
    return "\n".join(out)


if __name__ == "__main__":
    main()
