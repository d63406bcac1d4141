//! `news-search stats`: describe an index (local or on Quickwit); and
//! `news-search quickwit-config`: the Quickwit index config a news-search index needs.

use std::io::{BufWriter, Write};

use crate::Outcome;
use crate::config::StatsConfig;
use crate::error::Result;
use crate::output;
use crate::quickwit::mapping;
use crate::store::Store;

/// Runs `stats`.
pub fn run(config: &StatsConfig) -> Result<Outcome> {
    let stats = Store::open(&config.location)?.stats(config.top)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    output::print_stats(&mut out, &stats, config.json)?;
    Ok(Outcome::Done)
}

/// Runs `quickwit-config`: the index config as pretty JSON, ready for
/// `curl -XPOST -H 'Content-Type: application/json' http://HOST:7280/api/v1/indexes --data-binary @-`.
pub fn quickwit_config(index_id: &str) -> Result<Outcome> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let text = serde_json::to_string_pretty(&mapping::index_config(index_id))
        .map_err(|e| crate::Error::Internal(e.to_string()))?;
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(Outcome::Done)
}
