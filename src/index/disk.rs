//! Telling a full disk from other write failures. Tantivy's indexing threads
//! report a failed write only as "an index writer was killed", so besides the
//! operating system's own error code the free space left is consulted.

use std::path::Path;

use crate::error::Error;

/// ENOSPC as the operating system reports it in messages.
const NO_SPACE: &str = "os error 28";

/// True when `error`, raised while writing the index at `dir`, comes from a full
/// disk: the error says so, or it is a writer failure and less free space is left
/// than one flush of the writer (`budget` bytes) needs.
pub fn is_full(error: &Error, dir: &Path, budget: usize) -> bool {
    let text = error.to_string();
    if text.contains(NO_SPACE) || text.contains("No space left") {
        return true;
    }
    let writing = matches!(error, Error::Index { .. } | Error::Io { .. });
    writing && free_bytes(dir).is_some_and(|free| free < budget as u64)
}

/// Bytes an unprivileged writer may still use on the file system holding `dir`.
pub fn free_bytes(dir: &Path) -> Option<u64> {
    let stats = rustix::fs::statvfs(dir).ok()?;
    Some(stats.f_bavail.saturating_mul(stats.f_frsize))
}
