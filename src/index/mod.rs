//! The Tantivy index on disk: opening or creating it with our schema and analyzers,
//! writing articles into it, and reading its statistics.

pub mod analysis;
pub mod analyzer;
pub mod check;
pub mod directory;
pub mod disk;
pub mod fingerprint;
pub mod language;
pub mod lookup;
mod memo;
mod merges;
mod queued;
pub mod resume;
mod schema;
pub mod spelling;
pub mod state;
pub mod stats;
pub mod stops;
pub mod tokenizer;
pub mod transliterate;
pub mod verified;
mod word_map;
pub mod writer;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use tantivy::directory::INDEX_WRITER_LOCK;
use tantivy::directory::error::LockError;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Directory, Index, IndexSettings};

use directory::{IndexDirectory, is_read_only, segment_files};

use crate::error::{Error, Result};

pub use schema::Fields;

/// Stored articles are compressed with zstd in 16 KB blocks: news text shrinks to
/// about a third, which keeps the whole index smaller than the raw files, and a
/// hit costs one block decompression. 64 KB blocks made indexes 2–4% smaller, but
/// a shown hit then cost four times the pages to map and decompress: on Chronicling
/// America pages a query took 7.2 ms against 6.5 (3.0 against 2.7 in `serve`).
fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(3),
        }),
        docstore_blocksize: 16 * 1024,
        ..IndexSettings::default()
    }
}

/// An open news index: the Tantivy index, its field handles and its folder.
pub struct NewsIndex {
    /// The Tantivy index, analyzers registered.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// Where it lives.
    pub dir: PathBuf,
}

impl NewsIndex {
    /// Opens an existing index for reading.
    pub fn open(dir: &Path) -> Result<NewsIndex> {
        if !dir.join("meta.json").is_file() {
            return Err(missing_meta(dir));
        }
        let directory = IndexDirectory::open(dir).map_err(|e| Error::index(dir, e))?;
        let mut index = Index::open(directory).map_err(|e| match e {
            tantivy::TantivyError::DataCorruption(_) => Error::index(
                dir,
                format!("damaged ({e}); delete the folder and run `news-search index` again"),
            ),
            other => Error::index(dir, other),
        })?;
        search_in_parallel(&mut index);
        let fields = Fields::resolve(&index.schema())
            .map_err(|e| {
            Error::index(
                dir,
                format!("not an index of this news-search version ({e}); delete the folder and index again"),
            )
        })?;
        analyzer::register(&index);
        Ok(NewsIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
        })
    }

    /// Opens the index, creating the folder and an empty index when there is none.
    pub fn open_or_create(dir: &Path) -> Result<NewsIndex> {
        if dir.join("meta.json").is_file() {
            return NewsIndex::open(dir);
        }
        if !segment_files(dir).is_empty() {
            return Err(missing_meta(dir));
        }
        if let Some(problem) = not_for_an_index(dir) {
            return Err(Error::index(dir, problem));
        }
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let directory = IndexDirectory::open(dir).map_err(|e| Error::index(dir, e))?;
        // Created under the writer lock, so that of two indexers started at once on
        // a new folder the second hears "another process is writing", and never
        // finds its files cleaned away by the first.
        let _lock = directory
            .acquire_lock(&INDEX_WRITER_LOCK)
            .map_err(|e| writer_lock_error(dir, e))?;
        if dir.join("meta.json").is_file() {
            return NewsIndex::open(dir);
        }
        let (schema, fields) = Fields::build();
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .open_or_create(directory)
            .map_err(|e| Error::index(dir, e))?;
        analyzer::register(&index);
        Ok(NewsIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
        })
    }

    /// An empty index in memory, analyzers registered: for articles read from
    /// elsewhere, to be scored as this index would score them.
    pub fn in_memory() -> Result<NewsIndex> {
        let (schema, fields) = Fields::build();
        let dir = PathBuf::from("(memory)");
        let index = Index::builder()
            .schema(schema)
            // Read once, then dropped: stored text is not compressed.
            .settings(IndexSettings {
                docstore_compression: Compressor::None,
                ..settings()
            })
            .create_in_ram()
            .map_err(|e| Error::index(&dir, e))?;
        analyzer::register(&index);
        Ok(NewsIndex { index, fields, dir })
    }
}

/// Searches the segments of a large index on every core: its matches are scored,
/// counted and ranked in parallel, segment by segment. A smaller index (or one
/// segment, or one core) is searched on the calling thread, where handing the
/// work to threads would cost more than it saves.
fn search_in_parallel(index: &mut Index) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let Ok(segments) = index.searchable_segment_metas() else {
        return;
    };
    let articles: u64 = segments.iter().map(|s| u64::from(s.num_docs())).sum();
    if cores > 1 && segments.len() > 1 && articles >= PARALLEL_ARTICLES {
        // Without the threads, searches run on one core as before.
        let _ = index.set_multithread_executor(cores.min(segments.len()));
    }
}

/// Articles from which an index is searched on every core.
const PARALLEL_ARTICLES: u64 = 500_000;

/// No `meta.json`: no index, or (when segment files are there) one whose list of
/// segments was lost, which must not be overwritten by a new empty index.
fn missing_meta(dir: &Path) -> Error {
    if segment_files(dir).is_empty() {
        Error::NoIndex(dir.to_path_buf())
    } else {
        Error::index(
            dir,
            "meta.json is missing but segment files are here: the index is damaged; \
             run `news-search check` (nothing was changed)",
        )
    }
}

/// Why a new index cannot be made at `dir`: a file is there, or a folder that
/// holds other files (`--index ~/Documents` must not scatter an index among
/// them, nor a later cleanup take them away). Hidden files (`.gitkeep`) and the
/// files an index keeps beside its segments are allowed.
fn not_for_an_index(dir: &Path) -> Option<String> {
    let metadata = fs::metadata(dir).ok()?;
    if !metadata.is_dir() {
        return Some("a file, not a folder: give --index a new or empty folder".into());
    }
    // `meta.json` too: another indexer started at the same moment may have just
    // made the index (the writer lock, taken next, then opens it).
    let ours = [
        "meta.json",
        verified::FILE,
        crate::watch::FILE,
        crate::watch::LOCK,
    ];
    let foreign = fs::read_dir(dir)
        .ok()?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') && !ours.contains(&name.as_str()))
        .min()?;
    Some(format!(
        "not an index, and the folder holds other files (`{foreign}`): give --index a new or empty folder"
    ))
}

/// The error for a writer lock that could not be taken.
pub fn writer_lock_error(dir: &Path, error: LockError) -> Error {
    match error {
        LockError::LockBusy => Error::Locked(dir.to_path_buf()),
        LockError::IoError(io) if is_read_only(&io) => Error::ReadOnly {
            dir: dir.to_path_buf(),
            detail: io.to_string(),
        },
        LockError::IoError(io) => Error::io(dir, io::Error::new(io.kind(), io.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::not_for_an_index;

    #[test]
    fn a_folder_is_refused_for_its_own_files_only() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(not_for_an_index(dir.path()), None, "empty");
        // An index another indexer has just made, not yet opened here.
        std::fs::write(dir.path().join("meta.json"), "{}").unwrap();
        std::fs::write(dir.path().join(".gitkeep"), "").unwrap();
        assert_eq!(not_for_an_index(dir.path()), None);
        std::fs::write(dir.path().join("plan.txt"), "mine").unwrap();
        assert!(not_for_an_index(dir.path()).unwrap().contains("`plan.txt`"));
        assert!(
            not_for_an_index(&dir.path().join("plan.txt"))
                .unwrap()
                .contains("a file, not a folder")
        );
    }
}
