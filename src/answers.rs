//! # The puzzle's answers
//!
//! A module of its own so that both the errors ([`crate::error`], whose
//! out-of-memory case carries the answers reached) and the data model
//! ([`crate::report`], which takes the errors' figures) can use it without
//! importing each other.

use serde::Serialize;

/// The puzzle's answers, as far as the run got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Answers {
    /// Empty ground in the elves' bounding rectangle after 10 rounds.
    pub part1: Option<u64>,
    /// The first round in which no elf moved.
    pub part2: Option<usize>,
}
