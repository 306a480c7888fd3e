//! Where this counter works: its own database file (本机), or the hall server the hall's
//! counters share (大厅服务器, issue 18). The choice is kept in this PC's settings file
//! (`paths::settings_path`); `--db` and `BIANMIN_DB` override it with a file. A PC on the hall
//! server holds its address and pinned certificate, never a database password: the app no
//! longer opens a PostgreSQL server itself (a setting that still names one is refused at start
//! with the way back offered).
//!
//! These commands need an administrator. While nothing could be opened (an unreachable
//! server, a broken settings file) there are no accounts to check: the login screen may then
//! only see the setting, retry it, or go back to the setting that last opened
//! (`database_recover`); changing it to anything else waits for an administrator (issue 17).

use std::sync::Arc;

use bianmin_core::accounts::{self, Permission};
use bianmin_core::address::{self, Database};
use bianmin_core::date;
use bianmin_core::paths::{self, Settings, Source, Working};
use bianmin_server::client::{Client, ServerUrl};
use bianmin_server::pins;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::{authorized, failure};
use crate::error::CommandError;
use crate::hall::HallLink;
use crate::AppState;

#[derive(Debug, Serialize, TS)]
pub struct DatabaseInfo {
    /// "file", "hall" (the hall server), or "server" (a PostgreSQL address from an older
    /// setting, which no longer opens); empty when nothing could be chosen.
    pub kind: &'static str,
    /// The file's path, or the server's address (a PostgreSQL one without its password).
    pub shown: String,
    pub source: Option<Source>,
    /// Whether the setting decides (`--db` and `BIANMIN_DB` cannot be changed from here).
    pub can_change: bool,
    pub settings_file: String,
    /// Why the database or the server could not be opened, when it could not.
    pub error: Option<String>,
    /// The setting that last opened, as shown: where "back" goes while this one does not open.
    pub last_working: Option<String>,
    /// The hall server's certificate fingerprint this PC pinned (https only).
    pub fingerprint: Option<String>,
}

/// What a hall server shows before this PC trusts it: its certificate's fingerprint (https),
/// for the administrator to compare with the one the server printed, and the one pinned here.
#[derive(Debug, Serialize, TS)]
pub struct HallProbe {
    pub shown: String,
    pub fingerprint: Option<String>,
    pub pinned: Option<String>,
}

/// The hall server this counter works through, if it does.
pub(crate) fn hall_link(state: &AppState) -> Option<Arc<HallLink>> {
    state.hall.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// What the local commands answer while this counter works through the hall server.
pub(crate) fn on_hall() -> CommandError {
    failure(
        "on_hall_server",
        "这台电脑通过大厅服务器工作，本机没有打开数据库。",
    )
}

/// Why an older setting naming a PostgreSQL server no longer opens.
pub(crate) fn direct_server_retired(url: &str) -> CommandError {
    failure(
        "direct_server_retired",
        format!(
            "这台电脑的设置直接连接数据库服务器（{}）。窗口电脑不再保存数据库密码：请管理员改用“大厅服务器”（在服务器电脑上运行 bianmin serve），或先回到本机数据库。",
            address::redact_url(url)
        ),
    )
}

/// Whether this counter works on the hall server (backup and restore are then the server's).
pub(crate) fn on_server(state: &AppState) -> bool {
    hall_link(state).is_some()
}

/// Who administers this switch: an account of this PC's file, or the hall server's
/// administrator (by name; the server keeps the account).
enum Admin {
    Local(accounts::Account),
    Hall(String),
}

impl Admin {
    fn account(&self) -> Option<&accounts::Account> {
        match self {
            Admin::Local(a) => Some(a),
            Admin::Hall(_) => None,
        }
    }

    /// How the switch is described in the audit record.
    fn detail(&self, detail: &str) -> String {
        match self {
            Admin::Local(_) => detail.to_string(),
            Admin::Hall(name) => format!("{detail}（大厅服务器管理员 {name}）"),
        }
    }
}

/// An administrator, or `None` while nothing is open (see the module comment). On the hall
/// server, the server says whether the logged-in account administers.
fn admin_or_no_database(state: &AppState, what: &str) -> Result<Option<Admin>, CommandError> {
    if let Some(link) = hall_link(state) {
        if link.health().is_err() {
            return Ok(None);
        }
        let me = link.call("auth_status", serde_json::json!({}))?;
        if me["account"].is_null() {
            return Err(bianmin_core::Error::NotLoggedIn.into());
        }
        if !link.can(Permission::ManageAccounts)? {
            return Err(failure(
                "forbidden",
                format!("{what}需要管理员：当前账号的角色不允许。"),
            ));
        }
        let name = me["account"]["username"].as_str().unwrap_or_default();
        return Ok(Some(Admin::Hall(name.to_string())));
    }
    let open = state
        .store
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .is_ok();
    if open {
        authorized(state, Permission::ManageAccounts, what).map(|a| Some(Admin::Local(a)))
    } else {
        Ok(None)
    }
}

/// An administrator's account; while nothing is open, a refusal: only the setting's retry and
/// the way back to the last that opened are offered then.
fn admin_only(state: &AppState, what: &str) -> Result<Admin, CommandError> {
    match admin_or_no_database(state, what)? {
        Some(admin) => Ok(admin),
        None => Err(failure(
            "needs_admin",
            "数据库打不开时，只能重试或回到上次可用的设置；改用其他数据库需要管理员登录后进行。",
        )),
    }
}

/// This PC's own database file.
fn own_file() -> Result<Database, CommandError> {
    let dir = paths::app_data_dir()
        .ok_or_else(|| failure("no_data_dir", "找不到本机的应用数据文件夹。"))?;
    Ok(Database::File(dir.join("bianmin.db")))
}

/// The last setting that opened, from the settings file: a hall server's address, or none (this
/// PC's own file; an older PostgreSQL setting counts as none).
fn last_working() -> Option<String> {
    paths::settings_path()
        .and_then(|p| paths::load_settings(&p).ok())
        .and_then(|s| s.last_working)
        .and_then(|w| w.server_url)
}

fn info(state: &AppState) -> DatabaseInfo {
    let settings_file = paths::settings_path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let last_working = match last_working() {
        Some(url) => Some(url),
        None => paths::app_data_dir().map(|d| d.join("bianmin.db").display().to_string()),
    };
    if let Some(link) = hall_link(state) {
        return DatabaseInfo {
            kind: "hall",
            shown: link.shown(),
            source: Some(Source::Settings),
            can_change: true,
            settings_file,
            error: link.health().err().map(|e| e.message),
            last_working,
            fingerprint: pins::pinned(&link.url).ok().flatten(),
        };
    }
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
        settings_file,
        error,
        last_working,
        fingerprint: None,
    }
}

/// Where this counter works.
#[tauri::command]
pub fn database_info(state: State<'_, AppState>) -> Result<DatabaseInfo, CommandError> {
    admin_or_no_database(&state, "查看数据库设置")?;
    Ok(info(&state))
}

/// Reaches a hall server without trusting or changing anything, and says what certificate it
/// shows.
#[tauri::command]
pub async fn database_test(
    state: State<'_, AppState>,
    url: String,
) -> Result<HallProbe, CommandError> {
    admin_only(&state, "测试大厅服务器连接")?;
    let url = ServerUrl::parse(&url)?;
    let client = Client::new(url.clone(), None);
    let fingerprint = if url.tls {
        Some(client.fingerprint()?)
    } else {
        client.send("GET", "/api/health", None, "")?.json()??;
        None
    };
    Ok(HallProbe {
        shown: url.shown(),
        pinned: pins::pinned(&url)?,
        fingerprint,
    })
}

fn settings_path() -> Result<std::path::PathBuf, CommandError> {
    paths::settings_path().ok_or_else(|| {
        failure(
            "no_data_dir",
            "找不到本机的应用数据文件夹，无法保存数据库设置。",
        )
    })
}

/// Saves the setting that just opened: the hall server at `server`, or this PC's own file.
fn save_opened(server: Option<String>) -> Result<(), CommandError> {
    paths::save_settings(
        &settings_path()?,
        &Settings {
            database_url: None,
            server_url: server.clone(),
            last_working: Some(Working {
                database_url: None,
                server_url: server,
            }),
        },
    )?;
    Ok(())
}

/// Switches this counter to the hall server at `url`, or back to its own file when `url` is
/// `None`. An https server is trusted only with the `fingerprint` the administrator compared
/// with the one the server printed (it is then pinned); the server must answer, and the file
/// must open, before anything is saved. The session ends either way.
#[tauri::command]
pub async fn database_use(
    state: State<'_, AppState>,
    url: Option<String>,
    fingerprint: Option<String>,
) -> Result<DatabaseInfo, CommandError> {
    let admin = admin_only(&state, "更改数据库设置")?;
    let current = info(&state);
    if !current.can_change {
        return Err(failure(
            "database_fixed",
            "本机的数据库由命令行参数 --db 或环境变量 BIANMIN_DB 指定，不能在这里更改。",
        ));
    }
    let url = url.map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
    let detail;
    match url {
        Some(text) => {
            let url = ServerUrl::parse(&text)?;
            if url.tls {
                let typed = fingerprint.unwrap_or_default();
                if typed.trim().is_empty() {
                    return Err(bianmin_core::Error::invalid(
                        "fingerprint",
                        "请先测试连接，并与服务器显示的证书指纹逐段核对一致后再切换",
                    )
                    .into());
                }
                pins::trust(&url, &typed)?;
            }
            let link = HallLink::new(url)?;
            link.health()?;
            detail = format!("{} → 大厅服务器 {}", current.shown, link.shown());
            // The switch is recorded where the administrator was (this PC's file).
            let at = date::now()?;
            if let Ok(store) = state
                .store
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .as_mut()
            {
                accounts::record_action(
                    store,
                    "database_switch",
                    admin.account(),
                    "应用内数据库设置",
                    &admin.detail(&detail),
                    at,
                )?;
            }
            save_opened(Some(link.shown()))?;
            switch_to_hall(&state, link);
        }
        None => {
            let db = own_file()?;
            let mut opened = crate::open_db(&db)?;
            save_opened(None)?;
            detail = format!("{} → {}", current.shown, db);
            let at = date::now()?;
            accounts::record_action(
                &mut opened,
                "database_switch",
                admin.account(),
                "应用内数据库设置",
                &admin.detail(&detail),
                at,
            )?;
            switch_to_file(&state, opened, (db, Source::Default));
        }
    }
    Ok(info(&state))
}

/// From now on this counter works through `link`; the session at the window ends.
fn switch_to_hall(state: &AppState, link: HallLink) {
    if let Some(old) = state
        .hall
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .replace(Arc::new(link))
    {
        old.forget_session();
    }
    *state.store.lock().unwrap_or_else(|p| p.into_inner()) = Err(on_hall());
    *state.database.lock().unwrap_or_else(|p| p.into_inner()) = None;
    *state.session.lock().unwrap_or_else(|p| p.into_inner()) = None;
}

/// From now on this counter works on `opened`; the session at the window ends.
fn switch_to_file(
    state: &AppState,
    opened: bianmin_core::store::AnyStore,
    chosen: (Database, Source),
) {
    if let Some(old) = state.hall.lock().unwrap_or_else(|p| p.into_inner()).take() {
        old.forget_session();
    }
    *state.store.lock().unwrap_or_else(|p| p.into_inner()) = Ok(opened);
    *state.database.lock().unwrap_or_else(|p| p.into_inner()) = Some(chosen);
    *state.session.lock().unwrap_or_else(|p| p.into_inner()) = None;
}

/// While the chosen database or server does not open: `back` false tries it again (the server
/// is up again), `back` true goes back to the setting that last opened, which is saved. With
/// something open, an administrator's. The session ends either way.
#[tauri::command]
pub async fn database_recover(
    state: State<'_, AppState>,
    back: bool,
) -> Result<DatabaseInfo, CommandError> {
    let admin = admin_or_no_database(&state, "重新连接数据库")?;
    let current = info(&state);
    if !back {
        if let Some(link) = hall_link(&state) {
            link.health()?;
            link.forget_session();
            *state.session.lock().unwrap_or_else(|p| p.into_inner()) = None;
            return Ok(info(&state));
        }
    }
    let chosen = state
        .database
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let (db, source) = match (back, chosen) {
        (false, Some((Database::Server(url), _))) => {
            return Err(direct_server_retired(url.as_str()))
        }
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
        (true, _) => {
            if let Some(server) = last_working() {
                let link = HallLink::new(ServerUrl::parse(&server)?)?;
                link.health()?;
                save_opened(Some(link.shown()))?;
                switch_to_hall(&state, link);
                return Ok(info(&state));
            }
            (own_file()?, Source::Default)
        }
    };
    let mut opened = crate::open_db(&db)?;
    if matches!(source, Source::Settings | Source::Default) {
        save_opened(None)?;
    }
    let at = date::now()?;
    let detail = format!("{} → {}", current.shown, db);
    let detail = match &admin {
        Some(a) => a.detail(&detail),
        None => detail,
    };
    accounts::record_action(
        &mut opened,
        "database_switch",
        admin.as_ref().and_then(Admin::account),
        if back {
            "登录界面：回到上次可用的数据库"
        } else {
            "重新连接数据库"
        },
        &detail,
        at,
    )?;
    switch_to_file(&state, opened, (db, source));
    Ok(info(&state))
}

#[cfg(test)]
mod tests {
    use crate::test_app::{app, call};
    use bianmin_core::demo::DEMO_PASSWORD;
    use serde_json::{json, Value};

    /// "The switch reaches the server before it saves anything": an address that is no hall
    /// server's (a PostgreSQL one, a plain http one off this PC), an https server without the
    /// compared fingerprint, and a server that cannot be reached leave the settings file, the
    /// database the counter works on and the administrator's session as they were; the way back
    /// to the counter's own file, which opens, is saved and ends the session.
    #[test]
    fn a_hall_server_is_saved_only_once_it_answers_and_then_carries_the_window() {
        let (dir, _app, webview, _number) = app();
        // The settings file lives in the OS user's data folder: a temporary one here.
        std::env::set_var("XDG_DATA_HOME", dir.path().join("data"));
        let settings = bianmin_core::paths::settings_path().unwrap();
        assert!(settings.starts_with(dir.path()), "{}", settings.display());
        std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
        let before = "{\n  \"server_url\": \"https://192.0.2.1:8443\"\n}\n";
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

        for (url, fingerprint, field) in [
            (
                "postgres://hall:pw@10.0.0.5:5432/bianmin",
                None,
                Some("server"),
            ),
            ("http://192.168.1.10:8443", None, Some("server")),
            ("https://127.0.0.1:1", None, Some("fingerprint")),
            (
                "https://127.0.0.1:1",
                Some("SHA256:00"),
                Some("fingerprint"),
            ),
            ("http://127.0.0.1:1", None, None),
        ] {
            let answer = call(
                &webview,
                "database_use",
                json!({ "url": url, "fingerprint": fingerprint }),
            );
            let Err(Value::Object(e)) = &answer else {
                panic!("{url}: switched to a server that cannot be reached: {answer:?}");
            };
            assert!(!e["message"].as_str().unwrap().is_empty(), "{e:?}");
            assert_eq!(e["field"].as_str(), field, "{url}: {e:?}");
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
        assert!(!saved.contains("server_url\": \"https"), "{saved}");
        assert_eq!(status(&webview)["account"], Value::Null);

        // Issue 18: onto a real hall server, over another demo database.
        let (server_dir, server_app, _, _) = app();
        drop(server_app);
        let url = start_server(server_dir.path());
        // A counter on its demo database, whose administrator switches it.
        let (_counter_dir, _counter, counter, _) = app();
        a_counter_works_through_the_hall_server(&counter, &settings, &url, server_dir.path());
        a_server_over_tls_is_trusted_by_the_fingerprint_compared(&counter, &settings);
    }

    /// `bianmin serve` over the database in `dir` on `listen`: its address and, off loopback,
    /// its certificate's fingerprint.
    fn serve_on(dir: &std::path::Path, listen: &str) -> (String, Option<String>) {
        let db = bianmin_core::address::Database::File(dir.join("bianmin.db"));
        let tls = dir.join("tls");
        let listen = listen.parse().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            bianmin_server::run(listen, &db, &tls, |bound| {
                let fingerprint = bound.tls.as_ref().map(|(f, _)| f.clone());
                tx.send((bound.url(), fingerprint)).unwrap()
            })
            .expect("the server runs");
        });
        rx.recv().expect("the server starts")
    }

    /// `bianmin serve` on loopback over the database in `dir`; its address.
    fn start_server(dir: &std::path::Path) -> String {
        serve_on(dir, "127.0.0.1:0").0
    }

    /// A hall server off loopback speaks TLS: the test shows its fingerprint and pins nothing;
    /// a switch with another fingerprint is refused naming it, nothing saved; with the one the
    /// server printed, the certificate is pinned and the counter works through it.
    fn a_server_over_tls_is_trusted_by_the_fingerprint_compared(
        webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
        settings: &std::path::Path,
    ) {
        let hall =
            |cmd: &str, args: Value| call(webview, "hall_call", json!({"cmd": cmd, "args": args}));
        let (dir, app, _, _) = app();
        drop(app);
        let (url, printed) = serve_on(dir.path(), "0.0.0.0:0");
        let printed = printed.expect("a fingerprint off loopback");
        let url = url.replace("0.0.0.0", "127.0.0.1");
        hall(
            "auth_login",
            json!({"username": "guanli", "password": DEMO_PASSWORD}),
        )
        .unwrap();
        let pins = settings.parent().unwrap().join("servers.json");
        let probe = call(webview, "database_test", json!({ "url": url })).unwrap();
        assert_eq!(probe["fingerprint"], json!(printed), "{probe}");
        assert_eq!(probe["pinned"], Value::Null);
        assert!(!pins.exists());
        let before = std::fs::read_to_string(settings).unwrap();
        let other = format!("SHA256:{}", ["AB"; 32].join(":"));
        let refused = call(
            webview,
            "database_use",
            json!({"url": url, "fingerprint": other}),
        )
        .unwrap_err();
        assert_eq!(refused["field"], "fingerprint", "{refused}");
        assert_eq!(std::fs::read_to_string(settings).unwrap(), before);
        assert!(!pins.exists());
        let info = call(
            webview,
            "database_use",
            json!({"url": url, "fingerprint": printed[7..].to_lowercase().replace(':', "")}),
        )
        .unwrap();
        assert_eq!(info["fingerprint"], json!(printed), "{info}");
        assert!(std::fs::read_to_string(&pins).unwrap().contains(&printed));
        let me = hall(
            "auth_login",
            json!({"username": "chuangkou", "password": DEMO_PASSWORD}),
        )
        .unwrap();
        assert_eq!(me["username"], "chuangkou");
        let towns = hall("list_towns", json!({})).unwrap();
        assert_eq!(towns, json!(["东风镇"]));
    }

    /// The administrator switches the counter to the hall server: the setting holds its address
    /// and no password; the session ends; a clerk logs in with the server's account, takes a
    /// resident in (a retry with the same key gets the same number), previews the receipt the
    /// server renders, is refused a decision by the server, and an open list is woken by another
    /// counter's intake; nothing runs on this PC's database any more.
    fn a_counter_works_through_the_hall_server(
        webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
        settings: &std::path::Path,
        url: &str,
        server_dir: &std::path::Path,
    ) {
        let hall =
            |cmd: &str, args: Value| call(webview, "hall_call", json!({"cmd": cmd, "args": args}));
        call(
            webview,
            "auth_login",
            json!({"username": "guanli", "password": DEMO_PASSWORD}),
        )
        .unwrap();
        assert_eq!(call(webview, "hall_mode", json!({})).unwrap(), json!(false));
        let probe = call(webview, "database_test", json!({ "url": url })).unwrap();
        assert_eq!(probe["fingerprint"], Value::Null, "{probe}");
        let info = call(webview, "database_use", json!({ "url": url })).unwrap();
        assert_eq!(
            (info["kind"].as_str(), info["error"].as_str()),
            (Some("hall"), None),
            "{info}"
        );
        assert_eq!(call(webview, "hall_mode", json!({})).unwrap(), json!(true));
        let saved: Value =
            serde_json::from_str(&std::fs::read_to_string(settings).unwrap()).unwrap();
        assert_eq!(saved["server_url"], json!(url), "{saved}");
        assert_eq!(saved.get("database_url"), None, "{saved}");
        // The session ended: the server's accounts apply now.
        assert_eq!(
            hall("auth_status", json!({})).unwrap()["account"],
            Value::Null
        );
        // This PC's database is closed to the window's commands.
        let local = call(webview, "list_towns", json!({})).unwrap_err();
        assert_eq!(local["code"], "on_hall_server", "{local}");

        let me = hall(
            "auth_login",
            json!({"username": "chuangkou", "password": DEMO_PASSWORD}),
        )
        .unwrap();
        assert_eq!(me["username"], "chuangkou");
        let staff = me["staff_no"].as_str().unwrap().to_string();
        let status = hall("auth_status", json!({})).unwrap();
        assert!(
            status["permissions"]
                .as_array()
                .unwrap()
                .contains(&json!("intake")),
            "{status}"
        );
        let seen = call(webview, "hall_changes", json!({"seen": null})).unwrap();

        let intake = json!({"staff": staff, "item": "MZ-001", "name": "王芳",
            "id": bianmin_core::identity::with_check_char("11010519501231002"),
            "idempotencyKey": "0123456789abcdef0123456789abcdef"});
        let first = hall("request_new", intake.clone()).unwrap();
        let again = hall("request_new", intake).unwrap();
        let number = first["number"].as_str().unwrap().to_string();
        assert_eq!(again["number"], json!(number));
        // The push of that intake has woken the lists.
        let now = call(webview, "hall_changes", json!({ "seen": seen })).unwrap();
        assert!(now.as_u64() > seen.as_u64(), "{seen} → {now}");

        // Another counter takes a resident in: an open list's wait ends at once.
        let other = std::thread::spawn({
            let url = url.to_string();
            move || {
                use bianmin_server::client::{Client, ServerUrl};
                std::thread::sleep(std::time::Duration::from_millis(300));
                let client = Client::new(ServerUrl::parse(&url).unwrap(), None);
                let login = json!({"username": "chuangkou", "password": DEMO_PASSWORD});
                let token = client
                    .send("POST", "/api/login", None, &login.to_string())
                    .unwrap()
                    .json()
                    .unwrap()
                    .unwrap()["token"]
                    .as_str()
                    .unwrap()
                    .to_string();
                let body = json!({"item": "MZ-001", "name": "赵敏",
                    "id": bianmin_core::identity::with_check_char("11010519520101002")});
                client
                    .send("POST", "/api/request_new", Some(&token), &body.to_string())
                    .unwrap()
            }
        });
        let waited = std::time::Instant::now();
        let later = call(webview, "hall_changes", json!({ "seen": now })).unwrap();
        assert!(later.as_u64() > now.as_u64());
        assert!(
            waited.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            waited.elapsed()
        );
        assert_eq!(other.join().unwrap().status, 200);

        // The receipt is the server's, previewed here.
        let preview = call(
            webview,
            "form_preview",
            json!({"kind": "receipt", "number": number, "paper": "A5"}),
        )
        .unwrap();
        assert_eq!(preview["form"]["request_number"], json!(number));
        assert!(!preview["pages"].as_array().unwrap().is_empty());

        // The server refuses a clerk's decision, whatever the window offers.
        let decide = hall(
            "request_step",
            json!({"number": number, "staff": staff, "step": "decide", "result": "approved"}),
        )
        .unwrap_err();
        assert_eq!(decide["code"], "forbidden", "{decide}");

        // The server's audit log names this PC's address for the intake.
        let conn = rusqlite::Connection::open(server_dir.join("bianmin.db")).unwrap();
        let by: String = conn
            .query_row(
                "SELECT os_user FROM audit_log WHERE request_number = ?1 ORDER BY id LIMIT 1",
                [&number],
                |r| r.get(0),
            )
            .unwrap();
        assert!(by.ends_with("@127.0.0.1"), "{by}");
        hall("auth_logout", json!({})).unwrap();
        assert_eq!(
            hall("auth_status", json!({})).unwrap()["account"],
            Value::Null
        );
    }
}
