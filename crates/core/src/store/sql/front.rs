//! The hall's front (issue 19): tickets, ratings and their follow-ups.

use chrono::{NaiveDate, NaiveDateTime};

use super::super::conn::{args, Conn, Row};
use crate::front::record::{DeviceRow, FollowupRow, RatingRow, TicketRow, TicketState};
use crate::ids::{PostId, TownId};
use crate::Result;

const TICKET: &str = "SELECT id, town_id, day, post_id, number, priority, taken_at, rank, state,
    called_at, calls, staff_no, counter, finished_at, skipped_at, requests FROM ticket";

fn ticket(r: &Row<'_>) -> Result<TicketRow> {
    let state: String = r.get(8)?;
    let requests: String = r.get(15)?;
    Ok(TicketRow {
        id: r.get(0)?,
        town_id: TownId(r.get(1)?),
        day: r.get(2)?,
        post_id: PostId(r.get(3)?),
        number: r.get(4)?,
        priority: r.get(5)?,
        taken_at: r.get(6)?,
        rank: r.get(7)?,
        state: TicketState::parse(&state)
            .ok_or_else(|| super::super::conn::conversion(format!("ticket state {state:?}")))?,
        called_at: r.get(9)?,
        calls: r.get(10)?,
        staff_no: r.get(11)?,
        counter: r.get(12)?,
        finished_at: r.get(13)?,
        skipped_at: r.get(14)?,
        requests: requests
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    })
}

/// A town's tickets of the days from `from` to `to`, in the order they were taken.
pub(super) fn tickets(
    c: &dyn Conn,
    town: TownId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<TicketRow>> {
    c.all(
        &format!("{TICKET} WHERE town_id = ?1 AND day >= ?2 AND day <= ?3 ORDER BY id"),
        args![town.0, from, to],
        ticket,
    )
}

pub(super) fn add_ticket(c: &dyn Conn, t: &TicketRow) -> Result<i64> {
    c.value(
        "INSERT INTO ticket (town_id, day, post_id, number, priority, taken_at, rank, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        args![
            t.town_id.0,
            t.day,
            t.post_id.0,
            &t.number,
            &t.priority,
            t.taken_at,
            t.rank,
            t.state.key()
        ],
    )
}

/// Writes back what a call, a finish, a skip, a return or a transfer changed.
pub(super) fn save_ticket(c: &dyn Conn, t: &TicketRow) -> Result<()> {
    c.execute(
        "UPDATE ticket SET post_id = ?2, rank = ?3, state = ?4, called_at = ?5, calls = ?6,
            staff_no = ?7, counter = ?8, finished_at = ?9, skipped_at = ?10, requests = ?11
         WHERE id = ?1",
        args![
            t.id,
            t.post_id.0,
            t.rank,
            t.state.key(),
            t.called_at,
            t.calls,
            &t.staff_no,
            t.counter,
            t.finished_at,
            t.skipped_at,
            t.requests.join(",")
        ],
    )?;
    Ok(())
}

const RATING: &str = "SELECT r.id, r.town_id, r.request_number, r.ticket_id, r.staff_no, r.item,
    r.grade, r.reasons, r.comment, r.at, f.id, f.due, f.contacted_at, f.verified_at, f.fixed_at,
    f.closed_at, f.closed_by, f.result
    FROM rating r LEFT JOIN followup f ON f.rating_id = r.id";

fn rating(r: &Row<'_>) -> Result<RatingRow> {
    let reasons: String = r.get(7)?;
    let followup_id: Option<i64> = r.get(10)?;
    Ok(RatingRow {
        id: r.get(0)?,
        town_id: TownId(r.get(1)?),
        request_number: r.get(2)?,
        ticket_id: r.get(3)?,
        staff_no: r.get(4)?,
        item: r.get(5)?,
        grade: r.get(6)?,
        reasons: reasons
            .split('、')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        comment: r.get(8)?,
        at: r.get(9)?,
        followup: match followup_id {
            Some(id) => Some(FollowupRow {
                id,
                due: r.get(11)?,
                contacted_at: r.get(12)?,
                verified_at: r.get(13)?,
                fixed_at: r.get(14)?,
                closed_at: r.get(15)?,
                closed_by: r.get(16)?,
                result: r.get(17)?,
            }),
            None => None,
        },
    })
}

/// Ratings of a town (every town: `None`), newest first.
pub(super) fn ratings(c: &dyn Conn, town: Option<TownId>) -> Result<Vec<RatingRow>> {
    match town {
        Some(t) => c.all(
            &format!("{RATING} WHERE r.town_id = ?1 ORDER BY r.id DESC"),
            args![t.0],
            rating,
        ),
        None => c.all(&format!("{RATING} ORDER BY r.id DESC"), &[], rating),
    }
}

/// The rating of a request, or of a ticket.
pub(super) fn rating_of(
    c: &dyn Conn,
    request: Option<&str>,
    ticket: Option<i64>,
) -> Result<Option<RatingRow>> {
    c.first(
        &format!("{RATING} WHERE r.request_number = ?1 OR r.ticket_id = ?2"),
        args![request, ticket],
        rating,
    )
}

/// The rating a follow-up belongs to.
pub(super) fn rating_of_followup(c: &dyn Conn, followup: i64) -> Result<Option<RatingRow>> {
    c.first(
        &format!("{RATING} WHERE f.id = ?1"),
        args![followup],
        rating,
    )
}

pub(super) fn add_rating(c: &dyn Conn, r: &RatingRow) -> Result<i64> {
    c.value(
        "INSERT INTO rating (town_id, request_number, ticket_id, staff_no, item, grade, reasons,
            comment, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
        args![
            r.town_id.0,
            &r.request_number,
            &r.ticket_id,
            &r.staff_no,
            &r.item,
            r.grade,
            r.reasons.join("、"),
            &r.comment,
            r.at
        ],
    )
}

pub(super) fn add_followup(c: &dyn Conn, rating: i64, due: NaiveDate) -> Result<i64> {
    c.value(
        "INSERT INTO followup (rating_id, due) VALUES (?1, ?2) RETURNING id",
        args![rating, due],
    )
}

/// Records a step of a follow-up (`contacted`, `verified`, `fixed`) or its close.
pub(super) fn followup_step(
    c: &dyn Conn,
    id: i64,
    step: &str,
    at: NaiveDateTime,
    by: Option<&str>,
    result: Option<&str>,
) -> Result<()> {
    let column = match step {
        "contacted" => "contacted_at",
        "verified" => "verified_at",
        "fixed" => "fixed_at",
        _ => "closed_at",
    };
    c.execute(
        &format!(
            "UPDATE followup SET {column} = ?2,
                closed_by = COALESCE(?3, closed_by), result = COALESCE(?4, result)
             WHERE id = ?1"
        ),
        args![id, at, by, result],
    )?;
    Ok(())
}

const DEVICE: &str = "SELECT id, token_hash, town_id, kind, staff_no, label, opened_by, opened_at,
    closed_at FROM device";

fn device(r: &Row<'_>) -> Result<DeviceRow> {
    Ok(DeviceRow {
        id: r.get(0)?,
        token_hash: r.get(1)?,
        town_id: TownId(r.get(2)?),
        kind: r.get(3)?,
        staff_no: r.get(4)?,
        label: r.get(5)?,
        opened_by: r.get(6)?,
        opened_at: r.get(7)?,
        closed_at: r.get(8)?,
    })
}

/// Every device, the newest first.
pub(super) fn devices(c: &dyn Conn) -> Result<Vec<DeviceRow>> {
    c.all(&format!("{DEVICE} ORDER BY id DESC"), &[], device)
}

/// The device whose token hashes to `token_hash`.
pub(super) fn device_by_token(c: &dyn Conn, token_hash: &str) -> Result<Option<DeviceRow>> {
    c.first(
        &format!("{DEVICE} WHERE token_hash = ?1"),
        args![token_hash],
        device,
    )
}

pub(super) fn add_device(c: &dyn Conn, d: &DeviceRow) -> Result<i64> {
    c.value(
        "INSERT INTO device (token_hash, town_id, kind, staff_no, label, opened_by, opened_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        args![
            &d.token_hash,
            d.town_id.0,
            &d.kind,
            &d.staff_no,
            &d.label,
            &d.opened_by,
            d.opened_at
        ],
    )
}

/// Ends a device's session; whether it was open.
pub(super) fn close_device(c: &dyn Conn, id: i64, at: NaiveDateTime) -> Result<bool> {
    Ok(c.execute(
        "UPDATE device SET closed_at = ?2 WHERE id = ?1 AND closed_at IS NULL",
        args![id, at],
    )? > 0)
}

/// A town's follow-up period in working days, if the hall set one.
pub(super) fn followup_period(c: &dyn Conn, town: TownId) -> Result<Option<u32>> {
    let days: Option<i64> = c.first(
        "SELECT days FROM followup_period WHERE town_id = ?1",
        args![town.0],
        |r| r.get(0),
    )?;
    Ok(days.map(|d| d as u32))
}

pub(super) fn set_followup_period(
    c: &dyn Conn,
    town: TownId,
    days: u32,
    at: NaiveDateTime,
) -> Result<()> {
    c.execute(
        "INSERT INTO followup_period (town_id, days, set_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (town_id) DO UPDATE SET days = excluded.days, set_at = excluded.set_at",
        args![town.0, days as i64, at],
    )?;
    Ok(())
}
