//! Property test of the query path: random user input, parsed and run against a
//! small index, never panics or aborts; it either searches or says what is wrong.
//! The number of cases is bounded so that CI runs it in seconds.

use std::sync::LazyLock;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use news_search::article::Article;
use news_search::index::NewsIndex;
use news_search::index::writer::{ArticleWriter, WriterOptions, text_hash};
use news_search::location::Location;
use news_search::search::batch;
use news_search::search::eval::{parse_qrels, parse_queries};
use news_search::search::filter::{Edge, Filters, parse_edge, parse_span};
use news_search::search::synonyms::Synonyms;
use news_search::search::timeline::TimeUnit;
use news_search::search::{SearchRequest, SortOrder, search};
use news_search::{Error, Result};
use proptest::prelude::*;

fn build_index(dir: &std::path::Path) -> Result<NewsIndex> {
    let index = NewsIndex::open_or_create(dir)?;
    let options = WriterOptions {
        memory_bytes: 50_000_000,
        threads: 1,
        commit_every: Duration::from_secs(60),
    };
    let writer = ArticleWriter::new(&index, options)?;
    let texts = [
        (
            "UNIDO opens AI centre in Shanghai",
            "The centre of excellence will help factories adopt AI-driven tools.",
        ),
        (
            "上海人工智能中心启用",
            "联合国工业发展组织与中国合作建立人工智能卓越中心。",
        ),
        (
            "Dock workers strike",
            "Dock workers at three ports voted to strike over automation in the U.S. and U.K.",
        ),
        (
            "Defence programme grows",
            "The organisation's labour costs rose; the programme is large.",
        ),
    ];
    for (n, (title, body)) in texts.iter().enumerate() {
        let article = Article {
            id: format!("doc{n}"),
            title: title.to_string(),
            body: body.to_string(),
            date: Utc
                .with_ymd_and_hms(2024, 1 + n as u32, 1, 0, 0, 0)
                .single(),
            source: Some(format!("Source {n}")),
            ..Article::default()
        };
        let hash = text_hash(&article);
        writer.upsert(article, hash)?;
    }
    writer.finish()?;
    NewsIndex::open(dir)
}

fn run(index: &NewsIndex, query: &str, variant: u8) {
    let mut request = SearchRequest::new(query);
    request.match_any = variant & 1 == 1;
    request.collapse = variant & 2 == 2;
    request.sort = if variant & 4 == 4 {
        SortOrder::Newest
    } else {
        SortOrder::Relevance
    };
    request.recent = (variant & 8 == 8).then(|| Duration::from_secs(86_400 * 30));
    request.timeline = (variant & 16 == 16).then_some(TimeUnit::Week);
    request.limit = if variant & 32 == 32 { 2 } else { 10 };
    request.top_sources = 5;
    match search(index, &request) {
        Ok(results) => {
            let retried = results
                .notes
                .iter()
                .any(|n| n.contains("showing fuzzy matches"));
            // The page holds at most `limit` hits, never more than match, ranked 1, 2, …
            assert!(results.hits.len() <= request.limit, "{query:?}");
            assert!(results.hits.len() <= results.total, "{query:?}");
            assert_eq!(results.total == 0, results.hits.is_empty(), "{query:?}");
            for (n, hit) in results.hits.iter().enumerate() {
                assert_eq!(hit.rank, n + 1, "{query:?}");
            }
            // The total is what a plain count of the same query says.
            if !retried {
                let count = SearchRequest {
                    limit: 0,
                    highlight: false,
                    collapse: false,
                    timeline: None,
                    top_sources: 0,
                    ..request.clone()
                };
                let counted = search(index, &count).expect("the same query counts");
                assert_eq!(counted.total, results.total, "{query:?}");
            }
            if let Some(timeline) = &results.timeline {
                assert_eq!(timeline_counts(timeline), results.total, "{query:?}");
            }
            for hit in results.hits {
                let chars = hit.title.chars().count();
                assert!(
                    hit.title_highlights
                        .iter()
                        .all(|[a, b]| a < b && *b <= chars),
                    "{query:?}"
                );
                for s in hit.snippets {
                    let len = s.text.chars().count();
                    assert!(
                        s.highlights.iter().all(|[a, b]| a < b && *b <= len),
                        "{s:?}"
                    );
                }
            }
        }
        Err(Error::Query(message)) => assert!(!message.is_empty()),
        Err(other) => panic!("{query:?}: unexpected error {other}"),
    }
}

/// Every article a timeline counts: its periods and the undated.
fn timeline_counts(timeline: &news_search::search::timeline::Timeline) -> usize {
    timeline.buckets.iter().map(|(_, n)| n).sum::<usize>() + timeline.missing
}

/// One small index for every case.
static INDEX: LazyLock<(tempfile::TempDir, NewsIndex)> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = build_index(dir.path()).expect("index");
    (dir, index)
});

const ALPHABET: &str =
    "[a-zA-Z0-9 \"'()\\[\\]{}:*~^+\\-\\\\!?./,;&|@#$%=<>人工智能中心é’\t\n]{0,120}";

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_queries_never_crash(query in ALPHABET, variant in 0u8..64) {
        run(&INDEX.1, &query, variant);
    }

    #[test]
    fn field_syntax_never_crashes(
        clauses in prop::collection::vec(prop_oneof![
            // Date ranges with human, relative (up to absurd sizes) and open bounds.
            "date:[\\[{](\\*|[0-9]{1,14}(\\.[0-9])?[hdwmy]|[0-9]{4}(-[0-9]{2}){0,2}|-?[0-9]{1,6}) TO (\\*|[0-9]{1,14}[hdwmy]|[0-9]{4}(-[0-9]{2}){0,2})[\\]}]",
            "source:(\"[A-Za-z ]{0,10}\"|[A-Za-z]{1,8}|IN \\[[a-z ]{0,12}\\])",
            "lang:[a-z]{0,4}",
            "(title:|author:|body:)?[a-zA-Z]{1,8}(\\*|~[0-9]{0,2})",
            "date:\\*|date:[0-9]{1,4}|[a-z]{2,6}",
        ], 1..8),
        joiner in "( | AND | OR | -)",
        variant in 0u8..64,
    ) {
        let query = clauses.join(&joiner);
        run(&INDEX.1, &query, variant);
    }

    #[test]
    fn relative_dates_never_overflow(text in "[0-9]{1,25}(\\.[0-9]{0,3})?[hdwmyx]?|[0-9eE+.-]{1,12}[dy]") {
        let now = Utc::now();
        for edge in [Edge::Start, Edge::End] {
            // Either a date or an error message: never a panic.
            if let Err(message) = parse_edge(&text, edge, now) {
                prop_assert!(!message.is_empty());
            }
        }
        if let Ok(span) = parse_span(&text) {
            prop_assert!(span.num_seconds() >= 0);
        }
    }

    #[test]
    fn random_structures_never_crash(
        words in prop::collection::vec("(title:|source:|lang:|date:|-|\\+)?(\"[a-z ]{0,12}\"|[a-zA-Z人工]{1,8})(\\*|~[0-3]|\\^[0-9])?", 1..12),
        open in 0usize..40,
        close in 0usize..40,
        variant in 0u8..64,
    ) {
        let query = format!("{}{}{}", "(".repeat(open), words.join(" OR "), ")".repeat(close));
        run(&INDEX.1, &query, variant);
    }

    /// Any offset and limit, in any order, collapsed or not: a page or a clear
    /// error, never an allocation sized by the request (which aborts the process).
    #[test]
    fn any_offset_and_limit_is_a_page_or_an_error(
        offset in prop_oneof![0usize..20, 99_990usize..100_010, any::<usize>()],
        limit in prop_oneof![0usize..20, any::<usize>()],
        variant in 0u8..64,
    ) {
        let mut request = SearchRequest::new("strike OR centre OR defence");
        request.offset = offset;
        request.limit = limit;
        request.collapse = variant & 2 == 2;
        request.sort = match variant % 3 {
            0 => SortOrder::Relevance,
            1 => SortOrder::Newest,
            _ => SortOrder::Oldest,
        };
        request.recent = (variant & 8 == 8 && request.sort == SortOrder::Relevance)
            .then(|| Duration::from_secs(86_400));
        match search(&INDEX.1, &request) {
            Ok(results) => {
                prop_assert!(offset <= news_search::search::MAX_OFFSET);
                prop_assert!(results.hits.len() <= limit);
                for (n, hit) in results.hits.iter().enumerate() {
                    prop_assert_eq!(hit.rank, offset + n + 1);
                }
                if let Some(next) = results.next_offset {
                    prop_assert_eq!(next, offset + results.hits.len());
                }
            }
            Err(Error::Usage(message)) => {
                prop_assert!(offset > news_search::search::MAX_OFFSET, "{message}");
            }
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
    }

    /// The files a user writes beside queries (a batch list, a synonyms list, TREC
    /// qrels and topics, an index location) are read or refused with a message,
    /// never a panic, whatever their lines hold.
    #[test]
    fn user_written_lists_are_read_or_refused(
        lines in prop::collection::vec(
            r#"(id|query|since|until|source|lang|"[a-z ,]{0,6}"|[a-z0-9人é]{0,6}|=>|=|,|\t|:|-|\*|#| ){0,10}"#,
            0..8,
        ),
        location in r"(quickwit\+)?(https?://)?[a-z0-9:/.@\[\]%?#-]{0,30}",
    ) {
        let text = lines.join("\n");
        let list = batch::parse(&text, &Filters::default());
        prop_assert!(list.entries.len() <= lines.len());
        if let Err(Error::Usage(message) | Error::Query(message)) = Synonyms::parse(&text, "list.txt") {
            prop_assert!(!message.is_empty());
        }
        if let Err(message) = parse_qrels(&text) {
            prop_assert!(!message.is_empty());
        }
        if let Err(message) = parse_queries(&text) {
            prop_assert!(!message.is_empty());
        }
        if let Err(message) = Location::parse(&location) {
            prop_assert!(!message.is_empty());
        }
    }
}
