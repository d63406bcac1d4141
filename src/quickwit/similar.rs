//! `similar` over Quickwit: the local index's more-like-this ([`like_terms`]) with
//! word statistics counted by Quickwit (one multi-search request per batch of
//! words), then the same weighted any-word search, grouping and lead passages.

use std::collections::HashMap;
use std::time::Instant;

use serde_json::{Value, json};

use super::Quickwit;
use super::query::{quoted, to_quickwit};
use super::search::{CANDIDATE_FIELDS, Found, MAX_HITS, Story, group};
use crate::article::Article;
use crate::error::Result;
use crate::index::fingerprint::near_duplicates;
use crate::search::similar::{MIN_SHARED_TERMS, WordStats, like_terms, with_synonyms};
use crate::search::snippet::{Highlighter, Marks};
use crate::search::synonyms::Synonyms;
use crate::search::{Duplicate, Hit, SearchResults};

/// Word statistics of the live articles, counted by Quickwit.
struct Counts<'a> {
    quickwit: &'a Quickwit,
    live: String,
}

impl Counts<'_> {
    fn count_all(&self, queries: &[String]) -> Result<Vec<f64>> {
        self.quickwit.count_each(&self.live, queries)
    }
}

impl WordStats for Counts<'_> {
    fn articles(&self) -> Result<f64> {
        Ok(self.count_all(&["*".to_string()])?[0])
    }

    fn doc_freqs(&self, words: &[String]) -> Result<Vec<f64>> {
        let queries: Vec<String> = words
            .iter()
            .map(|w| format!("body_terms:{}", quoted(w)))
            .collect();
        self.count_all(&queries)
    }

    fn source_articles(&self, label: &str) -> Result<usize> {
        Ok(self.count_all(&[format!("source_exact:{}", quoted(label))])?[0] as usize)
    }

    fn source_freqs(&self, label: &str, words: &[String]) -> Result<Vec<f64>> {
        let queries: Vec<String> = words
            .iter()
            .map(|w| format!("+source_exact:{} +body_terms:{}", quoted(label), quoted(w)))
            .collect();
        self.count_all(&queries)
    }
}

impl Quickwit {
    /// Articles like `article`, best first, as the local `similar` finds them.
    pub fn similar(
        &self,
        article: &Article,
        synonyms: Option<&Synonyms>,
        limit: usize,
        snippet_chars: usize,
        passages: usize,
    ) -> Result<SearchResults> {
        let started = Instant::now();
        let live = self.live()?;
        let stats = Counts {
            quickwit: self,
            live: live.clone(),
        };
        let terms = like_terms(&stats, article)?;
        let (terms, applied) = with_synonyms(terms, article, synonyms)?;
        let should: Vec<Value> = terms
            .iter()
            .map(|term| {
                let word = quoted(&term.word);
                let alternatives = term
                    .synonyms
                    .as_ref()
                    .map(|plan| format!(" OR ({})", to_quickwit(plan).0))
                    .unwrap_or_default();
                let weight = term.weight;
                json!({"query_string": {"query": format!("(title_terms:{word} OR body_terms:{word}{alternatives})^{weight}")}})
            })
            .collect();
        // Quickwit refuses more than its `max_hits` in one answer.
        let candidates = limit.max(1).saturating_mul(4).clamp(50, MAX_HITS);
        let (total, found) = if should.is_empty() {
            (0, Vec::new())
        } else {
            let answer = self.es_search_with(
                &json!({
                    "query": {"bool": {
                        "should": should,
                        "minimum_should_match": MIN_SHARED_TERMS.min(terms.len()),
                        "must_not": [{"query_string": {"query": format!("id:{}", quoted(&article.id))}}],
                        "filter": [{"query_string": {"query": live}}],
                    }},
                    "size": candidates,
                    "sort": [{"_score": {"order": "desc"}}],
                    "track_total_hits": true,
                }),
                CANDIDATE_FIELDS,
            )?;
            let total = answer["hits"]["total"]["value"].as_u64().unwrap_or(0) as usize;
            let found: Vec<Found> = answer["hits"]["hits"]
                .as_array()
                .map(|hits| hits.iter().map(|h| Found::read(h, true)).collect())
                .unwrap_or_default();
            (total, found)
        };
        let groups = group(&found);
        let mut by_rank: Vec<Option<Found>> = found.into_iter().map(Some).collect();
        let mut page: Vec<Story> = Vec::new();
        for group in groups.iter().take(limit) {
            let mut members = group.members.iter().filter_map(|&(_, n)| by_rank[n].take());
            if let Some(lead) = members.next() {
                page.push((lead, members.collect()));
            }
        }
        self.load(&mut page, &[])?;
        let bands = self.bands_of(&article.id)?;
        let mut lead = Highlighter::new(
            crate::index::analysis::Analysis::ENGLISH,
            Marks::default(),
            HashMap::new(),
        );
        let hits = page
            .into_iter()
            .enumerate()
            .map(|(n, (found, copies))| {
                let mut hit = Hit {
                    snippets: lead.snippets(&found.article.body, snippet_chars, passages.min(1)),
                    near_duplicate: near_duplicates(&bands, &found.bands),
                    similar_count: copies.len(),
                    similar: copies
                        .into_iter()
                        .take(crate::search::similar::LISTED_COPIES)
                        .map(|c| Duplicate::from(c.article))
                        .collect(),
                    ..Hit::of(n + 1, found.score, found.article, found.lang)
                };
                hit.locate_snippets();
                hit
            })
            .collect();
        Ok(SearchResults {
            synonyms: applied,
            ..SearchResults::of_hits(hits, total, started.elapsed())
        })
    }

    /// The band hashes stored with the article `id`.
    fn bands_of(&self, id: &str) -> Result<Vec<u64>> {
        let answer = self.es_search_with(
            &json!({
                "query": {"query_string": {"query": format!("id:{}", quoted(id))}},
                "size": 1,
            }),
            CANDIDATE_FIELDS,
        )?;
        Ok(answer["hits"]["hits"][0]["_source"]["dup_bands"]
            .as_array()
            .map(|b| b.iter().filter_map(Value::as_u64).collect())
            .unwrap_or_default())
    }
}
