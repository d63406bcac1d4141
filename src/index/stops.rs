//! Stop words kept apart. Ranking leaves Lucene's 33 English stop words out (they
//! carry no topic, and counting them in an article's length lowered MAP on the
//! TIME collection), but a quoted phrase must match them exactly: "Birth of a
//! Nation" is not "birth of the nation". So the headline and body are indexed a
//! second time through [`StopWordsOnly`], which keeps only the stop words, at the
//! positions the text analyzer gives every word. A phrase is then checked across
//! both fields, position by position (`search::phrase`).

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Lucene's English stop words (`EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`).
pub const STOP_WORDS: [&str; 33] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// Whether a lowercase word is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// Token filter keeping only stop words (expects lowercase tokens).
#[derive(Clone, Copy, Default)]
pub struct StopWordsOnly;

impl TokenFilter for StopWordsOnly {
    type Tokenizer<T: Tokenizer> = StopWordsOnlyFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StopWordsOnlyFilter<T> {
        StopWordsOnlyFilter { tokenizer }
    }
}

/// [`StopWordsOnly`] around a tokenizer.
#[derive(Clone)]
pub struct StopWordsOnlyFilter<T> {
    tokenizer: T,
}

impl<T: Tokenizer> Tokenizer for StopWordsOnlyFilter<T> {
    type TokenStream<'a> = StopWordsOnlyStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StopWordsOnlyStream {
            tail: self.tokenizer.token_stream(text),
        }
    }
}

/// The token stream of [`StopWordsOnlyFilter`].
pub struct StopWordsOnlyStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for StopWordsOnlyStream<T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            if is_stop_word(&self.tail.token().text) {
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
