//! The authority check as a service: loads the staff member, the item and the town's letters
//! through the store and asks the pure [`crate::domain::authority::decide`], re-exported here.

use chrono::NaiveDate;

pub use crate::domain::authority::*;
use crate::Result;

/// The authority check for a staff number, an item code and an action on a date, reading what
/// it needs from the store. The item is looked up in the staff member's own town.
pub fn check<S: crate::store::Store>(
    store: &mut S,
    staff_no: &str,
    item_code: &str,
    action: Action,
    on: NaiveDate,
) -> Result<Decision> {
    let staff = crate::staff::find_staff(store, "staff", staff_no, on)?;
    store.read(|q| {
        let town = crate::town::resolve_town(q, Some(&staff.town))?;
        let item = crate::catalog::service::load_item(q, &town, "item", item_code)?;
        let letters = q.letters(town.id)?;
        // Counted as the staffing table counts 执法力量 (officers on the hall's rota that day
        // are not in the field); only enforcement looks at it.
        let certified_officers = if action == Action::Enforce {
            let facts = q.town_facts(town.id, Some(on))?;
            crate::domain::staffing::field_officers(&facts, on, &item.department) as usize
        } else {
            0
        };
        let situation = Situation {
            item: &item,
            letters: &letters,
            certified_officers,
        };
        Ok(decide(&staff, &situation, action, on))
    })
}
