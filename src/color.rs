//! # Colour: what a reader looks for
//!
//! Colour marks the `Error` of a message, a comparison's outcome column, and
//! `check`'s pass, fail and out-of-memory. Whether a stream gets colour is
//! the front end's decision ([`Colors`]); without colour every output is
//! plain text, byte for byte what it would be without this module: a style
//! renders as nothing at all.

use std::fmt::Display;

use anstyle::{AnsiColor, Style};

/// A run that finished, a check that passed.
pub const GOOD: Style = AnsiColor::Green.on_default();
/// A run stopped by `--max-rounds`.
pub const NOTE: Style = AnsiColor::Yellow.on_default();
/// Out of memory.
pub const OUT_OF_MEMORY: Style = AnsiColor::Magenta.on_default().bold();
/// An error, a wrong answer.
pub const BAD: Style = AnsiColor::Red.on_default().bold();

/// Whether standard output and standard error get colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Colors {
    /// Colour on standard output.
    pub stdout: bool,
    /// Colour on standard error.
    pub stderr: bool,
}

impl Colors {
    /// `Error`, in colour when standard error has it: the start of an error
    /// message.
    #[must_use]
    pub fn error_label(self) -> String {
        paint(self.stderr, BAD, "Error")
    }
}

/// `text` in `style` when `on`, else `text` alone.
#[must_use]
pub fn paint(on: bool, style: Style, text: impl Display) -> String {
    if on {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paint_without_colour_is_the_text_alone() {
        assert_eq!(paint(false, BAD, "Error"), "Error");
        assert_eq!(paint(true, GOOD, "pass"), "\u{1b}[32mpass\u{1b}[0m");
        assert_eq!(paint(true, Style::new(), "plain"), "plain");
    }
}
