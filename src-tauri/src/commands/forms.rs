//! Printed forms from the app: preview, print, save, the printers and the print log.
//!
//! The core renders every form as PDF (`bianmin_core::forms`) and records each issue; these
//! commands only carry the bytes to the screen, the printer or a file, through `crate::print`:
//!
//! - Preview: the exact bytes that would print, as one PNG per page (a [`Rasterizer`]), sent as
//!   data URLs. What the clerk sees is what prints.
//! - Print: the form is rendered again (so its footer carries the copy number this issue gets)
//!   and handed to the [`Printer`]; only when it accepted the job is the issue recorded
//!   (`forms::record_issue`, route `printer:NAME`).
//! - Save: the native save dialog, then the issue recorded with route `file`.

use std::sync::Arc;

use base64::Engine;
use bianmin_core::date;
use bianmin_core::forms::{self, Form, FormAsk};
use bianmin_core::staff;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::{acting, authorized, choose_save_path, failure, with_store, write_whole};
use crate::error::CommandError;
use crate::hall::HallLink;
use crate::print::{self, Job, PrintError, Printer, Printers, Rasterizer};
use crate::AppState;
use bianmin_core::accounts::{Account, Permission};
use serde_json::{json, Value};

use super::database::hall_link;

impl From<PrintError> for CommandError {
    fn from(e: PrintError) -> Self {
        failure(e.code, e.message)
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The form the window asked for, as it sent it.
struct Asked {
    kind: String,
    number: Option<String>,
    department: Option<String>,
    town: Option<String>,
    on: Option<String>,
    paper: Option<String>,
}

impl Asked {
    fn ask(&self) -> Result<FormAsk, CommandError> {
        Ok(FormAsk::parse(
            &self.kind,
            self.number.as_deref(),
            self.department.as_deref(),
            self.town.as_deref(),
            self.on.as_deref(),
            self.paper.as_deref(),
        )?)
    }

    /// The arguments of the server's form operations.
    fn json(&self) -> Value {
        json!({"kind": self.kind, "number": self.number, "department": self.department,
               "town": self.town, "on": self.on, "paper": self.paper})
    }
}

/// Where a form is made: this PC's database (with the account at the window), or the hall
/// server, which checks the session and renders.
enum Via {
    Local(Account),
    Hall(Arc<HallLink>),
}

/// A rendered form: what the window is told of it, its bytes, and how it prints.
struct Made {
    form: Value,
    bytes: Vec<u8>,
    file_name: String,
    media: &'static str,
    /// The core's form, when made here (what the issue record is made of).
    local: Option<Form>,
}

/// Where this window's forms are made, once `verb` (预览, 打印, 保存) is allowed.
fn via(state: &AppState, verb: &str) -> Result<Via, CommandError> {
    match hall_link(state) {
        Some(link) => Ok(Via::Hall(link)),
        None => Ok(Via::Local(authorized(
            state,
            Permission::Print,
            &format!("{verb}表单"),
        )?)),
    }
}

/// Renders the form asked for now, outside any write transaction, if its kind's permission is
/// granted (a clerk prints no staffing report, issue 17 point 8) and it is of a town the
/// account may read: here, or by the hall server, which checks the same.
fn make(state: &AppState, asked: &Asked, via: &Via) -> Result<Made, CommandError> {
    match via {
        Via::Local(me) => {
            let ask = asked.ask()?;
            let at = date::now()?;
            authorized(state, ask.target.permission(), "打印表单")?;
            let form = with_store(state, |s| ask.render_for(s, me, at))?;
            Ok(Made {
                form: serde_json::to_value(&form).unwrap_or_default(),
                bytes: form.bytes.clone(),
                file_name: form.file_name(),
                media: ask.media(),
                local: Some(form),
            })
        }
        Via::Hall(link) => {
            let answer = link.post("form_render", &asked.json())?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(answer["pdf"].as_str().unwrap_or_default())
                .map_err(|_| failure("unexpected", "大厅服务器发来的表单无法读取。"))?;
            let form = answer["form"].clone();
            Ok(Made {
                file_name: format!(
                    "{}-{}.pdf",
                    form["kind_label"].as_str().unwrap_or("表单"),
                    form["form_no"].as_str().unwrap_or_default()
                ),
                media: if answer["media"] == "A5" { "A5" } else { "A4" },
                form,
                bytes,
                local: None,
            })
        }
    }
}

/// The staff member a print or save is recorded against: the logged-in account's own, which a
/// `staff` sent by the window must match, and a known staff number (on the hall server, the
/// server checks the same when the copy is recorded).
fn checked_staff(
    state: &AppState,
    via: &Via,
    staff: &str,
    verb: &str,
) -> Result<String, CommandError> {
    let Via::Local(me) = via else {
        return Ok(staff.to_string());
    };
    let staff = acting(state, me, staff, verb)?;
    let today = date::today()?;
    with_store(state, |s| staff::find_staff(s, "staff", &staff, today))?;
    Ok(staff)
}

/// Records an issue of the form (route `file` or `printer:NAME`): its copy number.
fn record(
    state: &AppState,
    via: &Via,
    asked: &Asked,
    made: &Made,
    staff: &str,
    route: &str,
) -> Result<u32, CommandError> {
    match (via, &made.local) {
        (Via::Local(_), Some(form)) => {
            let at = date::now()?;
            with_store(state, |s| {
                forms::record_issue(s, form, Some(staff), route, at)
            })
        }
        (Via::Hall(link), _) => {
            let mut args = asked.json();
            args["staff"] = json!(staff);
            args["route"] = json!(route);
            let copy = link.post("form_record", &args)?;
            Ok(copy.as_u64().unwrap_or(0) as u32)
        }
        (Via::Local(_), None) => Err(failure("unexpected", "表单没有生成。")),
    }
}

// ---- preview ----

#[derive(Debug, Serialize, TS)]
pub struct Preview {
    #[ts(type = "Form")]
    pub form: Value,
    /// One `data:image/png;base64,…` per page, first page first.
    pub pages: Vec<String>,
}

/// The form as it would print now, with an image of each page.
#[tauri::command]
pub async fn form_preview(
    state: State<'_, AppState>,
    kind: String,
    number: Option<String>,
    department: Option<String>,
    town: Option<String>,
    on: Option<String>,
    paper: Option<String>,
) -> Result<Preview, CommandError> {
    let via = via(&state, "预览")?;
    let asked = Asked {
        kind,
        number,
        department,
        town,
        on,
        paper,
    };
    let made = make(&state, &asked, &via)?;
    let engine = base64::engine::general_purpose::STANDARD;
    let pages = print::system()
        .1
        .pages(&made.bytes)?
        .into_iter()
        .map(|png| format!("data:image/png;base64,{}", engine.encode(png)))
        .collect();
    Ok(Preview {
        form: made.form,
        pages,
    })
}

// ---- print ----

#[derive(Debug, Serialize, TS)]
pub struct Printed {
    #[ts(type = "Form")]
    pub form: Value,
    /// Which issue of the form this was: 1, or 2 and up for a reprint (补打).
    pub copy: u32,
    /// The CUPS job, e.g. `bianmin-test-12`.
    pub job: String,
    /// The printer it went to; `None` when CUPS chose its default.
    pub printer: Option<String>,
}

/// Prints the form on `printer` (or the default one) and records the issue against `staff`.
/// Nothing is recorded when the printer service refuses the job.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn form_print(
    state: State<'_, AppState>,
    kind: String,
    number: Option<String>,
    department: Option<String>,
    town: Option<String>,
    on: Option<String>,
    paper: Option<String>,
    printer: Option<String>,
    staff: String,
) -> Result<Printed, CommandError> {
    let printer = non_empty(printer);
    let asked = Asked {
        kind,
        number,
        department,
        town,
        on,
        paper,
    };
    asked.ask()?;
    let via = via(&state, "打印")?;
    // Check the staff number before anything reaches the printer.
    let staff = checked_staff(&state, &via, &staff, "打印")?;
    let made = make(&state, &asked, &via)?;
    let job = Job {
        printer: printer.as_deref(),
        title: made.file_name.trim_end_matches(".pdf"),
        media: made.media,
    };
    let job = print::system().0.print(&made.bytes, &job)?;
    let route = format!("printer:{}", printer.as_deref().unwrap_or("default"));
    let copy = record(&state, &via, &asked, &made, &staff, &route)?;
    Ok(Printed {
        form: made.form,
        copy,
        job,
        printer,
    })
}

// ---- save ----

#[derive(Debug, Serialize, TS)]
pub struct Saved {
    #[ts(type = "Form")]
    pub form: Value,
    pub copy: u32,
    /// Where the file was written.
    pub path: String,
}

/// Writes the form to a PDF file the clerk chooses in the system's save dialog, and records the
/// issue (route `file`). `None` when the clerk cancels the dialog: nothing is written then.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn form_save<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    kind: String,
    number: Option<String>,
    department: Option<String>,
    town: Option<String>,
    on: Option<String>,
    paper: Option<String>,
    staff: String,
) -> Result<Option<Saved>, CommandError> {
    let asked = Asked {
        kind,
        number,
        department,
        town,
        on,
        paper,
    };
    asked.ask()?;
    let via = via(&state, "保存")?;
    let staff = checked_staff(&state, &via, &staff, "保存")?;
    let made = make(&state, &asked, &via)?;
    let Some(path) = choose_save_path(&app, "保存表单", &made.file_name, "PDF", "pdf")? else {
        return Ok(None);
    };
    write_whole(&path, &made.bytes)?;
    let copy = record(&state, &via, &asked, &made, &staff, "file")?;
    Ok(Some(Saved {
        form: made.form,
        copy,
        path: path.display().to_string(),
    }))
}

// ---- printers ----

/// The printers there are and the default one; none when the printing service is not running.
#[tauri::command]
pub async fn printers(state: State<'_, AppState>) -> Result<Printers, CommandError> {
    match hall_link(&state) {
        Some(link) => {
            if !link.can(Permission::Print)? {
                return Err(failure("forbidden", "当前账号的角色不允许打印。"));
            }
        }
        None => {
            authorized(&state, Permission::Print, "打印机列表")?;
        }
    }
    Ok(print::system().0.printers())
}

// ---- the print log ----

/// Every issue of a form, first copy first, with who printed it.
#[tauri::command]
pub fn form_issues(
    state: State<'_, AppState>,
    form_no: String,
) -> Result<Vec<forms::IssueEntry>, CommandError> {
    authorized(&state, Permission::Print, "打印记录")?;
    let today = date::today()?;
    with_store(&state, |s| forms::issues_named(s, &form_no, today))
}
