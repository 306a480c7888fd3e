use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::*;
use crate::request::{new_request, NewRequest};
use crate::store::SqliteStore;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// 2026-11-30, a Monday, at `h:m`.
fn monday(h: u32, m: u32) -> NaiveDateTime {
    day("2026-11-30").and_hms_opt(h, m, 0).unwrap()
}

/// A demo database loaded on 2026-11-30 (东风镇: DF0013 at 综合窗口 (A), DF0014 at 民政窗口 (B)).
fn demo(dir: &tempfile::TempDir) -> SqliteStore {
    let mut s = SqliteStore::open(&dir.path().join("front.db")).unwrap();
    crate::demo::load(&mut s, day("2026-11-30")).unwrap();
    s
}

fn ticket_count(s: &mut SqliteStore) -> usize {
    s.read(|q| {
        let town = crate::town::resolve_town(q, Some("东风镇"))?;
        q.tickets(town.id, day("2026-01-01"), day("2027-12-31"))
    })
    .unwrap()
    .len()
}

#[test]
fn a_counter_calls_the_green_channel_first_then_by_place_and_the_figures_follow() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo(&dir);
    let t = |s: &mut SqliteStore, m: u32, priority: Option<&str>| {
        take(s, Some("东风镇"), "民政窗口", priority, monday(9, m)).unwrap()
    };
    let first = t(&mut s, 0, None);
    assert_eq!((first.view.ticket.as_str(), first.waiting), ("B001", 0));
    assert_eq!(first.view.post, "民政窗口");
    let second = t(&mut s, 2, None);
    let elder = t(&mut s, 4, Some("老年人"));
    assert_eq!(second.view.ticket, "B002");
    // The 绿色通道 goes before those already waiting.
    assert_eq!((elder.view.ticket.as_str(), elder.waiting), ("B003", 0));
    // Another post's numbers are its own.
    let other = take(&mut s, Some("东风镇"), "综合窗口", None, monday(9, 5)).unwrap();
    assert_eq!(other.view.ticket, "A001");

    let called = call_next(&mut s, "DF0014", monday(9, 10)).unwrap();
    assert_eq!(called.ticket.as_deref(), Some("B003"));
    assert_eq!(called.post.as_deref(), Some("民政窗口"));
    assert_eq!((called.finished, called.waiting), (None, 2));
    // Calling the next finishes the one served.
    let next = call_next(&mut s, "DF0014", monday(9, 20)).unwrap();
    assert_eq!(next.ticket.as_deref(), Some("B001"));
    assert_eq!(next.finished.as_deref(), Some("B003"));
    assert_eq!(next.counter, called.counter);
    let recalled = done(&mut s, "DF0014", Done::Recall, None, monday(9, 21)).unwrap();
    assert_eq!(recalled.ticket, "B001");
    let finished = done(&mut s, "DF0014", Done::Finish, None, monday(9, 30)).unwrap();
    assert_eq!(finished.state, TicketState::Finished);
    // Nothing to finish now; the 综合窗口's clerk calls only A numbers.
    let e = done(&mut s, "DF0014", Done::Finish, None, monday(9, 31)).unwrap_err();
    assert!(matches!(&e, Error::Invalid { field: "staff", .. }), "{e:?}");
    let a = call_next(&mut s, "DF0013", monday(9, 40)).unwrap();
    assert_eq!(a.ticket.as_deref(), Some("A001"));
    assert_ne!(a.counter, called.counter);

    let st = stats(&mut s, Some("东风镇"), day("2026-11-30")).unwrap();
    assert_eq!(
        (st.figures.tickets, st.figures.served, st.figures.waiting),
        (4, 2, 1)
    );
    let b = st.posts.iter().find(|p| p.post == "民政窗口").unwrap();
    assert_eq!((b.letter.as_str(), b.figures.tickets), ("B", 3));
    // Waits: B003 6 min (9:04 → 9:10), B001 20 min then recalled (the recall moved its call).
    assert_eq!(b.figures.wait_p50_s, Some(6 * 60));
    assert_eq!(b.figures.service_p50_s, Some(9 * 60));
    assert_eq!(st.hours.len(), 1);
    assert_eq!(st.hours[0].arrivals, 4);
}

#[test]
fn a_ticket_outside_hours_on_a_holiday_for_an_unknown_post_or_an_unknown_priority_is_refused_and_nothing_is_taken(
) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo(&dir);
    let national_day = day("2026-10-01").and_hms_opt(10, 0, 0).unwrap();
    let saturday = day("2026-11-28").and_hms_opt(10, 0, 0).unwrap();
    for (post, priority, at, field, says) in [
        ("民政窗口", None, monday(8, 59), "post", "不在办理时间"),
        ("民政窗口", None, monday(12, 0), "post", "不在办理时间"),
        ("民政窗口", None, monday(17, 30), "post", "不在办理时间"),
        ("民政窗口", None, saturday, "post", "不是工作日"),
        ("民政窗口", None, national_day, "post", "不是工作日"),
        ("不存在窗口", None, monday(10, 0), "post", "综合窗口"),
        ("民政窗口", Some("VIP"), monday(10, 0), "priority", "老年人"),
    ] {
        let e = take(&mut s, Some("东风镇"), post, priority, at).unwrap_err();
        assert!(
            matches!(&e, Error::Invalid { field: f, message } if *f == field && message.contains(says)),
            "{post} {at}: {e:?}"
        );
    }
    assert_eq!(ticket_count(&mut s), 0);
    // Open: 9:00 and 17:29 take a ticket.
    take(&mut s, Some("东风镇"), "民政窗口", None, monday(9, 0)).unwrap();
    take(&mut s, Some("东风镇"), "民政窗口", None, monday(17, 29)).unwrap();
    assert_eq!(ticket_count(&mut s), 2);
    // A clerk on no rota line calls nothing (naming the staff number).
    let e = call_next(&mut s, "DF0002", monday(10, 0)).unwrap_err();
    assert!(matches!(&e, Error::Invalid { field: "staff", .. }), "{e:?}");
}

#[test]
fn a_skipped_resident_who_returns_waits_behind_the_next_two_and_after_an_hour_takes_a_new_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo(&dir);
    for m in 0..5 {
        take(&mut s, Some("东风镇"), "民政窗口", None, monday(9, m)).unwrap();
    }
    assert_eq!(
        call_next(&mut s, "DF0014", monday(9, 10))
            .unwrap()
            .ticket
            .as_deref(),
        Some("B001")
    );
    let skipped = done(&mut s, "DF0014", Done::Skip, None, monday(9, 12)).unwrap();
    assert_eq!(skipped.state, TicketState::Skipped);
    // Not yet skipped tickets and unknown numbers are refused naming the ticket.
    for number in ["B002", "B099"] {
        let e = return_skipped(&mut s, Some("东风镇"), number, monday(9, 13)).unwrap_err();
        assert!(
            matches!(
                &e,
                Error::Invalid {
                    field: "ticket",
                    ..
                }
            ),
            "{e:?}"
        );
    }
    return_skipped(&mut s, Some("东风镇"), "b001", monday(9, 20)).unwrap();
    let order: Vec<String> = (0..3)
        .map(|k| {
            call_next(&mut s, "DF0014", monday(9, 30 + k))
                .unwrap()
                .ticket
                .unwrap()
        })
        .collect();
    assert_eq!(order, ["B002", "B003", "B001"]);
    // Skipped again, it is too late after an hour.
    done(&mut s, "DF0014", Done::Skip, None, monday(9, 40)).unwrap();
    let e = return_skipped(&mut s, Some("东风镇"), "B001", monday(10, 41)).unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field: "ticket", message } if message.contains("重新取号")),
        "{e:?}"
    );
}

#[test]
fn a_transferred_ticket_keeps_its_place_by_the_time_it_was_taken_and_a_finish_links_requests() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo(&dir);
    take(&mut s, Some("东风镇"), "综合窗口", None, monday(9, 0)).unwrap();
    take(&mut s, Some("东风镇"), "民政窗口", None, monday(9, 5)).unwrap();
    call_next(&mut s, "DF0013", monday(9, 6)).unwrap();
    let moved = transfer(&mut s, "DF0013", "民政窗口", monday(9, 8)).unwrap();
    assert_eq!(
        (moved.ticket.as_str(), moved.post.as_str()),
        ("A001", "民政窗口")
    );
    // Taken at 9:00, it goes before B001 (9:05).
    let called = call_next(&mut s, "DF0014", monday(9, 9)).unwrap();
    assert_eq!(called.ticket.as_deref(), Some("A001"));
    let number = new_request(
        &mut s,
        &NewRequest {
            staff: "DF0014".into(),
            item: "MZ-001".into(),
            name: "李玥".into(),
            id: Some(crate::identity::with_check_char("11010519491231002")),
            ..Default::default()
        },
        monday(9, 15),
    )
    .unwrap()
    .view
    .number;
    let e = done(
        &mut s,
        "DF0014",
        Done::Finish,
        Some("DF-20990101-0001"),
        monday(9, 16),
    )
    .unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Invalid {
                field: "request",
                ..
            }
        ),
        "{e:?}"
    );
    let finished = done(&mut s, "DF0014", Done::Finish, Some(&number), monday(9, 20)).unwrap();
    assert_eq!(finished.requests, [number]);
}

#[test]
fn a_bad_rating_opens_a_follow_up_due_in_working_days_whose_steps_are_audited() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo(&dir);
    let request = |s: &mut SqliteStore, id: &str| {
        new_request(
            s,
            &NewRequest {
                staff: "DF0014".into(),
                item: "MZ-001".into(),
                name: "王芳".into(),
                id: Some(crate::identity::with_check_char(id)),
                ..Default::default()
            },
            monday(10, 0),
        )
        .unwrap()
        .view
        .number
    };
    let good = request(&mut s, "11010519491231002");
    let bad = request(&mut s, "11010519500101002");
    assert_eq!(parse_grade(" 5 ").unwrap(), 5);
    assert_eq!(parse_grade("非常不满意").unwrap(), 1);
    for garbage in ["0", "6", "", "好"] {
        assert!(matches!(
            parse_grade(garbage),
            Err(Error::Invalid { field: "grade", .. })
        ));
    }
    let r = rate(&mut s, &good, 5, None, None, monday(10, 30)).unwrap();
    assert_eq!((r.grade_label, r.followup_id), ("非常满意", None));
    assert_eq!(r.staff_no.as_deref(), Some("DF0014"));
    // 一事一评.
    let e = rate(&mut s, &good, 4, None, None, monday(10, 31)).unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Invalid {
                field: "request",
                ..
            }
        ),
        "{e:?}"
    );
    let r = rate(
        &mut s,
        &bad,
        2,
        Some("等候时间长、多次跑腿"),
        Some("排了很久"),
        monday(10, 40),
    )
    .unwrap();
    assert_eq!(r.reasons, ["等候时间长", "多次跑腿"]);
    let id = r.followup_id.expect("a 差评 opens a follow-up");
    // Five working days after Monday 30 November: Monday 7 December.
    assert_eq!(r.due, Some(day("2026-12-07")));
    let listed = ratings(&mut s, Some("东风镇"), true, day("2026-12-08")).unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].overdue);

    // The close needs the result; another town's staff is refused; nothing is written then.
    let e = followup(
        &mut s,
        id,
        FollowupStep::Close,
        "DF0004",
        None,
        monday(11, 0),
    )
    .unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Invalid {
                field: "result",
                ..
            }
        ),
        "{e:?}"
    );
    let e = followup(
        &mut s,
        id,
        FollowupStep::Contacted,
        "ZC0004",
        None,
        monday(11, 0),
    )
    .unwrap_err();
    assert!(matches!(&e, Error::Invalid { field: "staff", .. }), "{e:?}");
    let e = followup(
        &mut s,
        999,
        FollowupStep::Contacted,
        "DF0004",
        None,
        monday(11, 0),
    )
    .unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Invalid {
                field: "followup",
                ..
            }
        ),
        "{e:?}"
    );
    followup(
        &mut s,
        id,
        FollowupStep::Contacted,
        "DF0004",
        None,
        monday(11, 0),
    )
    .unwrap();
    let closed = followup(
        &mut s,
        id,
        FollowupStep::Close,
        "DF0004",
        Some("已致电说明，调整午间窗口"),
        monday(15, 0),
    )
    .unwrap();
    assert!(closed.closed && !closed.overdue);
    let e = followup(
        &mut s,
        id,
        FollowupStep::Close,
        "DF0004",
        Some("再次"),
        monday(15, 1),
    )
    .unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Invalid {
                field: "followup",
                ..
            }
        ),
        "{e:?}"
    );
    // The rating and each step are in the audit log, and it still verifies.
    let conn = rusqlite::Connection::open(dir.path().join("front.db")).unwrap();
    let actions: Vec<String> = conn
        .prepare("SELECT action FROM audit_log WHERE request_number = ?1 ORDER BY id")
        .unwrap()
        .query_map([&bad], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for want in ["rating", "followup_contacted", "followup_closed"] {
        assert!(actions.iter().any(|a| a == want), "{actions:?}");
    }
    assert!(s.read(|q| q.audit_verification()).unwrap().ok);
    assert_eq!(
        ratings(&mut s, None, false, day("2026-12-08"))
            .unwrap()
            .len(),
        2
    );
}

/// A morning of arrivals drawn from a Poisson process at the demo's peak (a fixed seed), run
/// through tickets, calls and finishes at two 民政窗口 counters simulated here, checked against
/// what the simulation itself measured.
#[test]
fn a_simulated_morning_gives_the_waits_the_simulation_measured() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo(&dir);
    // A small linear congruential generator: the same morning on every run.
    let mut seed: u64 = 0x2026_1130;
    let mut uniform = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    // 18 residents an hour at the post from 9:00 to 11:30; service 4–8 minutes.
    let start = monday(9, 0);
    let mut arrivals = Vec::new();
    let mut t = 0.0;
    loop {
        t += -uniform().ln() * 3600.0 / 18.0;
        if t > 2.5 * 3600.0 {
            break;
        }
        arrivals.push(start + Duration::seconds(t as i64));
    }
    let services: Vec<i64> = arrivals
        .iter()
        .map(|_| 240 + (uniform() * 240.0) as i64)
        .collect();
    assert!(arrivals.len() > 30, "{} arrivals", arrivals.len());

    // One counter (DF0014), first come first served: each resident is called when both they
    // have arrived and the counter is free.
    let mut free = start;
    let mut expected_waits = Vec::new();
    // (when, what: 0 finish, 1 take, 2 call, whose)
    let mut events: Vec<(NaiveDateTime, u8, usize)> = Vec::new();
    for (i, (&arrive, &service)) in arrivals.iter().zip(&services).enumerate() {
        let call = arrive.max(free);
        expected_waits.push((call - arrive).num_seconds());
        free = call + Duration::seconds(service);
        events.push((arrive, 1, i));
        events.push((call, 2, i));
        events.push((free, 0, i));
    }
    // In time order; at the same second a finish, then an arrival, then a call.
    events.sort();
    for (at, what, _) in events {
        match what {
            0 => {
                done(&mut s, "DF0014", Done::Finish, None, at).unwrap();
            }
            1 => {
                take(&mut s, Some("东风镇"), "民政窗口", None, at).unwrap();
            }
            _ => {
                let called = call_next(&mut s, "DF0014", at).unwrap();
                assert_eq!(called.finished, None, "the counter was free");
            }
        }
    }

    let st = stats(&mut s, Some("东风镇"), day("2026-11-30")).unwrap();
    let b = &st
        .posts
        .iter()
        .find(|p| p.post == "民政窗口")
        .unwrap()
        .figures;
    expected_waits.sort_unstable();
    assert_eq!(b.tickets, arrivals.len());
    assert_eq!(b.served, arrivals.len());
    assert_eq!(b.wait_p50_s, percentile(&expected_waits, 50));
    assert_eq!(b.wait_p90_s, percentile(&expected_waits, 90));
    let mut sorted_services = services.clone();
    sorted_services.sort_unstable();
    assert_eq!(b.service_p50_s, percentile(&sorted_services, 50));
    let per_hour: usize = st.hours.iter().map(|h| h.arrivals).sum();
    assert_eq!(per_hour, arrivals.len());
}

#[test]
fn the_screen_shows_each_counters_call_the_next_numbers_and_says_when_the_hall_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo(&dir);
    for (m, post, priority) in [
        (0, "民政窗口", None),
        (1, "民政窗口", None),
        (2, "综合窗口", None),
        (3, "民政窗口", Some("孕妇")),
        (4, "民政窗口", None),
        (5, "民政窗口", None),
    ] {
        take(&mut s, Some("东风镇"), post, priority, monday(9, m)).unwrap();
    }
    call_next(&mut s, "DF0014", monday(9, 10)).unwrap();
    call_next(&mut s, "DF0013", monday(9, 11)).unwrap();
    let b = board(&mut s, Some("东风镇"), monday(9, 12)).unwrap();
    assert!(b.open && b.message.is_none());
    let calls: Vec<(&str, &str)> = b
        .calls
        .iter()
        .map(|c| (c.ticket.as_str(), c.post.as_str()))
        .collect();
    // The latest call first; the 孕妇's ticket was called first at 民政窗口.
    assert_eq!(calls, [("A001", "综合窗口"), ("B003", "民政窗口")]);
    let counter = b.calls[0].counter;
    assert_eq!(
        b.announcement.as_deref(),
        Some(format!("请 A001 号到 {counter} 号窗口办理").as_str())
    );
    let b_post = b.posts.iter().find(|p| p.post == "民政窗口").unwrap();
    assert_eq!((b_post.letter.as_str(), b_post.waiting), ("B", 4));
    assert_eq!(b_post.next, ["B001", "B002", "B004"]);
    // A recall brings a call back to the top.
    done(&mut s, "DF0014", Done::Recall, None, monday(9, 13)).unwrap();
    let b = board(&mut s, Some("东风镇"), monday(9, 13)).unwrap();
    assert_eq!(b.calls[0].ticket, "B003");
    assert_eq!(b.calls[0].calls, 2);
    // At lunch the screen says when the hall opens again.
    let lunch = board(&mut s, Some("东风镇"), monday(12, 30)).unwrap();
    assert!(!lunch.open);
    assert!(lunch.message.unwrap().contains("14:00"));
}

/// A seeded generator for the simulated morning: SplitMix64 (Steele, Lea and Flood, "Fast
/// splittable pseudorandom number generators", 2014). The core has no `rand` dependency; a fixed
/// seed gives the same morning on every run and machine.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1), never 0 (its logarithm is taken).
    fn uniform(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Exponentially distributed with mean `mean`.
    fn exponential(&mut self, mean: f64) -> f64 {
        -self.uniform().ln() * mean
    }
}

/// The nearest-rank percentile as `queue stats` defines it (the smallest value with at least
/// `p` per cent of the values at or below it), written out here as that definition reads rather
/// than through `front::percentile`.
fn nearest_rank(values: &[i64], p: usize) -> Option<i64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    (0..n).find(|i| (i + 1) * 100 >= p * n).map(|i| sorted[i])
}

/// What the simulation knows of one resident.
#[derive(Debug, Clone)]
struct Resident {
    post: usize,
    priority: Option<&'static str>,
    /// Seconds after midnight.
    taken: i64,
    /// The order tickets were taken in, over the whole hall.
    seq: usize,
    service: i64,
    ticket: String,
    called: Option<i64>,
    finished: Option<i64>,
}

/// The figures the simulation expects of some residents, as `queue stats` reports them:
/// (tickets, served, waiting, wait p50, wait p90, service p50).
type Expected = (usize, usize, usize, Option<i64>, Option<i64>, Option<i64>);

fn expected<'a>(residents: impl IntoIterator<Item = &'a Resident>) -> Expected {
    let (mut n, mut served, mut waiting) = (0, 0, 0);
    let (mut waits, mut services) = (Vec::new(), Vec::new());
    for r in residents {
        n += 1;
        match (r.called, r.finished) {
            (Some(c), Some(f)) => {
                served += 1;
                waits.push(c - r.taken);
                services.push(f - c);
            }
            (Some(c), None) => waits.push(c - r.taken),
            _ => waiting += 1,
        }
    }
    (
        n,
        served,
        waiting,
        nearest_rank(&waits, 50),
        nearest_rank(&waits, 90),
        nearest_rank(&services, 50),
    )
}

fn reported(f: &QueueFigures) -> Expected {
    (
        f.tickets,
        f.served,
        f.waiting,
        f.wait_p50_s,
        f.wait_p90_s,
        f.service_p50_s,
    )
}

/// A morning of the demo hall (东风镇, Monday 2026-11-30, 9:00–12:00) as a discrete-event
/// simulation over the core's own functions, each given its moment (`at`), nothing slept:
/// residents arrive as a Poisson process (exponential gaps from a seeded generator), twice as
/// often 9–10 as 10–12, each takes a ticket (`front::take`) at one of the six posts by fixed
/// shares, one in twenty by the 绿色通道; every clerk the rota seats that day (two at 综合窗口)
/// calls (`front::call_next`) as soon as they are free and someone waits at their post, and
/// finishes (`front::done`, `Done::Finish`) after the resident's service time. Then
/// `front::stats` must report exactly what the simulation recorded: tickets, served, waiting and
/// wait p50/p90 and service p50 per post, per hour and for the hall; and the store must have
/// called each post's residents in order: the 绿色通道 first, and nobody before an earlier
/// non-priority ticket of the same post.
#[test]
fn a_simulated_morning_at_every_post_and_counter_gives_the_figures_the_simulation_recorded() {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    let dir = tempfile::tempdir().unwrap();
    let mut s = demo(&dir);
    let on = day("2026-11-30");
    let at = |secs: i64| on.and_hms_opt(0, 0, 0).unwrap() + Duration::seconds(secs);

    // The hall's posts and the counters the rota seats today (each a clerk at one post).
    let facts = s
        .read(|q| {
            let town = crate::town::resolve_town(q, Some("东风镇"))?;
            q.town_facts(town.id, Some(on))
        })
        .unwrap();
    let posts: Vec<String> = facts.posts.iter().map(|p| p.name.clone()).collect();
    let counters: Vec<(usize, String)> = seats(&facts, on)
        .into_iter()
        .map(|(post_id, staff_id)| {
            let post = facts.posts.iter().position(|p| p.id == post_id).unwrap();
            let no = facts
                .staff
                .iter()
                .find(|p| p.id == staff_id)
                .unwrap()
                .no
                .clone();
            (post, no)
        })
        .collect();
    for (post, name) in posts.iter().enumerate() {
        assert!(
            counters.iter().any(|(p, _)| *p == post),
            "{name} is staffed"
        );
    }
    assert!(counters.len() > posts.len(), "a post with two counters");
    assert!(open_at(&Calendar::builtin(), at(9 * 3600)).is_ok());

    // Who comes to which post (shares of a hundred) and how long they take there (minutes:
    // two, plus an exponential part of the given mean).
    let shares = [30, 22, 10, 22, 8, 8];
    let service_mean = [4.0, 6.0, 4.0, 5.0, 8.0, 6.0];
    assert_eq!(shares.len(), posts.len());
    let mut rng = SplitMix(0x2026_1130_0900);
    let (open, peak_end, close) = (9 * 3600_i64, 10 * 3600_i64, 12 * 3600_i64);
    let mut residents: Vec<Resident> = Vec::new();
    let mut t = open as f64;
    loop {
        // A Poisson process whose rate steps down at 10:00: a gap drawn at the peak rate that
        // runs past 10:00 is drawn again from 10:00 at the later rate (memorylessness).
        let (rate, until) = if t < peak_end as f64 {
            (48.0, peak_end as f64)
        } else {
            (24.0, close as f64)
        };
        let next = t + rng.exponential(3600.0 / rate);
        if next >= until {
            if until >= close as f64 {
                break;
            }
            t = until;
            continue;
        }
        t = next;
        let pick = (rng.uniform() * 100.0) as usize;
        let post = shares
            .iter()
            .scan(0, |sum, share| {
                *sum += share;
                Some(*sum)
            })
            .position(|sum| pick < sum)
            .unwrap();
        let priority = (rng.uniform() < 0.05)
            .then(|| ["老年人", "残疾人", "孕妇", "军人"][residents.len() % 4]);
        let service = 120 + rng.exponential((service_mean[post] - 2.0) * 60.0) as i64;
        residents.push(Resident {
            post,
            priority,
            taken: t as i64,
            seq: residents.len(),
            service,
            ticket: String::new(),
            called: None,
            finished: None,
        });
    }
    let n = residents.len();
    assert!((80..160).contains(&n), "{n} residents");
    assert!(residents.iter().any(|r| r.priority.is_some()));

    // Events: (second, kind, who): a finish (0, the counter) before an arrival (1, the
    // resident) at the same second; after each, every free counter with someone waiting at its
    // post calls.
    let mut events: BinaryHeap<Reverse<(i64, u8, usize)>> = residents
        .iter()
        .enumerate()
        .map(|(i, r)| Reverse((r.taken, 1, i)))
        .collect();
    let mut serving: Vec<Option<usize>> = vec![None; counters.len()];
    let mut waiting: Vec<Vec<usize>> = vec![Vec::new(); posts.len()];
    let mut by_ticket: BTreeMap<String, usize> = BTreeMap::new();
    let mut calls = 0;
    while let Some(Reverse((now, kind, who))) = events.pop() {
        if kind == 0 {
            let r = serving[who]
                .take()
                .expect("a counter finishes whom it serves");
            let done = done(&mut s, &counters[who].1, Done::Finish, None, at(now)).unwrap();
            assert_eq!(done.ticket, residents[r].ticket);
            residents[r].finished = Some(now);
        } else {
            let (post, priority) = (residents[who].post, residents[who].priority);
            let taken = take(&mut s, Some("东风镇"), &posts[post], priority, at(now)).unwrap();
            assert_eq!(taken.view.post, posts[post]);
            by_ticket.insert(taken.view.ticket.clone(), who);
            residents[who].ticket = taken.view.ticket;
            waiting[post].push(who);
        }
        for c in 0..counters.len() {
            let post = counters[c].0;
            if serving[c].is_some() || waiting[post].is_empty() {
                continue;
            }
            let called = call_next(&mut s, &counters[c].1, at(now)).unwrap();
            assert_eq!(called.finished, None, "the counter was free");
            let ticket = called.ticket.expect("someone waits at the post");
            let r = by_ticket[&ticket];
            // The store chose; the rule says whom: the 绿色通道 first, then who took first.
            let first = *waiting[post]
                .iter()
                .min_by_key(|&&w| (residents[w].priority.is_none(), residents[w].seq))
                .unwrap();
            assert_eq!(
                (r, residents[r].post),
                (first, post),
                "{now}s: {} called {ticket} before {}",
                counters[c].1,
                residents[first].ticket
            );
            waiting[post].retain(|&w| w != r);
            assert_eq!(called.waiting, waiting[post].len());
            residents[r].called = Some(now);
            serving[c] = Some(r);
            events.push(Reverse((now + residents[r].service, 0, c)));
            calls += 1;
        }
    }
    assert_eq!(calls, n, "everyone taken before noon was called");

    let st = stats(&mut s, Some("东风镇"), on).unwrap();
    // The figures the README quotes (`cargo test -p bianmin-core simulated_morning_at_every
    // -- --nocapture`).
    eprintln!(
        "simulated morning: {n} residents, {} counters; hall {:?}; hours {:?}",
        counters.len(),
        st.figures,
        st.hours
            .iter()
            .map(|h| (
                h.hour,
                h.arrivals,
                h.figures.wait_p50_s,
                h.figures.wait_p90_s
            ))
            .collect::<Vec<_>>()
    );
    assert_eq!(reported(&st.figures), expected(&residents));
    assert_eq!(expected(&residents).1, n, "everyone served");
    let per_post: Vec<(String, Expected)> = st
        .posts
        .iter()
        .map(|p| (p.post.clone(), reported(&p.figures)))
        .collect();
    let want_posts: Vec<(String, Expected)> = posts
        .iter()
        .enumerate()
        .map(|(i, name)| {
            (
                name.clone(),
                expected(residents.iter().filter(|r| r.post == i)),
            )
        })
        .collect();
    assert_eq!(per_post, want_posts);
    let per_hour: Vec<(u32, usize, Expected)> = st
        .hours
        .iter()
        .map(|h| (h.hour, h.arrivals, reported(&h.figures)))
        .collect();
    let want_hours: Vec<(u32, usize, Expected)> = (9..12)
        .map(|hour| {
            let those: Vec<&Resident> = residents
                .iter()
                .filter(|r| r.taken / 3600 == i64::from(hour))
                .collect();
            (hour, those.len(), expected(those.iter().copied()))
        })
        .collect();
    assert_eq!(per_hour, want_hours);
    // The peak shows: more arrivals 9–10 than in either later hour.
    assert!(want_hours[0].1 > want_hours[1].1 && want_hours[0].1 > want_hours[2].1);
    // Some waited (the peak outran a post's counters), so the percentiles compared are not all 0.
    assert!(st.figures.wait_p90_s.unwrap() > 0);

    // As the store keeps them: at each post no non-priority ticket was called before an earlier
    // non-priority one (numbers run in the order taken).
    let rows = s
        .read(|q| {
            let town = crate::town::resolve_town(q, Some("东风镇"))?;
            q.tickets(town.id, on, on)
        })
        .unwrap();
    assert_eq!(rows.len(), n);
    for post in &facts.posts {
        let mut plain: Vec<&TicketRow> = rows
            .iter()
            .filter(|t| t.post_id == post.id && t.priority.is_none())
            .collect();
        plain.sort_by(|a, b| a.number.cmp(&b.number));
        for pair in plain.windows(2) {
            assert!(
                pair[0].called_at <= pair[1].called_at,
                "{} called after {}",
                pair[0].number,
                pair[1].number
            );
        }
    }
}

/// A post whose clerks are all away (seconded out from the day) gives no ticket: the kiosk
/// shows it as not taking tickets and a take is refused naming the post, with nothing taken;
/// the other posts go on, and the away clerk's desk keeps nobody else's counter number.
#[test]
fn a_post_whose_clerk_is_away_gives_no_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo(&dir);
    let away = s
        .read(|q| {
            let town = crate::town::resolve_town(q, Some("东风镇"))?;
            let facts = q.town_facts(town.id, Some(day("2026-11-30")))?;
            Ok(facts.staff.iter().find(|p| p.no == "DF0014").unwrap().id)
        })
        .unwrap();
    let staffed_before = crate::front::device::kiosk(&mut s, "东风镇", monday(10, 0))
        .unwrap()
        .posts
        .iter()
        .filter(|p| p.staffed)
        .count();
    let counter_before = call_next(&mut s, "DF0013", monday(9, 0)).unwrap().counter;
    s.write(|c| {
        c.ensure_status(
            away,
            &crate::store::NewStatus {
                status: crate::domain::staffing::Status::SecondedOut,
                other_body: Some("县民政局"),
                start: day("2026-11-30"),
                end: None,
            },
        )
    })
    .unwrap();
    let k = crate::front::device::kiosk(&mut s, "东风镇", monday(10, 0)).unwrap();
    let civil = k.posts.iter().find(|p| p.post == "民政窗口").unwrap();
    let general = k.posts.iter().find(|p| p.post == "综合窗口").unwrap();
    assert_eq!((civil.staffed, general.staffed), (false, true));
    assert_eq!(
        k.posts.iter().filter(|p| p.staffed).count(),
        staffed_before - 1
    );
    let e = take(&mut s, Some("东风镇"), "民政窗口", None, monday(10, 0)).unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field: "post", message } if message.contains("民政窗口今天没有安排人员")),
        "{e:?}"
    );
    assert_eq!(ticket_count(&mut s), 0);
    take(&mut s, Some("东风镇"), "综合窗口", None, monday(10, 0)).unwrap();
    assert_eq!(ticket_count(&mut s), 1);
    let called = call_next(&mut s, "DF0013", monday(10, 1)).unwrap();
    assert_eq!(called.post.as_deref(), Some("综合窗口"));
    assert_eq!(called.counter, counter_before);
}
