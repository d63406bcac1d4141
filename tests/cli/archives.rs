//! Issue 12's archive items: exact sources, languages, sidecar tables, OCR pages.

use crate::support::Test;

fn papers() -> Test {
    let line = |id: &str, source: &str| {
        format!(
            "{{\"id\":\"{id}\",\"title\":\"Comet seen {id}\",\"body\":\"Observers saw the comet over the bay, reports {id}.\",\"source\":\"{source}\"}}\n"
        )
    };
    let lines = [
        line("a", "Evening star."),
        line("b", "The evening star"),
        line("c", "The Ocala evening star."),
        line("d", "Le Café du Matin"),
        line("e", "Morning Star"),
    ]
    .concat();
    let t = Test::new().file("papers.jsonl", &lines);
    t.run(["index", "papers.jsonl"]).success();
    t
}

fn ids(t: &Test, source: &str) -> Vec<String> {
    let (hits, _) = t.json(["query", "comet", "--source", source]);
    let mut ids: Vec<String> = hits
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_source_filter_matches_the_whole_name() {
    let t = papers();
    // Case, a leading "The" and trailing punctuation aside, the whole name.
    assert_eq!(ids(&t, "Evening star"), ["a", "b"]);
    assert_eq!(ids(&t, "the EVENING STAR."), ["a", "b"]);
    assert_eq!(ids(&t, "Ocala evening star"), ["c"]);
    assert_eq!(ids(&t, "le cafe du matin"), ["d"]);
    // `~` asks for names that contain the words.
    assert_eq!(ids(&t, "~star"), ["a", "b", "c", "e"]);
    assert_eq!(ids(&t, "~evening star"), ["a", "b", "c"]);
    // Two flags: either source.
    let (hits, _) = t.json([
        "query",
        "comet",
        "--source",
        "Morning star",
        "--source",
        "Le Café du Matin",
    ]);
    assert_eq!(hits.len(), 2);
    // A name no article has: said, with the closest names, and exit 1.
    t.run(["query", "comet", "--source", "Evening stars"])
        .code(1)
        .stderr_has("no source is named \"Evening stars\"; closest: \"Evening star.\"");
    t.run(["query", "comet", "--source", "Evening stars", "-c"])
        .code(1)
        .stdout_is("0\n");
}
