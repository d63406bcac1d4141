//! Property test of the query path: random user input, parsed and run against a
//! small index, never panics or aborts; it either searches or says what is wrong.
//! The number of cases is bounded so that CI runs it in seconds.

use std::sync::LazyLock;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use news_search::article::Article;
use news_search::index::NewsIndex;
use news_search::index::writer::{ArticleWriter, WriterOptions, text_hash};
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
    request.top_sources = 5;
    match search(index, &request) {
        Ok(results) => {
            assert!(results.hits.len() <= results.total.max(results.hits.len()));
            for hit in results.hits {
                let chars = hit.title.chars().count();
                assert!(
                    hit.title_highlights
                        .iter()
                        .all(|[a, b]| a < b && *b <= chars)
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
    fn random_queries_never_crash(query in ALPHABET, variant in 0u8..32) {
        run(&INDEX.1, &query, variant);
    }

    #[test]
    fn random_structures_never_crash(
        words in prop::collection::vec("(title:|source:|lang:|date:|-|\\+)?(\"[a-z ]{0,12}\"|[a-zA-Z人工]{1,8})(\\*|~[0-3]|\\^[0-9])?", 1..12),
        open in 0usize..40,
        close in 0usize..40,
        variant in 0u8..32,
    ) {
        let query = format!("{}{}{}", "(".repeat(open), words.join(" OR "), ")".repeat(close));
        run(&INDEX.1, &query, variant);
    }
}
