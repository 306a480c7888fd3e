//! Backup and restore as the administrator asks for them, from the command line (`bianmin backup`,
//! `bianmin restore`) or from the app (系统管理 → 备份与恢复): one service, so that both refuse a
//! PostgreSQL server the same way and leave the same audit record.
//!
//! The copying itself is `store::backup` (SQLite's online backup API, the checks of a file to
//! restore, the database as it was kept beside). What this adds is who asked: the audit record
//! (`backup` or `restore`, the file in `detail`, the account's staff number when from the app,
//! the OS user always) and the refusal's wording for that front end.

use std::path::Path;

use chrono::NaiveDateTime;

use crate::accounts::{record_action, Account};
use crate::address::Database;
use crate::store::backup::{self, BackupReport};
use crate::store::{AnyStore, SqliteStore};
use crate::{Error, Result};

/// Who asks for a backup or a restore.
#[derive(Debug, Clone, Copy)]
pub enum Operator<'a> {
    /// `bianmin backup` / `bianmin restore`: the OS user at a terminal, trusted with the file.
    CommandLine,
    /// An administrator logged in to the app.
    App(&'a Account),
}

impl<'a> Operator<'a> {
    fn account(self) -> Option<&'a Account> {
        match self {
            Operator::CommandLine => None,
            Operator::App(a) => Some(a),
        }
    }

    /// The audit record's `basis`: where the action came from.
    fn basis(self, restore: bool) -> &'static str {
        match (self, restore) {
            (Operator::CommandLine, _) => "命令行",
            (Operator::App(_), false) => "应用内备份",
            (Operator::App(_), true) => "应用内恢复",
        }
    }

    /// The refusal when the database is a PostgreSQL server, which is backed up on the server;
    /// `what` (备份 or 恢复) names the command on the command line.
    pub fn on_server(self, what: &str) -> Error {
        match self {
            Operator::CommandLine => Error::invalid(
                "db",
                format!(
                    "{what}只适用于本机的 SQLite 数据库文件；PostgreSQL 数据库请在服务器上用 pg_dump 备份、pg_restore 恢复（见 README“多窗口部署”）。"
                ),
            ),
            Operator::App(_) => Error::invalid(
                "db",
                "本机连接的是 PostgreSQL 服务器，应用内备份与恢复只适用于本机数据库文件；请由管理员在服务器上用 pg_dump 备份、pg_restore 恢复。",
            ),
        }
    }
}

/// The SQLite file of `db`; a server is refused ([`Operator::on_server`]).
pub fn sqlite_file<'d>(db: &'d Database, by: Operator, what: &str) -> Result<&'d Path> {
    match db {
        Database::File(p) => Ok(p),
        Database::Server(_) => Err(by.on_server(what)),
    }
}

/// Writes a consistent copy of the open database to `dest` (which must not exist) and records
/// the backup in the audit log.
pub fn backup(
    store: &mut AnyStore,
    dest: &Path,
    by: Operator,
    at: NaiveDateTime,
) -> Result<BackupReport> {
    let AnyStore::Sqlite(file) = store else {
        return Err(by.on_server("备份"));
    };
    let report = file.backup_to(dest)?;
    record_action(
        store,
        "backup",
        by.account(),
        by.basis(false),
        &audited(&report),
        at,
    )?;
    Ok(report)
}

/// The audit record's detail: the file and its SHA-256, so that a backup found later can be
/// matched to the record of its making (issue 17).
fn audited(report: &BackupReport) -> String {
    format!("{}（SHA-256 {}）", report.file, report.sha256)
}

/// Replaces the SQLite database at `db` by the backup in `src` (checked first: a refused file
/// changes nothing), keeping the database as it was beside it, and records the restore in the
/// restored database's audit log. No connection of this process may be open on `db` meanwhile:
/// the app closes its store first and opens it again after.
pub fn restore(db: &Path, src: &Path, by: Operator, at: NaiveDateTime) -> Result<BackupReport> {
    let stamp = crate::date::file_stamp(at);
    let report = backup::restore(db, src, &stamp)?;
    let mut store = SqliteStore::open_existing(db)?;
    record_action(
        &mut store,
        "restore",
        by.account(),
        by.basis(true),
        &audited(&report),
        at,
    )?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use chrono::NaiveDate;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 28)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    /// The audit log's rows as "action|staff_no|basis|detail|at".
    fn audit_rows(db: &Path) -> Vec<String> {
        let s = SqliteStore::open_existing(db).unwrap();
        let rows = s.dump_table_for_tests("audit_log");
        rows.lines()
            .filter(|l| l.contains("backup") || l.contains("restore"))
            .map(str::to_string)
            .collect()
    }

    fn admin(store: &mut SqliteStore) -> Account {
        crate::demo::load(store, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).unwrap();
        crate::accounts::list_accounts(store)
            .unwrap()
            .into_iter()
            .find(|a| a.roles.contains(&crate::staff::Role::Admin))
            .expect("the demo has an administrator")
    }

    #[test]
    fn backup_and_restore_leave_one_audit_record_each_saying_who() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bianmin.db");
        let mut file = SqliteStore::open(&db).unwrap();
        let admin = admin(&mut file);
        let mut store = AnyStore::Sqlite(file);

        let from_app = dir.path().join("app.db");
        let r = backup(&mut store, &from_app, Operator::App(&admin), at(9, 0)).unwrap();
        assert_eq!(r.file, from_app.display().to_string());
        let from_cli = dir.path().join("cli.db");
        backup(&mut store, &from_cli, Operator::CommandLine, at(9, 5)).unwrap();
        // A file that exists is refused, and nothing is recorded.
        let e = backup(&mut store, &from_cli, Operator::CommandLine, at(9, 6)).unwrap_err();
        assert!(matches!(e, Error::Invalid { field: "file", .. }), "{e:?}");
        store
            .write(|c| c.ensure_town("新建镇").map(|_| ()))
            .unwrap();
        drop(store);

        let r = restore(&db, &from_cli, Operator::CommandLine, at(10, 0)).unwrap();
        assert!(r
            .previous
            .as_deref()
            .unwrap()
            .ends_with(".before-restore-20261128100000"));
        let mut s = SqliteStore::open_existing(&db).unwrap();
        assert!(!crate::staffing::town_names(&mut s)
            .unwrap()
            .contains(&"新建镇".to_string()));
        drop(s);
        restore(&db, &from_app, Operator::App(&admin), at(10, 30)).unwrap();

        // Each database holds the history of the file it came from, then the restore; the
        // database as it was before each restore is kept beside it, with its records.
        let staff_no = admin.staff_no.clone().unwrap_or_default();
        let check = |db: &Path, expect: &[(&str, &str, &str, &str)]| {
            let rows = audit_rows(db);
            assert_eq!(rows.len(), expect.len(), "{rows:#?}");
            for (row, (action, basis, time, file)) in rows.iter().zip(expect) {
                let words = [*action, *basis, *time, *file];
                assert!(
                    words.iter().all(|w| row.contains(w)),
                    "{row} lacks {words:?}"
                );
                let by_app = *basis != "命令行";
                assert_eq!(
                    row.contains(&format!("Text({staff_no:?})")),
                    by_app && !staff_no.is_empty(),
                    "{row}"
                );
            }
        };
        check(
            &db,
            &[("restore", "应用内恢复", "2026-11-28 10:30:00", "app.db")],
        );
        let previous = |db: &Path, stamp: &str| {
            let mut name = db.as_os_str().to_owned();
            name.push(format!(".before-restore-{stamp}"));
            std::path::PathBuf::from(name)
        };
        check(
            &previous(&db, "20261128103000"),
            &[
                ("backup", "应用内备份", "2026-11-28 09:00:00", "app.db"),
                ("restore", "命令行", "2026-11-28 10:00:00", "cli.db"),
            ],
        );
        check(
            &previous(&db, "20261128100000"),
            &[
                ("backup", "应用内备份", "2026-11-28 09:00:00", "app.db"),
                ("backup", "命令行", "2026-11-28 09:05:00", "cli.db"),
            ],
        );
    }

    fn take(store: &mut SqliteStore, k: usize) -> String {
        crate::request::new_request(store, &crate::store::suite::intake(k), at(9, k as u32))
            .unwrap()
            .view
            .number
    }

    /// Issue 22: take a request, back up, take two more, restore the backup, take one more:
    /// the last number is none of the three printed before.
    #[test]
    fn a_number_once_issued_is_never_issued_again_after_a_restore() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bianmin.db");
        let mut s = SqliteStore::open(&db).unwrap();
        admin(&mut s);
        let mut printed = vec![take(&mut s, 1)];
        let copy = dir.path().join("backup.db");
        backup(
            &mut AnyStore::Sqlite(s),
            &copy,
            Operator::CommandLine,
            at(9, 2),
        )
        .unwrap();
        let mut s = SqliteStore::open_existing(&db).unwrap();
        printed.push(take(&mut s, 3));
        printed.push(take(&mut s, 4));
        drop(s);
        restore(&db, &copy, Operator::CommandLine, at(9, 5)).unwrap();
        let mut s = SqliteStore::open_existing(&db).unwrap();
        let next = take(&mut s, 6);
        assert!(
            !printed.contains(&next),
            "{next} was already printed: {printed:?}"
        );
        // And it follows them: numbers keep their order.
        assert!(next > printed[2], "{next} after {printed:?}");
    }

    /// The mark beside the file is what remembers when the database itself cannot: here the
    /// database was replaced by the backup by hand before the restore was run.
    #[test]
    fn the_mark_beside_the_file_outlives_a_database_copied_over_by_hand() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bianmin.db");
        let mut s = SqliteStore::open(&db).unwrap();
        admin(&mut s);
        take(&mut s, 1);
        let copy = dir.path().join("backup.db");
        s.backup_to(&copy).unwrap();
        let printed = [take(&mut s, 3), take(&mut s, 4)];
        drop(s);
        for ext in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
        }
        std::fs::copy(&copy, &db).unwrap();
        restore(&db, &copy, Operator::CommandLine, at(9, 5)).unwrap();
        let mut s = SqliteStore::open_existing(&db).unwrap();
        let next = take(&mut s, 6);
        assert!(
            !printed.contains(&next) && next > printed[1],
            "{next} after {printed:?}"
        );
        // Without the mark the copied-over database would have given the second number again.
        drop(s);
        std::fs::remove_file(crate::store::numbers::file_beside(&db)).unwrap();
        std::fs::copy(&copy, &db).unwrap();
        for ext in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
        }
        let mut s = SqliteStore::open_existing(&db).unwrap();
        assert_eq!(take(&mut s, 7), printed[0]);
    }

    #[test]
    fn a_refused_restore_changes_nothing_and_records_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bianmin.db");
        let mut s = SqliteStore::open(&db).unwrap();
        admin(&mut s);
        drop(s);
        let before = audit_rows(&db);
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, b"not a database").unwrap();
        for src in [junk, dir.path().join("missing.db")] {
            let e = restore(&db, &src, Operator::CommandLine, at(11, 0)).unwrap_err();
            assert!(matches!(e, Error::Invalid { field: "file", .. }), "{e:?}");
        }
        assert_eq!(audit_rows(&db), before);
    }

    #[test]
    fn a_server_is_refused_in_each_front_end_s_words() {
        let server = Database::Server("postgres://hall:pw@10.0.0.5/bianmin".into());
        let cli = sqlite_file(&server, Operator::CommandLine, "恢复").unwrap_err();
        assert!(matches!(cli, Error::Invalid { field: "db", .. }));
        assert!(cli
            .to_string()
            .starts_with("恢复只适用于本机的 SQLite 数据库文件"));
        assert!(cli.to_string().contains("pg_dump"));
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(&dir.path().join("b.db")).unwrap();
        let admin = admin(&mut s);
        let app = sqlite_file(&server, Operator::App(&admin), "恢复").unwrap_err();
        assert!(app
            .to_string()
            .starts_with("本机连接的是 PostgreSQL 服务器"));
        let file = Database::File("/tmp/x.db".into());
        assert_eq!(
            sqlite_file(&file, Operator::CommandLine, "备份").unwrap(),
            Path::new("/tmp/x.db")
        );
    }
}
