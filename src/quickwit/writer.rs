//! Writing articles to a Quickwit index: NDJSON batches of at most 10 MB, deletes as
//! delete tasks, and what the index already holds read back from it (each document
//! carries its file's key and stamp), so a run adds nothing twice and two machines
//! pushing to one index see the same state.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{Value, json};

use super::Quickwit;
use super::document::{file_state, to_json, tombstone};
use super::mapping::index_config;
use crate::article::Article;
use crate::error::Result;
use crate::location::QuickwitUrl;

/// The largest NDJSON request body.
pub const BATCH_BYTES: usize = 10 * 1024 * 1024;
/// Most distinct files one run can compare against (Quickwit's bucket limit).
const MAX_FILES: usize = 65_000;

/// Buffers documents and sends them in batches.
pub struct QuickwitWriter {
    quickwit: Quickwit,
    pending: Mutex<Vec<u8>>,
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

    /// Every file the index holds live articles of, with its stamp.
    pub fn indexed_files(&self) -> Result<HashMap<String, u64>> {
        let answer = self.native_search(&json!({
            "query": self.live()?,
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

    /// The query for live articles: articles whose file version is not tombstoned.
    pub fn live(&self) -> Result<String> {
        let answer = self.native_search(&json!({
            "query": "kind:tombstone",
            "max_hits": 0,
            "aggs": {"gone": {"terms": {"field": "tombstone", "size": MAX_FILES}}}
        }))?;
        let gone: Vec<String> = answer["aggregations"]["gone"]["buckets"]
            .as_array()
            .map(|b| {
                b.iter()
                    .filter_map(|b| b["key"].as_str().map(quote))
                    .collect()
            })
            .unwrap_or_default();
        Ok(if gone.is_empty() {
            "kind:article".to_string()
        } else {
            format!("kind:article AND NOT file_state:IN [{}]", gone.join(" "))
        })
    }

    /// Deletes one version of a file's articles: hidden at once by a tombstone (sent
    /// with the next batch), removed for good by a delete task when Quickwit applies it.
    fn delete_version(&self, key: &str, stamp: u64) -> Result<Value> {
        let path = format!("/api/v1/{}/delete-tasks", self.url.index_id);
        let query = format!("file_state:{}", quote(&file_state(key, stamp)));
        self.client
            .post_json(
                &path,
                &json!({"query": query, "search_field": ["file_state"]}),
            )?
            .map_err(|r| {
                self.client
                    .error(format!("delete task: HTTP {}: {}", r.status, r.message))
            })?;
        Ok(tombstone(key, stamp))
    }
}

/// A value as a quoted Quickwit query term.
fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

impl QuickwitWriter {
    /// A writer for an open index.
    pub fn new(quickwit: Quickwit) -> QuickwitWriter {
        QuickwitWriter {
            quickwit,
            pending: Mutex::new(Vec::new()),
        }
    }

    /// Deletes the articles of a file as it was at `stamp`.
    pub fn delete_file(&self, key: &str, stamp: u64) -> Result<()> {
        let marker = self.quickwit.delete_version(key, stamp)?;
        self.push(&marker)
    }

    /// Adds an article; sends the batch once it would pass 10 MB.
    pub fn add(&self, article: &Article, hash: u64, origin: Option<(&str, u64)>) -> Result<()> {
        self.push(&to_json(article, hash, origin))
    }

    fn push(&self, doc: &Value) -> Result<()> {
        let mut line =
            serde_json::to_vec(doc).map_err(|e| self.quickwit.client.error(e.to_string()))?;
        line.push(b'\n');
        let full = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            if !pending.is_empty() && pending.len() + line.len() > BATCH_BYTES {
                Some(std::mem::replace(&mut *pending, line))
            } else {
                pending.extend_from_slice(&line);
                None
            }
        };
        match full {
            Some(batch) => self.send(&batch, false),
            None => Ok(()),
        }
    }

    /// Sends what is buffered and waits until everything sent is searchable.
    pub fn finish(&self) -> Result<()> {
        let batch = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        self.send(&batch, true)
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
