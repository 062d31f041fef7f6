//! # day23 in the browser
//!
//! A thin layer over the library, nothing more: [`solve`] takes the options
//! as the page's API names them (`strategy`, `cells`, `bufferSize`,
//! `maxRounds`), builds the runs the CLI would build for the same flags,
//! runs each over buffers in this module's memory
//! ([`day23::runner::heap::run_on_heap`], 64-byte aligned as natively), and
//! returns the very JSON that `day23 --format json` prints, the viewer's
//! data (the `--report` page's), and the CLI's error message if a single
//! run's buffer ran out; or the CLI's error message alone. No rule, parser
//! or format is written twice.

#[cfg(target_arch = "wasm32")]
mod ffi;

use std::sync::Mutex;

use day23::alloc::AllocatorKind;
use day23::cells::CellKind;
use day23::engine::{Limits, Observer, Phase, Snapshot};
use day23::error::SolveError;
use day23::export::{Format, exporter};
use day23::report::{Comparison, RoundStats};
use day23::runner::heap::run_on_heap;
use day23::runner::record::{ReportRun, ReportSink};
use day23::runner::{RunOptions, run_report};
use day23::strategy::StrategyKind;
use serde::Deserialize;
use serde_json::{Value, json};

/// The CLI's default `--buffer-size`: 4 MiB.
const DEFAULT_BUFFER_SIZE: usize = 4 << 20;

/// The options, as `window.day23.solve` takes them.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    /// `--strategy`: `"leaky"`, `"leaky,pingpong"`, `"all"` (default pingpong, as the CLI).
    pub strategy: Option<String>,
    /// `--cells`: `"hashset"`, `"all"`, ... (default hashset).
    pub cells: Option<String>,
    /// `--buffer-size`: bytes, or a string with the CLI's units.
    pub buffer_size: Option<Value>,
    /// `--max-rounds`.
    pub max_rounds: Option<u64>,
    /// The input's name in messages and in the JSON's `input` field.
    pub name: Option<String>,
    /// Record the viewer's data (elves, moves, layouts) as well.
    pub record: bool,
}

/// The items of a list flag, as clap parses `--strategy a,b` or `all`.
fn parse_list<T: Copy + PartialEq>(
    text: &str,
    flag: &str,
    all: &[T],
    name: impl Fn(T) -> &'static str,
) -> Result<Vec<T>, String> {
    let mut items = Vec::new();
    for word in text.split(',') {
        let more: Vec<T> = if word == "all" {
            all.to_vec()
        } else if let Some(&item) = all.iter().find(|&&item| name(item) == word) {
            vec![item]
        } else {
            let possible: Vec<&str> = all.iter().map(|&i| name(i)).chain(["all"]).collect();
            return Err(format!(
                "invalid value '{word}' for '{flag}'\n  [possible values: {}]",
                possible.join(", ")
            ));
        };
        for item in more {
            if !items.contains(&item) {
                items.push(item);
            }
        }
    }
    Ok(items)
}

/// `--buffer-size`: a number of bytes, or text in the CLI's units.
fn buffer_size(value: Option<&Value>) -> Result<usize, String> {
    let text = match value {
        None | Some(Value::Null) => return Ok(DEFAULT_BUFFER_SIZE),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => other.to_string(),
    };
    day23::alloc::parse_size(&text)
        .map_err(|e| format!("invalid value '{text}' for '--buffer-size <BYTES>': {e}"))
}

/// Watches one run: its figures, its elves, the viewer's data, and the
/// page's "round N" line.
struct PageObserver<'m, 'p> {
    run: usize,
    rounds: Vec<RoundStats>,
    elves: Option<usize>,
    report: Option<ReportRun<'m>>,
    progress: &'p mut dyn FnMut(usize, usize),
}

impl Observer for PageObserver<'_, '_> {
    fn round(&mut self, stats: RoundStats, snapshot: &dyn Snapshot) {
        if stats.round == 0 {
            self.elves = Some(snapshot.elves().len());
        }
        if let Some(report) = &mut self.report {
            report.round(stats.round, snapshot);
        }
        let round = stats.round;
        self.rounds.push(stats);
        (self.progress)(self.run, round);
    }

    fn phase(&mut self, _round: usize, _phase: Phase, snapshot: &dyn Snapshot) {
        if let Some(report) = &mut self.report {
            report.phase(snapshot);
        }
    }
}

/// Solves `input` with `options` (JSON), calling `progress(run, round)` after
/// every round. The answer, as JSON: `{"json": <the CLI's --format json>,
/// "report": <the viewer's data or null>, "error": <the CLI's message when a
/// single run ran out of memory, or null>}`, or `{"error": message}` alone
/// when the CLI would print nothing but that message.
#[must_use]
pub fn solve(input: &[u8], options: &[u8], progress: &mut dyn FnMut(usize, usize)) -> String {
    match try_solve(input, options, progress) {
        Ok(answer) => answer,
        Err(error) => json!({ "error": error }).to_string(),
    }
}

fn try_solve(
    input: &[u8],
    options: &[u8],
    progress: &mut dyn FnMut(usize, usize),
) -> Result<String, String> {
    let options: Options =
        serde_json::from_slice(options).map_err(|e| format!("invalid options: {e}"))?;
    let strategies = parse_list(
        options.strategy.as_deref().unwrap_or("pingpong"),
        "--strategy <STRATEGY[,...]>",
        &StrategyKind::ALL,
        StrategyKind::name,
    )?;
    let cells = parse_list(
        options.cells.as_deref().unwrap_or("hashset"),
        "--cells <CELLS[,...]>",
        &CellKind::ALL,
        CellKind::name,
    )?;
    let size = buffer_size(options.buffer_size.as_ref())?;
    let max_rounds = options
        .max_rounds
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    let name = options.name.unwrap_or_else(|| "<input>".to_owned());
    let single = strategies.len() == 1 && cells.len() == 1;
    // Every strategy with every kind of cells, cells outermost, as the CLI plans them.
    let runs: Vec<(StrategyKind, CellKind)> = cells
        .iter()
        .flat_map(|&c| strategies.iter().map(move |&s| (s, c)))
        .collect();
    let sink = options.record.then(ReportSink::default);
    let moves: Option<&Mutex<_>> = sink.as_ref().map(|s| &s.moves);
    let mut reports = Vec::with_capacity(runs.len());
    let mut layouts = Vec::with_capacity(runs.len());
    let mut failure = None;
    for (i, &(kind, cells)) in runs.iter().enumerate() {
        let run_options = RunOptions {
            buffer_size: size,
            limits: Limits {
                max_rounds,
                input_in_buffer: true,
            },
            trace: false,
            cells,
            allocator: AllocatorKind::Zig,
        };
        let mut observer = PageObserver {
            run: i,
            rounds: Vec::new(),
            elves: None,
            report: moves.map(|m| ReportSink::run(m, kind == StrategyKind::TempCopy)),
            progress: &mut *progress,
        };
        let outcome = run_on_heap(kind, input, &run_options, &mut observer)
            .map_err(|e| format!("{:#}", anyhow::Error::new(e)))?;
        let PageObserver {
            rounds,
            elves,
            report,
            ..
        } = observer;
        let (report_of_run, oom) = run_report(kind, cells, size, elves, rounds, outcome.result)
            .map_err(|e| match e {
                e @ SolveError::Parse(_) => format!("invalid input '{name}': {e}"),
                e => e.to_string(),
            })?;
        reports.push(report_of_run);
        layouts.extend(report.map(ReportRun::into_layouts));
        failure = failure.or(oom);
    }
    let elves = day23::runner::share_elf_count(&mut reports, input);
    let comparison = Comparison::new(name, elves, size, reports);
    let text = |format| {
        exporter(format)
            .serialize(&comparison)
            .map_err(|e| format!("{e:#}"))
            .and_then(|b| String::from_utf8(b).map_err(|e| e.to_string()))
    };
    let export = text(Format::Json)?;
    let report = match sink {
        Some(mut sink) => {
            sink.runs = layouts;
            let page = sink
                .page(&comparison, text(Format::Text)?)
                .map_err(|e| format!("{e:#}"))?;
            page.data_json().map_err(|e| format!("{e:#}"))?
        }
        None => "null".to_owned(),
    };
    let agreed = comparison.agreed_answers().map_err(|e| e.to_string());
    let error = match (agreed, failure) {
        (Err(e), _) => Some(e),
        (Ok(_), Some(oom)) if single => Some(oom.to_string()),
        _ => None,
    };
    // The export's and the viewer's JSON go in as they are, in the CLI's
    // key order, without a second parse.
    Ok(format!(
        "{{\"json\":{},\"report\":{report},\"error\":{}}}",
        export.trim_end(),
        json!(error)
    ))
}

/// [`solve`], as bytes of JSON (what the page's interface returns).
#[must_use]
pub fn answer(input: &[u8], options: &[u8]) -> Vec<u8> {
    #[cfg(target_arch = "wasm32")]
    let mut progress = ffi::progress;
    #[cfg(not(target_arch = "wasm32"))]
    let mut progress = |_: usize, _: usize| {};
    solve(input, options, &mut progress).into_bytes()
}
