//! `news-search serve`: the JSON API and the page, over loopback against a server
//! started on port 0, as a program or a browser without JavaScript would use them.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::support::Test;

/// A running server, stopped (SIGTERM) when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl Server {
    /// Starts `serve` on a free loopback port with `extra` arguments.
    pub fn start(t: &Test, extra: &[&str]) -> Server {
        let mut args = vec!["serve", "--addr", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        let mut child = t
            .command_for_vec(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line: {line:?}"))
            .trim_end_matches('/')
            .to_string();
        Server { child, base }
    }

    /// GET `path`: status and body.
    pub fn get(&self, path: &str) -> (u16, String) {
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(30))
            .build();
        match agent.get(&format!("{}{path}", self.base)).call() {
            Ok(response) => (response.status(), response.into_string().unwrap()),
            Err(ureq::Error::Status(code, response)) => (code, response.into_string().unwrap()),
            Err(e) => panic!("{path}: {e}"),
        }
    }

    /// GET `path` as JSON, asserting the status.
    pub fn json(&self, path: &str, status: u16) -> Value {
        let (got, body) = self.get(path);
        assert_eq!(got, status, "{path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
    }

    /// Sends SIGTERM, waits, and gives what the server wrote on stderr (its
    /// warnings and access log).
    pub fn stop_and_read_stderr(mut self) -> String {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        let mut text = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            std::io::Read::read_to_string(&mut stderr, &mut text).unwrap();
        }
        text
    }

    /// Sends SIGTERM and waits: the exit status.
    pub fn stop(mut self) -> Option<i32> {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let status = self.child.wait().unwrap();
        status.code()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The sample corpus, indexed.
pub fn corpus() -> Test {
    let t = Test::new();
    let corpus = super::support::project_dir().join("corpus");
    t.run_args(["index".into(), corpus.into_os_string()])
        .success();
    t
}

fn error_kind(value: &Value) -> &str {
    value["error"]["kind"].as_str().unwrap_or("")
}

#[test]
fn the_api_answers_as_the_command_line_does() {
    let t = corpus();
    let server = Server::start(&t, &["--quiet"]);
    let api = server.json("/api/search?q=AI+centre", 200);
    let (cli, summary) = t.json(["query", "AI centre"]);
    let ids = |hits: &[Value]| -> Vec<String> {
        hits.iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(api["matches"].as_array().unwrap()), ids(&cli));
    assert_eq!(api["summary"]["total"], summary["total"]);
    assert_eq!(api["summary"]["top_sources"], summary["top_sources"]);
    assert_eq!(api["matches"][0]["snippets"], cli[0]["snippets"]);
    assert_eq!(
        api["matches"][0]["title_highlights"],
        cli[0]["title_highlights"]
    );

    // Every parameter means what its flag means.
    for (params, flags) in [
        (
            "q=centre&limit=2&offset=1",
            vec!["centre", "-n", "2", "--offset", "1"],
        ),
        ("q=centre&sort=newest", vec!["centre", "--sort", "newest"]),
        (
            "q=centre&sort=oldest&limit=3",
            vec!["centre", "--sort", "oldest", "-n", "3"],
        ),
        ("q=centre&recent=7d", vec!["centre", "--recent=7d"]),
        (
            "q=centre&since=2024-07&until=2024-07",
            vec!["centre", "--since", "2024-07", "--until", "2024-07"],
        ),
        (
            "q=strike&source=Harbour+Post&source=Global+Wire",
            vec![
                "strike",
                "--source",
                "Harbour Post",
                "--source",
                "Global Wire",
            ],
        ),
        (
            "q=%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD&lang=zh",
            vec!["人工智能", "--lang", "zh"],
        ),
        ("q=wind+solar&any", vec!["wind solar", "--any"]),
        (
            "q=syndicated&collapse=false",
            vec!["syndicated", "--no-collapse"],
        ),
        (
            "q=centre&snippets=1&snippet_chars=80",
            vec!["centre", "--snippets", "1", "--snippet-chars", "80"],
        ),
    ] {
        let api = server.json(&format!("/api/search?{params}"), 200);
        let mut args = vec!["query"];
        args.extend(flags);
        args.push("--json");
        let run = t.run_vec(&args);
        let lines: Vec<Value> = run
            .stdout_text()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let cli: Vec<Value> = lines[..lines.len() - 1]
            .iter()
            .map(|l| l["data"].clone())
            .collect();
        assert_eq!(
            ids(api["matches"].as_array().unwrap()),
            ids(&cli),
            "{params}"
        );
        let cli_summary = &lines[lines.len() - 1]["data"];
        assert_eq!(api["summary"]["total"], cli_summary["total"], "{params}");
        if params.contains("snippets=1") {
            assert_eq!(api["matches"][0]["snippets"], cli[0]["snippets"]);
        }
    }

    let timeline = server.json("/api/search?q=centre&timeline=month&limit=1", 200);
    let (_, cli) = t.json(["query", "centre", "--timeline", "month"]);
    assert_eq!(timeline["summary"]["timeline"], cli["timeline"]);
    let unit = server.json("/api/timeline?q=centre&unit=year", 200);
    let years: u64 = unit["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(
        years + unit["missing"].as_u64().unwrap(),
        cli["total"].as_u64().unwrap()
    );

    let id = api["matches"][0]["id"].as_str().unwrap().to_string();
    let article = server.json(&format!("/api/articles/{id}"), 200);
    let show: Value = serde_json::from_str(
        t.run(["show", &id, "--json"])
            .stdout_text()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(article, show);
    let similar = server.json(&format!("/api/articles/{id}/similar?limit=3"), 200);
    assert!(similar["matches"].as_array().unwrap().len() <= 3);
    let stats = server.json("/api/stats", 200);
    assert_eq!(stats["articles"], t.stats()["articles"]);

    let (status, csv) = server.get("/api/search?q=centre&format=csv");
    assert_eq!(status, 200);
    assert!(csv.starts_with("rank,score,id,title,"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + api_hits(&server, "q=centre"));
    let (status, jsonl) = server.get("/api/search?q=centre&format=jsonl");
    assert_eq!(status, 200);
    let last: Value = serde_json::from_str(jsonl.lines().last().unwrap()).unwrap();
    assert_eq!(last["type"], "summary");
    assert_eq!(server.stop(), Some(0));
}

fn api_hits(server: &Server, params: &str) -> usize {
    server.json(&format!("/api/search?{params}"), 200)["matches"]
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn errors_are_json_with_a_kind_and_the_server_survives_them() {
    let t = corpus();
    let server = Server::start(&t, &["--quiet"]);
    for (path, status, kind) in [
        ("/api/search", 400, "bad_request"),
        ("/api/search?q=", 400, "bad_request"),
        ("/api/search?q=centre&limit=1001", 400, "bad_request"),
        ("/api/search?q=centre&limit=ten", 400, "bad_request"),
        ("/api/search?q=centre&since=yesterday", 400, "bad_request"),
        ("/api/search?q=centre&sort=best", 400, "bad_request"),
        ("/api/search?q=centre&format=xml", 400, "bad_request"),
        ("/api/search?q=%2Fcent.*%2F", 400, "query"),
        (
            "/api/search?q=date%3A%5B999999999999d+TO+*%5D",
            400,
            "query",
        ),
        (
            "/api/search?q=centre&since=999999999999d",
            400,
            "bad_request",
        ),
        ("/api/articles/no-such-id", 404, "not_found"),
        ("/api/articles/no-such-id/similar", 404, "not_found"),
        ("/api/nothing", 404, "not_found"),
    ] {
        let body = server.json(path, status);
        assert_eq!(error_kind(&body), kind, "{path}: {body}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    }
    let nested = format!(
        "/api/search?q={}centre{}",
        "%28".repeat(10_000),
        "%29".repeat(10_000)
    );
    let body = server.json(&nested, 400);
    assert_eq!(error_kind(&body), "query");
    // Up to hyper's 64 KB request line, a long query is the API's JSON error.
    let long = format!("/api/search?q={}", "word+".repeat(12_000));
    assert_eq!(error_kind(&server.json(&long, 400)), "query");
    // Longer: hyper's own 414 (URI over 64 KB) or, past its 400 KB read buffer as
    // for this 1 MB query string, 431. The server keeps serving.
    let (status, _) = server.get(&format!("/api/search?q={}", "word+".repeat(13_500)));
    assert_eq!(status, 414);
    let (status, _) = server.get(&format!("/api/search?q={}", "word+".repeat(200_000)));
    assert_eq!(status, 431);
    server.json("/api/search?q=centre", 200);
    let (status, page) = server.get("/?q=%2Fbad%2F");
    assert_eq!(status, 400);
    assert!(page.contains("class=\"error\""), "{page}");
}

#[test]
fn the_page_works_without_javascript_and_escapes_article_text() {
    // A text file keeps what looks like markup as text (JSON fields holding HTML
    // are read as HTML), so the page must escape it.
    let t = corpus().file(
        "hostile/a.txt",
        "Title: Zebra <script>alert(1)</script> <img src=x onerror=alert(2)>\n\
         URL: javascript:alert(4)\nSource: Evil <b>Wire</b>\n\n\
         The zebra <script>document.title='owned'</script> escaped. \
         <a href=\"javascript:alert(3)\">click</a>\n",
    );
    t.run(["index", "hostile"]).success();
    let (hits, _) = t.json(["query", "zebra"]);
    let evil = hits[0]["id"].as_str().unwrap().to_string();
    let server = Server::start(&t, &["--quiet"]);
    let (status, page) = server.get("/?q=AI+centre");
    assert_eq!(status, 200);
    assert!(page.contains("<mark>AI</mark>"), "{page}");
    assert!(page.contains("AIM Global") || page.contains("centre of excellence"));
    assert!(page.contains("href=\"/articles/"), "article links");
    assert!(page.contains("<svg"), "timeline");
    assert!(page.contains("class=\"facet"), "source facets");
    assert!(page.contains("format=csv") && page.contains("format=jsonl"));

    let (_, page) = server.get("/?q=zebra");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<img src=x"), "{page}");
    assert!(page.contains("&lt;script&gt;"), "{page}");
    let (status, article) = server.get(&format!("/articles/{evil}?q=zebra"));
    assert_eq!(status, 200);
    assert!(!article.contains("<script>document"), "{article}");
    assert!(!article.contains("href=\"javascript:"), "{article}");
    assert!(article.contains("<mark>Zebra</mark>"), "{article}");
    // The only script is the page's own file.
    assert_eq!(article.matches("<script").count(), 1);
    let (status, _) = server.get("/articles/none");
    assert_eq!(status, 404);
}

#[test]
fn a_search_past_the_time_budget_is_a_503_and_the_server_goes_on() {
    let t = corpus();
    // A budget of a microsecond: no search can finish before it is checked.
    let server = Server::start(&t, &["--quiet", "--timeout", "0.000001"]);
    for path in [
        "/api/search?q=centre",
        "/api/timeline?q=centre",
        "/api/stats",
    ] {
        let body = server.json(path, 503);
        assert_eq!(error_kind(&body), "unavailable", "{path}: {body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains("took longer than 0.000001 s"), "{message}");
    }
    let (status, page) = server.get("/?q=centre");
    assert_eq!(status, 503);
    assert!(page.contains("took longer than"), "{page}");
    drop(server);
    // With the default budget the same searches answer.
    let server = Server::start(&t, &["--quiet"]);
    server.json("/api/search?q=centre", 200);
    t.run(["serve", "--timeout", "nan"])
        .code(2)
        .stderr_has("`nan` is out of range");
}

#[test]
fn security_headers_and_loopback_only_by_default() {
    let t = corpus();
    let server = Server::start(&t, &[]);
    let response = ureq::get(&format!("{}/?q=centre", server.base))
        .call()
        .unwrap();
    assert_eq!(
        response
            .header("content-security-policy")
            .map(|h| h.starts_with("default-src 'self'")),
        Some(true)
    );
    assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(response.header("referrer-policy"), Some("no-referrer"));
    assert!(response.header("access-control-allow-origin").is_none());
    drop(response);
    let mut child = server;
    let stderr = child.child.stderr.take().unwrap();
    assert_eq!(child.stop(), Some(0));
    let mut log = String::new();
    std::io::Read::read_to_string(&mut BufReader::new(stderr), &mut log).unwrap();
    assert!(log.contains("GET / 200"), "access log: {log}");
    t.run(["serve", "--addr", "0.0.0.0:0"])
        .code(2)
        .stderr_has("add --public");
}

#[test]
fn commits_show_up_while_serving_and_concurrent_requests_all_succeed() {
    let t = corpus();
    let server = Server::start(&t, &["--quiet"]);
    let mut fresh = t;
    for n in 0..200 {
        fresh = fresh.file(
            &format!("fresh/{n:03}.txt"),
            &format!("Okapi sighting {n}\n\nAn okapi was seen near the harbour, report {n}."),
        );
    }
    let base = server.base.clone();
    let readers: Vec<_> = (0..8)
        .map(|_| {
            let base = base.clone();
            std::thread::spawn(move || {
                let mut ok = 0;
                for _ in 0..25 {
                    let response = ureq::get(&format!("{base}/api/search?q=centre+OR+okapi&any"))
                        .call()
                        .expect("every request succeeds");
                    assert_eq!(response.status(), 200);
                    ok += 1;
                }
                ok
            })
        })
        .collect();
    fresh
        .run(["index", "fresh", "--commit-interval", "0"])
        .success();
    let served: usize = readers.into_iter().map(|r| r.join().unwrap()).sum();
    assert_eq!(served, 200);
    let started = Instant::now();
    loop {
        let total = server.json("/api/search?q=okapi&collapse=false", 200)["summary"]["total"]
            .as_u64()
            .unwrap();
        if total == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "new articles not visible: {total}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
