//! # Errors of a run
//!
//! Library errors are typed; the binary adds context (paths) with `anyhow`.

use crate::alloc::ChunkRequest;
use crate::answers::Answers;
use crate::grid::ParseError;

/// A buffer ran out of memory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "strategy {strategy}: buffer '{buffer}' of {capacity} bytes exhausted in round {round} while allocating {what}: {in_use} bytes in use, {requested} more requested{padding}{chunk}{hint}",
    padding = padding_note(*padding),
    chunk = chunk_note(chunk.as_ref()),
    hint = hint(strategy, *capacity, in_use.saturating_add(*padding), *requested, chunk.map_or(*requested, |c| c.smallest))
)]
pub struct OutOfMemory {
    /// The strategy's name.
    pub strategy: &'static str,
    /// The round being played (0: reading and parsing the input).
    pub round: usize,
    /// The buffer's name.
    pub buffer: &'static str,
    /// The buffer's size in bytes.
    pub capacity: usize,
    /// Its `end_index` when the request failed.
    pub in_use: usize,
    /// The bytes requested.
    pub requested: usize,
    /// The alignment padding the block would have needed in front of it, at
    /// `in_use`: the request failed because `in_use + padding + requested`
    /// exceeds `capacity`.
    pub padding: usize,
    /// What was being allocated (`the input`, `the elf set`).
    pub what: &'static str,
    /// `--allocator bumpalo`: the new chunk it needed, which the cap
    /// (`--buffer-size`) refused; `in_use` is then its `allocated_bytes`.
    pub chunk: Option<ChunkRequest>,
}

fn chunk_note(chunk: Option<&ChunkRequest>) -> String {
    chunk.map_or_else(String::new, |c| {
        format!(
            "; bumpalo needed a new chunk of {} bytes (at least {}) from the heap, with {} left under the cap",
            c.first, c.smallest, c.remaining
        )
    })
}

fn padding_note(padding: usize) -> String {
    if padding == 0 {
        String::new()
    } else {
        format!(" after {padding} bytes of alignment padding")
    }
}

/// The hint after the message; `on_top` is what must fit on top of `in_use`:
/// `requested`, or under bumpalo the smallest chunk it would take.
fn hint(strategy: &str, capacity: usize, in_use: usize, requested: usize, on_top: usize) -> String {
    if strategy == "leaky" {
        return format!(
            "; leaky keeps every old set, so each round adds {requested} bytes: try --strategy pingpong, which reclaims them, or a larger --buffer-size"
        );
    }
    let needed = in_use
        .saturating_add(on_top)
        .max(capacity.saturating_add(1));
    format!(
        "; try --buffer-size {} or larger",
        crate::units::suggest_size(needed)
    )
}

/// Why a run stopped before its answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SolveError {
    /// The input is not a valid puzzle input.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// A buffer ran out; `reached` holds the answers found before.
    #[error("{error}")]
    OutOfMemory {
        /// What ran out.
        #[source]
        error: Box<OutOfMemory>,
        /// The answers found before it ran out.
        reached: Answers,
    },
    /// An internal invariant broke: a buffer that should be empty is not.
    #[error(transparent)]
    Reset(#[from] crate::alloc::ResetError),
}

/// Two strategies found different answers: a bug, since they play the same
/// rounds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the strategies disagree on part {part}: {first} found {first_answer}, {other} found {other_answer}; this is a bug in day23, please report it with the input"
)]
pub struct AnswersDisagree {
    /// The part (1 or 2).
    pub part: usize,
    /// The first run (strategy, and cells when several) that found an answer.
    pub first: String,
    /// Its answer.
    pub first_answer: String,
    /// The run that found another.
    pub other: String,
    /// That answer.
    pub other_answer: String,
}
