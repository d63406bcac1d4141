//! Ranking quality with the trec_eval definitions: average precision (over the top
//! 1000), P@10 and nDCG@10 with graded gains, averaged over every judged query
//! that has at least one relevant document (trec_eval's `-c` convention).

use std::collections::HashMap;

/// Relevance judgments: query id → document id → grade (> 0 is relevant).
pub type Qrels = HashMap<String, HashMap<String, u32>>;

/// How deep the ranking is read for average precision.
pub const DEPTH: usize = 1000;

/// Parses TREC qrels lines: `query iteration document grade`.
pub fn parse_qrels(text: &str) -> Result<Qrels, String> {
    let mut qrels = Qrels::new();
    for (n, line) in text.lines().enumerate() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.is_empty() {
            continue;
        }
        let [query, _, doc, grade] = parts[..] else {
            return Err(format!(
                "line {}: expected `query iteration document grade`",
                n + 1
            ));
        };
        let grade: i64 = grade
            .parse()
            .map_err(|_| format!("line {}: grade `{grade}` is not a number", n + 1))?;
        qrels
            .entry(query.to_string())
            .or_default()
            .insert(doc.to_string(), grade.max(0) as u32);
    }
    Ok(qrels)
}

/// Parses `id<TAB>query` lines.
pub fn parse_queries(text: &str) -> Result<Vec<(String, String)>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, line)| {
            line.split_once('\t')
                .map(|(id, q)| (id.trim().to_string(), q.trim().to_string()))
                .ok_or_else(|| format!("line {}: expected `id<TAB>query`", n + 1))
        })
        .collect()
}

/// Scores of one ranked list against its judgments.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    /// Average precision.
    pub ap: f64,
    /// Precision at 10.
    pub p10: f64,
    /// Normalised discounted cumulative gain at 10.
    pub ndcg10: f64,
}

/// Scores `ranking` (document ids, best first) against `judged`.
pub fn score(ranking: &[String], judged: &HashMap<String, u32>) -> Scores {
    let relevant = judged.values().filter(|&&g| g > 0).count();
    if relevant == 0 {
        return Scores::default();
    }
    let grade = |doc: &String| judged.get(doc).copied().unwrap_or(0);
    let (mut hits, mut precision_sum) = (0usize, 0.0);
    for (k, doc) in ranking.iter().take(DEPTH).enumerate() {
        if grade(doc) > 0 {
            hits += 1;
            precision_sum += hits as f64 / (k + 1) as f64;
        }
    }
    let p10 = ranking.iter().take(10).filter(|d| grade(d) > 0).count() as f64 / 10.0;
    let dcg = |gains: &mut dyn Iterator<Item = u32>| {
        gains
            .take(10)
            .enumerate()
            .map(|(i, g)| f64::from(g) / ((i + 2) as f64).log2())
            .sum::<f64>()
    };
    let mut ideal: Vec<u32> = judged.values().copied().filter(|&g| g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let ideal_dcg = dcg(&mut ideal.into_iter());
    let actual_dcg = dcg(&mut ranking.iter().map(grade));
    Scores {
        ap: precision_sum / relevant as f64,
        p10,
        ndcg10: if ideal_dcg > 0.0 {
            actual_dcg / ideal_dcg
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(pairs: &[(&str, u32)]) -> HashMap<String, u32> {
        pairs.iter().map(|(d, g)| (d.to_string(), *g)).collect()
    }

    fn ranked(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn trec_eval_definitions() {
        let j = judged(&[("a", 1), ("b", 1), ("z", 1)]);
        let s = score(&ranked(&["a", "x", "b", "y"]), &j);
        // AP = (1/1 + 2/3) / 3 relevant
        assert!((s.ap - (1.0 + 2.0 / 3.0) / 3.0).abs() < 1e-12);
        assert!((s.p10 - 0.2).abs() < 1e-12);
        let dcg = 1.0 + 1.0 / 4f64.log2();
        let ideal = 1.0 + 1.0 / 3f64.log2() + 1.0 / 4f64.log2();
        assert!((s.ndcg10 - dcg / ideal).abs() < 1e-12);
        let perfect = score(&ranked(&["a", "b", "z"]), &j);
        assert!((perfect.ap - 1.0).abs() < 1e-12 && (perfect.ndcg10 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn parses_files() {
        let q = parse_qrels("1 0 334 1\n1 0 363 0\n2 0 17 2\n").unwrap();
        assert_eq!(q["1"].len(), 2);
        assert_eq!(q["2"]["17"], 2);
        assert!(parse_qrels("1 0 x\n").is_err());
        let queries = parse_queries("1\tfirst query\n\n2\tsecond\n").unwrap();
        assert_eq!(
            queries,
            [
                ("1".to_string(), "first query".to_string()),
                ("2".to_string(), "second".to_string())
            ]
        );
        assert!(parse_queries("no tab").is_err());
    }
}
