//! `news-search eval`: run a file of queries against the index and score the
//! rankings against TREC relevance judgments (MAP, nDCG@10, P@10).

use std::fs;
use std::io::{BufWriter, Write};

use serde_json::json;

use crate::Outcome;
use crate::config::EvalConfig;
use crate::error::{Error, Result};
use crate::search::SearchRequest;
use crate::search::eval::{self, DEPTH, Scores};
use crate::store::Store;

/// Runs `eval`.
pub fn run(config: &EvalConfig) -> Result<Outcome> {
    let read = |path: &std::path::Path| fs::read_to_string(path).map_err(|e| Error::io(path, e));
    let queries = eval::parse_queries(&read(&config.queries)?)
        .map_err(|e| Error::Usage(format!("{}: {e}", config.queries.display())))?;
    let qrels = eval::parse_qrels(&read(&config.qrels)?)
        .map_err(|e| Error::Usage(format!("{}: {e}", config.qrels.display())))?;
    let store = Store::open(&config.location)?;
    let mut per_query = Vec::new();
    for (id, text) in &queries {
        let Some(judged) = qrels.get(id).filter(|j| j.values().any(|&g| g > 0)) else {
            continue;
        };
        // Judged queries are natural language: an upper-case AND, OR or NOT in them is a
        // word, not an operator (the query grammar's operators are upper-case only).
        // Every judged document counts: no collapsing of near-duplicates.
        let request = SearchRequest {
            limit: DEPTH,
            highlight: false,
            passages: 0,
            collapse: false,
            match_any: !config.all_words,
            synonyms: config.synonyms.clone(),
            ..SearchRequest::new(text.to_lowercase())
        };
        let ranking: Vec<String> = match store.search(&request) {
            Ok(results) => results.hits.into_iter().map(|h| h.id).collect(),
            Err(Error::Query(_)) => Vec::new(),
            Err(e) => return Err(e),
        };
        per_query.push((id.clone(), eval::score(&ranking, judged)));
    }
    if per_query.is_empty() {
        return Err(Error::Usage(
            "no query in the queries file has a relevant document in the qrels".into(),
        ));
    }
    let n = per_query.len() as f64;
    let mean = |f: fn(&Scores) -> f64| per_query.iter().map(|(_, s)| f(s)).sum::<f64>() / n;
    let (map, ndcg, p10) = (mean(|s| s.ap), mean(|s| s.ndcg10), mean(|s| s.p10));
    let mut out = BufWriter::new(std::io::stdout().lock());
    if config.json {
        let queries: Vec<_> = per_query
            .iter()
            .map(|(id, s)| json!({"query": id, "ap": s.ap, "ndcg@10": s.ndcg10, "p@10": s.p10}))
            .collect();
        let value = json!({"queries": per_query.len(), "map": map, "ndcg@10": ndcg, "p@10": p10, "per_query": queries});
        serde_json::to_writer(&mut out, &value).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        writeln!(out, "queries   {}", per_query.len())?;
        writeln!(out, "MAP       {map:.4}")?;
        writeln!(out, "nDCG@10   {ndcg:.4}")?;
        writeln!(out, "P@10      {p10:.4}")?;
    }
    out.flush()?;
    Ok(Outcome::Done)
}
