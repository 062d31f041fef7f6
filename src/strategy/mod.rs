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

use crate::alloc::{Arena, ResetError};

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
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum StrategyKind {
    /// New set in the same buffer each round: leaks one set per round.
    Leaky,
    /// New set in a temporary buffer reset each round, copied back.
    #[cfg_attr(feature = "cli", value(name = "tempcopy"))]
    TempCopy,
    /// Two buffers taking turns; freeing the old set reclaims it.
    #[cfg_attr(feature = "cli", value(name = "pingpong"))]
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
    pub fn name(self) -> &'static str {
        match self {
            Self::Leaky => "leaky",
            Self::TempCopy => "tempcopy",
            Self::PingPong => "pingpong",
            Self::Reuse => "reuse",
            Self::Heap => "heap",
        }
    }
}

#[cfg(all(test, feature = "cli"))]
mod tests {
    use super::StrategyKind;

    #[test]
    fn all_lists_every_strategy_in_the_clis_order() {
        use clap::ValueEnum;
        assert_eq!(StrategyKind::ALL.as_slice(), StrategyKind::value_variants());
    }
}
