//! # The export sinks: output, trace and plot files
//!
//! Every output file is created before any work starts (none over the
//! input, no two on one file), so a bad path fails at once. After the runs,
//! the answers, the summary table or the `--format` export go to the output,
//! and the SVG plot to its file; the allocator trace is written run by run.
//! Each file replaces its target only once every output is complete
//! ([`crate::cli::outfile`]).

use std::io::{self, Write};
use std::path::Path;

use anyhow::Result;

use super::options::View;
use super::rounds::{RoundPrinter, answer_lines};
use crate::alloc::TraceEvent;
use crate::cli::args::{ExitCode, SolveArgs};
use crate::cli::eprint_line;
use crate::cli::outfile::{self, OutFile, Planned, Source};
use crate::cli::plot::SvgExporter;
use crate::export::table::TableExporter;
use crate::export::{Exporter, Format, exporter};
use crate::report::Comparison;
use crate::session::Session;
use crate::session::record::ReportSink;

/// Every output of a solve, created.
pub(super) struct Outputs {
    /// `--trace`.
    pub(super) trace: Option<OutFile>,
    /// Where the text goes (the output, or standard output with an export format).
    pub(super) text: OutFile,
    /// `--output` when `--format` is an export format.
    pub(super) export: Option<OutFile>,
    /// `--plot`.
    pub(super) plot: Option<OutFile>,
    /// `--report`.
    pub(super) report: Option<OutFile>,
}

impl Outputs {
    /// Creates every output `args` names (each a temporary file until the
    /// results are complete: [`OutFile`]), none of them `input` and no two
    /// of them one file; `Err(code)` inside for two flags that name one file
    /// (the message is already on standard error).
    ///
    /// # Errors
    ///
    /// An output is the input, or cannot be created; the message names it.
    pub(super) fn create(args: &SolveArgs, input: &Path) -> Result<Result<Self, ExitCode>> {
        let asked = [
            ("--trace", &args.trace),
            ("--output", &args.output),
            ("--plot", &args.plot),
            ("--report", &args.report),
        ];
        let mut planned = Vec::new();
        for (flag, path) in asked {
            match path {
                // Standard output.
                Some(path) if flag == "--output" && outfile::is_dash(path) => {}
                Some(path) => planned.push(Planned::new(flag, path)?),
                None => {}
            }
        }
        // What goes to standard output: the output, unless it has a file
        // (then, with an export format, the layout pictures), and every `-`.
        let mut on_stdout = match &args.output {
            None => vec!["the output (no --output)".to_owned()],
            Some(path) if outfile::is_dash(path) => vec!["--output -".to_owned()],
            Some(_)
                if args.format != Format::Text && args.layout_every().is_some() && !args.quiet =>
            {
                vec!["--layout".to_owned()]
            }
            Some(_) => Vec::new(),
        };
        on_stdout.extend(
            planned
                .iter()
                .filter(|p| p.is_stdout())
                .map(|p| format!("{} -", p.flag)),
        );
        if let [a, b, ..] = &on_stdout[..] {
            eprint_line(format_args!("{}", outfile::both_on_stdout_message(a, b)));
            return Ok(Err(ExitCode::Usage));
        }
        if let Some((a, b)) = outfile::same_file_twice(&planned) {
            eprint_line(format_args!("{}", outfile::same_file_message(a, b)));
            return Ok(Err(ExitCode::Usage));
        }
        let source = if outfile::is_dash(input) {
            (
                "the input (the file standard input reads)".to_owned(),
                Source::Stdin,
            )
        } else {
            ("the input".to_owned(), Source::File(input))
        };
        outfile::refuse_sources(&planned, &[source])?;
        let mut files = Vec::with_capacity(planned.len());
        for out in planned {
            files.push((out.flag, out.create()?));
        }
        let mut take = |flag: &str| {
            let i = files.iter().position(|(f, _)| *f == flag)?;
            Some(files.swap_remove(i).1)
        };
        let output = take("--output").unwrap_or_else(OutFile::stdout);
        let (trace, plot, report) = (take("--trace"), take("--plot"), take("--report"));
        // Text goes to the output; with an export format, layout pictures go to
        // standard output and the export to the (then necessarily other) output.
        let (text, export) = if args.format == Format::Text {
            (output, None)
        } else {
            (OutFile::stdout(), Some(output))
        };
        Ok(Ok(Self {
            trace,
            text,
            export,
            plot,
            report,
        }))
    }
}

/// After the runs: the answers (one strategy), the table or the export, and
/// the plot, each file complete but not yet over its target.
pub(super) fn write_results(
    args: &SolveArgs,
    view: View,
    comparison: &Comparison,
    printer: &mut RoundPrinter<OutFile>,
    export: Option<&mut OutFile>,
    plot: Option<&mut OutFile>,
    colored: bool,
) -> Result<()> {
    match export {
        // The export to its output; the layout, if any, went to stdout.
        Some(out) => {
            let bytes = exporter(args.format).serialize(comparison)?;
            out.write_bytes(&bytes)?;
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
    if let Some(out) = plot {
        let svg = SvgExporter::default().serialize(comparison)?;
        out.write_bytes(&svg)?;
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
    out.write_bytes(&page)
}

/// Writes the events one per line, each after `prefix` and a space when
/// `prefix` is not empty (the strategy's name, in a comparison).
pub(super) fn write_trace(out: &mut OutFile, prefix: &str, events: &[TraceEvent]) -> Result<()> {
    let write = |out: &mut OutFile| -> io::Result<()> {
        for event in events {
            if prefix.is_empty() {
                writeln!(out, "{event}")?;
            } else {
                writeln!(out, "{prefix} {event}")?;
            }
        }
        out.flush()
    };
    let written = write(out);
    out.check(written)
}
