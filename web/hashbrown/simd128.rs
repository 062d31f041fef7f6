//! hashbrown's control-tag group on WebAssembly SIMD: 16 tags at a time, as
//! the SSE2 group scans them on x86-64.
//!
//! Not part of day23's own source: `web/build.sh` copies hashbrown 0.17.2
//! from cargo's registry into `target/web/`, adds this file as
//! `src/control/group/simd128.rs`, selects it on `wasm32` with `simd128`
//! enabled, and builds the page's engine against that copy (see
//! docs/playground.md, "The hash set's bytes").
//!
//! Why: hashbrown lays a table out by its group width (the control bytes are
//! `buckets + WIDTH` long, aligned to `WIDTH`). Upstream's group is 16 tags
//! wide with SSE2 and 8 tags (one `u64`) on wasm32, so without this file
//! every table in the page would be a few bytes shorter than the CLI's on
//! x86-64, and every hash-set figure would differ. With it the page's tables
//! are laid out, probed and iterated exactly as on x86-64: the same width,
//! the same bit `i` for tag `i`. Upstream has an open pull request for a
//! WebAssembly group (rust-lang/hashbrown#269); this is written from the
//! SSE2 group's contract, not from it.
//!
//! The interface is the one every group of 0.17.2 implements (`sse2.rs`,
//! `neon.rs`, `generic.rs` beside it).
use super::super::{BitMask, Tag};
use core::arch::wasm32 as w;
use core::num::NonZeroU16;

pub(crate) type BitMaskWord = u16;
pub(crate) type NonZeroBitMaskWord = NonZeroU16;
pub(crate) const BITMASK_STRIDE: usize = 1;
pub(crate) const BITMASK_ITER_MASK: BitMaskWord = !0;

/// A group of 16 control tags in one 128-bit WebAssembly SIMD value.
#[derive(Copy, Clone)]
pub(crate) struct Group(w::v128);

#[expect(clippy::use_self)]
impl Group {
    /// Number of bytes in the group: 16, as with SSE2.
    pub(crate) const WIDTH: usize = size_of::<Self>();

    /// Returns a full group of empty tags, suitable for use as the initial
    /// value for an empty hash table.
    ///
    /// This is guaranteed to be aligned to the group size.
    #[inline]
    pub(crate) const fn static_empty() -> &'static [Tag; Group::WIDTH] {
        #[repr(C)]
        struct AlignedTags {
            _align: [Group; 0],
            tags: [Tag; Group::WIDTH],
        }
        const ALIGNED_TAGS: AlignedTags = AlignedTags {
            _align: [],
            tags: [Tag::EMPTY; Group::WIDTH],
        };
        &ALIGNED_TAGS.tags
    }

    /// Loads a group of tags starting at the given address.
    #[inline]
    pub(crate) unsafe fn load(ptr: *const Tag) -> Self {
        // SAFETY: the caller guarantees that `ptr` is valid for reading
        // `WIDTH` bytes; `v128_load` has no alignment requirement.
        unsafe { Group(w::v128_load(ptr.cast())) }
    }

    /// Loads a group of tags starting at the given address, which must be
    /// aligned to `align_of::<Group>()`.
    #[inline]
    pub(crate) unsafe fn load_aligned(ptr: *const Tag) -> Self {
        debug_assert_eq!(ptr.align_offset(align_of::<Self>()), 0);
        // SAFETY: as for `load`, and the pointer is aligned besides.
        unsafe { Group(w::v128_load(ptr.cast())) }
    }

    /// Stores the group of tags to the given address, which must be
    /// aligned to `align_of::<Group>()`.
    #[inline]
    pub(crate) unsafe fn store_aligned(self, ptr: *mut Tag) {
        debug_assert_eq!(ptr.align_offset(align_of::<Self>()), 0);
        // SAFETY: the caller guarantees that `ptr` is valid for writing
        // `WIDTH` bytes.
        unsafe { w::v128_store(ptr.cast(), self.0) }
    }

    /// Returns a `BitMask` indicating all tags in the group which have
    /// the given value: bit `i` for tag `i`, exactly.
    #[inline]
    pub(crate) fn match_tag(self, tag: Tag) -> BitMask {
        let wanted = w::u8x16_splat(tag.0);
        BitMask(w::i8x16_bitmask(w::i8x16_eq(self.0, wanted)))
    }

    /// Returns a `BitMask` indicating all tags in the group which are
    /// `EMPTY`.
    #[inline]
    pub(crate) fn match_empty(self) -> BitMask {
        self.match_tag(Tag::EMPTY)
    }

    /// Returns a `BitMask` indicating all tags in the group which are
    /// `EMPTY` or `DELETED`.
    #[inline]
    pub(crate) fn match_empty_or_deleted(self) -> BitMask {
        // A tag is EMPTY or DELETED iff its high bit is set, and
        // `i8x16_bitmask` gathers exactly the high bits.
        BitMask(w::i8x16_bitmask(self.0))
    }

    /// Returns a `BitMask` indicating all tags in the group which are full.
    #[inline]
    pub(crate) fn match_full(&self) -> BitMask {
        BitMask(!self.match_empty_or_deleted().0)
    }

    /// Performs the following transformation on all tags in the group:
    /// - `EMPTY => EMPTY`
    /// - `DELETED => EMPTY`
    /// - `FULL => DELETED`
    #[inline]
    pub(crate) fn convert_special_to_empty_and_full_to_deleted(self) -> Self {
        // A special tag (high bit set) is negative as an i8: the comparison
        // gives 1111_1111 for it, which ORed with DELETED (1000_0000) stays
        // 1111_1111 (EMPTY); a full tag gives 0000_0000, ORed: DELETED.
        let special = w::i8x16_lt(self.0, w::i8x16_splat(0));
        Group(w::v128_or(special, w::u8x16_splat(Tag::DELETED.0)))
    }
}
