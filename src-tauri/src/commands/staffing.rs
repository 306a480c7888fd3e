use bianmin_core::date;
use bianmin_core::staffing::{self, StaffingReport};
use tauri::State;

use super::with_store;
use crate::error::CommandError;
use crate::AppState;

#[tauri::command]
pub fn list_towns(state: State<'_, AppState>) -> Result<Vec<String>, CommandError> {
    with_store(&state, staffing::town_names)
}

/// The staffing report of one town (or all) on a date (`YYYY-MM-DD`; today when absent).
#[tauri::command]
pub fn staffing(
    state: State<'_, AppState>,
    town: Option<String>,
    on: Option<String>,
) -> Result<StaffingReport, CommandError> {
    let on = match on.filter(|s| !s.trim().is_empty()) {
        Some(s) => date::parse_date("on", &s)?,
        None => date::today()?,
    };
    with_store(&state, |s| {
        staffing::staffing_report(s, town.as_deref(), on)
    })
}
