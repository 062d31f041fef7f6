//! # Buffers on a stack
//!
//! The write-up keeps its buffer on the stack (`var buffer: [N]u8 = undefined;`).
//! Rust has no `alloca`, so [`with_stack_buffers`] runs the caller on a thread
//! of its own whose stack is big enough for the buffers, in one of two places:
//!
//! * **The bottom of the thread's stack** (Linux, glibc or musl; `bottom.rs`):
//!   the thread is started with a stack of the buffers
//!   plus `STACK_MARGIN` (8 MiB); the
//!   buffers are the lowest bytes of it (asked of `pthread_getattr_np`), and
//!   one page just above them is made inaccessible (`mprotect`), so the
//!   thread's frames, which grow down from the top, can never reach them. No
//!   frame covers the buffers, so nothing touches their pages before the
//!   allocator hands the bytes out: **a run faults in the pages it uses, not
//!   the size it asked for** (the default two 4 MiB buffers of a 70x70 bit
//!   grid run fault in a few dozen pages, not 2,048). The guard page is made
//!   readable again before the thread ends, because the C library keeps
//!   thread stacks for reuse.
//! * **An array frame**, everywhere else (and when the stack's bounds cannot
//!   be had): one array local of the smallest *size class* that holds every
//!   buffer. The classes are 2^k and 1.5 * 2^k bytes from 4 KiB to 32 GiB;
//!   each is a separate instance of a generic function, so the array really
//!   is a local variable of a stack frame. Rust's stack probes touch every
//!   page of a large frame when it is entered, so the resident memory is the
//!   class size: at most 1.5x the requested bytes (rounded up to 4 KiB).
//!
//! In every place each buffer starts at a multiple of [`BUFFER_ALIGN`] and the
//! allocator sees exactly the requested size.

use core::mem::MaybeUninit;
use std::io;

use super::BUFFER_ALIGN;

/// Stack the thread gets beyond the frame, for the solver's own calls.
const STACK_MARGIN: usize = 8 << 20;

/// Declares the frame sizes, ascending (2^k and 1.5 * 2^k bytes), once:
/// as [`CLASSES`] and as [`in_class`], which runs a closure in a frame of
/// one of them (each size its own instance of [`in_frame`], so the array
/// really is a local of a stack frame).
macro_rules! classes {
    ($($(#[$attr:meta])* $n:literal),* $(,)?) => {
        const CLASSES: &[usize] = &[$($(#[$attr])* $n),*];

        /// Runs `f` in the frame of size `class` (one of [`CLASSES`]).
        fn in_class(class: usize, len: usize, f: &mut dyn FnMut(&mut [MaybeUninit<u8>])) {
            match class {
                $($(#[$attr])* $n => in_frame::<$n>(len, f),)*
                _ => {}
            }
        }
    };
}

classes![
    4096,
    6144,
    8192,
    12288,
    16384,
    24576,
    32768,
    49152,
    65536,
    98304,
    131072,
    196608,
    262144,
    393216,
    524288,
    786432,
    1048576,
    1572864,
    2097152,
    3145728,
    4194304,
    6291456,
    8388608,
    12582912,
    16777216,
    25165824,
    33554432,
    50331648,
    67108864,
    100663296,
    134217728,
    201326592,
    268435456,
    402653184,
    536870912,
    805306368,
    1073741824,
    1610612736,
    2147483648,
    3221225472,
    #[cfg(target_pointer_width = "64")]
    4294967296,
    #[cfg(target_pointer_width = "64")]
    6442450944,
    #[cfg(target_pointer_width = "64")]
    8589934592,
    #[cfg(target_pointer_width = "64")]
    12884901888,
    #[cfg(target_pointer_width = "64")]
    17179869184,
    #[cfg(target_pointer_width = "64")]
    25769803776,
    #[cfg(target_pointer_width = "64")]
    34359738368,
];

/// The largest total buffer size a stack frame can hold.
pub const MAX_STACK_BYTES: usize = CLASSES[CLASSES.len() - 1];

/// Why the buffers could not be provided.
#[derive(Debug, thiserror::Error)]
pub enum StackError {
    /// More than [`MAX_STACK_BYTES`] in total.
    #[error(
        "buffers of {requested} bytes in total exceed the largest stack buffer this tool provides ({MAX_STACK_BYTES} bytes)"
    )]
    TooLarge {
        /// The requested total, each buffer rounded up to [`BUFFER_ALIGN`].
        requested: u128,
    },
    /// More than the machine has available.
    #[error(
        "buffers of {requested} bytes in total (a stack frame of {frame} bytes) exceed the memory available on this machine ({available} bytes)"
    )]
    NotEnoughMemory {
        /// The requested total.
        requested: usize,
        /// The frame that would hold them.
        frame: usize,
        /// `MemAvailable` from `/proc/meminfo`.
        available: usize,
    },
    /// The operating system refused a thread with that stack.
    #[error("could not start a thread with a stack of {stack} bytes")]
    Spawn {
        /// The stack size asked for.
        stack: usize,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
}

/// The stack frame size that holds buffers of `total` bytes, if any.
#[must_use]
pub fn stack_class_bytes(total: usize) -> Option<usize> {
    CLASSES.iter().copied().find(|&c| c >= total)
}

/// The most bytes of buffers in total this machine can provide now: the
/// largest stack frame within the memory available.
#[must_use]
pub fn max_buffers_bytes() -> usize {
    let available = mem_available();
    CLASSES
        .iter()
        .copied()
        .rev()
        .find(|&c| available.is_none_or(|a| c <= a))
        .unwrap_or(0)
}

/// Runs `f` on a new thread with one stack-resident buffer per entry of
/// `sizes`, each exactly that many bytes long and 64-byte aligned.
///
/// # Errors
///
/// [`StackError`] when the sizes are too large for a stack frame or for this
/// machine's available memory, or when the thread cannot be started.
///
/// # Panics
///
/// Re-raises a panic of `f` on the calling thread.
pub fn with_stack_buffers<R, F>(sizes: &[usize], f: F) -> Result<R, StackError>
where
    F: FnOnce(Vec<&mut [MaybeUninit<u8>]>) -> R + Send,
    R: Send,
{
    with_buffers_in(Place::Bottom, sizes, f)
}

/// Where [`with_buffers_in`] puts the buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The bottom of the stack where it can, else an array frame.
    Bottom,
    /// An array frame (tests use it to exercise the portable place).
    #[cfg_attr(not(test), allow(dead_code))]
    Frame,
}

/// [`with_stack_buffers`], with the buffers at `place`.
fn with_buffers_in<R, F>(place: Place, sizes: &[usize], f: F) -> Result<R, StackError>
where
    F: FnOnce(Vec<&mut [MaybeUninit<u8>]>) -> R + Send,
    R: Send,
{
    // Summed in u128, so that a total past usize::MAX is still named exactly.
    let requested: u128 = sizes
        .iter()
        .map(|&s| (s as u128).next_multiple_of(BUFFER_ALIGN as u128))
        .sum();
    let too_large = StackError::TooLarge { requested };
    let total = usize::try_from(requested).map_err(|_| too_large)?;
    let frame = stack_class_bytes(total).ok_or(StackError::TooLarge { requested })?;
    if let Some(available) = mem_available()
        && frame > available
    {
        return Err(StackError::NotEnoughMemory {
            requested: total,
            frame,
            available,
        });
    }
    // Room for either place: the frame (at least the buffers, so also the
    // buffers at the bottom), the guard page and the solver's own frames.
    let stack = frame + GUARD_ROOM + STACK_MARGIN;
    let mut f = Some(f);
    let mut result = None;
    let mut run = |whole: &mut [MaybeUninit<u8>]| {
        let buffers = split(whole, sizes);
        if let Some(f) = f.take() {
            result = Some(f(buffers));
        }
    };
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("day23-stack".into())
            .stack_size(stack)
            .spawn_scoped(scope, || {
                if place == Place::Frame || !bottom::with_stack_bottom(total, &mut run) {
                    in_class(frame, total, &mut run);
                }
            })
            .map_err(|source| StackError::Spawn { stack, source })?;
        if let Err(panic) = handle.join() {
            std::panic::resume_unwind(panic);
        }
        Ok(())
    })?;
    // Both places always call `run`, so `f` ran.
    Ok(result.expect("the stack buffers ran the closure"))
}

/// Cuts `whole` into one buffer per entry of `sizes`, each starting at a
/// multiple of [`BUFFER_ALIGN`] from the start of `whole`.
fn split<'a>(whole: &'a mut [MaybeUninit<u8>], sizes: &[usize]) -> Vec<&'a mut [MaybeUninit<u8>]> {
    let mut buffers = Vec::with_capacity(sizes.len());
    let mut rest = whole;
    for &size in sizes {
        let step = size.next_multiple_of(BUFFER_ALIGN).min(rest.len());
        let (head, tail) = rest.split_at_mut(step);
        buffers.push(&mut head[..size.min(step)]);
        rest = tail;
    }
    buffers
}

/// Stack set aside for the guard page and for aligning the buffers and the
/// guard: two of the largest pages Linux uses (64 KiB).
const GUARD_ROOM: usize = 2 << 16;

#[cfg(all(
    any(target_env = "gnu", target_env = "musl"),
    target_os = "linux",
    not(miri)
))]
mod bottom;

#[cfg(not(all(
    any(target_env = "gnu", target_env = "musl"),
    target_os = "linux",
    not(miri)
)))]
mod bottom {
    //! No stack bounds to be had: the buffers go in an array frame.

    use core::mem::MaybeUninit;

    /// Does nothing and returns `false`.
    pub(super) fn with_stack_bottom(
        _total: usize,
        _run: &mut dyn FnMut(&mut [MaybeUninit<u8>]),
    ) -> bool {
        false
    }
}

/// `MemAvailable` in bytes, where the system tells it.
#[must_use]
pub fn mem_available() -> Option<usize> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

#[repr(C, align(64))]
struct Frame<const N: usize>([MaybeUninit<u8>; N]);

/// Calls `f` with the first `len` bytes of a `N`-byte array on this stack frame.
#[inline(never)]
fn in_frame<const N: usize>(len: usize, f: &mut dyn FnMut(&mut [MaybeUninit<u8>])) {
    let mut frame = MaybeUninit::<Frame<N>>::uninit();
    // SAFETY: `assume_init_mut` requires the value to be initialized: `Frame<N>`
    // consists of `MaybeUninit<u8>` only, for which every state, including
    // uninitialized, is a valid value.
    let bytes = unsafe { &mut frame.assume_init_mut().0 };
    f(&mut bytes[..len.min(N)]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_ascending_and_waste_at_most_half() {
        assert!(CLASSES.windows(2).all(|w| w[0] < w[1]));
        assert!(CLASSES.windows(2).all(|w| w[1] * 2 <= w[0] * 3));
        assert_eq!(stack_class_bytes(0), Some(4096));
        assert_eq!(stack_class_bytes(4097), Some(6144));
        assert_eq!(stack_class_bytes(MAX_STACK_BYTES + 1), None);
    }

    #[test]
    #[cfg_attr(miri, ignore = "spawns a thread with a large stack")]
    fn buffers_have_exact_sizes_and_aligned_bases() {
        let seen = with_stack_buffers(&[100, 0, 4 << 20], |bufs| {
            bufs.iter()
                .map(|b| (b.len(), b.as_ptr().addr() % BUFFER_ALIGN))
                .collect::<Vec<_>>()
        })
        .unwrap();
        assert_eq!(seen, [(100, 0), (0, 0), (4 << 20, 0)]);
    }

    #[test]
    #[cfg_attr(miri, ignore = "spawns a thread with a large stack")]
    fn both_places_give_exact_sizes_and_aligned_bases() {
        for place in [Place::Bottom, Place::Frame] {
            let seen = with_buffers_in(place, &[100, 0, 4 << 20, 7], |mut bufs| {
                // Every byte of every buffer can be written and read back.
                for (i, b) in bufs.iter_mut().enumerate() {
                    b.fill(MaybeUninit::new(i as u8 + 1));
                }
                let sums: Vec<u64> = bufs
                    .iter()
                    .map(|b| {
                        b.iter()
                            // SAFETY: every byte was written just above.
                            .map(|x| u64::from(unsafe { x.assume_init() }))
                            .sum()
                    })
                    .collect();
                let shape: Vec<_> = bufs
                    .iter()
                    .map(|b| (b.len(), b.as_ptr().addr() % BUFFER_ALIGN))
                    .collect();
                (shape, sums)
            })
            .unwrap();
            assert_eq!(
                seen.0,
                [(100, 0), (0, 0), (4 << 20, 0), (7, 0)],
                "{place:?}"
            );
            assert_eq!(seen.1, [100, 0, 3 * (4 << 20), 28], "{place:?}");
        }
    }

    /// The pages of `buf` that are resident, from `mincore`.
    #[cfg(all(target_os = "linux", not(miri)))]
    fn resident_pages(buf: &[MaybeUninit<u8>]) -> usize {
        const PAGE: usize = 4096;
        let lo = buf.as_ptr().addr() & !(PAGE - 1);
        let hi = (buf.as_ptr().addr() + buf.len()).next_multiple_of(PAGE);
        let mut vec = vec![0u8; (hi - lo) / PAGE];
        // SAFETY: `mincore` reads the residency of the pages of
        // `lo..hi`, which hold `buf` (mapped, part of this thread's stack),
        // into `vec`, one byte per page, and `vec` has that many bytes.
        let rc = unsafe {
            libc::mincore(
                core::ptr::with_exposed_provenance_mut::<libc::c_void>(lo),
                hi - lo,
                vec.as_mut_ptr(),
            )
        };
        assert_eq!(rc, 0, "mincore failed");
        vec.iter().filter(|&&v| v & 1 != 0).count()
    }

    #[test]
    #[cfg(all(target_os = "linux", target_env = "gnu", not(miri)))]
    fn bottom_buffers_fault_in_only_the_pages_written() {
        let (before, after) = with_stack_buffers(&[4 << 20, 4 << 20], |mut bufs| {
            let before = resident_pages(bufs[0]) + resident_pages(bufs[1]);
            // Three pages of the first buffer, one of the second.
            bufs[0][..3 * 4096].fill(MaybeUninit::new(1));
            bufs[1][..10].fill(MaybeUninit::new(1));
            (before, resident_pages(bufs[0]) + resident_pages(bufs[1]))
        })
        .unwrap();
        // A reused thread stack may bring a few resident pages with it; never
        // the 2,048 an array frame's stack probes touch.
        assert!(before <= 16, "{before} pages resident before any write");
        assert!(after >= 4 && after <= before + 4, "{before} then {after}");
    }

    #[test]
    #[cfg(all(
        target_os = "linux",
        any(target_env = "gnu", target_env = "musl"),
        not(miri)
    ))]
    fn the_guard_page_is_accessible_again_once_the_buffers_are_done() {
        // The C library keeps thread stacks for reuse, so the guard above the
        // buffers must not outlive them. A second, larger set of buffers at
        // the same bottom covers the first one's guard page: writing all of
        // it faults if that page were still inaccessible.
        std::thread::Builder::new()
            .stack_size(STACK_MARGIN + (4 << 20))
            .spawn(|| {
                let (mut first, mut second) = (0, 0);
                let ran = bottom::with_stack_bottom(1 << 20, &mut |b| first = b.as_ptr().addr());
                assert!(ran, "the stack's bottom is available");
                let ran = bottom::with_stack_bottom(2 << 20, &mut |b| {
                    b.fill(MaybeUninit::new(7));
                    second = b.as_ptr().addr();
                });
                assert!(ran, "the stack's bottom is available again");
                assert_eq!(first, second, "both at the bottom of the stack");
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn too_large_a_request_is_an_error() {
        let err = with_stack_buffers(&[usize::MAX], |_| ()).unwrap_err();
        assert!(matches!(err, StackError::TooLarge { .. }), "{err}");
        let err = with_stack_buffers(&[MAX_STACK_BYTES, 64], |_| ()).unwrap_err();
        assert!(matches!(err, StackError::TooLarge { .. }), "{err}");
    }
}
