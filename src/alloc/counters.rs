//! # The statistics every allocator of the tool keeps
//!
//! The fixed buffer, bumpalo's capped arena and the counting heap each have a
//! *level* (`end_index`, the arena's chunk bytes, the heap's live bytes) and
//! the same counts. [`Counters`] keeps them once: the level's peaks, the live
//! bytes and the events, always on and as cheap as a few `Cell` updates.

use core::cell::Cell;

use super::AllocStats;

/// Peaks, live bytes and event counts, for [`AllocStats`].
#[derive(Debug, Default)]
pub(super) struct Counters {
    high_water: Cell<usize>,
    window_peak: Cell<usize>,
    live_bytes: Cell<usize>,
    allocs: Cell<u64>,
    failed_allocs: Cell<u64>,
    frees: Cell<u64>,
}

impl Counters {
    /// The level reached `level`: raises the peaks to it.
    pub(super) fn reached(&self, level: usize) {
        self.high_water.set(self.high_water.get().max(level));
        self.window_peak.set(self.window_peak.get().max(level));
    }

    /// Starts a new window for [`AllocStats::window_peak_bytes`] at `level`.
    pub(super) fn start_window(&self, level: usize) {
        self.window_peak.set(level);
    }

    /// A block of `size` bytes was handed out.
    pub(super) fn allocated(&self, size: usize) {
        self.allocs.set(self.allocs.get() + 1);
        self.live_bytes.set(self.live_bytes.get() + size);
    }

    /// An allocation failed.
    pub(super) fn failed(&self) {
        self.failed_allocs.set(self.failed_allocs.get() + 1);
    }

    /// A block of `size` bytes was freed (whether or not that reclaimed it).
    pub(super) fn freed(&self, size: usize) {
        self.frees.set(self.frees.get() + 1);
        self.live_bytes
            .set(self.live_bytes.get().saturating_sub(size));
    }

    /// A live block changed from `old` to `new` bytes in place.
    pub(super) fn resized(&self, old: usize, new: usize) {
        self.live_bytes
            .set(self.live_bytes.get().saturating_sub(old) + new);
    }

    /// Every block was given back at once (a reset).
    pub(super) fn cleared(&self) {
        self.live_bytes.set(0);
    }

    /// The highest level so far.
    pub(super) fn high_water(&self) -> usize {
        self.high_water.get()
    }

    /// Bytes in blocks allocated and not yet freed.
    pub(super) fn live_bytes(&self) -> usize {
        self.live_bytes.get()
    }

    /// Blocks allocated and not yet freed.
    pub(super) fn live_blocks(&self) -> u64 {
        self.allocs.get() - self.frees.get()
    }

    /// The statistics, with `end_index` as the allocator reports it.
    pub(super) fn stats(&self, end_index: usize) -> AllocStats {
        AllocStats {
            end_index,
            high_water_bytes: self.high_water.get(),
            window_peak_bytes: self.window_peak.get(),
            live_bytes: self.live_bytes.get(),
            allocs: self.allocs.get(),
            failed_allocs: self.failed_allocs.get(),
            frees: self.frees.get(),
        }
    }
}
