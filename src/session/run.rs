//! Running a plan's runs over buffers a front end provides, recording
//! them, and gathering their reports.

use core::mem::MaybeUninit;
use std::sync::Mutex;

use super::record::{Moves, ReportRun, RunLayouts};
use super::{Plan, Run};
use crate::alloc::{AllocatorKind, BumpArena, FixedBufferAllocator, Trace, TraceEvent};
use crate::answers::Answers;
use crate::engine::{Observer, Phase, Snapshot};
use crate::error::{OutOfMemory, SolveError};
use crate::report::{Comparison, Outcome, RoundStats, RunReport};

/// What one run produced.
#[derive(Debug)]
pub struct RunOutcome {
    /// The answers, or why the run stopped.
    pub result: Result<Answers, SolveError>,
    /// Zig's allocator events, when the plan asks for them.
    pub trace: Vec<TraceEvent>,
}

/// A run's buffers could not be provided.
#[derive(Debug, thiserror::Error)]
#[error(
    "could not provide {} of {} for --strategy {strategy}",
    crate::units::count(*count, "buffer"),
    crate::units::count(*size, "byte")
)]
pub struct NoBuffers {
    /// How many buffers.
    pub count: usize,
    /// Bytes per buffer.
    pub size: usize,
    /// The strategy's name.
    pub strategy: &'static str,
    /// Why.
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl Plan {
    /// Why `run`'s buffers could not be provided.
    pub fn no_buffers(
        &self,
        run: &Run,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> NoBuffers {
        NoBuffers {
            count: self.buffers(run).len(),
            size: self.buffer_size,
            strategy: run.strategy.name(),
            source: Box::new(source),
        }
    }
}

/// Runs `run` of `plan` on `input` over `bufs`, one per entry of
/// [`Plan::buffers`] in that order, each
/// [`BUFFER_ALIGN`](crate::alloc::BUFFER_ALIGN)-aligned.
#[must_use]
pub fn run_in(
    plan: &Plan,
    run: &Run,
    input: &[u8],
    observer: &mut dyn Observer,
    bufs: Vec<&mut [MaybeUninit<u8>]>,
) -> RunOutcome {
    let (kind, cells, limits) = (run.strategy, run.cells, &plan.limits);
    match run.allocator {
        AllocatorKind::Zig => {
            let trace = Trace::new();
            let mut bufs = bufs.into_iter();
            let fba = |name| {
                let buf = bufs.next().unwrap_or_default();
                let fba = FixedBufferAllocator::new(buf).with_name(name);
                if plan.trace {
                    fba.with_trace(trace.clone())
                } else {
                    fba
                }
            };
            let result = kind.solve(fba, cells, input, limits, observer);
            RunOutcome {
                result,
                trace: trace.take(),
            }
        }
        AllocatorKind::Bumpalo => {
            let bump = |name| BumpArena::new(name, plan.buffer_size);
            RunOutcome {
                result: kind.solve(bump, cells, input, limits, observer),
                trace: Vec::new(),
            }
        }
    }
}

/// Rounds' figures a recording reserves room for at the start: a puzzle
/// input plays about 1,000 rounds, and one block up front spares the
/// copies of growing it by doubling.
const ROUNDS_RESERVED: usize = 1024;

/// Records one run as it goes: every round's figures, the elf count, and
/// (for the HTML viewer) its layouts and the elves' moves.
#[derive(Debug)]
pub struct Recording<'m> {
    rounds: Vec<RoundStats>,
    elves: Option<usize>,
    report: Option<ReportRun<'m>>,
}

impl<'m> Recording<'m> {
    /// A recording of `run`, of its layouts too when `moves` is the
    /// viewer's (shared by every run of the session).
    #[must_use]
    pub fn new(run: &Run, moves: Option<&'m Mutex<Moves>>) -> Self {
        Self {
            rounds: Vec::with_capacity(ROUNDS_RESERVED),
            elves: None,
            report: moves.map(|m| ReportRun::new(m, run.strategy.copies_back())),
        }
    }
}

impl Observer for Recording<'_> {
    fn round(&mut self, stats: RoundStats, snapshot: &dyn Snapshot) {
        if stats.round == 0 {
            self.elves = Some(snapshot.elf_count());
        }
        if let Some(report) = &mut self.report {
            report.round(stats.round, snapshot);
        }
        self.rounds.push(stats);
    }

    fn phase(&mut self, _round: usize, _phase: Phase, snapshot: &dyn Snapshot) {
        if let Some(report) = &mut self.report {
            report.phase(snapshot);
        }
    }
}

/// A run that stopped for another reason than an exhausted buffer.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The input is not a puzzle input.
    #[error("invalid input '{input}'")]
    InvalidInput {
        /// The input's name.
        input: String,
        /// What is wrong with it.
        #[source]
        source: SolveError,
    },
    /// An internal invariant broke.
    #[error(transparent)]
    Broken(SolveError),
}

impl Plan {
    /// The answers a finished run reached (all of them, or those before its
    /// buffer ran out), and why it ran out if it did.
    ///
    /// # Errors
    ///
    /// The run stopped for another reason (the input is invalid).
    pub fn answers(
        &self,
        result: Result<Answers, SolveError>,
    ) -> Result<(Answers, Option<OutOfMemory>), RunError> {
        match result {
            Ok(answers) => Ok((answers, None)),
            Err(SolveError::OutOfMemory { error, reached }) => Ok((reached, Some(*error))),
            Err(source @ SolveError::Parse(_)) => Err(RunError::InvalidInput {
                input: self.input.clone(),
                source,
            }),
            Err(e) => Err(RunError::Broken(e)),
        }
    }
}

/// The reports of a plan's runs, added in plan order as each finishes.
#[derive(Debug, Default)]
pub struct Results {
    reports: Vec<RunReport>,
    layouts: Vec<RunLayouts>,
    failure: Option<OutOfMemory>,
}

/// A session's outcome: what every output is drawn from.
#[derive(Debug)]
pub struct Session {
    /// Every run's report.
    pub comparison: Comparison,
    /// The first run's out-of-memory error, in plan order, if any ran out.
    pub failure: Option<OutOfMemory>,
    /// Each run's layouts, when they were recorded for the viewer.
    pub layouts: Vec<RunLayouts>,
}

impl Results {
    /// Adds `run`, finished with `result` and recorded in `recording`;
    /// returns its report.
    ///
    /// # Errors
    ///
    /// The run stopped for another reason than an exhausted buffer.
    pub fn add(
        &mut self,
        plan: &Plan,
        run: &Run,
        result: Result<Answers, SolveError>,
        recording: Recording<'_>,
    ) -> Result<&RunReport, RunError> {
        let (answers, failure) = plan.answers(result)?;
        let Recording {
            rounds,
            elves,
            report,
        } = recording;
        let outcome = match &failure {
            None => Outcome::completed(&answers, &rounds),
            Some(error) => Outcome::from(error),
        };
        let buffered = !run.strategy.buffers().is_empty();
        self.reports.push(RunReport::new(
            run.strategy.name(),
            run.cells.name(),
            buffered.then_some(plan.buffer_size),
            elves.unwrap_or(0),
            outcome,
            answers,
            rounds,
        ));
        self.layouts.extend(report.map(ReportRun::into_layouts));
        self.failure = self.failure.take().or(failure);
        Ok(&self.reports[self.reports.len() - 1])
    }

    /// The comparison of every run added, for `input`. A run that ran out in
    /// round 0 never counted the elves, so the count comes from a run that
    /// did, or else from parsing `input` here.
    #[must_use]
    pub fn finish(mut self, plan: &Plan, input: &[u8]) -> Session {
        let elves = self
            .reports
            .iter()
            .find(|r| !r.rounds.is_empty())
            .map(|r| r.elves)
            .or_else(|| crate::grid::parse(input).ok().map(|p| p.len()))
            .unwrap_or(0);
        for report in &mut self.reports {
            report.elves = elves;
        }
        Session {
            comparison: Comparison::new(plan.input.clone(), elves, plan.buffer_size, self.reports),
            failure: self.failure,
            layouts: self.layouts,
        }
    }
}
