//! # The floor under a hash-set round
//!
//! Run it with `cargo bench --bench floor` (about 10 s once built). It answers one
//! question: how much of a hash-set round is the table work the rules
//! require (eight probes per elf, one insert per elf), and how much of that
//! is branch misprediction.
//!
//! It replays `inputs/gen-70x70-d50-s1.txt` to the end (969 rounds) with
//! [`step`] and keeps every state. Then, for each operation below and each
//! state, it copies the state into one reused table, so the table is in the
//! cache as it is in the CLI, and times the operation alone; a pass is the
//! sum over all states. It prints min / median / max over 7 passes.
//!
//! * `round`: the real round: reserve the next set in a fixed buffer, then
//!   [`step`].
//! * `masks`: [`neighbour_mask`] of every elf, and nothing else.
//! * `inserts`: reserve the next set, then insert every elf unmoved.
//! * `iterate`: walk the set.
//!
//! Each is timed twice. **Cold**: as in a real run, where each round's
//! branches are new to the predictor. **Trained**: the same operation on the
//! same state has just run once, untimed, so the branch predictor has seen
//! this round's branches. The trained figure is a best case no change to the
//! code can beat by removing mispredictions; the difference is what they cost.
//!
//! The CLI adds process start, the stack frame, the input and exit to
//! `round`: `benches/run.sh` times the whole process.

use core::mem::MaybeUninit;
use std::hint::black_box;
use std::time::{Duration, Instant};

use day23::alloc::{FixedBufferAllocator, Global};
use day23::grid::parse;
use day23::sim::{ElfSet, neighbour_mask, step, try_new_set_in};

const INPUT: &[u8] = include_bytes!("../inputs/gen-70x70-d50-s1.txt");

/// Passes per measurement; the median is the 4th.
const PASSES: usize = 7;

/// Every state from the input to the round where nobody moves, each paired
/// with the round that is played from it (1-based).
fn states() -> Vec<(usize, ElfSet<Global>)> {
    let elves = parse(INPUT).expect("the bundled input parses");
    let mut set = try_new_set_in(elves.len(), Global).expect("heap");
    set.extend(elves.points());
    let mut states = vec![];
    for round in 1.. {
        let mut next = try_new_set_in(set.len(), Global).expect("heap");
        let moved = step(&set, &mut next, round);
        states.push((round, std::mem::replace(&mut set, next)));
        if moved == 0 {
            break;
        }
    }
    states
}

/// One timed operation on a state: the elves and the round played from them,
/// and a fixed buffer for the next set. Returns a value to keep it alive.
type Operation = fn(&ElfSet<Global>, usize, &mut [MaybeUninit<u8>]) -> u64;

fn round(elves: &ElfSet<Global>, round: usize, buf: &mut [MaybeUninit<u8>]) -> u64 {
    let fba = FixedBufferAllocator::new(buf);
    let mut next = try_new_set_in(elves.len(), &fba).expect("the buffer holds a set");
    step(elves, &mut next, round) as u64
}

fn masks(elves: &ElfSet<Global>, _: usize, _: &mut [MaybeUninit<u8>]) -> u64 {
    elves
        .iter()
        .map(|&p| u64::from(neighbour_mask(elves, p)))
        .sum()
}

fn inserts(elves: &ElfSet<Global>, _: usize, buf: &mut [MaybeUninit<u8>]) -> u64 {
    let fba = FixedBufferAllocator::new(buf);
    let mut next = try_new_set_in(elves.len(), &fba).expect("the buffer holds a set");
    for &p in elves {
        next.insert(p);
    }
    next.len() as u64
}

fn iterate(elves: &ElfSet<Global>, _: usize, _: &mut [MaybeUninit<u8>]) -> u64 {
    elves.iter().map(|p| u64::from(p.x as u32)).sum()
}

/// One pass: the sum over all states of the time `operation` takes on a
/// cached copy of the state, after an untimed run on it if `trained`.
fn pass(states: &[(usize, ElfSet<Global>)], operation: Operation, trained: bool) -> Duration {
    let mut buf = vec![MaybeUninit::uninit(); 1 << 20];
    let mut hot = try_new_set_in(states[0].1.len(), Global).expect("heap");
    let mut total = Duration::ZERO;
    for (r, state) in states {
        hot.clone_from(state);
        if trained {
            black_box(operation(&hot, *r, &mut buf));
        }
        let start = Instant::now();
        black_box(operation(black_box(&hot), *r, &mut buf));
        total += start.elapsed();
    }
    total
}

fn main() {
    // `cargo test --benches` runs this with `--bench` absent; stay quick then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let states = states();
    let elf_rounds: usize = states.iter().map(|(_, s)| s.len()).sum();
    println!(
        "inputs/gen-70x70-d50-s1.txt: {} rounds, {elf_rounds} elf-rounds; {PASSES} passes each",
        states.len()
    );
    println!(
        "{:<10} {:<8} {:>10} {:>10} {:>10} {:>12}",
        "operation", "branches", "min ms", "median ms", "max ms", "ns/elf-round"
    );
    let operations: [(&str, Operation); 4] = [
        ("round", round),
        ("masks", masks),
        ("inserts", inserts),
        ("iterate", iterate),
    ];
    for (name, operation) in operations {
        for trained in [false, true] {
            let mut times: Vec<Duration> = (0..PASSES)
                .map(|_| pass(&states, operation, trained))
                .collect();
            times.sort();
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            let median = times[PASSES / 2];
            println!(
                "{name:<10} {:<8} {:>10.1} {:>10.1} {:>10.1} {:>12.1}",
                if trained { "trained" } else { "cold" },
                ms(times[0]),
                ms(median),
                ms(times[PASSES - 1]),
                median.as_secs_f64() * 1e9 / elf_rounds as f64,
            );
        }
    }
}
