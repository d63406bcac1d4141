//! Writing articles to a Quickwit index: NDJSON batches of at most 10 MB, deletes as
//! delete tasks, and what the index already holds read back from it (each document
//! carries its file's key and stamp, and a marker follows a file's last article), so
//! a run adds nothing twice, a run cut off half-way is finished by the next, and two
//! machines pushing to one index see the same state.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use serde_json::{Value, json};

use super::Quickwit;
use super::document::{file_done, file_state, to_json, tombstone};
use super::mapping::index_config;
use super::query::quoted;
use crate::article::Article;
use crate::error::Result;
use crate::location::QuickwitUrl;

/// The largest NDJSON request body.
pub const BATCH_BYTES: usize = 10 * 1024 * 1024;
/// Most distinct files one run can compare against (Quickwit's bucket limit).
const MAX_FILES: usize = 65_000;
/// Longest wait for what a run sent to become searchable.
const COMMIT_WAIT: std::time::Duration = std::time::Duration::from_secs(120);
/// Most file keys or hashes named in one query.
const KEYS_PER_QUERY: usize = 500;
/// Most tombstones read (Quickwit's `max_hits` limit).
const MAX_TOMBSTONES: usize = 10_000;

/// Buffers documents and sends them in batches.
pub struct QuickwitWriter {
    quickwit: Quickwit,
    pending: Mutex<Vec<u8>>,
    /// Held while a batch is sent: batches land in the order they were filled, so a
    /// file's marker never lands before its articles.
    sending: Mutex<()>,
    /// When this run started (ns since the epoch), stamped on what it sends.
    run: u64,
    /// Documents this run has sent or buffered.
    documents: std::sync::atomic::AtomicU64,
}

impl Quickwit {
    /// Opens the index, creating it with our mapping when the node does not have it.
    pub fn open_or_create(url: &QuickwitUrl) -> Result<Quickwit> {
        let client = super::client::Client::new(url, std::time::Duration::from_secs(120));
        let path = format!("/api/v1/indexes/{}", url.index_id);
        if let Err(refused) = client.get(&path)?
            && refused.status == 404
        {
            client
                .post_json("/api/v1/indexes", &index_config(&url.index_id))?
                .map_err(|r| {
                    client.error(format!(
                        "creating the index: HTTP {}: {}",
                        r.status, r.message
                    ))
                })?;
        }
        Quickwit::open(url)
    }

    /// The files the index holds, each with its stamp: whole ones (their completion
    /// marker is live), and cut-off ones, with live articles but no marker (a run that
    /// was cut off, by a node stopped or a network gone, sent part of them). A cut-off
    /// file's articles are to be removed and the file read again.
    pub fn file_states(&self) -> Result<(HashMap<String, u64>, HashMap<String, u64>)> {
        let hidden = self.hidden()?;
        let whole = self.files_of(&live_of("file", &hidden))?;
        let mut cut_off = self.files_of(&live_of("article", &hidden))?;
        cut_off.retain(|key, stamp| whole.get(key) != Some(stamp));
        Ok((whole, cut_off))
    }

    /// The file keys and stamps of the documents matching `query`.
    fn files_of(&self, query: &str) -> Result<HashMap<String, u64>> {
        let answer = self.native_search(&json!({
            "query": query,
            "max_hits": 0,
            "aggs": {"files": {
                "terms": {"field": "file_key", "size": MAX_FILES},
                "aggs": {"stamp": {"terms": {"field": "file_stamp", "size": 1}}}
            }}
        }))?;
        let buckets = answer["aggregations"]["files"]["buckets"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if buckets.len() >= MAX_FILES {
            return Err(self.client.error(format!(
                "the index holds articles of {MAX_FILES} files or more; comparing that many is not supported yet"
            )));
        }
        Ok(buckets
            .iter()
            .filter_map(|b| {
                let stamp = b["stamp"]["buckets"][0]["key"].as_str()?.parse().ok()?;
                Some((b["key"].as_str()?.to_string(), stamp))
            })
            .collect())
    }

    /// The distinct text hashes of the live articles of the files `keys` (what a
    /// changed file held before it is read again).
    pub fn texts_of_files(&self, keys: &[&str]) -> Result<HashSet<u64>> {
        let live = self.live()?;
        let mut found = HashSet::new();
        for chunk in keys.chunks(KEYS_PER_QUERY) {
            let named: Vec<String> = chunk.iter().map(|k| quoted(k)).collect();
            let query = format!("({live}) AND file_key:IN [{}]", named.join(" "));
            found.extend(self.text_hashes(&query)?);
        }
        Ok(found)
    }

    /// Which of `hashes` live articles sent before `run` hold (texts the index had
    /// before the run that began then).
    pub fn texts_held(&self, hashes: &[u64], run: u64) -> Result<HashSet<u64>> {
        let live = self.live()?;
        let mut found = HashSet::new();
        for chunk in hashes.chunks(KEYS_PER_QUERY) {
            let named: Vec<String> = chunk.iter().map(u64::to_string).collect();
            let query = format!(
                "({live}) AND sent:[* TO {run}}} AND text_hash:IN [{}]",
                named.join(" ")
            );
            found.extend(self.text_hashes(&query)?);
        }
        Ok(found)
    }

    /// The distinct text hashes of the documents `query` matches, page by page in
    /// hash order (a page resumes after the last hash, so copies cost nothing).
    fn text_hashes(&self, query: &str) -> Result<HashSet<u64>> {
        const PAGE: usize = 10_000;
        let mut found = HashSet::new();
        let mut after: Option<u64> = None;
        loop {
            let mut body = json!({
                "query": {"query_string": {"query": query}},
                "size": PAGE,
                "sort": [{"text_hash": {"order": "asc"}}],
            });
            if let Some(last) = after {
                body["search_after"] = json!([last]);
            }
            let answer = self.es_search_with(&body, "_source_includes=text_hash")?;
            let hits = answer["hits"]["hits"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for hit in &hits {
                if let Some(hash) = hit["_source"]["text_hash"].as_u64() {
                    found.insert(hash);
                    after = Some(hash);
                }
            }
            if hits.len() < PAGE {
                return Ok(found);
            }
        }
    }

    /// The query for live articles: those no tombstone hides.
    pub fn live(&self) -> Result<String> {
        Ok(live_of("article", &self.hidden()?))
    }

    /// The documents the tombstones hide (each hides its file version's documents
    /// sent before it), as a query; empty when there are none.
    fn hidden(&self) -> Result<String> {
        let answer = self.native_search(&json!({
            "query": "kind:tombstone",
            "max_hits": MAX_TOMBSTONES,
        }))?;
        if answer["num_hits"].as_u64().unwrap_or(0) > MAX_TOMBSTONES as u64 {
            return Err(self.client.error(format!(
                "the index holds more than {MAX_TOMBSTONES} tombstones of replaced files; that is not supported yet"
            )));
        }
        let hidden: Vec<String> = answer["hits"]
            .as_array()
            .map(|hits| {
                hits.iter()
                    .filter_map(|t| {
                        let state = t["tombstone"].as_str()?;
                        let before = t["before"].as_u64()?;
                        Some(format!(
                            "(file_state:{} AND sent:[* TO {before}}})",
                            quoted(state)
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(hidden.join(" OR "))
    }

    /// Deletes one version of a file's documents sent before `before`: hidden at once
    /// by a tombstone (sent with the next batch), removed for good by a delete task
    /// when Quickwit applies it (a task covers only what was published before it).
    fn delete_version(&self, key: &str, stamp: u64, before: u64) -> Result<Value> {
        let path = format!("/api/v1/{}/delete-tasks", self.url.index_id);
        let query = format!("file_state:{}", quoted(&file_state(key, stamp)));
        self.client
            .post_json(
                &path,
                &json!({"query": query, "search_field": ["file_state"]}),
            )?
            .map_err(|r| {
                self.client
                    .error(format!("delete task: HTTP {}: {}", r.status, r.message))
            })?;
        Ok(tombstone(key, stamp, before))
    }
}

/// The query for the live documents of `kind`, given what tombstones hide.
fn live_of(kind: &str, hidden: &str) -> String {
    if hidden.is_empty() {
        format!("kind:{kind}")
    } else {
        format!("kind:{kind} AND NOT ({hidden})")
    }
}

impl QuickwitWriter {
    /// A writer for an open index.
    pub fn new(quickwit: Quickwit) -> QuickwitWriter {
        let run = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        QuickwitWriter {
            quickwit,
            pending: Mutex::new(Vec::new()),
            sending: Mutex::new(()),
            run,
            documents: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Deletes what earlier runs sent of a file as it was at `stamp`.
    pub fn delete_file(&self, key: &str, stamp: u64) -> Result<()> {
        let marker = self.quickwit.delete_version(key, stamp, self.run)?;
        self.push(&marker)
    }

    /// Adds an article; sends the batch once it would pass 10 MB.
    pub fn add(
        &self,
        article: &Article,
        hash: u64,
        origin: Option<(&str, u64, usize)>,
    ) -> Result<()> {
        self.push(&to_json(article, hash, origin, self.run))
    }

    /// Marks a file as sent whole (after its last article).
    pub fn file_done(&self, key: &str, stamp: u64) -> Result<()> {
        self.push(&file_done(key, stamp, self.run))
    }

    fn push(&self, doc: &Value) -> Result<()> {
        let mut line =
            serde_json::to_vec(doc).map_err(|e| self.quickwit.client.error(e.to_string()))?;
        line.push(b'\n');
        self.documents
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        if pending.is_empty() || pending.len() + line.len() <= BATCH_BYTES {
            pending.extend_from_slice(&line);
            return Ok(());
        }
        let batch = std::mem::replace(&mut *pending, line);
        // Take the turn to send before others may fill the next batch.
        let _turn = self.sending.lock().unwrap_or_else(|e| e.into_inner());
        drop(pending);
        self.send(&batch, false)
    }

    /// When this run started (ns since the epoch): what it sent carries it.
    pub fn run(&self) -> u64 {
        self.run
    }

    /// Sends what is buffered and waits until everything this run sent is
    /// searchable (a forced commit covers its own batch; earlier batches are
    /// committed by Quickwit within its commit timeout).
    pub fn finish(&self) -> Result<()> {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let batch = std::mem::take(&mut *pending);
        let _turn = self.sending.lock().unwrap_or_else(|e| e.into_inner());
        drop(pending);
        self.send(&batch, true)?;
        let sent = self.documents.load(std::sync::atomic::Ordering::Relaxed);
        let started = std::time::Instant::now();
        loop {
            let answer = self.quickwit.native_search(&json!({
                "query": format!("sent:{}", self.run),
                "max_hits": 0,
            }))?;
            let searchable = answer["num_hits"].as_u64().unwrap_or(0);
            if searchable >= sent {
                return Ok(());
            }
            if started.elapsed() > COMMIT_WAIT {
                return Err(self.quickwit.client.error(format!(
                    "{searchable} of the {sent} documents sent are searchable after {} s; they should follow within the index's commit timeout",
                    COMMIT_WAIT.as_secs()
                )));
            }
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
    }

    fn send(&self, batch: &[u8], wait: bool) -> Result<()> {
        let commit = if wait { "force" } else { "auto" };
        let path = format!(
            "/api/v1/{}/ingest?commit={commit}&detailed_response=true",
            self.quickwit.url.index_id
        );
        // Nothing left: what was sent earlier is searchable within the index's commit
        // timeout (5 s) without a forced commit.
        if batch.is_empty() {
            return Ok(());
        }
        let answer: Value = self
            .quickwit
            .client
            .post_ndjson(&path, batch)?
            .map_err(|r| {
                self.quickwit
                    .client
                    .error(format!("ingest: HTTP {}: {}", r.status, r.message))
            })?;
        let rejected = answer["num_rejected_docs"].as_u64().unwrap_or(0);
        if rejected > 0 {
            let why = answer["parse_failures"][0]["message"]
                .as_str()
                .unwrap_or("no reason given");
            return Err(self
                .quickwit
                .client
                .error(format!("{rejected} articles rejected: {why}")));
        }
        Ok(())
    }
}
