//! `queue`, `rating` and `followup`: the hall's front on the command line (issue 19), on a
//! database (`--db`) or through the hall server (`--server`, as the operations of the same
//! names). Flags are read here, the rules are the core's (`bianmin_core::front`).

use std::path::PathBuf;

use bianmin_core::address::Database;
use bianmin_core::forms::{ticket_slip, SlipWidth};
use bianmin_core::front::device::{self as devices, DeviceKind};
use bianmin_core::front::record::TicketState;
use bianmin_core::front::{self, Done, FollowupStep, Taken, TicketView};
use bianmin_core::store::AnyStore;
use bianmin_core::{date, Error};
use serde_json::{json, Value};

use crate::args::{DeviceCommand, FollowupCommand, QueueCommand, RatingCommand};

/// A front command, its flags read: the server's operation and arguments it stands for.
pub struct Front {
    pub op: &'static str,
    pub args: Value,
    pub json: bool,
    /// `queue take --slip`: where the ticket's 取号凭条 goes, and on which paper.
    pub slip: Option<Slip>,
    /// `report --pdf` / `--xlsx`: the file the answer's bytes go to.
    pub save: Option<Save>,
}

/// A file a command's answer (`{name, base64}`) is written to, and the flag that named it.
pub struct Save {
    pub field: &'static str,
    pub out: PathBuf,
}

/// The 取号凭条 a `queue take` writes once the ticket is taken.
pub struct Slip {
    pub file: PathBuf,
    pub width: SlipWidth,
}

/// Reads `--slip` and `--width` before anything is taken: the width 58 or 80 (default 80), only
/// with a slip, and the slip's folder there.
fn slip_of(file: Option<PathBuf>, width: Option<String>) -> Result<Option<Slip>, Error> {
    let width = width.as_deref().map(SlipWidth::parse).transpose()?;
    let Some(file) = file else {
        return match width {
            Some(_) => Err(Error::invalid(
                "width",
                "纸宽只用于取号凭条：请同时写 --slip FILE",
            )),
            None => Ok(None),
        };
    };
    if let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !folder.is_dir() {
            return Err(Error::invalid(
                "slip",
                format!("文件夹“{}”不存在，凭条无处可写", folder.display()),
            ));
        }
    }
    Ok(Some(Slip {
        file,
        width: width.unwrap_or_default(),
    }))
}

fn follow_up_id(text: &str) -> Result<i64, Error> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::invalid("followup", format!("“{}”不是回访编号", text.trim())))
}

/// Reads a `queue` command.
pub fn queue(command: QueueCommand) -> Result<Front, Error> {
    let counter = |op: &'static str, what: &str, who: crate::args::CounterArg, extra: Value| {
        let mut args = json!({ "staff": who.staff });
        if op == "queue_done" {
            args["what"] = json!(what);
        }
        if let Value::Object(more) = extra {
            args.as_object_mut().expect("an object").extend(more);
        }
        Front {
            op,
            args,
            json: who.json,
            slip: None,
            save: None,
        }
    };
    Ok(match command {
        QueueCommand::Take {
            town,
            post,
            priority,
            slip,
            width,
            json,
        } => Front {
            op: "queue_take",
            args: json!({ "town": town, "post": post, "priority": priority }),
            json,
            slip: slip_of(slip, width)?,
            save: None,
        },
        QueueCommand::Call { who } => counter("queue_call", "call", who, json!({})),
        QueueCommand::Finish { who, request } => {
            counter("queue_done", "finish", who, json!({ "request": request }))
        }
        QueueCommand::Skip { who } => counter("queue_done", "skip", who, json!({})),
        QueueCommand::Recall { who } => counter("queue_done", "recall", who, json!({})),
        QueueCommand::Transfer { who, post } => {
            counter("queue_done", "transfer", who, json!({ "post": post }))
        }
        QueueCommand::Return { town, ticket, json } => Front {
            op: "queue_return",
            args: json!({ "town": town, "ticket": ticket }),
            json,
            slip: None,
            save: None,
        },
        QueueCommand::Board { town, json } => Front {
            op: "queue_board",
            args: json!({ "town": town }),
            json,
            slip: None,
            save: None,
        },
        QueueCommand::Stats { town, on, json } => {
            if let Some(on) = &on {
                date::parse_date("on", on)?;
            }
            Front {
                op: "queue_stats",
                args: json!({ "town": town, "on": on }),
                json,
                slip: None,
                save: None,
            }
        }
    })
}

/// Reads a `rating` command.
pub fn rating(command: RatingCommand) -> Result<Front, Error> {
    Ok(match command {
        RatingCommand::Add {
            request,
            grade,
            reason,
            comment,
            json,
        } => {
            front::parse_grade(&grade)?;
            Front {
                op: "rating_add",
                args: json!({ "request": request, "grade": grade, "reason": reason, "comment": comment }),
                json,
                slip: None,
                save: None,
            }
        }
        RatingCommand::List { town, bad, json } => Front {
            op: "rating_list",
            args: json!({ "town": town, "bad": bad }),
            json,
            slip: None,
            save: None,
        },
    })
}

/// Reads a `followup` command.
pub fn followup(command: FollowupCommand) -> Result<Front, Error> {
    let (id, staff, step, result) = match command {
        FollowupCommand::Period { town, days, json } => {
            let days = days.as_deref().map(days_of).transpose()?;
            return Ok(Front {
                op: "followup_period",
                args: json!({ "town": town, "days": days }),
                json,
                slip: None,
                save: None,
            });
        }
        FollowupCommand::Contact { id, staff } => (id, staff, "contacted", None),
        FollowupCommand::Verify { id, staff } => (id, staff, "verified", None),
        FollowupCommand::Fix { id, staff } => (id, staff, "fixed", None),
        FollowupCommand::Close { id, staff, result } => (id, staff, "closed", Some(result)),
    };
    Ok(Front {
        op: "followup_step",
        args: json!({ "id": follow_up_id(&id)?, "staff": staff, "step": step, "result": result }),
        json: false,
        slip: None,
        save: None,
    })
}

/// `--days`: whole working days, 1 to 30.
fn days_of(text: &str) -> Result<u32, Error> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=30).contains(d))
        .ok_or_else(|| {
            Error::invalid(
                "days",
                format!(
                    "--days “{}”无效：差评回访期限应为 1 到 30 个工作日",
                    text.trim()
                ),
            )
        })
}

/// Reads a `device` command.
pub fn device(command: DeviceCommand) -> Result<Front, Error> {
    Ok(match command {
        DeviceCommand::Open {
            kind,
            label,
            town,
            staff,
            json,
        } => {
            let kind = DeviceKind::parse(&kind)?;
            Front {
                op: "device_open",
                args: json!({ "kind": kind.key(), "label": label, "town": town, "staff": staff }),
                json,
                slip: None,
                save: None,
            }
        }
        DeviceCommand::List { town, json } => Front {
            op: "device_list",
            args: json!({ "town": town }),
            json,
            slip: None,
            save: None,
        },
        DeviceCommand::Close { id } => {
            let id = id
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| Error::invalid("id", format!("“{}”不是设备编号", id.trim())))?;
            Front {
                op: "device_close",
                args: json!({ "id": id }),
                json: false,
                slip: None,
                save: None,
            }
        }
    })
}

/// What `report` writes instead of printing: `--pdf FILE` or `--xlsx FILE` (each checked by
/// [`crate::args::out_file`] before anything is read).
pub struct ReportFiles {
    pub pdf: Option<PathBuf>,
    pub xlsx: Option<PathBuf>,
}

/// Reads `report`: the dates (fields `from`, `to`), and a drill-down's figure and group, or the
/// file the report is written to (`report_pdf`, `report_xlsx`).
pub fn report(
    town: Option<String>,
    from: &str,
    to: &str,
    figure: Option<String>,
    group: Option<String>,
    json: bool,
    files: ReportFiles,
) -> Result<Front, Error> {
    let from_day = date::parse_date("from", from)?;
    let to_day = date::parse_date("to", to)?;
    bianmin_core::report::ReportAsk::new(town.clone(), from_day, to_day, from_day)?;
    let file = match (files.pdf, files.xlsx) {
        (Some(out), _) => Some((
            "report_pdf",
            "pdf",
            crate::args::out_file("pdf", out, "pdf")?,
        )),
        (None, Some(out)) => Some((
            "report_xlsx",
            "xlsx",
            crate::args::out_file("xlsx", out, "xlsx")?,
        )),
        (None, None) => None,
    };
    if let Some((op, field, out)) = file {
        return Ok(Front {
            op,
            args: json!({ "town": town, "from": from_day, "to": to_day }),
            json: false,
            slip: None,
            save: Some(Save { field, out }),
        });
    }
    let Some(figure) = figure else {
        return Ok(Front {
            op: "report",
            args: json!({ "town": town, "from": from_day, "to": to_day }),
            json,
            slip: None,
            save: None,
        });
    };
    if bianmin_core::report::Figure::parse(&figure).is_none() {
        return Err(Error::invalid(
            "figure",
            format!("--figure “{}”不是报表中的数字", figure.trim()),
        ));
    }
    let (dimension, key) = match group.as_deref() {
        Some(g) => {
            let (d, k) = g.split_once('=').ok_or_else(|| {
                Error::invalid(
                    "group",
                    format!("--group “{g}”应写成 分组=名称，如 post=民政窗口"),
                )
            })?;
            if bianmin_core::report::Dimension::parse(d).is_none() {
                return Err(Error::invalid(
                    "group",
                    format!(
                        "--group 的分组“{d}”无效：可选 department、post、clerk、item、week、town"
                    ),
                ));
            }
            (Some(d.trim().to_string()), Some(k.trim().to_string()))
        }
        None => (None, None),
    };
    Ok(Front {
        op: "report_requests",
        args: json!({ "town": town, "from": from_day, "to": to_day, "figure": figure.trim(),
                      "dimension": dimension, "key": key }),
        json,
        slip: None,
        save: None,
    })
}

/// A follow-up step by its key.
pub fn step_of(key: &str) -> Result<FollowupStep, Error> {
    Ok(match key {
        "contacted" => FollowupStep::Contacted,
        "verified" => FollowupStep::Verified,
        "fixed" => FollowupStep::Fixed,
        "closed" => FollowupStep::Close,
        other => return Err(Error::invalid("step", format!("未知的回访步骤“{other}”"))),
    })
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

/// The report as the terminal shows it: the core's words ([`bianmin_core::report::words`]),
/// which the printed report and the workbook use too, of the report this database or the hall
/// server answered.
fn report_text(v: &Value) -> String {
    match serde_json::from_value::<bianmin_core::report::Report>(v.clone()) {
        Ok(r) => bianmin_core::report::words::text(&r),
        Err(e) => format!("报表的回答无法读取（{e}）：{v}\n"),
    }
}

/// The line a command prints without `--json`.
pub fn say(op: &str, v: &Value) -> String {
    match op {
        "queue_take" => format!(
            "{}  {}  前面还有 {} 人\n",
            text(v, "ticket"),
            text(v, "post"),
            v["waiting"]
        ),
        "queue_call" => match v["ticket"].as_str() {
            Some(t) => format!(
                "请 {t} 号到 {} 号窗口办理（{}）\n",
                v["counter"],
                text(v, "post")
            ),
            None => "没有等候的群众。\n".to_string(),
        },
        "queue_done" | "queue_return" => {
            format!(
                "{}  {}  {}\n",
                text(v, "ticket"),
                text(v, "post"),
                text(v, "state_label")
            )
        }
        "queue_stats" => {
            let mut out = format!(
                "{} {}：取号 {}，办结 {}，过号 {}，等候中 {}；等候中位数 {} 秒，90% 分位 {} 秒\n",
                text(v, "town"),
                text(v, "on"),
                v["tickets"],
                v["served"],
                v["skipped"],
                v["waiting"],
                v["wait_p50_s"],
                v["wait_p90_s"]
            );
            for p in v["posts"].as_array().into_iter().flatten() {
                out.push_str(&format!(
                    "  {} {}：取号 {}，办结 {}，等候中位数 {} 秒\n",
                    text(p, "letter"),
                    text(p, "post"),
                    p["tickets"],
                    p["served"],
                    p["wait_p50_s"]
                ));
            }
            out
        }
        "queue_board" => {
            let mut out = String::new();
            if let Some(m) = v["message"].as_str() {
                out.push_str(&format!("{m}\n"));
            }
            for c in v["calls"].as_array().into_iter().flatten() {
                out.push_str(&format!(
                    "{} → {} 号窗口（{}）\n",
                    text(c, "ticket"),
                    c["counter"],
                    text(c, "post")
                ));
            }
            for p in v["posts"].as_array().into_iter().flatten() {
                let next: Vec<&str> = p["next"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                out.push_str(&format!(
                    "{} {}：等候 {} 人{}\n",
                    text(p, "letter"),
                    text(p, "post"),
                    p["waiting"],
                    if next.is_empty() {
                        String::new()
                    } else {
                        format!("，接下来 {}", next.join("、"))
                    }
                ));
            }
            out
        }
        "rating_list" => v
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                format!(
                    "{}  {}  {}  {}{}\n",
                    r["id"],
                    text(r, "request"),
                    text(r, "grade_label"),
                    text(r, "at"),
                    match (r["followup_id"].as_i64(), r["closed"].as_bool()) {
                        (Some(id), Some(true)) => format!("  回访 {id} 已办结"),
                        (Some(id), _) => format!("  回访 {id}，{} 前办结", text(r, "due")),
                        _ => String::new(),
                    }
                )
            })
            .collect(),
        "report" => report_text(v),
        "report_requests" => v
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                format!(
                    "{}  {}  {}  {}  收件 {}{}{}\n",
                    text(r, "number"),
                    text(r, "item_name"),
                    text(r, "post"),
                    text(r, "clerk"),
                    text(r, "received_on"),
                    r["completed_on"]
                        .as_str()
                        .map(|d| format!("  办结 {d}"))
                        .unwrap_or_default(),
                    r["overdue_reason"]
                        .as_str()
                        .map(|d| format!("  逾期说明：{d}"))
                        .unwrap_or_default(),
                )
            })
            .collect(),
        "device_open" => {
            let d = &v["device"];
            let link = v["url"]
                .as_str()
                .unwrap_or(text(v, "link").as_str())
                .to_string();
            format!(
                "已开通{}“{}”（第 {} 号设备，{}）。\n在该设备的浏览器中打开下面的链接{}（含设备令牌，只显示这一次，请勿外传；设备丢失时用 device close {} 停用）：\n{link}\n",
                text(d, "kind_label"),
                text(d, "label"),
                d["id"],
                text(d, "town"),
                if v["url"].is_string() { "" } else { "（前面加上大厅服务器的地址，如 https://192.168.1.10:8443）" },
                d["id"]
            )
        }
        "device_list" => v
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| {
                format!(
                    "{}  {}  {}  {}{}  开通于 {}（{}）{}\n",
                    d["id"],
                    text(d, "town"),
                    text(d, "kind_label"),
                    text(d, "label"),
                    d["staff_no"]
                        .as_str()
                        .map(|s| format!("（{s}）"))
                        .unwrap_or_default(),
                    text(d, "opened_at"),
                    text(d, "opened_by"),
                    d["closed_at"]
                        .as_str()
                        .map(|c| format!("  已于 {c} 停用"))
                        .unwrap_or_default()
                )
            })
            .collect(),
        "device_close" => format!(
            "已停用{}“{}”（第 {} 号设备），它的会话已失效。\n",
            text(v, "kind_label"),
            text(v, "label"),
            v["id"]
        ),
        "followup_period" => format!("{}差评回访期限：{} 个工作日\n", text(v, "town"), v["days"]),
        _ => match (v["followup_id"].as_i64(), v["due"].as_str()) {
            (Some(id), Some(due)) if !v["closed"].as_bool().unwrap_or(false) => format!(
                "已记录：{}。差评回访 {id} 号，{due} 前办结。\n",
                text(v, "grade_label")
            ),
            _ => format!("已记录：{}。\n", text(v, "grade_label")),
        },
    }
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v[key].as_str()
}

/// The ticket a `queue_take` answered, read back from its JSON (this database's answer or the
/// hall server's alike); `None` when a part the slip prints is missing.
fn taken_of(v: &Value) -> Option<Taken> {
    let text = |key: &str| s(v, key).map(str::to_string);
    let state = TicketState::parse(s(v, "state")?)?;
    Some(Taken {
        view: TicketView {
            ticket: text("ticket")?,
            post: text("post")?,
            state,
            state_label: state.label(),
            priority: text("priority"),
            taken_at: text("taken_at")?,
            called_at: text("called_at"),
            counter: v["counter"].as_i64(),
            staff_no: text("staff_no"),
            requests: v["requests"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r.as_str().map(str::to_string))
                .collect(),
        },
        town: text("town")?,
        waiting: usize::try_from(v["waiting"].as_u64()?).ok()?,
    })
}

/// Writes the 取号凭条 of the ticket `answer` took (aside first, then moved into place; 0600 as
/// every file Bianmin writes). The ticket is taken by then, so a failure names it and `--slip`.
pub fn write_slip(slip: &Slip, answer: &Value) -> Result<(), Error> {
    let taken = taken_of(answer).ok_or_else(|| {
        Error::invalid(
            "slip",
            format!("取号的回答缺少凭条要印的内容，凭条没有写成：{answer}"),
        )
    })?;
    let ticket = taken.view.ticket.clone();
    let failed = |e: Error| match e {
        Error::Invalid { message, .. } => Error::invalid(
            "slip",
            format!("{ticket} 号已经取好，但凭条没有写成：{message}"),
        ),
        other => other,
    };
    let bytes = ticket_slip(&taken, slip.width).map_err(failed)?;
    let tmp = crate::write_aside("slip", &slip.file, &bytes).map_err(failed)?;
    std::fs::rename(&tmp, &slip.file)
        .map_err(|e| failed(crate::cant_write("slip", &slip.file, &tmp, e)))?;
    eprintln!(
        "已生成取号凭条（{ticket} 号，{} 毫米热敏纸）：{}",
        slip.width.mm(),
        slip.file.display()
    );
    Ok(())
}

/// A file as the hall server answers it: its name and bytes (base64).
fn file_answer(name: &str, bytes: &[u8]) -> Value {
    use base64::Engine;
    json!({ "name": name, "base64": base64::engine::general_purpose::STANDARD.encode(bytes) })
}

/// Writes the file an answer carries (`{name, base64}`, this database's or the hall server's)
/// to where `save` says: aside first, then moved into place, 0600 as every file Bianmin writes;
/// then says so on stderr. A failure names the flag.
pub fn save_file(save: &Save, answer: &Value) -> Result<(), Error> {
    use base64::Engine;
    let (field, out) = (save.field, &save.out);
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(answer["base64"].as_str().unwrap_or_default())
        .map_err(|_| Error::invalid(field, "收到的文件无法读取，没有写入"))?;
    let tmp = crate::write_aside(field, out, &bytes)?;
    std::fs::rename(&tmp, out).map_err(|e| crate::cant_write(field, out, &tmp, e))?;
    eprintln!(
        "已导出{}：{}",
        answer["name"].as_str().unwrap_or_default(),
        out.display()
    );
    Ok(())
}

/// Runs a front command on a database, as the server runs the operation of its name.
pub fn run_local(db: &Database, f: &Front) -> Result<Value, Error> {
    let mut store = AnyStore::open_existing(db)?;
    let a = &f.args;
    let at = date::now()?;
    let answer = match f.op {
        "queue_take" => {
            let taken = json!(front::take(
                &mut store,
                s(a, "town"),
                s(a, "post").unwrap_or_default(),
                s(a, "priority"),
                at
            )?);
            if let Some(slip) = &f.slip {
                write_slip(slip, &taken)?;
            }
            taken
        }
        "queue_call" => json!(front::call_next(
            &mut store,
            s(a, "staff").unwrap_or_default(),
            at
        )?),
        "queue_done" => {
            let staff = s(a, "staff").unwrap_or_default();
            match s(a, "what").unwrap_or_default() {
                "transfer" => json!(front::transfer(
                    &mut store,
                    staff,
                    s(a, "post").unwrap_or_default(),
                    at
                )?),
                what => {
                    let done = match what {
                        "finish" => Done::Finish,
                        "skip" => Done::Skip,
                        _ => Done::Recall,
                    };
                    json!(front::done(&mut store, staff, done, s(a, "request"), at)?)
                }
            }
        }
        "queue_return" => json!(front::return_skipped(
            &mut store,
            s(a, "town"),
            s(a, "ticket").unwrap_or_default(),
            at
        )?),
        "queue_board" => json!(front::board(&mut store, s(a, "town"), at)?),
        "queue_stats" => {
            let on = match s(a, "on") {
                Some(d) => date::parse_date("on", d)?,
                None => date::today()?,
            };
            json!(front::stats(&mut store, s(a, "town"), on)?)
        }
        "rating_add" => json!(front::rate(
            &mut store,
            s(a, "request").unwrap_or_default(),
            front::parse_grade(s(a, "grade").unwrap_or_default())?,
            s(a, "reason"),
            s(a, "comment"),
            at
        )?),
        "rating_list" => json!(front::ratings(
            &mut store,
            s(a, "town"),
            a["bad"].as_bool().unwrap_or(false),
            date::today()?
        )?),
        "report" | "report_requests" | "report_pdf" | "report_xlsx" => {
            let from = date::parse_date("from", s(a, "from").unwrap_or_default())?;
            let to = date::parse_date("to", s(a, "to").unwrap_or_default())?;
            let ask = bianmin_core::report::ReportAsk::new(
                s(a, "town").map(str::to_string),
                from,
                to,
                date::today()?,
            )?;
            if f.op == "report" {
                json!(bianmin_core::report::report(&mut store, &ask)?)
            } else if f.op == "report_pdf" {
                let report = bianmin_core::report::report(&mut store, &ask)?;
                let form = bianmin_core::forms::report_form(&mut store, &report, at)?;
                file_answer(&form.file_name(), &form.bytes)
            } else if f.op == "report_xlsx" {
                let report = bianmin_core::report::report(&mut store, &ask)?;
                let bytes = bianmin_core::report_xlsx::xlsx(&report)?;
                file_answer(&bianmin_core::report_xlsx::file_name(&report), &bytes)
            } else {
                let group = match (s(a, "dimension"), s(a, "key")) {
                    (Some(d), Some(k)) => Some((d, k)),
                    _ => None,
                };
                json!(bianmin_core::report::requests_behind(
                    &mut store,
                    &ask,
                    s(a, "figure").unwrap_or_default(),
                    group
                )?)
            }
        }
        "device_open" => json!(devices::open(
            &mut store,
            s(a, "town"),
            s(a, "kind").unwrap_or_default(),
            s(a, "staff"),
            s(a, "label").unwrap_or_default(),
            &format!("本机 {}", bianmin_core::audit::os_user()),
            at
        )?),
        "device_list" => json!(devices::list(&mut store, s(a, "town"))?),
        "device_close" => json!(devices::close(
            &mut store,
            a["id"].as_i64().unwrap_or(0),
            &format!("本机 {}", bianmin_core::audit::os_user()),
            at
        )?),
        "followup_period" => {
            if let Some(days) = a["days"].as_u64() {
                front::set_followup_days(&mut store, s(a, "town"), days as u32, at)?;
            }
            let (town, days) = front::followup_period_of(&mut store, s(a, "town"))?;
            json!({ "town": town, "days": days })
        }
        _ => json!(front::followup(
            &mut store,
            a["id"].as_i64().unwrap_or(0),
            step_of(s(a, "step").unwrap_or_default())?,
            s(a, "staff").unwrap_or_default(),
            s(a, "result"),
            at
        )?),
    };
    Ok(answer)
}

/// Whether an operation's answer is a confirmation, said on stderr (a rating taken, a follow-up's
/// step), rather than what the command was asked for, printed on stdout. The same locally and
/// through the hall server.
pub fn says(op: &str) -> bool {
    op.starts_with("rating_add") || op == "followup_step"
}

/// Prints an answer as the command says, or writes the file it carries.
pub fn print(f: &Front, answer: &Value) -> Result<(), Error> {
    if let Some(save) = &f.save {
        return save_file(save, answer);
    }
    if f.json {
        println!("{answer:#}");
    } else if says(f.op) {
        eprint!("{}", say(f.op, answer));
    } else {
        print!("{}", say(f.op, answer));
    }
    Ok(())
}
