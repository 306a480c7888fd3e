//! [`Rasterizer`] through poppler's `pdftoppm`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::{fail, pdf_in_temp_dir, run_needed, PrintError, Rasterizer};

/// The preview's resolution: sharp enough to read an ID number on screen, small enough to send.
const PREVIEW_DPI: &str = "110";

/// The `pdftoppm` program (by default from the `PATH`).
#[derive(Debug, Clone)]
pub struct Poppler {
    pub pdftoppm: PathBuf,
}

impl Default for Poppler {
    fn default() -> Self {
        Poppler {
            pdftoppm: "pdftoppm".into(),
        }
    }
}

impl Rasterizer for Poppler {
    fn pages(&self, pdf: &[u8]) -> Result<Vec<Vec<u8>>, PrintError> {
        let (dir, path) = pdf_in_temp_dir(pdf)?;
        let dir = dir.path();
        let prefix = dir.join("page");
        let args = [
            OsStr::new("-r"),
            OsStr::new(PREVIEW_DPI),
            OsStr::new("-png"),
            path.as_os_str(),
            prefix.as_os_str(),
        ];
        let out = run_needed(
            &self.pdftoppm,
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
            return Err(fail(
                "preview_failed",
                "无法显示打印预览：预览程序未能读取表单。",
            ));
        }
        let unreadable = |p: &Path, e: std::io::Error| {
            eprintln!("bianmin: reading {}: {e}", p.display());
            fail("preview_failed", "无法显示打印预览：读取预览图片失败。")
        };
        let mut files: Vec<(u32, PathBuf)> = std::fs::read_dir(dir)
            .map_err(|e| unreadable(dir, e))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "png"))
            .filter_map(|p| page_number(&p).map(|n| (n, p)))
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|(_, p)| std::fs::read(&p).map_err(|e| unreadable(&p, e)))
            .collect()
    }
}

/// The page number of a file pdftoppm wrote (`page-3.png`, `page-03.png`).
fn page_number(path: &Path) -> Option<u32> {
    let stem = path.file_stem()?.to_str()?;
    stem.rsplit('-').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::fake::{serial, tool};

    #[test]
    fn orders_pages_by_number() {
        assert_eq!(page_number(Path::new("/tmp/x/page-03.png")), Some(3));
        assert_eq!(page_number(Path::new("/tmp/x/page-12.png")), Some(12));
    }

    #[test]
    fn returns_the_pages_pdftoppm_wrote_in_page_order() {
        let _serial = serial();
        let dir = tempfile::tempdir().unwrap();
        // Called as: pdftoppm -r DPI -png PDF PREFIX
        let pdftoppm = tool(
            dir.path(),
            "pdftoppm",
            "[ \"$1 $2 $3\" = '-r 110 -png' ] || exit 9\n\
             for n in 10 2 1; do echo \"page $n of $(cat \"$4\")\" > \"$5-$n.png\"; done\n\
             echo x > \"$5-3.txt\"",
        );
        let pages = Poppler { pdftoppm }.pages(b"%PDF").unwrap();
        let text: Vec<String> = pages
            .iter()
            .map(|p| String::from_utf8_lossy(p).trim().to_string())
            .collect();
        assert_eq!(
            text,
            ["page 1 of %PDF", "page 2 of %PDF", "page 10 of %PDF"]
        );
    }

    #[test]
    fn a_missing_or_failing_pdftoppm_is_said_plainly() {
        let _serial = serial();
        let dir = tempfile::tempdir().unwrap();
        let missing = Poppler {
            pdftoppm: "/nonexistent/pdftoppm".into(),
        };
        let e = missing.pages(b"%PDF").unwrap_err();
        assert_eq!(e.code, "preview_unavailable");
        assert!(e.message.contains("没有安装 pdftoppm"), "{e:?}");
        let failing = Poppler {
            pdftoppm: tool(dir.path(), "pdftoppm", "echo 'Syntax Error' >&2\nexit 1"),
        };
        let e = failing.pages(b"%PDF").unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            ("preview_failed", "无法显示打印预览：预览程序未能读取表单。")
        );
    }
}
