//! The binary: outputs, exit codes and messages for every class of input.

use predicates::prelude::*;
use predicates::str::contains;

use crate::common::{
    ExampleBytes, assert_invalid_input, day23, example, example_bytes, inputs_dir, table_align,
};

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("day23-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn prints_rounds_then_answers_for_the_example() {
    let out = day23()
        .args(["--input", &example(), "--strategy", "leaky"])
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    // The input, then one more set every round: 368, 672, ... 6448 on x86-64,
    // 352, 648, ... 6272 on aarch64.
    let ExampleBytes { input, set } = example_bytes();
    assert_eq!(lines[0], format!("Round 0 memuse: {}", input + set));
    assert_eq!(lines[1], format!("Round 1 memuse: {}", input + 2 * set));
    assert_eq!(lines[20], format!("Round 20 memuse: {}", input + 21 * set));
    assert_eq!(&lines[21..], ["Part 1: 110", "Part 2: 20"]);
}

#[test]
fn two_buffer_strategies_show_each_buffer() {
    // x86-64: `Round 1 memuse: 368 (a 64 + b 304)`; aarch64: 352 (a 56 + b 296).
    let ExampleBytes { input, set } = example_bytes();
    let one = input + set;
    day23()
        .args(["-i", &example(), "-s", "pingpong"])
        .assert()
        .success()
        .stdout(contains(format!(
            "Round 1 memuse: {one} (a {input} + b {set})\n"
        )))
        .stdout(contains(format!("Round 0 memuse: {one} (a {one} + b 0)\n")));
    day23()
        .args(["-i", &example(), "-s", "tempcopy"])
        .assert()
        .success()
        // temp holds the round's new set until the next round resets it.
        .stdout(contains(format!(
            "Round 0 memuse: {one} (main {one} + temp 0)\n"
        )))
        .stdout(contains(format!(
            "Round 5 memuse: {} (main {one} + temp {set})\n",
            one + set
        )));
}

#[test]
fn reuse_without_room_for_the_spare_runs_out_in_round_0_with_exit_3() {
    // The example: 56 input bytes, 8 of padding, a 304-byte set (368), and
    // the spare's 304 more (x86-64; on aarch64 no padding and 296-byte sets:
    // 352, then 296 more). One byte short of both sets leaves no room for it.
    let ExampleBytes { input, set } = example_bytes();
    let both = input + 2 * set;
    day23()
        .args(["-i", &example(), "-s", "reuse", "-b"])
        .arg((both - 1).to_string())
        .assert()
        .code(3)
        .stdout("")
        .stderr(contains(format!(
            "Error: strategy reuse: buffer 'main' of {} bytes exhausted in round 0 while allocating the spare elf set: {} bytes in use, {set} more requested",
            both - 1,
            input + set
        )));
    day23()
        .args(["-i", &example(), "-s", "reuse", "-q", "-b"])
        .arg(both.to_string())
        .assert()
        .success()
        .stdout("Part 1: 110\nPart 2: 20\n");
}

#[test]
fn quiet_prints_only_the_answers() {
    for strategy in ["leaky", "tempcopy", "pingpong", "reuse", "heap"] {
        day23()
            .args(["-i", &example(), "-s", strategy, "--quiet"])
            .assert()
            .success()
            .stdout("Part 1: 110\nPart 2: 20\n")
            .stderr("");
    }
}

#[test]
fn reads_standard_input() {
    day23()
        .args(["--input", "-", "-q"])
        .write_stdin(std::fs::read(example()).unwrap())
        .assert()
        .success()
        .stdout("Part 1: 110\nPart 2: 20\n");
}

#[test]
fn out_of_memory_exits_3_keeping_part1_and_naming_the_round() {
    // One byte short of the input and round 12's 13 sets: 4,015 bytes on
    // x86-64 (64 + 13 * 304 - 1, with 3,712 in use when it runs out), 3,903
    // on aarch64 (56 + 13 * 296 - 1, 3,608 in use). Part 1 came in round 10.
    let ExampleBytes { input, set } = example_bytes();
    let size = input + 13 * set - 1;
    day23()
        .args(["-i", &example(), "-s", "leaky", "-q", "-b"])
        .arg(size.to_string())
        .assert()
        .code(3)
        .stdout("Part 1: 110\n")
        .stderr(contains(format!(
            "Error: strategy leaky: buffer 'main' of {size} bytes exhausted in round 12 while allocating the elf set: {} bytes in use, {set} more requested",
            input + 12 * set
        )))
        .stderr(contains(
            "; --strategy tempcopy, pingpong or reuse completes with this --buffer-size",
        ));
}

#[test]
fn out_of_memory_in_round_0_names_the_input() {
    day23()
        .args(["-i", &example(), "-b", "10"])
        .assert()
        .code(3)
        .stdout("")
        .stderr(contains(
            "exhausted in round 0 while allocating the input: 0 bytes in use, 56 more requested",
        ))
        .stderr(contains(format!(
            "the smallest --buffer-size with which it completes is {}",
            example_bytes().input + example_bytes().set
        )));
}

/// A count of one is singular wherever a message counts bytes.
#[test]
fn one_byte_is_singular() {
    day23()
        .args(["-i", &example(), "-b", "1"])
        .assert()
        .code(3)
        .stderr(contains("buffer 'a' of 1 byte exhausted"));
    day23()
        .args([
            "-i",
            &example(),
            "-s",
            "leaky,heap",
            "-b",
            "1",
            "--layout",
            "--max-rounds",
            "1",
        ])
        .assert()
        .success()
        .stdout(contains("leaky (buffer main of 1 byte):"));
    day23()
        .args([
            "check",
            "inputs/quick.json",
            "-b",
            "1",
            "-s",
            "pingpong",
            "-c",
            "hashset",
        ])
        .assert()
        .stdout(contains("each buffer 1 byte, "))
        .stdout(contains("(buffer 'a' of 1 byte)"));
}

#[test]
fn bad_inputs_exit_1_with_path_line_and_column() {
    let cases: [(&str, &[u8], &str); 7] = [
        ("empty.txt", b"", "the input is empty"),
        ("no-elves.txt", b"...\n...\n", "the input has no elves"),
        (
            "letter.txt",
            b"..#\n.x.\n",
            "unexpected 'x' at line 2 column 2",
        ),
        ("nul.txt", b"#\0#\n", "unexpected '\\0' at line 1 column 2"),
        (
            "latin1.txt",
            b"#.\n#\xe9\n",
            "invalid UTF-8 at line 2 column 2",
        ),
        (
            "lone-cr.txt",
            b"#\r#\n",
            "a carriage return alone at line 1 column 2: expected a line ending '\\n' or '\\r\\n'",
        ),
        // Classic Mac OS line endings, on line 2 after a proper one.
        (
            "mac.txt",
            b"#.\n.#\r#.\r",
            "a carriage return alone at line 2 column 3",
        ),
    ];
    for (name, bytes, message) in cases {
        assert_invalid_input(&temp_file(name, bytes), message);
    }
}

/// Standard input open for writing only is an error reading it, not an
/// empty input (std's `Stdin` reads `EBADF` as the end of input).
#[test]
#[cfg_attr(
    not(unix),
    ignore = "standard input is read through std's Stdin off Unix"
)]
fn a_write_only_standard_input_is_a_read_error() {
    let dir = crate::common::TempDir::new("write-only-stdin");
    let path = dir.file("w.txt", b"");
    let stdin = std::fs::File::options().write(true).open(&path).unwrap();
    let out = std::process::Command::new(crate::common::bin())
        .args(["-i", "-", "-q"])
        .stdin(stdin)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(stderr.contains("could not read '<stdin>'"), "{stderr}");
    assert!(!stderr.contains("empty"), "{stderr}");
}

#[test]
fn crlf_ragged_lines_and_no_final_newline_are_fine() {
    let path = temp_file(
        "crlf.txt",
        b"....#..\r\n..###.#\r\n#...#.#\r\n.#...##\r\n#.###\r\n##.#.##\r\n.#..#",
    );
    day23()
        .arg("-i")
        .arg(&path)
        .arg("-q")
        .assert()
        .success()
        .stdout(contains("Part 2: "));
}

#[test]
fn missing_files_directories_and_stdin_are_named() {
    day23()
        .args(["-i", "/no/such/file.txt"])
        .assert()
        .code(1)
        .stderr(contains("could not open '/no/such/file.txt'"));
    let dir = inputs_dir();
    day23()
        .arg("-i")
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(contains("it is a directory"));
    day23()
        .args(["-i", "-"])
        .write_stdin("...\n")
        .assert()
        .code(1)
        .stderr(contains("invalid input '<stdin>': the input has no elves"));
}

#[test]
fn usage_errors_exit_2() {
    day23().assert().code(2).stderr(contains("--input"));
    day23()
        .args(["-i", &example(), "-s", "arena"])
        .assert()
        .code(2);
    day23()
        .args(["-i", &example(), "-b", "lots"])
        .assert()
        .code(2)
        .stderr(contains("'lots' is not a size"));
    day23()
        .args(["-i", &example(), "--max-rounds", "-3"])
        .assert()
        .code(2);
}

#[test]
fn max_rounds_stops_early_and_says_so() {
    day23()
        .args(["-i", &example(), "--max-rounds", "3"])
        .assert()
        .success()
        .stdout(
            contains("Round 3 memuse")
                .and(contains("Round 4").not())
                .and(contains("Part").not()),
        )
        .stderr(contains("stopped after 3 rounds"));
}

#[test]
fn generate_is_reproducible_and_solvable() {
    let run = |seed: &str| {
        day23()
            .args([
                "generate",
                "--width",
                "30",
                "--height",
                "20",
                "--density",
                "0.4",
                "--seed",
                seed,
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let a = run("9");
    assert_eq!(a, run("9"));
    assert_ne!(a, run("10"));
    assert_eq!(a.len(), 31 * 20);
    day23()
        .args(["-i", "-", "-q"])
        .write_stdin(a)
        .assert()
        .success()
        .stdout(contains("Part 1: "));
}

#[test]
fn trace_matches_the_round_figures() {
    let path = std::env::temp_dir().join(format!("day23-trace-{}.txt", std::process::id()));
    day23()
        .args(["-i", &example(), "-s", "pingpong", "-q", "--trace"])
        .arg(&path)
        .assert()
        .success();
    let trace = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = trace.lines().collect();
    // x86-64: sets of 304 bytes, 16-byte aligned, so the first one at 64;
    // aarch64: 296 bytes, 8-byte aligned, at 56.
    let ExampleBytes { input, set } = example_bytes();
    let (align, one) = (table_align(), input + set);
    assert_eq!(
        &lines[..6],
        [
            "a alloc 56 1 -> offset=0 end_index=56".to_owned(),
            format!("a alloc {set} {align} -> offset={input} end_index={one}"),
            format!("a free 0 -> end_index={one}"),
            format!("b alloc {set} {align} -> offset=0 end_index={set}"),
            format!("a free 1 -> end_index={input}"),
            format!("a alloc {set} {align} -> offset={input} end_index={one}"),
        ]
    );
    // Round 0's three events, one alloc and one free per round for 20 rounds,
    // and the last set (a's 12th alloc, round 20's) freed at the end: the last block in `a`.
    assert_eq!(lines.len(), 3 + 2 * 20 + 1);
    assert_eq!(
        lines[lines.len() - 1],
        format!("a free 11 -> end_index={input}")
    );
}

#[test]
fn bitgrid_cells_give_the_same_answers_with_their_own_figures() {
    day23()
        .args(["-i", &example(), "--cells", "bitgrid", "-s", "leaky"])
        .assert()
        .success()
        .stdout(contains("Round 0 memuse: 128\nRound 1 memuse: 304\n"))
        .stdout(contains("Part 1: 110\nPart 2: 20\n"));
}

#[test]
fn zigmap_cells_print_the_write_ups_first_ten_lines() {
    let expected: String = [
        41864, 78752, 115640, 152528, 189416, 226304, 263192, 300080, 336968, 373856,
    ]
    .iter()
    .enumerate()
    .map(|(round, bytes)| format!("Round {round} memuse: {bytes}\n"))
    .collect();
    let out = day23()
        .arg("-i")
        .arg(crate::common::inputs_dir().join("gen-70x70-d50-s1.txt"))
        .args(["-s", "leaky", "--cells", "zigmap"])
        .assert()
        // 4 MiB hold rounds 0 to 112: part 1, then out of memory.
        .code(3)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with(&expected), "{out}");
    assert!(out.ends_with("Part 1: 3784\n"), "{out}");
}

#[test]
fn tempcopy_grows_the_bit_grid_in_place_when_it_is_the_last_block() {
    let path = std::env::temp_dir().join(format!("day23-trace-bg-{}.txt", std::process::id()));
    day23()
        .args([
            "-i",
            &example(),
            "-c",
            "bitgrid",
            "-s",
            "tempcopy",
            "-q",
            "--trace",
        ])
        .arg(&path)
        .assert()
        .success();
    let trace = std::fs::read_to_string(&path).unwrap();
    // Round 1's new grid (176 bytes) is larger than main's 72-byte grid: the
    // copy back grows main's grid, which is its last block, in place.
    assert!(
        trace.contains("main resize 1 176 -> ok end_index=232\n"),
        "{trace}"
    );
    assert!(!trace.contains("-> fail"), "{trace}");
}

#[test]
fn cells_all_compares_both_representations_under_every_strategy() {
    let out = day23()
        .args([
            "-i",
            &example(),
            "-s",
            "leaky,pingpong",
            "-c",
            "all",
            "-f",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let runs: Vec<(String, String, u64)> = json["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["strategy"].as_str().unwrap().to_owned(),
                r["cells"].as_str().unwrap().to_owned(),
                r["summary"]["peak_bytes"].as_u64().unwrap(),
            )
        })
        .collect();
    let names: Vec<(&str, &str)> = runs
        .iter()
        .map(|(s, c, _)| (s.as_str(), c.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("leaky", "hashset"),
            ("pingpong", "hashset"),
            ("leaky", "zigmap"),
            ("pingpong", "zigmap"),
            ("leaky", "bitgrid"),
            ("pingpong", "bitgrid")
        ]
    );
    // The bit grid of 22 elves (at most 13 rows of one word) is smaller than their set.
    assert!(runs[5].2 < runs[1].2, "{runs:?}");
    // pingpong's peak is `a`'s input and set plus `b`'s set. Zig's table of 22
    // elves has 32 slots (312 bytes, 8-byte aligned: the input needs no
    // padding), on every platform; hashbrown's 32 buckets take 304 bytes,
    // 16-byte aligned, on x86-64 (672 in all), 296, 8-byte aligned, on
    // aarch64 (648).
    let ExampleBytes { input, set } = example_bytes();
    assert_eq!(
        (runs[1].2, runs[3].2),
        ((input + 2 * set) as u64, 56 + 2 * 312),
        "{runs:?}"
    );
    day23()
        .args(["-i", &example(), "-s", "pingpong", "-c", "hashset,bitgrid"])
        .assert()
        .success()
        .stdout(contains("pingpong/hashset").and(contains("pingpong/bitgrid")))
        .stdout(contains("Part 1: 110\nPart 2: 20\n"));
}

/// The binary writes each bundled generated input byte for byte, to
/// standard output and to a file (`-o`), as the library's generator does:
/// streaming the rows changes no byte.
#[test]
fn generate_writes_the_bundled_inputs_byte_for_byte() {
    let out = std::env::temp_dir().join(format!("day23-gen-{}.txt", std::process::id()));
    for entry in crate::common::manifest()
        .iter()
        .filter(|e| e.file.starts_with("gen-"))
    {
        // gen-<W>x<H>-d<percent>-s<seed>.txt
        let stem = entry.file["gen-".len()..].trim_end_matches(".txt");
        let parts: Vec<&str> = stem.split('-').collect();
        let (w, h) = parts[0].split_once('x').unwrap();
        let density = format!("0.{}", &parts[1][1..]);
        let args = [
            "generate",
            "--width",
            w,
            "--height",
            h,
            "--density",
            &density,
            "--seed",
            &parts[2][1..],
        ];
        let expected = crate::common::read(&entry.file);
        day23()
            .args(args)
            .assert()
            .success()
            .stdout(expected.clone());
        day23()
            .args(args)
            .arg("-o")
            .arg(&out)
            .assert()
            .success()
            .stdout("");
        assert_eq!(std::fs::read(&out).unwrap(), expected, "{}", entry.file);
    }
    let _ = std::fs::remove_file(&out);
}

/// A grid larger than the solver reads (256 MiB) is refused before a byte
/// is written, naming the limit, the most rows at that width and the
/// largest square grid; so are a density of 0 and a grid that comes out
/// without an elf, which the solver would reject.
#[test]
fn generate_refuses_grids_the_solver_would_reject() {
    day23()
        .args(["generate", "--width", "30000", "--height", "30000"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "day23: a 30000x30000 grid is 900,030,000 bytes, more than the 268,435,456 bytes \
             (256 MiB) the solver reads;\n\
             at --width 30000 the most is --height 8947, and the largest square grid is 16383x16383.\n",
        );
    day23()
        .args(["generate", "--width", "16384", "--height", "16384"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("at --width 16384 the most is --height 16383"));
    day23()
        .args([
            "generate",
            "--width",
            "5",
            "--height",
            "5",
            "--density",
            "0",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "'0' makes a grid with no elves, which the solver rejects",
        ));
    // One cell at 1%: seed 0 draws no elf.
    let one_cell = [
        "generate",
        "--width",
        "1",
        "--height",
        "1",
        "--density",
        "0.01",
    ];
    assert!(!day23::generate::has_elf(1, 1, 0.01, 0));
    day23()
        .args(one_cell)
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "--density 0.01 with --seed 0 gives a 1x1 grid with no elves, which the solver rejects",
        ));
    // A seed that draws one: the grid is written, and the solver reads it.
    let seed = (0..1000)
        .find(|&s| day23::generate::has_elf(1, 1, 0.01, s))
        .unwrap();
    let grid = day23()
        .args(one_cell)
        .args(["--seed", &seed.to_string()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(grid, b"#\n");
}
