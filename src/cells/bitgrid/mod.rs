//! # Bit grid: the elves as rows of `u64` words in one block
//!
//! [`BitGrid`] stores the elves as a dense bitmap over a rectangle of the
//! plane: `height` rows of `width_words` little-endian `u64` words each, the
//! rows one after the other. The cell `(x, y)` is bit `c % 64` of word
//! `row * width_words + c / 64`, where `row = y - y0` and `c = x - x0`, so bit
//! 0 of a word is its westernmost cell. The rectangle always leaves **at least
//! one empty cell on every side** of the elves (the *margin*): rows `0` and
//! `height - 1` and columns `0` and `64 * width_words - 1` are empty, so a
//! round never needs to look outside the grid, and an elf's move always lands
//! inside it.
//!
//! ## One round, whole words at a time
//!
//! For a row `C` with the rows `A` above and `B` below, `west(X)` is `X`
//! shifted one cell east (each cell sees its west neighbour; the carry comes
//! from bit 63 of the previous word) and `east(X)` the opposite. Then, per
//! word, with `V = A | C | B`:
//!
//! * north is free where `A | west(A) | east(A)` is clear, south likewise with
//!   `B`, west where `west(V)` is clear, east where `east(V)` is clear;
//! * an elf is *active* where any of those four is set (some neighbour);
//! * the proposal planes `pN`, `pS`, `pW`, `pE` take the active elves in the
//!   round's order of directions, each plane keeping only the elves no earlier
//!   direction took.
//!
//! Two elves only ever propose the same cell from opposite sides, two cells
//! apart. So a north move from row `r` is cancelled by a south proposal from
//! row `r - 2` (`pN[r] & !pS[r - 2]`), a south move by `pN[r + 2]`, a west move
//! by `pE` two cells to the west, an east move by `pW` two cells to the east.
//! The new row `r` is
//!
//! ```text
//! (C & !moved) | (pN[r + 1] ^ pS[r - 1]) | (pW one cell east ^ pE one cell west)
//! ```
//!
//! (an XOR because two proposals for the same cell cancel each other), and the
//! number of elves that moved is the popcount of `moved` (`u64::count_ones`).
//!
//! ## Three kernels, one round
//!
//! The same round, bit for bit, is computed by whichever of three kernels
//! suits the grid ([`BitGrid::try_step_in`] picks):
//!
//! * `flat` (`src/cells/bitgrid/flat.rs`): the rows as one run of words,
//!   two vectorized passes (plan, resolve), compiled for the baseline, for
//!   AVX2 and for AVX-512 ([`crate::simd`]); grids up to 1,638 words wide.
//! * `strips` (`strips.rs`): row by row through rings of rows, in vertical
//!   strips of [`STRIP_WORDS`] words; grids wider than that.
//! * `sparse` (`sparse.rs`): the point rules of [`crate::sim`], with the
//!   grid's bits as the set and a tile map to skip empty words; grids of more
//!   than 16 words per elf (a long line fanning out, a diagonal), where the
//!   word kernels' work would grow with the bounding box, not the elves.
//!
//! None allocates: the scratch lives on the stack, and the only memory the
//! allocator sees is the two grids' blocks. A [`Scratch`] that the caller
//! owns is lent to every round (the driver makes one per run, on its
//! stack): the flat kernel's planes for grids of up to 512 words per plane,
//! so a round does not zero them, and the sparse kernel's last tile map,
//! so the grid value does not carry 512 bytes of it from call to call. No
//! round's result depends on what an earlier one left there.
//!
//! ## Sizes and the byte formula
//!
//! A grid of [`GridDims`] takes **`width_words * height * 8` bytes**
//! ([`BitGrid::bytes_for`]), allocated as one block with
//! `try_reserve_exact`; that is exactly the block the allocator sees (no
//! rounding, no header). [`BitGrid::dims_for`] gives the smallest rows that
//! hold the points with a margin of one: `height = rows + 2`,
//! `width_words = ceil((columns + 2) / 64)`, `x0 = min_x - 1`,
//! `y0 = min_y - 1` (spare bits are at the east end). An input without elves
//! gets a grid of one word and one row.
//!
//! ## Growth rule
//!
//! [`BitGrid::try_step_in`] sizes the new grid from the old one, before the
//! round: it grows the grid by **one row** at the top if row 1 holds an elf,
//! by one row at the bottom if row `height - 2` does, by **one word** (64
//! columns, `x0 - 64`) on the west if column 1 does and by one word on the
//! east if column `64 * width_words - 2` does. Those are the only elves that
//! can step onto the margin, so the new grid keeps the margin (the rule is
//! conservative: it also grows when such an elf stays put). Grids never
//! shrink.

use core::fmt;

use crate::alloc::{AllocVec, Allocator};
use crate::grid::Point2D;
use crate::simd::Level;

mod flat;
mod sparse;
mod strips;

/// A run's round scratch, made once and lent to every round
/// ([`Cells::Scratch`](super::Cells::Scratch)): the flat kernel's proposal
/// planes for grids of up to 512 words per plane (16 KiB), which a round
/// overwrites before it reads them, and the tile map of the grid the last
/// sparse round made, which a round reads only for the grid it was made
/// for (by an id the grid carries). Whatever it holds, a round's result
/// is the same; the tests poison it with random words before every round.
#[derive(Debug, Default)]
pub struct Scratch {
    /// The flat kernel's planes.
    planes: flat::Scratch,
    /// The tile map of the grid the last sparse round made.
    tiles: sparse::TileCache,
}

impl Scratch {
    /// Every word of the scratch, for tests that poison it.
    #[cfg(test)]
    fn words_mut(&mut self) -> impl Iterator<Item = &mut u64> {
        self.planes.words_mut().chain(self.tiles.words_mut())
    }
}

/// How a round grows the grid: the new dims, and the rows added at the top
/// and words added on the west (0 or 1 each).
#[derive(Debug, Clone, Copy)]
struct Growth {
    dims: GridDims,
    top: usize,
    west: usize,
    /// Each side's touch and distance bound ([`BitGrid::side_touch`]).
    side: [(bool, usize); 2],
}

/// Which code runs a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RoundKernel {
    /// [The flat kernel](flat), compiled for a SIMD level; grids wider than
    /// [`flat::MAX_WIDTH`] words take the strips instead.
    Flat(Level),
    /// [The strip kernel](strips), with strips of this many words (at most
    /// [`STRIP_WORDS`]; tests use narrow strips to exercise the halos).
    Strips(usize),
    /// [The sparse kernel](sparse): the point rules on the grid's bits.
    Sparse,
}

/// A grid with more than this many words per elf takes the sparse kernel: the
/// word kernels' cost grows with the words, the sparse one's with the elves
/// (plus a cheap scan of the words), so past this ratio the sparse one wins.
const SPARSE_WORDS_PER_ELF: usize = 16;

/// Grids of fewer words than this run the flat kernel at the baseline level,
/// without asking the CPU whether it has AVX2: on a VM the first such
/// question traps to the hypervisor ([`crate::simd`]) and costs more than
/// all the rounds of a grid this small. The levels give the same grids
/// (tests run both).
const FLAT_BASELINE_BELOW: usize = 64;

/// The proposals `[north, south, west, east]` of the active elves `rest`:
/// each takes the first direction, from `FIRST` on, whose side (`sides[d]`,
/// the cells an elf must find empty) is clear. The word rule both word
/// kernels share.
#[inline(always)]
fn proposals<const FIRST: usize>(mut rest: u64, sides: [u64; 4]) -> [u64; 4] {
    let mut p = [0u64; 4];
    for i in 0..4 {
        let d = (FIRST + i) % 4;
        let take = rest & !sides[d];
        p[d] = take;
        rest &= !take;
    }
    p
}

/// The proposals around one word, as [`resolve`] reads them.
#[derive(Clone, Copy)]
struct Around {
    /// This word's elves.
    cur: u64,
    /// This word's proposals: north, south, west, east.
    here: [u64; 4],
    /// South proposals two rows up and north proposals two rows down: the
    /// elves that would meet this word's north and south movers.
    s_up2: u64,
    /// See `s_up2`.
    n_down2: u64,
    /// South proposals one row up and north proposals one row down: the
    /// elves arriving from above and below.
    s_up1: u64,
    /// See `s_up1`.
    n_down1: u64,
    /// East proposals of the word to the west and west proposals of the word
    /// to the east: the carries of the horizontal shifts.
    e_prev: u64,
    /// See `e_prev`.
    w_next: u64,
}

/// One new word, and the elves that left it: a proposal two cells away in
/// the opposite direction cancels a move, and a lone proposal for a cell
/// arrives (two cancel, hence XOR). The word rule both word kernels share.
#[inline(always)]
fn resolve(a: Around) -> (u64, u64) {
    let [pn, ps, pw, pe] = a.here;
    // North moves cancelled by a south proposal two rows up, and so on.
    let gone_ns = (pn & !a.s_up2) | (ps & !a.n_down2);
    let e_two_west = (pe << 2) | (a.e_prev >> 62);
    let w_two_east = (pw >> 2) | (a.w_next << 62);
    let gone_we = (pw & !e_two_west) | (pe & !w_two_east);
    let gone = gone_ns | gone_we;
    // Arrivals: a lone proposal for a cell moves, two cancel (XOR).
    let in_ns = a.n_down1 ^ a.s_up1;
    let in_we = ((pw >> 1) | (a.w_next << 63)) ^ ((pe << 1) | (a.e_prev >> 63));
    ((a.cur & !gone) | in_ns | in_we, gone)
}

/// What one round reads and where it writes.
struct Frame<'a> {
    /// The old grid's words.
    cur: &'a [u64],
    /// Old words per row.
    w: usize,
    /// Old rows.
    h: usize,
    /// New words per row.
    out_w: usize,
    /// Rows added at the top of the new grid (0 or 1).
    dy: usize,
    /// Words added on the west of the new grid (0 or 1).
    dw: usize,
}

/// The widest strip of words one pass of a round handles; wider rows are done
/// in several strips. 32 words are 2048 columns, so real inputs take one.
pub const STRIP_WORDS: usize = 32;

/// Bits per word.
const BITS: usize = 64;

/// The size and place of a [`BitGrid`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridDims {
    /// x of the grid's westmost column (bit 0 of each row's first word).
    pub x0: i32,
    /// y of the grid's northmost row.
    pub y0: i32,
    /// Words per row; the grid is `64 * width_words` cells wide.
    pub width_words: usize,
    /// Rows.
    pub height: usize,
}

impl GridDims {
    /// The dims of a grid without elves: one word, one row, at the origin.
    pub const EMPTY: Self = Self {
        x0: 0,
        y0: 0,
        width_words: 1,
        height: 1,
    };

    /// The number of words: `width_words * height`, if it does not overflow.
    #[must_use]
    pub fn words(self) -> Option<usize> {
        self.width_words.checked_mul(self.height)
    }

    /// Width in cells: `64 * width_words`, if it does not overflow.
    #[must_use]
    pub fn width_cells(self) -> Option<usize> {
        self.width_words.checked_mul(BITS)
    }

    /// Whether a grid of these dims can exist: at least one word and one row,
    /// every cell's coordinates fit in `i32`, and its block is at most
    /// `isize::MAX` bytes.
    #[must_use]
    pub fn is_valid(self) -> bool {
        let (Some(width), Some(bytes)) = (
            self.width_cells(),
            self.words().and_then(|w| w.checked_mul(8)),
        ) else {
            return false;
        };
        // The last column and row, in i128 so that nothing overflows.
        let last_x = i128::from(self.x0) + width as i128 - 1;
        let last_y = i128::from(self.y0) + self.height as i128 - 1;
        self.width_words > 0
            && self.height > 0
            && last_x <= i128::from(i32::MAX)
            && last_y <= i128::from(i32::MAX)
            && isize::try_from(bytes).is_ok()
    }
}

/// Why a [`BitGrid`] could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BitGridError {
    /// The allocator could not give the grid's block.
    #[error("out of memory: a bit grid needs one block of {requested_bytes} bytes")]
    Alloc {
        /// The size of the block asked for: [`BitGrid::bytes_for`] the dims.
        requested_bytes: usize,
    },
    /// The grid's coordinates or size overflow, or (from
    /// [`BitGrid::try_copy_from`]) the source does not fit in the block.
    #[error(
        "the bit grid is too large: its coordinates or size overflow, or it does not fit the block"
    )]
    TooLarge,
}

/// The elves as a bitmap over a rectangle with an empty margin, in one block
/// of `A`. See the [module documentation](self).
pub struct BitGrid<A: Allocator> {
    /// The block: `len() == capacity()`, always. Only the first `used` words
    /// are the grid; after [`BitGrid::try_copy_from`] the rest is stale.
    words: AllocVec<u64, A>,
    /// Where the grid is and how big.
    dims: GridDims,
    /// `dims.width_words * dims.height`.
    used: usize,
    /// The number of elves (set bits).
    len: usize,
    /// Which map of the tiles that may hold elves is this grid's: the one in
    /// the [`Scratch`] of the run when its [`TileCache`](sparse::TileCache)
    /// names this id (the sparse kernel made this grid), none when 0 (any
    /// tile may hold elves). The map stays in the scratch, so that this
    /// value stays small: it is moved every round.
    tiles_id: u64,
    /// Lower bounds on how far the elves are from the west and east edges:
    /// the westmost elf's column and `64 * width_words - 1` less the
    /// eastmost's, both at least 1 (the margin); 0 when not known. See
    /// [`BitGrid::side_touch`].
    side_low: [usize; 2],
}

impl<A: Allocator> fmt::Debug for BitGrid<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BitGrid")
            .field("dims", &self.dims)
            .field("len", &self.len)
            .field("allocation_bytes", &self.allocation_bytes())
            .finish_non_exhaustive()
    }
}

impl<A: Allocator> BitGrid<A> {
    /// The dims that hold `points` with a margin of at least one empty cell
    /// on every side, so that a round never needs to look outside: see the
    /// [module documentation](self#sizes-and-the-byte-formula).
    /// [`GridDims::EMPTY`] when there are no points.
    ///
    /// `None` when the grid's coordinates or size would overflow.
    #[must_use]
    pub fn dims_for(points: impl Iterator<Item = Point2D>) -> Option<GridDims> {
        let mut bounds: Option<(i32, i32, i32, i32)> = None;
        for p in points {
            bounds = Some(match bounds {
                None => (p.x, p.x, p.y, p.y),
                Some((x_lo, x_hi, y_lo, y_hi)) => {
                    (x_lo.min(p.x), x_hi.max(p.x), y_lo.min(p.y), y_hi.max(p.y))
                }
            });
        }
        let Some((x_lo, x_hi, y_lo, y_hi)) = bounds else {
            return Some(GridDims::EMPTY);
        };
        // The margin: one column and one row beyond the elves on every side.
        let x0 = x_lo.checked_sub(1)?;
        let y0 = y_lo.checked_sub(1)?;
        let columns = usize::try_from(i64::from(x_hi) - i64::from(x_lo) + 3).ok()?;
        let rows = usize::try_from(i64::from(y_hi) - i64::from(y_lo) + 3).ok()?;
        let dims = GridDims {
            x0,
            y0,
            width_words: columns.div_ceil(BITS),
            height: rows,
        };
        dims.is_valid().then_some(dims)
    }

    /// The bytes of a grid of `dims`: `width_words * height * 8`, exactly the
    /// one block it allocates. `None` for dims that are not
    /// [valid](GridDims::is_valid).
    #[must_use]
    pub fn bytes_for(dims: GridDims) -> Option<usize> {
        if !dims.is_valid() {
            return None;
        }
        dims.words()?.checked_mul(8)
    }

    /// A grid of `dims` with no elves, in one block of exactly
    /// [`bytes_for(dims)`](Self::bytes_for) bytes of `alloc`.
    fn try_empty_in(dims: GridDims, alloc: A) -> Result<Self, BitGridError> {
        let bytes = Self::bytes_for(dims).ok_or(BitGridError::TooLarge)?;
        let used = dims.words().ok_or(BitGridError::TooLarge)?;
        let mut words = AllocVec::new_in(alloc);
        words
            .try_reserve_exact(used)
            .map_err(|_| BitGridError::Alloc {
                requested_bytes: bytes,
            })?;
        // Within the capacity just reserved: zeroes, never reallocates.
        words.resize(used, 0);
        debug_assert_eq!(words.capacity(), used, "allocator-api2 reserves exactly");
        Ok(Self {
            words,
            dims,
            used,
            len: 0,
            tiles_id: 0,
            side_low: [0; 2],
        })
    }

    /// The grid of `points` (duplicates count once), with the dims of
    /// [`dims_for`](Self::dims_for), in one block of `alloc`.
    ///
    /// `points` is walked twice: once for the bounds, once (a clone) to set
    /// the bits.
    ///
    /// # Errors
    ///
    /// [`BitGridError::TooLarge`] when the dims overflow (or the clone yields
    /// a point outside the first walk's bounds); [`BitGridError::Alloc`] when
    /// `alloc` cannot give the block.
    pub fn try_from_points_in(
        points: impl Iterator<Item = Point2D> + Clone,
        alloc: A,
    ) -> Result<Self, BitGridError> {
        let dims = Self::dims_for(points.clone()).ok_or(BitGridError::TooLarge)?;
        let mut grid = Self::try_empty_in(dims, alloc)?;
        let (width, w) = (grid.width_cells(), dims.width_words);
        for p in points {
            let row = usize::try_from(i64::from(p.y) - i64::from(dims.y0)).ok();
            let col = usize::try_from(i64::from(p.x) - i64::from(dims.x0)).ok();
            let (Some(row), Some(col)) = (row, col) else {
                return Err(BitGridError::TooLarge);
            };
            if row >= dims.height || col >= width {
                return Err(BitGridError::TooLarge);
            }
            let bit = 1u64 << (col % BITS);
            let word = &mut grid.words[row * w + col / BITS];
            if *word & bit == 0 {
                *word |= bit;
                grid.len += 1;
            }
        }
        Ok(grid)
    }

    /// A copy of this grid, same dims, in one block of exactly
    /// [`bytes_for(self.dims())`](Self::bytes_for) bytes of `alloc`: what a
    /// caller allocates when [`try_copy_from`](Self::try_copy_from) does not
    /// fit.
    ///
    /// # Errors
    ///
    /// [`BitGridError::Alloc`] when `alloc` cannot give the block.
    pub fn try_clone_in<B: Allocator>(&self, alloc: B) -> Result<BitGrid<B>, BitGridError> {
        let mut copy = BitGrid::try_empty_in(self.dims, alloc)?;
        copy.words.copy_from_slice(self.cells());
        copy.len = self.len;
        copy.tiles_id = self.tiles_id;
        copy.side_low = self.side_low;
        Ok(copy)
    }

    /// One round, with first direction `first_dir % 4` of N, S, W, E (round
    /// `r`, 1-based, has `first_dir = (r - 1) % 4`).
    ///
    /// The new grid has this grid's dims grown as the
    /// [growth rule](self#growth-rule) says (one row at the top or bottom, one
    /// word on the west or east, when an elf is next to that margin) and is
    /// allocated as one block of exactly
    /// [`bytes_for`](Self::bytes_for)`(new.dims())` bytes in `alloc`. Returns it
    /// and the number of elves that moved.
    ///
    /// The round works in `scratch` when the grid fits it: a caller that
    /// plays many rounds makes one [`Scratch`] and lends it to each. What it
    /// holds makes no difference to the result.
    ///
    /// # Errors
    ///
    /// [`BitGridError::TooLarge`] when the grown dims overflow;
    /// [`BitGridError::Alloc`] when `alloc` cannot give the block.
    pub fn try_step_in<B: Allocator>(
        &self,
        first_dir: usize,
        alloc: B,
        scratch: &mut Scratch,
    ) -> Result<(BitGrid<B>, usize), BitGridError> {
        self.step_with_in(first_dir, alloc, self.kernel(), scratch)
    }

    /// One round, as [`try_step_in`](Self::try_step_in), into `next`'s
    /// block instead of a new one (the *reuse* strategy): `next` takes the
    /// grown dims, is cleared and filled; its block is kept when it holds
    /// the grown grid. Otherwise a block of exactly
    /// [`bytes_for`](Self::bytes_for)`(grown)` bytes is allocated in
    /// `next`'s allocator and the old one freed (after, as Zig's `realloc`
    /// does when it cannot resize in place; nothing is copied). Returns the
    /// number of elves that moved.
    ///
    /// # Errors
    ///
    /// [`BitGridError::TooLarge`] when the grown dims overflow;
    /// [`BitGridError::Alloc`] when the new block cannot be had (`next` is
    /// then unchanged).
    pub fn try_step_into<B: Allocator + Clone>(
        &self,
        first_dir: usize,
        next: &mut BitGrid<B>,
        scratch: &mut Scratch,
    ) -> Result<usize, BitGridError> {
        let growth = self.growth(&scratch.tiles)?;
        let used = growth.dims.words().ok_or(BitGridError::TooLarge)?;
        if used > next.words.len() {
            let alloc = next.words.allocator().clone();
            *next = BitGrid::try_empty_in(growth.dims, alloc)?;
        } else {
            next.words[..used].fill(0);
            next.dims = growth.dims;
            next.used = used;
            next.len = 0;
            next.tiles_id = 0;
        }
        Ok(self.step_onto(next, first_dir, self.kernel(), growth, scratch))
    }

    /// The kernel that suits this grid.
    fn kernel(&self) -> RoundKernel {
        if self.used > self.len.saturating_mul(SPARSE_WORDS_PER_ELF) {
            RoundKernel::Sparse
        } else if self.dims.width_words <= flat::MAX_WIDTH {
            // A tiny grid takes the baseline: asking the CPU for AVX2 costs
            // more than such a grid's rounds.
            RoundKernel::Flat(if self.used < FLAT_BASELINE_BELOW {
                Level::Baseline
            } else {
                Level::best()
            })
        } else {
            RoundKernel::Strips(STRIP_WORDS)
        }
    }

    /// [`try_step_in`](Self::try_step_in) with the given kernel: tests run
    /// every kernel and level on the same grids.
    fn step_with_in<B: Allocator>(
        &self,
        first_dir: usize,
        alloc: B,
        kernel: RoundKernel,
        scratch: &mut Scratch,
    ) -> Result<(BitGrid<B>, usize), BitGridError> {
        let growth = self.growth(&scratch.tiles)?;
        let mut next = BitGrid::try_empty_in(growth.dims, alloc)?;
        let moved = self.step_onto(&mut next, first_dir, kernel, growth, scratch);
        Ok((next, moved))
    }

    /// The next grid's dims, by the [growth rule](self#growth-rule); `tiles`
    /// may hold this grid's tile map.
    fn growth(&self, tiles: &sparse::TileCache) -> Result<Growth, BitGridError> {
        let d = self.dims;
        let ([top, bottom], side) = (self.margin_touch(), self.side_touch(tiles));
        let [top, bottom] = [top, bottom].map(usize::from);
        let [west, east] = side.map(|(touch, _)| usize::from(touch));
        let dims = GridDims {
            x0: d
                .x0
                .checked_sub(if west == 1 { 64 } else { 0 })
                .ok_or(BitGridError::TooLarge)?,
            y0: d
                .y0
                .checked_sub(i32::from(top == 1))
                .ok_or(BitGridError::TooLarge)?,
            width_words: d
                .width_words
                .checked_add(west + east)
                .ok_or(BitGridError::TooLarge)?,
            height: d
                .height
                .checked_add(top + bottom)
                .ok_or(BitGridError::TooLarge)?,
        };
        Ok(Growth {
            dims,
            top,
            west,
            side,
        })
    }

    /// Plays the round into `next`, whose first `used` words are zero and
    /// whose dims are `growth`'s, with the flat kernel's planes in `scratch`
    /// when they fit; sets its elves and tiles. Returns the number of elves
    /// that moved.
    fn step_onto<B: Allocator>(
        &self,
        next: &mut BitGrid<B>,
        first_dir: usize,
        kernel: RoundKernel,
        growth: Growth,
        scratch: &mut Scratch,
    ) -> usize {
        let (d, grown) = (self.dims, growth.dims);
        debug_assert_eq!(next.dims, grown);
        let frame = Frame {
            cur: self.cells(),
            w: d.width_words,
            h: d.height,
            out_w: grown.width_words,
            dy: growth.top,
            dw: growth.west,
        };
        let out = &mut next.words[..next.used];
        // The word kernels write every word, so every tile may hold elves
        // (no map); the sparse kernel marks the tiles it writes, and its map
        // goes to the scratch for the next round.
        let (moved, tiles_id) = match kernel {
            RoundKernel::Flat(level) if d.width_words <= flat::MAX_WIDTH => (
                flat::step(&frame, out, first_dir, level, &mut scratch.planes),
                0,
            ),
            RoundKernel::Flat(_) => (frame.step_strips(out, first_dir, STRIP_WORDS), 0),
            RoundKernel::Strips(strip) => (frame.step_strips(out, first_dir, strip), 0),
            RoundKernel::Sparse => {
                let mut all = None;
                let cur = sparse::Cells {
                    words: self.cells(),
                    dims: d,
                    len: self.len,
                    tiles: self.tile_map(&scratch.tiles, &mut all),
                };
                let mut sink = sparse::Sink {
                    words: out,
                    dims: grown,
                    tiles: sparse::Tiles::none(grown),
                };
                let moved = sparse::step(&cur, &mut sink, first_dir);
                scratch.tiles = sparse::TileCache::new(sink.tiles);
                (moved, scratch.tiles.id())
            }
        };
        next.tiles_id = tiles_id;
        next.len = self.len;
        // An elf moves one column a round at most; a new word on a side
        // puts 64 more columns between the elves and that edge.
        next.side_low = growth
            .side
            .map(|(touch, low)| low - 1 + 64 * usize::from(touch));
        moved
    }

    /// Whether an elf is next to the margin on the north and south.
    fn margin_touch(&self) -> [bool; 2] {
        let (w, h) = (self.dims.width_words, self.dims.height);
        if self.len == 0 || h < 3 {
            return [false; 2];
        }
        let cells = self.cells();
        let row = |r: usize| &cells[r * w..(r + 1) * w];
        [row(1), row(h - 2)].map(|r| r.iter().any(|&x| x != 0))
    }

    /// Whether an elf is next to the margin on the west and east, each with
    /// a lower bound on the elves' distance from that edge (`side_low`: 1
    /// when touching). Column 1 (the last but one) holds an elf exactly when
    /// that distance is 1, so a known bound of 2 or more answers without
    /// looking at the rows; otherwise the rows' first and last words give
    /// the exact distances (64 when they are all empty). Grids made by a
    /// round carry the bounds on ([`Self::step_with_in`]), so most rounds
    /// skip that scan, which costs a few cycles a row.
    fn side_touch(&self, tile_maps: &sparse::TileCache) -> [(bool, usize); 2] {
        let (w, h) = (self.dims.width_words, self.dims.height);
        if self.len == 0 || h < 3 || w == 0 {
            return [(false, 1); 2];
        }
        if self.side_low.iter().all(|&low| low >= 2) {
            return self.side_low.map(|low| (false, low));
        }
        let cells = self.cells();
        // Only the rows of bands whose first (last) tile column is marked can
        // hold an elf in column 1 (the last but one): the first (last) words
        // of those rows, OR-ed together, a band at a time.
        let (mut first_words, mut last_words) = (0u64, 0u64);
        let mut all = None;
        let tiles = self.tile_map(tile_maps, &mut all);
        let band_rows = tiles.band_rows();
        for (band, rows) in cells.chunks(band_rows.saturating_mul(w)).enumerate() {
            let (first, last) = tiles.marked_ends(band * band_rows, w);
            if first {
                first_words |= rows.iter().step_by(w).fold(0, |acc, &x| acc | x);
            }
            if last {
                last_words |= rows[w - 1..].iter().step_by(w).fold(0, |acc, &x| acc | x);
            }
        }
        // Column 0 and column 64 * w - 1 are the margin: the distances are
        // at least 1 (`max(1)` keeps that even for a grid breaking it).
        let west = (first_words & 0b10 != 0, first_words.trailing_zeros().max(1));
        let east = (
            last_words & (1 << 62) != 0,
            last_words.leading_zeros().max(1),
        );
        [west, east].map(|(touch, low)| (touch, low as usize))
    }

    /// Copies `src` (dims, elves and count) into this grid's block, for the
    /// *tempcopy* strategy: step into a temporary buffer, copy the result back
    /// into the persistent grid.
    ///
    /// It fits when `bytes_for(src.dims()) <= self.allocation_bytes()`: then
    /// the first `bytes_for(src.dims())` bytes of the block are overwritten,
    /// `self` takes `src`'s dims and count, the block itself is neither
    /// reallocated nor resized (so [`allocation_bytes`](Self::allocation_bytes)
    /// is unchanged and may exceed `bytes_for(self.dims())`), and no allocator
    /// is called. The rest of the block keeps stale words that are never read.
    ///
    /// # Errors
    ///
    /// [`BitGridError::TooLarge`] when `src` does not fit; `self` is then
    /// unchanged, and the caller reallocates (e.g. with
    /// [`try_clone_in`](Self::try_clone_in)).
    pub fn try_copy_from<B: Allocator>(&mut self, src: &BitGrid<B>) -> Result<(), BitGridError> {
        let n = src.used;
        let dst = self.words.get_mut(..n).ok_or(BitGridError::TooLarge)?;
        dst.copy_from_slice(src.cells());
        self.dims = src.dims;
        self.used = n;
        self.len = src.len;
        self.tiles_id = src.tiles_id;
        self.side_low = src.side_low;
        Ok(())
    }

    /// Grows the block to hold `words` words, through the allocator's
    /// `grow` (Zig's `realloc`: in place when the block is the last one of a
    /// fixed buffer, else a new block, a copy and a free). Does nothing when
    /// the block is already that large.
    ///
    /// # Errors
    ///
    /// [`BitGridError::Alloc`] with the bytes the block had to grow by, when
    /// the allocator cannot grow it; `self` is then unchanged.
    pub fn try_grow_block(&mut self, words: usize) -> Result<(), BitGridError> {
        let extra = words.saturating_sub(self.words.len());
        if extra == 0 {
            return Ok(());
        }
        self.words
            .try_reserve_exact(extra)
            .map_err(|_| BitGridError::Alloc {
                requested_bytes: extra.saturating_mul(8),
            })?;
        // The capacity is there: this only writes zeros.
        self.words.resize(words, 0);
        Ok(())
    }

    /// Where the grid is and how big.
    #[must_use]
    pub fn dims(&self) -> GridDims {
        self.dims
    }

    /// The bytes of this grid's block: `bytes_for(self.dims())`, or more after
    /// [`try_copy_from`](Self::try_copy_from) copied a smaller grid in.
    #[must_use]
    pub fn allocation_bytes(&self) -> usize {
        self.words.capacity() * 8
    }

    /// The number of elves.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no elves.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Part 1: the empty cells of the smallest rectangle holding every elf,
    /// from each row's first and last elf (`trailing_zeros`/`leading_zeros`)
    /// and the cached count. 0 without elves.
    #[must_use]
    pub fn empty_ground(&self) -> u64 {
        let w = self.dims.width_words;
        let mut rows: Option<(usize, usize)> = None;
        let (mut col_lo, mut col_hi) = (usize::MAX, 0);
        for (r, row) in self.cells().chunks_exact(w).enumerate() {
            let Some(first) = row.iter().position(|&x| x != 0) else {
                continue;
            };
            let last = row.iter().rposition(|&x| x != 0).unwrap_or(first);
            col_lo = col_lo.min(first * BITS + row[first].trailing_zeros() as usize);
            col_hi = col_hi.max(last * BITS + (BITS - 1) - row[last].leading_zeros() as usize);
            rows = Some(rows.map_or((r, r), |(lo, _)| (lo, r)));
        }
        let Some((row_lo, row_hi)) = rows else {
            return 0;
        };
        let area = (row_hi - row_lo + 1) as u64 * (col_hi - col_lo + 1) as u64;
        area.saturating_sub(self.len as u64)
    }

    /// The elves in row-major order (by `y`, then `x`): the order of sorted
    /// `(y, x)` pairs.
    pub fn points(&self) -> impl Iterator<Item = Point2D> + '_ {
        Points::new(self.cells(), self.dims)
    }

    /// This grid's tile map, when `cache` holds it, or one with every tile
    /// marked, made in `all`.
    fn tile_map<'t>(
        &self,
        cache: &'t sparse::TileCache,
        all: &'t mut Option<sparse::Tiles>,
    ) -> &'t sparse::Tiles {
        match cache.map_of(self.tiles_id) {
            Some(tiles) => tiles,
            None => all.insert(sparse::Tiles::all(self.dims)),
        }
    }

    /// The grid's words (the used part of the block).
    fn cells(&self) -> &[u64] {
        &self.words[..self.used]
    }

    /// The grid width in cells.
    fn width_cells(&self) -> usize {
        self.dims.width_words * BITS
    }
}

impl<'a> Points<'a> {
    /// The elves of the grid `words` of `dims`, in row-major order.
    fn new(words: &'a [u64], dims: GridDims) -> Self {
        Self {
            words,
            next: 0,
            w: dims.width_words.max(1),
            x0: dims.x0,
            y0: dims.y0,
            base_x: 0,
            row: 0,
            bits: 0,
        }
    }
}

/// The iterator behind [`BitGrid::points`]. Empty words are skipped eight
/// at a time, so a sparse grid's scan costs little more than reading it.
struct Points<'a> {
    /// The grid's words.
    words: &'a [u64],
    /// Index of the next word to look at.
    next: usize,
    /// Words per row.
    w: usize,
    /// The grid's origin.
    x0: i32,
    /// The grid's origin.
    y0: i32,
    /// Column of bit 0 of the word in `bits`.
    base_x: usize,
    /// Row of the word in `bits`.
    row: usize,
    /// The bits of the current word not yet yielded.
    bits: u64,
}

impl Points<'_> {
    /// Whether every elf has been yielded.
    fn is_done(&self) -> bool {
        self.bits == 0 && self.next >= self.words.len()
    }
}

/// The index of the first non-zero word of `words`.
#[inline]
fn first_nonzero(words: &[u64]) -> Option<usize> {
    let mut chunks = words.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        if chunk.iter().fold(0, |acc, &x| acc | x) != 0 {
            return chunk.iter().position(|&x| x != 0).map(|k| base + k);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&x| x != 0)
        .map(|k| base + k)
}

impl Iterator for Points<'_> {
    type Item = Point2D;

    #[inline]
    fn next(&mut self) -> Option<Point2D> {
        loop {
            if self.bits != 0 {
                let col = self.base_x + self.bits.trailing_zeros() as usize;
                self.bits &= self.bits - 1;
                // A valid grid's cells all have i32 coordinates (`is_valid`),
                // so these neither truncate nor wrap.
                return Some(Point2D::new(
                    self.x0.wrapping_add(col as i32),
                    self.y0.wrapping_add(self.row as i32),
                ));
            }
            let rest = self.words.get(self.next..)?;
            let Some(skip) = first_nonzero(rest) else {
                self.next = self.words.len();
                return None;
            };
            let i = self.next + skip;
            self.bits = rest[skip];
            self.next = i + 1;
            self.row = i / self.w;
            self.base_x = (i % self.w) * BITS;
        }
    }
}

impl<A: Allocator> super::Generation for BitGrid<A> {
    fn empty_ground(&self) -> u64 {
        BitGrid::empty_ground(self)
    }

    fn positions(&self) -> Vec<Point2D> {
        // Row-major is the sorted (y, x) order already.
        self.points().collect()
    }

    fn elf_count(&self) -> usize {
        self.len
    }
}

impl<A: Allocator + Clone> super::Cells<A> for BitGrid<A> {
    const WHAT: &'static str = "the bit grid";
    const WHAT_COPY_BACK: &'static str = "more room for the bit grid's copy back";
    const WHAT_SPARE: &'static str = "the spare bit grid";

    fn try_from_elves_in(
        elves: &crate::grid::parse::Elves<'_>,
        alloc: A,
    ) -> Result<Self, super::AllocFailure> {
        Self::try_from_points_in(elves.points(), alloc).map_err(Into::into)
    }

    type Scratch = Scratch;

    fn try_step_in(
        &self,
        round: usize,
        alloc: A,
        scratch: &mut Scratch,
    ) -> Result<(Self, usize), super::AllocFailure> {
        let first = crate::sim::first_direction(round);
        BitGrid::try_step_in(self, first, alloc, scratch).map_err(Into::into)
    }

    fn try_copy_back(&mut self, next: &Self) -> Result<(), super::AllocFailure> {
        if self.try_copy_from(next).is_err() {
            // The new grid is larger: grow this block (in place, when it is
            // the last one in its buffer), then copy.
            self.try_grow_block(next.used)?;
            self.try_copy_from(next)?;
        }
        Ok(())
    }

    fn try_spare_in(&self, alloc: A) -> Result<Self, super::AllocFailure> {
        Self::try_empty_in(self.dims, alloc).map_err(Into::into)
    }

    fn try_step_into(
        &self,
        round: usize,
        next: &mut Self,
        scratch: &mut Scratch,
    ) -> Result<usize, super::AllocFailure> {
        let first = crate::sim::first_direction(round);
        BitGrid::try_step_into(self, first, next, scratch).map_err(Into::into)
    }
}

impl From<BitGridError> for super::AllocFailure {
    fn from(e: BitGridError) -> Self {
        let requested = match e {
            BitGridError::Alloc { requested_bytes } => requested_bytes,
            BitGridError::TooLarge => usize::MAX,
        };
        Self {
            requested,
            align: core::mem::align_of::<u64>(),
        }
    }
}

#[cfg(test)]
mod tests;
