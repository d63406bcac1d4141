//! Finding stored articles by what a user can name: an article id, or the path of
//! the file they were indexed from.

use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use super::NewsIndex;
use crate::error::{Error, Result};
use crate::ingest::key_for;

/// Most articles returned for one file.
pub const MAX_ARTICLES: usize = 10_000;

/// The articles with id `target`, or else those indexed from the file at path
/// `target`, in the order the file holds them.
pub fn find(index: &NewsIndex, searcher: &Searcher, target: &str) -> Result<Vec<DocAddress>> {
    let fields = index.fields;
    let find = |term: Term| -> Result<Vec<DocAddress>> {
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let hits = searcher
            .search(&query, &TopDocs::with_limit(MAX_ARTICLES).order_by_score())
            .map_err(|e| Error::index(&index.dir, e))?;
        let records = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("record"))
            .collect::<tantivy::Result<Vec<_>>>()
            .map_err(|e| Error::index(&index.dir, e))?;
        let mut found: Vec<(Option<u64>, DocAddress)> = hits
            .into_iter()
            .map(|(_, address)| {
                let record = records[address.segment_ord as usize].first(address.doc_id);
                (record, address)
            })
            .collect();
        found.sort();
        Ok(found.into_iter().map(|(_, address)| address).collect())
    };
    let found = find(Term::from_field_text(fields.id, target))?;
    if !found.is_empty() {
        return Ok(found);
    }
    find(Term::from_field_text(
        fields.file_key,
        &key_for(Path::new(target)),
    ))
}
