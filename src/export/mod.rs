//! # Exporters: one data model, several formats
//!
//! Every output of a comparison is drawn from the same [`Comparison`]: the
//! text table ([`TableExporter`]), JSON ([`JsonExporter`]) and CSV
//! ([`CsvExporter`]), and natively the SVG plot (`day23::cli::plot`). An
//! [`Exporter`] only formats (pure, deterministic: the same comparison gives
//! the same bytes); where the bytes go is the front end's business.
//!
//! The layout pictures ([`layout`]) are drawn round by round while a run goes
//! on, from the allocator's block list, which the comparison does not keep;
//! the HTML report ([`html`]) takes the comparison together with the elves'
//! moves and the layouts its sink recorded.

pub mod csv;
pub mod html;
pub mod json;
pub mod layout;
pub mod palette;
pub mod table;

use anyhow::Result;

use self::csv::CsvExporter;
use self::json::JsonExporter;
use self::table::TableExporter;
use crate::report::Comparison;

/// The output's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Round lines for one strategy, a summary table for several.
    Text,
    /// One JSON object: the input, then per strategy a summary and every round.
    Json,
    /// One row per strategy and round, with a fixed header.
    Csv,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Self; 3] = [Self::Text, Self::Json, Self::Csv];

    /// The name users type.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Json => "json",
            Self::Csv => "csv",
        }
    }

    /// One line on what it is, for `--help`.
    #[must_use]
    pub const fn summary(self) -> &'static str {
        match self {
            Self::Text => "Round lines for one strategy, a summary table for several",
            Self::Json => "One JSON object: the input, then per strategy a summary and every round",
            Self::Csv => "One row per strategy and round, with a fixed header",
        }
    }
}

/// Turns a comparison into the bytes of one format.
pub trait Exporter {
    /// The comparison in this format.
    ///
    /// # Errors
    ///
    /// The format cannot represent it (e.g. a serializer error).
    fn serialize(&self, comparison: &Comparison) -> Result<Vec<u8>>;
}

/// The exporter for `--format`.
#[must_use]
pub fn exporter(format: Format) -> Box<dyn Exporter> {
    match format {
        Format::Text => Box::new(TableExporter),
        Format::Json => Box::new(JsonExporter),
        Format::Csv => Box::new(CsvExporter),
    }
}
