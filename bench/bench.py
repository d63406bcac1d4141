#!/usr/bin/env python3
"""news-search against tantivy-cli, SQLite FTS5 and ripgrep, in one run.

Indexing: wall time, MB/s and articles/s from input files to a committed index,
peak RSS (/usr/bin/time), and index size against raw size, over alternating
rounds (A B C A B C ...). Querying: whole-process latency, a fresh process per
query, warm page cache, p50 and p95 over the queries in bench/queries.txt,
again alternating contenders. Prints a Markdown report on stdout.
"""
import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TANTIVY_SCHEMA = {
    "index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
    "segments": [],
    "schema": [
        {"name": "id", "type": "text", "options": {"indexing": {"record": "basic", "fieldnorms": False, "tokenizer": "raw"}, "stored": True, "fast": False}},
        {"name": "title", "type": "text", "options": {"indexing": {"record": "position", "fieldnorms": True, "tokenizer": "en_stem"}, "stored": True, "fast": False}},
        {"name": "body", "type": "text", "options": {"indexing": {"record": "position", "fieldnorms": True, "tokenizer": "en_stem"}, "stored": True, "fast": False}},
    ],
    "opstamp": 0,
}
ENGINES = ["news-search", "tantivy-cli", "sqlite-fts5", "ripgrep"]
SOURCES = ["Harbour Post", "Global Wire", "Metro Ledger", "Valley Courier", "Tech Briefing", "Northern Tribune",
           "Evening Star", "Morning Journal", "Daily Herald", "Coast Times"]


def du(path):
    path = Path(path)
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def timed(cmd, stdin=None, stdout=subprocess.DEVNULL):
    """Runs cmd under /usr/bin/time; returns (seconds, peak RSS in MB)."""
    with tempfile.NamedTemporaryFile("r") as tf:
        started = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tf.name, *cmd], stdin=stdin, stdout=stdout,
                       stderr=subprocess.DEVNULL, check=True)
        elapsed = time.perf_counter() - started
        peak_kb = int(tf.read().strip().splitlines()[-1])
    return elapsed, peak_kb / 1024


def summary(values):
    values = sorted(values)
    return {"median": statistics.median(values), "min": values[0], "max": values[-1]}


# ---------------------------------------------------------------- data sets

def scale_set(shared, chronam, out_dir, count, seed):
    """Writes `count` articles recombined from real lines (seeded) as JSONL files."""
    rng = random.Random(seed)
    lines = []
    for sgm in sorted((shared / "data/reuters21578").glob("*.sgm")):
        text = sgm.read_text(errors="replace")
        for body in re.findall(r"<BODY>(.*?)</BODY>", text, re.S):
            lines += [l.strip() for l in body.splitlines() if len(l.strip()) > 40]
    for page in sorted(chronam.rglob("*.txt"))[:3000]:
        lines += [l.strip() for l in page.read_text(errors="replace").splitlines()
                  if len(l.strip()) > 40 and sum(c.isalpha() for c in l) > 0.7 * len(l.strip())]
    out_dir.mkdir(parents=True, exist_ok=True)
    per_file = 20000
    for f in range((count + per_file - 1) // per_file):
        with open(out_dir / f"part-{f:04d}.jsonl", "w") as out:
            for n in range(f * per_file, min(count, (f + 1) * per_file)):
                body = " ".join(rng.choice(lines) for _ in range(rng.randint(4, 12)))
                day = f"{rng.randint(1987, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                out.write(json.dumps({"id": f"s{n}", "title": rng.choice(lines)[:120], "body": body,
                                      "date": day, "source": rng.choice(SOURCES)}) + "\n")


def datasets(args, work):
    shared = Path(args.shared)
    chronam = work / "chronam-1916-h1"
    if not chronam.exists():
        subprocess.run(f"zstd -dc {shared / 'data/chronam-1916-h1.tar.zst'} | tar -x -C {work}", shell=True, check=True)
    sets = [
        ("reuters", shared / "data/reuters21578", "1987-03-01", "1987-04-01", "Reuters", args.rounds),
        ("chronam", chronam / "dates", "1916-03-01", "1916-04-01", "New-York tribune.", args.rounds),
    ]
    if args.scale:
        scale = work / f"scale-{args.scale}"
        if not scale.exists():
            print(f"generating {args.scale} articles…", file=sys.stderr)
            scale_set(shared, chronam, scale, args.scale, seed=1916)
        sets.append(("scale", scale, "2020-01-01", "2021-01-01", "Harbour Post", 1))
    if args.only:
        sets = [s for s in sets if s[0] in args.only.split(",")]
    # chronam's titles.tsv sits above dates/: index the whole folder for news-search.
    return [(name, (raw.parent if name == "chronam" else raw), *rest) for name, raw, *rest in sets]


# ---------------------------------------------------------------- contenders

def prepare_peer_inputs(news, raw, work, name):
    """news-search's own parse of the raw files, as JSONL (for tantivy-cli) and as
    ASCII-separated rows (for sqlite3 .import): every engine indexes the same articles."""
    jsonl = work / f"{name}.jsonl"
    rows = work / f"{name}.rows"
    if not jsonl.exists():
        with open(jsonl, "w") as out:
            subprocess.run([news, "export", str(raw)], stdout=out, stderr=subprocess.DEVNULL, check=False)
    if not rows.exists():
        clean = lambda s: (s or "").replace("\x1f", " ").replace("\x1e", " ")
        with open(jsonl) as src, open(rows, "w") as out:
            for line in src:
                a = json.loads(line)
                out.write("\x1f".join([clean(a["id"]), clean(a["title"]), clean(a["body"]),
                                       (a["date"] or "")[:10], clean(a["source"])]) + "\x1e")
    return jsonl, rows


def index_news(news, raw, idx, jsonl, rows):
    return timed([news, "index", str(raw), "--index", str(idx), "--quiet"])


def index_tantivy(tantivy, idx, jsonl):
    idx.mkdir(parents=True)
    (idx / "meta.json").write_text(json.dumps(TANTIVY_SCHEMA))
    return timed([tantivy, "index", "-i", str(idx), "-f", str(jsonl), "-t", str(os.cpu_count() or 1)])


def index_fts5(db, rows):
    script = (".mode ascii\n"
              "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, date UNINDEXED, source UNINDEXED, tokenize='porter unicode61');\n"
              f"BEGIN;\n.import {rows} docs\nCOMMIT;\n")
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as sql:
        sql.write(script)
        sql.flush()
        with open(sql.name) as stdin:
            return timed(["sqlite3", str(db)], stdin=stdin)


# ---------------------------------------------------------------- queries

def load_queries(path, since, until, source):
    out = []
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, text = None, line
        if line.startswith("@date "):
            kind, text = "date", line[6:]
        elif line.startswith("@source "):
            kind, text = "source", line[8:]
        out.append((kind, text, since, until, source))
    return out


def news_cmd(news, idx, q):
    kind, text, since, until, source = q
    if kind == "date":
        text = f"{text} date:[{since}T00:00:00Z TO {until}T00:00:00Z}}"
    elif kind == "source":
        text = f'{text} source:"{source}"'
    return [news, "query", text, "--index", str(idx), "--json", "--limit", "10"]


def fts_match(text):
    """news-search syntax → FTS5 MATCH syntax."""
    tokens = re.findall(r'-?"[^"]*"|\(|\)|[^\s()]+', text)
    parts = []
    for t in tokens:
        if t in ("(", ")", "OR"):
            parts.append(t)
        elif t.startswith("-"):
            parts.append(f'NOT "{t[1:].strip(chr(34))}"')
        elif t.startswith("title:"):
            parts.append(f'title : "{t[6:]}"')
        else:
            parts.append(f'"{t.strip(chr(34))}"')
    # FTS5 wants an explicit AND between a group and its neighbour.
    out = []
    for part in parts:
        if out and out[-1] not in ("(", "OR") and part not in (")", "OR") and not part.startswith("NOT"):
            out.append("AND")
        out.append(part)
    return " ".join(out)


def fts_cmd(db, q):
    kind, text, since, until, source = q
    where = f"docs MATCH '{fts_match(text)}'"
    if kind == "date":
        where += f" AND date >= '{since}' AND date < '{until}'"
    elif kind == "source":
        where += f" AND source = '{source}'"
    sql = (f"SELECT id, snippet(docs, 2, '[', ']', '…', 20) FROM docs WHERE {where} "
           "ORDER BY bm25(docs, 0, 2.0, 1.0) LIMIT 10;")
    return ["sqlite3", "-readonly", str(db), sql]


def rg_cmd(raw, q):
    words = [w for w in re.findall(r'-?[A-Za-z0-9]+', q[1].replace("title:", "")) if not w.startswith("-") and w != "OR"]
    cmd = ["rg", "-i", "-w", "-c"]
    for w in words:
        cmd += ["-e", w]
    return cmd + [str(raw)]


def latency(cmd):
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - started) * 1000


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--news", required=True)
    ap.add_argument("--tantivy", default="", help="tantivy-cli binary (for --engines tantivy-cli)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--query-rounds", type=int, default=3)
    ap.add_argument("--scale", type=int, default=1_000_000)
    ap.add_argument("--only", default="")
    ap.add_argument("--queries", default=str(Path(__file__).with_name("queries.txt")))
    ap.add_argument("--engines", default=",".join(ENGINES),
                    help="comma-separated subset of " + ", ".join(ENGINES) + " (news-search always runs)")
    args = ap.parse_args()
    engines = {"news-search", *args.engines.split(",")}
    unknown = engines - set(ENGINES)
    if unknown:
        ap.error(f"unknown engines: {', '.join(sorted(unknown))}")
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    report = {}
    for name, raw, since, until, source, rounds in datasets(args, work):
        jsonl = rows = None
        if engines & {"tantivy-cli", "sqlite-fts5"}:
            print(f"== {name}: preparing peer inputs", file=sys.stderr)
            jsonl, rows = prepare_peer_inputs(args.news, raw, work, name)
        raw_bytes = du(raw)
        res = {"raw_bytes": raw_bytes, "index": {}, "query": {}}
        idx = {"news-search": work / f"{name}.news", "tantivy-cli": work / f"{name}.tantivy", "sqlite-fts5": work / f"{name}.db"}
        idx = {who: path for who, path in idx.items() if who in engines}
        runs = {k: [] for k in idx}
        for r in range(rounds):
            order = list(idx) if r % 2 == 0 else list(reversed(idx))
            for who in order:
                target = idx[who]
                if target.exists():
                    shutil.rmtree(target) if target.is_dir() else target.unlink()
                print(f"== {name}: index round {r + 1}/{rounds}: {who}", file=sys.stderr)
                if who == "news-search":
                    secs, peak = index_news(args.news, raw, target, jsonl, rows)
                elif who == "tantivy-cli":
                    secs, peak = index_tantivy(args.tantivy, target, jsonl)
                else:
                    secs, peak = index_fts5(target, rows)
                runs[who].append((secs, peak))
        stats = subprocess.run([args.news, "stats", "--json", "--index", str(idx["news-search"])],
                               capture_output=True, text=True, check=True)
        articles = json.loads(stats.stdout)["articles"]
        res["articles"] = articles
        for who, values in runs.items():
            secs = summary([v[0] for v in values])
            res["index"][who] = {
                "seconds": secs,
                "mb_s": raw_bytes / 1e6 / secs["median"],
                "articles_s": articles / secs["median"],
                "peak_mb": max(v[1] for v in values),
                "size_bytes": du(idx[who]),
            }
        queries = load_queries(args.queries, since, until, source)
        commands = {
            "news-search": lambda q: news_cmd(args.news, idx["news-search"], q),
            "sqlite-fts5": lambda q: fts_cmd(idx["sqlite-fts5"], q),
            "ripgrep": lambda q: rg_cmd(raw, q),
        }
        commands = {who: make for who, make in commands.items() if who in engines}
        for who, make in commands.items():  # warm the page cache
            for q in queries:
                latency(make(q))
        lat = {who: [] for who in commands}
        round_p50 = {who: [] for who in commands}
        qrounds = args.query_rounds if name != "scale" else max(1, args.query_rounds - 1)
        for r in range(qrounds):
            print(f"== {name}: query round {r + 1}/{qrounds}", file=sys.stderr)
            this = {who: [] for who in commands}
            for i, q in enumerate(queries):
                order = list(commands)
                order = order[i % len(order):] + order[:i % len(order)]
                for who in order:
                    this[who].append(latency(commands[who](q)))
            for who in commands:
                lat[who] += this[who]
                round_p50[who].append(statistics.median(this[who]))
        for who in commands:
            res["query"][who] = {"p50": statistics.median(lat[who]), "p95": percentile(lat[who], 95),
                                 "p50_rounds": round_p50[who], "queries": len(queries)}
        report[name] = res
    json.dump(report, open(work / "report.json", "w"), indent=2)
    print(markdown(report))


def markdown(report):
    out = []
    for name, res in report.items():
        out.append(f"### {name}: {res['articles']:,} articles, {res['raw_bytes'] / 1e6:.1f} MB raw\n")
        out.append("| indexing | MB/s (median) | articles/s | time s (min–max) | peak RSS MB | index MB | index / raw |")
        out.append("| --- | --- | --- | --- | --- | --- | --- |")
        for who, v in res["index"].items():
            s = v["seconds"]
            out.append(f"| {who} | {v['mb_s']:.1f} | {v['articles_s']:,.0f} | {s['median']:.2f} ({s['min']:.2f}–{s['max']:.2f}) | "
                       f"{v['peak_mb']:.0f} | {v['size_bytes'] / 1e6:.1f} | {v['size_bytes'] / res['raw_bytes']:.2f} |")
        news = res["index"]["news-search"]["mb_s"]
        out.append("")
        if {"tantivy-cli", "sqlite-fts5"} <= set(res["index"]):
            out.append(f"news-search indexes at {news / res['index']['tantivy-cli']['mb_s']:.2f}× tantivy-cli's MB/s and "
                       f"{news / res['index']['sqlite-fts5']['mb_s']:.2f}× SQLite FTS5's.\n")
        out.append("| query (whole process, 10 hits) | p50 ms | p95 ms | p50 per round |")
        out.append("| --- | --- | --- | --- |")
        for who, v in res["query"].items():
            rounds = ", ".join(f"{x:.1f}" for x in v["p50_rounds"])
            out.append(f"| {who} | {v['p50']:.1f} | {v['p95']:.1f} | {rounds} |")
        q = res["query"]
        out.append("")
        if {"sqlite-fts5", "ripgrep"} <= set(q):
            out.append(f"news-search p50 is {q['news-search']['p50'] / q['sqlite-fts5']['p50']:.2f}× SQLite FTS5's and "
                       f"{q['ripgrep']['p50'] / q['news-search']['p50']:.1f}× faster than ripgrep.\n")
    return "\n".join(out)


if __name__ == "__main__":
    main()
