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

use crate::args::{list_of, Action, Command, RequestCommand};

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
    let body: Value = if a.body.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&a.body).map_err(|e| Error::Unreachable {
            server: "大厅服务器".into(),
            reason: format!("回答无法读懂（{e}）"),
        })?
    };
    if (200..300).contains(&a.status) {
        return Ok(body);
    }
    Err(Failure::Server {
        status: a.status,
        field: body["field"].as_str().map(str::to_string),
        message: body["message"]
            .as_str()
            .unwrap_or("服务器拒绝了请求")
            .to_string(),
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

/// The server operation for `command`, or why it cannot go through a server yet.
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
            op: "request_new",
            writes: true,
            args: json!({
                "staff": who.staff, "item": item, "name": name, "id": id,
                "credit_code": credit_code, "phone": phone, "materials": list_of(materials),
                "remark": remark, "pledge": list_of(pledge), "examine_later": examine_later,
                "agent_name": agent_name, "agent_id": agent_id, "agent_relation": agent_relation,
            }),
            json: who.json,
            text: request_line,
        },
        Command::Request {
            command: RequestCommand::Show { number, json },
        } => Call {
            op: "request_show",
            writes: false,
            args: json!({ "number": number }),
            json,
            text: request_line,
        },
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
            Some(query) => Call {
                op: "request_search",
                writes: false,
                args: json!({ "town": town, "query": query }),
                json,
                text: rows_text,
            },
            None => Call {
                op: "request_list",
                writes: false,
                args: json!({
                    "town": town,
                    "list": if overdue { "overdue".to_string() } else { list.unwrap_or_else(|| "all".into()) },
                }),
                json,
                text: rows_text,
            },
        },
        Command::Staffing {
            town,
            on,
            json,
            pdf: None,
            xlsx: None,
        } => Call {
            op: "staffing",
            writes: false,
            args: json!({ "town": town, "on": on }),
            json,
            text: pretty,
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
                    op: "request_step",
                    writes: true,
                    args,
                    json,
                    text: request_line,
                }
            }
            Action::RequestConsult {
                staff,
                item,
                name,
                json,
            } => Call {
                op: "request_consult",
                writes: false,
                args: json!({ "staff": staff, "item": item, "name": name }),
                json,
                text: request_line,
            },
            _ => return Err(unsupported()),
        },
        _ => return Err(unsupported()),
    })
}

fn unsupported() -> Error {
    Error::invalid(
        "server",
        "这个命令还不能通过大厅服务器运行；目前支持 request 的各个命令、staffing（不含 --pdf、--xlsx）和 trust",
    )
}

/// Runs `command` through the server at `server`.
pub fn run(server: &str, command: Command) -> Result<(), Failure> {
    let url = ServerUrl::parse(server)?;
    if let Command::Trust { fingerprint } = command {
        return trust(&url, &fingerprint);
    }
    let call = call_for(command)?;
    let user = std::env::var(USER_VAR)
        .ok()
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| {
            Error::invalid(
                "server_user",
                format!("通过大厅服务器运行需要账号：请设置环境变量 {USER_VAR} 和 {PASSWORD_VAR}"),
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
    let mut args = call.args;
    if call.writes {
        args["idempotency_key"] = json!(bianmin_server::client::new_key()?);
    }
    let path = format!("/api/{}", call.op);
    let body = args.to_string();
    // A write whose answer was lost is sent once more with the same key: the server answers
    // what the first one did, never a second request.
    let mut sent = client.send("POST", &path, Some(&token), &body);
    if call.writes && matches!(sent, Err(Error::Unreachable { .. })) {
        std::thread::sleep(std::time::Duration::from_secs(1));
        sent = client.send("POST", &path, Some(&token), &body);
    }
    let result = sent.map_err(Failure::from).and_then(answered);
    let _ = client.send("POST", "/api/logout", Some(&token), "");
    let answer = result?;
    if call.json {
        println!("{answer:#}");
    } else {
        print!("{}", (call.text)(&answer));
    }
    Ok(())
}

/// `trust FINGERPRINT`: pins the server's certificate once the fingerprint typed is the one it
/// shows.
fn trust(url: &ServerUrl, typed: &str) -> Result<(), Failure> {
    let shown = pins::trust(url, typed)?;
    eprintln!("已信任大厅服务器 {}:{}（{shown}）。", url.host, url.port);
    Ok(())
}
