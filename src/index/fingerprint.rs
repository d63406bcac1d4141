//! Near-duplicate fingerprints, computed at index time: a MinHash signature of the
//! body's three-word shingles (one-permutation hashing with densification, so each
//! shingle is hashed once), folded into [`BANDS`] band hashes. Two articles whose
//! shingle sets overlap by a Jaccard similarity `J` share each band with probability
//! `J³`; sharing at least [`MIN_SHARED_BANDS`] marks them as copies of one story
//! (about `J ≥ 0.6`: the same wire text with a changed headline, a trimmed ending, a
//! few edited words). Bands are indexed, so the copies of an article are found with
//! one term query.

use super::analyzer::name_terms;
use super::tokenizer::NewsTokenStream;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// Band hashes per article.
pub const BANDS: usize = 16;
/// MinHash values per band.
const ROWS: usize = 3;
/// Band hashes two articles must share to count as near-duplicates.
pub const MIN_SHARED_BANDS: usize = 4;
/// Words per shingle.
const SHINGLE: usize = 3;
/// Texts with fewer shingles than this get no fingerprint (a few words say too
/// little to call two articles copies of one story).
const MIN_SHINGLES: usize = 12;

/// The band hashes of a text; empty when it is shorter than `MIN_SHINGLES` shingles.
pub fn bands(text: &str) -> Vec<u64> {
    bands_and(text, |_| ())
}

/// [`bands`], calling `after_word` with the reading after each word of `text`:
/// the resume points of a body are placed in the same pass.
pub fn bands_and(text: &str, after_word: impl FnMut(&NewsTokenStream<'_>)) -> Vec<u64> {
    const SLOTS: usize = BANDS * ROWS;
    let mut words: Vec<u64> = Vec::new();
    name_terms(
        text,
        |word| words.push(xxh3_64(word.as_bytes())),
        after_word,
    );
    if words.len() < SHINGLE + MIN_SHINGLES - 1 {
        return Vec::new();
    }
    let mut slots = [u64::MAX; SLOTS];
    for window in words.windows(SHINGLE) {
        let mut bytes = [0u8; 8 * SHINGLE];
        for (chunk, word) in bytes.chunks_exact_mut(8).zip(window) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        let hash = xxh3_64_with_seed(&bytes, 0x5eed);
        let slot = (hash % SLOTS as u64) as usize;
        let value = hash / SLOTS as u64;
        slots[slot] = slots[slot].min(value);
    }
    densify(&mut slots);
    slots
        .chunks(ROWS)
        .enumerate()
        .map(|(band, rows)| {
            let mut bytes = [0u8; 8 * (ROWS + 1)];
            let values = std::iter::once(band as u64).chain(rows.iter().copied());
            for (chunk, value) in bytes.chunks_exact_mut(8).zip(values) {
                chunk.copy_from_slice(&value.to_le_bytes());
            }
            xxh3_64(&bytes)
        })
        .collect()
}

/// Fills each empty slot with the value of a filled slot chosen by hashing the
/// slot number (retrying until a filled one is drawn): the "optimal densification"
/// of one-permutation hashing, which keeps slots independent on short texts.
fn densify(slots: &mut [u64]) {
    let n = slots.len() as u64;
    if slots.iter().all(|&s| s == u64::MAX) {
        return;
    }
    let original = slots.to_vec();
    for (i, slot) in slots.iter_mut().enumerate() {
        if *slot != u64::MAX {
            continue;
        }
        let mut attempt = 0u64;
        loop {
            let donor = xxh3_64_with_seed(&(i as u64).to_le_bytes(), attempt) % n;
            if original[donor as usize] != u64::MAX {
                *slot = original[donor as usize];
                break;
            }
            attempt += 1;
        }
    }
}

/// How many band hashes two articles share.
pub fn shared(a: &[u64], b: &[u64]) -> usize {
    a.iter().filter(|x| b.contains(x)).count()
}

/// A summary of band hashes in one number: the low four bits of each band, band
/// by band; `None` without bands. Two articles sharing a band have the same four
/// bits in its place (a band's hash includes its number, so a shared hash is in the
/// same place in both), so near-duplicates always pass [`may_be_near`]: reading
/// eight bytes an article rules out most non-copies before their 128 bytes of bands.
pub fn sketch(bands: &[u64]) -> Option<u64> {
    if bands.is_empty() {
        return None;
    }
    let nibbles = bands.iter().take(BANDS).enumerate();
    Some(nibbles.fold(0, |sketch, (band, hash)| {
        sketch | (hash & 0xf) << (4 * band)
    }))
}

/// Whether articles with these sketches can share [`MIN_SHARED_BANDS`] bands: at
/// least that many places hold the same four bits. Two unrelated articles pass
/// about 1.5 times in a hundred.
pub fn may_be_near(a: u64, b: u64) -> bool {
    // A place whose four bits differ has a bit set in the difference: fold each
    // place's bits onto its lowest and count the places that differ.
    let mut differ = a ^ b;
    differ |= differ >> 1;
    differ |= differ >> 2;
    let differing = (differ & 0x1111_1111_1111_1111).count_ones() as usize;
    BANDS - differing >= MIN_SHARED_BANDS
}

/// Whether two articles' band hashes mark them as near-duplicates.
pub fn near_duplicates(a: &[u64], b: &[u64]) -> bool {
    !a.is_empty() && shared(a, b) >= MIN_SHARED_BANDS
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The United Nations industrial development agency and the city of Shanghai \
        opened a centre of excellence for artificial intelligence in manufacturing on Thursday. \
        The centre will train engineers from developing countries, run pilot projects with small \
        factories and publish guidance on the responsible use of machine learning on the shop floor. \
        Officials said the first courses start in September and that twelve countries have already \
        asked for places. The agency's director called it a bridge between research and industry.";

    #[test]
    fn small_edits_stay_near_and_other_stories_do_not() {
        let original = bands(STORY);
        assert_eq!(original.len(), BANDS);
        let edited = STORY
            .replace("on Thursday", "on Thursday, July 4")
            .replace("twelve", "12")
            .replace(
                " The agency's director called it a bridge between research and industry.",
                "",
            );
        let copy = bands(&edited);
        assert!(
            near_duplicates(&original, &copy),
            "shared {}",
            shared(&original, &copy)
        );
        let other = bands(
            "Wheat prices rose in Chicago on Thursday after dry weather in the plains cut \
             forecasts for the harvest, traders said, while corn and soybeans were little changed \
             and the dollar weakened against the yen in quiet trading before the holiday.",
        );
        assert!(
            !near_duplicates(&original, &other),
            "shared {}",
            shared(&original, &other)
        );
        assert!(bands("too short").is_empty());
        let a = bands(
            "The harbour bridge needs repairs; the harbour bridge is old and the council must pay for it this year.",
        );
        let b = bands(
            "The harbour bridge needs repairs soon, engineers said, and the work could close the road for a month.",
        );
        assert!(!near_duplicates(&a, &b), "shared {}", shared(&a, &b));
    }

    #[test]
    fn articles_sharing_enough_bands_always_pass_the_sketch_and_others_seldom() {
        assert_eq!(sketch(&[]), None);
        let original = bands(STORY);
        let copy = bands(&STORY.replace("twelve", "12"));
        let (a, b) = (sketch(&original).unwrap(), sketch(&copy).unwrap());
        assert!(may_be_near(a, b) && may_be_near(a, a));
        // Every way of sharing exactly four bands (all else different) passes;
        // three shared places in sixteen do not.
        let unrelated: Vec<u64> = original.iter().map(|h| h ^ 0x1111).collect();
        for mask in 0u32..1 << BANDS {
            let shared_places = mask.count_ones() as usize;
            if shared_places > MIN_SHARED_BANDS {
                continue;
            }
            let mixed: Vec<u64> = (0..BANDS)
                .map(|i| {
                    if mask >> i & 1 == 1 {
                        original[i]
                    } else {
                        unrelated[i]
                    }
                })
                .collect();
            assert_eq!(shared(&original, &mixed), shared_places);
            let passes = may_be_near(a, sketch(&mixed).unwrap());
            assert_eq!(
                passes,
                shared_places == MIN_SHARED_BANDS,
                "mask {mask:016b}"
            );
        }
        // Unrelated articles: about 1.5 pairs in a hundred pass (30 of 1,999 here).
        let sketches: Vec<u64> = (0..2_000u64)
            .map(|n| {
                let hashes: Vec<u64> = (0..BANDS as u64)
                    .map(|b| xxh3_64_with_seed(&n.to_le_bytes(), b))
                    .collect();
                sketch(&hashes).unwrap()
            })
            .collect();
        let passing = sketches
            .windows(2)
            .filter(|w| may_be_near(w[0], w[1]))
            .count();
        assert!(passing < 60, "{passing} of 1,999 unrelated pairs pass");
    }
}
