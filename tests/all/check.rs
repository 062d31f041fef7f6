//! `day23 check`: verdicts, exit codes, the JUnit report and bad manifests.

use std::path::PathBuf;

use clap::ValueEnum;

use predicates::str::contains;

use crate::common::{day23, inputs_dir};

/// A fresh folder holding the given files, and the bundled examples.
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("day23-check-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("in")).unwrap();
    for example in ["example.txt", "small.txt"] {
        std::fs::copy(inputs_dir().join(example), dir.join("in").join(example)).unwrap();
    }
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

/// The run lines without their times, which vary.
fn without_times(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.starts_with("pass") || l.starts_with("FAIL") || l.starts_with("oom"))
        .map(|l| {
            let (head, tail) = l.split_once(" s  ").unwrap();
            let head = head.rsplit_once(' ').unwrap().0.trim_end();
            format!("{head} | {tail}")
        })
        .collect()
}

const GOOD: &str = r#"{"inputs": [
  {"file": "in/example.txt", "source": "the larger example", "elves": 22, "part1": 110, "part2": 20},
  {"file": "in/small.txt", "part1": 25}
]}"#;

#[test]
fn check_passes_every_strategy_and_cell_kind_on_a_good_manifest() {
    let dir = folder("good", &[("m.json", GOOD)]);
    let assert = day23()
        .args(["check", "--color", "always"])
        .arg(dir.join("m.json"))
        .env_remove("NO_COLOR")
        .assert()
        .code(0)
        .stderr("");
    let out = stdout_of(&assert);
    let strategies = day23::strategy::StrategyKind::ALL.len();
    let cells = day23::cells::CellKind::value_variants().len();
    let runs = 2 * strategies * cells;
    assert!(
        out.starts_with(&format!(
            "day23 check {}: 2 inputs x {strategies} strategies x {cells} cell kinds = {runs} runs, each buffer 4,194,304 bytes,",
            dir.join("m.json").display()
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "\n{runs} runs: {runs} passed, 0 failed, 0 out of memory (not failures); "
        )),
        "{out}"
    );
    // Colour was asked for: each verdict is green.
    assert_eq!(
        out.matches("\u{1b}[32mpass\u{1b}[0m").count(),
        runs,
        "{out}"
    );
}

#[test]
fn check_lines_name_the_input_the_run_and_the_answers_in_manifest_order() {
    let dir = folder("lines", &[("m.json", GOOD)]);
    let assert = day23()
        .args(["check", "-s", "leaky,heap", "-c", "hashset", "-j", "2"])
        .arg(dir.join("m.json"))
        .assert()
        .code(0);
    let out = stdout_of(&assert);
    assert!(!out.contains('\u{1b}'), "no colour on a pipe: {out}");
    assert_eq!(
        without_times(&out),
        [
            "pass  in/example.txt  leaky/hashset | part 1 110; part 2 20",
            "pass  in/example.txt  heap/hashset | part 1 110; part 2 20",
            "pass  in/small.txt    leaky/hashset | part 1 25",
            "pass  in/small.txt    heap/hashset | part 1 25",
        ]
    );
}

#[test]
fn a_wrong_answer_fails_with_exit_code_4_and_a_junit_failure() {
    let wrong = r#"{"inputs": [{"file": "in/example.txt", "part1": 111, "part2": 20}]}"#;
    let dir = folder("wrong", &[("m.json", wrong)]);
    let junit = dir.join("report.xml");
    let assert = day23()
        .args([
            "check",
            "-s",
            "pingpong",
            "-c",
            "bitgrid,hashset",
            "--junit",
        ])
        .arg(&junit)
        .arg(dir.join("m.json"))
        .assert()
        .code(4)
        .stderr("");
    let out = stdout_of(&assert);
    assert_eq!(
        without_times(&out),
        [
            "FAIL  in/example.txt  pingpong/bitgrid | part 1: expected 111, found 110; part 2 20",
            "FAIL  in/example.txt  pingpong/hashset | part 1: expected 111, found 110; part 2 20",
        ]
    );
    assert!(
        out.contains("\n2 runs: 0 passed, 2 failed, 0 out of memory"),
        "{out}"
    );
    assert!(out.contains("\nfailed: in/example.txt pingpong/bitgrid: part 1: expected 111, found 110; part 2 20\n"), "{out}");

    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some("2"));
    assert_eq!(root.attribute("failures"), Some("2"));
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0].attribute("name"), Some("pingpong/bitgrid"));
    assert_eq!(cases[0].attribute("classname"), Some("in/example.txt"));
    let failure = cases[0]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(failure.attribute("type"), Some("wrong answer"));
    assert_eq!(
        failure.attribute("message"),
        Some("part 1: expected 111, found 110; part 2 20")
    );
}

#[test]
fn out_of_memory_before_an_answer_is_not_a_failure_but_a_wrong_answer_before_it_is() {
    let dir = folder(
        "oom",
        &[
            (
                "ok.json",
                r#"{"inputs": [{"file": "in/example.txt", "part1": 110, "part2": 20}]}"#,
            ),
            (
                "bad.json",
                r#"{"inputs": [{"file": "in/example.txt", "part1": 1, "part2": 20}]}"#,
            ),
        ],
    );
    // 3,408 bytes: leaky completes round 10 (part 1) and runs out in round 11.
    let junit = dir.join("oom.xml");
    let assert = day23()
        .args([
            "check", "-s", "leaky", "-c", "hashset", "-b", "3408", "--junit",
        ])
        .arg(&junit)
        .arg(dir.join("ok.json"))
        .assert()
        .code(0);
    assert_eq!(
        without_times(&stdout_of(&assert)),
        [
            "oom   in/example.txt  leaky/hashset | part 1 110; part 2 not reached; out of memory in round 11 (buffer 'main' of 3,408 bytes)"
        ]
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(doc.root_element().attribute("skipped"), Some("1"));
    assert_eq!(doc.root_element().attribute("failures"), Some("0"));

    let assert = day23()
        .args(["check", "-s", "leaky", "-c", "hashset", "-b", "3408"])
        .arg(dir.join("bad.json"))
        .assert()
        .code(4);
    assert_eq!(
        without_times(&stdout_of(&assert)),
        [
            "FAIL  in/example.txt  leaky/hashset | part 1: expected 1, found 110; part 2 not reached; out of memory in round 11 (buffer 'main' of 3,408 bytes)"
        ]
    );
}

fn assert_bad_manifest(name: &str, text: &str, message: &str) {
    let dir = folder(name, &[("m.json", text)]);
    let path = dir.join("m.json");
    day23()
        .args(["check"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains(format!(
            "Error: bad manifest '{}'",
            path.display()
        )))
        .stderr(contains(message));
}

#[test]
fn bad_manifests_exit_1_with_the_path_and_what_is_wrong() {
    assert_bad_manifest(
        "syntax",
        "{\"inputs\": [",
        "EOF while parsing a list at line 1 column 12",
    );
    assert_bad_manifest(
        "missing",
        r#"{"inputs": [{"part1": 1}]}"#,
        "missing field `file` at line 1 column 24",
    );
    assert_bad_manifest(
        "typo",
        r#"{"inputs": [{"file": "in/small.txt", "par2": 4}]}"#,
        "unknown field `par2`, expected one of `file`, `source`, `elves`, `part1`, `part2`",
    );
    assert_bad_manifest(
        "negative",
        r#"{"inputs": [{"file": "in/small.txt", "part1": -1}]}"#,
        "invalid value: integer `-1`, expected u64",
    );
    assert_bad_manifest(
        "empty",
        r#"{"inputs": []}"#,
        "\"inputs\" is empty, so there is nothing to check",
    );
    assert_bad_manifest(
        "nothing",
        r#"{"inputs": [{"file": "in/small.txt"}]}"#,
        "input 1 (\"in/small.txt\"): neither \"part1\" nor \"part2\" is given",
    );
    assert_bad_manifest(
        "absent",
        r#"{"inputs": [{"file": "in/small.txt", "part1": 25}, {"file": "nope.txt", "part1": 1}]}"#,
        "input 2 (\"nope.txt\"): could not open '",
    );
    let dir = folder(
        "invalid",
        &[
            ("m.json", r#"{"inputs": [{"file": "x.txt", "part1": 1}]}"#),
            ("x.txt", "..#\n.x.\n"),
        ],
    );
    day23()
        .arg("check")
        .arg(dir.join("m.json"))
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("input 1 (\"x.txt\"): invalid input '"))
        .stderr(contains("unexpected 'x' at line 2 column 2"));
    day23()
        .args(["check", "/nonexistent/manifest.json"])
        .assert()
        .code(1)
        .stderr(contains(
            "could not read manifest '/nonexistent/manifest.json': No such file",
        ));
}

/// What a user hits first: a manifest saved with a byte order mark, one
/// whose top is an array, one that names a file twice, and the relative
/// default manifest outside the repository.
#[test]
fn manifests_as_users_write_them_are_read_or_refused_with_what_to_do() {
    let dir = folder(
        "bom",
        &[(
            "m.json",
            "\u{feff}{\"inputs\": [{\"file\": \"in/small.txt\", \"part1\": 25}]}",
        )],
    );
    day23()
        .args(["check", "-s", "pingpong", "-c", "bitgrid"])
        .arg(dir.join("m.json"))
        .assert()
        .success()
        .stdout(contains("1 input x 1 strategy x 1 cell kind = 1 run,"))
        .stdout(contains("\n1 run: 1 passed, 0 failed"));
    assert_bad_manifest(
        "array",
        r#"[{"file": "in/small.txt", "part1": 25}]"#,
        "expected a JSON object {\"inputs\": [",
    );
    assert_bad_manifest("array-says", "[]", "found an array");
    assert_bad_manifest(
        "twice",
        r#"{"inputs": [{"file": "in/small.txt", "part1": 25}, {"file": "in/../in/small.txt", "part1": 25}]}"#,
        "input 2 (\"in/../in/small.txt\"): the same file as input 1",
    );
    let elsewhere = folder("elsewhere", &[]);
    day23()
        .arg("check")
        .current_dir(&elsewhere)
        .assert()
        .code(1)
        .stderr(contains(format!(
            "could not read manifest 'inputs/quick.json' (looked in {}; name one: day23 check PATH.json)",
            elsewhere.display()
        )));
}

/// `--color` goes before the subcommand or after it; a solving flag with a
/// subcommand is a usage error naming both.
#[test]
fn color_goes_either_side_of_check_and_solving_flags_do_not() {
    let dir = folder("color", &[("m.json", GOOD)]);
    for args in [
        ["--color", "never", "check", "-s", "pingpong"],
        ["check", "--color", "never", "-s", "pingpong"],
    ] {
        day23()
            .args(args)
            .arg(dir.join("m.json"))
            .assert()
            .success()
            .stdout(contains(" passed, 0 failed"));
    }
    day23()
        .args(["-i", "x.txt", "check"])
        .assert()
        .code(2)
        .stderr(contains(
            "the subcommand 'check' cannot be used with '--input <PATH>'",
        ));
}

#[test]
fn a_junit_path_that_cannot_be_created_fails_before_any_run() {
    let dir = folder("junit", &[("m.json", GOOD)]);
    day23()
        .args(["check", "--junit", "/nonexistent/dir/r.xml"])
        .arg(dir.join("m.json"))
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("could not create '/nonexistent/dir/r.xml'"));
}

/// The entries of a manifest in `inputs/`, as JSON values.
fn entries(name: &str) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(inputs_dir().join(name)).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    manifest["inputs"].as_array().unwrap().clone()
}

#[test]
fn the_quick_manifest_is_the_bundled_one_without_its_largest_input() {
    // Same entries, same answers, in the same order: only the 300x300 input
    // (44,660 elves; minutes under the hash tables) is left out.
    let all = entries("manifest.json");
    let quick = entries("quick.json");
    let kept: Vec<serde_json::Value> = all
        .iter()
        .filter(|e| e["elves"].as_u64().unwrap() <= 20_000)
        .cloned()
        .collect();
    assert_eq!(quick, kept);
    assert_eq!(all.len() - quick.len(), 1);
    assert!(!quick.iter().any(|e| e["file"] == "gen-300x300-d50-s5.txt"));
}

#[test]
fn the_default_manifest_is_the_quick_one() {
    // Only the bit grid, under heap: every quick input in well under a second.
    let assert = day23()
        .args(["check", "-s", "heap", "-c", "bitgrid"])
        .assert()
        .code(0);
    let out = stdout_of(&assert);
    let n = entries("quick.json").len();
    assert!(
        out.starts_with(&format!(
            "day23 check inputs/quick.json: {n} inputs x 1 strategy x 1 cell kind = {n} runs"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("\n{n} runs: {n} passed, 0 failed")),
        "{out}"
    );
}

/// `check -` reads the manifest from standard input, and a manifest on a
/// pipe (`/dev/stdin`) has no folder: its relative paths are relative to the
/// current directory, not to `/dev/`. `--junit -` writes the report to
/// standard output and the run lines to standard error.
#[test]
fn a_manifest_on_standard_input_resolves_against_the_current_directory() {
    let manifest = r#"{"inputs": [{"file": "in/example.txt", "part1": 110, "part2": 20}]}"#;
    // The manifest's own folder is elsewhere: `sub/` has no `in/`.
    let dir = folder("stdin", &[]);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/m.json"), manifest).unwrap();
    let quick = ["-s", "heap", "-c", "hashset"];
    let mut names = vec!["-"];
    if cfg!(unix) {
        names.push("/dev/stdin");
    }
    for name in names {
        let out = day23()
            .current_dir(&dir)
            .args(["check", name])
            .args(quick)
            .write_stdin(manifest)
            .assert()
            .success();
        let shown = if name == "-" { "<stdin>" } else { name };
        let stdout = stdout_of(&out);
        assert!(
            stdout.starts_with(&format!("day23 check {shown}: 1 input")),
            "{stdout}"
        );
        assert_eq!(
            without_times(&stdout),
            ["pass  in/example.txt  heap/hashset | part 1 110; part 2 20"]
        );
    }
    // A manifest file still resolves against its folder.
    day23()
        .current_dir(&dir)
        .args(["check", "sub/m.json"])
        .args(quick)
        .assert()
        .code(1)
        .stderr(contains("could not open 'sub/in/example.txt'"));
    let out = day23()
        .current_dir(&dir)
        .args(["check", "-", "--junit", "-"])
        .args(quick)
        .write_stdin(manifest)
        .assert()
        .success();
    let stdout = stdout_of(&out);
    assert!(stdout.starts_with("<?xml"), "{stdout}");
    assert!(
        stdout.contains("<testcase name=\"heap/hashset\""),
        "{stdout}"
    );
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("1 run: 1 passed"), "{stderr}");
    assert!(!dir.join("-").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
