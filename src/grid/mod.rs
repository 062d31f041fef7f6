//! # The puzzle's grid: points and input parsing

pub mod parse;
pub mod point;

pub use parse::{ParseError, parse};
pub use point::Point2D;
