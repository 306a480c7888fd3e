use bianmin_core::date;
use bianmin_core::request::{
    self, ListKind, NewRequest, RequestDetail, RequestView, Step, StepFields, StepKind,
};
use tauri::State;

use super::{acting, authorized, authorized_as, town_for, with_store};
use crate::error::CommandError;
use crate::AppState;
use bianmin_core::accounts::{self, Permission};

/// Intake at the counter: the backend decides accepted, incomplete or refused.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub fn request_new(
    state: State<'_, AppState>,
    staff: String,
    item: String,
    name: String,
    id: Option<String>,
    credit_code: Option<String>,
    phone: Option<String>,
    materials: Option<Vec<String>>,
    remark: Option<String>,
    agent_name: Option<String>,
    agent_id: Option<String>,
    agent_relation: Option<String>,
    examine_later: Option<bool>,
    pledge: Option<Vec<String>>,
) -> Result<RequestDetail, CommandError> {
    let me = authorized(&state, Permission::Intake, "受理")?;
    let input = NewRequest {
        staff: acting(&state, &me, &staff, "受理")?,
        item,
        name,
        id: id.filter(|s| !s.trim().is_empty()),
        credit_code: credit_code.filter(|s| !s.trim().is_empty()),
        phone,
        materials,
        remark,
        agent_name,
        agent_id,
        agent_relation,
        examine_later: examine_later.unwrap_or(false),
        pledge,
        idempotency_key: None,
    };
    let now = date::now()?;
    with_store(&state, |s| request::new_request(s, &input, now))
        .map(|d| accounts::detail_for(&me, d))
}

#[tauri::command]
pub fn request_consult(
    state: State<'_, AppState>,
    staff: String,
    item: String,
    name: Option<String>,
) -> Result<RequestDetail, CommandError> {
    let me = authorized(&state, Permission::Intake, "咨询登记")?;
    let staff = acting(&state, &me, &staff, "咨询登记")?;
    let now = date::now()?;
    with_store(&state, |s| {
        request::consult(s, &staff, &item, name.as_deref(), now)
    })
    .map(|d| accounts::detail_for(&me, d))
}

/// Checks an ID number as the clerk leaves the field, and gives what the number says: birth
/// date, age and sex (shown beside it), and the number masked. Nothing is stored or logged.
#[tauri::command]
pub fn identity_check(
    state: State<'_, AppState>,
    id: String,
) -> Result<bianmin_core::identity::IdFacts, CommandError> {
    authorized(&state, Permission::Intake, "核验身份证号")?;
    let today = date::today()?;
    Ok(bianmin_core::identity::IdFacts::of("id", &id, today)?)
}

#[tauri::command]
pub fn request_show(
    state: State<'_, AppState>,
    number: String,
) -> Result<RequestDetail, CommandError> {
    let me = authorized(&state, Permission::ReadRequests, "查看办件")?;
    let today = date::today()?;
    let d = with_store(&state, |s| request::show(s, &number, today))?;
    town_for(&state, &me, Some(&d.view.town), "查看办件")?;
    Ok(accounts::detail_for(&me, d))
}

/// One step on a request; the backend refuses illegal or unauthorised steps.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub fn request_step(
    state: State<'_, AppState>,
    number: String,
    staff: String,
    step: String,
    materials: Option<Vec<String>>,
    reason: Option<String>,
    department: Option<String>,
    due: Option<String>,
    result: Option<String>,
    opinion: Option<String>,
    amount: Option<String>,
    days: Option<String>,
    on: Option<String>,
) -> Result<RequestDetail, CommandError> {
    // The session and the role first: nobody learns what a field should hold without them.
    let kind = StepKind::parse("step", &step)?;
    let me = authorized(&state, accounts::step_permission(kind), "办理步骤")?;
    // As the app always sent them: a blank department or due date is none given.
    let fields = StepFields {
        materials,
        reason,
        department: department.filter(|d| !d.trim().is_empty()),
        due: due.filter(|d| !d.trim().is_empty()),
        result,
        opinion,
        amount,
        days: days.filter(|d| !d.trim().is_empty()),
        on: on.filter(|d| !d.trim().is_empty()),
    };
    let step = Step::parse(kind, fields)?;
    let staff = acting(&state, &me, &staff, "办理步骤")?;
    let now = date::now()?;
    with_store(&state, |s| request::step(s, &number, &staff, &step, now))
        .map(|d| accounts::detail_for(&me, d))
}

#[tauri::command]
pub fn request_search(
    state: State<'_, AppState>,
    town: String,
    query: String,
    background: Option<bool>,
) -> Result<Vec<RequestView>, CommandError> {
    let me = authorized_as(
        &state,
        Permission::ReadRequests,
        "查找办件",
        background.unwrap_or(false),
    )?;
    let town = town_for(&state, &me, Some(&town), "查找办件")?;
    let today = date::today()?;
    with_store(&state, |s| {
        request::search(s, town.as_deref(), &query, today)
    })
    .map(|v| accounts::views_for(&me, v))
}

#[tauri::command]
pub fn request_list(
    state: State<'_, AppState>,
    town: String,
    list: String,
    background: Option<bool>,
) -> Result<request::ListPage, CommandError> {
    let me = authorized_as(
        &state,
        Permission::ReadRequests,
        "办件列表",
        background.unwrap_or(false),
    )?;
    let town = town_for(&state, &me, Some(&town), "办件列表")?;
    let kind = ListKind::parse("list", &list)?;
    let today = date::today()?;
    with_store(&state, |s| {
        request::list_page(s, town.as_deref(), kind, today)
    })
    .map(|mut p| {
        p.rows = accounts::views_for(&me, p.rows);
        p
    })
}

/// The applicant's ID number in full, for a role that needs it; every read is audited.
#[tauri::command]
pub fn request_full_id(state: State<'_, AppState>, number: String) -> Result<String, CommandError> {
    let me = authorized(&state, Permission::ReadRequests, "查看完整证件号码")?;
    let at = date::now()?;
    with_store(&state, |s| accounts::read_full_id(s, &me, &number, at))
}
