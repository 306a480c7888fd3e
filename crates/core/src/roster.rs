//! Roster import: the staff of a town with their status periods, and optionally the hall rota
//! and their credentials, from an .xlsx workbook with the sheets 人员 (required), 排班 and 证件.
//! Every cell is checked first and every problem reported by sheet, row and column in Chinese;
//! the import applies whole or not at all. ID numbers are checked (GB 11643) and give birth date
//! and gender; the number itself is not stored.

use crate::ids::{PostId, StaffId, UnitId};
use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::identity::IdNumber;
use crate::retirement::TRACKS;
use crate::sheets::{read_workbook, whole_file, Columns, Problem, RowCheck, Table};
use crate::staff::Credential;
use crate::staffing::{RotaEntry, Status};
use crate::store::{NewStaff, NewStatus, Store};
use crate::town::resolve_town;
use crate::{Error, Result};

pub const STAFF_SHEET: &str = "人员";
pub const ROTA_SHEET: &str = "排班";
pub const CARD_SHEET: &str = "证件";
pub const STAFF_COLUMNS: [&str; 8] = [
    "工号",
    "姓名",
    "身份证号",
    "所在单位",
    "状态",
    "借调单位",
    "起始日期",
    "结束日期",
];
pub const ROTA_COLUMNS: [&str; 5] = ["窗口", "工号", "星期", "起始日期", "结束日期"];
pub const CARD_COLUMNS: [&str; 6] = [
    "工号",
    "证件类型",
    "证件编号",
    "执法领域",
    "有效期起",
    "有效期止",
];
/// Columns of the staff sheet a file may leave out: 退休类别 (女职工 / 女干部, for women; issue
/// 16, defect 18), added after the first rosters were written.
pub const STAFF_OPTIONAL: [&str; 1] = ["退休类别"];
const STATUSES: [&str; 5] = ["在岗", "借调出", "借调入", "长期请假", "退休"];

/// What an import added.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RosterReport {
    pub town: String,
    pub people: usize,
    pub periods: usize,
    pub rota_lines: usize,
    pub credentials: usize,
}

struct Person {
    no: String,
    name: String,
    gender: &'static str,
    birth: NaiveDate,
    home_unit: Option<UnitId>,
    home_body: Option<String>,
    /// A woman's 退休类别, as given.
    track: Option<&'static str>,
}

struct Period {
    no: String,
    status: Status,
    other_body: Option<String>,
    start: NaiveDate,
    end: Option<NaiveDate>,
}

fn weekday(text: &str) -> Option<u8> {
    let t = text
        .trim()
        .trim_start_matches("星期")
        .trim_start_matches('周');
    match t {
        "一" | "1" => Some(1),
        "二" | "2" => Some(2),
        "三" | "3" => Some(3),
        "四" | "4" => Some(4),
        "五" | "5" => Some(5),
        "六" | "6" => Some(6),
        "日" | "天" | "七" | "7" => Some(7),
        _ => None,
    }
}

fn optional_date(check: &mut RowCheck<'_>, column: &str, value: &str) -> Option<Option<NaiveDate>> {
    if value.is_empty() {
        Some(None)
    } else {
        check.date(column, value).map(Some)
    }
}

/// Reads the workbook's sheets: 人员, then 排班 and 证件 when present.
fn read(path: &Path) -> std::result::Result<(Table, Option<Table>, Option<Table>), Vec<Problem>> {
    let shown = path.display().to_string();
    if !path.is_file() {
        return Err(vec![whole_file(&shown, "文件不存在")]);
    }
    let is_xlsx = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        return Err(vec![whole_file(
            &shown,
            "不支持的文件类型：花名册应为 .xlsx 工作簿",
        )]);
    }
    let mut book = read_workbook(path, &[STAFF_SHEET], &[ROTA_SHEET, CARD_SHEET])?;
    let staff = book.required.pop().expect("the staff sheet");
    let cards = book.optional.pop().flatten();
    let rota = book.optional.pop().flatten();
    Ok((staff, rota, cards))
}

/// Imports a roster into one town (`town`, or the first).
pub fn import<S: Store>(
    store: &mut S,
    path: &Path,
    town: Option<&str>,
    today: NaiveDate,
) -> Result<RosterReport> {
    let (staff_t, rota_t, card_t) = read(path).map_err(Error::Import)?;
    store.write(|c| {
        let t = resolve_town(c, town)?;
        let facts = c.town_facts(t.id, None)?;
        let units: HashMap<&str, UnitId> = facts
            .units
            .iter()
            .map(|u| (u.name.as_str(), u.id))
            .collect();
        let known: HashMap<&str, StaffId> =
            facts.staff.iter().map(|s| (s.no.as_str(), s.id)).collect();
        let mut problems = Vec::new();
        let mut people: Vec<Person> = Vec::new();
        let mut periods: Vec<Period> = Vec::new();

        if let Some(cols) =
            Columns::with_optional(&staff_t, &STAFF_COLUMNS, &STAFF_OPTIONAL, &mut problems)
        {
            for (row, cells) in &staff_t.rows {
                let mut check = RowCheck {
                    file: &staff_t.file,
                    row: *row,
                    problems: &mut problems,
                };
                let no = check.text("工号", cols.get(cells, "工号"), 32, true);
                let name = check.text("姓名", cols.get(cells, "姓名"), 50, true);
                let id = match IdNumber::parse("id", cols.get(cells, "身份证号"), today) {
                    Ok(id) => Some(id),
                    Err(e) => {
                        check.bad("身份证号", e.to_string());
                        None
                    }
                };
                let unit_name = cols.get(cells, "所在单位");
                let unit = units.get(unit_name).copied();
                if unit.is_none() {
                    let names: Vec<&str> = facts.units.iter().map(|u| u.name.as_str()).collect();
                    check.bad(
                        "所在单位",
                        format!(
                            "{}没有单位“{unit_name}”；现有单位：{}",
                            t.name,
                            names.join("、")
                        ),
                    );
                }
                let status_text = cols.get(cells, "状态");
                let body = check.text("借调单位", cols.get(cells, "借调单位"), 100, false);
                let status = match (status_text, unit) {
                    ("在岗", _) => Some(Status::OnDuty),
                    ("借调出", _) => Some(Status::SecondedOut),
                    ("借调入", Some(unit_id)) => Some(Status::SecondedIn { unit_id }),
                    ("借调入", None) => None,
                    ("长期请假", _) => Some(Status::LongLeave),
                    ("退休", _) => Some(Status::Retired),
                    _ => {
                        check.bad(
                            "状态",
                            format!("“{status_text}”无效：应为{}", STATUSES.join("、")),
                        );
                        None
                    }
                };
                if matches!(status_text, "借调出" | "借调入") && body.is_empty() {
                    check.bad("借调单位", "借调出、借调入须写明对方单位");
                }
                let start = check.date("起始日期", cols.get(cells, "起始日期"));
                let end = optional_date(&mut check, "结束日期", cols.get(cells, "结束日期"));
                if let (Some(s), Some(Some(e))) = (start, end) {
                    if e < s {
                        check.bad("结束日期", format!("结束日期 {e} 早于起始日期 {s}"));
                    }
                }
                let track_text = cols.get(cells, "退休类别").trim();
                let track = TRACKS.iter().copied().find(|t| *t == track_text);
                let is_woman = id.as_ref().map(|i| i.gender() == "女");
                match (track_text, track, is_woman) {
                    ("", _, _) | (_, Some(_), Some(true) | None) => {}
                    (_, Some(_), Some(false)) => check.bad(
                        "退休类别",
                        format!("“{track_text}”只适用于女性；男性不填退休类别"),
                    ),
                    (_, None, _) => check.bad(
                        "退休类别",
                        format!("“{track_text}”无效：应为{}，或不填", TRACKS.join("、")),
                    ),
                }
                if !no.is_empty() && !known.contains_key(no.as_str()) {
                    if let Some(other) = c.staff_town(&no)? {
                        if other != t.id {
                            check.bad("工号", format!("工号“{no}”已属于另一个乡镇"));
                        }
                    }
                }
                let (Some(id), Some(status), Some(start), Some(end)) = (id, status, start, end)
                else {
                    continue;
                };
                let seconded_in = matches!(status, Status::SecondedIn { .. });
                match people.iter().find(|p| p.no == no) {
                    Some(p) if p.name != name || p.birth != id.birth_date() => {
                        check.bad(
                            "姓名",
                            format!("工号“{no}”在前面的行里是另一个人（{}）", p.name),
                        );
                    }
                    Some(_) => {}
                    None => people.push(Person {
                        no: no.clone(),
                        name,
                        gender: id.gender(),
                        birth: id.birth_date(),
                        home_unit: if seconded_in { None } else { unit },
                        home_body: seconded_in.then(|| body.clone()),
                        track,
                    }),
                }
                periods.push(Period {
                    no,
                    status,
                    other_body: (!body.is_empty()).then_some(body),
                    start,
                    end,
                });
            }
        }
        let in_file = |no: &str| people.iter().any(|p| p.no == no) || known.contains_key(no);

        let mut rota: Vec<(String, String, u8, NaiveDate, Option<NaiveDate>)> = Vec::new();
        if let Some(table) = &rota_t {
            if let Some(cols) = Columns::new(table, &ROTA_COLUMNS, &mut problems) {
                for (row, cells) in &table.rows {
                    let mut check = RowCheck {
                        file: &table.file,
                        row: *row,
                        problems: &mut problems,
                    };
                    let post = check.text("窗口", cols.get(cells, "窗口"), 50, true);
                    let no = cols.get(cells, "工号").to_string();
                    if !in_file(&no) {
                        check.bad(
                            "工号",
                            format!("工号“{no}”不在人员表中，也不是{}的在册人员", t.name),
                        );
                    }
                    let day = weekday(cols.get(cells, "星期"));
                    if day.is_none() {
                        check.bad(
                            "星期",
                            format!(
                                "“{}”无效：应为 一 至 日，或 1 至 7",
                                cols.get(cells, "星期")
                            ),
                        );
                    }
                    let start = check.date("起始日期", cols.get(cells, "起始日期"));
                    let end = optional_date(&mut check, "结束日期", cols.get(cells, "结束日期"));
                    if let (Some(day), Some(start), Some(end)) = (day, start, end) {
                        if end.is_some_and(|e| e < start) {
                            check.bad("结束日期", "结束日期早于起始日期");
                        } else {
                            rota.push((post, no, day, start, end));
                        }
                    }
                }
            }
        }
        let mut cards: Vec<(String, Credential)> = Vec::new();
        if let Some(table) = &card_t {
            if let Some(cols) = Columns::new(table, &CARD_COLUMNS, &mut problems) {
                for (row, cells) in &table.rows {
                    let mut check = RowCheck {
                        file: &table.file,
                        row: *row,
                        problems: &mut problems,
                    };
                    let no = cols.get(cells, "工号").to_string();
                    if !in_file(&no) {
                        check.bad(
                            "工号",
                            format!("工号“{no}”不在人员表中，也不是{}的在册人员", t.name),
                        );
                    }
                    let kind = check.text("证件类型", cols.get(cells, "证件类型"), 50, true);
                    let number = check.text("证件编号", cols.get(cells, "证件编号"), 64, true);
                    if cards.iter().any(|(_, c)| c.number == number) {
                        check.bad("证件编号", format!("证件编号“{number}”重复"));
                    }
                    let scope = check.text("执法领域", cols.get(cells, "执法领域"), 100, true);
                    let from = check.date("有效期起", cols.get(cells, "有效期起"));
                    let to = check.date("有效期止", cols.get(cells, "有效期止"));
                    if let (Some(from), Some(to)) = (from, to) {
                        if to < from {
                            check.bad("有效期止", "有效期止早于有效期起");
                        } else {
                            cards.push((
                                no,
                                Credential {
                                    kind,
                                    number,
                                    scope,
                                    valid_from: from,
                                    valid_to: to,
                                },
                            ));
                        }
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::Import(problems));
        }

        // Everything checked: write.
        let mut ids: HashMap<String, StaffId> =
            known.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        let mut added = 0;
        for p in &people {
            if !ids.contains_key(&p.no) {
                added += 1;
            }
            let id = c.ensure_staff(
                t.id,
                &NewStaff {
                    no: &p.no,
                    name: &p.name,
                    gender: p.gender,
                    home_unit_id: p.home_unit,
                    home_body: p.home_body.as_deref(),
                    birth_date: Some(p.birth),
                    retirement_track: p.track,
                },
            )?;
            ids.insert(p.no.clone(), id);
        }
        for p in &periods {
            c.ensure_status(
                ids[&p.no],
                &NewStatus {
                    status: p.status,
                    other_body: p.other_body.as_deref(),
                    start: p.start,
                    end: p.end,
                },
            )?;
        }
        let mut post_ids: HashMap<String, PostId> =
            facts.posts.iter().map(|p| (p.name.clone(), p.id)).collect();
        for (post, no, weekday, start, end) in &rota {
            let next = post_ids.len() as i64;
            let post_id = match post_ids.get(post) {
                Some(&id) => id,
                None => {
                    let id = c.ensure_hall_post(t.id, post, next)?;
                    post_ids.insert(post.clone(), id);
                    id
                }
            };
            c.ensure_rota(&RotaEntry {
                post_id,
                staff_id: ids[no],
                weekday: *weekday,
                start: *start,
                end: *end,
            })?;
        }
        for (no, card) in &cards {
            c.ensure_credential(ids[no], card)?;
        }
        Ok(RosterReport {
            town: t.name,
            people: added,
            periods: periods.len(),
            rota_lines: rota.len(),
            credentials: cards.len(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::with_check_char;
    use crate::staffing::staffing_report;
    use crate::store::{count_rows, SqliteStore};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A sheet to write: name, header, rows.
    type Sheet<'a> = (&'a str, &'a [&'a str], Vec<Vec<String>>);

    fn write_book(path: &Path, sheets: &[Sheet<'_>]) {
        let mut book = rust_xlsxwriter::Workbook::new();
        for (name, header, rows) in sheets {
            let ws = book.add_worksheet();
            ws.set_name(*name).unwrap();
            for (c, h) in header.iter().enumerate() {
                ws.write_string(0, c as u16, *h).unwrap();
            }
            for (r, row) in rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    ws.write_string(r as u32 + 1, c as u16, v).unwrap();
                }
            }
        }
        book.save(path).unwrap();
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    /// Issue 16, defect 18: the roster's optional 退休类别 column puts a woman on the workers'
    /// track (50 towards 55, a month for every two), which the alerts show with the track; a
    /// man with a track, or a word that is no track, is refused naming the column; someone past
    /// the age yet on the roll is flagged `past`, not "retiring within a year".
    #[test]
    fn the_retirement_track_decides_a_womans_date_and_past_ages_are_flagged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("花名册.xlsx");
        let header: Vec<&str> = STAFF_COLUMNS
            .iter()
            .chain(&STAFF_OPTIONAL)
            .copied()
            .collect();
        let worker = with_check_char("52020319760610124");
        let old_man = with_check_char("52020319631001123");
        let line = |no: &str, name: &str, id: &str, track: &str| {
            row(&[no, name, id, "司法所", "在岗", "", "2024-03-01", "", track])
        };
        write_book(
            &path,
            &[(
                STAFF_SHEET,
                &header,
                vec![
                    line("DF0911", "韦玥", &worker, "女职工"),
                    line("DF0912", "蒙喆", &old_man, ""),
                ],
            )],
        );
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::demo::load(&mut s, today()).unwrap();
        import(&mut s, &path, Some("东风镇"), today()).unwrap();
        let town = staffing_report(&mut s, Some("东风镇"), today())
            .unwrap()
            .towns
            .remove(0);
        let find = |no: &str| {
            town.retiring_within_a_year
                .iter()
                .find(|a| a.staff_no == no)
                .cloned()
        };
        // Born 1976-06-10: 50 on 2026-06-10, nine months later (17 months after January 2025,
        // one for every two, plus one). As a cadre she would not be listed (55 and more).
        let w = find("DF0911").expect("the worker retires within a year");
        assert_eq!(
            (w.retires_on, w.track, w.past),
            (d("2027-03-10"), "女职工", false)
        );
        // Born 1963-10-01: 60 on 2023-10-01, before the reform; still on the roll.
        let m = find("DF0912").expect("past the age, flagged");
        assert_eq!(
            (m.retires_on, m.track, m.past),
            (d("2023-10-01"), "男", true)
        );

        for (no, id, track, why) in [
            (
                "DF0913",
                with_check_char("52020319700505123"),
                "女干部",
                "只适用于女性",
            ),
            (
                "DF0914",
                with_check_char("52020319800101124"),
                "女工",
                "无效",
            ),
        ] {
            let bad = dir.path().join(format!("{no}.xlsx"));
            write_book(
                &bad,
                &[(STAFF_SHEET, &header, vec![line(no, "某某", &id, track)])],
            );
            match import(&mut s, &bad, Some("东风镇"), today()) {
                Err(Error::Import(problems)) => {
                    let text = format!("{problems:?}");
                    assert!(text.contains("退休类别") && text.contains(why), "{text}");
                }
                other => panic!("{no}: {other:?}"),
            }
        }
    }

    fn good_staff() -> Vec<Vec<String>> {
        let woman = with_check_char("52020319900101124");
        let man = with_check_char("52020319700505123");
        vec![
            row(&[
                "DF0901",
                "韦玥",
                &woman,
                "司法所",
                "在岗",
                "",
                "2024-03-01",
                "",
            ]),
            row(&[
                "DF0902",
                "蒙喆",
                &man,
                "林业站",
                "在岗",
                "",
                "2010-01-01",
                "2026-06-30",
            ]),
            row(&[
                "DF0902",
                "蒙喆",
                &man,
                "林业站",
                "长期请假",
                "",
                "2026-07-01",
                "",
            ]),
            row(&[
                "DF0903",
                "石赟",
                &man,
                "国土所",
                "借调入",
                "市自然资源局",
                "2026-01-01",
                "",
            ]),
        ]
    }

    #[test]
    fn a_good_roster_adds_people_periods_rota_and_cards() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("花名册.xlsx");
        write_book(
            &path,
            &[
                (STAFF_SHEET, &STAFF_COLUMNS, good_staff()),
                (
                    ROTA_SHEET,
                    &ROTA_COLUMNS,
                    vec![row(&["法律服务窗口", "DF0901", "周三", "2026-01-05", ""])],
                ),
                (
                    CARD_SHEET,
                    &CARD_COLUMNS,
                    vec![row(&[
                        "DF0903",
                        "行政执法证",
                        "黔执990001",
                        "市自然资源局",
                        "2026-01-01",
                        "2028-12-31",
                    ])],
                ),
            ],
        );
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::demo::load(&mut s, today()).unwrap();
        let before = staffing_report(&mut s, Some("东风镇"), today())
            .unwrap()
            .towns
            .remove(0);
        let r = import(&mut s, &path, Some("东风镇"), today()).unwrap();
        assert_eq!(
            (r.people, r.periods, r.rota_lines, r.credentials),
            (3, 4, 1, 1)
        );
        let after = staffing_report(&mut s, Some("东风镇"), today())
            .unwrap()
            .towns
            .remove(0);
        assert_eq!(after.figures.on_roll, before.figures.on_roll + 2);
        assert_eq!(after.figures.on_leave, before.figures.on_leave + 1);
        assert_eq!(after.figures.seconded_in, before.figures.seconded_in + 1);
        assert_eq!(after.figures.hall_staff, before.figures.hall_staff + 1);
        // The seconded-in land officer is a second certified officer in the field again.
        let land = after.units.iter().find(|u| u.name == "国土所").unwrap();
        assert!(land.enforcement_ok, "{land:?}");
        // No full ID number is stored anywhere.
        let dump = s.dump_table_for_tests("staff");
        assert!(!dump.contains(&with_check_char("52020319900101124")));
        assert!(dump.contains("1990-01-01"));
        // The ID's 17th digit gives the sex: even a woman (DF0901), odd a man (DF0902, DF0903).
        let line = |no: &str| dump.lines().find(|l| l.contains(no)).unwrap().to_string();
        for (no, sex) in [("DF0901", "女"), ("DF0902", "男"), ("DF0903", "男")] {
            let l = line(no);
            assert!(l.contains(&format!("\"{sex}\"")), "{no} is not {sex}: {l}");
        }
        // Importing again changes nothing.
        let staff_rows = count_rows(&s, "staff");
        import(&mut s, &path, Some("东风镇"), today()).unwrap();
        assert_eq!(count_rows(&s, "staff"), staff_rows);
    }

    #[test]
    fn a_bad_roster_reports_every_problem_by_row_and_column_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("花名册.xlsx");
        let mut rows = good_staff();
        rows[0][2] = "520203199001011240".into(); // wrong check character
        rows[1][3] = "气象站".into();
        rows[2][4] = "出差".into();
        rows[3][5] = String::new();
        rows.push(row(&[
            "DF0904",
            "龙丹",
            &with_check_char("52020319800101124"),
            "司法所",
            "在岗",
            "",
            "2026-02-30",
            "",
        ]));
        write_book(
            &path,
            &[
                (STAFF_SHEET, &STAFF_COLUMNS, rows),
                (
                    ROTA_SHEET,
                    &ROTA_COLUMNS,
                    vec![row(&["民政窗口", "XX0001", "周八", "2026-01-05", ""])],
                ),
            ],
        );
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::demo::load(&mut s, today()).unwrap();
        let staff_rows = count_rows(&s, "staff");
        let rota_rows = count_rows(&s, "rota");
        let Err(Error::Import(problems)) = import(&mut s, &path, Some("东风镇"), today()) else {
            panic!("accepted")
        };
        let found: Vec<(usize, &str)> = problems
            .iter()
            .map(|p| (p.row, p.column.as_str()))
            .collect();
        for want in [
            (2, "身份证号"),
            (3, "所在单位"),
            (4, "状态"),
            (5, "借调单位"),
            (6, "起始日期"),
        ] {
            assert!(found.contains(&want), "{want:?} not in {problems:?}");
        }
        assert!(
            found.contains(&(2, "工号")) && found.contains(&(2, "星期")),
            "{problems:?}"
        );
        assert!(problems.iter().all(|p| !p.message.is_empty()));
        assert_eq!(count_rows(&s, "staff"), staff_rows);
        assert_eq!(count_rows(&s, "rota"), rota_rows);
    }

    #[test]
    fn a_missing_sheet_or_column_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("花名册.xlsx");
        write_book(&path, &[("Sheet1", &["工号"], vec![])]);
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::demo::load(&mut s, today()).unwrap();
        let Err(Error::Import(p)) = import(&mut s, &path, Some("东风镇"), today()) else {
            panic!()
        };
        assert!(p[0].message.contains("人员"), "{p:?}");
        write_book(&path, &[(STAFF_SHEET, &["工号", "姓名"], vec![])]);
        let Err(Error::Import(p)) = import(&mut s, &path, Some("东风镇"), today()) else {
            panic!()
        };
        assert!(
            p.iter()
                .any(|p| p.column == "身份证号" && p.message.contains("缺少")),
            "{p:?}"
        );
        let Err(Error::Import(p)) = import(&mut s, &dir.path().join("x.csv"), None, today()) else {
            panic!()
        };
        assert_eq!(p.len(), 1);
    }
}
