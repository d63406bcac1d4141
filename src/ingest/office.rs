//! What word-processor documents share once their text is read (Word's `.docx`,
//! OpenDocument's `.odt`, RTF): paragraphs become an article (the headline from
//! the document's title, its `Title` paragraph or its first line; a `By …` line
//! as the byline; the rest as the body), with the title, author and creation
//! date of the document's properties (Dublin Core in `.docx` and `.odt`).

use roxmltree::Document;

use super::date::parse_date_field;
use super::xml;
use super::{Problem, Record};
use crate::article::{Article, clean_line};

/// The names editors put as a document's author when nobody typed one: not a byline.
const PLACEHOLDER_AUTHORS: &[&str] = &[
    "microsoft office user",
    "windows user",
    "user",
    "admin",
    "administrator",
    "author",
    "unknown",
    "python-docx",
];

/// One paragraph: its style (`Title`, `Heading1`, …) and text.
pub struct Paragraph {
    pub style: String,
    pub text: String,
}

/// The article of a document's `paragraphs` and its `properties` (the title,
/// author and date it gives, if any: an editor's placeholder author is dropped);
/// `kind` names the document in the error for one without text.
pub fn article(mut paragraphs: Vec<Paragraph>, properties: Article, kind: &str) -> Record {
    paragraphs.retain(|p| !p.text.trim().is_empty());
    let mut article = properties;
    article.author = article.author.filter(|a| !is_placeholder(a));
    let titled = paragraphs
        .iter()
        .position(|p| p.style.eq_ignore_ascii_case("title"))
        .or_else(|| (!paragraphs.is_empty()).then_some(0));
    if let Some(at) = titled {
        let headline = clean_line(&paragraphs[at].text);
        // The first line is the headline when the document has no title, and is
        // dropped when it repeats the title.
        if article.title.is_empty() || article.title == headline {
            article.title = headline;
            paragraphs.remove(at);
        }
    }
    if let Some(at) = paragraphs
        .iter()
        .take(3)
        .position(|p| byline(&p.text).is_some())
    {
        article.author = byline(&paragraphs[at].text);
        paragraphs.remove(at);
    }
    article.body = paragraphs
        .iter()
        .map(|p| p.text.trim())
        .collect::<Vec<_>>()
        .join("\n\n");
    if article.is_empty() {
        return Err((Problem::NoText, format!("{kind} without text")));
    }
    Ok(article)
}

/// Is `author` a name editors put when nobody typed one?
fn is_placeholder(author: &str) -> bool {
    PLACEHOLDER_AUTHORS.contains(&author.trim().to_lowercase().as_str())
}

/// The title, author and date of a document's properties, the XML of
/// `docProps/core.xml` or `meta.xml` when it has them (nothing when it has none
/// or they cannot be read).
pub fn properties(xml: Option<&str>) -> Article {
    xml.and_then(|xml| xml::with_document(xml, read_properties).ok())
        .unwrap_or_default()
}

/// The properties' `dc:title`; the first author (`meta:initial-creator`) or else
/// `dc:creator`; the creation date (`dcterms:created`, `meta:creation-date`).
fn read_properties(doc: &Document<'_>) -> Article {
    let root = doc.root_element();
    let value = |local: &'static str| xml::find_text(root, local).filter(|t| !t.is_empty());
    let author = value("initial-creator").or_else(|| value("creator"));
    Article {
        title: value("title").map(|t| clean_line(&t)).unwrap_or_default(),
        author,
        date: value("created")
            .or_else(|| value("creation-date"))
            .and_then(|d| parse_date_field(&d)),
        ..Article::default()
    }
}

/// The name in a byline paragraph (`By Jane Reporter`), if it is one.
fn byline(text: &str) -> Option<String> {
    let text = text.trim();
    let name = text
        .strip_prefix("By ")
        .or_else(|| text.strip_prefix("BY "))
        .or_else(|| text.strip_prefix("by "))?;
    let words = name.split_whitespace().count();
    (words > 0 && words <= 8 && !name.ends_with('.')).then(|| clean_line(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(texts: &[(&str, &str)]) -> Vec<Paragraph> {
        texts
            .iter()
            .map(|(style, text)| Paragraph {
                style: style.to_string(),
                text: text.to_string(),
            })
            .collect()
    }

    #[test]
    fn headline_byline_and_body() {
        let got = article(
            paragraphs(&[
                ("", "Kicker"),
                ("Title", "Dock strike ends"),
                ("", "By Jane Reporter"),
                ("", "Crews voted."),
            ]),
            Article::default(),
            "a test",
        )
        .unwrap();
        assert_eq!(got.title, "Dock strike ends");
        assert_eq!(got.author.as_deref(), Some("Jane Reporter"));
        assert_eq!(got.body, "Kicker\n\nCrews voted.");
    }

    #[test]
    fn the_properties_give_title_author_and_date() {
        let core = r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
            <dc:title>Harbour report</dc:title><dc:creator>Windows User</dc:creator>
            <dcterms:created>2024-03-04T10:00:00Z</dcterms:created></cp:coreProperties>"#;
        let got = article(
            paragraphs(&[("", "The harbour froze.")]),
            properties(Some(core)),
            "a test",
        )
        .unwrap();
        assert_eq!(got.title, "Harbour report");
        assert_eq!(got.body, "The harbour froze.");
        assert_eq!(got.author, None, "a placeholder is no byline");
        assert_eq!(got.date.unwrap().to_rfc3339(), "2024-03-04T10:00:00+00:00");
        let meta = r#"<office:document-meta xmlns:office="o" xmlns:meta="m" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta>
            <meta:initial-creator>Sam Writer</meta:initial-creator><dc:creator>Night Editor</dc:creator>
            <meta:creation-date>2024-03-04T10:00:00.123456789</meta:creation-date></office:meta></office:document-meta>"#;
        let got = article(
            paragraphs(&[("", "Headline"), ("", "Text.")]),
            properties(Some(meta)),
            "a test",
        )
        .unwrap();
        assert_eq!(
            (got.title.as_str(), got.author.as_deref()),
            ("Headline", Some("Sam Writer"))
        );
        assert_eq!(
            got.date.unwrap().to_rfc3339(),
            "2024-03-04T10:00:00.123456789+00:00"
        );
    }

    #[test]
    fn a_document_without_text_is_told() {
        let got = article(
            paragraphs(&[("", "  ")]),
            Article::default(),
            "a Word document",
        );
        assert!(matches!(got, Err((Problem::NoText, d)) if d == "a Word document without text"));
    }
}
