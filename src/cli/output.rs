//! # Where an output goes: standard output or a file
//!
//! Output files are created before the run starts, so a bad path fails at
//! once; a closed pipe on standard output (`| head`) is not an error.

use std::fs::File;
use std::io::{self, BufWriter, Stdout, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

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
