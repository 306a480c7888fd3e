//! The audit log: appending a chained record, chaining an older database's records, walking
//! the chain. The hash itself and the walk's rules are in `store/audit.rs`.

use super::super::audit::{record_hash, Head, Verification, Walk, GENESIS};
use super::super::conn::{args, Conn, Row};
use crate::audit::AuditEntry;
use crate::Result;

const COLUMNS: &str = "id, at, os_user, staff_no, action, request_number, item_code, allowed, \
     basis, detail, prev_hash, hash";

/// How many records the walk reads at a time, so that a long log is never held whole.
const PAGE: i64 = 2000;

/// Appends one record, linked to the newest. Runs inside the write transaction, so no other
/// writer can take the same id or link. The id comes from `audit_high`, the highest id ever
/// issued, which only rises: records cut from the end leave a gap the walk finds.
pub(crate) fn add_audit(c: &dyn Conn, a: &AuditEntry) -> Result<()> {
    let id: i64 = c.value("SELECT last_id + 1 FROM audit_high", &[])?;
    c.execute("UPDATE audit_high SET last_id = ?1", args![id])?;
    let prev = last_hash(c)?;
    let hash = record_hash(&prev, id, a);
    c.execute(
        "INSERT INTO audit_log (id, at, os_user, staff_no, action, request_number, item_code,
            allowed, basis, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        args![
            id,
            &a.at,
            &a.os_user,
            &a.staff_no,
            &a.action,
            &a.request_number,
            &a.item_code,
            a.allowed,
            &a.basis,
            &a.detail,
            &prev,
            &hash
        ],
    )?;
    Ok(())
}

/// The hash of the newest record, or the genesis link.
fn last_hash(c: &dyn Conn) -> Result<String> {
    Ok(c.first(
        "SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1",
        &[],
        |r| r.get(0),
    )?
    .unwrap_or_else(|| GENESIS.to_string()))
}

type Record = (i64, AuditEntry, Option<String>, Option<String>);

fn record(r: &Row) -> Result<Record> {
    Ok((
        r.get(0)?,
        AuditEntry {
            at: r.get(1)?,
            os_user: r.get(2)?,
            staff_no: r.get(3)?,
            action: r.get(4)?,
            request_number: r.get(5)?,
            item_code: r.get(6)?,
            allowed: r.get(7)?,
            basis: r.get(8)?,
            detail: r.get(9)?,
        },
        r.get(10)?,
        r.get(11)?,
    ))
}

/// Chains the records that have no hash yet (those written before version 6), in id order.
pub(crate) fn chain_unhashed(c: &dyn Conn) -> Result<usize> {
    let rows = c.all(
        &format!("SELECT {COLUMNS} FROM audit_log WHERE hash IS NULL ORDER BY id"),
        &[],
        record,
    )?;
    let mut prev = last_hash(c)?;
    for (id, entry, _, _) in &rows {
        let hash = record_hash(&prev, *id, entry);
        c.execute(
            "UPDATE audit_log SET prev_hash = ?1, hash = ?2 WHERE id = ?3",
            args![&prev, &hash, *id],
        )?;
        prev = hash;
    }
    Ok(rows.len())
}

/// Walks the chain from the first record, a page at a time, inside the caller's snapshot.
/// With `expect`, the walk also fails when record `expect.id` is missing or hashes otherwise.
pub(crate) fn verify(c: &dyn Conn, expect: Option<&Head>) -> Result<Verification> {
    let mut walk = Walk::new(expect);
    let mut after = i64::MIN;
    loop {
        let page = c.all(
            &format!("SELECT {COLUMNS} FROM audit_log WHERE id > ?1 ORDER BY id LIMIT ?2"),
            args![after, PAGE],
            record,
        )?;
        let Some(last) = page.last() else {
            return Ok(walk.done());
        };
        after = last.0;
        for (id, entry, prev_hash, hash) in &page {
            if let Some(broken) = walk.next(*id, entry, prev_hash.as_deref(), hash.as_deref()) {
                return Ok(broken);
            }
        }
    }
}
