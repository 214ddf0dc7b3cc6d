//! Load generator for `sekisho serve`: N keep-alive connections send single-name
//! `POST /match/default` queries, drawn from listed and clean names, for a fixed time,
//! then report throughput, latency percentiles, errors and the server's memory.
//!
//! ```text
//! cargo run --release -p sekisho-server --example loadgen -- \
//!     --url http://127.0.0.1:8000 --key "$KEY" --pid "$(pgrep -n sekisho)" --seconds 60
//! ```
//! Targets loopback only (refuses other hosts) and stops by itself.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Names on the lists in service (shared data), some spelled as a user would type them.
const LISTED: [(&str, &str); 16] = [
    ("Person", "Kim Jong Un"),
    ("Person", "キム・ジョンウン"),
    ("Person", "KUSIUK, Sergey"),
    ("Person", "Sergey Kusiuk"),
    ("Person", "Alejandro Chacon Miranda"),
    ("Person", "Issa Osman Issa"),
    ("Person", "Alonso Zuleta Noscue"),
    ("Person", "Mohamad Zouheir El Khansa"),
    ("Person", "Jesus David Botello Ortiz"),
    ("Person", "Frederik Heinz Barth"),
    ("Organization", "ARTTRONIX INTERNATIONAL HK LIMITED"),
    ("Organization", "Sangsiri Kankaset Co., Ltd."),
    ("Organization", "UNIREFRICLIMA S.A."),
    ("Organization", "Pars Sarralle Company"),
    ("Organization", "株式会社アルマズ・アンティ・コンツェルン北西部地域センター・オブホフスキー工場"),
    ("Organization", "LLC Vector"),
];

/// Parts of clean names: common given and family names, and company words.
const GIVEN: [&str; 12] = ["Hanako", "Taro", "Emily", "Lukas", "Sofia", "Mateo", "Yuki", "Priya", "Olivia", "Noah", "花子", "ミナ"];
const FAMILY: [&str; 12] =
    ["Suzuki", "Whitfield", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Fernandes", "Kowalczyk", "Brennan", "山本", "ワタナベ", "Haddad"];
const COMPANY: [&str; 8] = ["Maple", "Harbor", "Sakura", "Northwind", "Bluebell", "Kestrel", "Tsubame", "Granite"];
const COMPANY_KIND: [&str; 4] = ["Trading Co., Ltd.", "Logistics GmbH", "株式会社", "Foods Inc."];

struct Args {
    url: String,
    key: Option<String>,
    connections: usize,
    seconds: u64,
    pid: Option<u32>,
    /// Share of queries that use a listed name.
    listed_share: f64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        url: "http://127.0.0.1:8000".into(),
        key: std::env::var("SEKISHO_API_KEY").ok(),
        connections: 64,
        seconds: 60,
        pid: None,
        listed_share: 0.2,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => args.url = value()?,
            "--key" => args.key = Some(value()?),
            "--connections" => args.connections = value()?.parse().map_err(|e| format!("--connections: {e}"))?,
            "--seconds" => args.seconds = value()?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--pid" => args.pid = Some(value()?.parse().map_err(|e| format!("--pid: {e}"))?),
            "--listed-share" => args.listed_share = value()?.parse().map_err(|e| format!("--listed-share: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let host = args.url.trim_start_matches("http://").split(['/', ':']).next().unwrap_or_default();
    if !(host == "localhost" || host.starts_with("127.") || host == "[") {
        return Err(format!("refusing to load {}: loopback addresses only", args.url));
    }
    if args.connections == 0 || args.seconds == 0 || args.seconds > 3600 {
        return Err("--connections must be at least 1 and --seconds from 1 to 3600".into());
    }
    Ok(args)
}

/// xorshift64: a fast, dependency-free source of name choices.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

fn query_body(rng: &mut Rng, listed_share: f64) -> (bool, String) {
    let listed = (rng.next() % 10_000) as f64 / 10_000.0 < listed_share;
    let (schema, name) = if listed {
        let (schema, name) = LISTED[(rng.next() % LISTED.len() as u64) as usize];
        (schema, name.to_string())
    } else if rng.next().is_multiple_of(4) {
        ("Organization", format!("{} {}", rng.pick(&COMPANY), rng.pick(&COMPANY_KIND)))
    } else {
        ("Person", format!("{} {}", rng.pick(&GIVEN), rng.pick(&FAMILY)))
    };
    let body = serde_json::json!({"queries": {"q": {"schema": schema, "properties": {"name": [name]}}}});
    (listed, body.to_string())
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u32>,
    errors: u64,
    first_error: Option<String>,
    listed_sent: u64,
    listed_hits: u64,
    clean_sent: u64,
    clean_hits: u64,
}

fn worker(args: &Args, seed: u64, stop: &AtomicBool) -> Tally {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .max_idle_connections_per_host(1)
        .build();
    let agent = ureq::Agent::new_with_config(config);
    let url = format!("{}/match/default", args.url.trim_end_matches('/'));
    let auth = args.key.as_ref().map(|k| format!("ApiKey {k}"));
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut tally = Tally::default();
    while !stop.load(Ordering::Relaxed) {
        let (listed, body) = query_body(&mut rng, args.listed_share);
        let started = Instant::now();
        let mut request = agent.post(&url).header("Content-Type", "application/json");
        if let Some(auth) = &auth {
            request = request.header("Authorization", auth);
        }
        let outcome = request.send(&body).and_then(|mut r| {
            let status = r.status().as_u16();
            r.body_mut().read_to_string().map(|text| (status, text))
        });
        let elapsed = started.elapsed();
        match outcome {
            Ok((200, text)) => {
                tally.latencies_us.push(elapsed.as_micros().min(u32::MAX as u128) as u32);
                // Cheap on the client (which shares the machine): no JSON parse.
                let hit = !text.contains("\"results\":[]");
                if listed {
                    tally.listed_sent += 1;
                    tally.listed_hits += u64::from(hit);
                } else {
                    tally.clean_sent += 1;
                    tally.clean_hits += u64::from(hit);
                }
            }
            Ok((status, text)) => {
                tally.errors += 1;
                tally.first_error.get_or_insert(format!("HTTP {status}: {}", text.chars().take(200).collect::<String>()));
            }
            Err(e) => {
                tally.errors += 1;
                tally.first_error.get_or_insert(e.to_string());
            }
        }
    }
    tally
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[i]) / 1000.0
}

fn main() {
    let args = match parse_args() {
        Ok(a) => Arc::new(a),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let rss_start = args.pid.and_then(rss_kib);
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let handles: Vec<_> = (0..args.connections)
        .map(|i| {
            let (args, stop) = (args.clone(), stop.clone());
            std::thread::spawn(move || worker(&args, i as u64 + 1, &stop))
        })
        .collect();
    // Sample the server's memory while the load runs.
    let mut rss_peak = rss_start.unwrap_or(0);
    let deadline = started + Duration::from_secs(args.seconds);
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(500).min(deadline.saturating_duration_since(Instant::now())));
        if let Some(rss) = args.pid.and_then(rss_kib) {
            rss_peak = rss_peak.max(rss);
        }
    }
    stop.store(true, Ordering::Relaxed);
    let mut total = Tally::default();
    for h in handles {
        let t = h.join().expect("worker thread");
        total.latencies_us.extend(t.latencies_us);
        total.errors += t.errors;
        total.first_error = total.first_error.or(t.first_error);
        total.listed_sent += t.listed_sent;
        total.listed_hits += t.listed_hits;
        total.clean_sent += t.clean_sent;
        total.clean_hits += t.clean_hits;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let rss_end = args.pid.and_then(rss_kib);
    let mut lat = total.latencies_us;
    lat.sort_unstable();
    let ok = lat.len();
    println!("connections      {}", args.connections);
    println!("duration         {elapsed:.1} s");
    println!("requests ok      {ok}");
    println!("errors           {}", total.errors);
    if let Some(e) = &total.first_error {
        println!("first error      {e}");
    }
    println!("throughput       {:.0} req/s", ok as f64 / elapsed);
    println!("latency p50      {:.2} ms", percentile(&lat, 0.50));
    println!("latency p90      {:.2} ms", percentile(&lat, 0.90));
    println!("latency p99      {:.2} ms", percentile(&lat, 0.99));
    println!("latency max      {:.2} ms", lat.last().map_or(f64::NAN, |&m| f64::from(m) / 1000.0));
    println!("listed names     {} sent, {} with results", total.listed_sent, total.listed_hits);
    println!("clean names      {} sent, {} with results", total.clean_sent, total.clean_hits);
    let mib = |k: Option<u64>| k.map_or("n/a".to_string(), |k| format!("{:.0} MiB", k as f64 / 1024.0));
    println!("server RSS       start {}, peak {}, end {}", mib(rss_start), mib(Some(rss_peak).filter(|&p| p > 0)), mib(rss_end));
}
