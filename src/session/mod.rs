//! # A session: the runs a front end asks for, run and compared
//!
//! Every front end (the command line, `day23 check`, the page) goes through
//! here, so that each runs exactly what the others would for the same
//! settings and words its results the same way:
//!
//! 1. [`Settings`] (the lists of strategies, cells and allocators, the buffer
//!    size, how far to go) become a [`Plan`]: one [`Run`] per strategy with
//!    each kind of cells, each with its label, or a [`Refusal`] of settings
//!    that cannot run together;
//! 2. each run goes over buffers its front end provides ([`run_in`]: a
//!    thread's stack natively, one heap block in the page), watched by a
//!    [`Recording`] of its rounds (and, for the HTML viewer, of its layouts);
//! 3. [`Results`] turns each finished run into its report, in plan order,
//!    and at the end into the [`Comparison`](crate::report::Comparison)
//!    every output is drawn from, with the first out-of-memory error.
//!
//! Where the runs go (one after another, or several at once) is the front
//! end's choice; the results are the same either way.

mod advice;
pub mod record;
mod run;

use std::fmt;

use crate::alloc::{AllocatorKind, BUFFER_ALIGN};
use crate::cells::CellKind;
use crate::engine::Limits;
use crate::export::Format;
use crate::strategy::StrategyKind;

pub use self::advice::{ADVICE_ELVES, Advice, SizeAdvice, advise};
pub use self::run::{NoBuffers, Recording, Results, RunError, RunOutcome, Session, run_in};

/// `--buffer-size` when none is given.
pub const DEFAULT_BUFFER_SIZE: &str = "4MiB";
/// `--strategy` when none is given.
pub const DEFAULT_STRATEGY: StrategyKind = StrategyKind::PingPong;
/// `--cells` when none is given.
pub const DEFAULT_CELLS: CellKind = CellKind::HashSet;

/// A value users pick by name from a fixed list (`--strategy`, `--cells`,
/// `--allocator`, `--format`): its names, order and one-line summaries,
/// for every front end's parser and help.
pub trait Choice: Copy + PartialEq + Sized + 'static {
    /// Every value, in the order `all` runs them and `--help` lists them.
    const ALL: &'static [Self];
    /// The name users type.
    fn name(self) -> &'static str;
    /// One line on what it is, for `--help`.
    fn summary(self) -> &'static str;
}

macro_rules! choices {
    ($($kind:ty),*) => {$(
        impl Choice for $kind {
            const ALL: &'static [Self] = &<$kind>::ALL;
            fn name(self) -> &'static str {
                <$kind>::name(self)
            }
            fn summary(self) -> &'static str {
                <$kind>::summary(self)
            }
        }
    )*};
}

choices!(StrategyKind, CellKind, AllocatorKind, Format);

/// Each item once, in the order first named; `None` stands for `all`
/// (every item, in [`Choice::ALL`]'s order).
pub fn each_once<T: Choice>(named: impl IntoIterator<Item = Option<T>>) -> Vec<T> {
    let mut items = Vec::new();
    for one in named {
        let more = match &one {
            Some(item) => std::slice::from_ref(item),
            None => T::ALL,
        };
        for &item in more {
            if !items.contains(&item) {
                items.push(item);
            }
        }
    }
    items
}

/// The items of a comma-separated list as `flag` takes it (`leaky,pingpong`,
/// `all`), each once.
///
/// # Errors
///
/// A word that names no item, worded as the command line words it.
pub fn parse_list<T: Choice>(text: &str, flag: &str) -> Result<Vec<T>, String> {
    let words = text.split(',').map(|word| match word {
        "all" => Ok(None),
        _ => T::ALL
            .iter()
            .find(|item| item.name() == word)
            .map(|&item| Some(item))
            .ok_or_else(|| {
                let possible: Vec<&str> = T::ALL.iter().map(|i| i.name()).chain(["all"]).collect();
                format!(
                    "invalid value '{word}' for '{flag}'\n  [possible values: {}]",
                    possible.join(", ")
                )
            }),
    });
    Ok(each_once(words.collect::<Result<Vec<_>, _>>()?))
}

/// What a front end asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The strategies, in order, each once.
    pub strategies: Vec<StrategyKind>,
    /// The kinds of cells, in order, each once.
    pub cells: Vec<CellKind>,
    /// The bump allocators behind the buffers, in order, each once.
    pub allocators: Vec<AllocatorKind>,
    /// Bytes per buffer.
    pub buffer_size: usize,
    /// How far to go and where the input lives.
    pub limits: Limits,
    /// Record Zig's allocator events.
    pub trace: bool,
}

/// One run of a plan: a strategy with a kind of cells on an allocator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Where its memory comes from.
    pub strategy: StrategyKind,
    /// How it stores the elves.
    pub cells: CellKind,
    /// The bump allocator behind its buffers (Zig's for the heap strategy,
    /// which has none).
    pub allocator: AllocatorKind,
    /// Its name in tables, headings and progress: the strategy, then `/`
    /// and the cells when the plan has several kinds of cells.
    pub label: String,
}

/// Settings that cannot run together: why, and what to do instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(&'static str);

/// The runs a session makes, and what they share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The input's name in messages and outputs.
    pub input: String,
    /// Cells kind by cells kind, allocator by allocator, the strategies in
    /// the order asked.
    pub runs: Vec<Run>,
    /// Bytes per buffer.
    pub buffer_size: usize,
    /// How far to go and where the input lives.
    pub limits: Limits,
    /// Record Zig's allocator events.
    pub trace: bool,
}

impl Plan {
    /// Every strategy with every kind of cells on every allocator, for the
    /// input called `input`. The heap strategy uses no bump allocator: it
    /// runs once, as Zig's.
    ///
    /// # Errors
    ///
    /// bumpalo with nothing to run on (the heap strategy alone), or with
    /// the trace, which records Zig's allocator.
    pub fn new(input: impl Into<String>, settings: &Settings) -> Result<Self, Refusal> {
        let Settings {
            strategies,
            cells,
            allocators,
            ..
        } = settings;
        if allocators == &[AllocatorKind::Bumpalo] {
            if strategies.iter().all(|&s| s == StrategyKind::Heap) {
                return Err(Refusal(
                    "--allocator bumpalo runs the strategies with bump buffers (leaky, tempcopy, pingpong, reuse);\n\
                     --strategy heap uses the global heap under either allocator: add one of them, or drop --allocator.",
                ));
            }
            if settings.trace {
                return Err(Refusal(
                    "--trace records Zig's allocator events: not available with --allocator bumpalo, whose\n\
                     figures are in the round lines, --layout, --report, --format json and csv, and the\n\
                     summary table; drop --trace or use --allocator zig.",
                ));
            }
        }
        let mut runs = Vec::new();
        for &allocator in allocators {
            for &c in cells {
                for &strategy in strategies {
                    let heap = strategy == StrategyKind::Heap;
                    if heap
                        && allocator != AllocatorKind::Zig
                        && allocators.contains(&AllocatorKind::Zig)
                    {
                        continue;
                    }
                    runs.push(Run {
                        strategy,
                        cells: c,
                        allocator: if heap { AllocatorKind::Zig } else { allocator },
                        label: if cells.len() > 1 {
                            format!("{}/{}", strategy.name(), c.name())
                        } else {
                            strategy.name().to_owned()
                        },
                    });
                }
            }
        }
        Ok(Self {
            input: input.into(),
            runs,
            buffer_size: settings.buffer_size,
            limits: settings.limits,
            trace: settings.trace,
        })
    }

    /// Whether the plan is one run (the write-up's output) rather than a
    /// comparison.
    #[must_use]
    pub fn is_single(&self) -> bool {
        self.runs.len() == 1
    }

    /// The sizes of the buffers `run` needs provided, in the order
    /// [`run_in`] takes them: none when bumpalo takes its chunks from the
    /// heap.
    #[must_use]
    pub fn buffers(&self, run: &Run) -> Vec<usize> {
        match run.allocator {
            AllocatorKind::Zig => vec![self.buffer_size; run.strategy.buffers().len()],
            AllocatorKind::Bumpalo => Vec::new(),
        }
    }

    /// The bytes `run`'s buffers may hold, each started at a multiple of
    /// [`BUFFER_ALIGN`] (`usize::MAX` on overflow): an upper bound, since a
    /// run touches only what it uses.
    #[must_use]
    pub fn buffer_bytes(&self, run: &Run) -> usize {
        self.buffers(run)
            .iter()
            .try_fold(0usize, |acc, &s| {
                acc.checked_add(s.checked_next_multiple_of(BUFFER_ALIGN)?)
            })
            .unwrap_or(usize::MAX)
    }
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(strategies: &str, cells: &str, allocators: &str) -> Settings {
        Settings {
            strategies: parse_list(strategies, "-s").unwrap(),
            cells: parse_list(cells, "-c").unwrap(),
            allocators: parse_list(allocators, "--allocator").unwrap(),
            buffer_size: 4096,
            limits: Limits::default(),
            trace: false,
        }
    }

    fn labels(plan: &Plan) -> Vec<String> {
        plan.runs
            .iter()
            .map(|r| format!("{}:{}", r.label, r.allocator.name()))
            .collect()
    }

    #[test]
    fn lists_name_items_once_in_the_order_asked() {
        let s: Vec<StrategyKind> = parse_list("reuse,leaky,reuse", "-s").unwrap();
        assert_eq!(s, [StrategyKind::Reuse, StrategyKind::Leaky]);
        let s: Vec<StrategyKind> = parse_list("pingpong,all", "-s").unwrap();
        assert_eq!(s[0], StrategyKind::PingPong);
        assert_eq!(s.len(), StrategyKind::ALL.len());
        let e = parse_list::<CellKind>("hashset,grid", "--cells <CELLS[,...]>").unwrap_err();
        assert_eq!(
            e,
            "invalid value 'grid' for '--cells <CELLS[,...]>'\n  [possible values: hashset, zigmap, bitgrid, all]"
        );
    }

    #[test]
    fn runs_go_cells_by_cells_labelled_with_the_cells_when_several() {
        let plan = Plan::new("x", &settings("leaky,heap", "hashset", "zig")).unwrap();
        assert_eq!(labels(&plan), ["leaky:zig", "heap:zig"]);
        assert!(!plan.is_single());
        let plan = Plan::new("x", &settings("leaky", "bitgrid,hashset", "zig")).unwrap();
        assert_eq!(labels(&plan), ["leaky/bitgrid:zig", "leaky/hashset:zig"]);
    }

    #[test]
    fn the_heap_runs_once_as_zigs() {
        let plan = Plan::new("x", &settings("heap,leaky", "hashset", "all")).unwrap();
        assert_eq!(labels(&plan), ["heap:zig", "leaky:zig", "leaky:bumpalo"]);
        let plan = Plan::new("x", &settings("heap,leaky", "hashset", "bumpalo")).unwrap();
        assert_eq!(labels(&plan), ["heap:zig", "leaky:bumpalo"]);
        assert_eq!(plan.buffers(&plan.runs[0]), Vec::<usize>::new());
        assert_eq!(plan.buffers(&plan.runs[1]), Vec::<usize>::new());
    }

    #[test]
    fn bumpalo_is_refused_with_nothing_to_run_on_or_a_trace() {
        let e = Plan::new("x", &settings("heap", "hashset", "bumpalo")).unwrap_err();
        assert!(
            e.to_string()
                .contains("--strategy heap uses the global heap"),
            "{e}"
        );
        let mut traced = settings("leaky", "hashset", "bumpalo");
        traced.trace = true;
        let e = Plan::new("x", &traced).unwrap_err();
        assert!(e.to_string().starts_with("--trace records Zig's"), "{e}");
        assert!(Plan::new("x", &settings("heap", "hashset", "all")).is_ok());
    }

    #[test]
    fn buffers_are_the_strategys_each_aligned() {
        let plan = Plan::new("x", &settings("pingpong,heap", "hashset", "zig")).unwrap();
        let mut plan = plan;
        plan.buffer_size = 100;
        assert_eq!(plan.buffers(&plan.runs[0]), [100, 100]);
        assert_eq!(plan.buffer_bytes(&plan.runs[0]), 256);
        assert_eq!(plan.buffer_bytes(&plan.runs[1]), 0);
        plan.buffer_size = usize::MAX;
        assert_eq!(plan.buffer_bytes(&plan.runs[0]), usize::MAX);
    }
}
