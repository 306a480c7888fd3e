//! The administrator's work on the server: accounts and the retention of residents' numbers,
//! each the app's command of the same name. Backups of the server's database are made on the
//! server (`bianmin backup`), never through a counter.

use bianmin_core::accounts::{self, Account, NewAccount, Permission};
use bianmin_core::backup_service::Operator;
use bianmin_core::retention::{self, RetentionReport, RetentionStatus};
use bianmin_core::store::AnyStore;
use bianmin_core::{date, Error, Result};
use serde::Deserialize;

use crate::api::{Authorized, Needs, Operation};

/// Every account, without password hashes (`account_list`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountList {}

impl Operation for AccountList {
    const NAME: &'static str = "account_list";
    const WHAT: &'static str = "查看账号";
    type Answer = Vec<Account>;
    const NEEDS: Needs = Needs::Permission(Permission::ManageAccounts);
    fn run(self, store: &mut AnyStore, _: &Authorized) -> Result<Self::Answer> {
        accounts::list_accounts(store)
    }
}

/// Adds an account (`account_create`); `roles` are the Chinese role names.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountCreate {
    username: String,
    display_name: String,
    staff_no: Option<String>,
    roles: Vec<String>,
    password: String,
}

impl Operation for AccountCreate {
    const NAME: &'static str = "account_create";
    const WHAT: &'static str = "添加账号";
    type Answer = Account;
    const NEEDS: Needs = Needs::Permission(Permission::ManageAccounts);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let new = NewAccount {
            username: self.username,
            display_name: self.display_name,
            staff_no: self.staff_no.filter(|s| !s.trim().is_empty()),
            roles: accounts::parse_roles("roles", &self.roles.join("、"))?,
            password: self.password,
        };
        accounts::create_account(store, &new, &who.account().username, date::now()?)
    }
}

/// Lifts a lock after failed logins (`account_unlock`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountUnlock {
    username: String,
}

impl Operation for AccountUnlock {
    const NAME: &'static str = "account_unlock";
    const WHAT: &'static str = "解锁账号";
    type Answer = ();
    const NEEDS: Needs = Needs::Permission(Permission::ManageAccounts);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<()> {
        accounts::unlock(store, &self.username, &who.account().username, date::now()?)
    }
}

/// Disables or re-enables an account (`account_set_disabled`); never the caller's own.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSetDisabled {
    username: String,
    disabled: bool,
}

impl Operation for AccountSetDisabled {
    const NAME: &'static str = "account_set_disabled";
    const WHAT: &'static str = "停用账号";
    type Answer = ();
    const NEEDS: Needs = Needs::Permission(Permission::ManageAccounts);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<()> {
        let me = &who.account().username;
        if self.disabled && self.username.trim() == me {
            return Err(Error::invalid("username", "不能停用当前登录的账号。"));
        }
        accounts::set_disabled(store, &self.username, self.disabled, me, date::now()?)
    }
}

/// Sets a new password for an account (`account_reset_password`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountResetPassword {
    username: String,
    password: String,
}

impl Operation for AccountResetPassword {
    const NAME: &'static str = "account_reset_password";
    const WHAT: &'static str = "重设密码";
    type Answer = ();
    const NEEDS: Needs = Needs::Permission(Permission::ManageAccounts);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<()> {
        let by = &who.account().username;
        accounts::set_password(store, &self.username, &self.password, by, date::now()?)
    }
}

/// The retention period and what it makes due today (`retention_status`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionStatusOf {}

impl Operation for RetentionStatusOf {
    const NAME: &'static str = "retention_status";
    const WHAT: &'static str = "查看个人信息留存期限";
    type Answer = RetentionStatus;
    const NEEDS: Needs = Needs::Permission(Permission::Backup);
    fn run(self, store: &mut AnyStore, _: &Authorized) -> Result<Self::Answer> {
        retention::status(store, date::today()?)
    }
}

/// Sets the period in whole years, or none (`retention_set`); audited.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSet {
    years: Option<String>,
}

impl Operation for RetentionSet {
    const NAME: &'static str = "retention_set";
    const WHAT: &'static str = "设置个人信息留存期限";
    type Answer = RetentionStatus;
    const NEEDS: Needs = Needs::Permission(Permission::Backup);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let years = self
            .years
            .map(|y| retention::parse_years("years", &y))
            .transpose()?;
        retention::set_period(store, years, Operator::App(who.account()), date::now()?)
    }
}

/// Masks the numbers of requests past the period, or says what it would (`retention_run`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRun {
    dry_run: bool,
}

impl Operation for RetentionRun {
    const NAME: &'static str = "retention_run";
    const WHAT: &'static str = "执行个人信息留存处理";
    type Answer = RetentionReport;
    const NEEDS: Needs = Needs::Permission(Permission::Backup);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        retention::run(
            store,
            Operator::App(who.account()),
            self.dry_run,
            date::now()?,
        )
    }
}
