//! # The strip kernel: one round, row by row, in vertical strips
//!
//! The round of the [module documentation](super#one-round-whole-words-at-a-time)
//! done row by row: each row's cells and neighbour words are loaded once into
//! a ring of three rows, the proposal planes of five consecutive rows live in
//! a second ring, and row `r` is written as soon as the proposals of row
//! `r + 2` are known. Both rings are fixed arrays on the stack (about
//! 8.7 KiB), so rows wider than [`STRIP_WORDS`] words are done in vertical
//! strips of that many words, each with one halo word on either side. This is
//! the kernel for grids too wide for [the flat kernel](super::flat).

use super::{Around, Frame, STRIP_WORDS, proposals, resolve};

/// Words of a proposal plane per strip: the strip and one halo word per side.
const SPAN: usize = STRIP_WORDS + 2;

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

impl Frame<'_> {
    /// Runs the round into `out` with first direction `first % 4` in
    /// strips of `strip` words (clamped to `1..=STRIP_WORDS`); returns how
    /// many elves moved.
    pub(super) fn step_strips(&self, out: &mut [u64], first: usize, strip: usize) -> usize {
        let strip = strip.clamp(1, STRIP_WORDS);
        match first % 4 {
            0 => self.step::<0>(out, strip),
            1 => self.step::<1>(out, strip),
            2 => self.step::<2>(out, strip),
            _ => self.step::<3>(out, strip),
        }
    }

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
        let rest = here.x[k] & (north | south | w_side | e_side);
        let p = proposals::<FIRST>(rest, sides);
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
        let (new, gone) = resolve(Around {
            cur: cur[j],
            here: [here.n[k], here.s[k], here.w[k], here.e[k]],
            s_up2: up2.s[k],
            n_down2: down2.n[k],
            s_up1: up1.s[k],
            n_down1: down1.n[k],
            e_prev: here.e[k - 1],
            w_next: here.w[k + 1],
        });
        dst[j] = new;
        moved += gone.count_ones() as usize;
    }
    moved
}
