//! # day23 in the browser
//!
//! A thin front end over the library's session layer ([`day23::session`]):
//! [`solve`] takes the options as one JSON value (the page's API names:
//! `strategy`, `cells`, `bufferSize`, `maxRounds`, `name`, `record`), plans
//! the runs the CLI would plan for the same flags, runs each over one
//! 64-byte-aligned block of this module's memory (where the CLI uses a
//! thread's stack), and returns the very JSON that `day23 --format json`
//! prints, the viewer's data (the `--report` page's), and the CLI's message
//! if a single run's buffer ran out; or the CLI's error message alone.
//! [`allocate`] replays a short list of allocator calls on the real
//! allocator ([`day23::alloc::replay`]), for the guided tour's buttons.

#[cfg(target_arch = "wasm32")]
mod ffi;

use day23::alloc::replay::{Call, replay};
use day23::alloc::{AllocatorKind, parse_size, with_heap_buffers};
use day23::engine::{Limits, Observer, Phase, Snapshot};
use day23::export::{Format, exporter};
use day23::report::RoundStats;
use day23::session::record::ReportSink;
use day23::session::{
    DEFAULT_BUFFER_SIZE, DEFAULT_CELLS, DEFAULT_STRATEGY, Plan, Recording, Results, Settings,
    parse_list, run_in,
};
use serde::Deserialize;
use serde_json::{Value, json};

/// The options, as `window.day23.solve` takes them.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    /// `--strategy`: `"leaky"`, `"leaky,pingpong"`, `"all"`.
    pub strategy: Option<String>,
    /// `--cells`: `"hashset"`, `"all"`, ...
    pub cells: Option<String>,
    /// `--allocator`: `"zig"` (the default), `"bumpalo"`, `"all"`.
    pub allocator: Option<String>,
    /// `--buffer-size`: bytes, or a string with the CLI's units.
    pub buffer_size: Option<Value>,
    /// `--max-rounds`.
    pub max_rounds: Option<u64>,
    /// The input's name in messages and in the JSON's `input` field.
    pub name: Option<String>,
    /// Record the viewer's data (elves, moves, layouts) as well.
    pub record: bool,
}

/// A run's recording, and the page's "round N" line after every round.
struct PageObserver<'m, 'p> {
    run: usize,
    recording: Recording<'m>,
    progress: &'p mut dyn FnMut(usize, usize),
}

impl Observer for PageObserver<'_, '_> {
    fn round(&mut self, stats: RoundStats, snapshot: &dyn Snapshot) {
        let round = stats.round;
        self.recording.round(stats, snapshot);
        (self.progress)(self.run, round);
    }

    fn phase(&mut self, round: usize, phase: Phase, snapshot: &dyn Snapshot) {
        self.recording.phase(round, phase, snapshot);
    }
}

/// Solves `input` with `options` (JSON), calling `progress(run, round)` after
/// every round. The answer, as JSON: `{"json": <the CLI's --format json>,
/// "report": <the viewer's data or null>, "error": <the CLI's message when a
/// single run ran out of memory, or null>}`, or `{"error": message}` alone
/// when the CLI would print nothing but that message.
#[must_use]
pub fn solve(input: &[u8], options: &[u8], progress: &mut dyn FnMut(usize, usize)) -> String {
    try_solve(input, options, progress)
        .unwrap_or_else(|error| json!({ "error": error }).to_string())
}

fn try_solve(
    input: &[u8],
    options: &[u8],
    progress: &mut dyn FnMut(usize, usize),
) -> Result<String, String> {
    let options: Options =
        serde_json::from_slice(options).map_err(|e| format!("invalid options: {e}"))?;
    let size = match options.buffer_size {
        None | Some(Value::Null) => DEFAULT_BUFFER_SIZE.to_owned(),
        Some(Value::String(s)) => s,
        Some(other) => other.to_string(),
    };
    let settings = Settings {
        strategies: parse_list(
            options
                .strategy
                .as_deref()
                .unwrap_or(DEFAULT_STRATEGY.name()),
            "--strategy <STRATEGY[,...]>",
        )?,
        cells: parse_list(
            options.cells.as_deref().unwrap_or(DEFAULT_CELLS.name()),
            "--cells <CELLS[,...]>",
        )?,
        allocators: parse_list(
            options
                .allocator
                .as_deref()
                .unwrap_or(AllocatorKind::Zig.name()),
            "--allocator <ALLOCATOR[,...]>",
        )?,
        buffer_size: parse_size(&size)
            .map_err(|e| format!("invalid value '{size}' for '--buffer-size <BYTES>': {e}"))?,
        limits: Limits {
            max_rounds: options
                .max_rounds
                .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
            input_in_buffer: true,
        },
        trace: false,
    };
    let name = options.name.unwrap_or_else(|| "<input>".to_owned());
    let plan = Plan::new(name, &settings).map_err(|e| e.to_string())?;
    let sink = options.record.then(ReportSink::default);
    let mut results = Results::default();
    for (i, run) in plan.runs.iter().enumerate() {
        let mut observer = PageObserver {
            run: i,
            recording: Recording::new(run, sink.as_ref().map(|s| &s.moves)),
            progress: &mut *progress,
        };
        let outcome = with_heap_buffers(&plan.buffers(run), |bufs| {
            run_in(&plan, run, input, &mut observer, bufs)
        })
        .map_err(|e| format!("{:#}", anyhow::Error::new(plan.no_buffers(run, e))))?;
        results
            .add(&plan, run, outcome.result, observer.recording)
            .map_err(|e| format!("{:#}", anyhow::Error::new(e)))?;
    }
    let session = results.finish(&plan, input);
    let comparison = &session.comparison;
    let text = |format| {
        let bytes = exporter(format)
            .serialize(comparison)
            .map_err(|e| format!("{e:#}"))?;
        String::from_utf8(bytes).map_err(|e| e.to_string())
    };
    let export = text(Format::Json)?;
    let report = match sink {
        Some(sink) => sink
            .page(comparison, session.layouts, text(Format::Text)?)
            .and_then(|page| page.data_json())
            .map_err(|e| format!("{e:#}"))?,
        None => "null".to_owned(),
    };
    let error = match (comparison.agreed_answers(), session.failure) {
        (Err(e), _) => Some(e.to_string()),
        (Ok(_), Some(oom)) if plan.is_single() => Some(oom.to_string()),
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

/// What `window.day23.allocate` sends: a buffer size and the calls.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Replay {
    /// Bytes, or a string with the CLI's units.
    capacity: Value,
    calls: Vec<Call>,
}

/// Replays `request` (JSON: `{"capacity": 128, "calls": [{"op": "alloc",
/// "size": 40, "align": 8}, {"op": "free", "id": 0}, ...]}`) on a fresh
/// `FixedBufferAllocator`: `{"steps": [...]}`, each step the allocator
/// after one call (its `--trace` lines, `end_index`, live bytes, blocks),
/// or `{"error": message}`.
#[must_use]
pub fn allocate(request: &[u8]) -> String {
    let steps = serde_json::from_slice::<Replay>(request)
        .map_err(|e| format!("invalid calls: {e}"))
        .and_then(|r| {
            let size = match r.capacity {
                Value::String(s) => s,
                other => other.to_string(),
            };
            let capacity =
                parse_size(&size).map_err(|e| format!("invalid buffer size '{size}': {e}"))?;
            replay(capacity, &r.calls).map_err(|e| format!("{:#}", anyhow::Error::new(e)))
        });
    match steps {
        Ok(steps) => json!({ "steps": steps }).to_string(),
        Err(error) => json!({ "error": error }).to_string(),
    }
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
