//! # `tempcopy`: build the new set in a scratch buffer, copy it back
//!
//! The write-up's first fix (`step_with_tempalloc`). The grid's set stays in
//! `main` for the whole run. Each round resets `temp`, builds the new set
//! there, then copies the new points back into the grid's set, keeping its
//! table: both tables have the same number of buckets, so the copy is slot for
//! slot (hashbrown's `clone_from`), with no rehashing. The new set is then left
//! in `temp`, not freed, as in the write-up, until the next round's reset
//! ([`crate::engine`] drops it just before). So `main`'s `end_index` never
//! moves after round 0 (for the hash tables), and at the end of every round
//! `temp` holds exactly one set: the write-up's `new_cells memuse`.

use super::Strategy;
use crate::alloc::{Arena, Reset, ResetError};

/// The grid in `main`, each round's new set in `temp`.
#[derive(Debug)]
pub struct TempCopy<M> {
    buffers: [M; 2],
}

impl<M: Arena> TempCopy<M> {
    /// The strategy over `main` and `temp`.
    #[must_use]
    pub fn new(main: M, temp: M) -> Self {
        Self {
            buffers: [main, temp],
        }
    }
}

impl<M: Arena + Reset> Strategy for TempCopy<M> {
    type Memory = M;
    const NAME: &'static str = "tempcopy";
    const COPIES_BACK: bool = true;

    fn buffers(&self) -> &[Self::Memory] {
        &self.buffers
    }

    fn next_home(&self, _round: usize) -> &Self::Memory {
        &self.buffers[1]
    }

    fn begin_round(&self, _round: usize) -> Result<(), ResetError> {
        self.buffers[1].try_reset()
    }
}
