//! What is in an index: article count, date range, the largest sources, the
//! languages, size on disk.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::ops::AddAssign;
use std::path::Path;

use chrono::{DateTime, Utc};
use tantivy::columnar::StrColumn;

use super::NewsIndex;
use crate::error::{Error, Result};

/// Summary of an index.
#[derive(Debug, Clone)]
pub struct Stats {
    /// Where the index is (a folder or a Quickwit URL).
    pub index: String,
    /// Live articles.
    pub articles: u64,
    /// Articles without a date.
    pub undated: u64,
    /// Earliest publication date.
    pub first_date: Option<DateTime<Utc>>,
    /// Latest publication date.
    pub last_date: Option<DateTime<Utc>>,
    /// The sources with the most articles, largest first.
    pub top_sources: Vec<(String, u64)>,
    /// Articles without a source.
    pub unsourced: u64,
    /// Articles per detected language code, largest first.
    pub languages: Vec<(String, u64)>,
    /// Bytes on disk.
    pub size_bytes: u64,
    /// Number of segments.
    pub segments: usize,
}

/// Reads the statistics, listing at most `top` sources.
pub fn compute(index: &NewsIndex, top: usize) -> Result<Stats> {
    let fail = |e: tantivy::TantivyError| Error::index(&index.dir, e);
    let reader = index.index.reader().map_err(fail)?;
    let searcher = reader.searcher();
    super::check::counts_agree(index, &searcher)?;
    let mut stats = Stats {
        index: index.dir.display().to_string(),
        articles: searcher.num_docs(),
        undated: 0,
        first_date: None,
        last_date: None,
        top_sources: Vec::new(),
        unsourced: 0,
        languages: Vec::new(),
        size_bytes: folder_size(&index.dir)?,
        segments: searcher.segment_readers().len(),
    };
    let mut sources: HashMap<String, u64> = HashMap::new();
    let mut languages: HashMap<String, u64> = HashMap::new();
    let (mut first, mut last): (Option<i64>, Option<i64>) = (None, None);
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let dates = fast.i64("date").map_err(fail)?;
        let names = fast.str("source_exact").map_err(fail)?;
        let langs = fast.str("lang").map_err(fail)?;
        let mut per_ord: HashMap<u64, u64> = HashMap::new();
        let mut per_lang: HashMap<u64, u64> = HashMap::new();
        for doc in segment.doc_ids_alive() {
            match dates.first(doc) {
                Some(secs) => {
                    first = Some(first.map_or(secs, |f| f.min(secs)));
                    last = Some(last.map_or(secs, |l| l.max(secs)));
                }
                None => stats.undated += 1,
            }
            match names.as_ref().and_then(|n| n.term_ords(doc).next()) {
                Some(ord) => *per_ord.entry(ord).or_default() += 1,
                None => stats.unsourced += 1,
            }
            if let Some(ord) = langs.as_ref().and_then(|l| l.term_ords(doc).next()) {
                *per_lang.entry(ord).or_default() += 1;
            }
        }
        let fail_io = |e| Error::index(&index.dir, e);
        if let Some(langs) = &langs {
            add_by_name(langs, per_lang, &mut languages).map_err(fail_io)?;
        }
        if let Some(names) = &names {
            add_by_name(names, per_ord, &mut sources).map_err(fail_io)?;
        }
    }
    stats.first_date = first.and_then(|s| DateTime::from_timestamp(s, 0));
    stats.last_date = last.and_then(|s| DateTime::from_timestamp(s, 0));
    stats.top_sources = largest_first(sources);
    stats.top_sources.truncate(top);
    stats.languages = largest_first(languages);
    Ok(stats)
}

/// Adds counts kept per term ordinal of a string fast field to counts per string.
pub fn add_by_name<N: Copy + Default + AddAssign>(
    column: &StrColumn,
    per_ord: impl IntoIterator<Item = (u64, N)>,
    into: &mut HashMap<String, N>,
) -> io::Result<()> {
    // One sequential pass over the dictionary: looking each ordinal up on its
    // own decodes its block from the start, which dominated searches over
    // thousands of sources.
    let mut counts: Vec<(u64, N)> = per_ord.into_iter().collect();
    counts.sort_unstable_by_key(|&(ord, _)| ord);
    let ords: Vec<u64> = counts.iter().map(|&(ord, _)| ord).collect();
    let mut counts = counts.into_iter();
    column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
        if let Some((_, count)) = counts.next() {
            *into
                .entry(String::from_utf8_lossy(bytes).into_owned())
                .or_default() += count;
        }
    })?;
    Ok(())
}

/// Counts by name, largest first, ties in name order.
pub fn largest_first<N: Ord>(counts: HashMap<String, N>) -> Vec<(String, N)> {
    let mut counts: Vec<(String, N)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}

fn folder_size(dir: &Path) -> Result<u64> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    Ok(entries
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum())
}
