//! A naive reference simulation, written apart from the tool (plain
//! `BTreeSet`, the rules read straight off the puzzle), and the tool checked
//! against it round by round on random grids.

use std::collections::{BTreeMap, BTreeSet};

use day23::grid::Point2D;
use day23::strategy::StrategyKind;
use proptest::prelude::*;

use day23::cells::CellKind;

use crate::common::{ALL, CELLS, read, record, record_cells};

type Elves = BTreeSet<(i32, i32)>;

/// A step and the three cells an elf checks before taking it.
type Direction = ((i32, i32), [(i32, i32); 3]);

/// One round of the puzzle, literally: proposals in a map, then moves.
/// Returns the new elves and how many moved.
fn reference_round(elves: &Elves, round: usize) -> (Elves, usize) {
    // (dx, dy) of the direction and the three cells checked, in N, S, W, E order.
    let dirs: [Direction; 4] = [
        ((0, -1), [(-1, -1), (0, -1), (1, -1)]),
        ((0, 1), [(-1, 1), (0, 1), (1, 1)]),
        ((-1, 0), [(-1, -1), (-1, 0), (-1, 1)]),
        ((1, 0), [(1, -1), (1, 0), (1, 1)]),
    ];
    let mut proposals: BTreeMap<(i32, i32), (i32, i32)> = BTreeMap::new();
    let mut counts: BTreeMap<(i32, i32), usize> = BTreeMap::new();
    for &(x, y) in elves {
        let alone = (-1..=1)
            .flat_map(|dy| (-1..=1).map(move |dx| (dx, dy)))
            .filter(|&d| d != (0, 0))
            .all(|(dx, dy)| !elves.contains(&(x + dx, y + dy)));
        if alone {
            continue;
        }
        for k in 0..4 {
            let (step, checks) = dirs[(round - 1 + k) % 4];
            if checks
                .iter()
                .all(|&(dx, dy)| !elves.contains(&(x + dx, y + dy)))
            {
                let target = (x + step.0, y + step.1);
                proposals.insert((x, y), target);
                *counts.entry(target).or_default() += 1;
                break;
            }
        }
    }
    let mut moved = 0;
    let next = elves
        .iter()
        .map(|&e| match proposals.get(&e) {
            Some(&t) if counts[&t] == 1 => {
                moved += 1;
                t
            }
            _ => e,
        })
        .collect();
    (next, moved)
}

fn to_set(points: &[Point2D]) -> Elves {
    points.iter().map(|p| (p.x, p.y)).collect()
}

fn parse_reference(text: &str) -> Elves {
    text.lines()
        .enumerate()
        .flat_map(|(y, l)| {
            l.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'#')
                .map(move |(x, _)| (x as i32, y as i32))
        })
        .collect()
}

fn empty_ground(elves: &Elves) -> u64 {
    let xs = elves.iter().map(|e| e.0);
    let ys = elves.iter().map(|e| e.1);
    let w = (xs.clone().max().unwrap() - xs.min().unwrap() + 1) as u64;
    let h = (ys.clone().max().unwrap() - ys.min().unwrap() + 1) as u64;
    w * h - elves.len() as u64
}

/// The reference's answers, playing at most `max_rounds`.
fn reference_answers(text: &str, max_rounds: usize) -> (Option<u64>, Option<usize>) {
    let mut elves = parse_reference(text);
    let (mut part1, mut part2) = (None, None);
    for round in 1..=max_rounds {
        let (next, moved) = reference_round(&elves, round);
        elves = next;
        if moved == 0 && part2.is_none() {
            part2 = Some(round);
        }
        if round == 10 {
            part1 = Some(empty_ground(&elves));
        }
        if part1.is_some() && part2.is_some() {
            break;
        }
    }
    (part1, part2)
}

#[test]
fn reference_solves_the_puzzle_examples() {
    let text = String::from_utf8(read("example.txt")).unwrap();
    assert_eq!(reference_answers(&text, 100), (Some(110), Some(20)));
    let small = String::from_utf8(read("small.txt")).unwrap();
    assert_eq!(reference_answers(&small, 100).1, Some(4));
}

#[test]
fn reference_agrees_with_the_manifest_on_the_smaller_bundled_inputs() {
    for entry in crate::common::manifest() {
        if entry.elves > 3000 {
            continue;
        }
        let text = String::from_utf8(read(&entry.file)).unwrap();
        assert_eq!(
            reference_answers(&text, entry.part2.max(10)),
            (Some(entry.part1), Some(entry.part2)),
            "{}",
            entry.file
        );
    }
}

/// Random grids: any shape up to 24x24, from sparse to dense, as text.
fn grid() -> impl Strategy<Value = String> {
    (1usize..=24, 1usize..=24, 0.02f64..0.98).prop_flat_map(|(w, h, density)| {
        proptest::collection::vec(proptest::bool::weighted(density), w * h).prop_map(move |cells| {
            let mut text = String::new();
            for row in cells.chunks(w) {
                text.extend(row.iter().map(|&c| if c { '#' } else { '.' }));
                text.push('\n');
            }
            text
        })
    })
}

fn check_against_reference(
    text: &str,
    kind: StrategyKind,
    cells: CellKind,
) -> Result<(), TestCaseError> {
    let mut elves = parse_reference(text);
    prop_assume!(!elves.is_empty());
    let rounds = 30;
    let run = record_cells(kind, cells, text.as_bytes(), 1 << 20, Some(rounds), true);
    let played = run.rounds.len() - 1;
    prop_assert_eq!(to_set(&run.elves[0]), elves.clone());
    for round in 1..=played {
        let (next, moved) = reference_round(&elves, round);
        elves = next;
        prop_assert_eq!(run.rounds[round].elves_moved, moved, "round {}", round);
        prop_assert_eq!(to_set(&run.elves[round]), elves.clone(), "round {}", round);
    }
    let (part1, part2) = reference_answers(text, played);
    let answers = run.answers.unwrap();
    prop_assert_eq!(answers.part1, part1);
    prop_assert_eq!(answers.part2, part2);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn tool_matches_the_reference_round_by_round(text in grid(), k in 0usize..ALL.len(), c in 0usize..CELLS.len()) {
        check_against_reference(&text, ALL[k], CELLS[c])?;
    }

    #[test]
    fn single_rows_and_columns_match_the_reference(
        cells in proptest::collection::vec(any::<bool>(), 1..40),
        column in any::<bool>(),
    ) {
        let line: String = cells.iter().map(|&c| if c { '#' } else { '.' }).collect();
        let text = if column { line.chars().map(|c| format!("{c}\n")).collect() } else { line + "\n" };
        check_against_reference(&text, StrategyKind::PingPong, CellKind::HashSet)?;
        check_against_reference(&text, StrategyKind::Leaky, CellKind::ZigMap)?;
        check_against_reference(&text, StrategyKind::TempCopy, CellKind::BitGrid)?;
    }
}

#[test]
fn a_single_elf_never_moves_and_part2_is_1() {
    for kind in ALL {
        let run = record(kind, b"..\n.#\n", 1 << 16, None, false);
        let answers = run.answers.unwrap();
        assert_eq!(
            (answers.part1, answers.part2),
            (Some(0), Some(1)),
            "{kind:?}"
        );
    }
}

#[test]
fn part1_is_measured_after_round_10_even_when_part2_comes_first() {
    // Two elves side by side: round 1 moves both north... they separate, then stop.
    let text = "##\n";
    let (p1, p2) = reference_answers(text, 100);
    assert!(p2.unwrap() < 10, "this grid settles before round 10");
    let run = record(StrategyKind::Leaky, text.as_bytes(), 1 << 16, None, false);
    assert_eq!(run.answers.unwrap().part1, p1);
    assert_eq!(run.rounds.len(), 11, "rounds 0..=10 are played");
}

#[test]
fn all_strategies_give_identical_elves_every_round() {
    let input = read("gen-40x90-d30-s3.txt");
    let runs: Vec<_> = ALL
        .iter()
        .map(|&k| record(k, &input, 64 << 20, Some(60), true))
        .collect();
    for run in &runs[1..] {
        assert_eq!(run.elves, runs[0].elves);
        let moved = |r: &crate::common::Recorded| {
            r.rounds.iter().map(|s| s.elves_moved).collect::<Vec<_>>()
        };
        assert_eq!(moved(run), moved(&runs[0]));
    }
}
