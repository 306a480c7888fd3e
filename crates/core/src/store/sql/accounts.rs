//! Local accounts: lookup, creation, login state, password and disabling.

use crate::ids::AccountId;
use chrono::NaiveDateTime;

use super::super::conn::{args, conversion, Conn, Row};
use super::super::NewAccountRow;
use super::{datetime, DATETIME};
use crate::accounts::{Account, StoredAccount};
use crate::staff::Role;
use crate::Result;

const ACCOUNT_COLUMNS: &str = "a.id, a.username, a.display_name, s.no, s.name, a.roles, \
     a.failed_count, a.locked_until, a.created_at, a.disabled, t.name, a.must_change_password, \
     a.password_hash";
const ACCOUNT_FROM: &str =
    "FROM account a LEFT JOIN staff s ON s.id = a.staff_id LEFT JOIN town t ON t.id = s.town_id";

/// One account by user name, compared without regard to (ASCII) case.
pub(super) fn account(c: &dyn Conn, username: &str) -> Result<Option<StoredAccount>> {
    c.first(
        &format!(
            "SELECT {ACCOUNT_COLUMNS} {ACCOUNT_FROM}
             WHERE lower(a.username) = lower(?1)"
        ),
        args![username],
        |r| {
            Ok(StoredAccount {
                account: account_row(r)?,
                password_hash: r.get(12)?,
            })
        },
    )
}

pub(super) fn accounts(c: &dyn Conn) -> Result<Vec<Account>> {
    c.all(
        &format!("SELECT {ACCOUNT_COLUMNS} {ACCOUNT_FROM} ORDER BY a.id"),
        &[],
        account_row,
    )
}

pub(super) fn account_count(c: &dyn Conn) -> Result<i64> {
    c.value("SELECT count(*) FROM account", &[])
}

pub(super) fn insert_account(c: &dyn Conn, a: &NewAccountRow<'_>) -> Result<AccountId> {
    let roles: Vec<&str> = a.roles.iter().map(|r| r.label()).collect();
    c.value(
        "INSERT INTO account (username, display_name, staff_id, roles, password_hash,
            created_at, must_change_password) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        args![
            a.username,
            a.display_name,
            a.staff_id,
            roles.join(","),
            a.password_hash,
            a.created_at.format(DATETIME).to_string(),
            a.must_change_password
        ],
    )
}

pub(super) fn set_login_state(
    c: &dyn Conn,
    account_id: AccountId,
    failed_count: u32,
    locked_until: Option<NaiveDateTime>,
) -> Result<()> {
    c.execute(
        "UPDATE account SET failed_count = ?2, locked_until = ?3 WHERE id = ?1",
        args![
            account_id,
            failed_count,
            locked_until.map(|t| t.format(DATETIME).to_string())
        ],
    )?;
    Ok(())
}

pub(super) fn set_password_hash(
    c: &dyn Conn,
    account_id: AccountId,
    password_hash: &str,
) -> Result<()> {
    c.execute(
        "UPDATE account SET password_hash = ?2, must_change_password = ?3 WHERE id = ?1",
        args![account_id, password_hash, false],
    )?;
    Ok(())
}

pub(super) fn set_account_disabled(
    c: &dyn Conn,
    account_id: AccountId,
    disabled: bool,
) -> Result<()> {
    c.execute(
        "UPDATE account SET disabled = ?2 WHERE id = ?1",
        args![account_id, disabled],
    )?;
    Ok(())
}

fn account_row(r: &Row) -> Result<Account> {
    let roles: String = r.get(5)?;
    let locked_until: Option<String> = r.get(7)?;
    let created_at: String = r.get(8)?;
    Ok(Account {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        staff_no: r.get(3)?,
        staff_name: r.get(4)?,
        staff_town: r.get(10)?,
        roles: roles
            .split(',')
            .map(|l| Role::parse(l).ok_or_else(|| conversion(format!("role {l}"))))
            .collect::<Result<_>>()?,
        failed_count: r.get(6)?,
        locked_until: locked_until.as_deref().map(datetime).transpose()?,
        created_at: datetime(&created_at)?,
        disabled: r.get(9)?,
        must_change_password: r.get(11)?,
        credential: crate::accounts::credential(&r.get::<String>(12)?),
    })
}

/// The SHA-256 of the first administrator's setup code, if one was made and not yet used.
pub(super) fn setup_code_hash(c: &dyn Conn) -> Result<Option<String>> {
    c.first("SELECT code_hash FROM setup_code", &[], |r| r.get(0))
}

/// Keeps a new setup code's hash, replacing any earlier one.
pub(super) fn set_setup_code(c: &dyn Conn, code_hash: &str, at: NaiveDateTime) -> Result<()> {
    c.execute(
        "INSERT INTO setup_code (one, code_hash, made_at) VALUES (1, ?1, ?2)
         ON CONFLICT (one) DO UPDATE SET code_hash = excluded.code_hash, made_at = excluded.made_at",
        args![code_hash, at.format(DATETIME).to_string()],
    )?;
    Ok(())
}

/// Uses up the setup code.
pub(super) fn clear_setup_code(c: &dyn Conn) -> Result<()> {
    c.execute("DELETE FROM setup_code", &[])?;
    Ok(())
}

/// Failed logins in a row under an unknown name (by its fingerprint), and the end of its lock.
pub(super) fn login_failure(
    c: &dyn Conn,
    name_key: &str,
) -> Result<Option<(u32, Option<NaiveDateTime>)>> {
    c.first(
        "SELECT failed_count, locked_until FROM login_failure WHERE name_key = ?1",
        args![name_key],
        |r| {
            let until: Option<String> = r.get(1)?;
            Ok((r.get(0)?, until.as_deref().map(datetime).transpose()?))
        },
    )
}

pub(super) fn set_login_failure(
    c: &dyn Conn,
    name_key: &str,
    failed_count: u32,
    locked_until: Option<NaiveDateTime>,
) -> Result<()> {
    c.execute(
        "INSERT INTO login_failure (name_key, failed_count, locked_until) VALUES (?1, ?2, ?3)
         ON CONFLICT (name_key) DO UPDATE
         SET failed_count = excluded.failed_count, locked_until = excluded.locked_until",
        args![
            name_key,
            failed_count,
            locked_until.map(|t| t.format(DATETIME).to_string())
        ],
    )?;
    Ok(())
}

/// Whether `init --demo` marked this database as a demo database.
pub(super) fn demo_marked(c: &dyn Conn) -> Result<bool> {
    let n: i64 = c.value("SELECT count(*) FROM demo_mark", &[])?;
    Ok(n > 0)
}

/// How many requests the database holds.
pub(super) fn request_count(c: &dyn Conn) -> Result<i64> {
    c.value("SELECT count(*) FROM request", &[])
}

/// Marks the database as a demo database (once).
pub(super) fn mark_demo(c: &dyn Conn, at: NaiveDateTime) -> Result<()> {
    c.execute(
        "INSERT INTO demo_mark (one, marked_at) VALUES (1, ?1) ON CONFLICT (one) DO NOTHING",
        args![at.format(DATETIME).to_string()],
    )?;
    Ok(())
}
