//! PDF documents with a text layer, read with `pdf-extract` (on `lopdf`): one
//! article per file, its text page by page (so a hit can say its page), title,
//! author and dates from the document information. A PDF without text, encrypted
//! or damaged gets one clear problem, never a panic or an empty article.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use pdf_extract::{Document, Object, PlainTextOutput};

use super::{MAX_TITLE_CHARS, Problem, Record, ocr};
use crate::article::{Article, clean_line};
use crate::scan::{Scan, ScanPage};

/// Whether bytes are a PDF (its header may follow a little junk).
pub fn sniff(head: &[u8]) -> bool {
    head.windows(5).take(1024).any(|w| w == b"%PDF-")
}

/// Reads a PDF; `file` is how the user named it.
pub fn parse(bytes: &[u8], file: &str) -> Record {
    let outcome = std::panic::catch_unwind(|| read(bytes, file));
    match outcome {
        Ok(record) => record,
        Err(panic) => Err((
            Problem::UnreadablePdf,
            format!(
                "the PDF reader failed on it ({})",
                crate::error::panic_message(panic.as_ref())
            ),
        )),
    }
}

fn read(bytes: &[u8], file: &str) -> Record {
    let unreadable = |detail: String| Err((Problem::UnreadablePdf, detail));
    let mut doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(e) => return unreadable(format!("damaged: {e}")),
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return unreadable("encrypted with a password".into());
    }
    let mut scan = Scan::default();
    let mut body = String::new();
    let mut chars = 0u32;
    let mut failed = 0usize;
    let pages = doc.get_pages();
    for (&number, &id) in &pages {
        let mut text = String::new();
        let mut output = PlainTextOutput::new(&mut text);
        if pdf_extract::output_doc_page(&doc, &mut output, number).is_err() {
            failed += 1;
            continue;
        }
        let text = tidy(&text);
        if text.is_empty() {
            continue;
        }
        if !body.is_empty() {
            body.push_str("\n\n");
            chars += 2;
        }
        let (width, height) = media_box(&doc, id).unzip();
        scan.pages.push(ScanPage {
            number,
            file: file.to_string(),
            width,
            height,
            unit: "pt".into(),
            image: None,
            image_at: None,
            start: chars,
        });
        chars += text.chars().count() as u32;
        body.push_str(&text);
    }
    if body.trim().is_empty() {
        return unreadable(if failed > 0 {
            format!("none of its {} pages could be read", pages.len())
        } else {
            "no text layer (a scan? run OCR on it first)".into()
        });
    }
    let info = info(&doc);
    let title = info
        .title
        .filter(|t| meaningful_title(t))
        .or_else(|| first_line(&body))
        .unwrap_or_default();
    Ok(Article {
        title,
        body,
        author: info.author,
        date: info.date,
        scan: Some(scan),
        ..Article::default()
    })
}

/// Page text with words broken at line ends joined and blank runs collapsed.
fn tidy(text: &str) -> String {
    let joined = ocr::join_broken_words(text);
    let mut out = String::with_capacity(joined.len());
    let mut blank = 0usize;
    for line in joined.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line.trim_start());
    }
    out
}

/// The first line that could be a headline.
fn first_line(body: &str) -> Option<String> {
    body.lines()
        .map(clean_line)
        .find(|l| l.chars().any(char::is_alphabetic))
        .map(|l| l.chars().take(MAX_TITLE_CHARS).collect())
}

/// Titles that word processors write for the user (`Microsoft Word - draft.docx`).
fn meaningful_title(title: &str) -> bool {
    let lower = title.to_lowercase();
    !(lower.is_empty()
        || lower == "untitled"
        || lower.starts_with("microsoft word - ")
        || [".doc", ".docx", ".pdf", ".indd", ".tex", ".odt", ".rtf"]
            .iter()
            .any(|ext| lower.ends_with(ext)))
}

/// Width and height of a page in points, from its (possibly inherited) media box.
fn media_box(doc: &Document, page: pdf_extract::ObjectId) -> Option<(f64, f64)> {
    let mut dict = doc.get_dictionary(page).ok()?;
    for _ in 0..32 {
        if let Ok(Object::Array(values)) = dict.get(b"MediaBox") {
            let n: Vec<f64> = values
                .iter()
                .filter_map(|v| match v {
                    Object::Integer(i) => Some(*i as f64),
                    Object::Real(r) => Some(f64::from(*r)),
                    _ => None,
                })
                .collect();
            if let [x0, y0, x1, y1] = n[..] {
                return Some(((x1 - x0).abs(), (y1 - y0).abs()));
            }
            return None;
        }
        let parent = dict.get(b"Parent").ok()?.as_reference().ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

#[derive(Default)]
struct Info {
    title: Option<String>,
    author: Option<String>,
    date: Option<DateTime<Utc>>,
}

/// The document information dictionary.
fn info(doc: &Document) -> Info {
    let mut info = Info::default();
    let Ok(reference) = doc.trailer.get(b"Info").and_then(Object::as_reference) else {
        return info;
    };
    let Ok(dict) = doc.get_dictionary(reference) else {
        return info;
    };
    let text = |key: &[u8]| {
        dict.get(key)
            .ok()
            .and_then(|o| match o {
                Object::String(bytes, _) => Some(pdf_string(bytes)),
                _ => None,
            })
            .map(|t| clean_line(&t))
            .filter(|t| !t.is_empty())
    };
    info.title = text(b"Title");
    info.author = text(b"Author");
    info.date = text(b"CreationDate")
        .or_else(|| text(b"ModDate"))
        .and_then(|d| pdf_date(&d));
    info
}

/// A PDF text string: UTF-16 with a byte-order mark, else PDFDocEncoding (read as Latin-1).
fn pdf_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_string();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// A PDF date: `D:YYYYMMDDHHmmSSOHH'mm'`, any tail left off.
fn pdf_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim().strip_prefix("D:").unwrap_or(text.trim());
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let part = |from: usize, len: usize, default: u32| -> Option<u32> {
        match digits.get(from..from + len) {
            Some(d) => d.parse().ok(),
            None => Some(default),
        }
    };
    let year = i32::try_from(part(0, 4, 0)?).ok()?;
    if digits.len() < 4 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year, part(4, 2, 1)?, part(6, 2, 1)?)?;
    let time: NaiveDateTime = date.and_hms_opt(part(8, 2, 0)?, part(10, 2, 0)?, part(12, 2, 0)?)?;
    let rest = &text[digits.len()..];
    let offset_secs = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let nums: Vec<i32> = rest[1..]
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .take(2)
                .filter_map(|s| s.parse().ok())
                .collect();
            let secs =
                nums.first().copied().unwrap_or(0) * 3600 + nums.get(1).copied().unwrap_or(0) * 60;
            if sign == '-' { -secs } else { secs }
        }
        _ => 0,
    };
    let utc = Utc.from_utc_datetime(&time) - chrono::Duration::seconds(i64::from(offset_secs));
    Some(utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_with_and_without_zones() {
        assert_eq!(
            pdf_date("D:20200805123456-04'00'").unwrap().to_rfc3339(),
            "2020-08-05T16:34:56+00:00"
        );
        assert_eq!(
            pdf_date("D:2020").unwrap().to_rfc3339(),
            "2020-01-01T00:00:00+00:00"
        );
        assert_eq!(pdf_date("yesterday"), None);
    }

    #[test]
    fn damaged_and_empty_bytes_are_problems_not_panics() {
        for bytes in [
            &b"%PDF-1.4\n%%EOF"[..],
            b"%PDF-1.7\n1 0 obj << /Type /Catalog",
            b"",
        ] {
            assert!(matches!(
                parse(bytes, "x.pdf"),
                Err((Problem::UnreadablePdf, _))
            ));
        }
    }

    #[test]
    fn word_processor_titles_are_not_headlines() {
        assert!(!meaningful_title("Microsoft Word - budget.docx"));
        assert!(!meaningful_title("report.pdf"));
        assert!(meaningful_title("Council approves bridge"));
    }
}
