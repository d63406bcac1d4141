//! NewsML-G2 items and messages, and NewsML 1.x: one article per text item, its
//! body from inline NITF or XHTML (or plain inline data). Package, picture and
//! other non-text items hold no article: each such file gets one note at most.

use roxmltree::Node;

use super::date::parse_date;
use super::xml::{self, attr, child, children, descendants, find, find_text, name, text};
use super::{Problem, Record, nitf};
use crate::article::{Article, clean_line};

/// Item classes whose items are text.
fn is_text_class(qcode: &str) -> bool {
    let class = qcode.rsplit([':', '/']).next().unwrap_or(qcode);
    matches!(class, "text" | "composite" | "article")
}

/// Reads a NewsML-G2 document: a `newsItem`, a `newsMessage` of items, another
/// item kind (no article), or a bare `contentSet`.
pub fn read_g2(root: Node<'_, '_>) -> Vec<Record> {
    let items: Vec<Node<'_, '_>> = match name(root) {
        "newsMessage" => descendants(root, "newsItem")
            .chain(descendants(root, "packageItem"))
            .collect(),
        _ => vec![root],
    };
    let mut records = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    for item in items {
        match name(item) {
            "newsItem" => {
                let class = xml::find(item, "itemClass")
                    .and_then(|c| attr(c, "qcode").or_else(|| attr(c, "uri")))
                    .unwrap_or("ninat:text");
                if is_text_class(class) {
                    records.push(g2_item(item));
                } else {
                    skipped.push(format!("a {class} item"));
                }
            }
            "contentSet" => records.push(body_only(item)),
            other => skipped.push(format!("a {other}")),
        }
    }
    if records.is_empty() {
        let what = if skipped.is_empty() {
            "no text item".to_string()
        } else {
            skipped.join(", ")
        };
        records.push(Err((
            Problem::NoArticle,
            format!("{what}: NewsML items other than text hold no article"),
        )));
    }
    records
}

/// An article from the body alone (a `contentSet` fragment).
fn body_only(content_set: Node<'_, '_>) -> Record {
    let mut article = Article::default();
    fill_body(content_set, &mut article);
    finish(article)
}

fn finish(article: Article) -> Record {
    if article.is_empty() {
        Err((
            Problem::NoText,
            "a text item without headline or body".into(),
        ))
    } else {
        Ok(article)
    }
}

/// One NewsML-G2 text item.
fn g2_item(item: Node<'_, '_>) -> Record {
    let mut article = Article::default();
    if let Some(guid) = attr(item, "guid") {
        article.id = guid.trim().to_string();
    }
    article.lang = attr(item, "lang").map(str::to_string);
    let meta = child(item, "itemMeta");
    let content = child(item, "contentMeta");
    if let Some(content) = content {
        article.title = children(content, "headline")
            .map(text)
            .find(|t| !t.is_empty())
            .unwrap_or_default();
        article.author = find_text(content, "by").or_else(|| {
            child(content, "creator")
                .and_then(|c| find_text(c, "name").or_else(|| attr(c, "literal").map(clean_line)))
        });
        if let Some(tag) = child(content, "language").and_then(|l| attr(l, "tag")) {
            article.lang = Some(tag.to_string());
        }
    }
    article.date = meta
        .and_then(|m| child(m, "versionCreated"))
        .or_else(|| meta.and_then(|m| child(m, "firstCreated")))
        .or_else(|| content.and_then(|c| child(c, "contentCreated")))
        .and_then(|d| d.text())
        .and_then(parse_date);
    article.source = content
        .and_then(|c| find_text(c, "creditline"))
        .or_else(|| meta.and_then(|m| child(m, "provider")).and_then(provider))
        .or_else(|| {
            child(item, "rightsInfo")
                .and_then(|r| child(r, "copyrightHolder"))
                .and_then(|h| find_text(h, "name").or_else(|| attr(h, "literal").map(clean_line)))
        });
    fill_body(item, &mut article);
    if let Some(content) = content {
        let located = child(content, "located")
            .and_then(|l| child(l, "name").map(text).filter(|t| !t.is_empty()));
        if let Some(place) = located
            && !article.body.is_empty()
            && !article.body.starts_with(&place)
        {
            article.body = format!("{place} — {}", article.body);
        }
        let subjects: Vec<String> = children(content, "subject")
            .filter_map(|s| child(s, "name").map(text))
            .filter(|t| !t.is_empty())
            .collect();
        if !subjects.is_empty() {
            if !article.body.is_empty() {
                article.body.push_str("\n\n");
            }
            article.body.push_str("Subjects: ");
            article.body.push_str(&subjects.join("; "));
        }
    }
    finish(article)
}

/// A provider's name: its literal, or the code after the scheme (`nprov:REUTERS`).
fn provider(node: Node<'_, '_>) -> Option<String> {
    find_text(node, "name")
        .or_else(|| attr(node, "literal").map(clean_line))
        .or_else(|| attr(node, "qcode").map(|q| q.rsplit(':').next().unwrap_or(q).to_string()))
        .filter(|p| !p.is_empty())
}

/// The body of an item from its `contentSet`: inline NITF, XHTML, or text.
fn fill_body(item: Node<'_, '_>, article: &mut Article) {
    let Some(set) = (if name(item) == "contentSet" {
        Some(item)
    } else {
        find(item, "contentSet")
    }) else {
        return;
    };
    if let Some(nitf_root) = find(set, "nitf") {
        let inner = nitf::read(nitf_root);
        if article.title.is_empty() {
            article.title = inner.title;
        }
        if article.author.is_none() {
            article.author = inner.author;
        }
        article.body = inner.body;
        return;
    }
    if let Some(html_body) = find(set, "body") {
        article.body = nitf::paragraphs_of(html_body).join("\n\n");
        return;
    }
    if let Some(data) = find(set, "inlineData") {
        article.body = data
            .text()
            .unwrap_or_default()
            .split("\n\n")
            .map(clean_line)
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
    }
}

/// Reads a NewsML 1.x document: one article per news item with text.
pub fn read_v1(root: Node<'_, '_>) -> Vec<Record> {
    let mut records = Vec::new();
    for item in descendants(root, "NewsItem") {
        let mut article = Article::default();
        if let Some(id) = find(item, "PublicIdentifier").and_then(|p| p.text()) {
            article.id = id.trim().to_string();
        }
        article.title = find_text(item, "HeadLine").unwrap_or_default();
        article.author = find_text(item, "ByLine")
            .map(|b| b.strip_prefix("By ").map(str::to_string).unwrap_or(b));
        article.date = find(item, "FirstCreated")
            .or_else(|| find(item, "DateId"))
            .and_then(|d| d.text())
            .and_then(parse_date);
        article.source = find(item, "Provider").and_then(|p| {
            find_text(p, "Party").or_else(|| {
                find(p, "Party").and_then(|party| attr(party, "FormalName").map(str::to_string))
            })
        });
        article.lang = find(item, "Language")
            .and_then(|l| attr(l, "FormalName"))
            .map(str::to_string);
        let mut paragraphs = Vec::new();
        for data in descendants(item, "DataContent") {
            match find(data, "nitf") {
                Some(nitf_root) => {
                    let inner = nitf::read(nitf_root);
                    if article.title.is_empty() {
                        article.title = inner.title;
                    }
                    paragraphs.push(inner.body);
                }
                None => paragraphs.extend(nitf::paragraphs_of(data)),
            }
        }
        if let Some(dateline) = find_text(item, "DateLine")
            && let Some(first) = paragraphs.first_mut()
        {
            *first = format!("{dateline} — {first}");
        }
        article.body = paragraphs
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        if !article.is_empty() {
            records.push(Ok(article));
        }
    }
    if records.is_empty() {
        records.push(Err((
            Problem::NoArticle,
            "a NewsML document without text items".into(),
        )));
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Record> {
        xml::with_document(text, |d| read_g2(d.root_element())).unwrap()
    }

    #[test]
    fn a_text_item_with_inline_nitf() {
        let item = r#"<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:1" xml:lang="en-GB">
<rightsInfo><copyrightHolder><name>Holder Ltd</name></copyrightHolder></rightsInfo>
<itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:WIRE"/><versionCreated>2020-01-02T03:04:05Z</versionCreated></itemMeta>
<contentMeta><located><name>Lyon</name></located><by>Jo Marsh</by><language tag="fr"/>
<subject><name>weather</name></subject><headline>Floods recede</headline></contentMeta>
<contentSet><inlineXML><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.content>
<p>Water fell overnight.</p></body.content></body></nitf></inlineXML></contentSet></newsItem>"#;
        let records = read(item);
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.id, "urn:x:1");
        assert_eq!(a.title, "Floods recede");
        assert_eq!(a.author.as_deref(), Some("Jo Marsh"));
        assert_eq!(a.source.as_deref(), Some("WIRE"));
        assert_eq!(a.lang.as_deref(), Some("fr"));
        assert_eq!(a.body, "Lyon — Water fell overnight.\n\nSubjects: weather");
        assert_eq!(a.date.unwrap().to_rfc3339(), "2020-01-02T03:04:05+00:00");
    }

    #[test]
    fn pictures_and_packages_are_one_note() {
        let picture = r#"<newsItem guid="p"><itemMeta><itemClass qcode="ninat:picture"/></itemMeta></newsItem>"#;
        let records = read(picture);
        assert_eq!(records.len(), 1);
        assert!(matches!(records[0], Err((Problem::NoArticle, _))));
        let package = r#"<packageItem guid="k"/>"#;
        assert!(matches!(read(package)[0], Err((Problem::NoArticle, _))));
    }
}
