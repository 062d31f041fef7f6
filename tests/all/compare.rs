//! Comparing strategies (`--strategy all`, lists): the figures against
//! single-strategy runs, the predicted buffer size, every output format
//! (snapshots), the layout pictures and the SVG plot.

use predicates::str::contains;
use serde_json::Value;

use day23::export::csv::HEADER;
use day23::report::Answers;
use day23::strategy::StrategyKind;

use crate::common::{ALL, ExampleBytes, day23, example_bytes, read, record};

/// Runs `args` (exit 0) and returns standard output.
fn stdout(args: &[&str]) -> String {
    let out = day23().args(args).assert().success().get_output().clone();
    String::from_utf8(out.stdout).unwrap()
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&stdout(&all)).unwrap()
}

fn temp_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("day23-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn kind(name: &str) -> StrategyKind {
    *ALL.iter().find(|k| k.name() == name).unwrap()
}

#[test]
fn comparison_figures_equal_single_strategy_runs() {
    for (file, size) in [("example.txt", 4000), ("gen-1x60-d60-s7.txt", 1 << 16)] {
        let path = format!("inputs/{file}");
        let c = json(&["-i", &path, "-s", "all", "-b", &size.to_string()]);
        let input = read(file);
        let runs = c["strategies"].as_array().unwrap();
        assert_eq!(runs.len(), ALL.len());
        for (run, expected) in runs.iter().zip(ALL) {
            assert_eq!(run["strategy"], expected.name());
            let single = record(expected, &input, size, None, false);
            assert_eq!(
                run["rounds"],
                serde_json::to_value(&single.rounds).unwrap(),
                "{file} {}",
                expected.name()
            );
            let answers = match &single.answers {
                Ok(a) => *a,
                Err(day23::error::SolveError::OutOfMemory { reached, .. }) => *reached,
                Err(e) => panic!("{e}"),
            };
            assert_eq!(run["answers"], serde_json::to_value(answers).unwrap());
            assert_eq!(
                run["outcome"]["kind"],
                if single.answers.is_ok() {
                    "finished"
                } else {
                    "out_of_memory"
                }
            );
        }
    }
}

#[test]
fn predicted_buffer_size_for_leaky_finishes_and_one_byte_less_runs_out() {
    for (file, size, expected_rounds) in [
        ("example.txt", 4000, 20),
        ("gen-40x90-d30-s3.txt", 256 << 10, 320),
    ] {
        let path = format!("inputs/{file}");
        let c = json(&["-i", &path, "-s", "leaky,pingpong", "-b", &size.to_string()]);
        let leaky = &c["strategies"][0];
        assert_eq!(leaky["outcome"]["kind"], "out_of_memory", "{file}");
        let summary = &leaky["summary"];
        assert_eq!(summary["needed_for_rounds"], expected_rounds);
        let needed = summary["needed_buffer_size_bytes"].as_u64().unwrap() as usize;
        // Round 0's figure plus one step (a set and its padding) per round, exactly.
        let rounds = leaky["rounds"].as_array().unwrap();
        let p0 = rounds[0]["peak_bytes"].as_u64().unwrap() as usize;
        let step = rounds[1]["peak_bytes"].as_u64().unwrap() as usize - p0;
        assert_eq!(needed, p0 + expected_rounds * step);
        assert_eq!(summary["growth_bytes_per_round"], step as f64);

        let input = read(file);
        let enough = record(StrategyKind::Leaky, &input, needed, None, false);
        let answers = enough.answers.unwrap();
        assert_eq!(answers.part2, Some(expected_rounds), "{file}");
        let short = record(StrategyKind::Leaky, &input, needed - 1, None, false);
        let Err(day23::error::SolveError::OutOfMemory { error, .. }) = short.answers else {
            panic!("{file}: {:?}", short.answers)
        };
        assert_eq!(error.round, expected_rounds, "{file}");
    }
}

#[test]
fn buffer_size_needed_by_a_finished_strategy_is_exactly_enough() {
    let c = json(&["-i", "inputs/example.txt", "-s", "all"]);
    let input = read("example.txt");
    for run in c["strategies"].as_array().unwrap() {
        let name = run["strategy"].as_str().unwrap();
        let needed = &run["summary"]["needed_buffer_size_bytes"];
        if name == "heap" {
            assert!(needed.is_null());
            assert!(run["buffer_size_bytes"].is_null());
            continue;
        }
        let needed = needed.as_u64().unwrap() as usize;
        let both = Answers {
            part1: Some(110),
            part2: Some(20),
        };
        let fits = record(kind(name), &input, needed, None, false);
        assert_eq!(fits.answers, Ok(both), "{name}");
        let short = record(kind(name), &input, needed - 1, None, false);
        assert!(short.answers.is_err(), "{name} with {} bytes", needed - 1);
    }
}

#[test]
fn table_summarises_every_strategy() {
    // --cells zigmap: Zig's map takes the same bytes on every platform, where
    // the hash set's follow hashbrown's group width (x86-64's 16, aarch64's 8).
    let out = stdout(&[
        "-i",
        "inputs/example.txt",
        "-s",
        "all",
        "-b",
        "4000",
        "-c",
        "zigmap",
    ]);
    insta::assert_snapshot!(out, @r"
    inputs/example.txt: 22 elves; each buffer 4,000 bytes (3.9 KiB)

                                                         peak bytes in use    peak  bytes in use  live bytes   growth  buffer size
    strategy  outcome                    part 1  part 2  per buffer          total        at end      at end  B/round       needed
    --------  -------------------------  ------  ------  ------------------  -----  ------------  ----------  -------  -----------
    leaky     out of memory in round 12     110       -  main 3,800          3,800         3,800         312      312      6,608 *
    tempcopy  finished, 20 rounds           110      20  main 368, temp 312    680           680         624        0          368
    pingpong  finished, 20 rounds           110      20  a 368, b 312          680           368         312        0          368
    reuse     finished, 20 rounds           110      20  main 680              680           680         624        0          680
    heap      finished, 20 rounds           110      20  heap 624              624           312         312        0            -

    Part 1: 110
    Part 2: 20

    Bytes in use: each buffer's end_index (live bytes for the heap). Peaks include
    round 0's copy of the input. Buffer size needed: the smallest --buffer-size
    that completes the rounds played.
    * leaky ran out of memory in round 12. Predicted from its growth per round:
      --buffer-size 6608 (6.5 KiB) lasts the 20 rounds the others played.
    ");
}

#[test]
fn json_export_snapshot() {
    // --cells zigmap: Zig's map takes the same bytes on every platform, where
    // the hash set's follow hashbrown's group width (x86-64's 16, aarch64's 8).
    let out = stdout(&[
        "-c",
        "zigmap",
        "-i",
        "inputs/example.txt",
        "-s",
        "leaky,pingpong",
        "-b",
        "1000",
        "--max-rounds",
        "3",
        "--format",
        "json",
    ]);
    assert!(out.ends_with("}\n"));
    insta::assert_snapshot!("json_leaky_pingpong_3_rounds", out);
}

#[test]
fn csv_export_snapshot() {
    // --cells zigmap: Zig's map takes the same bytes on every platform, where
    // the hash set's follow hashbrown's group width (x86-64's 16, aarch64's 8).
    let out = stdout(&[
        "-c",
        "zigmap",
        "-i",
        "inputs/example.txt",
        "-s",
        "all",
        "-b",
        "4000",
        "-f",
        "csv",
    ]);
    insta::assert_snapshot!("csv_all_strategies", out);
}

#[test]
fn json_export_has_the_documented_shape() {
    // --cells zigmap: Zig's map takes the same bytes on every platform, where
    // the hash set's follow hashbrown's group width (x86-64's 16, aarch64's 8).
    let c = json(&[
        "-i",
        "inputs/example.txt",
        "-s",
        "all",
        "-b",
        "4000",
        "-c",
        "zigmap",
    ]);
    assert_eq!(c["input"], "inputs/example.txt");
    assert_eq!(c["elves"], 22);
    assert_eq!(c["buffer_size_bytes"], 4000);
    let runs = c["strategies"].as_array().unwrap();
    let names: Vec<&str> = runs
        .iter()
        .map(|r| r["strategy"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["leaky", "tempcopy", "pingpong", "reuse", "heap"]);
    let leaky = &runs[0];
    assert_eq!(
        leaky["outcome"],
        serde_json::json!({
            "kind": "out_of_memory",
            "round": 12,
            "buffer": "main",
            "capacity_bytes": 4000,
            "bytes_in_use": 3800,
            "requested_bytes": 312,
            "allocating": "the Zig map"
        })
    );
    assert_eq!(leaky["cells"], "zigmap");
    assert_eq!(leaky["rounds"].as_array().unwrap().len(), 12);
    assert_eq!(leaky["summary"]["peak_bytes"], 3800);
    assert_eq!(leaky["summary"]["needed_buffer_size_bytes"], 6608);
    let pingpong = &runs[2];
    assert_eq!(
        pingpong["outcome"],
        serde_json::json!({"kind": "finished", "rounds": 20})
    );
    assert_eq!(pingpong["rounds"].as_array().unwrap().len(), 21);
    assert_eq!(pingpong["summary"]["buffers"][1]["name"], "b");
    assert_eq!(pingpong["summary"]["buffers"][1]["peak_bytes"], 312);
    assert_eq!(pingpong["summary"]["growth_bytes_per_round"], 0.0);
    // reuse: the input, the set and the spare in main, from round 0 on.
    let reuse = &runs[3];
    assert_eq!(reuse["summary"]["buffers"][0]["peak_bytes"], 680);
    assert_eq!(reuse["summary"]["growth_bytes_per_round"], 0.0);
    assert_eq!(runs[4]["summary"]["buffers"][0]["peak_bytes"], 624);
}

#[test]
fn csv_export_has_a_fixed_header_and_one_row_per_strategy_and_round() {
    // --cells zigmap: Zig's map takes the same bytes on every platform, where
    // the hash set's follow hashbrown's group width (x86-64's 16, aarch64's 8).
    let out = stdout(&[
        "-i",
        "inputs/example.txt",
        "-s",
        "all",
        "-b",
        "4000",
        "-f",
        "csv",
        "-c",
        "zigmap",
    ]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        &csv::StringRecord::from(HEADER.to_vec())
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let count = |name: &str| rows.iter().filter(|r| &r[0] == name).count();
    assert_eq!(
        [
            count("leaky"),
            count("tempcopy"),
            count("pingpong"),
            count("heap")
        ],
        [12, 21, 21, 21]
    );
    let pingpong_1 = rows
        .iter()
        .find(|r| &r[0] == "pingpong" && &r[2] == "1")
        .unwrap();
    assert_eq!(
        pingpong_1.iter().collect::<Vec<_>>(),
        [
            "pingpong", "zigmap", "1", "11", "368", "312", "680", "a", "56", "0", "368", "b",
            "312", "312", "312"
        ]
    );
    let heap_0 = rows.iter().find(|r| &r[0] == "heap").unwrap();
    assert_eq!(&heap_0[7], "heap");
    assert_eq!((&heap_0[11], &heap_0[12]), ("", ""));
}

#[test]
fn layout_shows_the_leak_growing_round_by_round() {
    // --cells zigmap: Zig's map takes the same bytes on every platform, where
    // the hash set's follow hashbrown's group width (x86-64's 16, aarch64's 8).
    // 6,608 bytes: exactly what the comparison predicts.
    let out = stdout(&[
        "-c",
        "zigmap",
        "-i",
        "inputs/example.txt",
        "-s",
        "leaky",
        "-b",
        "6608",
        "--layout-every",
        "5",
        "--width",
        "72",
    ]);
    insta::assert_snapshot!(out, @r"
    Layout: i input (dead after parsing)  # live set  x dead set (freed, not
            reclaimed)  ' padding  . free
    Round 0 memuse: 368
    main [i##..............................................]   368 / 6,608 B
    Round 1 memuse: 680
    Round 2 memuse: 992
    Round 3 memuse: 1304
    Round 4 memuse: 1616
    Round 5 memuse: 1928
    main [ixxxxxxxxxxx###..................................] 1,928 / 6,608 B
    Round 6 memuse: 2240
    Round 7 memuse: 2552
    Round 8 memuse: 2864
    Round 9 memuse: 3176
    Round 10 memuse: 3488
    main [ixxxxxxxxxxxxxxxxxxxxxxx##.......................] 3,488 / 6,608 B
    Round 11 memuse: 3800
    Round 12 memuse: 4112
    Round 13 memuse: 4424
    Round 14 memuse: 4736
    Round 15 memuse: 5048
    main [ixxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx###...........] 5,048 / 6,608 B
    Round 16 memuse: 5360
    Round 17 memuse: 5672
    Round 18 memuse: 5984
    Round 19 memuse: 6296
    Round 20 memuse: 6608
    main [ixxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx##] 6,608 / 6,608 B
    Part 1: 110
    Part 2: 20
    ");
}

#[test]
fn layout_shows_pingpong_buffers_taking_turns() {
    // --cells zigmap: Zig's map takes the same bytes on every platform, where
    // the hash set's follow hashbrown's group width (x86-64's 16, aarch64's 8).
    // The map is 8-byte aligned, so `a` holds the input unpadded below it.
    let out = stdout(&[
        "-c",
        "zigmap",
        "-i",
        "inputs/example.txt",
        "-s",
        "pingpong",
        "-b",
        "1000",
        "--max-rounds",
        "2",
        "--layout",
        "--width",
        "60",
    ]);
    insta::assert_snapshot!(out, @r"
    Layout: i input (dead after parsing)  # live set  x dead set
            (freed, not reclaimed)  ' padding  . free
    Round 0 memuse: 368 (a 368 + b 0)
       a [ii############.......................]   368 / 1,000 B
       b [.....................................]     0 / 1,000 B
    Round 1 memuse: 368 (a 56 + b 312)
       a [iii..................................]    56 / 1,000 B
       b [############.........................]   312 / 1,000 B
    Round 2 memuse: 368 (a 368 + b 0)
       a [ii############.......................]   368 / 1,000 B
       b [.....................................]     0 / 1,000 B
    ");
}

#[test]
fn layout_in_a_comparison_heads_each_strategy_and_says_the_heap_has_none() {
    // x86-64: `Round 20 memuse: 672 (main 368 + temp 304)`; aarch64: 648 (352 + 296).
    let ExampleBytes { input, set } = example_bytes();
    day23()
        .args(["-i", "inputs/example.txt", "-s", "tempcopy,heap", "-b", "1000"])
        .args(["--layout-every", "10", "--width", "60"])
        .assert()
        .success()
        .stdout(contains("tempcopy (buffers main and temp of 1,000 bytes):\nLayout: i input"))
        .stdout(contains(format!(
            "Round 20 memuse: {} (main {} + temp {set})\n",
            input + 2 * set,
            input + set
        )))
        .stdout(contains(
            "heap (the global heap):\nNo layout for heap: it has no buffer, only the global heap.\n\ninputs/example.txt: 22 elves",
        ))
        .stdout(contains("Part 2: 20\n"));
}

#[test]
fn layout_lines_fill_the_width_from_columns() {
    let out = day23()
        .args([
            "-i",
            "inputs/example.txt",
            "-s",
            "leaky",
            "--layout",
            "--max-rounds",
            "1",
        ])
        .env("COLUMNS", "100")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let bars: Vec<&str> = out.lines().filter(|l| l.starts_with("main [")).collect();
    assert_eq!(bars.len(), 2);
    assert!(bars.iter().all(|l| l.chars().count() == 100), "{bars:?}");
}

/// The text of a layout run of the example, one round, with `extra` flags
/// and `COLUMNS` as given.
fn layout_text(extra: &[&str], columns: Option<&str>) -> String {
    let mut cmd = day23();
    cmd.args(["-i", "inputs/example.txt", "--max-rounds", "1"])
        .args(extra);
    if let Some(columns) = columns {
        cmd.env("COLUMNS", columns);
    }
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

/// Bars are exactly the width; the legends wrap within it.
fn assert_fits(text: &str, width: usize, what: &str) {
    let bars: Vec<&str> = text.lines().filter(|l| l.contains(" [")).collect();
    assert!(!bars.is_empty(), "{what}: no bars in\n{text}");
    for bar in bars {
        assert_eq!(bar.chars().count(), width, "{what}: {bar:?}");
    }
    // The round lines are the write-up's, whatever the width.
    for line in text.lines().filter(|l| !l.starts_with("Round ")) {
        assert!(
            line.chars().count() <= width,
            "{what}: {line:?} is wider than {width}"
        );
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    assert!(
        words.windows(3).any(|w| w == ["padding", ".", "free"]),
        "{what}: the legend lost its end"
    );
}

#[test]
fn layout_bars_are_exactly_the_width_and_legends_wrap_within_it() {
    for width in ["40", "41", "57", "80", "137"] {
        for extra in [
            &["--layout"][..],
            &["--layout", "phases"],
            &["--layout", "-s", "tempcopy", "-b", "1GiB"],
            &[
                "--layout",
                "phases",
                "--allocator",
                "bumpalo",
                "-s",
                "leaky",
            ],
        ] {
            let mut flags = extra.to_vec();
            flags.extend(["--width", width]);
            let text = layout_text(&flags, None);
            assert_fits(&text, width.parse().unwrap(), &format!("{flags:?}"));
        }
    }
    // $COLUMNS below the narrowest picture gives it, and above, its own width.
    for (columns, width) in [("10", 40), ("30", 40), ("100", 100)] {
        let text = layout_text(&["--layout", "phases"], Some(columns));
        assert_fits(&text, width, &format!("COLUMNS={columns}"));
    }
}

#[test]
fn width_without_layout_and_quiet_with_layout_are_usage_errors() {
    day23()
        .args(["-i", "inputs/example.txt", "--width", "60"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("--layout"));
    for layout in [&["--layout"][..], &["--layout-every", "5"]] {
        day23()
            .args(["-i", "inputs/example.txt", "-q"])
            .args(layout)
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains("'--quiet' cannot be used with"));
    }
    day23()
        .args([
            "-i",
            "inputs/example.txt",
            "--layout-every",
            "5",
            "--width",
            "60",
            "-s",
            "leaky",
        ])
        .assert()
        .success();
}

#[test]
fn layout_with_json_to_stdout_is_a_usage_error() {
    // x86-64: `Round 1 memuse: 368 (a 64 + b 304)`; aarch64: 352 (a 56 + b 296).
    let ExampleBytes { input, set } = example_bytes();
    day23()
        .args(["-i", "inputs/example.txt", "--layout", "-f", "json"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("add --output PATH"));
    let path = temp_path("layout.json");
    day23()
        .args([
            "-i",
            "inputs/example.txt",
            "--layout",
            "-f",
            "json",
            "--max-rounds",
            "1",
            "-o",
        ])
        .arg(&path)
        .assert()
        .success()
        .stdout(contains(format!(
            "Round 1 memuse: {} (a {input} + b {set})\n",
            input + set
        )));
    let c: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(c["strategies"][0]["rounds"].as_array().unwrap().len(), 2);
}

#[test]
fn svg_plot_is_well_formed_with_one_series_per_strategy() {
    // Leaky's sets: rounds 0 to 11 fit on x86-64 (64 + 12 * 304 = 3,712
    // bytes), 0 to 12 on aarch64 (56 + 13 * 296 = 3,904).
    let ExampleBytes { input, set } = example_bytes();
    let oom = (4000 - input) / set;
    let leaky_label = format!("leaky: out of memory in round {oom}");
    let path = temp_path("plot.svg");
    day23()
        .args([
            "-i",
            "inputs/example.txt",
            "-s",
            "all",
            "-b",
            "4000",
            "-q",
            "--plot",
        ])
        .arg(&path)
        .assert()
        .success()
        .stdout("Part 1: 110\nPart 2: 20\n");
    let svg = std::fs::read_to_string(&path).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let texts = svg_texts(&doc);
    for label in [
        "round",
        "bytes in use, all buffers of a strategy (log scale)",
        leaky_label.as_str(),
        "tempcopy: finished, 20 rounds",
        "pingpong: finished, 20 rounds",
        "heap: finished, 20 rounds",
        "buffer size: 3.9 KiB (4,000 B) each",
    ] {
        assert!(texts.contains(&label), "no text {label:?} in {texts:?}");
    }
    for (name, points) in [
        ("leaky", oom),
        ("tempcopy", 21),
        ("pingpong", 21),
        ("heap", 21),
    ] {
        let c = day23::cli::plot::color(name);
        let stroke = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        let lines: Vec<usize> = doc
            .descendants()
            .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(&stroke))
            .map(|n| n.attribute("points").unwrap().split_whitespace().count())
            .collect();
        // The series and its legend sample (two points).
        assert_eq!(lines, [points, 2], "{name}");
        let marker = doc
            .descendants()
            .filter(|n| n.has_tag_name("line") && n.attribute("stroke") == Some(&stroke))
            .count();
        assert_eq!(
            marker,
            if name == "leaky" { 2 } else { 0 },
            "{name}: the cross"
        );
    }
}

/// The text of every `<text>` element, trimmed.
fn svg_texts<'a>(doc: &'a roxmltree::Document<'_>) -> Vec<&'a str> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect()
}

#[test]
fn svg_plot_draws_a_covered_series_as_a_halo_and_says_so() {
    // With the input on the heap, pingpong holds one set, as the heap does:
    // the same figures every round, so pingpong's line lies under heap's.
    let path = temp_path("plot-covered.svg");
    day23()
        .args([
            "-i",
            "inputs/example.txt",
            "-s",
            "pingpong,heap",
            "--input-on-heap",
            "-q",
        ])
        .arg("--plot")
        .arg(&path)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&path).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts = svg_texts(&doc);
    assert!(
        texts.contains(&"pingpong: finished, 20 rounds (under heap)"),
        "{texts:?}"
    );
    assert!(texts.contains(&"heap: finished, 20 rounds"), "{texts:?}");
}

#[test]
fn a_comparison_where_a_buffer_runs_out_exits_0_but_a_single_run_exits_3() {
    // Round 12 on x86-64, 13 on aarch64 (see the SVG plot's test).
    let ExampleBytes { input, set } = example_bytes();
    let oom = (4000 - input) / set;
    day23()
        .args(["-i", "inputs/example.txt", "-s", "leaky,heap", "-b", "4000"])
        .assert()
        .success()
        .stdout(contains(format!("out of memory in round {oom}")))
        .stderr("");
    day23()
        .args([
            "-i",
            "inputs/example.txt",
            "-s",
            "leaky",
            "-b",
            "4000",
            "-f",
            "json",
        ])
        .assert()
        .code(3)
        .stdout(contains("\"kind\": \"out_of_memory\""))
        .stderr(contains(format!("exhausted in round {oom}")));
}

#[test]
fn quiet_comparison_prints_only_the_agreed_answers() {
    day23()
        .args(["-i", "inputs/example.txt", "-s", "all", "-q"])
        .assert()
        .success()
        .stdout("Part 1: 110\nPart 2: 20\n")
        .stderr("");
}

#[test]
fn output_goes_to_a_file_created_before_the_run() {
    let path = temp_path("table.txt");
    day23()
        .args(["-i", "inputs/example.txt", "-s", "all", "-o"])
        .arg(&path)
        .assert()
        .success()
        .stdout("");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("inputs/example.txt: 22 elves"), "{text}");
    // A single strategy's text output goes there too, unchanged.
    day23()
        .args(["-i", "inputs/example.txt", "-s", "leaky", "-o"])
        .arg(&path)
        .assert()
        .success()
        .stdout("");
    let text = std::fs::read_to_string(&path).unwrap();
    // Round 0: 368 bytes on x86-64, 352 on aarch64.
    let ExampleBytes { input, set } = example_bytes();
    assert!(
        text.starts_with(&format!("Round 0 memuse: {}\n", input + set))
            && text.ends_with("Part 1: 110\nPart 2: 20\n"),
        "{text}"
    );
}

#[test]
fn output_or_plot_to_a_bad_path_fails_at_once_naming_it() {
    for flag in ["--output", "--plot"] {
        day23()
            .args([
                "-i",
                "inputs/example.txt",
                "-s",
                "all",
                flag,
                "/no/such/dir/out",
            ])
            .assert()
            .code(1)
            .stdout("")
            .stderr(contains("could not create '/no/such/dir/out'"));
    }
    // Created before the input is read: a bad input is not even looked at.
    day23()
        .args(["-i", "/no/such/input.txt", "-o", "/no/such/dir/out"])
        .assert()
        .code(1)
        .stderr(contains("could not create '/no/such/dir/out'"));
}

#[test]
fn an_output_over_the_input_is_refused_and_the_input_kept() {
    let path = temp_path("input-and-output.txt");
    let example = read("example.txt");
    std::fs::write(&path, &example).unwrap();
    for flag in ["--output", "--plot", "--trace"] {
        day23()
            .arg("-i")
            .arg(&path)
            .arg(flag)
            .arg(&path)
            .assert()
            .code(1)
            .stdout("")
            .stderr(contains(format!(
                "could not create '{}' for {flag}: it is the input",
                path.display()
            )));
        assert_eq!(std::fs::read(&path).unwrap(), example, "{flag}");
    }
}

#[test]
fn trace_of_a_comparison_names_the_strategy_on_every_line() {
    let path = temp_path("trace.txt");
    day23()
        .args([
            "-i",
            "inputs/example.txt",
            "-s",
            "pingpong,leaky",
            "-q",
            "--trace",
        ])
        .arg(&path)
        .assert()
        .success();
    let trace = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = trace.lines().collect();
    assert_eq!(lines[0], "pingpong a alloc 56 1 -> offset=0 end_index=56");
    assert!(lines.contains(&"leaky main alloc 56 1 -> offset=0 end_index=56"));
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("pingpong ") || l.starts_with("leaky "))
    );
}

#[test]
fn help_lists_all_formats_and_the_exit_code_choice() {
    let help = stdout(&["--help"]);
    let words = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for fragment in [
        "all: Every strategy above, one after another",
        "json: One JSON object",
        "csv: One row per strategy and round",
        "A comparison of several strategies exits 0 when a buffer runs out",
        "--layout-every <K>",
        "--plot <PATH>",
    ] {
        assert!(words.contains(fragment), "{fragment:?} not in:\n{help}");
    }
}
