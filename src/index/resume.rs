//! Where reading a long body's words can start again. A hit's passages are placed
//! from its marked words' positions, which the index keeps; turning a position
//! into a place in the text means reading the words before it. A long body (a
//! newspaper page has some 4,000 words) keeps, about every [`EVERY`] words, the
//! position of the word just read and the byte after it, so that reading starts
//! at the last such point before each marked word: placing the passages costs
//! what they span, not the page.

use tantivy::tokenizer::{TokenStream, Tokenizer};

use super::tokenizer::{NewsTokenStream, NewsTokenizer};
use crate::varint::{Reader, put};

/// Words between two points.
pub const EVERY: usize = 64;

/// Texts shorter than this (in bytes) keep no points: they have too few words
/// for reading them whole to cost anything.
const MIN_BYTES: usize = 4 * 1024;

/// The version of the binary form.
const FORMAT: u8 = 1;

/// Places the points of a text from a reading of it with
/// [`NewsTokenizer::positions`] (its own, or one shared with other work).
pub struct Placer {
    points: Vec<(usize, usize)>,
    /// The position from which the next point is placed.
    due: usize,
    wanted: bool,
}

impl Placer {
    /// A placer for `text`; a short text gets no points.
    pub fn new(text: &str) -> Placer {
        Placer {
            points: Vec::new(),
            due: EVERY - 1,
            wanted: text.len() >= MIN_BYTES,
        }
    }

    /// Whether `text` is long enough to keep points.
    pub fn wanted(&self) -> bool {
        self.wanted
    }

    /// Notes the reading after a word.
    pub fn after_word(&mut self, stream: &NewsTokenStream<'_>) {
        let position = stream.token().position;
        if self.wanted
            && position >= self.due
            && let Some(at) = stream.resumable()
        {
            self.points.push((position, at));
            self.due = position + EVERY;
        }
    }

    /// The points placed.
    pub fn points(self) -> ResumePoints {
        ResumePoints(self.points)
    }
}

/// The points of one text, in order: the position of a word and the byte after
/// it, where [`NewsTokenizer::positions`] can read on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResumePoints(Vec<(usize, usize)>);

impl ResumePoints {
    /// The points of `text`, as it is stored and read back; none for a short text.
    pub fn of(text: &str) -> ResumePoints {
        let mut placer = Placer::new(text);
        if placer.wanted() {
            let mut tokenizer = NewsTokenizer::positions();
            let mut stream = tokenizer.token_stream(text);
            while stream.advance() {
                placer.after_word(&stream);
            }
        }
        placer.points()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The last point before the word at `position`: the position of a word read
    /// before it and the byte after that word.
    pub fn before(&self, position: usize) -> Option<(usize, usize)> {
        let after = self.0.partition_point(|&(p, _)| p < position);
        after.checked_sub(1).map(|last| self.0[last])
    }

    /// The compact binary form kept in the index: each point as its distance
    /// from the one before, in words and in bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(2 + 3 * self.0.len());
        out.push(FORMAT);
        put(&mut out, self.0.len() as u64);
        let mut last = (0, 0);
        for &(position, at) in &self.0 {
            put(&mut out, (position - last.0) as u64);
            put(&mut out, (at - last.1) as u64);
            last = (position, at);
        }
        out
    }

    /// Reads [`ResumePoints::encode`]'s form back; `None` when the bytes are not
    /// one (points out of order are not one either).
    pub fn decode(bytes: &[u8]) -> Option<ResumePoints> {
        let mut input = Reader::new(bytes);
        if input.byte()? != FORMAT {
            return None;
        }
        let count = input.count()?;
        let mut points = Vec::with_capacity(count);
        let mut last = (0usize, 0usize);
        for n in 0..count {
            let words = usize::try_from(input.get()?).ok()?;
            let bytes = usize::try_from(input.get()?).ok()?;
            if n > 0 && (words == 0 || bytes == 0) {
                return None;
            }
            last = (last.0.checked_add(words)?, last.1.checked_add(bytes)?);
            points.push(last);
        }
        input.is_done().then_some(ResumePoints(points))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word of `text` from the start: position and byte range.
    fn read(text: &str) -> Vec<(usize, usize, usize)> {
        let mut tokenizer = NewsTokenizer::positions();
        let mut stream = tokenizer.token_stream(text);
        let mut words = Vec::new();
        while stream.advance() {
            let t = stream.token();
            words.push((t.position, t.offset_from, t.offset_to));
        }
        words
    }

    /// A long text of every kind of word the tokenizer reads its own way.
    fn varied() -> String {
        let pieces = [
            "The U.S. and U.K. envoys met; UNIDO's plan (e.g. the AI-driven one) ",
            "costs 12.5% more. O'Brien’s rock'n'roll café, naïve x—y ",
            "人工智能中心 日 東京で abc日本語def 한국어 뉴스 Ελλάδα Москва ",
            "end. A.B. it's  \n\n  tabs\tand…dots... “quoted” ",
        ];
        (0..200).map(|n| pieces[n % pieces.len()]).collect()
    }

    #[test]
    fn reading_on_from_any_point_gives_the_words_read_from_the_start() {
        let text = varied();
        let all = read(&text);
        let points = ResumePoints::of(&text);
        assert!(points.0.len() > 20, "{} points", points.0.len());
        let mut tokenizer = NewsTokenizer::positions();
        for &(position, at) in &points.0 {
            let mut stream = tokenizer.token_stream(&text);
            assert!(stream.resume(at, position));
            let mut rest = Vec::new();
            while stream.advance() {
                let t = stream.token();
                rest.push((t.position, t.offset_from, t.offset_to));
            }
            let first = all.iter().position(|w| w.0 == position + 1).unwrap();
            assert_eq!(rest, all[first..], "from the point after word {position}");
        }
        // Points are about EVERY words apart, and never inside a CJK run.
        for pair in points.0.windows(2) {
            assert!(pair[1].0 - pair[0].0 >= EVERY);
        }
    }

    #[test]
    fn points_placed_in_the_fingerprint_s_pass_are_the_points_of_the_text() {
        let text = varied();
        let mut placer = Placer::new(&text);
        let bands = crate::index::fingerprint::bands_and(&text, |s| placer.after_word(s));
        assert_eq!(placer.points(), ResumePoints::of(&text));
        assert_eq!(bands, crate::index::fingerprint::bands(&text));
        assert_eq!(bands.len(), crate::index::fingerprint::BANDS);
    }

    #[test]
    fn a_short_text_keeps_no_points() {
        assert!(ResumePoints::of("A few words only.").is_empty());
        assert!(ResumePoints::of(&"word ".repeat(800)).is_empty());
        assert!(!ResumePoints::of(&"word ".repeat(1000)).is_empty());
    }

    #[test]
    fn the_nearest_point_before_a_word_is_found() {
        let points = ResumePoints(vec![(63, 400), (127, 800), (191, 1200)]);
        assert_eq!(points.before(10), None);
        assert_eq!(points.before(63), None);
        assert_eq!(points.before(64), Some((63, 400)));
        assert_eq!(points.before(150), Some((127, 800)));
        assert_eq!(points.before(5000), Some((191, 1200)));
    }

    #[test]
    fn the_binary_form_comes_back_and_damage_reads_as_none() {
        let points = ResumePoints::of(&varied());
        let bytes = points.encode();
        assert_eq!(ResumePoints::decode(&bytes), Some(points.clone()));
        assert_eq!(ResumePoints::decode(&bytes[..bytes.len() - 1]), None);
        assert_eq!(ResumePoints::decode(&[]), None);
        assert_eq!(ResumePoints::decode(&[2, 0]), None);
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(ResumePoints::decode(&longer), None);
        // A point that does not move on is damage.
        assert_eq!(ResumePoints::decode(&[FORMAT, 2, 63, 10, 0, 5]), None);
        assert_eq!(
            ResumePoints::decode(&ResumePoints::default().encode()),
            Some(ResumePoints::default())
        );
    }
}
