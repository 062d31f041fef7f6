//! # Buffers on a stack
//!
//! The write-up keeps its buffer on the stack (`var buffer: [N]u8 = undefined;`).
//! Rust has no `alloca`, and the main thread's stack is as big as `ulimit -s`
//! allows, so [`with_stack_buffers`] spawns a thread whose stack is big enough
//! and places one array frame on it, of the smallest *size class* that holds
//! every buffer. The classes are 2^k and 1.5 * 2^k bytes from 4 KiB to
//! 32 GiB; each is a separate instance of a generic function, so the array
//! really is a local variable of a stack frame.
//!
//! Rust's stack probes touch every page of a large frame when it is entered,
//! so the resident memory is the class size: at most 1.5x the requested bytes
//! (rounded up to 4 KiB), never a fixed large array. Each buffer starts at a
//! multiple of [`BUFFER_ALIGN`] and the allocator sees exactly the requested
//! size.

use core::mem::MaybeUninit;
use std::io;

/// Every buffer's first byte is aligned to this many bytes.
pub const BUFFER_ALIGN: usize = 64;

/// Stack the thread gets beyond the frame, for the solver's own calls.
const STACK_MARGIN: usize = 8 << 20;

/// The frame sizes, ascending: 2^k and 1.5 * 2^k bytes.
const CLASSES: &[usize] = &[
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
    4294967296,
    6442450944,
    8589934592,
    12884901888,
    17179869184,
    25769803776,
    34359738368,
];

/// The largest total buffer size a stack frame can hold.
pub const MAX_STACK_BYTES: usize = CLASSES[CLASSES.len() - 1];

/// Why the buffers could not be provided.
#[derive(Debug, thiserror::Error)]
pub enum StackError {
    /// More than [`MAX_STACK_BYTES`] in total, or an overflow adding them up.
    #[error(
        "buffers of {requested} bytes in total exceed the largest stack buffer this tool provides ({MAX_STACK_BYTES} bytes)"
    )]
    TooLarge {
        /// The requested total (saturated on overflow).
        requested: usize,
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
    let total = sizes
        .iter()
        .try_fold(0usize, |acc, &s| {
            acc.checked_add(s.checked_next_multiple_of(BUFFER_ALIGN)?)
        })
        .ok_or(StackError::TooLarge {
            requested: usize::MAX,
        })?;
    let frame = stack_class_bytes(total).ok_or(StackError::TooLarge { requested: total })?;
    if let Some(available) = mem_available()
        && frame > available
    {
        return Err(StackError::NotEnoughMemory {
            requested: total,
            frame,
            available,
        });
    }
    let stack = frame + STACK_MARGIN;
    let mut f = Some(f);
    let mut result = None;
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("day23-stack".into())
            .stack_size(stack)
            .spawn_scoped(scope, || {
                advise_huge_pages(frame);
                in_class(frame, total, &mut |whole| {
                    let mut buffers = Vec::with_capacity(sizes.len());
                    let mut rest = whole;
                    for &size in sizes {
                        let step = size.next_multiple_of(BUFFER_ALIGN).min(rest.len());
                        let (head, tail) = rest.split_at_mut(step);
                        buffers.push(&mut head[..size]);
                        rest = tail;
                    }
                    if let Some(f) = f.take() {
                        result = Some(f(buffers));
                    }
                });
            })
            .map_err(|source| StackError::Spawn { stack, source })?;
        if let Err(panic) = handle.join() {
            std::panic::resume_unwind(panic);
        }
        Ok(())
    })?;
    // `in_class` always finds `frame` among the classes, so `f` ran.
    Ok(result.expect("the stack frame ran the closure"))
}

/// Huge pages on Linux (x86-64 and aarch64 with 4 KiB base pages).
const HUGE_PAGE: usize = 2 << 20;

/// Asks the kernel to back the `frame` bytes of stack below this call with
/// transparent huge pages, so that the stack probes' first touch of the frame
/// faults in 2 MiB at a time instead of 4 KiB (an 8 MiB frame: 4 faults, not
/// 2048). Only advice: where the kernel does not take it (no THP, an
/// unaligned or foreign range), nothing changes.
#[cfg(all(target_os = "linux", not(miri)))]
fn advise_huge_pages(frame: usize) {
    let marker = 0u8;
    let top = core::ptr::addr_of!(marker).addr();
    // The frame lies just below this function's own frame. Only whole huge
    // pages inside that range are advised (rounded inwards), so no page the
    // frame would not touch anyway becomes resident.
    let end = top.saturating_sub(4096) & !(HUGE_PAGE - 1);
    let start = top
        .saturating_sub(frame)
        .checked_next_multiple_of(HUGE_PAGE)
        .unwrap_or(usize::MAX);
    if end > start {
        let addr = core::ptr::without_provenance_mut::<libc::c_void>(start);
        // SAFETY: `madvise` has no memory-safety preconditions of its own: it
        // takes an address range as numbers and only changes how the kernel
        // backs pages (MADV_HUGEPAGE never discards or moves contents); a
        // range outside this thread's stack mapping is refused with an error,
        // which is ignored because the advice is optional.
        let _ = unsafe { libc::madvise(addr, end - start, libc::MADV_HUGEPAGE) };
    }
}

#[cfg(not(all(target_os = "linux", not(miri))))]
fn advise_huge_pages(_frame: usize) {}

/// `MemAvailable` in bytes, where the system tells it.
fn mem_available() -> Option<usize> {
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

macro_rules! dispatch {
    ($class:expr, $len:expr, $f:expr; $($n:literal),*) => {
        match $class {
            $( $n => in_frame::<$n>($len, $f), )*
            _ => {}
        }
    };
}

/// Runs `f` in the frame of size `class` (one of [`CLASSES`]).
fn in_class(class: usize, len: usize, f: &mut dyn FnMut(&mut [MaybeUninit<u8>])) {
    dispatch!(class, len, f; 4096,
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
    4294967296,
    6442450944,
    8589934592,
    12884901888,
    17179869184,
    25769803776,
    34359738368);
}

/// Parses a size in bytes: a whole number with an optional unit, `B`,
/// `K`/`KiB`, `M`/`MiB`, `G`/`GiB`, `T`/`TiB` (powers of 1024) or `kB`, `MB`,
/// `GB`, `TB` (powers of 1000), case-insensitive, e.g. `20000`, `64KiB`, `4MiB`.
///
/// # Errors
///
/// A message naming the problem when the text is not such a size or the value
/// does not fit in `usize`.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    if number.is_empty() {
        return Err(format!(
            "'{text}' is not a size: expected a whole number of bytes, optionally with a unit (e.g. 20000, 64KiB, 4MiB, 1GiB)"
        ));
    }
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "t" | "tib" => 1 << 40,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        other => {
            return Err(format!(
                "unknown unit '{other}' in '{text}': use B, KiB, MiB, GiB, TiB (or kB, MB, GB, TB)"
            ));
        }
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(multiplier))
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| format!("'{text}' is too large a size"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_size_accepts_plain_and_binary_and_decimal_units() {
        assert_eq!(parse_size("20000"), Ok(20000));
        assert_eq!(parse_size("64KiB"), Ok(65536));
        assert_eq!(parse_size("4MiB"), Ok(4 << 20));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("4m"), Ok(4 << 20));
        assert_eq!(parse_size("2kB"), Ok(2000));
        assert_eq!(parse_size("0"), Ok(0));
        assert_eq!(parse_size(" 7 B "), Ok(7));
    }

    #[test]
    fn parse_size_rejects_garbage_and_overflow() {
        assert!(parse_size("").unwrap_err().contains("not a size"));
        assert!(parse_size("-1").unwrap_err().contains("not a size"));
        assert!(parse_size("1.5MiB").unwrap_err().contains("unknown unit"));
        assert!(
            parse_size("12parsecs")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(
            parse_size("99999999999999999999")
                .unwrap_err()
                .contains("too large")
        );
        assert!(
            parse_size("17179869184TiB")
                .unwrap_err()
                .contains("too large")
        );
    }

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
    fn too_large_a_request_is_an_error() {
        let err = with_stack_buffers(&[usize::MAX], |_| ()).unwrap_err();
        assert!(matches!(err, StackError::TooLarge { .. }), "{err}");
        let err = with_stack_buffers(&[MAX_STACK_BYTES, 64], |_| ()).unwrap_err();
        assert!(matches!(err, StackError::TooLarge { .. }), "{err}");
    }
}
