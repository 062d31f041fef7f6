//! # What to do about a run that ran out of memory
//!
//! Advice is only worth giving when following it works. So [`advise`] finds
//! it by running again: the same run over larger heap buffers until it
//! completes (their pages are touched only as the allocator hands them out),
//! which gives the buffer size it needs; and the other bump strategies over
//! the size the user gave, to name those that complete within it. Nothing is
//! extrapolated.
//!
//! A run's work grows with its elves, so these runs are made only for inputs
//! of up to [`ADVICE_ELVES`] elves (a puzzle input has about 2,500). For a
//! larger input, or when the buffers it would need are more than `limit`,
//! the advice is what the failed run itself proves: the least it needs.

use std::fmt;

use super::{Plan, Run, run_in};
use crate::alloc::{AllocatorKind, BUFFER_ALIGN, with_heap_buffers};
use crate::engine::Snapshot;
use crate::error::{OutOfMemory, SolveError};
use crate::report::RoundStats;
use crate::strategy::StrategyKind;
use crate::units::human_bytes;

/// The most elves an input may have for [`advise`] to run it again.
pub const ADVICE_ELVES: usize = 5_000;

/// What the user can do about an exhausted buffer, every part of it tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    /// The buffer size the run needs.
    pub size: SizeAdvice,
    /// The other strategies that complete within the buffer size given.
    pub within: Vec<StrategyKind>,
}

/// The `--buffer-size` a run needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeAdvice {
    /// It completes with this size or more; with Zig's allocator, a byte
    /// less runs out.
    Completes {
        /// The size.
        bytes: usize,
        /// It is the smallest that works (Zig's allocator, whose allocations
        /// do not depend on the buffer's size while they fit).
        smallest: bool,
    },
    /// It needs at least this many bytes: what was in use when it ran out
    /// plus what it asked for.
    AtLeast(usize),
    /// It ran out even with buffers of this size, the largest tried within
    /// the memory available.
    MoreThan(usize),
}

impl fmt::Display for Advice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let size = |bytes: usize| {
            if bytes < 1024 {
                bytes.to_string()
            } else {
                format!("{bytes} ({})", human_bytes(bytes))
            }
        };
        match self.size {
            SizeAdvice::Completes {
                bytes,
                smallest: true,
            } => write!(
                f,
                "the smallest --buffer-size with which it completes is {}",
                size(bytes)
            )?,
            SizeAdvice::Completes {
                bytes,
                smallest: false,
            } => write!(f, "it completes with --buffer-size {}", size(bytes))?,
            SizeAdvice::AtLeast(bytes) => {
                write!(f, "it needs a --buffer-size of at least {}", size(bytes))?;
            }
            SizeAdvice::MoreThan(bytes) => write!(
                f,
                "it runs out even with --buffer-size {}, the largest tried within the memory available",
                size(bytes)
            )?,
        }
        if let Some((last, others)) = self.within.split_last() {
            let names: Vec<&str> = others.iter().map(|s| s.name()).collect();
            let names = if names.is_empty() {
                last.name().to_owned()
            } else {
                format!("{} or {}", names.join(", "), last.name())
            };
            write!(f, "; --strategy {names} completes with this --buffer-size")?;
        }
        Ok(())
    }
}

/// How one try of a run ended.
enum Try {
    /// It completed; its buffers' largest peak.
    Completed(usize),
    /// It ran out again, needing at least this many bytes.
    RanOut(usize),
    /// It stopped for another reason: the input is invalid past what the
    /// smaller buffer read.
    Invalid,
    /// The heap could not give its buffers.
    Refused,
}

/// Runs `run` of `plan` on `input` with buffers of `size` bytes.
fn try_run(plan: &Plan, run: &Run, input: &[u8], size: usize) -> Try {
    let plan = Plan {
        buffer_size: size,
        trace: false,
        ..plan.clone()
    };
    let mut peak = 0;
    let mut observer = |stats: &RoundStats, _: &dyn Snapshot| {
        for b in &stats.buffers {
            peak = peak.max(b.peak_bytes);
        }
    };
    let outcome = with_heap_buffers(&plan.buffers(run), |bufs| {
        run_in(&plan, run, input, &mut observer, bufs)
    });
    match outcome.map(|o| o.result) {
        Ok(Ok(_)) => Try::Completed(peak),
        Ok(Err(SolveError::OutOfMemory { error, .. })) => Try::RanOut(least_needed(&error)),
        Ok(Err(_)) => Try::Invalid,
        Err(_) => Try::Refused,
    }
}

/// The least buffer size `error` proves its run needs.
fn least_needed(error: &OutOfMemory) -> usize {
    let on_top = error.chunk.map_or(error.requested, |c| c.smallest);
    error
        .in_use
        .saturating_add(error.padding)
        .saturating_add(on_top)
}

/// The advice for `run` of `plan`, which ran out with `error` on `input`;
/// no try uses buffers of more than `limit` bytes in all.
#[must_use]
pub fn advise(plan: &Plan, run: &Run, input: &[u8], error: &OutOfMemory, limit: usize) -> Advice {
    let least = least_needed(error);
    // An input invalid past what the buffer held has no elves to count, and
    // no replay would complete.
    let elves = crate::grid::parse(input).map_or(usize::MAX, |e| e.len());
    if elves > ADVICE_ELVES || run.strategy.buffers().is_empty() {
        return Advice {
            size: SizeAdvice::AtLeast(least),
            within: Vec::new(),
        };
    }
    let per_buffer = (limit / run.strategy.buffers().len()) / BUFFER_ALIGN * BUFFER_ALIGN;
    Advice {
        size: size_needed(plan, run, input, least, per_buffer),
        within: StrategyKind::ALL
            .into_iter()
            .filter(|&s| s != run.strategy && !s.buffers().is_empty())
            .filter(|&strategy| {
                let other = Run {
                    strategy,
                    ..run.clone()
                };
                matches!(
                    try_run(plan, &other, input, plan.buffer_size),
                    Try::Completed(_)
                )
            })
            .collect(),
    }
}

/// The buffer size `run` needs, trying sizes from `least` up, doubling, to
/// `max`.
fn size_needed(plan: &Plan, run: &Run, input: &[u8], least: usize, max: usize) -> SizeAdvice {
    let mut size = least.max(plan.buffer_size.saturating_mul(2));
    let mut tried = None;
    while size <= max {
        match try_run(plan, run, input, size) {
            Try::Completed(peak) => {
                return SizeAdvice::Completes {
                    bytes: peak,
                    smallest: run.allocator == AllocatorKind::Zig,
                };
            }
            Try::RanOut(needed) => {
                tried = Some(size);
                size = needed.max(size.saturating_mul(2));
            }
            Try::Invalid => return SizeAdvice::AtLeast(least),
            Try::Refused => break,
        }
    }
    tried.map_or(SizeAdvice::AtLeast(least), SizeAdvice::MoreThan)
}
