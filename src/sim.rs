//! # The round rules, written once for the hash tables
//!
//! One round of the puzzle, generic over the table and over where it lives:
//! [`step`] reads the elves from one [`PointSet`] and writes every elf's new
//! position into another that was reserved for exactly as many elves. The
//! hashbrown set ([`ElfSet`]) and the Zig map
//! ([`ZigMap`](crate::cells::zigmap::ZigMap)) are both point sets; the bit
//! grid has rules of its own, on whole words. A round allocates nothing,
//! inserts exactly one point per elf and removes nothing, so the new set's
//! table never grows: the round touches memory only through the one set the
//! caller reserved.
//!
//! Collisions need no second map. Two elves can only propose the same cell `t`
//! from opposite sides: an elf at `p` proposing `t = p + d` collides exactly
//! when the elf at `p + 2d` (if any) proposes `t` too, i.e. moves by `-d`.
//! Neither then moves. Any other pair of elves proposing `t` would have to be
//! diagonal or adjacent to it from the same side, and an elf only proposes a
//! cell whose three cells further on (seen from it) are empty.
//!
//! That check is cheap. The three cells `p` found empty on its side `d` are
//! exactly the three cells on the side of `p + 2d` that faces `p`, so that
//! side of the elf across is known to be free and it moves by `-d` exactly
//! when it has a neighbour among its other five cells and every side it tries
//! before `-d` is blocked: one probe for `p + 2d`, and five more only when an
//! elf stands there.
//!
//! ## Cost
//!
//! Set probes are the whole cost of a round. Each elf costs one neighbourhood
//! mask (eight probes), one look-up in a 4 x 256-byte table built at compile
//! time that turns the mask into this round's proposal, the probe across when
//! it proposes a move, and the one insert into the new set. None of the eight
//! probes is skipped: on the generated inputs about half the elves have no
//! neighbour at all, and proving that takes all eight. Probing lazily (in
//! priority order, stopping once the proposal is decided) saves probes but
//! is slower: deciding after each probe costs more than the probes it
//! saves.

use core::hash::BuildHasher;

use hashbrown::{HashSet, TryReserveError};

use crate::alloc::Allocator;
use crate::grid::Point2D;
use crate::grid::point::{DIRECTIONS, NEIGHBOURS, SIDE_MASKS};

/// The fixed, fast hasher of the elf sets: rustc's Fx hash of the packed
/// point, one multiply and a rotate. Fixed, so runs are deterministic.
///
/// It suits hashbrown better than a fully mixed hash. For nearby points the
/// Fx hash differs by almost fixed steps, so points that land in one probe
/// group get different 7-bit tags (hashbrown's `h2`, the top bits), so a
/// probe for an empty cell rarely compares a key whose tag matched; a
/// folded 64 x 64 -> 128-bit multiply and a 32-bit linear hash both match
/// tags more often and are slower. The unit test
/// `hasher_separates_tags_in_a_dense_block` guards this property.
pub type Hasher = rustc_hash::FxBuildHasher;

/// The elves, in a hash set that lives in `A`.
pub type ElfSet<A> = HashSet<Point2D, Hasher, A>;

/// The width in bytes of hashbrown's control group on this build. A set of
/// `b` buckets takes `b` slots, `b` control bytes and one group more, so the
/// hash set's figures depend on the platform: 16 where hashbrown scans with
/// SSE2 (x86 and x86-64), 8 with NEON (aarch64) and for its generic 64-bit
/// group, 4 for the generic group elsewhere. The Zig map's figures do not.
/// The conditions are hashbrown 0.17's own (`src/control/group/mod.rs`);
/// the page patches in a 16-wide WebAssembly group of its own
/// (`web/hashbrown/simd128.patch`), which this constant does not see.
pub const HASHBROWN_GROUP_WIDTH: usize = if cfg!(all(
    target_feature = "sse2",
    any(target_arch = "x86", target_arch = "x86_64")
)) {
    16
} else if cfg!(target_pointer_width = "64") {
    8
} else {
    4
};

/// An empty set in `alloc` with room for exactly `n` elves, allocated
/// fallibly (`with_hasher_in` allocates nothing; `try_reserve` is the one
/// allocation).
///
/// # Errors
///
/// hashbrown's [`TryReserveError`] when `alloc` cannot provide the table.
pub fn try_new_set_in<A: Allocator>(n: usize, alloc: A) -> Result<ElfSet<A>, TryReserveError> {
    let mut set = ElfSet::with_hasher_in(Hasher::default(), alloc);
    set.try_reserve(n)?;
    Ok(set)
}

/// What the round rules need of a table of elves: membership and the elves
/// (the new generation is a [`PointSink`]).
pub trait PointSet {
    /// How many elves the table holds.
    fn len(&self) -> usize;

    /// Whether the table holds no elf.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `p` is an elf.
    fn contains(&self, p: Point2D) -> bool;

    /// The elves, in table order.
    fn points(&self) -> impl Iterator<Item = Point2D> + '_;

    /// [`neighbour_mask`] of `p`: eight probes, unless the set can read the
    /// eight neighbours faster (the bit grid reads three words).
    #[inline(always)]
    fn neighbours(&self, p: Point2D) -> u8
    where
        Self: Sized,
    {
        neighbour_mask(self, p)
    }
}

/// Where [`step`] writes the elves' new positions.
pub trait PointSink {
    /// Adds `p` (once: a point already there is left alone). The table was
    /// reserved for every elf, so this never allocates.
    fn insert(&mut self, p: Point2D);
}

impl<S: BuildHasher, A: Allocator> PointSet for HashSet<Point2D, S, A> {
    #[inline]
    fn len(&self) -> usize {
        HashSet::len(self)
    }

    #[inline(always)]
    fn contains(&self, p: Point2D) -> bool {
        HashSet::contains(self, &p)
    }

    #[inline]
    fn points(&self) -> impl Iterator<Item = Point2D> + '_ {
        self.iter().copied()
    }
}

impl<S: BuildHasher, A: Allocator> PointSink for HashSet<Point2D, S, A> {
    #[inline]
    fn insert(&mut self, p: Point2D) {
        HashSet::insert(self, p);
    }
}

/// Whether `p` is an elf, as a bit.
#[inline(always)]
fn bit(elves: &impl PointSet, p: Point2D) -> u8 {
    u8::from(elves.contains(p))
}

/// Bit `i` set when the neighbour `NEIGHBOURS[i]` of `p` is an elf: eight
/// independent probes, written out so that nothing but the probes branches.
/// Public for `benches/floor.rs`, which times it alone.
#[inline(always)]
pub fn neighbour_mask(elves: &impl PointSet, p: Point2D) -> u8 {
    let [nw, n, ne, e, se, s, sw, w] = NEIGHBOURS;
    bit(elves, p + nw)
        | bit(elves, p + n) << 1
        | bit(elves, p + ne) << 2
        | bit(elves, p + e) << 3
        | bit(elves, p + se) << 4
        | bit(elves, p + s) << 5
        | bit(elves, p + sw) << 6
        | bit(elves, p + w) << 7
}

/// The neighbour mask of the elf at `q = p + 2d`, given that `p` proposes
/// direction `d`: the three cells of `q`'s side facing `p` are the three cells
/// `p` just found empty, so only the other five are probed.
#[inline]
fn mask_across(elves: &impl PointSet, q: Point2D, d: usize) -> u8 {
    ACROSS[d].iter().fold(0, |mask, &i| {
        mask | bit(elves, q + NEIGHBOURS[i as usize]) << i
    })
}

/// "Stays put" in [`PROPOSALS`].
const STAY: u8 = 4;

/// For a direction `d`, the five neighbour indices of an elf at `p + 2d` that
/// are not on its side facing `p` (that side is `SIDE_MASKS[d ^ 1]`).
const ACROSS: [[u8; 5]; 4] = {
    let mut table = [[0; 5]; 4];
    let mut d = 0;
    while d < 4 {
        let (mut i, mut k) = (0, 0);
        while i < 8 {
            if SIDE_MASKS[d ^ 1] & (1 << i) == 0 {
                table[d][k] = i;
                k += 1;
            }
            i += 1;
        }
        d += 1;
    }
    table
};

/// `PROPOSALS[first][mask]`: the direction (index into [`DIRECTIONS`]) an elf
/// with neighbour mask `mask` proposes in a round whose first direction is
/// `first`, or [`STAY`]. 4 x 256 bytes, built at compile time from the rules:
/// no neighbour, stay; else the first of the four sides (rotating from
/// `first`) with all three cells empty; none, stay.
const PROPOSALS: [[u8; 256]; 4] = {
    let mut table = [[STAY; 256]; 4];
    let mut first = 0;
    while first < 4 {
        let mut mask = 1;
        while mask < 256 {
            let mut k = 0;
            while k < 4 {
                let d = (first + k) % 4;
                if mask & SIDE_MASKS[d] as usize == 0 {
                    table[first][mask] = d as u8;
                    break;
                }
                k += 1;
            }
            mask += 1;
        }
        first += 1;
    }
    table
};

/// The first direction (index into [`DIRECTIONS`]) of round `round` (1-based):
/// N, S, W, E rotate by one each round.
#[must_use]
pub const fn first_direction(round: usize) -> usize {
    (round + 3) % 4
}

/// Plays round `round` (1-based): reads `elves`, inserts every elf's position
/// after the round into `next`, and returns how many elves moved.
///
/// `next` must be empty with room for `elves.len()` points, as made by
/// [`try_new_set_in`] (or the Zig map's `try_with_room_in`); then no insert
/// allocates.
///
/// Per elf: one eight-probe neighbourhood mask, a table look-up for its
/// proposal, and only when it proposes to move, one probe two cells ahead;
/// only when an elf stands there, five more probes for that elf's proposal
/// (see the [module documentation](self)).
pub fn step(elves: &impl PointSet, next: &mut impl PointSink, round: usize) -> usize {
    let proposals = &PROPOSALS[first_direction(round)];
    let mut moved = 0;
    // `for_each`, not `for`: a set's `fold` may walk its elves faster than
    // `next` (the bit grid's tiles do).
    elves.points().for_each(|p| {
        let mut to = p;
        if let Some(d) = move_with(elves, proposals, p) {
            to = p + DIRECTIONS[usize::from(d)];
            moved += 1;
        }
        next.insert(to);
    });
    moved
}

/// The direction (index into [`DIRECTIONS`]) in which the elf at `p` moves
/// in the round whose proposal table is `proposals`, or `None` if it stays.
#[inline(always)]
fn move_with(elves: &impl PointSet, proposals: &[u8; 256], p: Point2D) -> Option<u8> {
    let d = proposals[usize::from(elves.neighbours(p))];
    let &step = DIRECTIONS.get(usize::from(d))?;
    let across = p + step + step;
    // Opposite directions differ in their lowest bit: N/S = 0/1, W/E = 2/3.
    let collides = elves.contains(across)
        && proposals[usize::from(mask_across(elves, across, usize::from(d)))] == d ^ 1;
    (!collides).then_some(d)
}

/// The direction (index into [`DIRECTIONS`]) in which the elf at `p` moves
/// in round `round` (1-based), or `None` if it stays: [`step`]'s rules for
/// one elf, for outputs that show who moved where (the HTML report).
#[must_use]
pub fn move_of(elves: &impl PointSet, p: Point2D, round: usize) -> Option<usize> {
    move_with(elves, &PROPOSALS[first_direction(round)], p).map(usize::from)
}

/// Part 1's measure: empty cells in the smallest rectangle holding every elf.
#[must_use]
pub fn empty_ground(elves: impl IntoIterator<Item = Point2D>) -> u64 {
    let mut count = 0u64;
    let (mut x0, mut y0, mut x1, mut y1) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
    for p in elves {
        count += 1;
        x0 = x0.min(p.x);
        x1 = x1.max(p.x);
        y0 = y0.min(p.y);
        y1 = y1.max(p.y);
    }
    if count == 0 {
        return 0;
    }
    let width = u64::from(x1.abs_diff(x0)) + 1;
    let height = u64::from(y1.abs_diff(y0)) + 1;
    width * height - count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_group_width_is_hashbrowns_on_this_platform() {
        if cfg!(target_arch = "x86_64") {
            assert_eq!(HASHBROWN_GROUP_WIDTH, 16);
        } else if cfg!(target_arch = "aarch64") {
            assert_eq!(HASHBROWN_GROUP_WIDTH, 8);
        }
        // A set for one elf has 4 buckets: 4 slots of 8 bytes, 4 control
        // bytes and the group.
        let set = try_new_set_in(1, Global).unwrap();
        assert_eq!(set.allocation_size(), 4 * 8 + 4 + HASHBROWN_GROUP_WIDTH);
    }
    use crate::alloc::Global;
    use crate::grid::parse;

    fn run(input: &str, rounds: usize) -> (Vec<Point2D>, Vec<usize>) {
        let elves = parse(input.as_bytes()).unwrap();
        let mut set = try_new_set_in(elves.len(), Global).unwrap();
        set.extend(elves.points());
        let mut moves = vec![];
        for round in 1..=rounds {
            let mut next = try_new_set_in(set.len(), Global).unwrap();
            moves.push(step(&set, &mut next, round));
            set = next;
        }
        let mut points: Vec<_> = set.into_iter().collect();
        points.sort_by_key(|p| (p.y, p.x));
        (points, moves)
    }

    #[test]
    fn small_example_follows_the_puzzle_statement() {
        let (points, moves) = run(".....\n..##.\n..#..\n.....\n..##.\n.....\n", 4);
        // Round 1: the elves at (2, 2) and (2, 4) both propose (2, 3) and stay.
        // Round 3: the elves at (4, 3) and (2, 5) have no neighbours and stay.
        assert_eq!(moves, [3, 5, 3, 0]);
        let expected = [(2, 0), (4, 1), (0, 2), (4, 3), (2, 5)].map(|(x, y)| Point2D::new(x, y));
        assert_eq!(points, expected);
    }

    #[test]
    fn first_direction_rotates_from_north() {
        assert_eq!([1, 2, 3, 4, 5].map(first_direction), [0, 1, 2, 3, 0]);
    }

    /// The rules as the puzzle states them, with a map of proposal counts:
    /// the reference the fast [`step`] is checked against.
    fn naive_step(
        elves: &std::collections::HashSet<Point2D>,
        round: usize,
    ) -> (Vec<Point2D>, usize) {
        let first = first_direction(round);
        let proposal = |p: Point2D| {
            let mask = (0..8).fold(0u8, |m, i| {
                m | u8::from(elves.contains(&(p + NEIGHBOURS[i]))) << i
            });
            if mask == 0 {
                return None;
            }
            (0..4)
                .map(|k| (first + k) % 4)
                .find(|&d| mask & SIDE_MASKS[d] == 0)
                .map(|d| p + DIRECTIONS[d])
        };
        let proposals: Vec<(Point2D, Option<Point2D>)> =
            elves.iter().map(|&p| (p, proposal(p))).collect();
        let mut counts = std::collections::HashMap::new();
        for t in proposals.iter().filter_map(|&(_, t)| t) {
            *counts.entry(t).or_insert(0) += 1;
        }
        let mut moved = 0;
        let mut after: Vec<Point2D> = proposals
            .iter()
            .map(|&(p, t)| match t {
                Some(t) if counts[&t] == 1 => {
                    moved += 1;
                    t
                }
                _ => p,
            })
            .collect();
        after.sort_by_key(|p| (p.y, p.x));
        (after, moved)
    }

    #[test]
    fn proposals_table_follows_the_rules() {
        for (first, row) in PROPOSALS.iter().enumerate() {
            assert_eq!(row[0], STAY, "no neighbour: stay");
            for (mask, &proposed) in row.iter().enumerate().skip(1) {
                let expected = (0..4)
                    .map(|k| (first + k) % 4)
                    .find(|&d| mask & usize::from(SIDE_MASKS[d]) == 0)
                    .map_or(STAY, |d| d as u8);
                assert_eq!(proposed, expected, "first {first} mask {mask:#010b}");
            }
        }
        // Surrounded on every side: stay.
        assert_eq!(PROPOSALS[0][0xFF], STAY);
    }

    #[test]
    fn across_skips_exactly_the_side_facing_back() {
        for d in 0..4 {
            let bits = ACROSS[d].iter().fold(0u8, |m, &i| m | 1 << i);
            assert_eq!(bits.count_ones(), 5);
            assert_eq!(bits, !SIDE_MASKS[d ^ 1], "direction {d}");
            // Seen from p + 2d, the skipped cells are p + d and its two side cells.
            let p = Point2D::new(10, 20);
            let step = DIRECTIONS[d];
            let q = p + step + step;
            let skipped: Vec<Point2D> = (0..8)
                .filter(|&i| bits & 1 << i == 0)
                .map(|i| q + NEIGHBOURS[i])
                .collect();
            assert!(skipped.contains(&(p + step)));
            assert!(skipped.iter().all(|&c| (0..8).any(|i| SIDE_MASKS[d] & 1 << i != 0 && p + NEIGHBOURS[i] == c)));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: if cfg!(miri) { 4 } else { 256 },
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// The fast round equals the rules as stated, on dense random patches
        /// (where collisions are common) and for every first direction.
        #[test]
        fn step_matches_the_naive_rules(
            cells in proptest::collection::vec(proptest::bool::weighted(0.55), 64),
            round in 1usize..9,
        ) {
            let points: std::collections::HashSet<Point2D> = cells
                .iter()
                .enumerate()
                .filter(|&(_, &elf)| elf)
                .map(|(i, _)| Point2D::new(i as i32 % 8 - 3, i as i32 / 8 - 4))
                .collect();
            let mut set = try_new_set_in(points.len(), Global).unwrap();
            set.extend(points.iter().copied());
            let mut next = try_new_set_in(points.len(), Global).unwrap();
            let moved = step(&set, &mut next, round);
            let mut after: Vec<Point2D> = next.into_iter().collect();
            after.sort_by_key(|p| (p.y, p.x));
            proptest::prop_assert_eq!((after, moved), naive_step(&points, round));
        }

        /// `move_of` names, for each elf, the move `step` makes it do.
        #[test]
        fn move_of_is_steps_move_for_each_elf(
            cells in proptest::collection::vec(proptest::bool::weighted(0.55), 64),
            round in 1usize..9,
        ) {
            let mut set = try_new_set_in(64, Global).unwrap();
            set.extend(cells.iter().enumerate().filter(|&(_, &elf)| elf).map(|(i, _)| {
                Point2D::new(i as i32 % 8 - 3, i as i32 / 8 - 4)
            }));
            let mut next = try_new_set_in(set.len(), Global).unwrap();
            let moved = step(&set, &mut next, round);
            let mut count = 0;
            for &p in &set {
                let to = match move_of(&set, p, round) {
                    Some(d) => {
                        count += 1;
                        p + DIRECTIONS[d]
                    }
                    None => p,
                };
                proptest::prop_assert!(next.contains(&to), "{p:?} -> {to:?}");
            }
            proptest::prop_assert_eq!(count, moved);
        }
    }

    /// A dense 64 x 64 block in a 4096-bucket table (as for 2457 elves): no
    /// two points whose home buckets are less than a probe group (16) apart
    /// share a tag, and no bucket is home to more than 4 points. A well-mixed
    /// hash would give about 1 in 128 window pairs the same tag.
    #[test]
    fn hasher_separates_tags_in_a_dense_block() {
        let hash = |x: i32, y: i32| Hasher::default().hash_one(Point2D::new(x, y));
        assert_eq!(hash(3, -7), Hasher::default().hash_one(Point2D::new(3, -7)));
        assert_eq!(
            hash(3, -7),
            0xb2ed_356e_7484_512a,
            "pinned: runs must stay deterministic"
        );
        let mut homes: Vec<Vec<u8>> = vec![vec![]; 4096];
        for y in 0..64 {
            for x in 0..64 {
                let h = hash(x, y);
                homes[(h & 4095) as usize].push((h >> 57) as u8);
            }
        }
        assert!(homes.iter().all(|tags| tags.len() <= 4));
        let (mut pairs, mut same_tag) = (0, 0);
        for (b, tags) in homes.iter().enumerate() {
            for j in 0..16 {
                let others = &homes[(b + j) & 4095];
                for (k, &t) in tags.iter().enumerate() {
                    let rest = if j == 0 {
                        &others[k + 1..]
                    } else {
                        &others[..]
                    };
                    pairs += rest.len();
                    same_tag += rest.iter().filter(|&&u| u == t).count();
                }
            }
        }
        assert!(pairs > 50_000, "{pairs} pairs");
        assert_eq!(same_tag, 0);
    }

    #[test]
    fn empty_ground_counts_the_bounding_rectangle() {
        assert_eq!(empty_ground([Point2D::new(0, 0)]), 0);
        assert_eq!(empty_ground([Point2D::new(-1, 0), Point2D::new(1, 2)]), 7);
        assert_eq!(empty_ground([]), 0);
    }
}
