#!/usr/bin/env python3
"""Experiment, not a benchmark of the product: pseudo-relevance feedback on the
TIME collection, done outside news-search. For each query, the top K articles of
`news-search query --any` give the M words with the highest tf x idf among them
(not in the query), appended to the query as `word^W`; `eval` then scores the
expanded queries (written to q2.tsv, index in ./idx).

    python3 bench/prf_experiment.py K M W [NEWS_SEARCH]
    news-search eval --queries q2.tsv --qrels ../shared/data/time/time.qrels --index idx

Run from the project root (2026-12-04): MAP 0.7057 without; K M W = 3 2 0.3: 0.7316,
3 2 0.2: 0.7245, 3 2 0.4: 0.7119, 4 2 0.3: 0.7068, 5 2 0.3: 0.6941, 3 1 0.3:
0.6963, 3 3 0.3: 0.7136, 5 10 0.3: 0.6765. No plateau: not shipped.
"""
import json, math, re, subprocess, sys, collections
B = sys.argv[4] if len(sys.argv) > 4 else "target/release/news-search"
T = "../shared/data/time"
docs={}
for l in open(f"{T}/docs.tsv"):
    i,t=l.rstrip("\n").split("\t",1); docs[i]=t
import os
if not os.path.exists("idx"):
    subprocess.run([B,"index","-","--index","idx","-q"],input="".join(json.dumps({"id":i,"body":t})+"\n" for i,t in docs.items()).encode(),check=True)
stop=set("a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with he his its has have had were which from who would been said also she her him one two new after more than over about up out all can could may what when where we our you i".split())
tok=lambda s:[w for w in re.findall(r"[a-z]+",s.lower()) if w not in stop and len(w)>2]
df=collections.Counter()
for t in docs.values(): df.update(set(tok(t)))
N=len(docs)
queries=[l.rstrip("\n").split("\t",1) for l in open(f"{T}/queries.tsv")]
K=int(sys.argv[1]); M=int(sys.argv[2]); W=float(sys.argv[3])
out=open("q2.tsv","w")
for qid,q in queries:
    r=subprocess.run([B,"query"," ".join(re.findall(r"[A-Za-z]+",q)),"--any","--json","-n",str(K),"--no-collapse","--index","idx"],capture_output=True,text=True).stdout
    ids=[json.loads(x)["data"]["id"] for x in r.splitlines() if json.loads(x)["type"]=="match"]
    qw=set(tok(q))
    score=collections.Counter()
    for i in ids:
        tf=collections.Counter(tok(docs[i])); n=sum(tf.values()) or 1
        for w,c in tf.items():
            if w in qw or df[w]<2: continue
            score[w]+=c/n*math.log(N/df[w])
    exp=[w for w,_ in score.most_common(M)]
    out.write(qid+"\t"+q+" "+" ".join(f"{w}^{W}" for w in exp)+"\n")
out.close()
