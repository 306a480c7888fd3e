//! Staffing as the front ends ask for it: a town's (or every town's) figures on a date, a unit's
//! people, the rota week. Each loads the facts through the store and calls the pure rules of
//! [`crate::domain::staffing`], whose types it re-exports.

use chrono::NaiveDate;
use serde::Serialize;

pub use crate::domain::staffing::*;
use crate::retirement::{retirement_date, Scheme};
use crate::store::Store;
use crate::{Error, Result};

/// The staffing report for one town (by name) or for every town, on `on`.
/// An unknown town name is refused with a message that lists the towns there are.
pub fn staffing_report<S: Store>(
    store: &mut S,
    town: Option<&str>,
    on: NaiveDate,
) -> Result<StaffingReport> {
    store.read(|q| {
        let all = q.towns()?;
        let chosen: Vec<&Town> = match town {
            None => all.iter().collect(),
            Some(name) => {
                let found: Vec<&Town> = all.iter().filter(|t| t.name == name.trim()).collect();
                if found.is_empty() {
                    return Err(unknown_town(name, &all));
                }
                found
            }
        };
        let towns = chosen
            .into_iter()
            .map(|t| Ok(summarize(&t.name, &q.town_facts(t.id, Some(on))?, on)))
            .collect::<Result<Vec<_>>>()?;
        Ok(StaffingReport { date: on, towns })
    })
}

pub(crate) fn unknown_town(name: &str, all: &[Town]) -> Error {
    let known = if all.is_empty() {
        "数据库中还没有乡镇，可先运行 bianmin init --demo 载入演示数据".to_string()
    } else {
        let names: Vec<&str> = all.iter().map(|t| t.name.as_str()).collect();
        format!("现有乡镇：{}", names.join("、"))
    };
    Error::invalid("town", format!("乡镇“{name}”不存在；{known}"))
}

/// The names of all towns, in the order they were created.
pub fn town_names<S: Store>(store: &mut S) -> Result<Vec<String>> {
    store.read(|q| Ok(q.towns()?.into_iter().map(|t| t.name).collect()))
}

/// One person of a unit on a date, for the unit drill-down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PersonOnDate {
    pub no: String,
    pub name: String,
    pub gender: String,
    /// on_duty, seconded_out, seconded_in, long_leave.
    pub status: &'static str,
    pub status_label: &'static str,
    pub other_body: Option<String>,
    /// On the hall's rota that week.
    pub in_hall: bool,
    /// The hall posts rostered.
    pub posts: Vec<String>,
    /// Credentials valid on the date: "行政执法证 黔执020001（市自然资源局，至 2028-12-31）".
    pub credentials: Vec<String>,
    pub retires_on: Option<NaiveDate>,
}

fn status_key(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::OnDuty => ("on_duty", "在岗"),
        Status::SecondedOut => ("seconded_out", "借调出"),
        Status::SecondedIn { .. } => ("seconded_in", "借调入"),
        Status::LongLeave => ("long_leave", "长期请假"),
        Status::Retired => ("retired", "退休"),
    }
}

/// The people of one unit on a date: those on its roll (on duty, seconded out, on leave) and
/// those seconded in to it, in staff-number order.
pub fn unit_people<S: Store>(
    store: &mut S,
    town: Option<&str>,
    unit: &str,
    on: NaiveDate,
) -> Result<Vec<PersonOnDate>> {
    store.read(|q| {
        let t = crate::town::resolve_town(q, town)?;
        let facts = q.town_facts(t.id, Some(on))?;
        let u = facts
            .units
            .iter()
            .find(|u| u.name == unit.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = facts.units.iter().map(|u| u.name.as_str()).collect();
                Error::invalid(
                    "unit",
                    format!(
                        "{}没有单位“{}”；现有单位：{}",
                        t.name,
                        unit.trim(),
                        names.join("、")
                    ),
                )
            })?;
        let mut out = Vec::new();
        for person in &facts.staff {
            let periods = facts.periods_of(person.id);
            let Some(status) = status_on(&periods, on) else {
                continue;
            };
            let belongs = match status {
                Status::SecondedIn { unit_id } => unit_id == u.id,
                Status::Retired => false,
                _ => person.home_unit_id == Some(u.id),
            };
            if !belongs {
                continue;
            }
            let other_body = periods
                .iter()
                .filter(|p| p.covers(on))
                .max_by_key(|p| p.start)
                .and_then(|p| p.other_body.clone());
            let mut posts: Vec<String> = facts
                .rota
                .iter()
                .filter(|r| r.staff_id == person.id && r.in_force_on(on))
                .filter_map(|r| {
                    facts
                        .posts
                        .iter()
                        .find(|p| p.id == r.post_id)
                        .map(|p| p.name.clone())
                })
                .collect();
            posts.dedup();
            let (key, label) = status_key(status);
            out.push(PersonOnDate {
                no: person.no.clone(),
                name: person.name.clone(),
                gender: person.gender.clone(),
                status: key,
                status_label: label,
                other_body,
                in_hall: !posts.is_empty()
                    && matches!(status, Status::OnDuty | Status::SecondedIn { .. }),
                posts,
                credentials: facts
                    .credentials
                    .iter()
                    .filter(|(id, c)| *id == person.id && c.valid_from <= on && on <= c.valid_to)
                    .map(|(_, c)| {
                        format!("{} {}（{}，至 {}）", c.kind, c.number, c.scope, c.valid_to)
                    })
                    .collect(),
                retires_on: person.birth_date.map(|b| {
                    let track = person.retirement_track.as_deref();
                    retirement_date(b, Scheme::for_staff(&person.gender, track))
                }),
            });
        }
        out.sort_by(|a, b| a.no.cmp(&b.no));
        Ok(out)
    })
}

/// Who sits where in the week of a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RotaSeat {
    pub staff_no: String,
    pub name: String,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RotaPost {
    pub post: String,
    /// Monday to Sunday, who is rostered on each day.
    pub days: Vec<Vec<RotaSeat>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RotaWeek {
    pub monday: NaiveDate,
    pub days: Vec<NaiveDate>,
    pub posts: Vec<RotaPost>,
}

/// The rota grid of the week holding `on`: posts × Monday–Sunday, each day with the lines in
/// force on that day.
pub fn rota_week<S: Store>(store: &mut S, town: Option<&str>, on: NaiveDate) -> Result<RotaWeek> {
    use chrono::Datelike;
    let monday = on - chrono::Days::new(u64::from(on.weekday().num_days_from_monday()));
    let days: Vec<NaiveDate> = (0..7).map(|k| monday + chrono::Days::new(k)).collect();
    store.read(|q| {
        let t = crate::town::resolve_town(q, town)?;
        let facts = q.town_facts(t.id, None)?;
        let unit_of = |staff: &Staff, day: NaiveDate| -> String {
            let periods = facts.periods_of(staff.id);
            let id = match status_on(&periods, day) {
                Some(Status::SecondedIn { unit_id }) => Some(unit_id),
                _ => staff.home_unit_id,
            };
            facts
                .units
                .iter()
                .find(|u| Some(u.id) == id)
                .map(|u| u.name.clone())
                .unwrap_or_default()
        };
        let posts = facts
            .posts
            .iter()
            .map(|p| RotaPost {
                post: p.name.clone(),
                days: days
                    .iter()
                    .enumerate()
                    .map(|(k, &day)| {
                        facts
                            .rota
                            .iter()
                            .filter(|r| {
                                r.post_id == p.id
                                    && usize::from(r.weekday) == k + 1
                                    && r.in_force_on(day)
                            })
                            .filter_map(|r| facts.staff.iter().find(|s| s.id == r.staff_id))
                            .map(|s| RotaSeat {
                                staff_no: s.no.clone(),
                                name: s.name.clone(),
                                unit: unit_of(s, day),
                            })
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        Ok(RotaWeek {
            monday,
            days,
            posts,
        })
    })
}

#[cfg(test)]
mod demo_tests {
    use super::*;
    use crate::store::SqliteStore;

    fn demo() -> SqliteStore {
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::demo::load(&mut s, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).unwrap();
        s
    }

    #[test]
    fn the_land_station_of_dongfeng_has_one_officer_at_the_hall() {
        let mut s = demo();
        let on = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let people = unit_people(&mut s, Some("东风镇"), "国土所", on).unwrap();
        assert_eq!(people.len(), 4);
        let officers: Vec<&PersonOnDate> = people
            .iter()
            .filter(|p| !p.credentials.is_empty())
            .collect();
        assert_eq!(officers.len(), 2);
        assert_eq!(officers.iter().filter(|p| p.in_hall).count(), 1);
        assert_eq!(
            officers.iter().find(|p| p.in_hall).unwrap().posts,
            vec!["村镇建设窗口"]
        );
        let err = unit_people(&mut s, Some("东风镇"), "气象站", on).unwrap_err();
        assert!(matches!(err, Error::Invalid { field: "unit", .. }));
    }

    #[test]
    fn the_rota_week_has_every_post_staffed_on_weekdays_only() {
        let mut s = demo();
        let w = rota_week(
            &mut s,
            Some("东风镇"),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        )
        .unwrap();
        assert_eq!(w.monday, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(w.posts.len(), 6);
        for p in &w.posts {
            assert!(p.days[..5].iter().all(|d| !d.is_empty()), "{}", p.post);
            assert!(p.days[5..].iter().all(Vec::is_empty), "{}", p.post);
        }
        let general = &w.posts[0];
        assert_eq!(
            general.days[0].len(),
            2,
            "综合窗口 has the seconded-in clerk too"
        );
        // Before the rota began, the grid is empty.
        let early = rota_week(
            &mut s,
            Some("东风镇"),
            NaiveDate::from_ymd_opt(2024, 6, 5).unwrap(),
        )
        .unwrap();
        assert!(early.posts.iter().all(|p| p.days.iter().all(Vec::is_empty)));
    }
}
