//! `news-search index`: walk the inputs, compare them with what the index holds,
//! then read new and changed files in parallel batches (a file's articles replace
//! its earlier ones as a unit), drop vanished files, and commit periodically so a
//! killed run keeps everything up to its last commit. One reading pipeline
//! (`read_into`) serves a local folder and a Quickwit index, each a [`Sink`].

use std::collections::HashSet;
use std::io::BufWriter;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::Outcome;
use crate::article::Article;
use crate::config::{IndexConfig, Input};
use crate::error::{Error, Result};
use crate::index::check;
use crate::index::state::{Holders, Note};
use crate::index::writer::{ArticleWriter, text_hash};
use crate::index::{NewsIndex, disk, state};
use crate::ingest::{self, Boilerplate, Emit, Problem, SourceFile, Walk, Warning};
use crate::location::{Location, QuickwitUrl};
use crate::output::progress::counted;
use crate::output::progress::{IndexProgress, Plan, Tally, print_plan};
use crate::output::watch::{notify, print_news};
use crate::quickwit::Quickwit;
use crate::quickwit::ledger::{self, Ledger};
use crate::quickwit::writer::{HeldLookup, QuickwitWriter};
use crate::sink::{self, HeldTexts, Sink};
use crate::store::Store;
use crate::watch;

/// Files are read in batches of about this many bytes between commit checks.
const BATCH_BYTES: u64 = 32 * 1024 * 1024;

/// Runs `index`.
pub fn run(config: &IndexConfig) -> Result<Outcome> {
    if let Some(url) = &config.quickwit {
        return run_on_quickwit(config, url);
    }
    let started = Instant::now();
    let (paths, read_stdin) = inputs(config);

    if config.dry_run {
        let state = match NewsIndex::open(&config.index_dir) {
            Ok(index) => state::read(&index)?,
            Err(Error::NoIndex(_)) => state::IndexedState::default(),
            Err(e) => return Err(e),
        };
        let walk = ingest::walk(&paths, Some(&config.index_dir), config.no_ignore);
        let plan = Plan::new(&walk.files, &walk.roots, &state.files, config.delete);
        let mut out = BufWriter::new(std::io::stdout().lock());
        print_plan(&mut out, &plan, config.quiet)?;
        return Ok(Outcome::Done);
    }

    // What the folder held before, so a run that indexes nothing leaves nothing.
    let before = entries(&config.index_dir);
    let index = NewsIndex::open_or_create(&config.index_dir)?;
    let writer = ArticleWriter::new(&index, config.writer)?;
    match update(config, &index, writer, &paths, read_stdin, started) {
        // Interrupted before any article: as with a run that found none, nothing stays.
        Ok((Outcome::Interrupted, _))
            if index
                .index
                .load_metas()
                .is_ok_and(|m| m.segments.is_empty()) =>
        {
            drop(index);
            remove_new(&config.index_dir, before.as_ref());
            Ok(Outcome::Interrupted)
        }
        Ok((outcome, fresh)) => {
            drop(index);
            let store = Store::open(&Location::Local(config.index_dir.clone()))?;
            // The new segments' stores are verified now, while in the page cache,
            // rather than by the first query (`index/verified.rs`).
            store.readable()?;
            watches(config, &store, &fresh)?;
            Ok(outcome)
        }
        Err(error @ Error::NothingIndexed(_)) => {
            drop(index);
            remove_new(&config.index_dir, before.as_ref());
            Err(error)
        }
        Err(error) => {
            let full = disk::is_full(&error, &config.index_dir, config.writer.memory_bytes);
            // What this run wrote and did not commit goes, so a full disk is freed;
            // committed segments stay as they were.
            let cleaned = ArticleWriter::clean(&index);
            if full {
                return Err(Error::DiskFull {
                    dir: config.index_dir.clone(),
                });
            }
            cleaned?;
            Err(error)
        }
    }
}

/// Records the run's new articles under the watches they match, says which
/// watches have news, and runs `--notify` with them.
fn watches(config: &IndexConfig, store: &Store, fresh: &[String]) -> Result<()> {
    if fresh.is_empty() || !watch::any(store)? {
        return Ok(());
    }
    let news = watch::record(store, fresh)?;
    if !config.quiet {
        for one in &news {
            print_news(one);
        }
    }
    if let Some(command) = &config.notify
        && !news.is_empty()
    {
        notify(command, &news);
    }
    Ok(())
}

/// `index` into a Quickwit index: the same walk, formats, limits and warnings; what
/// the index holds is read back from it (file keys and stamps stored with each
/// article), so unchanged files are skipped, a changed file's articles are replaced
/// (a delete task, then the new ones) and a vanished file's are deleted.
fn run_on_quickwit(config: &IndexConfig, url: &QuickwitUrl) -> Result<Outcome> {
    let started = Instant::now();
    let (paths, read_stdin) = inputs(config);
    let quickwit = if config.dry_run {
        Quickwit::open(url)?
    } else {
        Quickwit::open_or_create(url)?
    };
    let holdings = Ledger::of(&quickwit).holdings(&ledger::host_name())?;
    let indexed = &holdings.whole;
    let walk = ingest::walk(&paths, None, config.no_ignore);
    let plan = Plan::new(&walk.files, &walk.roots, indexed, config.delete);
    if config.dry_run {
        let mut out = BufWriter::new(std::io::stdout().lock());
        print_plan(&mut out, &plan, config.quiet)?;
        return Ok(Outcome::Done);
    }
    // Exact duplicates are found as on the local index, the index asked which of
    // each batch's texts it held (a second connection, the writer has the first).
    let lookup = match reads_nothing(&plan, read_stdin) {
        true => None,
        false => Some(Quickwit::open(url)?.held_lookup(&stale_keys(&plan), &holdings)?),
    };
    let dedupe = Mutex::new(Dedupe::new(
        lookup
            .as_ref()
            .map(HeldLookup::replaced)
            .unwrap_or_default(),
    ));
    let ask = |hashes: &[u64]| match &lookup {
        Some(lookup) => lookup.among(hashes),
        None => Ok(HeldTexts::default()),
    };
    let writer = QuickwitWriter::start(quickwit);
    // What earlier runs left: stopped runs cut, files sent in part deleted (they are
    // read again), hides whose deletes are done forgotten.
    writer.settle(&holdings)?;
    for key in &plan.removed {
        writer.delete_file(key, indexed.get(key).copied().unwrap_or(0))?;
    }
    let interrupted = on_ctrl_c(Path::new(&url.index_id))?;
    let watched = watch::any(&Store::Quickwit(Quickwit::open(url)?))?;
    let reading = Reading::new(config, &walk, (&plan, read_stdin), watched);
    let mut sink = sink::Quickwit { writer, indexed };
    let ask: &Ask<'_> = &ask;
    read_into(
        config,
        &walk,
        &reading,
        &mut sink,
        (&dedupe, Some(ask)),
        &interrupted,
    )?;
    let Reading {
        progress,
        tally,
        fresh,
        ..
    } = reading;
    let writer = sink.writer;
    progress.counts(&lock(&tally));
    progress.phase("committing");
    writer.finish()?;
    let tally = tally.into_inner().unwrap_or_else(|e| e.into_inner());
    let fresh = fresh.into_inner().unwrap_or_else(|e| e.into_inner());
    watches(config, &Store::Quickwit(Quickwit::open(url)?), &fresh)?;
    if interrupted.load(Ordering::Relaxed) {
        progress.interrupted(tally.articles);
        return Ok(Outcome::Interrupted);
    }
    progress.finish(&tally, started.elapsed());
    if tally.articles + tally.duplicates == 0 && tally.unchanged == 0 && tally.removed == 0 {
        return Err(Error::NothingIndexed(nothing_found(
            &tally,
            walk.files.len(),
            walk.ignored,
        )));
    }
    Ok(Outcome::Done)
}

/// The paths to walk, and whether standard input is read too.
fn inputs(config: &IndexConfig) -> (Vec<std::path::PathBuf>, bool) {
    let paths = config
        .inputs
        .iter()
        .filter_map(|input| match input {
            Input::Path(path) => Some(path.clone()),
            Input::Stdin => None,
        })
        .collect();
    (paths, config.inputs.contains(&Input::Stdin))
}

/// What a run reads, and how it reports: the same for a folder and for Quickwit.
struct Reading<'a> {
    to_read: Vec<&'a SourceFile>,
    learned: Boilerplate,
    progress: IndexProgress,
    tally: Mutex<Tally>,
    /// Standard input is read too, after the files.
    stdin: bool,
    /// Ids of the articles stored whose text the index did not hold before (new
    /// or changed): what the watches look at, kept only when the index has any.
    fresh: Mutex<Vec<String>>,
    /// Whether the index had watches when the run began.
    watched: bool,
}

impl<'a> Reading<'a> {
    /// What `plan` reads; `watched` when the index has watches (see `fresh`).
    fn new(
        config: &IndexConfig,
        walk: &'a Walk,
        (plan, read_stdin): (&Plan<'a>, bool),
        watched: bool,
    ) -> Reading<'a> {
        let to_read: Vec<&SourceFile> = plan.added.iter().chain(&plan.changed).copied().collect();
        // Learned from every walked file, not only the changed ones, so it stays stable.
        let learned = if to_read.is_empty() {
            Boilerplate::default()
        } else {
            Boilerplate::learn(&walk.files)
        };
        let progress = IndexProgress::new(
            config.progress,
            config.quiet,
            to_read.iter().map(|f| f.size).sum(),
        );
        let tally = Mutex::new(Tally {
            unsupported: walk.unsupported,
            unchanged: plan.unchanged,
            removed: plan.removed.len(),
            stdin: read_stdin,
            ..Tally::default()
        });
        record_warnings(&tally, &progress, &walk.warnings);
        Reading {
            to_read,
            learned,
            progress,
            tally,
            stdin: read_stdin,
            fresh: Mutex::new(Vec::new()),
            watched,
        }
    }
}

impl Reading<'_> {
    /// Counts what a file (`None`: standard input) gave, and shows it.
    fn count(
        &self,
        file: Option<&SourceFile>,
        added: usize,
        duplicates: usize,
        warnings: &[Warning],
    ) {
        if let Some(file) = file {
            self.progress.advance(file.size);
        }
        let mut t = lock(&self.tally);
        if let Some(file) = file {
            t.files += 1;
            t.bytes += file.size;
        }
        t.articles += added;
        t.duplicates += duplicates;
        drop(t);
        record_warnings(&self.tally, &self.progress, warnings);
        self.progress.counts(&lock(&self.tally));
    }
}

/// The names in `dir`, or `None` when it does not exist.
fn entries(dir: &Path) -> Option<HashSet<std::ffi::OsString>> {
    let read = std::fs::read_dir(dir).ok()?;
    Some(read.filter_map(|e| e.ok().map(|e| e.file_name())).collect())
}

/// Removes what this run created in `dir`: the whole folder if it was not there
/// before, else the entries that were not. Best effort: a leftover is harmless.
fn remove_new(dir: &Path, before: Option<&HashSet<std::ffi::OsString>>) {
    let Some(before) = before else {
        let _ = std::fs::remove_dir_all(dir);
        return;
    };
    for name in entries(dir).unwrap_or_default() {
        if !before.contains(&name) {
            let path = dir.join(&name);
            let _ = std::fs::remove_file(&path).or_else(|_| std::fs::remove_dir_all(&path));
        }
    }
}

/// What this run does to the index: its state (files whose articles a repair
/// dropped marked to be read again), the plan of files to read and to remove
/// (the removed ones deleted from `writer`), and the note the run keeps.
fn plan_run<'w>(
    config: &IndexConfig,
    index: &NewsIndex,
    writer: &mut ArticleWriter,
    walk: &'w Walk,
) -> Result<(state::IndexedState, Plan<'w>, Note)> {
    let mut state = state::read(index)?;
    let note = Note::of(index);
    if note.reread_all {
        state.files.values_mut().for_each(|stamp| *stamp = 0);
    }
    for key in &note.reread {
        state.files.insert(key.clone(), 0);
    }
    writer.set_payload(note.payload());
    let plan = Plan::new(&walk.files, &walk.roots, &state.files, config.delete);
    for key in &plan.removed {
        writer.delete_file(key);
    }
    let note = Note {
        empty_files: note
            .empty_files
            .into_iter()
            .filter(|(key, _)| !plan.removed.contains(key))
            .collect(),
        ..note
    };
    Ok((state, plan, note))
}

/// Adds, replaces and removes articles with the writer, and commits.
fn update(
    config: &IndexConfig,
    index: &NewsIndex,
    mut writer: ArticleWriter,
    paths: &[std::path::PathBuf],
    read_stdin: bool,
    started: Instant,
) -> Result<(Outcome, Vec<String>)> {
    let interrupted = on_ctrl_c(&config.index_dir)?;
    // Merges read every segment: never build on damaged ones.
    let checked = check::check(&config.index_dir)?;
    if !checked.is_sound() {
        return Err(Error::CheckFailed {
            dir: config.index_dir.clone(),
            count: checked.damaged().count(),
        });
    }
    let walk = ingest::walk(paths, Some(&config.index_dir), config.no_ignore);
    let (state, plan, note) = plan_run(config, index, &mut writer, &walk)?;
    let note = Mutex::new(note);

    let watched = watch::any_in(&config.index_dir);
    let reading = Reading::new(config, &walk, (&plan, read_stdin), watched);
    let held = if reads_nothing(&plan, read_stdin) {
        HeldTexts::default()
    } else {
        HeldTexts::of((&state.texts, state.holders.names()), &stale_keys(&plan))
    };
    let dedupe = Mutex::new(Dedupe::new(held));
    let mut sink = sink::Local { writer, note };
    read_into(
        config,
        &walk,
        &reading,
        &mut sink,
        (&dedupe, None),
        &interrupted,
    )?;
    let Reading {
        progress,
        tally,
        fresh,
        ..
    } = reading;
    let fresh = fresh.into_inner().unwrap_or_else(|e| e.into_inner());
    let sink::Local {
        mut writer, note, ..
    } = sink;
    progress.counts(&lock(&tally));
    progress.phase("committing");
    if interrupted.load(Ordering::Relaxed) {
        // Files not read keep their old articles and stamps: the next run reads them.
        writer.set_payload(lock(&note).payload());
        writer.finish()?;
        let tally = tally.into_inner().unwrap_or_else(|e| e.into_inner());
        progress.interrupted(tally.articles);
        return Ok((Outcome::Interrupted, fresh));
    }
    let mut note = lock(&note).clone();
    // Repaired files are noted (for the next run) only while this run did not reach them.
    let walked: HashSet<&str> = walk.files.iter().map(|f| f.key.as_str()).collect();
    note.reread.retain(|key| !walked.contains(key.as_str()));
    note.reread_all = false;
    writer.set_payload(note.payload());
    writer.finish()?;
    let tally = tally.into_inner().unwrap_or_else(|e| e.into_inner());
    progress.finish(&tally, started.elapsed());
    if tally.articles + tally.duplicates == 0 && tally.unchanged == 0 && tally.removed == 0 {
        return Err(Error::NothingIndexed(nothing_found(
            &tally,
            walk.files.len(),
            walk.ignored,
        )));
    }
    Ok((Outcome::Done, fresh))
}

/// Reads the files of `reading` (in batches, each in parallel; a file's articles
/// replace its earlier ones as a unit) and then standard input into `sink`,
/// dropping texts `dedupe` has seen in another file. Where the index's texts are
/// not all known before the run (Quickwit), `ask` tells which of a batch's texts
/// it held: a batch is then read whole before it is stored. After Ctrl-C no file
/// is begun and standard input stops; files being read are finished whole.
fn read_into<S: Sink>(
    config: &IndexConfig,
    walk: &Walk,
    reading: &Reading,
    sink: &mut S,
    (dedupe, ask): (&Mutex<Dedupe>, Option<&Ask<'_>>),
    interrupted: &AtomicBool,
) -> Result<()> {
    let Reading {
        to_read,
        learned,
        progress,
        tally,
        stdin,
        fresh,
        watched,
    } = reading;
    // A duplicate is dropped; a text the index held before is stored but not new.
    let duplicate = |hash: u64, key: &str, id: &str| {
        let seen = lock(dedupe).seen(hash, key);
        if seen == Seen::New && *watched {
            lock(fresh).push(id.to_string());
        }
        seen == Seen::Duplicate
    };
    let parse = |file: &SourceFile, emit: &mut Emit| {
        ingest::parse_file(file, &config.limits, &walk.tables, learned, emit)
    };
    for batch in batches(to_read) {
        if interrupted.load(Ordering::Relaxed) {
            break;
        }
        let shared: &S = sink;
        match ask {
            None => batch.par_iter().try_for_each(|file| {
                if interrupted.load(Ordering::Relaxed) {
                    return Ok(());
                }
                store_file(shared, reading, &duplicate, file, |store| {
                    parse(file, &mut |article| {
                        let hash = text_hash(&article);
                        store(article, hash)
                    })
                })
            })?,
            Some(ask) => read_then_store(
                (shared, reading),
                batch,
                (&parse, &duplicate),
                (dedupe, ask),
                interrupted,
            )?,
        }
        sink.batch_done()?;
    }
    if *stdin {
        read_stdin(
            config,
            (&*sink, reading),
            &duplicate,
            (dedupe, ask),
            interrupted,
        )?;
    }
    progress.counts(&lock(tally));
    Ok(())
}

/// How a file is read: its articles are given to an [`Emit`], its warnings returned.
type Parse<'a> = dyn Fn(&SourceFile, &mut Emit) -> Result<Vec<Warning>> + Sync + 'a;

/// Whether the text of a hash, read from a file (key) as an article (id), is a copy.
type IsCopy<'a> = dyn Fn(u64, &str, &str) -> bool + Sync + 'a;

/// Reads the files of `batch` whole (in parallel), asks which of their texts the
/// index held, then stores them into `sink`.
fn read_then_store<S: Sink>(
    (sink, reading): (&S, &Reading),
    batch: &[&SourceFile],
    (parse, duplicate): (&Parse<'_>, &IsCopy<'_>),
    (dedupe, ask): (&Mutex<Dedupe>, &Ask<'_>),
    interrupted: &AtomicBool,
) -> Result<()> {
    let read: Vec<Option<ReadWhole>> = batch
        .par_iter()
        .map(|file| {
            if interrupted.load(Ordering::Relaxed) {
                return None;
            }
            let mut articles = Vec::new();
            let warnings = parse(file, &mut |article| {
                let hash = text_hash(&article);
                articles.push((article, hash));
                Ok(())
            });
            Some((articles, warnings))
        })
        .collect();
    let hashes = read
        .iter()
        .flatten()
        .flat_map(|(a, _)| a)
        .map(|&(_, hash)| hash);
    learn_held(dedupe, ask, hashes.collect())?;
    batch
        .par_iter()
        .zip(read)
        .try_for_each(|(file, read)| match read {
            None => Ok(()),
            Some((articles, warnings)) => store_file(sink, reading, duplicate, file, |store| {
                for (article, hash) in articles {
                    store(article, hash)?;
                }
                warnings
            }),
        })
}

/// Reads standard input into `sink` (where `ask` must be asked, a thousand
/// articles at a time), dropping the copies `duplicate` finds, until Ctrl-C.
fn read_stdin<S: Sink>(
    config: &IndexConfig,
    (sink, reading): (&S, &Reading),
    duplicate: &IsCopy<'_>,
    (dedupe, ask): (&Mutex<Dedupe>, Option<&Ask<'_>>),
    interrupted: &AtomicBool,
) -> Result<()> {
    let (mut added, mut duplicates) = (0usize, 0usize);
    // Articles read and not stored yet, with their texts' hashes.
    let mut waiting: Vec<(Article, u64)> = Vec::new();
    let mut store = |waiting: &mut Vec<(Article, u64)>| -> Result<()> {
        if let Some(ask) = ask {
            learn_held(dedupe, ask, waiting.iter().map(|&(_, hash)| hash).collect())?;
        }
        for (article, hash) in waiting.drain(..) {
            if duplicate(hash, "", &article.id) {
                duplicates += 1;
                continue;
            }
            added += 1;
            sink.add(article, hash, None)?;
        }
        Ok(())
    };
    let input = std::io::stdin();
    let warnings = ingest::parse_stdin(input.lock(), &config.limits, &mut |article| {
        if interrupted.load(Ordering::Relaxed) {
            return Ok(());
        }
        let hash = text_hash(&article);
        waiting.push((article, hash));
        if ask.is_none() || waiting.len() >= 1000 {
            store(&mut waiting)?;
        }
        Ok(())
    })?;
    store(&mut waiting)?;
    reading.count(None, added, duplicates, &warnings);
    Ok(())
}

/// A file read whole before it is stored: its articles with their texts' hashes,
/// and its warnings or the error that stopped the reading.
type ReadWhole = (Vec<(Article, u64)>, Result<Vec<Warning>>);

/// Asks the index which texts it held before the run, for a batch's hashes.
type Ask<'a> = dyn Fn(&[u64]) -> Result<HeldTexts> + 'a;

/// Adds what `ask` says of `hashes` (those not known yet) to `dedupe`.
fn learn_held(dedupe: &Mutex<Dedupe>, ask: &Ask<'_>, mut hashes: Vec<u64>) -> Result<()> {
    hashes.sort_unstable();
    hashes.dedup();
    {
        let known = lock(dedupe);
        hashes.retain(|hash| !known.knows(*hash));
    }
    let held = ask(&hashes)?;
    lock(dedupe).held.extend(held);
    Ok(())
}

/// Stores the articles `read` gives of `file` (each with its text's hash) into
/// `sink`, dropping those `duplicate` says are copies, and counts them: a file's
/// articles replace its earlier ones as a unit.
fn store_file<S: Sink>(
    sink: &S,
    reading: &Reading,
    duplicate: &IsCopy<'_>,
    file: &SourceFile,
    read: impl FnOnce(&mut dyn FnMut(Article, u64) -> Result<()>) -> Result<Vec<Warning>>,
) -> Result<()> {
    let (mut started, mut added, mut duplicates) = (false, 0usize, 0usize);
    let warnings = read(&mut |article, hash| {
        if !started {
            sink.replace(&file.key)?;
            started = true;
        }
        if duplicate(hash, &file.key, &article.id) {
            duplicates += 1;
            return Ok(());
        }
        added += 1;
        sink.add(article, hash, Some((&file.key, file.stamp, added - 1)))
    })?;
    // A file that could not be read keeps its earlier articles, and is read
    // again next time; one emptied (or never holding an article) loses them.
    let complete = !warnings.iter().any(|w| is_failure(w.problem));
    if !started && complete {
        sink.replace(&file.key)?;
        started = true;
    }
    if started {
        sink.file_read(file, added, complete)?;
    }
    reading.count(Some(file), added, duplicates, &warnings);
    Ok(())
}

/// Ctrl-C sets the returned flag, so the run stops reading and commits; a second
/// Ctrl-C, while that flag is set, ends the process at once (exit 130).
fn on_ctrl_c(dir: &Path) -> Result<Arc<AtomicBool>> {
    use signal_hook::consts::SIGINT;
    let flag = Arc::new(AtomicBool::new(false));
    let register = || -> std::io::Result<()> {
        signal_hook::flag::register_conditional_shutdown(SIGINT, 130, Arc::clone(&flag))?;
        signal_hook::flag::register(SIGINT, Arc::clone(&flag))?;
        Ok(())
    };
    register().map_err(|e| Error::io(dir, e))?;
    Ok(flag)
}

/// Why a run found no article, in the user's terms.
fn nothing_found(tally: &Tally, walked: usize, ignored: usize) -> String {
    let problems: usize = tally.problems.values().sum();
    let mut why = if walked == 0 && tally.unsupported == 0 && ignored == 0 && !tally.stdin {
        "no files in the given paths (an index folder inside them is skipped)".to_string()
    } else {
        let mut parts = Vec::new();
        if walked > 0 {
            parts.push(format!(
                "{} read, none holding an article",
                counted(walked, "file")
            ));
        }
        if tally.unsupported > 0 {
            let files = counted(tally.unsupported, "file");
            parts.push(format!("{files} of types it does not read"));
        }
        if ignored > 0 {
            parts.push(format!(
                "{} left out by ignore files or as README/LICENSE (--no-ignore takes them)",
                counted(ignored, "file")
            ));
        }
        if tally.stdin {
            parts.push("no article on standard input".to_string());
        }
        format!("no articles found: {}", parts.join("; "))
    };
    if problems > 0 {
        let problems = counted(problems, "problem");
        why.push_str(&format!(" ({problems} reported above)"));
    }
    why.push_str("; see the formats in the README. Nothing was written");
    why
}

/// Exact-duplicate detection across files: a text already held by another file
/// (one not being replaced or removed in this run) is not stored again.
struct Dedupe {
    held: HeldTexts,
    /// Texts this run read, with the file holding each as its place in `holders`:
    /// a run of millions of articles from a few files keeps each name once.
    read: FxHashMap<u64, u32>,
    holders: Holders,
}

/// What the index knows of an article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// Held by another file: not stored again.
    Duplicate,
    /// Held by this file (or one being replaced) before this run: stored, not new.
    Known,
    /// New to the index.
    New,
}

impl Dedupe {
    /// Nothing read yet, beside what the index `held`.
    fn new(held: HeldTexts) -> Dedupe {
        Dedupe {
            held,
            read: FxHashMap::default(),
            holders: Holders::default(),
        }
    }

    /// Whether `hash` is a text the run has already read or learned of.
    fn knows(&self, hash: u64) -> bool {
        let held = &self.held;
        held.others.contains(&hash)
            || held.input.contains(&hash)
            || held.replaced.contains(&hash)
            || self.read.contains_key(&hash)
    }

    fn seen(&mut self, hash: u64, key: &str) -> Seen {
        let held = &self.held;
        if held.others.contains(&hash) || (!key.is_empty() && held.input.contains(&hash)) {
            return Seen::Duplicate;
        }
        if held.replaced.contains(&hash) || held.input.contains(&hash) {
            return Seen::Known;
        }
        match self.read.get(&hash) {
            Some(&holder) if self.holders.name(holder) != key => Seen::Duplicate,
            Some(_) => Seen::Known,
            None => {
                let holder = self.holders.place(key);
                self.read.insert(hash, holder);
                Seen::New
            }
        }
    }
}

/// Whether a run reads no file and no standard input: it needs no held texts.
fn reads_nothing(plan: &Plan, read_stdin: bool) -> bool {
    plan.added.is_empty() && plan.changed.is_empty() && !read_stdin
}

/// The files whose texts this run replaces or removes: a text they held is no
/// duplicate of a new file's.
fn stale_keys<'a>(plan: &'a Plan) -> HashSet<&'a str> {
    plan.changed
        .iter()
        .map(|f| f.key.as_str())
        .chain(plan.removed.iter().map(String::as_str))
        .collect()
}

/// A problem that means the file could not be read as it is (its earlier articles
/// are kept), as opposed to a file that holds no article.
fn is_failure(problem: Problem) -> bool {
    problem.is_skip() && !matches!(problem, Problem::Empty | Problem::NoText)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn record_warnings(tally: &Mutex<Tally>, progress: &IndexProgress, warnings: &[Warning]) {
    for warning in warnings {
        *lock(tally).problems.entry(warning.problem).or_default() += 1;
        progress.warn(warning);
    }
}

/// Splits the files into consecutive runs of about [`BATCH_BYTES`].
fn batches<'a>(files: &'a [&'a SourceFile]) -> Vec<&'a [&'a SourceFile]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, file) in files.iter().enumerate() {
        bytes += file.size.max(1);
        if bytes >= BATCH_BYTES {
            out.push(&files[start..=i]);
            start = i + 1;
            bytes = 0;
        }
    }
    if start < files.len() {
        out.push(&files[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run's duplicate check over what a local index held: text 1 by kept
    /// file `k`, text 2 by file `s` that the run replaces, text 3 read from
    /// standard input.
    fn dedupe() -> Dedupe {
        let holders = ["k", "s", ""].map(String::from);
        let texts = FxHashMap::from_iter([(1, 0), (2, 1), (3, 2)]);
        Dedupe::new(HeldTexts::of((&texts, &holders), &HashSet::from(["s"])))
    }

    #[test]
    fn a_held_text_is_a_copy_unless_its_holder_is_replaced_or_it_came_the_same_way() {
        let mut d = dedupe();
        assert_eq!(d.seen(1, "new"), Seen::Duplicate, "held by a kept file");
        assert_eq!(d.seen(1, ""), Seen::Duplicate, "standard input too");
        assert_eq!(d.seen(2, "s"), Seen::Known, "the replaced file's own text");
        assert_eq!(d.seen(2, "new"), Seen::Known, "a replaced file's text");
        assert_eq!(d.seen(3, ""), Seen::Known, "standard input's own text");
        assert_eq!(d.seen(3, "new"), Seen::Duplicate, "a file's copy of it");
    }

    #[test]
    fn a_text_read_twice_in_a_run_is_a_copy_only_from_another_file() {
        let mut d = dedupe();
        assert_eq!(d.seen(9, "x"), Seen::New);
        assert_eq!(d.seen(9, "x"), Seen::Known, "twice in one file");
        assert_eq!(d.seen(9, "y"), Seen::Duplicate);
        assert_eq!(d.seen(8, ""), Seen::New);
        assert_eq!(d.seen(8, "y"), Seen::Duplicate);
    }
}
