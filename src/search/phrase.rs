//! A phrase whose words live in two fields: the topic words in the headline or
//! body field, the stop words in its stop-word twin (`index::stops`). Both fields
//! number the words of a text alike, so the phrase matches where every word sits
//! at its offset from one start position, whichever field holds it. Used as a
//! filter (it scores nothing): the topic words' own phrase gives the score.

use tantivy::postings::Postings;
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// Every term at its offset in the phrase; matches documents holding them all in
/// that arrangement.
#[derive(Clone, Debug)]
pub struct ExactPhraseQuery {
    terms: Vec<(u32, Term)>,
}

impl ExactPhraseQuery {
    /// A phrase of `(offset, term)` pairs, offsets relative to any origin.
    pub fn new(mut terms: Vec<(usize, Term)>) -> ExactPhraseQuery {
        let first = terms.iter().map(|(p, _)| *p).min().unwrap_or(0);
        terms.sort_by_key(|(p, _)| *p);
        ExactPhraseQuery {
            terms: terms
                .into_iter()
                .map(|(p, t)| ((p - first) as u32, t))
                .collect(),
        }
    }
}

impl Query for ExactPhraseQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExactPhraseWeight {
            terms: self.terms.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (_, term) in &self.terms {
            visitor(term, true);
        }
    }
}

struct ExactPhraseWeight {
    terms: Vec<(u32, Term)>,
}

impl Weight for ExactPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut postings = Vec::with_capacity(self.terms.len());
        for (offset, term) in &self.terms {
            let inverted = reader.inverted_index(term.field())?;
            match inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)? {
                Some(p) => postings.push((*offset, p)),
                None => return Ok(Box::new(EmptyScorer)),
            }
        }
        if postings.is_empty() {
            return Ok(Box::new(EmptyScorer));
        }
        // The rarest term leads the intersection.
        postings.sort_by_key(|(_, p)| p.doc_freq());
        let mut scorer = ExactPhraseScorer {
            postings,
            starts: Vec::new(),
            positions: Vec::new(),
            doc: 0,
        };
        scorer.doc = scorer.settle(scorer.postings[0].1.doc());
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) == doc {
            Ok(Explanation::new("exact phrase (a filter)", 0.0))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not hold the phrase"
            )))
        }
    }
}

struct ExactPhraseScorer {
    /// Each term's offset in the phrase and its postings, rarest first.
    postings: Vec<(u32, tantivy::postings::SegmentPostings)>,
    starts: Vec<u32>,
    positions: Vec<u32>,
    doc: DocId,
}

impl ExactPhraseScorer {
    /// The first document from `candidate` on that holds every term, in place.
    fn settle(&mut self, mut candidate: DocId) -> DocId {
        'search: while candidate != TERMINATED {
            for i in 0..self.postings.len() {
                let found = {
                    let postings = &mut self.postings[i].1;
                    if postings.doc() < candidate {
                        postings.seek(candidate)
                    } else {
                        postings.doc()
                    }
                };
                if found != candidate {
                    // Every list must reach the new candidate: start over from the lead.
                    candidate = self.postings[0].1.seek(found);
                    continue 'search;
                }
            }
            if self.in_place() {
                return candidate;
            }
            candidate = self.postings[0].1.advance();
        }
        TERMINATED
    }

    /// Whether the current document has the terms at their offsets from one start.
    fn in_place(&mut self) -> bool {
        let (offset, lead) = &mut self.postings[0];
        lead.positions(&mut self.starts);
        let offset = *offset;
        self.starts.retain(|&p| p >= offset);
        self.starts.iter_mut().for_each(|p| *p -= offset);
        for (offset, postings) in self.postings.iter_mut().skip(1) {
            postings.positions(&mut self.positions);
            let positions = &self.positions;
            self.starts
                .retain(|start| positions.binary_search(&(start + *offset)).is_ok());
            if self.starts.is_empty() {
                return false;
            }
        }
        !self.starts.is_empty()
    }
}

impl DocSet for ExactPhraseScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let next = self.postings[0].1.advance();
        self.doc = self.settle(next);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let next = self.postings[0].1.seek(target);
        self.doc = self.settle(next);
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.postings[0].1.size_hint()
    }
}

impl Scorer for ExactPhraseScorer {
    fn score(&mut self) -> Score {
        0.0
    }
}
