//! Wire-service SGML with many articles per file: Reuters-21578 `<REUTERS>` records
//! (DATE, TITLE, DATELINE, BODY) and TREC-style `<DOC><DOCNO>…<TEXT>` collections.
//! These files are not XML (bare `&#3;` control references, no single root in TREC
//! files, a DOCTYPE with no DTD at hand), so a small tag scanner reads them.

use super::date::parse_date;
use super::{Problem, Record};
use crate::article::{Article, clean_line};

/// Parses every record of an SGML file; each comes with the line it starts on.
pub fn parse(text: &str) -> Vec<(usize, Record)> {
    if text.contains("<REUTERS") {
        blocks(text, "REUTERS")
            .map(|(line, open, inner)| (line, reuters(open, inner)))
            .collect()
    } else {
        blocks(text, "DOC")
            .map(|(line, _, inner)| (line, trec(inner)))
            .collect()
    }
}

/// True when `text` looks like one of the SGML collections we read.
pub fn sniff(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect();
    head.contains("<REUTERS") || (head.contains("<DOC>") && head.contains("<DOCNO>"))
}

fn reuters(open: &str, inner: &str) -> Record {
    let text = element(inner, "TEXT").unwrap_or("");
    let dateline = element(text, "DATELINE").map(clean).unwrap_or_default();
    let body = match element(text, "BODY") {
        Some(body) => clean_body(body),
        // TYPE="UNPROC" and "BRIEF" records keep their text directly inside <TEXT>.
        None if element(text, "TITLE").is_none() => clean_body(&strip_tags(text)),
        None => String::new(),
    };
    let body = match (dateline.is_empty(), body.is_empty()) {
        (false, false) => format!("{dateline} {body}"),
        _ => body,
    };
    let article = Article {
        id: attribute(open, "NEWID").unwrap_or_default(),
        title: element(text, "TITLE").map(clean).unwrap_or_default(),
        body,
        date: element(inner, "DATE").and_then(reuters_date),
        source: Some("Reuters".to_string()),
        ..Article::default()
    };
    finish(article)
}

fn trec(inner: &str) -> Record {
    let first = |names: &[&str]| names.iter().find_map(|n| element(inner, n));
    let article = Article {
        id: first(&["DOCNO"]).map(clean).unwrap_or_default(),
        title: first(&["HEADLINE", "HEAD", "TITLE", "HL"])
            .map(|t| clean(&strip_tags(t)))
            .unwrap_or_default(),
        body: first(&["TEXT", "BODY"])
            .map(|t| clean_body(&strip_tags(t)))
            .unwrap_or_default(),
        date: first(&["DATE", "DATE_TIME", "PUBDATE"]).and_then(|d| parse_date(&clean(d))),
        source: first(&["SOURCE", "PUBLISHER", "SO"]).map(|s| clean(&strip_tags(s))),
        author: first(&["BYLINE", "AUTHOR"]).map(|s| clean(&strip_tags(s))),
        ..Article::default()
    };
    finish(article)
}

/// A record with an id is kept even without text: it is part of the collection
/// (Reuters-21578 has one empty wire message), and its date and id still count.
fn finish(article: Article) -> Record {
    if article.is_empty() && article.id.is_empty() {
        return Err((Problem::NoText, "record has no title or text".into()));
    }
    Ok(article)
}

/// Reuters dates look like ` 3-MAR-1987 09:18:21.26` with stray control references after.
fn reuters_date(raw: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let cleaned = clean(raw);
    let stamp: Vec<&str> = cleaned.split_whitespace().take(2).collect();
    // A few stamps have an impossible time (`605:12:19.12`): keep the day then.
    parse_date(&stamp.join(" ")).or_else(|| parse_date(stamp.first()?))
}

/// Decodes entities and collapses whitespace and control characters.
fn clean(raw: &str) -> String {
    clean_line(&decode(raw))
}

/// Decodes character entities; wire-protocol control references (`&#2;`, `&#3;`)
/// become spaces, which the callers collapse.
fn decode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 2..];
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        let control = digits > 0
            && tail[digits..].starts_with(';')
            && tail[..digits]
                .parse::<u32>()
                .is_ok_and(|n| n < 32 || n == 127);
        if control {
            out.push(' ');
            rest = &tail[digits + 1..];
        } else {
            out.push_str("&#");
            rest = tail;
        }
    }
    out.push_str(rest);
    html_escape::decode_html_entities(&out).into_owned()
}

/// Like [`clean`] but keeps paragraph breaks, and drops the wire's closing `Reuter` sign-off.
fn clean_body(raw: &str) -> String {
    let decoded = decode(raw);
    let lines: Vec<String> = decoded
        .lines()
        .map(clean_line)
        .filter(|l| !l.is_empty())
        .collect();
    let mut end = lines.len();
    if end > 0 && matches!(lines[end - 1].as_str(), "Reuter" | "REUTER" | "Reuters") {
        end -= 1;
    }
    lines[..end].join("\n")
}

/// Removes `<…>` tags, keeping their text (each tag becomes a space).
pub fn strip_tags(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut in_tag = false;
    for ch in raw.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out
}

/// Iterates over `<NAME …>inner</NAME>` blocks: (1-based start line, opening tag, inner text).
fn blocks<'a>(
    text: &'a str,
    name: &str,
) -> impl Iterator<Item = (usize, &'a str, &'a str)> + use<'a> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut pos = 0;
    let mut line = 1;
    std::iter::from_fn(move || {
        loop {
            let start = pos + text.get(pos..)?.find(&open)?;
            let after = start + open.len();
            // `<DOC` must not match `<DOCNO>`: the name has to end here.
            let boundary = text[after..]
                .chars()
                .next()
                .is_some_and(|c| c == '>' || c.is_whitespace());
            if !boundary {
                line += text[pos..after].matches('\n').count();
                pos = after;
                continue;
            }
            let tag_end = after + text[after..].find('>')?;
            let inner_start = tag_end + 1;
            let inner_end = text[inner_start..]
                .find(&close)
                .map_or(text.len(), |i| inner_start + i);
            line += text[pos..start].matches('\n').count();
            pos = (inner_end + close.len()).min(text.len());
            let this_line = line;
            line += text[start..pos].matches('\n').count();
            return Some((
                this_line,
                &text[start..inner_start],
                &text[inner_start..inner_end],
            ));
        }
    })
}

/// The inner text of the first `<NAME …>…</NAME>` in `text`.
fn element<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    blocks(text, name).next().map(|(_, _, inner)| inner)
}

/// The value of `NAME="…"` in an opening tag.
fn attribute(open_tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = open_tag.find(&key)? + key.len();
    let end = start + open_tag[start..].find('"')?;
    Some(open_tag[start..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const REUTERS: &str = "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS TOPICS=\"YES\" NEWID=\"7\">\n<DATE>26-FEB-1987 15:01:01.79&#5;&#5;RM</DATE>\n<TOPICS><D>cocoa</D></TOPICS>\n<TEXT>&#2;\n<TITLE>BAHIA COCOA &lt;REVIEW&gt;</TITLE>\n<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued\nthroughout the week.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n<REUTERS NEWID=\"8\">\n<DATE> 3-MAR-1987 09:18:21.26</DATE>\n<TEXT TYPE=\"UNPROC\">&#2;\nUnprocessed wire text.\n&#3;</TEXT>\n</REUTERS>\n<REUTERS NEWID=\"9\"><TEXT>&#2;</TEXT></REUTERS><REUTERS><TEXT>&#2;</TEXT></REUTERS>";

    #[test]
    fn reuters_records() {
        let records = parse(REUTERS);
        assert_eq!(records.len(), 4);
        let (line, first) = &records[0];
        let a = first.as_ref().unwrap();
        assert_eq!(*line, 2);
        assert_eq!(a.id, "7");
        assert_eq!(a.title, "BAHIA COCOA <REVIEW>");
        assert_eq!(
            a.body,
            "SALVADOR, Feb 26 - Showers continued\nthroughout the week."
        );
        assert_eq!(
            a.date.unwrap().to_rfc3339(),
            "1987-02-26T15:01:01.790+00:00"
        );
        assert_eq!(a.source.as_deref(), Some("Reuters"));
        let b = records[1].1.as_ref().unwrap();
        assert_eq!(b.body, "Unprocessed wire text.");
        assert_eq!(
            b.date.unwrap().to_rfc3339(),
            "1987-03-03T09:18:21.260+00:00"
        );
        assert_eq!(records[2].0, 18);
        assert_eq!(records[2].1.as_ref().unwrap().id, "9");
        assert!(matches!(records[3].1, Err((Problem::NoText, _))));
    }

    #[test]
    fn trec_documents() {
        let text = "<DOC>\n<DOCNO> FT911-1 </DOCNO>\n<HEADLINE>Markets &amp; money</HEADLINE>\n<DATE>1991-05-02</DATE>\n<TEXT>\n<P>First para.</P>\n<P>Second.</P>\n</TEXT>\n</DOC>\n<DOC><DOCNO>FT911-2</DOCNO><TEXT>Only text</TEXT></DOC>\n";
        assert!(sniff(text));
        let records = parse(text);
        assert_eq!(records.len(), 2);
        let a = records[0].1.as_ref().unwrap();
        assert_eq!(a.id, "FT911-1");
        assert_eq!(a.title, "Markets & money");
        assert_eq!(a.body, "First para.\nSecond.");
        assert!(a.date.is_some());
        assert_eq!(records[1].1.as_ref().unwrap().body, "Only text");
    }
}
