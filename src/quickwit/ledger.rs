//! The ledger index `ID.files` beside a news-search index on Quickwit: what `index`
//! has sent, so the articles index holds articles only (Quickwit's own count of it
//! is ours). Quickwit documents cannot be changed, so the ledger is a log of small
//! records, each a run's account of one step:
//!
//! - `run`: a run starts (its host and process, to tell a stopped run from a running one);
//! - `begun`, `done`, `gone`: a file version's first article is about to be sent, its
//!   last one has been sent, or its articles were replaced or removed; the newest
//!   event of a file key says what the index holds of it;
//! - `checkpoint`: everything the run sent in batches up to `upto` is searchable;
//!   `finished`: everything it sent is;
//! - `hide`: the articles of a file version sent before `before` are hidden until
//!   Quickwit has applied the delete task that removes them;
//! - `cut`: the articles a stopped run (`target`) sent after its last checkpoint
//!   (`upto`) are hidden for
//!   good (some may still sit in the node's write-ahead log and be published after
//!   the next run has sent their files again).
//!
//! Every read pages through the records in `uid` order (`search_after`), so nothing
//! is capped: no aggregation bucket limit, no hit limit.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value, json};

use super::Quickwit;
use super::query::quoted;
use crate::error::Result;

/// The records read per request.
const PAGE: usize = 10_000;
/// Most file versions named in one query or delete task.
pub const STATES_PER_QUERY: usize = 500;
/// The records that hide articles.
const HIDING: &str = "kind:hide OR kind:cut";
/// How long a run on another machine may write nothing before it is taken as stopped.
pub const SILENT_RUN: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// The ledger's index id for the articles index `index_id`.
pub fn ledger_id(index_id: &str) -> String {
    format!("{index_id}.files")
}

/// The ledger's index config.
pub fn ledger_config(index_id: &str) -> Value {
    let key = |name: &str| json!({"name": name, "type": "text", "tokenizer": "raw", "fast": true, "stored": true});
    let number = |name: &str| json!({"name": name, "type": "u64", "fast": true, "stored": true});
    json!({
        "version": "0.8",
        "index_id": ledger_id(index_id),
        "doc_mapping": {
            "mode": "strict",
            "field_mappings": [
                key("kind"), key("key"), key("state"), key("host"),
                number("stamp"), number("run"), number("seq"), number("batch"),
                number("before"), number("target"), number("upto"), number("pid"),
                number("at"), number("uid"),
            ],
        },
        "indexing_settings": {"commit_timeout_secs": 5},
    })
}

/// One version of one file: its key and stamp, as articles carry it in `file_state`.
pub fn file_state(key: &str, stamp: u64) -> String {
    format!("{key}\t{stamp}")
}

/// Nanoseconds since the epoch.
pub fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// A ledger record as sent: `fields` plus the run, its place in the run and its
/// batch, and a `uid` that orders the pages (the same record sent twice, by an
/// ingest retried, has the same uid and counts once).
pub fn record(kind: &str, run: u64, seq: u64, batch: u64, fields: Value) -> Value {
    let mut record = json!({"kind": kind, "run": run, "seq": seq, "batch": batch});
    if let (Value::Object(all), Value::Object(more)) = (&mut record, fields) {
        all.extend(more);
    }
    let uid = {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (kind, run, seq).hash(&mut hasher);
        hasher.finish()
    };
    record["uid"] = json!(uid);
    record
}

/// One record as read.
#[derive(Debug, Clone, Default)]
struct Read {
    kind: String,
    key: String,
    state: String,
    host: String,
    stamp: u64,
    run: u64,
    seq: u64,
    batch: u64,
    before: u64,
    target: u64,
    upto: u64,
    pid: u64,
    at: u64,
}

impl Read {
    fn of(source: &Value) -> Read {
        let text = |name: &str| source[name].as_str().unwrap_or_default().to_string();
        let number = |name: &str| source[name].as_u64().unwrap_or(0);
        Read {
            kind: text("kind"),
            key: text("key"),
            state: text("state"),
            host: text("host"),
            stamp: number("stamp"),
            run: number("run"),
            seq: number("seq"),
            batch: number("batch"),
            before: number("before"),
            target: number("target"),
            upto: number("upto"),
            pid: number("pid"),
            at: number("at"),
        }
    }
}

/// What hides articles at search time: the cut runs and the pending hides.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hidden {
    /// Runs cut, each with the last batch kept.
    pub cuts: Vec<(u64, u64)>,
    /// File versions hidden, grouped by the run that hid them (`before`).
    pub hides: BTreeMap<u64, Vec<String>>,
}

impl Hidden {
    /// The query for what is hidden; empty when nothing is.
    pub fn clause(&self) -> String {
        let cuts = self
            .cuts
            .iter()
            .map(|(run, kept)| format!("(sent:{run} AND batch:{{{kept} TO *])"));
        let hides = self.hides.iter().flat_map(|(before, states)| {
            states.chunks(STATES_PER_QUERY).map(move |chunk| {
                let named: Vec<String> = chunk.iter().map(|s| quoted(s)).collect();
                format!(
                    "(sent:[* TO {before}}} AND file_state:IN [{}])",
                    named.join(" ")
                )
            })
        });
        cuts.chain(hides).collect::<Vec<_>>().join(" OR ")
    }

    fn add(&mut self, record: &Read) {
        match record.kind.as_str() {
            "cut" => self.cuts.push((record.target, record.upto)),
            "hide" => self
                .hides
                .entry(record.before)
                .or_default()
                .push(record.state.clone()),
            _ => {}
        }
    }

    fn tidy(&mut self) {
        self.cuts.sort_unstable();
        self.cuts.dedup();
        for states in self.hides.values_mut() {
            states.sort_unstable();
            states.dedup();
        }
    }
}

/// What the ledger says the index holds, as the start of a run reads it.
#[derive(Debug, Default)]
pub struct Holdings {
    /// Files held whole, each with its stamp.
    pub whole: HashMap<String, u64>,
    /// Files of which part was sent (a run cut off, or a file whose reading failed
    /// part way): their articles go and the files are read again.
    pub cut_off: HashMap<String, u64>,
    /// Runs that stopped before they finished and are not cut yet, each with its
    /// last checkpoint: what they sent after it is to be cut.
    pub stopped: Vec<(u64, u64)>,
    /// What is hidden now.
    pub hidden: Hidden,
}

/// A run that has not finished and may still be running.
#[derive(Debug)]
pub struct Running {
    /// Where it runs.
    pub host: String,
    /// Its process.
    pub pid: u64,
    /// When it started.
    pub started: u64,
}

/// The ledger of an open news-search index on Quickwit.
pub struct Ledger<'a> {
    quickwit: &'a Quickwit,
    id: String,
}

impl<'a> Ledger<'a> {
    /// The ledger of `quickwit` (it may not exist yet: then nothing was sent).
    pub fn of(quickwit: &'a Quickwit) -> Ledger<'a> {
        Ledger {
            id: ledger_id(&quickwit.url.index_id),
            quickwit,
        }
    }

    /// Its index id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Creates the ledger index when the node does not have it.
    pub fn create_if_missing(&self) -> Result<()> {
        let client = &self.quickwit.client;
        if let Err(refused) = client.get(&format!("/api/v1/indexes/{}", self.id))?
            && refused.status == 404
        {
            client
                .post_json(
                    "/api/v1/indexes",
                    &ledger_config(&self.quickwit.url.index_id),
                )?
                .map_err(|r| {
                    client.error(format!(
                        "creating the ledger index {}: HTTP {}: {}",
                        self.id, r.status, r.message
                    ))
                })?;
        }
        Ok(())
    }

    /// The search for the page of records `query` matches after uid `after`.
    fn page_search(query: &str, after: Option<u64>) -> Value {
        super::search::page_after(query, "uid", after, PAGE)
    }

    /// The records `query` matches, every one of them, page by page; `first` is
    /// the answer to the first page when it was asked already.
    fn all_from(&self, query: &str, mut first: Option<&Value>) -> Result<Vec<Read>> {
        let client = &self.quickwit.client;
        let path = format!("/api/v1/_elastic/{}/_search", self.id);
        let mut found = Vec::new();
        let mut after: Option<u64> = None;
        loop {
            let answer = match first.take() {
                Some(answer) => answer.clone(),
                None => match client.post_json(&path, &Self::page_search(query, after))? {
                    Ok(answer) => answer,
                    // No ledger: nothing was ever sent.
                    Err(refused) if refused.status == 404 => return Ok(found),
                    Err(r) => {
                        return Err(client.error(format!(
                            "reading the ledger {}: HTTP {}: {}",
                            self.id, r.status, r.message
                        )));
                    }
                },
            };
            // A multi-search's answer for a missing ledger, or another failure.
            if answer["status"].as_u64() == Some(404) {
                return Ok(found);
            }
            if answer.get("error").is_some() {
                return Err(client.error(format!("reading the ledger {}: {answer}", self.id)));
            }
            let hits = answer["hits"]["hits"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for hit in &hits {
                after = hit["_source"]["uid"].as_u64().or(after);
                found.push(Read::of(&hit["_source"]));
            }
            if hits.len() < PAGE {
                return Ok(found);
            }
        }
    }

    fn all(&self, query: &str) -> Result<Vec<Read>> {
        self.all_from(query, None)
    }

    /// The search for the first page of what hides articles.
    pub fn hidden_search(&self) -> Value {
        Self::page_search(HIDING, None)
    }

    /// What hides articles: from the answer to [`Ledger::hidden_search`] when it
    /// was asked already (and further pages when it was full), else read here, in
    /// one request unless thousands of hides are pending.
    pub fn hidden(&self, first: Option<&Value>) -> Result<Hidden> {
        let mut hidden = Hidden::default();
        for record in self.all_from(HIDING, first)? {
            hidden.add(&record);
        }
        hidden.tidy();
        Ok(hidden)
    }

    /// What the index holds, read before a run on `host` starts. A run that
    /// has not finished and may still be running is an error naming it: two runs
    /// writing one index at once would each take the other's files for cut off.
    pub fn holdings(&self, host: &str) -> Result<Holdings> {
        let records = self.all("*")?;
        holdings_of(&records, |run| {
            is_running(&run.host, run.pid, run.heard, host)
        })
        .map_err(|run| {
            self.quickwit.client.error(format!(
                "another news-search run is writing to this index (process {} on {}, started {}); wait for it to finish. A run on another machine is taken as stopped once it has written nothing for {} minutes",
                run.pid,
                run.host,
                chrono::DateTime::from_timestamp_nanos(run.started as i64)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                SILENT_RUN.as_secs() / 60
            ))
        })
    }

    /// The hidden file versions no article is left of: Quickwit has applied their
    /// delete tasks, and their hides can go. Those with articles left are returned
    /// apart (their delete task may have been lost with a stopped run).
    pub fn applied(&self, hidden: &Hidden) -> Result<(Hidden, Hidden)> {
        let mut applied = Hidden::default();
        let mut pending = Hidden::default();
        for (&before, states) in &hidden.hides {
            for chunk in states.chunks(STATES_PER_QUERY) {
                let named: Vec<String> = chunk.iter().map(|s| quoted(s)).collect();
                let answer = self.quickwit.native_search(&json!({
                    "query": format!("sent:[* TO {before}}} AND file_state:IN [{}]", named.join(" ")),
                    "max_hits": 0,
                    "aggs": {"left": {"terms": {"field": "file_state", "size": chunk.len()}}},
                }))?;
                let left: std::collections::HashSet<&str> =
                    answer["aggregations"]["left"]["buckets"]
                        .as_array()
                        .map(|b| b.iter().filter_map(|b| b["key"].as_str()).collect())
                        .unwrap_or_default();
                for state in chunk {
                    let into = if left.contains(state.as_str()) {
                        &mut pending
                    } else {
                        &mut applied
                    };
                    into.hides.entry(before).or_default().push(state.clone());
                }
            }
        }
        Ok((applied, pending))
    }

    /// Removes the hides of `applied` from the ledger (a delete task per group).
    pub fn forget(&self, applied: &Hidden) -> Result<()> {
        for (&before, states) in &applied.hides {
            for chunk in states.chunks(STATES_PER_QUERY) {
                let named: Vec<String> = chunk.iter().map(|s| quoted(s)).collect();
                self.quickwit.delete_task(
                    &self.id,
                    &format!(
                        "kind:hide AND before:{before} AND state:IN [{}]",
                        named.join(" ")
                    ),
                )?;
            }
        }
        Ok(())
    }
}

/// A run as the ledger tells of it.
#[derive(Debug, Default, Clone)]
struct Run {
    /// Where it ran.
    host: String,
    /// Its process.
    pid: u64,
    /// When it started (ns since the epoch; 0: its record is not there).
    started: u64,
    /// When it last wrote a record that says when.
    heard: u64,
    /// The last batch a checkpoint vouched for.
    checkpoint: u64,
    finished: bool,
    /// The last batch kept of it, when a later run cut it.
    cut: Option<u64>,
}

/// What the records say the index holds. A run that has not finished and that
/// `alive` says may still be running is returned as the error.
fn holdings_of(
    records: &[Read],
    alive: impl Fn(&Run) -> bool,
) -> std::result::Result<Holdings, Run> {
    let mut hidden = Hidden::default();
    let mut runs: HashMap<u64, Run> = HashMap::new();
    for record in records {
        hidden.add(record);
        let entry = runs.entry(record.run).or_default();
        entry.heard = entry.heard.max(record.at);
        match record.kind.as_str() {
            "run" => {
                entry.host = record.host.clone();
                entry.pid = record.pid;
                entry.started = record.at;
            }
            "checkpoint" => entry.checkpoint = entry.checkpoint.max(record.upto),
            "finished" => entry.finished = true,
            "cut" => {
                let cut = runs.entry(record.target).or_default();
                let upto = cut.cut.get_or_insert(record.upto);
                *upto = (*upto).min(record.upto);
            }
            _ => {}
        }
    }
    hidden.tidy();
    let mut stopped = Vec::new();
    for (&id, info) in &runs {
        if info.finished || info.cut.is_some() || info.started == 0 {
            continue;
        }
        if alive(info) {
            return Err(info.clone());
        }
        stopped.push((id, info.checkpoint));
    }
    stopped.sort_unstable();
    // What counts of a run that was cut: what it sent up to the cut, even if its
    // completion shows up later; of a run that stopped: up to its last checkpoint.
    let kept = |record: &Read| match runs.get(&record.run) {
        Some(Run {
            cut: Some(upto), ..
        }) => record.batch <= *upto,
        Some(info) if !info.finished => record.batch <= info.checkpoint,
        _ => true,
    };
    let mut events: Vec<&Read> = records
        .iter()
        .filter(|r| matches!(r.kind.as_str(), "begun" | "done" | "gone") && kept(r))
        .collect();
    events.sort_by_key(|r| (r.run, r.seq));
    let mut newest: HashMap<&str, &Read> = HashMap::new();
    for event in events {
        newest.insert(event.key.as_str(), event);
    }
    let mut holdings = Holdings {
        stopped,
        hidden,
        ..Holdings::default()
    };
    for (key, event) in newest {
        match event.kind.as_str() {
            "done" => {
                holdings.whole.insert(key.to_string(), event.stamp);
            }
            "begun" => {
                holdings.cut_off.insert(key.to_string(), event.stamp);
            }
            _ => {}
        }
    }
    Ok(holdings)
}

/// Whether a run that has not finished may still be running: on this host, its
/// process is alive; on another, it wrote something within [`SILENT_RUN`].
fn is_running(run_host: &str, pid: u64, heard: u64, host: &str) -> bool {
    if run_host == host && cfg!(target_os = "linux") {
        return pid != 0
            && u64::from(std::process::id()) != pid
            && std::path::Path::new(&format!("/proc/{pid}")).exists();
    }
    now_ns().saturating_sub(heard) < SILENT_RUN.as_nanos() as u64
}

/// This machine's name, as runs are told apart by.
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|name| name.trim().to_string())
        .ok()
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_names_cut_runs_and_hides_grouped_by_run() {
        let mut hidden = Hidden::default();
        for record in [
            Read {
                kind: "hide".into(),
                state: "a\t1".into(),
                before: 9,
                ..Read::default()
            },
            Read {
                kind: "hide".into(),
                state: "b\t2".into(),
                before: 9,
                ..Read::default()
            },
            Read {
                kind: "cut".into(),
                run: 7,
                target: 5,
                upto: 3,
                ..Read::default()
            },
        ] {
            hidden.add(&record);
        }
        hidden.tidy();
        assert_eq!(
            hidden.clause(),
            "(sent:5 AND batch:{3 TO *]) OR (sent:[* TO 9} AND file_state:IN [\"a\t1\" \"b\t2\"])"
        );
        assert_eq!(Hidden::default().clause(), "");
    }

    /// A record of `kind` by run `run`, at `seq` in batch `batch`, about file `key`.
    fn event(kind: &str, run: u64, seq: u64, batch: u64, key: &str, stamp: u64) -> Read {
        Read {
            kind: kind.into(),
            key: key.into(),
            stamp,
            run,
            seq,
            batch,
            ..Read::default()
        }
    }

    fn started(run: u64) -> Read {
        Read {
            kind: "run".into(),
            run,
            at: run,
            host: "here".into(),
            pid: 7,
            ..Read::default()
        }
    }

    #[test]
    fn the_newest_event_of_a_file_says_what_is_held() {
        let finished = |run| Read {
            kind: "finished".into(),
            run,
            ..Read::default()
        };
        let records = [
            started(1),
            event("begun", 1, 1, 1, "a", 10),
            event("done", 1, 2, 1, "a", 10),
            event("begun", 1, 3, 1, "b", 20),
            event("done", 1, 4, 1, "b", 20),
            event("begun", 1, 5, 1, "c", 30),
            finished(1),
            // Run 2 replaced a, removed b.
            started(2),
            event("gone", 2, 1, 1, "a", 10),
            event("begun", 2, 2, 1, "a", 11),
            event("done", 2, 3, 1, "a", 11),
            event("gone", 2, 4, 1, "b", 20),
            finished(2),
        ];
        let held = holdings_of(&records, |_| false).unwrap();
        assert_eq!(held.whole, HashMap::from([("a".to_string(), 11)]));
        // Begun, never completed (its reading failed): read again.
        assert_eq!(held.cut_off, HashMap::from([("c".to_string(), 30)]));
        assert!(held.stopped.is_empty());
    }

    #[test]
    fn a_stopped_run_counts_up_to_its_last_checkpoint_and_a_cut_outlasts_its_end() {
        let checkpoint = Read {
            kind: "checkpoint".into(),
            run: 1,
            upto: 1,
            ..Read::default()
        };
        let mut records = vec![
            started(1),
            event("begun", 1, 1, 1, "a", 10),
            event("done", 1, 2, 1, "a", 10),
            event("begun", 1, 3, 2, "b", 20),
            event("done", 1, 4, 2, "b", 20),
            checkpoint,
        ];
        // Still running: refused.
        assert_eq!(holdings_of(&records, |_| true).unwrap_err().pid, 7);
        // Stopped: cut after batch 1; b, sent after the checkpoint, is not held.
        let held = holdings_of(&records, |_| false).unwrap();
        assert_eq!(held.stopped, vec![(1, 1)]);
        assert_eq!(held.whole, HashMap::from([("a".to_string(), 10)]));
        // Once cut, its end published late changes nothing.
        records.push(Read {
            kind: "cut".into(),
            run: 2,
            target: 1,
            upto: 1,
            ..Read::default()
        });
        records.push(Read {
            kind: "finished".into(),
            run: 1,
            ..Read::default()
        });
        let held = holdings_of(&records, |_| true).unwrap();
        assert!(held.stopped.is_empty());
        assert_eq!(held.whole, HashMap::from([("a".to_string(), 10)]));
        assert_eq!(held.hidden.cuts, vec![(1, 1)]);
    }

    #[test]
    fn a_record_is_known_by_its_run_and_place() {
        let a = record("done", 1, 2, 3, json!({"key": "k"}));
        let again = record("done", 1, 2, 3, json!({"key": "k"}));
        let next = record("done", 1, 3, 3, json!({"key": "k"}));
        assert_eq!(a["uid"], again["uid"]);
        assert_ne!(a["uid"], next["uid"]);
        assert_eq!(a["key"], "k");
        assert_eq!(a["batch"], 3);
    }
}
