//! Watches: the line `index` prints per watch with news, the JSON Lines handed
//! to `--notify`, `watch list` and `watch new` (tab-separated lines, or JSON
//! Lines with `--json`).

use std::io::{self, Write};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use super::{clean, diag};
use crate::watch::{Match, News, Watch};

/// `watch "ferries": 1 new` on stderr.
pub fn print_news(news: &News) {
    let _ = writeln!(
        io::stderr().lock(),
        "watch \"{}\": {} new",
        clean(&news.watch),
        news.articles
    );
}

/// One match as JSON (`watch new --json`, `--notify`, the feeds' source).
pub fn match_value(m: &Match) -> Value {
    serde_json::to_value(m).unwrap_or(Value::Null)
}

/// Runs `command` with `sh -c`, the new matches as JSON Lines on its standard
/// input. A failure is a warning: the matches stay recorded for `watch new`.
pub fn notify(command: &str, news: &[News]) {
    let mut lines = Vec::new();
    for m in news.iter().flat_map(|n| &n.matches) {
        lines.push(json!({"type": "new", "data": match_value(m)}).to_string());
    }
    let input = lines.join("\n") + "\n";
    let ran = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            if let Some(mut stdin) = child.stdin.take() {
                // A command that does not read its input is its own business.
                let _ = stdin.write_all(input.as_bytes());
            }
            child.wait()
        });
    let failure = match ran {
        Ok(status) if status.success() => return,
        Ok(status) => match status.code() {
            Some(code) => format!("exited with {code}"),
            None => "was killed by a signal".to_string(),
        },
        Err(e) => format!("could not run: {e}"),
    };
    diag::warning(format!(
        "--notify command {failure}; the {} new matches stay recorded (`news-search watch new`)",
        lines.len()
    ));
}

/// One watch as JSON (`watch list --json`).
pub fn watch_value(watch: &Watch) -> Value {
    json!({
        "name": watch.name,
        "queries": watch.queries.len(),
        "query": (watch.queries.len() == 1 && watch.file.is_none()).then(|| &watch.queries[0].query),
        "file": watch.file,
        "filters": watch.filters,
        "any": watch.any,
        "created": watch.created,
        "unread": watch.unread.len(),
    })
}

/// `watch list`: `NAME<TAB>N unread<TAB>what it watches` per watch, or JSON Lines.
pub fn print_list(out: &mut impl Write, watches: &[Watch], as_json: bool) -> io::Result<()> {
    for watch in watches {
        if as_json {
            writeln!(
                out,
                "{}",
                json!({"type": "watch", "data": watch_value(watch)})
            )?;
            continue;
        }
        let what = match (&watch.file, watch.queries.as_slice()) {
            (None, [one]) => one.query.clone(),
            (file, queries) => format!(
                "{} queries{}",
                queries.len(),
                file.as_ref()
                    .map(|f| format!(" from {f}"))
                    .unwrap_or_default()
            ),
        };
        writeln!(
            out,
            "{}\t{} unread\t{}",
            clean(&watch.name),
            watch.unread.len(),
            clean(&what)
        )?;
    }
    out.flush()
}

/// `watch new`: one line per match, `watch<TAB>date<TAB>source<TAB>title<TAB>query
/// (line N)<TAB>id`, or JSON Lines (`new` objects, then a `summary`).
pub fn print_new(
    out: &mut impl Write,
    matches: &[&Match],
    as_json: bool,
    marked_read: bool,
) -> io::Result<()> {
    for m in matches {
        if as_json {
            writeln!(out, "{}", json!({"type": "new", "data": match_value(m)}))?;
            continue;
        }
        let date = m.date.as_deref().map_or("", |d| d.get(..10).unwrap_or(d));
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{} (line {})\t{}",
            clean(&m.watch),
            date,
            clean(m.source.as_deref().unwrap_or("")),
            clean(&m.title),
            clean(&m.query),
            m.line,
            clean(&m.id)
        )?;
    }
    if as_json {
        let mut ids: Vec<&str> = matches.iter().map(|m| m.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        writeln!(
            out,
            "{}",
            json!({"type": "summary", "data": {
                "matches": matches.len(),
                "articles": ids.len(),
                "marked_read": marked_read,
            }})
        )?;
    }
    out.flush()
}
