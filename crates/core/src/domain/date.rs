//! Dates as the hall sees them: China Standard Time, parsed strictly.

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, Timelike, Utc};

use crate::{Error, Result};

/// The environment variable that fixes "today", for tests and demonstrations.
pub const TODAY_VAR: &str = "BIANMIN_TODAY";

/// Today's date in Beijing (UTC+8), or the date in `BIANMIN_TODAY` when that is set.
pub fn today() -> Result<NaiveDate> {
    match std::env::var(TODAY_VAR) {
        Ok(s) if !s.trim().is_empty() => parse_date(TODAY_VAR, &s),
        _ => {
            let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
            Ok(Utc::now().with_timezone(&cst).date_naive())
        }
    }
}

/// How a moment is written wherever it is kept or shown: `2026-11-28 10:00:00`.
pub const DATETIME: &str = "%Y-%m-%d %H:%M:%S";

/// The current moment in Beijing, to the second, on the date of [`today`] (so that
/// `BIANMIN_TODAY` moves timestamps too). Its date is the day a request is taken in on; its
/// [`stamp`] is what the store keeps.
pub fn now() -> Result<NaiveDateTime> {
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    let time = Utc::now().with_timezone(&cst).time();
    Ok(today()?.and_time(time.with_nanosecond(0).unwrap_or(time)))
}

/// A moment as the store keeps it and screens print it: `2026-11-28 10:00:00`.
pub fn stamp(at: NaiveDateTime) -> String {
    at.format(DATETIME).to_string()
}

/// A moment as file names carry it: `20261128100000`.
pub fn file_stamp(at: NaiveDateTime) -> String {
    at.format("%Y%m%d%H%M%S").to_string()
}

/// Reads back what [`stamp`] wrote, and nothing else (`None`).
pub fn parse_stamp(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, DATETIME)
        .ok()
        .filter(|t| stamp(*t) == text)
}

/// Parses a calendar date written `YYYY-MM-DD`. Anything else, including dates that do not
/// exist such as 2026-02-30, is refused with a message naming `field`.
pub fn parse_date(field: &'static str, text: &str) -> Result<NaiveDate> {
    let t = text.trim();
    let well_formed = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let parsed = well_formed
        .then(|| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
        .flatten()
        .filter(|d| (1900..=2999).contains(&chrono::Datelike::year(d)));
    parsed.ok_or_else(|| {
        Error::invalid(
            field,
            format!("日期“{text}”无效：应为真实存在的日期，写作 YYYY-MM-DD，例如 2026-11-28"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_read_back_exactly() {
        let at = NaiveDate::from_ymd_opt(2026, 11, 28)
            .unwrap()
            .and_hms_opt(9, 5, 0)
            .unwrap();
        assert_eq!(stamp(at), "2026-11-28 09:05:00");
        assert_eq!(file_stamp(at), "20261128090500");
        assert_eq!(parse_stamp("2026-11-28 09:05:00"), Some(at));
        for bad in [
            "2026-11-28 9:05:00",
            "2026-11-28T09:05:00",
            "2026-11-28",
            "",
        ] {
            assert_eq!(parse_stamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn now_is_on_today_to_the_second() {
        let before = today().unwrap();
        let now = now().unwrap();
        let after = today().unwrap();
        assert!(now.date() == before || now.date() == after, "{now}");
        assert_eq!(now.nanosecond(), 0);
    }

    #[test]
    fn accepts_real_dates() {
        assert_eq!(
            parse_date("on", "2026-11-28").unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
        );
        assert_eq!(
            parse_date("on", "2028-02-29").unwrap(),
            NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()
        );
    }

    #[test]
    fn refuses_impossible_and_malformed_dates_naming_the_field() {
        for bad in [
            "2026-13-40",
            "2026-02-29",
            "2026-2-3",
            "26-11-28",
            "",
            "2026/11/28",
            "明天",
        ] {
            match parse_date("on", bad) {
                Err(Error::Invalid { field, message }) => {
                    assert_eq!(field, "on");
                    assert!(message.contains("日期"), "{message}");
                }
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }
}
