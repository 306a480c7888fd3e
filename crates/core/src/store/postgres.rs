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

use bytes::BytesMut;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, Config, IsolationLevel, NoTls, Statement, Transaction};

use super::audit::Verification;
use super::conn::{args, dollar_placeholders, Cell, Conn as SqlConn, Param, Row, RowSource};
use super::sql::Sql;
use super::{Changes, Queries, Store};
use crate::address::redact_url;
use crate::{Error, Result};

/// The schema, as (the version it brings the database to, its SQL), applied in order. Version
/// numbers are SQLite's: a PostgreSQL database starts at 7, with the whole schema of that version.
pub(crate) const PG_MIGRATIONS: &[(i64, &str)] = &[
    (7, include_str!("migrations/pg/0007_schema.sql")),
    // Version 8 is SQLite's date triggers; PostgreSQL's CHECKs refused such text from the start.
    (8, "SELECT 1"),
    (9, include_str!("migrations/pg/0009_name_parts.sql")),
    (10, include_str!("migrations/pg/0010_audit_index.sql")),
    (11, include_str!("migrations/pg/0011_decision.sql")),
    (12, include_str!("migrations/pg/0012_hall_key.sql")),
    (13, include_str!("migrations/pg/0013_retirement_track.sql")),
    (14, include_str!("migrations/pg/0014_form_kinds.sql")),
    (15, include_str!("migrations/pg/0015_request_mode.sql")),
    (16, include_str!("migrations/pg/0016_clock.sql")),
    (17, include_str!("migrations/pg/0017_item_office.sql")),
    (18, include_str!("migrations/pg/0018_empowered.sql")),
    (19, include_str!("migrations/pg/0019_agent.sql")),
    (20, include_str!("migrations/pg/0020_received.sql")),
    (
        21,
        include_str!("migrations/pg/0021_department_accepted.sql"),
    ),
    (22, include_str!("migrations/pg/0022_pledge.sql")),
    (23, include_str!("migrations/pg/0023_superior.sql")),
    (24, include_str!("migrations/pg/0024_audit_high.sql")),
    (25, include_str!("migrations/pg/0025_demo_mark.sql")),
    (26, include_str!("migrations/pg/0026_login_guard.sql")),
    (27, include_str!("migrations/pg/0027_closing_sheet.sql")),
    (28, include_str!("migrations/pg/0028_retention.sql")),
    (29, include_str!("migrations/pg/0029_idempotency.sql")),
    (30, include_str!("migrations/pg/0030_front.sql")),
    (31, include_str!("migrations/pg/0031_devices.sql")),
    (32, include_str!("migrations/pg/0032_report.sql")),
];

/// The advisory lock every write transaction (and every migration) holds: one writer at a time.
pub(super) const WRITE_LOCK: i64 = 0x6269_616e_6d69_6e57; // "bianminW"

/// Takes [`WRITE_LOCK`] until the transaction ends (it answers as text, so that the statement
/// goes through the shared queries' row reading).
pub(super) const TAKE_WRITE_LOCK: &str = "SELECT pg_advisory_xact_lock(?1)::text";

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

/// One table's privileges as [`PgStore::grant_server_role`] granted them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RoleGrant {
    pub table: String,
    pub privileges: String,
}

/// What [`PgStore::probe`] found on a server.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
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
    /// Why the audit log's triggers cannot be trusted, found at open: no write then (issue 17).
    unguarded: Option<String>,
}

/// The audit tables' triggers as the migrations make them: name and the function each runs.
const AUDIT_TRIGGERS: [(&str, &str); 6] = [
    ("audit_log_no_update", "audit_log_append_only"),
    ("audit_log_no_delete", "audit_log_append_only"),
    ("audit_log_no_truncate", "audit_log_append_only"),
    ("audit_high_only_rises", "audit_high_only_rises"),
    ("audit_high_no_delete", "audit_high_only_rises"),
    ("audit_high_no_truncate", "audit_high_only_rises"),
];

/// The body of `CREATE FUNCTION name() … AS $$body$$` in the migrations.
fn function_body(name: &str) -> Option<&'static str> {
    let head = format!("CREATE FUNCTION {name}()");
    PG_MIGRATIONS.iter().find_map(|(_, sql)| {
        let rest = &sql[sql.find(&head)?..];
        let start = rest.find("$$")? + 2;
        let len = rest[start..].find("$$")?;
        Some(&rest[start..start + len])
    })
}

/// Checks the audit tables' triggers exist, are enabled, run the functions the migrations
/// wrote, unchanged, and that no other trigger sits on those tables.
fn audit_guard_problem(client: &mut Client) -> Result<Option<String>> {
    let rows = client.query(
        "SELECT t.tgname::text, t.tgenabled::text, p.proname::text, p.prosrc
         FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
         WHERE t.tgrelid IN ('audit_log'::regclass, 'audit_high'::regclass)
           AND NOT t.tgisinternal",
        &[],
    )?;
    let have: Vec<(String, String, String, String)> = rows
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
        .collect::<std::result::Result<_, postgres::Error>>()?;
    let mut problems = Vec::new();
    for (name, function) in AUDIT_TRIGGERS {
        match have.iter().find(|h| h.0 == name) {
            None => problems.push(format!("触发器 {name} 不见了")),
            Some(h) if h.1 == "D" => problems.push(format!("触发器 {name} 被停用了")),
            Some(h) if h.2 != function || Some(h.3.as_str()) != function_body(function) => {
                problems.push(format!("触发器 {name} 被改动过"))
            }
            Some(_) => {}
        }
    }
    for h in &have {
        if !AUDIT_TRIGGERS.iter().any(|(n, _)| *n == h.0) {
            problems.push(format!("审计表上多了触发器 {}", h.0));
        }
    }
    Ok((!problems.is_empty()).then(|| problems.join("；")))
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
        let mut store = PgStore {
            pool,
            server,
            unguarded: None,
        };
        let mut first = first;
        store.migrate(&mut first.client)?;
        store.unguarded = audit_guard_problem(&mut first.client)?;
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
            server: format!("数据库服务器 {}", self.server),
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
            tx.query(&dollar_placeholders(TAKE_WRITE_LOCK), &[&WRITE_LOCK])?;
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

    /// Makes `role` the hall server's connection role (issue 18, point 5): a role that owns
    /// nothing and holds only what the server needs. Run as the schema's owner, after the
    /// migrations. Every data table: SELECT, INSERT, UPDATE, DELETE; the audit log: SELECT and
    /// INSERT only; its high-water mark: SELECT and UPDATE (its trigger lets it only rise); the
    /// schema version and the hall's key: SELECT. Never TRUNCATE, REFERENCES or TRIGGER; a role that is not the
    /// owner cannot alter the tables, drop their triggers or replace their functions. Refused,
    /// changing nothing, for a role that does not exist, is a superuser or may bypass row
    /// security, owns anything in this database or is the owner (or a member of it).
    pub fn grant_server_role(&mut self, role: &str) -> Result<Vec<RoleGrant>> {
        let valid = !role.is_empty()
            && role.len() <= 63
            && role.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && role
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(Error::invalid(
                "server_role",
                format!("角色名“{role}”无效：只用小写字母、数字和下划线，以字母或下划线开头，最多 63 个字符"),
            ));
        }
        let mut pooled = self.conn()?;
        let mut tx = pooled.client.transaction()?;
        tx.query(&dollar_placeholders(TAKE_WRITE_LOCK), &[&WRITE_LOCK])?;
        let found = tx.query_opt(
            "SELECT rolsuper OR rolbypassrls, pg_has_role($1, current_user, 'MEMBER'),
                    (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE c.relowner = r.oid AND n.nspname NOT IN ('pg_catalog', 'information_schema'))
                  + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                      WHERE p.proowner = r.oid AND n.nspname NOT IN ('pg_catalog', 'information_schema'))
             FROM pg_roles r WHERE r.rolname = $1",
            &[&role],
        )?;
        let Some(found) = found else {
            return Err(Error::invalid(
                "server_role",
                format!("数据库服务器上没有角色“{role}”：请先用 CREATE ROLE {role} LOGIN PASSWORD '…' 创建"),
            ));
        };
        let (mighty, member, owned): (bool, bool, i64) =
            (found.try_get(0)?, found.try_get(1)?, found.try_get(2)?);
        let refusal = if mighty {
            Some("是超级用户或可绕过行级安全，什么都能改")
        } else if member {
            Some("是当前所有者本人或其成员，拥有所有者的全部权限")
        } else if owned > 0 {
            Some("在本数据库中拥有对象，可以改动它们")
        } else {
            None
        };
        if let Some(why) = refusal {
            return Err(Error::invalid(
                "server_role",
                format!("角色“{role}”{why}；大厅服务器的连接角色必须什么都不拥有"),
            ));
        }
        let tables: Vec<String> = tx
            .query(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
                &[],
            )?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<std::result::Result<_, _>>()?;
        let mut grants = Vec::new();
        tx.batch_execute(&format!("GRANT USAGE ON SCHEMA public TO {role}"))?;
        for table in tables {
            let privileges = match table.as_str() {
                "audit_log" => "SELECT, INSERT",
                "audit_high" => "SELECT, UPDATE",
                // The key that signs receipts' QR codes and keys retained ID numbers.
                "bianmin_schema" | "hall_key" => "SELECT",
                _ => "SELECT, INSERT, UPDATE, DELETE",
            };
            tx.batch_execute(&format!(
                "REVOKE ALL ON TABLE {table} FROM {role}; GRANT {privileges} ON TABLE {table} TO {role}"
            ))?;
            grants.push(RoleGrant {
                table,
                privileges: privileges.to_string(),
            });
        }
        tx.commit()?;
        Ok(grants)
    }

    /// Walks the audit log's hash chain inside one snapshot.
    pub fn verify_audit(&mut self) -> Result<Verification> {
        self.verify_audit_against(None)
    }

    /// Walks the chain; with `expect`, also checks the log still extends that head. Triggers
    /// found removed, disabled or changed at open make it not intact.
    pub fn verify_audit_against(
        &mut self,
        expect: Option<&super::audit::Head>,
    ) -> Result<Verification> {
        let mut v = self.read_conn(|c| super::sql::audit::verify(c, expect))?;
        if let Some(problem) = &self.unguarded {
            v.guard_broken(problem);
        }
        Ok(v)
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
        server: format!("数据库服务器 {server}"),
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
        self.read_conn(|c| f(&Sql(c)))
    }

    /// The second half of `jobs` on a second pooled connection, in a thread of its own.
    fn read_each<'a, R: Send>(&mut self, mut jobs: Vec<super::ReadJob<'a, R>>) -> Result<Vec<R>> {
        if jobs.len() < 2 {
            return self.read(|q| super::run_jobs(q, jobs));
        }
        let second = jobs.split_off(jobs.len() / 2);
        let this = &*self;
        std::thread::scope(|scope| {
            let other = scope.spawn(move || this.read_conn(|c| super::run_jobs(&Sql(c), second)));
            let out = this.read_conn(|c| super::run_jobs(&Sql(c), jobs));
            super::joined(out, other)
        })
    }

    fn write<R>(&mut self, f: impl FnOnce(&dyn Changes) -> Result<R>) -> Result<R> {
        if let Some(problem) = &self.unguarded {
            return Err(Error::AuditUnguarded(problem.clone()));
        }
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
        (&ptx as &dyn SqlConn).each(TAKE_WRITE_LOCK, args![WRITE_LOCK], &mut |_| Ok(()))?;
        let out = f(&Sql(&ptx))?;
        ptx.tx.into_inner().commit()?;
        Ok(out)
    }
}

impl PgStore {
    /// Runs `f` on a pooled connection inside one REPEATABLE READ, read-only snapshot.
    fn read_conn<R>(&self, f: impl FnOnce(&dyn SqlConn) -> Result<R>) -> Result<R> {
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
}

/// A PostgreSQL transaction, as the shared queries see it. Statements are prepared once per
/// connection (keyed by the shared SQL text, `?N` rewritten to `$N`) and kept with it.
struct PgTx<'a> {
    tx: RefCell<Transaction<'a>>,
    statements: RefCell<&'a mut HashMap<String, Statement>>,
}

impl PgTx<'_> {
    fn statement(&self, sql: &str) -> Result<Statement> {
        if let Some(st) = self.statements.borrow().get(sql) {
            return Ok(st.clone());
        }
        let st = self.tx.borrow_mut().prepare(&dollar_placeholders(sql))?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

fn bind<'p>(params: &'p [Param<'p>]) -> Vec<&'p (dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl SqlConn for PgTx<'_> {
    fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<u64> {
        let st = self.statement(sql)?;
        Ok(self.tx.borrow_mut().execute(&st, &bind(params))?)
    }

    fn each(
        &self,
        sql: &str,
        params: &[Param<'_>],
        f: &mut dyn FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        let st = self.statement(sql)?;
        let rows = self.tx.borrow_mut().query(&st, &bind(params))?;
        for r in &rows {
            f(&Row(r))?;
        }
        Ok(())
    }
}

/// A parameter in the type the statement's placeholder has: an integer flag goes to a boolean
/// column as a boolean, a number to an INTEGER column as 32 bits, and so on.
impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => Err(format!("an integer cannot go to a {ty} parameter").into()),
            },
            Param::Bool(b) => match *ty {
                Type::BOOL => b.to_sql(ty, out),
                Type::INT8 => i64::from(*b).to_sql(ty, out),
                Type::INT4 => i32::from(*b).to_sql(ty, out),
                _ => Err(format!("a boolean cannot go to a {ty} parameter").into()),
            },
            Param::Text(s) => s.as_ref().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A PostgreSQL row's columns, read where they lie, each by its column's type.
impl RowSource for postgres::Row {
    fn cell(&self, i: usize) -> Result<Cell<'_>> {
        let ty = self
            .columns()
            .get(i)
            .ok_or_else(|| super::conn::conversion(format!("column {i} missing")))?
            .type_();
        let cell = match *ty {
            Type::BOOL => self.try_get::<_, Option<bool>>(i)?.map(Cell::Bool),
            Type::INT8 => self.try_get::<_, Option<i64>>(i)?.map(Cell::Int),
            Type::INT4 => self
                .try_get::<_, Option<i32>>(i)?
                .map(|v| Cell::Int(v.into())),
            Type::INT2 => self
                .try_get::<_, Option<i16>>(i)?
                .map(|v| Cell::Int(v.into())),
            Type::FLOAT8 => self.try_get::<_, Option<f64>>(i)?.map(Cell::Real),
            Type::BYTEA => self.try_get::<_, Option<&[u8]>>(i)?.map(Cell::Blob),
            _ => self.try_get::<_, Option<&str>>(i)?.map(Cell::Text),
        };
        Ok(cell.unwrap_or(Cell::Null))
    }
}
