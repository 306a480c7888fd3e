//! Logging in and out, the first administrator, accounts, and backup and restore from the app.
//! Every rule (password policy, lockout, roles) is the core's `accounts` module; these commands
//! keep the one session of this window.

use std::time::Instant;

use bianmin_core::accounts::{self, Account, NewAccount, Permission, Role, Session};
use bianmin_core::address::Database;
use bianmin_core::backup_service::{self, Operator};
use bianmin_core::date;
use bianmin_core::retention::{self, RetentionReport, RetentionStatus};
use bianmin_core::store::backup::BackupReport;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::{authorized, choose_save_path, failure, with_store};
use crate::error::CommandError;
use crate::AppState;

#[derive(Debug, Serialize, TS)]
pub struct AuthStatus {
    /// No account exists yet: the window asks for the first administrator.
    pub needs_setup: bool,
    /// Who is logged in, when someone is and the session is live.
    pub account: Option<Account>,
    /// What the account's roles allow, for the window to offer only those screens (the commands
    /// check again).
    pub permissions: Vec<Permission>,
    /// Minutes of inactivity after which the session ends.
    pub idle_minutes: u64,
}

fn start_session(state: &AppState, account: Account) -> Account {
    let mut session = state.session.lock().unwrap_or_else(|p| p.into_inner());
    *session = Some(Session::new(
        account.clone(),
        Instant::now(),
        state.idle_limit,
    ));
    account
}

/// Whether the window must ask for a first administrator, and who is logged in.
#[tauri::command]
pub fn auth_status(state: State<'_, AppState>) -> Result<AuthStatus, CommandError> {
    let needs_setup = with_store(&state, accounts::needs_first_admin)?;
    let mut session = state.session.lock().unwrap_or_else(|p| p.into_inner());
    let account = match session.as_mut() {
        Some(s) => s.touch(Instant::now()).ok().map(|_| s.account.clone()),
        None => None,
    };
    if account.is_none() {
        *session = None;
    }
    let permissions = account
        .as_ref()
        .map(|a| Permission::ALL.into_iter().filter(|&p| a.can(p)).collect())
        .unwrap_or_default();
    Ok(AuthStatus {
        needs_setup,
        account,
        permissions,
        idle_minutes: state.idle_limit.as_secs() / 60,
    })
}

/// Creates the first administrator on a database without accounts, with the one-time setup
/// code `bianmin init` printed, and logs them in.
#[tauri::command]
pub fn auth_setup(
    state: State<'_, AppState>,
    username: String,
    display_name: String,
    password: String,
    code: String,
) -> Result<Account, CommandError> {
    let at = date::now()?;
    let account = with_store(&state, |s| {
        accounts::create_first_admin(s, &username, &display_name, &password, &code, at)
    })?;
    Ok(start_session(&state, account))
}

/// Logs in (five failures in a row lock the account for fifteen minutes).
#[tauri::command]
pub fn auth_login(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> Result<Account, CommandError> {
    let at = date::now()?;
    let account = with_store(&state, |s| accounts::login(s, &username, &password, at))?;
    Ok(start_session(&state, account))
}

/// Ends the session.
#[tauri::command]
pub fn auth_logout(state: State<'_, AppState>) -> Result<(), CommandError> {
    let ended = state
        .session
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    if let Some(s) = ended {
        let at = date::now()?;
        with_store(&state, |st| {
            accounts::record_action(
                st,
                "logout",
                Some(&s.account),
                "退出登录",
                &s.account.username,
                at,
            )
        })?;
    }
    Ok(())
}

/// Changes the logged-in account's own password, after checking the current one.
#[tauri::command]
pub fn auth_change_password(
    state: State<'_, AppState>,
    current: String,
    password: String,
) -> Result<(), CommandError> {
    let at = date::now()?;
    let mut session = state.session.lock().unwrap_or_else(|p| p.into_inner());
    // Any logged-in person, a demo account that must change its password first included.
    let me = with_store(&state, |s| {
        accounts::session_account(
            s,
            &mut session,
            "修改密码",
            accounts::Activity::Person,
            Instant::now(),
            at,
        )
    })?;
    let changed = with_store(&state, |s| {
        accounts::change_own_password(s, &me.username, &current, &password, at)
    })?;
    // The session goes on with the new credential.
    if let Some(live) = session.as_mut() {
        live.account = changed;
    }
    Ok(())
}

// ---- administration ----

/// Every account, without password hashes.
#[tauri::command]
pub fn account_list(state: State<'_, AppState>) -> Result<Vec<Account>, CommandError> {
    authorized(&state, Permission::ManageAccounts, "查看账号")?;
    with_store(&state, accounts::list_accounts)
}

/// Adds an account. `roles` are the Chinese role names.
#[tauri::command]
pub fn account_create(
    state: State<'_, AppState>,
    username: String,
    display_name: String,
    staff_no: Option<String>,
    roles: Vec<String>,
    password: String,
) -> Result<Account, CommandError> {
    let admin = authorized(&state, Permission::ManageAccounts, "添加账号")?;
    let roles = roles
        .iter()
        .map(|r| {
            Role::parse(r)
                .ok_or_else(|| bianmin_core::Error::invalid("roles", format!("未知的角色“{r}”")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let new = NewAccount {
        username,
        display_name,
        staff_no: staff_no.filter(|s| !s.trim().is_empty()),
        roles,
        password,
    };
    let at = date::now()?;
    with_store(&state, |s| {
        accounts::create_account(s, &new, &admin.username, at)
    })
}

/// Lifts a lock after failed logins.
#[tauri::command]
pub fn account_unlock(state: State<'_, AppState>, username: String) -> Result<(), CommandError> {
    let admin = authorized(&state, Permission::ManageAccounts, "解锁账号")?;
    let at = date::now()?;
    with_store(&state, |s| {
        accounts::unlock(s, &username, &admin.username, at)
    })
}

/// Disables or re-enables an account. An administrator cannot disable their own account.
#[tauri::command]
pub fn account_set_disabled(
    state: State<'_, AppState>,
    username: String,
    disabled: bool,
) -> Result<(), CommandError> {
    let admin = authorized(&state, Permission::ManageAccounts, "停用账号")?;
    if disabled && username.trim() == admin.username {
        return Err(bianmin_core::Error::invalid("username", "不能停用当前登录的账号。").into());
    }
    let at = date::now()?;
    with_store(&state, |s| {
        accounts::set_disabled(s, &username, disabled, &admin.username, at)
    })
}

/// Sets a new password for an account (the administrator tells the user in person).
#[tauri::command]
pub fn account_reset_password(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> Result<(), CommandError> {
    let admin = authorized(&state, Permission::ManageAccounts, "重设密码")?;
    let at = date::now()?;
    with_store(&state, |s| {
        accounts::set_password(s, &username, &password, &admin.username, at)
    })
}

// ---- retention of residents' numbers (issue 17 point 2) ----

/// The retention period and what it makes due today.
#[tauri::command]
pub async fn retention_status(state: State<'_, AppState>) -> Result<RetentionStatus, CommandError> {
    authorized(&state, Permission::Backup, "查看个人信息留存期限")?;
    let today = date::today()?;
    with_store(&state, |s| retention::status(s, today))
}

/// Sets the period in whole years (`None`: no period, nothing is removed); audited.
#[tauri::command]
pub async fn retention_set(
    state: State<'_, AppState>,
    years: Option<String>,
) -> Result<RetentionStatus, CommandError> {
    let admin = authorized(&state, Permission::Backup, "设置个人信息留存期限")?;
    let years = years
        .map(|y| retention::parse_years("years", &y))
        .transpose()?;
    let at = date::now()?;
    with_store(&state, |s| {
        retention::set_period(s, years, Operator::App(&admin), at)
    })
}

/// Masks the numbers of the requests past the period (audited), or with `dry_run` says what
/// it would change and changes nothing.
#[tauri::command]
pub async fn retention_run(
    state: State<'_, AppState>,
    dry_run: bool,
) -> Result<RetentionReport, CommandError> {
    let admin = authorized(&state, Permission::Backup, "执行个人信息留存处理")?;
    let at = date::now()?;
    with_store(&state, |s| {
        retention::run(s, Operator::App(&admin), dry_run, at)
    })
}

// ---- backup and restore ----

/// Backs the database up (SQLite's online backup API) to a file chosen in the save dialog.
/// `None` when the administrator cancels.
#[tauri::command]
pub async fn backup_create<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<BackupReport>, CommandError> {
    let admin = authorized(&state, Permission::Backup, "备份数据库")?;
    if super::database::on_server(&state) {
        return Err(Operator::App(&admin).on_server("备份").into());
    }
    let stamp = date::file_stamp(date::now()?);
    let name = format!("便民备份-{stamp}.db");
    let Some(path) = choose_save_path(&app, "备份数据库", &name, "便民数据库", "db")?
    else {
        return Ok(None);
    };
    let at = date::now()?;
    let report = with_store(&state, |s| {
        backup_service::backup(s, &path, Operator::App(&admin), at)
    })?;
    Ok(Some(report))
}

/// A backup chosen in the open dialog, checked as a restore would check it, and the accounts it
/// would change: what the administrator confirms before anything is applied (issue 17).
#[derive(Debug, Serialize, TS)]
pub struct RestoreCheck {
    pub file: String,
    pub accounts: Vec<bianmin_core::store::backup::AccountChange>,
}

/// Asks which backup to restore and checks it, changing nothing; `None` when the administrator
/// cancels. A refused file (not a Bianmin database, a crafted schema, an audit log that does not
/// verify) is refused here, before any question.
#[tauri::command]
pub async fn backup_restore_check<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<RestoreCheck>, CommandError> {
    let (admin, db_path) = restore_target(&state)?;
    let Some(src) = choose_open_path(&app)? else {
        return Ok(None);
    };
    let _ = admin;
    let accounts = bianmin_core::store::backup::preview(&db_path, &src)?;
    Ok(Some(RestoreCheck {
        file: src.display().to_string(),
        accounts,
    }))
}

/// Replaces the database by the backup the administrator checked and confirmed
/// (`backup_restore_check`). The file is checked again and nothing changes when it is refused;
/// the database as it was is kept beside. The session ends: the restored accounts apply.
#[tauri::command]
pub async fn backup_restore(
    state: State<'_, AppState>,
    file: String,
) -> Result<BackupReport, CommandError> {
    let (admin, _) = restore_target(&state)?;
    restore_from(&state, &admin, std::path::Path::new(&file))
}

/// The administrator asking for a restore, and the database file it would replace.
fn restore_target(state: &AppState) -> Result<(Account, std::path::PathBuf), CommandError> {
    let admin = authorized(state, Permission::Backup, "恢复数据库")?;
    if super::database::on_server(state) {
        return Err(Operator::App(&admin).on_server("恢复").into());
    }
    let db = state
        .database
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let Some((db, _)) = db else {
        return Err(Operator::App(&admin).on_server("恢复").into());
    };
    let path = backup_service::sqlite_file(&db, Operator::App(&admin), "恢复")?.to_path_buf();
    Ok((admin, path))
}

/// Asks which backup to restore in the system's open dialog. `None` when the user cancels (and
/// always in a test build, which never opens a native dialog).
fn choose_open_path<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
) -> Result<Option<std::path::PathBuf>, CommandError> {
    if cfg!(test) {
        return Ok(None);
    }
    use tauri_plugin_dialog::DialogExt;
    let Some(chosen) = app
        .dialog()
        .file()
        .set_title("选择要恢复的备份")
        .add_filter("便民数据库", &["db", "sqlite"])
        .blocking_pick_file()
    else {
        return Ok(None);
    };
    chosen.into_path().map(Some).map_err(|e| {
        eprintln!("bianmin: open dialog: {e}");
        failure("restore_failed", "无法使用所选的文件，请另选一个。")
    })
}

/// The restore itself (the core's backup service), with the store closed while the file is
/// replaced and opened again after.
pub(crate) fn restore_from(
    state: &AppState,
    admin: &Account,
    src: &std::path::Path,
) -> Result<BackupReport, CommandError> {
    let at = date::now()?;
    let db = state
        .database
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let Some((db, _)) = db else {
        return Err(Operator::App(admin).on_server("恢复").into());
    };
    let db_path = backup_service::sqlite_file(&db, Operator::App(admin), "恢复")?.to_path_buf();
    let mut store = state.store.lock().unwrap_or_else(|p| p.into_inner());
    // Close the connection: the file is replaced underneath.
    let closed = std::mem::replace(&mut *store, Err(crate::closed_for_restore()));
    drop(closed);
    let result = backup_service::restore(&db_path, src, Operator::App(admin), at);
    *store = crate::open_db(&Database::File(db_path));
    let report = result?;
    drop(store);
    *state.session.lock().unwrap_or_else(|p| p.into_inner()) = None;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bianmin_core::paths::Source;
    use bianmin_core::store::{AnyStore, SqliteStore, Store};
    use std::sync::Mutex;
    use std::time::Duration;

    fn app_state(db: Database, store: AnyStore, admin: &Account) -> AppState {
        AppState {
            store: Mutex::new(Ok(store)),
            database: Mutex::new(Some((db, Source::Flag))),
            session: Mutex::new(Some(Session::new(
                admin.clone(),
                Instant::now(),
                Duration::from_secs(600),
            ))),
            idle_limit: Duration::from_secs(600),
            hall: Mutex::new(None),
        }
    }

    /// A demo database in `dir`, with its administrator.
    fn demo_file(dir: &std::path::Path) -> (std::path::PathBuf, SqliteStore, Account) {
        let path = dir.join("bianmin.db");
        let mut file = SqliteStore::open(&path).unwrap();
        bianmin_core::demo::load(&mut file, date::parse_date("on", "2026-11-28").unwrap()).unwrap();
        let admin = accounts::list_accounts(&mut file)
            .unwrap()
            .into_iter()
            .find(|a| a.roles.contains(&Role::Admin))
            .unwrap();
        (path, file, admin)
    }

    #[test]
    fn a_restore_from_the_app_reopens_the_store_records_itself_and_ends_the_session() {
        let dir = tempfile::tempdir().unwrap();
        let (path, file, admin) = demo_file(dir.path());
        let mut store = AnyStore::Sqlite(file);
        let copy = dir.path().join("copy.db");
        let at = date::now().unwrap();
        backup_service::backup(&mut store, &copy, Operator::App(&admin), at).unwrap();
        let in_copy = store.verify_audit().unwrap().records - 1;
        store
            .write(|c| c.ensure_town("新建镇").map(|_| ()))
            .unwrap();
        let state = app_state(Database::File(path.clone()), store, &admin);

        let report = restore_from(&state, &admin, &copy).unwrap();
        assert_eq!(report.file, copy.display().to_string());
        assert!(
            state.session.lock().unwrap().is_none(),
            "the session goes on"
        );
        let mut guard = state.store.lock().unwrap();
        let store = guard.as_mut().expect("the store is open again");
        let towns = bianmin_core::staffing::town_names(store).unwrap();
        assert!(!towns.contains(&"新建镇".to_string()), "{towns:?}");
        let audit = store.verify_audit().unwrap();
        assert!(audit.ok);
        assert_eq!(audit.records, in_copy + 1, "one record of the restore");
    }

    #[test]
    fn a_restore_refused_leaves_the_database_open_and_the_session_alone() {
        let dir = tempfile::tempdir().unwrap();
        let (path, file, admin) = demo_file(dir.path());
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, "not a database").unwrap();
        let state = app_state(Database::File(path), AnyStore::Sqlite(file), &admin);
        let e = restore_from(&state, &admin, &junk).unwrap_err();
        assert_eq!(e.code, "invalid_input");
        assert!(state.session.lock().unwrap().is_some());
        assert!(state.store.lock().unwrap().is_ok());

        let server = Database::Server("postgres://hall:pw@10.0.0.5/bianmin".into());
        let file = SqliteStore::open(&dir.path().join("other.db")).unwrap();
        let state = app_state(server, AnyStore::Sqlite(file), &admin);
        let e = restore_from(&state, &admin, &junk).unwrap_err();
        assert!(
            e.message.starts_with("本机连接的是 PostgreSQL 服务器"),
            "{}",
            e.message
        );
    }
}
