//! # Exporters: one data model, several formats
//!
//! Every output of a comparison is drawn from the same [`Comparison`]: the
//! text table ([`TableExporter`]), JSON ([`JsonExporter`]), CSV
//! ([`CsvExporter`]) and the SVG plot ([`SvgExporter`]). An [`Exporter`] only
//! formats (pure, deterministic: the same comparison gives the same bytes);
//! an [`Output`] sends the bytes to a file or to standard output. Output files
//! are created before the run starts, so a bad path fails at once.
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
#[cfg(feature = "cli")]
pub mod svg;
pub mod table;

use std::fs::File;
use std::io::{self, BufWriter, Stdout, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub use self::csv::CsvExporter;
pub use self::json::JsonExporter;
#[cfg(feature = "cli")]
pub use self::svg::SvgExporter;
pub use self::table::TableExporter;
use crate::report::Comparison;

/// The output's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// Round lines for one strategy, a summary table for several.
    Text,
    /// One JSON object: the input, then per strategy a summary and every round.
    Json,
    /// One row per strategy and round, with a fixed header.
    Csv,
}

impl Format {
    /// The name users type.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Json => "json",
            Self::Csv => "csv",
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

/// Where an output goes: standard output or a file created up front.
#[derive(Debug)]
pub enum Output {
    /// Standard output (`-`, or no `--output`).
    Stdout(BufWriter<Stdout>),
    /// A file, created (truncated) when the output was opened.
    File {
        /// The path, for messages.
        path: PathBuf,
        /// The file.
        file: BufWriter<File>,
    },
}

impl Output {
    /// Standard output.
    #[must_use]
    pub fn stdout() -> Self {
        Self::Stdout(BufWriter::new(io::stdout()))
    }

    /// Standard output for `None` or `-`, else the file at `path`, created now.
    ///
    /// # Errors
    ///
    /// The file cannot be created; the message names the path.
    pub fn create(path: Option<&Path>) -> Result<Self> {
        match path {
            None => Ok(Self::stdout()),
            Some(p) if p == Path::new("-") => Ok(Self::stdout()),
            Some(p) => {
                let file = File::create(p)
                    .with_context(|| format!("could not create '{}'", p.display()))?;
                Ok(Self::File {
                    path: p.to_owned(),
                    file: BufWriter::new(file),
                })
            }
        }
    }

    /// Whether this is standard output.
    #[must_use]
    pub fn is_stdout(&self) -> bool {
        matches!(self, Self::Stdout(_))
    }

    /// The output's name in messages.
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Self::Stdout(_) => "standard output".to_owned(),
            Self::File { path, .. } => format!("'{}'", path.display()),
        }
    }

    /// Writes all of `bytes` and flushes. A closed pipe on standard output
    /// (`| head`) is not an error.
    ///
    /// # Errors
    ///
    /// The write fails; the message names the output.
    pub fn write_all_and_flush(&mut self, bytes: &[u8]) -> Result<()> {
        let result = self.write_all(bytes).and_then(|()| self.flush());
        self.check(result)
    }

    /// Turns a write result into the error the user sees, forgiving a closed
    /// pipe on standard output.
    ///
    /// # Errors
    ///
    /// `result`'s error, naming the output.
    pub fn check(&self, result: io::Result<()>) -> Result<()> {
        match result {
            Err(e) if self.is_stdout() && e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(e).with_context(|| format!("could not write to {}", self.name())),
            Ok(()) => Ok(()),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Stdout(out) => out.write(buf),
            Self::File { file, .. } => file.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Self::Stdout(out) => out.write_all(buf),
            Self::File { file, .. } => file.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Stdout(out) => out.flush(),
            Self::File { file, .. } => file.flush(),
        }
    }
}
