//! `news-search terms`: a table on a terminal, `term<TAB>in<TAB>out<TAB>score`
//! lines (after a header) when piped, `term` objects with `--json`.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::TrendsFormat;
use crate::search::terms::{Term, Terms};

/// One term as JSON: `{"term", "in", "out", "score"}`.
pub fn term_value(term: &Term) -> Value {
    json!({"term": term.term, "in": term.inside, "out": term.outside, "score": term.score})
}

/// What the terms share: the set's size, the background's, the sample's.
pub fn terms_summary(terms: &Terms) -> Value {
    json!({
        "matching": terms.matching,
        "background": terms.background,
        "sampled": terms.sampled,
        "measure": "jlh",
        "notes": terms.notes,
    })
}

/// Writes `terms` in `format`.
pub fn print_terms(out: &mut impl Write, terms: &Terms, format: TrendsFormat) -> io::Result<()> {
    match format {
        TrendsFormat::Json => {
            for term in &terms.terms {
                writeln!(out, "{}", json!({"type": "term", "data": term_value(term)}))?;
            }
            writeln!(
                out,
                "{}",
                json!({"type": "summary", "data": terms_summary(terms)})
            )?;
        }
        TrendsFormat::Tsv => {
            writeln!(out, "term\tin\tout\tscore")?;
            for t in &terms.terms {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{:.6}",
                    t.term, t.inside, t.outside, t.score
                )?;
            }
        }
        TrendsFormat::Chart => {
            let width = terms
                .terms
                .iter()
                .map(|t| t.term.chars().count())
                .max()
                .unwrap_or(4)
                .max(4);
            writeln!(
                out,
                "{:<width$}  {:>8}  {:>9}  {:>7}",
                "term", "in", "out", "score"
            )?;
            for t in &terms.terms {
                writeln!(
                    out,
                    "{:<width$}  {:>8}  {:>9}  {:>7.3}",
                    t.term, t.inside, t.outside, t.score
                )?;
            }
            let sample = if terms.sampled < terms.matching {
                format!(", candidates from the best {} of them", terms.sampled)
            } else {
                String::new()
            };
            writeln!(
                out,
                "{} matching articles against {} in the background{sample}; JLH score",
                terms.matching, terms.background
            )?;
        }
    }
    out.flush()
}
