//! Stop words kept apart. Ranking leaves Lucene's 33 English stop words out (they
//! carry no topic, and counting them in an article's length lowered MAP on the
//! TIME collection), but a quoted phrase must match them exactly: "Birth of a
//! Nation" is not "birth of the nation". So the headline and body are indexed a
//! second time through [`StopWordsOnly`], which keeps only the stop words, at the
//! positions the text analyzer gives every word. A phrase is then checked across
//! both fields, position by position (`search::phrase`). Articles in other
//! languages leave out and keep apart their language's stop words the same way.

use tantivy::tokenizer::{
    RawTokenizer, StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

use super::analysis::Analysis;

/// Lucene's English stop words (`EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`).
pub const STOP_WORDS: [&str; 33] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// The bytes of the longest English stop word.
const LONGEST_STOP_WORD: usize = 5;

/// Whether a lowercase word is a stop word. A `match` the compiler turns into a
/// switch on the length and bytes: this runs on every word indexed.
pub fn is_stop_word(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "but"
            | "by"
            | "for"
            | "if"
            | "in"
            | "into"
            | "is"
            | "it"
            | "no"
            | "not"
            | "of"
            | "on"
            | "or"
            | "such"
            | "that"
            | "the"
            | "their"
            | "then"
            | "there"
            | "these"
            | "they"
            | "this"
            | "to"
            | "was"
            | "will"
            | "with"
    )
}

/// Token filter keeping only the stop words of a language, lowercased (outside
/// English it expects lowercase tokens).
#[derive(Clone)]
pub enum StopWordsOnly {
    /// Lucene's English list.
    English,
    /// A word through the language's stop-word filter: nothing left when it is one.
    Other(TextAnalyzer),
    /// The language has no stop words.
    None,
}

impl StopWordsOnly {
    /// The stop words the text analyzer of `analysis` leaves out.
    pub fn of(analysis: Analysis) -> StopWordsOnly {
        if analysis == Analysis::ENGLISH {
            return StopWordsOnly::English;
        }
        match analysis.stemmer().and_then(StopWordFilter::new) {
            Some(filter) => StopWordsOnly::Other(
                TextAnalyzer::builder(RawTokenizer::default())
                    .filter(filter)
                    .build(),
            ),
            None => StopWordsOnly::None,
        }
    }

    /// Whether `token`'s word is kept, lowercased, as its text. English reads
    /// words as written (only a word of five letters or fewer can be one of its
    /// stop words, so the rest are not lowercased first), and takes a word whose
    /// token is bare ([`NewsTokenizer::positions`]) from `text`: the words it
    /// drops, most of them, are never copied. The other languages expect them
    /// lowercased.
    ///
    /// [`NewsTokenizer::positions`]: super::tokenizer::NewsTokenizer::positions
    fn keeps(&mut self, token: &mut Token, text: &str) -> bool {
        match self {
            StopWordsOnly::English if token.text.is_ascii() => {
                // A bare token leaves its word in the text: copied when short enough.
                let bare = token.text.is_empty();
                let len = match bare {
                    true => token.offset_to.saturating_sub(token.offset_from),
                    false => token.text.len(),
                };
                if len > LONGEST_STOP_WORD {
                    return false;
                }
                if bare {
                    let word = text.get(token.offset_from..token.offset_to).unwrap_or("");
                    token.text.push_str(word);
                }
                token.text.make_ascii_lowercase();
                is_stop_word(&token.text)
            }
            StopWordsOnly::English => {
                let lower = token.text.to_lowercase();
                let keep = is_stop_word(&lower);
                token.text = lower;
                keep
            }
            StopWordsOnly::Other(filter) => !filter.token_stream(&token.text).advance(),
            StopWordsOnly::None => false,
        }
    }
}

impl TokenFilter for StopWordsOnly {
    type Tokenizer<T: Tokenizer> = StopWordsOnlyFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StopWordsOnlyFilter<T> {
        StopWordsOnlyFilter {
            tokenizer,
            stops: self,
        }
    }
}

/// [`StopWordsOnly`] around a tokenizer.
#[derive(Clone)]
pub struct StopWordsOnlyFilter<T> {
    tokenizer: T,
    stops: StopWordsOnly,
}

impl<T: Tokenizer> Tokenizer for StopWordsOnlyFilter<T> {
    type TokenStream<'a> = StopWordsOnlyStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StopWordsOnlyStream {
            tail: self.tokenizer.token_stream(text),
            stops: &mut self.stops,
            text,
        }
    }
}

/// The token stream of [`StopWordsOnlyFilter`].
pub struct StopWordsOnlyStream<'a, T> {
    tail: T,
    stops: &'a mut StopWordsOnly,
    text: &'a str,
}

impl<T: TokenStream> TokenStream for StopWordsOnlyStream<'_, T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            if self.stops.keeps(self.tail.token_mut(), self.text) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_holds_exactly_the_list() {
        for word in STOP_WORDS {
            assert!(is_stop_word(word), "{word}");
        }
        assert_eq!(
            STOP_WORDS.iter().map(|w| w.len()).max(),
            Some(LONGEST_STOP_WORD)
        );
        for word in [
            "", "th", "thee", "them", "there's", "The", "ands", "i", "was ", "wil",
        ] {
            assert!(!is_stop_word(word), "{word}");
        }
    }

    #[test]
    fn english_keeps_every_stop_word_in_any_case_and_nothing_else() {
        let text = STOP_WORDS
            .iter()
            .map(|w| w.to_uppercase())
            .chain(["There", "THESE", "Theirs", "others", "Andes", "Thé", "İT"].map(String::from))
            .collect::<Vec<_>>()
            .join(" ");
        let mut stops =
            crate::index::analyzer::stops_analyzer_for(crate::index::analysis::Analysis::ENGLISH);
        let mut stream = stops.token_stream(&text);
        let mut kept = Vec::new();
        while stream.advance() {
            kept.push(stream.token().text.clone());
        }
        let mut expected: Vec<String> = STOP_WORDS.iter().map(|w| w.to_string()).collect();
        expected.extend(["there", "these"].map(String::from));
        assert_eq!(kept, expected);
    }
}
