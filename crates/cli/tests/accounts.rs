//! `bianmin account …` and the demo accounts, run through the built binary against temporary
//! databases.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The first administrator of an empty database.
const FIRST_ADMIN: &[&str] = &[
    "account",
    "add",
    "--username",
    "guanli",
    "--name",
    "管理员甲",
    "--role",
    "管理员",
];

/// Runs `bianmin --db DB ARGS`, with `password` in BIANMIN_PASSWORD when given, else on stdin
/// when `stdin` is given, else with an empty stdin.
fn run(db: &Path, args: &[&str], password: Option<&str>, stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bianmin"));
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env("BIANMIN_TODAY", "2026-11-28")
        .env_remove("BIANMIN_DB")
        .env_remove("BIANMIN_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(p) = password {
        cmd.env("BIANMIN_PASSWORD", p);
    }
    let mut child = cmd.spawn().expect("bianmin runs");
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn bianmin(db: &Path, args: &[&str]) -> Output {
    run(db, args, None, None)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        stderr(out)
    );
}

fn empty_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    ok(&bianmin(&db, &["init"]));
    (dir, db)
}

fn list(db: &Path) -> Vec<Value> {
    let out = bianmin(db, &["account", "list", "--json"]);
    ok(&out);
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON document on stdout");
    v.as_array().expect("a JSON array").clone()
}

#[test]
fn the_first_account_is_an_administrator_read_from_the_environment_or_stdin() {
    let (_dir, db) = empty_db();
    assert!(list(&db).is_empty());

    // The first account without 管理员 is refused, naming --role, and nothing is written.
    let out = run(
        &db,
        &[
            "account",
            "add",
            "--username",
            "chuangkou",
            "--name",
            "窗口甲",
            "--role",
            "窗口人员",
        ],
        Some("Bianmin@2026"),
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--role") && stderr(&out).contains("管理员"),
        "{}",
        stderr(&out)
    );
    assert!(list(&db).is_empty());

    let out = run(&db, FIRST_ADMIN, Some("Bianmin@2026"), None);
    ok(&out);
    // Then any role; the password from stdin this time, with its line ending.
    let out = run(
        &db,
        &[
            "account",
            "add",
            "--username",
            "lingdao",
            "--name",
            "领导甲",
            "--role",
            "镇领导,审批人员",
        ],
        None,
        Some("Dongfeng#Hall7\r\n"),
    );
    ok(&out);

    let accounts = list(&db);
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0]["username"], "guanli");
    assert_eq!(accounts[0]["roles"], serde_json::json!(["管理员"]));
    assert_eq!(
        accounts[1]["roles"],
        serde_json::json!(["审批人员", "镇领导"])
    );
    assert_eq!(accounts[1]["locked"], false);
    assert_eq!(accounts[1]["failed_count"], 0);
    // The flag of a demo account's first-login change is no secret; its name aside, nothing
    // about a password is shown.
    let text = serde_json::to_string(&accounts)
        .unwrap()
        .replace("\"must_change_password\"", "");
    for hidden in [
        "argon2",
        "password",
        "hash",
        "Bianmin@2026",
        "Dongfeng#Hall7",
    ] {
        assert!(!text.contains(hidden), "{hidden} in {text}");
    }
    // The text listing too.
    let out = bianmin(&db, &["account", "list"]);
    ok(&out);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("guanli") && table.contains("审批人员、镇领导"),
        "{table}"
    );
    assert!(!table.contains("argon2"));

    // Each addition is in the audit log, which still verifies.
    ok(&bianmin(&db, &["audit", "verify"]));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let created: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'account_create'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(created, 2);
}

#[test]
fn weak_passwords_and_bad_fields_exit_2_and_create_nothing() {
    let (_dir, db) = empty_db();
    let add = |username: &str, role: &str, password: Option<&str>, stdin: Option<&str>| {
        run(
            &db,
            &[
                "account",
                "add",
                "--username",
                username,
                "--name",
                "管理员甲",
                "--role",
                role,
            ],
            password,
            stdin,
        )
    };
    let cases = [
        (
            add("guanli", "管理员", Some("12345678"), None),
            "密码",
            "常见",
        ),
        (
            add("guanli", "管理员", Some("Ab1@x"), None),
            "密码",
            "至少需要 8 个",
        ),
        (
            add("guanli", "管理员", Some("guanli@2026"), None),
            "密码",
            "用户名",
        ),
        (
            add("guanli", "管理员", None, Some("woaini1314\n")),
            "密码",
            "常见",
        ),
        (
            add("guanli", "管理员", None, None),
            "BIANMIN_PASSWORD",
            "没有读到密码",
        ),
        (
            add("g", "管理员", Some("Bianmin@2026"), None),
            "--username",
            "2 到 32",
        ),
        (
            add("guan li", "管理员", Some("Bianmin@2026"), None),
            "--username",
            "不允许的字符",
        ),
        (
            add("guanli", "科长", Some("Bianmin@2026"), None),
            "--role",
            "科长",
        ),
        (
            add("guanli", ",", Some("Bianmin@2026"), None),
            "--role",
            "角色不能为空",
        ),
    ];
    for (out, names, says) in &cases {
        let err = stderr(out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(names) && err.contains(says), "{err}");
    }
    assert!(list(&db).is_empty(), "a refused account was created");

    // An unknown staff number is refused too, once the database is read.
    let out = run(
        &db,
        &[
            "account",
            "add",
            "--username",
            "guanli",
            "--name",
            "管理员甲",
            "--role",
            "管理员",
            "--staff",
            "DF9999",
        ],
        Some("Bianmin@2026"),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--staff") && stderr(&out).contains("DF9999"));
    assert!(list(&db).is_empty());
}

#[test]
fn passwd_and_unlock_name_their_account() {
    let (_dir, db) = empty_db();
    ok(&run(&db, FIRST_ADMIN, Some("Bianmin@2026"), None));
    let out = run(
        &db,
        &["account", "passwd", "guanli"],
        Some("123456789"),
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    ok(&run(
        &db,
        &["account", "passwd", "guanli"],
        Some("Dongfeng#Hall7"),
        None,
    ));
    ok(&bianmin(&db, &["account", "unlock", "guanli"]));

    for args in [
        ["account", "unlock", "nobody"],
        ["account", "passwd", "nobody"],
    ] {
        let out = run(&db, &args, Some("Dongfeng#Hall7"), None);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("用户名 U") && stderr(&out).contains("nobody"),
            "{}",
            stderr(&out)
        );
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let actions: Vec<String> = conn
        .prepare("SELECT action FROM audit_log WHERE action LIKE 'account%' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        actions,
        ["account_create", "account_password", "account_unlock"]
    );
}

#[test]
fn init_demo_creates_one_account_per_role_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = bianmin(&db, &["init", "--demo"]);
    ok(&out);
    assert!(stderr(&out).contains("chuangkou"), "{}", stderr(&out));
    let first = list(&db);
    let names: Vec<&str> = first
        .iter()
        .map(|a| a["username"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["chuangkou", "shenpi", "lingdao", "guanli", "xianji"]
    );
    let roles: Vec<&Value> = first.iter().map(|a| &a["roles"]).collect();
    assert_eq!(
        roles,
        [
            &serde_json::json!(["窗口人员"]),
            &serde_json::json!(["审批人员"]),
            &serde_json::json!(["镇领导"]),
            &serde_json::json!(["管理员"]),
            &serde_json::json!(["县级领导"]),
        ]
    );
    assert_eq!(first[0]["staff_no"], "DF0013");
    // The county's account stands for no township staff member.
    assert_eq!(first[4]["staff_no"], Value::Null);
    assert_eq!(first[4]["display_name"], "赵立新");

    ok(&bianmin(&db, &["init", "--demo"]));
    assert_eq!(list(&db), first, "init --demo again changed the accounts");
    ok(&bianmin(&db, &["audit", "verify"]));
}

/// An account tied to a staff member takes that person's name: `--name` may be left out, and
/// another name than the staff record's is refused naming `--name`, with nothing written.
#[test]
fn an_account_of_a_staff_member_carries_the_persons_name() {
    let (_dir, db) = empty_db();
    // The demo first: `init --demo` goes only into a database without real accounts.
    let init = Command::new(env!("CARGO_BIN_EXE_bianmin"))
        .arg("--db")
        .arg(&db)
        .args(["init", "--demo"])
        .env("BIANMIN_TODAY", "2026-11-28")
        .output()
        .unwrap();
    ok(&init);
    let before = list(&db).len();
    let add = |extra: &[&str]| {
        let mut args = vec![
            "account",
            "add",
            "--username",
            "df0014",
            "--role",
            "窗口人员",
        ];
        args.extend_from_slice(extra);
        run(&db, &args, Some("Bianmin@2026"), None)
    };
    let out = add(&["--staff", "DF0014", "--name", "马永刚"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--name") && stderr(&out).contains("刘明辉"),
        "{}",
        stderr(&out)
    );
    assert_eq!(list(&db).len(), before, "a refused account was written");
    // Without a staff number the name is needed.
    let out = add(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--name"), "{}", stderr(&out));
    ok(&add(&["--staff", "DF0014"]));
    let accounts = list(&db);
    let made = accounts.iter().find(|a| a["username"] == "df0014").unwrap();
    assert_eq!(made["display_name"], "刘明辉");
}
