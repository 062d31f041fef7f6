//! The buffers at the bottom of the main thread's own stack, below a guard
//! page: a run on the main thread starts no thread.
//!
//! The kernel grows the main thread's stack on demand, as far as the soft
//! `RLIMIT_STACK` (`ulimit -s`, 8 MiB by default) below its top. Zig's start
//! code raises that limit to the stack size the program asks for
//! (`expandStackSize` in `lib/std/start.zig`), which is how the write-up's
//! buffer fits on its main thread's stack. A run here does the same, for the
//! run only:
//!
//! 1. the span: from the stack's top down through the frames in use,
//!    `STACK_MARGIN` for the frames to come, one guard page, the buffers;
//! 2. the soft limit raised to the span, if it is lower and the hard limit
//!    allows;
//! 3. the stack grown down to the buffers' lowest byte by a system call that
//!    writes there (`getrlimit` into it): the kernel grows a stack from a
//!    system call's write as from the program's own, or, when it cannot,
//!    fails the call with `EFAULT` (no signal), and the run takes a thread;
//! 4. the guard page made inaccessible ([`Guard`]), the buffers handed out;
//! 5. afterwards the guard page accessible again and the limit restored. The
//!    stack keeps its size (the kernel never shrinks a stack), and the pages
//!    the run wrote stay resident until the process ends.
//!
//! Where the top is: the kernel writes the executable's path (`AT_EXECFN`)
//! at the very top of the stack, so the top is at most `PATH_MAX` bytes and
//! a pointer above that string. The span is taken this way only up to
//! [`MAX_SPAN`]: below the main stack's top the kernel leaves at least
//! 128 MiB free of other mappings (`mmap_base`'s smallest gap), so the stack
//! can grow that far. The same bound tells whether the caller is on the main
//! thread at all: every other thread's stack is a mapping further down.
//! Larger buffers, other threads, and a second run while one holds the main
//! stack take a thread of their own ([`super::with_stack_buffers`]).
//!
//! Under Valgrind the program's stack is one Valgrind made, which cannot
//! grow past the size it chose (`--main-stacksize`), and Valgrind carries
//! out `getrlimit(RLIMIT_STACK)` itself: runs there take a thread too. The
//! question is asked as `valgrind.h`'s `RUNNING_ON_VALGRIND` asks it
//! ([`under_valgrind`]); the crates that wrap it build C or run bindgen at
//! build time, for one request of a few instructions.

use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicBool, Ordering};

use super::STACK_MARGIN;
use super::bottom::Guard;

/// The longest span taken on the main stack: half the 128 MiB the kernel
/// keeps free below its top.
const MAX_SPAN: usize = 64 << 20;

/// The longest path the kernel takes for an executable (`PATH_MAX`), the
/// most it writes above `AT_EXECFN`, with its NUL byte.
const PATH_MAX: usize = 4096;

/// Whether a run holds the main stack's bottom.
static IN_USE: AtomicBool = AtomicBool::new(false);

/// Gives the main stack back when dropped.
struct Release;

impl Drop for Release {
    fn drop(&mut self) {
        IN_USE.store(false, Ordering::Release);
    }
}

/// `RLIMIT_STACK`'s soft and hard limits.
fn stack_limit() -> Option<libc::rlimit> {
    let mut limit = MaybeUninit::<libc::rlimit>::uninit();
    // SAFETY: `getrlimit` fills in the structure it is given (any memory of
    // its type); it is read only after the call reported success.
    if unsafe { libc::getrlimit(libc::RLIMIT_STACK, limit.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: `getrlimit` returned 0, so it initialized the structure.
    Some(unsafe { limit.assume_init() })
}

/// Sets `RLIMIT_STACK`; `false` when the system refuses.
fn set_stack_limit(limit: libc::rlimit) -> bool {
    // SAFETY: `setrlimit` reads the structure it is given, a valid local.
    unsafe { libc::setrlimit(libc::RLIMIT_STACK, &raw const limit) == 0 }
}

/// Puts the soft limit back when dropped.
struct Restore(Option<libc::rlimit>);

impl Drop for Restore {
    fn drop(&mut self) {
        if let Some(limit) = self.0 {
            // Lowering the soft limit again cannot fail; if it did, the
            // stack could only grow further than `ulimit -s` said.
            let _ = set_stack_limit(limit);
        }
    }
}

/// Whether this process runs under Valgrind: `valgrind.h`'s
/// `RUNNING_ON_VALGRIND`, the request `0x1001` with the default answer 0.
/// On the processors Valgrind has no such request for, `true`: those take
/// the thread.
fn under_valgrind() -> bool {
    let request: [usize; 6] = [0x1001, 0, 0, 0, 0, 0];
    #[cfg(target_arch = "x86_64")]
    {
        let mut answer = 0usize;
        // SAFETY: run natively, the four rotations of `rdi` add up to 128
        // bits, a whole number of turns, and `xchg rbx, rbx` swaps a register
        // with itself: nothing changes but the flags (`rdi` is declared
        // clobbered all the same), and `rdx` keeps the default 0. Valgrind
        // recognises the sequence, reads the six words of `request` at `rax`
        // (a live local) and puts its answer in `rdx`.
        unsafe {
            core::arch::asm!(
                "rol rdi, 3",
                "rol rdi, 13",
                "rol rdi, 61",
                "rol rdi, 51",
                "xchg rbx, rbx",
                inout("rdx") answer,
                in("rax") request.as_ptr(),
                inout("rdi") 0usize => _,
                options(nostack, readonly),
            );
        }
        answer != 0
    }
    #[cfg(target_arch = "aarch64")]
    {
        let mut answer = 0usize;
        // SAFETY: run natively, the four rotations of `x12` add up to 128
        // bits, a whole number of turns, and `orr x10, x10, x10` writes `x10`
        // back unchanged: nothing changes (`x12` is declared clobbered all the
        // same), and `x3` keeps the default 0. Valgrind recognises the
        // sequence, reads the six words of `request` at `x4` (a live local)
        // and puts its answer in `x3`.
        unsafe {
            core::arch::asm!(
                "ror x12, x12, #3",
                "ror x12, x12, #13",
                "ror x12, x12, #51",
                "ror x12, x12, #61",
                "orr x10, x10, x10",
                inout("x3") answer,
                in("x4") request.as_ptr(),
                inout("x12") 0usize => _,
                options(nostack, readonly, preserves_flags),
            );
        }
        answer != 0
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        let _ = request;
        true
    }
}

/// Grows the main stack down to the page at `low` by having the kernel write
/// 16 bytes there; `false` when it cannot (the call then fails with
/// `EFAULT` and the stack is as it was).
fn grow_to(low: usize) -> bool {
    let at = core::ptr::with_exposed_provenance_mut::<libc::rlimit>(low);
    // SAFETY: the kernel checks the address itself: it writes the 16 bytes
    // of a `rlimit` at `low` (page-aligned, so within one page) only where
    // the process may write, growing the stack to reach it, and otherwise
    // returns `EFAULT` without writing. The bytes lie below every frame of
    // this thread's stack and outside every Rust allocation, so nothing
    // reads or owns them.
    unsafe { libc::getrlimit(libc::RLIMIT_STACK, at) == 0 }
}

/// Calls `run` with `total` bytes at the bottom of the main thread's stack,
/// below a page made inaccessible, and returns `true`; returns `false`
/// without calling it when the caller is not on the main thread, the main
/// stack is in use, the process runs under Valgrind, the span exceeds
/// [`MAX_SPAN`], the limit cannot be raised, or the stack cannot grow.
pub(super) fn with_main_stack_bottom(
    total: usize,
    run: &mut dyn FnMut(&mut [MaybeUninit<u8>]),
) -> bool {
    // SAFETY: `getauxval` and `sysconf` have no preconditions; they read
    // values the kernel passed at start-up.
    let (execfn, page) = unsafe {
        (
            libc::getauxval(libc::AT_EXECFN),
            libc::sysconf(libc::_SC_PAGESIZE),
        )
    };
    let (Ok(execfn), Ok(page)) = (usize::try_from(execfn), usize::try_from(page)) else {
        return false;
    };
    let here = 0u8;
    let sp = (&raw const here).addr();
    // Offsets down from the stack's top, in checked arithmetic: the guard
    // page `STACK_MARGIN` below this frame, the buffers below it.
    let layout = (|| {
        let top = execfn
            .checked_add(PATH_MAX + size_of::<usize>())?
            .checked_next_multiple_of(page)?;
        let guard = (sp.checked_sub(STACK_MARGIN)? & !(page - 1)).checked_sub(page)?;
        let low = guard.checked_sub(total)? & !(page - 1);
        (execfn > sp && page.is_power_of_two()).then_some((top, guard, low))
    })();
    let Some((top, guard, low)) = layout else {
        return false;
    };
    let span = top - low;
    if span > MAX_SPAN || under_valgrind() || IN_USE.swap(true, Ordering::Acquire) {
        return false;
    }
    let _release = Release;
    let Some(limit) = stack_limit() else {
        return false;
    };
    let span_limit = span as libc::rlim_t;
    let _restore = if limit.rlim_cur != libc::RLIM_INFINITY && limit.rlim_cur < span_limit {
        if limit.rlim_max != libc::RLIM_INFINITY && limit.rlim_max < span_limit {
            return false;
        }
        let raised = libc::rlimit {
            rlim_cur: span_limit,
            rlim_max: limit.rlim_max,
        };
        if !set_stack_limit(raised) {
            return false;
        }
        Restore(Some(limit))
    } else {
        Restore(None)
    };
    if !grow_to(low) {
        return false;
    }
    let Some(_guard) = Guard::set(core::ptr::with_exposed_provenance_mut(guard), page) else {
        return false;
    };
    // SAFETY: `low .. low + total` is in the main thread's stack mapping,
    // readable and writable: the stack was grown down to `low` above, and
    // the range ends at or below the guard page, which is below `sp`. Nothing
    // else uses it: this thread's frames are all above `sp` or, as they grow,
    // above the inaccessible guard page, no other thread's stack or mapping
    // lies in a stack, and `IN_USE` keeps a second run from handing it out.
    // This is the only slice made of it, it lives until `run` returns, and
    // the stack outlives this call. `MaybeUninit<u8>` needs no
    // initialization and has alignment 1.
    let whole = unsafe {
        core::slice::from_raw_parts_mut(
            core::ptr::with_exposed_provenance_mut::<MaybeUninit<u8>>(low),
            total,
        )
    };
    run(whole);
    true
}
