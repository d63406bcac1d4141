//! Typed settings, made once from the parsed command line: terminal detection,
//! color, defaults and limits are decided here so the rest never sees raw flags.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{Cli, CliCommand, ColorArg, IndexArgs, QueryArgs, SortArg, StatsArgs};
use crate::error::{Error, Result};
use crate::index::writer::WriterOptions;
use crate::ingest::Limits;
use crate::search::filter::{Edge, Filters, parse_edge};
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
}

/// Settings of `show`.
#[derive(Debug, Clone)]
pub struct ShowConfig {
    /// Index folder.
    pub index_dir: PathBuf,
    /// An article id, or the path of an indexed file.
    pub target: String,
    /// Print JSON Lines.
    pub json: bool,
}

/// Settings of `eval`.
#[derive(Debug, Clone)]
pub struct EvalConfig {
    /// Index folder.
    pub index_dir: PathBuf,
    /// `id<TAB>query` file.
    pub queries: PathBuf,
    /// TREC qrels file.
    pub qrels: PathBuf,
    /// Require every word (by default any word matches, as in TREC runs).
    pub all_words: bool,
    /// Print JSON.
    pub json: bool,
}

/// Settings of `export`.
#[derive(Debug, Clone)]
pub struct ExportConfig {
    /// Files and folders.
    pub paths: Vec<PathBuf>,
    /// Size, expansion and nesting limits.
    pub limits: Limits,
}

/// Settings of `index`.
#[derive(Debug, Clone)]
pub struct IndexConfig {
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
    /// Remove the articles of files that disappeared from the walked folders.
    pub delete: bool,
    /// Writer settings.
    pub writer: WriterOptions,
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
    /// Index folder.
    pub index_dir: PathBuf,
    /// The search itself.
    pub request: SearchRequest,
    /// How to print the results.
    pub output: OutputMode,
    /// Emit terminal color codes.
    pub color: bool,
    /// Stdout is a terminal (a human is reading).
    pub interactive: bool,
}

/// The result printers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputMode {
    /// Ranked hits with snippets for people.
    Human,
    /// JSON Lines.
    Json,
    /// One path per hit.
    Paths,
    /// The number of matches.
    Count,
}

/// Settings of `stats`.
#[derive(Debug, Clone)]
pub struct StatsConfig {
    /// Index folder.
    pub index_dir: PathBuf,
    /// Print JSON.
    pub json: bool,
    /// Sources to list.
    pub top: usize,
}

impl Config {
    /// Turns the parsed command line into typed settings; fails on values clap cannot judge.
    pub fn from_cli(cli: Cli) -> Result<Config> {
        Ok(match cli.command {
            CliCommand::Index(args) => Config::Index(index_config(args)),
            CliCommand::Query(args) => Config::Query(query_config(args)?),
            CliCommand::Stats(args) => Config::Stats(stats_config(args)),
            CliCommand::Show(args) => Config::Show(ShowConfig {
                index_dir: args.location.dir,
                target: args.target,
                json: args.json,
            }),
            CliCommand::Eval(args) => Config::Eval(EvalConfig {
                index_dir: args.location.dir,
                queries: args.queries,
                qrels: args.qrels,
                all_words: args.all,
                json: args.json,
            }),
            CliCommand::Export(args) => Config::Export(ExportConfig {
                paths: args.paths,
                limits: Limits::default(),
            }),
        })
    }
}

fn index_config(args: IndexArgs) -> IndexConfig {
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
    IndexConfig {
        index_dir: args.location.dir,
        inputs,
        progress: !args.quiet && std::io::stderr().is_terminal(),
        quiet: args.quiet,
        limits: Limits {
            max_file_bytes: args.max_file_size.saturating_mul(1_000_000),
            max_record_bytes: usize::try_from(args.max_record_size.saturating_mul(1_000_000))
                .unwrap_or(usize::MAX),
            max_expanded_bytes: args.max_expanded_size.saturating_mul(1_000_000),
            max_ratio: args.max_ratio.max(1),
            max_depth: args.max_depth,
        },
        dry_run: args.dry_run,
        delete: !args.no_delete,
        writer: WriterOptions {
            memory_bytes: args.memory.saturating_mul(1_000_000),
            threads: args.threads.unwrap_or(cores).max(1),
            commit_every: Duration::from_secs_f64(args.commit_interval.clamp(0.0, 86_400.0)),
        },
    }
}

fn query_config(args: QueryArgs) -> Result<QueryConfig> {
    let now = chrono::Utc::now();
    let edge = |flag: &str, value: &Option<String>, edge| {
        value
            .as_deref()
            .map(|v| parse_edge(v, edge, now).map_err(|e| Error::Usage(format!("{flag}: {e}"))))
            .transpose()
    };
    let filters = Filters {
        since: edge("--since", &args.since, Edge::Start)?,
        until: edge("--until", &args.until, Edge::End)?,
        sources: args.source.clone(),
    };
    let output = if args.json {
        OutputMode::Json
    } else if args.files_with_matches {
        OutputMode::Paths
    } else if args.count {
        OutputMode::Count
    } else {
        OutputMode::Human
    };
    let limit = match (output, args.limit) {
        (OutputMode::Count, _) => 0,
        (_, Some(limit)) => limit,
        (OutputMode::Paths, None) => usize::MAX,
        (_, None) => DEFAULT_LIMIT,
    };
    let interactive = std::io::stdout().is_terminal();
    Ok(QueryConfig {
        index_dir: args.location.dir,
        request: SearchRequest {
            query: args.query,
            limit,
            offset: args.offset,
            snippet_chars: args.snippet_chars,
            snippets: matches!(output, OutputMode::Human | OutputMode::Json),
            match_any: args.any,
            filters,
            sort: match args.sort {
                SortArg::Relevance => SortOrder::Relevance,
                SortArg::Newest => SortOrder::Newest,
                SortArg::Oldest => SortOrder::Oldest,
            },
        },
        output,
        color: match args.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => {
                interactive
                    && no_color_unset()
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        },
        interactive,
    })
}

fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn stats_config(args: StatsArgs) -> StatsConfig {
    StatsConfig {
        index_dir: args.location.dir,
        json: args.json,
        top: args.top,
    }
}
