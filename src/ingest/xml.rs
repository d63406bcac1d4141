//! What the XML archive formats (ALTO, METS, NITF, NewsML) share: telling them
//! apart by their root element, parsing with `roxmltree` (namespaces ignored, as
//! producers use many for one format), and small helpers over its nodes.

use roxmltree::{Document, Node, ParsingOptions};

/// The XML formats recognised by their root element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An ALTO page (any version, any namespace or none).
    Alto,
    /// A METS file (a newspaper issue).
    Mets,
    /// An NITF document.
    Nitf,
    /// A NewsML-G2 item or message.
    NewsMlG2,
    /// A NewsML 1.x document.
    NewsMl1,
    /// A Delpher/KB DIDL manifest.
    Didl,
}

/// The root element's local name of an XML document, from its first bytes.
pub fn root_name(head: &str) -> Option<&str> {
    let (start, end) = root_tag(head)?;
    let name = &head[start..end];
    Some(name.rsplit(':').next().unwrap_or(name))
}

/// Where the root element's qualified name lies in `text` (byte range).
fn root_tag(text: &str) -> Option<(usize, usize)> {
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after.split_once("?>")?.1.trim_start();
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->")?.1.trim_start();
        } else if rest.starts_with("<!") {
            rest = skip_declaration(rest)?.trim_start();
        } else if let Some(after) = rest.strip_prefix('<') {
            let len = after
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(after.len());
            let start = text.len() - after.len();
            return Some((start, start + len));
        } else {
            return None;
        }
    }
}

/// Skips a `<!DOCTYPE …>` declaration, with its internal subset if any.
fn skip_declaration(text: &str) -> Option<&str> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '>' if depth == 0 => return Some(&text[i + 1..]),
            _ => {}
        }
    }
    None
}

/// The archive format of an XML document, from its root element.
pub fn sniff(head: &str) -> Option<Kind> {
    Some(match root_name(head)? {
        "alto" => Kind::Alto,
        "mets" => Kind::Mets,
        "nitf" => Kind::Nitf,
        "newsItem" | "newsMessage" | "packageItem" | "conceptItem" | "knowledgeItem"
        | "planningItem" => Kind::NewsMlG2,
        "NewsML" => Kind::NewsMl1,
        "contentSet" => Kind::NewsMlG2,
        "DIDL" => Kind::Didl,
        _ => return None,
    })
}

/// Parses `text`; entities that only a DTD would define (`&nbsp;` in NITF) are
/// read as HTML's.
pub fn parse(text: &str) -> Result<Document<'_>, String> {
    parse_raw(text).map_err(|e| e.to_string())
}

fn parse_raw(text: &str) -> Result<Document<'_>, roxmltree::Error> {
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options)
}

/// Replaces named entities other than XML's five with their characters, for a
/// second try at a document that used HTML's.
pub fn html_entities(text: &str) -> Option<String> {
    if !text.contains('&') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let name_end = tail[1..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map(|i| i + 1);
        match name_end {
            Some(end) if end > 1 && tail[end..].starts_with(';') => {
                let name = &tail[1..end];
                let entity = &tail[..=end];
                if matches!(name, "amp" | "lt" | "gt" | "quot" | "apos") {
                    out.push_str(entity);
                } else {
                    let decoded = html_escape::decode_html_entities(entity);
                    if decoded == entity {
                        out.push_str("&amp;");
                        out.push_str(&entity[1..]);
                    } else {
                        out.push_str(&html_escape::encode_text(&decoded));
                    }
                    changed = true;
                }
                rest = &tail[end + 1..];
            }
            _ => {
                out.push_str("&amp;");
                changed = true;
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Parses `text` and reads it with `read`. A document that fails is tried once
/// more with HTML's entities defined and with namespace prefixes that it uses
/// without declaring them declared (KB's DIDL files use `xsi:` so); the error is
/// the first attempt's, or the second's when prefixes were declared.
pub fn with_document<T>(text: &str, read: impl FnOnce(&Document<'_>) -> T) -> Result<T, String> {
    match parse(text) {
        Ok(doc) => Ok(read(&doc)),
        Err(first) => {
            let entities = html_entities(text);
            let text = entities.as_deref().unwrap_or(text);
            let declared = declare_prefixes(text);
            if entities.is_none() && declared.is_none() {
                return Err(first);
            }
            let fixed = declared.as_deref().unwrap_or(text);
            // Once its prefixes are declared, what is still wrong is the news.
            let doc = parse(fixed).map_err(|again| match declared {
                Some(_) => again,
                None => first,
            })?;
            Ok(read(&doc))
        }
    }
}

/// How many undeclared prefixes one document may have declared for it.
const MAX_DECLARED: usize = 16;

/// `text` with each namespace prefix that it uses undeclared (`xsi:type`) declared
/// on its root element, when that is what stops it parsing.
fn declare_prefixes(text: &str) -> Option<String> {
    let (_, root_end) = root_tag(text)?;
    let mut fixed = text.to_string();
    let mut declared = 0;
    while let Err(roxmltree::Error::UnknownNamespace(prefix, _)) = parse_raw(&fixed) {
        let valid = !prefix.is_empty()
            && prefix
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !valid || declared == MAX_DECLARED {
            return None;
        }
        fixed.insert_str(
            root_end,
            &format!(" xmlns:{prefix}=\"urn:x-undeclared:{prefix}\""),
        );
        declared += 1;
    }
    (declared > 0).then_some(fixed)
}

/// The element's local name.
pub fn name<'a>(node: Node<'a, '_>) -> &'a str {
    node.tag_name().name()
}

/// Child elements with this local name.
pub fn children<'a, 'i>(
    node: Node<'a, 'i>,
    local: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |n| n.is_element() && name(*n) == local)
}

/// The first child element with this local name.
pub fn child<'a, 'i>(node: Node<'a, 'i>, local: &'static str) -> Option<Node<'a, 'i>> {
    children(node, local).next()
}

/// Descendant elements (the node itself included) with this local name.
pub fn descendants<'a, 'i>(
    node: Node<'a, 'i>,
    local: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    node.descendants()
        .filter(move |n| n.is_element() && name(*n) == local)
}

/// The first descendant element with this local name.
pub fn find<'a, 'i>(node: Node<'a, 'i>, local: &'static str) -> Option<Node<'a, 'i>> {
    descendants(node, local).next()
}

/// An attribute by its local name, whatever its namespace (`xlink:href`, `href`).
pub fn attr<'a>(node: Node<'a, '_>, local: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == local)
        .map(|a| a.value())
}

/// All text below the node, whitespace collapsed; pieces of text in different
/// elements are joined as written, with a space only where two words would touch.
pub fn text(node: Node<'_, '_>) -> String {
    let mut out = String::new();
    for piece in node.descendants().filter(|n| n.is_text()) {
        let piece = piece.text().unwrap_or_default();
        let touching = out.chars().last().is_some_and(char::is_alphanumeric)
            && piece.chars().next().is_some_and(char::is_alphanumeric);
        if touching {
            out.push(' ');
        }
        out.push_str(piece);
    }
    crate::article::clean_line(&out)
}

/// The text below the first descendant with this local name, if not empty.
pub fn find_text(node: Node<'_, '_>, local: &'static str) -> Option<String> {
    find(node, local).map(text).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_are_found_past_prologs_and_namespaces() {
        let alto = "\u{feff}<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<alto xmlns=\"x\">";
        assert_eq!(sniff(alto), Some(Kind::Alto));
        assert_eq!(
            sniff("<!DOCTYPE nitf SYSTEM \"nitf.dtd\" [ <!ENTITY x \"y\"> ]><nitf>"),
            Some(Kind::Nitf)
        );
        assert_eq!(sniff("<mets:mets xmlns:mets=\"m\">"), Some(Kind::Mets));
        assert_eq!(sniff("<rss version=\"2.0\">"), None);
        assert_eq!(sniff("plain text"), None);
    }

    #[test]
    fn undeclared_prefixes_are_declared_for_a_second_try() {
        let didl = "<?xml version=\"1.0\"?><didl:DIDL xmlns:didl=\"d\"><dc:type xsi:type=\"t\">Text</dc:type></didl:DIDL>";
        let read = with_document(didl, |doc| text(doc.root_element())).unwrap();
        assert_eq!(read, "Text");
        assert!(with_document("<a><b></a>", |_| ()).is_err());
    }

    #[test]
    fn html_entities_are_defined_for_a_second_try() {
        let fixed = html_entities("<p>a&nbsp;b &amp; c &bogus; d & e</p>").unwrap();
        let doc = parse(&fixed).unwrap();
        assert_eq!(text(doc.root_element()), "a b & c &bogus; d & e");
        assert!(html_entities("<p>a &amp; b</p>").is_none());
    }
}
