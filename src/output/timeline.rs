//! `--timeline`: matching articles per bucket, as `bucket<TAB>count` lines when piped
//! or a compact bar chart on a terminal.

use std::io::{self, Write};

use super::{Printer, clean};
use crate::search::{Hit, SearchResults};

/// Widest bar, in cells.
const BAR_CELLS: usize = 40;
/// Eighths of a cell, for bars finer than a whole cell.
const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/// Timeline printer.
pub struct TimelinePrinter<W> {
    out: W,
    chart: bool,
    color: bool,
}

impl<W: Write> TimelinePrinter<W> {
    /// A printer writing to `out`; `chart` draws bars (for a terminal).
    pub fn new(out: W, chart: bool, color: bool) -> Self {
        TimelinePrinter { out, chart, color }
    }
}

/// A bar `count / max` of [`BAR_CELLS`] cells, in eighths.
fn bar(count: usize, max: usize) -> String {
    if count == 0 || max == 0 {
        return String::new();
    }
    let eighths = (count * BAR_CELLS * 8).div_ceil(max).max(1);
    let mut bar = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        bar.push(EIGHTHS[eighths % 8]);
    }
    bar
}

impl<W: Write> Printer for TimelinePrinter<W> {
    fn hit(&mut self, _: &Hit) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, results: &SearchResults) -> io::Result<()> {
        let Some(timeline) = &results.timeline else {
            return self.out.flush();
        };
        let missing_label = if timeline.unit.name() == "source" {
            "(no source)"
        } else {
            "(undated)"
        };
        let mut rows: Vec<(String, usize)> = timeline
            .buckets
            .iter()
            .map(|(k, n)| (clean(k), *n))
            .collect();
        if timeline.missing > 0 {
            rows.push((missing_label.to_string(), timeline.missing));
        }
        if !self.chart {
            for (key, count) in &rows {
                writeln!(self.out, "{key}\t{count}")?;
            }
            return self.out.flush();
        }
        let width = rows
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        let digits = rows
            .iter()
            .map(|(_, n)| n.to_string().len())
            .max()
            .unwrap_or(1);
        let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0);
        for (key, count) in &rows {
            let pad = width - key.chars().count();
            let bar = bar(*count, max);
            let bar = if self.color && !bar.is_empty() {
                format!("\x1b[36m{bar}\x1b[0m")
            } else {
                bar
            };
            writeln!(self.out, "{key}{} {count:>digits$} {bar}", " ".repeat(pad))?;
        }
        writeln!(self.out, "{} matching articles", results.total)?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest() {
        assert_eq!(bar(10, 10).chars().count(), BAR_CELLS);
        assert_eq!(bar(0, 10), "");
        assert_eq!(bar(1, 1000).chars().count(), 1);
        assert!(bar(5, 10).starts_with(&"█".repeat(20)));
    }
}
