//! Typed settings, made once from the parsed command line: terminal detection,
//! color, defaults and limits are decided here so the rest never sees raw flags.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::cli::{
    BatchArgs, BatchFormatArg, Cli, CliCommand, ColorArg, FilterArgs, IndexArgs, LimitArgs,
    PeriodArg, QueryArgs, ServeArgs, SimilarArgs, SortArg, StatsArgs, TermsArgs, TimelineArg,
    TrendsArgs, WatchCommand,
};
use crate::error::{Error, Result};
use crate::index::language;
use crate::index::writer::WriterOptions;
use crate::ingest::Limits;
use crate::ingest::limits::MB;
use crate::location::Location;
use crate::output::TrendsFormat;
use crate::output::batch::BatchFormat;
use crate::output::cite::CiteFormat;
use crate::search::filter::{Edge, Filters, parse_edge, parse_span};
use crate::search::reuse::ReuseRequest;
use crate::search::synonyms::Synonyms;
use crate::search::terms::TermsRequest;
use crate::search::timeline::TimeUnit;
use crate::search::trends::TrendsRequest;
use crate::search::{SearchRequest, SortOrder};

/// Hits shown when `--limit` is not given.
pub const DEFAULT_LIMIT: usize = 10;

/// A command, ready to run.
#[derive(Debug, Clone)]
pub enum Config {
    /// Build or extend an index.
    Index(IndexConfig),
    /// Search.
    Query(QueryConfig),
    /// Describe an index.
    Stats(StatsConfig),
    /// Print parsed articles.
    Export(ExportConfig),
    /// Score the ranking against relevance judgments.
    Eval(EvalConfig),
    /// Print whole articles.
    Show(ShowConfig),
    /// Related coverage of one article.
    Similar(SimilarConfig),
    /// Queries compared over time.
    Trends(TrendsConfig),
    /// Unusual terms of a matching set.
    Terms(TermsConfig),
    /// Reprinted passages.
    Reuse(ReuseConfig),
    /// A list of queries.
    Batch(BatchConfig),
    /// Saved searches and watchlists.
    Watch(WatchConfig),
    /// Verify (and repair) an index.
    Check(CheckConfig),
    /// The web page and API.
    Serve(ServeConfig),
    /// A shell completion script.
    Completions(clap_complete::Shell),
    /// The manual page.
    Man,
    /// The Quickwit index config, for this index id.
    QuickwitConfig(String),
}

/// Settings of `serve`.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Where the index is.
    pub location: Location,
    /// Where to listen.
    pub addr: std::net::SocketAddr,
    /// Open the page in a browser once listening.
    pub open: bool,
    /// No access log.
    pub quiet: bool,
    /// Answer requests for any Host name (`--public`), not only loopback ones.
    pub public: bool,
    /// Time budget of one search.
    pub timeout: std::time::Duration,
    /// The `user:password` file every request is checked against.
    pub auth_file: Option<PathBuf>,
    /// Query words searched as their synonyms too.
    pub synonyms: Option<Arc<Synonyms>>,
}

impl Config {
    /// The index a command reads or writes, if any.
    pub fn index_dir(&self) -> Option<&std::path::Path> {
        Some(match self {
            Config::Index(c) => &c.index_dir,
            Config::Query(c) => return c.location.local_dir().map(PathBuf::as_path),
            Config::Stats(c) => return c.location.local_dir().map(PathBuf::as_path),
            Config::Eval(c) => return c.location.local_dir().map(PathBuf::as_path),
            Config::Show(c) => return c.location.local_dir().map(PathBuf::as_path),
            Config::Similar(c) => return c.location.local_dir().map(PathBuf::as_path),
            Config::Trends(c) => return c.location.local_dir().map(PathBuf::as_path),
            Config::Terms(c) => return c.location.local_dir().map(PathBuf::as_path),
            Config::Reuse(c) => return c.location.local_dir().map(PathBuf::as_path),
            Config::Batch(c) => return c.location.local_dir().map(PathBuf::as_path),
            Config::Watch(c) => return c.location.local_dir().map(PathBuf::as_path),
            Config::Check(c) => &c.index_dir,
            Config::Serve(c) => return c.location.local_dir().map(PathBuf::as_path),
            Config::Export(_)
            | Config::Completions(_)
            | Config::Man
            | Config::QuickwitConfig(_) => return None,
        })
    }
}

/// Settings of `check`.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// Index folder.
    pub index_dir: PathBuf,
    /// Drop damaged segments.
    pub repair: bool,
    /// Print JSON.
    pub json: bool,
}

/// Settings of `similar`.
#[derive(Debug, Clone)]
pub struct SimilarConfig {
    /// Where the index is.
    pub location: Location,
    /// An article id, or the path of an indexed file.
    pub target: String,
    /// The article's words searched as their synonyms too.
    pub synonyms: Option<Arc<Synonyms>>,
    /// Related articles to show.
    pub limit: usize,
    /// Passage length in characters.
    pub snippet_chars: usize,
    /// How to print (human or JSON).
    pub output: OutputMode,
    /// Emit terminal color codes.
    pub color: bool,
    /// Stdout is a terminal.
    pub interactive: bool,
}

/// Settings of `show`.
#[derive(Debug, Clone)]
pub struct ShowConfig {
    /// Where the index is.
    pub location: Location,
    /// An article id, or the path of an indexed file.
    pub target: String,
    /// Print JSON Lines.
    pub json: bool,
    /// Print citations in this format instead.
    pub cite: Option<crate::output::cite::CiteFormat>,
}

/// Settings of `eval`.
#[derive(Debug, Clone)]
pub struct EvalConfig {
    /// Where the index is.
    pub location: Location,
    /// `id<TAB>query` file.
    pub queries: PathBuf,
    /// TREC qrels file.
    pub qrels: PathBuf,
    /// Require every word (by default any word matches, as in TREC runs).
    pub all_words: bool,
    /// Print JSON.
    pub json: bool,
    /// Query words searched as their synonyms too.
    pub synonyms: Option<Arc<Synonyms>>,
}

/// Settings of `export`.
#[derive(Debug, Clone)]
pub struct ExportConfig {
    /// Files and folders.
    pub paths: Vec<PathBuf>,
    /// Print the articles stored in this local index instead.
    pub stored: Option<PathBuf>,
    /// Size, expansion and nesting limits.
    pub limits: Limits,
    /// Ignore files and project-file names are not followed.
    pub no_ignore: bool,
}

/// Settings of `index`.
#[derive(Debug, Clone)]
pub struct IndexConfig {
    /// A Quickwit index to write to instead of the folder.
    pub quickwit: Option<crate::location::QuickwitUrl>,
    /// Index folder.
    pub index_dir: PathBuf,
    /// What to read, in order.
    pub inputs: Vec<Input>,
    /// Show a progress bar (stderr is a terminal and not `--quiet`).
    pub progress: bool,
    /// Print no warnings or summary.
    pub quiet: bool,
    /// Size, expansion and nesting limits.
    pub limits: Limits,
    /// Only report what would be added, changed and removed.
    pub dry_run: bool,
    /// Ignore files and project-file names are not followed.
    pub no_ignore: bool,
    /// Remove the articles of files that disappeared from the walked folders.
    pub delete: bool,
    /// Writer settings.
    pub writer: WriterOptions,
    /// Shell command run with the watches' new matches.
    pub notify: Option<String>,
}

/// One input of `index`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file or folder.
    Path(PathBuf),
    /// JSON Lines on standard input.
    Stdin,
}

/// Settings of `query`.
#[derive(Debug, Clone)]
pub struct QueryConfig {
    /// Where the index is.
    pub location: Location,
    /// The search itself.
    pub request: SearchRequest,
    /// How to print the results.
    pub output: OutputMode,
    /// Emit terminal color codes.
    pub color: bool,
    /// Stdout is a terminal (a human is reading).
    pub interactive: bool,
}

/// Settings of `trends`.
#[derive(Debug, Clone)]
pub struct TrendsConfig {
    /// Where the index is.
    pub location: Location,
    /// What to compare.
    pub request: TrendsRequest,
    /// How to print it.
    pub format: TrendsFormat,
}

/// Settings of `terms`.
#[derive(Debug, Clone)]
pub struct TermsConfig {
    /// Where the index is.
    pub location: Location,
    /// What to look for.
    pub request: TermsRequest,
    /// How to print it (a table, TSV or JSON Lines).
    pub format: TrendsFormat,
}

/// Settings of `reuse`.
#[derive(Debug, Clone)]
pub struct ReuseConfig {
    /// Where the index is.
    pub location: Location,
    /// What to look for.
    pub request: ReuseRequest,
    /// JSON Lines instead of text.
    pub json: bool,
}

/// Settings of `batch`.
#[derive(Debug, Clone)]
pub struct BatchConfig {
    /// Where the index is.
    pub location: Location,
    /// The list (`None`: standard input).
    pub file: Option<PathBuf>,
    /// Every query's settings but its words and filters.
    pub template: SearchRequest,
    /// The filters of rows that give none.
    pub filters: Filters,
    /// How to write the results.
    pub format: BatchFormat,
    /// Show a progress bar (stderr is a terminal, no `--quiet`).
    pub progress: bool,
}

/// Settings of `watch`.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    /// The index the watches are kept with.
    pub location: Location,
    /// What to do.
    pub action: WatchAction,
}

/// What `watch` does.
#[derive(Debug, Clone)]
pub enum WatchAction {
    /// Save a search or a watchlist.
    Add {
        /// Its name.
        name: String,
        /// The query of a saved search.
        query: Option<String>,
        /// The list of a watchlist.
        file: Option<PathBuf>,
        /// Its filters as written (checked).
        filters: crate::watch::FilterText,
        /// Match any word.
        any: bool,
        /// Replace a watch of that name.
        replace: bool,
    },
    /// List the watches.
    List {
        /// JSON Lines.
        json: bool,
    },
    /// Remove a watch.
    Remove {
        /// Its name.
        name: String,
    },
    /// The unread matches.
    New {
        /// Of this watch only.
        name: Option<String>,
        /// JSON Lines.
        json: bool,
        /// Mark them read.
        mark_read: bool,
    },
}

/// The result printers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputMode {
    /// Ranked hits with snippets for people.
    Human,
    /// JSON Lines.
    Json,
    /// One path per hit; NUL-terminated and unescaped with `null`.
    Paths {
        /// End with NUL instead of a newline.
        null: bool,
    },
    /// The number of matches.
    Count,
    /// Matching articles per period or source.
    Timeline,
}

/// Settings of `stats`.
#[derive(Debug, Clone)]
pub struct StatsConfig {
    /// Where the index is.
    pub location: Location,
    /// Print JSON.
    pub json: bool,
    /// Sources to list.
    pub top: usize,
}

/// The synonym list `--synonyms` names, read and checked (a missing file or a bad
/// line is an error naming it).
/// The analyses named by `--query-lang` (`None`: not given).
pub fn query_langs(
    names: &[String],
    flag: &str,
) -> Result<Option<Vec<crate::index::analysis::Analysis>>> {
    let names: Vec<&str> = names
        .iter()
        .flat_map(|n| n.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() {
        return Ok(None);
    }
    let mut analyses = Vec::new();
    for name in names {
        let analysis = crate::index::analysis::Analysis::named(name).ok_or_else(|| {
            Error::Usage(format!(
                "{flag}: `{name}` is not a language code; use ISO codes such as en, de, fr, ru, or `folded`"
            ))
        })?;
        if !analyses.contains(&analysis) {
            analyses.push(analysis);
        }
    }
    Ok(Some(analyses))
}

fn synonyms(args: &crate::cli::SynonymArgs) -> Result<Option<Arc<Synonyms>>> {
    match &args.synonyms {
        Some(path) if !path.as_os_str().is_empty() => Ok(Some(Arc::new(Synonyms::load(path)?))),
        _ => Ok(None),
    }
}

/// The folder of a local index; a Quickwit location is refused by the commands that
/// do not speak to Quickwit yet.
fn local(location: crate::cli::IndexLocation) -> Result<PathBuf> {
    match location.at {
        Location::Local(dir) => Ok(dir),
        Location::Quickwit(url) => Err(Error::Quickwit {
            url: url.to_string(),
            message: "this command does not work over Quickwit yet; use a local index folder"
                .into(),
        }),
    }
}

impl Config {
    /// Turns the parsed command line into typed settings; fails on values clap cannot judge.
    pub fn from_cli(cli: Cli) -> Result<Config> {
        Ok(match cli.command {
            CliCommand::Index(args) => Config::Index(index_config(args)?),
            CliCommand::Query(args) => Config::Query(query_config(args)?),
            CliCommand::Stats(args) => Config::Stats(stats_config(args)?),
            CliCommand::QuickwitConfig(args) => Config::QuickwitConfig(args.index_id),
            CliCommand::Show(args) => Config::Show(ShowConfig {
                location: args.location.at,
                target: args.target,
                json: args.json,
                cite: args.cite.then_some(match args.format {
                    crate::cli::CiteArg::Text => CiteFormat::Text,
                    crate::cli::CiteArg::Bibtex => CiteFormat::Bibtex,
                    crate::cli::CiteArg::Ris => CiteFormat::Ris,
                    crate::cli::CiteArg::CslJson => CiteFormat::CslJson,
                }),
            }),
            CliCommand::Eval(args) => Config::Eval(EvalConfig {
                location: args.location.at,
                queries: args.queries,
                qrels: args.qrels,
                all_words: args.all,
                json: args.json,
                synonyms: synonyms(&args.synonyms)?,
            }),
            CliCommand::Similar(args) => Config::Similar(similar_config(args)?),
            CliCommand::Trends(args) => Config::Trends(trends_config(args)?),
            CliCommand::Reuse(args) => {
                let request = ReuseRequest {
                    query: args.query,
                    filters: cli_filters(&args.filters)?,
                    match_any: args.any,
                    min_words: args.min_words,
                    limit: args.limit,
                };
                request.check("--")?;
                Config::Reuse(ReuseConfig {
                    location: args.location.at,
                    request,
                    json: args.json,
                })
            }
            CliCommand::Batch(args) => Config::Batch(batch_config(args)?),
            CliCommand::Watch(command) => Config::Watch(watch_config(command)?),
            CliCommand::Terms(args) => Config::Terms(terms_config(args)?),
            CliCommand::Serve(args) => Config::Serve(serve_config(args)?),
            CliCommand::Check(args) => Config::Check(CheckConfig {
                index_dir: local(args.location)?,
                repair: args.repair,
                json: args.json,
            }),
            CliCommand::Completions(args) => Config::Completions(args.shell),
            CliCommand::Man => Config::Man,
            CliCommand::Export(args) => Config::Export(ExportConfig {
                stored: if args.stored {
                    Some(local(args.location)?)
                } else {
                    None
                },
                paths: args.paths,
                limits: limits(&args.limits),
                no_ignore: args.no_ignore,
            }),
        })
    }
}

fn index_config(args: IndexArgs) -> Result<IndexConfig> {
    let inputs = args
        .paths
        .into_iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                Input::Stdin
            } else {
                Input::Path(p)
            }
        })
        .collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Over Quickwit there is no folder: `index_dir` is then unused.
    let (index_dir, quickwit) = match args.location.at {
        Location::Local(dir) => (dir, None),
        Location::Quickwit(url) => (PathBuf::new(), Some(url)),
    };
    Ok(IndexConfig {
        quickwit,
        index_dir,
        inputs,
        progress: !args.quiet && std::io::stderr().is_terminal(),
        quiet: args.quiet,
        limits: limits(&args.limits),
        dry_run: args.dry_run,
        no_ignore: args.no_ignore,
        delete: !args.no_delete,
        writer: WriterOptions {
            memory_bytes: args.memory.saturating_mul(1_000_000),
            threads: args.threads.unwrap_or(cores).max(1),
            commit_every: args.commit_interval,
        },
        notify: args.notify,
    })
}

/// The input limits, in bytes.
fn limits(args: &LimitArgs) -> Limits {
    Limits {
        max_file_bytes: args.max_file_size.saturating_mul(MB),
        max_record_bytes: usize::try_from(args.max_record_size.saturating_mul(MB))
            .unwrap_or(usize::MAX),
        max_expanded_bytes: args.max_expanded_size.saturating_mul(MB),
        max_ratio: args.max_ratio.max(1),
        max_depth: args.max_depth,
    }
}

/// The date window, sources and languages of a search, from the texts a user
/// gave; `prefix` is how the names are written in messages (`--` for flags, none
/// for the web API's parameters). Shared by `query` and `serve`.
pub fn filters(
    since: Option<&str>,
    until: Option<&str>,
    sources: &[String],
    langs: &[String],
    min_ocr_quality: Option<&str>,
    prefix: &str,
) -> Result<Filters> {
    let now = chrono::Utc::now();
    let edge = |name: &str, value: Option<&str>, edge| {
        value
            .map(|v| {
                parse_edge(v, edge, now).map_err(|e| Error::Usage(format!("{prefix}{name}: {e}")))
            })
            .transpose()
    };
    let sources = distinct(sources, "source", prefix)?;
    let langs = distinct(langs, "lang", prefix)?
        .iter()
        .map(|code| {
            language::normalize(code).map(str::to_string).ok_or_else(|| {
                Error::Usage(format!(
                    "{prefix}lang: `{code}` is not a language code; use ISO codes such as en, zh, ja, de, fr"
                ))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let (since_at, until_at) = (
        edge("since", since, Edge::Start)?,
        edge("until", until, Edge::End)?,
    );
    if let (Some(start), Some(end), Some(since), Some(until)) = (since_at, until_at, since, until)
        && start >= end
    {
        return Err(Error::Usage(format!(
            "{prefix}since {since} is not before {prefix}until {until}: the window is empty (swap them?)"
        )));
    }
    let min_ocr_quality = min_ocr_quality
        .map(|text| {
            let text = text.trim();
            let value = match text.strip_suffix('%') {
                Some(percent) => percent.trim().parse::<f64>().map(|p| p / 100.0),
                None => text.parse::<f64>(),
            };
            value
                .ok()
                .filter(|q| (0.0..=1.0).contains(q))
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "{prefix}min-ocr-quality: `{text}` is not a quality from 0 to 1 (such as 0.8, or 80%)"
                    ))
                })
        })
        .transpose()?;
    Ok(Filters {
        since: since_at,
        until: until_at,
        sources,
        langs,
        min_ocr_quality,
        files: Vec::new(),
        ids: None,
    })
}

/// Most values one filter takes (`--source`, `--lang`, or their parameters): each
/// is a clause of every search, so a flood of them would multiply its cost.
pub const MAX_FILTER_VALUES: usize = 32;

/// `values` without repeats, in their order, at most [`MAX_FILTER_VALUES`].
fn distinct(values: &[String], name: &str, prefix: &str) -> Result<Vec<String>> {
    let mut kept: Vec<String> = Vec::new();
    for value in values {
        if !kept.contains(value) {
            if kept.len() == MAX_FILTER_VALUES {
                return Err(Error::Usage(format!(
                    "{prefix}{name}: at most {MAX_FILTER_VALUES} different values"
                )));
            }
            kept.push(value.clone());
        }
    }
    Ok(kept)
}

/// The half-life of `--recent` (or the API's `recent`), longer than zero.
pub fn half_life(text: &str, prefix: &str) -> Result<Duration> {
    parse_span(text)
        .and_then(|span| span.to_std().map_err(|e| e.to_string()))
        .and_then(|span| {
            if span.is_zero() {
                Err("a half-life must be longer than zero".to_string())
            } else {
                Ok(span)
            }
        })
        .map_err(|e| Error::Usage(format!("{prefix}recent: {e}")))
}

/// The filters of the command line.
fn cli_filters(args: &FilterArgs) -> Result<Filters> {
    filters(
        args.since.as_deref(),
        args.until.as_deref(),
        &args.source,
        &args.lang,
        args.min_ocr_quality.as_deref(),
        "--",
    )
}

fn watch_config(command: WatchCommand) -> Result<WatchConfig> {
    let (location, action) = match command {
        WatchCommand::Add(args) => {
            crate::watch::check_name(&args.name)?;
            let filters = crate::watch::FilterText {
                since: args.filters.since,
                until: args.filters.until,
                sources: args.filters.source,
                langs: args.filters.lang,
                min_ocr_quality: args.filters.min_ocr_quality,
            };
            filters.resolve()?;
            if args.query.as_deref().is_some_and(|q| q.trim().is_empty()) {
                return Err(Error::Usage("watch add: the query is empty".into()));
            }
            let action = WatchAction::Add {
                name: args.name,
                query: args.query,
                file: args.file,
                filters,
                any: args.any,
                replace: args.replace,
            };
            (args.location, action)
        }
        WatchCommand::List(args) => (args.location, WatchAction::List { json: args.json }),
        WatchCommand::Remove(args) => (args.location, WatchAction::Remove { name: args.name }),
        WatchCommand::New(args) => (
            args.location,
            WatchAction::New {
                name: args.name,
                json: args.json,
                mark_read: args.mark_read,
            },
        ),
    };
    Ok(WatchConfig {
        location: location.at,
        action,
    })
}

/// Most hits per query of a batch.
pub const MAX_BATCH_HITS: usize = 1000;

fn batch_config(args: BatchArgs) -> Result<BatchConfig> {
    if args.limit > MAX_BATCH_HITS {
        return Err(Error::Usage(format!(
            "-n {}: at most {MAX_BATCH_HITS} hits per query",
            args.limit
        )));
    }
    let format = match (args.json, args.format) {
        (true, _) | (_, Some(BatchFormatArg::Jsonl)) => BatchFormat::Jsonl,
        (_, Some(BatchFormatArg::Tsv)) => BatchFormat::Tsv,
        (_, Some(BatchFormatArg::Csv) | None) => BatchFormat::Csv,
    };
    let jsonl = format == BatchFormat::Jsonl;
    Ok(BatchConfig {
        location: args.location.at,
        file: (args.file.as_os_str() != "-").then_some(args.file),
        template: SearchRequest {
            limit: args.limit,
            // Passages only where they are printed.
            highlight: jsonl,
            passages: if jsonl { 2 } else { 0 },
            match_any: args.any,
            collapse: !args.no_collapse,
            synonyms: synonyms(&args.synonyms)?,
            ..SearchRequest::new("")
        },
        filters: cli_filters(&args.filters)?,
        format,
        progress: !args.quiet && std::io::stderr().is_terminal(),
    })
}

/// `terms`' settings: a chart on a terminal, tab-separated lines in a pipe.
fn terms_config(args: TermsArgs) -> Result<TermsConfig> {
    Ok(TermsConfig {
        location: args.location.at,
        request: TermsRequest {
            query: args.query,
            background: args.background,
            filters: cli_filters(&args.filters)?,
            match_any: args.any,
            limit: args.limit,
        },
        format: if args.json {
            TrendsFormat::Json
        } else if std::io::stdout().is_terminal() {
            TrendsFormat::Chart
        } else {
            TrendsFormat::Tsv
        },
    })
}

/// `serve`'s settings; a server reachable from the network needs `--public`, and
/// then a password file or `--no-auth`.
fn serve_config(args: ServeArgs) -> Result<ServeConfig> {
    if !args.addr.ip().is_loopback() && !args.public {
        return Err(Error::Usage(format!(
            "--addr {}: not a loopback address; anyone who can reach it could read the whole index, so add --public to serve it to the network",
            args.addr
        )));
    }
    if args.public && args.auth_file.is_none() && !args.no_auth {
        return Err(Error::Usage(
            "--public without --auth-file: anyone who can reach the server could read the whole index; give --auth-file FILE (user:password lines), or --no-auth to serve it to anyone".into(),
        ));
    }
    if args.no_auth {
        crate::output::diag::warning(
            "--no-auth: the index is readable by anyone who can reach the server",
        );
    }
    Ok(ServeConfig {
        location: args.location.at,
        addr: args.addr,
        open: args.open,
        quiet: args.quiet,
        public: args.public,
        timeout: args.timeout,
        auth_file: args.auth_file,
        synonyms: synonyms(&args.synonyms)?,
    })
}

fn trends_config(args: TrendsArgs) -> Result<TrendsConfig> {
    let request = TrendsRequest {
        queries: args.queries,
        filters: cli_filters(&args.filters)?,
        match_any: args.any,
        per: args.per.map(|per| match per {
            PeriodArg::Day => TimeUnit::Day,
            PeriodArg::Week => TimeUnit::Week,
            PeriodArg::Month => TimeUnit::Month,
            PeriodArg::Year => TimeUnit::Year,
        }),
    };
    request.check("--")?;
    let format = if args.json {
        TrendsFormat::Json
    } else if std::io::stdout().is_terminal() {
        TrendsFormat::Chart
    } else {
        TrendsFormat::Tsv
    };
    Ok(TrendsConfig {
        location: args.location.at,
        request,
        format,
    })
}

fn query_config(args: QueryArgs) -> Result<QueryConfig> {
    let filters = cli_filters(&args.filters)?;
    let recent = args
        .recent
        .as_deref()
        .map(|text| half_life(text, "--"))
        .transpose()?;
    let output = if args.json {
        OutputMode::Json
    } else if args.timeline.is_some() {
        OutputMode::Timeline
    } else if args.files_with_matches {
        OutputMode::Paths { null: args.null }
    } else if args.count {
        OutputMode::Count
    } else {
        OutputMode::Human
    };
    let limit = match (output, args.limit) {
        (OutputMode::Count | OutputMode::Timeline, _) => 0,
        (_, Some(limit)) => limit,
        (OutputMode::Paths { .. }, None) => usize::MAX,
        (_, None) => DEFAULT_LIMIT,
    };
    let interactive = std::io::stdout().is_terminal();
    let config = QueryConfig {
        location: args.location.at,
        request: SearchRequest {
            query: args.query,
            limit,
            offset: args.offset,
            snippet_chars: args.snippet_chars,
            passages: if args.no_snippets { 0 } else { args.snippets },
            highlight: matches!(output, OutputMode::Human | OutputMode::Json),
            match_any: args.any,
            filters,
            recent,
            synonyms: synonyms(&args.synonyms)?,
            query_langs: query_langs(&args.query_lang, "--query-lang")?,
            collapse: !args.no_collapse && matches!(output, OutputMode::Human | OutputMode::Json),
            timeline: args.timeline.map(|unit| match unit {
                TimelineArg::Day => TimeUnit::Day,
                TimelineArg::Week => TimeUnit::Week,
                TimelineArg::Month => TimeUnit::Month,
                TimelineArg::Year => TimeUnit::Year,
                TimelineArg::Source => TimeUnit::Source,
            }),
            top_sources: if output == OutputMode::Json {
                TOP_SOURCES
            } else {
                0
            },
            sort: match args.sort {
                SortArg::Relevance => SortOrder::Relevance,
                SortArg::Newest => SortOrder::Newest,
                SortArg::Oldest => SortOrder::Oldest,
            },
        },
        output,
        color: use_color(args.color, interactive),
        interactive,
    };
    config.request.check_offset("--offset")?;
    Ok(config)
}

/// Sources listed in the `--json` summary.
pub const TOP_SOURCES: usize = 10;

fn use_color(color: ColorArg, interactive: bool) -> bool {
    match color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            interactive && no_color_unset() && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

fn similar_config(args: SimilarArgs) -> Result<SimilarConfig> {
    let interactive = std::io::stdout().is_terminal();
    Ok(SimilarConfig {
        location: args.location.at,
        target: args.target,
        synonyms: synonyms(&args.synonyms)?,
        limit: args.limit,
        snippet_chars: args.snippet_chars,
        output: if args.json {
            OutputMode::Json
        } else {
            OutputMode::Human
        },
        color: use_color(args.color, interactive),
        interactive,
    })
}

fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn stats_config(args: StatsArgs) -> Result<StatsConfig> {
    Ok(StatsConfig {
        location: args.location.at,
        json: args.json,
        top: args.top,
    })
}
