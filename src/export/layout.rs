//! # Layout pictures: a buffer's bytes, one line, to scale
//!
//! Each buffer becomes a bar of `width` columns whose cells each stand for
//! `capacity / cells` bytes. Below `end_index`, every byte belongs to a block
//! from the allocator's own list ([`crate::alloc::Block`]) or to alignment
//! padding (bytes below `end_index` that no block covers: the padding in
//! front of blocks, and the padding a freed last block left behind); above
//! it, the buffer is free:
//!
//! | mark | bytes |
//! |---|---|
//! | `i` | the copy of the input (freed right after parsing, but not reclaimed) |
//! | `#` | a live set |
//! | `x` | a dead set: freed, not reclaimed (not the last block when freed) |
//! | `'` | alignment padding |
//! | `.` | free: at or above `end_index` |
//!
//! A cell shows the kind that has the most bytes in it, ignoring free bytes
//! when there are any others (so anything in use shows, rounded up to a
//! cell); ties go to live, input, dead, padding in that order. Every kind of
//! block present (input, live, dead) shows in at least one cell, taken from
//! a kind that has others, or, when several kinds share the only used cell
//! (a few small sets in a large buffer), by rounding each kind up to a cell
//! of its own in address order (`ix#....`). The exact numbers follow the
//! bar.

use crate::alloc::Block;
use crate::report::BufferLayout;
use crate::units::{human_bytes, thousands};

/// What each mark means, printed once before the first picture.
pub const LEGEND: &str = "Layout: i input (dead after parsing)  # live set  x dead set (freed, not reclaimed)  ' padding  . free";

/// The kinds of bytes, in tie-break order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Input = 0,
    Live = 1,
    Dead = 2,
    Pad = 3,
    Free = 4,
}

const MARKS: [char; 5] = ['i', '#', 'x', '\'', '.'];
/// Tie-break priority, highest first.
const PRIORITY: [Kind; 4] = [Kind::Live, Kind::Input, Kind::Dead, Kind::Pad];

/// What a block holds, as the pictures and the report show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// The copy of the input (freed right after parsing, never reclaimed).
    Input = 0,
    /// A live set.
    Live = 1,
    /// A dead set: freed, not reclaimed.
    Dead = 2,
}

/// The kind of `block`.
#[must_use]
pub fn block_kind(block: &Block) -> BlockKind {
    match (block.label, block.live) {
        ("input", _) => BlockKind::Input,
        (_, true) => BlockKind::Live,
        (_, false) => BlockKind::Dead,
    }
}

/// The buffer's bytes as runs `(start, end, kind)` in address order, covering
/// `0..capacity`.
fn runs(layout: &BufferLayout) -> Vec<(usize, usize, Kind)> {
    let cap = layout.capacity_bytes;
    let end = layout.end_index.min(cap);
    let mut runs = Vec::with_capacity(2 * layout.blocks.len() + 2);
    let mut at = 0;
    for block in &layout.blocks {
        let start = block.offset.min(end);
        let stop = block.offset.saturating_add(block.len).min(end);
        if start < at || stop <= start {
            continue;
        }
        if start > at {
            runs.push((at, start, Kind::Pad));
        }
        let kind = match block_kind(block) {
            BlockKind::Input => Kind::Input,
            BlockKind::Live => Kind::Live,
            BlockKind::Dead => Kind::Dead,
        };
        runs.push((start, stop, kind));
        at = stop;
    }
    if end > at {
        runs.push((at, end, Kind::Pad));
    }
    if cap > end {
        runs.push((end, cap, Kind::Free));
    }
    runs
}

/// The bar alone: `cells` marks (fewer when the buffer has fewer bytes).
#[must_use]
pub fn bar(layout: &BufferLayout, cells: usize) -> String {
    let cap = layout.capacity_bytes;
    let cells = cells.min(cap);
    if cells == 0 {
        return String::new();
    }
    // Cell j covers bytes [j * cap / cells, (j + 1) * cap / cells).
    let edge = |j: usize| ((j as u128 * cap as u128) / cells as u128) as usize;
    let mut counts = vec![[0usize; 5]; cells];
    // The first byte of each kind in each cell, to order kinds within a cell.
    let mut first = vec![[usize::MAX; 5]; cells];
    for (start, stop, kind) in runs(layout) {
        // The first cell holding `start`: the largest j with edge(j) <= start.
        let mut j = ((start as u128 * cells as u128) / cap as u128) as usize;
        while j > 0 && edge(j) > start {
            j -= 1;
        }
        while j + 1 < cells && edge(j + 1) <= start {
            j += 1;
        }
        while j < cells && edge(j) < stop {
            let lo = start.max(edge(j));
            let hi = stop.min(edge(j + 1));
            if hi > lo {
                counts[j][kind as usize] += hi - lo;
                first[j][kind as usize] = first[j][kind as usize].min(lo);
            }
            j += 1;
        }
    }
    let mut kinds: Vec<Kind> = counts
        .iter()
        .map(|c| {
            let mut best = Kind::Free;
            let mut most = 0;
            for kind in PRIORITY {
                if c[kind as usize] > most {
                    best = kind;
                    most = c[kind as usize];
                }
            }
            best
        })
        .collect();
    // Every kind of block present shows somewhere: in the cell with the most
    // of it whose own kind still shows elsewhere (or is padding or free).
    for kind in [Kind::Live, Kind::Input, Kind::Dead] {
        if kinds.contains(&kind) {
            continue;
        }
        let mut candidates: Vec<usize> = (0..cells)
            .filter(|&j| counts[j][kind as usize] > 0)
            .collect();
        if candidates.is_empty() {
            continue;
        }
        candidates.sort_by_key(|&j| (usize::MAX - counts[j][kind as usize], j));
        let spare = |kinds: &[Kind], j: usize| {
            let current = kinds[j];
            matches!(current, Kind::Pad | Kind::Free)
                || kinds.iter().filter(|&&k| k == current).count() > 1
        };
        if let Some(&j) = candidates.iter().find(|&&j| spare(&kinds, j)) {
            kinds[j] = kind;
        } else {
            make_room(&mut kinds, &first, candidates[0], kind, spare);
        }
    }
    kinds.iter().map(|&k| MARKS[k as usize]).collect()
}

/// Shows `kind` next to cell `j` (the cell with the most of it, whose own
/// kind shows nowhere else) when no cell could simply take it: the nearest
/// spare cell (padding, free, or a kind shown elsewhere) gives up its place,
/// and the cells between shift towards it by one. `kind` lands before or
/// after cell `j`'s kind by their first bytes in that cell, so the bar keeps
/// address order. With every block in the first cell of a large buffer,
/// input, dead sets and the live set then show as `ix#` followed by free
/// cells: each kind present is rounded up to a cell, as anything in use is.
fn make_room(
    kinds: &mut Vec<Kind>,
    first: &[[usize; 5]],
    j: usize,
    kind: Kind,
    spare: impl Fn(&[Kind], usize) -> bool,
) {
    let before = first[j][kind as usize] < first[j][kinds[j] as usize];
    if let Some(c) = (j + 1..kinds.len()).find(|&c| spare(kinds, c)) {
        kinds.remove(c);
        kinds.insert(if before { j } else { j + 1 }, kind);
    } else if let Some(c) = (0..j).rev().find(|&c| spare(kinds, c)) {
        kinds.remove(c);
        // Cell j moved to j - 1.
        kinds.insert(if before { j - 1 } else { j }, kind);
    }
    // No spare cell: fewer cells than kinds present; the bar stays as it is.
}

/// What the phase labels mean, printed once after [`LEGEND`] with
/// `--layout phases`.
pub const PHASES_LEGEND: &str = "Phases: start (the round begins)  alloc (new set filled, old set still live: the peak)  swap (old set freed; tempcopy: copy, the new set copied back). Bars span the round's peak; the figures are the whole buffer's";

/// The fewest cells a bar has while the figures fit in full.
const MIN_CELLS: usize = 10;

/// One line for one buffer, `width` columns wide: the name, the bar, the
/// figures in bytes, or in units when the bytes would leave fewer than
/// 10 cells (the bar keeps at least one cell):
/// `   a [ii#########.........]    368 / 4,000 B`.
#[must_use]
pub fn line(layout: &BufferLayout, width: usize) -> String {
    line_after(String::new(), layout, width, layout.capacity_bytes)
}

/// [`line()`] after a phase's label, right-aligned in 5 columns (blank for
/// round 0, which has no phases), with the bar spanning bytes `0..span`
/// only (at most the capacity; the figures stay the buffer's):
/// `alloc    a [ii####....]  672 / 4,000 B`. A phase picture spans the
/// round's peak, so that a few sets in a large buffer still show.
#[must_use]
pub fn labelled_line(label: &str, layout: &BufferLayout, width: usize, span: usize) -> String {
    let span = span.clamp(1, layout.capacity_bytes.max(1));
    line_after(format!("{label:>5} "), layout, width, span)
}

fn line_after(prefix: String, layout: &BufferLayout, width: usize, span: usize) -> String {
    let name = match layout.chunk {
        // bumpalo: the buffer's chunk, `main.0` the oldest.
        Some(i) => format!("{prefix}{:>4}.{i} [", layout.name),
        None => format!("{prefix}{:>4} [", layout.name),
    };
    let fixed = name.chars().count() + 1;
    let cap = thousands(layout.capacity_bytes as u64);
    let used = thousands(layout.end_index as u64);
    let mut figures = format!(" {used:>w$} / {cap} B", w = cap.len());
    if fixed + figures.len() + MIN_CELLS > width {
        // Too narrow for the bytes in full: the same figures in units, the
        // used bytes in the widest a unit takes (`1023.9 KiB`), so that every
        // line of the buffer has as many cells.
        let (used, cap) = (
            human_bytes(layout.end_index),
            human_bytes(layout.capacity_bytes),
        );
        figures = format!(" {used:>10} / {cap}");
    }
    let cells = width.saturating_sub(fixed + figures.len()).max(1);
    let bar = if span >= layout.capacity_bytes {
        bar(layout, cells)
    } else {
        let spanned = BufferLayout {
            capacity_bytes: span,
            end_index: layout.end_index.min(span),
            ..layout.clone()
        };
        self::bar(&spanned, cells)
    };
    format!("{name}{bar}]{figures}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(offset: usize, pad: usize, len: usize, label: &'static str, live: bool) -> Block {
        Block {
            id: 0,
            offset,
            pad,
            len,
            label,
            live,
        }
    }

    fn layout(capacity: usize, end_index: usize, blocks: Vec<Block>) -> BufferLayout {
        BufferLayout {
            name: "main",
            capacity_bytes: capacity,
            end_index,
            blocks,
            chunk: None,
        }
    }

    #[test]
    fn one_cell_per_byte_shows_every_kind_exactly() {
        let l = layout(
            20,
            14,
            vec![
                block(0, 0, 3, "input", false),
                block(4, 1, 4, "set", false),
                block(9, 1, 4, "set", true),
            ],
        );
        assert_eq!(bar(&l, 20), "iii'xxxx'####'......");
        assert_eq!(bar(&l, 100), bar(&l, 20), "never more cells than bytes");
    }

    #[test]
    fn cells_take_the_biggest_kind_and_used_beats_free() {
        // 40 bytes in 10 cells of 4: input 0..6, pad 6..8, dead 8..30, live 30..33.
        // Cell 1 ties input and padding (input wins), cell 7 dead and live (live
        // wins), cell 8 has one live byte and three free (used wins).
        let l = layout(
            40,
            33,
            vec![
                block(0, 0, 6, "input", false),
                block(8, 2, 22, "set", false),
                block(30, 0, 3, "set", true),
            ],
        );
        assert_eq!(bar(&l, 10), "iixxxxx##.");
    }

    #[test]
    fn a_small_input_still_shows_next_to_the_set() {
        // 6448 bytes in 47 cells of 137: cell 0 has 56 input, 8 padding, 73 live.
        let l = layout(
            6448,
            368,
            vec![
                block(0, 0, 56, "input", false),
                block(64, 8, 304, "set", true),
            ],
        );
        assert_eq!(bar(&l, 47), format!("i##{}", ".".repeat(44)));
        // One cell for both: the live set keeps it.
        assert_eq!(bar(&l, 1), "#");
    }

    #[test]
    fn a_tiny_live_set_still_shows() {
        let l = layout(
            1000,
            1000,
            vec![
                block(0, 0, 998, "set", false),
                block(998, 0, 2, "set", true),
            ],
        );
        assert_eq!(bar(&l, 10), "xxxxxxxxx#");
    }

    #[test]
    fn kinds_that_share_the_only_used_cell_each_get_a_cell_in_address_order() {
        // leaky's rounds 1 and 2 on the example, in 4 MiB drawn as 49 cells:
        // every block falls in cell 0.
        let round1 = layout(
            4_194_304,
            672,
            vec![
                block(0, 0, 56, "input", false),
                block(64, 8, 304, "set", false),
                block(368, 0, 304, "set", true),
            ],
        );
        assert_eq!(bar(&round1, 49), format!("ix#{}", ".".repeat(46)));
        let round2 = layout(
            4_194_304,
            976,
            vec![
                block(0, 0, 56, "input", false),
                block(64, 8, 304, "set", false),
                block(368, 0, 304, "set", false),
                block(672, 0, 304, "set", true),
            ],
        );
        assert_eq!(bar(&round2, 49), format!("ix#{}", ".".repeat(46)));
        // Round 0: the input and the live set.
        let round0 = layout(
            4_194_304,
            368,
            vec![
                block(0, 0, 56, "input", false),
                block(64, 8, 304, "set", true),
            ],
        );
        assert_eq!(bar(&round0, 49), format!("i#{}", ".".repeat(47)));
        // A full buffer with no spare cell keeps its one cell.
        assert_eq!(bar(&round1, 1), "#");
        // Free space before the used cell gives it up instead.
        let high = layout(
            100,
            100,
            vec![
                block(90, 90, 4, "input", false),
                block(94, 0, 6, "set", true),
            ],
        );
        assert_eq!(bar(&high, 2), "i#");
    }

    #[test]
    fn empty_and_zero_sized_buffers_draw() {
        assert_eq!(bar(&layout(100, 0, vec![]), 5), ".....");
        assert_eq!(bar(&layout(0, 0, vec![]), 5), "");
        let line = line(&layout(4000, 368, vec![]), 40);
        assert_eq!(line.chars().count(), 40);
        assert!(line.ends_with("]   368 / 4,000 B"), "{line}");
    }
}
