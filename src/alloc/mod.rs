//! # Memory: a fixed-buffer bump allocator, its stack buffer and a counting heap
//!
//! [`FixedBufferAllocator`] reproduces Zig's `std.heap.FixedBufferAllocator`
//! (Zig 0.17 `lib/std/heap/FixedBufferAllocator.zig`) byte for byte:
//!
//! * State is a buffer and an `end_index`. There are no headers and no size
//!   rounding: a request for `n` bytes moves `end_index` by the alignment
//!   padding plus exactly `n`.
//! * `alloc(n, align)`: `pad` is what makes the **address**
//!   `base + end_index + pad` a multiple of `align`; the block starts at
//!   `end_index + pad` and the request fails when it would end past the buffer.
//! * `free(block)` reclaims memory only when the block is the last one
//!   (`block.ptr + block.len == base + end_index`), and then only its `len`
//!   bytes: the padding in front of it is never given back. Zig documents the
//!   same false negative in `isLastAllocation`. Freeing any other block changes
//!   nothing, which is the space leak this tool exists to show.
//! * `resize(block, new_len)`: the last block grows while it fits and shrinks by
//!   giving the difference back; any other block may shrink (nothing changes)
//!   but cannot grow. `realloc` is resize in place when possible, else
//!   alloc + copy + free, exactly as Zig's `Allocator.realloc`.
//! * `reset` sets `end_index` to 0.
//!
//! On top of Zig's state it keeps cheap statistics (always on), a list of the
//! blocks below `end_index` (for the layout pictures) and, when asked, a trace
//! of every event ([`Trace`]).
//!
//! This module is the only one in the crate that contains `unsafe`.
//!
//! ## Invariants
//!
//! 1. `base` points to `capacity` bytes that this allocator may hand out for
//!    as long as it lives (`'buf`); nothing else reads or writes them.
//! 2. `end_index <= capacity`, `high_water >= end_index`, and every live block
//!    lies in `[0, end_index)` at an address aligned as requested. (A live
//!    zero-size block can end up above `end_index` when the block just before
//!    it is freed as "last", as in Zig; it covers no bytes.)
//! 3. Blocks handed out and not yet freed never overlap: a new block always
//!    starts at or after `end_index`, and `end_index` only moves below a byte
//!    when every block covering that byte has been freed (free of the last
//!    block, in-place shrink of the last block) or when no block is live
//!    ([`FixedBufferAllocator::reset`] takes `&mut self`,
//!    [`FixedBufferAllocator::try_reset`] checks the live count).
//!
//! ## How the `Allocator` contract is met
//!
//! * *Blocks stay valid until freed or the allocator is dropped*: the buffer is
//!   borrowed for `'buf`, so it outlives the allocator, and by invariant 3 no
//!   other block is placed over a live one.
//! * *Moving the allocator does not invalidate blocks*: only the raw base
//!   pointer moves, never the buffer.
//! * *Clones behave as the same allocator*: the type is not `Clone`; it is
//!   shared as `&FixedBufferAllocator`, through allocator-api2's
//!   `impl Allocator for &A`.
//! * *`allocate` returns exactly `layout.size()` bytes, aligned*: see
//!   `FixedBufferAllocator::bump`; all arithmetic is checked and failure is
//!   `Err(AllocError)`, never a panic. Zero-size requests are served like any
//!   other (Zig's vtable `alloc` does the same), at a real address in the buffer.
//! * *`deallocate`, `grow`, `shrink` receive a currently allocated block and a
//!   layout that fits it*: that is the caller's obligation; `grow`/`shrink`
//!   return `Err` with the block untouched when they cannot succeed.
//!
//! The type holds `Cell`s, so it is `!Sync`; sharing it across threads does not
//! compile:
//!
//! ```compile_fail
//! fn assert_sync<T: Sync>() {}
//! assert_sync::<day23::alloc::FixedBufferAllocator<'static>>();
//! ```

mod bump;
mod counters;
mod counting;
mod heap_buffers;
mod kind;
pub mod replay;
mod size;
#[cfg(feature = "cli")]
pub mod stack;

use core::cell::{Cell, RefCell};
use core::fmt;
use core::marker::PhantomData;
use core::mem::MaybeUninit;
use core::ptr::NonNull;
use std::rc::Rc;

use counters::Counters;

pub use allocator_api2::alloc::{AllocError, Allocator, Global, Layout};
pub use allocator_api2::vec::Vec as AllocVec;
pub use bump::{BumpArena, ChunkLayout, ChunkRequest};
pub use counting::Counting;
pub use heap_buffers::{HeapBufferError, with_heap_buffers};
pub use kind::AllocatorKind;
pub use size::{BUFFER_ALIGN, SIZE_FORMS, parse_size};

/// An allocator the tool can report on: the buffers of the strategies, and
/// the counted heap.
pub trait Arena: Allocator {
    /// The buffer's name (`main`, `temp`, `a`, `b`, or `heap`).
    fn name(&self) -> &'static str;
    /// The buffer's size in bytes; `None` for the heap.
    fn capacity(&self) -> Option<usize>;
    /// The statistics.
    fn stats(&self) -> AllocStats;
    /// Bytes in use as the tool reports them: `end_index` for a buffer, live
    /// bytes for the heap.
    fn in_use(&self) -> usize;
    /// Starts a new window for [`AllocStats::window_peak_bytes`].
    fn start_window(&self);
    /// Labels the blocks allocated from now on.
    fn set_label(&self, label: &'static str);
    /// The blocks below `end_index`, in address order (none for the heap).
    fn blocks(&self) -> Vec<Block>;
    /// The alignment padding a block aligned to `align` (a power of two) would
    /// get in front of it if it were allocated now (0 for the heap).
    fn padding(&self, _align: usize) -> usize {
        0
    }
    /// Each chunk's size, oldest first, for an allocator that takes chunks
    /// from the heap (bumpalo); `None` for the others.
    fn chunks(&self) -> Option<Vec<usize>> {
        None
    }
    /// Each chunk with its blocks, oldest first (bumpalo); `None` for the
    /// others, whose [`Arena::blocks`] are the buffer's.
    fn chunk_layouts(&self) -> Option<Vec<ChunkLayout>> {
        None
    }
    /// The chunk the last refused request needed (bumpalo, at its cap).
    fn failed_chunk(&self) -> Option<ChunkRequest> {
        None
    }
}

/// A buffer that can be emptied in one go through a shared reference, when
/// nothing in it is live (tempcopy's `temp`).
pub trait Reset {
    /// Empties the buffer.
    ///
    /// # Errors
    ///
    /// [`ResetError`] when blocks are still live; nothing changes then.
    fn try_reset(&self) -> Result<(), ResetError>;
}

impl Reset for FixedBufferAllocator<'_> {
    fn try_reset(&self) -> Result<(), ResetError> {
        FixedBufferAllocator::try_reset(self)
    }
}

impl Reset for BumpArena {
    fn try_reset(&self) -> Result<(), ResetError> {
        BumpArena::try_reset(self)
    }
}

impl Arena for FixedBufferAllocator<'_> {
    fn name(&self) -> &'static str {
        self.name
    }
    fn capacity(&self) -> Option<usize> {
        Some(self.capacity)
    }
    fn stats(&self) -> AllocStats {
        FixedBufferAllocator::stats(self)
    }
    fn in_use(&self) -> usize {
        self.end_index.get()
    }
    fn start_window(&self) {
        FixedBufferAllocator::start_window(self);
    }
    fn set_label(&self, label: &'static str) {
        FixedBufferAllocator::set_label(self, label);
    }
    fn blocks(&self) -> Vec<Block> {
        FixedBufferAllocator::blocks(self)
    }
    fn padding(&self, align: usize) -> usize {
        FixedBufferAllocator::padding(self, align)
    }
}

impl Arena for Counting<Global> {
    fn name(&self) -> &'static str {
        "heap"
    }
    fn capacity(&self) -> Option<usize> {
        None
    }
    fn stats(&self) -> AllocStats {
        Counting::stats(self)
    }
    fn in_use(&self) -> usize {
        self.live_bytes()
    }
    fn start_window(&self) {
        Counting::start_window(self);
    }
    fn set_label(&self, _label: &'static str) {}
    fn blocks(&self) -> Vec<Block> {
        Vec::new()
    }
}

/// Statistics an allocator keeps, always on and cheap to read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct AllocStats {
    /// Bytes of the buffer in use: Zig's `end_index` (0 for the heap).
    pub end_index: usize,
    /// The largest `end_index` (or live byte count, for the heap) ever reached.
    pub high_water_bytes: usize,
    /// The largest value since the last [`FixedBufferAllocator::start_window`].
    pub window_peak_bytes: usize,
    /// Bytes in blocks that are allocated and not yet freed, whether or not
    /// freeing gave anything back.
    pub live_bytes: usize,
    /// Successful allocations.
    pub allocs: u64,
    /// Failed allocations (out of memory).
    pub failed_allocs: u64,
    /// Frees (every one counts, whether it reclaimed memory or not).
    pub frees: u64,
}

/// One block the allocator handed out that still lies below `end_index`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Block {
    /// The number of this block's alloc event in its buffer (0-based, failed
    /// allocations count too), as in the trace.
    pub id: u64,
    /// Offset of the block's first byte from the start of the buffer.
    pub offset: usize,
    /// Alignment padding in front of the block.
    pub pad: usize,
    /// The block's current length in bytes.
    pub len: usize,
    /// What the block holds, as labelled by [`FixedBufferAllocator::set_label`].
    pub label: &'static str,
    /// `false` once freed: a dead block still occupies its bytes.
    pub live: bool,
}

/// One allocator event, as written to the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceEvent {
    /// The buffer's name (`main`, `temp`, `a`, `b`).
    pub buffer: &'static str,
    /// What happened.
    pub kind: TraceKind,
}

/// The kinds of [`TraceEvent`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceKind {
    /// An allocation; `offset` is `None` when it failed.
    Alloc {
        /// Requested bytes.
        size: usize,
        /// Requested alignment.
        align: usize,
        /// Offset of the block, or `None` for out of memory.
        offset: Option<usize>,
        /// `end_index` afterwards.
        end_index: usize,
    },
    /// A free of the block from alloc event `id`.
    Free {
        /// The alloc event's number in this buffer.
        id: u64,
        /// `end_index` afterwards.
        end_index: usize,
    },
    /// An in-place resize attempt (grow or shrink) of block `id`.
    Resize {
        /// The alloc event's number in this buffer.
        id: u64,
        /// Requested new length.
        new_size: usize,
        /// Whether it succeeded in place.
        ok: bool,
        /// `end_index` afterwards.
        end_index: usize,
    },
    /// A reset of the whole buffer.
    Reset,
}

impl fmt::Display for TraceEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.buffer;
        match self.kind {
            TraceKind::Alloc {
                size,
                align,
                offset: Some(offset),
                end_index,
            } => write!(
                f,
                "{b} alloc {size} {align} -> offset={offset} end_index={end_index}"
            ),
            TraceKind::Alloc {
                size,
                align,
                offset: None,
                ..
            } => write!(f, "{b} alloc {size} {align} -> OOM"),
            TraceKind::Free { id, end_index } => {
                write!(f, "{b} free {id} -> end_index={end_index}")
            }
            TraceKind::Resize {
                id,
                new_size,
                ok,
                end_index,
            } => {
                let ok = if ok { "ok" } else { "fail" };
                write!(
                    f,
                    "{b} resize {id} {new_size} -> {ok} end_index={end_index}"
                )
            }
            TraceKind::Reset => write!(f, "{b} reset -> end_index=0"),
        }
    }
}

/// A shared, chronological log of allocator events across buffers.
///
/// Clone it (it is reference-counted) into every allocator that should write
/// to it with [`FixedBufferAllocator::with_trace`].
#[derive(Debug, Clone, Default)]
pub struct Trace(Rc<RefCell<Vec<TraceEvent>>>);

impl Trace {
    /// An empty trace.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn push(&self, event: TraceEvent) {
        self.0.borrow_mut().push(event);
    }

    /// Takes the events recorded so far, leaving the trace empty.
    #[must_use]
    pub fn take(&self) -> Vec<TraceEvent> {
        core::mem::take(&mut *self.0.borrow_mut())
    }
}

/// The bookkeeping beside Zig's state: blocks below `end_index`, event numbers.
#[derive(Debug, Default)]
struct Journal {
    blocks: Vec<Block>,
    next_id: u64,
    label: &'static str,
}

impl Journal {
    /// Index of the live block at `offset` of length `len`, newest first.
    fn find_live(&self, offset: usize, len: usize) -> Option<usize> {
        self.blocks
            .iter()
            .rposition(|b| b.live && b.offset == offset && b.len == len)
    }
}

/// Returned by [`FixedBufferAllocator::try_reset`] while blocks are live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot reset buffer '{buffer}': {live_blocks} blocks are still allocated")]
pub struct ResetError {
    /// The buffer's name.
    pub buffer: &'static str,
    /// How many blocks are still live.
    pub live_blocks: u64,
}

/// Zig's `std.heap.FixedBufferAllocator`, over a borrowed buffer.
///
/// See the [module documentation](self) for the exact semantics.
///
/// # Examples
///
/// ```
/// use core::mem::MaybeUninit;
/// use day23::alloc::{Allocator, FixedBufferAllocator, Layout};
///
/// let mut buf = [MaybeUninit::<u8>::uninit(); 64];
/// let fba = FixedBufferAllocator::new(&mut buf);
/// let a = fba.allocate(Layout::from_size_align(10, 1).unwrap()).unwrap();
/// let b = fba.allocate(Layout::from_size_align(6, 1).unwrap()).unwrap();
/// assert_eq!(fba.end_index(), 16);
/// unsafe { fba.deallocate(a.cast(), Layout::from_size_align(10, 1).unwrap()) };
/// assert_eq!(fba.end_index(), 16, "a is not the last block: nothing reclaimed");
/// unsafe { fba.deallocate(b.cast(), Layout::from_size_align(6, 1).unwrap()) };
/// assert_eq!(fba.end_index(), 10, "b was the last block");
/// assert_eq!(fba.stats().live_bytes, 0);
/// ```
pub struct FixedBufferAllocator<'buf> {
    base: NonNull<u8>,
    capacity: usize,
    end_index: Cell<usize>,
    counters: Counters,
    journal: RefCell<Journal>,
    name: &'static str,
    trace: Option<Trace>,
    _buffer: PhantomData<&'buf mut [MaybeUninit<u8>]>,
}

impl fmt::Debug for FixedBufferAllocator<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FixedBufferAllocator")
            .field("name", &self.name)
            .field("capacity", &self.capacity)
            .field("end_index", &self.end_index.get())
            .finish_non_exhaustive()
    }
}

impl<'buf> FixedBufferAllocator<'buf> {
    /// An allocator over `buffer`, named `main`, with `end_index` 0.
    #[must_use]
    pub fn new(buffer: &'buf mut [MaybeUninit<u8>]) -> Self {
        let capacity = buffer.len();
        Self {
            // The only pointer ever derived from `buffer`; all blocks come from it.
            base: NonNull::from(buffer).cast::<u8>(),
            capacity,
            end_index: Cell::new(0),
            counters: Counters::default(),
            journal: RefCell::new(Journal {
                label: "block",
                ..Journal::default()
            }),
            name: "main",
            trace: None,
            _buffer: PhantomData,
        }
    }

    /// Names the buffer (as in trace lines and reports).
    #[must_use]
    pub fn with_name(mut self, name: &'static str) -> Self {
        self.name = name;
        self
    }

    /// Records every event of this allocator into `trace`.
    #[must_use]
    pub fn with_trace(mut self, trace: Trace) -> Self {
        self.trace = Some(trace);
        self
    }

    /// The buffer's name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The buffer's size in bytes.
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Zig's `end_index`: bytes from the start of the buffer to the end of the
    /// last block (padding and dead blocks included).
    #[must_use]
    pub fn end_index(&self) -> usize {
        self.end_index.get()
    }

    /// Bytes not yet handed out: `capacity - end_index`.
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.capacity - self.end_index.get()
    }

    /// The largest `end_index` so far.
    #[must_use]
    pub fn high_water_mark(&self) -> usize {
        self.counters.high_water()
    }

    /// A snapshot of the statistics.
    #[must_use]
    pub fn stats(&self) -> AllocStats {
        self.counters.stats(self.end_index.get())
    }

    /// Starts a new window for [`AllocStats::window_peak_bytes`] (e.g. a round).
    pub fn start_window(&self) {
        self.counters.start_window(self.end_index.get());
    }

    /// Labels the blocks allocated from now on (for the layout pictures).
    pub fn set_label(&self, label: &'static str) {
        self.journal.borrow_mut().label = label;
    }

    /// The blocks below `end_index`, in address order, live and dead.
    #[must_use]
    pub fn blocks(&self) -> Vec<Block> {
        let mut blocks = self.journal.borrow().blocks.clone();
        blocks.sort_by_key(|b| (b.offset, b.id));
        blocks
    }

    /// Zig's `isLastAllocation`: whether a block of `len` bytes at `ptr` ends
    /// exactly at `end_index`. False for a block that had padding in front of
    /// it once it was freed, as in Zig.
    #[must_use]
    pub fn is_last_allocation(&self, ptr: NonNull<u8>, len: usize) -> bool {
        self.offset_of(ptr)
            .and_then(|offset| offset.checked_add(len))
            .is_some_and(|end| end == self.end_index.get())
    }

    /// Zig's `ownsPtr`: whether `ptr` points into the buffer.
    #[must_use]
    pub fn owns_ptr(&self, ptr: NonNull<u8>) -> bool {
        self.offset_of(ptr).is_some_and(|o| o < self.capacity)
    }

    /// Zig's `reset`: `end_index = 0`. The `&mut` proves no block is live.
    pub fn reset(&mut self) {
        self.rewind();
    }

    /// [`reset`](Self::reset) through a shared reference, allowed only when
    /// every block handed out has been freed.
    ///
    /// # Errors
    ///
    /// [`ResetError`] when blocks are still live; nothing changes then.
    pub fn try_reset(&self) -> Result<(), ResetError> {
        let live_blocks = self.counters.live_blocks();
        if live_blocks != 0 {
            return Err(ResetError {
                buffer: self.name,
                live_blocks,
            });
        }
        self.rewind();
        Ok(())
    }

    fn rewind(&self) {
        self.end_index.set(0);
        self.counters.cleared();
        self.journal.borrow_mut().blocks.clear();
        self.record(TraceKind::Reset);
    }

    /// Offset of `ptr` from the buffer's base, if it is not below the base.
    fn offset_of(&self, ptr: NonNull<u8>) -> Option<usize> {
        ptr.as_ptr()
            .addr()
            .checked_sub(self.base.as_ptr().addr())
            .filter(|&o| o <= self.capacity)
    }

    fn record(&self, kind: TraceKind) {
        if let Some(trace) = &self.trace {
            trace.push(TraceEvent {
                buffer: self.name,
                kind,
            });
        }
    }

    fn set_end_index(&self, end: usize) {
        debug_assert!(
            end <= self.capacity,
            "end_index {end} past capacity {}",
            self.capacity
        );
        self.end_index.set(end);
        self.counters.reached(end);
    }

    /// The alignment padding a block aligned to `align` (a power of two) would
    /// get in front of it if it were allocated now: the distance from the
    /// address `base + end_index` to the next multiple of `align`.
    #[must_use]
    pub fn padding(&self, align: usize) -> usize {
        let addr = self.base.as_ptr().addr().wrapping_add(self.end_index.get());
        // `align` is a power of two, so this is the distance to the next multiple.
        addr.wrapping_neg() & align.wrapping_sub(1)
    }

    /// Zig's `alloc`: the offset and padding of a `layout` block placed at
    /// `end_index`, or `None` when it does not fit (or the arithmetic overflows).
    fn place(&self, layout: Layout) -> Option<(usize, usize)> {
        let end = self.end_index.get();
        let pad = self.padding(layout.align());
        let start = end.checked_add(pad)?;
        let new_end = start.checked_add(layout.size())?;
        (new_end <= self.capacity).then_some((start, pad))
    }

    /// Allocates a block for `layout` at `end_index`: the heart of the allocator.
    fn bump(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        let mut journal = self.journal.borrow_mut();
        let id = journal.next_id;
        journal.next_id += 1;
        let Some((start, pad)) = self.place(layout) else {
            self.counters.failed();
            self.record(TraceKind::Alloc {
                size: layout.size(),
                align: layout.align(),
                offset: None,
                end_index: self.end_index.get(),
            });
            return Err(AllocError);
        };
        let end = start + layout.size();
        self.set_end_index(end);
        self.counters.allocated(layout.size());
        let label = journal.label;
        journal.blocks.push(Block {
            id,
            offset: start,
            pad,
            len: layout.size(),
            label,
            live: true,
        });
        drop(journal);
        self.record(TraceKind::Alloc {
            size: layout.size(),
            align: layout.align(),
            offset: Some(start),
            end_index: end,
        });
        // SAFETY: `offset` (std `NonNull::add`) requires the result to stay within
        // the allocation `base` points into, or one past its end:
        // 1. `place` checked `start + size <= capacity`, so `start <= capacity`,
        //    and `base` is valid for `capacity` bytes (invariant 1).
        // 2. `start <= capacity <= isize::MAX` because the buffer is a Rust slice.
        let ptr = unsafe { self.base.add(start) };
        debug_assert!(
            ptr.as_ptr().addr() % layout.align() == 0,
            "misaligned block {ptr:p} for {layout:?}"
        );
        Ok(NonNull::slice_from_raw_parts(ptr, layout.size()))
    }

    /// Zig's `free`: reclaims the block only when it is the last one.
    fn free(&self, ptr: NonNull<u8>, size: usize) {
        let offset = self.offset_of(ptr);
        debug_assert!(offset.is_some(), "freeing {ptr:p}, not in buffer");
        let offset = offset.unwrap_or(usize::MAX);
        let mut journal = self.journal.borrow_mut();
        let index = journal.find_live(offset, size);
        let id = index.map_or(u64::MAX, |i| journal.blocks[i].id);
        if self.is_last_allocation(ptr, size) {
            self.end_index.set(self.end_index.get() - size);
            if let Some(i) = index {
                journal.blocks.remove(i);
            }
        } else if let Some(i) = index {
            journal.blocks[i].live = false;
        }
        drop(journal);
        self.counters.freed(size);
        self.record(TraceKind::Free {
            id,
            end_index: self.end_index.get(),
        });
    }

    /// Zig's `resize`: changes a block's length in place when allowed.
    /// Returns whether it did; on `false` nothing changed.
    fn resize_in_place(&self, ptr: NonNull<u8>, old: usize, new: usize, align: usize) -> bool {
        let offset = self.offset_of(ptr).unwrap_or(usize::MAX);
        let end = self.end_index.get();
        let aligned = ptr.as_ptr().addr().is_multiple_of(align);
        let last = self.is_last_allocation(ptr, old);
        let ok = aligned
            && if !last {
                new <= old
            } else {
                // offset + new <= capacity, overflow-checked.
                offset.checked_add(new).is_some_and(|e| e <= self.capacity)
            };
        let mut journal = self.journal.borrow_mut();
        let index = journal.find_live(offset, old);
        let id = index.map_or(u64::MAX, |i| journal.blocks[i].id);
        if ok {
            if last {
                self.set_end_index(end - old + new);
            }
            if let Some(i) = index {
                journal.blocks[i].len = new;
            }
            self.counters.resized(old, new);
        }
        drop(journal);
        self.record(TraceKind::Resize {
            id,
            new_size: new,
            ok,
            end_index: self.end_index.get(),
        });
        ok
    }

    /// Zig's `realloc` when the in-place resize failed: alloc, copy, free.
    ///
    /// # Safety
    ///
    /// `ptr` must denote a live block of this allocator of `old.size()` bytes.
    unsafe fn move_block(
        &self,
        ptr: NonNull<u8>,
        old: Layout,
        new: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        let moved = self.bump(new)?;
        // SAFETY: `copy_nonoverlapping` requires:
        // 1. the source valid for reads of `count` bytes: `ptr` is a live block of
        //    `old.size()` bytes (caller) and `count <= old.size()`;
        // 2. the destination valid for writes of `count` bytes: `moved` is a fresh
        //    block of `new.size()` bytes and `count <= new.size()`;
        // 3. no overlap: `moved` starts at or after the old `end_index`, which is
        //    at or after the end of every live block (invariant 3).
        unsafe {
            core::ptr::copy_nonoverlapping(
                ptr.as_ptr(),
                moved.cast::<u8>().as_ptr(),
                old.size().min(new.size()),
            );
        }
        self.free(ptr, old.size());
        Ok(moved)
    }
}

// SAFETY: the trait's obligations, one by one (see also the module docs):
// 1. Blocks returned by `allocate` stay valid until `deallocate` or the
//    allocator's end: the buffer outlives `'buf` and a live block is never
//    handed out again (invariant 3).
// 2. Moving the allocator does not move the buffer; cloning is impossible (not
//    `Clone`), and `&FixedBufferAllocator` copies all refer to one allocator.
// 3. `allocate` returns exactly `layout.size()` bytes aligned to
//    `layout.align()` (`place`), or `Err`; it never panics or unwinds.
// 4. `grow`/`shrink` either return a block with the first
//    `min(old, new)` bytes preserved and the old block then freed, or `Err`
//    with the old block untouched (`resize_in_place` changes nothing on
//    failure; `move_block` allocates before it frees).
unsafe impl Allocator for FixedBufferAllocator<'_> {
    #[inline]
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        self.bump(layout)
    }

    #[inline]
    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        self.free(ptr, layout.size());
    }

    unsafe fn grow(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        debug_assert!(
            new_layout.size() >= old_layout.size(),
            "grow must not shrink"
        );
        if self.resize_in_place(
            ptr,
            old_layout.size(),
            new_layout.size(),
            new_layout.align(),
        ) {
            return Ok(NonNull::slice_from_raw_parts(ptr, new_layout.size()));
        }
        // SAFETY: `move_block` requires a live block of `old_layout.size()` bytes
        // at `ptr`: `grow`'s own precondition, passed on.
        unsafe { self.move_block(ptr, old_layout, new_layout) }
    }

    unsafe fn grow_zeroed(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        // SAFETY: `grow`'s preconditions are `grow_zeroed`'s, passed on unchanged.
        let block = unsafe { self.grow(ptr, old_layout, new_layout)? };
        // SAFETY: `write_bytes` requires the destination valid for writes of
        // `count` bytes: `block` has `new_layout.size()` bytes and we write the
        // `new - old` bytes that follow the first `old_layout.size()`.
        unsafe {
            block
                .cast::<u8>()
                .add(old_layout.size())
                .write_bytes(0, new_layout.size() - old_layout.size());
        }
        Ok(block)
    }

    unsafe fn shrink(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        debug_assert!(
            new_layout.size() <= old_layout.size(),
            "shrink must not grow"
        );
        if self.resize_in_place(
            ptr,
            old_layout.size(),
            new_layout.size(),
            new_layout.align(),
        ) {
            return Ok(NonNull::slice_from_raw_parts(ptr, new_layout.size()));
        }
        // SAFETY: as in `grow`, `shrink`'s precondition is `move_block`'s.
        unsafe { self.move_block(ptr, old_layout, new_layout) }
    }
}

#[cfg(test)]
mod tests;
