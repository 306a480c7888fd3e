//! A generator of realistic request history, for benchmarks and load tests: fills a demo
//! database with `n` requests spread over the three years before a date.

use chrono::{Days, NaiveDate};

use crate::catalog::initials;
use crate::identity::with_check_char;
use crate::request::record::RequestRow;
use crate::request::State;
use crate::store::Store;
use crate::Result;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "罗", "龙", "潘", "蒙", "韦", "石",
];
const GIVEN: &[&str] = &[
    "建国", "秀英", "志强", "丽", "勇", "芳", "军", "敏", "玥", "喆", "德明", "春梅", "海燕",
    "光荣", "家兴", "子涵",
];

/// A small deterministic generator (xorshift), so that runs are repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Adds `n` requests to a database holding the demo towns, in transactions of 10,000.
pub fn fill_requests<S: Store>(store: &mut S, n: usize, end: NaiveDate) -> Result<()> {
    let towns = store.read(|q| {
        let mut out = Vec::new();
        for t in q.towns()? {
            let items: Vec<(String, Vec<u16>)> = q
                .items(t.id)?
                .into_iter()
                .filter(|i| i.mode != crate::catalog::Mode::CityOnly)
                .map(|i| (i.code, i.materials.iter().map(|m| m.seq).collect()))
                .collect();
            let clerk = q
                .staff_profiles(t.id)?
                .into_iter()
                .find(|p| p.roles.contains(&crate::staff::Role::Clerk))
                .map(|p| (p.id, p.name));
            if let (false, Some(clerk)) = (items.is_empty(), clerk) {
                out.push((t, items, clerk));
            }
        }
        Ok(out)
    })?;
    assert!(
        !towns.is_empty(),
        "fill_requests needs the demo towns (bianmin init --demo)"
    );
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut done = 0;
    while done < n {
        let batch = (n - done).min(10_000);
        store.write(|c| {
            for _ in 0..batch {
                let (town, items, (clerk_id, clerk_name)) = &towns[rng.below(towns.len())];
                let (code, seqs) = &items[rng.below(items.len())];
                let day = end
                    .checked_sub_days(Days::new(rng.below(3 * 365) as u64))
                    .expect("a past date");
                let seq = c.next_request_seq(town.id, day)?;
                let name = format!(
                    "{}{}",
                    SURNAMES[rng.below(SURNAMES.len())],
                    GIVEN[rng.below(GIVEN.len())]
                );
                let birth = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap()
                    + chrono::Duration::days(rng.below(25_000) as i64);
                let id = with_check_char(&format!(
                    "5202{:02}{}{:03}",
                    rng.below(99),
                    birth.format("%Y%m%d"),
                    rng.below(1000)
                ));
                let state = [
                    State::Completed,
                    State::Completed,
                    State::Completed,
                    State::Forwarded,
                    State::Accepted,
                    State::Incomplete,
                    State::Refused,
                    State::Withdrawn,
                ][rng.below(8)];
                let stem = town.name.trim_end_matches(['镇', '乡']);
                let row = RequestRow {
                    id: 0,
                    town_id: town.id,
                    number: format!(
                        "{}-{}-{seq:04}",
                        initials(stem).to_uppercase(),
                        day.format("%Y%m%d")
                    ),
                    item_code: code.clone(),
                    state,
                    name_initials: Some(initials(&name)),
                    applicant_name: Some(name),
                    applicant_kind: Some("person".into()),
                    applicant_id: Some(id),
                    phone: Some(format!("139{:08}", rng.below(100_000_000))),
                    remark: None,
                    clerk_id: *clerk_id,
                    clerk_name: clerk_name.clone(),
                    created_at: format!("{day} 09:30:00"),
                    created_on: day,
                    accepted_on: (state != State::Incomplete && state != State::Refused)
                        .then_some(day),
                    due: Some(day + chrono::Duration::days(14)),
                    calendar_complete: true,
                    forwarded_to: None,
                    forwarded_on: None,
                    department_due: None,
                    result: None,
                    reason: None,
                    alternative: None,
                    closed_on: None,
                    picked_up_on: None,
                    received: seqs.clone(),
                };
                c.insert_request(&row)?;
            }
            Ok(())
        })?;
        done += batch;
    }
    Ok(())
}
