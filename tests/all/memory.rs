//! Memory figures: the space leak, the constant strategies, and the exact
//! bytes hashbrown's table takes.

use core::mem::MaybeUninit;

use day23::alloc::AllocatorKind;
use day23::alloc::{Allocator, FixedBufferAllocator, Layout};
use day23::grid::parse;
use day23::sim::{HASHBROWN_GROUP_WIDTH, step, try_new_set_in};
use day23::strategy::StrategyKind;

use day23::cells::CellKind;

use crate::common::{
    ALL, CELLS, ExampleBytes, example_bytes, read, record, record_cells, table_align, table_bytes,
};

#[test]
fn table_formula_matches_the_issue_and_hashbrown() {
    // The figures quoted in the docs: x86-64's (SSE2) and aarch64's (NEON).
    // A table of 2,500 elves, the alignment, then the example's padded input
    // and set.
    let quoted = match HASHBROWN_GROUP_WIDTH {
        16 => Some((36_880, 16, 64, 304)),
        8 => Some((36_872, 8, 56, 296)),
        _ => None,
    };
    let ExampleBytes { input, set } = example_bytes();
    if let Some(quoted) = quoted {
        assert_eq!((table_bytes(2500), table_align(), input, set), quoted);
    }
    for n in [1, 3, 4, 7, 8, 14, 15, 22, 100, 2500, 11_185] {
        let set = try_new_set_in(n, day23::alloc::Global).unwrap();
        assert_eq!(set.allocation_size(), table_bytes(n), "n = {n}");
        // Where hashbrown puts the table: its alignment, from the layout it
        // hands the allocator.
        let mut buf = vec![MaybeUninit::<u8>::uninit(); 1 << 20];
        let fba = FixedBufferAllocator::new(&mut buf);
        fba.allocate(Layout::new::<u8>()).unwrap();
        let set = try_new_set_in(n, &fba).unwrap();
        assert_eq!(
            fba.end_index(),
            table_align() + table_bytes(n),
            "n = {n}: one byte, padding to the table's alignment, the table"
        );
        drop(set);
    }
}

#[test]
fn leaky_grows_by_exactly_one_set_per_round_until_it_runs_out() {
    let input = read("example.txt");
    let ExampleBytes { input: padded, set } = example_bytes();
    let run = record(StrategyKind::Leaky, &input, 4 << 20, None, false);
    // Round 0: the 56 input bytes, padding to a table's alignment, the first set.
    assert_eq!(run.rounds[0].bytes_in_use, padded + set);
    for pair in run.rounds.windows(2) {
        assert_eq!(
            pair[1].bytes_in_use - pair[0].bytes_in_use,
            set,
            "round {}",
            pair[1].round
        );
        assert_eq!(pair[1].live_bytes, set, "only the current set is live");
    }
}

#[test]
fn the_other_strategies_stay_constant_from_round_1() {
    let input = read("gen-70x70-d50-s1.txt");
    for kind in [
        StrategyKind::TempCopy,
        StrategyKind::PingPong,
        StrategyKind::Heap,
    ] {
        let run = record(kind, &input, 4 << 20, Some(40), false);
        let first = run.rounds[1].bytes_in_use;
        assert!(
            run.rounds[1..].iter().all(|r| r.bytes_in_use == first),
            "{kind:?}"
        );
    }
    // Exact figures: the heap holds one set; tempcopy holds input (dead) and
    // the set in main, and from round 1 the round's new set, left in temp.
    let n = parse(&input).unwrap().len();
    let heap = record(StrategyKind::Heap, &input, 0, Some(3), false);
    assert!(heap.rounds.iter().all(|r| r.bytes_in_use == table_bytes(n)));
    let temp = record(StrategyKind::TempCopy, &input, 4 << 20, Some(3), false);
    let main = input.len().next_multiple_of(table_align()) + table_bytes(n);
    let figures: Vec<(usize, usize, usize)> = temp
        .rounds
        .iter()
        .map(|r| {
            (
                r.buffers[0].bytes_in_use,
                r.buffers[1].bytes_in_use,
                r.buffers[1].peak_bytes,
            )
        })
        .collect();
    let set = table_bytes(n);
    assert_eq!(
        figures,
        [
            (main, 0, 0),
            (main, set, set),
            (main, set, set),
            (main, set, set)
        ]
    );
}

#[test]
fn reuse_holds_two_sets_in_main_from_round_0_and_never_allocates_again() {
    use crate::common::{RunOptions, run_strategy};
    use day23::engine::{Limits, Snapshot};
    use day23::report::RoundStats;
    for file in ["example.txt", "gen-70x70-d50-s1.txt"] {
        let input = read(file);
        for cells in [CellKind::HashSet, CellKind::ZigMap] {
            // Leaky's round 1 holds the input, the first set and one more:
            // reuse's round 0, and every round after it.
            let leaky = record_cells(StrategyKind::Leaky, cells, &input, 4 << 20, Some(1), false);
            let two_sets = leaky.rounds[1].bytes_in_use;
            let mut rounds: Vec<RoundStats> = Vec::new();
            let mut blocks = Vec::new();
            let mut observer = |stats: &RoundStats, snapshot: &dyn Snapshot| {
                rounds.push(stats.clone());
                blocks.push(snapshot.layouts()[0].blocks.clone());
            };
            let options = RunOptions {
                buffer_size: 4 << 20,
                limits: Limits::default(),
                trace: false,
                cells,
                allocator: AllocatorKind::Zig,
            };
            let outcome =
                run_strategy(StrategyKind::Reuse, &input, &options, &mut observer).unwrap();
            assert!(outcome.result.is_ok(), "{file} {cells:?}");
            let what = format!("{file} {cells:?}");
            assert_eq!(rounds[0].bytes_in_use, two_sets, "{what}");
            // Both sets live; the input dead below them.
            let set = leaky.rounds[1].bytes_in_use - leaky.rounds[0].bytes_in_use;
            for (r, (stats, b)) in rounds.iter().zip(&blocks).enumerate() {
                assert_eq!(stats.bytes_in_use, two_sets, "{what} round {r}");
                assert_eq!(stats.peak_bytes, two_sets, "{what} round {r}");
                assert_eq!(stats.live_bytes, 2 * set, "{what} round {r}");
                // The same three blocks, ids and offsets, every round: nothing
                // allocated or freed after round 0.
                assert_eq!(b, &blocks[0], "{what} round {r}");
            }
            let labels: Vec<(&str, bool)> = blocks[0].iter().map(|b| (b.label, b.live)).collect();
            assert_eq!(
                labels,
                [("input", false), ("set", true), ("set", true)],
                "{what}"
            );
        }
    }
}

#[test]
fn tempcopy_leaves_exactly_one_set_in_temp_at_the_end_of_every_round() {
    let input = read("gen-40x90-d30-s3.txt");
    for cells in CELLS {
        let run = record_cells(
            StrategyKind::TempCopy,
            cells,
            &input,
            4 << 20,
            Some(40),
            false,
        );
        assert_eq!(run.rounds[0].buffers[1].bytes_in_use, 0, "{cells:?}");
        for r in &run.rounds[1..] {
            let temp = &r.buffers[1];
            // One live block from the start of the buffer: the round's new set.
            assert!(temp.bytes_in_use > 0, "{cells:?} round {}", r.round);
            assert_eq!(
                temp.live_bytes, temp.bytes_in_use,
                "{cells:?} round {}",
                r.round
            );
            assert_eq!(
                temp.peak_bytes, temp.bytes_in_use,
                "{cells:?} round {}",
                r.round
            );
        }
    }
    // The hash tables' set is the same every round: the write-up's
    // `new_cells memuse`, 36,888 bytes for its Zig map of 2457 elves.
    let input = read("gen-70x70-d50-s1.txt");
    let zig = record_cells(
        StrategyKind::TempCopy,
        CellKind::ZigMap,
        &input,
        4 << 20,
        Some(12),
        false,
    );
    assert!(
        zig.rounds[1..]
            .iter()
            .all(|r| r.buffers[1].bytes_in_use == 36_888)
    );
    assert!(
        zig.rounds
            .iter()
            .all(|r| r.buffers[0].bytes_in_use == 41_864)
    );
}

#[test]
fn zig_map_figures_are_the_write_ups() {
    // 4970 input bytes, padding to 8, then one table of 24 + 9 * 4096 bytes
    // per round: `Round 0 memuse: 41864`, `Round 1 memuse: 78752`, ...
    let input = read("gen-70x70-d50-s1.txt");
    assert_eq!(input.len(), 4970);
    let run = record_cells(
        StrategyKind::Leaky,
        CellKind::ZigMap,
        &input,
        4 << 20,
        Some(9),
        false,
    );
    let figures: Vec<usize> = run.rounds.iter().map(|r| r.bytes_in_use).collect();
    assert_eq!(
        figures,
        [
            41_864, 78_752, 115_640, 152_528, 189_416, 226_304, 263_192, 300_080, 336_968, 373_856
        ]
    );
    let table = day23::cells::zigmap::ZigMap::try_with_room_in(2457, day23::alloc::Global).unwrap();
    assert_eq!((table.capacity(), table.allocation_bytes()), (4096, 36_888));
    // hashbrown's table of the same elves has the same 4,096 slots of 9
    // bytes and one control group where Zig has its 24-byte header: 36,880
    // bytes on x86-64 (a 16-byte group), 36,872 on aarch64 (8 bytes).
    let set = try_new_set_in(2457, day23::alloc::Global).unwrap();
    assert_eq!(set.allocation_size(), 36_888 - 24 + HASHBROWN_GROUP_WIDTH);
}

#[test]
fn pingpong_buffers_take_turns() {
    let input = read("example.txt");
    let ExampleBytes { input: padded, set } = example_bytes();
    let run = record(StrategyKind::PingPong, &input, 1 << 16, Some(4), false);
    let figures: Vec<(usize, usize)> = run
        .rounds
        .iter()
        .map(|r| (r.buffers[0].bytes_in_use, r.buffers[1].bytes_in_use))
        .collect();
    // `a` keeps the dead input (56 bytes, and 8 of padding on x86-64) below
    // its sets.
    assert_eq!(
        figures,
        [
            (padded + set, 0),
            (padded, set),
            (padded + set, 0),
            (padded, set),
            (padded + set, 0)
        ]
    );
}

#[test]
fn filling_the_new_set_allocates_nothing_beyond_its_reservation() {
    // The write-up's claim: end_index after filling equals end_index after reserving.
    let input = read("gen-70x70-d50-s1.txt");
    let elves = parse(&input).unwrap();
    let mut buf = vec![MaybeUninit::<u8>::uninit(); 1 << 20];
    let fba = FixedBufferAllocator::new(&mut buf);
    let mut set = try_new_set_in(elves.len(), &fba).unwrap();
    set.extend(elves.points());
    for round in 1..=5 {
        let mut next = try_new_set_in(elves.len(), &fba).unwrap();
        let reserved = fba.end_index();
        step(&set, &mut next, round);
        assert_eq!(fba.end_index(), reserved, "round {round}");
        assert_eq!(next.len(), elves.len());
        set = next;
    }
}

#[test]
fn round_0_includes_the_input_unless_it_is_kept_on_the_heap() {
    use crate::common::{RunOptions, run_strategy};
    use day23::engine::Limits;
    let input = read("example.txt");
    let mut first = None;
    let options = RunOptions {
        buffer_size: 1 << 16,
        limits: Limits {
            max_rounds: Some(0),
            input_in_buffer: false,
        },
        trace: false,
        cells: day23::cells::CellKind::HashSet,
        allocator: AllocatorKind::Zig,
    };
    let mut observer = |s: &day23::report::RoundStats, _: &dyn day23::engine::Snapshot| {
        first.get_or_insert(s.bytes_in_use);
    };
    run_strategy(StrategyKind::Leaky, &input, &options, &mut observer).unwrap();
    assert_eq!(first, Some(table_bytes(22)));
}

#[test]
fn out_of_memory_names_the_round_and_keeps_part1() {
    let input = read("example.txt");
    let ExampleBytes { input: padded, set } = example_bytes();
    // Room for round 0 and exactly 12 more sets.
    let size = padded + set * 13;
    let run = record(StrategyKind::Leaky, &input, size, None, false);
    let err = run.answers.unwrap_err();
    let day23::error::SolveError::OutOfMemory { error, reached } = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (error.round, error.buffer, error.requested, error.in_use),
        (13, "main", set, size)
    );
    assert_eq!(reached.part1, Some(110));
    assert_eq!(reached.part2, None);
    assert_eq!(run.rounds.len(), 13);
    let _ = ALL;
}

#[test]
fn bitgrid_figures_follow_the_grid_formula() {
    use day23::alloc::Global;
    use day23::cells::CellKind;
    use day23::cells::bitgrid::{BitGrid, Scratch};
    use day23::sim::first_direction;

    // Each generation's block is width_words * height * 8 bytes (8-aligned,
    // so no padding): leaky's figures grow by exactly that every round.
    let input = read("example.txt");
    let elves = parse(&input).unwrap();
    let mut grid = BitGrid::try_from_points_in(elves.points(), Global).unwrap();
    let mut sizes = vec![BitGrid::<Global>::bytes_for(grid.dims()).unwrap()];
    let mut scratch = Scratch::default();
    for round in 1..=20 {
        grid = grid
            .try_step_in(first_direction(round), Global, &mut scratch)
            .unwrap()
            .0;
        let dims = grid.dims();
        assert_eq!(
            BitGrid::<Global>::bytes_for(dims),
            Some(dims.width_words * dims.height * 8)
        );
        sizes.push(dims.width_words * dims.height * 8);
    }
    let run = crate::common::record_cells(
        StrategyKind::Leaky,
        CellKind::BitGrid,
        &input,
        1 << 16,
        None,
        false,
    );
    assert_eq!(run.rounds[0].bytes_in_use, 56 + sizes[0]);
    for (r, pair) in run.rounds.windows(2).enumerate() {
        assert_eq!(
            pair[1].bytes_in_use - pair[0].bytes_in_use,
            sizes[r + 1],
            "round {}",
            r + 1
        );
    }
    // pingpong: each round's buffer holds just that round's grid (plus the dead input in `a`).
    let run = crate::common::record_cells(
        StrategyKind::PingPong,
        CellKind::BitGrid,
        &input,
        1 << 16,
        None,
        false,
    );
    for stats in &run.rounds {
        let (a, b) = (stats.buffers[0].bytes_in_use, stats.buffers[1].bytes_in_use);
        let expected = if stats.round % 2 == 0 {
            (56 + sizes[stats.round], 0)
        } else {
            (56, sizes[stats.round])
        };
        assert_eq!((a, b), expected, "round {}", stats.round);
    }
    // heap: live bytes are the current grid.
    let run = crate::common::record_cells(
        StrategyKind::Heap,
        CellKind::BitGrid,
        &input,
        0,
        None,
        false,
    );
    assert!(run.rounds.iter().all(|s| s.bytes_in_use == sizes[s.round]));
}
