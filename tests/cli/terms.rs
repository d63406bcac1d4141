//! Issue 23, distinctive terms: `news-search terms` finds what is unusual in a
//! query's matches (a planted name first, whole), leaves out stop words, a
//! paper's masthead and OCR debris, and gives exact counts inside and outside.

use serde_json::Value;

use super::serve::Server;
use super::support::Test;

/// Sixty articles from two papers. Twenty are about a strike, told in varied
/// sentences that the other articles use too. The Review covered the strike
/// (eighteen of the twenty) and little else (five others), and its masthead
/// closes each of its articles: by share alone the masthead would be the most
/// unusual phrase of the strike. Seven strike articles (and one other) name the
/// organizer Pedro Alvarez.
fn archive() -> Test {
    let sentences = [
        "The mill hands stayed out for another day.",
        "They ask for higher wages and a shorter week.",
        "Pickets stood at the gates.",
        "The owners said the works would open on Monday.",
        "A meeting was held in the hall last night.",
        "The sheriff sent deputies to keep the peace.",
        "Families of the men were given bread by the church.",
        "Trains carried ore to the smelter as before.",
    ];
    let topics = [
        "The council met to discuss the new water main and the cost of paving the square.",
        "Rain fell across the valley and the river rose a foot above its banks by evening.",
        "The ferry to the island was late again, the captain blaming fog in the channel.",
        "A new school opened on the hill with forty pupils and two teachers from the east.",
    ];
    let mut lines = Vec::new();
    for n in 0..60usize {
        let strike = n < 20;
        let review = if strike { n % 10 != 0 } else { n % 8 == 0 };
        let mut body = String::new();
        if strike {
            for k in 0..3 {
                body.push_str(sentences[(n * 3 + k * 5) % sentences.len()]);
                body.push(' ');
            }
            body.push_str("Xqzv wrkk. ");
        } else {
            body.push_str(topics[n % topics.len()]);
            // The strike's sentences are common elsewhere too.
            body.push(' ');
            body.push_str(sentences[n % sentences.len()]);
        }
        if (strike && n % 3 == 0) || n == 45 {
            let said = [
                " Pedro Alvarez spoke to the crowd.",
                " The union, said Pedro Alvarez, will hold.",
                " Nobody had seen Pedro Alvarez since noon.",
                " Pedro Alvarez wrote to the governor.",
            ];
            body.push_str(said[n % said.len()]);
        }
        if review {
            body.push_str(" Printed every morning by the Copper Camp Printing Company.");
        }
        lines.push(
            serde_json::json!({
                "id": format!("a{n}"),
                "title": if strike { "Strike" } else { "Town notes" },
                "body": body,
                "date": format!("1916-03-{:02}", n % 28 + 1),
                "source": if review { "Bisbee Daily Review" } else { "Evening Star" },
            })
            .to_string(),
        );
    }
    let t = Test::new().file("archive.jsonl", &(lines.join("\n") + "\n"));
    t.run(["index", "archive.jsonl"]).success();
    t
}

fn terms(t: &Test, args: &[&str]) -> (Vec<Value>, Value) {
    let mut all = vec!["terms"];
    all.extend_from_slice(args);
    t.json_lines(&all, "term")
}

#[test]
fn a_planted_name_tops_the_terms_whole_and_counted_exactly() {
    let t = archive();
    let (found, summary) = terms(&t, &["strike", "-n", "10"]);
    let names: Vec<&str> = found.iter().map(|t| t["term"].as_str().unwrap()).collect();
    assert_eq!(names[0], "pedro alvarez", "{found:#?}");
    assert!(
        !names.contains(&"alvarez") && !names.contains(&"pedro"),
        "{names:?}"
    );
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with("the ") || n.ends_with(" the") || *n == "the"),
        "stop words only inside phrases: {names:?}"
    );
    for left_out in [
        "xqzv",
        "wrkk",
        "strike",
        "printed every morning",
        "copper camp printing",
    ] {
        let hit = |n: &&str| match left_out.contains(' ') {
            true => n.contains(left_out),
            false => n.split(' ').any(|w| w == left_out),
        };
        assert!(
            !names.iter().any(hit),
            "{left_out} is the query, debris or a masthead: {names:?}"
        );
    }
    assert_eq!(summary["matching"], 20);
    assert_eq!(summary["background"], 60);
    assert_eq!(summary["measure"], "jlh");
    let count = |q: &str| -> u64 {
        t.run(["query", q, "-c"])
            .stdout_text()
            .trim()
            .parse()
            .unwrap()
    };
    assert_eq!(found[0]["in"], count("strike \"pedro alvarez\""));
    assert_eq!(found[0]["in"], 7);
    assert_eq!(found[0]["out"], 1);
    assert!(
        found
            .windows(2)
            .all(|w| w[0]["score"].as_f64() >= w[1]["score"].as_f64())
    );

    // Against a background query instead of the whole archive.
    let (against, summary) = terms(&t, &["strike", "--background", "mill", "-n", "5"]);
    assert_eq!(summary["background"], count("mill"));
    assert!(against.iter().all(|t| t["term"] != "mill"));
}

#[test]
fn terms_are_tab_separated_when_piped_and_bad_requests_are_refused() {
    let t = archive();
    let run = t.run(["terms", "strike", "-n", "1"]);
    run.success();
    let out = run.stdout_text();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "term\tin\tout\tscore");
    assert!(lines[1].starts_with("pedro alvarez\t7\t1\t"), "{out}");
    t.run(["terms", "strike", "-n", "0"]).code(2);
    t.run(["terms", "strike", "-n", "101"]).code(2);
    t.run(["terms", "", "-n", "5"]).code(2);
    t.run(["terms", "zeppelin"]).code(1);
}

#[test]
fn the_api_and_the_results_page_give_the_terms() {
    let t = archive();
    let (cli, _) = terms(&t, &["strike", "-n", "5"]);
    let server = Server::start(&t, &["--quiet"]);
    let api = server.json("/api/terms?q=strike&limit=5", 200);
    assert_eq!(api["terms"].as_array().unwrap(), &cli);
    server.json("/api/terms?q=strike&limit=0", 400);
    server.json("/api/terms", 400);

    let (_, page) = server.get("/?q=strike");
    assert!(page.contains("Distinctive in these results") && page.contains("terms=1"));
    let (status, page) = server.get("/?q=strike&terms=1");
    assert_eq!(status, 200);
    assert!(
        page.contains("href=\"/?q=strike+%22pedro+alvarez%22\""),
        "a term adds itself to the query: {page}"
    );
}
