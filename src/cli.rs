//! # Command-line interface
//!
//! The clap-derive [`Cli`]: solving is the default command, `generate` makes
//! a random input. Sizes and ranges are checked by the value parsers, so a
//! bad flag is a usage error (exit code 2) before any work starts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Advent of Code 2022 Day 23 on a Zig-style fixed-buffer bump allocator.
///
/// Solves the puzzle and prints, round by round, how many bytes of the
/// buffer(s) are in use: `Round <i> memuse: <N>`. Under `--strategy leaky`
/// this shows the write-up's space leak until the buffer runs out (exit code 3).
#[derive(Debug, Parser)]
#[command(
    version,
    about,
    long_about = None,
    help_expected = true,
    max_term_width = 100,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "Exit codes: 0 success, 1 bad input or I/O error, 2 usage error, 3 a buffer ran out of memory."
)]
pub struct Cli {
    /// A subcommand; without one, solve.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The solving options.
    #[command(flatten)]
    pub solve: SolveArgs,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a random puzzle input (reproducible: same flags, same bytes).
    Generate(GenerateArgs),
}

/// Options of a solve.
#[derive(Debug, Args)]
pub struct SolveArgs {
    /// The puzzle input: lines of '.' and '#'; '-' reads standard input.
    #[arg(short, long, value_name = "PATH", required = true)]
    pub input: Option<PathBuf>,

    /// Where each round's memory comes from.
    #[arg(short, long, value_enum, default_value_t = StrategyKind::PingPong)]
    pub strategy: StrategyKind,

    /// Size of each buffer, in bytes or with a unit (20000, 64KiB, 4MiB, 1GiB).
    ///
    /// Strategies with two buffers get two of this size. The buffers live on
    /// the stack of a thread started for the run.
    #[arg(
        short,
        long,
        value_name = "BYTES",
        default_value = "4MiB",
        value_parser = parse_buffer_size
    )]
    pub buffer_size: usize,

    /// Stop after this many rounds, even without both answers.
    #[arg(long, value_name = "N")]
    pub max_rounds: Option<usize>,

    /// Keep the input's bytes out of the buffer (by default they are read
    /// into it before parsing, as in the write-up, and Round 0 includes them).
    #[arg(long)]
    pub input_on_heap: bool,

    /// Print only the two answer lines.
    #[arg(short, long)]
    pub quiet: bool,

    /// Write every allocator event of every buffer to PATH, one per line.
    #[arg(long, value_name = "PATH")]
    pub trace: Option<PathBuf>,
}

/// Where each round's memory comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StrategyKind {
    /// New set in the same buffer each round: leaks one set per round.
    Leaky,
    /// New set in a temporary buffer reset each round, copied back.
    #[value(name = "tempcopy")]
    TempCopy,
    /// Two buffers taking turns; freeing the old set reclaims it.
    #[value(name = "pingpong")]
    PingPong,
    /// The global heap, counted.
    Heap,
}

impl StrategyKind {
    /// The name users type.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Leaky => "leaky",
            Self::TempCopy => "tempcopy",
            Self::PingPong => "pingpong",
            Self::Heap => "heap",
        }
    }
}

/// Options of `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Columns.
    #[arg(long, value_name = "W", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub width: u32,

    /// Rows.
    #[arg(long, value_name = "H", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub height: u32,

    /// The share of cells with an elf, from 0 to 1.
    #[arg(long, value_name = "D", default_value_t = 0.5, value_parser = parse_density)]
    pub density: f64,

    /// The random seed.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,

    /// Write to PATH instead of standard output.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

fn parse_buffer_size(text: &str) -> Result<usize, String> {
    crate::alloc::parse_size(text)
}

fn parse_density(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(d) if (0.0..=1.0).contains(&d) => Ok(d),
        _ => Err(format!(
            "'{text}' is not a density: expected a number from 0 to 1, e.g. 0.5"
        )),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn defaults_are_pingpong_and_4_mib() {
        let cli = Cli::try_parse_from(["day23", "--input", "x.txt"]).unwrap();
        assert_eq!(cli.solve.strategy, StrategyKind::PingPong);
        assert_eq!(cli.solve.buffer_size, 4 << 20);
        assert!(!cli.solve.quiet && cli.command.is_none());
    }

    #[test]
    fn rejects_bad_sizes_densities_and_missing_input() {
        assert!(Cli::try_parse_from(["day23", "-i", "x", "-b", "4 parsecs"]).is_err());
        assert!(Cli::try_parse_from(["day23", "-i", "x", "-s", "arena"]).is_err());
        assert!(Cli::try_parse_from(["day23"]).is_err());
        let bad = [
            "day23",
            "generate",
            "--width",
            "5",
            "--height",
            "5",
            "--density",
            "2",
        ];
        assert!(Cli::try_parse_from(bad).is_err());
        let ok = [
            "day23", "generate", "--width", "5", "--height", "5", "--seed", "7",
        ];
        assert!(matches!(
            Cli::try_parse_from(ok).unwrap().command,
            Some(Command::Generate(_))
        ));
    }
}
