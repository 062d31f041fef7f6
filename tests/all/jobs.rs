//! `--jobs N`: the runs of a comparison go concurrently, and every output
//! (standard output and error, the exit code, every export file) is byte
//! for byte what `--jobs 1`, one run after another, gives.

use std::path::PathBuf;

use predicates::str::contains;

use crate::common::day23;

/// The inputs compared: the puzzle's example and a generated grid.
const INPUTS: [&str; 2] = ["inputs/example.txt", "inputs/gen-40x90-d30-s3.txt"];

/// Everything one invocation produced.
#[derive(Debug, PartialEq, Eq)]
struct Produced {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Each output file's name and contents.
    files: Vec<(&'static str, Vec<u8>)>,
}

/// Runs `args` with `--jobs jobs`, with every output file named in `files`
/// (flag, file name) written to a folder of its own.
fn produce(name: &str, args: &[&str], files: &[(&str, &'static str)], jobs: usize) -> Produced {
    let dir =
        std::env::temp_dir().join(format!("day23-jobs-{}-{name}-j{jobs}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let paths: Vec<PathBuf> = files.iter().map(|(_, file)| dir.join(file)).collect();
    let mut cmd = day23();
    cmd.args(args).arg("--jobs").arg(jobs.to_string());
    for ((flag, _), path) in files.iter().zip(&paths) {
        cmd.arg(flag).arg(path);
    }
    let out = cmd.output().unwrap();
    let files = files
        .iter()
        .zip(&paths)
        .map(|(&(_, file), path)| (file, std::fs::read(path).unwrap_or_default()))
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    Produced {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        files,
    }
}

/// Asserts that `args` produce the same with `--jobs` 1, 2 and 8, and
/// returns what they produced.
fn same_for_any_jobs(name: &str, args: &[&str], files: &[(&str, &'static str)]) -> Produced {
    let one = produce(name, args, files, 1);
    for jobs in [2, 8] {
        let many = produce(name, args, files, jobs);
        assert_eq!(
            one.code, many.code,
            "{args:?}: exit code with --jobs {jobs}"
        );
        assert_eq!(
            one.stderr, many.stderr,
            "{args:?}: stderr with --jobs {jobs}"
        );
        // Line by line first, for a readable failure.
        for (i, (a, b)) in one.stdout.lines().zip(many.stdout.lines()).enumerate() {
            assert_eq!(a, b, "{args:?}: stdout line {} with --jobs {jobs}", i + 1);
        }
        assert_eq!(
            one.stdout, many.stdout,
            "{args:?}: stdout with --jobs {jobs}"
        );
        for ((file, a), (_, b)) in one.files.iter().zip(&many.files) {
            assert!(a == b, "{args:?}: {file} differs with --jobs {jobs}");
        }
    }
    one
}

#[test]
fn comparison_table_and_every_export_are_identical_for_any_jobs() {
    for (i, input) in INPUTS.iter().enumerate() {
        let all = ["-i", input, "-s", "all", "-c", "all"];
        let produced = same_for_any_jobs(
            &format!("table{i}"),
            &all,
            &[
                ("--trace", "trace.txt"),
                ("--plot", "plot.svg"),
                ("--report", "report.html"),
            ],
        );
        assert_eq!(produced.code, Some(0));
        assert!(
            produced.stdout.contains("pingpong/bitgrid"),
            "{}",
            produced.stdout
        );
        for (file, bytes) in &produced.files {
            assert!(bytes.len() > 1000, "{input}: {file} is nearly empty");
        }
        for format in ["json", "csv"] {
            let mut args = all.to_vec();
            args.extend(["--format", format]);
            let produced =
                same_for_any_jobs(&format!("{format}{i}"), &args, &[("--output", "export")]);
            assert_eq!(produced.code, Some(0));
            assert!(
                produced.files[0].1.len() > 1000,
                "{input}: {format} is nearly empty"
            );
        }
    }
}

#[test]
fn layout_pictures_and_round_lines_are_identical_for_any_jobs() {
    for (i, input) in INPUTS.iter().enumerate() {
        for mode in ["end", "phases"] {
            let args = [
                "-i", input, "-s", "all", "-c", "all", "--layout", mode, "--width", "60",
            ];
            let produced = same_for_any_jobs(&format!("layout-{mode}{i}"), &args, &[]);
            assert_eq!(produced.code, Some(0));
            let out = &produced.stdout;
            assert_eq!(out.matches("Layout: i input").count(), 1, "{out}");
            assert!(
                out.contains("pingpong/bitgrid (buffers a and b of"),
                "{out}"
            );
            assert!(out.contains("\nRound 1 memuse: "), "{out}");
        }
    }
    // One strategy: the write-up's round lines, then the answers.
    let produced = same_for_any_jobs("single", &["-i", INPUTS[0]], &[]);
    assert!(produced.stdout.starts_with("Round 0 memuse: "));
    assert!(produced.stdout.ends_with("Part 1: 110\nPart 2: 20\n"));
}

#[test]
fn running_out_of_memory_is_reported_identically_for_any_jobs() {
    let input = "inputs/gen-70x70-d50-s1.txt";
    // A comparison: exit 0, the table shows where each run ran out.
    let args = ["-i", input, "-s", "all", "-c", "all", "-b", "40KiB"];
    let produced = same_for_any_jobs("oom-all", &args, &[]);
    assert_eq!(produced.code, Some(0));
    assert!(
        produced
            .stdout
            .contains("leaky/bitgrid ran out of memory in round 18")
    );
    // One strategy: exit 3 and the message.
    let produced = same_for_any_jobs("oom-one", &["-i", input, "-s", "leaky", "-b", "40KiB"], &[]);
    assert_eq!(produced.code, Some(3));
    assert!(
        produced.stderr.contains("exhausted in round"),
        "{}",
        produced.stderr
    );
}

#[test]
fn the_first_run_that_cannot_start_in_plan_order_is_the_error_for_any_jobs() {
    // tempcopy's two buffers of 20 GiB exceed the largest stack frame: the
    // comparison stops there, after its heading, whatever runs alongside.
    let args = [
        "-i",
        INPUTS[0],
        "-s",
        "tempcopy,leaky",
        "-b",
        "20GiB",
        "--layout",
    ];
    let produced = same_for_any_jobs("too-large", &args, &[]);
    assert_eq!(produced.code, Some(1));
    assert!(
        produced
            .stdout
            .starts_with("tempcopy (buffers main and temp of")
    );
    assert!(
        produced
            .stderr
            .contains("could not provide 2 buffers of 21474836480 bytes for --strategy tempcopy")
    );
    // An invalid input: every run fails to parse; the first is reported.
    let bad = std::env::temp_dir().join(format!("day23-jobs-{}-bad.txt", std::process::id()));
    std::fs::write(&bad, "#.\n.x\n").unwrap();
    let bad_path = bad.display().to_string();
    let produced = same_for_any_jobs("bad", &["-i", &bad_path, "-s", "all", "-c", "all"], &[]);
    std::fs::remove_file(&bad).unwrap();
    assert_eq!(produced.code, Some(1));
    assert!(
        produced.stderr.contains("at line 2 column 2"),
        "{}",
        produced.stderr
    );
    assert_eq!(produced.stdout, "");
}

#[test]
fn jobs_zero_is_a_usage_error() {
    day23()
        .args(["-i", INPUTS[0], "-s", "all", "--jobs", "0"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("invalid value '0' for '--jobs <N>'"));
}
