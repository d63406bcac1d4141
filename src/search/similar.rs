//! `similar`: related coverage of one article (more-like-this over its headline and
//! body terms, weighted by tf-idf), with its near-duplicates marked.

use std::collections::HashMap;
use std::time::Instant;

use tantivy::Term;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::collapse::{self, Columns};
use super::engine::{Engine, Job, Story};
use super::plan::{Plan, to_tantivy};
use super::query;
use super::snippet::{Highlighter, Marks};
use super::synonyms::{Expansion, Synonyms, group};
use super::{Duplicate, Hit, Local, SearchResults, Shown};
use crate::article::Article;
use crate::error::{Error, Result};
use crate::index::analysis::Analysis;
use crate::index::analyzer::text_analyzer_for;
use crate::index::fingerprint::near_duplicates;
use crate::index::lookup;

/// Most distinctive terms of the article that the search uses.
const QUERY_TERMS: usize = 30;
/// Terms weighed before the masthead check (the best of them survive it).
const CANDIDATE_TERMS: usize = 80;
/// A term on at least this share of its source's articles, and [`SOURCE_WORD_LIFT`]
/// times as common there as in the whole index, is the source's, not the story's
/// (a masthead, a standing box): it does not drive more-like-this. A story that
/// runs for months is common everywhere, so it stays.
const SOURCE_WORD_SHARE: f64 = 0.25;
/// How much more common in its source than overall a source's own word is.
const SOURCE_WORD_LIFT: f64 = 4.0;
/// Sources with fewer articles than this have no words of their own learned.
const MIN_SOURCE_ARTICLES: usize = 5;
/// Fewest of the chosen words a related article must have.
pub const MIN_SHARED_TERMS: usize = 3;
/// A headline word counts as this many body words.
const TITLE_WEIGHT: u32 = 5;
/// Copies listed under a hit.
pub const LISTED_COPIES: usize = 3;

/// `similar` as a [`Job`]: articles like `article`, best first: its most
/// distinctive words (tf-idf over headline and body, less its source's standing
/// words) as a weighted any-word query, each word searched as its `synonyms` too.
/// Near-duplicates of each other collapse into one hit, as in `query`; those of
/// the article say so.
pub struct Similar<'a> {
    /// The article to find coverage like.
    pub article: &'a Article,
    /// A synonym list to read its words by.
    pub synonyms: Option<&'a Synonyms>,
    /// Hits wanted.
    pub limit: usize,
    /// Length of each hit's lead passage, in characters.
    pub snippet_chars: usize,
}

/// A more-like-this search as an [`Engine`] runs it: articles holding at least
/// `required` of `terms` (in headline or body, or as their synonyms), each term
/// adding its weight, the article `id` left out.
pub struct Like {
    /// The article the others are like.
    pub id: String,
    /// Its chosen words.
    pub terms: Vec<LikeTerm>,
    /// Fewest of them a related article must have.
    pub required: usize,
    /// Stories wanted.
    pub limit: usize,
}

impl Job for Similar<'_> {
    type Output = SearchResults;

    fn run<E: Engine>(self, engine: &E) -> Result<SearchResults> {
        let started = Instant::now();
        let article = self.article;
        let terms = like_terms(engine, article)?;
        let (terms, applied) = with_synonyms(terms, article, self.synonyms)?;
        let (total, stories) = if terms.is_empty() {
            (0, Vec::new())
        } else {
            // One shared rare word is chance; related coverage shares several.
            engine.rank_like(&Like {
                id: article.id.clone(),
                required: MIN_SHARED_TERMS.min(terms.len()),
                terms,
                limit: self.limit,
            })?
        };
        let mut lead = Highlighter::new(Analysis::ENGLISH, Marks::default(), HashMap::new());
        let hits = stories
            .into_iter()
            .enumerate()
            .map(|(n, (story, near_duplicate))| {
                let mut hit = Hit {
                    snippets: lead.snippets(&story.lead.body, self.snippet_chars, 1),
                    near_duplicate,
                    similar_count: story.copy_count,
                    similar: story.copies.into_iter().map(Duplicate::from).collect(),
                    ..Hit::of(n + 1, story.score, story.lead, story.lang)
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
}

/// [`Engine::rank_like`] on the local index: the candidates ranked by the weighted
/// words, grouped into stories, the first `like.limit` read from the store.
pub(super) fn rank_like(local: &Local, like: &Like) -> Result<(usize, Vec<(Story, bool)>)> {
    let (index, searcher) = (local.index, local.searcher);
    let fail = |e: tantivy::TantivyError| Error::index(&index.dir, e);
    let fields = index.fields;
    let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for term in &like.terms {
        let mut either: Vec<(Occur, Box<dyn Query>)> = [fields.title, fields.body]
            .into_iter()
            .map(|field| {
                let query: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(field, &term.word),
                    IndexRecordOption::WithFreqs,
                ));
                (Occur::Should, query)
            })
            .collect();
        if let Some(plan) = &term.synonyms {
            either.push((Occur::Should, to_tantivy(index, searcher, plan)?));
        }
        should.push((
            Occur::Should,
            Box::new(BoostQuery::new(
                Box::new(BooleanQuery::new(either)),
                term.weight,
            )),
        ));
    }
    let query = BooleanQuery::new(vec![
        (
            Occur::Must,
            Box::new(BooleanQuery::with_minimum_required_clauses(
                should,
                like.required,
            )) as Box<dyn Query>,
        ),
        (
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_text(fields.id, &like.id),
                IndexRecordOption::Basic,
            )),
        ),
    ]);
    let (_, candidates) = super::within(searcher, 0, like.limit.max(1).saturating_mul(4).max(50));
    let (total, top) = searcher
        .search(
            &query,
            &(Count, TopDocs::with_limit(candidates).order_by_score()),
        )
        .map_err(fail)?;
    let columns = Columns::open(searcher).map_err(fail)?;
    let bands = match lookup::by_id(index, searcher, &like.id)?.first() {
        Some(&target) => columns.bands(target),
        None => Vec::new(),
    };
    let groups = collapse::group(&columns, &top);
    let stories = groups
        .iter()
        .take(like.limit)
        .map(|group| {
            let (score, lead) = group.members[0];
            let near_duplicate = near_duplicates(&bands, &columns.bands(lead));
            let copies = group.members[1..].iter().map(|&(_, copy)| copy).collect();
            let shown = Shown {
                score,
                lead,
                copies,
            };
            Ok((local.story(shown, LISTED_COPIES)?, near_duplicate))
        })
        .collect::<Result<_>>()?;
    Ok((total, stories))
}

/// What more-like-this needs to know of the index's words, which every
/// [`Engine`] tells: the local index from its term dictionaries, Quickwit from
/// counts.
pub trait WordStats {
    /// Articles in the index.
    fn articles(&self) -> Result<f64>;
    /// How many articles hold each word in their body.
    fn doc_freqs(&self, words: &[String]) -> Result<Vec<f64>>;
    /// Articles of the source printed as `label`.
    fn source_articles(&self, label: &str) -> Result<usize>;
    /// How many of that source's articles hold each word in their body.
    fn source_freqs(&self, label: &str, words: &[String]) -> Result<Vec<f64>>;
}

impl Local<'_> {
    fn source(&self, label: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(self.index.fields.source_exact, label),
            IndexRecordOption::Basic,
        ))
    }

    fn count(&self, query: &dyn Query) -> Result<usize> {
        self.searcher
            .search(query, &Count)
            .map_err(|e| Error::index(&self.index.dir, e))
    }
}

impl WordStats for Local<'_> {
    fn articles(&self) -> Result<f64> {
        Ok(self.searcher.num_docs() as f64)
    }

    fn doc_freqs(&self, words: &[String]) -> Result<Vec<f64>> {
        words
            .iter()
            .map(|word| {
                self.searcher
                    .doc_freq(&Term::from_field_text(self.index.fields.body, word))
                    .map(|df| df as f64)
                    .map_err(|e| Error::index(&self.index.dir, e))
            })
            .collect()
    }

    fn source_articles(&self, label: &str) -> Result<usize> {
        self.count(self.source(label).as_ref())
    }

    fn source_freqs(&self, label: &str, words: &[String]) -> Result<Vec<f64>> {
        words
            .iter()
            .map(|word| {
                let in_source = BooleanQuery::new(vec![
                    (Occur::Must, self.source(label)),
                    (
                        Occur::Must,
                        Box::new(TermQuery::new(
                            Term::from_field_text(self.index.fields.body, word),
                            IndexRecordOption::Basic,
                        )),
                    ),
                ]);
                self.count(&in_source).map(|n| n as f64)
            })
            .collect()
    }
}

/// One word of a more-like-this query: an analysed term of the article, its
/// weight, and what a synonym list makes it stand for besides itself.
#[derive(Debug, Clone)]
pub struct LikeTerm {
    /// The analysed term.
    pub word: String,
    /// Its tf-idf weight.
    pub weight: f32,
    /// Its synonyms as a compiled query group (`(AI OR "artificial intelligence")`).
    pub synonyms: Option<Plan>,
}

/// The chosen `terms` of `article`, each with the synonyms `list` names for it, and
/// the expansions applied.
///
/// An entry of the list applies when it occurs in the article's headline or body
/// and one of its words is among the chosen terms: its alternatives are then
/// searched as a group beside the best of those terms, with that term's weight, so
/// an article on *artificial intelligence* finds one on *AI*. The article's own
/// word always stays (a one-way rule does not take away what the article says).
pub fn with_synonyms(
    terms: Vec<(String, f32)>,
    article: &crate::article::Article,
    list: Option<&Synonyms>,
) -> Result<(Vec<LikeTerm>, Vec<Expansion>)> {
    let mut like: Vec<LikeTerm> = terms
        .into_iter()
        .map(|(word, weight)| LikeTerm {
            word,
            weight,
            synonyms: None,
        })
        .collect();
    let Some(list) = list else {
        return Ok((like, Vec::new()));
    };
    let analysis = Analysis::of(article.lang.as_deref().unwrap_or_default());
    let mut analyzer = text_analyzer_for(analysis);
    let mut groups: HashMap<usize, Vec<String>> = HashMap::new();
    let mut applied = Vec::new();
    for text in [&article.title, &article.body] {
        for found in list.found_in(text) {
            if applied
                .iter()
                .any(|a: &Expansion| a.matched == found.matched)
            {
                continue;
            }
            let mut best: Option<usize> = None;
            let mut stream = analyzer.token_stream(&found.matched);
            while stream.advance() {
                let term = &stream.token().text;
                if let Some(k) = like.iter().position(|t| &t.word == term)
                    && best.is_none_or(|b| like[k].weight > like[b].weight)
                {
                    best = Some(k);
                }
            }
            drop(stream);
            let Some(k) = best else { continue };
            let alternatives = groups.entry(k).or_default();
            for alternative in &found.alternatives {
                if !alternatives.contains(alternative) {
                    alternatives.push(alternative.clone());
                }
            }
            applied.push(found);
        }
    }
    for (k, alternatives) in groups {
        let parsed = query::parse_with(&group(&alternatives), true, None, &[analysis])?;
        like[k].synonyms = Some(super::plan::with_bonus(parsed.query, &parsed.proximity));
    }
    Ok((like, applied))
}

/// The article's most distinctive words with their weights (tf × idf, the best
/// first): words in 2 or more articles but not in more than a fifth of them, and
/// not standing words of the article's source (on `SOURCE_WORD_SHARE` of its
/// articles: mastheads, standing boxes, learned per source as scraped pages'
/// boilerplate is per folder).
pub fn like_terms(
    stats: &impl WordStats,
    article: &crate::article::Article,
) -> Result<Vec<(String, f32)>> {
    // The words as its language's analysis indexed them.
    let mut analyzer = crate::index::analyzer::indexing_analyzer(
        crate::index::analysis::Analysis::of(article.lang.as_deref().unwrap_or_default()),
    );
    let mut counts: HashMap<String, u32> = HashMap::new();
    // The headline names the story (a front page holds many): its words count more.
    for (text, weight) in [(&article.title, TITLE_WEIGHT), (&article.body, 1)] {
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let word = &stream.token().text;
            // Misread words (OCR garbage) are rare, so they would weigh most.
            if word.chars().count() >= 3 && crate::ingest::ocr::is_word_like(word) {
                *counts.entry(word.clone()).or_default() += weight;
            }
        }
    }
    let mut counts: Vec<(String, u32)> = counts.into_iter().collect();
    counts.sort();
    let docs = stats.articles()?.max(1.0);
    let words: Vec<String> = counts.iter().map(|(w, _)| w.clone()).collect();
    let mut scored: Vec<(String, f32, f64)> = Vec::new();
    for ((word, tf), df) in counts.into_iter().zip(stats.doc_freqs(&words)?) {
        // Words in only a handful of a large index's articles are mostly misreadings.
        if df < (docs / 1000.0).max(3.0) || df > (docs / 2.0).max(3.0) {
            continue;
        }
        // Repeats count, less and less (a page can name a town twenty times).
        let weight = (1.0 + f64::from(tf).ln()) * (docs / df).ln();
        scored.push((word, weight as f32, df / docs));
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    scored.truncate(CANDIDATE_TERMS);
    let weights = |scored: Vec<(String, f32, f64)>| -> Vec<(String, f32)> {
        scored
            .into_iter()
            .take(QUERY_TERMS)
            .map(|(w, s, _)| (w, s))
            .collect()
    };
    let Some(label) = article.source_label() else {
        return Ok(weights(scored));
    };
    let articles = stats.source_articles(&label)?;
    if articles < MIN_SOURCE_ARTICLES {
        return Ok(weights(scored));
    }
    let words: Vec<String> = scored.iter().map(|(w, _, _)| w.clone()).collect();
    let in_source = stats.source_freqs(&label, &words)?;
    let mut kept = Vec::with_capacity(QUERY_TERMS);
    for ((word, weight, overall), count) in scored.into_iter().zip(in_source) {
        let share = count / articles as f64;
        if share < SOURCE_WORD_SHARE || share < SOURCE_WORD_LIFT * overall {
            kept.push((word, weight));
            if kept.len() == QUERY_TERMS {
                break;
            }
        }
    }
    Ok(kept)
}
