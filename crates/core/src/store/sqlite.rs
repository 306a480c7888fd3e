//! The SQLite backend: one file, WAL, foreign keys on, full fsync on commit.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::checkpoint::Checkpointer;
use super::conn::{Cell, Conn, Param, Row, RowSource};
use super::numbers::Keeper;
use super::sql::catalog::ItemCache;
use super::sql::Sql;
use super::{Changes, Queries, Store};
use crate::ids::TownId;
use crate::{Error, Result};
use chrono::NaiveDate;

/// The schema, one migration per version, applied in order. Version N is `MIGRATIONS[N - 1]`.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_staffing.sql"),
    include_str!("migrations/0002_catalog.sql"),
    include_str!("migrations/0003_requests.sql"),
    include_str!("migrations/0004_prints.sql"),
    include_str!("migrations/0005_hall.sql"),
    include_str!("migrations/0006_audit_chain.sql"),
    include_str!("migrations/0007_accounts.sql"),
    include_str!("migrations/0008_date_checks.sql"),
    include_str!("migrations/0009_name_parts.sql"),
    include_str!("migrations/0010_audit_index.sql"),
    include_str!("migrations/0011_decision.sql"),
    include_str!("migrations/0012_hall_key.sql"),
    include_str!("migrations/0013_retirement_track.sql"),
    include_str!("migrations/0014_form_kinds.sql"),
    include_str!("migrations/0015_request_mode.sql"),
    include_str!("migrations/0016_clock.sql"),
    include_str!("migrations/0017_item_office.sql"),
    include_str!("migrations/0018_empowered.sql"),
    include_str!("migrations/0019_agent.sql"),
    include_str!("migrations/0020_received.sql"),
    include_str!("migrations/0021_department_accepted.sql"),
    include_str!("migrations/0022_pledge.sql"),
    include_str!("migrations/0023_superior.sql"),
    include_str!("migrations/0024_audit_high.sql"),
    include_str!("migrations/0025_demo_mark.sql"),
    include_str!("migrations/0026_login_guard.sql"),
    include_str!("migrations/0027_closing_sheet.sql"),
    include_str!("migrations/0028_retention.sql"),
    include_str!("migrations/0029_idempotency.sql"),
    include_str!("migrations/0030_front.sql"),
    include_str!("migrations/0031_devices.sql"),
    include_str!("migrations/0032_report.sql"),
];

/// The migrations (by the version they make) that widen a CHECK by editing a table's text.
const EDITS_SCHEMA_TEXT: [i64; 5] = [16, 18, 20, 22, 27];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a writer waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How many prepared statements a connection keeps.
const STATEMENT_CACHE: usize = 128;

/// SQLite's page cache per connection, in KiB (64 MiB; SQLite's default is 2 MiB).
pub const PAGE_CACHE_KIB: i64 = 64 * 1024;

/// Narrows a database an older version left readable by other OS users (and the files beside
/// it) to this OS user. A file of another owner cannot be narrowed; it still opens, as before.
fn narrow(path: &Path) {
    if let Err(e) = crate::files::restrict_database(path) {
        eprintln!("bianmin: cannot make {} private: {e}", path.display());
    }
}

/// A store's connection to its file: through the VFS that writes a commit's log frames in one
/// write (`store/wal_vfs.rs`), or SQLite's own if it cannot be registered.
fn open_file(path: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    match super::wal_vfs::register() {
        Ok(vfs) => Connection::open_with_flags_and_vfs(path, flags, vfs),
        Err(_) => Connection::open_with_flags(path, flags),
    }
}

pub struct SqliteStore {
    conn: Connection,
    /// Present once [`SqliteStore::checkpoint_in_background`] was called.
    checkpointer: Option<Checkpointer>,
    /// The request numbers' high-water mark beside the file (`store/numbers.rs`); none for a
    /// database in memory.
    numbers: Option<RefCell<Keeper>>,
    /// Why the audit log's append-only triggers cannot be trusted, found at open: the store
    /// then refuses every write (issue 17).
    unguarded: Option<String>,
    /// A second, read-only connection to the same file, opened by the first long read that
    /// runs in halves ([`Store::read_each`]) and kept (its page cache stays warm).
    reader: Option<Connection>,
    /// The catalogue's items read by this connection, kept until the catalogue changes.
    items: ItemCache,
}

/// One entry of a SQLite schema: type, name, table, and its text as stored.
pub(crate) type SchemaEntry = (String, String, String, Option<String>);

/// The schema a file holds, without SQLite's own entries (`sqlite_sequence`, `sqlite_stat*`,
/// automatic indexes, whose names SQLite reserves), in a stable order.
pub(crate) fn schema_of(conn: &Connection) -> rusqlite::Result<Vec<SchemaEntry>> {
    let mut st = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema
         WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY type, name",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    rows.collect()
}

/// The exact schema of a Bianmin database of `version`: the migrations run on an empty
/// database in memory, as they run on a file.
pub(crate) fn reference_schema(version: i64) -> Result<Vec<SchemaEntry>> {
    let conn = Connection::open_in_memory()?;
    for (k, migration) in MIGRATIONS.iter().take(version.max(0) as usize).enumerate() {
        conn.execute_batch(migration)?;
        if EDITS_SCHEMA_TEXT.contains(&(k as i64 + 1)) {
            let cookie: i64 = conn.pragma_query_value(None, "schema_version", |r| r.get(0))?;
            conn.pragma_update(None, "schema_version", cookie + 1)?;
        }
    }
    Ok(schema_of(&conn)?)
}

/// The tables whose triggers keep the audit log append-only and its ids unique.
const AUDIT_TABLES: [&str; 2] = ["audit_log", "audit_high"];

/// The audit tables' triggers as the migrations write them: name and text, as SQLite keeps a
/// `CREATE TRIGGER … END` statement (read from the migrations' own text, so that the check at
/// every open costs one query, not a schema built in memory).
fn audit_triggers() -> Vec<(&'static str, &'static str)> {
    let mut found: Vec<(&str, &str)> = Vec::new();
    for sql in MIGRATIONS {
        for (at, _) in sql.match_indices("CREATE TRIGGER ") {
            let text = &sql[at..];
            let Some(end) = text.find("\nEND;") else {
                continue;
            };
            let text = &text[..end + "\nEND".len()];
            let name = text["CREATE TRIGGER ".len()..]
                .split_whitespace()
                .next()
                .unwrap_or_default();
            let on = text.split_whitespace().skip_while(|w| *w != "ON").nth(1);
            if on.is_some_and(|t| AUDIT_TABLES.contains(&t)) {
                found.retain(|(n, _)| *n != name);
                found.push((name, text));
            }
        }
    }
    found
}

/// Compares the triggers on the audit tables with this version's own: none missing, none
/// changed, none added (an added trigger could delete or copy what is appended). `None` when
/// they are exactly as the migrations wrote them.
fn audit_guard_problem(conn: &Connection) -> Result<Option<String>> {
    let want = audit_triggers();
    let mut st = conn.prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN (?1, ?2)",
    )?;
    let have: Vec<(String, Option<String>)> = st
        .query_map(AUDIT_TABLES, |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut problems = Vec::new();
    for (name, text) in &want {
        match have.iter().find(|h| h.0 == *name) {
            None => problems.push(format!("触发器 {name} 不见了")),
            Some(h) if h.1.as_deref() != Some(*text) => {
                problems.push(format!("触发器 {name} 被改动过"))
            }
            Some(_) => {}
        }
    }
    for h in &have {
        if !want.iter().any(|w| w.0 == h.0) {
            problems.push(format!("审计表上多了触发器 {}", h.0));
        }
    }
    Ok((!problems.is_empty()).then(|| problems.join("；")))
}

impl SqliteStore {
    /// Opens the database at `path`, creating it if needed, and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::files::create_dir(dir).map_err(|e| {
                Error::invalid(
                    "db",
                    format!("无法创建数据库所在文件夹 {}：{e}", dir.display()),
                )
            })?;
        }
        // Created 0600 before SQLite opens it, so its -wal and -shm are 0600 too (issue 17).
        if path.as_os_str() != ":memory:" {
            crate::files::touch(path).map_err(|e| {
                Error::invalid("db", format!("无法创建数据库文件 {}：{e}", path.display()))
            })?;
            narrow(path);
        }
        Self::setup(open_file(path, OpenFlags::default())?)
    }

    /// Opens an existing database; a missing file is an error rather than a new empty database.
    pub fn open_existing(path: &Path) -> Result<Self> {
        if !path.is_file() {
            return Err(Error::NoDatabase(path.display().to_string()));
        }
        narrow(path);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Self::setup(open_file(path, flags)?)
    }

    /// Moves this connection's WAL checkpoints off its commits, to a thread that runs them when
    /// the store has been idle (see `store/checkpoint.rs`); for a long-running process such as
    /// the desktop app. Stops when the store is dropped. An in-memory database has no log: no-op.
    pub fn checkpoint_in_background(&mut self) -> Result<()> {
        use super::checkpoint::{IDLE, MIN_PAGES};
        self.checkpoint_in_background_after(IDLE, MIN_PAGES)
    }

    /// The same, once the log holds `min_pages` and `idle` has passed without a commit (the
    /// crash test's stress loop checkpoints after every intake: 1 ms, 1 page).
    pub fn checkpoint_in_background_after(&mut self, idle: Duration, min_pages: i32) -> Result<()> {
        if self.checkpointer.is_some() {
            return Ok(());
        }
        let Some(path) = self
            .conn
            .path()
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
        else {
            return Ok(());
        };
        self.checkpointer = Some(Checkpointer::start(&mut self.conn, &path, idle, min_pages)?);
        Ok(())
    }

    /// Every day's request counter (town, day, last number issued).
    pub(crate) fn request_counters(&self) -> Result<Vec<(TownId, NaiveDate, u32)>> {
        let conn = SqliteConn(&self.conn, None, None);
        let c: &dyn Conn = &conn;
        c.all("SELECT town_id, day, last FROM request_counter", &[], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
    }

    /// Raises each day's request counter to at least `marks` in one transaction (a restore);
    /// returns how many moved.
    pub(crate) fn lift_request_counters(
        &mut self,
        marks: &[(TownId, NaiveDate, u32)],
    ) -> Result<u64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let moved = super::sql::requests::lift_counters(&SqliteConn(&tx, None, None), marks)?;
        tx.commit()?;
        Ok(moved)
    }

    /// Pages in the log after the latest commit (0 without a checkpointer).
    pub fn log_pages(&self) -> i32 {
        self.checkpointer
            .as_ref()
            .map_or(0, Checkpointer::log_pages)
    }

    /// Complete background checkpoints so far (0 without a checkpointer).
    pub fn background_checkpoints(&self) -> u64 {
        self.checkpointer.as_ref().map_or(0, Checkpointer::done)
    }

    /// The connection, for the online backup.
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Walks the audit log's hash chain.
    pub fn verify_audit(&mut self) -> Result<super::audit::Verification> {
        self.verify_audit_against(None)
    }

    /// Walks the chain; with `expect`, also checks the log still extends that head. A log whose
    /// triggers were removed or changed is not intact, whatever its chain says.
    pub fn verify_audit_against(
        &mut self,
        expect: Option<&super::audit::Head>,
    ) -> Result<super::audit::Verification> {
        let mut v = self.read_conn(|c| super::sql::audit::verify(c, expect))?;
        if let Some(problem) = &self.unguarded {
            v.guard_broken(problem);
        }
        Ok(v)
    }

    /// Gives up the store for its connection (a restore writes into it).
    pub(crate) fn into_connection(self) -> Connection {
        self.conn
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?)
    }

    /// Checks the schema version before anything that writes to the file, so that a database
    /// from a newer Bianmin is refused untouched; then sets the connection's pragmas and migrates.
    fn setup(conn: Connection) -> Result<Self> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Room for every statement of `store/sql`, so none is prepared twice on one connection.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // Query-planner stability: a statement keeps the plan it was prepared with, whatever is
        // bound later. Without it SQLite (built with STAT4) prepares a statement again whenever a
        // bound LIMIT or range value changes, which cost a search about two thirds of its time
        // (issue 21: number search 136 → 17 µs, name search 1.07 → 0.36 ms, intake −40 %).
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // The pages an intake and a search touch stay in this process: the operating system may
        // drop its file cache when the PC is busy elsewhere (on the test machine, within seconds),
        // and with SQLite's default 2 MiB a back-to-back intake on a million requests then read
        // its index pages from disk again, 0.95 ms instead of 0.30 (issue 21). Grows only as used.
        conn.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        // An in-memory database answers "memory"; every file database runs in WAL.
        debug_assert!(mode == "wal" || mode == "memory", "journal_mode {mode}");
        // FULL: a commit is on disk before it is acknowledged, so a receipt never outlives its row.
        conn.pragma_update(None, "synchronous", "FULL")?;
        let numbers = match conn.path().filter(|p| !p.is_empty()) {
            Some(p) => Some(RefCell::new(Keeper::beside(Path::new(p))?)),
            None => None,
        };
        let mut store = SqliteStore {
            conn,
            checkpointer: None,
            numbers,
            unguarded: None,
            reader: None,
            items: ItemCache::default(),
        };
        store.migrate(found)?;
        store.unguarded = audit_guard_problem(&store.conn)?;
        Ok(store)
    }

    /// Applies each missing migration in its own immediate transaction.
    fn migrate(&mut self, mut version: i64) -> Result<()> {
        while version < SCHEMA_VERSION {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Another process may have migrated while we waited for the lock.
            let now: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if now > version {
                version = now;
                continue;
            }
            tx.execute_batch(MIGRATIONS[version as usize])?;
            version += 1;
            if version == 6 {
                super::sql::audit::chain_unhashed(&SqliteConn(&tx, None, None))?;
            }
            if EDITS_SCHEMA_TEXT.contains(&version) {
                // These migrations edit a table's text in sqlite_schema; a new schema cookie
                // makes every connection, this one included, read it again.
                let cookie: i64 = tx.pragma_query_value(None, "schema_version", |r| r.get(0))?;
                tx.pragma_update(None, "schema_version", cookie + 1)?;
            }
            tx.pragma_update(None, "user_version", version)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// The value of a pragma on this connection, for checks and diagnostics.
    pub fn pragma(&self, name: &str) -> Result<String> {
        Ok(self.conn.pragma_query_value(None, name, |r| {
            let v: rusqlite::types::Value = r.get(0)?;
            Ok(match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
        })?)
    }
}

impl Store for SqliteStore {
    fn read<R>(&mut self, f: impl FnOnce(&dyn Queries) -> Result<R>) -> Result<R> {
        self.read_conn(|c| f(&Sql(c)))
    }

    fn write<R>(&mut self, f: impl FnOnce(&dyn Changes) -> Result<R>) -> Result<R> {
        if let Some(problem) = &self.unguarded {
            return Err(Error::AuditUnguarded(problem.clone()));
        }
        let tx = Tx::begin(&self.conn, "BEGIN IMMEDIATE")?;
        let out = self.check_items().and_then(|()| {
            let out = f(&Sql(&SqliteConn(
                &self.conn,
                self.numbers.as_ref(),
                Some(&self.items),
            )))?;
            tx.commit()?;
            Ok(out)
        });
        self.items.transaction_ended();
        out
    }

    fn read_each<'a, R: Send>(&mut self, mut jobs: Vec<super::ReadJob<'a, R>>) -> Result<Vec<R>> {
        let path = self
            .conn
            .path()
            .filter(|p| !p.is_empty())
            .map(PathBuf::from);
        let Some(path) = path.filter(|_| jobs.len() > 1) else {
            return self.read(|q| super::run_jobs(q, jobs));
        };
        let second = jobs.split_off(jobs.len() / 2);
        let mut reader = match self.reader.take() {
            Some(reader) => reader,
            None => {
                let conn = Connection::open_with_flags(
                    &path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                conn.busy_timeout(BUSY_TIMEOUT)?;
                conn.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)?;
                conn
            }
        };
        let out = std::thread::scope(|scope| {
            let reader = &mut reader;
            let other = scope.spawn(move || -> Result<Vec<R>> {
                let tx = reader.transaction()?;
                let out = super::run_jobs(&Sql(&SqliteConn(&tx, None, None)), second)?;
                tx.commit()?;
                Ok(out)
            });
            let out = self.read(|q| super::run_jobs(q, jobs));
            super::joined(out, other)
        });
        self.reader = Some(reader);
        out
    }
}

impl SqliteStore {
    /// Runs `f` on the connection inside one read transaction (one snapshot).
    fn read_conn<R>(&mut self, f: impl FnOnce(&dyn Conn) -> Result<R>) -> Result<R> {
        let tx = Tx::begin(&self.conn, "BEGIN DEFERRED")?;
        self.check_items()?;
        let out = f(&SqliteConn(&self.conn, None, Some(&self.items)))?;
        tx.commit()?;
        Ok(out)
    }

    /// Inside a transaction just begun: forgets the kept items if another connection has
    /// committed since they were read (`sql::catalog::ItemCache`).
    fn check_items(&self) -> Result<()> {
        let version: i64 = self
            .conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |r| r.get(0))?;
        self.items.check(version);
        Ok(())
    }
}

/// A transaction of the store's connection, begun and ended by statements kept prepared in the
/// connection's statement cache. (rusqlite's `Transaction` prepares `BEGIN` and `COMMIT` again
/// every time: about 3 % of an intake's time after a pause, issue 21.) Dropped without
/// [`Tx::commit`], or when the commit fails, it rolls back, as rusqlite's does.
struct Tx<'c> {
    conn: &'c Connection,
    open: bool,
}

impl<'c> Tx<'c> {
    fn begin(conn: &'c Connection, begin: &'static str) -> Result<Tx<'c>> {
        conn.prepare_cached(begin)?.execute([])?;
        Ok(Tx { conn, open: true })
    }

    fn commit(mut self) -> Result<()> {
        self.conn.prepare_cached("COMMIT")?.execute([])?;
        self.open = false;
        Ok(())
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open && !self.conn.is_autocommit() {
            let _ = self
                .conn
                .prepare_cached("ROLLBACK")
                .and_then(|mut st| st.execute([]));
        }
    }
}

/// A SQLite connection inside a transaction, as the shared queries see it, with the numbers'
/// mark when it may write. Statements are prepared once per connection and kept (rusqlite's
/// statement cache).
pub(crate) struct SqliteConn<'a>(
    pub(crate) &'a Connection,
    pub(crate) Option<&'a RefCell<Keeper>>,
    /// The store's kept items; none on the other connections.
    pub(crate) Option<&'a ItemCache>,
);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Param::Null => ToSqlOutput::Owned(SqlValue::Null),
            Param::Int(i) => ToSqlOutput::Owned(SqlValue::Integer(*i)),
            Param::Bool(b) => ToSqlOutput::Owned(SqlValue::Integer(i64::from(*b))),
            Param::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

/// A SQLite row's columns, read where they lie.
impl RowSource for rusqlite::Row<'_> {
    fn cell(&self, i: usize) -> Result<Cell<'_>> {
        Ok(match self.get_ref(i)? {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(i) => Cell::Int(i),
            ValueRef::Real(f) => Cell::Real(f),
            ValueRef::Text(t) => Cell::Text(std::str::from_utf8(t).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    i,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?),
            ValueRef::Blob(b) => Cell::Blob(b),
        })
    }

    fn text_bytes(&self, i: usize) -> Result<Option<&[u8]>> {
        match self.get_ref(i)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(t) => Ok(Some(t)),
            other => Err(super::conn::conversion(format!(
                "column {i}: expected text, found {:?}",
                other.data_type()
            ))),
        }
    }
}

impl Conn for SqliteConn<'_> {
    fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<u64> {
        let n = self
            .0
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(params))?;
        Ok(n as u64)
    }

    fn each(
        &self,
        sql: &str,
        params: &[Param<'_>],
        f: &mut dyn FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.0.prepare_cached(sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(params))?;
        while let Some(r) = rows.next()? {
            f(&Row(r))?;
        }
        Ok(())
    }

    fn item_cache(&self) -> Option<&ItemCache> {
        self.2
    }

    fn issuing_number(&self, town: TownId, day: NaiveDate, seq: u32) -> Result<()> {
        match self.1 {
            Some(keeper) => keeper.borrow_mut().issuing(town, day, seq),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
impl SqliteStore {
    /// Every row of a table as text, for tests that look for what must not be there.
    pub(crate) fn dump_table_for_tests(&self, table: &str) -> String {
        let mut st = self
            .conn
            .prepare(&format!("SELECT * FROM {table}"))
            .unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        rows.map(|r| r.unwrap()).collect::<Vec<_>>().join("\n")
    }
}

/// The number of rows in a table, for tests elsewhere in the core that must not hold SQL.
#[cfg(test)]
pub(crate) fn count_rows(store: &SqliteStore, table: &str) -> i64 {
    store
        .conn
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewStaff;

    /// The items and letters a store keeps between transactions follow every change to the
    /// catalogue: made by this connection (renamed, materials replaced, mode set, a letter
    /// added), made and rolled back (the name read inside the failed write does not stay), and
    /// made by another connection.
    #[test]
    fn kept_items_follow_every_change_to_the_catalogue() {
        use crate::catalog::{Material, MaterialForm, Mode};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bianmin.db");
        let mut store = SqliteStore::open(&path).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        crate::demo::load(&mut store, today).unwrap();
        let town = store.read(|q| q.towns()).unwrap()[0].id;
        let code = "MZ-001";
        let seen = |s: &mut SqliteStore| {
            let items = s.read(|q| q.items_by_code(town, &[code], &[code])).unwrap();
            assert_eq!(items.len(), 1);
            (*items[0]).clone()
        };
        let mut item = seen(&mut store);
        assert!(store.items.len() > 0, "the item read is kept");
        let item_id = store.read(|q| q.item_id(code)).unwrap().unwrap();

        item.name = "改名一".into();
        store.write(|c| c.upsert_item(&item).map(|_| ())).unwrap();
        assert_eq!(seen(&mut store).name, "改名一");

        let failed: Result<()> = store.write(|c| {
            let mut renamed = item.clone();
            renamed.name = "改名作废".into();
            c.upsert_item(&renamed)?;
            assert_eq!(c.items_by_code(town, &[code], &[code])?[0].name, "改名作废");
            Err(Error::invalid("item", "试验：写到一半出错"))
        });
        assert!(failed.is_err());
        assert_eq!(
            seen(&mut store).name,
            "改名一",
            "the rolled-back name is not kept"
        );

        let one = vec![Material {
            seq: 1,
            name: "试验材料".into(),
            form: MaterialForm::Original,
            copies: 1,
            mandatory: true,
            pledgeable: false,
        }];
        store.write(|c| c.replace_materials(item_id, &one)).unwrap();
        assert_eq!(seen(&mut store).materials, one);
        let other_mode = if item.mode == Mode::Forward {
            Mode::Delegated
        } else {
            Mode::Forward
        };
        store
            .write(|c| c.set_mode(town, item_id, other_mode))
            .unwrap();
        assert_eq!(seen(&mut store).mode, other_mode);

        let mut other = SqliteStore::open(&path).unwrap();
        item.name = "改名二".into();
        other.write(|c| c.upsert_item(&item).map(|_| ())).unwrap();
        assert_eq!(
            seen(&mut store).name,
            "改名二",
            "another connection's change is seen"
        );
        let one_item = |s: &mut SqliteStore| s.read(|q| q.item(town, code)).unwrap().unwrap();
        assert_eq!(one_item(&mut store).name, "改名二");

        // Letters, which every authority check reads, likewise.
        let letter = |n: u32| crate::catalog::Letter {
            number: format!("试验委托〔2026〕{n}号"),
            issuer: "试验市民政局".into(),
            items: vec![code.into()],
            valid_from: today,
            valid_to: today + chrono::Days::new(30),
        };
        let letters = |s: &mut SqliteStore| s.read(|q| q.letters(town)).unwrap();
        let before = letters(&mut store).len();
        store.write(|c| c.upsert_letter(town, &letter(1))).unwrap();
        assert_eq!(letters(&mut store).len(), before + 1);
        other.write(|c| c.upsert_letter(town, &letter(2))).unwrap();
        let now = letters(&mut store);
        assert_eq!(now.len(), before + 2, "another connection's letter is seen");
        assert!(now.iter().any(|l| l == &letter(2)));
    }

    /// A write whose work fails leaves nothing of what it did, and the connection takes the
    /// next read and write as before (the transaction's statements are kept prepared, not
    /// rusqlite's `Transaction`).
    #[test]
    fn a_failed_write_leaves_nothing_and_the_store_goes_on() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let before = store.read(|q| q.towns()).unwrap().len();
        let failed: Result<()> = store.write(|c| {
            c.ensure_town("试验镇")?;
            Err(Error::invalid("town", "试验：写到一半出错"))
        });
        assert!(failed.is_err());
        assert_eq!(store.read(|q| q.towns()).unwrap().len(), before);
        assert!(
            store.conn.is_autocommit(),
            "the failed write was rolled back"
        );
        store.write(|c| c.ensure_town("试验镇")).unwrap();
        let towns = store.read(|q| q.towns()).unwrap();
        assert_eq!(towns.len(), before + 1);
        assert!(towns.iter().any(|t| t.name == "试验镇"));
    }

    /// Issue 17, point 1: a new database, its -wal and -shm (made by SQLite with the database
    /// file's mode) and the numbers file are 0600 while the store is open, the folder it made
    /// 0700; an older database left 0644 is narrowed when opened.
    #[test]
    fn a_database_and_every_file_beside_it_are_the_owners_alone() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new").join("bianmin.db");
        let mut s = SqliteStore::open(&path).unwrap();
        crate::demo::load(
            &mut s,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
        )
        .unwrap();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 28)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        crate::request::new_request(&mut s, &crate::store::suite::intake(0), at).unwrap();
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        for suffix in ["", "-wal", "-shm", ".numbers"] {
            let f = crate::files::beside(&path, suffix);
            assert_eq!(mode(&f), 0o600, "{}", f.display());
        }
        drop(s);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(SqliteStore::open_existing(&path).unwrap());
        assert_eq!(mode(&path), 0o600);
    }

    /// The trigger texts the open checks against, read from the migrations, are exactly what a
    /// database of this version holds, and a fresh database passes the check.
    #[test]
    fn the_audit_triggers_checked_at_open_are_the_schemas_own() {
        let mut want: Vec<(String, Option<String>)> = reference_schema(SCHEMA_VERSION)
            .unwrap()
            .into_iter()
            .filter(|e| e.0 == "trigger" && AUDIT_TABLES.contains(&e.2.as_str()))
            .map(|e| (e.1, e.3))
            .collect();
        want.sort();
        let mut have: Vec<(String, Option<String>)> = audit_triggers()
            .into_iter()
            .map(|(n, t)| (n.to_string(), Some(t.to_string())))
            .collect();
        have.sort();
        assert_eq!(have.len(), 4);
        assert_eq!(have, want);
        let s = SqliteStore::open_in_memory().unwrap();
        assert_eq!(audit_guard_problem(&s.conn).unwrap(), None);
    }

    /// Migration 16 widens the request table's CHECKs by editing its text in place: the
    /// connection that migrated a version-15 file writes the new state at once, the CHECK still
    /// refuses a state that is none, and the file passes `integrity_check`.
    #[test]
    fn a_version_15_file_takes_the_new_state_on_the_connection_that_migrated_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v15.db");
        {
            let c = Connection::open(&path).unwrap();
            for m in &MIGRATIONS[..15] {
                c.execute_batch(m).unwrap();
            }
            c.pragma_update(None, "user_version", 15).unwrap();
        }
        let mut s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        crate::demo::load(&mut s, today).unwrap();
        let at = today.and_hms_opt(10, 0, 0).unwrap();
        let input = crate::store::suite::intake(0);
        let number = crate::request::new_request(&mut s, &input, at)
            .unwrap()
            .view
            .number;
        let suspend = crate::request::Step::Suspend {
            reason: "需专家评审".into(),
            days: None,
        };
        let v = crate::request::step(&mut s, &number, "DF0002", &suspend, at)
            .unwrap()
            .view;
        assert_eq!(v.state, crate::request::State::Suspended);
        let bogus = s.conn.execute(
            "UPDATE request SET state = 'bogus' WHERE number = ?1",
            [&number],
        );
        assert!(
            bogus
                .unwrap_err()
                .to_string()
                .contains("CHECK constraint failed"),
            "the CHECK is kept"
        );
        let empowered = s.conn.execute(
            "UPDATE request SET mode = 'empowered' WHERE number = ?1",
            [&number],
        );
        assert_eq!(empowered.unwrap(), 1);
        // Migration 20 added `received` the same way.
        let received = s.conn.execute(
            "UPDATE request SET state = 'received' WHERE number = ?1",
            [&number],
        );
        assert_eq!(received.unwrap(), 1);
        // … and migration 22 `revoked`.
        let revoked = s.conn.execute(
            "UPDATE request SET state = 'revoked' WHERE number = ?1",
            [&number],
        );
        assert_eq!(revoked.unwrap(), 1);
        // Migration 18 widened town_item's the same way.
        let town_item = s
            .conn
            .execute("UPDATE town_item SET mode = 'empowered'", []);
        assert!(town_item.unwrap() > 0);
        assert!(s
            .conn
            .execute("UPDATE town_item SET mode = 'x'", [])
            .is_err());
        assert_eq!(s.pragma("integrity_check").unwrap(), "ok");
        drop(s);
        // Another connection reads the same text.
        let s = SqliteStore::open(&path).unwrap();
        assert!(s
            .conn
            .execute("UPDATE request SET mode = 'nowhere'", [])
            .is_err());
    }

    #[test]
    fn requests_of_an_older_database_are_found_by_part_of_a_name_on_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v8.db");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let number = {
            let mut s = SqliteStore::open(&path).unwrap();
            crate::demo::load(&mut s, today).unwrap();
            // 王喆赟 takes in MZ-001 at DF0013, as the storage suite's first intake.
            let input = crate::store::suite::intake(0);
            let at = today.and_hms_opt(10, 0, 0).unwrap();
            let n = crate::request::new_request(&mut s, &input, at)
                .unwrap()
                .view
                .number;
            // Back to version 8: no name parts, the exact-name index.
            s.conn
                .execute_batch(
                    "DROP INDEX request_report;
                     ALTER TABLE request DROP COLUMN answered_on;
                     CREATE INDEX request_town_created ON request (town_id, created_on);
                     DROP TABLE request_name_part;
                     DROP TABLE followup_period;
                     DROP TABLE device;
                     DROP TABLE followup;
                     DROP TABLE rating;
                     DROP TABLE ticket;
                     DROP INDEX request_idem_key;
                     DROP INDEX request_event_idem_key;
                     ALTER TABLE request DROP COLUMN idem_key;
                     ALTER TABLE request_event DROP COLUMN idem_key;
                     DROP TABLE retention;
                     DROP INDEX request_town_id_key;
                     ALTER TABLE request DROP COLUMN id_key;
                     ALTER TABLE request DROP COLUMN retained_on;
                     DROP TABLE audit_high;
                     DROP TABLE demo_mark;
                     DROP TABLE setup_code;
                     DROP TABLE login_failure;
                     ALTER TABLE account DROP COLUMN must_change_password;
                     DROP TABLE hall_key;
                     ALTER TABLE request DROP COLUMN opinion;
                     ALTER TABLE request DROP COLUMN amount_fen;
                     ALTER TABLE staff DROP COLUMN retirement_track;
                     ALTER TABLE request DROP COLUMN mode;
                     ALTER TABLE request DROP COLUMN extended_days;
                     ALTER TABLE request DROP COLUMN extension_reason;
                     ALTER TABLE request DROP COLUMN suspended_on;
                     ALTER TABLE request DROP COLUMN suspension_reason;
                     ALTER TABLE request DROP COLUMN suspension_days;
                     ALTER TABLE request DROP COLUMN suspended_days;
                     ALTER TABLE request DROP COLUMN overdue_reason;
                     ALTER TABLE item DROP COLUMN place;
                     ALTER TABLE item DROP COLUMN hours;
                     ALTER TABLE item DROP COLUMN phone;
                     ALTER TABLE item DROP COLUMN grant_number;
                     ALTER TABLE item DROP COLUMN grant_date;
                     ALTER TABLE request DROP COLUMN agent_name;
                     ALTER TABLE request DROP COLUMN agent_id;
                     ALTER TABLE request DROP COLUMN agent_relation;
                     ALTER TABLE request DROP COLUMN department_accepted_on;
                     ALTER TABLE item DROP COLUMN basic_code;
                     ALTER TABLE item DROP COLUMN impl_code;
                     ALTER TABLE item DROP COLUMN case_kind;
                     ALTER TABLE item DROP COLUMN visits;
                     ALTER TABLE item DROP COLUMN conditions;
                     ALTER TABLE item DROP COLUMN pledge;
                     ALTER TABLE material DROP COLUMN pledgeable;
                     ALTER TABLE request DROP COLUMN pledged;
                     ALTER TABLE request DROP COLUMN pledge_due;
                     ALTER TABLE request DROP COLUMN pledge_checked_on;
                     ALTER TABLE request DROP COLUMN pledge_truthful;
                     ALTER TABLE town DROP COLUMN superior;
                     CREATE INDEX request_town_name ON request (town_id, applicant_name);
                     CREATE INDEX audit_log_request ON audit_log (request_number);
                     PRAGMA user_version = 8;",
                )
                .unwrap();
            n
        };
        let mut s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
        for part in ["王喆赟", "喆赟", "王喆"] {
            let found = crate::request::search(&mut s, Some("东风镇"), part, today).unwrap();
            assert_eq!(found.len(), 1, "{part}");
            assert_eq!(found[0].number, number);
        }
    }

    #[test]
    fn a_store_checkpoints_in_the_background_once_idle() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(&dir.path().join("c.db")).unwrap();
        s.checkpoint_in_background().unwrap();
        s.checkpoint_in_background().unwrap();
        assert_eq!(s.background_checkpoints(), 0);
        // One commit of some 2,500 pages: past the log size a pause is used for.
        s.conn
            .execute_batch("CREATE TABLE t (b); INSERT INTO t VALUES (zeroblob(10000000));")
            .unwrap();
        let until = std::time::Instant::now() + Duration::from_secs(20);
        while s.background_checkpoints() == 0 {
            assert!(std::time::Instant::now() < until, "no checkpoint in 20 s");
            std::thread::sleep(Duration::from_millis(5));
        }
        let mut memory = SqliteStore::open_in_memory().unwrap();
        memory.checkpoint_in_background().unwrap();
        assert!(memory.checkpointer.is_none());
    }

    #[test]
    fn the_log_starts_again_after_a_background_checkpoint_between_intakes_and_searches() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(&dir.path().join("c.db")).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        crate::demo::load(&mut s, today).unwrap();
        s.checkpoint_in_background_after(Duration::from_millis(1), 1)
            .unwrap();
        let at = today.and_hms_opt(10, 0, 0).unwrap();
        let input = crate::store::suite::intake(0);
        let mut most = 0;
        for round in 0..5 {
            // Counted before the intake: its checkpoint may complete while the reads run.
            let before = s.background_checkpoints();
            crate::request::new_request(&mut s, &input, at).unwrap();
            crate::request::search(&mut s, Some("东风镇"), "喆赟", today).unwrap();
            crate::request::list(&mut s, None, crate::request::ListKind::Today, today).unwrap();
            let until = std::time::Instant::now() + Duration::from_secs(20);
            while s.background_checkpoints() == before {
                assert!(std::time::Instant::now() < until, "no checkpoint in 20 s");
                std::thread::sleep(Duration::from_millis(2));
            }
            // The first intake's log still holds the demo's pages, written before.
            if round > 0 {
                most = most.max(s.log_pages());
            }
        }
        // Each intake starts a fresh log: it never holds more than one intake's pages.
        assert!(most < 60, "the log grew to {most} pages");
    }

    /// "The CLI, one intake per process, keeps SQLite's own [checkpoint]": a store as the CLI
    /// opens it checkpoints at SQLite's 1,000 pages, inside the commit; only
    /// `checkpoint_in_background` (the desktop app's) replaces that with its WAL hook.
    #[test]
    fn a_store_keeps_sqlites_own_checkpoint_until_moved_to_the_background() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        drop(SqliteStore::open(&path).unwrap());
        let db = crate::address::Database::File(path.clone());
        for store in [
            crate::store::AnyStore::open(&db).unwrap(),
            crate::store::AnyStore::open_existing(&db).unwrap(),
        ] {
            let crate::store::AnyStore::Sqlite(mut s) = store else {
                panic!("a file opened as a server")
            };
            assert_eq!(s.pragma("wal_autocheckpoint").unwrap(), "1000");
            s.checkpoint_in_background().unwrap();
            // SQLite reports 0 once a hook of the program's own replaces its checkpoint.
            assert_eq!(s.pragma("wal_autocheckpoint").unwrap(), "0");
        }
    }

    /// The statements alive on a connection (prepared and not finalized): those in its cache.
    fn prepared(conn: &Connection) -> std::collections::BTreeSet<usize> {
        let mut out = std::collections::BTreeSet::new();
        // SAFETY: walks the connection's own list of statements without touching them, on the
        // thread that owns the connection.
        unsafe {
            let db = conn.handle();
            let mut st = rusqlite::ffi::sqlite3_next_stmt(db, std::ptr::null_mut());
            while !st.is_null() {
                out.insert(st as usize);
                st = rusqlite::ffi::sqlite3_next_stmt(db, st);
            }
        }
        out
    }

    /// The statement cache (128) holds every statement an intake, a search and a list use: after
    /// a round of them, another round prepares nothing new. rusqlite's default of 16 did not.
    #[test]
    fn a_second_round_of_counter_work_prepares_no_statement_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(&dir.path().join("c.db")).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        crate::demo::load(&mut s, today).unwrap();
        let at = today.and_hms_opt(10, 0, 0).unwrap();
        let round = |s: &mut SqliteStore, k: usize| {
            let mut input = crate::store::suite::intake(k);
            if k % 2 == 1 {
                input.materials = Some(vec![]);
            }
            crate::request::new_request(s, &input, at).unwrap();
            crate::request::search(s, Some("东风镇"), "喆赟", today).unwrap();
            crate::request::list(s, None, crate::request::ListKind::Today, today).unwrap();
        };
        for k in 0..2 {
            round(&mut s, k);
        }
        let before = prepared(&s.conn);
        assert!(
            before.len() > 16,
            "{} statements kept: more than rusqlite's default cache",
            before.len()
        );
        for k in 2..4 {
            round(&mut s, k);
        }
        assert_eq!(prepared(&s.conn), before, "statements were prepared again");
    }

    /// "A page of up to 50 requests costs a constant number of queries": a search page of 50
    /// (several items, some requests incomplete) runs as many statements as a page of 4.
    #[test]
    fn a_page_of_fifty_costs_the_queries_of_a_page_of_four() {
        use rusqlite::trace::{TraceEvent, TraceEventCodes};
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let mut s = SqliteStore::open_in_memory().unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        crate::demo::load(&mut s, today).unwrap();
        let at = today.and_hms_opt(10, 0, 0).unwrap();
        let items = ["MZ-001", "MZ-002", "MZ-003", "RS-001", "WJ-001"];
        for k in 0..64 {
            let mut input = crate::store::suite::intake(k);
            input.name = if k < 4 { "赵玥琪" } else { "王喆赟" }.into();
            input.item = items[k % items.len()].into();
            if k % 3 == 0 {
                input.materials = Some(vec![]);
            }
            crate::request::new_request(&mut s, &input, at).unwrap();
        }
        let count = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&count);
        s.conn
            .trace_v2(
                TraceEventCodes::SQLITE_TRACE_STMT,
                Some(move |e: TraceEvent<'_>| {
                    if let TraceEvent::Stmt(..) = e {
                        seen.fetch_add(1, Ordering::SeqCst);
                    }
                }),
            )
            .unwrap();
        let mut statements = |query: &str, rows: usize| {
            let before = count.load(Ordering::SeqCst);
            let page = crate::request::search(&mut s, Some("东风镇"), query, today).unwrap();
            assert_eq!(page.len(), rows, "{query}");
            let incomplete = page.iter().filter(|r| !r.missing.is_empty()).count();
            assert!(
                incomplete > 0 && incomplete < rows,
                "{query}: {incomplete} incomplete"
            );
            count.load(Ordering::SeqCst) - before
        };
        let small = statements("玥琪", 4);
        let full = statements("喆赟", 50);
        assert!(small > 0);
        assert_eq!(
            full, small,
            "a page of 50 ran {full} statements, a page of 4 {small}"
        );
    }

    #[test]
    fn every_connection_sets_its_pragmas() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.db");
        drop(SqliteStore::open(&path).unwrap());
        for store in [
            SqliteStore::open(&path).unwrap(),
            SqliteStore::open_existing(&path).unwrap(),
        ] {
            assert_eq!(store.pragma("journal_mode").unwrap(), "wal");
            assert_eq!(store.pragma("foreign_keys").unwrap(), "1");
            assert_eq!(store.pragma("busy_timeout").unwrap(), "5000");
            // 2 = FULL
            assert_eq!(store.pragma("synchronous").unwrap(), "2");
            // 64 MiB of pages kept in the process, not SQLite's default 2 MiB.
            assert_eq!(store.pragma("cache_size").unwrap(), "-65536");
            assert!(store
                .conn
                .db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG)
                .unwrap());
            assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        }
    }

    #[test]
    fn a_newer_database_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("future.db");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(
                "CREATE TABLE t (x); INSERT INTO t VALUES (1); PRAGMA user_version = 99;",
            )
            .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        for result in [SqliteStore::open(&path), SqliteStore::open_existing(&path)] {
            match result {
                Err(Error::NewerSchema { found, supported }) => {
                    assert_eq!((found, supported), (99, SCHEMA_VERSION));
                }
                Err(e) => panic!("wrong error: {e}"),
                Ok(_) => panic!("a newer database was opened"),
            }
        }
        assert_eq!(std::fs::read(&path).unwrap(), before, "the file changed");
        assert!(!dir.path().join("future.db-wal").exists());
    }

    #[test]
    fn a_missing_database_is_not_created_by_open_existing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("none.db");
        assert!(matches!(
            SqliteStore::open_existing(&path),
            Err(Error::NoDatabase(_))
        ));
        assert!(!path.exists());
    }

    #[test]
    fn migrating_twice_changes_nothing_and_the_schema_checks_dates() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        s.migrate(0).unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
        let staff = s
            .write(|c| {
                let town = c.ensure_town("测试镇")?;
                c.ensure_staff(
                    town,
                    &NewStaff {
                        no: "X1",
                        name: "甲",
                        gender: "男",
                        home_unit_id: None,
                        home_body: None,
                        birth_date: None,
                        retirement_track: None,
                    },
                )
            })
            .unwrap();
        // The types keep bad dates out of the store; the CHECK constraints are the last line.
        let bad = s.conn.execute(
            "INSERT INTO staff_status (staff_id, status, start_date) VALUES (?1, 'on_duty', '2026-02-30')",
            [staff.0],
        );
        assert!(bad.is_err(), "an impossible date was stored");
        assert_eq!(count_rows(&s, "staff_status"), 0);
    }
}
