//! Service-level tests of requests against a real (in-memory) SQLite store.

use chrono::NaiveDate;

use super::*;
use crate::identity::with_check_char;
use crate::store::{count_rows, SqliteStore, Store};
use crate::Error;

const NOW: chrono::NaiveDateTime = chrono::NaiveDate::from_ymd_opt(2026, 11, 28)
    .unwrap()
    .and_hms_opt(10, 0, 0)
    .unwrap();

fn demo() -> SqliteStore {
    let mut s = SqliteStore::open_in_memory().unwrap();
    crate::demo::load(&mut s, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).unwrap();
    s
}

fn input(materials: Option<Vec<&str>>) -> NewRequest {
    NewRequest {
        staff: "DF0013".into(),
        item: "MZ-001".into(),
        name: "王喆赟".into(),
        id: Some(with_check_char("52020319850312123")),
        phone: Some("13812345678".into()),
        materials: materials.map(|m| m.into_iter().map(String::from).collect()),
        ..Default::default()
    }
}

#[test]
fn no_full_id_or_phone_reaches_the_audit_log_or_the_timeline() {
    let mut s = demo();
    let d = new_request(&mut s, &input(None), NOW).unwrap();
    let full = with_check_char("52020319850312123");
    let dump = s.dump_table_for_tests("audit_log") + &s.dump_table_for_tests("request_event");
    assert!(!dump.is_empty());
    assert!(!dump.contains(&full), "a full ID in the audit log: {dump}");
    assert!(!dump.contains("13812345678"));
    assert!(dump.contains(&d.view.number));
    assert!(!format!("{d:?}").contains(&full));
}

#[test]
fn a_refused_step_changes_nothing_but_the_audit_log() {
    let mut s = demo();
    let d = new_request(&mut s, &input(None), NOW).unwrap();
    let no = d.view.number.clone();
    let audit_before = count_rows(&s, "audit_log");
    let events_before = count_rows(&s, "request_event");
    // A clerk may not approve.
    let err = step(&mut s, &no, "DF0013", &Step::Decide { approved: true }, NOW).unwrap_err();
    assert!(
        matches!(err, Error::Invalid { field: "staff", .. }),
        "{err:?}"
    );
    assert_eq!(
        show(&mut s, &no, d.view.created_on).unwrap().view.state,
        State::Accepted
    );
    assert_eq!(count_rows(&s, "request_event"), events_before);
    assert_eq!(
        count_rows(&s, "audit_log"),
        audit_before + 1,
        "the refusal is audited"
    );
    // An illegal transition writes nothing at all.
    let err = step(&mut s, &no, "DF0013", &Step::Pickup, NOW).unwrap_err();
    assert!(matches!(err, Error::Invalid { field: "state", .. }));
    assert_eq!(count_rows(&s, "audit_log"), audit_before + 1);
}

#[test]
fn a_consultation_records_no_applicant_id() {
    let mut s = demo();
    let d = consult(&mut s, "DF0013", "GA-201", Some("张三"), NOW).unwrap();
    assert_eq!(d.view.state, State::Consulted);
    assert_eq!(d.view.applicant_id_masked, None);
    assert!(d.view.alternative.unwrap().contains("派出所"));
}

#[test]
fn a_retired_clerk_cannot_take_in() {
    let mut s = demo();
    // DF0069 retired at the end of 2025; give them the clerk role to prove status is checked.
    s.write(|c| {
        let id = c.staff_profile("DF0069")?.unwrap().id;
        c.ensure_role(id, crate::staff::Role::Clerk)
    })
    .unwrap();
    let mut i = input(None);
    i.staff = "DF0069".into();
    let d = new_request(&mut s, &i, NOW).unwrap();
    assert_eq!(d.view.state, State::Refused);
    assert!(d.view.reason.unwrap().contains("不在岗"));
}
