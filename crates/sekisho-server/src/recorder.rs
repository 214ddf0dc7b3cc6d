//! The one connection that writes screenings, cases and reviews to the audit trail, and
//! the writer thread that records screenings in groups (group commit).
//!
//! Every audit record extends a hash chain, so writes are serial whatever we do. The screening
//! thread that screened a request hands its screenings to the writer thread through a bounded
//! queue, and the request awaits the writer's answer (no thread waits meanwhile). The writer
//! takes everything queued, up to [`MAX_GROUP`] screenings, and records it in one transaction:
//! one commit and one WAL write for the group instead of one per screening. Requests are
//! answered only after their group is committed, so a crash of the process loses at most the
//! group being written, and none of its requests had an answer. (With `synchronous=NORMAL` a
//! commit is not synced to disk: a power loss or an OS crash may also lose the groups committed
//! since the last WAL sync, which checkpoints make at most about every 100 ms while writing.)
//! On a graceful stop [`Recorder::close`] lets the writer finish what is queued. The WAL is
//! copied into the database beside the writer, not in its commits (see `checkpoint.rs`).
//!
//! Reviews, batch jobs and job state go through [`Recorder::with`], on the same connection
//! under the same lock. Writers in other processes (the CLI) meet SQLite's lock and its
//! busy timeout.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use sekisho_match::ScreenOptions;
use sekisho_service::{ScreenedMatch, ScreeningRecord, Service, SnapshotInfo, Subject, ToRecord};
use sekisho_store::Store;
use tokio::sync::mpsc;

use crate::checkpoint::{CheckpointStats, Checkpointer};

/// Screenings recorded in one transaction, at most: a bound on how long the first of a
/// group waits for the last.
pub const MAX_GROUP: usize = 256;
/// Requests that may wait for the writer; more wait to enqueue, in order (the queue's
/// senders are served first come, first served).
const QUEUE: usize = 1024;

/// The screenings of one request, recorded together and in order.
pub struct Pending {
    pub actor: String,
    pub snapshots: Arc<[SnapshotInfo]>,
    pub options: ScreenOptions,
    pub screenings: Vec<(Subject, Vec<ScreenedMatch>)>,
    answer: Answer,
}

/// Called on the writer thread with a request's records once committed (or the error).
pub type Answer = Box<dyn FnOnce(sekisho_service::Result<Vec<ScreeningRecord>>) + Send>;

/// Counts for /metrics: groups committed and screenings in them.
#[derive(Default)]
pub struct GroupStats {
    pub groups: AtomicU64,
    pub screenings: AtomicU64,
}

pub struct Recorder {
    connection: Arc<WriterConnection>,
    queue: Mutex<Option<mpsc::Sender<Pending>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    pub stats: Arc<GroupStats>,
}

impl Recorder {
    pub fn new(path: PathBuf) -> Recorder {
        Recorder {
            connection: Arc::new(WriterConnection { service: Mutex::new(None), wal: Checkpointer::new(path.clone()), path }),
            queue: Mutex::new(None),
            writer: Mutex::new(None),
            stats: Arc::new(GroupStats::default()),
        }
    }

    /// Runs `f` with the writer, one caller at a time. Call from a blocking context.
    pub fn with<T>(&self, f: impl FnOnce(&mut Service) -> sekisho_service::Result<T>) -> sekisho_service::Result<T> {
        let done = self.connection.with(f);
        self.connection.catch_up();
        done
    }

    /// WAL checkpoint counts, for /metrics.
    pub fn checkpoints(&self) -> &CheckpointStats {
        &self.connection.wal.stats
    }

    /// Queues the screenings of one request for the writer's next group (they are recorded
    /// together and in order); `answer` gets their records once committed. Call from a
    /// screening thread, not from async code: while the queue is full this waits.
    pub fn submit(
        &self,
        actor: String,
        snapshots: Arc<[SnapshotInfo]>,
        options: ScreenOptions,
        screenings: Vec<(Subject, Vec<ScreenedMatch>)>,
        answer: Answer,
    ) {
        let closed = || sekisho_service::Error::Invalid("the audit writer has stopped (the server is shutting down)".into());
        let pending = Pending { actor, snapshots, options, screenings, answer };
        match self.sender() {
            Some(sender) => {
                if let Err(mpsc::error::SendError(pending)) = sender.blocking_send(pending) {
                    (pending.answer)(Err(closed()));
                }
            }
            None => (pending.answer)(Err(closed())),
        }
    }

    /// The queue, starting the writer thread on first use.
    fn sender(&self) -> Option<mpsc::Sender<Pending>> {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        if queue.is_none() && writer.is_none() {
            let (sender, receiver) = mpsc::channel(QUEUE);
            let (connection, stats) = (self.connection.clone(), self.stats.clone());
            let spawned = std::thread::Builder::new()
                .name("sekisho-audit".into())
                .spawn(move || write_groups(receiver, &connection, &stats));
            match spawned {
                Ok(handle) => {
                    *queue = Some(sender);
                    *writer = Some(handle);
                }
                Err(e) => eprintln!("error: cannot start the audit writer thread: {e}"),
            }
        }
        queue.clone()
    }

    /// Stops taking screenings and waits until the writer has recorded every one queued.
    /// Call on a graceful stop, after the last request was answered or dropped.
    pub fn close(&self) {
        drop(self.queue.lock().unwrap_or_else(|e| e.into_inner()).take());
        let writer = self.writer.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(writer) = writer
            && writer.join().is_err()
        {
            eprintln!("error: the audit writer thread panicked");
        }
        self.connection.wal.close();
    }
}

/// The writer's connection, opened on first use (a server that only answers probes never
/// writes), and the checkpoints that copy its WAL into the database beside it.
struct WriterConnection {
    path: PathBuf,
    service: Mutex<Option<Service>>,
    wal: Checkpointer,
}

impl WriterConnection {
    /// Runs `f` (which commits or rolls back whatever it writes) on the connection.
    fn with<T>(&self, f: impl FnOnce(&mut Service) -> sekisho_service::Result<T>) -> sekisho_service::Result<T> {
        // A panic while the lock was held unwound through the transaction, which rolled
        // back: the connection is still good to use.
        let mut slot = self.service.lock().unwrap_or_else(|e| e.into_inner());
        let service = match slot.as_mut() {
            Some(service) => service,
            None => {
                let store = Store::open(&self.path)?;
                self.wal.take_over(&store)?;
                slot.insert(Service::new(store))
            }
        };
        let done = f(service);
        self.wal.committed(service.store());
        done
    }

    /// Finishes a checkpoint if the checkpoint thread asked for it (see `checkpoint.rs`).
    fn catch_up(&self) {
        let slot = self.service.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(service) = slot.as_ref() {
            self.wal.catch_up(service.store());
        }
    }
}

/// The writer thread: waits for a request, takes every other one already queued (up to
/// [`MAX_GROUP`] screenings), records them in one transaction and answers each.
fn write_groups(mut receiver: mpsc::Receiver<Pending>, connection: &WriterConnection, stats: &GroupStats) {
    while let Some(first) = receiver.blocking_recv() {
        let mut group = vec![first];
        let mut screenings = group[0].screenings.len();
        while screenings < MAX_GROUP {
            match receiver.try_recv() {
                Ok(next) => {
                    screenings += next.screenings.len();
                    group.push(next);
                }
                Err(_) => break,
            }
        }
        let answers = record_group(connection, &mut group);
        stats.groups.fetch_add(1, Ordering::Relaxed);
        stats.screenings.fetch_add(screenings as u64, Ordering::Relaxed);
        for (pending, answer) in group.into_iter().zip(answers) {
            (pending.answer)(answer);
        }
        // After the answers, so that none of them waits for it.
        connection.catch_up();
    }
}

/// Records a group; the answer of each request, in order.
fn record_group(
    connection: &WriterConnection,
    group: &mut [Pending],
) -> Vec<sekisho_service::Result<Vec<ScreeningRecord>>> {
    let taken: Vec<Vec<(Subject, Vec<ScreenedMatch>)>> = group.iter_mut().map(|p| std::mem::take(&mut p.screenings)).collect();
    let counts: Vec<usize> = taken.iter().map(Vec::len).collect();
    let items: Vec<ToRecord<'_>> = group
        .iter()
        .zip(taken)
        .flat_map(|(p, screenings)| {
            screenings.into_iter().map(move |(subject, matches)| ToRecord {
                actor: &p.actor,
                snapshots: &p.snapshots,
                subject,
                matches,
                options: p.options.clone(),
            })
        })
        .collect();
    let recorded = connection.with(|service| service.record_screenings(items));
    let mut results = match recorded {
        Ok(results) => results.into_iter(),
        Err(e) => {
            // Nothing of the group was recorded: every request fails, with the cause once in the log.
            eprintln!("error: cannot record a group of screenings: {e}");
            return counts.iter().map(|_| Err(sekisho_service::Error::Invalid("the audit trail could not be written".into()))).collect();
        }
    };
    counts
        .into_iter()
        .map(|n| {
            let mine: Vec<_> = results.by_ref().take(n).collect();
            mine.into_iter().collect::<sekisho_service::Result<Vec<_>>>()
        })
        .collect()
}
