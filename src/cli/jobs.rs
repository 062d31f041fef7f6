//! # Jobs on every core, delivered in order
//!
//! Both `check` and a comparison run many independent jobs (a strategy on
//! its own stack buffers). [`run_in_order`] runs them concurrently, each on
//! its own thread, and hands what they produce to the calling thread **in
//! job order**: job `k`'s messages, then its result, as soon as they exist
//! and jobs `0..k` have been delivered in full. So the first job is seen
//! live, the others are kept until their turn, and whatever the caller does
//! with the deliveries comes out exactly as if the jobs had run one after
//! another.
//!
//! At most [`Pool::threads`] jobs run at a time, and a job starts only while
//! the bytes the running jobs hold plus its own stay within
//! [`Pool::memory_bytes`] (the machine's `MemAvailable` when the pool was
//! made): a job that does not fit waits for running ones to finish, down to
//! one job at a time. A job alone always starts, so a job too large for the
//! machine fails as it would on its own. Jobs start in order, never a later
//! one before an earlier one.
//!
//! This module is the one place that knows the available cores
//! ([`available_cores`]).

use crate::alloc::stack::mem_available;
use std::collections::VecDeque;
use std::ops::ControlFlow;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::mpsc;

/// The cores this process may use (1 if unknown).
#[must_use]
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// How many jobs may run at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pool {
    /// Jobs at a time at most (0 counts as 1).
    pub threads: usize,
    /// The bytes the running jobs may hold together, if limited.
    pub memory_bytes: Option<usize>,
}

impl Pool {
    /// `threads` jobs at a time (`None`: [`available_cores`]), within the
    /// memory available now, for `jobs` jobs (one job, or one thread, runs
    /// on the calling thread and needs no memory limit).
    #[must_use]
    pub fn new(threads: Option<usize>, jobs: usize) -> Self {
        // One job needs one thread: no need to ask how many cores there are.
        let threads = match threads {
            Some(n) => n.max(1),
            None if jobs <= 1 => 1,
            None => available_cores().max(1),
        };
        Self {
            threads,
            memory_bytes: (threads > 1 && jobs > 1).then(mem_available).flatten(),
        }
    }
}

/// What a job hands to the calling thread.
#[derive(Debug)]
pub enum Delivery<M, R> {
    /// A message the job sent while it ran.
    Message(M),
    /// The job's result: its last delivery.
    Done(R),
}

/// Sends a running job's messages to the calling thread.
pub struct Outbox<'a, M> {
    send: Box<dyn Fn(M) + Send + 'a>,
}

impl<M> Outbox<'_, M> {
    /// Sends `message` (dropped if the caller has stopped listening).
    pub fn send(&self, message: M) {
        (self.send)(message);
    }
}

impl<M> std::fmt::Debug for Outbox<'_, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox").finish_non_exhaustive()
    }
}

/// [`run_in_order`] with one job at a time, each run on this thread: its
/// messages are delivered as they are sent (from whichever thread sends
/// them), with no thread of the pool's own. One run, or `--jobs 1`, costs
/// no thread beyond the one that holds its buffers.
fn run_here<J, M, R>(
    jobs: &[J],
    work: impl Fn(&J, Outbox<'_, M>) -> R,
    deliver: impl FnMut(usize, Delivery<M, R>) -> ControlFlow<()> + Send,
) {
    // The deliverer, and whether it asked to stop. A panic while delivering
    // poisons the lock; the panic itself goes on up from where it happened,
    // so the state is still usable here.
    let state = std::sync::Mutex::new((deliver, false));
    let lock = || {
        state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    let call = |i: usize, d: Delivery<M, R>| {
        let mut guard = lock();
        let (deliver, stopped) = &mut *guard;
        if !*stopped && deliver(i, d).is_break() {
            *stopped = true;
        }
    };
    for (i, job) in jobs.iter().enumerate() {
        let outbox = Outbox {
            send: Box::new(move |m| call(i, Delivery::Message(m))),
        };
        let result = work(job, outbox);
        call(i, Delivery::Done(result));
        if lock().1 {
            break;
        }
    }
}

/// What a job's thread sends.
enum Note<M, R> {
    Message(M),
    Done(R),
    Panicked(Box<dyn std::any::Any + Send>),
}

/// Runs every job of `jobs` with `work` on `pool` (each job on its own
/// thread, holding `bytes(job)` bytes), and calls `deliver` on this thread
/// with each job's index and deliveries in job order (see the module docs).
///
/// When `deliver` returns [`ControlFlow::Break`], no more jobs start, the
/// running ones finish, and nothing more is delivered.
///
/// # Panics
///
/// Re-raises a panic of `work` (after the other running jobs finish).
pub fn run_in_order<J, M, R>(
    jobs: &[J],
    pool: Pool,
    bytes: impl Fn(&J) -> usize,
    work: impl Fn(&J, Outbox<'_, M>) -> R + Sync,
    mut deliver: impl FnMut(usize, Delivery<M, R>) -> ControlFlow<()> + Send,
) where
    J: Sync,
    M: Send,
    R: Send,
{
    if pool.threads <= 1 || jobs.len() <= 1 {
        run_here(jobs, work, deliver);
        return;
    }
    let costs: Vec<usize> = jobs.iter().map(bytes).collect();
    let (tx, rx) = mpsc::channel::<(usize, Note<M, R>)>();
    let mut pending: Vec<VecDeque<Note<M, R>>> = jobs.iter().map(|_| VecDeque::new()).collect();
    let (mut next, mut head, mut running, mut held) = (0, 0, 0, 0usize);
    let mut stopped = false;
    let mut panic = None;
    let work = &work;
    std::thread::scope(|scope| {
        loop {
            while !stopped
                && next < jobs.len()
                && running < pool.threads.max(1)
                && (running == 0
                    || pool
                        .memory_bytes
                        .is_none_or(|m| held.saturating_add(costs[next]) <= m))
            {
                let (i, tx) = (next, tx.clone());
                let job = &jobs[i];
                scope.spawn(move || {
                    let outbox = {
                        let tx = tx.clone();
                        Outbox {
                            send: Box::new(move |m| {
                                let _ = tx.send((i, Note::Message(m)));
                            }),
                        }
                    };
                    let note = match catch_unwind(AssertUnwindSafe(|| work(job, outbox))) {
                        Ok(result) => Note::Done(result),
                        Err(payload) => Note::Panicked(payload),
                    };
                    let _ = tx.send((i, note));
                });
                running += 1;
                held = held.saturating_add(costs[i]);
                next += 1;
            }
            if running == 0 {
                break;
            }
            // This thread holds a sender, so `recv` only returns messages.
            let Ok((i, note)) = rx.recv() else { break };
            if !matches!(note, Note::Message(_)) {
                running -= 1;
                held = held.saturating_sub(costs[i]);
            }
            if stopped {
                if let Note::Panicked(payload) = note {
                    panic.get_or_insert(payload);
                }
                continue;
            }
            pending[i].push_back(note);
            // Deliver what the head job (and, once it is done, the next) has.
            while let Some(note) = pending.get_mut(head).and_then(VecDeque::pop_front) {
                let flow = match note {
                    Note::Message(m) => deliver(head, Delivery::Message(m)),
                    Note::Done(r) => {
                        let flow = deliver(head, Delivery::Done(r));
                        head += 1;
                        flow
                    }
                    Note::Panicked(payload) => {
                        panic = Some(payload);
                        ControlFlow::Break(())
                    }
                };
                if flow.is_break() {
                    stopped = true;
                    pending.clear();
                    break;
                }
            }
        }
    });
    if let Some(payload) = panic {
        resume_unwind(payload);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use super::*;

    /// Runs `jobs` (each sleeps `ms`, sends its index twice, returns it
    /// times 10) and returns the deliveries in the order seen.
    fn deliveries(jobs: &[u64], pool: Pool, stop_at: Option<usize>) -> Vec<(usize, String)> {
        let mut seen = Vec::new();
        run_in_order(
            jobs,
            pool,
            |_| 1,
            |&ms, outbox| {
                outbox.send(ms);
                std::thread::sleep(Duration::from_millis(ms));
                outbox.send(ms);
                ms * 10
            },
            |i, d| {
                seen.push((
                    i,
                    match d {
                        Delivery::Message(m) => format!("m{m}"),
                        Delivery::Done(r) => format!("d{r}"),
                    },
                ));
                if stop_at == Some(i) {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        seen
    }

    fn expected(jobs: &[u64]) -> Vec<(usize, String)> {
        jobs.iter()
            .enumerate()
            .flat_map(|(i, ms)| {
                [
                    (i, format!("m{ms}")),
                    (i, format!("m{ms}")),
                    (i, format!("d{}", ms * 10)),
                ]
            })
            .collect()
    }

    #[test]
    fn deliveries_come_in_job_order_whatever_finishes_first() {
        let jobs = [40, 1, 20, 0, 5];
        for threads in [1, 2, 3, 8] {
            let pool = Pool {
                threads,
                memory_bytes: None,
            };
            assert_eq!(
                deliveries(&jobs, pool, None),
                expected(&jobs),
                "{threads} threads"
            );
        }
    }

    #[test]
    fn a_break_stops_deliveries_and_new_jobs() {
        let jobs = [5, 1, 1, 1, 1, 1];
        let pool = Pool {
            threads: 2,
            memory_bytes: None,
        };
        let seen = deliveries(&jobs, pool, Some(1));
        // Job 1's first message breaks: nothing after it.
        assert_eq!(seen, expected(&jobs)[..4]);
    }

    #[test]
    #[cfg_attr(
        miri,
        ignore = "asserts that jobs overlap in time, which Miri's thread scheduler does not make happen; no unsafe here"
    )]
    fn running_jobs_stay_within_the_thread_and_memory_limits() {
        // (bytes, what the job records) per job; the running total is checked.
        let costs = [60, 30, 30, 50, 10, 10, 10, 100, 5];
        for (threads, memory) in [(8, 100), (2, 1000), (8, 10), (3, 70)] {
            let live = Mutex::new((0usize, 0usize, 0usize)); // bytes, jobs, max jobs
            let mut order = Vec::new();
            run_in_order(
                &costs,
                Pool {
                    threads,
                    memory_bytes: Some(memory),
                },
                |&c| c,
                |&c, _: Outbox<()>| {
                    {
                        let mut l = live.lock().unwrap();
                        l.0 += c;
                        l.1 += 1;
                        l.2 = l.2.max(l.1);
                        // A job alone may exceed the limit; together they may not.
                        assert!(l.1 == 1 || l.0 <= memory, "{l:?} over {memory}");
                        assert!(l.1 <= threads);
                    }
                    std::thread::sleep(Duration::from_millis(3));
                    let mut l = live.lock().unwrap();
                    l.0 -= c;
                    l.1 -= 1;
                    c
                },
                |_, d| {
                    if let Delivery::Done(c) = d {
                        order.push(c);
                    }
                    ControlFlow::Continue(())
                },
            );
            assert_eq!(order, costs, "{threads} threads, {memory} bytes");
            let max_jobs = live.lock().unwrap().2;
            assert!(max_jobs <= threads);
            if threads >= 2 && memory >= 100 {
                assert!(
                    max_jobs >= 2,
                    "{threads} threads, {memory} bytes: no concurrency"
                );
            }
        }
    }

    #[test]
    fn a_panic_in_a_job_reaches_the_caller() {
        let result = catch_unwind(|| {
            run_in_order(
                &[0, 1, 2],
                Pool {
                    threads: 2,
                    memory_bytes: None,
                },
                |_| 0,
                |&i, _: Outbox<()>| {
                    assert!(i != 1, "job one");
                    i
                },
                |_, _| ControlFlow::Continue(()),
            );
        });
        let payload = result.unwrap_err();
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"job one"));
    }

    #[test]
    #[cfg_attr(
        miri,
        ignore = "reads /proc/meminfo and the core count, which Miri's isolation refuses; no unsafe here"
    )]
    fn a_pool_has_at_least_one_thread() {
        assert_eq!(Pool::new(Some(0), 2).threads, 1);
        assert_eq!(Pool::new(Some(3), 2).threads, 3);
        assert_eq!(Pool::new(None, 2).threads, available_cores());
        assert_eq!(Pool::new(None, 1).threads, 1);
        assert_eq!(Pool::new(Some(4), 1).memory_bytes, None);
    }
}
