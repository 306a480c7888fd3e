//! Which database this counter works on: its own file, or the PostgreSQL server the hall's
//! counters share (the 数据库 setting). The choice is kept in this PC's settings file
//! (`paths::settings_path`), which the CLI reads too; `--db` and `BIANMIN_DB` override it.
//!
//! These commands need an administrator. While no database could be opened (an unreachable
//! server, a broken settings file) there are no accounts to check: the login screen may then
//! only see the setting, retry it, or go back to the setting that last opened
//! (`database_recover`); changing it to anything else waits for an administrator (issue 17).

use bianmin_core::accounts::{self, Permission};
use bianmin_core::address::{self, Database};
use bianmin_core::date;
use bianmin_core::paths::{self, Settings, Source};
use bianmin_core::store::{PgStore, Probe};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::{authorized, failure};
use crate::error::CommandError;
use crate::AppState;

#[derive(Debug, Serialize, TS)]
pub struct DatabaseInfo {
    /// "file" or "server"; empty when nothing could be chosen.
    pub kind: &'static str,
    /// The file's path, or the server's address without its password.
    pub shown: String,
    pub source: Option<Source>,
    /// Whether the setting decides (`--db` and `BIANMIN_DB` cannot be changed from here).
    pub can_change: bool,
    pub settings_file: String,
    /// Why the database could not be opened, when it could not.
    pub error: Option<String>,
    /// The setting that last opened, as shown (a file's path, or a server's address without
    /// its password): where "back" goes while this one does not open.
    pub last_working: Option<String>,
}

/// Whether this counter works on a server (backup and restore are then the server's business).
pub(crate) fn on_server(state: &AppState) -> bool {
    matches!(
        *state.database.lock().unwrap_or_else(|p| p.into_inner()),
        Some((Database::Server(_), _))
    )
}

/// An administrator's account, or `None` while no database is open (see the module comment).
fn admin_or_no_database(
    state: &AppState,
    what: &str,
) -> Result<Option<accounts::Account>, CommandError> {
    let open = state
        .store
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .is_ok();
    if open {
        authorized(state, Permission::ManageAccounts, what).map(Some)
    } else {
        Ok(None)
    }
}

/// An administrator's account; while no database is open, a refusal: only the setting's retry
/// and the way back to the last that opened are offered then.
fn admin_only(state: &AppState, what: &str) -> Result<accounts::Account, CommandError> {
    match admin_or_no_database(state, what)? {
        Some(admin) => Ok(admin),
        None => Err(failure(
            "needs_admin",
            "数据库打不开时，只能重试或回到上次可用的设置；改用其他数据库需要管理员登录后进行。",
        )),
    }
}

/// The database a setting names: the server at `url`, or this PC's own file.
fn target(url: Option<String>) -> Result<(Database, Source), CommandError> {
    match url {
        Some(u) => {
            address::check_server_url(&u)
                .map_err(|m| bianmin_core::Error::invalid("database_url", m))?;
            Ok((Database::Server(u.into()), Source::Settings))
        }
        None => {
            let dir = paths::app_data_dir()
                .ok_or_else(|| failure("no_data_dir", "找不到本机的应用数据文件夹。"))?;
            Ok((Database::File(dir.join("bianmin.db")), Source::Default))
        }
    }
}

/// The last setting that opened, from the settings file: none recorded (or a file that cannot
/// be read) is this PC's own file.
fn last_working() -> Option<String> {
    paths::settings_path()
        .and_then(|p| paths::load_settings(&p).ok())
        .and_then(|s| s.last_working)
        .and_then(|w| w.database_url)
}

fn info(state: &AppState) -> DatabaseInfo {
    let error = match &*state.store.lock().unwrap_or_else(|p| p.into_inner()) {
        Ok(_) => None,
        Err(e) => Some(e.message.clone()),
    };
    let chosen = state
        .database
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let (kind, shown, source) = match &chosen {
        Some((Database::File(p), source)) => ("file", p.display().to_string(), Some(*source)),
        Some((Database::Server(url), source)) => ("server", url.to_string(), Some(*source)),
        None => ("", String::new(), None),
    };
    DatabaseInfo {
        kind,
        shown,
        can_change: !matches!(source, Some(Source::Flag | Source::Env)),
        source,
        settings_file: paths::settings_path()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        error,
        last_working: match last_working() {
            Some(url) => Some(address::redact_url(&url)),
            None => paths::app_data_dir().map(|d| d.join("bianmin.db").display().to_string()),
        },
    }
}

/// The database this counter works on.
#[tauri::command]
pub fn database_info(state: State<'_, AppState>) -> Result<DatabaseInfo, CommandError> {
    admin_or_no_database(&state, "查看数据库设置")?;
    Ok(info(&state))
}

/// Connects to a server without changing anything, and says what is there.
#[tauri::command]
pub fn database_test(state: State<'_, AppState>, url: String) -> Result<Probe, CommandError> {
    admin_only(&state, "测试数据库连接")?;
    address::check_server_url(&url).map_err(|m| bianmin_core::Error::invalid("database_url", m))?;
    Ok(PgStore::probe(url.trim())?)
}

/// Switches this counter to the server at `url`, or back to its own file when `url` is `None`.
/// The new database is opened (its schema brought up to date) before the setting is saved, so
/// a server that cannot be reached changes nothing. The session ends: the accounts are the new
/// database's.
#[tauri::command]
pub fn database_use(
    state: State<'_, AppState>,
    url: Option<String>,
) -> Result<DatabaseInfo, CommandError> {
    let admin = admin_only(&state, "更改数据库设置")?;
    let current = info(&state);
    if !current.can_change {
        return Err(failure(
            "database_fixed",
            "本机的数据库由命令行参数 --db 或环境变量 BIANMIN_DB 指定，不能在这里更改。",
        ));
    }
    let settings_path = paths::settings_path().ok_or_else(|| {
        failure(
            "no_data_dir",
            "找不到本机的应用数据文件夹，无法保存数据库设置。",
        )
    })?;
    let url = url.map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
    let (db, source) = target(url.clone())?;
    // Open first: nothing is saved or switched unless the new database works.
    let mut opened = crate::open_db(&db)?;
    let working = Some(paths::Working {
        database_url: url.clone(),
    });
    paths::save_settings(
        &settings_path,
        &Settings {
            database_url: url,
            last_working: working,
        },
    )?;
    let at = date::now()?;
    let detail = format!("{} → {}", current.shown, db);
    accounts::record_action(
        &mut opened,
        "database_switch",
        Some(&admin),
        "应用内数据库设置",
        &detail,
        at,
    )?;
    *state.store.lock().unwrap_or_else(|p| p.into_inner()) = Ok(opened);
    *state.database.lock().unwrap_or_else(|p| p.into_inner()) = Some((db, source));
    *state.session.lock().unwrap_or_else(|p| p.into_inner()) = None;
    Ok(info(&state))
}

/// While the chosen database does not open: `back` false opens it again (the server is up
/// again), `back` true goes back to the setting that last opened, which is saved. With a
/// database open, an administrator's. The session ends either way.
#[tauri::command]
pub fn database_recover(
    state: State<'_, AppState>,
    back: bool,
) -> Result<DatabaseInfo, CommandError> {
    let admin = admin_or_no_database(&state, "重新连接数据库")?;
    let current = info(&state);
    let chosen = state
        .database
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let (db, source) = match (back, chosen) {
        (false, Some(chosen)) => chosen,
        (false, None) => {
            return Err(failure(
                "no_database",
                "没有可重试的数据库设置：请修正设置文件后重新启动便民，或回到上次可用的设置。",
            ))
        }
        (true, _) if !current.can_change => {
            return Err(failure(
                "database_fixed",
                "本机的数据库由命令行参数 --db 或环境变量 BIANMIN_DB 指定，不能在这里更改。",
            ))
        }
        (true, _) => target(last_working())?,
    };
    let mut opened = crate::open_db(&db)?;
    if matches!(source, Source::Settings | Source::Default) {
        let settings_path = paths::settings_path().ok_or_else(|| {
            failure(
                "no_data_dir",
                "找不到本机的应用数据文件夹，无法保存数据库设置。",
            )
        })?;
        let url = match &db {
            Database::Server(u) => Some(u.as_str().to_string()),
            Database::File(_) => None,
        };
        paths::save_settings(
            &settings_path,
            &Settings {
                database_url: url.clone(),
                last_working: Some(paths::Working { database_url: url }),
            },
        )?;
    }
    let at = date::now()?;
    let detail = format!("{} → {}", current.shown, db);
    accounts::record_action(
        &mut opened,
        "database_switch",
        admin.as_ref(),
        if back {
            "登录界面：回到上次可用的数据库"
        } else {
            "重新连接数据库"
        },
        &detail,
        at,
    )?;
    *state.store.lock().unwrap_or_else(|p| p.into_inner()) = Ok(opened);
    *state.database.lock().unwrap_or_else(|p| p.into_inner()) = Some((db, source));
    *state.session.lock().unwrap_or_else(|p| p.into_inner()) = None;
    Ok(info(&state))
}

#[cfg(test)]
mod tests {
    use crate::test_app::{app, call};
    use bianmin_core::demo::DEMO_PASSWORD;
    use serde_json::{json, Value};

    /// "The switch opens the server before it saves anything": a server that cannot be reached,
    /// and one that answers but has no such database, leave the settings file, the database the
    /// counter works on and the administrator's session as they were; the way back to the
    /// counter's own file, which opens, is saved and ends the session.
    #[test]
    fn a_database_that_cannot_be_opened_is_not_saved() {
        let (dir, _app, webview, _number) = app();
        // The settings file lives in the OS user's data folder: a temporary one here.
        std::env::set_var("XDG_DATA_HOME", dir.path().join("data"));
        let settings = bianmin_core::paths::settings_path().unwrap();
        assert!(settings.starts_with(dir.path()), "{}", settings.display());
        std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
        let before = "{\n  \"database_url\": \"postgres://hall@192.0.2.1:5432/bianmin\"\n}\n";
        std::fs::write(&settings, before).unwrap();

        call(
            &webview,
            "auth_login",
            json!({"username": "guanli", "password": DEMO_PASSWORD}),
        )
        .unwrap();
        let status = |w| call(w, "auth_status", json!({})).unwrap();
        let logged_in = status(&webview);
        assert_eq!(logged_in["account"]["username"], "guanli", "{logged_in}");
        let info_before = call(&webview, "database_info", json!({})).unwrap();

        let mut unopened = vec!["postgres://x@127.0.0.1:1/y".to_string()];
        // A server that answers, but has no database of that name.
        if let Some(url) = bianmin_core::store::test_server_url() {
            let base = url.split('?').next().unwrap();
            let (server, _) = base.rsplit_once('/').unwrap();
            unopened.push(format!("{server}/bianmin_no_such_database"));
        }
        for url in unopened {
            let answer = call(&webview, "database_use", json!({ "url": url }));
            let Err(Value::Object(e)) = &answer else {
                panic!("{url}: switched to a database that cannot be opened: {answer:?}");
            };
            assert!(!e["message"].as_str().unwrap().is_empty(), "{e:?}");
            assert_eq!(std::fs::read_to_string(&settings).unwrap(), before, "{url}");
            assert_eq!(
                call(&webview, "database_info", json!({})).unwrap(),
                info_before
            );
            assert_eq!(status(&webview), logged_in, "{url}: the session ended");
            // The counter still works on its own database (the administrator's town).
            let towns = call(&webview, "list_towns", json!({})).unwrap();
            assert_eq!(towns, json!(["东风镇"]));
        }

        // Back to this PC's own file: it opens, so the setting is saved and the session ends.
        let back = call(&webview, "database_use", json!({ "url": null })).unwrap();
        assert_eq!(back["kind"], "file", "{back}");
        let saved = std::fs::read_to_string(&settings).unwrap();
        assert!(!saved.contains("database_url"), "{saved}");
        assert_eq!(status(&webview)["account"], Value::Null);
    }
}
