//! Diagnostics on stderr, one line each, prefixed with the program name.

use std::fmt::Display;
use std::io::Write;

/// Prints an error line.
pub fn error(message: impl Display) {
    line("error", message);
}

/// Prints a warning line.
pub fn warning(message: impl Display) {
    line("warning", message);
}

/// Prints a note line.
pub fn note(message: impl Display) {
    line("note", message);
}

fn line(kind: &str, message: impl Display) {
    let text = super::clean(&message.to_string());
    // Nothing useful can be done if stderr itself is closed.
    let _ = writeln!(std::io::stderr().lock(), "news-search: {kind}: {text}");
}
