//! The one connection that writes screenings, cases and reviews to the audit trail, and
//! the writer thread that records screenings in groups (group commit).
//!
//! Every audit record extends a hash chain, so writes are serial whatever we do. A request
//! that screened hands its screenings to the writer thread through a bounded queue and
//! awaits the answer (no blocking thread waits meanwhile). The writer takes everything
//! queued, up to [`MAX_GROUP`] screenings, and records it in one transaction: one commit and
//! one WAL write for the group instead of one per screening. Requests are answered only
//! after their group is committed, so a crash loses at most the group being written, and
//! none of its requests had an answer. On a graceful stop [`Recorder::close`] lets the
//! writer finish what is queued.
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
use tokio::sync::{mpsc, oneshot};

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
    reply: oneshot::Sender<sekisho_service::Result<Vec<ScreeningRecord>>>,
}

/// Counts for /metrics: groups committed and screenings in them.
#[derive(Default)]
pub struct GroupStats {
    pub groups: AtomicU64,
    pub screenings: AtomicU64,
}

pub struct Recorder {
    path: PathBuf,
    /// Opened on first use, so that a server that only answers probes never writes.
    service: Arc<Mutex<Option<Service>>>,
    queue: Mutex<Option<mpsc::Sender<Pending>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    pub stats: Arc<GroupStats>,
}

impl Recorder {
    pub fn new(path: PathBuf) -> Recorder {
        Recorder {
            path,
            service: Arc::new(Mutex::new(None)),
            queue: Mutex::new(None),
            writer: Mutex::new(None),
            stats: Arc::new(GroupStats::default()),
        }
    }

    /// Runs `f` with the writer, one caller at a time. Call from a blocking context.
    pub fn with<T>(&self, f: impl FnOnce(&mut Service) -> sekisho_service::Result<T>) -> sekisho_service::Result<T> {
        with_service(&self.service, &self.path, f)
    }

    /// Records the screenings of one request (in order, together with others queued at
    /// the same time) and returns their records once committed.
    pub async fn record(
        &self,
        actor: String,
        snapshots: Arc<[SnapshotInfo]>,
        options: ScreenOptions,
        screenings: Vec<(Subject, Vec<ScreenedMatch>)>,
    ) -> sekisho_service::Result<Vec<ScreeningRecord>> {
        let closed = || sekisho_service::Error::Invalid("the audit writer has stopped (the server is shutting down)".into());
        let sender = self.sender();
        let (reply, answer) = oneshot::channel();
        let pending = Pending { actor, snapshots, options, screenings, reply };
        sender.ok_or_else(closed)?.send(pending).await.map_err(|_| closed())?;
        answer.await.map_err(|_| closed())?
    }

    /// The queue, starting the writer thread on first use.
    fn sender(&self) -> Option<mpsc::Sender<Pending>> {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        if queue.is_none() && writer.is_none() {
            let (sender, receiver) = mpsc::channel(QUEUE);
            let (service, path, stats) = (self.service.clone(), self.path.clone(), self.stats.clone());
            let spawned = std::thread::Builder::new()
                .name("sekisho-audit".into())
                .spawn(move || write_groups(receiver, &service, &path, &stats));
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
    }
}

fn with_service<T>(
    service: &Mutex<Option<Service>>,
    path: &std::path::Path,
    f: impl FnOnce(&mut Service) -> sekisho_service::Result<T>,
) -> sekisho_service::Result<T> {
    // A panic while the lock was held unwound through the transaction, which rolled
    // back: the connection is still good to use.
    let mut slot = service.lock().unwrap_or_else(|e| e.into_inner());
    let service = match slot.as_mut() {
        Some(service) => service,
        None => slot.insert(Service::new(Store::open(path)?)),
    };
    f(service)
}

/// The writer thread: waits for a request, takes every other one already queued (up to
/// [`MAX_GROUP`] screenings), records them in one transaction and answers each.
fn write_groups(mut receiver: mpsc::Receiver<Pending>, service: &Mutex<Option<Service>>, path: &std::path::Path, stats: &GroupStats) {
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
        let answers = record_group(service, path, &mut group);
        stats.groups.fetch_add(1, Ordering::Relaxed);
        stats.screenings.fetch_add(screenings as u64, Ordering::Relaxed);
        for (pending, answer) in group.into_iter().zip(answers) {
            // A request that gave up (its client went away) has nothing to answer.
            let _ = pending.reply.send(answer);
        }
    }
}

/// Records a group; the answer of each request, in order.
fn record_group(
    service: &Mutex<Option<Service>>,
    path: &std::path::Path,
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
    let recorded = with_service(service, path, |service| service.record_screenings(items));
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
