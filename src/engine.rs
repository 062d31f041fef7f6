//! # The driver: rounds until both answers, for any strategy
//!
//! [`solve`] follows the write-up's memory model exactly:
//!
//! 1. The input's bytes are copied into the strategy's home buffer (unless
//!    [`Limits::input_in_buffer`] is off), as Zig's `readFileAlloc` would.
//! 2. They are parsed and the elves inserted into one set reserved for exactly
//!    the elf count. Then the input is freed: the set was allocated after it,
//!    so a bump buffer reclaims nothing (the write-up's footnote 5).
//!    `Round 0` is reported.
//! 3. Each round allocates one new set reserved for the elf count (where the
//!    strategy says), fills it with [`crate::sim::step`], and releases the old
//!    one. `tempcopy` instead copies the new points back into the old set and
//!    leaves the new one where it is, as the write-up's `step_with_tempalloc`
//!    does ("new_cells is invalidated. no need to free it manually"): `temp`
//!    holds one set at the end of every round, and is emptied when the next
//!    round begins. (Zig's `reset` just drops it; here it is dropped first, a
//!    free of `temp`'s last block, then `temp` is reset: the same `end_index`
//!    at every moment, and the reset can check that nothing is left live.)
//!    `reuse` allocates a spare set right after the first one (round 0) and
//!    each round clears it, fills it and swaps the two: nothing allocated,
//!    nothing freed.
//!
//! It stops once part 1 (after round 10) and part 2 (the first round in which
//! no elf moves) are both known, or at [`Limits::max_rounds`].

use crate::alloc::{AllocVec, Arena};
use crate::answers::Answers;
use crate::cells::bitgrid::BitGrid;
use crate::cells::zigmap::ZigMap;
use crate::cells::{AllocFailure, CellKind, Cells, Generation};
use crate::error::{OutOfMemory, SolveError};
use crate::grid::{Point2D, parse};
use crate::report::{BufferLayout, BufferRound, RoundStats};
use crate::sim::ElfSet;
use crate::strategy::Strategy;

/// The round after which part 1 is measured.
pub const PART1_ROUNDS: usize = 10;

/// How far a run goes and where the input lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Stop after this many rounds even without both answers.
    pub max_rounds: Option<usize>,
    /// Copy the input's bytes into the home buffer before parsing.
    pub input_in_buffer: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_rounds: None,
            input_in_buffer: true,
        }
    }
}

/// Lets an observer look at the state after a round, on demand.
pub trait Snapshot {
    /// The elves' positions, sorted by (y, x).
    fn elves(&self) -> Vec<Point2D>;
    /// How many elves there are (without listing them).
    fn elf_count(&self) -> usize;
    /// Every buffer's blocks (empty for the heap).
    fn layouts(&self) -> Vec<BufferLayout>;
}

/// A moment inside round 1, 2, ..., reported to [`Observer::phase`]: the
/// write-up's three lines per round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// The round begins: after the strategy's `begin_round` (tempcopy's
    /// reset of `temp`), before the new generation is allocated.
    Start,
    /// The new generation allocated and filled while the old one is still
    /// live: the round's peak.
    Alloc,
    /// The old generation freed and replaced by the new one, or (tempcopy)
    /// the new one copied back into it: the state the round ends with.
    Swap,
}

impl Phase {
    /// Every phase, in the order a round goes through them.
    pub const ALL: [Self; 3] = [Self::Start, Self::Alloc, Self::Swap];

    /// The phase's name in the layout pictures and the report, as the
    /// write-up labels its lines: `start`, `alloc`, and `swap` (or `copy`
    /// for a strategy that copies the new generation back).
    #[must_use]
    pub fn label(self, copies_back: bool) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Alloc => "alloc",
            Self::Swap if copies_back => "copy",
            Self::Swap => "swap",
        }
    }
}

/// Receives every completed round, `Round 0` included, and the phases of
/// rounds 1, 2, ...
pub trait Observer {
    /// Called after each completed round with its figures, which the
    /// observer may keep (they are made for it, so keeping them costs no
    /// copy).
    fn round(&mut self, stats: RoundStats, snapshot: &dyn Snapshot);

    /// Called at each [`Phase`] of round `round` (1-based), before
    /// [`Observer::round`] reports it. In the snapshot, the elves are the
    /// old generation at [`Phase::Start`] and [`Phase::Alloc`], the new one
    /// at [`Phase::Swap`]. Does nothing unless implemented.
    fn phase(&mut self, round: usize, phase: Phase, snapshot: &dyn Snapshot) {
        let _ = (round, phase, snapshot);
    }
}

/// An observer that ignores everything.
impl Observer for () {
    fn round(&mut self, _: RoundStats, _: &dyn Snapshot) {}
}

/// Any closure over the figures is an observer.
impl<F: FnMut(&RoundStats, &dyn Snapshot)> Observer for F {
    fn round(&mut self, stats: RoundStats, snapshot: &dyn Snapshot) {
        self(&stats, snapshot);
    }
}

struct State<'s, S, C> {
    strategy: &'s S,
    elves: &'s C,
}

impl<'s, S, C> State<'s, S, C> {
    fn new(strategy: &'s S, elves: &'s C) -> Self {
        Self { strategy, elves }
    }
}

impl<S: Strategy, C: Generation> Snapshot for State<'_, S, C> {
    fn elves(&self) -> Vec<Point2D> {
        self.elves.positions()
    }

    fn elf_count(&self) -> usize {
        self.elves.elf_count()
    }

    fn layouts(&self) -> Vec<BufferLayout> {
        let mut layouts = Vec::new();
        for b in self.strategy.buffers() {
            if let Some(chunks) = b.chunk_layouts() {
                // bumpalo: each chunk a strip of its own.
                layouts.extend(chunks.into_iter().enumerate().map(|(i, c)| BufferLayout {
                    name: b.name(),
                    capacity_bytes: c.size,
                    end_index: c.used,
                    blocks: c.blocks,
                    chunk: Some(i),
                }));
            } else if let Some(capacity_bytes) = b.capacity() {
                layouts.push(BufferLayout {
                    name: b.name(),
                    capacity_bytes,
                    end_index: b.in_use(),
                    blocks: b.blocks(),
                    chunk: None,
                });
            }
        }
        layouts
    }
}

/// The figures of every buffer of `strategy` now.
fn round_stats<S: Strategy>(strategy: &S, round: usize, elves_moved: usize) -> RoundStats {
    let buffers: Vec<BufferRound> = strategy
        .buffers()
        .iter()
        .map(|b| {
            let stats = b.stats();
            BufferRound {
                name: b.name(),
                bytes_in_use: b.in_use(),
                live_bytes: stats.live_bytes,
                peak_bytes: stats.window_peak_bytes,
                chunks: b.chunks(),
            }
        })
        .collect();
    RoundStats {
        round,
        elves_moved,
        bytes_in_use: buffers.iter().map(|b| b.bytes_in_use).sum(),
        live_bytes: buffers.iter().map(|b| b.live_bytes).sum(),
        peak_bytes: buffers.iter().map(|b| b.peak_bytes).sum(),
        buffers,
    }
}

/// [`solve`] with the elves stored as `cells` says.
///
/// # Errors
///
/// As [`solve`].
pub fn solve_cells<S: Strategy>(
    strategy: &S,
    cells: CellKind,
    input: &[u8],
    limits: &Limits,
    observer: &mut dyn Observer,
) -> Result<Answers, SolveError> {
    match cells {
        CellKind::HashSet => solve::<S, ElfSet<&S::Memory>>(strategy, input, limits, observer),
        CellKind::ZigMap => solve::<S, ZigMap<&S::Memory>>(strategy, input, limits, observer),
        CellKind::BitGrid => solve::<S, BitGrid<&S::Memory>>(strategy, input, limits, observer),
    }
}

/// Runs the puzzle on `input` under `strategy`, with the elves stored as
/// `C`, reporting every round to `observer`.
///
/// # Errors
///
/// [`SolveError::Parse`] for an invalid input; [`SolveError::OutOfMemory`]
/// when a buffer runs out, with the answers reached before.
pub fn solve<'m, S, C>(
    strategy: &'m S,
    input: &[u8],
    limits: &Limits,
    observer: &mut dyn Observer,
) -> Result<Answers, SolveError>
where
    S: Strategy,
    C: Cells<&'m S::Memory>,
{
    let home = strategy.home();
    let out_of_memory = |round, memory: &S::Memory, failed: AllocFailure, what, reached| {
        let error = OutOfMemory {
            strategy: S::NAME,
            round,
            buffer: memory.name(),
            capacity: memory.capacity().unwrap_or(usize::MAX),
            in_use: memory.in_use(),
            requested: failed.requested,
            padding: memory.padding(failed.align),
            what,
            chunk: memory.failed_chunk(),
        };
        SolveError::OutOfMemory {
            error: Box::new(error),
            reached,
        }
    };
    let cells_oom =
        |round, memory, e: AllocFailure, reached| out_of_memory(round, memory, e, C::WHAT, reached);
    for b in strategy.buffers() {
        b.start_window();
    }

    // Round 0: the input into the buffer, parsed into the first generation.
    home.set_label("input");
    let mut copy = AllocVec::new_in(home);
    let text = if limits.input_in_buffer {
        copy.try_reserve_exact(input.len()).map_err(|_| {
            let failed = AllocFailure {
                requested: input.len(),
                align: 1,
            };
            out_of_memory(0, home, failed, "the input", Answers::default())
        })?;
        copy.extend_from_slice(input);
        &copy[..]
    } else {
        input
    };
    let parsed = parse(text)?;
    home.set_label("set");
    let mut elves = C::try_from_elves_in(&parsed, home)
        .map_err(|e| cells_oom(0, home, e, Answers::default()))?;
    // reuse's spare, right after the first set.
    let mut spare = if S::REUSES_SPARE {
        let memory = strategy.next_home(0);
        let spare = elves
            .try_spare_in(memory)
            .map_err(|e| out_of_memory(0, memory, e, C::WHAT_SPARE, Answers::default()))?;
        Some(spare)
    } else {
        None
    };
    drop(copy);
    let mut answers = Answers::default();
    observer.round(
        round_stats(strategy, 0, 0),
        &State {
            strategy,
            elves: &elves,
        },
    );

    // tempcopy's last new set, left in `temp` until the next round begins.
    let mut copied: Option<C> = None;
    // The rounds' scratch (the bit grid's proposal planes), made once.
    let mut scratch = C::Scratch::default();
    let mut round = 0;
    while answers.part1.is_none() || answers.part2.is_none() {
        if limits.max_rounds.is_some_and(|max| round >= max) {
            break;
        }
        round += 1;
        drop(copied.take());
        for b in strategy.buffers() {
            b.start_window();
        }
        strategy.begin_round(round)?;
        observer.phase(round, Phase::Start, &State::new(strategy, &elves));
        let memory = strategy.next_home(round);
        memory.set_label("set");
        let moved = if let Some(spare) = &mut spare {
            // reuse: the spare cleared and filled, then the two swapped.
            let moved = elves
                .try_step_into(round, spare, &mut scratch)
                .map_err(|e| cells_oom(round, memory, e, answers))?;
            observer.phase(round, Phase::Alloc, &State::new(strategy, &elves));
            core::mem::swap(&mut elves, spare);
            moved
        } else {
            let (next, moved) = elves
                .try_step_in(round, memory, &mut scratch)
                .map_err(|e| cells_oom(round, memory, e, answers))?;
            observer.phase(round, Phase::Alloc, &State::new(strategy, &elves));
            if S::COPIES_BACK {
                elves
                    .try_copy_back(&next)
                    .map_err(|e| out_of_memory(round, home, e, C::WHAT_COPY_BACK, answers))?;
                copied = Some(next);
            } else {
                // The old generation is freed here.
                elves = next;
            }
            moved
        };
        observer.phase(round, Phase::Swap, &State::new(strategy, &elves));
        if moved == 0 && answers.part2.is_none() {
            answers.part2 = Some(round);
        }
        if round == PART1_ROUNDS {
            answers.part1 = Some(elves.empty_ground());
        }
        observer.round(
            round_stats(strategy, round, moved),
            &State {
                strategy,
                elves: &elves,
            },
        );
    }
    Ok(answers)
}
