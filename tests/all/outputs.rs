//! Output files: a run never destroys a file. Every output is written
//! beside its target and renamed over it once complete, so a bad input, a
//! bad manifest or an interrupted run leaves the old file byte for byte and
//! no temporary file; an output is never an input (a hard link, a symbolic
//! link, the file standard input reads, the manifest or an input it names);
//! two outputs never share a file; and two processes writing one file leave
//! one whole file. See docs/reliability.md ("Output files").

use std::fs;
use std::path::Path;
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use predicates::str::contains;

use crate::common::{TempDir, bin, day23, example, inputs_dir};

/// Asserts that no temporary file is left in `dir`.
fn assert_no_temporary_file(dir: &TempDir, what: &str) {
    let names = dir.names();
    assert!(
        !names.iter().any(|n| n.contains(".day23-")),
        "{what}: {names:?}"
    );
}

/// The four output flags of a solve.
const FLAGS: [&str; 4] = ["--output", "--trace", "--plot", "--report"];

/// An input with an invalid byte, as a typo would leave it.
const TYPO: &[u8] = b"#.x\n";

/// A manifest of one input, `in.txt`, with its answers.
const MANIFEST: &[u8] = br#"{"inputs": [{"file": "in.txt", "part1": 110, "part2": 20}]}"#;

fn example_bytes() -> Vec<u8> {
    fs::read(example()).unwrap()
}

// ---------------------------------------------------------------------------
// An output is never an input.

#[test]
fn an_output_that_is_the_input_by_a_link_or_standard_input_is_refused() {
    let dir = TempDir::new("links");
    let input = dir.file("in.txt", &example_bytes());
    let hard = dir.path("hard.txt");
    fs::hard_link(&input, &hard).unwrap();
    #[cfg(unix)]
    let soft = {
        let soft = dir.path("soft.txt");
        std::os::unix::fs::symlink("in.txt", &soft).unwrap();
        Some(soft)
    };
    #[cfg(not(unix))]
    let soft: Option<PathBuf> = None;
    let names = dir.names();
    for flag in FLAGS {
        for out in [Some(&hard), soft.as_ref()].into_iter().flatten() {
            day23()
                .arg("-i")
                .arg(&input)
                .arg(flag)
                .arg(out)
                .assert()
                .code(1)
                .stdout("")
                .stderr(contains(format!(
                    "could not create '{}' for {flag}: it is the input, which it would erase",
                    out.display()
                )));
        }
        // `--input -` with standard input read from the output file (a
        // file, not a pipe: assert_cmd would pipe its bytes).
        let run = StdCommand::new(bin())
            .args(["-i", "-", flag])
            .arg(&input)
            .stdin(fs::File::open(&input).unwrap())
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(1), "{flag}: {run:?}");
        assert!(run.stdout.is_empty(), "{flag}");
        assert!(
            String::from_utf8_lossy(&run.stderr).contains(&format!(
                "could not create '{}' for {flag}: it is the input (the file standard input reads)",
                input.display()
            )),
            "{flag}: {run:?}"
        );
        assert_eq!(fs::read(&input).unwrap(), example_bytes(), "{flag}");
        assert_eq!(dir.names(), names, "{flag}");
    }
    // A pipe on standard input is no file: the output is written.
    let out = dir.path("out.txt");
    day23()
        .args(["-i", "-", "-q", "-o"])
        .arg(&out)
        .write_stdin(example_bytes())
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "Part 1: 110\nPart 2: 20\n"
    );
}

#[test]
fn a_junit_report_that_is_the_manifest_or_an_input_is_refused() {
    let dir = TempDir::new("junit-links");
    let manifest = dir.file("m.json", MANIFEST);
    let input = dir.file("in.txt", &example_bytes());
    let mut cases = vec![
        (manifest.clone(), "the manifest".to_owned()),
        (input.clone(), "the manifest's input 'in.txt'".to_owned()),
    ];
    for (target, what) in cases.clone() {
        let name = format!("hard-{}", target.file_name().unwrap().to_string_lossy());
        fs::hard_link(&target, dir.path(&name)).unwrap();
        cases.push((dir.path(&name), what.clone()));
        #[cfg(unix)]
        {
            let name = format!("soft-{}", target.file_name().unwrap().to_string_lossy());
            std::os::unix::fs::symlink(&target, dir.path(&name)).unwrap();
            cases.push((dir.path(&name), what));
        }
    }
    let names = dir.names();
    for (junit, what) in cases {
        day23()
            .args(["check", "-s", "pingpong", "-c", "bitgrid", "--junit"])
            .arg(&junit)
            .arg(&manifest)
            .assert()
            .code(1)
            .stdout("")
            .stderr(contains(format!(
                "could not create '{}' for --junit: it is {what}, which it would erase",
                junit.display()
            )));
        assert_eq!(
            fs::read(&manifest).unwrap(),
            MANIFEST,
            "{}",
            junit.display()
        );
        assert_eq!(
            fs::read(&input).unwrap(),
            example_bytes(),
            "{}",
            junit.display()
        );
        assert_eq!(dir.names(), names, "{}", junit.display());
    }
}

// ---------------------------------------------------------------------------
// Two outputs never share a file.

#[test]
fn two_outputs_on_one_file_are_a_usage_error_naming_both_flags() {
    let dir = TempDir::new("twice");
    let old = dir.file("a.txt", b"old\n");
    fs::hard_link(&old, dir.path("hard.txt")).unwrap();
    fs::create_dir(dir.path("sub")).unwrap();
    let mut cases = vec![
        ("--trace", dir.path("x"), "--plot", dir.path("x")),
        (
            "--output",
            dir.path("x"),
            "--report",
            dir.0.join(".").join("x"),
        ),
        ("--plot", dir.path("sub/../x"), "--report", dir.path("x")),
        (
            "--trace",
            dir.path("a.txt"),
            "--output",
            dir.path("hard.txt"),
        ),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("a.txt", dir.path("soft.txt")).unwrap();
        std::os::unix::fs::symlink("new.txt", dir.path("dangling.txt")).unwrap();
        cases.push(("--output", dir.path("soft.txt"), "--report", old.clone()));
        cases.push((
            "--plot",
            dir.path("dangling.txt"),
            "--trace",
            dir.path("new.txt"),
        ));
    }
    let names = dir.names();
    for (a, path_a, b, path_b) in cases {
        day23()
            .args(["-i", &example(), a])
            .arg(&path_a)
            .arg(b)
            .arg(&path_b)
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains(format!("{a} '{}'", path_a.display())))
            .stderr(contains(format!("{b} '{}'", path_b.display())))
            .stderr(contains("are the same file"));
        assert_eq!(dir.names(), names, "{a} {b}");
        assert_eq!(fs::read(&old).unwrap(), b"old\n", "{a} {b}");
    }
    // Different files in one directory are fine.
    day23()
        .args(["-i", &example(), "-q", "-o"])
        .arg(dir.path("x"))
        .arg("--trace")
        .arg(dir.path("y"))
        .assert()
        .success();
}

// ---------------------------------------------------------------------------
// The old file or the new one, never a part.

/// The arguments that write `flag` to `out` on `input`, quietly where the
/// flag leaves standard output alone.
fn solve_args(input: &Path, flag: &str, out: &Path) -> Vec<String> {
    let mut args = vec!["-i".to_owned(), input.display().to_string()];
    if flag != "--output" {
        args.push("-q".to_owned());
    }
    args.extend([flag.to_owned(), out.display().to_string()]);
    args
}

#[test]
fn a_bad_input_leaves_every_output_as_it_was_and_a_good_one_replaces_it() {
    let dir = TempDir::new("survive");
    let typo = dir.file("typo.txt", TYPO);
    let input = dir.file("in.txt", &example_bytes());
    for flag in FLAGS {
        let old = format!("last week's {flag}\n").into_bytes();
        let out = dir.file("out", &old);
        day23()
            .args(solve_args(&typo, flag, &out))
            .assert()
            .code(1)
            .stdout("")
            .stderr(contains("invalid input"));
        assert_eq!(fs::read(&out).unwrap(), old, "{flag}");
        assert_no_temporary_file(&dir, flag);

        // No old file: none is left behind either.
        fs::remove_file(&out).unwrap();
        day23().args(solve_args(&typo, flag, &out)).assert().code(1);
        assert!(!out.exists(), "{flag}");
        assert_no_temporary_file(&dir, flag);

        fs::write(&out, &old).unwrap();
        day23()
            .args(solve_args(&input, flag, &out))
            .assert()
            .success();
        let new = fs::read(&out).unwrap();
        assert!(new.len() > 20 && new != old, "{flag}");
        assert_no_temporary_file(&dir, flag);
        fs::remove_file(&out).unwrap();
    }
}

#[test]
fn a_bad_manifest_leaves_the_junit_report_as_it_was_and_a_good_one_replaces_it() {
    let dir = TempDir::new("junit-survive");
    let good = dir.file("m.json", MANIFEST);
    dir.file("in.txt", &example_bytes());
    let missing = dir.file(
        "missing.json",
        br#"{"inputs": [{"file": "nowhere.txt", "part1": 1}]}"#,
    );
    let old = b"<testsuites>last week</testsuites>\n".to_vec();
    let junit = dir.file("r.xml", &old);
    day23()
        .args(["check", "-s", "pingpong", "-c", "bitgrid", "--junit"])
        .arg(&junit)
        .arg(&missing)
        .assert()
        .code(1)
        .stderr(contains("nowhere.txt"));
    assert_eq!(fs::read(&junit).unwrap(), old);
    assert_no_temporary_file(&dir, "bad manifest");
    day23()
        .args(["check", "-s", "pingpong", "-c", "bitgrid", "--junit"])
        .arg(&junit)
        .arg(&good)
        .assert()
        .success();
    let report = fs::read_to_string(&junit).unwrap();
    assert!(
        report.contains("<testcase name=\"pingpong/bitgrid\""),
        "{report}"
    );
    assert_no_temporary_file(&dir, "good manifest");
}

#[test]
fn a_run_out_of_memory_writes_its_output() {
    let dir = TempDir::new("oom");
    let out = dir.file("rounds.txt", b"old\n");
    day23()
        .args([
            "-i",
            "inputs/gen-70x70-d50-s1.txt",
            "-s",
            "leaky",
            "-c",
            "zigmap",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(3)
        .stdout("")
        .stderr(contains("exhausted in round 113"));
    let text = fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("Round 112 memuse: 4173320\nPart 1: 3784\n"),
        "{text}"
    );
    assert_no_temporary_file(&dir, "oom");
}

#[test]
fn two_processes_writing_one_output_leave_one_whole_file() {
    let dir = TempDir::new("race");
    let out = dir.path("out.json");
    let commands: [&[&str]; 2] = [
        &["-i", "inputs/example.txt", "-s", "all", "-f", "json"],
        &[
            "-i",
            "inputs/gen-70x70-d50-s1.txt",
            "-s",
            "pingpong",
            "-c",
            "bitgrid",
            "-f",
            "json",
        ],
    ];
    let expected: Vec<Vec<u8>> = commands
        .iter()
        .map(|args| day23().args(*args).output().unwrap().stdout)
        .collect();
    assert_ne!(expected[0], expected[1]);
    fs::write(&out, &expected[0]).unwrap();
    let done = std::sync::atomic::AtomicBool::new(false);
    let reads = std::thread::scope(|s| {
        let writers: Vec<_> = commands
            .iter()
            .map(|args| {
                let out = &out;
                s.spawn(move || {
                    for _ in 0..8 {
                        day23().args(*args).arg("-o").arg(out).assert().success();
                    }
                })
            })
            .collect();
        // A reader all along sees one of the two whole files, never a part.
        let reader = s.spawn(|| {
            let mut reads = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let bytes = fs::read(&out).unwrap();
                assert!(
                    expected.contains(&bytes),
                    "a read of {} bytes is neither whole file",
                    bytes.len()
                );
                reads += 1;
            }
            reads
        });
        for w in writers {
            w.join().unwrap();
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        reader.join().unwrap()
    });
    assert!(reads > 0);
    let last = fs::read(&out).unwrap();
    assert!(expected.contains(&last));
    serde_json::from_slice::<serde_json::Value>(&last).unwrap();
    assert_no_temporary_file(&dir, "race");
}

// ---------------------------------------------------------------------------
// Modes, devices.

/// Runs the binary with `args` under `umask` (through `sh`, the one way to
/// set it without `unsafe`).
#[cfg(unix)]
fn run_with_umask(umask: &str, args: &[String]) -> std::process::Output {
    StdCommand::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(bin())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

#[test]
#[cfg(unix)]
fn a_new_file_gets_the_umasks_mode_and_a_replaced_one_keeps_its_own() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("modes");
    let input = dir.file("in.txt", &example_bytes());
    let manifest = dir.file("m.json", MANIFEST);
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
    let out = dir.path("out");
    let mut commands: Vec<(String, Vec<String>)> = FLAGS
        .iter()
        .map(|flag| (flag.to_string(), solve_args(&input, flag, &out)))
        .collect();
    let out_arg = out.display().to_string();
    commands.push((
        "--junit".to_owned(),
        [
            "check", "-s", "pingpong", "-c", "bitgrid", "--junit", &out_arg,
        ]
        .iter()
        .map(ToString::to_string)
        .chain([manifest.display().to_string()])
        .collect(),
    ));
    commands.push((
        "generate".to_owned(),
        ["generate", "--width", "9", "--height", "9", "-o", &out_arg]
            .map(ToString::to_string)
            .to_vec(),
    ));
    for (what, args) in commands {
        for (umask, expected) in [("027", 0o640), ("002", 0o664)] {
            let _ = fs::remove_file(&out);
            let run = run_with_umask(umask, &args);
            assert!(run.status.success(), "{what}: {run:?}");
            assert_eq!(mode(&out), expected, "{what}, umask {umask}");
        }
        fs::write(&out, b"old\n").unwrap();
        fs::set_permissions(&out, fs::Permissions::from_mode(0o604)).unwrap();
        let run = run_with_umask("077", &args);
        assert!(run.status.success(), "{what}: {run:?}");
        assert_ne!(fs::read(&out).unwrap(), b"old\n", "{what}");
        assert_eq!(mode(&out), 0o604, "{what}");
        assert_no_temporary_file(&dir, &what);
    }
}

#[test]
#[cfg(unix)]
fn devices_and_standard_output_by_name_are_written_in_place() {
    let dir = TempDir::new("devices");
    day23()
        .args(["-i", &example(), "-o", "/dev/null", "--trace", "/dev/null"])
        .assert()
        .success()
        .stdout("");
    // `-o /dev/stdout >> log` appends to the log, as `>>` asks.
    let log = dir.file("log.txt", b"earlier\n");
    let appended = fs::OpenOptions::new().append(true).open(&log).unwrap();
    let status = StdCommand::new(bin())
        .args(["-i", &example(), "-q", "-o", "/dev/stdout"])
        .stdout(appended)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        "earlier\nPart 1: 110\nPart 2: 20\n"
    );
    assert_eq!(dir.names(), ["log.txt"]);
}

// ---------------------------------------------------------------------------
// Interrupted runs.

/// A run that takes seconds: every strategy, the hash set, on the largest
/// bundled input.
fn long_run(outputs: &[&str], jobs: &str) -> Vec<String> {
    let input = inputs_dir().join("gen-300x300-d50-s5.txt");
    let mut args: Vec<String> = [
        "-i",
        &input.display().to_string(),
        "-s",
        "all",
        "-c",
        "hashset",
    ]
    .map(ToString::to_string)
    .to_vec();
    args.extend([
        "-b".to_owned(),
        "64MiB".to_owned(),
        "-j".to_owned(),
        jobs.to_owned(),
    ]);
    args.extend(outputs.iter().map(ToString::to_string));
    args
}

/// A child that is killed if the test fails before it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary with SIGINT and SIGTERM at their default actions (the
/// test may itself run with SIGINT ignored, as a background job of a
/// non-interactive shell is, and a child inherits that), through GNU `env
/// --default-signal` where there is one.
fn start(args: &[String]) -> Running {
    let has_default_signal = StdCommand::new("env")
        .args(["--default-signal=INT,TERM", "true"])
        .status()
        .is_ok_and(|s| s.success());
    let mut cmd = if has_default_signal {
        let mut cmd = StdCommand::new("env");
        cmd.arg("--default-signal=INT,TERM").arg(bin());
        cmd
    } else {
        StdCommand::new(bin())
    };
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    Running(cmd.spawn().unwrap())
}

/// Waits until `dir` holds a temporary file (the run has started), at most
/// 30 s.
fn wait_for_temporary_file(dir: &TempDir) {
    let start = Instant::now();
    while !dir.names().iter().any(|n| n.contains(".day23-")) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no temporary file"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Sends `signal` (`INT`, `TERM`) with the `kill` command.
fn send(child: &Child, signal: &str) {
    let status = StdCommand::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits for `child` to end, at most `limit`; the time it took.
fn wait_at_most(child: &mut Child, limit: Duration) -> (std::process::ExitStatus, Duration) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status, start.elapsed());
        }
        assert!(start.elapsed() < limit, "still running after {limit:?}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
#[cfg(unix)]
fn an_interrupted_run_leaves_the_old_files_and_no_temporary_file_within_a_second() {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    for (signal, number, jobs) in [("INT", 2, "1"), ("INT", 2, "2"), ("TERM", 15, "2")] {
        let dir = TempDir::new(&format!("signal-{signal}-{jobs}"));
        let files = ["out.txt", "trace.txt", "plot.svg", "r.html"]
            .map(|name| (dir.file(name, format!("old {name}\n").as_bytes()), name));
        let [(out, _), (trace, _), (plot, _), (report, _)] = &files;
        let outputs = [
            "-o",
            out.to_str().unwrap(),
            "--trace",
            trace.to_str().unwrap(),
            "--plot",
            plot.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ];
        let mut run = start(&long_run(&outputs, jobs));
        wait_for_temporary_file(&dir);
        // Well into the runs.
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            run.0.try_wait().unwrap().is_none(),
            "the run ended too soon"
        );
        send(&run.0, signal);
        let (status, took) = wait_at_most(&mut run.0, Duration::from_secs(10));
        eprintln!("SIG{signal} with --jobs {jobs}: ended {took:?} after the signal");
        assert_eq!(status.signal(), Some(number), "{status:?}");
        assert!(took < Duration::from_secs(1), "{took:?}");
        let mut stderr = String::new();
        run.0
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert_eq!(
            stderr,
            format!("day23: interrupted by SIG{signal}; the output files were left as they were\n")
        );
        for (path, name) in &files {
            assert_eq!(fs::read_to_string(path).unwrap(), format!("old {name}\n"));
        }
        assert_no_temporary_file(&dir, signal);
    }
}

/// A signal ignored when the run starts (as `nohup` or a background job of a
/// script leaves it) stays ignored; SIGTERM still ends the run cleanly.
#[test]
#[cfg(target_os = "linux")]
fn an_ignored_sigint_stays_ignored() {
    use std::os::unix::process::ExitStatusExt;
    if crate::common::emulated() {
        // qemu-user catches SIGINT on the host for its guest, so the guest's
        // /proc/self/status, where day23 reads what is ignored, shows it
        // caught: only a native run can tell.
        eprintln!("skipped under emulation: /proc/self/status is qemu's, which catches SIGINT");
        return;
    }
    let dir = TempDir::new("ignored");
    let out = dir.file("out.txt", b"old\n");
    let args = long_run(&["-o", out.to_str().unwrap()], "1");
    // `trap '' INT` ignores SIGINT, and `exec` keeps it ignored.
    let mut cmd = StdCommand::new("sh");
    cmd.arg("-c")
        .arg("trap '' INT; exec \"$0\" \"$@\"")
        .arg(bin())
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut run = Running(cmd.spawn().unwrap());
    wait_for_temporary_file(&dir);
    send(&run.0, "INT");
    std::thread::sleep(Duration::from_millis(500));
    assert!(run.0.try_wait().unwrap().is_none(), "SIGINT ended the run");
    send(&run.0, "TERM");
    let (status, _) = wait_at_most(&mut run.0, Duration::from_secs(10));
    assert_eq!(status.signal(), Some(15));
    assert_eq!(fs::read(&out).unwrap(), b"old\n");
    assert_no_temporary_file(&dir, "ignored");
}

/// SIGKILL cannot be caught: it may leave the temporary file, named after
/// the target, but never a damaged target.
#[test]
fn a_killed_run_leaves_the_target_whole_and_at_most_a_recognisable_temporary_file() {
    let dir = TempDir::new("killed");
    let report = dir.file("r.html", b"old report\n");
    let mut run = start(&long_run(&["--report", report.to_str().unwrap()], "1"));
    wait_for_temporary_file(&dir);
    run.0.kill().unwrap();
    run.0.wait().unwrap();
    assert_eq!(fs::read(&report).unwrap(), b"old report\n");
    let names = dir.names();
    assert_eq!(names.len(), 2, "{names:?}");
    let temp = &names[0];
    assert!(
        temp.starts_with(".r.html.day23-") && temp.ends_with(".tmp") && temp.len() == 24,
        "{temp}"
    );
}

/// A bare `-` is standard output for every output flag, never a file named
/// `-`: the trace, the plot, the report, the JUnit report and a generated
/// grid each arrive on standard output, with the solve's own output sent to
/// a file.
#[test]
fn a_dash_is_standard_output_for_every_output_flag() {
    let dir = TempDir::new("dash");
    dir.file("in.txt", &example_bytes());
    dir.file("m.json", MANIFEST);
    let run = |args: &[&str]| {
        let out = day23().current_dir(&dir.0).args(args).assert().success();
        let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert!(!dir.path("-").exists(), "{args:?} made a file named '-'");
        stdout
    };
    let solve = ["-i", "in.txt", "-o", "out.txt"];
    let trace = run(&[&solve[..], &["--trace", "-"]].concat());
    assert!(trace.starts_with("a alloc 56 1 -> offset=0"), "{trace}");
    let svg = run(&[&solve[..], &["--plot", "-"]].concat());
    assert!(
        svg.contains("<svg") && svg.trim_end().ends_with("</svg>"),
        "{svg}"
    );
    let html = run(&[&solve[..], &["--report", "-"]].concat());
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..100]);
    assert!(
        fs::read_to_string(dir.path("out.txt"))
            .unwrap()
            .ends_with("Part 1: 110\nPart 2: 20\n")
    );
    let xml = run(&[
        "check", "m.json", "-s", "heap", "-c", "hashset", "--junit", "-",
    ]);
    assert!(xml.starts_with("<?xml"), "{xml}");
    let grid = run(&[
        "generate", "--width", "8", "--height", "2", "--seed", "42", "-o", "-",
    ]);
    assert_eq!(grid, "..#.###.\n.#.....#\n");
}

/// Two outputs on standard output would mix their bytes: a usage error
/// (exit 2) naming both, before anything is written. The solve's output is
/// on standard output unless `--output PATH` moves it.
#[test]
fn two_outputs_on_standard_output_are_a_usage_error() {
    let dir = TempDir::new("dash-twice");
    let input = example();
    let out = dir.path("out.json").display().to_string();
    for (args, a, b) in [
        (
            vec!["--trace", "-"],
            "the output (no --output)",
            "--trace -",
        ),
        (
            vec!["-q", "-o", "-", "--plot", "-"],
            "--output -",
            "--plot -",
        ),
        (
            vec!["-o", &out, "--trace", "-", "--report", "-"],
            "--trace -",
            "--report -",
        ),
        (
            vec![
                "-s", "all", "-f", "json", "-o", &out, "--layout", "--plot", "-",
            ],
            "--layout",
            "--plot -",
        ),
    ] {
        day23()
            .current_dir(&dir.0)
            .args(["-i", &input])
            .args(&args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!(
                "day23: {a} and {b} would both write to standard output, mixing their bytes;\n\
                 give all but one of them a path of its own ('-' is standard output).\n"
            ));
        assert_eq!(dir.names(), Vec::<String>::new(), "{args:?}");
    }
}
