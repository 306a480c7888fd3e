//! A generator of realistic request history, for benchmarks and load tests: fills a demo
//! database with `n` requests spread over the three years before a date.

use crate::ids::{PostId, RequestId};
use chrono::{Days, NaiveDate};

use crate::catalog::initials;
use crate::identity::{with_check_char, Applicant, IdNumber, Mobile};
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
                    id: RequestId(0),
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
                    applicant: Some(Applicant::Person(
                        IdNumber::parse("id", &id, day).expect("a generated number is valid"),
                    )),
                    phone: Some(
                        Mobile::parse("phone", &format!("139{:08}", rng.below(100_000_000)))
                            .expect("a generated number is valid"),
                    ),
                    remark: None,
                    clerk_id: *clerk_id,
                    clerk_name: clerk_name.clone(),
                    created_at: day.and_hms_opt(9, 30, 0).expect("a valid time"),
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

/// A generated county for the staffing benchmark: `towns` towns of ten units with `per_town`
/// staff each (on duty, some seconded, on leave or retired, each with dated history), six hall
/// posts whose rota changes every week for the year before `end`, and enforcement cards.
pub fn fill_county<S: Store>(
    store: &mut S,
    towns: usize,
    per_town: usize,
    end: NaiveDate,
) -> Result<()> {
    use crate::staff::{Credential, ENFORCEMENT_CARD};
    use crate::staffing::{PostKind, RotaEntry, Status};
    use crate::store::{NewQuota, NewStaff, NewStatus, NewUnit};
    const UNITS: [(&str, Option<&str>); 10] = [
        ("综合办公室", None),
        ("社会治理服务中心", None),
        ("村镇建设服务中心", None),
        ("农业服务中心", Some("市农业农村局")),
        ("社会事务服务中心", None),
        ("安全生产监管站", None),
        ("国土所", Some("市自然资源局")),
        ("财政所", None),
        ("林业站", Some("市林业局")),
        ("司法所", None),
    ];
    let mut rng = Rng(0x5eed_c0de);
    let year_ago = end.checked_sub_days(Days::new(364)).expect("a year before");
    // The Monday on or before a year ago.
    let first_monday = year_ago
        .checked_sub_days(Days::new(u64::from(
            chrono::Datelike::weekday(&year_ago).num_days_from_monday(),
        )))
        .expect("a Monday");
    store.write(|c| {
        for t in 0..towns {
            let town_id = c.ensure_town(&format!("县属第{:02}镇", t + 1))?;
            let mut units = Vec::new();
            for (i, (name, scope)) in UNITS.iter().enumerate() {
                let id = c.ensure_unit(
                    town_id,
                    &NewUnit {
                        name,
                        kind: "事业",
                        managed_by: "镇党委政府",
                        sort_order: i as i64,
                        enforcement_scope: *scope,
                    },
                )?;
                c.ensure_quota(
                    id,
                    &NewQuota {
                        kind: PostKind::Institutional,
                        posts: (per_town / UNITS.len() + 3) as u32,
                        effective_from: NaiveDate::from_ymd_opt(2016, 1, 1).expect("date"),
                        effective_to: None,
                    },
                )?;
                units.push((id, *scope));
            }
            let posts: Vec<PostId> = (0..6)
                .map(|p| c.ensure_hall_post(town_id, &format!("{}号窗口", p + 1), p))
                .collect::<Result<_>>()?;
            let mut staff = Vec::new();
            for k in 0..per_town {
                let (unit_id, scope) = units[k % UNITS.len()];
                let no = format!("C{:02}{:04}", t + 1, k + 1);
                let name = format!(
                    "{}{}",
                    SURNAMES[rng.below(SURNAMES.len())],
                    GIVEN[rng.below(GIVEN.len())]
                );
                let joined = NaiveDate::from_ymd_opt(
                    2000 + rng.below(24) as i32,
                    1 + rng.below(12) as u32,
                    1,
                )
                .expect("date");
                let id = c.ensure_staff(
                    town_id,
                    &NewStaff {
                        no: &no,
                        name: &name,
                        gender: if k % 3 == 1 { "女" } else { "男" },
                        home_unit_id: Some(unit_id),
                        home_body: None,
                        birth_date: NaiveDate::from_ymd_opt(
                            1965 + rng.below(35) as i32,
                            1 + rng.below(12) as u32,
                            1,
                        ),
                    },
                )?;
                c.ensure_status(
                    id,
                    &NewStatus {
                        status: Status::OnDuty,
                        other_body: None,
                        start: joined,
                        end: None,
                    },
                )?;
                // A fifth have a later period: seconded out, long leave or retired.
                if rng.below(5) == 0 {
                    let start = year_ago
                        .checked_add_days(Days::new(rng.below(300) as u64))
                        .expect("date");
                    let status =
                        [Status::SecondedOut, Status::LongLeave, Status::Retired][rng.below(3)];
                    let end = (status != Status::Retired)
                        .then(|| start.checked_add_days(Days::new(90)).expect("date"));
                    c.ensure_status(
                        id,
                        &NewStatus {
                            status,
                            other_body: None,
                            start,
                            end,
                        },
                    )?;
                }
                if let Some(scope) = scope {
                    if rng.below(2) == 0 {
                        c.ensure_credential(
                            id,
                            &Credential {
                                kind: ENFORCEMENT_CARD.into(),
                                number: format!("执{no}"),
                                scope: scope.into(),
                                valid_from: NaiveDate::from_ymd_opt(2023, 1, 1).expect("date"),
                                valid_to: end
                                    .checked_add_days(Days::new(rng.below(400) as u64))
                                    .expect("date"),
                            },
                        )?;
                    }
                }
                staff.push(id);
            }
            // A year of weekly rotas: each week, each post seated by someone else, Monday to Friday.
            for week in 0..53u64 {
                let start = first_monday
                    .checked_add_days(Days::new(week * 7))
                    .expect("date");
                let stop = start.checked_add_days(Days::new(6)).expect("date");
                for &post_id in &posts {
                    let staff_id = staff[rng.below(staff.len())];
                    for weekday in 1..=5 {
                        c.ensure_rota(&RotaEntry {
                            post_id,
                            staff_id,
                            weekday,
                            start,
                            end: Some(stop),
                        })?;
                    }
                }
            }
        }
        Ok(())
    })
}
