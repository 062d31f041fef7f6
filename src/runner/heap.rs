//! # Runs whose buffers are on the heap
//!
//! Where no thread's stack can hold the buffers (the page's WebAssembly
//! memory), [`run_on_heap`] cuts them from one aligned heap block
//! ([`with_heap_buffers`]) and runs the strategy on this thread, over the
//! same code as a native run ([`super::run_in`]): the figures are the CLI's.

use super::{RunOptions, RunOutcome, provided_buffers, run_in};
use crate::alloc::{HeapBufferError, with_heap_buffers};
use crate::engine::Observer;
use crate::strategy::StrategyKind;

/// The buffers could not be provided.
#[derive(Debug, thiserror::Error)]
#[error("could not provide {count} buffer(s) of {size} bytes for --strategy {strategy}")]
pub struct NoBuffers {
    /// How many buffers.
    pub count: usize,
    /// Bytes per buffer.
    pub size: usize,
    /// The strategy's name.
    pub strategy: &'static str,
    /// Why.
    #[source]
    pub source: HeapBufferError,
}

/// Runs `kind` on `input` on this thread, its buffers on the heap.
///
/// # Errors
///
/// The buffers cannot be provided.
pub fn run_on_heap(
    kind: StrategyKind,
    input: &[u8],
    options: &RunOptions,
    observer: &mut dyn Observer,
) -> Result<RunOutcome, NoBuffers> {
    let size = options.buffer_size;
    let buffers = provided_buffers(kind, options);
    with_heap_buffers(&buffers, |bufs| {
        run_in(kind, input, options, observer, bufs)
    })
    .map_err(|source| NoBuffers {
        count: buffers.len(),
        size,
        strategy: kind.name(),
        source,
    })
}

#[cfg(all(test, feature = "cli"))]
mod tests {
    use super::*;
    use crate::cells::CellKind;
    use crate::engine::{Limits, Snapshot};
    use crate::report::RoundStats;

    const EXAMPLE: &[u8] = include_bytes!("../../inputs/example.txt");

    #[test]
    #[cfg_attr(miri, ignore = "spawns a thread with a large stack")]
    fn heap_buffers_give_the_stack_buffers_figures() {
        for cells in CellKind::ALL {
            for kind in StrategyKind::ALL {
                for buffer_size in [2000, 4 << 20] {
                    let options = RunOptions {
                        buffer_size,
                        limits: Limits::default(),
                        trace: false,
                        cells,
                        allocator: crate::alloc::AllocatorKind::Zig,
                    };
                    let mut on_heap = Vec::new();
                    let mut observer = |s: &RoundStats, _: &dyn Snapshot| on_heap.push(s.clone());
                    let heap = run_on_heap(kind, EXAMPLE, &options, &mut observer).unwrap();
                    let mut on_stack = Vec::new();
                    let mut observer = |s: &RoundStats, _: &dyn Snapshot| on_stack.push(s.clone());
                    let stack =
                        super::super::run_strategy(kind, EXAMPLE, &options, &mut observer).unwrap();
                    assert_eq!(on_heap, on_stack, "{kind:?} {cells:?} {buffer_size}");
                    assert_eq!(format!("{:?}", heap.result), format!("{:?}", stack.result));
                    assert!(on_heap.len() > 1, "{kind:?} {cells:?} {buffer_size}");
                }
            }
        }
    }
}
