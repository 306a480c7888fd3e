use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::store::{count_rows, SqliteStore};

const GOOD: &str = "Bianmin@2026";

fn at(hh: u32, mm: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 28)
        .unwrap()
        .and_hms_opt(hh, mm, 0)
        .unwrap()
}

/// An account value for tests that need no store.
pub(crate) fn account_with(roles: &[Role]) -> Account {
    Account {
        id: crate::ids::AccountId(1),
        username: "ceshi".into(),
        display_name: "测试".into(),
        staff_no: None,
        staff_name: None,
        staff_town: None,
        roles: roles.to_vec(),
        failed_count: 0,
        locked_until: None,
        created_at: at(9, 0),
        disabled: false,
        must_change_password: false,
        credential: String::new(),
    }
}

/// An account of `roles` kept in `store` (no staff member), as a session holds it.
pub(crate) fn stored_account<S: crate::store::Store>(store: &mut S, roles: &[Role]) -> Account {
    create_account(
        store,
        &NewAccount {
            username: "ceshi".into(),
            display_name: "测试".into(),
            staff_no: None,
            roles: roles.to_vec(),
            password: GOOD.into(),
        },
        "guanli",
        at(9, 0),
    )
    .unwrap()
}

/// A store with the first administrator, guanli / Bianmin@2026.
fn store_with_admin() -> SqliteStore {
    let mut s = SqliteStore::open_in_memory().unwrap();
    assert!(needs_first_admin(&mut s).unwrap());
    let code = new_setup_code(&mut s, at(7, 59)).unwrap();
    create_first_admin(&mut s, "guanli", "管理员甲", GOOD, &code, at(8, 0)).unwrap();
    assert!(!needs_first_admin(&mut s).unwrap());
    s
}

fn audit_actions(s: &SqliteStore) -> Vec<String> {
    s.dump_table_for_tests("audit_log")
        .lines()
        .map(|l| l.split('|').nth(4).unwrap().to_string())
        .collect()
}

fn invalid(r: Result<impl std::fmt::Debug>) -> (&'static str, String) {
    match r {
        Err(Error::Invalid { field, message }) => (field, message),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The table of DESIGN.md and the issue, written out cell by cell so that a change to
/// `Role::grants` has to change this too.
#[test]
fn each_role_grants_exactly_its_permissions() {
    use Permission::*;
    let table: [(Role, &[Permission]); 4] = [
        (
            Role::Clerk,
            &[ReadCatalog, ReadRequests, Intake, Print, ReadFullId],
        ),
        (
            Role::Approver,
            &[ReadCatalog, ReadRequests, Approve, Print, ReadFullId],
        ),
        (
            Role::Leader,
            &[
                ReadCatalog,
                ReadRequests,
                ViewStaffing,
                Approve,
                Extend,
                Print,
                FollowUp,
            ],
        ),
        (
            Role::Admin,
            &[ReadCatalog, Import, ManageAccounts, Backup, ViewStaffing],
        ),
    ];
    let now = std::time::Instant::now();
    let limit = std::time::Duration::from_secs(60);
    for (role, granted) in table {
        for p in Permission::ALL {
            let want = granted.contains(&p);
            assert_eq!(role.grants(p), want, "{} {p:?}", role.label());
            let session = Session::new(account_with(&[role]), now, limit);
            match (session.require(p), want) {
                (Ok(()), true) => {}
                (Err(Error::Forbidden { needed, roles }), false) => {
                    assert_eq!((needed, roles), (p, vec![role]));
                }
                (other, _) => panic!("{} {p:?}: {other:?}", role.label()),
            }
        }
    }
    // Every permission has its own Chinese description.
    let mut d: Vec<&str> = Permission::ALL.iter().map(|p| p.description()).collect();
    d.sort_unstable();
    d.dedup();
    assert_eq!(d.len(), Permission::ALL.len());
    assert_eq!(Permission::ViewStaffing.description(), "查看编制与在岗情况");
}

#[test]
fn roles_parse_from_labels_and_serialize_as_labels() {
    assert_eq!(
        parse_roles("role", "窗口人员,镇领导").unwrap(),
        vec![Role::Clerk, Role::Leader]
    );
    assert_eq!(
        parse_roles("role", " 管理员、admin，审批人员 ").unwrap(),
        vec![Role::Approver, Role::Admin]
    );
    let (field, m) = invalid(parse_roles("role", "科长"));
    assert_eq!(field, "role");
    assert!(m.contains("科长") && m.contains("窗口人员"), "{m}");
    let (field, m) = invalid(parse_roles("role", " , "));
    assert_eq!(field, "role");
    assert!(m.contains("角色不能为空"), "{m}");
    assert_eq!(Role::parse("镇领导"), Some(Role::Leader));
    assert_eq!(
        serde_json::to_string(&[Role::Clerk, Role::Approver, Role::Leader, Role::Admin]).unwrap(),
        r#"["窗口人员","审批人员","镇领导","管理员"]"#
    );
}

/// `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`, read without the argon2 crate.
#[test]
fn hashes_are_argon2id_with_the_required_cost_and_a_random_salt() {
    let h = hash_password(GOOD).unwrap();
    let parts: Vec<&str> = h.split('$').collect();
    assert_eq!(parts.len(), 6, "{h}");
    assert_eq!(parts[1], "argon2id");
    assert_eq!(parts[2], "v=19");
    let param = |k: &str| -> u32 {
        parts[3]
            .split(',')
            .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
            .unwrap_or_else(|| panic!("no {k} in {h}"))
            .parse()
            .unwrap()
    };
    assert!(param("m") >= 19_456, "{h}");
    assert!(param("t") >= 2, "{h}");
    assert!(param("p") >= 1, "{h}");
    assert!(parts[4].len() >= 22, "salt of at least 16 bytes: {h}");
    assert!(!h.contains(GOOD));

    let again = hash_password(GOOD).unwrap();
    assert_ne!(
        h, again,
        "the same password hashed twice must differ (salt)"
    );
    assert!(verify_password(GOOD, &h));
    assert!(verify_password(GOOD, &again));
    assert!(!verify_password("Bianmin@2027", &h));
    assert!(!verify_password(GOOD, "not a phc string"));
}

/// The parameters come from the stored string: a hash made with other (here cheaper) parameters
/// still verifies.
#[test]
fn verification_reads_the_parameters_from_the_hash() {
    use argon2::password_hash::PasswordHasher;
    let cheap = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(8, 1, 1, None).unwrap(),
    );
    let h = cheap.hash_password(GOOD.as_bytes()).unwrap().to_string();
    assert!(h.contains("m=8,t=1,p=1"), "{h}");
    assert!(verify_password(GOOD, &h));
    assert!(!verify_password("wrong-password", &h));
}

#[test]
fn unknown_user_and_wrong_password_get_the_same_answer() {
    let mut s = store_with_admin();
    let a = login(&mut s, "nobody", GOOD, at(9, 0)).unwrap_err();
    let b = login(&mut s, "guanli", "Wrong@2026", at(9, 0)).unwrap_err();
    assert!(matches!(a, Error::BadCredentials), "{a:?}");
    assert!(matches!(b, Error::BadCredentials), "{b:?}");
    assert_eq!(a.to_string(), b.to_string());
    assert_eq!(a.to_string(), "用户名或密码不正确。");
    assert_eq!((a.code(), a.is_bad_input()), ("bad_credentials", false));
    // User names are compared without regard to case.
    let ok = login(&mut s, " GuanLi ", GOOD, at(9, 1)).unwrap();
    assert_eq!(ok.username, "guanli");
}

#[test]
fn four_failures_then_a_success_reset_the_count() {
    let mut s = store_with_admin();
    for k in 1..=4 {
        assert!(matches!(
            login(&mut s, "guanli", "Wrong@2026", at(9, k)),
            Err(Error::BadCredentials)
        ));
    }
    assert_eq!(find_account(&mut s, "guanli").unwrap().failed_count, 4);
    let a = login(&mut s, "guanli", GOOD, at(9, 5)).unwrap();
    assert_eq!((a.failed_count, a.locked_until), (0, None));
    assert_eq!(find_account(&mut s, "guanli").unwrap().failed_count, 0);
    // The count starts again: four more failures do not lock.
    for k in 6..=9 {
        assert!(matches!(
            login(&mut s, "guanli", "Wrong@2026", at(9, k)),
            Err(Error::BadCredentials)
        ));
    }
    login(&mut s, "guanli", GOOD, at(9, 10)).unwrap();
}

#[test]
fn five_failures_lock_for_fifteen_minutes_without_extension() {
    let mut s = store_with_admin();
    for k in 1..=4 {
        assert!(matches!(
            login(&mut s, "guanli", "Wrong@2026", at(10, k)),
            Err(Error::BadCredentials)
        ));
    }
    let until = at(10, 5 + LOCK_MINUTES as u32);
    match login(&mut s, "guanli", "Wrong@2026", at(10, 5)) {
        Err(Error::Locked { until: u }) => assert_eq!(u, until),
        other => panic!("the fifth failure should lock: {other:?}"),
    }
    let e = Error::Locked { until };
    assert_eq!(e.code(), "account_locked");
    assert_eq!(
        e.to_string(),
        "账号已锁定，请在 10:20 后再试，或请管理员解锁。"
    );
    let acc = find_account(&mut s, "guanli").unwrap();
    assert!(acc.is_locked(at(10, 6)));
    assert_eq!(acc.locked_until, Some(until));

    // The right password during the lock is refused, and neither checked nor extending it.
    let audits_before = count_rows(&s, "audit_log");
    for t in [at(10, 6), at(10, 19)] {
        match login(&mut s, "guanli", GOOD, t) {
            Err(Error::Locked { until: u }) => assert_eq!(u, until, "the lock moved"),
            other => panic!("a login during the lock: {other:?}"),
        }
    }
    assert_eq!(
        find_account(&mut s, "guanli").unwrap().locked_until,
        Some(until)
    );
    assert_eq!(count_rows(&s, "audit_log"), audits_before + 2);

    // At 10:20 the lock has run out.
    let a = login(&mut s, "guanli", GOOD, until).unwrap();
    assert_eq!((a.failed_count, a.locked_until), (0, None));
    let actions = audit_actions(&s);
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "Text(\"account_locked\")")
            .count(),
        1,
        "{actions:?}"
    );
}

#[test]
fn a_failure_after_an_expired_lock_counts_from_one() {
    let mut s = store_with_admin();
    for k in 1..=5 {
        let _ = login(&mut s, "guanli", "Wrong@2026", at(11, k));
    }
    assert!(find_account(&mut s, "guanli").unwrap().is_locked(at(11, 6)));
    // After the lock: one more failure is the first of a new run, not the sixth.
    assert!(matches!(
        login(&mut s, "guanli", "Wrong@2026", at(12, 0)),
        Err(Error::BadCredentials)
    ));
    let acc = find_account(&mut s, "guanli").unwrap();
    assert_eq!((acc.failed_count, acc.locked_until), (1, None));
}

#[test]
fn an_administrator_can_unlock() {
    let mut s = store_with_admin();
    for k in 1..=5 {
        let _ = login(&mut s, "guanli", "Wrong@2026", at(11, k));
    }
    assert!(matches!(
        login(&mut s, "guanli", GOOD, at(11, 6)),
        Err(Error::Locked { .. })
    ));
    unlock(&mut s, "guanli", "命令行", at(11, 7)).unwrap();
    login(&mut s, "guanli", GOOD, at(11, 8)).unwrap();
    let (field, _) = invalid(unlock(&mut s, "nobody", "命令行", at(11, 9)));
    assert_eq!(field, "username");
}

#[test]
fn logins_and_failures_are_audited_without_the_password() {
    let mut s = store_with_admin();
    let before = audit_actions(&s).len();
    login(&mut s, "guanli", GOOD, at(9, 0)).unwrap();
    let _ = login(&mut s, "guanli", "Secret#Wrong1", at(9, 1));
    let _ = login(&mut s, "somebody", "Other#Secret2", at(9, 2));
    let actions = audit_actions(&s);
    assert_eq!(
        &actions[before..],
        [
            "Text(\"login\")",
            "Text(\"login_failed\")",
            "Text(\"login_failed\")"
        ]
    );
    let dump = s.dump_table_for_tests("audit_log");
    for secret in [GOOD, "Secret#Wrong1", "Other#Secret2", "$argon2"] {
        assert!(!dump.contains(secret), "{secret} in the audit log");
    }
    // An unknown name is kept as a fingerprint, never as typed (issue 17, point 9).
    assert!(
        !dump.contains("somebody"),
        "the unknown user name is recorded"
    );
    assert!(dump.contains("指纹"), "{dump}");
    assert!(s.verify_audit().unwrap().ok);
}

#[test]
fn the_first_admin_is_refused_once_an_account_exists() {
    let mut s = store_with_admin();
    let (field, m) = invalid(create_first_admin(
        &mut s,
        "another",
        "乙",
        "Another@2026",
        "ANYTH-INGGG",
        at(9, 0),
    ));
    assert_eq!(field, "username");
    assert!(m.contains("已有账号"), "{m}");
    assert_eq!(list_accounts(&mut s).unwrap().len(), 1);
    assert!(
        new_setup_code(&mut s, at(9, 0)).is_err(),
        "no code once an account exists"
    );
}

/// Issue 17, point 9: the first administrator needs the one-time code `init` printed: none made,
/// a wrong one, or one replaced by a newer code is refused naming the field and creates nothing;
/// the code is read as typed (lower case, no dash, O for 0) and is used up.
#[test]
fn the_first_administrator_needs_the_setup_code_init_printed() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let make = |s: &mut SqliteStore, code: &str| {
        create_first_admin(s, "guanli", "管理员甲", GOOD, code, at(8, 0))
    };
    let (field, m) = invalid(make(&mut s, "ABCDE-FGHJK"));
    assert_eq!(field, "code");
    assert!(m.contains("bianmin init"), "{m}");
    let old = new_setup_code(&mut s, at(7, 0)).unwrap();
    assert!(old.len() == 11 && old.as_bytes()[5] == b'-', "{old}");
    let code = new_setup_code(&mut s, at(7, 30)).unwrap();
    assert_ne!(old, code);
    for wrong in [old.as_str(), "ABCDE-FGHJK", ""] {
        let (field, _) = invalid(make(&mut s, wrong));
        assert_eq!(field, "code", "{wrong}");
        assert!(needs_first_admin(&mut s).unwrap());
    }
    let typed = code.replace('-', " ").to_lowercase().replace('0', "o");
    make(&mut s, &typed).unwrap();
    assert!(!needs_first_admin(&mut s).unwrap());
    assert_eq!(s.read(|q| q.setup_code_hash()).unwrap(), None, "used up");
}

/// Issue 17, point 9: a name no account has is locked after five failures like a real one,
/// with the same answers; the audit log keeps a fingerprint of the name, never the name.
#[test]
fn unknown_names_lock_like_real_ones_and_are_never_stored() {
    let mut s = store_with_admin();
    let typed = "Mima#Secret2026";
    for k in 1..MAX_FAILURES {
        let e = login(&mut s, typed, "whatever-1", at(9, k)).unwrap_err();
        assert!(matches!(e, Error::BadCredentials), "{k}: {e:?}");
    }
    let e = login(&mut s, typed, "whatever-1", at(9, 10)).unwrap_err();
    assert!(matches!(e, Error::Locked { .. }), "{e:?}");
    // The same answer as a real account's lock, also with the right case or spaces around.
    let e = login(&mut s, " mima#secret2026 ", "whatever-1", at(9, 11)).unwrap_err();
    assert!(matches!(e, Error::Locked { .. }), "{e:?}");
    let log = s.dump_table_for_tests("audit_log");
    assert!(
        !log.to_lowercase().contains("mima#secret2026"),
        "the typed name is in the log"
    );
    assert!(log.contains("指纹"), "{log}");
    // Another unknown name is not locked by it; after the lock, counting starts afresh.
    assert!(matches!(
        login(&mut s, "someone", "x-1234567", at(9, 12)).unwrap_err(),
        Error::BadCredentials
    ));
    assert!(matches!(
        login(&mut s, typed, "x-1234567", at(9, 40)).unwrap_err(),
        Error::BadCredentials
    ));
}

#[test]
fn the_first_account_must_be_an_administrator() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let clerk = NewAccount {
        username: "chuangkou".into(),
        display_name: "窗口甲".into(),
        staff_no: None,
        roles: vec![Role::Clerk],
        password: GOOD.into(),
    };
    let (field, m) = invalid(create_account(&mut s, &clerk, "命令行", at(9, 0)));
    assert_eq!(field, "role");
    assert!(m.contains("管理员"), "{m}");
    assert!(needs_first_admin(&mut s).unwrap());
    let admin = NewAccount {
        roles: vec![Role::Clerk, Role::Admin],
        ..clerk.clone()
    };
    let a = create_account(&mut s, &admin, "命令行", at(9, 0)).unwrap();
    assert_eq!(a.roles, vec![Role::Clerk, Role::Admin]);
    // From then on any role will do.
    create_account(
        &mut s,
        &NewAccount {
            username: "chuangkou2".into(),
            ..clerk
        },
        "chuangkou",
        at(9, 1),
    )
    .unwrap();
}

#[test]
fn new_accounts_are_checked_field_by_field_and_nothing_is_written_on_refusal() {
    let mut s = store_with_admin();
    let good = NewAccount {
        username: "shenpi".into(),
        display_name: "审批甲".into(),
        staff_no: None,
        roles: vec![Role::Approver],
        password: GOOD.into(),
    };
    let audits = count_rows(&s, "audit_log");
    let cases: Vec<(NewAccount, &str, &str)> = vec![
        (
            NewAccount {
                username: "a".into(),
                ..good.clone()
            },
            "username",
            "2 到 32",
        ),
        (
            NewAccount {
                username: "shen pi".into(),
                ..good.clone()
            },
            "username",
            "不允许的字符",
        ),
        (
            NewAccount {
                username: "GuanLi".into(),
                ..good.clone()
            },
            "username",
            "已被使用",
        ),
        (
            NewAccount {
                display_name: "  ".into(),
                ..good.clone()
            },
            "name",
            "姓名不能为空",
        ),
        (
            NewAccount {
                roles: vec![],
                ..good.clone()
            },
            "role",
            "角色不能为空",
        ),
        (
            NewAccount {
                staff_no: Some("DF9999".into()),
                ..good.clone()
            },
            "staff",
            "DF9999",
        ),
        (
            NewAccount {
                password: "shenpi2026".into(),
                ..good.clone()
            },
            "password",
            "用户名",
        ),
        (
            NewAccount {
                password: "woaini1314".into(),
                ..good.clone()
            },
            "password",
            "常见",
        ),
    ];
    for (input, want_field, want_text) in cases {
        let (field, m) = invalid(create_account(&mut s, &input, "guanli", at(9, 0)));
        assert_eq!(field, want_field, "{input:?}: {m}");
        assert!(m.contains(want_text), "{input:?}: {m}");
        assert!(m.ends_with('。'), "{m}");
    }
    assert_eq!(list_accounts(&mut s).unwrap().len(), 1);
    assert_eq!(count_rows(&s, "audit_log"), audits);

    // Chinese user names are fine.
    let a = create_account(
        &mut s,
        &NewAccount {
            username: "审批员.王".into(),
            ..good
        },
        "guanli",
        at(9, 0),
    )
    .unwrap();
    assert_eq!(a.username, "审批员.王");
    assert_eq!(count_rows(&s, "audit_log"), audits + 1);
}

#[test]
fn an_account_can_act_as_a_staff_member() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    crate::demo::load(&mut s, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).unwrap();
    let new = |username: &str, name: &str| NewAccount {
        username: username.into(),
        display_name: name.into(),
        staff_no: Some("DF0014".into()),
        roles: vec![Role::Clerk],
        password: GOOD.into(),
    };
    // DF0014 is 刘明辉: an account of his named 马永刚 is refused, naming the field, and nothing
    // is written.
    let before = list_accounts(&mut s).unwrap().len();
    let (field, m) = invalid(create_account(
        &mut s,
        &new("df0014", "马永刚"),
        "guanli",
        at(9, 0),
    ));
    assert_eq!(field, "name");
    assert!(m.contains("DF0014") && m.contains("刘明辉"), "{m}");
    assert_eq!(list_accounts(&mut s).unwrap().len(), before);
    // Left empty, the name is his; his own name is accepted too.
    let a = create_account(&mut s, &new("df0014", " "), "guanli", at(9, 0)).unwrap();
    assert_eq!(a.display_name, "刘明辉");
    assert_eq!(a.staff_name.as_deref(), Some("刘明辉"));
    let b = create_account(&mut s, &new("liuminghui", "刘明辉"), "guanli", at(9, 0)).unwrap();
    assert_eq!(b.display_name, "刘明辉");
    assert_eq!(a.staff_no.as_deref(), Some("DF0014"));
    assert_eq!(a.staff_town.as_deref(), Some("东风镇"));
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["roles"], serde_json::json!(["窗口人员"]));
    assert_eq!(json["created_at"], "2026-11-28 09:00:00");
    assert!(json.get("password_hash").is_none() && json.get("id").is_none());
    // An account without a staff record still needs a name.
    let mut none = new("nobody", "");
    none.staff_no = None;
    assert_eq!(
        invalid(create_account(&mut s, &none, "guanli", at(9, 0))).0,
        "name"
    );
}

#[test]
fn a_disabled_account_cannot_log_in_and_the_last_admin_stays() {
    let mut s = store_with_admin();
    let (field, m) = invalid(set_disabled(&mut s, "guanli", true, "guanli", at(9, 0)));
    assert_eq!(field, "username");
    assert!(m.contains("唯一"), "{m}");
    create_account(
        &mut s,
        &NewAccount {
            username: "lingdao".into(),
            display_name: "领导甲".into(),
            staff_no: None,
            roles: vec![Role::Leader],
            password: GOOD.into(),
        },
        "guanli",
        at(9, 0),
    )
    .unwrap();
    set_disabled(&mut s, "lingdao", true, "guanli", at(9, 1)).unwrap();
    let e = login(&mut s, "lingdao", GOOD, at(9, 2)).unwrap_err();
    assert_eq!(e.code(), "account_disabled");
    // A wrong password on a disabled account says no more than for any other.
    assert!(matches!(
        login(&mut s, "lingdao", "Wrong@2026", at(9, 3)),
        Err(Error::BadCredentials)
    ));
    set_disabled(&mut s, "lingdao", false, "guanli", at(9, 4)).unwrap();
    login(&mut s, "lingdao", GOOD, at(9, 5)).unwrap();
}

#[test]
fn a_new_password_replaces_the_old_one_after_the_policy_check() {
    let mut s = store_with_admin();
    let (field, _) = invalid(set_password(
        &mut s,
        "guanli",
        "12345678",
        "guanli",
        at(9, 0),
    ));
    assert_eq!(field, "password");
    login(&mut s, "guanli", GOOD, at(9, 1)).unwrap();
    set_password(&mut s, "guanli", "Dongfeng#Hall7", "guanli", at(9, 2)).unwrap();
    assert!(matches!(
        login(&mut s, "guanli", GOOD, at(9, 3)),
        Err(Error::BadCredentials)
    ));
    login(&mut s, "guanli", "Dongfeng#Hall7", at(9, 4)).unwrap();
    let (field, _) = invalid(set_password(
        &mut s,
        "nobody",
        "Dongfeng#Hall7",
        "guanli",
        at(9, 5),
    ));
    assert_eq!(field, "username");
}

#[test]
fn the_schema_refuses_what_the_code_would_never_write() {
    let s = store_with_admin();
    let c = s.connection();
    for bad in [
        "INSERT INTO account (username, display_name, roles, password_hash, created_at)
         VALUES ('x', '甲', '管理员', '$argon2id$v=19$x', '2026-11-28 09:00:00')",
        "INSERT INTO account (username, display_name, roles, password_hash, created_at)
         VALUES ('GUANLI', '甲', '管理员', '$argon2id$v=19$x', '2026-11-28 09:00:00')",
        "INSERT INTO account (username, display_name, roles, password_hash, created_at)
         VALUES ('plain', '甲', '管理员', 'Bianmin@2026', '2026-11-28 09:00:00')",
        "INSERT INTO account (username, display_name, roles, password_hash, created_at)
         VALUES ('ok', '甲', '管理员', '$argon2id$v=19$x', '2026-02-30 09:00:00')",
    ] {
        assert!(c.execute(bad, []).is_err(), "{bad}");
    }
}
