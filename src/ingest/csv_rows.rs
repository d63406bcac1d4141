//! Articles as the rows of a CSV file, as spreadsheets, news APIs and data sets
//! export them: the header names the columns, read as JSON's field names are
//! (`title`, `text`, `date`, `url`, …); each row is one article. The file is read
//! as a stream, a row at a time, in any character set (a byte-order mark, else
//! UTF-8, else the charset its opening suggests), with commas, semicolons or tabs
//! between the cells, whichever the header uses (or an Excel `sep=` line names).

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

use encoding_rs::{Encoding, UTF_8};
use serde_json::{Map, Value};

use super::{Problem, Record, json};

/// What reading the rows found besides the articles.
pub struct Outcome {
    /// The charset guessed for a file that is not UTF-8 and has no byte-order mark.
    pub guessed: Option<&'static str>,
}

/// Reads the rows of `reader`, whose first bytes are `head`, calling `each` with
/// (line number, article or problem). A row longer than `max_row_bytes` stops the
/// reading (an unclosed quote would otherwise take in the rest of the file), as
/// does a read error; both are passed to `each`.
pub fn for_each_row(
    reader: impl Read,
    head: &[u8],
    max_row_bytes: usize,
    mut each: impl FnMut(usize, Record) -> crate::Result<()>,
) -> crate::Result<Outcome> {
    let guessed = guess(head);
    let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
        .encoding(guessed)
        .bom_override(true)
        .build(reader);
    let row_bytes = Rc::new(Cell::new(0usize));
    let capped = Capped {
        inner: decoded,
        row_bytes: Rc::clone(&row_bytes),
        max: max_row_bytes,
    };
    let mut rows = csv::ReaderBuilder::new()
        .delimiter(delimiter(head))
        .flexible(true)
        .has_headers(false)
        .from_reader(capped);
    let outcome = Outcome {
        guessed: guessed.map(Encoding::name),
    };
    let mut record = csv::ByteRecord::new();
    let mut header: Option<Vec<String>> = None;
    let mut separator_line = excel_separator(head).is_some();
    loop {
        row_bytes.set(0);
        let line = rows.position().line() as usize;
        match rows.read_byte_record(&mut record) {
            Ok(false) => return Ok(outcome),
            Ok(true) => {}
            Err(e) => {
                let detail = match e.kind() {
                    csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::FileTooLarge => format!(
                        "a row over {} MB (an unclosed quote?); the rest was not read",
                        max_row_bytes / 1_000_000
                    ),
                    _ => format!("{e}; the rest was not read"),
                };
                each(line, Err((Problem::Corrupt, detail)))?;
                return Ok(outcome);
            }
        }
        if std::mem::take(&mut separator_line) {
            continue;
        }
        let Some(names) = &header else {
            match column_names(&record) {
                Ok(names) => header = Some(names),
                Err(detail) => {
                    each(line, Err((Problem::NoText, detail)))?;
                    return Ok(outcome);
                }
            }
            continue;
        };
        let object = fields(names, &record);
        if !object.is_empty() {
            each(line, json::from_object(&object))?;
        }
    }
}

/// The header's column names as JSON field names (`Published At` and
/// `published-at` are `published_at`), or why they name no article.
fn column_names(header: &csv::ByteRecord) -> Result<Vec<String>, String> {
    let names: Vec<String> = header
        .iter()
        .map(|name| {
            let name = String::from_utf8_lossy(name);
            let name = name.trim().trim_matches('"').to_lowercase();
            name.replace([' ', '-'], "_")
        })
        .collect();
    if json::names_a_text_field(&names) {
        Ok(names)
    } else {
        Err(format!(
            "its header names no title or text column ({}): the first line must name the columns",
            names.join(", ")
        ))
    }
}

/// A row's non-empty cells under their column names (the first of two columns
/// of one name wins), as a JSON record.
fn fields(names: &[String], row: &csv::ByteRecord) -> Map<String, Value> {
    let mut object = Map::new();
    for (name, cell) in names.iter().zip(row.iter()) {
        let cell = String::from_utf8_lossy(cell);
        if !cell.trim().is_empty() && !object.contains_key(name) {
            object.insert(name.clone(), Value::String(cell.into_owned()));
        }
    }
    object
}

/// The charset to read the file with: `None` for UTF-8 (or a byte-order mark,
/// which the reader finds itself), else the one the opening bytes suggest.
fn guess(head: &[u8]) -> Option<&'static Encoding> {
    if Encoding::for_bom(head).is_some() {
        return None;
    }
    // The head may end inside a character: only what is whole is judged.
    let valid = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > head.len(),
    };
    if valid {
        return None;
    }
    Some(super::decode::guess(head, false)).filter(|e| *e != UTF_8)
}

/// The separator the header line uses most: a comma, a semicolon (spreadsheets
/// in much of Europe) or a tab; quoted cells are not counted.
fn delimiter(head: &[u8]) -> u8 {
    if let Some(given) = excel_separator(head) {
        return given;
    }
    let (mut quoted, mut counts) = (false, [0usize; 3]);
    for &b in head.iter().take_while(|&&b| b != b'\n') {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// The separator an Excel export names on its first line (`sep=;`), if it does.
fn excel_separator(head: &[u8]) -> Option<u8> {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let line = head.split(|&b| b == b'\n').next()?;
    match line.strip_prefix(b"sep=")? {
        [separator] | [separator, b'\r'] => Some(*separator),
        _ => None,
    }
}

/// A reader that fails once one row has taken more than `max` bytes.
struct Capped<R> {
    inner: R,
    row_bytes: Rc<Cell<usize>>,
    max: usize,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.row_bytes.get() > self.max {
            return Err(io::Error::new(io::ErrorKind::FileTooLarge, "row too long"));
        }
        let n = self.inner.read(buf)?;
        self.row_bytes.set(self.row_bytes.get() + n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(bytes: &[u8], max: usize) -> Vec<(usize, Record)> {
        let mut out = Vec::new();
        for_each_row(bytes, &bytes[..bytes.len().min(64)], max, |line, record| {
            out.push((line, record));
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn each_row_is_an_article_named_by_the_header() {
        let text = "Headline,Text,Published At,Link\n\
                    \"Harbour, reopened\",\"The harbour\nreopened.\",2024-03-04,https://x.test/1\n\
                    Bridge,\"Council said \"\"yes\"\".\",4 mars 2024,\n";
        let got = rows(text.as_bytes(), 1 << 20);
        assert_eq!(got.len(), 2);
        let first = got[0].1.as_ref().unwrap();
        assert_eq!(first.title, "Harbour, reopened");
        assert_eq!(first.body, "The harbour\nreopened.");
        assert_eq!(first.url.as_deref(), Some("https://x.test/1"));
        assert!(first.date.is_some());
        let second = got[1].1.as_ref().unwrap();
        assert_eq!(
            (second.body.as_str(), second.url.as_ref()),
            ("Council said \"yes\".", None)
        );
        assert_eq!(got[1].0, 4, "the line the row starts on");
    }

    #[test]
    fn semicolons_tabs_and_other_charsets() {
        let latin1 =
            b"Ort;Titel;Text;Datum\nK\xf6ln;Caf\xe9;cr\xe8me br\xfbl\xe9e;4. M\xe4rz 2024\n";
        let got = rows(latin1, 1 << 20);
        let article = got[0].1.as_ref().unwrap();
        assert_eq!(
            (article.title.as_str(), article.body.as_str()),
            ("Café", "crème brûlée")
        );
        assert_eq!(
            article.date.unwrap().to_rfc3339(),
            "2024-03-04T00:00:00+00:00"
        );
        let excel = "sep=;\r\nTitle;Body\r\nA, b;C\r\n";
        let got = rows(excel.as_bytes(), 1 << 20);
        assert_eq!(got[0].1.as_ref().unwrap().title, "A, b");
        let tabs = "\u{feff}title\tbody\nA\tB\n";
        let got = rows(tabs.as_bytes(), 1 << 20);
        assert_eq!(got[0].1.as_ref().unwrap().title, "A");
    }

    #[test]
    fn a_header_without_text_columns_and_an_unclosed_quote_are_told() {
        let got = rows(b"a,b\n1,2\n", 1 << 20);
        assert!(matches!(&got[..], [(1, Err((Problem::NoText, _)))]));
        let mut runaway = b"title,body\nok,fine\nbad,\"never closed\n".to_vec();
        runaway.extend(std::iter::repeat_n(b'x', 200_000));
        let got = rows(&runaway, 10_000);
        assert!(got[0].1.is_ok());
        let (line, Err((Problem::Corrupt, detail))) = &got[1] else {
            panic!("{:?}", got[1]);
        };
        assert_eq!(*line, 3);
        assert!(detail.contains("an unclosed quote?"), "{detail}");
    }
}
