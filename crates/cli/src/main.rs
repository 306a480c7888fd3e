//! `bianmin`, the headless tool over the Bianmin core. Its interface is a contract
//! (DESIGN.md "The `bianmin` command"): exit 0 on success, 2 for bad input with a Chinese message
//! naming the flag and nothing changed, 1 for any other failure.
//!
//! Arguments are handled in two steps: clap reads the raw flags ([`args::Cli`]), then
//! [`args::Command::resolve`] turns them into typed values, so every refusal of bad input happens
//! before the database is opened.

mod args;
mod front_cli;
mod remote;
mod table;

use std::ffi::OsString;
use std::process::ExitCode;

use bianmin_core::address::Database;
use bianmin_core::backup_service::{self, Operator};
use bianmin_core::store::AnyStore;
use bianmin_core::{authority, catalog, date, demo, forms, request, staff, staffing, Error};
use clap::{CommandFactory, FromArgMatches};

use args::{Action, Cli};

fn main() -> ExitCode {
    // `account` is added to the parser that `args::Cli` derives (see `accounts_cli`).
    let matches = match Cli::command()
        .subcommand(accounts_cli::AccountCli::command())
        .try_get_matches()
    {
        Ok(m) => m,
        Err(e) => return args::report_clap_error(e),
    };
    let result = match matches.subcommand() {
        Some(("account", sub)) => match accounts_cli::AccountCli::from_arg_matches(sub) {
            Ok(a) => accounts_cli::run(matches.get_one::<OsString>("db").cloned(), a.command),
            Err(e) => return args::report_clap_error(e),
        },
        _ => match Cli::from_arg_matches(&matches).map(follow_hall_setting) {
            Ok(Cli {
                server: Some(server),
                db,
                command,
            }) => {
                let done = match db {
                    Some(_) => Err(remote::Failure::Local(Error::invalid(
                        "server",
                        "--server 与 --db 不能同时使用：通过大厅服务器时，数据库在服务器上",
                    ))),
                    None => remote::run(&server, command),
                };
                return match done {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(f) => {
                        eprintln!("bianmin:{}", f.describe(describe));
                        ExitCode::from(f.exit_code())
                    }
                };
            }
            Ok(cli) => run(cli),
            Err(e) => return args::report_clap_error(e),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bianmin:{}", describe(&e));
            ExitCode::from(if e.is_bad_input() { 2 } else { 1 })
        }
    }
}

/// On a counter PC whose app works through the hall server (its 数据库 setting), a command given
/// neither `--server` nor a database goes to that server too, as the app does.
fn follow_hall_setting(mut cli: Cli) -> Cli {
    let no_db = cli.db.is_none()
        && std::env::var_os(bianmin_core::paths::DB_VAR).is_none_or(|v| v.is_empty());
    if cli.server.is_none() && no_db {
        cli.server = bianmin_core::paths::settings_path()
            .and_then(|p| bianmin_core::paths::load_settings(&p).ok())
            .and_then(|s| s.server_url);
    }
    cli
}

/// The message for the person at the terminal, naming the flag where input was at fault.
fn describe(e: &Error) -> String {
    match e {
        Error::Invalid { field, message } => {
            let name = match *field {
                "password" => format!("密码（环境变量 {} 或标准输入）", accounts_cli::PASSWORD_VAR),
                accounts_cli::USER_ARG => "用户名 U".to_string(),
                "settings" => "设置文件".to_string(),
                other => args::flag_name(other),
            };
            format!("{name}:{message}")
        }
        other => other.to_string(),
    }
}

/// Writes `bytes` beside `out` (as `out.part`), to be moved into place once all is well.
fn write_aside(
    field: &'static str,
    out: &std::path::Path,
    bytes: &[u8],
) -> Result<std::path::PathBuf, Error> {
    // 0600, as every file Bianmin writes (issue 17).
    bianmin_core::files::write_aside(out, bytes)
        .map_err(|e| cant_write(field, out, &bianmin_core::files::beside(out, ".part"), e))
}

/// A failed write: the partial file is removed and the message names the flag.
fn cant_write(
    field: &'static str,
    out: &std::path::Path,
    tmp: &std::path::Path,
    e: std::io::Error,
) -> Error {
    let _ = std::fs::remove_file(tmp);
    Error::invalid(field, format!("无法写入“{}”：{e}", out.display()))
}

/// Writes a form to `out` (through a temporary file, so a failed write leaves no half PDF) and
/// records the issue.
fn issue_to_file(
    store: &mut AnyStore,
    form: &forms::Form,
    staff: Option<&str>,
    out: &std::path::Path,
    json: bool,
) -> Result<(), Error> {
    // Written aside first; recorded; then moved into place, so a refusal (an unknown --staff)
    // leaves neither a file nor a record.
    let tmp = write_aside("out", out, &form.bytes)?;
    let copy = match forms::record_issue(store, form, staff, "file", date::now()?) {
        Ok(copy) => copy,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    std::fs::rename(&tmp, out).map_err(|e| cant_write("out", out, &tmp, e))?;
    if json {
        let mut v = serde_json::to_value(form).expect("a form serializes");
        v["copy"] = copy.into();
        v["bytes"] = form.bytes.len().into();
        v["file"] = out.display().to_string().into();
        print_json(&v);
    } else {
        eprintln!(
            "已生成{}（编号 {}，第 {copy} 份，{} 页，{} KB）：{}",
            form.kind_label,
            form.form_no,
            form.pages,
            form.bytes.len().div_ceil(1024),
            out.display()
        );
    }
    Ok(())
}

/// The database `--db`, `BIANMIN_DB` or the app's own folder names: a file or a server.
fn database(explicit: Option<OsString>) -> Result<Database, Error> {
    bianmin_core::paths::resolve_database(explicit)
}

fn run(cli: Cli) -> Result<(), Error> {
    let action = cli.command.resolve()?;
    let db = database(cli.db)?;
    match action {
        Action::Front(f) => {
            let answer = front_cli::run_local(&db, &f)?;
            front_cli::print(&f, &answer)?;
        }
        Action::Init {
            demo,
            history,
            today,
        } => {
            let mut store = AnyStore::open(&db)?;
            if demo {
                demo::load(&mut store, today)?;
                match history {
                    None => {
                        let n = demo::recent::load(&mut store, today)?;
                        if n > 0 {
                            eprintln!("已生成 {n} 件演示办件（{today} 之前四周的工作日）");
                        }
                    }
                    Some(0) => {}
                    Some(n) => {
                        bianmin_core::generate::fill_requests(&mut store, n, today)?;
                        eprintln!("已生成 {n} 件演示办件记录（{today} 之前三年）");
                    }
                }
                eprintln!(
                    "演示账号（密码均为 {}，仅供演示）：{}",
                    demo::DEMO_PASSWORD,
                    demo::DEMO_ACCOUNTS
                        .iter()
                        .map(|a| format!(
                            "{}（{}）",
                            a.username,
                            bianmin_core::accounts::role_labels(a.roles)
                        ))
                        .collect::<Vec<_>>()
                        .join("、")
                );
            } else if bianmin_core::accounts::needs_first_admin(&mut store)? {
                let code = bianmin_core::accounts::new_setup_code(&mut store, date::now()?)?;
                eprintln!(
                    "尚无登录账号。应用首次启动创建管理员时，需输入一次性设置码：{code}\n（只在这里显示一次，用过即失效；再次运行 bianmin init 会换一个新的。）也可以用 bianmin account add --username U --name 姓名 --role 管理员 创建第一个管理员账号。"
                );
            }
            let towns = staffing::town_names(&mut store)?;
            eprintln!(
                "数据库已就绪：{}（结构版本 {}）；乡镇：{}",
                db,
                store.schema_version()?,
                if towns.is_empty() {
                    "尚无，可运行 bianmin init --demo 载入演示数据".to_string()
                } else {
                    towns.join("、")
                }
            );
        }
        Action::Town {
            town,
            superior,
            json,
        } => {
            let mut store = AnyStore::open_existing(&db)?;
            let t = match superior {
                Some(name) => bianmin_core::town::set_superior(&mut store, &town, &name)?,
                None => bianmin_core::store::Store::read(&mut store, |q| {
                    bianmin_core::town::resolve_town(q, Some(&town))
                })?,
            };
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "town": t.name, "superior": t.superior })
                );
            } else if t.superior.is_empty() {
                println!(
                    "{}：尚未设定上级人民政府（复议机关写作“{}所在的县级人民政府”）",
                    t.name, t.name
                );
            } else {
                println!(
                    "{}：上级人民政府 {}（受理对本镇行政行为的复议申请）",
                    t.name, t.superior
                );
            }
        }
        Action::Staffing {
            town,
            on,
            json,
            pdf,
            xlsx,
        } => {
            let mut store = AnyStore::open_existing(&db)?;
            let report = staffing::staffing_report(&mut store, town.as_deref(), on)?;
            if let Some(out) = &xlsx {
                let bytes = bianmin_core::staffing_xlsx::xlsx(&report)?;
                let tmp = write_aside("xlsx", out, &bytes)?;
                std::fs::rename(&tmp, out).map_err(|e| cant_write("xlsx", out, &tmp, e))?;
                eprintln!("已导出编制与在岗情况（{}）：{}", report.date, out.display());
            }
            if let Some(out) = pdf {
                let form = forms::staffing_form(&mut store, town.as_deref(), on, date::now()?)?;
                issue_to_file(&mut store, &form, None, &out, json)?;
                return Ok(());
            }
            if xlsx.is_some() {
                return Ok(());
            }
            show(json, &report, table::staffing);
        }
        Action::AuditVerify { json, expect } => {
            let mut store = AnyStore::open_existing(&db)?;
            let v = store.verify_audit_against(expect.as_ref())?;
            if json {
                print_json(&v);
            } else if v.ok {
                eprintln!(
                    "审计日志完好：{} 条记录，哈希链无断点{}。最新哈希（头）：{}",
                    v.records,
                    if expect.is_some() {
                        "，且延续所核对的头"
                    } else {
                        ""
                    },
                    v.head.as_deref().unwrap_or("（空）")
                );
            }
            if !v.ok {
                return Err(Error::AuditBroken(v.problem.unwrap_or_default()));
            }
        }
        Action::StressIntake {
            count,
            staff,
            item,
            checkpoint_idle_ms,
        } => {
            use std::io::Write;
            let mut store = AnyStore::open_existing(&db)?;
            // As the desktop app runs: checkpoints in the background once the store is idle,
            // here after a pause the loop makes itself, so that kills land in checkpoints too.
            let pause = checkpoint_idle_ms.map(std::time::Duration::from_millis);
            if let (Some(idle), AnyStore::Sqlite(s)) = (pause, &mut store) {
                s.checkpoint_in_background_after(idle, 1)?;
            }
            let mut checkpoints = 0;
            let mut out = std::io::stdout().lock();
            for k in 0..count {
                let input = request::NewRequest {
                    staff: staff.clone(),
                    item: item.clone(),
                    name: "压力测试".into(),
                    id: Some(bianmin_core::identity::with_check_char(&format!(
                        "52020319850312{:03}",
                        k % 1000
                    ))),
                    ..Default::default()
                };
                let d = request::new_request(&mut store, &input, date::now()?)?;
                // Printed only after the commit returned: a number on stdout is a receipt issued.
                writeln!(out, "{}", d.view.number)
                    .map_err(|e| Error::invalid("out", e.to_string()))?;
                out.flush()
                    .map_err(|e| Error::invalid("out", e.to_string()))?;
                if let Some(idle) = pause {
                    std::thread::sleep(idle + std::time::Duration::from_millis(1));
                    if let AnyStore::Sqlite(s) = &store {
                        if s.background_checkpoints() > checkpoints {
                            checkpoints = s.background_checkpoints();
                            eprintln!("checkpoints {checkpoints}");
                        }
                    }
                }
            }
        }
        Action::GrantServerRole { role, json } => {
            let AnyStore::Postgres(mut store) = AnyStore::open_existing(&db)? else {
                return Err(Error::invalid(
                    "db",
                    "grant-server-role 只用于 PostgreSQL 数据库：SQLite 文件由大厅服务器本机独占，没有数据库角色",
                ));
            };
            let grants = store.grant_server_role(&role)?;
            if json {
                print_json(&grants);
            } else {
                for g in &grants {
                    println!("{}\t{}", g.table, g.privileges);
                }
                eprintln!(
                    "已把角色 {role} 设为大厅服务器的连接角色（{} 张表）：审计日志只可插入和查询，不能修改、删除、清空或停用触发器。",
                    grants.len()
                );
            }
        }
        Action::Serve { listen, tls_dir } => {
            bianmin_server::run(listen, &db, &tls_dir, |bound| {
                // The address on stdout first (a script that asked for port 0 reads it), then
                // what a person reads.
                println!("{}", bound.url());
                if let Some((fingerprint, _)) = &bound.tls {
                    println!("{fingerprint}");
                }
                use std::io::Write;
                let _ = std::io::stdout().flush();
                eprintln!(
                    "便民大厅服务器已启动：{}（数据库 {db}）。按 Ctrl-C 停止。",
                    bound.url()
                );
                if let Some((fingerprint, made)) = &bound.tls {
                    eprintln!(
                        "{}证书指纹（各窗口首次连接时核对）：{fingerprint}（证书在 {}）",
                        if *made {
                            "已生成服务器证书。"
                        } else {
                            ""
                        },
                        tls_dir.display()
                    );
                }
            })?;
            eprintln!("便民大厅服务器已停止。");
        }
        Action::RetentionShow { json } => {
            let mut store = AnyStore::open_existing(&db)?;
            let st = bianmin_core::retention::status(&mut store, date::today()?)?;
            if json {
                print_json(&st);
            } else {
                println!("{}", st.summary);
            }
        }
        Action::RetentionSet { years } => {
            let mut store = AnyStore::open_existing(&db)?;
            let st = bianmin_core::retention::set_period(
                &mut store,
                years,
                Operator::CommandLine,
                date::now()?,
            )?;
            eprintln!("{}", st.summary);
        }
        Action::RetentionRun { dry_run, json } => {
            let mut store = AnyStore::open_existing(&db)?;
            let r = bianmin_core::retention::run(
                &mut store,
                Operator::CommandLine,
                dry_run,
                date::now()?,
            )?;
            if json {
                print_json(&r);
            } else {
                println!("{}", r.summary);
                if dry_run {
                    println!("（试运行，未作任何改动。）");
                }
                if !r.numbers.is_empty() {
                    println!(
                        "办件编号：{}{}",
                        r.numbers.join("、"),
                        if r.requests > r.numbers.len() as u64 {
                            format!(" 等 {} 件", r.requests)
                        } else {
                            String::new()
                        }
                    );
                }
            }
        }
        Action::Backup { file } => {
            let path = backup_service::sqlite_file(&db, Operator::CommandLine, "备份")?;
            let mut store =
                AnyStore::Sqlite(bianmin_core::store::SqliteStore::open_existing(path)?);
            let r = backup_service::backup(&mut store, &file, Operator::CommandLine, date::now()?)?;
            eprintln!(
                "已备份到 {}（{} 页，{} KB，结构版本 {}，SHA-256 {}）",
                r.file,
                r.pages,
                r.bytes.div_ceil(1024),
                r.schema_version,
                r.sha256
            );
        }
        Action::Restore { file } => {
            let path = backup_service::sqlite_file(&db, Operator::CommandLine, "恢复")?;
            // The accounts the backup changes, said before it applies (issue 17).
            let changes = bianmin_core::store::backup::preview(path, &file)?;
            if changes.is_empty() {
                eprintln!("账号：备份与当前数据库的账号相同。");
            } else {
                eprintln!("账号与当前数据库不同（恢复后以备份为准）：");
                for c in &changes {
                    eprintln!("  {}：{}", c.username, c.change);
                }
            }
            let r = backup_service::restore(path, &file, Operator::CommandLine, date::now()?)?;
            match r.previous.as_deref() {
                Some(previous) => eprintln!(
                    "已从 {} 恢复（{} 页，SHA-256 {}）；恢复前的数据库保存在 {previous}",
                    r.file, r.pages, r.sha256
                ),
                None => eprintln!(
                    "已从 {} 恢复（{} 页，SHA-256 {}）；此前这里没有数据库。",
                    r.file, r.pages, r.sha256
                ),
            }
        }
        Action::MigrateTo { url, json } => {
            let Database::File(source) = &db else {
                return Err(Error::invalid(
                    "db",
                    "迁移的来源必须是本机的 SQLite 数据库文件，这里给出的是 PostgreSQL 地址。",
                ));
            };
            let mut copied = 0u64;
            let report =
                bianmin_core::store::migrate::to_postgres(source, &url, &mut |table, rows| {
                    copied += rows;
                    eprintln!("已复制 {table}：{rows} 行");
                })?;
            if json {
                print_json(&report);
            } else {
                eprintln!(
                    "迁移完成：{} 张表共 {copied} 行已写入 {}，逐表核对行数与内容哈希（SHA-256）一致。\n本机原数据库 {} 保持不变；各窗口请改为连接服务器（--db、环境变量 BIANMIN_DB 或应用的“数据库”设置）。",
                    report.tables.len(),
                    report.target,
                    report.source,
                );
            }
        }
        Action::Demand {
            town,
            on,
            target_wait_s,
            service_level,
            json,
        } => {
            let mut store = AnyStore::open_existing(&db)?;
            let r = bianmin_core::demand::demand_report(
                &mut store,
                town.as_deref(),
                on,
                target_wait_s,
                service_level,
            )?;
            show(json, &r, table::demand);
        }
        Action::Counters {
            arrivals_per_hour,
            handling_min,
            target_wait_s,
            service_level,
            json,
        } => {
            let c = bianmin_core::counters::counters_needed(
                arrivals_per_hour,
                handling_min,
                target_wait_s,
                service_level,
            )?;
            if json {
                print_json(&c);
            } else {
                println!(
                    "需要 {} 个窗口：{:.1}% 的群众在 {} 秒内得到办理，需要等候的概率 {:.1}%，平均等候 {:.0} 秒（话务量 {:.2} 爱尔兰）",
                    c.counters,
                    c.service_level * 100.0,
                    target_wait_s,
                    c.wait_probability * 100.0,
                    c.mean_wait_s,
                    c.traffic_erlangs
                );
            }
        }
        Action::FormRequest {
            number,
            kind,
            paper,
            staff,
            out,
            json,
        } => {
            let mut store = AnyStore::open_existing(&db)?;
            let form = forms::request_form(&mut store, &number, kind, paper, date::now()?)?;
            issue_to_file(&mut store, &form, staff.as_deref(), &out, json)?;
        }
        Action::FormHandover {
            department,
            town,
            on,
            paper,
            staff,
            out,
            json,
        } => {
            let mut store = AnyStore::open_existing(&db)?;
            let form = forms::handover_form(
                &mut store,
                town.as_deref(),
                &department,
                on,
                paper,
                date::now()?,
            )?;
            issue_to_file(&mut store, &form, staff.as_deref(), &out, json)?;
        }
        Action::FormClosing {
            town,
            on,
            staff,
            out,
            json,
        } => {
            let mut store = AnyStore::open_existing(&db)?;
            let form = forms::closing_form(&mut store, town.as_deref(), on, date::now()?)?;
            issue_to_file(&mut store, &form, staff.as_deref(), &out, json)?;
        }
        Action::StaffImport { file, town, today } => {
            let mut store = AnyStore::open_existing(&db)?;
            let r = bianmin_core::roster::import(&mut store, &file, town.as_deref(), today)?;
            eprintln!(
                "已导入到{}：新增人员 {} 人，状态记录 {} 条，排班 {} 条，证件 {} 个。",
                r.town, r.people, r.periods, r.rota_lines, r.credentials
            );
        }
        Action::CatalogImport { path, town } => {
            let mut store = AnyStore::open_existing(&db)?;
            let r = catalog::io::import(&mut store, &path, town.as_deref())?;
            eprintln!(
                "已导入到{}：新增事项 {} 项，更新 {} 项，材料 {} 条，委托书 {} 份。",
                r.towns.join("、"),
                r.items_added,
                r.items_updated,
                r.materials,
                r.letters
            );
        }
        Action::CatalogExport { path, town } => {
            let mut store = AnyStore::open_existing(&db)?;
            let cat = catalog::io::export(&mut store, &path, town.as_deref())?;
            eprintln!(
                "已导出事项 {} 项、委托书 {} 份到 {}。",
                cat.items.len(),
                cat.letters.len(),
                path.display()
            );
        }
        Action::CatalogList {
            town,
            search,
            json,
            today,
        } => {
            let mut store = AnyStore::open_existing(&db)?;
            let filter = catalog::service::Filter {
                query: search,
                ..Default::default()
            };
            let items = catalog::service::find_items(&mut store, town.as_deref(), &filter, today)?;
            show(json, items.as_slice(), table::items);
        }
        Action::StaffList { town, json, today } => {
            let mut store = AnyStore::open_existing(&db)?;
            let people = staff::staff_list(&mut store, town.as_deref(), today)?;
            show(json, people.as_slice(), table::staff);
        }
        Action::Authority {
            staff,
            item,
            action,
            on,
            json,
        } => {
            let mut store = AnyStore::open_existing(&db)?;
            let d = authority::check(&mut store, &staff, &item, action, on)?;
            if json {
                print_json(&d);
            } else {
                println!(
                    "{}:{}({})",
                    action.label(),
                    if d.allowed {
                        "可以办理"
                    } else {
                        "不能办理"
                    },
                    d.mode.label()
                );
                println!("依据：{}", d.basis);
                if let Some(r) = &d.reason {
                    println!("原因：{r}");
                }
                if let Some(a) = &d.alternative {
                    println!("去向：{a}");
                }
            }
        }
        Action::RequestNew { input, json } => {
            let mut store = AnyStore::open_existing(&db)?;
            let d = request::new_request(&mut store, &input, date::now()?)?;
            print_request(&d, json);
        }
        Action::RequestConsult {
            staff,
            item,
            name,
            json,
        } => {
            let mut store = AnyStore::open_existing(&db)?;
            let d = request::consult(&mut store, &staff, &item, name.as_deref(), date::now()?)?;
            print_request(&d, json);
        }
        Action::RequestShow { number, json } => {
            let mut store = AnyStore::open_existing(&db)?;
            let d = request::show(&mut store, &number, date::today()?)?;
            print_request(&d, json);
        }
        Action::RequestList {
            town,
            kind,
            search,
            json,
        } => {
            let mut store = AnyStore::open_existing(&db)?;
            let today = date::today()?;
            let rows = match search {
                Some(q) => request::search(&mut store, town.as_deref(), &q, today)?,
                None => request::list(&mut store, town.as_deref(), kind, today)?,
            };
            show(json, rows.as_slice(), table::requests);
        }
        Action::RequestStep {
            number,
            staff,
            step,
            json,
            ..
        } => {
            let mut store = AnyStore::open_existing(&db)?;
            let d = request::step(&mut store, &number, &staff, &step, date::now()?)?;
            print_request(&d, json);
        }
        Action::CalendarDue { start, n, json } => {
            let calendar = match AnyStore::open_existing(&db) {
                Ok(mut store) => bianmin_core::calendar::load(&mut store)?,
                Err(Error::NoDatabase(_)) => bianmin_core::calendar::Calendar::builtin(),
                Err(e) => return Err(e),
            };
            let due = calendar.due(start, n);
            if json {
                print_json(&due);
            } else {
                println!("{}", due.due);
                if !due.calendar_complete {
                    eprintln!(
                        "注意：期间有年份的节假日安排尚未载入，按周一至周五推算；载入后请重新计算（bianmin calendar import）"
                    );
                }
            }
        }
        Action::CalendarImport { file, replace } => {
            let mut store = AnyStore::open_existing(&db)?;
            let year = bianmin_core::calendar::import(&mut store, &file, replace)?;
            eprintln!(
                "已导入 {} 年节假日安排：{} 个日期。",
                year.year,
                year.days.len()
            );
        }
    }
    Ok(())
}

fn print_request(d: &request::RequestDetail, json: bool) {
    show(json, d, table::request);
}

/// One JSON document on stdout, or the text table `text` makes of it.
fn show<T: serde::Serialize + ?Sized>(json: bool, value: &T, text: impl FnOnce(&T) -> String) {
    if json {
        print_json(value);
    } else {
        print!("{}", text(value));
    }
}

fn print_json<T: serde::Serialize + ?Sized>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("domain values always serialize")
    );
}

/// `bianmin account`: local login accounts. Declared here and added to the parser that
/// `args::Cli` derives; input is checked before the database is opened, as for every command.
mod accounts_cli {
    use std::io::{BufRead, IsTerminal};

    use bianmin_core::accounts::{self, Account, NewAccount};
    use bianmin_core::store::AnyStore;
    use bianmin_core::{date, Error};
    use unicode_width::UnicodeWidthStr;

    /// Where `account add` and `account passwd` read the password, before standard input.
    pub const PASSWORD_VAR: &str = "BIANMIN_PASSWORD";

    /// The field key of the positional user name of `unlock` and `passwd`.
    pub const USER_ARG: &str = "user_arg";

    #[derive(Debug, clap::Parser)]
    #[command(
        name = "account",
        about = "登录账号：添加、列出、解锁、重设密码（密码取自环境变量 BIANMIN_PASSWORD，否则读标准输入的一行）"
    )]
    pub struct AccountCli {
        #[command(subcommand)]
        pub command: AccountCommand,
    }

    #[derive(Debug, clap::Subcommand)]
    pub enum AccountCommand {
        /// 添加账号；数据库还没有账号时，第一个账号必须含“管理员”角色
        Add {
            /// 用户名：2 到 32 个字符，英文字母、数字、汉字或 . _ -
            #[arg(long, value_name = "U")]
            username: String,
            /// 姓名（显示用）；有 --staff 时可不填，取人员档案中的姓名，填了须与之相同
            #[arg(long, value_name = "NAME")]
            name: Option<String>,
            /// 角色，逗号分隔：窗口人员、审批人员、镇领导、管理员、县级领导
            #[arg(long, value_name = "ROLE[,ROLE]")]
            role: String,
            /// 该账号在窗口代表的工作人员工号（如 DF0013）
            #[arg(long, value_name = "NO")]
            staff: Option<String>,
        },
        /// 列出账号（不显示密码哈希）
        List {
            /// 以 JSON 输出
            #[arg(long)]
            json: bool,
        },
        /// 解除锁定并清零失败次数
        Unlock {
            #[arg(value_name = "U")]
            username: String,
        },
        /// 重设密码
        Passwd {
            #[arg(value_name = "U")]
            username: String,
        },
    }

    /// The user name given as the positional `U`, checked; refusals name `U`.
    fn user_arg(username: &str) -> Result<String, Error> {
        accounts::check_username(username)
            .map(String::from)
            .map_err(|e| match e {
                Error::Invalid { message, .. } => Error::invalid(USER_ARG, message),
                other => other,
            })
    }

    fn positional(e: Error) -> Error {
        match e {
            Error::Invalid {
                field: "username",
                message,
            } => Error::invalid(USER_ARG, message),
            other => other,
        }
    }

    /// The password from `BIANMIN_PASSWORD`, or else one line of standard input (its line
    /// ending removed).
    fn read_password() -> Result<String, Error> {
        if let Some(v) = std::env::var_os(PASSWORD_VAR) {
            return v.into_string().map_err(|_| {
                Error::invalid(
                    "password",
                    format!("环境变量 {PASSWORD_VAR} 不是有效的 UTF-8 文本。"),
                )
            });
        }
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            eprint!("请输入密码（输入的内容会显示在屏幕上），按回车结束：");
        }
        let mut line = String::new();
        let n = stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| Error::invalid("password", format!("读取密码失败：{e}。")))?;
        if n == 0 {
            return Err(Error::invalid(
                "password",
                format!("没有读到密码：请用环境变量 {PASSWORD_VAR} 给出，或从标准输入输入一行。"),
            ));
        }
        let trimmed = line.strip_suffix('\n').unwrap_or(&line);
        Ok(trimmed.strip_suffix('\r').unwrap_or(trimmed).to_string())
    }

    /// Who acts, for the audit log's detail (the record carries the OS user too).
    const BY: &str = "命令行";

    pub fn run(db: Option<std::ffi::OsString>, command: AccountCommand) -> Result<(), Error> {
        // Every refusal of input comes before the database is opened.
        enum Checked {
            Add(NewAccount),
            List(bool),
            Unlock(String),
            Passwd(String, String),
        }
        let checked = match command {
            AccountCommand::Add {
                username,
                name,
                role,
                staff,
            } => {
                let username = accounts::check_username(&username)?.to_string();
                // Tied to a staff member, the name may be left out: the store takes the person's.
                let display_name = match (name, &staff) {
                    (None, Some(_)) => String::new(),
                    (name, _) => {
                        accounts::check_display_name(name.as_deref().unwrap_or(""))?.to_string()
                    }
                };
                let roles = accounts::parse_roles("role", &role)?;
                if let Some(no) = &staff {
                    if no.trim().is_empty() {
                        return Err(Error::invalid("staff", "工号不能为空。"));
                    }
                }
                let password = read_password()?;
                accounts::check_password(&password, &username)?;
                Checked::Add(NewAccount {
                    username,
                    display_name,
                    staff_no: staff.map(|s| s.trim().to_string()),
                    roles,
                    password,
                })
            }
            AccountCommand::List { json } => Checked::List(json),
            AccountCommand::Unlock { username } => Checked::Unlock(user_arg(&username)?),
            AccountCommand::Passwd { username } => {
                let username = user_arg(&username)?;
                let password = read_password()?;
                accounts::check_password(&password, &username)?;
                Checked::Passwd(username, password)
            }
        };
        let db = super::database(db)?;
        let mut store = AnyStore::open_existing(&db)?;
        let now = date::now()?;
        match checked {
            Checked::Add(new) => {
                let first = accounts::needs_first_admin(&mut store)?;
                let a = accounts::create_account(&mut store, &new, BY, now)?;
                eprintln!(
                    "已添加账号 {}（{}），角色：{}{}。{}",
                    a.username,
                    a.display_name,
                    accounts::role_labels(&a.roles),
                    a.staff_no
                        .as_deref()
                        .map(|no| format!("，代表工作人员 {no}"))
                        .unwrap_or_default(),
                    if first {
                        "这是数据库的第一个账号。"
                    } else {
                        ""
                    }
                );
            }
            Checked::List(json) => {
                let list = accounts::list_accounts(&mut store)?;
                if json {
                    let values: Vec<serde_json::Value> = list
                        .iter()
                        .map(|a| {
                            let mut v = serde_json::to_value(a).expect("an account serializes");
                            v["locked"] = a.is_locked(now).into();
                            v
                        })
                        .collect();
                    super::print_json(&values);
                } else {
                    print!("{}", table(&list, now));
                }
            }
            Checked::Unlock(username) => {
                accounts::unlock(&mut store, &username, BY, now).map_err(positional)?;
                eprintln!("已解锁账号 {username}，失败次数已清零。");
            }
            Checked::Passwd(username, password) => {
                accounts::set_password(&mut store, &username, &password, BY, now)
                    .map_err(positional)?;
                eprintln!("已为账号 {username} 设置新密码。");
            }
        }
        Ok(())
    }

    fn table(list: &[Account], now: chrono::NaiveDateTime) -> String {
        if list.is_empty() {
            return "尚无账号。\n".into();
        }
        let mut rows = vec![vec![
            "用户名".to_string(),
            "姓名".into(),
            "角色".into(),
            "工号".into(),
            "状态".into(),
        ]];
        for a in list {
            let state = if a.disabled {
                "已停用".to_string()
            } else if let Some(u) = a.locked_until.filter(|_| a.is_locked(now)) {
                format!("锁定至 {}", u.format("%H:%M"))
            } else if a.failed_count > 0 {
                format!("正常（连续失败 {} 次）", a.failed_count)
            } else {
                "正常".into()
            };
            rows.push(vec![
                a.username.clone(),
                a.display_name.clone(),
                accounts::role_labels(&a.roles),
                a.staff_no.clone().unwrap_or_default(),
                state,
            ]);
        }
        let mut widths = vec![0; 5];
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.width());
            }
        }
        let mut out = String::new();
        for r in &rows {
            let line: Vec<String> = r
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.width())))
                .collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
        }
        out
    }
}
