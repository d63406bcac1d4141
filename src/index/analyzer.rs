//! Text analysis: how titles, bodies and names are cut into searchable terms.
//! The same analyzers tokenize documents, queries and snippet candidates.

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer,
    StopWordFilter, TextAnalyzer,
};

use super::memo::Memo;
use super::spelling::AmericanSpelling;
use super::tokenizer::NewsTokenizer;

/// Analyzer for titles and bodies: lowercase, ASCII-fold (`Café` → `cafe`), American
/// spelling, English stems; CJK as bigrams.
pub const TEXT_ANALYZER: &str = "news_en";
/// Analyzer for names (sources, authors): lowercase and folded, not stemmed.
pub const NAME_ANALYZER: &str = "news_name";

/// Tokens longer than this many bytes are dropped (URLs-as-words, base64 blobs).
const MAX_TOKEN_BYTES: usize = 40;

/// The analyzer for article text. Lucene's 33 English stop words are dropped
/// (positions are kept, so phrases still match across them): they carry no topic,
/// and removing them raised MAP on the TIME collection and shrank the index.
/// British spellings become American ones before stemming.
/// Each token goes through the per-word filters once per distinct word ([`Memo`]).
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(NewsTokenizer::default())
        .filter(Memo::new(word_analyzer()))
        .build()
}

/// The filters of [`text_analyzer`] over one word (a raw tokenizer: the word is
/// one token).
fn word_analyzer() -> TextAnalyzer {
    with_word_filters(RawTokenizer::default())
}

/// `tokenizer` followed by the per-word filters, each mapping one token to one
/// token or none.
fn with_word_filters<T: tantivy::tokenizer::Tokenizer>(tokenizer: T) -> TextAnalyzer {
    TextAnalyzer::builder(tokenizer)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(
            StopWordFilter::new(Language::English)
                .unwrap_or_else(|| StopWordFilter::remove(Vec::new())),
        )
        .filter(AsciiFoldingFilter)
        .filter(AmericanSpelling)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analyzer for names.
pub fn name_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(NewsTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers the analyzers; must run every time an index is opened or created.
pub fn register(index: &Index) {
    index.tokenizers().register(TEXT_ANALYZER, text_analyzer());
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
        let mut direct = with_word_filters(NewsTokenizer::default());
        let text = "The Centres of the centre: U.S. and UNIDO's AI-driven programme, \
                    élections in 人工智能 and a verylongwordthatgoesonandonandonforeverandever \
                    THE centres of the Centre";
        let mut memo = text_analyzer();
        let expected = tokens(&mut direct, text);
        assert!(expected.len() > 10);
        assert_eq!(tokens(&mut memo, text), expected);
        assert_eq!(tokens(&mut memo, text), expected);
    }
}
