//! # The data model every output is drawn from
//!
//! Plain `serde` data: what each round did to each buffer, and how the run
//! ended. Units are in the field names.

use serde::Serialize;

use crate::alloc::Block;

/// One buffer after one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BufferRound {
    /// The buffer's name (`main`, `temp`, `a`, `b`, `heap`).
    pub name: &'static str,
    /// Bytes in use: Zig's `end_index` (live bytes for the heap).
    pub bytes_in_use: usize,
    /// Bytes in blocks allocated and not yet freed.
    pub live_bytes: usize,
    /// The most bytes in use at any moment during the round.
    pub peak_bytes: usize,
}

/// One completed round (round 0: right after parsing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundStats {
    /// Completed rounds.
    pub round: usize,
    /// Elves that moved in this round (0 for round 0).
    pub elves_moved: usize,
    /// The sum of `bytes_in_use` over the buffers: the `memuse` the write-up prints.
    pub bytes_in_use: usize,
    /// The sum of `live_bytes` over the buffers.
    pub live_bytes: usize,
    /// The sum over the buffers of each one's peak during the round.
    pub peak_bytes: usize,
    /// Per buffer, in the strategy's order.
    pub buffers: Vec<BufferRound>,
}

/// The puzzle's answers, as far as the run got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Answers {
    /// Empty ground in the elves' bounding rectangle after 10 rounds.
    pub part1: Option<u64>,
    /// The first round in which no elf moved.
    pub part2: Option<usize>,
}

/// One buffer's blocks at one moment, for the layout pictures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BufferLayout {
    /// The buffer's name.
    pub name: &'static str,
    /// Its size in bytes.
    pub capacity_bytes: usize,
    /// Zig's `end_index`.
    pub end_index: usize,
    /// The blocks below `end_index`, in address order.
    pub blocks: Vec<Block>,
}
