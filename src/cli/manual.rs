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
/// EXTRA (the examples and exit codes of `--help`), VERSION; with
/// `subcommand`, that subcommand's page (`day23-check(1)`), which day23(1)'s
/// SUBCOMMANDS section refers to. clap's `help` subcommand has no page, so
/// it is left out of the list, as `clap_mangen::generate_to` leaves it out.
///
/// # Errors
///
/// `NotFound` for a subcommand day23 does not have; writing to memory
/// does not fail otherwise.
pub fn man_page(subcommand: Option<&str>) -> io::Result<Vec<u8>> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let cmd = match subcommand {
        None => cmd,
        Some(name) => cmd.find_subcommand(name).cloned().ok_or_else(|| {
            io::Error::new(io::ErrorKind::NotFound, format!("no subcommand '{name}'"))
        })?,
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut page)?;
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
        let page = String::from_utf8(man_page(None).unwrap()).unwrap();
        assert!(
            page.starts_with(".ie \\n(.g .ds Aq \\(aq"),
            "{}",
            &page[..80]
        );
        for word in [".TH day23 1", "\\-\\-strategy", "Examples:", "Exit codes"] {
            assert!(page.contains(word), "no {word}");
        }
        // Every page day23(1) refers to can be printed, and names itself.
        let referred: Vec<&str> = page
            .lines()
            .filter_map(|l| l.strip_prefix("day23\\-")?.strip_suffix("(1)"))
            .collect();
        assert_eq!(referred, ["generate", "check", "completions", "man"]);
        for name in referred {
            let sub = String::from_utf8(man_page(Some(name)).unwrap()).unwrap();
            assert!(
                sub.contains(&format!(".TH day23-{name} 1")),
                "{name}: {}",
                &sub[..200]
            );
        }
    }
}
