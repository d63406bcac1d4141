//! `similar`: related coverage of one article (more-like-this over its headline and
//! body terms, weighted by tf-idf), with its near-duplicates marked.

use std::collections::HashMap;
use std::time::Instant;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, TantivyDocument, Value};
use tantivy::{DocAddress, Searcher, Term};

use super::collapse::Columns;
use super::snippet::{Highlighter, Marks};
use super::{Hit, SearchResults};
use crate::error::{Error, Result};
use crate::index::NewsIndex;
use crate::index::fingerprint::near_duplicates;

/// Most distinctive terms of the article that the search uses.
const QUERY_TERMS: usize = 30;

/// Articles like the one at `target`, best first; its near-duplicates say so.
pub fn similar(
    index: &NewsIndex,
    searcher: &Searcher,
    target: DocAddress,
    limit: usize,
    snippet_chars: usize,
    passages: usize,
) -> Result<SearchResults> {
    let started = Instant::now();
    let fail = |e: tantivy::TantivyError| Error::index(&index.dir, e);
    let fields = index.fields;
    let doc: TantivyDocument = searcher.doc(target).map_err(fail)?;
    let id = doc
        .get_first(fields.id)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    let docs = searcher.num_docs();
    let like = MoreLikeThisQuery::builder()
        .with_min_doc_frequency(2)
        .with_max_doc_frequency((docs / 5).max(2))
        .with_min_term_frequency(1)
        .with_min_word_length(2)
        .with_max_query_terms(QUERY_TERMS)
        .with_document(target);
    let query = BooleanQuery::new(vec![
        (Occur::Must, Box::new(like) as Box<dyn Query>),
        (
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_text(fields.id, &id),
                IndexRecordOption::Basic,
            )),
        ),
    ]);
    let (total, top) = searcher
        .search(
            &query,
            &(Count, TopDocs::with_limit(limit.max(1)).order_by_score()),
        )
        .map_err(fail)?;
    let columns = Columns::open(searcher).map_err(fail)?;
    let bands = columns.bands(target);
    let analyzer = index.index.tokenizer_for_field(fields.body).map_err(fail)?;
    let mut lead = Highlighter::new(analyzer, Marks::default(), HashMap::new());
    let mut hits = Vec::with_capacity(top.len());
    for (n, (score, address)) in top.into_iter().take(limit).enumerate() {
        let doc: TantivyDocument = searcher.doc(address).map_err(fail)?;
        let body = fields.article(&doc).body;
        hits.push(Hit {
            snippets: lead.snippets(&body, snippet_chars, passages.min(1)),
            near_duplicate: near_duplicates(&bands, &columns.bands(address)),
            ..Hit::new(n + 1, score, &fields, &doc)
        });
    }
    Ok(SearchResults {
        hits,
        total,
        elapsed: started.elapsed(),
        notes: Vec::new(),
        timeline: None,
        top_sources: Vec::new(),
        languages: Vec::new(),
        suggestion: None,
    })
}
