//! Bytes to text: UTF-8 when it is UTF-8, else the charset the document declares
//! (BOM, `<meta charset>`, XML declaration), else a guess by `chardetng`.

use encoding_rs::{Encoding, UTF_8};

/// Text decoded from bytes, and how.
pub struct Decoded {
    /// The text.
    pub text: String,
    /// Set when the bytes were not UTF-8 and no charset was declared: the encoding guessed.
    pub guessed: Option<&'static str>,
}

/// Whether `bytes` open with a UTF-16 byte-order mark (text whose NUL bytes are
/// half its ASCII characters, not a sign of binary).
pub fn is_utf16(bytes: &[u8]) -> bool {
    matches!(Encoding::for_bom(bytes), Some((encoding, _)) if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE)
}

/// Decodes `bytes`, honouring a declared charset.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Decoded {
            text: text.into_owned(),
            guessed: None,
        };
    }
    if let Some(encoding) = declared(bytes)
        && encoding != UTF_8
    {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return Decoded {
            text: text.into_owned(),
            guessed: None,
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: text.to_string(),
            guessed: None,
        };
    }
    let encoding = guess(bytes, true);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        guessed: Some(encoding.name()),
    }
}

/// The charset `chardetng` guesses for bytes that are not UTF-8; `whole` when
/// they are the whole text, not its opening.
pub fn guess(bytes: &[u8], whole: bool) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, whole);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// Repairs text that was UTF-8 decoded once too often as Windows-1252 (`Ã©` for
/// `é`, `â€™` for `’`), when that is unambiguous: the text has the telltale pairs,
/// every character maps back to one byte, and the bytes are valid UTF-8.
pub fn repair_mojibake(text: &str) -> Option<String> {
    if !["Ã", "Â", "â€"].iter().any(|m| text.contains(m)) {
        return None;
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    if unmappable {
        return None;
    }
    let repaired = String::from_utf8(bytes.into_owned()).ok()?;
    (repaired != text).then_some(repaired)
}

/// The encoding of a Windows code page number, where there is one.
pub fn codepage(number: i32) -> Option<&'static Encoding> {
    let label = match number {
        874 | 1250..=1258 => format!("windows-{number}"),
        932 => "shift_jis".into(),
        936 => "gbk".into(),
        949 => "euc-kr".into(),
        950 => "big5".into(),
        10000 => "macintosh".into(),
        20866 => "koi8-r".into(),
        28591..=28599 => format!("iso-8859-{}", number - 28590),
        65001 => "utf-8".into(),
        1200 => "utf-16le".into(),
        _ => return None,
    };
    Encoding::for_label(label.as_bytes())
}

/// A charset named in the first kilobytes: `<meta charset="…">`,
/// `content="text/html; charset=…"` or `<?xml … encoding="…"?>`.
fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    for key in ["charset=", "encoding="] {
        let mut rest = head.as_str();
        while let Some(at) = rest.find(key) {
            let value = rest[at + key.len()..].trim_start_matches(['"', '\'', ' ']);
            let end = value
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(value.len());
            if let Some(encoding) = Encoding::for_label(&value.as_bytes()[..end]) {
                return Some(encoding);
            }
            rest = &rest[at + key.len()..];
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_encoded_utf8_is_repaired_only_when_unambiguous() {
        let garbled = "CafÃ© owner says â€œno commentâ€\u{9d}";
        assert_eq!(
            repair_mojibake(garbled).as_deref(),
            Some("Café owner says “no comment”")
        );
        assert_eq!(repair_mojibake("Café au lait"), None);
        // Ã in a real word beside a character Windows-1252 lacks: left alone.
        assert_eq!(repair_mojibake("SÃO PAULO → Rio"), None);
    }

    #[test]
    fn utf8_passes_through() {
        let d = decode("Café".as_bytes());
        assert_eq!(d.text, "Café");
        assert!(d.guessed.is_none());
    }

    #[test]
    fn declared_legacy_charsets() {
        let (gbk, _, _) = encoding_rs::GBK.encode("<meta charset=\"gb2312\"><p>人工智能</p>");
        assert!(decode(&gbk).text.contains("人工智能"));
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">東京",
        );
        assert!(decode(&sjis).text.contains("東京"));
        let latin = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss>Caf\xe9</rss>";
        assert!(decode(latin).text.contains("Café"));
    }

    #[test]
    fn undeclared_legacy_text_is_guessed() {
        let d = decode(b"M\xfcller said the caf\xe9 would reopen on Monday after the works.");
        assert!(
            d.text.contains("Müller") && d.text.contains("café"),
            "{}",
            d.text
        );
        assert!(d.guessed.is_some());
    }
}
