//! # Output files: the old file or the new one, never a part
//!
//! Every file `day23` writes (`--output`, `--trace`, `--plot`, `--report`,
//! `check --junit`, `generate --output`) is an [`OutFile`]. It is written to
//! a temporary file beside its target, named `.NAME.day23-XXXXXX.tmp`,
//! created before any work starts (so a directory that cannot be written
//! fails at once), and [`OutFile::commit`] renames it over the target only
//! once the content is complete and on disk. Dropped instead (bad input, an
//! I/O error, no result to write), it is removed and the target stays as
//! it was; an interrupted process removes it too
//! ([`crate::cli::interrupt`]). So a reader of the target, another process
//! writing it at the same time included, sees the old file or the new one.
//!
//! A replaced file keeps its mode (and, where the process may set it, its
//! owner); a new one gets the usual mode, 0666 less the umask. A symbolic
//! link is followed: the file it names is replaced and the link stays.
//! Devices and pipes (`/dev/null`, a named pipe) cannot be replaced, nor
//! can the names of a file the process already has open (`/dev/stdout`,
//! `/dev/fd/N`, anything in `/proc`): these are written in place, appended
//! to, so that `-o /dev/stdout >> log` adds to the log as the shell's `>>`
//! asked.
//!
//! A bare `-` is standard output, written as it goes: nothing to replace.
//! So is [`OutFile::stdout`], where no output flag is given.
//!
//! An output that is a pipe (standard output, `-`, `/dev/stdout`, a named
//! pipe) may be closed by its reader (`| head -1`): as for standard output,
//! that is the reader's choice, not an error ([`OutFile::check`]).
//!
//! Before any file is created, [`Planned`] outputs are checked: an output
//! that is an input (the same file, however named: a hard link, a symbolic
//! link, or the file standard input reads) is refused, and so are two
//! outputs that are one file, or both standard output.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, BufWriter, Stdout, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use tempfile::TempPath;

use crate::cli::interrupt;

/// A regular file's identity, whatever path names it: its device and inode
/// on unix; its volume and file index elsewhere (`same-file`).
#[derive(Debug, PartialEq, Eq)]
pub struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] same_file::Handle);

impl FileId {
    /// The regular file at `path` (links followed), if there is one.
    #[must_use]
    pub fn of(path: &Path) -> Option<Self> {
        let meta = fs::metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Self((meta.dev(), meta.ino())))
        }
        #[cfg(not(unix))]
        {
            same_file::Handle::from_path(path).ok().map(Self)
        }
    }

    /// The regular file standard input reads, if it reads one (not a pipe
    /// or a terminal).
    #[must_use]
    pub fn stdin() -> Option<Self> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            use std::os::unix::fs::MetadataExt;
            let file = File::from(io::stdin().as_fd().try_clone_to_owned().ok()?);
            let meta = file.metadata().ok()?;
            meta.is_file().then(|| Self((meta.dev(), meta.ino())))
        }
        #[cfg(not(unix))]
        {
            let handle = same_file::Handle::stdin().ok()?;
            let is_file = handle.as_file().metadata().ok()?.is_file();
            is_file.then_some(Self(handle))
        }
    }
}

/// A file an output must never be: something the command reads.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// Whatever standard input reads (`--input -`).
    Stdin,
    /// A file.
    File(&'a Path),
}

impl Source<'_> {
    fn id(self) -> Option<FileId> {
        match self {
            Self::Stdin => FileId::stdin(),
            Self::File(path) => FileId::of(path),
        }
    }
}

/// Where an output's bytes go.
#[derive(Debug)]
enum Place {
    /// A regular file, or none yet: written beside `target` and renamed
    /// over it. `target` is the file itself, links followed, in its
    /// directory's canonical path.
    Replace { target: PathBuf },
    /// A device, a pipe, or the name of an open file (`/dev/stdout`):
    /// opened and written in place, at its end.
    Append,
    /// `-`: standard output.
    Stdout,
}

/// Whether `path` is a bare `-`, which stands for standard output as an
/// output and for standard input as an input.
#[must_use]
pub fn is_dash(path: &Path) -> bool {
    path == Path::new("-")
}

/// An output file asked for, checked but not yet created.
#[derive(Debug)]
pub struct Planned {
    /// The flag that asked for it, for messages.
    pub flag: &'static str,
    /// The path as given, for messages.
    pub path: PathBuf,
    place: Place,
    /// The regular file there now, if any.
    id: Option<FileId>,
}

impl Planned {
    /// Finds where `path` (given with `flag`) goes, creating nothing.
    ///
    /// # Errors
    ///
    /// The path is a directory, or in a directory that does not exist or is
    /// not one; the message names the path.
    pub fn new(flag: &'static str, path: &Path) -> Result<Self> {
        if is_dash(path) {
            return Ok(Self {
                flag,
                path: path.to_owned(),
                id: None,
                place: Place::Stdout,
            });
        }
        let place =
            place(path).with_context(|| format!("could not create '{}'", path.display()))?;
        Ok(Self {
            flag,
            path: path.to_owned(),
            id: FileId::of(path),
            place,
        })
    }

    /// Whether this is standard output (`-`).
    #[must_use]
    pub fn is_stdout(&self) -> bool {
        matches!(self.place, Place::Stdout)
    }

    /// Whether `self` and `other` are one file: the same regular file now,
    /// or the same path once links are followed, or both standard output.
    fn is_same_file(&self, other: &Self) -> bool {
        let same_target = match (&self.place, &other.place) {
            (Place::Replace { target: a }, Place::Replace { target: b }) => a == b,
            (Place::Stdout, Place::Stdout) => true,
            _ => false,
        };
        same_target || self.id.is_some() && self.id == other.id
    }

    /// Creates the temporary file (or opens a device in place). The target
    /// is not touched until [`OutFile::commit`].
    ///
    /// # Errors
    ///
    /// The file cannot be created; the message names the path.
    pub fn create(&self) -> Result<OutFile> {
        let sink = match &self.place {
            Place::Stdout => Ok(Sink::Stdout(BufWriter::new(io::stdout()))),
            Place::Append => fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(&self.path)
                .map(|file| Sink::InPlace(BufWriter::new(file))),
            Place::Replace { target } => Temp::create(target).map(|(file, temp)| Sink::Replace {
                file: BufWriter::new(file),
                temp,
                target: target.clone(),
            }),
        }
        .with_context(|| format!("could not create '{}'", self.path.display()))?;
        Ok(OutFile {
            path: self.path.clone(),
            sink,
        })
    }
}

/// Two of `outputs` that are one file, if any: the first such pair.
#[must_use]
pub fn same_file_twice(outputs: &[Planned]) -> Option<(&Planned, &Planned)> {
    outputs.iter().enumerate().find_map(|(i, a)| {
        outputs[i + 1..]
            .iter()
            .find(|b| a.is_same_file(b))
            .map(|b| (a, b))
    })
}

/// The usage error for two outputs that are one file, naming both flags.
#[must_use]
pub fn same_file_message(a: &Planned, b: &Planned) -> String {
    if a.is_stdout() && b.is_stdout() {
        return both_on_stdout_message(&format!("{} -", a.flag), &format!("{} -", b.flag));
    }
    format!(
        "day23: {} '{}' and {} '{}' are the same file, and one would replace the other;\n\
         give each output a path of its own.",
        a.flag,
        a.path.display(),
        b.flag,
        b.path.display()
    )
}

/// The usage error for two outputs, `a` and `b` as the user named them,
/// that both go to standard output.
#[must_use]
pub fn both_on_stdout_message(a: &str, b: &str) -> String {
    format!(
        "day23: {a} and {b} would both write to standard output, mixing their bytes;\n\
         give all but one of them a path of its own ('-' is standard output)."
    )
}

/// Fails when an output is one of `sources`, each described as `what`
/// ("the input", "the manifest"): writing it would replace what the
/// command reads.
///
/// # Errors
///
/// The first output that is a source, naming its flag and the source.
pub fn refuse_sources(outputs: &[Planned], sources: &[(String, Source<'_>)]) -> Result<()> {
    if outputs.iter().all(|o| o.id.is_none()) {
        return Ok(());
    }
    for (what, source) in sources {
        let Some(id) = source.id() else { continue };
        if let Some(out) = outputs.iter().find(|o| o.id.as_ref() == Some(&id)) {
            bail!(
                "could not create '{}' for {}: it is {what}, which it would erase; choose another path",
                out.path.display(),
                out.flag
            );
        }
    }
    Ok(())
}

/// The links a path may go through before it is refused, as the system
/// refuses more (`ELOOP`).
const MAX_LINKS: usize = 40;

/// Where `path`'s bytes go: links followed, as opening it would follow them.
fn place(path: &Path) -> io::Result<Place> {
    let mut at = path.to_owned();
    for _ in 0..MAX_LINKS {
        if names_an_open_file(&at) {
            return Ok(Place::Append);
        }
        let meta = match fs::symlink_metadata(&at) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return beside(&at),
            Err(e) => return Err(e),
        };
        let kind = meta.file_type();
        if kind.is_symlink() {
            let link = fs::read_link(&at)?;
            // A relative link is relative to the link's directory; `join`
            // keeps an absolute one as it is.
            at = match at.parent() {
                Some(dir) => dir.join(link),
                None => link,
            };
        } else if kind.is_dir() {
            // The system's own words ("Is a directory"), from an open that
            // cannot change anything.
            let refused = fs::OpenOptions::new().write(true).open(&at).err();
            return Err(refused.unwrap_or_else(|| io::ErrorKind::IsADirectory.into()));
        } else if kind.is_file() {
            return beside(&at);
        } else {
            return Ok(Place::Append);
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// A regular file at `path` (links already followed), or none yet.
fn beside(path: &Path) -> io::Result<Place> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let dir = fs::canonicalize(dir)?;
    if names_an_open_file(&dir) {
        return Ok(Place::Append);
    }
    let name = path.file_name().ok_or(io::ErrorKind::IsADirectory)?;
    Ok(Place::Replace {
        target: dir.join(name),
    })
}

/// Whether `path` stands for a file the process has open (`/dev/stdout`,
/// `/dev/fd/1`, `/proc/self/fd/1`), which may be a regular file that the
/// shell opened to append to: replacing it would lose what it holds. Nothing
/// in `/proc` can be replaced anyway.
fn names_an_open_file(path: &Path) -> bool {
    cfg!(unix)
        && (path.starts_with("/proc")
            || path.starts_with("/dev/fd")
            || ["/dev/stdin", "/dev/stdout", "/dev/stderr"]
                .iter()
                .any(|alias| path == Path::new(alias)))
}

/// An output file, created before the work and written as it goes.
#[derive(Debug)]
pub struct OutFile {
    /// The path as given, for messages.
    path: PathBuf,
    sink: Sink,
}

#[derive(Debug)]
enum Sink {
    /// The temporary file beside `target`.
    Replace {
        file: BufWriter<File>,
        temp: Temp,
        target: PathBuf,
    },
    /// A device or a pipe.
    InPlace(BufWriter<File>),
    /// Standard output (`-`).
    Stdout(BufWriter<Stdout>),
}

impl OutFile {
    /// Standard output, as `-` names it.
    #[must_use]
    pub fn stdout() -> Self {
        Self {
            path: PathBuf::from("-"),
            sink: Sink::Stdout(BufWriter::new(io::stdout())),
        }
    }

    /// The path as given.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this is standard output (`-`).
    #[must_use]
    pub fn is_stdout(&self) -> bool {
        matches!(self.sink, Sink::Stdout(_))
    }

    /// Writes all of `bytes` and flushes; a closed pipe is not an error
    /// ([`OutFile::check`]).
    ///
    /// # Errors
    ///
    /// The write fails; the message names the path.
    pub fn write_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        let result = self.write_all(bytes).and_then(|()| self.flush());
        self.check(result)
    }

    /// Turns a write result into the error the user sees: a pipe closed by
    /// its reader (`| head -1`) is forgiven, as on standard output (only a
    /// pipe or a socket reports it), and the bytes after it are lost; any
    /// other error names the path.
    ///
    /// # Errors
    ///
    /// `result`'s error, unless it is a closed pipe.
    pub fn check(&self, result: io::Result<()>) -> Result<()> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(e).with_context(|| self.write_failed()),
            Ok(()) => Ok(()),
        }
    }

    /// `could not write 'PATH'`, or `could not write to standard output`.
    fn write_failed(&self) -> String {
        if self.is_stdout() {
            "could not write to standard output".to_owned()
        } else {
            format!("could not write '{}'", self.path.display())
        }
    }

    /// Writes what is left, puts it on disk and renames it over the target
    /// (for a device or a pipe: flushes it).
    ///
    /// # Errors
    ///
    /// A write, the sync or the rename fails; the temporary file is removed
    /// and the target left as it was. The message names the path. A closed
    /// pipe is not an error ([`OutFile::check`]).
    pub fn commit(mut self) -> Result<()> {
        let result = match &mut self.sink {
            Sink::InPlace(file) => file.flush(),
            Sink::Stdout(out) => out.flush(),
            Sink::Replace { .. } => Ok(()),
        };
        self.check(result)?;
        let failed = self.write_failed();
        let result = match self.sink {
            Sink::InPlace(_) | Sink::Stdout(_) => Ok(()),
            Sink::Replace { file, temp, target } => file
                .into_inner()
                .map_err(io::IntoInnerError::into_error)
                // On disk before the rename, so that even a crash of the
                // system leaves the old file or the whole new one.
                .and_then(|file| file.sync_data())
                .and_then(|()| temp.persist(&target)),
        };
        result.context(failed)
    }
}

impl Write for OutFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Replace { file, .. } | Sink::InPlace(file) => file.write(buf),
            Sink::Stdout(out) => out.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Replace { file, .. } | Sink::InPlace(file) => file.write_all(buf),
            Sink::Stdout(out) => out.write_all(buf),
        }
    }

    /// Flushes the buffer into the temporary file: the target changes only
    /// at [`OutFile::commit`].
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Replace { file, .. } | Sink::InPlace(file) => file.flush(),
            Sink::Stdout(out) => out.flush(),
        }
    }
}

/// A temporary file on the interrupt handler's list: removed when dropped,
/// or renamed over its target by [`Temp::persist`], in both cases under the
/// list's lock.
#[derive(Debug)]
struct Temp(Option<TempPath>);

impl Temp {
    /// Creates `.NAME.day23-XXXXXX.tmp` beside `target`, with the mode (and
    /// owner) the target has, or 0666 less the umask for a new file.
    fn create(target: &Path) -> io::Result<(File, Self)> {
        let dir = target.parent().unwrap_or(Path::new("."));
        let name = target.file_name().unwrap_or_default();
        let prefix = temp_prefix(name);
        let old = fs::metadata(target).ok().filter(fs::Metadata::is_file);
        interrupt::watch();
        let mut unfinished = interrupt::unfinished();
        let named = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".tmp")
            .rand_bytes(6)
            .make_in(dir, |path| {
                let mut options = fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o666);
                options.open(path)
            })?;
        let (file, path) = named.into_parts();
        unfinished.push(path.to_path_buf());
        drop(unfinished);
        let temp = Self(Some(path));
        if let Some(old) = old {
            keep_mode(&file, &old)?;
        }
        Ok((file, temp))
    }

    /// Renames the file over `target`.
    fn persist(mut self, target: &Path) -> io::Result<()> {
        let mut unfinished = interrupt::unfinished();
        let Some(path) = self.0.take() else {
            return Ok(());
        };
        let own = path.to_path_buf();
        let result = path.persist(target).map_err(|e| e.error);
        // Renamed, or removed by the error's `TempPath` as it dropped.
        unfinished.retain(|p| *p != own);
        result
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let mut unfinished = interrupt::unfinished();
            let own = path.to_path_buf();
            drop(path);
            unfinished.retain(|p| *p != own);
        }
    }
}

/// `.NAME.day23-`: the temporary file's name is recognisably the target's
/// and day23's. A long name is cut, so that the temporary one stays within
/// the usual 255 bytes.
fn temp_prefix(name: &std::ffi::OsStr) -> OsString {
    let name = name.to_string_lossy();
    let mut cut = name.len().min(200);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    OsString::from(format!(".{}.day23-", &name[..cut]))
}

/// Gives the new file the old one's mode, and its owner and group where the
/// process may (root may; others keep their own, silently).
fn keep_mode(file: &File, old: &fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let new = file.metadata()?;
        if (new.uid(), new.gid()) != (old.uid(), old.gid()) {
            // Before the mode: changing the owner may clear set-id bits.
            let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
        }
        file.set_permissions(old.permissions())
    }
    #[cfg(not(unix))]
    {
        // Windows' one permission is read-only, and a read-only target
        // cannot be replaced at all: nothing to keep.
        let _ = (file, old);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_name_is_cut_at_a_character_boundary() {
        let long = "é".repeat(150);
        let prefix = temp_prefix(std::ffi::OsStr::new(&long));
        let prefix = prefix.to_str().unwrap();
        assert!(
            prefix.len() <= 1 + 200 + ".day23-".len(),
            "{}",
            prefix.len()
        );
        assert!(prefix.starts_with(".éé") && prefix.ends_with("é.day23-"));
        assert_eq!(
            temp_prefix(std::ffi::OsStr::new("r.html")),
            OsString::from(".r.html.day23-")
        );
    }

    #[test]
    #[cfg(unix)]
    #[cfg_attr(
        miri,
        ignore = "looks at /dev and /proc, which Miri's isolation refuses"
    )]
    fn devices_and_open_files_are_written_in_place() {
        for path in ["/dev/null", "/dev/stdout", "/proc/self/fd/1", "/dev/fd/2"] {
            assert!(
                matches!(place(Path::new(path)), Ok(Place::Append)),
                "{path}"
            );
        }
        for path in ["/devices/x", "/dev/shm/x", "/dev/stdout.txt", "/tmp/x"] {
            assert!(!names_an_open_file(Path::new(path)), "{path}");
        }
    }
}
