//! Restrictions that are not words: a publication-date window (`--since`,
//! `--until`) and a set of sources (`--source`, repeatable). They narrow the
//! matching set without changing the ranking.

use std::ops::Bound;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use tantivy::Searcher;

use super::plan::{KeyField, Occur, Plan, TextField};
use crate::index::NewsIndex;
use crate::ingest::date::parse_date;

/// Which articles may match, besides the words.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Published at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Published before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Published by one of these sources: the whole name, ignoring case, accents,
    /// punctuation and a leading "The"; `~words` matches names that contain the words.
    pub sources: Vec<String>,
    /// Written in one of these languages (stored codes, as `language::normalize` gives).
    pub langs: Vec<String>,
    /// OCR quality at least this (0 to 1); articles without a quality are kept.
    pub min_ocr_quality: Option<f64>,
    /// From one of these files (canonical paths): one issue, for IIIF search.
    pub files: Vec<String>,
    /// One of these articles (`None`: any): the articles an `index` run added,
    /// for the watches.
    pub ids: Option<Vec<String>>,
}

/// Which end of a period a date flag names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// `--since`: the period's first instant.
    Start,
    /// `--until`: the first instant after the period (the period is included).
    End,
}

/// Longest span accepted, in seconds: ten thousand years, past any archive.
const MAX_SPAN_SECS: f64 = 10_000.0 * 365.25 * 86_400.0;

/// Reads a span such as `12h`, `30d`, `2w`, `3m`, `1y` or `1.5y` (a month is 30
/// days, a year 365): the one parser of relative times, for `--since`, `--until`,
/// `--recent` and `date:[…]`. Checked: a span over ten thousand years, or that is
/// not a finite non-negative number, is an error, never an overflow.
pub fn parse_span(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let bad = || format!("`{text}` is not a span: use a number and h, d, w, m or y, as in 30d");
    let unit = text.chars().last().ok_or_else(bad)?;
    let hours = match unit {
        'h' => 1.0,
        'd' => 24.0,
        'w' => 24.0 * 7.0,
        'm' => 24.0 * 30.0,
        'y' => 24.0 * 365.0,
        _ => return Err(bad()),
    };
    let number = &text[..text.len() - 1];
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(bad());
    }
    let amount: f64 = number.parse().map_err(|_| bad())?;
    let seconds = amount * hours * 3600.0;
    if !seconds.is_finite() || seconds > MAX_SPAN_SECS {
        return Err(format!(
            "`{text}` is longer than the largest span, ten thousand years"
        ));
    }
    // In range: at most about 3.2e11 seconds, well inside i64.
    Duration::try_seconds(seconds.round() as i64).ok_or_else(bad)
}

/// Reads `2024`, `2024-07`, `2024-07-04`, an RFC 3339 time, or `7d`/`2w`/`3m`/`1y`
/// (that long before `now`) as the `edge` of the period it names.
pub fn parse_edge(text: &str, edge: Edge, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    let bad = || {
        format!(
            "`{text}` is not a date: use 2024, 2024-07, 2024-W27, 2024-07-04, an RFC 3339 time, or 7d, 2w, 3m, 1y"
        )
    };
    if text.ends_with(['h', 'd', 'w', 'm', 'y']) && text.starts_with(|c: char| c.is_ascii_digit()) {
        let span = parse_span(text)?;
        return now.checked_sub_signed(span).ok_or_else(bad);
    }
    let day = |y: i32, m: u32, d: u32| {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc())
    };
    let parts: Vec<&str> = text.split('-').collect();
    let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
    // An ISO week, as the weekly timeline labels its periods: `2024-W27`.
    let week = match parts.as_slice() {
        [year, week] if year.len() == 4 => week
            .strip_prefix(['W', 'w'])
            .and_then(|w| Some((year.parse::<i32>().ok()?, w.parse::<u32>().ok()?))),
        _ => None,
    };
    let start_end = match (parts.len(), numbers) {
        _ if week.is_some() => week.and_then(|(year, week)| {
            let monday = NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon)?;
            let start = monday.and_hms_opt(0, 0, 0)?.and_utc();
            Some((start, start + Duration::days(7)))
        }),
        (1, Some(n)) if parts[0].len() == 4 => {
            day(n[0] as i32, 1, 1).zip(day(n[0] as i32 + 1, 1, 1))
        }
        (2, Some(n)) if parts[0].len() == 4 => {
            let next = if n[1] == 12 {
                day(n[0] as i32 + 1, 1, 1)
            } else {
                day(n[0] as i32, n[1] + 1, 1)
            };
            day(n[0] as i32, n[1], 1).zip(next)
        }
        (3, Some(n)) if parts[0].len() == 4 => {
            day(n[0] as i32, n[1], n[2]).map(|d| (d, d + Duration::days(1)))
        }
        _ => parse_date(text).map(|d| (d, d)),
    };
    let (start, end) = start_end.ok_or_else(bad)?;
    debug_assert!(start.year() <= end.year());
    Ok(if edge == Edge::Start { start } else { end })
}

impl Filters {
    /// True when nothing is restricted.
    pub fn is_empty(&self) -> bool {
        self.since.is_none()
            && self.until.is_none()
            && self.sources.is_empty()
            && self.langs.is_empty()
            && self.min_ocr_quality.is_none()
            && self.files.is_empty()
            && self.ids.is_none()
    }

    /// `query` narrowed by the filters, with a note for each source name that no
    /// article has (such a name matches nothing). `names` are the index's sources.
    pub fn apply(&self, names: &SourceNames, query: Plan) -> (Plan, Vec<String>) {
        let mut notes = Vec::new();
        let mut filters = Vec::new();
        if self.since.is_some() || self.until.is_some() {
            let at = |d: &DateTime<Utc>| d.timestamp();
            filters.push(Plan::Dates {
                from: self
                    .since
                    .as_ref()
                    .map_or(Bound::Unbounded, |d| Bound::Included(at(d))),
                to: self
                    .until
                    .as_ref()
                    .map_or(Bound::Unbounded, |d| Bound::Excluded(at(d))),
            });
        }
        if !self.sources.is_empty() {
            let mut any: Vec<(Occur, Plan)> = Vec::new();
            for wanted in &self.sources {
                if let Some(words) = wanted.trim().strip_prefix('~') {
                    any.push((Occur::Should, source_words_plan(words)));
                    continue;
                }
                let exact = names.matching(wanted);
                if exact.is_empty() {
                    notes.push(names.none_named(wanted));
                }
                for name in exact {
                    let key = Plan::Key {
                        field: KeyField::SourceExact,
                        text: name.to_string(),
                    };
                    any.push((Occur::Should, key));
                }
            }
            filters.push(if any.is_empty() {
                Plan::Nothing
            } else {
                Plan::Bool(any)
            });
        }
        if !self.langs.is_empty() {
            let any = self
                .langs
                .iter()
                .map(|code| (Occur::Should, lang_plan(code)))
                .collect();
            filters.push(Plan::Bool(any));
        }
        if !self.files.is_empty() {
            let any = self
                .files
                .iter()
                .map(|key| {
                    let file = Plan::Key {
                        field: KeyField::File,
                        text: key.clone(),
                    };
                    (Occur::Should, file)
                })
                .collect();
            filters.push(Plan::Bool(any));
        }
        if let Some(ids) = &self.ids {
            filters.push(Plan::Keys {
                field: KeyField::Id,
                texts: ids.clone(),
            });
        }
        if let Some(min) = self.min_ocr_quality {
            filters.push(Plan::Bool(vec![
                (Occur::Must, Plan::All),
                (Occur::MustNot, Plan::QualityBelow(min)),
            ]));
        }
        (Plan::filtered(query, filters), notes)
    }
}

/// The articles in language `code`, and those whose language could not be told
/// (`und`: tables of figures, short notices), which every language filter keeps.
pub fn lang_plan(code: &str) -> Plan {
    let key = |code: &str| Plan::Key {
        field: KeyField::Lang,
        text: code.to_string(),
    };
    if code == crate::index::language::UNDETERMINED {
        return Plan::Filter(Box::new(key(code)));
    }
    Plan::Filter(Box::new(Plan::Bool(vec![
        (Occur::Should, key(code)),
        (Occur::Should, key(crate::index::language::UNDETERMINED)),
    ])))
}

/// The source names an index holds, each with its matching key.
#[derive(Debug, Default)]
pub struct SourceNames {
    names: Vec<(String, String)>,
}

impl SourceNames {
    /// Every distinct stored source name, from the term dictionaries (a few hundred
    /// names even in a large archive).
    pub fn read(index: &NewsIndex, searcher: &Searcher) -> SourceNames {
        let mut seen = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(index.fields.source_exact) else {
                continue;
            };
            let Ok(mut terms) = inverted.terms().stream() else {
                continue;
            };
            while terms.advance() {
                if let Ok(name) = std::str::from_utf8(terms.key()) {
                    seen.insert(name.to_string());
                }
            }
        }
        SourceNames::from_names(seen)
    }

    /// The names given (distinct), each with its key.
    pub fn from_names(seen: std::collections::BTreeSet<String>) -> SourceNames {
        let mut names = Vec::with_capacity(seen.len());
        for name in seen {
            // `Name (Place)`: the name alone matches too (every place of that name).
            if let Some(bare) = name
                .strip_suffix(')')
                .and_then(|n| n.rsplit_once(" ("))
                .map(|(bare, _)| bare)
            {
                names.push((source_key(bare), name.clone()));
            }
            names.push((source_key(&name), name));
        }
        SourceNames { names }
    }

    /// The stored names equal to `wanted` once both are reduced to their key.
    fn matching(&self, wanted: &str) -> Vec<&str> {
        let key = source_key(wanted);
        let mut found: Vec<&str> = self
            .names
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, name)| name.as_str())
            .collect();
        found.dedup();
        found
    }

    /// The note for a name no article has, with the closest names there are.
    fn none_named(&self, wanted: &str) -> String {
        let key = source_key(wanted);
        let mut scored: Vec<(f64, &str)> = self
            .names
            .iter()
            .map(|(k, name)| {
                let mut score = strsim::jaro_winkler(&key, k);
                if !key.is_empty() && k.contains(key.as_str()) {
                    score += 1.0;
                }
                (score, name.as_str())
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        scored.dedup_by(|a, b| a.1 == b.1);
        let closest: Vec<String> = scored
            .iter()
            .take(5)
            .map(|(_, name)| format!("\"{name}\""))
            .collect();
        let mut note = format!("no source is named \"{}\"", wanted.trim());
        if closest.is_empty() {
            note.push_str(" (no article has a source)");
        } else {
            note.push_str(&format!(
                "; closest: {} (--source '~WORDS' matches the names that contain the words)",
                closest.join(", ")
            ));
        }
        note
    }
}

/// The key under which two spellings of one source name agree: its words
/// lowercased and without accents, punctuation or a leading "The".
pub fn source_key(name: &str) -> String {
    NAME_KEYS.with_borrow_mut(|analyzer| {
        let mut words = Vec::new();
        let mut stream = analyzer.token_stream(name);
        while stream.advance() {
            words.push(stream.token().text.clone());
        }
        if words.len() > 1 && words[0] == "the" {
            words.remove(0);
        }
        words.join(" ")
    })
}

thread_local! {
    static NAME_KEYS: std::cell::RefCell<tantivy::tokenizer::TextAnalyzer> =
        std::cell::RefCell::new(crate::index::analyzer::name_analyzer());
}

/// The articles whose source contains the words of `name` in order.
fn source_words_plan(name: &str) -> Plan {
    let mut terms = Vec::new();
    let mut analyzer =
        super::query::field_analyzer(TextField::Source, crate::index::analysis::Analysis::ENGLISH);
    let mut stream = analyzer.token_stream(name);
    while stream.advance() {
        let token = stream.token();
        terms.push((token.position, token.text.clone()));
    }
    match terms.len() {
        0 => Plan::Nothing,
        1 => Plan::Term {
            field: TextField::Source,
            text: terms.remove(0).1,
        },
        _ => Plan::Phrase {
            field: TextField::Source,
            terms,
            slop: 0,
            prefix: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_keys_ignore_case_accents_punctuation_and_a_leading_the() {
        assert_eq!(source_key("The Evening Star."), "evening star");
        assert_eq!(source_key("evening   star"), "evening star");
        assert_eq!(source_key("The Ocala evening star."), "ocala evening star");
        assert_eq!(source_key("New-York tribune."), "new york tribune");
        assert_eq!(source_key("Le Café"), "le cafe");
        assert_eq!(source_key("The"), "the");
    }

    fn at(text: &str, edge: Edge) -> String {
        let now = DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        parse_edge(text, edge, now)
            .map(|d| d.to_rfc3339())
            .unwrap_or_else(|e| e)
    }

    #[test]
    fn periods_and_relative_dates() {
        assert_eq!(at("2024", Edge::Start), "2024-01-01T00:00:00+00:00");
        assert_eq!(at("2024", Edge::End), "2025-01-01T00:00:00+00:00");
        assert_eq!(at("2024-W01", Edge::Start), "2024-01-01T00:00:00+00:00");
        assert_eq!(at("2020-W53", Edge::End), "2021-01-04T00:00:00+00:00");
        assert_eq!(at("2024-12", Edge::End), "2025-01-01T00:00:00+00:00");
        assert_eq!(at("2024-07", Edge::Start), "2024-07-01T00:00:00+00:00");
        assert_eq!(at("2024-07-04", Edge::End), "2024-07-05T00:00:00+00:00");
        assert_eq!(
            at("2024-07-04T10:00:00Z", Edge::End),
            "2024-07-04T10:00:00+00:00"
        );
        assert_eq!(at("7d", Edge::Start), "2026-11-20T12:00:00+00:00");
        assert_eq!(at("1y", Edge::Start), "2025-11-27T12:00:00+00:00");
        assert!(at("yesterday", Edge::Start).contains("is not a date"));
        assert!(at("2024-13", Edge::Start).contains("is not a date"));
    }
}
