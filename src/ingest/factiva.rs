//! Factiva (Dow Jones) exports: one file of up to a hundred articles, as
//! researchers download them, in RTF, Word, HTML or text. Each article ends with
//! its accession number, `Document J000000020190514ef5e0001` (`Dokument`,
//! `Documento` when Factiva's interface is in another language).
//!
//! "Full Article/Report plus Indexing" labels each field with Factiva's code:
//! `HD` headline, `BY` byline, `WC` words, `PD` date, `ET` time, `SN` source,
//! `LA` language, `CY` copyright, `LP` and `TD` the text, then index terms
//! (`NS`, `RE`, `IN`, `CO`…) and `AN` the accession number. The HTML export
//! puts each article in a `div.article` table, one row per code.
//!
//! "Full Article/Report" has no codes: the headline (and a `By …` line), the
//! word count (`523 words`), the date, the time, the source, its code, the
//! language and the copyright, each on its own line, then the text.
//!
//! Either becomes its articles, each with its headline, byline, date, source,
//! language, and the accession number as its id; the index terms are left out.

use chrono::{DateTime, NaiveTime, Utc};
use scraper::{ElementRef, Html, Selector};

use super::date::parse_date;
use crate::article::{Article, clean_line};
use crate::index::language;

/// The word an accession number follows, in Factiva's interface languages.
const DOCUMENT_WORDS: &[&str] = &["Document", "Dokument", "Documento", "Documents"];

/// The field codes of an indexed export.
const CODES: &[&str] = &[
    "SE", "HD", "BY", "CR", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "VOL", "LA", "CY", "LP",
    "TD", "CT", "RF", "CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN", "CLM", "ART", "NGC", "GC",
    "RST",
];

/// The words a word count is given in (`1,234 words`, `295 mots`).
const WORDS: &[&str] = &[
    "words", "word", "wörter", "mots", "palabras", "parole", "woorden", "palavras", "ord", "sanaa",
];

/// The accession number a line gives (`Document TESTFR0020111229e7ct0001r`,
/// `AN Document …` in an indexed export).
fn accession(line: &str) -> Option<&str> {
    let line = line.trim();
    let line = line
        .strip_prefix("AN")
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .map_or(line, str::trim_start);
    let (word, id) = line.split_once(char::is_whitespace)?;
    let id = id.trim();
    (DOCUMENT_WORDS.contains(&word) && is_accession_id(id)).then_some(id)
}

/// Whether `id` has the shape of an accession number: 20 to 32 letters and
/// digits, some of them digits.
fn is_accession_id(id: &str) -> bool {
    (20..=32).contains(&id.len())
        && id.chars().all(|c| c.is_ascii_alphanumeric())
        && id.chars().any(|c| c.is_ascii_digit())
}

/// The articles of a Factiva export whose paragraphs are `paragraphs`, or `None`
/// when it is not one (no line ends an article with an accession number).
pub fn split(paragraphs: &[String]) -> Option<Vec<Article>> {
    let lines: Vec<String> = paragraphs
        .iter()
        .flat_map(|p| p.lines())
        .map(|l| l.replace('\u{a0}', " ").trim_end().to_string())
        .collect();
    let mut articles = Vec::new();
    let mut start = 0;
    for (at, line) in lines.iter().enumerate() {
        if let Some(id) = accession(line) {
            if let Some(article) = article(&lines[start..at], id) {
                articles.push(article);
            }
            start = at + 1;
        }
    }
    (!articles.is_empty()).then_some(articles)
}

/// The articles of a plain-text Factiva export, or `None` when the text is not one.
pub fn split_text(text: &str) -> Option<Vec<Article>> {
    if !has_accession(text) {
        return None;
    }
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    split(&lines)
}

/// One article: the lines before its accession number `id`.
fn article(lines: &[String], id: &str) -> Option<Article> {
    let lines: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return None;
    }
    let mut article = if lines
        .iter()
        .any(|l| code_of(l).is_some_and(|(c, _)| c == "HD"))
    {
        indexed(&lines)
    } else {
        plain(&lines)
    };
    article.id = id.to_string();
    (!article.is_empty()).then_some(article)
}

/// A line's field code and the rest of the line (`HD\tPort strike ends`, as a
/// table row reads): the code alone, or before a tab, or before a space for
/// the codes no sentence opens with (a paragraph may well open with `IN` or
/// `RE`, but not with `TD`).
fn code_of(line: &str) -> Option<(&'static str, &str)> {
    let line = line.trim();
    let (code, rest, tabbed) = match line.split_once('\t') {
        Some((code, rest)) => (code.trim(), rest.trim(), true),
        None => match line.split_once(' ') {
            Some((code, rest)) => (code, rest.trim(), false),
            None => (line, "", true),
        },
    };
    let code = CODES.iter().find(|c| **c == code)?;
    (tabbed || !WORDLIKE_CODES.contains(code)).then_some((*code, rest))
}

/// The codes that are also words or abbreviations a paragraph may open with.
const WORDLIKE_CODES: &[&str] = &[
    "BY", "CR", "ED", "PG", "VOL", "CT", "CO", "IN", "RE", "ART", "LA", "SE",
];

/// An article of the indexed export: its lines grouped under their codes.
fn indexed(lines: &[&str]) -> Article {
    let mut fields: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in lines {
        match code_of(line) {
            Some((code, rest)) => fields.push((code, vec![rest])),
            None => match fields.last_mut() {
                Some((_, values)) => values.push(line),
                None => fields.push(("", vec![line])),
            },
        }
    }
    let field = |code: &str| -> Vec<&str> {
        fields
            .iter()
            .filter(|(c, _)| *c == code)
            .flat_map(|(_, values)| values.iter().copied())
            .filter(|v| !v.is_empty())
            .collect()
    };
    let one = |code: &str| Some(clean_line(&field(code).join(" "))).filter(|v| !v.is_empty());
    let mut body = field("LP");
    body.extend(field("TD"));
    Article {
        title: one("HD").unwrap_or_default(),
        author: one("BY").map(|by| byline(&by).unwrap_or(by)),
        date: one("PD").and_then(|d| at_time(&d, one("ET").as_deref())),
        source: one("SN"),
        lang: one("LA").and_then(|l| language::named(&l)),
        body: body.join("\n\n"),
        ..Article::default()
    }
}

/// An article of the export without codes: headline (and byline) above the word
/// count, then the date, time, source, its code, language and copyright, then
/// the text. Without a word count near the top, the first line is the headline.
fn plain(lines: &[&str]) -> Article {
    let Some(count_at) = lines.iter().take(8).position(|l| is_word_count(l)) else {
        return Article {
            title: clean_line(lines[0]),
            body: lines[1..].join("\n\n"),
            ..Article::default()
        };
    };
    let mut article = Article::default();
    let mut title = Vec::new();
    for line in &lines[..count_at] {
        match byline(line) {
            Some(name) if article.author.is_none() && !title.is_empty() => {
                article.author = Some(name);
            }
            _ => title.push(*line),
        }
    }
    article.title = clean_line(&title.join(" "));
    let mut at = count_at + 1;
    let mut time = None;
    while let Some(line) = lines.get(at) {
        if at > count_at + 1 && is_copyright(lines[at - 1]) {
            break;
        }
        if article.date.is_none() && parse_date(line).is_some() {
            article.date = parse_date(line);
        } else if NaiveTime::parse_from_str(line, "%H:%M").is_ok() {
            time = Some(*line);
        } else if article.source.is_none() && article.date.is_some() {
            article.source = Some(clean_line(line));
        } else if article.lang.is_none() && language::named(line).is_some() {
            article.lang = language::named(line);
        } else if !is_source_code(line) && !is_copyright(line) {
            break;
        }
        at += 1;
    }
    if let (Some(date), Some(time)) = (article.date, time) {
        article.date = at_time(&date.format("%Y-%m-%d").to_string(), Some(time));
    }
    article.body = lines[at..].join("\n\n");
    article
}

/// `523 words`, `1,234 words`, `295 mots`.
fn is_word_count(line: &str) -> bool {
    let Some((number, word)) = line.split_once(' ') else {
        return false;
    };
    !number.is_empty()
        && number
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        && WORDS.contains(&word.trim().to_lowercase().as_str())
}

/// A source's code: one short word of capitals and digits (`J`, `WSJO`, `TESTFR`).
fn is_source_code(line: &str) -> bool {
    line.len() <= 12
        && !line.is_empty()
        && line
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn is_copyright(line: &str) -> bool {
    let lower = line.to_lowercase();
    lower.starts_with("copyright")
        || lower.starts_with('©')
        || lower.starts_with("(c)")
        || lower.contains("all rights reserved")
}

/// The name in a byline (`By Jane Reporter`), if the line is one.
fn byline(line: &str) -> Option<String> {
    let name = ["By ", "BY ", "by ", "Von ", "Par "]
        .iter()
        .find_map(|p| line.strip_prefix(p))?;
    let words = name.split_whitespace().count();
    (words > 0 && words <= 8).then(|| clean_line(name))
}

/// A date (`14 May 2019`) at the time Factiva gives it (`09:30`, the source's
/// local time, kept as written).
fn at_time(date: &str, time: Option<&str>) -> Option<DateTime<Utc>> {
    let day = parse_date(date)?;
    let time = time.and_then(|t| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok());
    Some(match time {
        Some(t) => day + t.signed_duration_since(NaiveTime::MIN),
        None => day,
    })
}

/// Whether an HTML page is a Factiva export: articles in `div.article` and an
/// accession number.
pub fn sniff_html(html: &str) -> bool {
    html.contains("class=\"article") && has_accession(html)
}

/// Whether a text holds an accession number anywhere (a quick look before the
/// text is split into lines or parsed).
pub fn has_accession(text: &str) -> bool {
    // Every word begins `Document` or `Dokument`: two whole-text looks with the
    // standard library's vectorised search, before any word's occurrences are read
    // (reading those for each word was a fortieth of indexing plain-text pages).
    if !text.contains("Document") && !text.contains("Dokument") {
        return false;
    }
    DOCUMENT_WORDS.iter().any(|word| {
        text.match_indices(word).any(|(at, _)| {
            let id = text[at + word.len()..]
                .trim_start_matches([' ', '\t'])
                .split(|c: char| !c.is_ascii_alphanumeric())
                .next()
                .unwrap_or_default();
            is_accession_id(id)
        })
    })
}

/// The articles of Factiva's HTML export, or `None` when the page is not one.
pub fn read_html(html: &str) -> Option<Vec<Article>> {
    let doc = Html::parse_document(html);
    let articles = Selector::parse("div.article").ok()?;
    let mut lines = Vec::new();
    for div in doc.select(&articles) {
        lines.extend(article_lines(div));
    }
    split(&lines)
}

/// The lines of one `div.article`: each table row as `CODE value` (a value of
/// several paragraphs gives a line each), else each paragraph or block.
fn article_lines(div: ElementRef<'_>) -> Vec<String> {
    let select = |css: &str| Selector::parse(css).ok();
    let (Some(rows), Some(cells), Some(paragraphs), Some(blocks)) =
        (select("tr"), select("td"), select("p"), select("div, p"))
    else {
        return Vec::new();
    };
    let text = |e: ElementRef<'_>| clean_line(&e.text().collect::<String>());
    let mut lines = Vec::new();
    for row in div.select(&rows) {
        let mut row_cells = row.select(&cells);
        let (Some(code), Some(value)) = (row_cells.next(), row_cells.next()) else {
            continue;
        };
        let values: Vec<String> = match value.select(&paragraphs).map(text).collect::<Vec<_>>() {
            found if !found.is_empty() => found,
            _ => vec![text(value)],
        };
        for (n, value) in values.into_iter().enumerate() {
            let code = text(code);
            lines.push(if n == 0 {
                format!("{code}\t{value}")
            } else {
                value
            });
        }
    }
    if lines.is_empty() {
        lines = div
            .select(&blocks)
            .filter(|b| {
                !b.children()
                    .any(|c| ElementRef::wrap(c).is_some_and(|e| blocks.matches(&e)))
            })
            .map(text)
            .collect();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn an_accession_number_after_any_of_its_words_is_found() {
        for word in ["Document", "Dokument", "Documento", "Documents"] {
            let text = format!("Die Fähre kostet mehr.\n\n{word} KUEST00020190515ef5f0002b\n");
            assert!(has_accession(&text), "{word}");
        }
        // The word without a number of that shape, or a number after another word.
        assert!(!has_accession("Document KUEST0002 of the council"));
        assert!(!has_accession("Dossier KUEST00020190515ef5f0002b"));
    }

    #[test]
    fn the_export_without_codes_gives_each_article_its_fields() {
        let text = "Port workers end strike\nBy Ana Reporter\n1,412 words\n14 May 2019\n09:30\n\
                    The Harbour Gazette\nHARBG\nEnglish\nCopyright 2019 The Harbour Gazette.\n\n\
                    Dock workers voted on Tuesday.\n\nWORK resumes on Monday.\n\n\
                    Document HARBG00020190514ef5e0001a\n\n\
                    Fähren werden teurer\n287 Wörter\n15 Mai 2019\nKüstenblatt\nKUEST\nDeutsch\n\
                    (c) 2019 Küstenblatt\n\nDie Fähre kostet mehr.\n\n\
                    Dokument KUEST00020190515ef5f0002b\n\nSearch Summary\nText\tferry\n";
        let got = split_text(text).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].title, "Port workers end strike");
        assert_eq!(got[0].author.as_deref(), Some("Ana Reporter"));
        assert_eq!(
            got[0].date.unwrap().to_rfc3339(),
            "2019-05-14T09:30:00+00:00"
        );
        assert_eq!(got[0].source.as_deref(), Some("The Harbour Gazette"));
        assert_eq!(got[0].lang.as_deref(), Some("en"));
        assert_eq!(got[0].id, "HARBG00020190514ef5e0001a");
        // A short line of capitals after the copyright is text, not a code.
        assert_eq!(
            got[0].body,
            "Dock workers voted on Tuesday.\n\nWORK resumes on Monday."
        );
        assert_eq!(got[1].title, "Fähren werden teurer");
        assert_eq!(got[1].source.as_deref(), Some("Küstenblatt"));
        assert_eq!(got[1].lang.as_deref(), Some("de"));
        assert_eq!(got[1].body, "Die Fähre kostet mehr.");
    }

    #[test]
    fn the_indexed_export_reads_its_codes_and_leaves_index_terms_out() {
        let got = split(&lines(
            "SE\tBusiness\nHD\tTram fares rise\t\nBY\tBy Jo Writer\nWC\t120 words\n\
             PD\t3 March 2020\nSN\tCity Ledger\nLA\tEnglish\nLP\tFares rise in May.\t\n\
             IN the spring, buses follow.\nTD\tThe council voted.\nRE\tuk : United Kingdom\n\
             AN\tDocument CITYL00020200303eg330001x\n",
        ))
        .unwrap();
        assert_eq!(got.len(), 1);
        let article = &got[0];
        assert_eq!(article.title, "Tram fares rise");
        assert_eq!(article.author.as_deref(), Some("Jo Writer"));
        assert_eq!(article.source.as_deref(), Some("City Ledger"));
        assert_eq!(
            article.body,
            "Fares rise in May.\n\nIN the spring, buses follow.\n\nThe council voted."
        );
        assert_eq!(article.id, "CITYL00020200303eg330001x");
    }

    #[test]
    fn other_documents_are_not_exports() {
        assert!(split(&lines("A memo\n\nDocument these steps carefully.\n")).is_none());
        assert!(split_text("Nothing here.").is_none());
        assert_eq!(
            accession("Document J000000020190514ef5e0001"),
            Some("J000000020190514ef5e0001")
        );
        assert_eq!(accession("Document short1"), None);
    }
}
