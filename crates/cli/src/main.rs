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
use bianmin_core::{authority, catalog, demo, staff, staffing, Error};
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
        Action::Staffing { town, on, json } => {
            let mut store = SqliteStore::open_existing(&db)?;
            let report = staffing::staffing_report(&mut store, town.as_deref(), on)?;
            if json {
                print_json(&report);
            } else {
                print!("{}", table::staffing(&report));
            }
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
            if json {
                print_json(&items);
            } else {
                print!("{}", table::items(&items));
            }
        }
        Action::StaffList { town, json, today } => {
            let mut store = SqliteStore::open_existing(&db)?;
            let people = staff::staff_list(&mut store, town.as_deref(), today)?;
            if json {
                print_json(&people);
            } else {
                print!("{}", table::staff(&people));
            }
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
    }
    Ok(())
}

fn print_json<T: serde::Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("domain values always serialize")
    );
}
