//! From files to articles: find the input files, read them safely, and hand each
//! to the parser for its format. Problems are returned as values, never printed here.

pub mod date;
mod json;
mod sgml;
mod text;
mod walk;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::article::{Article, id_for_content, id_for_file_record};

pub use walk::{Walk, walk};

/// One parsed record, or why it could not be read.
pub type Record = Result<Article, (Problem, String)>;

/// Files larger than this are skipped unless `--max-file-size` says otherwise.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// How many leading bytes are checked for NUL when deciding that a file is binary.
const BINARY_SNIFF_BYTES: usize = 8192;

/// The input formats this version understands, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text with an optional `Key: value` header.
    Text,
    /// Markdown: like text, plus `#` headings and `---` front matter.
    Markdown,
    /// One JSON object or an array of them.
    Json,
    /// One JSON object per line.
    JsonLines,
    /// Wire-service SGML (Reuters-21578, TREC), many articles per file.
    Sgml,
}

impl Format {
    /// The format for a file name, or `None` when the extension is not one we read.
    pub fn for_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "sgm" | "sgml" => Some(Format::Sgml),
            _ => None,
        }
    }
}

/// The format of a file whose name does not tell, judged from its first bytes.
pub fn sniff_file(path: &Path) -> Option<Format> {
    let mut head = Vec::with_capacity(BINARY_SNIFF_BYTES);
    fs::File::open(path)
        .ok()?
        .take(BINARY_SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .ok()?;
    sgml::sniff(&String::from_utf8_lossy(&head)).then_some(Format::Sgml)
}

/// A file found by the walker, ready to be parsed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user would write it (the argument joined with the walked part).
    pub path: PathBuf,
    /// The canonical absolute path: the key under which this file's articles are replaced.
    pub key: String,
    /// Size in bytes when walked.
    pub size: u64,
    /// The parser to use.
    pub format: Format,
}

/// What went wrong with a file or one record of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Problem {
    /// The file could not be opened or read.
    Unreadable,
    /// The file contains NUL bytes: not text.
    Binary,
    /// The file is empty.
    Empty,
    /// The file is larger than the size limit.
    TooLarge,
    /// A JSON document or line does not parse.
    InvalidJson,
    /// A record has neither title nor body.
    NoText,
    /// The file is not valid UTF-8 and was decoded with replacement characters (not skipped).
    LossyUtf8,
}

impl Problem {
    /// A short label for summaries.
    pub fn label(self) -> &'static str {
        match self {
            Problem::Unreadable => "unreadable",
            Problem::Binary => "binary",
            Problem::Empty => "empty",
            Problem::TooLarge => "too large",
            Problem::InvalidJson => "invalid JSON",
            Problem::NoText => "no text",
            Problem::LossyUtf8 => "invalid UTF-8 (decoded lossily)",
        }
    }

    /// True when the problem means something was left out of the index.
    pub fn is_skip(self) -> bool {
        self != Problem::LossyUtf8
    }
}

/// One problem with one file (and line), for a warning line and the summary counts.
#[derive(Debug, Clone)]
pub struct Warning {
    /// The file as the user named it, or `<stdin>`.
    pub path: String,
    /// 1-based line number, for line-oriented formats.
    pub line: Option<usize>,
    /// The kind of problem.
    pub problem: Problem,
    /// Details from the parser or the operating system.
    pub detail: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        let action = if self.problem.is_skip() {
            "skipped, "
        } else {
            ""
        };
        write!(f, ": {action}{}", self.problem.label())?;
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// The articles of one file, and what could not be read.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Articles, ids and paths filled in.
    pub articles: Vec<Article>,
    /// Problems met on the way.
    pub warnings: Vec<Warning>,
}

impl Parsed {
    fn problem(
        path: &str,
        line: Option<usize>,
        problem: Problem,
        detail: impl Into<String>,
    ) -> Warning {
        Warning {
            path: path.to_string(),
            line,
            problem,
            detail: detail.into(),
        }
    }
}

/// Reads and parses one file; never fails, every problem becomes a warning.
pub fn parse_file(file: &SourceFile, max_bytes: u64) -> Parsed {
    let shown = file.path.display().to_string();
    let mut parsed = Parsed::default();
    let bytes = match read_limited(&file.path, max_bytes) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            let detail = format!(
                "larger than the {} MB limit (--max-file-size)",
                max_bytes / 1_000_000
            );
            parsed
                .warnings
                .push(Parsed::problem(&shown, None, Problem::TooLarge, detail));
            return parsed;
        }
        Err(e) => {
            parsed.warnings.push(Parsed::problem(
                &shown,
                None,
                Problem::Unreadable,
                e.to_string(),
            ));
            return parsed;
        }
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        parsed
            .warnings
            .push(Parsed::problem(&shown, None, Problem::Empty, ""));
        return parsed;
    }
    if bytes.iter().take(BINARY_SNIFF_BYTES).any(|&b| b == 0) {
        parsed.warnings.push(Parsed::problem(
            &shown,
            None,
            Problem::Binary,
            "contains NUL bytes",
        ));
        return parsed;
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            parsed.warnings.push(Parsed::problem(
                &shown,
                None,
                Problem::LossyUtf8,
                format!("first bad byte at offset {offset}"),
            ));
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    let format = match file.format {
        Format::Text if sgml::sniff(&text) => Format::Sgml,
        other => other,
    };
    let records: Vec<(Option<usize>, Record)> = match format {
        Format::Text => vec![(None, text::parse_text(&text, false))],
        Format::Markdown => vec![(None, text::parse_text(&text, true))],
        Format::Json => json::parse_document(&text)
            .into_iter()
            .map(|record| (None, record))
            .collect(),
        Format::JsonLines => json::parse_lines(&text)
            .into_iter()
            .map(|(line, record)| (Some(line), record))
            .collect(),
        Format::Sgml => sgml::parse(&text)
            .into_iter()
            .map(|(line, record)| (Some(line), record))
            .collect(),
    };
    for (number, (line, record)) in records.into_iter().enumerate() {
        match record {
            Ok(mut article) => {
                if article.id.is_empty() {
                    article.id = id_for_file_record(&file.key, number);
                }
                article.path = Some(shown.clone());
                parsed.articles.push(article);
            }
            Err((problem, detail)) => parsed
                .warnings
                .push(Parsed::problem(&shown, line, problem, detail)),
        }
    }
    parsed
}

/// Parses JSON Lines read from stdin; ids come from the records or their content.
pub fn parse_stdin_lines(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    for (line, record) in json::parse_lines(text) {
        match record {
            Ok(mut article) => {
                if article.id.is_empty() {
                    article.id = id_for_content(&article);
                }
                parsed.articles.push(article);
            }
            Err((problem, detail)) => {
                parsed
                    .warnings
                    .push(Parsed::problem("<stdin>", Some(line), problem, detail))
            }
        }
    }
    parsed
}

/// Reads a whole file, or returns `Ok(None)` when it is larger than `max_bytes`.
fn read_limited(path: &Path, max_bytes: u64) -> std::io::Result<Option<Vec<u8>>> {
    let file = fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Ok(None);
    }
    Ok(Some(bytes))
}

/// The canonical key of a path, falling back to the path itself when it cannot be resolved.
pub fn key_for(path: &Path) -> String {
    fs::canonicalize(path)
        .unwrap_or_else(|_| PathBuf::from(path))
        .to_string_lossy()
        .into_owned()
}
