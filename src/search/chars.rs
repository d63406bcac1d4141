//! A text read by character index, as passages are chosen: a text all of ASCII
//! (most of an English archive's pages) is read as its bytes, any other is
//! decoded into characters once.

use std::ops::{Index, Range};

/// The characters of one text.
pub enum Chars<'a> {
    /// Every character is one byte.
    Ascii(&'a str),
    /// The characters, decoded.
    Decoded(Vec<char>),
}

/// Each ASCII character, to lend one out by reference.
static ASCII: [char; 128] = {
    let mut table = ['\0'; 128];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = byte as u8 as char;
        byte += 1;
    }
    table
};

impl Chars<'_> {
    /// The characters of `text`.
    pub fn of(text: &str) -> Chars<'_> {
        if text.is_ascii() {
            Chars::Ascii(text)
        } else {
            Chars::Decoded(text.chars().collect())
        }
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        match self {
            Chars::Ascii(text) => text.len(),
            Chars::Decoded(chars) => chars.len(),
        }
    }

    /// The character at `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<char> {
        (i < self.len()).then(|| self[i])
    }

    /// The characters of `range` as a string.
    pub fn string(&self, range: Range<usize>) -> String {
        match self {
            Chars::Ascii(text) => text[range].to_string(),
            Chars::Decoded(chars) => chars[range].iter().collect(),
        }
    }
}

impl Index<usize> for Chars<'_> {
    type Output = char;

    fn index(&self, i: usize) -> &char {
        match self {
            Chars::Ascii(text) => &ASCII[usize::from(text.as_bytes()[i])],
            Chars::Decoded(chars) => &chars[i],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_readings_give_the_text_s_characters() {
        for text in ["Plain words. And\ttabs\n", "café naïve — 人工智能", ""] {
            let chars = Chars::of(text);
            let expected: Vec<char> = text.chars().collect();
            assert_eq!(matches!(chars, Chars::Ascii(_)), text.is_ascii());
            assert_eq!(chars.len(), expected.len());
            for (i, &c) in expected.iter().enumerate() {
                assert_eq!(chars[i], c);
                assert_eq!(chars.get(i), Some(c));
            }
            assert_eq!(chars.get(expected.len()), None);
            let half = expected.len() / 2;
            assert_eq!(
                chars.string(1.min(half)..half),
                expected[1.min(half)..half].iter().collect::<String>()
            );
        }
    }
}
