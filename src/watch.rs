//! Saved searches and watchlists, kept with the index in `watches.json`: each
//! watch is one query, or a list of them (the names in a leak), with its filters.
//! After every `index` run, the articles that run added and that match a watch
//! are recorded as unread under it, until `watch new --mark-read`.
//!
//! With a local index the file is replaced whole (written beside, then renamed),
//! under a lock file, so a run and a `watch` command never interleave their
//! changes. With a Quickwit index the same text is a record of its companion index
//! (`quickwit/companion.rs`).

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::article::format_date;
use crate::error::{Error, Result};
use crate::quickwit::Quickwit;
use crate::quickwit::companion::{Companion, Record};
use crate::search::batch::{self, Entry};
use crate::search::filter::Filters;
use crate::search::{SearchRequest, SortOrder};
use crate::store::Store;

/// The file of the watches, in the index folder.
pub const FILE: &str = "watches.json";
/// Held while the file is read and replaced.
pub const LOCK: &str = "watches.lock";
/// Unread matches kept per watch: past it the oldest go, with a note.
pub const MAX_UNREAD: usize = 100_000;

/// All the watches of one index.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Watches {
    /// In the order they were added.
    pub watches: Vec<Watch>,
}

/// One saved search or watchlist.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Watch {
    /// Its name (letters, digits, `-`, `_`, `.`).
    pub name: String,
    /// Its queries: one for a saved search, a line each for a watchlist.
    pub queries: Vec<Query>,
    /// The file a watchlist was read from, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Its filters, as written (relative dates count from each run).
    #[serde(default)]
    pub filters: FilterText,
    /// Match articles with any of a query's words.
    #[serde(default)]
    pub any: bool,
    /// When it was added (RFC 3339).
    pub created: String,
    /// Matches not yet marked read, oldest first.
    #[serde(default)]
    pub unread: Vec<Match>,
}

/// One query of a watch.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Query {
    /// Its id in the list (the line number when the list gives none).
    pub id: String,
    /// The line of the list it came from (1 for a saved search).
    pub line: usize,
    /// The query.
    pub query: String,
}

/// The filters of a watch as the user wrote them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FilterText {
    /// `--since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// `--until`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// `--source`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// `--lang`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub langs: Vec<String>,
    /// `--min-ocr-quality`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ocr_quality: Option<String>,
}

impl FilterText {
    /// The filters, with relative dates counted from now.
    pub fn resolve(&self) -> Result<Filters> {
        crate::config::filters(
            self.since.as_deref(),
            self.until.as_deref(),
            &self.sources,
            &self.langs,
            self.min_ocr_quality.as_deref(),
            "--",
        )
    }
}

/// An article that matched a watch.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Match {
    /// The watch's name.
    pub watch: String,
    /// The query that matched: its id, line and text.
    pub query_id: String,
    /// Its line in the watchlist.
    pub line: usize,
    /// Its text.
    pub query: String,
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Publication time, RFC 3339.
    pub date: Option<String>,
    /// Publisher.
    pub source: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Source file.
    pub path: Option<String>,
    /// When the `index` run that added it ended (RFC 3339).
    pub found: String,
}

/// A watch name: 1 to 64 letters, digits, `-`, `_` or `.`, not starting with `.`
/// (it names a feed, `/watch/NAME.atom`).
pub fn check_name(name: &str) -> Result<()> {
    let fine = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if fine {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "`{name}` is not a watch name: use 1 to 64 letters, digits, `-`, `_` or `.`"
        )))
    }
}

/// Where the watches of an index are kept: a file in its folder, under a lock file,
/// or a record in the companion index of a Quickwit index.
enum Keeper<'a> {
    File {
        dir: PathBuf,
        _lock: File,
    },
    Quickwit {
        companion: Companion<'a>,
        base: Record,
    },
}

/// The record kind of the watches in a Quickwit companion index.
const KIND: &str = "watches";

/// The watches of an index, held (locally: locked) until dropped.
pub struct Locked<'a> {
    keeper: Keeper<'a>,
    /// The watches.
    pub watches: Watches,
}

impl<'a> Locked<'a> {
    /// Reads the watches of the index `store` opened (none yet: empty), to change
    /// them: a local index's are locked until this is dropped; over Quickwit a save
    /// is refused if another process saved meanwhile.
    pub fn open(store: &'a Store) -> Result<Locked<'a>> {
        match store {
            Store::Local(index, _) => {
                let dir = index.dir.clone();
                let lock = lock(&dir, rustix::fs::FlockOperation::LockExclusive)?;
                let watches = read_file(&dir)?;
                Ok(Locked {
                    keeper: Keeper::File { dir, _lock: lock },
                    watches,
                })
            }
            Store::Quickwit(quickwit) => {
                let companion = Companion::of(quickwit);
                let base = companion.read(KIND)?;
                let watches = parse(&base.text, &companion_name(quickwit))?;
                Ok(Locked {
                    keeper: Keeper::Quickwit { companion, base },
                    watches,
                })
            }
        }
    }

    /// Writes the watches back: locally beside the file, then renamed over it;
    /// over Quickwit as a new version in the companion index.
    pub fn save(&self) -> Result<()> {
        let text = serde_json::to_string_pretty(&self.watches)
            .map_err(|e| Error::Internal(e.to_string()))?;
        match &self.keeper {
            Keeper::File { dir, .. } => {
                let path = dir.join(FILE);
                let temporary = dir.join(format!("{FILE}.new"));
                fs::write(&temporary, text + "\n").map_err(|e| Error::io(&temporary, e))?;
                fs::rename(&temporary, &path).map_err(|e| Error::io(&path, e))
            }
            Keeper::Quickwit { companion, base } => companion.save(KIND, &text, base),
        }
    }

    /// The watch named `name`.
    pub fn get(&self, name: &str) -> Result<&Watch> {
        self.watches
            .watches
            .iter()
            .find(|w| w.name == name)
            .ok_or_else(|| no_such(name))
    }
}

/// The watches of the index `store` opened, to look at (a local index's under a
/// shared lock, so never half-written).
pub fn read(store: &Store) -> Result<Watches> {
    match store {
        Store::Local(index, _) => {
            if !any_in(&index.dir) {
                return Ok(Watches::default());
            }
            let _lock = lock(&index.dir, rustix::fs::FlockOperation::LockShared)?;
            read_file(&index.dir)
        }
        Store::Quickwit(quickwit) => {
            let record = Companion::of(quickwit).read(KIND)?;
            parse(&record.text, &companion_name(quickwit))
        }
    }
}

/// The lock file of the watches in `dir`, locked.
fn lock(dir: &Path, how: rustix::fs::FlockOperation) -> Result<File> {
    let path = dir.join(LOCK);
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    rustix::fs::flock(&lock, how).map_err(|e| Error::io(&path, e.into()))?;
    Ok(lock)
}

/// The watches file in `dir` (none yet: empty).
fn read_file(dir: &Path) -> Result<Watches> {
    let path = dir.join(FILE);
    match fs::read_to_string(&path) {
        Ok(text) => parse(&text, &path.display().to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Watches::default()),
        Err(e) => Err(Error::io(&path, e)),
    }
}

/// The watches in `text` (read from `place`; empty text: none).
fn parse(text: &str, place: &str) -> Result<Watches> {
    if text.trim().is_empty() {
        return Ok(Watches::default());
    }
    serde_json::from_str(text).map_err(|e| {
        Error::Usage(format!(
            "{place}: not a watches file news-search wrote ({e}); move it away to start again"
        ))
    })
}

/// How the watches of a Quickwit index are named in messages.
fn companion_name(quickwit: &Quickwit) -> String {
    format!("{} (its saved searches)", quickwit.url())
}

/// The error for a watch that does not exist.
pub fn no_such(name: &str) -> Error {
    Error::Usage(format!(
        "no watch named `{name}`; `news-search watch list` lists them"
    ))
}

/// Whether the folder `dir` has a watches file (without locking: a quick look
/// before the work of matching).
pub fn any_in(dir: &Path) -> bool {
    fs::metadata(dir.join(FILE)).is_ok_and(|m| m.len() > 0)
}

/// Whether the index `store` opened has any watch: a quick look before the work of
/// matching.
pub fn any(store: &Store) -> Result<bool> {
    match store {
        Store::Local(index, _) => Ok(any_in(&index.dir)),
        Store::Quickwit(_) => Ok(!read(store)?.watches.is_empty()),
    }
}

/// The queries of a watchlist file, or the one query of a saved search.
pub fn queries_of(list: &str) -> Result<Vec<Query>> {
    let parsed = batch::parse(list, &Filters::default());
    if let Some(bad) = parsed.bad.first() {
        return Err(Error::Usage(format!("line {}: {}", bad.line, bad.message)));
    }
    Ok(parsed
        .entries
        .into_iter()
        .map(
            |Entry {
                 line, id, query, ..
             }| Query { id, line, query },
        )
        .collect())
}

/// What one run's new articles did to one watch.
#[derive(Debug, Clone, PartialEq)]
pub struct News {
    /// The watch.
    pub watch: String,
    /// The articles that matched (each once, however many of its queries did).
    pub articles: usize,
    /// Each (article, query) match.
    pub matches: Vec<Match>,
}

/// Records, under each watch of the index `store` opened, the articles among
/// `fresh` (ids an `index` run just committed) that match it. Returns what each
/// watch gained, for those that gained anything.
pub fn record(store: &Store, fresh: &[String]) -> Result<Vec<News>> {
    if fresh.is_empty() {
        return Ok(Vec::new());
    }
    let mut locked = Locked::open(store)?;
    let found = format_date(&chrono::Utc::now());
    let mut all_news = Vec::new();
    for watch in &mut locked.watches.watches {
        let filters = watch.filters.resolve()?;
        let mut matches = Vec::new();
        for (chunk, query) in fresh
            .chunks(store.most_ids())
            .flat_map(|chunk| watch.queries.iter().map(move |q| (chunk, q)))
        {
            let mut filters = filters.clone();
            filters.ids = Some(chunk.to_vec());
            let request = SearchRequest {
                limit: chunk.len(),
                highlight: false,
                passages: 0,
                collapse: false,
                match_any: watch.any,
                filters,
                sort: SortOrder::Oldest,
                ..SearchRequest::new(query.query.clone())
            };
            // A query that no longer parses matches nothing new; `watch list` shows
            // it. Any other failure (a node gone) ends the run's recording.
            let results = match store.search(&request) {
                Ok(results) => results,
                Err(Error::Query(_)) => continue,
                Err(e) => return Err(e),
            };
            for hit in results.hits {
                matches.push(Match {
                    watch: watch.name.clone(),
                    query_id: query.id.clone(),
                    line: query.line,
                    query: query.query.clone(),
                    id: hit.id,
                    title: hit.title,
                    date: hit.date.as_ref().map(format_date),
                    source: hit.source,
                    url: hit.url,
                    path: hit.path,
                    found: found.clone(),
                });
            }
        }
        if matches.is_empty() {
            continue;
        }
        // In the list's order, each line's articles oldest first, whatever the chunks.
        matches.sort_by(|a, b| a.line.cmp(&b.line).then_with(|| a.date.cmp(&b.date)));
        // A changed article read again replaces its unread record.
        watch
            .unread
            .retain(|old| !matches.iter().any(|m| m.id == old.id && m.line == old.line));
        watch.unread.extend(matches.iter().cloned());
        if watch.unread.len() > MAX_UNREAD {
            let extra = watch.unread.len() - MAX_UNREAD;
            watch.unread.drain(..extra);
        }
        let mut ids: Vec<&str> = matches.iter().map(|m| m.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        all_news.push(News {
            watch: watch.name.clone(),
            articles: ids.len(),
            matches,
        });
    }
    if !all_news.is_empty() {
        locked.save()?;
    }
    Ok(all_news)
}
