//! Where an article's words are on the printed page: the scanned pages it spans
//! and, for OCR formats that give them (ALTO, hOCR), a box per word in the file's
//! own units. Word ranges are in characters of the article's body, so a
//! highlighted passage finds its boxes; PDF pages carry only where each page's
//! text starts, so a hit can say its page. Stored in the index as one compact
//! binary value ([`Scan::encode`]).

use crate::varint::{Reader, put};
use serde::Serialize;

/// Pages and word boxes of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scan {
    /// The pages, in order.
    pub pages: Vec<ScanPage>,
    /// The words with a known position, in body order.
    pub words: Vec<WordBox>,
}

/// One printed page of an article.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScanPage {
    /// The page number as printed or counted (1-based).
    pub number: u32,
    /// The OCR or PDF file the page came from, as the user named it.
    pub file: String,
    /// Page width in `unit`, when the file gives it.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "maybe_as_written"
    )]
    pub width: Option<f64>,
    /// Page height in `unit`, when the file gives it.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "maybe_as_written"
    )]
    pub height: Option<f64>,
    /// The unit of every position on this page (`pixel`, `mm10`, `inch1200`, `pt`).
    pub unit: String,
    /// The scan beside the OCR file with the same stem, if there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The scan's absolute path when indexed: what `serve` shows.
    #[serde(skip)]
    pub image_at: Option<String>,
    /// Where the page's text starts in the body, in characters.
    #[serde(skip)]
    pub start: u32,
}

/// One word (or one part of a word printed across two lines) and its box.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WordBox {
    /// Start of the word in the body, in characters.
    pub start: u32,
    /// End of the word in the body, in characters (exclusive).
    pub end: u32,
    /// Index into [`Scan::pages`].
    pub page: u32,
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

/// A highlighted word's box, as the JSON output and the API give it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HitBox {
    /// The page number (as in `pages[].number`).
    pub page: u32,
    /// Left edge, in the page's unit.
    #[serde(serialize_with = "as_written")]
    pub x: f64,
    /// Top edge.
    #[serde(serialize_with = "as_written")]
    pub y: f64,
    /// Width.
    #[serde(serialize_with = "as_written")]
    pub w: f64,
    /// Height.
    #[serde(serialize_with = "as_written")]
    pub h: f64,
}

/// A position as the file wrote it: `3315`, not `3315.0`; `310.5` stays.
fn as_written<S: serde::Serializer>(value: &f64, out: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        out.serialize_i64(*value as i64)
    } else {
        out.serialize_f64(*value)
    }
}

fn maybe_as_written<S: serde::Serializer>(value: &Option<f64>, out: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => as_written(v, out),
        None => out.serialize_none(),
    }
}

/// A stored `f32` as the `f64` it was written as (`12.3`, not `12.300000190734863`).
fn exact(value: f32) -> f64 {
    value.to_string().parse().unwrap_or(f64::from(value))
}

impl Scan {
    /// True when there is nothing to say about pages.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// The number of the page on which body character `at` is printed.
    pub fn page_at(&self, at: usize) -> Option<u32> {
        let at = u32::try_from(at).unwrap_or(u32::MAX);
        let index = self.pages.partition_point(|p| p.start <= at);
        self.pages.get(index.checked_sub(1)?).map(|p| p.number)
    }

    /// The boxes of the words that overlap body characters `[start, end)`.
    pub fn boxes(&self, start: usize, end: usize) -> Vec<HitBox> {
        let (start, end) = (
            u32::try_from(start).unwrap_or(u32::MAX),
            u32::try_from(end).unwrap_or(u32::MAX),
        );
        let first = self.words.partition_point(|w| w.end <= start);
        self.words[first..]
            .iter()
            .take_while(|w| w.start < end)
            .filter(|w| w.end > start)
            .filter_map(|w| {
                let page = self.pages.get(w.page as usize)?;
                Some(HitBox {
                    page: page.number,
                    x: exact(w.x),
                    y: exact(w.y),
                    w: exact(w.w),
                    h: exact(w.h),
                })
            })
            .collect()
    }

    /// Drops what lies past body character `len` (the body was cut).
    pub fn truncate(&mut self, len: usize) {
        let len = u32::try_from(len).unwrap_or(u32::MAX);
        self.words.retain(|w| w.end <= len);
        let keep = self.pages.partition_point(|p| p.start < len).max(1);
        self.pages.truncate(keep);
    }

    /// The compact binary form kept in the index.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.words.len() * 12);
        out.push(FORMAT);
        put(&mut out, self.pages.len() as u64);
        for page in &self.pages {
            put(&mut out, u64::from(page.number));
            put(&mut out, u64::from(page.start));
            put_text(&mut out, &page.file);
            put_text(&mut out, &page.unit);
            put_text(&mut out, page.image.as_deref().unwrap_or(""));
            put_text(&mut out, page.image_at.as_deref().unwrap_or(""));
            put_number(&mut out, page.width.unwrap_or(-1.0) as f32);
            put_number(&mut out, page.height.unwrap_or(-1.0) as f32);
        }
        put(&mut out, self.words.len() as u64);
        let mut last = 0u32;
        for word in &self.words {
            put(&mut out, u64::from(word.start.saturating_sub(last)));
            put(&mut out, u64::from(word.end.saturating_sub(word.start)));
            put(&mut out, u64::from(word.page));
            for value in [word.x, word.y, word.w, word.h] {
                put_number(&mut out, value);
            }
            last = word.start;
        }
        out
    }

    /// Reads [`Scan::encode`]'s form back; `None` when the bytes are not one.
    pub fn decode(bytes: &[u8]) -> Option<Scan> {
        let mut input = Reader::new(bytes);
        if input.byte()? != FORMAT {
            return None;
        }
        let pages = input.count()?;
        let mut scan = Scan::default();
        for _ in 0..pages {
            let number = u32::try_from(input.get()?).ok()?;
            let start = u32::try_from(input.get()?).ok()?;
            let file = input.text()?;
            let unit = input.text()?;
            let image = Some(input.text()?).filter(|i| !i.is_empty());
            let image_at = Some(input.text()?).filter(|i| !i.is_empty());
            let size = |v: f32| (v >= 0.0).then(|| exact(v));
            let width = size(input.number()?);
            let height = size(input.number()?);
            scan.pages.push(ScanPage {
                number,
                file,
                width,
                height,
                unit,
                image,
                image_at,
                start,
            });
        }
        let words = input.count()?;
        let mut last = 0u32;
        for _ in 0..words {
            let start = last.checked_add(u32::try_from(input.get()?).ok()?)?;
            let end = start.checked_add(u32::try_from(input.get()?).ok()?)?;
            let page = u32::try_from(input.get()?).ok()?;
            let (x, y, w, h) = (
                input.number()?,
                input.number()?,
                input.number()?,
                input.number()?,
            );
            scan.words.push(WordBox {
                start,
                end,
                page,
                x,
                y,
                w,
                h,
            });
            last = start;
        }
        Some(scan)
    }
}

/// The version of the binary form.
const FORMAT: u8 = 1;

fn put_text(out: &mut Vec<u8>, text: &str) {
    put(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// Whole non-negative numbers (nearly all positions) as a varint, others as their bits.
fn put_number(out: &mut Vec<u8>, value: f32) {
    if value >= 0.0 && value.fract() == 0.0 && value < 1e9 {
        put(out, (value as u64) << 1);
    } else {
        put(out, (u64::from(value.to_bits()) << 1) | 1);
    }
}

impl Reader<'_> {
    fn text(&mut self) -> Option<String> {
        let len = self.count()?;
        let text = std::str::from_utf8(&self.bytes[self.at..self.at + len]).ok()?;
        self.at += len;
        Some(text.to_string())
    }

    fn number(&mut self) -> Option<f32> {
        let raw = self.get()?;
        if raw & 1 == 0 {
            Some((raw >> 1) as f32)
        } else {
            Some(f32::from_bits(u32::try_from(raw >> 1).ok()?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Scan {
        let page = |number, start| ScanPage {
            number,
            file: format!("{number:04}.xml"),
            width: Some(21196.0),
            height: Some(26372.5),
            unit: "inch1200".into(),
            image: (number == 1).then(|| "0001.jp2".into()),
            image_at: (number == 1).then(|| "/archive/0001.jp2".into()),
            start,
        };
        let word = |start, end, page, x| WordBox {
            start,
            end,
            page,
            x,
            y: 908.0,
            w: 1100.25,
            h: 189.0,
        };
        Scan {
            pages: vec![page(1, 0), page(2, 20)],
            words: vec![
                word(0, 8, 0, 2001.0),
                word(9, 14, 0, 12.3),
                word(9, 14, 0, 40.0),
                word(20, 24, 1, 5.0),
            ],
        }
    }

    #[test]
    fn the_binary_form_reads_back_exactly() {
        let scan = sample();
        assert_eq!(Scan::decode(&scan.encode()), Some(scan.clone()));
        assert_eq!(Scan::decode(&[]), None);
        assert_eq!(Scan::decode(&[FORMAT, 0xff, 0xff, 0xff, 0x7f]), None);
        let bytes = scan.encode();
        for cut in 0..bytes.len() {
            assert_eq!(Scan::decode(&bytes[..cut]), None, "cut at {cut}");
        }
    }

    #[test]
    fn a_range_finds_the_boxes_of_its_words_and_their_page() {
        let scan = sample();
        let boxes = scan.boxes(10, 12);
        assert_eq!(boxes.len(), 2, "a word printed in two parts has two boxes");
        assert_eq!(boxes[0].x, 12.3);
        assert_eq!(boxes[0].w, 1100.25);
        assert_eq!(scan.boxes(20, 30)[0].page, 2);
        assert!(scan.boxes(15, 19).is_empty());
        assert_eq!(scan.page_at(3), Some(1));
        assert_eq!(scan.page_at(25), Some(2));
    }

    #[test]
    fn cutting_the_body_drops_what_lies_past_it() {
        let mut scan = sample();
        scan.truncate(15);
        assert_eq!(scan.words.len(), 3);
        assert_eq!(scan.pages.len(), 1);
    }
}
