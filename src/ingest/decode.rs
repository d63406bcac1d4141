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
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        guessed: Some(encoding.name()),
    }
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
