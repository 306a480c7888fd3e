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

/// A database: a SQLite file, or a PostgreSQL server that several counters share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    File(PathBuf),
    /// A postgres:// or postgresql:// URL.
    Server(String),
}

impl Database {
    /// A `--db` or `BIANMIN_DB` value: a PostgreSQL URL names a server, anything else a file.
    pub fn parse(value: &std::ffi::OsStr) -> Database {
        match value.to_str() {
            Some(s) if crate::store::is_postgres_url(s) => Database::Server(s.trim().to_string()),
            _ => Database::File(PathBuf::from(value)),
        }
    }
}

/// Shows the file, or the server's URL without its password.
impl std::fmt::Display for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::File(p) => write!(f, "{}", p.display()),
            Database::Server(url) => write!(f, "{}", crate::store::redact_url(url)),
        }
    }
}

/// The database to open, by the same rule as [`resolve_db`], where `--db` and `BIANMIN_DB` may
/// also name a PostgreSQL server.
pub fn resolve_database(explicit: Option<std::ffi::OsString>) -> Option<Database> {
    explicit
        .filter(|v| !v.is_empty())
        .or_else(|| std::env::var_os(DB_VAR).filter(|v| !v.is_empty()))
        .map(|v| Database::parse(&v))
        .or_else(|| app_data_dir().map(|d| Database::File(d.join("bianmin.db"))))
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

    #[test]
    fn a_postgres_url_names_a_server_and_hides_its_password() {
        let db = resolve_database(Some("postgres://hall:s3cret@10.0.0.5:5432/bianmin".into()));
        assert_eq!(
            db,
            Some(Database::Server(
                "postgres://hall:s3cret@10.0.0.5:5432/bianmin".into()
            ))
        );
        assert_eq!(
            db.unwrap().to_string(),
            "postgres://hall:***@10.0.0.5:5432/bianmin"
        );
        assert_eq!(
            Database::parse("PostgreSQL://h/db".as_ref()),
            Database::Server("PostgreSQL://h/db".into())
        );
        for file in ["/tmp/x.db", "postgres.db", "./postgres:/x.db"] {
            assert_eq!(
                Database::parse(file.as_ref()),
                Database::File(PathBuf::from(file))
            );
        }
    }
}
