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
/// `target` (resolved on this machine's disk, as the command line means it), in
/// the order the file holds them.
pub fn find(index: &NewsIndex, searcher: &Searcher, target: &str) -> Result<Vec<DocAddress>> {
    let found = by_id(index, searcher, target)?;
    if !found.is_empty() {
        return Ok(found);
    }
    with_term(
        index,
        searcher,
        Term::from_field_text(index.fields.file_key, &key_for(Path::new(target))),
    )
}

/// The article with id `id`, looked up in the index alone: what a server does
/// with an id from a request, which must never name a file on its disk.
pub fn by_id(index: &NewsIndex, searcher: &Searcher, id: &str) -> Result<Vec<DocAddress>> {
    with_term(index, searcher, Term::from_field_text(index.fields.id, id))
}

/// The articles holding `term`, in the order their files hold them.
fn with_term(index: &NewsIndex, searcher: &Searcher, term: Term) -> Result<Vec<DocAddress>> {
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
}
