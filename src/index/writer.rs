//! Writing articles: one writer per index (an OS lock), articles of a file replaced
//! as a unit, periodic commits so an interrupted run keeps what it committed.

use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tantivy::schema::TantivyDocument;
use tantivy::{IndexWriter, TantivyError, Term};

use super::analysis::{self, Analysis};
use super::queued::{PATIENCE, QUEUED_BYTES, Queue, Queued};
use super::resume::{Placer, ResumePoints};
use super::{Fields, NewsIndex, fingerprint, language};
use crate::article::Article;
use crate::error::{Error, Result};

/// Tantivy needs at least this much writer memory per indexing thread.
const MIN_BYTES_PER_THREAD: usize = 15_000_000;

/// Writer settings.
#[derive(Debug, Clone, Copy)]
pub struct WriterOptions {
    /// Total memory budget for the indexing threads, in bytes.
    pub memory_bytes: usize,
    /// Number of indexing threads.
    pub threads: usize,
    /// Commit at least this often during a long run.
    pub commit_every: Duration,
}

/// The single writer of an index.
pub struct ArticleWriter {
    writer: IndexWriter<Queued>,
    /// What is on its way to the indexing threads.
    queue: Arc<Queue>,
    fields: Fields,
    dir: std::path::PathBuf,
    options: WriterOptions,
    last_commit: Instant,
    payload: Option<String>,
}

impl ArticleWriter {
    /// Takes the writer lock (failing at once if another process holds it) and clears
    /// temporary files an earlier killed run left behind.
    pub fn new(index: &NewsIndex, options: WriterOptions) -> Result<ArticleWriter> {
        let threads = options
            .threads
            .clamp(1, (options.memory_bytes / MIN_BYTES_PER_THREAD).max(1));
        let memory = options.memory_bytes.max(MIN_BYTES_PER_THREAD * threads);
        let writer = index
            .index
            .writer_with_num_threads::<Queued>(threads, memory)
            .map_err(|e| match e {
                TantivyError::LockFailure(lock, _) => super::writer_lock_error(&index.dir, lock),
                other => Error::index(&index.dir, other),
            })?;
        writer.set_merge_policy(Box::new(super::merges::BalancedMerges));
        remove_stale_temp_files(&index.dir)?;
        // Segment files of a run killed before its commit are in no meta.json: drop them.
        writer
            .garbage_collect_files()
            .wait()
            .map_err(|e| Error::index(&index.dir, e))?;
        Ok(ArticleWriter {
            writer,
            queue: Queue::new(QUEUED_BYTES, PATIENCE),
            fields: index.fields,
            dir: index.dir.clone(),
            options,
            last_commit: Instant::now(),
            payload: None,
        })
    }

    /// Removes what a failed run wrote and did not commit (segment and temporary
    /// files), taking the writer lock for the moment it takes.
    pub fn clean(index: &NewsIndex) -> Result<()> {
        let options = WriterOptions {
            memory_bytes: MIN_BYTES_PER_THREAD,
            threads: 1,
            commit_every: Duration::MAX,
        };
        let writer = ArticleWriter::new(index, options)?;
        // On a full disk Tantivy may not have recorded the files it began, so its
        // own clean-up misses them: remove every segment file meta.json does not name.
        let metas = index
            .index
            .load_metas()
            .map_err(|e| Error::index(&index.dir, e))?;
        let living: std::collections::HashSet<String> = metas
            .segments
            .iter()
            .map(|s| s.id().uuid_string())
            .collect();
        for path in super::directory::segment_files(&index.dir) {
            let id = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.split('.').next())
                .unwrap_or_default();
            if id.len() == 32 && !living.contains(id) {
                fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            }
        }
        drop(writer);
        Ok(())
    }

    /// Removes every article indexed from the file with canonical path `key`.
    pub fn delete_file(&self, key: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.file_key, key));
    }

    /// Adds an article read from a file (`origin`: its canonical path, stamp and the
    /// article's place in it); `hash` is its [`text_hash`].
    pub fn add(
        &self,
        article: Article,
        hash: u64,
        origin: Option<(&str, u64, usize)>,
    ) -> Result<()> {
        let doc = to_document(&self.fields, article, hash, origin);
        let bytes = super::queued::size_of(&doc);
        self.writer
            .add_document(self.queue.admit(doc, bytes))
            .map_err(|e| Error::index(&self.dir, e))?;
        Ok(())
    }

    /// Adds an article that has no file, replacing any earlier one with the same id.
    pub fn upsert(&self, article: Article, hash: u64) -> Result<()> {
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, &article.id));
        self.add(article, hash, None)
    }

    /// Commits when the last commit is older than the configured interval.
    pub fn commit_if_due(&mut self) -> Result<bool> {
        if self.last_commit.elapsed() < self.options.commit_every {
            return Ok(false);
        }
        self.commit()?;
        Ok(true)
    }

    /// Sets the note kept in `meta.json` with every later commit (`None`: none).
    pub fn set_payload(&mut self, payload: Option<String>) {
        self.payload = payload;
    }

    /// Makes everything added so far durable.
    pub fn commit(&mut self) -> Result<()> {
        let mut prepared = self
            .writer
            .prepare_commit()
            .map_err(|e| Error::index(&self.dir, e))?;
        if let Some(payload) = &self.payload {
            prepared.set_payload(payload);
        }
        prepared.commit().map_err(|e| Error::index(&self.dir, e))?;
        self.last_commit = Instant::now();
        Ok(())
    }

    /// Commits, waits for background merges, and releases the lock.
    pub fn finish(mut self) -> Result<()> {
        self.commit()?;
        let dir = self.dir.clone();
        self.writer
            .wait_merging_threads()
            .map_err(|e| Error::index(&dir, e))
    }
}

/// The Tantivy document for an article.
fn to_document(
    fields: &Fields,
    article: Article,
    hash: u64,
    origin: Option<(&str, u64, usize)>,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &article.id);
    if let Some((key, stamp, record)) = origin {
        doc.add_text(fields.file_key, key);
        doc.add_u64(fields.file_stamp, stamp);
        doc.add_u64(fields.record, record as u64);
    }
    doc.add_u64(fields.text_hash, hash);
    let lang = language::of(&article);
    add_texts(&mut doc, fields, (&article, &lang), true);
    if let Some(date) = article.date {
        doc.add_i64(fields.date, date.timestamp());
    }
    if let Some(source) = &article.source {
        doc.add_text(fields.source, source);
    }
    if let Some(label) = article.source_label() {
        doc.add_text(fields.source_exact, &label);
    }
    if let Some(place) = &article.place {
        doc.add_text(fields.place, place);
    }
    if let Some(author) = &article.author {
        doc.add_text(fields.author, author);
    }
    if let Some(url) = &article.url {
        doc.add_text(fields.url, url);
    }
    if let Some(path) = &article.path {
        doc.add_text(fields.path, path);
    }
    doc.add_text(fields.lang, &lang);
    if let Some(quality) = article.ocr_quality {
        doc.add_f64(fields.ocr_quality, f64::from(quality));
    }
    if let Some(scan) = article.scan.as_ref().filter(|s| !s.is_empty()) {
        doc.add_bytes(fields.scan, &scan.encode());
    }
    // The body's words are read once for its fingerprint and its resume points.
    let (bands, points) = if article.body.trim().is_empty() {
        (fingerprint::bands(&article.title), ResumePoints::default())
    } else {
        // The body as it is read back, whatever its tag: as English tags it (none).
        let body = analysis::tag(Analysis::ENGLISH, &article.body);
        let mut placer = Placer::new(&body);
        let bands = fingerprint::bands_and(&body, |stream| placer.after_word(stream));
        (bands, placer.points())
    };
    if let Some(field) = fields.body_resume
        && !points.is_empty()
    {
        doc.add_bytes(field, &points.encode());
    }
    for &band in &bands {
        doc.add_u64(fields.dup_bands, band);
    }
    if let Some(sketch) = fingerprint::sketch(&bands) {
        doc.add_u64(fields.dup_sketch, sketch);
    }
    doc
}

/// The document of an article's headline and body as the index analyses them, in
/// the language `lang` (the stop-word fields too with `stops`): what a query scores
/// and phrases match. Scores candidates read from elsewhere as if indexed here.
pub fn text_document(
    fields: &Fields,
    article: &Article,
    lang: &str,
    stops: bool,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    add_texts(&mut doc, fields, (article, lang), stops);
    doc
}

/// Adds the headline and body of `article`, in language `lang`, to `doc` (and
/// to the stop-word fields with `stops`).
fn add_texts(
    doc: &mut TantivyDocument,
    fields: &Fields,
    (article, lang): (&Article, &str),
    stops: bool,
) {
    // Each text with its language in front, for the fields' analyzers.
    let analysis = Analysis::of(lang);
    let title = analysis::tag(analysis, &article.title);
    let body = analysis::tag(analysis, &article.body);
    doc.add_text(fields.title, &title);
    doc.add_text(fields.body, &body);
    if stops {
        doc.add_text(fields.title_stops, &title);
        doc.add_text(fields.body_stops, &body);
    }
}

/// The fingerprint under which exact duplicates are recognised: headline and body
/// with whitespace collapsed and case folded, and the publication time (a wire
/// service that sends the same text twice at different times sent two messages).
/// Streamed into the hasher: this runs once per article on the indexing hot path.
pub fn text_hash(article: &Article) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(
        &article
            .date
            .map_or(i64::MIN, |d| d.timestamp())
            .to_le_bytes(),
    );
    // Bytes, not chars: whitespace and case are folded for ASCII, which is what
    // differs between two copies of one story; other bytes are hashed as they are.
    // A run of whitespace before a word becomes one space; after the last, none.
    // Without branches on the bytes (a word ends every six bytes or so, and each
    // mispredicted end cost more than the rest): every byte writes a space and
    // itself, and keeps what it should.
    const BLOCK: usize = 8 * 1024;
    let mut buf = vec![0u8; 3 * BLOCK + 1];
    let mut n = 0;
    for text in [&article.title, &article.body] {
        let mut after_space = false;
        for block in text.as_bytes().chunks(BLOCK) {
            // Two bytes written at most per byte read; `n` is at most BLOCK here.
            let out = &mut buf[n..n + 2 * block.len()];
            let mut k = 0;
            for &byte in block {
                let space = byte <= b' ';
                out[k] = b' ';
                k += usize::from(after_space & !space);
                out[k] = byte | (u8::from(byte.is_ascii_uppercase()) << 5);
                k += usize::from(!space);
                after_space = space;
            }
            n += k;
            if n >= BLOCK {
                hasher.update(&buf[..n]);
                n = 0;
            }
        }
        buf[n] = b'\n';
        n += 1;
    }
    hasher.update(&buf[..n]);
    hasher.digest()
}

/// Removes `.tmp*` files that a writer killed mid-write left in the index folder.
/// Only called while holding the writer lock, so no live writer owns them.
fn remove_stale_temp_files(dir: &Path) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(".tmp") {
            let path = entry.path();
            fs::remove_file(&path).map_err(|e| Error::io(path, e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    /// The definition, a byte at a time: indexes hold these hashes, so the fast
    /// version must give the same ones.
    fn reference(article: &Article) -> u64 {
        let mut bytes = article
            .date
            .map_or(i64::MIN, |d| d.timestamp())
            .to_le_bytes()
            .to_vec();
        for text in [&article.title, &article.body] {
            let mut space = false;
            for &byte in text.as_bytes() {
                if byte <= b' ' {
                    space = true;
                    continue;
                }
                if space {
                    bytes.push(b' ');
                    space = false;
                }
                bytes.push(byte.to_ascii_lowercase());
            }
            bytes.push(b'\n');
        }
        xxhash_rust::xxh3::xxh3_64(&bytes)
    }

    fn article(title: &str, body: &str) -> Article {
        Article {
            title: title.to_string(),
            body: body.to_string(),
            date: Utc.with_ymd_and_hms(1916, 3, 9, 0, 0, 0).single(),
            ..Article::default()
        }
    }

    #[test]
    fn text_hash_is_the_byte_wise_definition() {
        let long = "Villa's raiders crossed the border\tat Columbus.\r\n ".repeat(700);
        let cases = [
            ("", ""),
            (" ", "\n\n"),
            ("Raid", "  leading and trailing  "),
            ("Ünïcödé  ΑΘΗΝΑ", "Москва\u{a0}non-breaking\u{1}control"),
            ("Long", long.as_str()),
            ("\tTabbed\ttitle\t", "x"),
        ];
        for (title, body) in cases {
            let article = article(title, body);
            assert_eq!(text_hash(&article), reference(&article), "{title:?}");
        }
    }

    #[test]
    fn text_hash_folds_case_and_whitespace_but_not_the_date() {
        let one = article("Raid on Columbus", "Villa's men  crossed\nthe border.");
        let two = article("RAID ON  COLUMBUS", "villa's men crossed the\tborder.");
        assert_eq!(text_hash(&one), text_hash(&two));
        let moved = Article {
            date: Utc.with_ymd_and_hms(1916, 3, 10, 0, 0, 0).single(),
            ..two.clone()
        };
        assert_ne!(text_hash(&one), text_hash(&moved));
        let other = article("Raid on Columbus", "Villa's men crossed the river.");
        assert_ne!(text_hash(&one), text_hash(&other));
    }

    #[test]
    fn text_hash_keeps_the_value_indexes_hold() {
        // Computed by the byte-wise version of earlier releases.
        let article = article("Raid on Columbus", "Villa's men crossed the border.");
        assert_eq!(text_hash(&article), 12_690_601_244_414_777_846);
    }
}
