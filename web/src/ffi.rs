//! # The page's interface: plain C functions over linear memory
//!
//! The only `unsafe` of this crate, and only attributes and one import: no
//! raw pointer is ever dereferenced on the Rust side. JavaScript asks for
//! room ([`day23_input`]), writes the input's bytes and then the options'
//! JSON there, calls [`day23_solve`] and reads the answer's JSON (UTF-8)
//! at [`day23_output`]. [`day23_allocate`] takes the guided tour's
//! allocator calls (JSON) from the same room and answers the same way.
//! Each round of each run calls the imported `env.day23_progress`, which
//! the Web Worker turns into the page's live "round N" line.
//!
//! Why not wasm-bindgen: its CLI must match the crate's version exactly,
//! and installing it from source takes minutes of CI time on two cores; this
//! interface needs no tool beyond rustc and five functions.

use std::cell::RefCell;

thread_local! {
    /// The input's bytes, then the options' JSON, as JavaScript wrote them.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The last answer's JSON.
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

// SAFETY: the import takes and returns plain integers only; the JavaScript
// that provides it (web/worker.js) posts a message and touches no memory of
// this module, so calling it cannot break any Rust invariant.
unsafe extern "C" {
    /// Run `run` (0-based, in plan order) completed round `round`.
    safe fn day23_progress(run: u32, round: u32);
}

/// Reports a completed round to the page.
pub fn progress(run: usize, round: usize) {
    day23_progress(
        u32::try_from(run).unwrap_or(u32::MAX),
        u32::try_from(round).unwrap_or(u32::MAX),
    );
}

/// Room for `len` bytes (the input then the options), zeroed; its address
/// in linear memory, valid until the next call of this module.
// SAFETY: `no_mangle` exports the function under its own name; no other
// symbol of this module or its dependencies is named `day23_input`.
#[unsafe(no_mangle)]
pub extern "C" fn day23_input(len: usize) -> *mut u8 {
    INPUT.with_borrow_mut(|input| {
        input.clear();
        input.resize(len, 0);
        input.as_mut_ptr()
    })
}

/// Solves the first `input_len` bytes written at [`day23_input`] with the
/// options (JSON) after them; returns the length of the answer's JSON.
// SAFETY: as for `day23_input`: a unique exported name.
#[unsafe(no_mangle)]
pub extern "C" fn day23_solve(input_len: usize) -> usize {
    let answer = INPUT.with_borrow(|bytes| {
        let (input, options) = bytes.split_at(input_len.min(bytes.len()));
        crate::answer(input, options)
    });
    OUTPUT.with_borrow_mut(|out| {
        *out = answer;
        out.len()
    })
}

/// Replays the allocator calls (JSON) in the first `len` bytes written at
/// [`day23_input`]; returns the length of the answer's JSON.
// SAFETY: as for `day23_input`: a unique exported name.
#[unsafe(no_mangle)]
pub extern "C" fn day23_allocate(len: usize) -> usize {
    let answer = INPUT.with_borrow(|bytes| crate::allocate(&bytes[..len.min(bytes.len())]));
    OUTPUT.with_borrow_mut(|out| {
        *out = answer.into_bytes();
        out.len()
    })
}

/// The address of the last answer's JSON in linear memory.
// SAFETY: as for `day23_input`: a unique exported name.
#[unsafe(no_mangle)]
pub extern "C" fn day23_output() -> *const u8 {
    OUTPUT.with_borrow(|out| out.as_ptr())
}
