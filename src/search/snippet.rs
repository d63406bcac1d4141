//! Highlighting and passage selection, counted in characters: the analyzer that
//! indexed the text finds the matching words (stemmed and folded variants included),
//! and the densest window of about `max_chars` characters becomes the snippet.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;

use crate::article::clean_line;

/// A highlighted passage: `highlights` are `[start, end)` offsets in characters of `text`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snippet {
    /// The passage, whitespace collapsed, with `…` where it was cut.
    pub text: String,
    /// Matched words, as character ranges of `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// One matched word in a text, in characters.
#[derive(Debug, Clone, Copy)]
struct Match {
    start: usize,
    end: usize,
    term: usize,
    weight: f32,
}

/// Finds query terms in texts analysed the way the index analysed them.
pub struct Highlighter {
    analyzer: TextAnalyzer,
    /// Analysed term → (term number, weight).
    terms: HashMap<String, (usize, f32)>,
}

impl Highlighter {
    /// A highlighter for analysed `terms` with their weights (rarer terms weigh more).
    pub fn new(
        analyzer: TextAnalyzer,
        terms: impl IntoIterator<Item = (String, f32)>,
    ) -> Highlighter {
        let terms = terms
            .into_iter()
            .enumerate()
            .map(|(n, (term, weight))| (term, (n, weight)))
            .collect();
        Highlighter { analyzer, terms }
    }

    /// Character ranges of the matched words in `text` (used for titles).
    pub fn highlight(&mut self, text: &str) -> Vec<[usize; 2]> {
        self.matches(text)
            .iter()
            .map(|m| [m.start, m.end])
            .collect()
    }

    /// The best passage of `text` of at most about `max_chars` characters, or the
    /// start of the text when nothing in it matched. `None` for an empty text.
    pub fn snippet(&mut self, text: &str, max_chars: usize) -> Option<Snippet> {
        let chars: Vec<char> = text.chars().collect();
        if chars.iter().all(|c| c.is_whitespace()) {
            return None;
        }
        let matches = self.matches(text);
        let max_chars = max_chars.max(20);
        let (start, end) = match best_window(&matches, max_chars) {
            Some((first, last)) => {
                frame(&chars, matches[first].start, matches[last].end, max_chars)
            }
            None => frame(&chars, 0, 0, max_chars),
        };
        Some(render(&chars, start, end, &matches))
    }

    fn matches(&mut self, text: &str) -> Vec<Match> {
        let mut found = Vec::new();
        if self.terms.is_empty() {
            return found;
        }
        let (mut byte, mut chars) = (0usize, 0usize);
        let mut stream = self.analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            let Some(&(term, weight)) = self.terms.get(&token.text) else {
                continue;
            };
            let (from, to) = (token.offset_from, token.offset_to);
            if from < byte
                || to > text.len()
                || !text.is_char_boundary(from)
                || !text.is_char_boundary(to)
            {
                continue; // out of order or not on a character: never expected from our tokenizers
            }
            chars += text[byte..from].chars().count();
            let start = chars;
            chars += text[from..to].chars().count();
            byte = to;
            found.push(Match {
                start,
                end: chars,
                term,
                weight,
            });
        }
        found
    }
}

/// The run of matches (first and last index) that fits in `max_chars` and scores
/// best: each distinct term counts fully, repeats a little.
fn best_window(matches: &[Match], max_chars: usize) -> Option<(usize, usize)> {
    let mut best: Option<(f32, usize, usize)> = None;
    for first in 0..matches.len() {
        let mut seen: Vec<usize> = Vec::new();
        let mut score = 0.0;
        let mut last = first;
        for (j, m) in matches.iter().enumerate().skip(first) {
            if m.end - matches[first].start > max_chars {
                break;
            }
            if seen.contains(&m.term) {
                score += m.weight * 0.1;
            } else {
                seen.push(m.term);
                score += m.weight;
            }
            last = j;
        }
        if best.is_none_or(|(s, _, _)| score > s) {
            best = Some((score, first, last));
        }
    }
    best.map(|(_, first, last)| (first, last))
}

/// Chooses `[start, end)` around the matched span `[span_start, span_end)`: begin at
/// the sentence start when it is close enough, else a little before the first match
/// at a word start; end at a word boundary within `max_chars`.
fn frame(chars: &[char], span_start: usize, span_end: usize, max_chars: usize) -> (usize, usize) {
    let slack = max_chars.saturating_sub(span_end - span_start);
    let lookback = span_start.saturating_sub(slack);
    let sentence = (lookback..span_start).rev().find(|&i| {
        i == 0
            || chars[i - 1] == '\n'
            || (chars[i - 1].is_whitespace() && i >= 2 && ".!?".contains(chars[i - 2]))
    });
    let mut start = match sentence {
        Some(i) => i,
        None => {
            let guess = span_start.saturating_sub(slack / 4);
            (guess..span_start)
                .find(|&i| i == 0 || chars[i - 1].is_whitespace())
                .unwrap_or(span_start)
        }
    };
    while start < chars.len() && chars[start].is_whitespace() {
        start += 1;
    }
    let limit = (start + max_chars).min(chars.len());
    let mut end = limit;
    if limit < chars.len()
        && !chars[limit].is_whitespace()
        && let Some(space) = (span_end.max(start)..limit)
            .rev()
            .find(|&i| chars[i].is_whitespace())
    {
        end = space;
    }
    (start, end.max(span_end.min(chars.len())))
}

/// Builds the snippet text for `chars[start..end]`, collapsing whitespace and control
/// characters, adding `…` at cut ends, and mapping matches to output offsets.
fn render(chars: &[char], start: usize, end: usize, matches: &[Match]) -> Snippet {
    let mut text = String::new();
    let mut len = 0usize;
    if start > 0 {
        text.push('…');
        len += 1;
    }
    let mut highlights = Vec::new();
    let mut pending_space = false;
    let mut open: Option<usize> = None;
    let mut inside = matches
        .iter()
        .filter(|m| m.start >= start && m.end <= end)
        .peekable();
    for (pos, &ch) in chars.iter().enumerate().take(end).skip(start) {
        if ch.is_whitespace() || ch.is_control() {
            pending_space = len > usize::from(start > 0);
            continue;
        }
        if pending_space {
            text.push(' ');
            len += 1;
            pending_space = false;
        }
        if inside.peek().is_some_and(|m| m.start == pos) {
            open = Some(len);
        }
        text.push(ch);
        len += 1;
        if let Some(m) = inside.peek()
            && m.end == pos + 1
        {
            if let Some(from) = open.take() {
                highlights.push([from, len]);
            }
            inside.next();
        }
    }
    if end < chars.len() {
        let keep = highlights.last().map_or(0, |h| h[1]);
        while len > keep && text.ends_with([',', ';', ':', '-']) {
            text.pop();
            len -= 1;
        }
        text.push('…');
    }
    debug_assert_eq!(clean_line(&text).chars().count(), text.chars().count());
    Snippet { text, highlights }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::analyzer::text_analyzer;

    fn highlighter(terms: &[&str]) -> Highlighter {
        Highlighter::new(text_analyzer(), terms.iter().map(|t| (t.to_string(), 1.0)))
    }

    fn marked(s: &Snippet) -> String {
        let chars: Vec<char> = s.text.chars().collect();
        let mut out = String::new();
        let mut last = 0;
        for [a, b] in &s.highlights {
            out.extend(&chars[last..*a]);
            out.push('[');
            out.extend(&chars[*a..*b]);
            out.push(']');
            last = *b;
        }
        out.extend(&chars[last..]);
        out
    }

    #[test]
    fn highlights_stemmed_and_folded_variants() {
        let mut h = highlighter(&["centr", "cafe"]);
        let s = h
            .snippet("The new Centres opened.\nA Café too.", 200)
            .unwrap();
        assert_eq!(marked(&s), "The new [Centres] opened. A [Café] too.");
    }

    #[test]
    fn offsets_are_characters_not_bytes() {
        let mut h = highlighter(&["muller"]);
        let s = h.snippet("Éé Müller spoke", 200).unwrap();
        assert_eq!(s.highlights, vec![[3, 9]]);
        assert_eq!(s.text.chars().skip(3).take(6).collect::<String>(), "Müller");
    }

    #[test]
    fn window_is_bounded_and_cut_at_words() {
        let filler = "word ".repeat(100);
        let body = format!("{filler}The target sentence is here. {filler}");
        let mut h = highlighter(&["target"]);
        let s = h.snippet(&body, 60).unwrap();
        assert!(s.text.chars().count() <= 62, "{}", s.text);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        assert!(marked(&s).contains("[target]"));
        assert!(!s.text.contains("wor…") && !s.text.contains("…ord"));
    }

    #[test]
    fn prefers_the_window_with_most_distinct_terms() {
        let body = format!(
            "alpha alpha alpha. {} alpha beta together.",
            "x ".repeat(300)
        );
        let mut h = highlighter(&["alpha", "beta"]);
        let s = h.snippet(&body, 80).unwrap();
        assert!(
            marked(&s).contains("[alpha] [beta] together"),
            "{}",
            marked(&s)
        );
    }

    #[test]
    fn no_match_gives_the_lead() {
        let mut h = highlighter(&["zzz"]);
        let s = h.snippet("First words of the body. More.", 200).unwrap();
        assert_eq!(s.text, "First words of the body. More.");
        assert!(s.highlights.is_empty());
        assert!(h.snippet("  \n ", 200).is_none());
    }
}
