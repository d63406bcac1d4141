//! `similar` over Quickwit: the word statistics more-like-this chooses its words
//! by, counted by Quickwit (one multi-search request per batch of words), and the
//! weighted any-word search, grouped into stories as the local index groups them.

use serde_json::{Value, json};

use super::Quickwit;
use super::query::{quoted, to_quickwit};
use super::search::{CANDIDATE_FIELDS, Engine, Found, MAX_HITS, Story, group, stories};
use crate::error::Result;
use crate::index::fingerprint::near_duplicates;
use crate::search::engine;
use crate::search::similar::{LISTED_COPIES, Like, WordStats};

/// Word statistics of the live articles, counted by Quickwit.
impl WordStats for Engine<'_> {
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

impl Engine<'_> {
    fn count_all(&self, queries: &[String]) -> Result<Vec<f64>> {
        self.quickwit.count_each(&self.live, queries)
    }

    /// [`engine::Engine::rank_like`] on Quickwit: the weighted words as one
    /// boolean request, its candidates grouped into stories as the local index
    /// groups them, the page's articles loaded.
    pub(super) fn like_ranked(&self, like: &Like) -> Result<(usize, Vec<(engine::Story, bool)>)> {
        let should: Vec<Value> = like
            .terms
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
        let candidates = like.limit.max(1).saturating_mul(4).clamp(50, MAX_HITS);
        let answer = self.quickwit.es_search_with(
            &json!({
                "query": {"bool": {
                    "should": should,
                    "minimum_should_match": like.required,
                    "must_not": [{"query_string": {"query": format!("id:{}", quoted(&like.id))}}],
                    "filter": [{"query_string": {"query": self.live}}],
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
        let groups = group(&found);
        let mut by_rank: Vec<Option<Found>> = found.into_iter().map(Some).collect();
        let mut page: Vec<Story> = Vec::new();
        for group in groups.iter().take(like.limit) {
            let mut members = group.members.iter().filter_map(|&(_, n)| by_rank[n].take());
            if let Some(lead) = members.next() {
                page.push((lead, members.collect()));
            }
        }
        self.quickwit.load(&mut page, &[])?;
        let bands = self.quickwit.bands_of(&like.id)?;
        let near: Vec<bool> = page
            .iter()
            .map(|(lead, _)| near_duplicates(&bands, &lead.bands))
            .collect();
        Ok((
            total,
            stories(page, LISTED_COPIES).into_iter().zip(near).collect(),
        ))
    }
}

impl Quickwit {
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
