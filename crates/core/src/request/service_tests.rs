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
                    StepKind::Extend => (
                        "DF0004",
                        Step::Extend {
                            days: 2,
                            reason: "需实地核查".into(),
                        },
                    ),
                    StepKind::Suspend => (
                        "DF0002",
                        Step::Suspend {
                            reason: "需专家评审".into(),
                            days: None,
                        },
                    ),
                    StepKind::Resume => ("DF0002", Step::Resume),
                    StepKind::Explain => (
                        "DF0013",
                        Step::Explain {
                            reason: "部门未按期答复".into(),
                        },
                    ),
                    StepKind::DeptAccept => ("DF0013", Step::DeptAccept { on: None }),
                    StepKind::Verify => (
                        "DF0002",
                        Step::Verify {
                            truthful: true,
                            reason: None,
                        },
                    ),
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
    // Every step but 逾期说明, which is offered only to a request past its due date (all of
    // these are taken on one day): `an_overdue_request_carries_its_reason` takes it.
    let never: Vec<String> = StepKind::ALL
        .iter()
        .map(|k| format!("{k:?}"))
        .filter(|k| !covered.contains(k))
        .collect();
    // 核查承诺 is offered only to a request with a pledge (none of these has one):
    // `a_pledge_stands_for_materials_and_a_false_one_revokes` takes it.
    assert_eq!(never, ["Explain", "Verify"], "steps never taken");
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

fn on(day: &str) -> chrono::NaiveDateTime {
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

/// Issue 16 point 7: an extension (行政许可法第四十二条) is approved by a 镇领导 only, once, and
/// moves the due date to `calendar due OLD_DUE N`; its notice becomes printable and the step is
/// offered no more. A refused or repeated extension changes nothing.
#[test]
fn an_extension_is_a_leaders_once_and_moves_the_due_date() {
    let mut s = demo();
    let d = new_request(&mut s, &input(None), NOW).unwrap().view;
    let old_due = d.due.unwrap();
    assert!(d.next_steps.contains(&StepKind::Extend));
    let extend = |days| Step::Extend {
        days,
        reason: "需入户核实家庭经济状况".into(),
    };
    // An 审批人员 may decide but not extend.
    let audit = count_rows(&s, "audit_log");
    let err = step(&mut s, &d.number, "DF0002", &extend(3), NOW).unwrap_err();
    match err {
        Error::Invalid { field, message } => {
            assert_eq!(field, "staff");
            assert!(message.contains("不是镇领导，不能批准延期"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        count_rows(&s, "audit_log"),
        audit + 1,
        "the refusal is audited"
    );
    let v = show(&mut s, &d.number, NOW.date()).unwrap().view;
    assert_eq!((v.due, v.extended_days), (Some(old_due), None));

    let v = step(&mut s, &d.number, "DF0004", &extend(3), NOW)
        .unwrap()
        .view;
    let want = crate::calendar::Calendar::builtin().due(old_due, 3).due;
    assert_eq!(v.due, Some(want));
    assert_eq!(want, NaiveDate::from_ymd_opt(2026, 12, 9).unwrap());
    assert_eq!(v.extended_days, Some(3));
    assert_eq!(
        v.extension_reason.as_deref(),
        Some("需入户核实家庭经济状况")
    );
    assert!(v.forms.contains(&FormKind::Extension), "{:?}", v.forms);
    assert!(!v.next_steps.contains(&StepKind::Extend));

    // Once only: the second is bad input and nothing is written.
    let (audit, events) = (count_rows(&s, "audit_log"), count_rows(&s, "request_event"));
    let err = step(&mut s, &d.number, "DF0004", &extend(2), NOW).unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field: "days", message } if message.contains("只能延长一次")),
        "{err:?}"
    );
    assert_eq!(
        (count_rows(&s, "audit_log"), count_rows(&s, "request_event")),
        (audit, events)
    );
    assert_eq!(
        show(&mut s, &d.number, NOW.date()).unwrap().view.due,
        Some(want)
    );
}

/// Issue 16 point 8: while the clock is stopped (第四十五条) the request is never overdue;
/// resuming moves the due date by the working days it stood still, and the days add up over
/// suspensions.
#[test]
fn a_suspension_stops_the_clock_and_resuming_moves_the_due_date() {
    let mut s = demo();
    let d = new_request(&mut s, &input(None), NOW).unwrap().view;
    assert_eq!(d.due, NaiveDate::from_ymd_opt(2026, 12, 4));
    let suspend = Step::Suspend {
        reason: "需委托第三方鉴定".into(),
        days: Some(5),
    };
    let v = step(&mut s, &d.number, "DF0002", &suspend, on("2026-11-30"))
        .unwrap()
        .view;
    assert_eq!(v.state, State::Suspended);
    assert_eq!(v.suspended_on, NaiveDate::from_ymd_opt(2026, 11, 30));
    assert_eq!(v.suspension_days, Some(5));
    assert!(v.forms.contains(&FormKind::Suspension));
    assert_eq!(
        v.next_steps,
        [StepKind::Resume, StepKind::Extend, StepKind::Withdraw]
    );
    // Weeks past the due date, a suspended request is not overdue, and it is in no overdue list.
    let late = NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
    let v = show(&mut s, &d.number, late).unwrap().view;
    assert!(!v.overdue && v.days_left.is_none(), "{v:?}");
    let overdue = list(&mut s, Some("东风镇"), ListKind::Overdue, late).unwrap();
    assert!(!overdue.iter().any(|r| r.number == d.number));
    // A clerk cannot resume; an approver can. (11-30, 12-07] holds five working days.
    assert!(step(&mut s, &d.number, "DF0013", &Step::Resume, on("2026-12-07")).is_err());
    let v = step(&mut s, &d.number, "DF0002", &Step::Resume, on("2026-12-07"))
        .unwrap()
        .view;
    assert_eq!(v.state, State::Accepted);
    assert_eq!(v.suspended_days, 5);
    assert_eq!(v.suspended_on, None);
    assert_eq!(v.due, NaiveDate::from_ymd_opt(2026, 12, 11));
    // A second suspension resumed the same day moves nothing; the total stays.
    step(&mut s, &d.number, "DF0002", &suspend, on("2026-12-08")).unwrap();
    let v = step(&mut s, &d.number, "DF0002", &Step::Resume, on("2026-12-08"))
        .unwrap()
        .view;
    assert_eq!(
        (v.due, v.suspended_days),
        (NaiveDate::from_ymd_opt(2026, 12, 11), 5)
    );
    let timeline: Vec<String> = show(&mut s, &d.number, on("2026-12-08").date())
        .unwrap()
        .timeline
        .iter()
        .filter_map(|e| e.note.clone())
        .collect();
    assert!(
        timeline.contains(
            &"恢复计时：自 2026-11-30 起暂停 5 个工作日，办结期限由 2026-12-04 顺延至 2026-12-11"
                .to_string()
        ),
        "{timeline:?}"
    );
}

/// Issue 16 point 12: an overdue request carries the reason it is late, given only once it is
/// overdue, and shown with it in the view and the overdue list.
#[test]
fn an_overdue_request_carries_its_reason() {
    let mut s = demo();
    let d = new_request(&mut s, &input(None), NOW).unwrap().view;
    let explain = Step::Explain {
        reason: "申请人外出务工，入户核查未能按期完成".into(),
    };
    // Due 2026-12-04: on that day it is not late yet.
    assert!(!show(&mut s, &d.number, on("2026-12-04").date())
        .unwrap()
        .view
        .next_steps
        .contains(&StepKind::Explain));
    let err = step(&mut s, &d.number, "DF0013", &explain, on("2026-12-04")).unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field: "state", message } if message.contains("未逾期")),
        "{err:?}"
    );
    let v = show(&mut s, &d.number, on("2026-12-07").date())
        .unwrap()
        .view;
    assert!(v.overdue && v.next_steps.contains(&StepKind::Explain));
    assert_eq!(v.overdue_reason, None);
    step(&mut s, &d.number, "DF0013", &explain, on("2026-12-07")).unwrap();
    let late = list(
        &mut s,
        Some("东风镇"),
        ListKind::Overdue,
        on("2026-12-07").date(),
    )
    .unwrap();
    let row = late.iter().find(|r| r.number == d.number).unwrap();
    assert_eq!(
        row.overdue_reason.as_deref(),
        Some("申请人外出务工，入户核查未能按期完成")
    );
}

/// Issue 16 point 11: an agent (帮办代办) is recorded with a checked ID number, shown masked,
/// and makes the item's 委托书 a material that must be handed in. Bad agent facts are refused
/// naming the field and write nothing.
#[test]
fn an_agent_is_recorded_masked_and_makes_the_power_of_attorney_required() {
    let mut s = demo();
    let agent_id = with_check_char("52020319600101001");
    let with_agent = |materials: Option<Vec<&str>>| NewRequest {
        agent_name: Some("王建国".into()),
        agent_id: Some(agent_id.clone()),
        agent_relation: Some("子女".into()),
        ..input(materials)
    };
    // MZ-001's list: the 委托书 (代办人身份证及委托书, 6th) is optional for the applicant
    // in person, required when an agent acts.
    let all = new_request(&mut s, &with_agent(None), NOW).unwrap();
    assert_eq!(all.view.state, State::Accepted);
    assert!(all
        .materials
        .iter()
        .any(|m| m.name.contains("委托书") && m.mandatory && m.received));
    let agent = all.view.agent.clone().unwrap();
    assert_eq!(
        (agent.name.as_str(), agent.relation.as_str()),
        ("王建国", "子女")
    );
    assert_eq!(
        agent.id_masked,
        format!("5202**********{}", &agent_id[14..])
    );
    let four = Some(vec!["1", "2", "3", "4"]);
    let short = new_request(&mut s, &with_agent(four.clone()), NOW).unwrap();
    assert_eq!(short.view.state, State::Incomplete);
    assert_eq!(short.view.missing, ["代办人身份证及委托书"]);
    let alone = new_request(&mut s, &input(four), NOW).unwrap();
    assert_eq!(alone.view.state, State::Accepted, "in person, no 委托书");
    // The full agent ID is nowhere but the request row.
    let dump = s.dump_table_for_tests("audit_log") + &s.dump_table_for_tests("request_event");
    assert!(!dump.contains(&agent_id));
    assert!(!format!("{all:?}").contains(&agent_id));
    assert_eq!(
        show(&mut s, &all.view.number, NOW.date())
            .unwrap()
            .view
            .agent,
        all.view.agent
    );

    let requests = count_rows(&s, "request");
    for (change, field) in [
        (
            NewRequest {
                agent_id: None,
                ..with_agent(None)
            },
            "agent_id",
        ),
        (
            NewRequest {
                agent_name: None,
                ..with_agent(None)
            },
            "agent_name",
        ),
        (
            NewRequest {
                agent_relation: Some(" ".into()),
                ..with_agent(None)
            },
            "agent_relation",
        ),
        (
            NewRequest {
                agent_relation: Some("关系".repeat(11)),
                ..with_agent(None)
            },
            "agent_relation",
        ),
        (
            NewRequest {
                agent_id: Some("520203196001010010".into()),
                ..with_agent(None)
            },
            "agent_id",
        ),
        (
            NewRequest {
                agent_id: input(None).id,
                ..with_agent(None)
            },
            "agent_id",
        ),
    ] {
        let err = new_request(&mut s, &change, NOW).unwrap_err();
        assert!(
            matches!(&err, Error::Invalid { field: f, .. } if *f == field),
            "{field}: {err:?}"
        );
    }
    assert_eq!(count_rows(&s, "request"), requests, "nothing written");
}

/// Issue 16 point 9 (行政许可法第三十二条): materials received to be examined. Within five
/// working days the clerk accepts (from that day) or gives the one-time notice; after them,
/// unexamined, the request counts as accepted from the day of receipt: shown so, its clock
/// running from then, and a late acceptance dates from receipt too.
#[test]
fn materials_received_for_examination_count_as_accepted_after_five_working_days() {
    let mut s = demo();
    let later = NewRequest {
        examine_later: true,
        ..input(None)
    };
    let on_time = new_request(&mut s, &later, NOW).unwrap().view;
    assert_eq!(on_time.state, State::Received);
    assert_eq!((on_time.accepted_on, on_time.due), (None, None));
    // Saturday 11-28 + 5 working days.
    assert_eq!(on_time.examine_by, NaiveDate::from_ymd_opt(2026, 12, 4));
    assert!(!on_time.deemed_accepted);
    assert_eq!(
        on_time.next_steps,
        [StepKind::Accept, StepKind::Refuse, StepKind::Withdraw]
    );
    let accept = Step::Accept { materials: vec![] };
    let v = step(&mut s, &on_time.number, "DF0013", &accept, on("2026-12-02"))
        .unwrap()
        .view;
    assert_eq!(v.state, State::Accepted);
    assert_eq!(v.accepted_on, NaiveDate::from_ymd_opt(2026, 12, 2));

    // Not examined by 12-04: on 12-07 it shows as accepted on 11-28, due five working days
    // later (12-04), so already overdue.
    let late = new_request(&mut s, &later, NOW).unwrap().view;
    let v = show(&mut s, &late.number, on("2026-12-07").date())
        .unwrap()
        .view;
    assert!(v.deemed_accepted);
    assert_eq!(v.state, State::Received);
    assert_eq!(v.accepted_on, NaiveDate::from_ymd_opt(2026, 11, 28));
    assert_eq!(v.due, NaiveDate::from_ymd_opt(2026, 12, 4));
    assert!(v.overdue, "{v:?}");
    let v = step(&mut s, &late.number, "DF0013", &accept, on("2026-12-07"))
        .unwrap()
        .view;
    assert_eq!(v.accepted_on, NaiveDate::from_ymd_opt(2026, 11, 28));
    assert_eq!(v.due, NaiveDate::from_ymd_opt(2026, 12, 4));

    // Examined and found short: the one-time notice.
    let short = new_request(
        &mut s,
        &NewRequest {
            examine_later: true,
            ..input(Some(vec!["1"]))
        },
        NOW,
    )
    .unwrap()
    .view;
    assert_eq!(short.state, State::Received, "received whatever is missing");
    let v = step(&mut s, &short.number, "DF0013", &accept, on("2026-12-01"))
        .unwrap()
        .view;
    assert_eq!(v.state, State::Incomplete);
    assert!(!v.missing.is_empty());
}

/// Issue 16 point 3: accept-and-forward is not acceptance. The department's acceptance, when
/// recorded (once, between forwarding and today), starts the clock: the department's due date
/// counts from it.
#[test]
fn the_departments_acceptance_starts_the_clock() {
    let mut s = demo();
    let sent = new_request(
        &mut s,
        &NewRequest {
            item: "RS-101".into(),
            ..input(None)
        },
        NOW,
    )
    .unwrap()
    .view;
    let forward = Step::Forward {
        department: None,
        due: None,
        reason: None,
    };
    let v = step(&mut s, &sent.number, "DF0013", &forward, on("2026-11-30"))
        .unwrap()
        .view;
    assert!(v.next_steps.contains(&StepKind::DeptAccept));
    let before = v.department_due;
    for bad in ["2026-11-27", "2026-12-09"] {
        let err = step(
            &mut s,
            &sent.number,
            "DF0013",
            &Step::DeptAccept {
                on: NaiveDate::parse_from_str(bad, "%Y-%m-%d").ok(),
            },
            on("2026-12-08"),
        )
        .unwrap_err();
        assert!(
            matches!(err, Error::Invalid { field: "on", .. }),
            "{bad}: {err:?}"
        );
    }
    let accepted_on = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    let v = step(
        &mut s,
        &sent.number,
        "DF0013",
        &Step::DeptAccept {
            on: Some(accepted_on),
        },
        on("2026-12-08"),
    )
    .unwrap()
    .view;
    let promised = s
        .read(|q| {
            let town = crate::town::resolve_town(q, Some("东风镇"))?;
            Ok(q.item(town.id, "RS-101")?.unwrap().promised)
        })
        .unwrap();
    let want = crate::calendar::Calendar::builtin()
        .due(accepted_on, u32::from(promised.days().unwrap()))
        .due;
    assert_eq!(v.department_accepted_on, Some(accepted_on));
    assert_eq!(v.department_due, Some(want));
    assert_ne!(
        v.department_due, before,
        "the clock moved to the acceptance"
    );
    assert!(!v.next_steps.contains(&StepKind::DeptAccept), "once");
}

/// Issue 16 point 10 (告知承诺, 国办发〔2020〕42号): on an item that allows it, a signed pledge
/// stands for the materials the catalogue lets it replace: they count as handed in, the pledge
/// enters the list of checks with its due date, prints as a 告知承诺书, and a pledge found false
/// revokes the request, recorded with the reason. An item or a material that allows no pledge
/// is refused naming `pledge`, nothing written.
#[test]
fn a_pledge_stands_for_materials_and_a_false_one_revokes() {
    let mut s = demo();
    let pledged = |names: Vec<&str>| NewRequest {
        pledge: Some(names.into_iter().map(String::from).collect()),
        ..input(Some(vec!["1", "2", "3"]))
    };
    let v = new_request(&mut s, &pledged(vec!["家庭收入及财产状况说明"]), NOW)
        .unwrap()
        .view;
    assert_eq!(v.state, State::Accepted, "the pledge stands for the fourth");
    assert_eq!(v.pledged, ["家庭收入及财产状况说明"]);
    // Saturday 11-28 + 20 working days.
    assert_eq!(
        v.pledge_due,
        Some(crate::calendar::Calendar::builtin().due(NOW.date(), 20).due)
    );
    assert!(v.forms.contains(&FormKind::Pledge));
    assert!(v.next_steps.contains(&StepKind::Verify));
    let checks = list(&mut s, Some("东风镇"), ListKind::Pledges, NOW.date()).unwrap();
    assert_eq!(checks.len(), 1);

    let requests = count_rows(&s, "request");
    for (bad, words) in [
        (pledged(vec!["居民身份证"]), "不能以承诺代替"),
        (pledged(vec!["没有这个材料"]), "不在"),
        (
            NewRequest {
                item: "MZ-004".into(),
                ..pledged(vec!["1"])
            },
            "不实行告知承诺",
        ),
    ] {
        match new_request(&mut s, &bad, NOW).unwrap_err() {
            Error::Invalid { field, message } => {
                assert_eq!(field, "pledge", "{message}");
                assert!(message.contains(words), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(count_rows(&s, "request"), requests);

    let false_pledge = Step::Verify {
        truthful: false,
        reason: Some("经核查，申请人家庭有登记车辆两辆，承诺不实".into()),
    };
    let revoked = step(&mut s, &v.number, "DF0002", &false_pledge, on("2026-12-10"))
        .unwrap()
        .view;
    assert_eq!(revoked.state, State::Revoked);
    assert_eq!(revoked.pledge_truthful, Some(false));
    assert_eq!(
        revoked.reason.as_deref(),
        Some("经核查，申请人家庭有登记车辆两辆，承诺不实")
    );
    assert!(revoked.next_steps.is_empty());
    assert!(list(&mut s, Some("东风镇"), ListKind::Pledges, NOW.date())
        .unwrap()
        .is_empty());
    // A request without a pledge has none to check.
    let plain = new_request(&mut s, &input(None), NOW).unwrap().view;
    let err = step(
        &mut s,
        &plain.number,
        "DF0002",
        &Step::Verify {
            truthful: true,
            reason: None,
        },
        NOW,
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::Invalid { field: "state", .. }),
        "{err:?}"
    );
}
