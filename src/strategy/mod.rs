//! # Strategies: where each round's memory comes from
//!
//! Every strategy plays the same rounds ([`crate::sim::step`]) through the same
//! driver ([`crate::engine::solve`]); they differ only in which buffer the
//! input, the first set and each round's new set are allocated from, and in
//! what happens to the old set:
//!
//! | strategy | buffers | new set goes to | then |
//! |---|---|---|---|
//! | [`Leaky`] | `main` | `main` | free the old set (not the last block: nothing reclaimed), swap |
//! | [`TempCopy`] | `main`, `temp` | `temp`, reset each round | copy the new set back into the old one; the new one stays in `temp` until the next reset |
//! | [`PingPong`] | `a`, `b` | the other buffer | free the old set (the last block there: reclaimed), swap |
//! | [`Reuse`] | `main` | the spare, allocated once in round 0 and cleared each round | swap; nothing allocated or freed |
//! | [`Heap`] | the global heap, counted | the heap | free the old set (returned to the heap), swap |

mod heap;
mod leaky;
mod pingpong;
mod reuse;
mod tempcopy;

pub use heap::Heap;
pub use leaky::Leaky;
pub use pingpong::PingPong;
pub use reuse::Reuse;
pub use tempcopy::TempCopy;

use crate::alloc::{Arena, Reset, ResetError};
use crate::answers::Answers;
use crate::cells::CellKind;
use crate::engine::{Limits, Observer, solve_cells};
use crate::error::SolveError;

/// Where memory comes from, round by round.
pub trait Strategy {
    /// The buffers' allocator; sets are allocated through `&Self::Memory`.
    type Memory: Arena;

    /// The name users type after `--strategy`.
    const NAME: &'static str;

    /// Every buffer of the strategy, in the order reports list them.
    fn buffers(&self) -> &[Self::Memory];

    /// Where the input bytes and the first set go.
    fn home(&self) -> &Self::Memory {
        &self.buffers()[0]
    }

    /// Where round `round`'s (1-based) new set goes; for a strategy that
    /// [reuses a spare](Strategy::REUSES_SPARE), where the spare goes (asked
    /// once, with round 0).
    fn next_home(&self, round: usize) -> &Self::Memory;

    /// Whether the new set is copied back into the first set each round
    /// (instead of replacing it).
    const COPIES_BACK: bool = false;

    /// Whether a spare set is allocated once, right after the first set
    /// (before `Round 0`), and each round cleared, filled and swapped with
    /// the current one, instead of a new set per round.
    const REUSES_SPARE: bool = false;

    /// Called at the start of every round, before the new set is allocated.
    ///
    /// # Errors
    ///
    /// A buffer that should be empty still has live blocks.
    fn begin_round(&self, _round: usize) -> Result<(), ResetError> {
        Ok(())
    }
}

/// Where each round's memory comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrategyKind {
    /// New set in the same buffer each round: leaks one set per round.
    Leaky,
    /// New set in a temporary buffer reset each round, copied back.
    TempCopy,
    /// Two buffers taking turns; freeing the old set reclaims it.
    PingPong,
    /// One buffer, two sets: a spare cleared, filled and swapped each round.
    Reuse,
    /// The global heap, counted.
    Heap,
}

impl StrategyKind {
    /// Every strategy, in the order `--strategy all` runs them.
    pub const ALL: [Self; 5] = [
        Self::Leaky,
        Self::TempCopy,
        Self::PingPong,
        Self::Reuse,
        Self::Heap,
    ];

    /// The name users type.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Leaky => "leaky",
            Self::TempCopy => "tempcopy",
            Self::PingPong => "pingpong",
            Self::Reuse => "reuse",
            Self::Heap => "heap",
        }
    }

    /// One line on what it does, for `--help`.
    #[must_use]
    pub const fn summary(self) -> &'static str {
        match self {
            Self::Leaky => "New set in the same buffer each round: leaks one set per round",
            Self::TempCopy => "New set in a temporary buffer reset each round, copied back",
            Self::PingPong => "Two buffers taking turns; freeing the old set reclaims it",
            Self::Reuse => "One buffer, two sets: a spare cleared, filled and swapped each round",
            Self::Heap => "The global heap, counted",
        }
    }

    /// Its buffers' names, in the order [`StrategyKind::solve`] asks for
    /// them (none for the heap).
    #[must_use]
    pub const fn buffers(self) -> &'static [&'static str] {
        match self {
            Self::Leaky | Self::Reuse => &["main"],
            Self::TempCopy => &["main", "temp"],
            Self::PingPong => &["a", "b"],
            Self::Heap => &[],
        }
    }

    /// Its buffers in words: `buffer main`, `buffers a and b`, `the global heap`.
    #[must_use]
    pub fn buffers_in_words(self) -> String {
        match self.buffers() {
            [] => "the global heap".to_owned(),
            [one] => format!("buffer {one}"),
            [first, second] => format!("buffers {first} and {second}"),
            more => format!("buffers {}", more.join(", ")),
        }
    }

    /// Whether each round's new set is copied back into the first set
    /// ([`Strategy::COPIES_BACK`]): tempcopy's rounds end with a copy, not
    /// a swap.
    #[must_use]
    pub const fn copies_back(self) -> bool {
        matches!(self, Self::TempCopy)
    }

    /// Runs the puzzle on `input` with this strategy, the elves stored as
    /// `cells`, each buffer made by `memory(name)` in the order of
    /// [`StrategyKind::buffers`] (the heap makes its own).
    ///
    /// # Errors
    ///
    /// As [`crate::engine::solve`].
    pub fn solve<M: Arena + Reset>(
        self,
        mut memory: impl FnMut(&'static str) -> M,
        cells: CellKind,
        input: &[u8],
        limits: &Limits,
        observer: &mut dyn Observer,
    ) -> Result<Answers, SolveError> {
        let mut memory = |i: usize| memory(self.buffers()[i]);
        match self {
            Self::Leaky => solve_cells(&Leaky::new(memory(0)), cells, input, limits, observer),
            Self::TempCopy => {
                let strategy = TempCopy::new(memory(0), memory(1));
                solve_cells(&strategy, cells, input, limits, observer)
            }
            Self::PingPong => {
                let strategy = PingPong::new(memory(0), memory(1));
                solve_cells(&strategy, cells, input, limits, observer)
            }
            Self::Reuse => solve_cells(&Reuse::new(memory(0)), cells, input, limits, observer),
            Self::Heap => solve_cells(&Heap::new(), cells, input, limits, observer),
        }
    }
}

#[cfg(test)]
mod tests {
    use core::mem::MaybeUninit;

    use super::*;
    use crate::alloc::FixedBufferAllocator;
    use crate::report::RoundStats;

    /// Each kind's facts are those of the strategy it runs: the buffers
    /// its round-0 figures name, and whether its rounds copy back.
    #[test]
    fn each_kinds_facts_are_those_of_the_strategy_it_runs() {
        let input = include_bytes!("../../inputs/example.txt");
        for kind in StrategyKind::ALL {
            let mut bufs = [[MaybeUninit::uninit(); 16384]; 2];
            let mut bufs = bufs.iter_mut();
            let mut names = Vec::new();
            let mut observer = |stats: &RoundStats, _: &dyn crate::engine::Snapshot| {
                if stats.round == 0 {
                    names = stats.buffers.iter().map(|b| b.name).collect();
                }
            };
            let memory = |name| FixedBufferAllocator::new(bufs.next().unwrap()).with_name(name);
            let limits = Limits::default();
            let answers = kind.solve(memory, CellKind::HashSet, input, &limits, &mut observer);
            assert_eq!(answers.unwrap().part2, Some(20), "{kind:?}");
            let expected: &[&str] = match kind {
                StrategyKind::Heap => &["heap"],
                _ => kind.buffers(),
            };
            assert_eq!(names, expected, "{kind:?}");
        }
        type Fba = FixedBufferAllocator<'static>;
        fn facts<S: Strategy>() -> (&'static str, bool) {
            (S::NAME, S::COPIES_BACK)
        }
        let kinds = StrategyKind::ALL.map(|k| (k.name(), k.copies_back()));
        let strategies = [
            facts::<Leaky<Fba>>(),
            facts::<TempCopy<Fba>>(),
            facts::<PingPong<Fba>>(),
            facts::<Reuse<Fba>>(),
            facts::<Heap>(),
        ];
        assert_eq!(kinds, strategies);
    }
}
