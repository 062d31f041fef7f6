//! # Native runs: buffers on a stack
//!
//! As the write-up keeps its buffer on the stack, [`run_strategy`] runs a
//! strategy on a stack that holds its buffers ([`with_stack_buffers`]: the
//! main thread's own where it can grow to hold them, else a thread's); [`stack_bytes`] is what such a run may hold,
//! which [`super::jobs`] weighs against the memory available.

use anyhow::{Context, Result};

use super::{RunOptions, RunOutcome, buffer_sizes, provided_buffers, run_in};
use crate::alloc::{BUFFER_ALIGN, with_stack_buffers};
use crate::engine::Observer;
use crate::strategy::StrategyKind;

/// Runs `kind` on `input` on a stack that holds its buffers.
///
/// # Errors
///
/// The buffers cannot be provided (too large for this machine).
pub fn run_strategy(
    kind: StrategyKind,
    input: &[u8],
    options: &RunOptions,
    observer: &mut (dyn Observer + Send),
) -> Result<RunOutcome> {
    let size = options.buffer_size;
    let buffers = provided_buffers(kind, options);
    let buffers = buffers.as_slice();
    let outcome = with_stack_buffers(buffers, move |bufs| {
        run_in(kind, input, options, observer, bufs)
    })
    .with_context(|| {
        format!(
            "could not provide {} buffer(s) of {size} bytes for --strategy {}",
            buffers.len(),
            kind.name()
        )
    })?;
    Ok(outcome)
}

/// The bytes a run of `kind` may hold for its buffers of `buffer_size` bytes:
/// their total, 64-byte aligned (`usize::MAX` on overflow). A run touches
/// only the pages it uses, so this is an upper bound. The heap strategy's
/// sets, on the global heap, are not counted.
#[must_use]
pub fn stack_bytes(kind: StrategyKind, buffer_size: usize) -> usize {
    buffer_sizes(kind, buffer_size)
        .iter()
        .try_fold(0usize, |acc, &s| {
            acc.checked_add(s.checked_next_multiple_of(BUFFER_ALIGN)?)
        })
        .unwrap_or(usize::MAX)
}
