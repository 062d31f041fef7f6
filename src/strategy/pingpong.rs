//! # `pingpong`: two buffers taking turns
//!
//! The write-up's last fix. Round 1's set goes into `b`, round 2's into `a`,
//! and so on. When the old set is freed it is the last (and only) block of its
//! buffer, so Zig's `free` reclaims it and that buffer is empty again for the
//! round after next.

use super::Strategy;
use crate::alloc::Arena;

/// Buffers `a` and `b`, alternating.
#[derive(Debug)]
pub struct PingPong<M> {
    buffers: [M; 2],
}

impl<M: Arena> PingPong<M> {
    /// The strategy over `a` (input and first set) and `b`.
    #[must_use]
    pub fn new(a: M, b: M) -> Self {
        Self { buffers: [a, b] }
    }
}

impl<M: Arena> Strategy for PingPong<M> {
    type Memory = M;
    const NAME: &'static str = "pingpong";

    fn buffers(&self) -> &[Self::Memory] {
        &self.buffers
    }

    fn next_home(&self, round: usize) -> &Self::Memory {
        &self.buffers[round % 2]
    }
}
