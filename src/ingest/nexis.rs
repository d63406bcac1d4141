//! LexisNexis exports: one file holding up to a hundred articles, as
//! researchers download them.
//!
//! Nexis Uni writes Word, RTF and PDF files (and its text may be saved as plain
//! text). Each article is a headline, the source, the date line (`July 1, 2019
//! Monday 9:20 AM GMT`), labelled lines (`Section:`, `Length:`, `Byline:`…), a
//! line `Body`, the text, optionally a `Classification` block and `Load-Date:`,
//! and the line `End of Document`. The first article follows a cover page (the
//! search and its list of results), which is not an article. Such a document
//! becomes its articles, each with its own headline, source, date and byline;
//! any other document is left as it is.
//!
//! LexisNexis Academic (before 2018) wrote plain text: each article opens with a
//! centred `N of M DOCUMENTS` line, then the source, the date line (with the
//! edition below it), the headline, labelled paragraphs (`BYLINE:`, `SECTION:`,
//! `LENGTH:`), the text, and closing labels (`LOAD-DATE:`, `LANGUAGE:`, …) and
//! the copyright.

use super::date::parse_date;
use crate::article::{Article, clean_line};

/// The line that ends each article.
const END: &str = "End of Document";
/// The line before each article's text.
const BODY: &str = "Body";

/// Does the line end an article's text (its index terms and load date)?
fn is_trailer(line: &str) -> bool {
    line == "Classification" || line == "Notes" || line.starts_with("Load-Date:")
}

/// The articles of a Nexis Uni export whose paragraphs are `paragraphs`, or
/// `None` when it is not one (no `End of Document` line, or an article without
/// its `Body` line and date).
pub fn split(paragraphs: &[String]) -> Option<Vec<Article>> {
    let lines: Vec<String> = paragraphs
        .iter()
        .map(|p| p.replace('\u{a0}', " ").trim().to_string())
        .collect();
    if !lines.iter().any(|l| l == END) {
        return None;
    }
    let mut articles = Vec::new();
    for chunk in lines.split(|l| l == END) {
        if chunk.iter().all(|l| l.is_empty()) {
            continue;
        }
        articles.push(article(chunk)?);
    }
    (!articles.is_empty()).then_some(articles)
}

/// One article: the lines between two `End of Document` lines (the first
/// chunk's cover page before its headline is left out).
fn article(chunk: &[String]) -> Option<Article> {
    let lines: Vec<&String> = chunk.iter().filter(|l| !l.is_empty()).collect();
    let body_at = lines.iter().position(|l| *l == BODY)?;
    // Above `Body`: labelled lines and the copyright, then the date line, the
    // source and the headline.
    let mut at = body_at;
    let mut author = None;
    while at > 0 && is_label(lines[at - 1]) {
        at -= 1;
        if let Some(byline) = lines[at].strip_prefix("Byline:") {
            author = Some(clean_line(byline)).filter(|a| !a.is_empty());
        }
    }
    let date_at = at.checked_sub(1)?;
    let date = parse_date(lines[date_at])?;
    let source = date_at.checked_sub(1).map(|i| clean_line(lines[i]));
    let title = date_at
        .checked_sub(2)
        .map(|i| clean_line(lines[i]))
        .unwrap_or_default();
    let text: Vec<&str> = lines[body_at + 1..]
        .iter()
        .take_while(|l| !is_trailer(l))
        .map(|l| l.as_str())
        .collect();
    Some(Article {
        title,
        body: text.join("\n\n"),
        date: Some(date),
        source: source.filter(|s| !s.is_empty()),
        author,
        ..Article::default()
    })
}

/// The articles of a plain-text LexisNexis export (Academic's, or Nexis Uni's
/// saved as text), or `None` when the text is not one.
pub fn split_text(text: &str) -> Option<Vec<Article>> {
    if text.contains(END) {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        return split(&lines);
    }
    // The first `1 of N DOCUMENTS` line follows a short cover page.
    let head = &text[..text.floor_char_boundary(64 * 1024)];
    if !head.contains(" DOCUMENT") {
        return None;
    }
    let paragraphs = paragraphs(text);
    let starts: Vec<usize> = paragraphs
        .iter()
        .enumerate()
        .filter(|(_, p)| is_academic_marker(p))
        .map(|(i, _)| i)
        .collect();
    if starts.is_empty() {
        return None;
    }
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(paragraphs.len());
            academic_article(&paragraphs[start + 1..end])
        })
        .collect()
}

/// The text's paragraphs: runs of lines between blank lines, each line trimmed.
pub(super) fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim).chain([""]) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    out
}

/// `12 of 250 DOCUMENTS` (or `1 of 1 DOCUMENT`).
fn is_academic_marker(paragraph: &str) -> bool {
    let words: Vec<&str> = paragraph.split_whitespace().collect();
    matches!(words.as_slice(), [n, "of", m, "DOCUMENTS" | "DOCUMENT"]
        if n.chars().all(|c| c.is_ascii_digit()) && m.chars().all(|c| c.is_ascii_digit()))
}

/// Labels that close an Academic article's text.
const ACADEMIC_TRAILERS: &[&str] = &[
    "LOAD-DATE:",
    "LANGUAGE:",
    "GRAPHIC:",
    "PUBLICATION-TYPE:",
    "JOURNAL-CODE:",
    "SUBJECT:",
    "ORGANIZATION:",
    "PERSON:",
    "GEOGRAPHIC:",
    "COMPANY:",
    "TICKER:",
    "INDUSTRY:",
    "CORRECTION-DATE:",
    "DOCUMENT-TYPE:",
    "DISTRIBUTION:",
    "URL:",
];

/// One Academic article: the paragraphs after its `N of M DOCUMENTS` line.
fn academic_article(paragraphs: &[String]) -> Option<Article> {
    let source = clean_line(paragraphs.first()?);
    let date = parse_date(paragraphs.get(1)?.lines().next()?)?;
    let title = clean_line(&paragraphs.get(2)?.replace('\n', " "));
    let mut at = 3;
    let mut author = None;
    while let Some(p) = paragraphs.get(at).filter(|p| is_upper_label(p)) {
        if let Some(byline) = p.strip_prefix("BYLINE:") {
            let name = clean_line(&byline.replace('\n', " "));
            // `BYLINE: BY STEPHEN POLLARD`: the name alone.
            let name = match name.get(..3) {
                Some(by) if by.eq_ignore_ascii_case("by ") => name[3..].trim().to_string(),
                _ => name,
            };
            author = Some(name).filter(|a| !a.is_empty());
        }
        at += 1;
    }
    let text: Vec<&str> = paragraphs[at.min(paragraphs.len())..]
        .iter()
        .take_while(|p| !ACADEMIC_TRAILERS.iter().any(|t| p.starts_with(t)))
        .map(String::as_str)
        .collect();
    Some(Article {
        title,
        body: text.join("\n\n"),
        date: Some(date),
        source: Some(source).filter(|s| !s.is_empty()),
        author,
        ..Article::default()
    })
}

/// A paragraph opening with an upper-case label: `BYLINE: …`, `SECTION: …`.
fn is_upper_label(paragraph: &str) -> bool {
    paragraph.split_once(':').is_some_and(|(label, _)| {
        label.len() >= 3
            && label.len() <= 24
            && label.chars().all(|c| c.is_ascii_uppercase() || c == '-')
    })
}

/// A line of the block between the date and `Body`: `Label: value` or the
/// copyright notice.
fn is_label(line: &str) -> bool {
    if line.starts_with("Copyright") || line.starts_with('©') {
        return true;
    }
    line.split_once(':').is_some_and(|(label, _)| {
        !label.is_empty()
            && label.len() <= 24
            && label
                .chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == ' ')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn an_export_becomes_its_articles() {
        let export = lines(
            "Date and Time: Friday, 5. July 2019 09:31:00 CEST\n\
             Documents (2)\n\
             1. Ferries back on the island route\n\
             Client/Matter: -None-\n\
             Ferries back on the island route\n\
             The Harbour Gazette\n\
             July 1, 2019 Monday 9:20 AM GMT\n\
             Copyright 2019 The Harbour Gazette All Rights Reserved\n\
             Section:\u{a0}LOCAL; Version:3\n\
             Length:\u{a0}355 words\n\
             Byline:\u{a0}Jane Reporter\n\
             Body\n\
             The ferry runs again.\n\
             Fares stay the same.\n\
             Classification\n\
             Language:\u{a0}ENGLISH\n\
             Load-Date:\u{a0}July 2, 2019\n\
             End of Document\n\
             \n\
             Tram depot opens\n\
             City Courier\n\
             July 3, 2019 Wednesday\n\
             Length:\u{a0}120 words\n\
             Body\n\
             The depot opened.\n\
             End of Document\n",
        );
        let got = split(&export).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].title, "Ferries back on the island route");
        assert_eq!(got[0].source.as_deref(), Some("The Harbour Gazette"));
        assert_eq!(got[0].author.as_deref(), Some("Jane Reporter"));
        assert_eq!(got[0].body, "The ferry runs again.\n\nFares stay the same.");
        assert_eq!(
            got[0].date.unwrap().to_rfc3339(),
            "2019-07-01T09:20:00+00:00"
        );
        assert_eq!(got[1].title, "Tram depot opens");
        assert_eq!(got[1].source.as_deref(), Some("City Courier"));
        assert_eq!(got[1].author, None);
        assert_eq!(got[1].body, "The depot opened.");
    }

    #[test]
    fn an_academic_text_export_becomes_its_articles() {
        let export = "Download Request: Selected Items: 1-2\n\nTerms: ferry\n\n\
            \x20                              1 of 2 DOCUMENTS\n\n\n\
            \x20                           The Harbour Gazette\n\n\
            \x20                        January 11, 2010 Monday\n\
            \x20                              Edition 1;\n\
            \x20                              Scotland\n\n\
            Ferries back on the\nisland route\n\n\
            BYLINE: BY Jane Reporter\n\nSECTION: NEWS; Pg. 6\n\nLENGTH: 355 words\n\n\n\
            The island ferry runs again\nfrom Monday.\n\n\
            Fares stay the same.\n\n\
            LOAD-DATE: January 11, 2010\n\nLANGUAGE: ENGLISH\n\n\
            \x20        Copyright 2010 The Harbour Gazette\n\n\
            \x20                              2 of 2 DOCUMENTS\n\n\
            City Courier\n\nJanuary 12, 2010 Tuesday 10:15 PM GMT\n\n\
            Tram depot opens\n\nLENGTH: 120 words\n\nThe tram depot opened.\n";
        let got = split_text(export).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].title, "Ferries back on the island route");
        assert_eq!(got[0].source.as_deref(), Some("The Harbour Gazette"));
        assert_eq!(got[0].author.as_deref(), Some("Jane Reporter"));
        assert_eq!(
            got[0].body,
            "The island ferry runs again\nfrom Monday.\n\nFares stay the same."
        );
        assert_eq!(
            got[0].date.unwrap().to_rfc3339(),
            "2010-01-11T00:00:00+00:00"
        );
        assert_eq!(got[1].title, "Tram depot opens");
        assert_eq!(got[1].body, "The tram depot opened.");
        assert_eq!(
            got[1].date.unwrap().to_rfc3339(),
            "2010-01-12T22:15:00+00:00"
        );
        // Uni's export saved as text: one paragraph a line.
        let uni = "Ferry\nGazette\nJuly 1, 2019 Monday\nBody\nText.\nEnd of Document\n";
        assert_eq!(split_text(uni).unwrap()[0].body, "Text.");
    }

    #[test]
    fn other_documents_are_left_alone() {
        assert!(split_text("We read 3 of 4 DOCUMENTS the council sent.").is_none());
        assert!(split_text("1 of 2 DOCUMENTS\n\nNo date here\n\nTitle").is_none());
        assert!(split(&lines("A memo\nBody\nText.")).is_none());
        // The words alone are not an export: no `Body` line and date above it.
        assert!(split(&lines("Notes\nEnd of Document\nMore")).is_none());
    }
}
