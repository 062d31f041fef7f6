//! # Buffers in one heap block
//!
//! Where a thread's stack cannot hold the buffers (WebAssembly in a browser
//! has no threads to give one), [`with_heap_buffers`] cuts them from one
//! block of the global heap, aligned to [`BUFFER_ALIGN`] like the stack
//! buffers: each buffer starts at a multiple of it and has exactly the
//! requested size, so alignment padding, and with it every figure, is the
//! same as natively. The block is reserved with `try_reserve_exact`, so a
//! size the heap cannot give is an error, never an abort. Its bytes are
//! never written before the allocator hands them out.

use core::mem::MaybeUninit;

use super::BUFFER_ALIGN;

/// One aligned unit of the block.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Chunk([MaybeUninit<u8>; BUFFER_ALIGN]);

/// Why the buffers could not be provided.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeapBufferError {
    /// The total does not fit in `usize`.
    #[error(
        "buffers of more than {max} bytes in total do not fit in this target's memory ({bits}-bit addresses: at most {max} bytes)",
        max = usize::MAX,
        bits = usize::BITS
    )]
    TooLarge,
    /// The heap could not give that much.
    #[error(
        "the heap could not provide buffers of {requested} bytes in total{}",
        memory_limit_note()
    )]
    Refused {
        /// The requested total, each buffer rounded up to [`BUFFER_ALIGN`].
        requested: usize,
    },
}

/// Where the heap's limit lies: on WebAssembly, the page's memory, which
/// WebAssembly caps at 65,536 pages of 64 KiB and a browser may cap sooner.
fn memory_limit_note() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let now = core::arch::wasm32::memory_size(0) as u64 * 65_536;
        format!(
            ": this page's WebAssembly memory has {now} bytes and could not grow by that much \
             (WebAssembly allows at most 4294967296 bytes, and a browser may stop sooner)"
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    String::new()
}

/// Runs `f` with one heap buffer per entry of `sizes`, each exactly that
/// many bytes long and [`BUFFER_ALIGN`]-aligned.
///
/// # Errors
///
/// [`HeapBufferError`] when the total overflows `usize` or the heap refuses.
pub fn with_heap_buffers<R>(
    sizes: &[usize],
    f: impl FnOnce(Vec<&mut [MaybeUninit<u8>]>) -> R,
) -> Result<R, HeapBufferError> {
    let total = sizes
        .iter()
        .try_fold(0usize, |acc, &s| {
            acc.checked_add(s.checked_next_multiple_of(BUFFER_ALIGN)?)
        })
        .ok_or(HeapBufferError::TooLarge)?;
    let mut block: Vec<Chunk> = Vec::new();
    block
        .try_reserve_exact(total / BUFFER_ALIGN)
        .map_err(|_| HeapBufferError::Refused { requested: total })?;
    block.resize(
        total / BUFFER_ALIGN,
        Chunk([MaybeUninit::uninit(); BUFFER_ALIGN]),
    );
    let bytes: &mut [MaybeUninit<u8>] = {
        let len = block.len() * BUFFER_ALIGN;
        let ptr = block.as_mut_ptr().cast::<MaybeUninit<u8>>();
        // SAFETY: `ptr` points to `block.len()` initialized `Chunk`s, which
        // are `BUFFER_ALIGN` bytes each with no padding (`repr(C)` over a
        // byte array of exactly the alignment), so to `len` contiguous
        // `MaybeUninit<u8>`s (alignment 1, any state valid). The slice
        // borrows `block` mutably for its lifetime, so nothing else reads
        // or writes those bytes meanwhile, and `block` outlives it.
        unsafe { core::slice::from_raw_parts_mut(ptr, len) }
    };
    let mut buffers = Vec::with_capacity(sizes.len());
    let mut rest = bytes;
    for &size in sizes {
        let (head, tail) = rest.split_at_mut(size.next_multiple_of(BUFFER_ALIGN));
        buffers.push(&mut head[..size]);
        rest = tail;
    }
    Ok(f(buffers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heap_buffers_have_exact_sizes_and_aligned_bases() {
        let seen = with_heap_buffers(&[100, 0, 4 << 20, 64], |bufs| {
            bufs.iter()
                .map(|b| (b.len(), b.as_ptr().addr() % BUFFER_ALIGN))
                .collect::<Vec<_>>()
        })
        .unwrap();
        assert_eq!(seen, [(100, 0), (0, 0), (4 << 20, 0), (64, 0)]);
    }

    #[test]
    fn an_overflowing_total_is_an_error_naming_the_limit() {
        let error = with_heap_buffers(&[usize::MAX - 10, 100], |_| ()).unwrap_err();
        assert_eq!(error, HeapBufferError::TooLarge);
        assert!(error.to_string().contains(&usize::MAX.to_string()));
    }

    #[test]
    #[cfg_attr(miri, ignore = "asks the heap for too much on purpose")]
    fn a_size_the_heap_refuses_is_an_error() {
        let huge = usize::MAX / 2 - 1024;
        let error = with_heap_buffers(&[huge], |_| ()).unwrap_err();
        assert!(
            matches!(error, HeapBufferError::Refused { .. }),
            "{error:?}"
        );
    }
}
