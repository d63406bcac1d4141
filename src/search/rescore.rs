//! The proximity bonus as a rescoring: the matching set is ranked by its words'
//! own scores, and the bonus clauses are then scored on the best candidates only,
//! as Elasticsearch's rescore window does. Scores of the rescored candidates are
//! exactly what the bonus as clauses of the query would give; an article ranked
//! below the window keeps its own score.

use tantivy::query::{EnableScoring, Query, Scorer};
use tantivy::{DocAddress, DocSet, Searcher, SegmentOrdinal};

/// Candidates rescored at least (more when a page reaches deeper).
pub const DEPTH: usize = 200;

/// Adds to each of `top`'s scores what `bonus` scores its document, then orders
/// them again, best first (ties in index order, as the collector orders them).
pub fn rescore(
    searcher: &Searcher,
    bonus: &dyn Query,
    top: &mut [(f32, DocAddress)],
) -> tantivy::Result<()> {
    let weight = bonus.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut order: Vec<usize> = (0..top.len()).collect();
    order.sort_by_key(|&n| top[n].1);
    // The bonus's scorer of the segment being read, moving forward only.
    let mut current: Option<(SegmentOrdinal, Box<dyn Scorer>)> = None;
    for n in order {
        let address = top[n].1;
        let scorer = match &mut current {
            Some((segment, scorer)) if *segment == address.segment_ord => scorer,
            _ => {
                let reader = searcher.segment_reader(address.segment_ord);
                let scorer = weight.scorer(reader, 1.0)?;
                &mut current.insert((address.segment_ord, scorer)).1
            }
        };
        if scorer.doc() < address.doc_id {
            scorer.seek(address.doc_id);
        }
        if scorer.doc() == address.doc_id {
            top[n].0 += scorer.score();
        }
    }
    top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(())
}
