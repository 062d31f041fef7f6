//! # Running a solve's plan
//!
//! [`run_all`] runs the runs of a [`Plan`] concurrently, up to `--jobs` at a
//! time and as many as fit the available memory ([`crate::cli::jobs`]), each
//! on a thread whose stack holds its buffers ([`run_on_stack`]), watched by
//! a [`RunObserver`] that records its rounds and turns them into text (round
//! lines, layout pictures) and progress figures. This thread takes them in
//! plan order, a run as soon as every run before it is done, and feeds the
//! sinks (the output, the legend, the progress line, the trace) exactly as
//! if the runs had gone one after another; the session's [`Results`] gather
//! their reports.

use std::io::Write;
use std::ops::ControlFlow;

use anyhow::Result;

use super::exports::write_trace;
use super::layout::{LayoutRun, LayoutSink, Pictures};
use super::options::Solve;
use super::rounds::{RoundLine, RoundPrinter};
use crate::cli::jobs::{Delivery, Outbox, Pool, run_in_order};
use crate::cli::outfile::OutFile;
use crate::cli::progress::{Progress, RunProgress};
use crate::cli::stack::run_on_stack;
use crate::engine::{Observer, Phase, Snapshot};
use crate::report::{Outcome, RoundStats};
use crate::session::record::ReportSink;
use crate::session::{Plan, Recording, Results, Run, RunOutcome, Session};
use crate::strategy::StrategyKind;
use crate::units::count_grouped;

/// `leaky (buffer main of 4,000 bytes)`, above a run's layouts.
fn heading(run: &Run, buffer_size: usize) -> String {
    match run.strategy {
        StrategyKind::Heap => format!("{} ({})", run.label, run.strategy.buffers_in_words()),
        kind => format!(
            "{} ({} of {})",
            run.label,
            kind.buffers_in_words(),
            count_grouped(buffer_size, "byte")
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
struct Finished<'m> {
    outcome: RunOutcome,
    recording: Recording<'m>,
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

/// Watches one run: records every round, and sends its round lines,
/// layout pictures and progress figures.
struct RunObserver<'m, 'o> {
    out: RunText<'o>,
    print_rounds: bool,
    send_rounds: bool,
    layout: Option<LayoutRun>,
    recording: Recording<'m>,
}

impl Observer for RunObserver<'_, '_> {
    fn round(&mut self, stats: RoundStats, snapshot: &dyn Snapshot) {
        let drawn = self
            .layout
            .as_mut()
            .is_some_and(|l| l.round(&mut self.out, &stats, snapshot));
        if !drawn && self.print_rounds {
            self.out.round_line(&stats);
        }
        // A copy only for the progress display, sent after the text (a run
        // with a progress line has live text).
        let sent = self.send_rounds.then(|| stats.clone());
        self.recording.round(stats, snapshot);
        self.out.end_round();
        if let Some(stats) = sent {
            self.out.outbox.send(Event::Round(stats));
        }
    }

    fn phase(&mut self, round: usize, phase: Phase, snapshot: &dyn Snapshot) {
        if let Some(layout) = &mut self.layout {
            layout.phase(round, phase, snapshot);
        }
        self.recording.phase(round, phase, snapshot);
    }
}

/// Runs every run of `solve`'s plan on `input`, `--jobs` at a time, and
/// compares them. Every output is the same whatever `--jobs` is.
///
/// # Errors
///
/// A run's buffers cannot be provided, the input is invalid, or the trace
/// cannot be written: the first such error in plan order (the runs after
/// it are not reported).
pub(super) fn run_all<W: Write + Send>(
    solve: &Solve,
    input: &[u8],
    sinks: &mut Sinks<'_, W>,
) -> Result<Session> {
    let Sinks {
        live_text,
        printer,
        layout,
        progress,
        trace,
        report,
    } = sinks;
    let (plan, view) = (&solve.plan, solve.view);
    let moves = report.as_ref().map(|r| &r.moves);
    let (layout_options, send_rounds) = (
        layout.as_ref().map(LayoutSink::options),
        progress.is_enabled(),
    );
    let mut results = Results::default();
    let mut error = None;
    // The run being delivered, and its part of the progress line.
    let mut current: Option<(usize, RunProgress)> = None;
    run_in_order(
        &plan.runs,
        Pool::new(solve.jobs, plan.runs.len()),
        |run| plan.buffer_bytes(run),
        |run, outbox| {
            let mut observer = RunObserver {
                out: RunText {
                    buf: Vec::new(),
                    live: *live_text || send_rounds,
                    outbox,
                },
                print_rounds: view.print_rounds,
                send_rounds,
                layout: layout_options.map(|o| LayoutRun::new(o, run.strategy)),
                recording: Recording::new(run, moves),
            };
            let outcome = run_on_stack(plan, run, input, &mut observer);
            // The last batch of text, before the run is done (or fails).
            observer.out.flush();
            outcome.map(|outcome| Finished {
                outcome,
                recording: observer.recording,
            })
        },
        |i, delivery| {
            let run = &plan.runs[i];
            if current.as_ref().is_none_or(|&(k, _)| k != i) {
                if !view.single && view.layout.is_some() {
                    if i > 0 {
                        printer.write_line(format_args!(""));
                    }
                    printer.write_line(format_args!("{}:", heading(run, plan.buffer_size)));
                }
                current = Some((i, progress.run(run.label.clone())));
            }
            let finished = match delivery {
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
                Delivery::Done(finished) => finished,
            };
            let result = finished
                .map_err(anyhow::Error::new)
                .and_then(|finished| finish(plan, run, finished, trace, progress, &mut results));
            match result {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    error = Some(e);
                    ControlFlow::Break(())
                }
            }
        },
    );
    match error {
        Some(e) => Err(e),
        None => Ok(results.finish(plan, input)),
    }
}

/// Takes a run that is done (on the delivering thread, in plan order): its
/// trace, its report, and its line of progress.
fn finish(
    plan: &Plan,
    run: &Run,
    finished: Finished<'_>,
    trace: &mut Option<OutFile>,
    progress: &mut Progress,
    results: &mut Results,
) -> Result<()> {
    let Finished { outcome, recording } = finished;
    if let Some(out) = trace {
        let prefix = if plan.is_single() {
            ""
        } else {
            run.label.as_str()
        };
        write_trace(out, prefix, &outcome.trace)?;
    }
    let report = results.add(plan, run, outcome.result, recording)?;
    let label = &run.label;
    progress.finish_run(match report.outcome {
        Outcome::OutOfMemory { round, .. } => {
            format!("{label}: out of memory in round {round}")
        }
        Outcome::Finished { .. } | Outcome::Stopped { .. } => format!("{label}: done"),
    });
    Ok(())
}
