//! The demo's four weeks of counter work before the day it is loaded: requests taken on the
//! working days of the official calendar, in the hall's opening hours with a morning peak, at
//! the posts the rota staffs that day and by the clerks seated there, each of an item of that
//! post. The leader's 窗口需求 panel and every list then show something real on first start.
//!
//! Residents' names are drawn from given-name characters that no test searches for (玥, 喆, 赟,
//! 华, 浩 …), so that a test's search finds only its own requests. A town that already holds
//! requests in those four weeks gets none: loading again adds nothing.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate, Timelike};

use crate::catalog::{Mode, TimeLimit};
use crate::demand::{OPEN_HOURS, WINDOW_DAYS};
use crate::generate::{write_past, Past, Rng};
use crate::request::{town_code, State};
use crate::store::Store;
use crate::Result;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "龙", "潘", "韦", "石", "蒙",
];

/// Given-name characters no test searches for.
const GIVEN: &[&str] = &[
    "嘉", "欣", "梓", "涵", "宇", "轩", "俊", "杰", "晨", "曦", "若", "彤", "沐", "晴", "书", "瑶",
    "亦", "凡", "诗", "雅", "泽", "川", "可", "馨", "安", "然", "文", "静", "立", "群",
];

/// Residents per seated clerk and open hour: the morning's peak, the afternoon's, and the last
/// half hour (17:00–17:30).
const PER_CLERK_MORNING: f64 = 4.5;
const PER_CLERK_AFTERNOON: f64 = 2.5;
const PER_CLERK_LAST_HALF_HOUR: f64 = 1.0;

/// What a clerk writes when a request is late (逾期说明), for the demo's overdue requests.
const OVERDUE_REASONS: [&str; 4] = [
    "申请人外出务工，入户核查未能按期完成",
    "需村（居）委会出具证明，尚未送达",
    "审批人员下村参加防汛值守，审核推迟",
    "家庭收入信息需与县民政局系统比对，比对结果未返回",
];

/// Requests older than this many days are mostly finished.
const SETTLED_AFTER_DAYS: i64 = 10;

/// Adds the four weeks before `today` to every demo town that has no request in them; returns
/// how many requests were added.
pub fn load<S: Store>(store: &mut S, today: NaiveDate) -> Result<usize> {
    let from = today
        .checked_sub_days(Days::new(WINDOW_DAYS))
        .expect("a date after 0001");
    let to = today.pred_opt().expect("a date after 0001");
    let (towns, calendar) = store.read(|q| {
        let calendar = crate::calendar::of(q)?;
        let mut towns = Vec::new();
        for t in q.towns()? {
            if !q.arrivals(t.id, from, to)?.is_empty() {
                continue;
            }
            let facts = q.town_facts(t.id, None)?;
            let items = q.items(t.id)?;
            towns.push((t, facts, items));
        }
        Ok((towns, calendar))
    })?;
    let mut added = 0;
    for (town, facts, items) in towns {
        let mut rng = Rng(0x5EED_0000_0000_0001 ^ (town.id.0 as u64).wrapping_mul(0x9E37_79B9));
        // The items each post takes from residents, that the township handles at all (not the
        // enforcement items, which no resident applies for).
        let mut by_post: BTreeMap<&str, Vec<_>> = BTreeMap::new();
        for item in items
            .iter()
            .filter(|i| i.mode != Mode::CityOnly && !i.is_enforcement())
        {
            by_post.entry(item.post.as_str()).or_default().push(item);
        }
        let staff: BTreeMap<_, _> = facts.staff.iter().map(|p| (p.id, p)).collect();
        let code = town_code(&town.name);
        store.write(|c| {
            let mut day = from;
            while day <= to {
                if calendar.is_working_day(day).0 {
                    let weekday = day.format("%u").to_string().parse::<u8>().expect("1–7");
                    for post in &facts.posts {
                        let Some(post_items) = by_post.get(post.name.as_str()) else {
                            continue;
                        };
                        let seated: Vec<_> = facts
                            .rota
                            .iter()
                            .filter(|r| {
                                r.post_id == post.id && r.weekday == weekday && r.in_force_on(day)
                            })
                            .filter_map(|r| staff.get(&r.staff_id))
                            .collect();
                        if seated.is_empty() {
                            continue;
                        }
                        let mut arrivals = Vec::new();
                        for hour in OPEN_HOURS {
                            let (per_clerk, minutes) = match hour {
                                h if h < 12 => (PER_CLERK_MORNING, 60),
                                17 => (PER_CLERK_LAST_HALF_HOUR, 30),
                                _ => (PER_CLERK_AFTERNOON, 60),
                            };
                            let mean = per_clerk * seated.len() as f64;
                            // Between 60 % and 140 % of the mean, whole residents.
                            let n = (mean * (0.6 + 0.8 * (rng.below(1000) as f64 / 1000.0))).round()
                                as usize;
                            for _ in 0..n {
                                arrivals.push(
                                    day.and_hms_opt(hour, rng.below(minutes) as u32, 0)
                                        .expect("an open hour"),
                                );
                            }
                        }
                        arrivals.sort();
                        for (k, at) in arrivals.into_iter().enumerate() {
                            let clerk = seated[k % seated.len()];
                            let item = post_items[rng.below(post_items.len())];
                            let seq = c.next_request_seq(town.id, day)?;
                            let age = (today - day).num_days();
                            let mut state = state_for(&mut rng, age, item.promised);
                            // Only what a city department decides is forwarded to one; the
                            // township's own items are in hand here instead.
                            if state == State::Forwarded
                                && !matches!(item.mode, Mode::Forward | Mode::Entrusted)
                            {
                                state = State::Accepted;
                            }
                            let due = match item.promised {
                                TimeLimit::OnTheSpot => day,
                                TimeLimit::WorkingDays(n) => calendar.due(day, n.into()).due,
                            };
                            let (name, id, phone) = resident(&mut rng);
                            let forwarded = state == State::Forwarded
                                || (state == State::Completed && item.mode == Mode::Forward);
                            // Days between steps: on the spot for 即办 items; otherwise one to
                            // eight, so that some complete after their due date, and never a
                            // step after yesterday.
                            let steps = crate::generate::steps_to(state, forwarded).len() as i64;
                            let pace = if item.promised == TimeLimit::OnTheSpot {
                                0
                            } else {
                                (1 + rng.below(8) as i64).min((age - 1).max(0) / (steps - 1).max(1))
                            };
                            let received: Vec<u16> = item.materials.iter().map(|m| m.seq).collect();
                            write_past(
                                c,
                                &Past {
                                    town_id: town.id,
                                    number: format!("{code}-{}-{seq:04}", day.format("%Y%m%d")),
                                    code: &item.code,
                                    received: &received,
                                    name: &name,
                                    id: &id,
                                    phone: &phone,
                                    state,
                                    forwarded,
                                    clerk: (clerk.id, &clerk.no, &clerk.name),
                                    at: at.with_second(0).expect("a time"),
                                    due,
                                    mode: Some(item.mode),
                                    // Two in three of those past their due date say why.
                                    overdue_reason: (state == State::Accepted
                                        && due < today
                                        && seq % 3 != 0)
                                        .then(|| {
                                            OVERDUE_REASONS[seq as usize % OVERDUE_REASONS.len()]
                                        }),
                                    department: &item.department,
                                    pace_days: pace,
                                },
                            )?;
                            added += 1;
                        }
                    }
                }
                day = day.succ_opt().expect("a next day");
            }
            Ok(())
        })?;
    }
    Ok(added)
}

/// Where a request of `age` days stands today: most older ones finished, recent ones in hand.
fn state_for(rng: &mut Rng, age: i64, promised: TimeLimit) -> State {
    if promised == TimeLimit::OnTheSpot {
        return State::Completed;
    }
    let roll = rng.below(100);
    if age > SETTLED_AFTER_DAYS {
        match roll {
            0..=69 => State::Completed,
            70..=79 => State::Forwarded,
            80..=87 => State::Incomplete,
            88..=93 => State::Withdrawn,
            _ => State::Refused,
        }
    } else {
        match roll {
            0..=44 => State::Accepted,
            45..=64 => State::Forwarded,
            65..=84 => State::Completed,
            _ => State::Incomplete,
        }
    }
}

/// A resident: a name of a common surname and one or two given characters, a valid ID number
/// of the county (520203…) and a mobile number.
fn resident(rng: &mut Rng) -> (String, String, String) {
    let mut name = SURNAMES[rng.below(SURNAMES.len())].to_string();
    for _ in 0..if rng.below(5) == 0 { 1 } else { 2 } {
        name.push_str(GIVEN[rng.below(GIVEN.len())]);
    }
    let birth = NaiveDate::from_ymd_opt(1945, 1, 1).expect("a date")
        + chrono::Duration::days(rng.below(22_000) as i64);
    let id = crate::identity::with_check_char(&format!(
        "520203{}{:03}",
        birth.format("%Y%m%d"),
        rng.below(1000)
    ));
    let phone = format!("137{:08}", rng.below(100_000_000));
    (name, id, phone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counters::{DEFAULT_SERVICE_LEVEL, DEFAULT_TARGET_WAIT_S};
    use crate::demand::demand_report;
    use crate::store::SqliteStore;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn four_weeks_of_working_days_give_the_demand_panel_real_numbers_once() {
        let today = day("2026-11-28");
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::demo::load(&mut s, today).unwrap();
        let added = load(&mut s, today).unwrap();
        assert!(
            added > 500,
            "only {added} requests in four weeks of three halls"
        );
        // Loading again adds nothing.
        assert_eq!(load(&mut s, today).unwrap(), 0);

        let arrivals = s
            .read(|q| {
                let t = crate::town::resolve_town(q, Some("东风镇"))?;
                q.arrivals(t.id, day("2026-10-31"), day("2026-11-27"))
            })
            .unwrap();
        let calendar = crate::calendar::Calendar::builtin();
        // Only working days (2026-11-01 is a Sunday), only open hours, and a morning peak.
        assert!(!arrivals.is_empty());
        let mut morning = 0;
        let mut afternoon = 0;
        for a in &arrivals {
            assert!(calendar.is_working_day(a.at.date()).0, "{}", a.at);
            assert!(OPEN_HOURS.contains(&a.at.hour()), "{}", a.at);
            assert!(a.at.hour() != 17 || a.at.minute() < 30, "{}", a.at);
            match a.at.hour() {
                9..=11 => morning += 1,
                14..=16 => afternoon += 1,
                _ => {}
            }
        }
        assert!(
            morning as f64 > afternoon as f64 * 1.4,
            "no morning peak: {morning} against {afternoon}"
        );

        // The panel shows arrivals at the posts the rota staffs, and the hall a total.
        let r = demand_report(
            &mut s,
            Some("东风镇"),
            today,
            DEFAULT_TARGET_WAIT_S,
            DEFAULT_SERVICE_LEVEL,
        )
        .unwrap();
        let nine = r.totals.iter().find(|h| h.hour == 9).unwrap();
        assert!(nine.arrivals_per_hour > 1.0, "{nine:?}");
        assert!(nine.needed > 0, "{nine:?}");
        assert!(
            r.posts
                .iter()
                .filter(|p| p.hours.iter().any(|h| h.arrivals_per_hour > 0.0))
                .count()
                >= 2,
            "{:?}",
            r.posts
        );

        // The history keeps the mode of each intake: what was taken in to be forwarded prints
        // a 收件凭证, never a 受理回执 (issue 16, point 3).
        let rows =
            crate::request::list(&mut s, Some("东风镇"), crate::request::ListKind::All, today)
                .unwrap();
        let collected = rows
            .iter()
            .filter(|v| v.forms.contains(&crate::request::FormKind::Collection))
            .count();
        assert!(collected > 0, "no request of the history prints a 收件凭证");
        assert!(rows.iter().all(
            |v| !(v.forms.contains(&crate::request::FormKind::Collection)
                && v.forms.contains(&crate::request::FormKind::Receipt))
        ));
        // Overdue with a reason (issue 16 point 12), and some not yet explained.
        let overdue = crate::request::list(
            &mut s,
            Some("东风镇"),
            crate::request::ListKind::Overdue,
            today,
        )
        .unwrap();
        let explained = overdue
            .iter()
            .filter(|v| v.overdue_reason.is_some())
            .count();
        assert!(
            explained > 0 && explained < overdue.len(),
            "{explained} of {} overdue requests explained",
            overdue.len()
        );
        assert!(rows.iter().all(|v| v.overdue_reason.is_none() || v.overdue));
    }

    #[test]
    fn no_demo_name_holds_a_character_the_tests_search_for() {
        for c in [
            "玥", "喆", "赟", "华", "浩", "明", "金", "凤", "阳", "永", "刚",
        ] {
            assert!(!GIVEN.contains(&c) && !SURNAMES.contains(&c), "{c}");
        }
        let mut rng = Rng(7);
        for _ in 0..1000 {
            let (name, id, _) = resident(&mut rng);
            assert!((2..=3).contains(&name.chars().count()), "{name}");
            crate::identity::IdNumber::parse("id", &id, day("2026-11-28")).unwrap();
        }
    }
}
