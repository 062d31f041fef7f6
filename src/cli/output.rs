//! # Where an output goes: standard output or a file
//!
//! An output file is an [`OutFile`], created before the run starts, so a bad
//! path fails at once, and written over its target only when complete; a
//! pipe closed by its reader (`| head`) is not an error.

use std::io::{self, BufWriter, Stdout, Write};

use anyhow::{Context, Result};

use crate::cli::outfile::OutFile;

/// Where an output goes: standard output or a file created up front.
#[derive(Debug)]
pub enum Output {
    /// Standard output (`-`, or no `--output`).
    Stdout(BufWriter<Stdout>),
    /// A file, replaced by [`Output::commit`].
    File(OutFile),
}

impl Output {
    /// Standard output.
    #[must_use]
    pub fn stdout() -> Self {
        Self::Stdout(BufWriter::new(io::stdout()))
    }

    /// Whether this is standard output.
    #[must_use]
    pub fn is_stdout(&self) -> bool {
        matches!(self, Self::Stdout(_))
    }

    /// Writes all of `bytes` and flushes. A pipe closed by its reader
    /// (`| head`) is not an error.
    ///
    /// # Errors
    ///
    /// The write fails; the message names the output.
    pub fn write_all_and_flush(&mut self, bytes: &[u8]) -> Result<()> {
        let result = self.write_all(bytes).and_then(|()| self.flush());
        self.check(result)
    }

    /// Turns a write result into the error the user sees, forgiving a pipe
    /// closed by its reader, on standard output or any other pipe
    /// ([`OutFile::check`]).
    ///
    /// # Errors
    ///
    /// `result`'s error, naming the output.
    pub fn check(&self, result: io::Result<()>) -> Result<()> {
        match (self, result) {
            (Self::File(file), result) => file.check(result),
            (Self::Stdout(_), Err(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            (Self::Stdout(_), result) => result.context("could not write to standard output"),
        }
    }

    /// Flushes standard output, or writes the file over its target
    /// ([`OutFile::commit`]).
    ///
    /// # Errors
    ///
    /// As [`Output::check`] and [`OutFile::commit`] say.
    pub fn commit(self) -> Result<()> {
        match self {
            Self::Stdout(mut out) => {
                let flushed = out.flush();
                Self::Stdout(out).check(flushed)
            }
            Self::File(file) => file.commit(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Stdout(out) => out.write(buf),
            Self::File(file) => file.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Self::Stdout(out) => out.write_all(buf),
            Self::File(file) => file.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Stdout(out) => out.flush(),
            Self::File(file) => file.flush(),
        }
    }
}
