//! Files read through a manifest beside them: the ALTO pages a METS issue lists,
//! the article texts of a Delpher DIDL issue. The walk leaves such files out, so
//! each is read once, through its manifest, and folds their stamps into the
//! manifest's, so that a changed page or article reads its issue again.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{Problem, Record, SourceFile, decode, didl, mets, walk, xml};

/// What one issue (a METS or DIDL manifest with its files) gives.
pub struct Issue {
    /// The articles (or why one could not be read).
    pub records: Vec<Record>,
    /// Files that could not be read: (file as shown, problem, detail).
    pub problems: Vec<(String, Problem, String)>,
}

/// How much of a file is read to tell whether it is a manifest.
const SNIFF_BYTES: u64 = 4096;

/// Leaves out of `files` those that a METS or DIDL file among them reads.
pub fn claim(files: &mut Vec<SourceFile>) {
    let index: HashMap<PathBuf, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (PathBuf::from(&f.key), i))
        .collect();
    let mut by_dir: Option<HashMap<PathBuf, Vec<usize>>> = None;
    let mut claimed: HashSet<usize> = HashSet::new();
    let mut stamps: Vec<(usize, Vec<u64>)> = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let Some(kind) = manifest_kind(file) else {
            continue;
        };
        let Some(text) = read_limited(&file.path, file.size.max(1)) else {
            continue;
        };
        let key = Path::new(&file.key);
        let dir = key.parent().unwrap_or(Path::new("/"));
        let described: Vec<usize> = match kind {
            xml::Kind::Mets => mets::described_paths(&text, dir)
                .iter()
                .filter_map(|path| index.get(path).copied())
                .collect(),
            _ => {
                let name = key.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                let Some(token) = didl::issue_token(&text, name) else {
                    continue;
                };
                let by_dir = by_dir.get_or_insert_with(|| folders(files));
                by_dir
                    .get(dir)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&j| {
                        let name = files[j].path.file_name().and_then(|n| n.to_str());
                        name.is_some_and(|n| didl::text_file_number(n, &token).is_some())
                    })
                    .collect()
            }
        };
        let own: Vec<u64> = described
            .into_iter()
            .filter(|&j| j != i)
            .map(|j| {
                claimed.insert(j);
                files[j].stamp
            })
            .collect();
        stamps.push((i, own));
    }
    for (i, own) in stamps {
        let file = &mut files[i];
        for stamp in own {
            file.stamp = xxhash_rust::xxh3::xxh3_64(
                &[file.stamp.to_le_bytes(), stamp.to_le_bytes()].concat(),
            );
        }
    }
    let kept = std::mem::take(files);
    files.extend(
        kept.into_iter()
            .enumerate()
            .filter(|(i, _)| !claimed.contains(i))
            .map(|(_, f)| f),
    );
}

/// The files by the folder they are in.
fn folders(files: &[SourceFile]) -> HashMap<PathBuf, Vec<usize>> {
    let mut out: HashMap<PathBuf, Vec<usize>> = HashMap::new();
    for (i, file) in files.iter().enumerate() {
        let dir = Path::new(&file.key).parent().unwrap_or(Path::new("/"));
        out.entry(dir.to_path_buf()).or_default().push(i);
    }
    out
}

/// Whether a file on disk starts as a METS or DIDL document, and which.
fn manifest_kind(file: &SourceFile) -> Option<xml::Kind> {
    let is_xml = file
        .path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
    if !is_xml {
        return None;
    }
    let mut head = Vec::new();
    walk::open_file(&file.path)
        .ok()?
        .take(SNIFF_BYTES)
        .read_to_end(&mut head)
        .ok()?;
    let kind = xml::sniff(&String::from_utf8_lossy(&head))?;
    matches!(kind, xml::Kind::Mets | xml::Kind::Didl).then_some(kind)
}

/// A file's text, if it is no larger than `limit` bytes.
pub(super) fn read_limited(path: &Path, limit: u64) -> Option<String> {
    let file = walk::open_file(path).ok()?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= limit).then(|| decode::decode(&bytes).text)
}

/// Why [`read_limited`] gave no text for a file that exists.
pub(super) fn unreadable(limit: u64) -> String {
    format!(
        "larger than the {} MB limit, or unreadable",
        limit / 1_000_000
    )
}
