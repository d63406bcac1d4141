//! Web pages: metadata from Open Graph, `<time>`, JSON-LD and `<meta>` tags, and the
//! article's main text with navigation, headers, footers, scripts, forms, share bars
//! and cookie notices left out. Parsing is html5ever (via `scraper`); every walk over
//! the tree is iterative, so a page nested 100,000 deep cannot overflow the stack.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};
use serde_json::Value;

use super::date::parse_date;
use crate::article::{Article, clean_line};

/// Elements whose whole subtree is never article text.
const SKIP_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "form",
    "aside",
    "iframe",
    "svg",
    "button",
    "select",
    "textarea",
    "figure",
    "figcaption",
    "menu",
    "dialog",
    "object",
    "canvas",
    "video",
    "audio",
];

/// Class or id fragments that mark page furniture rather than the story.
const SKIP_MARKERS: &[&str] = &[
    "share",
    "social",
    "cookie",
    "consent",
    "gdpr",
    "newsletter",
    "subscribe",
    "related",
    "comment",
    "advert",
    "promo",
    "breadcrumb",
    "sidebar",
    "menu",
    "navbar",
    "masthead",
    "byline-share",
    "paywall",
    "signup",
    "popup",
    "modal",
    "footer",
    "header",
    "skip-link",
    "caption",
];

/// Elements that end a line of text.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "section",
    "article",
    "blockquote",
    "tr",
    "pre",
    "main",
    "dd",
    "dt",
    "table",
    "ul",
    "ol",
    "hr",
];

/// Parses one HTML page; the flag is set when it was too deep for a DOM and was read flat.
pub fn parse(text: &str) -> (Article, bool) {
    if nesting_depth(text) > MAX_DEPTH {
        (parse_flat(text), true)
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
        .and_then(|d| parse_date(&d));
    let author = meta("meta[name='author'], meta[property='article:author']")
        .filter(|a| !a.starts_with("http"))
        .or_else(|| ld_text("author"));
    let source = meta("meta[property='og:site_name']").or_else(|| ld_text("publisher"));
    let url = first_attr(&doc, "link[rel='canonical']", "href")
        .or_else(|| meta("meta[property='og:url']"));

    let mut body = main_text(&doc);
    if let Some(ld_body) = ld_text("articleBody")
        && ld_body.len() > body.len()
    {
        body = ld_body;
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
        ..Article::default()
    }
}

/// Pages nested deeper than this are read without their structure: html5ever's
/// scope checks are linear in the depth, so a 100,000-deep page would take minutes.
pub const MAX_DEPTH: usize = 512;

/// The deepest element nesting in `html`, estimated by a linear scan of its tags.
pub fn nesting_depth(html: &str) -> usize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li",
    ];
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
        if VOID.contains(&name.as_str()) {
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

/// A page too deep for a DOM: the `<title>` and the text between the tags.
pub fn parse_flat(html: &str) -> Article {
    let lower = html.to_ascii_lowercase();
    let title = lower
        .find("<title")
        .and_then(|s| Some((s, s + lower[s..].find('>')? + 1)))
        .and_then(|(_, open)| Some(&html[open..open + lower[open..].find("</title")?]))
        .map(clean_line)
        .unwrap_or_default();
    let body = super::sgml::strip_tags(html);
    Article {
        title,
        body: clean_line(&html_escape::decode_html_entities(&body)),
        ..Article::default()
    }
}

/// Text of an HTML fragment (feed descriptions), furniture removed.
pub fn fragment_text(html: &str) -> String {
    let doc = Html::parse_fragment(html);
    text_of(doc.root_element())
}

/// The story's text: the largest `<article>`, else `[itemprop=articleBody]`, else
/// `<main>`, else the whole `<body>`.
fn main_text(doc: &Html) -> String {
    let candidates = [
        "[itemprop='articleBody']",
        "article",
        "main, [role='main']",
        "body",
    ];
    for css in candidates {
        let Ok(selector) = Selector::parse(css) else {
            continue;
        };
        let best = doc
            .select(&selector)
            .map(text_of)
            .max_by_key(String::len)
            .filter(|t| t.len() >= 80 || css == "body");
        if let Some(text) = best {
            return text;
        }
    }
    text_of(doc.root_element())
}

/// Visible text under `root`, one line per block, skipping furniture subtrees.
fn text_of(root: ElementRef<'_>) -> String {
    let mut out = String::new();
    let mut skip_depth = 0usize;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    if skip_depth > 0 || is_furniture(el) {
                        skip_depth += 1;
                    } else if BLOCK_TAGS.contains(&el.name()) {
                        out.push('\n');
                    }
                }
                Node::Text(text) if skip_depth == 0 => out.push_str(text),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    if skip_depth > 0 {
                        skip_depth -= 1;
                    } else if BLOCK_TAGS.contains(&el.name()) {
                        out.push('\n');
                    }
                }
            }
        }
    }
    out.lines()
        .map(clean_line)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_furniture(el: &scraper::node::Element) -> bool {
    if SKIP_TAGS.contains(&el.name())
        || el.attr("hidden").is_some()
        || el.attr("aria-hidden") == Some("true")
    {
        return true;
    }
    if el
        .attr("role")
        .is_some_and(|r| matches!(r, "navigation" | "banner" | "contentinfo" | "complementary"))
    {
        return true;
    }
    let marks = format!(
        "{} {}",
        el.attr("class").unwrap_or(""),
        el.attr("id").unwrap_or("")
    )
    .to_ascii_lowercase();
    !marks.trim().is_empty() && SKIP_MARKERS.iter().any(|m| marks.contains(m))
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
        let a = parse_flat(&deep);
        assert_eq!(a.title, "Deep");
        assert_eq!(a.body, "Deep deep text");
    }
}
