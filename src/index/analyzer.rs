//! Text analysis: how titles, bodies and names are cut into searchable terms.
//! The same analyzers tokenize documents, queries and snippet candidates; each
//! article's words are analysed in its language ([`Analysis`]).

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, BoxTokenStream, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer,
    StopWordFilter, TextAnalyzer, TokenStream, Tokenizer,
};

use super::analysis::{self, Analysis, Stemmed};
use super::memo::{Memo, term_of};
use super::stops::{STOP_WORDS, StopWordsOnly};
use super::tokenizer::{NewsTokenStream, NewsTokenizer};
use super::word_map::WordMap;
use super::{spelling, transliterate};

/// Analyzer of titles and bodies, reading each text's language tag
/// ([`analysis::tag`]): lowercase, the language's stop words dropped, Greek and
/// Cyrillic in Latin letters (`Путин` → `putin`), ASCII-fold (`Café` → `cafe`),
/// the language's stems (English: after American spelling); CJK as bigrams. The
/// names carry a version: an index analysed otherwise is refused ("not an index
/// of this news-search version").
pub const TEXT_ANALYZER: &str = "news_text_v8";
/// Only the stop words, at the positions [`TEXT_ANALYZER`] gives every word.
pub const STOPS_ANALYZER: &str = "news_stops_v8";
/// Analyzer for names (sources, authors): lowercase and folded (Greek and
/// Cyrillic in Latin letters), not stemmed.
pub const NAME_ANALYZER: &str = "news_name_v6";

/// Tokens longer than this many bytes are dropped (URLs-as-words, base64 blobs).
const MAX_TOKEN_BYTES: usize = 40;

/// Which words of a text an analyzer gives.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Words {
    /// Without the stop words: what is ranked.
    Topic,
    /// Every word: the terms of a quoted phrase, and what a highlighter looks at.
    All,
}

/// The analyzer of article text in `analysis`, as a query is analysed. Stop words
/// are dropped (positions are kept, so the words around them stay as far apart as
/// in the text): they carry no topic, and leaving out Lucene's 33 English ones
/// raised MAP on the TIME collection. They are indexed apart ([`super::stops`]) for
/// exact phrases. Each token goes through the per-word filters once per distinct
/// word (`Memo`).
pub fn text_analyzer_for(analysis: Analysis) -> TextAnalyzer {
    chain(analysis, Words::Topic, false)
}

/// [`text_analyzer_for`] English.
pub fn text_analyzer() -> TextAnalyzer {
    text_analyzer_for(Analysis::ENGLISH)
}

/// The analyzer that indexes article text in `analysis`: [`text_analyzer_for`], and
/// after the text's last word, the terms that stand for more than one word of it:
/// where a stemmed word of another script differs from the word transliterated
/// whole (Russian `Шойгу` → `shoig`, `shoigu`), the whole word too, so a name typed
/// in Latin letters finds it; and each hyphenated compound's parts joined
/// (`to-day` → `today`), so `today` finds the way 1916 wrote it.
pub fn indexing_analyzer(analysis: Analysis) -> TextAnalyzer {
    chain(analysis, Words::Topic, true)
}

/// [`text_analyzer_for`] keeping the stop words: the terms of a quoted phrase.
pub fn all_words_analyzer_for(analysis: Analysis) -> TextAnalyzer {
    chain(analysis, Words::All, false)
}

/// [`all_words_analyzer_for`] English.
pub fn all_words_analyzer() -> TextAnalyzer {
    all_words_analyzer_for(Analysis::ENGLISH)
}

/// Every word of a text in `analysis`, one word at a time, as a highlighter reads
/// it (it runs the tokenizer itself and analyses each distinct word once): a word
/// indexed twice (see [`indexing_analyzer`]) gives both terms.
pub struct WordTerms {
    word: (TextAnalyzer, u64),
    twin: Option<(TextAnalyzer, u64)>,
    term: String,
    twin_term: String,
}

impl WordTerms {
    /// The words of `analysis`, stop words included.
    pub fn of(analysis: Analysis) -> WordTerms {
        let twin = twinned(analysis).then(|| (word_filters(Analysis::Folded, false), TWIN_SEED));
        WordTerms {
            word: (word_filters(analysis, false), seed(analysis, Words::All)),
            twin,
            term: String::new(),
            twin_term: String::new(),
        }
    }

    /// Whether some words have a second term (Russian and Greek words a stemmer
    /// shortened, also indexed whole).
    pub fn has_twins(&self) -> bool {
        self.twin.is_some()
    }

    /// Calls `each` with the terms of the token `text`: its term (none for a word
    /// too long to index), then its twin where that differs. Remembered in the
    /// thread's memo, as the analyzer's.
    pub fn terms(&mut self, text: &str, mut each: impl FnMut(&str)) {
        let (word, seed) = &mut self.word;
        if !term_of(word, *seed, text, &mut self.term) {
            return;
        }
        each(&self.term);
        if let Some((twin, seed)) = &mut self.twin
            && term_of(twin, *seed, text, &mut self.twin_term)
            && self.twin_term != self.term
        {
            each(&self.twin_term);
        }
    }
}

/// Every word of a text in `analysis`, the twins and compounds after the last
/// ([`indexing_analyzer`]): a Quickwit document's exact-phrase field.
pub fn all_words_indexing_analyzer(analysis: Analysis) -> TextAnalyzer {
    chain(analysis, Words::All, true)
}

/// Only the stop words of a text in `analysis`, lowercase, at their positions.
/// Outside English, each stop word is then analysed as every word is (German
/// `für` → `fur`), so a Quickwit phrase field of every word holds it the same way.
pub fn stops_analyzer_for(analysis: Analysis) -> TextAnalyzer {
    if analysis == Analysis::ENGLISH {
        // Bare tokens: the filter reads a plain word from the text.
        return TextAnalyzer::builder(NewsTokenizer::positions())
            .filter(StopWordsOnly::English)
            .build();
    }
    TextAnalyzer::builder(NewsTokenizer::default())
        .filter(LowerCaser)
        .filter(StopWordsOnly::of(analysis))
        .filter(Memo::new(
            word_filters(analysis, false),
            seed(analysis, Words::All),
        ))
        .build()
}

/// The memo seed of a chain: each chain remembers its own words.
fn seed(analysis: Analysis, words: Words) -> u64 {
    let base = if words == Words::Topic { 0 } else { 100 };
    base + analysis.slot() as u64
}
/// The memo seed of the twin chain (the same in every language).
const TWIN_SEED: u64 = 1000;
/// The memo seed of the name chain.
const NAME_SEED: u64 = 2000;

fn chain(analysis: Analysis, words: Words, indexing: bool) -> TextAnalyzer {
    // Built once per thread: a query builds several per language, and a stemmer's
    // stop-word set is made afresh each time.
    type Built = std::collections::HashMap<(Analysis, Words, bool), TextAnalyzer>;
    thread_local! {
        static BUILT: std::cell::RefCell<Built> = std::cell::RefCell::default();
    }
    BUILT.with_borrow_mut(|built| {
        built
            .entry((analysis, words, indexing))
            .or_insert_with(|| build_chain(analysis, words, indexing))
            .clone()
    })
}

/// Whether a word of `analysis` whose stem differs from it is also indexed whole,
/// transliterated (Russian and Greek: names typed in Latin letters).
fn twinned(analysis: Analysis) -> bool {
    matches!(
        analysis,
        Analysis::Stemmed(Stemmed::Ru) | Analysis::Stemmed(Stemmed::El)
    )
}

/// [`chain`], built: `indexing` gives twinned words their twin and compounds
/// their parts joined, after the text.
fn build_chain(analysis: Analysis, words: Words, indexing: bool) -> TextAnalyzer {
    let mut memo = Memo::new(
        word_filters(analysis, words == Words::Topic),
        seed(analysis, words),
    );
    if indexing {
        memo = memo.joining_compounds();
        if twinned(analysis) {
            memo = memo.with_twin(word_filters(Analysis::Folded, false), TWIN_SEED);
        }
    }
    TextAnalyzer::builder(NewsTokenizer::default())
        .filter(memo)
        .build()
}

/// The per-word filters of `analysis` over one word (a raw tokenizer), each
/// mapping one token to one token or none (a stop word, when `drop_stop_words`).
/// English is transliterated and folded before American spelling and the Porter
/// stemmer, which know ASCII only; the other stemmers know their letters, so they
/// run first (German after `ae`, `oe`, `ue` are read as umlauts).
fn word_filters(analysis: Analysis, drop_stop_words: bool) -> TextAnalyzer {
    let stop_words = match (drop_stop_words, analysis.stemmer()) {
        (false, _) | (_, None) => StopWordFilter::remove(Vec::new()),
        (true, Some(_)) if analysis == Analysis::ENGLISH => {
            StopWordFilter::remove(STOP_WORDS.iter().map(|w| w.to_string()))
        }
        (true, Some(language)) => {
            StopWordFilter::new(language).unwrap_or_else(|| StopWordFilter::remove(Vec::new()))
        }
    };
    let start = TextAnalyzer::builder(RawTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(WordMap(transliterate::unpointed))
        .filter(WordMap(transliterate::ascii_digits))
        .filter(stop_words);
    match analysis.stemmer() {
        Some(language) if analysis == Analysis::ENGLISH => start
            .filter(WordMap(transliterate::latin))
            .filter(AsciiFoldingFilter)
            .filter(WordMap(spelling::to_american))
            .filter(Stemmer::new(language))
            .build(),
        Some(language) if analysis == Analysis::Stemmed(Stemmed::De) => start
            .filter(WordMap(spelling::german_umlauts))
            .filter(Stemmer::new(language))
            .filter(WordMap(transliterate::latin))
            .filter(AsciiFoldingFilter)
            .build(),
        Some(language) => start
            .filter(Stemmer::new(language))
            .filter(WordMap(transliterate::latin))
            .filter(AsciiFoldingFilter)
            .build(),
        None => start
            .filter(WordMap(transliterate::latin))
            .filter(AsciiFoldingFilter)
            .build(),
    }
}

/// The analyzer for names: lowercased, transliterated and folded, not stemmed.
pub fn name_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(NewsTokenizer::default())
        .filter(Memo::new(name_word_filters(), NAME_SEED))
        .build()
}

/// [`name_analyzer`]'s filters over one word.
fn name_word_filters() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(WordMap(transliterate::unpointed))
        .filter(WordMap(transliterate::ascii_digits))
        .filter(WordMap(transliterate::latin))
        .filter(AsciiFoldingFilter)
        .build()
}

/// Calls `each` with the terms [`name_analyzer`] gives for `text`, in order,
/// faster: an ASCII word (nearly every word of most archives) is lowercased
/// directly, which is all the filters do to it; other words go through them.
/// The words of every body's fingerprint. `after_word` sees the reading after
/// each word, term or not, so other work over the same words shares the pass.
pub fn name_terms(
    text: &str,
    mut each: impl FnMut(&str),
    mut after_word: impl FnMut(&NewsTokenStream<'_>),
) {
    thread_local! {
        static WORDS: std::cell::RefCell<(NewsTokenizer, TextAnalyzer, String)> =
            std::cell::RefCell::new((NewsTokenizer::positions(), name_word_filters(), String::new()));
    }
    WORDS.with_borrow_mut(|(tokenizer, filters, lower)| {
        let mut stream = tokenizer.token_stream(text);
        while stream.advance() {
            after_word(&stream);
            let token = stream.token();
            // A plain word's token is bare: its text is the slice it stands at.
            let word = match token.text.as_str() {
                "" => &text[token.offset_from..token.offset_to],
                word => word,
            };
            if word.is_ascii() {
                if word.len() < MAX_TOKEN_BYTES {
                    lower.clear();
                    lower.push_str(word);
                    lower.make_ascii_lowercase();
                    each(lower);
                }
                continue;
            }
            let mut terms = filters.token_stream(word);
            while terms.advance() {
                each(&terms.token().text);
            }
        }
    });
}

/// One analyzer per analysis, each built when first needed.
#[derive(Clone)]
pub struct PerAnalysis {
    build: fn(Analysis) -> TextAnalyzer,
    built: Vec<Option<TextAnalyzer>>,
}

impl PerAnalysis {
    /// Analyzers made by `build`.
    pub fn new(build: fn(Analysis) -> TextAnalyzer) -> PerAnalysis {
        PerAnalysis {
            build,
            built: vec![None; Analysis::COUNT],
        }
    }

    /// The analyzer of `analysis`.
    pub fn get(&mut self, analysis: Analysis) -> &mut TextAnalyzer {
        let build = self.build;
        self.built[analysis.slot()].get_or_insert_with(|| build(analysis))
    }
}

/// A field's tokenizer: reads the language tag in front of the text and analyses
/// the rest in that language.
#[derive(Clone)]
struct ByLanguage(PerAnalysis);

impl Tokenizer for ByLanguage {
    type TokenStream<'a> = BoxTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BoxTokenStream<'a> {
        let (analysis, text) = analysis::untag(text);
        self.0.get(analysis).token_stream(text)
    }
}

/// Registers the analyzers; must run every time an index is opened or created.
pub fn register(index: &Index) {
    let by_language = |build| TextAnalyzer::from(ByLanguage(PerAnalysis::new(build)));
    index
        .tokenizers()
        .register(TEXT_ANALYZER, by_language(indexing_analyzer));
    index
        .tokenizers()
        .register(STOPS_ANALYZER, by_language(stops_analyzer_for));
    index.tokenizers().register(NAME_ANALYZER, name_analyzer());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        in_language("en", text)
    }

    #[test]
    fn folds_and_stems() {
        assert_eq!(terms("Centres Café elected"), ["center", "cafe", "elect"]);
        assert_eq!(terms("centre cafe"), ["center", "cafe"]);
        assert_eq!(terms("Organisations organization"), ["organiz", "organiz"]);
        assert_eq!(
            terms("programme defence labour"),
            ["program", "defens", "labor"]
        );
        assert_eq!(terms("שָׁלוֹם مُحَمَّد"), ["שלום", "محمد"]);
        assert_eq!(
            terms("٢٠٢٤ ۱۳۹۹ २०२४ 2024"),
            ["2024", "1399", "2024", "2024"]
        );
        assert_eq!(
            terms("U.S. UNIDO's 人工智能"),
            ["us", "unido", "人工", "工智", "智能"]
        );
    }

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    /// The English filters on every token, without the memo.
    fn word_chain(drop_stop_words: bool) -> TextAnalyzer {
        let stop_words = if drop_stop_words {
            StopWordFilter::remove(STOP_WORDS.iter().map(|w| w.to_string()))
        } else {
            StopWordFilter::remove(Vec::new())
        };
        TextAnalyzer::builder(NewsTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(stop_words)
            .filter(WordMap(transliterate::latin))
            .filter(AsciiFoldingFilter)
            .filter(WordMap(spelling::to_american))
            .filter(Stemmer::new(tantivy::tokenizer::Language::English))
            .build()
    }

    #[test]
    fn the_memo_changes_nothing_twice_over() {
        // The same filters on every token, without the memo.
        let mut direct = word_chain(true);
        let text = "The Centres of the centre: U.S. and UNIDO's AI-driven programme, \
                    élections in 人工智能 and a verylongwordthatgoesonandonandonforeverandever \
                    THE centres of the Centre";
        let mut memo = text_analyzer();
        let expected = tokens(&mut direct, text);
        assert!(expected.len() > 10);
        assert_eq!(tokens(&mut memo, text), expected);
        assert_eq!(tokens(&mut memo, text), expected);
        let mut direct = word_chain(false);
        let mut memo = all_words_analyzer();
        let all = tokens(&mut direct, text);
        assert_eq!(tokens(&mut memo, text), all);
        assert!(expected.len() < all.len());
        // The fingerprint's words are the name analyzer's terms.
        let names_text = format!(
            "{text} Путин Ελλάδα naïve Fußball ΑΘΗΝΑ İstanbul {} {}",
            "x".repeat(39),
            "y".repeat(40)
        );
        // The filters on every token, without the memo or the fast path.
        let mut direct = TextAnalyzer::builder(NewsTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(WordMap(transliterate::latin))
            .filter(AsciiFoldingFilter)
            .build();
        let names: Vec<String> = tokens(&mut direct, &names_text)
            .into_iter()
            .map(|t| t.0)
            .collect();
        let memo: Vec<String> = tokens(&mut name_analyzer(), &names_text)
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(memo, names);
        let mut fast = Vec::new();
        name_terms(&names_text, |t| fast.push(t.to_string()), |_| ());
        assert_eq!(fast, names);
        assert!(names.contains(&"putin".to_string()));
        assert!(names.contains(&"x".repeat(39)) && !names.contains(&"y".repeat(40)));
        // The stop words sit at the positions the other analyzers give them.
        let stops = tokens(&mut stops_analyzer_for(Analysis::ENGLISH), text);
        let mut every = TextAnalyzer::builder(NewsTokenizer::default())
            .filter(LowerCaser)
            .build();
        let expected_stops: Vec<_> = tokens(&mut every, text)
            .into_iter()
            .filter(|t| super::super::stops::is_stop_word(&t.0))
            .collect();
        assert_eq!(stops, expected_stops);
        assert!(!stops.is_empty());
        for stop in &stops {
            assert!(all.iter().any(|t| t.1 == stop.1 && t.2 == stop.2));
            assert!(!expected.iter().any(|t| t.1 == stop.1));
        }
    }

    fn in_language(code: &str, word: &str) -> Vec<String> {
        let mut analyzer = text_analyzer_for(Analysis::of(code));
        let mut stream = analyzer.token_stream(word);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn each_language_joins_inflected_forms_english_stemming_keeps_apart() {
        for (code, a, b) in [
            ("de", "Regierung", "Regierungen"),
            ("de", "Bürger", "Bürgern"),
            ("de", "Buerger", "Bürger"),
            ("de", "Haefen", "Häfen"),
            ("it", "sciopero", "scioperi"),
            ("nl", "krant", "kranten"),
            ("sv", "strejk", "strejken"),
            ("ru", "газета", "газеты"),
            ("fr", "journal", "journaux"),
            ("es", "votar", "votaron"),
            ("da", "avis", "aviser"),
            ("no", "avis", "avisen"),
            ("hu", "újság", "újságok"),
            ("ro", "ziar", "ziarele"),
            ("el", "εφημερίδα", "εφημερίδες"),
        ] {
            assert_eq!(
                in_language(code, a),
                in_language(code, b),
                "{code}: {a} {b}"
            );
            assert_ne!(
                in_language("en", a),
                in_language("en", b),
                "{code}: {a} {b}"
            );
        }
        // Stop words are the language's own, and only in its text.
        assert!(in_language("de", "die").is_empty());
        assert_eq!(in_language("en", "die"), ["die"]);
        assert_eq!(in_language("pl", "Gazety"), ["gazety"]);
    }

    #[test]
    fn compounds_joined_come_after_the_text_at_their_last_parts_places() {
        let positions = |code: &str, text: &str| -> Vec<(String, usize)> {
            tokens(&mut indexing_analyzer(Analysis::of(code)), text)
                .into_iter()
                .map(|t| (t.0, t.1))
                .collect()
        };
        let got = positions("en", "Rain to-day, by e-mail");
        let want = [
            ("rain", 0),
            ("day", 2),
            ("e", 4),
            ("mail", 5),
            ("today", 9),
            ("email", 12),
        ];
        assert_eq!(got, want.map(|(t, p)| (t.to_string(), p)));
        // Queries are not joined: the query side asks for the compound itself.
        assert_eq!(terms("to-day"), ["day"]);
        // One term per place: a twin there keeps it (a Quickwit document's field
        // has one term per position).
        let got = positions("ru", "Путин-Шойгу");
        let want = [("putin", 0), ("shoig", 1), ("shoigu", 4)];
        assert_eq!(got, want.map(|(t, p)| (t.to_string(), p)));
    }

    #[test]
    fn a_stemmed_word_of_another_script_is_also_indexed_whole() {
        let mut analyzer = indexing_analyzer(Analysis::of("ru"));
        let got = tokens(&mut analyzer, "Министр Шойгу и Путин");
        let terms: Vec<(&str, usize)> = got.iter().map(|t| (t.0.as_str(), t.1)).collect();
        // The stems at their places, then the whole words whose stems differ, as far
        // apart as in the text (a Latin phrase of such words still matches).
        assert_eq!(
            terms,
            [("ministr", 0), ("shoig", 1), ("putin", 3), ("shoigu", 6)]
        );
        // The highlighter sees both for the word.
        let mut got = Vec::new();
        WordTerms::of(Analysis::of("ru")).terms("Шойгу", |t| got.push(t.to_string()));
        assert_eq!(got, ["shoig", "shoigu"]);
    }
}
