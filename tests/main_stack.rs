//! The buffers at the bottom of the main thread's own stack
//! (`src/alloc/stack/main_thread.rs`), seen from `/proc/self`.
//!
//! A test harness runs every test on a thread of its own, so this target has
//! none (`harness = false` in Cargo.toml): `main` here is the main thread,
//! as in `day23` itself. Each check panics on failure, failing the target.

use std::mem::MaybeUninit;
use std::process::Command;
use std::thread::{self, ThreadId};

use day23::alloc::with_stack_buffers;

/// Where a run's closure ran, and what `/proc/self` showed from inside it.
struct Seen {
    thread: ThreadId,
    buffers: Vec<(usize, usize)>,
    /// `/proc/self/maps` while the buffers were out.
    maps: Vec<Mapping>,
    /// The soft stack limit while the buffers were out.
    limit: String,
}

/// One line of `/proc/self/maps`.
#[derive(Debug, Clone)]
struct Mapping {
    start: usize,
    end: usize,
    perms: String,
    name: String,
}

fn maps() -> Vec<Mapping> {
    let text = std::fs::read_to_string("/proc/self/maps").expect("/proc/self/maps");
    text.lines()
        .map(|line| {
            let mut words = line.split_whitespace();
            let range = words.next().unwrap();
            let perms = words.next().unwrap().to_owned();
            let name = words.nth(3).unwrap_or("").to_owned();
            let (start, end) = range.split_once('-').unwrap();
            Mapping {
                start: usize::from_str_radix(start, 16).unwrap(),
                end: usize::from_str_radix(end, 16).unwrap(),
                perms,
                name,
            }
        })
        .collect()
}

/// The soft "Max stack size" of `/proc/self/limits`.
fn soft_stack_limit() -> String {
    let text = std::fs::read_to_string("/proc/self/limits").expect("/proc/self/limits");
    let line = text
        .lines()
        .find(|l| l.starts_with("Max stack size"))
        .expect("a stack limit");
    line.split_whitespace().nth(3).unwrap().to_owned()
}

fn run(sizes: &[usize], write: usize) -> Seen {
    with_stack_buffers(sizes, |mut bufs| {
        for b in &mut bufs {
            let n = write.min(b.len());
            b[..n].fill(MaybeUninit::new(0xA5));
        }
        Seen {
            thread: thread::current().id(),
            buffers: bufs
                .iter()
                .map(|b| (b.as_ptr().addr(), b.as_ptr().addr() + b.len()))
                .collect(),
            maps: maps(),
            limit: soft_stack_limit(),
        }
    })
    .expect("the buffers")
}

fn stack_of(maps: &[Mapping]) -> Mapping {
    maps.iter()
        .find(|m| m.name == "[stack]")
        .expect("a [stack] mapping")
        .clone()
}

/// The default buffers on the main thread: no thread, the buffers in the
/// main stack's mapping below an inaccessible page, the limit raised for the
/// run only, and the same place again for the next run.
fn default_buffers_take_the_main_stack() {
    let before = soft_stack_limit();
    let seen = run(&[4 << 20, 4 << 20], 3 * 4096);
    assert_eq!(
        seen.thread,
        thread::current().id(),
        "ran on the main thread"
    );
    let (low, high) = (seen.buffers[0].0, seen.buffers[1].1);
    assert!(seen.buffers[0].1 <= seen.buffers[1].0, "in order, apart");
    // The guard: one inaccessible page just above the buffers, and the
    // stack's frames right above it.
    let guard = seen
        .maps
        .iter()
        .find(|m| m.start >= high && m.start < high + 2 * 4096)
        .expect("a mapping just above the buffers");
    assert_eq!(guard.perms, "---p", "the guard page: {guard:?}");
    assert_eq!(guard.end - guard.start, 4096, "one page: {guard:?}");
    let stack = stack_of(&seen.maps);
    assert_eq!(stack.start, guard.end, "the stack's frames right above");
    // Below the guard, the grown part of the stack holds the buffers.
    let below = seen
        .maps
        .iter()
        .find(|m| m.end == guard.start)
        .expect("the stack below the guard");
    assert!(below.start <= low && below.perms == "rw-p", "{below:?}");
    assert_ne!(seen.limit, before, "the limit raised while the run lasts");
    assert_eq!(soft_stack_limit(), before, "and restored after it");
    // Afterwards the guard is gone: one stack mapping from the buffers up.
    let stack = stack_of(&maps());
    assert!(stack.start <= low && stack.end > high, "{stack:?}");
    // The next run finds the same bottom.
    let again = run(&[4 << 20, 4 << 20], 4096);
    assert_eq!(again.buffers, seen.buffers, "the same place again");
    assert_eq!(again.thread, thread::current().id());
}

/// A run inside a run cannot take the main stack (it holds the first run's
/// buffers): it takes a thread, and both runs' buffers stay apart.
fn a_nested_run_takes_a_thread() {
    let main = thread::current().id();
    let (outer, inner) = with_stack_buffers(&[1 << 20], |mut outer| {
        outer[0].fill(MaybeUninit::new(1));
        let inner = run(&[1 << 20], 1 << 20);
        (
            (
                outer[0].as_ptr().addr(),
                outer[0].as_ptr().addr() + (1 << 20),
            ),
            inner,
        )
    })
    .unwrap();
    assert_ne!(inner.thread, main, "the inner run took a thread");
    let (a, b) = (outer, inner.buffers[0]);
    assert!(a.1 <= b.0 || b.1 <= a.0, "apart: {a:?} {b:?}");
}

/// Buffers whose span exceeds 64 MiB take a thread.
fn large_buffers_take_a_thread() {
    let seen = run(&[48 << 20, 24 << 20], 4096);
    assert_ne!(seen.thread, thread::current().id(), "took a thread");
}

/// With a hard limit below the span, the limit cannot be raised: the run
/// takes a thread and still succeeds (checked in a child process, since a
/// hard limit cannot be raised again).
fn a_low_hard_limit_takes_a_thread() {
    let me = std::env::current_exe().unwrap();
    let status = Command::new("sh")
        .arg("-c")
        .arg("ulimit -Ss 8192 && ulimit -Hs 8192 && exec \"$0\" --low-hard-limit")
        .arg(&me)
        .status()
        .expect("sh");
    assert!(status.success(), "the child's checks: {status}");
}

fn low_hard_limit_child() {
    let seen = run(&[4 << 20, 4 << 20], 4096);
    assert_ne!(seen.thread, thread::current().id(), "took a thread");
    assert_eq!(seen.limit, "8388608", "the limit unchanged");
}

fn main() {
    if !cfg!(all(
        target_os = "linux",
        any(target_env = "gnu", target_env = "musl"),
        any(target_arch = "x86_64", target_arch = "aarch64")
    )) {
        println!("main_stack: not this platform, every run takes a thread");
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("--low-hard-limit") {
        low_hard_limit_child();
        return;
    }
    let checks: [(&str, fn()); 4] = [
        (
            "default buffers take the main stack",
            default_buffers_take_the_main_stack,
        ),
        ("a nested run takes a thread", a_nested_run_takes_a_thread),
        ("large buffers take a thread", large_buffers_take_a_thread),
        (
            "a low hard limit takes a thread",
            a_low_hard_limit_takes_a_thread,
        ),
    ];
    for (name, check) in checks {
        check();
        println!("main_stack: {name} ... ok");
    }
}
