//! The app on Tauri's mock runtime, for tests that call its commands as the window does: the
//! real `invoke_handler()` and `AppState` over a demo database in a temporary folder.

use crate::{invoke_handler, AppState};
use bianmin_core::store::{AnyStore, SqliteStore};
use serde_json::Value;
use std::sync::Mutex;
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};

pub(crate) fn call(
    webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    body: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        webview,
        tauri::webview::InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: tauri::ipc::InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().unwrap())
}

/// A fresh app on a demo database with one request taken in, and its window.
pub(crate) fn app() -> (
    tempfile::TempDir,
    tauri::App<tauri::test::MockRuntime>,
    tauri::WebviewWindow<tauri::test::MockRuntime>,
    String,
) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("bianmin.db")).unwrap();
    let now = bianmin_core::date::now().unwrap();
    bianmin_core::demo::load(&mut store, now.date()).unwrap();
    // As an administrator would before the tests log in: the demo accounts' first-login change
    // of password is done (the password stays the published one).
    for demo in bianmin_core::demo::DEMO_ACCOUNTS {
        bianmin_core::accounts::set_password(
            &mut store,
            demo.username,
            bianmin_core::demo::DEMO_PASSWORD,
            "guanli",
            now,
        )
        .unwrap();
    }
    let number = bianmin_core::request::new_request(
        &mut store,
        &bianmin_core::request::NewRequest {
            staff: "DF0013".into(),
            item: "MZ-001".into(),
            name: "李玥".into(),
            id: Some(bianmin_core::identity::with_check_char("11010519491231002")),
            credit_code: None,
            phone: None,
            materials: None,
            remark: None,
            agent_name: None,
            agent_id: None,
            agent_relation: None,
            examine_later: false,
            pledge: None,
            idempotency_key: None,
        },
        now,
    )
    .unwrap()
    .view
    .number;
    let state = AppState {
        store: Mutex::new(Ok(AnyStore::Sqlite(store))),
        session: Mutex::new(None),
        database: Mutex::new(None),
        idle_limit: std::time::Duration::from_secs(600),
        hall: Mutex::new(None),
    };
    let app = mock_builder()
        .manage(state)
        .invoke_handler(invoke_handler())
        .build(mock_context(noop_assets()))
        .unwrap();
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (dir, app, webview, number)
}
