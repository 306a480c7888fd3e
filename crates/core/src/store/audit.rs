//! The audit log's hash chain: each record's hash covers its fields and the previous record's
//! hash, so editing or removing any record breaks every link after it. SQLite triggers refuse
//! UPDATE and DELETE; the chain catches what goes around them (a file edited by hand). What a
//! chain inside the file cannot show is the removal of the newest records: compare the count and
//! last hash `audit verify` prints with a copy kept elsewhere (a backup) for that.

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
    /// The first record whose hash or link does not hold, and why.
    pub broken_at: Option<i64>,
    pub problem: Option<String>,
}

/// The walk along the chain, record by record in id order, whatever the engine.
pub(crate) struct Walk {
    prev: String,
    records: usize,
}

impl Walk {
    pub(crate) fn new() -> Self {
        Walk {
            prev: GENESIS.to_string(),
            records: 0,
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
        let broken = |problem: String| Verification {
            records: self.records,
            ok: false,
            broken_at: Some(id),
            problem: Some(problem),
        };
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
        self.prev = want;
        None
    }

    pub(crate) fn done(self) -> Verification {
        Verification {
            records: self.records,
            ok: true,
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
