//! Turns the paths on the command line into the list of files to read: folders
//! walked recursively in name order, hidden entries and the index itself skipped,
//! symlink loops and special files reported, sidecar `.tsv` tables collected.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;
use xxhash_rust::xxh3::xxh3_64;

use super::{MetaTables, Problem, Warning, is_candidate, sgml};

/// A file found by the walker, ready to be read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user would write it (the argument joined with the walked part).
    pub path: PathBuf,
    /// The canonical absolute path: the key under which this file's articles are kept.
    pub key: String,
    /// Size in bytes when walked.
    pub size: u64,
    /// Fingerprint of size and modification time: a changed stamp means a changed file.
    pub stamp: u64,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Files to read, each once (two paths to one file give one entry).
    pub files: Vec<SourceFile>,
    /// Sidecar metadata tables.
    pub tables: MetaTables,
    /// Canonical forms of the walked roots (to find files that disappeared below them).
    pub roots: Vec<String>,
    /// Files passed over because their type is not one we read.
    pub unsupported: usize,
    /// Entries that could not be visited.
    pub warnings: Vec<Warning>,
}

/// Walks every path (file or folder); a file named explicitly is taken even if hidden.
/// The folder `skip` (the index being written) is never entered.
pub fn walk(paths: &[PathBuf], skip: Option<&Path>) -> Walk {
    let skip = skip.and_then(|s| s.canonicalize().ok());
    let mut found = Walk::default();
    let mut seen = HashSet::new();
    for root in paths {
        if let Ok(canonical) = root.canonicalize() {
            found.roots.push(exact_key(&canonical));
        }
        let entries = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
                let is_skipped = e.file_type().is_dir()
                    && skip
                        .as_ref()
                        .is_some_and(|s| e.path().canonicalize().is_ok_and(|p| &p == s));
                !hidden && !is_skipped
            });
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let path = e.path().unwrap_or(root).display().to_string();
                    let detail = e
                        .io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string);
                    found.warnings.push(Warning {
                        path,
                        line: None,
                        problem: Problem::Unreadable,
                        detail,
                    });
                    continue;
                }
            };
            let path = entry.path();
            let file_type = entry.file_type();
            if file_type.is_dir() {
                continue;
            }
            if !file_type.is_file() {
                found.warnings.push(Warning {
                    path: path.display().to_string(),
                    line: None,
                    problem: Problem::NotRegular,
                    detail: "FIFO, socket or device; use `-` to read a stream".into(),
                });
                continue;
            }
            let name = path.to_string_lossy();
            if name.to_ascii_lowercase().ends_with(".tsv") {
                load_table(&mut found, path);
                continue;
            }
            let wanted = is_candidate(&name) || (path.extension().is_none() && sniff_sgml(path));
            if !wanted {
                found.unsupported += 1;
                continue;
            }
            let key = key_for(path);
            if !seen.insert(key.clone()) {
                continue;
            }
            let metadata = entry.metadata().ok();
            let size = metadata.as_ref().map_or(0, fs::Metadata::len);
            let modified = metadata
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            let stamp = xxh3_64(format!("{size}:{modified}").as_bytes());
            found.files.push(SourceFile {
                path: path.to_path_buf(),
                key,
                size,
                stamp,
            });
        }
    }
    found
}

fn load_table(found: &mut Walk, path: &Path) {
    let dir = path
        .parent()
        .and_then(|d| d.canonicalize().ok())
        .unwrap_or_default();
    let result = fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| found.tables.load(dir, &String::from_utf8_lossy(&bytes)));
    if let Err(detail) = result {
        found.warnings.push(Warning {
            path: path.display().to_string(),
            line: None,
            problem: Problem::BadTable,
            detail,
        });
    }
}

/// Extension-less files are taken when they look like wire-service SGML.
fn sniff_sgml(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(4096);
    fs::File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut head))
        .is_ok_and(|_| sgml::sniff(&String::from_utf8_lossy(&head)))
}

/// The canonical key of a path, falling back to the path itself when it cannot be resolved.
pub fn key_for(path: &Path) -> String {
    exact_key(&fs::canonicalize(path).unwrap_or_else(|_| PathBuf::from(path)))
}

/// A path as a string that keeps every byte: UTF-8 as it is, a backslash doubled,
/// and each byte that is not UTF-8 as `\xHH`. Two names that differ only in invalid
/// bytes (`x\xff.txt`, `x\xfe.txt`) stay two files; display is lossy elsewhere, as
/// in ripgrep.
pub fn exact_key(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut key = String::new();
    for chunk in path.as_os_str().as_bytes().utf8_chunks() {
        key.push_str(&chunk.valid().replace('\\', "\\\\"));
        for byte in chunk.invalid() {
            key.push_str(&format!("\\x{byte:02x}"));
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_and_skips_hidden_and_unknown() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("sub")).unwrap();
        fs::create_dir_all(dir.path().join(".git")).unwrap();
        for name in [
            "b.txt",
            "a.md",
            "sub/c.jsonl",
            ".hidden.txt",
            ".git/d.txt",
            "e.png",
            "README",
            "f.html.gz",
        ] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        fs::write(
            dir.path().join("wire"),
            "<DOC><DOCNO>1</DOCNO><TEXT>t</TEXT></DOC>",
        )
        .unwrap();
        fs::write(dir.path().join("meta.tsv"), "key\tsource\nb\tB News\n").unwrap();
        let found = walk(&[dir.path().to_path_buf()], None);
        let names: Vec<_> = found
            .files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(dir.path())
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(names, ["a.md", "b.txt", "f.html.gz", "sub/c.jsonl", "wire"]);
        assert_eq!(found.unsupported, 2);
        let b = Path::new(&found.files[1].key);
        assert_eq!(
            found.tables.defaults_for(b).unwrap().source.as_deref(),
            Some("B News")
        );
    }

    #[test]
    fn one_file_reached_twice_is_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "x").unwrap();
        let found = walk(&[dir.path().to_path_buf(), dir.path().join("a.txt")], None);
        assert_eq!(found.files.len(), 1);
    }

    #[test]
    fn never_walks_into_the_index() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("index")).unwrap();
        fs::write(dir.path().join("index/meta.json"), "{}").unwrap();
        fs::write(dir.path().join("a.txt"), "x").unwrap();
        let found = walk(&[dir.path().to_path_buf()], Some(&dir.path().join("index")));
        assert_eq!(found.files.len(), 1);
    }

    #[test]
    fn missing_path_is_a_warning() {
        let found = walk(&[PathBuf::from("/definitely/not/here")], None);
        assert!(found.files.is_empty());
        assert_eq!(found.warnings.len(), 1);
    }
}
