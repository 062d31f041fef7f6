//! # Solving: from the flags to output and an exit code
//!
//! A solve is a short list of steps, one module each:
//!
//! 1. `options`: the flags validated into the session's plan (the runs:
//!    every strategy with every kind of cells, what they share) and how the
//!    runs show themselves;
//! 2. `exports`: every output file created before any work starts (each a
//!    temporary file beside its target until the end);
//! 3. [`crate::cli::input`]: the input read, bounded and checked as it arrives;
//! 4. `run`: the runs go concurrently (`--jobs` at a time, within the
//!    available memory: [`crate::cli::jobs`]), each on a thread whose stack
//!    holds its own buffers, and feed the sinks in plan order as the rounds
//!    complete, exactly as one after another would: `rounds` (the
//!    write-up's `Round i memuse: N` lines), `layout` (pictures of the
//!    buffers), the progress line, the report and the trace;
//! 5. `exports` again: the answers, the summary table or the `--format`
//!    export, and the SVG plot, all drawn from the [`Comparison`] of the runs;
//!    then every output file, complete, replaces its target.
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

use std::io::{self, IsTerminal};

use anyhow::Result;

pub use self::rounds::round_line;
use crate::cli::args::{ExitCode, SolveArgs};
use crate::cli::eprint_line;
use crate::cli::input::read_input;
use crate::cli::progress::Progress;
use crate::color::Colors;
use crate::session::advise;
use crate::session::record::ReportSink;

/// Solves as `args` say.
///
/// # Errors
///
/// Bad input and I/O errors, with the path in the message.
pub fn run(args: &SolveArgs, colors: Colors) -> Result<ExitCode> {
    let solve = match options::Solve::from_args(args)? {
        Ok(solve) => solve,
        Err(code) => return Ok(code),
    };
    let outputs = match exports::Outputs::create(args, &solve.input)? {
        Ok(outputs) => outputs,
        Err(code) => return Ok(code),
    };
    let input = read_input(&solve.input)?;
    let exports::Outputs {
        trace,
        text,
        mut export,
        mut plot,
        mut report,
    } = outputs;

    let view = solve.view;
    // Round lines on the terminal already show progress.
    let live_text_on_terminal = (view.print_rounds || view.layout.is_some())
        && text.is_stdout()
        && io::stdout().is_terminal();
    let mut printer = rounds::RoundPrinter::new(text);
    let mut sinks = run::Sinks {
        live_text: live_text_on_terminal,
        printer: &mut printer,
        layout: view.layout.map(layout::LayoutSink::new),
        progress: Progress::new(
            !args.quiet && io::stderr().is_terminal() && !live_text_on_terminal,
        ),
        trace,
        report: report.is_some().then(ReportSink::default),
    };
    let mut session = run::run_all(&solve, &input, &mut sinks)?;
    let recorded = sinks.report.take();
    let trace = sinks.trace.take();
    drop(sinks);

    let comparison = &session.comparison;
    let agreed = comparison.agreed_answers();
    let answers = comparison.strategies[0].answers;
    exports::write_results(
        args,
        view,
        comparison,
        &mut printer,
        export.as_mut(),
        plot.as_mut(),
        colors.stdout,
    )?;
    let failure = session.failure.take();
    if let (Some(out), Some(recorded)) = (report.as_mut(), recorded) {
        exports::write_report(out, recorded, session)?;
    }
    // Every output is complete (also a run that ran out of memory, or
    // strategies that disagree: the output shows it): each replaces its
    // target now, and not before.
    printer.into_inner().commit()?;
    if let Some(out) = export {
        out.commit()?;
    }
    for out in [trace, plot, report].into_iter().flatten() {
        out.commit()?;
    }
    agreed?;
    if view.single {
        if let Some(error) = failure {
            let limit = crate::alloc::stack::max_buffers_bytes();
            let advice = advise(&solve.plan, &solve.plan.runs[0], &input, &error, limit);
            eprint_line(format_args!("{}: {error}; {advice}", colors.error_label()));
            return Ok(ExitCode::OutOfMemory);
        }
        if answers.part1.is_none() || answers.part2.is_none() {
            let rounds = crate::units::count(args.max_rounds.unwrap_or(0), "round");
            eprint_line(format_args!(
                "day23: stopped after {rounds} (--max-rounds) before both answers were known"
            ));
        }
    }
    Ok(ExitCode::Success)
}
