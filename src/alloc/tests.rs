//! Scenario tests mirroring Zig's own FBA tests, a model-based property test,
//! and how hashbrown drives the allocator.

use core::mem::MaybeUninit;
use core::ptr::NonNull;

use proptest::prelude::*;

use super::*;

/// A 64-byte aligned buffer, so offsets in the tests do not depend on where
/// the stack happens to be.
#[repr(C, align(64))]
struct Aligned<const N: usize>([MaybeUninit<u8>; N]);

impl<const N: usize> Aligned<N> {
    fn new() -> Self {
        Self([MaybeUninit::uninit(); N])
    }
}

fn layout(size: usize, align: usize) -> Layout {
    Layout::from_size_align(size, align).unwrap()
}

fn offset(fba: &FixedBufferAllocator<'_>, block: NonNull<[u8]>) -> usize {
    block.cast::<u8>().as_ptr().addr() - fba.base.as_ptr().addr()
}

#[test]
fn new_allocator_has_nothing_in_use() {
    let mut buf = Aligned::<128>::new();
    let fba = FixedBufferAllocator::new(&mut buf.0);
    assert_eq!(fba.stats(), AllocStats::default());
    assert_eq!((fba.capacity(), fba.remaining()), (128, 128));
}

#[test]
fn freeing_the_last_block_reclaims_it() {
    let mut buf = Aligned::<64>::new();
    let fba = FixedBufferAllocator::new(&mut buf.0);
    let a = fba.allocate(layout(10, 1)).unwrap();
    let b = fba.allocate(layout(20, 1)).unwrap();
    assert_eq!(
        (offset(&fba, a), offset(&fba, b), fba.end_index()),
        (0, 10, 30)
    );
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    unsafe { fba.deallocate(b.cast(), layout(20, 1)) };
    assert_eq!(fba.end_index(), 10);
    let c = fba.allocate(layout(5, 1)).unwrap();
    assert_eq!(offset(&fba, c), 10, "the reclaimed space is reused");
}

#[test]
fn freeing_any_other_block_reclaims_nothing() {
    let mut buf = Aligned::<64>::new();
    let fba = FixedBufferAllocator::new(&mut buf.0);
    let a = fba.allocate(layout(10, 1)).unwrap();
    let _b = fba.allocate(layout(20, 1)).unwrap();
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    unsafe { fba.deallocate(a.cast(), layout(10, 1)) };
    let stats = fba.stats();
    assert_eq!(
        (stats.end_index, stats.live_bytes, stats.frees),
        (30, 20, 1)
    );
    let blocks = fba.blocks();
    assert_eq!(blocks.len(), 2);
    assert!(!blocks[0].live && blocks[1].live);
}

#[test]
fn padding_in_front_of_a_freed_last_block_is_not_reclaimed() {
    let mut buf = Aligned::<64>::new();
    let fba = FixedBufferAllocator::new(&mut buf.0);
    fba.allocate(layout(3, 1)).unwrap();
    let b = fba.allocate(layout(8, 8)).unwrap();
    assert_eq!((offset(&fba, b), fba.end_index()), (8, 16));
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    unsafe { fba.deallocate(b.cast(), layout(8, 8)) };
    assert_eq!(fba.end_index(), 8, "the 5 bytes of padding stay behind");
}

#[test]
fn alignment_is_of_the_address_not_the_index() {
    let mut buf = Aligned::<64>::new();
    // A buffer starting 1 byte past a 64-byte boundary.
    let fba = FixedBufferAllocator::new(&mut buf.0[1..]);
    let a = fba.allocate(layout(4, 16)).unwrap();
    assert_eq!(a.cast::<u8>().as_ptr().addr() % 16, 0);
    assert_eq!((offset(&fba, a), fba.end_index()), (15, 19));
}

#[test]
fn the_last_block_grows_in_place() {
    let mut buf = Aligned::<10>::new();
    let fba = FixedBufferAllocator::new(&mut buf.0);
    let a = fba.allocate(layout(5, 1)).unwrap();
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    let g = unsafe { fba.grow(a.cast(), layout(5, 1), layout(10, 1)) }.unwrap();
    assert_eq!(g.cast::<u8>(), a.cast::<u8>());
    assert_eq!(fba.end_index(), 10);
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    let err = unsafe { fba.grow(g.cast(), layout(10, 1), layout(11, 1)) };
    assert_eq!(
        err,
        Err(AllocError),
        "Zig: realloc(slice1, 11) is OutOfMemory"
    );
    assert_eq!(fba.end_index(), 10);
}

#[test]
fn growing_a_block_that_is_not_last_moves_it_and_its_bytes() {
    let mut buf = Aligned::<16>::new();
    let fba = FixedBufferAllocator::new(&mut buf.0);
    let a = fba.allocate(layout(2, 1)).unwrap();
    // SAFETY: `a` is a live 2-byte block and the source is a 2-byte array; they do not overlap.
    unsafe { a.cast::<u8>().as_ptr().copy_from([1u8, 2].as_ptr(), 2) };
    let b = fba.allocate(layout(2, 1)).unwrap();
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    let moved = unsafe { fba.grow(a.cast(), layout(2, 1), layout(4, 1)) }.unwrap();
    assert_ne!(moved.cast::<u8>(), a.cast::<u8>());
    assert_ne!(moved.cast::<u8>(), b.cast::<u8>());
    assert_eq!(offset(&fba, moved), 4);
    // SAFETY: `moved` is a live block of 4 bytes, the first 2 initialized by the copy.
    let bytes = unsafe { core::slice::from_raw_parts(moved.cast::<u8>().as_ptr(), 2) };
    assert_eq!(bytes, [1, 2]);
    assert_eq!(
        fba.end_index(),
        8,
        "the old block stays behind as dead space"
    );
    assert_eq!(fba.stats().live_bytes, 6);
}

#[test]
fn shrinking_a_block_that_is_not_last_keeps_it_in_place() {
    let mut buf = Aligned::<32>::new();
    let fba = FixedBufferAllocator::new(&mut buf.0);
    let a = fba.allocate(layout(8, 1)).unwrap();
    fba.allocate(layout(8, 1)).unwrap();
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    let s = unsafe { fba.shrink(a.cast(), layout(8, 1), layout(3, 1)) }.unwrap();
    assert_eq!(s.cast::<u8>(), a.cast::<u8>());
    assert_eq!((fba.end_index(), fba.stats().live_bytes), (16, 11));
}

#[test]
fn shrinking_the_last_block_gives_the_difference_back() {
    let mut buf = Aligned::<32>::new();
    let fba = FixedBufferAllocator::new(&mut buf.0);
    let a = fba.allocate(layout(8, 1)).unwrap();
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    unsafe { fba.shrink(a.cast(), layout(8, 1), layout(3, 1)) }.unwrap();
    assert_eq!(fba.end_index(), 3);
}

#[test]
fn reset_reuses_the_same_address() {
    let mut buf = Aligned::<8>::new();
    let mut fba = FixedBufferAllocator::new(&mut buf.0);
    let x = fba.allocate(layout(8, 8)).unwrap();
    assert_eq!(fba.allocate(layout(8, 8)), Err(AllocError));
    fba.reset();
    let y = fba.allocate(layout(8, 8)).unwrap();
    assert_eq!(x.cast::<u8>(), y.cast::<u8>());
}

#[test]
fn try_reset_refuses_while_blocks_are_live() {
    let mut buf = Aligned::<64>::new();
    let fba = FixedBufferAllocator::new(&mut buf.0).with_name("temp");
    let a = fba.allocate(layout(8, 8)).unwrap();
    fba.allocate(layout(8, 8)).unwrap();
    let b = fba.allocate(layout(8, 8)).unwrap();
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    unsafe { fba.deallocate(b.cast(), layout(8, 8)) };
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    unsafe { fba.deallocate(a.cast(), layout(8, 8)) };
    let err = fba.try_reset().unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot reset buffer 'temp': 1 blocks are still allocated"
    );
    assert_eq!(fba.end_index(), 16);
}

#[test]
fn exhaustion_returns_an_error_and_changes_nothing() {
    let mut buf = Aligned::<16>::new();
    let fba = FixedBufferAllocator::new(&mut buf.0);
    fba.allocate(layout(10, 1)).unwrap();
    assert_eq!(fba.allocate(layout(7, 1)), Err(AllocError));
    let stats = fba.stats();
    assert_eq!(
        (stats.end_index, stats.allocs, stats.failed_allocs),
        (10, 1, 1)
    );
    assert!(fba.allocate(layout(6, 1)).is_ok(), "an exact fit succeeds");
}

#[test]
fn zero_size_requests_are_served_in_the_buffer() {
    let mut buf = Aligned::<8>::new();
    let fba = FixedBufferAllocator::new(&mut buf.0);
    fba.allocate(layout(8, 1)).unwrap();
    let z = fba.allocate(layout(0, 1)).unwrap();
    assert_eq!((offset(&fba, z), z.len(), fba.end_index()), (8, 0, 8));
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    unsafe { fba.deallocate(z.cast(), layout(0, 1)) };
    assert_eq!(fba.stats().frees, 1);
    let mut empty = Aligned::<0>::new();
    let fba = FixedBufferAllocator::new(&mut empty.0);
    assert!(fba.allocate(layout(0, 1)).is_ok());
    assert_eq!(fba.allocate(layout(1, 1)), Err(AllocError));
}

#[test]
fn huge_and_overflowing_requests_fail_cleanly() {
    let mut buf = Aligned::<64>::new();
    let fba = FixedBufferAllocator::new(&mut buf.0);
    fba.allocate(layout(1, 1)).unwrap();
    let max = isize::MAX as usize;
    assert_eq!(fba.allocate(layout(max - 64, 64)), Err(AllocError));
    assert_eq!(fba.allocate(layout(max, 1)), Err(AllocError));
    assert_eq!(fba.allocate(layout(1, 1 << 40)), Err(AllocError));
    let a = fba.allocate(layout(8, 8)).unwrap();
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    let grow = unsafe { fba.grow(a.cast(), layout(8, 8), layout(max - 7, 8)) };
    assert_eq!(grow, Err(AllocError));
    assert_eq!(fba.end_index(), 16);
}

#[test]
fn trace_records_every_event_in_the_documented_format() {
    let trace = Trace::new();
    let mut buf = Aligned::<64>::new();
    let mut fba = FixedBufferAllocator::new(&mut buf.0)
        .with_name("a")
        .with_trace(trace.clone());
    let x = fba.allocate(layout(3, 1)).unwrap();
    let y = fba.allocate(layout(8, 8)).unwrap();
    assert!(fba.allocate(layout(100, 1)).is_err());
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    let y = unsafe { fba.grow(y.cast(), layout(8, 8), layout(16, 8)) }.unwrap();
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    let x = unsafe { fba.grow(x.cast(), layout(3, 1), layout(4, 1)) }.unwrap();
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    unsafe { fba.deallocate(y.cast(), layout(16, 8)) };
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    unsafe { fba.deallocate(x.cast(), layout(4, 1)) };
    fba.reset();
    let lines: Vec<String> = trace.take().iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "a alloc 3 1 -> offset=0 end_index=3",
            "a alloc 8 8 -> offset=8 end_index=16",
            "a alloc 100 1 -> OOM",
            "a resize 1 16 -> ok end_index=24",
            "a resize 0 4 -> fail end_index=24",
            "a alloc 4 1 -> offset=24 end_index=28",
            "a free 0 -> end_index=28",
            "a free 1 -> end_index=28",
            "a free 3 -> end_index=24",
            "a reset -> end_index=0",
        ]
    );
}

#[test]
fn windows_and_high_water_follow_end_index() {
    let mut buf = Aligned::<64>::new();
    let fba = FixedBufferAllocator::new(&mut buf.0);
    let a = fba.allocate(layout(40, 1)).unwrap();
    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
    unsafe { fba.deallocate(a.cast(), layout(40, 1)) };
    fba.start_window();
    fba.allocate(layout(10, 1)).unwrap();
    let s = fba.stats();
    assert_eq!(
        (s.high_water_bytes, s.window_peak_bytes, s.end_index),
        (40, 10, 10)
    );
}

/// One step of the model-based test.
#[derive(Debug, Clone)]
enum Op {
    Alloc { size: usize, align_log2: u32 },
    Free { pick: usize },
    Grow { pick: usize, extra: usize },
    Shrink { pick: usize, keep_permille: usize },
    Reset,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..200, 0u32..7).prop_map(|(size, align_log2)| Op::Alloc { size, align_log2 }),
        3 => any::<usize>().prop_map(|pick| Op::Free { pick }),
        2 => (any::<usize>(), 0usize..100).prop_map(|(pick, extra)| Op::Grow { pick, extra }),
        2 => (any::<usize>(), 0usize..=1000).prop_map(|(pick, keep_permille)| Op::Shrink { pick, keep_permille }),
        1 => Just(Op::Reset),
    ]
}

/// The model: live blocks as (offset, len, align, fill byte), and Zig's end_index.
#[derive(Debug, Default)]
struct Model {
    blocks: Vec<(usize, usize, usize, u8)>,
    end_index: usize,
}

fn fill(fba: &FixedBufferAllocator<'_>, off: usize, len: usize, byte: u8) {
    // The test fills blocks through the allocator's own base pointer.
    let block = NonNull::slice_from_raw_parts(fba.base, fba.capacity);
    // SAFETY: `off + len <= capacity`; the test holds no other reference into the buffer while this one lives.
    let bytes = unsafe { &mut (&mut *block.as_ptr())[off..off + len] };
    bytes.fill(byte);
}

fn check_bytes(fba: &FixedBufferAllocator<'_>, off: usize, len: usize, byte: u8) -> bool {
    let block = NonNull::slice_from_raw_parts(fba.base, fba.capacity);
    // SAFETY: `off + len <= capacity` and these bytes were written by `fill`; no mutable reference is alive.
    let bytes = unsafe { &(&*block.as_ptr())[off..off + len] };
    bytes.iter().all(|&b| b == byte)
}

fn ptr_at(fba: &FixedBufferAllocator<'_>, off: usize) -> NonNull<u8> {
    // SAFETY: callers pass offsets of blocks, which are at most `capacity`.
    unsafe { fba.base.add(off) }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 8 } else { 512 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_operation_sequences_match_the_model(
        start in 0usize..64,
        ops in proptest::collection::vec(op(), 1..60),
    ) {
        let mut buf = Aligned::<1024>::new();
        let mut fba = FixedBufferAllocator::new(&mut buf.0[start..start + 900]);
        let mut model = Model::default();
        let mut next_fill = 1u8;
        for op in ops {
            match op {
                Op::Alloc { size, align_log2 } => {
                    let align = 1 << align_log2;
                    let addr = fba.base.as_ptr().addr() + model.end_index;
                    let start = model.end_index + (addr.wrapping_neg() & (align - 1));
                    let result = fba.allocate(layout(size, align));
                    if start + size <= 900 {
                        let block = result.unwrap();
                        prop_assert_eq!(offset(&fba, block), start);
                        prop_assert_eq!(block.len(), size);
                        prop_assert_eq!(block.cast::<u8>().as_ptr().addr() % align, 0);
                        model.end_index = start + size;
                        next_fill = next_fill.wrapping_add(1);
                        fill(&fba, start, size, next_fill);
                        model.blocks.push((start, size, align, next_fill));
                    } else {
                        prop_assert_eq!(result, Err(AllocError));
                    }
                }
                Op::Free { pick } if !model.blocks.is_empty() => {
                    let (off, len, align, _) = model.blocks.remove(pick % model.blocks.len());
                    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
                    unsafe { fba.deallocate(ptr_at(&fba, off), layout(len, align)) };
                    if off + len == model.end_index {
                        model.end_index -= len;
                    }
                }
                Op::Grow { pick, extra } if !model.blocks.is_empty() => {
                    let i = pick % model.blocks.len();
                    let (off, len, align, byte) = model.blocks[i];
                    let new_len = len + extra;
                    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
                    let result = unsafe {
                        fba.grow(ptr_at(&fba, off), layout(len, align), layout(new_len, align))
                    };
                    let last = off + len == model.end_index;
                    if last || new_len == len {
                        if off + new_len <= 900 {
                            prop_assert_eq!(offset(&fba, result.unwrap()), off);
                            if last {
                                model.end_index = off + new_len;
                            }
                            model.blocks[i].1 = new_len;
                            fill(&fba, off, new_len, byte);
                        } else {
                            prop_assert!(result.is_err());
                        }
                    } else {
                        let addr = fba.base.as_ptr().addr() + model.end_index;
                        let start = model.end_index + (addr.wrapping_neg() & (align - 1));
                        if start + new_len <= 900 {
                            let block = result.unwrap();
                            prop_assert_eq!(offset(&fba, block), start);
                            prop_assert!(check_bytes(&fba, start, len, byte), "contents moved");
                            model.end_index = start + new_len;
                            model.blocks[i] = (start, new_len, align, byte);
                            fill(&fba, start, new_len, byte);
                        } else {
                            prop_assert!(result.is_err());
                        }
                    }
                }
                Op::Shrink { pick, keep_permille } if !model.blocks.is_empty() => {
                    let i = pick % model.blocks.len();
                    let (off, len, align, _) = model.blocks[i];
                    let new_len = len * keep_permille / 1000;
                    // SAFETY: the block is live in this allocator and the layout is the one it was allocated (or last resized) with.
                    let block = unsafe {
                        fba.shrink(ptr_at(&fba, off), layout(len, align), layout(new_len, align))
                    }.unwrap();
                    prop_assert_eq!(offset(&fba, block), off);
                    if off + len == model.end_index {
                        model.end_index = off + new_len;
                    }
                    model.blocks[i].1 = new_len;
                }
                Op::Reset => {
                    model.blocks.clear();
                    model.end_index = 0;
                    fba.reset();
                }
                Op::Free { .. } | Op::Grow { .. } | Op::Shrink { .. } => {}
            }
            // Model agreement, bounds, no overlap, contents preserved.
            let stats = fba.stats();
            prop_assert_eq!(stats.end_index, model.end_index);
            prop_assert_eq!(stats.live_bytes, model.blocks.iter().map(|b| b.1).sum::<usize>());
            prop_assert!(stats.high_water_bytes >= stats.end_index);
            let mut sorted = model.blocks.clone();
            sorted.sort_unstable();
            let covering: Vec<_> = sorted.iter().filter(|b| b.1 > 0).collect();
            for pair in covering.windows(2) {
                prop_assert!(pair[0].0 + pair[0].1 <= pair[1].0, "overlap {:?}", pair);
            }
            for &(off, len, _, byte) in &model.blocks {
                // A zero-size block may sit above end_index once the block before it was freed as "last".
                prop_assert!(len == 0 || off + len <= model.end_index);
                prop_assert!(check_bytes(&fba, off, len, byte), "block at {} lost its bytes", off);
            }
            let live: Vec<_> = fba.blocks().into_iter().filter(|b| b.live).map(|b| (b.offset, b.len)).collect();
            let expected: Vec<_> = sorted.iter().map(|b| (b.0, b.1)).collect();
            prop_assert_eq!(live, expected);
        }
    }
}

mod hashbrown_in_the_buffer {
    use super::*;
    use crate::grid::Point2D;
    use crate::sim::HASHBROWN_GROUP_WIDTH;

    type Set<'a, A> = hashbrown::HashSet<Point2D, rustc_hash::FxBuildHasher, A>;

    #[test]
    fn a_set_reserved_for_2500_points_takes_exactly_the_predicted_bytes() {
        let mut buf = Aligned::<65536>::new();
        let fba = Counting::new(FixedBufferAllocator::new(&mut buf.0));
        let mut set: Set<'_, _> = Set::with_hasher_in(rustc_hash::FxBuildHasher, &fba);
        set.try_reserve(2500).unwrap();
        // 2500 * 8 / 7 rounded up to a power of two = 4096 buckets:
        // 8-byte points, one control byte per bucket, plus one group.
        let table = 8 * 4096 + 4096 + HASHBROWN_GROUP_WIDTH;
        assert_eq!(fba.inner().end_index(), table);
        if HASHBROWN_GROUP_WIDTH == 16 {
            assert_eq!(table, 36_880, "the issue's figure, with SSE2");
        }
        for i in 0..2500 {
            set.insert(Point2D::new(i % 50, i / 50));
        }
        assert_eq!(
            fba.inner().end_index(),
            table,
            "inserting n points allocates nothing"
        );
        assert_eq!(fba.stats().allocs, 1);
        assert_eq!(
            fba.resizes(),
            (0, 0),
            "hashbrown never calls grow or shrink"
        );
        drop(set);
        assert_eq!(fba.inner().end_index(), 0, "the set was the last block");
    }

    #[test]
    fn exhausting_the_buffer_through_try_reserve_is_an_error_not_an_abort() {
        let mut buf = Aligned::<4096>::new();
        let fba = FixedBufferAllocator::new(&mut buf.0);
        let mut set: Set<'_, _> = Set::with_hasher_in(rustc_hash::FxBuildHasher, &fba);
        let err = set.try_reserve(2500).unwrap_err();
        match err {
            hashbrown::TryReserveError::AllocError { layout } => {
                assert_eq!(layout.size(), 8 * 4096 + 4096 + HASHBROWN_GROUP_WIDTH);
            }
            other @ hashbrown::TryReserveError::CapacityOverflow => panic!("{other:?}"),
        }
        assert_eq!(fba.stats().failed_allocs, 1);
        assert_eq!(fba.end_index(), 0);
    }
}
