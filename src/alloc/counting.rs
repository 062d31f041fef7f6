//! # `Counting<A>`: an allocator wrapper that counts
//!
//! Forwards every call to the inner allocator and keeps the same statistics as
//! [`FixedBufferAllocator`](super::FixedBufferAllocator): live bytes (the
//! `heap` strategy's memory use), their high-water mark, allocation and free
//! counts. Tests wrap the arena in it to see how hashbrown drives an allocator.

use core::cell::Cell;
use core::ptr::NonNull;

use super::{AllocError, AllocStats, Allocator, Layout};

/// Counts what passes through to `A`.
#[derive(Debug, Default)]
pub struct Counting<A> {
    inner: A,
    live_bytes: Cell<usize>,
    high_water: Cell<usize>,
    window_peak: Cell<usize>,
    allocs: Cell<u64>,
    failed_allocs: Cell<u64>,
    frees: Cell<u64>,
    grows: Cell<u64>,
    shrinks: Cell<u64>,
}

impl<A> Counting<A> {
    /// Wraps `inner` with all counters at zero.
    pub fn new(inner: A) -> Self {
        Self {
            inner,
            live_bytes: Cell::new(0),
            high_water: Cell::new(0),
            window_peak: Cell::new(0),
            allocs: Cell::new(0),
            failed_allocs: Cell::new(0),
            frees: Cell::new(0),
            grows: Cell::new(0),
            shrinks: Cell::new(0),
        }
    }

    /// The wrapped allocator.
    pub fn inner(&self) -> &A {
        &self.inner
    }

    /// Bytes allocated and not yet freed.
    #[must_use]
    pub fn live_bytes(&self) -> usize {
        self.live_bytes.get()
    }

    /// How many times `grow`/`grow_zeroed` and `shrink` were called.
    #[must_use]
    pub fn resizes(&self) -> (u64, u64) {
        (self.grows.get(), self.shrinks.get())
    }

    /// The statistics, with `end_index` 0 (a heap has no end index).
    #[must_use]
    pub fn stats(&self) -> AllocStats {
        AllocStats {
            end_index: 0,
            high_water_bytes: self.high_water.get(),
            window_peak_bytes: self.window_peak.get(),
            live_bytes: self.live_bytes.get(),
            allocs: self.allocs.get(),
            failed_allocs: self.failed_allocs.get(),
            frees: self.frees.get(),
        }
    }

    /// Starts a new window for [`AllocStats::window_peak_bytes`].
    pub fn start_window(&self) {
        self.window_peak.set(self.live_bytes.get());
    }

    fn add_live(&self, bytes: usize) {
        let live = self.live_bytes.get() + bytes;
        self.live_bytes.set(live);
        self.high_water.set(self.high_water.get().max(live));
        self.window_peak.set(self.window_peak.get().max(live));
    }

    fn count_alloc(&self, result: &Result<NonNull<[u8]>, AllocError>, layout: Layout) {
        if result.is_ok() {
            self.allocs.set(self.allocs.get() + 1);
            self.add_live(layout.size());
        } else {
            self.failed_allocs.set(self.failed_allocs.get() + 1);
        }
    }

    fn count_resize(&self, ok: bool, old: Layout, new: Layout) {
        if ok {
            self.live_bytes.set(self.live_bytes.get() - old.size());
            self.add_live(new.size());
        }
    }
}

// SAFETY: every method forwards to `A` with the caller's arguments unchanged,
// so each obligation of the trait is met exactly as `A` meets it; the counters
// only observe (they never change what is returned).
unsafe impl<A: Allocator> Allocator for Counting<A> {
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        let result = self.inner.allocate(layout);
        self.count_alloc(&result, layout);
        result
    }

    fn allocate_zeroed(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        let result = self.inner.allocate_zeroed(layout);
        self.count_alloc(&result, layout);
        result
    }

    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        // SAFETY: the caller's guarantees for `deallocate` are passed on unchanged.
        unsafe { self.inner.deallocate(ptr, layout) };
        self.frees.set(self.frees.get() + 1);
        self.live_bytes.set(self.live_bytes.get() - layout.size());
    }

    unsafe fn grow(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        self.grows.set(self.grows.get() + 1);
        // SAFETY: the caller's guarantees for `grow` are passed on unchanged.
        let result = unsafe { self.inner.grow(ptr, old_layout, new_layout) };
        self.count_resize(result.is_ok(), old_layout, new_layout);
        result
    }

    unsafe fn grow_zeroed(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        self.grows.set(self.grows.get() + 1);
        // SAFETY: the caller's guarantees for `grow_zeroed` are passed on unchanged.
        let result = unsafe { self.inner.grow_zeroed(ptr, old_layout, new_layout) };
        self.count_resize(result.is_ok(), old_layout, new_layout);
        result
    }

    unsafe fn shrink(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        self.shrinks.set(self.shrinks.get() + 1);
        // SAFETY: the caller's guarantees for `shrink` are passed on unchanged.
        let result = unsafe { self.inner.shrink(ptr, old_layout, new_layout) };
        self.count_resize(result.is_ok(), old_layout, new_layout);
        result
    }
}
