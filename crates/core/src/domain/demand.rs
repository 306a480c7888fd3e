//! Demand against supply at the hall: from the request history, how many residents arrive per
//! hour at each counter post and how long each takes; from Erlang C, how many counters that needs
//! for the target; from the rota, how many are staffed; and the gap per post and hour.

use crate::domain::ids::StaffId;
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde::Serialize;

use crate::domain::counters::counters_needed;
use crate::domain::staffing::{HallPost, RotaEntry};
use crate::Result;

/// The hall's opening hours, as the hours that start in them: 9:00–12:00 and 14:00–17:30.
pub const OPEN_HOURS: [u32; 7] = [9, 10, 11, 14, 15, 16, 17];
/// Handling time assumed for a post with too little history to estimate one.
pub const DEFAULT_HANDLING_MIN: f64 = 10.0;
/// How many gaps between one clerk's consecutive residents an estimate needs.
pub const MIN_SAMPLES: usize = 10;
/// Gaps longer than this are idle time, not handling.
const MAX_GAP_MIN: f64 = 30.0;
/// How many calendar days of history before the date are read.
pub const WINDOW_DAYS: u64 = 28;

/// One resident served at the hall: when, at which post, by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    pub at: NaiveDateTime,
    pub post: String,
    pub clerk_id: StaffId,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct HourDemand {
    pub hour: u32,
    pub arrivals_per_hour: f64,
    pub needed: u32,
    pub staffed: u32,
    /// Needed − staffed: positive means too few counters.
    pub gap: i64,
    /// The median wait residents actually had (ticket to call), in seconds, when the hall's
    /// tickets measured it; `None` without tickets.
    pub wait_p50_s: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct PostDemand {
    pub post: String,
    pub handling_min: f64,
    /// Whether `handling_min` comes from the history (or is the default).
    pub handling_estimated: bool,
    pub hours: Vec<HourDemand>,
    /// Why a post with a gap is short: the units whose people sit at it, their vacancies and
    /// secondments, and who of its rota is away on the day. Empty when no hour has a gap.
    pub short: Vec<Shortfall>,
}

/// One unit's part in a post's shortage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Shortfall {
    pub unit: String,
    /// Quota − on roll (空编).
    pub vacancies: i64,
    pub seconded_out: u32,
    pub on_leave: u32,
    /// The unit's people on the post's rota that weekday who are away on the day, with why:
    /// 张三（借调出）.
    pub away: Vec<String>,
}

/// Why a post is short, in words, one set for every place that says it (the CLI's `counters`,
/// the performance report): 社会治理服务中心 空编 6、借调出 1；今天不在：王五（借调出）. `on`: the
/// day the people were away, when it is not today.
pub fn shortfall_words(short: &[Shortfall], on: Option<NaiveDate>) -> String {
    let day = on.map_or_else(|| "今天".to_string(), |d| format!("{d} "));
    short
        .iter()
        .map(|f| {
            let mut parts = vec![format!("空编 {}", f.vacancies)];
            if f.seconded_out > 0 {
                parts.push(format!("借调出 {}", f.seconded_out));
            }
            if f.on_leave > 0 {
                parts.push(format!("长期请假 {}", f.on_leave));
            }
            let away = if f.away.is_empty() {
                String::new()
            } else {
                format!("；{day}不在：{}", f.away.join("、"))
            };
            format!("{} {}{away}", f.unit, parts.join("、"))
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// Fills each short post's [`PostDemand::short`]: for the units of the people the rota seats at
/// the post (any weekday, in force on `on`), the unit's vacancies, secondments out and long
/// leave as `units` (the staffing summary of the same day) counts them, and who of the post's
/// rota that weekday is away on `on`.
pub fn explain_shortfalls(
    posts: &mut [PostDemand],
    facts: &crate::staffing::TownFacts,
    units: &[crate::staffing::UnitStaffing],
    on: NaiveDate,
) {
    use crate::domain::staffing::{status_on, Status};
    let weekday = on.weekday().number_from_monday() as u8;
    for p in posts.iter_mut() {
        p.short.clear();
        if !p.hours.iter().any(|h| h.gap > 0) {
            continue;
        }
        let Some(post) = facts.posts.iter().find(|h| h.name == p.post) else {
            continue;
        };
        let mut found: Vec<Shortfall> = Vec::new();
        for line in facts
            .rota
            .iter()
            .filter(|r| r.post_id == post.id && r.in_force_on(on))
        {
            let Some(person) = facts.staff.iter().find(|s| s.id == line.staff_id) else {
                continue;
            };
            let periods = facts.periods_of(person.id);
            let status = status_on(&periods, on);
            let unit_id = match status {
                Some(Status::SecondedIn { unit_id }) => Some(unit_id),
                _ => person.home_unit_id,
            };
            let Some(unit) = unit_id.and_then(|u| facts.units.iter().find(|x| x.id == u)) else {
                continue;
            };
            let at = match found.iter().position(|f| f.unit == unit.name) {
                Some(i) => i,
                None => {
                    let figures = units.iter().find(|u| u.name == unit.name);
                    found.push(Shortfall {
                        unit: unit.name.clone(),
                        vacancies: figures.map_or(0, |u| u.figures.vacancies),
                        seconded_out: figures.map_or(0, |u| u.figures.seconded_out),
                        on_leave: figures.map_or(0, |u| u.figures.on_leave),
                        away: Vec::new(),
                    });
                    found.len() - 1
                }
            };
            let why = match status {
                Some(Status::SecondedOut) => Some("借调出"),
                Some(Status::LongLeave) => Some("长期请假"),
                Some(Status::Retired) => Some("已退休"),
                _ => None,
            };
            if let (Some(why), true) = (why, line.weekday == weekday) {
                let said = format!("{}（{why}）", person.name);
                if !found[at].away.contains(&said) {
                    found[at].away.push(said);
                }
            }
        }
        p.short = found;
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct DemandReport {
    pub town: String,
    pub on: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub working_days: u32,
    pub target_wait_s: f64,
    pub service_level: f64,
    /// Whether the hall opens on `on` (a working day of the official calendar). On a closed day
    /// nobody is seated and nobody comes: the posts show what a working day needs, and no gap.
    pub open: bool,
    pub posts: Vec<PostDemand>,
    /// The hall's total per open hour ([`hall_totals`]).
    pub totals: Vec<HourDemand>,
    /// Whether arrivals, handling times and waits were measured by the hall's tickets (issue
    /// 19) rather than estimated from the requests taken in.
    pub measured: bool,
}

/// The posts as a closed day shows them: what a working day needs, nothing staffed, no gap.
pub fn closed_day(mut posts: Vec<PostDemand>) -> Vec<PostDemand> {
    for h in posts.iter_mut().flat_map(|p| p.hours.iter_mut()) {
        h.staffed = 0;
        h.gap = 0;
    }
    posts
}

/// The median gap between one clerk's consecutive residents at a post on a day, ignoring idle
/// gaps: under a queue, that is the handling time.
pub fn handling_estimate(arrivals: &[&Arrival]) -> Option<f64> {
    let mut by_clerk_day: BTreeMap<(StaffId, NaiveDate), Vec<NaiveDateTime>> = BTreeMap::new();
    for a in arrivals {
        by_clerk_day
            .entry((a.clerk_id, a.at.date()))
            .or_default()
            .push(a.at);
    }
    let mut gaps: Vec<f64> = Vec::new();
    for times in by_clerk_day.values_mut() {
        times.sort();
        for w in times.windows(2) {
            let min = (w[1] - w[0]).num_seconds() as f64 / 60.0;
            if min > 0.0 && min <= MAX_GAP_MIN {
                gaps.push(min);
            }
        }
    }
    if gaps.len() < MIN_SAMPLES {
        return None;
    }
    gaps.sort_by(f64::total_cmp);
    Some(gaps[gaps.len() / 2])
}

/// Each resident at the counter that served them: the post their clerk sat at by the rota that
/// day; the item's own post when the clerk had no seat then (a clerk called in from the back
/// office). A general counter (综合窗口) that takes in every kind of item is where its residents
/// queued, whatever the items' posts.
pub fn at_serving_post(
    arrivals: &[Arrival],
    posts: &[HallPost],
    rota: &[RotaEntry],
) -> Vec<Arrival> {
    arrivals
        .iter()
        .map(|a| {
            let seat = seat_of(posts, rota, a.clerk_id, a.at.date());
            Arrival {
                post: seat.map_or_else(|| a.post.clone(), |p| p.name.clone()),
                ..a.clone()
            }
        })
        .collect()
}

/// The post a clerk sits at on `day` by the rota (the first line in force that weekday).
pub fn seat_of<'a>(
    posts: &'a [HallPost],
    rota: &[RotaEntry],
    clerk: crate::ids::StaffId,
    day: NaiveDate,
) -> Option<&'a HallPost> {
    let weekday = day.weekday().number_from_monday() as u8;
    rota.iter()
        .filter(|r| r.staff_id == clerk && r.weekday == weekday && r.in_force_on(day))
        .find_map(|r| posts.iter().find(|p| p.id == r.post_id))
}

/// The hall per open hour: each post's arrivals, needed and staffed counters and gap, added up
/// (each post is its own queue, so the hall needs the sum of what its posts need).
pub fn hall_totals(posts: &[PostDemand]) -> Vec<HourDemand> {
    OPEN_HOURS
        .iter()
        .enumerate()
        .map(|(i, &hour)| {
            let at = |p: &PostDemand| p.hours.get(i).filter(|h| h.hour == hour).cloned();
            let hours: Vec<HourDemand> = posts.iter().filter_map(at).collect();
            let arrivals: f64 = hours.iter().map(|h| h.arrivals_per_hour).sum();
            HourDemand {
                hour,
                arrivals_per_hour: (arrivals * 100.0).round() / 100.0,
                needed: hours.iter().map(|h| h.needed).sum(),
                staffed: hours.iter().map(|h| h.staffed).sum(),
                gap: hours.iter().map(|h| h.gap).sum(),
                wait_p50_s: None,
            }
        })
        .collect()
}

/// Staffed counters per post on the weekday of `on`: the rota lines in force whose person is
/// at work that day (`at_work`). A clerk seconded out, on long leave or retired keeps a rota
/// line until someone changes it, but sits at no counter: the post is short by them, and
/// [`explain_shortfalls`] names them.
pub fn staffed_on(
    posts: &[HallPost],
    rota: &[RotaEntry],
    on: NaiveDate,
    at_work: impl Fn(StaffId) -> bool,
) -> BTreeMap<String, u32> {
    let weekday = on.weekday().number_from_monday() as u8;
    posts
        .iter()
        .map(|p| {
            let n = rota
                .iter()
                .filter(|r| r.post_id == p.id && r.weekday == weekday && r.in_force_on(on))
                .filter(|r| at_work(r.staff_id))
                .count() as u32;
            (p.name.clone(), n)
        })
        .collect()
}

/// The demand of each post per open hour, against `staffed` ([`staffed_on`] the day); the
/// arrivals count at the post the rota seated their clerk at ([`at_serving_post`]).
pub fn demand(
    arrivals: &[Arrival],
    working_days: u32,
    posts: &[HallPost],
    rota: &[RotaEntry],
    staffed: &BTreeMap<String, u32>,
    target_wait_s: f64,
    level: f64,
) -> Result<Vec<PostDemand>> {
    let arrivals = at_serving_post(arrivals, posts, rota);
    let mut names: Vec<String> = posts.iter().map(|p| p.name.clone()).collect();
    for a in &arrivals {
        if !names.contains(&a.post) {
            names.push(a.post.clone());
        }
    }
    let days = f64::from(working_days.max(1));
    let mut out = Vec::new();
    for name in names {
        let mine: Vec<&Arrival> = arrivals.iter().filter(|a| a.post == name).collect();
        let estimate = handling_estimate(&mine);
        let handling_min = estimate.unwrap_or(DEFAULT_HANDLING_MIN);
        let mut hours = Vec::new();
        for hour in OPEN_HOURS {
            let count = mine.iter().filter(|a| a.at.hour() == hour).count();
            let rate = count as f64 / days;
            let needed = counters_needed(rate, handling_min, target_wait_s, level)?.counters;
            let have = staffed.get(&name).copied().unwrap_or(0);
            hours.push(HourDemand {
                hour,
                arrivals_per_hour: (rate * 100.0).round() / 100.0,
                needed,
                staffed: have,
                gap: i64::from(needed) - i64::from(have),
                wait_p50_s: None,
            });
        }
        out.push(PostDemand {
            post: name,
            handling_min,
            handling_estimated: estimate.is_some(),
            hours,
            short: Vec::new(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::PostId;

    fn at(day: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    fn posts() -> Vec<HallPost> {
        vec![
            HallPost {
                id: PostId(1),
                name: "民政窗口".into(),
            },
            HallPost {
                id: PostId(2),
                name: "综合窗口".into(),
            },
        ]
    }

    fn seat(post_id: i64, staff_id: i64, weekday: u8) -> RotaEntry {
        RotaEntry {
            post_id: PostId(post_id),
            staff_id: StaffId(staff_id),
            weekday,
            start: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            end: None,
        }
    }

    #[test]
    fn handling_is_the_median_gap_of_a_busy_clerk() {
        // One clerk, residents every 12 minutes from 9:00, and a long lunch gap that is ignored.
        let mut a: Vec<Arrival> = (0..12)
            .map(|k| Arrival {
                at: at(23, 9, 0) + chrono::Duration::minutes(12 * k),
                post: "民政窗口".into(),
                clerk_id: StaffId(7),
            })
            .collect();
        a.push(Arrival {
            at: at(23, 15, 0),
            post: "民政窗口".into(),
            clerk_id: StaffId(7),
        });
        let refs: Vec<&Arrival> = a.iter().collect();
        assert_eq!(handling_estimate(&refs), Some(12.0));
        // Too few gaps: no estimate.
        assert_eq!(handling_estimate(&refs[..5]), None);
    }

    #[test]
    fn a_busy_hour_shows_a_gap_and_a_quiet_one_none() {
        // Over 5 working days: 9 o'clock sees 12 residents a day at 民政窗口, 14 o'clock 1.
        let mut a = Vec::new();
        for day in 23..=27 {
            for k in 0..12 {
                a.push(Arrival {
                    at: at(day, 9, k * 5),
                    post: "民政窗口".into(),
                    clerk_id: StaffId(1 + i64::from(k % 2)),
                });
            }
            a.push(Arrival {
                at: at(day, 14, 10),
                post: "民政窗口".into(),
                clerk_id: StaffId(1),
            });
        }
        // Monday 2026-11-30: one counter at 民政窗口, none at 综合窗口.
        let rota = vec![seat(1, 1, 1), seat(1, 2, 2)];
        let on = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let staffed = staffed_on(&posts(), &rota, on, |_| true);
        let d = demand(&a, 5, &posts(), &rota, &staffed, 900.0, 0.8).unwrap();
        let civil = d.iter().find(|p| p.post == "民政窗口").unwrap();
        assert!(civil.handling_estimated);
        assert_eq!(civil.handling_min, 10.0);
        let nine = civil.hours.iter().find(|h| h.hour == 9).unwrap();
        assert_eq!(nine.arrivals_per_hour, 12.0);
        // 12 an hour × 10 minutes = 2 erlangs: two counters never catch up, three serve 90.1 %
        // within 15 minutes.
        assert_eq!(
            crate::domain::counters::service_level(2, 2.0, 600.0, 900.0),
            0.0
        );
        assert!(
            (crate::domain::counters::service_level(3, 2.0, 600.0, 900.0) - 0.9009).abs() < 1e-3
        );
        assert_eq!((nine.needed, nine.staffed, nine.gap), (3, 1, 2));
        let two = civil.hours.iter().find(|h| h.hour == 14).unwrap();
        assert_eq!((two.needed, two.gap), (1, 0));
        let general = d.iter().find(|p| p.post == "综合窗口").unwrap();
        assert!(general.hours.iter().all(|h| h.needed == 0 && h.gap == 0));
        assert!(!general.handling_estimated);
    }

    /// Only people at work that day are staffed: a rota line of someone away (seconded out,
    /// on leave, retired) seats nobody.
    #[test]
    fn a_rota_line_of_someone_away_staffs_no_counter() {
        let rota = vec![seat(1, 1, 1), seat(1, 3, 1), seat(2, 2, 1)];
        let on = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let all = staffed_on(&posts(), &rota, on, |_| true);
        assert_eq!((all["民政窗口"], all["综合窗口"]), (2, 1));
        let some = staffed_on(&posts(), &rota, on, |id| id != StaffId(3));
        assert_eq!((some["民政窗口"], some["综合窗口"]), (1, 1));
    }

    /// A resident counts at the counter that served them: clerk 7 sits at 综合窗口 on Mondays,
    /// so their 民政 items on a Monday are 综合窗口's queue; on a Tuesday (no seat) and after the
    /// rota line ended they fall back to the item's post.
    #[test]
    fn residents_count_at_the_counter_that_served_them() {
        let mut line = seat(2, 7, 1);
        line.end = Some(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        let arrival = |day: u32, clerk: i64| Arrival {
            at: at(day, 9, 0),
            post: "民政窗口".into(),
            clerk_id: StaffId(clerk),
        };
        // 23 Nov 2026 is a Monday, 24 a Tuesday, 30 the next Monday (line ended on the 23rd).
        let a = vec![
            arrival(23, 7),
            arrival(24, 7),
            arrival(30, 7),
            arrival(23, 8),
        ];
        let served = at_serving_post(&a, &posts(), &[line]);
        let at_posts: Vec<&str> = served.iter().map(|a| a.post.as_str()).collect();
        assert_eq!(at_posts, ["综合窗口", "民政窗口", "民政窗口", "民政窗口"]);
        assert_eq!(served[0].at, a[0].at);
        assert_eq!(served[0].clerk_id, a[0].clerk_id);

        // Through `demand`: the general counter now shows its Monday resident.
        let rota = [seat(2, 7, 1)];
        let staffed = staffed_on(&posts(), &rota, at(30, 0, 0).date(), |_| true);
        let d = demand(&a, 1, &posts(), &rota, &staffed, 900.0, 0.8).unwrap();
        let general = d.iter().find(|p| p.post == "综合窗口").unwrap();
        let nine = general.hours.iter().find(|h| h.hour == 9).unwrap();
        assert_eq!(
            nine.arrivals_per_hour, 2.0,
            "the Mondays 23 and 30 at 综合窗口"
        );
        assert_eq!(nine.staffed, 1);
    }

    /// The hall's row per hour adds up its posts' rows.
    #[test]
    fn the_hall_total_adds_up_the_posts() {
        let hour = |h: u32, arrivals: f64, needed: u32, staffed: u32| HourDemand {
            wait_p50_s: None,
            hour: h,
            arrivals_per_hour: arrivals,
            needed,
            staffed,
            gap: i64::from(needed) - i64::from(staffed),
        };
        let post = |name: &str, rows: [(f64, u32, u32); 7]| PostDemand {
            post: name.into(),
            handling_min: 10.0,
            handling_estimated: true,
            hours: OPEN_HOURS
                .iter()
                .zip(rows)
                .map(|(&h, (a, n, s))| hour(h, a, n, s))
                .collect(),
            short: Vec::new(),
        };
        let posts = vec![
            post(
                "民政窗口",
                [
                    (12.0, 3, 1),
                    (2.5, 1, 1),
                    (0.0, 0, 1),
                    (1.2, 1, 0),
                    (0.0, 0, 0),
                    (0.0, 0, 0),
                    (0.0, 0, 0),
                ],
            ),
            post(
                "综合窗口",
                [
                    (4.4, 2, 2),
                    (0.0, 0, 2),
                    (0.0, 0, 2),
                    (0.1, 1, 2),
                    (0.0, 0, 0),
                    (0.0, 0, 0),
                    (0.0, 0, 0),
                ],
            ),
        ];
        let t = hall_totals(&posts);
        assert_eq!(t.len(), OPEN_HOURS.len());
        assert_eq!(
            (
                t[0].hour,
                t[0].arrivals_per_hour,
                t[0].needed,
                t[0].staffed,
                t[0].gap
            ),
            (9, 16.4, 5, 3, 2)
        );
        assert_eq!((t[2].needed, t[2].staffed, t[2].gap), (0, 3, -3));
        assert_eq!((t[3].hour, t[3].arrivals_per_hour, t[3].gap), (14, 1.3, 0));
        assert!(hall_totals(&[])
            .iter()
            .all(|h| h.needed == 0 && h.staffed == 0));
    }
}
