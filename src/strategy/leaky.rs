//! # `leaky`: the write-up's first attempt
//!
//! Every round's new set goes into the one buffer, then the old set is freed
//! and the two swapped. The old set is never the last block (the new one was
//! allocated after it), so a fixed-buffer allocator reclaims nothing:
//! `end_index` climbs by one set per round until the buffer runs out.

use super::Strategy;
use crate::alloc::Arena;

/// One buffer, `main`, for everything.
#[derive(Debug)]
pub struct Leaky<M> {
    buffers: [M; 1],
}

impl<M: Arena> Leaky<M> {
    /// The strategy over `main`.
    #[must_use]
    pub fn new(main: M) -> Self {
        Self { buffers: [main] }
    }
}

impl<M: Arena> Strategy for Leaky<M> {
    type Memory = M;
    const NAME: &'static str = "leaky";

    fn buffers(&self) -> &[Self::Memory] {
        &self.buffers
    }

    fn next_home(&self, _round: usize) -> &Self::Memory {
        &self.buffers[0]
    }
}
