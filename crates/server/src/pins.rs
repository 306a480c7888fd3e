//! The certificates this PC trusts, by server: `servers.json` in Bianmin's data folder (0600),
//! one fingerprint per `host:port`. The CLI's `trust` and the app's 大厅服务器 setting both pin
//! here, after a person compared the fingerprint with the one the server printed.

use std::collections::BTreeMap;
use std::path::PathBuf;

use bianmin_core::{Error, Result};

use crate::client::{Client, ServerUrl};

fn path() -> Result<PathBuf> {
    bianmin_core::paths::app_data_dir()
        .map(|d| d.join("servers.json"))
        .ok_or_else(|| Error::invalid("server", "找不到便民的数据目录，无法记下服务器的证书指纹"))
}

fn load() -> Result<BTreeMap<String, String>> {
    let path = path()?;
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            Error::invalid(
                "server",
                format!("{} 不是便民记下的服务器指纹（{e}）", path.display()),
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(Error::invalid(
            "server",
            format!("读不出 {}：{e}", path.display()),
        )),
    }
}

/// The key a server's pin is kept under.
fn key(url: &ServerUrl) -> String {
    format!("{}:{}", url.host, url.port)
}

/// The fingerprint pinned for `url` (none for plain HTTP on this PC, which has no certificate).
pub fn pinned(url: &ServerUrl) -> Result<Option<String>> {
    if !url.tls {
        return Ok(None);
    }
    Ok(load()?.get(&key(url)).cloned())
}

/// A fingerprint as typed: `SHA256:` optional, colons optional, any case.
pub fn normalised(text: &str) -> Option<String> {
    let t = text.trim();
    let hex: String = t
        .strip_prefix("SHA256:")
        .or_else(|| t.strip_prefix("sha256:"))
        .unwrap_or(t)
        .chars()
        .filter(|c| *c != ':')
        .collect::<String>()
        .to_ascii_uppercase();
    (hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit())).then(|| {
        let pairs: Vec<&str> = (0..32).map(|i| &hex[i * 2..i * 2 + 2]).collect();
        format!("SHA256:{}", pairs.join(":"))
    })
}

/// Pins the server's certificate once the fingerprint a person confirmed (`typed`, field
/// `fingerprint`) is the one it shows now; answers the pinned fingerprint.
pub fn trust(url: &ServerUrl, typed: &str) -> Result<String> {
    let expected = normalised(typed).ok_or_else(|| {
        Error::invalid(
            "fingerprint",
            format!(
                "“{}”不是证书指纹：应为 SHA256: 加 32 组十六进制数（服务器启动时显示）",
                typed.trim()
            ),
        )
    })?;
    let shown = Client::new(url.clone(), None).fingerprint()?;
    if shown != expected {
        return Err(Error::invalid(
            "fingerprint",
            format!("服务器出示的证书指纹是 {shown}，与核对的 {expected} 不同：未信任。请到服务器上核对"),
        ));
    }
    let mut pins = load()?;
    pins.insert(key(url), shown.clone());
    let path = path()?;
    if let Some(dir) = path.parent() {
        bianmin_core::files::create_dir(dir)
            .map_err(|e| Error::invalid("server", format!("无法创建 {}：{e}", dir.display())))?;
    }
    let text = serde_json::to_string_pretty(&pins).expect("strings serialize");
    bianmin_core::files::write_whole(&path, text.as_bytes())
        .map_err(|e| Error::invalid("server", format!("无法写入 {}：{e}", path.display())))?;
    Ok(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_is_read_with_or_without_prefix_and_colons() {
        let hex = "ab".repeat(32);
        let want = normalised(&format!("SHA256:{}", ["AB"; 32].join(":"))).unwrap();
        assert_eq!(normalised(&hex).as_deref(), Some(want.as_str()));
        assert_eq!(
            normalised(&format!("sha256:{hex}")).as_deref(),
            Some(want.as_str())
        );
        for bad in ["", "SHA256:", &"ab".repeat(31), &"zz".repeat(32)] {
            assert_eq!(normalised(bad), None, "{bad}");
        }
    }
}
