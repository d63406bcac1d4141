//! Issue 24, batch search: `news-search batch FILE` runs a list of queries (plain
//! lines, `id<TAB>query`, or CSV with filter columns) and gives each one's total,
//! equal to `query -c` under the same filters, and its top hits as CSV, TSV or
//! JSON Lines. CSV parses and is safe to open in a spreadsheet; bad lines are
//! reported by number while the rest run.

use serde_json::Value;

use super::support::Test;

/// The trends archive (90 days of 1916 in two papers) and three articles whose
/// headlines a spreadsheet would take for formulas.
fn archive() -> Test {
    let t = super::trends::archive();
    let hostile = [
        ("h1", "=HYPERLINK(\"http://evil.example\",\"ferry\")"),
        ("h2", "+ferry timetable"),
        ("h3", "@SUM(1+1) ferry"),
    ]
    .map(|(id, title)| {
        serde_json::json!({"id": id, "title": title, "body": "A ferry notice.", "date": "1916-02-10", "source": "-Dash Gazette"})
            .to_string()
    })
    .join("\n");
    t.write("hostile.jsonl", &(hostile + "\n"));
    t.run(["index", "hostile.jsonl"]).success();
    t
}

fn count(t: &Test, args: &[&str]) -> u64 {
    let mut all = vec!["query"];
    all.extend_from_slice(args);
    all.push("-c");
    t.run_vec(&all).stdout_text().trim().parse().unwrap()
}

/// Parses CSV into its header and rows.
fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

const LIST: &str = "id,query,since,until,source\n\
    s,strike,,,\n\
    s-feb,strike,1916-02,1916-02,\n\
    f-star,ferry,,,Evening Star\n\
    quoted,\"\"\"mill hands\"\"\",,,\n\
    none,zeppelin,,,\n\
    f,ferry,,,\n";

#[test]
fn batch_totals_equal_query_counts_and_the_csv_parses_and_is_safe() {
    let t = archive();
    t.write("list.csv", LIST);

    // JSON Lines: a `batch` line per query with the total `query -c` gives.
    let run = t.run(["batch", "list.csv", "--json", "-n", "3"]);
    run.success();
    let lines: Vec<Value> = run
        .stdout_text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let batches: Vec<&Value> = lines.iter().filter(|l| l["type"] == "batch").collect();
    let ids: Vec<&str> = batches
        .iter()
        .map(|b| b["data"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["s", "s-feb", "f-star", "quoted", "none", "f"]);
    let expected = [
        count(&t, &["strike"]),
        count(&t, &["strike", "--since", "1916-02", "--until", "1916-02"]),
        count(&t, &["ferry", "--source", "Evening Star"]),
        count(&t, &["\"mill hands\""]),
        0,
        count(&t, &["ferry"]),
    ];
    let totals: Vec<u64> = batches
        .iter()
        .map(|b| b["data"]["total"].as_u64().unwrap())
        .collect();
    assert_eq!(totals, expected);
    assert!(expected[1] < expected[0] && expected[2] < expected[5] && expected[1] > 0);
    // Its matches come first, each carrying the query's id, at most -n of them.
    for (n, line) in lines.iter().enumerate() {
        if line["type"] == "match" {
            let owner = lines[n..].iter().find(|l| l["type"] == "batch").unwrap();
            assert_eq!(line["data"]["query_id"], owner["data"]["id"]);
        }
    }
    let matches = lines.iter().filter(|l| l["type"] == "match").count() as u64;
    assert_eq!(matches, expected.iter().map(|&c| c.min(3)).sum::<u64>());
    let summary = lines.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["data"]["queries"], 6);
    assert_eq!(summary["data"]["matched"], 5);

    // CSV (the default): the header, one row per (query, hit), formulas defused.
    let out = t.run(["batch", "list.csv", "-n", "3"]).stdout_text();
    let (header, rows) = parse_csv(&out);
    assert_eq!(
        header,
        [
            "query_id", "query", "rank", "id", "title", "date", "source", "score", "url", "path"
        ]
    );
    assert_eq!(rows.len() as u64, matches);
    let f: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "f").collect();
    assert_eq!(
        f.iter().map(|r| r[2].as_str()).collect::<Vec<_>>(),
        ["1", "2", "3"]
    );
    assert!(rows.iter().any(|r| r[1] == "\"mill hands\""), "{out}");
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula cell: {cell:?} in {row:?}"
            );
        }
    }
    // The hostile headlines are there, as text.
    let all = t.run(["batch", "list.csv", "-n", "100"]).stdout_text();
    let (_, rows) = parse_csv(&all);
    let titles: Vec<&str> = rows.iter().map(|r| r[4].as_str()).collect();
    assert!(
        titles.contains(&"'=HYPERLINK(\"http://evil.example\",\"ferry\")"),
        "{titles:?}"
    );
    assert!(titles.contains(&"'+ferry timetable") && titles.contains(&"'@SUM(1+1) ferry"));
    assert!(rows.iter().any(|r| r[6] == "'-Dash Gazette"));

    // TSV: the same rows, tab-separated.
    let tsv = t
        .run(["batch", "list.csv", "-n", "3", "--format", "tsv"])
        .stdout_text();
    let tsv_rows: Vec<Vec<&str>> = tsv.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(tsv_rows[0], header);
    assert_eq!(tsv_rows.len() as u64, matches + 1);
    assert!(tsv_rows.iter().all(|r| r.len() == 10));
}

#[test]
fn plain_and_tab_separated_lists_and_stdin() {
    let t = archive();
    t.write("names.txt", "strike\n\nq2\tferry\n");
    let out = t.run(["batch", "names.txt", "--json"]).stdout_text();
    let last: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(last["data"]["queries"], 2);
    let out = t
        .run(["batch", "names.txt", "-n", "1", "--format", "tsv"])
        .stdout_text();
    let ids: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(ids, ["1", "q2"], "a plain line's id is its line number");
    let piped = t.run_stdin(["batch", "-", "-n", "1", "--format", "tsv"], "strike\n");
    piped.success();
    assert_eq!(piped.stdout_text().lines().count(), 2);
    // Nothing found at all: exit 1, as `query`.
    t.write("none.txt", "zeppelin\n");
    t.run(["batch", "none.txt"]).code(1);
}

#[test]
fn bad_lines_are_reported_by_number_and_the_rest_still_run() {
    let t = archive();
    t.write(
        "list.csv",
        "query,since,lang\nstrike,,\nferry,last Tuesday,\n,1916-02,\nferry,,xx\n\"mill hands\",,\n,,\n",
    );
    let run = t.run(["batch", "list.csv", "--format", "tsv"]);
    run.code(2);
    let err = run.stderr_text();
    assert!(err.contains("list.csv:3: column since: "), "{err}");
    assert!(
        err.contains("list.csv:4: the `query` cell is empty"),
        "{err}"
    );
    assert!(err.contains("list.csv:5: column lang: `xx`"), "{err}");
    assert!(err.contains("3 of its lines could not be run"), "{err}");
    let out = run.stdout_text();
    assert!(out.lines().any(|l| l.starts_with("2\tstrike\t")), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("6\tmill hands\t")),
        "{out}"
    );

    t.write("empty.txt", "\n\n");
    t.run(["batch", "empty.txt"])
        .code(2)
        .stderr_has("empty.txt: no queries in it");
    t.run(["batch", "missing.txt"])
        .code(2)
        .stderr_has("missing.txt");
    t.run(["batch", "empty.txt", "-n", "1001"]).code(2);
    t.write("unknown.csv", "query,colour\nstrike,red\n");
    // A spreadsheet's other columns are noted, not errors.
    t.run(["batch", "unknown.csv"])
        .success()
        .stderr_has("unknown.csv:1: column `colour` not read");
}

/// POSTs a form to `path`: status and body.
fn post(server: &super::serve::Server, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let agent = ureq::AgentBuilder::new().build();
    match agent
        .post(&format!("{}{path}", server.base))
        .send_form(form)
    {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap()),
        Err(e) => panic!("{path}: {e}"),
    }
}

#[test]
fn the_page_runs_a_posted_list_and_gives_the_same_csv() {
    let t = archive();
    t.write("list.csv", LIST);
    let server = super::serve::Server::start(&t, &["--quiet"]);
    let (status, form) = server.get("/batch");
    assert_eq!(status, 200);
    assert!(
        form.contains(r#"<form id="batch" method="post" action="/batch">"#),
        "{form}"
    );

    let (status, page) = post(&server, "/batch", &[("list", LIST), ("limit", "3")]);
    assert_eq!(status, 200, "{page}");
    let totals: Vec<String> = page
        .split("<td class=\"total\">")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap().to_string())
        .collect();
    let strike = count(&t, &["strike"]).to_string();
    assert_eq!(totals.len(), 6, "{page}");
    assert_eq!(totals[0], strike);
    assert_eq!(totals[4], "0");
    assert!(page.contains("6 queries, 5 with matches."));
    // A hostile headline is text on the page.
    assert!(!page.contains("<a href=\"http://evil.example"), "{page}");

    // The CSV download is what the command line writes.
    let (status, csv) = post(&server, "/batch.csv", &[("list", LIST), ("limit", "3")]);
    assert_eq!(status, 200);
    assert_eq!(csv, t.run(["batch", "list.csv", "-n", "3"]).stdout_text());

    // Limits: an empty list, a bad limit, too many queries, too large a body.
    assert_eq!(post(&server, "/batch", &[("list", " \n")]).0, 400);
    assert_eq!(
        post(&server, "/batch", &[("list", "x"), ("limit", "101")]).0,
        400
    );
    let many = "ferry\n".repeat(1001);
    let (status, body) = post(&server, "/batch", &[("list", &many)]);
    assert_eq!(status, 400);
    assert!(body.contains("at most 1000"), "{body}");
    // (The server answers a body over 1 MB before reading it: ask with the head.)
    let address = server.base.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    use std::io::{Read, Write};
    write!(
        stream,
        "POST /batch HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1100000\r\n\r\nlist=x"
    )
    .unwrap();
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 413");
    // Other routes still take no body.
    assert_eq!(post(&server, "/api/search", &[("q", "ferry")]).0, 405);
}
