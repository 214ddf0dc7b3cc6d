//! What every request handler shares.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;


use crate::auth::KeyCache;
use crate::determination::Determiner;
use crate::error::ApiError;
use crate::index::{IndexHolder, Loaded};
use crate::jobs::Jobs;
use crate::metrics::Metrics;
use crate::pool::ScreeningPool;
use crate::recorder::Recorder;
use crate::store_pool::StorePool;

/// How the service runs; `sekisho serve` fills it from its flags.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub store_path: PathBuf,
    pub listen: SocketAddr,
    /// How often to look for new list snapshots; `None`: only on `POST /admin/reload`.
    pub poll_interval: Option<Duration>,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Most queries in one `/match` request.
    pub max_batch: usize,
    /// Require API keys (off only for local single-user use).
    pub auth: bool,
    /// Screening requests run at once; more wait (the matching engine is CPU-bound).
    pub screening_threads: usize,
    /// Largest file accepted by `POST /jobs`, in bytes.
    pub job_body_limit: usize,
    /// Threads one batch job screens on (jobs run one at a time).
    pub job_threads: usize,
    /// Jobs that may wait to run; `POST /jobs` answers 429 beyond.
    pub max_queued_jobs: usize,
    /// Folder with the human-rights indicator files, read for cyber-surveillance items.
    pub rights_data: PathBuf,
    /// Days finished batch jobs are kept; `None`: as long as the audit trail's retention.
    pub job_retention_days: Option<u32>,
}

impl ServerConfig {
    pub const DEFAULT_LISTEN: &str = "127.0.0.1:8000";
    pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
    pub const DEFAULT_MAX_BATCH: usize = 100;
    pub const DEFAULT_POLL_SECONDS: u64 = 5;
    pub const DEFAULT_JOB_BODY_LIMIT: usize = 32 * 1024 * 1024;
    pub const DEFAULT_JOB_THREADS: usize = 1;
    pub const DEFAULT_MAX_QUEUED_JOBS: usize = 16;
    pub const DEFAULT_RIGHTS_DATA: &str = "../shared/data/human-rights";

    pub fn new(store_path: PathBuf) -> ServerConfig {
        ServerConfig {
            store_path,
            listen: Self::DEFAULT_LISTEN.parse().expect("default address parses"),
            poll_interval: Some(Duration::from_secs(Self::DEFAULT_POLL_SECONDS)),
            body_limit: Self::DEFAULT_BODY_LIMIT,
            max_batch: Self::DEFAULT_MAX_BATCH,
            auth: true,
            screening_threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            job_body_limit: Self::DEFAULT_JOB_BODY_LIMIT,
            job_threads: Self::DEFAULT_JOB_THREADS,
            max_queued_jobs: Self::DEFAULT_MAX_QUEUED_JOBS,
            rights_data: PathBuf::from(Self::DEFAULT_RIGHTS_DATA),
            job_retention_days: None,
        }
    }
}

pub struct AppState {
    pub config: ServerConfig,
    pub index: IndexHolder,
    /// Read connections.
    pub stores: StorePool,
    /// The writer of the audit trail and cases.
    pub recorder: Recorder,
    pub metrics: Metrics,
    /// Batch jobs: the queue and the running job's counts.
    pub jobs: Jobs,
    /// The rulebook, authored rules and indicators of `/determine` and `/classify`.
    pub determiner: Determiner,
    /// API keys verified under the key table's current generation.
    pub keys: KeyCache,
    screening: ScreeningPool,
}

pub type Shared = Arc<AppState>;

impl AppState {
    pub fn new(config: ServerConfig) -> Shared {
        Arc::new(AppState {
            stores: StorePool::new(config.store_path.clone()),
            recorder: Recorder::new(config.store_path.clone()),
            screening: ScreeningPool::new(config.screening_threads),
            index: IndexHolder::default(),
            metrics: Metrics::default(),
            jobs: Jobs::new(config.max_queued_jobs.max(1)),
            determiner: Determiner::new(config.rights_data.clone()),
            keys: KeyCache::default(),
            config,
        })
    }

    /// The index in service, or 503 while there is none.
    pub fn loaded(&self) -> Result<Arc<Loaded>, ApiError> {
        self.index.current().ok_or_else(|| ApiError::unavailable(self.index.pending_reason()))
    }

    /// Runs CPU-bound work (screening and the reads that go with it) on one of the
    /// `screening_threads`, in the order requests came, so that the async workers keep
    /// accepting and answering other requests.
    pub async fn blocking<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let state = self.clone();
        self.screening.run(move || work(&state)).await.unwrap_or_else(|| Err(ApiError::internal("a screening task failed")))
    }

    /// Queues work on one of the `screening_threads`, in the order requests came, that
    /// answers its request by itself (the screening threads hand their screenings straight
    /// to the audit writer, which answers: one wake-up of the request's task, not two).
    pub fn submit_screening(self: &Arc<Self>, work: impl FnOnce(&AppState) + Send + 'static) {
        let state = self.clone();
        self.screening.submit(move || work(&state));
    }

    /// A short store read (key check, entity lookup) on a blocking thread, not counted
    /// against the screening threads so that it does not queue behind screening.
    pub async fn store_task<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || work(&state)).await?
    }
}
