//! The default output for people: rank and title, a metadata line, then the snippet,
//! with matched words in bold color when color is on.

use super::progress::counted;
use std::io::{self, Write};

use super::{Printer, clean};
use crate::search::{Hit, SearchResults};

const MATCH: &str = "\x1b[1;31m";
const TITLE: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";
/// Lines under a headline start here.
const INDENT: &str = "   ";

/// Human-readable printer.
pub struct Human<W> {
    out: W,
    color: bool,
    interactive: bool,
    /// Terminal columns to wrap passages to, keeping their indent.
    width: Option<usize>,
    printed: usize,
}

impl<W: Write> Human<W> {
    /// A printer writing to `out`; `interactive` adds a count line on stderr;
    /// `width` wraps passages (at spaces, color codes not counted).
    pub fn new(out: W, color: bool, interactive: bool, width: Option<usize>) -> Self {
        Human {
            out,
            color,
            interactive,
            width,
            printed: 0,
        }
    }

    /// Writes `text` indented by three spaces, wrapped to the width if any.
    fn indented(&mut self, text: &str) -> io::Result<()> {
        match self.width.filter(|&w| w > 20) {
            Some(width) => {
                let options = textwrap::Options::new(width)
                    .initial_indent(INDENT)
                    .subsequent_indent(INDENT)
                    .break_words(false);
                writeln!(self.out, "{}", textwrap::fill(text, options))
            }
            None => writeln!(self.out, "{INDENT}{text}"),
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
            crate::article::source_label(hit.source.as_deref(), hit.place.as_deref())
                .map(|s| clean(&s)),
            hit.path.as_deref().or(hit.url.as_deref()).map(clean),
            // For `show ID` and `similar ID`: many articles share one file.
            Some(format!("id {}", hit.id)),
            hit.near_duplicate.then(|| "near-duplicate".to_string()),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !meta.is_empty() {
            let line = self.dim(&meta.join(" · "));
            self.indented(&line)?;
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
            self.indented(&line)?;
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
            let line = self.dim(&line);
            self.indented(&line)?;
        }
        Ok(())
    }

    fn finish(&mut self, results: &SearchResults) -> io::Result<()> {
        self.out.flush()?;
        if self.interactive {
            let shown = results.hits.len();
            let ms = results.elapsed.as_secs_f64() * 1000.0;
            let line = match (results.total, results.next_offset) {
                (0, _) => "no matches".to_string(),
                (total, None) if shown == 0 => {
                    let total = counted(total, "matching article");
                    format!("{total}; none past this offset ({ms:.1} ms)")
                }
                (total, None) => format!("{} ({ms:.1} ms)", counted(total, "matching article")),
                (total, Some(next)) => format!(
                    "{} of {} shown ({ms:.1} ms); the next page with --offset {next}",
                    counted(shown, "hit"),
                    counted(total, "matching article")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::snippet::Snippet;

    fn hit() -> Hit {
        Hit {
            rank: 1,
            score: 1.0,
            id: "abc".into(),
            title: "Harbour strike ends".into(),
            date: None,
            source: Some("Global Wire".into()),
            place: None,
            author: None,
            url: None,
            path: Some("news/a.txt".into()),
            key: None,
            lang: None,
            ocr_quality: None,
            scan: None,
            title_highlights: Vec::new(),
            snippets: vec![Snippet {
                text: "Dock workers at the three largest northern ports voted on Monday to \
                       walk out for two days next week, escalating a long dispute over automation."
                    .into(),
                highlights: vec![[0, 4], [5, 12]],
                ..Snippet::default()
            }],
            similar_count: 0,
            similar: Vec::new(),
            near_duplicate: false,
        }
    }

    fn printed(color: bool, width: Option<usize>) -> String {
        let mut out = Vec::new();
        Human::new(&mut out, color, false, width)
            .hit(&hit())
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn passages_wrap_at_spaces_to_the_width_and_keep_their_indent() {
        for color in [false, true] {
            let text = printed(color, Some(60));
            let passage: Vec<&str> = text.lines().skip(2).collect();
            assert!(passage.len() >= 3, "{text}");
            for line in &passage {
                assert!(line.starts_with(INDENT), "{line:?}");
                assert!(textwrap::core::display_width(line) <= 60, "{line:?}");
            }
            // Words are whole: joining the lines gives the passage back.
            let joined: Vec<&str> = passage.iter().map(|l| l.trim()).collect();
            assert!(
                joined.join(" ").contains("escalating a long dispute"),
                "{text}"
            );
        }
        // Piped: one line per passage, however long.
        assert_eq!(printed(false, None).lines().count(), 3);
    }
}
