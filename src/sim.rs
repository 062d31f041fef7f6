//! # The round rules, written once
//!
//! One round of the puzzle, generic over where the sets live: [`step`] reads
//! the elves from one set and writes every elf's new position into another
//! that was reserved for exactly as many elves. It allocates nothing, inserts
//! exactly one point per elf and removes nothing, so the new set's table never
//! grows: the round touches memory only through the one set the caller
//! reserved.
//!
//! Collisions need no second map. Two elves can only propose the same cell `t`
//! from opposite sides: an elf at `p` proposing `t = p + d` collides exactly
//! when the elf at `p + 2d` (if any) proposes `t` too, i.e. moves by `-d`.
//! Neither then moves. Any other pair of elves proposing `t` would have to be
//! diagonal or adjacent to it from the same side, and an elf only proposes a
//! cell whose three cells further on (seen from it) are empty.

use core::hash::BuildHasher;

use hashbrown::{HashSet, TryReserveError};

use crate::alloc::Allocator;
use crate::grid::Point2D;
use crate::grid::point::{DIRECTIONS, NEIGHBOURS, SIDE_MASKS};

/// The fixed, fast hasher of the elf sets: rustc's Fx hash of the packed
/// point (one multiply). Fixed, so runs are deterministic.
pub type Hasher = rustc_hash::FxBuildHasher;

/// The elves, in a hash set that lives in `A`.
pub type ElfSet<A> = HashSet<Point2D, Hasher, A>;

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

/// Bit `i` set when the neighbour `NEIGHBOURS[i]` of `p` is an elf.
#[inline]
fn neighbour_mask<A: Allocator, S: BuildHasher>(elves: &HashSet<Point2D, S, A>, p: Point2D) -> u8 {
    NEIGHBOURS.iter().enumerate().fold(0, |mask, (i, &d)| {
        mask | (u8::from(elves.contains(&(p + d))) << i)
    })
}

/// The direction (index into [`DIRECTIONS`]) the elf at `p` proposes in a round
/// whose first direction is `first`, or `None` if it stays.
#[inline]
fn proposal<A: Allocator, S: BuildHasher>(
    elves: &HashSet<Point2D, S, A>,
    p: Point2D,
    first: usize,
) -> Option<usize> {
    let mask = neighbour_mask(elves, p);
    if mask == 0 {
        return None;
    }
    (0..4)
        .map(|k| (first + k) % 4)
        .find(|&d| mask & SIDE_MASKS[d] == 0)
}

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
/// [`try_new_set_in`]; then no insert allocates.
pub fn step<A, B>(elves: &ElfSet<A>, next: &mut ElfSet<B>, round: usize) -> usize
where
    A: Allocator,
    B: Allocator,
{
    debug_assert!(next.is_empty() && next.capacity() >= elves.len());
    let first = first_direction(round);
    let mut moved = 0;
    for &p in elves {
        let target = proposal(elves, p, first).and_then(|d| {
            let step = DIRECTIONS[d];
            let target = p + step;
            let across = target + step;
            // Opposite directions differ in their lowest bit: N/S = 0/1, W/E = 2/3.
            let collides = elves.contains(&across) && proposal(elves, across, first) == Some(d ^ 1);
            (!collides).then_some(target)
        });
        moved += usize::from(target.is_some());
        next.insert(target.unwrap_or(p));
    }
    moved
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

    #[test]
    fn empty_ground_counts_the_bounding_rectangle() {
        assert_eq!(empty_ground([Point2D::new(0, 0)]), 0);
        assert_eq!(empty_ground([Point2D::new(-1, 0), Point2D::new(1, 2)]), 7);
        assert_eq!(empty_ground([]), 0);
    }
}
