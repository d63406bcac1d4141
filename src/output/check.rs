//! The printer of `check`: one line per segment and a verdict, or one JSON object.

use super::progress::counted;
use std::io::{self, Write};

use serde_json::json;

use crate::index::check::{CheckReport, Repair};

/// Prints what `check` found.
pub fn print_check(out: &mut impl Write, report: &CheckReport, as_json: bool) -> io::Result<()> {
    if as_json {
        let segments: Vec<_> = report
            .segments
            .iter()
            .map(|s| {
                json!({"id": s.id, "max_doc": s.max_doc, "alive": s.alive, "problems": s.problems})
            })
            .collect();
        let damaged = report.damaged().count();
        writeln!(
            out,
            "{}",
            json!({"type": "check", "data": {"index": report.dir.display().to_string(),
                "segments": segments, "damaged": damaged, "bytes": report.bytes,
                "ok": damaged == 0}})
        )?;
        return out.flush();
    }
    for segment in &report.segments {
        let verdict = if segment.problems.is_empty() {
            "ok".to_string()
        } else {
            format!("DAMAGED: {}", segment.problems.join("; "))
        };
        writeln!(
            out,
            "segment {} ({}): {}",
            segment.id,
            counted(segment.alive as usize, "article"),
            super::clean(&verdict)
        )?;
    }
    let damaged: Vec<_> = report.damaged().collect();
    let articles: u64 = damaged.iter().map(|s| u64::from(s.alive)).sum();
    if damaged.is_empty() {
        writeln!(
            out,
            "{}, {:.1} MB verified: no damage found",
            counted(report.segments.len(), "segment"),
            report.bytes as f64 / 1e6
        )?;
    } else {
        writeln!(
            out,
            "{} of {} damaged, holding {}",
            damaged.len(),
            counted(report.segments.len(), "segment"),
            counted(articles as usize, "article")
        )?;
    }
    out.flush()
}

/// Prints what `check --repair` did.
pub fn print_repair(out: &mut impl Write, repair: &Repair, as_json: bool) -> io::Result<()> {
    if as_json {
        writeln!(
            out,
            "{}",
            json!({"type": "repair", "data": {"segments_dropped": repair.segments,
                "articles_dropped": repair.articles, "files_to_reread": repair.files,
                "reread_all": repair.files.is_none()}})
        )?;
        return out.flush();
    }
    let next = match &repair.files {
        Some(files) => format!(
            "the next `news-search index` run of the same folders reads their {} again",
            counted(files.len(), "file")
        ),
        None => "their files could not be listed, so the next `news-search index` run reads every file again".to_string(),
    };
    writeln!(
        out,
        "repaired: dropped {} with {}; {next}",
        counted(repair.segments, "damaged segment"),
        counted(repair.articles as usize, "article")
    )?;
    out.flush()
}
