//! # The layout sink: pictures of the buffers as the rounds complete
//!
//! With `--layout` (or `--layout-every K`), each drawn round's line is
//! followed by one line per buffer ([`crate::export::layout::line`]), drawn
//! from the allocator's block list. The legend comes once per invocation;
//! a strategy without buffers (the heap) says so once.

use std::io::Write;

use super::rounds::{RoundPrinter, round_line};
use crate::engine::Snapshot;
use crate::export::layout;
use crate::report::RoundStats;

/// When and how wide to draw the layout pictures.
#[derive(Debug, Clone, Copy)]
pub(super) struct LayoutOptions {
    /// Draw after rounds 0, k, 2k, ...
    pub(super) every: usize,
    /// Columns per line.
    pub(super) width: usize,
}

impl LayoutOptions {
    /// Whether round `round` is drawn.
    pub(super) fn draws(self, round: usize) -> bool {
        round.is_multiple_of(self.every)
    }
}

/// The layout's width: `--width`, else `$COLUMNS`, else the terminal's, else 80.
pub(super) fn layout_width(flag: Option<u16>) -> usize {
    if let Some(width) = flag {
        return usize::from(width);
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c >= 20);
    columns
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .unwrap_or(80)
        .clamp(40, 1000)
}

/// The layout pictures of one invocation, over all its runs.
#[derive(Debug)]
pub(super) struct LayoutSink {
    options: LayoutOptions,
    legend_printed: bool,
}

impl LayoutSink {
    pub(super) fn new(options: LayoutOptions) -> Self {
        Self {
            options,
            legend_printed: false,
        }
    }

    /// The pictures of one run of `strategy`.
    pub(super) fn run(&mut self, strategy: &'static str) -> LayoutRun<'_> {
        LayoutRun {
            sink: self,
            strategy,
            said_no_layout: false,
        }
    }
}

/// The pictures of one run.
pub(super) struct LayoutRun<'s> {
    sink: &'s mut LayoutSink,
    strategy: &'static str,
    said_no_layout: bool,
}

impl LayoutRun<'_> {
    /// Draws the round if it is one to draw; returns whether the round's
    /// line was written with the picture (else the caller writes it, if it
    /// writes round lines).
    pub(super) fn round<W: Write>(
        &mut self,
        printer: &mut RoundPrinter<W>,
        stats: &RoundStats,
        snapshot: &dyn Snapshot,
    ) -> bool {
        let options = self.sink.options;
        if !options.draws(stats.round) {
            return false;
        }
        let layouts = snapshot.layouts();
        if layouts.is_empty() {
            if !self.said_no_layout {
                self.said_no_layout = true;
                printer.write_line(format_args!(
                    "No layout for {}: it has no buffer, only the global heap.",
                    self.strategy
                ));
            }
            return false;
        }
        if !self.sink.legend_printed {
            self.sink.legend_printed = true;
            printer.write_line(format_args!("{}", layout::LEGEND));
        }
        printer.write_line(format_args!("{}", round_line(stats)));
        for l in &layouts {
            printer.write_line(format_args!("{}", layout::line(l, options.width)));
        }
        true
    }
}
