//! The desktop shell: opens the database, registers the commands, starts the window.
//! Every command is a thin call into `bianmin_core`; no rule lives here.

mod commands;
mod error;
mod hall;
mod print;
mod roles;
#[cfg(test)]
mod test_app;
#[cfg(test)]
mod ts_types;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bianmin_core::accounts::{self, Session};
use bianmin_core::address::Database;
use bianmin_core::paths::{self, Source};
use bianmin_core::store::AnyStore;

/// What the commands share: the open database (or why it could not be opened) and the session
/// of whoever logged in at this window.
pub struct AppState {
    store: Mutex<Result<AnyStore, error::CommandError>>,
    session: Mutex<Option<Session>>,
    /// Which database is open and where that choice came from (`None` when no data folder or
    /// a broken settings file left nothing to open; `store` says why).
    database: Mutex<Option<(Database, Source)>>,
    /// How long the session may stay idle (`BIANMIN_IDLE_MINUTES`, 30 by default).
    idle_limit: Duration,
    /// The hall server this counter works through, when it does (issue 18): `store` is then
    /// no database and every command of the window goes to the server.
    hall: Mutex<Option<Arc<hall::HallLink>>>,
}

/// On Linux, GTK cannot start without a display; say so plainly instead of panicking.
fn has_display() -> bool {
    if cfg!(target_os = "linux") {
        ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
    } else {
        true
    }
}

/// Opens (creating or upgrading) a database: a file, or a server the hall's counters share.
/// A database file's checkpoints run in the background while the counter is idle, never
/// inside a clerk's commit (issue 21).
pub(crate) fn open_db(db: &Database) -> Result<AnyStore, error::CommandError> {
    let mut store = AnyStore::open(db)?;
    if let AnyStore::Sqlite(s) = &mut store {
        s.checkpoint_in_background()?;
    }
    Ok(store)
}

/// What commands answer in the moment the database is closed for a restore.
pub(crate) fn closed_for_restore() -> error::CommandError {
    error::CommandError {
        code: "restoring".into(),
        field: None,
        message: "正在恢复数据库，请稍候再试。".into(),
    }
}

/// Every command the window may invoke. Which role may call each is `roles::COMMANDS`, and a
/// test calls every one of them as every role through this handler.
pub(crate) fn invoke_handler<R: tauri::Runtime>(
) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        commands::accounts::auth_status,
        commands::accounts::auth_setup,
        commands::accounts::auth_login,
        commands::accounts::auth_logout,
        commands::accounts::auth_change_password,
        commands::accounts::account_list,
        commands::accounts::account_create,
        commands::accounts::account_unlock,
        commands::accounts::account_set_disabled,
        commands::accounts::account_reset_password,
        commands::accounts::backup_create,
        commands::accounts::backup_restore,
        commands::accounts::backup_restore_check,
        commands::accounts::retention_status,
        commands::accounts::retention_set,
        commands::accounts::retention_run,
        commands::database::database_info,
        commands::database::database_test,
        commands::database::database_use,
        commands::database::database_recover,
        commands::staffing::list_towns,
        commands::staffing::staffing,
        commands::staffing::unit_people,
        commands::staffing::rota_week,
        commands::staffing::staffing_demand,
        commands::staffing::staffing_export_xlsx,
        commands::report::report,
        commands::report::report_requests,
        commands::report::report_export,
        commands::catalog::catalog_search,
        commands::catalog::catalog_departments,
        commands::catalog::catalog_item,
        commands::catalog::list_staff,
        commands::catalog::authority,
        commands::catalog::letter_alerts,
        commands::requests::request_new,
        commands::requests::request_consult,
        commands::requests::identity_check,
        commands::requests::request_show,
        commands::requests::request_step,
        commands::requests::request_search,
        commands::requests::request_list,
        commands::requests::request_full_id,
        commands::forms::form_preview,
        commands::forms::form_print,
        commands::forms::form_save,
        commands::forms::printers,
        commands::forms::form_issues,
        commands::startup::startup_painted,
        commands::front::queue_take,
        commands::front::queue_call,
        commands::front::queue_done,
        commands::front::queue_return,
        commands::front::queue_stats,
        commands::front::rating_add,
        commands::front::rating_list,
        commands::front::followup_step,
        commands::devices::device_open,
        commands::devices::device_list,
        commands::devices::device_close,
        commands::devices::followup_period,
        hall::hall_mode,
        hall::hall_call,
        hall::hall_changes,
    ]
}

/// WebKitGTK's compositing paints the page through OpenGL; on a counter PC without a usable GPU
/// that is Mesa's software rasteriser (llvmpipe), which costs the web process some 90 MiB at the
/// login screen and grows with every layer a page had (README, memory over a working day). The
/// app's pages are forms and tables, which WebKit paints without compositing as well, so the
/// window turns it off. `BIANMIN_GPU_COMPOSITING=1` keeps WebKit's default, e.g. to compare.
fn paint_without_gpu_compositing<R: tauri::Runtime>(app: &tauri::App<R>) {
    #[cfg(target_os = "linux")]
    {
        use tauri::Manager;
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if std::env::var_os("BIANMIN_GPU_COMPOSITING").is_some_and(|v| v == "1") {
            return;
        }
        for window in app.webview_windows().into_values() {
            let done = window.with_webview(|webview| {
                if let Some(settings) = webview.inner().settings() {
                    settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                }
            });
            if let Err(e) = done {
                eprintln!("could not turn off the web view's GPU compositing: {e}");
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

type Chosen = (
    Option<(Database, Source)>,
    Result<AnyStore, error::CommandError>,
    Option<Arc<hall::HallLink>>,
);

/// What this counter works on at start: the hall server of its setting, else the database file
/// (`--db`, `BIANMIN_DB`, the setting, or its own). An older setting naming a PostgreSQL server
/// opens nothing: the login screen says why and offers the way back.
fn choose() -> Chosen {
    let chosen = match paths::choose_database(None) {
        Ok(chosen) => chosen,
        Err(e) => return (None, Err(e.into()), None),
    };
    let settings = || paths::settings_path().and_then(|p| paths::load_settings(&p).ok());
    let server = match chosen.1 {
        Source::Settings | Source::Default => settings().and_then(|s| s.server_url),
        Source::Flag | Source::Env => None,
    };
    if let Some(url) = server {
        let link = bianmin_server::client::ServerUrl::parse(&url)
            .map_err(error::CommandError::from)
            .and_then(hall::HallLink::new);
        return match link {
            Ok(link) => (
                None,
                Err(commands::database::on_hall()),
                Some(Arc::new(link)),
            ),
            Err(e) => (None, Err(e), None),
        };
    }
    if let Database::Server(url) = &chosen.0 {
        let why = commands::database::direct_server_retired(url.as_str());
        return (Some(chosen), Err(why), None);
    }
    let store = open_db(&chosen.0);
    // The setting that opened is the one "back" returns to while a later one does not
    // (issue 17, point 10); `--db` and BIANMIN_DB are no setting.
    if store.is_ok() && matches!(chosen.1, Source::Settings | Source::Default) {
        if let Some(path) = paths::settings_path() {
            if let Err(e) = paths::remember_working(&path) {
                eprintln!("bianmin: cannot remember the working database setting: {e}");
            }
        }
    }
    (Some(chosen), store, None)
}

pub fn run() {
    if !has_display() {
        eprintln!(
            "便民需要图形界面，但当前没有显示器（DISPLAY 未设置）。请在桌面环境中运行，\
             或在无显示器的机器上使用命令行工具 bianmin。\n\
             Bianmin needs a graphical display and none is available （DISPLAY is not set）. \
             Run it from a desktop session, or use the `bianmin` command-line tool instead."
        );
        std::process::exit(1);
    }
    let (database, store, hall) = choose();
    let state = AppState {
        store: Mutex::new(store),
        database: Mutex::new(database),
        session: Mutex::new(None),
        idle_limit: accounts::idle_limit_from_env(),
        hall: Mutex::new(hall),
    };
    tauri::Builder::default()
        .setup(|app| {
            paint_without_gpu_compositing(app);
            Ok(())
        })
        .manage(state)
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(invoke_handler())
        .run(tauri::generate_context!())
        .expect("error while running the Bianmin app");
}
