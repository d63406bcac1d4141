//! `news-search trends`: how often queries were printed over time, as a share of
//! everything printed then. For each query and period it gives the matching
//! articles, all articles of the period (under the same filters) and the share.
//! Written once over an [`Engine`], so it works the same on Quickwit.

use super::engine::{Engine, Job};
use super::filter::{Filters, SourceNames};
use super::timeline::{Counts, TimeUnit};
use super::{SearchRequest, query};
use crate::error::{Error, Result};

/// Most queries one comparison takes.
pub const MAX_QUERIES: usize = 20;

/// What to compare.
#[derive(Debug, Clone)]
pub struct TrendsRequest {
    /// The queries, in the documented syntax.
    pub queries: Vec<String>,
    /// Date window, sources, languages: applied to the matches and to the
    /// articles they are a share of.
    pub filters: Filters,
    /// Match articles with any of a query's words instead of all of them.
    pub match_any: bool,
    /// The period; `None` chooses one from the span of the dated articles.
    pub per: Option<TimeUnit>,
}

impl TrendsRequest {
    /// Refuses what cannot be compared: no query, too many, a unit that is not time.
    pub fn check(&self, prefix: &str) -> Result<()> {
        if self.queries.iter().all(|q| q.trim().is_empty()) {
            return Err(Error::Usage(
                "trends needs at least one query (`news-search trends 'war' 'peace'`)".into(),
            ));
        }
        if self.queries.len() > MAX_QUERIES {
            return Err(Error::Usage(format!(
                "at most {MAX_QUERIES} queries are compared at once"
            )));
        }
        if matches!(self.per, Some(TimeUnit::Source | TimeUnit::Auto)) {
            return Err(Error::Usage(format!(
                "{prefix}per: use day, week, month or year"
            )));
        }
        Ok(())
    }
}

/// One query's line.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// The query as given.
    pub query: String,
    /// Matching articles per period, in the order of [`Trends::periods`].
    pub matches: Vec<usize>,
    /// Matching articles in all, and those without a date (in no period).
    pub total: usize,
    /// Matching articles without a date.
    pub undated: usize,
}

/// Queries compared over the same periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Trends {
    /// The period's unit.
    pub unit: TimeUnit,
    /// Periods, oldest first, every one between the first and the last dated
    /// article (as `--since` takes them: `1916`, `1916-03`, `1916-W09`, `1916-03-04`).
    pub periods: Vec<String>,
    /// All articles of each period, under the filters.
    pub articles: Vec<usize>,
    /// Articles under the filters that have no date.
    pub undated: usize,
    /// One line per query, in the order given.
    pub trends: Vec<Trend>,
    /// Notes on the queries (as a search gives them).
    pub notes: Vec<String>,
}

/// One row of the answer: a query in a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    /// The query.
    pub query: &'a str,
    /// The period.
    pub period: &'a str,
    /// Matching articles in it.
    pub matches: usize,
    /// All articles in it.
    pub articles: usize,
    /// `matches / articles` (`None` for a period without articles).
    pub share: Option<f64>,
}

impl Trends {
    /// Every (query, period) row, query by query.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.trends.iter().flat_map(move |trend| {
            self.periods
                .iter()
                .zip(&self.articles)
                .zip(&trend.matches)
                .map(|((period, &articles), &matches)| Row {
                    query: &trend.query,
                    period,
                    matches,
                    articles,
                    share: (articles > 0).then(|| share(matches, articles)),
                })
        })
    }
}

/// `part / whole`, 0 when the whole is empty.
pub fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

impl Job for &TrendsRequest {
    type Output = Trends;

    fn run<E: Engine>(self, engine: &E) -> Result<Trends> {
        self.check("--")?;
        let names = if self.filters.sources.is_empty() {
            SourceNames::default()
        } else {
            engine.source_names()?
        };
        let mut notes = Vec::new();
        let analyses = super::engine::analyses(engine, &self.filters, None)?;
        let mut count = |text: &str| -> Result<(Counts, usize)> {
            let parsed = query::parse_read(text, self.match_any, None, &analyses)?;
            let (plan, filter_notes) = self.filters.apply(&names, parsed.query);
            let (compiled, engine_notes) = engine.compile(&plan)?;
            for note in parsed
                .notes
                .into_iter()
                .chain(filter_notes)
                .chain(engine_notes)
            {
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
            let request = SearchRequest {
                limit: 0,
                highlight: false,
                collapse: false,
                ..SearchRequest::new(text)
            };
            let (total, _, _) = engine.rank(&compiled, &request)?;
            Ok((engine.counts(&compiled, total)?, total))
        };
        let (all, _) = count("*")?;
        if all.days.is_empty() {
            return Err(Error::Usage(format!(
                "no dated article {}: trends count articles by their date ({} articles here have none)",
                if self.filters.is_empty() {
                    "in the index"
                } else {
                    "under these filters"
                },
                all.undated
            )));
        }
        let unit = self.per.unwrap_or_else(|| all.fitting_unit());
        let background = all.timeline(unit);
        let periods: Vec<String> = background.buckets.iter().map(|(p, _)| p.clone()).collect();
        let articles = background.buckets.iter().map(|(_, n)| *n).collect();
        let mut trends = Vec::with_capacity(self.queries.len());
        for text in &self.queries {
            let (counts, total) = count(text)?;
            let line = counts.timeline(unit);
            let by_period: std::collections::HashMap<&str, usize> =
                line.buckets.iter().map(|(p, n)| (p.as_str(), *n)).collect();
            trends.push(Trend {
                query: text.clone(),
                matches: periods
                    .iter()
                    .map(|p| by_period.get(p.as_str()).copied().unwrap_or(0))
                    .collect(),
                total,
                undated: counts.undated,
            });
        }
        Ok(Trends {
            unit,
            periods,
            articles,
            undated: all.undated,
            trends,
            notes,
        })
    }
}
