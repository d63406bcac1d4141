//! `query` over Quickwit: the query compiled on our side ([`crate::search::query`]),
//! sent as Quickwit's query language over our pre-analysed fields through its
//! Elasticsearch-compatible API (the one that returns BM25 scores, as a sort value).
//! Its scores are per split; the best candidates are scored again here with the
//! statistics of the whole index (`rescore`), so they rank as on the local index.
//! Near-duplicates are grouped here from the bands stored with each hit, timelines
//! and top sources come from aggregations, and headlines and passages are marked
//! here from the stored text, with the local index's highlighter.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::Quickwit;
use super::ledger::{Hidden, Ledger};
use super::query::{quoted, to_quickwit};
use super::rescore::Rescoring;
use crate::article::Article;
use crate::error::Result;
use crate::index::resume::ResumePoints;
use crate::search::collapse::{self, Copies, MAX_GROUP};
use crate::search::engine::{self, LISTED_COPIES, Weights};
use crate::search::filter::SourceNames;
use crate::search::plan::Plan;
use crate::search::similar::Like;
use crate::search::snippet::Marks;
use crate::search::timeline::Counts;
use crate::search::{SearchRequest, SearchResults, SortOrder};

/// Most hits one request may ask Quickwit for (its `max_hits` limit).
pub(super) const MAX_HITS: usize = 10_000;
/// Fewest and most candidates ranked when grouping near-duplicates.
const MIN_CANDIDATES: usize = 200;
/// How long the language codes of an index are kept before they are asked again.
const LANGUAGES_KEPT: std::time::Duration = std::time::Duration::from_secs(60);
/// The stored fields that grouping needs.
pub(super) const CANDIDATE_FIELDS: &str = "_source_includes=id,date,dup_bands";
/// The stored fields that grouping and rescoring need.
const RESCORED_FIELDS: &str = "_source_includes=id,date,dup_bands,title,body,lang";
/// The stored fields that a listed copy shows.
const COPY_FIELDS: &str = "_source_includes=id,date,dup_bands,title,source,path,lang";
/// Most distinct sources read for `--source` and the top sources.
pub(super) const MAX_SOURCES: usize = 10_000;

/// Counts per request of a multi-search.
const COUNTS_PER_REQUEST: usize = 200;

/// A hit and its near-duplicates, earliest first.
pub(super) type Story = (Found, Vec<Found>);

/// One article of an answer, as stored.
pub(super) struct Found {
    pub(super) score: f32,
    pub(super) article: Article,
    pub(super) lang: Option<String>,
    pub(super) bands: Vec<u64>,
}

impl Found {
    pub(super) fn read(hit: &Value, scored: bool) -> Found {
        let source = &hit["_source"];
        let text = |key: &str| source[key].as_str().map(str::to_string);
        let date = text("date")
            .and_then(|d| DateTime::parse_from_rfc3339(&d).ok())
            .map(|d| d.with_timezone(&Utc));
        let score = if scored {
            hit["sort"][0].as_f64().unwrap_or(0.0) as f32
        } else {
            0.0
        };
        Found {
            score,
            article: Article {
                id: text("id").unwrap_or_default(),
                title: text("title").unwrap_or_default(),
                body: text("body").unwrap_or_default(),
                date,
                source: text("source"),
                place: text("place"),
                author: text("author"),
                url: text("url"),
                path: text("path"),
                key: text("file_key"),
                lang: text("lang"),
                ocr_quality: source["ocr_quality"].as_f64().map(|q| q as f32),
                scan: source["scan"]
                    .as_str()
                    .and_then(crate::quickwit::document::scan_of),
                unread_date: None,
            },
            lang: text("lang"),
            bands: source["dup_bands"]
                .as_array()
                .map(|b| b.iter().filter_map(Value::as_u64).collect())
                .unwrap_or_default(),
        }
    }

    pub(super) fn date(&self) -> Option<i64> {
        self.article.date.map(|d| d.timestamp())
    }
}

impl Quickwit {
    /// `POST /api/v1/_elastic/INDEX/_search`.
    pub(super) fn es_search(&self, body: &Value) -> Result<Value> {
        self.es_search_with(body, "")
    }

    /// [`Self::es_search`] with URL parameters (`params`: `a=b&c=d`).
    pub(super) fn es_search_with(&self, body: &Value, params: &str) -> Result<Value> {
        let path = format!("/api/v1/_elastic/{}/_search?{params}", self.url.index_id);
        self.client.post_json(&path, body)?.map_err(|r| {
            self.client
                .error(format!("search: HTTP {}: {}", r.status, r.message))
        })
    }

    /// Runs searches, each on its index, in one request (`params` apply to them
    /// all); their answers in order. A refusal of the whole request is returned to
    /// judge (404: an index is missing).
    fn multi(
        &self,
        searches: &[(&str, Value)],
        params: &str,
    ) -> Result<std::result::Result<Vec<Value>, super::client::Refused>> {
        let mut body = Vec::new();
        for (index, search) in searches {
            for line in [&json!({"index": index}), search] {
                body.extend_from_slice(line.to_string().as_bytes());
                body.push(b'\n');
            }
        }
        let path = format!("/api/v1/_elastic/_msearch?{params}");
        let answer = match self.client.post_ndjson(&path, &body)? {
            Ok(answer) => answer,
            Err(refused) => return Ok(Err(refused)),
        };
        let responses = answer["responses"].as_array().cloned().unwrap_or_default();
        if responses.len() != searches.len() {
            return Err(self.client.error(format!(
                "search: {} answers to {} searches",
                responses.len(),
                searches.len()
            )));
        }
        Ok(Ok(responses))
    }

    /// [`Quickwit::multi`], every search answered or an error.
    pub(super) fn msearch_in(
        &self,
        searches: &[(&str, Value)],
        params: &str,
    ) -> Result<Vec<Value>> {
        let responses = self.multi(searches, params)?.map_err(|r| {
            self.client
                .error(format!("search: HTTP {}: {}", r.status, r.message))
        })?;
        if let Some(failed) = responses.iter().find(|r| r.get("error").is_some()) {
            return Err(self
                .client
                .error(format!("search: {}", failed["error"]["reason"])));
        }
        Ok(responses)
    }

    /// [`Quickwit::msearch_in`] on the articles.
    pub(super) fn msearch(&self, searches: Vec<Value>, params: &str) -> Result<Vec<Value>> {
        let on: Vec<(&str, Value)> = searches
            .into_iter()
            .map(|search| (self.url.index_id.as_str(), search))
            .collect();
        self.msearch_in(&on, params)
    }

    /// How many of the articles `live` selects match each query, in one request per
    /// batch.
    pub(super) fn count_each(&self, live: &str, queries: &[String]) -> Result<Vec<f64>> {
        let mut counts = Vec::with_capacity(queries.len());
        for batch in queries.chunks(COUNTS_PER_REQUEST) {
            let searches: Vec<Value> = batch
                .iter()
                .map(|q| count_search(&within(live, q)))
                .collect();
            counts.extend(self.msearch(searches, "")?.iter().map(total_of));
        }
        Ok(counts)
    }

    /// The IDF-like weights of the query's exact words in headlines and in bodies,
    /// as the local index gives them, counted in one multi-search.
    fn weights(&self, live: &str, ask: &WeightAsk) -> Result<(Weights, Weights)> {
        Ok(ask.weights(&self.count_each(live, &ask.queries)?))
    }

    /// Every source name of the live articles.
    fn source_names(&self, live: &str) -> Result<SourceNames> {
        let answer = self.es_search(&json!({
            "query": {"query_string": {"query": live}},
            "size": 0,
            "aggs": {"names": {"terms": {"field": "source_exact", "size": MAX_SOURCES}}},
        }))?;
        let names: BTreeSet<String> = keys(&answer, "names").into_iter().collect();
        Ok(SourceNames::from_names(names))
    }

    /// Whether the language codes are to be asked (again).
    pub(super) fn languages_due(&self) -> bool {
        let cached = self.languages.lock().unwrap_or_else(|e| e.into_inner());
        !matches!(cached.as_ref(), Some((at, _)) if at.elapsed() < LANGUAGES_KEPT)
    }

    /// The language codes of the articles, asked once a minute at most: a server
    /// keeps them between queries.
    pub(super) fn languages(&self) -> Result<Vec<String>> {
        if !self.languages_due() {
            let cached = self.languages.lock().unwrap_or_else(|e| e.into_inner());
            return Ok(cached.as_ref().map(|(_, c)| c.clone()).unwrap_or_default());
        }
        let answer = self.es_search(&languages_search())?;
        Ok(self.keep_languages(&answer))
    }

    fn keep_languages(&self, answer: &Value) -> Vec<String> {
        let codes = keys(answer, "languages");
        *self.languages.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((std::time::Instant::now(), codes.clone()));
        codes
    }

    /// What the ledger hides, and the language codes, in one multi-search (a
    /// command's first request after the index's metadata).
    pub(super) fn hidden_and_languages(&self) -> Result<Hidden> {
        let ledger = Ledger::of(self);
        let searches = [
            (ledger.id(), ledger.hidden_search()),
            (self.url.index_id.as_str(), languages_search()),
        ];
        let answers = match self.multi(&searches, "")? {
            Ok(answers) => answers,
            // No ledger (an index nothing was sent to yet): one at a time.
            Err(refused) if refused.status == 404 => {
                self.languages()?;
                return ledger.hidden(None);
            }
            Err(r) => {
                return Err(self.client.error(format!(
                    "reading the ledger: HTTP {}: {}",
                    r.status, r.message
                )));
            }
        };
        self.keep_languages(&answers[1]);
        ledger.hidden(Some(&answers[0]))
    }

    /// Per-day, per-source and per-language counts of the matching set.
    fn counts(&self, query: &str, total: usize) -> Result<Counts> {
        let mut search = count_search(query);
        search["aggs"] = counts_aggs();
        let answer = self.es_search(&search)?;
        Ok(counts_of(&answer, total))
    }

    /// The articles with id `id`, or else those indexed from the file with key
    /// `file_key`, in the order they were sent.
    pub fn find(&self, id: &str, file_key: Option<&str>) -> Result<Vec<Article>> {
        let live = self.live()?;
        let by_file = file_key.map(|key| format!("file_key:{}", quoted(key)));
        for query in std::iter::once(format!("id:{}", quoted(id))).chain(by_file) {
            let answer = self.es_search(&json!({
                "query": {"query_string": {"query": within(&live, &query)}},
                "size": crate::index::lookup::MAX_ARTICLES,
                // In the order they were sent, as the local index keeps them.
                "sort": [{"record": {"order": "asc"}}],
            }))?;
            let found: Vec<Article> = answer["hits"]["hits"]
                .as_array()
                .map(|hits| hits.iter().map(|h| Found::read(h, false).article).collect())
                .unwrap_or_default();
            if !found.is_empty() {
                return Ok(found);
            }
        }
        Ok(Vec::new())
    }

    /// Runs a search: the same request, the same results' shape as the local index.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        self.run(request)
    }

    /// Runs a [`engine::Job`] (a search, trends) on the live articles.
    pub fn run<J: engine::Job>(&self, job: J) -> Result<J::Output> {
        let live = self.live()?;
        job.run(&Engine {
            quickwit: self,
            live,
            ask: Default::default(),
            weighed: Default::default(),
        })
    }

    /// The total, the requested page (each hit with its near-duplicates, earliest
    /// first), collapsed into stories when asked, and whether a page follows it;
    /// with the counts and the weights when `asks` wants them. Three requests at
    /// most: the candidates (with the counts), the copies ranked below them, and the
    /// page's articles (with the words' counts for the weights).
    fn rank(
        &self,
        (query, rescoring): (&str, Option<&Rescoring>),
        live: &str,
        request: &SearchRequest,
        asks: &Asks,
    ) -> Result<Ranked> {
        // One story past the page tells whether a next page exists.
        let wanted = request
            .offset
            .saturating_add(request.limit)
            .saturating_add(1);
        let weighing: Vec<Value> = match (asks.weights, request.limit) {
            (Some(ask), 1..) => ask
                .queries
                .iter()
                .map(|q| count_search(&within(live, q)))
                .collect(),
            _ => Vec::new(),
        };
        let mut ranked = Ranked::default();
        if request.limit == 0 {
            let answers = self.msearch(vec![asks.with_counts(count_search(query))], "")?;
            ranked.settle(asks, &answers[0], &[]);
            return Ok(ranked);
        }
        let by_relevance = request.sort == SortOrder::Relevance;
        let blended = by_relevance && request.recent.is_some();
        // A page beyond the most candidates Quickwit returns is read from it
        // directly, in its order (as the candidates beyond the window are).
        let rescoring = rescoring.filter(|_| by_relevance && wanted <= MAX_HITS);
        if !request.collapse && !blended && rescoring.is_none() {
            let mut searches = vec![asks.with_counts(hits_search(
                query,
                request.sort,
                request.offset,
                request.limit,
            ))];
            searches.extend(weighing);
            let answers = self.msearch(searches, "")?;
            ranked.settle(asks, &answers[0], &answers[1..]);
            let (_, found) = found_in(&answers[0], request.sort);
            ranked.more = ranked.more_after(request, found.len());
            ranked.page = found.into_iter().map(|f| (f, Vec::new())).collect();
            return Ok(ranked);
        }
        let (found, groups) =
            self.candidates((query, rescoring), live, request, asks, &mut ranked, wanted)?;
        ranked.page = match groups {
            None => {
                let page: Vec<Story> = found
                    .into_iter()
                    .skip(request.offset)
                    .take(request.limit)
                    .map(|f| (f, Vec::new()))
                    .collect();
                ranked.more = ranked.more_after(request, page.len());
                page
            }
            Some(groups) => {
                let from = request.offset.min(groups.len());
                let to = from.saturating_add(request.limit).min(groups.len());
                ranked.more = groups.len() > to;
                self.stories(query, found, &groups[from..to], ranked.total)?
            }
        };
        let weighed = self.load(&mut ranked.page, &weighing)?;
        ranked.weights = asks.weigh(&weighed);
        Ok(ranked)
    }

    /// The candidates in ranking order: rescored with the index-wide statistics,
    /// blended with recency, and grouped into stories when the request collapses
    /// (the groups), in as many rounds of more candidates as it takes to fill the
    /// page with stories. The first round's answer settles `ranked`'s total and
    /// counts.
    fn candidates(
        &self,
        (query, rescoring): (&str, Option<&Rescoring>),
        live: &str,
        request: &SearchRequest,
        asks: &Asks,
        ranked: &mut Ranked,
        wanted: usize,
    ) -> Result<(Vec<Found>, Option<Groups>)> {
        let blended = request.sort == SortOrder::Relevance && request.recent.is_some();
        let mut candidates = wanted.saturating_mul(4).clamp(MIN_CANDIDATES, MAX_HITS);
        let mut first = true;
        // Kept from the first round: the index-wide statistics and the newest date.
        let (mut statistics, mut newest) = (None, None);
        loop {
            let candidates_search = hits_search(query, request.sort, 0, candidates);
            let mut searches = vec![match first {
                true => asks.with_counts(candidates_search),
                false => candidates_search,
            }];
            if first && blended {
                searches.push(hits_search(live, SortOrder::Newest, 0, 1));
            }
            let counted = searches.len();
            if let Some(rescoring) = rescoring.filter(|_| first) {
                searches.extend(rescoring.searches(live));
            }
            let fields = match rescoring {
                Some(_) => RESCORED_FIELDS,
                None => CANDIDATE_FIELDS,
            };
            let answers = self.msearch(searches, fields)?;
            if first {
                ranked.settle(asks, &answers[0], &[]);
                statistics = rescoring.and_then(|r| r.statistics(&answers[counted..]));
                newest = answers[..counted]
                    .get(1)
                    .and_then(|a| {
                        found_in(a, SortOrder::Newest)
                            .1
                            .first()
                            .and_then(Found::date)
                    })
                    .map(|d| d.min(Utc::now().timestamp()));
            }
            let (_, mut found) = found_in(&answers[0], request.sort);
            if let (Some(rescoring), Some(statistics)) = (rescoring, &statistics) {
                rescoring.rescore(&mut found, statistics)?;
            }
            if let Some(half_life) = request.recent {
                blend_recency(
                    &mut found,
                    newest.unwrap_or_else(|| Utc::now().timestamp()),
                    half_life.as_secs_f64().max(1.0),
                );
            }
            first = false;
            if !request.collapse {
                return Ok((found, None));
            }
            let groups = group(&found);
            if groups.len() >= wanted || found.len() < candidates || candidates >= MAX_HITS {
                return Ok((found, Some(groups)));
            }
            candidates = candidates.saturating_mul(4).min(MAX_HITS);
        }
    }

    /// The page's stories: each shown group with the copies that matched but
    /// ranked below the `found` candidates (found by their bands, read with what a
    /// listed copy shows), led by its earliest publication (undated last), the
    /// best-ranked among equals.
    fn stories(
        &self,
        query: &str,
        found: Vec<Found>,
        shown: &[collapse::Group<usize>],
        total: usize,
    ) -> Result<Vec<Story>> {
        let mut claimed: BTreeSet<String> = found.iter().map(|f| f.article.id.clone()).collect();
        // Copies that matched but ranked below the candidates, found by their bands,
        // read with what a listed copy shows.
        let copies = Copies::of(shown);
        let bands: Vec<String> = copies.bands().map(|b| b.to_string()).collect();
        let mut extra: Vec<Vec<Found>> = shown.iter().map(|_| Vec::new()).collect();
        if !bands.is_empty() && found.len() < total {
            let with_bands = format!("{query} +(dup_bands:IN [{}])^0", bands.join(" "));
            let search = hits_search(
                &with_bands,
                SortOrder::Relevance,
                0,
                MAX_GROUP * shown.len(),
            );
            let answer = self.es_search_with(&search, COPY_FIELDS)?;
            for copy in found_in(&answer, SortOrder::Relevance).1 {
                if let Some(n) = copies.find(&copy.bands, copy.date())
                    && extra[n].len() + shown[n].members.len() < MAX_GROUP
                    && claimed.insert(copy.article.id.clone())
                {
                    extra[n].push(copy);
                }
            }
        }
        let mut by_rank: Vec<Option<Found>> = found.into_iter().map(Some).collect();
        let mut page = Vec::with_capacity(shown.len());
        for (group, extra) in shown.iter().zip(extra) {
            let mut members: Vec<Found> = group
                .members
                .iter()
                .filter_map(|&(_, n)| by_rank[n].take())
                .collect();
            members.extend(extra.into_iter().map(|mut f| {
                f.score = 0.0;
                f
            }));
            // Led by the earliest publication (undated last), the best-ranked among equals.
            let lead = members
                .iter()
                .enumerate()
                .min_by_key(|(rank, f)| (f.date().unwrap_or(i64::MAX), *rank))
                .map_or(0, |(rank, _)| rank);
            let score = members.first().map_or(0.0, |f| f.score);
            let mut lead = members.remove(lead);
            lead.score = score;
            members.sort_by_key(|f| f.date().unwrap_or(i64::MAX));
            page.push((lead, members));
        }
        Ok(page)
    }

    /// Reads the whole stored articles of a page's hits and of the copies listed
    /// under them (the candidates were read with ids, dates and bands only), and
    /// runs the `also` searches in the same request: their answers.
    pub(super) fn load(&self, page: &mut [Story], also: &[Value]) -> Result<Vec<Value>> {
        let wanted: Vec<String> = page
            .iter()
            .flat_map(|(lead, copies)| {
                std::iter::once(lead)
                    .chain(copies.iter().take(LISTED_COPIES))
                    .map(|f| quoted(&f.article.id))
            })
            .collect();
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let mut searches = vec![hits_search(
            &format!("id:IN [{}]", wanted.join(" ")),
            SortOrder::Oldest,
            0,
            wanted.len() * 2,
        )];
        searches.extend(also.iter().cloned());
        let mut answers = self.msearch(searches, "")?;
        let (_, whole) = found_in(&answers[0], SortOrder::Oldest);
        let mut by_id: HashMap<String, Found> = whole
            .into_iter()
            .map(|f| (f.article.id.clone(), f))
            .collect();
        for (lead, copies) in page.iter_mut() {
            for found in std::iter::once(lead).chain(copies.iter_mut().take(LISTED_COPIES)) {
                if let Some(whole) = by_id.remove(&found.article.id) {
                    found.article = whole.article;
                    found.lang = whole.lang;
                }
            }
        }
        Ok(answers.split_off(1))
    }
}

/// What a ranking is asked to bring along.
pub(super) struct Asks<'a> {
    /// The days, sources and languages of the matching set.
    pub(super) counts: bool,
    /// The counts behind the words' weights.
    pub(super) weights: Option<&'a WeightAsk>,
}

impl Asks<'_> {
    /// The weights, from the answers to the searches that count their words
    /// (none when they were not asked or not run).
    fn weigh(&self, answers: &[Value]) -> Option<(Weights, Weights)> {
        let ask = self.weights.filter(|_| !answers.is_empty())?;
        Some(ask.weights(&answers.iter().map(total_of).collect::<Vec<_>>()))
    }

    /// `search` with the counts' aggregations when they are asked for.
    fn with_counts(&self, mut search: Value) -> Value {
        if self.counts {
            search["aggs"] = counts_aggs();
        }
        search
    }
}

/// A ranking, with what it was asked to bring along.
#[derive(Default)]
pub(super) struct Ranked {
    pub(super) total: usize,
    pub(super) page: Vec<Story>,
    pub(super) more: bool,
    pub(super) counts: Option<Counts>,
    pub(super) weights: Option<(Weights, Weights)>,
}

impl Ranked {
    /// The total and the counts from the answer to the `first` search, the
    /// weights from the answers to the searches that count the words.
    fn settle(&mut self, asks: &Asks, first: &Value, rest: &[Value]) {
        self.total = total_of(first) as usize;
        if asks.counts {
            self.counts = Some(counts_of(first, self.total));
        }
        self.weights = asks.weigh(rest);
    }

    /// Whether articles follow a page of `shown` (not collapsed).
    fn more_after(&self, request: &SearchRequest, shown: usize) -> bool {
        shown > 0 && request.offset.saturating_add(shown) < self.total
    }
}

/// The exact words whose weights are wanted, and the queries that count them
/// (the first counts every live article).
pub(super) struct WeightAsk {
    title: Vec<String>,
    body: Vec<String>,
    queries: Vec<String>,
}

impl WeightAsk {
    fn of(title: &Marks, body: &Marks) -> WeightAsk {
        let title: Vec<String> = title.exact_terms().cloned().collect();
        let body: Vec<String> = body.exact_terms().cloned().collect();
        let queries = std::iter::once("*".to_string())
            .chain(title.iter().map(|w| format!("title_terms:{}", quoted(w))))
            .chain(body.iter().map(|w| format!("body_terms:{}", quoted(w))))
            .collect();
        WeightAsk {
            title,
            body,
            queries,
        }
    }

    /// The weights from the counts of [`WeightAsk::queries`], in order.
    fn weights(&self, counts: &[f64]) -> (Weights, Weights) {
        let articles = counts.first().copied().unwrap_or(0.0).max(1.0) as f32;
        let mut counts = counts.iter().skip(1);
        let mut weigh = |words: &[String]| -> Weights {
            words
                .iter()
                .zip(&mut counts)
                .map(|(word, &df)| (word.clone(), (1.0 + articles / (1.0 + df as f32)).ln()))
                .collect()
        };
        let title = weigh(&self.title);
        (title, weigh(&self.body))
    }
}

/// The search for the articles matching `query`, `size` of them from `from`.
fn hits_search(query: &str, order: SortOrder, from: usize, size: usize) -> Value {
    let sort = match order {
        SortOrder::Relevance => json!([{"_score": {"order": "desc"}}]),
        SortOrder::Newest => json!([{"date": {"order": "desc"}}]),
        SortOrder::Oldest => json!([{"date": {"order": "asc"}}]),
    };
    json!({
        "query": {"query_string": {"query": query}},
        "from": from,
        "size": size.min(MAX_HITS),
        "sort": sort,
        "track_total_hits": true,
    })
}

/// The search for `size` documents matching `query` in ascending `field` order,
/// after the value `after`: a page of a walk through all of them (documents with
/// equal values come once, which is what the walks want).
pub(super) fn page_after(query: &str, field: &str, after: Option<u64>, size: usize) -> Value {
    let mut body = json!({
        "query": {"query_string": {"query": query}},
        "size": size,
        "sort": [{field: {"order": "asc"}}],
    });
    if let Some(last) = after {
        body["search_after"] = json!([last]);
    }
    body
}

/// `query` among the articles `live` selects (which adds nothing to the scores).
pub(super) fn within(live: &str, query: &str) -> String {
    format!("+({query}) +({live})^0")
}

/// The search that counts the documents matching `query`.
pub(super) fn count_search(query: &str) -> Value {
    json!({
        "query": {"query_string": {"query": query}},
        "size": 0,
        "track_total_hits": true,
    })
}

/// The total of an answer.
pub(super) fn total_of(answer: &Value) -> f64 {
    answer["hits"]["total"]["value"].as_f64().unwrap_or(0.0)
}

/// The total and the hits of an answer.
pub(super) fn found_in(answer: &Value, order: SortOrder) -> (usize, Vec<Found>) {
    let scored = order == SortOrder::Relevance;
    let found = answer["hits"]["hits"]
        .as_array()
        .map(|hits| hits.iter().map(|h| Found::read(h, scored)).collect())
        .unwrap_or_default();
    (total_of(answer) as usize, found)
}

/// The aggregations behind the timeline, the top sources and the languages.
fn counts_aggs() -> Value {
    json!({
        "days": {"date_histogram": {"field": "date", "fixed_interval": "1d", "min_doc_count": 1}},
        "sources": {"terms": {"field": "source_exact", "size": MAX_SOURCES}},
        "languages": {"terms": {"field": "lang", "size": 1000}},
    })
}

/// The counts of an answer with [`counts_aggs`], of `total` articles.
fn counts_of(answer: &Value, total: usize) -> Counts {
    let aggs = &answer["aggregations"];
    let buckets = |name: &str| {
        aggs[name]["buckets"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let mut counts = Counts::default();
    for bucket in buckets("days") {
        let (Some(ms), Some(n)) = (bucket["key"].as_f64(), bucket["doc_count"].as_u64()) else {
            continue;
        };
        if n > 0 {
            *counts
                .days
                .entry((ms / 86_400_000.0).floor() as i64)
                .or_default() += n as usize;
        }
    }
    for bucket in buckets("sources") {
        if let (Some(name), Some(n)) = (bucket["key"].as_str(), bucket["doc_count"].as_u64()) {
            counts.sources.insert(name.to_string(), n as usize);
        }
    }
    for bucket in buckets("languages") {
        if let (Some(code), Some(n)) = (bucket["key"].as_str(), bucket["doc_count"].as_u64()) {
            counts.languages.insert(code.to_string(), n as usize);
        }
    }
    let dated: usize = counts.days.values().sum();
    let sourced: usize = counts.sources.values().sum::<usize>()
        + aggs["sources"]["sum_other_doc_count"].as_u64().unwrap_or(0) as usize;
    counts.undated = total.saturating_sub(dated);
    counts.unsourced = total.saturating_sub(sourced);
    counts
}

/// The search for the language codes of the articles.
fn languages_search() -> Value {
    json!({
        "query": {"query_string": {"query": "kind:article"}},
        "size": 0,
        "aggs": {"languages": {"terms": {"field": "lang", "size": 1000}}},
    })
}

/// The keys of a terms aggregation's buckets.
fn keys(answer: &Value, aggregation: &str) -> Vec<String> {
    answer["aggregations"][aggregation]["buckets"]
        .as_array()
        .map(|b| {
            b.iter()
                .filter_map(|b| b["key"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Stories of candidates: each group's places in the candidates' list.
pub(super) type Groups = Vec<collapse::Group<usize>>;

/// Near-duplicates among ranked articles, by their places in `found`.
pub(super) fn group(found: &[Found]) -> Groups {
    let ranked: Vec<(f32, usize)> = found
        .iter()
        .enumerate()
        .map(|(n, f)| (f.score, n))
        .collect();
    collapse::group_by(&ranked, |n| (found[n].bands.clone(), found[n].date()))
}

/// Re-ranks `found` with recency blended in, as the local index does: an article
/// `half_life` seconds older than the newest gets half the bonus.
fn blend_recency(found: &mut [Found], newest: i64, half_life: f64) {
    for f in found.iter_mut() {
        let bonus = f
            .date()
            .map(|d| newest.saturating_sub(d).max(0) as f64)
            .map_or(0.0, |age| (-age / half_life).exp2());
        f.score *= 1.0 + crate::search::RECENCY_WEIGHT * bonus as f32;
    }
    found.sort_by(|a, b| b.score.total_cmp(&a.score));
}

/// A ranked page as stories, each with its first `listed` copies.
pub(super) fn stories(page: Vec<Story>, listed: usize) -> Vec<engine::Story> {
    page.into_iter()
        .map(|(lead, copies)| engine::Story {
            address: None,
            resume: ResumePoints::default(),
            score: lead.score,
            lead: lead.article,
            lang: lead.lang,
            copy_count: copies.len(),
            copies: copies.into_iter().take(listed).map(|c| c.article).collect(),
        })
        .collect()
}

/// Weights as a ranking brought them, with the queries that counted them.
type Weighed = (Vec<String>, (Weights, Weights));

/// A Quickwit index as a search [`engine::Engine`], with the query that hides
/// what the ledger hides.
pub(super) struct Engine<'a> {
    pub(super) quickwit: &'a Quickwit,
    /// The query of the live articles.
    pub(super) live: String,
    /// The words to weigh, told before ranking: counted with the page.
    ask: std::cell::RefCell<Option<WeightAsk>>,
    /// Their weights, as the ranking brought them.
    weighed: std::cell::RefCell<Option<Weighed>>,
}

impl Engine<'_> {
    fn ranked(&self, query: &Compiled, request: &SearchRequest, counts: bool) -> Result<Ranked> {
        let ask = self.ask.borrow();
        let asks = Asks {
            counts,
            weights: ask.as_ref(),
        };
        let query = (query.text.as_str(), query.rescoring.as_ref());
        self.quickwit.rank(query, &self.live, request, &asks)
    }

    fn keep_weights(&self, ranked: &mut Ranked) {
        if let (Some(weights), Some(ask)) = (ranked.weights.take(), self.ask.borrow().as_ref()) {
            *self.weighed.borrow_mut() = Some((ask.queries.clone(), weights));
        }
    }
}

/// A query for Quickwit, and how its candidates are scored again.
pub(super) struct Compiled {
    /// The query in Quickwit's language, live articles only.
    text: String,
    /// The rescoring of its candidates with index-wide statistics, where it can be.
    rescoring: Option<Rescoring>,
}

impl engine::Engine for Engine<'_> {
    type Query = Compiled;

    fn source_names(&self) -> Result<SourceNames> {
        self.quickwit.source_names(&self.live)
    }

    fn languages(&self) -> Result<Vec<String>> {
        self.quickwit.languages()
    }

    fn compile(&self, plan: &Plan) -> Result<(Compiled, Vec<String>)> {
        let (compiled, notes) = to_quickwit(plan);
        let compiled = Compiled {
            text: within(&self.live, &compiled),
            rescoring: Rescoring::of(plan),
        };
        Ok((compiled, notes))
    }

    fn will_mark(&self, title: &Marks, body: &Marks) {
        *self.ask.borrow_mut() = Some(WeightAsk::of(title, body));
    }

    fn rank(
        &self,
        query: &Compiled,
        request: &SearchRequest,
    ) -> Result<(usize, Vec<engine::Story>, bool)> {
        let mut ranked = self.ranked(query, request, false)?;
        self.keep_weights(&mut ranked);
        Ok((
            ranked.total,
            stories(ranked.page, LISTED_COPIES),
            ranked.more,
        ))
    }

    fn rank_counted(&self, query: &Compiled, request: &SearchRequest) -> Result<engine::Counted> {
        let mut ranked = self.ranked(query, request, true)?;
        self.keep_weights(&mut ranked);
        let stories = stories(ranked.page, LISTED_COPIES);
        Ok((ranked.total, stories, ranked.more, ranked.counts))
    }

    fn counts(&self, query: &Compiled, total: usize) -> Result<Counts> {
        self.quickwit.counts(&query.text, total)
    }

    fn weights(&self, title: &Marks, body: &Marks) -> Result<(Weights, Weights)> {
        let ask = WeightAsk::of(title, body);
        if let Some((queries, weights)) = self.weighed.borrow_mut().take()
            && queries == ask.queries
        {
            return Ok(weights);
        }
        self.quickwit.weights(&self.live, &ask)
    }

    fn suggest(&self, _query: &str, _words: &[(String, String)]) -> Result<Option<String>> {
        Ok(None)
    }

    fn rank_like(&self, like: &Like) -> Result<(usize, Vec<(engine::Story, bool)>)> {
        self.like_ranked(like)
    }

    fn fuzzy_retry(&self) -> bool {
        false
    }
}
