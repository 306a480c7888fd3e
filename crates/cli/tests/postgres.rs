//! The `bianmin` command against a PostgreSQL server, as the counters of a multi-counter hall
//! use it: the same answers as on SQLite, distinct numbers and no lost updates with ten
//! processes at once, and refusals of what only a SQLite file can do.
//!
//! These tests need a server: `BIANMIN_TEST_PG` names one (the README's test command starts a
//! throwaway one). Without it they say so and pass, so `cargo test` alone still works.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

const TODAY: &str = "2026-11-28";

/// A valid ID number (check character included) for the residents of these tests.
const ID: &str = "520203198503121233";

/// A database of its own on the test server, dropped at the end.
struct PgDb {
    admin: postgres::Config,
    name: String,
    url: String,
}

impl PgDb {
    fn new() -> Option<PgDb> {
        let url = bianmin_core::store::test_server_url()?;
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "bianmin_cli_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let admin: postgres::Config = url.parse().expect("BIANMIN_TEST_PG is a URL");
        let mut c = admin.connect(postgres::NoTls).expect("the test server");
        c.batch_execute(&format!(
            "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"
        ))
        .unwrap();
        // The same URL with the database replaced.
        let base = url.rsplit_once('/').expect("a URL with a database").0;
        let url = format!("{base}/{name}");
        Some(PgDb { admin, name, url })
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = self.admin.connect(postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn bianmin(db: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Output {
    command(db, args).output().expect("bianmin runs")
}

fn command(db: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bianmin"));
    c.arg("--db")
        .arg(db)
        .args(args)
        .env("BIANMIN_TODAY", TODAY)
        .env_remove("BIANMIN_DB");
    c
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&ok(out)).expect("one JSON document on stdout")
}

/// Both backends loaded with the demo by `init --demo`.
fn both_demo() -> Option<(PgDb, tempfile::TempDir, std::path::PathBuf)> {
    let pg = PgDb::new()?;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.db");
    ok(&bianmin(&file, &["init", "--demo", "--history", "0"]));
    ok(&bianmin(&pg.url, &["init", "--demo", "--history", "0"]));
    Some((pg, dir, file))
}

#[test]
fn init_demo_and_staffing_json_are_identical_on_both_backends() {
    let Some((pg, _dir, file)) = both_demo() else {
        return;
    };
    let views: &[&[&str]] = &[
        &["staffing", "--json"],
        &["staffing", "--json", "--on", "2025-06-30"],
        &[
            "staffing",
            "--json",
            "--town",
            "东风镇",
            "--on",
            "2027-01-04",
        ],
        &["staff", "list", "--json", "--town", "朱昌镇"],
        &["catalog", "list", "--json", "--town", "金华镇"],
        &["catalog", "list", "--json", "--search", "cjr"],
        &["counters", "--json", "--town", "东风镇"],
        &["account", "list", "--json"],
    ];
    // Accounts carry the clock time they were created at, which differs between two runs.
    let answers = |db: &dyn AsRef<std::ffi::OsStr>| -> Vec<String> {
        views
            .iter()
            .map(|args| {
                ok(&bianmin(db, args))
                    .lines()
                    .filter(|l| !l.contains("\"created_at\""))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect()
    };
    let sqlite = answers(&file);
    let server = answers(&pg.url);
    for ((args, s), p) in views.iter().zip(&sqlite).zip(&server) {
        assert!(s.len() > 20, "{args:?} printed almost nothing: {s}");
        assert_eq!(s, p, "{args:?} differs between SQLite and PostgreSQL");
    }
    // The seed figures, so that two equally wrong answers cannot pass.
    let report: Value = serde_json::from_str(&server[0]).unwrap();
    let towns = report["towns"].as_array().unwrap();
    assert_eq!(towns.len(), 3);
    for t in towns {
        assert_eq!(t["quota"], 99, "{}", t["name"]);
        assert_eq!(t["on_duty"], 68, "{}", t["name"]);
    }
    // Loading the demo again changes nothing on the server either.
    ok(&bianmin(&pg.url, &["init", "--demo", "--history", "0"]));
    assert_eq!(answers(&pg.url), server);
}

#[test]
fn ten_processes_on_one_server_get_distinct_numbers_and_lose_nothing() {
    let Some(pg) = PgDb::new() else {
        return;
    };
    ok(&bianmin(&pg.url, &["init", "--demo", "--history", "0"]));
    const EACH: usize = 8;
    // Ten counters at once, each taking in EACH residents in a row.
    let children: Vec<_> = (0..10)
        .map(|_| {
            command(
                &pg.url,
                &[
                    "stress-intake",
                    "--count",
                    &EACH.to_string(),
                    "--staff",
                    "DF0014",
                    "--item",
                    "MZ-005",
                ],
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    let mut numbers: Vec<String> = children
        .into_iter()
        .flat_map(|c| {
            ok(&c.wait_with_output().unwrap())
                .lines()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(numbers.len(), 10 * EACH);
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 10 * EACH, "a number was given twice");
    // Every request is there, with the timeline of its intake: no update was lost.
    let listed = json(&bianmin(
        &pg.url,
        &["request", "list", "--town", "东风镇", "--json"],
    ));
    let listed: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_str().unwrap())
        .collect();
    for n in &numbers {
        assert!(listed.contains(&n.as_str()), "{n} is missing from the list");
        let shown = json(&bianmin(&pg.url, &["request", "show", n, "--json"]));
        assert_eq!(shown["number"], n.as_str());
        assert!(!shown["timeline"].as_array().unwrap().is_empty(), "{n}");
    }
    let v = json(&bianmin(&pg.url, &["audit", "verify", "--json"]));
    assert_eq!(v["ok"], true, "{v}");

    // Ten clerks stepping ten different requests at once: every step lands.
    let children: Vec<_> = numbers[..10]
        .iter()
        .map(|n| {
            command(
                &pg.url,
                &["request", "withdraw", n, "--staff", "DF0014", "--json"],
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for c in children {
        json(&c.wait_with_output().unwrap());
    }
    for n in &numbers[..10] {
        let shown = json(&bianmin(&pg.url, &["request", "show", n, "--json"]));
        assert_eq!(shown["state"], "withdrawn", "{n}: {shown}");
    }
    let v = json(&bianmin(&pg.url, &["audit", "verify", "--json"]));
    assert_eq!(v["ok"], true, "{v}");
}

#[test]
fn a_counter_sees_another_counters_request_at_once() {
    let Some(pg) = PgDb::new() else {
        return;
    };
    ok(&bianmin(&pg.url, &["init", "--demo", "--history", "0"]));
    let made = json(&bianmin(
        &pg.url,
        &[
            "request",
            "new",
            "--item",
            "MZ-005",
            "--name",
            "王喆赟",
            "--id",
            ID,
            "--staff",
            "DF0013",
            "--json",
        ],
    ));
    let number = made["number"].as_str().unwrap();
    let found = json(&bianmin(
        &pg.url,
        &["request", "list", "--search", "王喆赟", "--json"],
    ));
    assert!(
        found
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["number"] == number),
        "{found}"
    );
}

#[test]
fn backup_and_restore_refuse_a_server_and_name_the_flag() {
    let Some(pg) = PgDb::new() else {
        return;
    };
    ok(&bianmin(&pg.url, &["init", "--demo", "--history", "0"]));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("copy.db");
    for args in [
        vec!["backup", file.to_str().unwrap()],
        vec!["restore", file.to_str().unwrap()],
    ] {
        let out = bianmin(&pg.url, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--db") && err.contains("pg_dump"), "{err}");
        assert!(!Path::new(&file).exists());
    }
    // Nothing was written: the audit log holds no backup record.
    let v = json(&bianmin(&pg.url, &["audit", "verify", "--json"]));
    let before = v["records"].clone();
    let _ = bianmin(&pg.url, &["backup", file.to_str().unwrap()]);
    let v = json(&bianmin(&pg.url, &["audit", "verify", "--json"]));
    assert_eq!(v["records"], before);
}

#[test]
fn an_unreachable_server_is_reported_in_chinese_without_its_password() {
    // Port 1 on loopback: nothing listens there.
    let out = bianmin(
        "postgres://hall:s3cret@127.0.0.1:1/bianmin",
        &["staffing", "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("无法连接数据库服务器"), "{err}");
    assert!(err.contains("hall:***@127.0.0.1:1"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
    assert!(out.stdout.is_empty());
    // A URL that is not one is bad input naming the flag.
    let out = bianmin("postgres://hall:s3cret@[bad/x", &["staffing"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--db") && !err.contains("s3cret"), "{err}");
}

#[test]
fn a_server_off_this_machine_without_tls_is_refused_before_connecting() {
    let started = std::time::Instant::now();
    for url in [
        "postgres://hall:s3cret@10.255.255.1:5432/bianmin",
        "postgres://hall:s3cret@10.255.255.1:5432/bianmin?sslmode=disable",
    ] {
        let out = bianmin(url, &["staffing", "--json"]);
        assert_eq!(out.status.code(), Some(2), "{url}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--db"), "{err}");
        assert!(
            err.contains("sslmode=verify-full&sslrootcert=/路径/ca.crt"),
            "{err}"
        );
        assert!(!err.contains("s3cret"), "{err}");
        assert!(out.stdout.is_empty());
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn a_tls_only_server_serves_the_demo_with_its_ca_and_refuses_another() {
    if bianmin_core::store::test_server_url().is_none() {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pg-test-server.sh");
    let out = Command::new("bash")
        .arg(&script)
        .args(["start", "--tls"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // Stopped and removed at the end, whatever happens.
    struct Stop(std::path::PathBuf, std::path::PathBuf);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = Command::new("bash")
                .arg(&self.0)
                .arg("stop")
                .arg(&self.1)
                .status();
        }
    }
    let dir = std::path::PathBuf::from(stderr.lines().last().unwrap().trim());
    let _stop = Stop(script, dir.clone());
    // postgres://USER@localhost:PORT/postgres?sslmode=verify-full&sslrootcert=DIR/tls/ca.crt
    let url = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(url.contains("sslmode=verify-full&sslrootcert="), "{url}");
    // Another CA's file: the server is not trusted, nothing is written.
    let other = tempfile::tempdir().unwrap();
    let other_ca = other.path().join("ca.crt");
    std::fs::copy(dir.join("tls/server.crt"), &other_ca).unwrap();
    let wrong = url.replace(
        &dir.join("tls/ca.crt").display().to_string(),
        &other_ca.display().to_string(),
    );
    let out = bianmin(&wrong, &["init", "--demo", "--history", "0"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("不受信任"), "{err}");
    // The right one.
    ok(&bianmin(&url, &["init", "--demo", "--history", "0"]));
    let report = json(&bianmin(&url, &["staffing", "--json"]));
    assert_eq!(report["towns"].as_array().unwrap().len(), 3);
}

#[test]
fn migrate_to_moves_a_counters_file_into_an_empty_server_and_refuses_a_second_time() {
    let Some(pg) = PgDb::new() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("counter.db");
    ok(&bianmin(&file, &["init", "--demo", "--history", "0"]));
    for (staff, item) in [
        ("DF0013", "MZ-005"),
        ("DF0014", "MZ-001"),
        ("DF0013", "LY-101"),
    ] {
        let _ = bianmin(
            &file,
            &[
                "request",
                "new",
                "--item",
                item,
                "--name",
                "王喆赟",
                "--id",
                ID,
                "--staff",
                staff,
                "--json",
            ],
        );
    }
    let before = ok(&bianmin(
        &file,
        &["request", "list", "--town", "东风镇", "--json"],
    ));
    assert!(before.matches("\"number\"").count() >= 2, "{before}");

    let out = bianmin(&file, &["migrate-to", &pg.url, "--json"]);
    let report: Value = serde_json::from_str(&ok(&out)).unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("已复制 request"), "{err}");
    let tables = report["tables"].as_array().unwrap();
    assert!(tables.len() >= 20, "{report}");
    for t in tables {
        assert_eq!(t["sha256"].as_str().unwrap().len(), 64, "{t}");
    }
    // The server answers as the file did.
    for args in [
        &["request", "list", "--town", "东风镇", "--json"][..],
        &["staffing", "--json"],
        &["account", "list", "--json"],
    ] {
        assert_eq!(
            ok(&bianmin(&pg.url, args)),
            ok(&bianmin(&file, args)),
            "{args:?}"
        );
    }
    let v = json(&bianmin(&pg.url, &["audit", "verify", "--json"]));
    assert_eq!(v["ok"], true, "{v}");
    // The next number on the server follows the file's.
    let next = json(&bianmin(
        &pg.url,
        &[
            "request", "new", "--item", "MZ-005", "--name", "李玥", "--id", ID, "--staff",
            "DF0013", "--json",
        ],
    ));
    assert!(!before.contains(next["number"].as_str().unwrap()), "{next}");

    // A second migration into the now busy server is refused, naming the target, and writes
    // nothing.
    let audit_before = json(&bianmin(&pg.url, &["audit", "verify", "--json"]))["records"].clone();
    let out = bianmin(&file, &["migrate-to", &pg.url]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("目标数据库地址 URL") && err.contains("已有数据"),
        "{err}"
    );
    let audit_after = json(&bianmin(&pg.url, &["audit", "verify", "--json"]))["records"].clone();
    assert_eq!(audit_before, audit_after);

    // Garbage targets and a server as the source are refused before anything is opened.
    for (db, url, flag) in [
        (file.to_str().unwrap(), "mysql://x/y", "目标数据库地址 URL"),
        (
            file.to_str().unwrap(),
            "postgres://h:pw@host",
            "目标数据库地址 URL",
        ),
        (pg.url.as_str(), pg.url.as_str(), "--db"),
    ] {
        let out = bianmin(db, &["migrate-to", url]);
        assert_eq!(out.status.code(), Some(2), "{url}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(flag) && !err.contains("pw@"), "{err}");
    }
}

/// Issue 18, point 5 through the command line: `grant-server-role ROLE` grants a role that owns
/// nothing what the hall server needs (the audit log: SELECT and INSERT); a bad name, an unknown
/// role or the owner itself exits 2 naming ROLE and grants nothing; a SQLite file is refused
/// naming `--db`.
#[test]
fn grant_server_role_gives_the_audit_log_append_and_read_only() {
    let Some(pg) = PgDb::new() else {
        eprintln!("BIANMIN_TEST_PG not set: skipped");
        return;
    };
    ok(&bianmin(&pg.url, &["init"]));
    let role = format!("{}_server", pg.name);
    let mut admin = pg.admin.connect(postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("CREATE ROLE {role} LOGIN"))
        .unwrap();
    let privileges = || -> i64 {
        let mut c = pg.admin.clone();
        c.dbname(&pg.name);
        let mut c = c.connect(postgres::NoTls).unwrap();
        c.query_one(
            "SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = $1",
            &[&role],
        )
        .unwrap()
        .get(0)
    };
    let owner = pg.admin.get_user().unwrap().to_string();
    for (bad, says) in [
        ("Bad-Name", "角色名"),
        ("no_such_role_here", "没有角色"),
        // The test server's user made the schema and is a superuser.
        (owner.as_str(), "超级用户"),
    ] {
        let out = bianmin(&pg.url, &["grant-server-role", bad]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("ROLE") && stderr.contains(says), "{stderr}");
        assert_eq!(privileges(), 0, "{bad} granted something");
    }
    let granted = json(&bianmin(&pg.url, &["grant-server-role", &role, "--json"]));
    let audit = granted
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["table"] == "audit_log")
        .unwrap();
    assert_eq!(audit["privileges"], "SELECT, INSERT");
    assert!(privileges() > 50);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hall.db");
    ok(&bianmin(&file, &["init"]));
    let out = bianmin(&file, &["grant-server-role", &role]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--db"));

    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", pg.name))
        .unwrap();
    admin
        .batch_execute(&format!("DROP ROLE IF EXISTS {role}"))
        .unwrap();
}

/// Issue 18, points 1 and 5 together: `bianmin serve` on a PostgreSQL database connects as the
/// role `grant-server-role` made, which owns nothing; the schema's owner made the schema. A
/// counter logs in through the server and takes in, and the audit record names its address.
#[test]
fn the_server_serves_postgres_as_a_role_that_owns_nothing() {
    use bianmin_server::client::{Client, ServerUrl};
    use std::io::BufRead;
    let Some(pg) = PgDb::new() else {
        eprintln!("BIANMIN_TEST_PG not set: skipped");
        return;
    };
    let (owner, role) = (format!("{}_owner", pg.name), format!("{}_srv", pg.name));
    let mut admin = pg.admin.connect(postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!(
            "CREATE ROLE {owner} LOGIN; CREATE ROLE {role} LOGIN; ALTER DATABASE {} OWNER TO {owner}",
            pg.name
        ))
        .unwrap();
    // The same server and database, as another role.
    let as_role = |r: &str| {
        let (scheme, rest) = pg.url.split_once("://").unwrap();
        let at = rest.split_once('@').map(|(_, h)| h).unwrap_or(rest);
        format!("{scheme}://{r}@{at}")
    };
    ok(&bianmin(
        as_role(&owner),
        &["init", "--demo", "--history", "0"],
    ));
    ok(&bianmin(as_role(&owner), &["grant-server-role", &role]));
    let mut child = command(as_role(&role), &["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let client = Client::new(ServerUrl::parse(line.trim()).unwrap(), None);
    let call = |path: &str, token: Option<&str>, body: serde_json::Value| {
        let a = client.send("POST", path, token, &body.to_string()).unwrap();
        (
            a.status,
            serde_json::from_str::<Value>(&a.body).unwrap_or(Value::Null),
        )
    };
    let (status, login) = call(
        "/api/login",
        None,
        serde_json::json!({"username": "chuangkou", "password": "Bianmin@2026"}),
    );
    assert_eq!(status, 200, "{login}");
    let token = login["token"].as_str().unwrap().to_string();
    let (status, changed) = call(
        "/api/change_password",
        Some(&token),
        serde_json::json!({"current": "Bianmin@2026", "password": "Hall#Counter-2026"}),
    );
    assert_eq!(status, 200, "{changed}");
    let (status, taken) = call(
        "/api/request_new",
        Some(&token),
        serde_json::json!({"item": "MZ-001", "name": "李玥", "id": ID}),
    );
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200, "{taken}");
    let mut c = pg.admin.clone();
    c.dbname(&pg.name);
    let mut c = c.connect(postgres::NoTls).unwrap();
    let by: String = c
        .query_one(
            "SELECT os_user FROM audit_log WHERE request_number = $1",
            &[&taken["number"].as_str().unwrap()],
        )
        .unwrap()
        .get(0);
    assert!(by.ends_with("@127.0.0.1"), "{by}");
    drop(c);
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", pg.name))
        .unwrap();
    for r in [&owner, &role] {
        admin
            .batch_execute(&format!("DROP ROLE IF EXISTS {r}"))
            .unwrap();
    }
}
