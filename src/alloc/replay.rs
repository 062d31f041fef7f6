//! # A short list of allocator calls, replayed on the real allocator
//!
//! The page's guided tour lets a reader press "allocate A", "free A", ...
//! and see what Zig's allocator does. So that what the reader sees is the
//! allocator's rule and not a drawing of it, the page sends the whole list
//! of calls here: [`replay`] gives them, in order, to a fresh
//! [`FixedBufferAllocator`] over a heap buffer aligned to
//! [`BUFFER_ALIGN`](super::BUFFER_ALIGN) (as the solver's buffers are), and
//! returns each call's state: the `--trace` lines it wrote (the text of
//! [`TraceEvent`](super::TraceEvent)), `end_index`, the live bytes and the
//! blocks below `end_index`.
//!
//! A call the allocator's API cannot take safely (freeing or resizing a
//! block that is not allocated, an alignment that is not a power of two) is
//! not made: its step says why, and the replay goes on. Blocks are named as
//! the trace names them, by the number of their buffer's alloc event
//! (failed ones count).

use core::ptr::NonNull;

use super::{Allocator, Block, FixedBufferAllocator, Layout, Trace, TraceKind};
use super::{HeapBufferError, with_heap_buffers};

/// The most calls one replay takes: each step carries the blocks, so the
/// answer grows with the square of the calls, and a reader presses buttons.
pub const MAX_CALLS: usize = 10_000;

/// One call on the allocator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(tag = "op", rename_all = "lowercase", deny_unknown_fields)]
pub enum Call {
    /// `allocate` of `size` bytes aligned to `align` (Zig's `alloc`).
    Alloc {
        /// Requested bytes.
        size: usize,
        /// Requested alignment, a power of two.
        align: usize,
    },
    /// `deallocate` of block `id` (Zig's `free`).
    Free {
        /// The block's alloc event number.
        id: u64,
    },
    /// `grow` or `shrink` of block `id` to `size` bytes with its own
    /// alignment (Zig's `realloc`: in place when it can, else alloc, copy
    /// and free).
    Resize {
        /// The block's alloc event number.
        id: u64,
        /// The new length.
        size: usize,
    },
    /// `reset`: `end_index` back to 0; every block is gone.
    Reset,
}

/// The allocator after one call.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    /// The `--trace` lines the call wrote, in order (none when it was not
    /// made).
    pub trace: Vec<String>,
    /// Zig's `end_index` afterwards.
    pub end_index: usize,
    /// Bytes in blocks allocated and not freed.
    pub live_bytes: usize,
    /// The blocks below `end_index`, in address order, live and dead.
    pub blocks: Vec<Block>,
    /// The block the call left allocated: a new one for an alloc, the same
    /// or a moved one for a resize; `None` for a free, a reset, or a call
    /// that failed.
    pub id: Option<u64>,
    /// Why the call was not made, or `out of memory` when the allocator
    /// refused it.
    pub error: Option<String>,
}

/// Why a replay could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// More than [`MAX_CALLS`] calls.
    #[error("{0} calls is more than a replay takes (at most {MAX_CALLS})")]
    TooManyCalls(usize),
    /// The buffer could not be had.
    #[error("a buffer of {size} bytes: {source}")]
    Buffer {
        /// The requested size.
        size: usize,
        /// Why the heap could not give it.
        #[source]
        source: HeapBufferError,
    },
}

/// A block handed out and not yet freed: what `deallocate` needs back.
#[derive(Debug, Clone, Copy)]
struct Live {
    id: u64,
    ptr: NonNull<u8>,
    layout: Layout,
}

/// Replays `calls` on a fresh allocator named `main` over a buffer of
/// `capacity` bytes; one [`Step`] per call.
///
/// # Errors
///
/// [`ReplayError`] when there are too many calls or the buffer cannot be
/// had; a call that cannot be made is reported in its step instead.
///
/// # Examples
///
/// ```
/// use day23::alloc::replay::{Call, replay};
///
/// let steps = replay(64, &[
///     Call::Alloc { size: 10, align: 1 },
///     Call::Alloc { size: 6, align: 1 },
///     Call::Free { id: 0 },
///     Call::Free { id: 1 },
/// ])
/// .unwrap();
/// let ends: Vec<usize> = steps.iter().map(|s| s.end_index).collect();
/// assert_eq!(ends, [10, 16, 16, 10], "freeing 0 gives nothing back: 1 is last");
/// assert_eq!(steps[2].trace, ["main free 0 -> end_index=16"]);
/// ```
pub fn replay(capacity: usize, calls: &[Call]) -> Result<Vec<Step>, ReplayError> {
    if calls.len() > MAX_CALLS {
        return Err(ReplayError::TooManyCalls(calls.len()));
    }
    with_heap_buffers(&[capacity], |mut bufs| {
        let buf = bufs.pop().unwrap_or_default();
        let trace = Trace::new();
        let mut fba = FixedBufferAllocator::new(buf).with_trace(trace.clone());
        let mut live: Vec<Live> = Vec::new();
        let mut next_id = 0u64;
        calls
            .iter()
            .map(|&call| {
                let (id, error) = apply(&mut fba, &mut live, call);
                let events = trace.take();
                let mut new_block = None;
                for event in &events {
                    if let TraceKind::Alloc { offset, .. } = event.kind {
                        if offset.is_some() {
                            new_block = Some(next_id);
                        }
                        next_id += 1;
                    }
                }
                // A block `apply` just placed is named by its alloc event.
                let id = match (id, new_block) {
                    (Some(Placed::New), Some(n)) => {
                        if let Some(last) = live.last_mut() {
                            last.id = n;
                        }
                        Some(n)
                    }
                    (Some(Placed::Kept(id)), _) => Some(id),
                    _ => None,
                };
                let stats = fba.stats();
                Step {
                    trace: events.iter().map(ToString::to_string).collect(),
                    end_index: stats.end_index,
                    live_bytes: stats.live_bytes,
                    blocks: fba.blocks(),
                    id,
                    error,
                }
            })
            .collect()
    })
    .map_err(|source| ReplayError::Buffer {
        size: capacity,
        source,
    })
}

/// Where the block a call left allocated is.
enum Placed {
    /// A block placed by this call (pushed last onto the live list), named
    /// by its alloc event once the trace is read.
    New,
    /// The block `id`, where it was.
    Kept(u64),
}

/// Makes one call, keeping `live` in step with the allocator.
fn apply(
    fba: &mut FixedBufferAllocator<'_>,
    live: &mut Vec<Live>,
    call: Call,
) -> (Option<Placed>, Option<String>) {
    let not_allocated =
        |id| format!("block {id} is not allocated (never allocated, freed, or reset)");
    match call {
        Call::Alloc { size, align } => {
            let Ok(layout) = Layout::from_size_align(size, align) else {
                return (None, Some(bad_layout(size, align)));
            };
            match fba.allocate(layout) {
                Ok(block) => {
                    live.push(Live {
                        id: u64::MAX,
                        ptr: block.cast(),
                        layout,
                    });
                    (Some(Placed::New), None)
                }
                Err(_) => (None, Some("out of memory".to_owned())),
            }
        }
        Call::Free { id } => {
            let Some(i) = live.iter().position(|b| b.id == id) else {
                return (None, Some(not_allocated(id)));
            };
            let block = live.remove(i);
            // SAFETY: `deallocate` requires a block currently allocated by
            // this allocator with the layout it was allocated (or last
            // resized) with: `live` holds exactly the blocks handed out and
            // not yet freed, with those layouts, and the block is removed
            // from it here, so it is never freed twice.
            unsafe { fba.deallocate(block.ptr, block.layout) };
            (None, None)
        }
        Call::Resize { id, size } => {
            let Some(i) = live.iter().position(|b| b.id == id) else {
                return (None, Some(not_allocated(id)));
            };
            let block = live[i];
            let Ok(layout) = Layout::from_size_align(size, block.layout.align()) else {
                return (None, Some(bad_layout(size, block.layout.align())));
            };
            // SAFETY: `grow` and `shrink` require a block currently
            // allocated by this allocator with `block.layout` (as for
            // `deallocate` above), a new layout of the same alignment, and a
            // new size not smaller (grow) or not larger (shrink) than the
            // old one: the branch on the sizes chooses which.
            let result = unsafe {
                if size >= block.layout.size() {
                    fba.grow(block.ptr, block.layout, layout)
                } else {
                    fba.shrink(block.ptr, block.layout, layout)
                }
            };
            match result {
                Ok(moved) if moved.cast::<u8>() == block.ptr => {
                    live[i].layout = layout;
                    (Some(Placed::Kept(id)), None)
                }
                Ok(moved) => {
                    // Zig's realloc: a new block, the old one freed.
                    live.remove(i);
                    live.push(Live {
                        id: u64::MAX,
                        ptr: moved.cast(),
                        layout,
                    });
                    (Some(Placed::New), None)
                }
                // The block stays as it was, allocated.
                Err(_) => (None, Some("out of memory".to_owned())),
            }
        }
        Call::Reset => {
            live.clear();
            fba.reset();
            (None, None)
        }
    }
}

fn bad_layout(size: usize, align: usize) -> String {
    if align.is_power_of_two() {
        format!("{size} bytes aligned to {align} exceed the address space")
    } else {
        format!("alignment {align} is not a power of two")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends(steps: &[Step]) -> Vec<usize> {
        steps.iter().map(|s| s.end_index).collect()
    }

    #[test]
    fn the_tours_buttons_follow_zigs_rule() {
        let steps = replay(
            128,
            &[
                Call::Alloc { size: 40, align: 8 },
                Call::Alloc { size: 56, align: 8 },
                Call::Free { id: 0 },
                Call::Free { id: 1 },
                Call::Reset,
            ],
        )
        .unwrap();
        assert_eq!(ends(&steps), [40, 96, 96, 40, 0]);
        assert_eq!(steps[0].id, Some(0));
        assert_eq!(steps[1].id, Some(1));
        assert_eq!(
            steps[2].blocks.iter().map(|b| b.live).collect::<Vec<_>>(),
            [false, true],
            "A is dead and still there"
        );
        assert_eq!(steps[3].blocks.len(), 1);
        assert_eq!(steps[3].live_bytes, 0);
        assert_eq!(
            steps.iter().map(|s| s.trace.join("; ")).collect::<Vec<_>>(),
            [
                "main alloc 40 8 -> offset=0 end_index=40",
                "main alloc 56 8 -> offset=40 end_index=96",
                "main free 0 -> end_index=96",
                "main free 1 -> end_index=40",
                "main reset -> end_index=0",
            ]
        );
    }

    #[test]
    fn padding_in_front_of_a_freed_last_block_stays() {
        let steps = replay(
            128,
            &[
                Call::Alloc { size: 36, align: 4 },
                Call::Alloc {
                    size: 48,
                    align: 16,
                },
                Call::Free { id: 1 },
                Call::Free { id: 0 },
            ],
        )
        .unwrap();
        assert_eq!(ends(&steps), [36, 96, 48, 48]);
        assert_eq!(steps[1].blocks[1].pad, 12);
    }

    #[test]
    fn a_resize_grows_the_last_block_in_place_and_moves_any_other() {
        let steps = replay(
            256,
            &[
                Call::Alloc { size: 40, align: 8 },
                Call::Alloc { size: 8, align: 8 },
                Call::Resize { id: 1, size: 24 },
                Call::Resize { id: 0, size: 48 },
                Call::Free { id: 2 },
                Call::Resize { id: 1, size: 8 },
            ],
        )
        .unwrap();
        assert_eq!(ends(&steps), [40, 48, 64, 112, 64, 48]);
        assert_eq!(steps[2].id, Some(1));
        assert_eq!(steps[2].trace, ["main resize 1 24 -> ok end_index=64"]);
        assert_eq!(steps[3].id, Some(2), "moved: the new block's alloc event");
        assert_eq!(
            steps[3].trace,
            [
                "main resize 0 48 -> fail end_index=64",
                "main alloc 48 8 -> offset=64 end_index=112",
                "main free 0 -> end_index=112",
            ]
        );
        assert_eq!(steps[4].trace, ["main free 2 -> end_index=64"]);
        assert_eq!(steps[5].id, Some(1), "the last block shrinks in place");
        assert_eq!(steps[5].trace, ["main resize 1 8 -> ok end_index=48"]);
    }

    #[test]
    fn calls_that_cannot_be_made_are_reported_not_made() {
        let steps = replay(
            64,
            &[
                Call::Alloc { size: 8, align: 3 },
                Call::Alloc {
                    size: 100,
                    align: 8,
                },
                Call::Free { id: 7 },
                Call::Alloc { size: 8, align: 8 },
                Call::Free { id: 2 },
                Call::Free { id: 2 },
                Call::Alloc { size: 8, align: 8 },
                Call::Reset,
                Call::Free { id: 3 },
            ],
        )
        .unwrap();
        let errors: Vec<_> = steps.iter().map(|s| s.error.as_deref()).collect();
        assert_eq!(errors[0], Some("alignment 3 is not a power of two"));
        assert_eq!(errors[1], Some("out of memory"));
        assert_eq!(steps[1].trace, ["main alloc 100 8 -> OOM"]);
        assert_eq!(
            errors[2],
            Some("block 7 is not allocated (never allocated, freed, or reset)")
        );
        assert_eq!(steps[2].trace, Vec::<String>::new());
        assert_eq!(steps[3].id, Some(1), "the failed alloc counts as event 1");
        assert!(errors[4].is_some() && errors[5].is_some(), "{errors:?}");
        assert_eq!(steps[6].id, Some(2));
        assert_eq!(
            steps[4].end_index, 8,
            "nothing freed: block 2 did not exist yet"
        );
        assert!(errors[8].unwrap().starts_with("block 3 is not allocated"));
        assert_eq!(ends(&steps), [0, 0, 0, 8, 8, 8, 16, 0, 0]);
    }

    #[test]
    fn too_many_calls_or_too_large_a_buffer_is_an_error() {
        let calls = vec![Call::Reset; MAX_CALLS + 1];
        assert_eq!(
            replay(64, &calls).unwrap_err(),
            ReplayError::TooManyCalls(MAX_CALLS + 1)
        );
        assert!(matches!(
            replay(usize::MAX, &[]).unwrap_err(),
            ReplayError::Buffer { .. }
        ));
    }

    #[test]
    fn calls_read_from_json_as_the_page_sends_them() {
        let calls: Vec<Call> = serde_json::from_str(
            r#"[{"op":"alloc","size":40,"align":8},{"op":"free","id":0},
                {"op":"resize","id":1,"size":3},{"op":"reset"}]"#,
        )
        .unwrap();
        assert_eq!(
            calls,
            [
                Call::Alloc { size: 40, align: 8 },
                Call::Free { id: 0 },
                Call::Resize { id: 1, size: 3 },
                Call::Reset
            ]
        );
        assert!(serde_json::from_str::<Call>(r#"{"op":"free","id":-1}"#).is_err());
        assert!(serde_json::from_str::<Call>(r#"{"op":"free","id":0,"x":1}"#).is_err());
    }
}
