//! # CSV: one row per strategy and round
//!
//! The header is fixed ([`HEADER`]), whatever the strategies: the figures of
//! up to two buffers sit in the `buffer1_*` and `buffer2_*` columns, empty
//! for a strategy with one buffer. A strategy that ran out of memory in round
//! `k` has rows for rounds `0..k`. Written with the `csv` crate, never by
//! joining strings. Under `--allocator bumpalo` two columns follow,
//! `buffer1_chunks` and `buffer2_chunks` ([`CHUNK_COLUMNS`]): each chunk's
//! size, oldest first, separated by spaces.

use anyhow::Result;
use serde::Serialize;

use super::Exporter;
use crate::report::{BufferRound, Comparison};

/// The columns, in order.
pub const HEADER: [&str; 15] = [
    "strategy",
    "cells",
    "round",
    "elves_moved",
    "bytes_in_use",
    "live_bytes",
    "peak_bytes",
    "buffer1",
    "buffer1_bytes_in_use",
    "buffer1_live_bytes",
    "buffer1_peak_bytes",
    "buffer2",
    "buffer2_bytes_in_use",
    "buffer2_live_bytes",
    "buffer2_peak_bytes",
];

/// The columns after [`HEADER`] when a run's buffers are bumpalo arenas.
pub const CHUNK_COLUMNS: [&str; 2] = ["buffer1_chunks", "buffer2_chunks"];

/// One row, in [`HEADER`]'s order.
#[derive(Serialize)]
struct Row<'a> {
    strategy: &'a str,
    cells: &'a str,
    round: usize,
    elves_moved: usize,
    bytes_in_use: usize,
    live_bytes: usize,
    peak_bytes: usize,
    buffer1: Option<&'a str>,
    buffer1_bytes_in_use: Option<usize>,
    buffer1_live_bytes: Option<usize>,
    buffer1_peak_bytes: Option<usize>,
    buffer2: Option<&'a str>,
    buffer2_bytes_in_use: Option<usize>,
    buffer2_live_bytes: Option<usize>,
    buffer2_peak_bytes: Option<usize>,
}

/// Comma-separated values with a header line.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvExporter;

impl Exporter for CsvExporter {
    fn serialize(&self, comparison: &Comparison) -> Result<Vec<u8>> {
        let mut writer = ::csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        let chunked = comparison
            .strategies
            .iter()
            .flat_map(|run| &run.rounds)
            .flat_map(|r| &r.buffers)
            .any(|b| b.chunks.is_some());
        if chunked {
            writer.write_record(HEADER.iter().chain(&CHUNK_COLUMNS))?;
        } else {
            writer.write_record(HEADER)?;
        }
        for run in &comparison.strategies {
            for r in &run.rounds {
                let b1: Option<&BufferRound> = r.buffers.first();
                let b2: Option<&BufferRound> = r.buffers.get(1);
                let row = Row {
                    strategy: run.strategy,
                    cells: run.cells,
                    round: r.round,
                    elves_moved: r.elves_moved,
                    bytes_in_use: r.bytes_in_use,
                    live_bytes: r.live_bytes,
                    peak_bytes: r.peak_bytes,
                    buffer1: b1.map(|b| b.name),
                    buffer1_bytes_in_use: b1.map(|b| b.bytes_in_use),
                    buffer1_live_bytes: b1.map(|b| b.live_bytes),
                    buffer1_peak_bytes: b1.map(|b| b.peak_bytes),
                    buffer2: b2.map(|b| b.name),
                    buffer2_bytes_in_use: b2.map(|b| b.bytes_in_use),
                    buffer2_live_bytes: b2.map(|b| b.live_bytes),
                    buffer2_peak_bytes: b2.map(|b| b.peak_bytes),
                };
                if chunked {
                    writer.serialize((row, chunk_list(b1), chunk_list(b2)))?;
                } else {
                    writer.serialize(row)?;
                }
            }
        }
        Ok(writer.into_inner()?)
    }
}

/// `448 960`: a buffer's chunk sizes, oldest first (empty without chunks).
fn chunk_list(buffer: Option<&BufferRound>) -> String {
    let chunks = buffer.and_then(|b| b.chunks.as_deref()).unwrap_or_default();
    let sizes: Vec<String> = chunks.iter().map(usize::to_string).collect();
    sizes.join(" ")
}
