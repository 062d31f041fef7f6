//! # Cell sets: the representations of the elves the solver can step

pub mod bitgrid;
