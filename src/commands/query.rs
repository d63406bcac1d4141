//! `news-search query`: search, then hand the results to the chosen printer.

use std::io::{BufWriter, Write};

use crate::Outcome;
use crate::config::QueryConfig;
use crate::error::Result;
use crate::output::{self, diag};
use crate::store::Store;

/// Runs `query`.
pub fn run(config: &QueryConfig) -> Result<Outcome> {
    let results = Store::open(&config.location)?.search(&config.request)?;
    for note in &results.notes {
        diag::note(note);
    }
    let stdout = std::io::stdout();
    let out: Box<dyn Write> = Box::new(BufWriter::new(stdout.lock()));
    let mut printer = output::printer(config.output, out, config.color, config.interactive);
    for hit in &results.hits {
        printer.hit(hit)?;
    }
    printer.finish(&results)?;
    Ok(if results.total > 0 {
        Outcome::Matched
    } else {
        Outcome::NoMatch
    })
}
