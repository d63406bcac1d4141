//! Quickwit's candidates scored again with the statistics of the whole index.
//!
//! Quickwit scores BM25 split by split: each split's own article count, word counts
//! and average lengths. The same article scores differently in a split of 800
//! articles and in one of 200,000, so the best articles of the whole index come out
//! in another order than the local index gives them. Here the candidates' headlines
//! and bodies are analysed into an index in memory and scored by the query the
//! local index would run, with the statistics of all live articles: how many there
//! are, how many hold each word (counted by the node), and how many words their
//! headlines and bodies have in all (sums of `title_tokens` and `body_tokens`).
//! Their scores are then those the local index gives the same articles.
//!
//! What the candidates have passed already (filters, excluded words) is not asked
//! again. A plan is rescored when every clause that can score differently from one
//! candidate to another reads a headline or a body: fuzzy words (searched exactly
//! on Quickwit) and words of names, where they are not required alike of every
//! candidate, leave the candidates in Quickwit's order.

use std::collections::HashMap;

use serde_json::{Value, json};
use tantivy::query::{Bm25StatisticsProvider, EnableScoring};
use tantivy::schema::{Field, TantivyDocument};
use tantivy::{DocSet, IndexWriter, TERMINATED, TantivyError, Term};

use super::query::{field_name, quoted};
use super::search::{Found, count_search, total_of, within};
use crate::error::{Error, Result};
use crate::index::NewsIndex;
use crate::index::language::UNDETERMINED;
use crate::index::writer::text_document;
use crate::search::plan::{self, Occur, Plan, TextField};

/// The in-memory index's writing budget: Tantivy's least. Candidates are a few
/// hundred articles, and the writer sizes (and zeroes) its term table by it.
const MEMORY: usize = 15_000_000;
/// Headline and body text rescored at most, in Quickwit's order: analysing the
/// candidates is the cost of a rescoring (every one of 200 wire stories of 1 KB;
/// newspaper pages of 25 KB are held to [`WINDOW_MIN`]).
const WINDOW_BYTES: usize = 256 << 10;
/// Candidates rescored at least, however long: a page of hits, and its margin.
const WINDOW_MIN: usize = 20;

/// A plan's scoring part, and what scoring it with index-wide statistics needs.
#[derive(Debug)]
pub(super) struct Rescoring {
    /// The plan without what every candidate has passed (filters, exclusions).
    plan: Plan,
    /// The headline and body words it scores: how many articles hold each is asked.
    words: Vec<(TextField, String)>,
    /// Whether it matches exact phrases (which read the stop-word fields).
    stops: bool,
}

impl Rescoring {
    /// The rescoring of `plan`, when all it scores can be scored from headlines and
    /// bodies.
    pub(super) fn of(plan: &Plan) -> Option<Rescoring> {
        let plan = scoring(plan, true)?;
        let mut words = Vec::new();
        let mut stops = false;
        plan.walk(&mut |p| match p {
            Plan::Term { field, text } => words.push((*field, text.clone())),
            Plan::Phrase { field, terms, .. } => {
                words.extend(terms.iter().map(|(_, t)| (*field, t.clone())));
            }
            Plan::Exact { .. } => stops = true,
            _ => {}
        });
        words.sort();
        words.dedup();
        Some(Rescoring { plan, words, stops })
    }

    /// The searches that count what BM25 needs among the `live` articles: all of
    /// them, with their headline and body words in all, then those that hold each
    /// of [`Rescoring::words`].
    pub(super) fn searches(&self, live: &str) -> Vec<Value> {
        let mut all = count_search(live);
        all["aggs"] = json!({
            "title_tokens": {"sum": {"field": "title_tokens"}},
            "body_tokens": {"sum": {"field": "body_tokens"}},
        });
        std::iter::once(all)
            .chain(self.words.iter().map(|(field, text)| {
                let word = format!("{}:{}", field_name(*field), quoted(text));
                count_search(&within(live, &word))
            }))
            .collect()
    }

    /// The statistics in the answers to [`Rescoring::searches`] (`None` when the
    /// node left some out).
    pub(super) fn statistics(&self, answers: &[Value]) -> Option<Statistics> {
        let (all, each) = answers.split_first()?;
        if each.len() != self.words.len() {
            return None;
        }
        let sum = |name: &str| {
            all["aggregations"][name]["value"]
                .as_f64()
                .map(|v| v.max(0.0) as u64)
        };
        Some(Statistics {
            articles: total_of(all) as u64,
            title_words: sum("title_tokens")?,
            body_words: sum("body_tokens")?,
            holding: self
                .words
                .iter()
                .cloned()
                .zip(each.iter().map(|a| total_of(a) as u64))
                .collect(),
        })
    }

    /// Orders the best of `found` (Quickwit's first [`WINDOW_BYTES`] of text, at
    /// least [`WINDOW_MIN`] candidates) by the scores the plan gives them with
    /// `statistics`, best first (equal scores in Quickwit's order), as
    /// Elasticsearch's rescore window does; the rest follow in Quickwit's order
    /// with its scores. A candidate the plan does not match here (Quickwit read a
    /// phrase another way) follows the window's others, scored 0.
    pub(super) fn rescore(&self, found: &mut Vec<Found>, statistics: &Statistics) -> Result<()> {
        let mut text = 0usize;
        let window = found
            .iter()
            .take_while(|f| {
                text += f.article.title.len() + f.article.body.len();
                text <= WINDOW_BYTES
            })
            .count()
            .max(WINDOW_MIN)
            .min(found.len());
        if window == 0 {
            return Ok(());
        }
        let memory = NewsIndex::in_memory()?;
        let scores = self
            .scores(&memory, &found[..window], statistics)
            .map_err(|e| Error::index(&memory.dir, e))?;
        let mut scored: Vec<(Option<f32>, Found)> =
            scores.into_iter().zip(found.drain(..window)).collect();
        scored.sort_by(|a, b| match (a.0, b.0) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (x, y) => y.is_some().cmp(&x.is_some()),
        });
        let rescored = scored.into_iter().map(|(score, mut f)| {
            f.score = score.unwrap_or(0.0);
            f
        });
        found.splice(0..0, rescored);
        Ok(())
    }

    /// Each candidate's score, in `found`'s order (`None`: not matched).
    fn scores(
        &self,
        memory: &NewsIndex,
        found: &[Found],
        statistics: &Statistics,
    ) -> tantivy::Result<Vec<Option<f32>>> {
        let fields = &memory.fields;
        let mut writer: IndexWriter<TantivyDocument> =
            memory.index.writer_with_num_threads(1, MEMORY)?;
        for (n, f) in found.iter().enumerate() {
            let lang = f.lang.as_deref().unwrap_or(UNDETERMINED);
            let mut doc = text_document(fields, &f.article, lang, self.stops);
            doc.add_u64(fields.record, n as u64);
            writer.add_document(doc)?;
        }
        writer.commit()?;
        let searcher = memory.index.reader()?.searcher();
        let query = plan::to_tantivy(memory, &searcher, &self.plan)
            .map_err(|e| TantivyError::InvalidArgument(e.to_string()))?;
        let provider = Provider {
            statistics,
            title: fields.title,
            body: fields.body,
        };
        let weight = query.weight(EnableScoring::enabled_from_statistics_provider(
            &provider, &searcher,
        ))?;
        let mut scores = vec![None; found.len()];
        for segment in searcher.segment_readers() {
            let places = segment.fast_fields().u64("record")?;
            let mut scorer = weight.scorer(segment, 1.0)?;
            while scorer.doc() != TERMINATED {
                if let Some(n) = places.first(scorer.doc()) {
                    scores[n as usize] = Some(scorer.score());
                }
                scorer.advance();
            }
        }
        Ok(scores)
    }
}

/// `plan` as far as it scores candidates that matched it, `required` when every
/// match must match it: filters and exclusions go (every candidate passed them); a
/// required clause that scores every match alike becomes [`Plan::All`]; `None`
/// when a clause would need what the in-memory index does not hold.
fn scoring(plan: &Plan, required: bool) -> Option<Plan> {
    let read_here = |field: &TextField| matches!(field, TextField::Title | TextField::Body);
    let alike = || required.then_some(Plan::All);
    match plan {
        Plan::All | Plan::Nothing => Some(plan.clone()),
        Plan::Filter(_) => Some(Plan::Filter(Box::new(Plan::All))),
        Plan::Bool(clauses) => {
            let mut kept = Vec::with_capacity(clauses.len());
            for (occur, clause) in clauses {
                match occur {
                    Occur::MustNot => {}
                    Occur::Must => kept.push((Occur::Must, scoring(clause, required)?)),
                    Occur::Should => kept.push((Occur::Should, scoring(clause, false)?)),
                }
            }
            Some(match kept.is_empty() {
                true => Plan::Filter(Box::new(Plan::All)),
                false => Plan::Bool(kept),
            })
        }
        Plan::Boost(inner, boost) => Some(Plan::Boost(Box::new(scoring(inner, required)?), *boost)),
        Plan::Term { field, .. } | Plan::Phrase { field, .. } => {
            read_here(field).then(|| plan.clone())
        }
        Plan::Prefix { field, .. } | Plan::Containing { field, .. } | Plan::Exact { field, .. } => {
            match read_here(field) {
                true => Some(plan.clone()),
                false => alike(),
            }
        }
        Plan::Fuzzy { .. } => None,
        Plan::Key { .. }
        | Plan::Keys { .. }
        | Plan::Dates { .. }
        | Plan::Dated
        | Plan::QualityBelow(_) => alike(),
    }
}

/// What BM25 reads of the whole index, as counted among the live articles.
#[derive(Debug)]
pub(super) struct Statistics {
    articles: u64,
    title_words: u64,
    body_words: u64,
    holding: HashMap<(TextField, String), u64>,
}

/// [`Statistics`] for the headline and body fields of the index being scored.
struct Provider<'a> {
    statistics: &'a Statistics,
    title: Field,
    body: Field,
}

impl Provider<'_> {
    fn text_field(&self, field: Field) -> tantivy::Result<TextField> {
        match field {
            _ if field == self.title => Ok(TextField::Title),
            _ if field == self.body => Ok(TextField::Body),
            _ => Err(TantivyError::InvalidArgument(format!(
                "no index-wide statistics for field {field:?}"
            ))),
        }
    }
}

impl Bm25StatisticsProvider for Provider<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Ok(match self.text_field(field)? {
            TextField::Title => self.statistics.title_words,
            _ => self.statistics.body_words,
        })
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.statistics.articles)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let field = self.text_field(term.field())?;
        let value = term.value();
        let text = value.as_str().unwrap_or_default();
        self.statistics
            .holding
            .get(&(field, text.to_string()))
            .copied()
            .ok_or_else(|| {
                TantivyError::InvalidArgument(format!("no article count for the word {text:?}"))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::index::analysis::Analysis;
    use crate::search::query::parse_with;
    use crate::search::tests::index_of;
    use tantivy::Searcher;
    use tantivy::collector::TopDocs;

    fn article(n: usize, title: &str, body: &str) -> Article {
        Article {
            id: format!("a{n}"),
            title: title.to_string(),
            body: body.to_string(),
            lang: Some("en".to_string()),
            ..Article::default()
        }
    }

    /// Articles whose lengths and word counts differ, so that BM25's statistics
    /// decide their order.
    fn articles() -> Vec<Article> {
        let mut all = Vec::new();
        for n in 0..40 {
            let filler = "harbour crane cargo ".repeat(n % 7 + 1);
            let (title, body) = match n % 5 {
                0 => (
                    "Miners strike",
                    format!("The miners went on strike. {filler}"),
                ),
                1 => (
                    "Dock news",
                    format!("A strike at the docks; miners watched. {filler}"),
                ),
                2 => (
                    "Coal",
                    format!("Miners, miners and more miners. {filler} strike"),
                ),
                3 => ("Weather", format!("Rain again. {filler}")),
                _ => (
                    "Strike called off",
                    format!("{filler} the strike of the miners ended"),
                ),
            };
            all.push(article(n, title, &body));
        }
        all
    }

    fn plan_of(query: &str) -> Plan {
        let parsed = parse_with(query, false, None, &[Analysis::ENGLISH]).unwrap();
        plan::with_bonus(parsed.query, &parsed.proximity)
    }

    /// The statistics of `rescoring`'s words the node would give, from `index`.
    fn statistics_of(index: &NewsIndex, searcher: &Searcher, rescoring: &Rescoring) -> Statistics {
        let tokens = |field| {
            searcher
                .segment_readers()
                .iter()
                .map(|s| s.inverted_index(field).unwrap().total_num_tokens())
                .sum::<u64>()
        };
        let holding = rescoring
            .words
            .iter()
            .map(|(field, text)| {
                let f = if *field == TextField::Title {
                    index.fields.title
                } else {
                    index.fields.body
                };
                (
                    (*field, text.clone()),
                    searcher.doc_freq(&Term::from_field_text(f, text)).unwrap(),
                )
            })
            .collect();
        Statistics {
            articles: searcher.num_docs(),
            title_words: tokens(index.fields.title),
            body_words: tokens(index.fields.body),
            holding,
        }
    }

    #[test]
    fn candidates_get_the_scores_and_order_the_local_index_gives_them() {
        let articles = articles();
        let (_dir, index) = index_of(articles.clone());
        let searcher = index.index.reader().unwrap().searcher();
        for query in [
            "miners strike",
            "\"miners went\" OR crane",
            "strike -weather",
        ] {
            let plan = plan_of(query);
            let tantivy_query = plan::to_tantivy(&index, &searcher, &plan).unwrap();
            let top = searcher
                .search(&*tantivy_query, &TopDocs::with_limit(100).order_by_score())
                .unwrap();
            let expected: Vec<(String, f32)> = top
                .iter()
                .map(|(score, address)| {
                    let doc: TantivyDocument = searcher.doc(*address).unwrap();
                    (index.fields.article(&doc).id, *score)
                })
                .collect();
            assert!(expected.len() > 10, "{query}: {}", expected.len());

            // What the node would count over the whole index.
            let rescoring = Rescoring::of(&plan).expect(query);
            let statistics = statistics_of(&index, &searcher, &rescoring);
            // Candidates in another order, as per-split scores would give them.
            let mut found: Vec<Found> = expected
                .iter()
                .rev()
                .map(|(id, _)| Found {
                    score: 1.0,
                    article: articles.iter().find(|a| &a.id == id).unwrap().clone(),
                    lang: Some("en".to_string()),
                    bands: Vec::new(),
                })
                .collect();
            rescoring.rescore(&mut found, &statistics).unwrap();
            let got: Vec<(String, f32)> = found
                .iter()
                .map(|f| (f.article.id.clone(), f.score))
                .collect();
            for ((id, score), (want_id, want)) in got.iter().zip(&expected) {
                assert!(
                    (score - want).abs() < 1e-4,
                    "{query}: {id} {score} against {want_id} {want}"
                );
            }
            // Equal scores may come in either order; the scores themselves do not.
            let mut ids: Vec<&String> = got.iter().map(|g| &g.0).collect();
            let mut want_ids: Vec<&String> = expected.iter().map(|e| &e.0).collect();
            ids.sort();
            want_ids.sort();
            assert_eq!(ids, want_ids, "{query}");
        }
    }

    #[test]
    fn the_window_is_rescored_and_the_rest_follow_in_quickwit_s_order() {
        // Long articles: the window holds the first WINDOW_MIN of them only.
        let long = "harbour ".repeat(WINDOW_BYTES / WINDOW_MIN / 8 + 1);
        let articles: Vec<Article> = (0..WINDOW_MIN + 10)
            .map(|n| article(n, "Strike", &format!("{} {long}", "strike ".repeat(n + 1))))
            .collect();
        let rescoring = Rescoring::of(&plan_of("strike")).unwrap();
        let statistics = Statistics {
            articles: 1000,
            title_words: 1000,
            body_words: 1000 * (long.len() as u64 / 8),
            holding: rescoring.words.iter().map(|w| (w.clone(), 100)).collect(),
        };
        let mut found: Vec<Found> = articles
            .iter()
            .map(|a| Found {
                score: 7.0,
                article: a.clone(),
                lang: Some("en".to_string()),
                bands: Vec::new(),
            })
            .collect();
        rescoring.rescore(&mut found, &statistics).unwrap();
        let ids: Vec<&str> = found.iter().map(|f| f.article.id.as_str()).collect();
        // More "strike", higher: the window in reverse; the rest as they came.
        let window: Vec<String> = (0..WINDOW_MIN).rev().map(|n| format!("a{n}")).collect();
        let rest: Vec<String> = (WINDOW_MIN..WINDOW_MIN + 10)
            .map(|n| format!("a{n}"))
            .collect();
        assert_eq!(
            ids[..WINDOW_MIN],
            window.iter().map(String::as_str).collect::<Vec<_>>()[..]
        );
        assert_eq!(
            ids[WINDOW_MIN..],
            rest.iter().map(String::as_str).collect::<Vec<_>>()[..]
        );
        assert!(found[..WINDOW_MIN].iter().all(|f| f.score != 7.0));
        assert!(found[WINDOW_MIN..].iter().all(|f| f.score == 7.0));
    }

    #[test]
    fn only_what_can_score_differently_is_kept_for_scoring() {
        let word = |text: &str| Plan::Term {
            field: TextField::Body,
            text: text.into(),
        };
        let dates = Plan::Dates {
            from: std::ops::Bound::Unbounded,
            to: std::ops::Bound::Unbounded,
        };
        // Filters and exclusions: every candidate passed them.
        let filtered = Plan::filtered(
            Plan::Bool(vec![(Occur::Must, word("a")), (Occur::MustNot, word("b"))]),
            vec![dates.clone()],
        );
        let kept = Rescoring::of(&filtered).unwrap();
        assert_eq!(
            kept.plan,
            Plan::Bool(vec![
                (Occur::Must, Plan::Bool(vec![(Occur::Must, word("a"))])),
                (Occur::Must, Plan::Filter(Box::new(Plan::All))),
            ])
        );
        assert_eq!(kept.words, vec![(TextField::Body, "a".to_string())]);
        // A required date range scores every candidate alike; an optional one does not.
        let required = Plan::Bool(vec![(Occur::Must, word("a")), (Occur::Must, dates.clone())]);
        assert!(Rescoring::of(&required).is_some());
        let optional = Plan::Bool(vec![(Occur::Should, word("a")), (Occur::Should, dates)]);
        assert!(Rescoring::of(&optional).is_none());
        // Fuzzy words (exact on Quickwit) and scored names are left in Quickwit's order.
        let fuzzy = Plan::Fuzzy {
            field: TextField::Body,
            text: "a".into(),
            distance: 1,
        };
        assert!(Rescoring::of(&fuzzy).is_none());
        let author = Plan::Term {
            field: TextField::Author,
            text: "lin".into(),
        };
        assert!(Rescoring::of(&author).is_none());
        // Exact phrases read the stop-word fields.
        let exact = Plan::Exact {
            field: TextField::Body,
            words: vec![(0, "port".into())],
            stops: vec![(1, "of".into())],
        };
        assert!(Rescoring::of(&exact).unwrap().stops);
    }
}
