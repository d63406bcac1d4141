//! From the user's query string to a Tantivy query: size and nesting capped before
//! parsing, all words required by default, titles weighted above bodies, and raw
//! input the grammar rejects retried as plain words instead of failing.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, QueryParser, QueryParserError,
};

use crate::error::{Error, Result};
use crate::index::NewsIndex;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 32 * 1024;
/// Deepest parenthesis nesting accepted (Tantivy's parser recurses once per level).
pub const MAX_NESTING: usize = 32;
/// How much more a title match weighs than a body match.
pub const TITLE_BOOST: f32 = 2.0;

/// A parsed query and, when the input had to be simplified, a note saying so.
pub struct ParsedQuery {
    /// The query to run.
    pub query: Box<dyn Query>,
    /// The query as the user wrote it, without ranking-only clauses: its terms are
    /// the ones to highlight.
    pub highlight: Box<dyn Query>,
    /// Set when the query was read leniently.
    pub note: Option<String>,
}

/// Parses `text` with the documented syntax; all words are required unless `match_any`.
pub fn parse(index: &NewsIndex, text: &str, match_any: bool) -> Result<ParsedQuery> {
    let chars = text.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(Error::Query(format!(
            "the query is {chars} characters long; the limit is {MAX_QUERY_CHARS}"
        )));
    }
    if nesting_depth(text) > MAX_NESTING {
        return Err(Error::Query(format!(
            "parentheses nest more than {MAX_NESTING} deep"
        )));
    }
    if text.trim().is_empty() {
        return Err(Error::Query("the query is empty".into()));
    }
    let fields = index.fields;
    let mut parser = QueryParser::for_index(&index.index, vec![fields.title, fields.body]);
    if !match_any {
        parser.set_conjunction_by_default();
    }
    parser.set_field_boost(fields.title, TITLE_BOOST);

    let parsed = parse_with(&parser, text)?;
    let proximity = proximity_clauses(index, text);
    if proximity.is_empty() {
        return Ok(parsed);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, parsed.query)];
    clauses.extend(proximity.into_iter().map(|q| (Occur::Should, q)));
    Ok(ParsedQuery {
        query: Box::new(BooleanQuery::new(clauses)),
        highlight: parsed.highlight,
        note: parsed.note,
    })
}

/// How far apart two neighbouring query words may be to earn the proximity bonus
/// (about a clause: within 8 positions).
const PROXIMITY_SLOP: u32 = 8;
/// The bonus's weight against the words' own BM25 scores. Slop and weight were
/// chosen on a coarse grid (weights 0.1–0.5, slops 0–16) over the TIME collection,
/// where the plateau is flat (MAP 0.69–0.70), and checked on Reuters.
const PROXIMITY_WEIGHT: f32 = 0.3;
/// At most this many word pairs get a proximity clause.
const MAX_PROXIMITY_PAIRS: usize = 16;

/// Proximity scoring: for each pair of neighbouring query words, a sloppy phrase on
/// the body that adds to the score of articles where they stand close together
/// (it never changes which articles match). Excluded words and field-qualified
/// words take no part (a query with field qualifiers gets none).
fn proximity_clauses(index: &NewsIndex, text: &str) -> Vec<Box<dyn Query>> {
    if text.contains(':') {
        return Vec::new();
    }
    let Ok(mut analyzer) = index.index.tokenizer_for_field(index.fields.body) else {
        return Vec::new();
    };
    let mut terms: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        if word.starts_with('-') || word.contains(':') || word == "OR" || word == "AND" {
            continue;
        }
        let mut stream = analyzer.token_stream(word);
        while stream.advance() {
            terms.push(stream.token().text.clone());
        }
    }
    terms
        .windows(2)
        .filter(|pair| pair[0] != pair[1])
        .take(MAX_PROXIMITY_PAIRS)
        .map(|pair| {
            let phrase = pair
                .iter()
                .map(|t| Term::from_field_text(index.fields.body, t))
                .collect();
            let mut query = PhraseQuery::new(phrase);
            query.set_slop(PROXIMITY_SLOP);
            Box::new(BoostQuery::new(Box::new(query), PROXIMITY_WEIGHT)) as Box<dyn Query>
        })
        .collect()
}

/// Parses with the grammar, falling back to plain words when it rejects the input.
fn parse_with(parser: &QueryParser, text: &str) -> Result<ParsedQuery> {
    match parser.parse_query(&escape_apostrophes(text)) {
        Ok(query) => Ok(ParsedQuery {
            highlight: query.box_clone(),
            query,
            note: None,
        }),
        Err(QueryParserError::AllButQueryForbidden) => Err(only_excluded()),
        Err(first) => {
            let plain = plain_words(text);
            if plain.is_empty() {
                return Err(Error::Query(describe(&first)));
            }
            match parser.parse_query(&escape_apostrophes(&plain)) {
                Ok(query) => Ok(ParsedQuery {
                    highlight: query.box_clone(),
                    query,
                    note: Some(format!(
                        "could not read the query as written ({}); searched for: {plain}",
                        describe(&first)
                    )),
                }),
                Err(QueryParserError::AllButQueryForbidden) => Err(only_excluded()),
                Err(_) => Err(Error::Query(describe(&first))),
            }
        }
    }
}

fn only_excluded() -> Error {
    Error::Query("every word is excluded with `-`; add at least one word to search for".into())
}

fn describe(error: &QueryParserError) -> String {
    match error {
        QueryParserError::FieldDoesNotExist(field) => {
            format!("there is no field `{field}`; fields are title, body, source, author, url, id")
        }
        QueryParserError::SyntaxError(_) => {
            "syntax error (an unbalanced quote or parenthesis?)".into()
        }
        other => other.to_string(),
    }
}

/// `UNIDO's`, `O'Brien`: an apostrophe between letters is part of the word, not the
/// grammar's quote character, so it is escaped (outside double-quoted phrases).
fn escape_apostrophes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut in_phrase = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == '"' {
            in_phrase = !in_phrase;
        }
        let between_letters = i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c == '\'' && !in_phrase && between_letters {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The deepest nesting of parentheses in `text`.
fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for ch in text.chars() {
        match ch {
            '(' => {
                depth += 1;
                max = max.max(depth);
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The query reduced to words: syntax characters become spaces, a leading `-`
/// (exclusion) is kept, and `OR` stays an operator.
fn plain_words(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect();
    cleaned
        .split_whitespace()
        .map(|word| {
            let excluded = word.starts_with('-');
            let core = word.trim_matches(|c| c == '-' || c == '\'');
            (excluded, core)
        })
        .filter(|(_, core)| !core.is_empty())
        .map(|(excluded, core)| {
            if excluded {
                format!("-{core}")
            } else {
                core.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_keeps_words_and_exclusions() {
        assert_eq!(plain_words("AI: (centre"), "AI centre");
        assert_eq!(plain_words("\"open quote -bad x:"), "open quote -bad x");
        assert_eq!(plain_words("AI-driven UNIDO's"), "AI-driven UNIDO's");
        assert_eq!(
            escape_apostrophes("UNIDO's \"it's\" 'x'"),
            "UNIDO\\'s \"it's\" 'x'"
        );
        assert_eq!(plain_words("::: ((("), "");
    }

    #[test]
    fn nesting() {
        assert_eq!(nesting_depth("a (b (c) d) (e)"), 2);
        assert_eq!(nesting_depth(")))((("), 3);
    }
}
