//! # The application: from parsed flags to output and an exit code
//!
//! A solve is a short list of steps, one module each:
//!
//! 1. `options`: the flags validated into a plan: the runs (every strategy
//!    with every kind of cells), how they show themselves, what they share;
//! 2. `exports`: every output file created before any work starts;
//! 3. `input`: the input read, bounded and checked as it arrives;
//! 4. `run`: the runs go concurrently (`--jobs` at a time, within the
//!    available memory: [`crate::runner::jobs`]), each on a thread whose stack holds
//!    its own buffers, and feed the sinks in plan order as the rounds
//!    complete, exactly as one after another would: `rounds` (the
//!    write-up's `Round i memuse: N` lines), `layout` (pictures of the
//!    buffers), the progress line, the report and the trace;
//! 5. `exports` again: the answers, the summary table or the `--format`
//!    export, and the SVG plot, all drawn from the [`Comparison`] of the runs.
//!
//! Exit codes: a single strategy whose buffer runs out exits 3, whatever the
//! format. A comparison of several strategies exits 0 when one runs out: the
//! comparison itself succeeded, and its output shows where each ran out.
//! Strategies that disagree on an answer (a bug) exit 1 after the output.
//!
//! [`Comparison`]: crate::report::Comparison

mod exports;
mod layout;
mod options;
mod rounds;
mod run;

use std::io::{self, IsTerminal, Write};

use anyhow::{Context, Result};

pub use self::rounds::round_line;
pub use crate::cli::ExitCode;
use crate::cli::{Cli, Command, GenerateArgs, SolveArgs};
use crate::color::Colors;
pub use crate::input::{MAX_INPUT_BYTES, read_input};
use crate::manual;
use crate::progress::Progress;
use crate::runner::record::ReportSink;
pub use crate::runner::{RunOptions, RunOutcome, run_strategy, stack_bytes};

/// Runs the command line.
///
/// # Errors
///
/// Bad input and I/O errors, with the path in the message.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let colors = Colors::new(cli.color);
    match cli.command {
        Some(Command::Generate(args)) => generate(&args),
        Some(Command::Check(args)) => crate::check::run(&args, colors),
        Some(Command::Completions(args)) => print(&manual::completions(args.shell)),
        Some(Command::Man) => print(&manual::man_page()?),
        None => solve_command(&cli.solve, colors),
    }
}

/// Writes `bytes` to standard output: a generated script or page.
fn print(bytes: &[u8]) -> Result<ExitCode> {
    write_stdout(bytes)?;
    Ok(ExitCode::Success)
}

fn generate(args: &GenerateArgs) -> Result<ExitCode> {
    let bytes = crate::generate::generate(args.width, args.height, args.density, args.seed);
    match &args.output {
        Some(path) => std::fs::write(path, &bytes)
            .with_context(|| format!("could not write '{}'", path.display()))?,
        None => write_stdout(&bytes)?,
    }
    Ok(ExitCode::Success)
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

fn solve_command(args: &SolveArgs, colors: Colors) -> Result<ExitCode> {
    let plan = match options::Plan::from_args(args)? {
        Ok(plan) => plan,
        Err(code) => return Ok(code),
    };
    let outputs = exports::Outputs::create(args, &plan.input)?;
    let input = read_input(&plan.input)?;

    let view = plan.view;
    // Round lines on the terminal already show progress.
    let live_text_on_terminal = (view.print_rounds || view.layout.is_some())
        && outputs.text.is_stdout()
        && io::stdout().is_terminal();
    let mut printer = rounds::RoundPrinter::new(outputs.text);
    let mut sinks = run::Sinks {
        live_text: live_text_on_terminal,
        printer: &mut printer,
        layout: view.layout.map(layout::LayoutSink::new),
        progress: Progress::new(
            !args.quiet && io::stderr().is_terminal() && !live_text_on_terminal,
        ),
        trace: outputs.trace,
        report: outputs.report.is_some().then(ReportSink::default),
    };
    let (comparison, failure) = run::run_all(&plan, &input, &mut sinks)?;
    let recorded = sinks.report.take();
    drop(sinks);

    let agreed = comparison.agreed_answers();
    exports::write_results(
        args,
        view,
        &comparison,
        &mut printer,
        outputs.export,
        outputs.plot,
        colors.stdout,
    )?;
    if let (Some(mut out), Some(recorded)) = (outputs.report, recorded) {
        exports::write_report(&mut out, recorded, &comparison)?;
    }
    agreed?;
    if view.single {
        if let Some(error) = failure {
            eprint_line(format_args!("{}: {error}", colors.error_label()));
            return Ok(ExitCode::OutOfMemory);
        }
        let answers = comparison.strategies[0].answers;
        if answers.part1.is_none() || answers.part2.is_none() {
            let rounds = args.max_rounds.unwrap_or(0);
            eprint_line(format_args!(
                "day23: stopped after {rounds} rounds (--max-rounds) before both answers were known"
            ));
        }
    }
    Ok(ExitCode::Success)
}
