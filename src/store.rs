//! Where articles live: a local Tantivy index folder or a Quickwit index. The
//! commands and the server ask a [`Store`]; only this file knows which one it has.

use std::path::Path;

use tantivy::schema::TantivyDocument;
use tantivy::{DocAddress, IndexReader, ReloadPolicy, Searcher};

use crate::article::Article;
use crate::error::{Error, Result};
use crate::index::stats::{self, Stats};
use crate::index::{NewsIndex, check, lookup};
use crate::location::Location;
use crate::quickwit::Quickwit;
use crate::search::engine::Job;
use crate::search::synonyms::Synonyms;
use crate::search::{self, SearchRequest, SearchResults, similar};

/// An open index, local or on a Quickwit node.
pub enum Store {
    /// A folder on this machine, with a reader that follows the indexer's commits
    /// (within about half a second; it never writes).
    Local(NewsIndex, IndexReader),
    /// An index on a Quickwit node or cluster.
    Quickwit(Quickwit),
}

/// What a name given for articles may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// An article id only: what a server takes from a request, never a path on its disk.
    Id,
    /// An article id, or else the path of an indexed file on this machine (the
    /// command line's `show PATH`).
    IdOrPath,
}

impl Store {
    /// Opens the index at `location` (it must exist) for one command: a local
    /// index is read as it stands when opened.
    pub fn open(location: &Location) -> Result<Store> {
        Store::open_with(location, ReloadPolicy::Manual)
    }

    /// Opens the index at `location` for a server: a local index's reader takes
    /// in what later runs commit, shortly after each commit. (It watches
    /// `meta.json` on a thread of its own, which also reads the index once more
    /// when it starts: work a single command does not need.)
    pub fn open_live(location: &Location) -> Result<Store> {
        Store::open_with(location, ReloadPolicy::OnCommitWithDelay)
    }

    fn open_with(location: &Location, reload: ReloadPolicy) -> Result<Store> {
        Ok(match location {
            Location::Local(dir) => {
                let index = NewsIndex::open(dir)?;
                let reader = index
                    .index
                    .reader_builder()
                    .reload_policy(reload)
                    .try_into()
                    .map_err(|e| Error::index(dir, e))?;
                Store::Local(index, reader)
            }
            Location::Quickwit(url) => Store::Quickwit(Quickwit::open(url)?),
        })
    }

    /// The folder of a local index (`None` over Quickwit).
    pub fn local_dir(&self) -> Option<&Path> {
        match self {
            Store::Local(index, _) => Some(&index.dir),
            Store::Quickwit(_) => None,
        }
    }

    /// The most article ids one search should name (`Filters::ids`): a Quickwit
    /// query names them in its text.
    pub fn most_ids(&self) -> usize {
        match self {
            Store::Local(..) => usize::MAX,
            Store::Quickwit(_) => 1000,
        }
    }

    /// Checks that the articles can be read: on a local index, its segments agree
    /// with `meta.json` and their stores with their checksums (see `index/check.rs`).
    pub fn readable(&self) -> Result<()> {
        match self {
            Store::Local(index, reader) => check::counts_agree(index, &reader.searcher()),
            Store::Quickwit(_) => Ok(()),
        }
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        self.run(request)
    }

    /// Runs work written once over the search engine (a search, trends).
    pub fn run<J: Job>(&self, job: J) -> Result<J::Output> {
        match self {
            Store::Local(index, reader) => search::run_with(index, &reader.searcher(), job),
            Store::Quickwit(quickwit) => quickwit.run(job),
        }
    }

    /// The articles `target` names (see [`Named`]), in the order their file holds them.
    pub fn find(&self, target: &str, named: Named) -> Result<Vec<Article>> {
        match self {
            Store::Local(index, reader) => {
                let searcher = reader.searcher();
                check::counts_agree(index, &searcher)?;
                let mut articles = Vec::new();
                for address in addresses(index, &searcher, target, named)? {
                    let doc: TantivyDocument = searcher
                        .doc(address)
                        .map_err(|e| Error::index(&index.dir, e))?;
                    articles.push(index.fields.article(&doc));
                }
                Ok(articles)
            }
            Store::Quickwit(quickwit) => match named {
                Named::Id => quickwit.find(target, None),
                Named::IdOrPath => {
                    quickwit.find(target, Some(&crate::ingest::key_for(Path::new(target))))
                }
            },
        }
    }

    /// Coverage like the first article `target` names (its words searched as their
    /// `synonyms` too), and how many articles it named; `None` when it names none.
    pub fn similar(
        &self,
        target: &str,
        named: Named,
        synonyms: Option<&Synonyms>,
        limit: usize,
        snippet_chars: usize,
    ) -> Result<Option<(SearchResults, usize)>> {
        let found = self.find(target, named)?;
        let Some(article) = found.first() else {
            return Ok(None);
        };
        let results = self.run(similar::Similar {
            article,
            synonyms,
            limit,
            snippet_chars,
        })?;
        Ok(Some((results, found.len())))
    }

    /// What the index holds.
    pub fn stats(&self, top: usize) -> Result<Stats> {
        match self {
            Store::Local(index, _) => stats::compute(index, top),
            Store::Quickwit(quickwit) => quickwit.stats(top),
        }
    }
}

/// Where the articles `target` names are in the local index.
fn addresses(
    index: &NewsIndex,
    searcher: &Searcher,
    target: &str,
    named: Named,
) -> Result<Vec<DocAddress>> {
    match named {
        Named::Id => lookup::by_id(index, searcher, target),
        Named::IdOrPath => lookup::find(index, searcher, target),
    }
}
