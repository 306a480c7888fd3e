//! `bianmin --server URL COMMAND`: a command through the hall server instead of a database
//! (issue 18). The account comes from `BIANMIN_USER` and `BIANMIN_PASSWORD`; every call logs in,
//! does its work and logs out. The server checks everything; what it refuses comes back as its
//! `{code, field, message}` and ends the command: 400 exits 2 naming the flag, 401 and 403 exit
//! 3, anything else 1.
//!
//! A server off this PC is trusted by its certificate's fingerprint, pinned once with
//! `bianmin --server URL trust FINGERPRINT` after comparing it with what the server printed; the
//! pins are kept in `servers.json` in Bianmin's data folder (0600).

use bianmin_core::Error;
use bianmin_server::client::{Client, ServerUrl};
use bianmin_server::pins;
use serde_json::{json, Value};

use crate::args::{
    list_of, Action, CatalogCommand, Command, RequestCommand, RetentionCommand, StaffCommand,
};

/// The account's name and password for a server.
pub const USER_VAR: &str = "BIANMIN_USER";
pub const PASSWORD_VAR: &str = "BIANMIN_PASSWORD";

/// Why a remote command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// Refused or failed here, before or after the server (bad flags, no pin, unreachable).
    Local(Error),
    /// The server's answer.
    Server {
        status: u16,
        field: Option<String>,
        message: String,
    },
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Local(e)
    }
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Local(e) if e.is_bad_input() => 2,
            Failure::Local(_) => 1,
            Failure::Server { status: 400, .. } => 2,
            Failure::Server {
                status: 401 | 403, ..
            } => 3,
            Failure::Server { .. } => 1,
        }
    }

    /// The line for stderr; a field named by the server is shown as its flag.
    pub fn describe(&self, local: impl Fn(&Error) -> String) -> String {
        match self {
            Failure::Local(e) => local(e),
            Failure::Server {
                field: Some(f),
                message,
                ..
            } => format!("{}:{message}", crate::args::flag_name(f)),
            Failure::Server { message, .. } => format!("大厅服务器:{message}"),
        }
    }
}

/// The answer's JSON, or the server's refusal.
fn answered(a: bianmin_server::client::Answer) -> Result<Value, Failure> {
    a.json()?.map_err(|r| Failure::Server {
        status: r.status,
        field: r.field,
        message: r.message,
    })
}

/// What the command asks of the server: the operation and its arguments, whether the answer is
/// printed as JSON, and how it is shown otherwise.
struct Call {
    op: &'static str,
    args: Value,
    /// A write: sent with an idempotency key, and retried once with it.
    writes: bool,
    json: bool,
    text: fn(&Value) -> String,
    /// The command names no town and the operation needs one: the first the account may read.
    needs_town: bool,
    /// What becomes of the answer besides printing it.
    then: Then,
}

/// What a command does with the server's answer.
enum Then {
    /// Prints it (as JSON with `--json`).
    Print,
    /// Prints the line the text gives on stderr, as the local command does.
    Say,
    /// A rendered form: its PDF written to `out`, then the copy recorded on the server
    /// (`form_record`, route `file`) against `staff` (none: the account's own).
    SaveForm {
        out: std::path::PathBuf,
        staff: Option<String>,
    },
    /// A file the server made (`{name, base64}`), written where it says.
    SaveFile(crate::front_cli::Save),
    /// A ticket taken (`queue take --slip`): its 取号凭条 made here from the answer and written,
    /// then the answer printed.
    SaveSlip(crate::front_cli::Slip),
}

impl Call {
    fn new(op: &'static str, args: Value, json: bool, text: fn(&Value) -> String) -> Call {
        Call {
            op,
            args,
            writes: false,
            json,
            text,
            needs_town: false,
            then: Then::Print,
        }
    }
}

fn item_line(v: &Value) -> String {
    format!(
        "{}  {}  {}  {}\n",
        v["code"].as_str().unwrap_or(""),
        v["name"].as_str().unwrap_or(""),
        v["department"].as_str().unwrap_or(""),
        v["post"].as_str().unwrap_or(""),
    )
}

fn lines(v: &Value, line: fn(&Value) -> String) -> String {
    v.as_array()
        .map(|r| r.iter().map(line).collect())
        .unwrap_or_default()
}

fn items_text(v: &Value) -> String {
    lines(v, item_line)
}

fn staff_text(v: &Value) -> String {
    lines(v, |p| {
        format!(
            "{}  {}  {}\n",
            p["no"].as_str().unwrap_or(""),
            p["name"].as_str().unwrap_or(""),
            p["unit"].as_str().unwrap_or(""),
        )
    })
}

fn authority_text(v: &Value) -> String {
    let mut out = format!(
        "{}\n依据：{}\n",
        if v["allowed"] == json!(true) {
            "可以办理"
        } else {
            "不能办理"
        },
        v["basis"].as_str().unwrap_or("")
    );
    for (label, key) in [("原因", "reason"), ("去向", "alternative")] {
        if let Some(t) = v[key].as_str() {
            out.push_str(&format!("{label}：{t}\n"));
        }
    }
    out
}

fn summary_text(v: &Value) -> String {
    let mut out = format!("{}\n", v["summary"].as_str().unwrap_or(""));
    if let Some(numbers) = v["numbers"].as_array().filter(|n| !n.is_empty()) {
        let numbers: Vec<&str> = numbers.iter().filter_map(Value::as_str).collect();
        out.push_str(&format!("办件编号：{}\n", numbers.join("、")));
    }
    out
}

fn request_line(v: &Value) -> String {
    format!(
        "{}  {}  {}  {}  {}\n",
        v["number"].as_str().unwrap_or(""),
        v["state_label"].as_str().unwrap_or(""),
        v["item_name"].as_str().unwrap_or(""),
        v["applicant_name"].as_str().unwrap_or(""),
        v["applicant_id_masked"].as_str().unwrap_or(""),
    )
}

fn rows_text(v: &Value) -> String {
    let rows = v["rows"].as_array().or_else(|| v.as_array());
    rows.map(|r| r.iter().map(request_line).collect())
        .unwrap_or_default()
}

fn pretty(v: &Value) -> String {
    format!("{v:#}\n")
}

/// The server operation for `command`, or why it cannot go through a server.
fn call_for(command: Command) -> Result<Call, Error> {
    Ok(match command {
        Command::Request {
            command:
                RequestCommand::New {
                    item,
                    name,
                    id,
                    credit_code,
                    phone,
                    materials,
                    remark,
                    pledge,
                    examine_later,
                    agent_name,
                    agent_id,
                    agent_relation,
                    who,
                },
        } => Call {
            writes: true,
            ..Call::new(
                "request_new",
                json!({
                    "staff": who.staff, "item": item, "name": name, "id": id,
                    "credit_code": credit_code, "phone": phone, "materials": list_of(materials),
                    "remark": remark, "pledge": list_of(pledge), "examine_later": examine_later,
                    "agent_name": agent_name, "agent_id": agent_id, "agent_relation": agent_relation,
                }),
                who.json,
                request_line,
            )
        },
        Command::Request {
            command: RequestCommand::Show { number, json },
        } => Call::new(
            "request_show",
            json!({ "number": number }),
            json,
            request_line,
        ),
        Command::Request {
            command:
                RequestCommand::List {
                    town,
                    overdue,
                    list,
                    search,
                    json,
                },
        } => match search {
            Some(query) => Call::new(
                "request_search",
                json!({ "town": town, "query": query }),
                json,
                rows_text,
            ),
            None => Call::new(
                "request_list",
                json!({
                    "town": town,
                    "list": if overdue { "overdue".to_string() } else { list.unwrap_or_else(|| "all".into()) },
                }),
                json,
                rows_text,
            ),
        },
        Command::Staffing {
            town,
            on,
            json,
            pdf,
            xlsx,
        } => match (pdf, xlsx) {
            (None, None) => Call::new("staffing", json!({ "town": town, "on": on }), json, pretty),
            (Some(out), None) => Call {
                then: Then::SaveForm { out, staff: None },
                ..Call::new(
                    "form_render",
                    json!({ "kind": "staffing", "town": town, "on": on }),
                    json,
                    pretty,
                )
            },
            (None, Some(out)) => Call {
                then: Then::SaveFile(crate::front_cli::Save { field: "xlsx", out }),
                needs_town: town.is_none(),
                ..Call::new(
                    "staffing_xlsx",
                    json!({ "town": town, "on": on }),
                    json,
                    pretty,
                )
            },
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    "server",
                    "通过大厅服务器时 --pdf 和 --xlsx 请分两次运行",
                ))
            }
        },
        Command::Form {
            number,
            kind,
            department,
            town,
            on,
            paper,
            staff,
            out,
            json,
        } => Call {
            then: Then::SaveForm { out, staff },
            ..Call::new(
                "form_render",
                json!({ "kind": kind, "number": number, "department": department,
                        "town": town, "on": on, "paper": paper }),
                json,
                pretty,
            )
        },
        Command::Authority {
            staff,
            item,
            action,
            on,
            json,
        } => Call::new(
            "authority",
            json!({ "staff": staff, "item": item, "action": action, "on": on }),
            json,
            authority_text,
        ),
        Command::Catalog {
            command: CatalogCommand::List { town, search, json },
        } => Call {
            needs_town: town.is_none(),
            ..Call::new(
                "catalog_search",
                json!({ "town": town, "query": search.unwrap_or_default() }),
                json,
                items_text,
            )
        },
        Command::Staff {
            command: StaffCommand::List { town, json },
        } => Call {
            needs_town: town.is_none(),
            ..Call::new("list_staff", json!({ "town": town }), json, staff_text)
        },
        Command::Retention { command } => match command {
            RetentionCommand::Show { json } => {
                Call::new("retention_status", json!({}), json, summary_text)
            }
            RetentionCommand::Set { years, off } => Call {
                then: Then::Say,
                ..Call::new(
                    "retention_set",
                    json!({ "years": if off { None } else { years } }),
                    false,
                    summary_text,
                )
            },
            RetentionCommand::Run { dry_run, json } => Call::new(
                "retention_run",
                json!({ "dry_run": dry_run }),
                json,
                summary_text,
            ),
        },
        command @ (Command::Queue { .. }
        | Command::Rating { .. }
        | Command::Followup { .. }
        | Command::Device { .. }
        | Command::Report { .. }) => match command.resolve()? {
            Action::Front(f) => Call {
                then: match (f.slip, f.save) {
                    (Some(slip), _) => Then::SaveSlip(slip),
                    (None, Some(save)) => Then::SaveFile(save),
                    (None, None) if !f.json && crate::front_cli::says(f.op) => Then::Say,
                    (None, None) => Then::Print,
                },
                ..Call::new(f.op, f.args, f.json, front_text(f.op))
            },
            _ => return Err(unsupported()),
        },
        // The other request commands are read as locally (flags checked the same way), then
        // sent as the server's operation.
        command @ Command::Request { .. } => match command.resolve()? {
            Action::RequestStep {
                number,
                staff,
                kind,
                fields,
                json,
                ..
            } => {
                let mut args = serde_json::to_value(&*fields).expect("strings serialize");
                args["number"] = json!(number);
                args["staff"] = json!(staff);
                args["step"] = json!(kind.key());
                Call {
                    writes: true,
                    ..Call::new("request_step", args, json, request_line)
                }
            }
            Action::RequestConsult {
                staff,
                item,
                name,
                json,
            } => Call::new(
                "request_consult",
                json!({ "staff": staff, "item": item, "name": name }),
                json,
                request_line,
            ),
            _ => return Err(unsupported()),
        },
        _ => return Err(unsupported()),
    })
}

/// How a front command's answer reads, by its operation.
fn front_text(op: &'static str) -> fn(&Value) -> String {
    match op {
        "queue_take" => |v| crate::front_cli::say("queue_take", v),
        "queue_call" => |v| crate::front_cli::say("queue_call", v),
        "queue_done" => |v| crate::front_cli::say("queue_done", v),
        "queue_return" => |v| crate::front_cli::say("queue_return", v),
        "queue_stats" => |v| crate::front_cli::say("queue_stats", v),
        "queue_board" => |v| crate::front_cli::say("queue_board", v),
        "rating_list" => |v| crate::front_cli::say("rating_list", v),
        "device_open" => |v| crate::front_cli::say("device_open", v),
        "device_list" => |v| crate::front_cli::say("device_list", v),
        "device_close" => |v| crate::front_cli::say("device_close", v),
        "followup_period" => |v| crate::front_cli::say("followup_period", v),
        "report" => |v| crate::front_cli::say("report", v),
        "report_requests" => |v| crate::front_cli::say("report_requests", v),
        _ => |v| crate::front_cli::say("rating_add", v),
    }
}

fn unsupported() -> Error {
    Error::invalid(
        "server",
        "这个命令在服务器电脑上用 --db 运行，不经大厅服务器；通过大厅服务器可运行 request 的各个命令、queue、rating、followup、device、report、staffing、form、authority、catalog list、staff list、retention 和 trust",
    )
}

/// A session on the server: logs in as `BIANMIN_USER`, and out when dropped.
struct Session {
    client: Client,
    token: String,
}

impl Session {
    fn open(url: ServerUrl) -> Result<Session, Failure> {
        let user = std::env::var(USER_VAR)
            .ok()
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| {
                Error::invalid(
                    "server_user",
                    format!(
                        "通过大厅服务器运行需要账号：请设置环境变量 {USER_VAR} 和 {PASSWORD_VAR}"
                    ),
                )
            })?;
        let password = std::env::var(PASSWORD_VAR).unwrap_or_default();
        let pinned = pins::pinned(&url)?;
        let client = Client::new(url, pinned);
        let login = answered(client.send(
            "POST",
            "/api/login",
            None,
            &json!({ "username": user, "password": password }).to_string(),
        )?)?;
        let token = login["token"].as_str().unwrap_or_default().to_string();
        Ok(Session { client, token })
    }

    /// `op` with `args`; a write carries an idempotency key and is sent once more with it when
    /// its answer was lost: the server answers what the first one did, never a second request.
    fn call(&self, op: &str, mut args: Value, writes: bool) -> Result<Value, Failure> {
        if writes {
            args["idempotency_key"] = json!(bianmin_server::client::new_key()?);
        }
        let path = format!("/api/{op}");
        let body = args.to_string();
        let mut sent = self.client.send("POST", &path, Some(&self.token), &body);
        if writes && matches!(sent, Err(Error::Unreachable { .. })) {
            std::thread::sleep(std::time::Duration::from_secs(1));
            sent = self.client.send("POST", &path, Some(&self.token), &body);
        }
        sent.map_err(Failure::from).and_then(answered)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self
            .client
            .send("POST", "/api/logout", Some(&self.token), "");
    }
}

/// Runs `command` through the server at `server`.
pub fn run(server: &str, command: Command) -> Result<(), Failure> {
    let url = ServerUrl::parse(server)?;
    if let Command::Trust { fingerprint } = command {
        return trust(&url, &fingerprint);
    }
    let mut call = call_for(command)?;
    let session = Session::open(url)?;
    if call.needs_town {
        let towns = session.call("list_towns", json!({}), false)?;
        call.args["town"] = towns[0].clone();
    }
    let mut answer = session.call(call.op, call.args.clone(), call.writes)?;
    if call.op == "device_open" {
        // The link the device opens, whole: this server's address and the page with its token.
        answer["url"] = json!(format!(
            "{}{}",
            server.trim().trim_end_matches('/'),
            answer["link"].as_str().unwrap_or_default()
        ));
    }
    match call.then {
        Then::Print if call.json => println!("{answer:#}"),
        Then::Print => print!("{}", (call.text)(&answer)),
        Then::Say => eprint!("{}", (call.text)(&answer)),
        Then::SaveSlip(slip) => {
            crate::front_cli::write_slip(&slip, &answer)?;
            if call.json {
                println!("{answer:#}");
            } else {
                print!("{}", (call.text)(&answer));
            }
        }
        Then::SaveFile(save) => crate::front_cli::save_file(&save, &answer)?,
        Then::SaveForm { out, staff } => {
            let bytes = decode("out", &answer["pdf"])?;
            // Written aside first; recorded; then moved into place, so a refusal (an unknown
            // --staff) leaves neither a file nor a record.
            let tmp = crate::write_aside("out", &out, &bytes)?;
            let mut record = call.args;
            record["staff"] = json!(staff);
            record["route"] = json!("file");
            let copy = match session.call("form_record", record, false) {
                Ok(copy) => copy,
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e);
                }
            };
            std::fs::rename(&tmp, &out).map_err(|e| crate::cant_write("out", &out, &tmp, e))?;
            let form = &answer["form"];
            if call.json {
                let mut v = form.clone();
                v["copy"] = copy.clone();
                v["bytes"] = bytes.len().into();
                v["file"] = out.display().to_string().into();
                println!("{v:#}");
            } else {
                eprintln!(
                    "已生成{}（编号 {}，第 {copy} 份，{} 页，{} KB）：{}",
                    form["kind_label"].as_str().unwrap_or("表单"),
                    form["form_no"].as_str().unwrap_or(""),
                    form["pages"],
                    bytes.len().div_ceil(1024),
                    out.display()
                );
            }
        }
    }
    Ok(())
}

/// The bytes of a file the server sent in base64.
fn decode(field: &'static str, v: &Value) -> Result<Vec<u8>, Failure> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(v.as_str().unwrap_or_default())
        .map_err(|_| Failure::Local(Error::invalid(field, "大厅服务器发来的文件无法读取")))
}

/// `trust FINGERPRINT`: pins the server's certificate once the fingerprint typed is the one it
/// shows.
fn trust(url: &ServerUrl, typed: &str) -> Result<(), Failure> {
    let shown = pins::trust(url, typed)?;
    eprintln!("已信任大厅服务器 {}:{}（{shown}）。", url.host, url.port);
    Ok(())
}
