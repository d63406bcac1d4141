//! The `news-search` binary: parse the command line, run it, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use news_search::cli::Cli;
use news_search::config::Config;
use news_search::output::diag;

fn main() -> ExitCode {
    // Panics are caught and reported as errors by `run`; no backtrace on stderr.
    std::panic::set_hook(Box::new(|_| {}));
    match Config::from_cli(Cli::parse()).and_then(|config| news_search::run(&config)) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            diag::error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}
