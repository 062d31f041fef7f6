//! # `tempcopy`: build the new set in a scratch buffer, copy it back
//!
//! The write-up's first fix. The grid's set stays in `main` for the whole run.
//! Each round resets `temp`, builds the new set there, then copies the new
//! points back into the grid's set, keeping its table: both tables have the
//! same number of buckets, so the copy is hashbrown's `clone_from` (control
//! bytes and points copied bucket for bucket, no rehashing). `main`'s
//! `end_index` never moves after round 0; `temp` holds one set at a time.

use super::Strategy;
use crate::alloc::{FixedBufferAllocator, ResetError};

/// The grid in `main`, each round's new set in `temp`.
#[derive(Debug)]
pub struct TempCopy<'buf> {
    buffers: [FixedBufferAllocator<'buf>; 2],
}

impl<'buf> TempCopy<'buf> {
    /// The strategy over `main` and `temp`.
    #[must_use]
    pub fn new(main: FixedBufferAllocator<'buf>, temp: FixedBufferAllocator<'buf>) -> Self {
        Self {
            buffers: [main, temp],
        }
    }
}

impl<'buf> Strategy for TempCopy<'buf> {
    type Memory = FixedBufferAllocator<'buf>;
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
