//! The leader's staffing screens: the town's figures, a unit's people, the rota week, demand
//! against staffed counters, and the figures as an .xlsx workbook.

use bianmin_core::counters::{DEFAULT_SERVICE_LEVEL, DEFAULT_TARGET_WAIT_S};
use bianmin_core::demand::{self, DemandReport};
use bianmin_core::staffing::{self, PersonOnDate, RotaWeek, StaffingReport};
use bianmin_core::staffing_xlsx;
use tauri::State;

use super::{authorized, choose_save_path, on_or_today, town_for, with_store, write_whole};
use crate::error::CommandError;
use crate::AppState;
use bianmin_core::accounts::Permission;

#[tauri::command]
/// The towns this account may open: its own, or every town for the county role.
pub fn list_towns(state: State<'_, AppState>) -> Result<Vec<String>, CommandError> {
    let me = authorized(&state, Permission::ReadCatalog, "乡镇列表")?;
    let scope = bianmin_core::accounts::town_scope(&me)?;
    let mut towns = with_store(&state, staffing::town_names)?;
    towns.retain(|t| scope.admits(t));
    Ok(towns)
}

/// The staffing report of one town (or all) on a date (`YYYY-MM-DD`; today when absent).
#[tauri::command]
pub fn staffing(
    state: State<'_, AppState>,
    town: Option<String>,
    on: Option<String>,
) -> Result<StaffingReport, CommandError> {
    let me = authorized(&state, Permission::ViewStaffing, "编制统计")?;
    let town = town_for(&state, &me, town.as_deref(), "编制统计")?;
    let on = on_or_today(on)?;
    with_store(&state, |s| {
        staffing::staffing_report(s, town.as_deref(), on)
    })
}

/// The people of one unit of a town on a date, with their status, hall posts and credentials.
#[tauri::command]
pub fn unit_people(
    state: State<'_, AppState>,
    town: String,
    unit: String,
    on: Option<String>,
) -> Result<Vec<PersonOnDate>, CommandError> {
    let me = authorized(&state, Permission::ViewStaffing, "单位人员")?;
    let town = town_for(&state, &me, Some(&town), "单位人员")?;
    let on = on_or_today(on)?;
    with_store(&state, |s| {
        staffing::unit_people(s, town.as_deref(), &unit, on)
    })
}

/// Who sits at which hall post, Monday to Sunday, in the week holding the date.
#[tauri::command]
pub fn rota_week(
    state: State<'_, AppState>,
    town: String,
    on: Option<String>,
) -> Result<RotaWeek, CommandError> {
    let me = authorized(&state, Permission::ViewStaffing, "窗口排班")?;
    let town = town_for(&state, &me, Some(&town), "窗口排班")?;
    let on = on_or_today(on)?;
    with_store(&state, |s| staffing::rota_week(s, town.as_deref(), on))
}

/// Counters needed per post and hour (Erlang C, from the four weeks before the date) against the
/// counters the rota staffs that day. The target defaults to 80 % served within 15 minutes.
#[tauri::command]
pub fn staffing_demand(
    state: State<'_, AppState>,
    town: String,
    on: Option<String>,
    target_wait_s: Option<f64>,
    service_level: Option<f64>,
) -> Result<DemandReport, CommandError> {
    let me = authorized(&state, Permission::ViewStaffing, "窗口需求")?;
    let town = town_for(&state, &me, Some(&town), "窗口需求")?;
    let on = on_or_today(on)?;
    with_store(&state, |s| {
        demand::demand_report(
            s,
            town.as_deref(),
            on,
            target_wait_s.unwrap_or(DEFAULT_TARGET_WAIT_S),
            service_level.unwrap_or(DEFAULT_SERVICE_LEVEL),
        )
    })
}

/// Writes the town's staffing figures on the date to an .xlsx file chosen in the save dialog.
/// `None` when the leader cancels; the path written otherwise.
#[tauri::command]
pub async fn staffing_export_xlsx<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    town: String,
    on: Option<String>,
) -> Result<Option<String>, CommandError> {
    let (name, bytes) = match super::database::hall_link(&state) {
        // The server checks the role and the town, and makes the workbook.
        Some(link) => {
            use base64::Engine;
            let made = link.post(
                "staffing_xlsx",
                &serde_json::json!({"town": town, "on": on}),
            )?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(made["base64"].as_str().unwrap_or_default())
                .map_err(|_| super::failure("unexpected", "大厅服务器发来的工作簿无法读取。"))?;
            (
                made["name"].as_str().unwrap_or("编制表.xlsx").to_string(),
                bytes,
            )
        }
        None => {
            let me = authorized(&state, Permission::ViewStaffing, "导出编制表")?;
            town_for(&state, &me, Some(&town), "导出编制表")?;
            let on = on_or_today(on)?;
            let report = with_store(&state, |s| staffing::staffing_report(s, Some(&town), on))?;
            let bytes = staffing_xlsx::xlsx(&report)?;
            (staffing_xlsx::file_name(&town, on), bytes)
        }
    };
    let Some(path) = choose_save_path(&app, "导出 Excel", &name, "Excel", "xlsx")? else {
        return Ok(None);
    };
    write_whole(&path, &bytes)?;
    Ok(Some(path.display().to_string()))
}
