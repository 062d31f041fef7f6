//! What users of command-line tools expect: a `--help` whose paths exist,
//! completions, a man page, and colour on a terminal only. The docs' own
//! checks (links, quoted commands) are in `docs.rs`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use predicates::str::contains;

use crate::common::{day23, example};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every word of `text` that looks like a path in the repository: it has a
/// `/` and a `.` (`docs/guide.md`, not `I/O`) or ends in `.md`, and does
/// not start with `~`, `$` or `-`.
fn paths_in(text: &str) -> BTreeSet<String> {
    text.split(|c: char| c.is_whitespace() || "(),;:'\"`".contains(c))
        .map(|w| w.trim_start_matches('[').trim_end_matches(['.', ']']))
        .filter(|w| {
            ((w.contains('/') && w.contains('.')) || w.ends_with(".md"))
                && !w.starts_with(['~', '$', '-', '{'])
                && !w.contains("://")
                && w.chars().any(char::is_alphabetic)
                && !w.contains('[')
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_path_help_names_exists() {
    let mut named = BTreeSet::new();
    for args in [
        &["--help"][..],
        &["-h"],
        &["check", "--help"],
        &["generate", "--help"],
        &["completions", "--help"],
        &["man", "--help"],
    ] {
        let out = day23().args(args).assert().success();
        let help = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        named.extend(paths_in(&help));
    }
    for must in ["docs/guide.md", "inputs/manifest.json", "README.md"] {
        assert!(
            named.contains(must),
            "--help no longer names {must}: {named:?}"
        );
    }
    let missing: Vec<&String> = named.iter().filter(|p| !root().join(p).exists()).collect();
    assert!(
        missing.is_empty(),
        "--help names paths that do not exist: {missing:?}"
    );
}

#[test]
fn help_has_examples_that_use_the_bundled_inputs() {
    day23()
        .arg("--help")
        .assert()
        .success()
        .stdout(contains("Examples:\n"))
        .stdout(contains("    day23 -i inputs/example.txt\n"))
        .stdout(contains(
            "    day23 check inputs/manifest.json --junit check.xml\n",
        ))
        .stdout(contains("    day23 completions bash > "))
        .stdout(contains("4 (check) an answer differs from the manifest's"));
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("day23-conv-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "bash 4 or later with its completion builtins: CI runs it on Linux"
)]
fn bash_accepts_the_completion_script_and_completes_subcommands() {
    let out = day23().args(["completions", "bash"]).assert().success();
    let script = temp_dir("bash").join("day23.bash");
    std::fs::write(&script, &out.get_output().stdout).unwrap();
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        syntax.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    // Source it and ask the completion function for `day23 ch<TAB>` and
    // `day23 -s <TAB>`.
    let complete = |words: &str| {
        let program = format!(
            "source '{}'; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; \
             _day23 day23 \"${{COMP_WORDS[-1]}}\" \"${{COMP_WORDS[-2]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        let out = Command::new("bash")
            .arg("-c")
            .arg(program)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(complete("day23 ch").trim(), "check");
    let strategies = complete("day23 -s ''");
    for s in ["leaky", "tempcopy", "pingpong", "reuse", "heap", "all"] {
        assert!(
            strategies.lines().any(|l| l == s),
            "{s} not in {strategies:?}"
        );
    }
}

#[test]
fn every_shell_gets_a_completion_script() {
    for (shell, marker) in [
        ("zsh", "#compdef day23"),
        ("fish", "complete -c day23"),
        ("elvish", "edit:completion:arg-completer[day23]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        day23()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(contains(marker));
    }
    day23().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "`man -l` is man-db's, Linux's man: CI runs it there"
)]
fn man_renders_the_man_page() {
    let out = day23().arg("man").assert().success();
    let page = temp_dir("man").join("day23.1");
    std::fs::write(&page, &out.get_output().stdout).unwrap();
    let rendered = Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANWIDTH", "100")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output()
        .expect("man is on PATH: .ci/run installs man-db");
    assert!(
        rendered.status.success(),
        "man -l: {}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    // Justified text has runs of spaces: compare words.
    let text = strip_overstrike(&String::from_utf8_lossy(&rendered.stdout))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for word in [
        "NAME",
        "day23 - Advent of Code 2022 Day 23",
        "SYNOPSIS",
        "--strategy",
        "check",
        "Examples:",
        "day23 check inputs/manifest.json --junit check.xml",
        "Exit codes: 0 success",
    ] {
        assert!(text.contains(word), "no {word:?} in:\n{text}");
    }
    // Every page day23(1) refers to (SEE day23-check(1)) is one `day23 man`
    // prints, and man renders it; clap's `help` has none and is not listed.
    let mut referred: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        if let Some(name) = word
            .strip_prefix("day23-")
            .and_then(|w| w.strip_suffix("(1)"))
            && !referred.iter().any(|r| r == name)
        {
            referred.push(name.to_owned());
        }
    }
    assert_eq!(
        referred,
        ["generate", "check", "completions", "man"],
        "{text}"
    );
    for name in &referred {
        let out = day23().args(["man", name]).assert().success();
        let page = temp_dir("man").join(format!("day23-{name}.1"));
        std::fs::write(&page, &out.get_output().stdout).unwrap();
        let rendered = Command::new("man")
            .arg("-l")
            .arg(&page)
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .output()
            .expect("man is on PATH: .ci/run installs man-db");
        let text = strip_overstrike(&String::from_utf8_lossy(&rendered.stdout));
        assert!(
            rendered.status.success() && text.contains(&format!("day23-{name}")),
            "{name}: {text}"
        );
    }
}

/// Removes `x\bx` (bold) and `_\bx` (underline) overstriking.
fn strip_overstrike(text: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if c == '\u{8}' {
            out.pop();
            continue;
        }
        out.push(c);
    }
    out.into_iter().collect()
}

#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "util-linux's script(1) gives the binary a terminal (BSD's takes other flags): CI runs it on Linux"
)]
fn colour_only_when_asked_or_on_a_terminal() {
    let run = |args: &[&str], no_color: Option<&str>| {
        let mut cmd = day23();
        cmd.args(["-i", &example(), "-s", "all"])
            .args(args)
            .env_remove("CLICOLOR_FORCE");
        match no_color {
            Some(v) => cmd.env("NO_COLOR", v),
            None => cmd.env_remove("NO_COLOR"),
        };
        let out = cmd.assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let plain = run(&[], None);
    assert!(!plain.contains('\u{1b}'), "a pipe gets plain text");
    assert_eq!(run(&["--color", "never"], None), plain);
    assert_eq!(run(&["--color", "auto"], Some("1")), plain);
    let colored = run(&["--color", "always"], Some("1"));
    assert!(
        colored.contains("\u{1b}[32mfinished, 20 rounds\u{1b}[0m"),
        "{colored}"
    );
    assert_eq!(
        colored.replace("\u{1b}[32m", "").replace("\u{1b}[0m", ""),
        plain
    );

    // The error label on standard error.
    day23()
        .args(["-i", "/nonexistent", "--color", "always"])
        .assert()
        .code(1)
        .stderr(contains(
            "\u{1b}[1m\u{1b}[31mError\u{1b}[0m: could not open '/nonexistent'",
        ));
    day23()
        .args(["-i", "/nonexistent"])
        .assert()
        .code(1)
        .stderr(predicates::str::starts_with(
            "Error: could not open '/nonexistent'",
        ));
}

/// `--color never` reaches clap's own messages too, wherever the flag
/// stands: a usage error and the help on a terminal have no escape codes.
#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "util-linux's script(1) gives the binary a terminal (BSD's takes other flags): CI runs it on Linux"
)]
fn color_never_reaches_usage_errors_and_help_on_a_terminal() {
    let bin = assert_cmd::cargo::cargo_bin!("day23");
    let on_a_terminal = |args: &str| {
        let out = Command::new("script")
            .args(["-qec", &format!("'{}' {args}", bin.display()), "/dev/null"])
            .env("TERM", "xterm")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR")
            .output()
            .expect("script (util-linux) is on PATH");
        String::from_utf8(out.stdout).unwrap()
    };
    let coloured = on_a_terminal("-i x -b 1x");
    assert!(
        coloured.contains("error") && coloured.contains('\u{1b}'),
        "{coloured:?}"
    );
    for args in [
        "-i x -b 1x --color never",
        "--color never -i x -b 1x",
        "--color=never --help",
        "check --color never --help",
        "--color never check --help",
    ] {
        let text = on_a_terminal(args);
        assert!(
            text.contains("Usage") || text.contains("error"),
            "{args}: {text:?}"
        );
        assert!(!text.contains('\u{1b}'), "{args}: {text:?}");
    }
}

#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "util-linux's script(1) gives the binary a terminal (BSD's takes other flags): CI runs it on Linux"
)]
fn auto_colours_a_terminal_unless_no_color_is_set() {
    // `script` runs the command on a pseudo-terminal.
    let bin = assert_cmd::cargo::cargo_bin!("day23");
    let command = format!("'{}' -i '{}' -s all", bin.display(), example());
    let on_a_terminal = |no_color: Option<&str>| {
        let mut cmd = Command::new("script");
        cmd.args(["-qec", &command, "/dev/null"])
            .env("TERM", "xterm")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR");
        match no_color {
            Some(v) => cmd.env("NO_COLOR", v),
            None => cmd.env_remove("NO_COLOR"),
        };
        let out = cmd.output().expect("script (util-linux) is on PATH");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let colored = on_a_terminal(None);
    assert!(
        colored.contains("\u{1b}[32mfinished, 20 rounds\u{1b}[0m"),
        "{colored:?}"
    );
    let plain = on_a_terminal(Some("1"));
    assert!(
        plain.contains("finished, 20 rounds") && !plain.contains('\u{1b}'),
        "{plain:?}"
    );
}
