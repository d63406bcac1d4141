//! Citations of articles: a line of text (Chicago's newspaper form), BibTeX, RIS
//! and CSL-JSON, the formats Zotero and the other reference managers import.
//! Each gives the source, place, date, page, title, author and URL that the
//! article has; what it lacks is left out rather than made up.

use chrono::Datelike;
use serde_json::{Value, json};

use crate::article::Article;

/// A citation format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiteFormat {
    /// One line of text.
    Text,
    /// BibTeX, one `@article` per article.
    Bibtex,
    /// RIS, one `TY  - NEWS` record per article.
    Ris,
    /// CSL-JSON: one array of items.
    CslJson,
}

impl CiteFormat {
    /// The format a name gives (`text`, `bibtex`, `ris`, `csl-json`).
    pub fn parse(name: &str) -> Option<CiteFormat> {
        Some(match name {
            "text" => CiteFormat::Text,
            "bibtex" | "bib" => CiteFormat::Bibtex,
            "ris" => CiteFormat::Ris,
            "csl-json" | "csl" => CiteFormat::CslJson,
            _ => return None,
        })
    }

    /// The media type of the format.
    pub fn media_type(self) -> &'static str {
        match self {
            CiteFormat::Text => "text/plain; charset=utf-8",
            CiteFormat::Bibtex => "application/x-bibtex; charset=utf-8",
            CiteFormat::Ris => "application/x-research-info-systems; charset=utf-8",
            CiteFormat::CslJson => "application/vnd.citationstyles.csl+json; charset=utf-8",
        }
    }

    /// The file name extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            CiteFormat::Text => "txt",
            CiteFormat::Bibtex => "bib",
            CiteFormat::Ris => "ris",
            CiteFormat::CslJson => "json",
        }
    }
}

/// What a citation says of one article.
pub struct Cited<'a> {
    /// The article.
    pub article: &'a Article,
    /// Its address: the article's own URL, else where this server shows it.
    pub url: Option<String>,
}

impl<'a> Cited<'a> {
    /// `article`, with its own URL or else `fallback`.
    pub fn new(article: &'a Article, fallback: Option<String>) -> Self {
        let url = article
            .url
            .clone()
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            .or(fallback);
        Cited { article, url }
    }

    /// The first and last printed page, for articles whose pages are known.
    fn pages(&self) -> Option<(u32, u32)> {
        let pages = &self.article.scan.as_ref()?.pages;
        let first = pages.iter().map(|p| p.number).min()?;
        let last = pages.iter().map(|p| p.number).max()?;
        Some((first, last))
    }

    /// The pages joined by `dash` (`3`, `3–4`).
    fn page(&self, dash: &str) -> Option<String> {
        self.pages().map(|(first, last)| {
            if first == last {
                first.to_string()
            } else {
                format!("{first}{dash}{last}")
            }
        })
    }

    fn title(&self) -> String {
        let title = one_line(&self.article.title);
        if title.is_empty() {
            "[Untitled]".into()
        } else {
            title
        }
    }

    fn text(&self, field: &Option<String>) -> Option<String> {
        field
            .as_deref()
            .map(one_line)
            .filter(|value| !value.is_empty())
    }

    /// The source's name, without the closing full stop library catalogues give
    /// titles ("The interior journal.").
    fn source(&self) -> Option<String> {
        self.text(&self.article.source)
            .map(|s| s.trim_end_matches(['.', ',', ' ']).to_string())
            .filter(|s| !s.is_empty())
    }
}

/// The citations of `articles` in `format`.
pub fn citations(articles: &[Cited<'_>], format: CiteFormat) -> String {
    match format {
        CiteFormat::Text => articles.iter().map(|a| text(a) + "\n").collect(),
        CiteFormat::Bibtex => articles.iter().map(bibtex).collect::<Vec<_>>().join("\n"),
        CiteFormat::Ris => articles.iter().map(ris).collect(),
        CiteFormat::CslJson => {
            let items: Vec<Value> = articles.iter().map(csl).collect();
            serde_json::to_string_pretty(&items).unwrap_or_default() + "\n"
        }
    }
}

/// `Author. "Title." Source (Place), March 4, 1916, 3. URL.`
pub fn text(cited: &Cited<'_>) -> String {
    let a = cited.article;
    let mut out = String::new();
    if let Some(author) = cited.text(&a.author) {
        out.push_str(author.trim_end_matches('.'));
        out.push_str(". ");
    }
    let title = cited.title();
    let stop = if title.ends_with(['.', '?', '!']) {
        ""
    } else {
        "."
    };
    out.push_str(&format!("\u{201c}{title}{stop}\u{201d}"));
    let mut tail = Vec::new();
    if let Some(source) = cited.source() {
        tail.push(match cited.text(&a.place) {
            Some(place) => format!("{source} ({place})"),
            None => source,
        });
    }
    if let Some(date) = a.date {
        tail.push(date.format("%B %-d, %Y").to_string());
    }
    if let Some(page) = cited.page("\u{2013}") {
        tail.push(page);
    }
    if !tail.is_empty() {
        out.push(' ');
        out.push_str(&tail.join(", "));
        out.push('.');
    }
    if let Some(url) = &cited.url {
        out.push(' ');
        out.push_str(url);
        out.push('.');
    }
    out
}

/// One BibTeX `@article`, its values braced and TeX's special characters escaped.
fn bibtex(cited: &Cited<'_>) -> String {
    let a = cited.article;
    let mut fields: Vec<(&str, String)> = vec![("title", braced(&cited.title()))];
    if let Some(author) = cited.text(&a.author) {
        // Braced twice: a byline or an agency is one name, not "first last".
        fields.push(("author", format!("{{{}}}", braced(&author))));
    }
    if let Some(source) = cited.source() {
        fields.push(("journal", braced(&source)));
    }
    if let Some(place) = cited.text(&a.place) {
        fields.push(("address", braced(&place)));
    }
    if let Some(date) = a.date {
        fields.push(("year", format!("{{{}}}", date.year())));
        fields.push(("month", MONTHS[date.month0() as usize].to_string()));
        fields.push(("date", format!("{{{}}}", date.format("%Y-%m-%d"))));
    }
    if let Some(page) = cited.page("--") {
        fields.push(("pages", format!("{{{page}}}")));
    }
    if let Some(url) = &cited.url {
        fields.push((
            "url",
            format!("{{{}}}", url.replace('{', "%7B").replace('}', "%7D")),
        ));
    }
    if let Some(lang) = cited.text(&a.lang).filter(|l| l != "und") {
        fields.push(("language", braced(&lang)));
    }
    let mut out = format!("@article{{{},\n", key(cited));
    for (name, value) in &fields {
        out.push_str(&format!("  {name} = {value},\n"));
    }
    out.push_str("}\n");
    out
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A citation key: the source's first word, the year, and the article id's
/// letters and digits (`eveningstar1916a12`).
fn key(cited: &Cited<'_>) -> String {
    let a = cited.article;
    let word: String = a
        .source
        .as_deref()
        .unwrap_or("news")
        .split_whitespace()
        .filter(|w| !w.eq_ignore_ascii_case("the"))
        .take(2)
        .collect::<String>()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let year = a.date.map(|d| d.year().to_string()).unwrap_or_default();
    let id: String =
        a.id.chars()
            .filter(char::is_ascii_alphanumeric)
            .take(24)
            .collect();
    let word = if word.is_empty() { "news".into() } else { word };
    format!("{word}{year}{id}")
}

/// `{value}` with TeX's special characters escaped, so the braces balance.
fn braced(value: &str) -> String {
    let mut out = String::from("{");
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c => out.push(c),
        }
    }
    out.push('}');
    out
}

/// One RIS record (`TY  - NEWS` … `ER  - `), lines ending CRLF as the format says.
fn ris(cited: &Cited<'_>) -> String {
    let a = cited.article;
    let mut lines: Vec<(&str, String)> = vec![("TY", "NEWS".into()), ("TI", cited.title())];
    if let Some(author) = cited.text(&a.author) {
        lines.push(("AU", author));
    }
    if let Some(source) = cited.source() {
        lines.push(("T2", source));
    }
    if let Some(place) = cited.text(&a.place) {
        lines.push(("CY", place));
    }
    if let Some(date) = a.date {
        lines.push(("PY", date.year().to_string()));
        lines.push(("DA", date.format("%Y/%m/%d/").to_string()));
    }
    if let Some((first, last)) = cited.pages() {
        lines.push(("SP", first.to_string()));
        if last != first {
            lines.push(("EP", last.to_string()));
        }
    }
    if let Some(url) = &cited.url {
        lines.push(("UR", url.clone()));
    }
    if let Some(lang) = cited.text(&a.lang).filter(|l| l != "und") {
        lines.push(("LA", lang));
    }
    lines.push(("ID", one_line(&a.id)));
    let mut out = String::new();
    for (tag, value) in lines {
        out.push_str(&format!("{tag}  - {value}\r\n"));
    }
    out.push_str("ER  - \r\n");
    out
}

/// One CSL-JSON item of type `article-newspaper`.
fn csl(cited: &Cited<'_>) -> Value {
    let a = cited.article;
    let mut item = json!({
        "id": a.id,
        "type": "article-newspaper",
        "title": cited.title(),
    });
    let object = item.as_object_mut().expect("an object");
    if let Some(author) = cited.text(&a.author) {
        object.insert("author".into(), json!([{ "literal": author }]));
    }
    if let Some(source) = cited.source() {
        object.insert("container-title".into(), json!(source));
    }
    if let Some(place) = cited.text(&a.place) {
        object.insert("publisher-place".into(), json!(place));
    }
    if let Some(date) = a.date {
        object.insert(
            "issued".into(),
            json!({"date-parts": [[date.year(), date.month(), date.day()]]}),
        );
    }
    if let Some(page) = cited.page("-") {
        object.insert("page".into(), json!(page));
    }
    if let Some(url) = &cited.url {
        object.insert("URL".into(), json!(url));
    }
    if let Some(lang) = cited.text(&a.lang).filter(|l| l != "und") {
        object.insert("language".into(), json!(lang));
    }
    item
}

/// `text` on one line: whitespace and control characters collapsed.
fn one_line(text: &str) -> String {
    crate::article::clean_line(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_specials_are_escaped_and_braces_balance() {
        assert_eq!(braced("50% & {x}_1 #2 $"), r"{50\% \& \{x\}\_1 \#2 \$}");
        assert_eq!(braced(r"a\b"), r"{a\textbackslash{}b}");
    }
}
