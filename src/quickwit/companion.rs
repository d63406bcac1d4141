//! The companion index `ID.state` beside a news-search index on Quickwit: what is
//! kept with the index besides its articles (the saved searches and watchlists), so
//! the articles index holds articles only.
//!
//! Quickwit documents cannot be changed, so a record is kept as versions: each save
//! appends the whole text under a new `seq` (split into parts of at most 4 MB, as
//! Quickwit takes documents of 10 MB at most), and the newest whole version is the
//! record. Older versions are removed by a delete task once a few have piled up.
//! A save checks that the version it changed is still the newest, so two processes
//! saving at once do not silently lose one's change: the second is told to retry.

use serde_json::{Value, json};

use super::Quickwit;
use super::client::Client;
use crate::error::Result;

/// Bumped whenever the companion's fields change.
const VERSION: u32 = 1;
/// The largest part of a saved text, in bytes.
const PART_BYTES: usize = 4 * 1024 * 1024;
/// Versions of a record kept before the older ones are deleted.
const KEEP_VERSIONS: u64 = 8;

/// The companion index of an open news-search index on Quickwit.
pub struct Companion<'a> {
    quickwit: &'a Quickwit,
    id: String,
}

/// A record as read: its text and the version it came from (0: never saved).
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The saved text (empty when never saved).
    pub text: String,
    /// Its version.
    pub seq: u64,
}

/// The companion's index id for the articles index `index_id`.
pub fn companion_id(index_id: &str) -> String {
    format!("{index_id}.state")
}

/// The companion's index config.
pub fn companion_config(index_id: &str) -> Value {
    json!({
        "version": "0.8",
        "index_id": companion_id(index_id),
        "doc_mapping": {
            "mode": "strict",
            "field_mappings": [
                {"name": "kind", "type": "text", "tokenizer": "raw", "fast": true, "stored": true,
                 "description": format!("news-search companion v{VERSION}")},
                {"name": "seq", "type": "u64", "fast": true, "stored": true},
                {"name": "part", "type": "u64", "fast": true, "stored": true},
                {"name": "parts", "type": "u64", "stored": true},
                {"name": "data", "type": "text", "indexed": false, "stored": true},
            ],
        },
        "indexing_settings": {"commit_timeout_secs": 5},
    })
}

impl<'a> Companion<'a> {
    /// The companion of `quickwit` (it may not exist yet: reading finds nothing
    /// saved, and the first save creates it).
    pub fn of(quickwit: &'a Quickwit) -> Companion<'a> {
        Companion {
            id: companion_id(&quickwit.url.index_id),
            quickwit,
        }
    }

    fn client(&self) -> &Client {
        &self.quickwit.client
    }

    fn search(&self, body: &Value) -> Result<Option<Value>> {
        let path = format!("/api/v1/{}/search", self.id);
        match self.client().post_json(&path, body)? {
            Ok(answer) => Ok(Some(answer)),
            Err(refused) if refused.status == 404 => Ok(None),
            Err(r) => Err(self.client().error(format!(
                "reading {}: HTTP {}: {}",
                self.id, r.status, r.message
            ))),
        }
    }

    /// The newest whole version of the record `kind`.
    pub fn read(&self, kind: &str) -> Result<Record> {
        // A version read part by part can be replaced (and deleted) meanwhile: read again.
        for _ in 0..3 {
            let Some(newest) = self.search(&json!({
                "query": format!("kind:{kind}"), "max_hits": 1, "sort_by": "seq",
            }))?
            else {
                return Ok(Record::default());
            };
            let Some(head) = newest["hits"].get(0) else {
                return Ok(Record::default());
            };
            let seq = head["seq"].as_u64().unwrap_or(0);
            let parts = head["parts"].as_u64().unwrap_or(1);
            if parts == 1 {
                let text = head["data"].as_str().unwrap_or_default().to_string();
                return Ok(Record { text, seq });
            }
            let all = self
                .search(&json!({
                    "query": format!("kind:{kind} AND seq:{seq}"),
                    "max_hits": parts, "sort_by": "-part",
                }))?
                .unwrap_or_default();
            let hits = all["hits"].as_array().cloned().unwrap_or_default();
            if hits.len() as u64 == parts {
                let text = hits
                    .iter()
                    .map(|h| h["data"].as_str().unwrap_or_default())
                    .collect();
                return Ok(Record { text, seq });
            }
        }
        Err(self.client().error(format!(
            "{}: the saved {kind} are incomplete (a save cut off?); save them again",
            self.id
        )))
    }

    /// Saves `text` as the newest version of `kind`, which must still be the one
    /// read as `base`; waits until it is searchable.
    pub fn save(&self, kind: &str, text: &str, base: &Record) -> Result<()> {
        let current = self.read(kind)?;
        if current.seq != base.seq {
            return Err(self.client().error(format!(
                "the saved {kind} were changed by another process meanwhile; run the command again"
            )));
        }
        self.create()?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let seq = now.max(base.seq + 1);
        let parts = split(text, PART_BYTES);
        let mut body = Vec::new();
        for (part, data) in parts.iter().enumerate() {
            let doc =
                json!({"kind": kind, "seq": seq, "part": part, "parts": parts.len(), "data": data});
            serde_json::to_writer(&mut body, &doc)
                .map_err(|e| self.client().error(e.to_string()))?;
            body.push(b'\n');
        }
        let path = format!(
            "/api/v1/{}/ingest?commit=force&detailed_response=true",
            self.id
        );
        let answer = self.client().post_ndjson(&path, &body)?.map_err(|r| {
            self.client()
                .error(format!("saving {kind}: HTTP {}: {}", r.status, r.message))
        })?;
        if answer["num_rejected_docs"].as_u64().unwrap_or(0) > 0 {
            return Err(self.client().error(format!(
                "saving {kind}: rejected: {}",
                answer["parse_failures"][0]["message"]
                    .as_str()
                    .unwrap_or("no reason given")
            )));
        }
        self.prune(kind, seq)
    }

    /// Deletes the versions of `kind` older than `seq` once more than a few pile up
    /// (a delete task; until Quickwit applies it they are only ignored).
    fn prune(&self, kind: &str, seq: u64) -> Result<()> {
        let older = format!("kind:{kind} AND seq:[* TO {seq}}}");
        let count = self
            .search(&json!({"query": older, "max_hits": 0}))?
            .and_then(|a| a["num_hits"].as_u64())
            .unwrap_or(0);
        if count < KEEP_VERSIONS {
            return Ok(());
        }
        let path = format!("/api/v1/{}/delete-tasks", self.id);
        self.client()
            .post_json(&path, &json!({"query": older}))?
            .map_err(|r| {
                self.client()
                    .error(format!("delete task: HTTP {}: {}", r.status, r.message))
            })?;
        Ok(())
    }

    /// Creates the companion index when the node does not have it.
    fn create(&self) -> Result<()> {
        let path = format!("/api/v1/indexes/{}", self.id);
        match self.client().get(&path)? {
            Ok(metadata) => {
                let version = metadata
                    .pointer("/index_config/doc_mapping/field_mappings")
                    .and_then(Value::as_array)
                    .and_then(|f| f.iter().find(|f| f["name"] == "kind"))
                    .and_then(|f| f["description"].as_str())
                    .and_then(|d| d.strip_prefix("news-search companion v"))
                    .and_then(|v| v.parse::<u32>().ok());
                if version == Some(VERSION) {
                    Ok(())
                } else {
                    Err(self.client().error(format!(
                        "the index `{}` beside it was not made by this version of news-search (it keeps the saved searches there); delete it or use another index id",
                        self.id
                    )))
                }
            }
            Err(refused) if refused.status == 404 => {
                let config = companion_config(&self.quickwit.url.index_id);
                match self.client().post_json("/api/v1/indexes", &config)? {
                    Ok(_) => Ok(()),
                    // Another process created it meanwhile.
                    Err(r) if r.message.contains("already exist") => Ok(()),
                    Err(r) => Err(self.client().error(format!(
                        "creating {}: HTTP {}: {}",
                        self.id, r.status, r.message
                    ))),
                }
            }
            Err(r) => Err(self
                .client()
                .error(format!("{}: HTTP {}: {}", self.id, r.status, r.message))),
        }
    }
}

/// `text` in pieces of at most `bytes` (at character boundaries); one empty piece
/// for an empty text.
fn split(text: &str, bytes: usize) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = text;
    while rest.len() > bytes {
        let mut cut = bytes;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (head, tail) = rest.split_at(cut);
        parts.push(head);
        rest = tail;
    }
    parts.push(rest);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_split_at_character_boundaries_and_join_back() {
        let text = "Bürger ".repeat(1000);
        let parts = split(&text, 100);
        assert!(parts.iter().all(|p| p.len() <= 100));
        assert_eq!(parts.concat(), text);
        assert_eq!(split("", 100), [""]);
        assert_eq!(split("abc", 3), ["abc"]);
    }
}
