//! Plain-text and Markdown articles: an optional `Key: value` header (or Markdown
//! front matter), then the headline as the first non-empty line, then the body.

use super::date::set_date;
use std::collections::HashSet;
use std::iter::Peekable;
use std::str::Lines;

use super::boilerplate::is_boilerplate;
use super::ocr;
use super::{MAX_TITLE_CHARS, Problem, Record};
use crate::article::{Article, clean_line};

/// Parses one text or Markdown article; lines in `boilerplate` (learned for its
/// folder) and photo captions are neither headline nor body.
pub fn parse_text(text: &str, markdown: bool, boilerplate: Option<&HashSet<String>>) -> Record {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Words broken at line ends (OCR pages, typeset text) are whole again, for the
    // index and for the snippets alike. Markdown's own line structure is left alone.
    let joined = if markdown {
        std::borrow::Cow::Borrowed(text)
    } else {
        ocr::join_broken_words(text)
    };
    let text = joined.as_ref();
    let mut article = Article::default();
    let mut lines = text.lines().peekable();
    read_headers(&mut lines, markdown, &mut article);
    let mut rest = lines
        .filter(|l| !is_boilerplate(l, boilerplate) && !is_caption(l))
        .skip_while(|l| l.trim().is_empty() || is_page_chrome(l))
        .peekable();
    let mut body: Vec<&str> = Vec::new();
    let stray_first_line = !markdown
        && (rest.peek().is_some_and(|l| !ocr::plain_headline(l))
            || ocr::is_scan(text)
            || ocr::is_typeset_page(text));
    if article.title.is_empty() && stray_first_line {
        // A scanned page whose first line is a stray mark or the masthead: the
        // headline is the first run of headline lines near the top, if there is
        // one (else a label is made from the metadata later); the page stays whole.
        body.extend(rest);
        article.body = body.join("\n").trim().to_string();
        article.title = ocr::find_headline(&article.body)
            .map(|t| clean_line(&t.chars().take(MAX_TITLE_CHARS).collect::<String>()))
            .unwrap_or_default();
        return unless_empty(article);
    }
    if article.title.is_empty()
        && let Some(line) = rest.next()
    {
        let line = if markdown {
            line.trim_start().trim_start_matches('#')
        } else {
            line
        };
        if line.len() > 4 * MAX_TITLE_CHARS {
            // No headline is this long: it is text without one (a one-line dump).
            article.title = clean_line(&line.chars().take(MAX_TITLE_CHARS).collect::<String>());
            body.push(line);
        } else {
            article.title = clean_line(line);
        }
    }
    body.extend(rest);
    article.body = body.join("\n").trim().to_string();
    unless_empty(article)
}

/// Reads the header lines that lead `lines` into `article`: `key: value` lines,
/// or Markdown front matter fenced by `---` lines.
fn read_headers(lines: &mut Peekable<Lines<'_>>, markdown: bool, article: &mut Article) {
    let fenced = markdown && lines.peek().is_some_and(|l| l.trim() == "---");
    if fenced {
        lines.next();
    }
    while let Some(line) = lines.peek() {
        if fenced && line.trim() == "---" {
            lines.next();
            break;
        }
        match header(line) {
            Some((key, value)) => {
                apply_header(article, &key, value);
                lines.next();
            }
            None if fenced && !line.trim().is_empty() => {
                lines.next(); // an unknown front-matter line (lists, nested keys): ignore it
            }
            None => break,
        }
    }
}

/// `article`, unless it has neither headline nor body.
fn unless_empty(article: Article) -> Record {
    if article.is_empty() {
        return Err((
            Problem::NoText,
            "no headline or body after the header".into(),
        ));
    }
    Ok(article)
}

/// Interface text that scrapers leave at the top of a page ("Skip to main content",
/// "Menu"): never a headline. Lines repeated across a source are issue-level work for
/// the HTML ingester; this catches the near-universal ones in plain text.
fn is_page_chrome(line: &str) -> bool {
    const CHROME: &[&str] = &[
        "menu",
        "main menu",
        "search",
        "home",
        "sign in",
        "log in",
        "login",
        "subscribe",
        "share",
        "close",
        "toggle navigation",
        "navigation",
        "back to top",
        "accept cookies",
        "advertisement",
    ];
    let line = line.trim().trim_end_matches(['.', ':']).to_lowercase();
    line.starts_with("skip to ") || CHROME.contains(&line.as_str())
}

/// A photo caption or credit line, as scrapers keep them: `Picture: …`, `Photo: …`.
fn is_caption(line: &str) -> bool {
    let lower = line.trim_start().to_lowercase();
    [
        "picture:",
        "photo:",
        "photograph:",
        "image:",
        "caption:",
        "credit:",
        "pictured:",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// Recognises `Key: value` for the keys we know; anything else ends the header.
fn header(line: &str) -> Option<(String, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim().to_ascii_lowercase();
    const KEYS: &[&str] = &[
        "title",
        "headline",
        "date",
        "published",
        "source",
        "publisher",
        "author",
        "byline",
        "by",
        "url",
        "link",
    ];
    KEYS.contains(&key.as_str()).then(|| (key, value.trim()))
}

fn apply_header(article: &mut Article, key: &str, value: &str) {
    let value = clean_line(value.trim_matches(|c| c == '"' || c == '\''));
    if value.is_empty() {
        return;
    }
    match key {
        "title" | "headline" => article.title = value,
        "date" | "published" => set_date(article, &value),
        "source" | "publisher" => article.source = Some(value),
        "author" | "byline" | "by" => article.author = Some(value),
        _ => article.url = Some(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_then_title_then_body() {
        let a = parse_text("Date: 2024-07-04\nSource: Wire\nAuthor: Ann\nURL: https://x.test/a\n\nHeadline\n\nBody one.\nBody two.\n", false, None)
            .unwrap();
        assert_eq!(a.title, "Headline");
        assert_eq!(a.body, "Body one.\nBody two.");
        assert_eq!(a.source.as_deref(), Some("Wire"));
        assert_eq!(a.author.as_deref(), Some("Ann"));
        assert_eq!(a.url.as_deref(), Some("https://x.test/a"));
        assert_eq!(a.date.unwrap().to_rfc3339(), "2024-07-04T00:00:00+00:00");
    }

    #[test]
    fn no_header_first_line_is_title() {
        let a = parse_text(
            "\n\nJust a title\nand: a body line with a colon",
            false,
            None,
        )
        .unwrap();
        assert_eq!(a.title, "Just a title");
        assert_eq!(a.body, "and: a body line with a colon");
        assert!(a.date.is_none());
    }

    #[test]
    fn markdown_front_matter_and_heading() {
        let a = parse_text(
            "---\ntitle: \"Front\"\ntags: [a]\ndate: 2025-01-02\n---\n# Ignored heading\nText",
            true,
            None,
        )
        .unwrap();
        assert_eq!(a.title, "Front");
        assert_eq!(a.body, "# Ignored heading\nText");
        let b = parse_text("# Heading\n\nText", true, None).unwrap();
        assert_eq!(b.title, "Heading");
    }

    #[test]
    fn scraped_page_chrome_is_not_the_title() {
        let a = parse_text(
            "Skip to main content\n\nReal headline\n\n06 July 2024\n\nBody text.",
            false,
            None,
        )
        .unwrap();
        assert_eq!(a.title, "Real headline");
        assert!(
            a.date.is_none(),
            "the dateline is read later, after path and sidecar dates"
        );
        assert_eq!(a.body, "06 July 2024\n\nBody text.");
    }

    #[test]
    fn header_only_is_no_text() {
        assert!(parse_text("Date: 2024-01-01\n\n", false, None).is_err());
    }
}
