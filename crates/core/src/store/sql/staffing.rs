//! Towns, units, quotas, staff and their status history, hall posts, the rota and credentials.

use crate::ids::{PostId, StaffId, TownId, UnitId};
use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;

use super::super::conn::{args, conversion, Conn, Row};
use super::super::{NewQuota, NewStaff, NewStatus, NewUnit};
use crate::staff::{Credential, Role, StaffProfile};
use crate::staffing::{
    HallPost, PostKind, Quota, RotaEntry, Staff, Status, StatusPeriod, Town, TownFacts, Unit,
};
use crate::Result;

pub(super) fn towns(c: &dyn Conn) -> Result<Vec<Town>> {
    c.all(
        "SELECT id, name, superior FROM town ORDER BY id",
        &[],
        |r| {
            Ok(Town {
                id: r.get(0)?,
                name: r.get(1)?,
                superior: r.get(2)?,
            })
        },
    )
}

pub(super) fn set_superior(c: &dyn Conn, town_id: TownId, superior: &str) -> Result<()> {
    c.execute(
        "UPDATE town SET superior = ?2 WHERE id = ?1",
        args![town_id, superior],
    )?;
    Ok(())
}

pub(super) fn town_facts(
    c: &dyn Conn,
    town_id: TownId,
    rota_on: Option<NaiveDate>,
) -> Result<TownFacts> {
    let units = c.all(
        "SELECT id, name, kind, managed_by, enforcement_scope FROM unit WHERE town_id = ?1
         ORDER BY sort_order, id",
        args![town_id],
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
    let quotas = c.all(
        "SELECT q.unit_id, q.kind, q.posts, q.effective_from, q.effective_to
         FROM quota q JOIN unit u ON u.id = q.unit_id WHERE u.town_id = ?1",
        args![town_id],
        |r| {
            let kind: String = r.get(1)?;
            Ok(Quota {
                unit_id: r.get(0)?,
                kind: PostKind::parse(&kind).unwrap_or(PostKind::Institutional),
                posts: r.get(2)?,
                effective_from: r.get(3)?,
                effective_to: r.get(4)?,
            })
        },
    )?;
    let staff = c.all(
        "SELECT id, no, name, unit_id, home_body, gender, birth_date, retirement_track FROM staff
         WHERE town_id = ?1 ORDER BY id",
        args![town_id],
        |r| {
            Ok(Staff {
                id: r.get(0)?,
                no: r.get(1)?,
                name: r.get(2)?,
                home_unit_id: r.get(3)?,
                home_body: r.get(4)?,
                gender: r.get(5)?,
                birth_date: r.get(6)?,
                retirement_track: r.get(7)?,
            })
        },
    )?;
    let statuses = c.all(
        "SELECT p.staff_id, p.status, p.unit_id, p.other_body, p.start_date, p.end_date
         FROM staff_status p JOIN staff s ON s.id = p.staff_id WHERE s.town_id = ?1
         ORDER BY p.id",
        args![town_id],
        status_period,
    )?;
    let posts = c.all(
        "SELECT id, name FROM hall_post WHERE town_id = ?1 ORDER BY sort_order, id",
        args![town_id],
        |r| {
            Ok(HallPost {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        },
    )?;
    let rota = c.all(
        "SELECT r.post_id, r.staff_id, r.weekday, r.start_date, r.end_date
         FROM rota r JOIN hall_post p ON p.id = r.post_id
         WHERE p.town_id = ?1
           AND (CAST(?2 AS TEXT) IS NULL
                OR (r.start_date <= CAST(?2 AS TEXT)
                    AND (r.end_date IS NULL OR r.end_date >= CAST(?2 AS TEXT))))
         ORDER BY p.sort_order, r.weekday, r.staff_id, r.id",
        args![town_id, rota_on],
        |r| {
            Ok(RotaEntry {
                post_id: r.get(0)?,
                staff_id: r.get(1)?,
                weekday: r.get(2)?,
                start: r.get(3)?,
                end: r.get(4)?,
            })
        },
    )?;
    let credentials = c.all(
        "SELECT c.staff_id, c.kind, c.number, c.scope, c.valid_from, c.valid_to
         FROM credential c JOIN staff s ON s.id = c.staff_id WHERE s.town_id = ?1
         ORDER BY c.id",
        args![town_id],
        |r| Ok((r.get(0)?, credential_at(r, 1)?)),
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

/// The unit a person works in: the home unit, or the host unit of the latest secondment in.
const PROFILE_SELECT: &str = "SELECT s.id, s.no, s.name, t.name,
        COALESCE(u.name, (SELECT hu.name FROM staff_status p
                          JOIN unit hu ON hu.id = p.unit_id
                          WHERE p.staff_id = s.id AND p.status = 'seconded_in'
                          ORDER BY p.start_date DESC LIMIT 1), '')
 FROM staff s JOIN town t ON t.id = s.town_id
 LEFT JOIN unit u ON u.id = s.unit_id";

pub(super) fn staff_profiles(c: &dyn Conn, town_id: TownId) -> Result<Vec<StaffProfile>> {
    let mut people = c.all(
        &format!("{PROFILE_SELECT} WHERE s.town_id = ?1 ORDER BY s.no"),
        args![town_id],
        profile_row,
    )?;
    let index: HashMap<StaffId, usize> =
        people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    c.each(
        "SELECT r.staff_id, r.role FROM staff_role r JOIN staff s ON s.id = r.staff_id
         WHERE s.town_id = ?1",
        args![town_id],
        &mut |r| {
            let id: StaffId = r.get(0)?;
            let role: String = r.get(1)?;
            if let (Some(&i), Some(role)) = (index.get(&id), Role::parse(&role)) {
                people[i].roles.push(role);
            }
            Ok(())
        },
    )?;
    c.each(
        "SELECT c.staff_id, c.kind, c.number, c.scope, c.valid_from, c.valid_to
         FROM credential c JOIN staff s ON s.id = c.staff_id
         WHERE s.town_id = ?1 ORDER BY c.valid_to, c.id",
        args![town_id],
        &mut |r| {
            let id: StaffId = r.get(0)?;
            let credential = credential_at(r, 1)?;
            if let Some(&i) = index.get(&id) {
                people[i].credentials.push(credential);
            }
            Ok(())
        },
    )?;
    for p in &mut people {
        p.roles.sort();
    }
    Ok(people)
}

pub(super) fn staff_profile(c: &dyn Conn, no: &str) -> Result<Option<StaffProfile>> {
    // A staff number is unique across the county, so it finds the person in one statement,
    // whose text is made once (every intake reads its clerk's profile).
    static BY_NO: LazyLock<String> = LazyLock::new(|| format!("{PROFILE_SELECT} WHERE s.no = ?1"));
    let found = c.first(&BY_NO, args![no], profile_row)?;
    let Some(mut p) = found else {
        return Ok(None);
    };
    let roles: Vec<String> = c.all(
        "SELECT role FROM staff_role WHERE staff_id = ?1",
        args![p.id],
        |r| r.get(0),
    )?;
    p.roles = roles.iter().filter_map(|r| Role::parse(r)).collect();
    p.roles.sort();
    p.credentials = c.all(
        "SELECT kind, number, scope, valid_from, valid_to FROM credential
         WHERE staff_id = ?1 ORDER BY valid_to, id",
        args![p.id],
        |r| credential_at(r, 0),
    )?;
    Ok(Some(p))
}

pub(super) fn staff_periods(c: &dyn Conn, staff_id: StaffId) -> Result<Vec<StatusPeriod>> {
    c.all(
        "SELECT staff_id, status, unit_id, other_body, start_date, end_date
         FROM staff_status WHERE staff_id = ?1 ORDER BY id",
        args![staff_id],
        status_period,
    )
}

pub(super) fn staff_town(c: &dyn Conn, no: &str) -> Result<Option<TownId>> {
    c.first("SELECT town_id FROM staff WHERE no = ?1", args![no], |r| {
        r.get(0)
    })
}

pub(super) fn ensure_town(c: &dyn Conn, name: &str) -> Result<TownId> {
    c.execute(
        "INSERT INTO town (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
        args![name],
    )?;
    c.value("SELECT id FROM town WHERE name = ?1", args![name])
}

pub(super) fn ensure_unit(c: &dyn Conn, town_id: TownId, u: &NewUnit<'_>) -> Result<UnitId> {
    c.execute(
        "INSERT INTO unit (town_id, name, kind, managed_by, sort_order, enforcement_scope)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (town_id, name) DO UPDATE
         SET enforcement_scope = coalesce(unit.enforcement_scope, excluded.enforcement_scope)",
        args![
            town_id,
            u.name,
            u.kind,
            u.managed_by,
            u.sort_order,
            u.enforcement_scope
        ],
    )?;
    c.value(
        "SELECT id FROM unit WHERE town_id = ?1 AND name = ?2",
        args![town_id, u.name],
    )
}

pub(super) fn ensure_quota(c: &dyn Conn, unit_id: UnitId, q: &NewQuota) -> Result<()> {
    c.execute(
        "INSERT INTO quota (unit_id, kind, posts, effective_from, effective_to)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (unit_id, kind, effective_from) DO NOTHING",
        args![
            unit_id,
            q.kind.as_str(),
            q.posts,
            q.effective_from,
            q.effective_to
        ],
    )?;
    Ok(())
}

pub(super) fn ensure_staff(c: &dyn Conn, town_id: TownId, s: &NewStaff<'_>) -> Result<StaffId> {
    c.execute(
        "INSERT INTO staff (no, name, gender, town_id, unit_id, home_body, birth_date,
                            retirement_track)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (no) DO UPDATE
         SET birth_date = coalesce(staff.birth_date, excluded.birth_date),
             retirement_track = coalesce(excluded.retirement_track, staff.retirement_track)",
        args![
            s.no,
            s.name,
            s.gender,
            town_id,
            s.home_unit_id,
            s.home_body,
            s.birth_date,
            s.retirement_track
        ],
    )?;
    c.value("SELECT id FROM staff WHERE no = ?1", args![s.no])
}

pub(super) fn ensure_status(c: &dyn Conn, staff_id: StaffId, p: &NewStatus<'_>) -> Result<()> {
    let (status, unit_id) = status_to_sql(p.status);
    c.execute(
        "INSERT INTO staff_status (staff_id, status, unit_id, other_body, start_date, end_date)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (staff_id, start_date) DO NOTHING",
        args![staff_id, status, unit_id, p.other_body, p.start, p.end],
    )?;
    Ok(())
}

pub(super) fn ensure_hall_post(
    c: &dyn Conn,
    town_id: TownId,
    name: &str,
    sort_order: i64,
) -> Result<PostId> {
    c.execute(
        "INSERT INTO hall_post (town_id, name, sort_order) VALUES (?1, ?2, ?3)
         ON CONFLICT (town_id, name) DO NOTHING",
        args![town_id, name, sort_order],
    )?;
    c.value(
        "SELECT id FROM hall_post WHERE town_id = ?1 AND name = ?2",
        args![town_id, name],
    )
}

pub(super) fn ensure_rota(c: &dyn Conn, e: &RotaEntry) -> Result<()> {
    c.execute(
        "INSERT INTO rota (post_id, staff_id, weekday, start_date, end_date)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (post_id, staff_id, weekday, start_date) DO NOTHING",
        args![e.post_id, e.staff_id, e.weekday, e.start, e.end],
    )?;
    Ok(())
}

pub(super) fn ensure_role(c: &dyn Conn, staff_id: StaffId, role: Role) -> Result<()> {
    c.execute(
        "INSERT INTO staff_role (staff_id, role) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        args![staff_id, role.label()],
    )?;
    Ok(())
}

pub(super) fn ensure_credential(c: &dyn Conn, staff_id: StaffId, cr: &Credential) -> Result<()> {
    c.execute(
        "INSERT INTO credential (staff_id, kind, number, scope, valid_from, valid_to)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (number) DO NOTHING",
        args![
            staff_id,
            &cr.kind,
            &cr.number,
            &cr.scope,
            cr.valid_from,
            cr.valid_to
        ],
    )?;
    Ok(())
}

fn status_to_sql(s: Status) -> (&'static str, Option<UnitId>) {
    match s {
        Status::OnDuty => ("on_duty", None),
        Status::SecondedOut => ("seconded_out", None),
        Status::SecondedIn { unit_id } => ("seconded_in", Some(unit_id)),
        Status::LongLeave => ("long_leave", None),
        Status::Retired => ("retired", None),
    }
}

fn status_from_sql(s: &str, unit_id: Option<UnitId>) -> Result<Status> {
    Ok(match (s, unit_id) {
        ("on_duty", _) => Status::OnDuty,
        ("seconded_out", _) => Status::SecondedOut,
        ("seconded_in", Some(unit_id)) => Status::SecondedIn { unit_id },
        ("long_leave", _) => Status::LongLeave,
        ("retired", _) => Status::Retired,
        _ => return Err(conversion(format!("unknown status {s}"))),
    })
}

fn status_period(r: &Row) -> Result<StatusPeriod> {
    let status: String = r.get(1)?;
    Ok(StatusPeriod {
        staff_id: r.get(0)?,
        status: status_from_sql(&status, r.get(2)?)?,
        other_body: r.get(3)?,
        start: r.get(4)?,
        end: r.get(5)?,
    })
}

/// kind, number, scope, valid_from, valid_to from column `at` on.
fn credential_at(r: &Row, at: usize) -> Result<Credential> {
    Ok(Credential {
        kind: r.get(at)?,
        number: r.get(at + 1)?,
        scope: r.get(at + 2)?,
        valid_from: r.get(at + 3)?,
        valid_to: r.get(at + 4)?,
    })
}

fn profile_row(r: &Row) -> Result<StaffProfile> {
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
}
