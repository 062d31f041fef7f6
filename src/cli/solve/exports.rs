//! # The export sinks: output, trace and plot files
//!
//! Every output file is created before any work starts (and none over the
//! input), so a bad path fails at once. After the runs, the answers, the
//! summary table or the `--format` export go to the output, and the SVG plot
//! to its file; the allocator trace is written run by run.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::options::View;
use super::rounds::{RoundPrinter, answer_lines};
use crate::alloc::TraceEvent;
use crate::cli::args::SolveArgs;
use crate::cli::output::Output;
use crate::cli::plot::SvgExporter;
use crate::export::table::TableExporter;
use crate::export::{Exporter, Format, exporter};
use crate::report::Comparison;
use crate::session::Session;
use crate::session::record::ReportSink;

/// A file created up front, with its path for messages.
pub(super) struct OutFile {
    pub(super) file: BufWriter<File>,
    pub(super) path: PathBuf,
}

impl OutFile {
    /// Creates `path` for writing, before any work starts.
    fn create(path: &Path) -> Result<Self> {
        let file =
            File::create(path).with_context(|| format!("could not create '{}'", path.display()))?;
        Ok(Self {
            file: BufWriter::new(file),
            path: path.to_owned(),
        })
    }

    /// Writes all of `bytes` and flushes.
    pub(super) fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        self.file
            .write_all(bytes)
            .and_then(|()| self.file.flush())
            .with_context(|| format!("could not write '{}'", self.path.display()))
    }
}

/// Every output of a solve, created.
pub(super) struct Outputs {
    /// `--trace`.
    pub(super) trace: Option<OutFile>,
    /// Where the text goes (the output, or standard output with an export format).
    pub(super) text: Output,
    /// `--output` when `--format` is an export format.
    pub(super) export: Option<Output>,
    /// `--plot`.
    pub(super) plot: Option<OutFile>,
    /// `--report`.
    pub(super) report: Option<OutFile>,
}

impl Outputs {
    /// Creates every output `args` names, none over `input`.
    ///
    /// # Errors
    ///
    /// An output is the input, or cannot be created; the message names it.
    pub(super) fn create(args: &SolveArgs, input: &Path) -> Result<Self> {
        for (flag, out) in [
            ("--output", &args.output),
            ("--plot", &args.plot),
            ("--trace", &args.trace),
            ("--report", &args.report),
        ] {
            if let Some(out) = out {
                refuse_input_as_output(input, out, flag)?;
            }
        }
        let trace = args.trace.as_deref().map(OutFile::create).transpose()?;
        let output = Output::create(args.output.as_deref())?;
        let plot = args.plot.as_deref().map(OutFile::create).transpose()?;
        let report = args.report.as_deref().map(OutFile::create).transpose()?;
        // Text goes to the output; with an export format, layout pictures go to
        // standard output and the export to the (then necessarily other) output.
        let (text, export) = if args.format == Format::Text {
            (output, None)
        } else {
            (Output::stdout(), Some(output))
        };
        Ok(Self {
            trace,
            text,
            export,
            plot,
            report,
        })
    }
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

/// After the runs: the answers (one strategy), the table or the export, and
/// the plot.
pub(super) fn write_results(
    args: &SolveArgs,
    view: View,
    comparison: &Comparison,
    printer: &mut RoundPrinter<Output>,
    export: Option<Output>,
    plot: Option<OutFile>,
    colored: bool,
) -> Result<()> {
    match export {
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
            // Colour (the outcome column) only where standard output has it.
            let colored = colored && printer.out.is_stdout();
            let text = TableExporter.render(comparison, colored);
            printer.write_bytes(text.as_bytes());
        }
    }
    let written = printer.finish();
    printer.out.check(written)?;
    if let Some(mut out) = plot {
        let svg = SvgExporter::default().serialize(comparison)?;
        out.write_all(&svg)?;
    }
    Ok(())
}

/// Writes the HTML report of `session` from what `recorded` kept.
pub(super) fn write_report(
    out: &mut OutFile,
    recorded: ReportSink,
    session: Session,
) -> Result<()> {
    let comparison = &session.comparison;
    let table = String::from_utf8(exporter(Format::Text).serialize(comparison)?)?;
    let page = recorded
        .page(comparison, session.layouts, table)?
        .render()?;
    out.write_all(&page)
}

/// Writes the events one per line, each after `prefix` and a space when
/// `prefix` is not empty (the strategy's name, in a comparison).
pub(super) fn write_trace(out: &mut OutFile, prefix: &str, events: &[TraceEvent]) -> Result<()> {
    let write = |out: &mut BufWriter<File>| -> io::Result<()> {
        for event in events {
            if prefix.is_empty() {
                writeln!(out, "{event}")?;
            } else {
                writeln!(out, "{prefix} {event}")?;
            }
        }
        out.flush()
    };
    write(&mut out.file).with_context(|| format!("could not write '{}'", out.path.display()))
}
