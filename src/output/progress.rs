//! What `index` shows while it works: a progress bar on a terminal, one warning
//! line per problem, and a closing summary line, all on stderr.

use std::collections::BTreeMap;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::diag;
use crate::ingest::{Problem, Warning};

/// Counts gathered during an indexing run, for the summary line.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// Files read (whether or not they gave articles).
    pub files: usize,
    /// Articles written.
    pub articles: usize,
    /// Bytes of input read.
    pub bytes: u64,
    /// Problems by kind.
    pub problems: BTreeMap<Problem, usize>,
    /// Files passed over because of their type.
    pub unsupported: usize,
    /// Standard input was read too.
    pub stdin: bool,
}

/// The progress bar and warning printer of one run.
pub struct IndexProgress {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl IndexProgress {
    /// Starts reporting on `total_bytes` of input; a bar only when `show_bar`.
    pub fn new(show_bar: bool, quiet: bool, total_bytes: u64) -> IndexProgress {
        let bar = show_bar.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{spinner} {elapsed_precise} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        IndexProgress { bar, quiet }
    }

    /// Records bytes of input parsed (callable from any thread).
    pub fn advance(&self, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
        }
    }

    /// Shows the running counts next to the bar.
    pub fn counts(&self, tally: &Tally) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "{} files, {} articles",
                tally.files, tally.articles
            ));
        }
    }

    /// Prints one warning line (above the bar).
    pub fn warn(&self, warning: &Warning) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(bar) => bar.suspend(|| diag::warning(warning)),
            None => diag::warning(warning),
        }
    }

    /// Adds a phase name, such as "committing", to the counts.
    pub fn phase(&self, text: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{}, {text}", bar.message()));
        }
    }

    /// Removes the bar and prints the summary line.
    pub fn finish(self, tally: &Tally, elapsed: Duration) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if self.quiet {
            return;
        }
        let secs = elapsed.as_secs_f64().max(1e-6);
        let stdin = if tally.stdin { " and stdin" } else { "" };
        let mut line = format!(
            "indexed {} articles from {} files{stdin} ({:.1} MB) in {:.2} s, {:.1} MB/s",
            tally.articles,
            tally.files,
            tally.bytes as f64 / 1e6,
            secs,
            tally.bytes as f64 / 1e6 / secs
        );
        let skipped: Vec<String> = tally
            .problems
            .iter()
            .filter(|(p, _)| p.is_skip())
            .map(|(p, n)| format!("{n} {}", p.label()))
            .collect();
        if !skipped.is_empty() {
            line.push_str(&format!("; skipped: {}", skipped.join(", ")));
        }
        if let Some(n) = tally.problems.get(&Problem::LossyUtf8) {
            line.push_str(&format!("; {n} decoded lossily (invalid UTF-8)"));
        }
        if tally.unsupported > 0 {
            line.push_str(&format!(
                "; {} files of other types ignored",
                tally.unsupported
            ));
        }
        eprintln!("{line}");
    }
}
