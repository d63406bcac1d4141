//! `news-search export`: parse files exactly as `index` would and print the articles
//! as JSON Lines, to inspect what the parsers make of a folder or to feed other tools.

use std::io::{BufWriter, Write};

use crate::Outcome;
use crate::config::ExportConfig;
use crate::error::Result;
use crate::ingest;
use crate::output::{diag, json::write_article};

/// Runs `export`.
pub fn run(config: &ExportConfig) -> Result<Outcome> {
    let walk = ingest::walk(&config.paths, None, config.no_ignore);
    for warning in &walk.warnings {
        diag::warning(warning);
    }
    let learned = ingest::Boilerplate::learn(&walk.files);
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut count = 0usize;
    for file in &walk.files {
        let warnings = ingest::parse_file(
            file,
            &config.limits,
            &walk.tables,
            &learned,
            &mut |article| {
                count += 1;
                write_article(&mut out, &article)?;
                Ok(())
            },
        )?;
        for warning in &warnings {
            diag::warning(warning);
        }
    }
    out.flush()?;
    Ok(if count > 0 {
        Outcome::Done
    } else {
        Outcome::NoMatch
    })
}
