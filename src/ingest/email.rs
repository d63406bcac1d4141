//! E-mail: a message saved as `.eml`, or a mailbox (`.mbox`, as Thunderbird,
//! Apple Mail and Google Takeout write them), read with `mail-parser`: press
//! releases, newsletters and tips as a newsroom's inbox holds them. Each message
//! is an article: the subject as its headline, the sender as its author, the
//! `Date` header, the `Message-ID` as its id, and the text parts as its body (an
//! HTML-only message is read as HTML text: tags dropped, scripts never text).
//! Attached files are handed back by name, for the caller to read as files of
//! their own (a press release often is the attached PDF); a forwarded message
//! without a name is `message.eml`. A mailbox is read one message at a time.

use std::io::BufRead;

use chrono::DateTime;
use mail_parser::mailbox::mbox::MessageIterator;
use mail_parser::{Message, MessageParser, MimeHeaders, PartType};

use super::date::from_unix;
use super::html::fragment_text;
use super::{Problem, Record};
use crate::article::{Article, clean_line};

/// Does the text open as an mbox: a `From ` separator line, then a header field
/// (`Return-Path:`, Google Takeout's `X-GM-THRID:`…)?
pub fn sniff_mbox(head: &[u8]) -> bool {
    let Some(first_line_end) = head.iter().position(|&b| b == b'\n') else {
        return false;
    };
    let rest = &head[first_line_end + 1..];
    let field = rest.iter().take(80).take_while(|&&b| b != b':').count();
    head.starts_with(b"From ")
        && field > 0
        && rest.get(field) == Some(&b':')
        && rest[..field].iter().all(u8::is_ascii_graphic)
}

/// A file attached to a message.
pub struct Attachment {
    /// Its file name (the last part of the name the message gives).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Reads one message.
pub fn read(bytes: &[u8]) -> Record {
    read_with_attachments(bytes, &|_| false).0
}

/// Reads one message, and the files attached to it whose names `wanted` takes.
pub fn read_with_attachments(
    bytes: &[u8],
    wanted: &dyn Fn(&str) -> bool,
) -> (Record, Vec<Attachment>) {
    let Some(message) = MessageParser::default().parse(bytes) else {
        return (
            Err((Problem::NoText, "not an e-mail message".to_string())),
            Vec::new(),
        );
    };
    let mut attachments: Vec<Attachment> = Vec::new();
    for part in message.attachments() {
        let name = match part.attachment_name() {
            Some(name) => name,
            None if part.is_message() => "message.eml",
            None => continue,
        };
        attach(&mut attachments, name, wanted, || {
            Some(part.contents().to_vec())
        });
    }
    (article(&message), attachments)
}

/// Adds the file attached as `name` (of a path, its last part) when `wanted`
/// takes that name and `bytes` gives it; two files of one name stay two
/// (`timetable.rtf`, `2-timetable.rtf`).
pub fn attach(
    files: &mut Vec<Attachment>,
    name: &str,
    wanted: &dyn Fn(&str) -> bool,
    bytes: impl FnOnce() -> Option<Vec<u8>>,
) {
    let name = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    if name.is_empty() || !wanted(name) {
        return;
    }
    let Some(bytes) = bytes() else {
        return;
    };
    let mut unique = name.to_string();
    let mut n = 1;
    while files.iter().any(|f| f.name == unique) {
        n += 1;
        unique = format!("{n}-{name}");
    }
    files.push(Attachment {
        name: unique,
        bytes,
    });
}

/// Calls `each` with every message of a mailbox, numbered from 1, as it is read,
/// with the attached files `wanted` takes; stops at the first error `each`
/// returns. A read error ends the mailbox and is returned.
pub fn for_each_message<E>(
    reader: &mut dyn BufRead,
    wanted: &dyn Fn(&str) -> bool,
    mut each: impl FnMut(usize, Record, Vec<Attachment>) -> Result<(), E>,
) -> Result<Option<std::io::Error>, E> {
    for (n, message) in MessageIterator::new(reader).enumerate() {
        match message {
            Ok(message) => {
                let (record, attachments) = read_with_attachments(message.contents(), wanted);
                each(n + 1, record, attachments)?;
            }
            Err(e) => return Ok(Some(e)),
        }
    }
    Ok(None)
}

fn article(message: &Message<'_>) -> Record {
    let texts: Vec<String> = (0..message.text_body_count() as u32)
        .filter_map(|i| message.text_part(i))
        .filter_map(|part| match &part.body {
            PartType::Text(text) => Some(text.to_string()),
            PartType::Html(html) => Some(fragment_text(html)),
            _ => None,
        })
        .filter(|t| !t.trim().is_empty())
        .collect();
    let sender = message
        .from()
        .and_then(|from| from.first())
        .and_then(|addr| {
            addr.name()
                .filter(|n| !n.trim().is_empty())
                .or(addr.address())
                .map(clean_line)
        });
    let article = Article {
        id: message.message_id().map(str::to_string).unwrap_or_default(),
        title: message.subject().map(clean_line).unwrap_or_default(),
        body: texts.join("\n\n").trim().to_string(),
        date: message
            .date()
            .and_then(|d| from_unix(d.to_timestamp()))
            .filter(|d| *d > DateTime::UNIX_EPOCH),
        author: sender.filter(|s| !s.is_empty()),
        ..Article::default()
    };
    if article.is_empty() {
        return Err((Problem::NoText, "an e-mail without subject or text".into()));
    }
    Ok(article)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_an_article() {
        let eml = "From: Harbour Authority <press@harbour.example>\r\n\
            To: desk@paper.example\r\n\
            Subject: =?UTF-8?Q?Ferry_service_resumes_=E2=80=94_caf=C3=A9_reopens?=\r\n\
            Date: Mon, 4 Mar 2024 10:00:00 +0100\r\n\
            Message-ID: <release-42@harbour.example>\r\n\
            MIME-Version: 1.0\r\n\
            Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n\
            --b\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\
            Content-Transfer-Encoding: quoted-printable\r\n\r\n\
            The ferry runs again; the caf=E9 reopens.\r\n\
            --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
            <p>The ferry runs again; the caf\u{e9} reopens.</p>\r\n\
            --b--\r\n";
        let got = read(eml.as_bytes()).unwrap();
        assert_eq!(got.title, "Ferry service resumes — café reopens");
        assert_eq!(got.author.as_deref(), Some("Harbour Authority"));
        assert_eq!(got.id, "release-42@harbour.example");
        assert_eq!(got.body, "The ferry runs again; the café reopens.");
        assert_eq!(got.date.unwrap().to_rfc3339(), "2024-03-04T09:00:00+00:00");
    }

    #[test]
    fn an_html_only_message_is_read_as_text() {
        let eml = "From: news@list.example\r\nSubject: Weekly\r\n\
            Content-Type: text/html\r\n\r\n\
            <html><head><script>var x = 1;</script></head><body><h1>Tram</h1><p>Depot &amp; yard open.</p></body></html>";
        let got = read(eml.as_bytes()).unwrap();
        assert_eq!(got.author.as_deref(), Some("news@list.example"));
        assert!(got.body.contains("Depot & yard open."), "{}", got.body);
        assert!(!got.body.contains("var x"), "{}", got.body);
    }

    #[test]
    fn a_mailbox_is_read_message_by_message() {
        let mbox = "From press@harbour.example Mon Mar  4 10:00:00 2024\n\
            From: press@harbour.example\nSubject: One\n\nFirst.\n>From the quay.\n\n\
            From desk@paper.example Tue Mar  5 10:00:00 2024\n\
            From: desk@paper.example\nSubject: Two\n\nSecond.\n";
        assert!(sniff_mbox(mbox.as_bytes()));
        assert!(!sniff_mbox(b"From the desk of the editor\nDear readers"));
        assert!(!sniff_mbox(
            b"From the desk of the editor\nDear readers: hello"
        ));
        assert!(sniff_mbox(
            b"From 1234@xxx Thu Jan 01 2024\nX-GM-THRID: 1\n"
        ));
        let mut got = Vec::new();
        let error = for_each_message::<()>(&mut mbox.as_bytes(), &|_| true, |n, record, _| {
            let article = record.unwrap();
            got.push(format!(
                "{n} {} {}",
                article.title,
                article.body.replace('\n', "/")
            ));
            Ok(())
        });
        assert!(matches!(error, Ok(None)));
        assert_eq!(got, ["1 One First./From the quay.", "2 Two Second."]);
    }

    #[test]
    fn attached_files_are_handed_back_by_name() {
        let eml = "From: press@harbour.example\r\nSubject: Release\r\n\
            Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
            --b\r\nContent-Type: text/plain\r\n\r\nThe release is attached.\r\n\
            --b\r\nContent-Type: text/plain; name=\"release.txt\"\r\n\
            Content-Disposition: attachment; filename=\"C:\\\\Press\\\\release.txt\"\r\n\
            Content-Transfer-Encoding: base64\r\n\r\nRmVycnkgYmFjaw==\r\n\
            --b\r\nContent-Type: text/plain\r\n\
            Content-Disposition: attachment; filename=\"release.txt\"\r\n\r\nSecond copy\r\n\
            --b\r\nContent-Type: image/png\r\n\
            Content-Disposition: attachment; filename=\"logo.png\"\r\n\r\nPNG\r\n\
            --b--\r\n";
        let wanted = |name: &str| name.ends_with(".txt");
        let (record, attachments) = read_with_attachments(eml.as_bytes(), &wanted);
        assert_eq!(record.unwrap().body, "The release is attached.");
        let got: Vec<(&str, &[u8])> = attachments
            .iter()
            .map(|a| (a.name.as_str(), a.bytes.as_slice()))
            .collect();
        assert_eq!(
            got,
            [
                ("release.txt", &b"Ferry back"[..]),
                ("2-release.txt", &b"Second copy"[..])
            ]
        );
    }

    #[test]
    fn an_empty_message_is_a_problem() {
        assert!(matches!(read(b""), Err((Problem::NoText, _))));
        assert!(matches!(
            read(b"X-Mailer: x\r\n\r\n  \r\n"),
            Err((Problem::NoText, _))
        ));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, failure_persistence: None, ..Default::default() })]
        #[test]
        fn any_bytes_are_read_without_a_panic(
            text in "((From|Subject|Date|Content-Type|Content-Transfer-Encoding|MIME-Version): [ -~]{0,30}\r?\n|--b\r\n|=\\?[A-Za-z0-9-]{0,8}\\?[QB]\\?[ -~]{0,12}\\?=|[ -~]{0,20}|\r\n|multipart/mixed; boundary=b|base64|quoted-printable|=[0-9A-F]{2}){0,40}",
            tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
        ) {
            let mut bytes = text.into_bytes();
            bytes.extend(tail);
            let _ = read(&bytes);
            let _ = for_each_message::<()>(&mut &bytes[..], &|_| true, |_, _, _| Ok(()));
        }
    }
}
