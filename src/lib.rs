//! news-search: a full-text search engine for news archives, on Tantivy.
//!
//! The data flows `files → articles → index → hits → printer`:
//! [`ingest`] turns files into [`article::Article`]s, [`index`] writes and describes
//! the Tantivy index, [`search`] turns a query into ranked [`search::Hit`]s with
//! snippets, and [`output`] prints them. [`config`] turns the [`cli`] into typed
//! settings and [`commands`] wires each subcommand together.

pub mod article;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod index;
pub mod ingest;
pub mod location;
pub mod output;
pub mod quickwit;
pub mod scan;
pub mod search;
pub mod serve;
pub mod sink;
pub mod store;
pub mod varint;
pub mod watch;

use config::Config;
pub use error::{Error, Result};

/// How a successful command ended; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A query found at least one article (exit 0).
    Matched,
    /// A query found nothing (exit 1).
    NoMatch,
    /// Any other command succeeded (exit 0).
    Done,
    /// `index` stopped at Ctrl-C after committing what it had read (exit 130, as a
    /// shell reports a process ended by SIGINT).
    Interrupted,
}

impl Outcome {
    /// The process exit code.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Matched | Outcome::Done => 0,
            Outcome::NoMatch => 1,
            Outcome::Interrupted => 130,
        }
    }
}

/// Runs one command. A panic (which only a damaged index or a bug can cause) is
/// caught here and becomes an error naming the index, never a backtrace.
pub fn run(config: &Config) -> Result<Outcome> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(config))) {
        Ok(outcome) => outcome,
        Err(panic) => {
            let detail = error::panic_message(panic.as_ref());
            Err(match config.index_dir() {
                Some(dir) => Error::Damaged {
                    dir: dir.to_path_buf(),
                    detail,
                },
                None => Error::Internal(detail),
            })
        }
    }
}

fn dispatch(config: &Config) -> Result<Outcome> {
    match config {
        Config::Check(c) => commands::check::run(c),
        Config::Serve(c) => serve::run(c),
        Config::Index(c) => commands::index::run(c),
        Config::Query(c) => commands::query::run(c),
        Config::Stats(c) => commands::stats::run(c),
        Config::Export(c) => commands::export::run(c),
        Config::Eval(c) => commands::eval::run(c),
        Config::Show(c) => commands::show::run(c),
        Config::Similar(c) => commands::similar::run(c),
        Config::Trends(c) => commands::trends::run(c),
        Config::Terms(c) => commands::terms::run(c),
        Config::Reuse(c) => commands::reuse::run(c),
        Config::Batch(c) => commands::batch::run(c),
        Config::Watch(c) => commands::watch::run(c),
        Config::Completions(shell) => commands::docs::completions(*shell),
        Config::Man => commands::docs::man(),
        Config::QuickwitConfig(id) => commands::stats::quickwit_config(id),
    }
}
