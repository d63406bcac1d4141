//! Text analysis: how titles, bodies and names are cut into searchable terms.
//! The same analyzers tokenize documents, queries and snippet candidates.

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer,
    StopWordFilter, TextAnalyzer,
};

use super::memo::Memo;
use super::stops::{STOP_WORDS, StopWordsOnly};
use super::tokenizer::NewsTokenizer;
use super::word_map::WordMap;
use super::{spelling, transliterate};

/// Analyzer for titles and bodies: lowercase, Greek and Cyrillic in Latin letters
/// (`Путин` → `putin`), ASCII-fold (`Café` → `cafe`), American spelling, English
/// stems; CJK as bigrams; no stop words. The names carry a version: an index
/// analysed otherwise is refused ("not an index of this news-search version").
pub const TEXT_ANALYZER: &str = "news_en_v2";
/// The same with the stop words, for quoted phrases and highlighting.
pub const ALL_WORDS_ANALYZER: &str = "news_en_all_v2";
/// Only the stop words, at the positions [`TEXT_ANALYZER`] gives every word.
pub const STOPS_ANALYZER: &str = "news_stops";
/// Analyzer for names (sources, authors): lowercase and folded (Greek and
/// Cyrillic in Latin letters), not stemmed.
pub const NAME_ANALYZER: &str = "news_name_v2";

/// Tokens longer than this many bytes are dropped (URLs-as-words, base64 blobs).
const MAX_TOKEN_BYTES: usize = 40;

/// The analyzer for article text. Lucene's 33 English stop words are dropped
/// (positions are kept, so the words around them stay as far apart as in the
/// text): they carry no topic, and leaving them out raised MAP on the TIME
/// collection. They are indexed apart ([`super::stops`]) for exact phrases.
/// British spellings become American ones before stemming. Each token goes
/// through the per-word filters once per distinct word (`Memo`).
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(NewsTokenizer::default())
        .filter(Memo::new(
            with_word_filters(RawTokenizer::default(), true),
            0,
        ))
        .build()
}

/// [`text_analyzer`] keeping the stop words: the terms of a quoted phrase, and the
/// words a highlighter looks at.
pub fn all_words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(NewsTokenizer::default())
        .filter(Memo::new(
            with_word_filters(RawTokenizer::default(), false),
            1,
        ))
        .build()
}

/// Only the stop words of a text, lowercase, at their positions.
pub fn stops_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(NewsTokenizer::default())
        .filter(LowerCaser)
        .filter(StopWordsOnly)
        .build()
}

/// `tokenizer` followed by the per-word filters, each mapping one token to one
/// token or none (a stop word, when `drop_stop_words`).
fn with_word_filters<T: tantivy::tokenizer::Tokenizer>(
    tokenizer: T,
    drop_stop_words: bool,
) -> TextAnalyzer {
    let stop_words = if drop_stop_words {
        StopWordFilter::remove(STOP_WORDS.iter().map(|w| w.to_string()))
    } else {
        StopWordFilter::remove(Vec::new())
    };
    TextAnalyzer::builder(tokenizer)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(stop_words)
        .filter(WordMap(transliterate::latin))
        .filter(AsciiFoldingFilter)
        .filter(WordMap(spelling::to_american))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analyzer for names.
pub fn name_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(NewsTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(WordMap(transliterate::latin))
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers the analyzers; must run every time an index is opened or created.
pub fn register(index: &Index) {
    index.tokenizers().register(TEXT_ANALYZER, text_analyzer());
    index
        .tokenizers()
        .register(ALL_WORDS_ANALYZER, all_words_analyzer());
    index
        .tokenizers()
        .register(STOPS_ANALYZER, stops_analyzer());
    index.tokenizers().register(NAME_ANALYZER, name_analyzer());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut analyzer = text_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
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

    #[test]
    fn the_memo_changes_nothing_twice_over() {
        // The same filters on every token, without the memo.
        let mut direct = with_word_filters(NewsTokenizer::default(), true);
        let text = "The Centres of the centre: U.S. and UNIDO's AI-driven programme, \
                    élections in 人工智能 and a verylongwordthatgoesonandonandonforeverandever \
                    THE centres of the Centre";
        let mut memo = text_analyzer();
        let expected = tokens(&mut direct, text);
        assert!(expected.len() > 10);
        assert_eq!(tokens(&mut memo, text), expected);
        assert_eq!(tokens(&mut memo, text), expected);
        let mut direct = with_word_filters(NewsTokenizer::default(), false);
        let mut memo = all_words_analyzer();
        let all = tokens(&mut direct, text);
        assert_eq!(tokens(&mut memo, text), all);
        assert!(expected.len() < all.len());
        // The stop words sit at the positions the other analyzers give them.
        let stops = tokens(&mut stops_analyzer(), text);
        assert!(!stops.is_empty());
        for stop in &stops {
            assert!(all.iter().any(|t| t.1 == stop.1 && t.2 == stop.2));
            assert!(!expected.iter().any(|t| t.1 == stop.1));
        }
    }
}
