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
//! The pass goes down the rows once: each row's `X`, `west(X)`, `east(X)` and
//! `X | west(X) | east(X)` are computed once, when the row is loaded, into a
//! ring of three rows; the proposal planes of five consecutive rows live in a
//! second ring; row `r` is written as soon as the proposals of row `r + 2`
//! are known. Both rings are fixed arrays on the stack (about 8.7 KiB), so
//! rows wider than [`STRIP_WORDS`] words are done in vertical strips of that
//! many words, each with one halo word on either side. There is no per-elf
//! loop, and no memory besides the stack and the two grids' blocks.
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

/// The widest strip of words one pass of a round handles; wider rows are done
/// in several strips. 32 words are 2048 columns, so real inputs take one.
pub const STRIP_WORDS: usize = 32;

/// Words of a proposal plane per strip: the strip and one halo word per side.
const SPAN: usize = STRIP_WORDS + 2;

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
    /// # Errors
    ///
    /// [`BitGridError::TooLarge`] when the grown dims overflow;
    /// [`BitGridError::Alloc`] when `alloc` cannot give the block.
    pub fn try_step_in<B: Allocator>(
        &self,
        first_dir: usize,
        alloc: B,
    ) -> Result<(BitGrid<B>, usize), BitGridError> {
        self.step_strips_in(first_dir, alloc, STRIP_WORDS)
    }

    /// [`try_step_in`](Self::try_step_in) with strips of `strip` words (at
    /// most [`STRIP_WORDS`]): tests use narrow strips to exercise the halos.
    fn step_strips_in<B: Allocator>(
        &self,
        first_dir: usize,
        alloc: B,
        strip: usize,
    ) -> Result<(BitGrid<B>, usize), BitGridError> {
        let d = self.dims;
        let [top, bottom, west, east] = self.margin_touch().map(usize::from);
        let grown = GridDims {
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
        let mut next = BitGrid::try_empty_in(grown, alloc)?;
        let frame = Frame {
            cur: self.cells(),
            w: d.width_words,
            h: d.height,
            out_w: grown.width_words,
            dy: top,
            dw: west,
        };
        let strip = strip.clamp(1, STRIP_WORDS);
        let out = &mut next.words[..];
        let moved = match first_dir % 4 {
            0 => frame.step::<0>(out, strip),
            1 => frame.step::<1>(out, strip),
            2 => frame.step::<2>(out, strip),
            _ => frame.step::<3>(out, strip),
        };
        next.len = self.len;
        Ok((next, moved))
    }

    /// Whether an elf is next to the margin on the north, south, west, east.
    fn margin_touch(&self) -> [bool; 4] {
        let (w, h) = (self.dims.width_words, self.dims.height);
        if self.len == 0 || h < 3 {
            return [false; 4];
        }
        let cells = self.cells();
        let row = |r: usize| &cells[r * w..(r + 1) * w];
        let north = row(1).iter().any(|&x| x != 0);
        let south = row(h - 2).iter().any(|&x| x != 0);
        let (mut west, mut east) = (false, false);
        for r in cells.chunks_exact(w) {
            west |= r[0] & 0b10 != 0;
            east |= r[w - 1] & (1 << 62) != 0;
        }
        [north, south, west, east]
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
        Points {
            words: self.cells().iter(),
            w: self.dims.width_words,
            x0: self.dims.x0,
            y0: self.dims.y0,
            next_row: 0,
            next_in_row: 0,
            base_x: 0,
            row: 0,
            bits: 0,
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

/// The iterator behind [`BitGrid::points`].
struct Points<'a> {
    /// Words not yet loaded.
    words: core::slice::Iter<'a, u64>,
    /// Words per row.
    w: usize,
    /// The grid's origin.
    x0: i32,
    /// The grid's origin.
    y0: i32,
    /// Row of the next word to load.
    next_row: usize,
    /// Index in its row of the next word to load.
    next_in_row: usize,
    /// Column of bit 0 of the word in `bits`.
    base_x: usize,
    /// Row of the word in `bits`.
    row: usize,
    /// The bits of the current word not yet yielded.
    bits: u64,
}

impl Iterator for Points<'_> {
    type Item = Point2D;

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
            self.bits = *self.words.next()?;
            self.base_x = self.next_in_row * BITS;
            self.row = self.next_row;
            self.next_in_row += 1;
            if self.next_in_row == self.w {
                self.next_in_row = 0;
                self.next_row += 1;
            }
        }
    }
}

/// The proposal planes of one row of a strip, per direction.
#[derive(Clone, Copy)]
struct Plans {
    /// Elves that propose north.
    n: [u64; SPAN],
    /// Elves that propose south.
    s: [u64; SPAN],
    /// Elves that propose west.
    w: [u64; SPAN],
    /// Elves that propose east.
    e: [u64; SPAN],
}

impl Plans {
    /// No proposals.
    const NONE: Self = Self {
        n: [0; SPAN],
        s: [0; SPAN],
        w: [0; SPAN],
        e: [0; SPAN],
    };
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

impl Frame<'_> {
    /// Runs the round into `out` (the new grid's zeroed words), strip by
    /// strip; returns how many elves moved. `FIRST` is the first direction.
    fn step<const FIRST: usize>(&self, out: &mut [u64], strip: usize) -> usize {
        let mut moved = 0;
        let mut a = 0;
        while a < self.w {
            let b = self.w.min(a + strip);
            moved += self.step_strip::<FIRST>(out, a, b);
            a = b;
        }
        moved
    }

    /// Loads row `q` (zeros below the grid) into `row`: plan words `lo..hi`
    /// of its cells and of their west and east neighbours. Plan word `k` is
    /// grid word `a - 1 + k`.
    #[inline(always)]
    fn load(&self, q: usize, a: usize, (lo, hi): (usize, usize), row: &mut Row) {
        let hi = hi.min(SPAN);
        let Some(cells) = self.cur.get(q * self.w..(q + 1) * self.w) else {
            // Below the grid: no elves.
            for k in lo..hi {
                row.x[k] = 0;
                row.w[k] = 0;
                row.e[k] = 0;
                row.h[k] = 0;
            }
            return;
        };
        // Plan word k is grid word g = a - 1 + k; `lo` makes g >= 0 and `hi`
        // makes g < w. The neighbour words roll along, zero outside the grid.
        let g0 = (a + lo).saturating_sub(1);
        let mut l = if g0 > 0 { cells[g0 - 1] } else { 0 };
        let mut c = cells.get(g0).copied().unwrap_or(0);
        let mut g = g0;
        for k in lo..hi {
            g += 1;
            let r = cells.get(g).copied().unwrap_or(0);
            // Each cell's west neighbour: the word shifted east, with the
            // carry from the word to the west; the east neighbour likewise.
            let west = (c << 1) | (l >> 63);
            let east = (c >> 1) | (r << 63);
            row.x[k] = c;
            row.w[k] = west;
            row.e[k] = east;
            row.h[k] = west | c | east;
            (l, c) = (c, r);
        }
    }

    /// The round on words `a..b` of every row (`b - a <= STRIP_WORDS`).
    fn step_strip<const FIRST: usize>(&self, out: &mut [u64], a: usize, b: usize) -> usize {
        let n = (b - a).min(STRIP_WORDS);
        // Plan words `lo..hi`: the halo words that lie outside the grid have
        // no elves, so their plans stay as zeroed here.
        let lo = usize::from(a == 0);
        let hi = if b == self.w { n + 1 } else { n + 2 };
        let span = (lo, hi);
        // Rows q - 1, q, q + 1 (`rows[ri[0..3]]`) to plan row q.
        let mut rows = [Row::EMPTY; 3];
        let mut ri = [0, 1, 2];
        // Proposals of rows r - 3 ..= r + 1 (`plans[pi[0..5]]`), rotated to
        // r - 2 ..= r + 2 at the top of each row; rows -3 to 0
        // hold no elves (the margin), so they stay empty.
        let mut plans = [Plans::NONE; 5];
        let mut pi = [0, 1, 2, 3, 4];
        for (q, row) in rows.iter_mut().enumerate() {
            self.load(q, a, span, row);
        }
        plan_row::<FIRST>([&rows[0], &rows[1], &rows[2]], span, &mut plans[4]);
        let mut moved = 0usize;
        for r in 0..self.h {
            // Proposals of row r + 2, from rows r + 1 ..= r + 3.
            ri.rotate_left(1);
            pi.rotate_left(1);
            self.load(r + 3, a, span, &mut rows[ri[2]]);
            plan_row::<FIRST>(
                [&rows[ri[0]], &rows[ri[1]], &rows[ri[2]]],
                span,
                &mut plans[pi[4]],
            );
            let cur = &self.cur[r * self.w + a..r * self.w + b];
            let start = (r + self.dy) * self.out_w + self.dw + a;
            let dst = &mut out[start..start + n];
            moved += resolve_row(pi.map(|i| &plans[i]), cur, dst);
        }
        moved
    }
}

/// One grid row of a strip, ready for planning: per plan word, the cells
/// (`x`), each cell's west (`w`) and east (`e`) neighbour, and any of the
/// three (`h`).
#[derive(Clone, Copy)]
struct Row {
    /// The cells.
    x: [u64; SPAN],
    /// Each cell's west neighbour.
    w: [u64; SPAN],
    /// Each cell's east neighbour.
    e: [u64; SPAN],
    /// `w | x | e`.
    h: [u64; SPAN],
}

impl Row {
    /// An empty row.
    const EMPTY: Self = Self {
        x: [0; SPAN],
        w: [0; SPAN],
        e: [0; SPAN],
        h: [0; SPAN],
    };
}

/// The proposals of the middle one of three rows: plan words `lo..hi`.
#[inline(always)]
fn plan_row<const FIRST: usize>(
    [above, here, below]: [&Row; 3],
    (lo, hi): (usize, usize),
    plans: &mut Plans,
) {
    let hi = hi.min(SPAN);
    for k in lo..hi {
        let north = above.h[k];
        let south = below.h[k];
        let w_side = above.w[k] | here.w[k] | below.w[k];
        let e_side = above.e[k] | here.e[k] | below.e[k];
        let sides = [north, south, w_side, e_side];
        let mut rest = here.x[k] & (north | south | w_side | e_side);
        let mut p = [0u64; 4];
        for i in 0..4 {
            let d = (FIRST + i) % 4;
            let take = rest & !sides[d];
            p[d] = take;
            rest &= !take;
        }
        plans.n[k] = p[0];
        plans.s[k] = p[1];
        plans.w[k] = p[2];
        plans.e[k] = p[3];
    }
}

/// Writes one new row of a strip and returns how many elves left it.
/// `p[i]` are the proposals of rows `r - 2 + i`; plan word `j + 1` is `cur[j]`.
#[inline(always)]
fn resolve_row(p: [&Plans; 5], cur: &[u64], dst: &mut [u64]) -> usize {
    let [up2, up1, here, down1, down2] = p;
    let mut moved = 0usize;
    let n = cur.len().min(dst.len()).min(STRIP_WORDS);
    for j in 0..n {
        let k = j + 1;
        let (pn, ps, pw, pe) = (here.n[k], here.s[k], here.w[k], here.e[k]);
        // North moves cancelled by a south proposal two rows up, and so on.
        let gone_ns = (pn & !up2.s[k]) | (ps & !down2.n[k]);
        let e_two_west = (pe << 2) | (here.e[k - 1] >> 62);
        let w_two_east = (pw >> 2) | (here.w[k + 1] << 62);
        let gone_we = (pw & !e_two_west) | (pe & !w_two_east);
        let gone = gone_ns | gone_we;
        // Arrivals: a lone proposal for a cell moves, two cancel (XOR).
        let in_ns = down1.n[k] ^ up1.s[k];
        let in_we = ((pw >> 1) | (here.w[k + 1] << 63)) ^ ((pe << 1) | (here.e[k - 1] >> 63));
        dst[j] = (cur[j] & !gone) | in_ns | in_we;
        moved += gone.count_ones() as usize;
    }
    moved
}

impl<A: Allocator> super::Generation for BitGrid<A> {
    fn empty_ground(&self) -> u64 {
        BitGrid::empty_ground(self)
    }

    fn positions(&self) -> Vec<Point2D> {
        // Row-major is the sorted (y, x) order already.
        self.points().collect()
    }
}

impl<A: Allocator> super::Cells<A> for BitGrid<A> {
    const WHAT: &'static str = "the bit grid";
    const WHAT_COPY_BACK: &'static str = "more room for the bit grid's copy back";

    fn try_from_elves_in(
        elves: &crate::grid::parse::Elves<'_>,
        alloc: A,
    ) -> Result<Self, super::AllocFailure> {
        Self::try_from_points_in(elves.points(), alloc).map_err(Into::into)
    }

    fn try_step_in(&self, round: usize, alloc: A) -> Result<(Self, usize), super::AllocFailure> {
        BitGrid::try_step_in(self, crate::sim::first_direction(round), alloc).map_err(Into::into)
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
mod tests {
    use super::*;
    use crate::alloc::{Counting, FixedBufferAllocator, Global};
    use core::mem::MaybeUninit;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// The reference: elves as sorted `(y, x)` pairs (row-major order).
    type Ref = BTreeSet<(i32, i32)>;

    /// N, S, W, E as `(dx, dy)`.
    const DIRS: [(i32, i32); 4] = [(0, -1), (0, 1), (-1, 0), (1, 0)];

    const LARGER: &str = "....#..\n..###.#\n#...#.#\n.#...##\n#.###..\n##.#.##\n.#..#..\n";
    const SMALL: &str = ".....\n..##.\n..#..\n.....\n..##.\n.....\n";

    /// One round of the puzzle, straight from its text.
    fn ref_round(elves: &Ref, first: usize) -> (Ref, usize) {
        let occupied = |x: i32, y: i32| elves.contains(&(y, x));
        let mut wanted: BTreeMap<(i32, i32), Vec<(i32, i32)>> = BTreeMap::new();
        for &(y, x) in elves {
            let crowded = (-1..=1)
                .flat_map(|dy| (-1..=1).map(move |dx| (dx, dy)))
                .any(|(dx, dy)| (dx, dy) != (0, 0) && occupied(x + dx, y + dy));
            if !crowded {
                continue;
            }
            for i in 0..4 {
                let (dx, dy) = DIRS[(first + i) % 4];
                let side = if dx == 0 {
                    [(-1, dy), (0, dy), (1, dy)]
                } else {
                    [(dx, -1), (dx, 0), (dx, 1)]
                };
                if side.iter().all(|&(sx, sy)| !occupied(x + sx, y + sy)) {
                    wanted.entry((y + dy, x + dx)).or_default().push((y, x));
                    break;
                }
            }
        }
        let mut next = elves.clone();
        let mut moved = 0;
        for (target, sources) in wanted {
            if let [source] = sources[..] {
                next.remove(&source);
                next.insert(target);
                moved += 1;
            }
        }
        (next, moved)
    }

    fn ref_empty_ground(elves: &Ref) -> u64 {
        if elves.is_empty() {
            return 0;
        }
        let (y_lo, y_hi) = (elves.first().unwrap().0, elves.last().unwrap().0);
        let x_lo = elves.iter().map(|e| e.1).min().unwrap();
        let x_hi = elves.iter().map(|e| e.1).max().unwrap();
        let area = (i64::from(y_hi - y_lo) + 1) * (i64::from(x_hi - x_lo) + 1);
        area as u64 - elves.len() as u64
    }

    fn parse(text: &str) -> Vec<Point2D> {
        let mut points = Vec::new();
        for (y, line) in text.lines().enumerate() {
            for (x, c) in line.chars().enumerate() {
                if c == '#' {
                    points.push(Point2D::new(x as i32, y as i32));
                }
            }
        }
        points
    }

    fn to_ref(points: &[Point2D]) -> Ref {
        points.iter().map(|p| (p.y, p.x)).collect()
    }

    fn pairs<A: Allocator>(grid: &BitGrid<A>) -> Vec<(i32, i32)> {
        grid.points().map(|p| (p.y, p.x)).collect()
    }

    /// Elves strictly inside the grid's edges, and the block sized as promised.
    fn assert_invariants<A: Allocator>(grid: &BitGrid<A>) {
        let d = grid.dims();
        let last_x = i64::from(d.x0) + (d.width_words * 64) as i64 - 1;
        let last_y = i64::from(d.y0) + d.height as i64 - 1;
        for p in grid.points() {
            assert!(
                i64::from(p.x) > i64::from(d.x0) && i64::from(p.x) < last_x,
                "{p:?} on the margin of {d:?}"
            );
            assert!(
                i64::from(p.y) > i64::from(d.y0) && i64::from(p.y) < last_y,
                "{p:?} on the margin of {d:?}"
            );
        }
        assert_eq!(grid.points().count(), grid.len());
        assert_eq!(
            grid.cells()
                .iter()
                .map(|w| w.count_ones() as usize)
                .sum::<usize>(),
            grid.len()
        );
        assert_eq!(Some(grid.allocation_bytes()), BitGrid::<A>::bytes_for(d));
    }

    /// A grown grid differs by at most one row per side and one word per side.
    fn assert_growth(old: GridDims, new: GridDims) {
        let top = old.y0 - new.y0;
        assert!(top == 0 || top == 1, "{old:?} -> {new:?}");
        let bottom = new.height - old.height - top as usize;
        assert!(bottom <= 1, "{old:?} -> {new:?}");
        let west = old.x0 - new.x0;
        assert!(west == 0 || west == 64, "{old:?} -> {new:?}");
        let east = new.width_words - old.width_words - (west / 64) as usize;
        assert!(east <= 1, "{old:?} -> {new:?}");
    }

    /// Steps `points` for `rounds` rounds with strips of `strip` words
    /// alongside the reference, comparing everything after every round.
    fn check_against_reference(points: &[Point2D], rounds: usize, strips: &[usize]) {
        let mut reference = to_ref(points);
        let mut grids: Vec<BitGrid<Global>> = strips
            .iter()
            .map(|_| BitGrid::try_from_points_in(points.iter().copied(), Global).unwrap())
            .collect();
        for grid in &grids {
            assert_eq!(pairs(grid), reference.iter().copied().collect::<Vec<_>>());
            assert_eq!(grid.empty_ground(), ref_empty_ground(&reference));
            assert_invariants(grid);
        }
        for round in 1..=rounds {
            let first = (round - 1) % 4;
            let (next, moved) = ref_round(&reference, first);
            reference = next;
            let expected: Vec<_> = reference.iter().copied().collect();
            for (grid, &strip) in grids.iter_mut().zip(strips) {
                let (stepped, grid_moved) = grid.step_strips_in(first, Global, strip).unwrap();
                assert_eq!(grid_moved, moved, "round {round}, strip {strip}");
                assert_eq!(pairs(&stepped), expected, "round {round}, strip {strip}");
                assert_eq!(stepped.empty_ground(), ref_empty_ground(&reference));
                assert_invariants(&stepped);
                assert_growth(grid.dims(), stepped.dims());
                *grid = stepped;
            }
        }
    }

    /// xorshift64, for reproducible random grids.
    struct XorShift(u64);

    impl XorShift {
        fn new(seed: u64) -> Self {
            Self(seed | 1)
        }

        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        /// True with probability `p`.
        fn chance(&mut self, p: f64) -> bool {
            ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
        }
    }

    /// A `w` by `h` field at `(ox, oy)`, each cell an elf with probability
    /// `density`.
    fn random_field(
        w: usize,
        h: usize,
        density: f64,
        seed: u64,
        (ox, oy): (i32, i32),
    ) -> Vec<Point2D> {
        let mut rng = XorShift::new(seed);
        let mut points = Vec::new();
        for y in 0..h as i32 {
            for x in 0..w as i32 {
                if rng.chance(density) {
                    points.push(Point2D::new(ox + x, oy + y));
                }
            }
        }
        points
    }

    /// Runs rounds until none moves: (part 1, part 2).
    fn solve(points: &[Point2D]) -> (u64, usize) {
        let mut grid = BitGrid::try_from_points_in(points.iter().copied(), Global).unwrap();
        let mut part1 = grid.empty_ground();
        for round in 1.. {
            let (next, moved) = grid.try_step_in((round - 1) % 4, Global).unwrap();
            grid = next;
            if round == 10 {
                part1 = grid.empty_ground();
            }
            if moved == 0 {
                return (part1, round);
            }
        }
        unreachable!()
    }

    fn shape() -> impl Strategy<Value = (usize, usize)> {
        prop_oneof![
            4 => (1usize..=40, 1usize..=40),
            1 => (1usize..=40, Just(1usize)),
            1 => (Just(1usize), 1usize..=40),
            1 => (41usize..=150, 1usize..=4),
            1 => (1usize..=3, 41usize..=80),
        ]
    }

    /// Random grids of many shapes, densities and places; optionally a full
    /// border of elves, and a lone elf to the west that moves the cluster to
    /// another bit of its words.
    fn field() -> impl Strategy<Value = Vec<Point2D>> {
        (
            shape(),
            0.05f64..=0.95,
            any::<u64>(),
            any::<bool>(),
            proptest::option::of((-70i32..=-2, 0i32..=40)),
            (-100i32..100, -100i32..100),
        )
            .prop_map(|((w, h), density, seed, border, anchor, offset)| {
                let mut points = random_field(w, h, density, seed, offset);
                if border {
                    for y in 0..h as i32 {
                        for x in 0..w as i32 {
                            if x == 0 || y == 0 || x == w as i32 - 1 || y == h as i32 - 1 {
                                points.push(Point2D::new(offset.0 + x, offset.1 + y));
                            }
                        }
                    }
                }
                if let Some((dx, dy)) = anchor {
                    points.push(Point2D::new(offset.0 + dx, offset.1 + dy));
                }
                points
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: if cfg!(miri) { 4 } else { 256 },
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        #[cfg_attr(miri, ignore = "safe code over safe Vec; the allocator's own tests cover Miri")]
        fn random_grids_match_reference(points in field()) {
            let rounds = if cfg!(miri) { 4 } else { 30 };
            check_against_reference(&points, rounds, &[STRIP_WORDS, 1]);
        }
    }

    #[test]
    #[cfg_attr(
        miri,
        ignore = "safe code, slow under Miri; the fixed-buffer tests below keep Miri coverage"
    )]
    fn larger_example_part1_110_part2_20() {
        assert_eq!(solve(&parse(LARGER)), (110, 20));
    }

    #[test]
    fn small_example_stops_moving_at_round_4() {
        let points = parse(SMALL);
        assert_eq!(solve(&points).1, 4);
        check_against_reference(&points, 4, &[STRIP_WORDS]);
    }

    #[test]
    #[cfg_attr(
        miri,
        ignore = "safe code, slow under Miri; the fixed-buffer tests below keep Miri coverage"
    )]
    fn larger_example_matches_reference_every_round() {
        check_against_reference(&parse(LARGER), 25, &[STRIP_WORDS, 1]);
    }

    #[test]
    fn no_elves_is_one_word_and_stays_still() {
        let grid = BitGrid::try_from_points_in(core::iter::empty(), Global).unwrap();
        assert_eq!(grid.dims(), GridDims::EMPTY);
        assert_eq!(
            (grid.len(), grid.empty_ground(), grid.allocation_bytes()),
            (0, 0, 8)
        );
        assert!(grid.is_empty());
        let (next, moved) = grid.try_step_in(0, Global).unwrap();
        assert_eq!(
            (next.dims(), moved, next.points().count()),
            (GridDims::EMPTY, 0, 0)
        );
    }

    #[test]
    fn duplicates_count_once() {
        let p = Point2D::new(3, -4);
        let grid = BitGrid::try_from_points_in([p, p, p].into_iter(), Global).unwrap();
        assert_eq!(grid.len(), 1);
        assert_eq!(grid.points().collect::<Vec<_>>(), vec![p]);
        assert_eq!(grid.empty_ground(), 0);
    }

    #[test]
    fn dims_for_leaves_a_margin_of_one() {
        let points = [Point2D::new(-5, 10), Point2D::new(57, 12)];
        let dims = BitGrid::<Global>::dims_for(points.into_iter()).unwrap();
        // 63 columns + 2 = 65 cells: two words.
        assert_eq!(
            dims,
            GridDims {
                x0: -6,
                y0: 9,
                width_words: 2,
                height: 5
            }
        );
        assert_eq!(BitGrid::<Global>::bytes_for(dims), Some(2 * 5 * 8));
        let single = BitGrid::<Global>::dims_for([Point2D::new(0, 0)].into_iter()).unwrap();
        assert_eq!((single.width_words, single.height), (1, 3));
    }

    #[test]
    fn first_dir_wraps_modulo_4() {
        let grid = BitGrid::try_from_points_in(parse(LARGER).into_iter(), Global).unwrap();
        let (a, ma) = grid.try_step_in(1, Global).unwrap();
        let (b, mb) = grid.try_step_in(5, Global).unwrap();
        assert_eq!((pairs(&a), ma), (pairs(&b), mb));
    }

    #[test]
    fn growth_follows_elves_next_to_the_margin() {
        // Two elves side by side: the round moves both north (first N).
        let grid = BitGrid::try_from_points_in(
            [Point2D::new(0, 0), Point2D::new(1, 0)].into_iter(),
            Global,
        )
        .unwrap();
        let d = grid.dims();
        let (next, moved) = grid.try_step_in(0, Global).unwrap();
        assert_eq!(moved, 2);
        let n = next.dims();
        // North and south both had an elf next to them (row 1 = row h - 2),
        // the west too (column 1); the east had 62 empty columns.
        assert_eq!((n.y0, n.height), (d.y0 - 1, d.height + 2));
        assert_eq!((n.x0, n.width_words), (d.x0 - 64, d.width_words + 1));
        assert_eq!(pairs(&next), vec![(-1, 0), (-1, 1)]);
        // A lone elf stays, but the rule is conservative: the first round
        // grows every side it is next to, and then nothing more.
        let lone = BitGrid::try_from_points_in([Point2D::new(7, 7)].into_iter(), Global).unwrap();
        let d = lone.dims();
        let (grown, moved) = lone.try_step_in(0, Global).unwrap();
        assert_eq!(moved, 0);
        let g = grown.dims();
        assert_eq!(
            (g.x0, g.y0, g.width_words, g.height),
            (d.x0 - 64, d.y0 - 1, 2, 5)
        );
        let (again, _) = grown.try_step_in(1, Global).unwrap();
        assert_eq!(again.dims(), g);
        assert_eq!(pairs(&again), vec![(7, 7)]);
    }

    #[test]
    fn one_block_per_grid_counted() {
        let counting = Counting::new(Global);
        let grid = BitGrid::try_from_points_in(parse(LARGER).into_iter(), &counting).unwrap();
        let bytes0 = BitGrid::<Global>::bytes_for(grid.dims()).unwrap();
        assert_eq!(counting.stats().allocs, 1);
        assert_eq!(counting.live_bytes(), bytes0);
        assert_eq!(grid.allocation_bytes(), bytes0);
        let (next, _) = grid.try_step_in(0, &counting).unwrap();
        let bytes1 = BitGrid::<Global>::bytes_for(next.dims()).unwrap();
        assert_eq!(counting.stats().allocs, 2);
        assert_eq!(counting.live_bytes(), bytes0 + bytes1);
        assert_eq!(counting.resizes(), (0, 0));
        drop(grid);
        assert_eq!(counting.live_bytes(), bytes1);
        let copy = next.try_clone_in(&counting).unwrap();
        assert_eq!(
            (counting.stats().allocs, counting.live_bytes()),
            (3, 2 * bytes1)
        );
        assert_eq!(pairs(&copy), pairs(&next));
        drop((next, copy));
        assert_eq!((counting.stats().frees, counting.live_bytes()), (3, 0));
    }

    #[test]
    fn one_block_per_round_in_a_fixed_buffer() {
        let mut buf = vec![MaybeUninit::<u8>::uninit(); 64 * 1024];
        let fba = FixedBufferAllocator::new(&mut buf);
        let mut grid = BitGrid::try_from_points_in(parse(LARGER).into_iter(), &fba).unwrap();
        for round in 1..=20 {
            let before = fba.stats();
            let (next, _) = grid.try_step_in((round - 1) % 4, &fba).unwrap();
            let after = fba.stats();
            let bytes = BitGrid::<Global>::bytes_for(next.dims()).unwrap();
            assert_eq!(after.allocs, before.allocs + 1, "round {round}");
            assert_eq!(after.live_bytes, before.live_bytes + bytes, "round {round}");
            let block = fba.blocks().into_iter().max_by_key(|b| b.id).unwrap();
            assert_eq!(block.len, bytes, "round {round}");
            assert!(block.pad < 8);
            grid = next;
        }
    }

    #[test]
    fn too_small_fixed_buffer_is_an_alloc_error() {
        let points = parse(LARGER);
        let dims = BitGrid::<Global>::dims_for(points.iter().copied()).unwrap();
        let bytes = BitGrid::<Global>::bytes_for(dims).unwrap();
        // Room for the first grid and up to 7 bytes of alignment padding in
        // front of it, whatever the buffer's address; `tiny` is one byte short.
        let mut buf = vec![MaybeUninit::<u8>::uninit(); bytes + 7];
        let fba = FixedBufferAllocator::new(&mut buf);
        let short = bytes - 1;
        let mut small = vec![MaybeUninit::<u8>::uninit(); short];
        let tiny = FixedBufferAllocator::new(&mut small);
        assert_eq!(
            BitGrid::try_from_points_in(points.iter().copied(), &tiny).unwrap_err(),
            BitGridError::Alloc {
                requested_bytes: bytes
            }
        );
        assert_eq!(tiny.stats().failed_allocs, 1);
        // The first grid fits; the grown one does not.
        let grid = BitGrid::try_from_points_in(points.iter().copied(), &fba).unwrap();
        let err = grid.try_step_in(0, &fba).unwrap_err();
        let BitGridError::Alloc { requested_bytes } = err else {
            panic!("{err:?}")
        };
        assert!(requested_bytes > bytes);
        assert_eq!(
            err.to_string(),
            format!("out of memory: a bit grid needs one block of {requested_bytes} bytes")
        );
        assert_eq!(grid.len(), points.len(), "the old grid is intact");
    }

    #[test]
    fn a_far_flung_pair_fails_to_allocate_instead_of_panicking() {
        let points = [
            Point2D::new(-1_000_000_000, 0),
            Point2D::new(1_000_000_000, 0),
        ];
        let mut buf = vec![MaybeUninit::<u8>::uninit(); 1024];
        let fba = FixedBufferAllocator::new(&mut buf);
        let dims = BitGrid::<Global>::dims_for(points.into_iter()).unwrap();
        let bytes = BitGrid::<Global>::bytes_for(dims).unwrap();
        assert_eq!(bytes, (2_000_000_003usize).div_ceil(64) * 3 * 8);
        assert_eq!(
            BitGrid::try_from_points_in(points.into_iter(), &fba).unwrap_err(),
            BitGridError::Alloc {
                requested_bytes: bytes
            }
        );
    }

    #[test]
    fn coordinates_at_the_ends_of_i32_are_too_large() {
        for p in [
            Point2D::new(i32::MAX, 0),
            Point2D::new(i32::MIN, 0),
            Point2D::new(0, i32::MAX),
            Point2D::new(0, i32::MIN),
            Point2D::new(i32::MAX - 10, 0),
        ] {
            assert_eq!(BitGrid::<Global>::dims_for([p].into_iter()), None, "{p:?}");
            assert_eq!(
                BitGrid::try_from_points_in([p].into_iter(), Global).unwrap_err(),
                BitGridError::TooLarge
            );
        }
        // At the edge but representable: the step that would grow past it fails.
        let p = Point2D::new(0, i32::MIN + 1);
        let pair = [p, Point2D::new(1, p.y)];
        let grid = BitGrid::try_from_points_in(pair.into_iter(), Global).unwrap();
        assert_eq!(grid.dims().y0, i32::MIN);
        assert_eq!(
            grid.try_step_in(0, Global).unwrap_err(),
            BitGridError::TooLarge
        );
        assert!(
            BitGrid::<Global>::bytes_for(GridDims {
                height: usize::MAX,
                ..GridDims::EMPTY
            })
            .is_none()
        );
        assert!(
            BitGrid::<Global>::bytes_for(GridDims {
                height: 0,
                ..GridDims::EMPTY
            })
            .is_none()
        );
    }

    #[test]
    fn copy_back_reuses_the_block_when_it_fits() {
        let counting = Counting::new(Global);
        let big: Vec<_> = random_field(100, 100, 0.3, 7, (0, 0));
        let mut persistent = BitGrid::try_from_points_in(big.iter().copied(), &counting).unwrap();
        let block = persistent.allocation_bytes();
        let small = BitGrid::try_from_points_in(parse(LARGER).into_iter(), Global).unwrap();
        let (stepped, _) = small.try_step_in(0, Global).unwrap();
        persistent.try_copy_from(&stepped).unwrap();
        assert_eq!(counting.stats().allocs, 1, "no allocation");
        assert_eq!(persistent.allocation_bytes(), block, "same block");
        assert_eq!(persistent.dims(), stepped.dims());
        assert_eq!(persistent.len(), stepped.len());
        assert_eq!(pairs(&persistent), pairs(&stepped));
        assert_eq!(persistent.empty_ground(), stepped.empty_ground());
        // And it steps on from there like the original.
        let (a, ma) = persistent.try_step_in(1, Global).unwrap();
        let (b, mb) = stepped.try_step_in(1, Global).unwrap();
        assert_eq!((pairs(&a), ma, a.dims()), (pairs(&b), mb, b.dims()));
    }

    #[test]
    fn copy_back_that_does_not_fit_is_too_large_and_changes_nothing() {
        let mut persistent = BitGrid::try_from_points_in(parse(SMALL).into_iter(), Global).unwrap();
        let before = (
            persistent.dims(),
            pairs(&persistent),
            persistent.allocation_bytes(),
        );
        let big =
            BitGrid::try_from_points_in(random_field(200, 50, 0.5, 3, (0, 0)).into_iter(), Global)
                .unwrap();
        assert_eq!(persistent.try_copy_from(&big), Err(BitGridError::TooLarge));
        assert_eq!(
            (
                persistent.dims(),
                pairs(&persistent),
                persistent.allocation_bytes()
            ),
            before
        );
    }

    #[test]
    #[cfg_attr(miri, ignore = "too slow under Miri")]
    fn strips_and_word_boundaries_match_reference() {
        // Elves around columns 60..70, 2040..2060 and 4090..4100: word and
        // strip boundaries, with every strip width from 1 to 3 and the default.
        let mut points = random_field(12, 12, 0.6, 11, (60, 0));
        points.extend(random_field(20, 12, 0.6, 12, (2040, 0)));
        points.extend(random_field(12, 12, 0.6, 13, (4090, 0)));
        check_against_reference(&points, 15, &[STRIP_WORDS, 1, 2, 3]);
    }

    #[test]
    #[cfg_attr(miri, ignore = "too slow under Miri")]
    fn many_shapes_match_reference() {
        let cases: [(&str, usize, usize, f64, usize); 8] = [
            ("tall", 3, 200, 0.5, 20),
            ("wide", 300, 3, 0.5, 20),
            ("single row", 500, 1, 0.7, 20),
            ("single column", 1, 500, 0.7, 20),
            ("dense", 60, 60, 0.8, 20),
            ("sparse", 150, 150, 0.03, 20),
            ("large", 300, 300, 0.5, 3),
            ("large sparse", 1000, 1000, 0.01, 3),
        ];
        for (i, (name, w, h, density, rounds)) in cases.into_iter().enumerate() {
            let points = random_field(w, h, density, 100 + i as u64, (-(w as i32) / 2, 5));
            eprintln!("{name}: {w}x{h} at {density}, {} elves", points.len());
            check_against_reference(&points, rounds, &[STRIP_WORDS]);
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "too slow under Miri")]
    fn full_solve_matches_reference() {
        let points = random_field(30, 30, 0.5, 99, (0, 0));
        let mut reference = to_ref(&points);
        let mut rounds = 0;
        let mut part1 = 0;
        loop {
            rounds += 1;
            let (next, moved) = ref_round(&reference, (rounds - 1) % 4);
            reference = next;
            if rounds == 10 {
                part1 = ref_empty_ground(&reference);
            }
            if moved == 0 {
                break;
            }
        }
        assert_eq!(solve(&points), (part1, rounds));
    }

    /// By hand, in release: `cargo test --release --lib timing_70x70 -- --ignored --nocapture`.
    #[test]
    #[ignore = "timing, run by hand in release"]
    fn timing_70x70_half_density() {
        let points = random_field(70, 70, 0.5, 0x2022_1223, (0, 0));
        let answer = solve(&points);
        let runs = 200;
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let start = std::time::Instant::now();
            let got = solve(core::hint::black_box(&points));
            times.push(start.elapsed());
            assert_eq!(got, answer);
        }
        times.sort();
        eprintln!(
            "70x70 at 50%: {} elves, part 1 = {}, part 2 = {} rounds; per solve: min {:?}, median {:?}, max {:?}",
            points.len(),
            answer.0,
            answer.1,
            times[0],
            times[runs / 2],
            times[runs - 1]
        );
    }
}
