//! Web pages saved whole in one file (MHTML: `.mht`, `.mhtml`), as Chrome, Edge,
//! Internet Explorer and Word save them, and as researchers keep the articles
//! they cite. The file is a MIME message (read with `mail-parser`) whose parts
//! are the page and its images, styles and frames.
//!
//! The page is the part the message's `start` names, else its first HTML part.
//! Its bytes are decoded from the transfer encoding, then from the charset its
//! part declares, else the page's own `<meta charset>` or a guess, as a page
//! on disk is. The article is then found as in any web page (`html`). The
//! address it was saved from (`Snapshot-Content-Location`, else the part's
//! `Content-Location`) is its URL when the page names no canonical one, and the
//! message's subject (the page's title) its headline when the page gives none.
//! The save date is not taken for the article's date: a page saved years after
//! it ran would be misdated.

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Encoding, Message, MessageParser, MessagePart, MimeHeaders, PartType};

use super::decode;
use super::html;
use super::{Problem, Record};

/// How far into the file the message's header is looked for.
const HEAD_BYTES: usize = 4096;

/// Whether a file opens as a saved page: a MIME header of `multipart/related`
/// content, with a browser's mark (`Snapshot-Content-Location`, Chrome's `From:
/// <Saved by …>`) when `named` (the file's name says MHTML) is false.
pub fn sniff(head: &[u8], named: bool) -> bool {
    let head = &head[..head.len().min(HEAD_BYTES)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let header = match text.find("\n\n").or_else(|| text.find("\r\n\r\n")) {
        Some(end) => &text[..end],
        None => &text,
    };
    let related = header.contains("multipart/related");
    let marked = header.contains("snapshot-content-location:") || header.contains("<saved by ");
    related && (named || marked)
}

/// Reads a saved page; the flag is set when the page nested too deep and was
/// flattened.
pub fn read(bytes: &[u8]) -> (Record, bool) {
    let Some(message) = MessageParser::default().parse(bytes) else {
        return (
            Err((Problem::NoText, "not a saved web page (MHTML)".into())),
            false,
        );
    };
    let Some(page) = page(&message) else {
        return (
            Err((
                Problem::NoText,
                "a saved web page without an HTML part".into(),
            )),
            false,
        );
    };
    let (mut article, flattened) = html::parse(&page_text(&message, page));
    if article.url.is_none() {
        article.url = message
            .header_raw("Snapshot-Content-Location")
            .or_else(|| page.content_location())
            .map(|url| url.trim().to_string())
            .filter(|url| url.starts_with("http"));
    }
    if article.title.is_empty()
        && let Some(subject) = message.subject()
    {
        article.title = crate::article::clean_line(subject);
    }
    let record = if article.is_empty() {
        Err((Problem::NoText, "saved page has no text".into()))
    } else {
        Ok(article)
    };
    (record, flattened)
}

/// The part holding the page: the one the message's `start` parameter names
/// (by its Content-ID), else the first HTML part.
fn page<'m>(message: &'m Message<'_>) -> Option<&'m MessagePart<'m>> {
    let is_html = |part: &&MessagePart<'_>| matches!(part.body, PartType::Html(_));
    let start = message
        .parts
        .first()
        .and_then(|root| root.content_type())
        .and_then(|ct| ct.attribute("start"))
        .map(|id| id.trim().trim_matches(['<', '>']).to_string());
    let named = start.and_then(|start| {
        message.parts.iter().filter(is_html).find(|part| {
            part.content_id()
                .is_some_and(|id| id.trim_matches(['<', '>']) == start)
        })
    });
    named.or_else(|| message.parts.iter().find(is_html))
}

/// The page's text: its bytes undone from their transfer encoding, then decoded
/// from the charset its part declares, else as a page on disk is.
fn page_text(message: &Message<'_>, page: &MessagePart<'_>) -> String {
    let declared = page
        .content_type()
        .and_then(|ct| ct.attribute("charset"))
        .and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()));
    let raw = message
        .raw_message()
        .get(page.offset_body as usize..page.offset_end as usize);
    let bytes = raw.and_then(|raw| match page.encoding {
        Encoding::QuotedPrintable => quoted_printable_decode(raw),
        Encoding::Base64 => base64_decode(raw),
        Encoding::None => Some(raw.to_vec()),
    });
    match (bytes, declared) {
        (Some(bytes), Some(charset)) => charset.decode_with_bom_removal(&bytes).0.into_owned(),
        (Some(bytes), None) => decode::decode(&bytes).text,
        // What mail-parser decoded, when the raw part cannot be found again.
        (None, _) => match &page.body {
            PartType::Html(text) => text.to_string(),
            _ => String::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page saved as Chrome saves one, its HTML in `encoding` with `charset`
    /// declared (or not) on its part.
    fn saved(html_part: &str, charset: Option<&str>, encoding: &str) -> Vec<u8> {
        let content_type = match charset {
            Some(charset) => format!("text/html; charset={charset}"),
            None => "text/html".to_string(),
        };
        format!(
            "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://news.example/ferry\r\n\
             Subject: =?utf-8?Q?Ferry_=E2=80=93_News?=\r\nDate: Fri, 4 Dec 2026 10:00:00 -0000\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\
             \tboundary=\"----B\"\r\n\r\n------B\r\nContent-Type: image/png\r\n\
             Content-Transfer-Encoding: base64\r\nContent-Location: https://news.example/logo.png\r\n\r\n\
             iVBORw0KGgo=\r\n------B\r\nContent-Type: {content_type}\r\n\
             Content-ID: <frame-1@mhtml.blink>\r\nContent-Transfer-Encoding: {encoding}\r\n\
             Content-Location: https://news.example/ferry\r\n\r\n{html_part}\r\n------B--\r\n"
        )
        .into_bytes()
    }

    #[test]
    fn chrome_pages_are_found_by_their_mark_and_others_by_name() {
        let page = saved("<p>x</p>", None, "quoted-printable");
        assert!(sniff(&page, false));
        let plain = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n--x";
        assert!(!sniff(plain, false));
        assert!(sniff(plain, true));
        let mail = b"From: a@b\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x";
        assert!(!sniff(mail, true));
    }

    #[test]
    fn the_page_part_is_read_with_its_address_and_charset() {
        let html = "<html><head><meta charset=\"windows-1252\"></head><body><article>\
                    <h1>Ferry resumes</h1><p>The ferry to Skerry runs again from Monday, the \
                    harbour office said on Friday.</p></article></body></html>";
        // Quoted-printable, the charset only in the page: `é` as =E9.
        let qp = html.replace("Skerry", "Sk=E9rry").replace("=\"", "=3D\"");
        let (record, _) = read(&saved(&qp, None, "quoted-printable"));
        let article = record.unwrap();
        assert_eq!(article.title, "Ferry resumes");
        assert!(article.body.contains("Skérry"), "{}", article.body);
        assert_eq!(article.url.as_deref(), Some("https://news.example/ferry"));
        assert_eq!(article.date, None);
    }

    #[test]
    fn a_base64_page_without_a_title_takes_the_subject() {
        use base64::Engine;
        let html = "<html><body><p>Crews voted nine to four to end the dock strike, the union \
                    said on Tuesday evening.</p></body></html>";
        let encoded = base64::engine::general_purpose::STANDARD.encode(html);
        let (record, _) = read(&saved(&encoded, Some("utf-8"), "base64"));
        let article = record.unwrap();
        assert_eq!(article.title, "Ferry – News");
        assert!(article.body.contains("dock strike"));
    }

    #[test]
    fn the_part_the_start_parameter_names_is_the_page() {
        let bytes = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x; \
                      type=\"text/html\"; start=\"<page@saved>\"\r\n\r\n\
                      --x\r\nContent-Type: text/html\r\nContent-ID: <frame@saved>\r\n\r\n\
                      <html><body><p>An advertising frame that is not the article at all.</p></body></html>\r\n\
                      --x\r\nContent-Type: text/html\r\nContent-ID: <page@saved>\r\n\r\n\
                      <html><head><title>Bridge reopens</title></head><body><p>The bridge over \
                      the Tay reopened on Monday after two months of repairs.</p></body></html>\r\n--x--\r\n";
        let article = read(bytes).0.unwrap();
        assert_eq!(article.title, "Bridge reopens");
        assert!(article.body.contains("the Tay"), "{}", article.body);
    }

    #[test]
    fn a_page_without_html_is_named() {
        let bytes = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n\
                      --x\r\nContent-Type: image/png\r\n\r\nabc\r\n--x--\r\n";
        let (record, _) = read(bytes);
        assert!(record.unwrap_err().1.contains("without an HTML part"));
    }
}
