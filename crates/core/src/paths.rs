//! Where the app keeps its database, shared by the CLI and the desktop shell so that both
//! open the same file by default.

use std::path::PathBuf;

/// The application identifier; `src-tauri/tauri.conf.json` carries the same (a test checks).
pub const APP_IDENTIFIER: &str = "cn.bianmin.desktop";

/// The environment variable naming a database, between `--db` and the default.
pub const DB_VAR: &str = "BIANMIN_DB";

/// The app's data folder: `$XDG_DATA_HOME/cn.bianmin.desktop` on Linux, as Tauri's
/// `app_data_dir` computes it.
pub fn app_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_IDENTIFIER))
}

/// The database to open: an explicit path wins over `BIANMIN_DB`, which wins over the app's own.
pub fn resolve_db(explicit: Option<PathBuf>) -> Option<PathBuf> {
    explicit
        .or_else(|| {
            std::env::var_os(DB_VAR)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .or_else(|| app_data_dir().map(|d| d.join("bianmin.db")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_matches_the_tauri_config() {
        let conf = include_str!("../../../src-tauri/tauri.conf.json");
        let needle = format!("\"identifier\": \"{APP_IDENTIFIER}\"");
        assert!(conf.contains(&needle), "tauri.conf.json lacks {needle}");
    }

    #[test]
    fn explicit_path_wins() {
        let p = PathBuf::from("/tmp/x.db");
        assert_eq!(resolve_db(Some(p.clone())), Some(p));
    }
}
