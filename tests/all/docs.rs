//! The docs are checked as a user reads them: every relative link and
//! anchor resolves, and every command a ```` ```console ```` block quotes is
//! run by `trycmd` against the binary and prints what the block shows.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::TempDir;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `README.md`, `CHANGELOG.md` and every `docs/*.md`.
fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md"), root().join("CHANGELOG.md")];
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
    assert!(lines.len() <= 300, "README.md has {} lines", lines.len());
    let heading = |h: &str| lines.iter().position(|l| *l == h).unwrap_or(usize::MAX);
    assert!(heading("## Install") < 40, "install in the first screenful");
    assert!(heading("## Quick start") < 60);
    assert!(heading("## Three uses") < 80);
}

/// The architecture a console block's fence names: ```` ```console ```` runs
/// everywhere (`None`); a block whose figures are one platform's (the hash
/// set's bytes follow hashbrown's SIMD group width) names it,
/// ```` ```console x86_64 ```` or ```` ```console aarch64 ````. trycmd reads
/// a fence's first comma-separated word as the language, so it runs the
/// plain blocks itself and skips the named ones; [`this_platforms_blocks`]
/// hands it this machine's.
fn console_arch(fence: &str) -> Option<Option<&str>> {
    let info = fence.trim().strip_prefix("```")?;
    let rest = info.strip_prefix("console")?;
    if rest.is_empty() || rest.starts_with(',') {
        return Some(None);
    }
    let arch = rest.trim();
    assert!(
        ["x86_64", "aarch64"].contains(&arch),
        "a console block for an unknown architecture: {fence}"
    );
    Some(Some(arch))
}

/// `text` with only the console blocks for `arch`, their fences made plain
/// ```` ```console ````, and every other line left blank, so that trycmd's
/// line numbers are the file's own.
fn this_platforms_blocks(text: &str, arch: &str) -> Option<String> {
    let mut out = String::new();
    let mut inside: Option<bool> = None; // Some(keep) within a fence
    let mut any = false;
    for line in text.lines() {
        let fence = line.trim_start().starts_with("```");
        match inside {
            None if fence => {
                let keep = console_arch(line) == Some(Some(arch));
                any |= keep;
                out.push_str(if keep { "```console" } else { "" });
                inside = Some(keep);
            }
            Some(keep) if fence && line.trim() == "```" => {
                out.push_str(if keep { "```" } else { "" });
                inside = None;
            }
            Some(true) => out.push_str(line),
            _ => {}
        }
        out.push('\n');
    }
    any.then_some(out)
}

/// Every `$ ` line of the console blocks, with its place: each must run
/// day23, the one program the test registers.
fn quoted_commands(arch: &str) -> Vec<String> {
    let mut commands = Vec::new();
    for path in markdown_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        let mut run_here = None;
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("```") {
                run_here = match run_here {
                    None => Some(console_arch(line).is_some_and(|a| a.is_none_or(|a| a == arch))),
                    Some(_) => None,
                };
                continue;
            }
            if run_here == Some(true)
                && let Some(command) = line.strip_prefix("$ ")
            {
                assert!(
                    command.starts_with("day23 "),
                    "{name}:{}: a console block quotes day23 commands only: {line}",
                    n + 1
                );
                commands.push(format!("{name}:{}: {command}", n + 1));
            }
        }
    }
    commands
}

#[test]
fn every_command_the_docs_quote_prints_what_they_show() {
    let arch = std::env::consts::ARCH;
    let quoted = quoted_commands(arch);
    assert!(
        quoted.len() >= 14,
        "expected the README's and docs' console blocks, found {}",
        quoted.len()
    );
    let scratch = TempDir::new("docs-blocks");
    let cases = trycmd::TestCases::new();
    cases
        .register_bin("day23", assert_cmd::cargo::cargo_bin!("day23"))
        .env("COLUMNS", "80");
    for path in markdown_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        cases.case(&path);
        if let Some(blocks) = this_platforms_blocks(&text, arch) {
            let name = path.strip_prefix(root()).unwrap().display().to_string();
            cases.case(scratch.file(
                &format!("{}.{arch}.md", name.replace('/', "_")),
                blocks.as_bytes(),
            ));
        }
    }
    cases.run();
}

#[test]
fn each_platforms_blocks_go_to_that_platform_only() {
    let text = "a\n```console\n$ day23 -q\n```\n```console x86_64\n$ day23 -x\nX\n```\n\
                ```console aarch64\n$ day23 -a\n```\n```sh\nls\n```\n";
    let x86 = this_platforms_blocks(text, "x86_64").unwrap();
    assert_eq!(
        x86.lines().count(),
        text.lines().count(),
        "line numbers kept"
    );
    assert!(x86.contains("```console\n$ day23 -x\nX\n```"), "{x86:?}");
    assert!(!x86.contains("-q") && !x86.contains("-a") && !x86.contains("ls"));
    let arm = this_platforms_blocks(text, "aarch64").unwrap();
    assert!(arm.contains("$ day23 -a") && !arm.contains("-x"));
    assert_eq!(
        this_platforms_blocks("```console\n$ day23\n```\n", "x86_64"),
        None
    );
    assert_eq!(console_arch("```console"), Some(None));
    assert_eq!(console_arch("```console,ignore"), Some(None));
    assert_eq!(console_arch("```console aarch64"), Some(Some("aarch64")));
    assert_eq!(console_arch("```text"), None);
}
