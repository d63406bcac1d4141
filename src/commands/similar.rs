//! `news-search similar <ID|PATH>`: related coverage of one article, through the
//! query printers.

use std::io::{BufWriter, Write};

use crate::Outcome;
use crate::config::SimilarConfig;
use crate::error::Result;
use crate::output::{self, diag};
use crate::store::{Named, Store};

/// Runs `similar`.
pub fn run(config: &SimilarConfig) -> Result<Outcome> {
    let store = Store::open(&config.location)?;
    let Some((results, named)) = store.similar(
        &config.target,
        Named::IdOrPath,
        config.synonyms.as_deref(),
        config.limit,
        config.snippet_chars,
    )?
    else {
        diag::note(format!("no article has the id or path `{}`", config.target));
        return Ok(Outcome::NoMatch);
    };
    if named > 1 {
        diag::note(format!(
            "`{}` holds {named} articles; showing coverage like the first (news-search show lists them)",
            config.target
        ));
    }
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
