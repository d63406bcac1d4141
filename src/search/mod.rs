//! From a query string to ranked hits: parse, collect the top documents and the
//! total, then load each hit's fields and build its highlights and snippet.

pub mod eval;
pub mod filter;
pub mod query;
pub mod snippet;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::{Field, TantivyDocument};
use tantivy::{Order, Searcher, Term};

use crate::error::{Error, Result};
use crate::index::NewsIndex;
use snippet::{Highlighter, Snippet};

/// What to search for and how much to return.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query in the documented syntax.
    pub query: String,
    /// Hits to return (0 = only count).
    pub limit: usize,
    /// Hits to skip first, for paging.
    pub offset: usize,
    /// Snippet size in characters.
    pub snippet_chars: usize,
    /// Build highlights and snippets (not needed for paths only).
    pub snippets: bool,
    /// Match articles with any of the words instead of all of them.
    pub match_any: bool,
    /// Date window and sources.
    pub filters: filter::Filters,
    /// Order of the hits.
    pub sort: SortOrder,
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Best BM25 score first.
    #[default]
    Relevance,
    /// Latest publication first.
    Newest,
    /// Earliest publication first.
    Oldest,
}

/// Above this many requested hits, count first so the collector is sized to the matches.
const LARGE_LIMIT: usize = 1000;

/// One ranked article.
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank, counting the offset.
    pub rank: usize,
    /// BM25 score.
    pub score: f32,
    /// Stable article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Publication time.
    pub date: Option<DateTime<Utc>>,
    /// Publisher.
    pub source: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Source file.
    pub path: Option<String>,
    /// Matched words in the title, as character ranges.
    pub title_highlights: Vec<[usize; 2]>,
    /// Passages of the body.
    pub snippets: Vec<Snippet>,
}

/// The answer to a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// How many articles match in all.
    pub total: usize,
    /// Time spent searching, including snippets.
    pub elapsed: Duration,
    /// Remarks for the user (for example, a query read leniently).
    pub notes: Vec<String>,
}

/// Runs a search.
pub fn search(index: &NewsIndex, request: &SearchRequest) -> Result<SearchResults> {
    let started = Instant::now();
    let fail = |e: tantivy::TantivyError| Error::index(&index.dir, e);
    let mut parsed = query::parse(index, &request.query, request.match_any)?;
    parsed.query = request.filters.apply(index, parsed.query);
    let reader = index.index.reader().map_err(fail)?;
    let searcher = reader.searcher();

    let mut limit = request.limit;
    if limit > LARGE_LIMIT {
        let total = searcher.search(&parsed.query, &Count).map_err(fail)?;
        limit = limit.min(total.saturating_sub(request.offset));
    }
    let (total, top) = if limit == 0 {
        (
            searcher.search(&parsed.query, &Count).map_err(fail)?,
            Vec::new(),
        )
    } else {
        let top_docs = TopDocs::with_limit(limit).and_offset(request.offset);
        match request.sort {
            SortOrder::Relevance => searcher
                .search(&parsed.query, &(Count, top_docs.order_by_score()))
                .map_err(fail)?,
            SortOrder::Newest | SortOrder::Oldest => {
                let order = if request.sort == SortOrder::Newest {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let by_date = top_docs.order_by_fast_field::<tantivy::DateTime>("date", order);
                let (total, top) = searcher
                    .search(&parsed.query, &(Count, by_date))
                    .map_err(fail)?;
                // Sorted by date, hits carry no relevance score.
                (
                    total,
                    top.into_iter().map(|(_, address)| (0.0, address)).collect(),
                )
            }
        }
    };

    let mut hits = Vec::with_capacity(top.len());
    if !top.is_empty() {
        let fields = index.fields;
        let mut terms: HashMap<Field, Vec<Term>> = HashMap::new();
        parsed.highlight.query_terms(&mut |term, _| {
            terms.entry(term.field()).or_default().push(term.clone());
        });
        let analyzer = |field| index.index.tokenizer_for_field(field).map_err(fail);
        let mut title_marks = Highlighter::new(
            analyzer(fields.title)?,
            weighted(&searcher, terms.get(&fields.title)),
        );
        let mut body_marks = Highlighter::new(
            analyzer(fields.body)?,
            weighted(&searcher, terms.get(&fields.body)),
        );
        for (n, (score, address)) in top.into_iter().enumerate() {
            let doc: TantivyDocument = searcher.doc(address).map_err(fail)?;
            let article = fields.article(&doc);
            hits.push(Hit {
                rank: request.offset + n + 1,
                score,
                title_highlights: if request.snippets {
                    title_marks.highlight(&article.title)
                } else {
                    Vec::new()
                },
                snippets: if request.snippets {
                    body_marks
                        .snippet(&article.body, request.snippet_chars)
                        .into_iter()
                        .collect()
                } else {
                    Vec::new()
                },
                id: article.id,
                title: article.title,
                date: article.date,
                source: article.source,
                author: article.author,
                url: article.url,
                path: article.path,
            });
        }
    }
    Ok(SearchResults {
        hits,
        total,
        elapsed: started.elapsed(),
        notes: parsed.note.into_iter().collect(),
    })
}

/// Query terms of one field with an IDF-like weight, so rare words steer the snippet.
fn weighted(searcher: &Searcher, terms: Option<&Vec<Term>>) -> Vec<(String, f32)> {
    let total = searcher.num_docs().max(1) as f32;
    terms
        .into_iter()
        .flatten()
        .filter_map(|term| {
            let text = term.value().as_str()?.to_string();
            let df = searcher.doc_freq(term).unwrap_or(0) as f32;
            Some((text, (1.0 + total / (1.0 + df)).ln()))
        })
        .collect()
}
