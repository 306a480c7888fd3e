//! Service requests: numbers, rows, received materials, timelines, searches and arrivals.

use crate::ids::{RequestId, TownId};
use std::sync::LazyLock;

use chrono::NaiveDate;

use super::super::conn::{args, conversion, Cell, Conn, Param, Row};
use super::catalog;
use crate::catalog::Mode;
use crate::identity::{mask, Applicant, Mobile};
use crate::request::record::{
    name_parts, EventRow, RequestQuery, RequestRow, Retained, NAME_PART_MAX,
};
use crate::request::State;
use crate::{Error, Result};

const REQUEST_COLUMNS: &str = "r.id, r.town_id, r.number, i.code, r.state, r.applicant_name, \
     r.name_initials, r.applicant_kind, r.applicant_id, r.phone, r.remark, r.clerk_id, s.name, \
     r.created_at, r.created_on, r.accepted_on, r.due, r.calendar_complete, r.forwarded_to, \
     r.forwarded_on, r.department_due, r.result, r.reason, r.alternative, r.closed_on, \
     r.picked_up_on, r.opinion, r.amount_fen, r.mode, r.extended_days, r.extension_reason, \
     r.suspended_on, r.suspension_reason, r.suspension_days, r.suspended_days, r.overdue_reason, \
     r.agent_name, r.agent_id, r.agent_relation, r.department_accepted_on, r.pledged, r.pledge_due, \
     r.pledge_checked_on, r.pledge_truthful, r.retained_on, r.answered_on";

const REQUEST_JOINS: &str = "JOIN item i ON i.id = r.item_id JOIN staff s ON s.id = r.clerk_id";

/// The character just above every character a request number holds, so that `number >= p AND
/// number < p || NEXT` is a prefix match the unique index on number serves.
const AFTER_NUMBER_CHARS: char = '\u{7f}';

pub(super) fn request(c: &dyn Conn, number: &str) -> Result<Option<RequestRow>> {
    let found = c.first(
        &format!("SELECT {REQUEST_COLUMNS} FROM request r {REQUEST_JOINS} WHERE r.number = ?1"),
        args![number],
        request_row,
    )?;
    match found {
        Some(mut row) => {
            row.received = received_of(c, row.id)?;
            Ok(Some(row))
        }
        None => Ok(None),
    }
}

pub(super) fn request_events(c: &dyn Conn, request_id: RequestId) -> Result<Vec<EventRow>> {
    c.all(
        "SELECT e.at, e.step, e.staff_id, s.no, s.name, e.allowed, e.basis, e.note
         FROM request_event e JOIN staff s ON s.id = e.staff_id
         WHERE e.request_id = ?1 ORDER BY e.id",
        args![request_id],
        |r| {
            Ok(EventRow {
                at: r.get(0)?,
                step: r.get(1)?,
                staff_id: r.get(2)?,
                staff_no: r.get(3)?,
                staff_name: r.get(4)?,
                allowed: r.get(5)?,
                basis: r.get(6)?,
                note: r.get(7)?,
                idem_key: None,
            })
        },
    )
}

/// How many requests' materials one query reads (a page of the counter's lists and searches
/// is at most 50): `request_id IN (?1, …, ?50)`, the unused places given an id no request has.
const MATERIALS_AT_ONCE: usize = 50;

static RECEIVED_OF_PAGE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT request_id, seq FROM request_material
         WHERE received AND request_id IN ({}) ORDER BY request_id, seq",
        super::placeholders(1, MATERIALS_AT_ONCE)
    )
});

/// Fills in the received materials of a page of requests, `MATERIALS_AT_ONCE` requests per
/// query rather than one query per request.
fn fill_received(c: &dyn Conn, rows: &mut [RequestRow]) -> Result<()> {
    if rows.is_empty() {
        return Ok(()); // no round trip for nothing on PostgreSQL
    }
    let at: std::collections::HashMap<RequestId, usize> =
        rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let ids: Vec<RequestId> = rows.iter().map(|r| r.id).collect();
    for chunk in ids.chunks(MATERIALS_AT_ONCE) {
        let params: Vec<Param<'_>> = (0..MATERIALS_AT_ONCE)
            .map(|k| Param::from(chunk.get(k).copied().unwrap_or(RequestId(0))))
            .collect();
        let found: Vec<(RequestId, u16)> =
            c.all(&RECEIVED_OF_PAGE, &params, |r| Ok((r.get(0)?, r.get(1)?)))?;
        for (id, seq) in found {
            if let Some(&i) = at.get(&id) {
                rows[i].received.push(seq);
            }
        }
    }
    Ok(())
}

pub(super) fn requests(
    c: &dyn Conn,
    town_id: TownId,
    query: &RequestQuery,
    limit: usize,
) -> Result<Vec<RequestRow>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    // Every query: the town as ?1, its values as ?2…, the limit last.
    let fetch = |from: &str,
                 condition: &str,
                 order: &str,
                 values: &[Param<'_>]|
     -> Result<Vec<RequestRow>> {
        let limit_at = values.len() + 2;
        let mut params = Vec::with_capacity(values.len() + 2);
        params.push(Param::from(town_id));
        params.extend_from_slice(values);
        params.push(Param::Int(limit));
        c.all(
            &format!(
                "SELECT {REQUEST_COLUMNS} FROM {from} {REQUEST_JOINS} WHERE {condition}
                 ORDER BY {order} LIMIT ?{limit_at}"
            ),
            &params,
            request_row,
        )
    };
    let request = "request r";
    let newest = "r.id DESC";
    let mut rows: Vec<RequestRow> = match query {
        RequestQuery::CreatedOn(day) => fetch(
            request,
            "r.town_id = ?1 AND r.created_on = ?2",
            newest,
            args![*day],
        )?,
        RequestQuery::InStates(states) => {
            let mut out = Vec::new();
            for st in states {
                out.extend(fetch(
                    request,
                    "r.town_id = ?1 AND r.state = ?2",
                    newest,
                    args![st.key()],
                )?);
            }
            out.sort_by_key(|r| std::cmp::Reverse(r.id));
            out.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
            out
        }
        // A range, not LIKE, so that the unique index on number serves it; `+` keeps SQLite's
        // planner from choosing a town index instead.
        RequestQuery::NumberPrefix(p) => fetch(
            request,
            "+r.town_id = ?1 AND r.number >= ?2 AND r.number < ?3",
            "r.number DESC",
            args![p.as_str(), format!("{p}{AFTER_NUMBER_CHARS}")],
        )?,
        // Through the last-six index; the full comparison filters its few hits.
        RequestQuery::ApplicantId(id) => fetch(
            request,
            "r.town_id = ?1 AND r.id_last6 = ?2 AND r.applicant_id = ?3",
            newest,
            args![last6(id), id.as_str()],
        )?,
        // Retained requests only: the partial index holds no other row.
        RequestQuery::IdKey(key) => fetch(
            request,
            "r.town_id = ?1 AND r.id_key = ?2",
            newest,
            args![key.as_str()],
        )?,
        RequestQuery::IdLast6(last6) => fetch(
            request,
            "r.town_id = ?1 AND r.id_last6 = ?2",
            newest,
            args![last6.as_str()],
        )?,
        // Through the name parts, newest first: a query of up to four characters is one part;
        // a longer one is looked up by its first four and compared whole.
        RequestQuery::Name(name) => {
            let from = "request_name_part p JOIN request r ON r.id = p.request_id";
            let chars = name.chars().count();
            if chars <= NAME_PART_MAX {
                fetch(
                    from,
                    "p.town_id = ?1 AND p.part = ?2",
                    "p.request_id DESC",
                    args![name.as_str()],
                )?
            } else {
                let first: String = name.chars().take(NAME_PART_MAX).collect();
                fetch(
                    from,
                    "p.town_id = ?1 AND p.part = ?2 AND r.applicant_name LIKE ?3 ESCAPE '\\'",
                    "p.request_id DESC",
                    args![first.as_str(), format!("%{}%", like_escaped(name))],
                )?
            }
        }
        RequestQuery::Initials(ini) => fetch(
            request,
            "r.town_id = ?1 AND r.name_initials = ?2",
            newest,
            args![ini.as_str()],
        )?,
        RequestQuery::All => fetch(request, "r.town_id = ?1", newest, &[])?,
    };
    fill_received(c, &mut rows)?;
    Ok(rows)
}

/// A town's requests taken in from `from` to `to` (both included), oldest first, without their
/// materials (the performance report's rows).
pub(super) fn requests_received(
    c: &dyn Conn,
    town_id: TownId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<RequestRow>> {
    c.all(
        &format!(
            "SELECT {REQUEST_COLUMNS} FROM request r {REQUEST_JOINS}
             WHERE r.town_id = ?1 AND r.created_on >= ?2 AND r.created_on <= ?3 ORDER BY r.id"
        ),
        args![town_id, from, to],
        request_row,
    )
}

/// Calls `f` with what the performance report reads of each request of a town taken in from
/// `from` to `to` (from the index `request_report` alone, in no particular order): its state
/// and dates, and the day a forwarded one's department answered. Text is lent, not copied.
pub(super) fn each_request_facts(
    c: &dyn Conn,
    town_id: TownId,
    from: NaiveDate,
    to: NaiveDate,
    f: &mut dyn FnMut(&crate::domain::report::StoredFacts<'_>) -> Result<()>,
) -> Result<()> {
    fn text<'r>(r: &'r Row<'_>, i: usize) -> Result<Option<&'r str>> {
        match r.0.cell(i)? {
            Cell::Null => Ok(None),
            Cell::Text(t) => Ok(Some(t)),
            other => Err(conversion(format!(
                "column {i}: text expected, found {other:?}"
            ))),
        }
    }
    // Dates repeat from one row to the next (rows come by day taken in): each column keeps the
    // last date it parsed and its text.
    fn date(
        r: &Row<'_>,
        i: usize,
        last: &mut [Option<([u8; 10], NaiveDate)>],
    ) -> Result<Option<NaiveDate>> {
        let Some(b) = r.0.text_bytes(i)? else {
            return Ok(None);
        };
        if let Some((text, d)) = &last[i] {
            if text[..] == *b {
                return Ok(Some(*d));
            }
        }
        let d = crate::date::parse_iso_date_bytes(b)
            .ok_or_else(|| conversion(format!("column {i}: not a date YYYY-MM-DD")))?;
        last[i] = <[u8; 10]>::try_from(b).ok().map(|text| (text, d));
        Ok(Some(d))
    }
    let mut last = [None; 13];
    c.each(
        "SELECT r.id, r.created_on, r.item_id, r.clerk_id, r.state, r.accepted_on, r.closed_on,
                r.mode, r.forwarded_to, r.forwarded_on, r.due, r.department_due, r.answered_on
         FROM request r
         WHERE r.town_id = ?1 AND r.created_on >= ?2 AND r.created_on <= ?3",
        args![town_id, from, to],
        &mut |r| {
            let state = text(r, 4)?.unwrap_or_default();
            let request = crate::domain::report::RequestFacts {
                created_on: date(r, 1, &mut last)?
                    .ok_or_else(|| conversion("created_on is NULL".into()))?,
                state: State::parse(state)
                    .ok_or_else(|| conversion(format!("unknown state {state}")))?,
                accepted_on: date(r, 5, &mut last)?,
                closed_on: date(r, 6, &mut last)?,
                mode: text(r, 7)?
                    .map(|m| Mode::parse(m).ok_or_else(|| conversion(format!("unknown mode {m}"))))
                    .transpose()?,
                forwarded_to: text(r, 8)?,
                forwarded_on: date(r, 9, &mut last)?,
                due: date(r, 10, &mut last)?,
                department_due: date(r, 11, &mut last)?,
                answered_on: date(r, 12, &mut last)?,
            };
            f(&crate::domain::report::StoredFacts {
                id: r.get(0)?,
                item_id: r.get(2)?,
                clerk_id: r.get(3)?,
                request,
            })
        },
    )
}

/// The requests of `ids`, by id, as the report lists them: their number, item, clerk, state,
/// dates, department and overdue reason only (no applicant, materials or timeline).
pub(super) fn report_requests_by_id(c: &dyn Conn, ids: &[RequestId]) -> Result<Vec<RequestRow>> {
    let mut out = Vec::with_capacity(ids.len());
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    // Ids are integers, written into the statement in chunks.
    for chunk in sorted.chunks(500) {
        let list: Vec<String> = chunk.iter().map(|id| id.0.to_string()).collect();
        out.extend(c.all(
            &format!(
                "SELECT r.id, r.town_id, r.number, i.code, r.state, r.clerk_id, s.name, r.created_at,
                        r.accepted_on, r.due, r.forwarded_to, r.forwarded_on, r.department_due,
                        r.closed_on, r.mode, r.overdue_reason, r.answered_on
                 FROM request r {REQUEST_JOINS}
                 WHERE r.id IN ({}) ORDER BY r.id",
                list.join(", ")
            ),
            &[],
            |r| {
                let state: String = r.get(4)?;
                let mode: Option<String> = r.get(14)?;
                Ok(RequestRow {
                    id: r.get(0)?,
                    accepted_on: r.get(8)?,
                    due: r.get(9)?,
                    forwarded_to: r.get(10)?,
                    forwarded_on: r.get(11)?,
                    department_due: r.get(12)?,
                    closed_on: r.get(13)?,
                    mode: mode
                        .map(|m| {
                            Mode::parse(&m).ok_or_else(|| conversion(format!("unknown mode {m}")))
                        })
                        .transpose()?,
                    overdue_reason: r.get(15)?,
                    answered_on: r.get(16)?,
                    ..RequestRow::new(
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        State::parse(&state)
                            .ok_or_else(|| conversion(format!("unknown state {state}")))?,
                        (r.get(5)?, r.get(6)?),
                        r.get(7)?,
                    )
                })
            },
        )?);
    }
    Ok(out)
}

/// The day each forwarded request of a town taken in from `from` to `to` had its department's
/// result recorded (the first allowed `result` step).
pub(super) fn answered_on(
    c: &dyn Conn,
    town_id: TownId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(String, NaiveDate)>> {
    c.all(
        "SELECT r.number, min(substr(e.at, 1, 10)) FROM request r
         JOIN request_event e ON e.request_id = r.id AND e.step = ?4 AND e.allowed
         WHERE r.town_id = ?1 AND r.created_on >= ?2 AND r.created_on <= ?3
           AND r.forwarded_to IS NOT NULL
         GROUP BY r.number",
        args![town_id, from, to, crate::request::StepKind::Result.label()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// `s` with LIKE's wildcards and the escape character taken literally (`ESCAPE '\'`).
fn like_escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// The last six characters of an ID number, as the `id_last6` column keeps them.
fn last6(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    chars[chars.len().saturating_sub(6)..].iter().collect()
}

pub(super) fn audit_count(c: &dyn Conn, request_number: &str) -> Result<i64> {
    c.value(
        "SELECT count(*) FROM audit_log WHERE request_number = ?1",
        args![request_number],
    )
}

pub(super) fn arrivals(
    c: &dyn Conn,
    town_id: TownId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<crate::demand::Arrival>> {
    c.all(
        "SELECT r.created_at, i.post, r.clerk_id FROM request r JOIN item i ON i.id = r.item_id
         WHERE r.town_id = ?1 AND r.created_on BETWEEN ?2 AND ?3 ORDER BY r.created_at, r.id",
        args![town_id, from, to],
        |r| {
            Ok(crate::demand::Arrival {
                at: r.get(0)?,
                post: r.get(1)?,
                clerk_id: r.get(2)?,
            })
        },
    )
}

pub(super) fn next_request_seq(c: &dyn Conn, town_id: TownId, day: NaiveDate) -> Result<u32> {
    // Atomic on its own (the row is locked by the update); the backend's write lock besides
    // keeps the whole intake one writer's.
    let seq = c.value(
        "INSERT INTO request_counter (town_id, day, last) VALUES (?1, ?2, 1)
         ON CONFLICT (town_id, day) DO UPDATE SET last = request_counter.last + 1
         RETURNING last",
        args![town_id, day],
    )?;
    c.issuing_number(town_id, day, seq)?;
    Ok(seq)
}

/// Raises each day's counter to at least its mark (a restore: `store/numbers.rs`); returns how
/// many counters moved.
pub(crate) fn lift_counters(c: &dyn Conn, marks: &[(TownId, NaiveDate, u32)]) -> Result<u64> {
    let mut moved = 0;
    for &(town_id, day, mark) in marks {
        // A town the restored database does not have (a backup of another hall) is skipped.
        moved += c.execute(
            "INSERT INTO request_counter (town_id, day, last)
             SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM town WHERE id = ?1)
             ON CONFLICT (town_id, day) DO UPDATE SET last = excluded.last
             WHERE request_counter.last < excluded.last",
            args![town_id, day, mark],
        )?;
    }
    Ok(moved)
}

/// Where a request stands: the columns every step may change, in the order both the intake's
/// INSERT and a step's UPDATE bind them (from `first` on).
const PROGRESS_COLUMNS: [&str; 27] = [
    "state",
    "accepted_on",
    "due",
    "calendar_complete",
    "forwarded_to",
    "forwarded_on",
    "department_due",
    "result",
    "reason",
    "alternative",
    "closed_on",
    "picked_up_on",
    "opinion",
    "amount_fen",
    "extended_days",
    "extension_reason",
    "suspended_on",
    "suspension_reason",
    "suspension_days",
    "suspended_days",
    "overdue_reason",
    "department_accepted_on",
    "pledged",
    "pledge_due",
    "pledge_checked_on",
    "pledge_truthful",
    "answered_on",
];

/// The intake's INSERT: the fixed columns as ?1–?18, then the progress columns.
static INSERT_REQUEST: LazyLock<String> = LazyLock::new(|| {
    let n = 18 + PROGRESS_COLUMNS.len();
    format!(
        "INSERT INTO request (town_id, number, item_id, applicant_name, name_initials,
            applicant_kind, applicant_id, id_last6, phone, remark, clerk_id, created_at,
            created_on, mode, agent_name, agent_id, agent_relation, idem_key, {})
         VALUES ({}) RETURNING id",
        PROGRESS_COLUMNS.join(", "),
        (1..=n)
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
});

/// A step's UPDATE: the request's id as ?1, then the progress columns.
static UPDATE_REQUEST: LazyLock<String> = LazyLock::new(|| {
    let set: Vec<String> = PROGRESS_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, column)| format!("{column} = ?{}", i + 2))
        .collect();
    format!("UPDATE request SET {} WHERE id = ?1", set.join(", "))
});

fn progress(row: &RequestRow) -> [Param<'_>; 27] {
    [
        row.state.key().into(),
        row.accepted_on.into(),
        row.due.into(),
        row.calendar_complete.into(),
        (&row.forwarded_to).into(),
        row.forwarded_on.into(),
        row.department_due.into(),
        result_sql(row.result).into(),
        (&row.reason).into(),
        (&row.alternative).into(),
        row.closed_on.into(),
        row.picked_up_on.into(),
        (&row.opinion).into(),
        row.amount_fen.into(),
        row.extended_days.map(i64::from).into(),
        (&row.extension_reason).into(),
        row.suspended_on.into(),
        (&row.suspension_reason).into(),
        row.suspension_days.map(i64::from).into(),
        i64::from(row.suspended_days).into(),
        (&row.overdue_reason).into(),
        row.department_accepted_on.into(),
        row.pledged
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(",")
            .into(),
        row.pledge_due.into(),
        row.pledge_checked_on.into(),
        row.pledge_truthful.into(),
        row.answered_on.into(),
    ]
}

pub(super) fn insert_request(c: &dyn Conn, row: &RequestRow) -> Result<RequestId> {
    let item_id = catalog::item_id(c, &row.item_code)?
        .ok_or_else(|| Error::invalid("item", format!("事项编码“{}”不存在", row.item_code)))?;
    let fixed = args![
        row.town_id,
        &row.number,
        item_id,
        &row.applicant_name,
        &row.name_initials,
        row.applicant.as_ref().map(Applicant::kind),
        row.applicant.as_ref().map(Applicant::as_str),
        row.id_last6(),
        row.phone.as_ref().map(Mobile::as_str),
        &row.remark,
        row.clerk_id,
        row.created_at,
        row.created_on,
        row.mode.map(Mode::key),
        row.agent.as_ref().map(|a| a.name.as_str()),
        row.agent.as_ref().map(|a| a.id.as_str()),
        row.agent.as_ref().map(|a| a.relation.as_str()),
        row.idem_key.as_deref()
    ];
    let params: Vec<Param<'_>> = fixed.iter().cloned().chain(progress(row)).collect();
    let id: RequestId = c.value(&INSERT_REQUEST, &params)?;
    for part in row
        .applicant_name
        .as_deref()
        .map(name_parts)
        .unwrap_or_default()
    {
        c.execute(
            "INSERT INTO request_name_part (town_id, part, request_id) VALUES (?1, ?2, ?3)",
            args![row.town_id, part.as_str(), id],
        )?;
    }
    for seq in &row.received {
        insert_material(c, id, *seq)?;
    }
    Ok(id)
}

pub(super) fn update_request(c: &dyn Conn, row: &RequestRow) -> Result<()> {
    let params: Vec<Param<'_>> = std::iter::once(Param::from(row.id))
        .chain(progress(row))
        .collect();
    c.execute(&UPDATE_REQUEST, &params)?;
    write_materials(c, row, row.id)
}

pub(super) fn add_event(c: &dyn Conn, request_id: RequestId, e: &EventRow) -> Result<()> {
    c.execute(
        "INSERT INTO request_event (request_id, at, step, staff_id, allowed, basis, note, idem_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        args![
            request_id,
            e.at,
            &e.step,
            e.staff_id,
            e.allowed,
            &e.basis,
            &e.note,
            &e.idem_key
        ],
    )?;
    Ok(())
}

fn received_of(c: &dyn Conn, request_id: RequestId) -> Result<Vec<u16>> {
    c.all(
        "SELECT seq FROM request_material WHERE request_id = ?1 AND received ORDER BY seq",
        args![request_id],
        |r| r.get(0),
    )
}

fn write_materials(c: &dyn Conn, row: &RequestRow, request_id: RequestId) -> Result<()> {
    c.execute(
        "DELETE FROM request_material WHERE request_id = ?1",
        args![request_id],
    )?;
    for seq in &row.received {
        insert_material(c, request_id, *seq)?;
    }
    Ok(())
}

fn insert_material(c: &dyn Conn, request_id: RequestId, seq: u16) -> Result<()> {
    c.execute(
        "INSERT INTO request_material (request_id, seq, received) VALUES (?1, ?2, TRUE)",
        args![request_id, seq],
    )?;
    Ok(())
}

fn result_sql(v: Option<bool>) -> Option<&'static str> {
    v.map(|a| if a { "approved" } else { "refused" })
}

/// The applicant from its two columns: both empty (a consultation) or a kind and a number
/// that parses and reads back exactly as stored; anything else is a storage error, whose text
/// shows the number masked.
fn applicant(kind: Option<String>, id: Option<String>) -> Result<Option<Applicant>> {
    match (kind, id) {
        (None, None) => Ok(None),
        (Some(kind), Some(id)) => Applicant::from_stored(&kind, id).map(Some).map_err(|id| {
            conversion(format!(
                "applicant {kind} {} does not parse",
                mask(&id, 4, 4)
            ))
        }),
        (kind, id) => Err(conversion(format!(
            "applicant kind {kind:?} without its number, or a number ({}) without its kind",
            id.as_deref().map(|i| mask(i, 4, 4)).unwrap_or_default()
        ))),
    }
}

/// An agent as stored: all three facts or none, the ID number checked again as it is read.
fn agent(
    name: Option<String>,
    id: Option<String>,
    relation: Option<String>,
) -> Result<Option<crate::request::record::Agent>> {
    match (name, id, relation) {
        (None, None, None) => Ok(None),
        (Some(name), Some(id), Some(relation)) => match Applicant::from_stored("person", id) {
            Ok(Applicant::Person(id)) => {
                Ok(Some(crate::request::record::Agent { name, id, relation }))
            }
            Ok(_) => Err(conversion("an agent is a person".to_string())),
            Err(id) => Err(conversion(format!(
                "agent {} does not parse",
                mask(&id, 4, 4)
            ))),
        },
        _ => Err(conversion(
            "an agent without all of name, ID number and relation".to_string(),
        )),
    }
}

/// The phone number as stored: a mobile number, checked again as it is read back.
fn phone(stored: Option<String>) -> Result<Option<Mobile>> {
    stored
        .map(|p| {
            Mobile::parse("phone", &p)
                .ok()
                .filter(|m| m.as_str() == p)
                .ok_or_else(|| conversion(format!("phone {} does not parse", mask(&p, 3, 4))))
        })
        .transpose()
}

/// A stored count of working days as the row keeps it.
fn small(n: Option<i64>) -> Result<Option<u16>> {
    n.map(|n| u16::try_from(n).map_err(|_| conversion(format!("days {n}"))))
        .transpose()
}

fn request_row(r: &Row) -> Result<RequestRow> {
    let state: String = r.get(4)?;
    let result: Option<String> = r.get(21)?;
    let retained_on: Option<NaiveDate> = r.get(44)?;
    let kind: Option<String> = r.get(7)?;
    let id: Option<String> = r.get(8)?;
    let phone_text: Option<String> = r.get(9)?;
    let agent_cols: (Option<String>, Option<String>, Option<String>) =
        (r.get(36)?, r.get(37)?, r.get(38)?);
    // A retained request keeps masked forms in the number columns (issue 17 point 2).
    let (applicant_read, phone_read, agent_read, retained) = match retained_on {
        None => (
            applicant(kind, id)?,
            phone(phone_text)?,
            agent(agent_cols.0, agent_cols.1, agent_cols.2)?,
            None,
        ),
        Some(on) => {
            let person = kind.as_deref() == Some("person");
            let (applicant_read, id_masked) = if person {
                (None, id)
            } else {
                (applicant(kind, id)?, None)
            };
            let agent = match agent_cols {
                (Some(n), Some(i), Some(rel)) => Some((n, i, rel)),
                _ => None,
            };
            (
                applicant_read,
                None,
                None,
                Some(Retained {
                    on,
                    id_masked,
                    phone_masked: phone_text,
                    agent,
                }),
            )
        }
    };
    Ok(RequestRow {
        id: r.get(0)?,
        town_id: r.get(1)?,
        number: r.get(2)?,
        item_code: r.get(3)?,
        state: State::parse(&state).ok_or_else(|| conversion(format!("unknown state {state}")))?,
        applicant_name: r.get(5)?,
        name_initials: r.get(6)?,
        applicant: applicant_read,
        phone: phone_read,
        remark: r.get(10)?,
        clerk_id: r.get(11)?,
        clerk_name: r.get(12)?,
        created_at: r.get(13)?,
        created_on: r.get(14)?,
        accepted_on: r.get(15)?,
        due: r.get(16)?,
        calendar_complete: r.get(17)?,
        forwarded_to: r.get(18)?,
        forwarded_on: r.get(19)?,
        department_due: r.get(20)?,
        result: result.map(|v| v == "approved"),
        reason: r.get(22)?,
        alternative: r.get(23)?,
        closed_on: r.get(24)?,
        picked_up_on: r.get(25)?,
        opinion: r.get(26)?,
        amount_fen: r.get(27)?,
        mode: {
            let mode: Option<String> = r.get(28)?;
            mode.map(|m| Mode::parse(&m).ok_or_else(|| conversion(format!("unknown mode {m}"))))
                .transpose()?
        },
        extended_days: small(r.get(29)?)?,
        extension_reason: r.get(30)?,
        suspended_on: r.get(31)?,
        suspension_reason: r.get(32)?,
        suspension_days: small(r.get(33)?)?,
        suspended_days: {
            let n: i64 = r.get(34)?;
            u32::try_from(n).map_err(|_| conversion(format!("suspended_days {n}")))?
        },
        overdue_reason: r.get(35)?,
        agent: agent_read,
        department_accepted_on: r.get(39)?,
        answered_on: r.get(45)?,
        pledged: {
            let text: String = r.get(40)?;
            text.split(',')
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse::<u16>()
                        .map_err(|_| conversion(format!("pledged {text}")))
                })
                .collect::<Result<Vec<u16>>>()?
        },
        pledge_due: r.get(41)?,
        pledge_checked_on: r.get(42)?,
        pledge_truthful: r.get(43)?,
        received: Vec::new(),
        retained,
        idem_key: None,
    })
}

/// The request an intake with this key made, and its clerk's staff number.
pub(super) fn request_by_idem_key(c: &dyn Conn, key: &str) -> Result<Option<(String, String)>> {
    c.first(
        "SELECT r.number, s.no FROM request r JOIN staff s ON s.id = r.clerk_id
         WHERE r.idem_key = ?1",
        args![key],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// The request a step with this key was taken on, and the step's staff number.
pub(super) fn event_by_idem_key(c: &dyn Conn, key: &str) -> Result<Option<(String, String)>> {
    c.first(
        "SELECT r.number, s.no FROM request_event e JOIN request r ON r.id = e.request_id
         JOIN staff s ON s.id = e.staff_id WHERE e.idem_key = ?1",
        args![key],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}
