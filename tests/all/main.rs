//! Integration tests: one crate (`tests/all`) to keep link time down on 2-core CI.
#![cfg(not(miri))]

mod advice;
mod answers;
mod bumpalo;
mod check;
mod cli;
mod common;
mod compare;
mod conventions;
mod docs;
mod jobs;
mod memory;
mod outputs;
mod phases;
mod reference;
mod reliability;
mod report;
mod sweep;
