//! From files to articles: find the input files, open them safely (decompressing
//! and unpacking as needed, within [`Limits`]), recognise each document's format by
//! its content and name, and hand every article to the caller as it is parsed.
//! Problems are returned as [`Warning`] values, never printed here.

mod alto;
mod boilerplate;
mod claim;
mod csv_rows;
pub mod date;
mod decode;
mod didl;
mod doc;
mod docx;
mod email;
mod extract;
mod factiva;
mod feed;
mod hocr;
mod html;
mod json;
mod layout;
pub mod limits;
mod magic;
pub mod meta;
mod mets;
mod mhtml;
mod msg;
mod newsml;
mod nexis;
mod nitf;
pub mod ocr;
mod odt;
mod office;
mod pdf;
mod proquest;
mod rtf;
mod sgml;
mod text;
mod walk;
mod warc;
mod webarchive;
mod wordperfect;
mod xml;

use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::rc::Rc;

use crate::article::{Article, clean_line, id_for_content, id_for_file_record};
use crate::error::Result;
pub use boilerplate::Boilerplate;
pub use limits::Limits;
use limits::{Counting, Expanding, is_limit};
pub use meta::MetaTables;
pub use walk::{SourceFile, Walk, key_for, walk};

/// How many leading bytes are checked for NUL when deciding that a file is binary.
const BINARY_SNIFF_BYTES: usize = 8192;
/// Below this, a document is always read whole (see `Visitor::in_memory_cap`).
const IN_MEMORY_BYTES: usize = 64 * limits::MB as usize;
/// Records of a large file are parsed about this many bytes at a time.
const PIECE_BYTES: usize = 8 * limits::MB as usize;
/// Longest headline kept, in characters.
const MAX_TITLE_CHARS: usize = 500;

/// One parsed record, or why it could not be read.
pub type Record = std::result::Result<Article, (Problem, String)>;

/// The document formats, recognised by content first and name second.
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
    /// A web page.
    Html,
    /// A web page saved whole with its images (MHTML; recognised by its MIME
    /// header, read in `Visitor::visit`). HTML or text under its name is read
    /// as what it is.
    Mhtml,
    /// A web page Safari saved (`.webarchive`, read in `Visitor::visit`).
    WebArchive,
    /// An RSS or Atom feed.
    Feed,
    /// An ALTO page of OCR text with word positions.
    Alto,
    /// A METS file: a newspaper issue, read with its ALTO pages.
    Mets,
    /// An hOCR page.
    Hocr,
    /// An NITF document.
    Nitf,
    /// A NewsML-G2 item or message.
    NewsMlG2,
    /// A NewsML 1.x document.
    NewsMl1,
    /// A Delpher (KB) DIDL manifest: an issue, read with its article texts.
    Didl,
    /// One Delpher article text (`…_articletext.xml`) without its manifest.
    KbText,
    /// A PDF (recognised by its bytes; read in `Visitor::visit`).
    Pdf,
    /// Comma-separated rows under a header (read as a stream in `Visitor::visit`).
    Csv,
    /// A Rich Text Format document.
    Rtf,
    /// A Word 97–2003 document (recognised by its bytes; read in
    /// `Visitor::visit`). RTF, a web page or text under a `.doc` name is read as
    /// what it is.
    Doc,
    /// A WordPerfect document (recognised by its bytes; read in
    /// `Visitor::whole_document`). Text under a WordPerfect name is read as text.
    WordPerfect,
    /// One e-mail message (`.eml`).
    Email,
    /// An Outlook message (recognised by its bytes; read in `Visitor::visit`). A
    /// MIME message under a `.msg` name is read as `.eml` is.
    Msg,
    /// A mailbox of messages (read as a stream in `Visitor::visit`).
    Mbox,
}

impl Format {
    /// The format a file name suggests.
    pub fn for_name(name: &str) -> Option<Format> {
        let ext = extension(name)?;
        Some(match ext.as_str() {
            "txt" | "text" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::JsonLines,
            "sgm" | "sgml" => Format::Sgml,
            "html" | "htm" | "xhtml" | "shtml" => Format::Html,
            "mht" | "mhtml" => Format::Mhtml,
            "webarchive" => Format::WebArchive,
            "xml" | "rss" | "atom" | "rdf" => Format::Feed,
            "alto" => Format::Alto,
            "hocr" => Format::Hocr,
            "nitf" => Format::Nitf,
            "pdf" => Format::Pdf,
            "csv" => Format::Csv,
            "rtf" => Format::Rtf,
            // Not `.dot`: Word's templates hold no articles, Graphviz's graphs
            // (the commoner `.dot` files) none either.
            "doc" => Format::Doc,
            "wpd" | "wp" | "wp4" | "wp5" | "wp6" => Format::WordPerfect,
            "eml" => Format::Email,
            "msg" => Format::Msg,
            "mbox" | "mbx" => Format::Mbox,
            _ => return None,
        })
    }

    /// Judges a decoded document: strong signals in the content win over the name.
    fn detect(name: &str, text: &str) -> Format {
        let head: String = text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .take(2048)
            .collect();
        let lower = head.to_ascii_lowercase();
        let by_name = Format::for_name(name);
        if rtf::sniff(head.as_bytes()) {
            return Format::Rtf;
        }
        if lower.starts_with('<') {
            match xml::sniff(&head) {
                Some(xml::Kind::Alto) => return Format::Alto,
                Some(xml::Kind::Mets) => return Format::Mets,
                Some(xml::Kind::Nitf) => return Format::Nitf,
                Some(xml::Kind::NewsMlG2) => return Format::NewsMlG2,
                Some(xml::Kind::NewsMl1) => return Format::NewsMl1,
                Some(xml::Kind::Didl) => return Format::Didl,
                None => {}
            }
            if didl::is_article_text(name, &head) {
                return Format::KbText;
            }
            if hocr::sniff(&lower) || by_name == Some(Format::Hocr) {
                return Format::Hocr;
            }
        }
        if lower.starts_with('<') && feed::sniff(&lower) {
            return Format::Feed;
        }
        if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
            return Format::Html;
        }
        if sgml::sniff(&head) {
            return Format::Sgml;
        }
        if let Some(format) = by_name.filter(|&f| !matches!(f, Format::Mhtml | Format::WebArchive))
        {
            // A `.doc` (or WordPerfect file) that reached here is plain text, as
            // some old systems saved.
            return if matches!(format, Format::Doc | Format::WordPerfect) {
                Format::Text
            } else {
                format
            };
        }
        if lower.starts_with('{') {
            let objects = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .take(2)
                .filter(|l| l.trim_start().starts_with('{'));
            return if objects.count() > 1 {
                Format::JsonLines
            } else {
                Format::Json
            };
        }
        if lower.starts_with('[') {
            return Format::Json;
        }
        if lower.starts_with('<')
            && ["<head", "<body", "<p>", "<div", "<title", "<meta"]
                .iter()
                .any(|t| lower.contains(t))
        {
            return Format::Html;
        }
        Format::Text
    }
}

/// Container formats: compression and archives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Gzip,
    Zstd,
    Bzip2,
    Zip,
    Tar,
}

impl Container {
    fn sniff(head: &[u8]) -> Option<Container> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(Container::Gzip)
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Container::Zstd)
        } else if head.starts_with(b"BZh") {
            Some(Container::Bzip2)
        } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
            Some(Container::Zip)
        } else if head.len() >= 262 && &head[257..262] == b"ustar" {
            Some(Container::Tar)
        } else {
            None
        }
    }

    fn for_name(name: &str) -> Option<Container> {
        Some(match extension(name)?.as_str() {
            "gz" | "tgz" => Container::Gzip,
            "zst" | "zstd" => Container::Zstd,
            "bz2" | "tbz2" => Container::Bzip2,
            "zip" => Container::Zip,
            "tar" => Container::Tar,
            _ => return None,
        })
    }
}

/// A word processor's document format: a zip of XML parts.
#[derive(Clone, Copy)]
struct Editor {
    /// What a document of it is called, in messages.
    kind: &'static str,
    /// The part that holds the text.
    text: &'static str,
    /// The part that holds the title, author and dates.
    properties: &'static str,
    read: fn(&str, Option<&str>) -> Record,
}

impl Editor {
    /// The format a file name says, if it is one of these.
    fn of(name: &str) -> Option<Editor> {
        match extension(name)?.as_str() {
            "docx" => Some(Editor {
                kind: "a Word document",
                text: "word/document.xml",
                properties: "docProps/core.xml",
                read: docx::read,
            }),
            "odt" => Some(Editor {
                kind: "an OpenDocument text",
                text: "content.xml",
                properties: "meta.xml",
                read: odt::read,
            }),
            _ => None,
        }
    }
}

/// The articles of a word-processor document: its own, or those of a Nexis
/// Uni export it holds (numbered, as the records of any many-article file are).
fn documents(record: Record) -> Vec<(Option<usize>, Record)> {
    let split = match &record {
        Ok(article) if article.body.contains("End of Document") => {
            let paragraphs: Vec<String> = article.body.split("\n\n").map(str::to_string).collect();
            nexis::split(&paragraphs)
        }
        Ok(article)
            if factiva::has_accession(&article.body)
                || proquest::has_document_id(&article.body) =>
        {
            let paragraphs = opening_paragraphs(article);
            factiva::split(&paragraphs).or_else(|| proquest::split(&paragraphs))
        }
        _ => None,
    };
    match split {
        Some(articles) => numbered(articles),
        None => vec![(None, record)],
    }
}

/// A word-processor article's paragraphs as the document had them: the headline
/// and the byline it took from the top put back above the body.
fn opening_paragraphs(article: &Article) -> Vec<String> {
    let mut paragraphs = vec![article.title.clone()];
    if let Some(author) = &article.author {
        paragraphs.push(format!("By {author}"));
    }
    paragraphs.extend(article.body.split("\n\n").map(str::to_string));
    paragraphs
}

/// Whether a file is a mailbox (by its name, or by its opening when its name says
/// nothing) or one message (`.eml`, or a `.msg` that is not Outlook's OLE file).
fn mail_kind(hint: &str, head: &[u8]) -> Option<Format> {
    match Format::for_name(hint) {
        Some(Format::Mbox) => Some(Format::Mbox),
        None if email::sniff_mbox(head) => Some(Format::Mbox),
        Some(Format::Email) => Some(Format::Email),
        Some(Format::Msg) if !doc::sniff(head) => Some(Format::Email),
        _ => None,
    }
}

/// How a saved page is read: its record, and whether it nested too deep.
type ReadPage = fn(&[u8]) -> (Record, bool);

/// The reader of a file that is a web page saved whole: MHTML (by a browser's
/// mark, or by its name and MIME header) or Safari's web archive (by its name).
fn saved_page_reader(hint: &str, head: &[u8]) -> Option<ReadPage> {
    match Format::for_name(hint) {
        Some(Format::WebArchive) => Some(webarchive::read),
        by_name @ (None | Some(Format::Mhtml)) if mhtml::sniff(head, by_name.is_some()) => {
            Some(mhtml::read)
        }
        _ => None,
    }
}

/// The articles of a file that holds several, numbered from 1.
fn numbered(articles: Vec<Article>) -> Vec<(Option<usize>, Record)> {
    articles
        .into_iter()
        .enumerate()
        .map(|(n, article)| (Some(n + 1), Ok(article)))
        .collect()
}

/// Would the walker or an archive reader take a file of this name?
pub fn is_candidate(name: &str) -> bool {
    Format::for_name(name).is_some()
        || Container::for_name(name).is_some()
        || Editor::of(name).is_some()
        || extension(name).is_some_and(|e| e == "warc" || e == "arc")
}

fn extension(name: &str) -> Option<String> {
    let file = name.rsplit(['/', '\\']).next()?;
    let (stem, ext) = file.rsplit_once('.')?;
    (!stem.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// `name` without its last extension (`a.txt.gz` → `a.txt`; `b.tgz` → `b.tar`).
fn inner_name(name: &str) -> String {
    match extension(name).as_deref() {
        Some("tgz") | Some("tbz2") => {
            format!("{}.tar", &name[..name.rfind('.').unwrap_or(name.len())])
        }
        Some(_) => name[..name.rfind('.').unwrap_or(name.len())].to_string(),
        None => name.to_string(),
    }
}

/// What went wrong with a file or one record of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Problem {
    /// The file could not be opened or read.
    Unreadable,
    /// Not a regular file (a FIFO, socket or device): never opened, so never blocks.
    NotRegular,
    /// The file contains NUL bytes: not text.
    Binary,
    /// The file is empty.
    Empty,
    /// The file is larger than the size limit.
    TooLarge,
    /// Compressed data or an archive is damaged or truncated.
    Corrupt,
    /// Decompression passed a limit: likely a decompression bomb.
    Bomb,
    /// Archives or compressed files nested deeper than the limit.
    TooDeep,
    /// A JSON document or line does not parse.
    InvalidJson,
    /// A feed does not parse.
    InvalidFeed,
    /// An XML archive format (ALTO, METS, NITF, NewsML, hOCR) does not parse.
    InvalidXml,
    /// A PDF that cannot be read: damaged, encrypted, or without a text layer.
    UnreadablePdf,
    /// A file that holds no article by design (a NewsML package or picture item, a
    /// METS file without pages): a note, not a failure.
    NoArticle,
    /// A WARC record is damaged; the rest of that file cannot be trusted.
    InvalidWarc,
    /// A record has neither title nor body.
    NoText,
    /// A sidecar metadata table could not be used.
    BadTable,
    /// A body longer than the record limit was cut (not skipped).
    Truncated,
    /// HTML nested too deep for a DOM: its deepest levels were flattened (not skipped).
    Flattened,
    /// Not UTF-8 and no charset declared: decoded with a guessed charset (not skipped).
    Recoded,
    /// A publication date outside the years 1 to 9999: the article is kept undated.
    DateOutOfRange,
    /// A manifest (DIDL) that does not parse: the files it would list are read
    /// without the issue's metadata (not skipped).
    DamagedManifest,
    /// Dates in a file that could not be read: those articles are kept undated
    /// (one warning per file, with the first such date and how many there were).
    UnreadDate,
    /// A reader failed on the file (a bug, here or in a library): the articles
    /// read before it failed are kept, the rest of the file is not read.
    ReaderFailed,
}

impl Problem {
    /// A short label for summaries.
    pub fn label(self) -> &'static str {
        match self {
            Problem::Unreadable => "unreadable",
            Problem::NotRegular => "not a regular file",
            Problem::Binary => "binary",
            Problem::Empty => "empty",
            Problem::TooLarge => "too large",
            Problem::Corrupt => "corrupt or truncated",
            Problem::Bomb => "over the decompression limits",
            Problem::TooDeep => "nested too deep",
            Problem::InvalidJson => "invalid JSON",
            Problem::InvalidFeed => "invalid feed",
            Problem::InvalidXml => "invalid XML",
            Problem::UnreadablePdf => "PDF without readable text",
            Problem::NoArticle => "no article in it",
            Problem::InvalidWarc => "invalid WARC record",
            Problem::NoText => "no text",
            Problem::BadTable => "unusable metadata table",
            Problem::Truncated => "truncated to the record size limit",
            Problem::Flattened => "deepest levels read without their structure",
            Problem::Recoded => "not UTF-8, charset guessed",
            Problem::DateOutOfRange => "date outside the years 1 to 9999, kept undated",
            Problem::DamagedManifest => "damaged manifest, its articles read without it",
            Problem::UnreadDate => "date not understood, kept undated",
            Problem::ReaderFailed => "reader failed",
        }
    }

    /// True when the problem means something was left out of the index.
    pub fn is_skip(self) -> bool {
        !matches!(
            self,
            Problem::Recoded
                | Problem::Truncated
                | Problem::Flattened
                | Problem::DateOutOfRange
                | Problem::NoArticle
                | Problem::DamagedManifest
                | Problem::UnreadDate
        )
    }
}

/// One problem with one file (and line or record), for a warning line and the summary.
#[derive(Debug, Clone)]
pub struct Warning {
    /// The file as the user named it (`archive.zip!/inner.txt` inside archives), or `<stdin>`.
    pub path: String,
    /// 1-based line or record number, for formats with many records.
    pub line: Option<usize>,
    /// The kind of problem.
    pub problem: Problem,
    /// Details from the parser or the operating system.
    pub detail: String,
}

impl Warning {
    fn new(
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

/// Receives each article as soon as it is parsed; an error stops the file.
pub type Emit<'a> = dyn FnMut(Article) -> Result<()> + 'a;

/// Reads one file (and whatever it contains), passing each article to `emit`.
/// Input problems become warnings; only an error from `emit` is returned as an error.
pub fn parse_file(
    file: &SourceFile,
    limits: &Limits,
    tables: &MetaTables,
    learned: &Boilerplate,
    emit: &mut Emit<'_>,
) -> Result<Vec<Warning>> {
    let shown = file.path.display().to_string();
    let mut visitor = Visitor {
        key: &file.key,
        disk: Some(&file.path),
        defaults: tables.defaults_for(Path::new(&file.key)),
        boilerplate: learned.for_file(&file.path),
        limits: *limits,
        emit,
        warnings: Vec::new(),
        records: 0,
        expanded: Rc::new(Cell::new(0)),
        unread_dates: UnreadDates::default(),
    };
    match walk::open_file(&file.path) {
        Ok(handle) => {
            let mut reader = BufReader::with_capacity(64 * 1024, handle);
            // A reader that panics on some input (a bug, ours or a library's) costs
            // the rest of its file, not the run: the run would otherwise stop with
            // every file after it unread.
            let visit = AssertUnwindSafe(|| visitor.visit(&shown, &shown, &mut reader, 0));
            match std::panic::catch_unwind(visit) {
                Ok(outcome) => outcome?,
                Err(panic) => visitor.warn(
                    &shown,
                    None,
                    Problem::ReaderFailed,
                    format!(
                        "{} (a bug: please report it with the file; the articles read \
                         before it are kept, the rest of the file is not read)",
                        crate::error::panic_message(panic.as_ref())
                    ),
                ),
            }
        }
        Err(e) => visitor.warn(&shown, None, Problem::Unreadable, e.to_string()),
    }
    visitor.warnings.extend(visitor.unread_dates.warning());
    Ok(visitor.warnings)
}

/// Reads JSON Lines from `reader` (standard input); ids come from the records or their content.
pub fn parse_stdin(
    mut reader: impl BufRead,
    limits: &Limits,
    emit: &mut Emit<'_>,
) -> Result<Vec<Warning>> {
    let mut warnings = Vec::new();
    // A line is held in memory whole: one longer than this is skipped unread.
    let cap = limits
        .max_record_bytes
        .saturating_mul(4)
        .max(IN_MEMORY_BYTES)
        .min(usize::try_from(limits.max_file_bytes).unwrap_or(usize::MAX));
    let mut line = Vec::new();
    let mut unread_dates = UnreadDates::default();
    for n in 0.. {
        let too_long = match read_capped_line(&mut reader, &mut line, cap) {
            Ok(None) => break,
            Ok(Some(too_long)) => too_long,
            Err(e) => {
                warnings.push(Warning::new(
                    "<stdin>",
                    Some(n + 1),
                    Problem::Unreadable,
                    e.to_string(),
                ));
                break;
            }
        };
        if too_long {
            let detail = format!("a line over {} MB; skipped", cap / 1_000_000);
            warnings.push(Warning::new(
                "<stdin>",
                Some(n + 1),
                Problem::TooLarge,
                detail,
            ));
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        if text.trim().is_empty() {
            continue;
        }
        match json::parse_line(&text) {
            Ok(mut article) => {
                if article.id.is_empty() {
                    article.id = id_for_content(&article);
                }
                if let Some(w) = bound(&mut article, limits) {
                    warnings.push(Warning::new("<stdin>", Some(n + 1), w, ""));
                }
                unread_dates.note("<stdin>", &mut article);
                if let Some(date) = drop_impossible_date(&mut article) {
                    let detail = date.to_string();
                    warnings.push(Warning::new(
                        "<stdin>",
                        Some(n + 1),
                        Problem::DateOutOfRange,
                        detail,
                    ));
                }
                emit(article)?;
            }
            Err((problem, detail)) => {
                warnings.push(Warning::new("<stdin>", Some(n + 1), problem, detail))
            }
        }
    }
    warnings.extend(unread_dates.warning());
    Ok(warnings)
}

/// The dates of one input that could not be read, told in one warning: its
/// first such date, where, and how many articles were kept undated.
#[derive(Default)]
struct UnreadDates {
    first: Option<(String, String)>,
    count: usize,
}

impl UnreadDates {
    /// Takes the unread date off `article`, read from `path`; one that metadata
    /// beside it has replaced (a sidecar table, the path) is no longer a problem.
    fn note(&mut self, path: &str, article: &mut Article) {
        let Some(text) = article.unread_date.take() else {
            return;
        };
        if article.date.is_some() {
            return;
        }
        self.count += 1;
        self.first.get_or_insert_with(|| (path.to_string(), text));
    }

    fn warning(self) -> Option<Warning> {
        let (path, text) = self.first?;
        let detail = match self.count {
            1 => format!("`{text}`"),
            n => format!("`{text}`, and {} more in this file", n - 1),
        };
        Some(Warning::new(&path, None, Problem::UnreadDate, detail))
    }
}

/// Reads one line into `line` (without its newline), keeping at most `cap` bytes:
/// `None` at the end of input, else whether the line was longer (and cut).
fn read_capped_line(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    cap: usize,
) -> io::Result<Option<bool>> {
    line.clear();
    let (mut seen, mut any) = (0usize, false);
    loop {
        let block = reader.fill_buf()?;
        if block.is_empty() {
            return Ok(any.then_some(seen > cap));
        }
        any = true;
        let (part, done) = match block.iter().position(|&b| b == b'\n') {
            Some(i) => (&block[..i], i + 1),
            None => (block, block.len()),
        };
        let room = cap.saturating_sub(line.len());
        line.extend_from_slice(&part[..part.len().min(room)]);
        seen += part.len();
        let finished = done > part.len();
        reader.consume(done);
        if finished {
            return Ok(Some(seen > cap));
        }
    }
}

/// Cuts an over-long title and body; returns [`Problem::Truncated`] when the body was cut.
fn bound(article: &mut Article, limits: &Limits) -> Option<Problem> {
    if article.title.chars().count() > MAX_TITLE_CHARS {
        article.title = article.title.chars().take(MAX_TITLE_CHARS).collect();
    }
    if article.body.len() > limits.max_record_bytes {
        let mut cut = limits.max_record_bytes;
        while !article.body.is_char_boundary(cut) {
            cut -= 1;
        }
        article.body.truncate(cut);
        if let Some(scan) = &mut article.scan {
            scan.truncate(article.body.chars().count());
        }
        return Some(Problem::Truncated);
    }
    None
}

/// Removes a publication date outside the years 1 to 9999 (what the index and
/// the date syntax can hold exactly), returning it for the warning.
fn drop_impossible_date(article: &mut Article) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::Datelike;
    let year = article.date?.year();
    if (1..=9999).contains(&year) {
        return None;
    }
    article.date.take()
}

/// Walks one input file's nesting of containers down to documents.
struct Visitor<'a, 'e> {
    key: &'a str,
    /// The file on disk, for what lies beside it (a METS issue's pages, scans).
    disk: Option<&'a Path>,
    defaults: Option<meta::Defaults>,
    boilerplate: Option<&'a std::collections::HashSet<String>>,
    limits: Limits,
    emit: &'a mut Emit<'e>,
    warnings: Vec<Warning>,
    records: usize,
    unread_dates: UnreadDates,
    expanded: Rc<Cell<u64>>,
}

impl Visitor<'_, '_> {
    fn warn(
        &mut self,
        path: &str,
        line: Option<usize>,
        problem: Problem,
        detail: impl Into<String>,
    ) {
        self.warnings
            .push(Warning::new(path, line, problem, detail));
    }

    /// A read error: a passed limit, or damaged data.
    fn read_failed(&mut self, path: &str, error: &io::Error) {
        let problem = if is_limit(error) {
            Problem::Bomb
        } else {
            Problem::Corrupt
        };
        self.warn(path, None, problem, error.to_string());
    }

    /// Opens one level: `name` is what warnings and paths show, `hint` the name whose
    /// extension suggests a format (it loses `.gz` and the like as layers come off).
    fn visit(
        &mut self,
        name: &str,
        hint: &str,
        reader: &mut dyn BufRead,
        depth: usize,
    ) -> Result<()> {
        if depth > self.limits.max_depth {
            let detail = format!(
                "more than {} levels of archives or compression",
                self.limits.max_depth
            );
            self.warn(name, None, Problem::TooDeep, detail);
            return Ok(());
        }
        let head = match reader.fill_buf() {
            Ok(head) => head.to_vec(),
            Err(e) => {
                self.read_failed(name, &e);
                return Ok(());
            }
        };
        if head.is_empty() {
            self.warn(name, None, Problem::Empty, "");
            return Ok(());
        }
        let mail = mail_kind(hint, &head);
        let saved = saved_page_reader(hint, &head);
        match Container::sniff(&head) {
            Some(Container::Gzip) => self.decompress(name, hint, reader, depth, |r| {
                Box::new(flate2::bufread::MultiGzDecoder::new(r))
            }),
            Some(Container::Bzip2) => self.decompress(name, hint, reader, depth, |r| {
                Box::new(bzip2::bufread::MultiBzDecoder::new(r))
            }),
            Some(Container::Zstd) => self.decompress(name, hint, reader, depth, |r| {
                match zstd::stream::read::Decoder::with_buffer(r) {
                    Ok(decoder) => Box::new(decoder),
                    Err(e) => Box::new(FailingReader(Some(e))),
                }
            }),
            Some(Container::Tar) => self.untar(name, reader, depth),
            Some(Container::Zip) if Editor::of(hint).is_some() => {
                if let (Some(bytes), Some(editor)) =
                    (self.read_document(name, reader), Editor::of(hint))
                {
                    let record = self.edited(bytes, editor);
                    self.take(name, documents(record))?;
                }
                Ok(())
            }
            Some(Container::Zip) => self.unzip(name, reader, depth),
            None if warc::sniff(&head) => self.warc(name, reader),
            None if Format::for_name(hint) == Some(Format::Csv)
                && Format::detect(hint, &String::from_utf8_lossy(&head)) == Format::Csv =>
            {
                self.csv(name, &head, reader)
            }
            None if pdf::sniff(&head) => {
                if let Some(bytes) = self.read_document(name, reader) {
                    let record = pdf::parse(&bytes, name);
                    self.take(name, vec![(None, record)])?;
                }
                Ok(())
            }
            None if saved.is_some() => self.saved_page(name, reader, saved),
            None if mail == Some(Format::Mbox) => self.mbox(name, reader, depth),
            None if mail == Some(Format::Email) => self.message(name, reader, depth),
            None if doc::sniff(&head)
                && matches!(Format::for_name(hint), Some(Format::Doc | Format::Msg)) =>
            {
                self.ole(name, hint, reader, depth)
            }
            None => self.document(name, hint, reader),
        }
    }

    fn decompress<'r>(
        &mut self,
        name: &str,
        hint: &str,
        reader: &'r mut dyn BufRead,
        depth: usize,
        decoder: impl FnOnce(Counting<&'r mut dyn BufRead>) -> Box<dyn Read + 'r>,
    ) -> Result<()> {
        let compressed = Rc::new(Cell::new(0));
        let counting = Counting::new(reader, compressed.clone());
        let expanding = Expanding::new(
            decoder(counting),
            compressed,
            self.expanded.clone(),
            self.limits,
        );
        let mut inner = BufReader::with_capacity(64 * 1024, expanding);
        self.visit(name, &inner_name(hint), &mut inner, depth + 1)
    }

    fn untar(&mut self, name: &str, reader: &mut dyn BufRead, depth: usize) -> Result<()> {
        let mut archive = tar::Archive::new(reader);
        let entries = match archive.entries() {
            Ok(entries) => entries,
            Err(e) => {
                self.read_failed(name, &e);
                return Ok(());
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    self.read_failed(name, &e);
                    break;
                }
            };
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let member = entry
                .path()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !wanted_member(&member) {
                continue;
            }
            let mut inner = BufReader::with_capacity(64 * 1024, entry);
            self.visit(&format!("{name}!/{member}"), &member, &mut inner, depth + 1)?;
        }
        Ok(())
    }

    fn unzip(&mut self, name: &str, reader: &mut dyn BufRead, depth: usize) -> Result<()> {
        // The central directory is at the end: the archive must be in memory (or seekable).
        let Some(bytes) = self.read_document(name, reader) else {
            return Ok(());
        };
        let mut archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(archive) => archive,
            Err(e) => {
                self.warn(name, None, Problem::Corrupt, e.to_string());
                return Ok(());
            }
        };
        for i in 0..archive.len() {
            let entry = match archive.by_index(i) {
                Ok(entry) => entry,
                Err(e) => {
                    self.warn(name, None, Problem::Corrupt, e.to_string());
                    continue;
                }
            };
            if !entry.is_file() || !wanted_member(entry.name()) {
                continue;
            }
            let hint = entry.name().to_string();
            let member = format!("{name}!/{hint}");
            let compressed = Rc::new(Cell::new(entry.compressed_size().max(1)));
            let expanding = Expanding::new(entry, compressed, self.expanded.clone(), self.limits);
            let mut inner = BufReader::with_capacity(64 * 1024, expanding);
            self.visit(&member, &hint, &mut inner, depth + 1)?;
        }
        Ok(())
    }

    /// An OLE compound file under a name that says what it holds: a Word 97–2003
    /// document or an Outlook message.
    fn ole(
        &mut self,
        name: &str,
        hint: &str,
        reader: &mut dyn BufRead,
        depth: usize,
    ) -> Result<()> {
        let Some(bytes) = self.read_document(name, reader) else {
            return Ok(());
        };
        if Format::for_name(hint) != Some(Format::Msg) {
            return self.take(name, documents(doc::parse(&bytes)));
        }
        let (record, files) = msg::parse_with_attachments(&bytes, &is_candidate);
        self.take(name, vec![(None, record)])?;
        self.attached(&format!("{name}!/"), files, depth)
    }

    /// A web page saved whole (MHTML, or Safari's web archive), read by `read`.
    fn saved_page(
        &mut self,
        name: &str,
        reader: &mut dyn BufRead,
        read: Option<ReadPage>,
    ) -> Result<()> {
        let (Some(read), Some(bytes)) = (read, self.read_document(name, reader)) else {
            return Ok(());
        };
        let (record, flattened) = read(&bytes);
        if flattened {
            let detail = format!("elements nest more than {} deep", html::MAX_DEPTH);
            self.warn(name, None, Problem::Flattened, detail);
        }
        self.take(name, vec![(None, record)])
    }

    /// One e-mail message (a MIME `.msg` too) and the files attached to it.
    fn message(&mut self, name: &str, reader: &mut dyn BufRead, depth: usize) -> Result<()> {
        let Some(bytes) = self.read_document(name, reader) else {
            return Ok(());
        };
        let (record, attachments) = email::read_with_attachments(&bytes, &is_candidate);
        self.take(name, vec![(None, record)])?;
        self.attached(&format!("{name}!/"), attachments, depth)
    }

    /// Files attached to a message, read as the members of an archive are
    /// (`inbox.mbox!/3/release.pdf`: message 3's attachment).
    fn attached(
        &mut self,
        prefix: &str,
        files: Vec<email::Attachment>,
        depth: usize,
    ) -> Result<()> {
        for file in files {
            let member = format!("{prefix}{}", file.name);
            self.visit(&member, &file.name, &mut &file.bytes[..], depth + 1)?;
        }
        Ok(())
    }

    /// A mailbox, message by message (with their attached files), within the
    /// file size limit.
    fn mbox(&mut self, name: &str, reader: &mut dyn BufRead, depth: usize) -> Result<()> {
        let max = self.limits.max_file_bytes;
        let mut within = reader.take(max.saturating_add(1));
        let failed = email::for_each_message(&mut within, &is_candidate, |n, record, files| {
            self.take(name, vec![(Some(n), record)])?;
            self.attached(&format!("{name}!/{n}/"), files, depth)
        })?;
        if let Some(e) = failed {
            self.read_failed(name, &e);
        } else if within.limit() == 0 {
            let detail = format!(
                "larger than the {} MB limit (--max-file-size): the messages after it were not read",
                max / 1_000_000
            );
            self.warn(name, None, Problem::TooLarge, detail);
        }
        Ok(())
    }

    /// A word-processor document: its text and properties, read from the zip it
    /// is, within the decompression limits.
    fn edited(&mut self, bytes: Vec<u8>, editor: Editor) -> Record {
        let corrupt = |e: zip::result::ZipError| (Problem::Corrupt, e.to_string());
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
        let mut part = |path: &str| -> std::result::Result<Option<String>, (Problem, String)> {
            let entry = match archive.by_name(path) {
                Ok(entry) => entry,
                Err(zip::result::ZipError::FileNotFound) => return Ok(None),
                Err(e) => return Err(corrupt(e)),
            };
            let compressed = Rc::new(Cell::new(entry.compressed_size().max(1)));
            let expanding = Expanding::new(entry, compressed, self.expanded.clone(), self.limits);
            let mut bytes = Vec::new();
            if let Err(e) = expanding
                .take(self.limits.max_file_bytes)
                .read_to_end(&mut bytes)
            {
                let problem = if is_limit(&e) {
                    Problem::Bomb
                } else {
                    Problem::Corrupt
                };
                return Err((problem, format!("{path}: {e}")));
            }
            Ok(Some(decode::decode(&bytes).text))
        };
        let text = part(editor.text)?.ok_or_else(|| {
            let detail = format!("no {}: not {}", editor.text, editor.kind);
            (Problem::NoText, detail)
        })?;
        let properties = part(editor.properties).ok().flatten();
        (editor.read)(&text, properties.as_deref())
    }

    fn csv(&mut self, name: &str, head: &[u8], reader: &mut dyn BufRead) -> Result<()> {
        let mut problems = Vec::new();
        let max_row = self.in_memory_cap();
        let max_file = self.limits.max_file_bytes;
        let mut within = reader.take(max_file.saturating_add(1));
        let outcome = csv_rows::for_each_row(&mut within, head, max_row, |line, record| {
            match record {
                Ok(article) => self.accept(name, article)?,
                Err((problem, detail)) => {
                    problems.push(Warning::new(name, Some(line), problem, detail))
                }
            }
            Ok(())
        })?;
        if within.limit() == 0 {
            let detail = format!(
                "stopped at the {} MB limit (--max-file-size); the rest was not read",
                max_file / 1_000_000
            );
            problems.push(Warning::new(name, None, Problem::TooLarge, detail));
        }
        if let Some(charset) = outcome.guessed {
            let detail = format!("decoded as {charset}");
            problems.push(Warning::new(name, None, Problem::Recoded, detail));
        }
        self.warnings.extend(problems);
        Ok(())
    }

    fn warc(&mut self, name: &str, reader: &mut dyn BufRead) -> Result<()> {
        let mut problems = Vec::new();
        let mut articles = 0usize;
        let outcome = warc::for_each_record(reader, |n, record| {
            match record {
                Ok(article) => {
                    articles += 1;
                    self.accept(name, article)?;
                }
                Err((problem, detail)) => {
                    problems.push(Warning::new(name, Some(n), problem, detail))
                }
            }
            Ok(())
        });
        self.warnings.extend(problems);
        outcome
    }

    /// Reads a whole document, within the size limit.
    fn read_document(&mut self, name: &str, reader: &mut dyn BufRead) -> Option<Vec<u8>> {
        let mut bytes = Vec::new();
        if let Err(e) = reader
            .take(self.limits.max_file_bytes + 1)
            .read_to_end(&mut bytes)
        {
            self.read_failed(name, &e);
            return None;
        }
        if bytes.len() as u64 > self.limits.max_file_bytes {
            let detail = format!(
                "larger than the {} MB limit (--max-file-size)",
                self.limits.max_file_bytes / 1_000_000
            );
            self.warn(name, None, Problem::TooLarge, detail);
            return None;
        }
        Some(bytes)
    }

    /// The most bytes of one document held in memory at once: documents larger
    /// than this are read in pieces (JSON Lines, wire SGML), in part (text, HTML),
    /// or not at all (one JSON document or feed), so memory stays bounded whatever
    /// the size and decompression limits.
    fn in_memory_cap(&self) -> usize {
        let floor = self
            .limits
            .max_record_bytes
            .saturating_mul(4)
            .max(IN_MEMORY_BYTES);
        usize::try_from(self.limits.max_file_bytes).map_or(floor, |max| floor.min(max))
    }

    fn document(&mut self, name: &str, hint: &str, reader: &mut dyn BufRead) -> Result<()> {
        let cap = self.in_memory_cap();
        let mut bytes = Vec::new();
        if let Err(e) = reader.take(cap as u64 + 1).read_to_end(&mut bytes) {
            self.read_failed(name, &e);
            return Ok(());
        }
        if bytes.len() <= cap {
            return self.whole_document(name, hint, bytes);
        }
        if cap as u64 >= self.limits.max_file_bytes {
            let detail = format!(
                "larger than the {} MB limit (--max-file-size)",
                self.limits.max_file_bytes / 1_000_000
            );
            self.warn(name, None, Problem::TooLarge, detail);
            return Ok(());
        }
        let head = decode::decode(&bytes[..bytes.len().min(64 * 1024)]).text;
        let megabytes = cap / 1_000_000;
        match Format::detect(hint, &head) {
            format @ (Format::JsonLines | Format::Sgml) => {
                self.stream_records(name, format, bytes, reader, cap)
            }
            Format::Text | Format::Markdown | Format::Html => {
                // The rest is read and dropped: the size and decompression limits
                // judge the whole file, as for any other.
                let room = self
                    .limits
                    .max_file_bytes
                    .saturating_sub(bytes.len() as u64);
                match io::copy(&mut reader.take(room.saturating_add(1)), &mut io::sink()) {
                    Err(e) => {
                        self.read_failed(name, &e);
                        return Ok(());
                    }
                    Ok(rest) if rest > room => {
                        let detail = format!(
                            "larger than the {} MB limit (--max-file-size)",
                            self.limits.max_file_bytes / 1_000_000
                        );
                        self.warn(name, None, Problem::TooLarge, detail);
                        return Ok(());
                    }
                    Ok(_) => {}
                }
                bytes.truncate(cap);
                if let Some(end) = bytes.iter().rposition(|&b| b == b'\n') {
                    bytes.truncate(end + 1);
                }
                let detail = format!("only its first {megabytes} MB were read");
                self.warn(name, None, Problem::Truncated, detail);
                self.whole_document(name, hint, bytes)
            }
            // Every other format is one document, read whole or not at all.
            _ => {
                let detail = format!(
                    "one JSON, XML, RTF or PDF document over {megabytes} MB is not read whole; split it"
                );
                self.warn(name, None, Problem::TooLarge, detail);
                Ok(())
            }
        }
    }

    /// Reads a large file of many records a piece at a time: each piece ends after
    /// its last whole record, and a single record larger than `cap` is skipped.
    fn stream_records(
        &mut self,
        name: &str,
        format: Format,
        mut bytes: Vec<u8>,
        reader: &mut dyn BufRead,
        cap: usize,
    ) -> Result<()> {
        let mut total = bytes.len() as u64;
        let mut lines = 0usize;
        let mut eof = false;
        let mut recoded = false;
        loop {
            let split = if eof {
                bytes.len()
            } else {
                record_end(format, &bytes, true).unwrap_or(0)
            };
            let mut target = PIECE_BYTES;
            if split == 0 && !eof && bytes.len() < cap {
                // One record longer than a piece: read on, up to the cap.
                target = cap.min(bytes.len() + PIECE_BYTES);
            } else if split == 0 && !eof {
                let detail = format!("a record over {} MB; skipped", cap / 1_000_000);
                self.warn(name, Some(lines + 1), Problem::TooLarge, detail);
                lines += bytes.iter().filter(|&&b| b == b'\n').count();
                bytes.clear();
                match skip_record(format, reader, &mut bytes) {
                    Ok((skipped, newlines)) => {
                        total += skipped;
                        lines += newlines;
                    }
                    Err(e) => {
                        self.read_failed(name, &e);
                        return Ok(());
                    }
                }
                if bytes.is_empty() {
                    eof = true;
                    continue;
                }
            } else {
                let piece: Vec<u8> = bytes.drain(..split).collect();
                self.read_piece((name, format), &piece, lines, &mut recoded)?;
                lines += piece.iter().filter(|&&b| b == b'\n').count();
                if eof && bytes.is_empty() {
                    return Ok(());
                }
            }
            let room = target.saturating_sub(bytes.len()).max(1) as u64;
            let read = match reader.take(room).read_to_end(&mut bytes) {
                Ok(read) => read as u64,
                Err(e) => {
                    self.read_failed(name, &e);
                    return Ok(());
                }
            };
            eof = read < room;
            total += read;
            if total > self.limits.max_file_bytes {
                let detail = format!(
                    "stopped at the {} MB limit (--max-file-size); the rest was not read",
                    self.limits.max_file_bytes / 1_000_000
                );
                self.warn(name, None, Problem::TooLarge, detail);
                return Ok(());
            }
        }
    }

    /// The records of one piece of a file of `format`, whose first line is line
    /// `lines + 1` of the file; the first piece that had to be decoded from
    /// another character set says so once (`recoded`).
    fn read_piece(
        &mut self,
        (name, format): (&str, Format),
        piece: &[u8],
        lines: usize,
        recoded: &mut bool,
    ) -> Result<()> {
        let decoded = decode::decode(piece);
        if let (Some(charset), false) = (decoded.guessed, *recoded) {
            *recoded = true;
            let detail = format!("decoded as {charset}");
            self.warn(name, None, Problem::Recoded, detail);
        }
        let records: Vec<(usize, Record)> = match format {
            Format::JsonLines => json::parse_lines(&decoded.text),
            _ => sgml::parse(&decoded.text),
        };
        drop(decoded);
        for (line, record) in records {
            match record {
                Ok(article) => self.accept(name, article)?,
                Err((problem, detail)) => self.warn(name, Some(line + lines), problem, detail),
            }
        }
        Ok(())
    }

    /// Parses a document held whole in memory.
    fn whole_document(&mut self, name: &str, hint: &str, bytes: Vec<u8>) -> Result<()> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            self.warn(name, None, Problem::Empty, "");
            return Ok(());
        }
        if rtf::sniff(&bytes) {
            // RTF names its own code pages, and `\bin` data may hold any byte.
            return self.take(name, documents(rtf::read(&bytes)));
        }
        if !decode::is_utf16(&bytes) && bytes.iter().take(BINARY_SNIFF_BYTES).any(|&b| b == 0) {
            if wordperfect::sniff(&bytes) {
                return self.take(name, documents(wordperfect::parse(&bytes)));
            }
            let kind = magic::binary_kind(&bytes);
            let named = matches!(
                Format::for_name(hint),
                Some(Format::WordPerfect | Format::Doc)
            );
            if let Some(record) = (kind.is_none() && named)
                .then(|| wordperfect::parse_unmarked(&bytes))
                .flatten()
            {
                return self.take(name, documents(record));
            }
            let kind = kind.unwrap_or("contains NUL bytes");
            self.warn(name, None, Problem::Binary, kind);
            return Ok(());
        }
        let decoded = decode::decode(&bytes);
        drop(bytes);
        if let Some(charset) = decoded.guessed {
            self.warn(
                name,
                None,
                Problem::Recoded,
                format!("decoded as {charset}"),
            );
        }
        let text = decoded.text;
        let format = Format::detect(hint, &text);
        let records: Vec<(Option<usize>, Record)> = match format {
            Format::Text => match nexis::split_text(&text)
                .or_else(|| factiva::split_text(&text))
                .or_else(|| proquest::split_text(&text))
            {
                Some(articles) => numbered(articles),
                None => vec![(None, text::parse_text(&text, false, self.boilerplate))],
            },
            Format::Markdown => vec![(None, text::parse_text(&text, true, self.boilerplate))],
            Format::Rtf => documents(rtf::read(text.as_bytes())),
            Format::Email | Format::Msg | Format::Mbox => {
                vec![(None, email::read(text.as_bytes()))]
            }
            Format::Json => json::parse_document(&text)
                .into_iter()
                .map(|r| (None, r))
                .collect(),
            Format::JsonLines => json::parse_lines(&text)
                .into_iter()
                .map(|(l, r)| (Some(l), r))
                .collect(),
            Format::Sgml => sgml::parse(&text)
                .into_iter()
                .map(|(l, r)| (Some(l), r))
                .collect(),
            Format::Feed => feed::parse(&text)
                .into_iter()
                .enumerate()
                .map(|(n, r)| (Some(n + 1), r))
                .collect(),
            Format::Html => self.page_records(name, &text),
            _ => self.archive_records(format, name, &text),
        };
        drop(text);
        self.take(name, records)
    }

    /// The articles of a web page: a Factiva export's, else the page's own.
    fn page_records(&mut self, name: &str, text: &str) -> Vec<(Option<usize>, Record)> {
        if let Some(articles) = factiva::sniff_html(text)
            .then(|| factiva::read_html(text))
            .flatten()
        {
            return numbered(articles);
        }
        let (article, flattened) = html::parse(text);
        if flattened {
            let detail = format!("elements nest more than {} deep", html::MAX_DEPTH);
            self.warn(name, None, Problem::Flattened, detail);
        }
        let record = if article.is_empty() {
            Err((Problem::NoText, "page has no text".into()))
        } else {
            Ok(article)
        };
        vec![(None, record)]
    }

    /// The articles of a document in one of the archive formats (ALTO, METS,
    /// hOCR, NITF, NewsML, DIDL and its article texts).
    fn archive_records(
        &mut self,
        format: Format,
        name: &str,
        text: &str,
    ) -> Vec<(Option<usize>, Record)> {
        let one = |record: Record| vec![(None, record)];
        match format {
            Format::Alto => one(self.alto_page(name, text)),
            Format::Mets | Format::Didl => {
                let dir = self.beside(name).and_then(Path::parent);
                let max = self.limits.max_file_bytes;
                let issue = match format {
                    Format::Mets => mets::read(text, name, dir, max),
                    _ => didl::read(text, name, dir, max),
                };
                for (file, problem, detail) in issue.problems {
                    self.warn(&file, None, problem, detail);
                }
                issue.records.into_iter().map(|r| (None, r)).collect()
            }
            Format::Hocr => one(hocr::parse(text, name).map_err(|e| (Problem::NoText, e))),
            Format::Nitf | Format::NewsMlG2 | Format::NewsMl1 => {
                let repaired = decode::repair_mojibake(text);
                let text = repaired.as_deref().unwrap_or(text);
                let read = xml::with_document(text, |doc| {
                    let root = doc.root_element();
                    match format {
                        Format::Nitf => vec![Ok(nitf::read(root))],
                        Format::NewsMlG2 => newsml::read_g2(root),
                        _ => newsml::read_v1(root),
                    }
                });
                match read {
                    Ok(records) => records.into_iter().map(|r| (None, r)).collect(),
                    Err(e) => one(Err((Problem::InvalidXml, e))),
                }
            }
            Format::KbText => {
                let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name);
                one(didl::read_text_file(text, file_name))
            }
            _ => one(Err((Problem::UnreadablePdf, "no PDF header".into()))),
        }
    }

    /// Accepts the articles of a document and warns of its problems.
    fn take(&mut self, name: &str, records: Vec<(Option<usize>, Record)>) -> Result<()> {
        for (line, record) in records {
            match record {
                Ok(article) => self.accept(name, article)?,
                Err((problem, detail)) => self.warn(name, line, problem, detail),
            }
        }
        Ok(())
    }

    /// The file on disk that `name` is, unless it is inside an archive.
    fn beside(&self, name: &str) -> Option<&Path> {
        self.disk.filter(|_| !name.contains("!/"))
    }

    /// One ALTO page on its own: an article with the page's words and boxes.
    fn alto_page(&self, name: &str, text: &str) -> Record {
        let page = alto::parse(text).map_err(|e| (Problem::InvalidXml, e))?;
        let found = self.beside(name).and_then(|path| {
            let found = mets::image_beside(path, page.image.as_deref())?;
            Some((found.clone(), path.parent()?.join(found)))
        });
        let image = found
            .as_ref()
            .map(|(file, _)| match name.rfind(['/', '\\']) {
                Some(i) => format!("{}{file}", &name[..=i]),
                None => file.clone(),
            });
        let image_at = found.and_then(|(_, at)| mets::absolute(&at));
        let mut layout = layout::Layout::default();
        layout.page(crate::scan::ScanPage {
            number: page.printed.unwrap_or(1),
            file: name.to_string(),
            width: page.width,
            height: page.height,
            unit: page.unit.clone(),
            image,
            image_at,
            start: 0,
        });
        for block in &page.blocks {
            layout.block(block);
        }
        if layout.is_empty() {
            return Err((Problem::NoText, "an ALTO page without words".into()));
        }
        let (body, scan, ocr_quality) = layout.finish();
        let title = ocr::find_headline(&body).unwrap_or_default();
        Ok(Article {
            title: clean_line(&title.chars().take(MAX_TITLE_CHARS).collect::<String>()),
            body,
            scan,
            ocr_quality,
            ..Article::default()
        })
    }

    /// Completes an article (id, path, metadata defaults, size bounds) and emits it.
    fn accept(&mut self, name: &str, mut article: Article) -> Result<()> {
        if article.id.is_empty() {
            article.id = id_for_file_record(self.key, self.records);
        }
        self.records += 1;
        article.path = Some(name.to_string());
        meta::apply(&mut article, self.defaults.as_ref(), name);
        article.title = clean_line(&article.title);
        if article.title.is_empty()
            && let Some(page) = article.scan.as_ref().and_then(|s| s.pages.first())
        {
            // A scanned page without a headline or metadata: labelled by its file.
            let file = name.rsplit(['/', '\\', '!']).next().unwrap_or(name);
            article.title = format!("{file}, page {}", page.number);
        }
        if let Some(problem) = bound(&mut article, &self.limits) {
            self.warn(
                name,
                None,
                problem,
                format!("body over {} MB", self.limits.max_record_bytes / 1_000_000),
            );
        }
        self.unread_dates.note(name, &mut article);
        if let Some(date) = drop_impossible_date(&mut article) {
            self.warn(name, None, Problem::DateOutOfRange, date.to_string());
        }
        (self.emit)(article)
    }
}

/// Where a whole record of `bytes` ends: the first one to end, or the `last`.
fn record_end(format: Format, bytes: &[u8], last: bool) -> Option<usize> {
    let closes: &[&[u8]] = match format {
        Format::JsonLines => &[b"\n"],
        _ => &[b"</REUTERS>", b"</DOC>"],
    };
    let ends = closes.iter().filter_map(|close| {
        let mut windows = bytes.windows(close.len());
        let at = if last {
            windows.rposition(|w| w == *close)
        } else {
            windows.position(|w| w == *close)
        };
        at.map(|i| i + close.len())
    });
    if last { ends.max() } else { ends.min() }
}

/// Reads past the record that does not fit in memory, keeping what follows its end
/// in `rest`; returns the bytes read and the line breaks passed.
fn skip_record(
    format: Format,
    reader: &mut dyn BufRead,
    rest: &mut Vec<u8>,
) -> io::Result<(u64, usize)> {
    let (mut read, mut lines) = (0u64, 0usize);
    // Keeps the tail of the last block, in case a closing tag is split between blocks.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let block = reader.fill_buf()?;
        if block.is_empty() {
            return Ok((read, lines));
        }
        let mut window = std::mem::take(&mut carry);
        let offset = window.len();
        window.extend_from_slice(block);
        let end = record_end(format, &window, false);
        let taken = block.len();
        match end {
            Some(end) => {
                // A close found here ends past the carried tail, searched before.
                let end = end.max(offset);
                lines += window[offset..end].iter().filter(|&&b| b == b'\n').count();
                rest.extend_from_slice(&window[end..]);
                reader.consume(taken);
                read += taken as u64;
                return Ok((read, lines));
            }
            None => {
                lines += window[offset..].iter().filter(|&&b| b == b'\n').count();
                let keep = window.len().min(16);
                carry = window[window.len() - keep..].to_vec();
                reader.consume(taken);
                read += taken as u64;
            }
        }
    }
}

/// Archive members worth opening: known formats, nested containers, extension-less
/// files (sniffed); hidden files and folders are skipped, as in the walk.
fn wanted_member(name: &str) -> bool {
    let hidden = name
        .split('/')
        .any(|part| part.starts_with('.') && part != "." && part != "..");
    let base = name.rsplit('/').next().unwrap_or(name);
    !hidden && !base.is_empty() && (is_candidate(base) || !base.contains('.'))
}

/// A reader that fails with a stored error: a decoder that could not start.
struct FailingReader(Option<io::Error>);

impl Read for FailingReader {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        Err(self
            .0
            .take()
            .unwrap_or_else(|| io::Error::other("decoder failed")))
    }
}

#[cfg(test)]
mod stream_tests {
    use super::*;

    #[test]
    fn records_end_after_newlines_and_closing_tags() {
        let lines = b"{\"a\":1}\n{\"b\":2}\n{\"c\"";
        assert_eq!(record_end(Format::JsonLines, lines, true), Some(16));
        assert_eq!(record_end(Format::JsonLines, lines, false), Some(8));
        let sgml = b"<REUTERS>a</REUTERS>\n<REUTERS>b</REUTERS><REU";
        assert_eq!(record_end(Format::Sgml, sgml, true), Some(41));
        assert_eq!(record_end(Format::Sgml, sgml, false), Some(20));
        assert_eq!(record_end(Format::Sgml, b"<DOC>no end", true), None);
    }

    #[test]
    fn a_skipped_record_keeps_what_follows_even_across_blocks() {
        // A reader with 4-byte blocks splits the closing tag between blocks.
        let data = b"xxxxxxxxx\nyy</REUTERS>\n<REUTERS>next</REUTERS>";
        let mut reader = BufReader::with_capacity(4, &data[..]);
        let mut rest = Vec::new();
        let (_, lines) = skip_record(Format::Sgml, &mut reader, &mut rest).unwrap();
        let mut tail = Vec::new();
        reader.read_to_end(&mut tail).unwrap();
        rest.extend(tail);
        assert_eq!(rest, b"\n<REUTERS>next</REUTERS>");
        assert_eq!(lines, 1);
    }

    #[test]
    fn capped_lines_are_cut_and_flagged() {
        let mut reader = BufReader::with_capacity(3, &b"short\nmuch too long\nlast"[..]);
        let mut line = Vec::new();
        assert_eq!(
            read_capped_line(&mut reader, &mut line, 8).unwrap(),
            Some(false)
        );
        assert_eq!(line, b"short");
        assert_eq!(
            read_capped_line(&mut reader, &mut line, 8).unwrap(),
            Some(true)
        );
        assert_eq!(line, b"much too");
        assert_eq!(
            read_capped_line(&mut reader, &mut line, 8).unwrap(),
            Some(false)
        );
        assert_eq!(line, b"last");
        assert_eq!(read_capped_line(&mut reader, &mut line, 8).unwrap(), None);
    }
}
