//! # The hash set as [`Cells`]
//!
//! The write-up's representation: every generation is one hashbrown table
//! reserved for exactly the elf count, so inserting the elves never grows it.

use hashbrown::TryReserveError;

use super::{AllocFailure, Cells, Generation, sorted};
use crate::alloc::Allocator;
use crate::grid::Point2D;
use crate::grid::parse::Elves;
use crate::sim::{ElfSet, empty_ground, step, try_new_set_in};

impl From<TryReserveError> for AllocFailure {
    fn from(e: TryReserveError) -> Self {
        let (requested, align) = match e {
            TryReserveError::AllocError { layout } => (layout.size(), layout.align()),
            TryReserveError::CapacityOverflow => (usize::MAX, 1),
        };
        Self { requested, align }
    }
}

impl<A: Allocator + Clone> Cells<A> for ElfSet<A> {
    const WHAT: &'static str = "the elf set";
    const WHAT_COPY_BACK: &'static str = "the elf set's copy back";
    const WHAT_SPARE: &'static str = "the spare elf set";

    fn try_from_elves_in(elves: &Elves<'_>, alloc: A) -> Result<Self, AllocFailure> {
        let mut set = try_new_set_in(elves.len(), alloc)?;
        set.extend(elves.points());
        Ok(set)
    }

    type Scratch = ();

    fn try_step_in(
        &self,
        round: usize,
        alloc: A,
        (): &mut (),
    ) -> Result<(Self, usize), AllocFailure> {
        let mut next = try_new_set_in(self.len(), alloc)?;
        let moved = step(self, &mut next, round);
        Ok((next, moved))
    }

    /// Both sets were reserved for the same elf count, so their tables have
    /// the same number of buckets, and hashbrown's `clone_from` then copies
    /// the control bytes and each point to the same bucket: no hashing, no
    /// probing, no allocation. (With different bucket counts `clone_from`
    /// would allocate infallibly, so that case, which the driver never
    /// creates, clears and re-inserts instead: `clear` keeps the capacity,
    /// which holds every elf, so nothing allocates either.)
    fn try_copy_back(&mut self, next: &Self) -> Result<(), AllocFailure> {
        if self.capacity() == next.capacity() {
            self.clone_from(next);
        } else {
            debug_assert!(false, "sets reserved for the same count differ in capacity");
            self.clear();
            self.extend(next.iter().copied());
        }
        Ok(())
    }

    fn try_spare_in(&self, alloc: A) -> Result<Self, AllocFailure> {
        Ok(try_new_set_in(self.len(), alloc)?)
    }

    /// `clear` keeps the table, reserved for the elf count, so the round's
    /// inserts never allocate.
    fn try_step_into(
        &self,
        round: usize,
        next: &mut Self,
        (): &mut (),
    ) -> Result<usize, AllocFailure> {
        next.clear();
        Ok(step(self, next, round))
    }
}

impl<A: Allocator> Generation for ElfSet<A> {
    fn empty_ground(&self) -> u64 {
        empty_ground(self.iter().copied())
    }

    fn positions(&self) -> Vec<Point2D> {
        sorted(self.iter().copied().collect())
    }

    fn elf_count(&self) -> usize {
        self.len()
    }
}
