#!/usr/bin/env python3
"""Ranking quality: news-search against tantivy's default English-stem BM25 (the
Python `tantivy` bindings, same engine version) and SQLite FTS5 (porter, bm25),
on the TIME collection and on Reuters-21578 with TOPICS labels as pseudo-judgments.
Every engine gets the same articles and the same natural-language queries, matched
as "any word", scored with the trec_eval definitions (MAP over the top 1000,
nDCG@10, P@10). Prints a Markdown table."""
import argparse
import json
import math
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

# Reuters topic → a query a user would type for it.
REUTERS_TOPICS = {
    "earn": "quarterly earnings profit net income per share",
    "acq": "company acquisition merger takeover bid",
    "money-fx": "foreign exchange currency market intervention",
    "grain": "grain harvest exports",
    "crude": "crude oil prices production",
    "trade": "trade deficit surplus imports exports",
    "interest": "interest rates cut rise",
    "ship": "shipping vessels ports tanker",
    "wheat": "wheat exports crop",
    "corn": "corn maize crop",
    "dlr": "dollar exchange rate",
    "money-supply": "money supply growth",
    "oilseed": "oilseed soybean rapeseed",
    "sugar": "sugar production exports",
    "coffee": "coffee quotas exports",
    "gold": "gold mine production ounces",
    "gnp": "gross national product economic growth",
    "cpi": "consumer price index inflation",
    "cocoa": "cocoa crop",
    "copper": "copper prices mine",
    "jobs": "unemployment jobs labor",
    "reserves": "foreign reserves central bank",
    "rubber": "rubber prices",
    "iron-steel": "iron steel production",
    "livestock": "cattle hogs livestock",
}


def metrics(ranking, judged):
    relevant = sum(1 for g in judged.values() if g > 0)
    hits, ap = 0, 0.0
    for k, doc in enumerate(ranking[:1000]):
        if judged.get(doc, 0) > 0:
            hits += 1
            ap += hits / (k + 1)
    p10 = sum(1 for d in ranking[:10] if judged.get(d, 0) > 0) / 10
    dcg = sum(judged.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranking[:10]))
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return ap / relevant, (dcg / idcg if idcg else 0.0), p10


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def run_tantivy(docs, queries, qrels):
    import tantivy
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("body", stored=False, tokenizer_name="en_stem")
    index = tantivy.Index(builder.build())
    writer = index.writer()
    for doc_id, text in docs:
        writer.add_document(tantivy.Document(id=doc_id, body=text))
    writer.commit()
    index.reload()
    searcher = index.searcher()
    scores = []
    for qid, text in queries:
        if qid not in qrels:
            continue
        q = index.parse_query(" ".join(words(text)) or "x", ["body"])
        hits = searcher.search(q, 1000).hits
        ranking = [searcher.doc(addr)["id"][0] for _, addr in hits]
        scores.append(metrics(ranking, qrels[qid]))
    return scores


def run_fts5(docs, queries, qrels):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, tokenize='porter unicode61')")
    db.executemany("INSERT INTO docs VALUES (?, ?)", docs)
    scores = []
    for qid, text in queries:
        if qid not in qrels:
            continue
        match = " OR ".join(f'"{w}"' for w in words(text))
        rows = db.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 1000", (match,)).fetchall()
        scores.append(metrics([r[0] for r in rows], qrels[qid]))
    return scores


def run_news(news, docs, queries, qrels, work):
    idx = Path(tempfile.mkdtemp(dir=work)) / "news-idx"
    payload = "".join(json.dumps({"id": i, "body": t}) + "\n" for i, t in docs)
    subprocess.run([news, "index", "-", "--index", str(idx), "--quiet"], input=payload.encode(), check=True)
    qfile, rfile = Path(work) / "q.tsv", Path(work) / "qrels"
    qfile.write_text("".join(f"{q}\t{t}\n" for q, t in queries))
    rfile.write_text("".join(f"{q} 0 {d} {g}\n" for q, j in qrels.items() for d, g in j.items()))
    out = subprocess.run([news, "eval", "--queries", str(qfile), "--qrels", str(rfile), "--index", str(idx), "--json"],
                         capture_output=True, check=True).stdout
    return [(q["ap"], q["ndcg@10"], q["p@10"]) for q in json.loads(out)["per_query"]]


def time_collection(shared):
    base = Path(shared) / "data/time"
    docs = [tuple(l.rstrip("\n").split("\t", 1)) for l in open(base / "docs.tsv")]
    queries = [tuple(l.rstrip("\n").split("\t", 1)) for l in open(base / "queries.tsv") if l.strip()]
    qrels = {}
    for line in open(base / "time.qrels"):
        q, _, d, g = line.split()
        if int(g) > 0:
            qrels.setdefault(q, {})[d] = int(g)
    return docs, queries, qrels


def reuters(shared):
    docs, qrels = [], {}
    for sgm in sorted((Path(shared) / "data/reuters21578").glob("*.sgm")):
        text = sgm.read_text(errors="replace")
        for rec in re.findall(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", text, re.S):
            newid, inner = rec
            title = re.search(r"<TITLE>(.*?)</TITLE>", inner, re.S)
            body = re.search(r"<BODY>(.*?)</BODY>", inner, re.S)
            doc = " ".join(x.group(1) for x in (title, body) if x)
            docs.append((newid, re.sub(r"&#?\w+;", " ", doc)))
            topics = re.search(r"<TOPICS>(.*?)</TOPICS>", inner, re.S)
            for topic in re.findall(r"<D>(.*?)</D>", topics.group(1) if topics else ""):
                if topic in REUTERS_TOPICS:
                    qrels.setdefault(topic, {})[newid] = 1
    queries = list(REUTERS_TOPICS.items())
    return docs, queries, qrels


def mean(rows, i):
    return sum(r[i] for r in rows) / len(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", required=True)
    ap.add_argument("--news", required=True, action="append",
                    help="a news-search binary; give it twice to compare two builds in one run")
    ap.add_argument("--news-only", action="store_true",
                    help="leave out the peers (tantivy's Python bindings and SQLite FTS5)")
    args = ap.parse_args()
    print("| collection | engine | queries | MAP | nDCG@10 | P@10 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, (docs, queries, qrels) in [("TIME", time_collection(args.shared)), ("Reuters-21578 TOPICS", reuters(args.shared))]:
        with tempfile.TemporaryDirectory() as work:
            engines = [(f"news-search ({news})", lambda news=news: run_news(news, docs, queries, qrels, work))
                       for news in args.news]
            if not args.news_only:
                engines += [("tantivy en_stem BM25 (default)", lambda: run_tantivy(docs, queries, qrels)),
                            ("SQLite FTS5 porter bm25", lambda: run_fts5(docs, queries, qrels))]
            for engine, run in engines:
                rows = run()
                print(f"| {name} | {engine} | {len(rows)} | {mean(rows, 0):.4f} | {mean(rows, 1):.4f} | {mean(rows, 2):.4f} |")
                sys.stdout.flush()


if __name__ == "__main__":
    main()
