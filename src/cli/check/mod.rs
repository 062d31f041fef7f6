//! # `day23 check`: a manifest's answers under every strategy and cell kind
//!
//! Every input of a [`Manifest`] runs under every strategy and cell kind
//! asked for (by default all of them: the lists come from the `ValueEnum`s,
//! so a new strategy or cell kind joins without changes here), each run on
//! its own buffers, several at a time on the available cores, as many as
//! fit the available memory together ([`crate::cli::jobs`]). A run's
//! verdict compares each answer it reached with the manifest's:
//!
//! * **pass**: every expected answer reached, and equal;
//! * **FAIL**: an answer reached differs (whatever happened afterwards);
//! * **oom**: the buffer ran out before an expected answer was reached, and
//!   every answer reached before matched. Not a failure: a small buffer is
//!   the user's choice, and leaky runs out by design.
//!
//! One line per run, in manifest order as soon as it and every run before it
//! are done, then a summary; `--junit PATH` also writes JUnit XML
//! ([`junit`]), which replaces the old report only once every run is done
//! ([`crate::cli::outfile`]). The exit code is 0 when every answer reached matches and
//! [`ExitCode::WrongAnswer`] when one does not; a bad manifest or input is an
//! error (exit 1) before any run starts.
//!
//! When the manifest has no `part2` for an input, its runs stop after the
//! ten rounds of part 1.

pub mod junit;
pub mod manifest;

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

pub use self::manifest::{Entry, Manifest};
use crate::alloc::AllocatorKind;
use crate::answers::Answers;
use crate::cells::CellKind;
use crate::cli::args::{CheckArgs, ExitCode};
use crate::cli::eprint_line;
use crate::cli::input::display_name;
use crate::cli::jobs::{Delivery, Outbox, Pool, run_in_order};
use crate::cli::outfile::{self, OutFile, Planned, Source};
use crate::cli::stack::run_on_stack;
use crate::color::{self, Colors};
use crate::engine::{Limits, PART1_ROUNDS};
use crate::error::OutOfMemory;
use crate::session::{Plan, Run, Settings};
use crate::strategy::StrategyKind;
use crate::units::{count, count_grouped, thousands};

/// One run of the check: an input under a strategy with a cell kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    /// The input's index in the manifest.
    pub input: usize,
    /// The strategy.
    pub strategy: StrategyKind,
    /// The cell kind.
    pub cells: CellKind,
    /// The bump allocator.
    pub allocator: AllocatorKind,
    /// The run's index in its input's plan.
    pub run: usize,
}

impl Job {
    /// `leaky/hashset`, and `/bumpalo` after it under bumpalo.
    #[must_use]
    pub fn label(&self) -> String {
        match self.allocator {
            AllocatorKind::Zig => format!("{}/{}", self.strategy.name(), self.cells.name()),
            AllocatorKind::Bumpalo => {
                format!("{}/{}/bumpalo", self.strategy.name(), self.cells.name())
            }
        }
    }
}

/// One part's answer, against the manifest's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartCheck<T> {
    /// The manifest gives no answer: nothing to check.
    NotGiven,
    /// Reached, and equal to the manifest's.
    Matched(T),
    /// Reached, and different.
    Wrong {
        /// The manifest's answer.
        expected: T,
        /// The run's.
        found: T,
    },
    /// The run stopped (out of memory) before reaching it.
    NotReached(T),
}

impl<T: Copy + PartialEq + std::fmt::Display> PartCheck<T> {
    fn new(expected: Option<T>, found: Option<T>) -> Self {
        match (expected, found) {
            (None, _) => Self::NotGiven,
            (Some(e), Some(f)) if e == f => Self::Matched(f),
            (Some(expected), Some(found)) => Self::Wrong { expected, found },
            (Some(e), None) => Self::NotReached(e),
        }
    }

    fn is_wrong(&self) -> bool {
        matches!(self, Self::Wrong { .. })
    }

    /// `part 1 110`, `part 1: expected 111, found 110`, `part 1 not reached`.
    fn describe(&self, part: usize) -> Option<String> {
        match self {
            Self::NotGiven => None,
            Self::Matched(a) => Some(format!("part {part} {a}")),
            Self::Wrong { expected, found } => {
                Some(format!("part {part}: expected {expected}, found {found}"))
            }
            Self::NotReached(_) => Some(format!("part {part} not reached")),
        }
    }
}

/// How a run ended against the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every expected answer reached, and equal.
    Pass,
    /// An answer reached differs.
    Fail,
    /// Out of memory before an expected answer; those reached matched.
    OutOfMemory,
}

impl Verdict {
    /// `pass`, `FAIL`, `oom`: the first word of a run's line.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "FAIL",
            Self::OutOfMemory => "oom",
        }
    }

    fn style(self) -> anstyle::Style {
        match self {
            Self::Pass => color::GOOD,
            Self::Fail => color::BAD,
            Self::OutOfMemory => color::OUT_OF_MEMORY,
        }
    }
}

/// What one run found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunCheck {
    /// The run.
    pub job: Job,
    /// Part 1 against the manifest.
    pub part1: PartCheck<u64>,
    /// Part 2 against the manifest.
    pub part2: PartCheck<usize>,
    /// Why the run stopped early, if its buffer ran out.
    pub out_of_memory: Option<OutOfMemory>,
    /// How long the run took.
    pub time: Duration,
}

impl RunCheck {
    /// The verdict.
    #[must_use]
    pub fn verdict(&self) -> Verdict {
        if self.part1.is_wrong() || self.part2.is_wrong() {
            Verdict::Fail
        } else if self.out_of_memory.is_some() {
            Verdict::OutOfMemory
        } else {
            Verdict::Pass
        }
    }

    /// What the run found: `part 1 110, part 2 20`, the wrong answers with
    /// the expected ones, and where the buffer ran out.
    #[must_use]
    pub fn detail(&self) -> String {
        let mut text = [self.part1.describe(1), self.part2.describe(2)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("; ");
        if let Some(oom) = &self.out_of_memory {
            let _ = write!(
                text,
                "; out of memory in round {} (buffer '{}' of {})",
                thousands(oom.round as u64),
                oom.buffer,
                count_grouped(oom.capacity, "byte")
            );
        }
        text
    }
}

/// Runs `check`: loads the manifest, runs every job, prints a line per run
/// and a summary, writes the JUnit report if asked.
///
/// # Errors
///
/// A bad manifest or input, a JUnit path that cannot be created or written,
/// a run that could not start (buffers too large for the machine).
pub fn run(args: &CheckArgs, colors: Colors) -> Result<ExitCode> {
    let (strategies, cells, allocators) = (args.strategies(), args.cells(), args.allocators());
    let settings = Settings {
        strategies: strategies.clone(),
        cells: cells.clone(),
        allocators: allocators.clone(),
        buffer_size: args.buffer_size,
        limits: Limits::default(),
        trace: false,
    };
    // The same runs for every input; each input's plan has its own name and
    // limits.
    let runs = match Plan::new(String::new(), &settings) {
        Ok(plan) => plan,
        Err(refusal) => {
            eprint_line(format_args!("day23: {refusal}"));
            return Ok(ExitCode::Usage);
        }
    };
    // The report is checked against the manifest and created (a temporary
    // file until the results are in) before the manifest is loaded, then
    // checked against every input the manifest names.
    let junit = Vec::from_iter(
        args.junit
            .as_deref()
            .map(|path| Planned::new("--junit", path))
            .transpose()?,
    );
    let manifest_source = if outfile::is_dash(&args.manifest) {
        if io::stdin().is_terminal() {
            eprint_line(format_args!(
                "day23: check - reads the manifest from standard input, which is a terminal.\n\
                 Pipe one in (day23 check - < manifest.json) or give a path; see day23 check --help."
            ));
            return Ok(ExitCode::Usage);
        }
        (
            "the manifest (the file standard input reads)".to_owned(),
            Source::Stdin,
        )
    } else {
        ("the manifest".to_owned(), Source::File(&args.manifest))
    };
    outfile::refuse_sources(&junit, &[manifest_source])?;
    let junit_out = junit.first().map(Planned::create).transpose()?;
    let manifest = Manifest::load(&args.manifest)?;
    let inputs: Vec<_> = manifest
        .entries
        .iter()
        .map(|e| {
            let what = format!("the manifest's input '{}'", e.file);
            (what, Source::File(e.path.as_path()))
        })
        .collect();
    outfile::refuse_sources(&junit, &inputs)?;
    let plans: Vec<Plan> = manifest
        .entries
        .iter()
        .map(|entry| Plan {
            input: entry.path.display().to_string(),
            limits: Limits {
                // Without a part 2 to check, part 1's rounds are enough.
                max_rounds: entry.part2.is_none().then_some(PART1_ROUNDS),
                input_in_buffer: true,
            },
            ..runs.clone()
        })
        .collect();
    let jobs: Vec<Job> = (0..plans.len())
        .flat_map(|input| (0..runs.runs.len()).map(move |run| (input, run)))
        .map(|(input, run)| {
            let Run {
                strategy,
                cells,
                allocator,
                ..
            } = runs.runs[run];
            Job {
                input,
                strategy,
                cells,
                allocator,
                run,
            }
        })
        .collect();
    let pool = Pool::new(args.jobs.map(usize::from), jobs.len());
    let threads = pool.threads.min(jobs.len());

    // With the report on standard output, the run lines go to standard error.
    let lines_on_stderr = junit_out.as_ref().is_some_and(OutFile::is_stdout);
    let colored = if lines_on_stderr {
        colors.stderr
    } else {
        colors.stdout
    };
    let mut out = Lines {
        stderr: lines_on_stderr,
        error: None,
    };
    let allocators_note = if allocators == [AllocatorKind::Zig] {
        String::new()
    } else {
        let names: Vec<&str> = allocators.iter().map(|a| a.name()).collect();
        format!(" on {}", names.join(" and "))
    };
    out.line(&format!(
        "day23 check {}: {} x {} x {}{} = {}, each buffer {}, {} at a time",
        display_name(&manifest.path),
        count(manifest.entries.len(), "input"),
        count(strategies.len(), "strategy"),
        count(cells.len(), "cell kind"),
        allocators_note,
        count(jobs.len(), "run"),
        count_grouped(args.buffer_size, "byte"),
        threads
    ));
    let widths = Widths {
        file: manifest
            .entries
            .iter()
            .map(|e| e.file.chars().count())
            .max()
            .unwrap_or(0),
        label: jobs.iter().map(|j| j.label().len()).max().unwrap_or(0),
    };
    let start = Instant::now();
    let results = run_all(&manifest, &plans, &jobs, pool, |check| {
        out.line(&line(&manifest, check, widths, colored));
    })?;
    let wall = start.elapsed();

    let verdicts = |v: Verdict| results.iter().filter(|r| r.verdict() == v).count();
    let (passed, failed, oom) = (
        verdicts(Verdict::Pass),
        verdicts(Verdict::Fail),
        verdicts(Verdict::OutOfMemory),
    );
    out.line("");
    let failed_text = format!("{failed} failed");
    out.line(&format!(
        "{}: {passed} passed, {}, {oom} out of memory (not failures); {:.2} s",
        count(results.len(), "run"),
        if failed > 0 {
            color::paint(colored, color::BAD, &failed_text)
        } else {
            failed_text
        },
        wall.as_secs_f64()
    ));
    for r in results.iter().filter(|r| r.verdict() == Verdict::Fail) {
        out.line(&format!(
            "{}: {} {}: {}",
            color::paint(colored, color::BAD, "failed"),
            manifest.entries[r.job.input].file,
            r.job.label(),
            r.detail()
        ));
    }
    out.finish()?;
    if let Some(mut file) = junit_out {
        let xml = junit::report(&manifest, &results, wall)
            .to_string()
            .context("could not make the JUnit report")?;
        file.write_bytes(xml.as_bytes())?;
        file.commit()?;
    }
    Ok(if failed > 0 {
        ExitCode::WrongAnswer
    } else {
        ExitCode::Success
    })
}

/// Column widths of the run lines.
#[derive(Debug, Clone, Copy)]
struct Widths {
    file: usize,
    label: usize,
}

/// `pass  example.txt  leaky/hashset    0.01 s  part 1 110, part 2 20`.
fn line(manifest: &Manifest, check: &RunCheck, widths: Widths, colored: bool) -> String {
    let verdict = check.verdict();
    let word = verdict.word();
    format!(
        "{}{:pad$}  {:<fw$}  {:<lw$}  {:>7.2} s  {}",
        color::paint(colored, verdict.style(), word),
        "",
        manifest.entries[check.job.input].file,
        check.job.label(),
        check.time.as_secs_f64(),
        check.detail(),
        pad = 4 - word.len(),
        fw = widths.file,
        lw = widths.label,
    )
}

/// Runs every job on `pool` (each input's runs as its plan says); calls
/// `done` for each result in job order, as soon as it and every one before
/// it are done.
///
/// # Errors
///
/// The first run (in job order) that could not start; the runs still going
/// finish first, and no more start.
pub fn run_all(
    manifest: &Manifest,
    plans: &[Plan],
    jobs: &[Job],
    pool: Pool,
    mut done: impl FnMut(&RunCheck) + Send,
) -> Result<Vec<RunCheck>> {
    let mut results = Vec::with_capacity(jobs.len());
    let mut error = None;
    let run_of = |job: &Job| (&plans[job.input], &plans[job.input].runs[job.run]);
    run_in_order(
        jobs,
        pool,
        |job| {
            let (plan, run) = run_of(job);
            plan.buffer_bytes(run)
        },
        |&job, _: Outbox<()>| {
            let (plan, run) = run_of(&job);
            run_job(&manifest.entries[job.input], plan, run, job)
        },
        |_, delivery| match delivery {
            Delivery::Message(()) => ControlFlow::Continue(()),
            Delivery::Done(Ok(check)) => {
                done(&check);
                results.push(check);
                ControlFlow::Continue(())
            }
            Delivery::Done(Err(e)) => {
                error = Some(e);
                ControlFlow::Break(())
            }
        },
    );
    match error {
        Some(e) => Err(e),
        None => Ok(results),
    }
}

/// Runs one job and compares its answers with the entry's.
fn run_job(entry: &Entry, plan: &Plan, run: &Run, job: Job) -> Result<RunCheck> {
    let start = Instant::now();
    let outcome = run_on_stack(plan, run, &entry.bytes, &mut ())?;
    let time = start.elapsed();
    let (found, out_of_memory) = plan.answers(outcome.result)?;
    let Answers { part1, part2 } = found;
    Ok(RunCheck {
        job,
        part1: PartCheck::new(entry.part1, part1),
        part2: PartCheck::new(entry.part2, part2),
        out_of_memory,
        time,
    })
}

/// Lines to standard output (or standard error), each flushed as it is
/// written; a closed pipe ends the output quietly, any other write error is
/// reported at the end.
struct Lines {
    stderr: bool,
    error: Option<io::Error>,
}

impl Lines {
    fn line(&mut self, text: &str) {
        if self.error.is_none() {
            let written = if self.stderr {
                let mut out = io::stderr().lock();
                writeln!(out, "{text}").and_then(|()| out.flush())
            } else {
                let mut out = io::stdout().lock();
                writeln!(out, "{text}").and_then(|()| out.flush())
            };
            if let Err(e) = written {
                self.error = Some(e);
            }
        }
    }

    fn finish(self) -> Result<()> {
        let stream = if self.stderr { "error" } else { "output" };
        match self.error {
            Some(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                Err(e).with_context(|| format!("could not write to standard {stream}"))
            }
            _ => Ok(()),
        }
    }
}
