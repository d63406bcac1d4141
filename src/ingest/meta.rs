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

use super::date::parse_date;
use crate::article::{Article, clean_line};

/// Defaults from one row of a sidecar table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Defaults {
    /// Publisher or newspaper name.
    pub source: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Date.
    pub date: Option<DateTime<Utc>>,
}

/// One sidecar table and the folder it governs.
#[derive(Debug)]
struct Table {
    dir: PathBuf,
    rows: HashMap<String, Defaults>,
}

/// All sidecar tables found by the walk.
#[derive(Debug, Default)]
pub struct MetaTables {
    tables: Vec<Table>,
}

impl MetaTables {
    /// Reads a TSV table; `dir` is the canonical folder it applies to.
    pub fn load(&mut self, dir: PathBuf, text: &str) -> Result<usize, String> {
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let header: Vec<String> = lines
            .next()
            .ok_or("empty table")?
            .split('\t')
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let column = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| header.iter().position(|h| h == n))
        };
        let source = column(&["source", "name", "newspaper", "publisher", "title"]);
        let author = column(&["author", "byline"]);
        let url = column(&["url", "link"]);
        let date = column(&["date", "published"]);
        if [source, author, url, date].iter().all(Option::is_none) {
            return Err("no source, name, author, url or date column in the header".into());
        }
        let mut rows = HashMap::new();
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
                author: cell(author),
                url: cell(url),
                date: cell(date).and_then(|d| parse_date(&d)),
            };
            rows.insert(key.to_string(), defaults);
        }
        let count = rows.len();
        self.tables.push(Table { dir, rows });
        Ok(count)
    }

    /// The row that applies to the file at canonical path `key`, if any.
    pub fn defaults_for(&self, key: &Path) -> Option<&Defaults> {
        self.tables.iter().rev().find_map(|table| {
            let relative = key.strip_prefix(&table.dir).ok()?;
            relative.iter().rev().find_map(|component| {
                let name = component.to_string_lossy();
                let stem = name.split('.').next().unwrap_or(&name);
                key_prefixes(stem).find_map(|prefix| table.rows.get(prefix))
            })
        })
    }
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
        article.author = article.author.take().or_else(|| d.author.clone());
        article.url = article.url.take().or_else(|| d.url.clone());
        article.date = article.date.or(d.date);
    }
    if article.date.is_none() {
        article.date = date_from_path(shown_path);
    }
    if article.date.is_none() {
        take_dateline(article);
    }
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
    fn tables_match_by_key_prefix() {
        let mut tables = MetaTables::default();
        let n = tables
            .load(
                PathBuf::from("/data/chronam"),
                "lccn\tname\tplace\nsn82014086\tNorwich bulletin.\tNorwich\nsn83\tShort key\tx\n",
            )
            .unwrap();
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
