//! Outlook messages (`.msg`, [MS-OXMSG]), as Outlook saves a mail dragged out of
//! it: an OLE compound file (read with `cfb`, as Word 97 files are) whose
//! properties are streams named by their tag (`__substg1.0_0037001F` is the
//! subject, in UTF-16) or, for fixed-size ones such as dates, entries of the
//! `__properties_version1.0` stream. The article is the subject as headline, the
//! sender as author, the submit (else delivery) time, the Internet Message-ID as
//! id, and the plain-text body, else the HTML body read as text. Strings stored
//! 8-bit are decoded with the message's code page. Attached files (each in an
//! `__attach_version1.0_#N` storage, its name and bytes as properties) are
//! handed back by name, as `email` hands back a MIME message's; a message
//! attached as an item (its storage inside the attachment's) is handed back as
//! an Outlook file of its own. Recipients and the RTF body are not read.

use chrono::{DateTime, Utc};
use encoding_rs::Encoding;

use super::decode::codepage;
use super::doc::{self, Ole, filetime, u32_at};
use super::email::{self, Attachment};
use super::html::fragment_text;
use super::{Problem, Record};
use crate::article::{Article, clean_line};

/// Property ids.
const SUBJECT: u16 = 0x0037;
const CLIENT_SUBMIT_TIME: u16 = 0x0039;
const SENDER_NAME: u16 = 0x0C1A;
const SENDER_EMAIL: u16 = 0x0C1F;
const SENDER_SMTP: u16 = 0x5D01;
const DELIVERY_TIME: u16 = 0x0E06;
const BODY: u16 = 0x1000;
const HTML_BODY: u16 = 0x1013;
const MESSAGE_ID: u16 = 0x1035;
const ATTACH_DATA: u16 = 0x3701;
const ATTACH_FILENAME: u16 = 0x3704;
const ATTACH_LONG_FILENAME: u16 = 0x3707;
const DISPLAY_NAME: u16 = 0x3001;
const INTERNET_CODEPAGE: u16 = 0x3FDE;
const MESSAGE_CODEPAGE: u16 = 0x3FFD;

/// Property types.
const PT_LONG: u16 = 0x0003;
const PT_SYSTIME: u16 = 0x0040;
const PT_STRING8: u16 = 0x001E;
const PT_UNICODE: u16 = 0x001F;
const PT_BINARY: u16 = 0x0102;
const PT_OBJECT: u16 = 0x000D;

/// Reads an Outlook message, and the files attached to it whose names `wanted`
/// takes.
pub fn parse_with_attachments(
    bytes: &[u8],
    wanted: &(dyn Fn(&str) -> bool + std::panic::RefUnwindSafe),
) -> (Record, Vec<Attachment>) {
    doc::guarded(
        "Outlook message",
        || read(bytes, wanted),
        |problem| (problem, Vec::new()),
    )
}

fn read(bytes: &[u8], wanted: &dyn Fn(&str) -> bool) -> (Record, Vec<Attachment>) {
    let mut file = match doc::open(bytes) {
        Ok(file) => file,
        Err(e) => {
            let detail = format!("not a readable compound file: {e}");
            return (Err((Problem::Corrupt, detail)), Vec::new());
        }
    };
    let Some(fixed) = doc::stream(&mut file, "/__properties_version1.0", bytes.len()) else {
        let detail = "no message properties: an Office file, but not an Outlook message";
        return (Err((Problem::NoText, detail.into())), Vec::new());
    };
    let mut message = Message {
        file: &mut file,
        size: bytes.len(),
        fixed,
        encoding: encoding_rs::WINDOWS_1252,
    };
    message.encoding = [INTERNET_CODEPAGE, MESSAGE_CODEPAGE]
        .iter()
        .filter_map(|&id| message.fixed(id, PT_LONG))
        .filter_map(|at| u32_at(&message.fixed, at))
        .find_map(|n| codepage(i32::try_from(n).ok()?))
        .unwrap_or(encoding_rs::WINDOWS_1252);
    let record = message.article();
    let files = match record {
        Ok(_) => message.attachments(wanted),
        Err(_) => Vec::new(),
    };
    (record, files)
}

/// A message's property streams.
struct Message<'f, 'a> {
    file: &'f mut Ole<'a>,
    size: usize,
    /// The `__properties_version1.0` stream.
    fixed: Vec<u8>,
    /// The code page of its 8-bit strings.
    encoding: &'static Encoding,
}

impl Message<'_, '_> {
    /// The message as an article.
    fn article(&mut self) -> Record {
        let body = match self.string(BODY).filter(|b| !b.trim().is_empty()) {
            Some(body) => body,
            None => self.html().map(|h| fragment_text(&h)).unwrap_or_default(),
        };
        let article = Article {
            id: self
                .string(MESSAGE_ID)
                .map(|id| id.trim().trim_matches(['<', '>']).to_string())
                .unwrap_or_default(),
            title: self
                .string(SUBJECT)
                .map(|s| clean_line(&s))
                .unwrap_or_default(),
            body: body.trim().replace("\r\n", "\n"),
            date: self
                .time(CLIENT_SUBMIT_TIME)
                .or_else(|| self.time(DELIVERY_TIME)),
            author: [SENDER_NAME, SENDER_SMTP, SENDER_EMAIL]
                .iter()
                .find_map(|&id| {
                    self.string(id)
                        .map(|s| clean_line(&s))
                        .filter(|s| !s.is_empty())
                }),
            ..Article::default()
        };
        if article.is_empty() {
            let detail = "an Outlook message without subject or text";
            return Err((Problem::NoText, detail.into()));
        }
        Ok(article)
    }

    /// The attached files whose names `wanted` takes, in their storages' order.
    fn attachments(&mut self, wanted: &dyn Fn(&str) -> bool) -> Vec<Attachment> {
        let mut storages: Vec<String> = self
            .file
            .read_root_storage()
            .filter(|e| e.is_storage() && e.name().starts_with("__attach_version1.0_#"))
            .map(|e| e.name().to_string())
            .collect();
        storages.sort();
        let mut files: Vec<Attachment> = Vec::new();
        for storage in storages {
            let prefix = format!("/{storage}/");
            let embedded = format!("{prefix}__substg1.0_{ATTACH_DATA:04X}{PT_OBJECT:04X}");
            if self.file.is_storage(&embedded) {
                // A message attached as an item (forwarded as an attachment).
                let name = [ATTACH_LONG_FILENAME, ATTACH_FILENAME, DISPLAY_NAME]
                    .iter()
                    .find_map(|&id| self.string_in(&prefix, id))
                    .unwrap_or_else(|| "message".into());
                let name = if name.to_ascii_lowercase().ends_with(".msg") {
                    name
                } else {
                    format!("{name}.msg")
                };
                email::attach(&mut files, &name, wanted, || {
                    standalone(self.file, &embedded, self.size)
                });
                continue;
            }
            let Some(name) = [ATTACH_LONG_FILENAME, ATTACH_FILENAME]
                .iter()
                .find_map(|&id| self.string_in(&prefix, id))
            else {
                continue;
            };
            email::attach(&mut files, &name, wanted, || {
                self.stream_in(&prefix, ATTACH_DATA, PT_BINARY)
            });
        }
        files
    }

    fn stream(&mut self, id: u16, kind: u16) -> Option<Vec<u8>> {
        self.stream_in("/", id, kind)
    }

    /// Property `id` of type `kind` in the storage at `prefix` (`/` for the
    /// message's own).
    fn stream_in(&mut self, prefix: &str, id: u16, kind: u16) -> Option<Vec<u8>> {
        let path = format!("{prefix}__substg1.0_{id:04X}{kind:04X}");
        doc::stream(self.file, &path, self.size)
    }

    /// A string property, stored in UTF-16 or in the message's code page.
    fn string(&mut self, id: u16) -> Option<String> {
        self.string_in("/", id)
    }

    /// A string property of the storage at `prefix`.
    fn string_in(&mut self, prefix: &str, id: u16) -> Option<String> {
        let text = match self.stream_in(prefix, id, PT_UNICODE) {
            Some(utf16) => doc::utf16le(&utf16),
            None => {
                let bytes = self.stream_in(prefix, id, PT_STRING8)?;
                self.encoding
                    .decode_without_bom_handling(&bytes)
                    .0
                    .into_owned()
            }
        };
        let text = text.trim_end_matches('\0').to_string();
        (!text.trim().is_empty()).then_some(text)
    }

    /// The HTML body: a string, or bytes in the message's code page.
    fn html(&mut self) -> Option<String> {
        self.string(HTML_BODY).or_else(|| {
            let bytes = self.stream(HTML_BODY, PT_BINARY)?;
            Some(self.encoding.decode(&bytes).0.into_owned())
        })
    }

    /// Where the value of fixed-size property `id` of type `kind` lies in the
    /// properties stream: after the top-level message's 32-byte header, 16-byte
    /// entries of tag, flags and value.
    fn fixed(&self, id: u16, kind: u16) -> Option<usize> {
        let tag = (u32::from(id) << 16) | u32::from(kind);
        (32..self.fixed.len())
            .step_by(16)
            .find(|&at| u32_at(&self.fixed, at) == Some(tag))
            .map(|at| at + 8)
    }

    fn time(&self, id: u16) -> Option<DateTime<Utc>> {
        filetime(&self.fixed, self.fixed(id, PT_SYSTIME)?)
    }
}

/// The message stored at `root` (an attachment's embedded message storage) as
/// an Outlook file of its own: its streams and storages copied, its properties
/// stream given a top-level message's 32-byte header (an embedded one has 24).
/// At most `size` bytes in all (the file that holds it).
fn standalone(file: &mut Ole<'_>, root: &str, size: usize) -> Option<Vec<u8>> {
    let entries: Vec<(String, bool)> = file
        .walk_storage(root)
        .ok()?
        .filter_map(|e| {
            let path = e.path().to_str()?.strip_prefix(root)?.to_string();
            (!path.is_empty()).then(|| (path, e.is_storage()))
        })
        .collect();
    let mut out = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).ok()?;
    let mut left = size;
    for (path, is_storage) in entries {
        if is_storage {
            out.create_storage_all(&path).ok()?;
            continue;
        }
        let mut data = doc::stream(file, &format!("{root}{path}"), left)?;
        left = left.saturating_sub(data.len());
        if path == "/__properties_version1.0" && data.len() >= 24 {
            data.splice(24..24, [0u8; 8]);
        }
        std::io::Write::write_all(&mut out.create_stream(&path).ok()?, &data).ok()?;
    }
    out.flush().ok()?;
    Some(out.into_inner().into_inner())
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use super::*;

    fn parse(bytes: &[u8]) -> Record {
        parse_with_attachments(bytes, &|_| false).0
    }

    /// An Outlook message made with `cfb`: `strings` as UTF-16 (or, with
    /// `eight_bit`, code page bytes) and `fixed` properties in the properties
    /// stream.
    fn message(
        strings: &[(u16, &str)],
        eight_bit: &[(u16, &[u8])],
        fixed: &[(u16, u16, u64)],
    ) -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        for (id, text) in strings {
            let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            let path = format!("/__substg1.0_{id:04X}001F");
            file.create_stream(&path)
                .unwrap()
                .write_all(&utf16)
                .unwrap();
        }
        for (id, bytes) in eight_bit {
            let path = format!("/__substg1.0_{id:04X}001E");
            file.create_stream(&path).unwrap().write_all(bytes).unwrap();
        }
        let mut properties = vec![0u8; 32];
        for (id, kind, value) in fixed {
            properties.extend(((u32::from(*id) << 16) | u32::from(*kind)).to_le_bytes());
            properties.extend(6u32.to_le_bytes());
            properties.extend(value.to_le_bytes());
        }
        file.create_stream("/__properties_version1.0")
            .unwrap()
            .write_all(&properties)
            .unwrap();
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    #[test]
    fn a_saved_mail_is_an_article() {
        // 2024-03-04T09:00:00Z as a FILETIME.
        let submitted = (1_709_542_800u64 + 11_644_473_600) * 10_000_000;
        let bytes = message(
            &[
                (SUBJECT, "Ferry service resumes\0"),
                (SENDER_NAME, "Harbour Authority"),
                (BODY, "The island ferry runs again.\r\nThe café reopens."),
                (MESSAGE_ID, "<r1@harbour.example>"),
            ],
            &[],
            &[(CLIENT_SUBMIT_TIME, PT_SYSTIME, submitted)],
        );
        let got = parse(&bytes).unwrap();
        assert_eq!(got.title, "Ferry service resumes");
        assert_eq!(got.author.as_deref(), Some("Harbour Authority"));
        assert_eq!(got.body, "The island ferry runs again.\nThe café reopens.");
        assert_eq!(got.id, "r1@harbour.example");
        assert_eq!(got.date.unwrap().to_rfc3339(), "2024-03-04T09:00:00+00:00");
    }

    #[test]
    fn eight_bit_strings_use_the_code_page_and_html_stands_in_for_text() {
        let bytes = message(
            &[(HTML_BODY, "<p>Depot &amp; yard</p><script>x()</script>")],
            &[(SUBJECT, b"\xcf\xf0\xe8\xe2\xe5\xf2")],
            &[(INTERNET_CODEPAGE, PT_LONG, 1251)],
        );
        let got = parse(&bytes).unwrap();
        assert_eq!(got.title, "Привет");
        assert_eq!(got.body, "Depot & yard");
    }

    #[test]
    fn attached_files_are_handed_back_by_name() {
        let mut bytes = message(&[(SUBJECT, "Release")], &[], &[]);
        {
            let mut file = cfb::CompoundFile::open(Cursor::new(&mut bytes)).unwrap();
            for (n, name, data) in [
                (0, "C:\\Press\\timetable.rtf", &b"{\\rtf1 Timetable}"[..]),
                (1, "logo.png", b"PNG"),
                (2, "timetable.rtf", b"{\\rtf1 Second}"),
            ] {
                let storage = format!("/__attach_version1.0_#{n:08X}");
                file.create_storage(&storage).unwrap();
                let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
                file.create_stream(format!("{storage}/__substg1.0_3707001F"))
                    .unwrap()
                    .write_all(&utf16)
                    .unwrap();
                file.create_stream(format!("{storage}/__substg1.0_37010102"))
                    .unwrap()
                    .write_all(data)
                    .unwrap();
            }
            file.flush().unwrap();
        }
        let (record, files) = parse_with_attachments(&bytes, &|name| name.ends_with(".rtf"));
        assert_eq!(record.unwrap().title, "Release");
        let got: Vec<(&str, &[u8])> = files
            .iter()
            .map(|f| (f.name.as_str(), f.bytes.as_slice()))
            .collect();
        assert_eq!(
            got,
            [
                ("timetable.rtf", &b"{\\rtf1 Timetable}"[..]),
                ("2-timetable.rtf", b"{\\rtf1 Second}")
            ]
        );
    }

    #[test]
    fn a_message_attached_as_an_item_is_handed_back_as_a_file_of_its_own() {
        // 2024-03-04T09:00:00Z as a FILETIME.
        let sent = (1_709_542_800u64 + 11_644_473_600) * 10_000_000;
        let inner = message(
            &[
                (SUBJECT, "Timetable change"),
                (BODY, "The late ferry is cancelled."),
            ],
            &[],
            &[(CLIENT_SUBMIT_TIME, PT_SYSTIME, sent)],
        );
        let inner = cfb::CompoundFile::open(Cursor::new(inner)).unwrap();
        let mut bytes = message(&[(SUBJECT, "FW: timetable")], &[], &[]);
        {
            let mut file = cfb::CompoundFile::open(Cursor::new(&mut bytes)).unwrap();
            let storage = "/__attach_version1.0_#00000000";
            let embedded = format!("{storage}/__substg1.0_3701000D");
            file.create_storage_all(&embedded).unwrap();
            let name: Vec<u8> = "Timetable change"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect();
            file.create_stream(format!("{storage}/__substg1.0_3001001F"))
                .unwrap()
                .write_all(&name)
                .unwrap();
            // An embedded message's properties stream has a 24-byte header.
            let mut inner = inner;
            for entry in inner
                .walk()
                .map(|e| e.path().to_path_buf())
                .collect::<Vec<_>>()
            {
                if !inner.is_stream(&entry) {
                    continue;
                }
                let mut data = Vec::new();
                std::io::Read::read_to_end(&mut inner.open_stream(&entry).unwrap(), &mut data)
                    .unwrap();
                if entry.ends_with("__properties_version1.0") {
                    data.drain(24..32);
                }
                let path = format!("{embedded}{}", entry.display());
                file.create_stream(&path).unwrap().write_all(&data).unwrap();
            }
            file.flush().unwrap();
        }
        let (record, files) = parse_with_attachments(&bytes, &|name| name.ends_with(".msg"));
        assert_eq!(record.unwrap().title, "FW: timetable");
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, "Timetable change.msg");
        let got = parse(&files[0].bytes).unwrap();
        assert_eq!(got.title, "Timetable change");
        assert_eq!(got.body, "The late ferry is cancelled.");
        assert_eq!(got.date.unwrap().to_rfc3339(), "2024-03-04T09:00:00+00:00");
    }

    #[test]
    fn other_and_broken_files_are_problems() {
        let mut word = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        word.create_stream("/WordDocument")
            .unwrap()
            .write_all(b"x")
            .unwrap();
        word.flush().unwrap();
        let word = word.into_inner().into_inner();
        assert!(
            matches!(parse(&word), Err((Problem::NoText, d)) if d.contains("not an Outlook message"))
        );
        assert!(matches!(
            parse(&message(&[], &[], &[])),
            Err((Problem::NoText, _))
        ));
        assert!(matches!(
            parse(b"\xd0\xcf\x11\xe0 short"),
            Err((Problem::Corrupt, _))
        ));
    }
}
