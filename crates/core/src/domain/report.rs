//! The leader's performance report (issue 20), pure: each request of a town received in a range
//! is classified once ([`Counted`]); the figures are the counts of those classes, and the list
//! behind any figure is the requests of that class ([`Figure::holds`]), so that a figure and its
//! drill-down list are one rule.
//!
//! - `received`: requests taken in within the range (a consultation is no request: counted
//!   apart as `consulted`).
//! - `accepted`: accepted here (受理), accept-and-forward intakes (收件转报), and every completed
//!   request.
//! - `completed` = `on_time` + `late`: completed (办结) by its due date or after; `early` is the
//!   part of `on_time` completed before it; `on_the_spot` (即办件) completed the day it was
//!   taken in. A request with no time limit completes on time.
//! - `refused`: 不予受理. `forwarded`: sent to a city department. `open`: not yet ended.
//!   `overdue_now`: open and past its due date today (with the reason given, if any).
//! - Each request counts at exactly one post: its clerk's rota post that day, else the item's.
//! - By department (forwarded requests): forwarded, answered (the department's result recorded),
//!   median and 90th percentile working days from forwarding to the answer, overdue at the
//!   department now, and a score ([`DEPARTMENT_SCORE`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the report needs of one request, read by the service from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub number: String,
    pub town: String,
    /// The Monday of the week it was taken in (YYYY-MM-DD).
    pub week: String,
    pub item: String,
    pub item_name: String,
    pub clerk_no: String,
    pub clerk_name: String,
    /// The post it counts at: its clerk's rota post that day, else the item's.
    pub post: String,
    pub consultation: bool,
    pub received_on: NaiveDate,
    /// Accepted here, taken in to be forwarded, or completed.
    pub accepted: bool,
    /// The day it was completed (办结), if it was.
    pub completed_on: Option<NaiveDate>,
    /// The due date its completion is measured against (the township's, else the department's).
    pub due: Option<NaiveDate>,
    pub refused: bool,
    pub ended: bool,
    pub overdue_now: bool,
    pub overdue_reason: Option<String>,
    /// The city department it was forwarded to.
    pub department: Option<String>,
    pub forwarded_on: Option<NaiveDate>,
    pub department_due: Option<NaiveDate>,
    /// The day the department's result was recorded.
    pub answered_on: Option<NaiveDate>,
    /// Working days from forwarding to the answer.
    pub answer_days: Option<i64>,
}

/// What the report reads of a request in the store: its state and dates, no names and no
/// applicant, so that a county's year reads quickly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestFacts<'a> {
    pub created_on: NaiveDate,
    pub state: crate::request::State,
    pub accepted_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub mode: Option<crate::catalog::Mode>,
    pub forwarded_to: Option<&'a str>,
    pub forwarded_on: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub department_due: Option<NaiveDate>,
    /// The day the department's result was first recorded (allowed).
    pub answered_on: Option<NaiveDate>,
}

/// A request's facts as the store reads them for the report, with its item and clerk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredFacts<'a> {
    pub id: crate::ids::RequestId,
    pub item_id: crate::ids::ItemId,
    pub clerk_id: crate::ids::StaffId,
    pub request: RequestFacts<'a>,
}

impl<'a> RequestFacts<'a> {
    /// The facts of a request read whole, its department's answer on `answered_on`.
    pub fn of(r: &'a crate::request::record::RequestRow, answered_on: Option<NaiveDate>) -> Self {
        RequestFacts {
            created_on: r.created_on,
            state: r.state,
            accepted_on: r.accepted_on,
            closed_on: r.closed_on,
            mode: r.mode,
            forwarded_to: r.forwarded_to.as_deref(),
            forwarded_on: r.forwarded_on,
            due: r.due,
            department_due: r.department_due,
            answered_on,
        }
    }

    /// The facts the figures' rule reads, counted on `today`: accepted here or taken in to be
    /// forwarded; completed (办结, or revoked after it) on its closing day; due by the
    /// township's date, else the department's; overdue while its clock runs past its due date.
    pub fn facts(&self, today: NaiveDate) -> Facts {
        use crate::request::State;
        let forwarded_intake =
            self.mode == Some(crate::catalog::Mode::Forward) && self.forwarded_to.is_some();
        Facts {
            consultation: self.state == State::Consulted,
            received_on: self.created_on,
            accepted: self.accepted_on.is_some() || forwarded_intake,
            completed_on: matches!(self.state, State::Completed | State::Revoked)
                .then_some(self.closed_on)
                .flatten(),
            due: self.due.or(self.department_due),
            refused: self.state == State::Refused,
            ended: matches!(
                self.state,
                State::Completed
                    | State::Refused
                    | State::Withdrawn
                    | State::Revoked
                    | State::Consulted
            ),
            overdue_now: crate::domain::request::effect::open_due_of(
                self.state,
                self.due,
                self.department_due,
            )
            .is_some_and(|d| today > d),
            forwarded: self.forwarded_to.is_some(),
            answered: self.answered_on.is_some(),
        }
    }
}

/// The classes a request falls in; each figure counts one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    Received,
    Consulted,
    Accepted,
    Completed,
    OnTime,
    Early,
    Late,
    OnTheSpot,
    Refused,
    Forwarded,
    Answered,
    Open,
    OverdueNow,
}

impl Figure {
    pub const ALL: [Figure; 13] = [
        Figure::Received,
        Figure::Consulted,
        Figure::Accepted,
        Figure::Completed,
        Figure::OnTime,
        Figure::Early,
        Figure::Late,
        Figure::OnTheSpot,
        Figure::Refused,
        Figure::Forwarded,
        Figure::Answered,
        Figure::Open,
        Figure::OverdueNow,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Figure::Received => "received",
            Figure::Consulted => "consulted",
            Figure::Accepted => "accepted",
            Figure::Completed => "completed",
            Figure::OnTime => "on_time",
            Figure::Early => "early",
            Figure::Late => "late",
            Figure::OnTheSpot => "on_the_spot",
            Figure::Refused => "refused",
            Figure::Forwarded => "forwarded",
            Figure::Answered => "answered",
            Figure::Open => "open",
            Figure::OverdueNow => "overdue_now",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Figure::Received => "收件",
            Figure::Consulted => "咨询",
            Figure::Accepted => "受理",
            Figure::Completed => "办结",
            Figure::OnTime => "按时办结",
            Figure::Early => "提前办结",
            Figure::Late => "超期办结",
            Figure::OnTheSpot => "即办件",
            Figure::Refused => "不予受理",
            Figure::Forwarded => "转报",
            Figure::Answered => "部门已答复",
            Figure::Open => "在办",
            Figure::OverdueNow => "当前超期",
        }
    }

    /// Reads a figure's key or its Chinese name (field `figure`).
    pub fn parse(text: &str) -> Option<Figure> {
        let t = text.trim();
        Figure::ALL
            .into_iter()
            .find(|f| f.key() == t || f.label() == t)
    }

    /// Whether `row` is one of the requests this figure counts.
    pub fn holds(self, row: &ReportRow) -> bool {
        self.holds_for(&row.facts())
    }

    /// Whether a request with these facts is one this figure counts ([`Facts::figures`]).
    pub fn holds_for(self, row: &Facts) -> bool {
        row.figures().has(self)
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// What the figures' rule reads of a request: its dates and flags, no names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub consultation: bool,
    pub received_on: NaiveDate,
    pub accepted: bool,
    pub completed_on: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub refused: bool,
    pub ended: bool,
    pub overdue_now: bool,
    /// Forwarded to a city department.
    pub forwarded: bool,
    /// The department's result recorded.
    pub answered: bool,
}

impl Facts {
    /// The rule of every figure: the figures that count a request with these facts.
    pub fn figures(&self) -> Figures {
        let received = !self.consultation;
        let completed = received && self.completed_on.is_some();
        let on_time = completed
            && match (self.completed_on, self.due) {
                (Some(done), Some(due)) => done <= due,
                _ => true,
            };
        let early = on_time
            && matches!((self.completed_on, self.due), (Some(done), Some(due)) if done < due);
        let open = received && !self.ended;
        let holds = |f: Figure| match f {
            Figure::Received => received,
            Figure::Consulted => self.consultation,
            Figure::Accepted => received && (self.accepted || completed),
            Figure::Completed => completed,
            Figure::OnTime => on_time,
            Figure::Early => early,
            Figure::Late => completed && !on_time,
            Figure::OnTheSpot => completed && self.completed_on == Some(self.received_on),
            Figure::Refused => received && self.refused,
            Figure::Forwarded => received && self.forwarded,
            Figure::Answered => received && self.forwarded && self.answered,
            Figure::Open => open,
            Figure::OverdueNow => open && self.overdue_now,
        };
        let mut bits = 0;
        for f in Figure::ALL {
            if holds(f) {
                bits |= f.bit();
            }
        }
        Figures(bits)
    }
}

/// A set of figures (those that count one request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures(u16);

impl Figures {
    pub fn has(self, f: Figure) -> bool {
        self.0 & f.bit() != 0
    }
}

impl ReportRow {
    pub fn facts(&self) -> Facts {
        Facts {
            consultation: self.consultation,
            received_on: self.received_on,
            accepted: self.accepted,
            completed_on: self.completed_on,
            due: self.due,
            refused: self.refused,
            ended: self.ended,
            overdue_now: self.overdue_now,
            forwarded: self.department.is_some(),
            answered: self.answered_on.is_some(),
        }
    }
}

/// A dimension the report breaks figures down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Department,
    Post,
    Clerk,
    Item,
    /// The week taken in, by its Monday.
    Week,
    Town,
}

impl Dimension {
    pub const ALL: [Dimension; 6] = [
        Dimension::Department,
        Dimension::Post,
        Dimension::Clerk,
        Dimension::Item,
        Dimension::Week,
        Dimension::Town,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Dimension::Department => "department",
            Dimension::Post => "post",
            Dimension::Clerk => "clerk",
            Dimension::Item => "item",
            Dimension::Week => "week",
            Dimension::Town => "town",
        }
    }

    pub fn parse(text: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.key() == text.trim())
    }

    /// The group `row` falls in (a request never forwarded has no department).
    pub fn of(self, row: &ReportRow) -> Option<&str> {
        match self {
            Dimension::Department => row.department.as_deref(),
            Dimension::Post => Some(&row.post),
            Dimension::Clerk => Some(&row.clerk_no),
            Dimension::Item => Some(&row.item),
            Dimension::Week => Some(&row.week),
            Dimension::Town => Some(&row.town),
        }
    }
}

/// A figure's count, or a rate with both its numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Rate {
    pub numerator: u32,
    pub denominator: u32,
    /// In tenths of a per cent, rounded half up; none over nothing.
    pub permille: Option<u32>,
}

impl Rate {
    pub fn of(numerator: u32, denominator: u32) -> Rate {
        Rate {
            numerator,
            denominator,
            permille: (denominator > 0).then(|| {
                ((u64::from(numerator) * 2000 + u64::from(denominator))
                    / (2 * u64::from(denominator))) as u32
            }),
        }
    }
}

/// The counts of every figure over some requests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Counts {
    pub received: u32,
    pub consulted: u32,
    pub accepted: u32,
    pub completed: u32,
    pub on_time: u32,
    pub early: u32,
    pub late: u32,
    pub on_the_spot: u32,
    pub refused: u32,
    pub forwarded: u32,
    pub answered: u32,
    pub open: u32,
    pub overdue_now: u32,
}

impl Counts {
    pub fn add(&mut self, row: &ReportRow) {
        self.add_figures(row.facts().figures());
    }

    /// Counts one request in each of `figures`.
    pub fn add_figures(&mut self, figures: Figures) {
        for f in Figure::ALL {
            if figures.has(f) {
                *self.slot(f) += 1;
            }
        }
    }

    fn slot(&mut self, f: Figure) -> &mut u32 {
        match f {
            Figure::Received => &mut self.received,
            Figure::Consulted => &mut self.consulted,
            Figure::Accepted => &mut self.accepted,
            Figure::Completed => &mut self.completed,
            Figure::OnTime => &mut self.on_time,
            Figure::Early => &mut self.early,
            Figure::Late => &mut self.late,
            Figure::OnTheSpot => &mut self.on_the_spot,
            Figure::Refused => &mut self.refused,
            Figure::Forwarded => &mut self.forwarded,
            Figure::Answered => &mut self.answered,
            Figure::Open => &mut self.open,
            Figure::OverdueNow => &mut self.overdue_now,
        }
    }

    pub fn get(&self, f: Figure) -> u32 {
        let mut c = *self;
        *c.slot(f)
    }
}

/// A rate the report shows: its name, the figures it divides, and the rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct NamedRate {
    pub key: String,
    pub label: String,
    /// The figures divided, named apart from the rate's own `numerator` and `denominator` (its
    /// counts, flattened beside them), so that the JSON has each key once.
    #[serde(rename = "numerator_figure")]
    pub numerator: Figure,
    #[serde(rename = "denominator_figure")]
    pub denominator: Figure,
    #[serde(flatten)]
    pub rate: Rate,
}

/// The rates of the hall's peers (提前办结率, 按时办结率, 超期办结率, 即办件率), each of two figures.
pub const RATES: [(&str, &str, Figure, Figure); 4] = [
    ("early_rate", "提前办结率", Figure::Early, Figure::Completed),
    (
        "on_time_rate",
        "按时办结率",
        Figure::OnTime,
        Figure::Completed,
    ),
    ("late_rate", "超期办结率", Figure::Late, Figure::Completed),
    (
        "on_the_spot_rate",
        "即办件率",
        Figure::OnTheSpot,
        Figure::Completed,
    ),
];

pub fn rates(c: &Counts) -> Vec<NamedRate> {
    RATES
        .iter()
        .map(|&(key, label, n, d)| NamedRate {
            key: key.to_string(),
            label: label.to_string(),
            numerator: n,
            denominator: d,
            rate: Rate::of(c.get(n), c.get(d)),
        })
        .collect()
}

/// One group's figures (a post, a clerk, an item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct GroupFigures {
    pub key: String,
    pub name: String,
    #[serde(flatten)]
    pub counts: Counts,
    pub on_time_rate: Rate,
}

/// How a department's score is worked out, written beside it wherever it is shown.
pub const DEPARTMENT_SCORE: &str =
    "得分 = 100 × 按期答复件数 ÷ 转报件数 − 5 × 当前超期件数（最低 0 分；未答复且未超期的不扣分）";

/// A city department's turnaround of the requests forwarded to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct DepartmentFigures {
    pub department: String,
    pub forwarded: u32,
    pub answered: u32,
    /// Answered by the department's due date.
    pub answered_on_time: u32,
    /// Working days from forwarding to the answer: the median and the 90th percentile (nearest
    /// rank).
    pub median_days: Option<i64>,
    pub p90_days: Option<i64>,
    pub overdue_now: u32,
    pub score: i64,
}

/// The Monday of `day`'s week, as the week's key.
pub fn monday_of(day: NaiveDate) -> String {
    use chrono::Datelike;
    let back = i64::from(day.weekday().num_days_from_monday());
    (day - chrono::Duration::days(back)).to_string()
}

/// Nearest-rank percentile `p` of sorted values.
pub fn percentile(sorted: &[i64], p: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Each department's figures, the best score first (then the shorter median, then the name).
pub fn by_department(rows: &[ReportRow]) -> Vec<DepartmentFigures> {
    let mut groups: BTreeMap<&str, Vec<&ReportRow>> = BTreeMap::new();
    for r in rows.iter().filter(|r| Figure::Forwarded.holds(r)) {
        if let Some(d) = r.department.as_deref() {
            groups.entry(d).or_default().push(r);
        }
    }
    let mut out: Vec<DepartmentFigures> = groups
        .into_iter()
        .map(|(department, rs)| {
            let forwarded = rs.len() as u32;
            let answered = rs.iter().filter(|r| Figure::Answered.holds(r)).count() as u32;
            let answered_on_time = rs
                .iter()
                .filter(|r| answered_in_time(r.answered_on, r.department_due))
                .count() as u32;
            let mut days: Vec<i64> = rs.iter().filter_map(|r| r.answer_days).collect();
            let overdue_now = rs.iter().filter(|r| Figure::OverdueNow.holds(r)).count() as u32;
            DepartmentFigures::new(
                department,
                [forwarded, answered, answered_on_time, overdue_now],
                &mut days,
            )
        })
        .collect();
    rank_departments(&mut out);
    out
}

/// Whether a department answered by its due date (one with no due date answers in time).
pub fn answered_in_time(answered_on: Option<NaiveDate>, department_due: Option<NaiveDate>) -> bool {
    match (answered_on, department_due) {
        (Some(a), Some(due)) => a <= due,
        (Some(_), None) => true,
        _ => false,
    }
}

impl DepartmentFigures {
    /// A department's figures from its counts (forwarded, answered, answered on time, overdue
    /// now) and the working days of its answers, scored by [`DEPARTMENT_SCORE`].
    pub fn new(department: &str, counts: [u32; 4], days: &mut [i64]) -> DepartmentFigures {
        let [forwarded, answered, answered_on_time, overdue_now] = counts;
        days.sort_unstable();
        let score = (100 * i64::from(answered_on_time) / i64::from(forwarded.max(1))
            - 5 * i64::from(overdue_now))
        .max(0);
        DepartmentFigures {
            department: department.to_string(),
            forwarded,
            answered,
            answered_on_time,
            median_days: percentile(days, 50),
            p90_days: percentile(days, 90),
            overdue_now,
            score,
        }
    }
}

/// Ranks departments: the best score first, then the shorter median, then the name.
pub fn rank_departments(out: &mut [DepartmentFigures]) {
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(
                a.median_days
                    .unwrap_or(i64::MAX)
                    .cmp(&b.median_days.unwrap_or(i64::MAX)),
            )
            .then(a.department.cmp(&b.department))
    });
}

/// Figures per group of `dim` (posts, clerks, items), in the order of their keys; `name` gives
/// a group's display name from a row of it.
pub fn by_group(rows: &[ReportRow], dim: Dimension) -> Vec<GroupFigures> {
    let mut groups: BTreeMap<String, (String, Counts)> = BTreeMap::new();
    for r in rows {
        let Some(key) = dim.of(r) else { continue };
        let name = match dim {
            Dimension::Clerk => format!("{}（{}）", r.clerk_name, r.clerk_no),
            Dimension::Item => r.item_name.clone(),
            Dimension::Week => format!("{key} 起一周"),
            _ => key.to_string(),
        };
        groups
            .entry(key.to_string())
            .or_insert_with(|| (name, Counts::default()))
            .1
            .add(r);
    }
    groups
        .into_iter()
        .map(|(key, (name, counts))| GroupFigures {
            on_time_rate: Rate::of(counts.on_time, counts.completed),
            key,
            name,
            counts,
        })
        .collect()
}

/// The keys and display names of one dimension's groups, each given a small number once, so
/// that a large report counts into arrays instead of maps keyed by text.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    keys: Vec<String>,
    names: Vec<String>,
    index: rustc_hash::FxHashMap<String, u32>,
}

impl Vocabulary {
    /// The number of `key`, given the first time with the display name `name` makes.
    pub fn id(&mut self, key: &str, name: impl FnOnce() -> String) -> u32 {
        if let Some(&id) = self.index.get(key) {
            return id;
        }
        let id = self.keys.len() as u32;
        self.keys.push(key.to_string());
        self.names.push(name());
        self.index.insert(key.to_string(), id);
        id
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The vocabularies of a report's dimensions.
#[derive(Debug, Clone, Default)]
pub struct Vocabularies {
    pub towns: Vocabulary,
    pub weeks: Vocabulary,
    pub items: Vocabulary,
    pub clerks: Vocabulary,
    pub posts: Vocabulary,
    pub departments: Vocabulary,
}

impl Vocabularies {
    /// The numbers of a [`ReportRow`]'s groups, named as [`by_group`] names them.
    pub fn tally(&mut self, row: &ReportRow) -> Tally {
        Tally {
            figures: row.facts().figures(),
            town: self.towns.id(&row.town, || row.town.clone()),
            week: self.weeks.id(&row.week, || format!("{} 起一周", row.week)),
            item: self.items.id(&row.item, || row.item_name.clone()),
            clerk: self.clerks.id(&row.clerk_no, || {
                format!("{}（{}）", row.clerk_name, row.clerk_no)
            }),
            post: self.posts.id(&row.post, || row.post.clone()),
            department: row
                .department
                .as_deref()
                .map(|d| self.departments.id(d, || d.to_string())),
            answered_in_time: answered_in_time(row.answered_on, row.department_due),
            answer_days: row.answer_days,
        }
    }
}

impl Vocabularies {
    /// Whether a tallied request falls in the group `key` of `dim` ([`Dimension::of`]'s rule
    /// for a row).
    pub fn holds(&self, t: &Tally, dim: Dimension, key: &str) -> bool {
        let (v, id) = match dim {
            Dimension::Town => (&self.towns, Some(t.town)),
            Dimension::Week => (&self.weeks, Some(t.week)),
            Dimension::Item => (&self.items, Some(t.item)),
            Dimension::Clerk => (&self.clerks, Some(t.clerk)),
            Dimension::Post => (&self.posts, Some(t.post)),
            Dimension::Department => (&self.departments, t.department),
        };
        id.is_some_and(|id| v.keys[id as usize] == key)
    }

    /// Takes in `other`'s groups (numbering those new here after these) and returns how
    /// `other`'s numbers become these: a report tallied in parts is then one. A group keeps the
    /// name it had here first.
    pub fn absorb(&mut self, other: &Vocabularies) -> Renumbering {
        fn map(mine: &mut Vocabulary, theirs: &Vocabulary) -> Vec<u32> {
            theirs
                .keys
                .iter()
                .zip(&theirs.names)
                .map(|(key, name)| mine.id(key, || name.clone()))
                .collect()
        }
        Renumbering {
            towns: map(&mut self.towns, &other.towns),
            weeks: map(&mut self.weeks, &other.weeks),
            items: map(&mut self.items, &other.items),
            clerks: map(&mut self.clerks, &other.clerks),
            posts: map(&mut self.posts, &other.posts),
            departments: map(&mut self.departments, &other.departments),
        }
    }
}

/// How one part's group numbers become another's ([`Vocabularies::absorb`]).
#[derive(Debug, Clone, Default)]
pub struct Renumbering {
    towns: Vec<u32>,
    weeks: Vec<u32>,
    items: Vec<u32>,
    clerks: Vec<u32>,
    posts: Vec<u32>,
    departments: Vec<u32>,
}

impl Renumbering {
    pub fn tally(&self, t: &mut Tally) {
        t.town = self.towns[t.town as usize];
        t.week = self.weeks[t.week as usize];
        t.item = self.items[t.item as usize];
        t.clerk = self.clerks[t.clerk as usize];
        t.post = self.posts[t.post as usize];
        t.department = t.department.map(|d| self.departments[d as usize]);
    }
}

/// A request as a large report counts it: its facts and the numbers of its groups in
/// [`Vocabularies`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// The figures that count it ([`Facts::figures`]).
    pub figures: Figures,
    pub town: u32,
    pub week: u32,
    pub item: u32,
    pub clerk: u32,
    pub post: u32,
    pub department: Option<u32>,
    pub answered_in_time: bool,
    pub answer_days: Option<i64>,
}

/// Every figure of a report over tallied requests: the counts, each dimension's groups and the
/// departments, the same as [`Counts::add`], [`by_group`] and [`by_department`] give over the
/// rows (tested).
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub counts: Counts,
    pub by_post: Vec<GroupFigures>,
    pub by_clerk: Vec<GroupFigures>,
    pub by_item: Vec<GroupFigures>,
    pub by_week: Vec<GroupFigures>,
    pub by_town: Vec<GroupFigures>,
    pub by_department: Vec<DepartmentFigures>,
}

/// One group's counts while tallying: per figure, in [`Figure::ALL`]'s order.
#[derive(Debug, Clone, Copy, Default)]
struct Tallied([u32; 13]);

impl Tallied {
    fn add(&mut self, figures: Figures) {
        let mut bits = figures.0;
        while bits != 0 {
            self.0[bits.trailing_zeros() as usize] += 1;
            bits &= bits - 1;
        }
    }

    fn absorb(&mut self, other: &Tallied) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            *mine += theirs;
        }
    }

    fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for f in Figure::ALL {
            *c.slot(f) = self.0[f as usize];
        }
        c
    }
}

/// The sums of tallied requests, per group number: every figure overall and per town, week,
/// item, clerk and post, and per department its counts (forwarded, answered, answered in
/// time, overdue now) and working days. Requests are added one by one, without being kept.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    all: Tallied,
    towns: Vec<Option<Tallied>>,
    weeks: Vec<Option<Tallied>>,
    items: Vec<Option<Tallied>>,
    clerks: Vec<Option<Tallied>>,
    posts: Vec<Option<Tallied>>,
    departments: Vec<([u32; 4], Vec<i64>)>,
}

fn slot<T: Default>(slots: &mut Vec<T>, i: u32) -> &mut T {
    let i = i as usize;
    if slots.len() <= i {
        slots.resize_with(i + 1, T::default);
    }
    &mut slots[i]
}

impl Sums {
    pub fn add(&mut self, t: &Tally) {
        let figures = t.figures;
        self.all.add(figures);
        for (slots, i) in [
            (&mut self.towns, t.town),
            (&mut self.weeks, t.week),
            (&mut self.items, t.item),
            (&mut self.clerks, t.clerk),
            (&mut self.posts, t.post),
        ] {
            slot(slots, i)
                .get_or_insert_with(Tallied::default)
                .add(figures);
        }
        if let (Some(d), true) = (t.department, figures.has(Figure::Forwarded)) {
            let (c, days) = slot(&mut self.departments, d);
            c[0] += 1;
            c[1] += u32::from(figures.has(Figure::Answered));
            c[2] += u32::from(t.answered_in_time);
            c[3] += u32::from(figures.has(Figure::OverdueNow));
            days.extend(t.answer_days);
        }
    }

    /// Adds `other`'s sums, whose group numbers `renumber` turns into these.
    pub fn absorb(&mut self, other: Sums, renumber: &Renumbering) {
        self.all.absorb(&other.all);
        for (mine, theirs, map) in [
            (&mut self.towns, other.towns, &renumber.towns),
            (&mut self.weeks, other.weeks, &renumber.weeks),
            (&mut self.items, other.items, &renumber.items),
            (&mut self.clerks, other.clerks, &renumber.clerks),
            (&mut self.posts, other.posts, &renumber.posts),
        ] {
            for (i, t) in theirs.into_iter().enumerate() {
                if let Some(t) = t {
                    slot(mine, map[i])
                        .get_or_insert_with(Tallied::default)
                        .absorb(&t);
                }
            }
        }
        for (i, (c, days)) in other.departments.into_iter().enumerate() {
            let (mine, my_days) = slot(&mut self.departments, renumber.departments[i]);
            for k in 0..4 {
                mine[k] += c[k];
            }
            my_days.extend(days);
        }
    }

    /// The figures, groups named by `v`.
    pub fn finish(self, v: &Vocabularies) -> Summary {
        fn groups(v: &Vocabulary, counts: Vec<Option<Tallied>>) -> Vec<GroupFigures> {
            let mut out: Vec<GroupFigures> = counts
                .into_iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let counts = c?.counts();
                    Some(GroupFigures {
                        key: v.keys[i].clone(),
                        name: v.names[i].clone(),
                        on_time_rate: Rate::of(counts.on_time, counts.completed),
                        counts,
                    })
                })
                .collect();
            out.sort_by(|a, b| a.key.cmp(&b.key));
            out
        }
        let mut by_department: Vec<DepartmentFigures> = self
            .departments
            .into_iter()
            .enumerate()
            .filter(|(_, (c, _))| c[0] > 0)
            .map(|(i, (c, mut days))| DepartmentFigures::new(&v.departments.keys[i], c, &mut days))
            .collect();
        rank_departments(&mut by_department);
        Summary {
            counts: self.all.counts(),
            by_post: groups(&v.posts, self.posts),
            by_clerk: groups(&v.clerks, self.clerks),
            by_item: groups(&v.items, self.items),
            by_week: groups(&v.weeks, self.weeks),
            by_town: groups(&v.towns, self.towns),
            by_department,
        }
    }
}

/// Counts `tallies` once, into arrays indexed by their groups' numbers.
pub fn summarise(tallies: &[Tally], v: &Vocabularies) -> Summary {
    let mut sums = Sums::default();
    for t in tallies {
        sums.add(t);
    }
    sums.finish(v)
}

/// The requests behind a figure, within a group when one is given: exactly those the figure
/// counts.
pub fn behind<'a>(
    rows: &'a [ReportRow],
    figure: Figure,
    group: Option<(Dimension, &str)>,
) -> Vec<&'a ReportRow> {
    rows.iter()
        .filter(|r| figure.holds(r))
        .filter(|r| group.is_none_or(|(d, key)| d.of(r) == Some(key)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() + chrono::Duration::days(i64::from(n))
    }

    prop_compose! {
        fn a_row()(
            consultation in prop::bool::weighted(0.1),
            received in 0u32..30,
            accepted in any::<bool>(),
            completed in prop::option::of(0u32..40),
            due in prop::option::of(0u32..40),
            refused in prop::bool::weighted(0.1),
            ended in any::<bool>(),
            overdue in any::<bool>(),
            dept in prop::option::of(0usize..3),
            answered in prop::option::of(0u32..40),
            post in 0usize..3,
            clerk in 0usize..4,
            item in 0usize..5,
            town in 0usize..2,
        ) -> ReportRow {
            let completed_on = completed.map(|c| day(received + c % 10));
            ReportRow {
                number: String::new(),
                town: ["东风镇", "红旗乡"][town].into(),
                week: monday_of(day(received)),
                item: format!("IT-{item}"),
                item_name: format!("事项{item}"),
                clerk_no: format!("DF00{clerk}"),
                clerk_name: format!("人{clerk}"),
                post: ["综合窗口", "民政窗口", "社保窗口"][post].into(),
                consultation,
                received_on: day(received),
                accepted,
                completed_on,
                due: due.map(day),
                refused,
                ended: ended || completed_on.is_some(),
                overdue_now: overdue,
                overdue_reason: None,
                department: dept.map(|d| ["市林业局", "市自然资源局", "市人社局"][d].into()),
                forwarded_on: dept.map(|_| day(received)),
                department_due: dept.map(|_| day(received + 10)),
                answered_on: dept.and(answered).map(|a| day(received + a % 20)),
                answer_days: dept.and(answered).map(|a| i64::from(a % 20)),
            }
        }
    }

    proptest! {
        /// Every figure, overall and in every group, counts exactly the requests its list
        /// holds; every rate's numerator and denominator are those lists' lengths; completed is
        /// on time plus late, and early is part of on time.
        #[test]
        fn each_figure_and_rate_is_the_length_of_its_list(rows in prop::collection::vec(a_row(), 0..120)) {
            let mut all = Counts::default();
            for r in &rows {
                all.add(r);
            }
            for f in Figure::ALL {
                prop_assert_eq!(all.get(f) as usize, behind(&rows, f, None).len(), "{:?}", f);
            }
            prop_assert_eq!(all.completed, all.on_time + all.late);
            prop_assert!(all.early <= all.on_time);
            for r in rates(&all) {
                prop_assert_eq!(r.rate.numerator as usize, behind(&rows, r.numerator, None).len());
                prop_assert_eq!(r.rate.denominator as usize, behind(&rows, r.denominator, None).len());
            }
            for dim in [Dimension::Post, Dimension::Clerk, Dimension::Item, Dimension::Week] {
                let groups = by_group(&rows, dim);
                let total: u32 = groups.iter().map(|g| g.counts.received).sum();
                prop_assert_eq!(total, all.received, "{:?}", dim);
                for g in &groups {
                    for f in Figure::ALL {
                        prop_assert_eq!(
                            g.counts.get(f) as usize,
                            behind(&rows, f, Some((dim, &g.key))).len(),
                            "{:?} {} {:?}", dim, g.key, f
                        );
                    }
                    prop_assert_eq!(g.on_time_rate.numerator, g.counts.on_time);
                    prop_assert_eq!(g.on_time_rate.denominator, g.counts.completed);
                }
            }
            for d in by_department(&rows) {
                let key = Some((Dimension::Department, d.department.as_str()));
                prop_assert_eq!(d.forwarded as usize, behind(&rows, Figure::Forwarded, key).len());
                prop_assert_eq!(d.answered as usize, behind(&rows, Figure::Answered, key).len());
                prop_assert_eq!(d.overdue_now as usize, behind(&rows, Figure::OverdueNow, key).len());
                prop_assert!(d.score >= 0 && d.score <= 100);
            }
        }

        /// The large report's way (each request tallied once into numbered groups) gives every
        /// figure, group and department exactly as the rows' own functions do.
        #[test]
        fn the_tallied_summary_is_the_rows_figures(rows in prop::collection::vec(a_row(), 0..120)) {
            let mut v = Vocabularies::default();
            let tallies: Vec<Tally> = rows.iter().map(|r| v.tally(r)).collect();
            let s = summarise(&tallies, &v);
            let mut all = Counts::default();
            for r in &rows {
                all.add(r);
            }
            prop_assert_eq!(s.counts, all);
            prop_assert_eq!(s.by_post, by_group(&rows, Dimension::Post));
            prop_assert_eq!(s.by_clerk, by_group(&rows, Dimension::Clerk));
            prop_assert_eq!(s.by_item, by_group(&rows, Dimension::Item));
            prop_assert_eq!(s.by_week, by_group(&rows, Dimension::Week));
            prop_assert_eq!(s.by_town, by_group(&rows, Dimension::Town));
            prop_assert_eq!(s.by_department, by_department(&rows));
            // A tallied request is in a group exactly when its row is.
            for (r, t) in rows.iter().zip(&tallies) {
                for dim in Dimension::ALL {
                    for other in &rows {
                        if let Some(key) = dim.of(other) {
                            prop_assert_eq!(v.holds(t, dim, key), dim.of(r) == Some(key));
                        }
                    }
                }
            }
        }

        /// Tallied in two parts and put together, the figures are the whole's.
        #[test]
        fn a_report_tallied_in_parts_is_the_whole(
            rows in prop::collection::vec(a_row(), 0..120),
            cut in 0usize..120,
        ) {
            let cut = cut.min(rows.len());
            let mut v = Vocabularies::default();
            let mut tallies: Vec<Tally> = rows[..cut].iter().map(|r| v.tally(r)).collect();
            let mut w = Vocabularies::default();
            let rest: Vec<Tally> = rows[cut..].iter().map(|r| w.tally(r)).collect();
            // Two ways to put the parts together: renumbering each request, or the sums.
            let mut sums = Sums::default();
            for t in &tallies {
                sums.add(t);
            }
            let mut rest_sums = Sums::default();
            for t in &rest {
                rest_sums.add(t);
            }
            let renumber = v.absorb(&w);
            sums.absorb(rest_sums, &renumber);
            for mut t in rest {
                renumber.tally(&mut t);
                tallies.push(t);
            }
            prop_assert_eq!(sums.finish(&v), summarise(&tallies, &v));
            let s = summarise(&tallies, &v);
            prop_assert_eq!(s.by_clerk, by_group(&rows, Dimension::Clerk));
            prop_assert_eq!(s.by_week, by_group(&rows, Dimension::Week));
            prop_assert_eq!(s.by_town, by_group(&rows, Dimension::Town));
            prop_assert_eq!(s.by_department, by_department(&rows));
        }
    }

    #[test]
    fn a_rate_is_rounded_half_up_in_tenths_of_a_per_cent_and_none_over_nothing() {
        assert_eq!(Rate::of(2, 3).permille, Some(667));
        assert_eq!(Rate::of(1, 8).permille, Some(125));
        assert_eq!(Rate::of(1, 2000).permille, Some(1));
        assert_eq!(Rate::of(0, 0).permille, None);
    }

    /// A rate's JSON names its figures and its counts apart: each key once, so that a reader
    /// (which keeps the last of a repeated key) still knows which figures a rate divides.
    #[test]
    fn a_rates_json_names_its_figures_and_its_counts_apart() {
        let counts = Counts {
            completed: 8,
            on_time: 6,
            ..Counts::default()
        };
        let on_time = rates(&counts)
            .into_iter()
            .find(|r| r.key == "on_time_rate")
            .unwrap();
        let json = serde_json::to_string(&on_time).unwrap();
        for key in [
            "numerator",
            "denominator",
            "numerator_figure",
            "denominator_figure",
        ] {
            assert_eq!(
                json.matches(&format!("\"{key}\":")).count(),
                1,
                "{key} in {json}"
            );
        }
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            (&v["numerator_figure"], &v["denominator_figure"]),
            (
                &serde_json::json!("on_time"),
                &serde_json::json!("completed")
            )
        );
        assert_eq!(
            (&v["numerator"], &v["denominator"]),
            (&serde_json::json!(6), &serde_json::json!(8))
        );
        assert_eq!(v["permille"], 750);
    }

    #[test]
    fn departments_rank_by_score_then_median_days() {
        let base = |dept: &str, answered: Option<u32>, overdue: bool| ReportRow {
            number: String::new(),
            town: "东风镇".into(),
            week: monday_of(day(0)),
            item: "IT".into(),
            item_name: "事项".into(),
            clerk_no: "DF0013".into(),
            clerk_name: "人".into(),
            post: "综合窗口".into(),
            consultation: false,
            received_on: day(0),
            accepted: true,
            completed_on: None,
            due: None,
            refused: false,
            ended: false,
            overdue_now: overdue,
            overdue_reason: None,
            department: Some(dept.into()),
            forwarded_on: Some(day(0)),
            department_due: Some(day(10)),
            answered_on: answered.map(day),
            answer_days: answered.map(i64::from),
        };
        let rows = vec![
            base("市林业局", Some(3), false),
            base("市林业局", Some(5), false),
            base("市人社局", Some(12), false),
            base("市人社局", None, true),
            base("市自然资源局", Some(8), false),
            base("市自然资源局", Some(9), false),
        ];
        let d = by_department(&rows);
        let names: Vec<&str> = d.iter().map(|x| x.department.as_str()).collect();
        // Both answered on time: 100 each, the shorter median first; 市人社局: one late answer,
        // one overdue now: 100 × 0 ÷ 2 − 5 = 0.
        assert_eq!(names, ["市林业局", "市自然资源局", "市人社局"]);
        assert_eq!((d[0].median_days, d[0].p90_days), (Some(3), Some(5)));
        assert_eq!((d[2].answered, d[2].overdue_now, d[2].score), (1, 1, 0));
    }
}
