//! `news-search batch`: CSV or TSV with one row per (query, hit), or JSON Lines
//! (`match` lines carrying `query_id`, a `batch` line per query, a `summary`).
//! Cells that a spreadsheet would take for a formula are made text ([`inert`]).

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::json;

use super::inert;
use super::json::{MatchData, significant};
use crate::article::format_date;
use crate::error::Error;
use crate::search::batch::Entry;
use crate::search::{Hit, SearchResults};

/// How a batch is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchFormat {
    /// Comma-separated, quoted as RFC 4180 says.
    Csv,
    /// Tab-separated, tabs and line breaks inside a cell turned into spaces.
    Tsv,
    /// JSON Lines.
    Jsonl,
}

/// The columns of CSV and TSV.
pub const HEADER: [&str; 10] = [
    "query_id", "query", "rank", "id", "title", "date", "source", "score", "url", "path",
];

/// Writes a batch's results as they come, query by query.
pub struct BatchPrinter<W: Write> {
    format: BatchFormat,
    out: W,
    started: bool,
}

/// A `match` line of a batch: the hit, and the query it answers.
#[derive(Serialize)]
struct BatchMatch<'a> {
    query_id: &'a str,
    #[serde(flatten)]
    hit: MatchData<'a>,
}

/// Counts over the whole batch, for the closing `summary` line.
#[derive(Debug, Clone, Copy, Default)]
pub struct BatchTally {
    /// Queries run.
    pub queries: usize,
    /// Queries with at least one match.
    pub matched: usize,
    /// Queries that failed (a bad query).
    pub failed: usize,
    /// Lines of the list that could not be read.
    pub bad_lines: usize,
    /// Wall time in milliseconds.
    pub elapsed_ms: f64,
}

impl<W: Write> BatchPrinter<W> {
    /// A printer writing `format` to `out`.
    pub fn new(format: BatchFormat, out: W) -> Self {
        BatchPrinter {
            format,
            out,
            started: false,
        }
    }

    /// Writes one query's answer: its hits, or (JSON Lines only) its error.
    pub fn query(
        &mut self,
        entry: &Entry,
        result: &Result<SearchResults, Error>,
    ) -> io::Result<()> {
        if !self.started && self.format != BatchFormat::Jsonl {
            self.row(&HEADER.map(Cow::Borrowed))?;
        }
        self.started = true;
        match self.format {
            BatchFormat::Csv | BatchFormat::Tsv => {
                if let Ok(results) = result {
                    for hit in &results.hits {
                        self.row(&cells(entry, hit))?;
                    }
                }
                Ok(())
            }
            BatchFormat::Jsonl => {
                let summary = match result {
                    Ok(results) => {
                        for hit in &results.hits {
                            let line = BatchMatch {
                                query_id: &entry.id,
                                hit: MatchData::of(hit),
                            };
                            self.json("match", line)?;
                        }
                        json!({
                            "id": entry.id,
                            "query": entry.query,
                            "line": entry.line,
                            "total": results.total,
                            "hits": results.hits.len(),
                            "notes": results.notes,
                            "suggestion": results.suggestion,
                        })
                    }
                    Err(e) => json!({
                        "id": entry.id,
                        "query": entry.query,
                        "line": entry.line,
                        "total": null,
                        "hits": 0,
                        "error": e.to_string(),
                    }),
                };
                self.json("batch", summary)
            }
        }
    }

    /// Writes the closing summary (JSON Lines; CSV and TSV have none) and flushes.
    pub fn finish(mut self, tally: &BatchTally) -> io::Result<W> {
        match self.format {
            BatchFormat::Jsonl => self.json(
                "summary",
                json!({
                    "queries": tally.queries,
                    "matched": tally.matched,
                    "failed": tally.failed,
                    "bad_lines": tally.bad_lines,
                    "elapsed_ms": (tally.elapsed_ms * 100.0).round() / 100.0,
                }),
            )?,
            BatchFormat::Csv | BatchFormat::Tsv if !self.started => {
                self.row(&HEADER.map(Cow::Borrowed))?;
            }
            BatchFormat::Csv | BatchFormat::Tsv => {}
        }
        self.out.flush()?;
        Ok(self.out)
    }

    fn json(&mut self, kind: &str, data: impl Serialize) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, &json!({ "type": kind, "data": data }))?;
        self.out.write_all(b"\n")
    }

    fn row(&mut self, cells: &[Cow<'_, str>]) -> io::Result<()> {
        match self.format {
            BatchFormat::Csv => {
                let mut writer = csv::WriterBuilder::new()
                    .has_headers(false)
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(&mut self.out);
                writer
                    .write_record(cells.iter().map(|c| inert(c).into_owned()))
                    .map_err(io::Error::other)?;
                writer.flush()
            }
            BatchFormat::Tsv => {
                let line: Vec<String> = cells
                    .iter()
                    .map(|c| inert(&c.replace(['\t', '\r', '\n'], " ")).into_owned())
                    .collect();
                writeln!(self.out, "{}", line.join("\t"))
            }
            BatchFormat::Jsonl => Ok(()),
        }
    }
}

/// One (query, hit) row.
fn cells<'a>(entry: &'a Entry, hit: &'a Hit) -> [Cow<'a, str>; 10] {
    let text = |v: &'a Option<String>| Cow::Borrowed(v.as_deref().unwrap_or(""));
    [
        Cow::Borrowed(entry.id.as_str()),
        Cow::Borrowed(entry.query.as_str()),
        Cow::Owned(hit.rank.to_string()),
        Cow::Borrowed(hit.id.as_str()),
        Cow::Borrowed(hit.title.as_str()),
        Cow::Owned(hit.date.as_ref().map(format_date).unwrap_or_default()),
        text(&hit.source),
        Cow::Owned(significant(f64::from(hit.score), 4).to_string()),
        text(&hit.url),
        text(&hit.path),
    ]
}
