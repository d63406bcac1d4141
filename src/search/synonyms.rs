//! Synonym lists in the Solr/Elasticsearch format, applied to queries (not to the
//! index, so a list can change without indexing again):
//!
//! ```text
//! # a comment
//! AI, artificial intelligence        equivalents: any of them finds all of them
//! colour => color, hue               one way: `colour` searches `color` or `hue`
//! ```
//!
//! As in Solr, a one-way rule replaces what it matches (write `a => a, b` to keep
//! `a`), rules for the same words add up, and `\,`, `\=` and `\\` escape. Words
//! are compared lowercased and without accents, whole words only, the longest
//! entry first; a matched span of the query becomes a group of its alternatives,
//! `(AI OR "artificial intelligence")`, which the query compiler reads as any other
//! (so highlights mark the synonym that matched). Quoted phrases, `field:` terms,
//! prefixes and fuzzy words are left as typed.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;

use crate::error::{Error, Result};
use crate::index::analyzer::name_analyzer;

/// Most alternatives one entry may have.
const MAX_ALTERNATIVES: usize = 64;

/// A synonym list.
#[derive(Debug, Default)]
pub struct Synonyms {
    /// Where it was read from, for messages.
    pub source: String,
    /// Normalized words of an entry → its alternatives, as written in the list.
    rules: HashMap<Vec<String>, Vec<String>>,
    /// Words in the longest entry.
    longest: usize,
}

/// One expansion applied to a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expansion {
    /// The words of the query it replaced, as typed.
    pub matched: String,
    /// What they were searched as (the words themselves included, unless a
    /// one-way rule replaced them).
    pub alternatives: Vec<String>,
}

impl Synonyms {
    /// Reads the list in `path`; a missing file or a malformed line is an error
    /// naming the file and line.
    pub fn load(path: &Path) -> Result<Synonyms> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::Usage(format!(
                "{}: not UTF-8 text (a synonym list is one rule per line)",
                path.display()
            ))
        })?;
        Synonyms::parse(&text, &path.display().to_string())
    }

    /// Reads a list from `text`; `source` names it in messages.
    pub fn parse(text: &str, source: &str) -> Result<Synonyms> {
        let mut list = Synonyms {
            source: source.to_string(),
            ..Synonyms::default()
        };
        let mut analyzer = name_analyzer();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim_start_matches('\u{feff}');
            let bad =
                |why: &str| Error::Usage(format!("{source}:{}: {why}: {}", n + 1, raw.trim()));
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let sides = split_unescaped(line, "=>");
            let (from, to) = match sides.as_slice() {
                [both] => (entries(both), None),
                [from, to] => (entries(from), Some(entries(to))),
                _ => return Err(bad("more than one `=>`")),
            };
            let to_words = to.as_ref().unwrap_or(&from);
            if from.iter().chain(to_words).any(String::is_empty) {
                return Err(bad("an empty entry (two commas, or nothing beside `=>`)"));
            }
            if to_words.len() > MAX_ALTERNATIVES {
                return Err(bad(&format!("more than {MAX_ALTERNATIVES} alternatives")));
            }
            if to.is_none() && from.len() < 2 {
                return Err(bad(
                    "a single entry: write `a, b` for equivalents or `a => b`",
                ));
            }
            for entry in &from {
                let key = words(&mut analyzer, entry);
                if key.is_empty() {
                    return Err(bad(&format!("`{entry}` holds no word")));
                }
                list.longest = list.longest.max(key.len());
                let alternatives = list.rules.entry(key).or_default();
                for alternative in to_words {
                    if !alternatives.contains(alternative) {
                        alternatives.push(alternative.clone());
                    }
                }
            }
        }
        Ok(list)
    }

    /// How many entries the list has.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether the list has no entry.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// `query` with each run of plain words that matches an entry replaced by the
    /// group of its alternatives, and what was replaced.
    pub fn expand(&self, query: &str) -> (String, Vec<Expansion>) {
        if self.rules.is_empty() {
            return (query.to_string(), Vec::new());
        }
        let mut analyzer = name_analyzer();
        let pieces = scan(query);
        let mut out = String::with_capacity(query.len() * 2);
        let mut expansions = Vec::new();
        let mut i = 0;
        while i < pieces.len() {
            let piece = &pieces[i];
            let Piece::Word {
                sign, word: first, ..
            } = piece
            else {
                out.push_str(piece.text(query));
                i += 1;
                continue;
            };
            // The longest entry starting here, over plain words only (a signed word
            // stands alone).
            let mut best: Option<(usize, usize, &Vec<String>)> = None;
            let mut key = Vec::new();
            let mut j = i;
            while let Some(Piece::Word { word, sign: s, .. }) = pieces.get(j) {
                if j > i && s.is_some() {
                    break;
                }
                key.extend(words(&mut analyzer, &query[word.clone()]));
                if let Some(alternatives) = self.rules.get(&key) {
                    best = Some((j, word.end, alternatives));
                }
                if sign.is_some() || key.len() >= self.longest {
                    break;
                }
                match pieces.get(j + 1) {
                    Some(Piece::Space(_)) => j += 2,
                    _ => break,
                }
            }
            let Some((last, matched_end, alternatives)) = best else {
                out.push_str(piece.text(query));
                i += 1;
                continue;
            };
            let matched = query[first.start..matched_end].to_string();
            if let Some(sign) = sign {
                out.push(*sign);
            }
            out.push_str(&group(alternatives));
            expansions.push(Expansion {
                matched,
                alternatives: alternatives.clone(),
            });
            i = last + 1;
        }
        (out, expansions)
    }
}

impl Synonyms {
    /// The entries of the list that occur in `text` as whole words (compared as
    /// queries are, lowercased and without accents), each once, in order of first
    /// occurrence: what `similar` searches as alternatives of an article's words.
    pub fn found_in(&self, text: &str) -> Vec<Expansion> {
        if self.rules.is_empty() {
            return Vec::new();
        }
        let text_words = words(&mut name_analyzer(), text);
        let mut seen = std::collections::HashSet::new();
        let mut found = Vec::new();
        for start in 0..text_words.len() {
            for end in start + 1..=(start + self.longest).min(text_words.len()) {
                let key = &text_words[start..end];
                if let Some(alternatives) = self.rules.get(key)
                    && seen.insert(key.to_vec())
                {
                    found.push(Expansion {
                        matched: key.join(" "),
                        alternatives: alternatives.clone(),
                    });
                }
            }
        }
        found
    }
}

/// Alternatives as one query group: `(AI OR "artificial intelligence")`.
pub fn group(alternatives: &[String]) -> String {
    let rendered: Vec<String> = alternatives.iter().map(|a| render(a)).collect();
    format!("({})", rendered.join(" OR "))
}

/// A piece of a query as [`Synonyms::expand`] sees it.
#[derive(Debug)]
enum Piece {
    /// A plain word: its range without the sign, and a leading `+` or `-`.
    Word {
        all: std::ops::Range<usize>,
        word: std::ops::Range<usize>,
        sign: Option<char>,
    },
    /// Whitespace.
    Space(std::ops::Range<usize>),
    /// Anything else, copied as it is: a phrase, a parenthesis, an operator, a
    /// `field:` term, a prefix or fuzzy word.
    Other(std::ops::Range<usize>),
}

impl Piece {
    fn text<'q>(&self, query: &'q str) -> &'q str {
        match self {
            Piece::Word { all, .. } | Piece::Space(all) | Piece::Other(all) => &query[all.clone()],
        }
    }
}

/// `query` cut into pieces.
fn scan(query: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let chars: Vec<(usize, char)> = query.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(query.len(), |&(at, _)| at);
    let mut k = 0;
    while k < chars.len() {
        let (start, c) = chars[k];
        if c.is_whitespace() {
            let mut j = k;
            while j < chars.len() && chars[j].1.is_whitespace() {
                j += 1;
            }
            pieces.push(Piece::Space(start..end_of(j)));
            k = j;
        } else if c == '"' {
            // A phrase, to its closing quote (and a `~N` after it).
            let mut j = k + 1;
            while j < chars.len() && chars[j].1 != '"' {
                j += 1;
            }
            j = (j + 1).min(chars.len());
            while j < chars.len() && !chars[j].1.is_whitespace() && !"()\"".contains(chars[j].1) {
                j += 1;
            }
            pieces.push(Piece::Other(start..end_of(j)));
            k = j;
        } else if "()".contains(c) {
            pieces.push(Piece::Other(start..end_of(k + 1)));
            k += 1;
        } else {
            let mut j = k;
            while j < chars.len() && !chars[j].1.is_whitespace() && !"()\"".contains(chars[j].1) {
                j += 1;
            }
            let range = start..end_of(j);
            let text = &query[range.clone()];
            let sign = text.chars().next().filter(|c| matches!(c, '+' | '-'));
            let bare = &text[sign.map_or(0, char::len_utf8)..];
            let syntax = bare.is_empty()
                || matches!(bare, "AND" | "OR" | "NOT")
                || bare.contains([':', '*', '~', '^', '[', ']', '{', '}'])
                || (sign.is_some() && bare.starts_with(['+', '-']));
            let plain = !syntax;
            if plain {
                let word = range.start + sign.map_or(0, char::len_utf8)..range.end;
                pieces.push(Piece::Word {
                    all: range,
                    word,
                    sign,
                });
            } else {
                pieces.push(Piece::Other(range));
            }
            k = j;
        }
    }
    pieces
}

/// An alternative as query syntax: a plain word as it is, anything else quoted.
fn render(alternative: &str) -> String {
    let plain = alternative
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '\'')
        && !alternative.starts_with('-')
        && !matches!(alternative, "AND" | "OR" | "NOT");
    if plain {
        alternative.to_string()
    } else {
        let escaped: String = alternative
            .chars()
            .filter(|&c| c != '"' && c != '\\')
            .collect();
        format!("\"{escaped}\"")
    }
}

/// The lowercased, folded words of `text`.
fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// `text` cut at each `separator` not preceded by a backslash.
fn split_unescaped<'t>(text: &'t str, separator: &str) -> Vec<&'t str> {
    let mut parts = Vec::new();
    let mut from = 0;
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(found) = text[at..].find(separator) {
        let position = at + found;
        let escaped =
            position > 0 && bytes[position - 1] == b'\\' && !double_backslash(bytes, position);
        if !escaped {
            parts.push(&text[from..position]);
            from = position + separator.len();
        }
        at = position + separator.len();
    }
    parts.push(&text[from..]);
    parts
}

/// Whether the backslash before `position` is itself escaped (`\\`).
fn double_backslash(bytes: &[u8], position: usize) -> bool {
    let mut count = 0;
    let mut k = position;
    while k > 0 && bytes[k - 1] == b'\\' {
        count += 1;
        k -= 1;
    }
    count % 2 == 0
}

/// The comma-separated entries of one side of a rule, trimmed and unescaped.
fn entries(side: &str) -> Vec<String> {
    split_unescaped(side, ",")
        .into_iter()
        .map(|entry| {
            let mut out = String::new();
            let mut chars = entry.trim().chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                } else {
                    out.push(c);
                }
            }
            out.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(text: &str) -> Synonyms {
        Synonyms::parse(text, "syn.txt").expect("a good list")
    }

    #[test]
    fn equivalents_and_one_way_rules_expand_whole_words_longest_first() {
        let s = list(
            "# news\nAI, artificial intelligence\ncolour => color, hue\nUN, United Nations\nUN security council => security council\n",
        );
        assert_eq!(s.len(), 6);
        let (q, e) = s.expand("AI centre");
        assert_eq!(q, "(AI OR \"artificial intelligence\") centre");
        assert_eq!(e[0].matched, "AI");
        let (q, _) = s.expand("Artificial  Intelligence");
        assert_eq!(q, "(AI OR \"artificial intelligence\")");
        // One way: the word itself is replaced.
        assert_eq!(s.expand("Colour TV").0, "(color OR hue) TV");
        assert_eq!(s.expand("color").0, "color");
        // The longest entry wins.
        assert_eq!(
            s.expand("UN Security Council vote").0,
            "(\"security council\") vote"
        );
        assert_eq!(s.expand("UN vote").0, "(UN OR \"United Nations\") vote");
        // Not inside words, phrases, fields, prefixes or fuzzy words.
        for kept in ["AIR", "\"AI centre\"", "title:AI", "AI*", "AI~1", "said"] {
            assert_eq!(s.expand(kept).0, kept);
        }
        // Signs stay outside the group; operators and parentheses are kept.
        assert_eq!(
            s.expand("-AI (colour OR red)").0,
            "-(AI OR \"artificial intelligence\") ((color OR hue) OR red)"
        );
        // Accents and case do not matter.
        assert_eq!(list("café, coffee").expand("CAFE").0, "(café OR coffee)");
    }

    #[test]
    fn entries_are_found_in_a_text_once_each_whole_words_only() {
        let s = list("AI, artificial intelligence\ncolour => color\n");
        let found =
            s.found_in("Artificial Intelligence: the AI centre. More AI; no AIR, no colours.");
        let matched: Vec<&str> = found.iter().map(|e| e.matched.as_str()).collect();
        assert_eq!(matched, ["artificial intelligence", "ai"]);
        assert_eq!(found[1].alternatives, ["AI", "artificial intelligence"]);
        assert!(
            s.found_in("paint in one colour")
                .iter()
                .any(|e| e.alternatives == ["color"])
        );
        assert!(s.found_in("nothing here").is_empty());
    }

    #[test]
    fn rules_for_the_same_words_add_up_and_escapes_work() {
        let s = list("a, b\na, c\nx\\, y => z\n");
        assert_eq!(s.expand("a").0, "(a OR b OR c)");
        assert_eq!(s.expand("x, y").0, "(z)");
    }

    #[test]
    fn malformed_lines_name_the_file_and_line() {
        for (text, why) in [
            ("ok, fine\na => b => c\n", "syn.txt:2: more than one `=>`"),
            ("a,, b\n", "syn.txt:1: an empty entry"),
            ("=> b\n", "syn.txt:1: an empty entry"),
            ("lonely\n", "syn.txt:1: a single entry"),
            ("..., b\n", "syn.txt:1: `...` holds no word"),
        ] {
            let error = Synonyms::parse(text, "syn.txt").unwrap_err().to_string();
            assert!(error.contains(why), "{text:?}: {error}");
        }
    }
}
