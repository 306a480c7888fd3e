//! What the leaders' screens read beyond the staffing report: a unit's people, the week's rota,
//! the counters the hall needs, the staffing workbook; and the staff list and authority check
//! the counter's screens read. Each is the app's command of the same name.

use base64::Engine;
use bianmin_core::accounts::Permission;
use bianmin_core::authority::{self, Action, Decision};
use bianmin_core::counters::{DEFAULT_SERVICE_LEVEL, DEFAULT_TARGET_WAIT_S};
use bianmin_core::demand::{self, DemandReport};
use bianmin_core::staff::{self, StaffProfile};
use bianmin_core::staffing::{self, PersonOnDate, RotaWeek};
use bianmin_core::store::AnyStore;
use bianmin_core::{date, staffing_xlsx, Result};
use serde::{Deserialize, Serialize};

use super::{on_or_today, town_for};
use crate::api::{Authorized, Needs, Operation};

/// The people of one unit on a day (`unit_people`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitPeople {
    town: String,
    unit: String,
    on: Option<String>,
}

impl Operation for UnitPeople {
    const NAME: &'static str = "unit_people";
    const WHAT: &'static str = "单位人员";
    type Answer = Vec<PersonOnDate>;
    const NEEDS: Needs = Needs::Permission(Permission::ViewStaffing);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let town = town_for(store, who, Some(&self.town), Self::WHAT)?;
        staffing::unit_people(store, town.as_deref(), &self.unit, on_or_today(self.on)?)
    }
}

/// The hall's rota for the week of a day (`rota_week`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotaWeekOf {
    town: String,
    on: Option<String>,
}

impl Operation for RotaWeekOf {
    const NAME: &'static str = "rota_week";
    const WHAT: &'static str = "窗口排班";
    type Answer = RotaWeek;
    const NEEDS: Needs = Needs::Permission(Permission::ViewStaffing);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let town = town_for(store, who, Some(&self.town), Self::WHAT)?;
        staffing::rota_week(store, town.as_deref(), on_or_today(self.on)?)
    }
}

/// The counters each post needs by hour against those staffed (`staffing_demand`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffingDemand {
    town: String,
    on: Option<String>,
    target_wait_s: Option<f64>,
    service_level: Option<f64>,
}

impl Operation for StaffingDemand {
    const NAME: &'static str = "staffing_demand";
    const WHAT: &'static str = "窗口需求";
    type Answer = DemandReport;
    const NEEDS: Needs = Needs::Permission(Permission::ViewStaffing);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let town = town_for(store, who, Some(&self.town), Self::WHAT)?;
        demand::demand_report(
            store,
            town.as_deref(),
            on_or_today(self.on)?,
            self.target_wait_s.unwrap_or(DEFAULT_TARGET_WAIT_S),
            self.service_level.unwrap_or(DEFAULT_SERVICE_LEVEL),
        )
    }
}

/// The staffing workbook of a town (`staffing_xlsx`): its file name and bytes (base64), for the
/// client to save where its person chooses.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffingXlsx {
    town: String,
    on: Option<String>,
}

#[derive(Serialize)]
pub struct FileBytes {
    pub name: String,
    pub base64: String,
}

impl Operation for StaffingXlsx {
    const NAME: &'static str = "staffing_xlsx";
    const WHAT: &'static str = "导出编制表";
    type Answer = FileBytes;
    const NEEDS: Needs = Needs::Permission(Permission::ViewStaffing);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        town_for(store, who, Some(&self.town), Self::WHAT)?;
        let on = on_or_today(self.on)?;
        let report = staffing::staffing_report(store, Some(&self.town), on)?;
        let bytes = staffing_xlsx::xlsx(&report)?;
        Ok(FileBytes {
            name: staffing_xlsx::file_name(&self.town, on),
            base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        })
    }
}

/// A town's staff (`list_staff`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListStaff {
    town: String,
}

impl Operation for ListStaff {
    const NAME: &'static str = "list_staff";
    const WHAT: &'static str = "工作人员列表";
    type Answer = Vec<StaffProfile>;
    const NEEDS: Needs = Needs::Permission(Permission::ReadCatalog);
    fn run(self, store: &mut AnyStore, _: &Authorized) -> Result<Self::Answer> {
        staff::staff_list(store, Some(&self.town), date::today()?)
    }
}

/// Whether a staff member may take an action on an item (`authority`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    staff: String,
    item: String,
    action: String,
    on: Option<String>,
}

impl Operation for Authority {
    const NAME: &'static str = "authority";
    const WHAT: &'static str = "权限核验";
    type Answer = Decision;
    const NEEDS: Needs = Needs::Permission(Permission::ReadCatalog);
    fn run(self, store: &mut AnyStore, _: &Authorized) -> Result<Self::Answer> {
        let action = Action::parse("action", &self.action)?;
        authority::check(
            store,
            &self.staff,
            &self.item,
            action,
            on_or_today(self.on)?,
        )
    }
}
