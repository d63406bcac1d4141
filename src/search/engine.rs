//! The search written once: parse, filter, rank, count, suggest and mark, over an
//! [`Engine`] — the local index or a Quickwit index. What an engine cannot do is
//! said in one place: [`Engine::suggest`] and [`Engine::fuzzy_retry`] need a term
//! dictionary, which only the local index lets us read.

use std::collections::HashMap;
use std::time::Instant;

use super::filter::SourceNames;
use super::plan::{Plan, TextField};
use super::similar::{Like, WordStats};
use super::snippet::Marks;
use super::synonyms::Expansion;
use super::timeline::Counts;
use super::{Duplicate, Hit, Marker, SearchRequest, SearchResults, query};
use crate::article::Article;
use crate::error::Result;
use crate::index::analysis;
use crate::index::resume::ResumePoints;

/// Copies of a story listed by name under its hit (all are counted).
pub const LISTED_COPIES: usize = 20;

/// One hit of a ranked page: the article shown and the copies collapsed into it.
pub struct Story {
    /// Its score (0 when sorted by date).
    pub score: f32,
    /// The article shown.
    pub lead: Article,
    /// Its detected language.
    pub lang: Option<String>,
    /// How many near-duplicates were collapsed into it.
    pub copy_count: usize,
    /// The first [`LISTED_COPIES`] of them, earliest first.
    pub copies: Vec<Article>,
    /// Where the local index holds the article shown (to read its words' positions).
    pub address: Option<tantivy::DocAddress>,
    /// Where reading its body can resume (from the local index; none elsewhere).
    pub resume: ResumePoints,
}

/// A ranked page with the counts of the matching set when they came with it: the
/// total, the page, whether a page follows, the counts.
pub type Counted = (usize, Vec<Story>, bool, Option<Counts>);

/// Weights of the query's exact words per field: rare words steer the passages.
pub type Weights = HashMap<String, f32>;

/// What a search needs of where the articles are, and what more-like-this needs
/// to know of their words.
pub trait Engine: WordStats {
    /// A query plan in the engine's own terms.
    type Query;

    /// Every source name, to resolve `--source`.
    fn source_names(&self) -> Result<SourceNames>;
    /// The language codes of the articles held (`und` included), to analyse a
    /// query in each.
    fn languages(&self) -> Result<Vec<String>>;
    /// The plan in the engine's terms, with notes on what it reads differently.
    fn compile(&self, plan: &Plan) -> Result<(Self::Query, Vec<String>)>;
    /// [`Engine::compile`] for ranking, with `bonus` clauses that add to the
    /// scores where they match (the proximity bonus). By default they join the
    /// plan, scored on every match; the local index adds them to its best
    /// candidates' scores only.
    fn compile_ranked(&self, plan: &Plan, bonus: &[Plan]) -> Result<(Self::Query, Vec<String>)> {
        self.compile(&super::plan::with_bonus(plan.clone(), bonus))
    }
    /// The query's marks, told before ranking when the page is to be marked: an
    /// engine can fetch what [`Engine::weights`] needs with the page (Quickwit does,
    /// saving a request).
    fn will_mark(&self, title: &Marks, body: &Marks) {
        let _ = (title, body);
    }
    /// The total, the requested page (stories when collapsing) and whether a page follows.
    fn rank(
        &self,
        query: &Self::Query,
        request: &SearchRequest,
    ) -> Result<(usize, Vec<Story>, bool)>;
    /// Days, sources and languages of the matching set (`total` of them).
    fn counts(&self, query: &Self::Query, total: usize) -> Result<Counts>;
    /// [`Engine::rank`] and [`Engine::counts`] together: an engine that can
    /// collect both in one pass over the matching set gives the counts here (the
    /// local index does); `None` leaves them to [`Engine::counts`] (Quickwit,
    /// whose aggregations are another request).
    fn rank_counted(&self, query: &Self::Query, request: &SearchRequest) -> Result<Counted> {
        let (total, page, more) = self.rank(query, request)?;
        Ok((total, page, more, None))
    }
    /// IDF-like weights of the exact words in headlines and in bodies.
    fn weights(&self, title: &Marks, body: &Marks) -> Result<(Weights, Weights)>;
    /// A corrected query from the index's vocabulary, when it has one to offer
    /// (Quickwit: never).
    fn suggest(&self, query: &str, words: &[(String, String)]) -> Result<Option<String>>;
    /// Whether a single word that finds nothing is retried as a fuzzy word
    /// (Quickwit: no; fuzzy words are searched exactly there, with a note).
    fn fuzzy_retry(&self) -> bool;
    /// Articles like the one `like` names, collapsed into stories, best first:
    /// the total and the first `like.limit` stories (each with its first
    /// [`LISTED_COPIES`](super::similar::LISTED_COPIES) copies), each with whether it is a
    /// near-duplicate of that article.
    fn rank_like(&self, like: &Like) -> Result<(usize, Vec<(Story, bool)>)>;
    /// Where `terms` stand in the body of the story's article, as (word position,
    /// term) in order, so its passages are found without analysing its text;
    /// `None` where the engine keeps no positions to read (Quickwit returns
    /// documents, not postings: the text is analysed there).
    fn positions(&self, story: &Story, terms: &[String]) -> Result<Option<Vec<(usize, String)>>> {
        let _ = (story, terms);
        Ok(None)
    }
}

/// Work written once over any [`Engine`] (a search, trends): a
/// [`Store`](crate::store::Store) runs it on the engine it has.
pub trait Job {
    /// What the work gives.
    type Output;
    /// Does the work on `engine`.
    fn run<E: Engine>(self, engine: &E) -> Result<Self::Output>;
}

/// A search as a [`Job`].
impl Job for &SearchRequest {
    type Output = SearchResults;
    fn run<E: Engine>(self, engine: &E) -> Result<SearchResults> {
        run(engine, self)
    }
}

/// The languages a query is read in: those `chosen` (`--query-lang`, each reading
/// then for every article), else those `filters` keep (articles of undetermined
/// language match every `--lang`, and are analysed as English), else every
/// language `engine` holds; each reading for the articles of its languages.
pub fn analyses<E: Engine>(
    engine: &E,
    filters: &super::filter::Filters,
    chosen: Option<&[analysis::Analysis]>,
) -> Result<query::Readings> {
    let langs: Vec<String> = match chosen {
        Some(chosen) => {
            return Ok(query::Readings {
                analyses: chosen.to_vec(),
                langs: None,
            });
        }
        None if !filters.langs.is_empty() => filters
            .langs
            .iter()
            .cloned()
            .chain([crate::index::language::UNDETERMINED.to_string()])
            .collect(),
        None => engine.languages()?,
    };
    Ok(query::Readings {
        analyses: analysis::of_codes(langs.iter().map(String::as_str)),
        langs: Some(langs),
    })
}

/// Runs `request` on `engine`.
pub fn run<E: Engine>(engine: &E, request: &SearchRequest) -> Result<SearchResults> {
    let started = Instant::now();
    request.check_offset("offset")?;
    let analyses = analyses(engine, &request.filters, request.query_langs.as_deref())?;
    let query::ParsedQuery {
        query,
        proximity,
        title_marks,
        body_marks,
        words,
        notes: parse_notes,
        synonyms,
    } = query::parse_read(
        &request.query,
        request.match_any,
        request.synonyms.as_deref(),
        &analyses,
    )?;
    let names = if request.filters.sources.is_empty() {
        SourceNames::default()
    } else {
        engine.source_names()?
    };
    let (plan, filter_notes) = request.filters.apply(&names, query);
    let unknown_source = !filter_notes.is_empty();
    let (query, engine_notes) = engine.compile_ranked(&plan, &proximity)?;
    let mut notes = parse_notes;
    notes.extend(filter_notes);
    notes.extend(engine_notes);

    if request.highlight {
        engine.will_mark(&title_marks, &body_marks);
    }
    let (total, page, more, counted) = if request.wants_counts() {
        engine.rank_counted(&query, request)?
    } else {
        let (total, page, more) = engine.rank(&query, request)?;
        (total, page, more, None)
    };
    let next_offset = more.then(|| request.offset + page.len());
    let (timeline, top_sources, languages) = match counted {
        Some(counts) => counts.report(request.timeline, request.top_sources),
        None if request.wants_counts() => engine
            .counts(&query, total)?
            .report(request.timeline, request.top_sources),
        None => Default::default(),
    };

    let mut suggestion = None;
    // A source no article has explains the empty result; the words are not at fault.
    if total == 0 && !words.is_empty() && !unknown_source {
        if let Some(found) = engine.suggest(&request.query, &words)? {
            notes.push(format!("no matches; did you mean: {found}?"));
            suggestion = Some(found);
        }
        if let Some(mut fuzzy) = fuzzy_retry(engine, request, &words, &synonyms)? {
            fuzzy.suggestion = suggestion;
            fuzzy.elapsed = started.elapsed();
            return Ok(fuzzy);
        }
    }
    let hits = hits(engine, request, (&title_marks, &body_marks), page)?;
    Ok(SearchResults {
        hits,
        total,
        elapsed: started.elapsed(),
        notes,
        timeline,
        top_sources,
        languages,
        suggestion,
        next_offset,
        synonyms,
    })
}

/// The same search with its one word spelled loosely (`word~1`, `word~2` past five
/// letters), when nothing matched it as typed and the engine can: its results if
/// that finds anything. Counts and path lists stay exact, as grep's would; people
/// get the retry. A word a synonym list replaced is not retried as typed.
fn fuzzy_retry<E: Engine>(
    engine: &E,
    request: &SearchRequest,
    words: &[(String, String)],
    synonyms: &[Expansion],
) -> Result<Option<SearchResults>> {
    let single = request.highlight
        && synonyms.is_empty()
        && words.len() == 1
        && request
            .query
            .trim()
            .chars()
            .all(|c| c.is_alphanumeric() || c == '\'' || c == '-');
    if !single || !engine.fuzzy_retry() {
        return Ok(None);
    }
    let word = &words[0].0;
    let distance = if word.chars().count() > 5 { 2 } else { 1 };
    let retry = SearchRequest {
        query: format!("{}~{distance}", request.query.trim()),
        ..request.clone()
    };
    let mut fuzzy = run(engine, &retry)?;
    if fuzzy.total == 0 {
        return Ok(None);
    }
    fuzzy.notes.insert(
        0,
        format!(
            "no matches for `{}`; showing fuzzy matches ({})",
            request.query.trim(),
            retry.query
        ),
    );
    Ok(Some(fuzzy))
}

/// The page's stories as hits, numbered from the request's offset, their
/// passages and highlights marked when the request asks for them.
fn hits<E: Engine>(
    engine: &E,
    request: &SearchRequest,
    (title_marks, body_marks): (&Marks, &Marks),
    page: Vec<Story>,
) -> Result<Vec<Hit>> {
    let mut marker = if request.highlight && !page.is_empty() {
        let (title, body) = engine.weights(title_marks, body_marks)?;
        Some(Marker::new((title_marks, body_marks), |_, field| {
            if field == TextField::Title {
                title.clone()
            } else {
                body.clone()
            }
        }))
    } else {
        None
    };
    let mut hits = Vec::with_capacity(page.len());
    for (n, story) in page.into_iter().enumerate() {
        let at = match marker
            .as_mut()
            .and_then(|m| m.position_terms(story.lang.as_deref()))
        {
            Some(terms) => engine.positions(&story, &terms)?,
            None => None,
        };
        let mut lead = story.lead;
        let body = std::mem::take(&mut lead.body);
        let mut hit = Hit::of(request.offset + n + 1, story.score, lead, story.lang);
        hit.similar_count = story.copy_count;
        hit.similar = story.copies.into_iter().map(Duplicate::from).collect();
        if let Some(marker) = marker.as_mut() {
            let at = at.as_deref().map(|at| (at, &story.resume));
            marker.mark(&mut hit, &body, at, request);
        }
        hits.push(hit);
    }
    Ok(hits)
}
