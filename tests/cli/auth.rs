//! Issue 24, a shared server: `serve --auth-file FILE` asks every route for HTTP
//! Basic credentials (argon2, bcrypt or, with a warning, plain passwords), answers
//! 401 with a challenge otherwise, refuses a client after repeated failures (429)
//! and counts failed logins in the access log; `--public` needs a password file
//! or an explicit `--no-auth`.

use base64::Engine as _;

use super::serve::Server;
use super::support::Test;

fn archive() -> Test {
    let t = Test::new().file(
        "a.jsonl",
        &(serde_json::json!({"id": "a1", "title": "Ferry late", "body": "The ferry was late.",
            "date": "1916-03-01", "source": "Evening Star"})
        .to_string()
            + "\n"),
    );
    t.run(["index", "a.jsonl"]).success();
    t
}

/// `user:password` lines: bcrypt for ann, argon2 for bo, plain for cy.
fn users(t: &Test) {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let bcrypt = bcrypt::hash("ann-pass", 4).unwrap();
    let salt = SaltString::encode_b64(b"news-search-salt").unwrap();
    let argon = argon2::Argon2::default()
        .hash_password(b"bo pass:with colon", &salt)
        .unwrap()
        .to_string();
    t.write(
        "users",
        &format!("# the desk\nann:{bcrypt}\n\nbo:{argon}\ncy:plain-pass\n"),
    );
}

/// GET `path` with these credentials (`None`: none): status, WWW-Authenticate,
/// Retry-After, body.
fn get(
    server: &Server,
    path: &str,
    login: Option<(&str, &str)>,
) -> (u16, Option<String>, Option<String>, String) {
    let agent = ureq::AgentBuilder::new().build();
    let mut request = agent.get(&format!("{}{path}", server.base));
    if let Some((user, password)) = login {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        request = request.set("Authorization", &format!("Basic {token}"));
    }
    let response = match request.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{path}: {e}"),
    };
    let header = |name: &str| response.header(name).map(str::to_string);
    let (status, challenge, retry) = (
        response.status(),
        header("WWW-Authenticate"),
        header("Retry-After"),
    );
    (status, challenge, retry, response.into_string().unwrap())
}

#[test]
fn every_route_asks_for_a_password_and_good_ones_pass() {
    let t = archive();
    users(&t);
    t.run(["watch", "add", "ferries", "ferry"]).success();
    let server = Server::start(&t, &["--auth-file", "users"]);
    let routes = [
        "/",
        "/?q=ferry",
        "/articles/a1",
        "/assets/app.js",
        "/assets/style.css",
        "/api/search?q=ferry",
        "/api/stats",
        "/api/articles/a1",
        "/api/articles/a1/cite?format=ris",
        "/api/trends?q=ferry",
        "/feed.atom?q=ferry",
        "/watch/ferries.atom",
        "/opensearch.xml",
        "/iiif/search?q=ferry",
        "/trends?q=ferry",
        "/no-such-route",
    ];
    for route in routes {
        let (status, challenge, _, body) = get(&server, route, None);
        assert_eq!(status, 401, "{route}: {body}");
        assert_eq!(
            challenge.as_deref(),
            Some("Basic realm=\"news-search\", charset=\"UTF-8\""),
            "{route}"
        );
        assert!(!body.contains("Ferry late"), "{route} leaks: {body}");
    }
    let (_, _, _, body) = get(&server, "/api/stats", None);
    let error: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["error"]["kind"], "unauthorized");

    for login in [
        ("ann", "ann-pass"),
        ("bo", "bo pass:with colon"),
        ("cy", "plain-pass"),
    ] {
        for route in routes.iter().filter(|r| **r != "/no-such-route") {
            let (status, _, _, body) = get(&server, route, Some(login));
            assert_eq!(status, 200, "{login:?} {route}: {body}");
        }
    }
    let (status, _, _, body) = get(&server, "/api/search?q=ferry", Some(("ann", "ann-pass")));
    assert_eq!(status, 200);
    assert!(body.contains("Ferry late"));
    let log = server.stop_and_read_stderr();
    assert!(
        log.contains("users:5: the password of `cy` is stored as plain text"),
        "{log}"
    );
    assert!(
        !log.contains("failed login"),
        "no credentials is not a failure: {log}"
    );
}

#[test]
fn wrong_passwords_are_refused_counted_and_limited() {
    let t = archive();
    users(&t);
    let server = Server::start(&t, &["--auth-file", "users"]);
    for login in [
        ("ann", "ann-pass "),
        ("ann", "ANN-PASS"),
        ("nobody", "ann-pass"),
        ("ann", ""),
    ] {
        let (status, challenge, _, _) = get(&server, "/api/stats", Some(login));
        assert_eq!(status, 401, "{login:?}");
        assert!(challenge.is_some());
    }
    // The fifth failure in a minute; then this client is refused, even with the
    // right password, until the minute is over.
    assert_eq!(get(&server, "/", Some(("cy", "nope"))).0, 401);
    let (status, _, retry, body) = get(&server, "/api/stats", Some(("ann", "ann-pass")));
    assert_eq!(status, 429, "{body}");
    let retry: u64 = retry.unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    assert!(body.contains("too many failed logins"));
    let log = server.stop_and_read_stderr();
    assert!(
        log.contains("GET /api/stats 401")
            && log.contains("failed login for \"ann\" (1 from 127.0.0.1"),
        "{log}"
    );
    assert!(
        log.contains("failed login for \"nobody\" (3 from 127.0.0.1"),
        "{log}"
    );
    assert!(
        log.contains("failed login for \"cy\" (5 from 127.0.0.1"),
        "{log}"
    );
    assert!(
        log.contains("GET /api/stats 429")
            && log.contains("refused: 5 failed logins from 127.0.0.1"),
        "{log}"
    );
}

/// `serve --auth-file FILE`, which must stop at once.
fn refused(t: &Test, file: &str) -> super::support::Run {
    t.run_within(
        ["serve", "--addr", "127.0.0.1:0", "--auth-file", file],
        std::time::Duration::from_secs(30),
    )
}

#[test]
fn a_public_server_needs_a_password_file_or_no_auth() {
    let t = archive();
    t.run(["serve", "--addr", "0.0.0.0:0", "--public"])
        .code(2)
        .stderr_has("--public without --auth-file");
    // --no-auth serves openly, with a warning.
    let server = Server::start(&t, &["--public", "--no-auth"]);
    assert_eq!(get(&server, "/api/stats", None).0, 200);
    let log = server.stop_and_read_stderr();
    assert!(log.contains("warning: --no-auth"), "{log}");

    t.write("bad", "ann:x\nno colon here\n");
    refused(&t, "bad")
        .code(2)
        .stderr_has("bad:2: expected `user:password`");
    t.write("twice", "ann:x\nann:y\n");
    refused(&t, "twice")
        .code(2)
        .stderr_has("twice:2: `ann` is listed twice");
    t.write("empty", "# nobody\n");
    refused(&t, "empty")
        .code(2)
        .stderr_has("empty: no `user:password` line");
    t.write("argon", "ann:$argon2id$broken\n");
    refused(&t, "argon")
        .code(2)
        .stderr_has("argon:1: not a valid argon2 hash");
    refused(&t, "missing").code(2).stderr_has("missing");
}
