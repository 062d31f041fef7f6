//! # One malloc arena while one run at a time goes
//!
//! glibc gives a thread that calls `malloc` while another holds the main
//! arena's lock (or simply a new thread, up to eight per core) an arena of
//! its own: a fresh 64 MiB reservation whose pages fault in one by one as
//! the thread's blocks use them. A run on a thread of its own (one whose
//! buffers the main thread's stack does not take: see `stack/mod.rs`)
//! allocates a little every
//! round (the round's figures, kept for the report: about 160 bytes a
//! round, 155 KB over the 969 rounds of a 70x70 input), so in its own arena
//! it faults in 40 or so new pages, while the main thread's heap has
//! 70 KB free and already in memory (what parsing the flags built and
//! dropped). [`use_one_malloc_arena`] makes every thread share the main
//! arena (`mallopt(M_ARENA_MAX, 1)`): with one run at a time the main thread
//! only waits for it, so nothing contends for the lock. Measured in
//! docs/performance.md ("Where the fixed cost went"): 23 fewer page
//! faults and about 0.1 ms on a 70x70 bit grid run.
//!
//! The buffers are not affected: they live on the run's stack (or in one
//! block each from the heap); only which arena serves the tool's own small
//! allocations changes, and no figure counts those.

/// Makes every thread started from now on allocate from the main malloc
/// arena. Call it only when one run goes at a time. A no-op where the C
/// library is not glibc.
pub fn use_one_malloc_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu", not(miri)))]
    {
        // SAFETY: `mallopt` only sets one of malloc's tuning parameters
        // (the most arenas it creates); it takes plain integers, touches no
        // memory of the caller's, and is safe to call at any time, from any
        // thread. Its result (1 on success) is ignored: the setting only
        // changes where small blocks come from, never what they hold.
        let _ = unsafe { libc::mallopt(libc::M_ARENA_MAX, 1) };
    }
}
