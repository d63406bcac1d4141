//! `news-search reuse`: reprinted passages, printed through the reuse printer.

use std::io::BufWriter;

use crate::Outcome;
use crate::config::ReuseConfig;
use crate::error::Result;
use crate::output::{self, diag};
use crate::store::Store;

/// Runs `reuse`.
pub fn run(config: &ReuseConfig) -> Result<Outcome> {
    let reuse = Store::open(&config.location)?.run(&config.request)?;
    for note in &reuse.notes {
        diag::note(note);
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    output::print_reuse(&mut out, &reuse, config.json)?;
    Ok(if reuse.clusters.is_empty() {
        Outcome::NoMatch
    } else {
        Outcome::Matched
    })
}
