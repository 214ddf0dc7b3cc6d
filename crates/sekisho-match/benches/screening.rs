//! Screening benchmark on the real lists: index build, single-query latency, batch
//! throughput on all cores, pair comparisons per second, memory.
//!
//!     cargo bench -p sekisho-match --bench screening
//!
//! Needs ../shared/data (prints a notice and exits otherwise). Figures go to BENCHMARKS.md.
//! With `SEKISHO_BENCH_QUERIES=FILE` the query mix is also written to FILE as
//! `sekisho screen --jsonl` input, for golden checks of engine changes on the same names.
//! With `SEKISHO_BENCH_PROFILE=N` it builds once, screens the query mix N times on one
//! thread and stops: a run to record with `perf record` or `valgrind --tool=callgrind`
//! (`SEKISHO_BENCH_QUERY_FILE=FILE`, one name a line, screens those names instead;
//! `SEKISHO_BENCH_SLOWEST=FILE` writes the 100 slowest queries there, one a line, each
//! timed by its fastest round). With `SEKISHO_BENCH_PAIRS=N` it scores only the prepared
//! pairs, N rounds, and stops (for callgrind: `--toggle-collect='*PreparedName*score*'`).

use std::time::{Duration, Instant};

/// The allocator the `sekisho` binary uses, so that the figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use sekisho_match::{PreparedNames, Query, ScreenOptions, ScreeningIndexBuilder, compare};
use sekisho_model::{Entity, NameKind};

use sekisho_lists::SHARED_LIST_FOLDERS as LISTS;

fn main() {
    let mut entities: Vec<Entity> = Vec::new();
    for list in LISTS {
        let Some(dir) = sekisho_lists::shared_list(list) else { return };
        entities.extend(sekisho_lists::load(&dir).expect("list parses").entities);
    }
    println!("{} entities from {}", entities.len(), LISTS.join(", "));

    if let Some(rounds) = std::env::var("SEKISHO_BENCH_PAIRS").ok().and_then(|n| n.parse::<usize>().ok()) {
        let total = prepared_pairs(&pairs(&queries(&entities)), rounds);
        // All digits, for checking that a change of the scorer leaves every score as it was.
        println!("sum of scores {total:.12}");
        return;
    }
    if let Some(rounds) = std::env::var("SEKISHO_BENCH_PROFILE").ok().and_then(|n| n.parse::<usize>().ok()) {
        let index = ScreeningIndexBuilder::new().build(&entities);
        let mut queries = queries(&entities);
        if let Some(path) = std::env::var_os("SEKISHO_BENCH_QUERY_FILE") {
            queries = std::fs::read_to_string(path).expect("query file is readable").lines().map(str::to_string).collect();
        }
        let options = ScreenOptions::default();
        let (started, cpu) = (Instant::now(), thread_cpu_ns());
        let mut alerts = 0usize;
        // Each query's fastest round: the least disturbed by other work on the cores.
        let mut fastest = vec![Duration::MAX; queries.len()];
        for _ in 0..rounds {
            for (q, fastest) in queries.iter().zip(&mut fastest) {
                let started = Instant::now();
                alerts += usize::from(!index.screen(&Query::name(q), &options).is_empty());
                *fastest = started.elapsed().min(*fastest);
            }
        }
        if let Some(path) = std::env::var_os("SEKISHO_BENCH_SLOWEST") {
            let mut order: Vec<usize> = (0..queries.len()).collect();
            order.sort_by_key(|&i| std::cmp::Reverse(fastest[i]));
            let lines: String = order.iter().take(100).map(|&i| format!("{}\n", queries[i])).collect();
            std::fs::write(&path, lines).expect("slowest-query file is writable");
            let times: Vec<String> = order.iter().take(5).map(|&i| format!("{:?} {:.1?}", queries[i], fastest[i])).collect();
            println!("slowest (fastest of {rounds} rounds): {}", times.join("; "));
            let mut sorted = fastest.clone();
            sorted.sort();
            let pct = |p: f64| sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)];
            println!("fastest of {rounds} rounds per query: p50 {:.0?}, p90 {:.0?}, p99 {:.0?}", pct(0.5), pct(0.9), pct(0.99));
        }
        // On-CPU time of this thread: steadier than wall time when other work shares the cores.
        let cpu_us = (thread_cpu_ns() - cpu) as f64 / 1e3;
        println!(
            "{} queries x {rounds} in {:.2?} wall, {:.0} µs on CPU per query ({alerts} alerting)",
            queries.len(),
            started.elapsed(),
            cpu_us / (queries.len() * rounds) as f64
        );
        return;
    }
    let mut builds = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let index = ScreeningIndexBuilder::new().build(&entities);
        builds.push(started.elapsed());
        drop(index);
    }
    builds.sort();
    println!("index build: median {:.2?} (best {:.2?}, 3 runs, all cores)", builds[1], builds[0]);
    let index = ScreeningIndexBuilder::new().build(&entities);
    println!("  {} names indexed; VmHWM {} MB (entities and index)", index.name_count(), vm_kb("VmHWM") / 1024);

    let queries = queries(&entities);
    if let Some(path) = std::env::var_os("SEKISHO_BENCH_QUERIES") {
        let lines: String =
            queries.iter().enumerate().map(|(i, q)| serde_json::json!({"id": format!("b{i}"), "name": q}).to_string() + "\n").collect();
        std::fs::write(&path, lines).expect("query file is writable");
    }
    let pairs = pairs(&queries);
    drop(entities);
    println!("  VmRSS {} MB after dropping the entities", vm_kb("VmRSS") / 1024);

    let options = ScreenOptions::default();
    let mut timed: Vec<(Duration, &str)> = Vec::with_capacity(queries.len());
    let mut alerts = 0usize;
    for q in &queries {
        let started = Instant::now();
        let matches = index.screen(&Query::name(q), &options);
        timed.push((started.elapsed(), q));
        alerts += usize::from(!matches.is_empty());
    }
    timed.sort();
    let slowest: Vec<String> = timed.iter().rev().take(3).map(|(d, q)| format!("{q:?} {d:.1?}")).collect();
    let latencies: Vec<Duration> = timed.iter().map(|(d, _)| *d).collect();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "single query, one thread, {} queries ({} alerting): p50 {:.0?}, p90 {:.0?}, p99 {:.0?}, max {:.0?}",
        queries.len(),
        alerts,
        pct(0.5),
        pct(0.9),
        pct(0.99),
        latencies[latencies.len() - 1]
    );
    println!("  slowest: {}", slowest.join("; "));

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (index, queries, options) = (&index, &queries, &options);
            scope.spawn(move || {
                for q in queries.iter().skip(t).step_by(threads) {
                    std::hint::black_box(index.screen(&Query::name(q), options));
                }
            });
        }
    });
    let elapsed = started.elapsed();
    println!(
        "batch on {threads} threads: {:.0} names/s ({} names in {elapsed:.2?})",
        queries.len() as f64 / elapsed.as_secs_f64(),
        queries.len()
    );

    let started = Instant::now();
    let mut matched = 0usize;
    for (a, b) in &pairs {
        matched += usize::from(std::hint::black_box(compare(a, b, None)).is_match);
    }
    let elapsed = started.elapsed();
    println!(
        "pair comparison (normalise both names and score), one thread: {:.0} pairs/s ({} pairs, {matched} matches)",
        pairs.len() as f64 / elapsed.as_secs_f64(),
        pairs.len()
    );

    prepared_pairs(&pairs, 20);
}

/// The scorer alone: the names prepared once, as two lists (as when one list of names is
/// compared with another), each pair scored `rounds` times over.
fn prepared_pairs(pairs: &[(String, String)], rounds: usize) -> f64 {
    let left = PreparedNames::new(pairs.iter().map(|(a, _)| a.as_str()), None);
    let right = PreparedNames::new(pairs.iter().map(|(_, b)| b.as_str()), None);
    let (started, cpu) = (Instant::now(), thread_cpu_ns());
    let mut total = 0.0;
    for _ in 0..rounds {
        for i in 0..pairs.len() {
            total += std::hint::black_box(left.score(i, &right, i));
        }
    }
    let (elapsed, cpu_s) = (started.elapsed(), (thread_cpu_ns() - cpu) as f64 / 1e9);
    println!(
        "pair comparison (names prepared once), one thread: {:.0} pairs/s ({} pairs x {rounds}, mean score {:.3}; {:.0} pairs per second on CPU)",
        (pairs.len() * rounds) as f64 / elapsed.as_secs_f64(),
        pairs.len(),
        total / (pairs.len() * rounds) as f64,
        (pairs.len() * rounds) as f64 / cpu_s
    );
    total
}

/// The pairs compared: each two neighbours of the query mix (mostly two different names).
fn pairs(queries: &[String]) -> Vec<(String, String)> {
    queries.windows(2).step_by(2).map(|w| (w[0].clone(), w[1].clone())).collect()
}

/// A deterministic mix: every 13th listed name as written (hits, all scripts), the same
/// names with their tokens reversed, and given names of one listed person joined with the
/// family name of another (mostly clean).
fn queries(entities: &[Entity]) -> Vec<String> {
    let names: Vec<&str> = entities
        .iter()
        .flat_map(|e| e.names.iter())
        .filter(|n| n.kind != NameKind::WeakAlias)
        .map(|n| n.value.as_str())
        .collect();
    let mut out: Vec<String> = names.iter().step_by(13).map(|n| n.to_string()).collect();
    let listed = out.len();
    for n in out[..listed].to_vec().iter().step_by(3) {
        out.push(n.split_whitespace().rev().collect::<Vec<_>>().join(" "));
    }
    let persons: Vec<Vec<&str>> = entities
        .iter()
        .filter(|e| e.schema == sekisho_model::Schema::Person)
        .map(|e| e.caption().split_whitespace().collect::<Vec<_>>())
        .filter(|t| t.len() >= 2)
        .collect();
    for (i, p) in persons.iter().enumerate().step_by(7) {
        let other = &persons[(i * 31 + 17) % persons.len()];
        out.push(format!("{} {}", p[1..].join(" "), other[0]));
    }
    out
}

/// Nanoseconds this thread has run on a CPU (Linux schedstat; 0 elsewhere).
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn vm_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}
