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
use xxhash_rust::xxh3::xxh3_128;

use super::tokenizer::Compounds;

/// Pairs of slots in a thread's table: 64 bytes each (one cache line), 2 MB in all.
const PAIRS: usize = 1 << 15;
/// Pairs a thread starts with (128 KB): a query analyses a few hundred words, and
/// filling 2 MB would cost it a quarter of a millisecond. The table grows to
/// [`PAIRS`] once the thread has analysed as many words as it has slots.
const FIRST_PAIRS: usize = 1 << 11;
/// The longest term a slot holds; longer ones (rare in most languages) are kept
/// in a map beside it.
const SLOT_TERM: usize = 22;
/// Long terms kept beside the table; past this that map starts over.
const MAX_LONG: usize = 10_000;
/// A slot's length when its word has no term (a stop word).
const DROPPED: u8 = 254;
/// A slot's length when its term is in the map of long terms.
const LONG: u8 = 253;
/// A slot's length when it holds no word yet.
const EMPTY: u8 = 255;

/// One word: its key ([`key`]) and its term inline.
#[derive(Clone, Copy)]
#[repr(C)]
struct Slot {
    key: u64,
    len: u8,
    /// Looked up since the other slot of its pair was last replaced.
    hot: bool,
    term: [u8; SLOT_TERM],
}

/// The two slots a word may be in: one cache line, so a lookup costs one line
/// whichever slot holds the word, or neither (with two 64-byte slots, a word in
/// the second or in neither cost two). Waiting for that line is still about a
/// tenth of indexing: the table is larger than the cache the indexing threads
/// share with Tantivy's term tables.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Pair([Slot; 2]);

const _: () = assert!(std::mem::size_of::<Pair>() == 64);

/// A thread's memo: a table of pairs of slots, each slot one word with its term
/// inline (a hash map of boxed terms cost three cache lines a lookup, and was a
/// seventh of indexing). A new word takes the slot of its pair not looked up
/// since the last replacement (a clock of two): the one-off words of OCR noise
/// replace each other, not the common words, which are most of news text. A
/// word whose slot another took is analysed again.
struct Table {
    pairs: Vec<Pair>,
    /// Words analysed since the table was last made.
    misses: usize,
    long: FxHashMap<u64, Box<str>>,
}

/// A slot holding no word.
const EMPTY_SLOT: Slot = Slot {
    key: 0,
    len: EMPTY,
    hot: false,
    term: [0; SLOT_TERM],
};

impl Default for Table {
    fn default() -> Table {
        Table {
            pairs: vec![Pair([EMPTY_SLOT; 2]); FIRST_PAIRS],
            misses: 0,
            long: FxHashMap::default(),
        }
    }
}

thread_local! {
    /// A word's [`key`] → its term (dropped: a stop word). The words themselves
    /// are not kept: comparing them cost a fifth of the time.
    static MEMO: RefCell<Table> = RefCell::default();
}

/// The key of `text` under a chain's `seed`: the word's 128-bit hash folded to 64
/// bits, the seed mixed in after, not in the hash (xxh3 mixes a seed into short
/// words linearly, so a seeded hash of one word can equal another word's under
/// another seed: `atatea` was given for `States`), through a bijective mix. Two
/// words share a key with odds of 2^-64: over ten billion words looked up
/// (an archive of millions of pages), about one in a billion that one word of
/// one article is indexed as another.
fn key(text: &str, seed: u64) -> u64 {
    let hash = xxh3_128(text.as_bytes());
    let mut key = (hash as u64) ^ ((hash >> 64) as u64).rotate_left(29);
    key ^= seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    // splitmix64's finalizer.
    key = (key ^ (key >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    key = (key ^ (key >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    key ^ (key >> 31)
}

/// Token filter applying `word` (an analyzer over one word: a raw tokenizer and
/// per-token filters) to each token, remembering the result of each word. With a
/// twin analyzer, a word whose twin term differs from its term also gets the twin
/// (a stemmed Russian word also stands as transliterated whole), after the text's
/// last word, as far apart as their words are in the text (so a phrase of names
/// all transliterated still matches): a Quickwit document can hold one term per
/// position only, so the local index holds them the same way. Joining compounds,
/// a hyphenated word's parts joined (`to-day` → `today`) come there too, at the
/// place of the compound's last part.
#[derive(Clone)]
pub struct Memo {
    word: TextAnalyzer,
    seed: u64,
    twin: Option<(TextAnalyzer, u64)>,
    compounds: bool,
}

impl Memo {
    /// `word` turns one word into its term, or into nothing (a stop word). Memos of
    /// different word analyzers share the thread's table under different `seed`s.
    pub fn new(word: TextAnalyzer, seed: u64) -> Memo {
        Memo {
            word,
            seed,
            twin: None,
            compounds: false,
        }
    }

    /// Also gives each word the term `twin` makes of it, where that differs.
    pub fn with_twin(mut self, twin: TextAnalyzer, seed: u64) -> Memo {
        self.twin = Some((twin, seed));
        self
    }

    /// Also gives the term of each hyphenated compound's parts joined
    /// ([`Compounds`]); the tokens must be a [`super::tokenizer::NewsTokenizer`]'s,
    /// with their text.
    pub fn joining_compounds(mut self) -> Memo {
        self.compounds = true;
        self
    }
}

impl TokenFilter for Memo {
    type Tokenizer<T: Tokenizer> = MemoFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoFilter<T> {
        MemoFilter {
            inner: tokenizer,
            word: self.word,
            seed: self.seed,
            twin: self.twin,
            compounds: self.compounds,
        }
    }
}

/// [`Memo`] around a tokenizer.
#[derive(Clone)]
pub struct MemoFilter<T> {
    inner: T,
    word: TextAnalyzer,
    seed: u64,
    twin: Option<(TextAnalyzer, u64)>,
    compounds: bool,
}

impl<T: Tokenizer> Tokenizer for MemoFilter<T> {
    type TokenStream<'a> = MemoStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStream {
            tail: self.inner.token_stream(text),
            text,
            compounds: self.compounds.then(Compounds::default),
            word: &mut self.word,
            seed: self.seed,
            twin: self.twin.as_mut().map(|(a, s)| (a, *s)),
            pending: Vec::new(),
            base: 0,
            ended: false,
            last_position: None,
            term: String::new(),
            twin_term: String::new(),
        }
    }
}

/// The token stream of [`MemoFilter`].
pub struct MemoStream<'a, T> {
    tail: T,
    text: &'a str,
    /// Compounds being read, when joined.
    compounds: Option<Compounds>,
    word: &'a mut TextAnalyzer,
    seed: u64,
    twin: Option<(&'a mut TextAnalyzer, u64)>,
    /// Twins still to give, with their words' positions; at the end, the first last.
    pending: Vec<(usize, String)>,
    /// Where the twins at the end start.
    base: usize,
    /// The words are all given; only twins at the end are left.
    ended: bool,
    last_position: Option<usize>,
    /// Buffers for the terms looked up.
    term: String,
    twin_term: String,
}

/// The pair of a table of `pairs` pairs (a power of two) that holds `key`.
fn pair_of(key: u64, pairs: usize) -> usize {
    (key >> 32) as usize & (pairs - 1)
}

/// The term `word` makes of `text`, remembered under `seed`; written to `out`.
pub fn term_of(word: &mut TextAnalyzer, seed: u64, text: &str, out: &mut String) -> bool {
    let key = key(text, seed);
    MEMO.with_borrow_mut(|memo| {
        let mut pair = pair_of(key, memo.pairs.len());
        for slot in &mut memo.pairs[pair].0 {
            if slot.key != key || slot.len == EMPTY {
                continue;
            }
            slot.hot = true;
            match slot.len {
                DROPPED => return false,
                LONG => {
                    if let Some(term) = memo.long.get(&key) {
                        out.clear();
                        out.push_str(term);
                        return true;
                    }
                }
                len => {
                    // The bytes were copied from a `str` whole: always UTF-8.
                    if let Ok(term) = std::str::from_utf8(&slot.term[..usize::from(len)]) {
                        out.clear();
                        out.push_str(term);
                        return true;
                    }
                }
            }
            break;
        }
        let mut stream = word.token_stream(text);
        let mut slot = Slot {
            key,
            len: DROPPED,
            hot: false,
            term: [0; SLOT_TERM],
        };
        let found = stream.advance();
        if found {
            let term = &stream.token().text;
            out.clear();
            out.push_str(term);
            if term.len() <= SLOT_TERM {
                slot.len = term.len() as u8;
                slot.term[..term.len()].copy_from_slice(term.as_bytes());
            } else {
                if memo.long.len() >= MAX_LONG {
                    memo.long.clear();
                }
                memo.long.insert(key, term.as_str().into());
                slot.len = LONG;
            }
        }
        memo.misses += 1;
        if memo.misses > 2 * memo.pairs.len() && memo.pairs.len() < PAIRS {
            memo.pairs = vec![Pair([EMPTY_SLOT; 2]); PAIRS];
            memo.misses = 0;
            pair = pair_of(key, PAIRS);
        }
        let [first, second] = &mut memo.pairs[pair].0;
        let place = if first.hot {
            if second.hot {
                first.hot = false;
                second.hot = false;
            }
            second
        } else {
            first
        };
        *place = slot;
        found
    })
}

impl<T: TokenStream> TokenStream for MemoStream<'_, T> {
    fn advance(&mut self) -> bool {
        if self.ended
            && let Some((position, twin)) = self.pending.pop()
        {
            let token = self.tail.token_mut();
            token.position = self.base + position;
            token.text = twin;
            return true;
        }
        loop {
            if self.ended || !self.tail.advance() {
                if !self.ended && !self.pending.is_empty() {
                    self.ended = true;
                    self.base = self.last_position.map_or(0, |p| p + 2);
                    self.pending.reverse();
                    return self.advance();
                }
                self.ended = true;
                return false;
            }
            let token = self.tail.token_mut();
            let position = token.position;
            let compound = self.compounds.as_mut().and_then(|compounds| {
                let (joined, _) =
                    compounds.read(self.text, &token.text, token.offset_from, token.offset_to)?;
                term_of(self.word, self.seed, joined, &mut self.twin_term)
                    .then(|| self.twin_term.clone())
            });
            let twin = match &mut self.twin {
                Some((twin, seed)) => term_of(twin, *seed, &token.text, &mut self.twin_term),
                None => false,
            };
            let word = term_of(self.word, self.seed, &token.text, &mut self.term);
            if word {
                std::mem::swap(&mut token.text, &mut self.term);
                self.last_position = Some(position);
                if twin && self.twin_term != token.text {
                    self.pending.push((position, self.twin_term.clone()));
                }
            }
            // One term per place: a twin there first (a Russian compound's last part).
            if let Some(compound) = compound
                && self.pending.last().is_none_or(|(at, _)| *at != position)
            {
                self.pending.push((position, compound));
            }
            if word {
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

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{LowerCaser, RawTokenizer};

    use super::*;

    #[test]
    fn words_remembered_under_other_seeds_are_never_given_for_a_word() {
        // xxh3 mixes a seed into short inputs linearly: seeded hashes of two
        // different words under two seeds can be equal (`atatea` under one seed
        // was `States` under another, and an OCR misreading replaced the word).
        let mut lower = TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build();
        let mut out = String::new();
        for seed in 0..1200 {
            term_of(&mut lower, seed, "atatea", &mut out);
        }
        for seed in 0..1200 {
            assert!(term_of(&mut lower, seed, "States", &mut out));
            assert_eq!(out, "states", "seed {seed}");
        }
    }
}
