//! Backup and restore through SQLite's online backup API, never a file copy: a backup taken while
//! counters write is a consistent snapshot, and a restore replaces the database's content page by
//! page under SQLite's own locks. A backup is one self-contained file (rollback journal, so it
//! opens from read-only media and leaves no `-wal`/`-shm` beside it), 0600, and its SHA-256 is
//! reported and audited. A restore refuses anything that is not a sound Bianmin database of this
//! version or older — exactly its version's schema (no extra trigger, view, table or index), an
//! audit chain that verifies, read with `trusted_schema` off — and then changes nothing. It says
//! which accounts differ before it applies. After a restore the request counters continue past
//! every number already issued (`store/numbers.rs`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, Progress};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use super::sqlite::{
    reference_schema, schema_of, SchemaEntry, SqliteConn, SqliteStore, SCHEMA_VERSION,
};
use crate::{Error, Result};

/// Pages copied per step; between steps other connections may write.
const PAGES_PER_STEP: std::ffi::c_int = 256;

/// What a backup or restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct BackupReport {
    pub file: String,
    pub pages: i64,
    pub bytes: u64,
    pub schema_version: i64,
    /// For a restore: where the database as it was before is kept (none when there was no
    /// database yet: a replacement PC).
    pub previous: Option<String>,
    /// SHA-256 of the backup file written, or of the file restored (hex).
    pub sha256: String,
    /// For a restore: the accounts that differ between the database replaced and the backup.
    pub accounts: Vec<AccountChange>,
}

/// An account that a restore adds, removes or changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct AccountChange {
    pub username: String,
    /// In Chinese: 将恢复（仅备份中有）, 将删除（仅当前有）, or what differs (角色, 密码, 停用, 工号).
    pub change: String,
}

/// SHA-256 of a file, hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut file = std::fs::File::open(path)
        .map_err(|e| Error::invalid("file", format!("无法读取“{}”：{e}", path.display())))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| Error::invalid("file", format!("无法读取“{}”：{e}", path.display())))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// A file opened to be checked or copied from: read-only, and with `trusted_schema` off, so that
/// nothing the file's schema names runs with this process's rights.
fn open_untrusted(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.pragma_update(None, "trusted_schema", false)?;
    Ok(conn)
}

/// How a file's schema differs from the exact schema of its version, in Chinese; empty when
/// it is exactly that.
fn schema_differences(have: &[SchemaEntry], want: &[SchemaEntry]) -> Vec<String> {
    let kind = |t: &str| match t {
        "table" => "表",
        "index" => "索引",
        "trigger" => "触发器",
        "view" => "视图",
        _ => "对象",
    };
    let mut out = Vec::new();
    for h in have {
        match want.iter().find(|w| w.0 == h.0 && w.1 == h.1) {
            None => out.push(format!("多了{} {}", kind(&h.0), h.1)),
            Some(w) if w != h => out.push(format!("{} {} 的定义被改动过", kind(&h.0), h.1)),
            Some(_) => {}
        }
    }
    for w in want {
        if !have.iter().any(|h| h.0 == w.0 && h.1 == w.1) {
            out.push(format!("缺少{} {}", kind(&w.0), w.1));
        }
    }
    out
}

const GB: u64 = 1024 * 1024 * 1024;

/// The largest file a restore opens. A town's database grows by tens of megabytes a year of
/// counter work; this is far beyond any real one and only keeps an absurd file from being
/// checked page by page.
pub const MAX_RESTORE_BYTES: u64 = 16 * GB;

/// The tables every Bianmin database has.
const BIANMIN_TABLES: [&str; 5] = ["town", "unit", "staff", "item", "request"];

fn copy(from: &Connection, to: &mut Connection, progress: &mut dyn FnMut(Progress)) -> Result<()> {
    let backup = Backup::new(from, to)?;
    backup.run_to_completion(PAGES_PER_STEP, Duration::from_millis(0), None)?;
    progress(backup.progress());
    Ok(())
}

/// Checks that `path` holds a sound Bianmin database this version can open; returns its schema
/// version. Opens it read-only, so nothing about it changes.
pub fn check_bianmin_file(field: &'static str, path: &Path) -> Result<i64> {
    let shown = path.display();
    let unreadable = |e: std::io::Error| Error::invalid(field, format!("无法读取“{shown}”：{e}"));
    // Only the size and the header are read before SQLite opens the file: an absurd file is
    // refused at once, whatever its size (issue 17, point 11).
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_RESTORE_BYTES {
        return Err(Error::invalid(
            field,
            format!(
                "文件过大：“{shown}”有 {} GB，便民的数据库文件最大 {} GB，这不是便民的备份",
                size / GB,
                MAX_RESTORE_BYTES / GB
            ),
        ));
    }
    let mut head = Vec::with_capacity(16);
    std::fs::File::open(path)
        .and_then(|f| std::io::Read::take(f, 16).read_to_end(&mut head))
        .map_err(unreadable)?;
    if !head.starts_with(b"SQLite format 3\0") {
        return Err(Error::invalid(
            field,
            format!("“{shown}”不是便民的数据库文件"),
        ));
    }
    // Whatever SQLite cannot read in it (a file cut short in copying) is the file's fault: bad
    // input naming the field, never SQLite's English and exit 1 (issue 16, defect 19).
    let damaged = |_: rusqlite::Error| {
        Error::invalid(
            field,
            format!("“{shown}”已损坏或不完整（可能在复制时被截断），不能恢复；请换一份备份"),
        )
    };
    let conn = open_untrusted(path).map_err(damaged)?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(damaged)?;
    if version > SCHEMA_VERSION {
        return Err(Error::invalid(
            field,
            format!("“{shown}”由更新版本的便民写入（结构版本 {version}，本程序最高支持 {SCHEMA_VERSION}），不能恢复；请先升级便民"),
        ));
    }
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .and_then(|mut st| {
            st.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(damaged)?;
    if version < 1
        || BIANMIN_TABLES
            .iter()
            .any(|t| !tables.iter().any(|n| n == t))
    {
        return Err(Error::invalid(
            field,
            format!("“{shown}”不是便民的数据库文件"),
        ));
    }
    let check: String = conn
        .pragma_query_value(None, "integrity_check", |r| r.get(0))
        .map_err(damaged)?;
    if check != "ok" {
        return Err(Error::invalid(
            field,
            format!("“{shown}”已损坏（完整性检查：{check}），不能恢复"),
        ));
    }
    // Exactly the schema its version has: an extra trigger (one deleting new audit records, one
    // copying ID numbers elsewhere), view or table is refused, never brought in.
    let differs = schema_differences(
        &schema_of(&conn).map_err(damaged)?,
        &reference_schema(version)?,
    );
    if !differs.is_empty() {
        let shown_list: Vec<&str> = differs.iter().take(5).map(String::as_str).collect();
        return Err(Error::invalid(
            field,
            format!(
                "“{shown}”的数据库结构与便民第 {version} 版的不符（{}{}），可能被改动过，不能恢复",
                shown_list.join("；"),
                if differs.len() > 5 { "等" } else { "" }
            ),
        ));
    }
    // Its audit log must verify as it is (records written since version 6 are chained).
    if version >= 6 {
        let v = super::sql::audit::verify(&SqliteConn(&conn, None, None), None).map_err(|_| {
            Error::invalid(field, format!("“{shown}”中的审计日志无法读取，不能恢复"))
        })?;
        if !v.ok {
            return Err(Error::invalid(
                field,
                format!(
                    "“{shown}”中的审计日志被改动过（{}），不能恢复",
                    v.problem.unwrap_or_default()
                ),
            ));
        }
    }
    Ok(version)
}

/// The accounts of a database, by user name: roles, password hash, disabled, staff number.
fn accounts_of(conn: &Connection) -> rusqlite::Result<Vec<(String, [String; 4])>> {
    let mut st = conn.prepare(
        "SELECT a.username, a.roles, a.password_hash, a.disabled, coalesce(s.no, '')
         FROM account a LEFT JOIN staff s ON s.id = a.staff_id ORDER BY a.username",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            [
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?.to_string(),
                r.get::<_, String>(4)?,
            ],
        ))
    })?;
    rows.collect()
}

/// The accounts that differ between the database now (`None`: no database yet) and a backup.
fn account_changes(now: Option<&Connection>, backup: &Connection) -> Result<Vec<AccountChange>> {
    let now = match now {
        Some(c) => accounts_of(c)?,
        None => Vec::new(),
    };
    let then = accounts_of(backup)?;
    let mut out = Vec::new();
    for (name, b) in &then {
        let change = match now.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            None => "将恢复（仅备份中有）".to_string(),
            Some((_, a)) => {
                let what: Vec<&str> = ["角色", "密码", "停用状态", "工号"]
                    .iter()
                    .zip(a.iter().zip(b))
                    .filter(|(_, (x, y))| x != y)
                    .map(|(w, _)| *w)
                    .collect();
                if what.is_empty() {
                    continue;
                }
                format!("{}不同", what.join("、"))
            }
        };
        out.push(AccountChange {
            username: name.clone(),
            change,
        });
    }
    for (name, _) in &now {
        if !then.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            out.push(AccountChange {
                username: name.clone(),
                change: "将删除（仅当前有）".into(),
            });
        }
    }
    Ok(out)
}

impl SqliteStore {
    /// Writes a consistent copy of the database to `dest`, which must not exist yet, and checks
    /// the copy.
    pub fn backup_to(&self, dest: &Path) -> Result<BackupReport> {
        if dest.exists() {
            return Err(Error::invalid(
                "file",
                format!("“{}”已存在；请换一个文件名，以免覆盖", dest.display()),
            ));
        }
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(Error::invalid(
                    "file",
                    format!("文件夹“{}”不存在", dir.display()),
                ));
            }
        }
        let cannot = |e: &dyn std::fmt::Display| {
            Error::invalid("file", format!("无法创建“{}”：{e}", dest.display()))
        };
        // 0600 before SQLite writes a page into it.
        crate::files::touch(dest).map_err(|e| cannot(&e))?;
        let mut pages = 0;
        let result = Connection::open(dest)
            .map_err(|e| cannot(&e))
            .and_then(|mut to| {
                copy(self.connection(), &mut to, &mut |p| {
                    pages = i64::from(p.pagecount)
                })?;
                // One self-contained file: rollback journal, not WAL (the copy took the
                // source's mode), so it opens from read-only media and leaves nothing beside it.
                let mode: String =
                    to.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
                debug_assert_eq!(mode, "delete");
                Ok(())
            });
        if let Err(e) = result {
            let _ = std::fs::remove_file(dest);
            return Err(e);
        }
        let schema_version = check_bianmin_file("file", dest)?;
        Ok(BackupReport {
            file: dest.display().to_string(),
            pages,
            bytes: std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0),
            schema_version,
            previous: None,
            sha256: sha256_file(dest)?,
            accounts: Vec::new(),
        })
    }
}

/// Where the database as it was before a restore is kept: `bianmin.db.before-restore-STAMP`,
/// with `-2`, `-3`, … when two restores fall in the same second.
fn kept_copy_name(db: &Path, stamp: &str) -> PathBuf {
    let base = crate::files::beside(db, &format!(".before-restore-{stamp}"));
    if !base.exists() {
        return base;
    }
    (2..)
        .map(|n| crate::files::beside(&base, &format!("-{n}")))
        .find(|p| !p.exists())
        .expect("an unused name")
}

/// Checks `src` as a restore would and says which accounts it would change, without changing
/// anything (`restore` reports the same list; the app shows it before asking).
pub fn preview(db: &Path, src: &Path) -> Result<Vec<AccountChange>> {
    checked(db, src).map(|(_, accounts)| accounts)
}

/// The checks of a restore: the backup's schema version and the accounts it changes.
fn checked(db: &Path, src: &Path) -> Result<(i64, Vec<AccountChange>)> {
    if !src.is_file() {
        return Err(Error::invalid(
            "file",
            format!("文件“{}”不存在", src.display()),
        ));
    }
    let version = check_bianmin_file("file", src)?;
    let from = open_untrusted(src)?;
    let now = if db.is_file() {
        Some(open_untrusted(db)?)
    } else {
        None
    };
    Ok((version, account_changes(now.as_ref(), &from)?))
}

/// Replaces the database at `db` by the backup in `src`, after checking it. The database as it
/// was is first backed up beside it (`bianmin.db.before-restore-YYYYMMDD-HHMMSS`). An older
/// backup is brought up to this version's schema as any older database is. Where no database
/// exists yet (a replacement PC), the backup becomes it.
pub fn restore(db: &Path, src: &Path, stamp: &str) -> Result<BackupReport> {
    let (version, accounts) = checked(db, src)?;
    let sha256 = sha256_file(src)?;
    let (current, mut marks, previous) = if db.is_file() {
        let current = SqliteStore::open_existing(db)?;
        // Numbers issued since the backup must not be issued again: the marks kept beside the
        // file and the counters of the database being replaced both outlive the restore.
        let marks = current.request_counters()?;
        let previous = kept_copy_name(db, stamp);
        current.backup_to(&previous)?;
        (current.into_connection(), marks, Some(previous))
    } else {
        if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::files::create_dir(dir).map_err(|e| {
                Error::invalid(
                    "db",
                    format!("无法创建数据库所在文件夹 {}：{e}", dir.display()),
                )
            })?;
        }
        crate::files::touch(db)
            .map_err(|e| Error::invalid("db", format!("无法创建“{}”：{e}", db.display())))?;
        (Connection::open(db)?, Vec::new(), None)
    };
    marks.extend(super::numbers::Marks::load(&super::numbers::file_beside(db))?.iter());
    let from = open_untrusted(src)?;
    let mut to = current;
    let mut pages = 0;
    copy(&from, &mut to, &mut |p| pages = i64::from(p.pagecount))?;
    drop(to);
    // Open once more: applies the pragmas (WAL again) and migrates an older backup.
    let mut store = SqliteStore::open_existing(db)?;
    store.lift_request_counters(&marks)?;
    let schema_version = store.schema_version()?;
    Ok(BackupReport {
        file: src.display().to_string(),
        pages,
        bytes: std::fs::metadata(src).map(|m| m.len()).unwrap_or(0),
        schema_version: schema_version.max(version),
        previous: previous.map(|p| p.display().to_string()),
        sha256,
        accounts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{count_rows, Store};
    use chrono::NaiveDate;

    fn demo(path: &Path) -> SqliteStore {
        let mut s = SqliteStore::open(path).unwrap();
        crate::demo::load(&mut s, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).unwrap();
        s
    }

    /// Issue 16, defect 19: a backup cut short in copying is bad input naming the file, in
    /// Chinese (never SQLite's English), and the database is left as it was.
    #[test]
    fn a_truncated_backup_is_refused_naming_the_file_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bianmin.db");
        let s = demo(&db);
        let copy = dir.path().join("备份.db");
        s.backup_to(&copy).unwrap();
        let staff = count_rows(&s, "staff");
        drop(s);
        let bytes = std::fs::read(&copy).unwrap();
        for keep in [bytes.len() / 2, 4096, 200] {
            let cut = dir.path().join(format!("cut-{keep}.db"));
            std::fs::write(&cut, &bytes[..keep]).unwrap();
            match restore(&db, &cut, "20261128-100000") {
                Err(Error::Invalid {
                    field: "file",
                    message,
                }) => {
                    assert!(
                        message.contains(&format!("cut-{keep}.db")),
                        "{keep}: {message}"
                    );
                    assert!(!message.is_ascii(), "{message}");
                }
                other => panic!("{keep}: {other:?}"),
            }
            let s = SqliteStore::open_existing(&db).unwrap();
            assert_eq!(count_rows(&s, "staff"), staff, "{keep}");
        }
    }

    /// Issue 17, point 3: a backup is one file, 0600, in rollback-journal mode (bytes 18 and 19
    /// of the header are 1, not WAL's 2), reading it leaves nothing beside it, and its SHA-256
    /// is the file's.
    #[test]
    fn a_backup_is_one_private_self_contained_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let s = demo(&dir.path().join("bianmin.db"));
        let copy = dir.path().join("backups").join("备份.db");
        std::fs::create_dir(copy.parent().unwrap()).unwrap();
        let r = s.backup_to(&copy).unwrap();
        let bytes = std::fs::read(&copy).unwrap();
        assert_eq!((bytes[18], bytes[19]), (1, 1), "rollback journal, not WAL");
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        check_bianmin_file("file", &copy).unwrap();
        let beside: Vec<String> = std::fs::read_dir(copy.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(beside, ["备份.db"]);
        use sha2::{Digest, Sha256};
        let sum: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(r.sha256, sum);
    }

    /// Issue 17, point 5: files a reviewer crafted from a real backup are refused, naming what
    /// is wrong, and the database is left as it was; a backdoor account (no schema change) is
    /// named among the accounts that differ before anything is applied.
    #[test]
    fn restore_refuses_a_crafted_file_and_names_a_backdoor_account() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bianmin.db");
        let s = demo(&db);
        let clean = dir.path().join("clean.db");
        s.backup_to(&clean).unwrap();
        drop(s);
        let before = std::fs::read(&db).unwrap();
        let crafted = |name: &str, sql: &str| {
            let path = dir.path().join(name);
            std::fs::copy(&clean, &path).unwrap();
            Connection::open(&path).unwrap().execute_batch(sql).unwrap();
            path
        };
        let cases = [
            (
                crafted("hide.db", "CREATE TRIGGER hide AFTER INSERT ON audit_log BEGIN DELETE FROM audit_log WHERE id = NEW.id; END;"),
                "多了触发器 hide",
            ),
            (
                crafted("leak.db", "CREATE TRIGGER leak AFTER INSERT ON request BEGIN UPDATE request SET remark = NEW.applicant_id WHERE id = NEW.id; END;"),
                "多了触发器 leak",
            ),
            (crafted("view.db", "CREATE VIEW ids AS SELECT applicant_id FROM request;"), "多了视图 ids"),
            (
                crafted("edited.db", "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET allowed = 0 WHERE id = 2;"),
                "缺少触发器 audit_log_no_update",
            ),
        ];
        for (file, says) in &cases {
            match restore(&db, file, "20261128-100000") {
                Err(Error::Invalid {
                    field: "file",
                    message,
                }) => {
                    assert!(message.contains(says), "{file:?}: {message}")
                }
                other => panic!("{file:?}: {other:?}"),
            }
            assert_eq!(
                std::fs::read(&db).unwrap(),
                before,
                "{file:?} changed the database"
            );
        }
        // The audit chain itself: a record edited and its trigger put back as it was.
        let kept: String = Connection::open(&clean)
            .unwrap()
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE name = 'audit_log_no_update'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let rewritten = crafted(
            "rewritten.db",
            &format!("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET allowed = 0 WHERE id = 2; {kept};"),
        );
        match restore(&db, &rewritten, "20261128-100000") {
            Err(Error::Invalid { message, .. }) => {
                assert!(message.contains("审计日志被改动过"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(std::fs::read(&db).unwrap(), before);

        // A backdoor administrator is no change of schema: it is named before it applies.
        let hash: String = Connection::open(&clean)
            .unwrap()
            .query_row("SELECT password_hash FROM account LIMIT 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        let backdoor = crafted(
            "backdoor.db",
            &format!("INSERT INTO account (username, display_name, roles, password_hash, created_at) VALUES ('houmen', '后门', '管理员', '{hash}', '2026-11-28 09:00:00');"),
        );
        let changes = preview(&db, &backdoor).unwrap();
        assert_eq!(
            changes,
            [AccountChange {
                username: "houmen".into(),
                change: "将恢复（仅备份中有）".into()
            }]
        );
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "a preview changes nothing"
        );
        assert!(preview(&db, &clean).unwrap().is_empty());
    }

    /// Issue 17, point 5: a replacement PC has no database yet; the backup becomes it. Two
    /// restores in the same second keep both earlier databases.
    #[test]
    fn restore_makes_a_missing_database_and_keeps_every_earlier_one() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bianmin.db");
        let s = demo(&db);
        let staff = count_rows(&s, "staff");
        let copy = dir.path().join("备份.db");
        s.backup_to(&copy).unwrap();
        drop(s);
        let fresh = dir.path().join("新电脑").join("bianmin.db");
        let r = restore(&fresh, &copy, "20261128-100000").unwrap();
        assert_eq!(r.previous, None);
        assert!(
            r.accounts.iter().all(|a| a.change.starts_with("将恢复")) && !r.accounts.is_empty()
        );
        let mut s = SqliteStore::open_existing(&fresh).unwrap();
        assert_eq!(count_rows(&s, "staff"), staff);
        assert!(s.verify_audit().unwrap().ok);
        drop(s);

        let first = restore(&db, &copy, "20261128-100000")
            .unwrap()
            .previous
            .unwrap();
        let second = restore(&db, &copy, "20261128-100000")
            .unwrap()
            .previous
            .unwrap();
        assert_ne!(first, second);
        assert!(
            second.ends_with(".before-restore-20261128-100000-2"),
            "{second}"
        );
        for kept in [&first, &second] {
            assert!(Path::new(kept).is_file());
        }
    }

    /// Issue 17, point 11: a file too large to be any town's database is refused by its size
    /// alone, before a byte of it is read, and the database is left as it was.
    #[test]
    fn an_absurdly_large_file_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bianmin.db");
        drop(demo(&db));
        let before = std::fs::read(&db).unwrap();
        let huge = dir.path().join("巨大.db");
        // A sparse file: no disk is used, and nothing but its size could be read in time.
        std::fs::File::create(&huge)
            .unwrap()
            .set_len(MAX_RESTORE_BYTES + 1)
            .unwrap();
        match restore(&db, &huge, "20261128-100000") {
            Err(Error::Invalid {
                field: "file",
                message,
            }) => {
                assert!(message.contains("文件过大"), "{message}");
                assert!(message.contains("巨大.db"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(std::fs::read(&db).unwrap(), before);
    }

    #[test]
    fn a_backup_restores_what_was_there() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bianmin.db");
        let mut s = demo(&db);
        let staff = count_rows(&s, "staff");
        let copy = dir.path().join("备份.db");
        let r = s.backup_to(&copy).unwrap();
        assert_eq!(r.schema_version, SCHEMA_VERSION);
        assert!(r.pages > 0);
        // A second backup to the same file is refused.
        assert!(matches!(
            s.backup_to(&copy),
            Err(Error::Invalid { field: "file", .. })
        ));
        // Change the database, then restore.
        s.write(|c| c.ensure_town("新建镇").map(|_| ())).unwrap();
        drop(s);
        let r = restore(&db, &copy, "20261128-100000").unwrap();
        let s = SqliteStore::open_existing(&db).unwrap();
        assert_eq!(count_rows(&s, "staff"), staff);
        let towns: i64 = s
            .connection()
            .query_row(
                "SELECT count(*) FROM town WHERE name = '新建镇'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(towns, 0);
        // The database as it was before the restore is kept.
        let before = SqliteStore::open_existing(Path::new(r.previous.as_deref().unwrap())).unwrap();
        let kept: i64 = before
            .connection()
            .query_row(
                "SELECT count(*) FROM town WHERE name = '新建镇'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, 1);
    }

    /// README: online backup, also while counters work. Another connection takes in requests
    /// throughout; the backup is a sound database holding a consistent moment: every request
    /// it holds has its timeline, and its audit chain verifies.
    #[test]
    fn a_backup_taken_while_a_counter_takes_in_is_whole_and_consistent() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bianmin.db");
        drop(demo(&db));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let counter = {
            let (db, stop) = (db.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut s = SqliteStore::open_existing(&db).unwrap();
                let at = NaiveDate::from_ymd_opt(2026, 11, 28)
                    .unwrap()
                    .and_hms_opt(10, 0, 0)
                    .unwrap();
                let mut k = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) || k < 20 {
                    crate::request::new_request(&mut s, &crate::store::suite::intake(k), at)
                        .unwrap();
                    k += 1;
                }
                k
            })
        };
        // Let the counter get going, then back up beside it, twice.
        let s = SqliteStore::open_existing(&db).unwrap();
        while count_rows(&s, "request") < 5 {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let mut held = Vec::new();
        for n in 0..2 {
            let copy = dir.path().join(format!("backup-{n}.db"));
            s.backup_to(&copy).unwrap();
            held.push(copy);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let taken = counter.join().unwrap();
        assert_eq!(count_rows(&s, "request") as usize, taken);
        for copy in held {
            let mut b = SqliteStore::open_existing(&copy).unwrap();
            let requests = count_rows(&b, "request");
            assert!(requests >= 5, "{requests}");
            let orphans: i64 = b
                .connection()
                .query_row(
                    "SELECT count(*) FROM request r WHERE NOT EXISTS
                     (SELECT 1 FROM request_event e WHERE e.request_id = r.id)",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(orphans, 0, "a request without its timeline: not one moment");
            assert!(b.verify_audit().unwrap().ok);
        }
    }

    #[test]
    fn restore_refuses_what_is_not_a_bianmin_database_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bianmin.db");
        drop(demo(&db));
        let before = std::fs::read(&db).unwrap();
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "不是数据库").unwrap();
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x); PRAGMA user_version = 3;")
            .unwrap();
        let newer = dir.path().join("newer.db");
        {
            let s = SqliteStore::open_existing(&db).unwrap();
            s.backup_to(&newer).unwrap();
        }
        Connection::open(&newer)
            .unwrap()
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        for (file, says) in [
            (&text, "不是便民"),
            (&other, "不是便民"),
            (&newer, "更新版本"),
            (&dir.path().join("none.db"), "不存在"),
        ] {
            match restore(&db, file, "x") {
                Err(Error::Invalid {
                    field: "file",
                    message,
                }) => assert!(message.contains(says), "{message}"),
                other => panic!("{file:?}: {other:?}"),
            }
        }
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "a refused restore changed the database"
        );
        assert!(!std::fs::read_dir(dir.path()).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("before-restore")));
    }
}
