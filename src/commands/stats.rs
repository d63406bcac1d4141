//! `news-search stats`: describe an index.

use std::io::BufWriter;

use crate::Outcome;
use crate::config::StatsConfig;
use crate::error::Result;
use crate::index::{NewsIndex, stats};
use crate::output;

/// Runs `stats`.
pub fn run(config: &StatsConfig) -> Result<Outcome> {
    let index = NewsIndex::open(&config.index_dir)?;
    let stats = stats::compute(&index, config.top)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    output::print_stats(&mut out, &stats, config.json)?;
    Ok(Outcome::Done)
}
