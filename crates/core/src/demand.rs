//! Demand against supply for a town and date, read through the store; the arithmetic is
//! [`crate::domain::demand`]'s.

use chrono::{Days, NaiveDate};

use crate::calendar::Calendar;
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
        let arrivals = q.arrivals(t.id, from, to)?;
        let mut calendar = Calendar::builtin();
        for y in q.calendar_years()? {
            calendar.add(y);
        }
        let mut working_days = 0;
        let mut d = from;
        while d <= to {
            if calendar.is_working_day(d).0 {
                working_days += 1;
            }
            d = d.succ_opt().expect("a next day");
        }
        let posts = demand(
            &arrivals,
            working_days,
            &facts.posts,
            &facts.rota,
            on,
            target_wait_s,
            level,
        )?;
        let open = calendar.is_working_day(on).0;
        let posts = if open { posts } else { closed_day(posts) };
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
        })
    })
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
}
