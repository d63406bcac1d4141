//! Word documents (`.docx`, Office Open XML, transitional or strict), as
//! newsrooms keep drafts and archives: the text of `word/document.xml` paragraph
//! by paragraph (a table row as a line of cells, text boxes once, tabs and line breaks kept;
//! deleted revisions and field codes left out), the headline from the document's
//! title, its `Title` paragraph or its first line, a `By …` line as the byline,
//! and the date the document was created from `docProps/core.xml`.

use roxmltree::Node;

use super::date::parse_date_field;
use super::xml::{self, attr, child, name};
use super::{Problem, Record};
use crate::article::{Article, clean_line};

/// The names Word and other editors put as a document's author when nobody
/// typed one: not a byline.
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
struct Paragraph {
    style: String,
    text: String,
}

/// Reads a document from its `word/document.xml` and its `docProps/core.xml`,
/// when it has one.
pub fn read(document: &str, core: Option<&str>) -> Record {
    let mut paragraphs = xml::with_document(document, |doc| {
        let mut out = Vec::new();
        blocks(doc.root_element(), &mut out);
        out
    })
    .map_err(|e| (Problem::InvalidXml, format!("word/document.xml: {e}")))?;
    paragraphs.retain(|p| !p.text.trim().is_empty());
    let mut article = core
        .and_then(|core| xml::with_document(core, properties).ok())
        .unwrap_or_default();
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
        return Err((Problem::NoText, "a Word document without text".into()));
    }
    Ok(article)
}

/// The paragraphs below `node`, in reading order.
fn blocks(node: Node<'_, '_>, out: &mut Vec<Paragraph>) {
    for element in node.children().filter(Node::is_element) {
        match name(element) {
            "p" => {
                let style = child(element, "pPr")
                    .and_then(|p| child(p, "pStyle"))
                    .and_then(|s| attr(s, "val"))
                    .unwrap_or_default()
                    .to_string();
                let mut text = String::new();
                let mut nested = Vec::new();
                runs(element, &mut text, &mut nested);
                out.push(Paragraph { style, text });
                out.append(&mut nested);
            }
            "AlternateContent" => alternative(element, |choice| blocks(choice, out)),
            "tr" => {
                // A table row is one line, its cells apart by tabs.
                let mut cells = Vec::new();
                blocks(element, &mut cells);
                let text: Vec<&str> = cells.iter().map(|c| c.text.trim()).collect();
                out.push(Paragraph {
                    style: String::new(),
                    text: text.join("\t"),
                });
            }
            "del" | "sectPr" | "pPr" | "tblPr" | "tblGrid" | "trPr" | "tcPr" => {}
            _ => blocks(element, out),
        }
    }
}

/// The text of one paragraph's runs; paragraphs inside it (a text box) go to `nested`.
fn runs(node: Node<'_, '_>, text: &mut String, nested: &mut Vec<Paragraph>) {
    for element in node.children().filter(Node::is_element) {
        match name(element) {
            "t" => text.push_str(element.text().unwrap_or_default()),
            "tab" | "ptab" => text.push('\t'),
            "br" | "cr" => text.push('\n'),
            "noBreakHyphen" => text.push('-'),
            "txbxContent" => blocks(element, nested),
            "AlternateContent" => alternative(element, |choice| runs(choice, text, nested)),
            // Deleted text, field codes and properties are not what the page shows.
            "del" | "delText" | "instrText" | "pPr" | "rPr" | "fldChar" => {}
            _ => runs(element, text, nested),
        }
    }
}

/// Reads the first choice of an `mc:AlternateContent` (its fallback repeats it).
fn alternative<'a, 'i>(node: Node<'a, 'i>, mut read: impl FnMut(Node<'a, 'i>)) {
    if let Some(choice) = node.children().find(Node::is_element) {
        read(choice);
    }
}

/// The title, author and date of `docProps/core.xml`.
fn properties(doc: &roxmltree::Document<'_>) -> Article {
    let root = doc.root_element();
    let value = |local: &'static str| xml::find_text(root, local).filter(|t| !t.is_empty());
    let author =
        value("creator").filter(|a| !PLACEHOLDER_AUTHORS.contains(&a.to_lowercase().as_str()));
    Article {
        title: value("title").map(|t| clean_line(&t)).unwrap_or_default(),
        author,
        date: value("created").and_then(|d| parse_date_field(&d)),
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

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn document(body: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"#
        )
    }

    #[test]
    fn paragraphs_tables_and_boxes_in_reading_order() {
        let body = r#"
            <w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Dock strike</w:t></w:r><w:r><w:t xml:space="preserve"> ends</w:t></w:r></w:p>
            <w:p><w:r><w:t>By Jane Reporter</w:t></w:r></w:p>
            <w:p><w:r><w:t>Crews</w:t></w:r><w:del><w:r><w:delText>never</w:delText></w:r></w:del><w:r><w:t xml:space="preserve"> voted</w:t><w:tab/><w:t>today.</w:t><w:br/><w:t>New line.</w:t></w:r></w:p>
            <w:p><w:r><w:fldChar w:fldCharType="begin"/><w:instrText>PAGE</w:instrText><w:t>Field result</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Ships</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>40</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>Boxed fact</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Boxed fact</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
        let article = read(&document(body), None).unwrap();
        assert_eq!(article.title, "Dock strike ends");
        assert_eq!(article.author.as_deref(), Some("Jane Reporter"));
        assert_eq!(
            article.body,
            "Crews voted\ttoday.\nNew line.\n\nField result\n\nShips\t40\n\nBoxed fact"
        );
    }

    #[test]
    fn the_properties_give_title_author_and_date() {
        let core = r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
            <dc:title>Harbour report</dc:title><dc:creator>Windows User</dc:creator>
            <dcterms:created>2024-03-04T10:00:00Z</dcterms:created></cp:coreProperties>"#;
        let body = "<w:p><w:r><w:t>The harbour froze.</w:t></w:r></w:p>";
        let article = read(&document(body), Some(core)).unwrap();
        assert_eq!(article.title, "Harbour report");
        assert_eq!(article.body, "The harbour froze.");
        assert_eq!(article.author, None, "a placeholder is no byline");
        assert_eq!(
            article.date.unwrap().to_rfc3339(),
            "2024-03-04T10:00:00+00:00"
        );
    }

    #[test]
    fn an_empty_or_broken_document_is_told() {
        assert!(matches!(
            read(&document(""), None),
            Err((Problem::NoText, _))
        ));
        assert!(matches!(
            read("<w:document>", None),
            Err((Problem::InvalidXml, _))
        ));
    }
}
