#!/usr/bin/env python3
"""Experiment, not a benchmark of the product: RM3 relevance-model feedback on the
TIME collection, done outside news-search (see prf_experiment.py for the simpler
tf x idf variant). For each query, the top K articles of `news-search query --any`
are weighted by their share of the top-K score; each word's relevance-model
weight is the sum over them of (its count / article length) x that share. The
M best words not in the query, their weights normalised, join the query with
weight (1 - L) against L for the query's own words, written as `word^boost`;
`eval` then scores the expanded queries.

    python3 bench/rm3_experiment.py K M L [NEWS_SEARCH]    # prints MAP

Run from the project root; the index is built in ./idx-time.
"""
import json, math, re, subprocess, sys, collections, os
B = sys.argv[4] if len(sys.argv) > 4 else "target/release/news-search"
T = "../shared/data/time"
docs = {}
for l in open(f"{T}/docs.tsv"):
    i, t = l.rstrip("\n").split("\t", 1)
    docs[i] = t
if not os.path.exists("idx-time"):
    subprocess.run([B, "index", "-", "--index", "idx-time", "-q"],
                   input="".join(json.dumps({"id": i, "body": t}) + "\n" for i, t in docs.items()).encode(), check=True)
stop = set(open(f"{T}/TIME.STP").read().lower().split())
tok = lambda s: [w for w in re.findall(r"[a-z]+", s.lower()) if w not in stop and len(w) > 2]
df = collections.Counter()
for t in docs.values():
    df.update(set(tok(t)))
queries = [l.rstrip("\n").split("\t", 1) for l in open(f"{T}/queries.tsv")]
K, M, L = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
out = open("q-rm3.tsv", "w")
for qid, q in queries:
    words = q
    r = subprocess.run([B, "query", words, "--any", "--json", "-n", str(K), "--no-collapse", "--index", "idx-time"],
                       capture_output=True, text=True).stdout
    hits = [json.loads(x)["data"] for x in r.splitlines() if json.loads(x)["type"] == "match"]
    total = sum(h["score"] for h in hits) or 1.0
    qw = set(tok(q))
    rel = collections.Counter()
    for h in hits:
        tf = collections.Counter(tok(docs[h["id"]]))
        n = sum(tf.values()) or 1
        for w, c in tf.items():
            if w not in qw and df[w] >= 2:
                rel[w] += c / n * h["score"] / total
    best = rel.most_common(M)
    mass = sum(p for _, p in best) or 1.0
    own = max(len(qw), 1)
    # Query words weigh L / |q| each, expansion words (1 - L) x their share;
    # scaled so a query word has boost 1.
    exp = " ".join(f"{w}^{(1 - L) * p / mass * own / L:.4f}" for w, p in best)
    out.write(f"{qid}\t{words} {exp}\n")
out.close()
r = subprocess.run([B, "eval", "--queries", "q-rm3.tsv", "--qrels", f"{T}/time.qrels", "--index", "idx-time", "--json"],
                   capture_output=True, text=True, check=True)
print(K, M, L, json.loads(r.stdout)["map"])
