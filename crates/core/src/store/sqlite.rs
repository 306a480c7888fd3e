//! The SQLite backend: one file, WAL, foreign keys on, full fsync on commit.

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{
    params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior,
};

use super::{Changes, NewAccountRow, NewQuota, NewStaff, NewStatus, NewUnit, Queries, Store};
use crate::accounts::{Account, StoredAccount};
use crate::audit::AuditEntry;
use crate::calendar::{DayKind, YearArrangement};
use crate::catalog::{Item, Letter, Material, MaterialForm, Mode, TimeLimit};
use crate::request::record::{EventRow, PrintRecord, RequestQuery, RequestRow};
use crate::request::State;
use crate::staff::{Credential, Role, StaffProfile};
use crate::staffing::{
    HallPost, PostKind, Quota, RotaEntry, Staff, Status, StatusPeriod, Town, TownFacts, Unit,
};
use crate::{Error, Result};

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
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a writer waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Opens the database at `path`, creating it if needed, and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                Error::invalid(
                    "db",
                    format!("无法创建数据库所在文件夹 {}：{e}", dir.display()),
                )
            })?;
        }
        Self::setup(Connection::open(path)?)
    }

    /// Opens an existing database; a missing file is an error rather than a new empty database.
    pub fn open_existing(path: &Path) -> Result<Self> {
        if !path.is_file() {
            return Err(Error::NoDatabase(path.display().to_string()));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Self::setup(Connection::open_with_flags(path, flags)?)
    }

    /// The connection, for the online backup.
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Walks the audit log's hash chain.
    pub fn verify_audit(&self) -> Result<super::audit::Verification> {
        super::audit::verify(&self.conn)
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
        conn.pragma_update(None, "foreign_keys", true)?;
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
        let mut store = SqliteStore { conn };
        store.migrate(found)?;
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
                super::audit::chain_unhashed(&tx)?;
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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&SqliteTx(&tx))?;
        tx.commit()?;
        Ok(out)
    }

    fn write<R>(&mut self, f: impl FnOnce(&dyn Changes) -> Result<R>) -> Result<R> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&SqliteTx(&tx))?;
        tx.commit()?;
        Ok(out)
    }
}

struct SqliteTx<'a>(&'a Transaction<'a>);

fn date_col(s: String) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
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

fn status_from_sql(s: &str, unit_id: Option<i64>) -> rusqlite::Result<Status> {
    Ok(match (s, unit_id) {
        ("on_duty", _) => Status::OnDuty,
        ("seconded_out", _) => Status::SecondedOut,
        ("seconded_in", Some(unit_id)) => Status::SecondedIn { unit_id },
        ("long_leave", _) => Status::LongLeave,
        ("retired", _) => Status::Retired,
        _ => {
            return Err(rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                format!("unknown status {s}").into(),
            ))
        }
    })
}

impl Queries for SqliteTx<'_> {
    fn towns(&self) -> Result<Vec<Town>> {
        let mut st = self
            .0
            .prepare_cached("SELECT id, name FROM town ORDER BY id")?;
        let rows = st.query_map([], |r| {
            Ok(Town {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn town_facts(&self, town_id: i64, rota_on: Option<NaiveDate>) -> Result<TownFacts> {
        let tx = self.0;
        let units = all(
            tx,
            "SELECT id, name, kind, managed_by, enforcement_scope FROM unit WHERE town_id = ?1
                 ORDER BY sort_order, id",
            [town_id],
            |r| {
                Ok(Unit {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: r.get(2)?,
                    managed_by: r.get(3)?,
                    enforcement_scope: r.get(4)?,
                })
            },
        )?;
        let quotas = all(
            tx,
            "SELECT q.unit_id, q.kind, q.posts, q.effective_from, q.effective_to
                 FROM quota q JOIN unit u ON u.id = q.unit_id WHERE u.town_id = ?1",
            [town_id],
            |r| {
                let kind: String = r.get(1)?;
                Ok(Quota {
                    unit_id: r.get(0)?,
                    kind: PostKind::parse(&kind).unwrap_or(PostKind::Institutional),
                    posts: r.get(2)?,
                    effective_from: date_col(r.get(3)?)?,
                    effective_to: opt_date(r.get(4)?)?,
                })
            },
        )?;
        let staff = all(
            tx,
            "SELECT id, no, name, unit_id, home_body, gender, birth_date FROM staff
                 WHERE town_id = ?1 ORDER BY id",
            [town_id],
            |r| {
                Ok(Staff {
                    id: r.get(0)?,
                    no: r.get(1)?,
                    name: r.get(2)?,
                    home_unit_id: r.get(3)?,
                    home_body: r.get(4)?,
                    gender: r.get(5)?,
                    birth_date: opt_date(r.get(6)?)?,
                })
            },
        )?;
        let statuses = all(
            tx,
            "SELECT p.staff_id, p.status, p.unit_id, p.other_body, p.start_date, p.end_date
                 FROM staff_status p JOIN staff s ON s.id = p.staff_id WHERE s.town_id = ?1",
            [town_id],
            |r| {
                let status: String = r.get(1)?;
                Ok(StatusPeriod {
                    staff_id: r.get(0)?,
                    status: status_from_sql(&status, r.get(2)?)?,
                    other_body: r.get(3)?,
                    start: date_col(r.get(4)?)?,
                    end: opt_date(r.get(5)?)?,
                })
            },
        )?;
        let posts = all(
            tx,
            "SELECT id, name FROM hall_post WHERE town_id = ?1 ORDER BY sort_order, id",
            [town_id],
            |r| {
                Ok(HallPost {
                    id: r.get(0)?,
                    name: r.get(1)?,
                })
            },
        )?;
        let rota = all(tx, "SELECT r.post_id, r.staff_id, r.weekday, r.start_date, r.end_date
                 FROM rota r JOIN hall_post p ON p.id = r.post_id
                 WHERE p.town_id = ?1
                   AND (?2 IS NULL OR (r.start_date <= ?2 AND (r.end_date IS NULL OR r.end_date >= ?2)))
                 ORDER BY p.sort_order, r.weekday, r.staff_id", params![town_id, rota_on.map(|d| d.to_string())], |r| {
                Ok(RotaEntry {
                    post_id: r.get(0)?,
                    staff_id: r.get(1)?,
                    weekday: r.get(2)?,
                    start: date_col(r.get(3)?)?,
                    end: opt_date(r.get(4)?)?,
                })
        })?;
        let credentials = all(
            tx,
            "SELECT c.staff_id, c.kind, c.number, c.scope, c.valid_from, c.valid_to
                 FROM credential c JOIN staff s ON s.id = c.staff_id WHERE s.town_id = ?1
                 ORDER BY c.id",
            [town_id],
            |r| {
                Ok((
                    r.get(0)?,
                    Credential {
                        kind: r.get(1)?,
                        number: r.get(2)?,
                        scope: r.get(3)?,
                        valid_from: date_col(r.get(4)?)?,
                        valid_to: date_col(r.get(5)?)?,
                    },
                ))
            },
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
        let mut items = self
            .0
            .prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM item i
                 JOIN town_item ti ON ti.item_id = i.id AND ti.town_id = ?1 ORDER BY i.code"
            ))?
            .query_map([town_id], item_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.attach_materials(&mut items, town_id)?;
        Ok(items.into_iter().map(|(_, i)| i).collect())
    }

    fn item(&self, town_id: i64, code: &str) -> Result<Option<Item>> {
        let found = self
            .0
            .prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM item i
                 JOIN town_item ti ON ti.item_id = i.id AND ti.town_id = ?1 WHERE i.code = ?2"
            ))?
            .query_row(params![town_id, code], item_row)
            .optional()?;
        let Some((id, mut item)) = found else {
            return Ok(None);
        };
        item.materials = self
            .0
            .prepare_cached(
                "SELECT item_id, seq, name, form, copies, mandatory FROM material
                 WHERE item_id = ?1 ORDER BY seq",
            )?
            .query_map([id], material_row)?
            .map(|r| r.map(|(_, m)| m))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(item))
    }

    fn item_id(&self, code: &str) -> Result<Option<i64>> {
        Ok(self
            .0
            .prepare_cached("SELECT id FROM item WHERE code = ?1")?
            .query_row([code], |r| r.get(0))
            .optional()?)
    }

    fn letters(&self, town_id: i64) -> Result<Vec<Letter>> {
        let mut letters: Vec<(i64, Letter)> = self
            .0
            .prepare_cached(
                "SELECT id, number, issuer, valid_from, valid_to FROM letter
                 WHERE town_id = ?1 ORDER BY valid_from, number",
            )?
            .query_map([town_id], |r| {
                Ok((
                    r.get(0)?,
                    Letter {
                        number: r.get(1)?,
                        issuer: r.get(2)?,
                        items: Vec::new(),
                        valid_from: date_col(r.get(3)?)?,
                        valid_to: date_col(r.get(4)?)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut st = self.0.prepare_cached(
            "SELECT i.code FROM letter_item li JOIN item i ON i.id = li.item_id
             WHERE li.letter_id = ?1 ORDER BY i.code",
        )?;
        for (id, letter) in &mut letters {
            letter.items = st
                .query_map([*id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
        }
        Ok(letters.into_iter().map(|(_, l)| l).collect())
    }

    fn staff_profiles(&self, town_id: i64) -> Result<Vec<StaffProfile>> {
        // The unit a person works in: the home unit, or the host unit of the latest
        // secondment in.
        let mut people: Vec<StaffProfile> = self
            .0
            .prepare_cached(
                "SELECT s.id, s.no, s.name, t.name,
                        COALESCE(u.name, (SELECT hu.name FROM staff_status p
                                          JOIN unit hu ON hu.id = p.unit_id
                                          WHERE p.staff_id = s.id AND p.status = 'seconded_in'
                                          ORDER BY p.start_date DESC LIMIT 1), '')
                 FROM staff s JOIN town t ON t.id = s.town_id
                 LEFT JOIN unit u ON u.id = s.unit_id
                 WHERE s.town_id = ?1 ORDER BY s.no",
            )?
            .query_map([town_id], |r| {
                Ok(StaffProfile {
                    id: r.get(0)?,
                    no: r.get(1)?,
                    name: r.get(2)?,
                    town: r.get(3)?,
                    unit: r.get(4)?,
                    roles: Vec::new(),
                    credentials: Vec::new(),
                    at_work: false,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let index: std::collections::HashMap<i64, usize> =
            people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let mut roles = self.0.prepare_cached(
            "SELECT r.staff_id, r.role FROM staff_role r JOIN staff s ON s.id = r.staff_id
             WHERE s.town_id = ?1",
        )?;
        for row in roles.query_map([town_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })? {
            let (id, role) = row?;
            if let (Some(&i), Some(role)) = (index.get(&id), Role::parse(&role)) {
                people[i].roles.push(role);
            }
        }
        let mut creds = self.0.prepare_cached(
            "SELECT c.staff_id, c.kind, c.number, c.scope, c.valid_from, c.valid_to
             FROM credential c JOIN staff s ON s.id = c.staff_id
             WHERE s.town_id = ?1 ORDER BY c.valid_to",
        )?;
        for row in creds.query_map([town_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Credential {
                    kind: r.get(1)?,
                    number: r.get(2)?,
                    scope: r.get(3)?,
                    valid_from: date_col(r.get(4)?)?,
                    valid_to: date_col(r.get(5)?)?,
                },
            ))
        })? {
            let (id, c) = row?;
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
        let found = self
            .0
            .prepare_cached(
                "SELECT s.id, s.no, s.name, t.name,
                        COALESCE(u.name, (SELECT hu.name FROM staff_status p
                                          JOIN unit hu ON hu.id = p.unit_id
                                          WHERE p.staff_id = s.id AND p.status = 'seconded_in'
                                          ORDER BY p.start_date DESC LIMIT 1), '')
                 FROM staff s JOIN town t ON t.id = s.town_id
                 LEFT JOIN unit u ON u.id = s.unit_id
                 WHERE s.no = ?1 AND s.town_id = ?2",
            )?
            .query_row(params![no, town_id], |r| {
                Ok(StaffProfile {
                    id: r.get(0)?,
                    no: r.get(1)?,
                    name: r.get(2)?,
                    town: r.get(3)?,
                    unit: r.get(4)?,
                    roles: Vec::new(),
                    credentials: Vec::new(),
                    at_work: false,
                })
            })
            .optional()?;
        let Some(mut p) = found else {
            return Ok(None);
        };
        let roles: Vec<String> = self
            .0
            .prepare_cached("SELECT role FROM staff_role WHERE staff_id = ?1")?
            .query_map([p.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        p.roles = roles.iter().filter_map(|r| Role::parse(r)).collect();
        p.roles.sort();
        p.credentials = self
            .0
            .prepare_cached(
                "SELECT kind, number, scope, valid_from, valid_to FROM credential
                 WHERE staff_id = ?1 ORDER BY valid_to",
            )?
            .query_map([p.id], |r| {
                Ok(Credential {
                    kind: r.get(0)?,
                    number: r.get(1)?,
                    scope: r.get(2)?,
                    valid_from: date_col(r.get(3)?)?,
                    valid_to: date_col(r.get(4)?)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(p))
    }

    fn staff_periods(&self, staff_id: i64) -> Result<Vec<StatusPeriod>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT staff_id, status, unit_id, other_body, start_date, end_date
                 FROM staff_status WHERE staff_id = ?1",
            )?
            .query_map([staff_id], |r| {
                let status: String = r.get(1)?;
                Ok(StatusPeriod {
                    staff_id: r.get(0)?,
                    status: status_from_sql(&status, r.get(2)?)?,
                    other_body: r.get(3)?,
                    start: date_col(r.get(4)?)?,
                    end: opt_date(r.get(5)?)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn staff_town(&self, no: &str) -> Result<Option<i64>> {
        Ok(self
            .0
            .prepare_cached("SELECT town_id FROM staff WHERE no = ?1")?
            .query_row([no], |r| r.get(0))
            .optional()?)
    }

    fn calendar_years(&self) -> Result<Vec<YearArrangement>> {
        let mut years: Vec<YearArrangement> = self
            .0
            .prepare_cached("SELECT year, source FROM calendar_year ORDER BY year")?
            .query_map([], |r| {
                Ok(YearArrangement {
                    year: r.get(0)?,
                    source: r.get(1)?,
                    days: Default::default(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut st = self.0.prepare_cached(
            "SELECT date, kind, name FROM calendar_day WHERE date >= ?1 AND date <= ?2",
        )?;
        for y in &mut years {
            let rows = st.query_map(
                params![format!("{}-01-01", y.year), format!("{}-12-31", y.year)],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )?;
            for row in rows {
                let (date, kind, name) = row?;
                let kind =
                    DayKind::parse(&kind).ok_or_else(|| conversion(format!("kind {kind}")))?;
                y.days.insert(date_col(date)?, (kind, name));
            }
        }
        Ok(years)
    }

    fn request(&self, number: &str) -> Result<Option<RequestRow>> {
        let row = self
            .0
            .prepare_cached(&format!(
                "SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE r.number = ?1"
            ))?
            .query_row([number], request_row)
            .optional()?;
        match row {
            Some(mut row) => {
                row.received = self.received_of(row.id)?;
                Ok(Some(row))
            }
            None => Ok(None),
        }
    }

    fn request_events(&self, request_id: i64) -> Result<Vec<EventRow>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT e.at, e.step, e.staff_id, s.no, s.name, e.allowed, e.basis, e.note
                 FROM request_event e JOIN staff s ON s.id = e.staff_id
                 WHERE e.request_id = ?1 ORDER BY e.id",
            )?
            .query_map([request_id], |r| {
                Ok(EventRow {
                    at: r.get(0)?,
                    step: r.get(1)?,
                    staff_id: r.get(2)?,
                    staff_no: r.get(3)?,
                    staff_name: r.get(4)?,
                    allowed: r.get(5)?,
                    basis: r.get(6)?,
                    note: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn requests(
        &self,
        town_id: i64,
        query: &RequestQuery,
        limit: usize,
    ) -> Result<Vec<RequestRow>> {
        let limit = limit as i64;
        // Every query: the town as ?1, one value as ?2, the limit as ?3.
        let fetch = |condition: &str,
                     order: &str,
                     value: &dyn rusqlite::ToSql|
         -> Result<Vec<RequestRow>> {
            let sql = format!(
                "SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE {condition} ORDER BY {order} LIMIT ?3"
            );
            Ok(self
                .0
                .prepare_cached(&sql)?
                .query_map(params![town_id, value, limit], request_row)?
                .collect::<rusqlite::Result<_>>()?)
        };
        let newest = "r.id DESC";
        let mut rows: Vec<RequestRow> = match query {
            RequestQuery::CreatedOn(day) => fetch(
                "r.town_id = ?1 AND r.created_on = ?2",
                newest,
                &day.to_string(),
            )?,
            RequestQuery::InStates(states) => {
                let mut out = Vec::new();
                for st in states {
                    out.extend(fetch("r.town_id = ?1 AND r.state = ?2", newest, &st.key())?);
                }
                out.sort_by_key(|r| std::cmp::Reverse(r.id));
                out.truncate(limit as usize);
                out
            }
            // A range, not LIKE, so that the unique index on number serves it; `+` keeps the
            // planner from choosing a town index instead.
            RequestQuery::NumberPrefix(p) => fetch(
                "+r.town_id = ?1 AND r.number >= ?2 AND r.number < ?2 || x'7F'",
                "r.number DESC",
                p,
            )?,
            // Through the last-six index; the full comparison filters its few hits.
            RequestQuery::ApplicantId(id) => fetch(
                "r.town_id = ?1 AND r.id_last6 = substr(?2, -6) AND r.applicant_id = ?2",
                newest,
                id,
            )?,
            RequestQuery::IdLast6(last6) => {
                fetch("r.town_id = ?1 AND r.id_last6 = ?2", newest, last6)?
            }
            RequestQuery::Name(name) => {
                fetch("r.town_id = ?1 AND r.applicant_name = ?2", newest, name)?
            }
            RequestQuery::Initials(ini) => {
                fetch("r.town_id = ?1 AND r.name_initials = ?2", newest, ini)?
            }
            RequestQuery::All => fetch(
                "r.town_id = ?1 AND ?2 IS NULL",
                newest,
                &rusqlite::types::Null,
            )?,
        };
        for row in &mut rows {
            row.received = self.received_of(row.id)?;
        }
        Ok(rows)
    }

    fn audit_count(&self, request_number: &str) -> Result<i64> {
        Ok(self
            .0
            .prepare_cached("SELECT count(*) FROM audit_log WHERE request_number = ?1")?
            .query_row([request_number], |r| r.get(0))?)
    }

    fn arrivals(
        &self,
        town_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<crate::demand::Arrival>> {
        all(
            self.0,
            "SELECT r.created_at, i.post, r.clerk_id FROM request r JOIN item i ON i.id = r.item_id
             WHERE r.town_id = ?1 AND r.created_on BETWEEN ?2 AND ?3 ORDER BY r.created_at",
            params![town_id, from.to_string(), to.to_string()],
            |r| {
                let at: String = r.get(0)?;
                Ok(crate::demand::Arrival {
                    at: chrono::NaiveDateTime::parse_from_str(&at, "%Y-%m-%d %H:%M:%S")
                        .map_err(|e| conversion(format!("created_at {at}: {e}")))?,
                    post: r.get(1)?,
                    clerk_id: r.get(2)?,
                })
            },
        )
    }

    fn prints(&self, form_no: &str) -> Result<Vec<PrintRecord>> {
        all(
            self.0,
            "SELECT p.form_no, p.kind, p.town_id, p.request_number, p.department, p.staff_no,
                    p.os_user, p.at, p.copy, p.route, p.pages, p.bytes
             FROM form_print p WHERE p.form_no = ?1 ORDER BY p.copy",
            [form_no],
            |r| {
                Ok(PrintRecord {
                    form_no: r.get(0)?,
                    kind: r.get(1)?,
                    town_id: r.get(2)?,
                    request_number: r.get(3)?,
                    department: r.get(4)?,
                    staff_no: r.get(5)?,
                    os_user: r.get(6)?,
                    at: r.get(7)?,
                    copy: r.get(8)?,
                    route: r.get(9)?,
                    pages: r.get(10)?,
                    bytes: r.get(11)?,
                })
            },
        )
    }

    fn account(&self, username: &str) -> Result<Option<StoredAccount>> {
        Ok(self
            .0
            .prepare_cached(&format!(
                "SELECT {ACCOUNT_COLUMNS}, a.password_hash {ACCOUNT_FROM} WHERE a.username = ?1"
            ))?
            .query_row([username], |r| {
                Ok(StoredAccount {
                    account: account_row(r)?,
                    password_hash: r.get(11)?,
                })
            })
            .optional()?)
    }

    fn accounts(&self) -> Result<Vec<Account>> {
        all(
            self.0,
            &format!("SELECT {ACCOUNT_COLUMNS} {ACCOUNT_FROM} ORDER BY a.id"),
            [],
            account_row,
        )
    }

    fn account_count(&self) -> Result<i64> {
        Ok(self
            .0
            .prepare_cached("SELECT count(*) FROM account")?
            .query_row([], |r| r.get(0))?)
    }
}

const ACCOUNT_COLUMNS: &str = "a.id, a.username, a.display_name, s.no, s.name, a.roles, \
     a.failed_count, a.locked_until, a.created_at, a.disabled, t.name";
const ACCOUNT_FROM: &str =
    "FROM account a LEFT JOIN staff s ON s.id = a.staff_id LEFT JOIN town t ON t.id = s.town_id";
const DATETIME: &str = "%Y-%m-%d %H:%M:%S";

fn datetime_col(s: &str) -> rusqlite::Result<chrono::NaiveDateTime> {
    chrono::NaiveDateTime::parse_from_str(s, DATETIME)
        .map_err(|e| conversion(format!("datetime {s}: {e}")))
}

fn account_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    let roles: String = r.get(5)?;
    let locked_until: Option<String> = r.get(7)?;
    let created_at: String = r.get(8)?;
    Ok(Account {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        staff_no: r.get(3)?,
        staff_name: r.get(4)?,
        staff_town: r.get(10)?,
        roles: roles
            .split(',')
            .map(|l| Role::parse(l).ok_or_else(|| conversion(format!("role {l}"))))
            .collect::<rusqlite::Result<_>>()?,
        failed_count: r.get(6)?,
        locked_until: locked_until.as_deref().map(datetime_col).transpose()?,
        created_at: datetime_col(&created_at)?,
        disabled: r.get(9)?,
    })
}

fn conversion(msg: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, msg.into())
}

const ITEM_COLUMNS: &str = "i.id, i.code, i.name, i.initials, i.item_type, i.department, \
     i.legal_basis, i.statutory_days, i.promised_days, i.fee, i.post, ti.mode";

fn item_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, Item)> {
    let mode: String = r.get(11)?;
    Ok((
        r.get(0)?,
        Item {
            code: r.get(1)?,
            name: r.get(2)?,
            initials: r.get(3)?,
            item_type: r.get(4)?,
            department: r.get(5)?,
            legal_basis: r.get(6)?,
            statutory: TimeLimit::from_days(r.get(7)?),
            promised: TimeLimit::from_days(r.get(8)?),
            fee: r.get(9)?,
            post: r.get(10)?,
            mode: Mode::parse(&mode).ok_or_else(|| conversion(format!("unknown mode {mode}")))?,
            materials: Vec::new(),
        },
    ))
}

fn material_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, Material)> {
    let form: String = r.get(3)?;
    Ok((
        r.get(0)?,
        Material {
            seq: r.get(1)?,
            name: r.get(2)?,
            form: MaterialForm::parse(&form)
                .ok_or_else(|| conversion(format!("unknown form {form}")))?,
            copies: r.get(4)?,
            mandatory: r.get(5)?,
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

/// Every row of a query, each read by `f`.
fn all<T, P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_map(params, f)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

fn opt_date(v: Option<String>) -> rusqlite::Result<Option<NaiveDate>> {
    v.map(date_col).transpose()
}

fn request_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RequestRow> {
    let state: String = r.get(4)?;
    let result: Option<String> = r.get(21)?;
    Ok(RequestRow {
        id: r.get(0)?,
        town_id: r.get(1)?,
        number: r.get(2)?,
        item_code: r.get(3)?,
        state: State::parse(&state).ok_or_else(|| conversion(format!("unknown state {state}")))?,
        applicant_name: r.get(5)?,
        name_initials: r.get(6)?,
        applicant_kind: r.get(7)?,
        applicant_id: r.get(8)?,
        phone: r.get(9)?,
        remark: r.get(10)?,
        clerk_id: r.get(11)?,
        clerk_name: r.get(12)?,
        created_at: r.get(13)?,
        created_on: date_col(r.get(14)?)?,
        accepted_on: opt_date(r.get(15)?)?,
        due: opt_date(r.get(16)?)?,
        calendar_complete: r.get(17)?,
        forwarded_to: r.get(18)?,
        forwarded_on: opt_date(r.get(19)?)?,
        department_due: opt_date(r.get(20)?)?,
        result: result.map(|v| v == "approved"),
        reason: r.get(22)?,
        alternative: r.get(23)?,
        closed_on: opt_date(r.get(24)?)?,
        picked_up_on: opt_date(r.get(25)?)?,
        received: Vec::new(),
    })
}

fn result_sql(v: Option<bool>) -> Option<&'static str> {
    v.map(|a| if a { "approved" } else { "refused" })
}

impl SqliteTx<'_> {
    fn received_of(&self, request_id: i64) -> Result<Vec<u16>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT seq FROM request_material WHERE request_id = ?1 AND received = 1 ORDER BY seq",
            )?
            .query_map([request_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn write_materials(&self, row: &RequestRow, request_id: i64) -> Result<()> {
        self.0
            .prepare_cached("DELETE FROM request_material WHERE request_id = ?1")?
            .execute([request_id])?;
        let mut st = self.0.prepare_cached(
            "INSERT INTO request_material (request_id, seq, received) VALUES (?1, ?2, 1)",
        )?;
        for seq in &row.received {
            st.execute(params![request_id, seq])?;
        }
        Ok(())
    }

    fn attach_materials(&self, items: &mut [(i64, Item)], town_id: i64) -> Result<()> {
        let mut st = self.0.prepare_cached(
            "SELECT m.item_id, m.seq, m.name, m.form, m.copies, m.mandatory
             FROM material m JOIN town_item ti ON ti.item_id = m.item_id AND ti.town_id = ?1
             ORDER BY m.item_id, m.seq",
        )?;
        let mut by_item: std::collections::HashMap<i64, Vec<Material>> = Default::default();
        for row in st.query_map([town_id], material_row)? {
            let (item_id, m) = row?;
            by_item.entry(item_id).or_default().push(m);
        }
        for (id, item) in items.iter_mut() {
            item.materials = by_item.remove(id).unwrap_or_default();
        }
        Ok(())
    }
}

impl Changes for SqliteTx<'_> {
    fn ensure_town(&self, name: &str) -> Result<i64> {
        self.0.execute(
            "INSERT INTO town (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
            [name],
        )?;
        Ok(self
            .0
            .query_row("SELECT id FROM town WHERE name = ?1", [name], |r| r.get(0))?)
    }

    fn ensure_unit(&self, town_id: i64, u: &NewUnit<'_>) -> Result<i64> {
        self.0.execute(
            "INSERT INTO unit (town_id, name, kind, managed_by, sort_order, enforcement_scope)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (town_id, name) DO UPDATE
             SET enforcement_scope = coalesce(unit.enforcement_scope, excluded.enforcement_scope)",
            params![
                town_id,
                u.name,
                u.kind,
                u.managed_by,
                u.sort_order,
                u.enforcement_scope
            ],
        )?;
        Ok(self.0.query_row(
            "SELECT id FROM unit WHERE town_id = ?1 AND name = ?2",
            params![town_id, u.name],
            |r| r.get(0),
        )?)
    }

    fn ensure_quota(&self, unit_id: i64, q: &NewQuota) -> Result<()> {
        self.0.execute(
            "INSERT INTO quota (unit_id, kind, posts, effective_from, effective_to)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (unit_id, kind, effective_from) DO NOTHING",
            params![
                unit_id,
                q.kind.as_str(),
                q.posts,
                q.effective_from.to_string(),
                q.effective_to.map(|d| d.to_string())
            ],
        )?;
        Ok(())
    }

    fn ensure_staff(&self, town_id: i64, s: &NewStaff<'_>) -> Result<i64> {
        self.0.execute(
            "INSERT INTO staff (no, name, gender, town_id, unit_id, home_body, birth_date)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (no) DO UPDATE SET birth_date = coalesce(staff.birth_date, excluded.birth_date)",
            params![
                s.no,
                s.name,
                s.gender,
                town_id,
                s.home_unit_id,
                s.home_body,
                s.birth_date.map(|d| d.to_string())
            ],
        )?;
        Ok(self
            .0
            .query_row("SELECT id FROM staff WHERE no = ?1", [s.no], |r| r.get(0))?)
    }

    fn ensure_hall_post(&self, town_id: i64, name: &str, sort_order: i64) -> Result<i64> {
        self.0.execute(
            "INSERT INTO hall_post (town_id, name, sort_order) VALUES (?1, ?2, ?3)
             ON CONFLICT (town_id, name) DO NOTHING",
            params![town_id, name, sort_order],
        )?;
        Ok(self.0.query_row(
            "SELECT id FROM hall_post WHERE town_id = ?1 AND name = ?2",
            params![town_id, name],
            |r| r.get(0),
        )?)
    }

    fn ensure_rota(&self, e: &RotaEntry) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO rota (post_id, staff_id, weekday, start_date, end_date)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (post_id, staff_id, weekday, start_date) DO NOTHING",
            )?
            .execute(params![
                e.post_id,
                e.staff_id,
                e.weekday,
                e.start.to_string(),
                e.end.map(|d| d.to_string())
            ])?;
        Ok(())
    }

    fn ensure_status(&self, staff_id: i64, p: &NewStatus<'_>) -> Result<()> {
        let (status, unit_id) = status_to_sql(p.status);
        self.0.execute(
            "INSERT INTO staff_status (staff_id, status, unit_id, other_body, start_date, end_date)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (staff_id, start_date) DO NOTHING",
            params![
                staff_id,
                status,
                unit_id,
                p.other_body,
                p.start.to_string(),
                p.end.map(|d| d.to_string())
            ],
        )?;
        Ok(())
    }

    fn upsert_item(&self, i: &Item) -> Result<i64> {
        self.0
            .prepare_cached(
                "INSERT INTO item (code, name, initials, item_type, department, legal_basis,
                                   statutory_days, promised_days, fee, post)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (code) DO UPDATE SET
                   name = excluded.name, initials = excluded.initials,
                   item_type = excluded.item_type, department = excluded.department,
                   legal_basis = excluded.legal_basis, statutory_days = excluded.statutory_days,
                   promised_days = excluded.promised_days, fee = excluded.fee, post = excluded.post",
            )?
            .execute(params![
                i.code,
                i.name,
                i.initials,
                i.item_type,
                i.department,
                i.legal_basis,
                i.statutory.days(),
                i.promised.days(),
                i.fee,
                i.post
            ])?;
        Ok(self
            .0
            .prepare_cached("SELECT id FROM item WHERE code = ?1")?
            .query_row([&i.code], |r| r.get(0))?)
    }

    fn ensure_item(&self, item: &Item) -> Result<(i64, bool)> {
        match self.item_id(&item.code)? {
            Some(id) => Ok((id, false)),
            None => Ok((self.upsert_item(item)?, true)),
        }
    }

    fn set_mode(&self, town_id: i64, item_id: i64, mode: Mode) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO town_item (town_id, item_id, mode) VALUES (?1, ?2, ?3)
                 ON CONFLICT (town_id, item_id) DO UPDATE SET mode = excluded.mode",
            )?
            .execute(params![town_id, item_id, mode.key()])?;
        Ok(())
    }

    fn replace_materials(&self, item_id: i64, materials: &[Material]) -> Result<()> {
        self.0
            .prepare_cached("DELETE FROM material WHERE item_id = ?1")?
            .execute([item_id])?;
        let mut st = self.0.prepare_cached(
            "INSERT INTO material (item_id, seq, name, form, copies, mandatory)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for m in materials {
            st.execute(params![
                item_id,
                m.seq,
                m.name,
                m.form.label(),
                m.copies,
                m.mandatory
            ])?;
        }
        Ok(())
    }

    fn upsert_letter(&self, town_id: i64, l: &Letter) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO letter (town_id, number, issuer, valid_from, valid_to)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (town_id, number) DO UPDATE SET
                   issuer = excluded.issuer, valid_from = excluded.valid_from,
                   valid_to = excluded.valid_to",
            )?
            .execute(params![
                town_id,
                l.number,
                l.issuer,
                l.valid_from.to_string(),
                l.valid_to.to_string()
            ])?;
        let letter_id: i64 = self
            .0
            .prepare_cached("SELECT id FROM letter WHERE town_id = ?1 AND number = ?2")?
            .query_row(params![town_id, l.number], |r| r.get(0))?;
        self.0
            .prepare_cached("DELETE FROM letter_item WHERE letter_id = ?1")?
            .execute([letter_id])?;
        let mut st = self.0.prepare_cached(
            "INSERT INTO letter_item (letter_id, item_id) SELECT ?1, id FROM item WHERE code = ?2",
        )?;
        for code in &l.items {
            if st.execute(params![letter_id, code])? != 1 {
                return Err(Error::invalid(
                    "item",
                    format!("委托书 {} 所列事项编码“{code}”不存在", l.number),
                ));
            }
        }
        Ok(())
    }

    fn ensure_role(&self, staff_id: i64, role: Role) -> Result<()> {
        self.0
            .prepare_cached("INSERT OR IGNORE INTO staff_role (staff_id, role) VALUES (?1, ?2)")?
            .execute(params![staff_id, role.label()])?;
        Ok(())
    }

    fn ensure_credential(&self, staff_id: i64, c: &Credential) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO credential (staff_id, kind, number, scope, valid_from, valid_to)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (number) DO NOTHING",
            )?
            .execute(params![
                staff_id,
                c.kind,
                c.number,
                c.scope,
                c.valid_from.to_string(),
                c.valid_to.to_string()
            ])?;
        Ok(())
    }

    fn save_calendar_year(&self, year: &YearArrangement) -> Result<()> {
        self.0.execute(
            "INSERT INTO calendar_year (year, source) VALUES (?1, ?2)
             ON CONFLICT (year) DO UPDATE SET source = excluded.source",
            params![year.year, year.source],
        )?;
        self.0.execute(
            "DELETE FROM calendar_day WHERE date >= ?1 AND date <= ?2",
            params![
                format!("{}-01-01", year.year),
                format!("{}-12-31", year.year)
            ],
        )?;
        let mut st = self
            .0
            .prepare_cached("INSERT INTO calendar_day (date, kind, name) VALUES (?1, ?2, ?3)")?;
        for (date, (kind, name)) in &year.days {
            st.execute(params![date.to_string(), kind.label(), name])?;
        }
        Ok(())
    }

    fn next_request_seq(&self, town_id: i64, day: NaiveDate) -> Result<u32> {
        Ok(self
            .0
            .prepare_cached(
                "INSERT INTO request_counter (town_id, day, last) VALUES (?1, ?2, 1)
                 ON CONFLICT (town_id, day) DO UPDATE SET last = last + 1
                 RETURNING last",
            )?
            .query_row(params![town_id, day.to_string()], |r| r.get(0))?)
    }

    fn insert_request(&self, row: &RequestRow) -> Result<i64> {
        let item_id = self
            .item_id(&row.item_code)?
            .ok_or_else(|| Error::invalid("item", format!("事项编码“{}”不存在", row.item_code)))?;
        self.0
            .prepare_cached(
                "INSERT INTO request (town_id, number, item_id, state, applicant_name, name_initials,
                    applicant_kind, applicant_id, id_last6, phone, remark, clerk_id, created_at,
                    created_on, accepted_on, due, calendar_complete, forwarded_to, forwarded_on,
                    department_due, result, reason, alternative, closed_on, picked_up_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
            )?
            .execute(params![
                row.town_id,
                row.number,
                item_id,
                row.state.key(),
                row.applicant_name,
                row.name_initials,
                row.applicant_kind,
                row.applicant_id,
                row.id_last6(),
                row.phone,
                row.remark,
                row.clerk_id,
                row.created_at,
                row.created_on.to_string(),
                row.accepted_on.map(|d| d.to_string()),
                row.due.map(|d| d.to_string()),
                row.calendar_complete,
                row.forwarded_to,
                row.forwarded_on.map(|d| d.to_string()),
                row.department_due.map(|d| d.to_string()),
                result_sql(row.result),
                row.reason,
                row.alternative,
                row.closed_on.map(|d| d.to_string()),
                row.picked_up_on.map(|d| d.to_string()),
            ])?;
        let id = self.0.last_insert_rowid();
        self.write_materials(row, id)?;
        Ok(id)
    }

    fn update_request(&self, row: &RequestRow) -> Result<()> {
        self.0
            .prepare_cached(
                "UPDATE request SET state = ?2, accepted_on = ?3, due = ?4, calendar_complete = ?5,
                    forwarded_to = ?6, forwarded_on = ?7, department_due = ?8, result = ?9,
                    reason = ?10, alternative = ?11, closed_on = ?12, picked_up_on = ?13
                 WHERE id = ?1",
            )?
            .execute(params![
                row.id,
                row.state.key(),
                row.accepted_on.map(|d| d.to_string()),
                row.due.map(|d| d.to_string()),
                row.calendar_complete,
                row.forwarded_to,
                row.forwarded_on.map(|d| d.to_string()),
                row.department_due.map(|d| d.to_string()),
                result_sql(row.result),
                row.reason,
                row.alternative,
                row.closed_on.map(|d| d.to_string()),
                row.picked_up_on.map(|d| d.to_string()),
            ])?;
        self.write_materials(row, row.id)
    }

    fn add_event(&self, request_id: i64, e: &EventRow) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO request_event (request_id, at, step, staff_id, allowed, basis, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                request_id, e.at, e.step, e.staff_id, e.allowed, e.basis, e.note
            ])?;
        Ok(())
    }

    fn add_print(&self, p: &PrintRecord) -> Result<u32> {
        let copy: u32 = self
            .0
            .prepare_cached("SELECT coalesce(max(copy), 0) + 1 FROM form_print WHERE form_no = ?1")?
            .query_row([&p.form_no], |r| r.get(0))?;
        self.0
            .prepare_cached(
                "INSERT INTO form_print (form_no, kind, town_id, request_number, department,
                    staff_no, os_user, at, copy, route, pages, bytes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                p.form_no,
                p.kind,
                p.town_id,
                p.request_number,
                p.department,
                p.staff_no,
                p.os_user,
                p.at,
                copy,
                p.route,
                p.pages,
                p.bytes,
            ])?;
        Ok(copy)
    }

    fn insert_account(&self, a: &NewAccountRow<'_>) -> Result<i64> {
        let roles: Vec<&str> = a.roles.iter().map(|r| r.label()).collect();
        self.0
            .prepare_cached(
                "INSERT INTO account (username, display_name, staff_id, roles, password_hash,
                    created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                a.username,
                a.display_name,
                a.staff_id,
                roles.join(","),
                a.password_hash,
                a.created_at.format(DATETIME).to_string(),
            ])?;
        Ok(self.0.last_insert_rowid())
    }

    fn set_login_state(
        &self,
        account_id: i64,
        failed_count: u32,
        locked_until: Option<chrono::NaiveDateTime>,
    ) -> Result<()> {
        self.0
            .prepare_cached(
                "UPDATE account SET failed_count = ?2, locked_until = ?3 WHERE id = ?1",
            )?
            .execute(params![
                account_id,
                failed_count,
                locked_until.map(|t| t.format(DATETIME).to_string())
            ])?;
        Ok(())
    }

    fn set_password_hash(&self, account_id: i64, password_hash: &str) -> Result<()> {
        self.0
            .prepare_cached("UPDATE account SET password_hash = ?2 WHERE id = ?1")?
            .execute(params![account_id, password_hash])?;
        Ok(())
    }

    fn set_account_disabled(&self, account_id: i64, disabled: bool) -> Result<()> {
        self.0
            .prepare_cached("UPDATE account SET disabled = ?2 WHERE id = ?1")?
            .execute(params![account_id, disabled])?;
        Ok(())
    }

    fn add_audit(&self, a: &AuditEntry) -> Result<()> {
        // Inside the write transaction, so no other writer can take the same id or link.
        let id: i64 = self
            .0
            .prepare_cached("SELECT coalesce(max(id), 0) + 1 FROM audit_log")?
            .query_row([], |r| r.get(0))?;
        let prev = super::audit::last_hash(self.0)?;
        let hash = super::audit::record_hash(&prev, id, a);
        self.0
            .prepare_cached(
                "INSERT INTO audit_log (id, at, os_user, staff_no, action, request_number, item_code,
                    allowed, basis, detail, prev_hash, hash)
                 VALUES (?10, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?11, ?12)",
            )?
            .execute(params![
                a.at,
                a.os_user,
                a.staff_no,
                a.action,
                a.request_number,
                a.item_code,
                a.allowed,
                a.basis,
                a.detail,
                id,
                prev,
                hash
            ])?;
        Ok(())
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
                    },
                )
            })
            .unwrap();
        // The types keep bad dates out of the store; the CHECK constraints are the last line.
        let bad = s.conn.execute(
            "INSERT INTO staff_status (staff_id, status, start_date) VALUES (?1, 'on_duty', '2026-02-30')",
            [staff],
        );
        assert!(bad.is_err(), "an impossible date was stored");
        assert_eq!(count_rows(&s, "staff_status"), 0);
    }
}
