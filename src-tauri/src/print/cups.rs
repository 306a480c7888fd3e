//! [`Printer`] through CUPS: `lp` prints, `lpstat` lists the destinations and the default.

use std::ffi::OsStr;
use std::path::PathBuf;

use super::{fail, pdf_in_temp_dir, run, run_needed, Job, PrintError, Printer, Printers};

/// The CUPS client programs (by default `lp` and `lpstat` from the `PATH`).
#[derive(Debug, Clone)]
pub struct Cups {
    pub lp: PathBuf,
    pub lpstat: PathBuf,
}

impl Default for Cups {
    fn default() -> Self {
        Cups {
            lp: "lp".into(),
            lpstat: "lpstat".into(),
        }
    }
}

impl Printer for Cups {
    fn printers(&self) -> Printers {
        let printers = match run(&self.lpstat, &[OsStr::new("-e")]) {
            Ok(out) if out.status.success() => destinations(&String::from_utf8_lossy(&out.stdout)),
            _ => Vec::new(),
        };
        let default = match run(&self.lpstat, &[OsStr::new("-d")]) {
            Ok(out) if out.status.success() => {
                default_destination(&String::from_utf8_lossy(&out.stdout))
            }
            _ => None,
        };
        Printers { printers, default }
    }

    fn print(&self, pdf: &[u8], job: &Job) -> Result<String, PrintError> {
        let (_dir, path) = pdf_in_temp_dir(pdf)?;
        let media = format!("media={}", job.media);
        let mut args: Vec<&OsStr> = Vec::new();
        if let Some(p) = job.printer {
            args.extend([OsStr::new("-d"), OsStr::new(p)]);
        }
        args.extend([
            OsStr::new("-t"),
            OsStr::new(job.title),
            OsStr::new("-o"),
            OsStr::new(&media),
            path.as_os_str(),
        ]);
        let out = run_needed(
            &self.lp,
            &args,
            "print_failed",
            "打印失败：本机没有安装打印命令 lp（cups-client）。请联系管理员安装。",
            "打印失败：打印命令无法启动。",
        )?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() {
            eprintln!("bianmin: lp failed: {}", stderr.trim());
            return Err(lp_error(&stderr, job.printer));
        }
        job_id(&stdout).ok_or_else(|| {
            eprintln!("bianmin: lp answered without a job id: {stdout} {stderr}");
            fail(
                "print_failed",
                "打印结果不明：打印服务没有返回任务编号，请到打印机处查看是否已打印。",
            )
        })
    }
}

/// The destinations `lpstat -e` lists, one a line.
fn destinations(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The default in `lpstat -d`'s answer: "system default destination: NAME".
fn default_destination(stdout: &str) -> Option<String> {
    stdout
        .lines()
        .find_map(|l| l.split_once("system default destination:"))
        .map(|(_, name)| name.trim().to_string())
        .filter(|n| !n.is_empty())
}

/// The job id in lp's answer: "request id is NAME-12 (1 file(s))".
fn job_id(stdout: &str) -> Option<String> {
    let rest = stdout.split("request id is ").nth(1)?;
    rest.split_whitespace().next().map(str::to_string)
}

/// lp's complaint, as a message for the clerk.
fn lp_error(stderr: &str, printer: Option<&str>) -> PrintError {
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
    fail("print_failed", message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::fake::{serial, tool};

    const JOB: Job = Job {
        printer: Some("front-desk"),
        title: "受理回执-DF-20261128-0001",
        media: "A5",
    };

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
        let e = lp_error("lp: Destination \"x\" is not accepting jobs.", None);
        assert!(e.message.contains("默认打印机") && e.message.contains("暂停"));
        let e = lp_error("lp: Unable to connect to server", None);
        assert!(e.message.contains("CUPS"), "{}", e.message);
        let e = lp_error("lp: something else\n", None);
        assert_eq!(
            e.message,
            "打印失败：打印服务拒绝了任务（something else）。"
        );
    }

    #[test]
    fn reads_lpstat() {
        assert_eq!(destinations("a\n  \nb \n"), ["a", "b"]);
        assert_eq!(
            default_destination("system default destination: front-desk\n").as_deref(),
            Some("front-desk")
        );
        assert_eq!(default_destination("no system default destination\n"), None);
    }

    #[test]
    fn hands_the_pdf_to_lp_with_printer_title_and_paper() {
        let _serial = serial();
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("args");
        let lp = tool(
            dir.path(),
            "lp",
            &format!(
                "for a in \"$@\"; do echo \"$a\"; done > '{}'\neval last=\\${{$#}}\ncat \"$last\" >> '{}'\necho 'request id is front-desk-7 (1 file(s))'",
                log.display(),
                log.display()
            ),
        );
        let cups = Cups {
            lp,
            lpstat: "/nonexistent/lpstat".into(),
        };
        assert_eq!(cups.print(b"%PDF-1.7 x", &JOB).unwrap(), "front-desk-7");
        let args = std::fs::read_to_string(&log).unwrap();
        let lines: Vec<&str> = args.lines().collect();
        assert_eq!(
            lines[..6],
            [
                "-d",
                "front-desk",
                "-t",
                "受理回执-DF-20261128-0001",
                "-o",
                "media=A5"
            ]
        );
        assert!(lines[6].ends_with("form.pdf"), "{args}");
        assert_eq!(lines[7], "%PDF-1.7 x");
        // No printer named: CUPS's default, no -d.
        let job = Job {
            printer: None,
            ..JOB
        };
        cups.print(b"%PDF", &job).unwrap();
        assert!(std::fs::read_to_string(&log).unwrap().starts_with("-t\n"));
    }

    #[test]
    fn a_refused_or_unanswered_job_and_a_missing_lp_are_told_apart() {
        let _serial = serial();
        let dir = tempfile::tempdir().unwrap();
        let refusing = tool(
            dir.path(),
            "lp-refuses",
            "echo 'lp: The printer or class does not exist.' >&2\nexit 1",
        );
        let silent = tool(dir.path(), "lp-silent", "exit 0");
        let cups = |lp: PathBuf| Cups {
            lp,
            lpstat: "/nonexistent/lpstat".into(),
        };
        let e = cups(refusing).print(b"%PDF", &JOB).unwrap_err();
        assert!(e.message.contains("找不到打印机“front-desk”"), "{e:?}");
        let e = cups(silent).print(b"%PDF", &JOB).unwrap_err();
        assert!(e.message.starts_with("打印结果不明"), "{e:?}");
        let e = cups("/nonexistent/lp".into())
            .print(b"%PDF", &JOB)
            .unwrap_err();
        assert_eq!(e.code, "print_failed");
        assert!(e.message.contains("没有安装打印命令 lp"), "{e:?}");
    }

    #[test]
    fn lists_printers_and_none_without_cups() {
        let _serial = serial();
        let dir = tempfile::tempdir().unwrap();
        let lpstat = tool(
            dir.path(),
            "lpstat",
            "case \"$1\" in -e) printf 'front-desk\\nback-office\\n';; -d) echo 'system default destination: back-office';; esac",
        );
        let cups = Cups {
            lp: "/nonexistent/lp".into(),
            lpstat,
        };
        assert_eq!(
            cups.printers(),
            Printers {
                printers: vec!["front-desk".into(), "back-office".into()],
                default: Some("back-office".into()),
            }
        );
        let none = Cups {
            lp: "/nonexistent/lp".into(),
            lpstat: "/nonexistent/lpstat".into(),
        };
        assert_eq!(none.printers(), Printers::default());
    }
}
