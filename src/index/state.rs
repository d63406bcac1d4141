//! What an index already holds, read from its fast fields: which files (with their
//! size-and-mtime stamps) and which article texts, so a run can skip unchanged
//! files, remove vanished ones, and store an exact duplicate once.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::NewsIndex;
use crate::error::{Error, Result};

/// Files and text hashes in the index.
#[derive(Debug, Default)]
pub struct IndexedState {
    /// Canonical file path → stamp when it was indexed.
    pub files: HashMap<String, u64>,
    /// Text hash → the file that holds it, as its place in `holders`.
    pub texts: FxHashMap<u64, u32>,
    /// The files holding texts.
    pub holders: Holders,
}

/// Canonical paths of files (empty for standard input), each kept once and
/// numbered: an archive of millions of articles keeps a number per article.
#[derive(Debug, Default)]
pub struct Holders {
    names: Vec<String>,
    places: HashMap<String, u32>,
}

impl Holders {
    /// The number of `key`, given it when new.
    pub fn place(&mut self, key: &str) -> u32 {
        if let Some(&place) = self.places.get(key) {
            return place;
        }
        let place = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(key.to_string());
        self.places.insert(key.to_string(), place);
        place
    }

    /// The key numbered `place`.
    pub fn name(&self, place: u32) -> &str {
        self.names.get(place as usize).map_or("", String::as_str)
    }

    /// Every key, in the order of their numbers.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// What the index records besides its articles, kept as the payload of each commit
/// in `meta.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Note {
    /// Files whose articles `check --repair` dropped: read them again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reread: Vec<String>,
    /// Read every file again: a repair could not tell which files it touched.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reread_all: bool,
    /// Files read that hold no article of their own (all exact duplicates of
    /// others, or emptied), with their stamps: without this they would be read
    /// again on every run.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub empty_files: BTreeMap<String, u64>,
}

impl Note {
    /// The note of the index's last commit (empty when there is none).
    pub fn of(index: &NewsIndex) -> Note {
        index
            .index
            .load_metas()
            .ok()
            .and_then(|metas| metas.payload)
            .and_then(|payload| serde_json::from_str(&payload).ok())
            .unwrap_or_default()
    }

    /// The commit payload for this note (`None` when there is nothing to note).
    pub fn payload(&self) -> Option<String> {
        (*self != Note::default())
            .then(|| serde_json::to_string(self).ok())
            .flatten()
    }
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
        // The segment's key ordinals → holders.
        let mut holders: FxHashMap<u64, u32> = FxHashMap::default();
        for doc in segment.doc_ids_alive() {
            let ord = keys.as_ref().and_then(|k| k.term_ords(doc).next());
            let holder = match ord.map(|ord| (ord, holders.get(&ord))) {
                Some((_, Some(&holder))) => holder,
                Some((ord, None)) => {
                    let mut name = String::new();
                    if let Some(keys) = &keys {
                        keys.ord_to_str(ord, &mut name)
                            .map_err(|e| Error::index(&index.dir, e))?;
                    }
                    if let Some(stamp) = stamps.first(doc).filter(|_| !name.is_empty()) {
                        state.files.insert(name.clone(), stamp);
                    }
                    let holder = state.holders.place(&name);
                    holders.insert(ord, holder);
                    holder
                }
                None => state.holders.place(""),
            };
            if let Some(hash) = hashes.first(doc) {
                state.texts.insert(hash, holder);
            }
        }
    }
    for (key, stamp) in Note::of(index).empty_files {
        state.files.entry(key).or_insert(stamp);
    }
    Ok(state)
}
