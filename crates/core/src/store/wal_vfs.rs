//! A SQLite VFS that writes each commit's log frames to the file in one system call.
//!
//! SQLite writes a WAL frame as two `pwrite`s, its 24-byte header and then its page, so an
//! intake (about 16 pages: the request row and its indexes, materials, timeline, audit record,
//! counter) made some 32 writes before its `fdatasync`. Measured on the test machine (issue 21),
//! 16 frames written that way and synced took 0.32–0.34 ms, the same bytes in one write and synced
//! 0.22–0.24 ms, and one 4 KiB page synced (the fsync floor) 0.17–0.24 ms: the split writes were
//! a third of a back-to-back intake's time.
//!
//! This VFS is SQLite's own `unix` VFS with one difference: a log file (opened with
//! `SQLITE_OPEN_WAL`) gathers consecutive writes in memory and hands them to the file in one
//! write when SQLite syncs the log, when a commit's last frame is complete, and before anything
//! else touches the file (a read, its size, a truncation, a file control, closing). Every other
//! file (the database, its shared-memory index) is the `unix` VFS's, untouched.
//!
//! Durability is unchanged. With `synchronous = FULL` (every store connection) SQLite syncs the
//! log at each commit before it publishes the commit to other connections, and the sync writes
//! what was gathered first: the same bytes reach the disk before the same `fdatasync`. A crash
//! before the sync loses only a transaction that was never acknowledged, as before; SQLite's
//! recovery ignores a log's incomplete frames by their checksums either way. The crash loop
//! (`crates/cli/tests/crash.rs`) kills intakes mid-commit through this VFS.

use std::ffi::{c_int, c_void, CStr};
use std::sync::OnceLock;

use rusqlite::ffi;

/// The name connections open the VFS by.
pub(crate) const NAME: &CStr = c"bianmin-unix";

/// Gathered bytes beyond this are written out at once (a large transaction's log).
const MAX_GATHERED: usize = 1 << 20;

/// The most one write hands the `unix` VFS: it writes at most 128 KiB − 1 bytes per call (it
/// masks the length to 17 bits), so gathered bytes go out in pieces of 120 KiB. An intake's
/// frames (about 66 KB) are one piece.
const PIECE: usize = 120 << 10;

/// A log frame's header: SQLite writes it alone, before its page.
const FRAME_HEADER: usize = 24;

thread_local! {
    /// Writes SQLite asked of log files, and writes made to them, on this thread (the tests
    /// count them; SQLite runs a connection's I/O on the thread that calls it).
    static WRITES: std::cell::Cell<(u64, u64)> = const { std::cell::Cell::new((0, 0)) };
}

/// How many writes SQLite asked of log files opened through this VFS on this thread, and how many
/// were made to the files.
#[cfg(test)]
pub(crate) fn log_writes() -> (u64, u64) {
    WRITES.with(std::cell::Cell::get)
}

fn count(asked: u64, made: u64) {
    WRITES.with(|w| {
        let (a, m) = w.get();
        w.set((a + asked, m + made));
    });
}

/// An open log file: SQLite's `sqlite3_file` (whose methods are [`LOG_METHODS`]), the `unix`
/// file under it, and the bytes gathered for it.
#[repr(C)]
struct LogFile {
    base: ffi::sqlite3_file,
    /// The `unix` VFS's file, in memory of its own size.
    real: *mut ffi::sqlite3_file,
    /// Its storage (`u64`s, for alignment), freed on closing.
    storage: *mut [u64],
    /// Bytes to be written at `at`, consecutive.
    gathered: Vec<u8>,
    at: i64,
    /// The last write was a commit frame's header: the page that follows completes the commit.
    commit_next: bool,
}

struct Vfs(ffi::sqlite3_vfs);
// SAFETY: the struct is written once, before registration, and only read after.
unsafe impl Send for Vfs {}
unsafe impl Sync for Vfs {}

static VFS: OnceLock<Result<Box<Vfs>, c_int>> = OnceLock::new();

/// Registers the VFS (once per process) and returns its name, or SQLite's error code.
pub(crate) fn register() -> Result<&'static CStr, c_int> {
    let registered = VFS.get_or_init(|| {
        // SAFETY: sqlite3_vfs_find with NULL returns the default VFS, which SQLite keeps for the
        // process's life; registration copies nothing but keeps our pointer, and the Box lives
        // in a static forever.
        unsafe {
            let unix = ffi::sqlite3_vfs_find(c"unix".as_ptr());
            if unix.is_null() {
                return Err(ffi::SQLITE_ERROR);
            }
            let mut vfs = (*unix).clone_shallow();
            vfs.pNext = std::ptr::null_mut();
            vfs.zName = NAME.as_ptr();
            let own = c_int::try_from(std::mem::size_of::<LogFile>()).unwrap_or(c_int::MAX);
            vfs.szOsFile = vfs.szOsFile.max(own);
            vfs.pAppData = unix.cast::<c_void>();
            vfs.xOpen = Some(open);
            let boxed = Box::new(Vfs(vfs));
            let rc = ffi::sqlite3_vfs_register(std::ptr::from_ref(&boxed.0).cast_mut(), 0);
            if rc != ffi::SQLITE_OK {
                return Err(rc);
            }
            Ok(boxed)
        }
    });
    registered.as_ref().map(|_| NAME).map_err(|rc| *rc)
}

trait CloneShallow {
    fn clone_shallow(&self) -> Self;
}

impl CloneShallow for ffi::sqlite3_vfs {
    /// A field-by-field copy (the struct holds raw pointers and function pointers only).
    fn clone_shallow(&self) -> Self {
        // SAFETY: sqlite3_vfs is plain old data.
        unsafe { std::ptr::read(self) }
    }
}

/// The `unix` VFS this one wraps (kept in `pAppData`).
unsafe fn unix_of(vfs: *mut ffi::sqlite3_vfs) -> *mut ffi::sqlite3_vfs {
    (*vfs).pAppData.cast()
}

unsafe extern "C" fn open(
    vfs: *mut ffi::sqlite3_vfs,
    name: ffi::sqlite3_filename,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    let unix = unix_of(vfs);
    let Some(unix_open) = (*unix).xOpen else {
        return ffi::SQLITE_ERROR;
    };
    if flags & ffi::SQLITE_OPEN_WAL == 0 {
        // The unix file lives in SQLite's memory for it, which is at least as large.
        return unix_open(unix, name, file, flags, out_flags);
    }
    let words = usize::try_from((*unix).szOsFile).unwrap_or(0).div_ceil(8);
    let storage: *mut [u64] = Box::into_raw(vec![0u64; words].into_boxed_slice());
    let real = storage.cast::<ffi::sqlite3_file>();
    let rc = unix_open(unix, name, real, flags, out_flags);
    if rc != ffi::SQLITE_OK {
        // A failed open leaves nothing to close in our file.
        (*file).pMethods = std::ptr::null();
        if !(*real).pMethods.is_null() {
            if let Some(close) = (*(*real).pMethods).xClose {
                close(real);
            }
        }
        drop(Box::from_raw(storage));
        return rc;
    }
    file.cast::<LogFile>().write(LogFile {
        base: ffi::sqlite3_file {
            pMethods: &LOG_METHODS,
        },
        real,
        storage,
        gathered: Vec::new(),
        at: 0,
        commit_next: false,
    });
    ffi::SQLITE_OK
}

unsafe fn log<'a>(file: *mut ffi::sqlite3_file) -> &'a mut LogFile {
    &mut *file.cast::<LogFile>()
}

unsafe fn real_methods(f: &LogFile) -> &ffi::sqlite3_io_methods {
    &*(*f.real).pMethods
}

/// Writes what was gathered, in one write.
unsafe fn flush(f: &mut LogFile) -> c_int {
    if f.gathered.is_empty() {
        return ffi::SQLITE_OK;
    }
    let Some(write) = real_methods(f).xWrite else {
        return ffi::SQLITE_IOERR_WRITE;
    };
    let mut rc = ffi::SQLITE_OK;
    let mut at = f.at;
    for piece in f.gathered.chunks(PIECE) {
        count(0, 1);
        // PIECE fits a c_int.
        let len = c_int::try_from(piece.len()).unwrap_or(c_int::MAX);
        rc = write(f.real, piece.as_ptr().cast(), len, at);
        if rc != ffi::SQLITE_OK {
            break;
        }
        at += i64::from(len);
    }
    f.gathered.clear();
    f.commit_next = false;
    rc
}

unsafe extern "C" fn close(file: *mut ffi::sqlite3_file) -> c_int {
    let f = log(file);
    let flushed = flush(f);
    let closed = match real_methods(f).xClose {
        Some(close) => close(f.real),
        None => ffi::SQLITE_OK,
    };
    let owned = std::ptr::read(file.cast::<LogFile>());
    drop(Box::from_raw(owned.storage));
    drop(owned.gathered);
    (*file).pMethods = std::ptr::null();
    if flushed != ffi::SQLITE_OK {
        flushed
    } else {
        closed
    }
}

unsafe extern "C" fn write(
    file: *mut ffi::sqlite3_file,
    data: *const c_void,
    amount: c_int,
    offset: i64,
) -> c_int {
    let f = log(file);
    let Ok(n) = usize::try_from(amount) else {
        return ffi::SQLITE_IOERR_WRITE;
    };
    count(1, 0);
    let bytes = std::slice::from_raw_parts(data.cast::<u8>(), n);
    let end = f.at + i64::try_from(f.gathered.len()).unwrap_or(i64::MAX);
    let follows = f.gathered.is_empty() || offset == end;
    // Decided before a flush below forgets it: this write is the page of a commit's last frame.
    let completes_commit = f.commit_next && n != FRAME_HEADER;
    if !follows || f.gathered.len() + n > MAX_GATHERED {
        let rc = flush(f);
        if rc != ffi::SQLITE_OK {
            return rc;
        }
    }
    if f.gathered.is_empty() {
        f.at = offset;
    }
    f.gathered.extend_from_slice(bytes);
    if n == FRAME_HEADER {
        // Bytes 4..8 of a frame header: the database's size after a commit, 0 otherwise.
        f.commit_next = bytes[4..8] != [0, 0, 0, 0];
        ffi::SQLITE_OK
    } else if completes_commit {
        // A commit's last page: its frames go to the file now, whatever the sync setting.
        flush(f)
    } else {
        ffi::SQLITE_OK
    }
}

/// A log file's method that first writes what was gathered, then hands the call to the unix
/// file (`$missing` if it has no such method).
macro_rules! flushed_then {
    ($name:ident, $method:ident, $missing:expr, ($($arg:ident: $ty:ty),*)) => {
        unsafe extern "C" fn $name(file: *mut ffi::sqlite3_file, $($arg: $ty),*) -> c_int {
            let f = log(file);
            let rc = flush(f);
            if rc != ffi::SQLITE_OK {
                return rc;
            }
            match real_methods(f).$method {
                Some(method) => method(f.real, $($arg),*),
                None => $missing,
            }
        }
    };
}

/// A log file's method that hands the call to the unix file as it is (locks, sizes: nothing
/// gathered is involved).
macro_rules! passed_on {
    ($name:ident, $method:ident, $missing:expr, ($($arg:ident: $ty:ty),*)) => {
        unsafe extern "C" fn $name(file: *mut ffi::sqlite3_file, $($arg: $ty),*) -> c_int {
            let f = log(file);
            match real_methods(f).$method {
                Some(method) => method(f.real, $($arg),*),
                None => $missing,
            }
        }
    };
}

flushed_then!(read, xRead, ffi::SQLITE_IOERR_READ, (data: *mut c_void, amount: c_int, offset: i64));
flushed_then!(truncate, xTruncate, ffi::SQLITE_IOERR_TRUNCATE, (size: i64));
flushed_then!(sync, xSync, ffi::SQLITE_IOERR_FSYNC, (flags: c_int));
flushed_then!(file_size, xFileSize, ffi::SQLITE_IOERR_FSTAT, (size: *mut i64));
flushed_then!(file_control, xFileControl, ffi::SQLITE_NOTFOUND, (op: c_int, arg: *mut c_void));
passed_on!(lock, xLock, ffi::SQLITE_OK, (level: c_int));
passed_on!(unlock, xUnlock, ffi::SQLITE_OK, (level: c_int));
passed_on!(sector_size, xSectorSize, 4096, ());
passed_on!(device_characteristics, xDeviceCharacteristics, 0, ());

unsafe extern "C" fn check_reserved_lock(file: *mut ffi::sqlite3_file, out: *mut c_int) -> c_int {
    let f = log(file);
    match real_methods(f).xCheckReservedLock {
        Some(check) => check(f.real, out),
        None => {
            *out = 0;
            ffi::SQLITE_OK
        }
    }
}

/// A log file's methods: version 1 (a log has no shared memory and is never mapped).
static LOG_METHODS: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    iVersion: 1,
    xClose: Some(close),
    xRead: Some(read),
    xWrite: Some(write),
    xTruncate: Some(truncate),
    xSync: Some(sync),
    xFileSize: Some(file_size),
    xLock: Some(lock),
    xUnlock: Some(unlock),
    xCheckReservedLock: Some(check_reserved_lock),
    xFileControl: Some(file_control),
    xSectorSize: Some(sector_size),
    xDeviceCharacteristics: Some(device_characteristics),
    xShmMap: None,
    xShmLock: None,
    xShmBarrier: None,
    xShmUnmap: None,
    xFetch: None,
    xUnfetch: None,
};

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::{Connection, OpenFlags};

    fn through_vfs(path: &std::path::Path) -> Connection {
        let c =
            Connection::open_with_flags_and_vfs(path, OpenFlags::default(), register().unwrap())
                .unwrap();
        c.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
            .unwrap();
        c.pragma_update(None, "synchronous", "FULL").unwrap();
        c
    }

    fn schema(c: &Connection) {
        c.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c BLOB);
             CREATE INDEX t_a ON t (a); CREATE INDEX t_b ON t (b);",
        )
        .unwrap();
    }

    #[test]
    fn a_commits_log_frames_reach_the_file_in_one_write_and_other_connections_see_each_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.db");
        let c = through_vfs(&path);
        schema(&c);
        // Rows big enough that a commit touches several pages: the table and both indexes.
        let plain = Connection::open(&path).unwrap();
        let (asked0, made0) = log_writes();
        for i in 0..50 {
            c.execute(
                "INSERT INTO t (a, b, c) VALUES (?1, ?2, zeroblob(3000))",
                (format!("{:x}", (i * 7919) % 1000), format!("b{i}")),
            )
            .unwrap();
            // Another connection (SQLite's own VFS) sees the commit at once.
            let n: i64 = plain
                .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
                .unwrap();
            assert_eq!(n, i + 1);
        }
        let (asked, made) = log_writes();
        let (asked, made) = (asked - asked0, made - made0);
        // SQLite asks two writes per frame (header, page) and at least two frames per commit;
        // the file gets one write per commit.
        assert!(asked >= 50 * 4, "SQLite asked {asked} writes");
        assert!(made <= 50, "{made} writes made for 50 commits");
        // Without a sync at commit (synchronous = NORMAL, never a store's setting) a commit's
        // frames still reach the file before another connection is told of it.
        c.pragma_update(None, "synchronous", "NORMAL").unwrap();
        for i in 50..60 {
            c.execute(
                "INSERT INTO t (a, b, c) VALUES (?1, ?2, zeroblob(3000))",
                (format!("{i:x}"), format!("b{i}")),
            )
            .unwrap();
            let n: i64 = plain
                .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
                .unwrap();
            assert_eq!(n, i + 1);
        }
        drop(c);
        let ok: String = plain
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
    }

    #[test]
    fn a_transaction_larger_than_the_page_cache_reads_back_what_it_spilled() {
        // A tiny page cache makes SQLite write pages to the log before the commit and read them
        // back (and overwrite them) within the transaction: gathered bytes must be on the file
        // before any read.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.db");
        let c = through_vfs(&path);
        c.pragma_update(None, "cache_size", 10).unwrap();
        schema(&c);
        c.execute_batch("BEGIN").unwrap();
        for i in 0..2000 {
            c.execute(
                "INSERT INTO t (a, b, c) VALUES (?1, ?2, randomblob(500))",
                (format!("{:x}", (i * 7919) % 5000), format!("b{i}")),
            )
            .unwrap();
        }
        c.execute("UPDATE t SET b = 'x' || b WHERE id % 3 = 0", [])
            .unwrap();
        let sum: i64 = c
            .query_row("SELECT sum(length(c)) FROM t WHERE b LIKE 'x%'", [], |r| {
                r.get(0)
            })
            .unwrap();
        c.execute_batch("COMMIT").unwrap();
        assert_eq!(sum, 666 * 500);
        // One commit of about 3 MB: gathered beyond MAX_GATHERED, written in pieces the unix VFS
        // takes whole (it writes at most 128 KiB − 1 bytes per call).
        c.pragma_update(None, "cache_size", 4000).unwrap();
        c.execute_batch("BEGIN").unwrap();
        for i in 0..3000 {
            c.execute(
                "INSERT INTO t (a, b, c) VALUES (?1, 'big', randomblob(1000))",
                [i],
            )
            .unwrap();
        }
        c.execute_batch("COMMIT").unwrap();
        // Rolled back: nothing of it stays.
        c.execute_batch("BEGIN; DELETE FROM t; ROLLBACK").unwrap();
        drop(c);
        let plain = Connection::open(&path).unwrap();
        let ok: String = plain
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        let (n, x): (i64, i64) = plain
            .query_row(
                "SELECT count(*), sum(b LIKE 'x%') FROM t WHERE b != 'big'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((n, x), (2000, 666));
    }
}
