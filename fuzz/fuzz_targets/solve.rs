//! A whole run: a small arbitrary grid (at most 12x12, written with LF or
//! CRLF, an optional byte order mark, ragged lines), a strategy, a buffer of
//! 0 to 16 KiB at an arbitrary address modulo 64, a round limit of at most
//! 30, the input in the buffer or on the heap.
//!
//! The run must give the naive reference's elves, moves and answers for every
//! round it reports, and either finish or stop with a clean
//! `SolveError::OutOfMemory` whose figures add up: `in_use + padding +
//! requested` exceeds the buffer, and a run of the same strategy with a large
//! buffer reports that round's peak above the size and every earlier one
//! within it (so the smallest finishing size is the largest reported peak).
#![no_main]

use core::mem::MaybeUninit;

use arbitrary::Arbitrary;
use day23::alloc::FixedBufferAllocator;
use day23::engine::{Limits, Snapshot, solve};
use day23::error::SolveError;
use day23::grid::Point2D;
use day23::report::{Answers, RoundStats};
use day23::strategy::{Heap, Leaky, PingPong, Strategy, TempCopy};
use day23_fuzz::{Elves, reference_parse, reference_run};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Case {
    strategy: u8,
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
}

fn run_on<S: Strategy>(strategy: &S, input: &[u8], limits: &Limits) -> Run {
    let mut rounds = Vec::new();
    let mut elves = Vec::new();
    let mut observer = |stats: &RoundStats, snapshot: &dyn Snapshot| {
        rounds.push(stats.clone());
        elves.push(snapshot.elves());
    };
    let result = solve(strategy, input, limits, &mut observer);
    Run {
        result,
        rounds,
        elves,
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

fn run_kind(kind: u8, size: usize, misalign: usize, input: &[u8], limits: &Limits) -> Run {
    STORAGE.with_borrow_mut(|[one, two]| run_in(one, two, kind, size, misalign, input, limits))
}

fn run_in(
    one: &mut [MaybeUninit<u8>],
    two: &mut [MaybeUninit<u8>],
    kind: u8,
    size: usize,
    misalign: usize,
    input: &[u8],
    limits: &Limits,
) -> Run {
    let a = FixedBufferAllocator::new(buffer(one, size, misalign));
    let b = FixedBufferAllocator::new(buffer(two, size, misalign));
    match kind {
        0 => run_on(&Leaky::new(a), input, limits),
        1 => run_on(&TempCopy::new(a, b.with_name("temp")), input, limits),
        2 => run_on(
            &PingPong::new(a.with_name("a"), b.with_name("b")),
            input,
            limits,
        ),
        _ => run_on(&Heap::new(), input, limits),
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
    let kind = case.strategy % 4;
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

    let run = run_kind(kind, size, misalign, &input, &limits);
    if start.is_empty() {
        let expected = reference_parse(&input).err();
        match &run.result {
            Err(SolveError::Parse(e)) if Some(e) == expected.as_ref() => {}
            Err(SolveError::OutOfMemory { error, .. })
                if error.round == 0 && error.what == "the input" && kind != 3 => {}
            other => panic!("no elves: expected {expected:?}, got {other:?}"),
        }
        assert!(run.rounds.is_empty());
        return;
    }
    let reference = reference_run(start, max_rounds);

    // Every reported round: the reference's elves and moves, figures within the buffers.
    assert!(run.rounds.len() <= reference.elves.len());
    for (r, stats) in run.rounds.iter().enumerate() {
        assert_eq!(stats.round, r);
        assert_eq!(
            run.elves[r],
            sorted(&reference.elves[r]),
            "elves after round {r}"
        );
        assert_eq!(stats.elves_moved, reference.moved[r], "moves in round {r}");
        for b in &stats.buffers {
            assert!(
                b.bytes_in_use <= b.peak_bytes || kind == 3,
                "round {r}: {b:?}"
            );
            if kind != 3 {
                assert!(b.peak_bytes <= size, "round {r}: {b:?} exceeds {size}");
            }
        }
        assert_eq!(
            stats.bytes_in_use,
            stats.buffers.iter().map(|b| b.bytes_in_use).sum()
        );
    }

    // Only a failed run needs the large-buffer figures to be checked against.
    let failed = run.result.is_err();
    let oracle = (kind != 3 && failed).then(|| run_kind(kind, BIG, misalign, &input, &limits));
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
            assert_ne!(kind, 3, "the heap does not run out: {error}");
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
            match error.what {
                "the input" => assert!(r == 0 && !case.input_on_heap),
                "the elf set" => {}
                other => panic!("unknown allocation {other}"),
            }
            assert!(error.padding < 64);
            assert!(!error.to_string().is_empty());
        }
        Err(e) => panic!("unexpected error {e:?}"),
    }
});
