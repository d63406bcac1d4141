//! Every byte the program writes goes through here: result printers for stdout
//! (human, JSON Lines, paths, counts, stats) and diagnostics and progress for stderr.

pub mod batch;
mod check;
pub mod cite;
pub mod diag;
mod human;
pub mod json;
pub mod progress;
mod reuse;
mod stats;
mod terms;
mod timeline;
mod trends;
pub mod watch;

use std::io::{self, Write};

use crate::config::OutputMode;
use crate::search::{Hit, SearchResults};

pub use check::{print_check, print_repair};
pub use reuse::{cluster_value, print_reuse, reuse_summary};
pub use stats::{print_stats, stats_value};
pub use terms::{print_terms, term_value, terms_summary};
pub use trends::{TrendsFormat, print_trends, row_value, summary_value};

/// Writes search results in one format.
pub trait Printer {
    /// Writes one hit.
    fn hit(&mut self, hit: &Hit) -> io::Result<()>;
    /// Writes what comes after the hits, and flushes.
    fn finish(&mut self, results: &SearchResults) -> io::Result<()>;
}

/// The printer for `mode`, writing to `out`.
pub fn printer<'a, W: Write + 'a>(
    mode: OutputMode,
    out: W,
    color: bool,
    interactive: bool,
) -> Box<dyn Printer + 'a> {
    match mode {
        OutputMode::Human => {
            // Wrapped to the terminal's width on a terminal; one line each when piped.
            let width = interactive
                .then(|| terminal_size::terminal_size_of(io::stdout()))
                .flatten()
                .map(|(w, _)| usize::from(w.0));
            Box::new(human::Human::new(out, color, interactive, width))
        }
        OutputMode::Json => Box::new(json::Json::new(out)),
        OutputMode::Paths { null } => Box::new(Paths { out, null }),
        OutputMode::Count => Box::new(CountOnly { out }),
        OutputMode::Timeline => Box::new(timeline::TimelinePrinter::new(out, interactive, color)),
    }
}

/// `-l`: the path (or URL, or id) of each matching article, in rank order.
struct Paths<W> {
    out: W,
    /// NUL-terminated and as it is, rather than one cleaned line each.
    null: bool,
}

impl<W: Write> Printer for Paths<W> {
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        let place = hit
            .path
            .as_deref()
            .or(hit.url.as_deref())
            .unwrap_or(&hit.id);
        if self.null {
            self.out.write_all(place.as_bytes())?;
            self.out.write_all(b"\0")
        } else {
            writeln!(self.out, "{}", clean(place))
        }
    }

    fn finish(&mut self, _: &SearchResults) -> io::Result<()> {
        self.out.flush()
    }
}

/// `-c`: the number of matching articles.
struct CountOnly<W> {
    out: W,
}

impl<W: Write> Printer for CountOnly<W> {
    fn hit(&mut self, _: &Hit) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, results: &SearchResults) -> io::Result<()> {
        writeln!(self.out, "{}", results.total)?;
        self.out.flush()
    }
}

/// One whole article for people: headline, metadata lines, then the body.
pub fn print_article(out: &mut impl Write, article: &crate::article::Article) -> io::Result<()> {
    let title = if article.title.is_empty() {
        "(untitled)"
    } else {
        &article.title
    };
    writeln!(out, "{}", clean(title))?;
    let date = article.date.as_ref().map(crate::article::format_date);
    for (label, value) in [
        ("date", date.as_deref()),
        ("source", article.source.as_deref()),
        ("author", article.author.as_deref()),
        ("url", article.url.as_deref()),
        ("path", article.path.as_deref()),
        ("id", Some(article.id.as_str())),
    ] {
        if let Some(value) = value {
            writeln!(out, "{label:<7} {}", clean(value))?;
        }
    }
    writeln!(out)?;
    for line in article.body.lines() {
        writeln!(out, "{}", clean(line))?;
    }
    Ok(())
}

/// Text from articles made safe for a terminal: control characters become spaces.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Characters that reorder the text around them on a terminal (the "Trojan
/// Source" overrides and isolates): a file name or headline must not use them to
/// disguise what follows it.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

/// `text` as a spreadsheet shows it rather than runs it: a cell starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return is a formula to Excel, LibreOffice and
/// Google Sheets, so it gets a leading `'` (OWASP's advice on CSV injection).
pub fn inert(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}
