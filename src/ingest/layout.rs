//! From OCR words with boxes (ALTO, hOCR) to an article's body and [`Scan`]: words
//! joined into lines and lines into blocks, words broken at a line end joined
//! again (from the format's own markup, or as the plain-text path joins them), each
//! word's box kept against its place in the body, and the confidences averaged.

use crate::scan::{Scan, ScanPage, WordBox};

use super::ocr;

/// A word's box: left, top, width, height in the page's unit.
pub type Rect = [f32; 4];

/// One block of text (a column paragraph) with its words' boxes.
#[derive(Debug, Clone, Default)]
pub struct Block {
    /// The block's id and those of the blocks around it (ALTO `ComposedBlock`):
    /// what a METS article division points at.
    pub ids: Vec<String>,
    /// The text, lines joined with `\n`.
    pub text: String,
    /// Boxes, ranges in characters of `text`.
    pub words: Vec<WordBox>,
    /// The words' confidences.
    pub confidence: Confidence,
}

/// Word confidences, summed with each word's length as its weight.
#[derive(Debug, Clone, Copy, Default)]
pub struct Confidence {
    sum: f64,
    chars: f64,
    min: f32,
    max: f32,
}

impl Confidence {
    /// Counts a word of `chars` characters read with confidence `value` (0 to 1).
    pub fn add(&mut self, value: f32, chars: usize) {
        if !(0.0..=1.0).contains(&value) || chars == 0 {
            return;
        }
        if self.chars == 0.0 {
            (self.min, self.max) = (value, value);
        }
        self.min = self.min.min(value);
        self.max = self.max.max(value);
        self.sum += f64::from(value) * chars as f64;
        self.chars += chars as f64;
    }

    /// Adds another block's confidences.
    pub fn merge(&mut self, other: &Confidence) {
        if other.chars == 0.0 {
            return;
        }
        if self.chars == 0.0 {
            *self = *other;
            return;
        }
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.sum += other.sum;
        self.chars += other.chars;
    }

    /// The mean, weighted by length; `None` without confidences or when every
    /// word has the same one (a producer's placeholder, not a measurement).
    pub fn quality(&self) -> Option<f32> {
        (self.chars > 0.0 && self.max > self.min).then(|| (self.sum / self.chars) as f32)
    }
}

/// Builds one [`Block`] word by word.
#[derive(Debug, Default)]
pub struct BlockBuilder {
    block: Block,
    chars: u32,
    /// The next word opens a new line.
    new_line: bool,
    /// The last line ended in a broken word (a hyphen, or `HYP` markup): the first
    /// word of the next line continues it when it starts in lower case.
    broken: Option<Broken>,
    /// The range of a word whose second part (ALTO `HypPart2`) is still to come.
    first_part: Option<(u32, u32)>,
}

#[derive(Debug, Clone, Copy)]
struct Broken {
    /// Where the broken word starts in the block text, in characters.
    start: u32,
    /// The first of its boxes.
    first_box: usize,
    /// Its text ends in a hyphen that joining removes.
    hyphen_in_text: bool,
}

impl BlockBuilder {
    /// A builder for the block with these ids.
    pub fn new(ids: Vec<String>) -> BlockBuilder {
        BlockBuilder {
            block: Block {
                ids,
                ..Block::default()
            },
            ..BlockBuilder::default()
        }
    }

    /// The next word starts a new line.
    pub fn line(&mut self) {
        if !self.block.text.is_empty() {
            self.new_line = true;
        }
    }

    fn push_text(&mut self, text: &str) {
        self.block.text.push_str(text);
        self.chars += text.chars().count() as u32;
    }

    fn push_box(&mut self, start: u32, end: u32, rect: Option<Rect>) {
        if let Some([x, y, w, h]) = rect {
            self.block.words.push(WordBox {
                start,
                end,
                page: 0,
                x,
                y,
                w,
                h,
            });
        }
    }

    /// A word as printed, with its box and confidence (0 to 1) when known.
    pub fn word(&mut self, text: &str, rect: Option<Rect>, confidence: Option<f32>) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        if let Some(c) = confidence {
            self.block.confidence.add(c, text.chars().count());
        }
        if let Some(broken) = self.broken.take()
            && self.new_line
            && text.chars().next().is_some_and(char::is_lowercase)
        {
            self.join(broken, text, rect);
            return;
        }
        let start = self.separate();
        self.push_text(text);
        let end = self.chars;
        self.push_box(start, end, rect);
        self.first_part = None;
        if text.ends_with('-') && text.chars().count() > 1 {
            self.hyphen_at_line_end(true);
        }
    }

    /// Continues a word broken at the last line end with `text`.
    fn join(&mut self, broken: Broken, text: &str, rect: Option<Rect>) {
        self.new_line = false;
        if broken.hyphen_in_text {
            self.block.text.pop();
            self.chars -= 1;
        }
        let head: String = {
            let before: String = self
                .block
                .text
                .chars()
                .skip(broken.start as usize)
                .collect();
            before
                .rsplit(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or_default()
                .to_string()
        };
        if ocr::keeps_hyphen(&head) {
            self.push_text("-");
        }
        self.push_text(text);
        let end = self.chars;
        for word in &mut self.block.words[broken.first_box..] {
            word.end = end;
        }
        self.push_box(broken.start, end, rect);
    }

    /// The separator before the next word; returns where the word starts.
    fn separate(&mut self) -> u32 {
        if !self.block.text.is_empty() {
            self.push_text(if self.new_line { "\n" } else { " " });
        }
        self.new_line = false;
        self.broken = None;
        self.chars
    }

    /// The last word was cut at the line end with a hyphen (ALTO `HYP`, or a word
    /// ending in `-`): the next line's first word may continue it.
    pub fn hyphen_at_line_end(&mut self, hyphen_in_text: bool) {
        let Some(last) = self.block.words.last().copied() else {
            return;
        };
        let first_box = self
            .block
            .words
            .iter()
            .rposition(|w| w.start != last.start)
            .map_or(0, |i| i + 1);
        if !hyphen_in_text {
            self.push_text("-");
            for word in &mut self.block.words[first_box..] {
                word.end = self.chars;
            }
        }
        self.broken = Some(Broken {
            start: last.start,
            first_box,
            hyphen_in_text: true,
        });
    }

    /// The first part of a word the format marks as broken (ALTO `HypPart1`), with
    /// the whole word (`SUBS_CONTENT`) written in its place.
    pub fn first_part(&mut self, whole: &str, rect: Option<Rect>, confidence: Option<f32>) {
        let whole = whole.trim();
        if whole.is_empty() {
            return;
        }
        self.word(whole, rect, confidence);
        self.broken = None;
        let end = self.chars;
        self.first_part = Some((end - whole.chars().count() as u32, end));
    }

    /// The second part of a word already written whole by [`BlockBuilder::first_part`];
    /// written as a word if there was no first part.
    pub fn second_part(&mut self, text: &str, rect: Option<Rect>, confidence: Option<f32>) {
        match self.first_part.take() {
            Some((start, end)) => {
                if let Some(c) = confidence {
                    self.block.confidence.add(c, text.trim().chars().count());
                }
                self.new_line = false;
                self.push_box(start, end, rect);
            }
            None => self.word(text, rect, confidence),
        }
    }

    /// The block, if it has any text.
    pub fn finish(self) -> Option<Block> {
        (!self.block.text.trim().is_empty()).then_some(self.block)
    }
}

/// Builds an article's body and scan from blocks of one or more pages.
#[derive(Debug, Default)]
pub struct Layout {
    body: String,
    chars: u32,
    scan: Scan,
    confidence: Confidence,
}

impl Layout {
    /// Starts a page; the blocks added next are on it.
    pub fn page(&mut self, mut page: ScanPage) {
        page.start = self.chars + u32::from(!self.body.is_empty()) * 2;
        self.scan.pages.push(page);
    }

    /// Adds a block of the current page, as a paragraph of its own.
    pub fn block(&mut self, block: &Block) {
        if !self.body.is_empty() {
            self.body.push_str("\n\n");
            self.chars += 2;
        }
        let page = self.scan.pages.len().saturating_sub(1) as u32;
        let shift = self.chars;
        self.scan.words.extend(block.words.iter().map(|w| WordBox {
            start: w.start + shift,
            end: w.end + shift,
            page,
            ..*w
        }));
        self.body.push_str(&block.text);
        self.chars += block.text.chars().count() as u32;
        self.confidence.merge(&block.confidence);
    }

    /// True when no block was added.
    pub fn is_empty(&self) -> bool {
        self.body.trim().is_empty()
    }

    /// The body, the scan (when a page was started) and the OCR quality.
    pub fn finish(self) -> (String, Option<Scan>, Option<f32>) {
        let scan = (!self.scan.pages.is_empty()).then_some(self.scan);
        (self.body, scan, self.confidence.quality())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: f32) -> Option<Rect> {
        Some([x, 0.0, 10.0, 10.0])
    }

    #[test]
    fn lines_and_marked_hyphenation_make_the_words_once() {
        let mut b = BlockBuilder::new(vec!["B1".into()]);
        b.line();
        b.word("Fair", rect(1.0), Some(0.9));
        b.first_part("tomorrow;", rect(2.0), Some(0.5));
        b.line();
        b.second_part("row;", rect(3.0), Some(0.7));
        b.word("warmer", rect(4.0), None);
        let block = b.finish().unwrap();
        assert_eq!(block.text, "Fair tomorrow; warmer");
        let ranges: Vec<(u32, u32)> = block.words.iter().map(|w| (w.start, w.end)).collect();
        assert_eq!(ranges, vec![(0, 4), (5, 14), (5, 14), (15, 21)]);
    }

    #[test]
    fn unmarked_line_end_hyphens_join_as_in_plain_text() {
        let mut b = BlockBuilder::new(Vec::new());
        b.word("prepar-", rect(1.0), None);
        b.line();
        b.word("edness", rect(2.0), None);
        b.word("and", rect(3.0), None);
        b.word("well-", rect(4.0), None);
        b.line();
        b.word("known", rect(5.0), None);
        b.word("New-", rect(6.0), None);
        b.line();
        b.word("York", rect(7.0), None);
        let block = b.finish().unwrap();
        assert_eq!(block.text, "preparedness and well-known New-\nYork");
        assert_eq!((block.words[0].start, block.words[0].end), (0, 12));
        assert_eq!((block.words[1].start, block.words[1].end), (0, 12));
        assert_eq!((block.words[3].start, block.words[3].end), (17, 27));
    }

    #[test]
    fn a_hyp_element_joins_the_next_line() {
        let mut b = BlockBuilder::new(Vec::new());
        b.word("tomor", rect(1.0), None);
        b.hyphen_at_line_end(false);
        b.line();
        b.word("row", rect(2.0), None);
        let block = b.finish().unwrap();
        assert_eq!(block.text, "tomorrow");
        assert!(block.words.iter().all(|w| (w.start, w.end) == (0, 8)));
    }

    #[test]
    fn quality_is_weighted_by_length_and_absent_for_placeholders() {
        let mut c = Confidence::default();
        c.add(1.0, 3);
        c.add(0.5, 1);
        assert_eq!(c.quality(), Some(0.875));
        let mut same = Confidence::default();
        same.add(1.0, 3);
        same.add(1.0, 5);
        assert_eq!(same.quality(), None);
        assert_eq!(Confidence::default().quality(), None);
    }

    #[test]
    fn pages_and_blocks_shift_the_boxes() {
        let mut b = BlockBuilder::new(Vec::new());
        b.word("Alpha", rect(1.0), Some(0.2));
        let first = b.finish().unwrap();
        let mut b = BlockBuilder::new(Vec::new());
        b.word("Beta", rect(2.0), Some(0.8));
        let second = b.finish().unwrap();
        let mut layout = Layout::default();
        layout.page(ScanPage {
            number: 1,
            ..ScanPage::default()
        });
        layout.block(&first);
        layout.page(ScanPage {
            number: 2,
            ..ScanPage::default()
        });
        layout.block(&second);
        let (body, scan, quality) = layout.finish();
        let scan = scan.unwrap();
        assert_eq!(body, "Alpha\n\nBeta");
        assert_eq!((scan.words[1].start, scan.words[1].page), (7, 1));
        assert_eq!(scan.pages[1].start, 7);
        assert_eq!(scan.page_at(8), Some(2));
        assert!((quality.unwrap() - (0.2 * 5.0 + 0.8 * 4.0) / 9.0).abs() < 1e-6);
    }
}
