//! Turns the paths on the command line into the list of files to parse: folders
//! walked recursively in name order, hidden entries skipped, symlink loops reported.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{Format, Problem, SourceFile, Warning, key_for, sniff_file};

/// What the walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Files in a format we read.
    pub files: Vec<SourceFile>,
    /// Files passed over because their extension is not one we read.
    pub unsupported: usize,
    /// Entries that could not be visited.
    pub warnings: Vec<Warning>,
}

/// Walks every path (file or folder); a file named explicitly is taken even if hidden.
/// The folder `skip` (the index being written) is never entered.
pub fn walk(paths: &[PathBuf], skip: Option<&Path>) -> Walk {
    let skip = skip.and_then(|s| s.canonicalize().ok());
    let mut found = Walk::default();
    for root in paths {
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
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            let format = match path.extension() {
                Some(_) => Format::for_path(path),
                None => sniff_file(path),
            };
            match format {
                Some(format) => found.files.push(SourceFile {
                    key: key_for(path),
                    size: entry.metadata().map(|m| m.len()).unwrap_or(0),
                    path: path.to_path_buf(),
                    format,
                }),
                None => found.unsupported += 1,
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

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
        ] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        fs::write(
            dir.path().join("wire"),
            "<DOC><DOCNO>1</DOCNO><TEXT>t</TEXT></DOC>",
        )
        .unwrap();
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
        assert_eq!(names, ["a.md", "b.txt", "sub/c.jsonl", "wire"]);
        assert_eq!(found.files[3].format, Format::Sgml);
        assert_eq!(found.unsupported, 2);
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
