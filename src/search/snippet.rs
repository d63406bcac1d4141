//! Highlighting and passage selection, counted in characters: the analyzer that
//! indexed the text finds the matching words (stemmed, folded and spelling variants
//! included; prefixes and fuzzy terms by what they matched; phrase words only where
//! the phrase occurs), and up to N of the densest, sentence-aligned windows of about
//! `max_chars` characters become the passages of the snippet.

use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::tokenizer::{TokenStream, Tokenizer};
use xxhash_rust::xxh3::xxh3_128;

use super::chars::Chars;
use crate::article::clean_line;
use crate::index::analysis::Analysis;
use crate::index::analyzer::WordTerms;
use crate::index::resume::ResumePoints;
use crate::index::tokenizer::{Compounds, NewsTokenizer};

/// A highlighted passage: `highlights` are `[start, end)` offsets in characters of `text`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Snippet {
    /// The passage, whitespace collapsed, with `…` where it was cut.
    pub text: String,
    /// Matched words, as character ranges of `text`.
    pub highlights: Vec<[usize; 2]>,
    /// The printed page the passage is on, for articles whose pages are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// One box per highlighted word on the scanned page, for OCR with word positions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub boxes: Vec<crate::scan::HitBox>,
    /// Where the passage starts in the body, and each highlight's range in the
    /// body, in characters (to find its page and boxes).
    #[serde(skip)]
    pub source: (usize, Vec<[usize; 2]>),
}

impl Snippet {
    /// Fills in the page and the word boxes from the article's scan.
    pub fn locate(&mut self, scan: &crate::scan::Scan) {
        let (start, ranges) = &self.source;
        self.page = ranges
            .first()
            .and_then(|r| scan.page_at(r[0]))
            .or_else(|| scan.page_at(*start));
        self.boxes = ranges.iter().flat_map(|r| scan.boxes(r[0], r[1])).collect();
    }
}

/// What to highlight in one field, as analysed terms.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// Words highlighted wherever they occur.
    pub terms: Vec<String>,
    /// Phrases: their words are highlighted only where the whole phrase occurs.
    pub phrases: Vec<Phrase>,
    /// `word*`: terms starting with these.
    pub prefixes: Vec<String>,
    /// `word~N`: terms within this many edits.
    pub fuzzy: Vec<(String, u8)>,
    /// Single CJK characters, found inside the two-character pieces they are indexed in.
    pub chars: Vec<char>,
    /// Some words are stop words of a quoted phrase, which the index holds in the
    /// stop-word fields only: only reading the text finds them.
    pub stop_words: bool,
}

impl Marks {
    /// Adds what `other` marks.
    pub fn absorb(&mut self, other: Marks) {
        let add = |to: &mut Vec<String>, from: Vec<String>| {
            for one in from {
                if !to.contains(&one) {
                    to.push(one);
                }
            }
        };
        add(&mut self.terms, other.terms);
        add(&mut self.prefixes, other.prefixes);
        self.phrases.extend(other.phrases);
        self.fuzzy.extend(other.fuzzy);
        self.chars.extend(other.chars);
        self.stop_words |= other.stop_words;
    }

    /// True when nothing is to be highlighted.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
            && self.phrases.is_empty()
            && self.prefixes.is_empty()
            && self.fuzzy.is_empty()
            && self.chars.is_empty()
    }

    /// Every exact term named, for weighting.
    pub fn exact_terms(&self) -> impl Iterator<Item = &String> {
        self.terms.iter().chain(
            self.phrases
                .iter()
                .flat_map(|p| p.terms.iter().map(|(_, t)| t)),
        )
    }
}

/// A phrase of analysed terms at relative positions.
#[derive(Debug, Clone)]
pub struct Phrase {
    /// Terms with their positions (gaps where stop words were).
    pub terms: Vec<(usize, String)>,
    /// Extra positions allowed between the words (`"a b"~2`).
    pub slop: u32,
    /// The last word is a prefix (`"big bad wo"*`).
    pub prefix: bool,
}

/// One matched word in a text, in characters.
#[derive(Debug, Clone, Copy)]
struct Match {
    start: usize,
    end: usize,
    term: usize,
    weight: f32,
}

/// One analysed token of a text, in bytes.
struct Token {
    text: String,
    position: usize,
    from: usize,
    to: usize,
}

/// Weight of a word matched by prefix or fuzziness (exact words weigh by rarity).
const LOOSE_WEIGHT: f32 = 1.0;

/// Finds query terms in texts analysed the way the index analysed them.
///
/// A long OCR page has thousands of words, most of them repeated: each distinct
/// word is analysed once per highlighter (one request's pages), and only those of
/// its terms that can match are kept. Where the index keeps the positions of the
/// marked words, [`Highlighter::snippets_at`] analyses no word at all.
pub struct Highlighter {
    tokenizer: NewsTokenizer,
    /// Where a text's words are ([`NewsTokenizer::positions`]).
    positions: NewsTokenizer,
    words: WordTerms,
    /// Each word seen (a 128-bit hash of it as tokenized, as the memo keeps
    /// words) → those of its terms that can match, as a range of `kept`.
    seen: FxHashMap<u128, (u32, u32)>,
    /// The terms that can match of the words seen.
    kept: Vec<String>,
    marks: Marks,
    weights: HashMap<String, f32>,
    /// Every exact term, of words and phrases.
    exact: HashSet<String>,
    /// Every prefix, of words and of phrases' last words.
    prefixes: Vec<String>,
}

impl Highlighter {
    /// A highlighter for `marks` in texts of `analysis` (every word, stop words
    /// too, as a quoted phrase marks its little words); `weights` gives exact terms
    /// a weight (rarer terms weigh more), others weigh 1.
    pub fn new(analysis: Analysis, marks: Marks, weights: HashMap<String, f32>) -> Highlighter {
        let exact = marks.exact_terms().cloned().collect();
        let prefixes = marks
            .prefixes
            .iter()
            .cloned()
            .chain(
                marks
                    .phrases
                    .iter()
                    .filter(|p| p.prefix)
                    .filter_map(|p| p.terms.last().map(|(_, t)| t.clone())),
            )
            .collect();
        Highlighter {
            tokenizer: NewsTokenizer::default(),
            positions: NewsTokenizer::positions(),
            words: WordTerms::of(analysis),
            seen: FxHashMap::default(),
            kept: Vec::new(),
            marks,
            weights,
            exact,
            prefixes,
        }
    }

    /// Character ranges of the matched words in `text` (used for titles).
    pub fn highlight(&mut self, text: &str) -> Vec<[usize; 2]> {
        self.matches(text)
            .iter()
            .map(|m| [m.start, m.end])
            .collect()
    }

    /// Up to `count` passages of `text` of at most about `max_chars` characters each,
    /// in text order, around the best groups of matches; the lead paragraph when
    /// nothing in the text matched. Empty for an empty text.
    pub fn snippets(&mut self, text: &str, max_chars: usize, count: usize) -> Vec<Snippet> {
        if count == 0 || text.chars().all(char::is_whitespace) {
            return Vec::new();
        }
        let matches = self.matches(text);
        self.passages(text, matches, max_chars, count)
    }

    /// The exact terms to look up where the index keeps each word's positions, so
    /// that [`Highlighter::snippets_at`] finds what [`Highlighter::snippets`] would
    /// without analysing the text; `None` when only reading the text finds every
    /// mark (prefixes, fuzzy words, CJK characters, stop words of a quoted phrase,
    /// and the twins of Russian and Greek words, indexed after the text's end).
    pub fn position_terms(&self) -> Option<Vec<String>> {
        let marks = &self.marks;
        // Prefixes of words and of phrases' last words alike.
        let readable = self.prefixes.is_empty()
            && marks.fuzzy.is_empty()
            && marks.chars.is_empty()
            && !marks.stop_words
            && !self.words.has_twins();
        readable.then(|| {
            let mut terms: Vec<String> = self.exact.iter().cloned().collect();
            terms.sort_unstable();
            terms
        })
    }

    /// [`Highlighter::snippets`] of `text` whose marked terms stand at `at` (word
    /// positions in order, as the index holds them for the terms of
    /// [`Highlighter::position_terms`]): the text is tokenized to find where those
    /// words are, from the last of its resume points before each, but no word is
    /// analysed.
    pub fn snippets_at(
        &mut self,
        (text, resume): (&str, &ResumePoints),
        at: &[(usize, String)],
        max_chars: usize,
        count: usize,
    ) -> Vec<Snippet> {
        if count == 0 || text.chars().all(char::is_whitespace) {
            return Vec::new();
        }
        let mut tokens = Vec::with_capacity(at.len());
        let mut next = at.iter().peekable();
        let mut stream = self.positions.token_stream(text);
        while let Some(&(wanted, _)) = next.peek() {
            // Skip the words between here and the last point before the one wanted.
            if let Some((position, byte)) = resume.before(*wanted)
                && position >= stream.next_position()
            {
                stream.resume(byte, position);
            }
            if !stream.advance() {
                break;
            }
            let token = stream.token();
            while let Some((position, term)) = next.next_if(|(p, _)| *p <= token.position) {
                if *position == token.position {
                    tokens.push(Token {
                        text: term.clone(),
                        position: token.position,
                        from: token.offset_from,
                        to: token.offset_to,
                    });
                }
            }
        }
        if next.peek().is_some() {
            // Terms past the text's last word: a compound's or a twin's, which
            // only reading the text places.
            return self.snippets(text, max_chars, count);
        }
        let matches = self.matches_of(text, &tokens);
        self.passages(text, matches, max_chars, count)
    }

    /// Up to `count` passages of `text` around the best groups of `matches`.
    fn passages(
        &self,
        text: &str,
        matches: Vec<Match>,
        max_chars: usize,
        count: usize,
    ) -> Vec<Snippet> {
        let chars = Chars::of(text);
        let max_chars = max_chars.max(20);
        let mut passages: Vec<(usize, usize)> = Vec::new();
        let mut left: Vec<Match> = matches.clone();
        while passages.len() < count {
            let Some((first, last)) = best_window(&left, max_chars, &chars) else {
                break;
            };
            let (start, end) = frame(&chars, left[first].start, left[last].end, max_chars);
            if passages.iter().any(|&(s, e)| start < e && s < end) {
                break;
            }
            passages.push((start, end));
            left.retain(|m| m.end <= start || m.start >= end);
        }
        if passages.is_empty() {
            passages.push(lead(&chars, max_chars));
        }
        passages.sort_unstable();
        passages
            .into_iter()
            .map(|(start, end)| render(&chars, start, end, &matches))
            .collect()
    }

    /// The best passage only (see [`Highlighter::snippets`]).
    #[cfg(test)]
    pub fn snippet(&mut self, text: &str, max_chars: usize) -> Option<Snippet> {
        self.snippets(text, max_chars, 1).into_iter().next()
    }

    fn matches(&mut self, text: &str) -> Vec<Match> {
        if self.marks.is_empty() {
            return Vec::new();
        }
        // Only the tokens that can match are kept (a long page has thousands).
        let mut tokens = Vec::new();
        {
            let (exact, prefixes) = (&self.exact, &self.prefixes);
            let (fuzzy, chars) = (&self.marks.fuzzy, &self.marks.chars);
            let can_match = |term: &str| {
                term.chars().any(|c| chars.contains(&c))
                    || exact.contains(term)
                    || prefixes.iter().any(|p| term.starts_with(p.as_str()))
                    || fuzzy.iter().any(|(t, d)| {
                        term.len().abs_diff(t.len()) <= usize::from(*d)
                            && strsim::osa_distance(term, t) <= usize::from(*d)
                    })
            };
            let (seen, words, kept) = (&mut self.seen, &mut self.words, &mut self.kept);
            let mut compounds = Compounds::default();
            let mut stream = self.tokenizer.token_stream(text);
            while stream.advance() {
                let token = stream.token();
                // A hyphenated compound's parts joined (`to-day` → `today`), as indexed.
                if let Some((joined, from)) =
                    compounds.read(text, &token.text, token.offset_from, token.offset_to)
                {
                    words.terms(joined, |term| {
                        if can_match(term) {
                            tokens.push(Token {
                                text: term.to_string(),
                                position: token.position,
                                from,
                                to: token.offset_to,
                            });
                        }
                    });
                }
                let key = xxh3_128(token.text.as_bytes());
                let (from, to) = *seen.entry(key).or_insert_with(|| {
                    let from = kept.len() as u32;
                    words.terms(&token.text, |term| {
                        if can_match(term) {
                            kept.push(term.to_string());
                        }
                    });
                    (from, kept.len() as u32)
                });
                for word in &kept[from as usize..to as usize] {
                    if let Some((at, c)) = word.char_indices().find(|(_, c)| chars.contains(c)) {
                        // Only the character itself is marked, not its neighbour in the piece.
                        let from = token.offset_from + at;
                        tokens.push(Token {
                            text: c.to_string(),
                            position: token.position,
                            from,
                            to: from + c.len_utf8(),
                        });
                        continue;
                    }
                    tokens.push(Token {
                        text: word.clone(),
                        position: token.position,
                        from: token.offset_from,
                        to: token.offset_to,
                    });
                }
            }
        }
        self.matches_of(text, &tokens)
    }

    /// Which of `tokens` (those that can match, in text order) are marked, with a
    /// term number (distinct words) and a weight, in characters.
    fn matches_of(&self, text: &str, tokens: &[Token]) -> Vec<Match> {
        // Which tokens match, with a term number (distinct words) and a weight.
        let mut hit: Vec<Option<(usize, f32)>> = vec![None; tokens.len()];
        let mut numbers: HashMap<String, usize> = HashMap::new();
        let mut number = |text: &str| {
            let next = numbers.len();
            *numbers.entry(text.to_string()).or_insert(next)
        };
        for (i, token) in tokens.iter().enumerate() {
            let word = token.text.as_str();
            let loose = self
                .marks
                .prefixes
                .iter()
                .any(|p| word.starts_with(p.as_str()))
                || self.marks.fuzzy.iter().any(|(t, d)| {
                    word.len().abs_diff(t.len()) <= usize::from(*d)
                        && strsim::osa_distance(word, t) <= usize::from(*d)
                });
            let single =
                word.chars().count() == 1 && word.chars().all(|c| self.marks.chars.contains(&c));
            if self.marks.terms.iter().any(|t| t == word) {
                hit[i] = Some((number(word), self.weight(word)));
            } else if loose || single {
                hit[i] = Some((number(word), LOOSE_WEIGHT));
            }
        }
        for phrase in &self.marks.phrases {
            for (i, weight) in phrase_occurrences(tokens, phrase) {
                let word = tokens[i].text.clone();
                hit[i] = Some((number(&word), self.weight(&word).max(weight)));
            }
        }
        let found: Vec<(usize, usize, usize, f32)> = tokens
            .iter()
            .zip(&hit)
            .filter_map(|(t, h)| h.map(|(term, weight)| (t.from, t.to, term, weight)))
            .filter(|&(from, to, _, _)| {
                from < to
                    && to <= text.len()
                    && text.is_char_boundary(from)
                    && text.is_char_boundary(to)
            })
            .collect();
        to_chars(text, found)
    }

    fn weight(&self, term: &str) -> f32 {
        self.weights.get(term).copied().unwrap_or(LOOSE_WEIGHT)
    }
}

/// Token indexes that belong to an occurrence of `phrase`, with the phrase's weight.
fn phrase_occurrences(tokens: &[Token], phrase: &Phrase) -> Vec<(usize, f32)> {
    let Some(&(first_offset, _)) = phrase.terms.first() else {
        return Vec::new();
    };
    let last = phrase.terms.len() - 1;
    let fits = |token: &Token, j: usize| {
        let term = &phrase.terms[j].1;
        if phrase.prefix && j == last {
            token.text.starts_with(term.as_str())
        } else {
            token.text == *term
        }
    };
    let by_position: HashMap<usize, Vec<usize>> =
        tokens
            .iter()
            .enumerate()
            .fold(HashMap::new(), |mut map, (i, t)| {
                map.entry(t.position).or_default().push(i);
                map
            });
    let slop = phrase.slop as usize;
    let mut out = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if !fits(token, 0) {
            continue;
        }
        let mut members = vec![i];
        let complete = (1..=last).all(|j| {
            let want = token.position + phrase.terms[j].0 - first_offset;
            let found = (want.saturating_sub(slop)..=want + slop).find_map(|p| {
                by_position
                    .get(&p)
                    .and_then(|ids| ids.iter().copied().find(|&k| fits(&tokens[k], j)))
            });
            found.map(|k| members.push(k)).is_some()
        });
        if complete {
            out.extend(members.into_iter().map(|k| (k, 1.0)));
        }
    }
    out
}

/// Byte ranges to character ranges, sorted; overlapping ranges (CJK bigrams) merged.
fn to_chars(text: &str, mut found: Vec<(usize, usize, usize, f32)>) -> Vec<Match> {
    found.sort_by_key(|&(from, to, _, _)| (from, to));
    let mut edges: Vec<usize> = found.iter().flat_map(|&(f, t, _, _)| [f, t]).collect();
    edges.sort_unstable();
    edges.dedup();
    let mut char_at: HashMap<usize, usize> = HashMap::with_capacity(edges.len());
    let (mut byte, mut chars) = (0usize, 0usize);
    for edge in edges {
        chars += text[byte..edge].chars().count();
        byte = edge;
        char_at.insert(edge, chars);
    }
    let mut out: Vec<Match> = Vec::with_capacity(found.len());
    for (from, to, term, weight) in found {
        let (start, end) = (char_at[&from], char_at[&to]);
        match out.last_mut() {
            Some(last) if start < last.end => {
                last.end = last.end.max(end);
                last.weight = last.weight.max(weight);
            }
            _ => out.push(Match {
                start,
                end,
                term,
                weight,
            }),
        }
    }
    out
}

/// The run of matches (first and last index) that fits in `max_chars` and scores
/// best: each distinct term counts fully, repeats a little, and the share of OCR
/// garbage around the run takes its share off (a word found amid misread
/// characters makes a poor passage when a readable one has it too).
fn best_window(matches: &[Match], max_chars: usize, chars: &Chars) -> Option<(usize, usize)> {
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
        // The garbage share can only lower a score: skip the windows that cannot win.
        if best.is_some_and(|(s, _, _)| score <= s) {
            continue;
        }
        let around = |at: usize| at.min(chars.len());
        let from = around(matches[first].start.saturating_sub(max_chars / 4));
        let to = around(matches[last].end + max_chars / 4);
        let text = chars.string(from..to.max(from));
        score *= 1.0 - crate::ingest::ocr::garbage_share(&text) as f32;
        if best.is_none_or(|(s, _, _)| score > s) {
            best = Some((score, first, last));
        }
    }
    best.map(|(_, first, last)| (first, last))
}

/// Chooses `[start, end)` around the matched span `[span_start, span_end)`: whole
/// sentences when the sentences holding the span fit in `max_chars` (adding the
/// following ones while they fit); otherwise begin at the sentence start when it is
/// close enough, else a little before the first match at a word start, and end at a
/// word boundary within `max_chars`.
fn frame(chars: &Chars, span_start: usize, span_end: usize, max_chars: usize) -> (usize, usize) {
    if let Some(sentences) = sentences_around(chars, span_start, span_end, max_chars) {
        return sentences;
    }
    let slack = max_chars.saturating_sub(span_end - span_start);
    let lookback = span_start.saturating_sub(slack);
    let sentence = (lookback..span_start)
        .rev()
        .find(|&i| starts_sentence(chars, i));
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

/// The whole sentences around the span, when they fit in `max_chars`.
fn sentences_around(
    chars: &Chars,
    span_start: usize,
    span_end: usize,
    max_chars: usize,
) -> Option<(usize, usize)> {
    let mut start = (span_start.saturating_sub(max_chars)..=span_start)
        .rev()
        .find(|&i| starts_sentence(chars, i))?;
    while start < chars.len() && chars[start].is_whitespace() {
        start += 1;
    }
    let mut end = sentence_end(chars, span_end.max(start), start + max_chars)?;
    if end - start > max_chars || end < span_end {
        return None;
    }
    while let Some(next) = sentence_end(chars, end, start + max_chars) {
        if next - start > max_chars || next <= end {
            break;
        }
        end = next;
    }
    Some((start, end))
}

/// The end (exclusive) of the sentence running at `from`, if it ends before `limit`.
fn sentence_end(chars: &Chars, from: usize, limit: usize) -> Option<usize> {
    let limit = limit.min(chars.len());
    let mut i = from;
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    if i >= chars.len() {
        return None;
    }
    (i..limit)
        .find(|&k| ends_sentence(chars, k))
        .map(|k| if chars[k] == '\n' { k } else { k + 1 })
        .or((limit == chars.len() && limit > i).then_some(limit))
}

/// Whether the character at `i` closes a sentence.
fn ends_sentence(chars: &Chars, i: usize) -> bool {
    match chars[i] {
        '\n' | '。' | '！' | '？' => true,
        '.' | '!' | '?' => {
            chars
                .get(i + 1)
                .is_none_or(|c| c.is_whitespace() || c == '"' || c == '”')
                && !(chars[i] == '.' && abbreviation(chars, i))
        }
        _ => false,
    }
}

/// Whether a sentence starts at `i`.
fn starts_sentence(chars: &Chars, i: usize) -> bool {
    i == 0
        || chars[i - 1] == '\n'
        || "。！？".contains(chars[i - 1])
        || (chars[i - 1].is_whitespace()
            && i >= 2
            && ".!?".contains(chars[i - 2])
            && !(chars[i - 2] == '.' && abbreviation(chars, i - 2)))
}

/// Whether the `.` at `dot` ends an abbreviation (`U.S.`, `Mr.`, `Inc.`), not a sentence.
fn abbreviation(chars: &Chars, dot: usize) -> bool {
    let start = (0..dot)
        .rev()
        .find(|&i| !(chars[i].is_alphabetic() || chars[i] == '.'))
        .map_or(0, |i| i + 1);
    let word = chars.string(start..dot);
    let single_capital = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    single_capital
        || word.contains('.')
        || [
            "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Inc", "Corp", "Co", "Ltd", "No", "vs",
            "Gov", "Sen", "Rep", "Gen", "Prof",
        ]
        .contains(&word.as_str())
}

/// The opening of the text: its first sentences, or its first `max_chars` characters.
fn lead(chars: &Chars, max_chars: usize) -> (usize, usize) {
    let first = (0..chars.len())
        .position(|i| !chars[i].is_whitespace())
        .unwrap_or(0);
    frame(chars, first, first, max_chars)
}

/// Builds the snippet text for `chars[start..end]`, collapsing whitespace and control
/// characters, adding `…` at cut ends, and mapping matches to output offsets.
fn render(chars: &Chars, start: usize, end: usize, matches: &[Match]) -> Snippet {
    let mut text = String::new();
    let mut len = 0usize;
    if start > 0 {
        text.push('…');
        len += 1;
    }
    let mut highlights = Vec::new();
    let mut ranges = Vec::new();
    let mut pending_space = false;
    let mut open: Option<usize> = None;
    let mut inside = matches
        .iter()
        .filter(|m| m.start >= start && m.end <= end)
        .peekable();
    for pos in start..end.min(chars.len()) {
        let ch = chars[pos];
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
                if let Some(m) = inside.peek() {
                    ranges.push([m.start, m.end]);
                }
            }
            inside.next();
        }
    }
    let at_sentence_end = end > 0 && ends_sentence(chars, end - 1) && chars[end - 1] != '\n';
    if end < chars.len() && !at_sentence_end {
        let keep = highlights.last().map_or(0, |h| h[1]);
        while len > keep && text.ends_with([',', ';', ':', '-']) {
            text.pop();
            len -= 1;
        }
        text.push('…');
    }
    debug_assert_eq!(clean_line(&text).chars().count(), text.chars().count());
    Snippet {
        text,
        highlights,
        page: None,
        boxes: Vec::new(),
        source: (start, ranges),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlighter(terms: &[&str]) -> Highlighter {
        let marks = Marks {
            terms: terms.iter().map(|t| t.to_string()).collect(),
            ..Marks::default()
        };
        Highlighter::new(Analysis::ENGLISH, marks, HashMap::new())
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
        let mut h = highlighter(&["center", "cafe"]);
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

#[cfg(test)]
mod positions {
    use super::*;
    use crate::index::analyzer::indexing_analyzer;

    /// Where the index puts `terms` in `text` of `analysis`.
    fn indexed_at(analysis: Analysis, text: &str, terms: &[String]) -> Vec<(usize, String)> {
        let mut analyzer = indexing_analyzer(analysis);
        let mut stream = analyzer.token_stream(text);
        let mut at = Vec::new();
        while stream.advance() {
            let token = stream.token();
            if terms.contains(&token.text) {
                at.push((token.position, token.text.clone()));
            }
        }
        at.sort_unstable();
        at
    }

    #[test]
    fn passages_from_the_index_s_positions_are_those_from_reading_the_text() {
        let text = "The Strikers met at the docks. Nothing was said of the strike for a \
                    while; then the United States consul spoke. Later, striking dockers \
                    and the consul of the united  states walked out, and the strike spread \
                    to the harbours of three states, united at last.";
        let marks = |terms: &[&str], phrases: &[&[&str]]| Marks {
            terms: terms.iter().map(|t| t.to_string()).collect(),
            phrases: phrases
                .iter()
                .map(|p| Phrase {
                    terms: p
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (i, t.to_string()))
                        .collect(),
                    slop: 0,
                    prefix: false,
                })
                .collect(),
            ..Marks::default()
        };
        let weights: HashMap<String, f32> =
            [("strike".to_string(), 2.0), ("consul".to_string(), 1.0)].into();
        // The same words in a long text, read from its resume points.
        let filler = "Wire copy from the U.S. desk: 人工智能 reports, O'Brien's notes \
                      and 12.5% more. "
            .repeat(40);
        let long = format!("{filler}{text} {filler}{text}");
        assert!(!ResumePoints::of(&long).is_empty());
        for (analysis, marks) in [
            (Analysis::ENGLISH, marks(&["strike", "consul"], &[])),
            (
                Analysis::ENGLISH,
                marks(&["harbour"], &[&["unit", "state"]]),
            ),
            (
                Analysis::Folded,
                marks(&["strike"], &[&["united", "states"]]),
            ),
        ] {
            let mut highlighter = Highlighter::new(analysis, marks, weights.clone());
            let terms = highlighter.position_terms().expect("exact words only");
            for text in [text, long.as_str()] {
                let at = indexed_at(analysis, text, &terms);
                assert!(!at.is_empty());
                let resume = ResumePoints::of(text);
                for (chars, count) in [(60, 2), (120, 1), (30, 3)] {
                    let read = highlighter.snippets(text, chars, count);
                    assert!(read.iter().any(|s| !s.highlights.is_empty()));
                    let placed = highlighter.snippets_at((text, &resume), &at, chars, count);
                    assert_eq!(placed, read);
                }
            }
        }
    }

    #[test]
    fn marks_only_reading_finds_are_read() {
        let analysed = |marks: Marks, analysis| Highlighter::new(analysis, marks, HashMap::new());
        let prefix = Marks {
            prefixes: vec!["strik".into()],
            ..Marks::default()
        };
        let phrase_prefix = Marks {
            phrases: vec![Phrase {
                terms: vec![(0, "ai".into()), (1, "cent".into())],
                slop: 0,
                prefix: true,
            }],
            ..Marks::default()
        };
        let stops = Marks {
            terms: vec!["the".into()],
            stop_words: true,
            ..Marks::default()
        };
        let plain = Marks {
            terms: vec!["putin".into()],
            ..Marks::default()
        };
        assert!(
            analysed(prefix, Analysis::ENGLISH)
                .position_terms()
                .is_none()
        );
        assert!(
            analysed(phrase_prefix, Analysis::ENGLISH)
                .position_terms()
                .is_none()
        );
        assert!(
            analysed(stops, Analysis::ENGLISH)
                .position_terms()
                .is_none()
        );
        assert!(
            analysed(plain.clone(), Analysis::of("ru"))
                .position_terms()
                .is_none()
        );
        assert_eq!(
            analysed(plain, Analysis::ENGLISH).position_terms(),
            Some(vec!["putin".to_string()])
        );
    }
}
