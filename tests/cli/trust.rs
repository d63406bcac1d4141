//! Trust: no flag or query panics, damaged indexes are found and repaired,
//! read-only and full disks are handled, dates and file names are kept exactly,
//! and the cost of a query or a file is bounded.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::support::{Run, Test};

/// Asserts that a run ended with an answer or a clear error, never a panic.
fn no_panic(run: &Run) {
    let err = run.stderr_text();
    assert!(
        matches!(run.code_value(), Some(0..=2)) && !err.contains("panicked"),
        "exit {:?}, stderr:\n{err}",
        run.code_value()
    );
}

/// A folder of 40 small articles in two files types, some dated.
fn newsroom() -> Test {
    let mut t = Test::new();
    for n in 0..40 {
        let date = if n % 4 == 0 {
            String::new()
        } else {
            format!("Date: 2024-{:02}-{:02}\n", 1 + n % 12, 1 + n % 28)
        };
        t = t.file(
            &format!("docs/{n:02}.txt"),
            &format!(
                "Title: Harbour report {n}\n{date}\nCrude oil shipments and wheat exports at the harbour, item {n}. \
                 Dock workers counted {n} tankers and grain ships this week."
            ),
        );
    }
    t
}

#[test]
fn open_date_ranges_match_every_dated_article() {
    let t = Test::new()
        .file(
            "c/a.json",
            r#"{"title":"Wilson speaks","body":"wilson","date":"1916-03-09"}"#,
        )
        .file("c/b.json", r#"{"title":"Wilson again","body":"wilson"}"#);
    t.run(["index", "c"]).success();
    for query in ["date:[* TO *]", "date:{* TO *}", "wilson AND date:[* TO *]"] {
        t.run(["query", query, "-c"]).success().stdout_is("1\n");
    }
    t.run(["query", "wilson", "-c"]).success().stdout_is("2\n");
}

#[test]
fn huge_spans_and_non_finite_numbers_are_errors() {
    let t = Test::new().file("c/a.txt", "Oil\n\nCrude oil prices.\n");
    t.run(["index", "c"]).success();
    for args in [
        vec!["query", "oil", "--since", "999999999999d"],
        vec!["query", "oil", "--until", "99999999999999999999y"],
        vec!["query", "date:[999999999999d TO *]"],
        vec!["query", "oil", "--recent=999999999999y"],
        vec!["query", "oil", "--recent=0d"],
        vec!["query", "oil", "--since", "1e400d"],
    ] {
        let run = t.run_vec(&args);
        no_panic(&run);
        run.code(2);
    }
    t.run(["query", "oil", "--since", "999999999999d"])
        .stderr_has("ten thousand years");
    for value in ["nan", "inf", "-1", "1e300"] {
        let flag = format!("--commit-interval={value}");
        let run = t.run(["index", "c", &flag]);
        no_panic(&run);
        run.code(2).stderr_has("--commit-interval");
    }
    t.run(["query", "oil", "--since", "1.5y", "-c"]).code(1);
    t.run(["query", "oil", "--since", "5000y", "-c"]).code(1);
}

#[test]
fn historical_and_far_future_dates_round_trip() {
    let dates = [
        "0001-01-01",
        "1500-06-01",
        "1677-09-20",
        "1776-07-04",
        "1916-03-09",
        "2262-04-12",
        "2300-01-01",
        "9999-12-31",
    ];
    let mut t = Test::new();
    for date in dates {
        t = t.file(
            &format!("c/{date}.json"),
            &format!(r#"{{"title":"Gazette {date}","body":"gazette","date":"{date}"}}"#),
        );
    }
    let t = t.file(
        "c/zero.json",
        r#"{"title":"Year zero","body":"gazette","date":"0000-06-01"}"#,
    );
    t.run(["index", "c"])
        .success()
        .stderr_has("date outside the years 1 to 9999, kept undated");
    let (hits, _) = t.json([
        "query",
        "gazette",
        "--sort",
        "oldest",
        "-n",
        "20",
        "--no-collapse",
    ]);
    let got: Vec<String> = hits
        .iter()
        .filter_map(|h| h["date"].as_str().map(|d| d[..10].to_string()))
        .collect();
    assert_eq!(got, dates);
    t.run(["query", "date:[1500 TO 1500]", "-l"])
        .success()
        .stdout_is("c/1500-06-01.json\n");
    t.run(["query", "gazette", "--since", "2263", "-c"])
        .success()
        .stdout_is("2\n");
    t.run(["query", "date:[* TO 1677-09-20]", "-c"])
        .success()
        .stdout_is("3\n");
}

#[test]
fn file_names_that_differ_only_in_invalid_bytes_stay_apart() {
    let t = Test::new();
    fs::create_dir_all(t.path("c")).unwrap();
    for (byte, word) in [(0xffu8, "alpha"), (0xfe, "beta")] {
        let mut name = b"x".to_vec();
        name.push(byte);
        name.extend_from_slice(b".txt");
        let path = t.path("c").join(OsStr::from_bytes(&name));
        fs::write(
            path,
            format!("Story {word}\n\nA story about {word} and oil.\n"),
        )
        .unwrap();
    }
    t.run(["index", "c"])
        .success()
        .stderr_has("indexed 2 articles from 2");
    t.run(["query", "oil", "-c"]).success().stdout_is("2\n");
    t.run(["query", "alpha", "-c"]).success().stdout_is("1\n");
    t.run(["query", "beta", "-c"]).success().stdout_is("1\n");
    // Shown lossily, as ripgrep does.
    let listed = t.run(["query", "oil", "-l"]).stdout_text();
    assert_eq!(listed.matches("c/x\u{fffd}.txt").count(), 2, "{listed}");
    t.run(["index", "c"])
        .success()
        .stderr_has("2 unchanged files skipped");
}

/// Copies an index folder (flat: Tantivy writes no subfolders).
fn copy_index(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// Flips `n` bytes of `file` at `at`.
fn flip(file: &Path, at: usize, n: usize) {
    let mut bytes = fs::read(file).unwrap();
    let at = at.min(bytes.len().saturating_sub(n));
    for b in bytes.iter_mut().skip(at).take(n) {
        *b ^= 0x5a;
    }
    fs::write(file, bytes).unwrap();
}

#[test]
fn every_damaged_file_type_is_found_and_repaired_without_a_panic() {
    let t = newsroom();
    t.run(["index", "docs", "--threads", "1"]).success();
    let oil = t.run(["query", "oil", "-c"]).stdout_text();
    let good = t.path("good");
    copy_index(&t.path("index"), &good);
    let types = ["idx", "pos", "term", "store", "fast", "fieldnorm"];
    for ext in types {
        for at in [0usize, 97, 4000, usize::MAX] {
            let _ = fs::remove_dir_all(t.path("index"));
            copy_index(&good, &t.path("index"));
            let file = fs::read_dir(t.path("index"))
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|e| e == ext))
                .unwrap();
            flip(&file, at, 64);
            for args in [
                vec!["query", "oil", "-c"],
                vec!["query", "\"crude oil\"", "--json"],
                vec!["query", "wheat", "--sort", "newest"],
                vec!["query", "harbor~1", "--timeline", "month"],
                vec!["stats"],
                vec!["similar", "docs/01.txt"],
            ] {
                no_panic(&t.run_vec(&args));
            }
            let check = t.run(["check"]);
            check.code(2).stderr_has("check --repair");
            assert!(check.stdout_text().contains("DAMAGED"), "{ext} at {at}");
            t.run(["index", "docs"])
                .code(2)
                .stderr_has("news-search check");
            t.run(["check", "--repair"])
                .success()
                .stdout_is_containing("repaired: dropped 1 damaged segment with");
            t.run(["check"]).success();
            t.run(["index", "docs"]).success();
            t.run(["query", "oil", "-c"]).success().stdout_is(&oil);
        }
    }
}

#[test]
fn a_meta_json_with_wrong_counts_is_caught() {
    let t = newsroom();
    t.run(["index", "docs"]).success();
    let meta = t.path("index/meta.json");
    let text = fs::read_to_string(&meta).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let max = json["segments"][0]["max_doc"].as_u64().unwrap();
    json["segments"][0]["max_doc"] = (max - 3).into();
    fs::write(&meta, json.to_string()).unwrap();
    // Never a wrong count: the cheap check before each search says so.
    t.run(["stats"]).code(2).stderr_has("damaged index");
    t.run(["query", "oil", "-c"])
        .code(2)
        .stderr_has("news-search check");
    t.run(["index", "docs"]).code(2).stderr_has("check");
    t.run(["check"]).code(2);
    t.run(["check", "--repair", "--json"]).success();
    t.run(["index", "docs"]).success();
    assert_eq!(t.count("oil"), 40);
}

#[test]
fn a_lost_meta_json_is_not_replaced_by_an_empty_index() {
    let t = newsroom();
    t.run(["index", "docs"]).success();
    fs::remove_file(t.path("index/meta.json")).unwrap();
    let before = fs::read_dir(t.path("index")).unwrap().count();
    t.run(["index", "docs"])
        .code(2)
        .stderr_has("meta.json is missing but segment files are here");
    t.run(["query", "oil"])
        .code(2)
        .stderr_has("news-search check");
    assert_eq!(fs::read_dir(t.path("index")).unwrap().count(), before);
}

#[test]
fn an_index_is_never_made_among_other_files() {
    let t = newsroom()
        .file("notes/plan.txt", "my own notes")
        .file("a-file", "not a folder")
        .file("kept/.gitkeep", "");
    t.run(["index", "docs", "--index", "notes"])
        .code(2)
        .stderr_has("not an index, and the folder holds other files (`plan.txt`)");
    assert_eq!(fs::read_dir(t.path("notes")).unwrap().count(), 1);
    t.run(["index", "docs", "--index", "a-file"])
        .code(2)
        .stderr_has("a file, not a folder");
    // The folder being indexed is no place for its index either.
    t.run(["index", "docs", "--index", "docs"])
        .code(2)
        .stderr_has("holds other files");
    // A folder with hidden files only (a repository's placeholder) takes an index.
    t.run(["index", "docs", "--index", "kept"]).success();
    t.run(["index", "docs", "--index", "kept"]).success();
}

#[test]
fn two_indexers_started_together_on_a_new_index() {
    for _ in 0..12 {
        let t = newsroom();
        let spawn = || {
            t.command_for(["index", "docs", "-q"])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() || err.contains("another news-search process is writing"),
                "{err}"
            );
        }
        assert_eq!(t.count("oil"), 40);
    }
}

#[test]
fn fuzzy_and_prefix_words_and_clauses_are_capped() {
    let t = newsroom();
    t.run(["index", "docs"]).success();
    let words = |n: usize, suffix: &str| {
        (0..n)
            .map(|i| format!("w{}{}{suffix}", (b'a' + (i % 26) as u8) as char, i / 26))
            .collect::<Vec<_>>()
            .join(" ")
    };
    no_panic(&t.run_vec(&["query", &words(32, "~2"), "--any", "--json"]));
    t.run_vec(&["query", &words(33, "~2"), "--any"])
        .code(2)
        .stderr_has("at most 32 prefix or fuzzy words");
    t.run_vec(&["query", &words(33, "*"), "--any"])
        .code(2)
        .stderr_has("at most 32 prefix or fuzzy words");
    t.run_vec(&["query", &words(1025, ""), "--any"])
        .code(2)
        .stderr_has("more than 1024 words");
    // A fuzzy word stands for its closest indexed words, and still finds them.
    t.run(["query", "harbor~1", "-c"])
        .success()
        .stdout_is("40\n");
}

/// Makes `depth` nested folders `d` below `root`, relative to each parent (the
/// path soon passes the system's limit), with an article at the levels given.
fn deep_tree(root: &Path, depth: usize, articles: &[usize]) {
    use rustix::fs::{CWD, Mode, OFlags, mkdirat, openat};
    fs::create_dir_all(root).unwrap();
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let mut dir = openat(CWD, root, flags, Mode::empty()).unwrap();
    for level in 0..depth {
        if articles.contains(&level) {
            let file = openat(
                &dir,
                "story.txt",
                OFlags::WRONLY | OFlags::CREATE | OFlags::CLOEXEC,
                Mode::from_raw_mode(0o644),
            )
            .unwrap();
            let text = format!("Level {level}\n\nA zebra was seen at level {level}.\n");
            fs::File::from(file).write_all_text(&text);
        }
        mkdirat(&dir, "d", Mode::from_raw_mode(0o755)).unwrap();
        dir = openat(&dir, "d", flags, Mode::empty()).unwrap();
    }
}

/// Writing a whole string to a file made with rustix.
trait WriteAll {
    fn write_all_text(self, text: &str);
}

impl WriteAll for fs::File {
    fn write_all_text(mut self, text: &str) {
        use std::io::Write;
        self.write_all(text.as_bytes()).unwrap();
    }
}

#[test]
fn trees_deeper_than_the_path_limit_are_walked_whole() {
    let t = Test::new();
    // "d/" per level: level 2,100 is past the 4,096-byte path limit.
    deep_tree(&t.path("deep"), 2600, &[0, 1000, 2100, 2599]);
    t.run(["index", "deep"])
        .success()
        .stderr_has("indexed 4 articles from 4");
    t.run(["query", "zebra", "-c"]).success().stdout_is("4\n");
    t.run(["index", "deep"])
        .success()
        .stderr_has("4 unchanged files skipped");
}

#[test]
fn symlink_loops_are_reported_and_walked_once() {
    let t = Test::new().file("c/a/b/x.txt", "Loop\n\nA story in a loop.\n");
    std::os::unix::fs::symlink("../..", t.path("c/a/b/up")).unwrap();
    std::os::unix::fs::symlink("b/x.txt", t.path("c/a/same.txt")).unwrap();
    t.run(["index", "c"])
        .success()
        .stderr_has("file system loop");
    t.run(["query", "loop", "-c"]).success().stdout_is("1\n");
}

/// A gzip file of `members` gzip members, each compressed once: a large
/// expansion made in a moment.
fn gzip_members(members: &[(&[u8], usize)]) -> Vec<u8> {
    use std::io::Write;
    let mut out = Vec::new();
    for (data, times) in members {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(data).unwrap();
        let member = encoder.finish().unwrap();
        for _ in 0..*times {
            out.extend_from_slice(&member);
        }
    }
    out
}

/// Runs the binary and returns its exit code, stderr, and its peak resident
/// memory in kilobytes (VmHWM, read from /proc while it runs).
fn peak_memory(t: &Test, args: &[&str]) -> (Option<i32>, String, u64) {
    let mut child = t
        .command_for_vec(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).map(|_| text)
    });
    let mut peak = 0;
    loop {
        if let Ok(status) = fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kb: u64 = line
                .split_whitespace()
                .nth(1)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            peak = peak.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            let err = reader.join().unwrap().unwrap_or_default();
            return (status.code(), err, peak);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_two_gigabyte_expansion_is_read_in_bounded_memory() {
    let filler = vec![b'a'; 1 << 20];
    let gz = gzip_members(&[
        (
            b"{\"title\":\"First\",\"body\":\"wheat harvest\"}\n{\"title\":\"Huge\",\"body\":\"",
            1,
        ),
        (&filler, 2048),
        (
            b"\"}\n{\"title\":\"Last\",\"body\":\"barley harvest\"}\n",
            1,
        ),
    ]);
    let t = Test::new().bytes("c/feed.jsonl.gz", &gz);
    let (code, err, peak_kb) = peak_memory(
        &t,
        &[
            "index",
            "c",
            "--max-file-size",
            "100000",
            "--max-expanded-size",
            "100000",
            "--max-ratio",
            "100000000",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("a record over 64 MB; skipped"), "{err}");
    assert!(peak_kb > 0 && peak_kb < 1 << 20, "peak {peak_kb} KB");
    t.run(["query", "harvest", "-c"]).success().stdout_is("2\n");
}

#[test]
fn a_file_of_only_duplicates_is_not_read_again_and_an_emptied_file_loses_its_articles() {
    let story = "Wheat story\n\nThe wheat harvest was large this year.\n";
    let t = Test::new()
        .file("c/a.txt", story)
        .file("c/b.txt", story)
        .file("c/e.txt", "Corn story\n\nCorn prices rose.\n");
    t.run(["index", "c"])
        .success()
        .stderr_has("1 exact duplicate stored once");
    t.run(["index", "c"])
        .success()
        .stderr_has("3 unchanged files skipped");
    t.write("c/e.txt", "");
    t.run(["index", "c"]).success();
    t.run(["query", "corn", "-c"]).code(1);
    t.run(["index", "c"])
        .success()
        .stderr_has("3 unchanged files skipped");
    // A file that no longer parses keeps its articles.
    t.write("c/j.json", r#"{"title":"Rice","body":"rice crop"}"#);
    t.run(["index", "c"]).success();
    t.write("c/j.json", r#"{"title":"Rice","body":"#);
    t.run(["index", "c"]).success().stderr_has("invalid JSON");
    t.run(["query", "rice", "-c"]).success().stdout_is("1\n");
}

#[test]
fn export_takes_the_same_limits_as_index() {
    let body = "grain ".repeat(400_000);
    let t = Test::new().file("c/long.txt", &format!("Long\n\n{body}\n"));
    let run = t.run(["export", "c", "--max-record-size", "1"]);
    run.success().stderr_has("body over 1 MB");
    let line: serde_json::Value =
        serde_json::from_str(run.stdout_text().lines().next().unwrap()).unwrap();
    assert!(line["body"].as_str().unwrap().len() <= 1_000_000);
    t.run(["export", "c", "--max-file-size", "1"])
        .stderr_has("larger than the 1 MB limit");
}

#[test]
fn bidi_controls_in_titles_and_names_are_neutralised() {
    let t = Test::new().file(
        "c/a\u{202e}txt.exe.txt",
        "Invoice \u{202e}fdp.exe\n\nAn invoice about grain.\n",
    );
    t.run(["index", "c"]).success();
    let out = t
        .run(["query", "invoice", "--color", "never"])
        .stdout_text();
    assert!(out.contains("Invoice"), "{out}");
    assert!(!out.contains('\u{202e}'), "{out:?}");
    assert!(
        !t.run(["query", "invoice", "-l"])
            .stdout_text()
            .contains('\u{202e}')
    );
}

/// A mounted tmpfs, unmounted when dropped (also when a test fails).
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Mounts a tmpfs of `size` at a new folder under `t` (needs root).
fn tmpfs(t: &Test, name: &str, size: &str) -> Mount {
    let at = t.path(name);
    fs::create_dir_all(&at).unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(&at)
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "mount needs root: run with --include-ignored only as root"
    );
    Mount(at)
}

#[test]
#[ignore = "needs root: mounts a tmpfs (run by .ci/run)"]
fn a_read_only_index_can_be_queried_but_not_written() {
    let t = newsroom();
    let mount = tmpfs(&t, "ro", "32m");
    let index = mount.0.join("index");
    let index_arg = index.to_str().unwrap().to_string();
    t.run(["index", "docs", "--index", &index_arg]).success();
    let remounted = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&mount.0)
        .status()
        .unwrap();
    assert!(remounted.success());
    let i = index_arg.as_str();
    t.run(["query", "oil", "-c", "--index", i])
        .success()
        .stdout_is("40\n");
    t.run(["stats", "--index", i]).success();
    t.run(["show", "docs/01.txt", "--index", i]).success();
    no_panic(&t.run(["similar", "docs/01.txt", "--index", i]));
    t.run(["check", "--index", i]).success();
    t.run(["index", "--dry-run", "docs", "--index", i])
        .success();
    t.run(["index", "docs", "--index", i])
        .code(2)
        .stderr_has("read-only");
}

#[test]
#[ignore = "needs root: mounts a tmpfs (run by .ci/run)"]
fn a_full_disk_is_named_cleaned_up_and_loses_nothing_committed() {
    let mut big = Test::new();
    for n in 0..400 {
        let words: String = (0..1500).map(|w| format!("w{n}x{w} ")).collect();
        big = big.file(&format!("big/{n:03}.txt"), &format!("Big {n}\n\n{words}\n"));
    }
    let small = big.file("small/a.txt", "Harbour\n\nA harbour story.\n");
    for size in ["1m", "2m", "3m"] {
        let mount = tmpfs(&small, &format!("full{size}"), size);
        let index = mount.0.join("index");
        let i = index.to_str().unwrap().to_string();
        small.run(["index", "small", "--index", &i]).success();
        let listed = |dir: &Path| fs::read_dir(dir).unwrap().count();
        let before = listed(&index);
        small
            .run(["index", "big", "--index", &i])
            .code(2)
            .stderr_has("no space left on device")
            .stderr_has(&i);
        assert_eq!(listed(&index), before, "files left behind at {size}");
        small
            .run(["query", "harbour", "-c", "--index", &i])
            .success()
            .stdout_is("1\n");
        small.run(["check", "--index", &i]).success();
    }
}

#[test]
fn wire_sgml_and_stdin_larger_than_memory_are_read_in_pieces() {
    let filler = "Grain shipments were steady at the port. ".repeat(28);
    let mut sgml = String::with_capacity(72_000_000);
    let records = 60_000;
    for n in 1..=records {
        sgml.push_str(&format!(
            "<REUTERS NEWID=\"{n}\">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n<TEXT><TITLE>Report {n}</TITLE>\n<BODY>marker{n} {filler}</BODY></TEXT>\n</REUTERS>\n"
        ));
    }
    assert!(sgml.len() > 64_000_000);
    let t = Test::new().file("wire/big.sgm", &sgml);
    drop(sgml);
    t.run(["index", "wire"])
        .success()
        .stderr_has(&format!("indexed {records} articles"));
    for n in [1, records / 2, records] {
        assert_eq!(t.count(&format!("marker{n}")), 1, "record {n}");
    }
    let long = format!(
        "{{\"title\":\"x\",\"body\":\"{}\"}}\n{{\"title\":\"Kept\",\"body\":\"sorghum\"}}\n",
        "a".repeat(70_000_000)
    );
    t.run_stdin(["index", "-"], &long)
        .success()
        .stderr_has("<stdin>:1: skipped, too large: a line over 64 MB");
    assert_eq!(t.count("sorghum"), 1);
}

#[test]
fn a_damaged_document_store_is_caught_by_its_checksum_before_any_document_is_read() {
    // Damaged store bytes can still decompress into a document whose string length
    // is petabytes: reading it would abort on the allocation, past any panic guard.
    // So a store is read against its checksum once, before the first document.
    let t = newsroom();
    t.run(["index", "docs"]).success();
    let memo = fs::read_to_string(t.path("index/verified-stores.txt")).unwrap();
    let store = fs::read_dir(t.path("index"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .unwrap();
    let id = store.file_stem().unwrap().to_str().unwrap().to_string();
    assert!(
        memo.lines().any(|l| l.starts_with(&id)),
        "index verified its new store: {memo}"
    );
    t.run(["query", "oil", "-c"]).success();
    let size = fs::metadata(&store).unwrap().len() as usize;
    flip(&store, size / 2, 1);
    for args in [
        vec!["query", "oil"],
        vec!["show", "docs/01.txt"],
        vec!["similar", "docs/01.txt"],
        vec!["export", "--stored"],
        vec!["stats"],
    ] {
        t.run_vec(&args)
            .code(2)
            .stderr_has(&format!("{id}.store: checksum mismatch (damaged bytes)"));
    }
    t.run(["check", "--repair"]).success();
    t.run(["index", "docs"]).success();
    t.run(["query", "oil", "-c"]).success().stdout_is("40\n");
}

#[test]
fn dates_as_sources_write_them_are_read_and_the_unreadable_named_once_per_file() {
    let t = Test::new()
        .file(
            "c/feed.jsonl",
            concat!(
                r#"{"id":"java","title":"t","body":"tide tables","date":"2024-03-04T10:00:00.000+0000"}"#,
                "\n",
                r#"{"id":"written","title":"t","body":"tide tables","date":"Monday, March 4th, 2024 10:00 PM"}"#,
                "\n",
                r#"{"id":"french","title":"t","body":"tide tables","date":"4 mars 2024"}"#,
                "\n",
                r#"{"id":"year","title":"t","body":"tide tables","date":"1916"}"#,
                "\n",
                r#"{"id":"ambiguous","title":"t","body":"tide tables","date":"4/3/2024"}"#,
                "\n",
                r#"{"id":"nonsense","title":"t","body":"tide tables","date":"soon"}"#,
                "\n",
            ),
        )
        .file("c/month.txt", "Date: March 1916\n\nTide tables\n\nThe tide tables.\n")
        .file("c/dateline.txt", "Tide tables\n\nMay 1916\nThe tide tables for May.\n");
    t.run(["index", "c"]).success().stderr_has(
        "feed.jsonl: date not understood, kept undated: `4/3/2024`, and 1 more in this file",
    );
    let (hits, _) = t.json(["query", "tide", "-n", "20", "--no-collapse"]);
    let date = |id: &str| {
        let hit = hits
            .iter()
            .find(|h| h["id"] == id || h["path"].as_str().is_some_and(|p| p.ends_with(id)))
            .unwrap_or_else(|| panic!("{id} not found"));
        hit["date"].as_str().unwrap_or("").to_string()
    };
    assert_eq!(date("java"), "2024-03-04T10:00:00Z");
    assert_eq!(date("written"), "2024-03-04T22:00:00Z");
    assert_eq!(date("french"), "2024-03-04T00:00:00Z");
    assert_eq!(date("year"), "1916-01-01T00:00:00Z");
    assert_eq!(date("ambiguous"), "");
    assert_eq!(date("nonsense"), "");
    // A month in a header is its first day; "May 1916" alone in running text is no
    // dateline (it was once read as the 19th of May in the year 16).
    assert_eq!(date("month.txt"), "1916-03-01T00:00:00Z");
    assert_eq!(date("dateline.txt"), "");
}
