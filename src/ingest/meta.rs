//! Metadata that lives beside the articles rather than in them, for dumps such as
//! newspaper page scans (`dates/19160103/sn82014086-ed-1_seq-1.txt` + `titles.tsv`):
//!
//! - **Sidecar tables**: every `.tsv` file met in a walked folder is a table whose first
//!   column is a key and whose header names the other columns. A file below that
//!   folder whose path has a component equal to a key, or starting with the key and
//!   then a non-alphanumeric character (`sn82014086-ed-1_seq-1.txt` for key
//!   `sn82014086`), takes the row's `source` (column `source`, `name`, `newspaper`,
//!   `publisher` or `title`), `author`, `url` and `date` where the article has none.
//! - **Dates in paths**: a path component `YYYYMMDD` or starting with `YYYY-MM-DD`,
//!   or folders `YYYY/MM/DD`, dates an article that has no date of its own.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};

use xxhash_rust::xxh3::xxh3_64;

use super::date::{parse_date, parse_date_field};
use crate::article::{Article, clean_line};

/// Defaults from the rows of the sidecar tables that describe one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Defaults {
    /// Publisher or newspaper name.
    pub source: Option<String>,
    /// Place of publication.
    pub place: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// URL, or a template for one (`{…}` placeholders, see [`fill_template`]).
    pub url: Option<String>,
    /// Date.
    pub date: Option<DateTime<Utc>>,
    /// Language (a code or name, as `language::declared` reads it).
    pub lang: Option<String>,
    /// The key of the row that matched the file (not of a `*` row).
    pub key: Option<String>,
    /// Every cell of the matched rows, by lowercase column name, for templates.
    pub cells: Vec<(String, String)>,
    /// A hash of the rows that applied: when a row changes, so does the file's stamp.
    pub rows_hash: u64,
}

/// One sidecar table and the folder it governs.
#[derive(Debug)]
struct Table {
    dir: PathBuf,
    rows: HashMap<String, Defaults>,
}

/// All sidecar tables found by the walk and in the walked folders' ancestors.
#[derive(Debug, Default)]
pub struct MetaTables {
    tables: Vec<Table>,
}

/// Why a `.tsv` file is not a metadata table at all (as opposed to a table with
/// a problem).
pub const NOT_A_TABLE: &str = "empty, or no source, name, place, author, url, url_template, date or language column in the header";

/// What reading one table gave.
pub struct Loaded {
    /// How many rows it has.
    pub rows: usize,
    /// Its date cells that could not be read, for the warning: the first, its
    /// row, and how many more.
    pub unread_dates: Option<String>,
}

impl MetaTables {
    /// Reads a TSV table; `dir` is the canonical folder it applies to. A row whose
    /// key is `*` describes every file below `dir` (its cells fill what the
    /// file's own row leaves empty).
    pub fn load(&mut self, dir: PathBuf, text: &str) -> Result<Loaded, String> {
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let header_line = lines.next().ok_or(NOT_A_TABLE)?;
        let header: Vec<String> = header_line
            .split('\t')
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let column = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| header.iter().position(|h| h == n))
        };
        let source = column(&["source", "name", "newspaper", "publisher", "title"]);
        let place = column(&["place_of_publication", "place", "city", "location"]);
        let author = column(&["author", "byline"]);
        let url = column(&["url_template", "url", "link"]);
        let date = column(&["date", "published"]);
        let lang = column(&["language", "lang"]);
        if [source, place, author, url, date, lang]
            .iter()
            .all(Option::is_none)
        {
            return Err(NOT_A_TABLE.into());
        }
        let header_hash = xxh3_64(header_line.as_bytes());
        let mut rows = HashMap::new();
        let mut unread: Option<String> = None;
        let mut unread_count = 0usize;
        for line in lines {
            let cells: Vec<&str> = line.split('\t').collect();
            let cell = |i: Option<usize>| {
                i.and_then(|i| cells.get(i))
                    .map(|c| clean_line(c))
                    .filter(|c| !c.is_empty())
            };
            let key = cells[0].trim();
            if key.is_empty() {
                continue;
            }
            let defaults = Defaults {
                source: cell(source),
                place: cell(place),
                author: cell(author),
                url: cell(url),
                date: cell(date).and_then(|d| {
                    let read = parse_date_field(&d);
                    if read.is_none() {
                        unread_count += 1;
                        unread.get_or_insert_with(|| format!("`{d}` (row {key})"));
                    }
                    read
                }),
                lang: cell(lang),
                key: (key != "*").then(|| key.to_string()),
                cells: header
                    .iter()
                    .zip(&cells)
                    .map(|(h, c)| (h.clone(), clean_line(c)))
                    .collect(),
                rows_hash: xxh3_64(line.as_bytes()) ^ header_hash,
            };
            rows.insert(key.to_string(), defaults);
        }
        let count = rows.len();
        self.tables.push(Table { dir, rows });
        // The deepest folder's table first: the closest description wins.
        self.tables
            .sort_by_key(|t| std::cmp::Reverse(t.dir.components().count()));
        Ok(Loaded {
            rows: count,
            unread_dates: unread.map(|first| match unread_count {
                1 => first,
                n => format!("{first}, and {} more in this table", n - 1),
            }),
        })
    }

    /// What the tables say of the file at canonical path `key`: for each field, the
    /// row of the deepest table that has it (a row for the file before a `*` row).
    pub fn defaults_for(&self, key: &Path) -> Option<Defaults> {
        let mut merged: Option<Defaults> = None;
        for table in &self.tables {
            let Ok(relative) = key.strip_prefix(&table.dir) else {
                continue;
            };
            let own = relative.iter().rev().find_map(|component| {
                let name = component.to_string_lossy();
                let stem = name.split('.').next().unwrap_or(&name);
                key_prefixes(stem).find_map(|prefix| table.rows.get(prefix))
            });
            for row in own.into_iter().chain(table.rows.get("*")) {
                let m = merged.get_or_insert_with(Defaults::default);
                m.source = m.source.take().or_else(|| row.source.clone());
                m.place = m.place.take().or_else(|| row.place.clone());
                m.author = m.author.take().or_else(|| row.author.clone());
                m.url = m.url.take().or_else(|| row.url.clone());
                m.date = m.date.or(row.date);
                m.lang = m.lang.take().or_else(|| row.lang.clone());
                m.key = m.key.take().or_else(|| row.key.clone());
                for (column, value) in &row.cells {
                    if !m.cells.iter().any(|(c, _)| c == column) {
                        m.cells.push((column.clone(), value.clone()));
                    }
                }
                m.rows_hash = m.rows_hash.rotate_left(7) ^ row.rows_hash;
            }
        }
        merged
    }
}

/// Fills a URL template for the file at `path` dated `date`. Placeholders:
/// `{key}` (the matched row's key, else the file name up to its first character
/// that is not a letter or digit), `{date}` (YYYY-MM-DD), `{stem}` (the file name
/// without extension), `{n1}`, `{n2}`… (the numbers in the file name after the key),
/// and `{column}` for any column of the matched rows. `None` when a placeholder has
/// no value.
pub fn fill_template(
    template: &str,
    defaults: &Defaults,
    path: &str,
    date: Option<DateTime<Utc>>,
) -> Option<String> {
    let name = path.rsplit(['/', '\\', '!']).next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let key = defaults.key.clone().unwrap_or_else(|| {
        stem.split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or_default()
            .to_string()
    });
    let rest = stem.strip_prefix(key.as_str()).unwrap_or(stem);
    let numbers: Vec<&str> = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .collect();
    let mut out = String::with_capacity(template.len() + 32);
    let mut chars = template.char_indices();
    while let Some((at, c)) = chars.next() {
        if c != '{' {
            out.push(c);
            continue;
        }
        let close = template[at..].find('}')? + at;
        let name = template[at + 1..close].trim().to_ascii_lowercase();
        let value = match name.as_str() {
            "key" => Some(key.clone()),
            "date" => date.map(|d| d.format("%Y-%m-%d").to_string()),
            "stem" => Some(stem.to_string()),
            n if n.starts_with('n') && n[1..].parse::<usize>().is_ok() => {
                let i: usize = n[1..].parse().ok()?;
                numbers.get(i.checked_sub(1)?).map(|n| n.to_string())
            }
            column => defaults
                .cells
                .iter()
                .find(|(c, _)| c == column)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty()),
        }?;
        out.push_str(&value);
        for (i, _) in chars.by_ref() {
            if i == close {
                break;
            }
        }
    }
    Some(out)
}

/// `stem` itself and each of its prefixes that ends before a non-alphanumeric character.
fn key_prefixes(stem: &str) -> impl Iterator<Item = &str> {
    stem.char_indices()
        .filter(|(_, c)| !c.is_alphanumeric())
        .map(move |(i, _)| &stem[..i])
        .chain(std::iter::once(stem))
}

/// Fills what the article lacks: from the sidecar row, then a date from the path,
/// then a dateline (a date alone on one of the body's first lines, as scraped pages
/// have under the headline; that line is then dropped from the body).
pub fn apply(article: &mut Article, defaults: Option<&Defaults>, shown_path: &str) {
    if let Some(d) = defaults {
        article.source = article.source.take().or_else(|| d.source.clone());
        article.place = article.place.take().or_else(|| d.place.clone());
        article.author = article.author.take().or_else(|| d.author.clone());
        article.date = article.date.or(d.date);
        article.lang = article.lang.take().or_else(|| d.lang.clone());
    }
    if article.date.is_none() {
        article.date = date_from_path(shown_path);
    }
    if let Some(d) = defaults
        && article.url.is_none()
        && let Some(url) = &d.url
    {
        article.url = if url.contains('{') {
            fill_template(url, d, shown_path, article.date)
        } else {
            Some(url.clone())
        };
    }
    if article.date.is_none() {
        take_dateline(article);
    }
    if article.title.trim().is_empty() {
        article.title = label(article, shown_path).unwrap_or_default();
    }
}

/// A headline made from the metadata for a page without a readable one:
/// `The evening world. (New York, N.Y.) — 1916-02-17, page 1`.
fn label(article: &Article, shown_path: &str) -> Option<String> {
    let source = article.source_label();
    let date = article.date.map(|d| d.format("%Y-%m-%d").to_string());
    if source.is_none() && date.is_none() {
        return None;
    }
    let mut label = source.unwrap_or_else(|| "Page".to_string());
    if let Some(date) = date {
        label.push_str(" — ");
        label.push_str(&date);
    }
    if let Some(page) = page_number(shown_path) {
        label.push_str(&format!(", page {page}"));
    }
    Some(label)
}

/// The page number a scan's file name gives (`…_seq-3.txt`, `page-12.txt`, `p4.txt`).
fn page_number(path: &str) -> Option<u32> {
    let name = path.rsplit(['/', '\\', '!']).next()?.to_ascii_lowercase();
    let stem = name.split('.').next()?;
    ["seq-", "seq", "page-", "page", "p-", "p"]
        .iter()
        .find_map(|marker| {
            stem.match_indices(marker).find_map(|(at, _)| {
                let before = stem[..at].chars().last();
                if before.is_some_and(char::is_alphanumeric) {
                    return None;
                }
                let digits: String = stem[at + marker.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                digits.parse().ok()
            })
        })
}

fn take_dateline(article: &mut Article) {
    let found = article
        .body
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .take(3)
        .find_map(|(i, l)| parse_date(l).map(|d| (i, d)));
    if let Some((index, date)) = found {
        article.date = Some(date);
        // An OCR page's word boxes are placed by the body's characters: its
        // dateline stays where it was printed.
        if article.scan.is_some() {
            return;
        }
        let lines: Vec<&str> = article
            .body
            .lines()
            .enumerate()
            .filter(|(i, _)| *i != index)
            .map(|(_, l)| l)
            .collect();
        article.body = lines.join("\n").trim().to_string();
    }
}

/// The deepest date found in a path's components.
pub fn date_from_path(path: &str) -> Option<DateTime<Utc>> {
    let parts: Vec<&str> = path
        .split(['/', '\\', '!'])
        .filter(|p| !p.is_empty())
        .collect();
    let mut found = None;
    for (i, part) in parts.iter().enumerate() {
        let digits: String = part.chars().take(8).collect();
        let compact = (digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| NaiveDate::parse_from_str(&digits, "%Y%m%d").ok())
            .flatten()
            .filter(|_| part.len() == 8 || !part.as_bytes()[8].is_ascii_digit());
        let dashed = part
            .get(..10)
            .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok());
        let folders = (i >= 2)
            .then(|| {
                NaiveDate::parse_from_str(
                    &format!("{}-{}-{}", parts[i - 2], parts[i - 1], part),
                    "%Y-%m-%d",
                )
                .ok()
            })
            .flatten()
            .filter(|_| parts[i - 2].len() == 4 && part.len() == 2);
        if let Some(day) = compact.or(dashed).or(folders) {
            found = day.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dateline_is_taken_and_dropped_but_kept_on_a_scanned_page() {
        let body = "SATURDAY, AUGUST 26, 1916.\nThe fair opened.";
        let mut text = Article {
            body: body.into(),
            ..Article::default()
        };
        apply(&mut text, None, "page.txt");
        assert_eq!(text.date.unwrap().to_rfc3339(), "1916-08-26T00:00:00+00:00");
        assert_eq!(text.body, "The fair opened.");
        let mut scanned = Article {
            body: body.into(),
            scan: Some(crate::scan::Scan::default()),
            ..Article::default()
        };
        apply(&mut scanned, None, "page.xml");
        assert!(scanned.date.is_some());
        assert_eq!(scanned.body, body);
    }

    #[test]
    fn tables_match_by_key_prefix() {
        let mut tables = MetaTables::default();
        let n = tables
            .load(
                PathBuf::from("/data/chronam"),
                "lccn\tname\tplace\nsn82014086\tNorwich bulletin.\tNorwich\nsn83\tShort key\tx\n",
            )
            .unwrap()
            .rows;
        assert_eq!(n, 2);
        let d = tables.defaults_for(Path::new(
            "/data/chronam/dates/19160103/sn82014086-ed-1_seq-1.txt",
        ));
        assert_eq!(d.unwrap().source.as_deref(), Some("Norwich bulletin."));
        assert!(
            tables
                .defaults_for(Path::new("/data/chronam/dates/19160103/sn8201-ed-1.txt"))
                .is_none()
        );
        assert!(
            tables
                .defaults_for(Path::new("/elsewhere/sn82014086-ed-1.txt"))
                .is_none()
        );
    }

    #[test]
    fn a_table_s_unread_dates_are_told_once() {
        let mut tables = MetaTables::default();
        let loaded = tables
            .load(
                PathBuf::from("/x"),
                "key\tdate\na\t1916-01-03\nb\t3/1/1916\nc\tsoon\n",
            )
            .unwrap();
        assert_eq!(
            loaded.unread_dates.as_deref(),
            Some("`3/1/1916` (row b), and 1 more in this table")
        );
    }

    #[test]
    fn tables_need_a_known_column() {
        assert!(
            MetaTables::default()
                .load(PathBuf::from("/x"), "a\tb\n1\t2\n")
                .is_err()
        );
    }

    #[test]
    fn dateline_is_the_last_resort() {
        let mut a = Article {
            body: "06 July 2024\n\nBody text.".into(),
            ..Article::default()
        };
        apply(&mut a, None, "seed/page.txt");
        assert_eq!(a.date.unwrap().to_rfc3339(), "2024-07-06T00:00:00+00:00");
        assert_eq!(a.body, "Body text.");
        let mut b = Article {
            body: "Nov 4, 1739\nOCR noise".into(),
            ..Article::default()
        };
        apply(&mut b, None, "dates/19160103/page.txt");
        assert_eq!(b.date.unwrap().format("%Y").to_string(), "1916");
    }

    #[test]
    fn dates_in_paths() {
        let day = |p: &str| date_from_path(p).map(|d| d.format("%Y-%m-%d").to_string());
        assert_eq!(
            day("x/dates/19160103/sn1-ed-1_seq-1.txt").as_deref(),
            Some("1916-01-03")
        );
        assert_eq!(
            day("news/2024/07/04/story.html").as_deref(),
            Some("2024-07-04")
        );
        assert_eq!(
            day("2025-05-06-council-vote.md").as_deref(),
            Some("2025-05-06")
        );
        assert_eq!(day("reports/123456789.txt"), None);
        assert_eq!(day("plain/story.txt"), None);
    }
}
