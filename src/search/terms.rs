//! `news-search terms`: the words and phrases that are unusual in a matching set
//! against the whole archive (or a background query), scored with JLH, the
//! default measure of Elasticsearch's `significant_terms`: `(fg − bg) · fg / bg`
//! over the shares of the set (fg) and of the background (bg) that hold the term.
//! It rewards a term both for how much more often and for how many times more
//! often it is found in the set, so a name that the set is about comes before a
//! common word that is merely a little more frequent there.
//!
//! Candidates come from a sample (the best [`SAMPLE`] articles of the set, as
//! Elasticsearch's `sampler` feeds `significant_text`), so the cost is bounded on
//! big sets; every count shown is exact, made with a query. Written once over an
//! [`Engine`], so it works the same on Quickwit (where each count is a request).

use std::collections::{HashMap, HashSet};

use super::engine::{Engine, Job, Story};
use super::filter::{Filters, SourceNames};
use super::{SearchRequest, SortOrder, query};
use crate::error::{Error, Result};
use crate::index::stops::is_stop_word;
use crate::ingest::ocr::is_word_like;

/// Articles of the set read for candidate terms.
pub const SAMPLE: usize = 500;
/// Single words, and phrases, weighed with exact background counts.
const WORD_CANDIDATES: usize = 120;
const PHRASE_CANDIDATES: usize = 80;
/// A term must be in at least this many sampled articles.
const MIN_SAMPLED: usize = 2;
/// A term on at least this share of one source's articles, with at least this
/// share of all its articles from that source, is the source's (a masthead).
const SOURCE_WORD_SHARE: f64 = 0.5;
const SOURCE_WORD_ONLY: f64 = 0.9;
/// Sources with fewer articles have no standing words learned.
const MIN_SOURCE_ARTICLES: usize = 5;
/// Most terms one request may ask for.
pub const MAX_TERMS: usize = 100;

/// What to look for.
#[derive(Debug, Clone)]
pub struct TermsRequest {
    /// The matching set's query.
    pub query: String,
    /// The background's query (`None`: every article).
    pub background: Option<String>,
    /// Date window, sources, languages: applied to the set and the background.
    pub filters: Filters,
    /// Match articles with any of the words.
    pub match_any: bool,
    /// How many terms to give.
    pub limit: usize,
}

/// One unusual term.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The word or phrase, lower-cased.
    pub term: String,
    /// Articles of the set that hold it.
    pub inside: usize,
    /// Articles of the background outside the set that hold it (with a background
    /// query: articles of the background that hold it).
    pub outside: usize,
    /// Its JLH score.
    pub score: f64,
}

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    /// The terms, highest score first.
    pub terms: Vec<Term>,
    /// Articles in the set.
    pub matching: usize,
    /// Articles in the background.
    pub background: usize,
    /// Articles of the set read for candidates.
    pub sampled: usize,
    /// Notes on the queries.
    pub notes: Vec<String>,
}

/// One candidate: its words, and in how many sampled articles it is.
#[derive(Debug, Clone)]
struct Candidate {
    words: Vec<String>,
    sampled: usize,
}

impl Candidate {
    fn text(&self) -> String {
        self.words.join(" ")
    }
}

/// Counts articles with queries under the request's filters.
struct Counter<'e, E: Engine> {
    engine: &'e E,
    names: SourceNames,
    filters: &'e Filters,
    match_any: bool,
    notes: Vec<String>,
}

impl<E: Engine> Counter<'_, E> {
    /// Articles matching `text` under the filters.
    fn count(&mut self, text: &str) -> Result<usize> {
        let compiled = self.compile(text)?;
        let request = SearchRequest {
            limit: 0,
            highlight: false,
            collapse: false,
            ..SearchRequest::new(text)
        };
        Ok(self.engine.rank(&compiled, &request)?.0)
    }

    fn compile(&mut self, text: &str) -> Result<E::Query> {
        let analyses = super::engine::analyses(self.engine, self.filters, None)?;
        let parsed = query::parse_read(text, self.match_any, None, &analyses)?;
        let (plan, filter_notes) = self.filters.apply(&self.names, parsed.query);
        let (compiled, engine_notes) = self.engine.compile(&plan)?;
        for note in parsed
            .notes
            .into_iter()
            .chain(filter_notes)
            .chain(engine_notes)
        {
            if !self.notes.contains(&note) {
                self.notes.push(note);
            }
        }
        Ok(compiled)
    }
}

/// `(query) "term"`: the articles of a set that hold the term.
fn within(set: &str, term: &str) -> String {
    let phrase = format!("\"{term}\"");
    if set.trim() == "*" {
        phrase
    } else {
        format!("({set}) {phrase}")
    }
}

/// The JLH score of shares `fg` (in the set) and `bg` (in the background).
pub fn jlh(fg: f64, bg: f64) -> f64 {
    if bg <= 0.0 || fg <= bg {
        0.0
    } else {
        (fg - bg) * (fg / bg)
    }
}

impl Job for &TermsRequest {
    type Output = Terms;

    fn run<E: Engine>(self, engine: &E) -> Result<Terms> {
        if self.query.trim().is_empty() {
            return Err(Error::Usage(
                "terms needs a query (`news-search terms cocoa`)".into(),
            ));
        }
        if self.limit == 0 || self.limit > MAX_TERMS {
            return Err(Error::Usage(format!("-n: give 1 to {MAX_TERMS} terms")));
        }
        let names = if self.filters.sources.is_empty() {
            SourceNames::default()
        } else {
            engine.source_names()?
        };
        let mut counter = Counter {
            engine,
            names,
            filters: &self.filters,
            match_any: self.match_any,
            notes: Vec::new(),
        };
        let background_query = self.background.clone().unwrap_or_else(|| "*".into());
        // The sample: the best articles of the set, one per story.
        let compiled = counter.compile(&self.query)?;
        let request = SearchRequest {
            limit: SAMPLE,
            highlight: false,
            collapse: false,
            sort: SortOrder::Relevance,
            ..SearchRequest::new(self.query.clone())
        };
        let (matching, sample, _) = engine.rank(&compiled, &request)?;
        let background = counter.count(&background_query)?;
        let mut terms = Terms {
            terms: Vec::new(),
            matching,
            background,
            sampled: sample.len(),
            notes: Vec::new(),
        };
        if matching == 0 || background == 0 {
            terms.notes = counter.notes;
            return Ok(terms);
        }
        let own: HashSet<String> = query::parse(&self.query, self.match_any)?
            .words
            .into_iter()
            .flat_map(|(w, _)| {
                w.split_whitespace()
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
            })
            .collect();
        let texts: Vec<String> = sample
            .iter()
            .map(|s| format!("{}\n{}", s.lead.title, s.lead.body))
            .collect();
        let candidates = candidates(&texts, &own);
        let scored = scored(
            &mut counter,
            candidates,
            &background_query,
            background,
            sample.len(),
        )?;
        let mut kept = kept(self, &mut counter, scored, (matching, background), &sample)?;
        // Equal scores: the longer term first, so a name comes out whole.
        let length = |t: &Term| t.term.split(' ').count();
        kept.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| length(b).cmp(&length(a)))
                .then_with(|| a.term.cmp(&b.term))
        });
        terms.terms = whole_names(kept);
        terms.terms.truncate(self.limit);
        terms.notes = counter.notes;
        Ok(terms)
    }
}

/// First pass: each candidate's share of the sample against its exact share of
/// the background, best first (those that score).
fn scored<E: Engine>(
    counter: &mut Counter<'_, E>,
    candidates: Vec<Candidate>,
    background_query: &str,
    background: usize,
    sampled: usize,
) -> Result<Vec<(Candidate, usize, f64)>> {
    let fg_total = sampled.max(1) as f64;
    let mut scored: Vec<(Candidate, usize, f64)> = Vec::new();
    for candidate in candidates {
        let bg = counter.count(&within(background_query, &candidate.text()))?;
        let score = jlh(
            candidate.sampled as f64 / fg_total,
            bg as f64 / background as f64,
        );
        if score > 0.0 {
            scored.push((candidate, bg, score));
        }
    }
    scored.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then_with(|| a.0.text().cmp(&b.0.text()))
    });
    Ok(scored)
}

/// Second pass, for the best of `scored`: exact counts inside the set, and no
/// standing words of one source (those do not use up the places).
fn kept<E: Engine>(
    request: &TermsRequest,
    counter: &mut Counter<'_, E>,
    scored: Vec<(Candidate, usize, f64)>,
    (matching, background): (usize, usize),
    sample: &[Story],
) -> Result<Vec<Term>> {
    let sources = source_shares(sample);
    let mut kept: Vec<Term> = Vec::new();
    for (candidate, bg, _) in scored {
        if kept.len() == request.limit * 3 {
            break;
        }
        let text = candidate.text();
        let inside = counter.count(&within(&request.query, &text))?;
        let (fg, bg_share) = (
            inside as f64 / matching as f64,
            bg as f64 / background as f64,
        );
        if let Some(source) = sources.get(&text) {
            let found = counter.count(&within("*", &text))?;
            if standing_word(counter, source, &text, found)? {
                continue;
            }
        }
        let outside = if request.background.is_some() {
            bg
        } else {
            bg.saturating_sub(inside)
        };
        kept.push(Term {
            term: text,
            inside,
            outside,
            score: jlh(fg, bg_share),
        });
    }
    Ok(kept)
}

/// Whether `term` is a standing word of `source` (a masthead, a byline, a
/// standing box): on half of that source's articles or more, and found almost
/// only there (nine in ten of the `found` articles that hold it).
fn standing_word<E: Engine>(
    counter: &mut Counter<'_, E>,
    source: &str,
    term: &str,
    found: usize,
) -> Result<bool> {
    let quoted = source.replace('"', " ");
    let of_source = format!("source:\"{quoted}\"");
    let articles = counter.count(&of_source)?;
    if articles < MIN_SOURCE_ARTICLES {
        return Ok(false);
    }
    let with_term = counter.count(&format!("{of_source} \"{term}\""))?;
    Ok(with_term as f64 >= SOURCE_WORD_SHARE * articles as f64
        && with_term as f64 >= SOURCE_WORD_ONLY * found as f64)
}

/// For each sampled term, the source most of its sampled articles come from,
/// when one does (half of them or more).
fn source_shares(sample: &[Story]) -> HashMap<String, String> {
    let mut by_term: HashMap<String, HashMap<String, usize>> = HashMap::new();
    for story in sample {
        let Some(source) = story.lead.source.clone() else {
            continue;
        };
        let text = format!("{}\n{}", story.lead.title, story.lead.body);
        let mut seen = HashSet::new();
        for n in 1..=3 {
            for gram in grams(&text, n) {
                if seen.insert(gram.clone()) {
                    *by_term
                        .entry(gram)
                        .or_default()
                        .entry(source.clone())
                        .or_default() += 1;
                }
            }
        }
    }
    by_term
        .into_iter()
        .filter_map(|(term, sources)| {
            let total: usize = sources.values().sum();
            let (source, most) = sources
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
            (most * 2 >= total && total >= MIN_SAMPLED).then_some((term, source))
        })
        .collect()
}

/// The words of a text, lower-cased, each marked usable (a word, not OCR debris,
/// not a number) or not; a stop word is usable inside a phrase only.
fn words(text: &str) -> Vec<(String, bool)> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_lowercase();
            let usable = lower.chars().count() >= 2 && is_word_like(&lower);
            (lower, usable)
        })
        .collect()
}

/// The `n`-word terms of a text: usable words, a phrase neither starting nor
/// ending with a stop word, nor running across punctuation.
fn grams(text: &str, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for clause in text.split(['.', ',', ';', ':', '!', '?', '(', ')', '"', '\n', '—']) {
        clause_grams(clause, n, &mut out);
    }
    out
}

fn clause_grams(clause: &str, n: usize, out: &mut Vec<String>) {
    let words = words(clause);
    for window in words.windows(n) {
        if !window.iter().all(|(_, usable)| *usable) {
            continue;
        }
        let (first, last) = (&window[0].0, &window[n - 1].0);
        if is_stop_word(first) || is_stop_word(last) {
            continue;
        }
        out.push(
            window
                .iter()
                .map(|(w, _)| w.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
}

/// A term as the index reads it (stemmed, stop words dropped): `barrels` and
/// `barrel` are one term, counted once, shown in their commoner form.
fn key(analyzer: &mut tantivy::tokenizer::TextAnalyzer, term: &str) -> String {
    let mut stream = analyzer.token_stream(term);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out.join(" ")
}

/// The sampled terms worth counting: those in [`MIN_SAMPLED`] articles or more,
/// not made only of the query's own words (in any form), the most frequent first.
fn candidates(texts: &[String], own: &HashSet<String>) -> Vec<Candidate> {
    let mut analyzer = crate::index::analyzer::text_analyzer();
    let own: HashSet<String> = own.iter().map(|w| key(&mut analyzer, w)).collect();
    let mut sampled: [HashMap<String, usize>; 3] = Default::default();
    for text in texts {
        for n in 1..=3 {
            let unique: HashSet<String> = grams(text, n).into_iter().collect();
            for gram in unique {
                *sampled[n - 1].entry(gram).or_default() += 1;
            }
        }
    }
    let mut out = Vec::new();
    for (n, counts) in sampled.into_iter().enumerate() {
        // Surface forms by key: the commonest names the term, the largest count stands.
        let mut by_key: HashMap<String, (String, usize)> = HashMap::new();
        for (gram, count) in counts {
            if count < MIN_SAMPLED {
                continue;
            }
            let k = key(&mut analyzer, &gram);
            if k.is_empty() || k.split(' ').all(|w| own.contains(w)) {
                continue;
            }
            let entry = by_key.entry(k).or_insert_with(|| (gram.clone(), 0));
            if count > entry.1 || count == entry.1 && gram < entry.0 {
                *entry = (gram, count);
            }
        }
        let mut found: Vec<(String, usize)> = by_key.into_values().collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let take = if n == 0 {
            WORD_CANDIDATES
        } else {
            PHRASE_CANDIDATES / 2
        };
        out.extend(found.into_iter().take(take).map(|(gram, count)| Candidate {
            words: gram.split(' ').map(str::to_string).collect(),
            sampled: count,
        }));
    }
    out
}

/// Names come out whole: a term inside a longer kept term found in most of its
/// articles ("pedro" in "pedro alvarez") is left out.
fn whole_names(terms: Vec<Term>) -> Vec<Term> {
    let contains = |long: &str, short: &str| {
        long != short && format!(" {long} ").contains(&format!(" {short} "))
    };
    terms
        .iter()
        .filter(|t| {
            !terms
                .iter()
                .any(|longer| contains(&longer.term, &t.term) && longer.inside * 10 >= t.inside * 7)
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jlh_rewards_terms_far_more_common_in_the_set() {
        assert_eq!(jlh(0.1, 0.2), 0.0);
        assert!(jlh(0.5, 0.01) > jlh(0.6, 0.3));
        assert_eq!(jlh(0.5, 0.0), 0.0);
    }

    #[test]
    fn phrases_keep_inner_stop_words_but_never_end_on_one() {
        let text = "The Bank of England raised rates; 1916 x7q9 zzzz";
        assert!(grams(text, 3).contains(&"bank of england".to_string()));
        assert!(
            !grams(text, 2)
                .iter()
                .any(|g| g.starts_with("the ") || g.ends_with(" of"))
        );
        assert!(!grams(text, 1).iter().any(|g| g == "1916" || g == "x7q9"));
    }

    #[test]
    fn a_word_inside_a_name_found_as_often_is_left_out() {
        let term = |t: &str, inside| Term {
            term: t.into(),
            inside,
            outside: 0,
            score: 1.0,
        };
        let kept = whole_names(vec![
            term("pedro alvarez", 5),
            term("alvarez", 5),
            term("mill", 9),
            term("mill hands", 2),
        ]);
        let names: Vec<&str> = kept.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(names, ["pedro alvarez", "mill", "mill hands"]);
    }
}
