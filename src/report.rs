//! # The data model every output is drawn from
//!
//! Plain `serde` data: what each round did to each buffer, and how the run
//! ended. Units are in the field names. A [`Comparison`] holds one
//! [`RunReport`] per strategy; the table, JSON, CSV and SVG outputs
//! ([`crate::export`]) are all drawn from it, and `docs/guide.md` documents
//! its JSON form.
//!
//! The summary's figures come from the rounds alone:
//!
//! * a buffer's peak is the largest `peak_bytes` over the rounds: the smallest
//!   buffer that would have been enough for them. Round 0's peak includes the
//!   copy of the input (unless it was kept on the heap).
//! * the growth per round is the least-squares slope of `bytes_in_use` over
//!   the round numbers from round 1 on, computed exactly in integers. Round 0
//!   (the input and the first set) is where a run starts, not growth: with it,
//!   tempcopy, whose `temp` is empty in round 0 and holds one set from round 1
//!   on, would show a slope that only shrinks with the number of rounds.
//! * a strategy that ran out of memory gets a predicted buffer size: each
//!   buffer's peak grew by the same number of bytes every round (leaky: one
//!   set plus its padding), so the peak after `R` rounds is round 0's peak plus
//!   `R` times that step, where `R` is the number of rounds the strategies that
//!   did not run out completed.

use serde::Serialize;

use crate::alloc::Block;
pub use crate::answers::Answers;
use crate::error::{AnswersDisagree, OutOfMemory};

/// One buffer after one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BufferRound {
    /// The buffer's name (`main`, `temp`, `a`, `b`, `heap`).
    pub name: &'static str,
    /// Bytes in use: Zig's `end_index` (live bytes for the heap).
    pub bytes_in_use: usize,
    /// Bytes in blocks allocated and not yet freed.
    pub live_bytes: usize,
    /// The most bytes in use at any moment during the round.
    pub peak_bytes: usize,
    /// `--allocator bumpalo`: each chunk's size in bytes (without bumpalo's
    /// footer), oldest first; their sum is `bytes_in_use`. Absent for Zig's
    /// buffers and the heap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chunks: Option<Vec<usize>>,
}

/// One completed round (round 0: right after parsing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundStats {
    /// Completed rounds.
    pub round: usize,
    /// Elves that moved in this round (0 for round 0).
    pub elves_moved: usize,
    /// The sum of `bytes_in_use` over the buffers: the `memuse` the write-up prints.
    pub bytes_in_use: usize,
    /// The sum of `live_bytes` over the buffers.
    pub live_bytes: usize,
    /// The sum over the buffers of each one's peak during the round.
    pub peak_bytes: usize,
    /// Per buffer, in the strategy's order.
    pub buffers: Vec<BufferRound>,
}

/// One buffer's blocks at one moment, for the layout pictures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BufferLayout {
    /// The buffer's name.
    pub name: &'static str,
    /// Its size in bytes.
    pub capacity_bytes: usize,
    /// Zig's `end_index`.
    pub end_index: usize,
    /// The blocks below `end_index`, in address order.
    pub blocks: Vec<Block>,
    /// `--allocator bumpalo`: which of the buffer's chunks this is (0: the
    /// oldest); `capacity_bytes` is then the chunk's size, `end_index` the
    /// bytes bumped in it, and offsets count from the chunk's end, where
    /// bumpalo starts. Absent for Zig's buffers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chunk: Option<usize>,
}

/// How one strategy's run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Both answers were found; `rounds` rounds were played.
    Finished {
        /// Rounds played.
        rounds: usize,
    },
    /// Stopped by `--max-rounds` after `rounds` rounds, before both answers.
    Stopped {
        /// Rounds played.
        rounds: usize,
    },
    /// A buffer ran out of memory while playing round `round`.
    OutOfMemory {
        /// The round being played (0: copying and parsing the input); rounds
        /// before it completed.
        round: usize,
        /// The buffer that ran out.
        buffer: &'static str,
        /// Its size in bytes.
        capacity_bytes: usize,
        /// Its `end_index` when the request failed.
        bytes_in_use: usize,
        /// The bytes requested.
        requested_bytes: usize,
        /// What was being allocated (`the input`, `the elf set`).
        allocating: &'static str,
    },
}

impl From<&OutOfMemory> for Outcome {
    fn from(e: &OutOfMemory) -> Self {
        Self::OutOfMemory {
            round: e.round,
            buffer: e.buffer,
            capacity_bytes: e.capacity,
            bytes_in_use: e.in_use,
            requested_bytes: e.requested,
            allocating: e.what,
        }
    }
}

impl Outcome {
    /// The outcome of a run that did not run out of memory.
    #[must_use]
    pub fn completed(answers: &Answers, rounds: &[RoundStats]) -> Self {
        let played = rounds.last().map_or(0, |r| r.round);
        if answers.part1.is_some() && answers.part2.is_some() {
            Self::Finished { rounds: played }
        } else {
            Self::Stopped { rounds: played }
        }
    }

    /// Whether a buffer ran out.
    #[must_use]
    pub fn is_out_of_memory(&self) -> bool {
        matches!(self, Self::OutOfMemory { .. })
    }
}

/// One buffer over a whole run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BufferSummary {
    /// The buffer's name (`main`, `temp`, `a`, `b`, `heap`).
    pub name: &'static str,
    /// The most bytes in use at any moment of the completed rounds: the
    /// smallest size of this buffer that would have been enough for them.
    pub peak_bytes: usize,
    /// Bytes in use (`end_index`; live bytes for the heap) after the last
    /// completed round.
    pub end_bytes_in_use: usize,
    /// Live bytes after the last completed round.
    pub end_live_bytes: usize,
}

/// A run's figures in a few numbers, from its rounds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Per buffer, in the strategy's order (empty when not even round 0
    /// completed).
    pub buffers: Vec<BufferSummary>,
    /// The sum of the buffers' `peak_bytes`: the memory the run needed in total.
    pub peak_bytes: usize,
    /// The sum of the buffers' `end_bytes_in_use`.
    pub end_bytes_in_use: usize,
    /// The sum of the buffers' `end_live_bytes`.
    pub end_live_bytes: usize,
    /// The least-squares slope of `bytes_in_use` over the rounds, in bytes per
    /// round; `null` with fewer than two rounds.
    pub growth_bytes_per_round: Option<f64>,
    /// The smallest `--buffer-size` with which the run completes
    /// `needed_for_rounds` rounds: the largest buffer peak for a run that did
    /// not run out, a prediction for one that did (see the module docs);
    /// `null` for the heap, or when it cannot be predicted.
    pub needed_buffer_size_bytes: Option<usize>,
    /// The rounds `needed_buffer_size_bytes` is for: the run's own, or for a
    /// run that ran out the most rounds the other strategies completed.
    pub needed_for_rounds: Option<usize>,
}

impl Summary {
    /// The figures of `rounds`, for a strategy with fixed buffers
    /// (`buffered`) or the heap. No prediction yet: [`Comparison::new`] makes
    /// it, as it needs the other strategies' rounds.
    #[must_use]
    pub fn of(rounds: &[RoundStats], buffered: bool) -> Self {
        let mut buffers: Vec<BufferSummary> = Vec::new();
        if let Some(last) = rounds.last() {
            buffers = last
                .buffers
                .iter()
                .map(|b| BufferSummary {
                    name: b.name,
                    peak_bytes: 0,
                    end_bytes_in_use: b.bytes_in_use,
                    end_live_bytes: b.live_bytes,
                })
                .collect();
            for round in rounds {
                for (summary, b) in buffers.iter_mut().zip(&round.buffers) {
                    summary.peak_bytes = summary.peak_bytes.max(b.peak_bytes);
                }
            }
        }
        let completed = rounds.last().map(|r| r.round);
        Self {
            peak_bytes: buffers.iter().map(|b| b.peak_bytes).sum(),
            end_bytes_in_use: buffers.iter().map(|b| b.end_bytes_in_use).sum(),
            end_live_bytes: buffers.iter().map(|b| b.end_live_bytes).sum(),
            growth_bytes_per_round: least_squares_slope(
                rounds
                    .iter()
                    .filter(|r| r.round > 0)
                    .map(|r| (r.round, r.bytes_in_use)),
            ),
            needed_buffer_size_bytes: if buffered {
                buffers.iter().map(|b| b.peak_bytes).max()
            } else {
                None
            },
            needed_for_rounds: if buffered { completed } else { None },
            buffers,
        }
    }
}

/// The least-squares slope of `y` over `x`, exact up to the final division
/// (an exact integer slope comes out exact); `None` with fewer than two
/// distinct `x`.
#[must_use]
pub fn least_squares_slope(points: impl Iterator<Item = (usize, usize)>) -> Option<f64> {
    let (mut n, mut sx, mut sy, mut sxx, mut sxy) = (0i128, 0i128, 0i128, 0i128, 0i128);
    for (x, y) in points {
        let (x, y) = (x as i128, y as i128);
        n += 1;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    let numerator = n * sxy - sx * sy;
    let denominator = n * sxx - sx * sx;
    if denominator == 0 {
        None
    } else if numerator % denominator == 0 {
        Some((numerator / denominator) as f64)
    } else {
        Some(numerator as f64 / denominator as f64)
    }
}

/// The smallest buffer size with which a run whose completed rounds are
/// `rounds` completes `target` rounds, when every buffer's peak grows by the
/// same number of bytes each round (checked); `None` otherwise, or with fewer
/// than two rounds to measure the step.
#[must_use]
pub fn predict_buffer_size(rounds: &[RoundStats], target: usize) -> Option<usize> {
    let first = rounds.first()?;
    if rounds.len() < 2 {
        return None;
    }
    let mut needed = 0;
    for i in 0..first.buffers.len() {
        let peak = |r: &RoundStats| r.buffers.get(i).map(|b| b.peak_bytes);
        let p0 = peak(first)?;
        let step = peak(&rounds[1])?.checked_sub(p0)?;
        for pair in rounds.windows(2) {
            if peak(&pair[1])? != peak(&pair[0])?.checked_add(step)? {
                return None;
            }
        }
        let rounds_after_0 = target.checked_sub(first.round)?;
        needed = needed.max(p0.checked_add(step.checked_mul(rounds_after_0)?)?);
    }
    Some(needed)
}

/// One strategy's run: how it ended, its answers, its summary and every round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunReport {
    /// The strategy's name (`leaky`, `tempcopy`, `pingpong`, `heap`).
    pub strategy: &'static str,
    /// How the elves were stored (`hashset`, `bitgrid`).
    pub cells: &'static str,
    /// The run's name in tables, plots and progress: the strategy, then
    /// `/` and the cells when the comparison has several kinds of cells.
    #[serde(skip)]
    pub name: String,
    /// The size of each of its buffers in bytes; `null` for the heap.
    pub buffer_size_bytes: Option<usize>,
    /// The number of elves.
    pub elves: usize,
    /// How the run ended.
    pub outcome: Outcome,
    /// The answers found (those found before a buffer ran out, if one did).
    pub answers: Answers,
    /// The run in a few numbers.
    pub summary: Summary,
    /// Every completed round, round 0 first.
    pub rounds: Vec<RoundStats>,
}

impl RunReport {
    /// A report with its summary computed from `rounds`.
    #[must_use]
    pub fn new(
        strategy: &'static str,
        cells: &'static str,
        buffer_size_bytes: Option<usize>,
        elves: usize,
        outcome: Outcome,
        answers: Answers,
        rounds: Vec<RoundStats>,
    ) -> Self {
        Self {
            strategy,
            cells,
            name: strategy.to_owned(),
            buffer_size_bytes,
            elves,
            outcome,
            answers,
            summary: Summary::of(&rounds, buffer_size_bytes.is_some()),
            rounds,
        }
    }

    /// The rounds completed (`None` when not even round 0 did).
    #[must_use]
    pub fn rounds_completed(&self) -> Option<usize> {
        self.rounds.last().map(|r| r.round)
    }
}

/// Several strategies on the same input with buffers of the same size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The input's name as given (`<stdin>` for standard input).
    pub input: String,
    /// The number of elves.
    pub elves: usize,
    /// The size of each buffer in bytes (`--buffer-size`).
    pub buffer_size_bytes: usize,
    /// One report per strategy, in the order they ran.
    pub strategies: Vec<RunReport>,
}

impl Comparison {
    /// The comparison of `strategies`, with a predicted buffer size for each
    /// one that ran out (see the module docs).
    #[must_use]
    pub fn new(
        input: String,
        elves: usize,
        buffer_size_bytes: usize,
        mut strategies: Vec<RunReport>,
    ) -> Self {
        let target = strategies
            .iter()
            .filter(|r| !r.outcome.is_out_of_memory())
            .filter_map(RunReport::rounds_completed)
            .max();
        let mixed = strategies.iter().any(|r| r.cells != strategies[0].cells);
        for run in &mut strategies {
            if mixed {
                run.name = format!("{}/{}", run.strategy, run.cells);
            }
            if run.outcome.is_out_of_memory() && run.buffer_size_bytes.is_some() {
                run.summary.needed_buffer_size_bytes =
                    target.and_then(|t| predict_buffer_size(&run.rounds, t));
                run.summary.needed_for_rounds =
                    target.filter(|_| run.summary.needed_buffer_size_bytes.is_some());
            }
        }
        Self {
            input,
            elves,
            buffer_size_bytes,
            strategies,
        }
    }

    /// The answers every strategy agrees on (a strategy that stopped early
    /// agrees on what it found).
    ///
    /// # Errors
    ///
    /// [`AnswersDisagree`] when two strategies found different answers.
    pub fn agreed_answers(&self) -> Result<Answers, AnswersDisagree> {
        Ok(Answers {
            part1: self.agreed(1, |a| a.part1)?,
            part2: self.agreed(2, |a| a.part2)?,
        })
    }

    fn agreed<T>(
        &self,
        part: usize,
        get: impl Fn(&Answers) -> Option<T>,
    ) -> Result<Option<T>, AnswersDisagree>
    where
        T: Copy + PartialEq + ToString,
    {
        let mut agreed: Option<(&str, T)> = None;
        for run in &self.strategies {
            let Some(found) = get(&run.answers) else {
                continue;
            };
            match agreed {
                None => agreed = Some((&run.name, found)),
                Some((first, answer)) if answer != found => {
                    return Err(AnswersDisagree {
                        part,
                        first: first.to_owned(),
                        first_answer: answer.to_string(),
                        other: run.name.clone(),
                        other_answer: found.to_string(),
                    });
                }
                Some(_) => {}
            }
        }
        Ok(agreed.map(|(_, answer)| answer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rounds with one buffer whose in-use and peak figures are `peaks`.
    fn rounds(peaks: &[usize]) -> Vec<RoundStats> {
        peaks
            .iter()
            .enumerate()
            .map(|(round, &p)| RoundStats {
                round,
                elves_moved: 1,
                bytes_in_use: p,
                live_bytes: 304,
                peak_bytes: p,
                buffers: vec![BufferRound {
                    name: "main",
                    bytes_in_use: p,
                    live_bytes: 304,
                    peak_bytes: p,
                    chunks: None,
                }],
            })
            .collect()
    }

    fn run(
        strategy: &'static str,
        peaks: &[usize],
        outcome: Outcome,
        answers: Answers,
    ) -> RunReport {
        RunReport::new(
            strategy,
            "hashset",
            Some(4000),
            22,
            outcome,
            answers,
            rounds(peaks),
        )
    }

    #[test]
    fn least_squares_slope_is_exact_for_a_line_and_none_below_two_points() {
        let line = (0..1000).map(|r| (r, 368 + 304 * r));
        assert_eq!(least_squares_slope(line), Some(304.0));
        assert_eq!(
            least_squares_slope([(0, 5), (1, 5), (2, 5)].into_iter()),
            Some(0.0)
        );
        assert_eq!(
            least_squares_slope([(0, 0), (1, 1), (2, 3)].into_iter()),
            Some(1.5)
        );
        assert_eq!(least_squares_slope([(3, 7)].into_iter()), None);
        assert_eq!(least_squares_slope(std::iter::empty()), None);
    }

    #[test]
    fn prediction_extends_a_constant_step_and_refuses_anything_else() {
        assert_eq!(
            predict_buffer_size(&rounds(&[368, 672, 976]), 20),
            Some(6448)
        );
        assert_eq!(predict_buffer_size(&rounds(&[368, 368]), 20), Some(368));
        assert_eq!(predict_buffer_size(&rounds(&[368, 672, 977]), 20), None);
        assert_eq!(predict_buffer_size(&rounds(&[368, 300]), 20), None);
        assert_eq!(predict_buffer_size(&rounds(&[368]), 20), None);
        assert_eq!(predict_buffer_size(&[], 20), None);
        assert_eq!(predict_buffer_size(&rounds(&[0, usize::MAX / 2]), 3), None);
    }

    #[test]
    fn summary_takes_peaks_ends_and_growth_from_the_rounds() {
        let s = Summary::of(&rounds(&[368, 672, 976]), true);
        assert_eq!(s.peak_bytes, 976);
        assert_eq!(s.end_bytes_in_use, 976);
        assert_eq!(s.end_live_bytes, 304);
        assert_eq!(s.growth_bytes_per_round, Some(304.0));
        assert_eq!(s.needed_buffer_size_bytes, Some(976));
        assert_eq!(s.needed_for_rounds, Some(2));
        let heap = Summary::of(&rounds(&[304, 304]), false);
        assert_eq!(
            (heap.needed_buffer_size_bytes, heap.needed_for_rounds),
            (None, None)
        );
        let none = Summary::of(&[], true);
        assert!(none.buffers.is_empty());
        assert_eq!((none.peak_bytes, none.growth_bytes_per_round), (0, None));
    }

    #[test]
    fn comparison_predicts_for_the_rounds_the_others_played() {
        let oom = Outcome::OutOfMemory {
            round: 3,
            buffer: "main",
            capacity_bytes: 1000,
            bytes_in_use: 976,
            requested_bytes: 304,
            allocating: "the elf set",
        };
        let both = Answers {
            part1: Some(110),
            part2: Some(20),
        };
        let c = Comparison::new(
            "example.txt".to_owned(),
            22,
            1000,
            vec![
                run("leaky", &[368, 672, 976], oom, Answers::default()),
                run(
                    "pingpong",
                    &[368; 21],
                    Outcome::Finished { rounds: 20 },
                    both,
                ),
            ],
        );
        let leaky = &c.strategies[0].summary;
        assert_eq!(leaky.needed_buffer_size_bytes, Some(6448));
        assert_eq!(leaky.needed_for_rounds, Some(20));
        assert_eq!(c.strategies[1].summary.needed_buffer_size_bytes, Some(368));
        assert_eq!(c.agreed_answers(), Ok(both));
    }

    #[test]
    fn answers_that_differ_are_a_disagreement_naming_both_strategies() {
        let finished = Outcome::Finished { rounds: 20 };
        let a = Answers {
            part1: Some(110),
            part2: Some(20),
        };
        let b = Answers {
            part1: Some(110),
            part2: Some(21),
        };
        let early = Answers {
            part1: Some(110),
            part2: None,
        };
        let c = Comparison::new(
            "x".to_owned(),
            22,
            1000,
            vec![
                run("leaky", &[1], finished.clone(), early),
                run("pingpong", &[1], finished.clone(), a),
                run("heap", &[1], finished, b),
            ],
        );
        let e = c.agreed_answers().unwrap_err();
        assert_eq!(
            (e.part, e.first.as_str(), e.other.as_str()),
            (2, "pingpong", "heap")
        );
        assert_eq!(
            e.to_string(),
            "the strategies disagree on part 2: pingpong found 20, heap found 21; this is a bug in day23, please report it with the input"
        );
    }
}
