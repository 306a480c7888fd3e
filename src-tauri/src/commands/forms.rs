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

use base64::Engine;
use bianmin_core::date;
use bianmin_core::forms::{self, Form, FormAsk};
use bianmin_core::request::record::PrintRecord;
use bianmin_core::staff;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::{acting, authorized, choose_save_path, failure, with_store, write_whole};
use crate::error::CommandError;
use crate::print::{self, Job, PrintError, Printer, Printers, Rasterizer};
use crate::AppState;
use bianmin_core::accounts::{Account, Permission};

impl From<PrintError> for CommandError {
    fn from(e: PrintError) -> Self {
        failure(e.code, e.message)
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Renders the form asked for now, outside any write transaction, if its kind's permission is
/// granted (a clerk prints no staffing report, issue 17 point 8) and it is of a town `me` may
/// read.
fn render(state: &AppState, ask: &FormAsk, me: &Account) -> Result<Form, CommandError> {
    let at = date::now()?;
    authorized(state, ask.target.permission(), "打印表单")?;
    with_store(state, |s| ask.render_for(s, me, at))
}

/// The clerk a print or save is recorded against: chosen, and a known staff number.
/// The staff member a print or save is recorded against: the logged-in account's own, which a
/// `staff` sent by the window must match.
fn checked_staff(
    state: &AppState,
    staff: &str,
    verb: &str,
) -> Result<(Account, String), CommandError> {
    let me = authorized(state, Permission::Print, &format!("{verb}表单"))?;
    let staff = acting(state, &me, staff, verb)?;
    let today = date::today()?;
    with_store(state, |s| staff::find_staff(s, "staff", &staff, today))?;
    Ok((me, staff))
}

// ---- preview ----

#[derive(Debug, Serialize, TS)]
pub struct Preview {
    pub form: Form,
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
    let me = authorized(&state, Permission::Print, "预览表单")?;
    let ask = FormAsk::parse(
        &kind,
        number.as_deref(),
        department.as_deref(),
        town.as_deref(),
        on.as_deref(),
        paper.as_deref(),
    )?;
    let form = render(&state, &ask, &me)?;
    let engine = base64::engine::general_purpose::STANDARD;
    let pages = print::system()
        .1
        .pages(&form.bytes)?
        .into_iter()
        .map(|png| format!("data:image/png;base64,{}", engine.encode(png)))
        .collect();
    Ok(Preview { form, pages })
}

// ---- print ----

#[derive(Debug, Serialize, TS)]
pub struct Printed {
    pub form: Form,
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
    let ask = FormAsk::parse(
        &kind,
        number.as_deref(),
        department.as_deref(),
        town.as_deref(),
        on.as_deref(),
        paper.as_deref(),
    )?;
    // Check the staff number before anything reaches the printer.
    let (me, staff) = checked_staff(&state, &staff, "打印")?;
    let form = render(&state, &ask, &me)?;
    let title = form.file_name();
    let job = Job {
        printer: printer.as_deref(),
        title: title.trim_end_matches(".pdf"),
        media: ask.media(),
    };
    let job = print::system().0.print(&form.bytes, &job)?;
    let route = format!("printer:{}", printer.as_deref().unwrap_or("default"));
    let at = date::now()?;
    let copy = with_store(&state, |s| {
        forms::record_issue(s, &form, Some(&staff), &route, at)
    })?;
    Ok(Printed {
        form,
        copy,
        job,
        printer,
    })
}

// ---- save ----

#[derive(Debug, Serialize, TS)]
pub struct Saved {
    pub form: Form,
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
    let ask = FormAsk::parse(
        &kind,
        number.as_deref(),
        department.as_deref(),
        town.as_deref(),
        on.as_deref(),
        paper.as_deref(),
    )?;
    let (me, staff) = checked_staff(&state, &staff, "保存")?;
    let form = render(&state, &ask, &me)?;
    let Some(path) = choose_save_path(&app, "保存表单", &form.file_name(), "PDF", "pdf")?
    else {
        return Ok(None);
    };
    write_whole(&path, &form.bytes)?;
    let at = date::now()?;
    let copy = with_store(&state, |s| {
        forms::record_issue(s, &form, Some(&staff), "file", at)
    })?;
    Ok(Some(Saved {
        form,
        copy,
        path: path.display().to_string(),
    }))
}

// ---- printers ----

/// The printers there are and the default one; none when the printing service is not running.
#[tauri::command]
pub async fn printers(state: State<'_, AppState>) -> Result<Printers, CommandError> {
    authorized(&state, Permission::Print, "打印机列表")?;
    Ok(print::system().0.printers())
}

// ---- the print log ----

#[derive(Debug, Serialize, TS)]
pub struct IssueEntry {
    #[serde(flatten)]
    pub record: PrintRecord,
    /// The name of the person who printed it, when the staff number is known.
    pub staff_name: Option<String>,
}

/// Every issue of a form, first copy first, with who printed it.
#[tauri::command]
pub fn form_issues(
    state: State<'_, AppState>,
    form_no: String,
) -> Result<Vec<IssueEntry>, CommandError> {
    authorized(&state, Permission::Print, "打印记录")?;
    let today = date::today()?;
    with_store(&state, |s| {
        let records = forms::issues_of(s, &form_no)?;
        let mut out = Vec::with_capacity(records.len());
        for record in records {
            let staff_name = match record.staff_no.as_deref() {
                Some(no) => staff::find_staff(s, "staff", no, today)
                    .ok()
                    .map(|p| p.name),
                None => None,
            };
            out.push(IssueEntry { record, staff_name });
        }
        Ok(out)
    })
}
