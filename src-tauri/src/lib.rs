//! The desktop shell: opens the database, registers the commands, starts the window.
//! Every command is a thin call into `bianmin_core`; no rule lives here.

mod commands;
mod error;

use std::sync::Mutex;

use bianmin_core::paths;
use bianmin_core::store::SqliteStore;

/// What the commands share: the open database, or why it could not be opened.
pub struct AppState {
    store: Mutex<Result<SqliteStore, error::CommandError>>,
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

fn open_store() -> Result<SqliteStore, error::CommandError> {
    let path = paths::resolve_db(None).ok_or_else(|| error::CommandError {
        code: "no_data_dir",
        message: "找不到本机的应用数据文件夹，请设置环境变量 BIANMIN_DB 指定数据库文件。".into(),
    })?;
    SqliteStore::open(&path).map_err(error::CommandError::from)
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
    let state = AppState {
        store: Mutex::new(open_store()),
    };
    tauri::Builder::default()
        .manage(state)
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            commands::staffing::list_towns,
            commands::staffing::staffing,
            commands::staffing::unit_people,
            commands::staffing::rota_week,
            commands::staffing::staffing_demand,
            commands::staffing::staffing_export_xlsx,
            commands::catalog::catalog_search,
            commands::catalog::catalog_departments,
            commands::catalog::catalog_item,
            commands::catalog::list_staff,
            commands::catalog::authority,
            commands::catalog::letter_alerts,
            commands::requests::request_new,
            commands::requests::request_consult,
            commands::requests::request_show,
            commands::requests::request_step,
            commands::requests::request_search,
            commands::requests::request_list,
            commands::forms::form_preview,
            commands::forms::form_print,
            commands::forms::form_save,
            commands::forms::printers,
            commands::forms::form_issues,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Bianmin app");
}
