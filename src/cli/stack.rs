//! # Native runs: the buffers on a thread's stack
//!
//! As the write-up keeps its buffer on the stack, [`run_on_stack`] runs a
//! plan's run on a thread whose stack holds its buffers
//! ([`with_stack_buffers`]); the page runs the same code over one heap
//! block instead, so the figures are the same wherever the buffers live.

use crate::alloc::stack::with_stack_buffers;
use crate::engine::Observer;
use crate::session::{NoBuffers, Plan, Run, RunOutcome, run_in};

/// Runs `run` of `plan` on `input` on a thread whose stack holds its
/// buffers.
///
/// # Errors
///
/// The buffers cannot be provided (too large for this machine).
pub fn run_on_stack(
    plan: &Plan,
    run: &Run,
    input: &[u8],
    observer: &mut (dyn Observer + Send),
) -> Result<RunOutcome, NoBuffers> {
    with_stack_buffers(&plan.buffers(run), move |bufs| {
        run_in(plan, run, input, observer, bufs)
    })
    .map_err(|e| plan.no_buffers(run, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alloc::with_heap_buffers;
    use crate::engine::Limits;
    use crate::session::{Choice, Settings};

    const EXAMPLE: &[u8] = include_bytes!("../../inputs/example.txt");

    #[test]
    #[cfg_attr(miri, ignore = "spawns a thread with a large stack")]
    fn heap_buffers_give_the_stack_buffers_figures() {
        for buffer_size in [2000, 4 << 20] {
            let settings = Settings {
                strategies: Choice::ALL.to_vec(),
                cells: Choice::ALL.to_vec(),
                allocators: Choice::ALL.to_vec(),
                buffer_size,
                limits: Limits::default(),
                trace: false,
            };
            let plan = Plan::new("example", &settings).unwrap();
            for run in &plan.runs {
                let mut on_heap = Vec::new();
                let mut observer =
                    |s: &_, _: &dyn crate::engine::Snapshot| on_heap.push(Clone::clone(s));
                let heap = with_heap_buffers(&plan.buffers(run), |bufs| {
                    run_in(&plan, run, EXAMPLE, &mut observer, bufs)
                })
                .unwrap();
                let mut on_stack = Vec::new();
                let mut observer =
                    |s: &_, _: &dyn crate::engine::Snapshot| on_stack.push(Clone::clone(s));
                let stack = run_on_stack(&plan, run, EXAMPLE, &mut observer).unwrap();
                let what = format!("{run:?} {buffer_size}");
                assert_eq!(on_heap, on_stack, "{what}");
                assert_eq!(
                    format!("{:?}", heap.result),
                    format!("{:?}", stack.result),
                    "{what}"
                );
                assert!(on_heap.len() > 1, "{what}");
            }
        }
    }
}
