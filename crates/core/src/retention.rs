//! How long residents' numbers are kept (issue 17 point 2).
//!
//! 个人信息保护法第十九条: personal information is kept no longer than its purpose needs;
//! 第四十七条: once the period has passed, the handler deletes it. The administrator sets the
//! period in whole years after a request ends (办结, 不予受理 or 撤回). Until one is set nothing
//! is removed, and every screen and command that shows the setting says so. Once set, [`run`]
//! replaces, on every request that ended that long ago, the applicant's full ID number, the phone
//! number and the agent's ID number by their masked forms (as screens show them), and keeps a
//! keyed hash of the applicant's full number ([`id_key`]) so that a search by the full number
//! still finds the person. An organisation's credit code is not personal and stays.
//!
//! The hash is argon2id keyed with the hall's key (a secret of the database): the masked form
//! leaves about 36 million candidate numbers open (two area digits, the birth date, one sequence
//! digit), so a fast hash would give them back in seconds; at argon2id's cost each candidate
//! takes tens of milliseconds, weeks of computing for one person's number.
//!
//! A run is written in batches, each batch one transaction with its audit record; a dry run
//! reads the same requests and says what it would change, changing nothing.

use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::accounts::Account;
use crate::backup_service::Operator;
use crate::identity::mask;
use crate::ids::RequestId;
use crate::request::record::{RetainedNumbers, RetentionDue};
use crate::store::{Changes, Store};
use crate::{Error, Result};

/// The longest period that may be set, in years.
pub const MAX_YEARS: u32 = 30;
/// Requests retained per transaction.
const BATCH: usize = 200;
/// How many request numbers a report lists.
const SAMPLE: usize = 20;
/// The hash's salt: fixed, so that a search computes one hash for a typed number; the secret
/// is the hall's key.
const SALT: &[u8] = b"bianmin-retention-id-v1";

/// The setting as the administrator's screen and `bianmin retention show` present it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RetentionStatus {
    /// Whole years after a request ends; `None` while no period is set.
    pub years: Option<u32>,
    /// When the period was set, China time.
    pub set_at: Option<String>,
    /// Requests that ended on or before this day are due today.
    #[ts(type = "string | null")]
    pub cutoff: Option<NaiveDate>,
    /// Requests whose numbers were already replaced.
    pub retained: i64,
    /// Requests due today and not yet retained (0 while no period is set).
    pub due: u64,
    /// One sentence for the screen.
    pub summary: String,
}

/// What a run changed, or a dry run would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RetentionReport {
    pub dry_run: bool,
    pub years: u32,
    #[ts(type = "string")]
    pub cutoff: NaiveDate,
    /// Requests changed.
    pub requests: u64,
    /// Of them: a person's ID number masked, a phone masked, an agent's ID number masked.
    pub ids: u64,
    pub phones: u64,
    pub agents: u64,
    #[ts(type = "string | null")]
    pub earliest_closed: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub latest_closed: Option<NaiveDate>,
    /// The first request numbers changed, at most twenty.
    pub numbers: Vec<String>,
    pub summary: String,
}

/// Reads a period typed by a person: whole years from 1 to [`MAX_YEARS`]; refusals name `field`.
pub fn parse_years(field: &'static str, text: &str) -> Result<u32> {
    let t = text.trim();
    match t.parse::<u32>() {
        Ok(n) if (1..=MAX_YEARS).contains(&n) => Ok(n),
        _ => Err(Error::invalid(
            field,
            format!("留存期限应为 1 至 {MAX_YEARS} 的整数年，这里是“{t}”"),
        )),
    }
}

/// The last day a request may have ended on to be due on `today`: `years` years before it
/// (29 February falls back to 28 February).
pub fn cutoff(today: NaiveDate, years: u32) -> NaiveDate {
    let year = today.year() - i32::try_from(years).unwrap_or(i32::MAX);
    today
        .with_year(year)
        .or_else(|| NaiveDate::from_ymd_opt(year, today.month(), 28))
        .unwrap_or(NaiveDate::MIN)
}

/// The keyed hash a retained request keeps of its applicant's full ID number: argon2id
/// (19 MiB, 2 passes, as passwords) with the hall's key as its secret, in hex.
pub fn id_key(hall_key: &str, full_id: &str) -> Result<String> {
    let params = Params::new(19 * 1024, 2, 1, Some(32)).expect("fixed argon2 parameters");
    let hasher = Argon2::new_with_secret(
        hall_key.as_bytes(),
        Algorithm::Argon2id,
        Version::V0x13,
        params,
    )
    .map_err(|e| Error::Crypto(e.to_string()))?;
    let mut out = [0u8; 32];
    hasher
        .hash_password_into(full_id.as_bytes(), SALT, &mut out)
        .map_err(|e| Error::Crypto(e.to_string()))?;
    Ok(out.iter().map(|b| format!("{b:02x}")).collect())
}

fn summary_of(years: Option<u32>, cutoff: Option<NaiveDate>, due: u64, retained: i64) -> String {
    match (years, cutoff) {
        (Some(y), Some(c)) => format!(
            "留存期限 {y} 年：办结、不予受理或撤回满 {y} 年（{c} 及以前结束）的办件，其完整身份证号、电话和代办人身份证号换为遮盖形式，仍可按完整身份证号查到。现有 {due} 件到期待处理，已处理 {retained} 件。"
        ),
        _ => format!(
            "尚未设置个人信息留存期限：不删除、不遮盖任何数据，完整身份证号和电话一直保存。{}",
            if retained > 0 {
                format!("（此前已处理 {retained} 件。）")
            } else {
                String::new()
            }
        ),
    }
}

/// The setting and what it makes due on `today`.
pub fn status<S: Store>(store: &mut S, today: NaiveDate) -> Result<RetentionStatus> {
    store.read(|q| {
        let period = q.retention_period()?;
        let retained = q.retained_count()?;
        let years = period.map(|p| p.0);
        let cut = years.map(|y| cutoff(today, y));
        let mut due = 0u64;
        if let Some(c) = cut {
            let mut after = RequestId(0);
            loop {
                let rows = q.retention_due(c, after, 10_000)?;
                let Some(last) = rows.last() else { break };
                after = last.id;
                due += rows.len() as u64;
            }
        }
        Ok(RetentionStatus {
            years,
            set_at: period.map(|p| crate::date::stamp(p.1)),
            cutoff: cut,
            retained,
            due,
            summary: summary_of(years, cut, due, retained),
        })
    })
}

fn who(by: Operator<'_>) -> (Option<&Account>, &'static str) {
    match by {
        Operator::CommandLine => (None, "命令行"),
        Operator::App(a) => (Some(a), "应用内系统管理"),
    }
}

/// Sets the period (`None`: no period; nothing more is removed), audited as `retention_set`.
pub fn set_period<S: Store>(
    store: &mut S,
    years: Option<u32>,
    by: Operator<'_>,
    now: NaiveDateTime,
) -> Result<RetentionStatus> {
    if let Some(y) = years {
        if !(1..=MAX_YEARS).contains(&y) {
            return Err(Error::invalid(
                "years",
                format!("留存期限应为 1 至 {MAX_YEARS} 的整数年，这里是“{y}”"),
            ));
        }
    }
    let (account, basis) = who(by);
    let entry = crate::accounts::audit_entry(
        "retention_set",
        account,
        true,
        basis.into(),
        match years {
            Some(y) => format!("个人信息留存期限设为办件结束后 {y} 年"),
            None => "取消个人信息留存期限：此后不再遮盖任何数据".into(),
        },
        now,
    );
    store.write(|c| {
        c.set_retention_period(years, now)?;
        c.add_audit(&entry)
    })?;
    status(store, now.date())
}

/// What retention writes over `due`, its hash computed with `hall_key`.
fn numbers_of(due: &RetentionDue, hall_key: &str, on: NaiveDate) -> Result<RetainedNumbers> {
    let person = due.applicant_kind.as_deref() == Some("person");
    let (applicant_id, id_key) = match &due.applicant_id {
        Some(id) if person => (Some(mask(id, 4, 4)), Some(self::id_key(hall_key, id)?)),
        other => (other.clone(), None),
    };
    Ok(RetainedNumbers {
        id: due.id,
        applicant_id,
        phone: due.phone.as_deref().map(|p| mask(p, 3, 4)),
        agent_id: due.agent_id.as_deref().map(|a| mask(a, 4, 4)),
        id_key,
        on,
    })
}

/// Applies the period on `now`'s day (or, with `dry_run`, says what it would change). Refused
/// while no period is set. Each batch of requests is one transaction with its audit record
/// (`retention`); a request changed meanwhile by another counter is left to the next run.
pub fn run<S: Store>(
    store: &mut S,
    by: Operator<'_>,
    dry_run: bool,
    now: NaiveDateTime,
) -> Result<RetentionReport> {
    let today = now.date();
    let (period, hall_key) = store.read(|q| Ok((q.retention_period()?, q.hall_key()?)))?;
    let Some((years, _)) = period else {
        return Err(Error::invalid(
            "years",
            "尚未设置个人信息留存期限，不处理任何办件；请先由管理员设置留存期限（bianmin retention set --years N，或 系统管理 → 个人信息留存）",
        ));
    };
    let cut = cutoff(today, years);
    let mut report = RetentionReport {
        dry_run,
        years,
        cutoff: cut,
        requests: 0,
        ids: 0,
        phones: 0,
        agents: 0,
        earliest_closed: None,
        latest_closed: None,
        numbers: Vec::new(),
        summary: String::new(),
    };
    let (account, basis) = who(by);
    let mut after = RequestId(0);
    loop {
        let due = store.read(|q| q.retention_due(cut, after, BATCH))?;
        let Some(last) = due.last() else { break };
        after = last.id;
        let mut batch = Vec::with_capacity(due.len());
        for d in &due {
            batch.push((d, numbers_of(d, &hall_key, today)?));
        }
        let changed: Vec<&RetentionDue> = if dry_run {
            batch.iter().map(|(d, _)| *d).collect()
        } else {
            store.write(|c: &dyn Changes| {
                let mut changed = Vec::new();
                for (d, n) in &batch {
                    if c.retain_numbers(n)? {
                        changed.push(*d);
                    }
                }
                if let (Some(first), Some(last)) = (changed.first(), changed.last()) {
                    c.add_audit(&crate::accounts::audit_entry(
                        "retention",
                        account,
                        true,
                        basis.into(),
                        format!(
                            "个人信息留存期满（{years} 年，{cut} 及以前结束）：{} 件办件的完整号码换为遮盖形式（{} 至 {}）",
                            changed.len(),
                            first.number,
                            last.number
                        ),
                        now,
                    ))?;
                }
                Ok(changed)
            })?
        };
        for d in changed {
            report.requests += 1;
            let person = d.applicant_kind.as_deref() == Some("person");
            report.ids += u64::from(person && d.applicant_id.is_some());
            report.phones += u64::from(d.phone.is_some());
            report.agents += u64::from(d.agent_id.is_some());
            report.earliest_closed = Some(
                report
                    .earliest_closed
                    .map_or(d.closed_on, |e| e.min(d.closed_on)),
            );
            report.latest_closed = Some(
                report
                    .latest_closed
                    .map_or(d.closed_on, |e| e.max(d.closed_on)),
            );
            if report.numbers.len() < SAMPLE {
                report.numbers.push(d.number.clone());
            }
        }
    }
    let verb = if dry_run { "将处理" } else { "已处理" };
    report.summary = if report.requests == 0 {
        format!("留存期限 {years} 年：没有 {cut} 及以前结束且仍保存完整号码的办件，无需处理。")
    } else {
        format!(
            "留存期限 {years} 年：{verb} {} 件 {cut} 及以前结束的办件——身份证号 {} 个、电话 {} 个、代办人身份证号 {} 个换为遮盖形式；按完整身份证号仍可查到。",
            report.requests,
            report.ids,
            report.phones,
            report.agents,
        )
    };
    Ok(report)
}

#[cfg(test)]
mod tests;
