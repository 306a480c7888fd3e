//! A counter on the hall server (issue 18): this PC holds the address, the pinned certificate
//! and its user's session token, never a database or its password. The window's commands go
//! to the server as the operations of the same name (`hall_call`); the forms are rendered there
//! and previewed, printed and saved here (`commands::forms`); the server's pushed changes wake
//! the open lists (`hall_changes`).

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use bianmin_core::accounts::Permission;
use bianmin_server::client::{new_key, Client, ServerUrl};
use bianmin_server::pins;
use serde_json::{json, Map, Value};
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

/// The server this counter works through, and the session of whoever logged in at it.
pub struct HallLink {
    pub url: ServerUrl,
    client: Client,
    token: Arc<Mutex<Option<String>>>,
    /// How many pushed changes have arrived, and the lists waiting for the next.
    changes: Arc<(Mutex<u64>, Condvar)>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The window's commands that run on this PC even on the hall server: the setting itself, the
/// transport, and what needs this PC's printers, dialogs or screen (the forms and the workbook
/// are made by the server and printed or saved here). The window's `call()` sends every other
/// command through [`hall_call`]; `ui/src/api/invoke.ts` holds the same list (tested).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const ON_THIS_PC: &[&str] = &[
    "database_info",
    "database_test",
    "database_use",
    "database_recover",
    "hall_mode",
    "hall_call",
    "hall_changes",
    "startup_painted",
    "form_preview",
    "form_print",
    "form_save",
    "printers",
    "staffing_export_xlsx",
    "report_export",
];

/// The writes a retry must not repeat: sent with an idempotency key, retried once with it.
const KEYED: [&str; 2] = ["request_new", "request_step"];

/// The window's names of arguments (camelCase) as the server's operations take them.
fn snake_case(args: Value) -> Value {
    match args {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let mut key = String::with_capacity(k.len() + 4);
                    for c in k.chars() {
                        if c.is_ascii_uppercase() {
                            key.push('_');
                            key.push(c.to_ascii_lowercase());
                        } else {
                            key.push(c);
                        }
                    }
                    (key, v)
                })
                .collect::<Map<_, _>>(),
        ),
        other => other,
    }
}

impl From<bianmin_server::client::Refusal> for CommandError {
    fn from(r: bianmin_server::client::Refusal) -> Self {
        CommandError {
            code: r.code.into(),
            field: r.field.map(Into::into),
            message: r.message,
        }
    }
}

impl HallLink {
    /// A link to the server at `url`, trusting the certificate pinned for it.
    pub fn new(url: ServerUrl) -> Result<HallLink, CommandError> {
        let pinned = pins::pinned(&url)?;
        Ok(HallLink {
            client: Client::new(url.clone(), pinned),
            url,
            token: Arc::new(Mutex::new(None)),
            changes: Arc::new((Mutex::new(0), Condvar::new())),
        })
    }

    /// The server's address as a person reads it.
    pub fn shown(&self) -> String {
        self.url.shown()
    }

    /// Whether the server answers (`GET /api/health`), or why not.
    pub fn health(&self) -> Result<(), CommandError> {
        let answer = self.client.send("GET", "/api/health", None, "")?;
        answer.json()?.map(|_| ()).map_err(CommandError::from)
    }

    /// `POST /api/<op>` with the session's token. A refusal for want of a session forgets the
    /// token.
    pub fn post(&self, op: &str, args: &Value) -> Result<Value, CommandError> {
        let token = lock(&self.token).clone();
        let path = format!("/api/{op}");
        let body = args.to_string();
        let mut sent = self.client.send("POST", &path, token.as_deref(), &body);
        if KEYED.contains(&op) && matches!(sent, Err(bianmin_core::Error::Unreachable { .. })) {
            // The answer was lost, not necessarily the write: the same key gets the first
            // answer, never a second request.
            std::thread::sleep(Duration::from_secs(1));
            sent = self.client.send("POST", &path, token.as_deref(), &body);
        }
        match sent?.json()? {
            Ok(v) => Ok(v),
            Err(refusal) => {
                // A failed login is no word on the session there is.
                if refusal.status == 401 && op != "login" {
                    *lock(&self.token) = None;
                }
                Err(refusal.into())
            }
        }
    }

    /// The window's command `cmd` through the server.
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, CommandError> {
        let mut args = snake_case(args);
        if !args.is_object() {
            args = json!({});
        }
        match cmd {
            "auth_status" => self.status(),
            "auth_login" => {
                let answer = self.post("login", &args)?;
                let token = answer["token"].as_str().unwrap_or_default().to_string();
                *lock(&self.token) = Some(token.clone());
                // Once the stream is live, a change made after this login wakes the lists
                // (a server that does not say so is waited for a short while only).
                let live = self.follow_changes(token);
                let _ = live.recv_timeout(Duration::from_secs(3));
                Ok(answer["account"].clone())
            }
            "auth_logout" => {
                if lock(&self.token).is_some() {
                    // Gone already or not, the session is over here.
                    let _ = self.post("logout", &json!({}));
                }
                *lock(&self.token) = None;
                Ok(Value::Null)
            }
            "auth_change_password" => self.post("change_password", &args).map(|_| Value::Null),
            "auth_setup" => Err(crate::commands::failure(
                "on_hall_server",
                "大厅服务器的第一位管理员在服务器上创建（在服务器电脑上运行 bianmin account setup），不在窗口电脑上。",
            )),
            "backup_create" | "backup_restore" | "backup_restore_check" => {
                if !self.can(Permission::Backup)? {
                    return Err(crate::commands::failure(
                        "forbidden",
                        "当前账号的角色不允许备份和恢复数据库。",
                    ));
                }
                Err(crate::commands::failure(
                    "on_hall_server",
                    "这台电脑通过大厅服务器工作：数据库在服务器上备份和恢复（在服务器电脑上运行 bianmin backup / bianmin restore）。",
                ))
            }
            op => {
                if KEYED.contains(&op) && args.get("idempotency_key").is_none() {
                    args["idempotency_key"] = json!(new_key()?);
                }
                self.post(op, &args)
            }
        }
    }

    /// `auth_status` as the window asks it: who is logged in at the server, if anyone.
    fn status(&self) -> Result<Value, CommandError> {
        let none = |idle: u64| json!({"needs_setup": false, "account": null, "permissions": [], "idle_minutes": idle});
        let idle = bianmin_core::accounts::idle_limit_from_env().as_secs() / 60;
        if lock(&self.token).is_none() {
            self.health()?;
            return Ok(none(idle));
        }
        match self.post("whoami", &json!({})) {
            Ok(me) => Ok(json!({
                "needs_setup": false,
                "account": me["account"],
                "permissions": me["permissions"],
                "idle_minutes": idle,
            })),
            Err(e) if lock(&self.token).is_none() => {
                let _ = e;
                Ok(none(idle))
            }
            Err(e) => Err(e),
        }
    }

    /// Whether the logged-in account's roles grant `p` (asked of the server).
    pub fn can(&self, p: Permission) -> Result<bool, CommandError> {
        let me = self.post("whoami", &json!({}))?;
        let key = serde_json::to_value(p).unwrap_or_default();
        Ok(me["permissions"]
            .as_array()
            .is_some_and(|ps| ps.contains(&key)))
    }

    /// Ends this PC's session (a switch of database).
    pub fn forget_session(&self) {
        if lock(&self.token).is_some() {
            let _ = self.post("logout", &json!({}));
        }
        *lock(&self.token) = None;
        self.wake();
    }

    fn wake(&self) {
        let (count, ready) = &*self.changes;
        *lock(count) += 1;
        ready.notify_all();
    }

    /// Follows the server's pushed changes for the session of `token` while it lasts: each
    /// wakes the lists waiting in [`HallLink::next_change`], and so does the stream's opening
    /// `ready` (what changed while it was down is reloaded). The receiver hears once, when
    /// the stream is first live.
    fn follow_changes(&self, token: String) -> std::sync::mpsc::Receiver<()> {
        let client = Client::new(self.url.clone(), pins::pinned(&self.url).ok().flatten());
        let changes = self.changes.clone();
        let session = self.token.clone();
        let ours = move |t: &str| lock(&session).as_deref() == Some(t);
        let (live, heard) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            while ours(&token) {
                let answered = client.events(&token, |event, _| {
                    let (count, ready) = &*changes;
                    *lock(count) += 1;
                    ready.notify_all();
                    if event == "ready" {
                        let _ = live.send(());
                    }
                    ours(&token)
                });
                // Refused: the session ended. Broken: once more after a pause, if still ours.
                if matches!(answered, Ok(Some(ref a)) if a.status == 401) {
                    return;
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        });
        heard
    }

    /// How many changes have arrived.
    pub fn changes_now(&self) -> u64 {
        *lock(&self.changes.0)
    }

    /// Waits until a change arrives after `seen` (the count a list last saw), or 25 seconds;
    /// answers the count now.
    pub fn next_change(&self, seen: u64) -> u64 {
        let (count, ready) = &*self.changes;
        let guard = lock(count);
        let (guard, _) = ready
            .wait_timeout_while(guard, Duration::from_secs(25), |n| *n <= seen)
            .unwrap_or_else(|p| p.into_inner());
        *guard
    }
}

/// Whether this counter works through the hall server: the window then sends its commands
/// through [`hall_call`].
#[tauri::command]
pub fn hall_mode(state: State<'_, AppState>) -> bool {
    crate::commands::database::hall_link(&state).is_some()
}

/// The window's command `cmd` with its arguments, through the hall server, which checks the
/// session and the role of every one.
#[tauri::command]
pub async fn hall_call(
    state: State<'_, AppState>,
    cmd: String,
    args: Option<Value>,
) -> Result<Value, CommandError> {
    let link = crate::commands::database::hall_link(&state).ok_or_else(not_on_hall)?;
    tauri::async_runtime::spawn_blocking(move || link.call(&cmd, args.unwrap_or(Value::Null)))
        .await
        .map_err(|_| crate::commands::failure("unexpected", "大厅服务器的调用意外中断。"))?
}

/// Waits for the next change the server pushes after `seen` (at most 25 seconds) and answers
/// the count of changes now: an open list reloads when it grows.
#[tauri::command]
pub async fn hall_changes(
    state: State<'_, AppState>,
    seen: Option<u64>,
) -> Result<u64, CommandError> {
    let link = crate::commands::database::hall_link(&state).ok_or_else(not_on_hall)?;
    tauri::async_runtime::spawn_blocking(move || match seen {
        Some(seen) => link.next_change(seen),
        None => link.changes_now(),
    })
    .await
    .map_err(|_| crate::commands::failure("unexpected", "等待大厅服务器的更新时意外中断。"))
}

fn not_on_hall() -> CommandError {
    crate::commands::failure("not_on_hall", "这台电脑没有使用大厅服务器。")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_sends_the_same_commands_to_the_server() {
        let ui = include_str!("../../ui/src/api/invoke.ts");
        let start = ui
            .find("const ON_THIS_PC = [")
            .expect("ON_THIS_PC in invoke.ts");
        let list = &ui[start..start + ui[start..].find(']').unwrap()];
        let mut named: Vec<&str> = list.split('\'').skip(1).step_by(2).collect();
        let mut ours = ON_THIS_PC.to_vec();
        named.sort();
        ours.sort();
        assert_eq!(named, ours);
    }

    #[test]
    fn the_windows_argument_names_become_the_servers() {
        let args = json!({"displayName": "新人", "staffNo": null, "targetWaitS": 120,
                          "dryRun": true, "town": "东风镇", "formNo": "x"});
        assert_eq!(
            snake_case(args),
            json!({"display_name": "新人", "staff_no": null, "target_wait_s": 120,
                   "dry_run": true, "town": "东风镇", "form_no": "x"})
        );
        assert_eq!(snake_case(Value::Null), Value::Null);
    }
}
