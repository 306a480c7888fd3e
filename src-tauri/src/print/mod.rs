//! Printing and page images, behind two small traits so that the commands do not care which
//! system does the work:
//!
//! - [`Printer`]: the printers there are, and handing a PDF to one of them
//!   ([`cups::Cups`]: `lp` and `lpstat`, which read `CUPS_SERVER` like any CUPS client; that is
//!   how the tests point them at a throwaway scheduler).
//! - [`Rasterizer`]: one PNG per page of a PDF, for the preview ([`poppler::Poppler`]:
//!   `pdftoppm`). WebKitGTK shows no PDF inline and Tauri has no PDF viewer, so the exact bytes
//!   that would print are shown as images: what the clerk sees is what prints.
//!
//! Errors are [`PrintError`]s: a stable code and a Chinese message for the clerk (the tools'
//! own output goes to the log). The commands turn them into their `{code, message}`.
//!
//! Windows (not implemented): the same traits would take other implementations. Preview would
//! hand the PDF bytes to WebView2, whose built-in PDF viewer (Edge's) shows them inline from a
//! blob URL, so no page images are needed; printing would pass the temporary PDF to the chosen
//! printer with SumatraPDF's `-print-to "NAME" -silent` (shipped beside the app;
//! `-print-to-default` when no printer is chosen), or failing that `ShellExecuteW` with the
//! `printto` verb, and the printer list would come from `EnumPrintersW` (the default from
//! `GetDefaultPrinterW`). Recording the issue after a successful hand-over stays the same.

pub mod cups;
pub mod poppler;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::Serialize;

/// Why printing or a preview failed: `code` for the window, `message` in Chinese for the clerk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintError {
    pub code: &'static str,
    pub message: String,
}

pub(crate) fn fail(code: &'static str, message: impl Into<String>) -> PrintError {
    PrintError {
        code,
        message: message.into(),
    }
}

/// The printers there are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Printers {
    /// The destinations, in the system's order; empty when there are none or the printing
    /// service is not running.
    pub printers: Vec<String>,
    /// The system default destination, if one is set.
    pub default: Option<String>,
}

/// One print job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job<'a> {
    /// `None`: the system's default printer.
    pub printer: Option<&'a str>,
    /// The job's title in the printer queue.
    pub title: &'a str,
    /// The paper, as the printing system names it (`A4`, `A5`).
    pub media: &'a str,
}

/// Where PDFs are printed.
pub trait Printer {
    /// The printers there are; never fails (no service: none).
    fn printers(&self) -> Printers;
    /// Hands `pdf` to the printer; returns the job's id once the printing system accepted it.
    fn print(&self, pdf: &[u8], job: &Job) -> Result<String, PrintError>;
}

/// What turns a PDF into page images.
pub trait Rasterizer {
    /// One PNG per page of `pdf`, first page first.
    fn pages(&self, pdf: &[u8]) -> Result<Vec<Vec<u8>>, PrintError>;
}

/// The implementations of this system: CUPS and poppler.
pub fn system() -> (cups::Cups, poppler::Poppler) {
    (cups::Cups::default(), poppler::Poppler::default())
}

/// Runs a CUPS or poppler tool with untranslated output, so that its messages can be read.
fn run(program: &Path, args: &[&OsStr]) -> std::io::Result<Output> {
    Command::new(program)
        .args(args)
        .env("LC_ALL", "C")
        .env("LANG", "C")
        .env("LC_MESSAGES", "C")
        .output()
}

/// Runs a tool the action needs; a missing tool and one that cannot start become the clerk's
/// messages `missing` and `broken` under `code`.
fn run_needed(
    program: &Path,
    args: &[&OsStr],
    code: &'static str,
    missing: &str,
    broken: &str,
) -> Result<Output, PrintError> {
    run(program, args).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            fail(code, missing)
        } else {
            eprintln!("bianmin: {}: {e}", program.display());
            fail(code, broken)
        }
    })
}

/// A temporary folder holding `pdf` as `form.pdf`; removed when dropped.
fn pdf_in_temp_dir(pdf: &[u8]) -> Result<(tempfile::TempDir, PathBuf), PrintError> {
    let dir = tempfile::Builder::new()
        .prefix("bianmin-form-")
        .tempdir()
        .map_err(|e| {
            eprintln!("bianmin: temporary folder: {e}");
            fail("temp_failed", "无法创建临时文件夹，请检查磁盘空间后重试。")
        })?;
    let path = dir.path().join("form.pdf");
    bianmin_core::files::write_whole(&path, pdf).map_err(|e| {
        eprintln!("bianmin: writing {}: {e}", path.display());
        fail("temp_failed", "无法写入临时文件，请检查磁盘空间后重试。")
    })?;
    Ok((dir, path))
}

#[cfg(test)]
pub(crate) mod fake {
    //! Stand-ins for the tools, written as shell scripts into a temporary folder.

    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, MutexGuard};

    /// Held by each test that runs a fake tool: a script being written while another test's
    /// child process is between fork and exec would make that script "text file busy".
    pub fn serial() -> MutexGuard<'static, ()> {
        static LOCK: Mutex<()> = Mutex::new(());
        LOCK.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// An executable script `name` in `dir` running `body` (POSIX sh).
    pub fn tool(dir: &Path, name: &str, body: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        path
    }
}
