//! A memo in front of the per-word filters: news text repeats its words, and
//! lowercasing, folding, spelling and the Snowball stemmer, run on every token,
//! were most of the cost of highlighting long OCR pages (and a fifth of
//! indexing). Every filter behind the tokenizer maps one token to one token or
//! none, so a word's result can be remembered; the terms are identical.
//!
//! The memo belongs to the thread, not to one analyzer: a server's search
//! threads and the indexing threads keep what they learned from one article
//! or one request to the next.

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};
use xxhash_rust::xxh3::xxh3_128_with_seed;

/// Words kept in the memo of a thread (about 8 MB); past this it starts over
/// (OCR noise and tables of figures must not grow it without bound).
const MAX_MEMO: usize = 100_000;

thread_local! {
    /// Word as tokenized → its term (`None`: dropped, a stop word).
    /// A word's 128-bit hash → its term (`None`: dropped). The words themselves
    /// are not kept: comparing them cost a fifth of the time, and two of a
    /// thread's 100,000 words share a 128-bit hash with odds of about 10^-29.
    static MEMO: RefCell<FxHashMap<u128, Option<Box<str>>>> = RefCell::default();
}

/// Token filter applying `word` (an analyzer over one word: a raw tokenizer and
/// per-token filters) to each token, remembering the result of each word.
#[derive(Clone)]
pub struct Memo {
    word: TextAnalyzer,
    seed: u64,
}

impl Memo {
    /// `word` turns one word into its term, or into nothing (a stop word). Memos of
    /// different word analyzers share the thread's table under different `seed`s.
    pub fn new(word: TextAnalyzer, seed: u64) -> Memo {
        Memo { word, seed }
    }
}

impl TokenFilter for Memo {
    type Tokenizer<T: Tokenizer> = MemoFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoFilter<T> {
        MemoFilter {
            inner: tokenizer,
            word: self.word,
            seed: self.seed,
        }
    }
}

/// [`Memo`] around a tokenizer.
#[derive(Clone)]
pub struct MemoFilter<T> {
    inner: T,
    word: TextAnalyzer,
    seed: u64,
}

impl<T: Tokenizer> Tokenizer for MemoFilter<T> {
    type TokenStream<'a> = MemoStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStream {
            tail: self.inner.token_stream(text),
            word: &mut self.word,
            seed: self.seed,
        }
    }
}

/// The token stream of [`MemoFilter`].
pub struct MemoStream<'a, T> {
    tail: T,
    word: &'a mut TextAnalyzer,
    seed: u64,
}

impl<T: TokenStream> TokenStream for MemoStream<'_, T> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.tail.advance() {
                return false;
            }
            let token = self.tail.token_mut();
            let word = &mut *self.word;
            let key = xxh3_128_with_seed(token.text.as_bytes(), self.seed);
            let kept = MEMO.with_borrow_mut(|memo| {
                if memo.len() >= MAX_MEMO && !memo.contains_key(&key) {
                    memo.clear();
                }
                let term = memo.entry(key).or_insert_with(|| {
                    let mut stream = word.token_stream(&token.text);
                    stream
                        .advance()
                        .then(|| stream.token().text.clone().into_boxed_str())
                });
                match term {
                    Some(term) => {
                        token.text.clear();
                        token.text.push_str(term);
                        true
                    }
                    None => false,
                }
            });
            if kept {
                return true;
            }
        }
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
