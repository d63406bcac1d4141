//! A [`Plan`] in Quickwit's query language, over the fields that hold our own
//! analysis (`title_terms`, `body_terms`, …): every word is already a term as the
//! local index has it, so Quickwit only matches. Clauses keep their `+`/`-`, boosts
//! their `^`; a filter is a clause boosted by 0 (it narrows, adds nothing).
//!
//! What Quickwit cannot do comes out as a note: fuzzy words are searched exactly.

use std::ops::Bound;

use chrono::DateTime;

use super::document::GAP;
use crate::search::plan::{KeyField, Occur, Plan, TextField};

/// The Quickwit field holding `field`'s terms.
pub(super) fn field_name(field: TextField) -> &'static str {
    match field {
        TextField::Title => "title_terms",
        TextField::Body => "body_terms",
        TextField::TitleStops => "title_stops",
        TextField::BodyStops => "body_stops",
        TextField::Source => "source_terms",
        TextField::Author => "author_terms",
    }
}

/// `text` as a quoted phrase of the query language.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `text` as a bare word of the query language (every non-alphanumeric escaped).
fn bare(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if !c.is_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Terms at their positions, space-joined, with a [`GAP`] for each empty position
/// (as the indexed text has one where our analyzer dropped a word).
fn with_gaps(terms: &[(usize, String)]) -> String {
    let mut sorted: Vec<&(usize, String)> = terms.iter().collect();
    sorted.sort_by_key(|(p, _)| *p);
    let mut out: Vec<&str> = Vec::new();
    let mut next = sorted.first().map_or(0, |(p, _)| *p);
    for (position, text) in sorted {
        while next < *position {
            out.push(GAP);
            next += 1;
        }
        out.push(text);
        next = position + 1;
    }
    out.join(" ")
}

/// The plan as a query string, and notes on what Quickwit searched differently.
pub fn to_quickwit(plan: &Plan) -> (String, Vec<String>) {
    let mut notes = Vec::new();
    let query = lower(plan, &mut notes);
    notes.dedup();
    (query, notes)
}

fn lower(plan: &Plan, notes: &mut Vec<String>) -> String {
    match plan {
        Plan::All => "*".into(),
        // No article has this kind: the one way to write "nothing" in the language.
        Plan::Nothing => "kind:none".into(),
        Plan::Bool(clauses) => boolean(clauses, notes),
        Plan::Boost(inner, boost) => format!("({})^{boost}", lower(inner, notes)),
        Plan::Filter(inner) => format!("({})^0", lower(inner, notes)),
        Plan::Term { field, text } => format!("{}:{}", field_name(*field), quoted(text)),
        Plan::Key { field, text } => format!("{}:{}", key_name(*field), quoted(text)),
        Plan::Keys { field, texts } if texts.is_empty() => "kind:none".into(),
        Plan::Keys { field, texts } => format!(
            "{}:IN [{}]",
            key_name(*field),
            texts
                .iter()
                .map(|t| quoted(t))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Plan::Prefix { field, text } => format!("{}:{}*", field_name(*field), bare(text)),
        Plan::Fuzzy { field, text, .. } => {
            notes.push(format!(
                "Quickwit has no fuzzy matching: `{text}~` was searched for exactly"
            ));
            format!("{}:{}", field_name(*field), quoted(text))
        }
        Plan::Containing { field, c } => {
            let c = bare(&c.to_string());
            format!("{}:/{c}.?|.{c}/", field_name(*field))
        }
        Plan::Phrase {
            field,
            terms,
            slop,
            prefix,
        } => {
            let mut out = format!("{}:{}", field_name(*field), quoted(&with_gaps(terms)));
            if *prefix {
                out.push('*');
            } else if *slop > 0 {
                out.push_str(&format!("~{slop}"));
            }
            out
        }
        Plan::Exact {
            field,
            words,
            stops,
        } => {
            // The stop-word fields hold every word at its place: the phrase is exact there.
            let mut all = words.clone();
            all.extend(stops.iter().cloned());
            let stops_field = field.stops().unwrap_or(*field);
            format!(
                "({}:{})^0",
                field_name(stops_field),
                quoted(&with_gaps(&all))
            )
        }
        Plan::Dates { from, to } => date_range(from, to),
        Plan::Dated => "date:*".into(),
        Plan::QualityBelow(below) => format!("ocr_quality:[0 TO {below}}}"),
    }
}

/// Clauses in the query language: `+` must, `-` must not, bare should.
fn boolean(clauses: &[(Occur, Plan)], notes: &mut Vec<String>) -> String {
    let parts: Vec<String> = clauses
        .iter()
        .map(|(occur, sub)| {
            let sign = match occur {
                Occur::Must => "+",
                Occur::Should => "",
                Occur::MustNot => "-",
            };
            format!("{sign}({})", lower(sub, notes))
        })
        .collect();
    if parts.is_empty() {
        "kind:none".into()
    } else {
        parts.join(" ")
    }
}

/// A range of publication times, each end in RFC 3339 (`*` when open).
fn date_range(from: &Bound<i64>, to: &Bound<i64>) -> String {
    let at = |t: &i64| {
        DateTime::from_timestamp(*t, 0).map_or_else(
            || "*".into(),
            |d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        )
    };
    let (open, low) = match from {
        Bound::Included(t) => ('[', at(t)),
        Bound::Excluded(t) => ('{', at(t)),
        Bound::Unbounded => ('[', "*".into()),
    };
    let (high, close) = match to {
        Bound::Included(t) => (at(t), ']'),
        Bound::Excluded(t) => (at(t), '}'),
        Bound::Unbounded => ("*".into(), ']'),
    };
    format!("date:{open}{low} TO {high}{close}")
}

/// The Quickwit field of a whole stored value.
fn key_name(field: KeyField) -> &'static str {
    match field {
        KeyField::Id => "id",
        KeyField::Url => "url",
        KeyField::Lang => "lang",
        KeyField::SourceExact => "source_exact",
        KeyField::File => "file_key",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_become_query_strings() {
        let term = |t: &str| Plan::Term {
            field: TextField::Body,
            text: t.into(),
        };
        let plan = Plan::Bool(vec![
            (Occur::Must, term("center")),
            (Occur::MustNot, term("say \"x\"")),
            (
                Occur::Should,
                Plan::Boost(
                    Box::new(Plan::Phrase {
                        field: TextField::Title,
                        terms: vec![(0, "center".into()), (2, "excel".into())],
                        slop: 0,
                        prefix: false,
                    }),
                    2.0,
                ),
            ),
        ]);
        let (query, notes) = to_quickwit(&plan);
        assert_eq!(
            query,
            r#"+(body_terms:"center") -(body_terms:"say \"x\"") ((title_terms:"center · excel")^2)"#
        );
        assert!(notes.is_empty());
        let fuzzy = Plan::Fuzzy {
            field: TextField::Body,
            text: "centr".into(),
            distance: 1,
        };
        let (query, notes) = to_quickwit(&fuzzy);
        assert_eq!(query, r#"body_terms:"centr""#);
        assert!(notes[0].contains("no fuzzy"), "{notes:?}");
        let window = Plan::Dates {
            from: Bound::Included(0),
            to: Bound::Unbounded,
        };
        assert_eq!(to_quickwit(&window).0, "date:[1970-01-01T00:00:00Z TO *]");
        let prefix = Plan::Prefix {
            field: TextField::Body,
            text: "u.s".into(),
        };
        assert_eq!(to_quickwit(&prefix).0, r"body_terms:u\.s*");
    }
}
