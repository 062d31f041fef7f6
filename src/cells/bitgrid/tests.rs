use super::*;
use crate::alloc::{Counting, FixedBufferAllocator, Global};
use core::mem::MaybeUninit;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// The reference: elves as sorted `(y, x)` pairs (row-major order).
type Ref = BTreeSet<(i32, i32)>;

/// N, S, W, E as `(dx, dy)`.
const DIRS: [(i32, i32); 4] = [(0, -1), (0, 1), (-1, 0), (1, 0)];

const LARGER: &str = "....#..\n..###.#\n#...#.#\n.#...##\n#.###..\n##.#.##\n.#..#..\n";
const SMALL: &str = ".....\n..##.\n..#..\n.....\n..##.\n.....\n";

/// One round of the puzzle, straight from its text.
fn ref_round(elves: &Ref, first: usize) -> (Ref, usize) {
    let occupied = |x: i32, y: i32| elves.contains(&(y, x));
    let mut wanted: BTreeMap<(i32, i32), Vec<(i32, i32)>> = BTreeMap::new();
    for &(y, x) in elves {
        let crowded = (-1..=1)
            .flat_map(|dy| (-1..=1).map(move |dx| (dx, dy)))
            .any(|(dx, dy)| (dx, dy) != (0, 0) && occupied(x + dx, y + dy));
        if !crowded {
            continue;
        }
        for i in 0..4 {
            let (dx, dy) = DIRS[(first + i) % 4];
            let side = if dx == 0 {
                [(-1, dy), (0, dy), (1, dy)]
            } else {
                [(dx, -1), (dx, 0), (dx, 1)]
            };
            if side.iter().all(|&(sx, sy)| !occupied(x + sx, y + sy)) {
                wanted.entry((y + dy, x + dx)).or_default().push((y, x));
                break;
            }
        }
    }
    let mut next = elves.clone();
    let mut moved = 0;
    for (target, sources) in wanted {
        if let [source] = sources[..] {
            next.remove(&source);
            next.insert(target);
            moved += 1;
        }
    }
    (next, moved)
}

fn ref_empty_ground(elves: &Ref) -> u64 {
    if elves.is_empty() {
        return 0;
    }
    let (y_lo, y_hi) = (elves.first().unwrap().0, elves.last().unwrap().0);
    let x_lo = elves.iter().map(|e| e.1).min().unwrap();
    let x_hi = elves.iter().map(|e| e.1).max().unwrap();
    let area = (i64::from(y_hi - y_lo) + 1) * (i64::from(x_hi - x_lo) + 1);
    area as u64 - elves.len() as u64
}

fn parse(text: &str) -> Vec<Point2D> {
    let mut points = Vec::new();
    for (y, line) in text.lines().enumerate() {
        for (x, c) in line.chars().enumerate() {
            if c == '#' {
                points.push(Point2D::new(x as i32, y as i32));
            }
        }
    }
    points
}

fn to_ref(points: &[Point2D]) -> Ref {
    points.iter().map(|p| (p.y, p.x)).collect()
}

fn pairs<A: Allocator>(grid: &BitGrid<A>) -> Vec<(i32, i32)> {
    grid.points().map(|p| (p.y, p.x)).collect()
}

/// Elves strictly inside the grid's edges, and the block sized as promised.
fn assert_invariants<A: Allocator>(grid: &BitGrid<A>) {
    let d = grid.dims();
    let last_x = i64::from(d.x0) + (d.width_words * 64) as i64 - 1;
    let last_y = i64::from(d.y0) + d.height as i64 - 1;
    for p in grid.points() {
        assert!(
            i64::from(p.x) > i64::from(d.x0) && i64::from(p.x) < last_x,
            "{p:?} on the margin of {d:?}"
        );
        assert!(
            i64::from(p.y) > i64::from(d.y0) && i64::from(p.y) < last_y,
            "{p:?} on the margin of {d:?}"
        );
    }
    assert_eq!(grid.points().count(), grid.len());
    assert_eq!(
        grid.cells()
            .iter()
            .map(|w| w.count_ones() as usize)
            .sum::<usize>(),
        grid.len()
    );
    assert_eq!(Some(grid.allocation_bytes()), BitGrid::<A>::bytes_for(d));
    // The side bounds are lower bounds on every elf's distance from the west
    // and east edges (0: not known).
    let width = (d.width_words * 64) as i64;
    for p in grid.points() {
        let column = i64::from(p.x) - i64::from(d.x0);
        let [west, east] = grid.side_low.map(|low| low as i64);
        assert!(
            west <= column,
            "west bound {west} > column {column} in {d:?}"
        );
        assert!(
            east <= width - 1 - column,
            "east bound {east} > {} in {d:?}",
            width - 1 - column
        );
    }
}

/// A grown grid differs by at most one row per side and one word per side.
fn assert_growth(old: GridDims, new: GridDims) {
    let top = old.y0 - new.y0;
    assert!(top == 0 || top == 1, "{old:?} -> {new:?}");
    let bottom = new.height - old.height - top as usize;
    assert!(bottom <= 1, "{old:?} -> {new:?}");
    let west = old.x0 - new.x0;
    assert!(west == 0 || west == 64, "{old:?} -> {new:?}");
    let east = new.width_words - old.width_words - (west / 64) as usize;
    assert!(east <= 1, "{old:?} -> {new:?}");
}

/// Every kernel a round can take: the strip kernel with strips of each of
/// `strips` words, the flat kernel at every SIMD level this CPU runs, and the
/// sparse kernel.
fn kernels(strips: &[usize]) -> Vec<RoundKernel> {
    let flat = Level::ALL.into_iter().filter(|l| l.is_available());
    strips
        .iter()
        .map(|&s| RoundKernel::Strips(s))
        .chain(flat.map(RoundKernel::Flat))
        .chain([RoundKernel::Sparse])
        .collect()
}

/// Fills every word of `scratch` with a random one, as a round that left
/// garbage there would.
fn poison(scratch: &mut Scratch, rng: &mut XorShift) {
    for word in scratch.words_mut() {
        *word = rng.next();
    }
}

/// Steps `points` for `rounds` rounds with every kernel of
/// [`kernels`]`(strips)` alongside the reference, comparing everything after
/// every round. Every run shares one scratch, poisoned with random words
/// before every round; each flat kernel also runs with a fresh zeroed
/// scratch every round, and its grids are compared word for word.
fn check_against_reference(points: &[Point2D], rounds: usize, strips: &[usize]) {
    let mut reference = to_ref(points);
    let kernels = kernels(strips);
    let flat: Vec<usize> = (0..kernels.len())
        .filter(|&i| matches!(kernels[i], RoundKernel::Flat(_)))
        .collect();
    // One grid per kernel, one per flat kernel with a fresh scratch, one
    // that takes what `try_step_in` chooses, and one that takes the next
    // kernel every round (so the sparse kernel follows the word kernels and
    // the other way round).
    let runs = kernels.len() + flat.len() + 2;
    let mut grids: Vec<BitGrid<Global>> = (0..runs)
        .map(|_| BitGrid::try_from_points_in(points.iter().copied(), Global).unwrap())
        .collect();
    for grid in &grids {
        assert_eq!(pairs(grid), reference.iter().copied().collect::<Vec<_>>());
        assert_eq!(grid.empty_ground(), ref_empty_ground(&reference));
        assert_invariants(grid);
    }
    let mut scratch = Scratch::default();
    let mut rng = XorShift::new(points.len() as u64 ^ 0x5c4a_7c11);
    for round in 1..=rounds {
        let first = (round - 1) % 4;
        let (next, moved) = ref_round(&reference, first);
        reference = next;
        let expected: Vec<_> = reference.iter().copied().collect();
        for (i, grid) in grids.iter_mut().enumerate() {
            // Runs past the kernels: the flat ones with a fresh scratch, then
            // `try_step_in`'s choice, then a new kernel every round.
            let (kernel, fresh) = match i.checked_sub(kernels.len()) {
                None => (Some(kernels[i]), false),
                Some(k) if k < flat.len() => (Some(kernels[flat[k]]), true),
                Some(k) if k == flat.len() => (None, false),
                Some(_) => (Some(kernels[round % kernels.len()]), false),
            };
            let mut zeroed = Scratch::default();
            let scratch = if fresh {
                &mut zeroed
            } else {
                poison(&mut scratch, &mut rng);
                &mut scratch
            };
            let (stepped, grid_moved) = match kernel {
                Some(kernel) => grid.step_with_in(first, Global, kernel, scratch),
                None => grid.try_step_in(first, Global, scratch),
            }
            .unwrap();
            assert_eq!(grid_moved, moved, "round {round}, run {i} {kernel:?}");
            assert_eq!(
                pairs(&stepped),
                expected,
                "round {round}, run {i} {kernel:?}"
            );
            assert_eq!(stepped.empty_ground(), ref_empty_ground(&reference));
            assert_invariants(&stepped);
            assert_growth(grid.dims(), stepped.dims());
            *grid = stepped;
        }
        // A flat kernel on a poisoned scratch gives the same words as on a
        // zeroed one.
        for (k, &i) in flat.iter().enumerate() {
            let fresh = &grids[kernels.len() + k];
            assert_eq!(grids[i].cells(), fresh.cells(), "round {round}, run {i}");
        }
    }
}

/// xorshift64, for reproducible random grids.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

/// A `w` by `h` field at `(ox, oy)`, each cell an elf with probability
/// `density`.
fn random_field(w: usize, h: usize, density: f64, seed: u64, (ox, oy): (i32, i32)) -> Vec<Point2D> {
    let mut rng = XorShift::new(seed);
    let mut points = Vec::new();
    for y in 0..h as i32 {
        for x in 0..w as i32 {
            if rng.chance(density) {
                points.push(Point2D::new(ox + x, oy + y));
            }
        }
    }
    points
}

/// Runs rounds until none moves: (part 1, part 2).
fn solve(points: &[Point2D]) -> (u64, usize) {
    let mut grid = BitGrid::try_from_points_in(points.iter().copied(), Global).unwrap();
    let mut part1 = grid.empty_ground();
    let mut scratch = Scratch::default();
    for round in 1.. {
        let (next, moved) = grid
            .try_step_in((round - 1) % 4, Global, &mut scratch)
            .unwrap();
        grid = next;
        if round == 10 {
            part1 = grid.empty_ground();
        }
        if moved == 0 {
            return (part1, round);
        }
    }
    unreachable!()
}

fn shape() -> impl Strategy<Value = (usize, usize)> {
    prop_oneof![
        4 => (1usize..=40, 1usize..=40),
        1 => (1usize..=40, Just(1usize)),
        1 => (Just(1usize), 1usize..=40),
        1 => (41usize..=150, 1usize..=4),
        1 => (1usize..=3, 41usize..=80),
    ]
}

/// Random grids of many shapes, densities and places; optionally a full
/// border of elves, and a lone elf to the west that moves the cluster to
/// another bit of its words.
fn field() -> impl Strategy<Value = Vec<Point2D>> {
    (
        shape(),
        0.05f64..=0.95,
        any::<u64>(),
        any::<bool>(),
        proptest::option::of((-70i32..=-2, 0i32..=40)),
        (-100i32..100, -100i32..100),
    )
        .prop_map(|((w, h), density, seed, border, anchor, offset)| {
            let mut points = random_field(w, h, density, seed, offset);
            if border {
                for y in 0..h as i32 {
                    for x in 0..w as i32 {
                        if x == 0 || y == 0 || x == w as i32 - 1 || y == h as i32 - 1 {
                            points.push(Point2D::new(offset.0 + x, offset.1 + y));
                        }
                    }
                }
            }
            if let Some((dx, dy)) = anchor {
                points.push(Point2D::new(offset.0 + dx, offset.1 + dy));
            }
            points
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 4 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    #[cfg_attr(miri, ignore = "safe code over safe Vec; the allocator's own tests cover Miri")]
    fn random_grids_match_reference(points in field()) {
        let rounds = if cfg!(miri) { 4 } else { 30 };
        check_against_reference(&points, rounds, &[STRIP_WORDS, 1]);
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "safe code, slow under Miri; the fixed-buffer tests below keep Miri coverage"
)]
fn larger_example_part1_110_part2_20() {
    assert_eq!(solve(&parse(LARGER)), (110, 20));
}

#[test]
fn small_example_stops_moving_at_round_4() {
    let points = parse(SMALL);
    assert_eq!(solve(&points).1, 4);
    check_against_reference(&points, 4, &[STRIP_WORDS]);
}

#[test]
#[cfg_attr(
    miri,
    ignore = "safe code, slow under Miri; the fixed-buffer tests below keep Miri coverage"
)]
fn larger_example_matches_reference_every_round() {
    check_against_reference(&parse(LARGER), 25, &[STRIP_WORDS, 1]);
}

#[test]
fn no_elves_is_one_word_and_stays_still() {
    let grid = BitGrid::try_from_points_in(core::iter::empty(), Global).unwrap();
    assert_eq!(grid.dims(), GridDims::EMPTY);
    assert_eq!(
        (grid.len(), grid.empty_ground(), grid.allocation_bytes()),
        (0, 0, 8)
    );
    assert!(grid.is_empty());
    let (next, moved) = grid
        .try_step_in(0, Global, &mut Scratch::default())
        .unwrap();
    assert_eq!(
        (next.dims(), moved, next.points().count()),
        (GridDims::EMPTY, 0, 0)
    );
}

#[test]
fn duplicates_count_once() {
    let p = Point2D::new(3, -4);
    let grid = BitGrid::try_from_points_in([p, p, p].into_iter(), Global).unwrap();
    assert_eq!(grid.len(), 1);
    assert_eq!(grid.points().collect::<Vec<_>>(), vec![p]);
    assert_eq!(grid.empty_ground(), 0);
}

#[test]
fn dims_for_leaves_a_margin_of_one() {
    let points = [Point2D::new(-5, 10), Point2D::new(57, 12)];
    let dims = BitGrid::<Global>::dims_for(points.into_iter()).unwrap();
    // 63 columns + 2 = 65 cells: two words.
    assert_eq!(
        dims,
        GridDims {
            x0: -6,
            y0: 9,
            width_words: 2,
            height: 5
        }
    );
    assert_eq!(BitGrid::<Global>::bytes_for(dims), Some(2 * 5 * 8));
    let single = BitGrid::<Global>::dims_for([Point2D::new(0, 0)].into_iter()).unwrap();
    assert_eq!((single.width_words, single.height), (1, 3));
}

#[test]
fn first_dir_wraps_modulo_4() {
    let grid = BitGrid::try_from_points_in(parse(LARGER).into_iter(), Global).unwrap();
    let (a, ma) = grid
        .try_step_in(1, Global, &mut Scratch::default())
        .unwrap();
    let (b, mb) = grid
        .try_step_in(5, Global, &mut Scratch::default())
        .unwrap();
    assert_eq!((pairs(&a), ma), (pairs(&b), mb));
}

#[test]
fn growth_follows_elves_next_to_the_margin() {
    // Two elves side by side: the round moves both north (first N).
    let grid =
        BitGrid::try_from_points_in([Point2D::new(0, 0), Point2D::new(1, 0)].into_iter(), Global)
            .unwrap();
    let d = grid.dims();
    let (next, moved) = grid
        .try_step_in(0, Global, &mut Scratch::default())
        .unwrap();
    assert_eq!(moved, 2);
    let n = next.dims();
    // North and south both had an elf next to them (row 1 = row h - 2),
    // the west too (column 1); the east had 62 empty columns.
    assert_eq!((n.y0, n.height), (d.y0 - 1, d.height + 2));
    assert_eq!((n.x0, n.width_words), (d.x0 - 64, d.width_words + 1));
    assert_eq!(pairs(&next), vec![(-1, 0), (-1, 1)]);
    // A lone elf stays, but the rule is conservative: the first round
    // grows every side it is next to, and then nothing more.
    let lone = BitGrid::try_from_points_in([Point2D::new(7, 7)].into_iter(), Global).unwrap();
    let d = lone.dims();
    let (grown, moved) = lone
        .try_step_in(0, Global, &mut Scratch::default())
        .unwrap();
    assert_eq!(moved, 0);
    let g = grown.dims();
    assert_eq!(
        (g.x0, g.y0, g.width_words, g.height),
        (d.x0 - 64, d.y0 - 1, 2, 5)
    );
    let (again, _) = grown
        .try_step_in(1, Global, &mut Scratch::default())
        .unwrap();
    assert_eq!(again.dims(), g);
    assert_eq!(pairs(&again), vec![(7, 7)]);
}

#[test]
fn one_block_per_grid_counted() {
    let counting = Counting::new(Global);
    let grid = BitGrid::try_from_points_in(parse(LARGER).into_iter(), &counting).unwrap();
    let bytes0 = BitGrid::<Global>::bytes_for(grid.dims()).unwrap();
    assert_eq!(counting.stats().allocs, 1);
    assert_eq!(counting.live_bytes(), bytes0);
    assert_eq!(grid.allocation_bytes(), bytes0);
    let (next, _) = grid
        .try_step_in(0, &counting, &mut Scratch::default())
        .unwrap();
    let bytes1 = BitGrid::<Global>::bytes_for(next.dims()).unwrap();
    assert_eq!(counting.stats().allocs, 2);
    assert_eq!(counting.live_bytes(), bytes0 + bytes1);
    assert_eq!(counting.resizes(), (0, 0));
    drop(grid);
    assert_eq!(counting.live_bytes(), bytes1);
    let copy = next.try_clone_in(&counting).unwrap();
    assert_eq!(
        (counting.stats().allocs, counting.live_bytes()),
        (3, 2 * bytes1)
    );
    assert_eq!(pairs(&copy), pairs(&next));
    drop((next, copy));
    assert_eq!((counting.stats().frees, counting.live_bytes()), (3, 0));
}

#[test]
fn one_block_per_round_in_a_fixed_buffer() {
    let mut buf = vec![MaybeUninit::<u8>::uninit(); 64 * 1024];
    let fba = FixedBufferAllocator::new(&mut buf);
    let mut grid = BitGrid::try_from_points_in(parse(LARGER).into_iter(), &fba).unwrap();
    let mut scratch = Scratch::default();
    for round in 1..=20 {
        let before = fba.stats();
        let (next, _) = grid
            .try_step_in((round - 1) % 4, &fba, &mut scratch)
            .unwrap();
        let after = fba.stats();
        let bytes = BitGrid::<Global>::bytes_for(next.dims()).unwrap();
        assert_eq!(after.allocs, before.allocs + 1, "round {round}");
        assert_eq!(after.live_bytes, before.live_bytes + bytes, "round {round}");
        let block = fba.blocks().into_iter().max_by_key(|b| b.id).unwrap();
        assert_eq!(block.len, bytes, "round {round}");
        assert!(block.pad < 8);
        grid = next;
    }
}

#[test]
fn too_small_fixed_buffer_is_an_alloc_error() {
    let points = parse(LARGER);
    let dims = BitGrid::<Global>::dims_for(points.iter().copied()).unwrap();
    let bytes = BitGrid::<Global>::bytes_for(dims).unwrap();
    // Room for the first grid and up to 7 bytes of alignment padding in
    // front of it, whatever the buffer's address; `tiny` is one byte short.
    let mut buf = vec![MaybeUninit::<u8>::uninit(); bytes + 7];
    let fba = FixedBufferAllocator::new(&mut buf);
    let short = bytes - 1;
    let mut small = vec![MaybeUninit::<u8>::uninit(); short];
    let tiny = FixedBufferAllocator::new(&mut small);
    assert_eq!(
        BitGrid::try_from_points_in(points.iter().copied(), &tiny).unwrap_err(),
        BitGridError::Alloc {
            requested_bytes: bytes
        }
    );
    assert_eq!(tiny.stats().failed_allocs, 1);
    // The first grid fits; the grown one does not.
    let grid = BitGrid::try_from_points_in(points.iter().copied(), &fba).unwrap();
    let err = grid
        .try_step_in(0, &fba, &mut Scratch::default())
        .unwrap_err();
    let BitGridError::Alloc { requested_bytes } = err else {
        panic!("{err:?}")
    };
    assert!(requested_bytes > bytes);
    assert_eq!(
        err.to_string(),
        format!("out of memory: a bit grid needs one block of {requested_bytes} bytes")
    );
    assert_eq!(grid.len(), points.len(), "the old grid is intact");
}

#[test]
fn a_far_flung_pair_fails_to_allocate_instead_of_panicking() {
    let points = [
        Point2D::new(-1_000_000_000, 0),
        Point2D::new(1_000_000_000, 0),
    ];
    let mut buf = vec![MaybeUninit::<u8>::uninit(); 1024];
    let fba = FixedBufferAllocator::new(&mut buf);
    let dims = BitGrid::<Global>::dims_for(points.into_iter()).unwrap();
    let bytes = BitGrid::<Global>::bytes_for(dims).unwrap();
    assert_eq!(bytes, (2_000_000_003usize).div_ceil(64) * 3 * 8);
    assert_eq!(
        BitGrid::try_from_points_in(points.into_iter(), &fba).unwrap_err(),
        BitGridError::Alloc {
            requested_bytes: bytes
        }
    );
}

#[test]
fn coordinates_at_the_ends_of_i32_are_too_large() {
    for p in [
        Point2D::new(i32::MAX, 0),
        Point2D::new(i32::MIN, 0),
        Point2D::new(0, i32::MAX),
        Point2D::new(0, i32::MIN),
        Point2D::new(i32::MAX - 10, 0),
    ] {
        assert_eq!(BitGrid::<Global>::dims_for([p].into_iter()), None, "{p:?}");
        assert_eq!(
            BitGrid::try_from_points_in([p].into_iter(), Global).unwrap_err(),
            BitGridError::TooLarge
        );
    }
    // At the edge but representable: the step that would grow past it fails.
    let p = Point2D::new(0, i32::MIN + 1);
    let pair = [p, Point2D::new(1, p.y)];
    let grid = BitGrid::try_from_points_in(pair.into_iter(), Global).unwrap();
    assert_eq!(grid.dims().y0, i32::MIN);
    assert_eq!(
        grid.try_step_in(0, Global, &mut Scratch::default())
            .unwrap_err(),
        BitGridError::TooLarge
    );
    assert!(
        BitGrid::<Global>::bytes_for(GridDims {
            height: usize::MAX,
            ..GridDims::EMPTY
        })
        .is_none()
    );
    assert!(
        BitGrid::<Global>::bytes_for(GridDims {
            height: 0,
            ..GridDims::EMPTY
        })
        .is_none()
    );
}

#[test]
fn copy_back_reuses_the_block_when_it_fits() {
    let counting = Counting::new(Global);
    let big: Vec<_> = random_field(100, 100, 0.3, 7, (0, 0));
    let mut persistent = BitGrid::try_from_points_in(big.iter().copied(), &counting).unwrap();
    let block = persistent.allocation_bytes();
    let small = BitGrid::try_from_points_in(parse(LARGER).into_iter(), Global).unwrap();
    let (stepped, _) = small
        .try_step_in(0, Global, &mut Scratch::default())
        .unwrap();
    persistent.try_copy_from(&stepped).unwrap();
    assert_eq!(counting.stats().allocs, 1, "no allocation");
    assert_eq!(persistent.allocation_bytes(), block, "same block");
    assert_eq!(persistent.dims(), stepped.dims());
    assert_eq!(persistent.len(), stepped.len());
    assert_eq!(pairs(&persistent), pairs(&stepped));
    assert_eq!(persistent.empty_ground(), stepped.empty_ground());
    // And it steps on from there like the original.
    let (a, ma) = persistent
        .try_step_in(1, Global, &mut Scratch::default())
        .unwrap();
    let (b, mb) = stepped
        .try_step_in(1, Global, &mut Scratch::default())
        .unwrap();
    assert_eq!((pairs(&a), ma, a.dims()), (pairs(&b), mb, b.dims()));
}

#[test]
fn copy_back_that_does_not_fit_is_too_large_and_changes_nothing() {
    let mut persistent = BitGrid::try_from_points_in(parse(SMALL).into_iter(), Global).unwrap();
    let before = (
        persistent.dims(),
        pairs(&persistent),
        persistent.allocation_bytes(),
    );
    let big =
        BitGrid::try_from_points_in(random_field(200, 50, 0.5, 3, (0, 0)).into_iter(), Global)
            .unwrap();
    assert_eq!(persistent.try_copy_from(&big), Err(BitGridError::TooLarge));
    assert_eq!(
        (
            persistent.dims(),
            pairs(&persistent),
            persistent.allocation_bytes()
        ),
        before
    );
}

#[test]
#[cfg_attr(miri, ignore = "too slow under Miri")]
fn strips_and_word_boundaries_match_reference() {
    // Elves around columns 60..70, 2040..2060 and 4090..4100: word and
    // strip boundaries, with every strip width from 1 to 3 and the default.
    let mut points = random_field(12, 12, 0.6, 11, (60, 0));
    points.extend(random_field(20, 12, 0.6, 12, (2040, 0)));
    points.extend(random_field(12, 12, 0.6, 13, (4090, 0)));
    check_against_reference(&points, 15, &[STRIP_WORDS, 1, 2, 3]);
}

#[test]
#[cfg_attr(miri, ignore = "too slow under Miri")]
fn many_shapes_match_reference() {
    let cases: [(&str, usize, usize, f64, usize); 8] = [
        ("tall", 3, 200, 0.5, 20),
        ("wide", 300, 3, 0.5, 20),
        ("single row", 500, 1, 0.7, 20),
        ("single column", 1, 500, 0.7, 20),
        ("dense", 60, 60, 0.8, 20),
        ("sparse", 150, 150, 0.03, 20),
        ("large", 300, 300, 0.5, 3),
        ("large sparse", 1000, 1000, 0.01, 3),
    ];
    for (i, (name, w, h, density, rounds)) in cases.into_iter().enumerate() {
        let points = random_field(w, h, density, 100 + i as u64, (-(w as i32) / 2, 5));
        eprintln!("{name}: {w}x{h} at {density}, {} elves", points.len());
        check_against_reference(&points, rounds, &[STRIP_WORDS]);
    }
}

#[test]
#[cfg_attr(miri, ignore = "too slow under Miri")]
fn full_solve_matches_reference() {
    let points = random_field(30, 30, 0.5, 99, (0, 0));
    let mut reference = to_ref(&points);
    let mut rounds = 0;
    let mut part1 = 0;
    loop {
        rounds += 1;
        let (next, moved) = ref_round(&reference, (rounds - 1) % 4);
        reference = next;
        if rounds == 10 {
            part1 = ref_empty_ground(&reference);
        }
        if moved == 0 {
            break;
        }
    }
    assert_eq!(solve(&points), (part1, rounds));
}

#[test]
#[cfg_attr(miri, ignore = "too slow under Miri")]
fn sparse_fields_match_reference() {
    // More than 16 words per elf: `try_step_in` takes the sparse kernel. A
    // cluster that fans out, and lone elves over a box of 3000 x 300 that
    // spans many tiles (47 words: one word per tile column; 302 rows: eight
    // per tile row).
    let mut points = random_field(12, 12, 0.7, 41, (1500, 150));
    points.extend(random_field(3000, 300, 0.0004, 42, (0, 0)));
    points.extend([Point2D::new(0, 0), Point2D::new(2999, 299)]);
    let grid = BitGrid::try_from_points_in(points.iter().copied(), Global).unwrap();
    assert!(grid.used > SPARSE_WORDS_PER_ELF * grid.len(), "{grid:?}");
    check_against_reference(&points, 40, &[STRIP_WORDS]);
}

#[test]
#[cfg_attr(miri, ignore = "too slow under Miri")]
fn columns_taller_than_a_chunk_match_reference() {
    // One word wide: the flat kernel's smallest scratch does 506 rows per
    // chunk, so these take three chunks, and a 1-row chunk edge moves.
    let mut points = random_field(1, 1300, 0.7, 21, (3, 0));
    points.extend(random_field(3, 1240, 0.5, 22, (20, 30)));
    check_against_reference(&points, 12, &[STRIP_WORDS]);
}

#[test]
#[cfg_attr(miri, ignore = "too slow under Miri")]
fn the_widest_flat_grid_and_wider_match_reference() {
    // Exactly `flat::MAX_WIDTH` words wide (64 * MAX_WIDTH columns with the
    // margin); elves next to both margins grow it past that within a round
    // or two, so the flat kernel hands over to the strips.
    let east = (64 * flat::MAX_WIDTH - 3) as i32;
    let mut points = random_field(6, 6, 0.6, 31, (0, 0));
    points.extend(random_field(6, 6, 0.6, 32, (east - 5, 1)));
    points.extend(random_field(40, 4, 0.5, 33, (east / 2, 2)));
    let grid = BitGrid::try_from_points_in(points.iter().copied(), Global).unwrap();
    assert_eq!(grid.dims().width_words, flat::MAX_WIDTH);
    check_against_reference(&points, 6, &[STRIP_WORDS]);
}

#[test]
fn the_sparse_scan_yields_every_elf_once_by_next_and_by_fold() {
    use crate::sim::PointSet;
    let mut points = random_field(12, 12, 0.5, 51, (700, 90));
    points.extend(random_field(2000, 200, 0.001, 52, (0, 0)));
    let grid = BitGrid::try_from_points_in(points.iter().copied(), Global).unwrap();
    let mut want: Vec<Point2D> = grid.points().collect();
    want.sort_by_key(|p| (p.y, p.x));
    // The tiles of the words with elves, and every tile.
    let w = grid.dims().width_words;
    let mut made = sparse::Tiles::none(grid.dims());
    for (i, _) in grid.cells().iter().enumerate().filter(|&(_, &x)| x != 0) {
        made.mark(i / w, i % w);
    }
    for tiles in [made, sparse::Tiles::all(grid.dims())] {
        let cells = sparse::Cells {
            words: grid.cells(),
            dims: grid.dims(),
            len: grid.len(),
            tiles: &tiles,
        };
        // `for` takes `next`; `for_each` takes `fold`.
        let mut by_next = Vec::new();
        for p in cells.points() {
            by_next.push(p);
        }
        let mut by_fold = Vec::new();
        cells.points().for_each(|p| by_fold.push(p));
        // Half by `next`, the rest by `fold` (the fallback after a `next`).
        let mut it = cells.points();
        let mut mixed: Vec<Point2D> = it.by_ref().take(want.len() / 2).collect();
        it.for_each(|p| mixed.push(p));
        for got in [&mut by_next, &mut by_fold, &mut mixed] {
            got.sort_by_key(|p| (p.y, p.x));
            assert_eq!(*got, want);
        }
    }
}

#[test]
fn a_sparse_round_leaves_its_tile_map_in_the_scratch_for_its_grid_only() {
    let points = random_field(2000, 200, 0.001, 52, (0, 0));
    let grid = BitGrid::try_from_points_in(points.iter().copied(), Global).unwrap();
    assert_eq!(grid.kernel(), RoundKernel::Sparse);
    let mut scratch = Scratch::default();
    // Made from points: no map, so the first round scans every tile.
    assert!(scratch.tiles.map_of(grid.tiles_id).is_none());
    let (next, _) = grid.try_step_in(0, Global, &mut scratch).unwrap();
    let map = scratch
        .tiles
        .map_of(next.tiles_id)
        .expect("the new grid's map");
    // Every word with an elf is in a marked tile, and some tiles are not.
    let w = next.dims().width_words;
    for (i, _) in next.cells().iter().enumerate().filter(|&(_, &x)| x != 0) {
        assert!(map.is_marked(i / w, i % w), "word {i}");
    }
    assert_ne!(*map, sparse::Tiles::all(next.dims()));
    // The next sparse round reads it, and replaces it with its own.
    let (after, _) = next.try_step_in(1, Global, &mut scratch).unwrap();
    assert!(scratch.tiles.map_of(next.tiles_id).is_none());
    assert!(scratch.tiles.map_of(after.tiles_id).is_some());
    assert_ne!(after.tiles_id, next.tiles_id);
    // A grid the word kernels make has none.
    let dense =
        BitGrid::try_from_points_in(random_field(20, 20, 0.5, 53, (0, 0)).into_iter(), Global)
            .unwrap();
    let (made, _) = dense.try_step_in(0, Global, &mut scratch).unwrap();
    assert_eq!(made.tiles_id, 0);
    assert!(scratch.tiles.map_of(after.tiles_id).is_some(), "kept");
}

#[test]
#[cfg_attr(miri, ignore = "too slow under Miri")]
fn a_poisoned_scratch_gives_the_same_grids_as_a_zeroed_one() {
    // Grids the run's scratch holds (the smallest tier): the larger example,
    // a 70x70 field like the puzzle's, a column of three chunks, and eleven
    // words by 102 rows in chunks of 42 rows. Before every round the scratch
    // is filled with all ones or with random words; every generation must
    // equal, word for word, the one made on a fresh zeroed scratch and the
    // strip kernel's (which has no planes).
    let fields = [
        parse(LARGER),
        random_field(70, 70, 0.5, 61, (0, 0)),
        random_field(40, 1200, 0.3, 62, (5, -600)),
        random_field(700, 100, 0.3, 63, (-350, 0)),
    ];
    let flat = Level::ALL
        .into_iter()
        .filter(|l| l.is_available())
        .map(RoundKernel::Flat);
    let mut rng = XorShift::new(64);
    for (f, points) in fields.iter().enumerate() {
        let start = BitGrid::try_from_points_in(points.iter().copied(), Global).unwrap();
        let d = start.dims();
        assert_eq!(flat::tier(d.width_words, d.height), 0, "field {f}: {d:?}");
        for kernel in flat.clone() {
            for all_ones in [true, false] {
                let mut poisoned = Scratch::default();
                let [mut grid, mut fresh, mut strips] =
                    [(); 3].map(|()| start.try_clone_in(Global).unwrap());
                for round in 1..=200 {
                    let first = (round - 1) % 4;
                    for word in poisoned.words_mut() {
                        *word = if all_ones { u64::MAX } else { rng.next() };
                    }
                    let (next, moved) = grid
                        .step_with_in(first, Global, kernel, &mut poisoned)
                        .unwrap();
                    let (want, want_moved) = fresh
                        .step_with_in(first, Global, kernel, &mut Scratch::default())
                        .unwrap();
                    let (by_strips, strips_moved) = strips
                        .step_with_in(
                            first,
                            Global,
                            RoundKernel::Strips(STRIP_WORDS),
                            &mut poisoned,
                        )
                        .unwrap();
                    let at = format!("field {f}, {kernel:?}, all ones {all_ones}, round {round}");
                    assert_eq!((next.dims(), moved), (want.dims(), want_moved), "{at}");
                    assert_eq!(next.cells(), want.cells(), "{at}");
                    assert_eq!(
                        (by_strips.dims(), strips_moved),
                        (want.dims(), want_moved),
                        "{at}"
                    );
                    assert_eq!(by_strips.cells(), want.cells(), "{at}");
                    assert_invariants(&next);
                    [grid, fresh, strips] = [next, want, by_strips];
                    if moved == 0 {
                        break;
                    }
                }
            }
        }
    }
}
