//! `news-search watch add|list|remove|new`: the saved searches and watchlists
//! kept with an index, local or on Quickwit (`watch.rs` matches them after each
//! `index` run).

use std::io::BufWriter;
use std::path::Path;

use crate::Outcome;
use crate::config::{WatchAction, WatchConfig};
use crate::error::{Error, Result};
use crate::output::watch::{print_list, print_new};
use crate::search::query;
use crate::store::Store;
use crate::watch::{self, Locked, Query, Watch};

/// Runs `watch`.
pub fn run(config: &WatchConfig) -> Result<Outcome> {
    // The watches belong to an index: it must exist.
    let store = Store::open(&config.location)?;
    let mut locked = Locked::open(&store)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match &config.action {
        WatchAction::Add {
            name,
            query,
            file,
            filters,
            any,
            replace,
        } => {
            let watch = Watch {
                name: name.clone(),
                queries: queries_to_watch(query.as_deref(), file.as_deref(), *any)?,
                file: file.as_ref().map(|p| p.display().to_string()),
                filters: filters.clone(),
                any: *any,
                created: crate::article::format_date(&chrono::Utc::now()),
                unread: Vec::new(),
            };
            add(&mut locked, watch, *replace)
        }
        WatchAction::List { json } => {
            print_list(&mut out, &locked.watches.watches, *json)?;
            Ok(Outcome::Done)
        }
        WatchAction::Remove { name } => {
            let watches = &mut locked.watches.watches;
            let at = watches
                .iter()
                .position(|w| &w.name == name)
                .ok_or_else(|| watch::no_such(name))?;
            watches.remove(at);
            locked.save()?;
            Ok(Outcome::Done)
        }
        WatchAction::New {
            name,
            json,
            mark_read,
        } => print_unread(&mut locked, &mut out, name.as_deref(), (*json, *mark_read)),
    }
}

/// Saves `watch`, in place of the one of its name with `replace`.
fn add(locked: &mut Locked, watch: Watch, replace: bool) -> Result<Outcome> {
    let watches = &mut locked.watches.watches;
    let name = watch.name.clone();
    if let Some(at) = watches.iter().position(|w| w.name == name) {
        if !replace {
            return Err(Error::Usage(format!(
                "a watch named `{name}` exists; add --replace to replace it, or choose another name"
            )));
        }
        watches.remove(at);
    }
    let count = watch.queries.len();
    watches.push(watch);
    locked.save()?;
    crate::output::diag::note(format!(
        "watch \"{name}\" saved ({count} quer{}): each `index` run records the new articles it matches",
        if count == 1 { "y" } else { "ies" }
    ));
    Ok(Outcome::Done)
}

/// Prints the unread matches of the watch `name` (of every watch without one),
/// as JSON Lines with `json`; `mark_read` then clears them.
fn print_unread(
    locked: &mut Locked,
    out: &mut impl std::io::Write,
    name: Option<&str>,
    (json, mark_read): (bool, bool),
) -> Result<Outcome> {
    if let Some(name) = name {
        locked.get(name)?;
    }
    let chosen = |w: &Watch| name.is_none_or(|n| w.name == n);
    let matches: Vec<&watch::Match> = locked
        .watches
        .watches
        .iter()
        .filter(|w| chosen(w))
        .flat_map(|w| &w.unread)
        .collect();
    let found = !matches.is_empty();
    print_new(out, &matches, json, mark_read)?;
    if mark_read && found {
        for w in locked.watches.watches.iter_mut().filter(|w| chosen(w)) {
            w.unread.clear();
        }
        locked.save()?;
    }
    Ok(if found {
        Outcome::Matched
    } else {
        Outcome::NoMatch
    })
}

/// The queries of a new watch: the one given, or those of `file` (one a line,
/// as `batch` reads them), each checked by parsing it.
fn queries_to_watch(query: Option<&str>, file: Option<&Path>, any: bool) -> Result<Vec<Query>> {
    let queries = match (query, file) {
        (Some(text), _) => vec![Query {
            id: "1".into(),
            line: 1,
            query: text.to_string(),
        }],
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            let queries = watch::queries_of(&text)
                .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
            if queries.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: no queries in it",
                    path.display()
                )));
            }
            queries
        }
        (None, None) => {
            return Err(Error::Usage("watch add: give a query or --file".into()));
        }
    };
    for q in &queries {
        query::parse(&q.query, any).map_err(|e| match file {
            Some(path) => Error::Usage(format!("{}:{}: {e}", path.display(), q.line)),
            None => e,
        })?;
    }
    Ok(queries)
}
