//! Writing articles to a Quickwit index: bulk requests of about 8 MB, each with the
//! ledger records of its step (`ledger`): a file's first article is announced in
//! the batch that sends it, its completion after its last one, a replaced version
//! is hidden at once and deleted by a delete task, and every few seconds a
//! checkpoint vouches for what is searchable. So a run adds nothing
//! twice, a run cut off half-way is finished by the next, and what a stopped run
//! left in the node's write-ahead log cannot come back as duplicates.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::Quickwit;
use super::document::to_json;
use super::ledger::{self, Holdings, Ledger, STATES_PER_QUERY, file_state, now_ns, record};
use super::mapping::index_config;
use super::query::quoted;
use super::search::count_search;
use crate::article::Article;
use crate::error::Result;
use crate::location::QuickwitUrl;
use crate::sink::HeldTexts;

/// The size at which a batch is sent (Quickwit takes request bodies of 10 MiB).
pub const BATCH_BYTES: usize = 8 * 1024 * 1024;
/// The bulk API's line before each document, about.
const ACTION_BYTES: usize = 40;
/// Tries of a bulk request whose documents Quickwit cannot take for now.
const BULK_ATTEMPTS: u32 = 10;
/// Longest wait for what a run sent to become searchable.
const COMMIT_WAIT: Duration = Duration::from_secs(120);
/// Most file keys named in one query.
const KEYS_PER_QUERY: usize = 500;
/// How often a run checks what it sent is searchable, to record a checkpoint.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(8);
/// How long a batch is given to become searchable before a checkpoint vouches for it.
const SETTLE: Duration = Duration::from_secs(6);
/// How old a hide with articles left must be before its delete task is asked again.
const DELETE_AGAIN_AFTER: Duration = Duration::from_secs(3600);

/// What is buffered for the next batch.
#[derive(Default)]
struct Pending {
    /// The articles, as NDJSON.
    articles: Vec<u8>,
    /// Ledger records to land before the articles (begun, gone, hide, cut, checkpoint).
    before: Vec<u8>,
    /// Ledger records to land after them (done).
    after: Vec<u8>,
    /// Delete task queries, asked before the batch is sent.
    deletes: Vec<String>,
    /// File versions to delete, gathered into one delete task per batch.
    states: Vec<String>,
    /// The run (what its delete tasks spare: articles it sent itself).
    run: u64,
    /// The number of the batch being filled (from 1).
    batch: u64,
    /// Ledger records of this run so far (each one's place).
    seq: u64,
    /// Articles buffered or sent so far.
    articles_total: u64,
    /// Ledger records buffered or sent so far (the run record included).
    ledger_total: u64,
    /// Documents buffered (articles and ledger records).
    lines: usize,
    /// Files whose first article has been announced.
    begun: HashSet<String>,
}

/// A batch taken from [`Pending`], to send.
struct Batch {
    number: u64,
    before: Vec<u8>,
    deletes: Vec<String>,
    articles: Vec<u8>,
    after: Vec<u8>,
    /// Articles and ledger records up to and including this batch.
    totals: (u64, u64),
}

/// What has been sent, for checkpoints.
struct Sent {
    /// Batches sent and not yet vouched for: number, when, totals up to it.
    batches: VecDeque<(u64, Instant, (u64, u64))>,
    checked: Instant,
}

/// Buffers documents and sends them in batches.
pub struct QuickwitWriter {
    quickwit: Quickwit,
    pending: Mutex<Pending>,
    /// Held while a batch is sent: batches land in the order they were filled, so a
    /// file's completion never lands before its articles.
    sending: Mutex<Sent>,
    /// When this run started (ns since the epoch), stamped on what it sends.
    run: u64,
    /// The run's own record is searchable (nothing else is sent before it is).
    announced: std::sync::atomic::AtomicBool,
    /// The request that records the run, under way.
    announcing: Mutex<Option<std::thread::JoinHandle<Result<()>>>>,
}

impl Quickwit {
    /// Opens the index, creating it with our mapping when the node does not have it.
    pub fn open_or_create(url: &QuickwitUrl) -> Result<Quickwit> {
        let client = super::client::Client::new(url, std::time::Duration::from_secs(120));
        let path = format!("/api/v1/indexes/{}", url.index_id);
        if let Err(refused) = client.get(&path)?
            && refused.status == 404
        {
            // A ledger left from an articles index deleted since would say that
            // files are held: it goes with it.
            let ledger = format!("/api/v1/indexes/{}", ledger::ledger_id(&url.index_id));
            if let Err(r) = client.delete(&ledger)?
                && r.status != 404
            {
                return Err(client.error(format!(
                    "deleting the stale ledger: HTTP {}: {}",
                    r.status, r.message
                )));
            }
            client
                .post_json("/api/v1/indexes", &index_config(&url.index_id))?
                .map_err(|r| {
                    client.error(format!(
                        "creating the index: HTTP {}: {}",
                        r.status, r.message
                    ))
                })?;
        }
        let quickwit = Quickwit::open(url)?;
        Ledger::of(&quickwit).create_if_missing()?;
        Ok(quickwit)
    }

    /// Asks Quickwit to delete the documents of `index_id` that `query` matches
    /// (applied later, to what was published before it).
    pub(super) fn delete_task(&self, index_id: &str, query: &str) -> Result<()> {
        let path = format!("/api/v1/{index_id}/delete-tasks");
        self.client
            .post_json(&path, &json!({"query": query}))?
            .map_err(|r| {
                self.client.error(format!(
                    "delete task on {index_id}: HTTP {}: {}",
                    r.status, r.message
                ))
            })?;
        Ok(())
    }

    /// What a run needs before it reads to tell exact copies: the texts of what it
    /// replaces (the files in `stale`, and what earlier runs left for it to
    /// settle: files sent in part, and what stopped runs sent after their last
    /// checkpoint). The rest is asked batch by batch ([`HeldLookup::among`]), so
    /// a run costs requests in proportion to what it reads, not to the index.
    pub fn held_lookup(self, stale: &HashSet<&str>, holdings: &Holdings) -> Result<HeldLookup> {
        // Articles sent from now on are this run's.
        let before = now_ns();
        let live = self.live()?;
        let empty = super::search::total_of(&self.es_search(&count_search(&live))?) == 0.0;
        // What stopped runs sent after their last checkpoint is cut, and its
        // files read again. The node may still publish some of it from its
        // write-ahead log, so it is left out of every question, not counted.
        let tails: Vec<String> = holdings
            .stopped
            .iter()
            .map(|&(run, upto)| format!("(sent:{run} AND batch:{{{upto} TO *])"))
            .collect();
        let kept = match tails.is_empty() {
            true => format!("({live}) AND sent:[* TO {before}}}"),
            false => format!(
                "({live}) AND sent:[* TO {before}}} AND NOT ({})",
                tails.join(" OR ")
            ),
        };
        let keys: Vec<&str> = stale
            .iter()
            .copied()
            .chain(holdings.cut_off.keys().map(String::as_str))
            .collect();
        let mut replaced = HashMap::new();
        let mut tail_texts = HashSet::new();
        if !empty {
            for chunk in keys.chunks(KEYS_PER_QUERY) {
                let named: Vec<String> = chunk.iter().map(|k| quoted(k)).collect();
                let query = format!("{kept} AND file_key:IN [{}]", named.join(" "));
                for (hash, count) in self.hash_counts(&query)? {
                    *replaced.entry(hash).or_insert(0) += count;
                }
            }
            if !tails.is_empty() {
                let query = format!("({live}) AND ({})", tails.join(" OR "));
                tail_texts.extend(self.hash_counts(&query)?.into_keys());
            }
        }
        Ok(HeldLookup {
            quickwit: self,
            kept,
            empty,
            replaced,
            tail_texts,
        })
    }

    /// Every text hash of the documents `query` matches, with how many hold it:
    /// terms aggregations over ranges of the hash space, read from the column
    /// (no document is fetched), a range split again while it holds more hashes
    /// than one answer takes. No cap, whatever the index's size.
    fn hash_counts(&self, query: &str) -> Result<HashMap<u64, u64>> {
        const BUCKETS: u64 = 50_000;
        let in_range = |(low, high): (u64, u64)| {
            json!({
                "query": {"query_string": {"query": format!("({query}) AND text_hash:[{low} TO {high}]")}},
                "size": 0,
                "track_total_hits": true,
                "aggs": {"hashes": {"terms": {"field": "text_hash", "size": BUCKETS}}},
            })
        };
        let total_of = |answer: &Value| super::search::total_of(answer) as u64;
        let total = total_of(&self.es_search(&count_search(query))?);
        // Hashes are spread evenly: ranges of about half an answer's worth each.
        let parts = (total / (BUCKETS / 2)).max(1);
        let step = u64::MAX / parts;
        let mut ranges: Vec<(u64, u64)> = (0..parts)
            .map(|n| {
                (
                    n * step,
                    if n + 1 == parts {
                        u64::MAX
                    } else {
                        (n + 1) * step - 1
                    },
                )
            })
            .collect();
        let mut counts = HashMap::new();
        while let Some((low, high)) = ranges.pop() {
            let answer = self.es_search(&in_range((low, high)))?;
            let read: u64 = buckets(&answer).map(|(_, count)| count).sum();
            if read < total_of(&answer) && low < high {
                let middle = low + (high - low) / 2;
                ranges.extend([(low, middle), (middle + 1, high)]);
                continue;
            }
            counts.extend(buckets(&answer));
        }
        Ok(counts)
    }
}

/// Which texts a Quickwit index held before a run, asked batch by batch.
pub struct HeldLookup {
    quickwit: Quickwit,
    /// The articles that count: live, sent before the run, not cut.
    kept: String,
    /// The index held no article.
    empty: bool,
    /// The texts of the files the run replaces, with how many articles hold each.
    replaced: HashMap<u64, u64>,
    /// The texts stopped runs sent after their last checkpoint (cut now).
    tail_texts: HashSet<u64>,
}

impl HeldLookup {
    /// Hashes named in one request.
    const HASHES_PER_QUERY: usize = 1000;

    /// The texts of what the run replaces.
    pub fn replaced(&self) -> HeldTexts {
        HeldTexts {
            replaced: self
                .replaced
                .keys()
                .chain(&self.tail_texts)
                .copied()
                .collect(),
            ..HeldTexts::default()
        }
    }

    /// Which of `hashes` the index held before the run (its cut tails left out):
    /// by files it does not replace, or by articles read from standard input
    /// (two terms aggregations per thousand hashes, read from the column).
    pub fn among(&self, hashes: &[u64]) -> Result<HeldTexts> {
        let mut held = HeldTexts::default();
        if self.empty {
            return Ok(held);
        }
        let kept = &self.kept;
        for chunk in hashes.chunks(Self::HASHES_PER_QUERY) {
            let named: Vec<String> = chunk.iter().map(u64::to_string).collect();
            let named = named.join(" ");
            let all = self.counts(&format!("{kept} AND text_hash:IN [{named}]"), chunk.len())?;
            let input = self.counts(
                &format!("{kept} AND NOT file_key:* AND text_hash:IN [{named}]"),
                chunk.len(),
            )?;
            for (hash, count) in all {
                let elsewhere = input.get(&hash).copied().unwrap_or(0)
                    + self.replaced.get(&hash).copied().unwrap_or(0);
                if count > elsewhere {
                    held.others.insert(hash);
                }
            }
            held.input.extend(input.into_keys());
        }
        Ok(held)
    }

    /// The text hashes of the documents `query` matches (at most `size` of
    /// them), with how many hold each.
    fn counts(&self, query: &str, size: usize) -> Result<HashMap<u64, u64>> {
        let answer = self.quickwit.es_search(&json!({
            "query": {"query_string": {"query": query}},
            "size": 0,
            "aggs": {"hashes": {"terms": {"field": "text_hash", "size": size.max(1)}}},
        }))?;
        Ok(buckets(&answer).collect())
    }
}

/// The (hash, count) buckets of a terms aggregation named `hashes`.
fn buckets(answer: &Value) -> impl Iterator<Item = (u64, u64)> + '_ {
    answer["aggregations"]["hashes"]["buckets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| Some((b["key"].as_u64()?, b["doc_count"].as_u64()?)))
}

impl QuickwitWriter {
    /// A writer for an open index. Before it first sends anything, the run is
    /// recorded in the ledger and that record is searchable, so a later run knows
    /// of it even if this one is stopped at once; a run with nothing to send writes
    /// nothing.
    pub fn start(quickwit: Quickwit) -> QuickwitWriter {
        let run = now_ns();
        QuickwitWriter {
            quickwit,
            pending: Mutex::new(Pending {
                run,
                batch: 1,
                seq: 1,
                ledger_total: 1,
                ..Pending::default()
            }),
            sending: Mutex::new(Sent {
                batches: VecDeque::new(),
                checked: Instant::now(),
            }),
            run,
            announced: Default::default(),
            announcing: Default::default(),
        }
    }

    /// Settles what earlier runs left: runs that stopped are cut after their last
    /// checkpoint, files sent in part are deleted (to be read again), hides whose
    /// delete tasks Quickwit has applied are forgotten, and old ones it has not are
    /// asked again.
    pub fn settle(&self, holdings: &Holdings) -> Result<()> {
        for &(stopped, upto) in &holdings.stopped {
            let mut pending = self.lock();
            pending.ledger(
                true,
                "cut",
                self.run,
                json!({"target": stopped, "upto": upto, "at": now_ns()}),
            );
            pending
                .deletes
                .push(format!("sent:{stopped} AND batch:{{{upto} TO *]"));
        }
        for (key, &stamp) in &holdings.cut_off {
            self.delete_file(key, stamp)?;
        }
        let ledger = Ledger::of(&self.quickwit);
        let (applied, mut pending) = ledger.applied(&holdings.hidden)?;
        ledger.forget(&applied)?;
        let old = self
            .run
            .saturating_sub(DELETE_AGAIN_AFTER.as_nanos() as u64);
        pending.hides.retain(|&before, _| before < old);
        for (before, states) in &pending.hides {
            for chunk in states.chunks(STATES_PER_QUERY) {
                self.quickwit
                    .delete_task(&self.quickwit.url.index_id, &deleting(*before, chunk))?;
            }
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Deletes what earlier runs sent of a file as it was at `stamp`: hidden as soon
    /// as the ledger's hide lands, removed for good by a delete task.
    pub fn delete_file(&self, key: &str, stamp: u64) -> Result<()> {
        let state = file_state(key, stamp);
        let mut pending = self.lock();
        let fields = json!({"key": key, "stamp": stamp, "state": state, "at": now_ns()});
        pending.ledger(true, "gone", self.run, fields.clone());
        let mut hide = fields;
        hide["before"] = json!(self.run);
        pending.ledger(true, "hide", self.run, hide);
        pending.states.push(state);
        self.send_if_full(pending)
    }

    /// Adds an article; sends the batch once it reaches [`BATCH_BYTES`].
    pub fn add(
        &self,
        article: &Article,
        hash: u64,
        origin: Option<(&str, u64, usize)>,
    ) -> Result<()> {
        let mut line = serde_json::to_vec(&to_json(article, hash, origin, self.run))
            .map_err(|e| self.quickwit.client.error(e.to_string()))?;
        let mut pending = self.lock();
        if let Some((key, stamp, _)) = origin
            && !pending.begun.contains(key)
        {
            pending.begun.insert(key.to_string());
            let fields = json!({"key": key, "stamp": stamp, "state": file_state(key, stamp)});
            pending.ledger(true, "begun", self.run, fields);
        }
        // The batch number goes last, as the article is put in its batch.
        line.pop();
        line.extend_from_slice(format!(",\"batch\":{}}}\n", pending.batch).as_bytes());
        pending.articles.extend_from_slice(&line);
        pending.articles_total += 1;
        pending.lines += 1;
        self.send_if_full(pending)
    }

    /// Records that a file has been sent whole (after its last article).
    pub fn file_done(&self, key: &str, stamp: u64) -> Result<()> {
        let fields = json!({"key": key, "stamp": stamp, "state": file_state(key, stamp)});
        let mut pending = self.lock();
        pending.ledger(false, "done", self.run, fields);
        self.send_if_full(pending)
    }

    /// Sends the batch being filled once it reaches [`BATCH_BYTES`].
    fn send_if_full(&self, mut pending: std::sync::MutexGuard<'_, Pending>) -> Result<()> {
        self.start_announcing();
        if pending.size() < BATCH_BYTES {
            return Ok(());
        }
        let batch = pending.take();
        // Take the turn to send before others may fill the next batch.
        let mut sent = self.sending.lock().unwrap_or_else(|e| e.into_inner());
        drop(pending);
        self.send(&batch, false, &[])?;
        self.checkpoint(&mut sent, batch.number, batch.totals)
    }

    /// When this run started (ns since the epoch): what it sent carries it.
    pub fn run(&self) -> u64 {
        self.run
    }

    /// Sends what is buffered, waits until everything this run sent is searchable
    /// (articles and ledger records), and records the run as finished, with the
    /// completions of the last batch's files.
    pub fn finish(&self) -> Result<()> {
        let mut pending = self.lock();
        let batch = pending.take();
        let _turn = self.sending.lock().unwrap_or_else(|e| e.into_inner());
        drop(pending);
        let announced = self.announced.load(std::sync::atomic::Ordering::Acquire);
        if !announced && batch.is_empty() {
            return Ok(());
        }
        // What earlier batches sent is searchable first; the last one is sent with
        // a commit that is waited for, and carries the record that the run finished.
        if announced {
            let earlier = (
                batch.totals.0 - lines_in(&batch.articles),
                batch.totals.1 - lines_in(&batch.before) - lines_in(&batch.after),
            );
            let started = Instant::now();
            loop {
                let (articles, records) = self.searchable(None)?;
                if articles >= earlier.0 && records >= earlier.1 {
                    break;
                }
                if started.elapsed() > COMMIT_WAIT {
                    return Err(self.quickwit.client.error(format!(
                        "{articles} of the {} articles sent are searchable after {} s; they should follow within the index's commit timeout",
                        earlier.0,
                        COMMIT_WAIT.as_secs()
                    )));
                }
                std::thread::sleep(Duration::from_millis(250));
            }
        }
        let finished = record(
            "finished",
            self.run,
            batch.totals.1 + 1,
            batch.number,
            json!({"at": now_ns()}),
        );
        self.send(&batch, true, &line_of(&finished))
    }

    /// Records the run in the ledger, once, before anything else it sends; returns
    /// when the record is searchable.
    fn announce(&self) -> Result<()> {
        use std::sync::atomic::Ordering;
        if self.announced.load(Ordering::Acquire) {
            return Ok(());
        }
        self.start_announcing();
        let announcing = self
            .announcing
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(announcing) = announcing {
            announcing
                .join()
                .map_err(|_| self.quickwit.client.error("recording the run failed"))??;
        }
        self.announced.store(true, Ordering::Release);
        Ok(())
    }

    /// Starts recording the run in the ledger, in the background, when the first
    /// thing to send is buffered: the wait for its commit overlaps the reading.
    fn start_announcing(&self) {
        let mut announcing = self.announcing.lock().unwrap_or_else(|e| e.into_inner());
        if announcing.is_some() || self.announced.load(std::sync::atomic::Ordering::Acquire) {
            return;
        }
        let started = record(
            "run",
            self.run,
            0,
            0,
            json!({"host": ledger::host_name(), "pid": std::process::id(), "at": now_ns()}),
        );
        let client = self.quickwit.client.clone();
        let ledger = ledger::ledger_id(&self.quickwit.url.index_id);
        *announcing = Some(std::thread::spawn(move || {
            ingest_forced(&client, &ledger, &line_of(&started))
        }));
    }

    /// How many of this run's articles and ledger records are searchable, of the
    /// batches up to `upto` (all when `None`), in one multi-search.
    fn searchable(&self, upto: Option<u64>) -> Result<(u64, u64)> {
        let within = upto.map_or(String::new(), |n| format!(" AND batch:[* TO {n}]"));
        let ledger = ledger::ledger_id(&self.quickwit.url.index_id);
        let searches = [
            (
                self.quickwit.url.index_id.as_str(),
                format!("sent:{}{within}", self.run),
            ),
            (ledger.as_str(), format!("run:{}{within}", self.run)),
        ]
        .map(|(index, query)| (index, super::search::count_search(&query)));
        let answers = self.quickwit.msearch_in(&searches, "")?;
        let count = |n: usize| answers[n]["hits"]["total"]["value"].as_u64().unwrap_or(0);
        Ok((count(0), count(1)))
    }

    /// After batch `number` is sent: every few seconds, the newest batch sent long
    /// enough ago is checked, and once all up to it is searchable a checkpoint says
    /// so (a later run keeps what a stopped run sent up to its last checkpoint).
    fn checkpoint(&self, sent: &mut Sent, number: u64, totals: (u64, u64)) -> Result<()> {
        sent.batches.push_back((number, Instant::now(), totals));
        if sent.checked.elapsed() < CHECKPOINT_EVERY {
            return Ok(());
        }
        sent.checked = Instant::now();
        let Some(&(upto, _, expected)) = sent
            .batches
            .iter()
            .rev()
            .find(|(_, at, _)| at.elapsed() >= SETTLE)
        else {
            return Ok(());
        };
        let (articles, records) = self.searchable(Some(upto))?;
        if articles >= expected.0 && records >= expected.1 {
            sent.batches.retain(|(n, _, _)| *n > upto);
            // Sent at once, in this turn: the batch being filled is not touched (its
            // lock is taken before this one's). Its place is the batch it vouches
            // for, and no batch's count includes it.
            let checkpoint = record(
                "checkpoint",
                self.run,
                upto,
                u64::MAX,
                json!({"upto": upto, "at": now_ns()}),
            );
            let ledger = ledger::ledger_id(&self.quickwit.url.index_id);
            self.bulk(vec![(ledger.as_str(), &line_of(&checkpoint)[..])], false)?;
        }
        Ok(())
    }

    /// Asks the batch's delete tasks, then sends it in one bulk request: the ledger
    /// records announcing it, its articles, the records of the files it completes,
    /// and `closing` last. With `refresh`, it returns once all of it is searchable.
    fn send(&self, batch: &Batch, refresh: bool, closing: &[u8]) -> Result<()> {
        if batch.is_empty() && closing.is_empty() {
            return Ok(());
        }
        self.announce()?;
        for query in &batch.deletes {
            self.quickwit
                .delete_task(&self.quickwit.url.index_id, query)?;
        }
        let ledger = ledger::ledger_id(&self.quickwit.url.index_id);
        let articles = &self.quickwit.url.index_id;
        let mut docs: Vec<(&str, &[u8])> = Vec::new();
        for (index, lines) in [
            (&ledger, &batch.before[..]),
            (articles, &batch.articles[..]),
            (&ledger, &batch.after[..]),
            (&ledger, closing),
        ] {
            docs.extend(
                lines
                    .split_inclusive(|&b| b == b'\n')
                    .map(|line| (index.as_str(), line)),
            );
        }
        self.bulk(docs, refresh)
    }

    /// Sends documents (index, NDJSON line) in one bulk request; those Quickwit
    /// could not take for now (429, 5xx: no shard open yet, too busy) are sent
    /// again, alone, after a growing wait.
    fn bulk(&self, mut docs: Vec<(&str, &[u8])>, refresh: bool) -> Result<()> {
        let path = format!("/api/v1/_elastic/_bulk?refresh={refresh}");
        let client = &self.quickwit.client;
        let mut wait = Duration::from_millis(500);
        let mut last = String::new();
        for _ in 0..BULK_ATTEMPTS {
            let mut body =
                Vec::with_capacity(docs.iter().map(|(_, d)| d.len() + ACTION_BYTES).sum());
            for (index, line) in &docs {
                body.extend_from_slice(json!({"create": {"_index": index}}).to_string().as_bytes());
                body.push(b'\n');
                body.extend_from_slice(line);
            }
            let answer = client
                .post_ndjson(&path, &body)?
                .map_err(|r| client.error(format!("ingest: HTTP {}: {}", r.status, r.message)))?;
            if answer["errors"].as_bool() != Some(true) {
                return Ok(());
            }
            let results: Vec<&Value> = answer["items"]
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .map(|item| {
                            item.as_object()
                                .and_then(|o| o.values().next())
                                .unwrap_or(item)
                        })
                        .collect()
                })
                .unwrap_or_default();
            if results.len() != docs.len() {
                return Err(client.error(format!(
                    "ingest: {} answers to {} documents",
                    results.len(),
                    docs.len()
                )));
            }
            let reason = |r: &Value| {
                r["error"]["reason"]
                    .as_str()
                    .unwrap_or("no reason given")
                    .to_string()
            };
            let mut again = Vec::new();
            let mut refused = Vec::new();
            for (doc, result) in docs.iter().zip(results) {
                match result["status"].as_u64().unwrap_or(500) {
                    0..300 => {}
                    429 | 500.. => {
                        last = reason(result);
                        again.push(*doc);
                    }
                    _ => refused.push(reason(result)),
                }
            }
            if let Some(why) = refused.first() {
                return Err(client.error(format!("{} documents rejected: {why}", refused.len())));
            }
            if again.is_empty() {
                return Ok(());
            }
            docs = again;
            std::thread::sleep(wait);
            wait = (wait * 2).min(Duration::from_secs(10));
        }
        Err(client.error(format!(
            "{} documents not taken after {BULK_ATTEMPTS} tries: {last}",
            docs.len()
        )))
    }
}

impl Pending {
    /// Buffers a ledger record of this batch, to land before its articles or after.
    fn ledger(&mut self, before: bool, kind: &str, run: u64, fields: Value) {
        let line = line_of(&record(kind, run, self.seq, self.batch, fields));
        self.seq += 1;
        self.ledger_total += 1;
        self.lines += 1;
        if before {
            self.before.extend_from_slice(&line);
        } else {
            self.after.extend_from_slice(&line);
        }
    }

    /// Takes the batch being filled; the next one gets the next number.
    fn take(&mut self) -> Batch {
        let mut deletes = std::mem::take(&mut self.deletes);
        let states = std::mem::take(&mut self.states);
        for chunk in states.chunks(STATES_PER_QUERY) {
            deletes.push(deleting(self.run, chunk));
        }
        let batch = Batch {
            number: self.batch,
            before: std::mem::take(&mut self.before),
            deletes,
            articles: std::mem::take(&mut self.articles),
            after: std::mem::take(&mut self.after),
            totals: (self.articles_total, self.ledger_total),
        };
        self.batch += 1;
        self.lines = 0;
        batch
    }

    /// The bulk request the batch would make, about.
    fn size(&self) -> usize {
        self.articles.len() + self.before.len() + self.after.len() + self.lines * ACTION_BYTES
    }
}

impl Batch {
    fn is_empty(&self) -> bool {
        self.before.is_empty()
            && self.deletes.is_empty()
            && self.articles.is_empty()
            && self.after.is_empty()
    }
}

/// The delete task query for the articles of `states` sent before `before`.
fn deleting(before: u64, states: &[String]) -> String {
    let named: Vec<String> = states.iter().map(|s| quoted(s)).collect();
    format!(
        "sent:[* TO {before}}} AND file_state:IN [{}]",
        named.join(" ")
    )
}

/// Sends `lines` to the index `index_id` through the ingest API, waiting for a commit.
fn ingest_forced(client: &super::client::Client, index_id: &str, lines: &[u8]) -> Result<()> {
    let path = format!("/api/v1/{index_id}/ingest?commit=force&detailed_response=true");
    let answer: Value = client.post_ndjson(&path, lines)?.map_err(|r| {
        client.error(format!(
            "ingest into {index_id}: HTTP {}: {}",
            r.status, r.message
        ))
    })?;
    let rejected = answer["num_rejected_docs"].as_u64().unwrap_or(0);
    if rejected > 0 {
        let why = answer["parse_failures"][0]["message"]
            .as_str()
            .unwrap_or("no reason given");
        return Err(client.error(format!("{rejected} records rejected by {index_id}: {why}")));
    }
    Ok(())
}

/// How many NDJSON lines `lines` holds.
fn lines_in(lines: &[u8]) -> u64 {
    lines.iter().filter(|&&b| b == b'\n').count() as u64
}

/// A document as one NDJSON line.
fn line_of(doc: &Value) -> Vec<u8> {
    let mut line = doc.to_string().into_bytes();
    line.push(b'\n');
    line
}
