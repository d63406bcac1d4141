//! Counting the whole matching set: articles per day, week, month or year
//! (`--timeline`) and per source (`--timeline source`, and the top sources of the
//! JSON summary). One pass over the matches' fast fields, no stored text read.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;

use chrono::{Datelike, Days, NaiveDate};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::stats::{add_by_name, largest_first};

/// The buckets of `--timeline`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Calendar days (`2024-07-04`).
    Day,
    /// ISO weeks (`2024-W27`).
    Week,
    /// Months (`2024-07`).
    Month,
    /// Years (`2024`).
    Year,
    /// Sources instead of time, largest first.
    Source,
    /// Days, weeks, months or years, whichever suits the span of the matches.
    Auto,
}

impl TimeUnit {
    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Day => "day",
            TimeUnit::Week => "week",
            TimeUnit::Month => "month",
            TimeUnit::Year => "year",
            TimeUnit::Source => "source",
            TimeUnit::Auto => "auto",
        }
    }
}

/// Matching articles per bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// How articles were bucketed.
    pub unit: TimeUnit,
    /// Buckets in order (time: oldest first, empty periods included; sources:
    /// largest first) with their article counts.
    pub buckets: Vec<(String, usize)>,
    /// Matching articles with no date (or, by source, no source).
    pub missing: usize,
}

/// A search's timeline, top sources and languages ([`Counts::report`]).
pub type Report = (Option<Timeline>, Vec<(String, usize)>, Vec<(String, usize)>);

/// Per-day and per-source counts of a matching set.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// Articles per day since 1970-01-01 (negative before).
    pub days: FxHashMap<i64, usize>,
    /// Articles without a date.
    pub undated: usize,
    /// Articles per source name.
    pub sources: HashMap<String, usize>,
    /// Articles without a source.
    pub unsourced: usize,
    /// Articles per detected language code.
    pub languages: HashMap<String, usize>,
}

/// Longest run of empty periods filled in between the first and last bucket.
const MAX_FILLED_BUCKETS: usize = 20_000;

impl Counts {
    /// The unit that draws the matches' span in a few dozen bars at most: days up
    /// to two months, weeks up to two years, months up to fifteen, else years.
    pub fn fitting_unit(&self) -> TimeUnit {
        let first = self.days.keys().min().copied().unwrap_or(0);
        let last = self.days.keys().max().copied().unwrap_or(0);
        match last.saturating_sub(first) {
            0..=62 => TimeUnit::Day,
            63..=730 => TimeUnit::Week,
            731..=5_479 => TimeUnit::Month,
            _ => TimeUnit::Year,
        }
    }

    /// What a search reports of its matching set: the timeline of `unit` (when
    /// asked), the `top` largest sources and, with them, every language; largest first.
    pub fn report(&self, unit: Option<TimeUnit>, top: usize) -> Report {
        let languages = if top > 0 {
            largest_first(self.languages.clone())
        } else {
            Vec::new()
        };
        (
            unit.map(|unit| self.timeline(unit)),
            self.top_sources(top),
            languages,
        )
    }

    /// The sources with the most matching articles, largest first.
    fn top_sources(&self, top: usize) -> Vec<(String, usize)> {
        let mut sources = largest_first(self.sources.clone());
        sources.truncate(top);
        sources
    }

    /// The counts as a timeline of `unit`.
    pub fn timeline(&self, unit: TimeUnit) -> Timeline {
        let unit = if unit == TimeUnit::Auto {
            self.fitting_unit()
        } else {
            unit
        };
        if unit == TimeUnit::Source {
            return Timeline {
                unit,
                buckets: self.top_sources(usize::MAX),
                missing: self.unsourced,
            };
        }
        let mut periods: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        for (&day, &count) in &self.days {
            if let Some(start) = period_start(day, unit) {
                *periods.entry(start).or_default() += count;
            }
        }
        let mut buckets = Vec::with_capacity(periods.len());
        let first = periods.keys().next().copied();
        let last = periods.keys().next_back().copied();
        if let (Some(first), Some(last)) = (first, last) {
            let mut at = first;
            let mut filled = 0usize;
            while at <= last && filled < MAX_FILLED_BUCKETS {
                buckets.push((label(at, unit), periods.get(&at).copied().unwrap_or(0)));
                filled += 1;
                match next_period(at, unit) {
                    Some(next) => at = next,
                    None => break,
                }
            }
            if at <= last {
                // Too long a span to fill: list the non-empty periods only.
                buckets = periods.iter().map(|(d, n)| (label(*d, unit), *n)).collect();
            }
        }
        Timeline {
            unit,
            buckets,
            missing: self.undated,
        }
    }
}

fn day_date(day: i64) -> Option<NaiveDate> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    if day >= 0 {
        epoch.checked_add_days(Days::new(day as u64))
    } else {
        epoch.checked_sub_days(Days::new(day.unsigned_abs()))
    }
}

fn period_start(day: i64, unit: TimeUnit) -> Option<NaiveDate> {
    let date = day_date(day)?;
    match unit {
        TimeUnit::Day | TimeUnit::Source | TimeUnit::Auto => Some(date),
        TimeUnit::Week => {
            date.checked_sub_days(Days::new(u64::from(date.weekday().num_days_from_monday())))
        }
        TimeUnit::Month => date.with_day(1),
        TimeUnit::Year => NaiveDate::from_ymd_opt(date.year(), 1, 1),
    }
}

fn next_period(start: NaiveDate, unit: TimeUnit) -> Option<NaiveDate> {
    match unit {
        TimeUnit::Day | TimeUnit::Source | TimeUnit::Auto => start.checked_add_days(Days::new(1)),
        TimeUnit::Week => start.checked_add_days(Days::new(7)),
        TimeUnit::Month => start.checked_add_months(chrono::Months::new(1)),
        TimeUnit::Year => NaiveDate::from_ymd_opt(start.year() + 1, 1, 1),
    }
}

fn label(start: NaiveDate, unit: TimeUnit) -> String {
    match unit {
        TimeUnit::Day | TimeUnit::Source | TimeUnit::Auto => start.format("%Y-%m-%d").to_string(),
        TimeUnit::Week => {
            let week = start.iso_week();
            format!("{}-W{:02}", week.year(), week.week())
        }
        TimeUnit::Month => start.format("%Y-%m").to_string(),
        TimeUnit::Year => start.format("%Y").to_string(),
    }
}

/// Collects [`Counts`] over every matching article: its sources and languages,
/// and its days when `days` (a timeline needs them; top sources do not).
pub struct CountsCollector {
    /// Count the days too.
    pub days: bool,
}

impl CountsCollector {
    /// Every count: days, sources and languages.
    pub const ALL: CountsCollector = CountsCollector { days: true };
}

/// [`CountsCollector`] within one segment. Counters are indexed by a column's
/// ordinal (sources, languages) or by day since the segment's first: an array
/// increment per article, no hashing.
pub struct SegmentCounts {
    days: Option<DayCounts>,
    sources: PerValue,
    unsourced: usize,
    languages: PerValue,
    /// Matches not counted yet: the columns are read a block at a time (one
    /// call into a column per block, not per article).
    pending: Vec<DocId>,
}

/// Matches counted together.
const BLOCK: usize = 64;

/// Articles per day: an array over the segment's span of days, a map for a span
/// too long for one (dates centuries apart); and the undated.
struct DayCounts {
    dates: Column<i64>,
    first: i64,
    dense: Vec<u32>,
    sparse: FxHashMap<i64, usize>,
    undated: usize,
}

/// Longest span of days counted in an array (about 270 years).
const MAX_DENSE_DAYS: i64 = 100_000;

impl DayCounts {
    fn new(dates: Column<i64>) -> DayCounts {
        let first = dates.min_value().div_euclid(86_400);
        let last = dates.max_value().div_euclid(86_400);
        let span = last.saturating_sub(first).saturating_add(1);
        let dense = if (1..=MAX_DENSE_DAYS).contains(&span) {
            vec![0; span as usize]
        } else {
            Vec::new()
        };
        DayCounts {
            dates,
            first,
            dense,
            sparse: FxHashMap::default(),
            undated: 0,
        }
    }

    fn add(&mut self, docs: &[DocId]) {
        let mut dates = [None; BLOCK];
        let dates = &mut dates[..docs.len()];
        self.dates.first_vals(docs, dates);
        for date in dates.iter() {
            let Some(date) = date else {
                self.undated += 1;
                continue;
            };
            let day = date.div_euclid(86_400);
            let slot = usize::try_from(day.wrapping_sub(self.first))
                .ok()
                .and_then(|at| self.dense.get_mut(at));
            match slot {
                Some(n) => *n += 1,
                None => *self.sparse.entry(day).or_default() += 1,
            }
        }
    }

    fn into_map(self) -> FxHashMap<i64, usize> {
        let mut days = self.sparse;
        for (at, &n) in self.dense.iter().enumerate() {
            if n > 0 {
                *days.entry(self.first + at as i64).or_default() += n as usize;
            }
        }
        days
    }
}

/// Articles per value of a string column (sources, languages), by ordinal.
struct PerValue {
    column: Option<StrColumn>,
    /// Every article has the segment's one value: nothing to read per article.
    one_value: bool,
    counts: Vec<u32>,
}

impl PerValue {
    fn new(column: Option<StrColumn>) -> PerValue {
        let one_value = column.as_ref().is_some_and(|c| {
            c.ords().get_cardinality() == Cardinality::Full && c.dictionary().num_terms() == 1
        });
        let counts = column
            .as_ref()
            .map_or_else(Vec::new, |c| vec![0; c.dictionary().num_terms()]);
        PerValue {
            column,
            one_value,
            counts,
        }
    }

    /// Counts `docs` (at most [`BLOCK`]) under their values; gives how many have none.
    fn add(&mut self, docs: &[DocId]) -> usize {
        let Some(column) = &self.column else {
            return docs.len();
        };
        if self.one_value {
            self.counts[0] += docs.len() as u32;
            return 0;
        }
        let mut ords = [None; BLOCK];
        let ords = &mut ords[..docs.len()];
        column.ords().first_vals(docs, ords);
        let mut none = 0;
        for ord in ords.iter() {
            match ord.and_then(|ord| self.counts.get_mut(ord as usize)) {
                Some(n) => *n += 1,
                None => none += 1,
            }
        }
        none
    }

    /// The counts by value name (a name that cannot be read, in a damaged column,
    /// is left out).
    fn by_name(self) -> HashMap<String, usize> {
        let mut named = HashMap::with_capacity(self.counts.len());
        if let Some(column) = &self.column {
            let nonzero = self.counts.iter().enumerate().filter(|&(_, &n)| n > 0);
            let counts = nonzero.map(|(ord, &n)| (ord as u64, n as usize));
            let _ = add_by_name(column, counts, &mut named);
        }
        named
    }
}

impl Collector for CountsCollector {
    type Fruit = Counts;
    type Child = SegmentCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentCounts> {
        let fast = segment.fast_fields();
        let days = if self.days {
            Some(DayCounts::new(fast.i64("date")?))
        } else {
            None
        };
        Ok(SegmentCounts {
            days,
            sources: PerValue::new(fast.str("source_exact")?),
            unsourced: 0,
            languages: PerValue::new(fast.str("lang")?),
            pending: Vec::with_capacity(BLOCK),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut all = Counts::default();
        for fruit in fruits {
            for (day, n) in fruit.days {
                *all.days.entry(day).or_default() += n;
            }
            for (source, n) in fruit.sources {
                *all.sources.entry(source).or_default() += n;
            }
            for (lang, n) in fruit.languages {
                *all.languages.entry(lang).or_default() += n;
            }
            all.undated += fruit.undated;
            all.unsourced += fruit.unsourced;
        }
        Ok(all)
    }
}

impl SegmentCounts {
    /// Counts the matches set aside, each column read once for all of them.
    fn count_pending(&mut self) {
        let docs = &self.pending;
        if docs.is_empty() {
            return;
        }
        if let Some(days) = self.days.as_mut() {
            days.add(docs);
        }
        self.unsourced += self.sources.add(docs);
        self.languages.add(docs);
        self.pending.clear();
    }
}

impl SegmentCollector for SegmentCounts {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.pending.push(doc);
        if self.pending.len() == BLOCK {
            self.count_pending();
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for block in docs.chunks(BLOCK) {
            self.count_pending();
            self.pending.extend_from_slice(block);
            self.count_pending();
        }
    }

    fn harvest(mut self) -> Counts {
        self.count_pending();
        let undated = self.days.as_ref().map_or(0, |d| d.undated);
        Counts {
            days: self.days.map(DayCounts::into_map).unwrap_or_default(),
            undated,
            sources: self.sources.by_name(),
            unsourced: self.unsourced,
            languages: self.languages.by_name(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> i64 {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        (NaiveDate::from_ymd_opt(y, m, d).unwrap() - epoch).num_days()
    }

    #[test]
    fn buckets_fill_gaps_and_label_periods() {
        let mut counts = Counts::default();
        counts.days.insert(day(2024, 7, 4), 2);
        counts.days.insert(day(2024, 9, 30), 1);
        counts.days.insert(day(1969, 12, 31), 1);
        counts.undated = 3;
        let months = counts.timeline(TimeUnit::Month);
        assert_eq!(months.buckets.first(), Some(&("1969-12".to_string(), 1)));
        assert_eq!(months.buckets.len(), 12 * 55 - 2);
        assert!(months.buckets.contains(&("2024-08".to_string(), 0)));
        assert_eq!(months.missing, 3);
        let years = counts.timeline(TimeUnit::Year);
        assert_eq!(years.buckets.last(), Some(&("2024".to_string(), 3)));
        let weeks = counts.timeline(TimeUnit::Week);
        assert!(weeks.buckets.contains(&("2024-W27".to_string(), 2)));
        counts.sources.insert("Wire".into(), 3);
        counts.sources.insert("Daily".into(), 5);
        counts.unsourced = 1;
        let by_source = counts.timeline(TimeUnit::Source);
        assert_eq!(by_source.buckets[0], ("Daily".to_string(), 5));
        assert_eq!(by_source.missing, 1);
    }
}
