//! Which role may call which command: one table for the window's whole command surface.
//!
//! The roles' permissions are the core's (`Role::grants`); this table says which permission
//! each command needs. A test below logs in as every role (and as nobody) and calls every
//! command through the app's real invoke handler, and compares each answer with the table:
//! a role the table allows is never refused, any other is refused as `forbidden` (or
//! `not_logged_in`), and nothing is left out. The hall server's routes join this table when
//! they exist.

// The table is read by its test; the commands check their permission where they start, and the
// test holds them to it.
#![cfg_attr(not(test), allow(dead_code))]

use bianmin_core::accounts::Permission;

/// What a command asks of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gate {
    /// Anyone, logged in or not: what it takes to log in at all.
    Open,
    /// A role granting this permission.
    Needs(Permission),
    /// The database setting: an administrator, or anyone while no database could be opened
    /// (the setting must stay reachable from the login screen then).
    AdminOrNoDatabase,
    /// A request's step: deciding needs `Approve`, the counter's steps (recording a
    /// department's result included) need `Intake` (`accounts::step_permission`).
    Step,
    /// A form: `Print`, and what its kind needs (`FormTarget::permission`): the staffing report
    /// `ViewStaffing`, a hand-over list `Intake`, a request's form `ReadRequests`.
    Form,
}

use Gate::*;
use Permission::*;

/// Every command of the window and what it needs.
pub(crate) const COMMANDS: &[(&str, Gate)] = &[
    ("auth_status", Open),
    ("auth_setup", Open),
    ("auth_login", Open),
    ("auth_logout", Open),
    // The login screen says it has painted (a no-op unless the start-up probe is on).
    ("startup_painted", Open),
    // The hall server: whether this PC works through one, and the calls that go there (the
    // server checks each; on this PC's own file they answer `not_on_hall`).
    // The hall's front (issue 19).
    ("queue_take", Needs(Intake)),
    ("queue_call", Needs(Intake)),
    ("queue_done", Needs(Intake)),
    ("queue_return", Needs(Intake)),
    ("queue_stats", Needs(ReadRequests)),
    ("rating_add", Needs(Intake)),
    ("rating_list", Needs(ReadRequests)),
    ("followup_step", Needs(FollowUp)),
    // The hall's devices are the administrator's; the follow-up period the leader's.
    ("device_open", Needs(ManageAccounts)),
    ("device_list", Needs(ManageAccounts)),
    ("device_close", Needs(ManageAccounts)),
    ("followup_period", Needs(FollowUp)),
    ("hall_mode", Open),
    ("hall_call", Open),
    ("hall_changes", Open),
    // Changing one's own password: every role may (every role reads the catalogue).
    ("auth_change_password", Needs(ReadCatalog)),
    ("account_list", Needs(ManageAccounts)),
    ("account_create", Needs(ManageAccounts)),
    ("account_unlock", Needs(ManageAccounts)),
    ("account_set_disabled", Needs(ManageAccounts)),
    ("account_reset_password", Needs(ManageAccounts)),
    ("backup_create", Needs(Backup)),
    ("backup_restore", Needs(Backup)),
    ("backup_restore_check", Needs(Backup)),
    ("retention_status", Needs(Backup)),
    ("retention_set", Needs(Backup)),
    ("retention_run", Needs(Backup)),
    ("database_info", AdminOrNoDatabase),
    ("database_test", AdminOrNoDatabase),
    ("database_use", AdminOrNoDatabase),
    ("database_recover", AdminOrNoDatabase),
    ("list_towns", Needs(ReadCatalog)),
    ("staffing", Needs(ViewStaffing)),
    ("unit_people", Needs(ViewStaffing)),
    ("rota_week", Needs(ViewStaffing)),
    ("staffing_demand", Needs(ViewStaffing)),
    ("staffing_export_xlsx", Needs(ViewStaffing)),
    // The performance report (issue 20).
    ("report", Needs(ViewStaffing)),
    ("report_requests", Needs(ViewStaffing)),
    ("report_export", Needs(ViewStaffing)),
    ("catalog_search", Needs(ReadCatalog)),
    ("catalog_departments", Needs(ReadCatalog)),
    ("catalog_item", Needs(ReadCatalog)),
    ("list_staff", Needs(ReadCatalog)),
    ("authority", Needs(ReadCatalog)),
    ("letter_alerts", Needs(ReadCatalog)),
    ("request_new", Needs(Intake)),
    ("request_consult", Needs(Intake)),
    ("identity_check", Needs(Intake)),
    ("request_show", Needs(ReadRequests)),
    ("request_step", Step),
    ("request_search", Needs(ReadRequests)),
    ("request_list", Needs(ReadRequests)),
    ("request_full_id", Needs(ReadFullId)),
    ("form_preview", Form),
    ("form_print", Form),
    ("form_save", Form),
    ("printers", Needs(Print)),
    ("form_issues", Needs(Print)),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_app::{app, call};
    use bianmin_core::accounts::Role;
    use bianmin_core::demo::{DEMO_ACCOUNTS, DEMO_PASSWORD};
    use serde_json::{json, Value};

    /// Who calls: a demo account with one role, or nobody logged in.
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Caller {
        Nobody,
        As(Role),
    }

    /// The arguments each command is called with: well-formed, so that what answers is the
    /// role check and, past it, the command itself. `{staff}` is the caller's own staff number.
    /// Nothing here can print, open a dialog (a test build answers every dialog as cancelled)
    /// or switch the database (nothing listens at the server address).
    fn args(command: &str, staff: &str, number: &str) -> Vec<Value> {
        let form = |extra: Value| {
            let mut a = json!({"kind": "receipt", "number": number, "staff": staff,
                               "printer": "不存在的打印机"});
            a.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            a
        };
        let one = match command {
            "auth_status"
            | "auth_logout"
            | "account_list"
            | "backup_create"
            | "backup_restore_check"
            | "retention_status"
            | "database_info"
            | "list_towns"
            | "printers"
            | "startup_painted"
            | "hall_mode" => json!({}),
            "hall_call" => json!({"cmd": "request_list", "args": {"list": "open"}}),
            "hall_changes" => json!({"seen": 0}),
            // Bad input where the role allows (a post that does not exist, nothing being served,
            // no such follow-up), so that what answers is the role check and never the clock.
            "queue_take" => json!({"town": "东风镇", "post": "不存在的窗口"}),
            "queue_call" => json!({"staff": staff}),
            "queue_stats" => json!({}),
            "queue_done" => json!({"staff": staff, "what": "skip"}),
            "queue_return" => json!({"ticket": "Z999"}),
            "rating_add" => json!({"request": number, "grade": "4"}),
            "rating_list" => json!({"bad": true}),
            "followup_step" => json!({"id": 999, "step": "contacted", "staff": staff}),
            // A kind that does not exist, no such device, a period outside 1 to 30: nothing is
            // opened, closed or set, whoever calls.
            "device_open" => json!({"kind": "tv", "label": "大屏"}),
            "device_list" => json!({}),
            "device_close" => json!({"id": 999}),
            "followup_period" => json!({"days": 0}),
            "auth_setup" => json!({"username": "newadmin", "displayName": "新管理员",
                                   "password": "Zq8#long-enough", "code": "AAAAA-BBBBB"}),
            "auth_login" => json!({"username": "nobody-here", "password": "wrong-password"}),
            "backup_restore" => json!({"file": "/不存在/备份.db"}),
            "retention_set" => json!({"years": "5"}),
            "retention_run" => json!({"dryRun": true}),
            "auth_change_password" => json!({"current": DEMO_PASSWORD, "password": "short"}),
            "account_create" => json!({"username": "x", "displayName": "", "staffNo": null,
                                       "roles": [], "password": ""}),
            "account_unlock" => json!({"username": "nobody-here"}),
            "account_set_disabled" => json!({"username": "nobody-here", "disabled": true}),
            "account_reset_password" => json!({"username": "nobody-here", "password": "short"}),
            "database_test" | "database_use" => json!({"url": "http://127.0.0.1:1"}),
            // Retrying with no database chosen (the test app has none) touches no folder.
            "database_recover" => json!({"back": false}),
            "staffing" => json!({"town": "东风镇"}),
            "unit_people" => json!({"town": "东风镇", "unit": "不存在的单位"}),
            "rota_week"
            | "staffing_export_xlsx"
            | "catalog_departments"
            | "list_staff"
            | "letter_alerts" => json!({"town": "东风镇"}),
            "staffing_demand" => json!({"town": "东风镇"}),
            // A fixed range (the clock only moves what is overdue now, never who may ask), and a
            // figure within a group.
            "report" => json!({"town": "东风镇", "from": "2026-11-01", "to": "2026-11-30"}),
            "report_export" => json!({"town": "东风镇", "from": "2026-11-01", "to": "2026-11-30",
                                      "format": "xlsx"}),
            "report_requests" => json!({"town": "东风镇", "from": "2026-11-01", "to": "2026-11-30",
                                        "figure": "late", "dimension": "post", "key": "综合窗口"}),
            "catalog_search" => json!({"town": "东风镇", "query": "gljt"}),
            "catalog_item" => json!({"town": "东风镇", "code": "MZ-001"}),
            "authority" => json!({"staff": staff, "item": "MZ-001", "action": "accept"}),
            "request_new" => json!({"staff": staff, "item": "MZ-001", "name": "李玥",
                "id": bianmin_core::identity::with_check_char("11010519491231002")}),
            "request_consult" => json!({"staff": staff, "item": "MZ-001"}),
            "identity_check" => {
                json!({"id": bianmin_core::identity::with_check_char("11010519491231002")})
            }
            "request_show" | "request_full_id" => json!({"number": number}),
            "request_search" => json!({"town": "东风镇", "query": number}),
            "request_list" => json!({"town": "东风镇", "list": "open"}),
            "form_preview" | "form_print" | "form_save" => {
                return vec![
                    form(json!({})),
                    form(json!({"kind": "staffing", "number": null, "town": "东风镇"})),
                    form(
                        json!({"kind": "handover", "number": null, "department": "市民政局",
                                "town": "东风镇"}),
                    ),
                    form(json!({"kind": "closing", "number": null, "town": "东风镇"})),
                ]
            }
            "form_issues" => json!({"formNo": "不存在"}),
            // Both kinds of step: the counter's (a withdrawal, a department's result) and an
            // approver's (a decision).
            "request_step" => {
                return vec![
                    json!({"number": number, "staff": staff, "step": "withdraw",
                           "reason": "申请人撤回"}),
                    json!({"number": number, "staff": staff, "step": "result",
                           "result": "approved"}),
                    json!({"number": number, "staff": staff, "step": "decide",
                           "result": "approved"}),
                ]
            }
            other => panic!("no arguments for {other}: add them here"),
        };
        vec![one]
    }

    /// Whether the table lets `caller` through `gate` (with a database open); for a step,
    /// which permission the step's kind needs.
    fn allowed(caller: Caller, gate: Gate, step: &Value) -> bool {
        let grants = |p: Permission| matches!(caller, Caller::As(r) if r.grants(p));
        match gate {
            Open => true,
            Needs(p) => grants(p),
            AdminOrNoDatabase => grants(ManageAccounts),
            Step => grants(match step["step"].as_str() {
                Some("decide") => Approve,
                _ => Intake,
            }),
            Form => {
                grants(Print)
                    && grants(match step["kind"].as_str() {
                        Some("staffing") => ViewStaffing,
                        Some("handover") => Intake,
                        _ => ReadRequests,
                    })
            }
        }
    }

    #[test]
    fn the_table_names_every_command_once() {
        let mut names: Vec<&str> = COMMANDS.iter().map(|(n, _)| *n).collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count, "a command is in the table twice");
        // The build script declares the window's commands (and the e2e test checks that they
        // are the registered and granted ones): the table has exactly those.
        let build = include_str!("../build.rs");
        let mut declared: Vec<&str> = build
            .lines()
            .filter_map(|l| l.trim().strip_prefix('"')?.strip_suffix("\","))
            .collect();
        declared.sort();
        assert_eq!(names, declared);
    }

    #[test]
    fn every_command_answers_every_role_as_the_table_says() {
        check_every_command(false);
    }

    /// The same table, with the window on the hall server (issue 18): its commands go through
    /// `hall_call` as the window's `call()` sends them, and the server refuses what the table
    /// refuses.
    #[test]
    fn every_command_answers_every_role_as_the_table_says_through_the_hall_server() {
        check_every_command(true);
    }

    /// Starts `bianmin serve` on loopback over the app's database file and points the app at
    /// it, as the 数据库 setting does.
    fn onto_hall_server(dir: &std::path::Path, app: &tauri::App<tauri::test::MockRuntime>) {
        use tauri::Manager;
        let db = bianmin_core::address::Database::File(dir.join("bianmin.db"));
        let tls = dir.join("tls");
        let (tx, rx) = std::sync::mpsc::channel();
        let state = app.state::<crate::AppState>();
        // The server owns the file from now on.
        *state.store.lock().unwrap() = Err(crate::commands::database::on_hall());
        std::thread::spawn(move || {
            let listen = "127.0.0.1:0".parse().unwrap();
            bianmin_server::run(listen, &db, &tls, |bound| tx.send(bound.url()).unwrap())
                .expect("the server runs");
        });
        let url = rx.recv().expect("the server starts");
        let link =
            crate::hall::HallLink::new(bianmin_server::client::ServerUrl::parse(&url).unwrap())
                .unwrap();
        *state.hall.lock().unwrap() = Some(std::sync::Arc::new(link));
    }

    fn check_every_command(through_hall: bool) {
        let callers = [
            Caller::Nobody,
            Caller::As(Role::Clerk),
            Caller::As(Role::Approver),
            Caller::As(Role::Leader),
            Caller::As(Role::Admin),
        ];
        let mut wrong = Vec::new();
        let mut calls = 0;
        for caller in callers {
            let (dir, app, webview, number) = app();
            if through_hall {
                onto_hall_server(dir.path(), &app);
            }
            // As the window's call() sends it.
            let call = |w: &_, cmd: &str, body: Value| {
                if through_hall && !crate::hall::ON_THIS_PC.contains(&cmd) {
                    call(w, "hall_call", json!({"cmd": cmd, "args": body}))
                } else {
                    call(w, cmd, body)
                }
            };
            let staff = match caller {
                Caller::Nobody => "DF0013",
                Caller::As(role) => {
                    let account = DEMO_ACCOUNTS
                        .iter()
                        .find(|a| a.roles == [role])
                        .expect("a demo account per role");
                    call(
                        &webview,
                        "auth_login",
                        json!({"username": account.username, "password": DEMO_PASSWORD}),
                    )
                    .expect("the demo account logs in");
                    account.staff_no.unwrap()
                }
            };
            // Reconnecting and logging out last (on the hall server a reconnection ends the
            // session), so that every other command is called within the session. The hall's
            // transport is the server's to check (and waits for pushed changes): not called
            // through itself.
            let last = ["database_recover", "auth_logout"];
            let transport = ["hall_call", "hall_changes"];
            let mut order: Vec<&(&str, Gate)> = COMMANDS
                .iter()
                .filter(|(n, _)| !last.contains(n))
                .filter(|(n, _)| !(through_hall && transport.contains(n)))
                .collect();
            for name in last {
                order.extend(COMMANDS.iter().filter(|(n, _)| *n == name));
            }
            for (command, gate) in order {
                for body in args(command, staff, &number) {
                    calls += 1;
                    let answer = call(&webview, command, body.clone());
                    let code = answer
                        .as_ref()
                        .err()
                        .and_then(|e| e["code"].as_str())
                        .unwrap_or("");
                    let refused = matches!(code, "forbidden" | "not_logged_in");
                    let expect = allowed(caller, *gate, &body);
                    if refused == expect {
                        wrong.push(format!(
                            "{caller:?} {command} {body}: table says {}, answer {answer:?}",
                            if expect { "allowed" } else { "refused" }
                        ));
                    }
                    // A command that does not exist answers with a plain string.
                    if let Err(Value::String(s)) = &answer {
                        wrong.push(format!("{caller:?} {command}: {s}"));
                    }
                }
            }
        }
        assert!(calls >= 5 * COMMANDS.len(), "{calls} calls");
        assert!(
            wrong.is_empty(),
            "{} answers differ from the table:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}
