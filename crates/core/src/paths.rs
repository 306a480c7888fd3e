//! Where the app keeps its database, shared by the CLI and the desktop shell so that both
//! open the same file by default.

use std::path::{Path, PathBuf};

use crate::address::{check_server_url, Database};

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

/// Where the chosen database came from, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// `--db` on the command line.
    Flag,
    /// The `BIANMIN_DB` environment variable.
    Env,
    /// This PC's settings file (the app's 数据库 setting).
    Settings,
    /// The app's own file in its data folder.
    Default,
}

/// The settings file of this PC's OS user: which database the app and the CLI open when
/// neither `--db` nor `BIANMIN_DB` says (`<app data folder>/settings.json`).
pub fn settings_path() -> Option<PathBuf> {
    app_data_dir().map(|d| d.join("settings.json"))
}

/// What the settings file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    /// The PostgreSQL server the hall's counters share; none: the local file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    /// The hall server this counter works through (`https://HOST:PORT`, issue 18): the app's
    /// 大厅服务器 setting. The app no longer opens a PostgreSQL server itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_url: Option<String>,
    /// The setting that last opened (issue 17, point 10): while the chosen database cannot be
    /// opened, the login screen offers only "retry" and "back to" this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_working: Option<Working>,
}

/// A database setting that opened: a server's address, or none for this PC's own file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Working {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_url: Option<String>,
}

/// Remembers in the settings at `path` that the current setting opened (the app calls this
/// once its database is open). Nothing is written when it is remembered already.
pub fn remember_working(path: &Path) -> crate::Result<()> {
    let mut settings = load_settings(path)?;
    let now = Some(Working {
        database_url: settings.database_url.clone(),
        server_url: settings.server_url.clone(),
    });
    if settings.last_working != now {
        settings.last_working = now;
        save_settings(path, &settings)?;
    }
    Ok(())
}

/// The settings at `path`; a missing file is the defaults. A file that cannot be read or holds
/// something else is an error: a counter must not quietly fall back to a local file while the
/// hall works on the server.
pub fn load_settings(path: &Path) -> crate::Result<Settings> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(e) => {
            return Err(crate::Error::invalid(
                "settings",
                format!("无法读取设置文件 {}：{e}", path.display()),
            ))
        }
    };
    let settings: Settings = serde_json::from_str(&text).map_err(|e| {
        crate::Error::invalid(
            "settings",
            format!(
                "设置文件 {} 的内容有误（{e}），请改正或删除它。",
                path.display()
            ),
        )
    })?;
    if let Some(url) = &settings.database_url {
        check_server_url(url).map_err(|message| {
            crate::Error::invalid(
                "settings",
                format!("设置文件 {} 中的数据库地址有误：{message}", path.display()),
            )
        })?;
    }
    Ok(settings)
}

/// Writes the settings (aside, then renamed into place; readable by this OS user only, since
/// the server's password is in it).
pub fn save_settings(path: &Path, settings: &Settings) -> crate::Result<()> {
    let fail = |e: std::io::Error| {
        crate::Error::invalid(
            "settings",
            format!("无法写入设置文件 {}：{e}", path.display()),
        )
    };
    if let Some(url) = &settings.database_url {
        check_server_url(url).map_err(|m| crate::Error::invalid("database_url", m))?;
    }
    if let Some(dir) = path.parent() {
        crate::files::create_dir(dir).map_err(fail)?;
    }
    let text = serde_json::to_string_pretty(settings).expect("settings serialize");
    crate::files::write_whole(path, text.as_bytes()).map_err(fail)
}

/// The database to open and where that choice came from: `--db`, else `BIANMIN_DB` (either may
/// name a PostgreSQL server), else this PC's settings file, else the app's own file.
pub fn choose_database(explicit: Option<std::ffi::OsString>) -> crate::Result<(Database, Source)> {
    if let Some(v) = explicit.filter(|v| !v.is_empty()) {
        return Ok((Database::parse(&v), Source::Flag));
    }
    if let Some(v) = std::env::var_os(DB_VAR).filter(|v| !v.is_empty()) {
        return Ok((Database::parse(&v), Source::Env));
    }
    let no_folder = || {
        crate::Error::invalid(
            "db",
            "找不到本机的应用数据文件夹，请用 --db 或环境变量 BIANMIN_DB 指定数据库文件或 PostgreSQL 地址",
        )
    };
    let settings = load_settings(&settings_path().ok_or_else(no_folder)?)?;
    if let Some(url) = settings.database_url {
        return Ok((Database::Server(url.trim().into()), Source::Settings));
    }
    let dir = app_data_dir().ok_or_else(no_folder)?;
    // The app's own folder is this OS user's alone (issue 17): created 0700, narrowed if an
    // older version left it 0755.
    if crate::files::create_dir(&dir).is_ok() {
        let _ = crate::files::restrict_dir(&dir);
    }
    Ok((Database::File(dir.join("bianmin.db")), Source::Default))
}

/// The database to open, by the rule of [`choose_database`].
pub fn resolve_database(explicit: Option<std::ffi::OsString>) -> crate::Result<Database> {
    choose_database(explicit).map(|(db, _)| db)
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
            db.as_ref().ok().cloned(),
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

    #[test]
    fn settings_round_trip_privately_and_refuse_garbage_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/settings.json");
        assert_eq!(load_settings(&path).unwrap(), Settings::default());
        let server = Settings {
            database_url: Some("postgres://hall:pw@10.0.0.5:5432/bianmin".into()),
            ..Settings::default()
        };
        save_settings(&path, &server).unwrap();
        assert_eq!(load_settings(&path).unwrap(), server);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "settings readable by others: {mode:o}");
        }
        // A wrong address is refused and the file keeps what it had.
        for bad in [
            "/tmp/x.db",
            "postgres://hall:pw@10.0.0.5:5432",
            "postgres://h:x:y@/",
        ] {
            let e = save_settings(
                &path,
                &Settings {
                    database_url: Some(bad.into()),
                    ..Settings::default()
                },
            )
            .unwrap_err();
            assert!(
                matches!(
                    e,
                    crate::Error::Invalid {
                        field: "database_url",
                        ..
                    }
                ),
                "{bad}: {e:?}"
            );
            assert!(!e.to_string().contains("pw@"), "{e}");
        }
        assert_eq!(load_settings(&path).unwrap(), server);
        // A broken file is an error, never the defaults.
        for garbage in [
            "{",
            "42",
            r#"{"database_url": 5}"#,
            r#"{"database_url": "mysql://x/y"}"#,
        ] {
            std::fs::write(&path, garbage).unwrap();
            let e = load_settings(&path).unwrap_err();
            assert!(
                matches!(
                    e,
                    crate::Error::Invalid {
                        field: "settings",
                        ..
                    }
                ),
                "{garbage}: {e:?}"
            );
            assert!(e.to_string().contains("设置文件"), "{e}");
        }
    }

    #[test]
    fn server_urls_may_carry_the_tls_parameters() {
        for url in [
            "postgres://hall:pw@10.0.0.5:5432/bianmin?sslmode=verify-full&sslrootcert=/etc/bianmin/ca.crt",
            "postgres://hall:pw@server.hall/bianmin?sslmode=verify-ca&sslrootcert=C:%5Cbianmin%5Cca.crt",
            "postgres://hall:pw@10.0.0.5/bianmin?sslmode=require",
            "postgres://hall:pw@127.0.0.1/bianmin?sslmode=disable&application_name=c1",
            // Refused when connecting, not here: the check is about the address's form.
            "postgres://hall:pw@10.0.0.5/bianmin?sslmode=prefer",
        ] {
            assert_eq!(check_server_url(url), Ok(()), "{url}");
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let tls = Settings {
            database_url: Some(
                "postgres://hall:pw@10.0.0.5/bianmin?sslmode=verify-full&sslrootcert=/etc/ca.crt"
                    .into(),
            ),
            ..Settings::default()
        };
        save_settings(&path, &tls).unwrap();
        assert_eq!(load_settings(&path).unwrap(), tls);
        for bad in [
            "postgres://hall:pw@10.0.0.5/bianmin?sslmode=verify",
            "postgres://hall:pw@10.0.0.5/bianmin?sslrootcert=",
        ] {
            let e = check_server_url(bad).unwrap_err();
            assert!(e.contains("ssl") && !e.contains("pw@"), "{e}");
        }
    }

    /// Issue 17, point 10: the setting that opened is remembered beside the chosen one, and
    /// remembering it again writes nothing.
    #[test]
    fn the_setting_that_opened_is_remembered_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        remember_working(&path).unwrap();
        let local = load_settings(&path).unwrap();
        assert_eq!(local.last_working, Some(Working::default()));
        let server = Settings {
            database_url: Some("postgres://hall:pw@10.0.0.5:5432/bianmin".into()),
            ..local
        };
        save_settings(&path, &server).unwrap();
        // The server does not open: the local file stays the last that did.
        assert_eq!(
            load_settings(&path).unwrap().last_working,
            Some(Working::default())
        );
        remember_working(&path).unwrap();
        let written = std::fs::metadata(&path).unwrap().modified().unwrap();
        let now = load_settings(&path).unwrap();
        assert_eq!(now.last_working.unwrap().database_url, server.database_url);
        std::thread::sleep(std::time::Duration::from_millis(20));
        remember_working(&path).unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            written
        );
    }
}
