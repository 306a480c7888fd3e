//! The demonstration data: the three towns of the source essays.
//!
//! Each town has a quota of 99 and 68 people at work. In 东风镇 and 金华镇 eight of the 68 are
//! seconded in (their quota lies elsewhere), so only 60 hold the town's own posts and 39 posts
//! stand vacant, against 31 in 朱昌镇. The data also carries some history (a recent hire, a past
//! secondment, a past long leave, a retirement) so that a staffing report on an earlier date
//! differs from today's.
//!
//! Loading also adds the demo's login accounts ([`DEMO_ACCOUNTS`], password [`DEMO_PASSWORD`]).
//!
//! Loading is idempotent: every row is keyed by its natural key and left alone if present, so
//! `bianmin init --demo` may run on a demo database any number of times. It runs only on a demo
//! database ([`admit`]): the demo accounts' password is published, so a real database never
//! receives them.

mod accounts;
pub(crate) mod catalog;
pub mod recent;

pub use accounts::{DemoAccount, DEMO_ACCOUNTS, DEMO_PASSWORD};

use crate::ids::{PostId, StaffId, TownId, UnitId};
use chrono::{Datelike, Days, NaiveDate};

use crate::staff::{Credential, Role, ENFORCEMENT_CARD};
use crate::staffing::{PostKind, RotaEntry, Status};
use crate::store::{Changes, NewQuota, NewStaff, NewStatus, NewUnit, Store};
use crate::Result;

/// The township's own management, as opposed to a city department's.
const TOWNSHIP: &str = "镇党委政府";

/// A unit of every demo town: name, kind of posts, who manages it, quota, and the department
/// whose enforcement it carries out.
type DemoUnit = (
    &'static str,
    PostKind,
    &'static str,
    u32,
    Option<&'static str>,
);
const UNITS: &[DemoUnit] = &[
    ("综合办公室", PostKind::Administrative, TOWNSHIP, 18, None),
    (
        "社会治理服务中心",
        PostKind::Institutional,
        TOWNSHIP,
        16,
        None,
    ),
    (
        "村镇建设服务中心",
        PostKind::Institutional,
        TOWNSHIP,
        10,
        None,
    ),
    (
        "农业服务中心",
        PostKind::Institutional,
        TOWNSHIP,
        12,
        Some("市农业农村局"),
    ),
    (
        "社会事务服务中心",
        PostKind::Institutional,
        TOWNSHIP,
        11,
        None,
    ),
    ("安全生产监管站", PostKind::Institutional, TOWNSHIP, 8, None),
    (
        "国土所",
        PostKind::Administrative,
        "市自然资源局",
        6,
        Some("市自然资源局"),
    ),
    ("财政所", PostKind::Administrative, "市财政局", 8, None),
    (
        "林业站",
        PostKind::Institutional,
        "市林业局",
        6,
        Some("市林业局"),
    ),
    ("司法所", PostKind::Administrative, "市司法局", 4, None),
];

/// The hall's counter posts, in the order they stand.
pub const HALL_POSTS: &[&str] = &[
    "综合窗口",
    "民政窗口",
    "社会事务窗口",
    "社保医保窗口",
    "村镇建设窗口",
    "农业林业窗口",
];

/// Since when the demo rota runs.
const ROTA_FROM: (i32, u32, u32) = (2025, 1, 6);

/// When the demo's recent hire joined and its retiree retired.
pub const RECENT_HIRE: (i32, u32, u32) = (2026, 6, 1);
pub const RETIRED_FROM: (i32, u32, u32) = (2026, 1, 1);

/// When the demo quotas took effect.
const QUOTA_FROM: (i32, u32, u32) = (2016, 1, 1);

struct DemoTown {
    name: &'static str,
    /// The government above the town, which hears appeals against its own acts.
    superior: &'static str,
    /// Staff number prefix.
    prefix: &'static str,
    /// People on roll today per unit, in the order of `UNITS`.
    on_roll: [u32; 10],
    /// People seconded in: (host unit index, body that holds their quota), all since `in_since`.
    seconded_in: &'static [(usize, &'static str)],
    in_since: (i32, u32, u32),
    /// Offset into the name lists, so the towns do not share names.
    name_seed: usize,
}

const TOWNS: &[DemoTown] = &[
    DemoTown {
        name: "朱昌镇",
        superior: "贵阳市观山湖区人民政府",
        prefix: "ZC",
        on_roll: [14, 12, 7, 8, 8, 5, 4, 5, 3, 2],
        seconded_in: &[],
        in_since: (2025, 1, 1),
        name_seed: 0,
    },
    DemoTown {
        name: "东风镇",
        superior: "贵阳市乌当区人民政府",
        prefix: "DF",
        on_roll: [12, 10, 6, 7, 7, 5, 4, 4, 3, 2],
        seconded_in: &[
            (1, "市民政局"),
            (1, "市人力资源和社会保障局"),
            (1, "市医疗保障局"),
            (0, "市委组织部"),
            (0, "区政务服务中心"),
            (2, "市住房和城乡建设局"),
            (3, "市农业农村局"),
            (4, "市卫生健康局"),
        ],
        in_since: (2025, 9, 1),
        name_seed: 23,
    },
    DemoTown {
        name: "金华镇",
        superior: "贵阳市观山湖区人民政府",
        prefix: "JH",
        on_roll: [13, 10, 6, 7, 6, 4, 4, 5, 3, 2],
        seconded_in: &[
            (1, "市民政局"),
            (1, "区政务服务中心"),
            (0, "市委办公室"),
            (0, "市信访局"),
            (5, "市应急管理局"),
            (3, "市农业农村局"),
            (3, "市水务管理局"),
            (2, "市住房和城乡建设局"),
        ],
        in_since: (2025, 3, 1),
        name_seed: 47,
    },
];

const SURNAMES: &[char] = &[
    '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '罗',
    '郭', '何', '高', '林', '龙', '田', '潘', '韦', '蒙', '石', '邓', '袁', '谢', '宋', '冯', '梁',
];
const GIVEN: &[&str] = &[
    "建国", "秀英", "志强", "丽娟", "永刚", "海燕", "德明", "春梅", "小军", "晓红", "国平", "玉兰",
    "文华", "桂芳", "成林", "红梅", "光荣", "雪莲", "家兴", "慧敏", "正雄", "丹", "磊", "静", "勇",
    "婷", "涛", "敏", "玥", "喆赟", "思远", "佳怡", "俊杰", "子涵", "明辉", "晓燕", "大伟", "金凤",
];

fn ymd((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("demo dates are real dates")
}

/// The n-th demo name of a town. Surname and given name advance at coprime steps, so names do
/// not repeat within a town.
fn name_for(seed: usize, n: usize) -> (String, &'static str) {
    let k = seed + n;
    let surname = SURNAMES[(k * 7) % SURNAMES.len()];
    let given = GIVEN[(k * 5 + k / SURNAMES.len()) % GIVEN.len()];
    let gender = if k % 3 == 1 { "女" } else { "男" };
    (format!("{surname}{given}"), gender)
}

/// A birth date fitting the joining date (23 to 32 years before it). Every 29th person, from
/// the third, reaches retirement age in 2027: a man born 1966-10-10 retires on 2027-04-10, a
/// woman born 1972-02-20 on 2027-09-20 (the raised ages of 2025).
fn born(n: usize, gender: &str) -> NaiveDate {
    if n % 29 == 3 {
        return if gender == "女" {
            ymd((1972, 2, 20))
        } else {
            ymd((1966, 10, 10))
        };
    }
    let k = n as u32;
    let mut year = joined(n).year() - 23 - (k * 3 % 10) as i32;
    if gender == "女" {
        year = year.max(1974);
    }
    ymd((year, 1 + k * 7 % 12, 1 + k * 11 % 28))
}

/// A joining date spread over 2004–2023, varying with `n`.
fn joined(n: usize) -> NaiveDate {
    let n = n as u32;
    ymd((2004 + (n * 7 % 20) as i32, 1 + n * 5 % 12, 1))
}

/// Loads the demo data into `store`; running it again changes nothing, and rows an
/// administrator has changed since (an imported catalogue, say) are left as they are. `today`
/// dates the entrustment letters and credentials that must be about to end.
pub fn load<S: Store>(store: &mut S, today: NaiveDate) -> Result<()> {
    admit(store, today.and_time(crate::date::now()?.time()))?;
    store.write(|c| {
        let items = catalog::items();
        let mut item_ids = Vec::with_capacity(items.len());
        for item in &items {
            let (id, inserted) = c.ensure_item(item)?;
            if inserted {
                c.replace_materials(id, &item.materials)?;
            }
            item_ids.push(id);
        }
        for (k, town) in TOWNS.iter().enumerate() {
            let people = load_town(c, town)?;
            assign_roles(c, k, &people, today)?;
            for (item, &id) in items.iter().zip(&item_ids) {
                if c.item(people.town_id, &item.code)?.is_none() {
                    c.set_mode(people.town_id, id, item.mode)?;
                }
            }
            let known: Vec<String> = c
                .letters(people.town_id)?
                .into_iter()
                .map(|l| l.number)
                .collect();
            for letter in catalog::letters(today) {
                if !known.contains(&letter.number) {
                    c.upsert_letter(people.town_id, &letter)?;
                }
            }
        }
        Ok(())
    })?;
    // Accounts after the staff they act as (their password hash is made in advance).
    let now = today.and_time(crate::date::now()?.time());
    accounts::load(store, now)?;
    Ok(())
}

/// Lets the demo into a database that is a demo database and marks it so (issue 17): one marked
/// already; one holding no account and no request; or one an earlier version's `init --demo`
/// made, whose accounts are exactly the demo accounts. Any other database holding an account or
/// a request is refused as bad input naming `--demo`, and nothing changes.
pub fn admit<S: Store>(store: &mut S, now: chrono::NaiveDateTime) -> Result<()> {
    let (marked, accounts, requests) =
        store.read(|q| Ok((q.demo_marked()?, q.accounts()?, q.request_count()?)))?;
    if marked {
        return Ok(());
    }
    let mut names: Vec<String> = accounts.iter().map(|a| a.username.to_lowercase()).collect();
    names.sort();
    let mut demo: Vec<String> = DEMO_ACCOUNTS
        .iter()
        .map(|a| a.username.to_string())
        .collect();
    demo.sort();
    let empty = accounts.is_empty() && requests == 0;
    if !empty && names != demo {
        return Err(crate::Error::invalid(
            "demo",
            format!(
                "这个数据库已有 {} 个账号、{requests} 件办件，不是演示数据库：演示账号的密码是公开的，不能加入正式数据库。试用演示请用 --db 指定一个新的数据库文件。",
                accounts.len()
            ),
        ));
    }
    store.write(|c| c.mark_demo(now))
}

/// The staff ids of a demo town: per unit in the order of `UNITS`, and those seconded in.
struct People {
    town_id: TownId,
    units: Vec<Vec<StaffId>>,
    seconded_in: Vec<StaffId>,
}

/// Roles and credentials: four clerks at the service centre (and one seconded-in clerk where
/// there are any), two approvers, a leader and an administrator in the general office, and
/// enforcement cards at the land, forestry and agriculture stations. In 东风镇 the land station
/// has exactly two certified officers, one of them also a counter clerk, and the forestry
/// station only one, so forestry enforcement there lacks its second officer.
fn assign_roles(c: &dyn Changes, town: usize, p: &People, today: NaiveDate) -> Result<()> {
    let office = &p.units[0];
    let centre = &p.units[1];
    for &id in centre.iter().take(4).chain(p.seconded_in.first()) {
        c.ensure_role(id, Role::Clerk)?;
    }
    c.ensure_role(office[1], Role::Approver)?;
    c.ensure_role(office[2], Role::Approver)?;
    c.ensure_role(office[3], Role::Leader)?;
    c.ensure_role(office[4], Role::Admin)?;

    let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a real date");
    let card = |staff: StaffId, n: usize, scope: &str, valid_to: NaiveDate| {
        c.ensure_credential(
            staff,
            &Credential {
                kind: ENFORCEMENT_CARD.into(),
                number: format!("黔执{:02}{:04}", town + 1, n),
                scope: scope.into(),
                valid_from: ymd(2023, 1, 1).min(today),
                valid_to,
            },
        )
    };
    let long = ymd(2028, 12, 31).max(today.checked_add_days(Days::new(365)).expect("ahead"));
    let soon = today.checked_add_days(Days::new(40)).expect("ahead");
    let (land, forestry, agriculture) = (&p.units[6], &p.units[8], &p.units[3]);
    card(land[0], 1, "市自然资源局", long)?;
    // In 金华镇 the second land officer's card ends within 60 days.
    card(
        land[1],
        2,
        "市自然资源局",
        if town == 2 { soon } else { long },
    )?;
    c.ensure_role(land[0], Role::Clerk)?;
    card(forestry[0], 3, "市林业局", long)?;
    if town != 1 {
        card(forestry[1], 4, "市林业局", long)?;
    }
    card(agriculture[0], 5, "市农业农村局", long)?;
    card(agriculture[1], 6, "市农业农村局", long)?;
    rota(c, town, p)
}

/// The hall: six counter posts staffed Monday to Friday. The service centre's four clerks (and
/// the seconded-in clerk) sit at the general, civil-affairs, social-affairs and insurance
/// counters; the construction and agriculture counters take one person from those units. In
/// 东风镇 the construction counter is the land station's first officer instead, which leaves
/// the station one certified officer for field work: the seed's two-person case.
fn rota(c: &dyn Changes, town: usize, p: &People) -> Result<()> {
    let posts: Vec<PostId> = HALL_POSTS
        .iter()
        .enumerate()
        .map(|(i, name)| c.ensure_hall_post(p.town_id, name, i as i64))
        .collect::<Result<_>>()?;
    let centre = &p.units[1];
    let construction = if town == 1 {
        p.units[6][0]
    } else {
        p.units[2][0]
    };
    let mut seats: Vec<(usize, StaffId)> = vec![
        (0, centre[0]),
        (1, centre[1]),
        (2, centre[2]),
        (3, centre[3]),
        (4, construction),
        (5, p.units[3][2]),
    ];
    if let Some(&extra) = p.seconded_in.first() {
        seats.push((0, extra));
    }
    for (post, staff_id) in seats {
        c.ensure_role(staff_id, Role::Clerk)?;
        for weekday in 1..=5 {
            c.ensure_rota(&RotaEntry {
                post_id: posts[post],
                staff_id,
                weekday,
                start: ymd(ROTA_FROM),
                end: None,
            })?;
        }
    }
    Ok(())
}

fn load_town(c: &dyn Changes, t: &DemoTown) -> Result<People> {
    let town_id = c.ensure_town(t.name)?;
    c.set_superior(town_id, t.superior)?;
    let mut unit_ids = Vec::with_capacity(UNITS.len());
    for (i, (name, kind, managed_by, posts, scope)) in UNITS.iter().enumerate() {
        let unit_id = c.ensure_unit(
            town_id,
            &NewUnit {
                name,
                kind: kind.as_str(),
                managed_by,
                sort_order: i as i64,
                enforcement_scope: *scope,
            },
        )?;
        c.ensure_quota(
            unit_id,
            &NewQuota {
                kind: *kind,
                posts: *posts,
                effective_from: ymd(QUOTA_FROM),
                effective_to: None,
            },
        )?;
        unit_ids.push(unit_id);
    }

    let mut n = 0;
    let mut person = |c: &dyn Changes, unit: Option<UnitId>, home_body: Option<&str>| {
        n += 1;
        let (name, gender) = name_for(t.name_seed, n);
        let no = format!("{}{:04}", t.prefix, n);
        let id = c.ensure_staff(
            town_id,
            &NewStaff {
                no: &no,
                name: &name,
                gender,
                home_unit_id: unit,
                home_body,
                birth_date: Some(born(n, gender)),
                retirement_track: None,
            },
        )?;
        Ok::<_, crate::Error>((id, n))
    };
    let on_duty_since = |c: &dyn Changes, id: StaffId, since: NaiveDate| {
        c.ensure_status(
            id,
            &NewStatus {
                status: Status::OnDuty,
                other_body: None,
                start: since,
                end: None,
            },
        )
    };

    // The town's own people, on roll today. The last of the service centre's people is a
    // recent hire, on roll only from 2026-06-01 (`joined` never reaches 2026).
    let mut units = vec![Vec::new(); UNITS.len()];
    for (u, &count) in t.on_roll.iter().enumerate() {
        for k in 0..count {
            let (id, n) = person(c, Some(unit_ids[u]), None)?;
            units[u].push(id);
            let recent_hire = u == 1 && k + 1 == count;
            let since = if recent_hire {
                ymd(RECENT_HIRE)
            } else {
                joined(n)
            };
            on_duty_since(c, id, since)?;
        }
    }

    // People seconded in: their quota is elsewhere.
    let mut seconded_in = Vec::new();
    for &(u, body) in t.seconded_in {
        let (id, _) = person(c, None, Some(body))?;
        seconded_in.push(id);
        c.ensure_status(
            id,
            &NewStatus {
                status: Status::SecondedIn {
                    unit_id: unit_ids[u],
                },
                other_body: Some(body),
                start: ymd(t.in_since),
                end: None,
            },
        )?;
    }

    // History, so that earlier dates show other figures. Each of these periods ended in 2025.
    let temporary = |c: &dyn Changes, id: StaffId, status, body, from, to| {
        c.ensure_status(
            id,
            &NewStatus {
                status,
                other_body: body,
                start: ymd(from),
                end: Some(ymd(to)),
            },
        )
    };
    // A clerk of the general office seconded to the city for a year, and back.
    temporary(
        c,
        units[0][0],
        Status::SecondedOut,
        Some("市委组织部"),
        (2024, 3, 1),
        (2025, 2, 28),
    )?;
    // A social-affairs officer on long (maternity) leave in 2025.
    temporary(
        c,
        units[4][0],
        Status::LongLeave,
        None,
        (2025, 5, 1),
        (2025, 10, 31),
    )?;
    // A service-centre officer who retired at the end of 2025: on roll before 2026 only.
    let (retiree, n) = person(c, Some(unit_ids[1]), None)?;
    c.ensure_status(
        retiree,
        &NewStatus {
            status: Status::OnDuty,
            other_body: None,
            start: joined(n),
            end: Some(ymd(RETIRED_FROM).pred_opt().expect("a day before")),
        },
    )?;
    c.ensure_status(
        retiree,
        &NewStatus {
            status: Status::Retired,
            other_body: None,
            start: ymd(RETIRED_FROM),
            end: None,
        },
    )?;
    Ok(People {
        town_id,
        units,
        seconded_in,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staffing::{staffing_report, StaffingReport};
    use crate::store::{count_rows, Queries, SqliteStore, Store};

    fn report(store: &mut SqliteStore, on: &str) -> StaffingReport {
        let on = NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap();
        staffing_report(store, None, on).unwrap()
    }

    fn demo() -> SqliteStore {
        let mut s = SqliteStore::open_in_memory().unwrap();
        load(&mut s, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).unwrap();
        s
    }

    /// README: 47 township items across the four modes, each with its materials, time limits
    /// and legal basis; in every town.
    #[test]
    fn every_town_has_the_47_items_with_materials_limits_and_basis() {
        use crate::catalog::{Mode, TimeLimit};
        let mut s = demo();
        let per_town = s
            .read(|q| {
                let mut out = Vec::new();
                for t in q.towns()? {
                    out.push((t.name.clone(), q.items(t.id)?));
                }
                Ok(out)
            })
            .unwrap();
        assert_eq!(per_town.len(), 3);
        for (town, items) in per_town {
            assert_eq!(items.len(), 47, "{town}");
            for mode in [
                Mode::Delegated,
                Mode::Entrusted,
                Mode::Forward,
                Mode::CityOnly,
            ] {
                assert!(
                    items.iter().any(|i| i.mode == mode),
                    "{town} has no {mode:?} item"
                );
            }
            for i in &items {
                let what = format!("{town} {} {}", i.code, i.name);
                assert!(!i.materials.is_empty(), "{what}: no materials");
                assert!(!i.legal_basis.trim().is_empty(), "{what}: no legal basis");
                // A promise is never longer than the law allows.
                if let (TimeLimit::WorkingDays(law), TimeLimit::WorkingDays(promise)) =
                    (i.statutory, i.promised)
                {
                    assert!(
                        promise <= law,
                        "{what}: promised {promise} > statutory {law}"
                    );
                }
            }
        }
    }

    /// README: in 东风镇, DF0013–DF0016 are counter clerks, DF0002 and DF0003 approvers, DF0004
    /// a leader, DF0005 the administrator.
    #[test]
    fn the_demo_staff_the_readme_names_hold_their_roles() {
        use crate::staff::Role;
        let mut s = demo();
        let staff = s
            .read(|q| {
                let town = q.towns()?.into_iter().find(|t| t.name == "东风镇").unwrap();
                q.staff_profiles(town.id)
            })
            .unwrap();
        let roles_of = |no: &str| {
            staff
                .iter()
                .find(|p| p.no == no)
                .unwrap_or_else(|| panic!("no {no}"))
                .roles
                .clone()
        };
        for no in ["DF0013", "DF0014", "DF0015", "DF0016"] {
            assert!(roles_of(no).contains(&Role::Clerk), "{no}");
        }
        for no in ["DF0002", "DF0003"] {
            assert!(roles_of(no).contains(&Role::Approver), "{no}");
        }
        assert!(roles_of("DF0004").contains(&Role::Leader));
        assert!(roles_of("DF0005").contains(&Role::Admin));
    }

    #[test]
    fn the_seed_figures_hold_today() {
        let mut s = demo();
        let r = report(&mut s, "2026-11-28");
        let got: Vec<_> = r
            .towns
            .iter()
            .map(|t| {
                let f = &t.figures;
                (
                    t.name.as_str(),
                    f.quota,
                    f.on_roll,
                    f.seconded_in,
                    f.on_duty,
                    f.vacancies,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("朱昌镇", 99, 68, 0, 68, 31),
                ("东风镇", 99, 60, 8, 68, 39),
                ("金华镇", 99, 60, 8, 68, 39),
            ]
        );
        for t in &r.towns {
            assert_eq!(t.units.len(), UNITS.len());
            let names: Vec<&str> = t.units.iter().map(|u| u.name.as_str()).collect();
            for required in [
                "综合办公室",
                "社会治理服务中心",
                "国土所",
                "财政所",
                "林业站",
                "司法所",
            ] {
                assert!(names.contains(&required), "{} lacks {required}", t.name);
            }
        }
    }

    #[test]
    fn earlier_dates_show_the_history() {
        let mut s = demo();
        // Before the recent hire, after the retirement: one fewer on roll in every town.
        let r = report(&mut s, "2026-03-01");
        assert_eq!(r.towns[0].figures.on_roll, 67);
        assert_eq!(r.towns[1].figures.on_roll, 59);
        // Mid-2025: the retiree still served, one officer was on long leave, and 金华镇's
        // people were seconded in already but 东风镇's not yet.
        let r = report(&mut s, "2025-06-01");
        let zc = &r.towns[0].figures;
        assert_eq!((zc.on_roll, zc.on_leave, zc.on_duty), (68, 1, 67));
        assert_eq!(r.towns[1].figures.seconded_in, 0);
        assert_eq!(r.towns[2].figures.seconded_in, 8);
        // 2024: the general office's first clerk was seconded out to the city.
        let r = report(&mut s, "2024-06-01");
        assert_eq!(r.towns[0].units[0].figures.seconded_out, 1);
    }

    #[test]
    fn loading_twice_changes_nothing() {
        let mut s = demo();
        let tables = ["town", "unit", "quota", "staff", "staff_status"];
        let before: Vec<i64> = tables.iter().map(|t| count_rows(&s, t)).collect();
        load(&mut s, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).unwrap();
        let after: Vec<i64> = tables.iter().map(|t| count_rows(&s, t)).collect();
        assert_eq!(before, after);
        assert_eq!(before[0], 3);
        assert_eq!(before[1], 30);
    }

    #[test]
    fn the_demo_accounts_log_in_act_as_fitting_staff_and_are_not_duplicated() {
        use crate::accounts::{list_accounts, login, Role};
        let mut s = demo();
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        load(&mut s, today).unwrap();
        let accounts = list_accounts(&mut s).unwrap();
        assert_eq!(accounts.len(), DEMO_ACCOUNTS.len());
        assert_eq!(count_rows(&s, "account"), 5);
        for role in Role::ALL {
            assert!(
                DEMO_ACCOUNTS.iter().any(|d| d.roles == [role]),
                "no demo account for {}",
                role.label()
            );
        }
        let now = today.and_hms_opt(9, 0, 0).unwrap();
        for d in DEMO_ACCOUNTS {
            crate::accounts::check_password(DEMO_PASSWORD, d.username).unwrap();
            let a = login(&mut s, d.username, DEMO_PASSWORD, now).unwrap();
            assert_eq!(a.roles, d.roles);
            // The county's account stands for no township staff member and sees every town.
            let scope = crate::accounts::town_scope(&a).unwrap();
            if d.roles == [Role::County] {
                assert_eq!(d.staff_no, None);
                assert_eq!(scope, crate::accounts::TownScope::All);
                continue;
            }
            assert_eq!(scope, crate::accounts::TownScope::One("东风镇".into()));
            // Each other acts as a person of 东风镇 at work today who holds the same role.
            let no = d
                .staff_no
                .expect("every township demo account acts as a staff member");
            let p = crate::staff::find_staff(&mut s, "staff", no, today).unwrap();
            assert_eq!(p.town, "东风镇");
            assert!(p.at_work, "{no}");
            assert!(p.has_role(d.roles), "{no} lacks {:?}", d.roles);
        }
    }

    #[test]
    fn names_and_numbers_are_unique_within_a_town() {
        let mut s = demo();
        s.read(|q: &dyn Queries| {
            for town in q.towns()? {
                let facts = q.town_facts(town.id, None)?;
                let mut names: Vec<&str> = facts.staff.iter().map(|p| p.name.as_str()).collect();
                let n = names.len();
                names.sort_unstable();
                names.dedup();
                assert_eq!(names.len(), n, "repeated names in {}", town.name);
            }
            Ok(())
        })
        .unwrap();
    }
}
