//! `news-search export`: parse files exactly as `index` would and print the articles
//! as JSON Lines, to inspect what the parsers make of a folder or to feed other tools;
//! or, with `--stored`, print every article a local index holds.

use std::io::{BufWriter, Write};

use crate::Outcome;
use crate::config::ExportConfig;
use crate::error::{Error, Result};
use crate::index::NewsIndex;
use crate::ingest;
use crate::output::progress::counted;
use crate::output::{diag, json::write_article};

/// Runs `export`.
pub fn run(config: &ExportConfig) -> Result<Outcome> {
    if let Some(dir) = &config.stored {
        return stored(dir);
    }
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
    if walk.unsupported > 0 {
        // As `index` says it: a file named here and passed over is not silent.
        diag::note(format!(
            "{} of types it does not read (see the formats in the README)",
            counted(walk.unsupported, "file")
        ));
    }
    Ok(if count > 0 {
        Outcome::Done
    } else {
        Outcome::NoMatch
    })
}

/// Every live article of the index at `dir`, in index order.
fn stored(dir: &std::path::Path) -> Result<Outcome> {
    let index = NewsIndex::open(dir)?;
    let fail = |e: tantivy::TantivyError| Error::index(dir, e);
    let searcher = index.index.reader().map_err(fail)?.searcher();
    crate::index::check::counts_agree(&index, &searcher)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut count = 0usize;
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        for doc in segment.doc_ids_alive() {
            let address = tantivy::DocAddress::new(ordinal as u32, doc);
            let stored: tantivy::TantivyDocument = searcher.doc(address).map_err(fail)?;
            write_article(&mut out, &index.fields.article(&stored))?;
            count += 1;
        }
    }
    out.flush()?;
    Ok(if count > 0 {
        Outcome::Done
    } else {
        Outcome::NoMatch
    })
}
