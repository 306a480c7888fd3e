//! Printed forms from the app: preview, print, save, the printers and the print log.
//!
//! The core renders every form as PDF (`bianmin_core::forms`) and records each issue; these
//! commands only carry the bytes to the screen, the printer or a file:
//!
//! - Preview: WebKitGTK shows no PDF inline and Tauri has no PDF viewer, so the exact bytes that
//!   would print are rendered to one PNG per page with poppler's `pdftoppm` and sent as data URLs.
//!   What the clerk sees is what prints.
//! - Print: the form is rendered again (so its footer carries the copy number this issue gets),
//!   written to a temporary file and handed to CUPS with `lp`; only when `lp` accepted the job is
//!   the issue recorded (`forms::record_issue`, route `printer:NAME`).
//! - Printers: the CUPS destinations from `lpstat -e` and the default from `lpstat -d`. `lp` and
//!   `lpstat` read `CUPS_SERVER` like any CUPS client, which is how the tests point them at a
//!   throwaway scheduler.
//!
//! Windows (not implemented): the same commands would keep their shapes. Preview would hand the
//! PDF bytes to WebView2, whose built-in PDF viewer (Edge's) shows them inline from a blob URL,
//! so no page images are needed; printing would pass the temporary PDF to the chosen printer
//! with SumatraPDF's `-print-to "NAME" -silent` (shipped beside the app; `-print-to-default`
//! when no printer is chosen), or failing that `ShellExecuteW` with the `printto` verb, and the
//! printer list would come from `EnumPrintersW` (the default from `GetDefaultPrinterW`).
//! Recording the issue after a successful hand-over stays the same.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine;
use bianmin_core::date;
use bianmin_core::forms::{self, Form, FormKind, Paper};
use bianmin_core::request::record::PrintRecord;
use bianmin_core::staff;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::{acting, authorized, choose_save_path, failure, with_store, write_whole};
use crate::error::CommandError;
use crate::AppState;
use bianmin_core::accounts::Permission;

/// The preview's resolution: sharp enough to read an ID number on screen, small enough to send.
const PREVIEW_DPI: &str = "110";

/// Which form: a request's (`number`), a hand-over list (`department`, `on`, `town`) or the
/// staffing report (`town`, `on`). Paper applies to the request forms and the hand-over list.
struct Target {
    kind: FormKind,
    number: Option<String>,
    department: Option<String>,
    town: Option<String>,
    on: Option<String>,
    paper: Option<String>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

impl Target {
    fn new(
        kind: String,
        number: Option<String>,
        department: Option<String>,
        town: Option<String>,
        on: Option<String>,
        paper: Option<String>,
    ) -> Result<Target, CommandError> {
        Ok(Target {
            kind: FormKind::parse("kind", &kind)?,
            number: non_empty(number),
            department: non_empty(department),
            town: non_empty(town),
            on: non_empty(on),
            paper: non_empty(paper),
        })
    }

    /// Renders the form now, outside any write transaction.
    fn render(&self, state: &AppState) -> Result<Form, CommandError> {
        let paper = match &self.paper {
            Some(p) => Paper::parse("paper", p)?,
            None => Paper::A4,
        };
        let on = match &self.on {
            Some(s) => date::parse_date("on", s)?,
            None => date::today()?,
        };
        let at = date::now_datetime()?;
        let town = self.town.as_deref();
        with_store(state, |s| match self.kind {
            FormKind::Receipt | FormKind::Notice | FormKind::Refusal => {
                let number = self.number.as_deref().ok_or_else(|| {
                    bianmin_core::Error::invalid("number", "请指定要打印表单的办件编号")
                })?;
                forms::request_form(s, number, self.kind, paper, at)
            }
            FormKind::Handover => forms::handover_form(
                s,
                town,
                self.department.as_deref().unwrap_or(""),
                on,
                paper,
                at,
            ),
            FormKind::Staffing => forms::staffing_form(s, town, on, at),
        })
    }

    /// The paper name CUPS knows, for `-o media=`.
    fn media(&self) -> &'static str {
        match self
            .paper
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("a5") if self.kind != FormKind::Staffing => "A5",
            _ => "A4",
        }
    }
}

/// Runs a CUPS or poppler tool with untranslated output, so that its messages can be read.
fn run(program: &str, args: &[&OsStr]) -> std::io::Result<Output> {
    Command::new(program)
        .args(args)
        .env("LC_ALL", "C")
        .env("LANG", "C")
        .env("LC_MESSAGES", "C")
        .output()
}

/// Runs a tool the command needs; a missing tool and one that cannot start become the
/// clerk's messages `missing` and `broken` under `code`.
fn run_needed(
    program: &str,
    args: &[&OsStr],
    code: &'static str,
    missing: &str,
    broken: &str,
) -> Result<Output, CommandError> {
    run(program, args).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            failure(code, missing)
        } else {
            eprintln!("bianmin: {program}: {e}");
            failure(code, broken)
        }
    })
}

/// The clerk a print or save is recorded against: chosen, and a known staff number.
/// The staff member a print or save is recorded against: the logged-in account's own, which a
/// `staff` sent by the window must match.
fn checked_staff(state: &AppState, staff: &str, verb: &str) -> Result<String, CommandError> {
    let me = authorized(state, Permission::Print, &format!("{verb}表单"))?;
    let staff = acting(state, &me, staff, verb)?;
    let today = date::today()?;
    with_store(state, |s| staff::find_staff(s, "staff", &staff, today))?;
    Ok(staff)
}

fn temp_dir() -> Result<tempfile::TempDir, CommandError> {
    tempfile::Builder::new()
        .prefix("bianmin-form-")
        .tempdir()
        .map_err(|e| {
            eprintln!("bianmin: temporary folder: {e}");
            failure("temp_failed", "无法创建临时文件夹，请检查磁盘空间后重试。")
        })
}

fn write_pdf(dir: &Path, form: &Form) -> Result<PathBuf, CommandError> {
    let path = dir.join("form.pdf");
    std::fs::write(&path, &form.bytes).map_err(|e| {
        eprintln!("bianmin: writing {}: {e}", path.display());
        failure("temp_failed", "无法写入临时文件，请检查磁盘空间后重试。")
    })?;
    Ok(path)
}

// ---- preview ----

#[derive(Debug, Serialize, TS)]
pub struct Preview {
    pub form: Form,
    /// One `data:image/png;base64,…` per page, first page first.
    pub pages: Vec<String>,
}

/// The page number of a file pdftoppm wrote (`page-3.png`, `page-03.png`).
fn page_number(path: &Path) -> Option<u32> {
    let stem = path.file_stem()?.to_str()?;
    stem.rsplit('-').next()?.parse().ok()
}

/// Renders each page of `pdf` to PNG with pdftoppm and returns them as data URLs.
fn page_images(pdf: &Path, dir: &Path) -> Result<Vec<String>, CommandError> {
    let prefix = dir.join("page");
    let args = [
        OsStr::new("-r"),
        OsStr::new(PREVIEW_DPI),
        OsStr::new("-png"),
        pdf.as_os_str(),
        prefix.as_os_str(),
    ];
    let out = run_needed(
        "pdftoppm",
        &args,
        "preview_unavailable",
        "无法显示打印预览：本机没有安装 pdftoppm（poppler-utils）。请联系管理员安装后重试；表单仍可直接打印。",
        "无法显示打印预览：预览程序无法启动。",
    )?;
    if !out.status.success() {
        eprintln!(
            "bianmin: pdftoppm failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return Err(failure(
            "preview_failed",
            "无法显示打印预览：预览程序未能读取表单。",
        ));
    }
    let mut files: Vec<(u32, PathBuf)> = std::fs::read_dir(dir)
        .map_err(|e| {
            eprintln!("bianmin: reading {}: {e}", dir.display());
            failure("preview_failed", "无法显示打印预览：读取预览图片失败。")
        })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .filter_map(|p| page_number(&p).map(|n| (n, p)))
        .collect();
    files.sort();
    let engine = base64::engine::general_purpose::STANDARD;
    files
        .into_iter()
        .map(|(_, p)| {
            let png = std::fs::read(&p).map_err(|e| {
                eprintln!("bianmin: reading {}: {e}", p.display());
                failure("preview_failed", "无法显示打印预览：读取预览图片失败。")
            })?;
            Ok(format!("data:image/png;base64,{}", engine.encode(png)))
        })
        .collect()
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
    authorized(&state, Permission::Print, "预览表单")?;
    let target = Target::new(kind, number, department, town, on, paper)?;
    let form = target.render(&state)?;
    let dir = temp_dir()?;
    let pdf = write_pdf(dir.path(), &form)?;
    let pages = page_images(&pdf, dir.path())?;
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

/// The job id in lp's answer: "request id is NAME-12 (1 file(s))".
fn job_id(stdout: &str) -> Option<String> {
    let rest = stdout.split("request id is ").nth(1)?;
    rest.split_whitespace().next().map(str::to_string)
}

/// lp's complaint, as a message for the clerk.
fn lp_error(stderr: &str, printer: Option<&str>) -> CommandError {
    let lower = stderr.to_ascii_lowercase();
    let message = if lower.contains("no default destination") {
        "打印失败：没有可用的打印机（本机未设置默认打印机）。请在“打印机”中选择一台，或请管理员添加打印机。".to_string()
    } else if lower.contains("does not exist") || lower.contains("not found") {
        format!(
            "打印失败：找不到打印机“{}”。请重新选择打印机，或请管理员检查打印机设置。",
            printer.unwrap_or("默认打印机")
        )
    } else if lower.contains("not accepting") {
        format!(
            "打印失败：打印机“{}”暂停接收任务。请管理员在打印服务中启用它。",
            printer.unwrap_or("默认打印机")
        )
    } else if lower.contains("connect") || lower.contains("scheduler") {
        "打印失败：无法连接打印服务（CUPS）。请确认打印服务已启动，或请管理员检查。".to_string()
    } else {
        format!(
            "打印失败：打印服务拒绝了任务（{}）。",
            stderr.trim().trim_start_matches("lp: ")
        )
    };
    failure("print_failed", message)
}

/// Sends `pdf` to CUPS with lp; returns the job id.
fn send_to_printer(
    pdf: &Path,
    printer: Option<&str>,
    title: &str,
    media: &str,
) -> Result<String, CommandError> {
    let media = format!("media={media}");
    let mut args: Vec<&OsStr> = Vec::new();
    if let Some(p) = printer {
        args.extend([OsStr::new("-d"), OsStr::new(p)]);
    }
    args.extend([
        OsStr::new("-t"),
        OsStr::new(title),
        OsStr::new("-o"),
        OsStr::new(&media),
        pdf.as_os_str(),
    ]);
    let out = run_needed(
        "lp",
        &args,
        "print_failed",
        "打印失败：本机没有安装打印命令 lp（cups-client）。请联系管理员安装。",
        "打印失败：打印命令无法启动。",
    )?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        eprintln!("bianmin: lp failed: {}", stderr.trim());
        return Err(lp_error(&stderr, printer));
    }
    job_id(&stdout).ok_or_else(|| {
        eprintln!("bianmin: lp answered without a job id: {stdout} {stderr}");
        failure(
            "print_failed",
            "打印结果不明：打印服务没有返回任务编号，请到打印机处查看是否已打印。",
        )
    })
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
    let target = Target::new(kind, number, department, town, on, paper)?;
    // Check the staff number before anything reaches the printer.
    let staff = checked_staff(&state, &staff, "打印")?;
    let form = target.render(&state)?;
    let dir = temp_dir()?;
    let pdf = write_pdf(dir.path(), &form)?;
    let title = form.file_name();
    let title = title.trim_end_matches(".pdf");
    let job = send_to_printer(&pdf, printer.as_deref(), title, target.media())?;
    let route = format!("printer:{}", printer.as_deref().unwrap_or("default"));
    let at = date::now()?;
    let copy = with_store(&state, |s| {
        forms::record_issue(s, &form, Some(&staff), &route, &at)
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
pub async fn form_save(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    kind: String,
    number: Option<String>,
    department: Option<String>,
    town: Option<String>,
    on: Option<String>,
    paper: Option<String>,
    staff: String,
) -> Result<Option<Saved>, CommandError> {
    let target = Target::new(kind, number, department, town, on, paper)?;
    let staff = checked_staff(&state, &staff, "保存")?;
    let form = target.render(&state)?;
    let Some(path) = choose_save_path(&app, "保存表单", &form.file_name(), "PDF", "pdf")?
    else {
        return Ok(None);
    };
    write_whole(&path, &form.bytes)?;
    let at = date::now()?;
    let copy = with_store(&state, |s| {
        forms::record_issue(s, &form, Some(&staff), "file", &at)
    })?;
    Ok(Some(Saved {
        form,
        copy,
        path: path.display().to_string(),
    }))
}

// ---- printers ----

#[derive(Debug, Serialize, TS)]
pub struct Printers {
    /// CUPS destinations, in lpstat's order; empty when there are none or CUPS is not running.
    pub printers: Vec<String>,
    /// The system default destination, if one is set.
    pub default: Option<String>,
}

#[tauri::command]
pub async fn printers(state: State<'_, AppState>) -> Result<Printers, CommandError> {
    authorized(&state, Permission::Print, "打印机列表")?;
    let printers = match run("lpstat", &[OsStr::new("-e")]) {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    let default = match run("lpstat", &[OsStr::new("-d")]) {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout)
            .lines()
            .find_map(|l| l.split_once("system default destination:"))
            .map(|(_, name)| name.trim().to_string())
            .filter(|n| !n.is_empty()),
        _ => None,
    };
    Ok(Printers { printers, default })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_job_id_from_lp() {
        assert_eq!(
            job_id("request id is bianmin-test-12 (1 file(s))\n").as_deref(),
            Some("bianmin-test-12")
        );
        assert_eq!(job_id(""), None);
    }

    #[test]
    fn lp_errors_become_chinese_messages() {
        let e = lp_error("lp: Error - No default destination.", None);
        assert_eq!(e.code, "print_failed");
        assert!(e.message.starts_with("打印失败：没有可用的打印机"));
        let e = lp_error(
            "lp: The printer or class does not exist.",
            Some("front-desk"),
        );
        assert!(e.message.contains("front-desk"), "{}", e.message);
    }

    #[test]
    fn orders_pages_by_number() {
        assert_eq!(page_number(Path::new("/tmp/x/page-03.png")), Some(3));
        assert_eq!(page_number(Path::new("/tmp/x/page-12.png")), Some(12));
    }
}
