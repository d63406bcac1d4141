//! Issue 12's archive items: exact sources, languages, sidecar tables, OCR pages.

use crate::support::Test;

fn papers() -> Test {
    let line = |id: &str, source: &str| {
        format!(
            "{{\"id\":\"{id}\",\"title\":\"Comet seen {id}\",\"body\":\"Observers saw the comet over the bay, reports {id}.\",\"source\":\"{source}\"}}\n"
        )
    };
    let lines = [
        line("a", "Evening star."),
        line("b", "The evening star"),
        line("c", "The Ocala evening star."),
        line("d", "Le Café du Matin"),
        line("e", "Morning Star"),
    ]
    .concat();
    let t = Test::new().file("papers.jsonl", &lines);
    t.run(["index", "papers.jsonl"]).success();
    t
}

fn ids(t: &Test, source: &str) -> Vec<String> {
    t.sorted_ids(&["comet", "--source", source])
}

#[test]
fn a_source_filter_matches_the_whole_name() {
    let t = papers();
    // Case, a leading "The" and trailing punctuation aside, the whole name.
    assert_eq!(ids(&t, "Evening star"), ["a", "b"]);
    assert_eq!(ids(&t, "the EVENING STAR."), ["a", "b"]);
    assert_eq!(ids(&t, "Ocala evening star"), ["c"]);
    assert_eq!(ids(&t, "le cafe du matin"), ["d"]);
    // `~` asks for names that contain the words.
    assert_eq!(ids(&t, "~star"), ["a", "b", "c", "e"]);
    assert_eq!(ids(&t, "~evening star"), ["a", "b", "c"]);
    // Two flags: either source.
    let (hits, _) = t.json([
        "query",
        "comet",
        "--source",
        "Morning star",
        "--source",
        "Le Café du Matin",
    ]);
    assert_eq!(hits.len(), 2);
    // A name no article has: said, with the closest names, and exit 1.
    t.run(["query", "comet", "--source", "Evening stars"])
        .code(1)
        .stderr_has("no source is named \"Evening stars\"; closest: \"Evening star.\"");
    t.run(["query", "comet", "--source", "Evening stars", "-c"])
        .code(1)
        .stdout_is("0\n");
}

#[test]
fn short_and_numeric_texts_are_not_given_a_wrong_language_and_match_any_lang_filter() {
    let lines = [
        r#"{"id":"winn","title":"WINN-DIXIE STORES INC <WIN> SETS MONTHLY PAYOUT","body":"JACKSONVILLE, Fla., April 1 - Mthly div 15 cts vs 15 cts prior Pay April 30, May 29, June 24 Record April 15, May 15, June 10"}"#,
        r#"{"id":"ge","title":"GENERAL ELECTRIC CO <GE> 1ST QTR NET","body":"FAIRFIELD, Conn., April 8 - Shr 1.37 dlrs vs 1.18 dlrs Net 624 mln vs 537 mln Sales 8.32 billion vs 5.88 billion NOTE: Prior year does not include results of acquired units. Qtly div 15 cts vs 15 cts prior Pay April 25 Record March 6"}"#,
        r#"{"id":"table","title":"COFFEE PRICES","body":"SANTOS NO. 4 108.50 109.00 PARANA NO. 4 104.25 105.00 COLOMBIAN 128.00 129.50"}"#,
        r#"{"id":"story","title":"Dockers strike over pay","body":"Dock workers at the port walked out on Monday, saying that the pay offer from the harbour board was far below the rate of inflation and that talks had failed."}"#,
        r#"{"id":"greve","title":"La grève des dockers continue","body":"Les dockers du port ont décidé de poursuivre la grève jusqu'à la fin de la semaine prochaine, selon les syndicats qui demandent une hausse des salaires et de meilleures conditions de travail pour tous les employés du port."}"#,
    ]
    .join("\n");
    let t = Test::new().file("wire.jsonl", &lines);
    t.run(["index", "wire.jsonl"]).success();
    let lang_of = |id: &str| {
        let (hits, _) = t.json(["query", &format!("id:{id}")]);
        hits[0]["lang"].as_str().unwrap().to_string()
    };
    // Before: WINN-DIXIE was "fr" and GE "fr"; now undetermined, never a wrong guess.
    assert_eq!(lang_of("winn"), "und");
    assert_eq!(lang_of("ge"), "und");
    assert_eq!(lang_of("table"), "und");
    assert_eq!(lang_of("story"), "en");
    assert_eq!(lang_of("greve"), "fr");
    // Undetermined articles match every language filter; `und` alone lists them.
    assert_eq!(
        t.run(["query", "*", "--lang", "en", "-c"]).stdout_text(),
        "4\n"
    );
    assert_eq!(
        t.run(["query", "*", "--lang", "fr", "-c"]).stdout_text(),
        "4\n"
    );
    assert_eq!(t.run(["query", "lang:en", "-c"]).stdout_text(), "4\n");
    assert_eq!(
        t.run(["query", "*", "--lang", "und", "-c"]).stdout_text(),
        "3\n"
    );
    // Filters narrow without changing scores.
    let (plain, _) = t.json(["query", "dock strike"]);
    let (filtered, _) = t.json(["query", "dock strike", "--lang", "en"]);
    assert_eq!(plain[0]["score"], filtered[0]["score"]);
}

#[test]
fn phrases_match_their_stop_words_and_stop_words_alone_are_searched() {
    let t = Test::new()
        .file(
            "hamlet.txt",
            "Theatre review\n\nThe actor paused before: to be or not to be, that is the question.\n",
        )
        .file(
            "film.txt",
            "Film opens\n\nThe Birth of a Nation opened at the Liberty theatre on Monday.\n",
        )
        .file(
            "speech.txt",
            "Senator speaks\n\nHe spoke of the birth of the nation and its theatre of war.\n",
        )
        .file(
            "other.txt",
            "Weather\n\nRain is likely to be heavy, or not, says the bureau.\n",
        );
    t.run(["index", "."]).success();
    let titles = |q: &str| -> Vec<String> {
        let (hits, _) = t.json(["query", q]);
        hits.iter()
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect()
    };
    // Before: "the query has no searchable words".
    assert_eq!(titles("\"to be or not to be\""), ["Theatre review"]);
    assert_eq!(titles("\"Birth of a Nation\""), ["Film opens"]);
    assert_eq!(titles("\"birth of the nation\""), ["Senator speaks"]);
    // A query of stop words only searches for them.
    let found = titles("to be or not to be");
    assert!(found.contains(&"Theatre review".to_string()), "{found:?}");
    // Highlights cover the whole phrase, little words included.
    let (hits, _) = t.json(["query", "\"Birth of a Nation\""]);
    let marked = crate::support::highlighted(
        &hits[0]["snippets"][0]["text"],
        &hits[0]["snippets"][0]["highlights"],
    );
    assert_eq!(
        marked.concat().to_lowercase().replace(' ', ""),
        "birthofanation"
    );
    // Outside quotes, stop words still count for nothing: same hits, same scores.
    let (plain, _) = t.json(["query", "theatre"]);
    let (with_stop, _) = t.json(["query", "the theatre of"]);
    assert_eq!(plain, with_stop);
}

fn dump() -> Test {
    Test::new()
        .file(
            "dump/titles.tsv",
            "lccn\tname\tplace_of_publication\n\
             sn1\tThe evening herald.\tAlbuquerque, N.M.\n\
             sn2\tThe evening herald.\tAllentown, Pa.\n",
        )
        .file(
            "dump/urls.tsv",
            "key\turl_template\n*\thttps://chroniclingamerica.loc.gov/lccn/{key}/{date}/ed-{n1}/seq-{n2}/\n",
        )
        .file(
            "dump/dates/19160309/sn1-ed-1_seq-1.txt",
            "RAID ON COLUMBUS\n\nVilla's men crossed the border and attacked the town.\n",
        )
        .file(
            "dump/dates/19160309/sn2-ed-2_seq-3.txt",
            "BORDER RAID\n\nThe raid on Columbus stirred the capital.\n",
        )
}

#[test]
fn sidecar_tables_apply_from_above_the_indexed_folder_and_update_on_change() {
    let t = dump();
    // Before: indexing the day folder alone lost the newspaper names.
    t.run(["index", "dump/dates/19160309"]).success();
    let (hits, _) = t.json(["query", "raid", "--sort", "oldest"]);
    assert_eq!(hits.len(), 2);
    let by_id = |key: &str| {
        hits.iter()
            .find(|h| h["path"].as_str().unwrap().contains(key))
            .unwrap()
            .clone()
    };
    let first = by_id("sn1-");
    assert_eq!(first["source"], "The evening herald.");
    assert_eq!(first["place"], "Albuquerque, N.M.");
    // A URL template filled from the row, the date and the numbers in the name.
    assert_eq!(
        first["url"],
        "https://chroniclingamerica.loc.gov/lccn/sn1/1916-03-09/ed-1/seq-1/"
    );
    assert_eq!(
        by_id("sn2-")["url"],
        "https://chroniclingamerica.loc.gov/lccn/sn2/1916-03-09/ed-2/seq-3/"
    );
    // Nothing changed: nothing is read again.
    t.run(["index", "dump/dates/19160309"])
        .success()
        .stderr_has("2 unchanged files skipped");
    // A changed row re-reads the files it describes, and only those.
    t.write(
        "dump/titles.tsv",
        "lccn\tname\tplace_of_publication\n\
         sn1\tAlbuquerque evening herald.\tAlbuquerque, N.M.\n\
         sn2\tThe evening herald.\tAllentown, Pa.\n",
    );
    t.run(["index", "dump/dates/19160309"])
        .success()
        .stderr_has("indexed 1 article from 1 new or changed file")
        .stderr_has("1 unchanged file skipped");
    let (hits, _) = t.json(["query", "villa"]);
    assert_eq!(hits[0]["source"], "Albuquerque evening herald.");
}

#[test]
fn two_papers_of_one_name_are_told_apart_by_their_place() {
    let t = dump();
    t.write(
        "dump/titles.tsv",
        "lccn\tname\tplace_of_publication\n\
         sn1\tThe evening herald.\tAlbuquerque, N.M.\n\
         sn2\tThe evening herald.\tAllentown, Pa.\n",
    );
    t.run(["index", "dump"]).success();
    // Results show the place after the source.
    t.run(["query", "villa"])
        .success()
        .stdout_is_containing("The evening herald. (Albuquerque, N.M.)");
    // Counted apart in stats and timelines.
    let stats = t.stats();
    let sources: Vec<&str> = stats["top_sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["source"].as_str().unwrap())
        .collect();
    assert!(
        sources.contains(&"The evening herald. (Albuquerque, N.M.)"),
        "{sources:?}"
    );
    assert!(
        sources.contains(&"The evening herald. (Allentown, Pa.)"),
        "{sources:?}"
    );
    let timeline = t
        .run(["query", "raid", "--timeline", "source"])
        .stdout_text();
    assert!(
        timeline.contains("The evening herald. (Allentown, Pa.)\t1"),
        "{timeline}"
    );
    assert!(
        timeline.contains("The evening herald. (Albuquerque, N.M.)\t1"),
        "{timeline}"
    );
    // The name alone takes both; the name with its place, one.
    assert_eq!(ids_of(&t, "raid", "The evening herald"), 2);
    assert_eq!(
        ids_of(&t, "raid", "The evening herald. (Allentown, Pa.)"),
        1
    );
}

fn ids_of(t: &Test, query: &str, source: &str) -> usize {
    t.json(["query", query, "--source", source]).0.len()
}

fn ocr_pages() -> Test {
    Test::new()
        .file(
            "scans/titles.tsv",
            "lccn\tname\tplace_of_publication\nsn9\tThe daily test.\tTestville, Ill.\n",
        )
        .file(
            "scans/dates/19160217/sn9-ed-1_seq-1.txt",
            "fr (\n1.1 mmmmmmmmmumUmwmmmUmm-mmmmmmmmmmWmmM\nVOL. XII NO. 41\n\
             CITY EDITION PRICE ONE CENT\nGERMANY ACCEPTS\nTERMS ON LINER CASE\n\
             Washington, Feb. 17.-The question of national prepar-\n\
             edness was before the house again today, and the Lusi-\n\
             tania note was read aloud. A well-\nknown senator spoke at length.\n",
        )
        .file(
            "scans/dates/19160217/sn9-ed-1_seq-2.txt",
            "i ' ,\nmmmUmm rnrnm\n.. 7 ..\nxqzt Ccitnan harbor iF.it lllkk mmmWm qqrt\n\
             Page two carries notices of the week, and in the middle of them\n\
             the harbor commission met on Tuesday to plan the new pier.\n",
        )
}

#[test]
fn ocr_pages_get_readable_headlines_or_a_label() {
    let t = ocr_pages();
    t.run(["index", "scans"]).success();
    let (hits, _) = t.json(["query", "senator"]);
    // Before: the headline was "fr (".
    assert_eq!(hits[0]["title"], "GERMANY ACCEPTS TERMS ON LINER CASE");
    let (hits, _) = t.json(["query", "commission"]);
    assert_eq!(
        hits[0]["title"],
        "The daily test. (Testville, Ill.) — 1916-02-17, page 2"
    );
}

#[test]
fn words_broken_across_lines_are_found_and_shown_whole() {
    let t = ocr_pages();
    t.run(["index", "scans"]).success();
    // Before: `prepar-\nedness` and `Lusi-\ntania` were two pieces each.
    for word in ["preparedness", "Lusitania"] {
        let (hits, _) = t.json(["query", word]);
        assert_eq!(hits.len(), 1, "{word}");
        let snippet = &hits[0]["snippets"][0];
        let marked = crate::support::highlighted(&snippet["text"], &snippet["highlights"]);
        assert_eq!(marked, [word], "{snippet}");
    }
    // A compound keeps its hyphen: found as the two words, and as one.
    assert_eq!(t.count("\"well known\""), 1);
    let (hits, _) = t.json(["query", "wellknown"]);
    let snippet = &hits[0]["snippets"][0];
    let marked = crate::support::highlighted(&snippet["text"], &snippet["highlights"]);
    assert_eq!(marked, ["well-known"], "{snippet}");
}

#[test]
fn a_passage_amid_ocr_garbage_gives_way_to_a_readable_one() {
    let t = ocr_pages();
    t.run(["index", "scans"]).success();
    let (hits, _) = t.json(["query", "harbor"]);
    let text = hits[0]["snippets"][0]["text"].as_str().unwrap();
    assert!(text.contains("commission met"), "{text}");
    assert!(!text.contains("Ccitnan"), "{text}");
}

#[test]
fn similar_follows_the_story_not_the_masthead_and_collapses_copies() {
    let topics = [
        "council budget school taxes teachers salaries",
        "harvest wheat farmers prices grain elevator",
        "fire warehouse firemen blaze damage insurance",
        "church bazaar ladies society supper charity",
        "railroad freight locomotive depot schedule engineers",
        "election ballot candidates mayor precinct votes",
        "weather snow storm roads drifts temperature",
        "court judge jury verdict trial lawyer",
        "factory workers wages strike union shifts",
        "hospital doctors patients fever nurses ward",
    ];
    let masthead = "HARBOR TELEGRAPH LARGEST CIRCULATION EVENING NEWSPAPER KEYSTONE STATE";
    let mut lines = Vec::new();
    for (n, topic) in topics.iter().enumerate() {
        lines.push(format!(
            r#"{{"id":"ht{n}","source":"Harbor telegraph","title":"Local news {n}","body":"{masthead}. The {topic} were the talk of the town. {topic} again today."}}"#
        ));
        for copy in 0..4 {
            lines.push(format!(
                r#"{{"id":"o{n}-{copy}","source":"Other paper {copy}","title":"Report {n}","body":"Readers heard that the {topic} matter was settled on day {n} by officials {copy}."}}"#
            ));
        }
    }
    lines.push(format!(
        r#"{{"id":"target","source":"Harbor telegraph","title":"Bandits raid Columbus","body":"{masthead}. Mexican bandits crossed the border at night and raided Columbus; cavalry troopers pursued the raiders into the desert."}}"#
    ));
    let story = "Cavalry troopers pursued Mexican bandits after the night raid on Columbus across the border, the war department said, and the raiders fled into the desert hills.";
    lines.push(format!(
        r#"{{"id":"raid-a","source":"Valley Star","date":"1916-03-10","title":"Troops chase raiders","body":"{story}"}}"#
    ));
    lines.push(format!(
        r#"{{"id":"raid-b","source":"Mountain Herald","date":"1916-03-10","title":"Troops chase raiders","body":"{story}"}}"#
    ));
    lines.push(
        r#"{"id":"raid-c","source":"Plains Journal","title":"Border alarm","body":"After the Columbus raid the border towns asked for cavalry; bandits were seen near the desert wells."}"#
            .to_string(),
    );
    let t = Test::new().file("papers.jsonl", &(lines.join("\n") + "\n"));
    t.run(["index", "papers.jsonl"]).success();
    let (hits, _) = t.json(["similar", "target"]);
    let ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
    // Before: the masthead's words made the other Harbor Telegraph pages the answer.
    assert!(ids.len() >= 2, "{ids:?}");
    for id in &ids[..2] {
        assert!(id.starts_with("raid-"), "{ids:?}");
    }
    assert!(!ids.iter().any(|id| id.starts_with("ht")), "{ids:?}");
    // The two copies of one wire story are one hit, the other marked as its copy.
    let copies = hits
        .iter()
        .filter(|h| h["id"] == "raid-a" || h["id"] == "raid-b")
        .count();
    assert_eq!(copies, 1, "{ids:?}");
    let story_hit = hits
        .iter()
        .find(|h| h["id"] == "raid-a" || h["id"] == "raid-b")
        .unwrap();
    assert_eq!(story_hit["similar_count"], 1);
}
