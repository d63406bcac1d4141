//! JSON and JSON Lines articles, with field names matched case-insensitively from
//! the spellings common in scrapers, news APIs and data sets.

use serde_json::{Map, Value};

use super::date::{from_unix, set_date};
use super::html::fragment_text;
use super::{Problem, Record};
use crate::article::{Article, clean_line};

// Each list ends with the names spreadsheets in other languages give the column
// (a German newsroom's export says `Titel`, `Text`, `Datum`).
const TITLE: &[&str] = &[
    "title",
    "headline",
    "titel",
    "titre",
    "titulo",
    "título",
    "titolo",
    "überschrift",
    "schlagzeile",
];
const BODY: &[&str] = &[
    "body",
    "text",
    "content",
    "article",
    "articlebody",
    "maintext",
    "full_text",
    "fulltext",
    "article_text",
    "description",
    "summary",
    "texte",
    "inhalt",
    "contenu",
    "contenido",
    "testo",
    "tekst",
    "conteúdo",
];
const DATE: &[&str] = &[
    "date",
    "published",
    "published_at",
    "publishedat",
    "pubdate",
    "datepublished",
    "date_published",
    "date_publish",
    "publish_date",
    "published_date",
    "publication_date",
    "pub_date",
    "created_at",
    "timestamp",
    "datetime",
    "seendate",
    "datum",
    "fecha",
];
const SOURCE: &[&str] = &[
    "source",
    "publisher",
    "site_name",
    "sitename",
    "outlet",
    "source_name",
    "source_domain",
    "newspaper",
    "publication",
    "quelle",
    "zeitung",
    "fuente",
    "fonte",
    "bron",
    "journal",
];
const PLACE: &[&str] = &["place", "place_of_publication", "city", "dateline_place"];
const AUTHOR: &[&str] = &[
    "author",
    "byline",
    "authors",
    "creator",
    "autor",
    "auteur",
    "autore",
    "verfasser",
];
const URL: &[&str] = &["url", "link", "permalink", "canonical_url", "article_url"];
const ID: &[&str] = &["id", "docid", "doc_id", "guid", "uuid"];
/// OCR confidence, 0 to 1 (what `export` writes for OCR formats).
const OCR_QUALITY: &[&str] = &["ocr_quality", "ocr_confidence"];
const LANG: &[&str] = &["lang", "language"];

/// Parses a `.json` file: one object, or an array of objects.
pub fn parse_document(text: &str) -> Vec<Record> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items.iter().map(from_value).collect(),
        Ok(value) => vec![from_value(&value)],
        Err(e) => vec![Err((Problem::InvalidJson, e.to_string()))],
    }
}

/// Parses JSON Lines: one object per non-blank line, each with its 1-based line number.
pub fn parse_lines(text: &str) -> Vec<(usize, Record)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| (n + 1, parse_line(line)))
        .collect()
}

/// Parses one JSON Lines line.
pub fn parse_line(line: &str) -> Record {
    serde_json::from_str::<Value>(line)
        .map_err(|e| (Problem::InvalidJson, e.to_string()))
        .and_then(|value| from_value(&value))
}

/// Whether field names (lower case) include a title or a text: what makes an
/// article of a record (CSV headers are judged by this before any row is read).
pub fn names_a_text_field(names: &[String]) -> bool {
    names
        .iter()
        .any(|name| TITLE.contains(&name.as_str()) || BODY.contains(&name.as_str()))
}

/// Turns one JSON value, which must be an object, into an article.
fn from_value(value: &Value) -> Record {
    let Value::Object(object) = value else {
        return Err((Problem::InvalidJson, "expected an object".into()));
    };
    from_object(object)
}

/// Turns one object (a JSON record, a CSV row) into an article.
pub fn from_object(object: &Map<String, Value>) -> Record {
    let fields = Fields::new(object);
    let mut article = Article {
        id: fields.text(ID).unwrap_or_default(),
        title: fields
            .text(TITLE)
            .map(|t| clean_line(&without_markup(&t)))
            .unwrap_or_default(),
        body: fields
            .text(BODY)
            .map(|b| without_markup(&b).trim().to_string())
            .unwrap_or_default(),
        date: None,
        source: fields.text(SOURCE).map(|s| clean_line(&s)),
        place: fields.text(PLACE).map(|s| clean_line(&s)),
        author: fields.text(AUTHOR).map(|s| clean_line(&s)),
        url: fields.text(URL).map(|s| s.trim().to_string()),
        path: None,
        key: None,
        lang: fields.text(LANG).map(|l| l.trim().to_string()),
        ocr_quality: fields
            .first(OCR_QUALITY)
            .and_then(Value::as_f64)
            .filter(|q| (0.0..=1.0).contains(q))
            .map(|q| q as f32),
        scan: None,
        unread_date: None,
    };
    match fields.first(DATE) {
        // Unix time, in seconds or milliseconds, perhaps with a fraction.
        Some(Value::Number(n)) => match n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.abs() < 1e15).map(|f| f as i64))
            .and_then(from_unix)
        {
            Some(date) => article.date = Some(date),
            None => article.unread_date = Some(n.to_string()),
        },
        Some(other) => {
            if let Some(text) = text_of(other) {
                set_date(&mut article, &text);
            }
        }
        None => {}
    }
    if article.is_empty() {
        return Err((Problem::NoText, "no title or body field".into()));
    }
    if article.title.is_empty() {
        article.title = lead(&article.body);
    }
    Ok(article)
}

/// The text of a field that holds HTML, as CMS exports and APIs give it
/// (WordPress's `content.rendered`, the Guardian's `body`): its tags dropped and
/// its entities decoded, scripts and styles never text. Other text is as it is.
fn without_markup(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['<', '&']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let lower = text.to_ascii_lowercase();
    let markup = [
        "</p>",
        "<br",
        "</div>",
        "</a>",
        "</span>",
        "</li>",
        "</b>",
        "</i>",
        "</em>",
        "</strong>",
        "</h",
        "<p>",
        "<img",
    ]
    .iter()
    .any(|tag| lower.contains(tag));
    let entities = [
        "&amp;", "&quot;", "&#", "&nbsp;", "&lt;", "&gt;", "&rsquo;", "&mdash;",
    ]
    .iter()
    .any(|entity| lower.contains(entity));
    if markup || entities {
        std::borrow::Cow::Owned(fragment_text(text))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The most characters of a headline made from a record's text.
const LEAD_CHARS: usize = 120;

/// A headline for a record without one (a post, a row of text only): its
/// first sentence, or the start of its first line cut at a word.
fn lead(body: &str) -> String {
    let line = clean_line(
        body.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default(),
    );
    let sentence = line
        .match_indices(['.', '!', '?'])
        .map(|(at, mark)| at + mark.len())
        .find(|&end| line[end..].starts_with(' ') && line[..end].chars().count() >= 20)
        .map_or(line.as_str(), |end| &line[..end]);
    if sentence.chars().count() <= LEAD_CHARS {
        return sentence.to_string();
    }
    let cut = sentence
        .char_indices()
        .nth(LEAD_CHARS)
        .map_or(sentence.len(), |(at, _)| at);
    let word = sentence[..cut]
        .rfind(' ')
        .filter(|&at| at > 0)
        .unwrap_or(cut);
    format!("{}…", sentence[..word].trim_end())
}

/// An object's fields with lowercased names, looked up by lists of synonyms.
struct Fields<'a> {
    entries: Vec<(String, &'a Value)>,
}

impl<'a> Fields<'a> {
    fn new(object: &'a Map<String, Value>) -> Self {
        let entries = object
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        Fields { entries }
    }

    /// The first present, non-null value among `names`, in the order of `names`.
    fn first(&self, names: &[&str]) -> Option<&'a Value> {
        names.iter().find_map(|name| {
            self.entries
                .iter()
                .find(|(key, value)| key == name && !value.is_null())
                .map(|(_, value)| *value)
        })
    }

    /// The first value among `names` that reads as non-empty text.
    fn text(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|name| {
            self.entries
                .iter()
                .filter(|(key, _)| key == name)
                .find_map(|(_, value)| text_of(value))
        })
    }
}

/// Text from a string, a number, an array of texts (joined), or an object's `name`.
fn text_of(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .filter_map(text_of)
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(object) => ["name", "title", "text", "value", "rendered"]
            .iter()
            .find_map(|key| object.get(*key).and_then(text_of))?,
        Value::Null | Value::Bool(_) => return None,
    };
    (!text.trim().is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_spellings_case_insensitively() {
        let records = parse_document(
            r#"{"Headline":"H","Content":"B","publishedAt":"2024-07-04T00:00:00Z","source":{"id":null,"name":"Wire"},"authors":["A","B"],"Link":"https://x.test"}"#,
        );
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.title, "H");
        assert_eq!(a.body, "B");
        assert_eq!(a.source.as_deref(), Some("Wire"));
        assert_eq!(a.author.as_deref(), Some("A, B"));
        assert_eq!(a.url.as_deref(), Some("https://x.test"));
        assert!(a.date.is_some());
    }

    #[test]
    fn unix_time_with_a_fraction_and_unread_dates() {
        let record = |date: &str| parse_line(&format!(r#"{{"title":"t","date":{date}}}"#)).unwrap();
        let fractional = record("1710000000.25");
        assert_eq!(fractional.date.unwrap().timestamp(), 1_710_000_000);
        let unread = record(r#""4/3/2024""#);
        assert_eq!(
            (unread.date, unread.unread_date.as_deref()),
            (None, Some("4/3/2024"))
        );
        assert_eq!(record("1e300").unread_date.as_deref(), Some("1e+300"));
    }

    #[test]
    fn a_record_without_a_title_is_headed_by_its_first_sentence() {
        let title = |body: &str| {
            parse_line(&serde_json::json!({ "text": body }).to_string())
                .unwrap()
                .title
        };
        assert_eq!(
            title("Storm closes the harbour. Ferries were cancelled on Monday."),
            "Storm closes the harbour."
        );
        assert_eq!(
            title("\n  U.S. ports reopen\nMore text."),
            "U.S. ports reopen"
        );
        let long = "word ".repeat(60);
        let got = title(&long);
        assert!(
            got.ends_with("word…") && got.chars().count() <= LEAD_CHARS + 1,
            "{got}"
        );
    }

    #[test]
    fn html_in_fields_is_read_as_text() {
        let wordpress = r#"{"title":{"rendered":"Ferries &amp; trams"},"content":{"rendered":"<p>The <b>harbour</b> reopened.</p>\n<p>Fares rose&nbsp;5%.</p><script>track()</script>"}}"#;
        let article = parse_line(wordpress).unwrap();
        assert_eq!(article.title, "Ferries & trams");
        assert!(
            article.body.starts_with("The harbour reopened."),
            "{}",
            article.body
        );
        assert!(
            article.body.contains("Fares rose\u{a0}5%.") || article.body.contains("Fares rose 5%.")
        );
        assert!(!article.body.contains("track") && !article.body.contains('<'));
        // Text that merely mentions a bracket is left as it is.
        let plain = parse_line(r#"{"title":"x","body":"a <b and c> d"}"#).unwrap();
        assert_eq!(plain.body, "a <b and c> d");
    }

    #[test]
    fn arrays_and_bad_lines() {
        assert_eq!(parse_document(r#"[{"title":"a"},{"title":"b"}]"#).len(), 2);
        let lines = parse_lines("{\"title\":\"a\"}\n\n{broken\n{\"x\":1}\n");
        assert_eq!(lines.len(), 3);
        assert!(lines[0].1.is_ok());
        assert_eq!(lines[1].0, 3);
        assert!(matches!(lines[1].1, Err((Problem::InvalidJson, _))));
        assert!(matches!(lines[2].1, Err((Problem::NoText, _))));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(matches!(
            parse_document(&deep)[0],
            Err((Problem::InvalidJson, _))
        ));
    }
}
