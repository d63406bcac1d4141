//! `news-search trends`: compare queries over time, then print through the trends printer.

use std::io::BufWriter;

use crate::Outcome;
use crate::config::TrendsConfig;
use crate::error::Result;
use crate::output::{self, diag};
use crate::store::Store;

/// Runs `trends`.
pub fn run(config: &TrendsConfig) -> Result<Outcome> {
    let trends = Store::open(&config.location)?.run(&config.request)?;
    for note in &trends.notes {
        diag::note(note);
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    output::print_trends(&mut out, &trends, config.format)?;
    Ok(if trends.trends.iter().any(|t| t.total > 0) {
        Outcome::Matched
    } else {
        Outcome::NoMatch
    })
}
