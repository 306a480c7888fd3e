//! Checkpoints off the commit path.
//!
//! In WAL mode a commit appends its pages to the `-wal` file and syncs it; a checkpoint later
//! copies them into the database file. SQLite's automatic checkpoint runs inside the commit that
//! brings the log past 1,000 pages, so about one intake in 66 waited 2.7–3.3 ms for it (issue 21).
//! The counter is idle most of the time, so the [`Checkpointer`] moves that work there: every
//! commit reports the log's size (SQLite's WAL hook, which replaces the automatic checkpoint); a
//! thread with its own connection checkpoints once [`MIN_PAGES`] wait to be copied and no commit
//! has come for [`IDLE`]; the idle writer's next commit then starts the log again.
//!
//! Not after every pause: the first commit into a log that was just checkpointed writes the
//! log's header anew and syncs it before its own sync, two fsyncs; with 2,000 pages between
//! checkpoints that is about one intake in 130, below the 99th percentile.
//!
//! A hall that never pauses: past [`HARD_LIMIT`] pages the thread copies the log beside the
//! commits without waiting for a pause, but a log starts again only when a writer begins with
//! every page copied, which commits that keep coming never allow; so at twice the hard limit
//! the writer checkpoints inside its commit, as SQLite would, with nearly everything already
//! copied. Durability is unchanged: every commit is still synced (`synchronous = FULL`) before
//! it returns, and a checkpoint, like SQLite's own, is safe to interrupt at any moment (the
//! crash test kills the stress loop inside them).

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::wal::CheckpointMode;
use rusqlite::{Connection, OpenFlags};

use crate::Result;

/// How long the store must have been without a commit before the log is copied back: far
/// shorter than any pause between two intakes, far longer than a commit.
pub const IDLE: Duration = Duration::from_millis(50);

/// The log's size (in pages of 4 KiB) from which a pause is used to checkpoint it (8 MiB, about
/// 130 intakes; SQLite's own threshold is 1,000 pages).
pub const MIN_PAGES: i32 = 2_000;

/// The log's size past which it is checkpointed without waiting for a pause (32 MiB); at twice
/// that, should commits never pause, the committing writer checkpoints itself.
pub const HARD_LIMIT: i32 = 8_000;

/// How soon a checkpoint that failed (the log busy for a moment) is tried again.
const RETRY: Duration = Duration::from_millis(100);

/// SQLite's own threshold, used again if the thread has stopped while the connection lives on.
const AUTOCHECKPOINT: i32 = 1_000;

#[derive(Debug, Default)]
struct State {
    /// Pages in the log after the latest commit.
    pages: i32,
    /// How many of them the last checkpoint copied into the database, while the log has not
    /// started again: only the pages after them wait to be copied. A log starts again only when
    /// a writer begins while no checkpoint runs; counting what is new keeps the thread from
    /// checkpointing after every commit of a busy hall, which left the log no moment to restart.
    copied: i32,
    /// Commits so far, and how many of them the last complete checkpoint covered.
    commits: u64,
    checkpointed: u64,
    last_commit: Option<Instant>,
    /// Checkpoints this thread completed, for tests and benchmarks.
    done: u64,
    stop: bool,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    idle: Duration,
    min_pages: i32,
    hard_limit: i32,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain numbers behind; go on with them.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The background checkpointer of one store's connection; stops (and joins) when dropped.
pub struct Checkpointer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Takes over the checkpoints of `conn`, the database at `path`, run once the log holds
    /// `min_pages` and `idle` has passed without a commit ([`MIN_PAGES`] and [`IDLE`] in the app).
    pub(crate) fn start(
        conn: &mut Connection,
        path: &Path,
        idle: Duration,
        min_pages: i32,
    ) -> Result<Checkpointer> {
        // Room for twice the pages a pause waits for: at a counter the log starts again long
        // before that (16 MiB for the app's 2,000 pages).
        let presize = min_pages.saturating_mul(2).min(HARD_LIMIT);
        Self::start_with(conn, path, idle, min_pages, HARD_LIMIT, presize)
    }

    /// The same with the hard limit, and the frames the log is made long enough for, chosen.
    fn start_with(
        conn: &mut Connection,
        path: &Path,
        idle: Duration,
        min_pages: i32,
        hard_limit: i32,
        presize: i32,
    ) -> Result<Checkpointer> {
        let own = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // A connection knows the file is in WAL mode only once it has read it; until then a
        // checkpoint does nothing and answers (-1, -1).
        let mode: String = own.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        if mode != "wal" {
            return Err(crate::Error::invalid(
                "db",
                format!("数据库不是 WAL 模式（{mode}），无法在后台执行检查点"),
            ));
        }
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            idle,
            min_pages,
            hard_limit,
        });
        let hook = Arc::clone(&shared);
        // The hook runs in the writer's commit, after it is durable. It never returns an error
        // (that would make the committed statement report one); a checkpoint it runs that
        // cannot finish is simply tried again later, as SQLite's own automatic one is.
        conn.wal_hook(Some(move |wal: &mut rusqlite::hooks::Wal, pages: i32| {
            let mut s = hook.lock();
            if s.stop {
                drop(s);
                if pages >= AUTOCHECKPOINT {
                    let _ = wal.checkpoint();
                }
                return Ok(());
            }
            // A hall that never pauses: the thread's checkpoints copy the log beside the commits
            // but never let it start again (a log starts again only when a writer begins with
            // every page copied). At twice the hard limit the writer checkpoints itself, as
            // SQLite would, and by then the thread has copied nearly everything.
            if pages >= 2 * hook.hard_limit {
                drop(s);
                let _ = wal.checkpoint();
                s = hook.lock();
                s.copied = 0;
            }
            // A commit adds pages to the log, so fewer or as many as before mean it started again.
            if pages <= s.pages {
                s.copied = 0;
            }
            s.pages = pages;
            s.commits += 1;
            s.last_commit = Some(Instant::now());
            drop(s);
            hook.wake.notify_one();
            Ok(())
        }))?;
        let worker = Arc::clone(&shared);
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let wal = std::path::PathBuf::from(wal);
        let thread = std::thread::Builder::new()
            .name("bianmin-checkpoint".into())
            .spawn(move || {
                // Best effort: a log that cannot be made longer is only slower to grow.
                let _ = presize_log(&own, &wal, i64::from(presize), &|| worker.lock().stop);
                run(&worker, &own)
            })
            .map_err(|e| crate::Error::invalid("db", format!("无法启动后台检查点线程：{e}")))?;
        Ok(Checkpointer {
            shared,
            thread: Some(thread),
        })
    }

    /// Complete checkpoints so far.
    pub fn done(&self) -> u64 {
        self.shared.lock().done
    }

    /// Pages in the log after the latest commit.
    pub fn log_pages(&self) -> i32 {
        self.shared.lock().pages
    }

    /// Pages the last checkpoint copied while the log has not started again.
    #[cfg(test)]
    fn copied(&self) -> i32 {
        self.shared.lock().copied
    }
}

/// What the thread does next.
#[derive(Debug, PartialEq, Eq)]
enum Next {
    /// Nothing to copy: wait for a commit.
    Sleep,
    /// Copy once the store has been quiet this much longer (or a commit wakes the thread).
    Wait(Duration),
    Checkpoint,
}

/// The rule, apart from threads and SQLite, to be tested by table: `pending` whether commits
/// came since the last checkpoint began, `pages` in the log, `copied` of them already in the
/// database (the log has not started again since), `quiet` since the last commit.
fn next(pending: bool, pages: i32, copied: i32, quiet: Duration, shared: &Shared) -> Next {
    let waiting = pages - copied;
    if !pending || waiting <= 0 {
        return Next::Sleep;
    }
    if waiting >= shared.hard_limit {
        return Next::Checkpoint;
    }
    // A log partly copied already could not start again (a commit came in while the last
    // checkpoint ran): its few new pages are copied at the next pause, so that it can, however
    // few they are. Otherwise a pause is used once enough pages wait.
    if waiting < shared.min_pages && copied == 0 {
        return Next::Sleep;
    }
    if quiet >= shared.idle {
        Next::Checkpoint
    } else {
        Next::Wait(shared.idle - quiet)
    }
}

/// Bytes of the log's header, and of each frame's before its page.
const WAL_HEADER: u64 = 32;
const FRAME_HEADER: u64 = 24;
/// How much of the log is made at a time, each under the write lock.
const PRESIZE_STEP: u64 = 1 << 20;

/// Makes the log file at `wal` long enough for `frames` frames, by writing zeros past its end.
///
/// A commit that appends to the end of a file makes the file system record the file's new size
/// and blocks before `fdatasync` returns; one that overwrites a part already written does not
/// (on this machine's ext4 a 4 KiB append and sync 0.16–0.18 ms, an overwrite 0.10–0.11 ms).
/// SQLite's log starts again at its beginning after a checkpoint and keeps its length, but it
/// is deleted when the last connection closes, so each day at the counter it would grow commit
/// by commit. Zeros are never a valid frame (a frame carries the header's random salts and a
/// running checksum), so a log read back after a crash ends where it ended. Each step is
/// written under the write lock (`BEGIN IMMEDIATE`), so no commit appends meanwhile, and only
/// past the file's end: nothing SQLite wrote is touched. Stops early once `stop` says so (the
/// store is closing). Returns the bytes written.
fn presize_log(conn: &Connection, wal: &Path, frames: i64, stop: &dyn Fn() -> bool) -> Result<u64> {
    use std::os::unix::fs::FileExt;
    let page: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    let want = WAL_HEADER
        + u64::try_from(frames).unwrap_or(0) * (FRAME_HEADER + u64::try_from(page).unwrap_or(0));
    let io = |e: std::io::Error| crate::Error::invalid("db", format!("无法预留日志文件：{e}"));
    let file = match std::fs::OpenOptions::new().write(true).open(wal) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(io(e)),
    };
    let zeros = vec![0u8; usize::try_from(PRESIZE_STEP).unwrap_or(1 << 20)];
    let mut written = 0;
    // The lock only while there is something to write.
    while !stop() && file.metadata().map_err(io)?.len() < want {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let step = (|| -> std::io::Result<u64> {
            let len = file.metadata()?.len();
            if len >= want {
                return Ok(0);
            }
            let n = (want - len).min(PRESIZE_STEP);
            file.write_all_at(&zeros[..usize::try_from(n).unwrap_or(0)], len)?;
            Ok(n)
        })();
        conn.execute_batch("COMMIT")?;
        match step.map_err(io)? {
            0 => break,
            n => written += n,
        }
    }
    if written > 0 {
        file.sync_all().map_err(io)?;
    }
    Ok(written)
}

/// Waits for commits, then for a pause (or a log past the hard limit), then checkpoints.
fn run(shared: &Shared, conn: &Connection) {
    let mut s = shared.lock();
    loop {
        if s.stop {
            return;
        }
        let quiet = s.last_commit.map_or(shared.idle, |t| t.elapsed());
        match next(
            s.commits != s.checkpointed,
            s.pages,
            s.copied,
            quiet,
            shared,
        ) {
            Next::Sleep => {
                s = shared.wake.wait(s).unwrap_or_else(|e| e.into_inner());
                continue;
            }
            Next::Wait(d) => {
                s = shared
                    .wake
                    .wait_timeout(s, d)
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
                continue;
            }
            Next::Checkpoint => {}
        }
        let upto = s.commits;
        drop(s);
        // PASSIVE: never makes a writer or reader wait; what it cannot copy now (a reader on an
        // old snapshot, a commit under way) is copied next time. A failure (a full disk) is
        // retried after the next commit; SQLite's log stays valid either way.
        let result = conn.wal_checkpoint_v2(None::<&str>, CheckpointMode::PASSIVE);
        s = shared.lock();
        if result.is_err() {
            // Tried again shortly, not only after the next commit: a hall that has just gone
            // quiet past the hard limit would otherwise keep its log until the next intake.
            s = shared
                .wake
                .wait_timeout(s, RETRY)
                .unwrap_or_else(|e| e.into_inner())
                .0;
            continue;
        }
        s.checkpointed = upto;
        if let Ok((log, copied)) = result {
            if log >= 0 && log == copied {
                s.done += 1;
            }
            // Unless the log started again meanwhile, these need no copying any more.
            if copied > 0 && s.pages >= copied {
                s.copied = copied;
            }
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.wake.notify_one();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wal_pages(path: &Path) -> u64 {
        let wal = path.with_extension("db-wal");
        std::fs::metadata(wal).map_or(0, |m| m.len() / 4096)
    }

    /// A commit of about `pages` pages of 4 KiB.
    fn commit(conn: &Connection, pages: usize) {
        conn.execute(
            "INSERT INTO t (b) VALUES (zeroblob(?1))",
            [i64::try_from(pages * 4000).unwrap()],
        )
        .unwrap();
    }

    fn open(path: &Path) -> Connection {
        let conn = Connection::open(path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.pragma_update(None, "synchronous", "FULL").unwrap();
        conn.execute_batch("CREATE TABLE IF NOT EXISTS t (b BLOB)")
            .unwrap();
        conn
    }

    fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
        let until = Instant::now() + Duration::from_secs(20);
        while !done() {
            assert!(Instant::now() < until, "{what} did not happen in 20 s");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn wal_len(path: &Path) -> u64 {
        std::fs::metadata(path.with_extension("db-wal")).map_or(0, |m| m.len())
    }

    /// The thread makes the log long enough for twice the pages a pause waits for before
    /// commits need it, so that they overwrite rather than append; and a log read back after a crash ends at
    /// its last commit, the zeros after it being no frame.
    #[test]
    fn the_log_is_made_long_before_commits_need_it_and_a_crash_leaves_it_readable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        let mut conn = open(&path);
        commit(&conn, 3);
        let before = std::fs::read(path.with_extension("db-wal")).unwrap();
        let want = WAL_HEADER + u64::try_from(2 * MIN_PAGES).unwrap() * (FRAME_HEADER + 4096);
        assert!((before.len() as u64) < want);
        // As the app starts it; no pause comes, so nothing is checkpointed.
        let cp =
            Checkpointer::start(&mut conn, &path, Duration::from_secs(3600), MIN_PAGES).unwrap();
        wait_for("the log made long", || wal_len(&path) >= want);
        assert_eq!(wal_len(&path), want);
        let after = std::fs::read(path.with_extension("db-wal")).unwrap();
        assert_eq!(
            &after[..before.len()],
            &before[..],
            "what SQLite wrote was changed"
        );
        assert!(after[before.len()..].iter().all(|b| *b == 0));
        for _ in 0..10 {
            commit(&conn, 5);
        }
        assert_eq!(wal_len(&path), want, "a commit made the log longer");

        // A crash now: the database and its log as they are on disk, opened elsewhere.
        let crashed = dir.path().join("crashed.db");
        std::fs::copy(&path, &crashed).unwrap();
        std::fs::copy(
            path.with_extension("db-wal"),
            crashed.with_extension("db-wal"),
        )
        .unwrap();
        let c = Connection::open(&crashed).unwrap();
        let rows: i64 = c
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            rows, 11,
            "the commits after the zeros were written are all there"
        );
        let check: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        drop(cp);

        // A log already long enough is left as it is.
        let full = std::fs::read(path.with_extension("db-wal")).unwrap();
        let own = Connection::open(&path).unwrap();
        assert_eq!(
            presize_log(&own, &path.with_extension("db-wal"), 10, &|| false).unwrap(),
            0
        );
        assert_eq!(std::fs::read(path.with_extension("db-wal")).unwrap(), full);
    }

    /// The production thresholds (the README's 2,000 pages, 50 ms, 8,000 pages, written out in
    /// the table), each side of each.
    #[test]
    fn when_the_thread_checkpoints() {
        let shared = Shared {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            idle: IDLE,
            min_pages: MIN_PAGES,
            hard_limit: HARD_LIMIT,
        };
        let ms = Duration::from_millis;
        // (commits since, pages, copied, quiet) → next
        let table = [
            (false, 5_000, 0, ms(100), Next::Sleep),
            (true, 1_999, 0, ms(100), Next::Sleep),
            (true, 2_000, 0, ms(100), Next::Checkpoint),
            (true, 2_000, 0, ms(20), Next::Wait(ms(30))),
            (true, 7_999, 0, ms(0), Next::Wait(ms(50))),
            (true, 8_000, 0, ms(0), Next::Checkpoint),
            // All copied but the log has not started again: nothing to do.
            (true, 2_100, 2_100, ms(100), Next::Sleep),
            // A commit came in while the last checkpoint ran: its pages at the next pause.
            (true, 2_115, 2_100, ms(100), Next::Checkpoint),
            (true, 2_115, 2_100, ms(10), Next::Wait(ms(40))),
            (true, 10_200, 2_100, ms(0), Next::Checkpoint),
        ];
        for (pending, pages, copied, quiet, want) in table {
            assert_eq!(
                next(pending, pages, copied, quiet, &shared),
                want,
                "{pending} {pages} {copied} {quiet:?}"
            );
        }
    }

    #[test]
    fn commits_never_checkpoint_and_a_pause_does() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let mut conn = open(&path);
        // A pause of a minute never comes during the test: only the hard limit could checkpoint.
        let cp = Checkpointer::start_with(&mut conn, &path, Duration::from_secs(60), 1, 100_000, 0)
            .unwrap();
        for _ in 0..30 {
            commit(&conn, 100);
        }
        // SQLite's automatic checkpoint would have restarted the log at 1,000 pages.
        assert!(wal_pages(&path) > 2_500, "{} pages", wal_pages(&path));
        assert_eq!(cp.done(), 0);
        drop(cp);

        // With a short pause the thread copies the log back soon after the last commit.
        let cp =
            Checkpointer::start_with(&mut conn, &path, Duration::from_millis(20), 1, 100_000, 0)
                .unwrap();
        commit(&conn, 10);
        wait_for("a checkpoint after a pause", || cp.done() >= 1);
        // The next commit starts the log again from its beginning.
        commit(&conn, 10);
        assert!(
            cp.shared.lock().pages < 100,
            "{} pages",
            cp.shared.lock().pages
        );
        // The log restarts: the next commit is written at its beginning.
        let (log, copied) = conn
            .wal_checkpoint_v2(None::<&str>, CheckpointMode::PASSIVE)
            .unwrap();
        assert_eq!(log, copied);
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 32);
    }

    #[test]
    fn a_pause_with_a_short_log_leaves_it_for_later() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let mut conn = open(&path);
        let cp =
            Checkpointer::start_with(&mut conn, &path, Duration::from_millis(1), 300, 100_000, 0)
                .unwrap();
        commit(&conn, 100);
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(cp.done(), 0, "checkpointed a log of 100 pages");
        commit(&conn, 250);
        wait_for("a checkpoint once the log is long enough", || {
            cp.done() >= 1
        });
    }

    #[test]
    fn a_log_past_the_hard_limit_is_checkpointed_without_a_pause() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let mut conn = open(&path);
        let cp =
            Checkpointer::start_with(&mut conn, &path, Duration::from_secs(60), 1, 500, 0).unwrap();
        for _ in 0..6 {
            commit(&conn, 100);
        }
        // No pause of 60 s comes, yet the log is copied: wholly (a complete checkpoint), or up to
        // the commit that was under way when the thread began (the rest waits for a pause; on a
        // loaded machine the thread may begin in the middle of any commit past the limit).
        // On failure the thread's numbers say where it stopped (this failed once in a loaded
        // full run, never alone).
        let until = Instant::now() + Duration::from_secs(20);
        while !(cp.done() >= 1 || cp.copied() > 0) {
            let s = cp.shared.lock();
            assert!(
                Instant::now() < until,
                "no checkpoint at the hard limit in 20 s: {s:?}"
            );
            drop(s);
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn a_hall_that_never_pauses_still_has_its_log_start_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let mut conn = open(&path);
        let cp = Checkpointer::start_with(&mut conn, &path, Duration::from_secs(60), 50, 200, 0)
            .unwrap();
        // Commits back to back, far past the hard limit: the thread copies the log beside them,
        // without checkpointing after every commit.
        for _ in 0..400 {
            commit(&conn, 5);
        }
        assert!(cp.done() >= 1);
        assert!(cp.done() < 100, "{} checkpoints for 400 commits", cp.done());
        assert!(
            wal_pages(&path) < 600,
            "the log grew to {} pages",
            wal_pages(&path)
        );
    }

    #[test]
    fn after_the_thread_stops_the_connection_checkpoints_as_sqlite_would() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let mut conn = open(&path);
        drop(
            Checkpointer::start_with(&mut conn, &path, Duration::from_secs(60), 1, 100_000, 0)
                .unwrap(),
        );
        for _ in 0..40 {
            commit(&conn, 100);
        }
        // Checkpointed inline at 1,000 pages, so the log never grew to the 4,000 written.
        assert!(wal_pages(&path) < 1_300, "{} pages", wal_pages(&path));
    }
}
