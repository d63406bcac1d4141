//! A compiled query as plain values: which words, phrases, prefixes and date ranges
//! in which fields, combined how. The query compiler (`query`), the filters and the
//! proximity bonus produce a [`Plan`]; `to_tantivy` runs it on the local index and
//! `quickwit::query` turns it into a request to Quickwit. Neither side re-reads the
//! user's text, so both search for the same thing.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, ExistsQuery, FuzzyTermQuery,
    Occur as TantivyOccur, PhrasePrefixQuery, PhraseQuery, Query, RangeQuery, RegexQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::expand;
use super::phrase::ExactPhraseQuery;
use crate::error::{Error, Result};
use crate::index::NewsIndex;

/// How a clause takes part in a [`Plan::Bool`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    /// Must match (and scores).
    Must,
    /// May match; with no `Must` clause, one of them must.
    Should,
    /// Must not match.
    MustNot,
}

impl Occur {
    /// The same in Tantivy's terms.
    fn to_tantivy(self) -> TantivyOccur {
        match self {
            Occur::Must => TantivyOccur::Must,
            Occur::Should => TantivyOccur::Should,
            Occur::MustNot => TantivyOccur::MustNot,
        }
    }
}

/// The analysed text fields a plan searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TextField {
    /// Headline words.
    Title,
    /// Body words.
    Body,
    /// Headline stop words.
    TitleStops,
    /// Body stop words.
    BodyStops,
    /// Words of the source's name.
    Source,
    /// Words of the author's name.
    Author,
}

impl TextField {
    /// The field that holds this field's stop words, if it has one.
    pub fn stops(self) -> Option<TextField> {
        match self {
            TextField::Title => Some(TextField::TitleStops),
            TextField::Body => Some(TextField::BodyStops),
            _ => None,
        }
    }
}

/// Fields matched whole, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyField {
    /// Article id.
    Id,
    /// URL.
    Url,
    /// Language code.
    Lang,
    /// Source name as printed.
    SourceExact,
    /// The canonical path of the article's file.
    File,
}

/// What to match. In each variant, `field` is where to look and `text` an analysed
/// term (or a whole stored value, for [`Plan::Key`]); `terms` hold analysed terms
/// with their positions in the phrase.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// Every article.
    All,
    /// No article.
    Nothing,
    /// Clauses combined.
    Bool(Vec<(Occur, Plan)>),
    /// A clause weighing `f32` times as much.
    Boost(Box<Plan>, f32),
    /// Narrows the matches, adds nothing to scores.
    Filter(Box<Plan>),
    /// An analysed term, scored.
    Term { field: TextField, text: String },
    /// A whole stored value.
    Key { field: KeyField, text: String },
    /// Any of these whole stored values (a set of article ids: one term-set
    /// look-up, however many).
    Keys { field: KeyField, texts: Vec<String> },
    /// Terms starting with `text`.
    Prefix { field: TextField, text: String },
    /// Terms within `distance` edits of `text` (all scoring alike).
    Fuzzy {
        field: TextField,
        text: String,
        distance: u8,
    },
    /// Terms holding the one CJK character `c` (indexed in two-character pieces).
    Containing { field: TextField, c: char },
    /// Terms at these positions, `slop` apart at most; the last a prefix if `prefix`.
    Phrase {
        field: TextField,
        terms: Vec<(usize, String)>,
        slop: u32,
        prefix: bool,
    },
    /// A phrase with its stop words exactly: `words` in `field`, `stops` in its stop
    /// field, at their positions. Narrows, does not score.
    Exact {
        field: TextField,
        words: Vec<(usize, String)>,
        stops: Vec<(usize, String)>,
    },
    /// Published in this window (seconds since the epoch).
    Dates { from: Bound<i64>, to: Bound<i64> },
    /// OCR quality below this (articles without a quality are not below anything).
    QualityBelow(f64),
    /// Has a publication date.
    Dated,
}

impl Plan {
    /// `plan` required, `filters` narrowing it.
    pub fn filtered(plan: Plan, filters: Vec<Plan>) -> Plan {
        if filters.is_empty() {
            return plan;
        }
        let mut clauses = vec![(Occur::Must, plan)];
        clauses.extend(
            filters
                .into_iter()
                .map(|f| (Occur::Must, Plan::Filter(Box::new(f)))),
        );
        Plan::Bool(clauses)
    }

    /// Visits this plan and every plan inside it.
    pub fn walk<'a>(&'a self, visit: &mut impl FnMut(&'a Plan)) {
        visit(self);
        match self {
            Plan::Bool(clauses) => clauses.iter().for_each(|(_, p)| p.walk(visit)),
            Plan::Boost(inner, _) | Plan::Filter(inner) => inner.walk(visit),
            _ => {}
        }
    }
}

/// The local index's field for `field`.
fn text_field(index: &NewsIndex, field: TextField) -> Field {
    let fields = index.fields;
    match field {
        TextField::Title => fields.title,
        TextField::Body => fields.body,
        TextField::TitleStops => fields.title_stops,
        TextField::BodyStops => fields.body_stops,
        TextField::Source => fields.source,
        TextField::Author => fields.author,
    }
}

/// The plan as a Tantivy query on the local index (fuzzy words are looked up in
/// its term dictionary here).
pub fn to_tantivy(index: &NewsIndex, searcher: &Searcher, plan: &Plan) -> Result<Box<dyn Query>> {
    Ok(match plan {
        Plan::All => Box::new(AllQuery),
        Plan::Nothing => Box::new(EmptyQuery),
        Plan::Bool(clauses) => {
            let mut out: Vec<(TantivyOccur, Box<dyn Query>)> = Vec::with_capacity(clauses.len());
            for (occur, sub) in clauses {
                out.push((occur.to_tantivy(), to_tantivy(index, searcher, sub)?));
            }
            Box::new(BooleanQuery::new(out))
        }
        Plan::Boost(inner, boost) => {
            Box::new(BoostQuery::new(to_tantivy(index, searcher, inner)?, *boost))
        }
        Plan::Filter(inner) => Box::new(ConstScoreQuery::new(
            to_tantivy(index, searcher, inner)?,
            0.0,
        )),
        Plan::Fuzzy {
            field,
            text,
            distance,
        } => fuzzy(index, searcher, *field, text, *distance)?,
        leaf => leaf_query(index, leaf)?,
    })
}

/// A plan that holds no other plan, as a Tantivy query: words, phrases, keys and
/// ranges (fuzzy words, which read the term dictionary, are [`fuzzy`]).
fn leaf_query(index: &NewsIndex, plan: &Plan) -> Result<Box<dyn Query>> {
    let term = |field: TextField, text: &str| Term::from_field_text(text_field(index, field), text);
    let positioned = |field: TextField, terms: &[(usize, String)]| -> Vec<(usize, Term)> {
        terms.iter().map(|(p, t)| (*p, term(field, t))).collect()
    };
    Ok(match plan {
        Plan::Term { field, text } => Box::new(TermQuery::new(
            term(*field, text),
            IndexRecordOption::WithFreqs,
        )),
        Plan::Key { field, text } => Box::new(TermQuery::new(
            Term::from_field_text(key_field(&index.fields, *field), text),
            IndexRecordOption::Basic,
        )),
        Plan::Keys { field, texts } => {
            let field = key_field(&index.fields, *field);
            Box::new(tantivy::query::TermSetQuery::new(
                texts.iter().map(|t| Term::from_field_text(field, t)),
            ))
        }
        Plan::Prefix { field, text } => {
            Box::new(FuzzyTermQuery::new_prefix(term(*field, text), 0, true))
        }
        Plan::Containing { field, c } => Box::new(
            RegexQuery::from_pattern(&format!("{c}.?|.{c}"), text_field(index, *field))
                .map_err(|e| Error::index(&index.dir, e))?,
        ),
        Plan::Phrase {
            field,
            terms,
            slop,
            prefix,
        } => {
            let terms = positioned(*field, terms);
            if *prefix {
                Box::new(PhrasePrefixQuery::new_with_offset(terms))
            } else {
                Box::new(PhraseQuery::new_with_offset_and_slop(terms, *slop))
            }
        }
        Plan::Exact {
            field,
            words,
            stops,
        } => {
            let stops_field = field.stops().unwrap_or(*field);
            let mut all = positioned(*field, words);
            all.extend(positioned(stops_field, stops));
            Box::new(ConstScoreQuery::new(
                Box::new(ExactPhraseQuery::new(all)),
                0.0,
            ))
        }
        Plan::Dates { from, to } => {
            let date = |at: &i64| Term::from_field_i64(index.fields.date, *at);
            Box::new(RangeQuery::new(
                from.as_ref().map(date),
                to.as_ref().map(date),
            ))
        }
        Plan::Dated => Box::new(ExistsQuery::new("date".into(), false)),
        Plan::QualityBelow(below) => Box::new(RangeQuery::new(
            Bound::Unbounded,
            Bound::Excluded(Term::from_field_f64(index.fields.ocr_quality, *below)),
        )),
        Plan::All
        | Plan::Nothing
        | Plan::Bool(_)
        | Plan::Boost(..)
        | Plan::Filter(_)
        | Plan::Fuzzy { .. } => {
            return Err(Error::Internal(
                "a plan that holds others was taken for a leaf".into(),
            ));
        }
    })
}

/// The words of the index within `distance` edits of `text` (the closest
/// [`MAX_EXPANSIONS`](super::query::MAX_EXPANSIONS)), any of them, each scoring
/// alike.
fn fuzzy(
    index: &NewsIndex,
    searcher: &Searcher,
    field: TextField,
    text: &str,
    distance: u8,
) -> Result<Box<dyn Query>> {
    let tantivy_field = text_field(index, field);
    let found = expand::fuzzy_terms(index, searcher, tantivy_field, text, distance)?;
    let clauses: Vec<(TantivyOccur, Box<dyn Query>)> =
        expand::closest(found, text, super::query::MAX_EXPANSIONS)
            .into_iter()
            .map(|close| {
                let term = Term::from_field_text(tantivy_field, &close);
                let query = TermQuery::new(term, IndexRecordOption::Basic);
                (TantivyOccur::Should, Box::new(query) as Box<dyn Query>)
            })
            .collect();
    if clauses.is_empty() {
        return Ok(Box::new(EmptyQuery));
    }
    Ok(Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::new(clauses)),
        1.0,
    )))
}

/// `query` with `bonus` clauses that add to its scores where they match (the
/// proximity bonus), as one plan: for an engine that cannot rescore its best
/// candidates, and for work that wants the bonus over every match.
pub fn with_bonus(query: Plan, bonus: &[Plan]) -> Plan {
    if bonus.is_empty() {
        return query;
    }
    let mut clauses = vec![(Occur::Must, query)];
    clauses.extend(bonus.iter().map(|b| (Occur::Should, b.clone())));
    Plan::Bool(clauses)
}

/// The index field of a whole stored value.
fn key_field(fields: &crate::index::Fields, field: KeyField) -> tantivy::schema::Field {
    match field {
        KeyField::Id => fields.id,
        KeyField::Url => fields.url,
        KeyField::Lang => fields.lang,
        KeyField::SourceExact => fields.source_exact,
        KeyField::File => fields.file_key,
    }
}
