//! The article record that every input format turns into and the index stores.

use chrono::{DateTime, SecondsFormat, Utc};
use xxhash_rust::xxh3::xxh3_64;

use crate::scan::Scan;

/// One news article, as parsed from a file or from stdin.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// Stable identifier: the record's own id, or a hash of where it came from.
    pub id: String,
    /// Headline; may be empty when the source had none.
    pub title: String,
    /// Main text.
    pub body: String,
    /// Publication time, when known.
    pub date: Option<DateTime<Utc>>,
    /// Publisher or outlet name.
    pub source: Option<String>,
    /// Place of publication (from a sidecar table), told apart two papers of one name.
    pub place: Option<String>,
    /// Author or byline.
    pub author: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// The file it came from, as the user named it (None for stdin).
    pub path: Option<String>,
    /// That file's canonical path, once indexed (what names a file or an issue).
    pub key: Option<String>,
    /// The language the source declares (`en`, `en-US`, `ger`); detected when absent.
    pub lang: Option<String>,
    /// OCR confidence, 0 to 1: the mean of the words' confidences weighted by their
    /// length, for OCR formats that give them (ALTO `WC`, hOCR `x_wconf`).
    pub ocr_quality: Option<f32>,
    /// The printed pages and word positions, for formats that give them.
    pub scan: Option<Scan>,
    /// A date the source gave that could not be read (the article is kept
    /// undated), as written, for the warning.
    pub unread_date: Option<String>,
}

impl Article {
    /// The source as counted and filtered: its name, and its place when known, so
    /// that two papers of one name stay apart (`The evening herald. (Albuquerque, N.M.)`).
    pub fn source_label(&self) -> Option<String> {
        source_label(self.source.as_deref(), self.place.as_deref())
    }

    /// True when the record has no text worth indexing.
    pub fn is_empty(&self) -> bool {
        self.title.trim().is_empty() && self.body.trim().is_empty()
    }
}

/// `name (place)`, or the name alone.
pub fn source_label(name: Option<&str>, place: Option<&str>) -> Option<String> {
    let name = name?;
    Some(match place {
        Some(place) if !place.is_empty() => format!("{name} ({place})"),
        _ => name.to_string(),
    })
}

/// A stable id for record number `record` of the file whose canonical key is `key`.
pub fn id_for_file_record(key: &str, record: usize) -> String {
    hash_id(&[key.as_bytes(), b"#", record.to_string().as_bytes()])
}

/// A stable id derived from an article's content, for records without a file (stdin).
pub fn id_for_content(article: &Article) -> String {
    if let Some(url) = &article.url {
        return hash_id(&[b"url\0", url.as_bytes()]);
    }
    let date = article
        .date
        .map(|d| d.timestamp().to_string())
        .unwrap_or_default();
    hash_id(&[
        article.title.as_bytes(),
        b"\0",
        article.body.as_bytes(),
        b"\0",
        date.as_bytes(),
    ])
}

fn hash_id(parts: &[&[u8]]) -> String {
    let joined: Vec<u8> = parts.concat();
    format!("{:016x}", xxh3_64(&joined))
}

/// Formats a date as RFC 3339 in UTC with a `Z` suffix, as the JSON output promises.
pub fn format_date(date: &DateTime<Utc>) -> String {
    date.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Collapses runs of whitespace and control characters into single spaces and trims.
pub fn clean_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.chars() {
        if ch.is_whitespace() || ch.is_control() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(id_for_file_record("/a", 0), id_for_file_record("/a", 0));
        assert_ne!(id_for_file_record("/a", 0), id_for_file_record("/a", 1));
        assert_eq!(id_for_file_record("/a", 0).len(), 16);
    }

    #[test]
    fn clean_line_collapses_controls() {
        assert_eq!(clean_line("  a\t\u{1b}[31mb \n c  "), "a [31mb c");
    }
}
