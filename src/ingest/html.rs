//! Web pages: metadata from Open Graph, `<time>`, JSON-LD and `<meta>` tags, and the
//! article's text (found by `extract`, checked against JSON-LD `articleBody`). Parsing
//! is html5ever (via `scraper`); every walk over the tree is iterative, and pages nested
//! deeper than `MAX_DEPTH` have their deepest levels flattened before parsing, so no
//! page can overflow the stack or make the parser quadratic.

use std::collections::HashSet;

use scraper::{Html, Selector};
use serde_json::Value;
use xxhash_rust::xxh3::xxh3_64;

use super::date::parse_date_field;
use super::extract::{BLOCKS, FURNITURE, article_text, fragment_text as visible_text};
use crate::article::{Article, clean_line};

/// Parses one HTML page; the flag is set when it nested too deep and was flattened.
pub fn parse(text: &str) -> (Article, bool) {
    if nesting_depth(text) > MAX_DEPTH {
        (parse_page(&cap_depth(text, MAX_DEPTH)), true)
    } else {
        (parse_page(text), false)
    }
}

/// Parses one HTML page into an article (title and body may be empty: the caller decides).
pub fn parse_page(text: &str) -> Article {
    let doc = Html::parse_document(text);
    let ld = json_ld(&doc);
    let meta = |selector: &str| first_attr(&doc, selector, "content");
    let ld_text = |key: &str| ld.as_ref().and_then(|v| ld_string(v.get(key)?));

    let title = meta("meta[property='og:title'], meta[name='twitter:title']")
        .or_else(|| ld_text("headline"))
        .or_else(|| first_text(&doc, "title"))
        .or_else(|| first_text(&doc, "h1"))
        .unwrap_or_default();
    let date = meta("meta[property='article:published_time'], meta[itemprop='datePublished']")
        .or_else(|| ld_text("datePublished"))
        .or_else(|| first_attr(&doc, "time[datetime]", "datetime"))
        .or_else(|| meta("meta[name='date'], meta[name='pubdate'], meta[name='publish-date'], meta[name='dc.date']"))
        .and_then(|d| parse_date_field(&d));
    let author = meta("meta[name='author'], meta[property='article:author']")
        .filter(|a| !a.starts_with("http"))
        .or_else(|| ld_text("author"));
    let source = meta("meta[property='og:site_name']").or_else(|| ld_text("publisher"));
    let url = first_attr(&doc, "link[rel='canonical']", "href")
        .or_else(|| meta("meta[property='og:url']"));
    // The page's declared language (`<html lang="de">`, else its meta tags).
    let lang = first_attr(&doc, "html[lang]", "lang")
        .or_else(|| meta("meta[http-equiv='content-language'], meta[name='language'], meta[property='og:locale']"))
        .filter(|l| !l.trim().is_empty());

    let mut body = article_text(&doc, &title);
    if let Some(ld_body) = ld_text("articleBody") {
        body = choose_body(body, &ld_body);
    }
    // The headline often opens the extracted text as well; do not repeat it.
    if let Some(rest) = body.strip_prefix(title.as_str()) {
        body = rest.trim_start().to_string();
    }
    Article {
        title: clean_line(&title),
        body,
        date,
        source: source.map(|s| clean_line(&s)),
        author: author.map(|s| clean_line(&s)),
        url,
        lang,
        ..Article::default()
    }
}

/// Pages nested deeper than this are read without their structure: html5ever's
/// scope checks are linear in the depth, so a 100,000-deep page would take minutes.
pub const MAX_DEPTH: usize = 512;

/// Elements that never hold others.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The deepest element nesting in `html`, estimated by a linear scan of its tags.
pub fn nesting_depth(html: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        i += offset + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |e| start + e);
        if end == start {
            continue;
        }
        let name = html[start..end].to_ascii_lowercase();
        if VOID.contains(&name.as_str()) || name == "p" || name == "li" {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// `html` with every element deeper than `max` levels unwrapped, so html5ever's tree
/// stays shallow: block elements down there become line breaks, furniture (`<nav>`,
/// `<aside>`, …) goes with its content, links stay links, other tags go and leave
/// their text. Raw-text elements (`<script>`, `<style>`, …) are copied whole at any
/// depth, so their content never becomes text.
pub fn cap_depth(html: &str, max: usize) -> String {
    const RAW: &[&str] = &[
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
        "template",
    ];
    let bytes = html.as_bytes();
    let mut capped = Capped {
        out: String::with_capacity(html.len()),
        open: Vec::new(),
        hidden: 0,
    };
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        let lt = i + offset;
        capped.push(&html[i..lt]);
        if html[lt..].starts_with("<!--") {
            i = find_from(bytes, lt + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let Some(tag_end) = tag_end(bytes, lt) else {
            i = lt;
            break;
        };
        let closing = bytes.get(lt + 1) == Some(&b'/');
        let start = lt + 1 + usize::from(closing);
        let name_end = bytes[start..tag_end]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-'))
            .map_or(tag_end, |e| start + e);
        let name = html[start..name_end].to_ascii_lowercase();
        let tag = &html[lt..tag_end];
        i = tag_end;
        if name.is_empty() {
            capped.push(tag);
        } else if closing {
            capped.close(&name, tag);
        } else if RAW.contains(&name.as_str()) {
            let end = find_close(bytes, tag_end, name.as_bytes());
            capped.push(&html[lt..end]);
            i = end;
        } else if VOID.contains(&name.as_str()) || tag.ends_with("/>") {
            capped.push(tag);
        } else {
            capped.start(name, tag, max);
        }
    }
    capped.push(&html[i..]);
    capped.out
}

/// What became of an element opened in [`cap_depth`].
#[derive(Clone, Copy, PartialEq)]
enum Kept {
    /// Kept as it was.
    Tag,
    /// Past the depth: a block, kept as a line break.
    Break,
    /// Past the depth: its content kept, the element dropped.
    Unwrapped,
    /// Past the depth: page furniture, dropped with its content.
    Hidden,
}

/// The output of [`cap_depth`] so far, with the elements open at this point.
struct Capped {
    out: String,
    open: Vec<(String, Kept)>,
    /// How many open elements hide their content.
    hidden: usize,
}

impl Capped {
    /// Writes `text` unless inside a hidden element.
    fn push(&mut self, text: &str) {
        if self.hidden == 0 {
            self.out.push_str(text);
        }
    }

    /// Ends an element that `kept` said what became of.
    fn end(&mut self, kept: Kept, tag: &str) {
        match kept {
            Kept::Tag => self.push(tag),
            Kept::Break => self.push("<br>"),
            Kept::Hidden => self.hidden -= 1,
            Kept::Unwrapped => {}
        }
    }

    /// The end tag `tag` of `name`: closes it and what is open inside it. Stray end
    /// tags far from their start are ignored (bounded search).
    fn close(&mut self, name: &str, tag: &str) {
        let floor = self.open.len().saturating_sub(64);
        if let Some(pos) = self.open[floor..].iter().rposition(|(n, _)| n == name) {
            let closed: Vec<(String, Kept)> = self.open.drain(floor + pos..).rev().collect();
            for (_, kept) in closed {
                self.end(kept, tag);
            }
        }
    }

    /// The start tag `tag` of `name`, kept below the depth `max` (links always).
    fn start(&mut self, name: String, tag: &str, max: usize) {
        // `<p>` and `<li>` close an open one of their kind.
        if (name == "p" || name == "li")
            && self.open.last().is_some_and(|(n, _)| *n == name)
            && let Some((_, kept)) = self.open.pop()
        {
            // The implied end writes no end tag.
            self.end(kept, "");
        }
        let kept = if self.open.len() < max || name == "a" {
            Kept::Tag
        } else if FURNITURE.contains(&name.as_str()) && name != "form" {
            Kept::Hidden
        } else if BLOCKS.contains(&name.as_str()) {
            Kept::Break
        } else {
            Kept::Unwrapped
        };
        match kept {
            Kept::Tag => self.push(tag),
            Kept::Break => self.push("<br>"),
            Kept::Hidden => self.hidden += 1,
            Kept::Unwrapped => {}
        }
        self.open.push((name, kept));
    }
}

/// The first `needle` at or after `from`.
fn find_from(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// The byte after the end tag `</name …>` that closes a raw-text element, or the end.
fn find_close(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut at = from;
    while let Some(lt) = find_from(bytes, at, b"</") {
        let candidate = bytes.get(lt + 2..lt + 2 + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name)) {
            return tag_end(bytes, lt).unwrap_or(bytes.len());
        }
        at = lt + 2;
    }
    bytes.len()
}

/// The byte after the `>` that ends the tag opening at `lt` (quotes respected).
fn tag_end(bytes: &[u8], lt: usize) -> Option<usize> {
    let mut quote = None;
    for (k, &b) in bytes[lt + 1..].iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(lt + 1 + k + 1),
            _ => {}
        }
    }
    None
}

/// Text of an HTML fragment (feed descriptions), furniture removed.
pub fn fragment_text(html: &str) -> String {
    let doc = Html::parse_fragment(html);
    visible_text(doc.root_element())
}

/// The page's text or the JSON-LD `articleBody`, whichever the other confirms: the
/// structured body wins when the page text misses most of it (a script-rendered page,
/// a wrong container) or when it is most of a page text that holds much else.
fn choose_body(dom: String, ld: &str) -> String {
    let ld = ld
        .lines()
        .map(clean_line)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let (dom_shingles, ld_shingles) = (shingles(&dom), shingles(&ld));
    if ld_shingles.is_empty() {
        return dom;
    }
    let shared = ld_shingles.intersection(&dom_shingles).count() as f64;
    let recall = shared / ld_shingles.len() as f64;
    let precision = if dom_shingles.is_empty() {
        0.0
    } else {
        shared / dom_shingles.len() as f64
    };
    if recall < 0.5 || (precision < 0.5 && ld_shingles.len() * 4 >= dom_shingles.len()) {
        ld
    } else {
        dom
    }
}

/// Hashes of the text's 4-word sequences.
fn shingles(text: &str) -> HashSet<u64> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words
        .windows(4.min(words.len().max(1)))
        .map(|w| xxh3_64(w.join(" ").as_bytes()))
        .collect()
}

fn first_attr(doc: &Html, css: &str, attr: &str) -> Option<String> {
    let selector = Selector::parse(css).ok()?;
    doc.select(&selector)
        .filter_map(|e| e.value().attr(attr))
        .map(str::trim)
        .find(|v| !v.is_empty())
        .map(str::to_string)
}

fn first_text(doc: &Html, css: &str) -> Option<String> {
    let selector = Selector::parse(css).ok()?;
    doc.select(&selector)
        .map(|e| clean_line(&e.text().collect::<String>()))
        .find(|t| !t.is_empty())
}

/// The first JSON-LD object that describes an article (inside `@graph` or arrays too).
fn json_ld(doc: &Html) -> Option<Value> {
    let selector = Selector::parse("script[type='application/ld+json']").ok()?;
    doc.select(&selector)
        .filter_map(|s| serde_json::from_str::<Value>(&s.text().collect::<String>()).ok())
        .find_map(|v| find_article(v, 0))
}

fn find_article(value: Value, depth: usize) -> Option<Value> {
    if depth > 4 {
        return None;
    }
    match value {
        Value::Array(items) => items.into_iter().find_map(|v| find_article(v, depth + 1)),
        Value::Object(mut object) => {
            let is_article = match object.get("@type") {
                Some(Value::String(t)) => t.ends_with("Article") || t == "Report",
                Some(Value::Array(ts)) => ts
                    .iter()
                    .any(|t| t.as_str().is_some_and(|t| t.ends_with("Article"))),
                _ => false,
            };
            if is_article {
                return Some(Value::Object(object));
            }
            object
                .remove("@graph")
                .and_then(|g| find_article(g, depth + 1))
        }
        _ => None,
    }
}

/// A JSON-LD value as text: strings, `{"name": …}` objects, arrays of either.
fn ld_string(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Object(o) => o.get("name").and_then(ld_string)?,
        Value::Array(items) => items
            .iter()
            .filter_map(ld_string)
            .collect::<Vec<_>>()
            .join(", "),
        _ => return None,
    };
    (!text.trim().is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!doctype html><html><head>
<title>Fallback title | Site</title>
<meta property="og:title" content="Port strike ends after talks">
<meta property="og:site_name" content="Harbour Post">
<meta property="article:published_time" content="2024-03-05T08:00:00Z">
<meta name="author" content="Ines Alvarez">
<link rel="canonical" href="https://harbour.example/strike">
<script>var x = "not text";</script><style>.a{}</style>
</head><body>
<a class="skip-link" href="#main">Skip to main content</a>
<header><nav><a>Home</a><a>World</a></nav></header>
<div class="cookie-banner">We use cookies. Accept?</div>
<main><article>
<h1>Port strike ends after talks</h1>
<div class="share-bar">Share on X</div>
<p>Dock workers voted on Monday to end the strike that closed the port for a week.</p>
<figure><img src="x.jpg"><figcaption>Workers at the gate</figcaption></figure>
<p>The deal keeps every job until 2027.</p>
<form><input name="email"> Sign up for our newsletter</form>
</article></main>
<aside>Most read: something else</aside>
<footer>© Harbour Post</footer>
</body></html>"##;

    #[test]
    fn metadata_and_main_text() {
        let a = parse_page(PAGE);
        assert_eq!(a.title, "Port strike ends after talks");
        assert_eq!(a.source.as_deref(), Some("Harbour Post"));
        assert_eq!(a.author.as_deref(), Some("Ines Alvarez"));
        assert_eq!(a.url.as_deref(), Some("https://harbour.example/strike"));
        assert_eq!(a.date.unwrap().to_rfc3339(), "2024-03-05T08:00:00+00:00");
        assert_eq!(
            a.body,
            "Dock workers voted on Monday to end the strike that closed the port for a week.\nThe deal keeps every job until 2027."
        );
    }

    #[test]
    fn json_ld_and_time_element() {
        let page = r#"<html><head><title>T</title><script type="application/ld+json">
{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"W"},{"@type":"NewsArticle","headline":"LD headline","datePublished":"2025-01-02T03:04:05+01:00","author":[{"@type":"Person","name":"A. Writer"}],"publisher":{"@type":"Organization","name":"LD News"}}]}
</script></head><body><p>Short.</p><time datetime="2020-01-01">old</time></body></html>"#;
        let a = parse_page(page);
        assert_eq!(a.title, "LD headline");
        assert_eq!(a.date.unwrap().to_rfc3339(), "2025-01-02T02:04:05+00:00");
        assert_eq!(a.author.as_deref(), Some("A. Writer"));
        assert_eq!(a.source.as_deref(), Some("LD News"));
    }

    #[test]
    fn deep_nesting_is_measured_and_read_flat() {
        let deep = format!(
            "<html><head><title>Deep</title></head><body>{}<p>deep text</p>{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        assert!(nesting_depth(&deep) > MAX_DEPTH);
        assert!(nesting_depth(PAGE) < 20);
        let (a, flattened) = parse(&deep);
        assert!(flattened);
        assert_eq!(a.title, "Deep");
        assert_eq!(a.body, "deep text");
    }

    #[test]
    fn capped_depth_keeps_lines_and_never_reads_scripts() {
        let page = format!(
            "<html><body>{}<nav><a>Home</a></nav><script>var x = '<p>not text</p>';</script><p>First line here.</p><div>Second line here.</div>{}</body></html>",
            "<div>".repeat(2_000),
            "</div>".repeat(2_000)
        );
        let capped = cap_depth(&page, 100);
        assert!(nesting_depth(&capped) <= 101);
        let (a, flattened) = parse(&page);
        assert!(flattened);
        assert!(
            !a.body.contains("not text") && !a.body.contains("Home"),
            "{}",
            a.body
        );
        assert!(
            a.body.contains("First line here.\nSecond line here."),
            "{}",
            a.body
        );
    }

    #[test]
    fn json_ld_body_is_weighed_against_the_page_text() {
        let story = "The council approved the new bridge on Monday after a long debate about its cost and design.";
        // A script shell: the structured body wins.
        assert_eq!(choose_body("Loading".into(), story), story);
        // The page text holds the structured body and a little more: the page wins.
        let page = format!(
            "{story}\nA second paragraph the summary left out, about the opening date next spring."
        );
        assert_eq!(choose_body(page.clone(), story), page);
        // The page text is mostly something else: the structured body wins.
        let others: Vec<String> = (1..=4)
            .map(|n| format!("Most read: headline number {n} of the day, from another desk"))
            .collect();
        let noisy = format!("{story}\n{}", others.join("\n"));
        assert_eq!(choose_body(noisy, story), story);
    }
}
