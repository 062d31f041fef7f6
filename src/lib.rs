#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

#[allow(unsafe_code)]
pub mod alloc;
pub mod answers;
pub mod cells;
#[cfg(feature = "cli")]
pub mod cli;
pub mod color;
pub mod engine;
pub mod error;
pub mod export;
pub mod generate;
pub mod grid;
pub mod report;
pub mod session;
pub mod sim;
#[allow(unsafe_code)]
pub mod simd;
pub mod strategy;
pub mod units;
