//! The leader's performance report (issue 20): a town's (or, for the county, every town's)
//! figures over a range of days taken in, and the requests behind any one of them. The same
//! names and arguments as the hall server's operations, so that a window on the server sends
//! them there unchanged.

use bianmin_core::accounts::{Account, Permission};
use bianmin_core::date;
use bianmin_core::report::{self, BehindRow, Report, ReportAsk};
use tauri::State;

use super::{authorized, choose_save_path, town_for, with_store, write_whole};
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

/// Which file the report is saved as (field `format`): the A4 PDF or the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Pdf,
    Xlsx,
}

impl Format {
    fn parse(text: &str) -> Result<Format, CommandError> {
        match text.trim() {
            "pdf" => Ok(Format::Pdf),
            "xlsx" => Ok(Format::Xlsx),
            other => Err(bianmin_core::Error::invalid(
                "format",
                format!("“{other}”不是报表的格式：可选 pdf（打印版）或 xlsx（工作簿）"),
            )
            .into()),
        }
    }
}

/// Saves the report of the range as the A4 PDF (`pdf`) or the workbook (`xlsx`) where the leader
/// chooses in the save dialog: the path written, or `None` when the dialog is cancelled. Through
/// the hall server, the server makes the file (`report_pdf`, `report_xlsx`) and checks the role.
#[tauri::command]
pub async fn report_export<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    town: Option<String>,
    from: String,
    to: String,
    format: String,
) -> Result<Option<String>, CommandError> {
    let format = Format::parse(&format)?;
    let (op, what) = match format {
        Format::Pdf => ("report_pdf", "打印办件绩效报表"),
        Format::Xlsx => ("report_xlsx", "导出办件绩效报表"),
    };
    let (name, bytes) = match super::database::hall_link(&state) {
        Some(link) => {
            use base64::Engine;
            let made = link.post(
                op,
                &serde_json::json!({"town": town, "from": from, "to": to}),
            )?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(made["base64"].as_str().unwrap_or_default())
                .map_err(|_| super::failure("unexpected", "大厅服务器发来的报表文件无法读取。"))?;
            (
                made["name"].as_str().unwrap_or("办件绩效报表").to_string(),
                bytes,
            )
        }
        None => {
            let me = authorized(&state, Permission::ViewStaffing, what)?;
            let ask = ask(&state, &me, town.as_deref(), &from, &to, what)?;
            with_store(&state, |s| {
                let report = report::report(s, &ask)?;
                match format {
                    Format::Pdf => {
                        let form = bianmin_core::forms::report_form(s, &report, date::now()?)?;
                        Ok((form.file_name(), form.bytes))
                    }
                    Format::Xlsx => Ok((
                        bianmin_core::report_xlsx::file_name(&report),
                        bianmin_core::report_xlsx::xlsx(&report)?,
                    )),
                }
            })?
        }
    };
    let (title, filter, ext) = match format {
        Format::Pdf => ("保存办件绩效报表", "PDF", "pdf"),
        Format::Xlsx => ("导出 Excel", "Excel", "xlsx"),
    };
    let Some(path) = choose_save_path(&app, title, &name, filter, ext)? else {
        return Ok(None);
    };
    write_whole(&path, &bytes)?;
    Ok(Some(path.display().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_other_than_pdf_or_xlsx_is_refused_naming_the_field() {
        assert_eq!(Format::parse("pdf").unwrap(), Format::Pdf);
        assert_eq!(Format::parse(" xlsx ").unwrap(), Format::Xlsx);
        let e = Format::parse("docx").unwrap_err();
        let text = format!("{e:?}");
        assert!(text.contains("format") && text.contains("docx"), "{text}");
    }
}
