//! Against a real Quickwit node (`../shared/bin/quickwit.zst`, unpacked once per run
//! into the temp folder): started on a free loopback port with a fresh data folder,
//! killed when the test ends, pass or fail.

use std::net::{TcpListener, UdpSocket};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{Test, shared_dir};

/// A running single-node Quickwit.
struct Node {
    child: Child,
    port: u16,
    _data: tempfile::TempDir,
}

impl Drop for Node {
    fn drop(&mut self) {
        // SIGKILL: SIGTERM makes Quickwit wait 15 s or more.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Node {
    fn start() -> Node {
        let binary = unpacked_binary();
        let data = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        std::fs::create_dir_all(data.path().join("qwdata")).expect("data dir");
        let config = data.path().join("node.yaml");
        std::fs::write(
            &config,
            format!(
                "version: 0.8\nnode_id: test\nlisten_address: 127.0.0.1\nrest:\n  listen_port: {port}\ndata_dir: {}\nindexer:\n  enable_otlp_endpoint: false\njaeger:\n  enable_endpoint: false\n",
                data.path().join("qwdata").display()
            ),
        )
        .expect("node config");
        let child = Command::new(binary)
            .args(["run", "--config"])
            .arg(&config)
            .env("QW_DISABLE_TELEMETRY", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start quickwit");
        let node = Node {
            child,
            port,
            _data: data,
        };
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if ureq::get(&format!("{}/health/readyz", node.base()))
                .call()
                .ok()
                .and_then(|r| r.into_string().ok())
                .is_some_and(|b| b.trim() == "true")
            {
                return node;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("quickwit did not become ready on port {port}");
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn location(&self, index: &str) -> String {
        format!("quickwit+{}/{index}", self.base())
    }

    /// Creates an index from a config (JSON text).
    fn create(&self, config: &str) {
        ureq::post(&format!("{}/api/v1/indexes", self.base()))
            .set("Content-Type", "application/json")
            .send_string(config)
            .expect("create index");
    }
}

/// The Quickwit binary, unpacked once into the temp folder.
fn unpacked_binary() -> PathBuf {
    static BINARY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BINARY.get_or_init(unpack).clone()
}

fn unpack() -> PathBuf {
    let shared = shared_dir().expect("../shared");
    let target = std::env::temp_dir().join("news-search-test-quickwit-0.9");
    let binary = target.join("quickwit");
    if !binary.exists() {
        std::fs::create_dir_all(&target).expect("temp folder");
        let packed = std::fs::File::open(shared.join("bin/quickwit.zst")).expect("quickwit.zst");
        let partial = target.join(format!("quickwit.{}", std::process::id()));
        let mut out = std::fs::File::create(&partial).expect("unpack");
        zstd::stream::copy_decode(packed, &mut out).expect("unpack quickwit");
        drop(out);
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&partial, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        std::fs::rename(&partial, &binary).expect("rename");
    }
    binary
}

/// A loopback port free for REST (TCP), gossip (UDP, same number) and gRPC (TCP, +1).
fn free_port() -> u16 {
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        if port < 65000
            && TcpListener::bind(("127.0.0.1", port + 1)).is_ok()
            && UdpSocket::bind(("127.0.0.1", port)).is_ok()
        {
            return port;
        }
    }
}

#[test]
#[ignore = "needs ../shared/bin/quickwit.zst beside the project (run by .ci/run)"]
fn the_printed_config_makes_an_index_that_stats_reads() {
    let node = Node::start();
    let t = Test::new();
    let config = t.run(["quickwit-config", "news"]);
    config.success();
    node.create(&config.stdout_text());
    let location = node.location("news");
    let run = t.run_env(["stats", "--json"], "NEWS_SEARCH_INDEX", &location);
    run.success();
    let stats: Value = serde_json::from_str(run.stdout_text().trim()).expect("stats JSON");
    assert_eq!(stats["articles"], 0);
    assert_eq!(stats["index"], location.as_str());
    // Documents written in our mapping are counted, dated and grouped by source.
    let docs = [
        r#"{"id":"a1","kind":"article","title":"Port strike","body":"Dock workers walked out.","title_terms":"port strike","body_terms":"dock worker walk out","date":1704067200,"source":"Harbour Post","source_exact":"Harbour Post","lang":"en","dup_bands":[1,2]}"#,
        r#"{"id":"a2","kind":"article","title":"Strike ends","body":"The strike is over.","title_terms":"strike end","body_terms":"strike over","date":1706745600,"source":"Harbour Post","source_exact":"Harbour Post","lang":"en","dup_bands":[3,4]}"#,
        r#"{"id":"a3","kind":"article","title":"Undated note","body":"No date here.","title_terms":"undat note","body_terms":"no date here","lang":"en","dup_bands":[5]}"#,
    ];
    ureq::post(&format!("{}/api/v1/news/ingest?commit=force", node.base()))
        .send_string(&docs.join("\n"))
        .expect("ingest");
    let run = t.run_env(["stats", "--json"], "NEWS_SEARCH_INDEX", &location);
    let stats: Value = serde_json::from_str(run.stdout_text().trim()).expect("stats JSON");
    assert_eq!(stats["articles"], 3, "{stats}");
    assert_eq!(stats["undated"], 1, "{stats}");
    assert_eq!(stats["unsourced"], 1, "{stats}");
    assert_eq!(stats["first_date"], "2024-01-01T00:00:00Z", "{stats}");
    assert_eq!(stats["last_date"], "2024-02-01T00:00:00Z", "{stats}");
    assert_eq!(stats["top_sources"][0]["source"], "Harbour Post", "{stats}");
}

#[test]
#[ignore = "needs ../shared/bin/quickwit.zst beside the project (run by .ci/run)"]
fn missing_foreign_and_unreachable_indexes_are_errors_naming_the_url() {
    let node = Node::start();
    let t = Test::new();
    // A missing index.
    let missing = node.location("nothere");
    t.run_env(["stats"], "NEWS_SEARCH_INDEX", &missing)
        .code(2)
        .stderr_has(&missing)
        .stderr_has("no index `nothere`");
    // An index news-search did not make (no mapping version).
    node.create(r#"{"version":"0.8","index_id":"foreign","doc_mapping":{"field_mappings":[{"name":"id","type":"text","tokenizer":"raw"}]}}"#);
    t.run_env(["stats"], "NEWS_SEARCH_INDEX", &node.location("foreign"))
        .code(2)
        .stderr_has("not made by news-search");
    // An index made by another mapping version.
    let older = t
        .run(["quickwit-config", "older"])
        .stdout_text()
        .replace("doc mapping v2", "doc mapping v1");
    node.create(&older);
    t.run_env(["stats"], "NEWS_SEARCH_INDEX", &node.location("older"))
        .code(2)
        .stderr_has("doc mapping v1; this version needs v2");
    // Nothing listening.
    let nobody = format!("quickwit+http://127.0.0.1:{}/news", free_port());
    t.run_env(["stats"], "NEWS_SEARCH_INDEX", &nobody)
        .code(2)
        .stderr_has(&nobody)
        .stderr_has("cannot reach the Quickwit node");
}

#[test]
fn a_bad_quickwit_url_is_refused_naming_it() {
    let t = Test::new();
    for url in [
        "quickwit+http://host:port/news",
        "quickwit+ftp://h:7280/news",
        "quickwit+http://h:7280/x",
    ] {
        t.run(["stats", "--index", url]).code(2).stderr_has(url);
    }
    // Commands that do not speak to Quickwit yet say so instead of guessing.
    t.run([
        "query",
        "strike",
        "--index",
        "quickwit+http://127.0.0.1:9/news",
    ])
    .code(2)
    .stderr_has("does not work over Quickwit yet");
}

#[test]
#[ignore = "needs ../shared/bin/quickwit.zst beside the project (run by .ci/run)"]
fn index_over_quickwit_is_idempotent_replaces_changed_and_removes_vanished_files() {
    let node = Node::start();
    let t = Test::new()
        .file("news/a.txt", "Port strike ends\n\nDock workers voted to end the strike on Monday.")
        .file("news/b.txt", "Bridge opens\n\nThe new bridge opened to traffic after three years.")
        .file("news/c.jsonl", "{\"title\":\"One\",\"body\":\"First wire story.\"}\n{\"title\":\"Two\",\"body\":\"Second wire story.\"}\n");
    let location = node.location("news");
    let articles = || -> u64 {
        let run = t.run_env(["stats", "--json"], "NEWS_SEARCH_INDEX", &location);
        let stats: Value = serde_json::from_str(run.stdout_text().trim()).expect("stats JSON");
        stats["articles"].as_u64().expect("count")
    };
    let news = t.path("news").display().to_string();
    // Created on first use, then filled.
    t.run_env(["index", &news], "NEWS_SEARCH_INDEX", &location)
        .success()
        .stderr_has("indexed 4 articles");
    assert_eq!(articles(), 4);
    // The same files again: nothing added.
    t.run_env(["index", &news], "NEWS_SEARCH_INDEX", &location)
        .success()
        .stderr_has("3 unchanged files skipped");
    assert_eq!(articles(), 4);
    // A changed file replaces its articles; a vanished file's go.
    t.write(
        "news/c.jsonl",
        "{\"title\":\"One\",\"body\":\"First wire story, corrected.\"}\n",
    );
    std::fs::remove_file(t.path("news/b.txt")).expect("remove");
    t.run_env(["index", &news], "NEWS_SEARCH_INDEX", &location)
        .success()
        .stderr_has("1 vanished files removed");
    assert_eq!(articles(), 2);
    t.run_env(["index", &news], "NEWS_SEARCH_INDEX", &location)
        .success()
        .stderr_has("2 unchanged files skipped");
    assert_eq!(articles(), 2);
}

#[test]
#[ignore = "needs ../shared/bin/quickwit.zst beside the project (run by .ci/run)"]
fn corpus_over_quickwit_holds_what_the_local_index_holds() {
    let node = Node::start();
    let t = Test::new();
    let corpus = crate::support::project_dir()
        .join("corpus")
        .display()
        .to_string();
    let local = t.path("local").display().to_string();
    t.run(["index", &corpus, "--index", &local]).success();
    let location = node.location("corpus");
    t.run_env(["index", &corpus], "NEWS_SEARCH_INDEX", &location)
        .success();
    let stats = |at: &str| -> Value {
        let run = t.run(["stats", "--json", "--index", at]);
        run.success();
        serde_json::from_str(run.stdout_text().trim()).expect("stats JSON")
    };
    let (here, there) = (stats(&local), stats(&location));
    for field in [
        "articles",
        "undated",
        "first_date",
        "last_date",
        "top_sources",
        "unsourced",
        "languages",
    ] {
        assert_eq!(
            here[field], there[field],
            "{field}: local {here} quickwit {there}"
        );
    }
}
