//! `--json`: one `match` object per hit, then a `summary`, each on its own line.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::json;

use super::Printer;
use crate::article::{Article, format_date};
use crate::search::{Hit, SearchResults, snippet::Snippet};

/// JSON Lines printer.
pub struct Json<W> {
    out: W,
}

impl<W: Write> Json<W> {
    /// A printer writing to `out`.
    pub fn new(out: W) -> Self {
        Json { out }
    }

    fn line(&mut self, kind: &str, data: impl Serialize) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, &json!({ "type": kind, "data": data }))?;
        self.out.write_all(b"\n")
    }
}

/// Writes one article as a JSON line (the `export` format, readable by `index -`).
pub fn write_article(out: &mut impl Write, article: &Article) -> io::Result<()> {
    let value = json!({
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "date": article.date.as_ref().map(format_date),
        "source": article.source,
        "author": article.author,
        "url": article.url,
        "path": article.path,
    });
    serde_json::to_writer(&mut *out, &value)?;
    out.write_all(b"\n")
}

/// The `data` of a `match` line.
#[derive(Serialize)]
struct MatchData<'a> {
    rank: usize,
    score: f32,
    id: &'a str,
    title: &'a str,
    date: Option<String>,
    source: Option<&'a str>,
    author: Option<&'a str>,
    url: Option<&'a str>,
    path: Option<&'a str>,
    lang: Option<&'a str>,
    title_highlights: &'a [[usize; 2]],
    snippets: &'a [Snippet],
    similar_count: usize,
    similar: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    near_duplicate: bool,
}

impl<W: Write> Printer for Json<W> {
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        self.line(
            "match",
            MatchData {
                rank: hit.rank,
                score: hit.score,
                id: &hit.id,
                title: &hit.title,
                date: hit.date.as_ref().map(format_date),
                source: hit.source.as_deref(),
                author: hit.author.as_deref(),
                url: hit.url.as_deref(),
                path: hit.path.as_deref(),
                lang: hit.lang.as_deref(),
                title_highlights: &hit.title_highlights,
                snippets: &hit.snippets,
                similar_count: hit.similar_count,
                similar: hit
                    .similar
                    .iter()
                    .map(|c| {
                        json!({
                            "id": c.id,
                            "title": c.title,
                            "date": c.date.as_ref().map(format_date),
                            "source": c.source,
                            "path": c.path,
                        })
                    })
                    .collect(),
                near_duplicate: hit.near_duplicate,
            },
        )
    }

    fn finish(&mut self, results: &SearchResults) -> io::Result<()> {
        let elapsed_ms = (results.elapsed.as_secs_f64() * 1000.0 * 100.0).round() / 100.0;
        let mut summary = json!({
            "hits": results.hits.len(),
            "total": results.total,
            "elapsed_ms": elapsed_ms,
            "notes": results.notes,
            "suggestion": results.suggestion,
            "top_sources": results
                .top_sources
                .iter()
                .map(|(source, count)| json!({ "source": source, "count": count }))
                .collect::<Vec<_>>(),
        });
        if let Some(timeline) = &results.timeline {
            summary["timeline"] = json!({
                "unit": timeline.unit.name(),
                "buckets": timeline
                    .buckets
                    .iter()
                    .map(|(key, count)| json!({ "key": key, "count": count }))
                    .collect::<Vec<_>>(),
                "missing": timeline.missing,
            });
        }
        self.line("summary", summary)?;
        self.out.flush()
    }
}
