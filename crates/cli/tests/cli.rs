//! Runs the built `bianmin` against temporary databases and checks what it prints.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn bianmin(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bianmin"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("BIANMIN_TODAY", "2026-11-28")
        .env_remove("BIANMIN_DB")
        .output()
        .expect("bianmin runs")
}

fn demo_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = bianmin(&db, &["init", "--demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, db)
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON document on stdout")
}

fn town<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["towns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("{name} missing from {report}"))
}

#[test]
fn staffing_json_carries_the_seed_figures() {
    let (_dir, db) = demo_db();
    let report = json(&bianmin(&db, &["staffing", "--json"]));
    assert_eq!(report["date"], "2026-11-28");
    let expect = [
        ("朱昌镇", 68, 0, 31),
        ("东风镇", 60, 8, 39),
        ("金华镇", 60, 8, 39),
    ];
    for (name, on_roll, seconded_in, vacancies) in expect {
        let t = town(&report, name);
        assert_eq!(t["quota"], 99, "{name}");
        assert_eq!(t["on_roll"], on_roll, "{name}");
        assert_eq!(t["seconded_in"], seconded_in, "{name}");
        assert_eq!(t["on_duty"], 68, "{name}");
        assert_eq!(t["vacancies"], vacancies, "{name}");
        for key in ["seconded_out", "on_leave"] {
            assert_eq!(t[key], 0, "{name} {key}");
        }
        let units = t["units"].as_array().unwrap();
        assert!(units.len() >= 6);
        for u in units {
            for key in [
                "name",
                "quota",
                "on_roll",
                "seconded_in",
                "seconded_out",
                "on_leave",
                "on_duty",
                "vacancies",
                "hall_staff",
                "field_staff",
                "enforcement_ok",
            ] {
                assert!(u.get(key).is_some(), "unit lacks {key}: {u}");
            }
            assert_eq!(u["hall_staff"], 0);
            assert_eq!(u["field_staff"], u["on_duty"]);
            assert_eq!(u["enforcement_ok"], true);
        }
        let sum: i64 = units.iter().map(|u| u["quota"].as_i64().unwrap()).sum();
        assert_eq!(sum, 99, "{name}: units' quotas add up to the town's");
    }
}

#[test]
fn one_town_on_an_earlier_date() {
    let (_dir, db) = demo_db();
    let report = json(&bianmin(
        &db,
        &[
            "staffing",
            "--town",
            "东风镇",
            "--on",
            "2025-06-01",
            "--json",
        ],
    ));
    let towns = report["towns"].as_array().unwrap();
    assert_eq!(towns.len(), 1);
    // Before 2025-09-01 the eight people from the city were not seconded in yet.
    assert_eq!(towns[0]["seconded_in"], 0);
    assert_eq!(towns[0]["on_roll"], 60);
}

#[test]
fn init_demo_twice_changes_no_figure() {
    let (_dir, db) = demo_db();
    let first = bianmin(&db, &["staffing", "--json"]).stdout;
    let again = bianmin(&db, &["init", "--demo"]);
    assert!(again.status.success());
    assert_eq!(bianmin(&db, &["staffing", "--json"]).stdout, first);
}

#[test]
fn text_output_has_a_total_row() {
    let (_dir, db) = demo_db();
    let out = bianmin(&db, &["staffing", "--town", "金华镇"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let total = text
        .lines()
        .find(|l| l.starts_with("合计"))
        .expect("a 合计 row");
    let numbers: Vec<&str> = total.split_whitespace().skip(1).collect();
    assert_eq!(&numbers[..3], ["99", "60", "8"], "{total}");
}

/// Asserts a refusal: exit 2, a Chinese message on stderr naming `flag`, and the database file
/// byte for byte as before.
fn assert_refused(db: &Path, args: &[&str], flag: &str) {
    let before = std::fs::read(db).unwrap();
    let out = bianmin(db, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(
        stderr.contains(flag),
        "{args:?} does not name {flag}: {stderr}"
    );
    assert!(
        stderr
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "not in Chinese: {stderr}"
    );
    assert!(out.stdout.is_empty(), "printed something on refusal");
    assert_eq!(
        std::fs::read(db).unwrap(),
        before,
        "{args:?} changed the database"
    );
}

#[test]
fn bad_input_exits_2_naming_the_flag_and_changes_nothing() {
    let (_dir, db) = demo_db();
    assert_refused(&db, &["staffing", "--town", "不存在镇"], "--town");
    assert_refused(&db, &["staffing", "--town", "不存在镇", "--json"], "--town");
    assert_refused(&db, &["staffing", "--on", "2026-13-40"], "--on");
    assert_refused(&db, &["staffing", "--on", "2026-02-29", "--json"], "--on");
    assert_refused(
        &db,
        &["staffing", "--on", "'; DROP TABLE staff; --"],
        "--on",
    );
    assert_refused(&db, &["staffing", "--town", ""], "--town");
}

#[test]
fn staffing_on_a_missing_database_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    let out = bianmin(&db, &["staffing", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bianmin init"));
    assert!(!db.exists());
}

#[test]
fn a_bad_today_override_is_refused() {
    let (_dir, db) = demo_db();
    let out = Command::new(env!("CARGO_BIN_EXE_bianmin"))
        .arg("--db")
        .arg(&db)
        .args(["staffing", "--json"])
        .env("BIANMIN_TODAY", "2026-11-31")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("BIANMIN_TODAY"));
}
