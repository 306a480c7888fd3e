//! The command line: raw flags as clap reads them, then typed values.

use std::path::PathBuf;
use std::process::ExitCode;

use bianmin_core::{authority, date, Error};
use chrono::NaiveDate;
use clap::error::ErrorKind;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "bianmin",
    version,
    about = "便民：乡镇便民服务中心的命令行工具（建库、演示数据、编制统计）",
    long_about = None
)]
pub struct Cli {
    /// 数据库文件；优先于环境变量 BIANMIN_DB，再其次是应用自己的数据库
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 创建或升级数据库；--demo 载入三个示范乡镇的演示数据（可重复运行）
    Init {
        /// 载入演示数据：朱昌镇、东风镇、金华镇
        #[arg(long)]
        demo: bool,
    },
    /// 事项目录：导入、导出、查询
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// 工作人员
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// 权限核验：某工作人员今天能否对某事项咨询、受理、审批、转报或执法
    Authority {
        /// 工号（如 DF0011）
        #[arg(long, value_name = "NO")]
        staff: String,
        /// 事项编码（如 LY-101）
        #[arg(long, value_name = "CODE")]
        item: String,
        /// consult | accept | approve | forward | enforce
        #[arg(long, value_name = "ACTION")]
        action: String,
        /// 日期，YYYY-MM-DD；默认今天（北京时间）
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 编制与在岗情况：按单位和乡镇统计
    Staffing {
        /// 只看这个乡镇（如 东风镇）
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 统计日期，YYYY-MM-DD；默认今天（北京时间）
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// 导入事项目录（.xlsx，或含 事项.csv、材料.csv、委托书.csv 的文件夹）；全部成功或全部不导入
    Import {
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// 只导入到这个乡镇；默认导入到所有乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
    },
    /// 导出事项目录（.xlsx 文件名，或一个文件夹）
    Export {
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// 导出这个乡镇的目录；默认所有乡镇（须一致）
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
    },
    /// 列出事项（可按名称、编码或拼音首字母查找）
    List {
        /// 乡镇；默认第一个乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 查找：名称、编码或拼音首字母（如 lsjz）
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// 列出在岗工作人员及其角色、证件
    List {
        /// 只列这个乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

/// A command with its arguments checked and typed.
pub enum Action {
    Init {
        demo: bool,
        today: NaiveDate,
    },
    CatalogImport {
        path: PathBuf,
        town: Option<String>,
    },
    CatalogExport {
        path: PathBuf,
        town: Option<String>,
    },
    CatalogList {
        town: Option<String>,
        search: String,
        json: bool,
        today: NaiveDate,
    },
    StaffList {
        town: Option<String>,
        json: bool,
        today: NaiveDate,
    },
    Authority {
        staff: String,
        item: String,
        action: authority::Action,
        on: NaiveDate,
        json: bool,
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
            Command::Init { demo } => Action::Init {
                demo,
                today: date::today()?,
            },
            Command::Catalog { command } => match command {
                CatalogCommand::Import { path, town } => Action::CatalogImport {
                    path,
                    town: town_name(town)?,
                },
                CatalogCommand::Export { path, town } => Action::CatalogExport {
                    path,
                    town: town_name(town)?,
                },
                CatalogCommand::List { town, search, json } => {
                    let search = search.unwrap_or_default();
                    text_limit("search", "查找内容", &search, 100)?;
                    Action::CatalogList {
                        town: town_name(town)?,
                        search,
                        json,
                        today: date::today()?,
                    }
                }
            },
            Command::Staff {
                command: StaffCommand::List { town, json },
            } => Action::StaffList {
                town: town_name(town)?,
                json,
                today: date::today()?,
            },
            Command::Authority {
                staff,
                item,
                action,
                on,
                json,
            } => {
                text_limit("staff", "工号", &staff, 32)?;
                text_limit("item", "事项编码", &item, 64)?;
                if staff.trim().is_empty() {
                    return Err(Error::invalid("staff", "工号不能为空"));
                }
                if item.trim().is_empty() {
                    return Err(Error::invalid("item", "事项编码不能为空"));
                }
                Action::Authority {
                    staff,
                    item,
                    action: authority::Action::parse("action", &action)?,
                    on: on_or_today(on)?,
                    json,
                }
            }
            Command::Staffing { town, on, json } => Action::Staffing {
                town: town_name(town)?,
                on: on_or_today(on)?,
                json,
            },
        })
    }
}

fn town_name(town: Option<String>) -> Result<Option<String>, Error> {
    match town {
        Some(t) if t.trim().is_empty() => Err(Error::invalid("town", "乡镇名称不能为空")),
        Some(t) => {
            text_limit("town", "乡镇名称", &t, 100)?;
            Ok(Some(t))
        }
        None => Ok(None),
    }
}

fn text_limit(field: &'static str, label: &str, text: &str, max: usize) -> Result<(), Error> {
    let n = text.chars().count();
    if n > max {
        return Err(Error::invalid(
            field,
            format!("{label}过长：{n} 个字符，最多 {max} 个"),
        ));
    }
    Ok(())
}

fn on_or_today(on: Option<String>) -> Result<NaiveDate, Error> {
    match on {
        Some(text) => date::parse_date("on", &text),
        None => date::today(),
    }
}

/// The command-line name of a field key from the core.
pub fn flag_name(field: &str) -> String {
    match field {
        date::TODAY_VAR | bianmin_core::paths::DB_VAR => format!("环境变量 {field}"),
        "path" => "PATH".to_string(),
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
            eprintln!("bianmin：命令行参数有误，请查看 bianmin --help。");
            let _ = e.print();
            ExitCode::from(2)
        }
    }
}
