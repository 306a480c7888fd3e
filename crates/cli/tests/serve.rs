//! The hall server through its API (issue 18): a real `bianmin serve` on a free loopback port,
//! spoken to over HTTP by a client written here on a TCP socket, so that what is checked is
//! exactly what goes over the wire.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

const PASSWORD: &str = "Bianmin@2026";
const NEW_PASSWORD: &str = "Hall#Counter-2026";

/// A running `bianmin serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    /// `bianmin serve` with `args` on `db`, once it has printed where it listens: the server,
    /// reached on this PC's loopback (also one listening on every address), the URL it printed
    /// and, over TLS, the fingerprint it printed.
    fn start(db: &Path, args: &[String]) -> (Server, String, Option<String>) {
        let mut child = bianmin(db)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut url = String::new();
        out.read_line(&mut url).unwrap();
        let url = url.trim().to_string();
        let fingerprint = url.starts_with("https://").then(|| {
            let mut f = String::new();
            out.read_line(&mut f).unwrap();
            f.trim().to_string()
        });
        let port = url
            .rsplit_once(':')
            .unwrap_or_else(|| panic!("no address printed: {url:?}"))
            .1
            .to_string();
        let addr = format!("127.0.0.1:{port}");
        (Server { child, addr }, url, fingerprint)
    }
}

/// `serve` flags as owned strings.
fn serve_args(listen: &str, tls_dir: Option<&Path>) -> Vec<String> {
    let mut args = vec!["serve".to_string(), "--listen".into(), listen.into()];
    if let Some(d) = tls_dir {
        args.push("--tls-dir".into());
        args.push(d.display().to_string());
    }
    args
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn bianmin(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bianmin"));
    c.arg("--db")
        .arg(db)
        .env("BIANMIN_TODAY", "2026-11-30")
        .env_remove("BIANMIN_DB");
    c
}

/// A demo database without history, in a folder of its own.
fn demo_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hall.db");
    let init = bianmin(&db)
        .args(["init", "--demo", "--history", "0"])
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    (dir, db)
}

/// A demo database (no history) and a server on it.
fn serve() -> (tempfile::TempDir, std::path::PathBuf, Server) {
    let (dir, db) = demo_db();
    let (server, _, _) = Server::start(&db, &serve_args("127.0.0.1:0", None));
    (dir, db, server)
}

/// One HTTP/1.1 exchange: the status and the body read as JSON (null when empty).
fn http(addr: &str, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    let value = if body.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
    };
    (status, value)
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n").unwrap();
        let n = usize::from_str_radix(size.trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.push_str(&after[..n]);
        rest = &after[n + 2..];
    }
}

fn post(addr: &str, op: &str, token: Option<&str>, args: Value) -> (u16, Value) {
    http(
        addr,
        "POST",
        &format!("/api/{op}"),
        token,
        &args.to_string(),
    )
}

/// Logs in as a demo account and changes its published password (the server refuses anything
/// else first, as the app does); the session's token.
fn log_in(addr: &str, user: &str) -> String {
    let (status, answer) = post(
        addr,
        "login",
        None,
        json!({"username": user, "password": PASSWORD}),
    );
    let token = if status == 200 {
        let token = answer["token"].as_str().unwrap().to_string();
        let (status, denied) = post(addr, "whoami", Some(&token), json!({}));
        assert_eq!(status, 200, "{denied}");
        let (status, changed) = post(
            addr,
            "change_password",
            Some(&token),
            json!({"current": PASSWORD, "password": NEW_PASSWORD}),
        );
        assert_eq!(status, 200, "{changed}");
        token
    } else {
        let (status, answer) = post(
            addr,
            "login",
            None,
            json!({"username": user, "password": NEW_PASSWORD}),
        );
        assert_eq!(status, 200, "{answer}");
        answer["token"].as_str().unwrap().to_string()
    };
    token
}

fn intake(addr: &str, token: &str, k: usize) -> (u16, Value) {
    post(
        addr,
        "request_new",
        Some(token),
        json!({"item": "MZ-001", "name": "李玥", "id": id_number(k), "phone": "13812345678"}),
    )
}

/// A valid ID number, different for each `k` below 1000.
fn id_number(k: usize) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let first17 = format!("52020319850312{k:03}");
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{first17}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

#[test]
fn health_is_open_and_every_other_path_needs_a_session_before_anything_is_read() {
    let (_dir, _db, server) = serve();
    let a = server.addr.as_str();
    let (status, health) = http(a, "GET", "/api/health", None, "");
    assert_eq!(status, 200);
    assert_eq!(health["ok"], true);
    assert!(health["schema_version"].as_i64().unwrap() >= 28);

    let fake = "0".repeat(64);
    let names = bianmin_server::operation_names();
    assert!(names.contains(&"request_new") && names.contains(&"staffing"));
    for op in names.iter().chain(&["no_such_operation"]) {
        for token in [None, Some(fake.as_str()), Some("not-a-token")] {
            // Garbage arguments: still 401, so nothing is learnt without a session.
            let (status, answer) = http(a, "POST", &format!("/api/{op}"), token, "{garbage");
            assert_eq!(status, 401, "{op} {token:?}: {answer}");
            assert_eq!(answer["code"], "not_logged_in", "{op}");
        }
    }
    assert_eq!(http(a, "GET", "/api/request_list", None, "").0, 401);

    let token = log_in(a, "chuangkou");
    assert_eq!(post(a, "no_such_operation", Some(&token), json!({})).0, 404);
    assert_eq!(http(a, "GET", "/api/request_list", Some(&token), "").0, 405);
    let (status, bad) = http(a, "POST", "/api/request_show", Some(&token), "{garbage");
    assert_eq!(
        (status, bad["field"].as_str()),
        (400, Some("body")),
        "{bad}"
    );
    let (status, _) = post(a, "logout", Some(&token), json!({}));
    assert_eq!(status, 204);
    assert_eq!(
        post(a, "whoami", Some(&token), json!({})).0,
        401,
        "logged out"
    );
}

/// Every role's permissions are the server's: a clerk's decision, a leader's intake and a
/// clerk's staffing report are refused with 403 and recorded; what a role allows answers 200.
#[test]
fn each_role_is_checked_on_the_server() {
    let (_dir, db, server) = serve();
    let a = server.addr.as_str();
    let clerk = log_in(a, "chuangkou");
    let approver = log_in(a, "shenpi");
    let leader = log_in(a, "lingdao");
    let admin = log_in(a, "guanli");

    let (status, taken) = intake(a, &clerk, 1);
    assert_eq!(status, 200, "{taken}");
    let number = taken["number"].as_str().unwrap().to_string();
    assert_eq!(taken["state"], "accepted");
    // The clerk's page offers no decision; the server refuses one anyway.
    assert!(!taken["next_steps"]
        .as_array()
        .unwrap()
        .contains(&json!("decide")));
    let decide = json!({"number": number, "step": "decide", "result": "approved",
                        "opinion": "符合条件，同意。", "amount": "600"});
    let (status, refused) = post(a, "request_step", Some(&clerk), decide.clone());
    assert_eq!(
        (status, refused["code"].as_str()),
        (403, Some("forbidden")),
        "{refused}"
    );
    let (status, decided) = post(a, "request_step", Some(&approver), decide);
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided["state"], "decided");

    for (token, op, args, expected) in [
        (
            &leader,
            "request_new",
            json!({"item": "MZ-001", "name": "王芳", "id": id_number(2)}),
            403,
        ),
        (
            &admin,
            "request_new",
            json!({"item": "MZ-001", "name": "王芳", "id": id_number(3)}),
            403,
        ),
        (&clerk, "staffing", json!({}), 403),
        (&approver, "staffing", json!({}), 403),
        (&leader, "staffing", json!({}), 200),
        (&admin, "request_show", json!({"number": number}), 403),
        (&leader, "request_show", json!({"number": number}), 200),
        (&clerk, "request_list", json!({"list": "today"}), 200),
        // Another town's staffing is refused for a town's leader.
        (&leader, "staffing", json!({"town": "朱昌镇"}), 403),
        // The role is checked before the input: a leader's intake of no such item is 403.
        (
            &leader,
            "request_new",
            json!({"item": "NO-SUCH", "name": "", "id": "x"}),
            403,
        ),
        (
            &clerk,
            "request_step",
            json!({"number": number, "step": "decide"}),
            403,
        ),
        // What the counter's screens read.
        (&clerk, "list_towns", json!({}), 200),
        (
            &clerk,
            "catalog_search",
            json!({"town": "东风镇", "query": "gljt"}),
            200,
        ),
        (
            &admin,
            "catalog_item",
            json!({"town": "东风镇", "code": "MZ-001"}),
            200,
        ),
        (
            &leader,
            "catalog_departments",
            json!({"town": "东风镇"}),
            200,
        ),
        (&leader, "letter_alerts", json!({"town": "东风镇"}), 200),
        (&clerk, "identity_check", json!({"id": id_number(5)}), 200),
        (&leader, "identity_check", json!({"id": id_number(5)}), 403),
        (&clerk, "identity_check", json!({"id": "123"}), 400),
        // The full ID: a clerk's read is audited; a leader's role does not allow it.
        (&clerk, "request_full_id", json!({"number": number}), 200),
        (&leader, "request_full_id", json!({"number": number}), 403),
        (&admin, "request_full_id", json!({"number": number}), 403),
    ] {
        let (status, answer) = post(a, op, Some(token), args);
        assert_eq!(status, expected, "{op}: {answer}");
    }
    // A clerk cannot act as another staff member: refused naming the field, recorded.
    let (status, other) = post(
        a,
        "request_new",
        Some(&clerk),
        json!({"staff": "DF0014", "item": "MZ-001", "name": "王芳", "id": id_number(4)}),
    );
    assert_eq!(
        (status, other["field"].as_str()),
        (400, Some("staff")),
        "{other}"
    );

    // The refusals are in the audit log, each naming the PC's address.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let refused: Vec<String> = conn
        .prepare("SELECT os_user FROM audit_log WHERE action = 'refused'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(refused.len() >= 6, "{refused:?}");
    let (_, towns) = post(a, "list_towns", Some(&clerk), json!({}));
    assert_eq!(
        towns,
        json!(["东风镇"]),
        "a town's clerk sees only its town"
    );
    let (_, full) = post(
        a,
        "request_full_id",
        Some(&clerk),
        json!({"number": number}),
    );
    assert_eq!(full, json!(id_number(1)));
    assert!(
        refused.iter().all(|u| u.ends_with("@127.0.0.1")),
        "{refused:?}"
    );
    let intake_by: String = conn
        .query_row(
            "SELECT os_user FROM audit_log WHERE request_number = ?1 ORDER BY id LIMIT 1",
            [&number],
            |r| r.get(0),
        )
        .unwrap();
    assert!(intake_by.ends_with("@127.0.0.1"), "{intake_by}");
}

/// Ten counters taking in at once through the server get ten sets of distinct numbers.
#[test]
fn ten_concurrent_clients_get_distinct_numbers() {
    let (_dir, _db, server) = serve();
    let addr = server.addr.clone();
    // One account may hold several sessions (a counter's PC and its command line).
    log_in(&addr, "chuangkou");
    let threads: Vec<_> = (0..10)
        .map(|t| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let (status, answer) = post(
                    &addr,
                    "login",
                    None,
                    json!({"username": "chuangkou", "password": NEW_PASSWORD}),
                );
                assert_eq!(status, 200, "{answer}");
                let token = answer["token"].as_str().unwrap().to_string();
                (0..5)
                    .map(|k| {
                        let (status, taken) = intake(&addr, &token, 100 + t * 10 + k);
                        assert_eq!(status, 200, "{taken}");
                        taken["number"].as_str().unwrap().to_string()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut numbers: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    numbers.sort();
    let before = numbers.len();
    numbers.dedup();
    assert_eq!((before, numbers.len()), (50, 50));
}

/// `serve --listen` refuses what is not an address and port, exit 2 naming the flag, creating
/// nothing.
#[test]
fn a_malformed_listen_address_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    for bad in ["127.0.0.1", "本机", "192.168.1.10:99999", "localhost:8443"] {
        let out = bianmin(&db)
            .args(["serve", "--listen", bad, "--tls-dir"])
            .arg(dir.path().join("tls"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(
            stderr.contains("--listen") && stderr.contains("地址"),
            "{stderr}"
        );
        assert!(!db.exists(), "{bad} made a database");
        assert!(!dir.path().join("tls").exists(), "{bad} made a certificate");
    }
}

/// Off loopback the server speaks TLS only, with its own certificate, made at the first start
/// (its fingerprint printed) and kept for the next. A client that has pinned nothing is told
/// the fingerprint and sends nothing; pinned, it works; a changed certificate is refused.
#[test]
fn off_loopback_the_server_is_tls_with_a_pinned_certificate() {
    use bianmin_server::client::{Client, ServerUrl};
    let (dir, db) = demo_db();
    let start = |tls_dir: &str| {
        let tls = dir.path().join(tls_dir);
        let (server, url, fingerprint) = Server::start(&db, &serve_args("0.0.0.0:0", Some(&tls)));
        (server, url, fingerprint.unwrap())
    };
    let (server, url, printed) = start("tls");
    assert!(url.starts_with("https://0.0.0.0:"), "{url}");
    assert!(printed.starts_with("SHA256:"), "{printed}");
    let at = ServerUrl::parse(&format!("https://{}", server.addr)).unwrap();

    // First contact: the fingerprint, nothing sent.
    let first = Client::new(at.clone(), None);
    assert_eq!(first.fingerprint().unwrap(), printed);
    let e = first
        .send(
            "POST",
            "/api/login",
            None,
            r#"{"username":"chuangkou","password":"x"}"#,
        )
        .unwrap_err();
    assert!(
        e.to_string().contains(&printed) && e.to_string().contains("核对"),
        "{e}"
    );

    // Pinned: the API works over TLS.
    let pinned = Client::new(at.clone(), Some(printed.clone()));
    let health = pinned.send("GET", "/api/health", None, "").unwrap();
    assert_eq!(health.status, 200, "{}", health.body);
    let login = pinned
        .send(
            "POST",
            "/api/login",
            None,
            &json!({"username": "lingdao", "password": PASSWORD}).to_string(),
        )
        .unwrap();
    assert_eq!(login.status, 200, "{}", login.body);
    assert_eq!(
        pinned
            .send("POST", "/api/whoami", None, "{}")
            .unwrap()
            .status,
        401
    );
    // No plain HTTP on that port.
    let mut plain = TcpStream::connect(&server.addr).unwrap();
    plain
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let _ = plain.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n");
    let mut got = Vec::new();
    let _ = plain.read_to_end(&mut got);
    assert!(!String::from_utf8_lossy(&got).contains("200 OK"));
    drop(server);

    // The same folder, the same certificate; another folder, another one, which the pinned
    // client refuses.
    let (again, _, kept) = start("tls");
    assert_eq!(kept, printed);
    drop(again);
    let (other, _, changed) = start("tls-new");
    assert_ne!(changed, printed);
    let at = ServerUrl::parse(&format!("https://{}", other.addr)).unwrap();
    let e = Client::new(at, Some(printed.clone()))
        .send("GET", "/api/health", None, "")
        .unwrap_err();
    let said = e.to_string();
    assert!(said.contains("不同") && said.contains(&changed), "{said}");
}

/// `bianmin --server URL …` as a counter's command line uses it: the account from
/// `BIANMIN_USER` and `BIANMIN_PASSWORD`, no database on this side.
fn remote(
    server: &str,
    data: &Path,
    user: &str,
    password: &str,
    args: &[&str],
) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bianmin"))
        .arg("--server")
        .arg(server)
        .args(args)
        .env("BIANMIN_TODAY", "2026-11-30")
        .env("XDG_DATA_HOME", data)
        .env("BIANMIN_USER", user)
        .env("BIANMIN_PASSWORD", password)
        .env_remove("BIANMIN_DB")
        .output()
        .unwrap()
}

fn exit_of(out: &std::process::Output) -> (Option<i32>, String) {
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Through the server, the command line takes in, shows and lists; a role's refusal exits 3,
/// a wrong password exits 3, bad input exits 2 naming the flag, and what cannot go through a
/// server yet (or a database beside it) exits 2 naming `--server`.
#[test]
fn the_command_line_works_through_the_server_and_exits_3_when_refused() {
    let (dir, _db, server) = serve();
    let url = format!("http://{}", server.addr);
    let data = dir.path().join("pc");
    for user in ["chuangkou", "lingdao"] {
        log_in(&server.addr, user);
    }
    let id = id_number(7);
    let new = [
        "request", "new", "--staff", "DF0013", "--item", "MZ-001", "--name", "李玥", "--id", &id,
        "--json",
    ];
    let taken = remote(&url, &data, "chuangkou", NEW_PASSWORD, &new);
    assert_eq!(taken.status.code(), Some(0), "{}", exit_of(&taken).1);
    let taken: Value = serde_json::from_slice(&taken.stdout).unwrap();
    let number = taken["number"].as_str().unwrap();
    let shown = remote(
        &url,
        &data,
        "chuangkou",
        NEW_PASSWORD,
        &["request", "show", number],
    );
    assert!(String::from_utf8_lossy(&shown.stdout).contains(number));
    let listed = remote(
        &url,
        &data,
        "chuangkou",
        NEW_PASSWORD,
        &["request", "list", "--search", &id, "--json"],
    );
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed[0]["number"], number);
    // A step through the server: the approver's decision; the clerk's is refused (exit 3).
    log_in(&server.addr, "shenpi");
    let decide = [
        "request", "decide", number, "--result", "approved", "--amount", "600", "--staff",
    ];
    let clerk_decides = remote(
        &url,
        &data,
        "chuangkou",
        NEW_PASSWORD,
        &[&decide[..], &["DF0013"]].concat(),
    );
    assert_eq!(
        exit_of(&clerk_decides).0,
        Some(3),
        "{}",
        exit_of(&clerk_decides).1
    );
    let decided = remote(
        &url,
        &data,
        "shenpi",
        NEW_PASSWORD,
        &[&decide[..], &["DF0002", "--json"]].concat(),
    );
    assert_eq!(decided.status.code(), Some(0), "{}", exit_of(&decided).1);
    let decided: Value = serde_json::from_slice(&decided.stdout).unwrap();
    assert_eq!(decided["state"], "decided");
    // A rating taken through the server is confirmed on stderr, as the local command does;
    // stdout stays empty (a script reads answers there), and --json prints the answer there.
    let rated = remote(
        &url,
        &data,
        "chuangkou",
        NEW_PASSWORD,
        &["rating", "add", "--request", number, "--grade", "4"],
    );
    assert_eq!(rated.status.code(), Some(0), "{}", exit_of(&rated).1);
    assert_eq!(String::from_utf8_lossy(&rated.stdout), "");
    assert!(
        String::from_utf8_lossy(&rated.stderr).starts_with("已记录："),
        "{}",
        exit_of(&rated).1
    );
    // Bad flags of a step are refused before anything is sent (exit 2 naming the flag).
    let bad = remote(
        &url,
        &data,
        "shenpi",
        NEW_PASSWORD,
        &[
            "request", "decide", number, "--result", "maybe", "--staff", "DF0002",
        ],
    );
    assert_eq!(exit_of(&bad).0, Some(2), "{}", exit_of(&bad).1);
    assert!(exit_of(&bad).1.contains("--result"), "{}", exit_of(&bad).1);

    for (user, password, args, code, says) in [
        ("lingdao", NEW_PASSWORD, new.to_vec(), 3, "角色"),
        (
            "chuangkou",
            NEW_PASSWORD,
            vec!["staffing", "--json"],
            3,
            "角色",
        ),
        (
            "chuangkou",
            "wrong-password",
            vec!["request", "show", number],
            3,
            "密码",
        ),
        (
            "chuangkou",
            NEW_PASSWORD,
            vec![
                "request", "new", "--staff", "DF0013", "--item", "NO-SUCH", "--name", "李玥",
                "--id", &id,
            ],
            2,
            "--item",
        ),
        (
            "",
            NEW_PASSWORD,
            vec!["request", "show", number],
            2,
            "BIANMIN_USER",
        ),
        (
            "chuangkou",
            NEW_PASSWORD,
            vec!["backup", "x.db"],
            2,
            "--server",
        ),
    ] {
        let out = remote(&url, &data, user, password, &args);
        let (got, stderr) = exit_of(&out);
        assert_eq!(got, Some(code), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?} printed something");
    }
    let both = Command::new(env!("CARGO_BIN_EXE_bianmin"))
        .args(["--server", &url, "--db", "x.db", "request", "show", number])
        .output()
        .unwrap();
    let (got, stderr) = exit_of(&both);
    assert_eq!(got, Some(2), "{stderr}");
    assert!(stderr.contains("--server") && !Path::new("x.db").exists());
}

/// Over TLS the command line first refuses an unpinned server, showing its fingerprint; `trust`
/// with another fingerprint pins nothing; with the right one the pin is kept (0600) and
/// commands work.
#[test]
fn the_command_line_pins_a_servers_certificate_with_trust() {
    let (dir, db) = demo_db();
    let tls = dir.path().join("tls");
    let (server, _, printed) = Server::start(&db, &serve_args("0.0.0.0:0", Some(&tls)));
    let printed = printed.unwrap();
    let port = server.addr.rsplit_once(':').unwrap().1.to_string();
    // The demo account's first password change, through a client that has pinned the server.
    {
        use bianmin_server::client::{Client, ServerUrl};
        let at = ServerUrl::parse(&format!("https://{}", server.addr)).unwrap();
        let c = Client::new(at, Some(printed.clone()));
        let login = c
            .send(
                "POST",
                "/api/login",
                None,
                &json!({"username": "chuangkou", "password": PASSWORD}).to_string(),
            )
            .unwrap();
        let token: Value = serde_json::from_str(&login.body).unwrap();
        let changed = c
            .send(
                "POST",
                "/api/change_password",
                token["token"].as_str(),
                &json!({"current": PASSWORD, "password": NEW_PASSWORD}).to_string(),
            )
            .unwrap();
        assert_eq!(changed.status, 200, "{}", changed.body);
    }
    let url = format!("https://127.0.0.1:{port}");
    let data = dir.path().join("pc");
    let show = ["request", "list", "--list", "today", "--json"];

    let (got, stderr) = exit_of(&remote(&url, &data, "chuangkou", NEW_PASSWORD, &show));
    assert_eq!(got, Some(2), "{stderr}");
    assert!(
        stderr.contains(&printed) && stderr.contains("trust"),
        "{stderr}"
    );
    let wrong = format!("SHA256:{}", ["00"; 32].join(":"));
    let (got, stderr) = exit_of(&remote(
        &url,
        &data,
        "chuangkou",
        NEW_PASSWORD,
        &["trust", &wrong],
    ));
    assert_eq!(got, Some(2), "{stderr}");
    assert!(
        stderr.contains("FINGERPRINT") && !data.join("cn.bianmin.desktop/servers.json").exists()
    );

    let lower = printed
        .to_lowercase()
        .replace(':', "")
        .replace("sha256", "");
    let trusted = remote(&url, &data, "chuangkou", NEW_PASSWORD, &["trust", &lower]);
    assert_eq!(trusted.status.code(), Some(0), "{}", exit_of(&trusted).1);
    let pins = data.join("cn.bianmin.desktop/servers.json");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&pins).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(std::fs::read_to_string(&pins).unwrap().contains(&printed));
    let listed = remote(&url, &data, "chuangkou", NEW_PASSWORD, &show);
    assert_eq!(listed.status.code(), Some(0), "{}", exit_of(&listed).1);
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert!(listed["rows"].is_array(), "{listed}");
}

/// The systemd unit's command line is one `bianmin serve` accepts: started with its flags (the
/// port and folders swapped for the test's), it serves TLS and prints the fingerprint.
#[test]
fn the_systemd_units_command_line_starts_the_server() {
    let unit = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/bianmin-serve.service"),
    )
    .unwrap();
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("an ExecStart line");
    let mut words = exec.split_whitespace();
    assert_eq!(words.next(), Some("/usr/local/bin/bianmin"));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hall.db");
    let args: Vec<String> = words
        .map(|w| match w {
            "0.0.0.0:8443" => "0.0.0.0:0".to_string(),
            w if w.starts_with("/var/lib/bianmin") => {
                dir.path().join("server-tls").display().to_string()
            }
            w => w.to_string(),
        })
        .collect();
    assert_eq!(args[0], "serve");
    let (server, url, fingerprint) = Server::start(&db, &args);
    drop(server);
    assert!(url.starts_with("https://0.0.0.0:"), "{url}");
    let fingerprint = fingerprint.unwrap_or_default();
    assert!(fingerprint.starts_with("SHA256:"), "{fingerprint}");
    assert!(unit.contains("Environment=BIANMIN_DB=") && unit.contains("UMask=0077"));
}

/// A counter that lost the answer to its intake and sends it again with the same key gets the
/// same request, not a second one; a step sent again is not taken twice.
#[test]
fn a_retried_write_gets_the_first_answer() {
    let (_dir, _db, server) = serve();
    let a = server.addr.as_str();
    let clerk = log_in(a, "chuangkou");
    let approver = log_in(a, "shenpi");
    let write = json!({"item": "MZ-001", "name": "李玥", "id": id_number(9),
                       "idempotency_key": "counter-3-0001"});
    let (s1, first) = post(a, "request_new", Some(&clerk), write.clone());
    let (s2, again) = post(a, "request_new", Some(&clerk), write);
    assert_eq!((s1, s2), (200, 200), "{first} {again}");
    assert_eq!(first["number"], again["number"]);
    let (_, today) = post(a, "request_list", Some(&clerk), json!({"list": "today"}));
    assert_eq!(today["rows"].as_array().unwrap().len(), 1, "{today}");
    let decide = json!({"number": first["number"], "step": "decide", "result": "approved",
                        "opinion": "符合条件，同意。", "amount": "600",
                        "idempotency_key": "approver-1-0001"});
    let (s1, decided) = post(a, "request_step", Some(&approver), decide.clone());
    let (s2, retried) = post(a, "request_step", Some(&approver), decide);
    assert_eq!((s1, s2), (200, 200), "{decided} {retried}");
    assert_eq!(
        decided["timeline"].as_array().unwrap().len(),
        retried["timeline"].as_array().unwrap().len()
    );
    let (status, bad) = post(
        a,
        "request_new",
        Some(&clerk),
        json!({"item": "MZ-001", "name": "李玥", "id": id_number(10), "idempotency_key": "x"}),
    );
    assert_eq!(
        (status, bad["field"].as_str()),
        (400, Some("idempotency_key")),
        "{bad}"
    );
}

/// Other counters' intakes reach an open list within a second, pushed by the server
/// (`GET /api/events`, server-sent events, opened by `ready`), not polled; without a session
/// the stream is refused.
#[test]
fn a_new_request_is_pushed_to_the_other_counters_lists() {
    let (_dir, _db, server) = serve();
    let a = server.addr.as_str();
    assert_eq!(http(a, "GET", "/api/events", None, "").0, 401);
    let leader = log_in(a, "lingdao");
    let clerk = log_in(a, "chuangkou");
    let mut stream = TcpStream::connect(a).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "GET /api/events HTTP/1.1\r\nHost: {a}\r\nAuthorization: Bearer {leader}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    // The stream says when it hears every change: nothing after that passes it by.
    let mut opening = String::new();
    while !opening.contains("event: ready") {
        let mut l = String::new();
        if reader.read_line(&mut l).unwrap_or(0) == 0 {
            break;
        }
        opening.push_str(&l);
    }
    assert!(opening.contains("event: ready"), "{opening}");
    let started = std::time::Instant::now();
    let (status, taken) = intake(a, &clerk, 11);
    assert_eq!(status, 200, "{taken}");
    let number = taken["number"].as_str().unwrap();
    let mut seen = String::new();
    while !seen.contains(number) {
        let mut l = String::new();
        if reader.read_line(&mut l).unwrap_or(0) == 0 {
            break;
        }
        seen.push_str(&l);
    }
    assert!(
        seen.contains("event: request") && seen.contains(number) && seen.contains("东风镇"),
        "{seen}"
    );
    // Pushed as the intake commits (a generous bound: the machine may be busy).
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

/// `kill -9` of the server under load loses nothing a client was told was saved: eight times,
/// a counter takes in as fast as it can while the server is killed at a moment that varies;
/// after a restart every request answered 200 is there, and the audit log verifies.
#[test]
fn killing_the_server_loses_nothing_a_client_was_told_was_saved() {
    let (_dir, db) = demo_db();
    let start = || Server::start(&db, &serve_args("127.0.0.1:0", None)).0;
    let mut saved: Vec<String> = Vec::new();
    for round in 0..8u64 {
        let mut server = start();
        let addr = server.addr.clone();
        let token = log_in(&addr, "chuangkou");
        let taker = std::thread::spawn(move || {
            let mut told = Vec::new();
            for k in 0.. {
                // A connection refused or cut ends the round: the server is gone.
                let Ok(mut s) = TcpStream::connect(&addr) else {
                    break;
                };
                let body = json!({"item": "MZ-001", "name": "李玥",
                                  "id": id_number((round as usize * 100 + k) % 1000)})
                .to_string();
                let sent = write!(
                    s,
                    "POST /api/request_new HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let mut raw = String::new();
                if sent.is_err() || s.read_to_string(&mut raw).is_err() {
                    break;
                }
                let Some((head, rest)) = raw.split_once("\r\n\r\n") else {
                    break;
                };
                if !head.starts_with("HTTP/1.1 200") {
                    break;
                }
                let v: Value = serde_json::from_str(rest).unwrap();
                told.push(v["number"].as_str().unwrap().to_string());
            }
            told
        });
        std::thread::sleep(std::time::Duration::from_millis(150 + round * 60));
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        saved.extend(taker.join().unwrap());
    }
    assert!(
        saved.len() >= 8,
        "too few intakes to mean anything: {}",
        saved.len()
    );
    let server = start();
    let token = log_in(&server.addr, "chuangkou");
    for number in &saved {
        let (status, shown) = post(
            &server.addr,
            "request_show",
            Some(&token),
            json!({"number": number}),
        );
        assert_eq!(
            status, 200,
            "{number} was answered as saved and is gone: {shown}"
        );
    }
    drop(server);
    let verify = bianmin(&db)
        .args(["audit", "verify", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert_eq!(v["ok"], true, "{v}");
}

/// Every operation the server offers is in a table here, with what each role gets: the screens'
/// reads, the forms (printing and the form kind's own permission), the administrator's work.
/// An operation added to the server without a line here fails this test.
#[test]
fn every_operation_answers_each_role_as_its_permission_says() {
    let (_dir, db, server) = serve();
    let a = server.addr.as_str();
    let clerk = log_in(a, "chuangkou");
    let approver = log_in(a, "shenpi");
    let leader = log_in(a, "lingdao");
    let admin = log_in(a, "guanli");
    let (_, taken) = intake(a, &clerk, 7);
    let number = taken["number"].as_str().unwrap().to_string();
    let town = json!("东风镇");
    let receipt = json!({"kind": "receipt", "number": number, "paper": "A5"});
    let staffing = json!({"kind": "staffing", "town": town});
    let mut record = receipt.clone();
    record["route"] = json!("printer:柜台");

    // (operation, arguments, what the clerk, the approver, the leader and the administrator get)
    let table: Vec<(&str, Value, [u16; 4])> = vec![
        ("whoami", json!({}), [200, 200, 200, 200]),
        ("list_towns", json!({}), [200, 200, 200, 200]),
        (
            "catalog_search",
            json!({"town": town, "query": "gljt"}),
            [200, 200, 200, 200],
        ),
        (
            "catalog_departments",
            json!({"town": town}),
            [200, 200, 200, 200],
        ),
        (
            "catalog_item",
            json!({"town": town, "code": "MZ-001"}),
            [200, 200, 200, 200],
        ),
        ("letter_alerts", json!({"town": town}), [200, 200, 200, 200]),
        ("list_staff", json!({"town": town}), [200, 200, 200, 200]),
        (
            "authority",
            json!({"staff": "DF0014", "item": "MZ-001", "action": "accept"}),
            [200, 200, 200, 200],
        ),
        (
            "identity_check",
            json!({"id": id_number(8)}),
            [200, 403, 403, 403],
        ),
        (
            "request_show",
            json!({"number": number}),
            [200, 200, 200, 403],
        ),
        (
            "request_list",
            json!({"list": "today"}),
            [200, 200, 200, 403],
        ),
        (
            "request_search",
            json!({"query": "李玥"}),
            [200, 200, 200, 403],
        ),
        (
            "request_full_id",
            json!({"number": number}),
            [200, 200, 403, 403],
        ),
        (
            "request_consult",
            json!({"item": "MZ-001"}),
            [200, 403, 403, 403],
        ),
        ("staffing", json!({"town": town}), [403, 403, 200, 200]),
        (
            "unit_people",
            json!({"town": town, "unit": "综合办公室"}),
            [403, 403, 200, 200],
        ),
        ("rota_week", json!({"town": town}), [403, 403, 200, 200]),
        (
            "staffing_demand",
            json!({"town": town}),
            [403, 403, 200, 200],
        ),
        ("staffing_xlsx", json!({"town": town}), [403, 403, 200, 200]),
        ("form_render", receipt.clone(), [200, 200, 200, 403]),
        ("form_render", staffing.clone(), [403, 403, 200, 403]),
        ("form_record", record, [200, 200, 200, 403]),
        ("form_issues", json!({"form_no": "x"}), [200, 200, 200, 403]),
        ("account_list", json!({}), [403, 403, 403, 200]),
        (
            "account_unlock",
            json!({"username": "shenpi"}),
            [403, 403, 403, 200],
        ),
        (
            "account_set_disabled",
            json!({"username": "nobody", "disabled": false}),
            [403, 403, 403, 400],
        ),
        (
            "account_reset_password",
            json!({"username": "nobody", "password": "Bianmin-New-2026"}),
            [403, 403, 403, 400],
        ),
        (
            "account_create",
            json!({"username": "xinren", "display_name": "新人", "staff_no": null,
                   "roles": ["窗口人员"], "password": "Lanhua-Qiu-2026"}),
            [403, 403, 403, 200],
        ),
        ("retention_status", json!({}), [403, 403, 403, 200]),
        ("retention_set", json!({"years": "0"}), [403, 403, 403, 400]),
        ("retention_set", json!({"years": "5"}), [403, 403, 403, 200]),
        (
            "retention_run",
            json!({"dry_run": true}),
            [403, 403, 403, 200],
        ),
        (
            "change_password",
            json!({"current": "x", "password": "y"}),
            [400, 400, 400, 400],
        ),
        // The hall's front: a counter's (a post that does not exist is bad input, at any hour),
        // the figures and ratings of the account's towns, the follow-up a leader's.
        (
            "queue_take",
            json!({"post": "不存在窗口"}),
            [400, 403, 403, 403],
        ),
        ("queue_call", json!({}), [200, 403, 403, 403]),
        (
            "queue_done",
            json!({"what": "finish"}),
            [400, 403, 403, 403],
        ),
        (
            "queue_return",
            json!({"ticket": "B999"}),
            [400, 403, 403, 403],
        ),
        ("queue_stats", json!({}), [200, 200, 200, 403]),
        ("queue_board", json!({}), [200, 200, 200, 403]),
        (
            "rating_add",
            json!({"request": number, "grade": "5"}),
            [200, 403, 403, 403],
        ),
        ("rating_list", json!({"bad": true}), [200, 200, 200, 403]),
        (
            "followup_step",
            json!({"id": 999, "step": "contacted"}),
            [403, 403, 400, 403],
        ),
        // The hall's devices are the administrator's (a bad kind is bad input); the follow-up
        // period the leader's (an impossible one too).
        (
            "device_open",
            json!({"kind": "tv", "label": "大屏"}),
            [403, 403, 403, 400],
        ),
        ("device_list", json!({}), [403, 403, 403, 200]),
        ("device_close", json!({"id": 999}), [403, 403, 403, 400]),
        ("followup_period", json!({"days": 0}), [403, 403, 400, 403]),
        // The performance report is the leaders'.
        (
            "report",
            json!({"from": "2026-11-01", "to": "2026-11-30"}),
            [403, 403, 200, 200],
        ),
        (
            "report_requests",
            json!({"from": "2026-11-01", "to": "2026-11-30", "figure": "nonsense"}),
            [403, 403, 400, 400],
        ),
        (
            "report_pdf",
            json!({"town": town, "from": "2026-11-01", "to": "2026-11-30"}),
            [403, 403, 200, 200],
        ),
        (
            "report_xlsx",
            json!({"town": town, "from": "2026-11-01", "to": "2026-11-30"}),
            [403, 403, 200, 200],
        ),
    ];
    let tokens = [&clerk, &approver, &leader, &admin];
    for (op, args, expected) in &table {
        for (who, (token, want)) in ["clerk", "approver", "leader", "admin"]
            .iter()
            .zip(tokens.iter().zip(expected))
        {
            let (status, answer) = post(a, op, Some(token), args.clone());
            assert_eq!(status, *want, "{op} as {who}: {answer}");
        }
    }
    // The steps, the intake and the rest are tested per role above (each_role_is_checked_…).
    let elsewhere = ["request_new", "request_step"];
    for op in bianmin_server::operation_names() {
        assert!(
            elsewhere.contains(&op) || table.iter().any(|(o, _, _)| *o == op),
            "{op} has no line in the role table"
        );
    }

    // What the forms answer: the PDF itself, and the copy recorded with the PC's address.
    let (_, rendered) = post(a, "form_render", Some(&clerk), receipt);
    assert_eq!(rendered["media"], "A5");
    assert_eq!(rendered["form"]["kind"], "receipt");
    let pdf = base64_decode(rendered["pdf"].as_str().unwrap());
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (route, os_user): (String, String) = conn
        .query_row(
            "SELECT route, os_user FROM form_print WHERE request_number = ?1",
            [&number],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(route, "printer:柜台");
    assert!(os_user.ends_with("@127.0.0.1"), "{os_user}");
    // A route that is neither a file nor a printer is refused naming it.
    let (status, bad) = post(
        a,
        "form_record",
        Some(&clerk),
        json!({"kind": "receipt", "number": number, "route": "elsewhere"}),
    );
    assert_eq!(
        (status, bad["field"].as_str()),
        (400, Some("route")),
        "{bad}"
    );
}

fn base64_decode(text: &str) -> Vec<u8> {
    let table = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text.bytes().filter(|c| *c != b'=').map(table).collect();
    digits
        .chunks(4)
        .flat_map(|c| {
            let n = c.iter().fold(0u32, |n, d| n << 6 | u32::from(*d)) << (6 * (4 - c.len()));
            let bytes = n.to_be_bytes();
            bytes[1..c.len()].to_vec()
        })
        .collect()
}

/// The rest of a counter's commands through the server: a form written to a file and its copy
/// recorded (a reprint is the second copy; another staff number leaves no file and no record),
/// the staffing workbook and report, the authority check, the catalogue and staff lists, the
/// retention period; each refused by role where the server refuses it (exit 3, no file).
#[test]
fn forms_lists_and_retention_go_through_the_server_too() {
    let (dir, db, server) = serve();
    let url = format!("http://{}", server.addr);
    let data = dir.path().join("pc");
    for user in ["chuangkou", "lingdao", "guanli"] {
        log_in(&server.addr, user);
    }
    let run = |user: &str, args: &[&str]| remote(&url, &data, user, NEW_PASSWORD, args);
    let id = id_number(9);
    let taken = run(
        "chuangkou",
        &[
            "request", "new", "--staff", "DF0013", "--item", "MZ-001", "--name", "李玥", "--id",
            &id, "--json",
        ],
    );
    let taken: Value = serde_json::from_slice(&taken.stdout).unwrap();
    let number = taken["number"].as_str().unwrap();

    let pdf = dir.path().join("回执.pdf");
    let pdf_arg = pdf.display().to_string();
    for copy in [1, 2] {
        let out = run(
            "chuangkou",
            &[
                "form", number, "--kind", "receipt", "--out", &pdf_arg, "--json",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", exit_of(&out).1);
        let form: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(form["copy"], copy, "{form}");
        assert_eq!(form["request_number"], number);
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    }
    let other = dir.path().join("别人的.pdf");
    let out = run(
        "chuangkou",
        &[
            "form",
            number,
            "--kind",
            "receipt",
            "--staff",
            "DF0014",
            "--out",
            &other.display().to_string(),
        ],
    );
    assert_eq!(exit_of(&out).0, Some(2), "{}", exit_of(&out).1);
    assert!(exit_of(&out).1.contains("--staff"), "{}", exit_of(&out).1);
    assert!(!other.exists());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let copies: i64 = conn
        .query_row(
            "SELECT count(*) FROM form_print WHERE request_number = ?1 AND route = 'file'",
            [number],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(copies, 2);

    // The leaders' report and workbook: a leader's, refused to a clerk with no file left.
    let xlsx = dir.path().join("编制.xlsx");
    let out = run(
        "lingdao",
        &["staffing", "--xlsx", &xlsx.display().to_string()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", exit_of(&out).1);
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    let report = dir.path().join("编制.pdf");
    let out = run(
        "chuangkou",
        &["staffing", "--pdf", &report.display().to_string()],
    );
    assert_eq!(exit_of(&out).0, Some(3), "{}", exit_of(&out).1);
    assert!(!report.exists());
    let out = run(
        "lingdao",
        &["staffing", "--pdf", &report.display().to_string()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", exit_of(&out).1);
    assert!(std::fs::read(&report).unwrap().starts_with(b"%PDF-"));
    // The performance report's PDF and workbook (issue 20): the server's `report_pdf` and
    // `report_xlsx`, written here; a clerk's refused with no file left.
    let range = ["report", "--from", "2026-11-01", "--to", "2026-11-30"];
    for (flag, name, magic) in [
        ("--pdf", "绩效.pdf", b"%PDF-".as_slice()),
        ("--xlsx", "绩效.xlsx", b"PK".as_slice()),
    ] {
        let file = dir.path().join(name);
        let file_arg = file.display().to_string();
        let args: Vec<&str> = range
            .iter()
            .copied()
            .chain([flag, file_arg.as_str()])
            .collect();
        let out = run("chuangkou", &args);
        assert_eq!(exit_of(&out).0, Some(3), "{}", exit_of(&out).1);
        assert!(!file.exists());
        let out = run("lingdao", &args);
        assert_eq!(out.status.code(), Some(0), "{}", exit_of(&out).1);
        assert!(exit_of(&out).1.contains("已导出"), "{}", exit_of(&out).1);
        assert!(std::fs::read(&file).unwrap().starts_with(magic), "{name}");
    }

    // The counter's reads.
    let found = run("chuangkou", &["catalog", "list", "--search", "gljt"]);
    assert!(
        String::from_utf8_lossy(&found.stdout).contains("高龄津贴"),
        "{}",
        exit_of(&found).1
    );
    let staff = run("chuangkou", &["staff", "list", "--json"]);
    let staff: Value = serde_json::from_slice(&staff.stdout).unwrap();
    assert!(staff
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["no"] == "DF0013"));
    let may = run(
        "chuangkou",
        &[
            "authority",
            "--staff",
            "DF0013",
            "--item",
            "MZ-001",
            "--action",
            "accept",
        ],
    );
    assert!(String::from_utf8_lossy(&may.stdout).contains("可以办理"));

    // Retention: the administrator's; a clerk is refused.
    let set = run("guanli", &["retention", "set", "--years", "5"]);
    assert_eq!(set.status.code(), Some(0), "{}", exit_of(&set).1);
    let shown = run("guanli", &["retention", "show", "--json"]);
    let shown: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["years"], 5, "{shown}");
    let refused = run("chuangkou", &["retention", "set", "--off"]);
    assert_eq!(exit_of(&refused).0, Some(3), "{}", exit_of(&refused).1);
    let bad = run("guanli", &["retention", "set", "--years", "99"]);
    assert_eq!(exit_of(&bad).0, Some(2), "{}", exit_of(&bad).1);
    assert!(exit_of(&bad).1.contains("--years"), "{}", exit_of(&bad).1);
}
