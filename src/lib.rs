//! day23
#[allow(unsafe_code)]
pub mod alloc;
pub mod cells;
pub mod grid;
