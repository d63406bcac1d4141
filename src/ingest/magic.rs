//! What a binary file that is not read is, by its first bytes, so that the
//! warning names it: a Word for DOS document saved as `.doc` (as old newsroom
//! archives hold them) says so, rather than "contains NUL bytes".

/// Formats known by their opening bytes, with what the warning calls them.
const KINDS: &[(&[u8], &str)] = &[
    (
        b"\x31\xBE\x00\x00",
        "a Word for DOS or Word 1 document, which is not read: save it as .docx",
    ),
    (
        b"\xDB\xA5\x2D\x00",
        "a Word 2 document, which is not read: save it as .docx",
    ),
    (b"\xFF\xD8\xFF", "an image (JPEG), not text"),
    (b"\x89PNG\r\n\x1A\n", "an image (PNG), not text"),
    (b"GIF8", "an image (GIF), not text"),
    (b"II*\x00", "an image (TIFF), not text"),
    (b"MM\x00*", "an image (TIFF), not text"),
    (b"\x00\x00\x00\x0CjP  ", "an image (JPEG 2000), not text"),
    (
        b"7z\xBC\xAF\x27\x1C",
        "a 7-Zip archive, which is not read: unpack it, or zip it",
    ),
    (
        b"Rar!\x1A\x07",
        "a RAR archive, which is not read: unpack it, or zip it",
    ),
    (
        b"SQLite format 3\x00",
        "an SQLite database, not text: export its articles as JSON Lines",
    ),
    (b"\x7FELF", "a program, not text"),
    (b"MZ", "a program, not text"),
];

/// What `head` (a file's first bytes) is, when it opens as a known binary format.
pub fn binary_kind(head: &[u8]) -> Option<&'static str> {
    KINDS
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|(_, kind)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_formats_are_named_and_others_are_not() {
        let word_2 = b"\xDB\xA5\x2D\x00\x00\x00\x09\x04";
        assert!(
            binary_kind(word_2)
                .unwrap()
                .starts_with("a Word 2 document")
        );
        assert!(
            binary_kind(b"\xFF\xD8\xFF\xE0\x00\x10JFIF")
                .unwrap()
                .contains("JPEG")
        );
        assert_eq!(binary_kind(b"\x00\x01\x02binary\x00"), None);
        assert_eq!(binary_kind(b""), None);
    }
}
