//! The check every front-end action passes: is someone logged in, is the session still live,
//! does a role of theirs grant what the action needs, and may they act as the staff member
//! named. Refusals of a logged-in account and expired sessions are written to the audit log.

use std::time::Instant;

use chrono::NaiveDateTime;

use super::{audit_entry, Account, Permission, Role, Session};
use crate::request::{RequestDetail, RequestView, StepKind};
use crate::store::Store;
use crate::{Error, Result};

/// Lets `what` (the action's name, for the audit log) through when `session` holds a live
/// session whose roles grant `needed`, and returns its account. An expired session is ended
/// (`*session` becomes `None`) and answers `Error::SessionExpired`; no session answers
/// `Error::NotLoggedIn`; a role that does not grant it answers `Error::Forbidden`, recorded.
pub fn authorize<S: Store>(
    store: &mut S,
    session: &mut Option<Session>,
    needed: Permission,
    what: &str,
    now: Instant,
    at: NaiveDateTime,
) -> Result<Account> {
    authorize_as(store, session, needed, what, Activity::Person, now, at)
}

/// Whether a call is someone's action or a background refresh (the request list's polling),
/// which must not keep an unattended session alive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    Person,
    Background,
}

/// [`authorize`], saying whether the call counts as activity. Each call also reads the account
/// again (issue 17, point 7): an account disabled, locked, removed or given a new password
/// since the login ends the session at once; a demo account that has not yet changed its
/// published password may do nothing else (`Error::MustChangePassword`).
pub fn authorize_as<S: Store>(
    store: &mut S,
    session: &mut Option<Session>,
    needed: Permission,
    what: &str,
    activity: Activity,
    now: Instant,
    at: NaiveDateTime,
) -> Result<Account> {
    let account = session_account(store, session, what, activity, now, at)?;
    if account.must_change_password {
        return Err(Error::MustChangePassword);
    }
    permitted(store, session, needed, what, at)
}

/// The live session's account, read again from the store: for the calls any logged-in person
/// may make (changing their own password included), before any permission.
pub fn session_account<S: Store>(
    store: &mut S,
    session: &mut Option<Session>,
    what: &str,
    activity: Activity,
    now: Instant,
    at: NaiveDateTime,
) -> Result<Account> {
    let Some(live) = session.as_mut() else {
        return Err(Error::NotLoggedIn);
    };
    let checked = match activity {
        Activity::Person => live.touch(now),
        Activity::Background => live.check(now),
    };
    if let Err(e) = checked {
        let account = live.account.clone();
        let minutes = live.idle_limit().as_secs() / 60;
        *session = None;
        store.write(|c| {
            c.add_audit(&audit_entry(
                "session_expired",
                Some(&account),
                false,
                format!("超过 {minutes} 分钟未操作，自动退出"),
                format!("账号：{}；操作：{what}", account.username),
                at,
            ))
        })?;
        return Err(e);
    }
    let username = live.account.username.clone();
    let fresh = store.read(|q| q.account(&username))?.map(|s| s.account);
    let ended = match &fresh {
        None => Some("账号已被删除"),
        Some(a) if a.disabled => Some("账号已被停用"),
        Some(a) if a.is_locked(at) => Some("账号已被锁定"),
        Some(a) if a.credential != live.account.credential => Some("账号的密码已被重置"),
        Some(_) => None,
    };
    if let Some(why) = ended {
        let account = live.account.clone();
        *session = None;
        store.write(|c| {
            c.add_audit(&audit_entry(
                "session_ended",
                Some(&account),
                false,
                format!("{why}，会话结束"),
                format!("账号：{}；操作：{what}", account.username),
                at,
            ))
        })?;
        return Err(Error::SessionEnded(why.to_string()));
    }
    let fresh = fresh.expect("checked above");
    live.account = fresh.clone();
    Ok(fresh)
}

/// Refuses, and records, a permission the live session's roles do not grant.
fn permitted<S: Store>(
    store: &mut S,
    session: &mut Option<Session>,
    needed: Permission,
    what: &str,
    at: NaiveDateTime,
) -> Result<Account> {
    let Some(live) = session.as_mut() else {
        return Err(Error::NotLoggedIn);
    };
    let account = live.account.clone();
    if let Err(e) = live.require(needed) {
        store.write(|c| {
            c.add_audit(&audit_entry(
                "refused",
                Some(&account),
                false,
                format!("角色不允许：{}", needed.description()),
                format!("账号：{}；操作：{what}", account.username),
                at,
            ))
        })?;
        return Err(e);
    }
    Ok(account)
}

/// The staff member an action is done as. An account linked to a staff member acts only as that
/// person; naming anyone else is refused, naming no one means that person. An account without a
/// staff member cannot do counter work.
pub fn acting_staff(account: &Account, named: Option<&str>) -> Result<String> {
    let named = named.map(str::trim).filter(|s| !s.is_empty());
    match (&account.staff_no, named) {
        (Some(own), None) => Ok(own.clone()),
        (Some(own), Some(n)) if n == own => Ok(own.clone()),
        (Some(own), Some(n)) => Err(Error::invalid(
            "staff",
            format!(
                "经办人“{n}”不是当前登录的账号本人：账号 {} 只能以 {}（{own}）的名义办理。",
                account.username,
                account.staff_name.as_deref().unwrap_or("本人"),
            ),
        )),
        (None, _) => Err(Error::invalid(
            "staff",
            format!(
                "账号 {} 没有对应的工作人员，不能办理窗口业务；请管理员为其关联工号。",
                account.username
            ),
        )),
    }
}

/// [`acting_staff`], with a refusal recorded in the audit log (`what` names the action).
pub fn act_as<S: Store>(
    store: &mut S,
    account: &Account,
    named: Option<&str>,
    what: &str,
    at: NaiveDateTime,
) -> Result<String> {
    acting_staff(account, named).or_else(|e| refused(store, account, e, what, at))
}

/// Records `e`, a refusal of `account`'s action `what`, in the audit log, and answers it.
fn refused<S: Store, T>(
    store: &mut S,
    account: &Account,
    e: Error,
    what: &str,
    at: NaiveDateTime,
) -> Result<T> {
    let entry = audit_entry(
        "refused",
        Some(account),
        false,
        e.to_string(),
        format!("账号：{}；操作：{what}", account.username),
        at,
    );
    store.write(|c| c.add_audit(&entry))?;
    Err(e)
}

/// The towns whose requests and people an account may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TownScope {
    /// Every town of the database: the county role, or an administrator who stands for no
    /// township staff member (the hall's database administrator).
    All,
    /// The town of the account's staff member, and no other.
    One(String),
}

impl TownScope {
    pub fn admits(&self, town: &str) -> bool {
        match self {
            TownScope::All => true,
            TownScope::One(own) => own == town.trim(),
        }
    }

    /// The town a screen reads, from the one it asked for: any (or all, when none is asked)
    /// for [`TownScope::All`]; the account's own when none is asked or its own is; another is
    /// refused ([`Error::OtherTown`]).
    pub fn narrow(&self, asked: Option<&str>) -> Result<Option<String>> {
        let asked = asked.map(str::trim).filter(|s| !s.is_empty());
        match (self, asked) {
            (TownScope::All, a) => Ok(a.map(String::from)),
            (TownScope::One(own), None) => Ok(Some(own.clone())),
            (TownScope::One(own), Some(a)) if a == own => Ok(Some(own.clone())),
            (TownScope::One(own), Some(a)) => Err(Error::OtherTown {
                asked: a.into(),
                own: own.clone(),
            }),
        }
    }
}

/// Which towns `account` may read (DESIGN.md, roles): a 镇领导, 窗口人员 or 审批人员 sees the town
/// of the staff member the account stands for; a 县级领导 sees every town. An administrator
/// without a staff member (the first account of a database) sees every town, as it imports
/// each town's roster. Any other account without a staff member sees none.
pub fn town_scope(account: &Account) -> Result<TownScope> {
    if account.has_role(Role::County) {
        return Ok(TownScope::All);
    }
    match (&account.staff_town, account.has_role(Role::Admin)) {
        (Some(town), _) => Ok(TownScope::One(town.clone())),
        (None, true) => Ok(TownScope::All),
        (None, false) => Err(Error::invalid(
            "account",
            format!(
                "账号 {} 没有对应的工作人员，不知属于哪个乡镇；请管理员为其关联工号，或授予县级领导角色。",
                account.username
            ),
        )),
    }
}

/// [`town_scope`] narrowed to the town a screen asked for (`None`: the account's own, or all
/// for the county), with a refusal recorded in the audit log (`what` names the action).
pub fn see_town<S: Store>(
    store: &mut S,
    account: &Account,
    asked: Option<&str>,
    what: &str,
    at: NaiveDateTime,
) -> Result<Option<String>> {
    town_scope(account)
        .and_then(|scope| scope.narrow(asked))
        .or_else(|e| refused(store, account, e, what, at))
}

/// What a step on a request needs: deciding is approval; the rest is counter work, recording
/// a department's result included (the counter forwarded the request, takes the department's
/// answer back and tells the resident; the authority rule asks a clerk for it, as for the
/// forward itself).
pub fn step_permission(kind: StepKind) -> Permission {
    match kind {
        StepKind::Decide | StepKind::Suspend | StepKind::Resume => Permission::Approve,
        StepKind::Extend => Permission::Extend,
        _ => Permission::Intake,
    }
}

/// Whether one of `account`'s roles grants `needed`.
fn may(account: &Account, needed: Permission) -> bool {
    account.roles.iter().any(|r| r.grants(needed))
}

/// A request's view as `account` sees it: `next_steps` narrowed to the steps its roles may
/// take, and no `forms` for an account that may not print.
pub fn view_for(account: &Account, view: &mut RequestView) {
    view.next_steps
        .retain(|k| may(account, step_permission(*k)));
    if !may(account, Permission::Print) {
        view.forms.clear();
    }
}

/// A request's page as `account` sees it ([`view_for`]), for the app and the hall server.
pub fn detail_for(account: &Account, mut detail: RequestDetail) -> RequestDetail {
    view_for(account, &mut detail.view);
    detail
}

/// Views as `account` sees them ([`view_for`]).
pub fn views_for(account: &Account, mut views: Vec<RequestView>) -> Vec<RequestView> {
    for v in &mut views {
        view_for(account, v);
    }
    views
}

/// Records an administrator's action (a backup, a restore) in the audit log: by `account` when
/// done from the app, by the OS user alone when from the command line (`basis` says which).
pub fn record_action<S: Store>(
    store: &mut S,
    action: &str,
    account: Option<&Account>,
    basis: &str,
    detail: &str,
    at: NaiveDateTime,
) -> Result<()> {
    let entry = audit_entry(action, account, true, basis.into(), detail.into(), at);
    store.write(|c| c.add_audit(&entry))
}

/// The applicant's ID number of a request in full, for an account whose roles allow it
/// ([`Permission::ReadFullId`]). Every read is recorded in the audit log with the request number
/// (never the number read); a refusal is recorded too.
pub fn read_full_id<S: Store>(
    store: &mut S,
    account: &Account,
    number: &str,
    at: NaiveDateTime,
) -> Result<String> {
    let number = number.trim();
    let (row, towns) = store.read(|q| Ok((q.request(number)?, q.towns()?)))?;
    let row = row.ok_or_else(|| Error::invalid("number", format!("办件编号“{number}”不存在")))?;
    let town = towns
        .into_iter()
        .find(|t| t.id == row.town_id)
        .map(|t| t.name)
        .unwrap_or_default();
    let refusal = if account.can(Permission::ReadFullId) {
        town_scope(account)
            .and_then(|s| s.narrow(Some(&town)))
            .err()
    } else {
        Some(Error::Forbidden {
            needed: Permission::ReadFullId,
            roles: account.roles.clone(),
        })
    };
    let allowed = refusal.is_none();
    let mut entry = audit_entry(
        "read_full_id",
        Some(account),
        allowed,
        match &refusal {
            None => "查看完整证件号码".into(),
            Some(Error::Forbidden { .. }) => {
                format!("角色不允许：{}", Permission::ReadFullId.description())
            }
            Some(e) => e.to_string(),
        },
        format!("账号：{}", account.username),
        at,
    );
    entry.request_number = Some(row.number.clone());
    entry.item_code = Some(row.item_code.clone());
    store.write(|c| c.add_audit(&entry))?;
    if let Some(e) = refusal {
        return Err(e);
    }
    if let Some(r) = &row.retained {
        return Err(Error::invalid(
            "number",
            format!(
                "办件“{number}”已过个人信息留存期限，完整证件号码已于 {} 去除，只留遮盖后的号码",
                r.on
            ),
        ));
    }
    row.applicant
        .map(|a| a.as_str().to_string())
        .ok_or_else(|| Error::invalid("number", format!("办件“{number}”没有登记证件号码")))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::NaiveDate;

    use super::*;
    use crate::accounts::tests::account_with;
    use crate::accounts::Role;
    use crate::request::{self, NewRequest};
    use crate::store::SqliteStore;

    const ID: &str = "520203198503121233";

    fn at() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 28)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
    }

    fn audit_rows(s: &SqliteStore) -> Vec<String> {
        s.dump_table_for_tests("audit_log")
            .lines()
            .map(String::from)
            .collect()
    }

    /// The demo with one request taken in by ZC0015.
    fn store_with_request() -> (SqliteStore, String) {
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::demo::load(&mut s, at().date()).unwrap();
        let input = NewRequest {
            staff: "ZC0015".into(),
            item: "MZ-001".into(),
            name: "王喆赟".into(),
            id: Some(ID.into()),
            credit_code: None,
            phone: None,
            materials: None,
            remark: None,
            ..NewRequest::default()
        };
        let d = request::new_request(
            &mut s,
            &input,
            NaiveDate::from_ymd_opt(2026, 11, 28)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
        )
        .unwrap();
        (s, d.view.number)
    }

    #[test]
    fn no_session_an_expired_one_and_a_role_without_the_permission_are_refused() {
        let (mut s, _) = store_with_request();
        let mut none = None;
        let r = authorize(
            &mut s,
            &mut none,
            Permission::ReadCatalog,
            "x",
            Instant::now(),
            at(),
        );
        assert!(matches!(r, Err(Error::NotLoggedIn)));

        let start = Instant::now();
        let clerk = crate::accounts::tests::stored_account(&mut s, &[Role::Clerk]);
        let mut live = Some(Session::new(clerk.clone(), start, Duration::from_secs(60)));
        let ok = authorize(&mut s, &mut live, Permission::Intake, "受理", start, at()).unwrap();
        assert_eq!(ok.username, clerk.username);

        let before = audit_rows(&s).len();
        let r = authorize(
            &mut s,
            &mut live,
            Permission::ViewStaffing,
            "编制统计",
            start,
            at(),
        );
        assert!(matches!(
            r,
            Err(Error::Forbidden {
                needed: Permission::ViewStaffing,
                ..
            })
        ));
        let rows = audit_rows(&s);
        assert_eq!(
            rows.len(),
            before + 1,
            "the refusal is not in the audit log"
        );
        assert!(
            rows.last().unwrap().contains("Text(\"refused\")"),
            "{}",
            rows.last().unwrap()
        );
        assert!(live.is_some(), "a refusal ends no session");

        let later = start + Duration::from_secs(61);
        let r = authorize(&mut s, &mut live, Permission::Intake, "受理", later, at());
        assert!(matches!(r, Err(Error::SessionExpired)));
        assert!(live.is_none(), "an expired session is ended");
        assert!(audit_rows(&s)
            .last()
            .unwrap()
            .contains("Text(\"session_expired\")"));
    }

    /// Issue 17, points 6 and 7: every call reads the account again. A demo account does
    /// nothing before its published password is changed; disabling, locking or resetting the
    /// password of an account ends its live session at the next call, recorded; background
    /// refreshes keep no idle session alive.
    #[test]
    fn each_call_reads_the_account_again() {
        let (mut s, _) = store_with_request();
        let start = Instant::now();
        let limit = Duration::from_secs(60);
        let clerk = crate::accounts::find_account(&mut s, "chuangkou").unwrap();
        assert!(clerk.must_change_password, "a demo account");
        let mut live = Some(Session::new(clerk.clone(), start, limit));
        let r = authorize(&mut s, &mut live, Permission::Intake, "受理", start, at());
        assert!(matches!(r, Err(Error::MustChangePassword)), "{r:?}");
        assert_eq!(r.unwrap_err().code(), "must_change_password");
        let me =
            session_account(&mut s, &mut live, "修改密码", Activity::Person, start, at()).unwrap();
        crate::accounts::set_password(&mut s, &me.username, "Xinmima@2026a", &me.username, at())
            .unwrap();
        // Its own change: the session goes on with the new credential.
        live.as_mut().unwrap().account =
            crate::accounts::find_account(&mut s, "chuangkou").unwrap();
        authorize(&mut s, &mut live, Permission::Intake, "受理", start, at()).unwrap();

        // An administrator resets it: the session ends at the next call.
        crate::accounts::set_password(&mut s, "chuangkou", "Chongzhi@2026b", "guanli", at())
            .unwrap();
        let r = authorize(&mut s, &mut live, Permission::Intake, "受理", start, at());
        assert!(
            matches!(&r, Err(Error::SessionEnded(why)) if why.contains("重置")),
            "{r:?}"
        );
        assert!(live.is_none());
        assert!(audit_rows(&s)
            .last()
            .unwrap()
            .contains("Text(\"session_ended\")"));

        // Disabled while logged in.
        let clerk = crate::accounts::find_account(&mut s, "chuangkou").unwrap();
        let mut live = Some(Session::new(clerk, start, limit));
        authorize(&mut s, &mut live, Permission::Intake, "受理", start, at()).unwrap();
        crate::accounts::set_disabled(&mut s, "chuangkou", true, "guanli", at()).unwrap();
        let r = authorize(
            &mut s,
            &mut live,
            Permission::ReadCatalog,
            "查目录",
            start,
            at(),
        );
        assert!(
            matches!(&r, Err(Error::SessionEnded(why)) if why.contains("停用")),
            "{r:?}"
        );
        assert_eq!(r.unwrap_err().code(), "session_expired");

        // Polling every second for two minutes keeps nothing alive.
        let leader = crate::accounts::find_account(&mut s, "lingdao").unwrap();
        crate::accounts::set_password(&mut s, "lingdao", "Xinmima@2026a", "lingdao", at()).unwrap();
        let leader = crate::accounts::Account {
            credential: crate::accounts::find_account(&mut s, "lingdao")
                .unwrap()
                .credential,
            ..leader
        };
        let mut live = Some(Session::new(leader, start, limit));
        for k in 1..=59 {
            let t = start + Duration::from_secs(k);
            authorize_as(
                &mut s,
                &mut live,
                Permission::ReadRequests,
                "办件列表",
                Activity::Background,
                t,
                at(),
            )
            .unwrap();
        }
        let r = authorize(
            &mut s,
            &mut live,
            Permission::ReadRequests,
            "办件列表",
            start + Duration::from_secs(61),
            at(),
        );
        assert!(matches!(r, Err(Error::SessionExpired)), "{r:?}");
    }

    #[test]
    fn an_account_acts_only_as_its_own_staff_member() {
        let mut a = account_with(&[Role::Clerk]);
        a.staff_no = Some("ZC0015".into());
        assert_eq!(acting_staff(&a, None).unwrap(), "ZC0015");
        assert_eq!(acting_staff(&a, Some(" ZC0015 ")).unwrap(), "ZC0015");
        assert!(matches!(
            acting_staff(&a, Some("ZC0016")),
            Err(Error::Invalid { field: "staff", .. })
        ));
        a.staff_no = None;
        assert!(matches!(
            acting_staff(&a, Some("ZC0015")),
            Err(Error::Invalid { field: "staff", .. })
        ));
    }

    #[test]
    fn acting_as_someone_else_is_refused_and_recorded() {
        let (mut s, _) = store_with_request();
        let mut a = account_with(&[Role::Clerk]);
        a.staff_no = Some("ZC0015".into());
        let before = audit_rows(&s).len();
        assert_eq!(
            act_as(&mut s, &a, Some("ZC0015"), "受理", at()).unwrap(),
            "ZC0015"
        );
        assert_eq!(
            audit_rows(&s).len(),
            before,
            "acting as oneself is no event"
        );
        let r = act_as(&mut s, &a, Some("ZC0016"), "受理", at());
        assert!(matches!(r, Err(Error::Invalid { field: "staff", .. })));
        let rows = audit_rows(&s);
        assert_eq!(rows.len(), before + 1);
        assert!(
            rows.last().unwrap().contains("ZC0016"),
            "{}",
            rows.last().unwrap()
        );
    }

    #[test]
    fn deciding_needs_approval_and_the_rest_counter_work() {
        use crate::request::StepKind::*;
        for (kind, want) in [
            (Accept, Permission::Intake),
            (Refuse, Permission::Intake),
            (Forward, Permission::Intake),
            (Result, Permission::Intake),
            (Decide, Permission::Approve),
            (Complete, Permission::Intake),
            (Pickup, Permission::Intake),
            (Withdraw, Permission::Intake),
            (Extend, Permission::Extend),
            (Suspend, Permission::Approve),
            (Resume, Permission::Approve),
            (Explain, Permission::Intake),
        ] {
            assert_eq!(step_permission(kind), want, "{kind:?}");
        }
    }

    /// An accepted request's next steps and forms as accounts of each role set see them.
    #[test]
    fn next_steps_are_narrowed_to_the_roles() {
        let (mut s, number) = store_with_request();
        let detail = crate::request::show(&mut s, &number, at().date()).unwrap();
        let check = |roles: &[Role], expect: &str| {
            let mut view = detail.view.clone();
            view_for(&account_with(roles), &mut view);
            let steps: Vec<&str> = view.next_steps.iter().map(|k| k.key()).collect();
            let forms: Vec<&str> = view.forms.iter().map(|k| k.key()).collect();
            assert_eq!(
                format!("{} | {}", steps.join(" "), forms.join(" ")),
                expect,
                "{roles:?}"
            );
        };
        check(&[Role::Clerk], "forward refuse withdraw | receipt");
        // Only a 镇领导 approves an extension; an approver stops and restarts the clock.
        check(&[Role::Approver], "decide suspend | receipt");
        check(&[Role::Leader], "decide extend suspend | receipt");
        check(
            &[Role::Clerk, Role::Approver],
            "decide forward suspend refuse withdraw | receipt",
        );
        check(&[Role::Admin], " | ");
        check(&[], " | ");
    }

    #[test]
    fn a_full_id_read_is_audited_with_the_request_not_the_number_read() {
        let (mut s, number) = store_with_request();
        let clerk = of_town(&[Role::Clerk], "朱昌镇");
        assert_eq!(read_full_id(&mut s, &clerk, &number, at()).unwrap(), ID);
        let rows = audit_rows(&s);
        let last = rows.last().unwrap();
        assert!(
            last.contains("Text(\"read_full_id\")") && last.contains(&number),
            "{last}"
        );
        assert!(
            rows.iter().all(|r| !r.contains(ID)),
            "a full ID number in the audit log"
        );

        // A leader may not, and the attempt is recorded as refused.
        let leader = of_town(&[Role::Leader], "朱昌镇");
        let before = audit_rows(&s).len();
        let r = read_full_id(&mut s, &leader, &number, at());
        assert!(matches!(r, Err(Error::Forbidden { .. })));
        assert_eq!(audit_rows(&s).len(), before + 1);

        // Nor may a clerk of another town: refused, and recorded as refused.
        let other = of_town(&[Role::Clerk], "东风镇");
        let r = read_full_id(&mut s, &other, &number, at());
        assert!(matches!(r, Err(Error::OtherTown { .. })), "{r:?}");
        let rows = audit_rows(&s);
        assert_eq!(rows.len(), before + 2);
        assert!(
            rows.last().unwrap().contains("东风镇"),
            "{}",
            rows.last().unwrap()
        );
        assert!(rows.iter().all(|r| !r.contains(ID)));
        assert!(matches!(
            read_full_id(&mut s, &clerk, "ZC-20991231-9999", at()),
            Err(Error::Invalid {
                field: "number",
                ..
            })
        ));
    }

    fn of_town(roles: &[Role], town: &str) -> Account {
        Account {
            staff_no: Some("X0001".into()),
            staff_town: Some(town.into()),
            ..account_with(roles)
        }
    }

    /// Which towns each kind of account reads, and what a screen asking for a town gets.
    #[test]
    fn an_account_reads_its_own_town_and_the_county_every_town() {
        let check = |account: &Account, asked: Option<&str>, expect: &str| {
            let got = match town_scope(account).and_then(|s| s.narrow(asked)) {
                Ok(Some(t)) => t,
                Ok(None) => "所有乡镇".into(),
                Err(e) => format!("{}: {e}", e.code()),
            };
            assert_eq!(got, expect, "{:?} {asked:?}", account.roles);
        };
        let leader = of_town(&[Role::Leader], "东风镇");
        check(&leader, None, "东风镇");
        check(&leader, Some(" 东风镇 "), "东风镇");
        check(&leader, Some(""), "东风镇");
        check(
            &leader,
            Some("朱昌镇"),
            "forbidden: 当前账号属于东风镇，无权查看朱昌镇的办件和人员；查看各乡镇需要县级领导账号。",
        );
        check(&of_town(&[Role::Clerk], "朱昌镇"), Some("东风镇"), "forbidden: 当前账号属于朱昌镇，无权查看东风镇的办件和人员；查看各乡镇需要县级领导账号。");
        // The county's role reads every town, whatever staff member the account has.
        let county = account_with(&[Role::County]);
        check(&county, None, "所有乡镇");
        check(&county, Some("朱昌镇"), "朱昌镇");
        check(
            &of_town(&[Role::Leader, Role::County], "东风镇"),
            Some("金华镇"),
            "金华镇",
        );
        // The database's own administrator (no staff member) reads every town; one who stands
        // for a staff member reads that person's town.
        check(&account_with(&[Role::Admin]), Some("金华镇"), "金华镇");
        check(&of_town(&[Role::Admin], "东风镇"), Some("金华镇"), "forbidden: 当前账号属于东风镇，无权查看金华镇的办件和人员；查看各乡镇需要县级领导账号。");
        // Anyone else without a staff member reads no town.
        check(
            &account_with(&[Role::Leader]),
            None,
            "invalid_input: 账号 ceshi 没有对应的工作人员，不知属于哪个乡镇；请管理员为其关联工号，或授予县级领导角色。",
        );
        assert!(TownScope::One("东风镇".into()).admits("东风镇"));
        assert!(!TownScope::One("东风镇".into()).admits("朱昌镇"));
        assert!(TownScope::All.admits("朱昌镇"));
    }

    #[test]
    fn a_look_at_another_town_is_refused_and_recorded() {
        let (mut s, _) = store_with_request();
        let leader = of_town(&[Role::Leader], "东风镇");
        let before = audit_rows(&s).len();
        assert_eq!(
            see_town(&mut s, &leader, None, "编制统计", at()).unwrap(),
            Some("东风镇".into())
        );
        assert_eq!(
            audit_rows(&s).len(),
            before,
            "an allowed look is not a refusal"
        );
        let e = see_town(&mut s, &leader, Some("朱昌镇"), "编制统计", at()).unwrap_err();
        assert_eq!(e.code(), "forbidden");
        let rows = audit_rows(&s);
        assert_eq!(rows.len(), before + 1);
        let last = rows.last().unwrap();
        assert!(
            last.contains("refused") && last.contains("朱昌镇") && last.contains("编制统计"),
            "{last}"
        );
    }
}
