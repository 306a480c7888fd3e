//! The demo's login accounts: one per role, the counter and approval ones acting as demo staff
//! of 东风镇. The README lists them; they exist only in databases loaded with `init --demo`.

use chrono::NaiveDateTime;

use crate::accounts::{ensure_demo_account, NewAccount, Role};
use crate::store::Store;
use crate::Result;

/// The password of every demo account. It meets the password policy; it is published, so the
/// demo accounts are for demonstrations only.
pub const DEMO_PASSWORD: &str = "Bianmin@2026";

/// [`DEMO_PASSWORD`] hashed with the parameters of `accounts::hash_password` (argon2id,
/// m=19456, t=2, p=1), once: loading the demo then costs no hashing. A test logs in to every demo
/// account with [`DEMO_PASSWORD`], which checks that the two agree.
const DEMO_PASSWORD_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$SjT0KjhTmVrnkxSNWiIl1w$J/6QLo338/PCkXNGFzV1vuHLZuMAT+0gI3YhzT7UAOo";

/// A demo account: user name, roles, and the staff number it acts as (whose name it carries),
/// or, for an account that stands for no township staff member, its own name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: &'static str,
    pub roles: &'static [Role],
    pub staff_no: Option<&'static str>,
    pub name: &'static str,
}

/// The demo accounts, all with [`DEMO_PASSWORD`]. DF0013 is a 窗口人员 of 东风镇's service
/// centre, on the rota at the general counter; DF0002 an 审批人员, DF0004 the 镇领导 and DF0005
/// the 管理员 of its general office. Each of these sees 东风镇 only; `xianji`, the 县级领导,
/// stands for no township staff member and sees every town.
pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        username: "chuangkou",
        roles: &[Role::Clerk],
        staff_no: Some("DF0013"),
        name: "",
    },
    DemoAccount {
        username: "shenpi",
        roles: &[Role::Approver],
        staff_no: Some("DF0002"),
        name: "",
    },
    DemoAccount {
        username: "lingdao",
        roles: &[Role::Leader],
        staff_no: Some("DF0004"),
        name: "",
    },
    DemoAccount {
        username: "guanli",
        roles: &[Role::Admin],
        staff_no: Some("DF0005"),
        name: "",
    },
    DemoAccount {
        username: "xianji",
        roles: &[Role::County],
        staff_no: None,
        name: "赵立新",
    },
];

/// Adds the demo accounts that are missing (by user name), in one transaction each; returns how
/// many were added. An account of the same name made by an administrator is left as it is.
pub(super) fn load(store: &mut impl Store, now: NaiveDateTime) -> Result<usize> {
    let mut added = 0;
    for d in DEMO_ACCOUNTS {
        let new = NewAccount {
            username: d.username.into(),
            display_name: d.name.into(),
            staff_no: d.staff_no.map(String::from),
            roles: d.roles.to_vec(),
            password: DEMO_PASSWORD.into(),
        };
        if ensure_demo_account(store, &new, DEMO_PASSWORD_HASH, now)? {
            added += 1;
        }
    }
    Ok(added)
}
