//! # Running the strategies
//!
//! [`run_strategy`] runs one strategy on a thread whose stack holds its
//! buffers. [`run_all`] runs the runs of a [`Plan`] concurrently, up to
//! `--jobs` at a time and as many as fit the available memory
//! ([`crate::runner::jobs`]), each watched by a [`RunObserver`] that records its
//! rounds and turns them into text (round lines, layout pictures) and
//! progress figures. This thread takes them in plan order, a run as soon as
//! every run before it is done, and feeds the sinks (the output, the legend,
//! the progress line, the trace, the HTML report) exactly as if the runs had
//! gone one after another; then it gathers the reports into a [`Comparison`].

use std::io::Write;
use std::ops::ControlFlow;

use anyhow::Result;

use super::exports::{OutFile, write_trace};
use super::layout::{LayoutRun, LayoutSink, Pictures};
use super::options::{Plan, Run, View};
use super::rounds::{RoundLine, RoundPrinter};
use crate::cli::StrategyKind;
use crate::engine::{Observer, Phase, Snapshot};
use crate::error::{OutOfMemory, SolveError};
use crate::runner::jobs::{Delivery, Outbox, Pool, run_in_order};
use crate::runner::record::{ReportRun, ReportSink, RunLayouts};
use crate::runner::{RunOptions, RunOutcome, run_report, run_strategy, stack_bytes};

use crate::progress::{Progress, RunProgress};
use crate::report::{Comparison, Outcome, RoundStats, RunReport};
use crate::units::thousands;

/// The buffers a strategy gets, for messages.
fn buffer_names(kind: StrategyKind) -> &'static str {
    match kind {
        StrategyKind::Leaky | StrategyKind::Reuse => "buffer main",
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
    /// Whether the round lines and pictures go to a terminal, where they
    /// are the progress display: then each round's text is sent when the
    /// round ends, else in batches ([`RunText::end_round`]).
    pub(super) live_text: bool,
    pub(super) printer: &'a mut RoundPrinter<W>,
    pub(super) layout: Option<LayoutSink>,
    pub(super) progress: Progress,
    pub(super) trace: Option<OutFile>,
    pub(super) report: Option<ReportSink>,
}

/// What a run sends while it goes, in the order it happens.
#[derive(Debug)]
enum Event {
    /// Lines of text: round lines and layout pictures.
    Text(Vec<u8>),
    /// The layout legend goes here, unless an earlier run has drawn it.
    Legend,
    /// A completed round, for the progress line.
    Round(RoundStats),
}

/// What a run leaves when it is done.
#[derive(Debug)]
struct Finished {
    outcome: RunOutcome,
    rounds: Vec<RoundStats>,
    elves: Option<usize>,
    layouts: Option<RunLayouts>,
}

/// A run's text (round lines, pictures), sent in order with its other
/// events: each round's as the round ends when someone watches it (a
/// terminal, or the progress line), else in batches of [`TEXT_BATCH`]
/// bytes.
#[derive(Debug)]
struct RunText<'o> {
    buf: Vec<u8>,
    /// Send each round's text as it ends.
    live: bool,
    outbox: Outbox<'o, Event>,
}

/// The bytes of text a run gathers before it sends them, when nobody
/// watches them come (a file, a pipe): a 70x70 run's 969 round lines go in
/// 3 sends instead of 969, each a block allocated, handed over, copied and
/// freed. The bytes and their order are the same either way.
const TEXT_BATCH: usize = 16 << 10;

impl RunText<'_> {
    /// Sends the text written since the last time.
    fn flush(&mut self) {
        if !self.buf.is_empty() {
            let text = std::mem::replace(&mut self.buf, Vec::with_capacity(128));
            self.outbox.send(Event::Text(text));
        }
    }

    /// Writes the round's line (`Round <i> memuse: <N>`, [`RoundLine`]).
    fn round_line(&mut self, stats: &RoundStats) {
        RoundLine(stats).write_into(&mut self.buf);
        self.buf.push(b'\n');
    }

    /// A round has ended: sends its text if the run is watched, or once a
    /// batch has gathered.
    fn end_round(&mut self) {
        if self.live || self.buf.len() >= TEXT_BATCH {
            self.flush();
        }
    }
}

impl Pictures for RunText<'_> {
    fn line(&mut self, line: std::fmt::Arguments<'_>) {
        // Writing to a `Vec` cannot fail.
        let _ = writeln!(self.buf, "{line}");
    }

    fn legend(&mut self) {
        self.flush();
        self.outbox.send(Event::Legend);
    }
}

/// Watches one strategy's run: records every round, and sends its round
/// lines, layout pictures and progress figures.
struct RunObserver<'m, 'o> {
    out: RunText<'o>,
    print_rounds: bool,
    send_rounds: bool,
    layout: Option<LayoutRun>,
    report: Option<ReportRun<'m>>,
    rounds: Vec<RoundStats>,
    elves: Option<usize>,
}

impl Observer for RunObserver<'_, '_> {
    fn round(&mut self, stats: RoundStats, snapshot: &dyn Snapshot) {
        if stats.round == 0 {
            self.elves = Some(snapshot.elf_count());
        }
        let drawn = self
            .layout
            .as_mut()
            .is_some_and(|l| l.round(&mut self.out, &stats, snapshot));
        if !drawn && self.print_rounds {
            self.out.round_line(&stats);
        }
        if let Some(report) = &mut self.report {
            report.round(stats.round, snapshot);
        }
        // A copy only for the progress display, sent after the text (a run
        // with a progress line has live text).
        let sent = self.send_rounds.then(|| stats.clone());
        self.rounds.push(stats);
        self.out.end_round();
        if let Some(stats) = sent {
            self.out.outbox.send(Event::Round(stats));
        }
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

/// Rounds' figures a run's observer reserves room for at the start: a
/// 70x70 puzzle input plays about 1,000 rounds. One block of 64 KiB instead
/// of eight doublings (4 to 1,024), each copying the figures so far into a
/// new block: 11 fewer page faults and about 0.07 ms on a 70x70 bit grid run
/// (docs/performance.md); the pages of the block a shorter run never reaches
/// are never touched.
const ROUNDS_RESERVED: usize = 1024;

/// Runs every run of `plan` on `input`, `--jobs` at a time, and compares
/// them; with the first out-of-memory error of a run in plan order, if any.
/// Every output is the same whatever `--jobs` is.
///
/// # Errors
///
/// A run's buffers cannot be provided, the input is invalid, or the trace
/// cannot be written: the first such error in plan order (the runs after
/// it are not reported).
pub(super) fn run_all<W: Write + Send>(
    plan: &Plan,
    input: &[u8],
    sinks: &mut Sinks<'_, W>,
) -> Result<(Comparison, Option<OutOfMemory>)> {
    let mut reports = Vec::with_capacity(plan.runs.len());
    let mut layouts = Vec::with_capacity(plan.runs.len());
    let mut failure = None;
    let mut error = None;
    let Sinks {
        live_text,
        printer,
        layout,
        progress,
        trace,
        report,
    } = sinks;
    let (view, options) = (plan.view, plan.options);
    let moves = report.as_ref().map(|r| &r.moves);
    let (layout_options, send_rounds) = (
        layout.as_ref().map(LayoutSink::options),
        progress.is_enabled(),
    );
    let pool = Pool::new(plan.jobs, plan.runs.len());
    if pool.threads <= 1 || plan.runs.len() <= 1 {
        // One run at a time: its thread can share the main thread's heap.
        crate::alloc::use_one_malloc_arena();
    }
    // The run being delivered, and its part of the progress line.
    let mut current: Option<(usize, RunProgress)> = None;
    run_in_order(
        &plan.runs,
        pool,
        |run| stack_bytes(run.kind, options.buffer_size),
        |run, outbox| {
            let observer = RunObserver {
                out: RunText {
                    buf: Vec::new(),
                    live: *live_text || send_rounds,
                    outbox,
                },
                print_rounds: view.print_rounds,
                send_rounds,
                layout: layout_options.map(|o| {
                    LayoutRun::new(o, run.kind.name(), run.kind == StrategyKind::TempCopy)
                }),
                report: moves.map(|m| ReportSink::run(m, run.kind == StrategyKind::TempCopy)),
                rounds: Vec::with_capacity(ROUNDS_RESERVED),
                elves: None,
            };
            watch(run, input, &options, observer)
        },
        |i, delivery| {
            let run = &plan.runs[i];
            if current.as_ref().is_none_or(|&(k, _)| k != i) {
                if !view.single && view.layout.is_some() {
                    if i > 0 {
                        printer.write_line(format_args!(""));
                    }
                    printer.write_line(format_args!(
                        "{}:",
                        heading(run.kind, &run.label, options.buffer_size)
                    ));
                }
                current = Some((i, progress.run(run.label.clone())));
            }
            let result = match delivery {
                Delivery::Message(Event::Text(bytes)) => {
                    printer.write_bytes(&bytes);
                    return ControlFlow::Continue(());
                }
                Delivery::Message(Event::Legend) => {
                    if let Some(layout) = layout.as_mut() {
                        layout.legend(printer);
                    }
                    return ControlFlow::Continue(());
                }
                Delivery::Message(Event::Round(stats)) => {
                    if let Some((_, p)) = &mut current {
                        p.round(&stats);
                    }
                    return ControlFlow::Continue(());
                }
                Delivery::Done(result) => result.and_then(|finished| {
                    let options = RunOptions {
                        cells: run.cells,
                        ..options
                    };
                    finish(run, &plan.name, &options, view, finished, trace, progress)
                }),
            };
            match result {
                Ok((report, run_layouts, oom)) => {
                    reports.push(report);
                    layouts.extend(run_layouts);
                    failure = failure.take().or(oom);
                    ControlFlow::Continue(())
                }
                Err(e) => {
                    error = Some(e);
                    ControlFlow::Break(())
                }
            }
        },
    );
    if let Some(e) = error {
        return Err(e);
    }
    if let Some(report) = report {
        report.runs = layouts;
    }
    let elves = crate::runner::share_elf_count(&mut reports, input);
    let comparison = Comparison::new(plan.name.clone(), elves, plan.options.buffer_size, reports);
    Ok((comparison, failure))
}

/// Runs `run` watched by `observer` (on this job's thread).
fn watch(
    run: &Run,
    input: &[u8],
    options: &RunOptions,
    mut observer: RunObserver<'_, '_>,
) -> Result<Finished> {
    let options = RunOptions {
        cells: run.cells,
        ..*options
    };
    let outcome = run_strategy(run.kind, input, &options, &mut observer);
    // The last batch of text, before the run is done (or fails).
    observer.out.flush();
    let outcome = outcome?;
    Ok(Finished {
        outcome,
        rounds: observer.rounds,
        elves: observer.elves,
        layouts: observer.report.map(ReportRun::into_layouts),
    })
}

/// Takes a run that is done (on the delivering thread, in plan order): its
/// trace, its line of progress, its report and layouts, and, if a buffer
/// ran out, why.
fn finish(
    run: &Run,
    name: &str,
    options: &RunOptions,
    view: View,
    finished: Finished,
    trace: &mut Option<OutFile>,
    progress: &mut Progress,
) -> Result<(RunReport, Option<RunLayouts>, Option<OutOfMemory>)> {
    let (kind, label) = (run.kind, run.label.as_str());
    let Finished {
        outcome,
        rounds,
        elves,
        layouts,
    } = finished;
    if let Some(out) = trace {
        let prefix = if view.single { "" } else { label };
        write_trace(out, prefix, &outcome.trace)?;
    }
    let (report, failure) = run_report(
        kind,
        options.cells,
        options.buffer_size,
        elves,
        rounds,
        outcome.result,
    )
    .map_err(|e| match e {
        e @ SolveError::Parse(_) => {
            anyhow::Error::new(e).context(format!("invalid input '{name}'"))
        }
        e => e.into(),
    })?;
    progress.finish_run(match report.outcome {
        Outcome::OutOfMemory { round, .. } => {
            format!("{label}: out of memory in round {round}")
        }
        Outcome::Finished { .. } | Outcome::Stopped { .. } => format!("{label}: done"),
    });
    Ok((report, layouts, failure))
}
