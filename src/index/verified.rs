//! Document stores checked against their checksums before any document is read.
//!
//! Tantivy's document store has no checksum per block: damaged bytes that still
//! decompress can hold a string length of petabytes, and reading that document
//! aborts the process on the allocation (no panic to catch). So each segment's store
//! file is read in full against its footer checksum once, before the first read,
//! and remembered: for the process, and in `verified-stores.txt` in the index
//! folder (segment, length, modification time and inode of the file), so later
//! processes skip what is unchanged. Segments never change once written; a file
//! rewritten in place (a copy, a restore, a tool) gets a new time and is read again.

use std::collections::HashSet;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::sync::{Mutex, OnceLock};

use tantivy::Searcher;

use super::NewsIndex;
use crate::error::{Error, Result};

/// The memo of verified stores, in the index folder.
pub const FILE: &str = "verified-stores.txt";

/// Store files this process verified (their [`key`]s).
fn verified() -> &'static Mutex<HashSet<String>> {
    static VERIFIED: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    VERIFIED.get_or_init(Mutex::default)
}

/// Verifies the document store of every segment `searcher` reads that is not known
/// sound; a damaged one is an error naming the index.
pub fn stores_sound(index: &NewsIndex, searcher: &Searcher) -> Result<()> {
    let mut remembered: Option<HashSet<String>> = None;
    for segment in searcher.segment_readers() {
        let id = segment.segment_id().uuid_string();
        // Tantivy names a segment's files by its id and component.
        let file = std::path::PathBuf::from(format!("{id}.store"));
        let path = index.dir.join(&file);
        let stat = fs::metadata(&path).map_err(|e| Error::io(&path, e))?;
        let key = format!(
            "{id} {} {} {}",
            stat.len(),
            stat.mtime() as i128 * 1_000_000_000 + i128::from(stat.mtime_nsec()),
            stat.ino()
        );
        if lock(verified()).contains(&key) {
            continue;
        }
        let known = remembered.get_or_insert_with(|| read_memo(index));
        if !known.contains(&key) {
            let sound = index
                .index
                .directory()
                .validate_checksum(&file)
                .map_err(|e| Error::index(&index.dir, e))?;
            if !sound {
                return Err(Error::Damaged {
                    dir: index.dir.clone(),
                    detail: format!("{}: checksum mismatch (damaged bytes)", file.display()),
                });
            }
            remember(index, &key);
        }
        lock(verified()).insert(key);
    }
    Ok(())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The keys the memo file holds (none when it cannot be read).
fn read_memo(index: &NewsIndex) -> HashSet<String> {
    fs::read_to_string(index.dir.join(FILE))
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Adds a key to the memo file: best effort (a read-only index verifies again
/// in the next process).
fn remember(index: &NewsIndex, key: &str) {
    let path = index.dir.join(FILE);
    // Keys of segments merged away pile up: start over past a few thousand lines.
    if fs::metadata(&path).is_ok_and(|m| m.len() > 512 * 1024) {
        let _ = fs::remove_file(&path);
    }
    if let Ok(mut file) = OpenOptions::new().create(true).append(true).open(&path) {
        let _ = writeln!(file, "{key}");
    }
}
