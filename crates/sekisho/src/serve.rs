//! `sekisho serve`: the HTTP screening service.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Result, bail};
use sekisho_server::ServerConfig;

use crate::home::Home;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on. Loopback by default: put a TLS proxy in front to serve others.
    #[arg(long, env = "SEKISHO_LISTEN", default_value = ServerConfig::DEFAULT_LISTEN)]
    listen: SocketAddr,
    /// Seconds between checks for new list snapshots (0: only on POST /admin/reload).
    #[arg(long, default_value_t = ServerConfig::DEFAULT_POLL_SECONDS)]
    poll_interval: u64,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = ServerConfig::DEFAULT_BODY_LIMIT)]
    body_limit: usize,
    /// Most query entities in one /match request.
    #[arg(long, default_value_t = ServerConfig::DEFAULT_MAX_BATCH)]
    max_batch: usize,
    /// Screening requests run at once (default: the number of cores).
    #[arg(long)]
    screening_threads: Option<usize>,
    /// Largest file accepted by POST /jobs (batch screening), in bytes.
    #[arg(long, default_value_t = ServerConfig::DEFAULT_JOB_BODY_LIMIT)]
    job_body_limit: usize,
    /// Threads a batch job screens on; jobs run one at a time, beside single-name screening.
    #[arg(long, default_value_t = ServerConfig::DEFAULT_JOB_THREADS)]
    job_threads: usize,
    /// Batch jobs that may wait to run; POST /jobs answers 429 beyond.
    #[arg(long, default_value_t = ServerConfig::DEFAULT_MAX_QUEUED_JOBS)]
    max_queued_jobs: usize,
    /// Days a finished batch job (its file and results) is kept before it is removed
    /// (default: the audit trail's retention, `sekisho audit retention`). Its audit
    /// records stay.
    #[arg(long, value_name = "DAYS")]
    job_retention: Option<u32>,
    /// Folder with the Freedom House, WGI and V-Dem files, read for cyber-surveillance items
    /// in POST /determine (default: $SEKISHO_RIGHTS_DATA if set, else
    /// $SEKISHO_SHARED_DATA/human-rights, else ../shared/data/human-rights).
    #[arg(long)]
    rights_data: Option<std::path::PathBuf>,
    /// Serve without API keys, for local single-user use; loopback addresses only.
    #[arg(long)]
    no_auth: bool,
}

pub fn run(home: &Home, args: ServeArgs) -> Result<()> {
    if args.no_auth && !args.listen.ip().is_loopback() {
        bail!("--no-auth is only allowed on a loopback address (127.0.0.1 or ::1), not {}", args.listen);
    }
    if args.job_retention == Some(0) {
        bail!("--job-retention must be at least 1 day");
    }
    if args.max_batch == 0 || args.body_limit == 0 || args.job_body_limit == 0 || args.job_threads == 0 || args.max_queued_jobs == 0 {
        bail!("--max-batch, --body-limit, --job-body-limit, --job-threads and --max-queued-jobs must be at least 1");
    }
    // Opening the store here creates it (and its tables) before the server starts.
    let store = home.open_store()?;
    if args.no_auth {
        eprintln!("warning: --no-auth: every endpoint is open to anyone who can reach {}", args.listen);
    } else if store.list_api_keys()?.iter().all(|k| k.revoked_at.is_some()) {
        eprintln!("warning: no API keys yet; create one with `sekisho keys create NAME --role screener`");
    }
    drop(store);
    let mut config = ServerConfig::new(home.store_path());
    config.listen = args.listen;
    config.poll_interval = (args.poll_interval > 0).then(|| Duration::from_secs(args.poll_interval));
    config.body_limit = args.body_limit;
    config.max_batch = args.max_batch;
    config.auth = !args.no_auth;
    config.job_body_limit = args.job_body_limit;
    config.job_threads = args.job_threads;
    config.max_queued_jobs = args.max_queued_jobs;
    config.job_retention_days = args.job_retention;
    config.rights_data = crate::data_dir::rights_data(args.rights_data);
    if let Some(n) = args.screening_threads {
        config.screening_threads = n.max(1);
    }
    sekisho_server::run(config)
}
