//! The working-day calendar of the State Council's holiday arrangements.
//!
//! Each year's arrangement (放假 and 调休上班 days) is data: 2025 and 2026 ship in
//! `data/calendar/`, taken from the official notices; later years come by
//! `bianmin calendar import` as a new notice is published each November. A deadline that runs
//! into a year without data is counted on weekdays only and says so (`calendar_complete: false`);
//! nothing here panics on a year it does not know.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;

use crate::{Error, Result};

/// What a listed day is: a holiday, or a weekend day worked in exchange (调休上班).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DayKind {
    #[serde(rename = "休")]
    Holiday,
    #[serde(rename = "班")]
    Workday,
}

impl DayKind {
    pub fn label(self) -> &'static str {
        match self {
            DayKind::Holiday => "休",
            DayKind::Workday => "班",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "休" => Some(DayKind::Holiday),
            "班" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

/// One year's arrangement.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YearArrangement {
    pub year: i32,
    /// Where it comes from, e.g. the notice's number.
    pub source: String,
    pub days: BTreeMap<NaiveDate, (DayKind, String)>,
}

const BUILTIN: &[&str] = &[
    include_str!("../../data/calendar/2025.txt"),
    include_str!("../../data/calendar/2026.txt"),
];

/// Parses an arrangement file: `#` comment lines (the first names the source), then one
/// `日期,休|班,名称` line per listed day, all in one year. Every problem names its line.
pub fn parse_arrangement(field: &'static str, text: &str) -> Result<YearArrangement> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut source = String::new();
    let mut days = BTreeMap::new();
    let mut year = None;
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let n = i + 1;
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if source.is_empty() {
                source = comment.trim().to_string();
            }
            continue;
        }
        let parts: Vec<&str> = line.splitn(3, [',', '\u{ff0c}']).map(str::trim).collect();
        if parts.len() < 2 {
            problems.push(format!("第{n}行：应为“日期，休或班，名称”"));
            continue;
        }
        let Ok(date) = crate::domain::date::parse_date(field, parts[0]) else {
            problems.push(format!("第{n}行：日期“{}”无效", parts[0]));
            continue;
        };
        let Some(kind) = DayKind::parse(parts[1]) else {
            problems.push(format!("第{n}行：“{}”应为“休”或“班”", parts[1]));
            continue;
        };
        if kind == DayKind::Workday && !is_weekend(date) {
            problems.push(format!("第{n}行：{date} 是工作日，不需要调休上班"));
        }
        match year {
            None => year = Some(date.year()),
            Some(y) if y != date.year() => problems.push(format!(
                "第{n}行：{date} 不在 {y} 年；一个文件只能是一年的安排"
            )),
            Some(_) => {}
        }
        let name = parts.get(2).copied().unwrap_or("").to_string();
        if days.insert(date, (kind, name)).is_some() {
            problems.push(format!("第{n}行：{date} 重复"));
        }
    }
    let Some(year) = year else {
        problems.push("文件中没有任何日期".to_string());
        return Err(Error::invalid(field, problems.join(";")));
    };
    if !problems.is_empty() {
        return Err(Error::invalid(
            field,
            format!("节假日安排文件有误，未导入：{}", problems.join(";")),
        ));
    }
    Ok(YearArrangement { year, source, days })
}

/// The festivals every year's notice arranges (《全国年节及纪念日放假办法》, as revised in 2024),
/// as the notices name them.
pub const FESTIVALS: [&str; 7] = ["元旦", "春节", "清明", "劳动", "端午", "中秋", "国庆"];

/// The holidays fixed by date: 元旦 1 January, 劳动节 1 and 2 May, 国庆节 1 to 3 October.
const FIXED_HOLIDAYS: [(u32, u32); 6] = [(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)];

/// What keeps `year` from being a whole year's notice: a festival no rest day names, or a
/// holiday fixed by date that is not a rest day. Empty for a whole notice (issue 16, defect 14:
/// a file of one date must never stand for a year).
pub fn whole_year_problems(year: &YearArrangement) -> Vec<String> {
    let mut problems = Vec::new();
    let rest = |name: &str| {
        year.days
            .values()
            .any(|(kind, n)| *kind == DayKind::Holiday && n.contains(name))
    };
    let missing: Vec<&str> = FESTIVALS.iter().copied().filter(|f| !rest(f)).collect();
    if !missing.is_empty() {
        problems.push(format!(
            "没有{}的放假日期（一年的通知应安排元旦、春节、清明节、劳动节、端午节、中秋节和国庆节）",
            missing.join("、")
        ));
    }
    let absent: Vec<String> = FIXED_HOLIDAYS
        .iter()
        .filter_map(|&(m, d)| NaiveDate::from_ymd_opt(year.year, m, d))
        .filter(|d| !matches!(year.days.get(d), Some((DayKind::Holiday, _))))
        .map(|d| d.format("%m-%d").to_string())
        .collect();
    if !absent.is_empty() {
        problems.push(format!("法定节假日 {} 没有列为“休”", absent.join("、")));
    }
    problems
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The answer of `calendar due`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Due {
    pub start: NaiveDate,
    pub working_days: u32,
    pub due: NaiveDate,
    /// False when some day counted lies in a year whose arrangement is not loaded (counted on
    /// weekdays only).
    pub calendar_complete: bool,
}

/// The working-day calendar: the built-in years plus any imported ones (an import of a year
/// replaces the built-in one).
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: HashMap<i32, YearArrangement>,
}

/// The latest day a count may reach; far beyond any deadline, it keeps loops finite.
const HORIZON_DAYS: u32 = 20_000;

impl Calendar {
    /// The years that ship with the program, parsed once.
    pub fn builtin() -> Calendar {
        static BUILT: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
        BUILT
            .get_or_init(|| {
                let mut c = Calendar::default();
                for text in BUILTIN {
                    c.add(
                        parse_arrangement("calendar", text).expect("the built-in calendars parse"),
                    );
                }
                c
            })
            .clone()
    }

    pub fn add(&mut self, year: YearArrangement) {
        self.years.insert(year.year, year);
    }

    pub fn years(&self) -> Vec<i32> {
        let mut y: Vec<i32> = self.years.keys().copied().collect();
        y.sort_unstable();
        y
    }

    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// Whether `d` is a working day, and whether that is known from an arrangement.
    pub fn is_working_day(&self, d: NaiveDate) -> (bool, bool) {
        match self.years.get(&d.year()) {
            Some(y) => match y.days.get(&d) {
                Some((DayKind::Holiday, _)) => (false, true),
                Some((DayKind::Workday, _)) => (true, true),
                None => (!is_weekend(d), true),
            },
            None => (!is_weekend(d), false),
        }
    }

    /// The date `n` working days after `start`: day 1 is the first working day after `start`
    /// (`start` itself never counts). `n` = 0 gives `start` (settled on the spot).
    pub fn due(&self, start: NaiveDate, n: u32) -> Due {
        let mut day = start;
        let mut counted = 0;
        let mut complete = true;
        let mut steps = 0;
        while counted < n && steps < HORIZON_DAYS {
            day = day.checked_add_days(Days::new(1)).unwrap_or(day);
            steps += 1;
            let (working, known) = self.is_working_day(day);
            complete &= known;
            if working {
                counted += 1;
            }
        }
        Due {
            start,
            working_days: n,
            due: day,
            calendar_complete: complete,
        }
    }

    /// Working days after `from` up to and including `to` (negative when `to` is before
    /// `from`): how many working days have passed, or are left. Counted without walking the
    /// days (a request's due date may be years back): the weekdays in the range, less the
    /// arranged holidays that fall on weekdays, plus the arranged working weekends.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b, sign) = if to >= from {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let b = b.min(
            a.checked_add_days(Days::new(u64::from(HORIZON_DAYS)))
                .unwrap_or(b),
        );
        let days = (b - a).num_days();
        let mut count = days / 7 * 5;
        let mut day = a + chrono::Duration::days(days / 7 * 7);
        while day < b {
            day = day.succ_opt().unwrap_or(b);
            count += i64::from(!is_weekend(day));
        }
        for year in a.year()..=b.year() {
            let Some(arrangement) = self.years.get(&year) else {
                continue;
            };
            let after_a = std::ops::Bound::Excluded(a);
            let to_b = std::ops::Bound::Included(b);
            for (d, (kind, _)) in arrangement.days.range((after_a, to_b)) {
                match (kind, is_weekend(*d)) {
                    (DayKind::Holiday, false) => count -= 1,
                    (DayKind::Workday, true) => count += 1,
                    _ => {}
                }
            }
        }
        sign * count
    }
}

/// Parses the N of `calendar due`: a whole number from 1 to 3650.
pub fn parse_working_days(field: &'static str, text: &str) -> Result<u32> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=3650).contains(&n) => Ok(n),
        _ => Err(Error::invalid(
            field,
            format!("工作日数“{text}”无效：应为 1 到 3650 的整数"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Issue 16, defect 14: the official notices built in are whole years; a file of one date,
    /// or one missing a festival or a holiday fixed by date, is not, and says what it lacks.
    #[test]
    fn a_whole_year_names_every_festival_and_rests_on_the_fixed_holidays() {
        for text in BUILTIN {
            let y = parse_arrangement("file", text).unwrap();
            assert_eq!(whole_year_problems(&y), Vec::<String>::new(), "{}", y.year);
        }
        let one = parse_arrangement("file", "2025-10-09,休\n").unwrap();
        let p = whole_year_problems(&one).join("；");
        for f in FESTIVALS {
            assert!(p.contains(f), "{p}");
        }
        assert!(p.contains("01-01") && p.contains("10-03"), "{p}");
        // The 2026 notice without its 端午 days, or without 10-02: each is caught.
        let without = |drop: &dyn Fn(&str) -> bool| {
            let text: String = BUILTIN[1]
                .lines()
                .filter(|l| !drop(l))
                .map(|l| format!("{l}\n"))
                .collect();
            whole_year_problems(&parse_arrangement("file", &text).unwrap())
        };
        assert_eq!(
            without(&|l| l.contains("端午")),
            vec!["没有端午的放假日期（一年的通知应安排元旦、春节、清明节、劳动节、端午节、中秋节和国庆节）".to_string()]
        );
        assert_eq!(
            without(&|l| l.starts_with("2026-10-02")),
            vec!["法定节假日 10-02 没有列为“休”".to_string()]
        );
    }

    /// Each refused line is named by its number; a line without a name is fine, one without
    /// a kind is not.
    #[test]
    fn arrangement_problems_name_their_line() {
        let refused = |text: &str| match parse_arrangement("file", text) {
            Err(crate::Error::Invalid { message, .. }) => message,
            other => panic!("{text:?} was not refused: {other:?}"),
        };
        for (text, line) in [
            ("# 通知\n2027-01-01", "第2行：应为"),
            ("2027-01-01,休,元旦\n2027-13-01,休,x", "第2行：日期"),
            ("# a\n# b\n2027-01-01,放,元旦", "第3行"),
            ("2027-01-04,班,调休", "第1行：2027-01-04 是工作日"),
            (
                "2027-01-01,休,元旦\n\n2028-01-01,休,元旦",
                "第3行：2028-01-01 不在 2027 年",
            ),
        ] {
            let message = refused(text);
            assert!(message.contains(line), "{text:?}: {message}");
        }
        let year = parse_arrangement("file", "# 国办发明电\n2027-01-01,休").unwrap();
        assert_eq!(year.year, 2027);
        assert_eq!(year.source, "国办发明电");
        assert_eq!(year.days[&d("2027-01-01")].0, DayKind::Holiday);
    }

    #[test]
    fn day_kinds_read_and_write_the_same_words() {
        for kind in [DayKind::Holiday, DayKind::Workday] {
            assert_eq!(DayKind::parse(kind.label()), Some(kind));
        }
        assert_eq!(
            (DayKind::Holiday.label(), DayKind::Workday.label()),
            ("休", "班")
        );
        assert_eq!(DayKind::parse("放"), None);
        let c = Calendar::builtin();
        assert!(c.has_year(2026) && c.has_year(2025));
        assert!(!c.has_year(2024) && !c.has_year(2027));
    }

    #[test]
    fn the_builtin_years_match_the_notices() {
        let c = Calendar::builtin();
        assert_eq!(c.years(), [2025, 2026]);
        // 2026 春节: 2月15日至23日放假, 2月14日(周六)、2月28日(周六)上班.
        assert_eq!(c.is_working_day(d("2026-02-14")), (true, true));
        for day in 15..=23 {
            assert!(!c.is_working_day(d(&format!("2026-02-{day:02}"))).0);
        }
        assert_eq!(c.is_working_day(d("2026-02-28")), (true, true));
        // 2025 国庆、中秋: 10月1日至8日, 9月28日(周日)、10月11日(周六)上班.
        assert!(c.is_working_day(d("2025-09-28")).0);
        assert!(!c.is_working_day(d("2025-10-08")).0);
        assert!(c.is_working_day(d("2025-10-11")).0);
        // An ordinary Saturday.
        assert_eq!(c.is_working_day(d("2026-11-28")), (false, true));
        // Every listed day of both notices: 33 in 2025, 39 in 2026.
        let listed: usize = c.years.values().map(|y| y.days.len()).sum();
        assert_eq!(listed, 33 + 39);
    }

    /// Expectations worked out by hand from the notices.
    #[test]
    fn due_dates_across_holidays_and_adjusted_workdays() {
        let c = Calendar::builtin();
        let due = |start: &str, n| c.due(d(start), n);
        // Friday 2026-02-13 + 1: Saturday 14th is an adjusted workday.
        assert_eq!(due("2026-02-13", 1).due, d("2026-02-14"));
        // + 2 jumps the whole Spring Festival: 15th–23rd off, 24th (Tue) is day 2.
        assert_eq!(due("2026-02-13", 2).due, d("2026-02-24"));
        // 2025-09-26 (Fri) + 1: Sunday the 28th is worked.
        assert_eq!(due("2025-09-26", 1).due, d("2025-09-28"));
        // + 2: 29th (Mon). + 4: 30th is day 3, then 1st–8th off, 9th is day 4.
        assert_eq!(due("2025-09-26", 2).due, d("2025-09-29"));
        assert_eq!(due("2025-09-26", 4).due, d("2025-10-09"));
        // Twenty working days from Saturday 2026-11-28: December has no holidays.
        let r = due("2026-11-28", 20);
        assert_eq!(r.due, d("2026-12-25"));
        assert!(r.calendar_complete);
        // Same day for things settled on the spot.
        assert_eq!(due("2026-11-30", 0).due, d("2026-11-30"));
    }

    #[test]
    fn a_year_without_data_is_counted_on_weekdays_and_says_so() {
        let c = Calendar::builtin();
        let r = c.due(d("2026-12-24"), 10);
        assert!(!r.calendar_complete);
        // 12-25 (Fri), 28, 29, 30, 31 = 5; 2027-01-01 (Fri, a holiday in truth) counted.
        assert_eq!(r.due, d("2027-01-07"));
        let inside = c.due(d("2026-12-01"), 5);
        assert!(inside.calendar_complete);
        // Far future years never panic.
        assert!(!c.due(d("2999-12-01"), 30).calendar_complete);
    }

    #[test]
    fn working_days_between_equals_walking_the_days() {
        // The oracle: every day looked at, one by one.
        fn walked(c: &Calendar, from: NaiveDate, to: NaiveDate) -> i64 {
            let (a, b, sign) = if to >= from {
                (from, to, 1)
            } else {
                (to, from, -1)
            };
            let mut day = a;
            let mut count = 0;
            while day < b {
                day = day.succ_opt().unwrap();
                count += i64::from(c.is_working_day(day).0);
            }
            sign * count
        }
        let c = Calendar::builtin();
        let base = d("2023-06-01");
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let from = base + chrono::Duration::days((seed % 2200) as i64);
            let to = base + chrono::Duration::days(((seed >> 20) % 2200) as i64);
            assert_eq!(
                c.working_days_between(from, to),
                walked(&c, from, to),
                "{from} → {to}"
            );
        }
        // Across every arranged day of every year, and the whole span at once.
        assert_eq!(
            c.working_days_between(d("2024-12-31"), d("2027-01-01")),
            walked(&c, d("2024-12-31"), d("2027-01-01"))
        );
    }

    #[test]
    fn working_days_between_counts_both_ways() {
        let c = Calendar::builtin();
        assert_eq!(c.working_days_between(d("2026-02-13"), d("2026-02-24")), 2);
        assert_eq!(c.working_days_between(d("2026-02-24"), d("2026-02-13")), -2);
        assert_eq!(c.working_days_between(d("2026-11-30"), d("2026-11-30")), 0);
    }

    #[test]
    fn an_arrangement_file_is_checked_line_by_line() {
        let ok = parse_arrangement(
            "FILE",
            "# 2027 通知\n2027-02-06,休,春节\n2027-02-07,班,春节调休上班\n",
        )
        .unwrap();
        assert_eq!(ok.year, 2027);
        assert_eq!(ok.source, "2027 通知");
        for (bad, words) in [
            ("2027-02-30,休,春节", "2027-02-30"),
            ("2027-02-06,放,春节", "应为“休”或“班”"),
            ("2027-02-08,班,周一", "不需要调休上班"),
            (
                "2027-02-06,休,春节\n2028-01-01,休,元旦",
                "一个文件只能是一年",
            ),
            ("2027-02-06,休,a\n2027-02-06,休,b", "重复"),
            ("# 只有注释", "没有任何日期"),
        ] {
            match parse_arrangement("FILE", bad) {
                Err(Error::Invalid { field, message }) => {
                    assert_eq!(field, "FILE");
                    assert!(message.contains(words), "{bad:?}: {message}");
                }
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn working_day_counts_are_checked() {
        assert_eq!(parse_working_days("N", "20").unwrap(), 20);
        for bad in ["0", "-1", "x", "3651", ""] {
            assert!(parse_working_days("N", bad).is_err(), "{bad}");
        }
    }
}
