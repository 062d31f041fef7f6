//! # The options of a solve, validated from the flags
//!
//! [`Plan::from_args`] turns the parsed flags into what the run needs: the
//! runs to make (every strategy with every kind of cells, each with its
//! label), how they show themselves while they go, and the options every run
//! shares. Combinations the flags cannot express as usage errors are refused
//! here, before any file is created.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::ExitCode;
use super::eprint_line;
use super::layout::{LayoutOptions, layout_width};
use crate::cli::{AllocatorKind, CellKind, Format, SolveArgs, StrategyKind};
use crate::engine::Limits;
use crate::input::display_name;
use crate::runner::RunOptions;

/// One run: a strategy with a kind of cells.
#[derive(Debug, Clone)]
pub(super) struct Run {
    pub(super) kind: StrategyKind,
    pub(super) cells: CellKind,
    /// The strategy's name, then `/` and the cells when several kinds run.
    pub(super) label: String,
}

/// How the runs show themselves while they go.
#[derive(Debug, Clone, Copy)]
pub(super) struct View {
    /// One strategy (the write-up's output) rather than a comparison.
    pub(super) single: bool,
    /// Print `Round i memuse` lines.
    pub(super) print_rounds: bool,
    /// Draw layout pictures.
    pub(super) layout: Option<LayoutOptions>,
}

/// Everything a solve needs to know before it starts.
#[derive(Debug)]
pub(super) struct Plan {
    /// `--input`.
    pub(super) input: PathBuf,
    /// The input's name in messages and outputs (`<stdin>` for `-`).
    pub(super) name: String,
    /// The runs, cells kind by cells kind, strategies in the order asked.
    pub(super) runs: Vec<Run>,
    /// How the runs show themselves.
    pub(super) view: View,
    /// What every run shares (its `cells` is set per run).
    pub(super) options: RunOptions,
    /// `--jobs`: runs at a time (`None`: the available cores).
    pub(super) jobs: Option<usize>,
}

impl Plan {
    /// The plan for `args`; `Err(code)` inside when the flags are refused
    /// (the message is already on standard error).
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
        let strategies = args.strategies();
        if let Some(refusal) = bumpalo_refusal(args, &strategies) {
            eprint_line(format_args!("day23: {refusal}"));
            return Ok(Err(ExitCode::Usage));
        }
        let cells = args.cells();
        let single = strategies.len() == 1 && cells.len() == 1;
        // Every strategy with every kind of cells; a label says which when both run.
        let runs = cells
            .iter()
            .flat_map(|&c| strategies.iter().map(move |&s| (s, c)))
            .map(|(kind, c)| Run {
                kind,
                cells: c,
                label: if cells.len() > 1 {
                    format!("{}/{}", kind.name(), c.name())
                } else {
                    kind.name().to_owned()
                },
            })
            .collect();
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
            single,
            print_rounds: single && args.format == Format::Text && !args.quiet,
            layout: layout_every
                .filter(|_| !args.quiet)
                .map(|every| LayoutOptions {
                    every,
                    width: layout_width(args.width),
                    mode: args.layout_mode(),
                }),
        };
        let options = RunOptions {
            buffer_size: args.buffer_size,
            limits: Limits {
                max_rounds: args.max_rounds,
                input_in_buffer: !args.input_on_heap,
            },
            trace: args.trace.is_some(),
            cells: CellKind::HashSet,
            allocator: args.allocator,
        };
        Ok(Ok(Self {
            input: path.clone(),
            name: display_name(path),
            runs,
            view,
            options,
            jobs: args.jobs.map(usize::from),
        }))
    }
}

/// Why `--allocator bumpalo` cannot run with these flags, if it cannot:
/// nothing to run it on (only the heap strategy), or `--trace`, which
/// records Zig's allocator events.
fn bumpalo_refusal(args: &SolveArgs, strategies: &[StrategyKind]) -> Option<String> {
    if args.allocator != AllocatorKind::Bumpalo {
        return None;
    }
    if strategies.iter().all(|&s| s == StrategyKind::Heap) {
        return Some(
            "--allocator bumpalo runs the strategies with bump buffers (leaky, tempcopy, pingpong, reuse);\n\
             --strategy heap uses the global heap under either allocator: add one of them, or drop --allocator."
                .to_owned(),
        );
    }
    args.trace.is_some().then(|| {
        "--trace records Zig's allocator events: not available with --allocator bumpalo, whose\n\
         figures are in the round lines, --layout, --report, --format json and csv, and the\n\
         summary table; drop --trace or use --allocator zig."
            .to_owned()
    })
}
