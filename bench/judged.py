#!/usr/bin/env python3
"""Ranking on German and French: a small judged set we wrote ourselves
(`bench/judged/`: 30 short articles, 16 queries that use other inflections than
the articles, some with umlauts written out), scored by `news-search eval` for each
build given, and by SQLite FTS5 with the `unicode61 remove_diacritics 2`
tokenizer (no stemmer for these languages), all with the trec_eval definitions.
Each build runs twice: with the articles' declared language, and with it left to
detection.

    python3 bench/judged.py --news before=/tmp/ns-before --news after=target/release/news-search
"""
import argparse
import json
import re
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from quality import metrics

HERE = Path(__file__).parent / "judged"


def load():
    docs = [line.rstrip("\n").split("\t") for line in open(HERE / "articles.tsv", encoding="utf-8")]
    queries = [line.rstrip("\n").split("\t") for line in open(HERE / "queries.tsv", encoding="utf-8")]
    qrels = {}
    for line in open(HERE / "qrels"):
        q, _, d, g = line.split()
        qrels.setdefault(q, {})[d] = int(g)
    return docs, queries, qrels


def run_news(binary, docs, declared, work):
    index = Path(tempfile.mkdtemp(dir=work)) / "idx"
    payload = "".join(
        json.dumps({"id": i, "body": t, **({"lang": lang} if declared else {})}) + "\n"
        for i, lang, t in docs)
    subprocess.run([binary, "index", "-", "--index", str(index), "-q"], input=payload.encode(), check=True)
    out = subprocess.run([binary, "eval", "--queries", str(HERE / "queries.tsv"), "--qrels", str(HERE / "qrels"),
                          "--index", str(index), "--json"], capture_output=True, check=True).stdout
    return {q["query"]: (q["ap"], q["ndcg@10"], q["p@10"]) for q in json.loads(out)["per_query"]}


def run_fts5(docs, queries, qrels):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO docs VALUES (?, ?)", [(i, t) for i, _, t in docs])
    out = {}
    for qid, text in queries:
        match = " OR ".join(f'"{w}"' for w in re.findall(r"\w+", text.lower()))
        rows = db.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 1000", (match,)).fetchall()
        out[qid] = metrics([r[0] for r in rows], qrels[qid])
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--news", action="append", default=[], help="NAME=BINARY")
    args = parser.parse_args()
    docs, queries, qrels = load()
    rows = [("SQLite FTS5 unicode61 remove_diacritics", run_fts5(docs, queries, qrels))]
    with tempfile.TemporaryDirectory() as work:
        for spec in args.news:
            name, binary = spec.split("=", 1)
            rows.append((f"news-search {name}, declared language", run_news(binary, docs, True, work)))
            rows.append((f"news-search {name}, detected language", run_news(binary, docs, False, work)))
    print("| engine | set | queries | MAP | nDCG@10 | P@10 |")
    print("|---|---|---|---|---|---|")
    for name, per_query in rows:
        for label, prefix in (("German", "d"), ("French", "f"), ("both", "")):
            scores = [v for q, v in per_query.items() if q.startswith(prefix)]
            mean = [sum(s[i] for s in scores) / len(scores) for i in range(3)]
            print(f"| {name} | {label} | {len(scores)} | {mean[0]:.4f} | {mean[1]:.4f} | {mean[2]:.4f} |")


if __name__ == "__main__":
    main()
