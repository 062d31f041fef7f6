//! # Running one strategy over its buffers
//!
//! The layer every front end stands on: the command line ([`crate::app`]),
//! `day23 check` ([`crate::check`]) and the page in the browser (`web/`).
//! [`run_in`] runs one strategy with one kind of cells over buffers that
//! someone else provides, and [`run_report`] turns what it returned into the
//! [`RunReport`] every output is drawn from; [`record`] gathers what the
//! HTML viewer shows. Where the buffers come from is the only difference
//! between front ends:
//!
//! * `native` (with the `cli` feature): a thread whose stack holds them,
//!   [`run_strategy`], and the [`jobs`] that run several at once (`--jobs`);
//! * [`heap`]: one 64-byte-aligned heap block, as in the page's WebAssembly
//!   memory, where there are no threads to give a stack.
//!
//! Either way each buffer starts at a multiple of [`BUFFER_ALIGN`] and has
//! exactly the requested size, so every figure (alignment padding included)
//! is the same wherever the buffers live.
//!
//! [`BUFFER_ALIGN`]: crate::alloc::BUFFER_ALIGN

pub mod heap;
#[cfg(feature = "cli")]
pub mod jobs;
#[cfg(feature = "cli")]
mod native;
pub mod record;

use core::mem::MaybeUninit;

use crate::alloc::{AllocatorKind, BumpArena, FixedBufferAllocator, Trace, TraceEvent};
use crate::answers::Answers;
use crate::cells::CellKind;
use crate::engine::{Limits, Observer, solve_cells};
use crate::error::{OutOfMemory, SolveError};
use crate::report::{Outcome, RoundStats, RunReport};
use crate::strategy::{Heap, Leaky, PingPong, Reuse, StrategyKind, TempCopy};

#[cfg(feature = "cli")]
pub use self::native::{run_strategy, stack_bytes};

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
    /// The bump allocator behind the buffers (`--allocator`).
    pub allocator: AllocatorKind,
}

/// Runs `kind` with `options.cells` on `input`, its buffers `bufs` (one
/// per entry of [`buffer_sizes`], in that order, each
/// [`BUFFER_ALIGN`](crate::alloc::BUFFER_ALIGN)-aligned).
#[must_use]
pub fn run_in(
    kind: StrategyKind,
    input: &[u8],
    options: &RunOptions,
    observer: &mut dyn Observer,
    mut bufs: Vec<&mut [MaybeUninit<u8>]>,
) -> RunOutcome {
    let limits = options.limits;
    if options.allocator == AllocatorKind::Bumpalo && kind != StrategyKind::Heap {
        return run_on_bumpalo(kind, input, options, observer);
    }
    let tracing = options.trace;
    let cells = options.cells;
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
        StrategyKind::Reuse => {
            solve_cells(&Reuse::new(fba("main")), cells, input, &limits, observer)
        }
        StrategyKind::Heap => solve_cells(&Heap::new(), cells, input, &limits, observer),
    };
    RunOutcome {
        result,
        trace: trace.take(),
    }
}

/// Runs `kind` on `bumpalo::Bump` arenas, one per buffer, each capped at
/// `options.buffer_size` bytes taken from the heap (no trace: the trace
/// records Zig's allocator).
fn run_on_bumpalo(
    kind: StrategyKind,
    input: &[u8],
    options: &RunOptions,
    observer: &mut dyn Observer,
) -> RunOutcome {
    let (limits, cells) = (options.limits, options.cells);
    let bump = |name| BumpArena::new(name, options.buffer_size);
    let result = match kind {
        StrategyKind::Leaky => {
            solve_cells(&Leaky::new(bump("main")), cells, input, &limits, observer)
        }
        StrategyKind::TempCopy => {
            let strategy = TempCopy::new(bump("main"), bump("temp"));
            solve_cells(&strategy, cells, input, &limits, observer)
        }
        StrategyKind::PingPong => {
            let strategy = PingPong::new(bump("a"), bump("b"));
            solve_cells(&strategy, cells, input, &limits, observer)
        }
        StrategyKind::Reuse => {
            solve_cells(&Reuse::new(bump("main")), cells, input, &limits, observer)
        }
        StrategyKind::Heap => solve_cells(&Heap::new(), cells, input, &limits, observer),
    };
    RunOutcome {
        result,
        trace: Vec::new(),
    }
}

/// The sizes of the buffers a run of `kind` with `options` needs provided:
/// [`buffer_sizes`], or none when bumpalo takes its chunks from the heap.
#[must_use]
pub fn provided_buffers(kind: StrategyKind, options: &RunOptions) -> Vec<usize> {
    match options.allocator {
        AllocatorKind::Zig => buffer_sizes(kind, options.buffer_size),
        AllocatorKind::Bumpalo => Vec::new(),
    }
}

/// The sizes of the buffers `kind` gets, in the order [`run_in`] takes them.
pub fn buffer_sizes(kind: StrategyKind, buffer_size: usize) -> Vec<usize> {
    match kind {
        StrategyKind::Leaky | StrategyKind::Reuse => vec![buffer_size],
        StrategyKind::TempCopy | StrategyKind::PingPong => vec![buffer_size, buffer_size],
        StrategyKind::Heap => Vec::new(),
    }
}

/// The report of a run of `kind` with `cells` that is done: its figures
/// (`rounds`), its answers or where it ran out, and, if a buffer ran out,
/// why.
///
/// # Errors
///
/// The run stopped for another reason than an exhausted buffer (the input
/// is invalid): its error, for the caller to word.
pub fn run_report(
    kind: StrategyKind,
    cells: CellKind,
    buffer_size: usize,
    elves: Option<usize>,
    rounds: Vec<RoundStats>,
    result: Result<Answers, SolveError>,
) -> Result<(RunReport, Option<OutOfMemory>), SolveError> {
    let (answers, ending, failure) = match result {
        Ok(answers) => (answers, Outcome::completed(&answers, &rounds), None),
        Err(SolveError::OutOfMemory { error, reached }) => {
            (reached, Outcome::from(&*error), Some(*error))
        }
        Err(e) => return Err(e),
    };
    let buffered = kind != StrategyKind::Heap;
    let report = RunReport::new(
        kind.name(),
        cells.name(),
        buffered.then_some(buffer_size),
        elves.unwrap_or(0),
        ending,
        answers,
        rounds,
    );
    Ok((report, failure))
}

/// Gives every report of a comparison the input's elf count: a run that ran
/// out in round 0 never parsed the input, so the count comes from a run that
/// did, or else from parsing `input` here. Returns that count.
pub fn share_elf_count(reports: &mut [RunReport], input: &[u8]) -> usize {
    let elves = reports
        .iter()
        .find(|r| !r.rounds.is_empty())
        .map(|r| r.elves)
        .or_else(|| crate::grid::parse(input).ok().map(|p| p.len()))
        .unwrap_or(0);
    for report in reports {
        report.elves = elves;
    }
    elves
}
