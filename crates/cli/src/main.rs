//! `bianmin`, the headless tool over the Bianmin core. Its interface is a contract
//! (DESIGN.md "The `bianmin` command"): exit 0 on success, 2 for bad input with a Chinese message
//! naming the flag and nothing changed, 1 for any other failure.
//!
//! Arguments are handled in two steps: clap reads the raw flags ([`args::Cli`]), then
//! [`args::Command::resolve`] turns them into typed values, so every refusal of bad input happens
//! before the database is opened.

mod args;
mod table;

use std::process::ExitCode;

use bianmin_core::store::SqliteStore;
use bianmin_core::{authority, catalog, date, demo, forms, request, staff, staffing, Error};
use clap::Parser;

use args::{Action, Cli};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return args::report_clap_error(e),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bianmin:{}", describe(&e));
            ExitCode::from(if e.is_bad_input() { 2 } else { 1 })
        }
    }
}

/// The message for the person at the terminal, naming the flag where input was at fault.
fn describe(e: &Error) -> String {
    match e {
        Error::Invalid { field, message } => format!("{}:{message}", args::flag_name(field)),
        other => other.to_string(),
    }
}

/// An audit record of an administrative action from the command line.
fn audit(store: &mut SqliteStore, action: &str, file: &str) -> Result<(), Error> {
    use bianmin_core::store::Store;
    let entry = bianmin_core::request::record::AuditEntry {
        at: date::now()?,
        os_user: bianmin_core::request::os_user(),
        staff_no: None,
        action: action.into(),
        request_number: None,
        item_code: None,
        allowed: true,
        basis: "命令行".into(),
        detail: Some(file.into()),
    };
    store.write(|c| c.add_audit(&entry))
}

/// Writes `bytes` beside `out` (as `out.part`), to be moved into place once all is well.
fn write_aside(
    field: &'static str,
    out: &std::path::Path,
    bytes: &[u8],
) -> Result<std::path::PathBuf, Error> {
    let mut name = out.as_os_str().to_owned();
    name.push(".part");
    let tmp = std::path::PathBuf::from(name);
    std::fs::write(&tmp, bytes).map_err(|e| cant_write(field, out, &tmp, e))?;
    Ok(tmp)
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
    store: &mut SqliteStore,
    form: &forms::Form,
    staff: Option<&str>,
    out: &std::path::Path,
    json: bool,
) -> Result<(), Error> {
    // Written aside first; recorded; then moved into place, so a refusal (an unknown --staff)
    // leaves neither a file nor a record.
    let tmp = write_aside("out", out, &form.bytes)?;
    let copy = match forms::record_issue(store, form, staff, "file", &date::now()?) {
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

fn run(cli: Cli) -> Result<(), Error> {
    let action = cli.command.resolve()?;
    let db = bianmin_core::paths::resolve_db(cli.db).ok_or_else(|| {
        Error::invalid(
            "db",
            "找不到本机的应用数据文件夹，请用 --db 或环境变量 BIANMIN_DB 指定数据库文件",
        )
    })?;
    match action {
        Action::Init { demo, today } => {
            let mut store = SqliteStore::open(&db)?;
            if demo {
                demo::load(&mut store, today)?;
            }
            let towns = staffing::town_names(&mut store)?;
            eprintln!(
                "数据库已就绪：{}（结构版本 {}）；乡镇：{}",
                db.display(),
                store.schema_version()?,
                if towns.is_empty() {
                    "尚无，可运行 bianmin init --demo 载入演示数据".to_string()
                } else {
                    towns.join("、")
                }
            );
        }
        Action::Staffing {
            town,
            on,
            json,
            pdf,
            xlsx,
        } => {
            let mut store = SqliteStore::open_existing(&db)?;
            let report = staffing::staffing_report(&mut store, town.as_deref(), on)?;
            if let Some(out) = &xlsx {
                let bytes = bianmin_core::staffing_xlsx::xlsx(&report)?;
                let tmp = write_aside("xlsx", out, &bytes)?;
                std::fs::rename(&tmp, out).map_err(|e| cant_write("xlsx", out, &tmp, e))?;
                eprintln!("已导出编制与在岗情况（{}）：{}", report.date, out.display());
            }
            if let Some(out) = pdf {
                let form =
                    forms::staffing_form(&mut store, town.as_deref(), on, date::now_datetime()?)?;
                issue_to_file(&mut store, &form, None, &out, json)?;
                return Ok(());
            }
            if xlsx.is_some() {
                return Ok(());
            }
            show(json, &report, table::staffing);
        }
        Action::AuditVerify { json } => {
            let store = SqliteStore::open_existing(&db)?;
            let v = store.verify_audit()?;
            if json {
                print_json(&v);
            } else if v.ok {
                eprintln!("审计日志完好：{} 条记录，哈希链无断点。", v.records);
            }
            if !v.ok {
                return Err(Error::AuditBroken(v.problem.unwrap_or_default()));
            }
        }
        Action::StressIntake { count, staff, item } => {
            use std::io::Write;
            let mut store = SqliteStore::open_existing(&db)?;
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
                let d = request::new_request(&mut store, &input, &date::now()?)?;
                // Printed only after the commit returned: a number on stdout is a receipt issued.
                writeln!(out, "{}", d.view.number)
                    .map_err(|e| Error::invalid("out", e.to_string()))?;
                out.flush()
                    .map_err(|e| Error::invalid("out", e.to_string()))?;
            }
        }
        Action::Backup { file } => {
            let mut store = SqliteStore::open_existing(&db)?;
            let r = store.backup_to(&file)?;
            audit(&mut store, "backup", &r.file)?;
            eprintln!(
                "已备份到 {}（{} 页，{} KB，结构版本 {}）",
                r.file,
                r.pages,
                r.bytes.div_ceil(1024),
                r.schema_version
            );
        }
        Action::Restore { file } => {
            let stamp = date::now()?.replace([' ', ':'], "").replace('-', "");
            let r = bianmin_core::store::backup::restore(&db, &file, &stamp)?;
            let mut store = SqliteStore::open_existing(&db)?;
            audit(&mut store, "restore", &r.file)?;
            eprintln!(
                "已从 {} 恢复（{} 页）；恢复前的数据库保存在 {}",
                r.file,
                r.pages,
                r.previous.as_deref().unwrap_or("")
            );
        }
        Action::Demand {
            town,
            on,
            target_wait_s,
            service_level,
            json,
        } => {
            let mut store = SqliteStore::open_existing(&db)?;
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
            let mut store = SqliteStore::open_existing(&db)?;
            let form =
                forms::request_form(&mut store, &number, kind, paper, date::now_datetime()?)?;
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
            let mut store = SqliteStore::open_existing(&db)?;
            let form = forms::handover_form(
                &mut store,
                town.as_deref(),
                &department,
                on,
                paper,
                date::now_datetime()?,
            )?;
            issue_to_file(&mut store, &form, staff.as_deref(), &out, json)?;
        }
        Action::StaffImport { file, town, today } => {
            let mut store = SqliteStore::open_existing(&db)?;
            let r = bianmin_core::roster::import(&mut store, &file, town.as_deref(), today)?;
            eprintln!(
                "已导入到{}：新增人员 {} 人，状态记录 {} 条，排班 {} 条，证件 {} 个。",
                r.town, r.people, r.periods, r.rota_lines, r.credentials
            );
        }
        Action::CatalogImport { path, town } => {
            let mut store = SqliteStore::open_existing(&db)?;
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
            let mut store = SqliteStore::open_existing(&db)?;
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
            let mut store = SqliteStore::open_existing(&db)?;
            let filter = catalog::service::Filter {
                query: search,
                ..Default::default()
            };
            let items = catalog::service::find_items(&mut store, town.as_deref(), &filter, today)?;
            show(json, items.as_slice(), table::items);
        }
        Action::StaffList { town, json, today } => {
            let mut store = SqliteStore::open_existing(&db)?;
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
            let mut store = SqliteStore::open_existing(&db)?;
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
            let mut store = SqliteStore::open_existing(&db)?;
            let d = request::new_request(&mut store, &input, &date::now()?)?;
            print_request(&d, json);
        }
        Action::RequestConsult {
            staff,
            item,
            name,
            json,
        } => {
            let mut store = SqliteStore::open_existing(&db)?;
            let d = request::consult(&mut store, &staff, &item, name.as_deref(), &date::now()?)?;
            print_request(&d, json);
        }
        Action::RequestShow { number, json } => {
            let mut store = SqliteStore::open_existing(&db)?;
            let d = request::show(&mut store, &number, date::today()?)?;
            print_request(&d, json);
        }
        Action::RequestList {
            town,
            kind,
            search,
            json,
        } => {
            let mut store = SqliteStore::open_existing(&db)?;
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
        } => {
            let mut store = SqliteStore::open_existing(&db)?;
            let d = request::step(&mut store, &number, &staff, &step, &date::now()?)?;
            print_request(&d, json);
        }
        Action::CalendarDue { start, n, json } => {
            let calendar = match SqliteStore::open_existing(&db) {
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
        Action::CalendarImport { file } => {
            let mut store = SqliteStore::open_existing(&db)?;
            let year = bianmin_core::calendar::import(&mut store, &file)?;
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
