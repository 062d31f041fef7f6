//! # Command-line interface
//!
//! The clap-derive [`Cli`]: solving is the default command, `generate` makes
//! a random input, `check` checks a manifest's answers, `completions` and
//! `man` print a shell completion script and the man page. Sizes and ranges
//! are checked by the value parsers, so a bad flag is a usage error (exit
//! code 2) before any work starts.

use std::path::PathBuf;
use std::sync::LazyLock;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::alloc::AllocatorKind;
use crate::cells::CellKind;
use crate::export::Format;
use crate::session::{self, Choice, DEFAULT_BUFFER_SIZE, DEFAULT_CELLS, DEFAULT_STRATEGY};
use crate::strategy::StrategyKind;

/// Advent of Code 2022 Day 23 on a Zig-style fixed-buffer bump allocator.
///
/// Solves the puzzle and prints, round by round, how many bytes of the
/// buffer(s) are in use: `Round <i> memuse: <N>`. Under `--strategy leaky`
/// this shows the write-up's space leak until the buffer runs out (exit code 3).
/// With several strategies (`--strategy all`, `--strategy leaky,pingpong`) it
/// runs each on its own buffers and prints a summary table instead.
#[derive(Debug, Parser)]
#[command(
    version,
    about,
    long_about = None,
    help_expected = true,
    max_term_width = 100,
    subcommand_negates_reqs = true,
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// A subcommand; without one, solve.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// When to colour the output: on a terminal only (auto), always, or never.
    ///
    /// auto honours NO_COLOR (set and not empty: no colour) and
    /// CLICOLOR_FORCE; pipes and files get plain text.
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value_t = ColorWhen::Auto,
        global = true
    )]
    pub color: ColorWhen,

    /// The solving options.
    #[command(flatten)]
    pub solve: SolveArgs,
}

/// Parses the process's command line, or exits as clap does (usage error:
/// 2; help and version: 0). clap colours its own messages, usage errors
/// and help, by a choice it makes before it reads any flag, so `--color` is
/// looked for first, wherever it stands, and that choice handed to clap.
#[must_use]
pub fn parse() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut cmd = Cli::command();
    if let Some(when) = color_flag(&args) {
        cmd = cmd.color(when);
    }
    let mut matches = cmd
        .try_get_matches_from_mut(&args)
        .unwrap_or_else(|e| e.exit());
    if let Some(e) = solve_flag_with_subcommand(&mut cmd, &matches) {
        e.exit();
    }
    Cli::from_arg_matches_mut(&mut matches).unwrap_or_else(|e| e.format(&mut cmd).exit())
}

/// A solving flag given with a subcommand (`day23 -i x check`) is a usage
/// error; the global `--color` goes with either, before the subcommand or
/// after it. (clap's `args_conflicts_with_subcommands` would refuse
/// `--color` before a subcommand too.)
fn solve_flag_with_subcommand(
    cmd: &mut clap::Command,
    matches: &clap::ArgMatches,
) -> Option<clap::Error> {
    let (name, _) = matches.subcommand()?;
    let flag = cmd.get_arguments().find(|arg| {
        !arg.is_global_set()
            && matches.value_source(arg.get_id().as_str())
                == Some(clap::parser::ValueSource::CommandLine)
    })?;
    Some(cmd.error(
        clap::error::ErrorKind::ArgumentConflict,
        format!("the subcommand '{name}' cannot be used with '{flag}'"),
    ))
}

/// The last `--color WHEN` (or `--color=WHEN`) before a `--`, as clap's
/// choice; clap itself reports a bad or missing value.
fn color_flag(args: &[std::ffi::OsString]) -> Option<clap::ColorChoice> {
    let mut found = None;
    let mut words = args.iter().skip(1).map(|a| a.to_str());
    while let Some(word) = words.next() {
        let value = match word {
            Some("--") => break,
            Some("--color") => words.next().flatten(),
            Some(w) => w.strip_prefix("--color="),
            None => None,
        };
        found = match value {
            Some("never") => Some(clap::ColorChoice::Never),
            Some("always") => Some(clap::ColorChoice::Always),
            Some("auto") => Some(clap::ColorChoice::Auto),
            _ => found,
        };
    }
    found
}

/// The EXAMPLES section and the exit codes, after the options in `--help`.
const AFTER_HELP: &str = "\
Examples:
  Solve, printing the bytes in use after every round (the write-up's output):
    day23 -i inputs/example.txt
  Watch the space leak until the buffer runs out (exit code 3):
    day23 -i inputs/gen-70x70-d50-s1.txt -s leaky
  Compare every strategy in one table, and plot bytes in use per round:
    day23 -i inputs/gen-70x70-d50-s1.txt -s all --plot memuse.svg
  Every figure of every round, as JSON (or --format csv):
    day23 -i inputs/example.txt -s all -f json -o example.json
  Check every answer of a manifest under every strategy and cell kind, for CI:
    day23 check inputs/manifest.json --junit check.xml
  Install completions and the man page:
    day23 completions bash > ~/.local/share/bash-completion/completions/day23
    day23 man > ~/.local/share/man/man1/day23.1

Exit codes: 0 success, 1 bad input or I/O error (or strategies that disagree on the answers), \
2 usage error, 3 a buffer ran out of memory, 4 (check) an answer differs from the manifest's, \
130 interrupted by Ctrl-C (every output file left as it was). \
A comparison of several strategies exits 0 when a buffer runs out: the comparison itself \
succeeded, and its output shows where.

More: README.md and docs/ (docs/guide.md for comparisons, exports and check).";

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when writing to a terminal, unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a random puzzle input (reproducible: same flags, same bytes).
    Generate(GenerateArgs),
    /// Check the answers of every input of a manifest under every strategy
    /// and cell kind asked for (for CI).
    ///
    /// One line per input and run: pass, FAIL (a wrong answer) or oom (the
    /// buffer ran out before an answer, which is not a failure), then a
    /// summary. Exit code 0 when every answer reached matches, 4 when one
    /// does not, 1 for a bad manifest or input.
    Check(CheckArgs),
    /// Print a completion script for SHELL to standard output.
    ///
    /// bash: day23 completions bash > ~/.local/share/bash-completion/completions/day23
    /// zsh: day23 completions zsh > ~/.zfunc/_day23 (with ~/.zfunc in $fpath);
    /// fish: day23 completions fish > ~/.config/fish/completions/day23.fish
    Completions(CompletionsArgs),
    /// Print the man page (roff) to standard output: day23(1), or a
    /// subcommand's, day23-check(1) for `day23 man check`.
    ///
    /// day23 man > ~/.local/share/man/man1/day23.1, or view it at once with
    /// day23 man | man -l -; each subcommand likewise:
    /// day23 man check > ~/.local/share/man/man1/day23-check.1
    Man(ManArgs),
}

/// Options of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The manifest: JSON, {"inputs": [{"file": PATH, "part1": N, "part2": N}, ...]},
    /// with paths relative to its folder; part1 or part2 may be absent; '-'
    /// reads it from standard input.
    ///
    /// A manifest on standard input or a pipe (-, /dev/stdin) has no folder:
    /// its relative paths are relative to the current directory.
    ///
    /// The default, inputs/quick.json, is every bundled input of
    /// inputs/manifest.json but the 300x300 one (seconds, not minutes); CI
    /// checks inputs/manifest.json in full.
    #[arg(value_name = "MANIFEST", default_value = "inputs/quick.json")]
    pub manifest: PathBuf,

    /// The strategies to run each input under: a comma-separated list, or all.
    #[arg(
        short,
        long,
        value_enum,
        value_name = "STRATEGY[,...]",
        value_delimiter = ',',
        default_value = "all"
    )]
    pub strategy: Vec<StrategyArg>,

    /// The cell kinds to run each strategy with: a comma-separated list, or all.
    #[arg(
        short,
        long,
        value_enum,
        value_name = "CELLS[,...]",
        value_delimiter = ',',
        default_value = "all"
    )]
    pub cells: Vec<CellsArg>,

    /// The bump allocators to run each strategy on: zig, bumpalo, a
    /// comma-separated list, or all.
    ///
    /// Under bumpalo the heap strategy is left out (it is the same run under
    /// either allocator).
    #[arg(
        long,
        value_enum,
        value_name = "ALLOCATOR[,...]",
        value_delimiter = ',',
        default_value = "zig"
    )]
    pub allocator: Vec<AllocatorArg>,

    /// Size of each buffer, in bytes or with a unit (20000, 64KiB, 1.5MiB, 1GiB).
    ///
    /// Units: B, KiB, MiB, GiB, TiB (powers of 1024; K, M, G, T alike) and
    /// kB, MB, GB, TB (powers of 1000), in any case; a decimal fraction is
    /// taken when the size comes to whole bytes. A run whose buffer runs out
    /// before an answer reports it as out of memory, not as a failure.
    #[arg(
        short,
        long,
        value_name = "BYTES",
        default_value = DEFAULT_BUFFER_SIZE,
        value_parser = parse_buffer_size,
        allow_negative_numbers = true
    )]
    pub buffer_size: usize,

    /// Also write the results as JUnit XML to PATH: one test case per input
    /// and run (replaced once the runs are done; a bad path fails first).
    ///
    /// '-' is standard output: the report goes there, and the run lines to
    /// standard error.
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,

    /// Runs at a time (default: the available cores).
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

impl CheckArgs {
    /// The strategies asked for, in order, each once.
    #[must_use]
    pub fn strategies(&self) -> Vec<StrategyKind> {
        expand(&self.strategy)
    }

    /// The cell kinds asked for, in order, each once.
    #[must_use]
    pub fn cells(&self) -> Vec<CellKind> {
        expand(&self.cells)
    }

    /// The allocators asked for, in order, each once.
    #[must_use]
    pub fn allocators(&self) -> Vec<AllocatorKind> {
        expand(&self.allocator)
    }
}

/// Options of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Options of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The subcommand whose page to print (default: day23's own).
    #[arg(value_name = "SUBCOMMAND", value_parser = ["generate", "check", "completions", "man"])]
    pub subcommand: Option<String>,
}

/// Options of a solve.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("pictures").args(["layout", "layout_every"]).multiple(true)))]
pub struct SolveArgs {
    /// The puzzle input: lines of '.' and '#'; '-' reads standard input.
    #[arg(short, long, value_name = "PATH", required = true)]
    pub input: Option<PathBuf>,

    /// Where each round's memory comes from: one strategy, a comma-separated
    /// list of them, or all.
    ///
    /// With several, each runs on its own buffers of --buffer-size on the same
    /// input (--jobs at a time), and the output compares them.
    #[arg(
        short,
        long,
        value_enum,
        value_name = "STRATEGY[,...]",
        value_delimiter = ',',
        default_value = DEFAULT_STRATEGY.name()
    )]
    pub strategy: Vec<StrategyArg>,

    /// How the elves are stored: a hash set, the write-up's Zig map, a bit grid, a
    /// comma-separated list, or all.
    ///
    /// With several, every strategy runs with each, and the output compares
    /// them all.
    #[arg(
        short,
        long,
        value_enum,
        value_name = "CELLS[,...]",
        value_delimiter = ',',
        default_value = DEFAULT_CELLS.name()
    )]
    pub cells: Vec<CellsArg>,

    /// Size of each buffer, in bytes or with a unit (20000, 64KiB, 1.5MiB, 1GiB).
    ///
    /// Units: B, KiB, MiB, GiB, TiB (powers of 1024; K, M, G, T alike) and
    /// kB, MB, GB, TB (powers of 1000), in any case; a decimal fraction is
    /// taken when the size comes to whole bytes. Strategies with two buffers
    /// get two of this size. The buffers live on the stack of a thread
    /// started for the run.
    #[arg(
        short,
        long,
        value_name = "BYTES",
        default_value = DEFAULT_BUFFER_SIZE,
        value_parser = parse_buffer_size,
        allow_negative_numbers = true
    )]
    pub buffer_size: usize,

    /// The bump allocator behind the buffers: Zig's FixedBufferAllocator (the
    /// write-up's) or Rust's bumpalo.
    ///
    /// bumpalo runs leaky, tempcopy (a reset per round), pingpong (two
    /// arenas) and reuse on a bumpalo::Bump per buffer, which takes chunks
    /// from the heap, each about twice the last, capped at --buffer-size
    /// (set_allocation_limit); heap runs as it does. Each round then shows
    /// the bytes taken from the heap, the live bytes and the chunks (--layout
    /// and --report: a strip per chunk); --trace is Zig's only.
    #[arg(long, value_enum, value_name = "ALLOCATOR", default_value = "zig")]
    pub allocator: AllocatorKind,

    /// Runs of a comparison at a time, each on its own thread and buffers
    /// (default: the available cores).
    ///
    /// The output is the same whatever N is: each run's lines wait until the
    /// runs before it are done. Fewer run at once when their buffers together
    /// would exceed the memory available (MemAvailable), down to one at a
    /// time. --jobs 1 runs them one after another.
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// Stop after this many rounds, even without both answers.
    #[arg(long, value_name = "N")]
    pub max_rounds: Option<usize>,

    /// Keep the input's bytes out of the buffer (by default they are read
    /// into it before parsing, as in the write-up, and Round 0 includes them).
    #[arg(long)]
    pub input_on_heap: bool,

    /// Print only the two answer lines (and no progress line); not with
    /// --layout, whose pictures it would hide.
    #[arg(short, long, conflicts_with = "pictures")]
    pub quiet: bool,

    /// Write every allocator event of every buffer to PATH, one per line.
    ///
    /// With several strategies each line starts with the strategy's name.
    /// '-' is standard output, which the output must then leave (--output
    /// PATH): two outputs on standard output are a usage error.
    #[arg(long, value_name = "PATH")]
    pub trace: Option<PathBuf>,

    /// The output's format.
    ///
    /// text: for one strategy the `Round i memuse` lines, for several a
    /// summary table; json and csv: every strategy's figures, round by round
    /// (see docs/guide.md).
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write the output to PATH instead of standard output ('-').
    ///
    /// A bad path fails before the run starts; PATH is replaced only once
    /// the output is complete, and left as it was after an error or Ctrl-C.
    /// As for every output flag, '-' is standard output; two outputs there
    /// are a usage error.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Draw each buffer's blocks after every round, one line per buffer
    /// (end), or at three moments of every round (phases).
    ///
    /// Input bytes, live sets, dead space (freed but not reclaimed), alignment
    /// padding and free space, to scale, from the allocator's block list.
    /// `phases` draws each buffer as the round starts, once the new set is
    /// allocated and filled while the old one is live (the round's peak), and
    /// after the swap (tempcopy: the copy back). Part of the text output; with
    /// --format json or csv it goes to standard output and needs --output for
    /// the export.
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        num_args = 0..=1,
        default_missing_value = "end"
    )]
    pub layout: Option<LayoutMode>,

    /// Draw the layout only after every K-th round (round 0, K, 2K, ...);
    /// implies --layout.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..))]
    pub layout_every: Option<u32>,

    /// Width of the layout lines and legends in columns, 40 to 1000, with
    /// --layout (default: $COLUMNS, else the terminal's width, else 80; a
    /// $COLUMNS below 40 gives 40).
    #[arg(long, value_name = "COLS", requires = "pictures", value_parser = clap::value_parser!(u16).range(40..=1000))]
    pub width: Option<u16>,

    /// Plot bytes in use per round, every strategy on one chart, as an SVG
    /// file at PATH (replaced once complete; a bad path fails first).
    ///
    /// '-' is standard output, which the output must then leave (--output
    /// PATH).
    #[arg(long, value_name = "PATH")]
    pub plot: Option<PathBuf>,

    /// Write an interactive page to PATH: one self-contained HTML file to
    /// open from disk (replaced once complete; a bad path fails first).
    ///
    /// A round slider over the elves, every run's buffers at each phase of
    /// the round, bytes in use per round for every run on one chart, and the
    /// summary table. The data is embedded once: the first elves and each
    /// round's moves, every layout and figure as the run reported them.
    /// '-' is standard output, which the output must then leave (--output
    /// PATH).
    #[arg(long, value_name = "PATH.html")]
    pub report: Option<PathBuf>,
}

impl SolveArgs {
    /// The strategies asked for, in order, each once (`all` is every
    /// strategy in the order `--help` lists them).
    #[must_use]
    pub fn strategies(&self) -> Vec<StrategyKind> {
        expand(&self.strategy)
    }

    /// The cell kinds asked for, in order, each once.
    #[must_use]
    pub fn cells(&self) -> Vec<CellKind> {
        expand(&self.cells)
    }

    /// Whether to draw the layout, and after which rounds (every K-th).
    #[must_use]
    pub fn layout_every(&self) -> Option<usize> {
        match self.layout_every {
            Some(k) => Some(k as usize),
            None => self.layout.map(|_| 1),
        }
    }

    /// What the layout pictures show (`end` unless `--layout phases`).
    #[must_use]
    pub fn layout_mode(&self) -> LayoutMode {
        self.layout.unwrap_or(LayoutMode::End)
    }
}

/// What `--layout` draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutMode {
    /// Each buffer at the end of the round.
    End,
    /// Each buffer at the round's start, at its peak (new set allocated,
    /// old still live) and after the swap (or copy back).
    Phases,
}

/// One value of a list flag (`--strategy`, `--cells`): one item, or `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneOrAll<T> {
    /// This item.
    One(T),
    /// Every item.
    All,
}

/// One value of `--strategy`.
pub type StrategyArg = OneOrAll<StrategyKind>;

/// One value of `--cells`.
pub type CellsArg = OneOrAll<CellKind>;

/// One value of `check --allocator`.
pub type AllocatorArg = OneOrAll<AllocatorKind>;

/// The items asked for, in order, each once (`all` is every item in the
/// order `--help` lists them).
fn expand<T: Choice>(args: &[OneOrAll<T>]) -> Vec<T> {
    session::each_once(args.iter().map(|arg| match *arg {
        OneOrAll::One(item) => Some(item),
        OneOrAll::All => None,
    }))
}

/// `ValueEnum` for the core's choices: their names and summaries.
macro_rules! value_enum {
    ($($kind:ty),*) => {$(
        impl ValueEnum for $kind {
            fn value_variants<'a>() -> &'a [Self] {
                <$kind as Choice>::ALL
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(PossibleValue::new(Choice::name(*self)).help(Choice::summary(*self)))
            }
        }
    )*};
}

value_enum!(StrategyKind, CellKind, AllocatorKind, Format);

/// `ValueEnum` for `OneOrAll<$kind>`: every `$kind`, then `all`, built from
/// `$kind`'s own list, so a new variant is accepted (and part of `all`)
/// without changes here.
macro_rules! one_or_all_values {
    ($kind:ty, $list:ident, $all_help:literal) => {
        static $list: LazyLock<Vec<OneOrAll<$kind>>> = LazyLock::new(|| {
            <$kind>::value_variants()
                .iter()
                .map(|&item| OneOrAll::One(item))
                .chain([OneOrAll::All])
                .collect()
        });

        impl ValueEnum for OneOrAll<$kind> {
            fn value_variants<'a>() -> &'a [Self] {
                &$list
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                match self {
                    Self::One(item) => item.to_possible_value(),
                    Self::All => Some(PossibleValue::new("all").help($all_help)),
                }
            }
        }
    };
}

one_or_all_values!(
    StrategyKind,
    STRATEGY_ARGS,
    "Every strategy above, one after another"
);
one_or_all_values!(
    CellKind,
    CELLS_ARGS,
    "Every cell kind above, one after another"
);
one_or_all_values!(
    AllocatorKind,
    ALLOCATOR_ARGS,
    "Every allocator above, one after another"
);

/// Options of `generate`.
///
/// The grid is W x H cells, (W + 1) x H bytes with the newlines, written a
/// row at a time; it must fit the solver's input limit, 256 MiB (the
/// largest square grid is 16383x16383), and have an elf: other sizes and
/// grids without one are refused (exit code 2).
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Columns (with --height: at most 256 MiB in all, the solver's input
    /// limit; the largest square grid is 16383x16383).
    #[arg(long, value_name = "W", value_parser = clap::value_parser!(u32).range(1..MAX_GRID_BYTES))]
    pub width: u32,

    /// Rows (see --width).
    #[arg(long, value_name = "H", value_parser = clap::value_parser!(u32).range(1..=MAX_GRID_BYTES / 2))]
    pub height: u32,

    /// The share of cells with an elf: above 0, at most 1.
    ///
    /// A grid that comes out with no elf at all (a low density on a small
    /// grid) is refused, since the solver rejects it: raise the density or
    /// the size, or try another seed.
    #[arg(long, value_name = "D", default_value_t = 0.5, value_parser = parse_density)]
    pub density: f64,

    /// The random seed.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,

    /// Write to PATH instead of standard output ('-' is standard output).
    ///
    /// PATH is replaced only once the grid is complete.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// The largest input the solver reads, for the value parsers of
/// `generate`'s sizes: the product is checked when the command runs.
const MAX_GRID_BYTES: i64 = crate::cli::input::MAX_INPUT_BYTES as i64;

fn parse_buffer_size(text: &str) -> Result<usize, String> {
    crate::alloc::parse_size(text)
}

fn parse_density(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(d) if d > 0.0 && d <= 1.0 => Ok(d),
        Ok(0.0) => Err(format!(
            "'{text}' makes a grid with no elves, which the solver rejects: expected a number above 0 and at most 1, e.g. 0.5"
        )),
        _ => Err(format!(
            "'{text}' is not a density: expected a number above 0 and at most 1, e.g. 0.5"
        )),
    }
}

/// The process's exit codes, documented in `--help` and the README. An
/// interrupted run ends by the signal instead ([`crate::cli::interrupt`]),
/// which a shell shows as 128 plus its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitCode {
    /// Answers printed (or `generate` done).
    Success = 0,
    /// Bad input, or an I/O error.
    Failure = 1,
    /// Bad flags (clap's own code).
    Usage = 2,
    /// A buffer ran out of memory.
    OutOfMemory = 3,
    /// `check`: an answer differs from the manifest's.
    WrongAnswer = 4,
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
    #[cfg_attr(miri, ignore = "clap's generators take minutes under Miri")]
    fn completions_list_each_subcommands_options_then_the_global_color() {
        let script = crate::cli::manual::completions(clap_complete::Shell::Bash);
        let script = String::from_utf8(script).unwrap();
        for opts in [
            "opts=\"-s -c -b -j -h --strategy --cells --allocator --buffer-size --junit --jobs --color --help\"",
            "opts=\"-o -h --width --height --density --seed --output --color --help\"",
            "opts=\"-h --color --help bash elvish fish powershell zsh\"",
        ] {
            assert!(script.contains(opts), "{opts}");
        }
        let script = crate::cli::manual::completions(clap_complete::Shell::Fish);
        let script = String::from_utf8(script).unwrap();
        assert!(!script.contains("Options of"));
        assert!(script.contains("-a \"generate\" -d 'Write a random puzzle input"));
    }

    #[test]
    fn defaults_are_pingpong_and_4_mib() {
        let cli = Cli::try_parse_from(["day23", "--input", "x.txt"]).unwrap();
        assert_eq!(cli.solve.strategies(), [StrategyKind::PingPong]);
        assert_eq!(cli.solve.buffer_size, 4 << 20);
        assert_eq!(cli.solve.format, Format::Text);
        assert_eq!(cli.solve.layout_every(), None);
        assert!(!cli.solve.quiet && cli.command.is_none());
    }

    #[test]
    fn strategy_takes_lists_and_all_in_order_without_repeats() {
        let parse = |args: &[&str]| {
            let mut argv = vec!["day23", "-i", "x"];
            argv.extend_from_slice(args);
            Cli::try_parse_from(argv).map(|cli| cli.solve.strategies())
        };
        use StrategyKind::{Heap, Leaky, PingPong, Reuse, TempCopy};
        assert_eq!(
            parse(&["-s", "all"]).unwrap(),
            [Leaky, TempCopy, PingPong, Reuse, Heap]
        );
        assert_eq!(parse(&["-s", "heap,leaky"]).unwrap(), [Heap, Leaky]);
        assert_eq!(
            parse(&["-s", "heap", "-s", "leaky,heap"]).unwrap(),
            [Heap, Leaky]
        );
        assert_eq!(
            parse(&["-s", "pingpong,all"]).unwrap(),
            [PingPong, Leaky, TempCopy, Reuse, Heap]
        );
        assert!(parse(&["-s", "leaky,arena"]).is_err());
        assert!(parse(&["-s", ""]).is_err());
    }

    #[test]
    fn layout_every_implies_layout_and_width_is_bounded() {
        let parse = |args: &[&str]| {
            let mut argv = vec!["day23", "-i", "x"];
            argv.extend_from_slice(args);
            Cli::try_parse_from(argv)
        };
        assert_eq!(parse(&["--layout"]).unwrap().solve.layout_every(), Some(1));
        assert_eq!(
            parse(&["--layout"]).unwrap().solve.layout_mode(),
            LayoutMode::End
        );
        let phases = parse(&["--layout", "phases", "--layout-every", "2"]).unwrap();
        assert_eq!(
            (phases.solve.layout_mode(), phases.solve.layout_every()),
            (LayoutMode::Phases, Some(2))
        );
        assert_eq!(
            parse(&["--layout=end"]).unwrap().solve.layout_mode(),
            LayoutMode::End
        );
        assert!(parse(&["--layout", "middle"]).is_err());
        assert_eq!(
            parse(&["--layout-every", "5"])
                .unwrap()
                .solve
                .layout_every(),
            Some(5)
        );
        assert!(parse(&["--layout-every", "0"]).is_err());
        assert!(parse(&["--layout", "--width", "39"]).is_err());
        assert!(
            parse(&["--width", "120"]).is_err(),
            "--width without --layout"
        );
        assert_eq!(
            parse(&["--layout", "--width", "120"]).unwrap().solve.width,
            Some(120)
        );
        assert_eq!(
            parse(&["-f", "json", "-o", "out.json"])
                .unwrap()
                .solve
                .format,
            Format::Json
        );
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

    #[test]
    fn solve_jobs_default_to_none_and_must_be_at_least_one() {
        let jobs = |args: &[&str]| Cli::try_parse_from(args).map(|cli| cli.solve.jobs);
        assert_eq!(jobs(&["day23", "-i", "x"]).unwrap(), None);
        assert_eq!(jobs(&["day23", "-i", "x", "-j", "2"]).unwrap(), Some(2));
        assert_eq!(jobs(&["day23", "-i", "x", "--jobs", "1"]).unwrap(), Some(1));
        for bad in ["0", "-1", "x", "65536"] {
            assert!(jobs(&["day23", "-i", "x", "--jobs", bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn check_defaults_to_the_bundled_manifest_and_every_kind() {
        let cli = Cli::try_parse_from(["day23", "check"]).unwrap();
        let Some(Command::Check(args)) = cli.command else {
            panic!("not check: {:?}", cli.command);
        };
        assert_eq!(args.manifest, PathBuf::from("inputs/quick.json"));
        assert_eq!(args.strategies(), StrategyKind::value_variants());
        assert_eq!(args.cells(), CellKind::value_variants());
        assert_eq!(args.buffer_size, 4 << 20);
        assert_eq!((args.junit, args.jobs), (None, None));

        let cli = Cli::try_parse_from([
            "day23", "check", "m.json", "-s", "heap", "-c", "bitgrid", "-b", "64KiB", "-j", "3",
        ])
        .unwrap();
        let Some(Command::Check(args)) = cli.command else {
            panic!("not check: {:?}", cli.command);
        };
        assert_eq!(args.strategies(), [StrategyKind::Heap]);
        assert_eq!(args.cells(), [CellKind::BitGrid]);
        assert_eq!((args.buffer_size, args.jobs), (64 << 10, Some(3)));
        assert!(Cli::try_parse_from(["day23", "check", "-j", "0"]).is_err());
    }

    #[test]
    fn color_is_global_and_auto_by_default() {
        let parse = |args: &[&str]| Cli::try_parse_from(args).map(|cli| cli.color);
        assert_eq!(parse(&["day23", "-i", "x"]).unwrap(), ColorWhen::Auto);
        assert_eq!(
            parse(&["day23", "-i", "x", "--color", "never"]).unwrap(),
            ColorWhen::Never
        );
        assert_eq!(
            parse(&["day23", "check", "--color", "always"]).unwrap(),
            ColorWhen::Always
        );
        assert!(parse(&["day23", "-i", "x", "--color", "sometimes"]).is_err());
        assert!(Cli::try_parse_from(["day23", "completions", "tcsh"]).is_err());
    }
}
