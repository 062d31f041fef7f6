//! # The live progress line on standard error
//!
//! A run that lasts more than about a second shows one line on standard error
//! with `indicatif`: the strategy, the round, how many elves moved and the
//! bytes in use, after what the strategies before it ended with. Nothing is
//! drawn when standard error is not a terminal, with `--quiet`, or when round
//! lines are being printed to the same terminal (they already show progress).

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::report::RoundStats;
use crate::units::{human_bytes, thousands};

/// How long a run goes before the line appears.
pub const SHOW_AFTER: Duration = Duration::from_secs(1);

/// How often the line's text is updated at most.
const UPDATE_EVERY: Duration = Duration::from_millis(50);

/// The progress line of one invocation, over all its strategies.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
    done: Vec<String>,
}

impl Progress {
    /// A progress line that appears after [`SHOW_AFTER`] when `enabled`, and
    /// never otherwise.
    #[must_use]
    pub fn new(enabled: bool) -> Self {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed:>3} {wide_msg}") {
                bar.set_style(style);
            }
            bar
        });
        Self {
            bar,
            start: Instant::now(),
            done: Vec::new(),
        }
    }

    /// Whether the line may be drawn at all (else the runs' figures are not
    /// needed).
    #[must_use]
    pub fn is_enabled(&self) -> bool {
        self.bar.is_some()
    }

    /// The part of the line for one strategy's run, fed its rounds in order.
    #[must_use]
    pub fn run(&self, strategy: String) -> RunProgress {
        let mut prefix = self.done.join(" | ");
        if !prefix.is_empty() {
            prefix.push_str(" | ");
        }
        RunProgress {
            bar: self.bar.clone(),
            start: self.start,
            shown: false,
            last: None,
            strategy,
            prefix,
        }
    }

    /// Records how a strategy's run ended (`leaky: out of memory in round 12`,
    /// `pingpong: done`).
    pub fn finish_run(&mut self, summary: String) {
        self.done.push(summary);
    }

    /// Removes the line (dropping the `Progress` does too, on every path).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// One strategy's part of the progress line.
#[derive(Debug)]
pub struct RunProgress {
    bar: Option<ProgressBar>,
    start: Instant,
    shown: bool,
    last: Option<Instant>,
    strategy: String,
    prefix: String,
}

impl RunProgress {
    /// Shows `stats` (at most every 50 ms, and only after [`SHOW_AFTER`]).
    pub fn round(&mut self, stats: &RoundStats) {
        let Some(bar) = &self.bar else {
            return;
        };
        let now = Instant::now();
        if now.duration_since(self.start) < SHOW_AFTER
            || self
                .last
                .is_some_and(|t| now.duration_since(t) < UPDATE_EVERY)
        {
            return;
        }
        self.last = Some(now);
        if !self.shown && bar.is_hidden() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        self.shown = true;
        bar.set_message(format!(
            "{}{} round {}: {} moved, {} in use",
            self.prefix,
            self.strategy,
            thousands(stats.round as u64),
            thousands(stats.elves_moved as u64),
            human_bytes(stats.bytes_in_use)
        ));
    }
}
