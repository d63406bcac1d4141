//! Issue 12's command-line rough edges, each as a user met it.

use crate::support::Test;

fn two_stories() -> Test {
    Test::new()
        .file(
            "news/a story.txt",
            "Harbour strike ends\n\nDock workers at the harbour ended their strike on Monday.\n",
        )
        .file(
            "news/odd\nname.txt",
            "Strike talks resume\n\nTalks to end the strike resumed at the harbour office.\n",
        )
}

#[test]
fn a_reversed_date_window_is_an_error_naming_both_flags() {
    let t = two_stories();
    t.run(["index", "news"]).success();
    t.run([
        "query", "strike", "--since", "1916-04", "--until", "1916-03",
    ])
    .code(2)
    .stderr_has("--since 1916-04 is not before --until 1916-03");
    // One day is a window: since and until the same day.
    t.run([
        "query",
        "strike",
        "--since",
        "2020-01-01",
        "--until",
        "2020-01-01",
    ])
    .code(1);
}

#[test]
fn human_results_show_the_article_id_that_show_and_similar_take() {
    let t = two_stories();
    t.run(["index", "news"]).success();
    let (matches, _) = t.json(["query", "harbour"]);
    let out = t.run(["query", "harbour"]).stdout_text();
    for m in &matches {
        let id = m["id"].as_str().unwrap();
        assert!(out.contains(&format!("id {id}")), "{out}");
        t.run(["show", id]).success();
    }
}

#[test]
fn null_separated_paths_survive_spaces_and_newlines() {
    let t = two_stories();
    t.run(["index", "news"]).success();
    let out = t
        .run(["query", "strike", "-l", "-0"])
        .success()
        .stdout_text();
    let mut paths: Vec<&str> = out.split_terminator('\0').collect();
    paths.sort_unstable();
    assert_eq!(paths.len(), 2, "{out:?}");
    assert!(
        paths.iter().any(|p| p.ends_with("news/a story.txt")),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(|p| p.ends_with("news/odd\nname.txt")),
        "{paths:?}"
    );
    for path in paths {
        assert!(t.path(path).exists(), "{path:?}");
    }
    // Without -0 a newline in a name is shown as a space, one path per line.
    let lines = t.run(["query", "strike", "-l"]).stdout_text();
    assert_eq!(lines.lines().count(), 2, "{lines}");
    t.run(["query", "strike", "-0"])
        .code(2)
        .stderr_has("--files-with-matches");
}

#[test]
fn indexing_nothing_says_why_and_leaves_nothing_behind() {
    let t = Test::new();
    std::fs::create_dir_all(t.path("empty")).unwrap();
    let run = t.run(["index", "empty"]);
    run.code(2).stderr_has("no files in the given paths");
    assert!(
        !run.stderr_text().contains("warnings above"),
        "{}",
        run.stderr_text()
    );
    assert!(
        !run.stderr_text().contains("indexed 0 articles"),
        "{}",
        run.stderr_text()
    );
    assert!(!t.path("index").exists(), "an empty index was left behind");
    // Files it cannot read as articles: said so, and still nothing left.
    let t = t.file("pics/a.png", "\u{89}PNG");
    t.run(["index", "pics"])
        .code(2)
        .stderr_has("of types it does not read");
    assert!(!t.path("index").exists());
    // The index folder itself holds nothing to index.
    let t = t.file(
        "news/a.txt",
        "Title\n\nSome words about a harbour strike.\n",
    );
    t.run(["index", "news"]).success();
    let files = || std::fs::read_dir(t.path("index")).unwrap().count();
    let before = files();
    t.run(["index", "index"]).code(2).stderr_has("no files");
    assert_eq!(files(), before);
    assert_eq!(t.count("harbour"), 1);
}

#[test]
fn small_things() {
    let t = two_stories();
    t.run(["index", "news"]).success();
    // An empty NEWS_SEARCH_INDEX is the default index.
    t.run_env(["query", "harbour", "-c"], "NEWS_SEARCH_INDEX", "")
        .success()
        .stdout_is("2\n");
    // `search` is `query`.
    t.run(["search", "harbour", "-c"])
        .success()
        .stdout_is("2\n");
    // The field syntax is in `query --help`, with examples.
    let help = t.run(["query", "--help"]).success().stdout_text();
    for needle in [
        "title:",
        "source:",
        "author:",
        "lang:",
        "date:[",
        "prefix*",
        "Examples:",
    ] {
        assert!(help.contains(needle), "{needle} missing from\n{help}");
    }
    // Every example in the help is a query that runs.
    for line in help
        .lines()
        .filter(|l| l.trim_start().starts_with("news-search query '"))
    {
        let query = line.split('\'').nth(1).unwrap();
        let code = t.run(["query", query]).code_value();
        assert!(matches!(code, Some(0 | 1)), "{query}: {code:?}");
    }
}

#[test]
fn completions_and_a_man_page_come_from_the_same_definition() {
    let t = Test::new();
    for shell in ["bash", "zsh", "fish"] {
        let script = t.run(["completions", shell]).success().stdout_text();
        for needle in ["query", "serve", "since", "files-with-matches"] {
            assert!(script.contains(needle), "{shell}: no {needle}");
        }
    }
    // The bash script is valid bash.
    let script = t.run(["completions", "bash"]).stdout_text();
    std::fs::write(t.path("c.bash"), &script).unwrap();
    let checked = std::process::Command::new("bash")
        .args(["-n", t.path("c.bash").to_str().unwrap()])
        .status()
        .unwrap();
    assert!(checked.success());
    t.run(["completions", "tcsh"]).code(2);
    let man = t.run(["man"]).success().stdout_text();
    assert!(
        man.starts_with(".ie") || man.starts_with(".TH"),
        "{}",
        &man[..80]
    );
    for needle in [
        ".TH news-search 1",
        ".TH news-search-query",
        "since",
        ".SH OPTIONS",
    ] {
        assert!(man.contains(needle), "man page without {needle}");
    }
}

#[test]
fn ignore_files_and_project_files_are_left_out_unless_asked() {
    let t = Test::new()
        .file("data/.gitignore", "drafts/\n*.tmp.txt\n")
        .file("data/.news-search-ignore", "!keep.tmp.txt\n")
        .file(
            "data/README.md",
            "About this folder\n\nRun the python scripts here.\n",
        )
        .file(
            "data/LICENSE.txt",
            "License\n\nPermission is granted to python users.\n",
        )
        .file("data/changelog", "Changes\n\nAdded python support.\n")
        .file(
            "data/story.txt",
            "Harbour strike\n\nDock workers walked out today.\n",
        )
        .file(
            "data/drafts/d.txt",
            "Draft\n\nA python draft about the harbour.\n",
        )
        .file(
            "data/x.tmp.txt",
            "Temp\n\nA python temp file about the harbour.\n",
        )
        .file(
            "data/keep.tmp.txt",
            "Kept\n\nA kept temp file about the harbour.\n",
        )
        .file("data/sub/.ignore", "story2.txt\n")
        .file("data/sub/story2.txt", "Ignored\n\nAnother harbour story.\n")
        .file("data/sub/story3.txt", "Third\n\nA third harbour story.\n");
    t.run(["index", "data"]).success();
    t.run(["query", "python", "-c"]).code(1).stdout_is("0\n");
    let listed = t.run(["query", "harbour", "-l"]).stdout_text();
    let mut names: Vec<&str> = listed
        .lines()
        .map(|l| l.rsplit('/').next().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["keep.tmp.txt", "story.txt", "story3.txt"],
        "{listed}"
    );
    // --no-ignore takes everything (export shows the same set).
    let exported = t.run(["export", "data", "--no-ignore"]).stdout_text();
    // (`changelog`, with no extension and no SGML inside, is no article either way.)
    assert_eq!(exported.lines().count(), 8, "{exported}");
    let exported = t.run(["export", "data"]).stdout_text();
    assert_eq!(exported.lines().count(), 3, "{exported}");
    let t2 = Test::new().file("docs/README.md", "Read me\n\nNothing but a readme.\n");
    t2.run(["index", "docs"])
        .code(2)
        .stderr_has("left out by ignore files or as README/LICENSE (--no-ignore takes them)");
    t2.run(["index", "docs", "--no-ignore"]).success();
}
