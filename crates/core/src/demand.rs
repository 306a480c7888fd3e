//! Demand against supply for a town and date, read through the store; the arithmetic is
//! [`crate::domain::demand`]'s.

use chrono::{Days, NaiveDate};

pub use crate::domain::demand::*;
use crate::store::Store;
use crate::{Error, Result};

/// The demand report of a town on a date, from the four weeks of history before it.
pub fn demand_report<S: Store>(
    store: &mut S,
    town: Option<&str>,
    on: NaiveDate,
    target_wait_s: f64,
    level: f64,
) -> Result<DemandReport> {
    let from = on
        .checked_sub_days(Days::new(WINDOW_DAYS))
        .ok_or_else(|| Error::invalid("on", "日期过早"))?;
    let to = on
        .pred_opt()
        .ok_or_else(|| Error::invalid("on", "日期过早"))?;
    store.read(|q| {
        let t = crate::town::resolve_town(q, town)?;
        let facts = q.town_facts(t.id, Some(on))?;
        // The hall's tickets, when it uses them, measure arrivals at the post that served
        // each resident, handling times and waits; else the requests taken in estimate them.
        let tickets = q.tickets(t.id, from, to)?;
        let measured = !tickets.is_empty();
        let arrivals = if measured {
            tickets
                .iter()
                .filter_map(|tk| {
                    let post = facts.posts.iter().find(|p| p.id == tk.post_id)?;
                    Some(Arrival {
                        at: tk.taken_at,
                        post: post.name.clone(),
                        // No clerk: the ticket's post is where the resident queued.
                        clerk_id: crate::ids::StaffId(0),
                    })
                })
                .collect()
        } else {
            q.arrivals(t.id, from, to)?
        };
        let calendar = crate::calendar::of(q)?;
        let mut working_days = 0;
        let mut d = from;
        while d <= to {
            if calendar.is_working_day(d).0 {
                working_days += 1;
            }
            d = d.succ_opt().expect("a next day");
        }
        // Only those at work that day sit at a counter.
        let staffed = staffed_on(&facts.posts, &facts.rota, on, |id| {
            crate::staffing::at_work(&facts, id, on)
        });
        let posts = demand(
            &arrivals,
            working_days,
            &facts.posts,
            &facts.rota,
            &staffed,
            target_wait_s,
            level,
        )?;
        let posts = if measured {
            with_measured(posts, &tickets, &facts.posts, target_wait_s, level)?
        } else {
            posts
        };
        let open = calendar.is_working_day(on).0;
        let mut posts = if open { posts } else { closed_day(posts) };
        // A short post says whose vacancies, secondments and absences left it short.
        let units = crate::staffing::summarize(&t.name, &facts, on).units;
        explain_shortfalls(&mut posts, &facts, &units, on);
        Ok(DemandReport {
            town: t.name,
            on,
            from,
            to,
            working_days,
            target_wait_s,
            service_level: level,
            open,
            totals: hall_totals(&posts),
            posts,
            measured,
        })
    })
}

/// The posts with what the tickets measured: each post's handling time is the median service
/// time (call to finish) once there are enough finished tickets, the counters needed follow from
/// it, and each hour shows the median wait residents had.
fn with_measured(
    mut posts: Vec<PostDemand>,
    tickets: &[crate::front::record::TicketRow],
    hall: &[crate::staffing::HallPost],
    target_wait_s: f64,
    level: f64,
) -> Result<Vec<PostDemand>> {
    use chrono::Timelike;
    for p in &mut posts {
        let Some(post) = hall.iter().find(|h| h.name == p.post) else {
            continue;
        };
        let mine: Vec<&crate::front::record::TicketRow> =
            tickets.iter().filter(|t| t.post_id == post.id).collect();
        let mut services: Vec<i64> = mine
            .iter()
            .filter_map(|t| Some((t.finished_at? - t.called_at?).num_seconds()))
            .filter(|s| *s > 0)
            .collect();
        services.sort_unstable();
        if services.len() >= crate::demand::MIN_SAMPLES {
            p.handling_min = services[services.len() / 2] as f64 / 60.0;
            p.handling_estimated = true;
            for h in &mut p.hours {
                h.needed = crate::counters::counters_needed(
                    h.arrivals_per_hour,
                    p.handling_min,
                    target_wait_s,
                    level,
                )?
                .counters;
                h.gap = i64::from(h.needed) - i64::from(h.staffed);
            }
        }
        for h in &mut p.hours {
            let mut waits: Vec<i64> = mine
                .iter()
                .filter(|t| t.taken_at.hour() == h.hour)
                .filter_map(|t| Some((t.called_at? - t.taken_at).num_seconds()))
                .collect();
            waits.sort_unstable();
            h.wait_p50_s = crate::front::percentile(&waits, 50);
        }
    }
    Ok(posts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_reads_the_history_of_the_four_weeks_before() {
        use crate::request::{new_request, NewRequest};
        let mut s = crate::store::SqliteStore::open_in_memory().unwrap();
        crate::demo::load(&mut s, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).unwrap();
        for day in 23..=27 {
            for k in 0..6u32 {
                let input = NewRequest {
                    staff: if k % 2 == 0 { "DF0013" } else { "DF0014" }.into(),
                    item: "MZ-001".into(),
                    name: "王玥".into(),
                    id: Some(crate::identity::with_check_char("52020319850312123")),
                    ..Default::default()
                };
                new_request(
                    &mut s,
                    &input,
                    NaiveDate::from_ymd_opt(2026, 11, day)
                        .unwrap()
                        .and_hms_opt(9, k * 10, 0)
                        .unwrap(),
                )
                .unwrap();
            }
        }
        let on = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let r = demand_report(&mut s, Some("东风镇"), on, 900.0, 0.8).unwrap();
        // 2026-11-02 to 2026-11-29: 20 working days.
        assert_eq!(
            (r.from.to_string().as_str(), r.working_days),
            ("2026-11-02", 20)
        );
        // 30 residents over 20 working days, each at the counter its clerk sat at that day.
        let nine = |post: &str| {
            let p = r.posts.iter().find(|p| p.post == post).unwrap();
            p.hours.iter().find(|h| h.hour == 9).unwrap().clone()
        };
        // DF0013's residents count at 综合窗口, where the demo rota seats DF0013 on those
        // weekdays; DF0014's at 民政窗口: the general counter shows its share of 民政 items.
        assert_eq!(nine("综合窗口").arrivals_per_hour, 0.75);
        assert_eq!(nine("民政窗口").arrivals_per_hour, 0.75);
        assert_eq!(r.totals[0].hour, 9);
        assert_eq!(r.totals[0].arrivals_per_hour, 1.5, "the hall's 9 o'clock");
        assert_eq!(
            nine("民政窗口").staffed,
            1,
            "the demo rota seats one clerk at 民政窗口 on Mondays"
        );
        assert!(r.open, "2026-11-30 is a Monday");
        // Saturday 2026-12-05: the hall is closed. The posts show what a working day needs,
        // nothing staffed and no gap, and the report says it is closed.
        let sat = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let closed = demand_report(&mut s, Some("东风镇"), sat, 900.0, 0.8).unwrap();
        assert!(!closed.open);
        let hours = || closed.posts.iter().flat_map(|p| p.hours.iter());
        assert!(hours().any(|h| h.needed > 0));
        assert!(hours().all(|h| h.staffed == 0 && h.gap == 0), "{closed:?}");
        assert!(closed.totals.iter().all(|h| h.gap == 0));
        // A date whose window holds nothing shows no demand.
        let early = demand_report(
            &mut s,
            Some("东风镇"),
            NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            900.0,
            0.8,
        )
        .unwrap();
        assert!(early
            .posts
            .iter()
            .all(|p| p.hours.iter().all(|h| h.arrivals_per_hour == 0.0)));
    }

    /// Issue 19 point 6: a post with a gap says whose people sit at it, the unit's vacancies
    /// and secondments as the staffing summary counts them, and who of its rota that weekday is
    /// away (a clerk seconded out from the day), who no longer counts as staffed; a post
    /// without a gap says nothing.
    #[test]
    fn a_short_post_names_the_units_vacancies_and_who_of_its_rota_is_away() {
        let mut s = crate::store::SqliteStore::open_in_memory().unwrap();
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        crate::demo::load(&mut s, monday).unwrap();
        // The demo's four weeks of requests: every post is short at its busiest hour.
        crate::demo::recent::load(&mut s, monday).unwrap();
        let (staff, unit) = s
            .read(|q| {
                let town = crate::town::resolve_town(q, Some("东风镇"))?;
                let facts = q.town_facts(town.id, Some(monday))?;
                let post = facts
                    .posts
                    .iter()
                    .find(|p| p.name == "民政窗口")
                    .unwrap()
                    .id;
                let line = facts
                    .rota
                    .iter()
                    .find(|r| r.post_id == post && r.weekday == 1)
                    .unwrap();
                let person = facts
                    .staff
                    .iter()
                    .find(|p| p.id == line.staff_id)
                    .unwrap()
                    .clone();
                let unit = facts
                    .units
                    .iter()
                    .find(|u| Some(u.id) == person.home_unit_id)
                    .unwrap()
                    .name
                    .clone();
                Ok((person, unit))
            })
            .unwrap();
        let before = demand_report(&mut s, Some("东风镇"), monday, 900.0, 0.8).unwrap();
        s.write(|c| {
            c.ensure_status(
                staff.id,
                &crate::store::NewStatus {
                    status: crate::domain::staffing::Status::SecondedOut,
                    other_body: Some("县民政局"),
                    start: monday,
                    end: None,
                },
            )
        })
        .unwrap();
        let r = demand_report(&mut s, Some("东风镇"), monday, 900.0, 0.8).unwrap();
        let units = crate::staffing::summarize(
            "东风镇",
            &s.read(|q| {
                let town = crate::town::resolve_town(q, Some("东风镇"))?;
                q.town_facts(town.id, Some(monday))
            })
            .unwrap(),
            monday,
        )
        .units;
        for p in &r.posts {
            let gap = p.hours.iter().any(|h| h.gap > 0);
            assert_eq!(gap, !p.short.is_empty(), "{}: {:?}", p.post, p.short);
        }
        let post = r.posts.iter().find(|p| p.post == "民政窗口").unwrap();
        let short = post
            .short
            .iter()
            .find(|f| f.unit == unit)
            .unwrap_or_else(|| panic!("{:?}", post.short));
        let figures = units.iter().find(|u| u.name == unit).unwrap().figures;
        assert_eq!(
            (short.vacancies, short.seconded_out),
            (figures.vacancies, figures.seconded_out)
        );
        assert!(short.seconded_out >= 1);
        assert_eq!(short.away, [format!("{}（借调出）", staff.name)]);
        // Seconded out, the clerk sits at no counter: one fewer staffed every hour, the gap
        // one wider; the other posts are as they were.
        for (was, now) in before.posts.iter().zip(&r.posts) {
            let less = u32::from(now.post == "民政窗口");
            for (h0, h1) in was.hours.iter().zip(&now.hours) {
                assert_eq!(h1.staffed + less, h0.staffed, "{} {}", now.post, h1.hour);
                assert_eq!(h1.gap, h0.gap + i64::from(less), "{} {}", now.post, h1.hour);
            }
        }
    }

    /// Issue 19: once the hall takes tickets, the panel uses what they measured: arrivals per
    /// post and hour, the median service time as the handling time, and the median wait.
    #[test]
    fn tickets_measure_arrivals_handling_and_waits() {
        use crate::front::{call_next, done, take, Done};
        let mut s = crate::store::SqliteStore::open_in_memory().unwrap();
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        crate::demo::load(&mut s, monday).unwrap();
        let at =
            |m: u32| monday.and_hms_opt(9, 0, 0).unwrap() + chrono::Duration::minutes(m.into());
        // Twelve residents at 民政窗口 from 9:00, one every five minutes; each served six
        // minutes by one counter: the k-th waits 6k − 5k = k minutes.
        for k in 0..12u32 {
            take(&mut s, Some("东风镇"), "民政窗口", None, at(5 * k)).unwrap();
        }
        for k in 0..12u32 {
            call_next(&mut s, "DF0014", at(6 * k)).unwrap();
            done(&mut s, "DF0014", Done::Finish, None, at(6 * k + 6)).unwrap();
        }
        let tuesday = monday.succ_opt().unwrap();
        let r = demand_report(&mut s, Some("东风镇"), tuesday, 900.0, 0.8).unwrap();
        assert!(r.measured);
        let post = r.posts.iter().find(|p| p.post == "民政窗口").unwrap();
        assert_eq!(post.handling_min, 6.0);
        assert!(post.handling_estimated);
        let nine = post.hours.iter().find(|h| h.hour == 9).unwrap();
        // Twelve in the 9 o'clock hour over the window's working days.
        let expected = 12.0 / f64::from(r.working_days);
        assert!((nine.arrivals_per_hour - (expected * 100.0).round() / 100.0).abs() < 1e-9);
        // Waits 0, 1, …, 11 minutes (k-th at 6k): the median (nearest rank) is 5 minutes.
        assert_eq!(nine.wait_p50_s, Some(5 * 60));
        // No tickets at 综合窗口: no wait to show, and the other hours have none.
        let general = r.posts.iter().find(|p| p.post == "综合窗口").unwrap();
        assert!(general.hours.iter().all(|h| h.wait_p50_s.is_none()));
        // Without tickets in the window, the estimate from requests stays.
        let before = demand_report(&mut s, Some("东风镇"), monday, 900.0, 0.8).unwrap();
        assert!(!before.measured);
    }
}
