#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

#[allow(unsafe_code)]
pub mod alloc;
pub mod answers;
#[cfg(feature = "cli")]
pub mod app;
pub mod cells;
#[cfg(feature = "cli")]
pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
pub mod color;
pub mod engine;
pub mod error;
pub mod export;
pub mod generate;
pub mod grid;
#[cfg(feature = "cli")]
pub mod input;
#[cfg(feature = "cli")]
pub mod manual;
#[cfg(feature = "cli")]
pub mod progress;
pub mod report;
pub mod runner;
pub mod sim;
#[allow(unsafe_code)]
pub mod simd;
pub mod strategy;
pub mod units;
