//! # The benchmark suite: parse, one round, a full solve per strategy
//!
//! Run it with `cargo bench --bench solve` (2m18s and 3m11s in two runs on
//! the shared two-core machine); pass a filter to run part of it, e.g.
//! `cargo bench --bench solve -- solve/70x70`.
//!
//! Inputs: `inputs/gen-70x70-d50-s1.txt` (2457 elves, part 2 at round 969)
//! and `inputs/gen-150x150-d50-s4.txt` (11185 elves, round 2637).
//!
//! * `parse/<input>`: validating and counting, then walking the points.
//! * `round/<input>/<r>`: one round as the driver plays it: reserve the new
//!   set in a fixed buffer, [`step`], drop it. Round 1 starts from the input,
//!   round 500 from the state after 499 rounds (sparser, fewer movers).
//! * `round/<input>-zigmap/<r>`, `round/<input>-bitgrid/<r>`: the same round
//!   with the Zig map and with the bit grid.
//! * `solve/<input>-<cells>/<strategy>`: [`StrategyKind::solve`] until both answers, with the
//!   strategy's buffers on the heap (allocated once, outside the timing) and
//!   the input copied into the home buffer, as the CLI does. The CLI's own
//!   costs (a thread whose stack holds the buffers, reading the file, output)
//!   are timed by `benches/run.sh`, not here.
//!   `leaky` never reclaims a set, so it gets 256 MiB for 70x70 and 512 MiB
//!   for 150x150 (it needs 35.8 MB and 389 MB).

use core::mem::MaybeUninit;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use day23::alloc::{FixedBufferAllocator, Global};
use day23::cells::CellKind;
use day23::cells::bitgrid::{BitGrid, Scratch};
use day23::cells::zigmap::ZigMap;
use day23::engine::Limits;
use day23::grid::parse;
use day23::sim::{ElfSet, PointSet, PointSink, first_direction, step, try_new_set_in};
use day23::strategy::StrategyKind;

/// The benchmarked inputs: a name and the bytes.
const INPUTS: [(&str, &[u8]); 2] = [
    ("70x70", include_bytes!("../inputs/gen-70x70-d50-s1.txt")),
    (
        "150x150",
        include_bytes!("../inputs/gen-150x150-d50-s4.txt"),
    ),
];

/// Bytes of each buffer of the two-buffer strategies (the CLI's default).
const BUFFER_BYTES: usize = 4 << 20;

/// A heap buffer for a [`FixedBufferAllocator`], never touched before use.
fn buffer(bytes: usize) -> Vec<MaybeUninit<u8>> {
    let mut buf = Vec::with_capacity(bytes);
    buf.resize(bytes, MaybeUninit::uninit());
    buf
}

/// The elves after `rounds` rounds, in a heap set.
fn state_after(input: &[u8], rounds: usize) -> ElfSet<Global> {
    let parsed = parse(input).expect("bundled inputs parse");
    let mut set = try_new_set_in(parsed.len(), Global).expect("heap");
    set.extend(parsed.points());
    for round in 1..=rounds {
        let mut next = try_new_set_in(set.len(), Global).expect("heap");
        step(&set, &mut next, round);
        set = next;
    }
    set
}

fn bench_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(2));
    for (name, input) in INPUTS {
        group.bench_function(name, |b| {
            b.iter(|| {
                let elves = parse(black_box(input)).expect("bundled inputs parse");
                elves
                    .points()
                    .fold(0i64, |acc, p| acc + i64::from(p.x ^ p.y))
            });
        });
    }
    group.finish();
}

fn bench_round(c: &mut Criterion) {
    let mut group = c.benchmark_group("round");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(2));
    for (name, input) in INPUTS {
        for round in [1, 500] {
            let elves = state_after(input, round - 1);
            let mut buf = buffer(BUFFER_BYTES);
            group.bench_with_input(BenchmarkId::new(name, round), &round, |b, &round| {
                b.iter(|| {
                    let fba = FixedBufferAllocator::new(&mut buf);
                    let mut next = try_new_set_in(elves.len(), &fba).expect("4 MiB holds a set");
                    step(black_box(&elves), &mut next, round)
                });
            });
            let mut map = ZigMap::try_with_room_in(elves.len(), Global).expect("heap");
            elves.iter().for_each(|&p| map.insert(p));
            let id = BenchmarkId::new(format!("{name}-zigmap"), round);
            group.bench_with_input(id, &round, |b, &round| {
                b.iter(|| {
                    let fba = FixedBufferAllocator::new(&mut buf);
                    let mut next =
                        ZigMap::try_with_room_in(map.len(), &fba).expect("4 MiB holds a map");
                    step(black_box(&map), &mut next, round)
                });
            });
            let grid = BitGrid::try_from_points_in(elves.iter().copied(), Global).expect("heap");
            let id = BenchmarkId::new(format!("{name}-bitgrid"), round);
            // A run's scratch, made once (as the driver does).
            let mut scratch = Scratch::default();
            group.bench_with_input(id, &round, |b, &round| {
                b.iter(|| {
                    let fba = FixedBufferAllocator::new(&mut buf);
                    let (next, moved) = black_box(&grid)
                        .try_step_in(first_direction(round), &fba, &mut scratch)
                        .expect("4 MiB holds a grid");
                    (next.len(), moved)
                });
            });
        }
    }
    group.finish();
}

/// Solves `input` under `strategy` with `cells`; panics unless both answers
/// are found.
/// Solves `input` with `kind`, its buffers `bufs` in the order it asks.
fn run(
    kind: StrategyKind,
    bufs: &mut [Vec<MaybeUninit<u8>>],
    cells: CellKind,
    input: &[u8],
) -> (u64, usize) {
    let mut bufs = bufs.iter_mut();
    let fba = |name| FixedBufferAllocator::new(bufs.next().expect("a buffer")).with_name(name);
    let answers = kind
        .solve(fba, cells, input, &Limits::default(), &mut ())
        .expect("solves");
    (
        answers.part1.expect("part 1"),
        answers.part2.expect("part 2"),
    )
}

fn bench_solve(c: &mut Criterion) {
    let mut group = c.benchmark_group("solve");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for ((name, input), cells) in INPUTS
        .into_iter()
        .flat_map(|i| CellKind::ALL.map(|c| (i, c)))
    {
        // leaky never reclaims a set: it gets one large buffer.
        let leaky_bytes = if name == "70x70" {
            256 << 20
        } else {
            512 << 20
        };
        let name = format!("{name}-{}", cells.name());
        for kind in [
            StrategyKind::Leaky,
            StrategyKind::TempCopy,
            StrategyKind::PingPong,
            StrategyKind::Heap,
        ] {
            let bytes = match kind {
                StrategyKind::Leaky => leaky_bytes,
                _ => BUFFER_BYTES,
            };
            let mut bufs: Vec<_> = kind.buffers().iter().map(|_| buffer(bytes)).collect();
            group.bench_function(BenchmarkId::new(&name, kind.name()), |bench| {
                bench.iter(|| run(kind, &mut bufs, cells, input));
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_parse, bench_round, bench_solve);
criterion_main!(benches);
