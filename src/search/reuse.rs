//! `news-search reuse`: passages printed in more than one article, even inside
//! otherwise different articles, found despite OCR errors.
//!
//! Each article's words (lower-cased letters and digits) are cut into shingles
//! of five words; half of them, chosen by hash, are kept (the same half
//! in every article). Shingles found in two or more articles pair those
//! articles; along each pair the shared shingles are chained into runs with
//! gaps of at most 30 words (so a misread word or two breaks nothing),
//! and a run of at least `min_words` words is a shared passage. Passages that
//! overlap in one article are one passage, and shared passages link into
//! clusters. Written once over an [`Engine`]: the matching articles are read
//! through it, so it works the same on Quickwit.

use std::collections::HashMap;

use super::engine::{Engine, Job};
use super::filter::{Filters, SourceNames};
use super::{SearchRequest, SortOrder, query};
use crate::article::Article;
use crate::error::{Error, Result};

/// Words in a shingle.
const SHINGLE: usize = 5;
/// Most words between two shared shingles of one passage.
const GAP: u32 = 30;
/// A shingle in more articles than this is a formula ("the secretary of the
/// treasury"), not a passage: it pairs no articles.
const MAX_SHARING: usize = 200;
/// Most articles one run reads.
pub const MAX_ARTICLES: usize = 200_000;
/// Longest passage text given (characters).
const PASSAGE_CHARS: usize = 1_500;

/// What to look for.
#[derive(Debug, Clone)]
pub struct ReuseRequest {
    /// The articles to look in (`*`: all).
    pub query: String,
    /// Date window, sources, languages.
    pub filters: Filters,
    /// Match articles with any of the words.
    pub match_any: bool,
    /// Shortest passage, in words.
    pub min_words: usize,
    /// Most clusters given.
    pub limit: usize,
}

/// One printing of a passage.
#[derive(Debug, Clone, PartialEq)]
pub struct Printing {
    /// The article.
    pub article: Article,
    /// Where the passage lies in its body (character offsets).
    pub start: usize,
    /// End of the passage (exclusive).
    pub end: usize,
}

/// A passage and its printings, earliest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// The passage as its earliest printing has it.
    pub passage: String,
    /// Its printings, earliest first (undated last).
    pub printings: Vec<Printing>,
    /// Sources that printed it.
    pub sources: usize,
}

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Reuse {
    /// Clusters, most widely printed first.
    pub clusters: Vec<Cluster>,
    /// Articles read.
    pub articles: usize,
    /// Articles matching (more than were read when over [`MAX_ARTICLES`]).
    pub matching: usize,
    /// Notes on the query.
    pub notes: Vec<String>,
}

impl ReuseRequest {
    /// Refuses what cannot be looked for.
    pub fn check(&self, prefix: &str) -> Result<()> {
        if self.min_words < SHINGLE * 2 {
            return Err(Error::Usage(format!(
                "{prefix}min-words {}: passages are at least {} words",
                self.min_words,
                SHINGLE * 2
            )));
        }
        if self.limit == 0 {
            return Err(Error::Usage(format!("{prefix}limit: give at least 1")));
        }
        Ok(())
    }
}

/// An article's words: their character spans in the body, and their hashes.
struct Words {
    spans: Vec<(usize, usize)>,
    /// The words, lower-cased, as hashes (to extend a passage word by word).
    words: Vec<u64>,
    shingles: Vec<(u64, u32)>,
}

fn words(body: &str) -> Words {
    let mut spans = Vec::new();
    let mut normal: Vec<String> = Vec::new();
    let mut start = None;
    let mut current = String::new();
    let mut at = 0;
    for (i, c) in body.chars().enumerate() {
        at = i + 1;
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
            current.extend(c.to_lowercase());
        } else if let Some(s) = start.take() {
            spans.push((s, i));
            normal.push(std::mem::take(&mut current));
        }
    }
    if let Some(s) = start {
        spans.push((s, at));
        normal.push(current);
    }
    let words: Vec<u64> = normal
        .iter()
        .map(|w| xxhash_rust::xxh3::xxh3_64(w.as_bytes()))
        .collect();
    // A shingle's hash from its words' hashes: no string per shingle.
    let mut shingles = Vec::new();
    for (i, window) in words.windows(SHINGLE).enumerate() {
        let mut bytes = [0u8; 8 * SHINGLE];
        for (k, h) in window.iter().enumerate() {
            bytes[8 * k..8 * k + 8].copy_from_slice(&h.to_le_bytes());
        }
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        // The same half of the shingles in every article.
        if hash.is_multiple_of(2) {
            shingles.push((hash, i as u32));
        }
    }
    Words {
        spans,
        words,
        shingles,
    }
}

/// A passage shared by two articles: (article, first word, end word) twice.
type Shared = ((u32, u32, u32), (u32, u32, u32));

/// The passages each pair of articles shares.
fn shared_passages(all: &[Words], min_words: usize) -> Vec<Shared> {
    let mut entries: Vec<(u64, u32, u32)> = Vec::new();
    for (doc, w) in all.iter().enumerate() {
        entries.extend(w.shingles.iter().map(|&(h, pos)| (h, doc as u32, pos)));
    }
    entries.sort_unstable();
    // Pairs of articles along each shingle, chained (not every pair), so a
    // passage in many articles costs a line, not a square.
    let mut pairs: Vec<(u32, u32, u32, u32)> = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        let mut j = i;
        while j < entries.len() && entries[j].0 == entries[i].0 {
            j += 1;
        }
        let group = &entries[i..j];
        let mut docs: Vec<(u32, u32)> = group.iter().map(|&(_, d, p)| (d, p)).collect();
        docs.dedup_by_key(|(d, _)| *d);
        if docs.len() >= 2 && docs.len() <= MAX_SHARING {
            for w in docs.windows(2) {
                pairs.push((w[0].0, w[1].0, w[0].1, w[1].1));
            }
        }
        i = j;
    }
    drop(entries);
    pairs.sort_unstable();
    let mut out = Vec::new();
    let mut i = 0;
    while i < pairs.len() {
        let (a, b) = (pairs[i].0, pairs[i].1);
        let mut j = i;
        while j < pairs.len() && pairs[j].0 == a && pairs[j].1 == b {
            j += 1;
        }
        runs(&pairs[i..j], all, min_words, &mut out);
        i = j;
    }
    out
}

/// The runs of shared shingles along one pair of articles (sorted by the first
/// article's position) that are long enough, each widened word by word to where
/// the two texts stop agreeing (a kept shingle may start a few words in).
fn runs(pair: &[(u32, u32, u32, u32)], all: &[Words], min_words: usize, out: &mut Vec<Shared>) {
    let (a, b) = (pair[0].0, pair[0].1);
    let (wa, wb) = (&all[a as usize].words, &all[b as usize].words);
    let mut start = 0;
    for k in 1..=pair.len() {
        let breaks = k == pair.len() || {
            let (prev, next) = (pair[k - 1], pair[k]);
            next.2 - prev.2 > GAP || next.3.abs_diff(prev.3) > GAP
        };
        if !breaks {
            continue;
        }
        let run = &pair[start..k];
        start = k;
        let (first, last) = (run[0], run[run.len() - 1]);
        let (mut a_first, mut b_first) = (first.2 as usize, first.3 as usize);
        while a_first > 0 && b_first > 0 && wa[a_first - 1] == wb[b_first - 1] {
            a_first -= 1;
            b_first -= 1;
        }
        let (mut a_end, mut b_end) = (last.2 as usize + SHINGLE, last.3 as usize + SHINGLE);
        while a_end < wa.len() && b_end < wb.len() && wa[a_end] == wb[b_end] {
            a_end += 1;
            b_end += 1;
        }
        let length = a_end - a_first;
        // Long enough, and dense enough to be one text (a fifth of the shingles
        // kept by hash still found, despite misread words).
        if length >= min_words && run.len() * 10 >= length {
            let b_first = b_first.min(run.iter().map(|r| r.3 as usize).min().unwrap_or(0));
            out.push((
                (a, a_first as u32, a_end as u32),
                (b, b_first as u32, b_end as u32),
            ));
        }
    }
}

/// A set with union by root.
struct Sets(Vec<usize>);

impl Sets {
    fn find(&mut self, x: usize) -> usize {
        let mut root = x;
        while self.0[root] != root {
            root = self.0[root];
        }
        let mut at = x;
        while self.0[at] != root {
            let next = self.0[at];
            self.0[at] = root;
            at = next;
        }
        root
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// Clusters of passages: spans that overlap in one article are one node.
fn clusters(shared: &[Shared]) -> Vec<Vec<(u32, u32, u32)>> {
    // Every span, merged with those it overlaps in its article.
    let mut spans: Vec<(u32, u32, u32, usize)> = Vec::new();
    for (n, (x, y)) in shared.iter().enumerate() {
        spans.push((x.0, x.1, x.2, 2 * n));
        spans.push((y.0, y.1, y.2, 2 * n + 1));
    }
    spans.sort_unstable();
    let mut sets = Sets((0..spans.len()).collect());
    let mut k = 0;
    while k < spans.len() {
        let (doc, _, mut end, first) = spans[k];
        let mut m = k + 1;
        while m < spans.len() && spans[m].0 == doc && spans[m].1 < end {
            end = end.max(spans[m].2);
            sets.join(first, spans[m].3);
            m += 1;
        }
        k = m;
    }
    for n in 0..shared.len() {
        sets.join(2 * n, 2 * n + 1);
    }
    let mut groups: HashMap<usize, Vec<(u32, u32, u32)>> = HashMap::new();
    for &(doc, start, end, id) in &spans {
        groups
            .entry(sets.find(id))
            .or_default()
            .push((doc, start, end));
    }
    let mut clusters: Vec<Vec<(u32, u32, u32)>> = groups
        .into_values()
        .map(|mut spans| {
            // One span per article: the union of its spans in the cluster.
            spans.sort_unstable();
            let mut merged: Vec<(u32, u32, u32)> = Vec::new();
            for (doc, start, end) in spans {
                match merged.last_mut() {
                    Some(last) if last.0 == doc => {
                        last.1 = last.1.min(start);
                        last.2 = last.2.max(end);
                    }
                    _ => merged.push((doc, start, end)),
                }
            }
            merged
        })
        .filter(|c| c.len() >= 2)
        .collect();
    // The map gives them in no fixed order: in the order of their first article,
    // then of the passage's place in it, so that clusters that rank alike are
    // listed alike on every run.
    clusters.sort_unstable();
    clusters
}

impl Job for &ReuseRequest {
    type Output = Reuse;

    fn run<E: Engine>(self, engine: &E) -> Result<Reuse> {
        self.check("--")?;
        let names = if self.filters.sources.is_empty() {
            SourceNames::default()
        } else {
            engine.source_names()?
        };
        let analyses = super::engine::analyses(engine, &self.filters, None)?;
        let parsed = query::parse_read(&self.query, self.match_any, None, &analyses)?;
        // Read oldest first: the proximity bonus would change no order here.
        let (plan, mut notes) = self.filters.apply(&names, parsed.query);
        let (compiled, engine_notes) = engine.compile(&plan)?;
        notes.extend(parsed.notes);
        notes.extend(engine_notes);
        let request = SearchRequest {
            limit: MAX_ARTICLES,
            highlight: false,
            collapse: false,
            sort: SortOrder::Oldest,
            ..SearchRequest::new(self.query.clone())
        };
        let (matching, stories, _) = engine.rank(&compiled, &request)?;
        if matching > stories.len() {
            notes.push(format!(
                "{matching} articles match; the oldest {} were read (narrow with --since, --until or --source)",
                stories.len()
            ));
        }
        let articles: Vec<Article> = stories.into_iter().map(|s| s.lead).collect();
        let mut found = find(&articles, self.min_words, |_| true);
        found.sort_by(|a, b| {
            b.sources
                .cmp(&a.sources)
                .then(b.printings.len().cmp(&a.printings.len()))
                .then_with(|| {
                    a.printings[0]
                        .article
                        .date
                        .cmp(&b.printings[0].article.date)
                })
                .then_with(|| a.printings[0].article.id.cmp(&b.printings[0].article.id))
        });
        found.truncate(self.limit);
        Ok(Reuse {
            clusters: found,
            articles: articles.len(),
            matching,
            notes,
        })
    }
}

/// Phrases of an article looked up to find its reprints.
const PROBES: usize = 40;
/// Words in a probe phrase.
const PROBE_WORDS: usize = 6;
/// Most other articles read for one article's reprints.
const MAX_REPRINTS_READ: usize = 300;

/// The passages of one article printed elsewhere too ("this passage also
/// appeared in…"): its phrases, spread over its text, find the candidates (a
/// misread word spoils only the phrases it is in); the passages are then found
/// as [`ReuseRequest`] finds them, among the article and those candidates.
#[derive(Debug, Clone)]
pub struct ReprintsOf {
    /// The article.
    pub article: Article,
    /// Shortest passage, in words.
    pub min_words: usize,
}

impl Job for &ReprintsOf {
    type Output = Vec<Cluster>;

    fn run<E: Engine>(self, engine: &E) -> Result<Vec<Cluster>> {
        let normal: Vec<String> = self
            .article
            .body
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if normal.len() < self.min_words {
            return Ok(Vec::new());
        }
        let windows = normal.len() - PROBE_WORDS + 1;
        let step = (windows / PROBES).max(1);
        let probes: Vec<String> = (0..windows)
            .step_by(step)
            .take(PROBES)
            .map(|i| format!("\"{}\"", normal[i..i + PROBE_WORDS].join(" ")))
            .collect();
        let parsed = query::parse(&probes.join(" OR "), true)?;
        let query = super::plan::with_bonus(parsed.query, &parsed.proximity);
        let (plan, _) = Filters::default().apply(&SourceNames::default(), query);
        let (compiled, _) = engine.compile(&plan)?;
        let request = SearchRequest {
            limit: MAX_REPRINTS_READ,
            highlight: false,
            collapse: false,
            ..SearchRequest::new("*")
        };
        let (_, stories, _) = engine.rank(&compiled, &request)?;
        let mut articles = vec![self.article.clone()];
        articles.extend(
            stories
                .into_iter()
                .map(|s| s.lead)
                .filter(|a| a.id != self.article.id),
        );
        if articles.len() < 2 {
            return Ok(Vec::new());
        }
        // The article is the first: only its clusters.
        let mut found = find(&articles, self.min_words, |spans| {
            spans.iter().any(|s| s.0 == 0)
        });
        found.sort_by(|a, b| {
            b.sources
                .cmp(&a.sources)
                .then(b.printings.len().cmp(&a.printings.len()))
        });
        Ok(found)
    }
}

/// The clusters of passages among `articles` that `keep` keeps (given each
/// cluster's spans: article index, first word, end word).
fn find(
    articles: &[Article],
    min_words: usize,
    keep: impl Fn(&[(u32, u32, u32)]) -> bool,
) -> Vec<Cluster> {
    let all: Vec<Words> = articles.iter().map(|a| words(&a.body)).collect();
    let shared = shared_passages(&all, min_words);
    clusters(&shared)
        .into_iter()
        .filter(|spans| keep(spans))
        .map(|spans| cluster(articles, &all, spans))
        .collect()
}

/// A cluster's printings (earliest first) and its passage.
fn cluster(articles: &[Article], all: &[Words], spans: Vec<(u32, u32, u32)>) -> Cluster {
    let mut printings: Vec<Printing> = spans
        .into_iter()
        .map(|(doc, first, end)| {
            let words = &all[doc as usize].spans;
            let last = (end as usize).min(words.len()).saturating_sub(1);
            Printing {
                article: articles[doc as usize].clone(),
                start: words.get(first as usize).map_or(0, |w| w.0),
                end: words.get(last).map_or(0, |w| w.1),
            }
        })
        .collect();
    printings.sort_by(|a, b| match (a.article.date, b.article.date) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.article.id.cmp(&b.article.id)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.article.id.cmp(&b.article.id),
    });
    let first = &printings[0];
    let passage: String = first
        .article
        .body
        .chars()
        .skip(first.start)
        .take(first.end.saturating_sub(first.start))
        .collect();
    let mut passage = crate::article::clean_line(&passage);
    if passage.chars().count() > PASSAGE_CHARS {
        passage = passage.chars().take(PASSAGE_CHARS).collect::<String>() + "…";
    }
    let mut sources: Vec<String> = printings
        .iter()
        .filter_map(|p| p.article.source_label())
        .collect();
    sources.sort();
    sources.dedup();
    Cluster {
        passage,
        sources: sources.len(),
        printings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passage_with_misread_words_is_one_run() {
        let story = "the steamer arrived at the wharf this morning with a cargo of coffee from brazil and \
             the captain reported heavy seas off the cape for three days while two of the crew were \
             washed overboard and lost before the storm abated near the harbour light";
        let garbled = story
            .replace("captain", "cnptain")
            .replace("three", "tbree");
        let a = format!("Local news about the fair. {story}. Other items follow here.");
        let b = format!("Shipping. {garbled}. Prices of wheat were firm.");
        let c = "Nothing like it at all: the council met on Tuesday to discuss paving.".to_string();
        let all: Vec<Words> = [&a, &b, &c].iter().map(|t| words(t)).collect();
        let shared = shared_passages(&all, 20);
        let found = clusters(&shared);
        assert_eq!(found.len(), 1, "{shared:?}");
        assert_eq!(found[0].iter().map(|s| s.0).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn clusters_come_in_the_order_of_their_first_article_on_every_run() {
        // Eight passages, each shared by two articles: clusters of equal size,
        // which a map lists in an order of its own.
        let shared: Vec<Shared> = (0..8u32)
            .map(|n| {
                (
                    (n % 3, 100 * n, 100 * n + 40),
                    (3 + n % 2, 100 * n, 100 * n + 40),
                )
            })
            .collect();
        for _ in 0..20 {
            let found = clusters(&shared);
            assert_eq!(found.len(), 8);
            let firsts: Vec<(u32, u32)> = found.iter().map(|c| (c[0].0, c[0].1)).collect();
            let mut sorted = firsts.clone();
            sorted.sort_unstable();
            assert_eq!(firsts, sorted);
        }
    }
}
