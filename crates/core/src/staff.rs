//! Staff as the front ends ask for them: a town's people at work on a date, one person by
//! number. The roles, credentials and profiles are [`crate::domain::staff`]'s, re-exported here.

use chrono::NaiveDate;

pub use crate::domain::staff::*;
use crate::ids::TownId;
use crate::store::{Queries, Store};
use crate::{Error, Result};

/// Every person of a town with `at_work` set for `on`.
pub(crate) fn profiles_on(
    q: &dyn Queries,
    town_id: TownId,
    on: NaiveDate,
) -> Result<Vec<StaffProfile>> {
    let facts = q.town_facts(town_id, Some(on))?;
    let mut people = q.staff_profiles(town_id)?;
    for p in &mut people {
        p.at_work = crate::staffing::at_work(&facts, p.id, on);
    }
    Ok(people)
}

/// One person with `at_work` set for `on`, read with a few small queries (the counter's hot
/// path); an unknown number is refused naming `field`.
pub(crate) fn profile_on(
    q: &dyn Queries,
    field: &'static str,
    no: &str,
    on: NaiveDate,
) -> Result<StaffProfile> {
    let no = no.trim();
    let mut p = q
        .staff_profile(no)?
        .ok_or_else(|| Error::invalid(field, format!("工号“{no}”不存在")))?;
    let periods = q.staff_periods(p.id)?;
    let refs: Vec<&crate::staffing::StatusPeriod> = periods.iter().collect();
    p.at_work = crate::staffing::at_work_in(&refs, on);
    Ok(p)
}
/// The staff of a town (or of every town) who are at work on `on`, with roles and credentials.
pub fn staff_list<S: Store>(
    store: &mut S,
    town: Option<&str>,
    on: NaiveDate,
) -> Result<Vec<StaffProfile>> {
    store.read(|q| {
        let towns = q.towns()?;
        if let Some(name) = town {
            if !towns.iter().any(|t| t.name == name.trim()) {
                return Err(crate::staffing::unknown_town(name, &towns));
            }
        }
        let mut out = Vec::new();
        for t in towns
            .iter()
            .filter(|t| town.is_none_or(|n| t.name == n.trim()))
        {
            out.extend(profiles_on(q, t.id, on)?.into_iter().filter(|p| p.at_work));
        }
        Ok(out)
    })
}

/// Finds one person by staff number, refusing an unknown number with a message naming `field`.
pub fn find_staff<S: Store>(
    store: &mut S,
    field: &'static str,
    no: &str,
    on: NaiveDate,
) -> Result<StaffProfile> {
    store.read(|q| profile_on(q, field, no, on))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SqliteStore;

    /// The town's list holds the people at work on the date: DF0069 retired at the end of 2025,
    /// so listed in 2025 and not in 2026; the one-person lookup agrees.
    #[test]
    fn the_list_holds_who_is_at_work_on_the_date() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        crate::demo::load(&mut s, today).unwrap();
        for (on, working) in [("2025-06-30", true), ("2026-11-28", false)] {
            let on = NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap();
            let listed = staff_list(&mut s, Some("东风镇"), on).unwrap();
            assert_eq!(listed.iter().any(|p| p.no == "DF0069"), working, "{on}");
            assert!(listed.iter().all(|p| p.at_work));
            assert_eq!(
                find_staff(&mut s, "staff", "DF0069", on).unwrap().at_work,
                working
            );
        }
    }
}
