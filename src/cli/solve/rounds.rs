//! # Round lines: the write-up's own output
//!
//! `Round i memuse: N` after every round, then `Part 1:` and `Part 2:`,
//! written as the rounds complete through a [`RoundPrinter`], which keeps the
//! first write error for the end of the run instead of stopping it.

use std::io::{self, Write};

use crate::report::{Answers, RoundStats};

/// Writes text lines as the rounds complete, and remembers a write error
/// (reported once the run is over).
pub(super) struct RoundPrinter<W: Write> {
    pub(super) out: W,
    error: Option<io::Error>,
}

impl<W: Write> RoundPrinter<W> {
    /// A printer to `out`.
    pub(super) fn new(out: W) -> Self {
        Self { out, error: None }
    }

    pub(super) fn write_line(&mut self, line: std::fmt::Arguments<'_>) {
        if self.error.is_none()
            && let Err(e) = writeln!(self.out, "{line}")
        {
            self.error = Some(e);
        }
    }

    pub(super) fn write_bytes(&mut self, bytes: &[u8]) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(bytes)
        {
            self.error = Some(e);
        }
    }

    /// The writer, to finish with.
    pub(super) fn into_inner(self) -> W {
        self.out
    }

    /// Flushes, and returns the first write error.
    pub(super) fn finish(&mut self) -> io::Result<()> {
        if self.error.is_none()
            && let Err(e) = self.out.flush()
        {
            self.error = Some(e);
        }
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// `Round <i> memuse: <N>`, then per buffer `(a 36880 + b 0)` when there are two;
/// under bumpalo, `(live <L>; main chunks 448 + 960)`: live bytes and each
/// buffer's chunks.
#[must_use]
pub fn round_line(stats: &RoundStats) -> String {
    RoundLine(stats).to_string()
}

/// [`round_line`] as `Display`, written piece by piece without allocating
/// (it is printed after every round): [`RoundLine::write_into`] puts the
/// pieces straight into a run's text, the numbers through `itoa`, about
/// half the time of `write!` and its `{}`s.
#[derive(Debug, Clone, Copy)]
pub struct RoundLine<'a>(pub &'a RoundStats);

impl RoundLine<'_> {
    /// Appends the line (without a newline) to `out`.
    pub fn write_into(&self, out: &mut Vec<u8>) {
        let Ok(()) = self.pieces(|piece| {
            out.extend_from_slice(piece.as_bytes());
            Ok::<(), std::convert::Infallible>(())
        });
    }

    /// Gives `put` the line's pieces, in order.
    fn pieces<E>(&self, mut put: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
        let stats = self.0;
        let mut number = itoa::Buffer::new();
        put("Round ")?;
        put(number.format(stats.round))?;
        put(" memuse: ")?;
        put(number.format(stats.bytes_in_use))?;
        if stats.buffers.iter().any(|b| b.chunks.is_some()) {
            // bumpalo: bytes taken from the heap, then what is live and
            // every buffer's chunks.
            put(" (live ")?;
            put(number.format(stats.live_bytes))?;
            for b in &stats.buffers {
                put("; ")?;
                put(b.name)?;
                put(" chunks")?;
                let chunks = b.chunks.as_deref().unwrap_or_default();
                if chunks.is_empty() {
                    put(" none")?;
                }
                for (i, &c) in chunks.iter().enumerate() {
                    put(if i == 0 { " " } else { " + " })?;
                    put(number.format(c))?;
                }
            }
            return put(")");
        }
        if stats.buffers.len() > 1 {
            for (i, b) in stats.buffers.iter().enumerate() {
                put(if i == 0 { " (" } else { " + " })?;
                put(b.name)?;
                put(" ")?;
                put(number.format(b.bytes_in_use))?;
            }
            put(")")?;
        }
        Ok(())
    }
}

impl std::fmt::Display for RoundLine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.pieces(|piece| f.write_str(piece))
    }
}

/// `Part 1: …` and `Part 2: …` for the answers known.
pub(super) fn answer_lines(answers: &Answers) -> String {
    let mut text = String::new();
    if let Some(part1) = answers.part1 {
        text += &format!("Part 1: {part1}\n");
    }
    if let Some(part2) = answers.part2 {
        text += &format!("Part 2: {part2}\n");
    }
    text
}
