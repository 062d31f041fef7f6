//! The out-of-memory sweep: every strategy, buffer sizes from 0 up to the one
//! that finishes. At every size the run either finishes with the answers and
//! exactly the figures of a run with a large buffer, or stops with
//! `SolveError::OutOfMemory` in the first round whose reported peak exceeds
//! the size, having reported every round before it unchanged. So the smallest
//! size that finishes is the largest `peak_bytes` the tool reports (over
//! rounds and buffers: two-buffer strategies get two buffers of that size).
//!
//! The run with a large buffer goes through `cli::stack::run_on_stack`, the
//! binary's own path (buffers on a new thread's stack, 64-byte aligned). The
//! sweep's other runs, thousands of them, share one such thread: its
//! stack holds two buffers of [`FULL`] bytes, and each run gets the first
//! `size` bytes of each, so the allocator sees exactly `size` bytes at a
//! 64-byte aligned start, as `run_on_stack` would give it. A thread per run
//! would cost more than the run under qemu-user, which keeps about 280 KB of
//! host memory for every guest thread that ever ran (measured with 7.2,
//! Debian 12's; a thread per run took the bit grid sweep's 79,000 runs past
//! 20 GB), and the figures cannot tell the two apart: every size that
//! finishes must report exactly the `run_on_stack` run's figures.

use core::mem::MaybeUninit;
use std::collections::BTreeMap;

use crate::common::{ExampleBytes, RunOptions, example_bytes, run_strategy};
use day23::alloc::AllocatorKind;
use day23::alloc::stack::with_stack_buffers;
use day23::cells::CellKind;
use day23::engine::{Limits, PART1_ROUNDS, Snapshot};
use day23::error::SolveError;
use day23::report::{Answers, RoundStats};
use day23::session::{Plan, Settings, run_in};
use day23::strategy::StrategyKind;

use crate::common::read;

/// What one run reported.
#[derive(Debug)]
struct Outcome {
    result: Result<Answers, SolveError>,
    rounds: Vec<RoundStats>,
}

/// The buffer size of the run every other run of a sweep is checked against,
/// and the upper end of its binary search.
const FULL: usize = 1 << 20;

/// The settings of one run of `kind` with buffers of `size` bytes.
fn settings(kind: StrategyKind, cells: CellKind, size: usize, input_in_buffer: bool) -> Settings {
    Settings {
        strategies: vec![kind],
        cells: vec![cells],
        allocators: vec![AllocatorKind::Zig],
        buffer_size: size,
        limits: Limits {
            max_rounds: None,
            input_in_buffer,
        },
        trace: false,
    }
}

/// Runs `kind` as the binary does, on a thread of its own whose stack holds
/// its buffers of `size` bytes.
fn run(
    kind: StrategyKind,
    cells: CellKind,
    input: &[u8],
    size: usize,
    input_in_buffer: bool,
) -> Outcome {
    let options = RunOptions {
        buffer_size: size,
        limits: Limits {
            max_rounds: None,
            input_in_buffer,
        },
        trace: false,
        cells,
        allocator: AllocatorKind::Zig,
    };
    let mut rounds = Vec::new();
    let mut observer = |stats: &RoundStats, _: &dyn Snapshot| rounds.push(stats.clone());
    let result = run_strategy(kind, input, &options, &mut observer)
        .unwrap()
        .result;
    Outcome { result, rounds }
}

/// Runs with buffers cut from [`FULL`]-byte buffers on one thread's stack
/// (see the module's doc).
struct Runner<'a, 'b> {
    bufs: &'a mut [&'b mut [MaybeUninit<u8>]],
    kind: StrategyKind,
    cells: CellKind,
    input: &'a [u8],
    in_buffer: bool,
}

impl Runner<'_, '_> {
    /// Runs with buffers of `size` bytes, the first `size` of the stack's.
    fn run(&mut self, size: usize) -> Outcome {
        let plan = Plan::new(
            "input",
            &settings(self.kind, self.cells, size, self.in_buffer),
        )
        .expect("a plan of one run");
        let run = &plan.runs[0];
        let sizes = plan.buffers(run);
        assert!(sizes.len() <= self.bufs.len() && size <= FULL);
        let bufs = self
            .bufs
            .iter_mut()
            .zip(sizes)
            .map(|(buf, len)| &mut buf[..len])
            .collect();
        let mut rounds = Vec::new();
        let mut observer = |stats: &RoundStats, _: &dyn Snapshot| rounds.push(stats.clone());
        let result = run_in(&plan, run, self.input, &mut observer, bufs).result;
        Outcome { result, rounds }
    }
}

/// The largest `peak_bytes` of any buffer in `round`.
fn round_peak(round: &RoundStats) -> usize {
    round.buffers.iter().map(|b| b.peak_bytes).max().unwrap()
}

/// Checks the run at `size` against `full`, the run with a large buffer.
/// Returns whether it finished.
fn check_size(runner: &mut Runner<'_, '_>, size: usize, full: &Outcome) -> bool {
    let got = runner.run(size);
    let (kind, cells, input, in_buffer) =
        (runner.kind, runner.cells, runner.input, runner.in_buffer);
    let answers = full.result.clone().unwrap();
    let failing = full.rounds.iter().position(|r| round_peak(r) > size);
    let at = format!("{kind:?}/{cells:?} at {size} bytes (input in buffer: {in_buffer})");
    for round in &got.rounds {
        for b in &round.buffers {
            assert!(
                b.peak_bytes <= size,
                "{at}: round {} reported {b:?}",
                round.round
            );
        }
    }
    match (failing, got.result) {
        (None, Ok(got_answers)) => {
            assert_eq!(got_answers, answers, "{at}");
            assert_eq!(
                got.rounds, full.rounds,
                "{at}: figures must not depend on the size"
            );
            true
        }
        (Some(r), Err(SolveError::OutOfMemory { error, reached })) => {
            assert_eq!(error.round, r, "{at}: {error}");
            assert_eq!(
                got.rounds[..],
                full.rounds[..r],
                "{at}: rounds before the failure"
            );
            let known_after = r.saturating_sub(1);
            let expected = Answers {
                part1: answers.part1.filter(|_| known_after >= PART1_ROUNDS),
                part2: answers.part2.filter(|&p| p <= known_after),
            };
            assert_eq!(reached, expected, "{at}: answers reached");
            assert_eq!(error.capacity, size, "{at}");
            let needed = error.in_use + error.padding + error.requested;
            assert!(needed > size, "{at}: the failed request fits: {error}");
            let buffer = full.rounds[r]
                .buffers
                .iter()
                .find(|b| b.name == error.buffer)
                .unwrap();
            assert!(
                needed <= buffer.peak_bytes,
                "{at}: needs {needed}, more than the round's peak in '{}': {error}",
                error.buffer
            );
            if error.what == "the input" {
                assert!(r == 0 && in_buffer, "{at}: {error}");
                assert_eq!((error.in_use, error.requested), (0, input.len()), "{at}");
            } else {
                // reuse's spare, in round 0, is named as such.
                let what: &[&str] = match cells {
                    CellKind::HashSet => &["the elf set", "the spare elf set"],
                    CellKind::ZigMap => &["the Zig map", "the spare Zig map"],
                    // tempcopy grows main's grid in place to copy a larger one back.
                    CellKind::BitGrid => &[
                        "the bit grid",
                        "more room for the bit grid's copy back",
                        "the spare bit grid",
                    ],
                };
                assert!(what.contains(&error.what), "{at}: {error}");
            }
            false
        }
        (failing, result) => panic!("{at}: predicted failure in round {failing:?}, got {result:?}"),
    }
}

/// Sweeps `kind` on `input`; returns the smallest finishing size.
///
/// Every size up to the boundary when `exhaustive`; otherwise every size up
/// to 512, one just below, at and above each distinct round peak, every
/// 97th size, and a binary search for the smallest finishing size.
fn sweep(
    kind: StrategyKind,
    cells: CellKind,
    input: &[u8],
    in_buffer: bool,
    exhaustive: bool,
) -> usize {
    let full = run(kind, cells, input, FULL, in_buffer);
    assert!(full.result.is_ok(), "{kind:?}: 1 MiB must suffice");
    let smallest = full.rounds.iter().map(round_peak).max().unwrap();
    let mut sizes: Vec<usize> = if exhaustive {
        (0..=smallest + 1).collect()
    } else {
        let boundaries = full
            .rounds
            .iter()
            .map(round_peak)
            .flat_map(|p| [p - 1, p, p + 1]);
        (0..=512)
            .chain((0..smallest).step_by(97))
            .chain(boundaries)
            .collect()
    };
    sizes.sort_unstable();
    sizes.dedup();
    let searched = with_stack_buffers(&[FULL, FULL], |mut bufs| {
        let mut runner = Runner {
            bufs: &mut bufs,
            kind,
            cells,
            input,
            in_buffer,
        };
        let finished: BTreeMap<usize, bool> = sizes
            .iter()
            .map(|&size| (size, check_size(&mut runner, size, &full)))
            .collect();
        // Finishing is monotone in the size, and starts exactly at the largest peak.
        assert!(
            finished.values().is_sorted(),
            "{kind:?}: a larger buffer failed"
        );
        assert_eq!(
            finished.iter().find(|e| *e.1).map(|e| *e.0),
            Some(smallest),
            "{kind:?}"
        );
        // A binary search over real runs lands on the same size.
        let (mut lo, mut hi) = (0, FULL);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if runner.run(mid).result.is_ok() {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    })
    .unwrap();
    assert_eq!(searched, smallest, "{kind:?}: binary search");
    smallest
}

const BUFFERED: [StrategyKind; 4] = [
    StrategyKind::Leaky,
    StrategyKind::TempCopy,
    StrategyKind::PingPong,
    StrategyKind::Reuse,
];

/// Sweeps every size for each buffered strategy on the larger example, with
/// the input in the buffer and on the heap; returns the smallest finishing
/// sizes.
fn sweep_example(cells: CellKind) -> Vec<(StrategyKind, bool, usize)> {
    let input = read("example.txt");
    BUFFERED
        .iter()
        .flat_map(|&kind| [true, false].map(|in_buffer| (kind, in_buffer)))
        .map(|(kind, in_buffer)| (kind, in_buffer, sweep(kind, cells, &input, in_buffer, true)))
        .collect()
}

#[test]
fn example_every_size_fails_cleanly_until_the_reported_peak_then_finishes() {
    let found = sweep_example(CellKind::HashSet);
    // 22 elves: a table of `set` bytes (304 on x86-64, 296 on aarch64); the 56
    // input bytes padded to its alignment (64, 56) sit below the first one.
    // Leaky adds one table per round for 20 rounds.
    let ExampleBytes { input, set } = example_bytes();
    assert_eq!(
        found,
        [
            (StrategyKind::Leaky, true, input + 21 * set),
            (StrategyKind::Leaky, false, 21 * set),
            (StrategyKind::TempCopy, true, input + set),
            (StrategyKind::TempCopy, false, set),
            (StrategyKind::PingPong, true, input + set),
            (StrategyKind::PingPong, false, set),
            // The set and the spare, from round 0 on.
            (StrategyKind::Reuse, true, input + 2 * set),
            (StrategyKind::Reuse, false, 2 * set),
        ]
    );
}

#[test]
fn generated_grid_fails_cleanly_until_the_reported_peak_then_finishes() {
    let input = day23::generate::generate(12, 12, 0.5, 1);
    for kind in BUFFERED {
        let exhaustive = kind != StrategyKind::Leaky;
        sweep(kind, CellKind::HashSet, &input, true, exhaustive);
    }
}

#[test]
fn bit_grid_fails_cleanly_until_the_reported_peak_then_finishes() {
    for input in [
        read("example.txt"),
        day23::generate::generate(12, 12, 0.5, 1),
    ] {
        for kind in BUFFERED {
            for in_buffer in [true, false] {
                sweep(kind, CellKind::BitGrid, &input, in_buffer, true);
            }
        }
    }
}

#[test]
fn zig_map_fails_cleanly_until_the_reported_peak_then_finishes() {
    let found = sweep_example(CellKind::ZigMap);
    // 22 elves: Zig's capacity 32, a table of 24 + 9 * 32 = 312 bytes, 8-byte
    // aligned; the 56 input bytes need no padding.
    assert_eq!(
        found,
        [
            (StrategyKind::Leaky, true, 56 + 21 * 312),
            (StrategyKind::Leaky, false, 21 * 312),
            (StrategyKind::TempCopy, true, 56 + 312),
            (StrategyKind::TempCopy, false, 312),
            (StrategyKind::PingPong, true, 56 + 312),
            (StrategyKind::PingPong, false, 312),
            (StrategyKind::Reuse, true, 56 + 2 * 312),
            (StrategyKind::Reuse, false, 2 * 312),
        ]
    );
    let generated = day23::generate::generate(12, 12, 0.5, 1);
    for kind in BUFFERED {
        sweep(
            kind,
            CellKind::ZigMap,
            &generated,
            true,
            kind != StrategyKind::Leaky,
        );
    }
}

#[test]
fn heap_ignores_the_buffer_size() {
    for input in [
        read("example.txt"),
        day23::generate::generate(12, 12, 0.5, 1),
    ] {
        let full = run(StrategyKind::Heap, CellKind::HashSet, &input, 1 << 20, true);
        assert!(full.result.is_ok());
        for size in [0, 1, 63, 64, 4096] {
            let got = run(StrategyKind::Heap, CellKind::HashSet, &input, size, true);
            assert_eq!(got.result, full.result, "heap at {size} bytes");
            assert_eq!(got.rounds, full.rounds, "heap at {size} bytes");
        }
    }
}
