//! Issue 24, citations: `show ID --cite [--format text|bibtex|ris|csl-json]` and
//! the article page's "Cite" control give source, place, date, page, title,
//! author and URL. BibTeX is read back with the `biblatex` crate, RIS with
//! `biblib`'s parser, CSL-JSON with serde against the CSL schema's shapes.

use biblatex::{Bibliography, ChunksExt};
use biblib::{CitationParser, RisParser};
use serde_json::Value;

use super::serve::Server;
use super::support::{Test, copy_tree, project_dir};

/// A METS issue (an article over pages 1 and 2) and a JSON article whose
/// headline and byline hold TeX's and RIS's awkward characters.
fn archive() -> (Test, String) {
    let t = Test::new();
    copy_tree(
        &project_dir().join("tests/formats/issue-articles"),
        &t.path("issue"),
    );
    t.write(
        "wire.jsonl",
        &(serde_json::json!({"id": "w/1", "title": "Cotton up 50% & {rising}_fast\nat last",
            "body": "Cotton rose.", "author": "Jane Roe, Staff Correspondent",
            "date": "1987-03-04T10:00:00Z", "source": "Reuters", "place": "New York",
            "url": "https://example.com/a?b=1&c=%7B"})
        .to_string()
            + "\n"),
    );
    t.run(["index", "issue", "wire.jsonl"]).success();
    let (found, _) = t.json(["query", "\"THE MILL REOPENS\""]);
    let mill = found[0]["id"].as_str().unwrap().to_string();
    (t, mill)
}

fn cite(t: &Test, id: &str, format: &str) -> String {
    let run = t.run(["show", id, "--cite", "--format", format]);
    run.success();
    run.stdout_text()
}

#[test]
fn citations_parse_in_every_format_with_every_field() {
    let (t, mill) = archive();

    // Text.
    assert_eq!(
        cite(&t, &mill, "text"),
        "\u{201c}THE MILL REOPENS.\u{201d} The Riverside Courier (Millbrook), March 5, 1921, 1\u{2013}2.\n"
    );
    assert_eq!(
        cite(&t, "w/1", "text"),
        "Jane Roe, Staff Correspondent. \u{201c}Cotton up 50% & {rising}_fast at last.\u{201d} Reuters (New York), March 4, 1987. https://example.com/a?b=1&c=%7B.\n"
    );
    assert_eq!(
        t.run(["show", "w/1", "--cite"]).stdout_text(),
        cite(&t, "w/1", "text")
    );

    // BibTeX, both articles at once.
    let both = cite(&t, &mill, "bibtex") + &cite(&t, "w/1", "bibtex");
    let bib = Bibliography::parse(&both).unwrap_or_else(|e| panic!("{e:?}: {both}"));
    assert_eq!(bib.len(), 2);
    let field = |entry: &biblatex::Entry, name: &str| {
        entry
            .fields
            .get(name)
            .map(|chunks| chunks.format_verbatim())
            .unwrap_or_else(|| panic!("no {name} in {both}"))
    };
    let entries: Vec<&biblatex::Entry> = bib.iter().collect();
    let (m, w) = (entries[0], entries[1]);
    assert_eq!(m.entry_type, biblatex::EntryType::Article);
    assert_eq!(field(m, "title"), "THE MILL REOPENS");
    assert_eq!(field(m, "journal"), "The Riverside Courier");
    assert_eq!(field(m, "address"), "Millbrook");
    assert_eq!(field(m, "pages"), "1\u{2013}2", "TeX's -- is an en dash");
    assert_eq!(field(m, "date"), "1921-03-05");
    // Escaped in the file, the same text when read back.
    assert_eq!(field(w, "title"), "Cotton up 50% & {rising}_fast at last");
    let authors = w.author().unwrap();
    assert_eq!(
        authors.len(),
        1,
        "one name, not split at its comma: {authors:?}"
    );
    assert_eq!(authors[0].name, "Jane Roe, Staff Correspondent");
    assert_eq!(field(w, "url"), "https://example.com/a?b=1&c=%7B");
    assert_ne!(m.key, w.key);

    // RIS.
    let ris = cite(&t, &mill, "ris") + &cite(&t, "w/1", "ris");
    assert!(
        ris.split('\n').all(|l| l.ends_with('\r') || l.is_empty()),
        "CRLF lines"
    );
    let records = RisParser::new()
        .parse(&ris)
        .unwrap_or_else(|e| panic!("{e:?}: {ris}"));
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].title, "THE MILL REOPENS");
    assert_eq!(records[0].pages.as_deref(), Some("1-2"));
    let date = records[0].date.as_ref().unwrap();
    assert_eq!((date.year, date.month, date.day), (1921, Some(3), Some(5)));
    assert_eq!(records[1].title, "Cotton up 50% & {rising}_fast at last");
    assert_eq!(records[1].urls, ["https://example.com/a?b=1&c=%7B"]);
    assert_eq!(records[1].authors.len(), 1);
    assert!(ris.contains("TY  - NEWS\r\n") && ris.contains("T2  - Reuters\r\n"));
    assert!(ris.contains("CY  - New York\r\n"));

    // CSL-JSON.
    let items: Value = serde_json::from_str(&cite(&t, &mill, "csl-json")).unwrap();
    let item = &items[0];
    assert_eq!(item["type"], "article-newspaper");
    assert_eq!(item["title"], "THE MILL REOPENS");
    assert_eq!(item["container-title"], "The Riverside Courier");
    assert_eq!(item["publisher-place"], "Millbrook");
    assert_eq!(item["page"], "1-2");
    assert_eq!(
        item["issued"]["date-parts"],
        serde_json::json!([[1921, 3, 5]])
    );
    let items: Value = serde_json::from_str(&cite(&t, "w/1", "csl-json")).unwrap();
    assert_eq!(
        items[0]["author"],
        serde_json::json!([{"literal": "Jane Roe, Staff Correspondent"}])
    );
    assert_eq!(items[0]["URL"], "https://example.com/a?b=1&c=%7B");

    t.run(["show", "w/1", "--format", "ris"]).code(2);
    t.run(["show", "nope", "--cite"]).code(1);
}

#[test]
fn the_article_page_cites_and_the_api_gives_the_files() {
    let (t, mill) = archive();
    let server = Server::start(&t, &["--quiet"]);
    let escaped: String = form_urlencoded::byte_serialize(mill.as_bytes()).collect();
    let (status, page) = server.get(&format!("/articles/{escaped}"));
    assert_eq!(status, 200);
    assert!(page.contains("<summary>Cite</summary>"), "{page}");
    // An article without a URL of its own is cited at its page here.
    let own = format!("{}/articles/{escaped}", server.base);
    assert!(
        page.contains(&format!(
            "The Riverside Courier (Millbrook), March 5, 1921, 1\u{2013}2. {own}."
        )),
        "{page}"
    );
    assert!(page.contains(&format!("href=\"/api/articles/{escaped}/cite?format=ris\"")));
    let (status, ris) = server.get(&format!("/api/articles/{escaped}/cite?format=ris"));
    assert_eq!(status, 200);
    let records = RisParser::new().parse(&ris).unwrap();
    assert_eq!(records[0].urls, [own]);
    let (status, bib) = server.get(&format!("/api/articles/{escaped}/cite?format=bibtex"));
    assert_eq!(status, 200);
    assert_eq!(Bibliography::parse(&bib).unwrap().len(), 1);
    assert_eq!(
        server
            .get(&format!("/api/articles/{escaped}/cite?format=mla"))
            .0,
        400
    );
    assert_eq!(server.get("/api/articles/nope/cite?format=ris").0, 404);
}
