//! Shared helpers: the manifest of bundled inputs and a recording run.

use std::path::{Path, PathBuf};

use day23::alloc::AllocatorKind;
use day23::cells::CellKind;
use day23::cli::stack::run_on_stack;
use day23::engine::{Limits, Observer, Snapshot};
use day23::grid::Point2D;
use day23::report::{Answers, RoundStats};
use day23::session::{NoBuffers, Plan, RunOutcome, Settings};
use day23::sim::HASHBROWN_GROUP_WIDTH;
use day23::strategy::StrategyKind;

pub const ALL: [StrategyKind; 5] = StrategyKind::ALL;

/// What one run of one strategy shares with a plan's other runs.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    pub buffer_size: usize,
    pub limits: Limits,
    pub trace: bool,
    pub cells: CellKind,
    pub allocator: AllocatorKind,
}

/// Runs `kind` on `input` as the binary does: a plan of one run, its
/// buffers on a thread's stack.
pub fn run_strategy(
    kind: StrategyKind,
    input: &[u8],
    options: &RunOptions,
    observer: &mut (dyn Observer + Send),
) -> Result<RunOutcome, NoBuffers> {
    let settings = Settings {
        strategies: vec![kind],
        cells: vec![options.cells],
        allocators: vec![options.allocator],
        buffer_size: options.buffer_size,
        limits: options.limits,
        trace: options.trace,
    };
    let plan = Plan::new("input", &settings).expect("a plan of one run");
    run_on_stack(&plan, &plan.runs[0], input, observer)
}

#[derive(Debug, serde::Deserialize)]
pub struct Entry {
    pub file: String,
    pub elves: usize,
    pub part1: u64,
    pub part2: usize,
}

pub fn inputs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs")
}

pub fn manifest() -> Vec<Entry> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        inputs: Vec<Entry>,
    }
    let text = std::fs::read_to_string(inputs_dir().join("manifest.json")).unwrap();
    serde_json::from_str::<Manifest>(&text).unwrap().inputs
}

pub fn read(file: &str) -> Vec<u8> {
    std::fs::read(inputs_dir().join(file)).unwrap()
}

/// Bytes of a hashbrown table reserved for `n` 8-byte points: buckets
/// (a power of two holding n at 7/8 load, at least 4), 8 bytes each, then one
/// control byte per bucket plus one trailing group, [`HASHBROWN_GROUP_WIDTH`]
/// bytes: 16 with SSE2 on x86-64, 8 with NEON on aarch64.
pub fn table_bytes(n: usize) -> usize {
    let buckets = if n < 15 {
        let cap = n.max(3);
        if cap < 4 {
            4
        } else if cap < 8 {
            8
        } else {
            16
        }
    } else {
        (n * 8 / 7).next_power_of_two()
    };
    8 * buckets + buckets + HASHBROWN_GROUP_WIDTH
}

/// The alignment of a hashbrown table: its control group's width where that
/// exceeds the points' own 4 bytes, so 16 on x86-64 and 8 on aarch64.
pub fn table_align() -> usize {
    HASHBROWN_GROUP_WIDTH.max(align_of::<Point2D>())
}

/// The hash set's figures for the larger example (56 input bytes, 22 elves)
/// on this platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExampleBytes {
    /// The input's 56 bytes padded to a table's alignment: 64 on x86-64, 56
    /// on aarch64.
    pub input: usize,
    /// One set of the 22 elves: 304 bytes on x86-64, 296 on aarch64.
    pub set: usize,
}

/// [`ExampleBytes`] on this platform.
pub fn example_bytes() -> ExampleBytes {
    ExampleBytes {
        input: 56_usize.next_multiple_of(table_align()),
        set: table_bytes(22),
    }
}

/// Whether the tests run under an emulator: `DAY23_TEST_EMULATED` is set, as
/// CI's aarch64 step sets it (`cargo test` under qemu-user, a few times slower
/// than native). Tests that would take minutes there run a stated subset and
/// say so on stderr. x86-64 always runs every check: the variable is refused
/// there.
pub fn emulated() -> bool {
    let set = std::env::var_os("DAY23_TEST_EMULATED").is_some();
    assert!(
        !(set && cfg!(target_arch = "x86_64")),
        "DAY23_TEST_EMULATED is for emulated runs: x86-64 runs every check"
    );
    set
}

/// Everything a run reported.
#[derive(Debug)]
pub struct Recorded {
    pub answers: Result<Answers, day23::error::SolveError>,
    pub rounds: Vec<RoundStats>,
    pub elves: Vec<Vec<Point2D>>,
}

/// Every cell kind.
pub const CELLS: [CellKind; 3] = CellKind::ALL;

/// Runs `kind` on `input` with the hash set, keeping every round's figures
/// (and elves when asked).
pub fn record(
    kind: StrategyKind,
    input: &[u8],
    buffer_size: usize,
    max_rounds: Option<usize>,
    keep_elves: bool,
) -> Recorded {
    record_cells(
        kind,
        CellKind::HashSet,
        input,
        buffer_size,
        max_rounds,
        keep_elves,
    )
}

/// [`record`] with the elves stored as `cells`.
pub fn record_cells(
    kind: StrategyKind,
    cells: CellKind,
    input: &[u8],
    buffer_size: usize,
    max_rounds: Option<usize>,
    keep_elves: bool,
) -> Recorded {
    let mut rounds = Vec::new();
    let mut elves = Vec::new();
    let options = RunOptions {
        buffer_size,
        limits: Limits {
            max_rounds,
            input_in_buffer: true,
        },
        trace: false,
        cells,
        allocator: AllocatorKind::Zig,
    };
    let mut observer = |stats: &RoundStats, snapshot: &dyn Snapshot| {
        rounds.push(stats.clone());
        if keep_elves {
            elves.push(snapshot.elves());
        }
    };
    let outcome = run_strategy(kind, input, &options, &mut observer).unwrap();
    Recorded {
        answers: outcome.result,
        rounds,
        elves,
    }
}

/// The binary's path, for tests that spawn it with `std::process`.
pub fn bin() -> &'static Path {
    Path::new(assert_cmd::cargo::cargo_bin!("day23"))
}

/// The binary, run from the crate's root (so `inputs/example.txt` is the
/// input's name in every output), with no `COLUMNS` from the environment.
pub fn day23() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(bin());
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("COLUMNS");
    cmd
}

/// The path of the puzzle's larger example.
pub fn example() -> String {
    inputs_dir().join("example.txt").display().to_string()
}

/// Asserts that the binary rejects the input at `path` as invalid (exit 1,
/// nothing on stdout) with `message` on stderr after the path.
pub fn assert_invalid_input(path: &Path, message: &str) {
    day23()
        .arg("-i")
        .arg(path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains(format!(
            "invalid input '{}'",
            path.display()
        )))
        .stderr(predicates::str::contains(message));
}

/// A fresh directory for one test's files, removed when dropped.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    /// `day23-<test>-<pid>` under the system's temporary directory, empty.
    pub fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("day23-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    /// `name` in the directory.
    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }

    /// Writes `bytes` to `name` in the directory, and returns its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// The names in the directory, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
