//! # bumpalo's arena as a strategy's buffer, capped at `--buffer-size`
//!
//! [`BumpArena`] runs a strategy on `bumpalo::Bump` (`--allocator bumpalo`)
//! instead of Zig's fixed buffer. Its `dealloc` follows the same rule as
//! Zig's (only the most recent allocation comes back: bumpalo 3.20
//! `src/lib.rs`, `Bump::dealloc`, "otherwise they are simply leaked -- at
//! least until somebody calls reset()"), but a full chunk is not the end: it
//! asks the global heap for a new chunk about twice as large
//! (`alloc_layout_slow`), so a leak grows silently. The cap
//! (`Bump::set_allocation_limit`) is what stops it here.
//!
//! What this wrapper adds to bumpalo, and why:
//!
//! * `Bump::reset` takes `&mut self` but strategies share their buffers as
//!   `&`: the `Bump` sits in a `RefCell`, and [`BumpArena::try_reset`] resets
//!   it only when no block is live (as [`super::FixedBufferAllocator::try_reset`]).
//! * Live bytes, allocation counts and peaks, which bumpalo does not keep.
//! * The chunks, each one's size, read from bumpalo's own
//!   `allocated_bytes` as it grows (a new chunk adds exactly its size,
//!   `new_chunk`), checked against `iter_allocated_chunks` in the tests;
//!   and each chunk's blocks for the layout pictures ([`ChunkLayout`]),
//!   placed from bumpalo's bump pointers (`iter_allocated_chunks_raw`:
//!   addresses only, nothing read through them).
//! * When the cap refuses a new chunk, the chunk sizes bumpalo tried
//!   ([`ChunkRequest`]), computed the way `alloc_layout_slow` and
//!   `new_chunk_memory_details` compute them (bumpalo does not return them).
//!
//! ## How the `Allocator` contract is met
//!
//! Every call is forwarded to bumpalo's own `impl Allocator for &Bump`. Its
//! blocks stay valid until the `Bump` is reset or dropped; it is dropped
//! with the arena, and reset only through [`BumpArena::try_reset`], which
//! refuses while any block handed out is still live. The type is not
//! `Clone`: it is shared as `&BumpArena`, through allocator-api2's
//! `impl Allocator for &A`.

use core::cell::{Cell, RefCell};
use core::ptr::NonNull;

use bumpalo::Bump;

use super::counters::Counters;
use super::{AllocError, AllocStats, Allocator, Arena, Block, Layout, ResetError};

/// `CHUNK_ALIGN`: bumpalo's chunks are aligned to 16 at least.
const CHUNK_ALIGN: usize = 16;
/// `FIRST_ALLOCATION_GOAL`: the first chunk's size with its overhead.
const FIRST_ALLOCATION_GOAL: usize = 1 << 9;

/// bumpalo's `DEFAULT_CHUNK_SIZE_WITHOUT_FOOTER` (`FIRST_ALLOCATION_GOAL`
/// less `OVERHEAD`), read from bumpalo itself, once: the size of the chunk
/// `Bump::with_capacity(1)` takes (bumpalo's own `allocated_bytes` test).
/// Read rather than written down, because it follows the size of
/// bumpalo's `ChunkFooter`, which holds pointers: six words on a 64-bit
/// target, padded to 64-bit's 48 bytes in the page's bumpalo
/// (`web/bumpalo/footer.patch`).
fn default_chunk() -> usize {
    static DEFAULT_CHUNK: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *DEFAULT_CHUNK.get_or_init(|| Bump::with_capacity(1).allocated_bytes())
}

/// bumpalo's `OVERHEAD`: `MALLOC_OVERHEAD` (16) plus the footer, rounded
/// to 16.
fn overhead() -> usize {
    FIRST_ALLOCATION_GOAL - default_chunk()
}
/// `TYPICAL_PAGE_SIZE`.
const PAGE: usize = 0x1000;

/// One chunk as the arena keeps track of it.
#[derive(Debug)]
struct Strip {
    /// Its size without the footer.
    size: usize,
    /// The address just past its last byte (where bumping starts), once known.
    end: Option<usize>,
    /// Bytes bumped from the end.
    used: usize,
    /// Its blocks below the bump pointer, with their addresses.
    blocks: Vec<(Block, usize)>,
}

/// One chunk's blocks, for a layout picture: offsets count from the chunk's
/// end, where bumpalo starts bumping, so the first block is at 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkLayout {
    /// The chunk's size in bytes, without bumpalo's footer.
    pub size: usize,
    /// Bytes bumped so far.
    pub used: usize,
    /// The blocks in the bumped part, in bump order.
    pub blocks: Vec<Block>,
}

/// The new chunk bumpalo needed when the cap refused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkRequest {
    /// The first (largest) chunk size it tried, in bytes without its footer:
    /// about twice the current chunk.
    pub first: usize,
    /// The last (smallest) size it would have taken.
    pub smallest: usize,
    /// What was left under the cap: every size tried was larger.
    pub remaining: usize,
}

/// A `bumpalo::Bump` capped at `cap` bytes taken from the heap, with the
/// figures the tool reports.
#[derive(Debug)]
pub struct BumpArena {
    name: &'static str,
    cap: usize,
    bump: RefCell<Bump>,
    /// Each chunk and its blocks, oldest first.
    strips: RefCell<Vec<Strip>>,
    /// The label of blocks allocated from now on.
    label: Cell<&'static str>,
    /// The next block's number.
    next_id: Cell<u64>,
    counters: Counters,
    failed_chunk: Cell<Option<ChunkRequest>>,
}

impl BumpArena {
    /// A new, empty arena named `name` (no chunk yet: bumpalo's `Bump::new`)
    /// that may take at most `cap` bytes from the heap.
    #[must_use]
    pub fn new(name: &'static str, cap: usize) -> Self {
        let bump = Bump::new();
        bump.set_allocation_limit(Some(cap));
        Self {
            name,
            cap,
            bump: RefCell::new(bump),
            strips: RefCell::new(Vec::new()),
            label: Cell::new("set"),
            next_id: Cell::new(0),
            counters: Counters::default(),
            failed_chunk: Cell::new(None),
        }
    }

    /// Bytes taken from the heap for chunks: bumpalo's `allocated_bytes`.
    #[must_use]
    pub fn allocated_bytes(&self) -> usize {
        self.bump.borrow().allocated_bytes()
    }

    /// Each chunk's size in bytes (without bumpalo's footer), oldest first.
    #[must_use]
    pub fn chunks(&self) -> Vec<usize> {
        self.strips.borrow().iter().map(|s| s.size).collect()
    }

    /// Every chunk with its blocks, oldest first, for the layout pictures.
    #[must_use]
    pub fn chunk_layouts(&self) -> Vec<ChunkLayout> {
        self.strips
            .borrow()
            .iter()
            .map(|s| ChunkLayout {
                size: s.size,
                used: s.used,
                blocks: s.blocks.iter().map(|(b, _)| b.clone()).collect(),
            })
            .collect()
    }

    /// Bytes bumped in each chunk (live or dead), newest chunk first:
    /// bumpalo's `iter_allocated_chunks`.
    #[must_use]
    pub fn used_per_chunk(&self) -> Vec<usize> {
        self.bump
            .borrow_mut()
            .iter_allocated_chunks()
            .map(<[_]>::len)
            .collect()
    }

    /// Bytes in blocks allocated and not yet freed.
    #[must_use]
    pub fn live_bytes(&self) -> usize {
        self.counters.live_bytes()
    }

    /// The chunk bumpalo needed when the cap last refused one.
    #[must_use]
    pub fn failed_chunk(&self) -> Option<ChunkRequest> {
        self.failed_chunk.get()
    }

    /// bumpalo's `reset` (every chunk but the newest back to the heap, the
    /// newest emptied), allowed only when every block handed out has been
    /// freed.
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
        self.bump.borrow_mut().reset();
        let mut strips = self.strips.borrow_mut();
        if let Some(mut newest) = strips.pop() {
            newest.blocks.clear();
            *strips = vec![newest];
        }
        drop(strips);
        self.sync();
        Ok(())
    }

    /// Records the chunk bumpalo added, if any, and the peaks, after a call
    /// that may have allocated; then [`Self::sync`].
    fn note_growth(&self, before: usize) {
        let after = self.allocated_bytes();
        if after > before {
            // `new_chunk`: "allocated_bytes = prev.allocated_bytes +
            // new_size_without_footer"; at most one chunk per call.
            self.strips.borrow_mut().push(Strip {
                size: after - before,
                end: None,
                used: 0,
                blocks: Vec::new(),
            });
        }
        self.counters.reached(after);
        self.sync();
    }

    /// Reads how far each chunk is bumped (bumpalo's chunk list, newest
    /// first: `iter_allocated_chunks_raw`), and drops the blocks a free gave
    /// back (those past the bump pointer).
    fn sync(&self) {
        let bump = self.bump.borrow();
        // SAFETY: the iterator is used up here, with no allocation from the
        // arena meanwhile (bumpalo's condition); only addresses and lengths
        // are read, nothing through the pointers.
        let raw: Vec<(usize, usize)> = unsafe { bump.iter_allocated_chunks_raw() }
            .map(|(ptr, len)| (ptr.addr(), len))
            .collect();
        drop(bump);
        let mut strips = self.strips.borrow_mut();
        for (strip, (addr, len)) in strips.iter_mut().zip(raw.iter().rev()) {
            strip.end.get_or_insert(addr + len);
            strip.used = *len;
            strip.blocks.retain(|(b, _)| b.offset + b.len <= *len);
        }
    }

    /// Records a block of `len` bytes at `addr`, in the newest chunk (the
    /// only one bumpalo allocates from), as it was bumped from `before`
    /// bytes used.
    fn note_block(&self, addr: usize, len: usize, before: usize) {
        let mut strips = self.strips.borrow_mut();
        let Some(strip) = strips.last_mut() else {
            return;
        };
        let Some(end) = strip.end else {
            return;
        };
        // Offsets count from the chunk's end, as bumpalo bumps downwards:
        // the first block is at 0, as in a Zig buffer.
        let offset = end.saturating_sub(addr + len);
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        strip.blocks.push((
            Block {
                id,
                offset,
                pad: offset.saturating_sub(before),
                len,
                label: self.label.get(),
                live: true,
            },
            addr,
        ));
    }

    /// Bytes used in the newest chunk (0 when there is none).
    fn newest_used(&self) -> usize {
        self.strips.borrow().last().map_or(0, |s| s.used)
    }

    /// The block at `addr` is no longer live: gone when `replaced_by` (a
    /// block at that address range) covers it, else dead.
    fn forget_block(&self, addr: usize, replaced_by: Option<(usize, usize)>) {
        let mut strips = self.strips.borrow_mut();
        for strip in strips.iter_mut() {
            if let Some(i) = strip.blocks.iter().position(|(b, a)| *a == addr && b.live) {
                let (block, _) = &strip.blocks[i];
                let covered = replaced_by
                    .is_some_and(|(new, len)| new <= addr && addr + block.len <= new + len);
                if covered {
                    strip.blocks.remove(i);
                } else {
                    strip.blocks[i].0.live = false;
                }
                return;
            }
        }
    }

    /// Records a block resized from `old` (`old_len` bytes) to `new` (`len`
    /// bytes), in the live bytes and in its strip: in place
    /// (the old block covered by the new one) or copied (the old one left
    /// dead, as bumpalo's `grow` does not free it).
    fn moved(
        &self,
        old: NonNull<u8>,
        new: NonNull<[u8]>,
        old_len: usize,
        len: usize,
        before: usize,
        used: usize,
    ) {
        self.counters.resized(old_len, len);
        let fresh = self.allocated_bytes() > before;
        let new_addr = new.addr().get();
        self.forget_block(old.addr().get(), Some((new_addr, len)));
        self.note_growth(before);
        let used = if fresh { 0 } else { used };
        self.note_block(new_addr, len, used.min(self.newest_used()));
    }

    /// Records a refused request for `layout`.
    fn note_failure(&self, layout: Layout) {
        self.counters.failed();
        let current = self.strips.borrow().last().map_or(0, |s| s.size);
        let allocated = self.allocated_bytes();
        self.failed_chunk
            .set(chunk_request(current, layout, self.cap, allocated));
    }
}

/// The chunk sizes bumpalo 3.20's `alloc_layout_slow` tries for `layout`
/// when the current chunk (`current` bytes without footer, 0 for none) is
/// full, `allocated` bytes are taken and the limit is `limit`: `None` when
/// one of them fits under the limit.
fn chunk_request(
    current: usize,
    layout: Layout,
    limit: usize,
    allocated: usize,
) -> Option<ChunkRequest> {
    let remaining = limit.checked_sub(allocated)?;
    let size = layout.size();
    // "let min_new_chunk_size = layout.size().max(DEFAULT_CHUNK_SIZE_WITHOUT_FOOTER);
    //  let mut base_size = (current_layout.size() - FOOTER_SIZE)
    //      .checked_mul(2)?.max(min_new_chunk_size);"
    let default_chunk = default_chunk();
    let min_new = size.max(default_chunk);
    let mut base = current.checked_mul(2)?.max(min_new);
    let mut tried = Vec::new();
    loop {
        let bypass = size < limit && base >= size && limit < default_chunk && allocated == 0;
        if !(base >= min_new || bypass) {
            break;
        }
        let Some(chunk) = chunk_size(base, layout) else {
            break;
        };
        tried.push(chunk);
        base /= 2;
    }
    // `chunk_fits_under_limit`: "allocation_limit_left >= new_size_without_footer".
    if tried.iter().any(|&c| c <= remaining) {
        return None;
    }
    Some(ChunkRequest {
        first: *tried.first()?,
        smallest: *tried.last()?,
        remaining,
    })
}

/// `new_chunk_memory_details`: the chunk (without footer) bumpalo asks for
/// when it wants `wanted` bytes for `layout`.
fn chunk_size(wanted: usize, layout: Layout) -> Option<usize> {
    let align = CHUNK_ALIGN.max(layout.align());
    let requested = layout.size().checked_next_multiple_of(align)?;
    let size = wanted.max(requested);
    let overhead = overhead();
    if size < PAGE {
        Some((size + overhead).next_power_of_two() - overhead)
    } else {
        Some(size.checked_add(overhead)?.checked_next_multiple_of(PAGE)? - overhead)
    }
}

// SAFETY: every method forwards to bumpalo's `unsafe impl Allocator for
// &Bump` with the caller's arguments unchanged, so its guarantees are this
// impl's: blocks are valid until freed, or until the `Bump` is reset or
// dropped. The `Bump` is dropped only with `self`, and reset only by
// `try_reset`, which refuses while a block is live. `BumpArena` is not
// `Clone`. The `RefCell` borrow lasts for the call only; a block is a raw
// pointer into a chunk, not a borrow of the cell.
unsafe impl Allocator for BumpArena {
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        let before = self.allocated_bytes();
        let used = self.newest_used();
        let result = (&*self.bump.borrow()).allocate(layout);
        match result {
            Ok(block) => {
                self.counters.allocated(layout.size());
                let fresh = self.allocated_bytes() > before;
                self.note_growth(before);
                let used = if fresh { 0 } else { used };
                self.note_block(block.addr().get(), layout.size(), used);
                Ok(block)
            }
            Err(e) => {
                self.note_failure(layout);
                Err(e)
            }
        }
    }

    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        self.counters.freed(layout.size());
        // SAFETY: the caller's contract (a block from this allocator, with
        // its layout), which is bumpalo's.
        unsafe { (&*self.bump.borrow()).deallocate(ptr, layout) }
        self.forget_block(ptr.addr().get(), None);
        self.sync();
    }

    unsafe fn grow(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        let before = self.allocated_bytes();
        let used = self.newest_used();
        // SAFETY: the caller's contract, which is bumpalo's.
        let result = unsafe { (&*self.bump.borrow()).grow(ptr, old_layout, new_layout) };
        match result {
            Ok(block) => {
                self.moved(
                    ptr,
                    block,
                    old_layout.size(),
                    new_layout.size(),
                    before,
                    used,
                );
                Ok(block)
            }
            Err(e) => {
                self.note_failure(new_layout);
                Err(e)
            }
        }
    }

    unsafe fn shrink(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        let before = self.allocated_bytes();
        let used = self.newest_used();
        // SAFETY: the caller's contract, which is bumpalo's.
        let result = unsafe { (&*self.bump.borrow()).shrink(ptr, old_layout, new_layout) };
        if let Ok(block) = result {
            self.moved(
                ptr,
                block,
                old_layout.size(),
                new_layout.size(),
                before,
                used,
            );
        }
        result
    }
}

impl Arena for BumpArena {
    fn name(&self) -> &'static str {
        self.name
    }
    fn capacity(&self) -> Option<usize> {
        Some(self.cap)
    }
    fn stats(&self) -> AllocStats {
        self.counters.stats(self.allocated_bytes())
    }
    fn in_use(&self) -> usize {
        self.allocated_bytes()
    }
    fn start_window(&self) {
        self.counters.start_window(self.allocated_bytes());
    }
    fn set_label(&self, label: &'static str) {
        self.label.set(label);
    }
    fn blocks(&self) -> Vec<Block> {
        Vec::new()
    }
    fn chunks(&self) -> Option<Vec<usize>> {
        Some(BumpArena::chunks(self))
    }
    fn chunk_layouts(&self) -> Option<Vec<ChunkLayout>> {
        Some(BumpArena::chunk_layouts(self))
    }
    fn failed_chunk(&self) -> Option<ChunkRequest> {
        BumpArena::failed_chunk(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alloc::Layout;

    #[test]
    fn sizes_read_from_bumpalo_are_its_own_figures() {
        // bumpalo's own `allocated_bytes` test: one default chunk, and its
        // footer counted by `allocated_bytes_including_metadata`.
        let b = Bump::with_capacity(1);
        let footer = b.allocated_bytes_including_metadata() - b.allocated_bytes();
        assert_eq!(default_chunk(), b.allocated_bytes());
        assert_eq!(overhead(), (16 + footer).next_multiple_of(CHUNK_ALIGN));
        // Six words, as bumpalo's `chunk_footer_is_five_words` test has it.
        #[cfg(target_pointer_width = "64")]
        assert_eq!((footer, overhead(), default_chunk()), (48, 64, 448));
    }

    #[test]
    fn chunks_are_bumpalos_allocated_bytes_and_chunk_count() {
        let arena = BumpArena::new("main", 1 << 20);
        let mut sizes = Vec::new();
        for n in [10usize, 300, 500, 2000, 5000, 70_000, 3] {
            let layout = Layout::from_size_align(n, 8).unwrap();
            let predicted = {
                let current = arena.chunks().last().copied().unwrap_or(0);
                chunk_size(
                    current.checked_mul(2).unwrap().max(n.max(default_chunk())),
                    layout,
                )
                .unwrap()
            };
            let before = arena.allocated_bytes();
            let block = arena.allocate(layout).unwrap();
            sizes.push(block);
            let grew = arena.allocated_bytes() - before;
            // A new chunk is the first size alloc_layout_slow tries (no cap in the way).
            assert!(
                grew == 0 || grew == predicted,
                "{n}: grew {grew}, predicted {predicted}"
            );
            assert_eq!(
                arena.chunks().iter().sum::<usize>(),
                arena.allocated_bytes()
            );
            assert_eq!(arena.chunks().len(), arena.used_per_chunk().len());
        }
        assert_eq!(
            arena.live_bytes(),
            10 + 300 + 500 + 2000 + 5000 + 70_000 + 3
        );
    }

    #[test]
    fn the_cap_refuses_a_chunk_and_names_what_bumpalo_tried() {
        let arena = BumpArena::new("main", 4096);
        let small = Layout::from_size_align(400, 8).unwrap();
        arena.allocate(small).unwrap();
        assert_eq!(arena.chunks(), [default_chunk()]);
        let big = Layout::from_size_align(3000, 8).unwrap();
        assert!(arena.allocate(big).is_err());
        let request = arena.failed_chunk().unwrap();
        assert_eq!(request.remaining, 4096 - default_chunk());
        assert!(request.smallest > request.remaining);
        assert!(request.first >= request.smallest);
        // Lifted, the cap no longer stands in the way: bumpalo then takes
        // exactly the first size it tried.
        arena.bump.borrow().set_allocation_limit(None);
        let before = arena.allocated_bytes();
        arena.allocate(big).unwrap();
        assert_eq!(arena.allocated_bytes() - before, request.first);
    }

    #[test]
    fn reset_refuses_live_blocks_and_keeps_the_newest_chunk() {
        let arena = BumpArena::new("temp", 1 << 20);
        let layout = Layout::from_size_align(1000, 16).unwrap();
        let a = arena.allocate(layout).unwrap();
        let b = arena
            .allocate(Layout::from_size_align(5000, 16).unwrap())
            .unwrap();
        assert_eq!(arena.chunks().len(), 2);
        assert_eq!(
            arena.try_reset(),
            Err(ResetError {
                buffer: "temp",
                live_blocks: 2
            })
        );
        // SAFETY: both blocks came from `arena` with these layouts.
        unsafe {
            arena.deallocate(b.cast(), Layout::from_size_align(5000, 16).unwrap());
            arena.deallocate(a.cast(), layout);
        }
        let newest = *arena.chunks().last().unwrap();
        arena.try_reset().unwrap();
        assert_eq!(arena.chunks(), [newest]);
        assert_eq!(arena.allocated_bytes(), newest);
        assert_eq!(arena.live_bytes(), 0);
    }
}
