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
    ] {
        let mut args = command.clone();
        args.extend_from_slice(&["--synonyms", "bad.txt"]);
        t.run_vec(&args)
            .code(2)
            .stderr_has("bad.txt:2: more than one `=>`: a => b => c");
    }
}
