//! Prometheus metrics, kept by hand: request counts by route and status, a latency
//! histogram per route, and the state of the screening index.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use crate::index::Loaded;

/// Upper bounds (seconds) of the latency histogram buckets.
const BUCKETS: [f64; 16] = [0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Default)]
struct Histogram {
    /// Cumulative counts are computed at render time; these are per bucket, plus +Inf.
    counts: [u64; BUCKETS.len() + 1],
    sum: f64,
    count: u64,
}

#[derive(Default)]
pub struct Metrics {
    /// (route, method, status) → count.
    requests: Mutex<BTreeMap<(&'static str, String, u16), u64>>,
    latency: Mutex<BTreeMap<&'static str, Histogram>>,
    pub reloads: AtomicU64,
    pub reload_failures: AtomicU64,
}

impl Metrics {
    pub fn record(&self, route: &'static str, method: &str, status: u16, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        *lock(&self.requests).entry((route, method.to_string(), status)).or_insert(0) += 1;
        let mut latency = lock(&self.latency);
        let h = latency.entry(route).or_default();
        let bucket = BUCKETS.iter().position(|&b| seconds <= b).unwrap_or(BUCKETS.len());
        h.counts[bucket] += 1;
        h.sum += seconds;
        h.count += 1;
    }

    /// The text exposition format (version 0.0.4).
    pub fn render(&self, index: Option<&Loaded>) -> String {
        let mut out = String::new();
        out.push_str("# HELP sekisho_http_requests_total HTTP requests by route template, method and status.\n");
        out.push_str("# TYPE sekisho_http_requests_total counter\n");
        for ((route, method, status), n) in lock(&self.requests).iter() {
            let _ = writeln!(out, "sekisho_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {n}");
        }
        out.push_str("# HELP sekisho_http_request_duration_seconds Time from request to response head.\n");
        out.push_str("# TYPE sekisho_http_request_duration_seconds histogram\n");
        for (route, h) in lock(&self.latency).iter() {
            let mut cumulative = 0;
            for (i, bound) in BUCKETS.iter().enumerate() {
                cumulative += h.counts[i];
                let _ = writeln!(out, "sekisho_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}");
            }
            let _ = writeln!(out, "sekisho_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}", h.count);
            let _ = writeln!(out, "sekisho_http_request_duration_seconds_sum{{route=\"{route}\"}} {}", h.sum);
            let _ = writeln!(out, "sekisho_http_request_duration_seconds_count{{route=\"{route}\"}} {}", h.count);
        }
        let gauge = |out: &mut String, name: &str, help: &str, value: f64| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
        };
        gauge(&mut out, "sekisho_index_ready", "1 when a screening index is in service.", f64::from(u8::from(index.is_some())));
        if let Some(loaded) = index {
            gauge(&mut out, "sekisho_index_entities", "Entities in the screening index.", loaded.index.entity_count() as f64);
            gauge(&mut out, "sekisho_index_names", "Names in the screening index.", loaded.index.name_count() as f64);
            gauge(&mut out, "sekisho_index_snapshots", "List snapshots in the screening index.", loaded.snapshots.len() as f64);
            gauge(&mut out, "sekisho_index_build_seconds", "Time the index in service took to build.", loaded.build_seconds);
            let at = loaded.loaded_at.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs_f64();
            gauge(&mut out, "sekisho_index_last_reload_timestamp_seconds", "When the index in service was put in service (Unix time).", at);
        }
        let counter = |out: &mut String, name: &str, help: &str, value: u64| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}");
        };
        counter(&mut out, "sekisho_index_reloads_total", "Indexes built and put in service.", self.reloads.load(Ordering::Relaxed));
        counter(&mut out, "sekisho_index_reload_failures_total", "Index builds that failed.", self.reload_failures.load(Ordering::Relaxed));
        out
    }
}

/// A poisoned metrics lock only means a panic elsewhere; the counts are still usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_cumulative_buckets() {
        let m = Metrics::default();
        m.record("/match/{dataset}", "POST", 200, Duration::from_micros(700));
        m.record("/match/{dataset}", "POST", 200, Duration::from_millis(30));
        m.record("/match/{dataset}", "POST", 401, Duration::from_micros(50));
        let text = m.render(None);
        assert!(text.contains("sekisho_http_requests_total{route=\"/match/{dataset}\",method=\"POST\",status=\"200\"} 2\n"), "{text}");
        assert!(text.contains("status=\"401\"} 1\n"));
        assert!(text.contains("_bucket{route=\"/match/{dataset}\",le=\"0.0005\"} 1\n"), "{text}");
        assert!(text.contains("_bucket{route=\"/match/{dataset}\",le=\"0.001\"} 2\n"), "{text}");
        assert!(text.contains("_bucket{route=\"/match/{dataset}\",le=\"0.05\"} 3\n"), "{text}");
        assert!(text.contains("_count{route=\"/match/{dataset}\"} 3\n"));
        assert!(text.contains("sekisho_index_ready 0\n"));
    }
}
