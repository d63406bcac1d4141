//! `news-search index`: walk the inputs, parse files in parallel batches, write
//! their articles (a file's articles replace its earlier ones), commit periodically.

use std::io::Read;
use std::time::Instant;

use rayon::prelude::*;

use crate::Outcome;
use crate::config::{IndexConfig, Input};
use crate::error::{Error, Result};
use crate::index::NewsIndex;
use crate::index::writer::ArticleWriter;
use crate::ingest::{self, Parsed, SourceFile};
use crate::output::progress::{IndexProgress, Tally};

/// Files are parsed in batches of about this many bytes between commit checks.
const BATCH_BYTES: u64 = 32 * 1024 * 1024;

/// Runs `index`.
pub fn run(config: &IndexConfig) -> Result<Outcome> {
    let started = Instant::now();
    let index = NewsIndex::open_or_create(&config.index_dir)?;
    let mut writer = ArticleWriter::new(&index, config.writer)?;

    let paths: Vec<_> = config
        .inputs
        .iter()
        .filter_map(|input| match input {
            Input::Path(path) => Some(path.clone()),
            Input::Stdin => None,
        })
        .collect();
    let walk = ingest::walk(&paths, Some(&config.index_dir));
    let total_bytes = walk.files.iter().map(|f| f.size).sum();
    let progress = IndexProgress::new(config.progress, config.quiet, total_bytes);
    let mut tally = Tally {
        unsupported: walk.unsupported,
        ..Tally::default()
    };
    for warning in &walk.warnings {
        *tally.problems.entry(warning.problem).or_default() += 1;
        progress.warn(warning);
    }

    for batch in batches(&walk.files) {
        let parsed: Vec<Parsed> = batch
            .par_iter()
            .map(|file| {
                let parsed = ingest::parse_file(file, config.max_file_bytes);
                progress.advance(file.size);
                parsed
            })
            .collect();
        for (file, parsed) in batch.iter().zip(parsed) {
            tally.files += 1;
            tally.bytes += file.size;
            record(&mut tally, &progress, &parsed);
            if !parsed.articles.is_empty() {
                writer.replace_file(&file.key, parsed.articles)?;
            }
            progress.counts(&tally);
        }
        writer.commit_if_due()?;
    }

    if config.inputs.contains(&Input::Stdin) {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("<stdin>", e))?;
        tally.bytes += text.len() as u64;
        tally.stdin = true;
        let parsed = ingest::parse_stdin_lines(&text);
        record(&mut tally, &progress, &parsed);
        for article in parsed.articles {
            writer.upsert(article)?;
        }
    }

    progress.counts(&tally);
    progress.phase("committing");
    writer.finish()?;
    progress.finish(&tally, started.elapsed());
    if tally.articles == 0 {
        return Err(Error::NothingIndexed(
            "no articles were found in the given paths (supported: .txt .md .json .jsonl .ndjson, or - for JSON Lines on stdin)"
                .into(),
        ));
    }
    Ok(Outcome::Done)
}

/// Adds a parsed file's counts and prints its warnings.
fn record(tally: &mut Tally, progress: &IndexProgress, parsed: &Parsed) {
    tally.articles += parsed.articles.len();
    for warning in &parsed.warnings {
        *tally.problems.entry(warning.problem).or_default() += 1;
        progress.warn(warning);
    }
}

/// Splits the files into consecutive runs of about [`BATCH_BYTES`].
fn batches(files: &[SourceFile]) -> Vec<&[SourceFile]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, file) in files.iter().enumerate() {
        bytes += file.size.max(1);
        if bytes >= BATCH_BYTES {
            out.push(&files[start..=i]);
            start = i + 1;
            bytes = 0;
        }
    }
    if start < files.len() {
        out.push(&files[start..]);
    }
    out
}
