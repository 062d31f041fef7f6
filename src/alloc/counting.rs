//! # `Counting<A>`: an allocator wrapper that counts
//!
//! Forwards every call to the inner allocator and keeps the same statistics as
//! [`FixedBufferAllocator`](super::FixedBufferAllocator): live bytes (the
//! `heap` strategy's memory use), their high-water mark, allocation and free
//! counts. Tests wrap the arena in it to see how hashbrown drives an allocator.

use core::cell::Cell;
use core::ptr::NonNull;

use super::counters::Counters;
use super::{AllocError, AllocStats, Allocator, Layout};

/// Counts what passes through to `A`.
#[derive(Debug, Default)]
pub struct Counting<A> {
    inner: A,
    counters: Counters,
    grows: Cell<u64>,
    shrinks: Cell<u64>,
}

impl<A> Counting<A> {
    /// Wraps `inner` with all counters at zero.
    pub fn new(inner: A) -> Self {
        Self {
            inner,
            counters: Counters::default(),
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
        self.counters.live_bytes()
    }

    /// How many times `grow`/`grow_zeroed` and `shrink` were called.
    #[must_use]
    pub fn resizes(&self) -> (u64, u64) {
        (self.grows.get(), self.shrinks.get())
    }

    /// The statistics, with `end_index` 0 (a heap has no end index).
    #[must_use]
    pub fn stats(&self) -> AllocStats {
        self.counters.stats(0)
    }

    /// Starts a new window for [`AllocStats::window_peak_bytes`].
    pub fn start_window(&self) {
        self.counters.start_window(self.counters.live_bytes());
    }

    fn count_alloc(&self, result: &Result<NonNull<[u8]>, AllocError>, layout: Layout) {
        if result.is_ok() {
            self.counters.allocated(layout.size());
            self.counters.reached(self.counters.live_bytes());
        } else {
            self.counters.failed();
        }
    }

    fn count_resize(&self, ok: bool, old: Layout, new: Layout) {
        if ok {
            self.counters.resized(old.size(), new.size());
            self.counters.reached(self.counters.live_bytes());
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
        self.counters.freed(layout.size());
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
