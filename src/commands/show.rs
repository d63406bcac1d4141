//! `news-search show <ID|PATH>`: print whole articles, found by id or by the file
//! they came from (every article of that file, in index order).

use std::io::{BufWriter, Write};

use tantivy::schema::TantivyDocument;

use crate::Outcome;
use crate::config::ShowConfig;
use crate::error::{Error, Result};
use crate::index::{NewsIndex, lookup};
use crate::output::{json::write_article, print_article};

/// Runs `show`.
pub fn run(config: &ShowConfig) -> Result<Outcome> {
    let index = NewsIndex::open(&config.index_dir)?;
    let fail = |e: tantivy::TantivyError| Error::index(&index.dir, e);
    let searcher = index.index.reader().map_err(fail)?.searcher();
    let fields = index.fields;
    let found = lookup::find(&index, &searcher, &config.target)?;
    if found.is_empty() {
        crate::output::diag::note(format!("no article has the id or path `{}`", config.target));
        return Ok(Outcome::NoMatch);
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (n, address) in found.into_iter().enumerate() {
        let doc: TantivyDocument = searcher.doc(address).map_err(fail)?;
        let article = fields.article(&doc);
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
