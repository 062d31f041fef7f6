//! The advice after a single run runs out of memory is true when followed:
//! the size it names completes the run (and, with Zig's allocator, a byte
//! less does not), and the strategies it names complete within the size
//! given while the others do not.

use crate::common::{day23, example, inputs_dir};

/// The strategies with buffers (`heap` ignores `--buffer-size`).
const BUFFERED: [&str; 4] = ["leaky", "tempcopy", "pingpong", "reuse"];

/// Runs day23 with `args` and `-b size`; its exit code and standard error.
fn run(args: &[&str], size: usize) -> (i32, String) {
    let out = day23()
        .args(args)
        .args(["-q", "-b", &size.to_string()])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The number after `marker` in `text`.
fn number_after(text: &str, marker: &str) -> Option<usize> {
    let rest = &text[text.find(marker)? + marker.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The strategies the advice says complete within the size given.
fn named_strategies(stderr: &str) -> Vec<&str> {
    let Some(start) = stderr.find("; --strategy ") else {
        return Vec::new();
    };
    let list = &stderr[start + "; --strategy ".len()..];
    let list = &list[..list.find(" completes with this --buffer-size").unwrap()];
    list.split([',', ' '])
        .filter(|w| !w.is_empty() && *w != "or")
        .collect()
}

/// Follows the advice `args` at `size` get, and checks every part of it.
fn check_advice(args: &[&str], size: usize, strategy: &str, zig: bool) {
    let (code, stderr) = run(args, size);
    assert_eq!(code, 3, "{args:?} -b {size} should run out: {stderr}");
    let marker = if zig {
        "the smallest --buffer-size with which it completes is "
    } else {
        "it completes with --buffer-size "
    };
    let needed =
        number_after(&stderr, marker).unwrap_or_else(|| panic!("no size advised: {stderr}"));
    assert!(needed > size, "{stderr}");
    let (code, after) = run(args, needed);
    assert_eq!(code, 0, "-b {needed}, as advised, failed: {after}");
    if zig {
        let (code, _) = run(args, needed - 1);
        assert_eq!(
            code,
            3,
            "-b {} completed: {needed} is not the smallest",
            needed - 1
        );
    }
    let named = named_strategies(&stderr);
    for other in BUFFERED.iter().filter(|&&s| s != strategy) {
        let with_other: Vec<&str> = args
            .iter()
            .map(|&a| if a == strategy { *other } else { a })
            .collect();
        let (code, _) = run(&with_other, size);
        let expected = if named.contains(other) { 0 } else { 3 };
        assert_eq!(
            code, expected,
            "--strategy {other} at -b {size} (advice: {stderr})"
        );
    }
}

#[test]
fn the_advised_buffer_size_is_the_smallest_that_completes() {
    let example = example();
    let gen70 = inputs_dir().join("gen-70x70-d50-s1.txt");
    let gen70 = gen70.to_str().unwrap();
    // The input alone does not fit; a set does not fit; leaky's leak; the
    // Zig map; and the 70x70 input under reuse.
    for (strategy, input, cells, size) in [
        ("leaky", example.as_str(), "hashset", 10),
        ("pingpong", &example, "hashset", 300),
        ("leaky", &example, "hashset", 2000),
        ("tempcopy", &example, "zigmap", 100),
        ("reuse", gen70, "hashset", 20_000),
    ] {
        let args = ["-i", input, "-s", strategy, "-c", cells];
        check_advice(&args, size, strategy, true);
    }
}

#[test]
fn bumpalo_gets_a_buffer_size_that_completes() {
    let example = example();
    let args = ["-i", &example, "-s", "leaky", "--allocator", "bumpalo"];
    check_advice(&args, 400, "leaky", false);
}

/// An input of more elves than the advice replays: only what the failed run
/// proves, true too.
#[test]
fn a_large_input_gets_the_least_it_needs() {
    let gen150 = inputs_dir().join("gen-150x150-d50-s4.txt");
    let args = ["-i", gen150.to_str().unwrap(), "-s", "reuse"];
    let (code, stderr) = run(&args, 1000);
    assert_eq!(code, 3, "{stderr}");
    let least = number_after(&stderr, "it needs a --buffer-size of at least ").unwrap();
    assert!(!stderr.contains("--strategy "), "{stderr}");
    let (code, _) = run(&args, least - 1);
    assert_eq!(code, 3);
}
