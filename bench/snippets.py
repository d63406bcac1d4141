#!/usr/bin/env python3
"""Snippet cost (issue 22, part 4): for each build, the command line's whole-process
p50 and `serve`'s warm `/api/search` p50 over the same queries, their ratio (target
<= 0.25), and whether every build returns the same passages and highlights.
Builds alternate round by round, so a noisy machine hits them alike. With
`--warm-only` the servers alone are timed, with no process run between requests.

    python3 bench/snippets.py --build before=/tmp/ns-before --build after=target/release/news-search \
        --index before=/tmp/caidx-before --index after=/tmp/caidx --rounds 3
"""
import argparse
import http.client
import json
import statistics
import subprocess
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import latency, load_queries, percentile  # noqa: E402
from serve import free_port, query_text  # noqa: E402


def passages(answer):
    """What a reader sees of each hit: id, snippets and their highlights."""
    return [(m["id"], json.dumps(m.get("snippets"), sort_keys=True), json.dumps(m.get("title_highlights")))
            for m in answer["matches"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", action="append", required=True, help="NAME=PATH")
    ap.add_argument("--index", action="append", required=True,
                    help="DIR for every build, or NAME=DIR for one (an index of its version)")
    ap.add_argument("--queries", default=str(Path(__file__).with_name("queries.txt")))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--since", default="1916-01-01")
    ap.add_argument("--until", default="1916-02-01")
    ap.add_argument("--source", default="New-York tribune.")
    ap.add_argument("--warm-only", action="store_true",
                    help="time the servers only (no command-line runs between requests)")
    args = ap.parse_args()
    builds = [b.split("=", 1) for b in args.build]
    shared = [i for i in args.index if "=" not in i]
    index_of = {name: shared[0] if shared else None for name, _ in builds}
    index_of.update(dict(i.split("=", 1) for i in args.index if "=" in i))
    queries = [query_text(q) for q in load_queries(args.queries, args.since, args.until, args.source)]
    servers, conns = {}, {}
    for name, path in builds:
        port = free_port()
        servers[name] = subprocess.Popen([path, "serve", "--index", index_of[name], "--addr", f"127.0.0.1:{port}", "--quiet"],
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        servers[name].stdout.readline()
        conns[name] = http.client.HTTPConnection("127.0.0.1", port)
    cli = {name: [] for name, _ in builds}
    warm = {name: [] for name, _ in builds}
    seen = {name: {} for name, _ in builds}

    def get(name, q):
        conn = conns[name]
        started = __import__("time").perf_counter()
        conn.request("GET", "/api/search?q=" + urllib.parse.quote(q))
        response = conn.getresponse()
        body = response.read()
        elapsed = (__import__("time").perf_counter() - started) * 1000
        assert response.status == 200, (name, q, response.status)
        return elapsed, json.loads(body)

    for name, _ in builds:  # warm-up
        for q in queries:
            seen[name][q] = passages(get(name, q)[1])
    for _ in range(args.rounds):
        for name, path in builds:
            for q in queries:
                if not args.warm_only:
                    cli[name].append(latency([path, "query", q, "--index", index_of[name], "--json", "-n", "10"]))
                warm[name].append(get(name, q)[0])
    for server in servers.values():
        server.terminate()
    print(f"{len(queries)} queries x {args.rounds} rounds, 10 hits, default options")
    print("| build | CLI p50 | CLI p95 | serve warm p50 | warm p95 | warm ÷ CLI (p50) |")
    print("|---|---|---|---|---|---|")
    for name, _ in builds:
        w = statistics.median(warm[name])
        if args.warm_only:
            print(f"| {name} | – | – | {w:.2f} ms | {percentile(warm[name], 95):.2f} ms | – |")
            continue
        c = statistics.median(cli[name])
        print(f"| {name} | {c:.2f} ms | {percentile(cli[name], 95):.2f} ms | {w:.2f} ms | "
              f"{percentile(warm[name], 95):.2f} ms | {w / c:.3f} |")
    first = builds[0][0]
    for name, _ in builds[1:]:
        differ = [q for q in queries if seen[name][q] != seen[first][q]]
        for q in differ:
            for a, b in zip(seen[first][q], seen[name][q]):
                if a != b:
                    print(f"  {q}: {first} {a}\n  {q}: {name} {b}"[:3000], file=sys.stderr)
                    break
        print(f"{name} against {first}: {len(queries) - len(differ)} of {len(queries)} queries with the same "
              f"hits, passages and highlights" + (f"; differ: {differ[:5]}" if differ else ""))


if __name__ == "__main__":
    main()
