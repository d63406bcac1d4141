//! `news-search reuse`: each cluster as its spread, its passage and its
//! printings; `reuse` objects with `--json`.

use super::progress::counted;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::clean;
use crate::search::reuse::{Cluster, Reuse};

fn day(date: Option<chrono::DateTime<chrono::Utc>>) -> Option<String> {
    date.map(|d| d.format("%Y-%m-%d").to_string())
}

/// One cluster as JSON: `{"passage", "articles", "sources", "first", "last"}`.
pub fn cluster_value(cluster: &Cluster) -> Value {
    let dates: Vec<_> = cluster
        .printings
        .iter()
        .filter_map(|p| p.article.date)
        .collect();
    json!({
        "passage": cluster.passage,
        "articles": cluster.printings.iter().map(|p| json!({
            "id": p.article.id,
            "source": p.article.source_label(),
            "date": day(p.article.date),
            "title": p.article.title,
            "path": p.article.path,
            "start": p.start,
            "end": p.end,
        })).collect::<Vec<_>>(),
        "sources": cluster.sources,
        "first": day(dates.iter().min().copied()),
        "last": day(dates.iter().max().copied()),
    })
}

/// What the clusters share: the articles read and matched.
pub fn reuse_summary(reuse: &Reuse) -> Value {
    json!({
        "clusters": reuse.clusters.len(),
        "articles": reuse.articles,
        "matching": reuse.matching,
        "notes": reuse.notes,
    })
}

/// Writes `reuse` as text or JSON Lines.
pub fn print_reuse(out: &mut impl Write, reuse: &Reuse, as_json: bool) -> io::Result<()> {
    if as_json {
        for cluster in &reuse.clusters {
            writeln!(
                out,
                "{}",
                json!({"type": "reuse", "data": cluster_value(cluster)})
            )?;
        }
        writeln!(
            out,
            "{}",
            json!({"type": "summary", "data": reuse_summary(reuse)})
        )?;
        return out.flush();
    }
    for (n, cluster) in reuse.clusters.iter().enumerate() {
        let value = cluster_value(cluster);
        let span = match (value["first"].as_str(), value["last"].as_str()) {
            (Some(first), Some(last)) if first != last => format!(", {first} to {last}"),
            (Some(first), _) => format!(", {first}"),
            _ => String::new(),
        };
        writeln!(
            out,
            "{}. {} in {}{span}",
            n + 1,
            counted(cluster.printings.len(), "printing"),
            counted(cluster.sources, "source")
        )?;
        let passage: String = cluster.passage.chars().take(400).collect();
        let more = if cluster.passage.chars().count() > 400 {
            "…"
        } else {
            ""
        };
        writeln!(out, "   \"{}{more}\"", clean(&passage))?;
        for p in &cluster.printings {
            writeln!(
                out,
                "   {}  {}  {}  {}",
                day(p.article.date).unwrap_or_else(|| "undated   ".into()),
                clean(&p.article.source_label().unwrap_or_default()),
                clean(&p.article.title),
                p.article
                    .path
                    .as_deref()
                    .map(clean)
                    .unwrap_or_else(|| p.article.id.clone()),
            )?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "{} among {}",
        counted(reuse.clusters.len(), "cluster"),
        counted(reuse.articles, "article")
    )?;
    out.flush()
}
