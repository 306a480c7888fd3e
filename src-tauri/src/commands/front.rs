//! The hall's front at the counter (issue 19): taking a ticket for a resident who walked
//! straight to the desk, calling the next, 重呼, 过号, 办结 and 转窗口, the day's queue figures,
//! ratings and the follow-up of a 差评. The same names and arguments as the hall server's
//! operations; the rules are the core's (`bianmin_core::front`).

use bianmin_core::accounts::Permission;
use bianmin_core::date;
use bianmin_core::front::{self, Called, FollowupStep, QueueStats, RatingView, Taken, TicketView};
use tauri::State;

use super::{authorized, on_or_today, town_for, with_store};
use crate::error::CommandError;
use crate::AppState;

/// The staff member `me` acts as: their own, which a `staff` sent by the window must match.
fn own(
    state: &AppState,
    me: &bianmin_core::accounts::Account,
    staff: Option<&str>,
    what: &str,
) -> Result<String, CommandError> {
    let at = date::now()?;
    with_store(state, |s| {
        bianmin_core::accounts::act_as(s, me, staff.filter(|n| !n.trim().is_empty()), what, at)
    })
}

/// 取号 at the counter.
#[tauri::command]
pub fn queue_take(
    state: State<'_, AppState>,
    town: Option<String>,
    post: String,
    priority: Option<String>,
) -> Result<Taken, CommandError> {
    let me = authorized(&state, Permission::Intake, "取号")?;
    let town = town_for(&state, &me, town.as_deref(), "取号")?;
    let at = date::now()?;
    with_store(&state, |s| {
        front::take(s, town.as_deref(), &post, priority.as_deref(), at)
    })
}

/// 叫号: finishes the ticket this counter served and calls the next.
#[tauri::command]
pub fn queue_call(
    state: State<'_, AppState>,
    staff: Option<String>,
) -> Result<Called, CommandError> {
    let me = authorized(&state, Permission::Intake, "叫号")?;
    let staff = own(&state, &me, staff.as_deref(), "叫号")?;
    let at = date::now()?;
    with_store(&state, |s| front::call_next(s, &staff, at))
}

/// 办结 (linking `request`), 过号, 重呼 or 转窗口 (to `post`) of the ticket being served.
#[tauri::command]
pub fn queue_done(
    state: State<'_, AppState>,
    staff: Option<String>,
    what: String,
    request: Option<String>,
    post: Option<String>,
) -> Result<TicketView, CommandError> {
    let me = authorized(&state, Permission::Intake, "办结或过号")?;
    let staff = own(&state, &me, staff.as_deref(), "办结或过号")?;
    let at = date::now()?;
    let done = match what.as_str() {
        "finish" => front::Done::Finish,
        "skip" => front::Done::Skip,
        "recall" => front::Done::Recall,
        "transfer" => {
            let post = post.unwrap_or_default();
            return with_store(&state, |s| front::transfer(s, &staff, &post, at));
        }
        other => {
            return Err(bianmin_core::Error::invalid(
                "what",
                format!("“{other}”不是 finish、skip、recall 或 transfer"),
            )
            .into())
        }
    };
    with_store(&state, |s| {
        front::done(s, &staff, done, request.as_deref(), at)
    })
}

/// 过号重排.
#[tauri::command]
pub fn queue_return(
    state: State<'_, AppState>,
    town: Option<String>,
    ticket: String,
) -> Result<TicketView, CommandError> {
    let me = authorized(&state, Permission::Intake, "过号重排")?;
    let town = town_for(&state, &me, town.as_deref(), "过号重排")?;
    let at = date::now()?;
    with_store(&state, |s| {
        front::return_skipped(s, town.as_deref(), &ticket, at)
    })
}

/// The day's queue figures.
#[tauri::command]
pub fn queue_stats(
    state: State<'_, AppState>,
    town: Option<String>,
    on: Option<String>,
) -> Result<QueueStats, CommandError> {
    let me = authorized(&state, Permission::ReadRequests, "排队统计")?;
    let town = town_for(&state, &me, town.as_deref(), "排队统计")?;
    let on = on_or_today(on)?;
    with_store(&state, |s| front::stats(s, town.as_deref(), on))
}

/// A resident's rating of a request (一事一评).
#[tauri::command]
pub fn rating_add(
    state: State<'_, AppState>,
    request: String,
    grade: String,
    reason: Option<String>,
    comment: Option<String>,
) -> Result<RatingView, CommandError> {
    let me = authorized(&state, Permission::Intake, "好差评")?;
    let grade = front::parse_grade(&grade)?;
    let today = date::today()?;
    let shown = with_store(&state, |s| bianmin_core::request::show(s, &request, today))?;
    town_for(&state, &me, Some(&shown.view.town), "好差评")?;
    let at = date::now()?;
    with_store(&state, |s| {
        front::rate(
            s,
            &request,
            grade,
            reason.as_deref(),
            comment.as_deref(),
            at,
        )
    })
}

/// Ratings of the account's towns; `bad`: the 差评 with their follow-ups.
#[tauri::command]
pub fn rating_list(
    state: State<'_, AppState>,
    town: Option<String>,
    bad: Option<bool>,
) -> Result<Vec<RatingView>, CommandError> {
    let me = authorized(&state, Permission::ReadRequests, "查看评价")?;
    let town = town_for(&state, &me, town.as_deref(), "查看评价")?;
    let today = date::today()?;
    with_store(&state, |s| {
        front::ratings(s, town.as_deref(), bad.unwrap_or(false), today)
    })
}

/// A step of a 差评's follow-up, by the caller as their own staff member.
#[tauri::command]
pub fn followup_step(
    state: State<'_, AppState>,
    id: i64,
    staff: Option<String>,
    step: String,
    result: Option<String>,
) -> Result<RatingView, CommandError> {
    let me = authorized(&state, Permission::FollowUp, "差评回访")?;
    let step = match step.as_str() {
        "contacted" => FollowupStep::Contacted,
        "verified" => FollowupStep::Verified,
        "fixed" => FollowupStep::Fixed,
        "closed" => FollowupStep::Close,
        other => {
            return Err(
                bianmin_core::Error::invalid("step", format!("未知的回访步骤“{other}”")).into(),
            )
        }
    };
    let staff = own(&state, &me, staff.as_deref(), "差评回访")?;
    let at = date::now()?;
    with_store(&state, |s| {
        front::followup(s, id, step, &staff, result.as_deref(), at)
    })
}
