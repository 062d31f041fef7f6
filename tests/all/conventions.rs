//! What users of command-line tools expect: docs whose links resolve, a
//! `--help` whose paths exist, completions, a man page, and colour on a
//! terminal only.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use predicates::str::contains;

use crate::common::{day23, example};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `README.md` and every `docs/*.md`.
fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// The lines outside fenced code blocks.
fn prose(text: &str) -> Vec<&str> {
    let mut fenced = false;
    text.lines()
        .filter(|line| {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
                return false;
            }
            !fenced
        })
        .collect()
}

/// GitHub's anchor for a heading: lowercase, spaces to `-`, punctuation
/// other than `-` and `_` dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap();
    prose(&text)
        .into_iter()
        .filter_map(|l| l.strip_prefix('#'))
        .map(|l| slug(l.trim_start_matches('#')))
        .collect()
}

/// The targets of the inline links `[text](target)` and images on `line`,
/// outside inline code.
fn link_targets(line: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let plain: String = line
        .split('`')
        .enumerate()
        .map(|(i, part)| if i % 2 == 0 { part } else { "" })
        .collect();
    let mut rest = plain.as_str();
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let Some(end) = after.find(')') else { break };
        targets.push(after[..end].to_owned());
        rest = &after[end..];
    }
    targets
}

#[test]
fn every_relative_link_in_the_docs_resolves_to_a_file_and_heading() {
    let mut checked = 0;
    let mut broken = Vec::new();
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for line in prose(&text) {
            for target in link_targets(line) {
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                checked += 1;
                let (path, anchor) = match target.split_once('#') {
                    Some((p, a)) => (p, Some(a)),
                    None => (target.as_str(), None),
                };
                let resolved = if path.is_empty() {
                    file.clone()
                } else {
                    file.parent().unwrap().join(path)
                };
                if !resolved.exists() {
                    broken.push(format!("{}: {target}: no such file", file.display()));
                } else if let Some(anchor) = anchor
                    && !anchors(&resolved).contains(anchor)
                {
                    broken.push(format!("{}: {target}: no such heading", file.display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(
        checked >= 20,
        "only {checked} links found: is the parser right?"
    );
}

#[test]
fn the_link_checker_finds_broken_links() {
    assert_eq!(
        link_targets("see [a](docs/x.md#y) and ![b](p.svg), not `[c](d)`"),
        ["docs/x.md#y", "p.svg"]
    );
    assert_eq!(
        slug(" Bump allocation, and what happens when the buffer is full"),
        "bump-allocation-and-what-happens-when-the-buffer-is-full"
    );
    assert_eq!(
        slug("Checking answers: `day23 check`"),
        "checking-answers-day23-check"
    );
    assert!(anchors(&root().join("README.md")).contains("exit-codes"));
    assert!(!anchors(&root().join("README.md")).contains("no-such-heading"));
}

#[test]
fn the_readme_is_short_and_starts_with_install_and_the_quick_start() {
    let text = std::fs::read_to_string(root().join("README.md")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() <= 305, "README.md has {} lines", lines.len());
    let heading = |h: &str| lines.iter().position(|l| *l == h).unwrap_or(usize::MAX);
    assert!(heading("## Install") < 40, "install in the first screenful");
    assert!(heading("## Quick start") < 60);
    assert!(heading("## Three uses") < 80);
}

/// Every word of `text` that looks like a path in the repository: it has a
/// `/` and a `.` (`docs/compare.md`, not `I/O`) or ends in `.md`, and does
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
    for must in [
        "docs/compare.md",
        "docs/check.md",
        "inputs/manifest.json",
        "README.md",
    ] {
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

/// A quoted command and the output the docs show for it.
struct Quoted {
    place: String,
    args: Vec<String>,
    expected: Vec<String>,
}

/// Every ```` ```console ```` block of `README.md` and `docs/*.md`: each
/// `$ day23 ARGS` line and the lines after it, up to the next `$ ` line or
/// the end of the block. Any other `$ ` command is an error: a console block
/// quotes day23 only, so that this test can run all of them. A block whose
/// figures are one platform's (the hash set's bytes follow hashbrown's
/// group width) names its architecture, ```` ```console x86_64 ```` or
/// ```` ```console aarch64 ````, and is run on that one only.
fn quoted_commands() -> Vec<Quoted> {
    let mut quoted = Vec::new();
    for path in markdown_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        let mut in_console = false;
        for (n, line) in text.lines().enumerate() {
            let fence = line.trim_start().starts_with("```");
            if fence {
                in_console = !in_console && console_here(line.trim());
                continue;
            }
            if !in_console {
                continue;
            }
            if let Some(command) = line.strip_prefix("$ ") {
                let words: Vec<String> = command.split_whitespace().map(str::to_owned).collect();
                assert_eq!(
                    words.first().map(String::as_str),
                    Some("day23"),
                    "{name}:{}: a console block quotes day23 commands only: {line}",
                    n + 1
                );
                quoted.push(Quoted {
                    place: format!("{name}:{}", n + 1),
                    args: words[1..].to_vec(),
                    expected: Vec::new(),
                });
            } else {
                let last = quoted.last_mut().unwrap_or_else(|| {
                    panic!("{name}:{}: output before any `$ day23` line", n + 1)
                });
                last.expected.push(line.to_owned());
            }
        }
    }
    quoted
}

/// Whether a fence opens a console block to run on this machine.
fn console_here(fence: &str) -> bool {
    match fence.strip_prefix("```console") {
        Some("") => true,
        Some(arch) => {
            let arch = arch.trim();
            assert!(
                ["x86_64", "aarch64"].contains(&arch),
                "a console block for an unknown architecture: {fence}"
            );
            arch == std::env::consts::ARCH
        }
        None => false,
    }
}

/// A line as compared: trailing blanks dropped; a run's time (`0.02 s`) and
/// `check`'s `N at a time` (the machine's cores) replaced by placeholders,
/// with the blanks around them folded, since both vary from run to run.
fn comparable(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    let jobs = |i: usize| {
        words[i].parse::<usize>().is_ok()
            && words
                .get(i + 1..i + 4)
                .is_some_and(|w| w[0] == "at" && w[1] == "a" && w[2].starts_with("time"))
    };
    let timed =
        words.windows(2).any(|w| is_seconds(w[0]) && w[1] == "s") || (0..words.len()).any(jobs);
    if !timed {
        return line.trim_end().to_owned();
    }
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        if is_seconds(word) && words.get(i + 1) == Some(&"s") {
            out.push("<seconds>");
        } else if jobs(i) {
            out.push("<jobs>");
        } else {
            out.push(word);
        }
    }
    out.join(" ")
}

fn is_seconds(word: &str) -> bool {
    word.split_once('.').is_some_and(|(whole, frac)| {
        !whole.is_empty()
            && !frac.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Whether `actual` shows `expected`, where a line `...` stands for any
/// number of lines (none included).
fn shows(expected: &[String], actual: &[String]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => {
            (0..=actual.len()).any(|skip| shows(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(line, more)| line == first && shows(rest, more)),
    }
}

/// What a quoted command needs that the docs describe in prose: the
/// failing manifest of docs/check.md (`m.json`, with part 1 of the example
/// changed to 111, beside a copy of `example.txt`), made in `dir`, which
/// becomes the command's folder.
fn prepare(args: &[String], dir: &Path) -> Option<PathBuf> {
    if args.first().map(String::as_str) == Some("check")
        && args.get(1).map(String::as_str) == Some("m.json")
    {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::copy(example(), dir.join("example.txt")).unwrap();
        std::fs::write(
            dir.join("m.json"),
            r#"{"inputs": [{"file": "example.txt", "part1": 111, "part2": 20}]}"#,
        )
        .unwrap();
        return Some(dir.to_path_buf());
    }
    None
}

#[test]
fn every_command_the_docs_quote_prints_what_they_show() {
    let quoted = quoted_commands();
    assert!(
        quoted.len() >= 14,
        "expected the README's and docs' console blocks, found {}",
        quoted.len()
    );
    let scratch = std::env::temp_dir().join(format!("day23-docs-{}", std::process::id()));
    let mut wrong = Vec::new();
    for (i, q) in quoted.iter().enumerate() {
        let mut cmd = day23();
        if let Some(dir) = prepare(&q.args, &scratch.join(i.to_string())) {
            cmd.current_dir(dir);
        }
        let out = cmd.args(&q.args).output().unwrap();
        // stdout, then stderr: what a terminal shows for these commands,
        // whose errors come after the answers reached.
        let actual: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .chain(String::from_utf8_lossy(&out.stderr).lines())
            .map(comparable)
            .collect();
        let expected: Vec<String> = q.expected.iter().map(|l| comparable(l)).collect();
        let expected = match expected.iter().rposition(|l| !l.is_empty()) {
            Some(last) => &expected[..=last],
            None => &expected[..],
        };
        if !shows(expected, &actual) {
            wrong.push(format!(
                "{}: day23 {}\n--- the docs show\n{}\n--- it prints\n{}",
                q.place,
                q.args.join(" "),
                expected.join("\n"),
                actual.join("\n")
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn a_quoted_output_matches_with_elisions_and_times() {
    let lines = |s: &str| s.lines().map(comparable).collect::<Vec<_>>();
    let actual = lines("a\nb\nc\npass  x  0.01 s  ok\nd");
    assert!(shows(&lines("a\n...\npass  x  12.50 s  ok\nd"), &actual));
    assert!(shows(&lines("...\nd"), &actual));
    assert!(shows(&lines("a\nb\n...\nc\n...\nd"), &actual));
    assert!(!shows(&lines("a\nc\n...\nd"), &actual), "a line left out");
    assert!(!shows(&lines("a\n..."), &lines("b")), "a wrong first line");
    assert!(!shows(&lines("...\nc"), &actual), "a wrong last line");
    assert_eq!(
        comparable("36 runs, 2 at a time"),
        "36 runs, <jobs> at a time"
    );
    assert_eq!(comparable("Part 1: 3784  "), "Part 1: 3784");
}
