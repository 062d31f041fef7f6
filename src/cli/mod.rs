//! # The command line: the native front end
//!
//! Everything only a native process needs, over the core's session layer
//! ([`crate::session`]): the flags ([`args`], clap), solving ([`solve`]),
//! `day23 check` ([`check`]), `generate`, the completion scripts and the man
//! page ([`manual`]); the runs on threads whose stacks hold their buffers
//! ([`stack`]), several at once ([`jobs`]); reading the input ([`input`]),
//! writing outputs (standard output or files whole or not at all,
//! [`outfile`], also when interrupted, [`interrupt`]; the SVG plot [`plot`]),
//! and the terminal
//! (colour, the progress line [`progress`]).
//!
//! [`run`] is what `main` calls: one subcommand, then an exit code.

pub mod args;
pub mod check;
pub mod input;
pub mod interrupt;
pub mod jobs;
pub mod manual;
pub mod outfile;
pub mod plot;
pub mod progress;
pub mod solve;
pub mod stack;

use std::io::{self, Write};

use anstream::{AutoStream, ColorChoice, stream::RawStream};
use anyhow::{Context, Result};

use self::args::{Cli, ColorWhen, Command, ExitCode, GenerateArgs};
use crate::color::Colors;
use crate::units::thousands;

/// Runs the command line.
///
/// # Errors
///
/// Bad input and I/O errors, with the path in the message.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let colors = colors(cli.color);
    match cli.command {
        Some(Command::Generate(args)) => generate(&args),
        Some(Command::Check(args)) => check::run(&args, colors),
        Some(Command::Completions(args)) => print(&manual::completions(args.shell)),
        Some(Command::Man(args)) => print(&manual::man_page(args.subcommand.as_deref())?),
        None => solve::run(&cli.solve, colors),
    }
}

/// Writes `bytes` to standard output: a generated script or page.
fn print(bytes: &[u8]) -> Result<ExitCode> {
    write_stdout(bytes)?;
    Ok(ExitCode::Success)
}

/// Writes the grid `args` ask for, a row at a time, to its output: the
/// memory of one row, whatever the size. Sizes the solver would not read,
/// and grids without an elf, are refused first (usage errors).
fn generate(args: &GenerateArgs) -> Result<ExitCode> {
    let (width, height) = (args.width, args.height);
    if let Some(refusal) = generate_refusal(args) {
        eprint_line(format_args!("day23: {refusal}"));
        return Ok(ExitCode::Usage);
    }
    let mut out = match &args.output {
        Some(path) => outfile::Planned::new("--output", path)?.create()?,
        None => outfile::OutFile::stdout(),
    };
    let written = crate::generate::write(width, height, args.density, args.seed, &mut out);
    out.check(written)?;
    out.commit()?;
    Ok(ExitCode::Success)
}

/// Why `generate` refuses `args`, if it does: a grid larger than the solver
/// reads ([`input::MAX_INPUT_BYTES`]), or one with no elf.
fn generate_refusal(args: &GenerateArgs) -> Option<String> {
    let (width, height) = (u64::from(args.width), u64::from(args.height));
    let bytes = (width + 1) * height;
    let max = input::MAX_INPUT_BYTES;
    if bytes > max {
        // The largest square n x n with (n + 1) * n bytes within the limit.
        let side = (1..=max.isqrt())
            .rev()
            .find(|n| (n + 1) * n <= max)
            .unwrap_or(0);
        return Some(format!(
            "a {width}x{height} grid is {} bytes, more than the {} bytes ({} MiB) the solver reads;\n\
             at --width {width} the most is --height {}, and the largest square grid is {side}x{side}.",
            thousands(bytes),
            thousands(max),
            max >> 20,
            max / (width + 1),
        ));
    }
    if !crate::generate::has_elf(args.width, args.height, args.density, args.seed) {
        return Some(format!(
            "--density {} with --seed {} gives a {width}x{height} grid with no elves, which the solver rejects;\n\
             raise --density or the size, or try another --seed.",
            args.density, args.seed
        ));
    }
    None
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
///
/// # Errors
///
/// Any other write error.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(e).context("could not write to standard output")
        }
        _ => Ok(()),
    }
}

/// Writes one line to standard error.
///
/// Unlike `eprintln!`, which panics (exit code 101) when standard error is
/// closed or a broken pipe (`day23 ... 2>&1 | head -1`), this ignores the
/// failure: there is nowhere left to report it, and the exit code still tells.
pub fn eprint_line(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

/// Whether standard output and standard error get colour, as `when` and
/// the environment say: with `auto` a stream gets colour when it is a
/// terminal and neither `NO_COLOR` (set and not empty) nor `CLICOLOR=0` says
/// otherwise (`CLICOLOR_FORCE` forces it), as `anstream` resolves it.
#[must_use]
pub fn colors(when: ColorWhen) -> Colors {
    Colors {
        stdout: enabled(when, &io::stdout()),
        stderr: enabled(when, &io::stderr()),
    }
}

fn enabled(when: ColorWhen, stream: &impl RawStream) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => AutoStream::choice(stream) != ColorChoice::Never,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_and_always_ignore_the_stream() {
        assert!(!enabled(ColorWhen::Never, &io::stdout()));
        assert!(enabled(ColorWhen::Always, &io::stderr()));
    }
}
