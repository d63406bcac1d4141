//! hOCR pages (tesseract, ocropy, ALTO converted): recognised by their content,
//! never read as web articles. Words and lines become text, each word keeps its
//! `bbox` and `x_wconf`; the title comes from the page's metadata, never from the
//! name of the OCR engine.

use scraper::{ElementRef, Html};

use super::layout::{BlockBuilder, Layout, Rect};
use crate::article::{Article, clean_line};
use crate::scan::ScanPage;

/// Classes of the elements that hold one line of text.
const LINE_CLASSES: &[&str] = &[
    "ocr_line",
    "ocrx_line",
    "ocr_header",
    "ocr_textfloat",
    "ocr_caption",
];

/// Whether a document is hOCR, judged from its first characters (lower-cased).
pub fn sniff(head: &str) -> bool {
    head.contains("ocr_page") || head.contains("ocr-system") || head.contains("ocr-capabilities")
}

/// Titles that OCR engines write instead of one.
fn is_engine_title(title: &str) -> bool {
    let lower = title.to_lowercase();
    lower.is_empty()
        || lower.contains("ocr")
        || lower.contains("tesseract")
        || lower.contains("ocropus")
        || lower.contains("abbyy")
        || lower.ends_with(".png")
        || lower.ends_with(".tif")
        || lower.ends_with(".tiff")
        || lower.ends_with(".jpg")
}

/// The properties in an hOCR `title` attribute (`bbox 0 0 10 10; x_wconf 96`).
fn property<'a>(title: &'a str, key: &str) -> Option<&'a str> {
    title.split(';').find_map(|part| {
        let part = part.trim();
        part.strip_prefix(key)
            .filter(|rest| rest.starts_with(char::is_whitespace))
            .map(str::trim)
    })
}

fn bbox(title: &str) -> Option<Rect> {
    let values: Vec<f32> = property(title, "bbox")?
        .split_whitespace()
        .map(|v| v.parse().ok())
        .collect::<Option<Vec<f32>>>()?;
    match values[..] {
        [x0, y0, x1, y1] if x1 >= x0 && y1 >= y0 => Some([x0, y0, x1 - x0, y1 - y0]),
        _ => None,
    }
}

fn has_class(element: &ElementRef<'_>, wanted: &[&str]) -> bool {
    element.value().classes().any(|c| wanted.contains(&c))
}

fn text_of(element: &ElementRef<'_>) -> String {
    clean_line(&element.text().collect::<String>())
}

/// Reads an hOCR document; `file` is how the user named it (for the pages).
pub fn parse(text: &str, file: &str) -> Result<Article, String> {
    let html = Html::parse_document(text);
    let mut layout = Layout::default();
    let root = html.root_element();
    let pages: Vec<ElementRef<'_>> = root
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| has_class(e, &["ocr_page"]))
        .collect();
    let page_roots = if pages.is_empty() { vec![root] } else { pages };
    for (n, page) in page_roots.iter().enumerate() {
        let title = page.value().attr("title").unwrap_or_default();
        let size = bbox(title);
        let number = property(title, "ppageno")
            .and_then(|p| p.parse::<u32>().ok())
            .map_or(n as u32 + 1, |p| p + 1);
        layout.page(ScanPage {
            number,
            file: file.to_string(),
            width: size.map(|r| f64::from(r[2])),
            height: size.map(|r| f64::from(r[3])),
            unit: "pixel".into(),
            image: None,
            image_at: None,
            start: 0,
        });
        read_page(*page, &mut layout);
    }
    if layout.is_empty() {
        return Err("no recognised words".into());
    }
    let title = head_title(&html).unwrap_or_default();
    let (body, scan, quality) = layout.finish();
    Ok(Article {
        title,
        body,
        ocr_quality: quality,
        scan,
        ..Article::default()
    })
}

/// The page's own title: `<title>` or a `dc.title` meta, unless an engine wrote it.
fn head_title(html: &Html) -> Option<String> {
    let root = html.root_element();
    let metas = root
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "meta");
    for meta in metas {
        let name = meta.value().attr("name").unwrap_or_default().to_lowercase();
        if matches!(name.as_str(), "dc.title" | "dcterms.title" | "title") {
            let title = clean_line(meta.value().attr("content").unwrap_or_default());
            if !is_engine_title(&title) {
                return Some(title);
            }
        }
    }
    root.descendants()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "title")
        .map(|e| text_of(&e))
        .filter(|t| !is_engine_title(t))
}

/// The block a line belongs to: its nearest paragraph or content area.
fn block_of(line: &ElementRef<'_>) -> Option<ego_tree::NodeId> {
    line.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|e| has_class(e, &["ocr_par", "ocr_carea", "ocrx_block"]))
        .map(|e| e.id())
}

fn read_page(page: ElementRef<'_>, layout: &mut Layout) {
    let lines: Vec<ElementRef<'_>> = page
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| has_class(e, LINE_CLASSES))
        .collect();
    let mut current: Option<(Option<ego_tree::NodeId>, BlockBuilder)> = None;
    for line in lines {
        let block = block_of(&line);
        if current.as_ref().is_none_or(|(id, _)| *id != block) {
            if let Some((_, builder)) = current.take()
                && let Some(done) = builder.finish()
            {
                layout.block(&done);
            }
            current = Some((block, BlockBuilder::new(Vec::new())));
        }
        let Some((_, builder)) = current.as_mut() else {
            continue;
        };
        builder.line();
        let words: Vec<ElementRef<'_>> = line
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|e| has_class(e, &["ocrx_word"]))
            .collect();
        if words.is_empty() {
            // Older hOCR: a line's text without word elements.
            for word in text_of(&line).split_whitespace() {
                builder.word(word, None, None);
            }
            continue;
        }
        for word in words {
            let title = word.value().attr("title").unwrap_or_default();
            let confidence = property(title, "x_wconf")
                .and_then(|c| c.parse::<f32>().ok())
                .map(|c| c / 100.0);
            builder.word(&text_of(&word), bbox(title), confidence);
        }
    }
    if let Some((_, builder)) = current
        && let Some(done) = builder.finish()
    {
        layout.block(&done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_boxes_confidence_and_no_engine_title() {
        let page = r#"<html><head><title>OCR Results</title>
<meta name="ocr-system" content="tesseract 4"/></head><body>
<div class="ocr_page" title='image "p.png"; bbox 0 0 1000 2000; ppageno 0'>
<p class="ocr_par"><span class="ocr_line" title="bbox 0 0 500 50">
<span class="ocrx_word" title="bbox 10 10 60 40; x_wconf 90">Strike</span>
<span class="ocrx_word" title="bbox 70 10 160 40; x_wconf 50">ends</span></span></p>
<p class="ocr_par"><span class="ocr_line"><span class="ocrx_word" title="bbox 10 60 60 90; x_wconf 70">Mills</span></span></p>
</div></body></html>"#;
        let article = parse(page, "p.hocr").unwrap();
        assert_eq!(article.title, "");
        assert_eq!(article.body, "Strike ends\n\nMills");
        let scan = article.scan.unwrap();
        assert_eq!(scan.pages[0].width, Some(1000.0));
        assert_eq!(scan.words[1].x, 70.0);
        assert_eq!(scan.words[1].w, 90.0);
        let q = article.ocr_quality.unwrap();
        assert!((q - (0.9 * 6.0 + 0.5 * 4.0 + 0.7 * 5.0) / 15.0).abs() < 1e-6);
    }
}
