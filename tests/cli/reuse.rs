//! Issue 23, reprinted passages: `news-search reuse` finds a passage planted in
//! five otherwise different articles (two with OCR errors) as one cluster with
//! the right first date, and leaves unrelated articles out of every cluster.

use serde_json::Value;

use super::support::Test;

const PASSAGE: &str = "The steamer Aurora came into the harbour at daybreak with a cargo of \
coffee and hides from Santos, her captain reporting heavy seas off the cape for three days, \
during which two of the crew were washed overboard and lost, and the forward boats were \
stove in before the gale abated near the lightship on the morning of the fourth day";

/// Five papers print the passage inside their own news (two misread); twenty
/// other articles share only phrases shorter than a passage.
pub fn archive() -> Test {
    let misread = |text: &str| {
        text.replace("captain", "cnptain")
            .replace("overboard", "ovcrboard")
            .replace("harbour", "barbour")
    };
    let printings = [
        ("Harbour Gazette", "1916-02-03", PASSAGE.to_string()),
        ("Valley Courier", "1916-02-05", misread(PASSAGE)),
        ("Evening Star", "1916-02-04", PASSAGE.to_string()),
        (
            "Bisbee Daily Review",
            "1916-02-09",
            misread(&PASSAGE.replace("Santos", "Santo")),
        ),
        ("Ogden Standard", "1916-02-07", PASSAGE.to_string()),
    ];
    let openings = [
        "The school board voted to build two new rooms at the east school.",
        "Wheat closed higher on the exchange after a quiet morning.",
        "The county fair will open a week early this year, the board said.",
        "Mrs. Hale entertained the sewing circle on Tuesday afternoon.",
        "A fire in the livery stable was put out before it reached the hay.",
    ];
    let mut lines = Vec::new();
    for (n, (source, date, passage)) in printings.iter().enumerate() {
        let body = format!(
            "{} {passage}. {}",
            openings[n],
            openings[(n + 2) % openings.len()]
        );
        lines.push(
            serde_json::json!({"id": format!("p{n}"), "title": format!("News of the day {n}"),
            "body": body, "date": date, "source": source})
            .to_string(),
        );
    }
    for n in 0..20 {
        let body = format!(
            "{} The council met on Tuesday and the secretary of the treasury was mentioned. Lot {} was sold for {} dollars.",
            openings[n % openings.len()],
            n * 7,
            n * 130 + 45
        );
        lines.push(
            serde_json::json!({"id": format!("o{n}"), "title": "Town notes", "body": body,
            "date": format!("1916-02-{:02}", n + 1), "source": format!("Paper {}", n % 4)})
            .to_string(),
        );
    }
    let t = Test::new().file("archive.jsonl", &(lines.join("\n") + "\n"));
    t.run(["index", "archive.jsonl"]).success();
    t
}

fn clusters(t: &Test, args: &[&str]) -> (Vec<Value>, Value) {
    let mut all = vec!["reuse"];
    all.extend_from_slice(args);
    t.json_lines(&all, "reuse")
}

#[test]
fn a_planted_passage_is_one_cluster_with_its_first_printing() {
    let t = archive();
    let (found, summary) = clusters(&t, &[]);
    assert_eq!(summary["articles"], 25);
    assert_eq!(
        found.len(),
        1,
        "unrelated articles are in no cluster: {found:#?}"
    );
    let cluster = &found[0];
    let ids: Vec<&str> = cluster["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["p0", "p2", "p1", "p4", "p3"], "earliest first");
    assert_eq!(cluster["sources"], 5);
    assert_eq!(cluster["first"], "1916-02-03");
    assert_eq!(cluster["last"], "1916-02-09");
    let passage = cluster["passage"].as_str().unwrap();
    assert!(passage.starts_with("The steamer Aurora"), "{passage}");
    assert!(
        passage.contains("captain") && passage.ends_with("fourth day"),
        "{passage}"
    );
    // Where it lies in each article: the offsets give the passage back.
    let first = &cluster["articles"][0];
    let (start, end) = (
        first["start"].as_u64().unwrap(),
        first["end"].as_u64().unwrap(),
    );
    assert_eq!(end - start, PASSAGE.chars().count() as u64);
}

#[test]
fn reuse_is_narrowed_by_a_query_and_filters_and_refuses_bad_values() {
    let t = archive();
    let (found, _) = clusters(&t, &["steamer", "--until", "1916-02-05"]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["articles"].as_array().unwrap().len(), 3);
    let (found, _) = clusters(&t, &["--min-words", "200"]);
    assert!(found.is_empty(), "the passage is shorter than 200 words");
    t.run(["reuse", "--min-words", "200"]).code(1);
    t.run(["reuse", "--min-words", "0"])
        .code(2)
        .stderr_has("--min-words 0");
    t.run(["reuse", "-n", "0"]).code(2);
    let text = t.run(["reuse"]);
    text.success();
    assert!(
        text.stdout_text()
            .starts_with("1. 5 printings in 5 sources, 1916-02-03 to 1916-02-09")
    );
}

#[test]
fn the_api_gives_the_clusters() {
    let t = archive();
    let (cli, _) = clusters(&t, &[]);
    let server = super::serve::Server::start(&t, &["--quiet"]);
    let api = server.json("/api/reuse", 200);
    assert_eq!(api["clusters"].as_array().unwrap(), &cli);
    assert_eq!(api["summary"]["articles"], 25);
    let narrowed = server.json("/api/reuse?q=steamer&until=1916-02-05", 200);
    assert_eq!(
        narrowed["clusters"][0]["articles"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    server.json("/api/reuse?min_words=3", 400);
}

#[test]
fn an_article_page_lists_where_its_passage_also_appeared() {
    let t = archive();
    let server = super::serve::Server::start(&t, &["--quiet"]);
    let (status, page) = server.get("/articles/p1");
    assert_eq!(status, 200);
    assert!(page.contains("This passage also appeared in…"), "{page}");
    for other in ["p0", "p2", "p3", "p4"] {
        assert!(
            page.contains(&format!("href=\"/articles/{other}\"")),
            "{other} linked"
        );
    }
    assert!(!page.contains("href=\"/articles/p1\""), "not itself");
    let (_, unrelated) = server.get("/articles/o3");
    assert!(!unrelated.contains("also appeared in"));
}
