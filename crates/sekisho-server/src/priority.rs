//! Thread priorities: the screening threads run ahead of the server's other threads.
//!
//! On two cores the screening threads share the CPU with the HTTP workers, the audit
//! writer, the checkpoint thread and the batch jobs. Whenever they stand still, the queue in
//! front of them grows, and that queue is most of a request's time under load (BENCHMARKS.md,
//! sessions 7 and 9). Five nice levels between them and the rest (a CPU weight about three
//! times as large) gave a lower p99 in six of eight alternated pairs of runs of one binary
//! (by 0.2–3.5 ms) and more requests per second in seven, and the writer's CPU per screening
//! fell in all eight (fuller groups). Ten levels, or the writer raised with them, were worse.
//!
//! Raising a thread's priority needs the right to (`CAP_SYS_NICE`, which root has outside
//! containers, or an `RLIMIT_NICE` that allows it); without it the
//! other threads lower theirs by the same amount instead. Either way one side keeps the nice
//! value the server was started with, and a failure to change a priority only leaves
//! a thread where it was. Linux sets nice values per thread, which is what this relies on.

use std::sync::OnceLock;

use rustix::process::{getpriority_process, setpriority_process};
use rustix::thread::gettid;

/// Nice levels between the screening threads and the others.
const LEAD: i32 = 5;
/// The range of nice values.
const MOST_FAVOURED: i32 = -20;
const LEAST_FAVOURED: i32 = 19;

/// How the lead is made: which threads move.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// The screening threads move up (allowed): `base - LEAD`.
    RaiseScreening { base: i32 },
    /// The others move down: `base + LEAD`.
    LowerOthers { base: i32 },
}

static MODE: OnceLock<Mode> = OnceLock::new();

/// Decides, once per process, how the screening threads get their lead, from the calling
/// thread's nice value (the server's). Call before starting the server's threads, so that
/// they all count from the same value. Later calls change nothing.
pub fn init() {
    mode();
}

fn mode() -> Mode {
    *MODE.get_or_init(|| {
        let Ok(base) = getpriority_process(Some(gettid())) else {
            return Mode::LowerOthers { base: 0 };
        };
        // A thread of its own tries the raise, so that this one keeps its value.
        // (Not below -20, where the raise would leave no lead.)
        let allowed = base - LEAD >= MOST_FAVOURED
            && std::thread::spawn(move || setpriority_process(Some(gettid()), base - LEAD).is_ok())
                .join()
                .unwrap_or(false);
        if allowed {
            Mode::RaiseScreening { base }
        } else {
            Mode::LowerOthers { base }
        }
    })
}

/// Call at the start of a screening thread.
pub fn screening_thread() {
    set_own(match mode() {
        Mode::RaiseScreening { base } => base - LEAD,
        Mode::LowerOthers { base } => base,
    });
}

/// Call at the start of any other long-lived server thread (HTTP workers, the audit writer,
/// the checkpoint thread, batch jobs). Values are set, not moved by: a thread inherits its
/// creator's (the writer starts on a screening thread, a blocking thread on an HTTP worker).
pub fn other_thread() {
    set_own(match mode() {
        Mode::RaiseScreening { base } => base,
        Mode::LowerOthers { base } => base + LEAD,
    });
}

fn set_own(nice: i32) {
    // Best effort: a refused change leaves the thread at the server's own value. (A server
    // started at nice 15 or more keeps a smaller lead.)
    let _ = setpriority_process(Some(gettid()), nice.clamp(MOST_FAVOURED, LEAST_FAVOURED));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own_nice() -> i32 {
        getpriority_process(Some(gettid())).unwrap()
    }

    /// Whichever way the process may move threads, a screening thread ends five nice
    /// levels ahead of another server thread.
    #[test]
    fn screening_threads_run_five_levels_ahead_of_the_others() {
        init();
        if let Mode::LowerOthers { base } = mode()
            && base + LEAD > LEAST_FAVOURED
        {
            eprintln!("notice: started at nice {base}, without the right to raise: no room for a {LEAD}-level lead");
            return;
        }
        let screening = std::thread::spawn(|| {
            screening_thread();
            own_nice()
        });
        // Started from a screening thread, as the audit writer is: it does not keep that
        // thread's value.
        let other = std::thread::spawn(|| {
            screening_thread();
            std::thread::spawn(|| {
                other_thread();
                own_nice()
            })
            .join()
            .unwrap()
        });
        let (screening, other) = (screening.join().unwrap(), other.join().unwrap());
        assert_eq!(other - screening, LEAD, "mode {:?}", mode());
        let base = match mode() {
            Mode::RaiseScreening { base } | Mode::LowerOthers { base } => base,
        };
        assert!(
            screening == base || other == base,
            "one side stays at the server's value {base}"
        );
    }
}
