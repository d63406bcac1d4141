//! ProQuest exports (Global Newsstream, Historical Newspapers, US Newsstream…):
//! the "TXT – Text Only" file of up to a hundred documents, as researchers save
//! them, or the same saved as RTF or Word. Documents are parted by a line of
//! underscores. Each opens with its title, then labelled paragraphs: `Author:`,
//! `Publication info:`, `Abstract:`, `Full text:` (the text, running on over the
//! paragraphs after it), then the record's fields (`Title:`, `Publication
//! title:`, `Publication date:`, `Language of publication:`, `ProQuest document
//! ID:`, `Document URL:`…). The cover before the first document and the
//! copyright after the last are not documents.
//!
//! Each document becomes an article: its title, author, date, publication as
//! source, language, address and text (the abstract when the export has no
//! full text, as for many historical pages), with the ProQuest document ID as
//! its id; subjects, places and other index fields are left out.

use super::date::parse_date_field;
use crate::article::{Article, clean_line};
use crate::index::language;

/// The labels of a record's fields: a paragraph opening with one ends the text.
const LABELS: &[&str] = &[
    "Abstract",
    "Accession number",
    "Author",
    "Caption",
    "Column",
    "Company / organization",
    "Copyright",
    "Country of publication",
    "Credit",
    "Database",
    "Dateline",
    "Document feature",
    "Document type",
    "Document URL",
    "Edition",
    "First page",
    "Full text",
    "Identifier / keyword",
    "ISSN",
    "Illustration",
    "Language of publication",
    "Last updated",
    "Links",
    "Location",
    "Notes",
    "Number of pages",
    "Pages",
    "People",
    "Place of publication",
    "ProQuest document ID",
    "Publication date",
    "Publication info",
    "Publication subject",
    "Publication title",
    "Publication year",
    "Publisher",
    "Section",
    "Source type",
    "Subject",
    "Title",
    "Year",
];

/// A line that parts two documents: underscores (or asterisks), many of them.
fn is_separator(line: &str) -> bool {
    let line = line.trim();
    line.len() >= 20 && (line.bytes().all(|b| b == b'_') || line.bytes().all(|b| b == b'*'))
}

/// A paragraph's label and the rest (`Publication date: May 14, 2019`).
fn labelled(paragraph: &str) -> Option<(&'static str, &str)> {
    let (label, rest) = paragraph.split_once(':')?;
    let label = LABELS
        .iter()
        .find(|l| l.eq_ignore_ascii_case(label.trim()))?;
    Some((label, rest.trim()))
}

/// The articles of a ProQuest export whose paragraphs are `paragraphs` (a
/// paragraph's lines run on as one), or `None` when it is not one (no
/// separators, or no document ID).
pub fn split(paragraphs: &[String]) -> Option<Vec<Article>> {
    let paragraphs: Vec<String> = paragraphs
        .iter()
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .collect();
    let is_id = |p: &String| labelled(p).is_some_and(|(label, _)| label == "ProQuest document ID");
    if !paragraphs.iter().any(|p| is_separator(p)) || !paragraphs.iter().any(is_id) {
        return None;
    }
    let articles: Vec<Article> = paragraphs
        .split(|p| is_separator(p))
        .filter_map(article)
        .collect();
    (!articles.is_empty()).then_some(articles)
}

/// The articles of a plain-text ProQuest export, or `None` when the text is not one.
pub fn split_text(text: &str) -> Option<Vec<Article>> {
    if !has_document_id(text) {
        return None;
    }
    split(&super::nexis::paragraphs(text))
}

/// Whether a text names a ProQuest document ID (a quick look before it is split).
pub fn has_document_id(text: &str) -> bool {
    text.contains("ProQuest document ID")
}

/// One document: its paragraphs between two separators, or `None` for the
/// cover and the closing copyright (no document ID, no text).
fn article(paragraphs: &[String]) -> Option<Article> {
    let mut first_line = None;
    let mut text: Vec<&str> = Vec::new();
    let mut abstract_text: Vec<&str> = Vec::new();
    let mut fields: Vec<(&str, &str)> = Vec::new();
    // Where an unlabelled paragraph goes: on with the text or the abstract
    // above it, or nowhere (after another field).
    let mut into = Into::Nowhere;
    for paragraph in paragraphs {
        match labelled(paragraph) {
            Some(("Full text", rest)) => {
                text.push(rest);
                into = Into::Text;
            }
            Some(("Abstract", rest)) => {
                abstract_text.push(rest);
                into = Into::Abstract;
            }
            Some(field) => {
                fields.push(field);
                into = Into::Nowhere;
            }
            None if first_line.is_none() && fields.is_empty() => {
                first_line = Some(paragraph.as_str())
            }
            None => match into {
                Into::Text => text.push(paragraph),
                Into::Abstract => abstract_text.push(paragraph),
                Into::Nowhere => {}
            },
        }
    }
    let field = |label: &str| {
        fields
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, v)| clean_line(v))
            .filter(|v| !v.is_empty())
    };
    let id = field("ProQuest document ID")?;
    let body = if text.iter().any(|t| !t.is_empty()) {
        text
    } else {
        abstract_text
    };
    let article = Article {
        id,
        title: field("Title")
            .or_else(|| first_line.map(clean_line))
            .unwrap_or_default(),
        body: body
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n\n"),
        date: field("Publication date").and_then(|d| parse_date_field(&d)),
        source: field("Publication title"),
        author: field("Author"),
        url: field("Document URL").filter(|u| u.starts_with("http")),
        lang: field("Language of publication").and_then(|l| language::named(&l)),
        ..Article::default()
    };
    (!article.is_empty()).then_some(article)
}

/// Where an unlabelled paragraph belongs.
enum Into {
    Text,
    Abstract,
    Nowhere,
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &str = "ProQuest\n\nDocument 1 of 2\n\n\
        ____________________________________________________________\n\n\
        Harbour board backs dredging\n\nAuthor: Quayle, Mara\n\n\
        Publication info: The Harbour Gazette ; Leith [Leith]. 02 Aug 2021: A.3.\n\n\
        http://search.proquest.com/docview/2558812345?accountid=1\n\n\
        Abstract: The board backed dredging.\n\n\
        Full text: The port board approved dredging of the outer channel.\n\n\
        Work starts in the autumn.\n\n\
        Subject: Ports; Dredging\n\nLocation: Scotland\n\nTitle: Harbour board backs dredging\n\n\
        Publication title: The Harbour Gazette\n\nPublication year: 2021\n\n\
        Publication date: Aug 2, 2021\n\nLanguage of publication: English\n\n\
        ProQuest document ID: 2558812345\n\n\
        Document URL: https://www.proquest.com/docview/2558812345?accountid=1\n\n\
        Copyright: Copyright The Harbour Gazette Aug 2, 2021\n\n\
        ____________________________________________________________\n\n\
        THE WAR IN EUROPE\n\n\
        Abstract: Despatches from the front tell of heavy fighting.\n\n\
        Title: THE WAR IN EUROPE\n\nPublication title: Evening Star\n\n\
        Publication date: Jan 12, 1916\n\nProQuest document ID: 145678901\n\n\
        ____________________________________________________________\n\n\
        Contact ProQuest\n\nCopyright 2021 ProQuest LLC. All rights reserved.\n";

    #[test]
    fn each_document_is_an_article_with_its_fields() {
        let got = split_text(EXPORT).unwrap();
        assert_eq!(got.len(), 2);
        let first = &got[0];
        assert_eq!(first.id, "2558812345");
        assert_eq!(first.title, "Harbour board backs dredging");
        assert_eq!(first.author.as_deref(), Some("Quayle, Mara"));
        assert_eq!(first.source.as_deref(), Some("The Harbour Gazette"));
        assert_eq!(first.lang.as_deref(), Some("en"));
        assert_eq!(
            first.date.unwrap().to_rfc3339(),
            "2021-08-02T00:00:00+00:00"
        );
        assert_eq!(
            first.url.as_deref(),
            Some("https://www.proquest.com/docview/2558812345?accountid=1")
        );
        assert_eq!(
            first.body,
            "The port board approved dredging of the outer channel.\n\nWork starts in the autumn."
        );
        // A historical page without full text: its abstract is the text.
        assert_eq!(
            got[1].body,
            "Despatches from the front tell of heavy fighting."
        );
        assert_eq!(got[1].source.as_deref(), Some("Evening Star"));
    }

    #[test]
    fn other_texts_are_not_exports() {
        assert!(split_text("Title: A memo\n\nFull text: none").is_none());
        let ruled = "A memo\n\n______________________________\n\nMore text.\n";
        assert!(split_text(ruled).is_none());
    }
}
