//! The leader's performance report (issue 20) through the store: a town's requests received in
//! a range, each read once into a [`ReportRow`] (its post, whether it is accepted, completed,
//! overdue now, when its department answered), then counted by the rules of
//! [`crate::domain::report`]. [`requests_behind`] lists the requests any figure counts, by the
//! same rule.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use crate::calendar::Calendar;
pub use crate::domain::report::*;
use crate::ids::StaffId;
use crate::request::record::RequestRow;
use crate::store::{Queries, Store};
use crate::{Error, Result};

pub mod words;

/// The name a report of every town goes by (the county's view).
pub const COUNTY: &str = "全县";

/// The longest range a report covers.
pub const MAX_DAYS: i64 = 366 * 3;

/// What a report covers: a town (`None`: every town, the county's view) and a range of days
/// taken in.
#[derive(Debug, Clone)]
pub struct ReportAsk {
    pub town: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day `overdue_now` is counted on.
    pub today: NaiveDate,
}

impl ReportAsk {
    /// Checks the range (fields `from` and `to`).
    pub fn new(
        town: Option<String>,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<ReportAsk> {
        if to < from {
            return Err(Error::invalid(
                "to",
                format!("截止日期 {to} 早于起始日期 {from}"),
            ));
        }
        if (to - from).num_days() >= MAX_DAYS {
            return Err(Error::invalid("to", "一次最多统计三年：请缩短日期范围"));
        }
        Ok(ReportAsk {
            town,
            from,
            to,
            today,
        })
    }
}

/// Satisfaction over the range: ratings given in it and their follow-ups.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Satisfaction {
    pub ratings: u32,
    /// Counts per grade, 5 非常满意 first.
    pub grades: Vec<(u8, String, u32)>,
    /// 满意率: 非常满意, 满意 and 基本满意 over all ratings.
    pub satisfied: Rate,
    /// 差评 follow-ups opened in the range, closed by their due date, and open past it now.
    pub followups: u32,
    pub followups_closed_on_time: Rate,
    pub followups_overdue_now: u32,
}

/// A post's staffing beside its service figures: on the range's last day, the counters the
/// queue model needs at the busiest hour, the counters the rota seats, the hours short, and
/// whose vacancies and secondments leave it short ([`crate::demand`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct PostStaffing {
    pub post: String,
    pub needed_peak: u32,
    pub staffed: u32,
    pub short_hours: u32,
    pub short: Vec<crate::demand::Shortfall>,
}

/// The service target the staffing beside the report is measured against: 80 % served within
/// 15 minutes (the 窗口需求 panel's default).
pub const TARGET_WAIT_S: f64 = 900.0;
pub const SERVICE_LEVEL: f64 = 0.8;

/// An overdue request as the report lists it, with the reason given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct OverdueRequest {
    pub number: String,
    pub item_name: String,
    pub post: String,
    pub clerk: String,
    #[ts(type = "string | null")]
    pub due: Option<NaiveDate>,
    pub department: Option<String>,
    pub reason: Option<String>,
}

/// The report of a town over a range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Report {
    pub town: String,
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
    #[ts(type = "string")]
    pub today: NaiveDate,
    #[serde(flatten)]
    pub counts: Counts,
    pub rates: Vec<NamedRate>,
    pub overdue: Vec<OverdueRequest>,
    pub by_department: Vec<DepartmentFigures>,
    pub department_score: String,
    pub by_post: Vec<GroupFigures>,
    pub by_clerk: Vec<GroupFigures>,
    pub by_item: Vec<GroupFigures>,
    /// The trend: each week taken in, by its Monday.
    pub by_week: Vec<GroupFigures>,
    /// The county's view: each town.
    pub by_town: Vec<GroupFigures>,
    /// A town's posts: the staffing beside the service figures (none in the county's view).
    pub post_staffing: Vec<PostStaffing>,
    pub satisfaction: Satisfaction,
}

/// The towns a report covers: the one asked for, or every town.
fn towns_of(q: &dyn Queries, ask: &ReportAsk) -> Result<Vec<crate::staffing::Town>> {
    match ask.town.as_deref() {
        Some(t) => Ok(vec![crate::town::resolve_town(q, Some(t))?]),
        None => q.towns(),
    }
}

/// The report's rows over the range, town by town, each request read whole (the drill-down's
/// way, and the reference the tallied report is tested against).
fn rows_of(q: &dyn Queries, ask: &ReportAsk) -> Result<Vec<ReportRow>> {
    let calendar = crate::calendar::of(q)?;
    let mut rows = Vec::new();
    for town in towns_of(q, ask)? {
        let names = TownNames::of(q, &town)?;
        let answered: HashMap<String, NaiveDate> = q
            .answered_on(town.id, ask.from, ask.to)?
            .into_iter()
            .collect();
        rows.extend(
            q.requests_received(town.id, ask.from, ask.to)?
                .iter()
                .map(|r| names.row_of(r, answered.get(&r.number).copied(), &calendar, ask.today)),
        );
    }
    Ok(rows)
}

/// What a town's report rows are named by: its name, items, staff and rota (every week of it,
/// since a request counts at the post its clerk sat at that day).
struct TownNames {
    town: String,
    facts: crate::staffing::TownFacts,
    items: Vec<crate::catalog::Item>,
    /// Each clerk's rota lines, in the rota's order (a seat is looked up among them).
    rota_of: HashMap<StaffId, Vec<crate::staffing::RotaEntry>>,
}

impl TownNames {
    fn of(q: &dyn Queries, town: &crate::staffing::Town) -> Result<TownNames> {
        let facts = q.town_facts(town.id, None)?;
        let mut rota_of: HashMap<StaffId, Vec<crate::staffing::RotaEntry>> = HashMap::new();
        for r in &facts.rota {
            rota_of.entry(r.staff_id).or_default().push(r.clone());
        }
        Ok(TownNames {
            town: town.name.clone(),
            facts,
            items: q.items(town.id)?,
            rota_of,
        })
    }

    fn item(&self, code: &str) -> Option<&crate::catalog::Item> {
        self.items.iter().find(|i| i.code == code)
    }

    fn clerk_no(&self, clerk: StaffId) -> &str {
        self.facts
            .staff
            .iter()
            .find(|s| s.id == clerk)
            .map_or("", |s| s.no.as_str())
    }

    /// The post a request counts at: its clerk's rota post that day, else its item's.
    fn post(&self, clerk: StaffId, day: NaiveDate, item: Option<&crate::catalog::Item>) -> String {
        self.seat(clerk, day)
            .map(str::to_string)
            .or_else(|| item.map(|i| i.post.clone()))
            .unwrap_or_default()
    }

    /// The post the rota seats `clerk` at on `day`.
    fn seat(&self, clerk: StaffId, day: NaiveDate) -> Option<&str> {
        let rota = self.rota_of.get(&clerk).map_or(&[][..], Vec::as_slice);
        crate::domain::demand::seat_of(&self.facts.posts, rota, clerk, day).map(|p| p.name.as_str())
    }

    fn row_of(
        &self,
        r: &RequestRow,
        answered_on: Option<NaiveDate>,
        calendar: &Calendar,
        today: NaiveDate,
    ) -> ReportRow {
        let item = self.item(&r.item_code);
        let facts = RequestFacts::of(r, answered_on).facts(today);
        ReportRow {
            number: r.number.clone(),
            town: self.town.clone(),
            week: monday_of(r.created_on),
            item: r.item_code.clone(),
            item_name: item.map(|i| i.name.clone()).unwrap_or_default(),
            clerk_no: self.clerk_no(r.clerk_id).to_string(),
            clerk_name: r.clerk_name.clone(),
            post: self.post(r.clerk_id, r.created_on, item),
            consultation: facts.consultation,
            received_on: r.created_on,
            accepted: facts.accepted,
            completed_on: facts.completed_on,
            due: facts.due,
            refused: facts.refused,
            ended: facts.ended,
            overdue_now: facts.overdue_now,
            overdue_reason: r.overdue_reason.clone(),
            department: r.forwarded_to.clone(),
            forwarded_on: r.forwarded_on,
            department_due: r.department_due,
            answered_on,
            answer_days: answer_days(calendar, r.forwarded_on, answered_on),
        }
    }
}

/// Working days from forwarding to the department's answer.
fn answer_days(
    calendar: &Calendar,
    forwarded_on: Option<NaiveDate>,
    answered_on: Option<NaiveDate>,
) -> Option<i64> {
    match (forwarded_on, answered_on) {
        (Some(sent), Some(back)) => Some(calendar.working_days_between(sent, back)),
        _ => None,
    }
}

/// Some towns' requests as the large way tallies them: the groups they fall in, each
/// request's tally, and the overdue requests read whole.
struct Part {
    v: Vocabularies,
    sums: Sums,
    /// The requests a [`Listing`] picks, read whole, in the order of towns and ids.
    listed: Vec<ReportRow>,
}

/// Which requests a tally also lists: those a figure counts, within a group when one is given
/// (the report lists the overdue; a drill-down any figure).
#[derive(Debug, Clone, Copy)]
struct Listing<'k> {
    figure: Figure,
    group: Option<(Dimension, &'k str)>,
}

/// The report's figures the large way: each request read lean ([`RequestFacts`]: no names, no
/// applicant, from one index) and tallied once into numbered groups ([`summarise`]), by the
/// same rule as the rows; the overdue requests read whole (few). A county's towns are tallied
/// in two halves side by side where the store can ([`Store::read_each`]).
fn tallied<S: Store>(
    store: &mut S,
    ask: &ReportAsk,
    listing: Listing<'_>,
) -> Result<(Summary, Vec<ReportRow>)> {
    let towns = store.read(|q| towns_of(q, ask))?;
    let halves: Vec<&[crate::staffing::Town]> = if towns.len() > 1 {
        let (a, b) = towns.split_at(towns.len().div_ceil(2));
        vec![a, b]
    } else {
        vec![&towns[..]]
    };
    let jobs: Vec<crate::store::ReadJob<'_, Part>> = halves
        .into_iter()
        .map(|towns| {
            Box::new(move |q: &dyn Queries| tally_towns(q, towns, ask, listing))
                as crate::store::ReadJob<'_, Part>
        })
        .collect();
    let mut parts = store.read_each(jobs)?.into_iter();
    let Some(mut whole) = parts.next() else {
        return Ok((summarise(&[], &Vocabularies::default()), Vec::new()));
    };
    for part in parts {
        let renumber = whole.v.absorb(&part.v);
        whole.sums.absorb(part.sums, &renumber);
        whole.listed.extend(part.listed);
    }
    Ok((whole.sums.finish(&whole.v), whole.listed))
}

/// Tallies the requests of `towns`, in their order, and reads whole those `listing` picks.
fn tally_towns(
    q: &dyn Queries,
    towns: &[crate::staffing::Town],
    ask: &ReportAsk,
    listing: Listing<'_>,
) -> Result<Part> {
    let calendar = crate::calendar::of(q)?;
    let mut v = Vocabularies::default();
    let mut sums = Sums::default();
    let mut listed = Vec::new();
    let mut item_codes: HashMap<String, crate::ids::ItemId> = HashMap::new();
    let mut days: FxHashMap<(NaiveDate, NaiveDate), Option<i64>> = FxHashMap::default();
    for town in towns {
        let names = TownNames::of(q, town)?;
        let town_id = v.towns.id(&town.name, || town.name.clone());
        // The town's items by their row id.
        let mut items: FxHashMap<crate::ids::ItemId, &crate::catalog::Item> = FxHashMap::default();
        for item in &names.items {
            let id = match item_codes.get(&item.code) {
                Some(id) => *id,
                None => match q.item_id(&item.code)? {
                    Some(id) => {
                        item_codes.insert(item.code.clone(), id);
                        id
                    }
                    None => continue,
                },
            };
            items.insert(id, item);
        }
        // Each item's group number and the item (rows come by day, then item, then clerk).
        let mut item_of: FxHashMap<crate::ids::ItemId, (u32, Option<&crate::catalog::Item>)> =
            FxHashMap::default();
        let mut clerk_of: FxHashMap<StaffId, u32> = FxHashMap::default();
        let mut week_of: FxHashMap<NaiveDate, u32> = FxHashMap::default();
        let mut last_week: Option<(NaiveDate, u32)> = None;
        // The post a clerk sat at on a day (none: the item's post counts).
        let mut seat_of: FxHashMap<(StaffId, NaiveDate), Option<u32>> = FxHashMap::default();
        let mut item_post_of: FxHashMap<crate::ids::ItemId, u32> = FxHashMap::default();
        let mut listed_ids = Vec::new();
        q.each_request_facts(town.id, ask.from, ask.to, &mut |s| {
            let r = &s.request;
            let figures = r.facts(ask.today).figures();
            let (item_id, item) = *item_of.entry(s.item_id).or_insert_with(|| {
                let item = items.get(&s.item_id).copied();
                let code = item.map_or("", |i| i.code.as_str());
                let id = v
                    .items
                    .id(code, || item.map(|i| i.name.clone()).unwrap_or_default());
                (id, item)
            });
            let clerk = *clerk_of.entry(s.clerk_id).or_insert_with(|| {
                let no = names.clerk_no(s.clerk_id);
                let name = names
                    .facts
                    .staff
                    .iter()
                    .find(|p| p.id == s.clerk_id)
                    .map_or("", |p| p.name.as_str());
                v.clerks.id(no, || format!("{name}（{no}）"))
            });
            let week = match last_week {
                Some((day, week)) if day == r.created_on => week,
                _ => {
                    let week = *week_of.entry(r.created_on).or_insert_with(|| {
                        let monday = monday_of(r.created_on);
                        v.weeks.id(&monday, || format!("{monday} 起一周"))
                    });
                    last_week = Some((r.created_on, week));
                    week
                }
            };
            let seat = *seat_of
                .entry((s.clerk_id, r.created_on))
                .or_insert_with(|| {
                    names
                        .seat(s.clerk_id, r.created_on)
                        .map(|post| v.posts.id(post, || post.to_string()))
                });
            let post = match seat {
                Some(post) => post,
                None => *item_post_of.entry(s.item_id).or_insert_with(|| {
                    let post = names.post(s.clerk_id, r.created_on, item);
                    v.posts.id(&post, || post.clone())
                }),
            };
            let department = r
                .forwarded_to
                .map(|d| v.departments.id(d, || d.to_string()));
            let answer_days = match (r.forwarded_on, r.answered_on) {
                (Some(sent), Some(back)) => *days
                    .entry((sent, back))
                    .or_insert_with(|| answer_days(&calendar, Some(sent), Some(back))),
                _ => None,
            };
            let tally = Tally {
                figures,
                town: town_id,
                week,
                item: item_id,
                clerk,
                post,
                department,
                answered_in_time: answered_in_time(r.answered_on, r.department_due),
                answer_days,
            };
            if figures.has(listing.figure)
                && listing
                    .group
                    .is_none_or(|(dim, key)| v.holds(&tally, dim, key))
            {
                listed_ids.push(s.id);
            }
            sums.add(&tally);
            Ok(())
        })?;
        listed.extend(
            q.report_requests_by_id(&listed_ids)?
                .iter()
                .map(|r| names.row_of(r, r.answered_on, &calendar, ask.today)),
        );
    }
    Ok(Part { v, sums, listed })
}

fn satisfaction(q: &dyn Queries, ask: &ReportAsk) -> Result<Satisfaction> {
    let town = match ask.town.as_deref() {
        Some(t) => Some(crate::town::resolve_town(q, Some(t))?.id),
        None => None,
    };
    let ratings: Vec<crate::front::record::RatingRow> = q
        .ratings(town)?
        .into_iter()
        .filter(|r| (ask.from..=ask.to).contains(&r.at.date()))
        .collect();
    let grades = crate::front::GRADES
        .iter()
        .map(|(g, label)| {
            (
                *g,
                label.to_string(),
                ratings.iter().filter(|r| r.grade == *g).count() as u32,
            )
        })
        .collect();
    let total = ratings.len() as u32;
    let satisfied = ratings.iter().filter(|r| r.grade >= 3).count() as u32;
    let followups: Vec<&crate::front::record::FollowupRow> =
        ratings.iter().filter_map(|r| r.followup.as_ref()).collect();
    let closed_on_time = followups
        .iter()
        .filter(|f| f.closed_at.is_some_and(|c| c.date() <= f.due))
        .count() as u32;
    Ok(Satisfaction {
        ratings: total,
        grades,
        satisfied: Rate::of(satisfied, total),
        followups: followups.len() as u32,
        followups_closed_on_time: Rate::of(closed_on_time, followups.len() as u32),
        followups_overdue_now: followups
            .iter()
            .filter(|f| f.closed_at.is_none() && f.due < ask.today)
            .count() as u32,
    })
}

/// The report of `ask`: every request of the range tallied once ([`tallied`]).
pub fn report<S: Store>(store: &mut S, ask: &ReportAsk) -> Result<Report> {
    let overdue = Listing {
        figure: Figure::OverdueNow,
        group: None,
    };
    let (summary, overdue) = tallied(store, ask, overdue)?;
    let report = store.read(|q| assemble(q, ask, summary, &overdue))?;
    with_staffing(store, ask, report)
}

/// The same report with every request of the range read whole and counted row by row: the
/// naive way, kept as the reference [`report`] is tested and measured against.
pub fn report_by_rows<S: Store>(store: &mut S, ask: &ReportAsk) -> Result<Report> {
    let report = store.read(|q| {
        let rows = rows_of(q, ask)?;
        let mut counts = Counts::default();
        for r in &rows {
            counts.add(r);
        }
        let summary = Summary {
            counts,
            by_post: by_group(&rows, Dimension::Post),
            by_clerk: by_group(&rows, Dimension::Clerk),
            by_item: by_group(&rows, Dimension::Item),
            by_week: by_group(&rows, Dimension::Week),
            by_town: by_group(&rows, Dimension::Town),
            by_department: by_department(&rows),
        };
        let overdue: Vec<ReportRow> = behind(&rows, Figure::OverdueNow, None)
            .into_iter()
            .cloned()
            .collect();
        assemble(q, ask, summary, &overdue)
    })?;
    with_staffing(store, ask, report)
}

/// A town's posts: the staffing beside the service figures.
fn with_staffing<S: Store>(store: &mut S, ask: &ReportAsk, mut report: Report) -> Result<Report> {
    if let Some(town) = ask.town.as_deref() {
        let demand =
            crate::demand::demand_report(store, Some(town), ask.to, TARGET_WAIT_S, SERVICE_LEVEL)?;
        report.post_staffing = demand
            .posts
            .into_iter()
            .map(|p| PostStaffing {
                needed_peak: p.hours.iter().map(|h| h.needed).max().unwrap_or(0),
                staffed: p.hours.iter().map(|h| h.staffed).max().unwrap_or(0),
                short_hours: p.hours.iter().filter(|h| h.gap > 0).count() as u32,
                post: p.post,
                short: p.short,
            })
            .collect();
    }
    Ok(report)
}

fn assemble(
    q: &dyn Queries,
    ask: &ReportAsk,
    summary: Summary,
    overdue: &[ReportRow],
) -> Result<Report> {
    let town = match ask.town.as_deref() {
        Some(t) => crate::town::resolve_town(q, Some(t))?.name,
        None => COUNTY.to_string(),
    };
    let overdue = overdue
        .iter()
        .map(|r| OverdueRequest {
            number: r.number.clone(),
            item_name: r.item_name.clone(),
            post: r.post.clone(),
            clerk: format!("{}（{}）", r.clerk_name, r.clerk_no),
            due: if r.department.is_some() && r.department_due.is_some() {
                r.department_due
            } else {
                r.due
            },
            department: r.department.clone(),
            reason: r.overdue_reason.clone(),
        })
        .collect();
    let counts = summary.counts;
    Ok(Report {
        town,
        from: ask.from,
        to: ask.to,
        today: ask.today,
        rates: rates(&counts),
        counts,
        overdue,
        by_department: summary.by_department,
        department_score: DEPARTMENT_SCORE.to_string(),
        by_post: summary.by_post,
        by_clerk: summary.by_clerk,
        by_item: summary.by_item,
        by_week: summary.by_week,
        by_town: if ask.town.is_none() {
            summary.by_town
        } else {
            Vec::new()
        },
        satisfaction: satisfaction(q, ask)?,
        post_staffing: Vec::new(),
    })
}

/// A request behind a figure, as the drill-down list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct BehindRow {
    pub number: String,
    pub item_name: String,
    pub post: String,
    pub clerk: String,
    #[ts(type = "string")]
    pub received_on: NaiveDate,
    #[ts(type = "string | null")]
    pub due: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub completed_on: Option<NaiveDate>,
    pub department: Option<String>,
    pub overdue_reason: Option<String>,
}

/// The requests figure `figure` counts in `ask` (within one group of a dimension when given):
/// the same rule as the count, so the list's length is the figure. Found the tallied way, then
/// read whole by id.
pub fn requests_behind<S: Store>(
    store: &mut S,
    ask: &ReportAsk,
    figure: &str,
    group: Option<(&str, &str)>,
) -> Result<Vec<BehindRow>> {
    let (figure, group) = parse_listing(figure, group)?;
    let (_, rows) = tallied(store, ask, Listing { figure, group })?;
    Ok(rows.iter().map(BehindRow::of).collect())
}

/// [`requests_behind`] the naive way: every request of the range read whole (the reference).
pub fn requests_behind_by_rows<S: Store>(
    store: &mut S,
    ask: &ReportAsk,
    figure: &str,
    group: Option<(&str, &str)>,
) -> Result<Vec<BehindRow>> {
    let (figure, group) = parse_listing(figure, group)?;
    store.read(|q| {
        let rows = rows_of(q, ask)?;
        Ok(behind(&rows, figure, group)
            .into_iter()
            .map(BehindRow::of)
            .collect())
    })
}

impl BehindRow {
    fn of(r: &ReportRow) -> BehindRow {
        BehindRow {
            number: r.number.clone(),
            item_name: r.item_name.clone(),
            post: r.post.clone(),
            clerk: format!("{}（{}）", r.clerk_name, r.clerk_no),
            received_on: r.received_on,
            due: r.due,
            completed_on: r.completed_on,
            department: r.department.clone(),
            overdue_reason: r.overdue_reason.clone(),
        }
    }
}

/// A figure's key or name (field `figure`) and a group's dimension (field `dimension`) and key.
fn parse_listing<'k>(
    figure: &str,
    group: Option<(&str, &'k str)>,
) -> Result<(Figure, Option<(Dimension, &'k str)>)> {
    let figure = Figure::parse(figure).ok_or_else(|| {
        Error::invalid(
            "figure",
            format!(
                "“{}”不是报表中的数字：可选 {}",
                figure.trim(),
                Figure::ALL.map(|f| f.key()).join("、")
            ),
        )
    })?;
    let group = match group {
        Some((dim, key)) => Some((
            Dimension::parse(dim).ok_or_else(|| {
                Error::invalid(
                    "dimension",
                    format!("“{dim}”不是分组：可选 department、post、clerk、item、week、town"),
                )
            })?,
            key,
        )),
        None => None,
    };
    Ok((figure, group))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SqliteStore;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The demo's four weeks before 2026-11-30 in every state a month leaves.
    fn demo() -> SqliteStore {
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::demo::load(&mut s, day("2026-11-30")).unwrap();
        crate::demo::recent::load(&mut s, day("2026-11-30")).unwrap();
        s
    }

    fn ask(town: Option<&str>) -> ReportAsk {
        ReportAsk::new(
            town.map(str::to_string),
            day("2026-11-01"),
            day("2026-11-30"),
            day("2026-11-30"),
        )
        .unwrap()
    }

    /// Over a real month: every figure of the town and of each post, department and week is
    /// the length of the list behind it; completed is on time plus late; the overdue are listed
    /// with the reasons given; forwarded requests have departments with answers and turnaround.
    #[test]
    fn a_towns_month_adds_up_and_every_figure_opens_its_list() {
        let mut s = demo();
        let a = ask(Some("东风镇"));
        let r = report(&mut s, &a).unwrap();
        let c = r.counts;
        assert!(c.received > 20, "{c:?}");
        assert_eq!(c.completed, c.on_time + c.late);
        assert!(
            c.late > 0 && c.on_time > 0 && c.forwarded > 0 && c.overdue_now > 0,
            "{c:?}"
        );
        for f in Figure::ALL {
            let listed = requests_behind(&mut s, &a, f.key(), None).unwrap();
            assert_eq!(listed.len() as u32, c.get(f), "{f:?}");
        }
        for (dim, groups) in [
            ("post", &r.by_post),
            ("week", &r.by_week),
            ("clerk", &r.by_clerk),
        ] {
            let total: u32 = groups.iter().map(|g| g.counts.received).sum();
            assert_eq!(total, c.received, "{dim}");
            for g in groups {
                for f in [
                    Figure::Received,
                    Figure::Completed,
                    Figure::Late,
                    Figure::OverdueNow,
                ] {
                    let listed = requests_behind(&mut s, &a, f.key(), Some((dim, &g.key))).unwrap();
                    assert_eq!(
                        listed.len() as u32,
                        g.counts.get(f),
                        "{dim} {} {f:?}",
                        g.key
                    );
                }
            }
        }
        assert_eq!(r.overdue.len() as u32, c.overdue_now);
        assert!(
            r.overdue.iter().any(|o| o.reason.is_some()),
            "{:?}",
            r.overdue
        );
        assert!(!r.by_department.is_empty());
        assert!(r
            .by_department
            .iter()
            .any(|d| d.answered > 0 && d.median_days.is_some()));
        for d in &r.by_department {
            let listed =
                requests_behind(&mut s, &a, "forwarded", Some(("department", &d.department)))
                    .unwrap();
            assert_eq!(listed.len() as u32, d.forwarded);
        }
        // The staffing beside: every post, with why a short one is short.
        assert_eq!(r.post_staffing.len(), 6);
        assert!(r
            .post_staffing
            .iter()
            .all(|p| (p.short_hours > 0) != p.short.is_empty()));
    }

    /// The county's view covers every town: each town's figures are its own report's.
    #[test]
    fn the_countys_view_is_the_sum_of_its_towns() {
        let mut s = demo();
        let county = report(&mut s, &ask(None)).unwrap();
        assert_eq!(county.town, "全县");
        assert!(county.by_town.len() >= 2);
        let mut received = 0;
        for t in &county.by_town {
            let own = report(&mut s, &ask(Some(&t.key))).unwrap();
            assert_eq!(own.counts, t.counts, "{}", t.key);
            received += own.counts.received;
        }
        assert_eq!(received, county.counts.received);
        assert!(county.post_staffing.is_empty());
    }

    /// The tallied report (the large way) is the row-by-row one, to the last figure and name:
    /// on the demo's towns and county, and on a generated county whose rotas change weekly.
    #[test]
    fn the_tallied_report_is_the_row_by_row_one() {
        let mut s = demo();
        for town in [Some("东风镇"), Some("朱昌镇"), None] {
            let a = ask(town);
            assert_eq!(
                report(&mut s, &a).unwrap(),
                report_by_rows(&mut s, &a).unwrap()
            );
        }
        // A file, so that the county's towns are read in two halves on two connections.
        let dir = tempfile::tempdir().unwrap();
        let mut g = SqliteStore::open(&dir.path().join("county.db")).unwrap();
        let end = day("2026-11-30");
        crate::generate::fill_county(&mut g, 3, 20, end).unwrap();
        crate::generate::fill_county_year(&mut g, 3000, end).unwrap();
        for a in [
            ReportAsk::new(None, day("2025-12-01"), end, end).unwrap(),
            ReportAsk::new(Some("县属第02镇".into()), day("2026-11-01"), end, end).unwrap(),
        ] {
            let lean = report(&mut g, &a).unwrap();
            assert_eq!(lean, report_by_rows(&mut g, &a).unwrap());
            let c = lean.counts;
            assert!(c.received > 50 && c.late > 0 && c.forwarded > 0, "{c:?}");
            assert!(lean.by_department.iter().any(|d| d.median_days.is_some()));
            // Posts come from the weekly rota of the day taken in.
            assert!(
                lean.by_post.iter().all(|p| p.key.ends_with("号窗口")),
                "{:?}",
                lean.by_post
            );
        }
    }

    /// Every figure's list, whole and within each group of every dimension, is the row-by-row
    /// one: on the demo's county and on a generated county in a file (two halves).
    #[test]
    fn the_tallied_lists_are_the_row_by_row_ones() {
        fn check(s: &mut SqliteStore, a: &ReportAsk) {
            let r = report(s, a).unwrap();
            let mut groups: Vec<(&str, String)> = Vec::new();
            for (dim, gs) in [
                ("post", &r.by_post),
                ("clerk", &r.by_clerk),
                ("item", &r.by_item),
                ("week", &r.by_week),
                ("town", &r.by_town),
            ] {
                groups.extend(gs.iter().take(2).map(|g| (dim, g.key.clone())));
            }
            groups.extend(
                r.by_department
                    .iter()
                    .map(|d| ("department", d.department.clone())),
            );
            groups.push(("post", "没有这个窗口".to_string()));
            for f in Figure::ALL {
                let lean = requests_behind(s, a, f.key(), None).unwrap();
                assert_eq!(lean, requests_behind_by_rows(s, a, f.key(), None).unwrap());
                assert_eq!(lean.len() as u32, r.counts.get(f), "{f:?}");
                let some = [
                    Figure::Received,
                    Figure::Late,
                    Figure::Forwarded,
                    Figure::Answered,
                ];
                for (dim, key) in groups.iter().filter(|_| some.contains(&f)) {
                    let g = Some((*dim, key.as_str()));
                    assert_eq!(
                        requests_behind(s, a, f.key(), g).unwrap(),
                        requests_behind_by_rows(s, a, f.key(), g).unwrap(),
                        "{f:?} {dim} {key}"
                    );
                }
            }
        }
        let mut s = demo();
        check(&mut s, &ask(None));
        let dir = tempfile::tempdir().unwrap();
        let mut g = SqliteStore::open(&dir.path().join("county.db")).unwrap();
        let end = day("2026-11-30");
        crate::generate::fill_county(&mut g, 3, 10, end).unwrap();
        crate::generate::fill_county_year(&mut g, 1500, end).unwrap();
        check(
            &mut g,
            &ReportAsk::new(None, day("2026-09-01"), end, end).unwrap(),
        );
    }

    /// Version 32 keeps the department's answer on the request: a database from before it has
    /// the day filled in from the timeline, and the report reads it as the timeline says.
    #[test]
    fn the_answer_day_is_filled_in_from_the_timeline_on_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v31.db");
        let end = day("2026-11-30");
        let a = ReportAsk::new(None, day("2025-12-01"), end, end).unwrap();
        let before = {
            let mut g = SqliteStore::open(&path).unwrap();
            crate::generate::fill_county(&mut g, 2, 10, end).unwrap();
            crate::generate::fill_county_year(&mut g, 1000, end).unwrap();
            let r = report(&mut g, &a).unwrap();
            assert!(r.counts.answered > 100, "{:?}", r.counts);
            r
        };
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch(
                "DROP INDEX request_report;
                 ALTER TABLE request DROP COLUMN answered_on;
                 CREATE INDEX request_town_created ON request (town_id, created_on);
                 PRAGMA user_version = 31;",
            )
            .unwrap();
        let mut g = SqliteStore::open(&path).unwrap();
        assert_eq!(report(&mut g, &a).unwrap(), before);
        assert_eq!(report_by_rows(&mut g, &a).unwrap(), before);
    }

    #[test]
    fn a_backwards_or_too_long_range_or_an_unknown_figure_is_refused_naming_the_field() {
        let field = |e: Error| match e {
            Error::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        };
        let today = day("2026-11-30");
        assert_eq!(
            field(ReportAsk::new(None, day("2026-11-30"), day("2026-11-01"), today).unwrap_err()),
            "to"
        );
        assert_eq!(
            field(ReportAsk::new(None, day("2020-01-01"), day("2026-11-01"), today).unwrap_err()),
            "to"
        );
        let mut s = demo();
        let a = ask(Some("东风镇"));
        assert_eq!(
            field(requests_behind(&mut s, &a, "奇怪", None).unwrap_err()),
            "figure"
        );
        assert_eq!(
            field(requests_behind(&mut s, &a, "late", Some(("floor", "1"))).unwrap_err()),
            "dimension"
        );
    }
}
