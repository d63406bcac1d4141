//! Every input format, incremental re-runs, and crash safety under `kill -9`.

use std::io::Write;
use std::time::Duration;

use crate::support::Test;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn bzip2(data: &[u8]) -> Vec<u8> {
    let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn tar(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in members {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, name, *data).unwrap();
    }
    builder.into_inner().unwrap()
}

fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        writer.start_file(*name, options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn warc_record(kind: &str, uri: &str, payload: &str) -> String {
    format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\nWARC-Date: 2024-02-01T12:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{payload}\r\n\r\n",
        payload.len()
    )
}

fn http_page(title: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><head><title>{title}</title></head><body><nav>Menu Home</nav><article><p>{body}</p></article></body></html>"
    )
}

#[test]
fn every_format_comes_in() {
    let html_1252 = b"<html><head><title>Caf\xe9 owners in M\xfcnchen</title></head><body><header>Site nav</header><article><p>The caf\xe9 owners of M\xfcnchen met the mayor on Friday to talk about rents and the new pedestrian zone.</p></article><footer>Impressum</footer></body></html>".to_vec();
    let (gbk, _, _) = encoding_rs::GBK.encode(
        "<html><head><meta charset=\"gb2312\"><title>人工智能大会在上海开幕</title></head><body><article><p>世界人工智能大会在上海开幕，展示了机器人和自动驾驶汽车。</p></article></body></html>",
    );
    let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Valley Courier</title>
<item><title>Feed item about turbines</title><link>https://vc.example/turbines</link><pubDate>Mon, 03 Feb 2025 09:00:00 GMT</pubDate><description>&lt;p&gt;Wind turbines go up on the ridge.&lt;/p&gt;</description></item>
<item><title>Second feed item about ferries</title><description>Ferries resume.</description></item></channel></rss>"#;
    let atom = r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Tech Briefing</title><id>t</id><updated>2026-01-01T00:00:00Z</updated>
<entry><title>Atom entry on qubits</title><id>q</id><updated>2026-02-10T10:00:00Z</updated><content type="html">&lt;p&gt;A logical qubit held stable.&lt;/p&gt;</content></entry></feed>"#;
    let warc: Vec<u8> = [
        warc_record("warcinfo", "info", "software: test"),
        warc_record(
            "response",
            "https://crawl.example/a",
            &http_page(
                "Crawled harbour story",
                "Cranes arrived at the harbour on Tuesday.",
            ),
        ),
        warc_record(
            "response",
            "https://crawl.example/b",
            &http_page("Crawled market story", "Fish prices rose at the market."),
        ),
    ]
    .iter()
    .flat_map(|r| gzip(r.as_bytes()))
    .collect();
    let trec = "<DOC>\n<DOCNO> WIRE-1 </DOCNO>\n<HEADLINE>Trec wire about glaciers</HEADLINE>\n<DATE>1991-05-02</DATE>\n<TEXT>Glaciers retreat.</TEXT>\n</DOC>\n";
    let bundle = gzip(&tar(&[
        (
            "bundle/one.txt",
            b"Tarred story about lighthouses\n\nThe lighthouse was restored.",
        ),
        (
            "bundle/two.json",
            br#"{"title":"Tarred JSON about orchards","body":"Apples ripen."}"#,
        ),
        ("bundle/.hidden.txt", b"Hidden member\n\nnever indexed"),
        ("bundle/image.png", b"\x89PNG not text"),
    ]));
    let zipped = zip(&[
        (
            "a.md",
            b"# Zipped markdown about bridges\n\nA bridge opened.",
        ),
        (
            "inner.txt.gz",
            &gzip(b"Nested gzip about tunnels\n\nA tunnel was dug."),
        ),
    ]);
    let t = Test::new()
        .bytes("in/page-1252.html", &html_1252)
        .bytes("in/page-gbk.htm", &gbk)
        .file("in/feed.rss", rss)
        .file("in/atom.xml", atom)
        .bytes("in/crawl.warc.gz", &warc)
        .file("in/WIRE001", trec)
        .bytes("in/bundle.tar.gz", &bundle)
        .bytes("in/archive.zip", &zipped)
        .bytes("in/plain.txt.bz2", &bzip2(b"Bzipped story about canals\n\nCanals were dredged."))
        .bytes("in/data.json.zst", &zstd::encode_all(&br#"[{"title":"Zstd story about kites","body":"Kites flew."}]"#[..], 3).unwrap())
        .file("in/page-says-txt.txt", "<!doctype html><html><head><title>HTML named txt about owls</title></head><body><p>Owls nest.</p></body></html>");
    let run = t.run(["index", "in"]);
    run.success();
    let warnings: Vec<String> = run
        .stderr_text()
        .lines()
        .filter(|l| l.contains("warning"))
        .map(String::from)
        .collect();
    assert_eq!(
        warnings,
        [
            "news-search: warning: in/page-1252.html: not UTF-8, charset guessed: decoded as windows-1252"
        ]
    );
    assert_eq!(t.stats()["articles"], 15);

    let (hits, _) = t.json(["query", "cafe munchen"]);
    assert_eq!(hits[0]["title"], "Café owners in München");
    assert!(
        !hits[0]["snippets"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Site nav")
    );
    let (hits, _) = t.json(["query", "turbines"]);
    assert_eq!(hits[0]["source"], "Valley Courier");
    assert_eq!(hits[0]["url"], "https://vc.example/turbines");
    assert_eq!(hits[0]["date"], "2025-02-03T09:00:00Z");
    assert_eq!(
        hits[0]["snippets"][0]["text"],
        "Wind turbines go up on the ridge."
    );
    let (hits, _) = t.json(["query", "qubits"]);
    assert_eq!(hits[0]["source"], "Tech Briefing");
    let (hits, _) = t.json(["query", "harbour"]);
    assert_eq!(hits[0]["url"], "https://crawl.example/a");
    assert_eq!(hits[0]["date"], "2024-02-01T12:00:00Z");
    assert!(
        !hits[0]["snippets"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Menu")
    );
    let (hits, _) = t.json(["query", "glaciers"]);
    assert_eq!(hits[0]["id"], "WIRE-1");
    let (hits, _) = t.json(["query", "lighthouses"]);
    assert_eq!(hits[0]["path"], "in/bundle.tar.gz!/bundle/one.txt");
    assert_eq!(t.count("orchards"), 1);
    assert_eq!(t.count("hidden"), 0);
    let (hits, _) = t.json(["query", "tunnels"]);
    assert_eq!(hits[0]["path"], "in/archive.zip!/inner.txt.gz");
    for word in ["bridges", "canals", "kites", "owls", "ferries"] {
        assert_eq!(t.count(word), 1, "{word}");
    }
    let (hits, _) = t.json(["query", "owls"]);
    assert_eq!(hits[0]["title"], "HTML named txt about owls");
    // The GBK page decoded: its whole headline is one token for the (not yet CJK-aware) analyzer.
    let (hits, _) = t.json(["query", "title:人工智能大会在上海开幕"]);
    assert_eq!(hits[0]["title"], "人工智能大会在上海开幕");
}

#[test]
fn newspaper_page_dump_with_sidecar_table_and_dated_folders() {
    let t = Test::new()
        .file("dump/titles.tsv", "lccn\tname\tplace\tpublisher\nsn82014086\tNorwich bulletin.\tNorwich, Conn.\tBulletin Co.\n")
        .file("dump/dates/19160103/sn82014086-ed-1_seq-1.txt", "NORWICH BULLETIN\nOCR text about the war in the Balkans.\n")
        .file("dump/dates/19160104/sn99999999-ed-1_seq-1.txt", "UNKNOWN PAPER\nMore OCR text about the Balkans.\n");
    t.run(["index", "dump"]).success();
    let (hits, _) = t.json(["query", "balkans"]);
    assert_eq!(hits.len(), 2);
    let norwich = hits
        .iter()
        .find(|h| h["source"] == "Norwich bulletin.")
        .expect("source from titles.tsv");
    assert_eq!(norwich["date"], "1916-01-03T00:00:00Z");
    let other = hits.iter().find(|h| h["source"].is_null()).unwrap();
    assert_eq!(other["date"], "1916-01-04T00:00:00Z");
    assert_eq!(t.count("source:\"norwich bulletin\""), 1);
}

#[test]
fn incremental_runs_add_change_and_delete() {
    let t = Test::new()
        .file("docs/a.txt", "Alpha story\n\nabout apples")
        .file("docs/b.txt", "Beta story\n\nabout bananas")
        .file("docs/c.txt", "Gamma story\n\nabout cherries");
    t.run(["index", "docs"])
        .success()
        .stderr_has("indexed 3 articles from 3 new or changed files");
    let again = t.run(["index", "docs"]);
    again
        .success()
        .stderr_has("indexed 0 articles")
        .stderr_has("3 unchanged files skipped");

    std::thread::sleep(Duration::from_millis(20));
    t.write("docs/b.txt", "Beta story revised\n\nabout blueberries now");
    t.write("docs/d.txt", "Delta story\n\nabout dates");
    std::fs::remove_file(t.path("docs/c.txt")).unwrap();
    let plan = t.run(["index", "docs", "--dry-run"]);
    plan.success();
    let lines = plan.stdout_text();
    assert!(lines.contains("add\tdocs/d.txt"), "{lines}");
    assert!(lines.contains("change\tdocs/b.txt"), "{lines}");
    assert!(
        lines
            .lines()
            .any(|l| l.starts_with("remove\t") && l.ends_with("docs/c.txt")),
        "{lines}"
    );
    assert_eq!(t.count("cherries"), 1, "a dry run writes nothing");

    t.run(["index", "docs"])
        .success()
        .stderr_has("1 vanished file removed")
        .stderr_has("1 unchanged");
    assert_eq!(t.count("bananas"), 0);
    assert_eq!(t.count("blueberries"), 1);
    assert_eq!(t.count("cherries"), 0);
    assert_eq!(t.count("dates"), 1);
    assert_eq!(t.stats()["articles"], 3);

    std::fs::remove_file(t.path("docs/d.txt")).unwrap();
    t.run(["index", "docs", "--no-delete"]).success();
    assert_eq!(t.count("dates"), 1, "--no-delete keeps vanished files");
}

#[test]
fn duplicates_are_stored_once() {
    exact_copies_are_stored_once(&Test::new());
}

/// Exact copies of a text are stored once, within a run and across runs, on any
/// index (the Quickwit tests run this there too).
pub fn exact_copies_are_stored_once(t: &Test) {
    let story = "Wire story\n\nThe same text, word for word, syndicated twice.";
    t.write("site-a/story.txt", story);
    t.write("site-b/copy.txt", story);
    t.run(["index", "site-a", "site-b"])
        .success()
        .stderr_has("1 exact duplicate stored once");
    assert_eq!(t.count("syndicated"), 1);
    // The same folder reached through a second path is one set of files.
    t.run(["index", "site-a", "./site-a/../site-a"]).success();
    assert_eq!(t.count("syndicated"), 1);
    // A later run's copy of a text the index holds, beside a new text.
    t.write("site-c/late.txt", story);
    t.write(
        "site-c/other.txt",
        "Other story\n\nA different text entirely.",
    );
    t.run(["index", "site-a", "site-b", "site-c"])
        .success()
        .stderr_has("1 exact duplicate stored once");
    assert_eq!(t.count("syndicated"), 1);
    assert_eq!(t.count("different"), 1);
    // Standard input's copy of a held text, beside a text of its own.
    t.run_stdin(
        ["index", "-"],
        "{\"title\":\"Wire story\",\"body\":\"The same text, word for word, syndicated twice.\"}\n\
         {\"title\":\"Piped\",\"body\":\"A piped article about canals.\"}\n",
    )
    .success()
    .stderr_has("1 exact duplicate stored once");
    assert_eq!(t.count("syndicated"), 1);
    assert_eq!(t.count("canals"), 1);
    // A file read again with its text unchanged holds it still: no copy of itself.
    t.write(
        "site-c/other.txt",
        "Other story\n\nA different text entirely.\n",
    );
    t.run(["index", "site-a", "site-b", "site-c"]).success();
    assert_eq!(t.count("different"), 1);
}

#[test]
fn killed_indexer_resumes_without_loss_or_leftovers() {
    let files = 2500;
    let mut t = Test::new();
    for n in 0..files {
        let body = format!(
            "{} unique{n:05}marker",
            "filler words for a story body ".repeat(60)
        );
        t = t.file(
            &format!("docs/{:02}/{n:05}.txt", n % 50),
            &format!("Story {n}\n\n{body}"),
        );
    }
    // Printed, and taken from NEWS_SEARCH_TEST_SEED, so a failing run can be replayed.
    let mut seed: u64 = std::env::var("NEWS_SEARCH_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("kill test seed: NEWS_SEARCH_TEST_SEED={seed}");
    let kills = std::env::var("NEWS_SEARCH_TEST_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(5);
    for round in 0..kills {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = 50 + (seed >> 33) % 700;
        let mut child = t.spawn([
            "index",
            "docs",
            "--commit-interval",
            "0.05",
            "--threads",
            "1",
            "--memory",
            "30",
        ]);
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let status = child.wait().unwrap();
        eprintln!("kill {round}: after {delay} ms ({status})");
    }
    let run = t.run_within(["index", "docs"], Duration::from_secs(120));
    run.success();
    assert_eq!(t.stats()["articles"], files as u64);
    for n in [0, files / 2, files - 1] {
        assert_eq!(t.count(&format!("unique{n:05}marker")), 1, "article {n}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(t.path("index"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    t.run(["index", "docs"])
        .success()
        .stderr_has(&format!("{files} unchanged files skipped"));
}

#[test]
fn scraped_site_boilerplate_is_learned_and_left_out() {
    let mut t = Test::new();
    let topics = [
        "harbour cranes",
        "school meals",
        "river flooding",
        "bus fleet",
        "museum roof",
        "chess final",
    ];
    for (n, topic) in topics.iter().enumerate() {
        t = t.file(
            &format!("site/{n}.txt"),
            &format!(
                "Skip to main content\nHome\nNews\nSubscribe now\n\nCity report on {topic}\n\n{} March 2025\n\nPicture: a view of the {topic}\n\nThe council discussed the {topic} on Tuesday, with residents present.\n\nShare this article\nFollow us on social media\n© 2025 City Daily",
                10 + n
            ),
        );
    }
    t.run(["index", "site"]).success();
    let (hits, _) = t.json(["query", "harbour cranes"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["title"], "City report on harbour cranes");
    assert_eq!(hits[0]["date"], "2025-03-10T00:00:00Z");
    let snippet = hits[0]["snippets"][0]["text"].as_str().unwrap();
    assert_eq!(
        snippet,
        "The council discussed the harbour cranes on Tuesday, with residents present."
    );
    assert_eq!(t.count("subscribe"), 0);
    assert_eq!(t.count("\"share this article\""), 0);
    assert_eq!(t.count("picture"), 0);
}

#[test]
fn csv_rows_are_articles_streamed_from_plain_and_compressed_files() {
    let sheet = "ID,Headline,Text,Published At,Source\n\
                 w1,Ferry strike ends,\"Crews voted to return,\nsaid the \"\"union\"\".\",2024-03-04,Wire\n\
                 w2,Tram fares rise,Fares rise in April.,4 mars 2024,Post\n";
    let t = Test::new()
        .file("c/sheet.csv", sheet)
        .bytes(
            "c/old.csv.gz",
            &gzip(b"title;body\nHarbour ice;The harbour froze.\n"),
        )
        .file("c/numbers.csv", "a,b\n1,2\n3,4\n");
    t.run(["index", "c"]).success().stderr_has(
        "numbers.csv:1: skipped, no text: its header names no title or text column (a, b)",
    );
    let (hits, _) = t.json(["query", "ferry OR tram OR harbour", "--no-collapse"]);
    let mut got: Vec<String> = hits
        .iter()
        .map(|h| format!("{} {} {}", h["id"], h["title"], h["date"]))
        .collect();
    got.sort();
    assert_eq!(
        got[1..],
        [
            r#""w1" "Ferry strike ends" "2024-03-04T00:00:00Z""#,
            r#""w2" "Tram fares rise" "2024-03-04T00:00:00Z""#,
        ]
    );
    assert!(got[0].contains("\"Harbour ice\" null"), "{got:?}");
    t.run(["show", "w1", "--json"])
        .success()
        .stdout_is_containing(r#"Crews voted to return,\nsaid the \"union\"."#);
    t.run(["index", "c"])
        .success()
        .stderr_has("3 unchanged files skipped");
}

/// A minimal Word document: its parts, zipped.
fn docx(document_body: &str, title: Option<&str>) -> Vec<u8> {
    let document = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{document_body}</w:body></w:document>"#
    );
    let core = title.map(|title| {
        format!(
            r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>{title}</dc:title><dcterms:created>2024-03-04T09:00:00Z</dcterms:created></cp:coreProperties>"#
        )
    });
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", document.as_bytes()),
    ];
    if let Some(core) = &core {
        parts.push(("docProps/core.xml", core.as_bytes()));
    }
    zip(&parts)
}

/// Each hit as its `fields` (as JSON prints them) joined by ` | `, in hit order.
fn described(hits: &[serde_json::Value], fields: &[&str]) -> Vec<String> {
    hits.iter()
        .map(|h| {
            let values: Vec<String> = fields.iter().map(|f| h[*f].to_string()).collect();
            values.join(" | ")
        })
        .collect()
}

#[test]
fn word_and_opendocument_files_are_articles_and_broken_ones_are_named() {
    let paragraph = |text: &str| format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>");
    let draft = docx(
        &[
            paragraph("Ferry crews return"),
            paragraph("By Sam Writer"),
            paragraph("The ferry crews went back to work on Monday."),
        ]
        .concat(),
        None,
    );
    let titled = docx(&paragraph("Tram fares rise in April."), Some("Fares memo"));
    let content = r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:h>Tram depot opens</text:h><text:p>The tram<text:s text:c="2"/>depot opened.</text:p></office:text></office:body></office:document-content>"#;
    let odt = zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_bytes()),
    ]);
    let t = Test::new()
        .bytes("c/draft.docx", &draft)
        .bytes("c/memo.docx", &titled)
        .bytes("c/depot.odt", &odt)
        .bytes("c/broken.docx", &draft[..draft.len() / 2])
        .bytes("c/sheet.docx", &docx("", None)[..]);
    t.run(["index", "c"])
        .success()
        .stderr_has("broken.docx: skipped, corrupt or truncated")
        .stderr_has("sheet.docx: skipped, no text: a Word document without text");
    let (hits, _) = t.json(["query", "ferry OR tram", "--no-collapse"]);
    let mut got = described(&hits, &["title", "author", "date"]);
    got.sort();
    assert_eq!(
        got,
        [
            r#""Fares memo" | null | "2024-03-04T09:00:00Z""#,
            r#""Ferry crews return" | "Sam Writer" | null"#,
            r#""Tram depot opens" | null | null"#,
        ]
    );
}

#[test]
fn a_nexis_uni_export_becomes_its_articles() {
    let paragraphs = [
        // The cover page: the search and its list of results.
        "Date and Time: Friday, 5. July 2019 09:31:00 CEST",
        "Documents (2)",
        "1. Ferries back on the island route",
        "Client/Matter: -None-",
        "Ferries back on the island route",
        "The Harbour Gazette",
        "July 1, 2019 Monday 9:20 AM GMT",
        "Copyright 2019 The Harbour Gazette All Rights Reserved",
        "Section:\u{a0}LOCAL; Version:3",
        "Length:\u{a0}355 words",
        "Byline:\u{a0}Jane Reporter",
        "Body",
        "The island ferry runs again from Monday.",
        "Classification",
        "Subject:\u{a0}FERRIES (90%)",
        "Load-Date:\u{a0}July 2, 2019",
        "End of Document",
        "Tram depot opens",
        "City Courier",
        "July 3, 2019 Wednesday",
        "Length:\u{a0}120 words",
        "Body",
        "The tram depot opened on Friday.",
        "End of Document",
    ];
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>"))
        .collect();
    let t = Test::new().bytes("c/Files (2).docx", &docx(&body, Some("Files (2)")));
    t.run(["index", "c"])
        .success()
        .stderr_has("indexed 2 articles");
    let (hits, _) = t.json(["query", "*", "--sort", "oldest"]);
    let got = described(&hits, &["title", "source", "author", "date"]);
    assert_eq!(
        got,
        [
            r#""Ferries back on the island route" | "The Harbour Gazette" | "Jane Reporter" | "2019-07-01T09:20:00Z""#,
            r#""Tram depot opens" | "City Courier" | null | "2019-07-03T00:00:00Z""#,
        ]
    );
    // The cover page and the index terms are no article's text.
    for left_out in ["client", "ferries ferry subject"] {
        t.run(["query", left_out, "-c"]).code(1);
    }
    t.run(["query", "island ferry", "-c"]).stdout_is("1\n");
    // LexisNexis Academic's text export.
    let academic = "Download Request: Selected Items: 1-2\n\n\
        \x20                 1 of 2 DOCUMENTS\n\n\n\
        \x20                 The Harbour Gazette\n\n\
        \x20               January 11, 2010 Monday\n\
        \x20                     Edition 1;\n\n\
        Harbour freezes\n\nBYLINE: Sam Writer\n\nLENGTH: 355 words\n\n\n\
        Ice closed the harbour.\n\nLOAD-DATE: January 11, 2010\n\n\
        \x20        Copyright 2010 The Harbour Gazette\n\n\
        \x20                 2 of 2 DOCUMENTS\n\n\
        City Courier\n\nJanuary 12, 2010 Tuesday\n\nDepot closes\n\n\
        LENGTH: 120 words\n\nThe depot closed.\n";
    let t = Test::new().file("c/academic.txt", academic);
    t.run(["index", "c"])
        .success()
        .stderr_has("indexed 2 articles");
    let (hits, _) = t.json(["query", "harbour OR depot", "--sort", "oldest"]);
    let got = described(&hits, &["title", "source", "author"]);
    assert_eq!(
        got,
        [
            r#""Harbour freezes" | "The Harbour Gazette" | "Sam Writer""#,
            r#""Depot closes" | "City Courier" | null"#,
        ]
    );
    t.run(["query", "download request", "-c"]).code(1);
}

#[test]
fn e_mail_messages_and_mailboxes_are_articles() {
    let release = "From: Harbour Authority <press@harbour.example>\r\n\
        Subject: =?UTF-8?Q?Ferry_service_resumes_=E2=80=94_caf=C3=A9_reopens?=\r\n\
        Date: Mon, 4 Mar 2024 10:00:00 +0100\r\n\
        Message-ID: <r1@harbour.example>\r\n\
        Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
        --b\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\
        Content-Transfer-Encoding: quoted-printable\r\n\r\n\
        The island ferry runs again; the caf=E9 on the quay reopens.\r\n\
        --b\r\nContent-Type: application/rtf\r\n\
        Content-Disposition: attachment; filename=\"timetable.rtf\"\r\n\r\n\
        {\\rtf1 Winter timetable\\par Boats leave the pier hourly.\\par}\r\n\
        --b\r\nContent-Type: image/png\r\n\
        Content-Disposition: attachment; filename=\"logo.png\"\r\n\r\nPNG\r\n\
        --b--\r\n";
    let inbox = "From press@tram.example Tue Mar  5 09:00:00 2024\n\
        From: Tram Company <press@tram.example>\n\
        Subject: Depot opens\n\
        Date: Tue, 5 Mar 2024 09:00:00 +0000\n\
        Content-Type: text/html; charset=utf-8\n\n\
        <p>The tram depot opened.</p><script>track()</script>\n\
        >From now on trams run late.\n\n\
        From desk@paper.example Tue Mar  5 10:00:00 2024\n\
        From: desk@paper.example\n\
        Subject: Re: Depot opens\n\
        Date: Tue, 5 Mar 2024 11:00:00 +0000\n\n\
        Thanks, noted for the tram page.\n";
    let t = Test::new()
        .file("mail/release.eml", release)
        // Thunderbird names its mailboxes without an extension: named on the
        // command line, one is known by its opening.
        .file("mail/Inbox", inbox);
    t.run(["index", "mail/release.eml", "mail/Inbox"])
        .success()
        .stderr_has("indexed 4 articles");
    // A file attached to a message is an article of its own, named as an
    // archive's member is.
    let (attached, _) = t.json(["query", "pier hourly"]);
    assert_eq!(attached[0]["title"], "Winter timetable");
    assert_eq!(attached[0]["path"], "mail/release.eml!/timetable.rtf");
    let (hits, _) = t.json(["query", "*", "--sort", "oldest", "--no-collapse"]);
    let hits: Vec<_> = hits
        .into_iter()
        .filter(|h| h["title"] != "Winter timetable")
        .collect();
    let got = described(&hits, &["title", "author", "date"]);
    assert_eq!(
        got,
        [
            r#""Ferry service resumes — café reopens" | "Harbour Authority" | "2024-03-04T09:00:00Z""#,
            r#""Depot opens" | "Tram Company" | "2024-03-05T09:00:00Z""#,
            r#""Re: Depot opens" | "desk@paper.example" | "2024-03-05T11:00:00Z""#,
        ]
    );
    assert_eq!(hits[0]["id"], "r1@harbour.example", "the Message-ID");
    t.run(["query", "café quay", "-c"]).stdout_is("1\n");
    t.run(["query", "trams late", "-c"]).stdout_is("1\n");
    t.run(["query", "track", "-c"]).code(1);
}

#[test]
fn outlook_messages_are_articles() {
    use std::io::Write;
    // As Outlook saves a mail: property streams named by tag (UTF-16 strings).
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    for (tag, text) in [
        ("0037001F", "Ferry service resumes"),
        ("0C1A001F", "Harbour Authority"),
        ("1000001F", "The island ferry runs again from Monday."),
    ] {
        let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut stream = file.create_stream(format!("/__substg1.0_{tag}")).unwrap();
        stream.write_all(&utf16).unwrap();
    }
    file.create_stream("/__properties_version1.0")
        .unwrap()
        .write_all(&[0; 32])
        .unwrap();
    // An attached file: its name and bytes in a storage of their own.
    let attachment = "/__attach_version1.0_#00000000";
    file.create_storage(attachment).unwrap();
    let name: Vec<u8> = "timetable.txt"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let mut stream = file
        .create_stream(format!("{attachment}/__substg1.0_3707001F"))
        .unwrap();
    stream.write_all(&name).unwrap();
    drop(stream);
    let mut stream = file
        .create_stream(format!("{attachment}/__substg1.0_37010102"))
        .unwrap();
    stream
        .write_all(b"Winter timetable\n\nBoats leave the pier hourly.\n")
        .unwrap();
    drop(stream);
    file.flush().unwrap();
    let saved = file.into_inner().into_inner();
    let t = Test::new()
        .bytes("mail/release.msg", &saved)
        // Some tools save a MIME message under a `.msg` name.
        .file(
            "mail/mime.msg",
            "From: desk@paper.example\r\nSubject: Tram note\r\n\r\nThe depot opened.\r\n",
        )
        .bytes("mail/broken.msg", &saved[..saved.len() / 3]);
    t.run(["index", "mail"])
        .success()
        .stderr_has("broken.msg: skipped, corrupt or truncated")
        .stderr_has("indexed 3 articles");
    let (attached, _) = t.json(["query", "pier hourly"]);
    assert_eq!(attached[0]["path"], "mail/release.msg!/timetable.txt");
    let (hits, _) = t.json(["query", "ferry OR depot"]);
    let mut got = described(&hits, &["title", "author"]);
    got.sort();
    assert_eq!(
        got,
        [
            r#""Ferry service resumes" | "Harbour Authority""#,
            r#""Tram note" | "desk@paper.example""#,
        ]
    );
}

#[test]
fn rich_text_files_are_articles_under_any_name() {
    // As Word writes RTF: properties in `\info`, `\uN` with an ANSI fallback, a
    // font with its own code page, a field whose result is the text.
    let word = r#"{\rtf1\ansi\ansicpg1252\uc1\deff0{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f1\fswiss\fcharset204 Arial Cyr;}}
{\stylesheet{\ql Normal;}{\s15\ql\b Title;}}
{\info{\title Ferry timetable}{\author Sam Writer}{\creatim\yr2024\mo3\dy4\hr9\min30}}
{\header \pard Draft - do not publish\par}
\pard\plain Kicker\par
\pard\plain\s15 Ferries run again\par
\pard\plain The \u8220\'93caf\u233\'e9\u8221\'94 on the quay opens{\footnote \pard Source: harbour office\par}; greetings from {\f1 \'cc\'f3\'f0\'ec\'e0\'ed\'f1\'ea}.\par
{\field{\*\fldinst HYPERLINK "https://example.org/ferry"}{\fldrslt Timetable online}}\par
}"#;
    // As WordPad writes it, under a `.txt` name: RTF is known by its content.
    let wordpad = r"{\rtf1\ansi\deff0{\fonttbl{\f0\fnil\fcharset0 Calibri;}}
{\*\generator Riched20 10.0.19041}\viewkind4\uc1\pard\f0\fs22 Tram depot opens\par
The tram depot opened on Friday.\par
}";
    let t = Test::new()
        .file("c/ferry.rtf", word)
        .file("c/depot.txt", wordpad)
        .file(
            "c/empty.rtf",
            r"{\rtf1{\fonttbl{\f0 Arial;}}{\info{\author Sam}}}",
        );
    t.run(["index", "c"])
        .success()
        .stderr_has("empty.rtf: skipped, no text: an RTF document without text");
    let (hits, _) = t.json(["query", "ferries OR tram", "--no-collapse"]);
    let mut got = described(&hits, &["title", "author", "date"]);
    got.sort();
    assert_eq!(
        got,
        [
            r#""Ferry timetable" | "Sam Writer" | "2024-03-04T09:30:00Z""#,
            r#""Tram depot opens" | null | null"#,
        ]
    );
    t.run(["query", "café", "-c"]).stdout_is("1\n");
    t.run(["query", "Мурманск", "-c"]).stdout_is("1\n");
    t.run(["query", "timetable online", "-c"]).stdout_is("1\n");
    for left_out in ["draft", "harbour", "example.org"] {
        t.run(["query", left_out, "-c"]).code(1);
    }
}
