//! The one connection that writes screenings, cases and reviews to the audit trail, and
//! the writer thread that records screenings in groups (group commit).
//!
//! Every audit record extends a hash chain, so writes are serial whatever we do. The screening
//! thread that screened a request hands its screenings to the writer thread through a bounded
//! queue, and the request awaits the writer's answer (no thread waits meanwhile). The writer
//! takes everything queued, up to [`MAX_GROUP`] screenings, and, while other requests'
//! screenings are being screened, waits a little for them ([`FILL_WAIT`]); it
//! records the group in one transaction: one commit and one WAL write for the group instead
//! of one per screening. Requests are
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
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SendError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use sekisho_match::ScreenOptions;
use sekisho_service::{ScreenedMatch, ScreeningRecord, Service, SnapshotInfo, Subject, ToRecord};
use sekisho_store::Store;

use crate::checkpoint::{CheckpointStats, Checkpointer};

/// Screenings recorded in one transaction, at most: a bound on how long the first of a
/// group waits for the last.
pub const MAX_GROUP: usize = 256;
/// Requests that may wait for the writer; more wait to enqueue.
const QUEUE: usize = 1024;
/// While screenings are being screened, a group waits for them up to this long after its
/// first was queued for the writer, and until it holds [`FILL_TARGET`] screenings. Counting
/// only screenings under way (not those still queued for a screening thread) and timing the
/// window from the queuing means a request that already waited (behind a WAL catch-up, say)
/// is not held again, and a lone one waits at most for the one or two screenings running
/// beside it. Each commit rewrites the
/// last pages of the audit table and of its indexes into the WAL, so a group of one or two
/// costs several times the CPU and WAL per screening of a group of ten (see BENCHMARKS.md,
/// session 7); a lone request is not held, since nothing else is coming.
const FILL_WAIT: Duration = Duration::from_micros(1500);
const FILL_TARGET: usize = 16;
/// How often a waiting writer looks again whether screenings are still on their way (one
/// that fails or panics drops its count without waking the writer).
const FILL_RECHECK: Duration = Duration::from_micros(250);

/// The screenings of one request, recorded together and in order.
pub struct Pending {
    pub actor: String,
    pub snapshots: Arc<[SnapshotInfo]>,
    pub options: ScreenOptions,
    pub screenings: Vec<(Subject, Vec<ScreenedMatch>)>,
    answer: Answer,
    /// Counted among the screenings on their way until the writer takes it.
    coming: Option<Coming>,
    /// When it was queued for the writer: the start of its group's fill window.
    queued: Instant,
}

/// A screening on its way to the writer (running on a screening thread, or in the writer's
/// queue): the writer waits for it to fill its group. Dropped when the writer takes it, or
/// when the screening fails or panics (then nothing comes).
pub struct Coming(Arc<AtomicUsize>);

impl Drop for Coming {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Release);
    }
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
    queue: Mutex<Option<SyncSender<Pending>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    /// Screenings on their way (see [`Coming`]).
    coming: Arc<AtomicUsize>,
    /// [`FILL_WAIT`], longer in tests.
    fill_wait: Duration,
    pub stats: Arc<GroupStats>,
}

impl Recorder {
    pub fn new(path: PathBuf) -> Recorder {
        Recorder::tuned(path, FILL_WAIT)
    }

    fn tuned(path: PathBuf, fill_wait: Duration) -> Recorder {
        Recorder {
            connection: Arc::new(WriterConnection { service: Mutex::new(None), wal: Checkpointer::new(path.clone()), path }),
            queue: Mutex::new(None),
            writer: Mutex::new(None),
            coming: Arc::new(AtomicUsize::new(0)),
            fill_wait,
            stats: Arc::new(GroupStats::default()),
        }
    }

    /// Counts a screening until the writer takes it (or it fails): call on the screening
    /// thread when the screening starts, and pass it to [`Recorder::submit`].
    pub fn coming(&self) -> Coming {
        self.coming.fetch_add(1, Ordering::AcqRel);
        Coming(self.coming.clone())
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
        coming: Coming,
    ) {
        let closed = || sekisho_service::Error::Invalid("the audit writer has stopped (the server is shutting down)".into());
        let pending = Pending { actor, snapshots, options, screenings, answer, coming: Some(coming), queued: Instant::now() };
        match self.sender() {
            Some(sender) => {
                // Blocks while the queue is full; fails only when the writer has stopped.
                if let Err(SendError(pending)) = sender.send(pending) {
                    (pending.answer)(Err(closed()));
                }
            }
            None => (pending.answer)(Err(closed())),
        }
    }

    /// The queue, starting the writer thread on first use.
    fn sender(&self) -> Option<SyncSender<Pending>> {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        if queue.is_none() && writer.is_none() {
            let (sender, receiver) = sync_channel(QUEUE);
            let (connection, stats, coming, fill_wait) = (self.connection.clone(), self.stats.clone(), self.coming.clone(), self.fill_wait);
            let spawned = std::thread::Builder::new()
                .name("sekisho-audit".into())
                .spawn(move || {
                    crate::priority::other_thread();
                    write_groups(&receiver, &connection, &stats, (&coming, fill_wait))
                });
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
/// [`MAX_GROUP`] screenings) and those that come while screenings are on their way (see
/// [`FILL_WAIT`]), records them in one transaction and answers each.
fn write_groups(receiver: &Receiver<Pending>, connection: &WriterConnection, stats: &GroupStats, (coming, fill_wait): (&AtomicUsize, Duration)) {
    let take = |mut pending: Pending| {
        pending.coming = None;
        pending
    };
    while let Ok(first) = receiver.recv().map(take) {
        let fill_until = first.queued + fill_wait;
        let mut screenings = first.screenings.len();
        let mut group = vec![first];
        while screenings < MAX_GROUP {
            let next = match receiver.try_recv() {
                Ok(next) => next,
                Err(_) => {
                    // Taken ones no longer count: what is left is screened or queued.
                    let more_coming = coming.load(Ordering::Acquire) > 0;
                    let wait = fill_until.saturating_duration_since(Instant::now());
                    if !more_coming || screenings >= FILL_TARGET || wait.is_zero() {
                        break;
                    }
                    match receiver.recv_timeout(wait.min(FILL_RECHECK)) {
                        Ok(next) => next,
                        Err(RecvTimeoutError::Timeout) => continue,
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
            };
            let next = take(next);
            screenings += next.screenings.len();
            group.push(next);
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::mpsc::channel;

    /// Submits one screening (no matches) whose answer goes to `answers` as its audit seq.
    fn submit(recorder: &Recorder, name: &str, coming: Coming, answers: &std::sync::mpsc::Sender<i64>) {
        let subject = Subject { counterparty_key: format!("name:{name}"), name: name.into(), query: json!({"name": name}) };
        let answers = answers.clone();
        let answer: Answer = Box::new(move |recorded| {
            let seq = recorded.unwrap()[0].audit_seq.unwrap();
            answers.send(seq).unwrap();
        });
        let options = ScreenOptions { limit: 5, threshold: 0.7 };
        recorder.submit("test".into(), Arc::new([]), options, vec![(subject, Vec::new())], answer, coming);
    }

    /// The writer waits for screenings still on their way and records them in one group; a
    /// screening with nothing else coming, or whose companions failed, is not held. The
    /// window is long here (60 s), so that only a wrong wait could make a test slow.
    #[test]
    fn a_group_waits_for_screenings_on_their_way_and_only_for_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sekisho.db");
        drop(Store::open(&path).unwrap());
        let recorder = Recorder::tuned(path.clone(), Duration::from_secs(60));
        let (answers, answered) = channel();
        let in_time = Duration::from_secs(20);

        // Alone: answered at once.
        submit(&recorder, "alone", recorder.coming(), &answers);
        answered.recv_timeout(in_time).expect("a lone screening is not held");
        assert_eq!(recorder.stats.groups.load(Ordering::Relaxed), 1);

        // Three on their way: the first waits for the other two, one group.
        let (first, second, third) = (recorder.coming(), recorder.coming(), recorder.coming());
        submit(&recorder, "first", first, &answers);
        std::thread::sleep(Duration::from_millis(50));
        assert!(answered.try_recv().is_err(), "the first waits while two more are on their way");
        submit(&recorder, "second", second, &answers);
        submit(&recorder, "third", third, &answers);
        let seqs: Vec<i64> = (0..3).map(|_| answered.recv_timeout(in_time).unwrap()).collect();
        assert_eq!(seqs, [2, 3, 4], "recorded in the order submitted");
        assert_eq!(recorder.stats.groups.load(Ordering::Relaxed), 2);
        assert_eq!(recorder.stats.screenings.load(Ordering::Relaxed), 4);

        // One on its way fails (its screening errs or panics: the count is dropped).
        let failing = recorder.coming();
        submit(&recorder, "survivor", recorder.coming(), &answers);
        std::thread::sleep(Duration::from_millis(20));
        drop(failing);
        answered.recv_timeout(in_time).expect("a failed screening does not hold the group");

        recorder.close();
        let verified = Store::open(&path).unwrap().verify_audit().unwrap();
        assert!(verified.problem.is_none(), "{:?}", verified.problem);
        assert_eq!(verified.records, 5);
    }
}
