//! # The Zig map: `std.AutoHashMap(Point2D, void)`'s memory, as [`Cells`]
//!
//! The write-up stored its elves in Zig's `std.AutoHashMap(Point2D, void)`,
//! and its figures (`Round 0 memuse: 41864`, 36,888 bytes more per round on a
//! 70x70 input) are that map's. [`ZigMap`] is a real open-addressing set with
//! exactly that map's memory behaviour, from Zig 0.17's `lib/std/hash_map.zig`
//! (`HashMapUnmanaged`):
//!
//! * **One allocation per table**, aligned to 8 (the header's pointers), laid
//!   out as `allocate` lays it out: a 24-byte `Header` (`values` pointer,
//!   `keys` pointer, `capacity: u32`, padded to 8), then one metadata byte per
//!   slot, then the keys (8 bytes each: two `i32`), then the values (`void`,
//!   no bytes). `keys_start = alignForward(24 + C, 4)` and the total is
//!   `alignForward(24 + 9C, 8)`; for every capacity the map can have (a power
//!   of two, at least 8) both are exact, so
//!
//!   ```text
//!   bytes(C) = 24 + 9 * C        (C = 4096: 36,888 bytes)
//!   ```
//!
//!   The hashbrown set for the same elves takes `16 + 9 * C` bytes with
//!   16-byte alignment ([`crate::sim::ElfSet`]): no header, 16 trailing
//!   control bytes, the keys *before* the control bytes. That is where
//!   day23's hash-set figures differ from the write-up's by 8 bytes per table.
//! * **Capacity** as `ensureTotalCapacity(n)` on an empty map computes it:
//!   `capacityForSize(n) = ceilPowerOfTwo(n * 100 / 80 + 1)`, at least
//!   `minimal_capacity = 8`; nothing at all is allocated for `n = 0`. Each
//!   table is reserved once for the elf count and then only gets
//!   `putAssumeCapacity`, so it never grows.
//! * **Probing** as `getOrPutAssumeCapacity` and `getIndex` do it: start at
//!   `hash & (C - 1)`, step by one slot (linear probing) while the metadata
//!   byte is not free; a used slot whose 7-bit fingerprint (the hash's top 7
//!   bits, `hash >> 57` on a 64-bit target) matches has its key compared. The metadata byte is Zig's packed
//!   `Metadata`: fingerprint in bits 0-6, `used` in bit 7; `0` is free. This
//!   set never removes, so Zig's tombstones never appear.
//!
//! The hash is the hash set's ([`crate::sim::Hasher`], rustc's Fx hash of the
//! packed point), not Zig's Wyhash: the memory figures do not depend on it,
//! and Fx is one multiply.
//!
//! The table is an allocator-api2 `Vec<u64, A>` reserved exactly with
//! `try_reserve_exact`: one block of `bytes(C)` bytes, 8-byte aligned, with no
//! `unsafe`. Its words are `[header: 3][metadata: C / 8][keys: C]`; the
//! metadata words are read as bytes through `bytemuck`. The header holds what
//! Zig's holds (the addresses of the values and keys, and the capacity),
//! written once; nothing reads it back.

use core::hash::BuildHasher;

use super::{AllocFailure, Cells, Generation, sorted};
use crate::alloc::{AllocVec, Allocator};
use crate::grid::Point2D;
use crate::grid::parse::Elves;
use crate::sim::{Hasher, PointSet, PointSink, empty_ground, step};

/// Zig's `default_max_load_percentage`.
const MAX_LOAD_PERCENTAGE: u64 = 80;

/// Zig's `minimal_capacity`: the smallest table `grow` makes.
const MINIMAL_CAPACITY: usize = 8;

/// Words of the header: `values`, `keys`, `capacity` (a `u32`, padded).
const HEADER_WORDS: usize = 3;

/// Metadata byte of a free slot.
const FREE: u8 = 0;

/// The `used` bit of a metadata byte.
const USED: u8 = 0x80;

/// A set of elves with the memory of Zig's `std.AutoHashMap(Point2D, void)`.
pub struct ZigMap<A: Allocator> {
    /// `[header][metadata][keys]`, exactly `bytes(capacity)` bytes; empty
    /// (no allocation) when `capacity` is 0.
    words: AllocVec<u64, A>,
    /// Slots: 0 or a power of two, at least [`MINIMAL_CAPACITY`].
    capacity: usize,
    /// Elves in the table.
    len: usize,
}

impl<A: Allocator> core::fmt::Debug for ZigMap<A> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ZigMap")
            .field("capacity", &self.capacity)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

/// Zig's `capacityForSize(n)` as `grow` applies it: the slots of a table
/// reserved for `n` entries on an empty map (0 for `n = 0`, which allocates
/// nothing). `None` where Zig's `u32` arithmetic would overflow.
#[must_use]
pub fn capacity_for(n: usize) -> Option<usize> {
    if n == 0 {
        return Some(0);
    }
    let n = u32::try_from(n).ok()?;
    let wanted = u32::try_from(u64::from(n) * 100 / MAX_LOAD_PERCENTAGE + 1).ok()?;
    let capacity = wanted.checked_next_power_of_two()?;
    Some(usize::try_from(capacity).ok()?.max(MINIMAL_CAPACITY))
}

/// The bytes of the one allocation of a table of `capacity` slots:
/// `24 + 9 * capacity` (0 for capacity 0). `None` on overflow.
#[must_use]
pub fn bytes_for(capacity: usize) -> Option<usize> {
    if capacity == 0 {
        return Some(0);
    }
    capacity.checked_mul(9)?.checked_add(8 * HEADER_WORDS)
}

/// The metadata byte of a used slot whose key hashes to `hash`: Zig's
/// `fill(takeFingerprint(hash))`, the top 7 bits of the hash and the used bit.
/// Fx hashes in `usize` words, so on a 32-bit target (the page's wasm32) its
/// top bits are bits 25 to 31: taken from bit 57 there, every fingerprint
/// would be 0 and every used slot a probe passes would have its key compared.
#[inline]
fn metadata_byte(hash: u64) -> u8 {
    USED | (hash >> (usize::BITS - 7)) as u8
}

/// The table word of a key: `x` in the low half, `y` in the high half, so
/// that in memory (little-endian) the key reads as Zig's `{ x: i32, y: i32 }`.
#[inline]
fn key(p: Point2D) -> u64 {
    u64::from(p.y as u32) << 32 | u64::from(p.x as u32)
}

/// The point of a table word written by [`key`].
#[inline]
fn point(word: u64) -> Point2D {
    Point2D::new(word as u32 as i32, (word >> 32) as u32 as i32)
}

impl<A: Allocator> ZigMap<A> {
    /// An empty table reserved for `n` elves, in one allocation of exactly
    /// [`bytes_for`]`(`[`capacity_for`]`(n))` bytes in `alloc`, as Zig's
    /// `ensureTotalCapacity(n)` on an empty map.
    ///
    /// # Errors
    ///
    /// [`AllocFailure`] when `alloc` cannot provide the block (or its size
    /// overflows: `requested` is then `usize::MAX`).
    pub fn try_with_room_in(n: usize, alloc: A) -> Result<Self, AllocFailure> {
        let overflow = AllocFailure {
            requested: usize::MAX,
            align: 8,
        };
        let capacity = capacity_for(n).ok_or(overflow)?;
        let bytes = bytes_for(capacity).ok_or(overflow)?;
        let mut words = AllocVec::new_in(alloc);
        if capacity == 0 {
            return Ok(Self {
                words,
                capacity,
                len: 0,
            });
        }
        let used = bytes / 8;
        words.try_reserve_exact(used).map_err(|_| AllocFailure {
            requested: bytes,
            align: 8,
        })?;
        // Within the capacity just reserved: zeroes (every slot free), never
        // reallocates.
        words.resize(used, 0);
        debug_assert_eq!(words.capacity(), used, "allocator-api2 reserves exactly");
        let base = words.as_ptr().addr();
        let keys_start = 8 * HEADER_WORDS + capacity;
        let values_start = keys_start + 8 * capacity;
        words[0] = (base + values_start) as u64;
        words[1] = (base + keys_start) as u64;
        words[2] = capacity as u64;
        Ok(Self {
            words,
            capacity,
            len: 0,
        })
    }

    /// Zig's `clearRetainingCapacity`: every slot free, the table kept.
    pub fn clear_retaining_capacity(&mut self) {
        let metadata_words = self.capacity / 8;
        if let Some(metadata) = self.body_mut().get_mut(..metadata_words) {
            metadata.fill(0);
        }
        self.len = 0;
    }

    /// The slots of the table (Zig's `capacity()`).
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The bytes of the table's one allocation.
    #[must_use]
    pub fn allocation_bytes(&self) -> usize {
        8 * self.words.len()
    }

    /// Metadata and keys: everything after the header (nothing without a
    /// table).
    fn body(&self) -> &[u64] {
        self.words.get(HEADER_WORDS..).unwrap_or_default()
    }

    /// [`body`](Self::body), writable.
    fn body_mut(&mut self) -> &mut [u64] {
        self.words.get_mut(HEADER_WORDS..).unwrap_or_default()
    }

    /// The metadata words and the keys, borrowed for probing.
    fn slots(&self) -> Slots<'_> {
        let (metadata, keys) = self.body().split_at(self.capacity / WORD_BYTES);
        Slots {
            metadata,
            keys,
            len: self.len,
        }
    }
}

/// A table's metadata and keys, borrowed: the probe loop, and the set a round
/// reads. [`ZigMap::try_step_in`] hands this view to [`step`] rather than the
/// map, so the two slices stay in registers across a round's probes.
#[derive(Clone, Copy)]
struct Slots<'a> {
    /// One byte per slot, eight to a word in memory order (slot `8w + i` is
    /// byte `i` of word `w`, little-endian): [`FREE`], or [`USED`] and the
    /// fingerprint.
    metadata: &'a [u64],
    /// One key per slot (see [`key`]); meaningful where the slot is used.
    keys: &'a [u64],
    /// Elves in the table.
    len: usize,
}

impl<'a> Slots<'a> {
    /// The slot of `p`, whose hash is `hash`: where it is (`true`), or the
    /// free slot where it would go (`false`). The table must have slots.
    ///
    /// Zig's linear probe, one slot at a time from `hash & (C - 1)`, read
    /// [`GROUP`] metadata bytes at a time (as hashbrown reads its control
    /// bytes): in a group, the used slots whose fingerprint matches have
    /// their key compared; otherwise the group's first free slot ends the
    /// probe, and with none free the next group follows. That is the slot the
    /// one-at-a-time probe stops at: nothing is ever removed, so every slot
    /// between a key's home and its own slot is used, and a key found in a
    /// group is never past a free slot. A group that would run past the last
    /// slot is probed one slot at a time ([`find_from`](Self::find_from)).
    #[inline(always)]
    fn find(self, p: Point2D, hash: u64) -> (usize, bool) {
        let bytes: &[u8] = bytemuck::cast_slice(self.metadata);
        let mask = bytes.len().wrapping_sub(1);
        let fingerprint = metadata_byte(hash);
        let wanted = key(p);
        let mut index = hash as usize & mask;
        loop {
            let group = bytes.get(index..index.wrapping_add(GROUP));
            let Some(group) = group.and_then(<[u8]>::first_chunk) else {
                return self.find_from(index, fingerprint, wanted);
            };
            let (mut matches, used) = crate::simd::match_group(group, fingerprint);
            while matches != 0 {
                let slot = index + matches.trailing_zeros() as usize;
                if self.keys.get(slot) == Some(&wanted) {
                    return (slot, true);
                }
                matches &= matches - 1;
            }
            let free = !used & GROUP_BITS;
            if free != 0 {
                return (index + free.trailing_zeros() as usize, false);
            }
            index = (index + GROUP) & mask;
        }
    }

    /// [`find`](Self::find) one slot at a time from `index`, where a group
    /// would run past the last slot.
    #[cold]
    #[inline(never)]
    fn find_from(self, mut index: usize, fingerprint: u8, wanted: u64) -> (usize, bool) {
        let bytes: &[u8] = bytemuck::cast_slice(self.metadata);
        let mask = bytes.len().wrapping_sub(1);
        loop {
            // No slot at all (a table for no elves) holds nothing.
            match bytes.get(index).copied().unwrap_or(FREE) {
                FREE => return (index, false),
                m if m == fingerprint && self.keys[index] == wanted => return (index, true),
                _ => index = (index + 1) & mask,
            }
        }
    }

    /// The used slots' points in slot order.
    fn iter(self) -> SlotIter<'a> {
        SlotIter {
            metadata: self.metadata,
            keys: self.keys,
            next: 0,
            used: 0,
        }
    }
}

/// The points of a table's used slots in slot order, found a metadata word
/// (eight slots) at a time: a plain loop, so that a round's walk over the
/// elves compiles into one function with its probes.
struct SlotIter<'a> {
    /// The metadata, one word per eight slots.
    metadata: &'a [u64],
    /// The keys.
    keys: &'a [u64],
    /// The first slot of the next word to read.
    next: usize,
    /// The used bits of the last word read not yet returned.
    used: u64,
}

impl Iterator for SlotIter<'_> {
    type Item = Point2D;

    #[inline]
    fn next(&mut self) -> Option<Point2D> {
        while self.used == 0 {
            let &group = self.metadata.get(self.next / WORD_BYTES)?;
            self.next += WORD_BYTES;
            self.used = u64::from_le(group) & HIGH_BITS;
        }
        let slot = self.next - WORD_BYTES + self.used.trailing_zeros() as usize / 8;
        self.used &= self.used - 1;
        self.keys.get(slot).map(|&k| point(k))
    }
}

impl PointSet for Slots<'_> {
    #[inline]
    fn len(&self) -> usize {
        self.len
    }

    #[inline(always)]
    fn contains(&self, p: Point2D) -> bool {
        self.find(p, Hasher::default().hash_one(p)).1
    }

    fn points(&self) -> impl Iterator<Item = Point2D> + '_ {
        self.iter()
    }
}

/// Metadata bytes per probe group: as many as [`crate::simd::match_group`]
/// reads.
const GROUP: usize = 16;

/// One bit per byte of a group.
const GROUP_BITS: u32 = (1 << GROUP) - 1;

/// Metadata bytes per `u64` word.
const WORD_BYTES: usize = 8;

/// The top bit of every byte of a word: the `used` bits of eight slots.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

impl<A: Allocator> PointSet for ZigMap<A> {
    #[inline]
    fn len(&self) -> usize {
        self.len
    }

    #[inline(always)]
    fn contains(&self, p: Point2D) -> bool {
        self.slots().contains(p)
    }

    fn points(&self) -> impl Iterator<Item = Point2D> + '_ {
        self.slots().iter()
    }
}

impl<A: Allocator> PointSink for ZigMap<A> {
    /// Zig's `putAssumeCapacity`: a point already there is left alone.
    ///
    /// # Panics
    ///
    /// When the table has no room left: the callers reserve it for every elf.
    #[inline(always)]
    fn insert(&mut self, p: Point2D) {
        assert!(self.capacity != 0, "ZigMap reserved for no point");
        let hash = Hasher::default().hash_one(p);
        let (index, found) = self.slots().find(p, hash);
        if found {
            return;
        }
        // Zig's `assert(self.available > 0)`: at most 80% full, so every
        // probe meets a free slot.
        assert!(
            (self.len as u64 + 1) * 100 <= self.capacity as u64 * MAX_LOAD_PERCENTAGE,
            "ZigMap reserved for fewer points"
        );
        let metadata_words = self.capacity / 8;
        let (metadata, keys) = self.body_mut().split_at_mut(metadata_words);
        bytemuck::cast_slice_mut::<u64, u8>(metadata)[index] = metadata_byte(hash);
        keys[index] = key(p);
        self.len += 1;
    }
}

impl<A: Allocator> Generation for ZigMap<A> {
    fn empty_ground(&self) -> u64 {
        empty_ground(self.points())
    }

    fn positions(&self) -> Vec<Point2D> {
        sorted(self.points().collect())
    }

    fn elf_count(&self) -> usize {
        self.len()
    }
}

impl<A: Allocator> Cells<A> for ZigMap<A> {
    const WHAT: &'static str = "the Zig map";
    const WHAT_COPY_BACK: &'static str = "the Zig map's copy back";
    const WHAT_SPARE: &'static str = "the spare Zig map";

    fn try_from_elves_in(elves: &Elves<'_>, alloc: A) -> Result<Self, AllocFailure> {
        let mut map = Self::try_with_room_in(elves.len(), alloc)?;
        for p in elves.points() {
            map.insert(p);
        }
        Ok(map)
    }

    type Scratch = ();

    fn try_step_in(
        &self,
        round: usize,
        alloc: A,
        (): &mut (),
    ) -> Result<(Self, usize), AllocFailure> {
        let mut next = Self::try_with_room_in(self.len, alloc)?;
        let moved = step(&self.slots(), &mut next, round);
        Ok((next, moved))
    }

    /// Both tables were reserved for the same elf count, so they have the same
    /// capacity: the metadata and keys are copied slot for slot (Zig's
    /// `clearRetainingCapacity` then one `putAssumeCapacity` per elf leaves
    /// the same figures), and this table keeps its own header. Nothing
    /// allocates.
    fn try_copy_back(&mut self, next: &Self) -> Result<(), AllocFailure> {
        debug_assert_eq!(self.capacity, next.capacity, "reserved for the same count");
        if self.capacity == next.capacity {
            self.body_mut().copy_from_slice(next.body());
            self.len = next.len;
        } else {
            // Never created by the driver; the capacity still holds every elf.
            self.clear_retaining_capacity();
            for p in next.points() {
                self.insert(p);
            }
        }
        Ok(())
    }

    fn try_spare_in(&self, alloc: A) -> Result<Self, AllocFailure> {
        Self::try_with_room_in(self.len, alloc)
    }

    /// solve.zig's `reuse`: `clearRetainingCapacity`, then one
    /// `putAssumeCapacity` per elf. The table holds every elf: nothing
    /// allocates.
    fn try_step_into(
        &self,
        round: usize,
        next: &mut Self,
        (): &mut (),
    ) -> Result<usize, AllocFailure> {
        next.clear_retaining_capacity();
        Ok(step(self, next, round))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alloc::{Counting, Global};
    use crate::grid::parse;

    #[test]
    fn capacity_follows_zigs_capacity_for_size() {
        // ceilPowerOfTwo(n * 100 / 80 + 1), at least 8.
        let cases = [
            (0, 0),
            (1, 8),
            (5, 8),
            (6, 8),
            (7, 16),
            (12, 16),
            (13, 32),
            (22, 32),
            (2457, 4096),
            (3276, 4096),
            (3277, 8192),
            (44660, 65536),
        ];
        for (n, c) in cases {
            assert_eq!(capacity_for(n), Some(c), "n = {n}");
            // Room for n at 80% load, as `putAssumeCapacity` asserts.
            assert!(n as u64 * 100 <= c as u64 * MAX_LOAD_PERCENTAGE, "n = {n}");
        }
        assert_eq!(capacity_for(usize::MAX), None);
        assert_eq!(capacity_for(1 << 31), None);
    }

    #[test]
    fn bytes_are_24_plus_9_per_slot_as_zigs_allocate_computes_them() {
        // Zig's `allocate` for K = { i32, i32 } (size 8, align 4), V = void.
        fn zig_allocate(c: usize) -> usize {
            let align_forward = |x: usize, a: usize| x.div_ceil(a) * a;
            let meta_size = 24 + c;
            let keys_end = align_forward(meta_size, 4) + 8 * c;
            let vals_end = align_forward(keys_end, 1);
            align_forward(vals_end, 8)
        }
        for shift in 3..=24 {
            let c = 1usize << shift;
            assert_eq!(bytes_for(c), Some(24 + 9 * c));
            assert_eq!(bytes_for(c), Some(zig_allocate(c)), "C = {c}");
        }
        assert_eq!(bytes_for(4096), Some(36_888));
        assert_eq!(bytes_for(0), Some(0));
    }

    #[test]
    fn one_exact_allocation_per_table_and_none_for_no_elves() {
        let heap = Counting::new(Global);
        let map = ZigMap::try_with_room_in(2457, &heap).unwrap();
        assert_eq!(map.capacity(), 4096);
        assert_eq!(map.allocation_bytes(), 36_888);
        let stats = heap.stats();
        assert_eq!((stats.allocs, stats.live_bytes), (1, 36_888));
        // The header, as Zig writes it.
        let base = map.words.as_ptr().addr() as u64;
        assert_eq!(map.words[1], base + 24 + 4096, "keys after the metadata");
        assert_eq!(map.words[0], base + 36_888, "void values: past the keys");
        assert_eq!(map.words[2], 4096);
        drop(map);
        let empty = ZigMap::try_with_room_in(0, &heap).unwrap();
        assert!(PointSet::is_empty(&empty) && !empty.contains(Point2D::new(0, 0)));
        assert_eq!(empty.points().count(), 0);
        assert_eq!(heap.stats().allocs, 1, "no allocation for no elves");
    }

    #[test]
    fn metadata_bytes_are_zigs_used_bit_and_fingerprint() {
        let mut map = ZigMap::try_with_room_in(3, Global).unwrap();
        let p = Point2D::new(-3, 7);
        map.insert(p);
        map.insert(p);
        assert_eq!(map.len(), 1, "a point already there is left alone");
        let hash = Hasher::default().hash_one(p);
        let Slots { metadata, keys, .. } = map.slots();
        let metadata: &[u8] = bytemuck::cast_slice(metadata);
        let home = hash as usize & 7;
        assert_eq!(metadata[home], 0x80 | (hash >> (usize::BITS - 7)) as u8);
        assert_eq!(metadata_byte(hash), metadata[home]);
        assert_eq!(metadata.iter().filter(|&&m| m != FREE).count(), 1);
        assert_eq!(point(keys[home]), p);
        assert_eq!(keys[home] as u32 as i32, -3, "x in the low half");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: if cfg!(miri) { 4 } else { 256 },
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Membership and iteration equal a std set's, for tables filled to
        /// Zig's 80% limit (long probe runs, wrap-around at the end).
        #[test]
        fn behaves_as_a_set(
            points in proptest::collection::vec((-20i32..20, -20i32..20), 0..120),
            probes in proptest::collection::vec((-21i32..21, -21i32..21), 0..64),
        ) {
            let reference: std::collections::BTreeSet<(i32, i32)> =
                points.iter().copied().collect();
            let mut map = ZigMap::try_with_room_in(reference.len(), Global).unwrap();
            for &(x, y) in &points {
                map.insert(Point2D::new(x, y));
            }
            proptest::prop_assert_eq!(map.len(), reference.len());
            let mut listed: Vec<(i32, i32)> = map.points().map(|p| (p.x, p.y)).collect();
            listed.sort_unstable();
            proptest::prop_assert_eq!(listed, reference.iter().copied().collect::<Vec<_>>());
            for &(x, y) in probes.iter().chain(&points) {
                // The group probe stops where the one-slot-at-a-time one does.
                let (p, slots) = (Point2D::new(x, y), map.slots());
                if map.capacity() != 0 {
                    let hash = Hasher::default().hash_one(p);
                    let home = hash as usize & (map.capacity() - 1);
                    proptest::prop_assert_eq!(
                        slots.find(p, hash),
                        slots.find_from(home, metadata_byte(hash), key(p))
                    );
                }
                proptest::prop_assert_eq!(
                    map.contains(Point2D::new(x, y)),
                    reference.contains(&(x, y))
                );
            }
        }
    }

    #[test]
    fn rounds_and_copy_back_match_the_hash_set() {
        let input = "....#..\n..###.#\n#...#.#\n.#...##\n#.###..\n##.#.##\n.#..#..\n";
        let elves = parse(input.as_bytes()).unwrap();
        let mut map = ZigMap::try_from_elves_in(&elves, Global).unwrap();
        let mut set = crate::sim::try_new_set_in(elves.len(), Global).unwrap();
        set.extend(elves.points());
        for round in 1..=20 {
            let (next, moved) = map.try_step_in(round, Global, &mut ()).unwrap();
            let mut next_set = crate::sim::try_new_set_in(set.len(), Global).unwrap();
            assert_eq!(moved, step(&set, &mut next_set, round), "round {round}");
            map.try_copy_back(&next).unwrap();
            set = next_set;
            assert_eq!(
                map.positions(),
                Generation::positions(&set),
                "round {round}"
            );
        }
        assert_eq!(map.empty_ground(), Generation::empty_ground(&set));
    }
}
