//! Dates as the hall sees them: China Standard Time, parsed strictly.

use chrono::{FixedOffset, NaiveDate, Timelike, Utc};

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

/// The current moment in Beijing as `YYYY-MM-DD HH:MM:SS`, on the date of [`today`] (so that
/// `BIANMIN_TODAY` moves timestamps too).
pub fn now() -> Result<String> {
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    let time = Utc::now().with_timezone(&cst).format("%H:%M:%S");
    Ok(format!("{} {time}", today()?))
}

/// The current moment in Beijing as a date and time, on the date of [`today`].
pub fn now_datetime() -> Result<chrono::NaiveDateTime> {
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    let time = Utc::now().with_timezone(&cst).time();
    Ok(today()?.and_time(time.with_nanosecond(0).unwrap_or(time)))
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
