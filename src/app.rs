//! # The application: from parsed flags to output and an exit code
//!
//! Reads the input (bounded), creates output files before any work starts,
//! runs the chosen strategy on a thread whose stack holds its buffers, prints
//! `Round i memuse: N` lines as the rounds complete, then the answers.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::alloc::{FixedBufferAllocator, Trace, TraceEvent, with_stack_buffers};
use crate::cli::{Cli, Command, GenerateArgs, SolveArgs, StrategyKind};
use crate::engine::{Limits, Observer, Snapshot, solve};
use crate::error::SolveError;
use crate::report::{Answers, RoundStats};
use crate::strategy::{Heap, Leaky, PingPong, Strategy, TempCopy};

/// The process's exit codes, documented in `--help` and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitCode {
    /// Answers printed (or `generate` done).
    Success = 0,
    /// Bad input, or an I/O error.
    Failure = 1,
    /// Bad flags (clap's own code).
    Usage = 2,
    /// A buffer ran out of memory.
    OutOfMemory = 3,
}

/// The largest input read, so that `/dev/zero` or an endless pipe ends with a
/// clear error.
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// Runs the command line.
///
/// # Errors
///
/// Bad input and I/O errors, with the path in the message.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Some(Command::Generate(args)) => generate(&args),
        None => solve_command(&cli.solve),
    }
}

fn generate(args: &GenerateArgs) -> Result<ExitCode> {
    let bytes = crate::generate::generate(args.width, args.height, args.density, args.seed);
    match &args.output {
        Some(path) => std::fs::write(path, &bytes)
            .with_context(|| format!("could not write '{}'", path.display()))?,
        None => write_stdout(&bytes)?,
    }
    Ok(ExitCode::Success)
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(e).context("could not write to standard output")
        }
        _ => Ok(()),
    }
}

/// Writes one line to standard error.
///
/// Unlike `eprintln!`, which panics (exit code 101) when standard error is
/// closed or a broken pipe (`day23 ... 2>&1 | head -1`), this ignores the
/// failure: there is nowhere left to report it, and the exit code still tells.
pub fn eprint_line(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

/// The name of the input in messages.
fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    }
}

/// Reads the whole input, at most [`MAX_INPUT_BYTES`].
///
/// The bytes are checked as they arrive, so an endless stream of garbage
/// (`/dev/zero`, a pipe) fails at its first byte that no valid input has,
/// with the parser's message, instead of after [`MAX_INPUT_BYTES`].
///
/// # Errors
///
/// A missing or unreadable file, a directory, too large an input, or a byte
/// that makes the input invalid (reported as the parser reports it).
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    let name = display_name(path);
    let bytes = if path == Path::new("-") {
        read_checked(io::stdin().lock(), &name)?
    } else {
        let file = File::open(path).with_context(|| format!("could not open '{name}'"))?;
        let meta = file
            .metadata()
            .with_context(|| format!("could not read '{name}'"))?;
        if meta.is_dir() {
            bail!(
                "could not read '{name}': it is a directory, expected a file of '.' and '#' lines"
            );
        }
        read_checked(file, &name)?
    };
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        bail!(
            "could not read '{name}': larger than {} bytes, the most this tool reads",
            MAX_INPUT_BYTES
        );
    }
    Ok(bytes)
}

/// The most bytes one `read` call asks for.
const READ_CHUNK: usize = 64 << 10;

/// Reads at most `MAX_INPUT_BYTES + 1` bytes of `reader`, one `read` call at a
/// time, and stops at the first byte that no valid input has (anything but
/// `.`, `#`, `\n` and `\r` after an optional byte order mark) as soon as the
/// character it starts has arrived, without waiting for the end of input.
fn read_checked(mut reader: impl Read, name: &str) -> Result<Vec<u8>> {
    let limit = usize::try_from(MAX_INPUT_BYTES + 1).unwrap_or(usize::MAX);
    let mut chunk = vec![0u8; READ_CHUNK];
    let mut bytes = Vec::new();
    let mut checked = 0;
    let mut bad = None;
    loop {
        let want = READ_CHUNK.min(limit - bytes.len());
        if want == 0 || bad.is_some_and(|at| bytes.len() >= at + utf8_len(bytes[at])) {
            break;
        }
        match reader.read(&mut chunk[..want]) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("could not read '{name}'")),
        }
        if bad.is_none() {
            bad = first_invalid_byte(&bytes, &mut checked);
        }
    }
    if let Some(at) = bad {
        let prefix = &bytes[..bytes.len().min(at + utf8_len(bytes[at]))];
        // The parser reports the first invalid byte, which lies in `prefix`
        // together with everything before it, so this is the whole input's error.
        let error = match crate::grid::parse(prefix) {
            Err(e) => anyhow::Error::new(e),
            Ok(_) => anyhow::anyhow!("unexpected byte {:#04x} at offset {at}", bytes[at]),
        };
        return Err(error.context(format!("invalid input '{name}'")));
    }
    Ok(bytes)
}

/// The length of the UTF-8 sequence that `lead` starts (1 for a byte that
/// cannot start one).
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 1,
    }
}

/// The offset of the first byte of `bytes` that no valid input has, looking
/// from `checked` on, which it advances. `None` while `bytes` may still turn
/// out to begin with a byte order mark.
fn first_invalid_byte(bytes: &[u8], checked: &mut usize) -> Option<usize> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if *checked == 0 {
        if BOM.starts_with(bytes) {
            return None;
        }
        if bytes.starts_with(BOM) {
            *checked = BOM.len();
        }
    }
    match bytes[*checked..]
        .iter()
        .position(|b| !matches!(b, b'.' | b'#' | b'\n' | b'\r'))
    {
        Some(i) => Some(*checked + i),
        None => {
            *checked = bytes.len();
            None
        }
    }
}

/// Prints each round as the write-up does, and remembers a write error.
struct RoundPrinter<W: Write> {
    out: W,
    quiet: bool,
    error: Option<io::Error>,
}

impl<W: Write> RoundPrinter<W> {
    fn write_line(&mut self, line: std::fmt::Arguments<'_>) {
        if self.error.is_none()
            && let Err(e) = writeln!(self.out, "{line}")
        {
            self.error = Some(e);
        }
    }
}

/// `Round <i> memuse: <N>`, then per buffer `(a 36880 + b 0)` when there are two.
#[must_use]
pub fn round_line(stats: &RoundStats) -> String {
    let mut line = format!("Round {} memuse: {}", stats.round, stats.bytes_in_use);
    if stats.buffers.len() > 1 {
        let parts: Vec<String> = stats
            .buffers
            .iter()
            .map(|b| format!("{} {}", b.name, b.bytes_in_use))
            .collect();
        line.push_str(&format!(" ({})", parts.join(" + ")));
    }
    line
}

impl<W: Write> Observer for RoundPrinter<W> {
    fn round(&mut self, stats: &RoundStats, _: &dyn Snapshot) {
        if !self.quiet {
            self.write_line(format_args!("{}", round_line(stats)));
        }
    }
}

/// What one strategy's run produced.
#[derive(Debug)]
pub struct RunOutcome {
    /// The answers, or why the run stopped.
    pub result: Result<Answers, SolveError>,
    /// The allocator events, when asked for.
    pub trace: Vec<TraceEvent>,
}

/// Options of one strategy's run.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Bytes per buffer.
    pub buffer_size: usize,
    /// How far to go and where the input lives.
    pub limits: Limits,
    /// Record allocator events.
    pub trace: bool,
}

/// Runs `kind` on `input` on a thread whose stack holds its buffers.
///
/// # Errors
///
/// The buffers cannot be provided (too large for this machine).
pub fn run_strategy(
    kind: StrategyKind,
    input: &[u8],
    options: &RunOptions,
    observer: &mut (dyn Observer + Send),
) -> Result<RunOutcome> {
    let size = options.buffer_size;
    let buffers: &[usize] = match kind {
        StrategyKind::Leaky => &[size],
        StrategyKind::TempCopy | StrategyKind::PingPong => &[size, size],
        StrategyKind::Heap => &[],
    };
    let limits = options.limits;
    let tracing = options.trace;
    let outcome = with_stack_buffers(buffers, move |mut bufs| {
        let trace = Trace::new();
        let mut fba = |name: &'static str| {
            let buf = bufs.remove(0);
            let fba = FixedBufferAllocator::new(buf).with_name(name);
            if tracing {
                fba.with_trace(trace.clone())
            } else {
                fba
            }
        };
        let result = match kind {
            StrategyKind::Leaky => go(&Leaky::new(fba("main")), input, &limits, observer),
            StrategyKind::TempCopy => {
                let main = fba("main");
                go(&TempCopy::new(main, fba("temp")), input, &limits, observer)
            }
            StrategyKind::PingPong => {
                let a = fba("a");
                go(&PingPong::new(a, fba("b")), input, &limits, observer)
            }
            StrategyKind::Heap => go(&Heap::new(), input, &limits, observer),
        };
        RunOutcome {
            result,
            trace: trace.take(),
        }
    })
    .with_context(|| {
        format!(
            "could not provide {} buffer(s) of {size} bytes for --strategy {}",
            buffers.len(),
            kind.name()
        )
    })?;
    Ok(outcome)
}

fn go<S: Strategy>(
    strategy: &S,
    input: &[u8],
    limits: &Limits,
    observer: &mut dyn Observer,
) -> Result<Answers, SolveError> {
    solve(strategy, input, limits, observer)
}

/// Creates `path` for writing, before any work starts.
fn create(path: &PathBuf) -> Result<BufWriter<File>> {
    let file =
        File::create(path).with_context(|| format!("could not create '{}'", path.display()))?;
    Ok(BufWriter::new(file))
}

fn solve_command(args: &SolveArgs) -> Result<ExitCode> {
    let Some(path) = &args.input else {
        bail!("no input given: use --input PATH (or --input - for standard input)");
    };
    if path == Path::new("-") && io::stdin().is_terminal() {
        eprint_line(format_args!(
            "day23: --input - reads the puzzle from standard input, which is a terminal.\n\
             Pipe a file in (day23 --input - < input.txt) or give a path; see day23 --help."
        ));
        return Ok(ExitCode::Usage);
    }
    let mut trace_out = args.trace.as_ref().map(create).transpose()?;
    let input = read_input(path)?;
    let name = display_name(path);

    let options = RunOptions {
        buffer_size: args.buffer_size,
        limits: Limits {
            max_rounds: args.max_rounds,
            input_in_buffer: !args.input_on_heap,
        },
        trace: trace_out.is_some(),
    };
    let mut printer = RoundPrinter {
        out: BufWriter::new(io::stdout()),
        quiet: args.quiet,
        error: None,
    };
    let outcome = run_strategy(args.strategy, &input, &options, &mut printer)?;

    if let (Some(out), Some(path)) = (&mut trace_out, &args.trace) {
        write_trace(out, &outcome.trace)
            .with_context(|| format!("could not write '{}'", path.display()))?;
    }
    let (answers, failure) = match outcome.result {
        Ok(answers) => (answers, None),
        Err(SolveError::OutOfMemory { error, reached }) => (reached, Some(error)),
        Err(e @ SolveError::Parse(_)) => {
            return Err(anyhow::Error::new(e).context(format!("invalid input '{name}'")));
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(part1) = answers.part1 {
        printer.write_line(format_args!("Part 1: {part1}"));
    }
    if let Some(part2) = answers.part2 {
        printer.write_line(format_args!("Part 2: {part2}"));
    }
    if printer.error.is_none()
        && let Err(e) = printer.out.flush()
    {
        printer.error = Some(e);
    }
    match printer.error {
        Some(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            return Err(e).context("could not write to standard output");
        }
        _ => {}
    }
    if let Some(error) = failure {
        eprint_line(format_args!("Error: {error}"));
        return Ok(ExitCode::OutOfMemory);
    }
    if answers.part1.is_none() || answers.part2.is_none() {
        let rounds = args.max_rounds.unwrap_or(0);
        eprint_line(format_args!(
            "day23: stopped after {rounds} rounds (--max-rounds) before both answers were known"
        ));
    }
    Ok(ExitCode::Success)
}

fn write_trace(out: &mut impl Write, events: &[TraceEvent]) -> io::Result<()> {
    for event in events {
        writeln!(out, "{event}")?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Hands out `bytes` in reads of the given sizes, in turn, with an
    /// `Interrupted` error before each, as a slow pipe might.
    struct Trickle<'a> {
        bytes: &'a [u8],
        sizes: Vec<usize>,
        reads: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.reads += 1;
            if self.reads % 2 == 1 {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let want = self.sizes[(self.reads / 2) % self.sizes.len()];
            let n = want.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    fn byte() -> impl proptest::strategy::Strategy<Value = u8> {
        prop_oneof![
            4 => prop::sample::select(b".#\n\r".to_vec()),
            1 => any::<u8>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: if cfg!(miri) { 8 } else { 512 },
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// However the bytes arrive, `read_checked` either returns them all
        /// (when every byte after an optional byte order mark is `.`, `#`,
        /// `\n` or `\r`, leaving the rest to the parser), or stops with the
        /// parser's own error for the whole input.
        #[test]
        fn read_checked_stops_with_the_parsers_error(
            bom in any::<bool>(),
            body in prop::collection::vec(byte(), 0..48),
            sizes in prop::collection::vec(1usize..6, 1..4),
        ) {
            let mut input = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
            input.extend_from_slice(&body);
            let reader = Trickle { bytes: &input, sizes, reads: 0 };
            let rest = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&input);
            let clean = rest.iter().all(|b| b".#\n\r".contains(b))
                || b"\xEF\xBB\xBF".starts_with(&input);
            match read_checked(reader, "x") {
                Ok(bytes) => {
                    prop_assert!(clean);
                    prop_assert_eq!(bytes, input);
                }
                Err(e) => {
                    prop_assert!(!clean);
                    let parsed = crate::grid::parse(&input).unwrap_err();
                    prop_assert_eq!(format!("{e:#}"), format!("invalid input 'x': {parsed}"));
                }
            }
        }
    }
}
