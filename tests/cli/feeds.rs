//! Issue 24, feeds: `serve` gives an Atom 1.0 feed for any query and filters
//! (newest first), one per saved search or watchlist, and an OpenSearch
//! description; the page links them and lists the saved searches with their
//! unread counts. The XML is checked with parsers, against RFC 4287's required
//! elements, not by eye.

use super::serve::Server;
use super::support::Test;

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// Ferries over a week in two papers, indexed where `t`'s runs index; one
/// headline holds characters XML must escape and a stray control byte from OCR.
fn archive(t: &Test) {
    let mut lines = Vec::new();
    for day in 1..=8u32 {
        let paper = if day % 2 == 0 {
            "Evening Star"
        } else {
            "Bisbee Daily Review"
        };
        let title = if day == 8 {
            "Ferry <late> & \"lost\"\u{1}".to_string()
        } else {
            format!("Ferry news of day {day}")
        };
        lines.push(
            serde_json::json!({"id": format!("f{day}"), "title": title,
                "body": format!("The ferry ran late on day {day}. Pedro Alvarez was aboard."),
                "date": format!("1916-03-{day:02}"), "source": paper})
            .to_string(),
        );
    }
    lines.push(
        serde_json::json!({"id": "w1", "title": "Weather", "body": "Rain.", "date": "1916-03-09"})
            .to_string(),
    );
    t.write("in/a.jsonl", &(lines.join("\n") + "\n"));
    t.run(["index", "in"]).success();
}

/// Parses `xml` as Atom with feed-rs and checks RFC 4287's musts with roxmltree:
/// the entries' ids, newest first.
fn atom_ids(xml: &str) -> Vec<String> {
    let parsed = feed_rs::parser::parse(xml.as_bytes()).expect("feed-rs reads it");
    assert_eq!(parsed.feed_type, feed_rs::model::FeedType::Atom);
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    assert_eq!(feed.tag_name().name(), "feed");
    let children = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .filter(|c| {
                c.is_element()
                    && c.tag_name().name() == name
                    && c.tag_name().namespace() == Some(ATOM)
            })
            .count()
    };
    for must in ["id", "title", "updated"] {
        assert_eq!(children(feed, must), 1, "feed has one {must}");
    }
    assert!(
        feed.children()
            .any(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("self")),
        "a self link"
    );
    let feed_author = children(feed, "author") > 0;
    let mut ids = Vec::new();
    let mut dates = Vec::new();
    for entry in feed.children().filter(|c| c.tag_name().name() == "entry") {
        for must in ["id", "title", "updated"] {
            assert_eq!(children(entry, must), 1, "entry has one {must}");
        }
        assert!(feed_author || children(entry, "author") > 0);
        assert!(
            entry
                .children()
                .any(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("alternate")),
            "an entry without content has an alternate link"
        );
        let text = |name: &str| {
            entry
                .children()
                .find(|c| c.tag_name().name() == name)
                .and_then(|c| c.text())
                .unwrap()
                .to_string()
        };
        let updated = text("updated");
        chrono::DateTime::parse_from_rfc3339(&updated).expect("an RFC 3339 date");
        dates.push(updated);
        ids.push(text("id").rsplit('/').next().unwrap().to_string());
    }
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
    assert_eq!(parsed.entries.len(), ids.len());
    ids
}

#[test]
fn feeds_and_the_opensearch_description_parse_and_hold_the_right_articles() {
    feeds_hold_the_right_articles(&Test::new());
}

/// The feeds scenario, on the index `t`'s runs use (a local folder, or a Quickwit
/// index through `NEWS_SEARCH_INDEX`).
pub fn feeds_hold_the_right_articles(t: &Test) {
    archive(t);
    t.run([
        "watch",
        "add",
        "ferries",
        "ferry",
        "--source",
        "Evening Star",
    ])
    .success();
    t.write("names.txt", "Pedro Alvarez\nrain\n");
    t.run(["watch", "add", "names", "--file", "names.txt"])
        .success();
    let server = Server::start(t, &["--quiet"]);

    // A query's feed: newest first, filters applied, limit honoured.
    let (status, xml) = server.get("/feed.atom?q=ferry");
    assert_eq!(status, 200);
    assert_eq!(
        atom_ids(&xml),
        ["f8", "f7", "f6", "f5", "f4", "f3", "f2", "f1"]
    );
    assert!(
        xml.contains("<title>Ferry &lt;late&gt; &amp; &quot;lost&quot;</title>"),
        "{xml}"
    );
    let (_, xml) = server.get("/feed.atom?q=ferry&source=Bisbee+Daily+Review&limit=2");
    assert_eq!(atom_ids(&xml), ["f7", "f5"]);
    let (_, xml) = server.get("/feed.atom?q=ferry&until=1916-03-02");
    assert_eq!(atom_ids(&xml), ["f2", "f1"]);
    let (_, xml) = server.get("/feed.atom?q=zeppelin");
    assert!(atom_ids(&xml).is_empty());
    assert_eq!(server.get("/feed.atom").0, 400);
    assert_eq!(server.get("/feed.atom?q=ferry&limit=0").0, 400);

    // A saved search's feed takes its filters; a watchlist's, any of its lines.
    let (status, xml) = server.get("/watch/ferries.atom");
    assert_eq!(status, 200);
    assert_eq!(atom_ids(&xml), ["f8", "f6", "f4", "f2"]);
    let (_, xml) = server.get("/watch/names.atom");
    let ids = atom_ids(&xml);
    assert_eq!(
        ids.len(),
        9,
        "every ferry names Pedro Alvarez, and the rain: {ids:?}"
    );
    assert_eq!(ids[0], "w1");
    assert!(xml.contains("[rain]") && xml.contains("[Pedro Alvarez]"));
    assert_eq!(server.get("/watch/nope.atom").0, 404);
    assert_eq!(server.get("/watch/ferries").0, 404);

    // OpenSearch 1.1.
    let (status, xml) = server.get("/opensearch.xml");
    assert_eq!(status, 200);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "OpenSearchDescription");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://a9.com/-/spec/opensearch/1.1/")
    );
    let short = root
        .children()
        .find(|c| c.tag_name().name() == "ShortName")
        .and_then(|c| c.text())
        .unwrap();
    assert!(short.len() <= 16);
    let templates: Vec<(&str, &str)> = root
        .children()
        .filter(|c| c.tag_name().name() == "Url")
        .map(|c| {
            (
                c.attribute("type").unwrap(),
                c.attribute("template").unwrap(),
            )
        })
        .collect();
    assert!(templates.contains(&("text/html", &*format!("{}/?q={{searchTerms}}", server.base))));
    assert!(templates.contains(&(
        "application/atom+xml",
        &*format!("{}/feed.atom?q={{searchTerms}}", server.base)
    )));

    // The page links the feed and the description, and lists the saved searches.
    let (_, page) = server.get("/?q=ferry&source=Evening+Star");
    assert!(page.contains(r#"<link rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml""#), "{page}");
    assert!(page.contains(r#"<link rel="alternate" type="application/atom+xml" href="/feed.atom?q=ferry&amp;source=Evening+Star""#), "{page}");
    let (_, home) = server.get("/");
    assert!(home.contains("Saved searches"), "{home}");
    assert!(
        home.contains(r#"<a href="/?q=ferry">ferries</a> <span class="unread">0 unread</span>"#),
        "{home}"
    );
    assert!(home.contains(r#"href="/watch/names.atom""#));
    drop(server);

    // New articles show as unread on the page.
    t.write(
        "in/b.jsonl",
        &(serde_json::json!({"id": "f9", "title": "Ferry", "body": "The ferry again.",
            "date": "1916-03-10", "source": "Evening Star"})
        .to_string()
            + "\n"),
    );
    t.run(["index", "in"]).success();
    let server = Server::start(t, &["--quiet"]);
    let (_, home) = server.get("/");
    assert!(
        home.contains(
            r#"<a href="/?q=ferry">ferries</a> <span class="unread new">1 unread</span>"#
        ),
        "{home}"
    );
}
