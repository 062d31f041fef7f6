//! # Running the strategies
//!
//! [`run_strategy`] runs one strategy on a thread whose stack holds its
//! buffers. [`run_all`] runs every run of a [`Plan`] one after another, each
//! watched by a [`RunObserver`] that records its rounds and feeds the sinks
//! (round lines, layout pictures, the HTML report, progress, trace), and
//! gathers the reports
//! into a [`Comparison`].

use std::io::Write;

use anyhow::{Context, Result};

use super::exports::{OutFile, write_trace};
use super::layout::{LayoutRun, LayoutSink};
use super::options::{Plan, Run, View};
use super::report::{ReportRun, ReportSink};
use super::rounds::{RoundPrinter, round_line};
use crate::alloc::{FixedBufferAllocator, Trace, TraceEvent, with_stack_buffers};
use crate::answers::Answers;
use crate::cli::{CellKind, StrategyKind};
use crate::engine::{Limits, Observer, Phase, Snapshot, solve_cells};
use crate::error::{OutOfMemory, SolveError};
use crate::progress::{Progress, RunProgress};
use crate::report::{Comparison, Outcome, RoundStats, RunReport};
use crate::strategy::{Heap, Leaky, PingPong, TempCopy};
use crate::units::thousands;

/// What one strategy's run produced.
#[derive(Debug)]
pub struct RunOutcome {
    /// The answers, or why the run stopped.
    pub result: Result<Answers, SolveError>,
    /// The allocator events, when asked for.
    pub trace: Vec<TraceEvent>,
}

/// Options of one strategy's run.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Bytes per buffer.
    pub buffer_size: usize,
    /// How far to go and where the input lives.
    pub limits: Limits,
    /// Record allocator events.
    pub trace: bool,
    /// How the elves are stored.
    pub cells: CellKind,
}

/// Runs `kind` on `input` on a thread whose stack holds its buffers.
///
/// # Errors
///
/// The buffers cannot be provided (too large for this machine).
pub fn run_strategy(
    kind: StrategyKind,
    input: &[u8],
    options: &RunOptions,
    observer: &mut (dyn Observer + Send),
) -> Result<RunOutcome> {
    let size = options.buffer_size;
    let buffers: &[usize] = match kind {
        StrategyKind::Leaky => &[size],
        StrategyKind::TempCopy | StrategyKind::PingPong => &[size, size],
        StrategyKind::Heap => &[],
    };
    let limits = options.limits;
    let tracing = options.trace;
    let cells = options.cells;
    let outcome = with_stack_buffers(buffers, move |mut bufs| {
        let trace = Trace::new();
        let mut fba = |name: &'static str| {
            let buf = bufs.remove(0);
            let fba = FixedBufferAllocator::new(buf).with_name(name);
            if tracing {
                fba.with_trace(trace.clone())
            } else {
                fba
            }
        };
        let result = match kind {
            StrategyKind::Leaky => {
                solve_cells(&Leaky::new(fba("main")), cells, input, &limits, observer)
            }
            StrategyKind::TempCopy => {
                let main = fba("main");
                let strategy = TempCopy::new(main, fba("temp"));
                solve_cells(&strategy, cells, input, &limits, observer)
            }
            StrategyKind::PingPong => {
                let a = fba("a");
                solve_cells(&PingPong::new(a, fba("b")), cells, input, &limits, observer)
            }
            StrategyKind::Heap => solve_cells(&Heap::new(), cells, input, &limits, observer),
        };
        RunOutcome {
            result,
            trace: trace.take(),
        }
    })
    .with_context(|| {
        format!(
            "could not provide {} buffer(s) of {size} bytes for --strategy {}",
            buffers.len(),
            kind.name()
        )
    })?;
    Ok(outcome)
}

/// The buffers a strategy gets, for messages.
fn buffer_names(kind: StrategyKind) -> &'static str {
    match kind {
        StrategyKind::Leaky => "buffer main",
        StrategyKind::TempCopy => "buffers main and temp",
        StrategyKind::PingPong => "buffers a and b",
        StrategyKind::Heap => "the global heap",
    }
}

/// `leaky (buffer main of 4,000 bytes)`, above a run's layouts.
fn heading(kind: StrategyKind, label: &str, buffer_size: usize) -> String {
    match kind {
        StrategyKind::Heap => format!("{label} ({})", buffer_names(kind)),
        _ => format!(
            "{label} ({} of {} bytes)",
            buffer_names(kind),
            thousands(buffer_size as u64)
        ),
    }
}

/// Where the runs write while they go.
pub(super) struct Sinks<'a, W: Write> {
    pub(super) printer: &'a mut RoundPrinter<W>,
    pub(super) layout: Option<LayoutSink>,
    pub(super) progress: Progress,
    pub(super) trace: Option<OutFile>,
    pub(super) report: Option<ReportSink>,
}

/// Watches one strategy's run: records every round, prints round lines and
/// layout pictures, and feeds the progress line.
struct RunObserver<'p, W: Write> {
    printer: &'p mut RoundPrinter<W>,
    print_rounds: bool,
    layout: Option<LayoutRun<'p>>,
    report: Option<ReportRun<'p>>,
    rounds: Vec<RoundStats>,
    elves: Option<usize>,
    progress: RunProgress,
}

impl<W: Write> Observer for RunObserver<'_, W> {
    fn round(&mut self, stats: &RoundStats, snapshot: &dyn Snapshot) {
        if stats.round == 0 {
            self.elves = Some(snapshot.elves().len());
        }
        let drawn = self
            .layout
            .as_mut()
            .is_some_and(|l| l.round(self.printer, stats, snapshot));
        if !drawn && self.print_rounds {
            self.printer
                .write_line(format_args!("{}", round_line(stats)));
        }
        if let Some(report) = &mut self.report {
            report.round(stats.round, snapshot);
        }
        self.rounds.push(stats.clone());
        self.progress.round(stats);
    }

    fn phase(&mut self, round: usize, phase: Phase, snapshot: &dyn Snapshot) {
        if let Some(layout) = &mut self.layout {
            layout.phase(round, phase, snapshot);
        }
        if let Some(report) = &mut self.report {
            report.phase(snapshot);
        }
    }
}

/// Runs every run of `plan` on `input`, one after another, and compares them;
/// with the first out-of-memory error of a run, if any.
///
/// # Errors
///
/// A run's buffers cannot be provided, the input is invalid, or the trace
/// cannot be written.
pub(super) fn run_all<W: Write + Send>(
    plan: &Plan,
    input: &[u8],
    sinks: &mut Sinks<'_, W>,
) -> Result<(Comparison, Option<OutOfMemory>)> {
    let mut reports = Vec::with_capacity(plan.runs.len());
    let mut failure = None;
    for (i, run) in plan.runs.iter().enumerate() {
        if !plan.view.single && plan.view.layout.is_some() {
            if i > 0 {
                sinks.printer.write_line(format_args!(""));
            }
            sinks.printer.write_line(format_args!(
                "{}:",
                heading(run.kind, &run.label, plan.options.buffer_size)
            ));
        }
        let options = RunOptions {
            cells: run.cells,
            ..plan.options
        };
        let (report, error) = run_one(run, input, &plan.name, &options, plan.view, sinks)?;
        reports.push(report);
        failure = failure.or(error);
    }
    // A run that ran out in round 0 never parsed the input: count the elves here.
    let elves = reports
        .iter()
        .find(|r| !r.rounds.is_empty())
        .map(|r| r.elves)
        .or_else(|| crate::grid::parse(input).ok().map(|p| p.len()))
        .unwrap_or(0);
    for report in &mut reports {
        report.elves = elves;
    }
    let comparison = Comparison::new(plan.name.clone(), elves, plan.options.buffer_size, reports);
    Ok((comparison, failure))
}

/// Runs one run with the observers `view` asks for; its report (with the elf
/// count it saw, 0 if it never parsed) and, if a buffer ran out, why.
fn run_one<W: Write + Send>(
    run: &Run,
    input: &[u8],
    name: &str,
    options: &RunOptions,
    view: View,
    sinks: &mut Sinks<'_, W>,
) -> Result<(RunReport, Option<OutOfMemory>)> {
    let (kind, label) = (run.kind, run.label.as_str());
    let mut observer = RunObserver {
        printer: sinks.printer,
        print_rounds: view.print_rounds,
        layout: sinks
            .layout
            .as_mut()
            .map(|l| l.run(kind.name(), kind == StrategyKind::TempCopy)),
        report: sinks
            .report
            .as_mut()
            .map(|r| r.run(kind == StrategyKind::TempCopy)),
        rounds: Vec::new(),
        elves: None,
        progress: sinks.progress.run(label.to_owned()),
    };
    let outcome = run_strategy(kind, input, options, &mut observer)?;
    let (rounds, elves) = (observer.rounds, observer.elves);
    if let Some(out) = &mut sinks.trace {
        let prefix = if view.single { "" } else { label };
        write_trace(out, prefix, &outcome.trace)?;
    }
    let (answers, ending, failure) = match outcome.result {
        Ok(answers) => (answers, Outcome::completed(&answers, &rounds), None),
        Err(SolveError::OutOfMemory { error, reached }) => {
            (reached, Outcome::from(&error), Some(error))
        }
        Err(e @ SolveError::Parse(_)) => {
            return Err(anyhow::Error::new(e).context(format!("invalid input '{name}'")));
        }
        Err(e) => return Err(e.into()),
    };
    sinks.progress.finish_run(match ending {
        Outcome::OutOfMemory { round, .. } => {
            format!("{label}: out of memory in round {round}")
        }
        Outcome::Finished { .. } | Outcome::Stopped { .. } => format!("{label}: done"),
    });
    let buffered = kind != StrategyKind::Heap;
    let report = RunReport::new(
        kind.name(),
        options.cells.name(),
        buffered.then_some(options.buffer_size),
        elves.unwrap_or(0),
        ending,
        answers,
        rounds,
    );
    Ok((report, failure))
}
