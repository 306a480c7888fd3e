//! `bianmin migrate-to`: moves a single-counter SQLite database into an empty PostgreSQL
//! database, for a hall that grows to several counters.
//!
//! The copy is one snapshot of the SQLite file (one read transaction) written in one PostgreSQL
//! transaction that holds the same advisory lock as every PostgreSQL writer. Ids are kept as they
//! are, and every identity sequence is then moved past the largest id, so that the next row
//! continues where SQLite left off. Before the commit, every table is read back and compared with
//! the source: the row count and a SHA-256 over a canonical rendering of every row, in primary
//! key order. Any difference rolls the whole copy back. A target that holds any row is refused
//! before anything is written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use postgres::{Client, Config, NoTls, Transaction};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{PgStore, SqliteStore};
use crate::address::redact_url;
use crate::error::StorageError;
use crate::{Error, Result};

/// Every table of the schema, each after the tables its foreign keys name, so that the copy can
/// insert them in this order with every constraint checked as it goes. A test fails when a table
/// of the SQLite or PostgreSQL schema is missing here or comes before a table it refers to; the
/// copy itself refuses a source with a table it does not know.
///
/// Not copied, because they are each engine's own bookkeeping and no Bianmin data:
/// - SQLite's `sqlite_*` tables (`sqlite_sequence` for AUTOINCREMENT, which the schema does not
///   use; `sqlite_stat*` written by ANALYZE) and its `PRAGMA user_version`;
/// - PostgreSQL's `bianmin_schema`, which [`PgStore::connect`] fills when it creates the schema.
pub(crate) const TABLES: &[&str] = &[
    "town",
    "unit",
    "quota",
    "staff",
    "staff_status",
    "item",
    "town_item",
    "material",
    "letter",
    "letter_item",
    "staff_role",
    "credential",
    "request",
    "request_name_part",
    "request_material",
    "request_event",
    "request_counter",
    "audit_log",
    "calendar_year",
    "calendar_day",
    "form_print",
    "hall_post",
    "rota",
    "account",
    "hall_key",
    "audit_high",
    "demo_mark",
    "setup_code",
    "login_failure",
    "retention",
    "ticket",
    "rating",
    "followup",
    "device",
    "followup_period",
];

/// Tables whose rows the schema itself makes (an empty database already holds them): replaced by
/// the source's, so that the hall's receipts printed before the move still check.
const MADE_WITH_SCHEMA: &[&str] = &["hall_key", "audit_high"];

/// The PostgreSQL table that holds the schema version; not data, never copied.
const PG_SCHEMA_TABLE: &str = "bianmin_schema";

/// One table as copied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCopy {
    pub table: String,
    /// Rows in the source, in the target, and read back from it: all equal.
    pub rows: u64,
    /// SHA-256 (hex) over the canonical rendering of every row in primary key order; the same on
    /// both sides.
    pub sha256: String,
}

/// What `migrate-to` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigrationReport {
    /// The SQLite file.
    pub source: String,
    /// The PostgreSQL address, without its password.
    pub target: String,
    /// Every table, in the order copied.
    pub tables: Vec<TableCopy>,
    /// The schema version of both databases.
    pub schema_version: i64,
}

/// Copies the SQLite database at `source` into the empty PostgreSQL database at `url`.
///
/// The source is opened as the store opens it (a missing file is [`Error::NoDatabase`], an older
/// schema is brought up to date, a newer one refused); the target's schema is created or brought
/// up to date by [`PgStore::connect`]. A target that holds any row, or tables of its own, is
/// refused (`Error::Invalid` with field `target`) with nothing written. `progress` is called once
/// per table, after its rows are copied, with the table's name and its row count.
pub fn to_postgres(
    source: &Path,
    url: &str,
    progress: &mut dyn FnMut(&str, u64),
) -> Result<MigrationReport> {
    let target = redact_url(url);
    // The source first: nothing is done to the server for a file that is not there.
    let source_version = SqliteStore::open_existing(source)?.schema_version()?;
    let config: Config = url.parse().map_err(|_| {
        Error::invalid(
            "target",
            format!(
                "目标数据库地址“{target}”无效，应形如 postgres://用户名:密码@主机:端口/数据库名"
            ),
        )
    })?;
    let mut client = config.connect(NoTls)?;
    refuse_foreign_tables(&mut client, &target)?;
    let target_version = PgStore::connect(url)?.schema_version()?;
    if target_version != source_version {
        return Err(storage(format!(
            "两个数据库的结构版本不同（源数据库 {source_version}，目标数据库 {target_version}），未迁移"
        )));
    }

    let mut src = Connection::open_with_flags(
        source,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    src.busy_timeout(Duration::from_secs(5))?;
    // One read transaction: every table comes from the same snapshot, whatever a counter still
    // writes to the file meanwhile.
    let src = src.transaction()?;
    refuse_unknown_tables(&src)?;

    let mut tx = client.transaction()?;
    tx.query(
        &super::conn::dollar_placeholders(super::postgres::TAKE_WRITE_LOCK),
        &[&super::postgres::WRITE_LOCK],
    )?;
    refuse_non_empty(&mut tx, &target)?;
    for t in MADE_WITH_SCHEMA {
        tx.execute(&format!("DELETE FROM {}", quote(t)), &[])?;
    }

    let mut plans = Vec::with_capacity(TABLES.len());
    for &table in TABLES {
        plans.push(plan(&src, &mut tx, table)?);
    }
    let mut copied = Vec::with_capacity(plans.len());
    for p in &plans {
        let c = copy_table(&src, &mut tx, p)?;
        progress(p.table, c.rows);
        copied.push(c);
    }
    reset_sequences(&mut tx)?;
    for (p, c) in plans.iter().zip(&copied) {
        let (rows, sha256) = target_digest(&mut tx, p)?;
        if rows != c.rows {
            return Err(storage(format!(
                "迁移核对不符：表 {} 源数据库 {} 行，目标数据库 {rows} 行。已回滚，目标数据库未写入数据。",
                p.table, c.rows
            )));
        }
        if sha256 != c.sha256 {
            return Err(storage(format!(
                "迁移核对不符：表 {} 的内容哈希不同（源数据库 {}，目标数据库 {sha256}）。已回滚，目标数据库未写入数据。",
                p.table, c.sha256
            )));
        }
    }
    tx.commit()?;
    src.commit()?;
    Ok(MigrationReport {
        source: source.display().to_string(),
        target,
        tables: copied,
        schema_version: target_version,
    })
}

fn storage(msg: String) -> Error {
    Error::Storage(StorageError::new(msg))
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A database that holds tables but no Bianmin schema belongs to something else: refused before
/// the schema is created in it.
fn refuse_foreign_tables(client: &mut Client, target: &str) -> Result<()> {
    let has_schema: bool = client
        .query_one("SELECT to_regclass('bianmin_schema') IS NOT NULL", &[])?
        .try_get(0)?;
    if has_schema {
        return Ok(());
    }
    let other: Option<String> = client
        .query_opt(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() ORDER BY table_name LIMIT 1",
            &[],
        )?
        .map(|r| r.try_get(0))
        .transpose()?;
    match other {
        Some(t) => Err(Error::invalid(
            "target",
            format!(
                "目标数据库“{target}”中已有其他数据表（如 {t}），不是空数据库。迁移只写入空数据库，未做任何改动。"
            ),
        )),
        None => Ok(()),
    }
}

/// Every table of the source must be one the copy knows, so that no data is left behind.
fn refuse_unknown_tables(src: &Connection) -> Result<()> {
    let mut st = src.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
         ORDER BY name",
    )?;
    let names: Vec<String> = st
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let unknown: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !TABLES.contains(n))
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(storage(format!(
            "源数据库中有本程序不认识的表（{}），为免遗漏数据，未迁移",
            unknown.join("、")
        )))
    }
}

/// Refuses a target in which any table holds a row; called under the write lock, so that no
/// counter writes between the check and the copy.
fn refuse_non_empty(tx: &mut Transaction<'_>, target: &str) -> Result<()> {
    let tables: Vec<String> = tx
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
               AND table_name <> $1",
            &[&PG_SCHEMA_TABLE],
        )?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<Vec<String>, _>>()?
        .into_iter()
        .filter(|t| !MADE_WITH_SCHEMA.contains(&t.as_str()))
        .collect();
    // In copy order, so that the message names the table a person would think of first.
    let mut ordered: Vec<&str> = TABLES
        .iter()
        .copied()
        .filter(|t| tables.iter().any(|x| x == t))
        .collect();
    ordered.extend(
        tables
            .iter()
            .map(String::as_str)
            .filter(|t| !TABLES.contains(t)),
    );
    for t in ordered {
        let any: bool = tx
            .query_one(&format!("SELECT EXISTS (SELECT 1 FROM {})", quote(t)), &[])?
            .try_get(0)?;
        if any {
            let n: i64 = tx
                .query_one(&format!("SELECT count(*) FROM {}", quote(t)), &[])?
                .try_get(0)?;
            return Err(Error::invalid(
                "target",
                format!(
                    "目标数据库“{target}”已有数据（表 {t} 有 {n} 行）。迁移只写入空数据库，未做任何改动。"
                ),
            ));
        }
    }
    Ok(())
}

/// How a column is written to PostgreSQL and rendered for the content hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Text,
    /// SQLite's 0/1 integer, PostgreSQL's BOOLEAN.
    Bool,
}

impl Kind {
    fn pg_type(self) -> Type {
        match self {
            Kind::Int => Type::INT8,
            Kind::Text => Type::TEXT,
            Kind::Bool => Type::BOOL,
        }
    }
}

/// One table's columns (by name, in SQLite's order, with PostgreSQL's type) and its primary key.
struct Plan {
    table: &'static str,
    columns: Vec<(String, Kind)>,
    primary_key: Vec<String>,
}

impl Plan {
    fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|(c, _)| quote(c))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Every row in primary key order; text keys sort byte by byte on both engines (SQLite's
    /// BINARY, the PostgreSQL schema's COLLATE "C").
    fn select(&self) -> String {
        let order = self
            .primary_key
            .iter()
            .map(|c| quote(c))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "SELECT {} FROM {} ORDER BY {order}",
            self.column_list(),
            quote(self.table)
        )
    }
}

/// Reads a table's columns from both schemas; they must have the same names.
fn plan(src: &Connection, tx: &mut Transaction<'_>, table: &'static str) -> Result<Plan> {
    let mut st = src.prepare("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid")?;
    let sqlite_columns: Vec<(String, i64)> = st
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let pg_columns: BTreeMap<String, String> = tx
        .query(
            "SELECT column_name::text, data_type::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1",
            &[&table],
        )?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_>>()?;
    let sqlite_names: BTreeSet<&str> = sqlite_columns.iter().map(|(c, _)| c.as_str()).collect();
    let pg_names: BTreeSet<&str> = pg_columns.keys().map(String::as_str).collect();
    if sqlite_columns.is_empty() || sqlite_names != pg_names {
        return Err(storage(format!(
            "表 {table} 的列在两个数据库中不一致（源数据库：{}；目标数据库：{}），未迁移",
            sqlite_names.into_iter().collect::<Vec<_>>().join("、"),
            pg_names.into_iter().collect::<Vec<_>>().join("、"),
        )));
    }
    let mut columns = Vec::with_capacity(sqlite_columns.len());
    for (name, _) in &sqlite_columns {
        let kind = match pg_columns[name].as_str() {
            "bigint" => Kind::Int,
            "text" => Kind::Text,
            "boolean" => Kind::Bool,
            other => {
                return Err(storage(format!(
                    "表 {table} 的列 {name} 在目标数据库中的类型 {other} 无法迁移"
                )))
            }
        };
        columns.push((name.clone(), kind));
    }
    let mut key: Vec<(i64, String)> = sqlite_columns
        .iter()
        .filter(|(_, pk)| *pk > 0)
        .map(|(c, pk)| (*pk, c.clone()))
        .collect();
    key.sort();
    if key.is_empty() {
        return Err(storage(format!("表 {table} 没有主键，无法核对，未迁移")));
    }
    Ok(Plan {
        table,
        columns,
        primary_key: key.into_iter().map(|(_, c)| c).collect(),
    })
}

/// One value, typed as the PostgreSQL column takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cell {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
}

impl Cell {
    fn as_sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            Cell::Int(v) => v,
            Cell::Text(v) => v,
            Cell::Bool(v) => v,
        }
    }

    /// A SQLite value for a column of `kind`; `Err` says why it does not fit.
    fn from_sqlite(v: ValueRef<'_>, kind: Kind) -> std::result::Result<Cell, String> {
        Ok(match (v, kind) {
            (ValueRef::Null, Kind::Int) => Cell::Int(None),
            (ValueRef::Null, Kind::Text) => Cell::Text(None),
            (ValueRef::Null, Kind::Bool) => Cell::Bool(None),
            (ValueRef::Integer(i), Kind::Int) => Cell::Int(Some(i)),
            (ValueRef::Integer(0), Kind::Bool) => Cell::Bool(Some(false)),
            (ValueRef::Integer(1), Kind::Bool) => Cell::Bool(Some(true)),
            (ValueRef::Integer(i), Kind::Bool) => return Err(format!("真假值列中有 {i}")),
            (ValueRef::Text(t), Kind::Text) => Cell::Text(Some(
                String::from_utf8(t.to_vec()).map_err(|_| "文字不是有效的 UTF-8".to_string())?,
            )),
            (ValueRef::Text(t), _) => {
                return Err(format!(
                    "整数列中有文字“{}”",
                    String::from_utf8_lossy(t)
                        .chars()
                        .take(40)
                        .collect::<String>()
                ))
            }
            (ValueRef::Integer(i), Kind::Text) => return Err(format!("文字列中有整数 {i}")),
            (ValueRef::Real(r), _) => return Err(format!("有小数 {r}")),
            (ValueRef::Blob(_), _) => return Err("有二进制数据".to_string()),
        })
    }

    fn from_pg(row: &postgres::Row, i: usize, kind: Kind) -> Result<Cell> {
        Ok(match kind {
            Kind::Int => Cell::Int(row.try_get(i)?),
            Kind::Text => Cell::Text(row.try_get(i)?),
            Kind::Bool => Cell::Bool(row.try_get(i)?),
        })
    }
}

/// SHA-256 over rows rendered the same way whichever engine they come from: each row a marker,
/// each value tagged with its type (NULL; integers and booleans as decimal 0/1; text) and
/// length-prefixed, so that no two different tables of rows render alike.
struct Digest256 {
    hasher: Sha256,
    rows: u64,
}

impl Digest256 {
    fn new() -> Self {
        Digest256 {
            hasher: Sha256::new(),
            rows: 0,
        }
    }

    fn row(&mut self, cells: &[Cell]) {
        self.rows += 1;
        self.hasher.update(b"R");
        for c in cells {
            let (tag, text): (&[u8], std::borrow::Cow<'_, str>) = match c {
                Cell::Int(None) | Cell::Text(None) | Cell::Bool(None) => (b"N", "".into()),
                Cell::Int(Some(i)) => (b"I", i.to_string().into()),
                Cell::Bool(Some(b)) => (b"I", if *b { "1" } else { "0" }.into()),
                Cell::Text(Some(t)) => (b"T", t.as_str().into()),
            };
            self.hasher.update(tag);
            self.hasher.update((text.len() as u64).to_le_bytes());
            self.hasher.update(text.as_bytes());
        }
    }

    fn finish(self) -> (u64, String) {
        let hex = self
            .hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        (self.rows, hex)
    }
}

/// Copies one table with COPY (binary), hashing each row as it is sent.
fn copy_table(src: &Connection, tx: &mut Transaction<'_>, p: &Plan) -> Result<TableCopy> {
    let types: Vec<Type> = p.columns.iter().map(|(_, k)| k.pg_type()).collect();
    let sink = tx.copy_in(&format!(
        "COPY {} ({}) FROM STDIN (FORMAT binary)",
        quote(p.table),
        p.column_list()
    ))?;
    let mut writer = BinaryCopyInWriter::new(sink, &types);
    let mut digest = Digest256::new();
    let mut st = src.prepare(&p.select())?;
    let mut rows = st.query([])?;
    let mut cells = Vec::with_capacity(p.columns.len());
    while let Some(r) = rows.next()? {
        cells.clear();
        for (i, (name, kind)) in p.columns.iter().enumerate() {
            let cell = Cell::from_sqlite(r.get_ref(i)?, *kind).map_err(|why| {
                storage(format!(
                    "表 {} 第 {} 行的列 {name} 无法写入目标数据库：{why}。未迁移",
                    p.table,
                    digest.rows + 1
                ))
            })?;
            cells.push(cell);
        }
        digest.row(&cells);
        let values: Vec<&(dyn ToSql + Sync)> = cells.iter().map(Cell::as_sql).collect();
        writer.write(&values)?;
    }
    let written = writer.finish()?;
    let (rows, sha256) = digest.finish();
    if written != rows {
        return Err(storage(format!(
            "迁移核对不符：表 {} 读出 {rows} 行，写入 {written} 行。已回滚，目标数据库未写入数据。",
            p.table
        )));
    }
    Ok(TableCopy {
        table: p.table.to_string(),
        rows,
        sha256,
    })
}

/// Reads a table back from the target, in the same order and rendering as the source.
fn target_digest(tx: &mut Transaction<'_>, p: &Plan) -> Result<(u64, String)> {
    let mut digest = Digest256::new();
    let mut rows = tx.query_raw(&p.select(), std::iter::empty::<&(dyn ToSql + Sync)>())?;
    let mut cells = Vec::with_capacity(p.columns.len());
    while let Some(r) = rows.next()? {
        cells.clear();
        for (i, (_, kind)) in p.columns.iter().enumerate() {
            cells.push(Cell::from_pg(&r, i, *kind)?);
        }
        digest.row(&cells);
    }
    Ok(digest.finish())
}

/// Moves every identity (or serial) sequence past the largest id copied, so that the next row
/// inserted without an id continues after it. (The audit log has no sequence: its ids are the
/// largest plus one, taken under the write lock.)
fn reset_sequences(tx: &mut Transaction<'_>) -> Result<()> {
    let columns: Vec<(String, String)> = tx
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema()
               AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')",
            &[],
        )?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_>>()?;
    for (table, column) in columns {
        tx.execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence($1, $2),
                               coalesce((SELECT max({c}) FROM {t}), 0) + 1, false)",
                c = quote(&column),
                t = quote(&table)
            ),
            &[&quote(&table), &column],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::suite::{intake, json, today, PgDb, NOW};
    use crate::store::{AnyStore, Store};

    fn sqlite_tables(conn: &Connection) -> BTreeSet<String> {
        conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
    }

    #[test]
    fn every_table_is_copied_after_the_tables_it_refers_to() {
        let store = SqliteStore::open_in_memory().unwrap();
        let conn = store.connection();
        let listed: BTreeSet<String> = TABLES.iter().map(|t| t.to_string()).collect();
        assert_eq!(listed.len(), TABLES.len(), "a table is listed twice");
        let in_schema = sqlite_tables(conn);
        let missing: Vec<_> = in_schema.difference(&listed).collect();
        assert!(
            missing.is_empty(),
            "tables of the SQLite schema missing from migrate::TABLES: {missing:?}"
        );
        let extra: Vec<_> = listed.difference(&in_schema).collect();
        assert!(extra.is_empty(), "not in the SQLite schema: {extra:?}");

        // The PostgreSQL schema has the same tables, besides its version table.
        let mut pg: BTreeSet<String> = BTreeSet::new();
        for (_, sql) in crate::store::postgres::PG_MIGRATIONS {
            // The text after each CREATE TABLE starts with the table's name.
            for (at, keyword) in sql.match_indices("CREATE TABLE ") {
                let part = &sql[at + keyword.len()..];
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                pg.insert(name);
            }
        }
        assert!(pg.remove(PG_SCHEMA_TABLE));
        assert_eq!(pg, listed, "PostgreSQL schema vs migrate::TABLES");

        for (k, table) in TABLES.iter().enumerate() {
            let parents: Vec<String> = conn
                .prepare("SELECT \"table\" FROM pragma_foreign_key_list(?1)")
                .unwrap()
                .query_map([table], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            for parent in parents {
                let at = TABLES.iter().position(|t| *t == parent);
                assert!(
                    at.is_some_and(|at| at < k),
                    "{table} refers to {parent}, which is not copied before it"
                );
            }
        }
    }

    #[test]
    fn the_canonical_rendering_tells_values_apart() {
        let hash = |rows: &[Vec<Cell>]| {
            let mut d = Digest256::new();
            for r in rows {
                d.row(r);
            }
            d.finish().1
        };
        let t = |s: &str| Cell::Text(Some(s.into()));
        let distinct = [
            hash(&[vec![t("ab"), t("c")]]),
            hash(&[vec![t("a"), t("bc")]]),
            hash(&[vec![t(""), t("abc")]]),
            hash(&[vec![Cell::Text(None), t("abc")]]),
            hash(&[vec![t("0"), t("abc")]]),
            hash(&[vec![Cell::Int(Some(0)), t("abc")]]),
            hash(&[vec![t("a")], vec![t("b")]]),
            hash(&[vec![t("b")], vec![t("a")]]),
            hash(&[vec![t("a"), t("b")]]),
        ];
        let set: BTreeSet<_> = distinct.iter().collect();
        assert_eq!(set.len(), distinct.len());
        // A boolean renders as SQLite's 0/1 integer.
        assert_eq!(
            hash(&[vec![Cell::Bool(Some(true))]]),
            hash(&[vec![Cell::Int(Some(1))]])
        );
        assert!(Cell::from_sqlite(ValueRef::Integer(2), Kind::Bool).is_err());
        assert!(Cell::from_sqlite(ValueRef::Text(b"x"), Kind::Int).is_err());
        assert!(Cell::from_sqlite(ValueRef::Real(1.5), Kind::Int).is_err());
    }

    #[test]
    fn a_missing_source_is_refused_before_the_server_is_touched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("none.db");
        // Without a test server: the file is checked before the address is even read.
        let r = to_postgres(&path, "postgres://u:pw@127.0.0.1:1/x", &mut |_, _| {});
        assert!(matches!(r, Err(Error::NoDatabase(_))), "{r:?}");
        assert!(!path.exists());
        let Some(db) = PgDb::new() else {
            return;
        };
        let r = to_postgres(&path, &db.url, &mut |_, _| {});
        assert!(matches!(r, Err(Error::NoDatabase(_))), "{r:?}");
        assert!(!path.exists());
        let mut c = db.config.connect(NoTls).unwrap();
        let tables: i64 = c
            .query_one(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(tables, 0, "something was created on the target");
    }

    /// Row counts of every table of the target.
    /// Rows per copied table, but for the ones the schema fills itself (an empty database
    /// already holds its own hall key).
    fn pg_counts(db: &PgDb) -> Vec<(String, i64)> {
        let mut c = db.config.connect(NoTls).unwrap();
        TABLES
            .iter()
            .filter(|t| !MADE_WITH_SCHEMA.contains(t))
            .map(|t| {
                let n: i64 = c
                    .query_one(&format!("SELECT count(*) FROM {t}"), &[])
                    .unwrap()
                    .get(0);
                (t.to_string(), n)
            })
            .collect()
    }

    fn print(town_id: crate::ids::TownId, form_no: &str) -> crate::request::record::PrintRecord {
        crate::request::record::PrintRecord {
            form_no: form_no.into(),
            kind: "receipt".into(),
            town_id,
            request_number: None,
            department: None,
            staff_no: Some("DF0013".into()),
            os_user: "clerk".into(),
            at: crate::date::stamp(NOW),
            copy: 0,
            route: "file".into(),
            pages: 1,
            bytes: 1234,
        }
    }

    /// `hall.db` in `dir`: the demo and one request taken in.
    fn hall_with_one_request(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("hall.db");
        let mut s = SqliteStore::open(&path).unwrap();
        crate::demo::load(&mut s, today()).unwrap();
        crate::request::new_request(&mut s, &intake(1), NOW).unwrap();
        path
    }

    /// The demo (with its accounts) and requests taken in and stepped, an account that failed a login, a printed
    /// form and an imported holiday year: a row in every table.
    fn sample(path: &Path) -> Vec<String> {
        use crate::request::{consult, new_request, step, NewRequest, Step};
        let mut s = SqliteStore::open(path).unwrap();
        crate::demo::load(&mut s, today()).unwrap();
        let numbers: Vec<String> = (0..6)
            .map(|k| new_request(&mut s, &intake(k), NOW).unwrap().view.number)
            .collect();
        new_request(
            &mut s,
            &NewRequest {
                materials: Some(vec![]),
                ..intake(20)
            },
            NOW,
        )
        .unwrap();
        consult(&mut s, "DF0013", "MZ-002", Some("张三"), NOW).unwrap();
        step(
            &mut s,
            &numbers[0],
            "DF0002",
            &Step::decide(true, "符合条件，同意。", Some(60_000)),
            NOW,
        )
        .unwrap();
        // Refused: only its audit entry is written.
        step(
            &mut s,
            &numbers[1],
            "DF0013",
            &Step::decide(true, "符合条件，同意。", Some(60_000)),
            NOW,
        )
        .unwrap_err();
        let at = |h: u32| today().and_hms_opt(h, 0, 0).unwrap();
        // The demo's accounts; one has failed a login.
        let user = crate::demo::DEMO_ACCOUNTS[0].username;
        crate::accounts::login(&mut s, user, "wrong", at(9)).unwrap_err();
        // A name no account has failed too; a setup code waits (as one a later `init` made).
        crate::accounts::login(&mut s, "nobody-here", "wrong", at(9)).unwrap_err();
        // A retention period is set (issue 17 point 2).
        s.write(|c| c.set_retention_period(Some(5), at(9))).unwrap();
        // A ticket called and finished, and a 差评 with its follow-up (issue 19), on a Monday.
        let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let open = |h: u32, m: u32| monday.and_hms_opt(h, m, 0).unwrap();
        crate::front::take(&mut s, Some("东风镇"), "民政窗口", None, open(9, 0)).unwrap();
        crate::front::call_next(&mut s, "DF0014", open(9, 5)).unwrap();
        crate::front::rate(&mut s, &numbers[2], 1, Some("态度不好"), None, open(9, 30)).unwrap();
        // A device of the hall and the hall's own follow-up period (issue 19).
        crate::front::device::open(
            &mut s,
            Some("东风镇"),
            "screen",
            None,
            "大屏",
            "admin",
            open(8, 0),
        )
        .unwrap();
        crate::front::set_followup_days(&mut s, Some("东风镇"), 10, open(8, 0)).unwrap();
        s.write(|c| c.set_setup_code(Some(&"ab".repeat(32)), at(9)))
            .unwrap();
        let town = s.read(|q| q.towns()).unwrap()[1].id;
        s.write(|c| c.add_print(&print(town, "SJ-1"))).unwrap();
        // A daily closing sheet (schema 27 widened the kinds on both engines).
        s.write(|c| {
            c.add_print(&crate::request::record::PrintRecord {
                kind: "closing".into(),
                ..print(town, "RJ-DF-20261128")
            })
        })
        .unwrap();
        let mut days = BTreeMap::new();
        days.insert(
            chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            (crate::calendar::DayKind::Holiday, "元旦".to_string()),
        );
        s.write(|c| {
            c.save_calendar_year(&crate::calendar::YearArrangement {
                year: 2027,
                source: "国办发明电〔2026〕1号".into(),
                days,
            })
        })
        .unwrap();
        numbers
    }

    /// What the front ends show, as JSON lines.
    fn view(s: &mut AnyStore, numbers: &[String]) -> Vec<String> {
        use crate::request::{list, search, show, ListKind};
        let mut out = vec![json(
            &crate::staffing::staffing_report(s, None, today()).unwrap(),
        )];
        let towns = s.read(|q| q.towns()).unwrap();
        for t in &towns {
            out.push(json(
                &crate::staffing::staffing_report(s, Some(&t.name), today()).unwrap(),
            ));
            for query in ["", "李四", "ls"] {
                out.push(json(&search(s, Some(&t.name), query, today()).unwrap()));
            }
        }
        for kind in [
            ListKind::Today,
            ListKind::Incomplete,
            ListKind::Forwarded,
            ListKind::All,
        ] {
            out.push(json(&list(s, None, kind, today()).unwrap()));
        }
        for n in numbers {
            out.push(json(&show(s, n, today()).unwrap()));
        }
        out.push(json(&crate::accounts::list_accounts(s).unwrap()));
        out.push(json(&s.read(|q| q.prints("SJ-1")).unwrap()));
        out.push(format!("{:?}", s.read(|q| q.calendar_years()).unwrap()));
        out
    }

    #[test]
    fn a_database_moves_whole_and_carries_on_where_it_left_off() {
        let Some(db) = PgDb::new() else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hall.db");
        let numbers = sample(&path);
        let file_before = std::fs::read(&path).unwrap();
        let mut seen = Vec::new();
        let report =
            to_postgres(&path, &db.url, &mut |t, n| seen.push((t.to_string(), n))).unwrap();
        // The source file is left as it was, byte for byte.
        assert!(
            std::fs::read(&path).unwrap() == file_before,
            "migrate-to changed the file"
        );
        assert_eq!(report.schema_version, crate::store::SCHEMA_VERSION);
        assert_eq!(report.source, path.display().to_string());
        let order: Vec<&str> = report.tables.iter().map(|t| t.table.as_str()).collect();
        assert_eq!(order, TABLES);
        let progress: Vec<(String, u64)> = report
            .tables
            .iter()
            .map(|t| (t.table.clone(), t.rows))
            .collect();
        assert_eq!(seen, progress);
        let empty: Vec<&str> = report
            .tables
            .iter()
            .filter(|t| t.rows == 0)
            .map(|t| t.table.as_str())
            .collect();
        assert!(
            empty.is_empty(),
            "the sample leaves tables empty: {empty:?}"
        );
        let counts: Vec<(String, i64)> = report
            .tables
            .iter()
            .filter(|t| !MADE_WITH_SCHEMA.contains(&t.table.as_str()))
            .map(|t| (t.table.clone(), t.rows as i64))
            .collect();
        assert_eq!(pg_counts(&db), counts);

        let mut sqlite = AnyStore::Sqlite(SqliteStore::open_existing(&path).unwrap());
        let mut pg = AnyStore::Postgres(Box::new(db.open()));
        // The hall's key moved with it: the receipts printed before still check on the server.
        let key = |s: &mut AnyStore| s.read(|q| q.hall_key()).unwrap();
        assert_eq!(key(&mut sqlite), key(&mut pg));
        let before = view(&mut sqlite, &numbers);
        assert_eq!(view(&mut pg, &numbers), before);
        let v = sqlite.verify_audit().unwrap();
        assert!(v.ok);
        assert_eq!(pg.verify_audit().unwrap(), v);

        // Both carry on alike: the next request number and ids, the next town, the next copy.
        let next = |s: &mut AnyStore| {
            let d = crate::request::new_request(s, &intake(30), NOW).unwrap();
            let town = s.write(|c| c.ensure_town("新建镇")).unwrap();
            let copy = s.write(|c| c.add_print(&print(town, "SJ-1"))).unwrap();
            let row = s.read(|q| q.request(&d.view.number)).unwrap().unwrap();
            (json(&d), d.view.number.clone(), row.id, town, copy)
        };
        let from_sqlite = next(&mut sqlite);
        let from_pg = next(&mut pg);
        assert_eq!(from_pg, from_sqlite);
        let number = from_pg.1;
        assert!(!numbers.contains(&number), "{number} given out again");
        let mut all = numbers.clone();
        all.push(number);
        assert_eq!(view(&mut pg, &all), view(&mut sqlite, &all));
        let v = sqlite.verify_audit().unwrap();
        assert!(v.ok);
        assert_eq!(pg.verify_audit().unwrap(), v);
    }

    #[test]
    fn a_target_with_data_is_refused_untouched() {
        let Some(db) = PgDb::new() else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let path = hall_with_one_request(dir.path());
        to_postgres(&path, &db.url, &mut |_, _| {}).unwrap();
        let counts = pg_counts(&db);
        let audit = db.open().verify_audit().unwrap();
        let mut called = false;
        let again = to_postgres(&path, &db.url, &mut |_, _| called = true);
        match again {
            Err(Error::Invalid {
                field: "target",
                message,
            }) => {
                assert!(message.contains("已有数据"), "{message}");
                assert!(message.contains("表 town 有 3 行"), "{message}");
            }
            other => panic!("not refused: {other:?}"),
        }
        assert!(!called);
        assert_eq!(pg_counts(&db), counts);
        assert_eq!(db.open().verify_audit().unwrap(), audit);
    }

    #[test]
    fn a_value_that_does_not_fit_rolls_the_whole_copy_back() {
        let Some(db) = PgDb::new() else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let path = hall_with_one_request(dir.path());
        // request_event.allowed has no CHECK in SQLite; 2 is no boolean.
        SqliteStore::open(&path)
            .unwrap()
            .connection()
            .execute("UPDATE request_event SET allowed = 2", [])
            .unwrap();
        let mut seen = Vec::new();
        let r = to_postgres(&path, &db.url, &mut |t, _| seen.push(t.to_string()));
        match r {
            Err(Error::Storage(e)) => {
                let e = e.to_string();
                assert!(e.contains("request_event") && e.contains("allowed"), "{e}");
            }
            other => panic!("copied: {other:?}"),
        }
        // The tables before it were copied, then rolled back with the rest.
        assert!(seen.contains(&"request".to_string()), "{seen:?}");
        assert!(pg_counts(&db).iter().all(|(_, n)| *n == 0));
    }

    /// The comparison, not the copy, is what stops a bad migration: a server that silently
    /// changes a value or drops a row as it is inserted (a trigger here) gets nothing committed.
    #[test]
    fn copies_that_differ_are_rolled_back_by_the_comparison() {
        let cases = [
            (
                "NEW.name := NEW.name || '乡'; RETURN NEW;",
                "表 town 的内容哈希不同",
            ),
            (
                "IF pg_trigger_depth() = 1 THEN
                     INSERT INTO town (id, name) VALUES (99, '多出镇') ON CONFLICT DO NOTHING;
                 END IF;
                 RETURN NEW;",
                "表 town 源数据库 3 行，目标数据库 4 行",
            ),
            // A row the server swallows is caught as it is written, before the comparison.
            (
                "IF NEW.name = '金华镇' THEN RETURN NULL; END IF; RETURN NEW;",
                "表 town 读出 3 行，写入 2 行",
            ),
        ];
        for (body, expected) in cases {
            let Some(db) = PgDb::new() else {
                return;
            };
            let dir = tempfile::tempdir().unwrap();
            let path = hall_with_one_request(dir.path());
            drop(db.open());
            let mut c = db.config.connect(NoTls).unwrap();
            c.batch_execute(&format!(
                "CREATE FUNCTION alter_town() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$;
                 CREATE TRIGGER alter_town BEFORE INSERT ON town FOR EACH ROW EXECUTE FUNCTION alter_town();"
            ))
            .unwrap();
            let mut seen = Vec::new();
            let r = to_postgres(&path, &db.url, &mut |t, _| seen.push(t.to_string()));
            match r {
                Err(Error::Storage(e)) => {
                    let e = e.to_string();
                    assert!(e.contains(expected), "{e}");
                    assert!(e.contains("已回滚，目标数据库未写入数据"), "{e}");
                }
                other => panic!("committed a copy that differs: {other:?}"),
            }
            if !expected.contains("写入") {
                // Every table was copied before the comparison stopped it.
                assert_eq!(seen.len(), TABLES.len(), "{seen:?}");
            }
            assert!(
                pg_counts(&db).iter().all(|(_, n)| *n == 0),
                "{:?}",
                pg_counts(&db)
            );
        }
    }

    #[test]
    fn a_database_of_something_else_is_refused_untouched() {
        let Some(db) = PgDb::new() else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hall.db");
        drop(SqliteStore::open(&path).unwrap());
        let mut c = db.config.connect(NoTls).unwrap();
        c.batch_execute("CREATE TABLE orders (id int)").unwrap();
        let r = to_postgres(&path, &db.url, &mut |_, _| {});
        assert!(
            matches!(&r, Err(Error::Invalid { field: "target", message }) if message.contains("orders")),
            "{r:?}"
        );
        let has_schema: bool = c
            .query_one("SELECT to_regclass('bianmin_schema') IS NOT NULL", &[])
            .unwrap()
            .get(0);
        assert!(
            !has_schema,
            "the schema was created in another program's database"
        );
    }
}
