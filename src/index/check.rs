//! Verifying an index and dropping what is damaged, as Lucene's CheckIndex and
//! SQLite's `integrity_check` do: every file of every segment is read in full
//! against the checksum in its footer, each segment is opened and its parts are
//! compared with the document count `meta.json` gives it. Repair removes damaged
//! segments from `meta.json` and leaves a note in it (the commit payload) naming the
//! files whose articles went with them, so the next `index` run reads them again.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use tantivy::directory::INDEX_WRITER_LOCK;
use tantivy::index::{SegmentComponent, SegmentMeta};
use tantivy::{Directory, HasLen, Index, SegmentReader};

use super::NewsIndex;
use super::directory::IndexDirectory;
use super::state::Note;
use crate::error::{Error, Result};

/// The part of `check` run before every search, `show`, `stats` and `export`:
/// each segment's columns hold as many documents as `meta.json` says, so a
/// `meta.json` that is off is an error rather than wrong counts, and its document
/// store is sound (verified once, see `verified.rs`).
pub fn counts_agree(index: &NewsIndex, searcher: &tantivy::Searcher) -> Result<()> {
    columns_agree(index, searcher)?;
    super::verified::stores_sound(index, searcher)
}

/// Each segment's columns hold as many documents as `meta.json` says.
fn columns_agree(index: &NewsIndex, searcher: &tantivy::Searcher) -> Result<()> {
    for segment in searcher.segment_readers() {
        let rows = segment
            .fast_fields()
            .i64("date")
            .map(|c| c.num_docs())
            .map_err(|e| Error::Damaged {
                dir: index.dir.clone(),
                detail: format!("a segment's columns cannot be read ({e})"),
            })?;
        if rows != segment.max_doc() {
            return Err(Error::Damaged {
                dir: index.dir.clone(),
                detail: format!(
                    "meta.json says a segment holds {} documents, its columns hold {rows}",
                    segment.max_doc()
                ),
            });
        }
    }
    Ok(())
}

/// What `check` found in one segment.
#[derive(Debug, Clone)]
pub struct SegmentCheck {
    /// Tantivy's segment id.
    pub id: String,
    /// Documents in the segment, deleted ones included.
    pub max_doc: u32,
    /// Documents not deleted.
    pub alive: u32,
    /// What is wrong with it (empty: sound).
    pub problems: Vec<String>,
}

/// What `check` found in an index.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// The index folder.
    pub dir: PathBuf,
    /// Every segment `meta.json` lists.
    pub segments: Vec<SegmentCheck>,
    /// Bytes read and verified.
    pub bytes: u64,
}

impl CheckReport {
    /// The damaged segments.
    pub fn damaged(&self) -> impl Iterator<Item = &SegmentCheck> {
        self.segments.iter().filter(|s| !s.problems.is_empty())
    }

    /// True when nothing is damaged.
    pub fn is_sound(&self) -> bool {
        self.damaged().next().is_none()
    }
}

/// What `check --repair` did.
#[derive(Debug, Clone, Default)]
pub struct Repair {
    /// Segments dropped.
    pub segments: usize,
    /// Articles that went with them.
    pub articles: u64,
    /// Files whose articles are to be read again (`None`: could not be told, so
    /// the next run reads every file again).
    pub files: Option<Vec<String>>,
}

/// Verifies the index at `dir`. A `meta.json` that cannot be read is an error;
/// damaged segments are reported, not errors.
pub fn check(dir: &Path) -> Result<CheckReport> {
    let index = NewsIndex::open(dir)?;
    let metas = index
        .index
        .searchable_segment_metas()
        .map_err(|e| Error::index(dir, format!("meta.json cannot be read: {e}")))?;
    let mut report = CheckReport {
        dir: dir.to_path_buf(),
        segments: Vec::new(),
        bytes: 0,
    };
    for meta in metas {
        let (check, bytes) = check_segment(&index.index, &meta);
        report.bytes += bytes;
        report.segments.push(check);
    }
    Ok(report)
}

/// The files of a segment, by the component they hold.
fn segment_files(meta: &SegmentMeta) -> Vec<PathBuf> {
    let mut components = vec![
        SegmentComponent::Postings,
        SegmentComponent::Positions,
        SegmentComponent::Terms,
        SegmentComponent::Store,
        SegmentComponent::FastFields,
        SegmentComponent::FieldNorms,
    ];
    if meta.delete_opstamp().is_some() {
        components.push(SegmentComponent::Delete);
    }
    components
        .into_iter()
        .map(|c| meta.relative_path(c))
        .collect()
}

fn check_segment(index: &Index, meta: &SegmentMeta) -> (SegmentCheck, u64) {
    let mut check = SegmentCheck {
        id: meta.id().uuid_string(),
        max_doc: meta.max_doc(),
        alive: meta.num_docs(),
        problems: Vec::new(),
    };
    let directory = index.directory();
    let mut bytes = 0;
    for file in segment_files(meta) {
        let name = file.display();
        match directory.open_read(&file) {
            Ok(slice) => bytes += slice.len() as u64,
            Err(e) => {
                check.problems.push(format!("{name}: cannot be read ({e})"));
                continue;
            }
        }
        match directory.validate_checksum(&file) {
            Ok(true) => {}
            Ok(false) => check
                .problems
                .push(format!("{name}: checksum mismatch (damaged bytes)")),
            Err(e) => check
                .problems
                .push(format!("{name}: cannot be verified ({e})")),
        }
    }
    if check.problems.is_empty() {
        let segment = index.segment(meta.clone());
        match catch_unwind(AssertUnwindSafe(|| consistency(&segment, meta.max_doc()))) {
            Ok(Ok(())) => {}
            Ok(Err(problem)) => check.problems.push(problem),
            Err(panic) => check.problems.push(format!(
                "cannot be opened ({})",
                crate::error::panic_message(panic.as_ref())
            )),
        }
    }
    (check, bytes)
}

/// Opens a segment whose files are intact and compares its parts with `meta.json`.
fn consistency(segment: &tantivy::index::Segment, max_doc: u32) -> Result<(), String> {
    let reader = SegmentReader::open(segment).map_err(|e| format!("cannot be opened ({e})"))?;
    let fast = reader.fast_fields();
    for column in ["date", "text_hash", "file_stamp"] {
        let rows = match column {
            "date" => fast.i64(column).map(|c| c.num_docs()),
            _ => fast.u64(column).map(|c| c.num_docs()),
        }
        .map_err(|e| format!("fast field `{column}` cannot be read ({e})"))?;
        if rows != max_doc {
            return Err(format!(
                "meta.json says {max_doc} documents, the fast fields hold {rows}"
            ));
        }
    }
    let store = reader
        .get_store_reader(0)
        .map_err(|e| format!("document store cannot be read ({e})"))?;
    if max_doc > 0 {
        store
            .get_document_bytes(max_doc - 1)
            .map_err(|e| format!("document {} cannot be read ({e})", max_doc - 1))?;
    }
    if store.get_document_bytes(max_doc).is_ok() {
        return Err(format!(
            "meta.json says {max_doc} documents, the store holds more"
        ));
    }
    Ok(())
}

/// Drops the damaged segments of `report` from the index, under the writer lock.
pub fn repair(report: &CheckReport) -> Result<Repair> {
    let dir = &report.dir;
    let index = NewsIndex::open(dir)?;
    let directory = IndexDirectory::open(dir).map_err(|e| Error::index(dir, e))?;
    let _lock = directory
        .acquire_lock(&INDEX_WRITER_LOCK)
        .map_err(|e| super::writer_lock_error(dir, e))?;
    let damaged: BTreeSet<&str> = report.damaged().map(|s| s.id.as_str()).collect();
    let mut metas = index.index.load_metas().map_err(|e| Error::index(dir, e))?;
    let mut repair = Repair {
        files: Some(Vec::new()),
        ..Repair::default()
    };
    let mut dropped = Vec::new();
    metas.segments.retain(|meta| {
        let keep = !damaged.contains(meta.id().uuid_string().as_str());
        if !keep {
            dropped.push(meta.clone());
        }
        keep
    });
    let mut files = BTreeSet::new();
    for meta in &dropped {
        repair.segments += 1;
        repair.articles += u64::from(meta.num_docs());
        let segment = index.index.segment(meta.clone());
        match catch_unwind(AssertUnwindSafe(|| file_keys(&segment))) {
            Ok(Some(keys)) => files.extend(keys),
            _ => repair.files = None,
        }
    }
    if let Some(list) = &mut repair.files {
        list.extend(files);
    }
    let mut note = Note::of(&index);
    match &repair.files {
        Some(keys) => note.reread.extend(keys.iter().cloned()),
        None => note.reread_all = true,
    }
    note.reread.sort();
    note.reread.dedup();
    metas.payload = note.payload();
    let mut json = serde_json::to_vec_pretty(&metas).map_err(|e| Error::index(dir, e))?;
    json.push(b'\n');
    directory
        .atomic_write(Path::new("meta.json"), &json)
        .map_err(|e| Error::io(dir.join("meta.json"), e))?;
    for meta in &dropped {
        for file in segment_files(meta) {
            // Already unreferenced; a file that will not go is only wasted space.
            let _ = std::fs::remove_file(dir.join(file));
        }
    }
    Ok(repair)
}

/// The source-file keys of a segment's documents, when its key column still reads.
fn file_keys(segment: &tantivy::index::Segment) -> Option<BTreeSet<String>> {
    let reader = SegmentReader::open(segment).ok()?;
    let keys = reader.fast_fields().str("file_key").ok()??;
    let mut out = BTreeSet::new();
    let mut terms = keys.dictionary().stream().ok()?;
    while terms.advance() {
        out.insert(String::from_utf8(terms.key().to_vec()).ok()?);
    }
    Some(out)
}
