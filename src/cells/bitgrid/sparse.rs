//! # The sparse kernel: the point rules, with the grid's bits as the set
//!
//! A grid's block is its bounding box, so a few elves spread over a large
//! box (a long line that fans out, a diagonal) make rows of mostly empty
//! words, and the word kernels' work grows with the box, not with the elves.
//! For such grids a round is [`sim::step`], the rules the hash tables use,
//! on the grid itself: [`Cells`] reads the old grid as a point set (a
//! neighbour probe is one bit test, no hashing), and [`Sink`] sets each
//! elf's new bit in the new grid. The work is a scan of the old grid's words
//! for the elves plus a few bit tests per elf. The grids are the same as the
//! word kernels make, bit for bit, and so are their blocks.
//!
//! The scan skips most of the empty words with [`Tiles`], a 64 x 64 bitmap
//! (512 bytes) of the tiles that may hold elves. The sparse kernel marks the
//! tile of every elf it writes, and leaves the map in the run's
//! [`Scratch`](super::Scratch) under an id the new grid carries
//! ([`TileCache`]), so the next round scans only those tiles. A grid
//! without a map there (made from points, or by a word kernel, which
//! writes every word) has its whole block scanned once, and the rounds
//! after that scan the tiles only. The map is in neither the grid's block
//! nor the `BitGrid` value, which is moved every round.

use core::sync::atomic::{AtomicU64, Ordering};

use super::{BITS, GridDims, Points};
use crate::grid::Point2D;
use crate::sim::{self, PointSet, PointSink};

/// Which tiles of a grid may hold elves. A tile is `1 << row_shift` rows by
/// `1 << word_shift` words, the smallest powers of two that cut the grid
/// into at most 64 x 64 tiles; bit `c` of `bits[r]` is the tile of rows
/// `r << row_shift ..` and words `c << word_shift ..`. A clear bit promises
/// that the tile's words are all zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tiles {
    /// One word of tile bits per band of rows.
    bits: [u64; 64],
    /// log2 of the rows per tile.
    row_shift: u32,
    /// log2 of the words per tile.
    word_shift: u32,
}

impl Tiles {
    /// No tile marked, for a grid of `dims` (its words all zero).
    pub(super) fn none(dims: GridDims) -> Self {
        let shift = |n: usize| n.div_ceil(64).max(1).next_power_of_two().trailing_zeros();
        Self {
            bits: [0; 64],
            row_shift: shift(dims.height),
            word_shift: shift(dims.width_words),
        }
    }

    /// Every tile marked, for a grid of `dims` whose words may be anything.
    pub(super) fn all(dims: GridDims) -> Self {
        Self {
            bits: [!0; 64],
            ..Self::none(dims)
        }
    }

    /// The rows of a band of tiles.
    pub(super) fn band_rows(&self) -> usize {
        1 << self.row_shift
    }

    /// Whether the tiles of row `row`'s first and last word (of `w`) are
    /// marked.
    #[inline(always)]
    pub(super) fn marked_ends(&self, row: usize, w: usize) -> (bool, bool) {
        let bits = self.bits[(row >> self.row_shift) & 63];
        let last = (w.saturating_sub(1) >> self.word_shift) & 63;
        (bits & 1 != 0, bits >> last & 1 != 0)
    }

    /// The runs of marked tiles in a band's `bits`, as runs of words of rows
    /// `w` words wide.
    fn runs(&self, bits: u64, w: usize) -> Runs {
        Runs {
            rest: bits,
            word_shift: self.word_shift,
            w,
        }
    }

    /// Whether the tile of word `word` of row `row` is marked.
    #[cfg(test)]
    pub(super) fn is_marked(&self, row: usize, word: usize) -> bool {
        let band = (row >> self.row_shift) & 63;
        self.bits[band] >> ((word >> self.word_shift) & 63) & 1 != 0
    }

    /// Marks the tile of word `word` of row `row`.
    #[inline(always)]
    pub(super) fn mark(&mut self, row: usize, word: usize) {
        let band = (row >> self.row_shift) & 63;
        self.bits[band] |= 1 << ((word >> self.word_shift) & 63);
    }
}

/// The tile map of the grid the last sparse round made, kept in the run's
/// [`Scratch`](super::Scratch) under an id the grid carries, so that the
/// grid itself stays small (it is moved every round). Ids come from one
/// counter for the whole process: a map is only ever read for the grid it
/// was made for, whatever other grids and scratches exist.
#[derive(Debug, Clone, Copy)]
pub(super) struct TileCache {
    /// The map.
    map: Tiles,
    /// The id of the grid it is the map of; 0 for none.
    id: u64,
}

impl Default for TileCache {
    fn default() -> Self {
        Self {
            map: Tiles::none(GridDims::EMPTY),
            id: 0,
        }
    }
}

impl TileCache {
    /// `map` under a new id, never 0 and never given before.
    pub(super) fn new(map: Tiles) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Self {
            map,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// The id of the map: what the grid it was made for carries.
    pub(super) fn id(&self) -> u64 {
        self.id
    }

    /// The map, if it is the one of grid `id` (never for 0).
    pub(super) fn map_of(&self, id: u64) -> Option<&Tiles> {
        (id != 0 && id == self.id).then_some(&self.map)
    }

    /// The map's words and its id, for tests that poison a scratch.
    #[cfg(test)]
    pub(super) fn words_mut(&mut self) -> impl Iterator<Item = &mut u64> {
        self.map
            .bits
            .iter_mut()
            .chain(core::iter::once(&mut self.id))
    }
}

/// The runs of marked tiles of a band, as runs of words `c0..c1`.
#[derive(Debug, Clone, Copy)]
struct Runs {
    /// The tile bits not yet taken.
    rest: u64,
    /// log2 of the words per tile.
    word_shift: u32,
    /// Words per row.
    w: usize,
}

impl Iterator for Runs {
    type Item = (usize, usize);

    #[inline]
    fn next(&mut self) -> Option<(usize, usize)> {
        if self.rest == 0 {
            return None;
        }
        let first = self.rest.trailing_zeros();
        let end = first + (!(self.rest >> first)).trailing_zeros();
        // Clear bits `..end` (all of them when the run reaches bit 63).
        self.rest = self.rest.checked_shr(end).map_or(0, |r| r << end);
        let word = |tile: u32| ((tile as usize) << self.word_shift).min(self.w);
        Some((word(first), word(end)))
    }
}

/// A grid's words, read as a point set.
pub(super) struct Cells<'a> {
    /// The words, `dims.width_words * dims.height` of them.
    pub(super) words: &'a [u64],
    /// Where they are.
    pub(super) dims: GridDims,
    /// The number of elves.
    pub(super) len: usize,
    /// The tiles that may hold them.
    pub(super) tiles: &'a Tiles,
}

/// The row, column and bit of `p` in a grid of `dims`, if it lies in the
/// grid.
#[inline(always)]
fn locate(dims: GridDims, p: Point2D) -> Option<(usize, usize, u64)> {
    let col = usize::try_from(i64::from(p.x) - i64::from(dims.x0)).ok()?;
    let row = usize::try_from(i64::from(p.y) - i64::from(dims.y0)).ok()?;
    if col >= dims.width_words * BITS || row >= dims.height {
        return None;
    }
    Some((row, col / BITS, 1 << (col % BITS)))
}

impl PointSet for Cells<'_> {
    #[inline]
    fn len(&self) -> usize {
        self.len
    }

    #[inline(always)]
    fn contains(&self, p: Point2D) -> bool {
        locate(self.dims, p)
            .and_then(|(row, word, bit)| {
                let word = self.words.get(row * self.dims.width_words + word)?;
                Some(word & bit != 0)
            })
            .unwrap_or(false)
    }

    /// Three words' worth of bits instead of eight probes: the cells west of,
    /// at and east of `p`'s column in the rows above, at and below it.
    #[inline(always)]
    fn neighbours(&self, p: Point2D) -> u8 {
        let col = usize::try_from(i64::from(p.x) - i64::from(self.dims.x0)).ok();
        let row = usize::try_from(i64::from(p.y) - i64::from(self.dims.y0)).ok();
        let (Some(col), Some(row)) = (col, row) else {
            return sim::neighbour_mask(self, p);
        };
        let w = self.dims.width_words;
        if row == 0 || row + 1 >= self.dims.height || col == 0 || col + 1 >= w * BITS {
            // On the margin (never an elf): probe one by one.
            return sim::neighbour_mask(self, p);
        }
        // Bits col - 1 ..= col + 1 of a row, as bits 0 ..= 2.
        let (word, shift) = ((col - 1) / BITS, (col - 1) % BITS);
        let three = |r: usize| -> u8 {
            let at = r * w + word;
            let lo = self.words.get(at).copied().unwrap_or(0) >> shift;
            let hi = if shift > BITS - 3 {
                self.words.get(at + 1).copied().unwrap_or(0) << (BITS - shift)
            } else {
                0
            };
            ((lo | hi) & 7) as u8
        };
        let (up, here, down) = (three(row - 1), three(row), three(row + 1));
        // NEIGHBOURS order: NW N NE E SE S SW W = bits 0 to 7.
        up | (here & 4) << 1 | (down & 4) << 2 | (down & 2) << 4 | (down & 1) << 6 | (here & 1) << 7
    }

    fn points(&self) -> impl Iterator<Item = Point2D> + '_ {
        TilePoints {
            cells: self,
            row: 0,
            next_row: 0,
            runs: self.tiles.runs(0, 0),
            segment: Points::new(&[], GridDims::EMPTY),
        }
    }
}

/// The elves of the marked tiles, row by row within each band of tiles: in
/// each row, one run of words per run of marked tiles.
struct TilePoints<'a> {
    /// The grid.
    cells: &'a Cells<'a>,
    /// The row being scanned.
    row: usize,
    /// The row to scan after it.
    next_row: usize,
    /// The runs of marked tiles of `row` not yet scanned.
    runs: Runs,
    /// The elves of the run being scanned.
    segment: Points<'a>,
}

impl TilePoints<'_> {
    /// Whether nothing has been taken from the iterator yet.
    fn is_fresh(&self) -> bool {
        self.row == 0 && self.next_row == 0 && self.runs.rest == 0 && self.segment.is_done()
    }
}

impl Iterator for TilePoints<'_> {
    type Item = Point2D;

    /// The same elves as [`next`](Self::next), in the same order, in plain
    /// nested loops: band, row, run of marked tiles, word, bit. The round's
    /// [`sim::step`] takes the elves through this.
    fn fold<B, F: FnMut(B, Point2D) -> B>(self, init: B, mut f: F) -> B {
        if !self.is_fresh() {
            let mut acc = init;
            for p in self {
                acc = f(acc, p);
            }
            return acc;
        }
        let Cells {
            words, dims, tiles, ..
        } = *self.cells;
        let (w, h) = (dims.width_words, dims.height);
        let mut acc = init;
        for (band, &bits) in tiles.bits.iter().enumerate() {
            let r0 = band << tiles.row_shift;
            if r0 >= h {
                break;
            }
            if bits == 0 {
                continue;
            }
            let r1 = h.min((band + 1) << tiles.row_shift);
            // The band's runs of marked tiles, as runs of words.
            // At most 32 runs in 64 bits.
            let mut runs = [(0usize, 0usize); 32];
            let mut count = 0;
            for (slot, run) in runs.iter_mut().zip(tiles.runs(bits, w)) {
                *slot = run;
                count += 1;
            }
            for row in r0..r1 {
                let Some(cells) = words.get(row * w..(row + 1) * w) else {
                    break;
                };
                // In the grid, so in i32 (`GridDims::is_valid`).
                let y = dims.y0.wrapping_add(row as i32);
                for &(c0, c1) in &runs[..count] {
                    for (c, &word) in cells[c0..c1].iter().enumerate() {
                        let mut bits = word;
                        let x = dims.x0.wrapping_add(((c0 + c) * BITS) as i32);
                        while bits != 0 {
                            acc = f(
                                acc,
                                Point2D::new(x.wrapping_add(bits.trailing_zeros() as i32), y),
                            );
                            bits &= bits - 1;
                        }
                    }
                }
            }
        }
        acc
    }

    fn next(&mut self) -> Option<Point2D> {
        let Cells {
            words, dims, tiles, ..
        } = *self.cells;
        let w = dims.width_words;
        loop {
            if let Some(p) = self.segment.next() {
                return Some(p);
            }
            let (c0, c1) = loop {
                if let Some(run) = self.runs.next() {
                    break run;
                }
                // The next row in a band with a marked tile.
                let mut row = self.next_row;
                let bits = loop {
                    if row >= dims.height {
                        self.next_row = row;
                        return None;
                    }
                    let bits = tiles.bits[(row >> tiles.row_shift) & 63];
                    if bits != 0 {
                        break bits;
                    }
                    // The first row of the next band.
                    row = ((row >> tiles.row_shift) + 1) << tiles.row_shift;
                };
                self.runs = tiles.runs(bits, w);
                self.row = row;
                self.next_row = row + 1;
            };
            let at = self.row * w;
            let Some(run) = words.get(at + c0..at + c1) else {
                continue;
            };
            self.segment = Points::new(
                run,
                GridDims {
                    // In the grid, so in i32 (`GridDims::is_valid`).
                    x0: dims.x0.wrapping_add((c0 * BITS) as i32),
                    y0: dims.y0.wrapping_add(self.row as i32),
                    width_words: c1 - c0,
                    height: 1,
                },
            );
        }
    }
}

/// A grid's words (zeroed), written as a point sink.
pub(super) struct Sink<'a> {
    /// The words, `dims.width_words * dims.height` of them.
    pub(super) words: &'a mut [u64],
    /// Where they are.
    pub(super) dims: GridDims,
    /// The tiles written to, from [`Tiles::none`].
    pub(super) tiles: Tiles,
}

impl PointSink for Sink<'_> {
    /// Sets `p`'s bit. Every elf lands inside the new grid (its margin is
    /// wide enough, see the growth rule), so nothing is ever dropped.
    #[inline(always)]
    fn insert(&mut self, p: Point2D) {
        if let Some((row, col, bit)) = locate(self.dims, p)
            && let Some(word) = self.words.get_mut(row * self.dims.width_words + col)
        {
            *word |= bit;
            self.tiles.mark(row, col);
        }
    }
}

/// One round with first direction `first % 4`, from `cur` into `out`;
/// returns how many elves moved.
pub(super) fn step(cur: &Cells<'_>, out: &mut Sink<'_>, first: usize) -> usize {
    // `sim::step` takes the 1-based round; round `first + 1` has it first.
    sim::step(cur, out, first % 4 + 1)
}
