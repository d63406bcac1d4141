//! `--json`: one `match` object per hit, then a `summary`, each on its own line.
//! The objects are serde types shared with the web API (`serve`), so the command
//! line and the API say the same thing in the same shape.

use std::io::{self, Write};

use serde::Serialize;

use crate::scan::{Scan, ScanPage};
use serde_json::json;

use super::Printer;
use crate::article::{Article, format_date};
use crate::search::timeline::Timeline;
use crate::search::{Duplicate, Hit, SearchResults, snippet::Snippet};

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

/// One whole article: the `export` and `show --json` format, readable by `index -`.
#[derive(Debug, Serialize)]
pub struct ArticleData<'a> {
    /// Article id.
    pub id: &'a str,
    /// Headline.
    pub title: &'a str,
    /// Main text.
    pub body: &'a str,
    /// Publication time, RFC 3339.
    pub date: Option<String>,
    /// Publisher.
    pub source: Option<&'a str>,
    /// Place of publication.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<&'a str>,
    /// Author.
    pub author: Option<&'a str>,
    /// URL.
    pub url: Option<&'a str>,
    /// Source file.
    pub path: Option<&'a str>,
    /// The language the source declared or the one detected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<&'a str>,
    /// OCR confidence, 0 to 1, when the format gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr_quality: Option<f64>,
    /// The printed pages, for formats that give them.
    #[serde(skip_serializing_if = "<[ScanPage]>::is_empty")]
    pub pages: &'a [ScanPage],
}

/// An OCR quality as written (`0.731`, not `0.7310000061988831`).
fn quality(value: Option<f32>) -> Option<f64> {
    value.map(|q| significant(f64::from(q), 4))
}

/// The pages of a scan, or none.
fn pages(scan: Option<&Scan>) -> &[ScanPage] {
    scan.map_or(&[], |s| s.pages.as_slice())
}

impl<'a> ArticleData<'a> {
    /// The data of `article`.
    pub fn of(article: &'a Article) -> Self {
        ArticleData {
            id: &article.id,
            title: &article.title,
            body: &article.body,
            date: article.date.as_ref().map(format_date),
            source: article.source.as_deref(),
            place: article.place.as_deref(),
            author: article.author.as_deref(),
            url: article.url.as_deref(),
            path: article.path.as_deref(),
            lang: article.lang.as_deref(),
            ocr_quality: quality(article.ocr_quality),
            pages: pages(article.scan.as_ref()),
        }
    }
}

/// Writes one article as a JSON line (the `export` format, readable by `index -`).
pub fn write_article(out: &mut impl Write, article: &Article) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &ArticleData::of(article))?;
    out.write_all(b"\n")
}

/// A near-duplicate listed under a hit.
#[derive(Debug, Serialize)]
pub struct DuplicateData<'a> {
    /// Article id.
    pub id: &'a str,
    /// Headline.
    pub title: &'a str,
    /// Publication time, RFC 3339.
    pub date: Option<String>,
    /// Publisher.
    pub source: Option<&'a str>,
    /// Source file.
    pub path: Option<&'a str>,
}

impl<'a> DuplicateData<'a> {
    fn of(copy: &'a Duplicate) -> Self {
        DuplicateData {
            id: &copy.id,
            title: &copy.title,
            date: copy.date.as_ref().map(format_date),
            source: copy.source.as_deref(),
            path: copy.path.as_deref(),
        }
    }
}

/// The `data` of a `match` line: one hit.
#[derive(Debug, Serialize)]
pub struct MatchData<'a> {
    /// 1-based rank.
    pub rank: usize,
    /// Score (0 when sorted by date), to 4 significant digits.
    pub score: f64,
    /// Article id.
    pub id: &'a str,
    /// Headline.
    pub title: &'a str,
    /// Publication time, RFC 3339.
    pub date: Option<String>,
    /// Publisher.
    pub source: Option<&'a str>,
    /// Place of publication (from a sidecar table or the record), or null.
    pub place: Option<&'a str>,
    /// Author.
    pub author: Option<&'a str>,
    /// URL.
    pub url: Option<&'a str>,
    /// Source file.
    pub path: Option<&'a str>,
    /// Language code.
    pub lang: Option<&'a str>,
    /// OCR confidence, 0 to 1, when the format gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr_quality: Option<f64>,
    /// The printed pages, for formats that give them.
    #[serde(skip_serializing_if = "<[ScanPage]>::is_empty")]
    pub pages: &'a [ScanPage],
    /// Matched words in the headline, as character ranges.
    pub title_highlights: &'a [[usize; 2]],
    /// Passages with their highlights.
    pub snippets: &'a [Snippet],
    /// Near-duplicates collapsed into this hit.
    pub similar_count: usize,
    /// The first of them, earliest first.
    pub similar: Vec<DuplicateData<'a>>,
    /// In `similar` output: a near-duplicate of the article asked about.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub near_duplicate: bool,
}

impl<'a> MatchData<'a> {
    /// The data of `hit`.
    pub fn of(hit: &'a Hit) -> Self {
        MatchData {
            rank: hit.rank,
            score: significant(f64::from(hit.score), 4),
            id: &hit.id,
            title: &hit.title,
            date: hit.date.as_ref().map(format_date),
            source: hit.source.as_deref(),
            place: hit.place.as_deref(),
            author: hit.author.as_deref(),
            url: hit.url.as_deref(),
            path: hit.path.as_deref(),
            lang: hit.lang.as_deref(),
            ocr_quality: quality(hit.ocr_quality),
            pages: pages(hit.scan.as_ref()),
            title_highlights: &hit.title_highlights,
            snippets: &hit.snippets,
            similar_count: hit.similar_count,
            similar: hit.similar.iter().map(DuplicateData::of).collect(),
            near_duplicate: hit.near_duplicate,
        }
    }
}

/// `value` rounded to `digits` significant digits (a score's noise is not news).
pub(crate) fn significant(value: f64, digits: i32) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let scale = 10f64.powi(digits - 1 - value.abs().log10().floor() as i32);
    (value * scale).round() / scale
}

/// A source and how many matching articles it has.
#[derive(Debug, Serialize)]
pub struct SourceCount<'a> {
    /// Source name.
    pub source: &'a str,
    /// Matching articles.
    pub count: usize,
}

/// A language and how many matching articles are in it.
#[derive(Debug, Serialize)]
pub struct LanguageCount<'a> {
    /// ISO 639-1 code (`und`: undetermined).
    pub lang: &'a str,
    /// Matching articles.
    pub count: usize,
}

/// One bar of a timeline.
#[derive(Debug, Serialize)]
pub struct BucketData<'a> {
    /// Period (or source) name.
    pub key: &'a str,
    /// Matching articles.
    pub count: usize,
}

/// Matching articles per period or source.
#[derive(Debug, Serialize)]
pub struct TimelineData<'a> {
    /// `day`, `week`, `month`, `year` or `source`.
    pub unit: &'static str,
    /// The bars, in order.
    pub buckets: Vec<BucketData<'a>>,
    /// Matching articles with no date (or no source).
    pub missing: usize,
}

impl<'a> TimelineData<'a> {
    /// The data of `timeline`.
    pub fn of(timeline: &'a Timeline) -> Self {
        TimelineData {
            unit: timeline.unit.name(),
            buckets: timeline
                .buckets
                .iter()
                .map(|(key, count)| BucketData { key, count: *count })
                .collect(),
            missing: timeline.missing,
        }
    }
}

/// The `data` of the `summary` line.
#[derive(Debug, Serialize)]
pub struct SummaryData<'a> {
    /// Hits on this page.
    pub hits: usize,
    /// Matching articles in all.
    pub total: usize,
    /// The `offset` of the next page (stories when collapsed), `null` on the last.
    pub next_offset: Option<usize>,
    /// Search time in milliseconds.
    pub elapsed_ms: f64,
    /// Remarks (a query read leniently, a fuzzy retry…).
    pub notes: &'a [String],
    /// A corrected query, when this one found nothing.
    pub suggestion: Option<&'a str>,
    /// The synonyms applied to the query (`--synonyms`).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub synonyms: &'a [crate::search::synonyms::Expansion],
    /// The largest sources of the matching set.
    pub top_sources: Vec<SourceCount<'a>>,
    /// The languages of the matching set, largest first.
    pub languages: Vec<LanguageCount<'a>>,
    /// Matching articles per period or source, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<TimelineData<'a>>,
}

impl<'a> SummaryData<'a> {
    /// The summary of `results`.
    pub fn of(results: &'a SearchResults) -> Self {
        SummaryData {
            hits: results.hits.len(),
            total: results.total,
            next_offset: results.next_offset,
            elapsed_ms: (results.elapsed.as_secs_f64() * 1000.0 * 100.0).round() / 100.0,
            notes: &results.notes,
            suggestion: results.suggestion.as_deref(),
            synonyms: &results.synonyms,
            top_sources: results
                .top_sources
                .iter()
                .map(|(source, count)| SourceCount {
                    source,
                    count: *count,
                })
                .collect(),
            languages: results
                .languages
                .iter()
                .map(|(lang, count)| LanguageCount {
                    lang,
                    count: *count,
                })
                .collect(),
            timeline: results.timeline.as_ref().map(TimelineData::of),
        }
    }
}

impl<W: Write> Printer for Json<W> {
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        self.line("match", MatchData::of(hit))
    }

    fn finish(&mut self, results: &SearchResults) -> io::Result<()> {
        self.line("summary", SummaryData::of(results))?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::significant;

    #[test]
    fn scores_keep_four_significant_digits() {
        assert_eq!(significant(16.783_229_827_880_86, 4), 16.78);
        assert_eq!(significant(0.012_345_6, 4), 0.01235);
        assert_eq!(significant(1234.56, 4), 1235.0);
        assert_eq!(significant(0.0, 4), 0.0);
    }
}
