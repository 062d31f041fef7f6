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

/// Each operation against its definition, tag by tag, on every tag value at
/// every position (run by `web/hashbrown/test.sh` with the rest of
/// hashbrown's tests).
#[cfg(test)]
mod tests {
    use super::{BitMask, Group, Tag};
    use std::vec::Vec;

    /// Groups that put each of the 256 tag values in each of the 16 lanes,
    /// and EMPTY and DELETED among full tags.
    fn groups() -> Vec<[u8; 16]> {
        let mut all = Vec::new();
        for shift in 0..16u8 {
            for block in 0..16u8 {
                all.push(core::array::from_fn(|i| {
                    (block * 16).wrapping_add((i as u8 + shift) % 16)
                }));
            }
        }
        all.push([Tag::EMPTY.0; 16]);
        all.push([Tag::DELETED.0; 16]);
        all.push(core::array::from_fn(|i| {
            [Tag::EMPTY.0, Tag::DELETED.0, 0x00, 0x7f][i % 4]
        }));
        all
    }

    fn load(tags: &[u8; 16]) -> Group {
        // SAFETY: `tags` is 16 readable bytes; `load` needs no alignment.
        unsafe { Group::load(tags.as_ptr().cast()) }
    }

    fn mask(tags: &[u8; 16], pick: impl Fn(u8) -> bool) -> u16 {
        (0..16)
            .filter(|&i| pick(tags[i]))
            .fold(0, |m, i| m | 1 << i)
    }

    #[test]
    fn a_group_is_16_tags_wide_and_16_byte_aligned_as_with_sse2() {
        assert_eq!(Group::WIDTH, 16);
        assert_eq!(align_of::<Group>(), 16);
        assert_eq!(Group::static_empty().as_ptr().align_offset(16), 0);
        assert!(Group::static_empty().iter().all(|t| t.0 == Tag::EMPTY.0));
    }

    #[test]
    fn each_mask_has_bit_i_for_tag_i() {
        for tags in groups() {
            let g = load(&tags);
            for wanted in 0..=255u8 {
                let BitMask(got) = g.match_tag(Tag(wanted));
                assert_eq!(got, mask(&tags, |t| t == wanted), "{tags:?} {wanted}");
            }
            assert_eq!(g.match_empty().0, mask(&tags, |t| t == Tag::EMPTY.0));
            assert_eq!(g.match_empty_or_deleted().0, mask(&tags, |t| t & 0x80 != 0));
            assert_eq!(g.match_full().0, mask(&tags, |t| t & 0x80 == 0));
        }
    }

    #[test]
    fn the_rehash_conversion_empties_special_tags_and_deletes_full_ones() {
        for tags in groups() {
            #[repr(align(16))]
            struct Aligned([u8; 16]);
            let mut out = Aligned([0; 16]);
            let g = load(&tags).convert_special_to_empty_and_full_to_deleted();
            // SAFETY: `out` is 16 writable bytes, 16-byte aligned.
            unsafe { g.store_aligned(out.0.as_mut_ptr().cast()) };
            let want = tags.map(|t| {
                if t & 0x80 != 0 {
                    Tag::EMPTY.0
                } else {
                    Tag::DELETED.0
                }
            });
            assert_eq!(out.0, want, "{tags:?}");
        }
    }

    #[test]
    fn loads_read_any_address_and_aligned_loads_and_stores_round_trip() {
        let bytes: [u8; 48] = core::array::from_fn(|i| (i * 37) as u8);
        for offset in 0..32 {
            let tags: [u8; 16] = bytes[offset..offset + 16].try_into().unwrap();
            // SAFETY: 16 readable bytes from `offset`, inside `bytes`.
            let g = unsafe { Group::load(bytes[offset..].as_ptr().cast()) };
            assert_eq!(g.match_full().0, mask(&tags, |t| t & 0x80 == 0));
        }
        #[repr(align(16))]
        struct Aligned([u8; 16]);
        let from = Aligned(core::array::from_fn(|i| (i * 11) as u8));
        let mut to = Aligned([0; 16]);
        // SAFETY: both are 16 bytes, 16-byte aligned.
        unsafe {
            Group::load_aligned(from.0.as_ptr().cast()).store_aligned(to.0.as_mut_ptr().cast())
        };
        assert_eq!(from.0, to.0);
    }
}
