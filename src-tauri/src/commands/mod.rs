//! One module per area; each command parses its arguments at the edge and calls the core.

pub mod accounts;
pub mod catalog;
pub mod database;
pub mod devices;
pub mod forms;
pub mod front;
pub mod report;
pub mod requests;
pub mod staffing;
pub mod startup;

use std::path::{Path, PathBuf};

use crate::error::CommandError;
use crate::AppState;
use bianmin_core::accounts::{Account, Permission};
use bianmin_core::date;
use bianmin_core::store::AnyStore;
use chrono::NaiveDate;

/// Runs `f` with the open store, or reports why there is none.
pub(crate) fn with_store<R>(
    state: &AppState,
    f: impl FnOnce(&mut AnyStore) -> bianmin_core::Result<R>,
) -> Result<R, CommandError> {
    let mut guard = state.store.lock().unwrap_or_else(|p| p.into_inner());
    match guard.as_mut() {
        Ok(store) => f(store).map_err(CommandError::from),
        Err(e) => Err(e.clone()),
    }
}

/// The account of this window's live session if one of its roles grants `needed`; otherwise
/// why not (not logged in, idle too long, or a role that does not allow it, which is recorded).
/// Every command calls this before it does anything else.
pub(crate) fn authorized(
    state: &AppState,
    needed: Permission,
    what: &str,
) -> Result<Account, CommandError> {
    authorized_as(state, needed, what, false)
}

/// [`authorized`] for a call the window may make in the background (the request list's
/// refresh): it does not count as activity, so it keeps no unattended session alive.
pub(crate) fn authorized_as(
    state: &AppState,
    needed: Permission,
    what: &str,
    background: bool,
) -> Result<Account, CommandError> {
    use bianmin_core::accounts::Activity;
    let at = date::now()?;
    let mut session = state.session.lock().unwrap_or_else(|p| p.into_inner());
    let activity = if background {
        Activity::Background
    } else {
        Activity::Person
    };
    with_store(state, |s| {
        bianmin_core::accounts::authorize_as(
            s,
            &mut session,
            needed,
            what,
            activity,
            std::time::Instant::now(),
            at,
        )
    })
}

/// The staff member `me` acts as: their own, which a `staff` sent by the window must match (a
/// mismatch is refused and recorded).
pub(crate) fn acting(
    state: &AppState,
    me: &Account,
    staff: &str,
    what: &str,
) -> Result<String, CommandError> {
    let at = date::now()?;
    with_store(state, |s| {
        bianmin_core::accounts::act_as(s, me, Some(staff), what, at)
    })
}

/// The town `me` may read for a screen that asked for `town` (`None`: the account's own, or every
/// town for the county role); another town than its own is refused and recorded.
pub(crate) fn town_for(
    state: &AppState,
    me: &Account,
    town: Option<&str>,
    what: &str,
) -> Result<Option<String>, CommandError> {
    let at = date::now()?;
    with_store(state, |s| {
        bianmin_core::accounts::see_town(s, me, town, what, at)
    })
}

/// The date a screen asked for (`YYYY-MM-DD`), or today in Beijing when it sent none.
pub(crate) fn on_or_today(on: Option<String>) -> Result<NaiveDate, CommandError> {
    Ok(match on.filter(|s| !s.trim().is_empty()) {
        Some(s) => date::parse_date("on", &s)?,
        None => date::today()?,
    })
}

pub(crate) fn failure(code: &'static str, message: impl Into<String>) -> CommandError {
    CommandError {
        code: code.into(),
        field: None,
        message: message.into(),
    }
}

/// Asks where to save a file in the system's save dialog. `None` when the user cancels (and
/// always in a test build, which never opens a native dialog). The chosen path gets `ext` when
/// it has no extension.
pub(crate) fn choose_save_path<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    title: &str,
    file_name: &str,
    filter: &str,
    ext: &str,
) -> Result<Option<PathBuf>, CommandError> {
    if cfg!(test) {
        return Ok(None);
    }
    use tauri_plugin_dialog::DialogExt;

    let Some(chosen) = app
        .dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name)
        .add_filter(filter, &[ext])
        .blocking_save_file()
    else {
        return Ok(None);
    };
    let mut path = chosen.into_path().map_err(|e| {
        eprintln!("bianmin: save dialog: {e}");
        failure(
            "save_failed",
            "保存失败：无法使用所选的位置，请另选一个文件夹。",
        )
    })?;
    if path.extension().is_none() {
        path.set_extension(ext);
    }
    Ok(Some(path))
}

/// Writes the bytes beside `path` and then moves them into place, so that a failed write never
/// leaves half a file behind.
pub(crate) fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), CommandError> {
    // 0600, as every file Bianmin writes (issue 17).
    bianmin_core::files::write_whole(path, bytes).map_err(|e| {
        eprintln!("bianmin: saving {}: {e}", path.display());
        failure(
            "save_failed",
            format!(
                "保存失败：无法写入“{}”，请确认文件夹可写、磁盘有空间，或另选位置。",
                path.display()
            ),
        )
    })
}
