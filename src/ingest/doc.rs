//! Word 97–2003 documents (binary `.doc`, [MS-DOC]), as newsroom archives of
//! the years before `.docx` hold them: an OLE compound file (read with `cfb`)
//! whose `WordDocument` stream starts with the FIB, which says where the piece
//! table lies in the table stream (`0Table` or `1Table`). The pieces give the
//! document's characters in order, each run stored as UTF-16 or as Windows-1252
//! bytes. Only the main text is read (headers, footnotes, comments and text
//! boxes come after it); field codes are dropped and their results kept; Word's
//! marks become paragraphs, tabs and line breaks. The title, author and creation
//! time come from the `SummaryInformation` property set. The article is made as
//! `office` makes one from Word's newer files.
//!
//! Word 6 and 95 files have an older FIB and no table stream: their text is
//! 8-bit, in the code page of the document's language, in one run or in pieces
//! listed in the WordDocument stream. Older Word files, encrypted ones and
//! damaged ones each get one clear problem. Every offset read from the file is
//! checked, and the reader runs inside `catch_unwind` as the PDF reader does, so
//! a file that `cfb` cannot cope with is a problem, never a crash.

use std::borrow::Cow;
use std::io::{Cursor, Read};

use chrono::{DateTime, Utc};

use super::decode::codepage;
use super::office::{self, Paragraph};
use super::{Problem, Record};
use crate::article::Article;

/// The first bytes of an OLE compound file.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// The FIB's `wIdent` in a Word document.
const WORD_IDENT: u16 = 0xA5EC;
/// The FIB's `wIdent` in a Word 6 or 95 document.
const WORD_6_IDENT: u16 = 0xA5DC;
/// The lowest `nFib` of Word 97 (Word 6 and 95 files have lower ones).
const WORD_97_NFIB: u16 = 0x00C1;
/// The `nFib` of Word 6 (Word 95's are 104 and 105; Word 2's, 45, is older).
const WORD_6_NFIB: u16 = 101;

/// Whether bytes are an OLE compound file (Word, Excel and PowerPoint 97–2003,
/// Outlook messages…).
pub fn sniff(head: &[u8]) -> bool {
    head.starts_with(&OLE_MAGIC)
}

/// Reads a Word 97–2003 document.
pub fn parse(bytes: &[u8]) -> Record {
    guarded("Word document", || read(bytes), |problem| problem)
}

/// Runs the reader of an OLE file, a panic in it (in `cfb`, say) being a
/// problem with the file, handed to `failed`, rather than a crash.
pub(super) fn guarded<T>(
    what: &str,
    read: impl FnOnce() -> T + std::panic::UnwindSafe,
    failed: impl FnOnce(Record) -> T,
) -> T {
    std::panic::catch_unwind(read).unwrap_or_else(|panic| {
        failed(Err((
            Problem::Corrupt,
            format!(
                "the {what} reader failed on it ({})",
                crate::error::panic_message(panic.as_ref())
            ),
        )))
    })
}

fn read(bytes: &[u8]) -> Record {
    let corrupt = |detail: String| (Problem::Corrupt, detail);
    let mut file =
        open(bytes).map_err(|e| corrupt(format!("not a readable compound file: {e}")))?;
    let stream = |file: &mut Ole<'_>, name: &str| stream(file, name, bytes.len());
    let Some(word) = stream(&mut file, "/WordDocument") else {
        return Err((
            Problem::NoText,
            "no WordDocument stream: an Office file, but not a Word document".into(),
        ));
    };
    let fib = Fib::read(&word)?;
    let clx_in = |table: &[u8], (at, length): (u32, u32)| -> Result<Vec<Piece>, _> {
        let clx = table
            .get(at as usize..)
            .and_then(|rest| rest.get(..length as usize))
            .ok_or_else(|| corrupt("its piece table lies outside its stream".into()))?;
        pieces(clx, fib.eight_bit.is_some())
            .ok_or_else(|| corrupt("its piece table is damaged".into()))
    };
    let pieces = match fib.layout {
        Layout::Table { table_1, clx } => {
            let name = if table_1 { "/1Table" } else { "/0Table" };
            let table = stream(&mut file, name)
                .ok_or_else(|| corrupt(format!("its {} stream is missing", &name[1..])))?;
            clx_in(&table, clx)?
        }
        Layout::FastSaved { clx } => clx_in(&word, clx)?,
        Layout::Whole { at } => vec![Piece {
            start: 0,
            end: fib.text_chars,
            offset: at as usize,
            compressed: true,
        }],
    };
    let eight_bit = fib.eight_bit.unwrap_or(encoding_rs::WINDOWS_1252);
    let text = main_text(&word, &pieces, fib.text_chars, eight_bit);
    let properties = stream(&mut file, "/\u{5}SummaryInformation")
        .map(|data| summary(&data))
        .unwrap_or_default();
    office::article(paragraphs(&text), properties, "a Word document")
}

/// Opens the compound file. One whose allocation table reaches past its end (a
/// file cut short, or one whose writer left the last sectors out, which Word
/// and LibreOffice read) is read once more with the missing sectors as zeros,
/// up to 64 MB.
pub(super) fn open(bytes: &[u8]) -> std::io::Result<Ole<'_>> {
    let error = match cfb::CompoundFile::open(Cursor::new(Cow::Borrowed(bytes))) {
        Ok(file) => return Ok(file),
        Err(e) => e,
    };
    let header = |at: usize, width: usize| -> Option<u64> {
        let field = bytes.get(at..at + width)?;
        Some(field.iter().rev().fold(0, |n, &b| (n << 8) | u64::from(b)))
    };
    let sector = header(30, 2)
        .filter(|s| *s == 9 || *s == 12)
        .map(|s| 1u64 << s);
    let needed = sector
        .zip(header(44, 4))
        .map(|(sector, fat_sectors)| sector + fat_sectors * (sector / 4) * sector);
    match needed {
        Some(needed) if needed > bytes.len() as u64 && needed <= 64 << 20 => {
            let mut padded = bytes.to_vec();
            padded.resize(needed as usize, 0);
            cfb::CompoundFile::open(Cursor::new(Cow::Owned(padded))).map_err(|_| error)
        }
        _ => Err(error),
    }
}

/// An OLE compound file read from memory.
pub(super) type Ole<'a> = cfb::CompoundFile<Cursor<Cow<'a, [u8]>>>;

/// The stream at `path` of an OLE file of `size` bytes (a stream is never
/// longer than the file that holds it), if it has one that can be read.
pub(super) fn stream(file: &mut Ole<'_>, path: &str, size: usize) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut stream = file.open_stream(path).ok()?;
    (&mut stream)
        .take(size as u64)
        .read_to_end(&mut data)
        .ok()?;
    Some(data)
}

/// What the File Information Block says: where the text is.
struct Fib {
    /// Characters of main text (`ccpText`).
    text_chars: u32,
    layout: Layout,
    /// The code page of a Word 6 or 95 document's text (every piece is 8-bit);
    /// `None` for Word 97 and later, whose 8-bit pieces are Windows-1252.
    eight_bit: Option<&'static encoding_rs::Encoding>,
}

/// Where a document's characters are.
enum Layout {
    /// Word 97 and later: the piece table (`fcClx`, `lcbClx`) in the table
    /// stream, `1Table` or `0Table`.
    Table { table_1: bool, clx: (u32, u32) },
    /// Word 6 and 95 saved fast: the piece table in the WordDocument stream.
    FastSaved { clx: (u32, u32) },
    /// Word 6 and 95 saved whole: the text in one run from byte `at` (`fcMin`).
    Whole { at: u32 },
}

impl Fib {
    fn read(word: &[u8]) -> std::result::Result<Fib, (Problem, String)> {
        let u16_at = |at: usize| u16_at(word, at);
        let damaged = || (Problem::Corrupt, "its header (FIB) is damaged".to_string());
        let version = u16_at(2).ok_or_else(damaged)?;
        let ident = u16_at(0);
        if ident != Some(WORD_IDENT) && ident != Some(WORD_6_IDENT) {
            return Err(damaged());
        }
        if version < WORD_6_NFIB {
            return Err((
                Problem::NoText,
                format!(
                    "a Word document older than Word 6 (nFib {version}), which is not read: save it as .docx"
                ),
            ));
        }
        let flags = u16_at(0x0A).ok_or_else(damaged)?;
        if flags & 0x0100 != 0 {
            return Err((
                Problem::NoText,
                "encrypted with a password, so its text cannot be read".into(),
            ));
        }
        if version < WORD_97_NFIB {
            Fib::word_6(word, flags).ok_or_else(damaged)
        } else {
            Fib::word_97(word, flags).ok_or_else(damaged)
        }
    }

    /// Word 97 and later: FibBase (32 bytes), then three arrays, each after its
    /// length: 16-bit values, 32-bit values (the fourth is ccpText), then offset
    /// and length pairs (the 34th is the piece table's).
    fn word_97(word: &[u8], flags: u16) -> Option<Fib> {
        let shorts = usize::from(u16_at(word, 32)?);
        let longs_at = 34 + shorts * 2;
        let longs = usize::from(u16_at(word, longs_at)?);
        let text_chars = u32_at(word, longs_at + 2 + 3 * 4)?;
        let pairs_at = longs_at + 2 + longs * 4;
        let pairs = usize::from(u16_at(word, pairs_at)?);
        if longs < 4 || pairs < 34 {
            return None;
        }
        let clx_at = pairs_at + 2 + 33 * 8;
        Some(Fib {
            text_chars,
            layout: Layout::Table {
                table_1: flags & 0x0200 != 0,
                clx: (u32_at(word, clx_at)?, u32_at(word, clx_at + 4)?),
            },
            eight_bit: None,
        })
    }

    /// Word 6 and 95: a fixed header. The text is 8-bit, in the code page of
    /// the document's language (`lid`), or Mac Roman when `chse` says so; one
    /// run from `fcMin`, or pieces when saved fast (`fComplex`).
    fn word_6(word: &[u8], flags: u16) -> Option<Fib> {
        let mac = u16_at(word, 0x14)? == 256;
        let page = if mac {
            10000
        } else {
            windows_code_page(u16_at(word, 0x06)?)
        };
        let layout = if flags & 0x0004 != 0 {
            Layout::FastSaved {
                clx: (u32_at(word, 0x160)?, u32_at(word, 0x164)?),
            }
        } else {
            Layout::Whole {
                at: u32_at(word, 0x18)?,
            }
        };
        Some(Fib {
            text_chars: u32_at(word, 0x34)?,
            layout,
            eight_bit: codepage(page),
        })
    }
}

/// The Windows code page of text in a language (a Windows language id).
fn windows_code_page(lid: u16) -> i32 {
    match (lid & 0x3FF, lid) {
        (0x11, _) => 932,
        (0x04, 0x0404 | 0x0C04 | 0x1404) => 950,
        (0x04, _) => 936,
        (0x12, _) => 949,
        (0x1E, _) => 874,
        (0x05 | 0x0E | 0x15 | 0x18 | 0x1B | 0x1C | 0x24, _) | (0x1A, 0x041A | 0x101A) => 1250,
        (0x02 | 0x19 | 0x1A | 0x22 | 0x23 | 0x2F, _) => 1251,
        (0x08, _) => 1253,
        (0x1F, _) => 1254,
        (0x0D, _) => 1255,
        (0x01 | 0x20 | 0x29, _) => 1256,
        (0x25..=0x27, _) => 1257,
        (0x2A, _) => 1258,
        _ => 1252,
    }
}

/// One run of text: the characters `start..end` (character positions), stored
/// from byte `offset` of the WordDocument stream, one byte each when
/// `compressed` (Windows-1252), else two (UTF-16).
#[derive(Debug, PartialEq)]
struct Piece {
    start: u32,
    end: u32,
    offset: usize,
    compressed: bool,
}

/// The pieces of a `Clx`: property runs (`0x01`, skipped), then the piece
/// table (`0x02`): n + 1 character positions, then n 8-byte descriptors. In a
/// Word 6 or 95 document (`eight_bit`) every piece is 8-bit at its offset.
fn pieces(clx: &[u8], eight_bit: bool) -> Option<Vec<Piece>> {
    let mut at = 0;
    while *clx.get(at)? == 0x01 {
        let size = u16_at(clx, at + 1)?;
        at += 3 + usize::from(size);
    }
    if *clx.get(at)? != 0x02 {
        return None;
    }
    let size = u32_at(clx, at + 1)? as usize;
    let table = clx.get(at + 5..)?.get(..size)?;
    if size < 4 || !(size - 4).is_multiple_of(12) {
        return None;
    }
    let count = (size - 4) / 12;
    let u32_at = |i: usize| u32_at(table, i);
    (0..count)
        .map(|i| {
            let fc = u32_at((count + 1) * 4 + i * 8 + 2)?;
            let compressed = eight_bit || fc & 0x4000_0000 != 0;
            let offset = match eight_bit {
                true => fc,
                false if compressed => (fc & 0x3FFF_FFFF) / 2,
                false => fc & 0x3FFF_FFFF,
            };
            Some(Piece {
                start: u32_at(i * 4)?,
                end: u32_at(i * 4 + 4)?,
                offset: offset as usize,
                compressed,
            })
        })
        .collect()
}

/// The main text (the first `text_chars` characters), field codes dropped;
/// 8-bit pieces in `eight_bit`. Pieces that claim more characters than the
/// stream holds bytes (they would have to overlap) are read only that far, so a
/// hostile table cannot make the text outgrow the file.
fn main_text(
    word: &[u8],
    pieces: &[Piece],
    text_chars: u32,
    eight_bit: &'static encoding_rs::Encoding,
) -> String {
    let mut raw = String::new();
    let mut left = (text_chars as usize).min(word.len());
    for piece in pieces {
        if piece.start >= text_chars || left == 0 {
            break;
        }
        let chars = (piece.end.min(text_chars).saturating_sub(piece.start) as usize).min(left);
        left -= chars;
        let width = if piece.compressed { 1 } else { 2 };
        let Some(bytes) = word
            .get(piece.offset..)
            .map(|rest| &rest[..rest.len().min(chars * width)])
        else {
            continue;
        };
        if piece.compressed {
            raw.push_str(&eight_bit.decode_without_bom_handling(bytes).0);
        } else {
            raw.push_str(&utf16le(bytes));
        }
    }
    without_field_codes(&raw)
}

/// Keeps a field's result (between `0x14` and `0x15`) and drops its code
/// (between `0x13` and `0x14`, or to `0x15` when it has no result); fields nest.
fn without_field_codes(raw: &str) -> String {
    // For each open field: whether its result has begun.
    let mut open: Vec<bool> = Vec::new();
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\u{13}' => open.push(false),
            '\u{14}' => {
                if let Some(result) = open.last_mut() {
                    *result = true;
                }
            }
            '\u{15}' => {
                open.pop();
            }
            _ if open.iter().all(|&result| result) => out.push(c),
            _ => {}
        }
    }
    out
}

/// The paragraphs of Word's text: `\r` ends a paragraph, a cell mark (`0x07`)
/// ends a cell, and two in a row a table row (read as one line of cells);
/// `0x0B` is a line break, `0x0C` a page or section break; the optional hyphen,
/// object anchors and other marks are dropped.
fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut line = String::new();
    let mut chars = text.chars().peekable();
    // Empty paragraphs are not kept: a file of nothing but marks stays small.
    let mut end = |line: &mut String| {
        let text = std::mem::take(line);
        if !text.trim().is_empty() {
            out.push(Paragraph {
                style: String::new(),
                text: text.trim_end_matches('\t').to_string(),
            });
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\u{0C}' => end(&mut line),
            '\u{07}' if chars.peek() == Some(&'\u{07}') => {
                chars.next();
                end(&mut line);
            }
            '\u{07}' | '\t' => line.push('\t'),
            '\u{0B}' => line.push('\n'),
            '\u{1E}' => line.push('-'),
            '\u{A0}' => line.push(' '),
            c if c < ' ' => {}
            c => line.push(c),
        }
    }
    end(&mut line);
    out
}

/// The title, author and creation time of a `SummaryInformation` property set
/// (nothing from a damaged one).
fn summary(data: &[u8]) -> Article {
    let u16_at = |at: usize| u16_at(data, at);
    let u32_at = |at: usize| u32_at(data, at);
    let properties = || -> Option<Vec<(u32, usize)>> {
        // The stream header (28 bytes), then the first set's FMTID and offset.
        let set = u32_at(28 + 16)? as usize;
        let count = (u32_at(set + 4)? as usize).min(1024);
        (0..count)
            .map(|i| {
                Some((
                    u32_at(set + 8 + i * 8)?,
                    set + u32_at(set + 12 + i * 8)? as usize,
                ))
            })
            .collect()
    };
    let Some(properties) = properties() else {
        return Article::default();
    };
    let at = |id: u32| properties.iter().find(|(pid, _)| *pid == id).map(|p| p.1);
    // PID_CODEPAGE (1): a VT_I2 with the code page of the strings.
    let encoding = at(1)
        .and_then(|p| u16_at(p + 4))
        .and_then(|cp| codepage(i32::from(cp)))
        .unwrap_or(encoding_rs::WINDOWS_1252);
    let string = |id: u32| -> Option<String> {
        let p = at(id)?;
        // VT_LPSTR (30): a length, then the bytes with a closing NUL.
        if u32_at(p)? != 30 {
            return None;
        }
        let length = u32_at(p + 4)? as usize;
        let bytes = data.get(p + 8..)?.get(..length.min(4096))?;
        let text = encoding.decode_without_bom_handling(bytes).0;
        let text = text.trim_end_matches('\0').trim().to_string();
        (!text.is_empty()).then_some(text)
    };
    let created = at(12).and_then(|p| {
        // VT_FILETIME (64): 100-nanosecond ticks since 1601.
        if u32_at(p)? != 64 {
            return None;
        }
        filetime(data, p + 4)
    });
    Article {
        title: string(2).unwrap_or_default(),
        author: string(4),
        date: created,
        ..Article::default()
    }
}

/// The Windows FILETIME at `at` (100-nanosecond ticks since 1601), as a time
/// (none for zero or a time before 1970).
pub(super) fn filetime(bytes: &[u8], at: usize) -> Option<DateTime<Utc>> {
    let low = u64::from(u32_at(bytes, at)?);
    let high = u64::from(u32_at(bytes, at.checked_add(4)?)?);
    let ticks = (high << 32) | low;
    let unix_seconds = (ticks / 10_000_000).checked_sub(11_644_473_600)?;
    DateTime::<Utc>::from_timestamp(i64::try_from(unix_seconds).ok()?, 0)
}

/// UTF-16LE text (a last odd byte dropped; unpaired surrogates as U+FFFD).
pub(super) fn utf16le(bytes: &[u8]) -> String {
    let whole = &bytes[..bytes.len() & !1];
    encoding_rs::UTF_16LE
        .decode_without_bom_handling(whole)
        .0
        .into_owned()
}

/// The little-endian 16-bit number at `at`, if the bytes reach that far.
fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

/// The little-endian 32-bit number at `at`, if the bytes reach that far.
pub(super) fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_codes_go_and_their_results_stay() {
        let raw =
            "see \u{13} HYPERLINK \"https://x\" \u{14}the minutes\u{15}, and \u{13}PAGE\u{15}.";
        assert_eq!(without_field_codes(raw), "see the minutes, and .");
        let nested = "a\u{13}IF \u{13}DATE\u{14}2003\u{15} \u{14}yes\u{15}b";
        assert_eq!(without_field_codes(nested), "ayesb");
    }

    #[test]
    fn word_marks_become_paragraphs_cells_and_breaks() {
        let got: Vec<String> = paragraphs("Head\rRoute\u{7}Departures\u{7}\u{7}Skerry\u{7}6\u{7}\u{7}a\u{b}b\u{1f}c\u{1e}d\u{1}\u{c}end")
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(
            got,
            ["Head", "Route\tDepartures", "Skerry\t6", "a\nbc-d", "end"]
        );
    }

    #[test]
    fn the_piece_table_is_read_and_checked() {
        // A property run, then two pieces: 5 compressed characters at byte 0x800,
        // 3 UTF-16 characters at byte 0x900.
        let mut clx = vec![0x01, 2, 0, 0xAA, 0xBB, 0x02];
        clx.extend(28u32.to_le_bytes());
        for cp in [0u32, 5, 8] {
            clx.extend(cp.to_le_bytes());
        }
        for fc in [0x1000u32 | 0x4000_0000, 0x900] {
            clx.extend([0, 0]);
            clx.extend(fc.to_le_bytes());
            clx.extend([0, 0]);
        }
        let got = pieces(&clx, false).unwrap();
        assert_eq!(
            got,
            [
                Piece {
                    start: 0,
                    end: 5,
                    offset: 0x800,
                    compressed: true
                },
                Piece {
                    start: 5,
                    end: 8,
                    offset: 0x900,
                    compressed: false
                },
            ]
        );
        let mut word = vec![0u8; 0x910];
        word[0x800..0x805].copy_from_slice(b"caf\xe9 ");
        for (i, unit) in "日本\r".encode_utf16().enumerate() {
            word[0x900 + 2 * i..0x902 + 2 * i].copy_from_slice(&unit.to_le_bytes());
        }
        let latin = encoding_rs::WINDOWS_1252;
        assert_eq!(main_text(&word, &got, 8, latin), "café 日本\r");
        assert_eq!(
            main_text(&word, &got, 3, latin),
            "caf",
            "only the main text"
        );
        // Word 6 and 95 pieces are all 8-bit, at their offsets as written.
        let six = pieces(&clx, true).unwrap();
        assert_eq!((six[0].offset, six[0].compressed), (0x4000_1000, true));
        assert_eq!((six[1].offset, six[1].compressed), (0x900, true));
        // Overlapping pieces read no more characters than the stream has bytes.
        let overlapping: Vec<Piece> = (0..100)
            .map(|i| Piece {
                start: i * 0x900,
                end: (i + 1) * 0x900,
                offset: 0,
                compressed: true,
            })
            .collect();
        assert_eq!(
            main_text(&word, &overlapping, u32::MAX, latin)
                .chars()
                .count(),
            word.len()
        );
        // Pieces past the stream's end read what there is.
        let far = [Piece {
            start: 0,
            end: 9,
            offset: 0x90C,
            compressed: false,
        }];
        assert_eq!(main_text(&word, &far, 9, latin), "\0\0");
        for broken in [
            &clx[..clx.len() - 1],
            &[0x01, 0xFF, 0xFF][..],
            &[0x03][..],
            &[][..],
        ] {
            assert_eq!(pieces(broken, false), None);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, failure_persistence: None, ..Default::default() })]
        #[test]
        fn damaged_documents_are_read_without_a_panic(
            flips in proptest::collection::vec((0usize..11264, proptest::prelude::any::<u8>()), 1..8),
            cut in proptest::option::of(512usize..11264),
        ) {
            let mut bytes = include_bytes!("../../tests/formats/word/story.doc").to_vec();
            for (at, value) in flips {
                bytes[at] = value;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut);
            }
            let _ = read(&bytes);
        }
    }

    #[test]
    fn random_bytes_are_a_problem_not_a_panic() {
        let mut bytes = OLE_MAGIC.to_vec();
        bytes.resize(4096, 0xAB);
        assert!(parse(&bytes).is_err());
        assert!(parse(&OLE_MAGIC).is_err());
    }
}
