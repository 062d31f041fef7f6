//! # The report sink: what the HTML page needs, gathered as the runs go
//!
//! `--report PATH.html` writes one self-contained page
//! ([`crate::export::html`]). While the runs go, this sink keeps:
//!
//! * the elves once: their positions after round 0, and for each round the
//!   elves that moved and in which direction, computed from the rules' own
//!   code ([`crate::sim::move_of`]) on the positions the engine reports. All
//!   runs play the same rounds, so a round's moves are taken from the first
//!   run that completes it (runs go concurrently: the first in time, behind
//!   a lock);
//! * for every run, every buffer's layout at each phase of each round,
//!   each distinct layout stored once and referred to by number.
//!
//! The per-round figures and the summary come from the [`Comparison`] at the
//! end, the same data every other output is drawn from.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use anyhow::{Result, bail};

use crate::alloc::Global;
use crate::engine::{Phase, Snapshot};
use crate::export::html::{Page, PageLayout, PageRun};
use crate::grid::Point2D;
use crate::grid::point::DIRECTIONS;
use crate::report::{BufferLayout, Comparison};
use crate::sim::{ElfSet, move_of};

/// The report of one session, over all its runs.
#[derive(Debug, Default)]
pub struct ReportSink {
    /// The elves and their moves, recorded by whichever run gets there first.
    pub moves: Mutex<Moves>,
}

/// The elves of every round, as moves.
#[derive(Debug, Default)]
pub struct Moves {
    /// The elves after round 0, in (y, x) order: elf `i` is the `i`-th.
    initial: Vec<Point2D>,
    /// Where each elf is after the last round in `moves`.
    at: HashMap<Point2D, u32>,
    /// Per round 1, 2, ...: the elves that moved, by number, with their
    /// direction (index into [`crate::grid::point::DIRECTIONS`]).
    moves: Vec<Vec<(u32, u8)>>,
    /// A broken invariant seen while recording (reported at the end).
    error: Option<String>,
}

/// One run's layouts.
#[derive(Debug, Default)]
pub struct RunLayouts {
    buffers: Vec<(&'static str, Option<usize>, usize)>,
    copies_back: bool,
    /// Each distinct layout once.
    table: Vec<PageLayout>,
    index: HashMap<PageLayout, u32>,
    /// Per round, per phase, per buffer: a number in `table`.
    frames: Vec<u32>,
    /// The current round's phases, until the round completes.
    pending: Vec<u32>,
    /// `--allocator bumpalo`: its buffers are chunks, as many as there are
    /// at each moment; they become `buffers` and `frames` at the end.
    chunked: bool,
    /// bumpalo: per round and phase, each chunk as (buffer, chunk, size,
    /// number in `table`).
    chunk_frames: Vec<ChunkFrame>,
    /// bumpalo: the current round's phases, until the round completes.
    pending_chunks: Vec<ChunkFrame>,
    /// bumpalo: per round, phase and chunk slot, the chunk's size (0: no such
    /// chunk then).
    sizes: Option<Vec<usize>>,
}

/// bumpalo: one moment's chunks, as (buffer, chunk, size, layout number).
type ChunkFrame = Vec<(&'static str, usize, usize, u32)>;

impl RunLayouts {
    fn chunk_frame(&mut self, layouts: &[BufferLayout]) -> ChunkFrame {
        layouts
            .iter()
            .map(|l| {
                (
                    l.name,
                    l.chunk.unwrap_or(0),
                    l.capacity_bytes,
                    self.intern(l),
                )
            })
            .collect()
    }

    /// bumpalo: turns the chunks of every moment into fixed slots (buffer
    /// and chunk number, in order of first appearance), each moment's
    /// missing chunks an empty layout of size 0.
    fn settle_chunks(&mut self) {
        if !self.chunked {
            return;
        }
        let mut slots: Vec<(&'static str, usize, usize)> = Vec::new();
        for &(name, chunk, size, _) in self.chunk_frames.iter().flatten() {
            match slots.iter_mut().find(|s| s.0 == name && s.1 == chunk) {
                Some(slot) => slot.2 = slot.2.max(size),
                None => slots.push((name, chunk, size)),
            }
        }
        slots.sort_by_key(|&(name, chunk, _)| {
            let first = self
                .chunk_frames
                .iter()
                .flatten()
                .position(|f| f.0 == name)
                .unwrap_or(usize::MAX);
            (first, chunk)
        });
        let empty = self.intern(&BufferLayout {
            name: "",
            capacity_bytes: 0,
            end_index: 0,
            blocks: Vec::new(),
            chunk: None,
        });
        let mut sizes = Vec::new();
        for frame in &self.chunk_frames {
            for &(name, chunk, _) in &slots {
                let found = frame.iter().find(|f| f.0 == name && f.1 == chunk);
                self.frames.push(found.map_or(empty, |f| f.3));
                sizes.push(found.map_or(0, |f| f.2));
            }
        }
        self.buffers = slots
            .into_iter()
            .map(|(name, chunk, size)| (name, Some(chunk), size))
            .collect();
        self.sizes = Some(sizes);
    }

    fn intern(&mut self, layout: &BufferLayout) -> u32 {
        let page = PageLayout::of(layout);
        if let Some(&i) = self.index.get(&page) {
            return i;
        }
        let i = u32::try_from(self.table.len()).unwrap_or(u32::MAX);
        self.table.push(page.clone());
        self.index.insert(page, i);
        i
    }
}

impl ReportSink {
    /// The page for `comparison`, whose runs recorded `runs`, in order.
    ///
    /// # Errors
    ///
    /// An invariant broke while recording (a bug).
    pub fn page(
        self,
        comparison: &Comparison,
        runs: Vec<RunLayouts>,
        table: String,
    ) -> Result<Page<'_>> {
        let moves = self
            .moves
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(error) = moves.error {
            bail!("could not record the report: {error}; this is a bug in day23");
        }
        let runs = comparison
            .strategies
            .iter()
            .zip(runs)
            .map(|(report, mut layouts)| {
                layouts.settle_chunks();
                PageRun {
                    report,
                    buffers: layouts.buffers,
                    phase_labels: Phase::ALL.map(|p| p.label(layouts.copies_back)),
                    layouts: layouts.table,
                    frames: layouts.frames,
                    sizes: layouts.sizes,
                }
            })
            .collect();
        Ok(Page {
            comparison,
            table,
            initial: moves.initial,
            moves: moves.moves,
            runs,
        })
    }
}

impl Moves {
    /// Records round `round`'s moves if no run has yet: the elves at the
    /// last recorded round are `self.at`, those after `round` are `after`.
    fn record_moves(&mut self, round: usize, after: &[Point2D]) {
        let before: ElfSet<Global> = self.at.keys().copied().collect();
        let after: ElfSet<Global> = after.iter().copied().collect();
        let mut moved = Vec::new();
        for (&p, &elf) in &self.at {
            if after.contains(&p) {
                continue;
            }
            match move_of(&before, p, round) {
                Some(d) if after.contains(&(p + DIRECTIONS[d])) => moved.push((elf, d, p)),
                _ => {
                    self.error.get_or_insert_with(|| {
                        format!("round {round}: the elf at {p:?} left, but not as the rules say")
                    });
                    return;
                }
            }
        }
        moved.sort_unstable_by_key(|&(elf, _, _)| elf);
        for &(_, _, p) in &moved {
            self.at.remove(&p);
        }
        for &(elf, d, p) in &moved {
            self.at.insert(p + DIRECTIONS[d], elf);
        }
        if self.at.len() != self.initial.len() {
            self.error
                .get_or_insert_with(|| format!("round {round}: two elves on one cell"));
        }
        self.moves
            .push(moved.iter().map(|&(elf, d, _)| (elf, d as u8)).collect());
    }
}

/// The recording of one run.
#[derive(Debug)]
pub struct ReportRun<'m> {
    moves: &'m Mutex<Moves>,
    layouts: RunLayouts,
}

impl<'m> ReportRun<'m> {
    /// The recording of a run (which copies the new set back when
    /// `copies_back`), sharing the elves' moves with the other runs.
    pub fn new(moves: &'m Mutex<Moves>, copies_back: bool) -> Self {
        Self {
            moves,
            layouts: RunLayouts {
                copies_back,
                ..RunLayouts::default()
            },
        }
    }

    /// The run's layouts, once it is done.
    pub fn into_layouts(self) -> RunLayouts {
        self.layouts
    }

    /// Records the buffers at a phase of the current round (phases come in
    /// [`Phase::ALL`]'s order).
    pub fn phase(&mut self, snapshot: &dyn Snapshot) {
        let run = &mut self.layouts;
        let layouts = snapshot.layouts();
        if run.chunked {
            let frame = run.chunk_frame(&layouts);
            run.pending_chunks.push(frame);
            return;
        }
        for l in layouts {
            let i = run.intern(&l);
            run.pending.push(i);
        }
    }

    /// Records a completed round.
    pub fn round(&mut self, round: usize, snapshot: &dyn Snapshot) {
        let layouts = snapshot.layouts();
        let run = &mut self.layouts;
        if round == 0 && layouts.iter().any(|l| l.chunk.is_some()) {
            run.chunked = true;
        }
        if run.chunked {
            if round == 0 {
                // Round 0 has no phases: its end, three times.
                let end = run.chunk_frame(&layouts);
                for _ in Phase::ALL {
                    run.chunk_frames.push(end.clone());
                }
            } else {
                let pending = std::mem::take(&mut run.pending_chunks);
                run.chunk_frames.extend(pending);
            }
        } else if round == 0 {
            run.buffers = layouts
                .iter()
                .map(|l| (l.name, None, l.capacity_bytes))
                .collect();
            // Round 0 has no phases: its end, three times.
            let end: Vec<u32> = layouts.iter().map(|l| run.intern(l)).collect();
            for _ in Phase::ALL {
                run.frames.extend_from_slice(&end);
            }
        } else {
            let pending = std::mem::take(&mut run.pending);
            run.frames.extend(pending);
        }
        // A run that panicked while holding the lock left whole rounds only.
        let mut moves = self.moves.lock().unwrap_or_else(PoisonError::into_inner);
        if round == 0 && moves.initial.is_empty() {
            moves.initial = snapshot.elves();
            moves.at = (0u32..).zip(&moves.initial).map(|(i, &p)| (p, i)).collect();
        } else if round == moves.moves.len() + 1 {
            moves.record_moves(round, &snapshot.elves());
        }
    }
}
