//! # The HTML report: one page that opens from disk
//!
//! [`Page::render`] writes one self-contained file: the markup, the CSS and
//! the JavaScript inline (`src/export/report/`, through `include_str!`), no
//! network access. The data is embedded once, as JSON in a
//! `<script type="application/json">` element:
//!
//! * `initial`: the elves after round 0 as `[x0, y0, x1, y1, ...]`;
//! * `moves[r - 1]`: round `r`'s moves, base64 of a bitmap (bit `i`, least
//!   significant first, set when elf `i` moved) followed by the directions
//!   of the elves that moved, in elf order, two bits each (0 N, 1 S, 2 W,
//!   3 E). The page applies them forwards and backwards; it never plays the
//!   rules itself;
//! * `runs[]`: per run its figures per round (`rounds[k]` is
//!   `[bytes_in_use, live_bytes, peak_bytes]`), its buffers, each distinct
//!   layout once (`layouts[i]` is `[end_index, count, gap, len, kind, ...]`:
//!   `count` blocks of `len` bytes, each `gap` bytes after the previous one's
//!   end, of kind 0 input, 1 live, 2 dead), and `frames`: for round `k`,
//!   phase `p` and buffer `b`, the layout at `frames[(3k + p) * buffers + b]`.
//!   Round 0 has no phases: its end stands for all three. Under
//!   `--allocator bumpalo` each buffer is one chunk (`chunk`: its number,
//!   `capacity_bytes` the largest it was) and `sizes`, beside `frames`,
//!   holds the chunk's size at that moment (0: no such chunk then).
//!
//! The summary table is the text table, as `--format text` prints it.

use base64::Engine as _;
use serde::Serialize;

use super::layout::block_kind;
use crate::grid::Point2D;
use crate::report::{BufferLayout, Comparison, RunReport};

pub use super::layout::BlockKind;

const TEMPLATE: &str = include_str!("report/page.html");
const CSS: &str = include_str!("report/page.css");
const JS: &str = include_str!("report/page.js");

/// One buffer's layout as the page stores it (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PageLayout(Vec<usize>);

impl PageLayout {
    /// The layout of `layout`, runs of equal blocks merged.
    #[must_use]
    pub fn of(layout: &BufferLayout) -> Self {
        let mut data = vec![layout.end_index];
        let mut at = 0;
        for block in &layout.blocks {
            let gap = block.offset.saturating_sub(at);
            let kind = block_kind(block) as usize;
            let n = data.len();
            if n > 1 && data[n - 3..] == [gap, block.len, kind] {
                data[n - 4] += 1;
            } else {
                data.extend([1, gap, block.len, kind]);
            }
            at = block.offset + block.len;
        }
        Self(data)
    }
}

/// One run, for the page.
#[derive(Debug)]
pub struct PageRun<'c> {
    /// Its report in the comparison.
    pub report: &'c RunReport,
    /// Its buffers: name, chunk number (bumpalo: each chunk a buffer of its
    /// own) and capacity in bytes (none for the heap).
    pub buffers: Vec<(&'static str, Option<usize>, usize)>,
    /// The phases' names for this strategy.
    pub phase_labels: [&'static str; 3],
    /// Each distinct layout once.
    pub layouts: Vec<PageLayout>,
    /// Per round, phase and buffer, a number in `layouts`.
    pub frames: Vec<u32>,
    /// bumpalo: per round, phase and buffer (chunk), the chunk's size then
    /// (0: no such chunk at that moment).
    pub sizes: Option<Vec<usize>>,
}

/// Everything the page shows.
#[derive(Debug)]
pub struct Page<'c> {
    /// The runs' figures.
    pub comparison: &'c Comparison,
    /// The summary table, as the text output prints it.
    pub table: String,
    /// The elves after round 0, elf `i` the `i`-th.
    pub initial: Vec<Point2D>,
    /// Per round 1, 2, ...: the elves that moved, with their directions.
    pub moves: Vec<Vec<(u32, u8)>>,
    /// Per run, in the comparison's order.
    pub runs: Vec<PageRun<'c>>,
}

#[derive(Serialize)]
struct Data<'a> {
    input: &'a str,
    elves: usize,
    buffer_size_bytes: usize,
    table: &'a str,
    initial: Vec<i32>,
    moves: Vec<String>,
    runs: Vec<RunData<'a>>,
}

#[derive(Serialize)]
struct RunData<'a> {
    name: &'a str,
    strategy: &'a str,
    cells: &'a str,
    color: String,
    outcome: String,
    out_of_memory: bool,
    phases: [&'a str; 3],
    buffers: Vec<BufferData<'a>>,
    layouts: &'a [PageLayout],
    frames: &'a [u32],
    #[serde(skip_serializing_if = "Option::is_none")]
    sizes: Option<&'a [usize]>,
    rounds: Vec<[usize; 3]>,
}

#[derive(Serialize)]
struct BufferData<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    chunk: Option<usize>,
    capacity_bytes: usize,
}

/// Round `moves` for `elves` elves, as the page reads it (module docs).
fn encode_moves(elves: usize, moves: &[(u32, u8)]) -> String {
    let mut bytes = vec![0u8; elves.div_ceil(8) + moves.len().div_ceil(4)];
    let (bitmap, directions) = bytes.split_at_mut(elves.div_ceil(8));
    for (k, &(elf, d)) in moves.iter().enumerate() {
        let elf = elf as usize;
        bitmap[elf / 8] |= 1 << (elf % 8);
        directions[k / 4] |= (d & 3) << (2 * (k % 4));
    }
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `text` safe inside HTML text and attribute values.
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Page<'_> {
    /// The page's bytes.
    ///
    /// # Errors
    ///
    /// The data cannot be serialized.
    pub fn render(&self) -> anyhow::Result<Vec<u8>> {
        let c = self.comparison;
        let json = self.data_json()?;
        let page = TEMPLATE
            .replace("{{title}}", &escape_html(&format!("day23: {}", c.input)))
            .replace("{{css}}", CSS)
            .replace("{{js}}", JS)
            .replace("{{data}}", &json);
        Ok(page.into_bytes())
    }

    /// The data the viewer draws, as JSON safe inside a `<script>` element
    /// (no raw `<`): what [`Page::render`] embeds, and what the page in the
    /// browser (`web/`) hands the same viewer for a live run.
    ///
    /// # Errors
    ///
    /// The data cannot be serialized.
    pub fn data_json(&self) -> anyhow::Result<String> {
        let c = self.comparison;
        let runs = self
            .runs
            .iter()
            .map(|run| {
                let r = run.report;
                let color = super::palette::rgb(r.strategy);
                RunData {
                    name: &r.name,
                    strategy: r.strategy,
                    cells: r.cells,
                    color: format!("#{:02x}{:02x}{:02x}", color.0, color.1, color.2),
                    outcome: super::table::outcome_text(&r.outcome),
                    out_of_memory: r.outcome.is_out_of_memory(),
                    phases: run.phase_labels,
                    buffers: run
                        .buffers
                        .iter()
                        .map(|&(name, chunk, capacity_bytes)| BufferData {
                            name,
                            chunk,
                            capacity_bytes,
                        })
                        .collect(),
                    layouts: &run.layouts,
                    frames: &run.frames,
                    sizes: run.sizes.as_deref(),
                    rounds: r
                        .rounds
                        .iter()
                        .map(|s| [s.bytes_in_use, s.live_bytes, s.peak_bytes])
                        .collect(),
                }
            })
            .collect();
        let data = Data {
            input: &c.input,
            elves: self.initial.len(),
            buffer_size_bytes: c.buffer_size_bytes,
            table: &self.table,
            initial: self.initial.iter().flat_map(|p| [p.x, p.y]).collect(),
            moves: self
                .moves
                .iter()
                .map(|m| encode_moves(self.initial.len(), m))
                .collect(),
            runs,
        };
        // `<` never appears raw inside the script element, so no `</script>`.
        Ok(serde_json::to_string(&data)?.replace('<', "\\u003c"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alloc::Block;

    #[test]
    fn moves_are_a_bitmap_then_two_bits_per_mover() {
        // Elves 0 and 9 of 10 moved, north (0) and east (3).
        let encoded = encode_moves(10, &[(0, 0), (9, 3)]);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        assert_eq!(bytes, [0b0000_0001, 0b0000_0010, 0b0000_1100]);
    }

    #[test]
    fn equal_blocks_in_a_row_are_stored_once_with_a_count() {
        let block = |offset, len, label, live| Block {
            id: 0,
            offset,
            pad: 0,
            len,
            label,
            live,
        };
        let layout = BufferLayout {
            name: "main",
            capacity_bytes: 2000,
            end_index: 1280,
            blocks: vec![
                block(0, 56, "input", false),
                block(64, 304, "set", false),
                block(368, 304, "set", false),
                block(672, 304, "set", false),
                block(976, 304, "set", true),
            ],
            chunk: None,
        };
        assert_eq!(
            PageLayout::of(&layout).0,
            [1280, 1, 0, 56, 0, 1, 8, 304, 2, 2, 0, 304, 2, 1, 0, 304, 1]
        );
    }
}
