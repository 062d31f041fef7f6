//! # Reading the input
//!
//! The input is read whole, at most [`MAX_INPUT_BYTES`], and checked as it
//! arrives: an endless stream of garbage (`/dev/zero`, a pipe) fails at its
//! first byte that no valid input has, with the parser's own message.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use anyhow::{Context, Result, bail};

/// The largest input read, so that `/dev/zero` or an endless pipe ends with a
/// clear error.
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// The name of the input in messages.
pub fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    }
}

/// Reads the whole input, at most [`MAX_INPUT_BYTES`].
///
/// The bytes are checked as they arrive, so an endless stream of garbage
/// (`/dev/zero`, a pipe) fails at its first byte that no valid input has,
/// with the parser's message, instead of after [`MAX_INPUT_BYTES`].
///
/// # Errors
///
/// A missing or unreadable file, a directory, too large an input, or a byte
/// that makes the input invalid (reported as the parser reports it).
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    let name = display_name(path);
    let bytes = if path == Path::new("-") {
        read_checked(stdin()?, &name, None)?
    } else {
        let file = File::open(path).with_context(|| format!("could not open '{name}'"))?;
        let meta = file
            .metadata()
            .with_context(|| format!("could not read '{name}'"))?;
        if meta.is_dir() {
            bail!(
                "could not read '{name}': it is a directory, expected a file of '.' and '#' lines"
            );
        }
        read_checked(file, &name, Some(meta.len()))?
    };
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        bail!(
            "could not read '{name}': larger than {} bytes, the most this tool reads",
            MAX_INPUT_BYTES
        );
    }
    Ok(bytes)
}

/// Standard input, to read. On Unix it is read as a file, so that a
/// descriptor open for writing only is the error it is: std's `Stdin` takes
/// `EBADF` for the end of input, which made it "the input is empty".
fn stdin() -> Result<impl Read> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = io::stdin()
            .as_fd()
            .try_clone_to_owned()
            .context("could not read '<stdin>': it is closed")?;
        Ok(File::from(fd))
    }
    #[cfg(not(unix))]
    Ok(io::stdin().lock())
}

/// The most bytes one `read` call asks for.
const READ_CHUNK: usize = 64 << 10;

/// The bytes one `read` call asks for: [`READ_CHUNK`], or one more than a
/// regular file's length when that is smaller (so its second read sees the
/// end), since a small input should not pay for zeroing a 64 KiB buffer.
/// A length of 0 says nothing (`/proc` files, devices): the full chunk.
fn chunk_len(size_hint: Option<u64>) -> usize {
    match size_hint {
        Some(len) if len > 0 => {
            usize::try_from(len).map_or(READ_CHUNK, |len| len.saturating_add(1).min(READ_CHUNK))
        }
        _ => READ_CHUNK,
    }
}

/// Reads at most `MAX_INPUT_BYTES + 1` bytes of `reader`, one `read` call at a
/// time, and stops at the first byte that no valid input has (anything but
/// `.`, `#`, `\n` and `\r` after an optional byte order mark) as soon as the
/// character it starts has arrived, without waiting for the end of input.
/// `size_hint` is the input's length if known ([`chunk_len`]).
fn read_checked(mut reader: impl Read, name: &str, size_hint: Option<u64>) -> Result<Vec<u8>> {
    let limit = usize::try_from(MAX_INPUT_BYTES + 1).unwrap_or(usize::MAX);
    let chunk_len = chunk_len(size_hint);
    let mut chunk = vec![0u8; chunk_len];
    let mut bytes = Vec::with_capacity(chunk_len);
    let mut checked = 0;
    let mut bad = None;
    loop {
        let want = chunk_len.min(limit - bytes.len());
        if want == 0 || bad.is_some_and(|at| bytes.len() >= at + utf8_len(bytes[at])) {
            break;
        }
        match reader.read(&mut chunk[..want]) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("could not read '{name}'")),
        }
        if bad.is_none() {
            bad = first_invalid_byte(&bytes, &mut checked);
        }
    }
    if let Some(at) = bad {
        let prefix = &bytes[..bytes.len().min(at + utf8_len(bytes[at]))];
        // The parser reports the first invalid byte, which lies in `prefix`
        // together with everything before it, so this is the whole input's error.
        let error = match crate::grid::parse(prefix) {
            Err(e) => anyhow::Error::new(e),
            Ok(_) => anyhow::anyhow!("unexpected byte {:#04x} at offset {at}", bytes[at]),
        };
        return Err(error.context(format!("invalid input '{name}'")));
    }
    Ok(bytes)
}

/// The length of the UTF-8 sequence that `lead` starts (1 for a byte that
/// cannot start one).
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 1,
    }
}

/// The offset of the first byte of `bytes` that no valid input has, looking
/// from `checked` on, which it advances. `None` while `bytes` may still turn
/// out to begin with a byte order mark.
fn first_invalid_byte(bytes: &[u8], checked: &mut usize) -> Option<usize> {
    use crate::grid::parse::{BOM, is_input_byte};
    if *checked == 0 {
        if BOM.starts_with(bytes) {
            return None;
        }
        if bytes.starts_with(BOM) {
            *checked = BOM.len();
        }
    }
    match bytes[*checked..].iter().position(|&b| !is_input_byte(b)) {
        Some(i) => Some(*checked + i),
        None => {
            *checked = bytes.len();
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Hands out `bytes` in reads of the given sizes, in turn, with an
    /// `Interrupted` error before each, as a slow pipe might.
    struct Trickle<'a> {
        bytes: &'a [u8],
        sizes: Vec<usize>,
        reads: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.reads += 1;
            if self.reads % 2 == 1 {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let want = self.sizes[(self.reads / 2) % self.sizes.len()];
            let n = want.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    #[test]
    fn chunk_len_is_one_more_than_a_small_files_length() {
        assert_eq!(chunk_len(Some(56)), 57);
        assert_eq!(chunk_len(Some(READ_CHUNK as u64 - 1)), READ_CHUNK);
        assert_eq!(chunk_len(Some(1 << 30)), READ_CHUNK);
        assert_eq!(chunk_len(Some(0)), READ_CHUNK);
        assert_eq!(chunk_len(None), READ_CHUNK);
    }

    fn byte() -> impl proptest::strategy::Strategy<Value = u8> {
        prop_oneof![
            4 => prop::sample::select(b".#\n\r".to_vec()),
            1 => any::<u8>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: if cfg!(miri) { 8 } else { 512 },
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// However the bytes arrive, `read_checked` either returns them all
        /// (when every byte after an optional byte order mark is `.`, `#`,
        /// `\n` or `\r`, leaving the rest to the parser), or stops with the
        /// parser's own error for the whole input.
        #[test]
        fn read_checked_stops_with_the_parsers_error(
            bom in any::<bool>(),
            body in prop::collection::vec(byte(), 0..48),
            sizes in prop::collection::vec(1usize..6, 1..4),
            size_hint in prop::option::of(0u64..64),
        ) {
            let mut input = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
            input.extend_from_slice(&body);
            let reader = Trickle { bytes: &input, sizes, reads: 0 };
            let rest = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&input);
            let clean = rest.iter().all(|b| b".#\n\r".contains(b))
                || b"\xEF\xBB\xBF".starts_with(&input);
            match read_checked(reader, "x", size_hint) {
                Ok(bytes) => {
                    prop_assert!(clean);
                    prop_assert_eq!(bytes, input);
                }
                Err(e) => {
                    prop_assert!(!clean);
                    let parsed = crate::grid::parse(&input).unwrap_err();
                    prop_assert_eq!(format!("{e:#}"), format!("invalid input 'x': {parsed}"));
                }
            }
        }
    }
}
