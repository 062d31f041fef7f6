//! # Cells: how the elves are stored
//!
//! The driver ([`crate::engine::solve`]) is generic over the representation
//! of the elves as well as over the strategy. A representation implements
//! [`Cells`]: it is built in one allocation in a given allocator, and each
//! round builds the next generation in one allocation in the allocator the
//! strategy names. Three exist:
//!
//! * [`ElfSet`](crate::sim::ElfSet): a hashbrown set, reserved for exactly
//!   the elf count (day23's default);
//! * [`ZigMap`](zigmap::ZigMap): the write-up's own table, with the memory of
//!   Zig's `std.AutoHashMap(Point2D, void)`, so its figures come out exactly;
//! * [`BitGrid`](bitgrid::BitGrid): one bit per cell over the elves'
//!   bounding box plus a margin, rounds computed on whole words.
//!
//! The two hash tables share the round rules ([`crate::sim::step`]); the bit
//! grid has its own.

pub mod bitgrid;
mod hashset;
pub mod zigmap;

use crate::alloc::Allocator;
use crate::grid::Point2D;
use crate::grid::parse::Elves;

/// How the elves are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// A hashbrown set of points reserved for the elf count.
    HashSet,
    /// Zig's `std.AutoHashMap(Point2D, void)` layout: the write-up's figures.
    ZigMap,
    /// One bit per cell over the elves' bounding box plus a margin.
    BitGrid,
}

impl CellKind {
    /// Every kind, in the order `--cells all` runs them.
    pub const ALL: [Self; 3] = [Self::HashSet, Self::ZigMap, Self::BitGrid];

    /// The name users type.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::HashSet => "hashset",
            Self::ZigMap => "zigmap",
            Self::BitGrid => "bitgrid",
        }
    }

    /// One line on what it is, for `--help`.
    #[must_use]
    pub const fn summary(self) -> &'static str {
        match self {
            Self::HashSet => "A hashbrown set of points reserved for the elf count",
            Self::ZigMap => "Zig's `std.AutoHashMap(Point2D, void)` layout: the write-up's figures",
            Self::BitGrid => "One bit per cell over the elves' bounding box plus a margin",
        }
    }
}

/// An allocation that did not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllocFailure {
    /// The bytes requested (`usize::MAX` when the size itself overflowed).
    pub requested: usize,
    /// The alignment requested.
    pub align: usize,
}

/// What can be read off one generation of elves, whatever its allocator.
pub trait Generation {
    /// Part 1's measure: empty cells in the elves' bounding rectangle.
    fn empty_ground(&self) -> u64;

    /// The elves' positions, sorted by (y, x).
    fn positions(&self) -> Vec<Point2D>;

    /// How many elves there are.
    fn elf_count(&self) -> usize;
}

/// A representation of the elves that lives in an allocator `A`.
pub trait Cells<A: Allocator>: Generation + Sized {
    /// What the allocation holds, for messages: `the elf set`, `the bit grid`.
    const WHAT: &'static str;

    /// What [`Cells::try_copy_back`] allocates, for messages.
    const WHAT_COPY_BACK: &'static str;

    /// What [`Cells::try_spare_in`] allocates, for messages.
    const WHAT_SPARE: &'static str;

    /// Scratch memory for a round, owned by the run: the driver makes one
    /// (`Default`) on its stack before the first round and lends it to every
    /// round, so that a round need not make (and zero) its own. It is not
    /// state: a round's result never depends on what an earlier round left
    /// in it. `()` for the hash tables; the bit grid's proposal planes
    /// ([`bitgrid::Scratch`]).
    type Scratch: Default;

    /// The first generation, from the parsed input, in one allocation in `alloc`.
    ///
    /// # Errors
    ///
    /// [`AllocFailure`] when `alloc` cannot provide it.
    fn try_from_elves_in(elves: &Elves<'_>, alloc: A) -> Result<Self, AllocFailure>;

    /// Plays round `round` (1-based) into a new generation in one allocation
    /// in `alloc`, working in `scratch`; returns it and how many elves moved.
    ///
    /// # Errors
    ///
    /// [`AllocFailure`] when `alloc` cannot provide the new generation.
    fn try_step_in(
        &self,
        round: usize,
        alloc: A,
        scratch: &mut Self::Scratch,
    ) -> Result<(Self, usize), AllocFailure>;

    /// `tempcopy`'s copy back: makes `self` hold `next`'s elves, reusing its
    /// own block (growing it through the allocator it lives in if needed).
    ///
    /// # Errors
    ///
    /// [`AllocFailure`] when the block has to grow and cannot; `requested` is
    /// then the bytes the block had to grow by.
    fn try_copy_back(&mut self, next: &Self) -> Result<(), AllocFailure>;

    /// `reuse`'s spare: an empty generation in one allocation in `alloc`,
    /// with room for the generation after `self` (the same table as `self`'s
    /// for the hash tables; the same dims for the bit grid).
    ///
    /// # Errors
    ///
    /// [`AllocFailure`] when `alloc` cannot provide it.
    fn try_spare_in(&self, alloc: A) -> Result<Self, AllocFailure>;

    /// `reuse`'s round: plays round `round` (1-based) into `next`, which is
    /// emptied first and keeps its block (Zig's `clearRetainingCapacity`),
    /// working in `scratch`; returns how many elves moved. The hash tables
    /// never allocate here (their elf count never changes); the bit grid
    /// allocates a new block in `next`'s allocator, and frees the old one,
    /// only when the grown grid no longer fits it.
    ///
    /// # Errors
    ///
    /// [`AllocFailure`] when `next` needs a new block and its allocator
    /// cannot provide it; `next` is then unchanged but for its contents.
    fn try_step_into(
        &self,
        round: usize,
        next: &mut Self,
        scratch: &mut Self::Scratch,
    ) -> Result<usize, AllocFailure>;
}

/// Sorts points by (y, x), the order reports and tests use.
#[must_use]
pub(crate) fn sorted(mut points: Vec<Point2D>) -> Vec<Point2D> {
    points.sort_unstable_by_key(|p| (p.y, p.x));
    points
}
