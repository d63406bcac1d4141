//! An article as a Quickwit document in our mapping: the texts as written, and the
//! tokens our analyzers make of them, space-joined. Where an analyzer leaves a gap in
//! positions (a stop word it dropped), a `·` stands in, so Quickwit's positions match
//! ours and phrases line up. The `*_stops` fields hold every word, stop words too
//! (the highlighter's analysis): a quoted phrase with stop words is one exact phrase
//! there, where the local index checks two fields position by position.

use std::cell::RefCell;

use chrono::Datelike;
use serde_json::{Map, Value, json};
use tantivy::tokenizer::TextAnalyzer;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::ledger::file_state;
use crate::article::Article;
use crate::index::analysis::Analysis;
use crate::index::analyzer::PerAnalysis;
use crate::index::{analyzer, fingerprint, language};
use crate::scan::Scan;

/// The stand-in for a position our analyzer emptied.
pub const GAP: &str = "·";

thread_local! {
    static TEXT: RefCell<PerAnalysis> = RefCell::new(PerAnalysis::new(analyzer::indexing_analyzer));
    static ALL_WORDS: RefCell<PerAnalysis> =
        RefCell::new(PerAnalysis::new(analyzer::all_words_indexing_analyzer));
    static NAMES: RefCell<TextAnalyzer> = RefCell::new(analyzer::name_analyzer());
}

/// The tokens of `text`, space-joined, gaps filled.
fn terms(analyzer: &mut TextAnalyzer, text: &str) -> String {
    counted_terms(analyzer, text).0
}

/// [`terms`], and how many tokens there are (stand-ins not counted): the field's
/// length as the local index counts it.
fn counted_terms(analyzer: &mut TextAnalyzer, text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut count = 0usize;
    let mut stream = analyzer.token_stream(text);
    let mut next = 0usize;
    while stream.advance() {
        let token = stream.token();
        while next < token.position {
            out.push_str(GAP);
            out.push(' ');
            next += 1;
        }
        out.push_str(&token.text);
        out.push(' ');
        next = token.position + 1;
        count += 1;
    }
    out.pop();
    (out, count)
}

/// The text analyzer's terms in `analysis` (what `title_terms` and `body_terms`
/// hold), and their number (what `title_tokens` and `body_tokens` hold).
pub fn text_terms(analysis: Analysis, text: &str) -> (String, usize) {
    TEXT.with_borrow_mut(|a| counted_terms(a.get(analysis), text))
}

/// The document for one article; `origin` is its file's key and stamp and the
/// article's place in the file, `sent` the start of the run that sends it (the
/// writer adds the batch it goes in).
pub fn to_json(
    article: &Article,
    hash: u64,
    origin: Option<(&str, u64, usize)>,
    sent: u64,
) -> Value {
    let mut doc = Map::new();
    let mut put = |key: &str, value: Value| {
        doc.insert(key.to_string(), value);
    };
    put("id", json!(article.id));
    put("kind", json!("article"));
    put("sent", json!(sent));
    if let Some((key, stamp, record)) = origin {
        put("record", json!(record));
        put("file_state", json!(file_state(key, stamp)));
        put("file_key", json!(key));
        put("file_stamp", json!(stamp.to_string()));
    }
    put("text_hash", json!(hash));
    put("title", json!(article.title));
    put("body", json!(article.body));
    let lang = language::of(article);
    let analysis = Analysis::of(&lang);
    for (field, text) in [("title", &article.title), ("body", &article.body)] {
        let (terms, count) = text_terms(analysis, text);
        put(&format!("{field}_terms"), json!(terms));
        put(&format!("{field}_tokens"), json!(count));
    }
    ALL_WORDS.with_borrow_mut(|a| {
        let a = a.get(analysis);
        put("title_stops", json!(terms(a, &article.title)));
        put("body_stops", json!(terms(a, &article.body)));
    });
    // Quickwit keeps times as nanoseconds in an i64: 1678 to 2261. A date outside
    // (a misread year) is left out rather than have Quickwit refuse the article.
    if let Some(date) = article.date.filter(|d| (1678..=2261).contains(&d.year())) {
        put(
            "date",
            json!(date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        );
    }
    NAMES.with_borrow_mut(|names| {
        if let Some(source) = &article.source {
            put("source", json!(source));
            put("source_terms", json!(terms(names, source)));
        }
        if let Some(place) = &article.place {
            put("place", json!(place));
            put("place_terms", json!(terms(names, place)));
        }
        if let Some(author) = &article.author {
            put("author", json!(author));
            put("author_terms", json!(terms(names, author)));
        }
        let text = if article.body.trim().is_empty() {
            &article.title
        } else {
            &article.body
        };
        put("dup_bands", json!(fingerprint::bands(text)));
    });
    if let Some(label) = article.source_label() {
        put("source_exact", json!(label));
    }
    if let Some(url) = &article.url {
        put("url", json!(url));
    }
    if let Some(path) = &article.path {
        put("path", json!(path));
    }
    put("lang", json!(lang));
    if let Some(quality) = article.ocr_quality {
        put("ocr_quality", json!(f64::from(quality)));
    }
    if let Some(scan) = article.scan.as_ref().filter(|s| !s.is_empty()) {
        put("scan", json!(BASE64.encode(scan.encode())));
    }
    Value::Object(doc)
}

/// The pages and word positions of a stored document's `scan` field.
pub fn scan_of(encoded: &str) -> Option<Scan> {
    Scan::decode(&BASE64.decode(encoded).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_ours_and_keep_positions() {
        // Folded, stemmed, British spelling made American: what the local index holds.
        let (terms, count) = text_terms(Analysis::ENGLISH, "The Centres' strikes");
        // The dropped stop word is a stand-in, not a word of the field's length.
        assert_eq!(count, 2, "{terms}");
        assert!(
            !terms.contains("Centres") && !terms.contains("strikes"),
            "{terms}"
        );
        // A dropped stop word leaves a stand-in, so positions match the local index.
        let a = Article {
            id: "x".into(),
            title: "Birth of a Nation".into(),
            body: "Body text.".into(),
            ..Article::default()
        };
        let doc = to_json(&a, 1, Some(("k", 2, 0)), 3);
        let title = doc["title_terms"].as_str().unwrap();
        assert_eq!(title.split(' ').count(), 4, "{title}");
        assert!(doc["title_stops"].as_str().unwrap().contains("of"), "{doc}");
        assert_eq!(doc["file_key"], "k");
        assert!(doc.get("date").is_none());
    }
}
