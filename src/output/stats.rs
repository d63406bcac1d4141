//! `stats` output: aligned lines for people, one object with `--json`.

use std::io::{self, Write};

use serde_json::json;

use super::progress::counted;
use crate::article::format_date;
use crate::index::stats::Stats;

/// The `stats --json` object (also the web API's `/api/stats`).
pub fn stats_value(stats: &Stats) -> serde_json::Value {
    json!({
            "index": stats.index,
            "articles": stats.articles,
            "first_date": stats.first_date.as_ref().map(format_date),
            "last_date": stats.last_date.as_ref().map(format_date),
            "undated": stats.undated,
            "top_sources": stats.top_sources.iter().map(|(name, n)| json!({"source": name, "articles": n})).collect::<Vec<_>>(),
            "unsourced": stats.unsourced,
            "languages": stats.languages.iter().map(|(code, n)| json!({"lang": code, "articles": n})).collect::<Vec<_>>(),
            "size_bytes": stats.size_bytes,
            "segments": stats.segments,
    })
}

/// Prints index statistics.
pub fn print_stats(out: &mut impl Write, stats: &Stats, as_json: bool) -> io::Result<()> {
    if as_json {
        serde_json::to_writer(&mut *out, &stats_value(stats))?;
        writeln!(out)?;
        return out.flush();
    }
    let day = |d: &chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%d").to_string();
    writeln!(out, "index      {}", stats.index)?;
    if stats.articles == 0 {
        writeln!(
            out,
            "articles   0 (no articles yet: nothing committed to this index holds one; {})",
            counted(stats.segments, "segment")
        )?;
        if !stats.index.starts_with("quickwit+") {
            writeln!(out, "           add some with `news-search index PATH`")?;
        }
        return out.flush();
    }
    writeln!(out, "articles   {}", stats.articles)?;
    match (&stats.first_date, &stats.last_date) {
        (Some(first), Some(last)) => writeln!(
            out,
            "dates      {} to {} ({} undated)",
            day(first),
            day(last),
            stats.undated
        )?,
        _ => writeln!(out, "dates      none ({} undated)", stats.undated)?,
    }
    writeln!(
        out,
        "sources    {} without a source",
        counted(stats.unsourced as usize, "article")
    )?;
    for (name, count) in &stats.top_sources {
        writeln!(out, "  {count:>8}  {}", super::clean(name))?;
    }
    let languages: Vec<String> = stats
        .languages
        .iter()
        .map(|(code, n)| format!("{code} {n}"))
        .collect();
    writeln!(out, "languages  {}", languages.join(", "))?;
    writeln!(
        out,
        "size       {:.1} MB in {}",
        stats.size_bytes as f64 / 1e6,
        counted(stats.segments, "segment")
    )?;
    out.flush()
}
