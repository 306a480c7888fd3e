//! The command line: raw flags as clap reads them, then typed values.

use std::path::PathBuf;
use std::process::ExitCode;

use bianmin_core::{date, Error};
use chrono::NaiveDate;
use clap::error::ErrorKind;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "bianmin",
    version,
    about = "便民:乡镇便民服务中心的命令行工具(建库、演示数据、编制统计)",
    long_about = None
)]
pub struct Cli {
    /// 数据库文件;优先于环境变量 BIANMIN_DB,再其次是应用自己的数据库
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 创建或升级数据库;--demo 载入三个示范乡镇的演示数据(可重复运行)
    Init {
        /// 载入演示数据:朱昌镇、东风镇、金华镇
        #[arg(long)]
        demo: bool,
    },
    /// 编制与在岗情况:按单位和乡镇统计
    Staffing {
        /// 只看这个乡镇(如 东风镇)
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 统计日期,YYYY-MM-DD;默认今天(北京时间)
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

/// A command with its arguments checked and typed.
pub enum Action {
    Init {
        demo: bool,
    },
    Staffing {
        town: Option<String>,
        on: NaiveDate,
        json: bool,
    },
}

impl Command {
    /// Checks every argument; bad input is refused here, before any database is opened.
    pub fn resolve(self) -> Result<Action, Error> {
        Ok(match self {
            Command::Init { demo } => Action::Init { demo },
            Command::Staffing { town, on, json } => {
                let town = match town {
                    Some(t) if t.trim().is_empty() => {
                        return Err(Error::invalid("town", "乡镇名称不能为空"))
                    }
                    Some(t) if t.chars().count() > 100 => {
                        return Err(Error::invalid("town", "乡镇名称过长(最多 100 个字符)"))
                    }
                    other => other,
                };
                let on = match on {
                    Some(text) => date::parse_date("on", &text)?,
                    None => date::today()?,
                };
                Action::Staffing { town, on, json }
            }
        })
    }
}

/// The command-line name of a field key from the core.
pub fn flag_name(field: &str) -> String {
    match field {
        date::TODAY_VAR | bianmin_core::paths::DB_VAR => format!("环境变量 {field}"),
        _ => format!("--{}", field.replace('_', "-")),
    }
}

/// Prints clap's own refusal with a Chinese lead and the contract's exit status.
pub fn report_clap_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("bianmin:命令行参数有误,请查看 bianmin --help。");
            let _ = e.print();
            ExitCode::from(2)
        }
    }
}
