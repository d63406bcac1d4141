//! WordPerfect documents, as newsroom and agency archives of 1985–2005 hold
//! them (`.wpd`, `.wp`, `.wp5`, `.wp6`, and `.doc` as DOS-era desks named
//! them): WordPerfect 4.2 through the X series, read with `xberg-libwpd`, a
//! binding to libwpd (LibreOffice's WordPerfect reader, built from source).
//!
//! libwpd hands the document over as events. The main text becomes paragraphs
//! (a table row one line, its cells apart); running headers and footers, notes
//! and comments are left out, as they are from Word files. The title and author
//! come from the document summary when it has one. The article is made as
//! `office` makes one from other word-processor files.
//!
//! Version 5 and later files open with `\xFFWPC`, which is read whatever the
//! file is called. Version 4.2 files have no mark: libwpd's guess is asked only
//! for a binary file under a WordPerfect or `.doc` name that no other format's
//! mark claims, and is taken only when the text it reads is prose, since it
//! takes some text and binary files for WordPerfect too.

use xberg_libwpd::{WpdError, WpdEvent, extract_document};

use super::office::{self, Paragraph};
use super::{Problem, Record};
use crate::article::Article;

/// The opening bytes of a WordPerfect 5.0 or later file (and of other Corel
/// files of that family, which libwpd turns down).
const MAGIC: &[u8] = b"\xFFWPC";

/// Whether a file opens as a WordPerfect 5.0 or later document.
pub fn sniff(head: &[u8]) -> bool {
    head.starts_with(MAGIC)
}

/// Reads a binary file without the mark as WordPerfect 4.2, when libwpd takes
/// it for one and what it reads is prose (its guess takes some other binary
/// files too, which read as a few stray characters): `None` when not.
pub fn parse_unmarked(bytes: &[u8]) -> Option<Record> {
    if !xberg_libwpd::is_supported(bytes) {
        return None;
    }
    let record = parse(bytes);
    let article = record.as_ref().ok()?;
    let text = || article.title.chars().chain(article.body.chars());
    let letters = text().filter(|c| c.is_alphabetic()).count();
    let visible = text().filter(|c| !c.is_whitespace()).count();
    (letters >= MIN_LETTERS && letters * 10 >= visible * 7).then_some(record)
}

/// The fewest letters an unmarked file must read as to be taken for WordPerfect.
const MIN_LETTERS: usize = 20;

/// The file type a WordPerfect 5.0 or later header gives a document (graphics,
/// macros and dictionaries share the header).
const DOCUMENT_TYPE: u8 = 0x0A;

/// Reads a WordPerfect document.
pub fn parse(bytes: &[u8]) -> Record {
    let document = extract_document(bytes).map_err(|e| match e {
        WpdError::Encrypted => (
            Problem::NoText,
            "a WordPerfect document encrypted with a password, so its text cannot be read"
                .to_string(),
        ),
        WpdError::UnsupportedFormat
            if sniff(bytes) && bytes.get(9).is_some_and(|&kind| kind != DOCUMENT_TYPE) =>
        {
            (
                Problem::NoText,
                "a WordPerfect graphic, macro or other Corel file, not a document".to_string(),
            )
        }
        e => (
            Problem::Corrupt,
            format!("a damaged or cut-short WordPerfect document (libwpd: {e})"),
        ),
    })?;
    let metadata = document.metadata;
    let properties = Article {
        title: metadata.title.unwrap_or_default(),
        author: metadata.author,
        ..Article::default()
    };
    let mut paragraphs = paragraphs(&document.events);
    for paragraph in &mut paragraphs {
        paragraph.text = apostrophes(&paragraph.text);
    }
    office::article(paragraphs, properties, "a WordPerfect document")
}

/// The text with WordPerfect's raised comma (character 1,9, which libwpd reads
/// as the combining comma above) between Latin letters as the apostrophe it
/// was typed for: `President's`, not `President̓s`. On a Greek letter it stays
/// a breathing mark.
fn apostrophes(text: &str) -> String {
    if !text.contains('\u{313}') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut before = None;
    for c in text.chars() {
        let latin = |c: Option<char>| c.is_some_and(|c: char| c.is_ascii_alphabetic());
        out.push(if c == '\u{313}' && latin(before) {
            '’'
        } else {
            c
        });
        before = Some(c);
    }
    out
}

/// The main text's paragraphs, in order; a heading keeps its level as a style.
fn paragraphs(events: &[WpdEvent]) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut style = String::new();
    let mut text = String::new();
    // Inside a header, footer, note or comment: how many of them deep.
    let mut aside = 0usize;
    // Inside a table cell: its paragraphs run on as one line of the row.
    let mut cell = false;
    let mut end = |style: &mut String, text: &mut String| {
        let text = std::mem::take(text);
        let style = std::mem::take(style);
        if !text.trim().is_empty() {
            out.push(Paragraph { style, text });
        }
    };
    for event in events {
        match event {
            WpdEvent::HeaderStart | WpdEvent::FooterStart | WpdEvent::NoteStart { .. } => {
                aside += 1
            }
            WpdEvent::AsideStart { kind } if kind != "box" => aside += 1,
            WpdEvent::HeaderEnd | WpdEvent::FooterEnd | WpdEvent::NoteEnd => {
                aside = aside.saturating_sub(1);
            }
            WpdEvent::AsideEnd if aside > 0 => aside -= 1,
            _ if aside > 0 => {}
            WpdEvent::Text(run) => text.push_str(run),
            WpdEvent::Space | WpdEvent::Tab => text.push(' '),
            WpdEvent::LineBreak => text.push('\n'),
            WpdEvent::HeadingStart { level } => style = format!("Heading{level}"),
            WpdEvent::CellStart { .. } => cell = true,
            WpdEvent::CellEnd => {
                cell = false;
                text.truncate(text.trim_end_matches(' ').len());
                text.push('\t');
            }
            WpdEvent::ParagraphEnd if cell => text.push(' '),
            WpdEvent::ParagraphEnd | WpdEvent::RowEnd | WpdEvent::TableEnd => {
                end(&mut style, &mut text);
            }
            _ => {}
        }
    }
    end(&mut style, &mut text);
    for paragraph in &mut out {
        paragraph.text = paragraph.text.trim_end_matches([' ', '\t']).to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(run: &str) -> WpdEvent {
        WpdEvent::Text(run.to_string())
    }

    #[test]
    fn headers_notes_and_comments_are_left_out() {
        let events = vec![
            WpdEvent::HeaderStart,
            text("PAGE HEADER"),
            WpdEvent::ParagraphEnd,
            WpdEvent::HeaderEnd,
            text("Dock strike ends"),
            WpdEvent::ParagraphEnd,
            text("Crews voted"),
            WpdEvent::NoteStart { endnote: false },
            text("a footnote"),
            WpdEvent::ParagraphEnd,
            WpdEvent::NoteEnd,
            WpdEvent::Space,
            text("on Tuesday."),
            WpdEvent::AsideStart {
                kind: "comment".to_string(),
            },
            text("check this"),
            WpdEvent::AsideEnd,
            WpdEvent::ParagraphEnd,
            WpdEvent::AsideStart {
                kind: "box".to_string(),
            },
            text("Sidebar text"),
            WpdEvent::ParagraphEnd,
            WpdEvent::AsideEnd,
        ];
        let got: Vec<String> = paragraphs(&events).into_iter().map(|p| p.text).collect();
        assert_eq!(
            got,
            [
                "Dock strike ends",
                "Crews voted on Tuesday.",
                "Sidebar text"
            ]
        );
    }

    #[test]
    fn a_table_row_is_one_line_with_its_cells_apart() {
        let cell = || WpdEvent::CellStart {
            column: -1,
            col_span: 1,
            row_span: 1,
        };
        let events = vec![
            WpdEvent::TableStart,
            WpdEvent::RowStart { header: false },
            cell(),
            text("Port"),
            WpdEvent::ParagraphEnd,
            WpdEvent::CellEnd,
            cell(),
            text("Tonnage"),
            WpdEvent::ParagraphEnd,
            WpdEvent::CellEnd,
            WpdEvent::RowEnd,
            WpdEvent::RowStart { header: false },
            cell(),
            text("Leith"),
            WpdEvent::ParagraphEnd,
            WpdEvent::CellEnd,
            WpdEvent::RowEnd,
            WpdEvent::TableEnd,
            WpdEvent::HeadingStart { level: 2 },
            text("After the table"),
            WpdEvent::ParagraphEnd,
        ];
        let got = paragraphs(&events);
        let texts: Vec<&str> = got.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["Port\tTonnage", "Leith", "After the table"]);
        assert_eq!(got[2].style, "Heading2");
    }

    #[test]
    fn other_files_are_not_taken_for_wordperfect() {
        assert!(sniff(b"\xFFWPC\x10\x00\x00\x00\x01\x0A\x00\x01"));
        assert!(!sniff(b"WPC plain text"));
        let damaged = b"\xFFWPC\x10\x00\x00\x00\x01\x0A\x00\x01\x00";
        assert!(parse(damaged).is_err());
    }

    #[test]
    fn the_raised_comma_between_latin_letters_is_an_apostrophe() {
        assert_eq!(apostrophes("President\u{313}s call"), "President’s call");
        assert_eq!(apostrophes("ἀ\u{313}"), "ἀ\u{313}");
        assert_eq!(apostrophes("plain"), "plain");
    }
}
