//! # A solve's flags, validated into a session plan
//!
//! [`Solve::from_args`] turns the parsed flags into the session's
//! [`Plan`] (the runs, what they share) and what only the command line
//! decides: how the runs show themselves while they go, and how many go at
//! once. Combinations the flags cannot express as usage errors are refused
//! here, before any file is created.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::layout::{LayoutOptions, layout_width};
use crate::cli::args::{ExitCode, SolveArgs};
use crate::cli::eprint_line;
use crate::cli::input::display_name;
use crate::engine::Limits;
use crate::export::Format;
use crate::session::{Plan, Settings};

/// How the runs show themselves while they go.
#[derive(Debug, Clone, Copy)]
pub(super) struct View {
    /// One run (the write-up's output) rather than a comparison.
    pub(super) single: bool,
    /// Print `Round i memuse` lines.
    pub(super) print_rounds: bool,
    /// Draw layout pictures.
    pub(super) layout: Option<LayoutOptions>,
}

/// Everything a solve needs to know before it starts.
#[derive(Debug)]
pub(super) struct Solve {
    /// `--input`.
    pub(super) input: PathBuf,
    /// The runs and what they share.
    pub(super) plan: Plan,
    /// How the runs show themselves.
    pub(super) view: View,
    /// `--jobs`: runs at a time (`None`: the available cores).
    pub(super) jobs: Option<usize>,
}

impl Solve {
    /// The solve `args` ask for; `Err(code)` inside when the flags are
    /// refused (the message is already on standard error).
    ///
    /// # Errors
    ///
    /// No input was given.
    pub(super) fn from_args(args: &SolveArgs) -> Result<Result<Self, ExitCode>> {
        let Some(path) = &args.input else {
            bail!("no input given: use --input PATH (or --input - for standard input)");
        };
        if path == Path::new("-") && io::stdin().is_terminal() {
            eprint_line(format_args!(
                "day23: --input - reads the puzzle from standard input, which is a terminal.\n\
                 Pipe a file in (day23 --input - < input.txt) or give a path; see day23 --help."
            ));
            return Ok(Err(ExitCode::Usage));
        }
        let settings = Settings {
            strategies: args.strategies(),
            cells: args.cells(),
            allocators: vec![args.allocator],
            buffer_size: args.buffer_size,
            limits: Limits {
                max_rounds: args.max_rounds,
                input_in_buffer: !args.input_on_heap,
            },
            trace: args.trace.is_some(),
        };
        let plan = match Plan::new(display_name(path), &settings) {
            Ok(plan) => plan,
            Err(refusal) => {
                eprint_line(format_args!("day23: {refusal}"));
                return Ok(Err(ExitCode::Usage));
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
            return Ok(Err(ExitCode::Usage));
        }
        let view = View {
            single: plan.is_single(),
            print_rounds: plan.is_single() && args.format == Format::Text && !args.quiet,
            layout: layout_every
                .filter(|_| !args.quiet)
                .map(|every| LayoutOptions {
                    every,
                    width: layout_width(args.width),
                    mode: args.layout_mode(),
                }),
        };
        Ok(Ok(Self {
            input: path.clone(),
            plan,
            view,
            jobs: args.jobs.map(usize::from),
        }))
    }
}
