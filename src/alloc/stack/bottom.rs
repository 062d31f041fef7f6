//! The buffers at the bottom of a spawned thread's stack, below a guard page.

use core::mem::MaybeUninit;

use super::{BUFFER_ALIGN, GUARD_ROOM, STACK_MARGIN};

/// The lowest usable address of this thread's stack and its size in
/// bytes (the C library's own guard, below it, excluded).
fn stack_bounds() -> Option<(*mut u8, usize)> {
    let mut attr = MaybeUninit::<libc::pthread_attr_t>::uninit();
    // SAFETY: `pthread_getattr_np` fills in the attribute object it is
    // given (any memory of its type) for a thread that is running, and
    // `pthread_self` is this running thread.
    if unsafe { libc::pthread_getattr_np(libc::pthread_self(), attr.as_mut_ptr()) } != 0 {
        return None;
    }
    let mut addr = core::ptr::null_mut();
    let mut size = 0;
    // SAFETY: the attribute object was initialized by the successful call
    // above; the two out-pointers are valid locals of the right types.
    let got = unsafe { libc::pthread_attr_getstack(attr.as_ptr(), &raw mut addr, &raw mut size) };
    // SAFETY: destroys the object initialized above, once; it is not
    // used afterwards.
    unsafe { libc::pthread_attr_destroy(attr.as_mut_ptr()) };
    (got == 0 && !addr.is_null()).then_some((addr.cast::<u8>(), size))
}

/// `mprotect` of `len` bytes at `addr` (page-aligned) to `prot`.
fn protect(addr: *mut u8, len: usize, prot: libc::c_int) -> bool {
    // SAFETY: `mprotect` only changes the access of whole pages of this
    // process's own mapping; the callers ([`Guard`]) pass one page of a
    // stack that no frame and no buffer covers (the guard), so no live
    // value loses its access.
    unsafe { libc::mprotect(addr.cast(), len, prot) == 0 }
}

/// A page of a stack between the buffers and the frames, inaccessible while
/// this lives: a frame that grows down to it faults instead of writing over
/// the buffers.
struct Guard {
    /// The guard page.
    page: *mut u8,
    /// Its size.
    len: usize,
}

impl Guard {
    /// Makes the `len`-byte page at `page` inaccessible; `None` when the
    /// system refuses. The page must lie in a stack, below every frame of
    /// it and above every buffer.
    fn set(page: *mut u8, len: usize) -> Option<Self> {
        protect(page, len, libc::PROT_NONE).then_some(Self { page, len })
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // The stack is used again by the next thread (the C library keeps
        // thread stacks for reuse), which must find all of it accessible. If this
        // fails the process cannot keep that promise, so it stops.
        if !protect(self.page, self.len, libc::PROT_READ | libc::PROT_WRITE) {
            std::process::abort();
        }
    }
}

/// Calls `run` with `total` bytes at the bottom of this thread's stack,
/// below a page made inaccessible, and returns `true`; returns `false`
/// without calling it when the stack's bounds are unknown, the frames
/// would have less than half of `STACK_MARGIN` above the guard, or the
/// guard cannot be set.
pub(super) fn with_stack_bottom(total: usize, run: &mut dyn FnMut(&mut [MaybeUninit<u8>])) -> bool {
    // SAFETY: `sysconf` has no preconditions; it reads a constant.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    let Ok(page) = usize::try_from(page) else {
        return false;
    };
    let Some((low, size)) = stack_bounds() else {
        return false;
    };
    let here = 0u8;
    let sp = (&raw const here).addr();
    let low_addr = low.addr();
    // Offsets from `low`: the buffers at `start`, the guard page at
    // `guard`, all in checked arithmetic.
    let start = low_addr.next_multiple_of(BUFFER_ALIGN) - low_addr;
    let layout = start.checked_add(total).and_then(|end| {
        let guard = (low_addr.checked_add(end)?.checked_next_multiple_of(page)?) - low_addr;
        let frames_from = low_addr.checked_add(guard)?.checked_add(page)?;
        Some((guard, frames_from))
    });
    let Some((guard, frames_from)) = layout else {
        return false;
    };
    if page > GUARD_ROOM / 2
        || sp < low_addr
        || sp >= low_addr.saturating_add(size)
        || sp.saturating_sub(frames_from) < STACK_MARGIN / 2
    {
        return false;
    }
    // The guard page lies between the buffers and `sp`: inside this
    // thread's stack, below every frame.
    let Some(_guard) = Guard::set(low.wrapping_add(guard), page) else {
        return false;
    };
    // SAFETY: `low + start .. low + start + total` lies in this thread's
    // stack mapping (readable and writable: it is below the guard page,
    // which is below `sp`, and above the stack's low end), and nothing
    // else uses it: the thread's frames are all above `sp` or, as they
    // grow, above the inaccessible guard page, so no frame ever covers
    // it, and this is the only slice made of it. It lives until `run`
    // returns, and the stack outlives this call. `MaybeUninit<u8>` needs
    // no initialization and has alignment 1.
    let whole =
        unsafe { core::slice::from_raw_parts_mut(low.add(start).cast::<MaybeUninit<u8>>(), total) };
    run(whole);
    true
}
