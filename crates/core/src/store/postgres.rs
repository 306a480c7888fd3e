//! The PostgreSQL backend, for a hall whose counters on several PCs share one server.
//!
//! The same semantics as [`super::SqliteStore`]: a read runs inside one REPEATABLE READ snapshot,
//! a write inside one transaction. SQLite lets one writer at a time in (an IMMEDIATE
//! transaction); here every write transaction first takes one transaction-level advisory lock, so
//! writers follow each other the same way: a request number, an audit record's id and link, a
//! reprint's copy number and every `ensure_*` are read and written with no other writer in
//! between, and no write can deadlock another. Readers never wait.
//!
//! Dates are stored as the same ISO text as in SQLite, and text sorts byte by byte, so both
//! backends give the same answers (`store::suite` checks it).

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::NaiveDate;
use postgres::types::ToSql;
use postgres::{Client, Config, IsolationLevel, NoTls, Row, Statement, Transaction};

use super::audit::{Verification, Walk};
use super::{Changes, NewAccountRow, NewQuota, NewStaff, NewStatus, NewUnit, Queries, Store};
use crate::accounts::{Account, StoredAccount};
use crate::audit::AuditEntry;
use crate::calendar::{DayKind, YearArrangement};
use crate::catalog::{Item, Letter, Material, MaterialForm, Mode, TimeLimit};
use crate::error::StorageError;
use crate::request::record::{EventRow, PrintRecord, RequestQuery, RequestRow};
use crate::request::State;
use crate::staff::{Credential, Role, StaffProfile};
use crate::staffing::{
    HallPost, PostKind, Quota, RotaEntry, Staff, Status, StatusPeriod, Town, TownFacts, Unit,
};
use crate::{Error, Result};

/// The schema, as (the version it brings the database to, its SQL), applied in order. Version
/// numbers are SQLite's: a PostgreSQL database starts at 7, with the whole schema of that version.
pub(crate) const PG_MIGRATIONS: &[(i64, &str)] = &[
    (7, include_str!("migrations/pg/0007_schema.sql")),
    // Version 8 is SQLite's date triggers; PostgreSQL's CHECKs refused such text from the start.
    (8, "SELECT 1"),
];

/// The advisory lock every write transaction (and every migration) holds: one writer at a time.
pub(super) const WRITE_LOCK: i64 = 0x6269_616e_6d69_6e57; // "bianminW"

/// Whether a database address names a PostgreSQL server rather than a SQLite file.
pub fn is_postgres_url(s: &str) -> bool {
    let s = s.trim_start();
    ["postgres://", "postgresql://"]
        .iter()
        .any(|p| s.len() >= p.len() && s[..p.len()].eq_ignore_ascii_case(p))
}

/// The address with any password replaced, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_string();
    };
    match rest[..at].find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &url[..scheme_end + 3],
            &rest[..colon],
            &rest[at..]
        ),
        None => url.to_string(),
    }
}

/// How many connections one process keeps to the server at most. A counter's app or a CLI
/// command uses one at a time; the pool lets a process that shares its store between threads
/// (the app's commands, a benchmark's clients) run their transactions side by side.
const POOL_SIZE: u32 = 4;

/// How long connecting (or waiting for a free pooled connection) may take before the store
/// gives up and says the server cannot be reached.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// A pooled connection: the client and the statements prepared on it, which die with it.
pub(crate) struct Conn {
    client: Client,
    statements: HashMap<String, Statement>,
}

/// Opens connections for the pool.
struct Connector {
    config: Config,
    /// `None`: plain connections (a server on this machine); see [`super::tls`].
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
}

impl Connector {
    fn open(&self) -> std::result::Result<Client, postgres::Error> {
        match &self.tls {
            None => self.config.connect(NoTls),
            Some(tls) => self.config.connect(tls.clone()),
        }
    }
}

impl r2d2::ManageConnection for Connector {
    type Connection = Conn;
    type Error = postgres::Error;

    fn connect(&self) -> std::result::Result<Conn, postgres::Error> {
        Ok(Conn {
            client: self.open()?,
            statements: HashMap::new(),
        })
    }

    /// Checked when a connection is taken from the pool, so that one the server dropped (a
    /// restart, a network cut) is replaced instead of failing the next transaction.
    fn is_valid(&self, conn: &mut Conn) -> std::result::Result<(), postgres::Error> {
        conn.client.simple_query("").map(|_| ())
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        conn.client.is_closed()
    }
}

/// What [`PgStore::probe`] found on a server.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Probe {
    /// The address without its password.
    pub server: String,
    pub server_version: String,
    /// 0: no Bianmin schema yet (it is created on first use).
    pub schema_version: i64,
    /// False when the schema is newer than this build.
    pub supported: bool,
    pub towns: i64,
}

/// The PostgreSQL store: a pool of connections to one database. Clones share the pool.
#[derive(Clone)]
pub struct PgStore {
    pool: r2d2::Pool<Connector>,
    /// The address without its password, for messages.
    server: String,
}

impl PgStore {
    /// Connects to the server at `url` (postgres://user:password@host:port/database) and brings
    /// the schema up to date. A database whose schema is newer than this build is refused before
    /// anything is written to it.
    ///
    /// A server off this machine must be reached through TLS: `sslmode=verify-full` (or
    /// `require`, `verify-ca`) with `sslrootcert=/路径/ca.crt`; an address off loopback without
    /// it is refused before any connection is tried. The rules per `sslmode` are in
    /// [`super::tls`].
    pub fn connect(url: &str) -> Result<Self> {
        let (config, tls) = super::tls::address(url, "db")?;
        Self::open(config, tls, redact_url(url))
    }

    /// Connects with a parsed configuration and brings the schema up to date. `server` names
    /// the server in messages (without a password). The configuration's `sslmode` (disable,
    /// prefer or require) follows the rules of [`super::tls`], with the system's root
    /// certificates: a URL with `sslrootcert` goes through [`PgStore::connect`].
    pub fn from_config(config: Config, server: String) -> Result<Self> {
        let mut address = super::tls::Address::from_config(config);
        let tls = super::tls::plan(&mut address, "db")?;
        Self::open(address.config, tls, server)
    }

    fn open(
        mut config: Config,
        tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
        server: String,
    ) -> Result<Self> {
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let connector = Connector { config, tls };
        // The first connection is opened here, so that an unreachable server or a wrong
        // password is reported with its reason rather than as a pool timeout.
        let first = r2d2::ManageConnection::connect(&connector)
            .map_err(|e| unreachable_error(&server, &e))?;
        let pool = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(0))
            .connection_timeout(CONNECT_TIMEOUT)
            .build_unchecked(connector);
        let mut store = PgStore { pool, server };
        let mut first = first;
        store.migrate(&mut first.client)?;
        Ok(store)
    }

    /// Connects to `url` without changing anything and says what is there: for the app's
    /// 测试连接 before a counter is switched over.
    pub fn probe(url: &str) -> Result<Probe> {
        let (mut config, tls) = super::tls::address(url, "database_url")?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let server = redact_url(url);
        let mut client = Connector { config, tls }
            .open()
            .map_err(|e| unreachable_error(&server, &e))?;
        let full: String = client.query_one("SHOW server_version", &[])?.try_get(0)?;
        // "15.18 (Debian 15.18-0+deb12u1)": the number is what a person needs.
        let server_version = full.split_whitespace().next().unwrap_or(&full).to_string();
        let schema_version = schema_version(&mut client)?;
        let towns: i64 = if schema_version > 0 {
            client
                .query_one("SELECT count(*) FROM town", &[])?
                .try_get(0)?
        } else {
            0
        };
        Ok(Probe {
            server,
            server_version,
            schema_version,
            supported: schema_version <= super::SCHEMA_VERSION,
            towns,
        })
    }

    /// A connection from the pool; a new one when none is free.
    fn conn(&self) -> Result<r2d2::PooledConnection<Connector>> {
        self.pool.get().map_err(|e| Error::Unreachable {
            server: self.server.clone(),
            reason: format!("连接超时（{e}）"),
        })
    }

    /// The schema version of the database; 0 when it holds no Bianmin schema yet.
    pub fn schema_version(&mut self) -> Result<i64> {
        schema_version(&mut self.conn()?.client)
    }

    fn migrate(&mut self, client: &mut Client) -> Result<()> {
        let found = schema_version(client)?;
        if found > super::SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                found,
                supported: super::SCHEMA_VERSION,
            });
        }
        for &(version, sql) in PG_MIGRATIONS {
            let mut tx = client.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
            // Another counter may have migrated while we waited for the lock.
            if schema_version(&mut tx)? >= version {
                continue;
            }
            tx.batch_execute(sql)?;
            tx.execute(
                "INSERT INTO bianmin_schema (one, version) VALUES (true, $1)
                 ON CONFLICT (one) DO UPDATE SET version = excluded.version",
                &[&version],
            )?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Walks the audit log's hash chain inside one snapshot.
    pub fn verify_audit(&mut self) -> Result<Verification> {
        let mut conn = self.conn()?;
        let mut tx = conn
            .client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let rows = tx.query(
            &format!(
                "SELECT {} FROM audit_log ORDER BY id",
                super::audit::COLUMNS
            ),
            &[],
        )?;
        tx.commit()?;
        let mut walk = Walk::new();
        for r in &rows {
            let entry = AuditEntry {
                at: get(r, 1)?,
                os_user: get(r, 2)?,
                staff_no: get(r, 3)?,
                action: get(r, 4)?,
                request_number: get(r, 5)?,
                item_code: get(r, 6)?,
                allowed: get(r, 7)?,
                basis: get(r, 8)?,
                detail: get(r, 9)?,
            };
            let prev: Option<String> = get(r, 10)?;
            let hash: Option<String> = get(r, 11)?;
            if let Some(broken) = walk.next(get(r, 0)?, &entry, prev.as_deref(), hash.as_deref()) {
                return Ok(broken);
            }
        }
        Ok(walk.done())
    }

    /// Runs one statement outside the store's transactions, for tests that check what the
    /// schema refuses.
    #[cfg(test)]
    pub(crate) fn execute_for_tests(&mut self, sql: &str) -> Result<u64> {
        Ok(self.conn()?.client.execute(sql, &[])?)
    }

    /// The first column of the one row `sql` returns, for tests.
    #[cfg(test)]
    pub(crate) fn query_bool_for_tests(&mut self, sql: &str) -> Result<bool> {
        Ok(self.conn()?.client.query_one(sql, &[])?.try_get(0)?)
    }
}

/// Why a connection failed, in words for the person at the counter.
fn unreachable_error(server: &str, e: &postgres::Error) -> Error {
    use postgres::error::SqlState;
    let reason = if let Some(reason) = super::tls::tls_reason(e) {
        reason
    } else if let Some(code) = e.code() {
        if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            "用户名或密码不正确，或服务器不允许这台电脑连接".to_string()
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            "服务器上没有这个数据库，请先在服务器上创建".to_string()
        } else if *code == SqlState::TOO_MANY_CONNECTIONS {
            "服务器的连接数已满".to_string()
        } else {
            format!("服务器拒绝了连接（{}）", code.code())
        }
    } else {
        let io = std::error::Error::source(e).and_then(|s| s.downcast_ref::<std::io::Error>());
        match io.map(|io| io.kind()) {
            Some(std::io::ErrorKind::ConnectionRefused) => {
                "连接被拒绝，服务器没有在这个端口上运行".into()
            }
            Some(std::io::ErrorKind::TimedOut) => "连接超时".into(),
            _ if e.to_string().contains("timeout") || e.to_string().contains("timed out") => {
                "连接超时".into()
            }
            _ => format!("连接失败（{e}）"),
        }
    };
    Error::Unreachable {
        server: server.to_string(),
        reason,
    }
}

fn schema_version(c: &mut impl postgres::GenericClient) -> Result<i64> {
    let exists: bool = c
        .query_one("SELECT to_regclass('bianmin_schema') IS NOT NULL", &[])?
        .try_get(0)?;
    if !exists {
        return Ok(0);
    }
    let row = c.query_opt("SELECT version FROM bianmin_schema", &[])?;
    Ok(match row {
        Some(r) => r.try_get(0)?,
        None => 0,
    })
}

impl Store for PgStore {
    fn read<R>(&mut self, f: impl FnOnce(&dyn Queries) -> Result<R>) -> Result<R> {
        let mut pooled = self.conn()?;
        let Conn { client, statements } = &mut *pooled;
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let ptx = PgTx {
            tx: RefCell::new(tx),
            statements: RefCell::new(statements),
        };
        let out = f(&ptx)?;
        ptx.tx.into_inner().commit()?;
        Ok(out)
    }

    fn write<R>(&mut self, f: impl FnOnce(&dyn Changes) -> Result<R>) -> Result<R> {
        let mut pooled = self.conn()?;
        let Conn { client, statements } = &mut *pooled;
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::ReadCommitted)
            .start()?;
        // One writer at a time, as in SQLite; READ COMMITTED so that each statement after the
        // lock sees everything the writers before committed.
        let ptx = PgTx {
            tx: RefCell::new(tx),
            statements: RefCell::new(statements),
        };
        // Prepared once per connection, like every other statement: one round trip per write.
        ptx.one("SELECT pg_advisory_xact_lock($1)::text", &[&WRITE_LOCK])?;
        let out = f(&ptx)?;
        ptx.tx.into_inner().commit()?;
        Ok(out)
    }
}

struct PgTx<'a> {
    tx: RefCell<Transaction<'a>>,
    statements: RefCell<&'a mut HashMap<String, Statement>>,
}

type Params<'p> = &'p [&'p (dyn ToSql + Sync)];

impl PgTx<'_> {
    fn statement(&self, sql: &str) -> Result<Statement> {
        if let Some(st) = self.statements.borrow().get(sql) {
            return Ok(st.clone());
        }
        let st = self.tx.borrow_mut().prepare(sql)?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), st.clone());
        Ok(st)
    }

    fn rows(&self, sql: &str, params: Params<'_>) -> Result<Vec<Row>> {
        let st = self.statement(sql)?;
        Ok(self.tx.borrow_mut().query(&st, params)?)
    }

    fn opt(&self, sql: &str, params: Params<'_>) -> Result<Option<Row>> {
        let st = self.statement(sql)?;
        Ok(self.tx.borrow_mut().query_opt(&st, params)?)
    }

    fn one(&self, sql: &str, params: Params<'_>) -> Result<Row> {
        let st = self.statement(sql)?;
        Ok(self.tx.borrow_mut().query_one(&st, params)?)
    }

    fn exec(&self, sql: &str, params: Params<'_>) -> Result<u64> {
        let st = self.statement(sql)?;
        Ok(self.tx.borrow_mut().execute(&st, params)?)
    }

    /// Every row of a query, each read by `f`.
    fn all<T>(
        &self,
        sql: &str,
        params: Params<'_>,
        f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.rows(sql, params)?.iter().map(f).collect()
    }
}

fn conversion(msg: String) -> Error {
    Error::Storage(StorageError::new(msg))
}

fn get<'a, T: postgres::types::FromSql<'a>>(r: &'a Row, i: usize) -> Result<T> {
    Ok(r.try_get(i)?)
}

/// A BIGINT column read into a narrower unsigned type.
fn num<T: TryFrom<i64>>(r: &Row, i: usize) -> Result<T> {
    let v: i64 = get(r, i)?;
    T::try_from(v).map_err(|_| conversion(format!("column {i}: {v} out of range")))
}

fn opt_num<T: TryFrom<i64>>(r: &Row, i: usize) -> Result<Option<T>> {
    let v: Option<i64> = get(r, i)?;
    v.map(|v| T::try_from(v).map_err(|_| conversion(format!("column {i}: {v} out of range"))))
        .transpose()
}

fn date(r: &Row, i: usize) -> Result<NaiveDate> {
    let s: String = get(r, i)?;
    parse_date(&s)
}

fn opt_date(r: &Row, i: usize) -> Result<Option<NaiveDate>> {
    let s: Option<String> = get(r, i)?;
    s.as_deref().map(parse_date).transpose()
}

fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| conversion(format!("date {s}: {e}")))
}

const DATETIME: &str = "%Y-%m-%d %H:%M:%S";

fn datetime(s: &str) -> Result<chrono::NaiveDateTime> {
    chrono::NaiveDateTime::parse_from_str(s, DATETIME)
        .map_err(|e| conversion(format!("datetime {s}: {e}")))
}

fn status_to_sql(s: Status) -> (&'static str, Option<i64>) {
    match s {
        Status::OnDuty => ("on_duty", None),
        Status::SecondedOut => ("seconded_out", None),
        Status::SecondedIn { unit_id } => ("seconded_in", Some(unit_id)),
        Status::LongLeave => ("long_leave", None),
        Status::Retired => ("retired", None),
    }
}

fn status_from_sql(s: &str, unit_id: Option<i64>) -> Result<Status> {
    Ok(match (s, unit_id) {
        ("on_duty", _) => Status::OnDuty,
        ("seconded_out", _) => Status::SecondedOut,
        ("seconded_in", Some(unit_id)) => Status::SecondedIn { unit_id },
        ("long_leave", _) => Status::LongLeave,
        ("retired", _) => Status::Retired,
        _ => return Err(conversion(format!("unknown status {s}"))),
    })
}

fn status_period(r: &Row) -> Result<StatusPeriod> {
    let status: String = get(r, 1)?;
    Ok(StatusPeriod {
        staff_id: get(r, 0)?,
        status: status_from_sql(&status, get(r, 2)?)?,
        other_body: get(r, 3)?,
        start: date(r, 4)?,
        end: opt_date(r, 5)?,
    })
}

/// kind, number, scope, valid_from, valid_to from column `at` on.
fn credential_at(r: &Row, at: usize) -> Result<Credential> {
    Ok(Credential {
        kind: get(r, at)?,
        number: get(r, at + 1)?,
        scope: get(r, at + 2)?,
        valid_from: date(r, at + 3)?,
        valid_to: date(r, at + 4)?,
    })
}

fn profile_row(r: &Row) -> Result<StaffProfile> {
    Ok(StaffProfile {
        id: get(r, 0)?,
        no: get(r, 1)?,
        name: get(r, 2)?,
        town: get(r, 3)?,
        unit: get(r, 4)?,
        roles: Vec::new(),
        credentials: Vec::new(),
        at_work: false,
    })
}

/// The unit a person works in: the home unit, or the host unit of the latest secondment in.
const PROFILE_SELECT: &str = "SELECT s.id, s.no, s.name, t.name,
        COALESCE(u.name, (SELECT hu.name FROM staff_status p
                          JOIN unit hu ON hu.id = p.unit_id
                          WHERE p.staff_id = s.id AND p.status = 'seconded_in'
                          ORDER BY p.start_date DESC LIMIT 1), '')
 FROM staff s JOIN town t ON t.id = s.town_id
 LEFT JOIN unit u ON u.id = s.unit_id";

impl Queries for PgTx<'_> {
    fn towns(&self) -> Result<Vec<Town>> {
        self.all("SELECT id, name FROM town ORDER BY id", &[], |r| {
            Ok(Town {
                id: get(r, 0)?,
                name: get(r, 1)?,
            })
        })
    }

    fn town_facts(&self, town_id: i64, rota_on: Option<NaiveDate>) -> Result<TownFacts> {
        let units = self.all(
            "SELECT id, name, kind, managed_by, enforcement_scope FROM unit WHERE town_id = $1
             ORDER BY sort_order, id",
            &[&town_id],
            |r| {
                Ok(Unit {
                    id: get(r, 0)?,
                    name: get(r, 1)?,
                    kind: get(r, 2)?,
                    managed_by: get(r, 3)?,
                    enforcement_scope: get(r, 4)?,
                })
            },
        )?;
        let quotas = self.all(
            "SELECT q.unit_id, q.kind, q.posts, q.effective_from, q.effective_to
             FROM quota q JOIN unit u ON u.id = q.unit_id WHERE u.town_id = $1",
            &[&town_id],
            |r| {
                let kind: String = get(r, 1)?;
                Ok(Quota {
                    unit_id: get(r, 0)?,
                    kind: PostKind::parse(&kind).unwrap_or(PostKind::Institutional),
                    posts: num(r, 2)?,
                    effective_from: date(r, 3)?,
                    effective_to: opt_date(r, 4)?,
                })
            },
        )?;
        let staff = self.all(
            "SELECT id, no, name, unit_id, home_body, gender, birth_date FROM staff
             WHERE town_id = $1 ORDER BY id",
            &[&town_id],
            |r| {
                Ok(Staff {
                    id: get(r, 0)?,
                    no: get(r, 1)?,
                    name: get(r, 2)?,
                    home_unit_id: get(r, 3)?,
                    home_body: get(r, 4)?,
                    gender: get(r, 5)?,
                    birth_date: opt_date(r, 6)?,
                })
            },
        )?;
        let statuses = self.all(
            "SELECT p.staff_id, p.status, p.unit_id, p.other_body, p.start_date, p.end_date
             FROM staff_status p JOIN staff s ON s.id = p.staff_id WHERE s.town_id = $1
             ORDER BY p.id",
            &[&town_id],
            status_period,
        )?;
        let posts = self.all(
            "SELECT id, name FROM hall_post WHERE town_id = $1 ORDER BY sort_order, id",
            &[&town_id],
            |r| {
                Ok(HallPost {
                    id: get(r, 0)?,
                    name: get(r, 1)?,
                })
            },
        )?;
        let on = rota_on.map(|d| d.to_string());
        let rota = self.all(
            "SELECT r.post_id, r.staff_id, r.weekday, r.start_date, r.end_date
             FROM rota r JOIN hall_post p ON p.id = r.post_id
             WHERE p.town_id = $1
               AND ($2::text IS NULL
                    OR (r.start_date <= $2::text AND (r.end_date IS NULL OR r.end_date >= $2::text)))
             ORDER BY p.sort_order, r.weekday, r.staff_id, r.id",
            &[&town_id, &on],
            |r| {
                Ok(RotaEntry {
                    post_id: get(r, 0)?,
                    staff_id: get(r, 1)?,
                    weekday: num(r, 2)?,
                    start: date(r, 3)?,
                    end: opt_date(r, 4)?,
                })
            },
        )?;
        let credentials = self.all(
            "SELECT c.staff_id, c.kind, c.number, c.scope, c.valid_from, c.valid_to
             FROM credential c JOIN staff s ON s.id = c.staff_id WHERE s.town_id = $1
             ORDER BY c.id",
            &[&town_id],
            |r| Ok((get(r, 0)?, credential_at(r, 1)?)),
        )?;
        Ok(TownFacts {
            units,
            quotas,
            staff,
            statuses,
            posts,
            rota,
            credentials,
        })
    }

    fn items(&self, town_id: i64) -> Result<Vec<Item>> {
        let mut items = self.all(
            &format!(
                "SELECT {ITEM_COLUMNS} FROM item i
                 JOIN town_item ti ON ti.item_id = i.id AND ti.town_id = $1 ORDER BY i.code"
            ),
            &[&town_id],
            item_row,
        )?;
        self.attach_materials(&mut items, town_id)?;
        Ok(items.into_iter().map(|(_, i)| i).collect())
    }

    fn item(&self, town_id: i64, code: &str) -> Result<Option<Item>> {
        let found = self.opt(
            &format!(
                "SELECT {ITEM_COLUMNS} FROM item i
                 JOIN town_item ti ON ti.item_id = i.id AND ti.town_id = $1 WHERE i.code = $2"
            ),
            &[&town_id, &code],
        )?;
        let Some(row) = found else {
            return Ok(None);
        };
        let (id, mut item) = item_row(&row)?;
        item.materials = self
            .all(
                "SELECT item_id, seq, name, form, copies, mandatory FROM material
                 WHERE item_id = $1 ORDER BY seq",
                &[&id],
                material_row,
            )?
            .into_iter()
            .map(|(_, m)| m)
            .collect();
        Ok(Some(item))
    }

    fn item_id(&self, code: &str) -> Result<Option<i64>> {
        self.opt("SELECT id FROM item WHERE code = $1", &[&code])?
            .map(|r| get(&r, 0))
            .transpose()
    }

    fn letters(&self, town_id: i64) -> Result<Vec<Letter>> {
        let mut letters = self.all(
            "SELECT id, number, issuer, valid_from, valid_to FROM letter
             WHERE town_id = $1 ORDER BY valid_from, number",
            &[&town_id],
            |r| {
                Ok((
                    get::<i64>(r, 0)?,
                    Letter {
                        number: get(r, 1)?,
                        issuer: get(r, 2)?,
                        items: Vec::new(),
                        valid_from: date(r, 3)?,
                        valid_to: date(r, 4)?,
                    },
                ))
            },
        )?;
        for (id, letter) in &mut letters {
            letter.items = self.all(
                "SELECT i.code FROM letter_item li JOIN item i ON i.id = li.item_id
                 WHERE li.letter_id = $1 ORDER BY i.code",
                &[&*id],
                |r| get(r, 0),
            )?;
        }
        Ok(letters.into_iter().map(|(_, l)| l).collect())
    }

    fn staff_profiles(&self, town_id: i64) -> Result<Vec<StaffProfile>> {
        let mut people = self.all(
            &format!("{PROFILE_SELECT} WHERE s.town_id = $1 ORDER BY s.no"),
            &[&town_id],
            profile_row,
        )?;
        let index: HashMap<i64, usize> =
            people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        for r in self.rows(
            "SELECT r.staff_id, r.role FROM staff_role r JOIN staff s ON s.id = r.staff_id
             WHERE s.town_id = $1",
            &[&town_id],
        )? {
            let id: i64 = get(&r, 0)?;
            let role: String = get(&r, 1)?;
            if let (Some(&i), Some(role)) = (index.get(&id), Role::parse(&role)) {
                people[i].roles.push(role);
            }
        }
        for r in self.rows(
            "SELECT c.staff_id, c.kind, c.number, c.scope, c.valid_from, c.valid_to
             FROM credential c JOIN staff s ON s.id = c.staff_id
             WHERE s.town_id = $1 ORDER BY c.valid_to, c.id",
            &[&town_id],
        )? {
            let id: i64 = get(&r, 0)?;
            let c = credential_at(&r, 1)?;
            if let Some(&i) = index.get(&id) {
                people[i].credentials.push(c);
            }
        }
        for p in &mut people {
            p.roles.sort();
        }
        Ok(people)
    }

    fn staff_profile(&self, no: &str) -> Result<Option<StaffProfile>> {
        let Some(town_id) = self.staff_town(no)? else {
            return Ok(None);
        };
        let found = self.opt(
            &format!("{PROFILE_SELECT} WHERE s.no = $1 AND s.town_id = $2"),
            &[&no, &town_id],
        )?;
        let Some(row) = found else {
            return Ok(None);
        };
        let mut p = profile_row(&row)?;
        let roles: Vec<String> = self.all(
            "SELECT role FROM staff_role WHERE staff_id = $1",
            &[&p.id],
            |r| get(r, 0),
        )?;
        p.roles = roles.iter().filter_map(|r| Role::parse(r)).collect();
        p.roles.sort();
        p.credentials = self.all(
            "SELECT kind, number, scope, valid_from, valid_to FROM credential
             WHERE staff_id = $1 ORDER BY valid_to, id",
            &[&p.id],
            |r| credential_at(r, 0),
        )?;
        Ok(Some(p))
    }

    fn staff_periods(&self, staff_id: i64) -> Result<Vec<StatusPeriod>> {
        self.all(
            "SELECT staff_id, status, unit_id, other_body, start_date, end_date
             FROM staff_status WHERE staff_id = $1 ORDER BY id",
            &[&staff_id],
            status_period,
        )
    }

    fn staff_town(&self, no: &str) -> Result<Option<i64>> {
        self.opt("SELECT town_id FROM staff WHERE no = $1", &[&no])?
            .map(|r| get(&r, 0))
            .transpose()
    }

    fn calendar_years(&self) -> Result<Vec<YearArrangement>> {
        let mut years = self.all(
            "SELECT year, source FROM calendar_year ORDER BY year",
            &[],
            |r| {
                Ok(YearArrangement {
                    year: num(r, 0)?,
                    source: get(r, 1)?,
                    days: Default::default(),
                })
            },
        )?;
        for y in &mut years {
            let (from, to) = (format!("{}-01-01", y.year), format!("{}-12-31", y.year));
            for r in self.rows(
                "SELECT date, kind, name FROM calendar_day WHERE date >= $1 AND date <= $2",
                &[&from, &to],
            )? {
                let kind: String = get(&r, 1)?;
                let kind =
                    DayKind::parse(&kind).ok_or_else(|| conversion(format!("kind {kind}")))?;
                y.days.insert(date(&r, 0)?, (kind, get(&r, 2)?));
            }
        }
        Ok(years)
    }

    fn request(&self, number: &str) -> Result<Option<RequestRow>> {
        let found = self.opt(
            &format!("SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE r.number = $1"),
            &[&number],
        )?;
        match found {
            Some(r) => {
                let mut row = request_row(&r)?;
                row.received = self.received_of(row.id)?;
                Ok(Some(row))
            }
            None => Ok(None),
        }
    }

    fn request_events(&self, request_id: i64) -> Result<Vec<EventRow>> {
        self.all(
            "SELECT e.at, e.step, e.staff_id, s.no, s.name, e.allowed, e.basis, e.note
             FROM request_event e JOIN staff s ON s.id = e.staff_id
             WHERE e.request_id = $1 ORDER BY e.id",
            &[&request_id],
            |r| {
                Ok(EventRow {
                    at: get(r, 0)?,
                    step: get(r, 1)?,
                    staff_id: get(r, 2)?,
                    staff_no: get(r, 3)?,
                    staff_name: get(r, 4)?,
                    allowed: get(r, 5)?,
                    basis: get(r, 6)?,
                    note: get(r, 7)?,
                })
            },
        )
    }

    fn requests(
        &self,
        town_id: i64,
        query: &RequestQuery,
        limit: usize,
    ) -> Result<Vec<RequestRow>> {
        let limit = limit as i64;
        // Every query: the town as $1, one value as $2, the limit as $3.
        let fetch = |condition: &str, order: &str, value: &str| -> Result<Vec<RequestRow>> {
            self.all(
                &format!(
                    "SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE {condition} ORDER BY {order} LIMIT $3"
                ),
                &[&town_id, &value, &limit],
                request_row,
            )
        };
        let newest = "r.id DESC";
        let mut rows: Vec<RequestRow> = match query {
            RequestQuery::CreatedOn(day) => fetch(
                "r.town_id = $1 AND r.created_on = $2",
                newest,
                &day.to_string(),
            )?,
            RequestQuery::InStates(states) => {
                let mut out = Vec::new();
                for st in states {
                    out.extend(fetch("r.town_id = $1 AND r.state = $2", newest, st.key())?);
                }
                out.sort_by_key(|r| std::cmp::Reverse(r.id));
                out.truncate(limit as usize);
                out
            }
            // A range, not LIKE, so that the unique index on number serves it.
            RequestQuery::NumberPrefix(p) => fetch(
                "r.town_id = $1 AND r.number >= $2 AND r.number < ($2 || chr(127))",
                "r.number DESC",
                p,
            )?,
            // Through the last-six index; the full comparison filters its few hits.
            RequestQuery::ApplicantId(id) => fetch(
                "r.town_id = $1 AND r.id_last6 = right($2, 6) AND r.applicant_id = $2",
                newest,
                id,
            )?,
            RequestQuery::IdLast6(last6) => {
                fetch("r.town_id = $1 AND r.id_last6 = $2", newest, last6)?
            }
            RequestQuery::Name(name) => {
                fetch("r.town_id = $1 AND r.applicant_name = $2", newest, name)?
            }
            RequestQuery::Initials(ini) => {
                fetch("r.town_id = $1 AND r.name_initials = $2", newest, ini)?
            }
            RequestQuery::All => self.all(
                &format!(
                    "SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE r.town_id = $1
                     ORDER BY {newest} LIMIT $2"
                ),
                &[&town_id, &limit],
                request_row,
            )?,
        };
        for row in &mut rows {
            row.received = self.received_of(row.id)?;
        }
        Ok(rows)
    }

    fn audit_count(&self, request_number: &str) -> Result<i64> {
        get(
            &self.one(
                "SELECT count(*) FROM audit_log WHERE request_number = $1",
                &[&request_number],
            )?,
            0,
        )
    }

    fn arrivals(
        &self,
        town_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<crate::demand::Arrival>> {
        self.all(
            "SELECT r.created_at, i.post, r.clerk_id FROM request r JOIN item i ON i.id = r.item_id
             WHERE r.town_id = $1 AND r.created_on BETWEEN $2 AND $3 ORDER BY r.created_at, r.id",
            &[&town_id, &from.to_string(), &to.to_string()],
            |r| {
                let at: String = get(r, 0)?;
                Ok(crate::demand::Arrival {
                    at: datetime(&at)?,
                    post: get(r, 1)?,
                    clerk_id: get(r, 2)?,
                })
            },
        )
    }

    fn prints(&self, form_no: &str) -> Result<Vec<PrintRecord>> {
        self.all(
            "SELECT p.form_no, p.kind, p.town_id, p.request_number, p.department, p.staff_no,
                    p.os_user, p.at, p.copy, p.route, p.pages, p.bytes
             FROM form_print p WHERE p.form_no = $1 ORDER BY p.copy",
            &[&form_no],
            |r| {
                Ok(PrintRecord {
                    form_no: get(r, 0)?,
                    kind: get(r, 1)?,
                    town_id: get(r, 2)?,
                    request_number: get(r, 3)?,
                    department: get(r, 4)?,
                    staff_no: get(r, 5)?,
                    os_user: get(r, 6)?,
                    at: get(r, 7)?,
                    copy: num(r, 8)?,
                    route: get(r, 9)?,
                    pages: num(r, 10)?,
                    bytes: get(r, 11)?,
                })
            },
        )
    }

    fn account(&self, username: &str) -> Result<Option<StoredAccount>> {
        let found = self.opt(
            &format!(
                "SELECT {ACCOUNT_COLUMNS}, a.password_hash {ACCOUNT_FROM}
                 WHERE lower(a.username) = lower($1)"
            ),
            &[&username],
        )?;
        found
            .map(|r| {
                Ok(StoredAccount {
                    account: account_row(&r)?,
                    password_hash: get(&r, 11)?,
                })
            })
            .transpose()
    }

    fn accounts(&self) -> Result<Vec<Account>> {
        self.all(
            &format!("SELECT {ACCOUNT_COLUMNS} {ACCOUNT_FROM} ORDER BY a.id"),
            &[],
            account_row,
        )
    }

    fn account_count(&self) -> Result<i64> {
        get(&self.one("SELECT count(*) FROM account", &[])?, 0)
    }
}

const ACCOUNT_COLUMNS: &str = "a.id, a.username, a.display_name, s.no, s.name, a.roles, \
     a.failed_count, a.locked_until, a.created_at, a.disabled, t.name";
const ACCOUNT_FROM: &str =
    "FROM account a LEFT JOIN staff s ON s.id = a.staff_id LEFT JOIN town t ON t.id = s.town_id";

fn account_row(r: &Row) -> Result<Account> {
    let roles: String = get(r, 5)?;
    let locked_until: Option<String> = get(r, 7)?;
    let created_at: String = get(r, 8)?;
    Ok(Account {
        id: get(r, 0)?,
        username: get(r, 1)?,
        display_name: get(r, 2)?,
        staff_no: get(r, 3)?,
        staff_name: get(r, 4)?,
        staff_town: get(r, 10)?,
        roles: roles
            .split(',')
            .map(|l| Role::parse(l).ok_or_else(|| conversion(format!("role {l}"))))
            .collect::<Result<_>>()?,
        failed_count: num(r, 6)?,
        locked_until: locked_until.as_deref().map(datetime).transpose()?,
        created_at: datetime(&created_at)?,
        disabled: get(r, 9)?,
    })
}

const ITEM_COLUMNS: &str = "i.id, i.code, i.name, i.initials, i.item_type, i.department, \
     i.legal_basis, i.statutory_days, i.promised_days, i.fee, i.post, ti.mode";

fn item_row(r: &Row) -> Result<(i64, Item)> {
    let mode: String = get(r, 11)?;
    Ok((
        get(r, 0)?,
        Item {
            code: get(r, 1)?,
            name: get(r, 2)?,
            initials: get(r, 3)?,
            item_type: get(r, 4)?,
            department: get(r, 5)?,
            legal_basis: get(r, 6)?,
            statutory: TimeLimit::from_days(opt_num(r, 7)?),
            promised: TimeLimit::from_days(opt_num(r, 8)?),
            fee: get(r, 9)?,
            post: get(r, 10)?,
            mode: Mode::parse(&mode).ok_or_else(|| conversion(format!("unknown mode {mode}")))?,
            materials: Vec::new(),
        },
    ))
}

fn material_row(r: &Row) -> Result<(i64, Material)> {
    let form: String = get(r, 3)?;
    Ok((
        get(r, 0)?,
        Material {
            seq: num(r, 1)?,
            name: get(r, 2)?,
            form: MaterialForm::parse(&form)
                .ok_or_else(|| conversion(format!("unknown form {form}")))?,
            copies: num(r, 4)?,
            mandatory: get(r, 5)?,
        },
    ))
}

const REQUEST_COLUMNS: &str = "r.id, r.town_id, r.number, i.code, r.state, r.applicant_name, \
     r.name_initials, r.applicant_kind, r.applicant_id, r.phone, r.remark, r.clerk_id, s.name, \
     r.created_at, r.created_on, r.accepted_on, r.due, r.calendar_complete, r.forwarded_to, \
     r.forwarded_on, r.department_due, r.result, r.reason, r.alternative, r.closed_on, \
     r.picked_up_on";

const REQUEST_FROM: &str =
    "FROM request r JOIN item i ON i.id = r.item_id JOIN staff s ON s.id = r.clerk_id";

fn request_row(r: &Row) -> Result<RequestRow> {
    let state: String = get(r, 4)?;
    let result: Option<String> = get(r, 21)?;
    Ok(RequestRow {
        id: get(r, 0)?,
        town_id: get(r, 1)?,
        number: get(r, 2)?,
        item_code: get(r, 3)?,
        state: State::parse(&state).ok_or_else(|| conversion(format!("unknown state {state}")))?,
        applicant_name: get(r, 5)?,
        name_initials: get(r, 6)?,
        applicant_kind: get(r, 7)?,
        applicant_id: get(r, 8)?,
        phone: get(r, 9)?,
        remark: get(r, 10)?,
        clerk_id: get(r, 11)?,
        clerk_name: get(r, 12)?,
        created_at: get(r, 13)?,
        created_on: date(r, 14)?,
        accepted_on: opt_date(r, 15)?,
        due: opt_date(r, 16)?,
        calendar_complete: get(r, 17)?,
        forwarded_to: get(r, 18)?,
        forwarded_on: opt_date(r, 19)?,
        department_due: opt_date(r, 20)?,
        result: result.map(|v| v == "approved"),
        reason: get(r, 22)?,
        alternative: get(r, 23)?,
        closed_on: opt_date(r, 24)?,
        picked_up_on: opt_date(r, 25)?,
        received: Vec::new(),
    })
}

fn result_sql(v: Option<bool>) -> Option<&'static str> {
    v.map(|a| if a { "approved" } else { "refused" })
}

fn opt_day(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

impl PgTx<'_> {
    fn received_of(&self, request_id: i64) -> Result<Vec<u16>> {
        self.all(
            "SELECT seq FROM request_material WHERE request_id = $1 AND received ORDER BY seq",
            &[&request_id],
            |r| num(r, 0),
        )
    }

    fn write_materials(&self, row: &RequestRow, request_id: i64) -> Result<()> {
        self.exec(
            "DELETE FROM request_material WHERE request_id = $1",
            &[&request_id],
        )?;
        for seq in &row.received {
            self.exec(
                "INSERT INTO request_material (request_id, seq, received) VALUES ($1, $2, true)",
                &[&request_id, &i64::from(*seq)],
            )?;
        }
        Ok(())
    }

    fn attach_materials(&self, items: &mut [(i64, Item)], town_id: i64) -> Result<()> {
        let mut by_item: HashMap<i64, Vec<Material>> = HashMap::new();
        for r in self.rows(
            "SELECT m.item_id, m.seq, m.name, m.form, m.copies, m.mandatory
             FROM material m JOIN town_item ti ON ti.item_id = m.item_id AND ti.town_id = $1
             ORDER BY m.item_id, m.seq",
            &[&town_id],
        )? {
            let (item_id, m) = material_row(&r)?;
            by_item.entry(item_id).or_default().push(m);
        }
        for (id, item) in items.iter_mut() {
            item.materials = by_item.remove(id).unwrap_or_default();
        }
        Ok(())
    }

    fn id_of(&self, sql: &str, params: Params<'_>) -> Result<i64> {
        get(&self.one(sql, params)?, 0)
    }
}

impl Changes for PgTx<'_> {
    fn ensure_town(&self, name: &str) -> Result<i64> {
        self.exec(
            "INSERT INTO town (name) VALUES ($1) ON CONFLICT (name) DO NOTHING",
            &[&name],
        )?;
        self.id_of("SELECT id FROM town WHERE name = $1", &[&name])
    }

    fn ensure_unit(&self, town_id: i64, u: &NewUnit<'_>) -> Result<i64> {
        self.exec(
            "INSERT INTO unit (town_id, name, kind, managed_by, sort_order, enforcement_scope)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (town_id, name) DO UPDATE
             SET enforcement_scope = coalesce(unit.enforcement_scope, excluded.enforcement_scope)",
            &[
                &town_id,
                &u.name,
                &u.kind,
                &u.managed_by,
                &u.sort_order,
                &u.enforcement_scope,
            ],
        )?;
        self.id_of(
            "SELECT id FROM unit WHERE town_id = $1 AND name = $2",
            &[&town_id, &u.name],
        )
    }

    fn ensure_quota(&self, unit_id: i64, q: &NewQuota) -> Result<()> {
        self.exec(
            "INSERT INTO quota (unit_id, kind, posts, effective_from, effective_to)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_id, kind, effective_from) DO NOTHING",
            &[
                &unit_id,
                &q.kind.as_str(),
                &i64::from(q.posts),
                &q.effective_from.to_string(),
                &opt_day(q.effective_to),
            ],
        )?;
        Ok(())
    }

    fn ensure_staff(&self, town_id: i64, s: &NewStaff<'_>) -> Result<i64> {
        self.exec(
            "INSERT INTO staff (no, name, gender, town_id, unit_id, home_body, birth_date)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (no) DO UPDATE
             SET birth_date = coalesce(staff.birth_date, excluded.birth_date)",
            &[
                &s.no,
                &s.name,
                &s.gender,
                &town_id,
                &s.home_unit_id,
                &s.home_body,
                &opt_day(s.birth_date),
            ],
        )?;
        self.id_of("SELECT id FROM staff WHERE no = $1", &[&s.no])
    }

    fn ensure_status(&self, staff_id: i64, p: &NewStatus<'_>) -> Result<()> {
        let (status, unit_id) = status_to_sql(p.status);
        self.exec(
            "INSERT INTO staff_status (staff_id, status, unit_id, other_body, start_date, end_date)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (staff_id, start_date) DO NOTHING",
            &[
                &staff_id,
                &status,
                &unit_id,
                &p.other_body,
                &p.start.to_string(),
                &opt_day(p.end),
            ],
        )?;
        Ok(())
    }

    fn ensure_hall_post(&self, town_id: i64, name: &str, sort_order: i64) -> Result<i64> {
        self.exec(
            "INSERT INTO hall_post (town_id, name, sort_order) VALUES ($1, $2, $3)
             ON CONFLICT (town_id, name) DO NOTHING",
            &[&town_id, &name, &sort_order],
        )?;
        self.id_of(
            "SELECT id FROM hall_post WHERE town_id = $1 AND name = $2",
            &[&town_id, &name],
        )
    }

    fn ensure_rota(&self, e: &RotaEntry) -> Result<()> {
        self.exec(
            "INSERT INTO rota (post_id, staff_id, weekday, start_date, end_date)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (post_id, staff_id, weekday, start_date) DO NOTHING",
            &[
                &e.post_id,
                &e.staff_id,
                &i64::from(e.weekday),
                &e.start.to_string(),
                &opt_day(e.end),
            ],
        )?;
        Ok(())
    }

    fn upsert_item(&self, i: &Item) -> Result<i64> {
        self.id_of(
            "INSERT INTO item (code, name, initials, item_type, department, legal_basis,
                               statutory_days, promised_days, fee, post)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (code) DO UPDATE SET
               name = excluded.name, initials = excluded.initials,
               item_type = excluded.item_type, department = excluded.department,
               legal_basis = excluded.legal_basis, statutory_days = excluded.statutory_days,
               promised_days = excluded.promised_days, fee = excluded.fee, post = excluded.post
             RETURNING id",
            &[
                &i.code,
                &i.name,
                &i.initials,
                &i.item_type,
                &i.department,
                &i.legal_basis,
                &i.statutory.days().map(i64::from),
                &i.promised.days().map(i64::from),
                &i.fee,
                &i.post,
            ],
        )
    }

    fn ensure_item(&self, item: &Item) -> Result<(i64, bool)> {
        match self.item_id(&item.code)? {
            Some(id) => Ok((id, false)),
            None => Ok((self.upsert_item(item)?, true)),
        }
    }

    fn set_mode(&self, town_id: i64, item_id: i64, mode: Mode) -> Result<()> {
        self.exec(
            "INSERT INTO town_item (town_id, item_id, mode) VALUES ($1, $2, $3)
             ON CONFLICT (town_id, item_id) DO UPDATE SET mode = excluded.mode",
            &[&town_id, &item_id, &mode.key()],
        )?;
        Ok(())
    }

    fn replace_materials(&self, item_id: i64, materials: &[Material]) -> Result<()> {
        self.exec("DELETE FROM material WHERE item_id = $1", &[&item_id])?;
        for m in materials {
            self.exec(
                "INSERT INTO material (item_id, seq, name, form, copies, mandatory)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &item_id,
                    &i64::from(m.seq),
                    &m.name,
                    &m.form.label(),
                    &i64::from(m.copies),
                    &m.mandatory,
                ],
            )?;
        }
        Ok(())
    }

    fn upsert_letter(&self, town_id: i64, l: &Letter) -> Result<()> {
        let letter_id = self.id_of(
            "INSERT INTO letter (town_id, number, issuer, valid_from, valid_to)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (town_id, number) DO UPDATE SET
               issuer = excluded.issuer, valid_from = excluded.valid_from,
               valid_to = excluded.valid_to
             RETURNING id",
            &[
                &town_id,
                &l.number,
                &l.issuer,
                &l.valid_from.to_string(),
                &l.valid_to.to_string(),
            ],
        )?;
        self.exec(
            "DELETE FROM letter_item WHERE letter_id = $1",
            &[&letter_id],
        )?;
        for code in &l.items {
            let added = self.exec(
                "INSERT INTO letter_item (letter_id, item_id) SELECT $1, id FROM item WHERE code = $2",
                &[&letter_id, code],
            )?;
            if added != 1 {
                return Err(Error::invalid(
                    "item",
                    format!("委托书 {} 所列事项编码“{code}”不存在", l.number),
                ));
            }
        }
        Ok(())
    }

    fn ensure_role(&self, staff_id: i64, role: Role) -> Result<()> {
        self.exec(
            "INSERT INTO staff_role (staff_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&staff_id, &role.label()],
        )?;
        Ok(())
    }

    fn ensure_credential(&self, staff_id: i64, c: &Credential) -> Result<()> {
        self.exec(
            "INSERT INTO credential (staff_id, kind, number, scope, valid_from, valid_to)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (number) DO NOTHING",
            &[
                &staff_id,
                &c.kind,
                &c.number,
                &c.scope,
                &c.valid_from.to_string(),
                &c.valid_to.to_string(),
            ],
        )?;
        Ok(())
    }

    fn save_calendar_year(&self, year: &YearArrangement) -> Result<()> {
        self.exec(
            "INSERT INTO calendar_year (year, source) VALUES ($1, $2)
             ON CONFLICT (year) DO UPDATE SET source = excluded.source",
            &[&i64::from(year.year), &year.source],
        )?;
        self.exec(
            "DELETE FROM calendar_day WHERE date >= $1 AND date <= $2",
            &[
                &format!("{}-01-01", year.year),
                &format!("{}-12-31", year.year),
            ],
        )?;
        for (date, (kind, name)) in &year.days {
            self.exec(
                "INSERT INTO calendar_day (date, kind, name) VALUES ($1, $2, $3)",
                &[&date.to_string(), &kind.label(), name],
            )?;
        }
        Ok(())
    }

    fn next_request_seq(&self, town_id: i64, day: NaiveDate) -> Result<u32> {
        // Atomic on its own (the row is locked by the update); the write lock besides keeps the
        // whole intake one writer's.
        let row = self.one(
            "INSERT INTO request_counter (town_id, day, last) VALUES ($1, $2, 1)
             ON CONFLICT (town_id, day) DO UPDATE SET last = request_counter.last + 1
             RETURNING last",
            &[&town_id, &day.to_string()],
        )?;
        num(&row, 0)
    }

    fn insert_request(&self, row: &RequestRow) -> Result<i64> {
        let item_id = self
            .item_id(&row.item_code)?
            .ok_or_else(|| Error::invalid("item", format!("事项编码“{}”不存在", row.item_code)))?;
        let id = self.id_of(
            "INSERT INTO request (town_id, number, item_id, state, applicant_name, name_initials,
                applicant_kind, applicant_id, id_last6, phone, remark, clerk_id, created_at,
                created_on, accepted_on, due, calendar_complete, forwarded_to, forwarded_on,
                department_due, result, reason, alternative, closed_on, picked_up_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                $17, $18, $19, $20, $21, $22, $23, $24, $25)
             RETURNING id",
            &[
                &row.town_id,
                &row.number,
                &item_id,
                &row.state.key(),
                &row.applicant_name,
                &row.name_initials,
                &row.applicant_kind,
                &row.applicant_id,
                &row.id_last6(),
                &row.phone,
                &row.remark,
                &row.clerk_id,
                &row.created_at,
                &row.created_on.to_string(),
                &opt_day(row.accepted_on),
                &opt_day(row.due),
                &row.calendar_complete,
                &row.forwarded_to,
                &opt_day(row.forwarded_on),
                &opt_day(row.department_due),
                &result_sql(row.result),
                &row.reason,
                &row.alternative,
                &opt_day(row.closed_on),
                &opt_day(row.picked_up_on),
            ],
        )?;
        self.write_materials(row, id)?;
        Ok(id)
    }

    fn update_request(&self, row: &RequestRow) -> Result<()> {
        self.exec(
            "UPDATE request SET state = $2, accepted_on = $3, due = $4, calendar_complete = $5,
                forwarded_to = $6, forwarded_on = $7, department_due = $8, result = $9,
                reason = $10, alternative = $11, closed_on = $12, picked_up_on = $13
             WHERE id = $1",
            &[
                &row.id,
                &row.state.key(),
                &opt_day(row.accepted_on),
                &opt_day(row.due),
                &row.calendar_complete,
                &row.forwarded_to,
                &opt_day(row.forwarded_on),
                &opt_day(row.department_due),
                &result_sql(row.result),
                &row.reason,
                &row.alternative,
                &opt_day(row.closed_on),
                &opt_day(row.picked_up_on),
            ],
        )?;
        self.write_materials(row, row.id)
    }

    fn add_event(&self, request_id: i64, e: &EventRow) -> Result<()> {
        self.exec(
            "INSERT INTO request_event (request_id, at, step, staff_id, allowed, basis, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &request_id,
                &e.at,
                &e.step,
                &e.staff_id,
                &e.allowed,
                &e.basis,
                &e.note,
            ],
        )?;
        Ok(())
    }

    fn add_audit(&self, a: &AuditEntry) -> Result<()> {
        // Under the write lock, so no other writer can take the same id or link.
        let id: i64 = get(
            &self.one("SELECT coalesce(max(id), 0) + 1 FROM audit_log", &[])?,
            0,
        )?;
        let prev: String =
            match self.opt("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", &[])? {
                Some(r) => get(&r, 0)?,
                None => super::audit::GENESIS.to_string(),
            };
        let hash = super::audit::record_hash(&prev, id, a);
        self.exec(
            "INSERT INTO audit_log (id, at, os_user, staff_no, action, request_number, item_code,
                allowed, basis, detail, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            &[
                &id,
                &a.at,
                &a.os_user,
                &a.staff_no,
                &a.action,
                &a.request_number,
                &a.item_code,
                &a.allowed,
                &a.basis,
                &a.detail,
                &prev,
                &hash,
            ],
        )?;
        Ok(())
    }

    fn add_print(&self, p: &PrintRecord) -> Result<u32> {
        let copy: i64 = get(
            &self.one(
                "SELECT coalesce(max(copy), 0) + 1 FROM form_print WHERE form_no = $1",
                &[&p.form_no],
            )?,
            0,
        )?;
        self.exec(
            "INSERT INTO form_print (form_no, kind, town_id, request_number, department,
                staff_no, os_user, at, copy, route, pages, bytes)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            &[
                &p.form_no,
                &p.kind,
                &p.town_id,
                &p.request_number,
                &p.department,
                &p.staff_no,
                &p.os_user,
                &p.at,
                &copy,
                &p.route,
                &i64::from(p.pages),
                &p.bytes,
            ],
        )?;
        u32::try_from(copy).map_err(|_| conversion(format!("copy {copy} out of range")))
    }

    fn insert_account(&self, a: &NewAccountRow<'_>) -> Result<i64> {
        let roles: Vec<&str> = a.roles.iter().map(|r| r.label()).collect();
        self.id_of(
            "INSERT INTO account (username, display_name, staff_id, roles, password_hash,
                created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &a.username,
                &a.display_name,
                &a.staff_id,
                &roles.join(","),
                &a.password_hash,
                &a.created_at.format(DATETIME).to_string(),
            ],
        )
    }

    fn set_login_state(
        &self,
        account_id: i64,
        failed_count: u32,
        locked_until: Option<chrono::NaiveDateTime>,
    ) -> Result<()> {
        self.exec(
            "UPDATE account SET failed_count = $2, locked_until = $3 WHERE id = $1",
            &[
                &account_id,
                &i64::from(failed_count),
                &locked_until.map(|t| t.format(DATETIME).to_string()),
            ],
        )?;
        Ok(())
    }

    fn set_password_hash(&self, account_id: i64, password_hash: &str) -> Result<()> {
        self.exec(
            "UPDATE account SET password_hash = $2 WHERE id = $1",
            &[&account_id, &password_hash],
        )?;
        Ok(())
    }

    fn set_account_disabled(&self, account_id: i64, disabled: bool) -> Result<()> {
        self.exec(
            "UPDATE account SET disabled = $2 WHERE id = $1",
            &[&account_id, &disabled],
        )?;
        Ok(())
    }
}
