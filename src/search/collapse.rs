//! Collapsing near-duplicates at query time: copies of one story (syndicated wire
//! text, re-sent messages, lightly edited versions) share MinHash bands computed at
//! index time (`index::fingerprint`). Ranked candidates are grouped by their first
//! member; each shown group is then completed from the whole matching set with one
//! term query on its bands, and led by its earliest publication.

use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, Occur, Query, TermSetQuery};
use tantivy::{DateTime as TantivyDate, DocAddress, Searcher, Term};

use crate::index::Fields;
use crate::index::fingerprint::near_duplicates;

/// Most copies looked up for one group.
pub const MAX_GROUP: usize = 1000;

/// Reads the fast fields that collapsing needs.
pub struct Columns {
    bands: Vec<Column<u64>>,
    dates: Vec<Column<TantivyDate>>,
}

impl Columns {
    /// The columns of every segment of `searcher`.
    pub fn open(searcher: &Searcher) -> tantivy::Result<Columns> {
        let mut bands = Vec::new();
        let mut dates = Vec::new();
        for segment in searcher.segment_readers() {
            bands.push(segment.fast_fields().u64("dup_bands")?);
            dates.push(segment.fast_fields().date("date")?);
        }
        Ok(Columns { bands, dates })
    }

    /// The band hashes of an article.
    pub fn bands(&self, doc: DocAddress) -> Vec<u64> {
        self.bands[doc.segment_ord as usize]
            .values_for_doc(doc.doc_id)
            .collect()
    }

    /// The publication time of an article, in seconds.
    pub fn date(&self, doc: DocAddress) -> Option<i64> {
        self.dates[doc.segment_ord as usize]
            .first(doc.doc_id)
            .map(|d| d.into_timestamp_secs())
    }
}

/// A story: the ranked articles that are copies of its first member.
#[derive(Debug, Clone)]
pub struct Group {
    /// Members with their scores, best first; the first is the one that formed the group.
    pub members: Vec<(f32, DocAddress)>,
    bands: Vec<u64>,
}

impl Group {
    /// The best score of the group.
    pub fn score(&self) -> f32 {
        self.members.first().map_or(0.0, |m| m.0)
    }
}

/// Groups ranked candidates: each joins the first earlier group whose first member
/// it nearly duplicates, else starts a group. Groups keep the rank of their best member.
pub fn group(columns: &Columns, candidates: &[(f32, DocAddress)]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for &(score, doc) in candidates {
        let bands = columns.bands(doc);
        match groups
            .iter_mut()
            .find(|g| near_duplicates(&g.bands, &bands))
        {
            Some(group) => group.members.push((score, doc)),
            None => groups.push(Group {
                members: vec![(score, doc)],
                bands,
            }),
        }
    }
    groups
}

/// Adds the group's copies that matched `query` but ranked below the candidates.
pub fn complete(
    searcher: &Searcher,
    fields: &Fields,
    columns: &Columns,
    query: &dyn Query,
    group: &mut Group,
) -> tantivy::Result<()> {
    if group.bands.is_empty() {
        return Ok(());
    }
    let terms = group
        .bands
        .iter()
        .map(|&b| Term::from_field_u64(fields.dup_bands, b));
    let copies = BooleanQuery::new(vec![
        (Occur::Must, query.box_clone()),
        (Occur::Must, Box::new(TermSetQuery::new(terms))),
    ]);
    let found = searcher.search(&copies, &TopDocs::with_limit(MAX_GROUP).order_by_score())?;
    for (score, doc) in found {
        if group.members.iter().any(|m| m.1 == doc) {
            continue;
        }
        if near_duplicates(&group.bands, &columns.bands(doc)) {
            group.members.push((score, doc));
        }
    }
    Ok(())
}

/// The member that leads a group: the earliest publication (undated last), the
/// best-ranked among equals.
pub fn leader(columns: &Columns, group: &Group) -> DocAddress {
    group
        .members
        .iter()
        .enumerate()
        .min_by_key(|(rank, (_, doc))| (columns.date(*doc).unwrap_or(i64::MAX), *rank))
        .map_or(group.members[0].1, |(_, (_, doc))| *doc)
}
