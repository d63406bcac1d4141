//! Collapsing near-duplicates at query time: copies of one story (syndicated wire
//! text, re-sent messages, lightly edited versions) share MinHash bands computed at
//! index time (`index::fingerprint`). Ranked candidates are grouped by their first
//! member; the shown groups are then completed from the matching articles of
//! their days (a copy is published within three days of its story), and each is
//! led by its earliest publication.

use std::ops::RangeInclusive;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, ColumnIndex};
use tantivy::fastfield::AliveBitSet;
use tantivy::query::BitSetDocSet;
use tantivy::schema::IndexRecordOption;
use tantivy::{
    BitSet, DocAddress, DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED,
    Term,
};

use crate::index::fingerprint::{self, MIN_SHARED_BANDS};

/// Most copies looked up for one group.
pub const MAX_GROUP: usize = 1000;

/// Reads the fast fields that collapsing needs.
pub struct Columns {
    bands: Vec<Column<u64>>,
    dates: Vec<Column<i64>>,
}

impl Columns {
    /// The columns of every segment of `searcher`.
    pub fn open(searcher: &Searcher) -> tantivy::Result<Columns> {
        let mut bands = Vec::new();
        let mut dates = Vec::new();
        for segment in searcher.segment_readers() {
            bands.push(segment.fast_fields().u64("dup_bands")?);
            dates.push(segment.fast_fields().i64("date")?);
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
        self.dates[doc.segment_ord as usize].first(doc.doc_id)
    }
}

/// A story: the ranked articles that are copies of its first member. `D` says
/// where an article is (a document address here, a hit's place in a Quickwit answer).
#[derive(Debug, Clone)]
pub struct Group<D = DocAddress> {
    /// Members with their scores, best first; the first is the one that formed the group.
    pub members: Vec<(f32, D)>,
    bands: Vec<u64>,
    date: Option<i64>,
}

impl<D> Group<D> {
    /// The best score of the group.
    pub fn score(&self) -> f32 {
        self.members.first().map_or(0.0, |m| m.0)
    }
}

/// Copies of one story appear within this many seconds of each other (three days):
/// weekly figures or price notices from one template are different stories.
pub const MAX_SPREAD_SECS: i64 = 3 * 86_400;

/// Groups by band hash, to find an article's group without comparing it to all.
/// The groups of one band are a chain through `entries`: no allocation per band.
#[derive(Default)]
struct BandTable {
    // Band values are hashes already: a one-multiply hasher is enough.
    /// The newest entry of each band.
    by_band: rustc_hash::FxHashMap<u64, u32>,
    /// (group, the band's previous entry or `NONE`).
    entries: Vec<(usize, u32)>,
    /// Each group's publication time and sketch (none without bands).
    dates: Vec<Option<i64>>,
    sketches: Vec<Option<u64>>,
}

/// The end of a band's chain.
const NONE: u32 = u32::MAX;

impl BandTable {
    /// Adds the next group (`group` is its number); one without bands is never
    /// found.
    fn add(&mut self, group: usize, bands: &[u64], date: Option<i64>) {
        for &band in bands {
            let Ok(at) = u32::try_from(self.entries.len()) else {
                break;
            };
            let previous = self.by_band.insert(band, at).unwrap_or(NONE);
            self.entries.push((group, previous));
        }
        self.dates.push(date);
        self.sketches.push(fingerprint::sketch(bands));
    }

    /// Whether an article with this sketch and date can be a copy in some group
    /// (see [`fingerprint::may_be_near`]); an undated article is near every date.
    fn may_hold(&self, sketch: u64, date: Option<i64>) -> bool {
        let groups = self.sketches.iter().zip(&self.dates);
        groups
            .filter(|&(_, &at)| close_in_time(at, date))
            .any(|(group, _)| group.is_some_and(|g| fingerprint::may_be_near(g, sketch)))
    }

    /// The groups holding `band`, newest first.
    fn groups(&self, band: u64) -> impl Iterator<Item = usize> + '_ {
        let mut at = self.by_band.get(&band).copied().unwrap_or(NONE);
        std::iter::from_fn(move || {
            let &(group, previous) = self.entries.get(usize::try_from(at).ok()?)?;
            at = previous;
            Some(group)
        })
    }

    /// The first group that an article with these bands and date is a copy in.
    /// The date is read only when some group shares enough bands.
    fn find(
        &self,
        bands: impl Iterator<Item = u64>,
        date: impl FnOnce() -> Option<i64>,
    ) -> Option<usize> {
        let mut shared: Vec<(usize, usize)> = Vec::new();
        for band in bands {
            for group in self.groups(band) {
                match shared.iter_mut().find(|(g, _)| *g == group) {
                    Some((_, n)) => *n += 1,
                    None => shared.push((group, 1)),
                }
            }
        }
        shared.retain(|&(_, n)| n >= MIN_SHARED_BANDS);
        if shared.is_empty() {
            return None;
        }
        let date = date();
        shared
            .into_iter()
            .filter(|&(group, _)| close_in_time(self.dates[group], date))
            .map(|(group, _)| group)
            .min()
    }
}

fn close_in_time(a: Option<i64>, b: Option<i64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= MAX_SPREAD_SECS,
        _ => true,
    }
}

/// Groups ranked candidates: each joins the first earlier group whose first member
/// it nearly duplicates (published within [`MAX_SPREAD_SECS`]), else starts a group.
/// Groups keep the rank of their best member.
pub fn group(columns: &Columns, candidates: &[(f32, DocAddress)]) -> Vec<Group> {
    group_by(candidates, |doc| (columns.bands(doc), columns.date(doc)))
}

/// The first `wanted` groups of [`group`], reading no candidate after the one
/// that starts the last of them: a later candidate that is a copy in one of them
/// matched the query and is published near it, so [`complete`] finds it. (Each
/// band read is a page of the index; most candidates of a large index are never
/// shown.)
pub fn first_groups(
    columns: &Columns,
    candidates: &[(f32, DocAddress)],
    wanted: usize,
) -> Vec<Group> {
    let mut groups = Vec::new();
    let mut table = BandTable::default();
    for &(score, doc) in candidates {
        if groups.len() >= wanted {
            break;
        }
        join(
            &mut groups,
            &mut table,
            (score, doc),
            (columns.bands(doc), columns.date(doc)),
        );
    }
    groups
}

/// [`group`] for articles wherever they are: `read` gives an article's band hashes
/// and publication time.
pub fn group_by<D: Copy>(
    candidates: &[(f32, D)],
    read: impl Fn(D) -> (Vec<u64>, Option<i64>),
) -> Vec<Group<D>> {
    let mut groups: Vec<Group<D>> = Vec::new();
    let mut table = BandTable::default();
    for &(score, doc) in candidates {
        join(&mut groups, &mut table, (score, doc), read(doc));
    }
    groups
}

/// Adds a ranked candidate (with its bands and date) to the group it is a copy
/// in, or starts a group with it.
fn join<D>(
    groups: &mut Vec<Group<D>>,
    table: &mut BandTable,
    (score, doc): (f32, D),
    (bands, date): (Vec<u64>, Option<i64>),
) {
    match table.find(bands.iter().copied(), || date) {
        Some(n) => groups[n].members.push((score, doc)),
        None => {
            table.add(groups.len(), &bands, date);
            groups.push(Group {
                members: vec![(score, doc)],
                bands,
                date,
            });
        }
    }
}

/// Finds which of a page's groups an article is a copy in (to complete groups from
/// outside the ranked candidates).
pub struct Copies(BandTable);

impl Copies {
    /// The table of `groups`.
    pub fn of<D>(groups: &[Group<D>]) -> Copies {
        let mut table = BandTable::default();
        for (n, group) in groups.iter().enumerate() {
            table.add(n, &group.bands, group.date);
        }
        Copies(table)
    }

    /// Every band hash of the groups (what a copy must share some of).
    pub fn bands(&self) -> impl Iterator<Item = u64> + '_ {
        self.0.by_band.keys().copied()
    }

    /// The group an article with these bands and date is a copy in.
    pub fn find(&self, bands: &[u64], date: Option<i64>) -> Option<usize> {
        self.0.find(bands.iter().copied(), || date)
    }
}

/// The articles matching a query, segment by segment: collected in the ranking
/// pass, so that [`complete`] tells a match by a bit, not by seeking the query
/// (a seek in a union of words or a phrase costs more than the rest).
pub struct Matched(Vec<BitSet>);

/// Collects [`Matched`].
pub struct MatchedCollector;

/// [`MatchedCollector`] within one segment.
pub struct SegmentMatched(BitSet);

impl Collector for MatchedCollector {
    type Fruit = Matched;
    type Child = SegmentMatched;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentMatched> {
        Ok(SegmentMatched(BitSet::with_max_value(segment.max_doc())))
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<BitSet>) -> tantivy::Result<Matched> {
        // In segment order, as the searcher gives them.
        Ok(Matched(segments))
    }
}

impl SegmentCollector for SegmentMatched {
    type Fruit = BitSet;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.0.insert(doc);
    }

    fn harvest(self) -> BitSet {
        self.0
    }
}

/// Adds to each group the copies that matched the query (`matched`) but ranked
/// below the candidates. A copy is published within [`MAX_SPREAD_SECS`] of its
/// group's first member, or is undated: when every group is dated, only the
/// articles of those days (and the undated) are looked at, so the cost follows
/// the page, not the matching set. An undated group makes it one pass over the
/// matching set. Segments are read on the searcher's threads (a large index has
/// them).
pub fn complete(
    searcher: &Searcher,
    matched: &Matched,
    groups: &mut [Group],
) -> tantivy::Result<()> {
    let mut table = BandTable::default();
    for (n, group) in groups.iter().enumerate() {
        table.add(n, &group.bands, group.date);
    }
    if table.by_band.is_empty() {
        return Ok(());
    }
    let windows = windows(groups);
    let segments = searcher.segment_readers().iter().zip(&matched.0);
    let found = searcher.index().search_executor().map(
        |(ord, (segment, matching))| {
            let mut found = Vec::new();
            if matching.len() == 0 {
                return Ok(found);
            }
            let dates = segment.fast_fields().i64("date")?;
            let docs = match &windows {
                Some(windows) => within(segment, &dates, windows)?,
                None => None,
            };
            if docs.as_ref().is_some_and(Vec::is_empty) {
                // No article of those days here: no band is read.
                return Ok(found);
            }
            let copies = SegmentCopies {
                table: &table,
                sketches: segment.fast_fields().u64("dup_sketch")?,
                bands: segment.fast_fields().u64("dup_bands")?,
                dates,
                alive: segment.alive_bitset(),
            };
            let ord = ord as SegmentOrdinal;
            let mut keep =
                |(group, doc): (usize, DocId)| found.push((group, DocAddress::new(ord, doc)));
            match docs {
                Some(docs) => copies.among(matching, &docs, &mut keep),
                None => copies.all(matching, &mut keep),
            }
            Ok(found)
        },
        segments.enumerate(),
    )?;
    for (n, doc) in found.into_iter().flatten() {
        let group = &mut groups[n];
        if group.members.len() < MAX_GROUP && !group.members.iter().any(|m| m.1 == doc) {
            group.members.push((0.0, doc));
        }
    }
    Ok(())
}

/// The publication times a copy of a fingerprinted group can have, merged where
/// they overlap; `None` when such a group is undated (a copy can be of any time).
fn windows<D>(groups: &[Group<D>]) -> Option<Vec<RangeInclusive<i64>>> {
    let mut windows = groups
        .iter()
        .filter(|g| !g.bands.is_empty())
        .map(|g| {
            g.date
                .map(|d| d.saturating_sub(MAX_SPREAD_SECS)..=d.saturating_add(MAX_SPREAD_SECS))
        })
        .collect::<Option<Vec<_>>>()?;
    windows.sort_by_key(|w| *w.start());
    let mut merged: Vec<RangeInclusive<i64>> = Vec::with_capacity(windows.len());
    for window in windows {
        match merged.last_mut() {
            Some(last) if *window.start() <= last.end().saturating_add(1) => {
                *last = *last.start()..=*last.end().max(window.end());
            }
            _ => merged.push(window),
        }
    }
    Some(merged)
}

/// Finds, in one segment, the matching articles that are copies in a group.
struct SegmentCopies<'a> {
    table: &'a BandTable,
    /// Read first: an article whose sketch no group's is near has its bands
    /// left unread (in a fresh process each read is a page of the index mapped).
    sketches: Column<u64>,
    bands: Column<u64>,
    dates: Column<i64>,
    alive: Option<&'a AliveBitSet>,
}

/// An article with its publication time, when known.
type Dated = (DocId, Option<i64>);

/// The articles published within `windows` (looked up in the date field's
/// index) or undated, in order, with their publication times; `None` when they
/// are a large share of the segment.
fn within(
    segment: &SegmentReader,
    dates: &Column<i64>,
    windows: &[RangeInclusive<i64>],
) -> tantivy::Result<Option<Vec<Dated>>> {
    let max_doc = segment.max_doc();
    let dense = |docs: &Vec<Dated>| docs.len() as u64 * DENSE_WINDOWS > u64::from(max_doc);
    let field = segment.schema().get_field("date")?;
    let days = segment.inverted_index(field)?;
    let bytes = |at: i64| {
        Term::from_field_i64(field, at)
            .serialized_value_bytes()
            .to_vec()
    };
    let mut docs = Vec::new();
    for window in windows {
        let mut stream = days
            .terms()
            .range()
            .ge(bytes(*window.start()))
            .le(bytes(*window.end()))
            .into_stream()?;
        while stream.advance() {
            let date = <[u8; 8]>::try_from(stream.key())
                .ok()
                .map(|key| tantivy::u64_to_i64(u64::from_be_bytes(key)));
            let mut postings =
                days.read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                docs.push((doc, date));
                doc = postings.advance();
            }
            if dense(&docs) {
                return Ok(None);
            }
        }
    }
    match &dates.index {
        ColumnIndex::Full => {}
        ColumnIndex::Optional(dated) => {
            let mut next = 0;
            let undated = |docs: std::ops::Range<DocId>| docs.map(|doc| (doc, None));
            for doc in dated.iter_non_null_docs() {
                docs.extend(undated(next..doc));
                next = doc + 1;
            }
            docs.extend(undated(next..max_doc));
        }
        _ => return Ok(None),
    }
    if dense(&docs) {
        return Ok(None);
    }
    docs.sort_unstable_by_key(|&(doc, _)| doc);
    // An article listed under two times (a field given twice) is near any time.
    docs.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same && later.1 != kept.1 {
            kept.1 = None;
        }
        same
    });
    Ok(Some(docs))
}

/// Above this share of a segment's articles, the publication windows are no
/// narrower than the matching set: it is read in order instead.
const DENSE_WINDOWS: u64 = 8;

impl SegmentCopies<'_> {
    /// The group `doc` is a copy in, if it is a live copy; `date` is its
    /// publication time when known (`None` passes it near every group).
    fn copy(&self, doc: DocId, date: Option<i64>) -> Option<usize> {
        if self.alive.is_some_and(|alive| alive.is_deleted(doc)) {
            return None;
        }
        if !self.table.may_hold(self.sketches.first(doc)?, date) {
            return None;
        }
        let dates = &self.dates;
        self.table
            .find(self.bands.values_for_doc(doc), || dates.first(doc))
    }

    /// The copies among `docs` that are in `matching`.
    fn among(&self, matching: &BitSet, docs: &[Dated], keep: &mut impl FnMut((usize, DocId))) {
        for &(doc, date) in docs {
            if matching.contains(doc)
                && let Some(group) = self.copy(doc, date)
            {
                keep((group, doc));
            }
        }
    }

    /// The copies among every article in `matching`. Each article's date is read
    /// first: only the groups published near it are then compared, and few of
    /// those pass the sketch, so few articles' bands are read.
    fn all(&self, matching: &BitSet, keep: &mut impl FnMut((usize, DocId))) {
        let mut docs = BitSetDocSet::from(matching.clone());
        let mut doc = docs.doc();
        while doc != TERMINATED {
            if let Some(group) = self.copy(doc, self.dates.first(doc)) {
                keep((group, doc));
            }
            doc = docs.advance();
        }
    }
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

/// `groups` as if their first members were undated (for tests of the pass over
/// every match).
#[cfg(test)]
pub fn undated<D>(mut groups: Vec<Group<D>>) -> Vec<Group<D>> {
    for group in &mut groups {
        group.date = None;
    }
    groups
}
