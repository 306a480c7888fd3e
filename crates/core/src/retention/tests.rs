use chrono::NaiveDate;

use super::*;
use crate::request::{new_request, step, NewRequest, Step};
use crate::store::SqliteStore;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    day(s).and_hms_opt(10, 0, 0).unwrap()
}

const ID17: &str = "52020319850312013";

fn full_id() -> String {
    crate::identity::with_check_char(ID17)
}
const PHONE: &str = "13900001111";

/// A demo database with one request of `ID`, withdrawn on 2026-11-30.
fn withdrawn(path: &std::path::Path) -> (SqliteStore, String) {
    let mut s = SqliteStore::open(path).unwrap();
    crate::demo::load(&mut s, day("2026-11-30")).unwrap();
    let input = NewRequest {
        staff: "DF0013".into(),
        item: "MZ-001".into(),
        name: "张三".into(),
        id: Some(full_id()),
        phone: Some(PHONE.into()),
        ..Default::default()
    };
    let number = new_request(&mut s, &input, at("2026-11-30"))
        .unwrap()
        .view
        .number;
    step(&mut s, &number, "DF0013", &Step::Withdraw, at("2026-11-30")).unwrap();
    (s, number)
}

#[test]
fn a_period_is_whole_years_from_one_to_thirty_and_a_refusal_names_the_field() {
    for good in ["1", " 5 ", "30"] {
        assert_eq!(
            parse_years("years", good).unwrap(),
            good.trim().parse::<u32>().unwrap()
        );
    }
    for bad in ["0", "31", "", "abc", "1.5", "-1", "五"] {
        let e = parse_years("years", bad).unwrap_err();
        assert!(
            matches!(&e, Error::Invalid { field: "years", message } if message.contains("1 至 30")),
            "{bad}: {e:?}"
        );
    }
}

#[test]
fn the_cutoff_is_the_same_day_years_before_and_29_february_falls_to_the_28th() {
    assert_eq!(cutoff(day("2027-11-28"), 1), day("2026-11-28"));
    assert_eq!(cutoff(day("2036-01-01"), 10), day("2026-01-01"));
    assert_eq!(cutoff(day("2028-02-29"), 1), day("2027-02-28"));
    assert_eq!(cutoff(day("2028-02-29"), 4), day("2024-02-29"));
}

#[test]
fn the_id_key_depends_on_the_number_and_on_the_halls_key() {
    let key = "ab".repeat(32);
    let id = full_id();
    let a = id_key(&key, &id).unwrap();
    assert_eq!(a.len(), 64);
    assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(a, id_key(&key, &id).unwrap());
    assert_ne!(a, id_key(&"cd".repeat(32), &id).unwrap());
    assert_ne!(a, id_key(&key, "520203198503120148").unwrap());
}

#[test]
fn a_bad_period_and_a_dry_run_change_nothing_and_setting_one_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _) = withdrawn(&dir.path().join("r.db"));
    let records = s.verify_audit().unwrap().records;
    for bad in [0, 31] {
        let e = set_period(&mut s, Some(bad), Operator::CommandLine, at("2026-12-01")).unwrap_err();
        assert!(matches!(&e, Error::Invalid { field: "years", .. }), "{e:?}");
    }
    assert_eq!(s.verify_audit().unwrap().records, records);
    assert!(status(&mut s, day("2026-12-01")).unwrap().years.is_none());

    let set = set_period(&mut s, Some(2), Operator::CommandLine, at("2026-12-01")).unwrap();
    assert_eq!(set.years, Some(2));
    assert!(set.summary.contains("留存期限 2 年"), "{}", set.summary);
    let log = s.dump_table_for_tests("audit_log");
    let last = log.lines().last().unwrap();
    assert!(
        last.contains("retention_set") && last.contains("2 年") && last.contains("命令行"),
        "{last}"
    );

    let requests = s.dump_table_for_tests("request");
    let dry = run(&mut s, Operator::CommandLine, true, at("2028-11-30")).unwrap();
    assert_eq!((dry.dry_run, dry.requests), (true, 1));
    assert!(dry.summary.contains("将处理 1 件"), "{}", dry.summary);
    assert_eq!(s.dump_table_for_tests("request"), requests);
    assert_eq!(s.verify_audit().unwrap().records, records + 1);

    // Unset again: the run is refused, the request keeps its numbers.
    let off = set_period(&mut s, None, Operator::CommandLine, at("2026-12-02")).unwrap();
    assert!(off.years.is_none() && off.summary.contains("尚未设置"));
    assert!(run(&mut s, Operator::CommandLine, false, at("2040-01-01")).is_err());
    assert_eq!(s.dump_table_for_tests("request"), requests);
}

/// The full numbers are gone from the database file itself, not only from what it answers:
/// the old values do not linger in a page's free space or in the write-ahead log.
#[test]
fn after_a_run_the_file_holds_no_full_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let (mut s, number) = withdrawn(&path);
    set_period(&mut s, Some(1), Operator::CommandLine, at("2026-12-01")).unwrap();
    let held = |path: &std::path::Path| {
        let mut bytes = std::fs::read(path).unwrap();
        let wal = path.with_extension("db-wal");
        if let Ok(more) = std::fs::read(&wal) {
            bytes.extend(more);
        }
        let has = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        (has(&full_id()), has(PHONE))
    };
    assert_eq!(held(&path), (true, true), "the file held them before");
    let r = run(&mut s, Operator::CommandLine, false, at("2027-11-30")).unwrap();
    assert_eq!(r.requests, 1);
    assert_eq!(
        s.read(|q| q.request(&number))
            .unwrap()
            .unwrap()
            .retained
            .map(|r| (r.id_masked, r.phone_masked)),
        Some((
            Some(format!("5202**********{}", &full_id()[14..])),
            Some("139****1111".to_string())
        ))
    );
    drop(s);
    assert_eq!(held(&path), (false, false));
}
