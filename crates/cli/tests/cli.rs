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

/// The demo without its four weeks of requests (`--history 0`): the tests add their own.
fn demo_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = bianmin(&db, &["init", "--demo", "--history", "0"]);
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
            assert_eq!(
                u["hall_staff"].as_i64().unwrap() + u["field_staff"].as_i64().unwrap(),
                u["on_duty"].as_i64().unwrap(),
                "hall + field = on duty: {u}"
            );
            // The seed's two-person case: 东风镇's land station sends one of its two certified
            // officers to the hall, and so cannot enforce; its forestry station has only one.
            let flagged = name == "东风镇" && (u["name"] == "国土所" || u["name"] == "林业站");
            assert_eq!(u["enforcement_ok"], !flagged, "{name}: {u}");
        }
        assert_eq!(
            t["hall_staff"],
            if name == "朱昌镇" { 6 } else { 7 },
            "{name}"
        );
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

fn run_json(db: &Path, args: &[&str]) -> Value {
    json(&bianmin(db, args))
}

/// Issue 16, defect 17: `authority … --action enforce` and `staffing` used to disagree on the
/// days 东风镇's land station has its second officer at the hall. Each day of two fortnights the
/// verdict is allowed exactly when the staffing table gives the town's 国土所
/// `enforcement_ok`: 东风镇's (always short: DF0048 is on the hall's rota) and 金华镇's (two
/// officers until JH0048's card ends 40 days after the demo is loaded, 2027-01-07, one after).
#[test]
fn enforcement_verdicts_agree_with_the_staffing_table_every_day() {
    let (_dir, db) = demo_db();
    let mut seen = std::collections::BTreeSet::new();
    for (town_name, staff, from) in [
        ("东风镇", "DF0049", (2026, 11, 30)),
        ("金华镇", "JH0047", (2026, 12, 31)),
    ] {
        let start = chrono::NaiveDate::from_ymd_opt(from.0, from.1, from.2).unwrap();
        for day in start.iter_days().take(14) {
            let on = day.to_string();
            let d = run_json(
                &db,
                &[
                    "authority",
                    "--staff",
                    staff,
                    "--item",
                    "ZR-102",
                    "--action",
                    "enforce",
                    "--on",
                    &on,
                    "--json",
                ],
            );
            let staffing = run_json(
                &db,
                &["staffing", "--town", town_name, "--on", &on, "--json"],
            );
            let land = town(&staffing, town_name)["units"]
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["name"] == "国土所")
                .unwrap()
                .clone();
            assert_eq!(
                d["allowed"], land["enforcement_ok"],
                "{staff} {on}: {d} / {land}"
            );
            seen.insert(d["allowed"].as_bool().unwrap());
        }
    }
    assert_eq!(seen.len(), 2, "both verdicts occur");
}

/// `authority --json` for all four modes, inside and outside the letters' dates.
#[test]
fn authority_answers_the_contract_for_every_mode() {
    let (_dir, db) = demo_db();
    // (staff, item, action, date, allowed, mode)
    let cases = [
        (
            "DF0013",
            "MZ-001",
            "accept",
            "2026-11-28",
            true,
            "delegated",
        ),
        (
            "DF0002",
            "MZ-001",
            "approve",
            "2026-11-28",
            true,
            "delegated",
        ),
        (
            "DF0013",
            "MZ-001",
            "approve",
            "2026-11-28",
            false,
            "delegated",
        ),
        // 市林业局's letter ends on 2026-12-18 (20 days after the demo was loaded).
        (
            "DF0002",
            "LY-101",
            "approve",
            "2026-12-18",
            true,
            "entrusted",
        ),
        (
            "DF0002",
            "LY-101",
            "approve",
            "2026-12-19",
            false,
            "forward",
        ),
        ("DF0013", "LY-101", "forward", "2026-12-19", true, "forward"),
        // 市农业农村局's letter ended 45 days before.
        (
            "DF0002",
            "NY-101",
            "approve",
            "2026-11-28",
            false,
            "forward",
        ),
        (
            "DF0002",
            "NY-101",
            "approve",
            "2026-06-01",
            true,
            "entrusted",
        ),
        ("DF0013", "RS-101", "forward", "2026-11-28", true, "forward"),
        (
            "DF0002",
            "RS-101",
            "approve",
            "2026-11-28",
            false,
            "forward",
        ),
        (
            "DF0013",
            "GA-201",
            "consult",
            "2026-11-28",
            true,
            "city_only",
        ),
        (
            "DF0013",
            "GA-201",
            "accept",
            "2026-11-28",
            false,
            "city_only",
        ),
        // 东风镇's land station has two certified officers, but DF0048 is on the hall's rota
        // that week (as the staffing table counts); its forestry station has only one. 金华镇's
        // land station keeps both in the field.
        (
            "DF0048",
            "ZR-102",
            "enforce",
            "2026-11-28",
            false,
            "entrusted",
        ),
        (
            "JH0047",
            "ZR-102",
            "enforce",
            "2026-11-28",
            true,
            "entrusted",
        ),
        (
            "DF0056",
            "LY-102",
            "enforce",
            "2026-11-28",
            false,
            "entrusted",
        ),
    ];
    for (staff, item, action, on, allowed, mode) in cases {
        let d = run_json(
            &db,
            &[
                "authority",
                "--staff",
                staff,
                "--item",
                item,
                "--action",
                action,
                "--on",
                on,
                "--json",
            ],
        );
        let what = format!("{staff} {item} {action} {on}: {d}");
        assert_eq!(d["allowed"], allowed, "{what}");
        assert_eq!(d["mode"], mode, "{what}");
        assert!(d["basis"].as_str().is_some_and(|b| !b.is_empty()), "{what}");
        if !allowed {
            assert!(
                d["reason"].is_string() && d["alternative"].is_string(),
                "{what}"
            );
        }
    }
}

#[test]
fn catalog_and_staff_listings() {
    let (_dir, db) = demo_db();
    let items = run_json(&db, &["catalog", "list", "--json"]);
    let items = items.as_array().unwrap();
    assert!(items.len() >= 40);
    for mode in ["delegated", "entrusted", "forward", "city_only"] {
        assert!(
            items.iter().any(|i| i["configured_mode"] == mode),
            "no {mode} item"
        );
    }
    for i in items {
        assert!(i["code"].is_string() && i["name"].is_string() && i["mode"].is_string());
    }
    let found = run_json(&db, &["catalog", "list", "--search", "lsjz", "--json"]);
    assert_eq!(found[0]["name"], "临时救助");

    let staff = run_json(&db, &["staff", "list", "--town", "东风镇", "--json"]);
    let staff = staff.as_array().unwrap();
    assert_eq!(staff.len(), 68, "everyone at work in 东风镇");
    let officers: Vec<&Value> = staff
        .iter()
        .filter(|p| {
            p["unit"] == "国土所"
                && p["credentials"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c["kind"] == "行政执法证")
        })
        .collect();
    assert_eq!(officers.len(), 2, "the seed's two-person case");
    assert!(officers.iter().any(|p| p["roles"]
        .as_array()
        .unwrap()
        .contains(&Value::from("窗口人员"))));
}

#[test]
fn catalog_export_and_import_round_trip_through_the_cli() {
    let (dir, db) = demo_db();
    let xlsx = dir.path().join("目录.xlsx");
    let out = bianmin(&db, &["catalog", "export", xlsx.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = bianmin(&db, &["catalog", "list", "--json"]).stdout;
    // Change the catalogue after the export, so that only an import that really writes what
    // the file holds brings it back.
    let edit = Command::new("sqlite3")
        .arg(&db)
        .arg("UPDATE item SET name = name || '（已改）', promised_days = 99 WHERE code = 'MZ-001';")
        .status()
        .unwrap();
    assert!(edit.success());
    let changed = bianmin(&db, &["catalog", "list", "--json"]).stdout;
    assert_ne!(changed, before, "the edit changed nothing the list shows");
    let out = bianmin(&db, &["catalog", "import", xlsx.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("更新"));
    assert_eq!(bianmin(&db, &["catalog", "list", "--json"]).stdout, before);
}

#[test]
fn a_bad_catalogue_exits_2_listing_each_problem_and_changes_nothing() {
    let (dir, db) = demo_db();
    let bad = dir.path().join("坏目录");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(
        bad.join("事项.csv"),
        "事项编码,事项名称,事项类型,实施主体,设定依据,法定办结时限,承诺办结时限,收费标准,办理窗口,权限方式\n\
         X-1,某事项,行政许可,市林业局,依据,20,10,不收费,综合窗口,随便\n",
    )
    .unwrap();
    std::fs::write(
        bad.join("材料.csv"),
        "事项编码,材料名称,材料形式,份数,是否必需\n",
    )
    .unwrap();
    std::fs::write(
        bad.join("委托书.csv"),
        "委托书编号,委托单位,事项编码,生效日期,失效日期\n委1,市林业局,NOPE,2026-13-01,2026-12-31\n",
    )
    .unwrap();
    let before = std::fs::read(&db).unwrap();
    let out = bianmin(&db, &["catalog", "import", bad.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("事项.csv 第2行「权限方式」"), "{stderr}");
    assert!(stderr.contains("委托书.csv 第2行「事项编码」"), "{stderr}");
    assert!(stderr.contains("委托书.csv 第2行「生效日期」"), "{stderr}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "the database changed");
}

/// Issue 17, point 11: hostile files exit 2 within seconds, in Chinese, naming the file, and
/// change nothing: a zip bomb as a catalogue, the issue's 1.5 KB workbook naming cell
/// XFD1048576 as a roster, an over-size calendar notice and an absurd backup.
#[test]
fn hostile_import_files_exit_2_within_seconds_and_change_nothing() {
    use bianmin_core::hostile;
    let (dir, db) = demo_db();
    let xlsx = dir.path().join("目录.xlsx");
    let out = bianmin(&db, &["catalog", "export", xlsx.to_str().unwrap()]);
    assert!(out.status.success());
    let book = std::fs::read(&xlsx).unwrap();
    let bomb = dir.path().join("炸弹.xlsx");
    std::fs::write(&bomb, hostile::bomb(&book, 300)).unwrap();
    let roster = dir.path().join("花名册.xlsx");
    let one_cell = hostile::workbook(&[("人员", vec![vec!["工号".to_string()]])]);
    std::fs::write(
        &roster,
        hostile::with_dimension(&one_cell, 1, "A1:XFD1048576"),
    )
    .unwrap();
    let notice = dir.path().join("通知.txt");
    std::fs::File::create(&notice)
        .unwrap()
        .set_len(50 * 1024 * 1024)
        .unwrap();
    let backup = dir.path().join("巨大.db");
    std::fs::File::create(&backup)
        .unwrap()
        .set_len(1 << 40)
        .unwrap();
    for (args, says) in [
        (
            vec!["catalog", "import", bomb.to_str().unwrap()],
            "炸弹.xlsx:文件过大：解压后有 300 MB",
        ),
        (
            vec!["staff", "import", roster.to_str().unwrap()],
            "花名册.xlsx 工作表「人员」:文件过大：范围 A1:XFD1048576 有 1048576 行",
        ),
        (
            vec!["calendar", "import", notice.to_str().unwrap()],
            "通知.txt:文件过大",
        ),
        (
            vec!["restore", backup.to_str().unwrap()],
            "巨大.db”有 1024 GB",
        ),
    ] {
        let started = std::time::Instant::now();
        assert_refused(&db, &args, says);
        assert!(
            started.elapsed().as_secs() < 5,
            "{args:?}: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn authority_refuses_bad_flags_naming_them() {
    let (_dir, db) = demo_db();
    assert_refused(
        &db,
        &[
            "authority",
            "--staff",
            "DF0013",
            "--item",
            "MZ-001",
            "--action",
            "approve2",
        ],
        "--action",
    );
    assert_refused(
        &db,
        &[
            "authority",
            "--staff",
            "NOBODY",
            "--item",
            "MZ-001",
            "--action",
            "accept",
        ],
        "--staff",
    );
    assert_refused(
        &db,
        &[
            "authority",
            "--staff",
            "DF0013",
            "--item",
            "X'; DROP TABLE item;--",
            "--action",
            "accept",
        ],
        "--item",
    );
    assert_refused(
        &db,
        &[
            "authority",
            "--staff",
            "DF0013",
            "--item",
            "MZ-001",
            "--action",
            "accept",
            "--on",
            "2026-04-31",
        ],
        "--on",
    );
    assert_refused(&db, &["catalog", "list", "--town", "不存在镇"], "--town");
}

/// A valid resident ID number built from its first 17 digits.
fn id_number(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{first17}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

fn intake(db: &Path, extra: &[&str]) -> Value {
    let id = id_number("52020319850312123");
    let mut args = vec!["request", "new", "--name", "李玥", "--id", &id, "--json"];
    args.extend_from_slice(extra);
    run_json(db, &args)
}

/// Issue 16 point 11 through the contract: `--agent-name --agent-id --agent-relation` go together
/// and are checked (exit 2 naming the flag, nothing written); the JSON shows the agent masked, and
/// the 委托书 becomes a material to hand in.
#[test]
fn an_agent_is_taken_with_all_three_flags_and_shown_masked() {
    let (_dir, db) = demo_db();
    let agent = id_number("52020319600101001");
    let base = ["--item", "MZ-001", "--staff", "DF0013"];
    for (extra, flag) in [
        (vec!["--agent-name", "王建国"], "--agent-id"),
        (
            vec!["--agent-id", agent.as_str(), "--agent-relation", "子女"],
            "--agent-name",
        ),
        (
            vec!["--agent-name", "王建国", "--agent-id", agent.as_str()],
            "--agent-relation",
        ),
        (
            vec![
                "--agent-name",
                "王建国",
                "--agent-id",
                "520203196001010011",
                "--agent-relation",
                "子女",
            ],
            "--agent-id",
        ),
    ] {
        let id = id_number("52020319850312123");
        let mut args = vec!["request", "new", "--name", "李玥", "--id", &id];
        args.extend(base);
        args.extend(extra.iter().copied());
        assert_refused(&db, &args, flag);
    }
    let taken = intake(
        &db,
        &[
            "--item",
            "MZ-001",
            "--staff",
            "DF0013",
            "--materials",
            "1,2,3,4",
            "--agent-name",
            "王建国",
            "--agent-id",
            &agent,
            "--agent-relation",
            "子女",
        ],
    );
    assert_eq!(taken["state"], "incomplete");
    assert_eq!(
        taken["missing"],
        serde_json::json!(["代办人身份证及委托书"])
    );
    assert_eq!(taken["agent"]["name"], "王建国");
    assert_eq!(taken["agent"]["relation"], "子女");
    assert_eq!(
        taken["agent"]["id_masked"],
        format!("5202**********{}", &agent[14..])
    );
    assert!(
        !taken.to_string().contains(&agent),
        "a full agent ID in JSON"
    );
}

/// Issue 16 point 9 through the contract: `request new --examine-later` receives (state
/// `received`, examine by five working days later); unexamined after them it shows as accepted
/// from the day of receipt; `request accept` then dates the acceptance from receipt.
#[test]
fn examine_later_receives_and_counts_as_accepted_after_five_working_days() {
    let (_dir, db) = demo_db();
    let got = intake(
        &db,
        &["--item", "MZ-001", "--staff", "DF0013", "--examine-later"],
    );
    assert_eq!(got["state"], "received");
    assert_eq!(got["examine_by"], "2026-12-04");
    assert_eq!(got["deemed_accepted"], false);
    let no = got["number"].as_str().unwrap();
    let late = json(&bianmin_on(
        &db,
        "2026-12-07",
        &["request", "show", no, "--json"],
    ));
    assert_eq!(late["deemed_accepted"], true);
    assert_eq!(late["accepted_on"], "2026-11-28");
    assert_eq!(late["overdue"], true);
    let accepted = json(&bianmin_on(
        &db,
        "2026-12-07",
        &["request", "accept", no, "--staff", "DF0013", "--json"],
    ));
    assert_eq!(accepted["state"], "accepted");
    assert_eq!(accepted["accepted_on"], "2026-11-28");
}

/// Issue 16 point 10 through the contract: `request new --pledge M,M` on an item that allows it
/// (the demo's 临时救助: 家庭收入及财产状况说明), refused naming --pledge otherwise; the pledge is
/// listed for checking (`request list --list pledges`), and `request verify --result false
/// --reason` revokes.
#[test]
fn a_pledge_is_taken_listed_and_a_false_one_revokes() {
    let (_dir, db) = demo_db();
    let id = id_number("52020319850312123");
    let new = |pledge: &str| {
        vec![
            "request".to_string(),
            "new".into(),
            "--name".into(),
            "李玥".into(),
            "--id".into(),
            id.clone(),
            "--item".into(),
            "MZ-001".into(),
            "--materials".into(),
            "1,2,3".into(),
            "--pledge".into(),
            pledge.into(),
            "--staff".into(),
            "DF0013".into(),
        ]
    };
    let refused = new("1");
    let refused: Vec<&str> = refused.iter().map(String::as_str).collect();
    assert_refused(&db, &refused, "--pledge");
    let mut ok = new("4");
    ok.push("--json".into());
    let ok: Vec<&str> = ok.iter().map(String::as_str).collect();
    let taken = run_json(&db, &ok);
    assert_eq!(taken["state"], "accepted");
    assert_eq!(
        taken["pledged"],
        serde_json::json!(["家庭收入及财产状况说明"])
    );
    let no = taken["number"].as_str().unwrap();
    let listed = run_json(&db, &["request", "list", "--list", "pledges", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_refused(
        &db,
        &[
            "request", "verify", no, "--result", "false", "--staff", "DF0002",
        ],
        "--reason",
    );
    assert_refused(
        &db,
        &[
            "request", "verify", no, "--result", "maybe", "--staff", "DF0002",
        ],
        "--result",
    );
    let revoked = run_json(
        &db,
        &[
            "request",
            "verify",
            no,
            "--result",
            "false",
            "--reason",
            "承诺不实",
            "--staff",
            "DF0002",
            "--json",
        ],
    );
    assert_eq!(revoked["state"], "revoked");
    assert_eq!(revoked["pledge_truthful"], false);
}

/// Each town names its superior government, which the forms give as where to appeal the town's
/// own acts: `bianmin town --town T [--superior NAME]`; a name that is no 人民政府 or an unknown
/// town is refused naming the flag, changing nothing.
#[test]
fn a_town_names_its_superior_government() {
    let (_dir, db) = demo_db();
    let shown = run_json(&db, &["town", "--town", "东风镇", "--json"]);
    assert_eq!(shown["superior"], "贵阳市乌当区人民政府");
    assert_refused(
        &db,
        &["town", "--town", "东风镇", "--superior", "乌当区"],
        "--superior",
    );
    assert_refused(
        &db,
        &["town", "--town", "不存在镇", "--superior", "某区人民政府"],
        "--town",
    );
    let set = run_json(
        &db,
        &[
            "town",
            "--town",
            "东风镇",
            "--superior",
            " 贵阳市乌当区人民政府 ",
            "--json",
        ],
    );
    assert_eq!(set["superior"], "贵阳市乌当区人民政府");
}

/// `bianmin` on another day than the tests' 2026-11-28.
fn bianmin_on(db: &Path, day: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bianmin"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("BIANMIN_TODAY", day)
        .env_remove("BIANMIN_DB")
        .output()
        .expect("bianmin runs")
}

/// Issue 16 points 7, 8 and 12 through the contract: `request extend` (a 镇领导, once, N ≤ 10,
/// new due = `calendar due OLD_DUE N`), `request suspend` / `request resume` (the due date moves
/// by the working days suspended) and `request explain` (only when overdue). Garbage is refused
/// naming the flag and changes nothing.
#[test]
fn the_clock_commands_move_the_due_date_and_refuse_garbage() {
    let (_dir, db) = demo_db();
    let no = intake(&db, &["--item", "MZ-001", "--staff", "DF0013"])["number"]
        .as_str()
        .unwrap()
        .to_string();
    let no = no.as_str();
    for (args, flag) in [
        (
            vec!["extend", no, "--reason", "需核查", "--staff", "DF0004"],
            "--days",
        ),
        (
            vec![
                "extend",
                no,
                "--days",
                "11",
                "--reason",
                "需核查",
                "--staff",
                "DF0004",
            ],
            "--days",
        ),
        (
            vec![
                "extend",
                no,
                "--days",
                "0",
                "--reason",
                "需核查",
                "--staff",
                "DF0004",
            ],
            "--days",
        ),
        (
            vec![
                "extend",
                no,
                "--days",
                "-2",
                "--reason",
                "需核查",
                "--staff",
                "DF0004",
            ],
            "--days",
        ),
        (
            vec![
                "extend",
                no,
                "--days",
                "三",
                "--reason",
                "需核查",
                "--staff",
                "DF0004",
            ],
            "--days",
        ),
        (
            vec!["extend", no, "--days", "5", "--staff", "DF0004"],
            "--reason",
        ),
        (
            vec![
                "extend", no, "--days", "5", "--reason", " ", "--staff", "DF0004",
            ],
            "--reason",
        ),
        (
            vec![
                "suspend",
                no,
                "--reason",
                "等群众补材料",
                "--staff",
                "DF0002",
            ],
            "--reason",
        ),
        (vec!["suspend", no, "--staff", "DF0002"], "--reason"),
        (
            vec![
                "suspend",
                no,
                "--reason",
                "需鉴定",
                "--days",
                "x",
                "--staff",
                "DF0002",
            ],
            "--days",
        ),
        (vec!["resume", no, "--staff", "DF0002"], "办件状态"),
        (
            vec!["explain", no, "--reason", "部门未答复", "--staff", "DF0013"],
            "办件状态",
        ),
        (vec!["explain", no, "--staff", "DF0013"], "--reason"),
        (
            vec![
                "extend",
                "DF-20261128-9999",
                "--days",
                "5",
                "--reason",
                "需核查",
                "--staff",
                "DF0004",
            ],
            "办件编号",
        ),
    ] {
        let mut a = vec!["request"];
        a.extend(args.iter().copied());
        assert_refused(&db, &a, flag);
    }
    // An approver may not extend: refused naming --staff, the attempt audited.
    let by_approver = bianmin(
        &db,
        &[
            "request",
            "extend",
            no,
            "--days",
            "5",
            "--reason",
            "需核查",
            "--staff",
            "DF0002",
        ],
    );
    assert_eq!(by_approver.status.code(), Some(2));
    let err = String::from_utf8_lossy(&by_approver.stderr);
    assert!(
        err.contains("--staff") && err.contains("不是镇领导"),
        "{err}"
    );

    let extended = run_json(
        &db,
        &[
            "request",
            "extend",
            no,
            "--days",
            "3",
            "--reason",
            "需入户核查",
            "--staff",
            "DF0004",
            "--json",
        ],
    );
    let want = run_json(&db, &["calendar", "due", "2026-12-04", "3", "--json"]);
    assert_eq!(extended["due"], want["due"], "{want}");
    assert_eq!(extended["due"], "2026-12-09");
    assert_eq!(extended["extended_days"], 3);
    assert_eq!(
        extended["forms"],
        serde_json::json!(["receipt", "extension"])
    );
    assert_refused(
        &db,
        &[
            "request", "extend", no, "--days", "2", "--reason", "再延", "--staff", "DF0004",
        ],
        "--days",
    );

    let suspended = json(&bianmin_on(
        &db,
        "2026-11-30",
        &[
            "request",
            "suspend",
            no,
            "--reason",
            "需委托鉴定",
            "--days",
            "5",
            "--staff",
            "DF0002",
            "--json",
        ],
    ));
    assert_eq!(suspended["state"], "suspended");
    assert_eq!(
        suspended["next_steps"],
        serde_json::json!(["resume", "withdraw"])
    );
    // (11-30, 12-07] holds five working days: 12-09 + 5 = 12-16.
    let resumed = json(&bianmin_on(
        &db,
        "2026-12-07",
        &["request", "resume", no, "--staff", "DF0002", "--json"],
    ));
    assert_eq!(
        (resumed["state"].as_str(), resumed["due"].as_str()),
        (Some("accepted"), Some("2026-12-16"))
    );
    assert_eq!(resumed["suspended_days"], 5);

    let late = json(&bianmin_on(
        &db,
        "2026-12-17",
        &[
            "request",
            "explain",
            no,
            "--reason",
            "鉴定机构延迟出具报告",
            "--staff",
            "DF0013",
            "--json",
        ],
    ));
    assert_eq!(late["overdue"], true);
    assert_eq!(late["overdue_reason"], "鉴定机构延迟出具报告");
    let listed = json(&bianmin_on(
        &db,
        "2026-12-17",
        &["request", "list", "--overdue", "--json"],
    ));
    let row = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["number"] == no)
        .expect("in the overdue list");
    assert_eq!(row["overdue_reason"], "鉴定机构延迟出具报告");
    let text =
        String::from_utf8_lossy(&bianmin_on(&db, "2026-12-17", &["request", "show", no]).stdout)
            .to_string();
    assert!(text.contains("逾期说明：鉴定机构延迟出具报告"), "{text}");
}

#[test]
fn intake_gives_accepted_incomplete_or_refused() {
    let (_dir, db) = demo_db();
    let ok = intake(&db, &["--item", "MZ-001", "--staff", "DF0013"]);
    assert_eq!(ok["state"], "accepted");
    assert_eq!(ok["accepted_on"], "2026-11-28");
    // 5 working days after Saturday 2026-11-28.
    assert_eq!(ok["due"], "2026-12-04");
    assert_eq!(ok["applicant_id_masked"], "5202**********1233");
    assert!(ok["number"].as_str().unwrap().starts_with("DF-20261128-"));
    assert!(
        !ok.to_string().contains(&id_number("52020319850312123")),
        "a full ID in JSON"
    );

    let partial = intake(
        &db,
        &[
            "--item",
            "MZ-001",
            "--staff",
            "DF0013",
            "--materials",
            "1,居民身份证",
        ],
    );
    assert_eq!(partial["state"], "incomplete");
    assert_eq!(
        partial["missing"],
        serde_json::json!(["户口簿", "家庭收入及财产状况说明"])
    );
    assert_eq!(partial["due"], Value::Null);

    let city = intake(&db, &["--item", "GA-201", "--staff", "DF0013"]);
    assert_eq!(city["state"], "refused");
    assert!(city["alternative"].as_str().unwrap().contains("派出所"));

    // The whole lifecycle of the incomplete one: 补正, decide (by an approver), complete, pickup.
    let no = partial["number"].as_str().unwrap();
    let step = |args: &[&str]| {
        let mut a = vec!["request"];
        a.extend_from_slice(args);
        a.push("--json");
        run_json(&db, &a)
    };
    assert_eq!(
        step(&["accept", no, "--materials", "3,4", "--staff", "DF0013"])["state"],
        "accepted"
    );
    let refused = bianmin(
        &db,
        &[
            "request", "decide", no, "--result", "approved", "--staff", "DF0013",
        ],
    );
    assert_eq!(refused.status.code(), Some(2), "a clerk may not approve");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("不是审批人员"));
    // 临时救助 pays out: a grant names its amount; bad values are refused naming the flag and
    // change nothing; a refusal must give its reasons.
    let before = run_json(&db, &["request", "show", no, "--json"]);
    for (args, flag) in [
        (vec!["--result", "approved"], "--amount"),
        (vec!["--result", "approved", "--amount", "abc"], "--amount"),
        (vec!["--result", "approved", "--amount", "-5"], "--amount"),
        (
            vec!["--result", "approved", "--amount", "1.234"],
            "--amount",
        ),
        (vec!["--result", "refused"], "--opinion"),
        (
            vec![
                "--result",
                "refused",
                "--amount",
                "100",
                "--opinion",
                "不符合条件。",
            ],
            "--amount",
        ),
    ] {
        let mut a = vec!["request", "decide", no, "--staff", "DF0002"];
        a.extend(args.iter().copied());
        assert_refused(&db, &a, flag);
    }
    assert_eq!(run_json(&db, &["request", "show", no, "--json"]), before);
    let decided = step(&[
        "decide",
        no,
        "--result",
        "approved",
        "--opinion",
        "家庭遭遇火灾，符合临时救助条件。",
        "--amount",
        "1,500",
        "--staff",
        "DF0002",
    ]);
    assert_eq!(decided["state"], "decided");
    assert_eq!(decided["opinion"], "家庭遭遇火灾，符合临时救助条件。");
    assert_eq!(decided["amount"], "1,500.00 元");
    let note = decided["timeline"].as_array().unwrap().last().unwrap()["note"].clone();
    assert_eq!(
        note,
        "准予许可/办理；审批意见：家庭遭遇火灾，符合临时救助条件。；给付金额：1,500.00 元"
    );
    assert_eq!(
        step(&["complete", no, "--staff", "DF0013"])["state"],
        "completed"
    );
    let done = step(&["pickup", no, "--staff", "DF0013"]);
    let steps: Vec<&str> = done["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        ["一次性告知", "补正受理", "审批决定", "办结", "取件"]
    );
    let again = bianmin(&db, &["request", "pickup", no, "--staff", "DF0013"]);
    assert_eq!(again.status.code(), Some(2), "an illegal transition");
    assert!(String::from_utf8_lossy(&again.stderr).contains("已办结"));
}

/// `next_steps` and `forms` of `request show --json`, as one line.
fn next_and_forms(db: &Path, no: &str) -> String {
    let shown = run_json(db, &["request", "show", no, "--json"]);
    let keys = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap_or_else(|| panic!("an array: {v}"))
            .iter()
            .map(|k| k.as_str().unwrap().to_string())
            .collect()
    };
    format!(
        "{} | {}",
        keys(&shown["next_steps"]).join(" "),
        keys(&shown["forms"]).join(" ")
    )
}

/// On a local file, without an account, `next_steps` is every step the lifecycle allows from
/// the state (approval too, whoever runs it), and `forms` what prints now.
#[test]
fn request_json_carries_next_steps_and_forms() {
    let (_dir, db) = demo_db();
    let check = |no: &str, expect: &str| assert_eq!(next_and_forms(&db, no), expect, "{no}");
    let step = |args: &[&str]| {
        let out = bianmin(&db, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let partial = intake(
        &db,
        &["--item", "MZ-001", "--staff", "DF0013", "--materials", "1"],
    );
    assert_eq!(
        partial["next_steps"],
        serde_json::json!(["accept", "refuse", "withdraw"])
    );
    assert_eq!(partial["forms"], serde_json::json!(["notice"]));
    let no = partial["number"].as_str().unwrap();
    check(no, "accept refuse withdraw | notice");
    step(&[
        "request",
        "accept",
        no,
        "--materials",
        "2,3,4",
        "--staff",
        "DF0013",
    ]);
    check(
        no,
        "decide forward extend suspend refuse withdraw | receipt",
    );
    step(&[
        "request", "decide", no, "--result", "approved", "--amount", "800", "--staff", "DF0002",
    ]);
    // Decided here: the 决定书 prints too (issue 16); a department's result below does not.
    check(no, "complete withdraw | receipt decision");
    step(&["request", "complete", no, "--staff", "DF0013"]);
    check(no, "pickup | receipt decision");
    step(&["request", "pickup", no, "--staff", "DF0013"]);
    check(no, " | receipt decision");

    let sent = intake(&db, &["--item", "RS-101", "--staff", "DF0013"]);
    let sent = sent["number"].as_str().unwrap();
    // Taken in to be forwarded: a 收件凭证, never a 受理回执 (issue 16, point 3).
    check(
        sent,
        "decide forward extend suspend refuse withdraw | collection",
    );
    step(&["request", "forward", sent, "--staff", "DF0013"]);
    check(sent, "dept_accept result withdraw | collection");
    // The department's acceptance (issue 16 point 3): a day before forwarding is refused naming
    // --on; recorded once, it starts the department's clock and is offered no more.
    assert_refused(
        &db,
        &[
            "request",
            "dept-accept",
            sent,
            "--on",
            "2026-11-27",
            "--staff",
            "DF0013",
        ],
        "--on",
    );
    assert_refused(
        &db,
        &[
            "request",
            "dept-accept",
            sent,
            "--on",
            "2026-02-30",
            "--staff",
            "DF0013",
        ],
        "--on",
    );
    let accepted = run_json(
        &db,
        &[
            "request",
            "dept-accept",
            sent,
            "--staff",
            "DF0013",
            "--json",
        ],
    );
    assert_eq!(accepted["department_accepted_on"], "2026-11-28");
    check(sent, "result withdraw | collection");
    step(&[
        "request", "result", sent, "--result", "refused", "--staff", "DF0013",
    ]);
    check(sent, "complete withdraw | collection");

    let city = intake(&db, &["--item", "GA-201", "--staff", "DF0013"]);
    check(city["number"].as_str().unwrap(), " | refusal");
    let gone = intake(&db, &["--item", "MZ-001", "--staff", "DF0013"]);
    let gone = gone["number"].as_str().unwrap();
    step(&["request", "withdraw", gone, "--staff", "DF0013"]);
    check(gone, " | ");
    let asked = run_json(
        &db,
        &[
            "request", "consult", "--item", "GA-201", "--staff", "DF0013", "--json",
        ],
    );
    // A consultation prints its 办事指引 (issue 16 point 4).
    check(asked["number"].as_str().unwrap(), " | guide");
    // Lists carry them too.
    let list = run_json(&db, &["request", "list", "--json"]);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["next_steps"].is_array() && r["forms"].is_array()));
}

#[test]
fn forwarded_requests_show_days_and_overdue_is_computed() {
    let (_dir, db) = demo_db();
    let r = intake(&db, &["--item", "RS-101", "--staff", "DF0013"]);
    let no = r["number"].as_str().unwrap();
    let f = run_json(
        &db,
        &["request", "forward", no, "--staff", "DF0013", "--json"],
    );
    assert_eq!(f["state"], "forwarded");
    assert_eq!(f["forwarded_to"], "市人力资源和社会保障局");
    assert_eq!(f["department_due"], "2026-12-11");
    assert_eq!(f["overdue"], false);
    // Later, past the department's date: overdue, without anything stored having changed.
    let later = Command::new(env!("CARGO_BIN_EXE_bianmin"))
        .arg("--db")
        .arg(&db)
        .args(["request", "list", "--overdue", "--json"])
        .env("BIANMIN_TODAY", "2026-12-15")
        .output()
        .unwrap();
    let list = json(&later);
    assert_eq!(list[0]["number"], no);
    assert_eq!(list[0]["overdue"], true);
    assert_eq!(list[0]["days_left"], -2);
    assert_eq!(list[0]["days_passed"], 12);
    assert!(run_json(&db, &["request", "list", "--overdue", "--json"])
        .as_array()
        .unwrap()
        .is_empty());
}

/// Issue 16, defect 16: an 人社 item goes to 人社; forwarded to 市公安局 without a reason it is
/// refused naming --reason and nothing changes; with one, the timeline says where and why.
#[test]
fn forwarding_elsewhere_than_the_items_department_needs_a_reason() {
    let (_dir, db) = demo_db();
    let r = intake(&db, &["--item", "RS-101", "--staff", "DF0013"]);
    let no = r["number"].as_str().unwrap();
    assert_refused(
        &db,
        &[
            "request",
            "forward",
            no,
            "--department",
            "市公安局",
            "--staff",
            "DF0013",
        ],
        "--reason",
    );
    let f = run_json(
        &db,
        &[
            "request",
            "forward",
            no,
            "--department",
            "市公安局",
            "--reason",
            "申请人户籍材料需公安核实",
            "--staff",
            "DF0013",
            "--json",
        ],
    );
    assert_eq!(f["forwarded_to"], "市公安局");
    let note = f["timeline"].as_array().unwrap().last().unwrap()["note"].to_string();
    assert!(
        note.contains("非实施主体市人力资源和社会保障局")
            && note.contains("申请人户籍材料需公安核实"),
        "{note}"
    );
}

#[test]
fn search_by_number_id_name_and_initials() {
    let (_dir, db) = demo_db();
    let r = intake(&db, &["--item", "MZ-004", "--staff", "DF0013"]);
    let no = r["number"].as_str().unwrap().to_string();
    let full = id_number("52020319850312123");
    for q in [no.as_str(), full.as_str(), &full[12..], "李玥", "ly"] {
        let found = run_json(&db, &["request", "list", "--search", q, "--json"]);
        assert!(
            found
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["number"] == no.as_str()),
            "{q} did not find {no}"
        );
    }
    // One character of a name is refused, naming the flag, and changes nothing.
    let out = bianmin(&db, &["request", "list", "--search", "玥"]);
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--search") && err.contains("两个字"), "{err}");
    let all = run_json(&db, &["request", "list", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 1, "{all}");
}

#[test]
fn ten_processes_at_once_get_ten_distinct_numbers() {
    let (_dir, db) = demo_db();
    let id = id_number("52020319850312123");
    let children: Vec<_> = (0..10)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_bianmin"))
                .arg("--db")
                .arg(&db)
                .args([
                    "request",
                    "new",
                    "--item",
                    "MZ-005",
                    "--name",
                    "王喆赟",
                    "--id",
                    &id,
                    "--staff",
                    "DF0014",
                    "--json",
                ])
                .env("BIANMIN_TODAY", "2026-11-28")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut numbers: Vec<String> = children
        .into_iter()
        .map(|c| {
            json(&c.wait_with_output().unwrap())["number"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 10, "{numbers:?}");
}

#[test]
fn bad_intake_input_names_the_field_and_writes_no_row() {
    let (_dir, db) = demo_db();
    let good = id_number("52020319850312123");
    let wrong_check = format!(
        "{}{}",
        &good[..17],
        if good.ends_with('0') { '1' } else { '0' }
    );
    let bad_birth = id_number("52020319850230123");
    let long = "李".repeat(501);
    let base = |id: &str, item: &str, name: &str| -> Vec<String> {
        [
            "request", "new", "--item", item, "--name", name, "--id", id, "--staff", "DF0013",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (base(&wrong_check, "MZ-001", "李玥"), "--id"),
        (base(&bad_birth, "MZ-001", "李玥"), "--id"),
        (base(&good, "NOPE-1", "李玥"), "--item"),
        (base(&good, "MZ-001", &long), "--name"),
        (
            base(&good, "MZ-001", "x'; DROP TABLE request; --"),
            "--name",
        ),
        (
            [
                base(&good, "MZ-001", "李玥"),
                vec!["--materials".into(), "营业执照".into()],
            ]
            .concat(),
            "--materials",
        ),
        (
            [
                base(&good, "MZ-001", "李玥"),
                vec!["--remark".into(), long.clone()],
            ]
            .concat(),
            "--remark",
        ),
        (
            [
                base(&good, "MZ-001", "李玥"),
                vec!["--phone".into(), "12345".into()],
            ]
            .concat(),
            "--phone",
        ),
        (
            base(&good, "MZ-001", "李玥")
                .into_iter()
                .map(|a| if a == "DF0013" { "NOBODY".into() } else { a })
                .collect(),
            "--staff",
        ),
    ];
    // Issue 16, defect 13: credit codes the review found accepted (GB 32100: area code and
    // MOD 31 check character).
    let org = |code: &str| -> Vec<String> {
        [
            "request",
            "new",
            "--item",
            "MZ-001",
            "--name",
            "某某有限公司",
            "--credit-code",
            code,
            "--staff",
            "DF0013",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let cases = [
        cases,
        vec![
            (org("ABCDEFGHJKLMNPQRTU"), "--credit-code"),
            (org("91350100M000100Y44"), "--credit-code"),
        ],
    ]
    .concat();
    for (args, flag) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_refused(&db, &args, flag);
    }
    assert!(run_json(&db, &["request", "list", "--json"])
        .as_array()
        .unwrap()
        .is_empty());
}

/// Issue 16, defect 15: a staff member without the 窗口人员 role (DF0002, an 审批人员) "taking
/// in" a request is bad input: exit 2 naming --staff, no request and no form for the resident;
/// the audit log keeps the refused attempt.
#[test]
fn a_staff_member_who_is_not_a_clerk_takes_in_nothing() {
    let (_dir, db) = demo_db();
    let id = id_number("52020319850312123");
    let out = bianmin(
        &db,
        &[
            "request", "new", "--item", "MZ-001", "--name", "李玥", "--id", &id, "--staff",
            "DF0002",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--staff") && stderr.contains("不是窗口人员"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    assert!(run_json(&db, &["request", "list", "--json"])
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn calendar_due_and_import() {
    let (dir, db) = demo_db();
    let due = run_json(&db, &["calendar", "due", "2026-09-30", "3", "--json"]);
    // 10-01..07 off, 10-08 (Thu) day 1, 10-09 day 2, Saturday 10-10 is worked: day 3.
    assert_eq!(
        due,
        serde_json::json!({"start": "2026-09-30", "working_days": 3, "due": "2026-10-10", "calendar_complete": true})
    );
    let before = run_json(&db, &["calendar", "due", "2026-12-30", "3", "--json"]);
    assert_eq!(before["calendar_complete"], false);
    assert_eq!(before["due"], "2027-01-04");
    // A whole year's notice (made up for the test: the 2027 notice is not yet published).
    let file = dir.path().join("2027.txt");
    std::fs::write(&file, WHOLE_2027).unwrap();
    let out = bianmin(&db, &["calendar", "import", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = run_json(&db, &["calendar", "due", "2026-12-30", "3", "--json"]);
    assert_eq!(after["calendar_complete"], true);
    assert_eq!(after["due"], "2027-01-05");
    // Loaded now: the same file again is refused without --replace, and accepted with it.
    assert_refused(
        &db,
        &["calendar", "import", file.to_str().unwrap()],
        "--replace",
    );
    let out = bianmin(
        &db,
        &["calendar", "import", "--replace", file.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "2027-02-30,休,春节\n").unwrap();
    assert_refused(&db, &["calendar", "import", bad.to_str().unwrap()], "FILE");
    assert_refused(&db, &["calendar", "due", "2026-02-30", "3"], "DATE");
    assert_refused(&db, &["calendar", "due", "2026-02-03", "0"], "N");
    // Issue 16, defect 19: a negative count is ours to refuse, in Chinese, not clap's.
    assert_refused(&db, &["calendar", "due", "2026-02-03", "-1"], "N");
}

/// A whole year's arrangement for tests: every festival, the holidays fixed by date, and
/// weekend days worked in exchange. Made up: the 2027 notice is not yet published.
const WHOLE_2027: &str = "# 2027 测试安排（非官方）
2027-01-01,休,元旦
2027-01-02,休,元旦
2027-01-03,休,元旦
2027-02-05,休,春节
2027-02-06,休,春节
2027-02-07,休,春节
2027-02-08,休,春节
2027-02-09,休,春节
2027-02-10,休,春节
2027-02-11,休,春节
2027-02-13,班,春节调休上班
2027-04-03,休,清明节
2027-04-04,休,清明节
2027-04-05,休,清明节
2027-05-01,休,劳动节
2027-05-02,休,劳动节
2027-05-03,休,劳动节
2027-05-04,休,劳动节
2027-05-05,休,劳动节
2027-05-08,班,劳动节调休上班
2027-06-09,休,端午节
2027-09-15,休,中秋节
2027-09-26,班,国庆节调休上班
2027-10-01,休,国庆节
2027-10-02,休,国庆节
2027-10-03,休,国庆节
2027-10-04,休,国庆节
2027-10-05,休,国庆节
2027-10-06,休,国庆节
2027-10-07,休,国庆节
2027-10-09,班,国庆节调休上班
";

/// Issue 16, defect 14: a file of one date never replaces a year. `2025-10-09,休` used to
/// replace the official 2025 calendar, so that 2025-09-30 + 1 working day came out as 10-01,
/// "complete". Now it is refused without `--replace` and, as a part of a year, with it; the
/// official year stays.
#[test]
fn a_calendar_file_of_one_date_never_replaces_a_loaded_year() {
    let (dir, db) = demo_db();
    let due = |db: &Path| run_json(db, &["calendar", "due", "2025-09-30", "1", "--json"]);
    assert_eq!(due(&db)["due"], "2025-10-09");
    let one = dir.path().join("one.txt");
    std::fs::write(&one, "2025-10-09,休\n").unwrap();
    assert_refused(
        &db,
        &["calendar", "import", one.to_str().unwrap()],
        "--replace",
    );
    assert_refused(
        &db,
        &["calendar", "import", "--replace", one.to_str().unwrap()],
        "春节",
    );
    assert_eq!(due(&db)["due"], "2025-10-09");
    assert_eq!(due(&db)["calendar_complete"], true);
    // A new year's file that is not a whole notice is refused too, naming what it lacks.
    let part = dir.path().join("2027.txt");
    std::fs::write(&part, "2027-01-01,休,元旦\n2027-01-02,休,元旦\n").unwrap();
    assert_refused(&db, &["calendar", "import", part.to_str().unwrap()], "国庆");
}

fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/setup.sh)");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect()
}

#[test]
fn form_prints_each_request_form_and_the_staffing_report() {
    let (dir, db) = demo_db();
    let accepted = intake(&db, &["--item", "MZ-006", "--staff", "DF0013"]);
    let incomplete = intake(
        &db,
        &["--item", "MZ-002", "--staff", "DF0013", "--materials", "1"],
    );
    let refused = intake(&db, &["--item", "GA-201", "--staff", "DF0013"]);
    let forwarded = intake(&db, &["--item", "RS-101", "--staff", "DF0013"]);
    let fno = forwarded["number"].as_str().unwrap();
    run_json(
        &db,
        &["request", "forward", fno, "--staff", "DF0013", "--json"],
    );
    for (req, kind, title) in [
        (&accepted, "receipt", "受理回执"),
        (&incomplete, "notice", "一次性告知书"),
        (&refused, "refusal", "不予受理通知书"),
    ] {
        let no = req["number"].as_str().unwrap();
        let out = dir.path().join(format!("{kind}.pdf"));
        let meta = run_json(
            &db,
            &[
                "form",
                no,
                "--kind",
                kind,
                "--out",
                out.to_str().unwrap(),
                "--json",
            ],
        );
        assert_eq!(meta["copy"], 1);
        let text = pdftotext(&out);
        assert!(text.contains(title) && text.contains(no), "{kind}: {text}");
        assert!(text.contains("李玥"), "{kind}: {text}");
        assert!(
            !text.contains(&id_number("52020319850312123")),
            "{kind} shows the full ID"
        );
    }
    let out = dir.path().join("handover.pdf");
    let meta = run_json(
        &db,
        &[
            "form",
            "--kind",
            "handover",
            "--department",
            "市人力资源和社会保障局",
            "--out",
            out.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(meta["kind"], "handover");
    assert!(pdftotext(&out).contains(fno));
    // `--on DATE`: the list of another day holds none of today's forwarded requests; the same
    // day named explicitly holds it, as the default did.
    for (on, holds) in [("2026-11-27", false), ("2026-11-28", true)] {
        let out = dir.path().join(format!("handover-{on}.pdf"));
        let o = bianmin(
            &db,
            &[
                "form",
                "--kind",
                "handover",
                "--department",
                "市人力资源和社会保障局",
                "--on",
                on,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        if holds {
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            assert!(pdftotext(&out).contains(fno), "{on}");
        } else {
            // Refused for want of requests, or an empty list: either way not today's request.
            assert!(
                !out.exists() || !pdftotext(&out).contains(fno),
                "{on} lists {fno}"
            );
        }
    }
    let out = dir.path().join("staffing.pdf");
    let o = bianmin(
        &db,
        &[
            "staffing",
            "--town",
            "东风镇",
            "--pdf",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = pdftotext(&out);
    assert!(
        text.contains("东风镇编制与在岗情况表") && text.contains("综合办公室"),
        "{text}"
    );
    // A second receipt is a reprint, and says so.
    let no = accepted["number"].as_str().unwrap();
    let again = dir.path().join("again.pdf");
    let meta = run_json(
        &db,
        &[
            "form",
            no,
            "--kind",
            "receipt",
            "--out",
            again.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(meta["copy"], 2);
    assert!(pdftotext(&again).contains("补打"));
}

#[test]
fn form_refuses_bad_flags_naming_them_and_writes_nothing() {
    let (dir, db) = demo_db();
    let accepted = intake(&db, &["--item", "MZ-006", "--staff", "DF0013"]);
    let no = accepted["number"].as_str().unwrap();
    let out = dir.path().join("x.pdf");
    let o = out.to_str().unwrap();
    let missing_dir = dir.path().join("nowhere/x.pdf");
    let txt = dir.path().join("x.txt");
    for (args, flag) in [
        (vec!["form", no, "--kind", "poster", "--out", o], "--kind"),
        (vec!["form", no, "--kind", "refusal", "--out", o], "--kind"),
        (
            vec!["form", no, "--kind", "receipt", "--paper", "B5", "--out", o],
            "--paper",
        ),
        (
            vec!["form", "DF-20261128-9999", "--kind", "receipt", "--out", o],
            "办件编号",
        ),
        (vec!["form", "--kind", "receipt", "--out", o], "办件编号"),
        (
            vec![
                "form",
                no,
                "--kind",
                "receipt",
                "--out",
                missing_dir.to_str().unwrap(),
            ],
            "--out",
        ),
        (
            vec![
                "form",
                no,
                "--kind",
                "receipt",
                "--out",
                txt.to_str().unwrap(),
            ],
            "--out",
        ),
        (
            vec!["form", "--kind", "handover", "--out", o],
            "--department",
        ),
        (
            vec![
                "form",
                "--kind",
                "handover",
                "--department",
                "市公安局",
                "--out",
                o,
            ],
            "--department",
        ),
        (
            vec![
                "form", no, "--kind", "receipt", "--staff", "XX0000", "--out", o,
            ],
            "--staff",
        ),
        (vec!["staffing", "--pdf", txt.to_str().unwrap()], "--pdf"),
        (vec!["staffing", "--xlsx", txt.to_str().unwrap()], "--xlsx"),
    ] {
        assert_refused(&db, &args, flag);
        assert!(!out.exists(), "{args:?} wrote a PDF");
        assert!(!txt.exists() && !missing_dir.exists());
    }
}

fn ok(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn request_rows(db: &std::path::Path) -> i64 {
    String::from_utf8(
        Command::new("sqlite3")
            .arg(db)
            .arg("SELECT count(*) FROM request")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .parse()
    .unwrap()
}

fn arrivals(r: &Value) -> f64 {
    r["posts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["hours"].as_array().unwrap().iter())
        .map(|h| h["arrivals_per_hour"].as_f64().unwrap())
        .sum()
}

/// `init --demo` brings the four weeks before the day with it, once: the demand panel has real
/// numbers on first start, and loading again adds nothing.
#[test]
fn init_demo_brings_four_weeks_of_requests_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(&bianmin(&db, &["init", "--demo"]));
    let rows = request_rows(&db);
    assert!(rows > 500, "{rows} requests");
    let counted = run_json(&db, &["counters", "--town", "东风镇", "--json"]);
    assert!(arrivals(&counted) > 0.0, "{counted}");
    let nine = counted["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["hour"] == 9)
        .unwrap()
        .clone();
    assert!(nine["needed"].as_u64().unwrap() > 0, "{nine}");
    ok(&bianmin(&db, &["init", "--demo"]));
    assert_eq!(request_rows(&db), rows, "loading again added requests");
    // Today's list is still the clerk's own: nothing was made today.
    let today = run_json(&db, &["request", "list", "--list", "today", "--json"]);
    assert_eq!(today.as_array().map(Vec::len), Some(0), "{today}");
}

/// `init --demo --history N`: N past requests over three years instead, for search and load;
/// `--history 0` none; bad counts are refused naming the flag and change nothing.
#[test]
fn a_demo_with_history_has_requests_to_count_demand_from() {
    let (_dir, db) = demo_db();
    let empty = run_json(&db, &["counters", "--town", "东风镇", "--json"]);
    assert_eq!(arrivals(&empty), 0.0, "--history 0 made history");
    for bad in ["abc", "-5", "1.5", "1000001"] {
        assert_refused(&db, &["init", "--demo", "--history", bad], "--history");
    }
    assert_eq!(request_rows(&db), 0);
    ok(&bianmin(&db, &["init", "--demo", "--history", "3000"]));
    assert_eq!(request_rows(&db), 3000);
    let counted = run_json(&db, &["counters", "--town", "东风镇", "--json"]);
    assert!(arrivals(&counted) > 0.0, "{counted}");
}

#[test]
fn counters_answers_the_contract_and_refuses_bad_numbers() {
    let (_dir, db) = demo_db();
    let c = run_json(
        &db,
        &[
            "counters",
            "--arrivals-per-hour",
            "200",
            "--handling-min",
            "3",
            "--target-wait-s",
            "20",
            "--json",
        ],
    );
    assert_eq!(c["counters"], 14);
    let sl = c["service_level"].as_f64().unwrap();
    let pw = c["wait_probability"].as_f64().unwrap();
    assert!(
        (0.8..=1.0).contains(&sl) && (0.0..=1.0).contains(&pw),
        "{c}"
    );
    // Defaults: 900 s and 0.8.
    let d = run_json(
        &db,
        &[
            "counters",
            "--arrivals-per-hour",
            "4",
            "--handling-min",
            "10",
            "--json",
        ],
    );
    assert_eq!(d["counters"], 2);
    // From the history (its counting is tested in the core), against Monday's rota.
    let out = Command::new(env!("CARGO_BIN_EXE_bianmin"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "counters",
            "--town",
            "东风镇",
            "--json",
        ])
        .env("BIANMIN_TODAY", "2026-11-30")
        .output()
        .unwrap();
    let r = json(&out);
    let civil = r["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["post"] == "民政窗口")
        .unwrap();
    assert_eq!(civil["hours"].as_array().unwrap().len(), 7);
    let staffed: Vec<i64> = civil["hours"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["staffed"].as_i64().unwrap())
        .collect();
    assert!(staffed.iter().all(|&n| n == 1), "{civil}");
    for (line, flag) in [
        (
            "--arrivals-per-hour abc --handling-min 8",
            "--arrivals-per-hour",
        ),
        (
            "--arrivals-per-hour -3 --handling-min 8",
            "--arrivals-per-hour",
        ),
        ("--arrivals-per-hour 10 --handling-min 0", "--handling-min"),
        (
            "--arrivals-per-hour 10 --handling-min 8 --service-level 80",
            "--service-level",
        ),
        (
            "--arrivals-per-hour 10 --handling-min 8 --target-wait-s x",
            "--target-wait-s",
        ),
        ("--arrivals-per-hour 10", "--handling-min"),
        ("", "--arrivals-per-hour"),
        ("--town 无名镇", "--town"),
    ] {
        let args: Vec<&str> = std::iter::once("counters")
            .chain(line.split_whitespace())
            .collect();
        assert_refused(&db, &args, flag);
    }
}

fn roster(path: &Path, rows: &[[&str; 8]]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("人员").unwrap();
    let header = [
        "工号",
        "姓名",
        "身份证号",
        "所在单位",
        "状态",
        "借调单位",
        "起始日期",
        "结束日期",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    book.save(path).unwrap();
}

#[test]
fn staff_import_adds_people_or_refuses_the_whole_file() {
    let (dir, db) = demo_db();
    let file = dir.path().join("花名册.xlsx");
    let id = id_number("52020319900101124");
    roster(
        &file,
        &[[
            "DF0901",
            "韦玥",
            &id,
            "司法所",
            "在岗",
            "",
            "2024-03-01",
            "",
        ]],
    );
    let before = json(&bianmin(&db, &["staffing", "--town", "东风镇", "--json"]));
    let out = bianmin(
        &db,
        &[
            "staff",
            "import",
            file.to_str().unwrap(),
            "--town",
            "东风镇",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = json(&bianmin(&db, &["staffing", "--town", "东风镇", "--json"]));
    assert_eq!(
        after["towns"][0]["on_roll"].as_i64().unwrap(),
        before["towns"][0]["on_roll"].as_i64().unwrap() + 1
    );
    // A bad ID number: exit 2, the row and column named, nothing changed.
    roster(
        &file,
        &[[
            "DF0902",
            "蒙喆",
            "520203199001011240",
            "司法所",
            "在岗",
            "",
            "2024-03-01",
            "",
        ]],
    );
    let before = std::fs::read(&db).unwrap();
    let out = bianmin(
        &db,
        &[
            "staff",
            "import",
            file.to_str().unwrap(),
            "--town",
            "东风镇",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("第2行") && stderr.contains("身份证号"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn backup_and_restore_through_the_cli() {
    let (dir, db) = demo_db();
    let copy = dir.path().join("备份.db");
    let out = bianmin(&db, &["backup", copy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A request taken in after the backup is gone after the restore.
    let taken = intake(&db, &["--item", "MZ-001", "--staff", "DF0013"]);
    let no = taken["number"].as_str().unwrap();
    let out = bianmin(&db, &["restore", copy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = bianmin(&db, &["request", "show", no, "--json"]);
    assert_eq!(
        shown.status.code(),
        Some(2),
        "the request survived the restore"
    );
    // Refusals name the file and change nothing.
    let text = dir.path().join("x.txt");
    std::fs::write(&text, "hello").unwrap();
    assert_refused(&db, &["restore", text.to_str().unwrap()], "FILE");
    assert_refused(&db, &["backup", copy.to_str().unwrap()], "FILE");
}

/// Issue 22: a number printed on a receipt is never given to anyone else, also after an older
/// backup is restored.
#[test]
fn a_restore_never_gives_out_a_printed_number_again() {
    let (dir, db) = demo_db();
    let take = || {
        intake(&db, &["--item", "MZ-001", "--staff", "DF0013"])["number"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let mut printed = vec![take()];
    let copy = dir.path().join("备份.db");
    let out = bianmin(&db, &["backup", copy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    printed.push(take());
    printed.push(take());
    let out = bianmin(&db, &["restore", copy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let next = take();
    assert!(
        !printed.contains(&next),
        "{next} was printed before: {printed:?}"
    );
    assert!(next > printed[2], "{next} does not follow {printed:?}");
}

#[test]
fn audit_verify_finds_an_edited_record() {
    let (_dir, db) = demo_db();
    intake(&db, &["--item", "MZ-001", "--staff", "DF0013"]);
    intake(&db, &["--item", "GA-201", "--staff", "DF0013"]);
    let v = run_json(&db, &["audit", "verify", "--json"]);
    assert_eq!(v["ok"], true);
    assert!(v["records"].as_i64().unwrap() >= 2);
    // Someone edits the file by hand, going around the triggers.
    let edit = Command::new("sqlite3")
        .arg(&db)
        .arg("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET basis = basis || '（改）' WHERE id = 2;")
        .output()
        .unwrap();
    assert!(
        edit.status.success(),
        "{}",
        String::from_utf8_lossy(&edit.stderr)
    );
    let out = bianmin(&db, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("第 2 条记录"));
}

/// `bianmin` without --db and BIANMIN_DB, with XDG_DATA_HOME at `home`.
fn bianmin_at_home(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bianmin"))
        .args(args)
        .env("BIANMIN_TODAY", "2026-11-28")
        .env("XDG_DATA_HOME", home)
        .env_remove("BIANMIN_DB")
        .output()
        .expect("bianmin runs")
}

#[test]
fn a_broken_settings_file_is_refused_and_never_replaced_by_the_local_file() {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("cn.bianmin.desktop");
    std::fs::create_dir_all(&folder).unwrap();
    for broken in ["{", r#"{"database_url": "mysql://x/y"}"#] {
        std::fs::write(folder.join("settings.json"), broken).unwrap();
        let out = bianmin_at_home(home.path(), &["init", "--demo"]);
        assert_eq!(out.status.code(), Some(2), "{broken}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("设置文件"), "{err}");
        // The counter did not quietly start a database of its own.
        assert!(!folder.join("bianmin.db").exists());
    }
    // A server that is down is reported as such, and no local file is made either.
    std::fs::write(
        folder.join("settings.json"),
        r#"{"database_url": "postgres://hall:s3cret@127.0.0.1:1/bianmin"}"#,
    )
    .unwrap();
    let out = bianmin_at_home(home.path(), &["staffing", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("无法连接数据库服务器") && !err.contains("s3cret"),
        "{err}"
    );
    assert!(!folder.join("bianmin.db").exists());
    // Without a settings file, the app's own file is used, as before.
    std::fs::remove_file(folder.join("settings.json")).unwrap();
    assert!(bianmin_at_home(home.path(), &["init"]).status.success());
    assert!(folder.join("bianmin.db").exists());
}

/// README: the database is `--db`, else `BIANMIN_DB`, else this PC's settings file, else the
/// app's own file. Each source is set together with the ones below it, and the answer shows
/// which one was opened.
#[test]
fn the_database_is_the_flag_then_the_variable_then_the_settings_then_the_app_file() {
    let (dir, flag_db) = demo_db();
    let env_db = dir.path().join("env.db");
    assert!(bianmin(&env_db, &["init"]).status.success());
    let xdg = dir.path().join("xdg");
    let app_dir = xdg.join("cn.bianmin.desktop");
    std::fs::create_dir_all(&app_dir).unwrap();
    let run = |flag: Option<&Path>, env: Option<&Path>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_bianmin"));
        if let Some(f) = flag {
            c.arg("--db").arg(f);
        }
        c.args(["staffing", "--json"])
            .env("BIANMIN_TODAY", "2026-11-28")
            .env("XDG_DATA_HOME", &xdg)
            .env_remove("BIANMIN_DB");
        if let Some(e) = env {
            c.env("BIANMIN_DB", e);
        }
        c.output().unwrap()
    };
    let towns = |out: &Output| -> usize {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        json(out)["towns"].as_array().map_or(0, Vec::len)
    };
    // The settings name a server that is not there: used only when nothing above it is set.
    std::fs::write(
        app_dir.join("settings.json"),
        r#"{"database_url": "postgres://hall@127.0.0.1:1/bianmin"}"#,
    )
    .unwrap();
    assert_eq!(towns(&run(Some(&flag_db), Some(&env_db))), 3, "--db wins");
    assert_eq!(
        towns(&run(None, Some(&env_db))),
        0,
        "BIANMIN_DB wins over the settings"
    );
    let server = run(None, None);
    assert!(!server.status.success());
    assert!(
        String::from_utf8_lossy(&server.stderr).contains("127.0.0.1:1"),
        "the settings' server was not the one tried: {}",
        String::from_utf8_lossy(&server.stderr)
    );
    // Without settings: the app's own file, in the app's data folder.
    std::fs::remove_file(app_dir.join("settings.json")).unwrap();
    std::fs::copy(&flag_db, app_dir.join("bianmin.db")).unwrap();
    assert_eq!(towns(&run(None, None)), 3, "the app's own file");
}

/// README: `BIANMIN_FONT=/path/to/font.ttc#FACE` chooses another font: the receipt then embeds
/// that face; a font file that is not there stops the print, naming the setting.
#[test]
fn bianmin_font_chooses_the_face_the_receipt_embeds() {
    let serif = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";
    if !Path::new(serif).exists() {
        panic!("{serif} is missing: fonts-noto-cjk installs it (scripts/setup.sh)");
    }
    let (dir, db) = demo_db();
    let no = intake(&db, &["--item", "MZ-006", "--staff", "DF0013"])["number"]
        .as_str()
        .unwrap()
        .to_string();
    let print = |font: Option<&str>, out: &Path| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_bianmin"));
        c.arg("--db")
            .arg(&db)
            .args(["form", "--kind", "receipt", &no, "--out"])
            .arg(out)
            .env("BIANMIN_TODAY", "2026-11-28")
            .env_remove("BIANMIN_DB")
            .env_remove("BIANMIN_FONT");
        if let Some(f) = font {
            c.env("BIANMIN_FONT", f);
        }
        c.output().unwrap()
    };
    let fonts = |pdf: &Path| {
        String::from_utf8(Command::new("pdffonts").arg(pdf).output().unwrap().stdout).unwrap()
    };
    let plain = dir.path().join("sans.pdf");
    assert!(print(None, &plain).status.success());
    assert!(fonts(&plain).contains("NotoSansCJK"), "{}", fonts(&plain));
    let other = dir.path().join("serif.pdf");
    let out = print(Some(&format!("{serif}#2")), &other);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let embedded = fonts(&other);
    assert!(
        embedded.contains("NotoSerifCJK") && !embedded.contains("NotoSansCJK"),
        "{embedded}"
    );
    let missing = dir.path().join("missing.pdf");
    let out = print(Some("/nonexistent/font.ttc"), &missing);
    assert!(!out.status.success());
    assert!(!missing.exists(), "a PDF was written without its font");
}

/// `.cargo/config.toml` builds SQLite with `HAVE_FDATASYNC`, so a commit syncs its log with
/// `fdatasync()` rather than `fsync()` (which also writes the file's times). Seen with strace on
/// an intake, after a first one has raised the numbers mark beside the file (itself written
/// with `fsync`, about once a day): every sync is an `fdatasync`.
#[test]
fn an_intake_syncs_with_fdatasync() {
    let (dir, db) = demo_db();
    let id = id_number("11010519491231002");
    let args = [
        "request", "new", "--item", "MZ-001", "--name", "李玥", "--id", &id, "--staff", "DF0013",
    ];
    assert!(bianmin(&db, &args).status.success());
    let trace = dir.path().join("trace");
    let out = Command::new("strace")
        .arg("-f")
        .args(["-e", "trace=fsync,fdatasync", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_bianmin"))
        .arg("--db")
        .arg(&db)
        .args(args)
        .env("BIANMIN_TODAY", "2026-11-28")
        .env_remove("BIANMIN_DB")
        .output()
        .expect("strace (scripts/setup.sh installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let trace = std::fs::read_to_string(trace).unwrap();
    let calls = |name: &str| {
        trace
            .lines()
            .filter(|l| l.contains(&format!(" {name}(")) || l.starts_with(&format!("{name}(")))
            .count()
    };
    assert!(calls("fdatasync") >= 2, "{trace}");
    assert_eq!(calls("fsync"), 0, "{trace}");
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Issue 17, point 1: the app's folder is 0700 and every file Bianmin writes there or where it
/// is told (database and the files beside it, backups, the copy a restore keeps, forms,
/// workbooks, catalogue files) 0600; a database an older version left 0644 is narrowed at open.
#[test]
fn every_file_bianmin_writes_is_its_os_users_alone() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("cn.bianmin.desktop");
    // An older version made the folder 0755.
    std::fs::create_dir(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    let run = |args: &[&str]| {
        let out = bianmin_at_home(home.path(), args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    run(&["init", "--demo", "--history", "0"]);
    let db = folder.join("bianmin.db");
    let taken: Value = serde_json::from_slice(
        &run(&[
            "request",
            "new",
            "--item",
            "MZ-001",
            "--staff",
            "DF0013",
            "--name",
            "王芳",
            "--id",
            "520203198503121233",
            "--json",
        ])
        .stdout,
    )
    .unwrap();
    let no = taken["number"].as_str().unwrap();
    let out = home.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let file = |name: &str| out.join(name).to_str().unwrap().to_string();
    run(&["backup", &file("备份.db")]);
    run(&["form", "--kind", "receipt", no, "--out", &file("回执.pdf")]);
    run(&["staffing", "--town", "东风镇", "--xlsx", &file("编制.xlsx")]);
    run(&["catalog", "export", &file("目录.xlsx")]);
    run(&["catalog", "export", &file("目录")]);
    run(&["restore", &file("备份.db")]);

    assert_eq!(mode(&folder), 0o700, "the app's folder");
    for entry in std::fs::read_dir(&folder)
        .unwrap()
        .chain(std::fs::read_dir(&out).unwrap())
    {
        let path = entry.unwrap().path();
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&path), want, "{}", path.display());
        if path.is_dir() {
            for inner in std::fs::read_dir(&path).unwrap() {
                let inner = inner.unwrap().path();
                assert_eq!(mode(&inner), 0o600, "{}", inner.display());
            }
        }
    }
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().any(|n| n.contains(".before-restore-")),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.ends_with(".numbers")), "{names:?}");

    // A database an older version left readable by all is narrowed when next opened.
    for suffix in ["", ".numbers"] {
        let f = format!("{}{suffix}", db.display());
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    run(&["audit", "verify"]);
    assert_eq!(
        (
            mode(&db),
            mode(Path::new(&format!("{}.numbers", db.display())))
        ),
        (0o600, 0o600)
    );
}

/// Issue 17, point 4: `audit verify --json` gives the head (records and the newest hash);
/// `--expect N:HASH` passes while the log extends it and fails (exit 1) once the newest records
/// were cut, even with the triggers put back as they were; a bad head is bad input.
#[test]
fn audit_verify_holds_the_log_to_a_head_kept_outside() {
    let (_dir, db) = demo_db();
    intake(&db, &["--item", "MZ-001", "--staff", "DF0013"]);
    let v = run_json(&db, &["audit", "verify", "--json"]);
    let (records, head) = (
        v["records"].as_i64().unwrap(),
        v["head"].as_str().unwrap().to_string(),
    );
    assert_eq!(head.len(), 64);
    let expect = format!("{records}:{head}");
    intake(&db, &["--item", "GA-201", "--staff", "DF0013"]);
    let v = run_json(&db, &["audit", "verify", "--json", "--expect", &expect]);
    assert_eq!(v["ok"], true);
    assert!(v["records"].as_i64().unwrap() > records);

    assert_refused(&db, &["audit", "verify", "--expect", "12"], "--expect");
    assert_refused(
        &db,
        &["audit", "verify", "--expect", &format!("x:{head}")],
        "--expect",
    );

    // Cut everything after the kept head and put the triggers back exactly as they were.
    let sqlite = |sql: &str| {
        let out = Command::new("sqlite3").arg(&db).arg(sql).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let triggers = sqlite("SELECT sql || ';' FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN ('audit_log', 'audit_high');");
    sqlite(&format!(
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; \
         DROP TRIGGER audit_high_only_rises; DROP TRIGGER audit_high_no_delete; \
         DELETE FROM audit_log WHERE id > {} ; {triggers}",
        records - 1
    ));
    let out = bianmin(&db, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(0), "the file alone cannot tell");
    let out = bianmin(&db, &["audit", "verify", "--expect", &expect]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("被删去了"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Issue 17, point 4: with an append-only trigger dropped, the CLI writes nothing (exit 1,
/// saying why) and `audit verify` fails naming the trigger.
#[test]
fn a_dropped_audit_trigger_stops_every_write() {
    let (_dir, db) = demo_db();
    let out = Command::new("sqlite3")
        .arg(&db)
        .arg("DROP TRIGGER audit_log_no_delete;")
        .output()
        .unwrap();
    assert!(out.status.success());
    let before = std::fs::read(&db).unwrap();
    let out = bianmin(
        &db,
        &[
            "request",
            "new",
            "--item",
            "MZ-001",
            "--staff",
            "DF0013",
            "--name",
            "王芳",
            "--id",
            "520203198503121233",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("防篡改保护"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
    let out = bianmin(&db, &["audit", "verify", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert!(
        v["problem"]
            .as_str()
            .unwrap()
            .contains("audit_log_no_delete"),
        "{v}"
    );
}

/// Issue 17, point 5: `restore` says which accounts the backup changes before it applies, and
/// refuses a backup carrying a trigger of its own.
#[test]
fn restore_names_the_accounts_that_differ_and_refuses_a_crafted_file() {
    let (dir, db) = demo_db();
    let copy = dir.path().join("备份.db");
    assert!(bianmin(&db, &["backup", copy.to_str().unwrap()])
        .status
        .success());
    let sqlite = |file: &Path, sql: &str| {
        let out = Command::new("sqlite3").arg(file).arg(sql).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    sqlite(&copy, "INSERT INTO account (username, display_name, roles, password_hash, created_at) SELECT 'houmen', '后门', '管理员', password_hash, created_at FROM account LIMIT 1;");
    let out = bianmin(&db, &["restore", copy.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("houmen：将恢复（仅备份中有）"), "{stderr}");
    assert!(
        stderr.find("houmen").unwrap() < stderr.find("已从").unwrap(),
        "said before: {stderr}"
    );

    let crafted = dir.path().join("crafted.db");
    assert!(bianmin(&db, &["backup", crafted.to_str().unwrap()])
        .status
        .success());
    sqlite(&crafted, "CREATE TRIGGER hide AFTER INSERT ON audit_log BEGIN DELETE FROM audit_log WHERE id = NEW.id; END;");
    assert_refused(&db, &["restore", crafted.to_str().unwrap()], "FILE");
}

/// Issue 17, point 6: `init --demo` adds the demo accounts (published password) only to a demo
/// database: never to one holding real accounts or requests (exit 2 naming --demo, nothing
/// changed); a database an earlier version's `init --demo` made (its accounts exactly the
/// demo's) still counts, so `run.sh` keeps working on an existing install.
#[test]
fn init_demo_refuses_a_real_database_and_keeps_working_on_a_demo_one() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.db");
    assert!(bianmin(&real, &["init"]).status.success());
    let out = Command::new(env!("CARGO_BIN_EXE_bianmin"))
        .args([
            "--db",
            real.to_str().unwrap(),
            "account",
            "add",
            "--username",
            "zhangsan",
            "--name",
            "张三",
            "--role",
            "管理员",
        ])
        .env("BIANMIN_PASSWORD", "Xiangzhen#Hall9")
        .env("BIANMIN_TODAY", "2026-11-28")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_refused(&real, &["init", "--demo"], "--demo");
    let accounts = run_json(&real, &["account", "list", "--json"]);
    assert_eq!(accounts.as_array().unwrap().len(), 1, "{accounts}");

    // A demo database: again and again, nothing twice.
    let (_d, demo) = demo_db();
    assert!(bianmin(&demo, &["init", "--demo", "--history", "0"])
        .status
        .success());
    // One an earlier version made: no mark, its accounts exactly the demo's.
    let out = Command::new("sqlite3")
        .arg(&demo)
        .arg("DELETE FROM demo_mark;")
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = bianmin(&demo, &["init", "--demo", "--history", "0"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: Vec<String> = run_json(&demo, &["account", "list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");
    // Every demo account must change its password at first login.
    let accounts = run_json(&demo, &["account", "list", "--json"]);
    assert!(
        accounts
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["must_change_password"] == true),
        "{accounts}"
    );
}

/// Issue 17, point 4: `form --kind closing` prints the town's 日结单 with the audit head that
/// `audit verify --expect` then accepts; a request number, an unknown town or a bad date is bad
/// input naming it, and changes nothing.
#[test]
fn the_closing_sheet_prints_a_head_that_audit_verify_accepts() {
    let (dir, db) = demo_db();
    intake(&db, &["--item", "MZ-001", "--staff", "DF0013"]);
    let out = dir.path().join("日结单.pdf");
    let form = run_json(
        &db,
        &[
            "form",
            "--kind",
            "closing",
            "--town",
            "东风镇",
            "--on",
            "2026-11-28",
            "--out",
            out.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(
        form["form_no"]
            .as_str()
            .unwrap()
            .starts_with("RJ-DF-20261128"),
        "{form}"
    );
    let text = Command::new("pdftotext")
        .arg(&out)
        .arg("-")
        .output()
        .unwrap();
    let text: String = String::from_utf8_lossy(&text.stdout)
        .split_whitespace()
        .collect();
    let at = text
        .find("--expect")
        .expect("the sheet says how to check it");
    let head: String = text[at + "--expect".len()..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit() || *c == ':' || c.is_ascii_digit())
        .collect();
    assert!(head.contains(':') && head.len() > 64, "{head}");
    intake(&db, &["--item", "MZ-001", "--staff", "DF0013"]);
    let v = run_json(&db, &["audit", "verify", "--json", "--expect", &head]);
    assert_eq!(v["ok"], true, "{v}");
    let o = out.to_str().unwrap();
    assert_refused(
        &db,
        &["form", "--kind", "closing", "DF-20261128-0001", "--out", o],
        "办件编号",
    );
    assert_refused(
        &db,
        &[
            "form",
            "--kind",
            "closing",
            "--town",
            "不存在镇",
            "--out",
            o,
        ],
        "--town",
    );
    assert_refused(
        &db,
        &[
            "form",
            "--kind",
            "closing",
            "--on",
            "2026-02-30",
            "--out",
            o,
        ],
        "--on",
    );
}

/// Issue 17 point 2 through the command line: `retention show` says nothing is removed until a
/// period is set; `retention run` is refused before one is; bad periods exit 2 naming `--years`
/// and change nothing; `--dry-run` says what it would change and changes nothing; the run masks
/// the ended request's numbers, audited, and the full number still finds it.
#[test]
fn retention_is_set_dry_run_and_run_from_the_command_line() {
    let (_dir, db) = demo_db();
    let id = id_number("52020319850312123");
    let taken = intake(
        &db,
        &[
            "--item",
            "MZ-001",
            "--staff",
            "DF0013",
            "--phone",
            "13900001111",
        ],
    );
    let no = taken["number"].as_str().unwrap().to_string();
    let out = bianmin(&db, &["request", "withdraw", &no, "--staff", "DF0013"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let unset = bianmin(&db, &["retention", "show"]);
    assert!(String::from_utf8_lossy(&unset.stdout).contains("尚未设置个人信息留存期限"));
    assert_refused(&db, &["retention", "run"], "--years");
    assert_refused(&db, &["retention", "run", "--dry-run"], "--years");
    for bad in ["0", "31", "-1", "abc", "1.5", ""] {
        assert_refused(&db, &["retention", "set", "--years", bad], "--years");
    }
    assert_refused(&db, &["retention", "set"], "--years");

    let set = bianmin(&db, &["retention", "set", "--years", "1"]);
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let a_year_on = |args: &[&str]| bianmin_on(&db, "2027-11-28", args);
    let before = std::fs::read(&db).unwrap();
    let dry = a_year_on(&["retention", "run", "--dry-run", "--json"]);
    let dry: Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(dry["requests"], 1, "{dry}");
    assert_eq!(dry["numbers"], serde_json::json!([no]));
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the dry run changed the file"
    );

    let ran = a_year_on(&["retention", "run"]);
    let said = String::from_utf8_lossy(&ran.stdout);
    assert!(
        ran.status.success() && said.contains("已处理 1 件"),
        "{said}"
    );
    let shown: Value =
        serde_json::from_slice(&a_year_on(&["request", "show", &no, "--json"]).stdout).unwrap();
    assert_eq!(shown["retained_on"], "2027-11-28");
    assert_eq!(
        shown["applicant_id_masked"],
        format!("5202**********{}", &id[14..])
    );
    assert_eq!(shown["phone_masked"], "139****1111");
    let found: Value =
        serde_json::from_slice(&a_year_on(&["request", "list", "--search", &id, "--json"]).stdout)
            .unwrap();
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    let verify: Value =
        serde_json::from_slice(&a_year_on(&["audit", "verify", "--json"]).stdout).unwrap();
    assert_eq!(verify["ok"], true);
    let status: Value =
        serde_json::from_slice(&a_year_on(&["retention", "show", "--json"]).stdout).unwrap();
    assert_eq!(
        (status["retained"].clone(), status["due"].clone()),
        (1.into(), 0.into())
    );
}

/// Issue 19: `queue take --slip FILE [--width 58|80]` writes the ticket's 取号凭条 as a PDF of
/// the paper's width (80 mm by default) whose text has the number; a width other than 58 or 80,
/// or a width without a slip, exits 2 naming `--width` in Chinese before anything is taken: the
/// waiting-room screen and the day's figures show no new ticket and no file is written.
#[test]
fn queue_take_writes_the_slip_and_a_bad_width_takes_no_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("front.db");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_bianmin"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("BIANMIN_NOW", "2026-11-30T09:05")
            .env_remove("BIANMIN_TODAY")
            .env_remove("BIANMIN_DB")
            .output()
            .unwrap()
    };
    assert_eq!(
        run(&["init", "--demo", "--history", "0"]).status.code(),
        Some(0)
    );
    let take = |extra: &[&str]| {
        let mut args = vec!["queue", "take", "--town", "东风镇", "--post", "民政窗口"];
        args.extend_from_slice(extra);
        args.push("--json");
        run(&args)
    };
    let points = |path: &Path| -> f32 {
        let out = Command::new("pdfinfo").arg(path).output().unwrap();
        let info = String::from_utf8(out.stdout).unwrap();
        let size = info
            .lines()
            .find_map(|l| l.strip_prefix("Page size:"))
            .unwrap_or_else(|| panic!("{info}"));
        size.split_whitespace().next().unwrap().parse().unwrap()
    };
    let mut taken = Vec::new();
    for (width, mm) in [(Some("58"), 58.0), (None, 80.0)] {
        let file = dir.path().join(format!("slip-{mm}.pdf"));
        let mut extra = vec!["--slip", file.to_str().unwrap()];
        if let Some(w) = width {
            extra.extend(["--width", w]);
        }
        let out = take(&extra);
        let answer = json(&out);
        let ticket = answer["ticket"].as_str().unwrap().to_string();
        let text = pdftotext(&file);
        for want in [
            ticket.as_str(),
            "民政窗口",
            "前面还有",
            "东风镇便民服务中心",
        ] {
            assert!(text.contains(want), "{mm} mm: {want} not in {text}");
        }
        let w = points(&file);
        assert!((w - mm / 25.4 * 72.0).abs() <= 1.0, "{mm} mm: {w} pt");
        assert!(String::from_utf8_lossy(&out.stderr).contains("取号凭条"));
        taken.push(ticket);
    }
    assert_eq!(taken, ["B001", "B002"]);
    // Refused before the ticket: a width of no thermal paper, or a width without a slip.
    let bad = dir.path().join("bad.pdf");
    for extra in [
        vec!["--slip", bad.to_str().unwrap(), "--width", "72"],
        vec!["--width", "58"],
    ] {
        let out = take(&extra);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--width") && err.contains("纸宽"), "{err}");
    }
    assert!(!bad.exists());
    let board = json(&run(&["queue", "board", "--town", "东风镇", "--json"]));
    let b = &board["posts"][1];
    assert_eq!(b["post"], "民政窗口");
    assert_eq!(b["waiting"], 2, "{board}");
    assert_eq!(b["next"], serde_json::json!(["B001", "B002"]));
    let stats = json(&run(&["queue", "stats", "--town", "东风镇", "--json"]));
    assert_eq!(stats["tickets"], 2, "{stats}");
}

/// `queue`, `rating` and `followup` as DESIGN.md's contract has them, on a demo file with the
/// clock fixed (`BIANMIN_NOW`): tickets in the 绿色通道's order, a call, a finish linking a
/// request, the day's figures; a 差评 opening a follow-up due in five working days, closed by
/// the leader; bad input exits 2 naming the flag and changes nothing; outside hours a ticket is
/// refused politely.
#[test]
fn the_queue_and_ratings_follow_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("front.db");
    let run = |now: &str, args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_bianmin"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("BIANMIN_NOW", now)
            .env_remove("BIANMIN_TODAY")
            .env_remove("BIANMIN_DB")
            .output()
            .unwrap()
    };
    let json_of = |out: &std::process::Output| -> serde_json::Value {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let made = run("2026-11-30T08:00", &["init", "--demo", "--history", "0"]);
    assert_eq!(made.status.code(), Some(0));
    let take = |now: &str, extra: &[&str]| {
        let mut args = vec![
            "queue",
            "take",
            "--town",
            "东风镇",
            "--post",
            "民政窗口",
            "--json",
        ];
        args.extend_from_slice(extra);
        run(now, &args)
    };
    let first = json_of(&take("2026-11-30T09:00", &[]));
    assert_eq!(
        (first["ticket"].as_str(), first["waiting"].as_u64()),
        (Some("B001"), Some(0))
    );
    let elder = json_of(&take("2026-11-30T09:01", &["--priority"]));
    assert_eq!(elder["priority"], "绿色通道");
    assert_eq!(elder["waiting"], 0);
    // Refused: outside hours (politely, naming the post), an unknown post or priority.
    for (now, extra, flag) in [
        ("2026-11-30T12:30", vec![], "--post"),
        ("2026-11-30T10:00", vec!["--priority", "VIP"], "--priority"),
    ] {
        let out = take(now, &extra);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(flag), "{err}");
    }
    let called = json_of(&run(
        "2026-11-30T09:05",
        &["queue", "call", "--staff", "DF0014", "--json"],
    ));
    assert_eq!(called["ticket"], "B002");
    assert_eq!(called["post"], "民政窗口");
    assert!(called["counter"].as_u64().unwrap() >= 1);
    let taken = json_of(&run(
        "2026-11-30T09:10",
        &[
            "request",
            "new",
            "--staff",
            "DF0014",
            "--item",
            "MZ-001",
            "--name",
            "王芳",
            "--id",
            "11010519491231002X",
            "--json",
        ],
    ));
    let number = taken["number"].as_str().unwrap();
    let finished = run(
        "2026-11-30T09:15",
        &[
            "queue",
            "finish",
            "--staff",
            "DF0014",
            "--request",
            number,
            "--json",
        ],
    );
    assert_eq!(json_of(&finished)["requests"][0], number);
    let stats = json_of(&run(
        "2026-11-30T09:20",
        &["queue", "stats", "--town", "东风镇", "--json"],
    ));
    assert_eq!(
        (stats["tickets"].as_u64(), stats["served"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(stats["wait_p50_s"], 240);
    assert!(stats["hours"].is_array());
    // The waiting-room screen: B001 waits, B002 was served; at lunch it says when to come.
    let board = json_of(&run(
        "2026-11-30T09:21",
        &["queue", "board", "--town", "东风镇", "--json"],
    ));
    assert_eq!(board["open"], true);
    let b = &board["posts"][1];
    assert_eq!(
        (b["post"].as_str(), b["waiting"].as_u64()),
        (Some("民政窗口"), Some(1))
    );
    assert_eq!(b["next"][0], "B001");
    let lunch = run("2026-11-30T12:30", &["queue", "board", "--town", "东风镇"]);
    assert!(String::from_utf8_lossy(&lunch.stdout).contains("14:00"));

    // Ratings: a bad grade exits 2 naming --grade and records nothing.
    let bad = run(
        "2026-11-30T09:30",
        &["rating", "add", "--request", number, "--grade", "6"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--grade"));
    let listed = json_of(&run("2026-11-30T09:31", &["rating", "list", "--json"]));
    assert_eq!(listed, serde_json::json!([]));
    let rated = json_of(&run(
        "2026-11-30T09:32",
        &[
            "rating",
            "add",
            "--request",
            number,
            "--grade",
            "2",
            "--reason",
            "等候时间长",
            "--json",
        ],
    ));
    assert_eq!(rated["due"], "2026-12-07");
    let id = rated["followup_id"].as_i64().unwrap().to_string();
    let listed = json_of(&run(
        "2026-11-30T09:33",
        &["rating", "list", "--town", "东风镇", "--bad", "--json"],
    ));
    assert_eq!(listed[0]["followup_id"].as_i64().unwrap().to_string(), id);
    let garbage = run(
        "2026-11-30T10:00",
        &[
            "followup",
            "close",
            "x",
            "--staff",
            "DF0004",
            "--result",
            "已答复",
        ],
    );
    assert_eq!(garbage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&garbage.stderr).contains("回访编号"));
    let closed = run(
        "2026-11-30T10:00",
        &[
            "followup",
            "close",
            &id,
            "--staff",
            "DF0004",
            "--result",
            "已电话答复",
        ],
    );
    assert_eq!(
        closed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&closed.stderr)
    );
    let listed = json_of(&run(
        "2026-11-30T10:01",
        &["rating", "list", "--bad", "--json"],
    ));
    assert_eq!(listed[0]["closed"], true);
    // A malformed clock is refused naming it.
    let out = run("tomorrow", &["queue", "stats", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("BIANMIN_NOW"));
}

/// Issue 19: `device open|list|close` and `followup period` on a file. Opening prints the link
/// with the token once (only its hash is kept); a bad kind, a pad without its counter's clerk or
/// an empty name exits 2 naming the flag and opens nothing; a closed device is marked so. The
/// follow-up period is read and set; an impossible one exits 2 naming `--days` and changes
/// nothing.
#[test]
fn devices_open_list_and_close_and_the_follow_up_period_is_set_with_bad_flags_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("devices.db");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_bianmin"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("BIANMIN_NOW", "2026-11-30T08:30")
            .env_remove("BIANMIN_TODAY")
            .env_remove("BIANMIN_DB")
            .output()
            .unwrap()
    };
    assert_eq!(
        run(&["init", "--demo", "--history", "0"]).status.code(),
        Some(0)
    );
    let listed = || json(&run(&["device", "list", "--json"]));
    for (args, flag) in [
        (vec!["--kind", "tv", "--label", "大屏"], "kind"),
        (vec!["--kind", "pad", "--label", "评价器"], "staff"),
        (vec!["--kind", "screen", "--label", " "], "label"),
        (
            vec!["--kind", "kiosk", "--label", "取号机", "--staff", "DF0013"],
            "staff",
        ),
    ] {
        let mut all = vec!["device", "open"];
        all.extend(args.iter());
        let out = run(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(flag), "{args:?}: {err}");
    }
    assert_eq!(listed(), serde_json::json!([]));

    let out = run(&[
        "device",
        "open",
        "--kind",
        "pad",
        "--label",
        "综合窗口评价器",
        "--staff",
        "DF0013",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    let token = said
        .split("#device=")
        .nth(1)
        .map(|t| t.trim().to_string())
        .unwrap_or_else(|| panic!("{said}"));
    assert_eq!(token.len(), 64, "{said}");
    assert!(said.contains("/hall/pad#device="), "{said}");
    let devices = listed();
    assert_eq!(devices[0]["kind"], "pad");
    assert_eq!(devices[0]["staff_no"], "DF0013");
    // The token is shown once and kept nowhere: not in the list, not in the database file.
    assert!(!devices.to_string().contains(&token));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let kept: String = conn
        .query_row("SELECT token_hash FROM device", [], |r| r.get(0))
        .unwrap();
    assert_ne!(kept, token);
    let id = devices[0]["id"].to_string();
    assert_eq!(run(&["device", "close", &id]).status.code(), Some(0));
    assert!(listed()[0]["closed_at"].is_string());
    assert_eq!(run(&["device", "close", &id]).status.code(), Some(2));
    assert_eq!(run(&["device", "close", "abc"]).status.code(), Some(2));

    let period = |extra: &[&str]| {
        let mut args = vec!["followup", "period", "--town", "东风镇"];
        args.extend_from_slice(extra);
        args.push("--json");
        run(&args)
    };
    assert_eq!(json(&period(&[]))["days"], 5);
    for bad in ["0", "31", "五"] {
        let out = period(&["--days", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--days"));
        assert_eq!(json(&period(&[]))["days"], 5);
    }
    assert_eq!(json(&period(&["--days", "10"]))["days"], 10);
    assert_eq!(json(&period(&[]))["days"], 10);
}

/// Issue 20: `report --town T --from D --to D --json` over the demo's four weeks: completed is
/// on time plus late; every figure equals the length of the list `--figure` gives (overall, and
/// for each post and department); the departments are ranked by their score; bad dates, a range
/// backwards, an unknown figure or group exit 2 naming the flag.
#[test]
fn the_report_adds_up_and_every_figure_opens_its_list() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("report.db");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_bianmin"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("BIANMIN_TODAY", "2026-11-30")
            .env_remove("BIANMIN_NOW")
            .env_remove("BIANMIN_DB")
            .output()
            .unwrap()
    };
    assert_eq!(run(&["init", "--demo"]).status.code(), Some(0));
    let range = [
        "--town",
        "东风镇",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
    ];
    let report = |extra: &[&str]| {
        let mut args = vec!["report"];
        args.extend_from_slice(&range);
        args.extend_from_slice(extra);
        args.push("--json");
        json(&run(&args))
    };
    let r = report(&[]);
    assert!(r["received"].as_u64().unwrap() > 0, "{r}");
    assert_eq!(
        r["completed"].as_u64(),
        Some(r["on_time"].as_u64().unwrap() + r["late"].as_u64().unwrap())
    );
    for key in [
        "town",
        "from",
        "to",
        "received",
        "accepted",
        "completed",
        "on_time",
        "late",
        "overdue_now",
        "by_department",
        "by_post",
        "by_clerk",
    ] {
        assert!(!r[key].is_null(), "{key} missing");
    }
    let length = |figure: &str, group: Option<String>| {
        let mut extra = vec!["--figure", figure];
        let g;
        if let Some(group) = group {
            g = group;
            extra.extend(["--group", g.as_str()]);
        }
        report(&extra).as_array().map(Vec::len).unwrap()
    };
    for figure in [
        "received",
        "accepted",
        "completed",
        "on_time",
        "early",
        "late",
        "on_the_spot",
        "refused",
        "forwarded",
        "answered",
        "open",
        "overdue_now",
    ] {
        assert_eq!(
            Some(length(figure, None) as u64),
            r[figure].as_u64(),
            "{figure}"
        );
    }
    for p in r["by_post"].as_array().unwrap() {
        let key = p["key"].as_str().unwrap();
        for figure in ["received", "completed", "late"] {
            assert_eq!(
                Some(length(figure, Some(format!("post={key}"))) as u64),
                p[figure].as_u64(),
                "{key} {figure}"
            );
        }
    }
    let departments = r["by_department"].as_array().unwrap();
    assert!(!departments.is_empty(), "the demo forwards requests");
    for d in departments {
        let key = d["department"].as_str().unwrap();
        assert_eq!(
            Some(length("forwarded", Some(format!("department={key}"))) as u64),
            d["forwarded"].as_u64()
        );
    }
    let scores: Vec<i64> = departments
        .iter()
        .map(|d| d["score"].as_i64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(r["department_score"].as_str().unwrap().contains("得分"));
    // Rates carry both numbers.
    let on_time_rate = r["rates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["key"] == "on_time_rate")
        .unwrap();
    assert_eq!(on_time_rate["numerator"], r["on_time"]);
    assert_eq!(on_time_rate["denominator"], r["completed"]);
    // The text says the same figures.
    let mut args = vec!["report"];
    args.extend_from_slice(&range);
    let text = String::from_utf8(run(&args).stdout).unwrap();
    assert!(text.contains(&format!("收件 {}", r["received"])), "{text}");

    for (extra, flag) in [
        (vec!["--from", "2026-13-01", "--to", "2026-11-30"], "from"),
        (vec!["--from", "2026-11-30", "--to", "2026-11-01"], "to"),
        (
            vec![
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
                "--figure",
                "奇怪",
            ],
            "figure",
        ),
        (
            vec![
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
                "--figure",
                "late",
                "--group",
                "post",
            ],
            "group",
        ),
        (
            vec![
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
                "--figure",
                "late",
                "--group",
                "floor=1",
            ],
            "group",
        ),
    ] {
        let mut args = vec!["report", "--town", "东风镇"];
        args.extend(extra.iter());
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(flag),
            "{extra:?}"
        );
    }
}

/// Issue 20, point 4: `report --pdf FILE` and `report --xlsx FILE` write the A4 report and the
/// workbook (0600, written aside and moved into place, a Chinese line on stderr, nothing on
/// stdout) with the figures `--json` gives: the PDF read back with pdftotext (each figure, each
/// rate with both numbers, each department's score, the score's rule), the workbook with
/// calamine (each figure, each rate's numerator and denominator, each department's score). Each
/// excludes `--json`, `--figure` and the other (exit 2); a folder that does not exist exits 2
/// naming the flag and writes nothing.
#[test]
fn the_report_prints_as_pdf_and_workbook_with_the_figures_of_json() {
    use bianmin_core::report::Figure;
    use calamine::{Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("report.db");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_bianmin"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("BIANMIN_TODAY", "2026-11-30")
            .env_remove("BIANMIN_NOW")
            .env_remove("BIANMIN_DB")
            .output()
            .unwrap()
    };
    assert_eq!(run(&["init", "--demo"]).status.code(), Some(0));
    let range = [
        "report",
        "--town",
        "东风镇",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
    ];
    let with = |extra: &[&str]| {
        let mut args = range.to_vec();
        args.extend_from_slice(extra);
        run(&args)
    };
    let r = json(&with(&["--json"]));
    let n = |key: &str| r[key].as_u64().unwrap_or_else(|| panic!("{key} in {r}"));
    assert!(n("late") > 0 && n("overdue_now") > 0, "{r}");
    let departments = r["by_department"].as_array().unwrap();
    assert!(!departments.is_empty());

    let pdf = dir.path().join("绩效.pdf");
    let out = with(&["--pdf", pdf.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains("已导出办件绩效报表-JX-DF-20261101-20261130.pdf")
            && stderr.contains("绩效.pdf"),
        "{stderr}"
    );
    assert_eq!(mode(&pdf), 0o600);
    let layout = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/setup.sh)");
    assert!(layout.status.success());
    // Spaces dropped: pdftotext's spacing follows the glyphs' places, not the text printed.
    let text: String = String::from_utf8(layout.stdout)
        .unwrap()
        .split_whitespace()
        .collect();
    let mut wants = vec![
        format!(
            "收件{}，受理{}，办结{}（按时办结{}，",
            n("received"),
            n("accepted"),
            n("completed"),
            n("on_time")
        ),
        format!("超期办结{}）", n("late")),
        format!("当前超期{}；", n("overdue_now")),
    ];
    for x in r["rates"].as_array().unwrap() {
        let p = x["permille"].as_u64().unwrap();
        wants.push(format!(
            "{}{}.{}%（{}/{}）",
            x["label"].as_str().unwrap(),
            p / 10,
            p % 10,
            x["numerator"],
            x["denominator"]
        ));
    }
    for d in departments {
        let days = |k: &str| d[k].as_i64().map_or("—".to_string(), |v| v.to_string());
        wants.push(format!(
            "{}{}{}{}{}{}{}{}",
            d["department"].as_str().unwrap(),
            d["forwarded"],
            d["answered"],
            d["answered_on_time"],
            days("median_days"),
            days("p90_days"),
            d["overdue_now"],
            d["score"]
        ));
    }
    let rule: String = r["department_score"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .collect();
    wants.push(rule);
    for o in r["overdue"].as_array().unwrap() {
        wants.push(o["number"].as_str().unwrap().to_string());
    }
    for want in &wants {
        assert!(text.contains(want.as_str()), "missing {want:?} in\n{text}");
    }

    let book_file = dir.path().join("绩效.xlsx");
    let out = with(&["--xlsx", book_file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains("已导出") && stderr.contains("绩效.xlsx"),
        "{stderr}"
    );
    assert_eq!(mode(&book_file), 0o600);
    let mut book: Xlsx<_> = calamine::open_workbook(&book_file).unwrap();
    let overview = book.worksheet_range("总览").unwrap();
    let row_of = |range: &calamine::Range<Data>, label: &str| {
        range
            .rows()
            .find(|row| row.first() == Some(&Data::String(label.to_string())))
            .unwrap_or_else(|| panic!("no row {label}"))
            .to_vec()
    };
    let float = |v: &Value| Data::Float(v.as_f64().unwrap());
    for f in Figure::ALL {
        assert_eq!(row_of(&overview, f.label())[1], float(&r[f.key()]), "{f:?}");
    }
    for x in r["rates"].as_array().unwrap() {
        let row = row_of(&overview, x["label"].as_str().unwrap());
        assert_eq!(row[2], float(&x["numerator"]));
        assert_eq!(row[3], float(&x["denominator"]));
    }
    let sheet = book.worksheet_range("转报部门").unwrap();
    for d in departments {
        let row = row_of(&sheet, d["department"].as_str().unwrap());
        assert_eq!(row[1], float(&d["forwarded"]));
        assert_eq!(row[7], float(&d["score"]));
    }
    assert!(sheet.rows().any(|row| row[0]
        == Data::String(format!(
            "评分方法：{}",
            r["department_score"].as_str().unwrap()
        ))));
    let overdue = book.worksheet_range("超期办件").unwrap();
    assert_eq!(overdue.height() as u64, 1 + n("overdue_now"));
    for e in dir.path().read_dir().unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        assert!(!name.ends_with(".part"), "{name} left aside");
    }

    // Refused before anything is read or written: the flags that exclude each other, and a
    // folder that does not exist.
    let fresh = dir.path().join("新.pdf");
    let fresh_xlsx = dir.path().join("新.xlsx");
    let (p, x) = (fresh.to_str().unwrap(), fresh_xlsx.to_str().unwrap());
    let missing = dir.path().join("没有这个文件夹");
    let (mp, mx) = (
        missing.join("r.pdf").to_str().unwrap().to_string(),
        missing.join("r.xlsx").to_str().unwrap().to_string(),
    );
    for (extra, flag) in [
        (vec!["--pdf", p, "--json"], "--json"),
        (vec!["--pdf", p, "--xlsx", x], "--xlsx"),
        (vec!["--xlsx", x, "--figure", "late"], "--figure"),
        (vec!["--pdf", p, "--figure", "late"], "--figure"),
        (vec!["--pdf", mp.as_str()], "--pdf"),
        (vec!["--xlsx", mx.as_str()], "--xlsx"),
    ] {
        let out = with(&extra);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {stderr}");
        assert!(stderr.contains(flag), "{extra:?}: {stderr}");
        assert!(
            !fresh.exists() && !fresh_xlsx.exists() && !missing.exists(),
            "{extra:?}"
        );
    }
}
