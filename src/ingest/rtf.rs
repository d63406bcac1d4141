//! Rich Text Format (`.rtf`, and RTF under any name: Word, WordPad, TextEdit,
//! newsroom systems, the exports of news databases): the text of the document
//! body paragraph by paragraph (a table row as a line of cells, tabs and line
//! breaks kept), made an article as `office` makes one, with the `\info` group's
//! title, author and creation time. Characters come from `\uN` (with its ANSI
//! fallback skipped), or from `\'hh` bytes in the code page of the font in use
//! (`\fcharset`, `\cpg`) or of the document (`\ansicpg`, `\mac`). Font, colour
//! and style tables, pictures, embedded objects, headers, footers, footnotes,
//! comments, field instructions (a link's result text is kept), list numbers and
//! every `\*` destination are left out.
//!
//! The reader is a loop over the characters with a stack of group states, never
//! recursion, so a file of a million nested braces costs memory in proportion to
//! its size and nothing more.

use std::collections::HashMap;

use chrono::{NaiveDate, TimeZone, Utc};
use encoding_rs::Encoding;

use super::Record;
use super::decode::codepage;
use super::office::{self, Paragraph};
use crate::article::Article;

/// Do the bytes open as an RTF document?
pub fn sniff(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    head.trim_ascii_start().starts_with(b"{\\rtf")
}

/// Reads an RTF document from its bytes: RTF says its own code pages, so the
/// bytes are not decoded first (and `\bin` lengths count bytes). Bytes above
/// ASCII outside an escape are read as UTF-8 when the whole file is UTF-8 (as
/// some generators write it), else in the code page in use, as `\'hh` is.
pub fn read(bytes: &[u8]) -> Record {
    let mut reader = Reader {
        utf8: std::str::from_utf8(bytes).is_ok(),
        ..Reader::default()
    };
    reader.run(bytes);
    reader.end_paragraph();
    let properties = Article {
        title: reader.info.title.trim().to_string(),
        author: Some(reader.info.author.trim().to_string()).filter(|a| !a.is_empty()),
        date: reader.info.created(),
        ..Article::default()
    };
    office::article(reader.paragraphs, properties, "an RTF document")
}

/// Where a group's text goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dest {
    /// The document's text.
    Body,
    /// The font table: font numbers and their character sets.
    Fonts,
    /// The style sheet.
    Styles,
    /// One style of the style sheet: its name.
    Style,
    /// The `\info` group.
    Info,
    Title,
    Author,
    Created,
    /// Anything not read: the text is dropped.
    Skipped,
}

/// The state a group opens with, and restores when it closes.
#[derive(Debug, Clone, Copy)]
struct Group {
    dest: Dest,
    /// Characters to skip after `\uN` (`\ucN`).
    fallback: usize,
    /// The font in use, whose character set reads `\'hh` bytes.
    font: Option<i32>,
    /// An `\upr` group: its text comes twice, in ANSI and in its `\*\ud`
    /// group in Unicode, and only the latter is read.
    upr: bool,
}

/// The `\info` group's values.
#[derive(Default)]
struct Info {
    title: String,
    author: String,
    /// `\yr`, `\mo`, `\dy`, `\hr`, `\min` of `\creatim`.
    created: [Option<i32>; 5],
}

impl Info {
    fn created(&self) -> Option<chrono::DateTime<Utc>> {
        let [year, month, day, hour, minute] = self.created;
        let date = NaiveDate::from_ymd_opt(year?, month? as u32, day? as u32)?;
        let time = date.and_hms_opt(hour.unwrap_or(0) as u32, minute.unwrap_or(0) as u32, 0)?;
        Utc.from_local_datetime(&time).single()
    }
}

struct Reader {
    /// The whole file is UTF-8: bytes above ASCII are its characters.
    utf8: bool,
    group: Group,
    stack: Vec<Group>,
    /// The document's code page (`\ansicpg`).
    codepage: &'static Encoding,
    /// Each font's character set, from the font table.
    fonts: HashMap<i32, &'static Encoding>,
    /// The default font (`\deff`).
    default_font: Option<i32>,
    /// The font being defined in the font table.
    defining_font: i32,
    /// The style being defined in the style sheet, and its name so far.
    defining_style: (i32, String),
    /// Style numbers and names.
    styles: HashMap<i32, String>,
    /// The paragraph's style (`\sN`; 0 after `\pard`).
    style: i32,
    /// `\'hh` bytes not decoded yet (a double-byte character comes as two).
    pending: Vec<u8>,
    /// The high half of a UTF-16 surrogate pair given by `\uN`.
    high_surrogate: Option<u16>,
    /// Characters still to skip after `\uN`.
    skipping: usize,
    text: String,
    paragraphs: Vec<Paragraph>,
    info: Info,
}

impl Default for Reader {
    fn default() -> Reader {
        Reader {
            utf8: false,
            group: Group {
                dest: Dest::Body,
                fallback: 1,
                font: None,
                upr: false,
            },
            stack: Vec::new(),
            codepage: encoding_rs::WINDOWS_1252,
            fonts: HashMap::new(),
            default_font: None,
            defining_font: 0,
            defining_style: (0, String::new()),
            styles: HashMap::new(),
            style: 0,
            pending: Vec::new(),
            high_surrogate: None,
            skipping: 0,
            text: String::new(),
            paragraphs: Vec::new(),
            info: Info::default(),
        }
    }
}

impl Reader {
    fn run(&mut self, bytes: &[u8]) {
        let mut at = 0;
        // The document is one group: what follows its end is not read.
        while at < bytes.len() {
            match bytes[at] {
                b'{' => {
                    self.flush();
                    self.skipping = 0;
                    self.stack.push(self.group);
                    if std::mem::take(&mut self.group.upr) {
                        self.group.dest = Dest::Skipped;
                    }
                    if self.group.dest == Dest::Styles {
                        self.group.dest = Dest::Style;
                        self.defining_style = (0, String::new());
                    }
                    at += 1;
                }
                b'}' => {
                    self.flush();
                    self.skipping = 0;
                    if self.group.dest == Dest::Style {
                        let (number, name) = std::mem::take(&mut self.defining_style);
                        let name = name.trim().trim_end_matches(';').trim().to_string();
                        self.styles.entry(number).or_insert(name);
                    }
                    match self.stack.pop() {
                        Some(outer) => self.group = outer,
                        None => return,
                    }
                    if self.stack.is_empty() {
                        return;
                    }
                    at += 1;
                }
                b'\\' => at = self.control(bytes, at),
                b'\r' | b'\n' => at += 1,
                byte if byte.is_ascii() => {
                    self.char(char::from(byte));
                    at += 1;
                }
                byte => at = self.raw(bytes, at, byte),
            }
        }
        self.flush();
    }

    /// A byte above ASCII in the text: a UTF-8 character, or a byte in the code
    /// page in use.
    fn raw(&mut self, bytes: &[u8], at: usize, byte: u8) -> usize {
        if !self.utf8 {
            self.byte(byte);
            return at + 1;
        }
        let length = utf8_length(byte);
        let c = bytes
            .get(at..at + length)
            .and_then(|b| std::str::from_utf8(b).ok())
            .and_then(|s| s.chars().next())
            .unwrap_or('\u{fffd}');
        self.char(c);
        at + length.max(1)
    }

    /// A byte to decode in the code page in use (`\'hh`, or a raw one).
    fn byte(&mut self, byte: u8) {
        if self.skipping > 0 {
            self.skipping -= 1;
        } else if self.group.dest != Dest::Skipped {
            self.pending.push(byte);
        }
    }

    /// Reads the control word or symbol at `at`; returns where the next token starts.
    fn control(&mut self, bytes: &[u8], at: usize) -> usize {
        let Some(&first) = bytes.get(at + 1) else {
            return at + 1;
        };
        if !first.is_ascii_alphabetic() {
            return self.symbol(bytes, at, first);
        }
        let letters = bytes[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let letters_end = at + 1 + letters;
        let word = std::str::from_utf8(&bytes[at + 1..letters_end]).unwrap_or_default();
        let mut end = letters_end;
        if bytes.get(end) == Some(&b'-') {
            end += 1;
        }
        let digits_end = end
            + bytes[end..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
        let parameter = if digits_end > end {
            // Too long a number is no number (RTF's are 16 or 32 bits).
            std::str::from_utf8(&bytes[letters_end..digits_end])
                .ok()
                .and_then(|n| n.parse::<i32>().ok())
        } else {
            None
        };
        let mut next = if digits_end > end {
            digits_end
        } else {
            letters_end
        };
        if bytes.get(next) == Some(&b' ') {
            next += 1;
        }
        if word == "bin" {
            // Raw bytes follow: skipped whole (as many as there are).
            let length = parameter.unwrap_or(0).max(0) as usize;
            return next.saturating_add(length).min(bytes.len());
        }
        if self.skipping > 0 && self.group.dest != Dest::Skipped {
            self.skipping -= 1;
            return next;
        }
        self.word(word, parameter);
        next
    }

    /// A control symbol: `\` and one character that is not a letter.
    fn symbol(&mut self, bytes: &[u8], at: usize, symbol: u8) -> usize {
        if symbol == b'\'' {
            let byte = bytes
                .get(at + 2..at + 4)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok());
            return match byte {
                Some(byte) => {
                    self.byte(byte);
                    at + 4
                }
                None => at + 2,
            };
        }
        let next = at
            + 1
            + if self.utf8 {
                utf8_length(symbol).max(1)
            } else {
                1
            };
        if self.skipping > 0 {
            self.skipping -= 1;
            return next;
        }
        match symbol {
            b'\\' | b'{' | b'}' => self.char(char::from(symbol)),
            b'~' => self.char('\u{a0}'),
            b'_' => self.char('-'),
            b'\r' | b'\n' => self.end_paragraph(),
            // `\*` marks a destination only where a group opens: `{\*\name …}`.
            b'*' if bytes[..at].trim_ascii_end().ends_with(b"{") => {
                self.group.dest = Dest::Skipped;
            }
            // `\-` (an optional hyphen), `\:`, `\|` and others: nothing to read.
            _ => {}
        }
        next
    }

    /// A control word with its parameter, if it has one.
    fn word(&mut self, word: &str, parameter: Option<i32>) {
        if word == "ud" {
            // The Unicode half of an `\upr` group: read where the group's text goes.
            if let Some(outer) = self
                .stack
                .last()
                .filter(|g| g.upr || g.dest != Dest::Skipped)
            {
                self.group.dest = outer.dest;
            }
            return;
        }
        let dest = self.group.dest;
        if dest == Dest::Skipped {
            return;
        }
        let value = parameter.unwrap_or(0);
        match (dest, word) {
            (_, "upr") => self.group.upr = true,
            (Dest::Fonts, "f") => self.defining_font = value,
            (Dest::Fonts, "fcharset") => {
                if let Some(encoding) = charset(value) {
                    self.fonts.insert(self.defining_font, encoding);
                }
            }
            (Dest::Fonts, "cpg") => {
                if let Some(encoding) = codepage(value) {
                    self.fonts.insert(self.defining_font, encoding);
                }
            }
            (Dest::Style, "s") => self.defining_style.0 = value,
            (Dest::Style, "cs" | "ds" | "ts" | "tsrowd") => self.group.dest = Dest::Skipped,
            (Dest::Info, "title") => self.group.dest = Dest::Title,
            (Dest::Info, "author") => self.group.dest = Dest::Author,
            (Dest::Info, "creatim") => self.group.dest = Dest::Created,
            (Dest::Info, _) => {
                if is_destination(word) {
                    self.group.dest = Dest::Skipped;
                }
            }
            (Dest::Created, _) => {
                let slot = ["yr", "mo", "dy", "hr", "min"]
                    .iter()
                    .position(|w| *w == word);
                if let Some(slot) = slot {
                    self.info.created[slot] = parameter;
                }
            }
            (_, "fonttbl") => self.group.dest = Dest::Fonts,
            (_, "stylesheet") => self.group.dest = Dest::Styles,
            (_, "info") => self.group.dest = Dest::Info,
            (_, "ansicpg") => {
                if let Some(encoding) = codepage(value) {
                    self.codepage = encoding;
                }
            }
            (_, "mac") => self.codepage = encoding_rs::MACINTOSH,
            (_, "deff") => self.default_font = parameter,
            (_, "f") => {
                self.flush();
                self.group.font = parameter;
            }
            (_, "uc") => self.group.fallback = value.clamp(0, 16) as usize,
            (_, "u") => self.unicode(value),
            (Dest::Body, _) => self.body_word(word, value),
            (_, _) => {
                if is_destination(word) {
                    self.group.dest = Dest::Skipped;
                }
            }
        }
    }

    /// A control word of the document's text.
    fn body_word(&mut self, word: &str, value: i32) {
        match word {
            "par" | "sect" | "page" | "row" | "nestrow" => self.end_paragraph(),
            "pard" => self.style = 0,
            "s" => self.style = value,
            "line" => self.char('\n'),
            "tab" | "cell" | "nestcell" => self.char('\t'),
            "emdash" => self.char('—'),
            "endash" => self.char('–'),
            "emspace" | "enspace" | "qmspace" => self.char(' '),
            "lquote" => self.char('‘'),
            "rquote" => self.char('’'),
            "ldblquote" => self.char('“'),
            "rdblquote" => self.char('”'),
            "bullet" => self.char('•'),
            _ if is_destination(word) => self.group.dest = Dest::Skipped,
            _ => {}
        }
    }

    /// `\uN`: a UTF-16 unit (negative numbers stand for those above 32767), then
    /// its fallback skipped.
    fn unicode(&mut self, value: i32) {
        let unit = value.rem_euclid(65536) as u16;
        match (self.high_surrogate.take(), unit) {
            (_, 0xD800..=0xDBFF) => self.high_surrogate = Some(unit),
            (Some(high), 0xDC00..=0xDFFF) => {
                let c = char::decode_utf16([high, unit]).next().and_then(|r| r.ok());
                self.char(c.unwrap_or('\u{fffd}'));
            }
            (_, unit) => self.char(char::from_u32(u32::from(unit)).unwrap_or('\u{fffd}')),
        }
        self.skipping = self.group.fallback;
    }

    /// A character of text, where the group's text goes.
    fn char(&mut self, c: char) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        self.flush();
        self.put(c);
    }

    fn put(&mut self, c: char) {
        match self.group.dest {
            Dest::Body => self.text.push(c),
            Dest::Style => self.defining_style.1.push(c),
            Dest::Title => self.info.title.push(c),
            Dest::Author => self.info.author.push(c),
            _ => {}
        }
    }

    /// Decodes the pending `\'hh` bytes in the code page of the font in use.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let font = self.group.font.or(self.default_font);
        let encoding = font
            .and_then(|f| self.fonts.get(&f).copied())
            .unwrap_or(self.codepage);
        let bytes = std::mem::take(&mut self.pending);
        let (decoded, _, _) = encoding.decode(&bytes);
        for c in decoded.chars() {
            self.put(c);
        }
    }

    fn end_paragraph(&mut self) {
        self.flush();
        if self.group.dest != Dest::Body {
            return;
        }
        let text = std::mem::take(&mut self.text);
        // Empty paragraphs are not kept: a file of nothing but `\par` stays small.
        if text.trim().is_empty() {
            return;
        }
        let style = self.styles.get(&self.style).cloned().unwrap_or_default();
        self.paragraphs.push(Paragraph {
            style,
            text: text.replace('\u{a0}', " "),
        });
    }
}

/// The length of the UTF-8 sequence a byte starts.
fn utf8_length(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    }
}

/// Control words that open a group whose text is not the document's.
fn is_destination(word: &str) -> bool {
    matches!(
        word,
        "colortbl"
            | "pict"
            | "object"
            | "objdata"
            | "header"
            | "headerl"
            | "headerr"
            | "headerf"
            | "footer"
            | "footerl"
            | "footerr"
            | "footerf"
            | "footnote"
            | "annotation"
            | "atnid"
            | "atnauthor"
            | "fldinst"
            | "themedata"
            | "colorschememapping"
            | "latentstyles"
            | "datastore"
            | "listtable"
            | "list"
            | "listname"
            | "listlevel"
            | "leveltext"
            | "levelnumbers"
            | "listoverride"
            | "lfolevel"
            | "listoverridetable"
            | "listtext"
            | "pntext"
            | "pntxta"
            | "pntxtb"
            | "revtbl"
            | "rsidtbl"
            | "xmlnstbl"
            | "filetbl"
            | "pgdsctbl"
            | "private"
            | "nonshppict"
            | "shpinst"
            | "sp"
            | "operator"
            | "company"
            | "manager"
            | "category"
            | "keywords"
            | "comment"
            | "doccomm"
            | "subject"
            | "hlinkbase"
            | "template"
            | "revtim"
            | "printim"
            | "buptim"
            | "generator"
            | "xe"
            | "tc"
            | "txe"
            | "bkmkstart"
            | "bkmkend"
    )
}

/// The encoding of a font's `\fcharset` (Windows' character set numbers).
fn charset(number: i32) -> Option<&'static Encoding> {
    codepage(match number {
        77 => 10000,
        128 => 932,
        129 => 949,
        134 => 936,
        136 => 950,
        161 => 1253,
        162 => 1254,
        163 => 1258,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        // 0 (ANSI), 1 (the default) and the symbol sets: the document's code page.
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(rtf: &str) -> Record {
        super::read(rtf.as_bytes())
    }

    fn body(rtf: &str) -> String {
        read(rtf).unwrap().body
    }

    #[test]
    fn a_wordpad_document() {
        let rtf = r"{\rtf1\ansi\ansicpg1252\deff0\nouicompat{\fonttbl{\f0\fnil\fcharset0 Calibri;}}
{\*\generator Riched20 10.0.19041}\viewkind4\uc1
\pard\sa200\sl276\slmult1\f0\fs22\lang9 Ferry back in service\par
The ferry to the island runs again from Monday, the harbour office said.\par
Tickets cost \'a312.\par
}";
        let got = read(rtf).unwrap();
        assert_eq!(got.title, "Ferry back in service");
        assert_eq!(
            got.body,
            "The ferry to the island runs again from Monday, the harbour office said.\n\nTickets cost £12."
        );
    }

    #[test]
    fn word_properties_styles_and_unicode() {
        let rtf = r#"{\rtf1\adeflang1025\ansi\ansicpg1252\uc1\deff0{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f1\fswiss\fcharset204 Arial Cyr;}}
{\stylesheet{\ql \f0 \snext0 Normal;}{\s15\ql \b\fs56 \sbasedon0 \snext0 \slink16 Title;}{\*\cs10 \additive Default Paragraph Font;}}
{\info{\title Harbour report}{\author Sam Writer}{\operator Night Editor}{\creatim\yr2024\mo3\dy4\hr10\min5}{\revtim\yr2024\mo3\dy5}}
{\header \pard Page header text\par}
\pard\plain Kicker line\par
\pard\plain \s15 Harbour freezes over\par
\pard\plain The \u8220\'93caf\u233\'e9\u8221\'94 by the quay \endash  closed{\footnote \pard A footnote body\par}.\par
{\f1 \'cf\'f0\'e8\'e2\'e5\'f2}\tab {\field{\*\fldinst HYPERLINK "https://example.org"}{\fldrslt link text}}\par
\trowd a\cell b\cell\row
}"#;
        let got = read(rtf).unwrap();
        assert_eq!(got.title, "Harbour report");
        assert_eq!(got.author.as_deref(), Some("Sam Writer"));
        assert_eq!(got.date.unwrap().to_rfc3339(), "2024-03-04T10:05:00+00:00");
        assert_eq!(
            got.body,
            "Kicker line\n\nHarbour freezes over\n\nThe “café” by the quay – closed.\n\nПривет\tlink text\n\na\tb"
        );
    }

    #[test]
    fn the_title_paragraph_heads_a_document_without_a_title_property() {
        let rtf = r"{\rtf1\ansi{\stylesheet{\s0 Normal;}{\s2 Title;}}\pard Kicker\par\pard\s2 Dock strike ends\par\pard By Jane Reporter\par\pard Crews voted.\par}";
        let got = read(rtf).unwrap();
        assert_eq!(got.title, "Dock strike ends");
        assert_eq!(got.author.as_deref(), Some("Jane Reporter"));
        assert_eq!(got.body, "Kicker\n\nCrews voted.");
    }

    #[test]
    fn escapes_surrogates_and_binary_data() {
        assert_eq!(
            body(r"{\rtf1 Head\par a \{b\} c\\d e\~f g\-h i\_j\line k}"),
            "a {b} c\\d e f gh i-j\nk"
        );
        // A character above U+FFFF, as Word writes it; `\uc0` has no fallback.
        assert_eq!(
            body(r"{\rtf1 Head\par \uc1\u-10179?\u-8704?ok \uc0\u233 x}"),
            "😀ok éx"
        );
        // `\bin` data is skipped however it looks, braces included.
        assert_eq!(body("{\\rtf1 Head\\par a{\\pict\\bin5 }{x\\}} b}"), "a b");
        // A double-byte code page's character comes as two bytes.
        assert_eq!(
            body(r"{\rtf1\ansi\ansicpg932 Head\par \'93\'fa\'96\'7b}"),
            "日本"
        );
        // Mac RTF (TextEdit's older files).
        assert_eq!(body(r"{\rtf1\mac Head\par caf\'8e}"), "café");
    }

    #[test]
    fn the_unicode_half_of_an_upr_group_is_read_once() {
        let rtf = r"{\rtf1\ansi{\info{\upr{\title ???}{\*\ud{\title \u26481?\u20140?}}}}Head\par {\upr{caf? }{\*\ud{caf\u233? }}}ok\par}";
        let got = read(rtf).unwrap();
        assert_eq!(got.title, "東京");
        assert_eq!(got.body, "Head\n\ncafé ok");
    }

    #[test]
    fn what_follows_the_document_and_mid_group_stars_are_handled() {
        // Bytes after the closing brace are not the document's.
        assert_eq!(body("{\\rtf1 Head\\par text}\u{1}garbage"), "text");
        // `\*` mid-group (not a destination) hides nothing.
        assert_eq!(body(r"{\rtf1 Head\par {\i\*\cs7 kept}}"), "kept");
        // A file in a single-byte code page with raw bytes, `\bin` counted in bytes.
        let mut raw = b"{\\rtf1\\ansi\\ansicpg1251 Head\\par \xcf\xf0\xe8\xe2\xe5\xf2 {\\pict\\bin3 \x00}\xff} end}".to_vec();
        raw.extend(b"");
        assert_eq!(super::read(&raw).unwrap().body, "Привет  end");
    }

    #[test]
    fn broken_documents_do_not_stop_the_reader() {
        for rtf in [
            r"{\rtf1 Head\par unclosed {\b group",
            r"{\rtf1 Head\par extra}}} braces}",
            r"{\rtf1 Head\par a\'4 b\'zz c\u d\u99999999999 e\bin99999999 f",
            r"{\rtf1 Head\par trailing backslash\",
        ] {
            let got = read(rtf).unwrap();
            assert_eq!(got.title, "Head", "{rtf}");
        }
        let deep = format!(
            "{{\\rtf1 Head\\par {}deep{}}}",
            "{".repeat(100_000),
            "}".repeat(100_000)
        );
        assert_eq!(body(&deep), "deep");
        assert!(read(r"{\rtf1{\fonttbl{\f0 Arial;}}{\info{\author Sam}}}").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, failure_persistence: None, ..Default::default() })]
        #[test]
        fn any_text_after_the_opening_is_read_without_a_panic(rest in "([{}\\\\'*~_ \\-]|[a-z]{1,6}|-?[0-9]{1,12}|[0-9a-f]{2}|é|日|\n){0,80}") {
            let _ = read(&format!("{{\\rtf1 {rest}"));
        }
    }

    #[test]
    fn rtf_is_known_by_its_opening() {
        assert!(sniff(b"\xEF\xBB\xBF {\\rtf1\\ansi"));
        assert!(!sniff(b"rtf1"));
    }
}
