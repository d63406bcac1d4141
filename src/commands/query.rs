//! `news-search query`: search, then hand the results to the chosen printer.

use std::io::{BufWriter, Write};

use crate::Outcome;
use crate::config::QueryConfig;
use crate::error::Result;
use crate::output::{self, diag};
use crate::store::Store;

/// Runs `query`.
pub fn run(config: &QueryConfig) -> Result<Outcome> {
    let store = Store::open(&config.location)?;
    let results = store.search(&config.request)?;
    // The process ends after printing: the kernel unmaps the index with it, at
    // less cost than unmapping file by file (about 1.5 ms at 3M articles).
    std::mem::forget(store);
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
