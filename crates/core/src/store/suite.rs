//! One storage test suite for every backend: the same checks run against SQLite always and
//! against PostgreSQL when `BIANMIN_TEST_PG` holds a connection URL (a server where the user may
//! create databases; each test makes its own and drops it). Besides its own assertions, each
//! PostgreSQL test compares everything it saw with what SQLite gives for the same steps.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;

use super::audit::Verification;
use super::{AnyStore, PgStore, SqliteStore, Store};
use crate::catalog::service::{find_items, item_detail, letter_alerts, Filter};
use crate::request::Step;
use crate::request::{consult, list, new_request, search, show, step, ListKind, NewRequest};
use crate::{Error, Result};

/// What the suite needs of a backend beyond [`Store`].
pub(crate) trait Backend: Store {
    fn verify_audit(&mut self) -> Result<Verification>;
    /// Runs one statement outside the store's transactions.
    fn raw(&mut self, sql: &str) -> Result<()>;
}

impl Backend for SqliteStore {
    fn verify_audit(&mut self) -> Result<Verification> {
        SqliteStore::verify_audit(self)
    }
    fn raw(&mut self, sql: &str) -> Result<()> {
        self.connection().execute(sql, [])?;
        Ok(())
    }
}

impl Backend for PgStore {
    fn verify_audit(&mut self) -> Result<Verification> {
        PgStore::verify_audit(self)
    }
    fn raw(&mut self, sql: &str) -> Result<()> {
        self.execute_for_tests(sql).map(|_| ())
    }
}

pub(crate) const NOW: chrono::NaiveDateTime = NaiveDate::from_ymd_opt(2026, 11, 28)
    .unwrap()
    .and_hms_opt(10, 0, 0)
    .unwrap();

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(crate) fn today() -> NaiveDate {
    day("2026-11-28")
}

/// A valid resident ID number from its first 17 digits.
fn id_number(k: usize) -> String {
    crate::identity::with_check_char(&format!("520203198503{:05}", 12000 + k))
}

pub(crate) fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

/// The demo's staffing figures: every town and each town alone, on several dates. One JSON
/// document per line.
pub(crate) fn staffing<S: Backend>(s: &mut S) -> Vec<String> {
    crate::demo::load(s, today()).unwrap();
    let mut out = Vec::new();
    for on in ["2026-11-28", "2026-03-01", "2025-06-01", "2024-06-01"] {
        out.push(json(
            &crate::staffing::staffing_report(s, None, day(on)).unwrap(),
        ));
        for town in ["朱昌镇", "东风镇", "金华镇"] {
            out.push(json(
                &crate::staffing::staffing_report(s, Some(town), day(on)).unwrap(),
            ));
        }
    }
    let r = crate::staffing::staffing_report(s, None, today()).unwrap();
    let got: Vec<_> = r
        .towns
        .iter()
        .map(|t| {
            let f = &t.figures;
            (
                t.name.as_str(),
                f.quota,
                f.on_roll,
                f.seconded_in,
                f.vacancies,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("朱昌镇", 99, 68, 0, 31),
            ("东风镇", 99, 60, 8, 39),
            ("金华镇", 99, 60, 8, 39)
        ]
    );
    // Loading again changes nothing.
    crate::demo::load(s, today()).unwrap();
    assert_eq!(
        json(&crate::staffing::staffing_report(s, None, today()).unwrap()),
        out[0]
    );
    for town in ["朱昌镇", "东风镇"] {
        out.push(json(
            &crate::staffing::rota_week(s, Some(town), today()).unwrap(),
        ));
        out.push(json(
            &crate::staff::staff_list(s, Some(town), today()).unwrap(),
        ));
    }
    out
}

/// Catalogue search by name, code and pinyin initials, an item's page and letter alerts.
pub(crate) fn catalogue<S: Backend>(s: &mut S) -> Vec<String> {
    crate::demo::load(s, today()).unwrap();
    let mut out = Vec::new();
    for town in ["朱昌镇", "东风镇", "金华镇"] {
        for query in ["", "临时救助", "MZ-00", "lsjz", "登记", "zzz-nothing"] {
            let filter = Filter {
                query: query.into(),
                ..Default::default()
            };
            let found = find_items(s, Some(town), &filter, today()).unwrap();
            match query {
                "" => assert!(found.len() > 10, "{town}: {} items", found.len()),
                "zzz-nothing" => assert!(found.is_empty()),
                _ => assert!(!found.is_empty(), "{town}: nothing for {query}"),
            }
            if query == "lsjz" || query == "临时救助" {
                assert!(found.iter().any(|i| i.code == "MZ-001"), "{query}");
            }
            out.push(json(&found));
        }
        out.push(json(
            &item_detail(s, Some(town), "MZ-001", today()).unwrap(),
        ));
        out.push(json(&letter_alerts(s, Some(town), today()).unwrap()));
    }
    let err = item_detail(s, Some("东风镇"), "NO-SUCH", today()).unwrap_err();
    assert!(err.is_bad_input(), "{err:?}");
    out
}

pub(crate) fn intake(k: usize) -> NewRequest {
    NewRequest {
        staff: "DF0013".into(),
        item: "MZ-001".into(),
        name: ["王喆赟", "李四", "张三"][k % 3].into(),
        id: Some(id_number(k)),
        phone: Some("13812345678".into()),
        ..Default::default()
    }
}

/// Issue 17 point 2: nothing is retained before a period is set; a dry run changes nothing;
/// a run masks the numbers of requests ended that long ago, once, audited; the full number
/// still finds them, its last six no longer do.
pub(crate) fn retention<S: Backend>(s: &mut S) -> Vec<String> {
    use crate::backup_service::Operator;
    use crate::retention::{run, set_period, status};
    crate::demo::load(s, today()).unwrap();
    let mut out = Vec::new();
    let at = |d: &str| day(d).and_hms_opt(10, 0, 0).unwrap();
    // Decided and completed; withdrawn, with an agent; the first person again, still open.
    let done = new_request(s, &intake(0), NOW).unwrap().view.number;
    for (staff, this) in [
        (
            "DF0002",
            Step::decide(true, "符合条件，同意。", Some(60_000)),
        ),
        ("DF0013", Step::Complete),
    ] {
        step(s, &done, staff, &this, NOW).unwrap();
    }
    let agent_id = id_number(7);
    let gone = new_request(
        s,
        &NewRequest {
            agent_name: Some("王芳".into()),
            agent_id: Some(agent_id.clone()),
            agent_relation: Some("子女".into()),
            ..intake(1)
        },
        NOW,
    )
    .unwrap()
    .view
    .number;
    step(s, &gone, "DF0013", &Step::Withdraw, NOW).unwrap();
    let open = new_request(s, &intake(0), NOW).unwrap().view.number;
    let before: Vec<_> = [&done, &gone, &open]
        .iter()
        .map(|n| show(s, n, today()).unwrap().view)
        .collect();

    // No period: refused, and the status says nothing is removed.
    let refused = run(s, Operator::CommandLine, false, at("2040-01-01")).unwrap_err();
    assert!(
        matches!(&refused, Error::Invalid { field: "years", .. }),
        "{refused:?}"
    );
    let unset = status(s, today()).unwrap();
    assert!(
        unset.years.is_none() && unset.summary.contains("不删除"),
        "{unset:?}"
    );
    out.push(json(&unset));

    let set = set_period(s, Some(1), Operator::CommandLine, NOW).unwrap();
    assert_eq!((set.years, set.due), (Some(1), 0));
    // A day short of a year: nothing due.
    let early = run(s, Operator::CommandLine, true, at("2027-11-27")).unwrap();
    assert_eq!(early.requests, 0, "{early:?}");
    let dry = run(s, Operator::CommandLine, true, at("2027-11-28")).unwrap();
    assert_eq!(
        (dry.requests, dry.ids, dry.phones, dry.agents),
        (2, 2, 2, 1),
        "{dry:?}"
    );
    assert_eq!(dry.numbers, vec![done.clone(), gone.clone()]);
    assert!(s
        .read(|q| q.request(&done))
        .unwrap()
        .unwrap()
        .retained
        .is_none());
    assert_eq!(status(s, day("2027-11-28")).unwrap().due, 2);
    out.push(json(&dry));

    let records = s.verify_audit().unwrap().records;
    let ran = run(s, Operator::CommandLine, false, at("2027-11-28")).unwrap();
    assert_eq!(
        (ran.dry_run, ran.requests, ran.numbers.clone()),
        (false, 2, dry.numbers.clone())
    );
    out.push(json(&ran));
    let v = s.verify_audit().unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(v.records, records + 1, "one batch, one audit record");
    // Screens and paper show the same masked numbers as before.
    for (n, was) in [&done, &gone, &open].iter().zip(&before) {
        let now = show(s, n, today()).unwrap().view;
        assert_eq!(
            (&now.applicant_id_masked, &now.phone_masked, &now.agent),
            (&was.applicant_id_masked, &was.phone_masked, &was.agent),
            "{n}"
        );
        out.push(json(&now));
    }
    let rows: Vec<_> = [&done, &gone, &open]
        .iter()
        .map(|n| s.read(|q| q.request(n)).unwrap().unwrap())
        .collect();
    assert!(rows[0].applicant.is_none() && rows[0].phone.is_none());
    assert!(rows[1].agent.is_none() && rows[1].has_agent());
    assert_eq!(
        rows[0].retained.as_ref().map(|r| r.on),
        Some(day("2027-11-28"))
    );
    assert!(rows[2].retained.is_none() && rows[2].applicant.is_some());
    // The full number finds the person's requests, the open one and the retained one; the
    // last six find only what is held in full.
    let full = id_number(0);
    let found: BTreeSet<String> = search(s, Some("东风镇"), &full, today())
        .unwrap()
        .into_iter()
        .map(|v| v.number)
        .collect();
    assert_eq!(found, BTreeSet::from([done.clone(), open.clone()]));
    let by_six = search(s, Some("东风镇"), &full[12..], today()).unwrap();
    assert_eq!(
        by_six.iter().map(|v| &v.number).collect::<Vec<_>>(),
        vec![&open]
    );
    let withdrawn = search(s, Some("东风镇"), &id_number(1), today()).unwrap();
    assert_eq!(withdrawn.len(), 1);
    // A second run finds nothing left and writes no audit record.
    let again = run(s, Operator::CommandLine, false, at("2027-12-01")).unwrap();
    assert_eq!(again.requests, 0);
    assert_eq!(s.verify_audit().unwrap().records, records + 1);
    out
}

/// Issue 18 point 7: a write sent again with its idempotency key is answered with what the
/// first did (the same request, the step not taken twice); a key used by another clerk or for
/// another request, or malformed, is refused.
/// The hall's front (issue 19): tickets in their order (the 绿色通道 first, a skipped resident
/// back behind the next two), the day's figures, a 差评 with its follow-up closed.
pub(crate) fn front<S: Backend>(s: &mut S) -> Vec<String> {
    use crate::front::{
        call_next, done, followup, rate, ratings, return_skipped, stats, take, Done, FollowupStep,
    };
    crate::demo::load(s, today()).unwrap();
    let monday = day("2026-11-30");
    let at = |h: u32, m: u32| monday.and_hms_opt(h, m, 0).unwrap();
    let mut out = Vec::new();
    for (m, priority) in [(0, None), (1, None), (2, Some("老年人")), (3, None)] {
        let t = take(s, Some("东风镇"), "民政窗口", priority, at(9, m)).unwrap();
        out.push(format!("{} {}", t.view.ticket, t.waiting));
    }
    for (m, skip) in [(5, false), (10, true), (11, false)] {
        let c = call_next(s, "DF0014", at(9, m)).unwrap();
        out.push(format!("{:?} {:?} {}", c.ticket, c.finished, c.waiting));
        if skip {
            done(s, "DF0014", Done::Skip, None, at(9, m)).unwrap();
            return_skipped(s, Some("东风镇"), "B001", at(9, m)).unwrap();
        }
    }
    done(s, "DF0014", Done::Finish, None, at(9, 20)).unwrap();
    out.push(serde_json::to_string(&stats(s, Some("东风镇"), monday).unwrap()).unwrap());
    let number = new_request(s, &intake(0), at(10, 0)).unwrap().view.number;
    let r = rate(s, &number, 1, Some("态度不好"), None, at(10, 30)).unwrap();
    out.push(format!("{} {:?} {:?}", r.grade_label, r.due, r.staff_no));
    followup(
        s,
        r.followup_id.unwrap(),
        FollowupStep::Close,
        "DF0004",
        Some("已当面答复"),
        at(11, 0),
    )
    .unwrap();
    out.push(serde_json::to_string(&ratings(s, None, true, monday).unwrap()).unwrap());
    out
}

/// The performance report (issue 20) over the demo's four weeks: its figures, a drill-down
/// list and the county's view.
pub(crate) fn report<S: Backend>(s: &mut S) -> Vec<String> {
    use crate::report::{report, requests_behind, ReportAsk};
    crate::demo::load(s, today()).unwrap();
    crate::demo::recent::load(s, today()).unwrap();
    let from = day("2026-11-01");
    let town = ReportAsk::new(Some("东风镇".into()), from, today(), today()).unwrap();
    let county = ReportAsk::new(None, from, today(), today()).unwrap();
    vec![
        serde_json::to_string(&report(s, &town).unwrap()).unwrap(),
        serde_json::to_string(&requests_behind(s, &town, "late", None).unwrap()).unwrap(),
        serde_json::to_string(&report(s, &county).unwrap().by_town).unwrap(),
    ]
}

pub(crate) fn idempotent<S: Backend>(s: &mut S) -> Vec<String> {
    crate::demo::load(s, today()).unwrap();
    let keyed = |k: &str| NewRequest {
        idempotency_key: Some(k.to_string()),
        ..intake(0)
    };
    let count = |s: &mut S| s.read(|q| q.request_count()).unwrap();
    let first = new_request(s, &keyed("retry-0001"), NOW).unwrap();
    let before = count(s);
    let again = new_request(s, &keyed("retry-0001"), NOW).unwrap();
    assert_eq!(again.view.number, first.view.number);
    assert_eq!(count(s), before, "a retry took in a second request");
    let other = new_request(
        s,
        &NewRequest {
            staff: "DF0014".into(),
            ..keyed("retry-0001")
        },
        NOW,
    )
    .unwrap_err();
    assert!(
        matches!(
            &other,
            Error::Invalid {
                field: "idempotency_key",
                ..
            }
        ),
        "{other:?}"
    );
    for bad in ["short", "has space in it", &"x".repeat(65)] {
        let e = new_request(s, &keyed(bad), NOW).unwrap_err();
        assert!(
            matches!(
                &e,
                Error::Invalid {
                    field: "idempotency_key",
                    ..
                }
            ),
            "{bad}: {e:?}"
        );
    }
    assert_eq!(count(s), before);
    let number = first.view.number.clone();
    let decide = Step::decide(true, "符合条件，同意。", Some(60_000));
    let decided =
        crate::request::step_keyed(s, &number, "DF0002", &decide, Some("step-0001"), NOW).unwrap();
    let events = decided.timeline.len();
    let retried =
        crate::request::step_keyed(s, &number, "DF0002", &decide, Some("step-0001"), NOW).unwrap();
    assert_eq!(retried.timeline.len(), events, "the step was taken twice");
    assert_eq!(retried.view.state, decided.view.state);
    // Without the key the same step is refused (already decided).
    assert!(step(s, &number, "DF0002", &decide, NOW).is_err());
    let second = new_request(s, &keyed("retry-0002"), NOW)
        .unwrap()
        .view
        .number;
    let elsewhere =
        crate::request::step_keyed(s, &second, "DF0002", &decide, Some("step-0001"), NOW)
            .unwrap_err();
    assert!(
        matches!(
            &elsewhere,
            Error::Invalid {
                field: "idempotency_key",
                ..
            }
        ),
        "{elsewhere:?}"
    );
    vec![json(&first), json(&again), json(&retried)]
}

/// Intake with its numbers, steps, show, search and lists.
pub(crate) fn requests<S: Backend>(s: &mut S) -> Vec<String> {
    crate::demo::load(s, today()).unwrap();
    let mut out = Vec::new();
    let mut numbers = BTreeSet::new();
    for k in 0..12 {
        let d = new_request(s, &intake(k), NOW).unwrap();
        assert!(
            numbers.insert(d.view.number.clone()),
            "{} twice",
            d.view.number
        );
        out.push(json(&d));
    }
    assert_eq!(numbers.len(), 12);
    // Some missing: incomplete; a consultation; a refused step writes only its audit entry.
    let incomplete = new_request(
        s,
        &NewRequest {
            materials: Some(vec![]),
            ..intake(20)
        },
        NOW,
    )
    .unwrap();
    out.push(json(&incomplete));
    out.push(json(
        &consult(s, "DF0013", "MZ-002", Some("张三"), NOW).unwrap(),
    ));
    let first = numbers.iter().next().unwrap().clone();
    let audit_before = s.read(|q| q.audit_count(&first)).unwrap();
    let refused = step(
        s,
        &first,
        "DF0013",
        &Step::decide(true, "符合条件，同意。", Some(60_000)),
        NOW,
    )
    .unwrap_err();
    assert!(
        matches!(refused, Error::Invalid { field: "staff", .. }),
        "{refused:?}"
    );
    assert_eq!(s.read(|q| q.audit_count(&first)).unwrap(), audit_before + 1);
    out.push(json(
        &step(
            s,
            &first,
            "DF0002",
            &Step::decide(true, "符合条件，同意。", Some(60_000)),
            NOW,
        )
        .unwrap(),
    ));
    out.push(json(&show(s, &first, today()).unwrap()));
    // The clock (schema 16): extended, suspended and resumed a week later, then explained once
    // overdue; every column read back alike.
    let second = numbers.iter().nth(1).unwrap().clone();
    let later = |days: u64| NOW.checked_add_days(chrono::Days::new(days)).unwrap();
    let extend = Step::Extend {
        days: 2,
        reason: "需入户核查".into(),
    };
    let suspend = Step::Suspend {
        reason: "需专家评审".into(),
        days: Some(3),
    };
    let explain = Step::Explain {
        reason: "评审专家未按期出具意见".into(),
    };
    for (staff, this, at) in [
        ("DF0004", &extend, NOW),
        ("DF0002", &suspend, later(2)),
        ("DF0002", &Step::Resume, later(9)),
        ("DF0013", &explain, later(30)),
    ] {
        out.push(json(&step(s, &second, staff, this, at).unwrap()));
    }
    let v = show(s, &second, later(30).date()).unwrap().view;
    assert_eq!(
        (
            v.extended_days,
            v.suspended_days,
            v.overdue_reason.is_some()
        ),
        (Some(2), 5, true)
    );
    let id = id_number(1);
    for query in [
        "",
        &first[..first.len() - 1],
        id.as_str(),
        &id[id.len() - 6..],
        "李四",
        "ls",
        "nobody",
    ] {
        out.push(json(&search(s, Some("东风镇"), query, today()).unwrap()));
    }
    let by_id = search(s, Some("东风镇"), &id, today()).unwrap();
    assert_eq!(by_id.len(), 1);
    // Part of a name finds the person: the whole name, its first or last two characters.
    for part in ["王喆赟", "王喆", "喆赟"] {
        let found = search(s, Some("东风镇"), part, today()).unwrap();
        assert_eq!(found.len(), 4, "{part}");
        assert!(found
            .iter()
            .all(|v| v.applicant_name.as_deref() == Some("王喆赟")));
        assert!(
            found.windows(2).all(|w| w[0].number > w[1].number),
            "newest first"
        );
    }
    // A name longer than four characters is found by any part of it, the escaped wildcard is
    // no wildcard, and a page's missing materials are each request's own.
    let long = new_request(
        s,
        &NewRequest {
            name: "买买提·艾力".into(),
            materials: Some(vec![]),
            ..intake(30)
        },
        NOW,
    )
    .unwrap();
    for (query, hits) in [
        ("买买提·艾力", 1),
        ("买提·艾力", 1),
        ("提·艾", 1),
        ("买买提%力", 0),
    ] {
        let found = search(s, Some("东风镇"), query, today()).unwrap();
        assert_eq!(found.len(), hits, "{query}");
        if hits == 1 {
            assert_eq!(found[0].number, long.view.number);
            assert_eq!(found[0].missing, long.view.missing);
            assert!(!found[0].missing.is_empty());
        }
    }
    let page = search(s, Some("东风镇"), "", today()).unwrap();
    for v in &page {
        assert_eq!(
            v.missing,
            show(s, &v.number, today()).unwrap().view.missing,
            "{}",
            v.number
        );
    }
    let one = search(s, Some("东风镇"), "王", today()).unwrap_err();
    assert!(
        matches!(one, Error::Invalid { field: "query", .. }),
        "{one:?}"
    );
    for kind in [
        ListKind::Today,
        ListKind::Incomplete,
        ListKind::Forwarded,
        ListKind::All,
    ] {
        out.push(json(&list(s, None, kind, today()).unwrap()));
    }
    // The intake without materials and 买买提·艾力's.
    assert_eq!(
        list(s, None, ListKind::Incomplete, today()).unwrap().len(),
        2
    );
    out
}

/// The audit log is chained, verifies, and refuses UPDATE and DELETE.
pub(crate) fn audit<S: Backend>(s: &mut S) {
    crate::demo::load(s, today()).unwrap();
    for k in 0..3 {
        new_request(s, &intake(k), NOW).unwrap();
    }
    let v = s.verify_audit().unwrap();
    assert!(v.ok && v.records >= 3, "{v:?}");
    assert!(s
        .raw("UPDATE audit_log SET basis = 'x' WHERE id = 1")
        .is_err());
    assert!(s.raw("DELETE FROM audit_log WHERE id = 2").is_err());
    assert!(s.raw("DELETE FROM audit_log").is_err());
    // The mark of ids issued only rises (issue 17).
    assert!(s.raw("UPDATE audit_high SET last_id = 1").is_err());
    assert!(s.raw("DELETE FROM audit_high").is_err());
    assert_eq!(s.verify_audit().unwrap(), v);
    assert_eq!(v.head.as_deref().map(str::len), Some(64));
}

/// What the schema itself refuses: impossible dates, unknown states.
pub(crate) fn schema<S: Backend>(s: &mut S) {
    let town = s.write(|c| c.ensure_town("测试镇")).unwrap();
    let staff = s
        .write(|c| {
            c.ensure_staff(
                town,
                &super::NewStaff {
                    no: "X1",
                    name: "甲",
                    gender: "男",
                    home_unit_id: None,
                    home_body: None,
                    birth_date: None,
                    retirement_track: None,
                },
            )
        })
        .unwrap();
    let insert = |date: &str| {
        format!(
            "INSERT INTO staff_status (staff_id, status, start_date) VALUES ({staff}, 'on_duty', '{date}')"
        )
    };
    // Impossible days; text that is no date at all: `text_that_is_no_date_is_refused_by_both`.
    for bad in ["2026-02-30", "2025-02-29", "2026-04-31", "2026-13-01", ""] {
        assert!(s.raw(&insert(bad)).is_err(), "{bad} was stored");
    }
    for good in ["2024-02-29", "2026-12-31"] {
        s.raw(&insert(good)).unwrap();
    }
    assert!(s
        .raw(&format!(
            "INSERT INTO staff_status (staff_id, status, start_date) VALUES ({staff}, 'asleep', '2020-01-01')"
        ))
        .is_err());
    let periods = s.read(|q| q.staff_periods(staff)).unwrap();
    assert_eq!(periods.len(), 2);
}

/// Accounts: the first administrator, a login whatever the case of the user name, lockout.
pub(crate) fn accounts<S: Backend>(s: &mut S) -> Vec<String> {
    use crate::accounts::{create_first_admin, list_accounts, login};
    let at = |h: u32| today().and_hms_opt(h, 0, 0).unwrap();
    let code = crate::accounts::new_setup_code(s, at(8)).unwrap();
    create_first_admin(s, "guanli", "管理员甲", "Bianmin@2026", &code, at(8)).unwrap();
    assert!(create_first_admin(s, "other", "乙", "Bianmin@2026", &code, at(8)).is_err());
    login(s, "GuanLi", "Bianmin@2026", at(9)).unwrap();
    for _ in 0..5 {
        assert!(login(s, "guanli", "wrong", at(9)).is_err());
    }
    let locked = login(s, "guanli", "Bianmin@2026", at(9)).unwrap_err();
    assert!(matches!(locked, Error::Locked { .. }), "{locked:?}");
    vec![json(&list_accounts(s).unwrap())]
}

/// Counters, each with its own store, take in requests at once: every number is given out once,
/// every request is kept, and the audit chain holds.
pub(crate) fn concurrent_intake<S: Backend>(
    open: impl Fn() -> S + Sync,
    counters: usize,
    each: usize,
) {
    {
        let mut s = open();
        crate::demo::load(&mut s, today()).unwrap();
    }
    let numbers: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..counters)
            .map(|c| {
                let open = &open;
                scope.spawn(move || {
                    let mut s = open();
                    (0..each)
                        .map(|k| {
                            let number = new_request(&mut s, &intake(c * 1000 + k), NOW)
                                .unwrap()
                                .view
                                .number;
                            // A refused step writes its audit entry and takes no number: audit
                            // appends race with other counters' intakes too.
                            let refused = step(
                                &mut s,
                                &number,
                                "DF0013",
                                &Step::decide(true, "符合条件，同意。", Some(60_000)),
                                NOW,
                            );
                            assert!(refused.is_err());
                            number
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let distinct: BTreeSet<&String> = numbers.iter().collect();
    assert_eq!(distinct.len(), counters * each, "a number was given twice");
    let mut s = open();
    for n in &numbers {
        assert!(s.read(|q| q.request(n)).unwrap().is_some(), "{n} lost");
        assert_eq!(s.read(|q| q.audit_count(n)).unwrap(), 2, "{n}");
    }
    let v = s.verify_audit().unwrap();
    assert!(v.ok && v.records >= 2 * counters * each, "{v:?}");
}

/// A request one counter takes in is seen by another counter's next read.
pub(crate) fn others_see_new_requests<S: Backend>(a: &mut S, b: &mut S) {
    crate::demo::load(a, today()).unwrap();
    let before = search(b, Some("东风镇"), "", today()).unwrap().len();
    let started = std::time::Instant::now();
    let d = new_request(a, &intake(7), NOW).unwrap();
    let seen = search(b, Some("东风镇"), "", today()).unwrap();
    assert_eq!(seen.len(), before + 1);
    assert_eq!(seen[0].number, d.view.number);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

/// A database of its own on the test server, dropped at the end.
pub(crate) struct PgDb {
    pub(crate) admin: postgres::Config,
    pub(crate) config: postgres::Config,
    pub(crate) name: String,
    /// The connection URL of this database.
    pub(crate) url: String,
}

impl PgDb {
    pub(crate) fn new() -> Option<PgDb> {
        let url = super::test_server_url()?;
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "bianmin_test_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let admin: postgres::Config = url.parse().expect("BIANMIN_TEST_PG");
        let mut c = admin.connect(postgres::NoTls).expect("the test server");
        // A Chinese ICU collation where the server has one (PostgreSQL 15 and up, built with
        // ICU, as Debian's is): it sorts text unlike SQLite, so the schema's COLLATE "C" is
        // put to the test. Elsewhere the server's default.
        let icu = format!(
            "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'
             LOCALE_PROVIDER icu ICU_LOCALE 'zh-CN' LOCALE 'C.UTF-8'"
        );
        if c.batch_execute(&icu).is_err() {
            c.batch_execute(&format!(
                "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"
            ))
            .unwrap();
        }
        let mut config = admin.clone();
        config.dbname(&name);
        let url = format!(
            "{}/{name}",
            &url[..url.rfind('/').expect("a URL with a path")]
        );
        Some(PgDb {
            admin,
            config,
            name,
            url,
        })
    }

    pub(crate) fn open(&self) -> PgStore {
        PgStore::from_config(self.config.clone(), "test".into()).unwrap()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite() -> SqliteStore {
        SqliteStore::open_in_memory().unwrap()
    }

    /// Runs `check` on SQLite, and on PostgreSQL when there is a test server, where what it
    /// returns must equal SQLite's line for line.
    fn both(check: impl Fn(&mut dyn FnMut() -> AnyStore) -> Vec<String>) {
        let sqlite_out = check(&mut || AnyStore::Sqlite(sqlite()));
        let Some(db) = PgDb::new() else {
            return;
        };
        let pg_out = check(&mut || AnyStore::Postgres(Box::new(db.open())));
        // Line by line, so that a failure shows the first difference.
        for (k, (pg, sqlite)) in pg_out.iter().zip(&sqlite_out).enumerate() {
            assert_eq!(pg, sqlite, "line {k}: PostgreSQL and SQLite differ");
        }
        assert_eq!(pg_out.len(), sqlite_out.len());
    }

    impl Backend for AnyStore {
        fn verify_audit(&mut self) -> Result<Verification> {
            AnyStore::verify_audit(self)
        }
        fn raw(&mut self, sql: &str) -> Result<()> {
            match self {
                AnyStore::Sqlite(s) => s.raw(sql),
                AnyStore::Postgres(s) => (**s).raw(sql),
            }
        }
    }

    #[test]
    fn staffing_figures_are_the_same() {
        both(|open| staffing(&mut open()));
    }

    #[test]
    fn catalogue_search_is_the_same() {
        both(|open| catalogue(&mut open()));
    }

    #[test]
    fn requests_are_numbered_kept_and_found_alike() {
        both(|open| requests(&mut open()));
    }

    #[test]
    fn the_audit_log_is_chained_and_append_only() {
        both(|open| {
            audit(&mut open());
            Vec::new()
        });
    }

    /// Issue 17, point 4, on PostgreSQL: a trigger disabled, dropped or added on the audit
    /// tables is found when the store opens; it then writes nothing and `audit verify` fails.
    #[test]
    fn a_server_whose_audit_triggers_were_tampered_with_refuses_to_write() {
        let entry = crate::audit::AuditEntry {
            at: "2026-11-28 10:00:00".into(),
            os_user: "clerk".into(),
            staff_no: None,
            action: "test".into(),
            request_number: None,
            item_code: None,
            allowed: true,
            basis: "测试".into(),
            detail: None,
        };
        for (sql, says) in [
            ("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete", "audit_log_no_delete 被停用了"),
            ("DROP TRIGGER audit_high_only_rises ON audit_high", "audit_high_only_rises 不见了"),
            (
                "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$",
                "audit_log_no_update 被改动过",
            ),
            (
                "CREATE TRIGGER hide AFTER INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_high_only_rises()",
                "多了触发器 hide",
            ),
        ] {
            let Some(db) = PgDb::new() else {
                return;
            };
            let mut s = db.open();
            s.write(|c| c.add_audit(&entry)).unwrap();
            let mut c = db.config.connect(postgres::NoTls).unwrap();
            c.batch_execute(sql).unwrap();
            let mut s = db.open();
            let e = s.write(|c| c.add_audit(&entry)).unwrap_err();
            assert!(
                matches!(&e, crate::Error::AuditUnguarded(p) if p.contains(says)),
                "{sql}: {e:?}"
            );
            let v = s.verify_audit().unwrap();
            assert!(!v.ok && v.records == 1, "{v:?}");
        }
    }

    /// Issue 18, point 5: the hall server's PostgreSQL role owns nothing. The schema is made by
    /// an owner role; the server's role, granted by `grant_server_role`, takes in a request,
    /// and is refused (permission denied, not a trigger) every way of touching the audit log
    /// but appending and reading: UPDATE, DELETE, TRUNCATE, disabling or dropping a trigger,
    /// replacing its function, lowering the high-water mark, changing the hall's key. Roles
    /// that could do more are refused the grant, changing nothing.
    #[test]
    fn the_servers_role_may_only_append_to_the_audit_log() {
        let Some(db) = PgDb::new() else {
            return;
        };
        let n = &db.name;
        let (owner, server, mighty) = (
            format!("{n}_owner"),
            format!("{n}_server"),
            format!("{n}_super"),
        );
        let mut admin = db.admin.connect(postgres::NoTls).unwrap();
        admin
            .batch_execute(&format!(
                "CREATE ROLE {owner} LOGIN; CREATE ROLE {server} LOGIN; CREATE ROLE {mighty} LOGIN SUPERUSER;
                 ALTER DATABASE {n} OWNER TO {owner};"
            ))
            .unwrap();
        let as_role = |role: &str| {
            let mut c = db.config.clone();
            c.user(role);
            c
        };
        let mut owned = PgStore::from_config(as_role(&owner), "owner".into()).unwrap();
        crate::demo::load(&mut owned, today()).unwrap();
        for (role, says) in [
            ("no_such_role_here", "没有角色"),
            (mighty.as_str(), "超级用户"),
            (owner.as_str(), "所有者本人"),
            ("Bad-Name", "角色名"),
        ] {
            let e = owned.grant_server_role(role).unwrap_err();
            assert!(
                matches!(&e, Error::Invalid { field: "server_role", message } if message.contains(says)),
                "{role}: {e:?}"
            );
        }
        let granted = owned.grant_server_role(&server).unwrap();
        let audit = granted.iter().find(|g| g.table == "audit_log").unwrap();
        assert_eq!(audit.privileges, "SELECT, INSERT");

        // The server's role works: an intake, a search, the audit log verified.
        let mut served = PgStore::from_config(as_role(&server), "server".into()).unwrap();
        let taken = new_request(&mut served, &intake(0), NOW).unwrap();
        assert_eq!(
            search(&mut served, Some("东风镇"), &taken.view.number, today())
                .unwrap()
                .len(),
            1
        );
        assert!(served.verify_audit().unwrap().ok);

        let mut c = as_role(&server).connect(postgres::NoTls).unwrap();
        for sql in [
            "UPDATE audit_log SET detail = 'x'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete",
            "DROP TRIGGER audit_log_no_update ON audit_log",
            "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$",
            "DELETE FROM audit_high",
            "TRUNCATE audit_high",
            "UPDATE hall_key SET key = repeat('0', 64)",
            "DROP TABLE request",
        ] {
            let e = c.batch_execute(sql).unwrap_err();
            assert_eq!(
                e.code(),
                Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
                "{sql}: {e}"
            );
        }
        // Lowering the mark is the trigger's refusal (UPDATE is granted so the mark can rise).
        let e = c
            .batch_execute("UPDATE audit_high SET last_id = 0")
            .unwrap_err();
        let said = e.as_db_error().map(|d| d.message().to_string());
        assert_eq!(said.as_deref(), Some("audit_high only rises"), "{e}");
        assert!(served.verify_audit().unwrap().ok);
        drop((c, served, owned));
        // Roles outlive databases: the database first (it is the owner's), then the roles.
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {n} WITH (FORCE)"))
            .unwrap();
        for role in [&owner, &server, &mighty] {
            admin
                .batch_execute(&format!("DROP ROLE IF EXISTS {role}"))
                .unwrap();
        }
    }

    #[test]
    fn the_schema_refuses_impossible_values() {
        both(|open| {
            schema(&mut open());
            Vec::new()
        });
    }

    #[test]
    fn a_retried_write_is_answered_by_the_first_alike() {
        both(|open| idempotent(&mut open()));
    }

    #[test]
    fn the_performance_report_reads_alike() {
        both(|open| report(&mut open()));
    }

    #[test]
    fn tickets_ratings_and_follow_ups_alike() {
        both(|open| front(&mut open()));
    }

    #[test]
    fn retention_masks_ended_requests_alike() {
        both(|open| retention(&mut open()));
    }

    #[test]
    fn accounts_log_in_and_lock_alike() {
        both(|open| accounts(&mut open()));
    }

    #[test]
    fn ten_sqlite_counters_get_distinct_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hall.db");
        concurrent_intake(|| SqliteStore::open(&path).unwrap(), 10, 5);
    }

    /// README: the PostgreSQL schema is upgraded by the first counter that connects. A database
    /// left at version 8 (as the release before name search left it) opens at this version and
    /// serves a counter: intake, and search by part of a name (what version 9 brought).
    #[test]
    fn an_older_postgres_schema_is_upgraded_by_the_first_counter() {
        let Some(db) = PgDb::new() else {
            return;
        };
        {
            let mut c = db.config.connect(postgres::NoTls).unwrap();
            for &(version, sql) in super::super::postgres::PG_MIGRATIONS {
                if version > 8 {
                    break;
                }
                c.batch_execute(sql).unwrap();
                c.execute(
                    "INSERT INTO bianmin_schema (one, version) VALUES (true, $1)
                     ON CONFLICT (one) DO UPDATE SET version = excluded.version",
                    &[&version],
                )
                .unwrap();
            }
            let v: i64 = c
                .query_one("SELECT version FROM bianmin_schema", &[])
                .unwrap()
                .get(0);
            assert_eq!(v, 8);
        }
        let mut pg = db.open();
        assert_eq!(pg.schema_version().unwrap(), crate::store::SCHEMA_VERSION);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        crate::demo::load(&mut pg, today).unwrap();
        let taken =
            crate::request::new_request(&mut pg, &intake(0), today.and_hms_opt(10, 0, 0).unwrap())
                .unwrap();
        let found = crate::request::search(&mut pg, Some("东风镇"), "喆赟", today).unwrap();
        assert!(
            found.iter().any(|v| v.number == taken.view.number),
            "{found:?}"
        );
    }

    #[test]
    fn ten_postgres_counters_get_distinct_numbers() {
        let Some(db) = PgDb::new() else {
            return;
        };
        concurrent_intake(|| db.open(), 10, 10);
    }

    #[test]
    fn a_counter_sees_another_counters_request() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hall.db");
        let (mut a, mut b) = (
            SqliteStore::open(&path).unwrap(),
            SqliteStore::open(&path).unwrap(),
        );
        others_see_new_requests(&mut a, &mut b);
        if let Some(db) = PgDb::new() {
            others_see_new_requests(&mut db.open(), &mut db.open());
        }
    }

    #[test]
    fn a_connection_the_server_dropped_is_replaced_without_a_restart() {
        let Some(db) = PgDb::new() else {
            return;
        };
        let mut s = db.open();
        crate::demo::load(&mut s, today()).unwrap();
        let before = s.read(|q| q.towns()).unwrap();
        // The server restarts, or the network drops: every connection of this database ends.
        let mut admin = db.admin.connect(postgres::NoTls).unwrap();
        let ended: i64 = admin
            .query_one(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = $1 AND pid <> pg_backend_pid()) t",
                &[&db.name],
            )
            .unwrap()
            .get(0);
        assert!(ended >= 1, "the store held no connection to end");
        // The next transaction opens a new connection; nothing was lost.
        assert_eq!(s.read(|q| q.towns()).unwrap().len(), before.len());
        let d = new_request(&mut s, &intake(3), NOW).unwrap();
        assert!(s.read(|q| q.request(&d.view.number)).unwrap().is_some());
    }

    #[test]
    fn text_that_is_no_date_is_refused_by_both() {
        let mut sqlite = sqlite();
        refuses_no_dates(&mut sqlite);
        if let Some(db) = PgDb::new() {
            refuses_no_dates(&mut db.open());
        }
    }

    fn refuses_no_dates(s: &mut impl Backend) {
        schema(s);
        s.raw("INSERT INTO calendar_day (date, kind, name) VALUES ('2026-10-01', '休', '国庆节')")
            .expect("a date is stored");
        for bad in [
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "2026-11-28x",
            "0000-01-01",
            "",
        ] {
            assert!(
                s.raw(&format!(
                    "INSERT INTO calendar_day (date, kind, name) VALUES ('{bad}', '休', 'x')"
                ))
                .is_err(),
                "{bad} was stored"
            );
            assert!(
                s.raw(&format!(
                    "UPDATE calendar_day SET date = '{bad}' WHERE date = '2026-10-01'"
                ))
                .is_err(),
                "{bad} replaced a date"
            );
        }
    }

    #[test]
    fn a_database_url_opens_the_server_and_never_shows_its_password() {
        use crate::address::Database;
        let bad = AnyStore::open(&Database::Server("postgres://u:pw@[nonsense".into()));
        assert!(
            matches!(&bad, Err(Error::Invalid { field: "db", message }) if !message.contains("pw")),
            "{:?}",
            bad.err()
        );
        // Nothing listens on port 1.
        let down = AnyStore::open(&Database::Server(
            "postgres://u:s3cret@127.0.0.1:1/db?connect_timeout=2".into(),
        ));
        let message = down.err().expect("a closed port").to_string();
        assert!(!message.contains("s3cret"), "{message}");
        let Some(db) = PgDb::new() else {
            return;
        };
        let url = db.url.clone();
        let db_value = Database::parse(url.as_ref());
        assert_eq!(db_value, Database::Server(url.into()));
        let mut s = AnyStore::open_existing(&db_value).unwrap();
        crate::demo::load(&mut s, today()).unwrap();
        assert_eq!(crate::staffing::town_names(&mut s).unwrap().len(), 3);
        assert!(s.verify_audit().unwrap().ok);
    }

    #[test]
    fn a_newer_postgres_schema_is_refused_untouched() {
        let Some(db) = PgDb::new() else {
            return;
        };
        let mut s = db.open();
        assert_eq!(s.schema_version().unwrap(), super::super::SCHEMA_VERSION);
        s.raw("UPDATE bianmin_schema SET version = 99").unwrap();
        drop(s);
        match PgStore::from_config(db.config.clone(), "test".into()) {
            Err(Error::NewerSchema { found, supported }) => {
                assert_eq!((found, supported), (99, super::super::SCHEMA_VERSION))
            }
            Err(e) => panic!("wrong error: {e}"),
            Ok(_) => panic!("a newer database was opened"),
        }
    }
}
