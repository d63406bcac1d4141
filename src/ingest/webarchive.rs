//! Web pages saved by Safari (`.webarchive`): a property list (read with
//! `plist`) whose main resource holds the page's bytes, its address and its
//! text encoding, beside the images and frames it showed. The page is read as
//! any web page is (`html`), decoded in the encoding Safari names, else as a
//! page on disk is; the address it was saved from is its URL when the page
//! names no canonical one.

use std::io::Cursor;

use plist::Value;

use super::decode;
use super::html;
use super::{Problem, Record};

/// Reads a Safari web archive; the flag is set when the page nested too deep
/// and was flattened.
pub fn read(bytes: &[u8]) -> (Record, bool) {
    let main = match Value::from_reader(Cursor::new(bytes)) {
        Ok(archive) => archive
            .as_dictionary()
            .and_then(|a| a.get("WebMainResource"))
            .and_then(Value::as_dictionary)
            .cloned(),
        Err(e) => {
            let detail = format!("not a readable Safari web archive ({e})");
            return (Err((Problem::Corrupt, detail)), false);
        }
    };
    let Some(main) = main else {
        let detail = "a property list, but not a Safari web archive (no main resource)";
        return (Err((Problem::NoText, detail.into())), false);
    };
    let text = |key: &str| main.get(key).and_then(Value::as_string);
    let Some(data) = main.get("WebResourceData").and_then(Value::as_data) else {
        return (
            Err((Problem::NoText, "a web archive without its page".into())),
            false,
        );
    };
    let declared = text("WebResourceTextEncodingName")
        .and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()));
    let page = match declared {
        Some(encoding) => encoding.decode_with_bom_removal(data).0.into_owned(),
        None => decode::decode(data).text,
    };
    let (mut article, flattened) = html::parse(&page);
    if article.url.is_none() {
        article.url = text("WebResourceURL")
            .filter(|url| url.starts_with("http"))
            .map(str::to_string);
    }
    let record = if article.is_empty() {
        Err((Problem::NoText, "saved page has no text".into()))
    } else {
        Ok(article)
    };
    (record, flattened)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plist::Dictionary;

    fn archive(html: &[u8], encoding: Option<&str>) -> Vec<u8> {
        let mut main = Dictionary::new();
        main.insert("WebResourceData".into(), Value::Data(html.to_vec()));
        main.insert("WebResourceMIMEType".into(), "text/html".into());
        main.insert("WebResourceURL".into(), "https://news.example/tram".into());
        if let Some(encoding) = encoding {
            main.insert("WebResourceTextEncodingName".into(), encoding.into());
        }
        let mut root = Dictionary::new();
        root.insert("WebMainResource".into(), Value::Dictionary(main));
        let mut out = Vec::new();
        Value::Dictionary(root).to_writer_binary(&mut out).unwrap();
        out
    }

    #[test]
    fn the_main_resource_is_read_in_its_encoding_with_its_address() {
        let page = b"<html><head><title>Tram fares rise</title></head><body><p>Fares rise \
                     to \xA45 in May, the council said on Friday after a long debate.</p></body></html>";
        let (record, _) = read(&archive(page, Some("ISO-8859-15")));
        let article = record.unwrap();
        assert_eq!(article.title, "Tram fares rise");
        assert!(article.body.contains("€5"), "{}", article.body);
        assert_eq!(article.url.as_deref(), Some("https://news.example/tram"));
    }

    #[test]
    fn other_property_lists_and_damaged_files_are_named() {
        let mut other = Vec::new();
        Value::Dictionary(Dictionary::new())
            .to_writer_binary(&mut other)
            .unwrap();
        assert!(read(&other).0.unwrap_err().1.contains("no main resource"));
        assert!(
            read(b"bplist00\x01\x02")
                .0
                .unwrap_err()
                .1
                .contains("not a readable")
        );
    }
}
