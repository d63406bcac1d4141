//! `completions` and `man`: the command line described for shells and for `man`,
//! generated from the same clap definition that parses it.

use std::io::Write;

use clap::CommandFactory;

use crate::Outcome;
use crate::cli::Cli;
use crate::error::Result;

/// Prints the completion script for `shell` on stdout.
pub fn completions(shell: clap_complete::Shell) -> Result<Outcome> {
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut Cli::command(), "news-search", &mut out);
    out.flush()?;
    Ok(Outcome::Done)
}

/// Prints the manual page (roff) on stdout, subcommands included.
pub fn man() -> Result<Outcome> {
    let mut out = std::io::stdout().lock();
    let command = Cli::command();
    clap_mangen::Man::new(command.clone()).render(&mut out)?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let title = format!("news-search-{}", sub.get_name());
        clap_mangen::Man::new(sub.clone())
            .title(title)
            .render(&mut out)?;
    }
    out.flush()?;
    Ok(Outcome::Done)
}
