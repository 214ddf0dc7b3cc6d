//! Batch jobs: an uploaded customer file screened in the background, as `sekisho screen
//! --input` screens it (sekisho-batch does the work for both).
//!
//! `POST /jobs` stores the file as a queued job (the store keeps it, so a restart loses
//! nothing queued) and hands its id to the [`JobQueue`]. The queue here is in-process: one
//! worker thread runs one job at a time and screens on `job_threads` threads (default 1),
//! so that single-name screening keeps the other cores. The trait is the seam for a queue
//! shared by several servers.
//!
//! A job reads the file, screens every row against the index in service when it starts
//! (the list versions it records are that index's), records each alerting row through the
//! server's audit writer as a single screening is recorded (cases, suppression), renders
//! the result as CSV and XLSX, and stores both in the transaction of its `batch_screen`
//! audit record. While it runs, `GET /jobs/{id}` shows live counts from [`Live`].

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use sekisho_batch::record::{self, Recorder};
use sekisho_batch::{Batch, ColumnNames, OutputKind};
use sekisho_match::{Match, ScreenOptions};
use sekisho_service::{ScreenedMatch, ScreeningRecord, SnapshotInfo, Subject, version_matches};
use sekisho_store::{Job, JobResult};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::state::{AppState, Shared};

/// Where submitted jobs wait to run.
pub trait JobQueue: Send + Sync {
    /// Takes a stored, queued job. `Err(QueueFull)` when as many jobs wait as it holds.
    fn submit(&self, job: i64) -> Result<(), QueueFull>;
    /// Jobs submitted and not yet started.
    fn waiting(&self) -> usize;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueFull;

/// The in-process queue: a channel to the one worker thread, at most `capacity` waiting.
pub struct LocalQueue {
    sender: Mutex<Sender<i64>>,
    receiver: Mutex<Option<Receiver<i64>>>,
    waiting: AtomicUsize,
    capacity: usize,
}

impl LocalQueue {
    pub fn new(capacity: usize) -> LocalQueue {
        let (sender, receiver) = channel();
        LocalQueue { sender: Mutex::new(sender), receiver: Mutex::new(Some(receiver)), waiting: AtomicUsize::new(0), capacity }
    }

    /// The worker's end of the channel (taken once).
    fn take_receiver(&self) -> Option<Receiver<i64>> {
        self.receiver.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

impl JobQueue for LocalQueue {
    fn submit(&self, job: i64) -> Result<(), QueueFull> {
        let reserved = self.waiting.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < self.capacity).then_some(n + 1));
        if reserved.is_err() {
            return Err(QueueFull);
        }
        // The receiver lives as long as the worker thread, i.e. the server.
        if self.sender.lock().unwrap_or_else(|e| e.into_inner()).send(job).is_err() {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(QueueFull);
        }
        Ok(())
    }

    fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Acquire)
    }
}

/// What a job was submitted with (stored as its `parameters`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct JobParameters {
    pub name_column: Option<String>,
    pub id_column: Option<String>,
    pub country_column: Option<String>,
    pub schema_column: Option<String>,
    pub birth_date_column: Option<String>,
    pub sheet: Option<String>,
    pub threshold: f64,
    pub limit: usize,
}

impl JobParameters {
    fn columns(&self) -> ColumnNames {
        ColumnNames {
            name: self.name_column.clone(),
            id: self.id_column.clone(),
            country: self.country_column.clone(),
            schema: self.schema_column.clone(),
            birth_date: self.birth_date_column.clone(),
        }
    }
}

/// Live counts of a running job.
#[derive(Default)]
pub struct Live {
    pub phase: Mutex<&'static str>,
    pub rows_total: AtomicU64,
    pub rows_done: AtomicU64,
    pub alert_rows: AtomicU64,
    pub recorded: AtomicU64,
    /// Cancellation asked for, and recording begun: once recording has begun a job is no
    /// longer cancelled (what it recorded stays recorded, and its result belongs with it).
    control: Mutex<Control>,
}

#[derive(Default)]
struct Control {
    cancelled: bool,
    recording: bool,
}

impl Live {
    /// Asks the job to stop; false if it has begun recording and will finish.
    pub fn cancel(&self) -> bool {
        let mut control = self.control.lock().unwrap_or_else(|e| e.into_inner());
        if !control.recording {
            control.cancelled = true;
        }
        control.cancelled
    }

    fn cancelled(&self) -> bool {
        self.control.lock().unwrap_or_else(|e| e.into_inner()).cancelled
    }

    /// Moves to recording unless the job was cancelled (then false).
    fn begin_recording(&self) -> bool {
        let mut control = self.control.lock().unwrap_or_else(|e| e.into_inner());
        control.recording = !control.cancelled;
        control.recording
    }

    fn set_phase(&self, phase: &'static str) {
        *self.phase.lock().unwrap_or_else(|e| e.into_inner()) = phase;
    }

    pub fn phase(&self) -> &'static str {
        *self.phase.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The job queue and the live state of the running job.
pub struct Jobs {
    pub queue: LocalQueue,
    running: Mutex<HashMap<i64, Arc<Live>>>,
}

impl Jobs {
    pub fn new(capacity: usize) -> Jobs {
        Jobs { queue: LocalQueue::new(capacity), running: Mutex::new(HashMap::new()) }
    }

    pub fn live(&self, id: i64) -> Option<Arc<Live>> {
        self.running.lock().unwrap_or_else(|e| e.into_inner()).get(&id).cloned()
    }
}

/// Starts the worker thread: first the jobs a previous run left queued, then each job
/// submitted, one at a time. Jobs a previous run left running are marked failed here, before
/// the server answers, so that no client reads them as still running.
pub fn spawn_worker(state: &Shared) {
    let Some(receiver) = state.jobs.queue.take_receiver() else { return };
    let left = match state.stores.with(|store| store.recover_jobs()) {
        Ok((queued, failed)) => {
            if failed > 0 || !queued.is_empty() {
                eprintln!("batch jobs: {failed} interrupted job(s) marked failed, {} queued job(s) resumed", queued.len());
            }
            queued
        }
        Err(e) => {
            eprintln!("error: cannot read the batch jobs left by the last run: {e}");
            Vec::new()
        }
    };
    let state = state.clone();
    let spawned = std::thread::Builder::new().name("sekisho-jobs".into()).spawn(move || {
        crate::priority::other_thread();
        for id in left {
            run_job(&state, id);
        }
        prune_jobs(&state);
        loop {
            match receiver.recv_timeout(PRUNE_EVERY) {
                Ok(id) => {
                    state.jobs.queue.waiting.fetch_sub(1, Ordering::AcqRel);
                    run_job(&state, id);
                }
                Err(RecvTimeoutError::Timeout) => prune_jobs(&state),
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    });
    if let Err(e) = spawned {
        eprintln!("error: cannot start the batch job thread: {e}");
    }
}

/// How often an idle worker removes finished jobs past their retention (also once at start).
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// The actor of the `batch_prune` records the server writes.
const RETENTION_ACTOR: &str = "sekisho serve (job retention)";

/// Removes finished jobs older than `--job-retention` days (default: the audit trail's
/// retention), recorded in the audit trail.
fn prune_jobs(state: &AppState) {
    let pruned = state.recorder.with(|service| {
        let store = service.store_mut();
        let days = match state.config.job_retention_days {
            Some(days) => days,
            None => store.audit_retention_days()?,
        };
        let cutoff = SystemTime::now().checked_sub(Duration::from_secs(u64::from(days) * 86_400)).unwrap_or(SystemTime::UNIX_EPOCH);
        Ok(store.prune_jobs(RETENTION_ACTOR, &humantime::format_rfc3339_micros(cutoff).to_string(), days)?)
    });
    match pruned {
        Ok(ids) if !ids.is_empty() => eprintln!("batch jobs: removed {} finished job(s) past their retention", ids.len()),
        Ok(_) => {}
        Err(e) => eprintln!("error: cannot remove old batch jobs: {e}"),
    }
}

/// Why a job failed, as its owner reads it.
enum Failure {
    /// Cancelled through the API, which has marked it so already.
    Cancelled,
    /// The user's to fix (a file that cannot be read, a column that is not there).
    User(String),
    /// The server's: the cause goes to the log.
    Internal(String),
}

impl From<sekisho_batch::Error> for Failure {
    fn from(e: sekisho_batch::Error) -> Failure {
        match e {
            sekisho_batch::Error::Service(e) => Failure::Internal(e.to_string()),
            other => Failure::User(other.to_string()),
        }
    }
}

impl From<sekisho_store::Error> for Failure {
    fn from(e: sekisho_store::Error) -> Failure {
        Failure::Internal(e.to_string())
    }
}

impl From<sekisho_service::Error> for Failure {
    fn from(e: sekisho_service::Error) -> Failure {
        Failure::Internal(e.to_string())
    }
}

fn run_job(state: &AppState, id: i64) {
    // Registered before the job is marked running, so that a cancellation always finds
    // either the job queued in the store or its live state here.
    let live = Arc::new(Live::default());
    state.jobs.running.lock().unwrap_or_else(|e| e.into_inner()).insert(id, live.clone());
    let started = state.recorder.with(|service| Ok(service.store_mut().start_job(id)?));
    if !matches!(started, Ok(true)) {
        // Cancelled (or failed) while it waited; or the store could not be written.
        if let Err(e) = started {
            eprintln!("error: batch job {id}: cannot start: {e}");
        }
        state.jobs.running.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
        return;
    }
    let clock = Instant::now();
    let outcome = screen_job(state, id, &live);
    state.jobs.running.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
    let message = match outcome {
        Ok(()) => {
            eprintln!("batch job {id}: done in {:.1?}", clock.elapsed());
            return;
        }
        Err(Failure::Cancelled) => {
            eprintln!("batch job {id}: cancelled after {:.1?}", clock.elapsed());
            return;
        }
        Err(Failure::User(message)) => message,
        Err(Failure::Internal(cause)) => {
            eprintln!("error: batch job {id}: {cause}");
            "internal server error; the cause is in the server log".to_string()
        }
    };
    if let Err(e) = state.recorder.with(|service| Ok(service.store_mut().fail_job(id, &message)?)) {
        eprintln!("error: batch job {id}: cannot mark it failed: {e}");
    }
}

/// How long a job waits for the first index (built at start) before it fails.
const INDEX_WAIT: Duration = Duration::from_secs(300);

fn screen_job(state: &AppState, id: i64, live: &Live) -> Result<(), Failure> {
    live.set_phase("reading");
    let (job, input) = state.stores.with(|store| Ok((store.job(id)?, store.job_input(id)?)))?;
    let (Some(job), Some(input)) = (job, input) else {
        return Err(Failure::Internal(format!("job {id} is not in the store")));
    };
    let parameters: JobParameters =
        serde_json::from_value(job.parameters.clone()).map_err(|e| Failure::Internal(format!("job {id} parameters: {e}")))?;
    let table = sekisho_batch::read(Path::new(&job.file_name), input, parameters.sheet.as_deref())?;
    let batch = Batch::new(table, &parameters.columns())?;
    let rows = batch.parties.len();
    live.rows_total.store(rows as u64, Ordering::Relaxed);
    state.recorder.with(|service| Ok(service.store_mut().set_job_rows(id, rows as u64)?))?;

    let waited = Instant::now();
    let loaded = loop {
        if let Some(loaded) = state.index.current() {
            break loaded;
        }
        if live.cancelled() {
            return Err(Failure::Cancelled);
        }
        if waited.elapsed() > INDEX_WAIT {
            return Err(Failure::User(format!("not screened: {}", state.index.pending_reason())));
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    live.set_phase("screening");
    let options = ScreenOptions { limit: parameters.limit, threshold: parameters.threshold };
    let matches = sekisho_batch::screen_all(&loaded.index, &batch.parties, &options, state.config.job_threads, &|n, alerting| {
        live.rows_done.fetch_add(n as u64, Ordering::Relaxed);
        live.alert_rows.fetch_add(alerting as u64, Ordering::Relaxed);
        !live.cancelled()
    });
    // Nothing of a cancelled job is recorded: it stops here, before the first record.
    if !live.begin_recording() {
        return Err(Failure::Cancelled);
    }
    let mut outcomes = Batch::outcomes(matches);
    let alert_rows = outcomes.iter().filter(|o| o.alerts()).count();

    live.set_phase("recording");
    let origin = json!({"job": id, "file": job.file_name, "sha256": job.input_sha256});
    let mut writer = ServerRecorder { state };
    let recorded = record::alerting_rows(
        &mut writer,
        &job.owner,
        &loaded.snapshots,
        &options,
        &origin,
        &batch.parties,
        &mut outcomes,
        &|n| {
            live.recorded.fetch_add(n as u64, Ordering::Relaxed);
        },
    )?;

    live.set_phase("writing");
    let csv = sekisho_batch::render(OutputKind::Csv, &batch.parties, &outcomes)?;
    let xlsx = sekisho_batch::render(OutputKind::Xlsx, &batch.parties, &outcomes)?;
    let errors = batch.error_rows();
    let fingerprint = |bytes: &[u8]| json!({"sha256": hex::encode(Sha256::digest(bytes)), "bytes": bytes.len()});
    let summary = record::Summary {
        table: &batch.table,
        input_path: job.file_name.clone(),
        columns: batch.columns.as_json(),
        output: json!({"job": id, "csv": fingerprint(&csv), "xlsx": fingerprint(&xlsx)}),
        rows,
        errors,
        alert_rows,
        recorded: &recorded,
    };
    let mut details = record::batch_details(&summary, &options, &loaded.snapshots);
    details["job"] = json!({"id": id, "owner": job.owner, "submitted_at": job.submitted_at});
    let result = JobResult {
        rows_total: rows as u64,
        alert_rows: alert_rows as u64,
        error_rows: summary.errors.len() as u64,
        cases_opened: recorded.outcomes[0] as u64,
        csv: &csv,
        xlsx: &xlsx,
    };
    state.recorder.with(|service| {
        service.store_mut().audited(&job.owner, "batch_screen", |tx| {
            tx.finish_job(id, &result)?;
            Ok(((), details))
        })?;
        Ok(())
    })?;
    Ok(())
}

/// Alerting rows of a job recorded per transaction.
const JOB_GROUP: usize = 32;

/// Records a job's alerting rows through the server's one audit writer, [`JOB_GROUP`] rows
/// per transaction, reading entity versions on a pool connection.
struct ServerRecorder<'a> {
    state: &'a AppState,
}

impl Recorder for ServerRecorder<'_> {
    fn versions(&mut self, snapshots: &[SnapshotInfo], matches: Vec<Match>) -> sekisho_service::Result<Vec<ScreenedMatch>> {
        self.state.stores.with(|store| Ok(version_matches(store, snapshots, matches)))?
    }

    fn record(
        &mut self,
        actor: &str,
        snapshots: &[SnapshotInfo],
        screenings: Vec<(Subject, Vec<ScreenedMatch>)>,
        options: &ScreenOptions,
    ) -> sekisho_service::Result<Vec<ScreeningRecord>> {
        // A few rows per transaction: the writer's lock is not held long enough to delay
        // the group commits of single screenings much.
        let mut records = Vec::with_capacity(screenings.len());
        let mut rest = screenings.into_iter().peekable();
        while rest.peek().is_some() {
            let part: Vec<_> = rest.by_ref().take(JOB_GROUP).collect();
            records.extend(self.state.recorder.with(|service| record::record_group(service, actor, snapshots, part, options))?);
        }
        Ok(records)
    }
}

/// A job as the API shows it, with live counts while it runs.
pub fn job_json(job: &Job, live: Option<&Live>) -> serde_json::Value {
    let mut value = serde_json::to_value(job).unwrap_or_default();
    if let Some(live) = live {
        value["phase"] = json!(live.phase());
        value["rows_total"] = json!(live.rows_total.load(Ordering::Relaxed));
        value["rows_done"] = json!(live.rows_done.load(Ordering::Relaxed));
        value["alert_rows"] = json!(live.alert_rows.load(Ordering::Relaxed));
        value["rows_recorded"] = json!(live.recorded.load(Ordering::Relaxed));
    }
    if job.state == sekisho_store::JobState::Done {
        value["result"] = json!({
            "csv": format!("/jobs/{}/result?format=csv", job.id),
            "xlsx": format!("/jobs/{}/result?format=xlsx", job.id),
        });
    }
    value
}
