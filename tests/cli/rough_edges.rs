//! Issue 12's command-line rough edges, each as a user met it.

use std::io::Write;
use std::process::Stdio;

use crate::support::{Run, Test};

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

fn interrupt(child: &std::process::Child) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// `index -` started with stdin and stderr piped: the child and its stdin.
fn index_from_stdin(t: &Test) -> (std::process::Child, std::process::ChildStdin) {
    let mut child = t
        .command_for(["index", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    (child, stdin)
}

fn json_line(n: usize) -> String {
    format!(
        "{{\"id\":\"line-{n}\",\"title\":\"Harbour report {n}\",\"body\":\"Ferries crossed the harbour on day {n} of the strike.\"}}\n"
    )
}

#[test]
fn ctrl_c_commits_what_was_read_and_exits_130() {
    let t = Test::new();
    let (child, mut stdin) = index_from_stdin(&t);
    for n in 0..50 {
        stdin.write_all(json_line(n).as_bytes()).unwrap();
    }
    stdin.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(800));
    interrupt(&child);
    std::thread::sleep(std::time::Duration::from_millis(200));
    // What arrives after Ctrl-C is not taken.
    for n in 50..80 {
        stdin.write_all(json_line(n).as_bytes()).unwrap();
    }
    drop(stdin);
    let run = Run::from(child.wait_with_output().unwrap());
    run.code(130)
        .stderr_has("interrupted: 50 articles committed; run the same command to continue");
    assert_eq!(t.stats()["articles"], 50);
    assert_eq!(t.count("harbour"), 50);
}

#[test]
fn a_second_ctrl_c_exits_at_once_and_keeps_the_last_commit() {
    let t = Test::new().file(
        "a.txt",
        "Ferries resume\n\nFerries crossed the harbour again.\n",
    );
    t.run(["index", "a.txt"]).success();
    // Standard input left open: the first Ctrl-C waits for it, the second does not.
    let (mut child, mut stdin) = index_from_stdin(&t);
    stdin.write_all(json_line(1).as_bytes()).unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(800));
    interrupt(&child);
    std::thread::sleep(std::time::Duration::from_millis(200));
    interrupt(&child);
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "a second Ctrl-C did not end the run"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    drop(stdin);
    let run = Run::from(child.wait_with_output().unwrap());
    run.code(130);
    assert_eq!(t.count("ferries"), 1);
    t.run(["check"]).success();
}

#[test]
fn ctrl_c_in_a_folder_run_keeps_whole_files_and_the_next_run_continues() {
    let t = Test::new();
    // One large file first (a batch of its own: seconds of work), then small ones.
    let mut seed = 7u64;
    let mut word = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let n = (seed >> 33) % 50_000;
        format!("w{n:x}q ")
    };
    let mut big = String::new();
    for n in 0..16_000 {
        let body: String = (0..300).map(|_| word()).collect();
        big.push_str(&format!(
            "{{\"id\":\"big-{n}\",\"title\":\"Harbour line {n}\",\"body\":\"The harbour {body}\"}}\n"
        ));
    }
    assert!(big.len() > 34_000_000);
    t.write("news/0-big.jsonl", &big);
    for n in 0..200 {
        t.write(
            &format!("news/small/{n}.txt"),
            &format!("Harbour story {n}\n\nThe harbour small story Marker{n}.\n"),
        );
    }
    let child = t
        .command_for(["index", "news", "--threads", "1"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    interrupt(&child);
    let run = Run::from(child.wait_with_output().unwrap());
    run.code(130);
    // The large file, begun before Ctrl-C, is whole; no small file was begun.
    run.stderr_has("interrupted: 16000 articles committed; run the same command to continue");
    assert_eq!(t.count("harbour"), 16_000);
    t.run(["check"]).success();
    // The same command reads the rest, and nothing twice.
    t.run(["index", "news"])
        .success()
        .stderr_has("indexed 200 articles from 200 new or changed files");
    assert_eq!(t.count("harbour"), 16_200);
    assert_eq!(t.count("marker199"), 1);
}

#[test]
fn ctrl_c_before_any_article_leaves_nothing_behind() {
    let t = Test::new();
    let (child, stdin) = index_from_stdin(&t);
    std::thread::sleep(std::time::Duration::from_millis(500));
    interrupt(&child);
    std::thread::sleep(std::time::Duration::from_millis(100));
    drop(stdin);
    Run::from(child.wait_with_output().unwrap())
        .code(130)
        .stderr_has("interrupted: 0 articles committed");
    assert!(!t.path("index").exists());
}

#[test]
fn stats_on_an_index_with_no_committed_segment_says_so() {
    let t = Test::new().file(
        "news/a.txt",
        "Ferries resume\n\nFerries crossed the harbour.\n",
    );
    t.run(["index", "news"]).success();
    std::fs::remove_file(t.path("news/a.txt")).unwrap();
    t.run(["index", "news"])
        .success()
        .stderr_has("1 vanished file removed");
    t.run(["stats"])
        .success()
        .stdout_is_containing("no articles yet: nothing committed to this index holds one");
    assert_eq!(t.stats()["segments"], 0);
    assert_eq!(t.stats()["articles"], 0);
}

#[test]
fn the_progress_bar_fits_80_columns_and_counts_in_mb() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        panic!("this test needs `script` (util-linux) for a terminal");
    }
    let t = Test::new();
    let body = "Ferries crossed the harbour while the council debated the budget. ".repeat(300);
    for n in 0..400 {
        t.write(&format!("news/{n}.txt"), &format!("Story {n}\n\n{body}\n"));
    }
    let binary = env!("CARGO_BIN_EXE_news-search");
    let log = t.path("typescript");
    let run = std::process::Command::new("script")
        .current_dir(t.path(""))
        .env_remove("NEWS_SEARCH_INDEX")
        .args([
            "-qec",
            &format!("stty cols 80 rows 24; '{binary}' index news"),
        ])
        .arg(&log)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let screen = String::from_utf8_lossy(&std::fs::read(&log).unwrap()).to_string();
    // Each redraw starts after a carriage return; escape sequences take no columns.
    let mut drawn = 0;
    for piece in screen.split(['\r', '\n']) {
        let mut visible = String::new();
        let mut chars = piece.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                // CSI: ESC [ parameters final-byte
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                visible.push(c);
            }
        }
        if visible.contains('[') && visible.contains("MB") {
            drawn += 1;
            assert!(
                visible.chars().count() <= 80,
                "{} columns: {visible:?}",
                visible.chars().count()
            );
            assert!(
                !visible.contains("MiB") && !visible.contains("KiB"),
                "{visible}"
            );
        }
    }
    assert!(drawn > 0, "no bar was drawn: {screen:?}");
    assert!(screen.contains("indexed 400 articles"), "{screen}");
}
