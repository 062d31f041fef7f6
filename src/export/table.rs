//! # The summary table: one row per strategy
//!
//! The text output of a comparison: a line naming the input and the buffer
//! size, an aligned table, the agreed answers and notes on what the columns
//! mean. Byte counts are exact, with thousands separators; sizes a person
//! reads at a glance also get a binary unit.

use std::fmt::Write as _;

use anyhow::Result;

use anstyle::Style;

use super::Exporter;
use crate::color;
use crate::report::{Comparison, Outcome, RunReport};
use crate::units::{count_grouped, human_bytes, thousands};

/// The text table.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableExporter;

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Numbers.
    Right,
}

/// A table of text cells with a two-line header, drawn with aligned columns.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Per column: the header's two lines and the alignment.
    pub columns: Vec<(&'static str, &'static str, Align)>,
    /// The rows; each has one cell per column.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The table as lines of text, columns two spaces apart, with a rule
    /// under the header. Trailing spaces are trimmed.
    #[must_use]
    pub fn render(&self) -> String {
        self.render_styled(&|_, _| Style::new())
    }

    /// [`Table::render`], with the text of the cell in row `r`, column `c` in
    /// `style(r, c)` (the padding stays plain, so columns still line up). A
    /// plain style adds nothing: `render` is this with plain styles.
    #[must_use]
    pub fn render_styled(&self, style: &dyn Fn(usize, usize) -> Style) -> String {
        let widths: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, (top, bottom, _))| {
                self.rows
                    .iter()
                    .filter_map(|row| row.get(i))
                    .map(|cell| cell.chars().count())
                    .chain([top.chars().count(), bottom.chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &mut dyn Iterator<Item = (&str, Align, Style)>| {
            let mut out = String::new();
            for (i, (cell, align, style)) in cells.enumerate() {
                let pad = widths[i].saturating_sub(cell.chars().count());
                if i > 0 {
                    out.push_str("  ");
                }
                let text = format!("{}{cell}{}", style.render(), style.render_reset());
                match align {
                    Align::Left => {
                        let _ = write!(out, "{text}{:pad$}", "");
                    }
                    Align::Right => {
                        let _ = write!(out, "{:pad$}{text}", "");
                    }
                }
            }
            out.trim_end().to_owned() + "\n"
        };
        let plain = Style::new();
        let mut out = String::new();
        if self.columns.iter().any(|(top, _, _)| !top.is_empty()) {
            out += &line(&mut self.columns.iter().map(|(t, _, a)| (*t, *a, plain)));
        }
        out += &line(&mut self.columns.iter().map(|(_, b, a)| (*b, *a, plain)));
        out += &line(
            &mut widths
                .iter()
                .map(|&w| "-".repeat(w))
                .collect::<Vec<_>>()
                .iter()
                .map(|s| (s.as_str(), Align::Left, plain)),
        );
        for (r, row) in self.rows.iter().enumerate() {
            out += &line(
                &mut row
                    .iter()
                    .zip(&self.columns)
                    .enumerate()
                    .map(|(c, (cell, (_, _, a)))| (cell.as_str(), *a, style(r, c))),
            );
        }
        out
    }
}

/// How a run ended, in a few words.
#[must_use]
pub fn outcome_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Finished { rounds } => format!("finished, {}", count_grouped(*rounds, "round")),
        Outcome::Stopped { rounds } => format!("stopped, {}", count_grouped(*rounds, "round")),
        Outcome::OutOfMemory { round, .. } => {
            format!("out of memory in round {}", thousands(*round as u64))
        }
    }
}

/// A byte count with thousands separators.
fn bytes(n: usize) -> String {
    thousands(n as u64)
}

/// Bytes per round: whole when whole, else one decimal.
fn growth(slope: Option<f64>) -> String {
    match slope {
        None => "-".to_owned(),
        Some(s) if s.fract() == 0.0 && s.abs() < 1e18 => {
            let whole = thousands(s.abs() as u64);
            if s < 0.0 { format!("-{whole}") } else { whole }
        }
        Some(s) => format!("{s:.1}"),
    }
}

fn row(run: &RunReport) -> Vec<String> {
    let s = &run.summary;
    let answer = |a: Option<String>| a.unwrap_or_else(|| "-".to_owned());
    let per_buffer = s
        .buffers
        .iter()
        .map(|b| format!("{} {}", b.name, bytes(b.peak_bytes)))
        .collect::<Vec<_>>()
        .join(", ");
    let needed = match (s.needed_buffer_size_bytes, run.outcome.is_out_of_memory()) {
        (None, _) => "-".to_owned(),
        (Some(n), false) => bytes(n),
        (Some(n), true) => format!("{} *", bytes(n)),
    };
    let empty = s.buffers.is_empty();
    let or_dash = |n: usize| if empty { "-".to_owned() } else { bytes(n) };
    vec![
        run.name.clone(),
        outcome_text(&run.outcome),
        answer(run.answers.part1.map(|p| p.to_string())),
        answer(run.answers.part2.map(|p| p.to_string())),
        if empty { "-".to_owned() } else { per_buffer },
        or_dash(s.peak_bytes),
        or_dash(s.end_bytes_in_use),
        or_dash(s.end_live_bytes),
        growth(s.growth_bytes_per_round),
        needed,
    ]
}

/// The table alone (no title, answers or notes).
#[must_use]
pub fn summary_table(comparison: &Comparison) -> Table {
    Table {
        columns: vec![
            ("", "strategy", Align::Left),
            ("", "outcome", Align::Left),
            ("", "part 1", Align::Right),
            ("", "part 2", Align::Right),
            ("peak bytes in use", "per buffer", Align::Left),
            ("peak", "total", Align::Right),
            ("bytes in use", "at end", Align::Right),
            ("live bytes", "at end", Align::Right),
            ("growth", "B/round", Align::Right),
            ("buffer size", "needed", Align::Right),
        ],
        rows: comparison.strategies.iter().map(row).collect(),
    }
}

/// `4,000 bytes`, with the binary unit when it reads better (`4,194,304 bytes (4 MiB)`).
fn size(n: usize) -> String {
    if n >= 1024 {
        format!("{} ({})", count_grouped(n, "byte"), human_bytes(n))
    } else {
        count_grouped(n, "byte")
    }
}

/// The column of [`summary_table`] that says how each run ended.
const OUTCOME_COLUMN: usize = 1;

/// The colour of an outcome: finished green, stopped yellow, out of memory
/// bold magenta.
fn outcome_style(outcome: &Outcome) -> Style {
    match outcome {
        Outcome::Finished { .. } => color::GOOD,
        Outcome::Stopped { .. } => color::NOTE,
        Outcome::OutOfMemory { .. } => color::OUT_OF_MEMORY,
    }
}

impl Exporter for TableExporter {
    fn serialize(&self, c: &Comparison) -> Result<Vec<u8>> {
        Ok(self.render(c, false).into_bytes())
    }
}

impl TableExporter {
    /// The text output of `c`; with `colored`, the outcome column in colour
    /// (for a terminal). Without, the bytes of [`Exporter::serialize`].
    #[must_use]
    pub fn render(&self, c: &Comparison, colored: bool) -> String {
        let style = |r: usize, col: usize| match c.strategies.get(r) {
            Some(run) if colored && col == OUTCOME_COLUMN => outcome_style(&run.outcome),
            _ => Style::new(),
        };
        let mut out = format!(
            "{}: {} elves; each buffer {}\n\n",
            c.input,
            thousands(c.elves as u64),
            size(c.buffer_size_bytes)
        );
        out += &summary_table(c).render_styled(&style);
        out.push('\n');
        if let Ok(answers) = c.agreed_answers() {
            if let Some(p1) = answers.part1 {
                let _ = writeln!(out, "Part 1: {p1}");
            }
            if let Some(p2) = answers.part2 {
                let _ = writeln!(out, "Part 2: {p2}");
            }
            if answers.part1.is_some() || answers.part2.is_some() {
                out.push('\n');
            }
        }
        out += "Bytes in use: each buffer's end_index (live bytes for the heap). Peaks include\n\
                round 0's copy of the input. Buffer size needed: the smallest --buffer-size\n\
                that completes the rounds played.\n";
        for run in &c.strategies {
            let Outcome::OutOfMemory { round, .. } = run.outcome else {
                continue;
            };
            let _ = match (
                run.summary.needed_buffer_size_bytes,
                run.summary.needed_for_rounds,
            ) {
                (Some(n), Some(rounds)) => writeln!(
                    out,
                    "* {} ran out of memory in round {}. Predicted from its growth per round:\n  \
                     --buffer-size {n} ({}) lasts the {} the others played.",
                    run.name,
                    thousands(round as u64),
                    human_bytes(n),
                    count_grouped(rounds, "round")
                ),
                _ => writeln!(
                    out,
                    "* {} ran out of memory in round {}; its buffer size cannot be predicted\n  \
                     (that needs two completed rounds that grew by the same bytes, and another\n  \
                     strategy that did not run out).",
                    run.name,
                    thousands(round as u64)
                ),
            };
        }
        out += &chunk_notes(c);
        out
    }
}

/// Under `--allocator bumpalo`: what bytes in use means there, and every
/// bumpalo run's chunks after its last round (empty otherwise).
fn chunk_notes(c: &Comparison) -> String {
    let mut out = String::new();
    for run in &c.strategies {
        let Some(last) = run.rounds.last() else {
            continue;
        };
        let buffers: Vec<String> = last
            .buffers
            .iter()
            .filter_map(|b| {
                let chunks = b.chunks.as_ref()?;
                let sizes: Vec<String> = chunks.iter().map(|&n| thousands(n as u64)).collect();
                let sizes = if sizes.is_empty() {
                    "none".to_owned()
                } else {
                    sizes.join(" + ")
                };
                Some(format!("{} {sizes}", b.name))
            })
            .collect();
        if buffers.is_empty() {
            continue;
        }
        if out.is_empty() {
            out += "bumpalo: bytes in use are the chunks taken from the heap (allocated_bytes),\n\
                    capped at the buffer size. Buffer size needed is then enough (the same chunks\n\
                    fit), not always the least: under a tighter cap bumpalo halves the chunks it\n\
                    asks for. Each run's chunks after its last round, oldest first:\n";
        }
        let _ = writeln!(out, "  {}: {}", run.name, buffers.join("; "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_read_as_words() {
        assert_eq!(
            outcome_text(&Outcome::Stopped { rounds: 1 }),
            "stopped, 1 round"
        );
        assert_eq!(
            outcome_text(&Outcome::Finished { rounds: 2637 }),
            "finished, 2,637 rounds"
        );
        assert_eq!(growth(Some(36_880.0)), "36,880");
        assert_eq!(growth(Some(-3.0)), "-3");
        assert_eq!(growth(Some(1.25)), "1.2");
        assert_eq!(growth(None), "-");
    }

    #[test]
    fn styles_colour_the_text_and_keep_the_columns() {
        let table = Table {
            columns: vec![("", "name", Align::Left), ("", "outcome", Align::Left)],
            rows: vec![vec!["leaky".to_owned(), "oom".to_owned()]],
        };
        let red = anstyle::AnsiColor::Red.on_default();
        let styled = table.render_styled(&|_, c| if c == 1 { red } else { Style::new() });
        assert_eq!(
            styled,
            "name   outcome\n\
             -----  -------\n\
             leaky  \u{1b}[31moom\u{1b}[0m\n"
        );
        assert_eq!(table.render_styled(&|_, _| Style::new()), table.render());
    }

    #[test]
    fn table_aligns_columns_and_trims_trailing_space() {
        let table = Table {
            columns: vec![("", "name", Align::Left), ("bytes", "total", Align::Right)],
            rows: vec![
                vec!["leaky".to_owned(), "4,172,416".to_owned()],
                vec!["heap".to_owned(), "304".to_owned()],
            ],
        };
        assert_eq!(
            table.render(),
            "           bytes\n\
             name       total\n\
             -----  ---------\n\
             leaky  4,172,416\n\
             heap         304\n"
        );
    }
}
