//! Screening every row on a number of threads, results in input order.

use std::sync::atomic::{AtomicUsize, Ordering};

use sekisho_match::{Match, ScreenOptions, ScreeningIndex};

use crate::columns::Party;

/// Rows a worker claims at a time: small enough to balance, large enough that the shared
/// counter and the progress bar are touched rarely.
const CHUNK: usize = 32;

/// The matches of each party (none for a row that could not be screened), in input order,
/// screened on at most `threads` threads. `progress` is called with the number of rows
/// just done, from the screening threads, every few dozen rows.
pub fn screen_all(
    index: &ScreeningIndex,
    parties: &[Party],
    options: &ScreenOptions,
    threads: usize,
    progress: &(dyn Fn(usize) + Sync),
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
                        for (i, party) in parties[start..end].iter().enumerate() {
                            let matches = match &party.query {
                                Ok(query) => index.screen(query, options),
                                Err(_) => Vec::new(),
                            };
                            out.push((start + i, matches));
                        }
                        progress(end - start);
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
