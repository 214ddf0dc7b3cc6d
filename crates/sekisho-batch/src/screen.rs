//! Screening every row on a number of threads, results in input order.

use std::sync::atomic::{AtomicUsize, Ordering};

use sekisho_match::{Match, ScreenOptions, ScreeningIndex};
use sekisho_service::ALERT_THRESHOLD;

use crate::columns::Party;

/// Rows a worker claims at a time: small enough to balance, large enough that the shared
/// counter and the progress bar are touched rarely.
const CHUNK: usize = 32;

/// The matches of each party (none for a row that could not be screened), in input order,
/// screened on at most `threads` threads. `progress` is called with the number of rows
/// just done and how many of them alert (best score at or above the operating threshold),
/// from the screening threads, every few dozen rows; it returns whether to go on: once it
/// returns false no further rows are screened, and those not reached are left without
/// matches (a caller that stops, such as a cancelled server job, discards the results).
pub fn screen_all(
    index: &ScreeningIndex,
    parties: &[Party],
    options: &ScreenOptions,
    threads: usize,
    progress: &(dyn Fn(usize, usize) -> bool + Sync),
) -> Vec<Vec<Match>> {
    let workers = threads.min(parties.len().div_ceil(CHUNK)).max(1);
    let next = AtomicUsize::new(0);
    let done: Vec<Vec<(usize, Vec<Match>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                        if start >= parties.len() {
                            return out;
                        }
                        let end = (start + CHUNK).min(parties.len());
                        let mut alerting = 0;
                        for (i, party) in parties[start..end].iter().enumerate() {
                            let matches = match &party.query {
                                Ok(query) => index.screen(query, options),
                                Err(_) => Vec::new(),
                            };
                            alerting += usize::from(matches.first().is_some_and(|m| m.score >= ALERT_THRESHOLD));
                            out.push((start + i, matches));
                        }
                        if !progress(end - start, alerting) {
                            // Claim the rest, so that every worker stops.
                            next.fetch_add(parties.len(), Ordering::Relaxed);
                            return out;
                        }
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
    });
    let mut results: Vec<Vec<Match>> = Vec::with_capacity(parties.len());
    results.resize_with(parties.len(), Vec::new);
    for (i, matches) in done.into_iter().flatten() {
        results[i] = matches;
    }
    results
}
