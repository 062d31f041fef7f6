//! # The manifest: inputs and their answers
//!
//! The format of `inputs/manifest.json`: an object with one field, `inputs`,
//! a list of entries. An entry names its `file` (relative to the manifest's
//! folder, or absolute; relative to the current directory when the manifest
//! is standard input, `-`, or not a regular file: `/dev/stdin`, a pipe) and the answers `part1` and `part2`, either of which
//! may be absent (but not both); `source` and `elves` describe the input and
//! are not checked. Any other field is an error, so a misspelt answer is not
//! silently skipped.
//!
//! Loading reads and parses every input before any run starts, so a bad
//! manifest or input fails at once, with the path and what is wrong.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::cli::input::display_name;
use crate::cli::outfile::is_dash;

/// One input and its answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The file as the manifest names it.
    pub file: String,
    /// The file's path: relative to the manifest's folder (the current
    /// directory for a manifest on standard input or a pipe).
    pub path: PathBuf,
    /// The expected answer of part 1, if given.
    pub part1: Option<u64>,
    /// The expected answer of part 2, if given.
    pub part2: Option<usize>,
    /// The input's bytes, checked to parse.
    pub bytes: Vec<u8>,
}

/// A loaded manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The manifest's path, as given.
    pub path: PathBuf,
    /// Its inputs, in order.
    pub entries: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    inputs: Vec<RawEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    file: String,
    #[allow(dead_code, reason = "a description, not checked")]
    source: Option<String>,
    #[allow(dead_code, reason = "a description, not checked")]
    elves: Option<u64>,
    part1: Option<u64>,
    part2: Option<usize>,
}

impl Manifest {
    /// Reads the manifest at `path` and every input it names.
    ///
    /// # Errors
    ///
    /// The manifest cannot be read, is not JSON of the expected form (with
    /// the line and column), lists no input or an entry with no answer; or
    /// an input cannot be read or is not a valid puzzle input. The message
    /// names the manifest, the entry and what is wrong.
    pub fn load(path: &Path) -> Result<Self> {
        let shown = display_name(path);
        let text = read_text(path).with_context(|| {
            let here = std::env::current_dir()
                .ok()
                .filter(|_| path.is_relative() && !is_dash(path));
            match here {
                Some(dir) => format!(
                    "could not read manifest '{shown}' (looked in {}; name one: day23 check PATH.json)",
                    dir.display()
                ),
                None => format!("could not read manifest '{shown}'"),
            }
        })?;
        // Editors on Windows save JSON with a byte order mark; inputs accept one too.
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        // A struct can be read from a JSON array too, which makes serde's message
        // about an array at the top speak of its first element: say it here.
        if let Some(found) = not_an_object(text) {
            bail!("bad manifest '{shown}': expected a JSON object {FORM}, found {found}");
        }
        let raw: RawManifest = serde_json::from_str(text)
            .with_context(|| format!("bad manifest '{shown}': expected {FORM}"))?;
        if raw.inputs.is_empty() {
            bail!("bad manifest '{shown}': \"inputs\" is empty, so there is nothing to check");
        }
        let folder = folder(path);
        let mut entries = Vec::with_capacity(raw.inputs.len());
        let mut files = Vec::with_capacity(raw.inputs.len());
        for (i, entry) in raw.inputs.into_iter().enumerate() {
            let at = || {
                format!(
                    "bad manifest '{shown}': input {} (\"{}\")",
                    i + 1,
                    entry.file
                )
            };
            if entry.part1.is_none() && entry.part2.is_none() {
                bail!(
                    "{}: neither \"part1\" nor \"part2\" is given, so there is nothing to check",
                    at()
                );
            }
            if entry.file.is_empty() {
                bail!("{}: \"file\" is empty, expected a path", at());
            }
            let input = folder.join(&entry.file);
            // The file, not its spelling: `a.txt` and `./a.txt` are one input.
            let file = std::fs::canonicalize(&input).unwrap_or_else(|_| input.clone());
            if let Some(k) = files.iter().position(|f| *f == file) {
                bail!(
                    "{}: the same file as input {}, which would be checked twice",
                    at(),
                    k + 1
                );
            }
            let bytes = crate::cli::input::read_input(&input).with_context(at)?;
            crate::grid::parse(&bytes)
                .with_context(|| format!("invalid input '{}'", input.display()))
                .with_context(at)?;
            files.push(file);
            entries.push(Entry {
                file: entry.file,
                path: input,
                part1: entry.part1,
                part2: entry.part2,
                bytes,
            });
        }
        Ok(Self {
            path: path.to_owned(),
            entries,
        })
    }
}

/// Where the manifest's relative paths start: its folder, or the current
/// directory when it is standard input (`-`) or no regular file
/// (`/dev/stdin`, `/dev/fd/0`, a named pipe), whose folder says nothing.
fn folder(path: &Path) -> &Path {
    let regular = !is_dash(path) && fs::metadata(path).is_ok_and(|meta| meta.is_file());
    match path.parent() {
        Some(folder) if regular => folder,
        _ => Path::new(""),
    }
}

/// What the top of `text` is when it is not a JSON object (`None` when it
/// is one, or is not JSON at all, which serde then reports).
fn not_an_object(text: &str) -> Option<&'static str> {
    match text.trim_start().chars().next()? {
        '{' => None,
        '[' => Some("an array"),
        '"' => Some("a string"),
        '-' | '0'..='9' => Some("a number"),
        't' | 'f' => Some("a boolean"),
        'n' => Some("null"),
        _ => None,
    }
}

/// The expected form, for messages.
const FORM: &str =
    r#"{"inputs": [{"file": PATH, "part1": N, "part2": N}, ...] (part1 or part2 may be absent)"#;

/// The largest manifest read, so that `/dev/zero` ends with a clear error.
const MAX_MANIFEST_BYTES: u64 = 16 << 20;

/// The manifest's text, at most [`MAX_MANIFEST_BYTES`]; `-` is standard
/// input.
fn read_text(path: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    if is_dash(path) {
        io::stdin()
            .lock()
            .take(MAX_MANIFEST_BYTES + 1)
            .read_to_end(&mut bytes)?;
    } else {
        let file = File::open(path)?;
        if file.metadata()?.is_dir() {
            bail!("it is a directory, expected a JSON file");
        }
        file.take(MAX_MANIFEST_BYTES + 1).read_to_end(&mut bytes)?;
    }
    if bytes.len() as u64 > MAX_MANIFEST_BYTES {
        bail!("larger than {MAX_MANIFEST_BYTES} bytes, the most this tool reads");
    }
    String::from_utf8(bytes).map_err(|e| anyhow::anyhow!("not UTF-8: {e}"))
}
