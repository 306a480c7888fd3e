//! The leader's performance report (issue 20): a town's (or, for the county, every town's)
//! figures over a range of days taken in, and the requests behind any one of them. The same
//! names and arguments as the hall server's operations, so that a window on the server sends
//! them there unchanged.

use bianmin_core::accounts::{Account, Permission};
use bianmin_core::date;
use bianmin_core::report::{self, BehindRow, Report, ReportAsk};
use tauri::State;

use super::{authorized, town_for, with_store};
use crate::error::CommandError;
use crate::AppState;

/// The range (`YYYY-MM-DD`, fields `from` and `to`) and the town the account may read, counted
/// on today in Beijing.
fn ask(
    state: &AppState,
    me: &Account,
    town: Option<&str>,
    from: &str,
    to: &str,
    what: &str,
) -> Result<ReportAsk, CommandError> {
    let from = date::parse_date("from", from)?;
    let to = date::parse_date("to", to)?;
    let town = town_for(state, me, town, what)?;
    Ok(ReportAsk::new(town, from, to, date::today()?)?)
}

/// 办件绩效报表: the figures of requests taken in from `from` to `to`, with their rates, by
/// department, post, clerk, item, week (and town for the county), 好差评 and each post's staffing.
#[tauri::command]
pub fn report(
    state: State<'_, AppState>,
    town: Option<String>,
    from: String,
    to: String,
) -> Result<Report, CommandError> {
    let what = "办件绩效报表";
    let me = authorized(&state, Permission::ViewStaffing, what)?;
    let ask = ask(&state, &me, town.as_deref(), &from, &to, what)?;
    with_store(&state, |s| report::report(s, &ask))
}

/// The requests a figure of the report counts (within one group when `dimension` and `key` are
/// given): as many as the figure says.
#[tauri::command]
pub fn report_requests(
    state: State<'_, AppState>,
    town: Option<String>,
    from: String,
    to: String,
    figure: String,
    dimension: Option<String>,
    key: Option<String>,
) -> Result<Vec<BehindRow>, CommandError> {
    let what = "办件绩效明细";
    let me = authorized(&state, Permission::ViewStaffing, what)?;
    let ask = ask(&state, &me, town.as_deref(), &from, &to, what)?;
    let group = match (dimension.as_deref(), key.as_deref()) {
        (Some(d), Some(k)) => Some((d, k)),
        _ => None,
    };
    with_store(&state, |s| report::requests_behind(s, &ask, &figure, group))
}
