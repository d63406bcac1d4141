//! `news-search batch`: a list of queries (the names in a leak, the companies in a
//! filing) read from one query per line, `id<TAB>query` lines, or a CSV file with
//! a `query` column, then run together. A line that cannot be read is reported
//! with its number and the others still run.

use rayon::prelude::*;

use super::filter::Filters;
use super::{SearchRequest, SearchResults};
use crate::error::Result;
use crate::store::Store;

/// Most queries one list may hold (the page's limit is lower).
pub const MAX_QUERIES: usize = 100_000;

/// One query of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Line of the file it came from (1-based; a CSV record's first line).
    pub line: usize,
    /// Its id: the list's own, or the line number.
    pub id: String,
    /// The query.
    pub query: String,
    /// Its date window, sources and languages: the list's columns where given,
    /// the command's flags otherwise.
    pub filters: Filters,
}

/// A line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// Its number (1-based).
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// A list, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct List {
    /// The queries to run, in order.
    pub entries: Vec<Entry>,
    /// The lines that cannot run.
    pub bad: Vec<BadLine>,
    /// Remarks (columns that are not read).
    pub notes: Vec<String>,
}

/// The columns a CSV list may have, besides `query`.
const COLUMNS: [&str; 6] = ["id", "query", "since", "until", "source", "lang"];

/// Reads a list: CSV when its first line names a `query` column, otherwise one
/// query per line, or `id<TAB>query`. Blank lines are skipped. `defaults` are the
/// filters of rows that give none of their own.
pub fn parse(text: &str, defaults: &Filters) -> List {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut list = if is_csv_header(first) {
        parse_csv(text, defaults)
    } else {
        parse_lines(text, defaults)
    };
    if list.entries.len() > MAX_QUERIES {
        let line = list.entries[MAX_QUERIES].line;
        list.bad.push(BadLine {
            line,
            message: format!("more than {MAX_QUERIES} queries: this one and the rest were not run"),
        });
        list.entries.truncate(MAX_QUERIES);
    }
    list
}

/// Whether `line` is a CSV header with a `query` column.
fn is_csv_header(line: &str) -> bool {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    reader.records().next().is_some_and(|record| {
        record.is_ok_and(|r| {
            r.iter()
                .any(|cell| cell.trim().eq_ignore_ascii_case("query"))
        })
    })
}

fn parse_lines(text: &str, defaults: &Filters) -> List {
    let mut entries = Vec::new();
    let mut bad = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        let (id, query) = match raw.split_once('\t') {
            Some((id, query)) => (id.trim().to_string(), query.trim().to_string()),
            None => (line.to_string(), raw.trim().to_string()),
        };
        if query.is_empty() {
            bad.push(BadLine {
                line,
                message: "no query after the tab".into(),
            });
            continue;
        }
        if id.is_empty() {
            bad.push(BadLine {
                line,
                message: "no id before the tab".into(),
            });
            continue;
        }
        entries.push(Entry {
            line,
            id,
            query,
            filters: defaults.clone(),
        });
    }
    List {
        entries,
        bad,
        notes: Vec::new(),
    }
}

/// A note naming the columns of `headers` that are not read, if any.
fn unknown_columns(headers: &[String]) -> Option<String> {
    let unknown: Vec<&String> = headers
        .iter()
        .filter(|h| !h.is_empty() && !COLUMNS.contains(&h.as_str()))
        .collect();
    (!unknown.is_empty()).then(|| {
        format!(
            "column{} {} not read (the columns read are {})",
            if unknown.len() == 1 { "" } else { "s" },
            unknown
                .iter()
                .map(|h| format!("`{h}`"))
                .collect::<Vec<_>>()
                .join(", "),
            COLUMNS.join(", ")
        )
    })
}

/// Where a CSV list's columns are, by their headers.
struct CsvColumns {
    id: Option<usize>,
    query: Option<usize>,
    since: Option<usize>,
    until: Option<usize>,
    source: Option<usize>,
    lang: Option<usize>,
}

impl CsvColumns {
    fn of(headers: &[String]) -> CsvColumns {
        let column = |name: &str| headers.iter().position(|h| h == name);
        CsvColumns {
            id: column("id"),
            query: column("query"),
            since: column("since"),
            until: column("until"),
            source: column("source"),
            lang: column("lang"),
        }
    }

    /// The entry of one row, or what is wrong with it; nothing for a blank row.
    fn entry(
        &self,
        record: &csv::StringRecord,
        defaults: &Filters,
    ) -> Option<Result<Entry, BadLine>> {
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |at: Option<usize>| {
            at.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|c| !c.is_empty())
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            return None;
        }
        let bad = |message: String| Some(Err(BadLine { line, message }));
        let Some(query) = cell(self.query) else {
            return bad("the `query` cell is empty".into());
        };
        let (since, until, source, lang) = (
            cell(self.since),
            cell(self.until),
            cell(self.source),
            cell(self.lang),
        );
        match row_filters(defaults, since, until, source, lang) {
            Ok(filters) => Some(Ok(Entry {
                line,
                id: cell(self.id).map_or_else(|| line.to_string(), str::to_string),
                query: query.to_string(),
                filters,
            })),
            Err(e) => bad(e.to_string()),
        }
    }
}

fn parse_csv(text: &str, defaults: &Filters) -> List {
    let mut entries = Vec::new();
    let mut bad = Vec::new();
    let mut notes = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            bad.push(BadLine {
                line: 1,
                message: e.to_string(),
            });
            return List {
                entries,
                bad,
                notes,
            };
        }
    };
    notes.extend(unknown_columns(&headers));
    let columns = CsvColumns::of(&headers);
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                bad.push(BadLine {
                    line,
                    message: format!("not CSV: {e}"),
                });
                continue;
            }
        };
        match columns.entry(&record, defaults) {
            Some(Ok(entry)) => entries.push(entry),
            Some(Err(problem)) => bad.push(problem),
            None => {}
        }
    }
    List {
        entries,
        bad,
        notes,
    }
}

/// The row's filters: each of its cells replaces the command's value for that
/// filter.
fn row_filters(
    defaults: &Filters,
    since: Option<&str>,
    until: Option<&str>,
    source: Option<&str>,
    lang: Option<&str>,
) -> Result<Filters> {
    if since.is_none() && until.is_none() && source.is_none() && lang.is_none() {
        return Ok(defaults.clone());
    }
    let sources: Vec<String> = source.map(|s| vec![s.to_string()]).unwrap_or_default();
    let langs: Vec<String> = lang.map(|s| vec![s.to_string()]).unwrap_or_default();
    let row = crate::config::filters(since, until, &sources, &langs, None, "column ")?;
    let mut merged = defaults.clone();
    if since.is_some() {
        merged.since = row.since;
    }
    if until.is_some() {
        merged.until = row.until;
    }
    if source.is_some() {
        merged.sources = row.sources;
    }
    if lang.is_some() {
        merged.langs = row.langs;
    }
    if let (Some(start), Some(end)) = (merged.since, merged.until)
        && start >= end
    {
        return Err(crate::error::Error::Usage(
            "the date window is empty (since is not before until)".into(),
        ));
    }
    Ok(merged)
}

/// Runs every entry as `template` with its query and filters, a few at a time
/// (the results in the list's order). `done` is called as each finishes.
pub fn run(
    store: &Store,
    entries: &[Entry],
    template: &SearchRequest,
    done: impl Fn() + Sync,
) -> Vec<Result<SearchResults>> {
    entries
        .par_iter()
        .map(|entry| {
            let request = SearchRequest {
                query: entry.query.clone(),
                filters: entry.filters.clone(),
                ..template.clone()
            };
            let result = store.search(&request);
            done();
            result
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> (Vec<(usize, String, String)>, Vec<BadLine>) {
        let List { entries, bad, .. } = parse(text, &Filters::default());
        (
            entries
                .into_iter()
                .map(|e| (e.line, e.id, e.query))
                .collect(),
            bad,
        )
    }

    #[test]
    fn plain_and_tab_separated_lines() {
        let (entries, bad) = ids("ferries\n\nq7\t\"Pedro Alvarez\"\n\tno id\nq9\t\r\n");
        assert_eq!(
            entries,
            vec![
                (1, "1".into(), "ferries".into()),
                (3, "q7".into(), "\"Pedro Alvarez\"".into()),
            ]
        );
        assert_eq!(bad.iter().map(|b| b.line).collect::<Vec<_>>(), vec![4, 5]);
    }

    #[test]
    fn csv_with_a_query_column_and_filters() {
        let text = "\u{feff}id,query,since,source\nA,\"strike, mill\",1916-03,\nB,ferry,,Evening Star\nC,,,\nD,x,March,\n";
        let List { entries, bad, .. } = parse(text, &Filters::default());
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].id, "A");
        assert_eq!(entries[0].query, "strike, mill");
        assert!(entries[0].filters.since.is_some());
        assert_eq!(entries[1].filters.sources, vec!["Evening Star".to_string()]);
        assert_eq!(entries[1].line, 3);
        assert_eq!(bad.len(), 2, "{bad:?}");
        assert_eq!(bad[0].line, 4);
        assert_eq!(bad[1].line, 5);
        assert!(bad[1].message.contains("column since"), "{bad:?}");
    }

    #[test]
    fn csv_columns_not_read_are_named_and_blank_rows_skipped() {
        let text = "query,Notes,desk\nferry,checked,metro\n , ,\nmill,,\n";
        let List {
            entries,
            bad,
            notes,
        } = parse(text, &Filters::default());
        assert_eq!(entries.len(), 2);
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].starts_with("columns `notes`, `desk` not read"),
            "{notes:?}"
        );
        let List { notes, .. } = parse("query,id\nferry,1\n", &Filters::default());
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn a_multi_line_csv_cell_keeps_its_first_line_number() {
        let text = "query,id\n\"two\nlines\",a\nthree,b\n";
        let (entries, bad) = ids(text);
        assert!(bad.is_empty());
        assert_eq!(entries[0].0, 2);
        assert_eq!(entries[1].0, 4);
    }
}
