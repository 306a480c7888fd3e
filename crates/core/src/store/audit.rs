//! The audit log's hash chain: each record's hash covers its fields and the previous record's
//! hash, so editing or removing any record breaks every link after it. Triggers refuse UPDATE and
//! DELETE, and every open checks they are there as written (`SqliteStore`/`PgStore`: a store
//! whose triggers are gone or changed refuses to write). Ids are never issued twice (the
//! `audit_high` mark only rises), so records cut from the middle or the end leave a gap in the
//! ids that the walk finds once a record follows. What a chain inside the file cannot show alone
//! is the newest records cut with nothing after them: the head `audit verify` prints (records
//! and the last hash) is kept outside the PC (the daily closing sheet, 日结单), and
//! `audit verify --expect N:HASH` fails when the log no longer extends it.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::AuditEntry;

/// The link before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of one record: SHA-256 over the previous hash and each field, length-prefixed so
/// that no two different records hash alike by shifting text between fields.
pub fn record_hash(prev: &str, id: i64, a: &AuditEntry) -> String {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    field(prev);
    field(&id.to_string());
    field(&a.at);
    field(&a.os_user);
    field(a.staff_no.as_deref().unwrap_or("\u{0}"));
    field(&a.action);
    field(a.request_number.as_deref().unwrap_or("\u{0}"));
    field(a.item_code.as_deref().unwrap_or("\u{0}"));
    field(if a.allowed { "1" } else { "0" });
    field(&a.basis);
    field(a.detail.as_deref().unwrap_or("\u{0}"));
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What `audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub records: usize,
    pub ok: bool,
    /// The hash of the newest record (none for an empty log): with `records`, the head a
    /// closing sheet carries away from the PC.
    pub head: Option<String>,
    /// The first record whose hash or link does not hold, and why.
    pub broken_at: Option<i64>,
    pub problem: Option<String>,
}

impl Verification {
    /// The log's triggers were found removed or changed: not intact, whatever the chain says.
    pub(crate) fn guard_broken(&mut self, problem: &str) {
        self.ok = false;
        let text = format!("审计日志的防篡改触发器不对：{problem}");
        self.problem = Some(match self.problem.take() {
            Some(p) => format!("{text}；{p}"),
            None => text,
        });
    }
}

/// A head kept outside the PC: record `id` had the hash `hash` (`audit verify --expect N:HASH`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub id: i64,
    pub hash: String,
}

impl Head {
    /// Reads `N:HASH` (N the record count a closing sheet printed, HASH its 64 hex digits).
    pub fn parse(text: &str) -> std::result::Result<Head, String> {
        let bad = || {
            format!("“{text}”不是“记录数:哈希”的形式（如 1234:9f86d0…，哈希为 64 位十六进制数）")
        };
        let (n, hash) = text.trim().split_once(':').ok_or_else(bad)?;
        let id: i64 = n.trim().parse().map_err(|_| bad())?;
        let hash = hash.trim().to_ascii_lowercase();
        if id < 1 || hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(Head { id, hash })
    }
}

/// The walk along the chain, record by record in id order, whatever the engine.
pub(crate) struct Walk<'a> {
    prev: String,
    records: usize,
    last_id: i64,
    expect: Option<&'a Head>,
}

impl<'a> Walk<'a> {
    pub(crate) fn new(expect: Option<&'a Head>) -> Self {
        Walk {
            prev: GENESIS.to_string(),
            records: 0,
            last_id: 0,
            expect,
        }
    }

    fn broken(&self, id: Option<i64>, problem: String) -> Verification {
        Verification {
            records: self.records,
            ok: false,
            head: None,
            broken_at: id,
            problem: Some(problem),
        }
    }

    /// Checks the next record; `Some` when the chain breaks there.
    pub(crate) fn next(
        &mut self,
        id: i64,
        entry: &AuditEntry,
        prev_hash: Option<&str>,
        hash: Option<&str>,
    ) -> Option<Verification> {
        self.records += 1;
        let broken = |problem: String| self.broken(Some(id), problem);
        // Ids are issued one after the other and never again: a gap is a cut.
        if id != self.last_id + 1 {
            let first = self.last_id + 1;
            let gone = if first + 1 >= id {
                format!("第 {first} 条")
            } else {
                format!("第 {first} 条到第 {} 条", id - 1)
            };
            return Some(broken(format!("{gone}记录不见了：记录被删去过")));
        }
        if prev_hash != Some(self.prev.as_str()) {
            return Some(broken(format!(
                "第 {id} 条记录与前一条记录接不上：其前面的记录被删除或改动过"
            )));
        }
        let want = record_hash(&self.prev, id, entry);
        if hash != Some(want.as_str()) {
            return Some(broken(format!(
                "第 {id} 条记录的内容与其哈希不符：该记录被改动过"
            )));
        }
        if let Some(head) = self.expect.filter(|h| h.id == id) {
            if head.hash != want {
                return Some(broken(format!(
                    "第 {id} 条记录的哈希与所核对的不同：日志在此之前被改写过"
                )));
            }
        }
        self.prev = want;
        self.last_id = id;
        None
    }

    pub(crate) fn done(self) -> Verification {
        if let Some(head) = self.expect.filter(|h| h.id > self.last_id) {
            return self.broken(
                None,
                format!(
                    "日志只到第 {} 条记录，而所核对的头是第 {} 条：此后的记录被删去了",
                    self.last_id, head.id
                ),
            );
        }
        Verification {
            records: self.records,
            ok: true,
            head: (self.records > 0).then_some(self.prev),
            broken_at: None,
            problem: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{SqliteStore, Store};
    use rusqlite::Connection;

    fn entry(action: &str) -> AuditEntry {
        AuditEntry {
            at: "2026-11-28 10:00:00".into(),
            os_user: "clerk".into(),
            staff_no: Some("DF0013".into()),
            action: action.into(),
            request_number: None,
            item_code: None,
            allowed: true,
            basis: "测试".into(),
            detail: None,
        }
    }

    fn store_with(n: usize) -> SqliteStore {
        let mut s = SqliteStore::open_in_memory().unwrap();
        for k in 0..n {
            s.write(|c| c.add_audit(&entry(&format!("act{k}"))))
                .unwrap();
        }
        s
    }

    #[test]
    fn a_sound_chain_verifies() {
        let mut s = store_with(5);
        let v = s.verify_audit().unwrap();
        assert_eq!((v.records, v.ok), (5, true));
    }

    #[test]
    fn updates_and_deletes_are_refused() {
        let mut s = store_with(2);
        let c = s.connection();
        assert!(c
            .execute("UPDATE audit_log SET basis = 'x' WHERE id = 1", [])
            .is_err());
        assert!(c.execute("DELETE FROM audit_log WHERE id = 1", []).is_err());
        assert!(s.verify_audit().unwrap().ok);
    }

    #[test]
    fn an_edited_or_missing_record_is_found() {
        let mut s = store_with(4);
        let c = s.connection();
        // Whoever edits the file by hand can drop the triggers; the chain still tells.
        c.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
            .unwrap();
        c.execute("UPDATE audit_log SET allowed = 0 WHERE id = 2", [])
            .unwrap();
        let v = s.verify_audit().unwrap();
        assert_eq!((v.ok, v.broken_at), (false, Some(2)), "{v:?}");
        assert!(v.problem.unwrap().contains("改动"));

        let mut s = store_with(4);
        let c = s.connection();
        c.execute_batch("DROP TRIGGER audit_log_no_delete;")
            .unwrap();
        c.execute("DELETE FROM audit_log WHERE id = 3", []).unwrap();
        let v = s.verify_audit().unwrap();
        assert_eq!((v.ok, v.broken_at), (false, Some(4)), "{v:?}");
    }

    /// The triggers as the migration wrote them, to put back after a tamperer's edit.
    fn triggers(c: &Connection) -> String {
        let mut st = c
            .prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN ('audit_log', 'audit_high')")
            .unwrap();
        let rows = st.query_map([], |r| r.get::<_, String>(0)).unwrap();
        rows.map(|r| r.unwrap() + ";")
            .collect::<Vec<_>>()
            .join("\n")
    }

    const DROP_ALL: &str = "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;
        DROP TRIGGER audit_high_only_rises; DROP TRIGGER audit_high_no_delete;";

    fn file_with(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
        let path = dir.join("audit.db");
        let mut s = SqliteStore::open(&path).unwrap();
        for k in 0..n {
            s.write(|c| c.add_audit(&entry(&format!("act{k}"))))
                .unwrap();
        }
        path
    }

    /// Issue 17, point 4: a dropped, changed or added trigger is found at the next open; the
    /// store then writes nothing and `audit verify` says why.
    #[test]
    fn a_store_whose_audit_triggers_were_tampered_with_refuses_to_write() {
        let tamper = [
            ("DROP TRIGGER audit_log_no_delete", "audit_log_no_delete 不见了"),
            (
                "DROP TRIGGER audit_log_no_update; CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT 1; END",
                "audit_log_no_update 被改动过",
            ),
            (
                "CREATE TRIGGER hide AFTER INSERT ON audit_log BEGIN DELETE FROM audit_log WHERE id = NEW.id; END",
                "多了触发器 hide",
            ),
            ("DROP TRIGGER audit_high_only_rises", "audit_high_only_rises 不见了"),
        ];
        for (sql, says) in tamper {
            let dir = tempfile::tempdir().unwrap();
            let path = file_with(dir.path(), 3);
            Connection::open(&path).unwrap().execute_batch(sql).unwrap();
            let before = std::fs::read(&path).unwrap();
            let mut s = SqliteStore::open_existing(&path).unwrap();
            let e = s.write(|c| c.add_audit(&entry("after"))).unwrap_err();
            assert!(
                matches!(&e, crate::Error::AuditUnguarded(p) if p.contains(says)),
                "{sql}: {e:?}"
            );
            let v = s.verify_audit().unwrap();
            assert!(
                !v.ok && v.problem.as_deref().unwrap().contains(says),
                "{v:?}"
            );
            drop(s);
            assert_eq!(
                std::fs::read(&path).unwrap(),
                before,
                "{sql}: nothing written"
            );
        }
        // Untouched, the same file writes.
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open_existing(&file_with(dir.path(), 3)).unwrap();
        s.write(|c| c.add_audit(&entry("after"))).unwrap();
        assert_eq!(s.verify_audit().unwrap().records, 4);
    }

    /// Issue 17, point 4: the newest records cut (triggers put back exactly as they were) or the
    /// log rewritten and hashed again both pass a walk of the file alone; the head kept outside
    /// the PC catches both, and the ids a cut freed are never issued again.
    #[test]
    fn a_cut_or_rehashed_log_fails_against_the_head_kept_outside() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_with(dir.path(), 6);
        let mut s = SqliteStore::open_existing(&path).unwrap();
        let v = s.verify_audit().unwrap();
        assert_eq!((v.records, v.ok), (6, true));
        let head = Head {
            id: 6,
            hash: v.head.clone().unwrap(),
        };
        assert!(s.verify_audit_against(Some(&head)).unwrap().ok);
        drop(s);

        // Cut records 5 and 6, then put the triggers back as they were.
        let c = Connection::open(&path).unwrap();
        let kept = triggers(&c);
        c.execute_batch(&format!("{DROP_ALL} DELETE FROM audit_log WHERE id > 4;"))
            .unwrap();
        c.execute_batch(&kept).unwrap();
        drop(c);
        let mut s = SqliteStore::open_existing(&path).unwrap();
        assert!(s.verify_audit().unwrap().ok, "the file alone cannot tell");
        let v = s.verify_audit_against(Some(&head)).unwrap();
        assert!(
            !v.ok && v.problem.as_deref().unwrap().contains("只到第 4 条"),
            "{v:?}"
        );
        // The next record takes id 7, not 5: the gap shows without any head.
        s.write(|c| c.add_audit(&entry("later"))).unwrap();
        let v = s.verify_audit().unwrap();
        assert_eq!((v.ok, v.broken_at), (false, Some(7)), "{v:?}");
        assert!(v.problem.unwrap().contains("第 5 条到第 6 条记录不见了"));

        // Rewritten: record 2 edited and every hash after it computed again.
        let dir = tempfile::tempdir().unwrap();
        let path = file_with(dir.path(), 4);
        let mut s = SqliteStore::open_existing(&path).unwrap();
        let head = Head {
            id: 4,
            hash: s.verify_audit().unwrap().head.unwrap(),
        };
        drop(s);
        let c = Connection::open(&path).unwrap();
        let kept = triggers(&c);
        c.execute_batch(DROP_ALL).unwrap();
        let mut prev: String = c
            .query_row("SELECT hash FROM audit_log WHERE id = 1", [], |r| r.get(0))
            .unwrap();
        for id in 2..=4i64 {
            let mut e = entry(&format!("act{}", id - 1));
            if id == 2 {
                e.allowed = false;
            }
            let hash = record_hash(&prev, id, &e);
            c.execute(
                "UPDATE audit_log SET allowed = ?1, prev_hash = ?2, hash = ?3 WHERE id = ?4",
                rusqlite::params![e.allowed, prev, hash, id],
            )
            .unwrap();
            prev = hash;
        }
        c.execute_batch(&kept).unwrap();
        drop(c);
        let mut s = SqliteStore::open_existing(&path).unwrap();
        assert!(s.verify_audit().unwrap().ok, "the file alone cannot tell");
        let v = s.verify_audit_against(Some(&head)).unwrap();
        assert_eq!((v.ok, v.broken_at), (false, Some(4)), "{v:?}");
    }

    #[test]
    fn a_head_is_read_as_count_and_hash_or_refused() {
        let hash = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
        assert_eq!(
            Head::parse(&format!("12:{hash}")),
            Ok(Head {
                id: 12,
                hash: hash.to_ascii_lowercase()
            })
        );
        for bad in [
            "",
            "12",
            "0:abc",
            &format!("x:{hash}"),
            &format!("12:{}", &hash[1..]),
            &format!("-1:{hash}"),
        ] {
            assert!(Head::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn records_of_an_older_database_are_chained_on_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            // Version 5: no chain columns yet.
            for m in &crate::store::sqlite::MIGRATIONS[..5] {
                conn.execute_batch(m).unwrap();
            }
            conn.pragma_update(None, "user_version", 5).unwrap();
            conn.execute(
                "INSERT INTO audit_log (at, os_user, action, allowed, basis) VALUES ('2026-01-01 09:00:00', 'u', 'old', 1, '旧记录')",
                [],
            )
            .unwrap();
        }
        let mut s = SqliteStore::open(&path).unwrap();
        let v = s.verify_audit().unwrap();
        assert_eq!((v.records, v.ok), (1, true));
    }
}
