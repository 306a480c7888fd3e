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
    let err = step(
        &mut s,
        &no,
        "DF0013",
        &Step::decide(true, "符合条件，同意。", Some(60_000)),
        NOW,
    )
    .unwrap_err();
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

/// Issue 16, defect 15: who acts is not the resident's business. A staff member who may not
/// take in (retired, or without the 窗口人员 role) is bad input naming `staff`: no request, no
/// number, nothing printable for the resident; only the audit log records the refused attempt.
#[test]
fn a_staff_member_who_may_not_take_in_is_bad_input_and_the_resident_gets_nothing() {
    let mut s = demo();
    // DF0069 retired at the end of 2025; give them the clerk role to prove status is checked.
    s.write(|c| {
        let id = c.staff_profile("DF0069")?.unwrap().id;
        c.ensure_role(id, crate::staff::Role::Clerk)
    })
    .unwrap();
    // DF0002 is an 审批人员 at work, not a 窗口人员.
    for (staff, why) in [("DF0069", "不在岗"), ("DF0002", "不是窗口人员")] {
        let requests = count_rows(&s, "request");
        let audit = count_rows(&s, "audit_log");
        let mut i = input(None);
        i.staff = staff.into();
        let err = new_request(&mut s, &i, NOW).unwrap_err();
        match &err {
            Error::Invalid { field, message } => {
                assert_eq!(*field, "staff", "{staff}");
                assert!(message.contains(why), "{staff}: {message}");
            }
            other => panic!("{staff}: {other:?}"),
        }
        assert_eq!(count_rows(&s, "request"), requests, "{staff}: no request");
        assert_eq!(count_rows(&s, "audit_log"), audit + 1, "{staff}: audited");
        let last = s.dump_table_for_tests("audit_log");
        assert!(last.contains("已拒绝"), "{staff}");
    }
    // A city-only item is still the resident's formal refusal (DESIGN.md, "The hall").
    let mut i = input(None);
    i.item = "GA-201".into();
    let d = new_request(&mut s, &i, NOW).unwrap();
    assert_eq!(d.view.state, State::Refused);
}

/// README: every step writes its answer to the request's timeline and to the audit log. Walks
/// requests of every mode through every step the lifecycle offers, and counts one timeline
/// entry and one audit record per step taken.
#[test]
fn every_step_taken_adds_one_timeline_entry_and_one_audit_record() {
    use crate::catalog::Mode;
    let mut s = demo();
    let items = s
        .read(|q| {
            let town = q.towns()?.into_iter().find(|t| t.name == "东风镇").unwrap();
            q.items(town.id)
        })
        .unwrap();
    let mut covered = std::collections::BTreeSet::new();
    let mut k = 0;
    for mode in [Mode::Delegated, Mode::Entrusted, Mode::Forward] {
        let item = items.iter().find(|i| i.mode == mode).unwrap();
        for (trial, complete) in (0..6).flat_map(|t| [(t, true), (t, false)]) {
            k += 1;
            let mut given = input(if complete { None } else { Some(vec![]) });
            given.item = item.code.clone();
            given.id = Some(with_check_char(&format!("52020319850312{:03}", k)));
            let d = new_request(&mut s, &given, NOW).unwrap();
            let no = d.view.number.clone();
            let mut view = d.view;
            let counts = |s: &mut SqliteStore, no: &str| {
                let audits = s.read(|q| q.audit_count(no)).unwrap();
                (show(s, no, NOW.date()).unwrap().timeline.len(), audits)
            };
            let mut before = counts(&mut s, &no);
            let mut turn = trial;
            // A step not taken yet where one is offered, else each offered step in turn;
            // never again one the authority check refused on this request.
            let mut refused_here = Vec::new();
            let pick = |view: &RequestView,
                        turn: usize,
                        covered: &std::collections::BTreeSet<String>,
                        refused: &[StepKind]| {
                let offered: Vec<StepKind> = view
                    .next_steps
                    .iter()
                    .copied()
                    .filter(|k| !refused.contains(k))
                    .collect();
                offered
                    .iter()
                    .copied()
                    .find(|k| !covered.contains(&format!("{k:?}")))
                    .or_else(|| offered.get(turn % offered.len().max(1)).copied())
            };
            while let Some(kind) = pick(&view, turn, &covered, &refused_here) {
                let (staff, this) = match kind {
                    StepKind::Accept => (
                        "DF0013",
                        Step::Accept {
                            materials: item.materials.iter().map(|m| m.name.clone()).collect(),
                        },
                    ),
                    StepKind::Refuse => (
                        "DF0013",
                        Step::Refuse {
                            reason: "材料不符".into(),
                        },
                    ),
                    StepKind::Forward => (
                        "DF0013",
                        Step::Forward {
                            department: None,
                            due: None,
                            reason: None,
                        },
                    ),
                    StepKind::Result => (
                        "DF0013",
                        Step::Result {
                            approved: trial % 2 == 0,
                        },
                    ),
                    StepKind::Decide => {
                        // A grant of an item that pays out names its amount.
                        let approved = trial % 2 == 0;
                        let pays = item.item_type == crate::domain::request::effect::PAYS_OUT;
                        (
                            "DF0002",
                            Step::decide(
                                approved,
                                "依据审核结果。",
                                (approved && pays).then_some(80_000),
                            ),
                        )
                    }
                    StepKind::Complete => ("DF0013", Step::Complete),
                    StepKind::Pickup => ("DF0013", Step::Pickup),
                    StepKind::Withdraw => ("DF0013", Step::Withdraw),
                };
                let taken = step(&mut s, &no, staff, &this, NOW);
                let after = counts(&mut s, &no);
                turn += 1;
                assert!(turn < 40, "{no} never ends");
                match taken {
                    Ok(d) => {
                        assert_eq!(
                            after,
                            (before.0 + 1, before.1 + 1),
                            "{:?} {kind:?} on {no}: timeline and audit must each grow by one",
                            item.mode
                        );
                        covered.insert(format!("{kind:?}"));
                        view = d.view;
                    }
                    // The lifecycle offers the step, the authority check refuses it here (a
                    // delegated item is not forwarded): only the refusal is recorded.
                    Err(Error::Invalid { .. }) => {
                        assert_eq!(
                            after,
                            (before.0, before.1 + 1),
                            "{kind:?} refused on {no}: only the audit log grows"
                        );
                        refused_here.push(kind);
                    }
                    Err(e) => panic!("{kind:?} on {no}: {e}"),
                }
                before = after;
            }
        }
    }
    assert_eq!(
        covered.len(),
        StepKind::ALL.len(),
        "steps never taken: {:?}",
        StepKind::ALL
            .iter()
            .map(|k| format!("{k:?}"))
            .filter(|k| !covered.contains(k))
            .collect::<Vec<_>>()
    );
}

/// A list holds the newest 200 and says when there are more, rather than stopping silently:
/// 200 requests today are all shown with `more` false; the 201st makes it true and pushes the
/// oldest off the page.
#[test]
fn a_list_of_more_than_two_hundred_says_so() {
    let mut s = demo();
    let today = NOW.date();
    let mut numbers = Vec::new();
    for _ in 0..super::service::LIST_LIMIT {
        numbers.push(new_request(&mut s, &input(None), NOW).unwrap().view.number);
    }
    let page = list_page(&mut s, Some("东风镇"), ListKind::Today, today).unwrap();
    assert_eq!((page.rows.len(), page.more, page.limit), (200, false, 200));
    let newest = new_request(&mut s, &input(None), NOW).unwrap().view.number;
    let page = list_page(&mut s, Some("东风镇"), ListKind::Today, today).unwrap();
    assert_eq!((page.rows.len(), page.more), (200, true));
    assert_eq!(page.rows[0].number, newest);
    assert!(
        !page.rows.iter().any(|r| r.number == numbers[0]),
        "the oldest is still shown"
    );
    // The plain list is the same rows.
    let plain = list(&mut s, Some("东风镇"), ListKind::Today, today).unwrap();
    assert_eq!(plain, page.rows);
}

/// 待审批 holds the accepted requests the township decides itself: a delegated item's, not an
/// accept-and-forward item's (which goes to its department), nor one already decided.
#[test]
fn the_pending_list_holds_what_the_township_decides() {
    let mut s = demo();
    let today = NOW.date();
    let take = |s: &mut SqliteStore, item: &str| {
        let mut i = input(None);
        i.item = item.into();
        new_request(s, &i, NOW).unwrap().view
    };
    let delegated = take(&mut s, "MZ-001");
    let forwarded = take(&mut s, "CL-101");
    assert_eq!(delegated.state, State::Accepted);
    assert_eq!(forwarded.state, State::Accepted, "{forwarded:?}");
    let decided = take(&mut s, "MZ-001");
    step(
        &mut s,
        &decided.number,
        "DF0002",
        &Step::decide(true, "符合条件，同意。", Some(60_000)),
        NOW,
    )
    .unwrap();
    let pending: Vec<String> = list(&mut s, Some("东风镇"), ListKind::Pending, today)
        .unwrap()
        .into_iter()
        .map(|v| v.number)
        .collect();
    assert_eq!(pending, [delegated.number]);
    assert!(matches!(
        ListKind::parse("list", "审批"),
        Err(Error::Invalid { field: "list", .. })
    ));
}
