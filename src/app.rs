//! # The application: from parsed flags to output and an exit code
//!
//! Reads the input (bounded), creates output files before any work starts,
//! runs the chosen strategies one after another, each on a thread whose stack
//! holds its own buffers, and prints as the rounds complete: for one strategy
//! in text format the `Round i memuse: N` lines then the answers, exactly as
//! the write-up does; with `--layout` a picture of each buffer. Every run's
//! rounds are recorded into a [`Comparison`], from which the summary table,
//! JSON, CSV and the SVG plot are drawn ([`crate::export`]).
//!
//! Exit codes: a single strategy whose buffer runs out exits 3, whatever the
//! format. A comparison of several strategies exits 0 when one runs out: the
//! comparison itself succeeded, and its output shows where each ran out.
//! Strategies that disagree on an answer (a bug) exit 1 after the output.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::alloc::{FixedBufferAllocator, Trace, TraceEvent, with_stack_buffers};
use crate::cli::{CellKind, Cli, Command, Format, GenerateArgs, SolveArgs, StrategyKind};
use crate::engine::{Limits, Observer, Snapshot, solve_cells};
use crate::error::{OutOfMemory, SolveError};
use crate::export::{Exporter, Output, SvgExporter, exporter, layout};
use crate::progress::{Progress, RunProgress};
use crate::report::{Answers, Comparison, Outcome, RoundStats, RunReport};
use crate::strategy::{Heap, Leaky, PingPong, TempCopy};
use crate::units::thousands;

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
    use crate::grid::parse::{BOM, is_input_byte};
    if *checked == 0 {
        if BOM.starts_with(bytes) {
            return None;
        }
        if bytes.starts_with(BOM) {
            *checked = BOM.len();
        }
    }
    match bytes[*checked..].iter().position(|&b| !is_input_byte(b)) {
        Some(i) => Some(*checked + i),
        None => {
            *checked = bytes.len();
            None
        }
    }
}

/// Writes text lines as the rounds complete, and remembers a write error
/// (reported once the run is over).
struct RoundPrinter<W: Write> {
    out: W,
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

    fn write_bytes(&mut self, bytes: &[u8]) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(bytes)
        {
            self.error = Some(e);
        }
    }

    /// Flushes, and returns the first write error.
    fn finish(&mut self) -> io::Result<()> {
        if self.error.is_none()
            && let Err(e) = self.out.flush()
        {
            self.error = Some(e);
        }
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(()),
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

/// When and how wide to draw the layout pictures.
#[derive(Debug, Clone, Copy)]
struct LayoutOptions {
    /// Draw after rounds 0, k, 2k, ...
    every: usize,
    /// Columns per line.
    width: usize,
}

/// Watches one strategy's run: records every round, prints round lines and
/// layout pictures, and feeds the progress line.
struct RunObserver<'p, W: Write> {
    printer: &'p mut RoundPrinter<W>,
    strategy: &'static str,
    print_rounds: bool,
    layout: Option<LayoutOptions>,
    legend_printed: &'p mut bool,
    said_no_layout: bool,
    rounds: Vec<RoundStats>,
    elves: Option<usize>,
    progress: RunProgress,
}

impl<W: Write> Observer for RunObserver<'_, W> {
    fn round(&mut self, stats: &RoundStats, snapshot: &dyn Snapshot) {
        if stats.round == 0 {
            self.elves = Some(snapshot.elves().len());
        }
        let draw = self.layout.filter(|l| stats.round.is_multiple_of(l.every));
        match draw {
            Some(options) => {
                let layouts = snapshot.layouts();
                if layouts.is_empty() {
                    if !self.said_no_layout {
                        self.said_no_layout = true;
                        self.printer.write_line(format_args!(
                            "No layout for {}: it has no buffer, only the global heap.",
                            self.strategy
                        ));
                    }
                    if self.print_rounds {
                        self.printer
                            .write_line(format_args!("{}", round_line(stats)));
                    }
                } else {
                    if !*self.legend_printed {
                        *self.legend_printed = true;
                        self.printer.write_line(format_args!("{}", layout::LEGEND));
                    }
                    self.printer
                        .write_line(format_args!("{}", round_line(stats)));
                    for l in &layouts {
                        self.printer
                            .write_line(format_args!("{}", layout::line(l, options.width)));
                    }
                }
            }
            None if self.print_rounds => {
                self.printer
                    .write_line(format_args!("{}", round_line(stats)));
            }
            None => {}
        }
        self.rounds.push(stats.clone());
        self.progress.round(stats);
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
    /// How the elves are stored.
    pub cells: CellKind,
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
    let cells = options.cells;
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
            StrategyKind::Leaky => {
                solve_cells(&Leaky::new(fba("main")), cells, input, &limits, observer)
            }
            StrategyKind::TempCopy => {
                let main = fba("main");
                let strategy = TempCopy::new(main, fba("temp"));
                solve_cells(&strategy, cells, input, &limits, observer)
            }
            StrategyKind::PingPong => {
                let a = fba("a");
                solve_cells(&PingPong::new(a, fba("b")), cells, input, &limits, observer)
            }
            StrategyKind::Heap => solve_cells(&Heap::new(), cells, input, &limits, observer),
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

/// Creates `path` for writing, before any work starts.
fn create(path: &PathBuf) -> Result<BufWriter<File>> {
    let file =
        File::create(path).with_context(|| format!("could not create '{}'", path.display()))?;
    Ok(BufWriter::new(file))
}

/// The layout's width: `--width`, else `$COLUMNS`, else the terminal's, else 80.
fn layout_width(flag: Option<u16>) -> usize {
    if let Some(width) = flag {
        return usize::from(width);
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c >= 20);
    columns
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .unwrap_or(80)
        .clamp(40, 1000)
}

/// Fails when `output` is the input file: creating it would empty the input
/// before it is read.
fn refuse_input_as_output(input: &Path, output: &Path, flag: &str) -> Result<()> {
    let dash = Path::new("-");
    if input != dash
        && output != dash
        && let (Ok(a), Ok(b)) = (std::fs::canonicalize(input), std::fs::canonicalize(output))
        && a == b
    {
        bail!(
            "could not create '{}' for {flag}: it is the input, which it would erase; choose another path",
            output.display()
        );
    }
    Ok(())
}

/// The buffers a strategy gets, for messages.
fn buffer_names(kind: StrategyKind) -> &'static str {
    match kind {
        StrategyKind::Leaky => "buffer main",
        StrategyKind::TempCopy => "buffers main and temp",
        StrategyKind::PingPong => "buffers a and b",
        StrategyKind::Heap => "the global heap",
    }
}

/// How the runs show themselves while they go.
#[derive(Debug, Clone, Copy)]
struct View {
    /// One strategy (the write-up's output) rather than a comparison.
    single: bool,
    /// Print `Round i memuse` lines.
    print_rounds: bool,
    /// Draw layout pictures.
    layout: Option<LayoutOptions>,
}

/// Where the runs write while they go.
struct Sinks<'a, W: Write> {
    printer: &'a mut RoundPrinter<W>,
    legend_printed: bool,
    progress: Progress,
    trace: Option<(BufWriter<File>, &'a Path)>,
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
    let strategies = args.strategies();
    let cells = args.cells();
    let single = strategies.len() == 1 && cells.len() == 1;
    // Every strategy with every kind of cells; a label says which when both run.
    let runs: Vec<(StrategyKind, CellKind)> = cells
        .iter()
        .flat_map(|&c| strategies.iter().map(move |&s| (s, c)))
        .collect();
    let label = |s: StrategyKind, c: CellKind| {
        if cells.len() > 1 {
            format!("{}/{}", s.name(), c.name())
        } else {
            s.name().to_owned()
        }
    };
    let layout_every = args.layout_every();
    let output_is_stdout = args
        .output
        .as_ref()
        .is_none_or(|p| p.as_path() == Path::new("-"));
    if args.format != Format::Text && layout_every.is_some() && output_is_stdout {
        eprint_line(format_args!(
            "day23: --layout draws to standard output, where --format {} would go too;\n\
             add --output PATH for the export, or use --format text.",
            args.format.name()
        ));
        return Ok(ExitCode::Usage);
    }

    // Every output is created before any work starts, and none over the input.
    for (flag, out) in [
        ("--output", &args.output),
        ("--plot", &args.plot),
        ("--trace", &args.trace),
    ] {
        if let Some(out) = out {
            refuse_input_as_output(path, out, flag)?;
        }
    }
    let trace_out = args.trace.as_ref().map(create).transpose()?;
    let output = Output::create(args.output.as_deref())?;
    let plot_out = args.plot.as_ref().map(create).transpose()?;
    let input = read_input(path)?;
    let name = display_name(path);

    // Text goes to the output; with an export format, layout pictures go to
    // standard output and the export to the (then necessarily other) output.
    let (text_out, export_out) = if args.format == Format::Text {
        (output, None)
    } else {
        (Output::stdout(), Some(output))
    };
    let view = View {
        single,
        print_rounds: single && args.format == Format::Text && !args.quiet,
        layout: layout_every
            .filter(|_| !args.quiet)
            .map(|every| LayoutOptions {
                every,
                width: layout_width(args.width),
            }),
    };
    // Round lines on the terminal already show progress.
    let live_text_on_terminal = (view.print_rounds || view.layout.is_some())
        && text_out.is_stdout()
        && io::stdout().is_terminal();
    let mut printer = RoundPrinter {
        out: text_out,
        error: None,
    };
    let mut sinks = Sinks {
        printer: &mut printer,
        legend_printed: false,
        progress: Progress::new(
            !args.quiet && io::stderr().is_terminal() && !live_text_on_terminal,
        ),
        trace: trace_out.zip(args.trace.as_deref()),
    };
    let options = RunOptions {
        buffer_size: args.buffer_size,
        limits: Limits {
            max_rounds: args.max_rounds,
            input_in_buffer: !args.input_on_heap,
        },
        trace: sinks.trace.is_some(),
        cells: CellKind::HashSet,
    };
    let mut reports = Vec::with_capacity(runs.len());
    let mut failure = None;
    for (i, &(kind, cells)) in runs.iter().enumerate() {
        let label = label(kind, cells);
        if !single && view.layout.is_some() {
            if i > 0 {
                sinks.printer.write_line(format_args!(""));
            }
            sinks
                .printer
                .write_line(format_args!("{}:", heading(kind, &label, args.buffer_size)));
        }
        let options = RunOptions { cells, ..options };
        let (report, error) = run_one(kind, &label, &input, &name, &options, view, &mut sinks)?;
        reports.push(report);
        failure = failure.or(error);
    }
    drop(sinks);

    // A run that ran out in round 0 never parsed the input: count the elves here.
    let elves = reports
        .iter()
        .find(|r| !r.rounds.is_empty())
        .map(|r| r.elves)
        .or_else(|| crate::grid::parse(&input).ok().map(|p| p.len()))
        .unwrap_or(0);
    for report in &mut reports {
        report.elves = elves;
    }
    let comparison = Comparison::new(name, elves, args.buffer_size, reports);
    let agreed = comparison.agreed_answers();
    write_results(
        args,
        view,
        &comparison,
        &mut printer,
        export_out,
        plot_out.zip(args.plot.as_deref()),
    )?;

    agreed?;
    if single {
        if let Some(error) = failure {
            eprint_line(format_args!("Error: {error}"));
            return Ok(ExitCode::OutOfMemory);
        }
        let answers = comparison.strategies[0].answers;
        if answers.part1.is_none() || answers.part2.is_none() {
            let rounds = args.max_rounds.unwrap_or(0);
            eprint_line(format_args!(
                "day23: stopped after {rounds} rounds (--max-rounds) before both answers were known"
            ));
        }
    }
    Ok(ExitCode::Success)
}

/// `leaky (buffer main of 4,000 bytes)`, above a run's layouts.
fn heading(kind: StrategyKind, label: &str, buffer_size: usize) -> String {
    match kind {
        StrategyKind::Heap => format!("{label} ({})", buffer_names(kind)),
        _ => format!(
            "{label} ({} of {} bytes)",
            buffer_names(kind),
            thousands(buffer_size as u64)
        ),
    }
}

/// Runs `kind` with the observers `view` asks for; its report (with the elf
/// count it saw, 0 if it never parsed) and, if a buffer ran out, why.
fn run_one<W: Write + Send>(
    kind: StrategyKind,
    label: &str,
    input: &[u8],
    name: &str,
    options: &RunOptions,
    view: View,
    sinks: &mut Sinks<'_, W>,
) -> Result<(RunReport, Option<OutOfMemory>)> {
    let mut observer = RunObserver {
        printer: sinks.printer,
        strategy: kind.name(),
        print_rounds: view.print_rounds,
        layout: view.layout,
        legend_printed: &mut sinks.legend_printed,
        said_no_layout: false,
        rounds: Vec::new(),
        elves: None,
        progress: sinks.progress.run(label.to_owned()),
    };
    let outcome = run_strategy(kind, input, options, &mut observer)?;
    let (rounds, elves) = (observer.rounds, observer.elves);
    if let Some((out, path)) = &mut sinks.trace {
        let prefix = if view.single { "" } else { label };
        write_trace(out, prefix, &outcome.trace)
            .with_context(|| format!("could not write '{}'", path.display()))?;
    }
    let (answers, ending, failure) = match outcome.result {
        Ok(answers) => (answers, Outcome::completed(&answers, &rounds), None),
        Err(SolveError::OutOfMemory { error, reached }) => {
            (reached, Outcome::from(&error), Some(error))
        }
        Err(e @ SolveError::Parse(_)) => {
            return Err(anyhow::Error::new(e).context(format!("invalid input '{name}'")));
        }
        Err(e) => return Err(e.into()),
    };
    sinks.progress.finish_run(match ending {
        Outcome::OutOfMemory { round, .. } => {
            format!("{label}: out of memory in round {round}")
        }
        Outcome::Finished { .. } | Outcome::Stopped { .. } => format!("{label}: done"),
    });
    let buffered = kind != StrategyKind::Heap;
    let report = RunReport::new(
        kind.name(),
        options.cells.name(),
        buffered.then_some(options.buffer_size),
        elves.unwrap_or(0),
        ending,
        answers,
        rounds,
    );
    Ok((report, failure))
}

/// `Part 1: …` and `Part 2: …` for the answers known.
fn answer_lines(answers: &Answers) -> String {
    let mut text = String::new();
    if let Some(part1) = answers.part1 {
        text += &format!("Part 1: {part1}\n");
    }
    if let Some(part2) = answers.part2 {
        text += &format!("Part 2: {part2}\n");
    }
    text
}

/// After the runs: the answers (one strategy), the table or the export, and
/// the plot.
fn write_results(
    args: &SolveArgs,
    view: View,
    comparison: &Comparison,
    printer: &mut RoundPrinter<Output>,
    export_out: Option<Output>,
    plot: Option<(BufWriter<File>, &Path)>,
) -> Result<()> {
    match export_out {
        // The export to its output; the layout, if any, went to stdout.
        Some(mut out) => {
            let bytes = exporter(args.format).serialize(comparison)?;
            out.write_all_and_flush(&bytes)?;
        }
        None if view.single => {
            let answers = comparison.strategies[0].answers;
            printer.write_bytes(answer_lines(&answers).as_bytes());
        }
        None if args.quiet => {
            if let Ok(answers) = comparison.agreed_answers() {
                printer.write_bytes(answer_lines(&answers).as_bytes());
            }
        }
        None => {
            if view.layout.is_some() {
                printer.write_line(format_args!(""));
            }
            let bytes = exporter(Format::Text).serialize(comparison)?;
            printer.write_bytes(&bytes);
        }
    }
    let written = printer.finish();
    printer.out.check(written)?;
    if let Some((mut out, path)) = plot {
        let svg = SvgExporter::default().serialize(comparison)?;
        out.write_all(&svg)
            .and_then(|()| out.flush())
            .with_context(|| format!("could not write '{}'", path.display()))?;
    }
    Ok(())
}

/// Writes the events one per line, each after `prefix` and a space when
/// `prefix` is not empty (the strategy's name, in a comparison).
fn write_trace(out: &mut impl Write, prefix: &str, events: &[TraceEvent]) -> io::Result<()> {
    for event in events {
        if prefix.is_empty() {
            writeln!(out, "{event}")?;
        } else {
            writeln!(out, "{prefix} {event}")?;
        }
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
