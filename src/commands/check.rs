//! `news-search check`: verify every file of an index, and with `--repair` drop
//! the damaged segments.

use std::io::BufWriter;

use crate::Outcome;
use crate::config::CheckConfig;
use crate::error::{Error, Result};
use crate::index::check;
use crate::output;

/// Runs `check`.
pub fn run(config: &CheckConfig) -> Result<Outcome> {
    let report = check::check(&config.index_dir)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    output::print_check(&mut out, &report, config.json)?;
    if report.is_sound() {
        return Ok(Outcome::Done);
    }
    if !config.repair {
        return Err(Error::CheckFailed {
            dir: config.index_dir.clone(),
            count: report.damaged().count(),
        });
    }
    let repair = check::repair(&report)?;
    output::print_repair(&mut out, &repair, config.json)?;
    Ok(Outcome::Done)
}
