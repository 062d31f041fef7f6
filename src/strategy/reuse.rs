//! # `reuse`: two sets in one buffer, cleared and swapped
//!
//! The fix most Rust programmers reach for, none of the write-up's three: a
//! spare set is allocated once, in `main`, right after the first set and
//! before `Round 0`. Each round clears the spare (hashbrown's `clear`, Zig's
//! `clearRetainingCapacity`: the table stays), fills it with the round's
//! elves and swaps the two. Nothing is allocated or freed after round 0 (the
//! hash tables hold every elf; a bit grid's spare gets a new block only when
//! the grid grows past it), so `end_index` never moves: one buffer, two
//! sets, no copy.

use super::Strategy;
use crate::alloc::Arena;

/// One buffer, `main`, holding the input, the set and the spare.
#[derive(Debug)]
pub struct Reuse<M> {
    buffers: [M; 1],
}

impl<M: Arena> Reuse<M> {
    /// The strategy over `main`.
    #[must_use]
    pub fn new(main: M) -> Self {
        Self { buffers: [main] }
    }
}

impl<M: Arena> Strategy for Reuse<M> {
    type Memory = M;
    const NAME: &'static str = "reuse";
    const REUSES_SPARE: bool = true;

    fn buffers(&self) -> &[Self::Memory] {
        &self.buffers
    }

    /// Where the spare goes (in round 0): `main`.
    fn next_home(&self, _round: usize) -> &Self::Memory {
        &self.buffers[0]
    }
}
