//! Cutting text into words: runs of letters and digits, like Tantivy's simple
//! tokenizer, with four news-text rules on top:
//!
//! - Chinese, Japanese and Korean runs, and Thai, Lao, Khmer and Myanmar ones
//!   (written without spaces between words), become overlapping character
//!   bigrams, one position each, so a query word turns into a phrase of bigrams
//!   that matches exactly where the word occurs; a lone character is kept as
//!   itself.
//! - Acronyms written with dots (`U.S.`, `U.K.`, `e.g.`) become one word (`US`).
//! - A possessive `'s` or `’s` is dropped (`UNIDO's` → `UNIDO`).
//! - A word goes on through its combining marks (the virama of `हिन्दी`, the pulli
//!   of `தமிழ்`, Hebrew points, an accent written apart from its letter, read as
//!   `é`) and through the invisible characters that shape it but are not read: a
//!   soft hyphen (`co\u{ad}operation` is `cooperation`), a zero-width joiner or
//!   non-joiner.
//!
//! Hyphenated words (`AI-driven`) are their parts at consecutive positions, so the
//! hyphenated query is a phrase and each part matches alone; [`Compounds`] finds
//! the parts joined (`to-day` → `today`), which the index also holds.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The tokenizer of titles, bodies and names.
#[derive(Clone, Default)]
pub struct NewsTokenizer {
    token: Token,
    /// Plain words are given as positions and offsets only, their text left empty.
    bare: bool,
}

impl NewsTokenizer {
    /// A tokenizer for where the words are: a plain word's text (an ASCII word,
    /// nearly every word of most archives) is not copied into its token, which is
    /// left empty; other words' tokens hold their text. Only for a reader that
    /// takes an empty token's word from the text at its offsets (the
    /// highlighter, the fingerprint's words, the English stop-word filter),
    /// never before a filter that reads the token's text.
    pub fn positions() -> NewsTokenizer {
        NewsTokenizer {
            token: Token::default(),
            bare: true,
        }
    }
}

/// The token stream of [`NewsTokenizer`].
pub struct NewsTokenStream<'a> {
    text: &'a str,
    /// Where reading goes on, in bytes (ASCII is read a byte at a time, the rest
    /// a character at a time).
    at: usize,
    token: &'a mut Token,
    bare: bool,
    /// The previous character of the current CJK run, and whether a bigram has
    /// been emitted in this run.
    cjk: Option<(usize, char, bool)>,
}

impl Tokenizer for NewsTokenizer {
    type TokenStream<'a> = NewsTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NewsTokenStream<'a> {
        self.token.reset();
        NewsTokenStream {
            text,
            at: 0,
            token: &mut self.token,
            bare: self.bare,
            cjk: None,
        }
    }
}

/// Whether `c` belongs to a script written without spaces between words (Han,
/// Hiragana, Katakana; Thai, Lao, Khmer and Myanmar, whose spaces part phrases)
/// or one that is usually searched by bigrams (Hangul): read in two-character
/// pieces, marks included, as no word list is at hand to cut them into words.
pub fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0E7F      // Thai
        | 0x0E80..=0x0EFF    // Lao
        | 0x1000..=0x109F    // Myanmar
        | 0x1100..=0x11FF    // Hangul Jamo
        | 0x1780..=0x17FF    // Khmer
        | 0x19E0..=0x19FF    // Khmer symbols
        | 0xA9E0..=0xA9FF    // Myanmar extended-B
        | 0xAA60..=0xAA7F    // Myanmar extended-A
        | 0x3040..=0x309F    // Hiragana
        | 0x30A0..=0x30FF    // Katakana
        | 0x3130..=0x318F    // Hangul compatibility Jamo
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0x20000..=0x2FA1F  // CJK extensions B–F and supplements
    )
}

/// Invisible characters inside a word that are not read: the soft hyphen (where
/// a page may break the word), and the zero-width non-joiner and joiner (Persian
/// `می‌خواهم`, Indic conjuncts), which shape the letters but not the word.
fn is_unread(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200c}' | '\u{200d}')
}

/// Whether `c` joins two words into one (`to-day`): the hyphen-minus, and
/// Unicode's hyphen and non-breaking hyphen (not the dashes, which part words).
fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() && !is_unspaced(c)
    }
}

impl NewsTokenStream<'_> {
    /// The character at the reading place, with its offset.
    fn peek(&self) -> Option<(usize, char)> {
        match self.text.as_bytes().get(self.at) {
            None => None,
            Some(&b) if b.is_ascii() => Some((self.at, char::from(b))),
            Some(_) => self.text[self.at..].chars().next().map(|c| (self.at, c)),
        }
    }

    /// Reads past the character at the reading place.
    fn skip(&mut self, c: char) {
        self.at += c.len_utf8();
    }

    fn emit(&mut self, from: usize, to: usize) -> bool {
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.position_length = 1;
        true
    }

    /// Reads a word starting at `start` (its first character already consumed).
    fn word(&mut self, start: usize, first: char) -> bool {
        let bytes = self.text.as_bytes();
        let mut end = start + first.len_utf8();
        // Characters read past and left out of the word; accents written apart.
        let (mut unread, mut accents) = (false, false);
        loop {
            match bytes.get(end) {
                Some(b) if b.is_ascii_alphanumeric() => end += 1,
                Some(b) if !b.is_ascii() => {
                    let mut chars = self.text[end..].chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), _) if is_word_char(c) => end += c.len_utf8(),
                        (Some(c), _) if is_combining_mark(c) => {
                            accents |= ('\u{300}'..='\u{36f}').contains(&c);
                            end += c.len_utf8();
                        }
                        (Some(c), Some(next))
                            if is_unread(c) && (is_word_char(next) || is_combining_mark(next)) =>
                        {
                            unread = true;
                            end += c.len_utf8();
                        }
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        self.at = end;
        if end == start + first.len_utf8() && first.is_alphabetic() && self.acronym(start, end) {
            return true;
        }
        let word = &self.text[start..end];
        if accents {
            // `e` and U+0301 are `é`, which folds to `e` as the written-whole one does.
            self.token
                .text
                .extend(word.nfc().filter(|&c| !is_unread(c)));
        } else if unread {
            self.token
                .text
                .extend(word.chars().filter(|&c| !is_unread(c)));
        } else {
            self.token.text.push_str(word);
        }
        self.skip_possessive();
        self.emit(start, end)
    }

    /// `U.S.`: single letters joined by dots, read as one word of at least two letters.
    fn acronym(&mut self, start: usize, first_end: usize) -> bool {
        let rest = &self.text[first_end..];
        if !rest.starts_with('.') {
            return false; // `a`, `I`: no allocation for the common case
        }
        let mut letters = vec![&self.text[start..first_end]];
        let mut consumed = 0usize;
        let mut chars = rest.chars();
        while let (Some('.'), Some(letter)) = (chars.next(), chars.next()) {
            let after = chars.clone().next();
            if !letter.is_alphabetic() || is_unspaced(letter) || after.is_some_and(is_word_char) {
                break;
            }
            letters.push(&rest[consumed + 1..consumed + 1 + letter.len_utf8()]);
            consumed += 1 + letter.len_utf8();
        }
        if letters.len() < 2 {
            return false;
        }
        let end = first_end + consumed;
        self.at = self.at.max(end);
        for letter in letters {
            self.token.text.push_str(letter);
        }
        self.emit(start, end)
    }

    /// Drops `'s` / `’s` right after a word when no letter follows.
    fn skip_possessive(&mut self) {
        let Some((i, quote)) = self.peek() else {
            return;
        };
        if quote != '\'' && quote != '\u{2019}' {
            return;
        }
        let rest = &self.text[i + quote.len_utf8()..];
        let mut chars = rest.chars();
        if matches!(chars.next(), Some('s' | 'S')) && !chars.next().is_some_and(is_word_char) {
            self.at = i + quote.len_utf8() + 1;
        }
    }
}

/// Words joined by hyphens (`to-day`, `co-operation`, `e-mail`), read a token
/// at a time from a [`NewsTokenizer`]: each part is a word of its own, and the
/// parts joined (`today`) are one word too, so the spelling without hyphens finds
/// the hyphenated one. Compounds with no letter (`1916-17`) are left out.
#[derive(Clone, Default)]
pub struct Compounds {
    /// The parts so far, joined.
    joined: String,
    parts: usize,
    /// Where the first part starts.
    from: usize,
    /// Where the next part must start for the compound to go on.
    next: Option<usize>,
}

/// Compounds longer than this many bytes are not joined (no term is that long).
const MAX_COMPOUND_BYTES: usize = 64;

impl Compounds {
    /// Reads the token `word`, which stands at `from..to` in `text`. When it ends
    /// a compound of two or more parts, gives the parts joined and where the
    /// compound starts in the text.
    pub fn read(
        &mut self,
        text: &str,
        word: &str,
        from: usize,
        to: usize,
    ) -> Option<(&str, usize)> {
        let goes_on = self.next == Some(from);
        // Nearly every word has no hyphen after it: one byte tells.
        self.next = match text.as_bytes().get(to) {
            Some(b'-' | 0xE2) => {
                let mut after = text.get(to..).unwrap_or_default().chars();
                match (after.next(), after.next()) {
                    (Some(h), Some(c)) if is_hyphen(h) && is_word_char(c) => {
                        Some(to + h.len_utf8())
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        if !goes_on {
            self.next?; // a word alone
            self.joined.clear();
            self.parts = 0;
            self.from = from;
        }
        if self.joined.len() <= MAX_COMPOUND_BYTES {
            self.joined.push_str(word);
        }
        self.parts += 1;
        let ends = self.next.is_none()
            && self.parts > 1
            && self.joined.len() <= MAX_COMPOUND_BYTES
            && self.joined.chars().any(char::is_alphabetic);
        ends.then_some((self.joined.as_str(), self.from))
    }
}

impl NewsTokenStream<'_> {
    /// The byte where reading stands, when reading can start again there knowing
    /// only the last word's position: outside a CJK run, the one thing a
    /// reading carries from word to word (see [`super::resume`]).
    pub fn resumable(&self) -> Option<usize> {
        self.cjk.is_none().then_some(self.at)
    }

    /// Reads on from byte `at` of the text, a place [`NewsTokenStream::resumable`]
    /// gave for it after the word at `position`: the words that follow come as
    /// they would have from the start. `false`, and nothing changed, when `at` is
    /// no character boundary of the text.
    pub fn resume(&mut self, at: usize, position: usize) -> bool {
        if !self.text.is_char_boundary(at) {
            return false;
        }
        self.at = at;
        self.cjk = None;
        self.token.position = position;
        true
    }

    /// The position the next word will have.
    pub fn next_position(&self) -> usize {
        self.token.position.wrapping_add(1)
    }
}

impl NewsTokenStream<'_> {
    /// The common case, read a byte at a time: spaces and punctuation, then a word
    /// of ASCII letters and digits that ends before ASCII other than `.` or `'`
    /// (no acronym, no possessive, no letter of another script to follow). `false`
    /// where the general reading must decide; the place is then past the spaces.
    fn plain_word(&mut self) -> bool {
        if self.cjk.is_some() {
            return false;
        }
        let bytes = self.text.as_bytes();
        let mut start = self.at;
        while start < bytes.len()
            && bytes[start].is_ascii()
            && !bytes[start].is_ascii_alphanumeric()
        {
            start += 1;
        }
        self.at = start;
        if !bytes.get(start).is_some_and(u8::is_ascii_alphanumeric) {
            return false;
        }
        let mut end = start + 1;
        while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
            end += 1;
        }
        if bytes
            .get(end)
            .is_some_and(|&b| !b.is_ascii() || b == b'.' || b == b'\'')
        {
            return false;
        }
        self.at = end;
        if !self.bare {
            self.token.text.push_str(&self.text[start..end]);
        }
        self.emit(start, end)
    }
}

impl TokenStream for NewsTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        if self.plain_word() {
            return true;
        }
        loop {
            match self.peek() {
                Some((i, c)) if !c.is_ascii() && is_unspaced(c) => {
                    self.skip(c);
                    match self.cjk.replace((i, c, true)) {
                        Some((from, previous, _)) => {
                            self.token.text.push(previous);
                            self.token.text.push(c);
                            return self.emit(from, i + c.len_utf8());
                        }
                        None => self.cjk = Some((i, c, false)),
                    }
                }
                next => {
                    if let Some((from, c, emitted)) = self.cjk.take()
                        && !emitted
                    {
                        self.token.text.push(c);
                        return self.emit(from, from + c.len_utf8());
                    }
                    let Some((i, c)) = next else {
                        return false;
                    };
                    self.skip(c);
                    if is_word_char(c) {
                        return self.word(i, c);
                    }
                    // Spaces and punctuation, a byte at a time.
                    let bytes = self.text.as_bytes();
                    while bytes
                        .get(self.at)
                        .is_some_and(|b| b.is_ascii() && !b.is_ascii_alphanumeric())
                    {
                        self.at += 1;
                    }
                }
            }
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize, usize, usize)> {
        tokens_of(&mut NewsTokenizer::default(), text)
    }

    fn tokens_of(tokenizer: &mut NewsTokenizer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    fn words(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.0).collect()
    }

    #[test]
    fn words_hyphens_acronyms_and_possessives() {
        assert_eq!(
            words("AI-driven UNIDO's plan"),
            ["AI", "driven", "UNIDO", "plan"]
        );
        assert_eq!(
            words("the U.S. and U.K. (e.g. here)"),
            ["the", "US", "and", "UK", "eg", "here"]
        );
        assert_eq!(words("U.S.-China talks"), ["US", "China", "talks"]);
        assert_eq!(
            words("A. Smith, 3.5 and O'Brien’s"),
            ["A", "Smith", "3", "5", "and", "O", "Brien"]
        );
        assert_eq!(words("it’s a dog's life"), ["it", "a", "dog", "life"]);
        let t = tokens("in U.S. now");
        assert_eq!(t[1], ("US".to_string(), 1, 3, 6));
        assert_eq!(t[2].1, 2);
    }

    #[test]
    fn compounds_are_their_parts_joined() {
        // `U.S.-led`: the acronym ends before its last dot, not at the hyphen.
        let text = "To-day, co\u{2011}operation and e-mail-list; 1916-17, U.S.-led -x y- \
                    jean-luc's won't — a–b";
        let mut compounds = Compounds::default();
        let mut got = Vec::new();
        for (word, _, from, to) in tokens(text) {
            if let Some((joined, at)) = compounds.read(text, &word, from, to) {
                got.push((joined.to_string(), &text[at..to]));
            }
        }
        assert_eq!(
            got,
            [
                ("Today".to_string(), "To-day"),
                ("cooperation".to_string(), "co\u{2011}operation"),
                ("emaillist".to_string(), "e-mail-list"),
                ("jeanluc".to_string(), "jean-luc"),
            ]
        );
        // A compound too long for a term is not joined.
        let long = format!("{}-{}", "a".repeat(40), "b".repeat(40));
        let mut compounds = Compounds::default();
        assert!(
            tokens(&long)
                .into_iter()
                .all(|(w, _, from, to)| compounds.read(&long, &w, from, to).is_none())
        );
    }

    #[test]
    fn a_soft_hyphen_inside_a_word_is_not_read() {
        let t = tokens("co\u{ad}operation \u{ad}x y\u{ad} ab\u{ad}\u{ad}cd");
        let got: Vec<(&str, usize, usize)> = t.iter().map(|t| (t.0.as_str(), t.2, t.3)).collect();
        assert_eq!(
            got,
            [
                ("cooperation", 0, 13),
                ("x", 16, 17),
                ("y", 18, 19),
                ("ab", 22, 24),
                ("cd", 28, 30)
            ]
        );
        let positions = tokens_of(&mut NewsTokenizer::positions(), "co\u{ad}operation");
        assert_eq!(positions[0].0, "cooperation");
    }

    #[test]
    fn words_go_on_through_their_marks_and_joiners() {
        // Hindi's virama, Tamil's pulli, Bengali's hasanta, Hebrew points.
        assert_eq!(words("हिन्दी भाषा।"), ["हिन्दी", "भाषा"]);
        assert_eq!(words("தமிழ்நாட்டின் செய்தி"), ["தமிழ்நாட்டின்", "செய்தி"]);
        assert_eq!(words("বাংলা সংবাদপত্র"), ["বাংলা", "সংবাদপত্র"]);
        assert_eq!(words("שָׁלוֹם"), ["שָׁלוֹם"]);
        // An accent written apart is read with its letter.
        assert_eq!(
            words("cafe\u{301}s re\u{301}sume\u{301}"),
            ["cafés", "résumé"]
        );
        // Joiners shape letters, not words: not read.
        assert_eq!(words("می\u{200c}خواهم"), ["میخواهم"]);
        assert_eq!(words("क\u{94d}\u{200d}ष"), ["क\u{94d}ष"]);
        // A mark or joiner after a space starts no word.
        assert_eq!(words("a \u{301}b \u{200c} c"), ["a", "b", "c"]);
        let t = tokens("x हिन्दी y");
        assert_eq!((t[1].2, t[1].3, t[2].1), (2, 20, 2));
    }

    #[test]
    fn plain_words_end_where_the_general_reading_would_have_ended_them() {
        // Each word read by the fast path ends before a byte it leaves to the rest.
        assert_eq!(
            words("end. U.S. rock'n'roll it's x—y café naïve 12.5% A.B"),
            [
                "end", "US", "rock", "n", "roll", "it", "x", "y", "café", "naïve", "12", "5", "AB"
            ]
        );
        assert_eq!(words("abc日本語def"), ["abc", "日本", "本語", "def"]);
        assert_eq!(words("日 abc"), ["日", "abc"]);
        assert_eq!(words("  trailing  "), ["trailing"]);
        assert_eq!(words("...,;"), Vec::<String>::new());
        let t = tokens("one  two,three");
        assert_eq!(t[2], ("three".to_string(), 2, 9, 14));
    }

    #[test]
    fn the_positions_tokenizer_gives_the_same_places() {
        let text = "The U.S. and UNIDO's 人工智能 centre, café-bar 12.5 x";
        let got: Vec<(usize, usize, usize)> = tokens_of(&mut NewsTokenizer::positions(), text)
            .into_iter()
            .map(|t| (t.1, t.2, t.3))
            .collect();
        let full: Vec<(usize, usize, usize)> =
            tokens(text).into_iter().map(|t| (t.1, t.2, t.3)).collect();
        assert_eq!(got, full);
    }

    #[test]
    fn the_positions_tokenizer_copies_no_plain_word() {
        let text = "Plain words, U.S. and café";
        let got: Vec<String> = tokens_of(&mut NewsTokenizer::positions(), text)
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(got, ["", "", "US", "", "café"]);
    }

    #[test]
    fn cjk_runs_become_bigrams_with_positions() {
        let t = tokens("人工智能AI中心 日");
        let got: Vec<(&str, usize)> = t.iter().map(|t| (t.0.as_str(), t.1)).collect();
        assert_eq!(
            got,
            [
                ("人工", 0),
                ("工智", 1),
                ("智能", 2),
                ("AI", 3),
                ("中心", 4),
                ("日", 5)
            ]
        );
        assert_eq!((t[0].2, t[0].3), (0, 6));
        assert_eq!((t[2].2, t[2].3), (6, 12));
        assert_eq!(words("한국어 뉴스"), ["한국", "국어", "뉴스"]);
        // Thai, marks and all, and the other scripts written without spaces.
        assert_eq!(words("ฝนตก หนัก"), ["ฝน", "นต", "ตก", "หน", "นั", "ัก"]);
        assert_eq!(words("ລາວ"), ["ລາ", "າວ"]);
        assert_eq!(words("ខ្មែរ"), ["ខ្", "្ម", "មែ", "ែរ"]);
        assert_eq!(words("မြန်"), ["မြ", "ြန", "န်"]);
        assert_eq!(words("東京で"), ["東京", "京で"]);
    }
}
