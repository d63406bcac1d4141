//! `news-search show <ID|PATH>`: print whole articles, found by id or by the file
//! they came from (every article of that file, in index order).

use std::io::{BufWriter, Write};

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, TantivyDocument};
use tantivy::{DocAddress, Term};

use crate::Outcome;
use crate::config::ShowConfig;
use crate::error::{Error, Result};
use crate::index::NewsIndex;
use crate::ingest::key_for;
use crate::output::{json::write_article, print_article};

/// Most articles printed for one file.
const MAX_ARTICLES: usize = 10_000;

/// Runs `show`.
pub fn run(config: &ShowConfig) -> Result<Outcome> {
    let index = NewsIndex::open(&config.index_dir)?;
    let fail = |e: tantivy::TantivyError| Error::index(&index.dir, e);
    let searcher = index.index.reader().map_err(fail)?.searcher();
    let fields = index.fields;
    let find = |term: Term| -> Result<Vec<DocAddress>> {
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let mut hits = searcher
            .search(&query, &TopDocs::with_limit(MAX_ARTICLES).order_by_score())
            .map_err(fail)?;
        hits.sort_by_key(|(_, address)| *address);
        Ok(hits.into_iter().map(|(_, address)| address).collect())
    };
    let mut found = find(Term::from_field_text(fields.id, &config.target))?;
    if found.is_empty() {
        let key = key_for(std::path::Path::new(&config.target));
        found = find(Term::from_field_text(fields.file_key, &key))?;
    }
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
