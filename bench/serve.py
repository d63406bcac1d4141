#!/usr/bin/env python3
"""`news-search serve` under load: warm /api/search latency against the command
line's whole-process latency for the same queries, throughput with wrk at
concurrency 8 (beside `tantivy serve`, tantivy-cli's own HTTP server, when given),
the tail at concurrency 64, errors, and the server's memory over a long run.

Usage: bench/serve.py --news target/release/news-search --index DIR
                      [--tantivy PATH --tantivy-index DIR] [--rounds 3] [--seconds 20]
                      [--memory-seconds 300] [--since 1987-03-01 --until 1987-04-01 --source Reuters]
Needs wrk (Debian package `wrk`).
"""
import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import latency, load_queries, news_cmd, percentile  # noqa: E402

WRK_SCRIPT = r"""
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do table.insert(queries, line) end
local prefix = os.getenv("PREFIX")
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", prefix .. queries[(n % #queries) + 1])
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def query_text(q):
    """The news-search query string of a benchmark query (dates and sources filled)."""
    cmd = news_cmd("news-search", "IDX", q)
    return cmd[cmd.index("query") + 1]


def wait_port(port, seconds=20):
    started = time.time()
    while time.time() - started < seconds:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listening on {port}")


def wrk(url_prefix, queries_file, connections, seconds):
    """Runs wrk; returns (requests/s, p50 ms, p99 ms, errors)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    base = urllib.parse.urlsplit(url_prefix)
    env = dict(os.environ, QUERIES=queries_file, PREFIX=f"{base.path}?{base.query}")
    out = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name,
         f"{base.scheme}://{base.netloc}"],
        capture_output=True, text=True, env=env).stdout
    os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label):
        m = re.search(rf"\s{label}\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(g) for g in m.groups())
    return rate, ms("50%"), ms("99%"), errors


def for_tantivy(query):
    """The query without the clauses on fields tantivy-cli's schema lacks (date,
    source): it answers them with a fast 500, which would flatter its figures."""
    query = re.sub(r'\s*date:[\[{][^\]}]*[\]}]', "", query)
    query = re.sub(r'\s*source:("[^"]*"|\S+)', "", query)
    return query.strip()


def warm_latencies(port, encoded, rounds):
    """Per-request milliseconds over one kept-alive connection, as an API client
    that holds its connection sees them."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    for q in encoded:
        conn.request("GET", f"/api/search?q={q}")
        conn.getresponse().read()
    times = []
    for _ in range(rounds):
        for q in encoded:
            started = time.perf_counter()
            conn.request("GET", f"/api/search?q={q}")
            response = conn.getresponse()
            response.read()
            times.append((time.perf_counter() - started) * 1000)
            assert response.status == 200, (q, response.status)
    conn.close()
    return times


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--news", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--tantivy")
    ap.add_argument("--tantivy-index")
    ap.add_argument("--queries", default=str(Path(__file__).with_name("queries.txt")))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--memory-seconds", type=int, default=300)
    ap.add_argument("--since", default="1987-03-01")
    ap.add_argument("--until", default="1987-04-01")
    ap.add_argument("--source", default="Reuters")
    args = ap.parse_args()
    queries = [query_text(q) for q in load_queries(args.queries, args.since, args.until, args.source)]
    encoded = [urllib.parse.quote(q) for q in queries]

    cli = []
    for _ in range(args.rounds):
        for q in queries:
            cli.append(latency([args.news, "query", q, "--index", args.index, "--json", "-n", "10"]))

    port = free_port()
    server = subprocess.Popen([args.news, "serve", "--index", args.index, "--addr", f"127.0.0.1:{port}", "--quiet"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    server.stdout.readline()
    base = f"http://127.0.0.1:{port}"
    warm = warm_latencies(port, encoded, args.rounds)
    cli_p50, warm_p50 = statistics.median(cli), statistics.median(warm)
    print(f"{len(queries)} queries x {args.rounds} rounds, 10 hits, default options (collapsing, 2 passages, top sources)")
    print(f"CLI whole process      p50 {cli_p50:7.2f} ms  p95 {percentile(cli, 95):7.2f} ms")
    print(f"serve warm, c=1 (kept-alive connection) p50 {warm_p50:7.2f} ms  p95 {percentile(warm, 95):7.2f} ms  ratio {warm_p50 / cli_p50:.3f} (target <= 0.25)")

    with tempfile.NamedTemporaryFile("w", delete=False) as qf:
        qf.write("\n".join(encoded) + "\n")
    news8 = wrk(f"{base}/api/search?q=", qf.name, 8, args.seconds)
    news1 = wrk(f"{base}/api/search?q=", qf.name, 1, args.seconds)
    news64 = wrk(f"{base}/api/search?q=", qf.name, 64, args.seconds)
    print(f"serve wrk c=1          {news1[0]:8.1f} req/s  p50 {news1[1]:7.2f} ms  p99 {news1[2]:7.2f} ms  errors {news1[3]}")
    print(f"serve wrk c=8          {news8[0]:8.1f} req/s  p50 {news8[1]:7.2f} ms  p99 {news8[2]:7.2f} ms  errors {news8[3]}")
    print(f"serve wrk c=64         {news64[0]:8.1f} req/s  p50 {news64[1]:7.2f} ms  p99 {news64[2]:7.2f} ms  errors {news64[3]}"
          f"  p99(c=64)/p50(c=1) {news64[2] / news1[1]:.1f} (target <= 10)")
    # Little's law: 64 requests always in the system at this throughput spend
    # 64 / rate seconds in it on average, whatever the order they are served in.
    print(f"  Little's law at c=64: mean latency 64 / {news64[0]:.0f} req/s = {64000 / news64[0]:.1f} ms"
          f" = {64000 / news64[0] / news1[1]:.1f} x p50(c=1)")
    if args.tantivy and args.tantivy_index:
        tport = free_port()
        tantivy = subprocess.Popen([args.tantivy, "serve", "-i", args.tantivy_index, "-p", str(tport), "--host", "127.0.0.1"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(tport)
        with tempfile.NamedTemporaryFile("w", delete=False) as tqf:
            tqf.write("\n".join(urllib.parse.quote(for_tantivy(q)) for q in queries) + "\n")
        t8 = wrk(f"http://127.0.0.1:{tport}/api/?nhits=10&q=", tqf.name, 8, args.seconds)
        os.unlink(tqf.name)
        tantivy.kill()
        print(f"tantivy serve wrk c=8  {t8[0]:8.1f} req/s  p50 {t8[1]:7.2f} ms  p99 {t8[2]:7.2f} ms  errors {t8[3]}"
              f"  news-search/tantivy {news8[0] / t8[0]:.2f} (target >= 0.5)")
    samples = []
    done = threading.Event()

    def sample():
        while not done.is_set():
            samples.append(rss_kb(server.pid))
            time.sleep(1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    long = wrk(f"{base}/api/search?q=", qf.name, 8, args.memory_seconds)
    done.set()
    sampler.join()
    tenth = max(1, len(samples) // 10)
    early, late = statistics.median(samples[:tenth]), statistics.median(samples[-tenth:])
    print(f"memory over {args.memory_seconds} s at c=8 ({long[0]:.0f} req/s, errors {long[3]}): "
          f"RSS first tenth {early / 1024:.1f} MB, last tenth {late / 1024:.1f} MB, max {max(samples) / 1024:.1f} MB, "
          f"growth {100 * (late - early) / early:+.1f}% (target within 10%)")
    os.unlink(qf.name)
    server.terminate()
    server.wait()


if __name__ == "__main__":
    main()
