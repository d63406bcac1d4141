//! Word documents (`.docx`, Office Open XML, transitional or strict), as
//! newsrooms keep drafts and archives: the text of `word/document.xml` paragraph
//! by paragraph (a table row as a line of cells, text boxes once, tabs and line breaks kept;
//! deleted revisions and field codes left out), made an article as `office`
//! makes one, with `docProps/core.xml` for its title, author and date.

use roxmltree::Node;

use super::office::{self, Paragraph};
use super::xml::{self, attr, child, name};
use super::{Problem, Record};

/// Reads a document from its `word/document.xml` and its `docProps/core.xml`,
/// when it has one.
pub fn read(document: &str, core: Option<&str>) -> Record {
    let paragraphs = xml::with_document(document, |doc| {
        let mut out = Vec::new();
        blocks(doc.root_element(), &mut out);
        out
    })
    .map_err(|e| (Problem::InvalidXml, format!("word/document.xml: {e}")))?;
    office::article(paragraphs, office::properties(core), "a Word document")
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
    fn the_title_paragraph_is_found_by_its_style() {
        let body = r#"<w:p><w:r><w:t>Kicker line</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Dock strike ends</w:t></w:r></w:p>
            <w:p><w:r><w:t>Crews voted.</w:t></w:r></w:p>"#;
        let article = read(&document(body), None).unwrap();
        assert_eq!(article.title, "Dock strike ends");
        assert_eq!(article.body, "Kicker line\n\nCrews voted.");
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
