//! `news-search terms`: the unusual terms of a query's matches, printed through
//! the terms printer.

use std::io::BufWriter;

use crate::Outcome;
use crate::config::TermsConfig;
use crate::error::Result;
use crate::output::{self, diag};
use crate::store::Store;

/// Runs `terms`.
pub fn run(config: &TermsConfig) -> Result<Outcome> {
    let terms = Store::open(&config.location)?.run(&config.request)?;
    for note in &terms.notes {
        diag::note(note);
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    output::print_terms(&mut out, &terms, config.format)?;
    Ok(if terms.terms.is_empty() {
        Outcome::NoMatch
    } else {
        Outcome::Matched
    })
}
