//! Issue 24, saved searches and watchlists: `watch add` saves a query or a list
//! with the index; each `index` run records the articles it added that match, says
//! so on stderr and hands them to `--notify`; `watch new` lists exactly those
//! (not older articles, not unchanged ones read again) until `--mark-read`.

use serde_json::Value;

use super::support::Test;

fn article(id: &str, title: &str, body: &str, day: u32) -> String {
    serde_json::json!({"id": id, "title": title, "body": body,
        "date": format!("1916-03-{day:02}"), "source": "Evening Star"})
    .to_string()
}

/// The `new` lines of `watch new ARGS --json`, as (watch, id, line) triples.
fn unread(t: &Test, args: &[&str]) -> Vec<(String, String, u64)> {
    let mut all = vec!["watch", "new"];
    all.extend_from_slice(args);
    let (found, _) = t.json_lines(&all, "new");
    let mut triples: Vec<(String, String, u64)> = found
        .iter()
        .map(|m| {
            (
                m["watch"].as_str().unwrap().to_string(),
                m["id"].as_str().unwrap().to_string(),
                m["line"].as_u64().unwrap(),
            )
        })
        .collect();
    triples.sort();
    triples
}

fn triple(watch: &str, id: &str, line: u64) -> (String, String, u64) {
    (watch.to_string(), id.to_string(), line)
}

#[test]
fn watch_new_lists_exactly_the_articles_a_run_added_or_changed() {
    exactly_what_runs_added(&Test::new());
}

/// The scenario of saved searches over runs, on the index `t`'s runs use (a local
/// folder, or a Quickwit index through `NEWS_SEARCH_INDEX`).
pub fn exactly_what_runs_added(t: &Test) {
    t.write(
        "in/old.jsonl",
        &(article("o1", "Ferry late", "The ferry was late.", 1) + "\n"),
    );
    t.run(["index", "in"]).success();
    t.run(["watch", "add", "ferries", "ferry"]).success();
    t.write("names.txt", "Pedro Alvarez\nq2\tmill strike\n");
    t.run(["watch", "add", "names", "--file", "names.txt"])
        .success();
    // Older articles are not news.
    t.run(["watch", "new"]).code(1);
    t.run(["index", "in"]).success();
    t.run(["watch", "new"]).code(1);

    let day1 = [
        article("n1", "Ferry sinks", "The ferry sank off the point.", 2),
        article(
            "n2",
            "Mill strike",
            "The mill strike goes on; Pedro Alvarez spoke.",
            2,
        ),
        article("n3", "Weather", "Rain all day.", 2),
    ];
    t.write("in/day1.jsonl", &(day1.join("\n") + "\n"));
    let run = t.run(["index", "in"]);
    run.success();
    let err = run.stderr_text();
    assert!(err.contains("watch \"ferries\": 1 new"), "{err}");
    assert!(err.contains("watch \"names\": 1 new"), "{err}");
    assert_eq!(
        unread(t, &[]),
        [
            triple("ferries", "n1", 1),
            triple("names", "n2", 1),
            triple("names", "n2", 2)
        ]
    );
    // One watch only; the text lines say which line of the list matched.
    assert_eq!(unread(t, &["ferries"]), [triple("ferries", "n1", 1)]);
    let text = t.run(["watch", "new", "names"]).stdout_text();
    assert!(text.contains("\tPedro Alvarez (line 1)\tn2"), "{text}");
    assert!(text.contains("\tmill strike (line 2)\tn2"), "{text}");

    // Read again unchanged: nothing new, nothing doubled.
    t.run(["watch", "new", "--mark-read"]).success();
    t.run(["index", "in"]).success();
    t.run(["watch", "new"]).code(1);
    // A text the index holds, in another file: not news (a local index drops the
    // copy; Quickwit keeps it).
    t.write(
        "in/copy.jsonl",
        &(article("c1", "Ferry sinks", "The ferry sank off the point.", 2) + "\n"),
    );
    t.run(["index", "in"]).success();
    t.run(["watch", "new"]).code(1);

    // The file changes: n1 is kept as it was, n2 is rewritten, n4 is added.
    let day1 = [
        article("n1", "Ferry sinks", "The ferry sank off the point.", 2),
        article(
            "n2",
            "Mill strike",
            "The mill strike is over; Pedro Alvarez left.",
            2,
        ),
        article("n4", "Ferry raised", "The ferry was raised.", 3),
    ];
    t.write("in/day1.jsonl", &(day1.join("\n") + "\n"));
    t.run(["index", "in"]).success();
    assert_eq!(
        unread(t, &[]),
        [
            triple("ferries", "n4", 1),
            triple("names", "n2", 1),
            triple("names", "n2", 2)
        ]
    );
    // --mark-read for one watch leaves the other's.
    t.run(["watch", "new", "ferries", "--mark-read"]).success();
    t.run(["watch", "new", "ferries"]).code(1);
    assert_eq!(unread(t, &[]).len(), 2);

    // `watch list` gives the unread counts.
    let list = t.run(["watch", "list", "--json"]).stdout_text();
    let watches: Vec<Value> = list
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["data"].clone())
        .collect();
    assert_eq!(watches[0]["name"], "ferries");
    assert_eq!(watches[0]["unread"], 0);
    assert_eq!(watches[0]["query"], "ferry");
    assert_eq!(watches[1]["unread"], 2);
    assert_eq!(watches[1]["queries"], 2);

    // Articles piped in count too.
    t.run_stdin(
        ["index", "-"],
        &(article("s1", "Ferry news", "A new ferry line.", 4) + "\n"),
    )
    .success()
    .stderr_has("watch \"ferries\": 1 new");
}

#[test]
fn notify_receives_the_new_matches_and_a_failing_command_loses_nothing() {
    let t = Test::new().file(
        "in/a.jsonl",
        &(article("a1", "Town", "Nothing much.", 1) + "\n"),
    );
    t.run(["index", "in"]).success();
    t.run(["watch", "add", "ferries", "ferry", "--since", "1916-03-02"])
        .success();
    t.write(
        "in/b.jsonl",
        &([
            article("b1", "Ferry", "The ferry came in.", 1),
            article("b2", "Ferry", "The ferry went out.", 5),
        ]
        .join("\n")
            + "\n"),
    );
    let got = t.path("got.jsonl");
    let command = format!("cat > '{}'", got.display());
    t.run(["index", "in", "--notify", &command]).success();
    let lines: Vec<Value> = std::fs::read_to_string(&got)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "the watch's --since leaves b1 out: {lines:?}"
    );
    assert_eq!(lines[0]["type"], "new");
    assert_eq!(lines[0]["data"]["id"], "b2");
    assert_eq!(lines[0]["data"]["watch"], "ferries");
    assert_eq!(lines[0]["data"]["query"], "ferry");

    // Nothing new: the command is not run.
    std::fs::remove_file(&got).unwrap();
    t.run(["index", "in", "--notify", &command]).success();
    assert!(!got.exists());

    t.write(
        "in/c.jsonl",
        &(article("c1", "Ferry", "A ferry again.", 6) + "\n"),
    );
    let run = t.run(["index", "in", "--notify", "cat > /dev/null; exit 3"]);
    run.success();
    assert!(
        run.stderr_text()
            .contains("--notify command exited with 3; the 1 new matches stay recorded"),
        "{}",
        run.stderr_text()
    );
    assert_eq!(
        unread(&t, &[]),
        [triple("ferries", "b2", 1), triple("ferries", "c1", 1)]
    );
}

#[test]
fn watch_errors_are_clear() {
    let t = Test::new();
    t.run(["watch", "list"]).code(2).stderr_has("no index at");
    let t = Test::new().file("a.jsonl", &(article("a1", "Town", "Nothing.", 1) + "\n"));
    t.run(["index", "a.jsonl"]).success();
    t.run(["watch", "add", "bad name", "x"])
        .code(2)
        .stderr_has("`bad name` is not a watch name");
    t.run(["watch", "add", "w", "x"]).success();
    t.run(["watch", "add", "w", "y"])
        .code(2)
        .stderr_has("a watch named `w` exists");
    t.run(["watch", "add", "w", "y", "--replace"]).success();
    t.run(["watch", "add", "v", "x", "--since", "soon"])
        .code(2)
        .stderr_has("--since");
    t.run(["watch", "add", "v", "--file", "missing.txt"])
        .code(2)
        .stderr_has("missing.txt");
    t.write("empty.txt", "\n");
    t.run(["watch", "add", "v", "--file", "empty.txt"])
        .code(2)
        .stderr_has("empty.txt: no queries in it");
    t.run(["watch", "remove", "nope"])
        .code(2)
        .stderr_has("no watch named `nope`");
    t.run(["watch", "new", "nope"]).code(2);
    t.run(["watch", "remove", "w"]).success();
    assert_eq!(t.run(["watch", "list"]).stdout_text(), "");
    t.run([
        "watch",
        "list",
        "--index",
        "quickwit+http://127.0.0.1:1/news",
    ])
    .code(2)
    .stderr_has("quickwit+http://127.0.0.1:1/news: cannot reach the Quickwit node");
    // The index stays sound with the watches beside it.
    t.run(["check"]).success();
}
