//! `news-search trends`: one chart line per query and a table of periods on a
//! terminal; `query<TAB>period<TAB>matches<TAB>articles<TAB>share` lines (after
//! a header) when piped; `trend` objects with `--json`.

use super::progress::counted;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::clean;
use crate::search::trends::{Row, Trends, share};

/// How trends are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendsFormat {
    /// Chart lines and a table, for a person at a terminal.
    Chart,
    /// Tab-separated rows with a header, for pipelines.
    Tsv,
    /// JSON Lines.
    Json,
}

/// Widest chart line, in cells; longer series are drawn at their peaks.
const CHART_CELLS: usize = 60;
/// Heights of a chart cell.
const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Writes `trends` in `format`.
pub fn print_trends(out: &mut impl Write, trends: &Trends, format: TrendsFormat) -> io::Result<()> {
    match format {
        TrendsFormat::Json => {
            for row in trends.rows() {
                writeln!(out, "{}", json!({"type": "trend", "data": row_value(&row)}))?;
            }
            let summary = json!({"type": "summary", "data": summary_value(trends)});
            writeln!(out, "{summary}")?;
        }
        TrendsFormat::Tsv => {
            writeln!(out, "query\tperiod\tmatches\tarticles\tshare")?;
            for row in trends.rows() {
                let share = row.share.map(|s| format!("{s:.6}")).unwrap_or_default();
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{share}",
                    clean(row.query),
                    row.period,
                    row.matches,
                    row.articles,
                )?;
            }
        }
        TrendsFormat::Chart => chart(out, trends)?,
    }
    out.flush()
}

/// One row as JSON: `{"query", "period", "matches", "articles", "share"}`.
pub fn row_value(row: &Row<'_>) -> Value {
    json!({
        "query": row.query,
        "period": row.period,
        "matches": row.matches,
        "articles": row.articles,
        "share": row.share,
    })
}

/// What the rows share: the unit, the number of periods, the undated articles
/// and each query's total.
pub fn summary_value(trends: &Trends) -> Value {
    json!({
        "per": trends.unit.name(),
        "periods": trends.periods.len(),
        "undated": trends.undated,
        "queries": trends.trends.iter().map(|t| json!({
            "query": t.query, "matches": t.total, "undated": t.undated,
        })).collect::<Vec<_>>(),
        "notes": trends.notes,
    })
}

/// The terminal's view: a heading, one chart line per query, then the table.
fn chart(out: &mut impl Write, trends: &Trends) -> io::Result<()> {
    let all: usize = trends.articles.iter().sum();
    let first = trends.periods.first().map_or("", String::as_str);
    let last = trends.periods.last().map_or("", String::as_str);
    writeln!(
        out,
        "per {}, {first} to {last}: {}, {}",
        trends.unit.name(),
        counted(trends.periods.len(), "period"),
        counted(all, "dated article")
    )?;
    let names: Vec<String> = trends.trends.iter().map(|t| clean(&t.query)).collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    for (trend, name) in trends.trends.iter().zip(&names) {
        let shares: Vec<f64> = trend
            .matches
            .iter()
            .zip(&trends.articles)
            .map(|(&m, &a)| share(m, a))
            .collect();
        let dated: usize = trend.matches.iter().sum();
        let peak = shares
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(i, s)| format!(", peak {} ({})", trends.periods[i], percent(*s)))
            .filter(|_| dated > 0)
            .unwrap_or_default();
        writeln!(
            out,
            "  {name:<width$}  {}  {}, {} of articles{peak}",
            sparkline(&shares),
            counted(dated, "match"),
            percent(share(dated, all)),
        )?;
    }
    writeln!(out)?;
    let period_width = trends
        .periods
        .iter()
        .map(String::len)
        .max()
        .unwrap_or(6)
        .max(6);
    let columns: Vec<usize> = names.iter().map(|n| n.chars().count().max(14)).collect();
    write!(out, "{:<period_width$}  {:>9}", "period", "articles")?;
    for (name, w) in names.iter().zip(&columns) {
        write!(out, "  {name:>w$}")?;
    }
    writeln!(out)?;
    for (i, period) in trends.periods.iter().enumerate() {
        let articles = trends.articles[i];
        write!(out, "{period:<period_width$}  {articles:>9}")?;
        for (trend, w) in trends.trends.iter().zip(&columns) {
            let matches = trend.matches[i];
            let cell = if articles == 0 {
                "-".to_string()
            } else {
                format!("{matches} {:>6}", percent(share(matches, articles)))
            };
            write!(out, "  {cell:>w$}")?;
        }
        writeln!(out)?;
    }
    if trends.undated > 0 {
        writeln!(
            out,
            "{}",
            match trends.undated {
                1 => "1 article has no date and is in no period".to_string(),
                n => format!("{n} articles have no date and are in no period"),
            }
        )?;
    }
    Ok(())
}

/// `0.0123` → `1.2%`.
fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p > 0.0 && p < 0.1 {
        "<0.1%".to_string()
    } else {
        format!("{p:.1}%")
    }
}

/// One cell per period (at most [`CHART_CELLS`], each then the peak of its
/// periods), its height the share against the series' largest.
fn sparkline(shares: &[f64]) -> String {
    let cells = shares.len().min(CHART_CELLS);
    if cells == 0 {
        return String::new();
    }
    let per_cell = shares.len().div_ceil(cells);
    let peaks: Vec<f64> = shares
        .chunks(per_cell)
        .map(|c| c.iter().copied().fold(0.0, f64::max))
        .collect();
    let max = peaks.iter().copied().fold(0.0, f64::max);
    peaks
        .iter()
        .map(|&s| {
            if max == 0.0 || s == 0.0 {
                ' '
            } else {
                let level = ((s / max) * (LEVELS.len() - 1) as f64).round() as usize;
                LEVELS[level.min(LEVELS.len() - 1)]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_to_the_peak_and_leave_empty_periods_blank() {
        assert_eq!(sparkline(&[0.0, 0.5, 1.0]), " ▅█");
        assert_eq!(sparkline(&[0.1; 120]).chars().count(), CHART_CELLS);
        assert_eq!(percent(0.0004), "<0.1%");
        assert_eq!(percent(0.25), "25.0%");
    }
}
