//! Where `index` puts the articles it reads. One pipeline (`commands/index.rs`)
//! walks, reads, drops exact duplicates, stops on Ctrl-C and reports; a [`Sink`]
//! stores articles, replaces a file's earlier ones, and commits: the local writer
//! or a Quickwit index.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use rustc_hash::FxHashMap;

use crate::article::Article;
use crate::error::Result;
use crate::index::state::Note;
use crate::index::writer::ArticleWriter;
use crate::ingest::SourceFile;
use crate::quickwit::writer::QuickwitWriter;

/// The texts an index held before a run, for exact-duplicate detection.
#[derive(Debug, Default)]
pub struct HeldTexts {
    /// Held by files the run does not replace: a copy of one is not stored again.
    pub others: HashSet<u64>,
    /// Held by articles read from standard input.
    pub input: HashSet<u64>,
    /// Held by the files the run replaces or removes (`stale`).
    pub replaced: HashSet<u64>,
}

impl HeldTexts {
    /// Adds what `other` knows.
    pub fn extend(&mut self, other: HeldTexts) {
        self.others.extend(other.others);
        self.input.extend(other.input);
        self.replaced.extend(other.replaced);
    }

    /// The texts of a local index, each with the file holding it as its place in
    /// `holders` (the empty key: standard input).
    pub fn of(
        (texts, holders): (&FxHashMap<u64, u32>, &[String]),
        stale: &HashSet<&str>,
    ) -> HeldTexts {
        #[derive(Clone, Copy)]
        enum Kind {
            Input,
            Replaced,
            Other,
        }
        let kinds: Vec<Kind> = holders
            .iter()
            .map(|key| match key {
                key if key.is_empty() => Kind::Input,
                key if stale.contains(key.as_str()) => Kind::Replaced,
                _ => Kind::Other,
            })
            .collect();
        let mut held = HeldTexts::default();
        for (&hash, &holder) in texts {
            let set = match kinds.get(holder as usize).copied().unwrap_or(Kind::Other) {
                Kind::Input => &mut held.input,
                Kind::Replaced => &mut held.replaced,
                Kind::Other => &mut held.others,
            };
            set.insert(hash);
        }
        held
    }
}

/// An article's file, the file's stamp and the article's place in it.
pub type Origin<'a> = Option<(&'a str, u64, usize)>;

/// What the pipeline stores articles with.
pub trait Sink: Sync {
    /// The earlier articles of the file `key` go: called before its first new
    /// article, or once when it no longer holds any.
    fn replace(&self, key: &str) -> Result<()>;
    /// Stores an article; without an origin (standard input) it replaces any
    /// article with the same id.
    fn add(&self, article: Article, hash: u64, origin: Origin) -> Result<()>;
    /// A file whose earlier articles were replaced has been read, with `added`
    /// articles of its own; `complete` unless reading it failed part way.
    fn file_read(&self, file: &SourceFile, added: usize, complete: bool) -> Result<()>;
    /// A batch of files has been read: a chance to commit.
    fn batch_done(&mut self) -> Result<()>;
}

/// The local index's writer, and the note its commits carry.
pub struct Local {
    /// The writer.
    pub writer: ArticleWriter,
    /// Files to read again, and files read that hold no article of their own.
    pub note: Mutex<Note>,
}

impl Sink for Local {
    fn replace(&self, key: &str) -> Result<()> {
        self.writer.delete_file(key);
        Ok(())
    }

    fn add(&self, article: Article, hash: u64, origin: Origin) -> Result<()> {
        match origin {
            Some(_) => self.writer.add(article, hash, origin),
            None => self.writer.upsert(article, hash),
        }
    }

    fn file_read(&self, file: &SourceFile, added: usize, _complete: bool) -> Result<()> {
        let mut note = self.note.lock().unwrap_or_else(|e| e.into_inner());
        if added == 0 {
            note.empty_files.insert(file.key.clone(), file.stamp);
        } else {
            note.empty_files.remove(&file.key);
        }
        Ok(())
    }

    fn batch_done(&mut self) -> Result<()> {
        let payload = self
            .note
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .payload();
        self.writer.set_payload(payload);
        self.writer.commit_if_due()?;
        Ok(())
    }
}

/// A Quickwit index, with the stamps of the files it holds (a file's earlier
/// articles are deleted by the stamp they were sent with).
pub struct Quickwit<'a> {
    /// The writer.
    pub writer: QuickwitWriter,
    /// The stamp each held file was sent with.
    pub indexed: &'a HashMap<String, u64>,
}

impl Sink for Quickwit<'_> {
    fn replace(&self, key: &str) -> Result<()> {
        // A file new to the index has nothing to delete, and a delete task is dear.
        match self.indexed.get(key) {
            Some(&stamp) => self.writer.delete_file(key, stamp),
            None => Ok(()),
        }
    }

    fn add(&self, article: Article, hash: u64, origin: Origin) -> Result<()> {
        self.writer.add(&article, hash, origin)
    }

    fn file_read(&self, file: &SourceFile, _added: usize, complete: bool) -> Result<()> {
        // A file sent whole gets its marker; one cut short is read again next time.
        if complete {
            self.writer.file_done(&file.key, file.stamp)?;
        }
        Ok(())
    }

    fn batch_done(&mut self) -> Result<()> {
        // Quickwit commits by itself (its commit timeout); `finish` waits for it.
        Ok(())
    }
}
