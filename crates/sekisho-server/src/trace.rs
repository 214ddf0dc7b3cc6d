//! TEMPORARY: per-request stage times (µs since the epoch), sent back in `x-trace`.
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_us() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_micros() as u64)
}

/// When the writer took its current group, and the group's size.
pub static GROUP_START: AtomicU64 = AtomicU64::new(0);
pub static GROUP_SIZE: AtomicU64 = AtomicU64::new(0);

#[derive(Default)]
pub struct Trace {
    pub t: [AtomicU64; 8],
}

impl Trace {
    pub fn mark(&self, i: usize) {
        self.t[i].store(now_us(), Ordering::Relaxed);
    }
    pub fn set(&self, i: usize, v: u64) {
        self.t[i].store(v, Ordering::Relaxed);
    }
    pub fn header(&self) -> String {
        self.t.iter().map(|t| t.load(Ordering::Relaxed).to_string()).collect::<Vec<_>>().join(",")
    }
}
