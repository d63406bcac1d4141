//! The one error type of the crate: every failure that reaches the user, with the
//! file or index it concerns, displayed as a single line.

use std::io;
use std::path::PathBuf;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// Writing to stdout failed (a closed pipe is handled quietly by `main`).
    #[error("writing output: {0}")]
    Output(#[from] io::Error),
    /// There is no index at the given folder.
    #[error("no index at {}: build one with `news-search index <PATH> --index {}`", .0.display(), .0.display())]
    NoIndex(PathBuf),
    /// Another process holds the index writer lock.
    #[error("another news-search process is writing to the index at {}; wait for it to finish and try again", .0.display())]
    Locked(PathBuf),
    /// The index cannot be written: read-only media, or no write permission.
    #[error("the index at {} is read-only ({detail}): queries work, but indexing needs a folder this user can write", dir.display())]
    ReadOnly {
        /// The index folder.
        dir: PathBuf,
        /// What the operating system said.
        detail: String,
    },
    /// The index exists but cannot be used (corrupt, or written by an incompatible version).
    #[error("index at {}: {message}", dir.display())]
    Index {
        /// The index folder.
        dir: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A Quickwit node or index could not be used.
    #[error("{url}: {message}")]
    Quickwit {
        /// The index URL as given.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The query could not be understood.
    #[error("query: {0}")]
    Query(String),
    /// A command-line value or an input file it names is not usable.
    #[error("{0}")]
    Usage(String),
    /// The disk holding the index filled up while indexing.
    #[error("no space left on device while writing the index at {}: what this run had not committed was removed, what was committed before is intact; free some space and run the same command again", dir.display())]
    DiskFull {
        /// The index folder.
        dir: PathBuf,
    },
    /// Reading the index failed in a way only damaged files explain (Tantivy panicked).
    #[error("damaged index at {}: {detail}; run `news-search check --index {}`", dir.display(), dir.display())]
    Damaged {
        /// The index folder.
        dir: PathBuf,
        /// What failed.
        detail: String,
    },
    /// A failure that is a bug in news-search, not in its input.
    #[error("internal error: {0}; please report it")]
    Internal(String),
    /// `check` found damaged segments.
    #[error("the index at {} is damaged: {count} of its segments failed the check; `news-search check --repair --index {}` drops them", dir.display(), dir.display())]
    CheckFailed {
        /// The index folder.
        dir: PathBuf,
        /// Damaged segments.
        count: usize,
    },
    /// Indexing found nothing it could index.
    #[error("nothing indexed: {0}")]
    NothingIndexed(String),
}

impl Error {
    /// Builds an [`Error::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Builds an [`Error::Index`] from a tantivy error on the index at `dir`.
    pub fn index(dir: impl Into<PathBuf>, err: impl std::fmt::Display) -> Self {
        Error::Index {
            dir: dir.into(),
            message: err.to_string(),
        }
    }

    /// True when the error is only a closed stdout (`news-search query x | head -1`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }

    /// The process exit code for this error: always 2, as in grep and ripgrep.
    pub fn exit_code(&self) -> u8 {
        2
    }
}

/// The message of a caught panic.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic".to_string()
    }
}
