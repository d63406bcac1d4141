//! The index folder as Tantivy sees it: Tantivy's memory-mapped directory, except
//! that a reader on read-only media (or in a folder it may not write) does without
//! the lock file that only guards against a writer's clean-up, as SQLite and Lucene
//! readers do. Writers still need every lock.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, META_LOCK, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::{Directory, TantivyError};

/// Tantivy's directory, tolerant of read-only folders for readers.
#[derive(Debug, Clone)]
pub struct IndexDirectory {
    inner: MmapDirectory,
}

impl IndexDirectory {
    /// Opens the folder `dir`.
    pub fn open(dir: &Path) -> Result<IndexDirectory, TantivyError> {
        let inner = MmapDirectory::open(dir).map_err(TantivyError::from)?;
        Ok(IndexDirectory { inner })
    }
}

/// True when an I/O error means "this folder cannot be written".
pub fn is_read_only(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied
    )
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    /// The meta lock keeps a writer's garbage collection from deleting files while a
    /// reader opens them. Where the lock file cannot be made, no writer can delete
    /// anything either (read-only media), or the reader retries a vanished file.
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(error))
                if lock.filepath == META_LOCK.filepath && is_read_only(&error) =>
            {
                Ok(DirectoryLock::from(Box::new(NoLock)))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// The lock not taken.
struct NoLock;

/// The files of an index folder that are not Tantivy's own bookkeeping: present
/// segment files mean an index once lived here.
pub fn segment_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|ext| {
                [
                    "idx",
                    "pos",
                    "term",
                    "store",
                    "fast",
                    "fieldnorm",
                    "del",
                    "temp",
                ]
                .iter()
                .any(|known| ext == *known)
            })
        })
        .collect()
}
