//! # The flat kernel: one round over the grid's words as one array
//!
//! The margin makes the rows of a grid one flat array. Column 0 and column
//! `64 * width_words - 1` are empty, so the carry that `west(X)` takes from
//! the word before a row's first word (bit 63 of the row above's last word)
//! and the carry `east(X)` takes from the word after a row's last word are
//! always zero: word `i`'s neighbours are simply words `i - 1` and `i + 1`,
//! and the rows above and below are words `i - w` and `i + w`. So the round
//! of the [module documentation](super#one-round-whole-words-at-a-time) is
//! two passes of straight-line loops over runs of consecutive words, whatever
//! the width, which the compiler vectorizes (four words per AVX2 operation,
//! row boundaries included):
//!
//! 1. **plan**: every word's four proposal planes, from the nine words around
//!    it;
//! 2. **resolve**: every new word, from the planes of the words one and two
//!    rows up and down and one word either side.
//!
//! The planes live in a scratch array on the stack of `N` words per plane,
//! for `N` among [`TIERS`], the smallest that holds the whole grid or twenty
//! of its rows. Grids taller than that are done in chunks of rows; a chunk's
//! plan pass covers two more rows on either side (and a word either end), the
//! rows its resolve pass reads. Grids wider than [`MAX_WIDTH`] words, whose
//! single row would not fit, take [the strip kernel](super::strips).
//!
//! The smallest tier's planes (16 KiB: a 70x70 puzzle input's whole grid in
//! one chunk, which is faster than two chunks) are a [`Scratch`] the run
//! owns: made and zeroed
//! once, on the stack of the driver's loop, and lent to every round, so a
//! round does not zero 16 KiB of planes it is about to overwrite. The larger
//! tiers' planes are made, zeroed, on the round's own stack frame. Either
//! way nothing carries from one chunk or round to the next: the plan pass
//! writes every plane word the resolve pass reads (zero outside the rows
//! with elves, see [`Planes::plan`]), and the tests poison the scratch with
//! random words before every round.

use super::{Around, Frame, proposals, resolve};
use crate::simd::{self, Kernel, Level};

/// The scratch sizes, in words per plane (the largest is 256 KiB of stack for
/// the four planes, so a round fits in a default 2 MiB thread stack).
const TIERS: [usize; 4] = [512, 1024, 2048, 8192];

/// The widest grid, in words per row, that the flat kernel takes: a chunk of
/// one row needs the planes of five rows and two words.
pub(super) const MAX_WIDTH: usize = (TIERS[TIERS.len() - 1] - 2) / 5;

/// The words per plane of the smallest tier, the one in [`Scratch`].
const SMALL: usize = TIERS[0];

/// The flat kernel's part of the bit grid's round scratch: the proposal
/// planes for grids of up to 512 words per plane (four planes, 16 KiB; every
/// 70x70 puzzle input's grid), owned by a run and lent to each of its
/// rounds, so that a round does not zero them again. What it holds before a round never
/// matters: the round overwrites every word it reads. Larger grids' rounds
/// make their own planes.
pub struct Scratch {
    /// North proposals.
    n: [u64; SMALL],
    /// South proposals.
    s: [u64; SMALL],
    /// West proposals.
    w: [u64; SMALL],
    /// East proposals.
    e: [u64; SMALL],
}

impl Default for Scratch {
    /// Zeroed planes (safe code must initialize them; their values are
    /// never read before a round writes them).
    fn default() -> Self {
        Self {
            n: [0; SMALL],
            s: [0; SMALL],
            w: [0; SMALL],
            e: [0; SMALL],
        }
    }
}

impl core::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Scratch")
            .field("words_per_plane", &SMALL)
            .finish_non_exhaustive()
    }
}

impl Scratch {
    /// The four planes, as a round takes them.
    fn planes(&mut self) -> Planes<'_> {
        Planes {
            n: &mut self.n,
            s: &mut self.s,
            w: &mut self.w,
            e: &mut self.e,
        }
    }

    /// Every word of the four planes, for tests that poison them.
    #[cfg(test)]
    pub(super) fn words_mut(&mut self) -> impl Iterator<Item = &mut u64> {
        [&mut self.n, &mut self.s, &mut self.w, &mut self.e]
            .into_iter()
            .flat_map(|plane| plane.iter_mut())
    }
}

/// Runs the round of `frame` into `out` (the new grid's zeroed words) with
/// first direction `first % 4`, compiled for `level`; returns how many elves
/// moved. `frame.w` must be at most [`MAX_WIDTH`]. A grid that the smallest
/// tier holds takes its planes from `scratch`, whatever they hold.
pub(super) fn step(
    frame: &Frame<'_>,
    out: &mut [u64],
    first: usize,
    level: Level,
    scratch: &mut Scratch,
) -> usize {
    match (tier(frame.w, frame.h), first % 4) {
        (0, f) => round(frame, out, scratch.planes(), f, level),
        (1, f) => dispatch::<1024>(frame, out, f, level),
        (2, f) => dispatch::<2048>(frame, out, f, level),
        (_, f) => dispatch::<8192>(frame, out, f, level),
    }
}

/// The index in [`TIERS`] of the planes a round of a grid of `w` words by `h`
/// rows takes: the smallest that holds the whole grid with its halo of two
/// rows and a word, or twenty rows (0: the [`Scratch`]).
pub(super) fn tier(w: usize, h: usize) -> usize {
    let want = h
        .saturating_add(4)
        .saturating_mul(w)
        .saturating_add(2)
        .min(w.saturating_mul(20).saturating_add(2));
    TIERS
        .iter()
        .position(|&t| t >= want)
        .unwrap_or(TIERS.len() - 1)
}

/// [`step`] for the larger tiers: the `N`-word planes, zeroed, on this
/// frame. Never inlined, so that each size's planes get a frame of their
/// own: a round on a small grid does not enter (and probe) the largest
/// tier's 256 KiB frame. Only the planes depend on `N`: the round itself is
/// compiled once per first direction and level, whatever the tier.
#[inline(never)]
fn dispatch<const N: usize>(
    frame: &Frame<'_>,
    out: &mut [u64],
    first: usize,
    level: Level,
) -> usize {
    let (mut n, mut s, mut w, mut e) = ([0; N], [0; N], [0; N], [0; N]);
    let planes = Planes {
        n: &mut n,
        s: &mut s,
        w: &mut w,
        e: &mut e,
    };
    round(frame, out, planes, first, level)
}

/// One round on the given planes, compiled once per first direction (and
/// level, in [`simd::run`]).
#[inline(never)]
fn round(
    frame: &Frame<'_>,
    out: &mut [u64],
    planes: Planes<'_>,
    first: usize,
    level: Level,
) -> usize {
    match first {
        0 => simd::run(level, Round::<0> { frame, out, planes }),
        1 => simd::run(level, Round::<1> { frame, out, planes }),
        2 => simd::run(level, Round::<2> { frame, out, planes }),
        _ => simd::run(level, Round::<3> { frame, out, planes }),
    }
}

/// One round with first direction `FIRST`.
struct Round<'a, 'f, 'p, const FIRST: usize> {
    /// What the round reads.
    frame: &'a Frame<'f>,
    /// The new grid's words.
    out: &'a mut [u64],
    /// The scratch planes, all of one length.
    planes: Planes<'p>,
}

impl<const FIRST: usize> Kernel for Round<'_, '_, '_, FIRST> {
    type Output = usize;

    #[inline(always)]
    fn run(self) -> usize {
        let Frame {
            cur,
            w,
            h,
            out_w,
            dy,
            dw,
        } = *self.frame;
        let mut planes = self.planes;
        let n = planes.len();
        if w == 0 || h == 0 || cur.len() < w * h || n < 2 || (n - 2) / w < 5 {
            return 0;
        }
        let rows_per_chunk = (n - 2) / w - 4;
        let mut moved = 0;
        let mut r0 = 0;
        while r0 < h {
            let r1 = h.min(r0 + rows_per_chunk);
            planes.plan::<FIRST>(cur, w, h, r0, r1);
            // Plane index 2w + 1 is word r0 * w.
            let at = 2 * w + 1;
            let here = &cur[r0 * w..r1 * w];
            if out_w == w {
                // Same width: the new rows are one run of words too.
                let start = (r0 + dy) * w;
                let dst = &mut self.out[start..start + here.len()];
                moved += planes.resolve(w, at, here, dst);
            } else {
                for (k, row) in here.chunks_exact(w).enumerate() {
                    let start = (r0 + k + dy) * out_w + dw;
                    let dst = &mut self.out[start..start + w];
                    moved += planes.resolve(w, at + k * w, row, dst);
                }
            }
            r0 = r1;
        }
        moved
    }
}

/// The proposal planes of a chunk: index `j` is grid word `r0 * w - 2w - 1 + j`.
/// All four have the same length.
struct Planes<'p> {
    /// Elves that propose north.
    n: &'p mut [u64],
    /// Elves that propose south.
    s: &'p mut [u64],
    /// Elves that propose west.
    w: &'p mut [u64],
    /// Elves that propose east.
    e: &'p mut [u64],
}

impl Planes<'_> {
    /// The words per plane (the shortest, should they differ).
    fn len(&self) -> usize {
        self.n
            .len()
            .min(self.s.len())
            .min(self.w.len())
            .min(self.e.len())
    }

    /// The plan pass for rows `r0..r1`: the planes of grid words
    /// `r0 * w - 2w - 1 .. r1 * w + 2w + 1`, zero for words outside the grid
    /// and in its first and last rows (the margin has no elves).
    #[inline(always)]
    fn plan<const FIRST: usize>(&mut self, cur: &[u64], w: usize, h: usize, r0: usize, r1: usize) {
        let n = w * h;
        // Grid word of plane index 0, and the number of plane words.
        let base = (r0 * w) as isize - (2 * w) as isize - 1;
        let len = ((r1 - r0 + 4) * w + 2).min(self.len());
        // Words with elves that may propose: rows 1 ..= h - 2.
        let lo = (w as isize).clamp(base, base + len as isize);
        let hi = ((n.saturating_sub(w)) as isize).clamp(lo, base + len as isize);
        let (jlo, jhi) = ((lo - base) as usize, (hi - base) as usize);
        // Only the first and last chunk have words outside those rows (a
        // `fill` is a call to `memset`, even of nothing).
        for plane in [&mut *self.n, &mut *self.s, &mut *self.w, &mut *self.e] {
            if jlo > 0 {
                plane[..jlo].fill(0);
            }
            if jhi < len {
                plane[jhi..len].fill(0);
            }
        }
        if jhi <= jlo {
            return;
        }
        // The interior reads words i - w - 1 ..= i + w + 1, all in the grid
        // except for the first and last word of rows 1 ..= h - 2 (word w
        // and n - w - 1), which take the one-word path.
        let (first, last) = (lo as usize, hi as usize - 1);
        let mut from = first;
        let mut to = last + 1;
        if first == w {
            self.plan_one::<FIRST>(cur, w, first, jlo);
            from += 1;
        }
        if last == n - w - 1 && last >= from {
            self.plan_one::<FIRST>(cur, w, last, jhi - 1);
            to -= 1;
        }
        if to > from {
            let j = (from as isize - base) as usize;
            self.plan_run::<FIRST>(cur, w, from, to - from, j);
        }
    }

    /// The planes of grid words `i .. i + m` into plane words `j ..`; every
    /// word they read is in the grid.
    #[inline(always)]
    fn plan_run<const FIRST: usize>(
        &mut self,
        cur: &[u64],
        w: usize,
        i: usize,
        m: usize,
        j: usize,
    ) {
        let up = &cur[i - w - 1..i - w + m + 1];
        let mid = &cur[i - 1..i + m + 1];
        let down = &cur[i + w - 1..i + w + m + 1];
        let pn = &mut self.n[j..j + m];
        let ps = &mut self.s[j..j + m];
        let pw = &mut self.w[j..j + m];
        let pe = &mut self.e[j..j + m];
        for k in 0..m {
            let p = propose::<FIRST>(
                [up[k], up[k + 1], up[k + 2]],
                [mid[k], mid[k + 1], mid[k + 2]],
                [down[k], down[k + 1], down[k + 2]],
            );
            pn[k] = p[0];
            ps[k] = p[1];
            pw[k] = p[2];
            pe[k] = p[3];
        }
    }

    /// The planes of grid word `i` into plane word `j`, reading zero outside
    /// the grid.
    fn plan_one<const FIRST: usize>(&mut self, cur: &[u64], w: usize, i: usize, j: usize) {
        let at = |k: isize| {
            usize::try_from(i as isize + k)
                .ok()
                .and_then(|k| cur.get(k).copied())
                .unwrap_or(0)
        };
        let w = w as isize;
        let p = propose::<FIRST>(
            [at(-w - 1), at(-w), at(-w + 1)],
            [at(-1), at(0), at(1)],
            [at(w - 1), at(w), at(w + 1)],
        );
        self.n[j] = p[0];
        self.s[j] = p[1];
        self.w[j] = p[2];
        self.e[j] = p[3];
    }

    /// The resolve pass for the run of grid words `here` (plane index `at`
    /// is `here[0]`; rows are `w` words) into `dst`; returns how many elves
    /// left.
    #[inline(always)]
    fn resolve(&self, w: usize, at: usize, here: &[u64], dst: &mut [u64]) -> usize {
        let m = here.len().min(dst.len());
        let (n_here, n_down1, n_down2) = (
            &self.n[at..at + m],
            &self.n[at + w..at + w + m],
            &self.n[at + 2 * w..at + 2 * w + m],
        );
        let (s_here, s_up1, s_up2) = (
            &self.s[at..at + m],
            &self.s[at - w..at - w + m],
            &self.s[at - 2 * w..at - 2 * w + m],
        );
        // West proposals of this word and the next; east of the one before
        // and this one.
        let pw = &self.w[at..at + m + 1];
        let pe = &self.e[at - 1..at + m];
        let here = &here[..m];
        let dst = &mut dst[..m];
        let mut moved = 0usize;
        for k in 0..m {
            let (new, gone) = resolve(Around {
                cur: here[k],
                here: [n_here[k], s_here[k], pw[k], pe[k + 1]],
                s_up2: s_up2[k],
                n_down2: n_down2[k],
                s_up1: s_up1[k],
                n_down1: n_down1[k],
                e_prev: pe[k],
                w_next: pw[k + 1],
            });
            dst[k] = new;
            moved += gone.count_ones() as usize;
        }
        moved
    }
}

/// The proposals `[north, south, west, east]` of the word `mid[1]`, with the
/// words west and east of it and the same three of the rows above and below.
#[inline(always)]
fn propose<const FIRST: usize>(up: [u64; 3], mid: [u64; 3], down: [u64; 3]) -> [u64; 4] {
    // Each cell's west neighbour: the word shifted east, with the carry from
    // the word to the west; the east neighbour likewise.
    let west = |x: [u64; 3]| (x[1] << 1) | (x[0] >> 63);
    let east = |x: [u64; 3]| (x[1] >> 1) | (x[2] << 63);
    let (uw, ue) = (west(up), east(up));
    let (mw, me) = (west(mid), east(mid));
    let (dw, de) = (west(down), east(down));
    let north = uw | up[1] | ue;
    let south = dw | down[1] | de;
    let sides = [north, south, uw | mw | dw, ue | me | de];
    proposals::<FIRST>(mid[1] & (north | south | mw | me), sides)
}
