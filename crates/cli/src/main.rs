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
use bianmin_core::{demo, staffing, Error};
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
            "找不到本机的应用数据文件夹,请用 --db 或环境变量 BIANMIN_DB 指定数据库文件",
        )
    })?;
    match action {
        Action::Init { demo } => {
            let mut store = SqliteStore::open(&db)?;
            if demo {
                demo::load(&mut store)?;
            }
            let towns = staffing::town_names(&mut store)?;
            eprintln!(
                "数据库已就绪:{}(结构版本 {});乡镇:{}",
                db.display(),
                store.schema_version()?,
                if towns.is_empty() {
                    "尚无,可运行 bianmin init --demo 载入演示数据".to_string()
                } else {
                    towns.join("、")
                }
            );
        }
        Action::Staffing { town, on, json } => {
            let mut store = SqliteStore::open_existing(&db)?;
            let report = staffing::staffing_report(&mut store, town.as_deref(), on)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).expect("a report always serializes")
                );
            } else {
                print!("{}", table::staffing(&report));
            }
        }
    }
    Ok(())
}
