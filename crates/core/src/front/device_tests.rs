use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::front::{call_next, done, followup_days, rate_visit, set_followup_days, take, Done};
use crate::request::{new_request, NewRequest};
use crate::store::{SqliteStore, Store};

/// 2026-11-30, a Monday, at `h:m`.
fn monday(h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 30)
        .unwrap()
        .and_hms_opt(h, m, 0)
        .unwrap()
}

fn demo(dir: &tempfile::TempDir) -> SqliteStore {
    let mut s = SqliteStore::open(&dir.path().join("devices.db")).unwrap();
    crate::demo::load(&mut s, monday(8, 0).date()).unwrap();
    s
}

/// A request taken in at 民政窗口 by DF0014 on Monday at 9:05.
fn an_intake(s: &mut SqliteStore) -> String {
    new_request(
        s,
        &NewRequest {
            staff: "DF0014".into(),
            item: "MZ-004".into(),
            name: "赵秀英".into(),
            id: Some(crate::identity::with_check_char("52242719400101002")),
            ..Default::default()
        },
        monday(9, 5),
    )
    .unwrap()
    .view
    .number
}

fn field_of(e: &Error) -> &'static str {
    match e {
        Error::Invalid { field, .. } => field,
        other => panic!("not bad input: {other:?}"),
    }
}

fn device_rows(s: &mut SqliteStore) -> usize {
    s.read(|q| q.devices()).unwrap().len()
}

fn audit_actions(s: &mut SqliteStore) -> Vec<String> {
    s.connection()
        .prepare("SELECT action FROM audit_log ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn a_device_session_opens_with_a_token_shown_once_and_ends_when_closed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo(&dir);
    let opened = open(
        &mut s,
        Some("东风镇"),
        "screen",
        None,
        "等候区大屏",
        "admin",
        monday(8, 30),
    )
    .unwrap();
    assert_eq!(opened.device.kind, DeviceKind::Screen);
    assert_eq!(opened.device.page, "/hall/screen");
    assert_eq!(opened.link, format!("/hall/screen#device={}", opened.token));
    // Only the hash is kept.
    let stored = s.read(|q| q.devices()).unwrap();
    assert_ne!(stored[0].token_hash, opened.token);
    let found = find(&mut s, &opened.token).unwrap();
    assert_eq!(
        (found.town.as_str(), found.kind),
        ("东风镇", DeviceKind::Screen)
    );
    // Anything else is no session: another token, a malformed one.
    for bad in [&"0".repeat(64), "abc", &opened.token.to_uppercase()] {
        assert!(
            matches!(find(&mut s, bad), Err(Error::NotLoggedIn)),
            "{bad}"
        );
    }
    let pad = open(
        &mut s,
        Some("东风镇"),
        "评价器",
        Some("DF0014"),
        "民政窗口评价器",
        "admin",
        monday(8, 31),
    )
    .unwrap();
    assert_eq!(
        find(&mut s, &pad.token).unwrap().staff_no.as_deref(),
        Some("DF0014")
    );
    assert_eq!(list(&mut s, Some("东风镇")).unwrap().len(), 2);
    let closed = close(&mut s, opened.device.id, "admin", monday(9, 0)).unwrap();
    assert!(closed.closed_at.is_some());
    assert!(matches!(
        find(&mut s, &opened.token),
        Err(Error::NotLoggedIn)
    ));
    assert_eq!(
        field_of(&close(&mut s, opened.device.id, "admin", monday(9, 1)).unwrap_err()),
        "id"
    );
    let actions = audit_actions(&mut s);
    assert_eq!(actions.iter().filter(|a| *a == "device_open").count(), 2);
    assert_eq!(actions.iter().filter(|a| *a == "device_close").count(), 1);
}

#[test]
fn a_device_with_a_bad_kind_label_or_counter_is_refused_naming_the_field_and_nothing_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo(&dir);
    let audits = audit_actions(&mut s).len();
    let cases: [(&str, Option<&str>, &str, &str); 6] = [
        ("tv", None, "大屏", "kind"),
        ("screen", None, "  ", "label"),
        ("screen", None, &"长".repeat(41), "label"),
        ("pad", None, "评价器", "staff"),
        ("kiosk", Some("DF0014"), "取号机", "staff"),
        ("pad", Some("ZC0001"), "评价器", "staff"),
    ];
    for (kind, staff, label, field) in cases {
        let e = open(
            &mut s,
            Some("东风镇"),
            kind,
            staff,
            label,
            "admin",
            monday(8, 0),
        )
        .unwrap_err();
        assert_eq!(field_of(&e), field, "{kind} {staff:?} {label}");
    }
    assert_eq!(device_rows(&mut s), 0);
    assert_eq!(audit_actions(&mut s).len(), audits);
}

#[test]
fn the_pad_offers_the_visit_just_finished_at_its_counter_until_it_is_rated() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo(&dir);
    let p = pad(&mut s, "DF0014", monday(9, 0)).unwrap();
    assert!(p.visit.is_none());
    assert!(!p.staff_name.is_empty() && p.counter.is_some());
    assert_eq!(p.grades.first().map(|g| g.0), Some(5));
    take(&mut s, Some("东风镇"), "民政窗口", None, monday(9, 0)).unwrap();
    take(&mut s, Some("东风镇"), "民政窗口", None, monday(9, 1)).unwrap();
    call_next(&mut s, "DF0014", monday(9, 2)).unwrap();
    let number = an_intake(&mut s);
    done(&mut s, "DF0014", Done::Finish, Some(&number), monday(9, 10)).unwrap();
    let p = pad(&mut s, "DF0014", monday(9, 11)).unwrap();
    let visit = p.visit.expect("the visit just finished");
    assert_eq!(visit.ticket, "B001");
    assert_eq!(visit.requests.len(), 1);
    assert_eq!(visit.requests[0].item_name, "高龄津贴申领");
    // Another counter's pad shows nothing; the visit is gone after its minutes.
    assert!(pad(&mut s, "DF0013", monday(9, 11))
        .unwrap()
        .visit
        .is_none());
    assert!(
        pad(&mut s, "DF0014", monday(9, 10 + PAD_MINUTES as u32 + 1))
            .unwrap()
            .visit
            .is_none()
    );
    crate::front::rate(&mut s, &number, 5, None, None, monday(9, 12)).unwrap();
    assert!(pad(&mut s, "DF0014", monday(9, 13))
        .unwrap()
        .visit
        .is_none());

    // A visit with no request is rated as the visit, once.
    call_next(&mut s, "DF0014", monday(9, 20)).unwrap();
    done(&mut s, "DF0014", Done::Finish, None, monday(9, 25)).unwrap();
    let visit = pad(&mut s, "DF0014", monday(9, 26)).unwrap().visit.unwrap();
    assert!(visit.requests.is_empty() && !visit.rated);
    let r = rate_visit(
        &mut s,
        Some("东风镇"),
        visit.ticket_id,
        2,
        Some("等候时间长"),
        None,
        monday(9, 27),
    )
    .unwrap();
    assert!(r.followup_id.is_some() && r.request.is_none());
    assert!(pad(&mut s, "DF0014", monday(9, 28))
        .unwrap()
        .visit
        .is_none());
    let e = rate_visit(
        &mut s,
        Some("东风镇"),
        visit.ticket_id,
        5,
        None,
        None,
        monday(9, 29),
    )
    .unwrap_err();
    assert_eq!(field_of(&e), "ticket");
}

#[test]
fn a_receipt_code_lets_its_request_be_rated_later_and_a_bare_or_forged_number_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo(&dir);
    let number = an_intake(&mut s);
    let key = s.read(|q| q.hall_key()).unwrap();
    let code = crate::forms::receipt_code(&key, &number);
    assert_eq!(receipt_request(&mut s, "东风镇", &code).unwrap(), number);
    for bad in [number.clone(), format!("{number}*AAAAAAAA")] {
        let e = receipt_request(&mut s, "东风镇", &bad).unwrap_err();
        assert_eq!(field_of(&e), "receipt", "{bad}");
    }
    // Another town's pad does not rate this town's request.
    let e = receipt_request(&mut s, "朱昌镇", &code).unwrap_err();
    assert_eq!(field_of(&e), "receipt");
}

#[test]
fn a_hall_sets_its_own_follow_up_period_and_a_bad_one_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo(&dir);
    let town = s
        .read(|q| crate::town::resolve_town(q, Some("东风镇")))
        .unwrap()
        .id;
    assert_eq!(
        s.read(|q| followup_days(q, town)).unwrap(),
        crate::front::FOLLOWUP_DAYS
    );
    for bad in [0, 31] {
        let e = set_followup_days(&mut s, Some("东风镇"), bad, monday(8, 0)).unwrap_err();
        assert_eq!(field_of(&e), "days");
        assert_eq!(s.read(|q| q.followup_period(town)).unwrap(), None);
    }
    set_followup_days(&mut s, Some("东风镇"), 10, monday(8, 0)).unwrap();
    let number = an_intake(&mut s);
    let r = crate::front::rate(&mut s, &number, 1, None, None, monday(10, 0)).unwrap();
    // Ten working days from Monday 2026-11-30: Monday 2026-12-14.
    assert_eq!(r.due, NaiveDate::from_ymd_opt(2026, 12, 14));
}
