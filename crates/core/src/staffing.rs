//! Staffing: quotas against people, per unit and per town, on a given date.
//!
//! The figures follow DESIGN.md "Staffing":
//! on duty = on roll − seconded out − on leave + seconded in, and vacancies = quota − on roll
//! (negative means over quota). Town figures are the sums of their units; [`summarize`] computes
//! both from the same facts so they cannot disagree.

use chrono::NaiveDate;
use serde::Serialize;

use crate::store::Store;
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Town {
    pub id: i64,
    pub name: String,
}

/// Whether a unit's posts are civil-service (行政) or public-institution (事业) posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    Administrative,
    Institutional,
}

impl PostKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Administrative => "行政",
            PostKind::Institutional => "事业",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "行政" => Some(PostKind::Administrative),
            "事业" => Some(PostKind::Institutional),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: i64,
    pub name: String,
    /// 行政, 事业 or 混合 (both kinds of posts).
    pub kind: String,
    /// Who manages the unit's people and money: the township (镇党委政府) or a city department.
    pub managed_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quota {
    pub unit_id: i64,
    pub kind: PostKind,
    pub posts: u32,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
}

impl Quota {
    fn in_force_on(&self, on: NaiveDate) -> bool {
        self.effective_from <= on && self.effective_to.is_none_or(|to| on <= to)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: i64,
    pub no: String,
    pub name: String,
    /// The home unit, where the person holds a post of this town's quota. `None` for staff
    /// seconded in from elsewhere.
    pub home_unit_id: Option<i64>,
    /// Where the quota of a person seconded in lies.
    pub home_body: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    OnDuty,
    SecondedOut,
    /// Seconded in to the given host unit.
    SecondedIn {
        unit_id: i64,
    },
    LongLeave,
    Retired,
}

/// What one person was doing from `start` to `end` (inclusive; `None`: still so).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusPeriod {
    pub staff_id: i64,
    pub status: Status,
    pub other_body: Option<String>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl StatusPeriod {
    fn covers(&self, on: NaiveDate) -> bool {
        self.start <= on && self.end.is_none_or(|end| on <= end)
    }
}

/// Everything needed to compute a town's staffing figures on any date.
#[derive(Debug, Clone, Default)]
pub struct TownFacts {
    pub units: Vec<Unit>,
    pub quotas: Vec<Quota>,
    pub staff: Vec<Staff>,
    pub statuses: Vec<StatusPeriod>,
}

/// The figures shared by a unit and a town total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub quota: u32,
    pub on_roll: u32,
    pub seconded_in: u32,
    pub seconded_out: u32,
    pub on_leave: u32,
    pub on_duty: u32,
    /// Quota − on roll; negative means over quota.
    pub vacancies: i64,
    pub over_quota: bool,
    /// Staff sent to hall counters. Hall posts are not modelled yet: always 0.
    pub hall_staff: u32,
    /// Staff left for the unit's own field work: on duty − hall staff.
    pub field_staff: u32,
}

impl Figures {
    fn finish(mut self) -> Self {
        self.on_duty = self.on_roll - self.seconded_out - self.on_leave + self.seconded_in;
        self.vacancies = i64::from(self.quota) - i64::from(self.on_roll);
        self.over_quota = self.vacancies < 0;
        self.field_staff = self.on_duty - self.hall_staff;
        self
    }

    fn add(&mut self, o: &Figures) {
        self.quota += o.quota;
        self.on_roll += o.on_roll;
        self.seconded_in += o.seconded_in;
        self.seconded_out += o.seconded_out;
        self.on_leave += o.on_leave;
        self.hall_staff += o.hall_staff;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitStaffing {
    pub name: String,
    pub kind: String,
    pub managed_by: String,
    #[serde(flatten)]
    pub figures: Figures,
    /// False when the unit's certified enforcement officers left for field work number fewer
    /// than two. Credentials are not modelled yet: always true.
    pub enforcement_ok: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TownStaffing {
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
    pub units: Vec<UnitStaffing>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffingReport {
    pub date: NaiveDate,
    pub towns: Vec<TownStaffing>,
}

/// The status of one person on a date: the latest-starting period that covers it.
fn status_on(periods: &[&StatusPeriod], on: NaiveDate) -> Option<Status> {
    periods
        .iter()
        .filter(|p| p.covers(on))
        .max_by_key(|p| p.start)
        .map(|p| p.status)
}

/// Whether a person is at work in the town on `on`: on duty, or seconded in.
pub(crate) fn at_work(facts: &TownFacts, staff_id: i64, on: NaiveDate) -> bool {
    let periods: Vec<&StatusPeriod> = facts
        .statuses
        .iter()
        .filter(|p| p.staff_id == staff_id)
        .collect();
    at_work_in(&periods, on)
}

/// Whether one person's periods put them at work on `on`.
pub(crate) fn at_work_in(periods: &[&StatusPeriod], on: NaiveDate) -> bool {
    matches!(
        status_on(periods, on),
        Some(Status::OnDuty | Status::SecondedIn { .. })
    )
}

/// The staffing figures of one town on `on`, per unit (in the order given) and in total.
pub fn summarize(name: &str, facts: &TownFacts, on: NaiveDate) -> TownStaffing {
    let mut per_unit: Vec<Figures> = vec![Figures::default(); facts.units.len()];
    let index_of = |unit_id: i64| facts.units.iter().position(|u| u.id == unit_id);

    for q in facts.quotas.iter().filter(|q| q.in_force_on(on)) {
        if let Some(i) = index_of(q.unit_id) {
            per_unit[i].quota += q.posts;
        }
    }
    for person in &facts.staff {
        let periods: Vec<&StatusPeriod> = facts
            .statuses
            .iter()
            .filter(|p| p.staff_id == person.id)
            .collect();
        let home = person.home_unit_id.and_then(index_of);
        match (status_on(&periods, on), home) {
            (Some(Status::SecondedIn { unit_id }), _) => {
                if let Some(i) = index_of(unit_id) {
                    per_unit[i].seconded_in += 1;
                }
            }
            (Some(Status::OnDuty), Some(i)) => per_unit[i].on_roll += 1,
            (Some(Status::SecondedOut), Some(i)) => {
                per_unit[i].on_roll += 1;
                per_unit[i].seconded_out += 1;
            }
            (Some(Status::LongLeave), Some(i)) => {
                per_unit[i].on_roll += 1;
                per_unit[i].on_leave += 1;
            }
            // Retired, not yet joined, or without a home unit here: not counted.
            _ => {}
        }
    }

    let mut total = Figures::default();
    let units = facts
        .units
        .iter()
        .zip(per_unit)
        .map(|(u, f)| {
            total.add(&f);
            UnitStaffing {
                name: u.name.clone(),
                kind: u.kind.clone(),
                managed_by: u.managed_by.clone(),
                figures: f.finish(),
                enforcement_ok: true,
            }
        })
        .collect();
    TownStaffing {
        name: name.to_string(),
        figures: total.finish(),
        units,
    }
}

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
            .map(|t| Ok(summarize(&t.name, &q.town_facts(t.id)?, on)))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn unit(id: i64, name: &str) -> Unit {
        Unit {
            id,
            name: name.into(),
            kind: "事业".into(),
            managed_by: "镇党委政府".into(),
        }
    }

    fn person(id: i64, home: Option<i64>) -> Staff {
        Staff {
            id,
            no: format!("T{id}"),
            name: format!("人员{id}"),
            home_unit_id: home,
            home_body: None,
        }
    }

    fn period(staff_id: i64, status: Status, start: &str, end: Option<&str>) -> StatusPeriod {
        StatusPeriod {
            staff_id,
            status,
            other_body: None,
            start: d(start),
            end: end.map(d),
        }
    }

    /// Two units; one person of each kind of status, and history that changes over time.
    fn facts() -> TownFacts {
        TownFacts {
            units: vec![unit(1, "林业站"), unit(2, "司法所")],
            quotas: vec![
                Quota {
                    unit_id: 1,
                    kind: PostKind::Institutional,
                    posts: 3,
                    effective_from: d("2020-01-01"),
                    effective_to: Some(d("2025-12-31")),
                },
                Quota {
                    unit_id: 1,
                    kind: PostKind::Institutional,
                    posts: 2,
                    effective_from: d("2026-01-01"),
                    effective_to: None,
                },
                Quota {
                    unit_id: 2,
                    kind: PostKind::Administrative,
                    posts: 1,
                    effective_from: d("2020-01-01"),
                    effective_to: None,
                },
            ],
            staff: vec![
                person(1, Some(1)),
                person(2, Some(1)),
                person(3, Some(1)),
                person(4, Some(2)),
                person(5, None),
            ],
            statuses: vec![
                period(1, Status::OnDuty, "2018-01-01", None),
                period(2, Status::OnDuty, "2018-01-01", None),
                period(2, Status::LongLeave, "2026-03-01", Some("2026-06-30")),
                period(3, Status::OnDuty, "2019-01-01", Some("2025-12-31")),
                period(3, Status::Retired, "2026-01-01", None),
                period(4, Status::OnDuty, "2020-01-01", None),
                period(4, Status::SecondedOut, "2026-01-01", None),
                period(5, Status::SecondedIn { unit_id: 2 }, "2026-02-01", None),
            ],
        }
    }

    #[test]
    fn counts_each_status_on_the_date() {
        let t = summarize("测试镇", &facts(), d("2026-04-01"));
        let forest = &t.units[0].figures;
        assert_eq!((forest.quota, forest.on_roll, forest.on_leave), (2, 2, 1));
        assert_eq!((forest.on_duty, forest.vacancies), (1, 0));
        let justice = &t.units[1].figures;
        assert_eq!(
            (justice.on_roll, justice.seconded_out, justice.seconded_in),
            (1, 1, 1)
        );
        assert_eq!(justice.on_duty, 1);
        assert_eq!(
            (t.figures.quota, t.figures.on_roll, t.figures.on_duty),
            (3, 3, 2)
        );
        assert_eq!(t.figures.field_staff, t.figures.on_duty);
    }

    #[test]
    fn history_changes_the_figures_of_an_earlier_date() {
        let t = summarize("测试镇", &facts(), d("2025-06-01"));
        let forest = &t.units[0].figures;
        assert_eq!((forest.quota, forest.on_roll, forest.on_duty), (3, 3, 3));
        assert_eq!(t.units[1].figures.seconded_in, 0);
        assert_eq!(t.units[1].figures.seconded_out, 0);
    }

    #[test]
    fn over_quota_is_a_negative_vacancy_and_flagged() {
        let mut f = facts();
        f.quotas.retain(|q| q.unit_id != 2);
        let t = summarize("测试镇", &f, d("2026-04-01"));
        assert_eq!(t.units[1].figures.vacancies, -1);
        assert!(t.units[1].figures.over_quota);
        assert!(!t.units[0].figures.over_quota);
    }

    #[test]
    fn units_add_up_to_the_town() {
        for day in ["2017-01-01", "2025-06-01", "2026-04-01", "2030-01-01"] {
            let t = summarize("测试镇", &facts(), d(day));
            let mut sum = Figures::default();
            for u in &t.units {
                sum.add(&u.figures);
                let f = &u.figures;
                assert_eq!(
                    f.on_duty + f.seconded_out + f.on_leave,
                    f.on_roll + f.seconded_in
                );
            }
            assert_eq!(sum.finish(), t.figures, "on {day}");
        }
    }
}
