//! Holiday arrangements imported into the database.

use super::super::conn::{args, conversion, Conn};
use crate::calendar::{DayKind, YearArrangement};
use crate::Result;

pub(super) fn calendar_years(c: &dyn Conn) -> Result<Vec<YearArrangement>> {
    let mut years = c.all(
        "SELECT year, source FROM calendar_year ORDER BY year",
        &[],
        |r| {
            Ok(YearArrangement {
                year: r.get(0)?,
                source: r.get(1)?,
                days: Default::default(),
            })
        },
    )?;
    for y in &mut years {
        let (from, to) = year_span(y.year);
        c.each(
            "SELECT date, kind, name FROM calendar_day WHERE date >= ?1 AND date <= ?2",
            args![from, to],
            &mut |r| {
                let kind: String = r.get(1)?;
                let kind =
                    DayKind::parse(&kind).ok_or_else(|| conversion(format!("kind {kind}")))?;
                y.days.insert(r.get(0)?, (kind, r.get(2)?));
                Ok(())
            },
        )?;
    }
    Ok(years)
}

/// Stores an imported year's arrangement, replacing that year's days.
pub(super) fn save_calendar_year(c: &dyn Conn, year: &YearArrangement) -> Result<()> {
    c.execute(
        "INSERT INTO calendar_year (year, source) VALUES (?1, ?2)
         ON CONFLICT (year) DO UPDATE SET source = excluded.source",
        args![year.year, &year.source],
    )?;
    let (from, to) = year_span(year.year);
    c.execute(
        "DELETE FROM calendar_day WHERE date >= ?1 AND date <= ?2",
        args![from, to],
    )?;
    for (date, (kind, name)) in &year.days {
        c.execute(
            "INSERT INTO calendar_day (date, kind, name) VALUES (?1, ?2, ?3)",
            args![*date, kind.label(), name],
        )?;
    }
    Ok(())
}

/// The first and last day of a year, as the text the date columns hold.
fn year_span(year: impl std::fmt::Display) -> (String, String) {
    (format!("{year}-01-01"), format!("{year}-12-31"))
}
