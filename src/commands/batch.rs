//! `news-search batch`: read a list of queries, run them a few at a time with a
//! progress bar, and write each one's total and top hits as they finish.

use std::io::{BufWriter, Read};
use std::time::Instant;

use crate::Outcome;
use crate::config::BatchConfig;
use crate::error::{Error, Result};
use crate::output::batch::{BatchPrinter, BatchTally};
use crate::output::diag;
use crate::output::progress::CountBar;
use crate::search::batch;
use crate::store::Store;

/// Queries run between two writes of the output.
const CHUNK: usize = 64;

/// Runs `batch`.
pub fn run(config: &BatchConfig) -> Result<Outcome> {
    let started = Instant::now();
    let (name, text) = match &config.file {
        Some(path) => (
            path.display().to_string(),
            std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?,
        ),
        None => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Error::io("standard input", e))?;
            ("standard input".to_string(), text)
        }
    };
    let batch::List {
        entries,
        bad,
        notes,
    } = batch::parse(&text, &config.filters);
    for note in &notes {
        diag::note(format!("{name}:1: {note}"));
    }
    for line in &bad {
        diag::error(format!("{name}:{}: {}", line.line, line.message));
    }
    if entries.is_empty() && bad.is_empty() {
        return Err(Error::Usage(format!("{name}: no queries in it")));
    }
    let store = Store::open(&config.location)?;
    let stdout = std::io::stdout();
    let mut printer = BatchPrinter::new(config.format, BufWriter::new(stdout.lock()));
    let bar = CountBar::new(config.progress, entries.len() as u64, "queries");
    let mut tally = BatchTally {
        bad_lines: bad.len(),
        ..BatchTally::default()
    };
    for chunk in entries.chunks(CHUNK) {
        let results = batch::run(&store, chunk, &config.template, || bar.inc());
        for (entry, result) in chunk.iter().zip(&results) {
            tally.queries += 1;
            if let Ok(found) = result {
                for note in &found.notes {
                    bar.note(format!("{name}:{}: {note}", entry.line));
                }
            }
            match result {
                Ok(found) if found.total > 0 => tally.matched += 1,
                Ok(_) => {}
                Err(e) => {
                    tally.failed += 1;
                    bar.error(format!("{name}:{}: {e}", entry.line));
                }
            }
            printer.query(entry, result)?;
        }
    }
    bar.finish();
    tally.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    printer.finish(&tally)?;
    if tally.failed + tally.bad_lines > 0 {
        return Err(Error::Usage(format!(
            "{name}: {} of its lines could not be run (see above); the others were",
            tally.failed + tally.bad_lines
        )));
    }
    Ok(if tally.matched > 0 {
        Outcome::Matched
    } else {
        Outcome::NoMatch
    })
}
