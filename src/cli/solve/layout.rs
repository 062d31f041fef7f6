//! # The layout sink: pictures of the buffers as the rounds complete
//!
//! With `--layout` (or `--layout-every K`), each drawn round's line is
//! followed by one line per buffer ([`crate::export::layout::line`]), drawn
//! from the allocator's block list. With `--layout phases`, rounds 1, 2, ...
//! draw every buffer at each [`Phase`] instead, labelled as the write-up
//! labels its lines (`start`, `alloc`, `swap` or `copy`); round 0 draws its
//! end. The legend comes once per invocation; a strategy without buffers
//! (the heap) says so once.

use std::io::Write;

use super::rounds::{RoundLine, RoundPrinter};
use crate::cli::args::LayoutMode;
use crate::engine::{Phase, Snapshot};
use crate::export::layout;
use crate::report::{BufferLayout, RoundStats};
use crate::strategy::StrategyKind;

/// When and how wide to draw the layout pictures.
#[derive(Debug, Clone, Copy)]
pub(super) struct LayoutOptions {
    /// Draw after rounds 0, k, 2k, ...
    pub(super) every: usize,
    /// Columns per line.
    pub(super) width: usize,
    /// The end of each round, or its phases.
    pub(super) mode: LayoutMode,
}

impl LayoutOptions {
    /// Whether round `round` is drawn.
    pub(super) fn draws(self, round: usize) -> bool {
        round.is_multiple_of(self.every)
    }
}

/// The layout's width: `--width`, else `$COLUMNS`, else the terminal's, else
/// 80; from 40 (the narrowest picture) to 1000 columns.
pub(super) fn layout_width(flag: Option<u16>) -> usize {
    if let Some(width) = flag {
        return usize::from(width);
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    columns
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .unwrap_or(80)
        .clamp(40, 1000)
}

/// `legend` (`Layout: ...`) in lines of at most `width` columns, each line
/// after the first indented past its heading.
fn wrap_legend(legend: &str, width: usize) -> Vec<std::borrow::Cow<'_, str>> {
    let indent = " ".repeat(legend.find(": ").map_or(0, |i| i + 2));
    textwrap::wrap(
        legend,
        textwrap::Options::new(width).subsequent_indent(&indent),
    )
}

/// Where a run's pictures go: its lines, and the place of the legend.
pub(super) trait Pictures {
    /// One line of text.
    fn line(&mut self, line: std::fmt::Arguments<'_>);
    /// The legend goes here, unless an earlier run has drawn it.
    fn legend(&mut self);
}

/// The layout pictures of one invocation, over all its runs: the legend,
/// drawn once, before the first picture of a buffer.
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

    /// When and how wide the pictures are drawn.
    pub(super) fn options(&self) -> LayoutOptions {
        self.options
    }

    /// Draws the legend where a run asked for it ([`Pictures::legend`]),
    /// if no run has before.
    pub(super) fn legend<W: Write>(&mut self, printer: &mut RoundPrinter<W>) {
        if !self.legend_printed {
            self.legend_printed = true;
            let mut legends = vec![layout::LEGEND];
            if self.options.mode == LayoutMode::Phases {
                legends.push(layout::PHASES_LEGEND);
            }
            for legend in legends {
                for line in wrap_legend(legend, self.options.width) {
                    printer.write_line(format_args!("{line}"));
                }
            }
        }
    }
}

/// The pictures of one run.
#[derive(Debug)]
pub(super) struct LayoutRun {
    options: LayoutOptions,
    strategy: StrategyKind,
    said_no_layout: bool,
    /// Whether this run has asked for the legend (the first run that draws
    /// a buffer gets it).
    asked_legend: bool,
    /// The current round's phase pictures, drawn with its round line.
    phases: Vec<(&'static str, BufferLayout)>,
}

impl LayoutRun {
    /// The pictures of one run of `strategy`, drawn wherever the run sends
    /// them.
    pub(super) fn new(options: LayoutOptions, strategy: StrategyKind) -> Self {
        Self {
            options,
            strategy,
            said_no_layout: false,
            asked_legend: false,
            phases: Vec::new(),
        }
    }

    /// Draws the buffers at `phase` of `round` if the round is drawn phase
    /// by phase; the lines wait for the round's line.
    pub(super) fn phase(&mut self, round: usize, phase: Phase, snapshot: &dyn Snapshot) {
        let options = self.options;
        if options.mode != LayoutMode::Phases || !options.draws(round) {
            return;
        }
        let label = phase.label(self.strategy.copies_back());
        for l in snapshot.layouts() {
            self.phases.push((label, l));
        }
    }

    /// Draws the round if it is one to draw; returns whether the round's
    /// line was written with the picture (else the caller writes it, if it
    /// writes round lines).
    pub(super) fn round(
        &mut self,
        out: &mut dyn Pictures,
        stats: &RoundStats,
        snapshot: &dyn Snapshot,
    ) -> bool {
        let options = self.options;
        if !options.draws(stats.round) {
            return false;
        }
        let layouts = snapshot.layouts();
        if layouts.is_empty() {
            if !self.said_no_layout {
                self.said_no_layout = true;
                out.line(format_args!(
                    "No layout for {}: it has no buffer, only the global heap.",
                    self.strategy.name()
                ));
            }
            return false;
        }
        let phases = options.mode == LayoutMode::Phases;
        if !self.asked_legend {
            self.asked_legend = true;
            out.legend();
        }
        out.line(format_args!("{}", RoundLine(stats)));
        if !phases {
            for l in &layouts {
                out.line(format_args!("{}", layout::line(l, options.width)));
            }
            return true;
        }
        // Round 0 has no phases: its end, unlabelled.
        let pictures: Vec<(&str, BufferLayout)> = if stats.round == 0 {
            layouts.into_iter().map(|l| ("", l)).collect()
        } else {
            std::mem::take(&mut self.phases)
        };
        let span = pictures.iter().map(|(_, l)| l.end_index).max().unwrap_or(0);
        for (label, l) in &pictures {
            // A bumpalo chunk is drawn whole: chunks differ in size.
            let span = if l.chunk.is_some() {
                l.capacity_bytes
            } else {
                span
            };
            out.line(format_args!(
                "{}",
                layout::labelled_line(label, l, options.width, span)
            ));
        }
        true
    }
}
