//! `--allocator bumpalo`: every round's figures against bumpalo's own
//! accounting, the cap's out-of-memory error, the refused combinations, and
//! the outputs that carry the chunks.

use day23::alloc::{Arena, BumpArena};
use day23::cells::CellKind;
use day23::engine::{Limits, Snapshot, solve_cells};
use day23::error::SolveError;
use day23::report::RoundStats;
use day23::strategy::{Leaky, PingPong, Reuse, Strategy, TempCopy};
use predicates::prelude::*;

use crate::common::{ExampleBytes, day23, example_bytes, read};

const BIG: usize = 4 << 20;

/// Runs `strategy` on `input` and checks, after every round, each buffer's
/// reported figures against its `Bump`: bytes in use are bumpalo's
/// `allocated_bytes`, the chunks are as many as `iter_allocated_chunks`
/// yields and add up to it, each chunk holds no more than its size, and the
/// live bytes fit in what was bumped. Returns the rounds and the result.
fn checked<S: Strategy<Memory = BumpArena>>(
    strategy: &S,
    cells: CellKind,
    input: &[u8],
) -> (Vec<RoundStats>, Result<day23::answers::Answers, SolveError>) {
    let mut rounds = Vec::new();
    let mut observer = |stats: &RoundStats, snapshot: &dyn Snapshot| {
        let layouts = snapshot.layouts();
        for (b, arena) in stats.buffers.iter().zip(strategy.buffers()) {
            // --layout: each chunk a strip, its size and bumped bytes
            // bumpalo's, its live blocks the arena's live bytes.
            let strips: Vec<_> = layouts.iter().filter(|l| l.name == b.name).collect();
            let sizes: Vec<usize> = strips.iter().map(|l| l.capacity_bytes).collect();
            let bumped: Vec<usize> = strips.iter().rev().map(|l| l.end_index).collect();
            assert_eq!(
                Some(&sizes),
                b.chunks.as_ref(),
                "round {}: strips",
                stats.round
            );
            assert_eq!(
                bumped,
                arena.used_per_chunk(),
                "round {}: bumped",
                stats.round
            );
            let live: usize = strips
                .iter()
                .flat_map(|l| &l.blocks)
                .filter(|k| k.live)
                .map(|k| k.len)
                .sum();
            assert_eq!(live, b.live_bytes, "round {}: live blocks", stats.round);
            assert!(strips.iter().enumerate().all(|(i, l)| l.chunk == Some(i)));
            let chunks = b
                .chunks
                .as_deref()
                .expect("a bumpalo buffer lists its chunks");
            let used = arena.used_per_chunk();
            assert_eq!(
                b.bytes_in_use,
                arena.allocated_bytes(),
                "round {}",
                stats.round
            );
            assert_eq!(chunks.len(), used.len(), "round {}: chunks", stats.round);
            assert_eq!(chunks.iter().sum::<usize>(), arena.allocated_bytes());
            // iter_allocated_chunks is newest first.
            for (size, used) in chunks.iter().rev().zip(&used) {
                assert!(
                    used <= size,
                    "round {}: {used} bumped in a chunk of {size}",
                    stats.round
                );
            }
            assert!(b.live_bytes <= used.iter().sum::<usize>());
            assert_eq!(b.live_bytes, arena.live_bytes());
            assert!(arena.allocated_bytes() <= arena.capacity().unwrap());
        }
        rounds.push(stats.clone());
    };
    let result = solve_cells(strategy, cells, input, &Limits::default(), &mut observer);
    (rounds, result)
}

#[test]
fn every_rounds_figures_are_bumpalos_own_under_every_strategy_and_cell_kind() {
    let input = read("gen-70x70-d50-s1.txt");
    let bump = |name| BumpArena::new(name, BIG);
    for cells in [CellKind::HashSet, CellKind::ZigMap, CellKind::BitGrid] {
        let (_, tempcopy) = checked(&TempCopy::new(bump("main"), bump("temp")), cells, &input);
        let (_, pingpong) = checked(&PingPong::new(bump("a"), bump("b")), cells, &input);
        let (_, reuse) = checked(&Reuse::new(bump("main")), cells, &input);
        for (name, result) in [
            ("tempcopy", tempcopy),
            ("pingpong", pingpong),
            ("reuse", reuse),
        ] {
            let answers = result.unwrap_or_else(|e| panic!("{name} {cells:?}: {e}"));
            assert_eq!(
                (answers.part1, answers.part2),
                (Some(3784), Some(969)),
                "{name}"
            );
        }
        let (rounds, leaky) = checked(&Leaky::new(bump("main")), cells, &input);
        if cells == CellKind::BitGrid {
            // The grid grows in place while it can: leaky finishes in 4 MiB.
            leaky.unwrap();
        } else {
            let Err(SolveError::OutOfMemory { error, .. }) = leaky else {
                panic!("leaky {cells:?} finished in {BIG} bytes of chunks");
            };
            let chunk = error.chunk.expect("the chunk bumpalo needed");
            assert!(chunk.smallest > chunk.remaining);
            assert_eq!(error.in_use, rounds.last().unwrap().bytes_in_use);
        }
    }
}

#[test]
fn leaky_takes_new_chunks_while_the_others_keep_theirs() {
    let input = read("gen-70x70-d50-s1.txt");
    let (rounds, _) = checked(
        &Leaky::new(BumpArena::new("main", BIG)),
        CellKind::HashSet,
        &input,
    );
    let first = rounds[0].bytes_in_use;
    assert!(
        rounds[10].bytes_in_use > 4 * first,
        "{} after 10 rounds",
        rounds[10].bytes_in_use
    );
    let (rounds, _) = checked(
        &PingPong::new(BumpArena::new("a", BIG), BumpArena::new("b", BIG)),
        CellKind::HashSet,
        &input,
    );
    let end = rounds.last().unwrap();
    assert!(
        rounds[1..]
            .iter()
            .all(|r| r.bytes_in_use == end.bytes_in_use)
    );
}

#[test]
fn out_of_memory_at_the_cap_exits_3_naming_the_chunk_bumpalo_needed() {
    let input = read("gen-70x70-d50-s1.txt");
    let (_, result) = checked(
        &Leaky::new(BumpArena::new("main", BIG)),
        CellKind::HashSet,
        &input,
    );
    let Err(SolveError::OutOfMemory { error, .. }) = result else {
        panic!("leaky finished");
    };
    let chunk = error.chunk.unwrap();
    day23()
        .args(["-i", "inputs/gen-70x70-d50-s1.txt", "-s", "leaky", "--allocator", "bumpalo", "-q"])
        .assert()
        .code(3)
        .stdout("Part 1: 3784\n")
        .stderr(predicate::str::contains(format!(
            "exhausted in round {} while allocating the elf set",
            error.round
        )))
        .stderr(predicate::str::contains(format!(
            "bumpalo needed a new chunk of {} bytes (at least {}) from the heap, with {} left under the cap",
            chunk.first, chunk.smallest, chunk.remaining
        )));
}

#[test]
fn a_cap_smaller_than_one_set_runs_out_in_round_0() {
    day23()
        .args(["-i", "inputs/gen-70x70-d50-s1.txt", "-s", "pingpong", "--allocator", "bumpalo"])
        .args(["-b", "20000"])
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::contains(
            "strategy pingpong: buffer 'a' of 20000 bytes exhausted in round 0 while allocating the elf set",
        ))
        .stderr(predicate::str::contains("bumpalo needed a new chunk of"));
    day23()
        .args([
            "-i",
            "inputs/example.txt",
            "-s",
            "reuse",
            "--allocator",
            "bumpalo",
            "-b",
            "500",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "while allocating the spare elf set",
        ));
}

#[test]
fn bumpalo_with_only_the_heap_strategy_is_a_usage_error() {
    day23()
        .args([
            "-i",
            "inputs/example.txt",
            "-s",
            "heap",
            "--allocator",
            "bumpalo",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--allocator bumpalo runs the strategies with bump buffers",
        ));
    // With a bump strategy beside it, heap runs as it does.
    day23()
        .args([
            "-i",
            "inputs/example.txt",
            "-s",
            "heap,leaky",
            "--allocator",
            "bumpalo",
            "-q",
        ])
        .assert()
        .success()
        .stdout("Part 1: 110\nPart 2: 20\n");
}

#[test]
fn an_unknown_allocator_is_a_usage_error() {
    day23()
        .args(["-i", "inputs/example.txt", "--allocator", "jemalloc"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid value 'jemalloc' for '--allocator <ALLOCATOR>'",
        ))
        .stderr(predicate::str::contains("[possible values: zig, bumpalo]"));
}

#[test]
fn the_trace_is_refused_under_bumpalo() {
    day23()
        .args([
            "-i",
            "inputs/example.txt",
            "--allocator",
            "bumpalo",
            "--trace",
            "t.txt",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--trace records Zig's allocator events: not available with --allocator bumpalo",
        ));
    assert!(!std::path::Path::new("t.txt").exists());
}

#[test]
fn round_lines_json_and_csv_carry_the_chunks() {
    let input = read("example.txt");
    let (rounds, _) = checked(
        &TempCopy::new(BumpArena::new("main", BIG), BumpArena::new("temp", BIG)),
        CellKind::HashSet,
        &input,
    );
    let r1 = &rounds[1];
    let list = |i: usize| {
        let sizes: Vec<String> = r1.buffers[i]
            .chunks
            .as_ref()
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        sizes
    };
    let line = format!(
        "Round 1 memuse: {} (live {}; main chunks {}; temp chunks {})",
        r1.bytes_in_use,
        r1.live_bytes,
        list(0).join(" + "),
        list(1).join(" + ")
    );
    let args = [
        "-i",
        "inputs/example.txt",
        "-s",
        "tempcopy",
        "--allocator",
        "bumpalo",
    ];
    day23()
        .args(args)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("\n{line}\n")));
    let out = day23()
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let temp = &json["strategies"][0]["rounds"][1]["buffers"][1];
    assert_eq!(temp["name"], "temp");
    assert_eq!(
        temp["chunks"],
        serde_json::to_value(r1.buffers[1].chunks.as_ref().unwrap()).unwrap()
    );
    let out = day23()
        .args(args)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",buffer1_chunks,buffer2_chunks")
    );
    let row = csv.lines().nth(2).unwrap();
    assert!(
        row.ends_with(&format!(",{},{}", list(0).join(" "), list(1).join(" "))),
        "{row}"
    );
}

#[test]
fn zig_outputs_carry_no_chunks() {
    let out = day23()
        .args(["-i", "inputs/example.txt", "-s", "all", "--format", "json"])
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains("chunks"));
}

#[test]
fn check_takes_allocators_like_strategies_and_runs_heap_once() {
    let out = day23()
        .args([
            "check",
            "-s",
            "pingpong,heap",
            "-c",
            "hashset",
            "--allocator",
            "all",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with(
            "day23 check inputs/quick.json: 8 inputs x 2 strategies x 1 cell kind on zig and bumpalo = 24 runs"
        ),
        "{first}"
    );
    let runs = |label: &str| {
        text.lines()
            .filter(|l| l.contains(&format!(" {label} ")))
            .count()
    };
    assert_eq!(runs("pingpong/hashset"), 8);
    assert_eq!(runs("pingpong/hashset/bumpalo"), 8);
    assert_eq!(runs("heap/hashset"), 8);
    assert_eq!(runs("heap/hashset/bumpalo"), 0);
}

#[test]
fn check_with_bumpalo_and_only_heap_is_a_usage_error_before_any_file() {
    let junit = std::env::temp_dir().join(format!("day23-bumpalo-heap-{}.xml", std::process::id()));
    day23()
        .args(["check", "-s", "heap", "--allocator", "bumpalo", "--junit"])
        .arg(&junit)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--allocator bumpalo runs the strategies with bump buffers",
        ));
    assert!(!junit.exists());
}

#[test]
fn layout_draws_each_chunk_as_a_strip() {
    let ExampleBytes { input, set } = example_bytes();
    day23()
        .args([
            "-i",
            "inputs/example.txt",
            "-s",
            "leaky",
            "--allocator",
            "bumpalo",
        ])
        .args(["--layout", "--max-rounds", "1", "--width", "40"])
        .assert()
        .success()
        // bumpalo's chunks are the same on every platform; the sets in them
        // are 304 bytes on x86-64 (the first above 8 bytes of padding), 296 on
        // aarch64.
        .stdout(predicate::str::contains(format!(
            "Round 1 memuse: 1408 (live {set}; main chunks 448 + 960)\nmain.0 ["
        )))
        .stdout(predicate::str::contains(format!(
            "] {} / 448 B\nmain.1 [",
            input + set
        )))
        .stdout(predicate::str::contains(format!("] {set} / 960 B\n")));
}

#[test]
fn the_table_lists_each_runs_chunks_after_its_last_round() {
    let input = read("example.txt");
    let (rounds, _) = checked(
        &PingPong::new(BumpArena::new("a", BIG), BumpArena::new("b", BIG)),
        CellKind::HashSet,
        &input,
    );
    let end = rounds.last().unwrap();
    let list = |i: usize| {
        let sizes: Vec<String> = end.buffers[i]
            .chunks
            .as_ref()
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        sizes.join(" + ")
    };
    day23()
        .args([
            "-i",
            "inputs/example.txt",
            "-s",
            "pingpong,heap",
            "--allocator",
            "bumpalo",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "oldest first:\n  pingpong: a {}; b {}\n",
            list(0),
            list(1)
        )))
        .stdout(predicate::str::contains("  heap:").not());
    let zig = day23()
        .args(["-i", "inputs/example.txt", "-s", "all"])
        .output()
        .unwrap();
    assert!(!String::from_utf8(zig.stdout).unwrap().contains("bumpalo"));
}

#[test]
fn the_report_gives_each_chunk_a_strip_with_its_size_at_every_moment() {
    let dir = std::env::temp_dir().join(format!("day23-bumpalo-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let html = dir.join("r.html");
    day23()
        .args([
            "-i",
            "inputs/example.txt",
            "-s",
            "leaky",
            "--allocator",
            "bumpalo",
            "-q",
        ])
        .arg("--report")
        .arg(&html)
        .assert()
        .success();
    let page = std::fs::read_to_string(&html).unwrap();
    let start = page
        .find(r#"<script id="data" type="application/json">"#)
        .unwrap();
    let data = &page[start..];
    let data = &data[data.find('>').unwrap() + 1..data.find("</script>").unwrap()];
    let data: serde_json::Value = serde_json::from_str(data).unwrap();
    let run = &data["runs"][0];
    let buffers = run["buffers"].as_array().unwrap();
    let (rounds, _) = checked(
        &Leaky::new(BumpArena::new("main", BIG)),
        CellKind::HashSet,
        &read("example.txt"),
    );
    let end = rounds.last().unwrap().buffers[0].chunks.clone().unwrap();
    assert_eq!(buffers.len(), end.len(), "{buffers:?}");
    for (i, b) in buffers.iter().enumerate() {
        assert_eq!(
            (b["name"].as_str(), b["chunk"].as_u64()),
            (Some("main"), Some(i as u64))
        );
    }
    // The last moment (the last round's swap): every chunk, at its size.
    let sizes: Vec<usize> = run["sizes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(sizes.len(), run["frames"].as_array().unwrap().len());
    assert_eq!(&sizes[sizes.len() - end.len()..], end.as_slice());
    // Round 0: only the first chunk exists.
    assert_eq!(sizes[0], rounds[0].buffers[0].chunks.as_ref().unwrap()[0]);
    assert!(sizes[1..end.len()].iter().all(|&s| s == 0));
    let _ = std::fs::remove_dir_all(&dir);
}
