//! A generator of realistic request history, for benchmarks and load tests: fills a demo
//! database with `n` requests spread over the three years before a date.

use crate::ids::PostId;
use chrono::{Days, NaiveDate};

use crate::audit::AuditEntry;
use crate::catalog::initials;
use crate::date::stamp;
use crate::identity::{with_check_char, Applicant, IdNumber, Mobile};
use crate::request::record::{EventRow, RequestRow};
use crate::request::State;
use crate::store::Store;
use crate::Result;

/// The generated county's staff names (the staffing benchmark's county stays as it was).
const STAFF_SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "罗", "龙", "潘", "蒙", "韦", "石",
];
const STAFF_GIVEN: &[&str] = &[
    "建国", "秀英", "志强", "丽", "勇", "芳", "军", "敏", "玥", "喆", "德明", "春梅", "海燕",
    "光荣", "家兴", "子涵",
];

/// Surnames with their share of the population in per ten thousand (the largest after the 2020
/// census, with the names common in Guizhou's minority villages), so that name searches meet
/// the spread of a real hall: a few surnames hold a large part of everyone.
const SURNAMES: &[(&str, u32)] = &[
    ("王", 710),
    ("李", 700),
    ("张", 670),
    ("刘", 540),
    ("陈", 460),
    ("杨", 310),
    ("黄", 220),
    ("赵", 210),
    ("吴", 200),
    ("周", 190),
    ("徐", 160),
    ("孙", 150),
    ("马", 150),
    ("朱", 140),
    ("胡", 130),
    ("郭", 130),
    ("何", 120),
    ("林", 120),
    ("罗", 120),
    ("高", 120),
    ("郑", 110),
    ("梁", 100),
    ("谢", 90),
    ("宋", 80),
    ("唐", 80),
    ("许", 80),
    ("韩", 80),
    ("冯", 70),
    ("邓", 70),
    ("曹", 70),
    ("彭", 60),
    ("曾", 60),
    ("肖", 60),
    ("田", 60),
    ("董", 50),
    ("袁", 50),
    ("潘", 50),
    ("于", 50),
    ("蒋", 50),
    ("蔡", 50),
    ("余", 50),
    ("杜", 50),
    ("叶", 40),
    ("程", 40),
    ("苏", 40),
    ("魏", 40),
    ("吕", 40),
    ("丁", 40),
    ("任", 40),
    ("沈", 40),
    ("姚", 40),
    ("卢", 40),
    ("姜", 40),
    ("崔", 40),
    ("钟", 40),
    ("谭", 40),
    ("陆", 40),
    ("汪", 30),
    ("范", 30),
    ("金", 30),
    ("石", 30),
    ("廖", 30),
    ("贾", 30),
    ("夏", 30),
    ("韦", 30),
    ("付", 30),
    ("方", 30),
    ("白", 30),
    ("邹", 30),
    ("孟", 30),
    ("熊", 30),
    ("秦", 30),
    ("邱", 30),
    ("江", 30),
    ("尹", 30),
    ("薛", 20),
    ("闫", 20),
    ("段", 20),
    ("雷", 20),
    ("侯", 20),
    ("龙", 20),
    ("史", 20),
    ("陶", 20),
    ("黎", 20),
    ("贺", 20),
    ("顾", 20),
    ("毛", 20),
    ("郝", 20),
    ("龚", 20),
    ("邵", 20),
    ("万", 20),
    ("钱", 20),
    ("严", 20),
    ("覃", 20),
    ("武", 20),
    ("戴", 20),
    ("莫", 20),
    ("孔", 20),
    ("向", 20),
    ("汤", 20),
    ("蒙", 10),
    ("吉", 10),
    ("岑", 10),
    ("安", 10),
    ("禄", 5),
    ("卯", 5),
    ("欧阳", 5),
    ("司马", 2),
    ("诸葛", 1),
];

/// Characters of given names, most used first; the n-th is drawn with weight 1 / (n + 8), a
/// long tail as in life.
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉飞建国志斌宇浩凯\
     慧婷雪琳晶欣瑶怡佳悦文博子轩涵晨梓一诺雨欣宁海燕春梅德兴家荣光成亮新波云龙林峰\
     彬鑫俊豪昊然思琪嘉怡婉玥喆赟堃犇淼焱垚晓东西南北小大永长福寿喜庆贵生发财富顺利安\
     定和平正清源泉山水田禾苗松柏竹菊莲荷凤鸾麟蓉芸芝兰香桃李杏菲蕾薇露霜冰彩虹月星\
     阳光耀辉煌金银铜铁钢锋锐利强壮健康乐欢笑颜容貌美善良忠义礼智信仁勤俭朴实诚恩";

/// A small deterministic generator (xorshift), so that runs are repeatable.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// An index drawn with the given cumulative weights.
    fn weighted(&mut self, cumulative: &[u64]) -> usize {
        let total = *cumulative.last().expect("weights");
        let x = self.next() % total;
        cumulative.partition_point(|&c| c <= x)
    }
}

fn cumulative(weights: impl Iterator<Item = u64>) -> Vec<u64> {
    weights
        .scan(0u64, |sum, w| {
            *sum += w;
            Some(*sum)
        })
        .collect()
}

/// A resident: who comes to the hall, often more than once.
struct Person {
    name: String,
    id: String,
    phone: String,
}

/// Residents with names spread as in life: surnames by their share, one or (four times in five)
/// two given characters from a long-tailed list.
fn people(rng: &mut Rng, n: usize) -> Vec<Person> {
    let surnames = cumulative(SURNAMES.iter().map(|(_, w)| u64::from(*w)));
    let mut given: Vec<char> = Vec::new();
    for c in GIVEN.chars().filter(|c| !c.is_whitespace()) {
        if !given.contains(&c) {
            given.push(c);
        }
    }
    let given_w = cumulative((0..given.len()).map(|i| 1_000_000 / (i as u64 + 8)));
    (0..n)
        .map(|_| {
            let mut name = SURNAMES[rng.weighted(&surnames)].0.to_string();
            for _ in 0..if rng.below(5) == 0 { 1 } else { 2 } {
                name.push(given[rng.weighted(&given_w)]);
            }
            let birth = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap()
                + chrono::Duration::days(rng.below(25_000) as i64);
            let id = with_check_char(&format!(
                "5202{:02}{}{:03}",
                rng.below(99),
                birth.format("%Y%m%d"),
                rng.below(1000)
            ));
            Person {
                name,
                id,
                phone: format!("139{:08}", rng.below(100_000_000)),
            }
        })
        .collect()
}

/// The steps a request in `state` went through, as its timeline and the audit log record them.
pub(crate) fn steps_to(state: State, forwarded: bool) -> &'static [&'static str] {
    match state {
        State::Incomplete => &["一次性告知"],
        State::Refused => &["不予受理"],
        State::Accepted => &["受理"],
        State::Forwarded => &["受理", "转报"],
        State::Withdrawn => &["受理", "撤回"],
        State::Completed if forwarded => &["受理", "转报", "部门办理结果", "办结", "取件"],
        State::Completed => &["受理", "办结", "取件"],
        State::Decided => &["受理", "审批决定"],
        State::Consulted => &["咨询"],
        State::Suspended => &["受理", "暂停计时"],
        State::Received => &["收件待审"],
        State::Revoked => &["受理", "审批决定", "核查承诺"],
    }
}

/// The city departments generated requests are forwarded to.
const DEPARTMENTS: [&str; 4] = [
    "市林业局",
    "市自然资源局",
    "市人力资源和社会保障局",
    "市市场监督管理局",
];

/// A past request as a generator writes it, with its timeline and audit records.
pub(crate) struct Past<'a> {
    pub town_id: crate::ids::TownId,
    pub number: String,
    pub code: &'a str,
    pub received: &'a [u16],
    pub name: &'a str,
    pub id: &'a str,
    pub phone: &'a str,
    pub state: State,
    pub forwarded: bool,
    pub clerk: (crate::ids::StaffId, &'a str, &'a str),
    pub at: chrono::NaiveDateTime,
    pub due: NaiveDate,
    /// The mode in force at intake (a forwarded one prints a 收件凭证); `None` keeps the bench
    /// database as it was generated before the mode was kept.
    pub mode: Option<crate::catalog::Mode>,
    /// Why it is late, for a request past its due date (the demo gives most of them one).
    pub overdue_reason: Option<&'a str>,
    /// The city department a forwarded request goes to.
    pub department: &'a str,
    /// Days between one step and the next (0: all on the day taken in).
    pub pace_days: i64,
}

/// Writes `p`: the request row, and for every step it went through (`pace_days` apart) its
/// timeline entry and a chained audit record, as the counter writes them; the row's dates are
/// the steps' (转报 the forwarding, 部门办理结果 the department's answer, 办结, 不予受理 or 撤回
/// the close, 取件 the pickup), the department's due date 14 days after forwarding.
pub(crate) fn write_past(c: &dyn crate::store::Changes, p: &Past) -> Result<()> {
    let day = p.at.date();
    let (clerk_id, clerk_no, clerk_name) = p.clerk;
    let code = p.code;
    let steps = steps_to(p.state, p.forwarded);
    let when = |i: usize| p.at + chrono::Duration::days(p.pace_days * i as i64);
    let on_step = |name: &str| {
        steps
            .iter()
            .position(|s| *s == name)
            .map(|i| when(i).date())
    };
    let forwarded_on = on_step("转报");
    let row = RequestRow {
        closed_on: on_step("办结")
            .or_else(|| on_step("不予受理"))
            .or_else(|| on_step("撤回")),
        picked_up_on: on_step("取件"),
        forwarded_to: forwarded_on.map(|_| p.department.to_string()),
        forwarded_on,
        department_due: forwarded_on.map(|d| d + chrono::Duration::days(14)),
        result: on_step("部门办理结果").map(|_| true),
        answered_on: on_step("部门办理结果"),
        name_initials: Some(initials(p.name)),
        applicant_name: Some(p.name.to_string()),
        applicant: Some(Applicant::Person(
            IdNumber::parse("id", p.id, day).expect("a generated number is valid"),
        )),
        phone: Some(Mobile::parse("phone", p.phone).expect("a generated number is valid")),
        accepted_on: (p.state != State::Incomplete && p.state != State::Refused).then_some(day),
        due: Some(p.due),
        received: p.received.to_vec(),
        mode: p.mode,
        overdue_reason: p.overdue_reason.map(String::from),
        ..RequestRow::new(
            p.town_id,
            p.number.clone(),
            code.to_string(),
            p.state,
            (clerk_id, clerk_name.to_string()),
            p.at,
        )
    };
    let id = c.insert_request(&row)?;
    for (i, step) in steps.iter().enumerate() {
        let when = when(i);
        let basis =
            format!("事项 {code}：镇便民服务中心{step}（依据本镇实施清单，{clerk_name}经办）");
        c.add_event(
            id,
            &EventRow {
                at: when,
                step: step.to_string(),
                staff_id: clerk_id,
                staff_no: clerk_no.to_string(),
                staff_name: clerk_name.to_string(),
                allowed: true,
                basis: basis.clone(),
                note: None,
                idem_key: None,
            },
        )?;
        c.add_audit(&AuditEntry {
            at: stamp(when),
            os_user: "counter".into(),
            staff_no: Some(clerk_no.to_string()),
            action: step.to_string(),
            request_number: Some(p.number.clone()),
            item_code: Some(code.to_string()),
            allowed: true,
            basis,
            detail: None,
        })?;
    }
    Ok(())
}

/// Adds `n` requests to a database holding the demo towns, day by day over the three years
/// before `end`, in transactions of 10,000: residents (a third as many as requests, so that
/// many come back) with realistic names, each request with its timeline and, for every step,
/// a chained audit record, as the counter writes them.
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
                .map(|p| (p.id, p.no, p.name));
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
    let residents = people(&mut rng, (n / 3).max(1));
    let span = 3 * 365;
    let start = end
        .checked_sub_days(Days::new(span as u64))
        .expect("a past date");
    let mut done = 0;
    while done < n {
        let batch = (n - done).min(10_000);
        store.write(|c| {
            for k in done..done + batch {
                let (town, items, (clerk_id, clerk_no, clerk_name)) =
                    &towns[rng.below(towns.len())];
                let (code, seqs) = &items[rng.below(items.len())];
                let day = start + Days::new((k * span / n) as u64);
                let seq = c.next_request_seq(town.id, day)?;
                let person = &residents[rng.below(residents.len())];
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
                let forwarded = state == State::Forwarded || rng.below(3) == 0;
                let stem = town.name.trim_end_matches(['镇', '乡']);
                let number = format!(
                    "{}-{}-{seq:04}",
                    initials(stem).to_uppercase(),
                    day.format("%Y%m%d")
                );
                let at = day
                    .and_hms_opt(9 + rng.below(8) as u32, rng.below(60) as u32, 0)
                    .expect("a valid time");
                let past = Past {
                    town_id: town.id,
                    number,
                    code,
                    received: seqs,
                    name: &person.name,
                    id: &person.id,
                    phone: &person.phone,
                    state,
                    forwarded,
                    clerk: (*clerk_id, clerk_no, clerk_name),
                    at,
                    due: day + chrono::Duration::days(14),
                    mode: None,
                    overdue_reason: None,
                    department: DEPARTMENTS[k % DEPARTMENTS.len()],
                    pace_days: 3,
                };
                write_past(c, &past)?;
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
                    STAFF_SURNAMES[rng.below(STAFF_SURNAMES.len())],
                    STAFF_GIVEN[rng.below(STAFF_GIVEN.len())]
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
                        retirement_track: None,
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

/// A generated county year for the performance report's benchmark (issue 20): in the towns
/// [`fill_county`] made, the catalogue's items in their catalogue mode, then `n` requests over
/// the working days of the year before `end`, each taken in at a post by whoever the week's
/// rota seats there, going through its steps 0 to 8 days apart (so that some finish late and
/// some are still open), forwarded ones to a city department, each step with its timeline entry
/// and chained audit record, in transactions of 10,000.
pub fn fill_county_year<S: Store>(store: &mut S, n: usize, end: NaiveDate) -> Result<()> {
    use chrono::Datelike;
    let catalogue = crate::demo::catalog::items();
    store.write(|c| {
        for item in &catalogue {
            let (id, inserted) = c.ensure_item(item)?;
            if inserted {
                c.replace_materials(id, &item.materials)?;
            }
        }
        Ok(())
    })?;
    // Each town: its items, and per (post, Monday) the person the rota seats.
    type Seats =
        std::collections::HashMap<(usize, NaiveDate), (crate::ids::StaffId, String, String)>;
    let towns: Vec<(crate::staffing::Town, usize, Seats)> = store.read(|q| {
        let mut out = Vec::new();
        for t in q.towns()? {
            let facts = q.town_facts(t.id, None)?;
            let mut seats = Seats::new();
            for r in &facts.rota {
                let Some(post) = facts.posts.iter().position(|p| p.id == r.post_id) else {
                    continue;
                };
                if let Some(s) = facts.staff.iter().find(|s| s.id == r.staff_id) {
                    seats.insert((post, r.start), (s.id, s.no.clone(), s.name.clone()));
                }
            }
            out.push((t, facts.posts.len(), seats));
        }
        Ok(out)
    })?;
    store.write(|c| {
        for (town, _, _) in &towns {
            for item in &catalogue {
                let (id, _) = c.ensure_item(item)?;
                if c.item(town.id, &item.code)?.is_none() {
                    c.set_mode(town.id, id, item.mode)?;
                }
            }
        }
        Ok(())
    })?;
    let items: Vec<(String, Vec<u16>, crate::catalog::Mode)> = catalogue
        .iter()
        .filter(|i| i.mode != crate::catalog::Mode::CityOnly)
        .map(|i| {
            (
                i.code.clone(),
                i.materials.iter().map(|m| m.seq).collect(),
                i.mode,
            )
        })
        .collect();
    let start = end.checked_sub_days(Days::new(364)).expect("a year before");
    let days: Vec<NaiveDate> = start
        .iter_days()
        .take_while(|d| *d <= end)
        .filter(|d| d.weekday().number_from_monday() <= 5)
        .collect();
    let mut rng = Rng(0xC0DE_2026_0000_0020);
    let residents = people(&mut rng, (n / 3).max(1));
    let mut done = 0;
    while done < n {
        let batch = (n - done).min(10_000);
        store.write(|c| {
            for k in done..done + batch {
                let (town, posts, seats) = &towns[rng.below(towns.len())];
                let day = days[k * days.len() / n];
                let monday =
                    day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()));
                let Some((clerk_id, clerk_no, clerk_name)) =
                    seats.get(&(rng.below(*posts), monday))
                else {
                    continue;
                };
                let (code, seqs, mode) = &items[rng.below(items.len())];
                let seq = c.next_request_seq(town.id, day)?;
                let person = &residents[rng.below(residents.len())];
                let forwarding = matches!(
                    mode,
                    crate::catalog::Mode::Forward | crate::catalog::Mode::Entrusted
                );
                // Of the weeks before the last four, few are still open (one in 200 of those
                // that would be), as in a hall that keeps up.
                let recent = end - day < chrono::Duration::days(28);
                let state = if forwarding {
                    [
                        State::Completed,
                        State::Completed,
                        State::Completed,
                        State::Forwarded,
                    ][rng.below(4)]
                } else {
                    [
                        State::Completed,
                        State::Completed,
                        State::Completed,
                        State::Completed,
                        State::Accepted,
                        State::Incomplete,
                        State::Refused,
                        State::Withdrawn,
                    ][rng.below(8)]
                };
                let still_open = recent || rng.below(200) == 0;
                let state = if matches!(state, State::Accepted | State::Forwarded) && !still_open {
                    State::Completed
                } else {
                    state
                };
                let stem = town.name.trim_end_matches(['镇', '乡']);
                let number = format!(
                    "{}{:02}-{}-{seq:04}",
                    initials(stem).to_uppercase(),
                    town.id.0 % 100,
                    day.format("%Y%m%d")
                );
                let at = day
                    .and_hms_opt(9 + rng.below(8) as u32, rng.below(60) as u32, 0)
                    .expect("a valid time");
                let pace_days = rng.below(9) as i64;
                let due = day + chrono::Duration::days(14);
                let late = day + chrono::Duration::days(pace_days * 4) > due;
                write_past(
                    c,
                    &Past {
                        town_id: town.id,
                        number,
                        code,
                        received: seqs,
                        name: &person.name,
                        id: &person.id,
                        phone: &person.phone,
                        state,
                        forwarded: forwarding,
                        clerk: (*clerk_id, clerk_no, clerk_name),
                        at,
                        due,
                        mode: Some(*mode),
                        overdue_reason: (late && rng.below(2) == 0)
                            .then_some("材料需补正，等待申请人"),
                        department: DEPARTMENTS[k % DEPARTMENTS.len()],
                        pace_days,
                    },
                )?;
            }
            Ok(())
        })?;
        done += batch;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::record::RequestQuery;
    use crate::store::SqliteStore;
    use std::collections::HashMap;

    #[test]
    fn generated_requests_look_like_a_halls() {
        let end = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::demo::load(&mut s, end).unwrap();
        let before = s.verify_audit().unwrap().records;
        fill_requests(&mut s, 3000, end).unwrap();
        let v = s.verify_audit().unwrap();
        assert!(v.ok, "{v:?}");
        // Every request has a timeline and an audit record per step: at least one each.
        assert!(v.records >= 3000, "{v:?}");
        let mut names: HashMap<String, usize> = HashMap::new();
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut steps = 0;
        s.read(|q| {
            for t in q.towns()? {
                for r in q.requests(t.id, &RequestQuery::All, usize::MAX)? {
                    let events = q.request_events(r.id)?.len();
                    assert!(events >= 1, "{}", r.number);
                    steps += events;
                    *names.entry(r.applicant_name.clone().unwrap()).or_default() += 1;
                    let id = r.applicant.as_ref().unwrap().as_str().to_string();
                    *ids.entry(id).or_default() += 1;
                }
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(names.values().sum::<usize>(), 3000);
        // An audit record for every step of every timeline.
        assert_eq!(v.records, before + steps, "{v:?}");
        // Many names, the commonest a small share; residents come back.
        assert!(names.len() > 700, "{} distinct names", names.len());
        assert!(
            *names.values().max().unwrap() < 60,
            "{:?}",
            names.values().max()
        );
        assert!(
            ids.len() < 1100 && ids.values().any(|&k| k >= 3),
            "{}",
            ids.len()
        );
        assert!(names.keys().any(|n| n.chars().count() == 2));
        assert!(names.keys().any(|n| n.chars().count() == 3));
    }
}
