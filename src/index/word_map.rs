//! A token filter that rewrites single words by a function (a spelling table, a
//! transliteration): one token in, one token out, at the same place.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Replaces each token's text by what `0` gives for it (`None`: kept).
#[derive(Clone, Copy)]
pub struct WordMap(pub fn(&str) -> Option<String>);

impl TokenFilter for WordMap {
    type Tokenizer<T: Tokenizer> = WordMapFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> WordMapFilter<T> {
        WordMapFilter {
            tokenizer,
            map: self.0,
        }
    }
}

/// [`WordMap`] around a tokenizer.
#[derive(Clone)]
pub struct WordMapFilter<T> {
    tokenizer: T,
    map: fn(&str) -> Option<String>,
}

impl<T: Tokenizer> Tokenizer for WordMapFilter<T> {
    type TokenStream<'a> = WordMapStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        WordMapStream {
            tail: self.tokenizer.token_stream(text),
            map: self.map,
        }
    }
}

/// The token stream of [`WordMapFilter`].
pub struct WordMapStream<T> {
    tail: T,
    map: fn(&str) -> Option<String>,
}

impl<T: TokenStream> TokenStream for WordMapStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(text) = (self.map)(&token.text) {
            token.text = text;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
