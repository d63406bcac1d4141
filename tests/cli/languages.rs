//! Issue 21, names across scripts: Greek and Cyrillic words are also searchable in
//! Latin letters and the other way round (`Putin` finds *Путин*, `Медведев` finds
//! *Medvedev*), with the word highlighted as printed.

use super::support::{Test, highlighted};

fn wires() -> Test {
    let lines = [
        r#"{"id":"ru1","title":"Путин встретился с Шойгу","body":"Президент Путин и министр Шойгу обсудили бюджет.","lang":"ru"}"#,
        r#"{"id":"el1","title":"Ο Τσίπρας στην Αθήνα","body":"Ο Αλέξης Τσίπρας μίλησε στη Βουλή.","lang":"el"}"#,
        r#"{"id":"en1","title":"Medvedev speaks","body":"Dmitry Medvedev spoke in Moscow about Zelensky.","lang":"en"}"#,
        r#"{"id":"ru2","title":"Зеленский","body":"Владимир Зеленский выступил в Киеве.","lang":"ru"}"#,
    ];
    let t = Test::new().file("in/wire.jsonl", &(lines.join("\n") + "\n"));
    t.run(["index", "in"]).success();
    t
}

#[test]
fn latin_queries_reach_greek_and_cyrillic_and_back() {
    let t = wires();
    assert_eq!(t.sorted_ids(&["Putin"]), ["ru1"]);
    assert_eq!(t.sorted_ids(&["Shoigu"]), ["ru1"]);
    assert_eq!(t.sorted_ids(&["Tsipras"]), ["el1"]);
    assert_eq!(t.sorted_ids(&["Медведев"]), ["en1"]);
    assert_eq!(t.sorted_ids(&["Zelensky"]), ["en1", "ru2"]);
    assert_eq!(t.sorted_ids(&["Путин"]), ["ru1"]);
    // Phrases and names fields too.
    assert_eq!(t.sorted_ids(&["\"Alexis Tsipras\""]), ["el1"]);
    assert_eq!(t.sorted_ids(&["title:Putin"]), ["ru1"]);

    // The word is highlighted as printed.
    let (hits, _) = t.json(["query", "Tsipras"]);
    let snippet = &hits[0]["snippets"][0];
    assert_eq!(
        highlighted(&snippet["text"], &snippet["highlights"]),
        ["Τσίπρας"]
    );
    assert_eq!(
        highlighted(&hits[0]["title"], &hits[0]["title_highlights"]),
        ["Τσίπρας"]
    );
}

#[test]
fn an_articles_language_comes_from_its_metadata_before_detection() {
    // Texts too short to detect, each with a declared language: JSON `lang`, the
    // page's `<html lang>`, a sidecar table's `language` column.
    let t = Test::new()
        .file(
            "in/a.jsonl",
            "{\"id\":\"j\",\"title\":\"Wahl\",\"body\":\"Die Wahl ist heute.\",\"lang\":\"de\"}\n",
        )
        .file(
            "in/page.html",
            "<html lang=\"de-AT\"><head><title>Kurz</title></head><body><article><h1>Kurz</h1><p>Die Stadt baut eine Brücke.</p></article></body></html>",
        )
        .file("in/sc/kort.txt", "Title: Kort\n\nDe stad bouwt een brug.\n")
        .file("in/sc/meta.tsv", "key\tlanguage\nkort\tnl\n");
    t.run(["index", "in"]).success();
    assert_eq!(t.run(["query", "lang:de", "-c"]).stdout_text(), "2\n");
    let (hits, _) = t.json(["query", "lang:nl"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["lang"], "nl");
    assert_eq!(hits[0]["title"], "Kort");
}
