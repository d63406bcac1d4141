//! WARC 1.0/1.1 crawl archives (plain, or `.warc.gz` with one gzip member per record,
//! which the decompression layer has already undone): every `response` record with
//! an HTML payload becomes an article. Records are read one at a time from a stream.

use std::io::BufRead;

use warc::{RecordType, WarcHeader, WarcReader};

use super::decode::decode;
use super::html;
use super::{Problem, Record};

/// True when a stream starts like a WARC file.
pub fn sniff(head: &[u8]) -> bool {
    head.starts_with(b"WARC/1.")
}

/// Reads records from `reader`, calling `each` with (record number, result). Stops at
/// the first damaged record (its length cannot be trusted, so nothing after it can).
pub fn for_each_record(
    reader: impl BufRead,
    mut each: impl FnMut(usize, Record) -> crate::Result<()>,
) -> crate::Result<()> {
    for (n, record) in WarcReader::new(reader).iter_records().enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                return each(
                    n + 1,
                    Err((Problem::InvalidWarc, format!("record {}: {e}", n + 1))),
                );
            }
        };
        if record.warc_type() != &RecordType::Response {
            continue;
        }
        let date = *record.date();
        // The raw headers: the crate's `header` panics on a value that is not UTF-8.
        let (head, block) = record.into_raw_parts();
        let payload = http_payload(&block);
        let Some((content_type, body)) = payload else {
            continue;
        };
        if !content_type.is_empty() && !content_type.contains("html") {
            continue;
        }
        let (mut article, _) = html::parse(&decode(body).text);
        if let Some(uri) = head.headers.get(&WarcHeader::TargetURI) {
            article.url = Some(address(uri).trim().trim_matches(['<', '>']).to_string());
        }
        if article.date.is_none() {
            article.date = Some(date);
        }
        let result = if article.is_empty() {
            Err((
                Problem::NoText,
                format!("record {}: page has no text", n + 1),
            ))
        } else {
            Ok(article)
        };
        each(n + 1, result)?;
    }
    Ok(())
}

/// A target address as text: bytes that are not UTF-8 (an address a crawler wrote
/// in Latin-1) percent-encoded, as a browser sends them, so the link still works.
fn address(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len());
    for chunk in raw.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Splits an HTTP response into its lowercased Content-Type and its payload.
fn http_payload(block: &[u8]) -> Option<(String, &[u8])> {
    let split = block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| {
            block
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|i| (i, i + 2))
        })?;
    let head = String::from_utf8_lossy(&block[..split.0]).to_ascii_lowercase();
    let content_type = head
        .lines()
        .find_map(|l| l.strip_prefix("content-type:"))
        .unwrap_or("")
        .trim()
        .to_string();
    Some((content_type, &block[split.1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WARC record with a correct Content-Length.
    pub fn record(kind: &str, uri: &str, payload: &str) -> String {
        format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\nWARC-Date: 2024-07-04T10:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{payload}\r\n\r\n",
            payload.len()
        )
    }

    fn http(html: &str) -> String {
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}")
    }

    #[test]
    fn response_records_become_articles() {
        let page = "<html><head><title>Crawled page</title></head><body><article><p>Text of the crawled story, long enough to count as the article body here.</p></article></body></html>";
        let warc = format!(
            "{}{}{}",
            record("warcinfo", "x", "software: test"),
            record("response", "https://a.example/1", &http(page)),
            record("request", "https://a.example/1", "GET / HTTP/1.1\r\n\r\n"),
        );
        let mut got = Vec::new();
        for_each_record(warc.as_bytes(), |_, r| {
            got.push(r);
            Ok(())
        })
        .unwrap();
        assert_eq!(got.len(), 1);
        let a = got[0].as_ref().unwrap();
        assert_eq!(a.title, "Crawled page");
        assert_eq!(a.url.as_deref(), Some("https://a.example/1"));
        assert_eq!(a.date.unwrap().to_rfc3339(), "2024-07-04T10:00:00+00:00");
    }

    #[test]
    fn a_target_address_that_is_not_utf8_is_percent_encoded() {
        let page = "<html><head><title>Crawled page</title></head><body><article><p>Text of the crawled story, long enough to count as the article body here.</p></article></body></html>";
        let mut warc = record("response", "https://a.example/caf\u{e9}", &http(page)).into_bytes();
        // The address written in Latin-1, as some crawlers do: é is one byte (the
        // record id before it stays UTF-8).
        let at = warc.windows(2).rposition(|w| w == "é".as_bytes()).unwrap();
        warc.splice(at..at + 2, [0xe9]);
        let mut got = Vec::new();
        for_each_record(&warc[..], |_, r| {
            got.push(r);
            Ok(())
        })
        .unwrap();
        let a = got[0].as_ref().unwrap();
        assert_eq!(a.url.as_deref(), Some("https://a.example/caf%E9"));
    }

    #[test]
    fn wrong_length_keeps_earlier_records() {
        let good = record(
            "response",
            "https://a.example/1",
            &http("<title>One</title><p>first page body</p>"),
        );
        let bad = record(
            "response",
            "https://a.example/2",
            &http("<title>Two</title>"),
        )
        .replace("Content-Length: ", "Content-Length: 9");
        let warc = format!("{good}{bad}");
        let mut got = Vec::new();
        for_each_record(warc.as_bytes(), |_, r| {
            got.push(r);
            Ok(())
        })
        .unwrap();
        assert!(got[0].is_ok());
        assert!(matches!(
            got.last().unwrap(),
            Err((Problem::InvalidWarc, _))
        ));
    }
}
