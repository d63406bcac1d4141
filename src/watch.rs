//! Saved searches and watchlists, kept with the index in `watches.json`: each
//! watch is one query, or a list of them (the names in a leak), with its filters.
//! After every `index` run, the articles that run added and that match a watch
//! are recorded as unread under it, until `watch new --mark-read`.
//!
//! The file is replaced whole (written beside, then renamed), under a lock file,
//! so a run and a `watch` command never interleave their changes.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::article::format_date;
use crate::error::{Error, Result};
use crate::search::batch::{self, Entry};
use crate::search::filter::Filters;
use crate::search::{SearchRequest, SortOrder};
use crate::store::Store;

/// The file of the watches, in the index folder.
const FILE: &str = "watches.json";
/// Held while the file is read and replaced.
const LOCK: &str = "watches.lock";
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

/// The watches of the index in `dir`, held locked until dropped.
pub struct Locked {
    dir: PathBuf,
    _lock: File,
    /// The watches.
    pub watches: Watches,
}

impl Locked {
    /// Locks and reads the watches of the index in `dir` (none yet: empty).
    pub fn open(dir: &Path) -> Result<Locked> {
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK))
            .map_err(|e| Error::io(dir.join(LOCK), e))?;
        rustix::fs::flock(&lock, rustix::fs::FlockOperation::LockExclusive)
            .map_err(|e| Error::io(dir.join(LOCK), e.into()))?;
        let path = dir.join(FILE);
        let watches = match fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                Error::Usage(format!(
                    "{}: not a watches file news-search wrote ({e}); move it away to start again",
                    path.display()
                ))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Watches::default(),
            Err(e) => return Err(Error::io(&path, e)),
        };
        Ok(Locked {
            dir: dir.to_path_buf(),
            _lock: lock,
            watches,
        })
    }

    /// Writes the watches back (beside the file, then renamed over it).
    pub fn save(&self) -> Result<()> {
        let path = self.dir.join(FILE);
        let temporary = self.dir.join(format!("{FILE}.new"));
        let text = serde_json::to_string_pretty(&self.watches)
            .map_err(|e| Error::Internal(e.to_string()))?;
        fs::write(&temporary, text + "\n").map_err(|e| Error::io(&temporary, e))?;
        fs::rename(&temporary, &path).map_err(|e| Error::io(&path, e))
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

/// The error for a watch that does not exist.
pub fn no_such(name: &str) -> Error {
    Error::Usage(format!(
        "no watch named `{name}`; `news-search watch list` lists them"
    ))
}

/// Whether the index in `dir` has any watch (without locking: a quick look
/// before the work of matching).
pub fn any(dir: &Path) -> bool {
    fs::metadata(dir.join(FILE)).is_ok_and(|m| m.len() > 0)
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

/// Records, under each watch of the index in `dir`, the articles among `fresh`
/// (ids an `index` run just committed) that match it. Returns what each watch
/// gained, for those that gained anything.
pub fn record(dir: &Path, store: &Store, fresh: &[String]) -> Result<Vec<News>> {
    if fresh.is_empty() {
        return Ok(Vec::new());
    }
    let mut locked = Locked::open(dir)?;
    let found = format_date(&chrono::Utc::now());
    let mut all_news = Vec::new();
    for watch in &mut locked.watches.watches {
        let mut filters = watch.filters.resolve()?;
        filters.ids = Some(fresh.to_vec());
        let mut matches = Vec::new();
        for query in &watch.queries {
            let request = SearchRequest {
                limit: fresh.len(),
                highlight: false,
                passages: 0,
                collapse: false,
                match_any: watch.any,
                filters: filters.clone(),
                sort: SortOrder::Oldest,
                ..SearchRequest::new(query.query.clone())
            };
            // A query that no longer parses matches nothing new; `watch list` shows it.
            let Ok(results) = store.search(&request) else {
                continue;
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
