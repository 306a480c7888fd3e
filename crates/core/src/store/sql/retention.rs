//! Retention of residents' numbers (issue 17 point 2): the period the administrator set, the
//! ended requests it makes due, and the masked numbers written over them.

use chrono::{NaiveDate, NaiveDateTime};

use super::super::conn::{args, Conn};
use super::DATETIME;
use crate::ids::RequestId;
use crate::request::record::{RetainedNumbers, RetentionDue};
use crate::Result;

/// The states in which a request has ended.
const ENDED: &str = "('completed', 'refused', 'withdrawn')";

/// The period in years and when it was set, or `None` while none is set.
pub(super) fn period(c: &dyn Conn) -> Result<Option<(u32, NaiveDateTime)>> {
    c.first("SELECT years, set_at FROM retention", &[], |r| {
        let years: i64 = r.get(0)?;
        let at: String = r.get(1)?;
        Ok((u32::try_from(years).unwrap_or(0), super::datetime(&at)?))
    })
}

pub(super) fn set_period(c: &dyn Conn, years: Option<u32>, at: NaiveDateTime) -> Result<()> {
    match years {
        Some(y) => c.execute(
            "INSERT INTO retention (one, years, set_at) VALUES (1, ?1, ?2)
             ON CONFLICT (one) DO UPDATE SET years = excluded.years, set_at = excluded.set_at",
            args![i64::from(y), at.format(DATETIME).to_string()],
        )?,
        None => c.execute("DELETE FROM retention", &[])?,
    };
    Ok(())
}

/// Ended requests closed on or before `cutoff` whose numbers are still held, in id order after
/// `after`, at most `limit`.
pub(super) fn due(
    c: &dyn Conn,
    cutoff: NaiveDate,
    after: RequestId,
    limit: usize,
) -> Result<Vec<RetentionDue>> {
    c.all(
        &format!(
            "SELECT id, number, closed_on, applicant_kind, applicant_id, phone, agent_id
             FROM request
             WHERE id > ?1 AND retained_on IS NULL AND state IN {ENDED}
               AND closed_on IS NOT NULL AND closed_on <= ?2
               AND (applicant_id IS NOT NULL OR phone IS NOT NULL OR agent_id IS NOT NULL)
             ORDER BY id LIMIT ?3"
        ),
        args![after, cutoff, i64::try_from(limit).unwrap_or(i64::MAX)],
        |r| {
            Ok(RetentionDue {
                id: r.get(0)?,
                number: r.get(1)?,
                closed_on: r.get(2)?,
                applicant_kind: r.get(3)?,
                applicant_id: r.get(4)?,
                phone: r.get(5)?,
                agent_id: r.get(6)?,
            })
        },
    )
}

/// How many requests are retained already.
pub(super) fn retained_count(c: &dyn Conn) -> Result<i64> {
    c.value(
        "SELECT count(*) FROM request WHERE retained_on IS NOT NULL",
        &[],
    )
}

/// Whether any request is retained (through the partial index on `id_key`).
pub(super) fn any_keyed(c: &dyn Conn) -> Result<bool> {
    let found: Option<i64> = c.first(
        "SELECT 1 FROM request WHERE id_key IS NOT NULL LIMIT 1",
        &[],
        |r| r.get(0),
    )?;
    Ok(found.is_some())
}

/// Writes the masked numbers over one request, if it is not retained yet; whether it was.
pub(super) fn retain(c: &dyn Conn, n: &RetainedNumbers) -> Result<bool> {
    let changed = c.execute(
        "UPDATE request SET applicant_id = ?2, id_last6 = NULL, phone = ?3, agent_id = ?4,
            id_key = ?5, retained_on = ?6
         WHERE id = ?1 AND retained_on IS NULL",
        args![
            n.id,
            n.applicant_id.as_deref(),
            n.phone.as_deref(),
            n.agent_id.as_deref(),
            n.id_key.as_deref(),
            n.on
        ],
    )?;
    Ok(changed == 1)
}
