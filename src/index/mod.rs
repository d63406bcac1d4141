//! The Tantivy index on disk: opening or creating it with our schema and analyzers,
//! writing articles into it, and reading its statistics.

pub mod analyzer;
pub mod fingerprint;
pub mod language;
pub mod lookup;
mod schema;
pub mod spelling;
pub mod state;
pub mod stats;
pub mod tokenizer;
pub mod writer;

use std::fs;
use std::path::{Path, PathBuf};

use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexSettings};

use crate::error::{Error, Result};

pub use schema::Fields;

/// Stored articles are compressed with zstd in 64 KB blocks: news text shrinks to
/// about a third, which keeps the whole index smaller than the raw files, and a
/// hit costs one block decompression.
fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(3),
        }),
        docstore_blocksize: 64 * 1024,
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
            return Err(Error::NoIndex(dir.to_path_buf()));
        }
        let index = Index::open_in_dir(dir).map_err(|e| match e {
            tantivy::TantivyError::DataCorruption(_) => Error::index(
                dir,
                format!("damaged ({e}); delete the folder and run `news-search index` again"),
            ),
            other => Error::index(dir, other),
        })?;
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
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let (schema, fields) = Fields::build();
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .create_in_dir(dir)
            .map_err(|e| Error::index(dir, e))?;
        analyzer::register(&index);
        Ok(NewsIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
        })
    }
}
