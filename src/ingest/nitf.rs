//! NITF documents (2.5 to 3.6), alone or inside NewsML: headline, deck, byline,
//! dateline, dates, document id, source, language and the body's paragraphs.

use roxmltree::Node;

use super::date::parse_date_field;
use super::xml::{attr, child, descendants, find, find_text, name, text};
use crate::article::Article;

/// Reads an `nitf` element (or a `body` of one) into an article.
pub fn read(nitf: Node<'_, '_>) -> Article {
    let mut article = Article::default();
    let head = child(nitf, "head");
    let body = if name(nitf) == "body" {
        Some(nitf)
    } else {
        child(nitf, "body")
    };
    let body_head = body.and_then(|b| child(b, "body.head"));
    article.title = body_head
        .and_then(|h| find_text(h, "hl1"))
        .or_else(|| head.and_then(|h| child(h, "title")).map(text))
        .unwrap_or_default();
    if let Some(byline) = body_head.and_then(|h| child(h, "byline")) {
        article.author = byline_name(byline);
    }
    article.lang = attr(nitf, "lang").map(str::to_string);
    if let Some(head) = head {
        read_head(head, &mut article);
    }
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(deck) = body_head.and_then(|h| find_text(h, "hl2")) {
        paragraphs.push(deck);
    }
    if let Some(abstract_) = body_head.and_then(|h| find_text(h, "abstract")) {
        paragraphs.push(abstract_);
    }
    let mut content: Vec<String> = body
        .and_then(|b| child(b, "body.content"))
        .map(paragraphs_of)
        .unwrap_or_default();
    if let Some(dateline) = body_head.and_then(|h| find_text(h, "dateline")) {
        match content.first_mut() {
            Some(first) if !first.starts_with(&dateline) => {
                *first = format!("{dateline} — {first}");
            }
            Some(_) => {}
            None => content.push(dateline),
        }
    }
    paragraphs.extend(content);
    article.body = paragraphs.join("\n\n");
    article
}

/// The byline's name, without a leading "By" and without the person's title (`byttl`).
pub fn byline_name(byline: Node<'_, '_>) -> Option<String> {
    let mut out = String::new();
    for piece in byline.descendants().filter(|n| n.is_text()) {
        if piece
            .ancestors()
            .any(|a| a.is_element() && name(a) == "byttl")
        {
            continue;
        }
        out.push_str(piece.text().unwrap_or_default());
        out.push(' ');
    }
    let cleaned = crate::article::clean_line(&out);
    let cleaned = cleaned.trim_end_matches([',', ';', ' ']);
    let cleaned = cleaned
        .strip_prefix("By ")
        .or_else(|| cleaned.strip_prefix("BY "))
        .or_else(|| cleaned.strip_prefix("by "))
        .unwrap_or(cleaned)
        .trim();
    (!cleaned.is_empty()).then(|| cleaned.to_string())
}

/// Paragraph-like elements of a body, in order, each once.
pub fn paragraphs_of(content: Node<'_, '_>) -> Vec<String> {
    const PARAGRAPHS: &[&str] = &["p", "hl2", "li", "h1", "h2", "h3", "h4", "pre", "block"];
    let mut out = Vec::new();
    for node in content.descendants().filter(|n| n.is_element()) {
        if !PARAGRAPHS.contains(&name(node)) {
            continue;
        }
        // A paragraph inside another (`block` holding `p`) is read with the inner one.
        let has_inner = node
            .descendants()
            .skip(1)
            .any(|n| n.is_element() && PARAGRAPHS.contains(&name(n)));
        if has_inner {
            continue;
        }
        let t = text(node);
        if !t.is_empty() {
            out.push(t);
        }
    }
    if out.is_empty() {
        let all = text(content);
        if !all.is_empty() {
            out.push(all);
        }
    }
    out
}

/// `head`: document id, dates, source.
fn read_head(head: Node<'_, '_>, article: &mut Article) {
    if let Some(docdata) = child(head, "docdata") {
        if let Some(id) = find(docdata, "doc-id").and_then(|d| attr(d, "id-string")) {
            article.id = id.trim().to_string();
        }
        for key in ["date.release", "date.issue"] {
            if article.date.is_none() {
                article.date = find(docdata, key)
                    .and_then(|d| attr(d, "norm"))
                    .and_then(parse_date_field);
            }
        }
        if article.source.is_none() {
            article.source = find(docdata, "doc.copyright")
                .and_then(|c| attr(c, "holder"))
                .map(crate::article::clean_line)
                .filter(|s| !s.is_empty());
        }
    }
    for pubdata in descendants(head, "pubdata") {
        if article.date.is_none() {
            article.date = attr(pubdata, "date.publication").and_then(parse_date_field);
        }
        if let Some(name) = attr(pubdata, "name").map(crate::article::clean_line)
            && !name.is_empty()
        {
            article.source = Some(name);
        }
    }
    if article.source.is_none() {
        article.source = descendants(head, "meta")
            .find(|m| attr(*m, "name").is_some_and(|n| n.eq_ignore_ascii_case("source")))
            .and_then(|m| attr(m, "content"))
            .map(crate::article::clean_line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::xml;

    #[test]
    fn a_full_nitf_document() {
        let text = r#"<?xml version="1.0"?>
<!DOCTYPE nitf SYSTEM "nitf-3-5.dtd">
<nitf xml:lang="de"><head><title>Fallback</title>
<docdata><doc-id id-string="wire-2024-0042"/><date.issue norm="20240312T081500+0100"/>
<doc.copyright holder="Rhein Wire"/></docdata>
<pubdata type="web" date.publication="20240312T090000Z"/></head>
<body><body.head><hedline><hl1>Brücke&nbsp;wieder offen</hl1><hl2>Nach drei Wochen</hl2></hedline>
<byline>Von Anna Berg, <byttl>Korrespondentin</byttl></byline>
<dateline><location><city>Köln</city></location></dateline></body.head>
<body.content><p>Die Brücke ist wieder offen.</p><block><p>Zweiter Absatz.</p></block></body.content></body></nitf>"#;
        let article = xml::with_document(text, |d| read(d.root_element())).unwrap();
        assert_eq!(article.title, "Brücke wieder offen");
        assert_eq!(article.id, "wire-2024-0042");
        assert_eq!(article.author.as_deref(), Some("Von Anna Berg"));
        assert_eq!(article.source.as_deref(), Some("Rhein Wire"));
        assert_eq!(article.lang.as_deref(), Some("de"));
        assert_eq!(
            article.date.unwrap().to_rfc3339(),
            "2024-03-12T07:15:00+00:00"
        );
        assert_eq!(
            article.body,
            "Nach drei Wochen\n\nKöln — Die Brücke ist wieder offen.\n\nZweiter Absatz."
        );
    }
}
