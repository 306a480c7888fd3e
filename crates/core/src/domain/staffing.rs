//! Staffing: quotas against people, per unit and per town, on a given date.
//!
//! The figures follow DESIGN.md "Staffing":
//! on duty = on roll − seconded out − on leave + seconded in, and vacancies = quota − on roll
//! (negative means over quota). Town figures are the sums of their units; [`summarize`] computes
//! both from the same facts so they cannot disagree.

use crate::domain::ids::{PostId, StaffId, TownId, UnitId};
use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::retirement::{retirement_date, Scheme};
use crate::domain::staff::Credential;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Town {
    pub id: TownId,
    pub name: String,
    /// The government above the town (上级人民政府), which hears appeals against its own acts;
    /// empty until named.
    pub superior: String,
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
    pub id: UnitId,
    pub name: String,
    /// 行政, 事业 or 混合 (both kinds of posts).
    pub kind: String,
    /// Who manages the unit's people and money: the township (镇党委政府) or a city department.
    pub managed_by: String,
    /// The department whose enforcement the unit carries out; `None`: no enforcement duty.
    pub enforcement_scope: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quota {
    pub unit_id: UnitId,
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
    pub id: StaffId,
    pub no: String,
    pub name: String,
    /// The home unit, where the person holds a post of this town's quota. `None` for staff
    /// seconded in from elsewhere.
    pub home_unit_id: Option<UnitId>,
    /// Where the quota of a person seconded in lies.
    pub home_body: Option<String>,
    /// 男 or 女.
    pub gender: String,
    pub birth_date: Option<NaiveDate>,
    /// A woman's 退休类别 (`女职工` or `女干部`) when the roster gives one.
    pub retirement_track: Option<String>,
}

/// A counter post of the hall, such as 民政窗口.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HallPost {
    pub id: PostId,
    pub name: String,
}

/// One line of the weekly rota: who sits at a post on a weekday, over a span of dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotaEntry {
    pub post_id: PostId,
    pub staff_id: StaffId,
    /// 1 Monday … 7 Sunday.
    pub weekday: u8,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl RotaEntry {
    pub fn in_force_on(&self, on: NaiveDate) -> bool {
        self.start <= on && self.end.is_none_or(|end| on <= end)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    OnDuty,
    SecondedOut,
    /// Seconded in to the given host unit.
    SecondedIn {
        unit_id: UnitId,
    },
    LongLeave,
    Retired,
}

/// What one person was doing from `start` to `end` (inclusive; `None`: still so).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusPeriod {
    pub staff_id: StaffId,
    pub status: Status,
    pub other_body: Option<String>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl StatusPeriod {
    pub(crate) fn covers(&self, on: NaiveDate) -> bool {
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
    pub posts: Vec<HallPost>,
    pub rota: Vec<RotaEntry>,
    /// Credentials held by the town's staff: (staff id, credential).
    pub credentials: Vec<(StaffId, Credential)>,
}

impl TownFacts {
    /// One person's status periods.
    pub fn periods_of(&self, staff_id: StaffId) -> Vec<&StatusPeriod> {
        self.statuses
            .iter()
            .filter(|p| p.staff_id == staff_id)
            .collect()
    }
}

/// The figures shared by a unit and a town total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
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
    /// Staff at work who are on the hall's rota on the date.
    pub hall_staff: u32,
    /// Staff left for the unit's own field work: on duty − hall staff.
    pub field_staff: u32,
    /// 空编率 in tenths of a per cent: vacancies ÷ quota, rounded half away from zero (394 is
    /// 39.4 %; negative over quota); none without a quota.
    pub vacancy_permille: Option<i64>,
}

impl Figures {
    /// The names of the counted figures, in the order of [`Figures::counts`]: one set of words for
    /// the screens, the printed report, the workbook and the terminal.
    pub const LABELS: [&'static str; 9] = [
        "编制",
        "在编",
        "借调入",
        "借调出",
        "长期请假",
        "在岗",
        "空编",
        "窗口",
        "一线",
    ];

    /// The name of [`Figures::vacancy_permille`], beside the counted figures everywhere.
    pub const VACANCY_RATE: &'static str = "空编率";

    /// The other columns of a staffing table, named once for the screen, the printed report
    /// and the workbook: the unit, its kind (行政/事业), who manages it, whether its
    /// enforcement pair is in the field ([`UnitStaffing::enforcement_label`]), and over quota.
    pub const UNIT: &'static str = "单位";
    pub const KIND: &'static str = "类别";
    pub const MANAGED_BY: &'static str = "主管";
    pub const ENFORCEMENT: &'static str = "执法力量";
    pub const OVER_QUOTA: &'static str = "超编";

    /// quota, on roll, seconded in, seconded out, on leave, on duty, vacancies, hall, field.
    pub fn counts(&self) -> [i64; 9] {
        [
            i64::from(self.quota),
            i64::from(self.on_roll),
            i64::from(self.seconded_in),
            i64::from(self.seconded_out),
            i64::from(self.on_leave),
            i64::from(self.on_duty),
            self.vacancies,
            i64::from(self.hall_staff),
            i64::from(self.field_staff),
        ]
    }

    fn finish(mut self) -> Self {
        self.on_duty = self.on_roll - self.seconded_out - self.on_leave + self.seconded_in;
        self.vacancies = i64::from(self.quota) - i64::from(self.on_roll);
        self.over_quota = self.vacancies < 0;
        self.field_staff = self.on_duty - self.hall_staff;
        self.vacancy_permille = (self.quota > 0).then(|| {
            let q = i64::from(self.quota);
            let scaled = self.vacancies * 1000;
            // Half away from zero, in integers.
            (scaled + scaled.signum() * q / 2) / q
        });
        self
    }

    /// 空编率 as the screens, the printed report and the workbook write it: 39.4%.
    pub fn vacancy_rate_text(&self) -> String {
        match self.vacancy_permille {
            Some(p) => format!(
                "{}{}.{}%",
                if p < 0 { "-" } else { "" },
                p.abs() / 10,
                p.abs() % 10
            ),
            None => String::new(),
        }
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct UnitStaffing {
    pub name: String,
    pub kind: String,
    pub managed_by: String,
    #[serde(flatten)]
    pub figures: Figures,
    /// False when the unit's certified enforcement officers left for field work number fewer
    /// than two; true for units without an enforcement duty.
    pub enforcement_ok: bool,
    /// Certified officers at work and not at the hall (units with an enforcement duty).
    pub field_officers: Option<u32>,
}

impl UnitStaffing {
    /// 正常 or 不足两人 for units with an enforcement duty, empty for the others.
    pub fn enforcement_label(&self) -> &'static str {
        match (self.field_officers, self.enforcement_ok) {
            (None, _) => "",
            (Some(_), true) => "正常",
            (Some(_), false) => "不足两人",
        }
    }
}

/// A credential that ends within [`CREDENTIAL_WARNING_DAYS`] of the date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CredentialAlert {
    pub staff_no: String,
    pub name: String,
    pub unit: String,
    pub kind: String,
    pub number: String,
    pub valid_to: NaiveDate,
    pub days_left: i64,
}

/// Someone on roll who reaches retirement age within a year of the date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RetirementAlert {
    pub staff_no: String,
    pub name: String,
    pub unit: String,
    pub birth_date: NaiveDate,
    pub retires_on: NaiveDate,
    /// 退休类别: 男, 女干部 or 女职工.
    pub track: &'static str,
    /// Already past retirement age on the date yet still on the roll: to be checked (the
    /// roster lacks a 退休 period), never "retiring within a year".
    pub past: bool,
}

/// How far ahead credentials are flagged.
pub const CREDENTIAL_WARNING_DAYS: i64 = 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct TownStaffing {
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
    pub units: Vec<UnitStaffing>,
    pub credentials_expiring: Vec<CredentialAlert>,
    pub retiring_within_a_year: Vec<RetirementAlert>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct StaffingReport {
    pub date: NaiveDate,
    pub towns: Vec<TownStaffing>,
}

/// The status of one person on a date: the latest-starting period that covers it.
pub(crate) fn status_on(periods: &[&StatusPeriod], on: NaiveDate) -> Option<Status> {
    periods
        .iter()
        .filter(|p| p.covers(on))
        .max_by_key(|p| p.start)
        .map(|p| p.status)
}

/// Whether a person is at work in the town on `on`: on duty, or seconded in.
pub(crate) fn at_work(facts: &TownFacts, staff_id: StaffId, on: NaiveDate) -> bool {
    let periods = facts.periods_of(staff_id);
    at_work_in(&periods, on)
}

/// Whether one person's periods put them at work on `on`.
pub(crate) fn at_work_in(periods: &[&StatusPeriod], on: NaiveDate) -> bool {
    matches!(
        status_on(periods, on),
        Some(Status::OnDuty | Status::SecondedIn { .. })
    )
}

/// The town's officers free for field enforcement of `department` on `on`, as the staffing
/// table counts them (its 执法力量): at work in a unit whose enforcement scope is `department`,
/// not on the hall's rota that day, holding a valid 行政执法证 for it. The authority check's
/// enforcement verdict counts with this too, so the two never disagree (issue 16, defect 17).
pub fn field_officers(facts: &TownFacts, on: NaiveDate, department: &str) -> u32 {
    let staffing = summarize("", facts, on);
    facts
        .units
        .iter()
        .zip(&staffing.units)
        .filter(|(u, _)| u.enforcement_scope.as_deref() == Some(department))
        .filter_map(|(_, s)| s.field_officers)
        .sum()
}

/// The staffing figures of one town on `on`, per unit (in the order given) and in total.
pub fn summarize(name: &str, facts: &TownFacts, on: NaiveDate) -> TownStaffing {
    let mut per_unit: Vec<Figures> = vec![Figures::default(); facts.units.len()];
    let mut officers: Vec<u32> = vec![0; facts.units.len()];
    let index_of = |unit_id: UnitId| facts.units.iter().position(|u| u.id == unit_id);
    let on_rota: std::collections::HashSet<StaffId> = facts
        .rota
        .iter()
        .filter(|r| r.in_force_on(on))
        .map(|r| r.staff_id)
        .collect();
    let mut credentials_expiring = Vec::new();
    let mut retiring = Vec::new();

    for q in facts.quotas.iter().filter(|q| q.in_force_on(on)) {
        if let Some(i) = index_of(q.unit_id) {
            per_unit[i].quota += q.posts;
        }
    }
    for person in &facts.staff {
        let periods = facts.periods_of(person.id);
        let home = person.home_unit_id.and_then(index_of);
        // The unit the person works in today, if at work.
        let working_in = match (status_on(&periods, on), home) {
            (Some(Status::SecondedIn { unit_id }), _) => {
                let i = index_of(unit_id);
                if let Some(i) = i {
                    per_unit[i].seconded_in += 1;
                }
                i
            }
            (Some(Status::OnDuty), Some(i)) => {
                per_unit[i].on_roll += 1;
                Some(i)
            }
            (Some(Status::SecondedOut), Some(i)) => {
                per_unit[i].on_roll += 1;
                per_unit[i].seconded_out += 1;
                None
            }
            (Some(Status::LongLeave), Some(i)) => {
                per_unit[i].on_roll += 1;
                per_unit[i].on_leave += 1;
                None
            }
            // Retired, not yet joined, or without a home unit here: not counted.
            _ => None,
        };
        let on_roll_unit = match status_on(&periods, on) {
            Some(Status::SecondedIn { unit_id }) => index_of(unit_id),
            Some(Status::OnDuty | Status::SecondedOut | Status::LongLeave) => home,
            _ => None,
        };
        let unit_name = |i: usize| facts.units[i].name.clone();
        if let Some(i) = working_in {
            let in_hall = on_rota.contains(&person.id);
            if in_hall {
                per_unit[i].hall_staff += 1;
            }
            let cards = facts.credentials.iter().filter(|(id, _)| *id == person.id);
            if let Some(scope) = &facts.units[i].enforcement_scope {
                if !in_hall && cards.clone().any(|(_, c)| c.enforces(scope, on)) {
                    officers[i] += 1;
                }
            }
            for (_, c) in cards {
                let days_left = (c.valid_to - on).num_days();
                if c.valid_from <= on && (0..=CREDENTIAL_WARNING_DAYS).contains(&days_left) {
                    credentials_expiring.push(CredentialAlert {
                        staff_no: person.no.clone(),
                        name: person.name.clone(),
                        unit: unit_name(i),
                        kind: c.kind.clone(),
                        number: c.number.clone(),
                        valid_to: c.valid_to,
                        days_left,
                    });
                }
            }
        }
        if let (Some(i), Some(birth)) = (on_roll_unit, person.birth_date) {
            let scheme = Scheme::for_staff(&person.gender, person.retirement_track.as_deref());
            let retires_on = retirement_date(birth, scheme);
            if retires_on <= on + chrono::Months::new(12) {
                retiring.push(RetirementAlert {
                    staff_no: person.no.clone(),
                    name: person.name.clone(),
                    unit: unit_name(i),
                    birth_date: birth,
                    retires_on,
                    track: scheme.label(),
                    past: retires_on < on,
                });
            }
        }
    }
    credentials_expiring.sort_by_key(|a| (a.valid_to, a.staff_no.clone()));
    retiring.sort_by_key(|a| (a.retires_on, a.staff_no.clone()));

    let mut total = Figures::default();
    let units = facts
        .units
        .iter()
        .zip(per_unit)
        .zip(officers)
        .map(|((u, f), officers)| {
            total.add(&f);
            let field_officers = u.enforcement_scope.as_ref().map(|_| officers);
            UnitStaffing {
                name: u.name.clone(),
                kind: u.kind.clone(),
                managed_by: u.managed_by.clone(),
                figures: f.finish(),
                enforcement_ok: field_officers.is_none_or(|n| n >= 2),
                field_officers,
            }
        })
        .collect();
    TownStaffing {
        name: name.to_string(),
        figures: total.finish(),
        units,
        credentials_expiring,
        retiring_within_a_year: retiring,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn unit(id: i64, name: &str) -> Unit {
        Unit {
            id: UnitId(id),
            name: name.into(),
            kind: "事业".into(),
            managed_by: "镇党委政府".into(),
            enforcement_scope: None,
        }
    }

    fn person(id: i64, home: Option<i64>) -> Staff {
        Staff {
            id: StaffId(id),
            no: format!("T{id}"),
            name: format!("人员{id}"),
            home_unit_id: home.map(UnitId),
            home_body: None,
            gender: "男".into(),
            birth_date: None,
            retirement_track: None,
        }
    }

    fn period(staff_id: i64, status: Status, start: &str, end: Option<&str>) -> StatusPeriod {
        StatusPeriod {
            staff_id: StaffId(staff_id),
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
                    unit_id: UnitId(1),
                    kind: PostKind::Institutional,
                    posts: 3,
                    effective_from: d("2020-01-01"),
                    effective_to: Some(d("2025-12-31")),
                },
                Quota {
                    unit_id: UnitId(1),
                    kind: PostKind::Institutional,
                    posts: 2,
                    effective_from: d("2026-01-01"),
                    effective_to: None,
                },
                Quota {
                    unit_id: UnitId(2),
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
                period(
                    5,
                    Status::SecondedIn { unit_id: UnitId(2) },
                    "2026-02-01",
                    None,
                ),
            ],
            ..Default::default()
        }
    }

    /// A rota line holds from its first day to its last, both included.
    #[test]
    fn a_rota_line_holds_from_its_start_to_its_end() {
        let line = RotaEntry {
            post_id: PostId(1),
            staff_id: StaffId(1),
            weekday: 1,
            start: d("2026-03-02"),
            end: Some(d("2026-06-29")),
        };
        for (on, holds) in [
            ("2026-03-01", false),
            ("2026-03-02", true),
            ("2026-06-29", true),
            ("2026-06-30", false),
        ] {
            assert_eq!(line.in_force_on(d(on)), holds, "{on}");
        }
    }

    #[test]
    fn post_kinds_read_back_as_written() {
        for kind in [PostKind::Administrative, PostKind::Institutional] {
            assert_eq!(PostKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(
            (
                PostKind::Administrative.as_str(),
                PostKind::Institutional.as_str()
            ),
            ("行政", "事业")
        );
        assert_eq!(PostKind::parse("混合"), None);
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
        f.quotas.retain(|q| q.unit_id != UnitId(2));
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

    fn card(staff_id: i64, scope: &str, to: &str) -> (StaffId, Credential) {
        (
            StaffId(staff_id),
            Credential {
                kind: crate::domain::staff::ENFORCEMENT_CARD.into(),
                number: format!("C{staff_id}"),
                scope: scope.into(),
                valid_from: d("2020-01-01"),
                valid_to: d(to),
            },
        )
    }

    fn seat(staff_id: i64, from: &str) -> RotaEntry {
        RotaEntry {
            post_id: PostId(1),
            staff_id: StaffId(staff_id),
            weekday: 1,
            start: d(from),
            end: None,
        }
    }

    #[test]
    fn sending_one_of_two_officers_to_the_hall_leaves_no_enforcement_pair() {
        let mut f = facts();
        f.units[0].enforcement_scope = Some("市林业局".into());
        f.credentials = vec![
            card(1, "市林业局", "2030-12-31"),
            card(2, "市林业局", "2030-12-31"),
        ];
        // Before 2026-03 both officers are in the field.
        let t = summarize("测试镇", &f, d("2026-02-01"));
        assert!(t.units[0].enforcement_ok);
        assert_eq!(t.units[0].field_officers, Some(2));
        // Person 2 on leave from March: one officer left.
        let t = summarize("测试镇", &f, d("2026-04-01"));
        assert!(!t.units[0].enforcement_ok);
        // Back in July, but rostered at the hall from then: still one in the field.
        f.rota = vec![seat(1, "2026-07-01")];
        let t = summarize("测试镇", &f, d("2026-08-01"));
        assert_eq!(
            (
                t.units[0].figures.hall_staff,
                t.units[0].figures.field_staff
            ),
            (1, 1)
        );
        assert!(!t.units[0].enforcement_ok);
        // A card for another department does not count, an expired one neither.
        f.rota.clear();
        f.credentials[1] = card(2, "市自然资源局", "2030-12-31");
        assert!(!summarize("测试镇", &f, d("2026-08-01")).units[0].enforcement_ok);
        f.credentials[1] = card(2, "市林业局", "2026-07-31");
        assert!(!summarize("测试镇", &f, d("2026-08-01")).units[0].enforcement_ok);
        // A unit without an enforcement duty is never flagged.
        assert!(summarize("测试镇", &f, d("2026-08-01")).units[1].enforcement_ok);
    }

    #[test]
    fn expiring_credentials_and_coming_retirements_are_listed() {
        let mut f = facts();
        f.credentials = vec![
            card(1, "市林业局", "2026-05-15"),
            card(4, "市林业局", "2027-01-01"),
        ];
        f.staff[0].birth_date = Some(d("1966-10-10"));
        f.staff[1].birth_date = Some(d("1980-01-01"));
        // 2027-04-10 is more than a year after 2026-04-01, within one of 2026-05-01.
        assert!(summarize("测试镇", &f, d("2026-04-01"))
            .retiring_within_a_year
            .is_empty());
        let t = summarize("测试镇", &f, d("2026-05-01"));
        assert_eq!(t.credentials_expiring.len(), 1);
        assert_eq!(
            (
                t.credentials_expiring[0].staff_no.as_str(),
                t.credentials_expiring[0].days_left
            ),
            ("T1", 14)
        );
        assert_eq!(t.retiring_within_a_year.len(), 1);
        assert_eq!(t.retiring_within_a_year[0].retires_on, d("2027-04-10"));
        // Someone seconded in is listed under the unit they work in.
        f.staff[4].birth_date = Some(d("1966-06-01"));
        let t = summarize("测试镇", &f, d("2026-05-01"));
        let seconded = t
            .retiring_within_a_year
            .iter()
            .find(|a| a.staff_no == "T5")
            .expect("the seconded-in person is listed");
        assert_eq!(seconded.unit, "司法所");
    }

    /// README: cards ending within 60 days are listed: the 60th day is, the 61st is not, nor
    /// one that ended yesterday.
    #[test]
    fn cards_ending_within_sixty_days_are_listed_and_no_later_one() {
        let on = d("2026-04-01");
        let mut f = facts();
        for (days, listed) in [(0, true), (60, true), (61, false), (-1, false)] {
            let to = on + chrono::Duration::days(days);
            f.credentials = vec![card(1, "市林业局", &to.to_string())];
            let t = summarize("测试镇", &f, on);
            assert_eq!(
                t.credentials_expiring.len(),
                usize::from(listed),
                "ends in {days} days"
            );
            if listed {
                assert_eq!(t.credentials_expiring[0].days_left, days);
            }
        }
        assert_eq!(CREDENTIAL_WARNING_DAYS, 60);
    }

    proptest::proptest! {
        /// Whatever the history and rota, every figure of every unit and of the town equals the
        /// same figure counted again from the raw facts ([`recount`]).
        #[test]
        fn every_figure_adds_up(
            statuses in proptest::collection::vec((0usize..4, 0i64..6, 0u32..3000, proptest::option::of(0u32..2000)), 0..30),
            seats in proptest::collection::vec((0i64..6, 0u32..3000), 0..8),
            day in 0u32..4000,
        ) {
            let base = d("2020-01-01");
            let at = |n: u32| base + chrono::Days::new(u64::from(n));
            let mut f = facts();
            f.statuses = statuses
                .iter()
                .map(|&(k, who, start, len)| StatusPeriod {
                    staff_id: StaffId(who),
                    status: match k {
                        0 => Status::OnDuty,
                        1 => Status::SecondedOut,
                        2 => Status::LongLeave,
                        _ => Status::SecondedIn { unit_id: UnitId(1 + who % 2) },
                    },
                    other_body: None,
                    start: at(start),
                    end: len.map(|l| at(start + l)),
                })
                .collect();
            f.rota = seats.iter().map(|&(who, from)| RotaEntry { post_id: PostId(1), staff_id: StaffId(who), weekday: 1, start: at(from), end: None }).collect();
            let on = at(day);
            // Two periods of one person starting on the same day leave the date ambiguous.
            proptest::prop_assume!(f.staff.iter().all(|p| {
                let latest: Vec<_> = f.statuses.iter().filter(|s| s.staff_id == p.id && s.covers(on)).collect();
                let start = latest.iter().map(|s| s.start).max();
                let mut kinds: Vec<_> = latest.iter().filter(|s| Some(s.start) == start).map(|s| s.status).collect();
                kinds.dedup();
                kinds.len() <= 1
            }));
            let t = summarize("测试镇", &f, on);
            let want = recount(&f, on);
            for (k, u) in t.units.iter().enumerate() {
                proptest::prop_assert_eq!(u.figures, want.0[k], "unit {}", k);
            }
            proptest::prop_assert_eq!(t.figures, want.1);
        }
    }

    /// The figures counted again from the raw facts, person by person, as DESIGN.md defines
    /// them, without `summarize` or `Figures::finish`: on duty is who works in the unit (home
    /// here and on duty, or seconded in), not the formula, so that the formula is checked.
    /// Per unit, and for the town counted over every person at once.
    fn recount(f: &TownFacts, on: NaiveDate) -> (Vec<Figures>, Figures) {
        let status = |id: StaffId| {
            f.statuses
                .iter()
                .filter(|s| s.staff_id == id && s.start <= on && s.end.is_none_or(|e| on <= e))
                .max_by_key(|s| s.start)
                .map(|s| s.status)
        };
        let rostered = |id: StaffId| {
            f.rota
                .iter()
                .any(|r| r.staff_id == id && r.start <= on && r.end.is_none_or(|e| on <= e))
        };
        let count = |unit: Option<UnitId>| {
            let here = |u: UnitId| unit.is_none_or(|x| x == u);
            let known = |u: UnitId| f.units.iter().any(|x| x.id == u);
            let mut g = Figures {
                quota: f
                    .quotas
                    .iter()
                    .filter(|q| here(q.unit_id) && known(q.unit_id))
                    .filter(|q| q.effective_from <= on && q.effective_to.is_none_or(|e| on <= e))
                    .map(|q| q.posts)
                    .sum(),
                ..Figures::default()
            };
            for p in &f.staff {
                let home = p.home_unit_id.filter(|u| here(*u) && known(*u));
                let works = match (status(p.id), home) {
                    (Some(Status::SecondedIn { unit_id }), _)
                        if here(unit_id) && known(unit_id) =>
                    {
                        g.seconded_in += 1;
                        true
                    }
                    (Some(Status::SecondedIn { .. }), _) => false,
                    (Some(Status::OnDuty), Some(_)) => {
                        g.on_roll += 1;
                        true
                    }
                    (Some(Status::SecondedOut), Some(_)) => {
                        g.on_roll += 1;
                        g.seconded_out += 1;
                        false
                    }
                    (Some(Status::LongLeave), Some(_)) => {
                        g.on_roll += 1;
                        g.on_leave += 1;
                        false
                    }
                    _ => false,
                };
                if works {
                    g.on_duty += 1;
                    if rostered(p.id) {
                        g.hall_staff += 1;
                    } else {
                        g.field_staff += 1;
                    }
                }
            }
            g.vacancies = i64::from(g.quota) - i64::from(g.on_roll);
            g.over_quota = g.vacancies < 0;
            // In floating point, rounded half away from zero: not the integer sum of `finish`.
            g.vacancy_permille = (g.quota > 0)
                .then(|| (g.vacancies as f64 * 1000.0 / f64::from(g.quota)).round() as i64);
            g
        };
        (
            f.units.iter().map(|u| count(Some(u.id))).collect(),
            count(None),
        )
    }
}

#[cfg(test)]
mod vacancy_rate_tests {
    use super::*;

    fn with(quota: u32, on_roll: u32) -> Figures {
        Figures {
            quota,
            on_roll,
            ..Default::default()
        }
        .finish()
    }

    /// 空编率 = vacancies ÷ quota, to a tenth of a per cent, half away from zero; the seed's
    /// towns: 31 and 39 of 99.
    #[test]
    fn the_vacancy_rate_is_vacancies_over_quota_to_a_tenth_of_a_per_cent() {
        let table = [
            (99, 68, Some(313), "31.3%"),
            (99, 60, Some(394), "39.4%"),
            (8, 7, Some(125), "12.5%"),
            (3, 2, Some(333), "33.3%"),
            (6, 5, Some(167), "16.7%"),
            (10, 10, Some(0), "0.0%"),
            (10, 11, Some(-100), "-10.0%"),
            (6, 7, Some(-167), "-16.7%"),
            (0, 2, None, ""),
        ];
        for (quota, on_roll, permille, text) in table {
            let f = with(quota, on_roll);
            assert_eq!(f.vacancy_permille, permille, "{quota}/{on_roll}");
            assert_eq!(f.vacancy_rate_text(), text, "{quota}/{on_roll}");
        }
    }
}
