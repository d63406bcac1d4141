//! Issue 21, synonyms: `--synonyms FILE` (or `NEWS_SEARCH_SYNONYMS`) in the Solr
//! format, applied when a query is read, on `query`, `batch`, `eval` and `serve`:
//! equivalents both ways, one-way rules replacing what they match, the synonym that
//! matched highlighted and named in `--json`, a bad list an error naming its line.

use serde_json::Value;

use super::serve::Server;
use super::support::{Test, highlighted};

fn newsroom() -> Test {
    let lines = [
        r#"{"id":"a1","title":"Robots in the mill","body":"The mill bought machines run by AI.","date":"2024-05-01"}"#,
        r#"{"id":"a2","title":"A centre for research","body":"Researchers in artificial intelligence opened a centre.","date":"2024-05-02"}"#,
        r#"{"id":"a3","title":"Paint shop","body":"The colour of the new trams is green.","date":"2024-05-03"}"#,
        r#"{"id":"a4","title":"Autumn","body":"Every hue of red and gold in the park.","date":"2024-05-04"}"#,
    ];
    let t = Test::new()
        .file("in/a.jsonl", &(lines.join("\n") + "\n"))
        .file(
            "syn.txt",
            "# newsroom list\nAI, artificial intelligence\ncolour => hue\n",
        );
    t.run(["index", "in"]).success();
    t
}

fn ids(t: &Test, args: &[&str]) -> Vec<String> {
    t.sorted_ids(args)
}

#[test]
fn equivalents_reach_both_ways_and_one_way_rules_replace_what_they_match() {
    let t = newsroom();
    assert_eq!(ids(&t, &["AI"]), ["a1"]);
    assert_eq!(ids(&t, &["AI", "--synonyms", "syn.txt"]), ["a1", "a2"]);
    assert_eq!(
        ids(&t, &["artificial intelligence", "--synonyms", "syn.txt"]),
        ["a1", "a2"]
    );
    // One way: `colour` is searched as `hue`, not as itself; `hue` stays `hue`.
    assert_eq!(ids(&t, &["colour", "--synonyms", "syn.txt"]), ["a4"]);
    assert_eq!(ids(&t, &["hue", "--synonyms", "syn.txt"]), ["a4"]);
    // The environment variable, as the flag.
    let run = t.run_env(["query", "AI", "-c"], "NEWS_SEARCH_SYNONYMS", "syn.txt");
    run.success().stdout_is("2\n");
    // A word a one-way rule replaced is not retried fuzzily as typed.
    t.write("one-way.txt", "colour => zeppelin\n");
    let run = t.run(["query", "colour", "--synonyms", "one-way.txt"]);
    run.code(1);
    assert!(
        !run.stderr_text().contains("fuzzy"),
        "{}",
        run.stderr_text()
    );
    // A phrase is searched as typed.
    assert_eq!(ids(&t, &["\"run by AI\"", "--synonyms", "syn.txt"]), ["a1"]);

    // `--json` names the expansion; the synonym that matched is highlighted.
    let (hits, summary) = t.json_lines(&["query", "AI", "--synonyms", "syn.txt"], "match");
    assert_eq!(
        summary["synonyms"],
        serde_json::json!([{"matched": "AI", "alternatives": ["AI", "artificial intelligence"]}])
    );
    let a2 = hits.iter().find(|h| h["id"] == "a2").unwrap();
    let snippet = &a2["snippets"][0];
    assert_eq!(
        highlighted(&snippet["text"], &snippet["highlights"]),
        ["artificial", "intelligence"]
    );
    // Without a list there is no such field.
    let (_, plain) = t.json_lines(&["query", "AI"], "match");
    assert_eq!(plain["synonyms"], Value::Null);
}

#[test]
fn batch_eval_and_serve_take_the_list_too() {
    let t = newsroom();
    t.write("list.txt", "AI\ncolour\n");
    let run = t.run(["batch", "list.txt", "--json", "--synonyms", "syn.txt"]);
    let totals: Vec<u64> = run
        .stdout_text()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|l| l["type"] == "batch")
        .map(|b| b["data"]["total"].as_u64().unwrap())
        .collect();
    assert_eq!(totals, [2, 1]);

    t.write("queries.tsv", "q1\tartificial intelligence\n");
    t.write("qrels.txt", "q1 0 a1 1\n");
    let map = |extra: &[&str]| -> f64 {
        let mut args = vec![
            "eval",
            "--queries",
            "queries.tsv",
            "--qrels",
            "qrels.txt",
            "--json",
        ];
        args.extend_from_slice(extra);
        let run = t.run_vec(&args);
        let scores: Value = serde_json::from_str(&run.stdout_text()).unwrap();
        scores["map"].as_f64().unwrap()
    };
    assert_eq!(map(&[]), 0.0);
    assert!(map(&["--synonyms", "syn.txt"]) > 0.0);

    let server = Server::start(&t, &["--quiet", "--synonyms", "syn.txt"]);
    let answer = server.json("/api/search?q=AI", 200);
    assert_eq!(answer["summary"]["total"], 2);
    assert_eq!(answer["summary"]["synonyms"][0]["matched"], "AI");
}

/// Articles on Tampere harbour that say *NATO* or *Atlantic alliance*, and others
/// that share one of the two ways of saying it (each word then is in three
/// articles, as more-like-this wants).
fn harbour() -> Test {
    let articles = [
        (
            "a",
            "NATO comes to Tampere harbour",
            "Warships of NATO moor at Tampere harbour.",
        ),
        (
            "b",
            "A visit from the Atlantic alliance",
            "In Tampere the harbour welcomes the Atlantic alliance.",
        ),
        (
            "c",
            "Ferry timetable",
            "Ferries leave Tampere harbour at noon.",
        ),
        ("d", "NATO in the north", "Generals of NATO met in Oulu."),
        ("e", "NATO budget", "Members of NATO argue over money."),
        (
            "f",
            "Summit",
            "Leaders of the Atlantic alliance met in Vilnius.",
        ),
        (
            "g",
            "Exercises",
            "The Atlantic alliance trains in the snow.",
        ),
        ("h", "Bread prices rise", "Bakers blame flour."),
        ("i", "Snow in May", "Gardeners cover seedlings."),
        ("j", "Library hours", "The reading room opens later."),
    ];
    let lines: Vec<String> = articles
        .iter()
        .map(|(id, title, body)| {
            serde_json::json!({"id": id, "title": title, "body": body, "date": "2024-06-01"})
                .to_string()
        })
        .collect();
    let t = Test::new()
        .file("in/a.jsonl", &(lines.join("\n") + "\n"))
        .file("syn.txt", "NATO, Atlantic alliance\n");
    t.run(["index", "in"]).success();
    t
}

#[test]
fn similar_reads_an_article_s_words_as_their_synonyms_too() {
    let t = harbour();
    let similar = |target: &str, extra: &[&str]| -> (Vec<String>, Value) {
        let mut args = vec!["similar", target];
        args.extend_from_slice(extra);
        let (hits, summary) = t.json_lines(&args, "match");
        let ids = hits
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        (ids, summary)
    };
    // Without the list, the other harbour article shares two of the three words.
    t.run(["similar", "a"]).code(1);
    t.run(["similar", "b"]).code(1);
    // With it, *NATO* and *Atlantic alliance* are one word, both ways; the ferry
    // article (harbour words alone) stays out.
    let (ids, summary) = similar("a", &["--synonyms", "syn.txt"]);
    assert_eq!(ids, ["b"]);
    assert_eq!(
        summary["synonyms"],
        serde_json::json!([{"matched": "nato", "alternatives": ["NATO", "Atlantic alliance"]}])
    );
    let (ids, summary) = similar("b", &["--synonyms", "syn.txt"]);
    assert_eq!(ids, ["a"]);
    assert_eq!(summary["synonyms"][0]["matched"], "atlantic alliance");
    let run = t.run_env(
        ["similar", "a", "--json"],
        "NEWS_SEARCH_SYNONYMS",
        "syn.txt",
    );
    run.success();
    assert!(
        run.stdout_text().contains(r#""id":"b""#),
        "{}",
        run.stdout_text()
    );
    // And in the web API of a server given the list.
    let server = Server::start(&t, &["--quiet", "--synonyms", "syn.txt"]);
    let answer = server.json("/api/articles/a/similar", 200);
    assert_eq!(answer["matches"][0]["id"], "b");
}

#[test]
fn a_missing_or_malformed_list_is_an_error_naming_the_file_and_line() {
    let t = newsroom();
    t.run(["query", "AI", "--synonyms", "nope.txt"])
        .code(2)
        .stderr_has("nope.txt");
    t.write("bad.txt", "AI, artificial intelligence\na => b => c\n");
    for command in [
        vec!["query", "AI"],
        vec!["eval", "--queries", "q", "--qrels", "r"],
        vec!["batch", "-"],
        vec!["serve"],
        vec!["similar", "a1"],
    ] {
        let mut args = command.clone();
        args.extend_from_slice(&["--synonyms", "bad.txt"]);
        t.run_vec(&args)
            .code(2)
            .stderr_has("bad.txt:2: more than one `=>`: a => b => c");
    }
}
