//! # Errors of a run
//!
//! Library errors are typed; the binary adds context (paths) with `anyhow`.

use crate::alloc::ChunkRequest;
use crate::answers::Answers;
use crate::grid::ParseError;
use crate::units::count;

/// A buffer ran out of memory: what happened, and nothing more (what to do
/// about it is [`crate::session::advise`]'s, which tries it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "strategy {strategy}: buffer '{buffer}' of {capacity} exhausted in round {round} while allocating {what}: {in_use} in use, {requested} more requested{padding}{chunk}",
    capacity = count(*capacity, "byte"),
    in_use = count(*in_use, "byte"),
    padding = padding_note(*padding),
    chunk = chunk_note(chunk.as_ref())
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
        format!(" after {} of alignment padding", count(padding, "byte"))
    }
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
