//! Statutory retirement dates under the gradual raise decided by the NPC Standing Committee in
//! September 2024 (全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定), in force from
//! 2025-01-01: men from 60 towards 63, and women cadres from 55 towards 58, one month later for
//! every four months of birth; women workers from 50 towards 55, one month for every two.
//! Township staff mostly hold civil-service or institution posts, so a woman retires as a cadre
//! unless the roster's 退休类别 says 女职工 (a worker's post, issue 16 defect 18).

use chrono::{Datelike, Months, NaiveDate};

/// Which original retirement age a person has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Men: 60, raised to at most 63.
    Men,
    /// Women in cadre (civil service and institution) posts: 55, raised to at most 58.
    WomenCadre,
    /// Women workers: 50, raised to at most 55.
    WomenWorker,
}

/// The roster's 退休类别 for women: a worker's or a cadre's track (men need none).
pub const TRACKS: [&str; 2] = ["女职工", "女干部"];

impl Scheme {
    /// The scheme of a staff member by gender (男 / 女) and, for a woman, the roster's 退休类别
    /// (`女职工` or `女干部`; none: a cadre, as most township posts are).
    pub fn for_staff(gender: &str, track: Option<&str>) -> Scheme {
        match (gender, track) {
            ("女", Some("女职工")) => Scheme::WomenWorker,
            ("女", _) => Scheme::WomenCadre,
            _ => Scheme::Men,
        }
    }

    /// The 退休类别 as the staffing table shows it.
    pub fn label(self) -> &'static str {
        match self {
            Scheme::Men => "男",
            Scheme::WomenCadre => "女干部",
            Scheme::WomenWorker => "女职工",
        }
    }

    /// (original age in years, months of birth per month of delay, most months of delay)
    fn rule(self) -> (u32, u32, u32) {
        match self {
            Scheme::Men => (60, 4, 36),
            Scheme::WomenCadre => (55, 4, 36),
            Scheme::WomenWorker => (50, 2, 60),
        }
    }
}

/// The date on which someone born on `birth` reaches retirement age.
pub fn retirement_date(birth: NaiveDate, scheme: Scheme) -> NaiveDate {
    let (age, per, max) = scheme.rule();
    let original = birth + Months::new(age * 12);
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).expect("a real date");
    if original < start {
        return original;
    }
    // Months from January 2025 to the month the original age was reached.
    let since = (original.year() - 2025) as u32 * 12 + original.month0();
    let delay = (since / per + 1).min(max);
    original + Months::new(delay)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Rows of the decision's comparison tables (对照表).
    #[test]
    fn matches_the_published_tables() {
        // Men: born 1965-01..04 → 60 years 1 month; 1965-05..08 → 60y2m; from 1976-09 → 63.
        assert_eq!(retirement_date(d(1965, 1, 15), Scheme::Men), d(2025, 2, 15));
        // The first day of the change: reaching 60 on 1 January 2025 is already delayed a
        // month; the day before is not.
        assert_eq!(retirement_date(d(1965, 1, 1), Scheme::Men), d(2025, 2, 1));
        assert_eq!(
            retirement_date(d(1964, 12, 31), Scheme::Men),
            d(2024, 12, 31)
        );
        assert_eq!(retirement_date(d(1965, 4, 30), Scheme::Men), d(2025, 5, 30));
        assert_eq!(retirement_date(d(1965, 5, 1), Scheme::Men), d(2025, 7, 1));
        assert_eq!(retirement_date(d(1976, 9, 1), Scheme::Men), d(2039, 9, 1));
        assert_eq!(retirement_date(d(1980, 3, 3), Scheme::Men), d(2043, 3, 3));
        // Before the reform: 60 exactly.
        assert_eq!(
            retirement_date(d(1964, 12, 31), Scheme::Men),
            d(2024, 12, 31)
        );
        // Women cadres: 1970-01..04 → 55y1m; from 1981-09 → 58.
        assert_eq!(
            retirement_date(d(1970, 2, 10), Scheme::WomenCadre),
            d(2025, 3, 10)
        );
        assert_eq!(
            retirement_date(d(1981, 9, 1), Scheme::WomenCadre),
            d(2039, 9, 1)
        );
        // Women workers: 1975-01..02 → 50y1m; 1975-03..04 → 50y2m; from 1984-12 → 55.
        assert_eq!(
            retirement_date(d(1975, 2, 1), Scheme::WomenWorker),
            d(2025, 3, 1)
        );
        assert_eq!(
            retirement_date(d(1975, 3, 1), Scheme::WomenWorker),
            d(2025, 5, 1)
        );
        assert_eq!(
            retirement_date(d(1984, 12, 1), Scheme::WomenWorker),
            d(2039, 12, 1)
        );
    }

    #[test]
    fn a_later_birth_never_retires_earlier() {
        let mut day = d(1960, 1, 1);
        let mut last = retirement_date(day, Scheme::Men);
        while day < d(1990, 1, 1) {
            day = day.succ_opt().unwrap();
            let r = retirement_date(day, Scheme::Men);
            assert!(r >= last, "{day}");
            last = r;
        }
    }
}
