//! Dates as the hall sees them: China Standard Time, parsed strictly.

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, Timelike, Utc};

use crate::{Error, Result};

/// The environment variable that fixes "today", for tests and demonstrations.
pub const TODAY_VAR: &str = "BIANMIN_TODAY";

/// The environment variable that fixes the clock (`2026-11-30T09:30`, China time), for tests
/// and demonstrations of opening hours and queues; it implies the date.
pub const NOW_VAR: &str = "BIANMIN_NOW";

/// The moment `BIANMIN_NOW` fixes, if it is set.
fn fixed_now() -> Result<Option<NaiveDateTime>> {
    match std::env::var(NOW_VAR) {
        Ok(s) if !s.trim().is_empty() => {
            let t = s.trim();
            NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M")
                .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S"))
                .map(Some)
                .map_err(|_| {
                    Error::invalid(
                        NOW_VAR,
                        format!("“{t}”不是时刻：应写成 2026-11-30T09:30（北京时间）"),
                    )
                })
        }
        _ => Ok(None),
    }
}

/// Today's date in Beijing (UTC+8), or the date in `BIANMIN_NOW` or `BIANMIN_TODAY` when set.
pub fn today() -> Result<NaiveDate> {
    if let Some(now) = fixed_now()? {
        return Ok(now.date());
    }
    match std::env::var(TODAY_VAR) {
        Ok(s) if !s.trim().is_empty() => parse_date(TODAY_VAR, &s),
        _ => Ok(in_beijing(Utc::now()).date()),
    }
}

/// A moment as a clock in Beijing shows it: China Standard Time, UTC+8 all year.
fn in_beijing(utc: chrono::DateTime<Utc>) -> NaiveDateTime {
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    utc.with_timezone(&cst).naive_local()
}

/// How a moment is written wherever it is kept or shown: `2026-11-28 10:00:00`.
pub const DATETIME: &str = "%Y-%m-%d %H:%M:%S";

/// The current moment in Beijing, to the second, on the date of [`today`] (so that
/// `BIANMIN_TODAY` moves timestamps too). Its date is the day a request is taken in on; its
/// [`stamp`] is what the store keeps.
pub fn now() -> Result<NaiveDateTime> {
    if let Some(now) = fixed_now()? {
        return Ok(now);
    }
    let time = in_beijing(Utc::now()).time();
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

/// Reads back what [`stamp`] wrote, and nothing else (`None`): exactly
/// `YYYY-MM-DD HH:MM:SS`, zero-padded, a real date and time. Fixed-width and by hand, because
/// the store reads one for every row a search returns.
pub fn parse_stamp(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    if b.len() != 19 || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = parse_iso_date(&text[..10])?;
    let (h, m, s) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    date.and_hms_opt(h, m, s)
}

/// Reads exactly `YYYY-MM-DD`, zero-padded, a real date (what the store keeps in every date
/// column); anything else is `None`.
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    parse_iso_date_bytes(text.as_bytes())
}

/// [`parse_iso_date`] of bytes not yet known to be text (anything but ASCII digits and the two
/// dashes is refused).
pub fn parse_iso_date_bytes(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&b[..4])?;
    NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
    )
}

/// A run of ASCII digits as a number; `None` if any byte is not a digit.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
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
            "2026-02-29 10:00:00",
            "2026-11-28 24:00:00",
            "2026-11-28 09:05:0x",
            "+026-11-28 09:05:00",
            "",
        ] {
            assert_eq!(parse_stamp(bad), None, "{bad}");
        }
        assert_eq!(
            parse_iso_date("2028-02-29"),
            NaiveDate::from_ymd_opt(2028, 2, 29)
        );
        for bad in [
            "2026-02-29",
            "2026-2-09",
            "2026/02/09",
            "20260209",
            "2026-13-01",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn beijing_is_eight_hours_ahead_of_utc_all_year() {
        let utc = |s: &str| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                .unwrap()
                .and_utc()
        };
        for (at, shown) in [
            // Midnight in Beijing is 16:00 UTC the day before.
            ("2026-12-05 15:59:59", "2026-12-05 23:59:59"),
            ("2026-12-05 16:00:00", "2026-12-06 00:00:00"),
            // No summer time: July is UTC+8 as well.
            ("2026-07-01 04:30:00", "2026-07-01 12:30:00"),
            ("2026-12-31 16:00:00", "2027-01-01 00:00:00"),
        ] {
            assert_eq!(stamp(in_beijing(utc(at))), shown, "{at} UTC");
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
