//! Where articles live: a local Tantivy index folder or a Quickwit index. The
//! commands ask a [`Store`]; only this file knows which one it has.

use std::path::Path;

use tantivy::schema::TantivyDocument;

use crate::article::Article;
use crate::error::{Error, Result};
use crate::index::stats::{self, Stats};
use crate::index::{NewsIndex, lookup};
use crate::location::Location;
use crate::quickwit::Quickwit;
use crate::search::{self, SearchRequest, SearchResults, similar};

/// An open index, local or on a Quickwit node.
pub enum Store {
    /// A folder on this machine.
    Local(NewsIndex),
    /// An index on a Quickwit node or cluster.
    Quickwit(Quickwit),
}

impl Store {
    /// Opens the index at `location` (it must exist).
    pub fn open(location: &Location) -> Result<Store> {
        Ok(match location {
            Location::Local(dir) => Store::Local(NewsIndex::open(dir)?),
            Location::Quickwit(url) => Store::Quickwit(Quickwit::open(url)?),
        })
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        match self {
            Store::Local(index) => search::search(index, request),
            Store::Quickwit(quickwit) => quickwit.search(request),
        }
    }

    /// The articles with id `target`, or else those indexed from the file at path
    /// `target`, in index order.
    pub fn find(&self, target: &str) -> Result<Vec<Article>> {
        match self {
            Store::Local(index) => {
                let fail = |e: tantivy::TantivyError| Error::index(&index.dir, e);
                let searcher = index.index.reader().map_err(fail)?.searcher();
                let mut articles = Vec::new();
                for address in lookup::find(index, &searcher, target)? {
                    let doc: TantivyDocument = searcher.doc(address).map_err(fail)?;
                    articles.push(index.fields.article(&doc));
                }
                Ok(articles)
            }
            Store::Quickwit(quickwit) => {
                quickwit.find(target, Some(&crate::ingest::key_for(Path::new(target))))
            }
        }
    }

    /// Coverage like the first article with id (or from the file at path) `target`,
    /// and how many articles `target` named; `None` when it names none.
    pub fn similar(
        &self,
        target: &str,
        limit: usize,
        snippet_chars: usize,
    ) -> Result<Option<(SearchResults, usize)>> {
        match self {
            Store::Local(index) => {
                let fail = |e: tantivy::TantivyError| Error::index(&index.dir, e);
                let searcher = index.index.reader().map_err(fail)?.searcher();
                let found = lookup::find(index, &searcher, target)?;
                let Some(&first) = found.first() else {
                    return Ok(None);
                };
                let results = similar::similar(index, &searcher, first, limit, snippet_chars, 1)?;
                Ok(Some((results, found.len())))
            }
            Store::Quickwit(quickwit) => {
                let found = self.find(target)?;
                let Some(first) = found.first() else {
                    return Ok(None);
                };
                let results = quickwit.similar(first, limit, snippet_chars, 1)?;
                Ok(Some((results, found.len())))
            }
        }
    }

    /// What the index holds.
    pub fn stats(&self, top: usize) -> Result<Stats> {
        match self {
            Store::Local(index) => stats::compute(index, top),
            Store::Quickwit(quickwit) => quickwit.stats(top),
        }
    }
}
