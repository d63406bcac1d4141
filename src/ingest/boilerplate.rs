//! Learned boilerplate: pages scraped from one site repeat the same interface lines
//! ("Skip to main content", "Share this article", a copyright line). Before a run,
//! each folder's plain-text files are sampled, and a short line found in a large
//! share of them is taken as that folder's boilerplate: never a headline, and left
//! out of the body (so never a snippet).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::SourceFile;
use crate::article::clean_line;

/// Folders with fewer text files than this teach nothing.
const MIN_FILES: usize = 4;
/// At most this many files of a folder are read.
const SAMPLE: usize = 30;
/// Only the first bytes of each sampled file are read.
const HEAD_BYTES: u64 = 16 * 1024;
/// Furniture sits at the top and the bottom: only this many lines at each end count.
const EDGE_LINES: usize = 30;
/// Lines longer than this are content, whatever their count.
const MAX_LINE_CHARS: usize = 80;
/// A line in at least this share of the sampled files (and in 3 of them) is boilerplate.
const MIN_SHARE: f64 = 0.3;

/// Boilerplate lines, by folder.
#[derive(Debug, Default)]
pub struct Boilerplate {
    by_dir: HashMap<PathBuf, HashSet<String>>,
}

impl Boilerplate {
    /// Learns from the plain-text and Markdown files among `files`.
    pub fn learn(files: &[SourceFile]) -> Boilerplate {
        let mut groups: HashMap<&Path, Vec<&SourceFile>> = HashMap::new();
        for file in files {
            let text_like = matches!(
                file.path
                    .extension()
                    .and_then(|e| e.to_str())
                    .map(str::to_ascii_lowercase)
                    .as_deref(),
                Some("txt" | "md" | "text" | "markdown")
            );
            if let (true, Some(dir)) = (text_like, file.path.parent()) {
                groups.entry(dir).or_default().push(file);
            }
        }
        let mut learned = Boilerplate::default();
        for (dir, group) in groups {
            if group.len() < MIN_FILES {
                continue;
            }
            let step = group.len().div_ceil(SAMPLE);
            let sample: Vec<&SourceFile> = group.iter().step_by(step).copied().collect();
            let mut counts: HashMap<String, usize> = HashMap::new();
            for file in &sample {
                for line in short_lines(&file.path) {
                    *counts.entry(line).or_default() += 1;
                }
            }
            let needed = ((sample.len() as f64 * MIN_SHARE).ceil() as usize).max(3);
            let lines: HashSet<String> = counts
                .into_iter()
                .filter(|(_, n)| *n >= needed)
                .map(|(l, _)| l)
                .collect();
            if !lines.is_empty() {
                learned.by_dir.insert(dir.to_path_buf(), lines);
            }
        }
        learned
    }

    /// The boilerplate of the folder holding `path`.
    pub fn for_file(&self, path: &Path) -> Option<&HashSet<String>> {
        self.by_dir.get(path.parent()?)
    }
}

/// The distinct short lines at the start of a file.
fn short_lines(path: &Path) -> HashSet<String> {
    let mut head = Vec::new();
    if fs::File::open(path)
        .and_then(|f| f.take(HEAD_BYTES).read_to_end(&mut head))
        .is_err()
    {
        return HashSet::new();
    }
    let text = String::from_utf8_lossy(&head);
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines
        .len()
        .saturating_sub(EDGE_LINES)
        .max(EDGE_LINES.min(lines.len()));
    lines[..EDGE_LINES.min(lines.len())]
        .iter()
        .chain(&lines[tail..])
        .map(|l| clean_line(l))
        .filter(|l| !l.is_empty() && l.chars().count() <= MAX_LINE_CHARS)
        // A dateline shared by a day's pages is metadata, not furniture.
        .filter(|l| super::date::parse_date(l).is_none())
        .collect()
}

/// True for a line that is boilerplate in `learned`.
pub fn is_boilerplate(line: &str, learned: Option<&HashSet<String>>) -> bool {
    learned.is_some_and(|set| line.len() <= 4 * MAX_LINE_CHARS && set.contains(&clean_line(line)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_shared_by_a_site_are_learned() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        for n in 0..6 {
            let path = dir.path().join(format!("{n}.txt"));
            fs::write(&path, format!("Skip to content\nMenu\nStory number {n}\n\nBody {n}.\nShare this article\n© Site")).unwrap();
            files.push(SourceFile {
                path,
                key: String::new(),
                size: 0,
                stamp: 0,
            });
        }
        let learned = Boilerplate::learn(&files);
        let set = learned.for_file(&files[0].path).unwrap();
        assert!(
            set.contains("Share this article")
                && set.contains("© Site")
                && set.contains("Skip to content")
        );
        assert!(
            !set.iter()
                .any(|l| l.starts_with("Story") || l.starts_with("Body"))
        );
    }
}
