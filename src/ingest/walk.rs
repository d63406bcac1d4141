//! Turns the paths on the command line into the list of files to read: folders
//! walked recursively in name order, hidden entries and the index itself skipped,
//! symlink loops and special files reported, sidecar `.tsv` tables collected.

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::fs::{self, File};
use std::io::Read;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags};
use xxhash_rust::xxh3::xxh3_64;

use super::{MetaTables, Problem, Warning, email, is_candidate, sgml};

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
    /// Files passed over because an ignore file or their name (README…) says so.
    pub ignored: usize,
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
///
/// Folders are read relative to their parent's open descriptor, never by their full
/// path, so a walk costs time in proportion to its entries however deep the tree
/// (no path is resolved again from the root) and works below the 4,096-byte path
/// limit. Loops through symbolic links are found by device and inode.
///
/// Unless `everything`, a folder's `.gitignore`, `.ignore` and
/// `.news-search-ignore` (in rising precedence, gitignore syntax, as in ripgrep)
/// leave out what they match below it, and files named README, LICENSE, COPYING
/// or CHANGELOG (any case, any extension) are not articles.
pub fn walk(paths: &[PathBuf], skip: Option<&Path>, everything: bool) -> Walk {
    raise_open_file_limit();
    let skip = skip
        .and_then(|s| fs::metadata(s).ok())
        .map(|m| (m.dev(), m.ino()));
    let mut walker = Walker {
        found: Walk::default(),
        seen: HashSet::new(),
        skip,
        everything,
    };
    let mut loaded = HashSet::new();
    for root in paths {
        ancestor_tables(&mut walker.found, root, skip, &mut loaded);
    }
    for root in paths {
        walker.root(root);
    }
    let mut found = walker.found;
    super::claim::claim(&mut found.files);
    // A file's stamp covers the table rows that describe it: change a row, and the
    // files it describes are read again on the next run.
    for file in &mut found.files {
        if let Some(defaults) = found.tables.defaults_for(Path::new(&file.key)) {
            file.stamp =
                xxh3_64(&[file.stamp.to_le_bytes(), defaults.rows_hash.to_le_bytes()].concat());
        }
    }
    found
}

/// Loads the sidecar tables (`.tsv` files) of the folders above `root`, up to the
/// file-system root or the first folder that holds an index (a `meta.json`, an
/// `index/meta.json`, or the index folder of this run), so that a subfolder of
/// a dump indexed alone keeps the dump's tables. `loaded` (tables and folders seen)
/// avoids reading one twice.
fn ancestor_tables(
    found: &mut Walk,
    root: &Path,
    skip: Option<(u64, u64)>,
    loaded: &mut HashSet<PathBuf>,
) {
    let Ok(canonical) = root.canonicalize() else {
        return;
    };
    // A folder's own tables are read by the walk; a file's folder is not walked.
    let mut folder = canonical.parent().map(Path::to_path_buf);
    while let Some(dir) = folder {
        // Files given one by one share folders: each folder (and so the chain above
        // it) is looked at once, or `index *.html` would be quadratic.
        if !loaded.insert(dir.clone()) {
            break;
        }
        let mut tables: Vec<PathBuf> = fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        p.extension().is_some_and(|e| e.eq_ignore_ascii_case("tsv")) && p.is_file()
                    })
                    .collect()
            })
            .unwrap_or_default();
        tables.sort();
        for table in tables {
            if loaded.insert(table.clone()) {
                // Above the walked folder, a `.tsv` that is no metadata table at all
                // is someone else's file: passed over without a word.
                let warned = found.warnings.len();
                load_table(found, &table, File::open(&table));
                if found.warnings[warned..]
                    .iter()
                    .any(|w| w.detail == super::meta::NOT_A_TABLE)
                {
                    found.warnings.truncate(warned);
                }
            }
        }
        let holds_index = dir.join("meta.json").is_file()
            || dir.join("index").join("meta.json").is_file()
            || fs::read_dir(&dir).is_ok_and(|entries| {
                entries.filter_map(Result::ok).any(|e| {
                    e.metadata()
                        .is_ok_and(|m| m.is_dir() && Some((m.dev(), m.ino())) == skip)
                })
            });
        if holds_index {
            break;
        }
        folder = dir.parent().map(Path::to_path_buf);
    }
}

/// The state of one walk.
struct Walker {
    found: Walk,
    /// Files already taken, by device and inode: two paths to one file give one entry.
    seen: HashSet<(u64, u64)>,
    /// The index folder, by device and inode.
    skip: Option<(u64, u64)>,
    /// Ignore files and project-file names are not followed.
    everything: bool,
}

/// Ignore files read in each folder, lowest precedence first.
const IGNORE_FILES: [&str; 3] = [".gitignore", ".ignore", ".news-search-ignore"];

/// Names (before any extension) of the files that describe a folder, not news.
const PROJECT_FILES: [&str; 4] = ["readme", "license", "copying", "changelog"];

/// True for `README.md`, `LICENSE`, `changelog.txt`…
fn is_project_file(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy().to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or("");
    PROJECT_FILES.contains(&stem)
}

/// What the ignore files of the folders on `stack` say of `path`: the innermost
/// folder with an opinion decides.
fn ignored(stack: &[Frame], path: &Path, is_dir: bool) -> bool {
    for frame in stack.iter().rev() {
        if let Some(rules) = &frame.ignore {
            match rules.matched(path, is_dir) {
                ignore::Match::Ignore(_) => return true,
                ignore::Match::Whitelist(_) => return false,
                ignore::Match::None => {}
            }
        }
    }
    false
}

/// A folder being walked: its descriptor, and its entries sorted by name.
struct Frame {
    fd: OwnedFd,
    /// The folder as the user would write it.
    path: PathBuf,
    /// Its canonical path, while no symbolic link was followed to reach it.
    canonical: Option<PathBuf>,
    /// Device and inode, for loop detection.
    id: (u64, u64),
    entries: Vec<(OsString, bool)>,
    next: usize,
    /// The rules of this folder's ignore files, if it has any.
    ignore: Option<ignore::gitignore::Gitignore>,
}

impl Walker {
    fn warn(&mut self, path: &Path, problem: Problem, detail: impl Into<String>) {
        self.found.warnings.push(Warning {
            path: path.display().to_string(),
            line: None,
            problem,
            detail: detail.into(),
        });
    }

    fn root(&mut self, root: &Path) {
        let Some(first) = self.open_root(root) else {
            return;
        };
        let mut ancestors: HashSet<(u64, u64)> = HashSet::from([first.id]);
        let mut stack = vec![first];
        while let Some(frame) = stack.last_mut() {
            let Some((name, is_link)) = frame.entries.get(frame.next).cloned() else {
                if let Some(done) = stack.pop() {
                    ancestors.remove(&done.id);
                }
                continue;
            };
            frame.next += 1;
            let path = frame.path.join(&name);
            let skipped_name = !self.everything && is_project_file(&name);
            let canonical = frame
                .canonical
                .as_ref()
                .filter(|_| !is_link)
                .map(|c| c.join(&name));
            let stat = match rustix::fs::statat(&frame.fd, name.as_os_str(), AtFlags::empty()) {
                Ok(stat) => Stat::from(&stat),
                Err(e) => {
                    self.warn(
                        &path,
                        Problem::Unreadable,
                        std::io::Error::from(e).to_string(),
                    );
                    continue;
                }
            };
            if !self.everything && ignored(&stack, &path, stat.kind == Kind::Dir) {
                if stat.kind == Kind::File {
                    self.found.ignored += 1;
                }
                continue;
            }
            let Some(frame) = stack.last_mut() else {
                continue;
            };
            match stat.kind {
                Kind::Dir => {
                    let fd = frame.fd.as_fd();
                    if let Some(child) = self.enter(fd, &ancestors, &name, path, canonical, stat.id)
                    {
                        ancestors.insert(child.id);
                        stack.push(child);
                    }
                }
                Kind::File if skipped_name => self.found.ignored += 1,
                Kind::File => {
                    let key = match &canonical {
                        Some(canonical) => exact_key(canonical),
                        None => key_for(&path),
                    };
                    let dir = frame.fd.as_fd();
                    self.file(&path, key, &stat, || {
                        rustix::fs::openat(dir, name.as_os_str(), READ, Mode::empty())
                            .map(File::from)
                            .map_err(std::io::Error::from)
                    });
                }
                Kind::Other => self.warn(
                    &path,
                    Problem::NotRegular,
                    "FIFO, socket or device; use `-` to read a stream",
                ),
            }
        }
    }

    /// The first frame of the walk of `root`: `None` when it is a file (taken
    /// here), the index's own folder, or unreadable (said).
    fn open_root(&mut self, root: &Path) -> Option<Frame> {
        let canonical = root.canonicalize().ok();
        if let Some(canonical) = &canonical {
            self.found.roots.push(exact_key(canonical));
        }
        let metadata = match fs::metadata(root) {
            Ok(metadata) => metadata,
            Err(e) => {
                self.warn(root, Problem::Unreadable, e.to_string());
                return None;
            }
        };
        if !metadata.is_dir() {
            let key = key_for(root);
            let stat = Stat::of(&metadata);
            self.file(root, key, &stat, || open_file(root));
            return None;
        }
        let id = (metadata.dev(), metadata.ino());
        if Some(id) == self.skip {
            return None;
        }
        match open_dir(CWD, root) {
            Ok(fd) => self.frame(fd, root.to_path_buf(), canonical, id),
            Err(e) => {
                self.warn(root, Problem::Unreadable, e.to_string());
                None
            }
        }
    }

    /// The frame of the folder `name` inside the folder `parent` (reached as
    /// `path`, device and inode `id`): `None` when it is the index's own folder,
    /// a link back to one of its `ancestors` (said), or unreadable (said).
    fn enter(
        &mut self,
        parent: BorrowedFd,
        ancestors: &HashSet<(u64, u64)>,
        name: &OsStr,
        path: PathBuf,
        canonical: Option<PathBuf>,
        id: (u64, u64),
    ) -> Option<Frame> {
        if Some(id) == self.skip {
            return None;
        }
        if ancestors.contains(&id) {
            self.warn(
                &path,
                Problem::Unreadable,
                "file system loop: a link back to a folder above it",
            );
            return None;
        }
        match open_dir(parent, Path::new(name)) {
            Ok(fd) => self.frame(fd, path, canonical, id),
            Err(e) => {
                self.warn(&path, Problem::Unreadable, e.to_string());
                None
            }
        }
    }

    /// Reads a folder's entries (hidden ones left out), sorted by name.
    fn frame(
        &mut self,
        fd: OwnedFd,
        path: PathBuf,
        canonical: Option<PathBuf>,
        id: (u64, u64),
    ) -> Option<Frame> {
        let mut entries = Vec::new();
        let mut rule_files = Vec::new();
        let read = rustix::fs::Dir::read_from(&fd).and_then(|mut dir| {
            while let Some(entry) = dir.read() {
                let entry = entry?;
                let bytes = entry.file_name().to_bytes();
                if let Some(at) = IGNORE_FILES.iter().position(|f| f.as_bytes() == bytes) {
                    rule_files.push(at);
                }
                if bytes.first() == Some(&b'.') {
                    continue;
                }
                let name = OsString::from(std::ffi::OsStr::from_bytes(bytes));
                entries.push((name, entry.file_type() == FileType::Symlink));
            }
            Ok(())
        });
        if let Err(e) = read {
            self.warn(
                &path,
                Problem::Unreadable,
                std::io::Error::from(e).to_string(),
            );
            return None;
        }
        entries.sort();
        let ignore = if self.everything || rule_files.is_empty() {
            None
        } else {
            rule_files.sort_unstable();
            self.rules(&fd, &path, &rule_files)
        };
        Some(Frame {
            fd,
            path,
            canonical,
            id,
            entries,
            next: 0,
            ignore,
        })
    }

    /// The rules of a folder's ignore files (indexes into [`IGNORE_FILES`], in
    /// order); an unreadable file or a bad line is a warning, not a stop.
    fn rules(
        &mut self,
        dir: &OwnedFd,
        path: &Path,
        files: &[usize],
    ) -> Option<ignore::gitignore::Gitignore> {
        let mut builder = ignore::gitignore::GitignoreBuilder::new(path);
        for &at in files {
            let name = IGNORE_FILES[at];
            let file_path = path.join(name);
            let mut text = String::new();
            let read = rustix::fs::openat(dir, name, READ, Mode::empty())
                .map(File::from)
                .map_err(std::io::Error::from)
                .and_then(|mut f| f.by_ref().take(1 << 20).read_to_string(&mut text));
            if let Err(e) = read {
                self.warn(&file_path, Problem::Unreadable, e.to_string());
                continue;
            }
            for line in text.lines() {
                if let Err(e) = builder.add_line(Some(file_path.clone()), line) {
                    self.warn(&file_path, Problem::Unreadable, e.to_string());
                }
            }
        }
        builder.build().ok()
    }

    /// Takes a regular file if it is of a type we read (or a sidecar table).
    fn file(
        &mut self,
        path: &Path,
        key: String,
        stat: &Stat,
        open: impl Fn() -> std::io::Result<File>,
    ) {
        if stat.kind != Kind::File {
            return self.warn(
                path,
                Problem::NotRegular,
                "FIFO, socket or device; use `-` to read a stream",
            );
        }
        let name = path.to_string_lossy();
        if name.to_ascii_lowercase().ends_with(".tsv") {
            return load_table(&mut self.found, path, open());
        }
        let wanted = is_candidate(&name) || (path.extension().is_none() && sniff_unnamed(open()));
        if !wanted {
            self.found.unsupported += 1;
            return;
        }
        if !self.seen.insert(stat.id) {
            return;
        }
        let stamp = xxh3_64(format!("{}:{}", stat.size, stat.modified).as_bytes());
        self.found.files.push(SourceFile {
            path: path.to_path_buf(),
            key,
            size: stat.size,
            stamp,
        });
    }
}

/// What the walk needs to know of an entry.
struct Stat {
    kind: Kind,
    id: (u64, u64),
    size: u64,
    /// Modification time in nanoseconds since 1970.
    modified: i128,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dir,
    File,
    Other,
}

impl Stat {
    fn of(metadata: &fs::Metadata) -> Stat {
        let kind = if metadata.is_dir() {
            Kind::Dir
        } else if metadata.is_file() {
            Kind::File
        } else {
            Kind::Other
        };
        Stat {
            kind,
            id: (metadata.dev(), metadata.ino()),
            size: metadata.len(),
            modified: i128::from(metadata.mtime()) * 1_000_000_000
                + i128::from(metadata.mtime_nsec()),
        }
    }

    fn from(stat: &rustix::fs::Stat) -> Stat {
        let kind = match FileType::from_raw_mode(stat.st_mode) {
            FileType::Directory => Kind::Dir,
            FileType::RegularFile => Kind::File,
            _ => Kind::Other,
        };
        Stat {
            kind,
            id: (stat.st_dev, stat.st_ino),
            size: u64::try_from(stat.st_size).unwrap_or(0),
            modified: i128::from(stat.st_mtime) * 1_000_000_000 + i128::from(stat.st_mtime_nsec),
        }
    }
}

/// Flags to open a file for reading.
const READ: OFlags = OFlags::RDONLY.union(OFlags::CLOEXEC);

/// Opens the folder `name` below `dir`.
fn open_dir(dir: impl AsFd, name: &Path) -> std::io::Result<OwnedFd> {
    rustix::fs::openat(dir, name, READ.union(OFlags::DIRECTORY), Mode::empty())
        .map_err(std::io::Error::from)
}

/// Opens a file for reading, even when its path is longer than the system's
/// limit (a deep tree): the path is then opened a few folders at a time.
pub fn open_file(path: &Path) -> std::io::Result<File> {
    const SAFE_BYTES: usize = 2048;
    if path.as_os_str().len() < SAFE_BYTES {
        return File::open(path);
    }
    let mut dir: Option<OwnedFd> = None;
    let mut chunk = PathBuf::new();
    let mut components = path.components().peekable();
    while let Some(component) = components.next() {
        if components.peek().is_none() {
            chunk.push(component);
            let fd = match &dir {
                Some(fd) => rustix::fs::openat(fd, &chunk, READ, Mode::empty()),
                None => rustix::fs::openat(CWD, &chunk, READ, Mode::empty()),
            };
            return fd.map(File::from).map_err(std::io::Error::from);
        }
        chunk.push(component);
        if chunk.as_os_str().len() >= SAFE_BYTES {
            let next = match &dir {
                Some(fd) => open_dir(fd, &chunk),
                None => open_dir(CWD, &chunk),
            }?;
            dir = Some(next);
            chunk = PathBuf::new();
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        "empty path",
    ))
}

/// A deep tree holds one open folder per level: allow as many open files as
/// the system lets this process have.
fn raise_open_file_limit() {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    if limit.current < limit.maximum {
        let raised = rustix::process::Rlimit {
            current: limit.maximum,
            maximum: limit.maximum,
        };
        let _ = setrlimit(Resource::Nofile, raised);
    }
}

fn load_table(found: &mut Walk, path: &Path, file: std::io::Result<File>) {
    let dir = path
        .parent()
        .and_then(|d| d.canonicalize().ok())
        .unwrap_or_default();
    let result = file
        .and_then(|mut f| {
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).map(|_| bytes)
        })
        .map_err(|e| e.to_string())
        .and_then(|bytes| found.tables.load(dir, &String::from_utf8_lossy(&bytes)));
    let (problem, detail) = match result {
        Err(detail) => (Problem::BadTable, detail),
        Ok(loaded) => match loaded.unread_dates {
            Some(detail) => (Problem::UnreadDate, detail),
            None => return,
        },
    };
    found.warnings.push(Warning {
        path: path.display().to_string(),
        line: None,
        problem,
        detail,
    });
}

/// Extension-less files are taken when they look like wire-service SGML.
/// Is a file without an extension one of the formats that come without one:
/// wire-service SGML (Reuters-21578's files) or a mailbox (Thunderbird's `Inbox`)?
fn sniff_unnamed(file: std::io::Result<File>) -> bool {
    let mut head = Vec::with_capacity(4096);
    file.and_then(|f| f.take(4096).read_to_end(&mut head))
        .is_ok_and(|_| sgml::sniff(&String::from_utf8_lossy(&head)) || email::sniff_mbox(&head))
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
        let found = walk(&[dir.path().to_path_buf()], None, false);
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
        assert_eq!(found.unsupported, 1);
        assert_eq!(found.ignored, 1, "README is not an article");
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
        let found = walk(
            &[dir.path().to_path_buf(), dir.path().join("a.txt")],
            None,
            false,
        );
        assert_eq!(found.files.len(), 1);
    }

    #[test]
    fn never_walks_into_the_index() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("index")).unwrap();
        fs::write(dir.path().join("index/meta.json"), "{}").unwrap();
        fs::write(dir.path().join("a.txt"), "x").unwrap();
        let found = walk(
            &[dir.path().to_path_buf()],
            Some(&dir.path().join("index")),
            false,
        );
        assert_eq!(found.files.len(), 1);
    }

    #[test]
    fn missing_path_is_a_warning() {
        let found = walk(&[PathBuf::from("/definitely/not/here")], None, false);
        assert!(found.files.is_empty());
        assert_eq!(found.warnings.len(), 1);
    }
}
