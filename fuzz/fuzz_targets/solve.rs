//! A whole run: a small arbitrary grid (at most 12x12, written with LF or
//! CRLF, an optional byte order mark, ragged lines), a cell kind (any of
//! `day23::cells::CellKind`'s variants, read off `CellKind::ALL`,
//! so a new kind is fuzzed without touching this file), a strategy, a buffer
//! of 0 to 16 KiB at an arbitrary address modulo 64, a round limit of at most
//! 30, the input in the buffer or on the heap.
//!
//! The run must give the naive reference's elves, moves and answers for every
//! round it reports, and either finish or stop with a clean
//! `SolveError::OutOfMemory` whose figures add up: `in_use + padding +
//! requested` exceeds the buffer, and a run of the same strategy with a large
//! buffer reports that round's peak above the size and every earlier one
//! within it (so the smallest finishing size is the largest reported peak).
//!
//! Every round's memory figures must also agree with the buffers' block
//! layout (see `check_memory`): `end_index` and live bytes as the blocks add
//! them up, and each strategy's shape (leaky grows every round, pingpong has
//! its one live set in the buffer the round wrote to, tempcopy's set stays
//! put in `main`, reuse's two sets stay put in `main` while they hold hash
//! tables, the heap counts live bytes).
//!
//! Every strategy but heap then runs again on bumpalo arenas capped at the
//! same size (`--allocator bumpalo`): the same elves, and the answers or an
//! out-of-memory error that names a chunk larger than what the cap left.
#![no_main]

use core::mem::MaybeUninit;

use arbitrary::Arbitrary;
use day23::alloc::{BumpArena, FixedBufferAllocator};
use day23::cells::CellKind;
use day23::engine::{Limits, Observer, Snapshot};
use day23::error::SolveError;
use day23::grid::Point2D;
use day23::report::{Answers, BufferLayout, RoundStats};
use day23::strategy::StrategyKind;
use day23_fuzz::{Elves, reference_parse, reference_run};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Case {
    strategy: u8,
    /// An index into `CellKind::ALL`, modulo its length.
    cells: u8,
    buffer_size: u16,
    misalign: u8,
    max_rounds: u8,
    input_on_heap: bool,
    style: u8,
    width: u8,
    rows: Vec<u16>,
}

/// The largest grid side: at most 144 elves, so that a run of 30 rounds and
/// its naive reference take well under a millisecond.
const SIDE: u8 = 12;

/// Large enough for any case: leaky with 144 elves for 30 rounds needs
/// 31 tables of 2320 bytes.
const BIG: usize = 1 << 18;

struct Run {
    result: Result<Answers, SolveError>,
    rounds: Vec<RoundStats>,
    elves: Vec<Vec<Point2D>>,
    layouts: Vec<Vec<BufferLayout>>,
}

/// Runs `solve` watched by an observer that keeps every round.
fn run_on(solve: impl FnOnce(&mut dyn Observer) -> Result<Answers, SolveError>) -> Run {
    let mut rounds = Vec::new();
    let mut elves = Vec::new();
    let mut layouts = Vec::new();
    let mut observer = |stats: &RoundStats, snapshot: &dyn Snapshot| {
        rounds.push(stats.clone());
        elves.push(snapshot.elves());
        layouts.push(snapshot.layouts());
    };
    let result = solve(&mut observer);
    Run {
        result,
        rounds,
        elves,
        layouts,
    }
}

/// `size` bytes of `storage` (at least `size + 64` long) starting at an
/// address that is `misalign` more than a multiple of 64.
fn buffer(storage: &mut [MaybeUninit<u8>], size: usize, misalign: usize) -> &mut [MaybeUninit<u8>] {
    let base = storage.as_ptr().addr();
    let offset = (misalign.wrapping_sub(base)) & 63;
    &mut storage[offset..offset + size]
}

thread_local! {
    /// Two buffers' storage, allocated once rather than on every run.
    static STORAGE: core::cell::RefCell<[Vec<MaybeUninit<u8>>; 2]> =
        core::cell::RefCell::new([vec![MaybeUninit::uninit(); BIG + 64], vec![MaybeUninit::uninit(); BIG + 64]]);
}

/// The strategies, by `Case::strategy % STRATEGIES`.
const LEAKY: u8 = 0;
const TEMPCOPY: u8 = 1;
const PINGPONG: u8 = 2;
const HEAP: u8 = 3;
const REUSE: u8 = 4;
const STRATEGIES: u8 = 5;
/// Each constant's strategy.
const KINDS: [StrategyKind; STRATEGIES as usize] = [
    StrategyKind::Leaky,
    StrategyKind::TempCopy,
    StrategyKind::PingPong,
    StrategyKind::Heap,
    StrategyKind::Reuse,
];

/// A run of strategy `kind` with the elves stored as `cells`.
#[derive(Clone, Copy)]
struct Setup {
    kind: u8,
    cells: CellKind,
    misalign: usize,
}

fn run_kind(setup: Setup, size: usize, input: &[u8], limits: &Limits) -> Run {
    STORAGE.with_borrow_mut(|[one, two]| run_in(one, two, setup, size, input, limits))
}

fn run_in(
    one: &mut [MaybeUninit<u8>],
    two: &mut [MaybeUninit<u8>],
    setup: Setup,
    size: usize,
    input: &[u8],
    limits: &Limits,
) -> Run {
    let mut bufs = [one, two].into_iter().map(|b| buffer(b, size, setup.misalign));
    let fba = |name| FixedBufferAllocator::new(bufs.next().unwrap()).with_name(name);
    let kind = KINDS[usize::from(setup.kind)];
    run_on(|observer| kind.solve(fba, setup.cells, input, limits, observer))
}

/// Every round's memory figures against the blocks they come from and the
/// strategy's shape. `size` is each buffer's capacity.
fn check_memory(run: &Run, kind: u8, cells: CellKind, size: usize) {
    let mut main_set_offset = None;
    let mut reuse_blocks = None;
    for (r, (stats, layouts)) in run.rounds.iter().zip(&run.layouts).enumerate() {
        let sum = |f: fn(&day23::report::BufferRound) -> usize| -> usize {
            stats.buffers.iter().map(f).sum::<usize>()
        };
        assert_eq!(stats.bytes_in_use, sum(|b| b.bytes_in_use), "round {r}");
        assert_eq!(stats.live_bytes, sum(|b| b.live_bytes), "round {r}");
        assert_eq!(stats.peak_bytes, sum(|b| b.peak_bytes), "round {r}");
        if kind == HEAP {
            assert!(layouts.is_empty(), "round {r}: the heap has no layout");
            let [heap] = &stats.buffers[..] else {
                panic!("round {r}: the heap is one buffer: {stats:?}")
            };
            assert_eq!(heap.bytes_in_use, heap.live_bytes, "round {r}: {heap:?}");
            assert!(heap.live_bytes > 0, "round {r}: no live set: {heap:?}");
            assert!(heap.live_bytes <= heap.peak_bytes, "round {r}: {heap:?}");
            continue;
        }
        assert_eq!(layouts.len(), stats.buffers.len(), "round {r}");
        let mut live_blocks = Vec::new();
        for (i, (b, layout)) in stats.buffers.iter().zip(layouts).enumerate() {
            assert_eq!(b.name, layout.name, "round {r}");
            assert_eq!(layout.capacity_bytes, size, "round {r}: {b:?}");
            assert_eq!(layout.end_index, b.bytes_in_use, "round {r}: {b:?}");
            assert!(b.live_bytes <= b.bytes_in_use, "round {r}: {b:?}");
            assert!(b.bytes_in_use <= b.peak_bytes, "round {r}: {b:?}");
            assert!(b.peak_bytes <= size, "round {r}: {b:?} exceeds {size}");
            // The blocks tile the buffer: each starts after the one before
            // and its own padding. A freed last block is dropped from the
            // list but its padding stays (as in Zig), so a gap of less than
            // 64 bytes (the largest alignment) may precede a block or
            // `end_index`.
            let mut end = 0;
            for block in &layout.blocks {
                assert!(block.pad < 64, "round {r}: {block:?}");
                let gap = (block.offset - block.pad).checked_sub(end);
                assert!(gap.is_some_and(|g| g < 64), "round {r}: {layout:?}");
                end = block.offset + block.len;
                if block.live {
                    live_blocks.push((i, block.offset, block.label));
                }
            }
            assert!(end <= layout.end_index, "round {r}: {layout:?}");
            assert!(layout.end_index - end < 64, "round {r}: {layout:?}");
            let live: usize = layout
                .blocks
                .iter()
                .filter(|block| block.live)
                .map(|block| block.len)
                .sum::<usize>();
            assert_eq!(live, b.live_bytes, "round {r}: {layout:?}");
        }
        assert!(
            live_blocks.iter().all(|&(_, _, label)| label == "set"),
            "round {r}: only sets outlive a round: {layouts:?}"
        );
        let in_buffer = |i: usize| live_blocks.iter().filter(|l| l.0 == i).count();
        match kind {
            LEAKY => {
                assert_eq!(in_buffer(0), 1, "round {r}: one live set: {layouts:?}");
                if r > 0 {
                    let before = run.rounds[r - 1].bytes_in_use;
                    assert!(
                        stats.bytes_in_use > before,
                        "round {r}: leaky reclaims nothing: {before} then {stats:?}"
                    );
                }
            }
            TEMPCOPY => {
                assert_eq!(in_buffer(0), 1, "round {r}: one set in main: {layouts:?}");
                let offset = live_blocks.iter().find(|l| l.0 == 0).map(|l| l.1);
                let first = *main_set_offset.get_or_insert(offset);
                assert_eq!(offset, first, "round {r}: main's set moved: {layouts:?}");
            }
            PINGPONG => {
                let home = if r == 0 { 0 } else { r % 2 };
                assert_eq!(
                    (in_buffer(home), live_blocks.len()),
                    (1, 1),
                    "round {r}: one live set, in buffer {home}: {layouts:?}"
                );
            }
            REUSE => {
                assert_eq!(
                    in_buffer(0),
                    2,
                    "round {r}: the set and the spare: {layouts:?}"
                );
                // The hash tables never allocate after round 0: the same
                // blocks, every round.
                if cells != CellKind::BitGrid {
                    let first = reuse_blocks.get_or_insert_with(|| layouts[0].blocks.clone());
                    assert_eq!(&layouts[0].blocks, first, "round {r}: reuse allocated");
                }
            }
            _ => unreachable!("strategy {kind}"),
        }
    }
}

/// The grid as text, in the style `style` asks for.
fn text(width: usize, rows: &[u16], style: u8) -> Vec<u8> {
    let (crlf, bom, ragged, no_final_newline) = (
        style & 1 != 0,
        style & 2 != 0,
        style & 4 != 0,
        style & 8 != 0,
    );
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    for (i, &row) in rows.iter().enumerate() {
        let mut line: Vec<u8> = (0..width)
            .map(|x| if row >> x & 1 == 1 { b'#' } else { b'.' })
            .collect();
        if ragged {
            while line.last() == Some(&b'.') {
                line.pop();
            }
        }
        out.extend_from_slice(&line);
        if i + 1 < rows.len() || !no_final_newline {
            out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
        }
    }
    out
}

fn sorted(elves: &Elves) -> Vec<Point2D> {
    let mut points: Vec<Point2D> = elves.iter().map(|&(x, y)| Point2D::new(x, y)).collect();
    points.sort_unstable_by_key(|p| (p.y, p.x));
    points
}

fn answers(known: (Option<u64>, Option<usize>)) -> Answers {
    Answers {
        part1: known.0,
        part2: known.1,
    }
}

fuzz_target!(|case: Case| {
    let width = usize::from(case.width % SIDE) + 1;
    let rows: Vec<u16> = case
        .rows
        .iter()
        .take(usize::from(SIDE))
        .map(|r| r & ((1u32 << width) - 1) as u16)
        .collect();
    if rows.is_empty() {
        return;
    }
    let kind = case.strategy % STRATEGIES;
    let kinds = CellKind::ALL;
    let cells = kinds[usize::from(case.cells) % kinds.len()];
    let size = usize::from(case.buffer_size) % (16 * 1024 + 1);
    let misalign = usize::from(case.misalign % 64);
    let max_rounds = usize::from(case.max_rounds % 31);
    let limits = Limits {
        max_rounds: Some(max_rounds),
        input_in_buffer: !case.input_on_heap,
    };
    let input = text(width, &rows, case.style);
    let start: Elves = rows
        .iter()
        .enumerate()
        .flat_map(|(y, &row)| {
            (0..width)
                .filter(move |&x| row >> x & 1 == 1)
                .map(move |x| (x as i32, y as i32))
        })
        .collect();

    let setup = Setup {
        kind,
        cells,
        misalign,
    };
    let run = run_kind(setup, size, &input, &limits);
    if start.is_empty() {
        let expected = reference_parse(&input).err();
        match &run.result {
            Err(SolveError::Parse(e)) if Some(e) == expected.as_ref() => {}
            Err(SolveError::OutOfMemory { error, .. })
                if error.round == 0 && error.what == "the input" && kind != HEAP => {}
            other => panic!("no elves: expected {expected:?}, got {other:?}"),
        }
        assert!(run.rounds.is_empty());
        return;
    }
    let reference = reference_run(start, max_rounds);

    // Every reported round: the reference's elves and moves, figures that
    // agree with the buffers' blocks.
    assert!(run.rounds.len() <= reference.elves.len());
    for (r, stats) in run.rounds.iter().enumerate() {
        assert_eq!(stats.round, r);
        assert_eq!(
            run.elves[r],
            sorted(&reference.elves[r]),
            "elves after round {r} ({cells:?})"
        );
        assert_eq!(stats.elves_moved, reference.moved[r], "moves in round {r}");
    }
    check_memory(&run, kind, cells, size);

    // Only a failed run needs the large-buffer figures to be checked against.
    let failed = run.result.is_err();
    let oracle = (kind != HEAP && failed).then(|| run_kind(setup, BIG, &input, &limits));
    if let Some(oracle) = &oracle {
        assert!(
            oracle.result.is_ok(),
            "{BIG} bytes must suffice: {:?}",
            oracle.result
        );
        assert_eq!(oracle.rounds.len(), reference.elves.len());
        // Up to the failure, the figures do not depend on the buffer's size.
        assert_eq!(oracle.rounds[..run.rounds.len()], run.rounds[..]);
    }
    let peak = |r: usize| {
        oracle.as_ref().map_or(0, |o| {
            o.rounds[r]
                .buffers
                .iter()
                .map(|b| b.peak_bytes)
                .max()
                .unwrap_or(0)
        })
    };
    match run.result {
        Ok(got) => {
            assert_eq!(run.rounds.len(), reference.elves.len(), "rounds played");
            assert_eq!(got, answers(*reference.answers.last().unwrap()));
            assert!((0..run.rounds.len()).all(|r| peak(r) <= size));
        }
        Err(SolveError::OutOfMemory { error, reached }) => {
            assert_ne!(kind, HEAP, "the heap does not run out: {error}");
            let r = error.round;
            assert_eq!(
                r,
                run.rounds.len(),
                "the failing round is the one after the last reported"
            );
            assert!(r < reference.elves.len());
            assert_eq!(reached, answers(reference.answers[r.saturating_sub(1)]));
            assert_eq!(error.capacity, size);
            assert!(error.in_use <= size);
            let needed = error
                .in_use
                .saturating_add(error.padding)
                .saturating_add(error.requested);
            assert!(needed > size, "{error}: the request would fit");
            assert!(
                needed <= peak(r),
                "{error}: more than the round's peak {}",
                peak(r)
            );
            assert!(
                peak(r) > size,
                "round {r}'s peak fits, yet it failed: {error}"
            );
            // The input, or the cells (each kind names its own allocation).
            if error.what == "the input" {
                assert!(r == 0 && !case.input_on_heap, "{error}");
            } else {
                assert!(!error.what.is_empty(), "{error:?}");
            }
            // The buffer the round allocates in (tempcopy's copy back: main).
            let buffers: &[&str] = match (kind, r) {
                (LEAKY | REUSE, _) => &["main"],
                (TEMPCOPY, 0) => &["main"],
                (TEMPCOPY, _) => &["temp", "main"],
                (_, 0) => &["a"],
                (_, r) if r % 2 == 1 => &["b"],
                _ => &["a"],
            };
            assert!(buffers.contains(&error.buffer), "{error:?}");
            assert!(error.padding < 64);
            assert!(!error.to_string().is_empty());
        }
        Err(e) => panic!("unexpected error {e:?}"),
    }

    // The same case on bumpalo (`--allocator bumpalo`), capped at `size`:
    // the reference's elves every round, and either its answers or a clean
    // out-of-memory error naming a chunk that does not fit under the cap.
    if kind != HEAP {
        let bump = run_bumpalo(kind, cells, size, &input, &limits);
        for (r, stats) in bump.rounds.iter().enumerate() {
            assert_eq!(
                bump.elves[r],
                sorted(&reference.elves[r]),
                "bumpalo: elves after round {r}"
            );
            assert_eq!(stats.elves_moved, reference.moved[r]);
            assert!(
                stats.bytes_in_use <= size.max(1) * 2,
                "bumpalo: over the caps: {stats:?}"
            );
        }
        match bump.result {
            Ok(got) => {
                assert_eq!(bump.rounds.len(), reference.elves.len());
                assert_eq!(got, answers(*reference.answers.last().unwrap()));
            }
            Err(SolveError::OutOfMemory { error, reached }) => {
                let r = error.round;
                assert_eq!(r, bump.rounds.len());
                assert_eq!(reached, answers(reference.answers[r.saturating_sub(1)]));
                assert!(error.in_use <= size);
                let chunk = error.chunk.expect("bumpalo names the chunk it needed");
                assert!(
                    chunk.smallest > chunk.remaining && chunk.first >= chunk.smallest,
                    "{error}"
                );
            }
            Err(e) => panic!("bumpalo: unexpected error {e:?}"),
        }
    }
});

/// A run of strategy `kind` on bumpalo arenas capped at `size` bytes each.
fn run_bumpalo(kind: u8, cells: CellKind, size: usize, input: &[u8], limits: &Limits) -> Run {
    let bump = |name| BumpArena::new(name, size);
    let kind = KINDS[usize::from(kind)];
    run_on(|observer| kind.solve(bump, cells, input, limits, observer))
}
