//! # Interrupted runs: no unfinished output file is left behind
//!
//! An output file is written to a temporary file beside its target and
//! renamed over it once complete ([`crate::cli::outfile`]). Until then its
//! path is in [`unfinished`]'s list. Once such a file exists, [`watch`]
//! catches SIGINT (Ctrl-C), SIGTERM and SIGHUP (a closed terminal) on a
//! thread of its own: it removes every unfinished file, says on standard
//! error that the run was interrupted, and ends the process with the
//! signal's default action, re-raised, so that a shell sees it killed by
//! the signal (130 for SIGINT). The runs are not asked to stop: ending the
//! process ends them at once, whatever they are doing, and several runs at
//! once (`--jobs`) end together.
//!
//! The list's lock is held while a file is created, renamed or removed, and
//! by the handler from the moment it starts, so a signal never meets a file
//! half registered, and no rename happens after the handler has begun.
//!
//! A signal that was ignored when the process started (a background job of
//! a non-interactive shell, `nohup`) stays ignored where the system says so
//! (Linux: `/proc/self/status`), as its parent meant. A run without output
//! files never installs anything: such a run keeps each signal's default
//! action.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use crate::cli::eprint_line;

/// The temporary files not yet renamed over their targets.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The list of unfinished temporary files, locked: a signal's handler waits
/// until the guard is dropped.
pub fn unfinished() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic while the list was held left it as valid as before: every
    // change to it is a single push or removal.
    UNFINISHED.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Starts catching the signals that end a run, once per process; every
/// later call does nothing. Best effort: where the handler cannot be set up,
/// a signal keeps its default action, which can leave a temporary file
/// behind (named as [`crate::cli::outfile`] says) but never a damaged
/// target.
pub fn watch() {
    static WATCHING: OnceLock<()> = OnceLock::new();
    WATCHING.get_or_init(|| {
        let _ = imp::install();
    });
}

/// Removes every unfinished file, says so, and ends the process as
/// `signal` would have by default.
fn interrupted(signal: std::ffi::c_int) -> ! {
    // Held until the process ends: no rename or new file after this.
    let unfinished = unfinished();
    for path in unfinished.iter() {
        let _ = std::fs::remove_file(path);
    }
    let name = signal_hook::low_level::signal_name(signal).unwrap_or("a signal");
    if unfinished.is_empty() {
        eprint_line(format_args!("day23: interrupted by {name}"));
    } else {
        eprint_line(format_args!(
            "day23: interrupted by {name}; the output files were left as they were"
        ));
    }
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    // Only for a signal the crate does not know, which is none of ours.
    std::process::exit(128 + signal)
}

#[cfg(unix)]
mod imp {
    use std::ffi::c_int;
    use std::io;

    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;

    /// A thread that waits for the first of the signals and handles it.
    pub(super) fn install() -> io::Result<()> {
        let ignored = ignored_at_start();
        let caught: Vec<c_int> = [SIGINT, SIGTERM, SIGHUP]
            .into_iter()
            .filter(|&s| !ignored.contains(&s))
            .collect();
        if caught.is_empty() {
            return Ok(());
        }
        let mut signals = Signals::new(&caught)?;
        std::thread::Builder::new()
            .name("day23-signals".to_owned())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    super::interrupted(signal);
                }
            })?;
        Ok(())
    }

    /// The signals among ours that this process ignores, where the system
    /// tells without `unsafe` (Linux and Android: the `SigIgn` mask of
    /// `/proc/self/status`); none elsewhere.
    fn ignored_at_start() -> Vec<c_int> {
        if !cfg!(any(target_os = "linux", target_os = "android")) {
            return Vec::new();
        }
        let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
            return Vec::new();
        };
        let mask = status
            .lines()
            .find_map(|line| line.strip_prefix("SigIgn:"))
            .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
            .unwrap_or(0);
        [SIGINT, SIGTERM, SIGHUP]
            .into_iter()
            .filter(|&s| (1..=64).contains(&s) && mask & (1u64 << (s - 1)) != 0)
            .collect()
    }
}

#[cfg(windows)]
mod imp {
    use std::io;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use signal_hook::consts::{SIGINT, SIGTERM};

    /// Windows has no signal iterator: the handler records the signal and
    /// a thread looks for it every few milliseconds.
    pub(super) fn install() -> io::Result<()> {
        let caught = Arc::new(AtomicUsize::new(0));
        for signal in [SIGINT, SIGTERM] {
            signal_hook::flag::register_usize(signal, Arc::clone(&caught), signal as usize)?;
        }
        std::thread::Builder::new()
            .name("day23-signals".to_owned())
            .spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_millis(20));
                    let signal = caught.load(Ordering::SeqCst);
                    if let Ok(signal) = std::ffi::c_int::try_from(signal)
                        && signal != 0
                    {
                        super::interrupted(signal);
                    }
                }
            })?;
        Ok(())
    }
}

#[cfg(not(any(unix, windows)))]
mod imp {
    /// No signals to catch.
    pub(super) fn install() -> std::io::Result<()> {
        Ok(())
    }
}
