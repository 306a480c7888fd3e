use bianmin_core::authority::{self, Action, Decision};
use bianmin_core::catalog::parse_mode;
use bianmin_core::catalog::service::{self, Filter, ItemDetail, ItemSummary, LetterAlert};
use bianmin_core::date;
use bianmin_core::staff::{self, StaffProfile};
use tauri::State;

use super::{authorized, on_or_today, with_store};
use crate::error::CommandError;
use crate::AppState;
use bianmin_core::accounts::Permission;

/// Searches a town's catalogue by name, code or pinyin initials, with optional filters.
#[tauri::command]
pub fn catalog_search(
    state: State<'_, AppState>,
    town: String,
    query: String,
    mode: Option<String>,
    department: Option<String>,
) -> Result<Vec<ItemSummary>, CommandError> {
    authorized(&state, Permission::ReadCatalog, "查找事项")?;
    let filter = Filter {
        query,
        mode: mode.map(|m| parse_mode("mode", &m)).transpose()?,
        department: department.filter(|d| !d.is_empty()),
    };
    let today = date::today()?;
    with_store(&state, |s| {
        service::find_items(s, Some(&town), &filter, today)
    })
}

#[tauri::command]
pub fn catalog_departments(
    state: State<'_, AppState>,
    town: String,
) -> Result<Vec<String>, CommandError> {
    authorized(&state, Permission::ReadCatalog, "部门列表")?;
    with_store(&state, |s| service::departments(s, Some(&town)))
}

#[tauri::command]
pub fn catalog_item(
    state: State<'_, AppState>,
    town: String,
    code: String,
) -> Result<ItemDetail, CommandError> {
    authorized(&state, Permission::ReadCatalog, "事项详情")?;
    let today = date::today()?;
    with_store(&state, |s| {
        service::item_detail(s, Some(&town), &code, today)
    })
}

/// The staff of a town at work today, with roles and credentials.
#[tauri::command]
pub fn list_staff(
    state: State<'_, AppState>,
    town: String,
) -> Result<Vec<StaffProfile>, CommandError> {
    authorized(&state, Permission::ReadCatalog, "工作人员列表")?;
    let today = date::today()?;
    with_store(&state, |s| staff::staff_list(s, Some(&town), today))
}

/// The authority check: may this person do this action on this item on this date?
#[tauri::command]
pub fn authority(
    state: State<'_, AppState>,
    staff: String,
    item: String,
    action: String,
    on: Option<String>,
) -> Result<Decision, CommandError> {
    authorized(&state, Permission::ReadCatalog, "权限核验")?;
    let action = Action::parse("action", &action)?;
    let on = on_or_today(on)?;
    with_store(&state, |s| authority::check(s, &staff, &item, action, on))
}

#[tauri::command]
pub fn letter_alerts(
    state: State<'_, AppState>,
    town: String,
    on: Option<String>,
) -> Result<Vec<LetterAlert>, CommandError> {
    authorized(&state, Permission::ReadCatalog, "委托书提醒")?;
    let on = on_or_today(on)?;
    with_store(&state, |s| service::letter_alerts(s, Some(&town), on))
}
