//! From the user's query string to a Tantivy query: size and nesting capped before
//! parsing, all words required by default, titles weighted above bodies, and raw
//! input the grammar rejects retried as plain words instead of failing.

use tantivy::query::{Query, QueryParser, QueryParserError};

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
    /// Set when the query was read leniently.
    pub note: Option<String>,
}

/// Parses `text` with the documented syntax.
pub fn parse(index: &NewsIndex, text: &str) -> Result<ParsedQuery> {
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
    parser.set_conjunction_by_default();
    parser.set_field_boost(fields.title, TITLE_BOOST);

    match parser.parse_query(text) {
        Ok(query) => Ok(ParsedQuery { query, note: None }),
        Err(QueryParserError::AllButQueryForbidden) => Err(only_excluded()),
        Err(first) => {
            let plain = plain_words(text);
            if plain.is_empty() {
                return Err(Error::Query(describe(&first)));
            }
            match parser.parse_query(&plain) {
                Ok(query) => Ok(ParsedQuery {
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
        assert_eq!(plain_words("::: ((("), "");
    }

    #[test]
    fn nesting() {
        assert_eq!(nesting_depth("a (b (c) d) (e)"), 2);
        assert_eq!(nesting_depth(")))((("), 3);
    }
}
