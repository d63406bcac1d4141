//! ALTO pages (versions 1 to 4, in any namespace or none): the text blocks in
//! reading order, each word with its box and confidence, words broken across
//! lines joined from `SUBS_TYPE`/`SUBS_CONTENT` and `HYP`.

use roxmltree::Node;

use super::layout::{Block, BlockBuilder, Rect};
use super::xml::{self, attr, child, descendants, name};

/// One ALTO page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The printed page number (`PRINTED_IMG_NR`), when given as a number.
    pub printed: Option<u32>,
    /// Width and height in `unit`.
    pub width: Option<f64>,
    /// Height in `unit`.
    pub height: Option<f64>,
    /// `pixel`, `mm10` or `inch1200`.
    pub unit: String,
    /// The scan's file name as the OCR software recorded it.
    pub image: Option<String>,
    /// The text blocks, in reading order.
    pub blocks: Vec<Block>,
}

/// Reads an ALTO document.
pub fn parse(text: &str) -> Result<Page, String> {
    xml::with_document(text, read)
}

/// Reads a parsed ALTO document.
pub fn read(doc: &roxmltree::Document<'_>) -> Page {
    let root = doc.root_element();
    let description = child(root, "Description");
    let unit = description
        .and_then(|d| child(d, "MeasurementUnit"))
        .and_then(|u| u.text())
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "pixel".to_string());
    let image = description
        .and_then(|d| xml::find(d, "fileName"))
        .and_then(|f| f.text())
        .map(|f| f.trim().trim_start_matches("./").to_string())
        .filter(|f| !f.is_empty());
    let page = xml::find(root, "Page");
    let number = |key| {
        page.and_then(|p| attr(p, key))
            .and_then(|v| v.trim().parse::<u32>().ok())
    };
    let size = |key| {
        page.and_then(|p| attr(p, key))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v > 0.0)
    };
    let mut blocks: Vec<Block> = match page {
        Some(page) => descendants(page, "TextBlock").filter_map(block).collect(),
        None => Vec::new(),
    };
    reorder(root, &mut blocks);
    Page {
        printed: number("PRINTED_IMG_NR"),
        width: size("WIDTH"),
        height: size("HEIGHT"),
        unit,
        image,
        blocks,
    }
}

/// Puts the blocks in the order of the file's `ReadingOrder` (ALTO 3 and later),
/// when it has one; blocks it does not name follow in the file's order.
fn reorder(root: Node<'_, '_>, blocks: &mut [Block]) {
    let Some(order) = xml::find(root, "ReadingOrder") else {
        return;
    };
    let refs: Vec<&str> = descendants(order, "ElementRef")
        .filter_map(|e| attr(e, "REF"))
        .collect();
    if refs.is_empty() {
        return;
    }
    let rank = |block: &Block| {
        refs.iter()
            .position(|r| block.ids.iter().any(|id| id == r))
            .unwrap_or(usize::MAX)
    };
    blocks.sort_by_key(rank);
}

/// A number attribute.
fn number(node: Node<'_, '_>, key: &str) -> Option<f32> {
    attr(node, key)
        .and_then(|v| v.trim().parse::<f32>().ok())
        .filter(|v| v.is_finite())
}

/// The box of a `String`.
fn rect(node: Node<'_, '_>) -> Option<Rect> {
    Some([
        number(node, "HPOS")?,
        number(node, "VPOS")?,
        number(node, "WIDTH")?,
        number(node, "HEIGHT")?,
    ])
}

/// The ids of a block and of the blocks that hold it.
fn ids(node: Node<'_, '_>) -> Vec<String> {
    node.ancestors()
        .take_while(|n| n.is_element() && name(*n) != "PrintSpace" && name(*n) != "Page")
        .filter_map(|n| attr(n, "ID"))
        .map(str::to_string)
        .collect()
}

/// One `TextBlock`.
fn block(node: Node<'_, '_>) -> Option<Block> {
    let mut builder = BlockBuilder::new(ids(node));
    for line in descendants(node, "TextLine") {
        builder.line();
        let mut last_was_word = false;
        for item in line.children().filter(Node::is_element) {
            match name(item) {
                "String" => {
                    let content = attr(item, "CONTENT").unwrap_or_default();
                    let rect = rect(item);
                    // WC is 0 to 1; a few producers write percentages.
                    let confidence =
                        number(item, "WC").map(|c| if c > 1.0 { c / 100.0 } else { c });
                    match attr(item, "SUBS_TYPE") {
                        Some("HypPart1") => {
                            let whole = attr(item, "SUBS_CONTENT")
                                .filter(|s| !s.trim().is_empty())
                                .unwrap_or(content);
                            builder.first_part(whole, rect, confidence);
                        }
                        Some("HypPart2") => builder.second_part(content, rect, confidence),
                        _ => builder.word(content, rect, confidence),
                    }
                    last_was_word = attr(item, "SUBS_TYPE").is_none();
                }
                "HYP" if last_was_word => {
                    builder.hyphen_at_line_end(false);
                    last_was_word = false;
                }
                _ => {}
            }
        }
    }
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_in_no_namespace_with_hyphenation_and_reading_order() {
        let text = r#"﻿<?xml version="1.0"?>
<alto><Description><MeasurementUnit>pixel</MeasurementUnit>
<sourceImageInformation><fileName>./p1.tif</fileName></sourceImageInformation></Description>
<Layout><ReadingOrder><OrderedGroup><ElementRef REF="B2"/><ElementRef REF="B1"/></OrderedGroup></ReadingOrder>
<Page ID="P1" WIDTH="2000" HEIGHT="3000" PRINTED_IMG_NR="7"><PrintSpace>
<TextBlock ID="B1"><TextLine><String CONTENT="second" HPOS="1" VPOS="2" WIDTH="3" HEIGHT="4" WC="0.5"/></TextLine></TextBlock>
<ComposedBlock ID="C1"><TextBlock ID="B2">
<TextLine><String CONTENT="Fair" HPOS="10" VPOS="20" WIDTH="30" HEIGHT="40" WC="1"/><SP/>
<String CONTENT="tomor" SUBS_TYPE="HypPart1" SUBS_CONTENT="tomorrow" HPOS="50" VPOS="20" WIDTH="30" HEIGHT="40"/><HYP CONTENT="-"/></TextLine>
<TextLine><String CONTENT="row" SUBS_TYPE="HypPart2" SUBS_CONTENT="tomorrow" HPOS="10" VPOS="70" WIDTH="20" HEIGHT="40"/><SP/><String CONTENT="cool" HPOS="40" VPOS="70" WIDTH="20" HEIGHT="40"/></TextLine>
</TextBlock></ComposedBlock></PrintSpace></Page></Layout></alto>"#;
        let page = parse(text.trim_start_matches('\u{feff}')).unwrap();
        assert_eq!(page.unit, "pixel");
        assert_eq!(page.image.as_deref(), Some("p1.tif"));
        assert_eq!((page.width, page.printed), (Some(2000.0), Some(7)));
        assert_eq!(page.blocks[0].text, "Fair tomorrow cool");
        assert_eq!(page.blocks[0].ids, vec!["B2", "C1"]);
        assert_eq!(page.blocks[1].text, "second");
        let tomorrow: Vec<f32> = page.blocks[0]
            .words
            .iter()
            .filter(|w| w.start == 5)
            .map(|w| w.x)
            .collect();
        assert_eq!(tomorrow, vec![50.0, 10.0]);
    }
}
