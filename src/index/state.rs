//! What an index already holds, read from its fast fields: which files (with their
//! size-and-mtime stamps) and which article texts, so a run can skip unchanged
//! files, remove vanished ones, and store an exact duplicate once.

use std::collections::HashMap;

use super::NewsIndex;
use crate::error::{Error, Result};

/// Files and text hashes in the index.
#[derive(Debug, Default)]
pub struct IndexedState {
    /// Canonical file path → stamp when it was indexed.
    pub files: HashMap<String, u64>,
    /// Text hash → canonical path of the file that holds it (empty for stdin articles).
    pub texts: HashMap<u64, String>,
}

/// Reads the state of `index`.
pub fn read(index: &NewsIndex) -> Result<IndexedState> {
    let fail = |e: tantivy::TantivyError| Error::index(&index.dir, e);
    let reader = index.index.reader().map_err(fail)?;
    let searcher = reader.searcher();
    let mut state = IndexedState::default();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let keys = fast.str("file_key").map_err(fail)?;
        let stamps = fast.u64("file_stamp").map_err(fail)?;
        let hashes = fast.u64("text_hash").map_err(fail)?;
        let mut names: HashMap<u64, String> = HashMap::new();
        for doc in segment.doc_ids_alive() {
            let key = match keys.as_ref().and_then(|k| k.term_ords(doc).next()) {
                Some(ord) => {
                    if let std::collections::hash_map::Entry::Vacant(e) = names.entry(ord) {
                        let mut name = String::new();
                        if let Some(keys) = &keys {
                            keys.ord_to_str(ord, &mut name)
                                .map_err(|e| Error::index(&index.dir, e))?;
                        }
                        e.insert(name);
                    }
                    names[&ord].clone()
                }
                None => String::new(),
            };
            if let (false, Some(stamp)) = (key.is_empty(), stamps.first(doc)) {
                state.files.insert(key.clone(), stamp);
            }
            if let Some(hash) = hashes.first(doc) {
                state.texts.insert(hash, key);
            }
        }
    }
    Ok(state)
}
