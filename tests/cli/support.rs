//! A small harness: a temporary folder with files, and runs of the built binary in
//! it with a clean environment, returning a [`Run`] to make assertions on.

use std::ffi::OsString;
use std::fs;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// A temporary working folder for one test.
pub struct Test {
    dir: tempfile::TempDir,
    /// Variables every run gets (`NEWS_SEARCH_INDEX` for a Quickwit index).
    env: Vec<(String, String)>,
}

impl Test {
    /// An empty folder.
    pub fn new() -> Test {
        Test {
            dir: tempfile::tempdir().expect("temp dir"),
            env: Vec::new(),
        }
    }

    /// Every run gets `key=value` in its environment.
    pub fn with_env(mut self, key: &str, value: &str) -> Test {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Adds a text file.
    pub fn file(self, rel: &str, content: &str) -> Test {
        self.bytes(rel, content.as_bytes())
    }

    /// Adds a file with arbitrary bytes.
    pub fn bytes(self, rel: &str, content: &[u8]) -> Test {
        self.write_bytes(rel, content);
        self
    }

    /// Writes (or overwrites) a text file in place.
    pub fn write(&self, rel: &str, content: &str) {
        self.write_bytes(rel, content.as_bytes());
    }

    fn write_bytes(&self, rel: &str, content: &[u8]) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }

    /// A path inside the folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_news-search"));
        cmd.current_dir(self.dir.path())
            .env_remove("NEWS_SEARCH_INDEX")
            .env_remove("NO_COLOR")
            .env_remove("TERM")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null());
        cmd
    }

    /// The command for `args`, to be started by the caller.
    pub fn command_for<const N: usize>(&self, args: [&str; N]) -> Command {
        let mut cmd = self.command();
        cmd.args(args);
        cmd
    }

    /// The command for a list of arguments built at run time.
    pub fn command_for_vec(&self, args: &[&str]) -> Command {
        let mut cmd = self.command();
        cmd.args(args);
        cmd
    }

    /// Runs the binary with `args`.
    pub fn run<const N: usize>(&self, args: [&str; N]) -> Run {
        Run::from(self.command().args(args).output().unwrap())
    }

    /// Runs the binary with a list of arguments built at run time.
    pub fn run_vec(&self, args: &[&str]) -> Run {
        Run::from(self.command().args(args).output().unwrap())
    }

    /// Runs the binary with arguments that are not plain strings (paths).
    pub fn run_args<const N: usize>(&self, args: [OsString; N]) -> Run {
        Run::from(self.command().args(args).output().unwrap())
    }

    /// Runs with one environment variable set.
    pub fn run_env<const N: usize>(&self, args: [&str; N], key: &str, value: &str) -> Run {
        Run::from(self.command().args(args).env(key, value).output().unwrap())
    }

    /// Runs with `input` on stdin.
    pub fn run_stdin<const N: usize>(&self, args: [&str; N], input: &str) -> Run {
        let mut child = self
            .command()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        Run::from(child.wait_with_output().unwrap())
    }

    /// Runs, reads one line of stdout, then closes it (like `| head -1`).
    pub fn run_closing_stdout<const N: usize>(&self, args: [&str; N]) -> Run {
        let mut child = self.piped(args);
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 16];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        Run::from(child.wait_with_output().unwrap())
    }

    /// Starts the binary with stdout and stderr piped back.
    fn piped<const N: usize>(&self, args: [&str; N]) -> std::process::Child {
        self.command()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// Starts the binary without waiting (for kill tests).
    pub fn spawn<const N: usize>(&self, args: [&str; N]) -> std::process::Child {
        self.command()
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    /// Runs the binary, failing the test if it takes longer than `limit` (a hang).
    pub fn run_within<const N: usize>(&self, args: [&str; N], limit: std::time::Duration) -> Run {
        let mut child = self.piped(args);
        let mut stderr = child.stderr.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut text = Vec::new();
            stderr.read_to_end(&mut text).map(|_| text)
        });
        let started = std::time::Instant::now();
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if started.elapsed() > limit {
                child.kill().unwrap();
                panic!("news-search ran longer than {limit:?}: a hang");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let mut output = child.wait_with_output().unwrap();
        output.stderr = reader.join().unwrap().unwrap();
        Run::from(output)
    }

    /// The number of articles matching `query`.
    pub fn count(&self, query: &str) -> u64 {
        self.run(["query", query, "-c"])
            .stdout_text()
            .trim()
            .parse()
            .unwrap()
    }

    /// `stats --json`, parsed.
    pub fn stats(&self) -> Value {
        serde_json::from_str(&self.run(["stats", "--json"]).stdout_text()).unwrap()
    }

    /// Runs a `--json` query and splits its lines into match data and the summary data.
    pub fn json<const N: usize>(&self, args: [&str; N]) -> (Vec<Value>, Value) {
        self.json_lines(&args, "match")
    }

    /// The ids of the articles a query finds (`query ARGS --json`), sorted.
    pub fn sorted_ids(&self, args: &[&str]) -> Vec<String> {
        let mut all = vec!["query"];
        all.extend_from_slice(args);
        let (hits, _) = self.json_lines(&all, "match");
        let mut ids: Vec<String> = hits
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    }

    /// Runs `args --json` and splits its lines into the data of the `kind` lines
    /// (`match`, `trend`, `term`, `reuse`) and the summary's data.
    pub fn json_lines(&self, args: &[&str], kind: &str) -> (Vec<Value>, Value) {
        let mut all: Vec<&str> = args.to_vec();
        all.push("--json");
        let out = Run::from(self.command().args(&all).output().unwrap());
        let mut found = Vec::new();
        let mut summary = Value::Null;
        for line in out.stdout_text().lines() {
            let value: Value = serde_json::from_str(line).expect("each line is JSON");
            match value["type"].as_str() {
                Some(k) if k == kind => found.push(value["data"].clone()),
                Some("summary") => summary = value["data"].clone(),
                other => panic!("unexpected line type {other:?}"),
            }
        }
        assert!(summary.is_object(), "no summary line");
        (found, summary)
    }
}

/// The outcome of one run.
pub struct Run {
    output: Output,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run { output }
    }
}

impl Run {
    /// The exit code (`None` when killed by a signal).
    pub fn code_value(&self) -> Option<i32> {
        self.output.status.code()
    }

    /// Standard output as text.
    pub fn stdout_text(&self) -> String {
        String::from_utf8(self.output.stdout.clone()).expect("stdout is UTF-8")
    }

    /// Stderr as text.
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts exit code 0.
    pub fn success(&self) -> &Run {
        self.code(0)
    }

    /// Asserts the exit code.
    pub fn code(&self, code: i32) -> &Run {
        assert_eq!(
            self.output.status.code(),
            Some(code),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout_text(),
            self.stderr_text()
        );
        self
    }

    /// Asserts that stderr contains `needle`.
    pub fn stderr_has(&self, needle: &str) -> &Run {
        let err = self.stderr_text();
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
        self
    }

    /// Asserts the whole of stdout.
    pub fn stdout_is(&self, expected: &str) -> &Run {
        assert_eq!(
            self.stdout_text(),
            expected,
            "stderr:\n{}",
            self.stderr_text()
        );
        self
    }

    /// Asserts that stdout contains `needle`.
    pub fn stdout_is_containing(&self, needle: &str) -> &Run {
        let out = self.stdout_text();
        assert!(out.contains(needle), "stdout lacks {needle:?}:\n{out}");
        self
    }

    /// Asserts the whole of stderr.
    pub fn stderr_is(&self, expected: &str) -> &Run {
        assert_eq!(self.stderr_text(), expected);
        self
    }
}

/// The words of `text` (a JSON string) at the `[start, end)` character ranges in `ranges`.
pub fn highlighted(text: &Value, ranges: &Value) -> Vec<String> {
    let chars: Vec<char> = text.as_str().expect("text").chars().collect();
    ranges
        .as_array()
        .expect("ranges")
        .iter()
        .map(|r| {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            chars[a..b].iter().collect()
        })
        .collect()
}

/// Copies `from` (a folder) to `to`, recursively.
pub fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The project's root folder.
pub fn project_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the project, when present.
///
/// Tests that need it are `#[ignore]`d, so a clone without it reports them as
/// ignored rather than passed; with the folder missing they fail loudly.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = project_dir().join("..").join("shared");
    dir.join("seed").is_dir().then_some(dir)
}
