//! Against a real Quickwit node (`../shared/bin/quickwit.zst`, unpacked once per run
//! into the temp folder): started on a free loopback port with a fresh data folder,
//! killed when the test ends, pass or fail.

use std::net::{TcpListener, UdpSocket};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{Test, shared_dir};

/// A running Quickwit node.
struct Node {
    child: Child,
    port: u16,
    config: PathBuf,
    data: tempfile::TempDir,
}

impl Drop for Node {
    fn drop(&mut self) {
        // SIGKILL: SIGTERM makes Quickwit wait 15 s or more.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Node {
    /// A node with every service, on a fresh data folder.
    fn start() -> Node {
        Node::start_with(|_| String::new())
    }

    /// A node whose config ends with `extra(data folder)`.
    fn start_with(extra: impl Fn(&std::path::Path) -> String) -> Node {
        let data = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let qwdata = data.path().join("qwdata");
        std::fs::create_dir_all(&qwdata).expect("data dir");
        let config = data.path().join("node.yaml");
        std::fs::write(
            &config,
            format!(
                "version: 0.8\nnode_id: node-{port}\nlisten_address: 127.0.0.1\nrest:\n  listen_port: {port}\ndata_dir: {}\nindexer:\n  enable_otlp_endpoint: false\njaeger:\n  enable_endpoint: false\n{}",
                qwdata.display(),
                extra(&qwdata)
            ),
        )
        .expect("node config");
        let node = Node {
            child: launch(&config),
            port,
            config,
            data,
        };
        node.wait_ready();
        node
    }

    /// Kills the node and starts it again on the same port and data.
    fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.child = launch(&self.config);
        self.wait_ready();
    }

    fn wait_ready(&self) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if ureq::get(&format!("{}/health/readyz", self.base()))
                .call()
                .ok()
                .and_then(|r| r.into_string().ok())
                .is_some_and(|b| b.trim() == "true")
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("quickwit did not become ready on port {}", self.port);
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

fn launch(config: &std::path::Path) -> Child {
    Command::new(unpacked_binary())
        .args(["run", "--config"])
        .arg(config)
        .env("QW_DISABLE_TELEMETRY", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start quickwit")
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
        r#"{"id":"a1","kind":"article","title":"Port strike","body":"Dock workers walked out.","title_terms":"port strike","body_terms":"dock worker walk out","date":"2024-01-01T00:00:00Z","source":"Harbour Post","source_exact":"Harbour Post","lang":"en","dup_bands":[1,2]}"#,
        r#"{"id":"a2","kind":"article","title":"Strike ends","body":"The strike is over.","title_terms":"strike end","body_terms":"strike over","date":"2024-02-01T00:00:00Z","source":"Harbour Post","source_exact":"Harbour Post","lang":"en","dup_bands":[3,4]}"#,
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
        .replace("doc mapping v12", "doc mapping v11");
    assert!(older.contains("doc mapping v11"), "{older}");
    node.create(&older);
    t.run_env(["stats"], "NEWS_SEARCH_INDEX", &node.location("older"))
        .code(2)
        .stderr_has("doc mapping v11; this version needs v12");
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
    t.run(["check", "--index", "quickwit+http://127.0.0.1:9/news"])
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
        .stderr_has("1 vanished file removed");
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
    let corpus = corpus();
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
    // Trends, terms and reuse are written once over the engine: the same rows over Quickwit.
    for args in [
        &["trends", "AI", "energy", "--json"][..],
        &["trends", "AI OR climate", "--per", "day", "--json"][..],
        &[
            "trends", "the", "--per", "year", "--since", "2024", "--json",
        ][..],
    ] {
        let trends = |at: &str| {
            let mut all = args.to_vec();
            all.extend_from_slice(&["--index", at]);
            let run = t.run_vec(&all);
            (run.code_value(), run.stdout_text())
        };
        let (here, there) = (trends(&local), trends(&location));
        assert_eq!(here.0, Some(0), "{args:?}: {}", here.1);
        assert!(
            here.1.contains("\"type\":\"trend\"")
                || here.1.contains("\"type\":\"term\"")
                || here.1.contains("\"type\":\"reuse\""),
            "{}",
            here.1
        );
        assert_eq!(here, there, "{args:?}");
    }
    // Batch runs each query through the same store: the same totals over Quickwit
    // (words the corpus holds: a word it lacks gets the local fuzzy retry, which
    // Quickwit does not have).
    t.write(
        "list.txt",
        "AI centre\nhospital\nq3\tclimate -football\nzeppelin\n",
    );
    let totals = |at: &str| -> Vec<(String, u64)> {
        let run = t.run(["batch", "list.txt", "--json", "--index", at]);
        run.success();
        run.stdout_text()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|l| l["type"] == "batch")
            .map(|l| {
                (
                    l["data"]["id"].as_str().unwrap().to_string(),
                    l["data"]["total"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let here = totals(&local);
    assert_eq!(here.len(), 4);
    assert!(here[0].1 > 0 && here[3].1 == 0, "{here:?}");
    assert_eq!(here, totals(&location));
}

/// How closely an answer over Quickwit must match the local one.
#[derive(Clone, Copy, PartialEq)]
enum Agree {
    /// The same hits in the same order, with the same passages and highlights.
    Exactly,
    /// The same hits (equal or near-equal scores may come in another order: Quickwit's
    /// BM25 counts the gap tokens that stand for dropped stop words in field lengths).
    SameHits,
    /// The same total and counts (the page is a tie among many equal scores).
    SameCounts,
}

/// The `data` of the `match` records of a `--json` output.
fn matches(json_lines: &str) -> Vec<Value> {
    json_lines
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["type"] == "match")
        .map(|v| v["data"].clone())
        .collect()
}

/// `query ARGS --json` as (exit code, hits by id, summary without timings).
/// Hits of equal score are put in id order: each engine lists them in the order
/// it stores them, which follows the indexing thread (locally) or the split
/// (Quickwit), and so varies with the machine's load.
fn answer(t: &Test, index: &str, args: &[&str]) -> (i32, Vec<(String, Value)>, Value) {
    let mut all: Vec<&str> = vec!["query"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--json", "--index", index]);
    let run = t.run_vec(&all);
    let mut hits = Vec::new();
    let mut summary = Value::Null;
    for line in run.stdout_text().lines() {
        let mut record: Value = serde_json::from_str(line).expect("JSON line");
        let data = record["data"].as_object_mut().expect("data");
        data.remove("elapsed_ms");
        if record["type"] == "match" {
            let id = record["data"]["id"].as_str().expect("id").to_string();
            record["data"].as_object_mut().expect("data").remove("rank");
            hits.push((id, record["data"].clone()));
        } else {
            summary = record["data"].clone();
        }
    }
    let score = |hit: &(String, Value)| hit.1["score"].as_f64().unwrap_or(0.0);
    in_id_order_when_tied(&mut hits, score);
    for (_, data) in &mut hits {
        data.as_object_mut().expect("data").remove("score");
    }
    (run.code_value().unwrap_or(-1), hits, summary)
}

/// Runs of equal non-zero `score` (as printed) sorted by id; sorted by date, all
/// scores are 0 and the order stands.
fn in_id_order_when_tied<T>(hits: &mut [(String, T)], score: impl Fn(&(String, T)) -> f64) {
    for run in hits.chunk_by_mut(|a, b| score(a) == score(b) && score(a) != 0.0) {
        run.sort_by(|a, b| a.0.cmp(&b.0));
    }
}

#[test]
#[ignore = "needs ../shared/bin/quickwit.zst beside the project (run by .ci/run)"]
fn every_query_option_over_quickwit_answers_as_the_local_index() {
    use Agree::*;
    let node = Node::start();
    let t = Test::new();
    let corpus = corpus();
    let local = t.path("local").display().to_string();
    t.run(["index", &corpus, "--index", &local]).success();
    let remote = node.location("corpus");
    t.run(["index", &corpus, "--index", &remote]).success();
    t.write(
        "syn.txt",
        "AI, artificial intelligence\nexpo => exhibition\n",
    );
    let synonyms = t.path("syn.txt").display().to_string();
    let cases: &[(Agree, &[&str])] = &[
        (Exactly, &["AI centre"]),
        // Synonyms are applied before the query is compiled: the same on both.
        (Exactly, &["AI centre", "--synonyms", &synonyms]),
        (Exactly, &["expo", "--synonyms", &synonyms]),
        // Passages chosen by the words' weights (a rare word beats `said`).
        (
            Exactly,
            &["centre said", "--snippet-chars", "60", "--snippets", "1"],
        ),
        (
            Exactly,
            &["workers said", "--snippet-chars", "60", "--snippets", "1"],
        ),
        (Exactly, &["strike"]),
        (Exactly, &["strike", "--sort", "newest"]),
        (Exactly, &["strike", "--sort", "oldest"]),
        (Exactly, &["port"]),
        (Exactly, &["port", "--no-collapse"]),
        (Exactly, &["port", "--limit", "2", "--offset", "1"]),
        (Exactly, &["\"centre of excellence\""]),
        (Exactly, &["\"port of\""]),
        (Exactly, &["title:strike"]),
        (Exactly, &["AI", "--source", "Global Wire"]),
        (Exactly, &["AI", "--source", "~wire"]),
        (Exactly, &["AI", "--source", "Nope Times"]),
        (Exactly, &["lang:zh"]),
        (Exactly, &["人工智能"]),
        (Exactly, &["author:lin"]),
        (Exactly, &["\"AI cent\"*"]),
        (Exactly, &["AI^3 centre"]),
        (Exactly, &["strike", "--timeline", "month"]),
        (Exactly, &["strike", "--timeline", "day"]),
        (Exactly, &["strike", "--timeline", "source"]),
        (Exactly, &["AI OR port"]),
        (Exactly, &["AI", "--any"]),
        (Exactly, &["AI", "--since", "2024-07-03"]),
        (Exactly, &["AI", "--until", "2024-07-03"]),
        (Exactly, &["AI", "--lang", "en"]),
        (Exactly, &["AI", "--recent=30d"]),
        (Exactly, &["AI", "--timeline", "year"]),
        (Exactly, &["AI", "--snippet-chars", "80", "--snippets", "3"]),
        (Exactly, &["(AI OR robot) -Shanghai"]),
        // Hyphenated compounds: joined in both indexes, asked for both ways.
        (Exactly, &["startup"]),
        (Exactly, &["start-up"]),
        (Exactly, &["remotecontrolled -start-up"]),
        // Prefixes score alike: ties, ordered each engine's own way.
        (SameHits, &["electr*"]),
        (SameCounts, &["date:[2024 TO 2025]"]),
        (SameCounts, &["source:wire"]),
        (SameCounts, &["the"]),
    ];
    for &(agree, args) in cases {
        let (code, here, summary) = answer(&t, &local, args);
        let (code_there, there, summary_there) = answer(&t, &remote, args);
        assert_eq!(code, code_there, "{args:?}: exit codes");
        assert_eq!(summary, summary_there, "{args:?}: totals, notes, counts");
        let ids = |hits: &[(String, Value)]| hits.iter().map(|h| h.0.clone()).collect::<Vec<_>>();
        match agree {
            Exactly => assert_eq!(here, there, "{args:?}"),
            SameHits => {
                let sorted = |mut h: Vec<(String, Value)>| {
                    h.sort_by(|a, b| a.0.cmp(&b.0));
                    h
                };
                assert_eq!(
                    sorted(here.clone()),
                    sorted(there.clone()),
                    "{args:?}: {:?} {:?}",
                    ids(&here),
                    ids(&there)
                );
            }
            SameCounts => assert_eq!(here.len(), there.len(), "{args:?}"),
        }
    }
    // Quickwit's candidates are scored again with the whole index's statistics:
    // the scores are the local index's, not those of each split.
    for query in [
        "AI centre",
        "strike",
        "AI OR port",
        "\"centre of excellence\"",
        "workers said",
    ] {
        let scores = |index: &str| -> Vec<(String, f64)> {
            let run = t.run(["query", query, "--json", "--index", index]);
            matches(&run.stdout_text())
                .iter()
                .map(|data| {
                    let id = data["id"].as_str().unwrap_or("").to_string();
                    (id, data["score"].as_f64().unwrap_or(f64::NAN))
                })
                .collect()
        };
        let (mut here, mut there) = (scores(&local), scores(&remote));
        in_id_order_when_tied(&mut here, |hit| hit.1);
        in_id_order_when_tied(&mut there, |hit| hit.1);
        assert!(!here.is_empty(), "{query}");
        assert_eq!(here.len(), there.len(), "{query}: {here:?} {there:?}");
        for ((id, score), (id_there, score_there)) in here.iter().zip(&there) {
            assert_eq!(id, id_there, "{query}: {here:?} {there:?}");
            assert!(
                (score - score_there).abs() <= 1e-3 * score.abs().max(1.0),
                "{query}: {id} scores {score} here, {score_there} there"
            );
        }
    }
    // The documented difference: fuzzy words are searched exactly, with a note.
    let (_, _, summary) = answer(&t, &remote, &["centr~1"]);
    assert!(
        summary["notes"].to_string().contains("no fuzzy matching"),
        "{summary}"
    );
    // Counts, file lists and whole articles.
    for args in [["AI", "-c"], ["port", "-l"]] {
        let here = t.run(["query", args[0], args[1], "--index", &local]);
        let there = t.run(["query", args[0], args[1], "--index", &remote]);
        assert_eq!(here.stdout_text(), there.stdout_text(), "{args:?}");
    }
    let (_, hits, _) = answer(&t, &local, &["AI centre"]);
    let id = hits[0].0.clone();
    let file = crate::support::project_dir()
        .join("corpus/feeds/wire.jsonl")
        .display()
        .to_string();
    for target in [id.as_str(), file.as_str()] {
        let here = t.run(["show", target, "--json", "--index", &local]);
        let there = t.run(["show", target, "--json", "--index", &remote]);
        here.success();
        assert_eq!(here.stdout_text(), there.stdout_text(), "show {target}");
    }
    // Related coverage: the same more-like-this, word statistics counted by Quickwit.
    // With a synonym list too, whose alternatives are compiled as queries are.
    for (query, list) in [
        ("AI centre", None),
        ("port", None),
        ("strike", None),
        ("AI centre", Some(&synonyms)),
    ] {
        let (_, top, _) = answer(&t, &local, &[query]);
        let similar = |index: &str| -> Vec<(String, bool)> {
            let mut args = vec!["similar", &top[0].0, "--json", "--index", index];
            if let Some(list) = list {
                args.extend(["--synonyms", list.as_str()]);
            }
            let run = t.run_vec(&args);
            matches(&run.stdout_text())
                .iter()
                .map(|data| {
                    (
                        data["id"].as_str().unwrap_or("").to_string(),
                        data["near_duplicate"] == true,
                    )
                })
                .collect()
        };
        let (here, there) = (similar(&local), similar(&remote));
        let shared = here.iter().filter(|h| there.contains(h)).count();
        assert!(
            !here.is_empty() && shared * 10 >= here.len().max(there.len()) * 8,
            "similar to {query}'s best hit: {here:?} against {there:?}"
        );
    }
    // The web page's API over Quickwit gives the command line's hits.
    let port = free_port();
    let mut server = t.spawn([
        "serve",
        "--index",
        &remote,
        "--addr",
        &format!("127.0.0.1:{port}"),
        "--quiet",
    ]);
    let api = format!("http://127.0.0.1:{port}/api/search?q=AI+centre");
    let started = Instant::now();
    let body = loop {
        if let Ok(answer) = ureq::get(&api).call() {
            break answer.into_string().expect("body");
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "serve did not answer"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = server.kill();
    let _ = server.wait();
    let api_answer: Value = serde_json::from_str(&body).expect("API JSON");
    let served: Vec<&str> = api_answer["matches"]
        .as_array()
        .expect("matches")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    let (_, cli, _) = answer(&t, &remote, &["AI centre"]);
    assert_eq!(served, cli.iter().map(|h| h.0.as_str()).collect::<Vec<_>>());
}

#[test]
#[ignore = "needs ../shared/bin/quickwit.zst beside the project (run by .ci/run)"]
fn a_node_stopped_in_the_middle_of_an_ingest_loses_nothing_on_the_retry() {
    let mut node = Node::start();
    // About 120 MB: 120 files of 10 articles of 100 kB. Batches of 10 MB end inside
    // files, so the node dies with files sent in part.
    let mut t = Test::new();
    let line = "Dock workers and shipping lines met again on Tuesday to talk about automation. ";
    for f in 0..120 {
        let mut records = String::new();
        for n in f * 10..f * 10 + 10 {
            let body = format!("{n} {}", line.repeat(1300));
            records.push_str(&format!(
                "{{\"title\":\"Port talks part {n}\",\"body\":\"{body}\"}}\n"
            ));
        }
        t = t.file(&format!("news/{f:03}.jsonl"), &records);
    }
    let news = t.path("news").display().to_string();
    let location = node.location("news");
    let mut ingest = t.spawn(["index", &news, "--index", &location]);
    // Kill the node once its first commit (every 5 s) has published part of the run,
    // which takes about 20 s in all: files cut off in the middle are then in the index.
    let started = Instant::now();
    loop {
        let landed = ureq::get(&format!("{}/api/v1/indexes/news/describe", node.base()))
            .call()
            .ok()
            .and_then(|r| r.into_string().ok())
            .and_then(|s| serde_json::from_str::<Value>(&s).ok())
            .and_then(|d| d["num_published_docs"].as_u64())
            .unwrap_or(0);
        if landed > 0 || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = node.child.kill();
    let _ = node.child.wait();
    let status = ingest.wait().expect("index ends");
    assert_eq!(status.code(), Some(2), "the run was cut off and says so");
    node.restart();
    // What the killed node had taken into its write-ahead log is published again up
    // to a commit timeout (5 s) after the restart. A retry started before that would
    // not see it and send those files again (a limit the README states), so wait
    // until the published count has held still for longer than the timeout.
    let published = || {
        ureq::get(&format!("{}/api/v1/indexes/news/describe", node.base()))
            .call()
            .ok()
            .and_then(|r| r.into_string().ok())
            .and_then(|s| serde_json::from_str::<Value>(&s).ok())
            .and_then(|d| d["num_published_docs"].as_u64())
    };
    let (mut last, mut since) = (published(), Instant::now());
    while since.elapsed() < Duration::from_secs(8) {
        std::thread::sleep(Duration::from_millis(250));
        let now = published();
        if now != last {
            (last, since) = (now, Instant::now());
        }
    }
    let articles = |t: &Test| -> u64 {
        let run = t.run(["stats", "--json", "--index", &location]);
        let stats: Value = serde_json::from_str(run.stdout_text().trim()).expect("stats JSON");
        stats["articles"].as_u64().expect("count")
    };
    // Search may need a moment after a restart; the retry then finishes the job.
    let mut run = t.run(["index", &news, "--index", &location]);
    for _ in 0..10 {
        if run.code_value() == Some(0) {
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
        run = t.run(["index", &news, "--index", &location]);
    }
    run.success();
    assert_eq!(articles(&t), 1200, "every article once");
    t.run(["index", &news, "--index", &location])
        .success()
        .stderr_has("120 unchanged files skipped");
    assert_eq!(articles(&t), 1200);
    let count = t.run(["query", "\"part 1199\"", "-c", "--index", &location]);
    assert_eq!(count.stdout_text().trim(), "1");
}

#[test]
#[ignore = "needs ../shared/bin/quickwit.zst beside the project (run by .ci/run)"]
fn a_searcher_node_joined_by_peer_seeds_answers_as_the_first_node() {
    let first = Node::start();
    let seed = first.port;
    let second = Node::start_with(|_| {
        let shared = first.data.path().join("qwdata/indexes");
        format!(
            "peer_seeds:\n  - 127.0.0.1:{seed}\nmetastore_uri: file://{0}\ndefault_index_root_uri: file://{0}\nenabled_services:\n  - searcher\n",
            shared.display()
        )
    });
    let t = Test::new();
    let corpus = corpus();
    t.run(["index", &corpus, "--index", &first.location("news")])
        .success();
    for args in [
        &["AI centre"][..],
        &["strike", "--timeline", "month"],
        &["port", "--no-collapse"],
    ] {
        let (code, here, summary) = answer(&t, &first.location("news"), args);
        // The searcher learns of the index through the cluster: give it a moment.
        let mut there = answer(&t, &second.location("news"), args);
        let started = Instant::now();
        while there.0 != code && started.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(250));
            there = answer(&t, &second.location("news"), args);
        }
        assert_eq!((code, here, summary), there, "{args:?}");
    }
}

#[test]
#[ignore = "needs ../shared/bin/quickwit.zst beside the project (run by .ci/run)"]
fn archive_formats_over_quickwit_carry_pages_boxes_and_quality() {
    let node = Node::start();
    let t = Test::new();
    let formats = crate::support::project_dir()
        .join("tests/formats")
        .display()
        .to_string();
    let local = t.path("local").display().to_string();
    t.run(["index", &formats, "--index", &local]).success();
    let location = node.location("formats");
    t.run_env(["index", &formats], "NEWS_SEARCH_INDEX", &location)
        .success();
    for args in [
        &["orchard"][..],
        &["weavers"],
        &["zeppelin"],
        &["*", "-n", "50", "--min-ocr-quality", "0.87"],
    ] {
        let (code_here, here, _) = answer(&t, &local, args);
        let (code_there, there, _) = answer(&t, &location, args);
        assert_eq!(code_here, code_there, "{args:?}");
        let strip = |hits: &[(String, Value)]| -> Vec<Value> {
            let mut kept: Vec<Value> = hits
                .iter()
                .map(|(_, h)| {
                    serde_json::json!({"title": h["title"], "pages": h["pages"],
                        "ocr_quality": h["ocr_quality"], "snippets": h["snippets"]})
                })
                .collect();
            kept.sort_by_key(|h| h["title"].to_string());
            kept
        };
        assert_eq!(strip(&here), strip(&there), "{args:?}");
        assert!(!here.is_empty(), "{args:?}");
    }
}

#[test]
#[ignore = "needs ../shared/bin/quickwit.zst beside the project (run by .ci/run)"]
fn exact_copies_over_quickwit_are_stored_once_as_on_a_local_index() {
    let node = Node::start();
    let t = Test::new().with_env("NEWS_SEARCH_INDEX", &node.location("copies"));
    crate::ingest::exact_copies_are_stored_once(&t);
}

#[test]
#[ignore = "needs ../shared/bin/quickwit.zst beside the project (run by .ci/run)"]
fn saved_searches_and_their_feeds_over_quickwit_answer_as_on_a_local_index() {
    let node = Node::start();
    // The same scenarios as on a local index: exactly the articles a run added or
    // changed are news (an exact copy of a held text is not), --mark-read,
    // watchlists; then the feeds and the page's unread counts.
    let location = node.location("watched");
    let t = Test::new().with_env("NEWS_SEARCH_INDEX", &location);
    crate::watch::exactly_what_runs_added(&t);
    let location = node.location("fed");
    crate::feeds::feeds_hold_the_right_articles(
        &Test::new().with_env("NEWS_SEARCH_INDEX", &location),
    );

    // The watches are kept in the companion index, not among the articles.
    let (status, _) = get(&node, "/api/v1/indexes/watched.state");
    assert_eq!(status, 200);
    let (_, answer) = get(
        &node,
        "/api/v1/watched/search?query=kind:watches&max_hits=0",
    );
    assert_eq!(answer["num_hits"], 0, "{answer}");

    // A companion index someone else made is refused, naming it.
    let t = Test::new()
        .file(
            "in/a.jsonl",
            "{\"id\":\"a\",\"title\":\"Ferry\",\"body\":\"A ferry.\"}\n",
        )
        .with_env("NEWS_SEARCH_INDEX", &node.location("other"));
    t.run(["index", "in"]).success();
    node.create(r#"{"version":"0.8","index_id":"other.state","doc_mapping":{"field_mappings":[{"name":"kind","type":"text","tokenizer":"raw"}]}}"#);
    t.run(["watch", "add", "ferries", "ferry"])
        .code(2)
        .stderr_has(
            "the index `other.state` beside it was not made by this version of news-search",
        );
}

/// `GET path` on the node: status and JSON body.
fn get(node: &Node, path: &str) -> (u16, Value) {
    match ureq::get(&format!("{}{path}", node.base())).call() {
        Ok(response) => (200, json_of(response)),
        Err(ureq::Error::Status(status, response)) => (status, json_of(response)),
        Err(e) => panic!("GET {path}: {e}"),
    }
}

fn json_of(response: ureq::Response) -> Value {
    serde_json::from_str(&response.into_string().unwrap_or_default()).unwrap_or(Value::Null)
}

#[test]
#[ignore = "needs ../shared/bin/quickwit.zst beside the project (run by .ci/run)"]
fn every_language_over_quickwit_answers_as_on_a_local_index() {
    let node = Node::start();
    // The same scenarios as on a local index: inflected forms in nine languages,
    // umlauts written out, stop words per language, names across scripts.
    let t = crate::languages::multilingual().with_env("NEWS_SEARCH_INDEX", &node.location("many"));
    t.run(["index", "in"]).success();
    crate::languages::each_language_finds_its_inflected_forms(&t);
    let t = crate::languages::wires().with_env("NEWS_SEARCH_INDEX", &node.location("names"));
    t.run(["index", "in"]).success();
    crate::languages::names_across_scripts(&t);
    let t = crate::languages::scripts().with_env("NEWS_SEARCH_INDEX", &node.location("scripts"));
    t.run(["index", "in"]).success();
    crate::languages::words_in_every_script(&t);
}

/// The project's own `corpus/`.
fn corpus() -> String {
    crate::support::project_dir()
        .join("corpus")
        .display()
        .to_string()
}

/// How many documents Quickwit itself counts in `index` (`query=*`).
fn quickwit_count(node: &Node, index: &str) -> u64 {
    let (status, answer) = get(node, &format!("/api/v1/{index}/search?query=*&max_hits=0"));
    assert_eq!(status, 200, "{answer}");
    answer["num_hits"].as_u64().expect("num_hits")
}

/// A loopback proxy in front of a node that counts the HTTP requests passing it.
struct Counting {
    port: u16,
    requests: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Counting {
    fn before(node: &Node) -> Counting {
        use std::io::{Read, Write};
        use std::sync::atomic::Ordering;
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = requests.clone();
        let target = node.port;
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = std::net::TcpStream::connect(("127.0.0.1", target)) else {
                    continue;
                };
                let (mut up_in, mut up_out) = (
                    client.try_clone().expect("clone"),
                    server.try_clone().expect("clone"),
                );
                let (mut down_in, mut down_out) = (server, client);
                let counted = counted.clone();
                // Client to node: every request line ends with " HTTP/1.1\r\n".
                std::thread::spawn(move || {
                    let mut buffer = [0u8; 65536];
                    let mut tail: Vec<u8> = Vec::new();
                    while let Ok(n) = up_in.read(&mut buffer) {
                        if n == 0 || up_out.write_all(&buffer[..n]).is_err() {
                            break;
                        }
                        tail.extend_from_slice(&buffer[..n]);
                        let marker = b" HTTP/1.1\r\n";
                        let found = tail.windows(marker.len()).filter(|w| w == marker).count();
                        counted.fetch_add(found, Ordering::SeqCst);
                        let keep = tail.len().min(marker.len() - 1);
                        tail.drain(..tail.len() - keep);
                    }
                    let _ = up_out.shutdown(std::net::Shutdown::Write);
                });
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut down_in, &mut down_out);
                    let _ = down_out.shutdown(std::net::Shutdown::Write);
                });
            }
        });
        Counting { port, requests }
    }

    fn location(&self, index: &str) -> String {
        format!("quickwit+http://127.0.0.1:{}/{index}", self.port)
    }

    /// The requests counted since the last call.
    fn take(&self) -> usize {
        self.requests.swap(0, std::sync::atomic::Ordering::SeqCst)
    }
}

#[test]
#[ignore = "needs ../shared/bin/quickwit.zst beside the project (run by .ci/run)"]
fn a_default_query_costs_three_requests_and_serve_keeps_the_ledger_and_metadata() {
    let node = Node::start();
    let t = Test::new();
    let corpus = corpus();
    t.run_env(
        ["index", &corpus],
        "NEWS_SEARCH_INDEX",
        &node.location("corpus"),
    )
    .success();
    // The articles index holds articles only: Quickwit's own count is ours.
    let run = t.run(["stats", "--json", "--index", &node.location("corpus")]);
    let stats: Value = serde_json::from_str(run.stdout_text().trim()).expect("stats JSON");
    assert_eq!(
        stats["articles"].as_u64(),
        Some(quickwit_count(&node, "corpus"))
    );
    let proxy = Counting::before(&node);
    let location = proxy.location("corpus");
    // A command: the index's metadata and the ledger (with the languages) once,
    // then the query itself in three requests at most. In an index this small
    // every match is a candidate, so no copy ranks below them and the copies'
    // request is never made: two (candidates with the counts, the page with the
    // words' counts), which is what tells a lost merge from a kept one.
    for query in ["AI centre", "strike", "\"centre of excellence\""] {
        t.run(["query", query, "--json", "--index", &location])
            .success();
        let requests = proxy.take();
        assert!(requests <= 4, "`{query}`: {requests} requests");
    }
    // A server reads the metadata once and the ledger once per few seconds.
    let server = crate::serve::Server::start(&t, &["--index", &location, "--quiet"]);
    server.json("/api/search?q=AI+centre", 200);
    proxy.take();
    for query in ["AI+centre", "strike", "Shanghai", "AI+centre&sort=newest"] {
        let answer = server.json(&format!("/api/search?q={query}"), 200);
        assert!(answer["summary"]["total"].as_u64().is_some(), "{answer}");
        let requests = proxy.take();
        assert!(
            requests <= 2,
            "`{query}` through serve: {requests} requests"
        );
    }
    server.stop();
}

#[test]
#[ignore = "needs ../shared/bin/quickwit.zst beside the project (run by .ci/run)"]
fn seventy_thousand_files_over_quickwit_survive_a_killed_run_and_are_kept_exactly() {
    const FILES: usize = 70_000;
    let node = Node::start();
    let t = Test::new();
    for dir in 0..FILES / 1000 {
        let folder = t.path(&format!("many/{dir:02}"));
        std::fs::create_dir_all(&folder).expect("folder");
        for n in 0..1000 {
            let i = dir * 1000 + n;
            std::fs::write(
                folder.join(format!("{n:03}.txt")),
                format!("Council item {i}\n\nThe council met to discuss agenda item number {i} and voted on motion m{i}."),
            )
            .expect("write");
        }
    }
    let many = t.path("many").display().to_string();
    let location = node.location("many");
    let articles = || -> u64 {
        let run = t.run(["stats", "--json", "--index", &location]);
        let stats: Value = serde_json::from_str(run.stdout_text().trim()).expect("stats JSON");
        stats["articles"].as_u64().expect("count")
    };
    // A run killed as soon as it has recorded itself in the ledger (it is sending
    // by then): nothing it sent counts twice.
    let mut first = t.spawn(["index", &many, "--index", &location, "--quiet"]);
    let started = Instant::now();
    let count = |kind: &str| {
        let (status, answer) = get(
            &node,
            &format!("/api/v1/many.files/search?query=kind:{kind}&max_hits=0"),
        );
        if status == 200 {
            answer["num_hits"].as_u64().unwrap_or(0)
        } else {
            0
        }
    };
    while count("run") == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the first run sent nothing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = first.kill();
    let _ = first.wait();
    assert_eq!(
        count("finished"),
        0,
        "the first run finished before it was killed"
    );
    t.run(["index", &many, "--index", &location, "--quiet"])
        .success();
    // The killed run was taken for stopped and cut after its last checkpoint.
    let (_, cut) = get(&node, "/api/v1/many.files/search?query=kind:cut&max_hits=0");
    assert_eq!(cut["num_hits"].as_u64(), Some(1), "{cut}");
    assert_eq!(articles(), FILES as u64);
    // Each story once: a query for one file's motion finds one article.
    for i in [0, 34_567, FILES - 1] {
        let run = t.run(["query", &format!("m{i}"), "-c", "--index", &location]);
        assert_eq!(run.stdout_text().trim(), "1", "m{i}");
    }
    // Nothing changed: nothing sent.
    t.run(["index", &many, "--index", &location])
        .success()
        .stderr_has(&format!("{FILES} unchanged files skipped"));
    // Fifty files changed and fifty gone.
    for n in 0..50 {
        t.write(
            &format!("many/00/{n:03}.txt"),
            &format!("Council item {n}\n\nThe council deferred agenda item {n}: revised{n}."),
        );
        std::fs::remove_file(t.path(&format!("many/01/{n:03}.txt"))).expect("remove");
    }
    t.run(["index", &many, "--index", &location])
        .success()
        .stderr_has("50 vanished files removed");
    assert_eq!(articles(), FILES as u64 - 50);
    let run = t.run(["query", "deferred", "-c", "--index", &location]);
    assert_eq!(run.stdout_text().trim(), "50");
    let run = t.run(["query", "m7", "-c", "--index", &location]);
    assert_eq!(
        run.stdout_text().trim(),
        "0",
        "a changed file's old text is gone"
    );
}
