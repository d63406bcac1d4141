//! OpenDocument text (`.odt`, LibreOffice and other editors): the text of
//! `content.xml` paragraph by paragraph (headings, lists, a table row as a line
//! of cells, text frames where they stand; `text:s` spaces, tabs and line breaks
//! kept; tracked deletions, comments and footnote bodies left out), made an
//! article as `office` makes one, with `meta.xml` for its title, author and date.

use std::collections::HashMap;

use roxmltree::Node;

use super::office::{self, Paragraph};
use super::xml::{self, attr, name};
use super::{Problem, Record};

/// Reads a document from its `content.xml` and its `meta.xml`, when it has one.
pub fn read(content: &str, meta: Option<&str>) -> Record {
    let paragraphs = xml::with_document(content, |doc| {
        let root = doc.root_element();
        let styles = parent_styles(root);
        let mut out = Vec::new();
        blocks(root, &styles, &mut out);
        out
    })
    .map_err(|e| (Problem::InvalidXml, format!("content.xml: {e}")))?;
    office::article(paragraphs, office::properties(meta), "an OpenDocument text")
}

/// The named style each automatic style (`P1`, made for direct formatting) is
/// based on, so that a `Title` paragraph with a bold word is still a title.
fn parent_styles<'a>(root: Node<'a, '_>) -> HashMap<&'a str, &'a str> {
    root.descendants()
        .filter(|n| n.is_element() && name(*n) == "style")
        .filter_map(|s| Some((attr(s, "name")?, attr(s, "parent-style-name")?)))
        .collect()
}

/// The paragraphs below `node`, in reading order.
fn blocks(node: Node<'_, '_>, styles: &HashMap<&str, &str>, out: &mut Vec<Paragraph>) {
    for element in node.children().filter(Node::is_element) {
        match name(element) {
            "p" | "h" => {
                let own = attr(element, "style-name").unwrap_or_default();
                let style = styles.get(own).copied().unwrap_or(own).to_string();
                let mut text = String::new();
                let mut nested = Vec::new();
                spans(element, styles, &mut text, &mut nested);
                out.push(Paragraph { style, text });
                out.append(&mut nested);
            }
            "table-row" => {
                // A table row is one line, its cells apart by tabs.
                let mut cells = Vec::new();
                blocks(element, styles, &mut cells);
                let text: Vec<&str> = cells.iter().map(|c| c.text.trim()).collect();
                out.push(Paragraph {
                    style: String::new(),
                    text: text.join("\t"),
                });
            }
            "tracked-changes" | "annotation" | "automatic-styles" | "font-face-decls"
            | "scripts" | "forms" | "sequence-decls" | "variable-decls" => {}
            _ => blocks(element, styles, out),
        }
    }
}

/// The text of one paragraph; paragraphs inside it (a text frame) go to `nested`.
fn spans(
    node: Node<'_, '_>,
    styles: &HashMap<&str, &str>,
    text: &mut String,
    nested: &mut Vec<Paragraph>,
) {
    for child in node.children() {
        if child.is_text() {
            // Runs of spaces are written as `text:s`; the XML's own are layout.
            let piece = child.text().unwrap_or_default();
            let mut last_space = text.ends_with(' ');
            for c in piece.chars() {
                let space = c.is_whitespace();
                if !(space && last_space) {
                    text.push(if space { ' ' } else { c });
                }
                last_space = space;
            }
            continue;
        }
        if !child.is_element() {
            continue;
        }
        match name(child) {
            "s" => {
                let count = attr(child, "c").and_then(|c| c.parse().ok()).unwrap_or(1);
                text.extend(std::iter::repeat_n(' ', count.min(100)));
            }
            "tab" => text.push('\t'),
            "line-break" => text.push('\n'),
            "text-box" => blocks(child, styles, nested),
            // A footnote's mark stays; its text is not the paragraph's.
            "note-body" | "annotation" | "annotation-end" | "change-start" | "change-end" => {}
            _ => spans(child, styles, text, nested),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0""#;

    fn content(body: &str) -> String {
        format!(
            r#"<office:document-content {NS}><office:automatic-styles><style:style style:name="P1" style:parent-style-name="Title"/></office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
        )
    }

    #[test]
    fn paragraphs_lists_tables_and_frames_in_reading_order() {
        let body = r#"
            <text:tracked-changes><text:changed-region><text:deletion><text:p>gone</text:p></text:deletion></text:changed-region></text:tracked-changes>
            <text:p text:style-name="P1">Dock <text:span>strike</text:span> ends</text:p>
            <text:p>By Jane Reporter</text:p>
            <text:h text:outline-level="2">Talks</text:h>
            <text:p>Crews<text:s text:c="2"/>voted<text:tab/>today.<text:line-break/>New
               line.<office:annotation><text:p>check this</text:p></office:annotation><text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>A note.</text:p></text:note-body></text:note></text:p>
            <text:list><text:list-item><text:p>First point</text:p></text:list-item></text:list>
            <table:table><table:table-row><table:table-cell><text:p>Ships</text:p></table:table-cell><table:table-cell><text:p>40</text:p></table:table-cell></table:table-row></table:table>
            <text:p><draw:frame><draw:text-box><text:p>Boxed fact</text:p></draw:text-box></draw:frame></text:p>"#;
        let article = read(&content(body), None).unwrap();
        assert_eq!(article.title, "Dock strike ends");
        assert_eq!(article.author.as_deref(), Some("Jane Reporter"));
        assert_eq!(
            article.body,
            "Talks\n\nCrews  voted\ttoday.\nNew line.1\n\nFirst point\n\nShips\t40\n\nBoxed fact"
        );
    }

    #[test]
    fn the_title_paragraph_is_found_through_its_automatic_style() {
        let body = r#"<text:p>Kicker line</text:p><text:p text:style-name="P1">Dock strike ends</text:p><text:p>Crews voted.</text:p>"#;
        let article = read(&content(body), None).unwrap();
        assert_eq!(article.title, "Dock strike ends");
        assert_eq!(article.body, "Kicker line\n\nCrews voted.");
    }

    #[test]
    fn an_empty_or_broken_document_is_told() {
        assert!(matches!(
            read(&content(""), None),
            Err((Problem::NoText, _))
        ));
        assert!(matches!(
            read("<office:document-content>", None),
            Err((Problem::InvalidXml, _))
        ));
    }
}
