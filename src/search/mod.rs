//! From a query string to ranked hits. The steps (parse, filter, rank, count,
//! suggest, mark) are written once in [`engine`]; this file is the local index's
//! side of them: collect the top documents (by score, by date, or by score blended
//! with recency) and the total, group near-duplicates, count the timeline and
//! sources of the matching set, and load each shown hit.

pub mod batch;
mod chars;
pub mod collapse;
pub mod engine;
pub mod eval;
pub mod expand;
pub mod filter;
pub mod phrase;
pub mod plan;
pub mod query;
pub mod rescore;
pub mod reuse;
pub mod similar;
pub mod snippet;
pub mod suggest;
pub mod synonyms;
pub mod terms;
pub mod timeline;
pub mod trends;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tantivy::collector::{Count, TopDocs};
use tantivy::postings::Postings;
use tantivy::query::{BooleanQuery, Occur as TantivyOccur, Query};
use tantivy::schema::{Field, IndexRecordOption, TantivyDocument, Value};
use tantivy::{DocAddress, DocSet, Order, Searcher, SegmentReader, Term};

use crate::error::{Error, Result};
use crate::index::analysis::Analysis;
use crate::index::resume::ResumePoints;
use crate::index::{Fields, NewsIndex};
use collapse::Columns;
use engine::{Engine, Story, Weights};
use snippet::{Highlighter, Marks, Snippet};
use timeline::{CountsCollector, TimeUnit, Timeline};

/// What to search for and how much to return.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query in the documented syntax.
    pub query: String,
    /// Hits to return (0 = only count).
    pub limit: usize,
    /// Hits to skip first, for paging.
    pub offset: usize,
    /// Passage size in characters.
    pub snippet_chars: usize,
    /// Passages per hit (0: none).
    pub passages: usize,
    /// Load and highlight the hits (not needed for paths or counts).
    pub highlight: bool,
    /// Match articles with any of the words instead of all of them.
    pub match_any: bool,
    /// Date window and sources.
    pub filters: filter::Filters,
    /// Order of the hits.
    pub sort: SortOrder,
    /// Blend recency into relevance: an article this much older than the newest
    /// one gets half the recency bonus.
    pub recent: Option<Duration>,
    /// Group near-duplicates into one hit.
    pub collapse: bool,
    /// Count the matching articles per period or source.
    pub timeline: Option<TimeUnit>,
    /// List this many top sources of the matching set (0: none).
    pub top_sources: usize,
    /// Query words searched as any of their synonyms.
    pub synonyms: Option<std::sync::Arc<synonyms::Synonyms>>,
    /// Analyse the query in these languages only (`--query-lang`); else in those
    /// of `filters.langs`, else in every language the index holds.
    pub query_langs: Option<Vec<crate::index::analysis::Analysis>>,
}

/// Deepest a page may start (`--offset`, `offset=`), as Elasticsearch's
/// `max_result_window`: collectors keep every hit up to the page in memory, so a
/// deeper page is narrowed with dates or sources instead.
pub const MAX_OFFSET: usize = 100_000;

impl SearchRequest {
    /// Refuses a page deeper than [`MAX_OFFSET`]; `flag` names the offset as the
    /// user gave it (`--offset` or `offset`).
    pub fn check_offset(&self, flag: &str) -> Result<()> {
        if self.offset > MAX_OFFSET {
            return Err(Error::Usage(format!(
                "{flag} {}: pages start at most {MAX_OFFSET} hits in; narrow the query (since, until, source) to reach older hits",
                self.offset
            )));
        }
        Ok(())
    }

    /// Whether the matching set is counted: for a timeline or the top sources.
    pub fn wants_counts(&self) -> bool {
        self.timeline.is_some() || self.top_sources > 0
    }

    /// A request for `query` with the defaults of the command line.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            limit: 10,
            offset: 0,
            snippet_chars: 200,
            passages: 2,
            highlight: true,
            match_any: false,
            filters: filter::Filters::default(),
            sort: SortOrder::Relevance,
            recent: None,
            collapse: true,
            timeline: None,
            top_sources: 0,
            synonyms: None,
            query_langs: None,
        }
    }
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Best BM25 score first.
    #[default]
    Relevance,
    /// Latest publication first.
    Newest,
    /// Earliest publication first.
    Oldest,
}

/// Above this many requested hits, count first so the collector is sized to the matches.
const LARGE_LIMIT: usize = 1000;
/// Most candidates ranked when grouping near-duplicates.
const MAX_CANDIDATES: usize = 20_000;

/// One ranked article.
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank, counting the offset.
    pub rank: usize,
    /// BM25 score (with recency blended in under `--recent`; 0 when sorted by date).
    pub score: f32,
    /// Stable article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Publication time.
    pub date: Option<DateTime<Utc>>,
    /// Publisher.
    pub source: Option<String>,
    /// Place of publication.
    pub place: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Source file.
    pub path: Option<String>,
    /// Its canonical path, once indexed.
    pub key: Option<String>,
    /// Detected language code.
    pub lang: Option<String>,
    /// OCR confidence, 0 to 1, for OCR formats that give one.
    pub ocr_quality: Option<f32>,
    /// The printed pages and word positions, for formats that give them.
    pub scan: Option<crate::scan::Scan>,
    /// Matched words in the title, as character ranges.
    pub title_highlights: Vec<[usize; 2]>,
    /// Passages of the body.
    pub snippets: Vec<Snippet>,
    /// How many near-duplicates were collapsed into this hit.
    pub similar_count: usize,
    /// The first of them, earliest first.
    pub similar: Vec<Duplicate>,
    /// In `similar` output: this article is a near-duplicate of the one asked about.
    pub near_duplicate: bool,
}

impl Hit {
    /// Gives each passage its page and word boxes, when the article's are known.
    pub fn locate_snippets(&mut self) {
        if let Some(scan) = &self.scan {
            for snippet in &mut self.snippets {
                snippet.locate(scan);
            }
        }
    }

    /// A hit for a stored document, without highlights, passages or copies.
    pub fn new(rank: usize, score: f32, fields: &Fields, doc: &TantivyDocument) -> Hit {
        let lang = doc.get_first(fields.lang).and_then(|v| v.as_str());
        Hit::of(rank, score, fields.article(doc), lang.map(str::to_string))
    }

    /// A hit for an article, without highlights, passages or copies.
    pub fn of(
        rank: usize,
        score: f32,
        article: crate::article::Article,
        lang: Option<String>,
    ) -> Hit {
        Hit {
            rank,
            score,
            id: article.id,
            title: article.title,
            date: article.date,
            source: article.source,
            place: article.place,
            author: article.author,
            url: article.url,
            path: article.path,
            key: article.key,
            lang,
            ocr_quality: article.ocr_quality,
            scan: article.scan,
            title_highlights: Vec::new(),
            snippets: Vec::new(),
            similar_count: 0,
            similar: Vec::new(),
            near_duplicate: false,
        }
    }
}

/// A near-duplicate listed under the hit it was collapsed into.
#[derive(Debug, Clone)]
pub struct Duplicate {
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Publication time.
    pub date: Option<DateTime<Utc>>,
    /// Publisher.
    pub source: Option<String>,
    /// Source file.
    pub path: Option<String>,
}

impl From<crate::article::Article> for Duplicate {
    fn from(copy: crate::article::Article) -> Duplicate {
        Duplicate {
            id: copy.id,
            title: copy.title,
            date: copy.date,
            source: copy.source,
            path: copy.path,
        }
    }
}

/// The answer to a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// How many articles match in all.
    pub total: usize,
    /// Time spent searching, including snippets.
    pub elapsed: Duration,
    /// Remarks for the user (for example, a query read leniently).
    pub notes: Vec<String>,
    /// Matching articles per period or source, when asked for.
    pub timeline: Option<Timeline>,
    /// The largest sources of the matching set, when asked for.
    pub top_sources: Vec<(String, usize)>,
    /// The languages of the matching set (with the top sources), largest first.
    pub languages: Vec<(String, usize)>,
    /// A corrected query, when this one found nothing.
    pub suggestion: Option<String>,
    /// Where the next page starts, when there is one (stories when collapsed).
    pub next_offset: Option<usize>,
    /// The synonyms applied to the query.
    pub synonyms: Vec<synonyms::Expansion>,
}

impl SearchResults {
    /// Hits alone: no notes, counts or suggestion (related coverage).
    pub fn of_hits(hits: Vec<Hit>, total: usize, elapsed: Duration) -> SearchResults {
        SearchResults {
            hits,
            total,
            elapsed,
            notes: Vec::new(),
            timeline: None,
            top_sources: Vec::new(),
            languages: Vec::new(),
            suggestion: None,
            next_offset: None,
            synonyms: Vec::new(),
        }
    }
}

/// Runs a search on the index as it is now.
pub fn search(index: &NewsIndex, request: &SearchRequest) -> Result<SearchResults> {
    let reader = index
        .index
        .reader()
        .map_err(|e| Error::index(&index.dir, e))?;
    search_with(index, &reader.searcher(), request)
}

/// Runs a search with a searcher the caller keeps (a server reuses one reader).
pub fn search_with(
    index: &NewsIndex,
    searcher: &Searcher,
    request: &SearchRequest,
) -> Result<SearchResults> {
    run_with(index, searcher, request)
}

/// Runs a [`engine::Job`] on the local index, with a searcher the caller keeps.
pub fn run_with<J: engine::Job>(
    index: &NewsIndex,
    searcher: &Searcher,
    job: J,
) -> Result<J::Output> {
    crate::index::check::counts_agree(index, searcher)?;
    job.run(&Local { index, searcher })
}

/// The local index as an [`Engine`].
struct Local<'a> {
    index: &'a NewsIndex,
    searcher: &'a Searcher,
}

impl Local<'_> {
    fn fail(&self, e: tantivy::TantivyError) -> Error {
        Error::index(&self.index.dir, e)
    }

    /// [`Engine::rank`], with the counts collected in the same pass when `counts`
    /// is given.
    fn rank_counting(
        &self,
        query: &Compiled,
        request: &SearchRequest,
        counts: Option<&mut Option<timeline::Counts>>,
    ) -> Result<(usize, Vec<Story>, bool)> {
        let (total, page, more) = rank(self.index, self.searcher, (request, query), counts)?;

        // The page's articles are read from the store on the searcher's threads:
        // each is a block to decompress.
        let stories = self
            .searcher
            .index()
            .search_executor()
            .map(
                |shown| Ok(self.story(shown, engine::LISTED_COPIES)),
                page.into_iter(),
            )
            .map_err(|e| self.fail(e))?
            .into_iter()
            .collect::<Result<Vec<Story>>>()?;
        Ok((total, stories, more))
    }

    /// A shown story with its article and its first `listed` copies read from
    /// the store.
    fn story(&self, shown: Shown, listed: usize) -> Result<Story> {
        let doc = self.load(shown.lead)?;
        let fields = &self.index.fields;
        let lang = doc
            .get_first(fields.lang)
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let copies = shown.copies.iter().take(listed);
        Ok(Story {
            score: shown.score,
            lead: fields.article(&doc),
            lang,
            copy_count: shown.copies.len(),
            copies: copies
                .map(|&copy| Ok(fields.article(&self.load(copy)?)))
                .collect::<Result<_>>()?,
            address: Some(shown.lead),
            resume: fields.resume_points(&doc),
        })
    }

    /// The stored document at `address`.
    fn load(&self, address: DocAddress) -> Result<TantivyDocument> {
        self.searcher.doc(address).map_err(|e| self.fail(e))
    }
}

/// A query on the local index: what matches, and the bonus added to the scores
/// of its best candidates ([`rescore`]).
pub struct Compiled {
    matching: Box<dyn Query>,
    bonus: Option<Box<dyn Query>>,
}

impl Engine for Local<'_> {
    type Query = Compiled;

    fn source_names(&self) -> Result<filter::SourceNames> {
        Ok(filter::SourceNames::read(self.index, self.searcher))
    }

    fn languages(&self) -> Result<Vec<String>> {
        let fail = |e| Error::index(&self.index.dir, e);
        let mut codes = std::collections::BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let terms = segment
                .inverted_index(self.index.fields.lang)
                .map_err(fail)?;
            let mut stream = terms.terms().stream().map_err(|e| fail(e.into()))?;
            while stream.advance() {
                codes.insert(String::from_utf8_lossy(stream.key()).into_owned());
            }
        }
        Ok(codes.into_iter().collect())
    }

    fn compile(&self, plan: &plan::Plan) -> Result<(Compiled, Vec<String>)> {
        self.compile_ranked(plan, &[])
    }

    fn compile_ranked(
        &self,
        plan: &plan::Plan,
        bonus: &[plan::Plan],
    ) -> Result<(Compiled, Vec<String>)> {
        let bonus = if bonus.is_empty() {
            None
        } else {
            let clauses = bonus.iter().map(|b| (plan::Occur::Should, b.clone()));
            let either = plan::Plan::Bool(clauses.collect());
            Some(plan::to_tantivy(self.index, self.searcher, &either)?)
        };
        let matching = plan::to_tantivy(self.index, self.searcher, plan)?;
        Ok((Compiled { matching, bonus }, Vec::new()))
    }

    fn rank(&self, query: &Compiled, request: &SearchRequest) -> Result<(usize, Vec<Story>, bool)> {
        self.rank_counting(query, request, None)
    }

    fn rank_counted(&self, query: &Compiled, request: &SearchRequest) -> Result<engine::Counted> {
        let mut counts = None;
        let (total, page, more) = self.rank_counting(query, request, Some(&mut counts))?;
        Ok((total, page, more, counts))
    }

    fn counts(&self, query: &Compiled, _total: usize) -> Result<timeline::Counts> {
        self.searcher
            .search(query.matching.as_ref(), &CountsCollector::ALL)
            .map_err(|e| self.fail(e))
    }

    fn weights(&self, title: &Marks, body: &Marks) -> Result<(Weights, Weights)> {
        let fields = &self.index.fields;
        Ok((
            weighted(self.searcher, fields.title, title),
            weighted(self.searcher, fields.body, body),
        ))
    }

    fn suggest(&self, query: &str, words: &[(String, String)]) -> Result<Option<String>> {
        Ok(suggest::suggest(self.index, self.searcher, query, words)?.map(|found| found.query))
    }

    fn rank_like(&self, like: &similar::Like) -> Result<(usize, Vec<(Story, bool)>)> {
        similar::rank_like(self, like)
    }

    fn fuzzy_retry(&self) -> bool {
        true
    }

    fn positions(
        &self,
        story: &engine::Story,
        terms: &[String],
    ) -> Result<Option<Vec<(usize, String)>>> {
        let Some(address) = story.address else {
            return Ok(None);
        };
        let fail = |e: std::io::Error| Error::index(&self.index.dir, e);
        let segment = self.searcher.segment_reader(address.segment_ord);
        let body = segment
            .inverted_index(self.index.fields.body)
            .map_err(|e| self.fail(e))?;
        let mut at = Vec::new();
        let mut positions = Vec::new();
        for term in terms {
            let term_key = Term::from_field_text(self.index.fields.body, term);
            let Some(mut postings) = body
                .read_postings(&term_key, IndexRecordOption::WithFreqsAndPositions)
                .map_err(fail)?
            else {
                continue;
            };
            if postings.seek(address.doc_id) == address.doc_id {
                postings.positions(&mut positions);
                at.extend(positions.iter().map(|&p| (p as usize, term.clone())));
            }
        }
        at.sort_unstable();
        Ok(Some(at))
    }
}

/// Marks the query's words in hits: headline highlights and body passages, with the
/// same highlighter wherever the articles live.
pub struct Marker {
    marks: (Marks, Marks),
    weights: (HashMap<String, f32>, HashMap<String, f32>),
    /// Headline and body highlighters per analysis, made when a hit needs one.
    made: HashMap<Analysis, (Highlighter, Highlighter)>,
}

impl Marker {
    /// A marker for `parsed`; `weights` gives the query's exact terms an IDF-like
    /// weight per field, so rare words steer the passages.
    pub fn new(
        (title_marks, body_marks): (&Marks, &Marks),
        weights: impl Fn(&Marks, plan::TextField) -> HashMap<String, f32>,
    ) -> Marker {
        Marker {
            weights: (
                weights(title_marks, plan::TextField::Title),
                weights(body_marks, plan::TextField::Body),
            ),
            marks: (title_marks.clone(), body_marks.clone()),
            made: HashMap::new(),
        }
    }

    /// The terms whose positions in a body of language `lang` let [`Marker::mark`]
    /// find its passages without analysing it (see [`Highlighter::position_terms`]).
    pub fn position_terms(&mut self, lang: Option<&str>) -> Option<Vec<String>> {
        let analysis = Analysis::of(lang.unwrap_or_default());
        self.highlighters(analysis).1.position_terms()
    }

    /// Fills in `hit`'s headline highlights and its passages of `body`, read in
    /// the hit's language; `at` holds where the terms of [`Marker::position_terms`]
    /// stand in `body`, when the index keeps positions, with where reading the
    /// body can resume.
    pub fn mark(
        &mut self,
        hit: &mut Hit,
        body: &str,
        at: Option<(&[(usize, String)], &ResumePoints)>,
        request: &SearchRequest,
    ) {
        let analysis = Analysis::of(hit.lang.as_deref().unwrap_or_default());
        let (title, body_marker) = self.highlighters(analysis);
        hit.title_highlights = title.highlight(&hit.title);
        hit.snippets = match at {
            Some((at, resume)) => {
                body_marker.snippets_at((body, resume), at, request.snippet_chars, request.passages)
            }
            None => body_marker.snippets(body, request.snippet_chars, request.passages),
        };
        hit.locate_snippets();
    }

    /// The headline and body highlighters of `analysis`.
    fn highlighters(&mut self, analysis: Analysis) -> &mut (Highlighter, Highlighter) {
        let (marks, weights) = (&self.marks, &self.weights);
        // Every word, stop words too: a quoted phrase is marked with its little words.
        self.made.entry(analysis).or_insert_with(|| {
            let highlighter = |marks: &Marks, weights: &HashMap<String, f32>| {
                Highlighter::new(analysis, marks.clone(), weights.clone())
            };
            (
                highlighter(&marks.0, &weights.0),
                highlighter(&marks.1, &weights.1),
            )
        })
    }
}

/// One hit of the page before its stored fields are read.
struct Shown {
    score: f32,
    lead: DocAddress,
    /// Near-duplicates collapsed into it, earliest first.
    copies: Vec<DocAddress>,
}

/// The total, the requested page (collapsed into stories when asked) and whether
/// a page follows it; the matching set's counts too, in the same pass, when
/// `counts` is given.
fn rank(
    index: &NewsIndex,
    searcher: &Searcher,
    (request, compiled): (&SearchRequest, &Compiled),
    mut counts: Option<&mut Option<timeline::Counts>>,
) -> Result<(usize, Vec<Shown>, bool)> {
    let fail = |e: tantivy::TantivyError| Error::index(&index.dir, e);
    let query = compiled.matching.as_ref();
    // One story past the page tells whether a next page exists.
    let wanted = request
        .offset
        .saturating_add(request.limit)
        .saturating_add(1);
    if request.limit == 0 {
        let total = searcher.search(query, &Count).map_err(fail)?;
        return Ok((total, Vec::new(), false));
    }
    if !request.collapse {
        let mut limit = request.limit;
        if limit > LARGE_LIMIT {
            let total = searcher.search(query, &Count).map_err(fail)?;
            limit = limit.min(total.saturating_sub(request.offset)).max(1);
        }
        let (total, top) = top_docs(
            index,
            searcher,
            (request, compiled),
            limit,
            request.offset,
            (&mut counts, None),
        )?;
        let page = top
            .into_iter()
            .map(|(score, lead)| Shown {
                score,
                lead,
                copies: Vec::new(),
            })
            .collect::<Vec<_>>();
        let more = request.offset.saturating_add(page.len()) < total && !page.is_empty();
        return Ok((total, page, more));
    }
    let columns = Columns::open(searcher).map_err(fail)?;
    let mut candidates = wanted.saturating_mul(4).clamp(200, MAX_CANDIDATES);
    let mut matched = None;
    let (total, mut groups) = loop {
        let (total, top) = top_docs(
            index,
            searcher,
            (request, compiled),
            candidates,
            0,
            (&mut counts, Some(&mut matched)),
        )?;
        let groups = collapse::first_groups(&columns, &top, wanted);
        if groups.len() >= wanted || top.len() < candidates || candidates >= MAX_CANDIDATES {
            break (total, groups);
        }
        candidates = candidates.saturating_mul(4).min(MAX_CANDIDATES);
    };
    let mut claimed: HashSet<DocAddress> = groups
        .iter()
        .flat_map(|g| g.members.iter().map(|m| m.1))
        .collect();
    let from = request.offset.min(groups.len());
    let to = from.saturating_add(request.limit).min(groups.len());
    let more = groups.len() > to;
    let shown = &mut groups[from..to];
    let before: Vec<usize> = shown.iter().map(|g| g.members.len()).collect();
    let matched = match matched {
        Some(matched) => matched,
        None => searcher
            .search(query, &collapse::MatchedCollector)
            .map_err(fail)?,
    };
    collapse::complete(searcher, &matched, shown).map_err(fail)?;
    let page = page_of(&columns, shown, &before, &mut claimed);
    Ok((total, page, more))
}

/// The shown groups, completed, as the page: each led by its earliest
/// publication, its copies by date. A copy completion found that an earlier group
/// (or a ranked one) already `claimed` stays there; `before` is each group's size
/// before completion.
fn page_of(
    columns: &collapse::Columns,
    shown: &mut [collapse::Group<DocAddress>],
    before: &[usize],
    claimed: &mut HashSet<DocAddress>,
) -> Vec<Shown> {
    let mut page = Vec::with_capacity(shown.len());
    for (group, &known) in shown.iter_mut().zip(before) {
        let mut kept = group.members[..known].to_vec();
        kept.extend(
            group.members[known..]
                .iter()
                .filter(|m| claimed.insert(m.1)),
        );
        group.members = kept;
        let lead = collapse::leader(columns, group);
        let mut copies: Vec<DocAddress> = group
            .members
            .iter()
            .map(|m| m.1)
            .filter(|&d| d != lead)
            .collect();
        copies.sort_by_key(|&d| columns.date(d).unwrap_or(i64::MAX));
        page.push(Shown {
            score: group.score(),
            lead,
            copies,
        });
    }
    page
}

/// The total and `limit` hits from `offset` in the requested order. By relevance,
/// the bonus is added to the best [`rescore::DEPTH`] candidates (or as many as
/// the page reaches) before the page is cut; a recency blend takes it as clauses
/// (the blend multiplies the whole score); by date, it plays no part.
fn top_docs(
    index: &NewsIndex,
    searcher: &Searcher,
    (request, compiled): (&SearchRequest, &Compiled),
    limit: usize,
    offset: usize,
    (counts, matched): (
        &mut Option<&mut Option<timeline::Counts>>,
        Option<&mut Option<collapse::Matched>>,
    ),
) -> Result<(usize, Vec<(f32, DocAddress)>)> {
    let fail = |e: tantivy::TantivyError| Error::index(&index.dir, e);
    let query = compiled.matching.as_ref();
    let timeline = request.timeline.is_some();
    Ok(match (request.sort, request.recent, &compiled.bonus) {
        (SortOrder::Relevance, None, None) => {
            // The collector sets aside room for offset + limit hits up front:
            // never more than the index holds.
            let (offset, limit) = within(searcher, offset, limit);
            let top = TopDocs::with_limit(limit).and_offset(offset);
            counted(
                searcher,
                (query, timeline),
                top.order_by_score(),
                counts,
                matched,
            )
            .map_err(fail)?
        }
        (SortOrder::Relevance, None, Some(bonus)) => {
            let depth = offset.saturating_add(limit).max(rescore::DEPTH);
            let (_, depth) = within(searcher, 0, depth);
            let top = TopDocs::with_limit(depth).order_by_score();
            let (total, mut top) =
                counted(searcher, (query, timeline), top, counts, matched).map_err(fail)?;
            rescore::rescore(searcher, bonus.as_ref(), &mut top).map_err(fail)?;
            let page = top.into_iter().skip(offset).take(limit).collect();
            (total, page)
        }
        (SortOrder::Relevance, Some(half_life), bonus) => {
            let (offset, limit) = within(searcher, offset, limit);
            let top = TopDocs::with_limit(limit).and_offset(offset);
            let blended = blend_recency(searcher, top, half_life);
            let scored = bonus.as_ref().map(|bonus| {
                BooleanQuery::new(vec![
                    (TantivyOccur::Must, query.box_clone()),
                    (TantivyOccur::Should, bonus.box_clone()),
                ])
            });
            let query = scored.as_ref().map_or(query, |q| q as &dyn Query);
            counted(searcher, (query, timeline), blended, counts, matched).map_err(fail)?
        }
        (order, _, _) => {
            let (offset, limit) = within(searcher, offset, limit);
            let top = TopDocs::with_limit(limit).and_offset(offset);
            let order = if order == SortOrder::Newest {
                Order::Desc
            } else {
                Order::Asc
            };
            let by_date = top.order_by_fast_field::<i64>("date", order);
            let (total, top) =
                counted(searcher, (query, timeline), by_date, counts, matched).map_err(fail)?;
            // Sorted by date, hits carry no relevance score.
            (
                total,
                top.into_iter().map(|(_, address)| (0.0, address)).collect(),
            )
        }
    })
}

/// `top` by relevance blended with recency: an article `half_life` older than the
/// newest article in the index has half the recency bonus of the newest.
fn blend_recency(
    searcher: &Searcher,
    top: TopDocs,
    half_life: Duration,
) -> impl tantivy::collector::Collector<Fruit = Vec<(f32, DocAddress)>> + use<> {
    let newest = newest_date(searcher).unwrap_or_else(|| Utc::now().timestamp());
    let half_life = half_life.as_secs_f64().max(1.0);
    top.tweak_score(move |segment: &SegmentReader| {
        let dates = segment.fast_fields().i64("date").ok();
        move |doc, score: f32| {
            let age = dates
                .as_ref()
                .and_then(|d| d.first(doc))
                .map(|d| newest.saturating_sub(d).max(0) as f64);
            let bonus = age.map_or(0.0, |age| (-age / half_life).exp2());
            score * (1.0 + RECENCY_WEIGHT * bonus as f32)
        }
    })
}

/// The total and what `top` collects, in one pass; the sources and languages of
/// the matching set too (and its days for `timeline`), into `counts`, and the
/// matching articles into `matched`, each when it is there and empty.
fn counted<C: tantivy::collector::Collector>(
    searcher: &Searcher,
    (query, timeline): (&dyn Query, bool),
    top: C,
    counts: &mut Option<&mut Option<timeline::Counts>>,
    matched: Option<&mut Option<collapse::Matched>>,
) -> tantivy::Result<(usize, C::Fruit)> {
    let counts = counts.as_deref_mut().filter(|slot| slot.is_none());
    let matched = matched.filter(|slot| slot.is_none());
    let collector = (
        Count,
        top,
        counts
            .is_some()
            .then_some(CountsCollector { days: timeline }),
        matched.is_some().then_some(collapse::MatchedCollector),
    );
    let (total, found, counted, matching) = searcher.search(query, &collector)?;
    if let Some(slot) = counts {
        *slot = counted;
    }
    if let Some(slot) = matched {
        *slot = matching;
    }
    Ok((total, found))
}

/// `offset` and `limit` (at least 1, as collectors need) bounded by the number of
/// articles the searcher sees, so what a collector sets aside is never sized by a
/// request alone.
pub fn within(searcher: &Searcher, offset: usize, limit: usize) -> (usize, usize) {
    let articles = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let offset = offset.min(articles);
    (offset, limit.min(articles - offset).max(1))
}

/// How much a brand-new article's score grows under `--recent` (×2 at most).
pub const RECENCY_WEIGHT: f32 = 1.0;

/// The latest publication time in the index, from the date columns' statistics.
fn newest_date(searcher: &Searcher) -> Option<i64> {
    searcher
        .segment_readers()
        .iter()
        .filter_map(|segment| segment.fast_fields().i64("date").ok())
        .map(|column| column.max_value())
        .max()
        .map(|newest| newest.min(Utc::now().timestamp()))
}

/// The exact terms of `marks` with an IDF-like weight, so rare words steer the passages.
fn weighted(searcher: &Searcher, field: Field, marks: &Marks) -> HashMap<String, f32> {
    let total = searcher.num_docs().max(1) as f32;
    marks
        .exact_terms()
        .map(|text| {
            let term = Term::from_field_text(field, text);
            let df = searcher.doc_freq(&term).unwrap_or(0) as f32;
            (text.clone(), (1.0 + total / (1.0 + df)).ln())
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::article::Article;
    use crate::index::writer::{ArticleWriter, WriterOptions};
    use crate::search::snippet::{Highlighter, Marks};

    /// An index of `articles` in a temporary folder (kept while the folder lives).
    pub(crate) fn index_of(articles: Vec<Article>) -> (tempfile::TempDir, NewsIndex) {
        let dir = tempfile::tempdir().unwrap();
        let index = NewsIndex::open_or_create(dir.path()).unwrap();
        let options = WriterOptions {
            memory_bytes: 20_000_000,
            threads: 1,
            commit_every: std::time::Duration::from_secs(60),
        };
        let writer = ArticleWriter::new(&index, options).unwrap();
        for (n, article) in articles.into_iter().enumerate() {
            writer.upsert(article, n as u64).unwrap();
        }
        writer.finish().unwrap();
        (dir, index)
    }

    /// An English article.
    fn article(id: String, title: &str, body: String) -> Article {
        Article {
            id,
            title: title.into(),
            body,
            lang: Some("en".into()),
            ..Default::default()
        }
    }

    /// The query for one word of the body.
    fn body_word(index: &NewsIndex, searcher: &Searcher, word: &str) -> Box<dyn Query> {
        let word = plan::Plan::Term {
            field: plan::TextField::Body,
            text: word.into(),
        };
        plan::to_tantivy(index, searcher, &word).unwrap()
    }

    /// The id of the article at `address`.
    fn id_of(index: &NewsIndex, searcher: &Searcher, address: DocAddress) -> String {
        let doc: TantivyDocument = searcher.doc(address).unwrap();
        index.fields.article(&doc).id
    }

    /// The bonus added to the best candidates gives them the scores it gives as
    /// clauses of the query, and puts the articles whose words stand together first.
    #[test]
    fn the_proximity_bonus_rescored_scores_as_the_bonus_clauses_do() {
        let filler = "the harbour board met on tuesday and spoke about the weather";
        // Of one length: the words side by side, far apart, or one alone.
        let articles = (0..40).map(|n| {
            let body = match n % 4 {
                0 | 2 => format!("oil prices {filler} {n}"),
                1 => format!("oil {filler} prices {n}"),
                _ => format!("oil {filler} {n} report"),
            };
            article(format!("a{n}"), &format!("Report {n}"), body)
        });
        let (_dir, index) = index_of(articles.collect());
        let reader = index.index.reader().unwrap();
        let searcher = reader.searcher();
        let local = Local {
            index: &index,
            searcher: &searcher,
        };
        let parsed = query::parse("oil prices", false).unwrap();
        assert!(!parsed.proximity.is_empty());
        let (rescored, _) = local
            .compile_ranked(&parsed.query, &parsed.proximity)
            .unwrap();
        let joined = plan::with_bonus(parsed.query.clone(), &parsed.proximity);
        let (clauses, _) = local.compile(&joined).unwrap();
        let (plain, _) = local.compile(&parsed.query).unwrap();
        let request = SearchRequest {
            collapse: false,
            ..SearchRequest::new("oil prices")
        };
        let top = |query: &Compiled| {
            top_docs(
                &index,
                &searcher,
                (&request, query),
                10,
                0,
                (&mut None, None),
            )
            .unwrap()
        };
        let (total, by_rescoring) = top(&rescored);
        let (total_clauses, by_clauses) = top(&clauses);
        assert_eq!(total, total_clauses);
        assert_eq!(total, 30);
        let addresses = |hits: &[(f32, DocAddress)]| hits.iter().map(|h| h.1).collect::<Vec<_>>();
        assert_eq!(addresses(&by_rescoring), addresses(&by_clauses));
        for (a, b) in by_rescoring.iter().zip(&by_clauses) {
            assert!((a.0 - b.0).abs() < 1e-4, "{a:?} {b:?}");
        }
        // Without the bonus the order is another one: the bonus is at work.
        let (_, by_words) = top(&plain);
        assert_ne!(addresses(&by_words), addresses(&by_rescoring));
        let first: u32 = id_of(&index, &searcher, by_rescoring[0].1)[1..]
            .parse()
            .unwrap();
        assert_eq!(
            first % 4,
            0,
            "an article with `oil prices` side by side leads"
        );
    }

    #[test]
    fn counts_read_a_block_at_a_time_are_every_match_s() {
        // 150 matches: two full blocks and a part one, in scored and unscored passes.
        let day = |d: u32| {
            chrono::NaiveDate::from_ymd_opt(2024, 1, d)
                .map(|d| d.and_hms_opt(12, 0, 0).unwrap().and_utc())
        };
        let mut articles = Vec::new();
        for n in 0..200u32 {
            let word = if n % 4 == 3 { "crane" } else { "dock" };
            articles.push(Article {
                source: (n % 5 != 0).then(|| ["Wire", "Daily"][(n % 2) as usize].to_string()),
                date: (n % 7 != 0).then(|| day(1 + n % 3)).flatten(),
                ..article(
                    format!("a{n}"),
                    "News",
                    format!("The {word} opened, report {n}."),
                )
            });
        }
        let (_dir, index) = index_of(articles);
        let searcher = index.index.reader().unwrap().searcher();
        let query = body_word(&index, &searcher, "dock");
        let matching: Vec<u32> = (0..200).filter(|n| n % 4 != 3).collect();
        let mut sources = HashMap::new();
        let mut days = HashMap::new();
        for n in &matching {
            if n % 5 != 0 {
                *sources
                    .entry(["Wire", "Daily"][(n % 2) as usize].to_string())
                    .or_insert(0) += 1;
            }
            if n % 7 != 0 {
                *days.entry(19_723 + i64::from(n % 3)).or_insert(0) += 1;
            }
        }
        let scored = (
            TopDocs::with_limit(5).order_by_score(),
            CountsCollector::ALL,
        );
        let (_, by_scoring) = searcher.search(query.as_ref(), &scored).unwrap();
        let unscored = searcher
            .search(query.as_ref(), &CountsCollector::ALL)
            .unwrap();
        for counts in [by_scoring, unscored] {
            assert_eq!(counts.sources, sources);
            assert_eq!(
                counts.unsourced,
                matching.iter().filter(|n| *n % 5 == 0).count()
            );
            assert_eq!(counts.days.into_iter().collect::<HashMap<_, _>>(), days);
            assert_eq!(
                counts.undated,
                matching.iter().filter(|n| *n % 7 == 0).count()
            );
            assert_eq!(counts.languages, HashMap::from([("en".to_string(), 150)]));
        }
    }

    /// Copies found outside the ranked candidates: by the days around the group
    /// (and the undated) when there are few, by every match otherwise; both the same.
    #[test]
    fn a_group_is_completed_with_every_copy_in_its_days_and_the_undated() {
        let wire = "The harbour authority confirmed on Tuesday that dock workers will \
            strike from Monday over the automation of the container terminal, after \
            talks between the union and the operators broke down late at night.";
        let day = |d: u32| {
            chrono::NaiveDate::from_ymd_opt(2025, 3, d)
                .map(|d| d.and_hms_opt(9, 0, 0).unwrap().and_utc())
        };
        let dated = |id: &str, body: String, date| Article {
            date,
            ..article(id.into(), "Dock strike", body)
        };
        let mut articles = vec![
            dated("lead", wire.to_string(), day(10)),
            dated("next-day", format!("{wire} Ferries run as usual."), day(11)),
            dated("undated", format!("{wire} More to follow."), None),
            dated("two-weeks-later", wire.to_string(), day(24)),
            // A copy the query does not match is not one of its hits.
            dated(
                "unmatched-copy",
                wire.replace("dock workers", "port staff"),
                day(11),
            ),
            dated(
                "other",
                "Dock workers at the harbour voted on pay.".into(),
                day(10),
            ),
        ];
        // Articles of other years make the days around the group a small share.
        for n in 0..60 {
            let text =
                format!("Dock workers of berth {n} met the operators about overtime rules {n}.");
            let date = chrono::NaiveDate::from_ymd_opt(1990 + n, 1, 1)
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap().and_utc());
            articles.push(dated(&format!("filler-{n}"), text, date));
        }
        let (_dir, index) = index_of(articles);
        let reader = index.index.reader().unwrap();
        let searcher = reader.searcher();
        let query = body_word(&index, &searcher, "dock");
        let id_of = |address| id_of(&index, &searcher, address);
        let lead = (0..searcher.num_docs() as u32)
            .map(|doc| DocAddress::new(0, doc))
            .find(|&a| id_of(a) == "lead")
            .unwrap();
        let columns = Columns::open(&searcher).unwrap();
        let mut completed = Vec::new();
        for dated in [true, false] {
            let mut groups = collapse::group(&columns, &[(1.0, lead)]);
            if !dated {
                // An undated group's copies can be of any day: every match is read.
                groups = collapse::undated(groups);
            }
            let matched = searcher
                .search(query.as_ref(), &collapse::MatchedCollector)
                .unwrap();
            collapse::complete(&searcher, &matched, &mut groups).unwrap();
            let mut ids: Vec<String> = groups[0].members.iter().map(|m| id_of(m.1)).collect();
            ids.sort();
            completed.push(ids);
        }
        assert_eq!(completed[0], ["lead", "next-day", "undated"]);
        assert_eq!(
            completed[1],
            ["lead", "next-day", "two-weeks-later", "undated"]
        );
    }

    #[test]
    fn a_local_hit_s_passages_come_from_the_positions_the_index_holds() {
        let body = "Dock workers strike at the harbour; the strike spread to the ferries.";
        let (_dir, index) = index_of(vec![article("a1".into(), "Dock strike", body.into())]);
        let reader = index.index.reader().unwrap();
        let searcher = reader.searcher();
        let local = Local {
            index: &index,
            searcher: &searcher,
        };
        let story = engine::Story {
            score: 1.0,
            lead: crate::article::Article::default(),
            lang: Some("en".into()),
            copy_count: 0,
            copies: Vec::new(),
            address: Some(DocAddress::new(0, 0)),
            resume: ResumePoints::default(),
        };
        // As analysed: American spelling, then stems.
        let terms = ["harbor".to_string(), "strike".to_string()];
        let at = local.positions(&story, &terms).unwrap().unwrap();
        // Stop words leave their places empty: `at the` are 3 and 4.
        assert_eq!(
            at,
            [
                (2, "strike".to_string()),
                (5, "harbor".to_string()),
                (7, "strike".to_string())
            ]
        );
        let marks = Marks {
            terms: terms.to_vec(),
            ..Marks::default()
        };
        let mut highlighter = Highlighter::new(Analysis::ENGLISH, marks, HashMap::new());
        assert_eq!(
            highlighter.snippets_at((body, &ResumePoints::default()), &at, 60, 2),
            highlighter.snippets(body, 60, 2)
        );
        // Quickwit's stories have no address: their text is read.
        let elsewhere = engine::Story {
            address: None,
            ..story
        };
        assert_eq!(local.positions(&elsewhere, &terms).unwrap(), None);
    }
}
