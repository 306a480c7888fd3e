//! The hall's devices as the administrator manages them (issue 19): open a device session for
//! a kiosk, a waiting-room screen or a counter's rating pad, list them, close one; and the
//! leader's follow-up period for 差评. What a device itself may call is [`crate::devices`].

use bianmin_core::accounts::Permission;
use bianmin_core::front::{self, device};
use bianmin_core::store::AnyStore;
use bianmin_core::{date, Result};
use serde::{Deserialize, Serialize};

use super::town_for;
use crate::api::{Authorized, Needs, Operation};

/// 开通设备 (`device_open`): the token is in the answer this once.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceOpen {
    town: Option<String>,
    kind: String,
    staff: Option<String>,
    label: String,
}

impl Operation for DeviceOpen {
    const NAME: &'static str = "device_open";
    const WHAT: &'static str = "开通大厅设备";
    type Answer = device::Opened;
    const NEEDS: Needs = Needs::Permission(Permission::ManageAccounts);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let town = town_for(store, who, self.town.as_deref(), Self::WHAT)?;
        device::open(
            store,
            town.as_deref(),
            &self.kind,
            self.staff.as_deref(),
            &self.label,
            &who.account().username,
            date::now()?,
        )
    }
}

/// The hall's devices (`device_list`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceList {
    town: Option<String>,
}

impl Operation for DeviceList {
    const NAME: &'static str = "device_list";
    const WHAT: &'static str = "查看大厅设备";
    type Answer = Vec<device::DeviceView>;
    const NEEDS: Needs = Needs::Permission(Permission::ManageAccounts);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let town = town_for(store, who, self.town.as_deref(), Self::WHAT)?;
        device::list(store, town.as_deref())
    }
}

/// 停用设备 (`device_close`): its session ends at once.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceClose {
    id: i64,
}

impl Operation for DeviceClose {
    const NAME: &'static str = "device_close";
    const WHAT: &'static str = "停用大厅设备";
    type Answer = device::DeviceView;
    const NEEDS: Needs = Needs::Permission(Permission::ManageAccounts);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let town = device::list(store, None)?
            .into_iter()
            .find(|d| d.id == self.id)
            .map(|d| d.town);
        if let Some(town) = town {
            town_for(store, who, Some(&town), Self::WHAT)?;
        }
        device::close(store, self.id, &who.account().username, date::now()?)
    }
}

/// The hall's follow-up period for 差评 in working days (`followup_period`): read, or set with
/// `days`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowupPeriod {
    town: Option<String>,
    days: Option<u32>,
}

#[derive(Serialize)]
pub struct Period {
    town: String,
    days: u32,
}

impl Operation for FollowupPeriod {
    const NAME: &'static str = "followup_period";
    const WHAT: &'static str = "差评回访期限";
    type Answer = Period;
    const NEEDS: Needs = Needs::Permission(Permission::FollowUp);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Period> {
        let town = town_for(store, who, self.town.as_deref(), Self::WHAT)?;
        if let Some(days) = self.days {
            front::set_followup_days(store, town.as_deref(), days, date::now()?)?;
        }
        front::followup_period_of(store, town.as_deref()).map(|(town, days)| Period { town, days })
    }
}
