//! The default output for people: rank and title, a metadata line, then the snippet,
//! with matched words in bold color when color is on.

use std::io::{self, Write};

use super::{Printer, clean};
use crate::search::{Hit, SearchResults};

const MATCH: &str = "\x1b[1;31m";
const TITLE: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Human-readable printer.
pub struct Human<W> {
    out: W,
    color: bool,
    interactive: bool,
    printed: usize,
}

impl<W: Write> Human<W> {
    /// A printer writing to `out`; `interactive` adds a count line on stderr.
    pub fn new(out: W, color: bool, interactive: bool) -> Self {
        Human {
            out,
            color,
            interactive,
            printed: 0,
        }
    }

    /// `text` with the character ranges in `marks` wrapped in `style`.
    fn marked(&self, text: &str, marks: &[[usize; 2]], style: &str, base: &str) -> String {
        let text = clean(text);
        if !self.color {
            return text;
        }
        let mut out = String::with_capacity(text.len() + marks.len() * 12);
        out.push_str(base);
        let mut marks = marks.iter().peekable();
        for (i, ch) in text.chars().enumerate() {
            if marks.peek().is_some_and(|m| m[0] == i) {
                out.push_str(style);
            }
            out.push(ch);
            if let Some(m) = marks.peek()
                && m[1] == i + 1
            {
                out.push_str(RESET);
                out.push_str(base);
                marks.next();
            }
        }
        out.push_str(RESET);
        out
    }

    fn dim(&self, text: &str) -> String {
        if self.color {
            format!("{DIM}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

impl<W: Write> Printer for Human<W> {
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        if self.printed > 0 {
            writeln!(self.out)?;
        }
        self.printed += 1;
        let title = if hit.title.is_empty() {
            "(untitled)"
        } else {
            &hit.title
        };
        let title = self.marked(title, &hit.title_highlights, MATCH, TITLE);
        writeln!(self.out, "{}. {title}", hit.rank)?;
        let meta: Vec<String> = [
            hit.date.map(|d| d.format("%Y-%m-%d").to_string()),
            hit.source.as_deref().map(clean),
            hit.path.as_deref().or(hit.url.as_deref()).map(clean),
            // For `show ID` and `similar ID`: many articles share one file.
            Some(format!("id {}", hit.id)),
            hit.near_duplicate.then(|| "near-duplicate".to_string()),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !meta.is_empty() {
            writeln!(self.out, "   {}", self.dim(&meta.join(" · ")))?;
        }
        if !hit.snippets.is_empty() {
            // Passages joined with one `…` where the text between them was left out.
            let mut line = String::new();
            for (n, s) in hit.snippets.iter().enumerate() {
                let marked = self.marked(&s.text, &s.highlights, MATCH, "");
                if n > 0 {
                    line.push(' ');
                }
                match marked.strip_prefix('…') {
                    Some(rest) if n > 0 && hit.snippets[n - 1].text.ends_with('…') => {
                        line.push_str(rest);
                    }
                    _ => line.push_str(&marked),
                }
            }
            writeln!(self.out, "   {line}")?;
        }
        if hit.similar_count > 0 {
            let mut copies: Vec<String> = hit
                .similar
                .iter()
                .map(|c| {
                    let date = c.date.map(|d| d.format("%Y-%m-%d").to_string());
                    let name = c.source.as_deref().or(c.path.as_deref()).unwrap_or(&c.id);
                    match date {
                        Some(date) => format!("{} {date}", clean(name)),
                        None => clean(name),
                    }
                })
                .collect();
            if hit.similar_count > copies.len() {
                copies.push("…".into());
            }
            let line = format!("+{} similar: {}", hit.similar_count, copies.join(", "));
            writeln!(self.out, "   {}", self.dim(&line))?;
        }
        Ok(())
    }

    fn finish(&mut self, results: &SearchResults) -> io::Result<()> {
        self.out.flush()?;
        if self.interactive {
            let shown = results.hits.len();
            let ms = results.elapsed.as_secs_f64() * 1000.0;
            let line = match results.total {
                0 => "no matches".to_string(),
                total if shown == total => format!("{total} matching articles ({ms:.1} ms)"),
                total => format!(
                    "{shown} of {total} matching articles shown ({ms:.1} ms); more with --limit/--offset"
                ),
            };
            if self.printed > 0 {
                writeln!(io::stderr())?;
            }
            writeln!(io::stderr(), "{}", self.dim(&line))?;
        }
        Ok(())
    }
}
