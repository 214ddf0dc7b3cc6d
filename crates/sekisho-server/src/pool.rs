//! The screening threads: a fixed set of OS threads that run CPU-bound screening work in
//! the order it was submitted.
//!
//! Not tokio's blocking pool: that one grows a thread per waiting task (dozens under 64
//! connections), and the matcher keeps per-thread scratch sized by the index (about 2 MB),
//! so every new thread that screened grew the server for good (RSS +100 MiB under load).
//! Here `n` threads screen, each with its scratch allocated once, and the queue is first
//! come, first served.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

type Work = Box<dyn FnOnce() + Send>;

pub struct ScreeningPool {
    queue: Mutex<Sender<Work>>,
}

impl ScreeningPool {
    /// Starts `threads` threads (at least one).
    pub fn new(threads: usize) -> ScreeningPool {
        let (sender, receiver) = channel::<Work>();
        let receiver = Arc::new(Mutex::new(receiver));
        for i in 0..threads.max(1) {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new().name(format!("sekisho-screen-{i}")).spawn(move || serve(&receiver));
            if let Err(e) = spawned {
                eprintln!("error: cannot start screening thread {i}: {e}");
            }
        }
        ScreeningPool { queue: Mutex::new(sender) }
    }

    /// Queues `work` for a screening thread without waiting for it: work that hands its
    /// result on by itself (to the audit writer). Dropped unrun if the pool is gone.
    pub fn submit(&self, work: impl FnOnce() + Send + 'static) {
        let _ = self.queue.lock().unwrap_or_else(|e| e.into_inner()).send(Box::new(work));
    }

    /// Runs `work` on a screening thread and awaits its result; `None` if it panicked (the
    /// thread survives) or the pool is gone.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (reply, answer) = oneshot::channel();
        let job: Work = Box::new(move || {
            let _ = reply.send(work());
        });
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).send(job).ok()?;
        answer.await.ok()
    }
}

fn serve(receiver: &Mutex<Receiver<Work>>) {
    crate::priority::screening_thread();
    loop {
        // The lock is held only while waiting for the next job, so jobs start in order.
        let job = match receiver.lock().unwrap_or_else(|e| e.into_inner()).recv() {
            Ok(job) => job,
            Err(_) => return,
        };
        // A panicking job drops its reply (the request answers 500); the thread goes on.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_work_in_order_on_its_threads_and_survives_a_panic() {
        let pool = ScreeningPool::new(1);
        let name = pool.run(|| std::thread::current().name().map(String::from)).await.unwrap();
        assert_eq!(name.as_deref(), Some("sekisho-screen-0"));
        assert_eq!(pool.run(|| -> u8 { panic!("a bug in one request") }).await, None);
        let order = Arc::new(Mutex::new(Vec::new()));
        let runs: Vec<_> = (0..5)
            .map(|i| {
                let order = order.clone();
                pool.run(move || order.lock().unwrap().push(i))
            })
            .collect();
        for run in runs {
            run.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), [0, 1, 2, 3, 4]);
    }
}
