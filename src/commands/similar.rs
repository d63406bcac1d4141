//! `news-search similar <ID|PATH>`: related coverage of one article, through the
//! query printers.

use std::io::{BufWriter, Write};

use crate::Outcome;
use crate::config::SimilarConfig;
use crate::error::{Error, Result};
use crate::index::{NewsIndex, lookup};
use crate::output::{self, diag};
use crate::search::similar;

/// Runs `similar`.
pub fn run(config: &SimilarConfig) -> Result<Outcome> {
    let index = NewsIndex::open(&config.index_dir)?;
    let searcher = index
        .index
        .reader()
        .map_err(|e| Error::index(&index.dir, e))?
        .searcher();
    let found = lookup::find(&index, &searcher, &config.target)?;
    let Some(&target) = found.first() else {
        diag::note(format!("no article has the id or path `{}`", config.target));
        return Ok(Outcome::NoMatch);
    };
    if found.len() > 1 {
        diag::note(format!(
            "`{}` holds {} articles; showing coverage like the first (news-search show lists them)",
            config.target,
            found.len()
        ));
    }
    let results = similar::similar(
        &index,
        &searcher,
        target,
        config.limit,
        config.snippet_chars,
        1,
    )?;
    let out: Box<dyn Write> = Box::new(BufWriter::new(std::io::stdout().lock()));
    let mut printer = output::printer(config.output, out, config.color, config.interactive);
    for hit in &results.hits {
        printer.hit(hit)?;
    }
    printer.finish(&results)?;
    Ok(if results.hits.is_empty() {
        Outcome::NoMatch
    } else {
        Outcome::Matched
    })
}
