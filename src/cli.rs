//! The command line as clap sees it: subcommands and their flags, as strings and
//! numbers. `config` turns it into typed settings; nothing else reads these structs.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::location::Location;

/// Fast full-text search for news archives.
#[derive(Debug, Parser)]
#[command(name = "news-search", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: CliCommand,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Add files, folders (walked recursively) or `-` (JSON Lines on stdin) to the index.
    Index(IndexArgs),
    /// Search the index; ranked hits with highlighted snippets.
    #[command(visible_alias = "search", after_help = QUERY_SYNTAX)]
    Query(QueryArgs),
    /// Show what the index holds: articles, date range, top sources, size.
    Stats(StatsArgs),
    /// Print the articles parsed from files or folders as JSON Lines (nothing is indexed).
    Export(ExportArgs),
    /// Score the ranking against TREC relevance judgments: MAP, nDCG@10, P@10.
    Eval(EvalArgs),
    /// Print whole articles, by id or by the path of the file they came from.
    Show(ShowArgs),
    /// List related coverage of one article (more like this), copies marked.
    Similar(SimilarArgs),
    /// Compare queries over time: matching articles, all articles and the share per period.
    Trends(TrendsArgs),
    /// The words and phrases unusual in a query's matches against the whole archive.
    Terms(TermsArgs),
    /// Passages printed in more than one article (reprints), clustered, widest spread first.
    Reuse(ReuseArgs),
    /// Run a list of queries (one per line, `id<TAB>query`, or CSV with a `query` column).
    Batch(BatchArgs),
    /// Saved searches and watchlists, matched against every `index` run's new articles.
    #[command(subcommand)]
    Watch(WatchCommand),
    /// Verify every file of the index against its checksum (exit 0: sound, 2: damaged).
    Check(CheckArgs),
    /// Serve a web page and a JSON API over the index.
    Serve(ServeArgs),
    /// Print a shell completion script (e.g. `news-search completions bash`).
    Completions(CompletionsArgs),
    /// Print the manual page (roff; `news-search man | man -l -`).
    Man,
    /// Print the Quickwit index config (doc mapping) for creating the index yourself.
    QuickwitConfig(QuickwitConfigArgs),
}

/// `news-search quickwit-config`.
#[derive(Debug, Args)]
pub struct QuickwitConfigArgs {
    /// The Quickwit index id.
    #[arg(default_value = "news", value_parser = quickwit_index_id)]
    pub index_id: String,
}

/// A valid Quickwit index id.
fn quickwit_index_id(text: &str) -> Result<String, String> {
    if crate::location::valid_index_id(text) {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}` is not a Quickwit index id (a letter, then 2 to 254 letters, digits, `-`, `_` or `.`)"
        ))
    }
}

/// `news-search completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// A synonym list applied to queries.
#[derive(Debug, Clone, Args)]
pub struct SynonymArgs {
    /// Search query words as any of their synonyms too: a list in the Solr format
    /// (`AI, artificial intelligence` for equivalents, `colour => color` one way).
    #[arg(long, value_name = "FILE", env = "NEWS_SEARCH_SYNONYMS")]
    pub synonyms: Option<PathBuf>,
}

/// `news-search serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
    /// Synonyms.
    #[command(flatten)]
    pub synonyms: SynonymArgs,
    /// Address to listen on (port 0: any free port).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7700")]
    pub addr: std::net::SocketAddr,
    /// Allow an address other than loopback (the index is then readable from the
    /// network): needs --auth-file, or --no-auth to serve it to anyone.
    #[arg(long)]
    pub public: bool,
    /// Ask every request for a user name and password: a file of `user:password`
    /// lines, passwords as argon2 or bcrypt hashes (`htpasswd -nB USER` prints one).
    #[arg(long, value_name = "FILE", env = "NEWS_SEARCH_AUTH_FILE")]
    pub auth_file: Option<PathBuf>,
    /// With --public: serve without a password, to anyone who can reach the address.
    #[arg(long, conflicts_with = "auth_file")]
    pub no_auth: bool,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
    /// No access log on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Time budget of one search: past it the answer is a 503 saying so.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = seconds)]
    pub timeout: Duration,
}

/// `news-search check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
    /// Drop the damaged segments; the next `index` run reads their files again.
    #[arg(long)]
    pub repair: bool,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `news-search similar`.
#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// An article id (as in `--json` output) or the path of an indexed file.
    #[arg(value_name = "ID|PATH")]
    pub target: String,
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
    /// Synonyms.
    #[command(flatten)]
    pub synonyms: SynonymArgs,
    /// Number of related articles to show.
    #[arg(short = 'n', long, value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// JSON Lines: one `match` object per article, then a `summary`.
    #[arg(long)]
    pub json: bool,
    /// When to color.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Lead passage length in characters.
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub snippet_chars: usize,
}

/// `news-search show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// An article id (as in `--json` output) or the path of an indexed file.
    #[arg(value_name = "ID|PATH")]
    pub target: String,
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
    /// Print JSON Lines (the `export` format).
    #[arg(long)]
    pub json: bool,
    /// Print a citation of each article instead: source, place, date, page, title,
    /// author and URL, in the form --format gives.
    #[arg(long, conflicts_with = "json")]
    pub cite: bool,
    /// The citation's form (with --cite).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = CiteArg::Text, requires = "cite")]
    pub format: CiteArg,
}

/// `show --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiteArg {
    /// One line of text (Chicago's newspaper form).
    Text,
    /// BibTeX (`@article`).
    Bibtex,
    /// RIS (`TY  - NEWS`).
    Ris,
    /// CSL-JSON (an array of `article-newspaper` items).
    CslJson,
}

/// `news-search eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Queries, one `id<TAB>query` per line.
    #[arg(long, value_name = "FILE")]
    pub queries: PathBuf,
    /// Judgments in TREC qrels format (`query 0 document grade`); document = article id.
    #[arg(long, value_name = "FILE")]
    pub qrels: PathBuf,
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
    /// Synonyms.
    #[command(flatten)]
    pub synonyms: SynonymArgs,
    /// Require every word of each query (default: any word, as in TREC runs).
    #[arg(long)]
    pub all: bool,
    /// Print one JSON object with per-query scores.
    #[arg(long)]
    pub json: bool,
}

/// `news-search export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Files or folders.
    #[arg(required_unless_present = "stored", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print the articles stored in the local index instead of reading files (to
    /// move an index whose source files are gone, as in
    /// `export --stored | news-search index - --index quickwit+http://…`).
    #[arg(long, conflicts_with = "paths")]
    pub stored: bool,
    /// The index `--stored` reads.
    #[command(flatten)]
    pub location: IndexLocation,
    /// Size, decompression and nesting limits (as for `index`).
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Also files that .gitignore, .ignore or .news-search-ignore leave out, and
    /// files named README, LICENSE, COPYING or CHANGELOG.
    #[arg(long)]
    pub no_ignore: bool,
}

/// The limits on reading input files, shared by `index` and `export` so that both
/// read a file exactly alike. Sizes are in megabytes (1,000,000 bytes).
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Skip files (and archive members) larger than this many megabytes.
    #[arg(long, value_name = "MB", default_value_t = 256)]
    pub max_file_size: u64,
    /// Cut article bodies longer than this many megabytes.
    #[arg(long, value_name = "MB", default_value_t = 8)]
    pub max_record_size: u64,
    /// Refuse to decompress more than this many megabytes from one input file.
    #[arg(long, value_name = "MB", default_value_t = 16_000)]
    pub max_expanded_size: u64,
    /// Refuse compressed data that expands more than this many times (after 8 MB).
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub max_ratio: u64,
    /// Deepest nesting of archives and compressed files.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub max_depth: usize,
}

/// Where the index lives.
#[derive(Debug, Args)]
pub struct IndexLocation {
    /// Index folder, or a Quickwit index as quickwit+http://HOST:PORT/INDEX_ID.
    #[arg(
        long = "index",
        value_name = "DIR",
        env = "NEWS_SEARCH_INDEX",
        default_value = DEFAULT_INDEX,
        value_parser = index_location
    )]
    pub at: Location,
}

/// Where the index lives unless told.
const DEFAULT_INDEX: &str = "./index";

/// An index location; empty (as in `NEWS_SEARCH_INDEX=`) counts as not given.
fn index_location(text: &str) -> Result<Location, String> {
    Location::parse(if text.is_empty() { DEFAULT_INDEX } else { text })
}

/// `news-search index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files, folders, or `-` for JSON Lines on stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
    /// No progress bar, warnings or summary on stderr (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,
    /// Only list what would be added, changed and removed; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also files that .gitignore, .ignore or .news-search-ignore leave out, and
    /// files named README, LICENSE, COPYING or CHANGELOG.
    #[arg(long)]
    pub no_ignore: bool,

    /// Keep the articles of files that no longer exist.
    #[arg(long)]
    pub no_delete: bool,
    /// Size, decompression and nesting limits.
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Memory budget of the index writer, in megabytes.
    #[arg(long, value_name = "MB", default_value_t = 400)]
    pub memory: usize,
    /// Indexing threads (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Commit at least every this many seconds during a long run.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = seconds)]
    pub commit_interval: Duration,
    /// After the run, when watches gained new matches: run this shell command once,
    /// with the new matches as JSON Lines on its standard input.
    #[arg(long, value_name = "COMMAND")]
    pub notify: Option<String>,
}

/// The query syntax, after `query --help`.
const QUERY_SYNTAX: &str = "\
Query syntax:
  word word          every word (--any: any of them); stemmed, case and accents ignored
  \"a phrase\"         the words in this order; \"a phrase\"~2 allows 2 words between
  a OR b, -word      either word; without the word (also NOT word)
  prefix*, word~1    words that start so; words within 1 edit (~ alone: 2)
  title:word         in the headline (also body:, source:, author:)
  source:\"Name\"      one source; source: IN [a b] for several
  lang:de            articles in one language (ISO code)
  date:[A TO B]      published from A up to B: 2024, 2024-07, 2024-07-04, 7d, *
                     ([ ] include the bound, { } leave it out)

Examples:
  news-search query '\"AI centre\" date:[2024-07 TO 2024-09]'
  news-search query 'title:strike -automation' --sort newest
  news-search query 'electr* source: IN [\"Global Wire\" \"Metro Ledger\"]' --timeline month";

/// `news-search query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query: words (all required), "phrases", OR, -excluded, field:word, prefix*, fuzzy~1.
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: String,
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
    /// Synonyms.
    #[command(flatten)]
    pub synonyms: SynonymArgs,
    /// Number of hits to show (default 10; with -l, every match).
    #[arg(short = 'n', long, value_name = "N")]
    pub limit: Option<usize>,
    /// Skip this many hits first (paging).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,
    /// JSON Lines: one `match` object per hit, then a `summary`.
    #[arg(long, conflicts_with_all = ["files_with_matches", "count"])]
    pub json: bool,
    /// Print only the path (or URL) of each hit.
    #[arg(short = 'l', long, conflicts_with = "count")]
    pub files_with_matches: bool,
    /// With -l: end each path with a NUL byte instead of a newline, and print it
    /// as it is (for `xargs -0`; names may hold spaces and newlines).
    #[arg(short = '0', long, requires = "files_with_matches")]
    pub null: bool,
    /// Print only the number of matching articles.
    #[arg(short = 'c', long)]
    pub count: bool,
    /// Match articles that have any of the words (default: all of them).
    #[arg(long)]
    pub any: bool,
    /// Date window, sources, languages, OCR quality.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Analyse the query words in these languages only (ISO codes, or `folded`
    /// for no stemming; comma-separated). Default: every language the index holds.
    #[arg(long, value_name = "LANGS", value_delimiter = ',')]
    pub query_lang: Vec<String>,
    /// Order of the hits: by relevance, or by publication date.
    #[arg(long, value_enum, value_name = "ORDER", default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// Blend recency into relevance: an article HALF_LIFE older than the newest one
    /// gets half the bonus (`--recent` = `--recent=30d`; units h, d, w, m, y).
    #[arg(
        long,
        value_name = "HALF_LIFE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "30d",
        conflicts_with = "sort"
    )]
    pub recent: Option<String>,
    /// Show every near-duplicate as its own hit instead of "+N similar".
    #[arg(long)]
    pub no_collapse: bool,
    /// Count matching articles per period or per source (TSV when piped, a bar chart
    /// on a terminal, a `timeline` object in the --json summary).
    #[arg(long, value_enum, value_name = "UNIT")]
    pub timeline: Option<TimelineArg>,
    /// Passages per hit.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub snippets: usize,
    /// No passages (headlines and metadata only).
    #[arg(long, conflicts_with = "snippets")]
    pub no_snippets: bool,
    /// When to color matches.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Passage length in characters.
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub snippet_chars: usize,
}

/// The filters `query` and `trends` share.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only articles published since: 2024, 2024-07, 2024-W27, 2024-07-04, RFC 3339, or 7d, 2w, 3m, 1y ago.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles published up to and including: same forms as --since.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only articles from this source (repeat for several): the whole name, ignoring case,
    /// accents, punctuation and a leading "The"; `~WORDS` takes every name containing the words.
    #[arg(long, value_name = "NAME")]
    pub source: Vec<String>,
    /// Only articles in this language (ISO code: en, zh, ja, de…; repeat for several).
    /// Articles whose language could not be told (`und`) match every language.
    #[arg(long, value_name = "CODE")]
    pub lang: Vec<String>,
    /// Only OCR text read with at least this confidence (0 to 1, or a percentage):
    /// ALTO and hOCR pages give one. Articles without a confidence are kept.
    #[arg(long, value_name = "Q")]
    pub min_ocr_quality: Option<String>,
}

/// `news-search trends`.
#[derive(Debug, Args)]
pub struct TrendsArgs {
    /// The queries to compare (each in the `query` syntax; after `--` when one
    /// starts with `-`).
    #[arg(value_name = "QUERY", required = true)]
    pub queries: Vec<String>,
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
    /// The period: day, week, month or year (default: chosen from the span of the dated articles).
    #[arg(long, value_enum, value_name = "UNIT")]
    pub per: Option<PeriodArg>,
    /// JSON Lines: one `trend` object per query and period.
    #[arg(long)]
    pub json: bool,
    /// Match articles that have any of a query's words (default: all of them).
    #[arg(long)]
    pub any: bool,
    /// Date window, sources, languages, OCR quality (applied to the matches and to
    /// the articles they are a share of).
    #[command(flatten)]
    pub filters: FilterArgs,
}

/// `news-search terms`.
#[derive(Debug, Args)]
pub struct TermsArgs {
    /// The query whose matches are looked at.
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: String,
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
    /// Number of terms to show (at most 100).
    #[arg(short = 'n', long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Compare with the matches of this query instead of every article.
    #[arg(long, value_name = "QUERY")]
    pub background: Option<String>,
    /// JSON Lines: one `term` object per term, then a `summary`.
    #[arg(long)]
    pub json: bool,
    /// Match articles that have any of the words (default: all of them).
    #[arg(long)]
    pub any: bool,
    /// Date window, sources, languages, OCR quality (applied to the matches and
    /// to the background).
    #[command(flatten)]
    pub filters: FilterArgs,
}

/// `news-search reuse`.
#[derive(Debug, Args)]
pub struct ReuseArgs {
    /// Look only in the articles this query matches (default: all).
    #[arg(value_name = "QUERY", allow_hyphen_values = true, default_value = "*")]
    pub query: String,
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
    /// Shortest passage, in words.
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub min_words: usize,
    /// Number of clusters to show.
    #[arg(short = 'n', long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// JSON Lines: one `reuse` object per cluster, then a `summary`.
    #[arg(long)]
    pub json: bool,
    /// Match articles that have any of the words (default: all of them).
    #[arg(long)]
    pub any: bool,
    /// Date window, sources, languages, OCR quality.
    #[command(flatten)]
    pub filters: FilterArgs,
}

/// `news-search batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The list: one query per line, `id<TAB>query` lines, or CSV with a `query`
    /// column and optional `id`, `since`, `until`, `source` and `lang` columns
    /// (`-`: standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
    /// Synonyms.
    #[command(flatten)]
    pub synonyms: SynonymArgs,
    /// Hits per query.
    #[arg(short = 'n', long, value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Output: CSV (one row per query and hit), TSV, or JSON Lines (default: CSV).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<BatchFormatArg>,
    /// JSON Lines (the same as `--format jsonl`).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Match articles that have any of a query's words (default: all of them).
    #[arg(long)]
    pub any: bool,
    /// Show every near-duplicate as its own hit instead of collapsing copies.
    #[arg(long)]
    pub no_collapse: bool,
    /// No progress bar on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Date window, sources, languages, OCR quality for every query (a row's own
    /// `since`, `until`, `source` or `lang` cell replaces the flag for that row).
    #[command(flatten)]
    pub filters: FilterArgs,
}

/// `news-search watch …`.
#[derive(Debug, Subcommand)]
pub enum WatchCommand {
    /// Save a search (`watch add NAME QUERY`) or a watchlist (`watch add NAME --file LIST`).
    Add(WatchAddArgs),
    /// List the watches with their unread counts.
    List(WatchListArgs),
    /// Remove a watch and its unread matches.
    Remove(WatchRemoveArgs),
    /// The matches of new articles not yet marked read.
    New(WatchNewArgs),
}

/// `news-search watch add`.
#[derive(Debug, Args)]
pub struct WatchAddArgs {
    /// Its name (letters, digits, `-`, `_`, `.`): also its feed, `/watch/NAME.atom`.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The query to save (not with --file).
    #[arg(
        value_name = "QUERY",
        allow_hyphen_values = true,
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    pub query: Option<String>,
    /// A watchlist: one query per line, `id<TAB>query` lines, or CSV with a `query` column.
    #[arg(long, value_name = "LIST")]
    pub file: Option<PathBuf>,
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
    /// Match articles that have any of a query's words (default: all of them).
    #[arg(long)]
    pub any: bool,
    /// Replace a watch of the same name (its unread matches go).
    #[arg(long)]
    pub replace: bool,
    /// Date window, sources, languages, OCR quality (relative dates such as 7d
    /// count from each run).
    #[command(flatten)]
    pub filters: FilterArgs,
}

/// `news-search watch list`.
#[derive(Debug, Args)]
pub struct WatchListArgs {
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
    /// JSON Lines: one `watch` object per watch.
    #[arg(long)]
    pub json: bool,
}

/// `news-search watch remove`.
#[derive(Debug, Args)]
pub struct WatchRemoveArgs {
    /// The watch.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
}

/// `news-search watch new`.
#[derive(Debug, Args)]
pub struct WatchNewArgs {
    /// Only this watch (default: all).
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
    /// JSON Lines: one `new` object per match, then a `summary`.
    #[arg(long)]
    pub json: bool,
    /// Mark what is listed as read.
    #[arg(long)]
    pub mark_read: bool,
}

/// `batch --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchFormatArg {
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// JSON Lines: `match` lines with `query_id`, a `batch` line per query, a `summary`.
    Jsonl,
}

/// `--per` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    /// Per calendar day.
    Day,
    /// Per ISO week.
    Week,
    /// Per month.
    Month,
    /// Per year.
    Year,
}

/// `--timeline` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineArg {
    /// Per calendar day.
    Day,
    /// Per ISO week.
    Week,
    /// Per month.
    Month,
    /// Per year.
    Year,
    /// Per source, largest first.
    Source,
}

/// `news-search stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Where the index lives.
    #[command(flatten)]
    pub location: IndexLocation,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// How many sources to list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
}

/// `--sort` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Latest publication first.
    Newest,
    /// Earliest publication first.
    Oldest,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Color when stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always emit color codes.
    Always,
    /// Never emit color codes.
    Never,
}

/// Reads a number of seconds between 0 and one day: finite, never `nan` or `inf`.
fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !value.is_finite() || !(0.0..=86_400.0).contains(&value) {
        return Err(format!(
            "`{text}` is out of range: give a number of seconds from 0 to 86400"
        ));
    }
    Ok(Duration::from_secs_f64(value))
}
