//! `--layout phases` and the engine's phase events: each round's `start`,
//! `alloc` and `swap` moments, drawn from the allocator's block list, agree
//! with the round figures the engine reports.

use crate::common::{RunOptions, run_strategy};
use day23::alloc::AllocatorKind;
use day23::cells::CellKind;
use day23::engine::{Limits, Observer, Phase, Snapshot};
use day23::report::{BufferLayout, RoundStats};
use day23::strategy::StrategyKind;

use crate::common::{ALL, CELLS, day23, read};

fn stdout(args: &[&str]) -> String {
    let out = day23().args(args).assert().success().get_output().clone();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn phases_draw_leakys_new_set_above_the_old_one_that_never_comes_back() {
    // --cells zigmap: the same picture on every platform (the hash set's
    // bytes follow hashbrown's group width, 16 on x86-64 and 8 on aarch64).
    let out = stdout(&[
        "-c",
        "zigmap",
        "-i",
        "inputs/example.txt",
        "-s",
        "leaky",
        "--layout",
        "phases",
        "--max-rounds",
        "3",
    ]);
    insta::assert_snapshot!(out, @r"
    Layout: i input (dead after parsing)  # live set  x dead set (freed, not
            reclaimed)  ' padding  . free
    Phases: start (the round begins)  alloc (new set filled, old set still live: the
            peak)  swap (old set freed; tempcopy: copy, the new set copied back).
            Bars span the round's peak; the figures are the whole buffer's
    Round 0 memuse: 368
          main [iiiiiii####################################]       368 / 4,194,304 B
    Round 1 memuse: 680
    start main [iiii####################...................]       368 / 4,194,304 B
    alloc main [iiii#######################################]       680 / 4,194,304 B
     swap main [iiiixxxxxxxxxxxxxxxxxxx####################]       680 / 4,194,304 B
    Round 2 memuse: 992
    start main [iixxxxxxxxxxxxxx##############.............]       680 / 4,194,304 B
    alloc main [iixxxxxxxxxxxxxx###########################]       992 / 4,194,304 B
     swap main [iixxxxxxxxxxxxxxxxxxxxxxxxxxx##############]       992 / 4,194,304 B
    Round 3 memuse: 1304
    start main [iixxxxxxxxxxxxxxxxxxxx###########..........]       992 / 4,194,304 B
    alloc main [iixxxxxxxxxxxxxxxxxxxx#####################]     1,304 / 4,194,304 B
     swap main [iixxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx##########]     1,304 / 4,194,304 B
    ");
}

#[test]
fn phases_show_tempcopys_set_in_temp_and_the_copy_back() {
    let out = stdout(&[
        "-i",
        "inputs/example.txt",
        "-s",
        "tempcopy",
        "-b",
        "1000",
        "--layout",
        "phases",
        "--layout-every",
        "2",
        "--max-rounds",
        "2",
        "--width",
        "60",
    ]);
    let round2: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("Round 2 "))
        .collect();
    assert_eq!(round2.len(), 7, "{out}");
    assert!(round2[4].starts_with("alloc temp [#"), "{out}");
    assert!(round2[5].starts_with(" copy main [iii"), "{out}");
    // Copy is the round's end: temp as the round line has it.
    let temp = round2[0]
        .rsplit("temp ")
        .next()
        .and_then(|t| t.strip_suffix(')'))
        .unwrap();
    assert!(round2[6].starts_with(" copy temp ["), "{out}");
    assert!(round2[6].ends_with(&format!(" {temp} / 1,000 B")), "{out}");
    assert!(
        !out.contains("Round 1 memuse: 368\nstart"),
        "round 1 is not drawn"
    );
}

#[test]
fn layout_end_is_the_default_picture() {
    let args = [
        "-i",
        "inputs/example.txt",
        "--max-rounds",
        "2",
        "--width",
        "60",
    ];
    let plain = stdout(&[&args[..], &["--layout"]].concat());
    let end = stdout(&[&args[..], &["--layout", "end"]].concat());
    assert_eq!(plain, end);
    assert!(!plain.contains("start"));
}

/// Every phase's layouts, and the round figures, of one run.
#[derive(Default)]
struct Phases {
    phases: Vec<(usize, Phase, Vec<BufferLayout>)>,
    rounds: Vec<(RoundStats, Vec<BufferLayout>)>,
}

impl Observer for Phases {
    fn round(&mut self, stats: RoundStats, snapshot: &dyn Snapshot) {
        self.rounds.push((stats, snapshot.layouts()));
    }

    fn phase(&mut self, round: usize, phase: Phase, snapshot: &dyn Snapshot) {
        self.phases.push((round, phase, snapshot.layouts()));
    }
}

#[test]
fn phase_events_agree_with_the_round_figures_for_every_strategy_and_cells() {
    let input = read("example.txt");
    for kind in ALL {
        for cells in CELLS {
            let mut seen = Phases::default();
            let options = RunOptions {
                buffer_size: 1 << 20,
                limits: Limits::default(),
                trace: false,
                cells,
                allocator: AllocatorKind::Zig,
            };
            let outcome = run_strategy(kind, &input, &options, &mut seen).unwrap();
            assert!(outcome.result.is_ok(), "{kind:?} {cells:?}");
            let rounds = seen.rounds.len() - 1;
            assert_eq!(seen.phases.len(), 3 * rounds, "{kind:?} {cells:?}");
            for (i, chunk) in seen.phases.chunks(3).enumerate() {
                let round = i + 1;
                let what = format!("{kind:?} {cells:?} round {round}");
                let phases: Vec<Phase> = chunk.iter().map(|(_, p, _)| *p).collect();
                assert_eq!(phases, Phase::ALL, "{what}");
                assert!(chunk.iter().all(|(r, _, _)| *r == round), "{what}");
                let (stats, end) = &seen.rounds[round];
                let (_, before) = &seen.rounds[round - 1];
                let [start, alloc, swap] = [&chunk[0].2, &chunk[1].2, &chunk[2].2];
                // Swap is the state the round ends with.
                assert_eq!(swap, end, "{what}");
                if kind == StrategyKind::Heap {
                    assert!(start.is_empty() && alloc.is_empty(), "{what}");
                    continue;
                }
                for (b, buffer) in stats.buffers.iter().enumerate() {
                    // Alloc is the round's peak: old and new set both allocated.
                    // (With the bit grid, tempcopy's copy back may grow main's
                    // block, which then peaks at the copy.)
                    let grows = kind == StrategyKind::TempCopy
                        && cells == CellKind::BitGrid
                        && buffer.name == "main";
                    if grows {
                        assert!(alloc[b].end_index <= buffer.peak_bytes, "{what}");
                    } else {
                        assert_eq!(
                            alloc[b].end_index, buffer.peak_bytes,
                            "{what} {}",
                            buffer.name
                        );
                    }
                    let live = alloc[b].blocks.iter().filter(|k| k.live).count();
                    assert!(live >= 1, "{what} {}", buffer.name);
                }
                let alloc_live: usize = alloc
                    .iter()
                    .map(|l| l.blocks.iter().filter(|k| k.live).count())
                    .sum();
                assert_eq!(alloc_live, 2, "{what}: the old and the new set are live");
                // Start is the previous end, but for tempcopy's reset of temp.
                for (b, l) in start.iter().enumerate() {
                    if kind == StrategyKind::TempCopy && l.name == "temp" {
                        assert_eq!(l.end_index, 0, "{what}");
                    } else {
                        assert_eq!(l, &before[b], "{what} {}", l.name);
                    }
                }
            }
        }
    }
}
