//! "Nothing is downloaded and no font file is in the repository": the forms embed a font the
//! system installs (Debian's `fonts-noto-cjk`). No tracked file is a font, by name or by its
//! first bytes, and the core, which prints the forms, depends on no HTTP or download client.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn no_tracked_file_is_a_font() {
    let out = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(workspace())
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files: Vec<String> = out
        .stdout
        .split(|b| *b == 0)
        .filter(|f| !f.is_empty())
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    assert!(files.len() > 100, "git listed {} files", files.len());
    // TrueType, OpenType (CFF), a collection, WOFF and WOFF2, Type 1.
    let magics: [&[u8]; 7] = [
        &[0, 1, 0, 0],
        b"OTTO",
        b"true",
        b"ttcf",
        b"wOFF",
        b"wOF2",
        b"%!PS-AdobeFont",
    ];
    let mut fonts = Vec::new();
    for f in &files {
        let lower = f.to_lowercase();
        let by_name = [
            ".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2", ".pfb", ".pfa",
        ]
        .iter()
        .any(|e| lower.ends_with(e));
        let head = std::fs::read(workspace().join(f))
            .map(|b| b[..b.len().min(16)].to_vec())
            .unwrap_or_default();
        let by_bytes = magics.iter().any(|m| head.starts_with(m));
        if by_name || by_bytes {
            fonts.push(f.clone());
        }
    }
    assert!(fonts.is_empty(), "font files in the repository: {fonts:?}");
}

#[test]
fn the_core_depends_on_no_download_client() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "-p",
            "bianmin-core",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(workspace())
        .output()
        .expect("cargo tree");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8(out.stdout).unwrap();
    let crates: Vec<&str> = tree.lines().filter_map(|l| l.split(' ').next()).collect();
    assert!(crates.contains(&"printpdf"), "{crates:?}");
    let clients = [
        "reqwest",
        "ureq",
        "hyper",
        "curl",
        "isahc",
        "attohttpc",
        "surf",
        "minreq",
    ];
    let found: Vec<&&str> = crates.iter().filter(|c| clients.contains(c)).collect();
    assert!(found.is_empty(), "the core can download: {found:?}");
}
