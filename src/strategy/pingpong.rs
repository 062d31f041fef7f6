//! # `pingpong`: two buffers taking turns
//!
//! The write-up's last fix. Round 1's set goes into `b`, round 2's into `a`,
//! and so on. When the old set is freed it is the last (and only) block of its
//! buffer, so Zig's `free` reclaims it and that buffer is empty again for the
//! round after next.

use super::Strategy;
use crate::alloc::FixedBufferAllocator;

/// Buffers `a` and `b`, alternating.
#[derive(Debug)]
pub struct PingPong<'buf> {
    buffers: [FixedBufferAllocator<'buf>; 2],
}

impl<'buf> PingPong<'buf> {
    /// The strategy over `a` (input and first set) and `b`.
    #[must_use]
    pub fn new(a: FixedBufferAllocator<'buf>, b: FixedBufferAllocator<'buf>) -> Self {
        Self { buffers: [a, b] }
    }
}

impl<'buf> Strategy for PingPong<'buf> {
    type Memory = FixedBufferAllocator<'buf>;
    const NAME: &'static str = "pingpong";

    fn buffers(&self) -> &[Self::Memory] {
        &self.buffers
    }

    fn next_home(&self, round: usize) -> &Self::Memory {
        &self.buffers[round % 2]
    }
}
