//! Load generator for `sekisho serve`: N keep-alive connections send single-name
//! `POST /match/default` queries, drawn from listed and clean names, for a fixed time,
//! then report throughput, latency percentiles, errors, the server's memory and the CPU
//! time both sides spent.
//!
//! ```text
//! cargo run --release -p sekisho-server --example loadgen -- \
//!     --url http://127.0.0.1:8000 --key "$KEY" --pid "$(pgrep -n sekisho)" --seconds 60
//! ```
//!
//! It shares the machine with the server, so it is built to cost little: every connection
//! is a task on one thread (`--threads` to change), the requests are HTTP bytes built
//! before the clock starts, and responses are read by `Content-Length` without parsing
//! their JSON.
//!
//! Two modes:
//! - **closed loop** (default): each connection sends its next request as soon as the
//!   answer to the last one is in, as wrk does. Throughput is what the server sustains;
//!   latency is then mostly the queue (≈ connections / throughput, Little's law).
//! - **open loop** (`--rate R`): R requests per second in all, spread evenly over the
//!   connections, each sent at its scheduled time; latency counts from the scheduled time,
//!   not from when the request went out, so a server that falls behind shows it in the
//!   percentiles instead of slowing the client down (coordinated omission; wrk2 does the
//!   same). A connection still waiting for its last answer sends late, and that wait counts.
//!
//! Targets loopback only (refuses other hosts) and stops by itself.

use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

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

/// Requests built per connection before the run; each connection cycles through its own.
const REQUESTS_PER_CONNECTION: usize = 512;
/// An answer slower than this is counted as an error (and the connection opened again).
const TIMEOUT: Duration = Duration::from_secs(30);
/// `/proc` reports CPU time in clock ticks of 1/100 s on Linux (USER_HZ).
const TICKS_PER_SECOND: f64 = 100.0;

struct Args {
    url: String,
    address: SocketAddr,
    key: Option<String>,
    connections: usize,
    seconds: u64,
    pid: Option<u32>,
    /// Share of queries that use a listed name.
    listed_share: f64,
    /// Open loop: requests per second in all; `None`: closed loop.
    rate: Option<f64>,
    /// Threads of the client's runtime.
    threads: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut url = "http://127.0.0.1:8000".to_string();
    let mut key = std::env::var("SEKISHO_API_KEY").ok();
    let (mut connections, mut seconds, mut pid, mut listed_share, mut rate, mut threads) = (64, 60, None, 0.2, None, 1);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        fn number<T: std::str::FromStr<Err: std::fmt::Display>>(flag: &str, v: String) -> Result<T, String> {
            v.parse().map_err(|e| format!("{flag}: {e}"))
        }
        match flag.as_str() {
            "--url" => url = value()?,
            "--key" => key = Some(value()?),
            "--connections" => connections = number(&flag, value()?)?,
            "--seconds" => seconds = number(&flag, value()?)?,
            "--pid" => pid = Some(number(&flag, value()?)?),
            "--listed-share" => listed_share = number(&flag, value()?)?,
            "--rate" => rate = Some(number(&flag, value()?)?),
            "--threads" => threads = number(&flag, value()?)?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let host_port = url.strip_prefix("http://").ok_or("--url must start with http://")?.trim_end_matches('/');
    if host_port.contains('/') {
        return Err("--url is the server's root (http://HOST:PORT), without a path".into());
    }
    let address = host_port
        .to_socket_addrs()
        .map_err(|e| format!("--url {url}: {e}"))?
        .next()
        .ok_or(format!("--url {url}: no address"))?;
    if !address.ip().is_loopback() {
        return Err(format!("refusing to load {url}: loopback addresses only"));
    }
    if connections == 0 || seconds == 0 || seconds > 3600 || threads == 0 {
        return Err("--connections and --threads must be at least 1 and --seconds from 1 to 3600".into());
    }
    if rate.is_some_and(|r: f64| !(r.is_finite() && r > 0.0)) {
        return Err("--rate must be a positive number of requests per second".into());
    }
    Ok(Args { url: url.trim_end_matches('/').to_string(), address, key, connections, seconds, pid, listed_share, rate, threads })
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

/// One prepared request: the bytes to send, and whether it names a listed party.
struct Prepared {
    bytes: Vec<u8>,
    listed: bool,
}

fn prepare(args: &Args, rng: &mut Rng) -> Prepared {
    let listed = (rng.next() % 10_000) as f64 / 10_000.0 < args.listed_share;
    let (schema, name) = if listed {
        let (schema, name) = LISTED[(rng.next() % LISTED.len() as u64) as usize];
        (schema, name.to_string())
    } else if rng.next().is_multiple_of(4) {
        ("Organization", format!("{} {}", rng.pick(&COMPANY), rng.pick(&COMPANY_KIND)))
    } else {
        ("Person", format!("{} {}", rng.pick(&GIVEN), rng.pick(&FAMILY)))
    };
    let body = serde_json::json!({"queries": {"q": {"schema": schema, "properties": {"name": [name]}}}}).to_string();
    let auth = args.key.as_ref().map(|k| format!("Authorization: ApiKey {k}\r\n")).unwrap_or_default();
    let head = format!(
        "POST /match/default HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n",
        args.address,
        body.len()
    );
    Prepared { bytes: [head.as_bytes(), body.as_bytes()].concat(), listed }
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
    /// Open loop: requests that went out more than 1 ms after their scheduled time.
    sent_late: u64,
    /// The slowest answers: latency (µs) and when the request was due, after the start (ms).
    slowest: Vec<(u32, u32)>,
}

impl Tally {
    fn error(&mut self, what: String) {
        self.errors += 1;
        self.first_error.get_or_insert(what);
    }

    fn add(&mut self, other: Tally) {
        self.latencies_us.extend(other.latencies_us);
        self.errors += other.errors;
        self.first_error = self.first_error.take().or(other.first_error);
        self.listed_sent += other.listed_sent;
        self.listed_hits += other.listed_hits;
        self.clean_sent += other.clean_sent;
        self.clean_hits += other.clean_hits;
        self.sent_late += other.sent_late;
        self.slowest.extend(other.slowest);
        keep_slowest(&mut self.slowest);
    }
}

/// A response: its status and whether its body lists any result.
struct Answer {
    status: u16,
    hit: bool,
    body_start: String,
}

/// One keep-alive connection and its read buffer.
struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Connection {
    async fn open(address: SocketAddr) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(address).await?;
        stream.set_nodelay(true)?;
        Ok(Connection { stream, buffer: Vec::with_capacity(64 * 1024) })
    }

    /// Sends a request and reads its whole response (by `Content-Length`).
    async fn exchange(&mut self, request: &[u8]) -> Result<Answer, String> {
        self.stream.write_all(request).await.map_err(|e| format!("send: {e}"))?;
        self.buffer.clear();
        let (head_len, status, body_len) = loop {
            if let Some(end) = find(&self.buffer, b"\r\n\r\n") {
                let (status, length) = parse_head(&self.buffer[..end])?;
                break (end + 4, status, length);
            }
            self.fill().await?;
        };
        while self.buffer.len() < head_len + body_len {
            self.fill().await?;
        }
        if self.buffer.len() > head_len + body_len {
            return Err("the server sent more than one response".into());
        }
        let body = &self.buffer[head_len..];
        let hit = find(body, b"\"results\":[]").is_none();
        let body_start = if status == 200 { String::new() } else { String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned() };
        Ok(Answer { status, hit, body_start })
    }

    async fn fill(&mut self) -> Result<(), String> {
        let n = self.stream.read_buf(&mut self.buffer).await.map_err(|e| format!("receive: {e}"))?;
        if n == 0 {
            return Err("the server closed the connection".into());
        }
        Ok(())
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Status code and `Content-Length` of a response head.
fn parse_head(head: &[u8]) -> Result<(u16, usize), String> {
    let head = std::str::from_utf8(head).map_err(|_| "response head is not UTF-8".to_string())?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let mut length = None;
    for line in lines {
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().ok();
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err("chunked responses are not supported by this load generator".into());
        }
    }
    Ok((status, length.ok_or("response without Content-Length")?))
}

/// When each connection sends: back to back, or on a fixed schedule.
#[derive(Clone, Copy)]
enum Pace {
    Closed,
    /// Connection `i` sends at `start + i·interval/connections + k·interval`.
    Open { interval: Duration, offset: Duration },
}

async fn connection(args: Arc<Args>, index: usize, pace: Pace, start: Instant, deadline: Instant) -> Tally {
    let mut rng = Rng((index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let requests: Vec<Prepared> = (0..REQUESTS_PER_CONNECTION).map(|_| prepare(&args, &mut rng)).collect();
    let mut tally = Tally { latencies_us: Vec::with_capacity(1 << 14), ..Tally::default() };
    let mut conn = None;
    tokio::time::sleep_until(start).await;
    for k in 0usize.. {
        let scheduled = match pace {
            Pace::Closed => Instant::now(),
            Pace::Open { interval, offset } => start + offset + interval * k as u32,
        };
        if scheduled >= deadline {
            break;
        }
        if let Pace::Open { .. } = pace {
            let now = Instant::now();
            if now < scheduled {
                tokio::time::sleep_until(scheduled).await;
            } else if now - scheduled > Duration::from_millis(1) {
                tally.sent_late += 1;
            }
        }
        let request = &requests[k % requests.len()];
        if conn.is_none() {
            match Connection::open(args.address).await {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    tally.error(format!("connect: {e}"));
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            }
        }
        let exchanged = tokio::time::timeout(TIMEOUT, conn.as_mut().expect("connected").exchange(&request.bytes)).await;
        let latency = scheduled.elapsed();
        match exchanged {
            Ok(Ok(Answer { status: 200, hit, .. })) => {
                let micros = latency.as_micros().min(u128::from(u32::MAX)) as u32;
                tally.latencies_us.push(micros);
                if tally.slowest.len() < SLOWEST || micros > tally.slowest[SLOWEST - 1].0 {
                    tally.slowest.push((micros, scheduled.saturating_duration_since(start).as_millis() as u32));
                    keep_slowest(&mut tally.slowest);
                }
                if request.listed {
                    tally.listed_sent += 1;
                    tally.listed_hits += u64::from(hit);
                } else {
                    tally.clean_sent += 1;
                    tally.clean_hits += u64::from(hit);
                }
            }
            Ok(Ok(Answer { status, body_start, .. })) => tally.error(format!("HTTP {status}: {body_start}")),
            Ok(Err(e)) => {
                tally.error(e);
                conn = None;
            }
            Err(_) => {
                tally.error(format!("no answer within {} s", TIMEOUT.as_secs()));
                conn = None;
            }
        }
    }
    tally
}

/// Slowest answers reported, with when they were due: a stall shows as several at one time.
const SLOWEST: usize = 8;

fn keep_slowest(slowest: &mut Vec<(u32, u32)>) {
    slowest.sort_unstable_by(|a, b| b.cmp(a));
    slowest.truncate(SLOWEST);
}

/// Resident memory of a process, KiB.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User + system CPU time of a process so far, seconds.
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / TICKS_PER_SECOND)
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
    let runtime = if args.threads == 1 {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_multi_thread().worker_threads(args.threads).enable_all().build()
    };
    let runtime = runtime.unwrap_or_else(|e| {
        eprintln!("error: cannot start the runtime: {e}");
        std::process::exit(1);
    });
    let (total, elapsed, rss, cpu, server) = runtime.block_on(run(args.clone()));
    report(&args, total, elapsed, rss, cpu, &server);
}

/// Server RSS at start, peak and end, KiB.
type Rss = (Option<u64>, u64, Option<u64>);
/// CPU seconds during the run: the server's and this process's.
type Cpu = (Option<f64>, Option<f64>);

/// The server's own histogram of `/match` times (from the request to the response head),
/// from its /metrics: the cumulative count at each bucket bound (seconds).
async fn server_histogram(address: SocketAddr) -> Option<Vec<(f64, u64)>> {
    let mut stream = TcpStream::connect(address).await.ok()?;
    stream.write_all(b"GET /metrics HTTP/1.1\r\nHost: loadgen\r\nConnection: close\r\n\r\n").await.ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).await.ok()?;
    let prefix = "sekisho_http_request_duration_seconds_bucket{route=\"/match/{dataset}\",le=\"";
    let buckets = text
        .lines()
        .filter_map(|line| {
            let (bound, count) = line.strip_prefix(prefix)?.split_once("\"} ")?;
            Some((bound.parse().ok()?, count.trim().parse().ok()?))
        })
        .collect();
    Some(buckets)
}

/// Server-side counts during the run: the histogram at the end less the one at the start.
fn histogram_diff(start: Option<Vec<(f64, u64)>>, end: Option<Vec<(f64, u64)>>) -> Vec<(f64, u64)> {
    let (Some(start), Some(end)) = (start, end) else { return Vec::new() };
    end.iter().map(|&(bound, n)| (bound, n.saturating_sub(start.iter().find(|b| b.0 == bound).map_or(0, |b| b.1)))).collect()
}

async fn run(args: Arc<Args>) -> (Tally, f64, Rss, Cpu, Vec<(f64, u64)>) {
    let server_pid = args.pid.map(|p| p.to_string());
    let cpu_at = || (server_pid.as_deref().and_then(cpu_seconds), cpu_seconds("self"));
    let rss_start = args.pid.and_then(rss_kib);
    // Preparing the requests happens before the clock starts.
    let start = Instant::now() + Duration::from_millis(200);
    let deadline = start + Duration::from_secs(args.seconds);
    let handles: Vec<_> = (0..args.connections)
        .map(|i| {
            let pace = match args.rate {
                None => Pace::Closed,
                Some(rate) => {
                    let interval = Duration::from_secs_f64(args.connections as f64 / rate);
                    Pace::Open { interval, offset: interval * i as u32 / args.connections as u32 }
                }
            };
            tokio::spawn(connection(args.clone(), i, pace, start, deadline))
        })
        .collect();
    tokio::time::sleep_until(start).await;
    let cpu_start = cpu_at();
    let histogram_start = server_histogram(args.address).await;
    // Sample the server's memory while the load runs.
    let mut rss_peak = rss_start.unwrap_or(0);
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(500).min(deadline.saturating_duration_since(Instant::now()))).await;
        if let Some(rss) = args.pid.and_then(rss_kib) {
            rss_peak = rss_peak.max(rss);
        }
    }
    let mut total = Tally::default();
    for h in handles {
        match h.await {
            Ok(t) => total.add(t),
            Err(e) => total.error(format!("a connection task failed: {e}")),
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let cpu_end = cpu_at();
    let server = histogram_diff(histogram_start, server_histogram(args.address).await);
    let used = |a: Option<f64>, b: Option<f64>| Some(b? - a?);
    let cpu = (used(cpu_start.0, cpu_end.0), used(cpu_start.1, cpu_end.1));
    (total, elapsed, (rss_start, rss_peak, args.pid.and_then(rss_kib)), cpu, server)
}

fn report(args: &Args, total: Tally, elapsed: f64, (rss_start, rss_peak, rss_end): Rss, (server_cpu, client_cpu): Cpu, server: &[(f64, u64)]) {
    let mut lat = total.latencies_us;
    lat.sort_unstable();
    let ok = lat.len();
    println!("url              {}", args.url);
    match args.rate {
        None => println!("mode             closed loop (each connection sends when its last answer is in)"),
        Some(rate) => println!("mode             open loop at {rate:.0} req/s (latency from the scheduled send time)"),
    }
    println!("connections      {}", args.connections);
    println!("duration         {elapsed:.1} s");
    println!("requests ok      {ok}");
    println!("errors           {}", total.errors);
    if let Some(e) = &total.first_error {
        println!("first error      {e}");
    }
    if args.rate.is_some() {
        println!("sent late >1 ms  {} ({:.1} %)", total.sent_late, 100.0 * total.sent_late as f64 / (ok as f64 + total.errors as f64).max(1.0));
    }
    println!("throughput       {:.0} req/s", ok as f64 / elapsed);
    println!("latency p50      {:.2} ms", percentile(&lat, 0.50));
    println!("latency p90      {:.2} ms", percentile(&lat, 0.90));
    println!("latency p99      {:.2} ms", percentile(&lat, 0.99));
    println!("latency p99.9    {:.2} ms", percentile(&lat, 0.999));
    println!("latency max      {:.2} ms", lat.last().map_or(f64::NAN, |&m| f64::from(m) / 1000.0));
    let slowest: Vec<String> = total.slowest.iter().map(|(us, at)| format!("{:.1} ms at {:.2} s", f64::from(*us) / 1000.0, f64::from(*at) / 1000.0)).collect();
    println!("slowest          {}", slowest.join(", "));
    // The same bounds seen by this client and by the server itself (its time from request to
    // response head): what the client adds is its own and the sockets' share.
    if let Some(&(_, all)) = server.iter().find(|b| b.0.is_infinite()).or(server.last()) {
        let shares: Vec<String> = server
            .iter()
            .filter(|(bound, _)| (0.002..=0.05).contains(bound))
            .map(|&(bound, n)| {
                let client = lat.partition_point(|&us| f64::from(us) <= bound * 1e6);
                let pct = |k: usize, of: u64| 100.0 * k as f64 / of.max(1) as f64;
                format!("≤{} ms {:.2}/{:.2} %", bound * 1000.0, pct(client, ok as u64), pct(n as usize, all))
            })
            .collect();
        println!("answered within  {} (client/server)", shares.join(", "));
    }
    println!("listed names     {} sent, {} with results", total.listed_sent, total.listed_hits);
    println!("clean names      {} sent, {} with results", total.clean_sent, total.clean_hits);
    let mib = |k: Option<u64>| k.map_or("n/a".to_string(), |k| format!("{:.0} MiB", k as f64 / 1024.0));
    println!("server RSS       start {}, peak {}, end {}", mib(rss_start), mib(Some(rss_peak).filter(|&p| p > 0)), mib(rss_end));
    let per_request = |cpu: Option<f64>| {
        cpu.map_or("n/a".to_string(), |s| format!("{s:.1} s = {:.0} µs per request", s * 1e6 / ok.max(1) as f64))
    };
    println!("server CPU       {}", per_request(server_cpu));
    println!("loadgen CPU      {}", per_request(client_cpu));
}
