//! Which segments are merged: a large index is kept in segments of similar size,
//! so that a search spread over the cores (one segment per task) ends at about
//! the same time on each. Tantivy's log policy alone merges eight segments of a
//! level into one, so that most of a large index ends in one segment, searched
//! on one core while the others wait.

use std::collections::{HashMap, HashSet};

use tantivy::SegmentMeta;
use tantivy::index::SegmentId;
use tantivy::merge_policy::{LogMergePolicy, MergeCandidate, MergePolicy};

/// A large index is kept in this many to twice as many segments: each core of
/// two has two or more to search, and each segment opened costs a fresh process
/// time (4 segments of 3M articles answered faster than 8, or than 13).
const SEGMENTS: u64 = 4;

/// The largest segment is at least this large: an index of fewer than
/// [`SEGMENTS`] times as many articles is merged as by the log policy alone,
/// but for that bound.
const LEAST_LARGEST: u64 = 250_000;

/// More segments than this after the merges proposed, and the smallest of the
/// rest are merged too: the log policy leaves up to seven segments on each of its
/// levels (3M articles ended in 8, 12 or 16 segments by the timing of commits).
const MOST_SEGMENTS: usize = 2 * SEGMENTS as usize;

/// Tantivy's log policy among the segments smaller than half the largest size
/// (a quarter of the index, at least [`LEAST_LARGEST`]); each merge it proposes
/// is cut into merges of at most that size. Beyond [`MOST_SEGMENTS`], the
/// smallest left are merged into one, as few as bring the count down.
#[derive(Debug, Default)]
pub struct BalancedMerges;

impl MergePolicy for BalancedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let total: u64 = segments.iter().map(|s| u64::from(s.num_docs())).sum();
        let largest = (total / SEGMENTS).max(LEAST_LARGEST);
        let mut log = LogMergePolicy::default();
        // The log policy merges segments up to and including this size.
        log.set_max_docs_before_merge(usize::try_from(largest / 2 - 1).unwrap_or(usize::MAX));
        let docs: HashMap<SegmentId, u64> = segments
            .iter()
            .map(|s| (s.id(), u64::from(s.num_docs())))
            .collect();
        let size = |id: &SegmentId| docs.get(id).copied().unwrap_or(0);
        let mut merges = Vec::new();
        for MergeCandidate(mut ids) in log.compute_merge_candidates(segments) {
            ids.sort_by_key(|id| std::cmp::Reverse(size(id)));
            // Each segment is below half the largest size: any two fit together.
            let mut merge: Vec<SegmentId> = Vec::new();
            let mut sum = 0;
            for id in ids {
                if merge.len() >= 2 && sum + size(&id) > largest {
                    merges.push(MergeCandidate(std::mem::take(&mut merge)));
                    sum = 0;
                }
                sum += size(&id);
                merge.push(id);
            }
            if merge.len() >= 2 {
                merges.push(MergeCandidate(merge));
            }
        }
        let merging: HashSet<SegmentId> = merges.iter().flat_map(|m| m.0.clone()).collect();
        let mut rest: Vec<SegmentId> = docs
            .keys()
            .filter(|id| !merging.contains(id))
            .copied()
            .collect();
        let after = rest.len() + merges.len();
        if after > MOST_SEGMENTS {
            rest.sort_by_key(|id| (size(id), *id));
            let mut merge = Vec::new();
            let mut sum = 0;
            for id in rest.into_iter().take(after - MOST_SEGMENTS + 1) {
                if merge.len() >= 2 && sum + size(&id) > largest {
                    break;
                }
                sum += size(&id);
                merge.push(id);
            }
            if merge.len() >= 2 {
                merges.push(MergeCandidate(merge));
            }
        }
        merges
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The merges proposed for segments of these sizes, as lists of sizes.
    fn merges(sizes: &[u32]) -> Vec<Vec<u32>> {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        let segments: Vec<SegmentMeta> = sizes
            .iter()
            .map(|&n| index.new_segment_meta(SegmentId::generate_random(), n))
            .collect();
        let size = |id: &SegmentId| {
            segments
                .iter()
                .find(|s| s.id() == *id)
                .map_or(0, SegmentMeta::num_docs)
        };
        BalancedMerges
            .compute_merge_candidates(&segments)
            .into_iter()
            .map(|m| m.0.iter().map(size).collect())
            .collect()
    }

    #[test]
    fn a_small_index_merges_as_the_log_policy_has_it() {
        // Eight flushed segments of one level become one.
        assert_eq!(merges(&[20_000; 8]), [vec![20_000; 8]]);
        assert!(merges(&[20_000; 7]).is_empty());
    }

    #[test]
    fn beyond_eight_segments_the_smallest_are_merged() {
        // 3M articles as commits left them: the log policy has nothing to merge.
        let mut sizes = vec![
            8_668, 48_630, 89_979, 90_021, 94_396, 114_093, 255_702, 255_809,
        ];
        sizes.extend([510_000; 4]);
        // Twelve segments: the five smallest become one, eight remain.
        assert_eq!(
            merges(&sizes),
            [vec![8_668, 48_630, 89_979, 90_021, 94_396]]
        );
        assert!(merges(&sizes[4..]).is_empty());
        // The log policy's merge counts as one segment: with it, eight remain.
        let mut sizes = vec![20_000; 8];
        sizes.push(60_000);
        sizes.extend([600_000; 6]);
        assert_eq!(merges(&sizes), [vec![20_000; 8]]);
        // One more: the two smallest of the rest become one.
        sizes.push(600_000);
        let expected = [vec![20_000; 8], vec![60_000, 600_000]];
        assert_eq!(merges(&sizes), expected);
    }

    #[test]
    fn no_merge_makes_a_segment_larger_than_a_quarter_of_a_large_index() {
        // 3.2M articles: segments up to 800,000; eight of 200,000 make two merges.
        let mut sizes = vec![200_000; 8];
        sizes.extend([800_000; 2]);
        assert_eq!(merges(&sizes), [vec![200_000; 4], vec![200_000; 4]]);
        // Segments of half that size or more are left as they are.
        assert!(merges(&[800_000; 8]).is_empty());
    }
}
