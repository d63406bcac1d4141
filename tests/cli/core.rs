//! The core contract: indexing text, Markdown and JSON, querying with ranked and
//! highlighted results, output modes, exit codes and error messages.

use serde_json::Value;

use crate::support::{self, Run, Test, highlighted};

fn small_corpus() -> Test {
    Test::new()
        .file(
            "docs/title-match.txt",
            "Date: 2024-07-04\nSource: Global Wire\nAuthor: Ann Lee\n\nSolar centre opens in the desert\n\nA large plant began work on Monday.\n",
        )
        .file(
            "docs/body-match.txt",
            "Date: 2023-01-02\nSource: Valley Courier\n\nLocal news roundup\n\nThe town will build a solar centre next year, the council said.\n",
        )
        .file(
            "docs/other.md",
            "Date: 2025-05-05\n\n# Harbour ferry returns\n\nThe ferry is back after repairs to its engines.\n",
        )
        .file(
            "docs/more.jsonl",
            concat!(
                r#"{"headline":"Café owners protest rents","content":"Owners of old cafés marched on Friday.","publishedAt":"2024-02-03T10:00:00Z","source":"Metro Ledger","url":"https://m.example/cafe"}"#,
                "\n",
                r#"{"title":"Solar panels on every school","body":"Schools get panels; a new centre trains fitters.","date":"Tue, 14 Jan 2025 08:00:00 +0000"}"#,
                "\n"
            ),
        )
}

#[test]
fn title_matches_rank_above_body_matches() {
    let t = small_corpus();
    t.run(["index", "docs"]).success();
    let (hits, summary) = t.json(["query", "solar centre"]);
    let paths: Vec<&str> = hits.iter().map(|h| h["path"].as_str().unwrap()).collect();
    assert_eq!(paths[0], "docs/title-match.txt", "{paths:?}");
    assert_eq!(paths.len(), 3);
    assert_eq!(summary["total"], 3);
    assert_eq!(summary["hits"], 3);
    let ranks: Vec<u64> = hits.iter().map(|h| h["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, [1, 2, 3]);
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn json_fields_and_highlight_offsets() {
    let t = small_corpus();
    t.run(["index", "docs"]).success();
    let (hits, _) = t.json(["query", "solar centre"]);
    let top = &hits[0];
    assert_eq!(top["title"], "Solar centre opens in the desert");
    assert_eq!(top["date"], "2024-07-04T00:00:00Z");
    assert_eq!(top["source"], "Global Wire");
    assert_eq!(top["author"], "Ann Lee");
    assert_eq!(top["url"], Value::Null);
    assert_eq!(top["id"].as_str().unwrap().len(), 16);
    assert_eq!(
        highlighted(&top["title"], &top["title_highlights"]),
        ["Solar", "centre"]
    );
    // Only the title matched: the snippet is the start of the body, unhighlighted.
    assert_eq!(
        top["snippets"][0]["text"],
        "A large plant began work on Monday."
    );
    assert_eq!(top["snippets"][0]["highlights"], serde_json::json!([]));

    let body_hit = hits
        .iter()
        .find(|h| h["path"] == "docs/body-match.txt")
        .unwrap();
    let snippet = &body_hit["snippets"][0];
    assert_eq!(
        highlighted(&snippet["text"], &snippet["highlights"]),
        ["solar", "centre"]
    );
}

#[test]
fn stemming_and_accent_folding() {
    let t = small_corpus();
    t.run(["index", "docs"]).success();
    let (hits, _) = t.json(["query", "cafe"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(
        highlighted(&hits[0]["title"], &hits[0]["title_highlights"]),
        ["Café"]
    );
    let snippet = &hits[0]["snippets"][0];
    assert_eq!(
        highlighted(&snippet["text"], &snippet["highlights"]),
        ["cafés"]
    );
    let (hits, _) = t.json(["query", "centres"]);
    assert_eq!(hits.len(), 3);
}

#[test]
fn hyphenated_words_are_found_joined_and_apart() {
    let t = Test::new()
        .file(
            "docs/1916.txt",
            "Weather for To-day\n\nRain to-day and to-morrow, the co-operative said by e-mail.\n",
        )
        .file(
            "docs/2024.txt",
            "Cooperation today\n\nToday the cooperative sent an email. Work goes on from day to day.\n",
        )
        .file(
            "docs/soft.txt",
            "Board report\n\nThe state\u{ad}wide co\u{ad}operation of the board.\n",
        );
    t.run(["index", "docs"]).success();
    // The joined spelling finds the hyphenated one, and the other way round.
    assert_eq!(t.count("today"), 2);
    assert_eq!(t.count("to-day"), 2);
    assert_eq!(t.count("tomorrow"), 1);
    assert_eq!(t.count("email"), 2);
    assert_eq!(t.count("e-mail"), 2);
    // A hyphenated query word is its words exactly, stop words included.
    assert_eq!(t.count("day"), 2);
    assert_eq!(t.count("to-day -today"), 0);
    assert_eq!(t.count("cooperative -to-day"), 1);
    // A prefix is on the last word typed.
    assert_eq!(t.count("to-da*"), 2);
    assert_eq!(t.count("e-mai*"), 1);
    // A soft hyphen inside a word is not read.
    assert_eq!(t.count("statewide"), 1);
    assert_eq!(t.count("wide"), 0);
    // The compound is marked whole where the joined word was asked for.
    let (hits, _) = t.json(["query", "today", "--sort", "oldest"]);
    let old = hits
        .iter()
        .find(|h| h["path"].as_str().unwrap().ends_with("1916.txt"));
    let old = old.expect("the 1916 page");
    assert_eq!(
        highlighted(&old["title"], &old["title_highlights"]),
        ["To-day"]
    );
    let snippet = &old["snippets"][0];
    assert_eq!(
        highlighted(&snippet["text"], &snippet["highlights"]),
        ["to-day"]
    );
}

#[test]
fn query_syntax_phrase_or_exclude_and_fields() {
    let t = small_corpus();
    t.run(["index", "docs"]).success();
    let count = |q: &str| t.run(["query", q, "-c"]).stdout_text().trim().to_string();
    assert_eq!(count("\"solar centre\""), "2");
    assert_eq!(count("\"centre solar\""), "0");
    assert_eq!(count("ferry OR cafe"), "2");
    assert_eq!(count("solar -school"), "2");
    assert_eq!(count("solar AND NOT school"), "2");
    assert_eq!(count("solar NOT school"), "2");
    assert_eq!(count("title:solar AND NOT (school OR panels)"), "1");
    assert_eq!(count("ferry OR NOT solar"), "2");
    assert_eq!(count("solar AND (NOT school)"), "2");
    assert_eq!(count("title:solar"), "2");
    assert_eq!(count("source:\"valley courier\""), "1");
    assert_eq!(count("author:lee"), "1");
}

#[test]
fn exit_codes() {
    let t = small_corpus();
    t.run(["query", "solar"]).code(2).stderr_has("no index at");
    t.run(["index", "docs"]).success();
    t.run(["query", "solar"]).code(0);
    t.run(["query", "zebra"]).code(1).stdout_is("");
    t.run(["query", "-solar"]).code(2).stderr_has("excluded");
    t.run(["query", "NOT solar"]).code(2).stderr_has("excluded");
    t.run(["query", "(NOT solar)"])
        .code(2)
        .stderr_has("excluded");
    t.run(["query", ""]).code(2).stderr_has("empty");
    t.run(["query", "nosuchfield:solar"])
        .code(1)
        .stderr_has("no field `nosuchfield`");
    t.run(["index", "does-not-exist"])
        .code(2)
        .stderr_has("does-not-exist");
    t.run(["query", "solar", "--color", "sometimes"]).code(2);
}

#[test]
fn lenient_query_parsing_never_fails_silently() {
    let t = small_corpus();
    t.run(["index", "docs"]).success();
    let run = t.run(["query", "solar: (centre", "-c"]);
    run.code(0).stderr_has("searched for: solar centre");
    assert_eq!(run.stdout_text().trim(), "3");
    t.run(["query", "\"solar centre", "-c"])
        .code(0)
        .stdout_is("3\n");
    t.run(["query", "((((((((((", "-c"]).code(2);
    // A dangling operator is dropped, `NOT word` still excludes.
    t.run(["query", "solar AND NOT", "-c"])
        .code(0)
        .stderr_has("searched for: solar")
        .stdout_is("3\n");
    t.run(["query", "(solar AND NOT school", "-c"])
        .code(0)
        .stderr_has("searched for: solar -school")
        .stdout_is("2\n");
    t.run(["query", "NOT", "-c"])
        .code(2)
        .stderr_has("NOT without a word");
    let deep = format!("{}solar{}", "(".repeat(10_000), ")".repeat(10_000));
    t.run(["query", &deep]).code(2).stderr_has("nest");
}

#[test]
fn files_with_matches_and_count() {
    let t = small_corpus();
    t.run(["index", "docs"]).success();
    let run = t.run(["query", "solar", "-l"]);
    run.success();
    let text = run.stdout_text();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "docs/body-match.txt",
            "docs/more.jsonl",
            "docs/title-match.txt"
        ]
    );
    assert_eq!(
        t.run(["query", "solar", "-l", "--limit", "1"])
            .stdout_text()
            .lines()
            .count(),
        1
    );
    t.run(["query", "solar", "-c"]).success().stdout_is("3\n");
    t.run(["query", "zebra", "-c"]).code(1).stdout_is("0\n");
}

#[test]
fn limit_and_offset_page_through_hits() {
    let t = small_corpus();
    t.run(["index", "docs"]).success();
    let (all, _) = t.json(["query", "solar"]);
    let (page, summary) = t.json(["query", "solar", "--limit", "1", "--offset", "1"]);
    assert_eq!(page.len(), 1);
    assert_eq!(page[0]["id"], all[1]["id"]);
    assert_eq!(page[0]["rank"], 2);
    assert_eq!(summary["total"], 3);
}

#[test]
fn human_output_colors_only_when_asked() {
    let t = small_corpus();
    t.run(["index", "docs"]).success();
    let plain = t.run(["query", "cafe"]);
    let text = plain.stdout_text();
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.starts_with("1. Café owners protest rents\n"), "{text}");
    assert!(
        text.contains("2024-02-03 · Metro Ledger · docs/more.jsonl"),
        "{text}"
    );
    let colored = t.run(["query", "cafe", "--color", "always"]).stdout_text();
    assert!(colored.contains("\u{1b}[1;31mCafé\u{1b}[0m"), "{colored}");
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let t = Test::new().file(
        "docs/evil.txt",
        "Evil \u{1b}[2J title\n\nBody with \u{7} bell and \u{1b}]0;x\u{7} osc.\n",
    );
    t.run(["index", "docs"]).success();
    let out = t.run(["query", "evil OR bell"]).stdout_text();
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
}

#[test]
fn stdin_json_lines() {
    let t = Test::new();
    let input = concat!(
        r#"{"title":"Piped in article","body":"Arrived on standard input.","url":"https://x.example/1"}"#,
        "\n",
        r#"{"title":"Second piped article","text":"Also from stdin."}"#,
        "\n"
    );
    t.run_stdin(["index", "-"], input).success();
    let run = t.run(["query", "piped", "-l"]);
    let mut lines: Vec<String> = run.stdout_text().lines().map(String::from).collect();
    lines.sort();
    assert_eq!(lines.len(), 2);
    assert!(
        lines.contains(&"https://x.example/1".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.len() == 16),
        "an id where there is no path or URL: {lines:?}"
    );
    let (hits, _) = t.json(["query", "stdin"]);
    assert_eq!(hits[0]["path"], Value::Null);
    // The same lines again replace, not duplicate.
    t.run_stdin(["index", "-"], input).success();
    t.run(["query", "piped", "-c"]).stdout_is("2\n");
}

#[test]
fn broken_and_binary_files_are_skipped_with_warnings() {
    let t = small_corpus()
        .file(
            "docs/mixed.jsonl",
            "{\"title\":\"Good line one\",\"body\":\"kept\"}\n{not json\n{\"title\":\"Good line three\",\"body\":\"kept\"}\n",
        )
        .bytes("docs/binary.txt", b"\x00\x01\x02binary\x00")
        .bytes("docs/old.doc", b"\x31\xBE\x00\x00\x00\xAB\x00\x00\x00\x00")
        .bytes("docs/latin1.txt", b"Caf\xe9 in latin one\n\nBody text here.\n")
        .bytes("docs/utf16le.txt", &utf16(true, "Windows export\n\nSaved as Unicode.\n"))
        .bytes("docs/utf16be.txt", &utf16(false, "Mac export\n\nSaved as Unicode.\n"))
        .file("docs/empty.json", "")
        .file("docs/bad.json", "{\"title\": ");
    let run = t.run(["index", "docs"]);
    run.success()
        .stderr_has("docs/mixed.jsonl:2: skipped, invalid JSON")
        .stderr_has("docs/binary.txt: skipped, binary: contains NUL bytes")
        .stderr_has(
            "docs/old.doc: skipped, binary: a Word for DOS or Word 1 document, which is not read",
        )
        .stderr_has("docs/latin1.txt: not UTF-8, charset guessed: decoded as windows-1252")
        .stderr_has("docs/bad.json: skipped, invalid JSON")
        .stderr_has("docs/empty.json: skipped, empty")
        .stderr_has("skipped: 2 binary, 1 empty, 2 invalid JSON");
    t.run(["query", "kept", "-c"]).stdout_is("2\n");
    t.run(["query", "latin", "-c"]).stdout_is("1\n");
    t.run(["query", "solar", "-c"]).stdout_is("3\n");
    // UTF-16 with a byte-order mark is text, whatever its NUL bytes.
    t.run(["query", "unicode", "-c"]).stdout_is("2\n");
    t.run(["query", "title:export", "-c"]).stdout_is("2\n");
}

/// `text` in UTF-16, little- or big-endian, after its byte-order mark.
fn utf16(little: bool, text: &str) -> Vec<u8> {
    let mut bytes = if little {
        vec![0xff, 0xfe]
    } else {
        vec![0xfe, 0xff]
    };
    for unit in text.encode_utf16() {
        bytes.extend(if little {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    bytes
}

#[test]
fn nothing_indexable_is_an_error() {
    let t = Test::new().bytes("docs/only.txt", b"\x00\x00");
    t.run(["index", "docs"])
        .code(2)
        .stderr_has("nothing indexed");
}

#[test]
fn reindexing_does_not_duplicate_and_follows_changes() {
    let t = small_corpus();
    t.run(["index", "docs"]).success();
    t.run(["index", "docs"]).success();
    t.run(["index", "./docs/"]).success();
    t.run(["query", "solar", "-c"]).stdout_is("3\n");
    let stats: Value = serde_json::from_str(&t.run(["stats", "--json"]).stdout_text()).unwrap();
    assert_eq!(stats["articles"], 5);
    t.write(
        "docs/other.md",
        "# Harbour ferry returns\n\nNow with solar panels.\n",
    );
    t.run(["index", "docs"]).success();
    t.run(["query", "solar", "-c"]).stdout_is("4\n");
    t.run(["query", "engines", "-c"]).code(1);
}

#[test]
fn stats_reports_counts_dates_sources_and_size() {
    let t = small_corpus();
    t.run(["index", "docs"]).success();
    let stats: Value = serde_json::from_str(&t.run(["stats", "--json"]).stdout_text()).unwrap();
    assert_eq!(stats["articles"], 5);
    assert_eq!(stats["first_date"], "2023-01-02T00:00:00Z");
    assert_eq!(stats["last_date"], "2025-05-05T00:00:00Z");
    assert_eq!(stats["undated"], 0);
    assert_eq!(stats["unsourced"], 2);
    assert_eq!(stats["top_sources"].as_array().unwrap().len(), 3);
    assert!(stats["size_bytes"].as_u64().unwrap() > 0);
    let human = t.run(["stats"]).success().stdout_text();
    assert!(human.contains("articles   5"), "{human}");
}

#[test]
fn index_location_from_flag_and_environment() {
    let t = small_corpus();
    t.run(["index", "docs", "--index", "elsewhere"]).success();
    t.run(["query", "solar", "--index", "elsewhere", "-c"])
        .stdout_is("3\n");
    t.run_env(["query", "solar", "-c"], "NEWS_SEARCH_INDEX", "elsewhere")
        .stdout_is("3\n");
    t.run(["query", "solar"]).code(2);
}

#[test]
fn a_second_writer_fails_at_once() {
    let t = small_corpus();
    t.run(["index", "docs"]).success();
    let index = news_search::index::NewsIndex::open(&t.path("index")).unwrap();
    let options = news_search::index::writer::WriterOptions {
        memory_bytes: 20_000_000,
        threads: 1,
        commit_every: std::time::Duration::from_secs(60),
    };
    let held = news_search::index::writer::ArticleWriter::new(&index, options).unwrap();
    t.run(["index", "docs"])
        .code(2)
        .stderr_has("another news-search process is writing");
    drop(held);
    t.run(["index", "docs"]).success();
}

#[test]
fn corrupt_index_is_a_clear_error() {
    let t = small_corpus();
    t.run(["index", "docs"]).success();
    t.write("index/meta.json", "{ this is not json");
    t.run(["query", "solar"])
        .code(2)
        .stderr_has("index at ./index: damaged");
    t.run(["stats"]).code(2);
}

#[test]
fn closed_pipe_ends_quietly() {
    let mut t = Test::new();
    for n in 0..300 {
        t = t.file(
            &format!("docs/{n:03}.txt"),
            &format!("Story {n}\n\n{}\n", "common words here ".repeat(40)),
        );
    }
    t.run(["index", "docs"]).success();
    let run: Run = t.run_closing_stdout(["query", "common", "--limit", "300"]);
    run.code(0).stderr_is("");
}

#[test]
#[ignore = "needs ../shared beside the project (run by .ci/run)"]
fn shared_seed_page_ranks_first_for_ai_centre() {
    let shared = support::shared_dir().expect("../shared is not beside the project");
    let corpus = support::project_dir().join("corpus");
    let seed = shared.join("seed");
    let t = Test::new();
    t.run_args([
        "index".into(),
        corpus.into_os_string(),
        seed.into_os_string(),
    ])
    .success();
    let (hits, _) = t.json(["query", "AI centre"]);
    let top = &hits[0];
    let path = top["path"].as_str().unwrap();
    assert!(
        path.contains("seed") || path.ends_with("aim-global-centre-shanghai.md"),
        "top hit was {path}"
    );
    let marked: Vec<String> = top["snippets"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| highlighted(&s["text"], &s["highlights"]))
        .map(|w| w.to_lowercase())
        .collect();
    assert!(marked.iter().any(|w| w == "ai"), "{marked:?}");
    assert!(marked.iter().any(|w| w == "centre"), "{marked:?}");
    let seed_rank = hits
        .iter()
        .position(|h| h["path"].as_str().unwrap().contains("seed"));
    assert!(
        seed_rank.is_some_and(|r| r < 3),
        "seed page not in the top 3: {seed_rank:?}"
    );
}

#[test]
fn project_corpus_indexes_cleanly() {
    let corpus = support::project_dir().join("corpus");
    let t = Test::new();
    let run = t.run_args(["index".into(), corpus.into_os_string()]);
    run.success();
    assert!(
        !run.stderr_text().contains("warning"),
        "{}",
        run.stderr_text()
    );
    let stats: Value = serde_json::from_str(&t.run(["stats", "--json"]).stdout_text()).unwrap();
    assert!(stats["articles"].as_u64().unwrap() >= 40);
    assert!(stats["first_date"].as_str().unwrap().starts_with("2023"));
    assert!(stats["last_date"].as_str().unwrap().starts_with("2026"));
    let (hits, _) = t.json(["query", "AI centre"]);
    assert!(
        hits[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("aim-global-centre-shanghai.md")
    );
}

#[test]
#[ignore = "needs ../shared beside the project (run by .ci/run)"]
fn reuters_sgml_every_record_with_its_date() {
    let shared = support::shared_dir().expect("../shared is not beside the project");
    let t = Test::new();
    let reuters = shared.join("data").join("reuters21578");
    t.run_args(["index".into(), reuters.into_os_string()])
        .success();
    let stats: Value = serde_json::from_str(&t.run(["stats", "--json"]).stdout_text()).unwrap();
    assert_eq!(stats["articles"], 21_578);
    assert_eq!(stats["undated"], 0);
    assert_eq!(stats["first_date"], "1987-02-26T15:01:01Z");
    let (hits, _) = t.json(["query", "title:\"bahia cocoa review\""]);
    assert_eq!(hits[0]["id"], "1");
    assert_eq!(hits[0]["date"], "1987-02-26T15:01:01Z");
    assert_eq!(hits[0]["source"], "Reuters");
    assert!(
        hits[0]["snippets"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("SALVADOR, Feb 26 - Showers")
    );
}

#[test]
fn any_word_mode_and_export() {
    let t = small_corpus();
    t.run(["index", "docs"]).success();
    assert_eq!(t.count("ferry zebra"), 0);
    assert_eq!(
        t.run(["query", "ferry zebra", "--any", "-c"]).stdout_text(),
        "1\n"
    );
    let export = t.run(["export", "docs"]);
    export.success();
    let articles: Vec<Value> = export
        .stdout_text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(articles.len(), 5);
    assert_eq!(articles[0]["path"], "docs/body-match.txt");
    assert_eq!(articles[0]["date"], "2023-01-02T00:00:00Z");
    // What export prints, `index -` reads back.
    let copy = Test::new();
    copy.run_stdin(["index", "-"], &export.stdout_text())
        .success();
    assert_eq!(copy.count("solar"), 3);
    // A file of a type it does not read is said, not passed over in silence.
    let other = Test::new().file("notes.xyz", "hello\n");
    other
        .run(["export", "notes.xyz"])
        .code(1)
        .stderr_has("1 file of types it does not read");
}

#[test]
fn eval_scores_rankings_against_judgments() {
    let t = Test::new().file(
        "docs/a.jsonl",
        concat!(
            r#"{"id":"d1","title":"Volcano erupts","body":"Lava from the volcano reached the sea."}"#,
            "\n",
            r#"{"id":"d2","title":"Volcano tourism","body":"Tourists visit the volcano."}"#,
            "\n",
            r#"{"id":"d3","title":"Bread prices","body":"Bakers raise prices."}"#,
            "\n"
        ),
    );
    t.run(["index", "docs"]).success();
    t.write(
        "queries.tsv",
        "q1\tVOLCANO LAVA\nq2\tBREAD AND BAKERS\nq3\tunjudged query\n",
    );
    t.write("qrels.txt", "q1 0 d1 1\nq1 0 d2 0\nq2 0 d3 2\n");
    let run = t.run([
        "eval",
        "--queries",
        "queries.tsv",
        "--qrels",
        "qrels.txt",
        "--json",
    ]);
    run.success();
    let scores: Value = serde_json::from_str(&run.stdout_text()).unwrap();
    assert_eq!(scores["queries"], 2);
    assert_eq!(scores["map"], 1.0);
    assert_eq!(scores["p@10"], 0.1);
    t.write("bad.txt", "q1 0 d1\n");
    t.run(["eval", "--queries", "queries.tsv", "--qrels", "bad.txt"])
        .code(2)
        .stderr_has("bad.txt: line 1");
}

#[test]
fn date_window_and_source_filters() {
    let t = small_corpus();
    t.run(["index", "docs"]).success();
    let count = |args: &[&str]| {
        let mut all = vec!["query", "solar OR ferry OR cafe", "-c"];
        all.extend_from_slice(args);
        let out = support::Test::run_vec(&t, &all);
        out.stdout_text().trim().parse::<u64>().unwrap()
    };
    assert_eq!(count(&[]), 5);
    assert_eq!(count(&["--since", "2024", "--until", "2024"]), 2);
    assert_eq!(
        count(&["--since", "2024-07-04", "--until", "2024-07-04"]),
        1
    );
    assert_eq!(count(&["--until", "2023"]), 1);
    assert_eq!(count(&["--since", "2025-01"]), 2);
    assert_eq!(count(&["--since", "100y"]), 5);
    assert_eq!(count(&["--until", "100y"]), 0);
    assert_eq!(count(&["--source", "global wire"]), 1);
    assert_eq!(
        count(&["--source", "Global Wire", "--source", "metro ledger"]),
        2
    );
    t.run(["query", "solar", "--since", "last tuesday"])
        .code(2)
        .stderr_has("--since: `last tuesday` is not a date");
}

#[test]
fn sort_by_date_puts_undated_articles_last() {
    let t = small_corpus().file(
        "docs/undated.txt",
        "Solar story without a date\n\nsolar text",
    );
    t.run(["index", "docs"]).success();
    let dates = |order: &str| -> Vec<Value> {
        let (hits, _) = t.json(["query", "solar", "--sort", order]);
        hits.iter().map(|h| h["date"].clone()).collect()
    };
    let newest = dates("newest");
    assert_eq!(newest[0], "2025-01-14T08:00:00Z");
    assert_eq!(newest[2], "2023-01-02T00:00:00Z");
    assert_eq!(newest[3], Value::Null);
    let oldest = dates("oldest");
    assert_eq!(oldest[0], "2023-01-02T00:00:00Z");
    assert_eq!(oldest[3], Value::Null);
}

#[test]
fn show_prints_whole_articles_by_id_or_path() {
    let t = small_corpus();
    t.run(["index", "docs"]).success();
    let (hits, _) = t.json(["query", "ferry"]);
    let id = hits[0]["id"].as_str().unwrap().to_string();
    let shown = t.run(["show", &id]);
    shown.success();
    let text = shown.stdout_text();
    assert!(text.starts_with("Harbour ferry returns\n"), "{text}");
    assert!(text.contains("path    docs/other.md\n"), "{text}");
    assert!(
        text.ends_with("The ferry is back after repairs to its engines.\n"),
        "{text}"
    );
    let by_path = t.run(["show", "docs/more.jsonl", "--json"]);
    by_path.success();
    let articles: Vec<Value> = by_path
        .stdout_text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let titles: Vec<&str> = articles
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Café owners protest rents", "Solar panels on every school"]
    );
    t.run(["show", "no-such-article"]).code(1).stdout_is("");
}

#[test]
fn show_lists_a_files_articles_in_the_files_order_whatever_the_threads() {
    // Several indexing threads spread one file's articles over several segments.
    let lines: String = (0..400)
        .map(|n| {
            format!("{{\"title\": \"Report {n}\", \"body\": \"Council item {n} of the year.\"}}\n")
        })
        .collect();
    let t = Test::new().file("feed.jsonl", &lines);
    t.run(["index", "feed.jsonl", "--threads", "4"]).success();
    let shown = t.run(["show", "feed.jsonl", "--json"]);
    shown.success();
    let titles: Vec<String> = shown
        .stdout_text()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["title"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let expected: Vec<String> = (0..400).map(|n| format!("Report {n}")).collect();
    assert_eq!(titles, expected);
}

#[test]
fn export_stored_prints_what_an_index_holds_and_it_indexes_again() {
    let t = Test::new()
        .file("news/a.txt", "Port strike ends\n\nDock workers voted to end the strike on Monday.")
        .file("news/b.jsonl", "{\"id\":\"w1\",\"title\":\"Bridge opens\",\"body\":\"The new bridge opened to traffic.\",\"date\":\"2024-05-01\",\"source\":\"Valley Courier\"}\n");
    t.run(["index", "news"]).success();
    let export = t.run(["export", "--stored"]);
    export.success();
    let lines: Vec<Value> = export
        .stdout_text()
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    let bridge = lines.iter().find(|a| a["id"] == "w1").expect("w1 exported");
    assert_eq!(bridge["source"], "Valley Courier");
    assert_eq!(bridge["date"], "2024-05-01T00:00:00Z");
    // Into another index from standard input: the same articles, the same ids.
    t.run_stdin(["index", "-", "--index", "copy"], &export.stdout_text())
        .success();
    let (hits, _) = t.json(["query", "bridge", "--index", "copy"]);
    assert_eq!(hits[0]["id"], "w1");
    // Paths and --stored do not go together; an index that is not there is an error.
    t.run(["export", "--stored", "news"]).code(2);
    t.run(["export", "--stored", "--index", "nothere"])
        .code(2)
        .stderr_has("nothere");
}
