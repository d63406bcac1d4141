//! The indexed terms an automaton accepts (a fuzzy word's neighbours), read from
//! every segment's term dictionary: shared by fuzzy query words, which keep the
//! closest few, and "did you mean", which keeps the best one.

use std::collections::HashMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::error::{Error, Result};
use crate::index::NewsIndex;

/// Indexed terms within `edits` of `term` in `field`, with the number of articles
/// holding each.
pub fn fuzzy_terms(
    index: &NewsIndex,
    searcher: &Searcher,
    field: Field,
    term: &str,
    edits: u8,
) -> Result<HashMap<String, u64>> {
    let fail = |e: tantivy::TantivyError| Error::index(&index.dir, e);
    let automaton = FuzzyTermQuery::new(Term::from_field_text(field, term), edits, true)
        .automaton()
        .map_err(fail)?;
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field).map_err(fail)?;
        let mut stream = inverted
            .terms()
            .search(&automaton)
            .into_stream()
            .map_err(|e| Error::index(&index.dir, e))?;
        while stream.advance() {
            if let Ok(text) = std::str::from_utf8(stream.key()) {
                *found.entry(text.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    Ok(found)
}

/// At most `limit` of `found`, the closest to `term` first, then the most common
/// (Lucene's `maxExpansions`): a fuzzy word costs the same whatever it matches.
pub fn closest(found: HashMap<String, u64>, term: &str, limit: usize) -> Vec<String> {
    let mut ranked: Vec<(usize, u64, String)> = found
        .into_iter()
        .map(|(candidate, freq)| (strsim::osa_distance(&candidate, term), freq, candidate))
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    ranked.truncate(limit);
    ranked
        .into_iter()
        .map(|(_, _, candidate)| candidate)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_keeps_the_nearest_then_the_most_common() {
        let found: HashMap<String, u64> = [("cent", 5), ("center", 1), ("centre", 9), ("cents", 2)]
            .into_iter()
            .map(|(t, f)| (t.to_string(), f))
            .collect();
        assert_eq!(closest(found.clone(), "centr", 2), ["centre", "cent"]);
        assert_eq!(closest(found, "centr", 10).len(), 4);
    }
}
