//! WAL checkpoints off the audit writer's path.
//!
//! By SQLite's default, the connection that commits copies the WAL into the database file
//! (syncing both) whenever the WAL has passed 1,000 pages: under load every 0.2–0.45 s, and
//! the audit writer then stood still for the copy (30–45 ms on the busy machine), with
//! every request waiting on its next group behind it. Now the writer's
//! connection checkpoints by itself only as a backstop, far past the WAL's bound (should
//! this thread not be scheduled): this thread does, on a connection of its own,
//! while the writer goes on (a PASSIVE checkpoint neither waits for the writer nor blocks
//! it). Durability is unchanged: a commit appends to the WAL (synchronous=NORMAL, as
//! before), and a checkpoint syncs the WAL before it copies and the database after, as the
//! writer's own did.
//!
//! The WAL starts over from its beginning only when a write begins with every frame copied.
//! With the writer committing all the time this thread cannot catch up by itself, so once
//! the WAL has passed [`RESTART_FRAMES`] it asks the writer to copy the few frames left
//! between two groups (after answering the last one); the writer's next commit then starts
//! the WAL over, and the file stays bounded (below twice that size). A reader still
//! reading from the WAL at that moment puts the start-over off until the next time.
//!
//! A PASSIVE checkpoint syncs the database file only when it copied the whole WAL, which the
//! thread's passes never do while the writer writes: so the copy that finishes the WAL
//! (the writer's) used to sync every page the thread had copied since the last start-over,
//! up to 64 MiB (about 30 ms on the benchmark machine, `strace`). The thread now syncs the
//! database file itself before it asks, and the writer's sync is left with the few pages it
//! copies. (A sync more than before, never one less: durability is unchanged.)
//!
//! That bound needs the thread to run in time. On a machine busy with other work it may
//! not, so the writer's connection keeps SQLite's own checkpoint after a commit as a
//! backstop, at [`BACKSTOP_FACTOR`] times that size: SQLite counts the WAL's frames at
//! each commit, so the WAL stays bounded however the thread is scheduled (unless it is
//! stopped in the middle of a copy, which holds the checkpoint lock).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use sekisho_store::Store;

/// WAL frames (pages) after which the writer finishes the copy so that the WAL starts over:
/// 16,384 pages of 4 KiB, 64 MiB; the WAL then starts over before twice that size. Each time
/// the writer stands still for two syncs and a short copy (a few ms), so not too often: at
/// ~2 KiB of WAL per screening, every ~30,000 screenings.
pub const RESTART_FRAMES: u64 = 16_384;
/// The writer's connection copies the WAL itself after a commit that leaves it longer than
/// this many times [`RESTART_FRAMES`] (192 MiB): more than the thread lets it grow when it
/// runs in time (up to twice the bound), so this happens only when it does not.
pub const BACKSTOP_FACTOR: u64 = 3;
/// Least time between two checkpoints: each syncs two files, so not after every commit.
const SPACING: Duration = Duration::from_millis(100);
/// SQLite's own `wal_autocheckpoint` (pages), given back to the writer if the thread stops.
const SQLITE_AUTOCHECKPOINT_PAGES: u32 = 1000;
/// A pass that copied at most this many frames was short, and so are the frames written
/// meanwhile, which the writer copies when it finishes (256 pages: 1 MiB).
const LITTLE_FRAMES: u64 = 256;

/// Counts for /metrics.
#[derive(Default)]
pub struct CheckpointStats {
    /// Checkpoints run by the checkpoint thread.
    pub passes: AtomicU64,
    /// Checkpoints the writer finished itself so that the WAL could start over.
    pub catch_ups: AtomicU64,
    /// Time the writer spent on them, in all and at most (µs): how long it stood still.
    pub catch_up_micros: AtomicU64,
    pub catch_up_max_micros: AtomicU64,
    /// Frames in the WAL at the last checkpoint.
    pub wal_frames: AtomicU64,
    /// Frames written to the WAL, as seen by the checkpoints (each one's count less the
    /// last one's, or all of it after the WAL started over; frames written after the last
    /// checkpoint before a start-over are missed, so a little low): with the groups
    /// committed, the pages each commit writes.
    pub frames_written: AtomicU64,
    /// Syncs of the database file by the thread before the writer finishes a copy, and
    /// their time (µs).
    pub database_syncs: AtomicU64,
    pub database_sync_micros: AtomicU64,
}

impl CheckpointStats {
    /// Counts what was written to the WAL since the last checkpoint that found `frames`.
    fn saw(&self, frames: u64) {
        let before = self.wal_frames.swap(frames, Ordering::Relaxed);
        let written = if frames >= before { frames - before } else { frames };
        self.frames_written.fetch_add(written, Ordering::Relaxed);
    }
}

pub struct Checkpointer {
    path: PathBuf,
    /// [`RESTART_FRAMES`] and [`SPACING`], smaller in tests.
    restart_frames: u64,
    spacing: Duration,
    /// Wakes the thread after a commit (one pending wake-up is enough).
    wake: Mutex<Option<SyncSender<()>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    /// The WAL has passed RESTART_FRAMES: the writer should finish the copy.
    catch_up: Arc<AtomicBool>,
    pub stats: Arc<CheckpointStats>,
}

impl Checkpointer {
    pub fn new(path: PathBuf) -> Checkpointer {
        Checkpointer::tuned(path, RESTART_FRAMES, SPACING)
    }

    fn tuned(path: PathBuf, restart_frames: u64, spacing: Duration) -> Checkpointer {
        Checkpointer {
            path,
            restart_frames,
            spacing,
            wake: Mutex::new(None),
            thread: Mutex::new(None),
            catch_up: Default::default(),
            stats: Default::default(),
        }
    }

    /// Takes over the checkpoints of the writer's connection `store`: it runs them only as a
    /// backstop (past three times the WAL's bound), and the checkpoint thread starts. If the thread cannot start,
    /// the connection keeps checkpointing by itself.
    pub fn take_over(&self, store: &Store) -> sekisho_store::Result<()> {
        let mut wake = lock(&self.wake);
        if wake.is_some() {
            return store.set_wal_autocheckpoint(self.backstop_frames());
        }
        let own = match Store::open(&self.path) {
            Ok(own) => own,
            Err(e) => {
                eprintln!("error: the checkpoint thread cannot open the store ({e}); the audit writer checkpoints itself");
                return Ok(());
            }
        };
        // The database file, to sync before the writer is asked to finish a copy (a file
        // opened for reading can be synced; without it the writer syncs all, as before).
        // It is never closed: closing any descriptor of a file drops every POSIX lock the
        // process holds on it, SQLite's included, and another process could then take the
        // database for unused (checkpoint and delete the WAL under this one). One
        // descriptor per server is what it costs.
        let database: Option<&'static std::fs::File> = std::fs::File::open(&self.path)
            .inspect_err(|e| eprintln!("error: the checkpoint thread cannot open {} ({e}); the audit writer's copies sync it", self.path.display()))
            .ok()
            .map(|file| &*Box::leak(Box::new(file)));
        let (sender, receiver) = sync_channel(1);
        let (catch_up, stats) = (self.catch_up.clone(), self.stats.clone());
        let bounds = (self.restart_frames, self.spacing);
        let spawned = std::thread::Builder::new()
            .name("sekisho-checkpoint".into())
            .spawn(move || {
                crate::priority::other_thread();
                checkpoints(&own, database, &receiver, bounds, &catch_up, &stats)
            });
        match spawned {
            Ok(handle) => {
                *wake = Some(sender);
                *lock(&self.thread) = Some(handle);
                store.set_wal_autocheckpoint(self.backstop_frames())
            }
            Err(e) => {
                eprintln!("error: cannot start the checkpoint thread ({e}); the audit writer checkpoints itself");
                Ok(())
            }
        }
    }

    /// The writer's own checkpoint threshold while the thread runs (see [`BACKSTOP_FACTOR`]).
    fn backstop_frames(&self) -> u32 {
        u32::try_from(BACKSTOP_FACTOR * self.restart_frames).unwrap_or(u32::MAX)
    }

    /// Call after the writer's connection `store` committed. Should the checkpoint thread
    /// have stopped, the writer's connection checkpoints itself again (SQLite's default), so
    /// that the WAL cannot grow without end.
    pub fn committed(&self, store: &Store) {
        let mut wake = lock(&self.wake);
        if let Some(sender) = wake.as_ref()
            && let Err(TrySendError::Disconnected(())) = sender.try_send(())
        {
            *wake = None;
            eprintln!("error: the checkpoint thread has stopped; the audit writer checkpoints itself");
            if let Err(e) = store.set_wal_autocheckpoint(SQLITE_AUTOCHECKPOINT_PAGES) {
                eprintln!("error: cannot give the audit writer its own checkpoints back: {e}");
            }
        }
    }

    /// If the WAL is long, copies what is left of it on the writer's connection `store`
    /// (outside any transaction), so that its next commit starts the WAL over.
    pub fn catch_up(&self, store: &Store) {
        if !self.catch_up.swap(false, Ordering::Relaxed) {
            return;
        }
        let started = Instant::now();
        match store.checkpoint_wal() {
            Ok(done) if !done.busy => {
                let micros = started.elapsed().as_micros() as u64;
                self.stats.saw(done.frames);
                self.stats.catch_ups.fetch_add(1, Ordering::Relaxed);
                self.stats.catch_up_micros.fetch_add(micros, Ordering::Relaxed);
                self.stats.catch_up_max_micros.fetch_max(micros, Ordering::Relaxed);
            }
            // The checkpoint thread was copying: ask again after its next pass.
            Ok(_) => {}
            Err(e) => eprintln!("error: WAL checkpoint on the audit writer's connection: {e}"),
        }
    }

    /// Stops the thread after a last checkpoint. Call once the writer has stopped.
    pub fn close(&self) {
        drop(lock(&self.wake).take());
        if let Some(thread) = lock(&self.thread).take()
            && thread.join().is_err()
        {
            eprintln!("error: the checkpoint thread panicked");
        }
    }
}

/// The checkpoint thread: after commits, at most every [`SPACING`], a PASSIVE checkpoint;
/// past [`RESTART_FRAMES`], passes back to back until one had little to copy (so that little
/// is left for the writer), then the writer is asked to finish; a last pass when the writer
/// stops.
fn checkpoints(
    store: &Store,
    database: Option<&std::fs::File>,
    wake: &Receiver<()>,
    (restart_frames, spacing): (u64, Duration),
    catch_up: &AtomicBool,
    stats: &CheckpointStats,
) {
    let mut copied_before = 0;
    while wake.recv().is_ok() {
        let done = match store.checkpoint_wal() {
            Ok(done) => done,
            Err(e) => {
                eprintln!("error: WAL checkpoint: {e}");
                std::thread::sleep(spacing);
                continue;
            }
        };
        stats.passes.fetch_add(1, Ordering::Relaxed);
        if !done.busy {
            stats.saw(done.frames);
        }
        // After a restart the WAL is shorter than before: everything in it is new.
        let copied_now = if done.copied >= copied_before { done.copied - copied_before } else { done.copied };
        copied_before = done.copied;
        if done.frames < restart_frames {
            std::thread::sleep(spacing);
        } else if (copied_now <= LITTLE_FRAMES || done.frames >= 2 * restart_frames) && !done.busy {
            // Past twice the bound the passes did not get short (a heavy write load): the
            // writer copies a longer rest, once, and the WAL stays bounded all the same.
            // What the passes copied is synced here, not in the writer's copy.
            if let Some(database) = database {
                let started = Instant::now();
                match database.sync_data() {
                    Ok(()) => {
                        stats.database_syncs.fetch_add(1, Ordering::Relaxed);
                        stats.database_sync_micros.fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
                    }
                    Err(e) => eprintln!("error: the checkpoint thread cannot sync the database file: {e}"),
                }
            }
            catch_up.store(true, Ordering::Relaxed);
            std::thread::sleep(spacing);
        }
    }
    if let Err(e) = store.checkpoint_wal() {
        eprintln!("error: WAL checkpoint: {e}");
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A writer that commits all the time: its connection never checkpoints, the thread
    /// does, the WAL starts over again and again instead of growing, and the chain is whole.
    #[test]
    fn the_wal_is_copied_beside_the_writer_and_stays_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sekisho.db");
        let mut writer = Store::open(&path).unwrap();
        let restart = 256;
        let checkpointer = Checkpointer::tuned(path.clone(), restart, Duration::from_millis(2));
        checkpointer.take_over(&writer).unwrap();
        let padding = "x".repeat(6000);
        let wal_len = || std::fs::metadata(path.with_extension("db-wal")).map_or(0, |m| m.len());
        let mut longest = 0;
        // Rounds of commits with pauses, so that the thread has its turns on a busy machine.
        for round in 0..150 {
            for i in 0..10 {
                writer.append_audit("test", "note", json!({"i": round * 10 + i, "padding": padding})).unwrap();
                checkpointer.committed(&writer);
                checkpointer.catch_up(&writer);
                longest = longest.max(wal_len());
            }
            std::thread::sleep(Duration::from_millis(4));
        }
        // Whether the thread ever needed the writer's help depends on how the two threads
        // were scheduled; asked, the writer copies the rest on its own connection.
        let stats = &checkpointer.stats;
        // (Asked again while the thread happens to be copying: then the writer's copy is busy.)
        let catch_ups = stats.catch_ups.load(Ordering::Relaxed);
        for _ in 0..100 {
            checkpointer.catch_up.store(true, Ordering::Relaxed);
            checkpointer.catch_up(&writer);
            if stats.catch_ups.load(Ordering::Relaxed) > catch_ups {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(stats.catch_ups.load(Ordering::Relaxed), catch_ups + 1, "the writer finished a copy when asked");
        checkpointer.close();
        assert!(stats.passes.load(Ordering::Relaxed) > 10, "the thread checkpointed");
        // 1,500 records of 6 KB went through the WAL (more than 9 MB, twice that in pages);
        // it started over instead of holding them. How long it grew between two starts
        // depends on the scheduling: on a loaded machine the thread can be stopped in the
        // middle of a copy, holding the checkpoint lock, and the writer's backstop must wait
        // for it (a bound of 4 MiB failed so under a load of 10). The backstop's own bound
        // is the next test's.
        assert!(longest < 1500 * 6000, "longest WAL {longest} bytes: it never started over");
        assert!(stats.frames_written.load(Ordering::Relaxed) > 0, "the frames written were counted");
        let verified = writer.verify_audit().unwrap();
        assert!(verified.problem.is_none(), "{:?}", verified.problem);
        assert_eq!(verified.records, 1500);
    }

    /// The checkpoint thread never runs (it is never woken): the writer's connection alone
    /// keeps the WAL bounded, at the backstop.
    #[test]
    fn the_wal_stays_bounded_when_the_checkpoint_thread_never_runs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sekisho.db");
        let mut writer = Store::open(&path).unwrap();
        let checkpointer = Checkpointer::tuned(path.clone(), 256, Duration::from_millis(2));
        checkpointer.take_over(&writer).unwrap();
        let padding = "x".repeat(6000);
        let wal_len = || std::fs::metadata(path.with_extension("db-wal")).map_or(0, |m| m.len());
        let mut longest = 0;
        for i in 0..1500 {
            writer.append_audit("test", "note", json!({"i": i, "padding": padding})).unwrap();
            longest = longest.max(wal_len());
        }
        assert_eq!(checkpointer.stats.passes.load(Ordering::Relaxed), 0, "the thread did not run");
        // Without the backstop the WAL would hold every record (more than 9 MB); with it,
        // it starts over past 768 frames (3 MiB).
        assert!(longest > 3 * 1024 * 1024, "the WAL reached the backstop ({longest} bytes)");
        assert!(longest < 4 * 1024 * 1024, "longest WAL {longest} bytes");
        checkpointer.close();
        let verified = writer.verify_audit().unwrap();
        assert!(verified.problem.is_none(), "{:?}", verified.problem);
        assert_eq!(verified.records, 1500);
    }
}
