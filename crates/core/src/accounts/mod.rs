//! Local accounts: who may log in to the app, with which roles, and what each role permits.
//!
//! There is no default account and no default password. On a database without accounts the
//! app asks for a first administrator ([`needs_first_admin`], [`create_first_admin`]) and the
//! one-time setup code `bianmin init` printed ([`new_setup_code`]); the administrator then adds
//! the others ([`create_account`]). Passwords are hashed with argon2id
//! ([`password`]); five failed logins in a row lock an account for fifteen minutes; every login,
//! failed login, lock and change to an account is in the audit log (never a password or hash).
//! A [`Session`] is a logged-in account in a running app, with an idle limit.

mod guard;
mod password;
mod session;

use crate::ids::AccountId;
use chrono::{Duration as Minutes, NaiveDateTime};
use serde::{Serialize, Serializer};

use crate::audit::{os_user, AuditEntry};
use crate::date::DATETIME;
use crate::store::{Changes, NewAccountRow, Store};
use crate::{Error, Result};

pub use crate::staff::Role;
pub use guard::{
    act_as, acting_staff, authorize, authorize_as, detail_for, read_full_id, record_action,
    see_town, session_account, step_permission, town_scope, view_for, views_for, Activity,
    TownScope,
};
pub use password::{
    check_password, hash_password, is_common, verify_password, ARGON2_M_KIB, ARGON2_P, ARGON2_T,
    MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS,
};
pub use session::{
    idle_limit_from_env, Session, ABSOLUTE_LIMIT, DEFAULT_IDLE_MINUTES, IDLE_MINUTES_VAR,
};

/// Failed logins in a row that lock an account.
pub const MAX_FAILURES: u32 = 5;
/// How long a lock lasts.
pub const LOCK_MINUTES: i64 = 15;

/// What an action needs. Each role grants a fixed set ([`Role::grants`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Search the catalogue and read item pages.
    ReadCatalog,
    /// Read requests and their timelines (ID numbers masked).
    ReadRequests,
    /// The counter's steps: consult, accept, refuse, forward, record the department's result of a
    /// forwarded request, complete, pickup, withdraw.
    Intake,
    /// Decide a request here (审批决定), and stop and restart its clock (暂停计时, 恢复计时).
    Approve,
    /// Approve an extension of a request's time limit (延期): the 负责人's act
    /// (行政许可法第四十二条), a 镇领导's.
    Extend,
    /// Print or save forms.
    Print,
    /// See an applicant's ID number in full (each read is audited).
    ReadFullId,
    /// The staffing screens and reports.
    ViewStaffing,
    /// Import catalogues, rosters and calendars.
    Import,
    /// Add accounts, reset passwords, unlock and disable accounts.
    ManageAccounts,
    /// Back up and restore the database.
    Backup,
    /// Follow up a resident's 差评: contact, verify, fix, reply and close (a 镇领导's).
    FollowUp,
}

impl Permission {
    pub const ALL: [Permission; 12] = [
        Permission::ReadCatalog,
        Permission::ReadRequests,
        Permission::Intake,
        Permission::Approve,
        Permission::Extend,
        Permission::Print,
        Permission::ReadFullId,
        Permission::ViewStaffing,
        Permission::Import,
        Permission::ManageAccounts,
        Permission::Backup,
        Permission::FollowUp,
    ];

    /// What the permission allows, in Chinese, to follow 无权 in a refusal.
    pub fn description(self) -> &'static str {
        match self {
            Permission::ReadCatalog => "查看事项目录",
            Permission::ReadRequests => "查看办件",
            Permission::Intake => {
                "窗口受理（咨询、受理、不予受理、转报、登记部门办理结果、办结、取件、撤回、逾期说明）"
            }
            Permission::Approve => "审批办件（作出审批决定、暂停和恢复计时）",
            Permission::Extend => "批准延长办理期限",
            Permission::Print => "打印表单",
            Permission::ReadFullId => "查看完整身份证号",
            Permission::ViewStaffing => "查看编制与在岗情况",
            Permission::Import => "导入事项目录、花名册和节假日安排",
            Permission::ManageAccounts => "管理账号",
            Permission::Backup => "备份和恢复数据库",
            Permission::FollowUp => "回访和处理差评",
        }
    }
}

impl Role {
    /// The one table of what each role may do. Roles add up: an account with several roles may
    /// do what any of them grants.
    pub fn grants(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Clerk => matches!(p, ReadCatalog | ReadRequests | Intake | Print | ReadFullId),
            Role::Approver => {
                matches!(p, ReadCatalog | ReadRequests | Approve | Print | ReadFullId)
            }
            Role::Leader => matches!(
                p,
                ReadCatalog | ReadRequests | ViewStaffing | Approve | Extend | Print | FollowUp
            ),
            Role::Admin => matches!(
                p,
                ReadCatalog | Import | ManageAccounts | Backup | ViewStaffing
            ),
            Role::County => matches!(p, ReadCatalog | ReadRequests | ViewStaffing | Print),
        }
    }
}

/// Role labels joined for a message: 窗口人员、镇领导 (无 for none).
pub fn role_labels(roles: &[Role]) -> String {
    if roles.is_empty() {
        return "无".into();
    }
    roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join("、")
}

/// Roles as typed: labels (or clerk, approver, leader, admin) separated by commas or 、.
/// Sorted, without repeats; at least one.
pub fn parse_roles(field: &'static str, text: &str) -> Result<Vec<Role>> {
    let mut roles = Vec::new();
    for part in text
        .split([',', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let role = Role::parse(part)
            .or(match part.to_ascii_lowercase().as_str() {
                "clerk" => Some(Role::Clerk),
                "approver" => Some(Role::Approver),
                "leader" => Some(Role::Leader),
                "admin" => Some(Role::Admin),
                "county" => Some(Role::County),
                _ => None,
            })
            .ok_or_else(|| {
                Error::invalid(
                    field,
                    format!(
                        "角色“{part}”无效：应为 窗口人员、审批人员、镇领导、管理员 或 县级领导。"
                    ),
                )
            })?;
        roles.push(role);
    }
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        return Err(empty_roles(field));
    }
    Ok(roles)
}

fn empty_roles(field: &'static str) -> Error {
    Error::invalid(
        field,
        "角色不能为空：请至少给出一个（窗口人员、审批人员、镇领导、管理员、县级领导）。",
    )
}

/// A local account as the front ends see it: never its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Account {
    #[serde(skip)]
    pub id: AccountId,
    pub username: String,
    pub display_name: String,
    /// The staff member the account acts as at the counter.
    pub staff_no: Option<String>,
    pub staff_name: Option<String>,
    /// The town of that staff member: the one the account's screens open on.
    pub staff_town: Option<String>,
    pub roles: Vec<Role>,
    /// Failed logins in a row (kept at the count that locked it while locked).
    pub failed_count: u32,
    /// `YYYY-MM-DD HH:MM:SS` while locked after failed logins.
    #[serde(serialize_with = "opt_datetime")]
    #[ts(type = "string | null")]
    pub locked_until: Option<NaiveDateTime>,
    /// `YYYY-MM-DD HH:MM:SS`.
    #[serde(serialize_with = "datetime")]
    #[ts(type = "string")]
    pub created_at: NaiveDateTime,
    pub disabled: bool,
    /// A demo account not yet given a password of its own: it may do nothing but change it.
    pub must_change_password: bool,
    /// A fingerprint of the password hash (never the hash): a session ends when it changes.
    #[serde(skip)]
    #[ts(skip)]
    pub credential: String,
}

/// The fingerprint of a password hash a session compares (16 hex digits of its SHA-256).
pub(crate) fn credential(password_hash: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(password_hash.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Account {
    /// Whether a lock is in force at `now`.
    pub fn is_locked(&self, now: NaiveDateTime) -> bool {
        self.locked_until.is_some_and(|u| u > now)
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether any of the account's roles grants `p`.
    pub fn can(&self, p: Permission) -> bool {
        self.roles.iter().any(|r| r.grants(p))
    }
}

fn datetime<S: Serializer>(t: &NaiveDateTime, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(&t.format(DATETIME))
}

fn opt_datetime<S: Serializer>(
    t: &Option<NaiveDateTime>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match t {
        Some(t) => datetime(t, s),
        None => s.serialize_none(),
    }
}

/// An account with its password hash, as the store keeps it. Only this module reads the hash.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredAccount {
    pub account: Account,
    pub password_hash: String,
}

impl std::fmt::Debug for StoredAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredAccount")
            .field("account", &self.account)
            .field("password_hash", &"(hidden)")
            .finish()
    }
}

/// A new account as an administrator enters it.
#[derive(Clone, Default)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    /// The staff number of the person the account acts as, if any.
    pub staff_no: Option<String>,
    pub roles: Vec<Role>,
    pub password: String,
}

impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("staff_no", &self.staff_no)
            .field("roles", &self.roles)
            .field("password", &"(hidden)")
            .finish()
    }
}

/// Checks a user name: 2 to 32 characters, each a Latin letter, a digit, `.`, `_`, `-` or a
/// Chinese character. Returns it without surrounding spaces.
pub fn check_username(username: &str) -> Result<&str> {
    let u = username.trim();
    let n = u.chars().count();
    if !(2..=32).contains(&n) {
        return Err(Error::invalid(
            "username",
            format!("用户名长度应为 2 到 32 个字符，现在是 {n} 个。"),
        ));
    }
    if let Some(c) = u.chars().find(|&c| !username_char(c)) {
        return Err(Error::invalid(
            "username",
            format!(
                "用户名“{u}”含有不允许的字符“{c}”：只能用英文字母、数字、汉字和 . _ - 这几个符号。"
            ),
        ));
    }
    Ok(u)
}

fn username_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '.' | '_' | '-')
        || matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{20000}'..='\u{2a6df}')
}

/// Checks a display name: 1 to 50 characters, no control characters. Returns it trimmed.
pub fn check_display_name(name: &str) -> Result<&str> {
    let t = name.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(Error::invalid("name", "姓名不能为空。"));
    }
    if n > 50 {
        return Err(Error::invalid(
            "name",
            format!("姓名过长：{n} 个字符，最多 50 个。"),
        ));
    }
    if t.chars().any(char::is_control) {
        return Err(Error::invalid("name", "姓名不能包含控制字符（如换行）。"));
    }
    Ok(t)
}

fn stamp(now: NaiveDateTime) -> String {
    crate::date::stamp(now)
}

/// An audit record about an account. `detail` never holds a password or a hash.
pub(crate) fn audit_entry(
    action: &str,
    account: Option<&Account>,
    allowed: bool,
    basis: String,
    detail: String,
    now: NaiveDateTime,
) -> AuditEntry {
    AuditEntry {
        at: stamp(now),
        os_user: os_user(),
        staff_no: account.and_then(|a| a.staff_no.clone()),
        action: action.into(),
        request_number: None,
        item_code: None,
        allowed,
        basis,
        detail: Some(detail),
    }
}

fn unknown_account(username: &str) -> Error {
    Error::invalid("username", format!("账号“{}”不存在。", username.trim()))
}

/// True when the database holds no account yet: the app then asks for a first administrator.
pub fn needs_first_admin<S: Store>(store: &mut S) -> Result<bool> {
    store.read(|q| Ok(q.account_count()? == 0))
}

/// Creates the first account, an administrator, with the setup code `bianmin init` printed
/// (used up by it). Refused once any account exists, without a code made, or with another.
pub fn create_first_admin<S: Store>(
    store: &mut S,
    username: &str,
    display_name: &str,
    password: &str,
    code: &str,
    now: NaiveDateTime,
) -> Result<Account> {
    if !needs_first_admin(store)? {
        return Err(first_admin_exists());
    }
    match store.read(|q| q.setup_code_hash())? {
        None => return Err(Error::invalid(
            "code",
            "这个数据库还没有设置码：请在这台电脑的终端运行 bianmin init，它会打印一次性的设置码。",
        )),
        Some(h) if h != code_hash(code) => {
            return Err(Error::invalid(
                "code",
                "设置码不正确：请输入运行 bianmin init 时打印的设置码（重新运行会换一个新的）。",
            ))
        }
        Some(_) => {}
    }
    let new = NewAccount {
        username: username.into(),
        display_name: display_name.into(),
        staff_no: None,
        roles: vec![Role::Admin],
        password: password.into(),
    };
    let account = create(store, &new, "首次启动", now, true)?;
    store.write(|c| c.set_setup_code(None, now))?;
    Ok(account)
}

fn first_admin_exists() -> Error {
    Error::invalid(
        "username",
        "数据库中已有账号，不能再创建首个管理员；请用管理员账号登录后添加账号。",
    )
}

/// Adds an account on behalf of `by` (the administrator's user name, or who ran the command).
/// The first account of a database must include 管理员.
pub fn create_account<S: Store>(
    store: &mut S,
    new: &NewAccount,
    by: &str,
    now: NaiveDateTime,
) -> Result<Account> {
    create(store, new, by, now, false)
}

fn create<S: Store>(
    store: &mut S,
    new: &NewAccount,
    by: &str,
    now: NaiveDateTime,
    first_only: bool,
) -> Result<Account> {
    let username = check_username(&new.username)?;
    let display_name = name_or_staffs(new)?;
    let mut roles = new.roles.clone();
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        return Err(empty_roles("role"));
    }
    let staff_no = match new.staff_no.as_deref().map(str::trim) {
        Some("") => return Err(Error::invalid("staff", "工号不能为空。")),
        Some(no) if no.chars().count() > 32 => {
            return Err(Error::invalid("staff", "工号过长：最多 32 个字符。"))
        }
        other => other,
    };
    check_password(&new.password, username)?;
    // The slow part, outside the write transaction.
    let hash = hash_password(&new.password)?;
    store.write(|c| {
        let count = c.account_count()?;
        if first_only && count > 0 {
            return Err(first_admin_exists());
        }
        if count == 0 && !roles.contains(&Role::Admin) {
            return Err(Error::invalid(
                "role",
                "这是数据库的第一个账号，必须包含“管理员”角色，以便日后管理其他账号。",
            ));
        }
        let account = insert(
            c,
            username,
            display_name,
            staff_no,
            &roles,
            (&hash, false),
            now,
        )?;
        c.add_audit(&audit_entry(
            "account_create",
            Some(&account),
            true,
            "新建账号".into(),
            format!(
                "账号：{username}；角色：{}；操作人：{by}",
                role_labels(&roles)
            ),
            now,
        ))?;
        Ok(account)
    })
}

/// The display name as given, or none (empty) for an account tied to a staff member whose name
/// field was left empty: the name then comes from the staff record ([`insert`]).
fn name_or_staffs(new: &NewAccount) -> Result<&str> {
    if new.display_name.trim().is_empty() && new.staff_no.is_some() {
        Ok("")
    } else {
        check_display_name(&new.display_name)
    }
}

/// Inserts an account after checking that its name is free and its staff number known. An
/// account tied to a staff member carries that person's name: an empty `display_name` takes it,
/// another name is refused (an account named 马永刚 acting as 刘明辉 would sign his work).
fn insert(
    c: &dyn Changes,
    username: &str,
    display_name: &str,
    staff_no: Option<&str>,
    roles: &[Role],
    (hash, must_change_password): (&str, bool),
    now: NaiveDateTime,
) -> Result<Account> {
    if let Some(existing) = c.account(username)? {
        return Err(Error::invalid(
            "username",
            format!("用户名“{}”已被使用，请换一个。", existing.account.username),
        ));
    }
    let staff = match staff_no {
        Some(no) => Some(
            c.staff_profile(no)?
                .ok_or_else(|| Error::invalid("staff", format!("工号“{no}”不存在。")))?,
        ),
        None => None,
    };
    let display_name = match &staff {
        Some(p) if display_name.is_empty() => p.name.as_str(),
        Some(p) if display_name != p.name => {
            return Err(Error::invalid(
                "name",
                format!(
                    "工号 {} 是{}：账号的姓名取自人员档案，应为“{}”，也可以不填。",
                    p.no, p.name, p.name
                ),
            ))
        }
        _ => display_name,
    };
    c.insert_account(&NewAccountRow {
        username,
        display_name,
        staff_id: staff.as_ref().map(|p| p.id),
        roles,
        password_hash: hash,
        created_at: now,
        must_change_password,
    })?;
    Ok(c.account(username)?
        .expect("the account just inserted")
        .account)
}

/// Every account, oldest first (without password hashes).
pub fn list_accounts<S: Store>(store: &mut S) -> Result<Vec<Account>> {
    store.read(|q| q.accounts())
}

/// One account by user name; an unknown name is refused naming `username`.
pub fn find_account<S: Store>(store: &mut S, username: &str) -> Result<Account> {
    store
        .read(|q| q.account(username.trim()))?
        .map(|s| s.account)
        .ok_or_else(|| unknown_account(username))
}

/// Sets a new password (checked against the policy) on behalf of `by`.
pub fn set_password<S: Store>(
    store: &mut S,
    username: &str,
    password: &str,
    by: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let account = find_account(store, username)?;
    check_password(password, &account.username)?;
    let hash = hash_password(password)?;
    store.write(|c| {
        let a = c
            .account(&account.username)?
            .ok_or_else(|| unknown_account(username))?
            .account;
        c.set_password_hash(a.id, &hash)?;
        c.add_audit(&audit_entry(
            "account_password",
            Some(&a),
            true,
            "修改密码".into(),
            format!("账号：{}；操作人：{by}", a.username),
            now,
        ))
    })
}

/// Changes one's own password: the current one must be right, and the new one differ from it
/// (a demo account's published password is not kept). Returns the account as it now is.
pub fn change_own_password<S: Store>(
    store: &mut S,
    username: &str,
    current: &str,
    new: &str,
    now: NaiveDateTime,
) -> Result<Account> {
    login(store, username, current, now).map_err(|e| match e {
        Error::BadCredentials => Error::invalid("current", "当前密码不正确。"),
        other => other,
    })?;
    if new == current {
        return Err(Error::invalid("password", "新密码不能与当前密码相同。"));
    }
    set_password(store, username, new, username, now)?;
    find_account(store, username)
}

/// Lifts a lock and clears the count of failed logins, on behalf of `by`.
pub fn unlock<S: Store>(store: &mut S, username: &str, by: &str, now: NaiveDateTime) -> Result<()> {
    store.write(|c| {
        let a = c
            .account(username.trim())?
            .ok_or_else(|| unknown_account(username))?
            .account;
        c.set_login_state(a.id, 0, None)?;
        c.add_audit(&audit_entry(
            "account_unlock",
            Some(&a),
            true,
            if a.is_locked(now) {
                "解除锁定".into()
            } else {
                "清零失败次数（账号未锁定）".into()
            },
            format!("账号：{}；操作人：{by}", a.username),
            now,
        ))
    })
}

/// Disables or enables an account on behalf of `by`. The last enabled administrator cannot be
/// disabled, so that someone can always manage the accounts.
pub fn set_disabled<S: Store>(
    store: &mut S,
    username: &str,
    disabled: bool,
    by: &str,
    now: NaiveDateTime,
) -> Result<()> {
    store.write(|c| {
        let a = c
            .account(username.trim())?
            .ok_or_else(|| unknown_account(username))?
            .account;
        if disabled && !a.disabled && a.has_role(Role::Admin) {
            let other_admins = c
                .accounts()?
                .iter()
                .filter(|o| o.id != a.id && !o.disabled && o.has_role(Role::Admin))
                .count();
            if other_admins == 0 {
                return Err(Error::invalid(
                    "username",
                    format!(
                        "“{}”是唯一可用的管理员账号，不能停用；请先为他人开通管理员账号。",
                        a.username
                    ),
                ));
            }
        }
        c.set_account_disabled(a.id, disabled)?;
        c.add_audit(&audit_entry(
            if disabled {
                "account_disable"
            } else {
                "account_enable"
            },
            Some(&a),
            true,
            if disabled {
                "停用账号"
            } else {
                "启用账号"
            }
            .into(),
            format!("账号：{}；操作人：{by}", a.username),
            now,
        ))
    })
}

/// What a login attempt came to, decided and recorded inside one write transaction.
enum Outcome {
    Success(Account),
    Bad,
    Locked(NaiveDateTime),
    Disabled,
}

/// Logs in. An unknown user name and a wrong password get the same answer
/// (`Error::BadCredentials`) after the same work (one argon2 verification). [`MAX_FAILURES`]
/// failures in a row lock the account for [`LOCK_MINUTES`] (`Error::Locked`); during a lock the
/// password is not checked and the lock is not extended. A disabled account is refused
/// (`Error::AccountDisabled`) once its password is right. Every attempt is in the audit log.
pub fn login<S: Store>(
    store: &mut S,
    username: &str,
    password: &str,
    now: NaiveDateTime,
) -> Result<Account> {
    let name = username.trim();
    let found = store.read(|q| q.account(name))?;
    let Some(stored) = found else {
        return unknown_name(store, name, password, now);
    };
    let locked = |c: &dyn Changes, a: &Account, until: NaiveDateTime| {
        c.add_audit(&audit_entry(
            "login_failed",
            Some(a),
            false,
            format!("账号锁定中（至 {}），未核对密码", stamp(until)),
            format!("账号：{}", a.username),
            now,
        ))
    };
    if let Some(until) = stored.account.locked_until.filter(|&u| u > now) {
        store.write(|c| locked(c, &stored.account, until))?;
        return Err(Error::Locked { until });
    }
    let password_ok = verify_password(password, &stored.password_hash);
    let outcome = store.write(|c| {
        // Read again inside the transaction: another attempt may have counted or locked since.
        let a = match c.account(name)? {
            Some(s) if s.account.id == stored.account.id => s.account,
            _ => return Ok(Outcome::Bad),
        };
        if let Some(until) = a.locked_until.filter(|&u| u > now) {
            locked(c, &a, until)?;
            return Ok(Outcome::Locked(until));
        }
        let detail = format!("账号：{}", a.username);
        if password_ok {
            if a.disabled {
                c.add_audit(&audit_entry(
                    "login_failed",
                    Some(&a),
                    false,
                    "账号已停用".into(),
                    detail,
                    now,
                ))?;
                return Ok(Outcome::Disabled);
            }
            c.set_login_state(a.id, 0, None)?;
            c.add_audit(&audit_entry(
                "login",
                Some(&a),
                true,
                "登录成功".into(),
                detail,
                now,
            ))?;
            return Ok(Outcome::Success(Account {
                failed_count: 0,
                locked_until: None,
                ..a
            }));
        }
        // A lock that has run out starts the count afresh.
        let failures = if a.locked_until.is_some() {
            1
        } else {
            a.failed_count + 1
        };
        c.add_audit(&audit_entry(
            "login_failed",
            Some(&a),
            false,
            format!("密码错误（连续第 {failures} 次）"),
            detail.clone(),
            now,
        ))?;
        if failures >= MAX_FAILURES {
            let until = now + Minutes::minutes(LOCK_MINUTES);
            c.set_login_state(a.id, failures, Some(until))?;
            c.add_audit(&audit_entry(
                "account_locked",
                Some(&a),
                false,
                format!(
                    "连续 {failures} 次密码错误，锁定 {LOCK_MINUTES} 分钟，至 {}",
                    stamp(until)
                ),
                detail,
                now,
            ))?;
            return Ok(Outcome::Locked(until));
        }
        c.set_login_state(a.id, failures, None)?;
        Ok(Outcome::Bad)
    })?;
    match outcome {
        Outcome::Success(a) => Ok(a),
        Outcome::Bad => Err(Error::BadCredentials),
        Outcome::Locked(until) => Err(Error::Locked { until }),
        Outcome::Disabled => Err(Error::AccountDisabled),
    }
}

/// The fingerprint of a user name no account has: HMAC-SHA256 under the hall's key of the name
/// as compared (lower case), hex. It finds the same name again without keeping it.
fn name_key<S: Store>(store: &mut S, name: &str) -> Result<String> {
    use hmac::{Hmac, Mac};
    let key = store.read(|q| q.hall_key())?;
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(name.to_lowercase().as_bytes());
    Ok(mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// A login under a name no account has (issue 17, point 9): the same answer after the same work
/// as a real account's (a decoy verification, none while locked), counted and locked like one
/// under the name's fingerprint. The audit log keeps the fingerprint, never the typed name,
/// which may be a password typed into the wrong field.
fn unknown_name<S: Store>(
    store: &mut S,
    name: &str,
    password: &str,
    now: NaiveDateTime,
) -> Result<Account> {
    let key = name_key(store, name)?;
    let shown = format!("用户名不存在（指纹 {}）", &key[..8]);
    let (failed, until) = store.read(|q| q.login_failure(&key))?.unwrap_or((0, None));
    if let Some(until) = until.filter(|&u| u > now) {
        store.write(|c| {
            c.add_audit(&audit_entry(
                "login_failed",
                None,
                false,
                format!("锁定中（至 {}），未核对密码", stamp(until)),
                shown.clone(),
                now,
            ))
        })?;
        return Err(Error::Locked { until });
    }
    password::verify_decoy(password);
    // A lock that has run out starts the count afresh.
    let failures = if until.is_some() { 1 } else { failed + 1 };
    let lock = (failures >= MAX_FAILURES).then(|| now + Minutes::minutes(LOCK_MINUTES));
    store.write(|c| {
        c.add_audit(&audit_entry(
            "login_failed",
            None,
            false,
            format!("用户名不存在（连续第 {failures} 次）"),
            shown.clone(),
            now,
        ))?;
        c.set_login_failure(&key, failures, lock)?;
        if let Some(until) = lock {
            c.add_audit(&audit_entry(
                "account_locked",
                None,
                false,
                format!(
                    "连续 {failures} 次失败，锁定 {LOCK_MINUTES} 分钟，至 {}",
                    stamp(until)
                ),
                shown.clone(),
                now,
            ))?;
        }
        Ok(())
    })?;
    match lock {
        Some(until) => Err(Error::Locked { until }),
        None => Err(Error::BadCredentials),
    }
}

/// The setup code's letters: digits and capitals without I, L, O and U, which are read as 1, 1,
/// 0 and V when typed back.
const SETUP_DIGITS: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A setup code as typed: upper case, without spaces and dashes, look-alikes read as digits.
fn normalize_code(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            'U' => 'V',
            c => c,
        })
        .collect()
}

fn code_hash(code: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(normalize_code(code).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new one-time setup code for the first administrator (issue 17, point 9): ten random
/// characters (50 bits), shown as `XXXXX-XXXXX`; only its SHA-256 is kept, and a new code
/// replaces an earlier one. Refused once an account exists.
pub fn new_setup_code<S: Store>(store: &mut S, now: NaiveDateTime) -> Result<String> {
    if !needs_first_admin(store)? {
        return Err(first_admin_exists());
    }
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(|e| Error::Crypto(e.to_string()))?;
    let code: String = bytes
        .iter()
        .map(|b| SETUP_DIGITS[usize::from(b & 31)] as char)
        .collect();
    let hash = code_hash(&code);
    store.write(|c| c.set_setup_code(Some(&hash), now))?;
    Ok(format!("{}-{}", &code[..5], &code[5..]))
}

/// Adds a demo account unless its user name is taken; true when it was added. `hash` is the
/// PHC string of `new.password`, made once in advance: the demo's password is published, so a
/// fixed salt hides nothing, and loading the demo costs no hashing.
pub(crate) fn ensure_demo_account<S: Store>(
    store: &mut S,
    new: &NewAccount,
    hash: &str,
    now: NaiveDateTime,
) -> Result<bool> {
    let username = check_username(&new.username)?;
    check_password(&new.password, username)?;
    store.write(|c| {
        if c.account(username)?.is_some() {
            return Ok(false);
        }
        let account = insert(
            c,
            username,
            name_or_staffs(new)?,
            new.staff_no.as_deref(),
            &new.roles,
            // The demo's password is published: changed at first login.
            (hash, true),
            now,
        )?;
        c.add_audit(&audit_entry(
            "account_create",
            Some(&account),
            true,
            "演示账号".into(),
            format!(
                "账号：{username}；角色：{}；操作人：演示数据",
                role_labels(&account.roles)
            ),
            now,
        ))?;
        Ok(true)
    })
}

#[cfg(test)]
pub(crate) mod tests;
