//! "Did you mean": when a query finds nothing, each of its words that the index has
//! never seen is replaced by the closest word it has (at most two edits, most
//! frequent first), shown as it is written in an article.

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

use super::expand;
use super::snippet::{Highlighter, Marks};
use crate::error::{Error, Result};
use crate::index::NewsIndex;

/// Largest number of edits a suggestion may be from the typed word.
const MAX_EDITS: u8 = 2;
/// Longer queries get no suggestion (they are pasted text, not typed words).
const MAX_WORDS: usize = 12;

/// A corrected query.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The query with its unknown words replaced.
    pub query: String,
    /// Each replaced word and its replacement.
    pub replaced: Vec<(String, String)>,
}

/// Suggests a correction of `query`, whose plain `words` (typed form, analysed term)
/// are given, or `None` when every word is known or nothing close exists.
pub fn suggest(
    index: &NewsIndex,
    searcher: &Searcher,
    query: &str,
    words: &[(String, String)],
) -> Result<Option<Suggestion>> {
    if words.len() > MAX_WORDS {
        return Ok(None);
    }
    let fail = |e: tantivy::TantivyError| Error::index(&index.dir, e);
    let field = index.fields.body;
    let mut replaced = Vec::new();
    for (typed, term) in words {
        let known = searcher
            .doc_freq(&Term::from_field_text(field, term))
            .map_err(fail)?;
        if known > 0 || replaced.iter().any(|(t, _): &(String, String)| t == typed) {
            continue;
        }
        let edits = match term.chars().count() {
            0..=2 => continue,
            3..=5 => 1,
            _ => MAX_EDITS,
        };
        let Some(close) = closest(searcher, index, typed, term, edits)? else {
            continue;
        };
        let Some(written) = as_written(index, searcher, &close)? else {
            continue;
        };
        replaced.push((typed.clone(), written));
    }
    if replaced.is_empty() {
        return Ok(None);
    }
    let corrected = query
        .split_whitespace()
        .map(
            |word| match replaced.iter().find(|(t, _)| *t == word.to_lowercase()) {
                Some((_, fix)) => fix.clone(),
                None => word.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join(" ");
    if corrected == query.split_whitespace().collect::<Vec<_>>().join(" ") {
        return Ok(None);
    }
    Ok(Some(Suggestion {
        query: corrected,
        replaced,
    }))
}

/// The indexed body term closest to `term` (the analysed form of `typed`): fewest
/// edits from the term, then from the word as typed, then most articles.
fn closest(
    searcher: &Searcher,
    index: &NewsIndex,
    typed: &str,
    term: &str,
    edits: u8,
) -> Result<Option<String>> {
    let found = expand::fuzzy_terms(index, searcher, index.fields.body, term, edits)?;
    Ok(found
        .into_iter()
        .filter(|(candidate, _)| candidate != term)
        .min_by_key(|(candidate, freq)| {
            (
                strsim::osa_distance(candidate, term),
                strsim::osa_distance(candidate, typed),
                u64::MAX - freq,
                candidate.clone(),
            )
        })
        .map(|(candidate, _)| candidate))
}

/// How an analysed term is written in an article that contains it (`center` →
/// `centre`, `elect` → `election`), lowercased.
fn as_written(index: &NewsIndex, searcher: &Searcher, term: &str) -> Result<Option<String>> {
    let fail = |e: tantivy::TantivyError| Error::index(&index.dir, e);
    let field = index.fields.body;
    let query = TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::Basic);
    let top = searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())
        .map_err(fail)?;
    let Some((_, address)) = top.first() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(*address).map_err(fail)?;
    let article = index.fields.article(&doc);
    let body = article.body;
    let analysis =
        crate::index::analysis::Analysis::of(article.lang.as_deref().unwrap_or_default());
    let marks = Marks {
        terms: vec![term.to_string()],
        ..Marks::default()
    };
    let mut highlighter = Highlighter::new(analysis, marks, HashMap::new());
    let first = highlighter.highlight(&body).into_iter().next();
    Ok(first.map(|[start, end]| {
        body.chars()
            .skip(start)
            .take(end - start)
            .collect::<String>()
            .to_lowercase()
    }))
}
