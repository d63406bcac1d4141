//! `news-search show <ID|PATH>`: print whole articles, found by id or by the file
//! they came from (every article of that file, in index order).

use std::io::{BufWriter, Write};

use crate::Outcome;
use crate::config::ShowConfig;
use crate::error::Result;
use crate::output::cite::{Cited, citations};
use crate::output::{json::write_article, print_article};
use crate::store::{Named, Store};

/// Runs `show`.
pub fn run(config: &ShowConfig) -> Result<Outcome> {
    let found = Store::open(&config.location)?.find(&config.target, Named::IdOrPath)?;
    if found.is_empty() {
        crate::output::diag::note(format!("no article has the id or path `{}`", config.target));
        return Ok(Outcome::NoMatch);
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    if let Some(format) = config.cite {
        let cited: Vec<Cited> = found.iter().map(|a| Cited::new(a, None)).collect();
        out.write_all(citations(&cited, format).as_bytes())?;
        out.flush()?;
        return Ok(Outcome::Matched);
    }
    for (n, article) in found.into_iter().enumerate() {
        if config.json {
            write_article(&mut out, &article)?;
        } else {
            if n > 0 {
                writeln!(out)?;
            }
            print_article(&mut out, &article)?;
        }
    }
    out.flush()?;
    Ok(Outcome::Matched)
}
