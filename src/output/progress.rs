//! What `index` shows while it works: a progress bar on a terminal, one warning
//! line per problem, and a closing summary line, all on stderr.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::diag;
use crate::ingest::{Problem, SourceFile, Warning};

/// The bar while reading: within 80 columns with a seven-digit article count, and
/// in the summary line's units (decimal MB).
const RUNNING: &str = "{spinner} [{bar:16}] {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} ETA {eta} {msg}";
/// The bar once reading is done.
const PHASE: &str = "{spinner} [{bar:16}] {decimal_bytes} read, {msg}";

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

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
    /// Files skipped because they had not changed since they were indexed.
    pub unchanged: usize,
    /// Files whose articles were removed because the files are gone.
    pub removed: usize,
    /// Articles not stored because another file holds the same text.
    pub duplicates: usize,
}

/// What a run will do with the walked files, compared with the index.
#[derive(Debug, Default)]
pub struct Plan<'a> {
    /// Files not in the index yet.
    pub added: Vec<&'a SourceFile>,
    /// Files whose size or modification time changed.
    pub changed: Vec<&'a SourceFile>,
    /// Indexed files below the walked folders that are gone.
    pub removed: Vec<String>,
    /// Files indexed and unchanged.
    pub unchanged: usize,
}

impl<'a> Plan<'a> {
    /// Compares the walked `files` with the indexed `stamps`; files that vanished from
    /// below `roots` are removed when `delete` is set.
    pub fn new(
        files: &'a [SourceFile],
        roots: &[String],
        stamps: &HashMap<String, u64>,
        delete: bool,
    ) -> Plan<'a> {
        let mut plan = Plan::default();
        for file in files {
            match stamps.get(&file.key) {
                None => plan.added.push(file),
                Some(&stamp) if stamp != file.stamp => plan.changed.push(file),
                Some(_) => plan.unchanged += 1,
            }
        }
        if delete {
            let walked: HashSet<&str> = files.iter().map(|f| f.key.as_str()).collect();
            let below = |key: &str| {
                roots.iter().any(|r| {
                    key == r
                        || key
                            .strip_prefix(r.as_str())
                            .is_some_and(|rest| rest.starts_with('/'))
                })
            };
            plan.removed = stamps
                .keys()
                .filter(|k| !walked.contains(k.as_str()) && below(k))
                .cloned()
                .collect();
            plan.removed.sort();
        }
        plan
    }
}

/// `--dry-run`: one line per file to add, change or remove on stdout; counts on stderr.
pub fn print_plan(out: &mut impl Write, plan: &Plan<'_>, quiet: bool) -> io::Result<()> {
    for file in &plan.added {
        writeln!(
            out,
            "add\t{}",
            super::clean(&file.path.display().to_string())
        )?;
    }
    for file in &plan.changed {
        writeln!(
            out,
            "change\t{}",
            super::clean(&file.path.display().to_string())
        )?;
    }
    for key in &plan.removed {
        writeln!(out, "remove\t{}", super::clean(key))?;
    }
    out.flush()?;
    if !quiet {
        stderr_line(&format!(
            "would add {}, change {}, remove {}; {} unchanged",
            counted(plan.added.len(), "file"),
            plan.changed.len(),
            plan.removed.len(),
            plan.unchanged
        ));
    }
    Ok(())
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
            let bar =
                ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
            bar.set_style(style(RUNNING));
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

    /// Shows the running count next to the bar.
    pub fn counts(&self, tally: &Tally) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{} articles", tally.articles));
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

    /// Replaces the speed and ETA with a phase name, such as "committing", once the
    /// reading is done (a bar at 100% with "ETA 0s" looks frozen).
    pub fn phase(&self, text: &str) {
        if let Some(bar) = &self.bar {
            bar.set_style(style(PHASE));
            bar.set_message(format!("{}, {text}…", bar.message()));
        }
    }

    /// Removes the bar and says how far an interrupted run got.
    pub fn interrupted(self, articles: usize) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        stderr_line(&format!(
            "interrupted: {} committed; run the same command to continue",
            counted(articles, "article")
        ));
    }

    /// Removes the bar and prints the summary line.
    pub fn finish(self, tally: &Tally, elapsed: Duration) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        let nothing = tally.articles + tally.duplicates + tally.unchanged + tally.removed == 0;
        // Nothing at all is the error that follows, not a summary of zeros.
        if self.quiet || nothing {
            return;
        }
        let secs = elapsed.as_secs_f64().max(1e-6);
        let stdin = if tally.stdin { " and stdin" } else { "" };
        let mut line = format!(
            "indexed {} from {} new or changed {}{stdin} ({:.1} MB) in {:.2} s, {:.1} MB/s",
            counted(tally.articles, "article"),
            tally.files,
            plural(tally.files, "file"),
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
        for problem in [Problem::Recoded, Problem::Truncated, Problem::Flattened] {
            if let Some(n) = tally.problems.get(&problem) {
                line.push_str(&format!("; {n} {}", problem.label()));
            }
        }
        if tally.unchanged > 0 {
            line.push_str(&format!(
                "; {} unchanged {} skipped",
                tally.unchanged,
                plural(tally.unchanged, "file")
            ));
        }
        if tally.removed > 0 {
            line.push_str(&format!(
                "; {} vanished {} removed",
                tally.removed,
                plural(tally.removed, "file")
            ));
        }
        if tally.duplicates > 0 {
            line.push_str(&format!(
                "; {} stored once",
                counted(tally.duplicates, "exact duplicate")
            ));
        }
        if tally.unsupported > 0 {
            line.push_str(&format!(
                "; {} of other types ignored",
                counted(tally.unsupported, "file")
            ));
        }
        stderr_line(&line);
    }
}

/// `thing` (a noun, or a phrase ending in one), in the plural unless there is
/// one: `match` → `matches`, `query` → `queries`, `file` → `files`.
fn plural(n: usize, thing: &str) -> String {
    if n == 1 {
        return thing.to_string();
    }
    if ["s", "x", "ch", "sh"]
        .iter()
        .any(|end| thing.ends_with(end))
    {
        return format!("{thing}es");
    }
    match thing.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => format!("{stem}ies"),
        _ => format!("{thing}s"),
    }
}

/// `n thing(s)`.
pub fn counted(n: usize, thing: &str) -> String {
    format!("{n} {}", plural(n, thing))
}

/// Writes a line on stderr; a closed stderr is ignored rather than a panic.
fn stderr_line(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// A bar counting things done out of a known number (the queries of a batch).
pub struct CountBar {
    bar: Option<ProgressBar>,
}

impl CountBar {
    /// A bar over `total` `things`, shown only when `show`.
    pub fn new(show: bool, total: u64, things: &str) -> CountBar {
        let bar = show.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(style(&format!(
                "{{spinner}} [{{bar:16}}] {{pos}}/{{len}} {things} {{per_sec}} ETA {{eta}}"
            )));
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        CountBar { bar }
    }

    /// One more done (callable from any thread).
    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Prints an error line above the bar.
    pub fn error(&self, message: impl std::fmt::Display) {
        match &self.bar {
            Some(bar) => bar.suspend(|| diag::error(message)),
            None => diag::error(message),
        }
    }

    /// Prints a note line above the bar.
    pub fn note(&self, message: impl std::fmt::Display) {
        match &self.bar {
            Some(bar) => bar.suspend(|| diag::note(message)),
            None => diag::note(message),
        }
    }

    /// Removes the bar.
    pub fn finish(self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(counted(1, "segment"), "1 segment");
        assert_eq!(counted(0, "segment"), "0 segments");
        assert_eq!(counted(2, "match"), "2 matches");
        assert_eq!(counted(3, "query"), "3 queries");
        assert_eq!(counted(1, "query"), "1 query");
        assert_eq!(counted(2, "day"), "2 days");
        assert_eq!(counted(5, "matching article"), "5 matching articles");
        assert_eq!(counted(2, "box"), "2 boxes");
    }
}
