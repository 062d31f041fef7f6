//! # Shell completions and the man page
//!
//! Both are generated from the clap definition of [`Cli`] itself
//! (`clap_complete`, `clap_mangen`), so they list exactly the flags and
//! values the binary accepts. They are built in memory and written by the
//! caller, which treats a closed pipe as the reader's choice: the generators
//! themselves panic on a failed write.

use std::io;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::args::Cli;

/// The binary's name, as the scripts and the page call it.
const BIN: &str = "day23";

/// The completion script for `shell`.
#[must_use]
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), BIN, &mut script);
    script
}

/// The man page, in roff: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, SUBCOMMANDS,
/// EXTRA (the examples and exit codes of `--help`), VERSION.
///
/// # Errors
///
/// Writing to memory does not fail; the error is `clap_mangen`'s signature.
pub fn man_page() -> io::Result<Vec<u8>> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(
        miri,
        ignore = "clap's generators take minutes under Miri; no unsafe here"
    )]
    fn every_shell_gets_a_script_naming_the_subcommands() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::Elvish,
            Shell::PowerShell,
        ] {
            let script = String::from_utf8(completions(shell)).unwrap();
            for word in [
                "day23",
                "check",
                "generate",
                "completions",
                "strategy",
                "junit",
            ] {
                assert!(script.contains(word), "{shell}: no {word}");
            }
        }
    }

    #[test]
    #[cfg_attr(
        miri,
        ignore = "clap's generators take minutes under Miri; no unsafe here"
    )]
    fn the_man_page_has_the_options_and_the_examples() {
        let page = String::from_utf8(man_page().unwrap()).unwrap();
        assert!(
            page.starts_with(".ie \\n(.g .ds Aq \\(aq"),
            "{}",
            &page[..80]
        );
        for word in [".TH day23 1", "\\-\\-strategy", "Examples:", "Exit codes"] {
            assert!(page.contains(word), "no {word}");
        }
    }
}
