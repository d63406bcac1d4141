#!/usr/bin/env python3
"""Archive formats: what news-search reads of each, and how its PDF text compares
with poppler's `pdftotext` (4-word F1, the measure of issue 20).

    python3 bench/formats.py [--news target/release/news-search] [FOLDER...]

Folders default to tests/formats and, when present, ../shared/data/formats. For
each file it prints the format, the articles `news-search export` made of it and
the warnings; for each PDF, precision, recall and F1 of its word 4-grams against
`pdftotext` (Debian `poppler-utils`), and the medians. Words are lower-cased,
kept to letters and digits, and words broken at a line end are joined on both
sides first (what a reader of either text would do), so the score measures the
text and its order, not hyphenation.
"""

import argparse
import collections
import json
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def words(text):
    text = re.sub(r"(\w)-\n\s*(\w)", r"\1\2", text)
    out = []
    for raw in text.split():
        word = "".join(c for c in raw.lower() if c.isalnum())
        if word:
            out.append(word)
    return out


def grams(text, n=4):
    w = words(text)
    return collections.Counter(" ".join(w[i : i + n]) for i in range(len(w) - n + 1))


def f1(ours, reference):
    a, b = grams(ours), grams(reference)
    common = sum((a & b).values())
    if not a or not b:
        return 0.0, 0.0, 0.0
    p, r = common / sum(a.values()), common / sum(b.values())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def export(news, path):
    run = subprocess.run([news, "export", path], capture_output=True, text=True)
    articles = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    warnings = [l for l in run.stderr.splitlines() if l.strip()]
    return articles, warnings


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--news", default=os.path.join(ROOT, "target/release/news-search"))
    ap.add_argument("folders", nargs="*")
    args = ap.parse_args()
    folders = args.folders or [
        f
        for f in (os.path.join(ROOT, "tests/formats"), os.path.join(ROOT, "../shared/data/formats"))
        if os.path.isdir(f)
    ]
    files = sorted(
        os.path.join(d, f)
        for folder in folders
        for d, _, names in os.walk(folder)
        for f in names
        if not f.endswith((".png", ".py", ".md"))
    )
    scores = []
    print(f"{'file':62} {'articles':>8}  warnings")
    for path in files:
        articles, warnings = export(args.news, path)
        shown = os.path.relpath(path, ROOT)
        print(f"{shown[-62:]:62} {len(articles):>8}  {len(warnings)}")
        for w in warnings:
            print(f"{'':72}{w.split(': ', 1)[-1][:100]}")
        if path.endswith(".pdf") and articles:
            reference = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout
            p, r, f = f1(articles[0]["body"], reference)
            scores.append(f)
            print(f"{'':72}4-word vs pdftotext: P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    if scores:
        print(f"\nPDF 4-word F1 against pdftotext: median {statistics.median(scores):.3f}, "
              f"min {min(scores):.3f} over {len(scores)} PDFs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
