//! A news-search index kept on a Quickwit node or cluster: the same articles, our own
//! analysis (see `mapping`), Quickwit's storage and distribution. Opened from a
//! `quickwit+http://host:port/INDEX_ID` location.

pub mod client;
pub mod companion;
pub mod document;
pub mod ledger;
pub mod mapping;
pub mod query;
mod rescore;
pub mod search;
pub mod similar;
pub mod writer;

use std::time::Duration;

use chrono::DateTime;
use serde_json::{Value, json};

use crate::error::Result;
use crate::index::stats::Stats;
use crate::location::QuickwitUrl;
use client::Client;
use mapping::{MAPPING_VERSION, version_of};

/// A date aggregation value: Quickwit 0.9 answers in nanoseconds since the epoch;
/// the magnitude tells the unit, so a node answering in milliseconds reads right too.
fn epoch_date(value: f64) -> Option<DateTime<chrono::Utc>> {
    let nanos = if value.abs() >= 1e17 {
        value
    } else if value.abs() >= 1e14 {
        value * 1e3
    } else if value.abs() >= 1e11 {
        value * 1e6
    } else {
        value * 1e9
    };
    Some(DateTime::from_timestamp_nanos(nanos as i64))
}

/// An open Quickwit index whose mapping is ours, at this version.
pub struct Quickwit {
    client: Client,
    url: QuickwitUrl,
    /// The language codes of the articles, and when they were asked.
    languages: std::sync::Mutex<Option<(std::time::Instant, Vec<String>)>>,
    /// What the ledger hides (as a query), and when it was read.
    hidden: std::sync::Mutex<Option<(std::time::Instant, String)>>,
}

/// How long what the ledger hides is kept before it is read again: a server reads
/// it once per this, a command once. A file replaced meanwhile shows its old and new
/// articles for that long at most (its new ones take the index's commit timeout, 5 s,
/// to show anyway).
const HIDDEN_KEPT: Duration = Duration::from_secs(5);

impl Quickwit {
    /// Connects and checks the index: an unreachable node, a missing index and an
    /// index made by another mapping version are each an error naming the URL.
    pub fn open(url: &QuickwitUrl) -> Result<Quickwit> {
        let client = Client::new(url, Duration::from_secs(60));
        let path = format!("/api/v1/indexes/{}", url.index_id);
        let metadata = match client.get(&path)? {
            Ok(metadata) => metadata,
            Err(refused) if refused.status == 404 => {
                return Err(client.error(format!(
                    "no index `{id}` on this node; create it with `news-search quickwit-config {id} | curl -XPOST -H 'Content-Type: application/json' {}/api/v1/indexes --data-binary @-`",
                    url.base,
                    id = url.index_id
                )));
            }
            Err(refused) => {
                return Err(client.error(format!("HTTP {}: {}", refused.status, refused.message)));
            }
        };
        match version_of(&metadata) {
            Some(MAPPING_VERSION) => Ok(Quickwit {
                client,
                url: url.clone(),
                languages: Default::default(),
                hidden: Default::default(),
            }),
            Some(other) => Err(client.error(format!(
                "the index was made by news-search with doc mapping v{other}; this version needs v{MAPPING_VERSION}: re-create it (`news-search quickwit-config`) and index again"
            ))),
            None => Err(client.error(
                "the index was not made by news-search (its `id` field does not carry a news-search doc mapping version); use another index id",
            )),
        }
    }

    /// Where the index is.
    pub fn url(&self) -> &QuickwitUrl {
        &self.url
    }

    /// The query for live articles: those the ledger does not hide. Read with the
    /// language codes, in one request, when those are due too.
    pub fn live(&self) -> Result<String> {
        let mut cached = self.hidden.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, live)) = cached.as_ref()
            && at.elapsed() < HIDDEN_KEPT
        {
            return Ok(live.clone());
        }
        let hidden = match self.languages_due() {
            true => self.hidden_and_languages()?,
            false => ledger::Ledger::of(self).hidden(None)?,
        };
        let clause = hidden.clause();
        let live = if clause.is_empty() {
            "kind:article".to_string()
        } else {
            format!("kind:article AND NOT ({clause})")
        };
        *cached = Some((std::time::Instant::now(), live.clone()));
        Ok(live)
    }

    /// `POST /api/v1/INDEX/search` with a JSON body.
    fn native_search(&self, body: &Value) -> Result<Value> {
        let path = format!("/api/v1/{}/search", self.url.index_id);
        self.client.post_json(&path, body)?.map_err(|r| {
            self.client
                .error(format!("search: HTTP {}: {}", r.status, r.message))
        })
    }

    /// What the index holds: counts and date range from aggregations, size and
    /// splits from the index description.
    pub fn stats(&self, top: usize) -> Result<Stats> {
        let answer = self.native_search(&json!({
            "query": self.live()?,
            "max_hits": 0,
            "aggs": {
                "dated": {"value_count": {"field": "date"}},
                "first": {"min": {"field": "date"}},
                "last": {"max": {"field": "date"}},
                // Over-asked, so ties at the cut are broken by name as locally.
                "sources": {"terms": {"field": "source_exact", "size": top.clamp(1, search::MAX_SOURCES) * 2 + 10}},
                "languages": {"terms": {"field": "lang", "size": 100}},
            }
        }))?;
        let path = format!("/api/v1/indexes/{}/describe", self.url.index_id);
        let described = self.client.get(&path)?.map_err(|r| {
            self.client
                .error(format!("describe: HTTP {}: {}", r.status, r.message))
        })?;
        let aggs = &answer["aggregations"];
        let articles = answer["num_hits"].as_u64().unwrap_or(0);
        let buckets = |name: &str| -> Vec<(String, u64)> {
            aggs[name]["buckets"]
                .as_array()
                .map(|b| {
                    b.iter()
                        .filter_map(|b| {
                            Some((b["key"].as_str()?.to_string(), b["doc_count"].as_u64()?))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let by_count = |list: &mut Vec<(String, u64)>| {
            list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)))
        };
        let mut top_sources = buckets("sources");
        by_count(&mut top_sources);
        let mut languages = buckets("languages");
        by_count(&mut languages);
        let sourced = top_sources.iter().map(|(_, n)| n).sum::<u64>()
            + aggs["sources"]["sum_other_doc_count"].as_u64().unwrap_or(0);
        top_sources.truncate(top);
        let date = |name: &str| aggs[name]["value"].as_f64().and_then(epoch_date);
        Ok(Stats {
            index: self.url.to_string(),
            articles,
            undated: articles.saturating_sub(aggs["dated"]["value"].as_f64().unwrap_or(0.0) as u64),
            first_date: date("first"),
            last_date: date("last"),
            top_sources,
            unsourced: articles.saturating_sub(sourced),
            languages,
            size_bytes: described["size_published_splits"].as_u64().unwrap_or(0),
            segments: described["num_published_splits"].as_u64().unwrap_or(0) as usize,
        })
    }
}
