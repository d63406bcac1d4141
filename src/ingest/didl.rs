//! Delpher (KB, the Dutch national library) newspaper issues: a DIDL manifest
//! (`DDD_010097934_didl.xml`) beside one text file per article
//! (`DDD_010097934_0001_articletext.xml`, or `ddd_010097934_mpeg21_a0001_ocr.xml`
//! as the resolver names them). The manifest gives the paper, its place, the date
//! and language, and each article's identifier (`ddd:010097934:mpeg21:a0001`),
//! type (`artikel`, `advertentie`, `familiebericht`) and title; the text files give
//! the title and paragraphs.
//!
//! The text files a manifest lists are read through it, once (see
//! [`super::claim`]). A manifest that does not parse still lets its text files be
//! read, without the issue's metadata, with a warning; a text file alone is read
//! as an article of its own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use roxmltree::{Document, Node};

use super::claim::{Issue, read_limited, unreadable};
use super::date::parse_date;
use super::xml::{self, attr, child, children, descendants, find_text, name, text};
use super::{Problem, Record};
use crate::article::{Article, clean_line};

/// The issue's metadata from its manifest.
#[derive(Debug, Default, Clone, PartialEq)]
struct IssueMeta {
    /// `ddd:010097934:mpeg21`.
    id: Option<String>,
    title: Option<String>,
    place: Option<String>,
    date: Option<chrono::DateTime<chrono::Utc>>,
    lang: Option<String>,
}

/// One article the manifest lists.
#[derive(Debug, Default, Clone, PartialEq)]
struct Entry {
    /// `ddd:010097934:mpeg21:a0001`.
    id: String,
    /// The article's number in the issue (`a0001` → 1).
    number: u32,
    /// `artikel`, `advertentie`, `familiebericht`, `illustratie met onderschrift`.
    subject: Option<String>,
    title: Option<String>,
    /// The resolver address.
    url: Option<String>,
}

/// What a manifest says.
#[derive(Debug, Default)]
struct Manifest {
    meta: IssueMeta,
    entries: Vec<Entry>,
}

/// The issue's number (`010097934`) that names the text files of the manifest in
/// `text`, named `file_name`: from its identifier, else from its file name.
pub fn issue_token(text: &str, file_name: &str) -> Option<String> {
    xml::with_document(text, |doc| manifest(doc).meta.id)
        .ok()
        .flatten()
        .and_then(|id| token_of_id(&id))
        .or_else(|| token_of_name(file_name))
}

/// `ddd:010097934:mpeg21` → `010097934`.
fn token_of_id(id: &str) -> Option<String> {
    let id = id.rsplit("urn=").next().unwrap_or(id);
    id.split(':')
        .nth(1)
        .filter(|t| t.chars().all(|c| c.is_ascii_alphanumeric()) && !t.is_empty())
        .map(str::to_ascii_lowercase)
}

/// `DDD_010097934_didl.xml` → `010097934`.
fn token_of_name(file_name: &str) -> Option<String> {
    let stem = file_name.to_ascii_lowercase();
    let stem = stem.strip_suffix(".xml").unwrap_or(&stem);
    let parts: Vec<&str> = stem.split('_').collect();
    match parts.as_slice() {
        [.., token, "didl"] if token.chars().any(|c| c.is_ascii_digit()) => Some(token.to_string()),
        _ => None,
    }
}

/// The article number of a text file of the issue `token`, from its name:
/// `DDD_010097934_0001_articletext.xml` and `ddd_010097934_mpeg21_a0001_ocr.xml` → 1.
pub fn text_file_number(file_name: &str, token: &str) -> Option<u32> {
    let lower = file_name.to_ascii_lowercase();
    let stem = lower.strip_suffix(".xml")?;
    let parts: Vec<&str> = stem.split('_').collect();
    let [.., number, last] = parts.as_slice() else {
        return None;
    };
    if !matches!(*last, "articletext" | "ocr") || !parts.contains(&token) {
        return None;
    }
    let digits = number.strip_prefix('a').unwrap_or(number);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || *number == token {
        return None;
    }
    digits.parse().ok()
}

/// Whether a file's name and first bytes say it is one article's text
/// (`<text><title>…</title><p>…</p></text>`, `…_articletext.xml`).
pub fn is_article_text(file_name: &str, head: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    xml::root_name(head) == Some("text")
        && (lower.ends_with("articletext.xml")
            || lower.ends_with("_ocr.xml")
            || head.contains("articletext.xsd"))
}

/// Reads the manifest.
fn manifest(doc: &Document<'_>) -> Manifest {
    let root = doc.root_element();
    let Some(top) = child(root, "Item") else {
        return Manifest::default();
    };
    let mut meta = IssueMeta {
        id: attr(top, "identifier").map(str::to_string),
        ..IssueMeta::default()
    };
    // The issue's own record: in a component of the top item, the one without a subject.
    if let Some(record) = children(top, "Component")
        .flat_map(|c| descendants(c, "dcx"))
        .find(|r| find_text(*r, "subject").is_none())
    {
        meta.title = find_text(record, "title");
        meta.date = find_text(record, "date").and_then(|d| issue_date(&d));
        meta.lang = find_text(record, "language");
        let places: Vec<Node<'_, '_>> = descendants(record, "spatial").collect();
        meta.place = places
            .iter()
            .find(|p| attr(**p, "type").is_some_and(|t| t.ends_with("creation")))
            .or(places.first())
            .map(|p| text(*p))
            .filter(|p| !p.is_empty());
        if meta.id.is_none() {
            meta.id = find_text(record, "recordIdentifier");
        }
    }
    let entries = descendants(top, "Item")
        .filter(|item| *item != top)
        .filter_map(entry)
        .collect();
    Manifest { meta, entries }
}

/// An article item: its identifier ends in `a` and a number (pages end in `p001`).
fn entry(item: Node<'_, '_>) -> Option<Entry> {
    let record = descendants(item, "dcx").next();
    let id = attr(item, "identifier")
        .map(str::to_string)
        .or_else(|| record.and_then(|r| find_text(r, "recordIdentifier")))?;
    let number = id
        .rsplit(':')
        .next()?
        .strip_prefix('a')
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))?
        .parse()
        .ok()?;
    Some(Entry {
        number,
        subject: record.and_then(|r| find_text(r, "subject")),
        title: record.and_then(|r| find_text(r, "title")),
        url: record
            .and_then(|r| find_text(r, "identifier"))
            .filter(|u| u.starts_with("http")),
        id,
    })
}

/// `1869-01-02`, `1842/03/15 00:00:00`.
fn issue_date(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let day: String = text.trim().chars().take(10).collect();
    parse_date(&day.replace('/', "-")).or_else(|| parse_date(text))
}

/// One article text file: its title and paragraphs.
fn article_text(doc: &Document<'_>) -> (Option<String>, String) {
    let root = doc.root_element();
    let title = child(root, "title").map(text).filter(|t| !t.is_empty());
    let paragraphs: Vec<String> = children(root, "p")
        .map(text)
        .filter(|p| !p.is_empty())
        .collect();
    let body = if paragraphs.is_empty() {
        // No paragraphs: the text outside the title.
        let mut words: Vec<&str> = Vec::new();
        for piece in root.descendants().filter(|n| n.is_text()) {
            if !piece
                .ancestors()
                .any(|a| a.is_element() && name(a) == "title")
            {
                words.extend(piece.text().unwrap_or_default().split_whitespace());
            }
        }
        words.join(" ")
    } else {
        paragraphs.join("\n\n")
    };
    (title, body)
}

/// Reads one article text file on its own (no manifest beside it): its title and
/// paragraphs, its identifier made from its name when that follows KB's pattern.
pub fn read_text_file(text: &str, file_name: &str) -> Record {
    let (title, body) =
        xml::with_document(text, article_text).map_err(|e| (Problem::InvalidXml, e))?;
    let mut article = Article {
        title: title.unwrap_or_default(),
        body,
        ..Article::default()
    };
    if let Some(id) = id_of_name(file_name) {
        article.url = Some(resolver(&id));
        article.id = id;
    }
    if article.is_empty() {
        return Err((Problem::NoText, "an article text without words".into()));
    }
    Ok(article)
}

/// `DDD_010097934_0001_articletext.xml` → `ddd:010097934:mpeg21:a0001`.
fn id_of_name(file_name: &str) -> Option<String> {
    let lower = file_name.to_ascii_lowercase();
    let parts: Vec<&str> = lower.strip_suffix(".xml")?.split('_').collect();
    let (prefix, token) = (parts.first()?, parts.get(1)?);
    let number = text_file_number(file_name, token)?;
    Some(format!("{prefix}:{token}:mpeg21:a{number:04}"))
}

fn resolver(id: &str) -> String {
    format!("http://resolver.kb.nl/resolve?urn={id}")
}

/// Reads an issue whose manifest is `shown` (as the user named it) in `dir` (on
/// disk; `None` inside an archive, where its text files cannot be reached).
pub fn read(text: &str, shown: &str, dir: Option<&Path>, max_file_bytes: u64) -> Issue {
    let mut issue = Issue {
        records: Vec::new(),
        problems: Vec::new(),
    };
    let file_name = shown.rsplit(['/', '\\']).next().unwrap_or(shown);
    let parsed = xml::with_document(text, manifest);
    let manifest = match parsed {
        Ok(manifest) => manifest,
        Err(e) => {
            issue
                .problems
                .push((shown.to_string(), Problem::DamagedManifest, e));
            Manifest::default()
        }
    };
    let token = manifest
        .meta
        .id
        .as_deref()
        .and_then(token_of_id)
        .or_else(|| token_of_name(file_name));
    let Some(dir) = dir else {
        issue.records.push(Err((
            Problem::NoArticle,
            "a DIDL manifest inside an archive: its article texts are read on their own".into(),
        )));
        return issue;
    };
    let Some(token) = token else {
        issue.records.push(Err((
            Problem::NoArticle,
            "a DIDL manifest without an issue identifier: its article texts cannot be found".into(),
        )));
        return issue;
    };
    let files = text_files(dir, &token);
    let shown_dir = &shown[..shown.len() - file_name.len()];
    let listed: BTreeMap<u32, &Entry> = manifest.entries.iter().map(|e| (e.number, e)).collect();
    let missing = missing_texts(&listed, &files, (shown_dir, file_name, &token));
    issue.problems.extend(missing);
    for (number, path) in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let (title, body) = match title_and_body(path, format!("{shown_dir}{name}"), max_file_bytes)
        {
            Ok(parts) => parts,
            Err(problem) => {
                issue.problems.push(problem);
                continue;
            }
        };
        let entry = listed.get(number).copied();
        let article = issue_article(&manifest.meta, entry, title, body, name);
        if article.is_empty() {
            continue;
        }
        issue.records.push(Ok(article));
    }
    if issue.records.is_empty() && issue.problems.is_empty() {
        issue.records.push(Err((
            Problem::NoArticle,
            "a DIDL manifest with no article texts beside it".into(),
        )));
    }
    issue
}

/// What the manifest lists and is not among `files`, named as KB names the files
/// (in `shown_dir`, beside the manifest `file_name` of the issue `token`).
fn missing_texts(
    listed: &BTreeMap<u32, &Entry>,
    files: &BTreeMap<u32, PathBuf>,
    (shown_dir, file_name, token): (&str, &str, &str),
) -> Vec<(String, Problem, String)> {
    let prefix = file_name.split('_').next().filter(|p| *p != file_name);
    listed
        .values()
        .filter(|entry| !files.contains_key(&entry.number))
        .map(|entry| {
            let expected = format!(
                "{shown_dir}{}_{token}_{:04}_articletext.xml",
                prefix.unwrap_or("DDD"),
                entry.number
            );
            let detail = format!("{} is listed by its DIDL manifest but missing", entry.id);
            (expected, Problem::Unreadable, detail)
        })
        .collect()
}

/// The title and body of the article text file at `path` (named `shown` in
/// problems), or why it could not be read.
fn title_and_body(
    path: &Path,
    shown: String,
    max_file_bytes: u64,
) -> Result<(Option<String>, String), (String, Problem, String)> {
    let Some(text) = read_limited(path, max_file_bytes) else {
        return Err((shown, Problem::Unreadable, unreadable(max_file_bytes)));
    };
    xml::with_document(&text, article_text).map_err(|e| (shown, Problem::InvalidXml, e))
}

/// The text files of the issue `token` in `dir`, by article number.
fn text_files(dir: &Path, token: &str) -> BTreeMap<u32, PathBuf> {
    let Ok(listing) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    listing
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name();
            let number = text_file_number(name.to_str()?, token)?;
            Some((number, e.path()))
        })
        .collect()
}

/// One article of the issue: the manifest's fields, the text file's words.
fn issue_article(
    meta: &IssueMeta,
    entry: Option<&Entry>,
    title: Option<String>,
    body: String,
    file_name: &str,
) -> Article {
    let mut title = entry
        .and_then(|e| e.title.clone())
        .or(title)
        .unwrap_or_default();
    // Advertisements and notices are labelled by their type, as METS divisions are.
    if let Some(subject) = entry.and_then(|e| e.subject.as_deref())
        && !subject.eq_ignore_ascii_case("artikel")
    {
        let mut label: String = subject
            .chars()
            .take(1)
            .flat_map(char::to_uppercase)
            .collect();
        label.push_str(&subject[subject.chars().next().map_or(0, char::len_utf8)..]);
        title = if title.is_empty() {
            label
        } else {
            format!("{label}: {title}")
        };
    }
    let id = entry
        .map(|e| e.id.clone())
        .or_else(|| id_of_name(file_name))
        .unwrap_or_default();
    Article {
        url: entry
            .and_then(|e| e.url.clone())
            .or_else(|| (!id.is_empty()).then(|| resolver(&id))),
        id,
        title: clean_line(&title),
        body,
        source: meta.title.clone(),
        place: meta.place.clone(),
        date: meta.date,
        lang: meta.lang.clone(),
        ..Article::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<didl:DIDL xmlns:didl="urn:mpeg:mpeg21:2002:02-DIDL-NS" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcx="http://krait.kb.nl/coop/tel/handbook/telterms.html"
  xmlns:srw_dc="info:srw/schema/1/dc-v1.1">
 <didl:Item dc:identifier="ddd:010000042:mpeg21">
  <didl:Component dc:identifier="ddd:010000042:mpeg21:metadata">
   <didl:Resource mimeType="text/xml"><srw_dc:dcx>
    <dc:title>Leidsche courant</dc:title>
    <dc:date>1871/03/04 00:00:00</dc:date>
    <dcterms:spatial xsi:type="dcx:creation">Leiden</dcterms:spatial>
    <dc:language xsi:type="dcterms:ISO639-1">nl</dc:language>
   </srw_dc:dcx></didl:Resource>
  </didl:Component>
  <didl:Item dc:identifier="ddd:010000042:mpeg21:p001"/>
  <didl:Item dc:identifier="ddd:010000042:mpeg21:a0002">
   <didl:Component><didl:Resource mimeType="text/xml"><srw_dc:dcx>
    <dc:subject>advertentie</dc:subject>
    <dcx:recordIdentifier>ddd:010000042:mpeg21:a0002</dcx:recordIdentifier>
   </srw_dc:dcx></didl:Resource></didl:Component>
  </didl:Item>
 </didl:Item>
</didl:DIDL>"#;

    #[test]
    fn the_manifest_gives_the_issue_and_its_articles_without_declaring_xsi() {
        let read = xml::with_document(MANIFEST, manifest).unwrap();
        assert_eq!(read.meta.title.as_deref(), Some("Leidsche courant"));
        assert_eq!(read.meta.place.as_deref(), Some("Leiden"));
        assert_eq!(read.meta.lang.as_deref(), Some("nl"));
        assert_eq!(
            read.meta.date.map(|d| d.format("%Y-%m-%d").to_string()),
            Some("1871-03-04".into())
        );
        assert_eq!(read.entries.len(), 1, "pages are not articles");
        assert_eq!(read.entries[0].number, 2);
        assert_eq!(read.entries[0].subject.as_deref(), Some("advertentie"));
        assert_eq!(
            issue_token(MANIFEST, "whatever.xml").as_deref(),
            Some("010000042")
        );
    }

    #[test]
    fn text_files_are_known_by_their_names() {
        let token = "010000042";
        assert_eq!(
            text_file_number("DDD_010000042_0007_articletext.xml", token),
            Some(7)
        );
        assert_eq!(
            text_file_number("ddd_010000042_mpeg21_a0012_ocr.xml", token),
            Some(12)
        );
        assert_eq!(
            text_file_number("DDD_010000043_0007_articletext.xml", token),
            None
        );
        assert_eq!(text_file_number("DDD_010000042_didl.xml", token), None);
        assert_eq!(
            token_of_name("DDD_010000042_didl.xml").as_deref(),
            Some(token)
        );
        assert_eq!(
            id_of_name("DDD_010000042_0007_articletext.xml").as_deref(),
            Some("ddd:010000042:mpeg21:a0007")
        );
    }
}
