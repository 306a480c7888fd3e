//! The hall's devices as the administrator manages them (issue 19): open a device session for a
//! kiosk (取号机), a waiting-room screen (等候区大屏) or a counter's rating pad (评价器), list
//! them, close one; and the leader's follow-up period for 差评. The same names, arguments and
//! answers as the hall server's operations (`crates/server/src/ops/devices.rs`); the rules are
//! the core's (`bianmin_core::front::device`, `front::set_followup_days`).

use bianmin_core::accounts::Permission;
use bianmin_core::date;
use bianmin_core::front::{self, device};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::{authorized, town_for, with_store};
use crate::error::CommandError;
use crate::AppState;

/// 开通设备: the token is in the answer this once (in `link`, which goes after the hall
/// server's address). A pad needs its counter's clerk (`staff`); the others take none.
#[tauri::command]
pub fn device_open(
    state: State<'_, AppState>,
    town: Option<String>,
    kind: String,
    staff: Option<String>,
    label: String,
) -> Result<device::Opened, CommandError> {
    let me = authorized(&state, Permission::ManageAccounts, "开通大厅设备")?;
    let town = town_for(&state, &me, town.as_deref(), "开通大厅设备")?;
    let at = date::now()?;
    with_store(&state, |s| {
        device::open(
            s,
            town.as_deref(),
            &kind,
            staff.as_deref(),
            &label,
            &me.username,
            at,
        )
    })
}

/// The hall's devices, the newest first.
#[tauri::command]
pub fn device_list(
    state: State<'_, AppState>,
    town: Option<String>,
) -> Result<Vec<device::DeviceView>, CommandError> {
    let me = authorized(&state, Permission::ManageAccounts, "查看大厅设备")?;
    let town = town_for(&state, &me, town.as_deref(), "查看大厅设备")?;
    with_store(&state, |s| device::list(s, town.as_deref()))
}

/// 停用设备: its session ends at once. A device of a town the account may not read is refused
/// as that town is.
#[tauri::command]
pub fn device_close(
    state: State<'_, AppState>,
    id: i64,
) -> Result<device::DeviceView, CommandError> {
    let me = authorized(&state, Permission::ManageAccounts, "停用大厅设备")?;
    let town = with_store(&state, |s| device::list(s, None))?
        .into_iter()
        .find(|d| d.id == id)
        .map(|d| d.town);
    if let Some(town) = town {
        town_for(&state, &me, Some(&town), "停用大厅设备")?;
    }
    let at = date::now()?;
    with_store(&state, |s| device::close(s, id, &me.username, at))
}

/// A hall's follow-up period for 差评, as `followup_period` answers it.
#[derive(Debug, Serialize, TS)]
pub struct FollowupPeriod {
    pub town: String,
    /// Working days a 差评's follow-up is due in.
    pub days: u32,
}

/// The hall's follow-up period for 差评 in working days: read, or set with `days` (1 to 30,
/// refused naming `days`).
#[tauri::command]
pub fn followup_period(
    state: State<'_, AppState>,
    town: Option<String>,
    days: Option<u32>,
) -> Result<FollowupPeriod, CommandError> {
    let me = authorized(&state, Permission::FollowUp, "差评回访期限")?;
    let town = town_for(&state, &me, town.as_deref(), "差评回访期限")?;
    let at = date::now()?;
    with_store(&state, |s| {
        if let Some(days) = days {
            front::set_followup_days(s, town.as_deref(), days, at)?;
        }
        front::followup_period_of(s, town.as_deref())
            .map(|(town, days)| FollowupPeriod { town, days })
    })
}
