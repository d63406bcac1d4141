//! British spellings mapped to American ones before stemming, so `centre` meets
//! `center` and `organisation` meets `organization` in documents and queries alike.
//! The list (`british_american.tsv`, about 1,700 word forms) is maintained data,
//! not code: its header says where it comes from and what was removed.

use std::collections::HashMap;
use std::sync::LazyLock;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

static PAIRS: &str = include_str!("british_american.tsv");

static BRITISH_TO_AMERICAN: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    PAIRS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('\t'))
        .collect()
});

/// The American spelling of a lowercase British word form, if it has one.
pub fn american(word: &str) -> Option<&'static str> {
    BRITISH_TO_AMERICAN.get(word).copied()
}

/// Token filter replacing British spellings with American ones (expects lowercase).
#[derive(Clone, Copy, Default)]
pub struct AmericanSpelling;

impl TokenFilter for AmericanSpelling {
    type Tokenizer<T: Tokenizer> = AmericanSpellingFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> AmericanSpellingFilter<T> {
        AmericanSpellingFilter { tokenizer }
    }
}

/// [`AmericanSpelling`] around a tokenizer.
#[derive(Clone)]
pub struct AmericanSpellingFilter<T> {
    tokenizer: T,
}

impl<T: Tokenizer> Tokenizer for AmericanSpellingFilter<T> {
    type TokenStream<'a> = AmericanSpellingStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        AmericanSpellingStream {
            tail: self.tokenizer.token_stream(text),
        }
    }
}

/// The token stream of [`AmericanSpellingFilter`].
pub struct AmericanSpellingStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for AmericanSpellingStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(us) = american(&token.text) {
            token.text.clear();
            token.text.push_str(us);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_loaded_and_maps_common_words() {
        assert!(BRITISH_TO_AMERICAN.len() > 1500);
        for (uk, us) in [
            ("centre", "center"),
            ("organisation", "organization"),
            ("programme", "program"),
            ("defence", "defense"),
            ("labour", "labor"),
            ("travelled", "traveled"),
        ] {
            assert_eq!(american(uk), Some(us), "{uk}");
        }
        assert_eq!(american("buses"), None);
        assert_eq!(american("center"), None);
    }
}
