//! The counter's operations on requests: intake, consultation, steps, views, search and lists.

use crate::ids::TownId;
use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::effect::{action_of, effect, intake, missing, needs_leader, resolve_materials, Effect};
use super::record::{EventRow, RequestQuery, RequestRow, NAME_PART_MIN};

// The refusal of a short name query says “两个字”.
const _: () = assert!(NAME_PART_MIN == 2);
use super::{forms_of, next_steps, FormKind, Marks, State, Step, StepKind};
use crate::audit::AuditEntry;
use crate::authority::{decide, Action, Decision, Situation};
use crate::calendar::Calendar;
use crate::catalog::service::load_item;
use crate::catalog::{initials, Item, Letter, MaterialForm};
use crate::date::stamp;
use crate::identity::{Applicant, CreditCode, IdNumber, Mobile};
use crate::staff::{profile_on, StaffProfile};
use crate::store::{Changes, Queries, Store};
use crate::town::resolve_town;
use crate::{Error, Result};

/// The working days within which the deciding body checks a pledge (告知承诺): the hall's
/// period, as 国办发〔2020〕42号 leaves it to each item's rules.
pub const PLEDGE_CHECK_DAYS: u32 = 20;

/// Longest applicant name and remark accepted.
pub const NAME_MAX: usize = 100;
pub const REMARK_MAX: usize = 500;

/// What the counter typed in for a new request; every field is checked before anything is
/// written.
#[derive(Debug, Clone, Default)]
pub struct NewRequest {
    pub staff: String,
    pub item: String,
    pub name: String,
    /// Resident ID number (个人) ...
    pub id: Option<String>,
    /// ... or unified social credit code (法人).
    pub credit_code: Option<String>,
    pub phone: Option<String>,
    /// What was handed in, by name or by number in the item's list; `None`: every mandatory one.
    pub materials: Option<Vec<String>>,
    pub remark: Option<String>,
    /// Receive the materials to examine them later (收件待审), not accept now.
    pub examine_later: bool,
    /// 告知承诺: materials (by name or number) the applicant's signed pledge stands for.
    pub pledge: Option<Vec<String>>,
    /// 帮办代办: who acts for the applicant (all three or none).
    pub agent_name: Option<String>,
    pub agent_id: Option<String>,
    pub agent_relation: Option<String>,
    /// The client's key for this write (through the hall server): sent again with a retry, it
    /// answers the request the first one took in instead of taking in a second.
    pub idempotency_key: Option<String>,
}

/// A write's idempotency key: 8 to 64 letters, digits, `-` or `_`.
pub fn check_idempotency_key(key: &str) -> Result<String> {
    let ok = (8..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(key.to_string())
    } else {
        Err(Error::invalid(
            "idempotency_key",
            "重试标识应为 8 至 64 个字母、数字、- 或 _",
        ))
    }
}

/// What an intake or a step under a key already did, if anything: the request's number, when
/// the key was used by `staff` for it; a key used by someone else, or for another request, is
/// refused.
fn replayed(
    found: Option<(String, String)>,
    staff: &str,
    number: Option<&str>,
) -> Result<Option<String>> {
    match found {
        None => Ok(None),
        Some((n, by)) if by == staff.trim() && number.is_none_or(|want| want == n) => Ok(Some(n)),
        Some(_) => Err(Error::invalid(
            "idempotency_key",
            "这个重试标识已用于另一件办件或另一位经办人，请换一个",
        )),
    }
}

/// The agent of `input`, all three facts or none, each checked: a name, a valid ID number that
/// is not the applicant's own, a stated relation.
fn parse_agent(
    input: &NewRequest,
    applicant: &Applicant,
    today: NaiveDate,
) -> Result<Option<super::record::Agent>> {
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
    let (name, id, relation) = (
        given(&input.agent_name),
        given(&input.agent_id),
        given(&input.agent_relation),
    );
    if name.is_none() && id.is_none() && relation.is_none() {
        return Ok(None);
    }
    let name = check_name(
        "agent_name",
        "代办人姓名",
        name.ok_or_else(|| Error::invalid("agent_name", "有代办人时请填写代办人姓名"))?,
    )?;
    let id = crate::identity::IdNumber::parse(
        "agent_id",
        id.ok_or_else(|| Error::invalid("agent_id", "有代办人时请填写代办人的身份证号"))?,
        today,
    )
    .map_err(|e| match e {
        Error::Invalid { message, .. } => Error::invalid("agent_id", format!("代办人{message}")),
        other => other,
    })?;
    if applicant.as_str() == id.as_str() {
        return Err(Error::invalid(
            "agent_id",
            "代办人的身份证号与申请人相同：本人办理不填代办人",
        ));
    }
    let relation = relation.ok_or_else(|| {
        Error::invalid(
            "agent_relation",
            "有代办人时请填写代办人与申请人的关系，如子女、村委会代办员",
        )
    })?;
    let n = relation.chars().count();
    if n > super::record::RELATION_MAX_CHARS || relation.chars().any(char::is_control) {
        return Err(Error::invalid(
            "agent_relation",
            format!(
                "代办人与申请人的关系应为 1 到 {} 个字，不含控制字符",
                super::record::RELATION_MAX_CHARS
            ),
        ));
    }
    Ok(Some(super::record::Agent {
        name,
        id,
        relation: relation.to_string(),
    }))
}

/// A person's or organisation's name: letters of any script, the middle dot of minority
/// names, spaces and a few marks of company names; never quotes, semicolons or control
/// characters.
fn check_name(field: &'static str, label: &str, text: &str) -> Result<String> {
    let t = text.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(Error::invalid(field, format!("{label}不能为空")));
    }
    if n > NAME_MAX {
        return Err(Error::invalid(
            field,
            format!("{label}过长：{n} 个字符，最多 {NAME_MAX} 个"),
        ));
    }
    if let Some(c) = t.chars().find(|c| {
        !(c.is_alphanumeric()
            || matches!(
                c,
                '·' | '•' | ' ' | '-' | '(' | ')' | '\u{ff08}' | '\u{ff09}'
            ))
    }) {
        return Err(Error::invalid(
            field,
            format!("{label}含有不允许的字符“{c}”"),
        ));
    }
    Ok(t.to_string())
}

fn check_remark(text: Option<&str>) -> Result<Option<String>> {
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let n = t.chars().count();
    if n > REMARK_MAX {
        return Err(Error::invalid(
            "remark",
            format!("备注过长：{n} 个字符，最多 {REMARK_MAX} 个"),
        ));
    }
    if t.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Error::invalid("remark", "备注含有控制字符"));
    }
    Ok(Some(t.to_string()))
}

/// A town's short code: the pinyin initials of its name without 镇, 乡 or 街道 (东风镇 → DF).
pub(crate) fn town_code(town: &str) -> String {
    let stem = town.trim_end_matches(['镇', '乡']).trim_end_matches("街道");
    initials(stem).to_uppercase()
}

/// A request number: town initials, date, sequence: `DF-20261128-0001`.
fn number_for(town: &str, day: NaiveDate, seq: u32) -> String {
    format!("{}-{}-{seq:04}", town_code(town), day.format("%Y%m%d"))
}

/// Everything a step needs to know, read inside its transaction.
struct Context {
    town: crate::staffing::Town,
    staff: StaffProfile,
    item: Item,
    letters: Vec<Letter>,
    calendar: Calendar,
}

fn context(
    q: &dyn Queries,
    staff_no: &str,
    item_code: &str,
    town_of_request: Option<TownId>,
    on: NaiveDate,
) -> Result<Context> {
    let staff = profile_on(q, "staff", staff_no, on)?;
    let town = resolve_town(q, Some(&staff.town))?;
    if town_of_request.is_some_and(|t| t != town.id) {
        return Err(Error::invalid(
            "staff",
            format!("工号“{}”不属于该办件所在的乡镇", staff.no),
        ));
    }
    let item = load_item(q, &town, "item", item_code)?;
    Ok(Context {
        letters: q.letters(town.id)?,
        town,
        staff,
        item,
        calendar: crate::calendar::of(q)?,
    })
}

impl Context {
    fn decide(&self, action: Action, on: NaiveDate) -> Decision {
        decide(
            &self.staff,
            &Situation {
                item: &self.item,
                letters: &self.letters,
                // No request step is an enforcement, the one action that counts officers.
                certified_officers: 0,
            },
            action,
            on,
        )
    }
}

impl Context {
    /// The authority's answer for `step`: its action's, narrowed to a 镇领导 where the step
    /// needs one ([`needs_leader`]).
    fn decide_step(&self, step: &Step, on: NaiveDate) -> Decision {
        let d = self.decide(action_of(step), on);
        if d.allowed && needs_leader(step) {
            return crate::domain::authority::require_role(
                &self.staff,
                d,
                crate::staff::Role::Leader,
                &format!("批准{}", step.label()),
            );
        }
        d
    }
}

/// A new request of `ctx`'s item, taken by `ctx`'s clerk `now`, with nothing else filled in.
fn new_row(ctx: &Context, number: String, state: State, now: NaiveDateTime) -> RequestRow {
    RequestRow::new(
        ctx.town.id,
        number,
        ctx.item.code.clone(),
        state,
        (ctx.staff.id, ctx.staff.name.clone()),
        now,
    )
}

fn event(
    c: &Context,
    at: NaiveDateTime,
    step: &str,
    d: &Decision,
    note: Option<String>,
) -> EventRow {
    EventRow {
        at,
        step: step.to_string(),
        staff_id: c.staff.id,
        staff_no: c.staff.no.clone(),
        staff_name: c.staff.name.clone(),
        allowed: d.allowed,
        basis: d.basis.clone(),
        note,
        idem_key: None,
    }
}

fn audit(
    c: &Context,
    at: NaiveDateTime,
    action: &str,
    number: Option<&str>,
    d: &Decision,
    detail: Option<String>,
) -> AuditEntry {
    AuditEntry {
        at: stamp(at),
        os_user: crate::audit::os_user(),
        staff_no: Some(c.staff.no.clone()),
        action: action.to_string(),
        request_number: number.map(String::from),
        item_code: Some(c.item.code.clone()),
        allowed: d.allowed,
        basis: d.basis.clone(),
        detail,
    }
}

/// Takes in a request at the counter (DESIGN.md: `request new`). The authority check decides
/// whether the township may take it in at all; the materials decide accepted or incomplete.
pub fn new_request<S: Store>(
    store: &mut S,
    input: &NewRequest,
    now: NaiveDateTime,
) -> Result<RequestDetail> {
    let today = now.date();
    // Every outside value is parsed before the store is touched.
    let name = check_name("name", "申请人姓名", &input.name)?;
    let applicant = match (input.id.as_deref(), input.credit_code.as_deref()) {
        (Some(id), None) => Applicant::Person(IdNumber::parse("id", id, today)?),
        (None, Some(code)) => Applicant::Org(CreditCode::parse("credit_code", code)?),
        (Some(_), Some(_)) => {
            return Err(Error::invalid("id", "身份证号和统一社会信用代码只能填一个"))
        }
        (None, None) => {
            return Err(Error::invalid(
                "id",
                "请填写申请人的身份证号（法人填统一社会信用代码）",
            ))
        }
    };
    let phone = input
        .phone
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(|p| Mobile::parse("phone", p))
        .transpose()?;
    let remark = check_remark(input.remark.as_deref())?;
    let agent = parse_agent(input, &applicant, today)?;
    if input.item.trim().is_empty() {
        return Err(Error::invalid("item", "事项编码不能为空"));
    }
    let key = input
        .idempotency_key
        .as_deref()
        .map(check_idempotency_key)
        .transpose()?;

    let outcome = store.write(|c: &dyn Changes| {
        if let Some(k) = &key {
            if let Some(n) = replayed(c.request_by_idem_key(k)?, &input.staff, None)? {
                return Ok(Ok(Taken::Before(n)));
            }
        }
        let ctx = context(c, &input.staff, &input.item, None, today)?;
        let received = match &input.materials {
            Some(given) => resolve_materials(&ctx.item, given)?,
            None => ctx
                .item
                .materials
                .iter()
                .filter(|m| super::effect::required(m, agent.is_some()))
                .map(|m| m.seq)
                .collect(),
        };
        // 告知承诺: only an item that allows it, only materials a pledge may replace; they count
        // as handed in, to be checked by PLEDGE_CHECK_DAYS working days.
        let pledged = match input.pledge.as_deref().filter(|p| !p.is_empty()) {
            None => Vec::new(),
            Some(names) => {
                if !ctx.item.listing.pledge {
                    return Err(Error::invalid(
                        "pledge",
                        format!("“{}”不实行告知承诺，材料须按清单提交", ctx.item.name),
                    ));
                }
                let seqs = resolve_materials(&ctx.item, names).map_err(|e| match e {
                    Error::Invalid { message, .. } => Error::invalid("pledge", message),
                    other => other,
                })?;
                if let Some(m) = ctx
                    .item
                    .materials
                    .iter()
                    .find(|m| seqs.contains(&m.seq) && !m.pledgeable)
                {
                    return Err(Error::invalid(
                        "pledge",
                        format!("材料“{}”不能以承诺代替，须提交", m.name),
                    ));
                }
                seqs
            }
        };
        let mut received = received;
        for seq in &pledged {
            if !received.contains(seq) {
                received.push(*seq);
            }
        }
        received.sort_unstable();
        let decision = ctx.decide(Action::Accept, today);
        // Who acts is not the resident's business: a clerk without the role (or not at work)
        // is turned away, recorded in the audit log, and the resident is given nothing.
        if decision.about_staff {
            c.add_audit(&audit(
                &ctx,
                now,
                "受理",
                None,
                &decision,
                Some("已拒绝".into()),
            ))?;
            let why = decision.reason.clone().unwrap_or_default();
            return Ok(Err(Error::invalid("staff", why)));
        }
        let town = &ctx.town;
        let seq = c.next_request_seq(town.id, today)?;
        let number = number_for(&town.name, today, seq);
        let new = RequestRow {
            name_initials: Some(initials(&name)),
            applicant_name: Some(name.clone()),
            applicant: Some(applicant.clone()),
            phone: phone.clone(),
            remark: remark.clone(),
            received,
            mode: Some(decision.mode),
            agent: agent.clone(),
            pledge_due: (!pledged.is_empty())
                .then(|| ctx.calendar.due(today, PLEDGE_CHECK_DAYS).due),
            pledged: pledged.clone(),
            idem_key: key.clone(),
            ..new_row(&ctx, number.clone(), State::Accepted, now)
        };
        let (mut row, step, note) = intake(
            new,
            &ctx.item,
            &decision,
            today,
            &ctx.calendar,
            input.examine_later,
        );
        row.id = c.insert_request(&row)?;
        let entry = event(&ctx, now, step, &decision, note.clone());
        c.add_event(row.id, &entry)?;
        c.add_audit(&audit(&ctx, now, step, Some(&number), &decision, note))?;
        // Everything the answer shows is at hand: no need to read the request back.
        Ok(Ok(Taken::Now(Box::new(detail(
            &row,
            &ctx.item,
            &town.name,
            &ctx.calendar,
            today,
            vec![entry],
        )))))
    })?;
    match outcome? {
        Taken::Now(d) => Ok(*d),
        Taken::Before(number) => show(store, &number, today),
    }
}

/// An intake's answer: taken in now, or by an earlier write with the same key.
enum Taken {
    Now(Box<RequestDetail>),
    Before(String),
}

/// Records a consultation (咨询): no applicant ID, always allowed, with the directions given.
pub fn consult<S: Store>(
    store: &mut S,
    staff: &str,
    item: &str,
    name: Option<&str>,
    now: NaiveDateTime,
) -> Result<RequestDetail> {
    let today = now.date();
    let name = name
        .filter(|n| !n.trim().is_empty())
        .map(|n| check_name("name", "咨询人姓名", n))
        .transpose()?;
    let number = store.write(|c: &dyn Changes| {
        let ctx = context(c, staff, item, None, today)?;
        let decision = ctx.decide(Action::Consult, today);
        let town = &ctx.town;
        let seq = c.next_request_seq(town.id, today)?;
        let number = number_for(&town.name, today, seq);
        let row = RequestRow {
            name_initials: name.as_deref().map(initials),
            applicant_name: name.clone(),
            alternative: decision.alternative.clone(),
            closed_on: Some(today),
            ..new_row(&ctx, number.clone(), State::Consulted, now)
        };
        let id = c.insert_request(&row)?;
        c.add_event(id, &event(&ctx, now, "咨询", &decision, None))?;
        c.add_audit(&audit(&ctx, now, "咨询", Some(&number), &decision, None))?;
        Ok(number)
    })?;
    show(store, &number, today)
}

/// Takes one step on a request. A step the authority check refuses changes nothing but the
/// audit log, which records the refusal; an illegal transition changes nothing at all.
pub fn step<S: Store>(
    store: &mut S,
    number: &str,
    staff: &str,
    step: &Step,
    now: NaiveDateTime,
) -> Result<RequestDetail> {
    step_keyed(store, number, staff, step, None, now)
}

/// [`step`] under the client's idempotency key (through the hall server): a retry of a step
/// already taken answers the request as it now is instead of trying the step again.
pub fn step_keyed<S: Store>(
    store: &mut S,
    number: &str,
    staff: &str,
    step: &Step,
    key: Option<&str>,
    now: NaiveDateTime,
) -> Result<RequestDetail> {
    let today = now.date();
    let key = key.map(check_idempotency_key).transpose()?;
    if let Step::Refuse { reason } = step {
        if reason.trim().is_empty() {
            return Err(Error::invalid("reason", "不予受理必须写明理由"));
        }
        check_remark(Some(reason)).map_err(|_| {
            Error::invalid(
                "reason",
                format!("理由过长或含有控制字符（最多 {REMARK_MAX} 个字符）"),
            )
        })?;
    }
    if let Step::Forward {
        department, reason, ..
    } = step
    {
        if let Some(d) = department {
            check_name("department", "转报部门", d)?;
        }
        if let Some(r) = reason {
            check_remark(Some(r)).map_err(|_| {
                Error::invalid(
                    "reason",
                    format!("理由过长或含有控制字符（最多 {REMARK_MAX} 个字符）"),
                )
            })?;
        }
    }
    let outcome = store.write(|c: &dyn Changes| {
        if let Some(k) = &key {
            if replayed(c.event_by_idem_key(k)?, staff, Some(number.trim()))?.is_some() {
                return Ok(Ok(()));
            }
        }
        let row = c.request(number.trim())?.ok_or_else(|| {
            Error::invalid("number", format!("办件编号“{}”不存在", number.trim()))
        })?;
        let ctx = context(c, staff, &row.item_code, Some(row.town_id), today)?;
        let decision = ctx.decide_step(step, today);
        match effect(&row, &ctx.item, step, &decision, today, &ctx.calendar)? {
            Effect::Refused { why } => {
                c.add_audit(&audit(
                    &ctx,
                    now,
                    step.label(),
                    Some(&row.number),
                    &decision,
                    Some("已拒绝".into()),
                ))?;
                Ok(Err(Error::invalid("staff", why)))
            }
            Effect::Done { row, note } => {
                c.update_request(&row)?;
                c.add_event(
                    row.id,
                    &EventRow {
                        idem_key: key.clone(),
                        ..event(&ctx, now, step.label(), &decision, note.clone())
                    },
                )?;
                c.add_audit(&audit(
                    &ctx,
                    now,
                    step.label(),
                    Some(&row.number),
                    &decision,
                    note,
                ))?;
                Ok(Ok(()))
            }
        }
    })?;
    outcome?;
    show(store, number.trim(), today)
}

// ---------------------------------------------------------------------------------------------
// Views

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RequestView {
    pub number: String,
    pub item: String,
    pub item_name: String,
    /// The item pays out (行政给付): a grant names its amount.
    pub pays_out: bool,
    pub state: State,
    pub state_label: &'static str,
    pub town: String,
    pub applicant_name: Option<String>,
    pub applicant_id_masked: Option<String>,
    pub phone_masked: Option<String>,
    pub accepted_on: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    /// Received for examination: the last day to accept or give the one-time notice.
    pub examine_by: Option<NaiveDate>,
    /// Received for examination and not examined in time: accepted from the day of receipt
    /// (行政许可法第三十二条), `accepted_on` and `due` say so.
    pub deemed_accepted: bool,
    pub calendar_complete: bool,
    pub clerk: String,
    pub created_on: NaiveDate,
    /// Names of the mandatory materials not yet handed in.
    pub missing: Vec<String>,
    pub forwarded_to: Option<String>,
    pub forwarded_on: Option<NaiveDate>,
    /// The day the department accepted the forwarded request; its clock runs from then.
    pub department_accepted_on: Option<NaiveDate>,
    pub department_due: Option<NaiveDate>,
    /// Working days since forwarding (forwarded requests).
    pub days_passed: Option<i64>,
    /// Working days left to the relevant due date; negative when overdue.
    pub days_left: Option<i64>,
    pub overdue: bool,
    pub result: Option<&'static str>,
    /// The approver's opinion (审批意见) with the decision.
    pub opinion: Option<String>,
    /// The amount a decision granted, as printed: `1,200.00 元`.
    pub amount: Option<String>,
    pub reason: Option<String>,
    pub alternative: Option<String>,
    /// An extension's working days and reason (行政许可法第四十二条).
    pub extended_days: Option<u16>,
    pub extension_reason: Option<String>,
    /// While the clock is stopped: since when; the last suspension's reason and expected days.
    pub suspended_on: Option<NaiveDate>,
    pub suspension_reason: Option<String>,
    pub suspension_days: Option<u16>,
    /// Working days the clock stood still over the suspensions that ended.
    pub suspended_days: u32,
    /// Why it is late, once given (逾期说明).
    pub overdue_reason: Option<String>,
    /// Who acts for the applicant (帮办代办), the ID number masked.
    pub agent: Option<AgentView>,
    /// The day the full numbers were replaced by their masked forms, once the retention period
    /// after the request ended had passed (issue 17 point 2).
    pub retained_on: Option<NaiveDate>,
    /// 告知承诺: the materials a signed pledge stands for, the day it is to be checked by, and
    /// the check (when; whether true).
    pub pledged: Vec<String>,
    pub pledge_due: Option<NaiveDate>,
    pub pledge_checked_on: Option<NaiveDate>,
    pub pledge_truthful: Option<bool>,
    /// The steps the lifecycle allows from the state, in the order a screen offers them; the
    /// app narrows them to what the logged-in account's roles may do.
    pub next_steps: Vec<StepKind>,
    /// The forms the request may print now.
    pub forms: Vec<FormKind>,
}

/// An agent as screens and paper show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct AgentView {
    pub name: String,
    pub id_masked: String,
    pub relation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RequestMaterialView {
    pub seq: u16,
    pub name: String,
    pub form: MaterialForm,
    pub copies: u16,
    pub mandatory: bool,
    pub received: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct TimelineEntry {
    pub at: String,
    pub step: String,
    pub staff_no: String,
    pub staff_name: String,
    pub allowed: bool,
    pub basis: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RequestDetail {
    #[serde(flatten)]
    pub view: RequestView,
    pub materials: Vec<RequestMaterialView>,
    pub timeline: Vec<TimelineEntry>,
}

fn view(
    row: &RequestRow,
    item: &Item,
    town: &str,
    calendar: &Calendar,
    today: NaiveDate,
) -> RequestView {
    // Received and not examined in time: accepted from the day of receipt, and its clock runs.
    let deemed = crate::domain::request::effect::deemed_accepted(calendar, row, today);
    let deemed_due = deemed
        .then(|| crate::domain::request::effect::due_on(calendar, item.promised, row.created_on).0);
    let open_due = crate::domain::request::effect::open_due(row).or(deemed_due);
    let overdue = open_due.is_some_and(|d| today > d);
    let marks = Marks {
        picked_up: row.picked_up_on.is_some(),
        extended: row.extended_days.is_some(),
        overdue,
        decided_here: row.opinion.is_some(),
        collected: row.mode == Some(crate::catalog::Mode::Forward),
        dept_accepted: row.department_accepted_on.is_some(),
        pledge_open: !row.pledged.is_empty() && row.pledge_checked_on.is_none(),
        pledged: !row.pledged.is_empty(),
    };
    let masked_id = row.id_masked();
    RequestView {
        number: row.number.clone(),
        item: item.code.clone(),
        item_name: item.name.clone(),
        pays_out: item.item_type == crate::domain::request::effect::PAYS_OUT,
        state: row.state,
        state_label: row.state.label(),
        town: town.to_string(),
        applicant_name: row.applicant_name.clone(),
        applicant_id_masked: masked_id,
        phone_masked: row
            .phone
            .as_ref()
            .map(Mobile::masked)
            .or_else(|| row.retained.as_ref().and_then(|r| r.phone_masked.clone())),
        accepted_on: row.accepted_on.or(deemed.then_some(row.created_on)),
        due: row.due.or(deemed_due),
        examine_by: (row.state == State::Received)
            .then(|| crate::domain::request::effect::examine_by(calendar, row)),
        deemed_accepted: deemed,
        calendar_complete: row.calendar_complete,
        clerk: row.clerk_name.clone(),
        created_on: row.created_on,
        missing: if row.state == State::Incomplete {
            missing(item, row).iter().map(|m| m.name.clone()).collect()
        } else {
            vec![]
        },
        forwarded_to: row.forwarded_to.clone(),
        forwarded_on: row.forwarded_on,
        department_accepted_on: row.department_accepted_on,
        department_due: row.department_due,
        days_passed: (row.state == State::Forwarded)
            .then(|| {
                row.forwarded_on
                    .map(|f| calendar.working_days_between(f, today))
            })
            .flatten(),
        days_left: open_due.map(|d| calendar.working_days_between(today, d)),
        overdue,
        result: row.result.map(|a| if a { "approved" } else { "refused" }),
        opinion: row.opinion.clone(),
        amount: row.amount_fen.map(crate::domain::request::amount_text),
        reason: row.reason.clone(),
        alternative: row.alternative.clone(),
        extended_days: row.extended_days,
        extension_reason: row.extension_reason.clone(),
        suspended_on: row.suspended_on,
        suspension_reason: row.suspension_reason.clone(),
        suspension_days: row.suspension_days,
        suspended_days: row.suspended_days,
        overdue_reason: row.overdue_reason.clone(),
        pledged: item
            .materials
            .iter()
            .filter(|m| row.pledged.contains(&m.seq))
            .map(|m| m.name.clone())
            .collect(),
        pledge_due: row.pledge_due,
        pledge_checked_on: row.pledge_checked_on,
        pledge_truthful: row.pledge_truthful,
        agent: row
            .agent
            .as_ref()
            .map(|a| AgentView {
                name: a.name.clone(),
                id_masked: a.id.masked(),
                relation: a.relation.clone(),
            })
            .or_else(|| {
                let (name, id_masked, relation) = row.retained.as_ref()?.agent.clone()?;
                Some(AgentView {
                    name,
                    id_masked,
                    relation,
                })
            }),
        retained_on: row.retained.as_ref().map(|r| r.on),
        next_steps: next_steps(row.state, marks),
        forms: forms_of(row.state, marks),
    }
}

/// Reads what views need once per call: towns, items and the calendar.
struct Viewer<'q> {
    q: &'q dyn Queries,
    towns: HashMap<TownId, String>,
    items: HashMap<(TownId, String), std::sync::Arc<Item>>,
    /// Items read for a page whose materials were not read (no incomplete request needed them).
    without_materials: std::collections::HashSet<(TownId, String)>,
    calendar: Calendar,
}

impl<'q> Viewer<'q> {
    fn new(q: &'q dyn Queries) -> Result<Self> {
        let calendar = crate::calendar::of(q)?;
        Ok(Viewer {
            q,
            towns: q.towns()?.into_iter().map(|t| (t.id, t.name)).collect(),
            items: HashMap::new(),
            without_materials: Default::default(),
            calendar,
        })
    }

    fn item(&mut self, town_id: TownId, code: &str) -> Result<&Item> {
        let key = (town_id, code.to_string());
        if !self.items.contains_key(&key) || self.without_materials.remove(&key) {
            let item = self
                .q
                .item(town_id, code)?
                .ok_or_else(|| Error::invalid("item", format!("事项编码“{code}”不存在")))?;
            self.items.insert(key.clone(), std::sync::Arc::new(item));
        }
        Ok(&self.items[&key])
    }

    /// The views of a page of rows, its items read in a constant number of queries. A view
    /// needs an item's materials only to list what an incomplete request lacks, so only those
    /// items' materials are read.
    fn views(&mut self, rows: &[RequestRow], today: NaiveDate) -> Result<Vec<RequestView>> {
        let mut wanted: HashMap<TownId, (Vec<&str>, Vec<&str>)> = HashMap::new();
        for r in rows {
            let key = (r.town_id, r.item_code.clone());
            // What an incomplete request lacks, and what a pledge stands for, are named.
            let needs_materials = r.state == State::Incomplete || !r.pledged.is_empty();
            let cached = self.items.contains_key(&key)
                && (!needs_materials || !self.without_materials.contains(&key));
            if !cached {
                let (codes, full) = wanted.entry(r.town_id).or_default();
                if !codes.contains(&r.item_code.as_str()) {
                    codes.push(&r.item_code);
                }
                if needs_materials && !full.contains(&r.item_code.as_str()) {
                    full.push(&r.item_code);
                }
            }
        }
        for (town_id, (codes, full)) in wanted {
            for item in self.q.items_by_code(town_id, &codes, &full)? {
                let key = (town_id, item.code.clone());
                if full.contains(&item.code.as_str()) {
                    self.without_materials.remove(&key);
                } else {
                    self.without_materials.insert(key.clone());
                }
                self.items.insert(key, item);
            }
        }
        rows.iter().map(|r| self.view(r, today)).collect()
    }

    fn view(&mut self, row: &RequestRow, today: NaiveDate) -> Result<RequestView> {
        let key = (row.town_id, row.item_code.clone());
        let ready = self.items.contains_key(&key)
            && ((row.state != State::Incomplete && row.pledged.is_empty())
                || !self.without_materials.contains(&key));
        if !ready {
            self.item(row.town_id, &row.item_code)?;
        }
        let item = &self.items[&key];
        let town = self.towns.get(&row.town_id).map_or("", String::as_str);
        Ok(view(row, item, town, &self.calendar, today))
    }
}

/// A request's page: its view, the item's materials marked as received, its timeline.
fn detail(
    row: &RequestRow,
    item: &Item,
    town: &str,
    calendar: &Calendar,
    today: NaiveDate,
    events: Vec<EventRow>,
) -> RequestDetail {
    RequestDetail {
        view: view(row, item, town, calendar, today),
        materials: item
            .materials
            .iter()
            .map(|m| RequestMaterialView {
                seq: m.seq,
                name: m.name.clone(),
                form: m.form,
                copies: m.copies,
                mandatory: super::effect::required(m, row.has_agent()),
                received: row.received.contains(&m.seq),
            })
            .collect(),
        timeline: events
            .into_iter()
            .map(|e| TimelineEntry {
                at: stamp(e.at),
                step: e.step,
                staff_no: e.staff_no,
                staff_name: e.staff_name,
                allowed: e.allowed,
                basis: e.basis,
                note: e.note,
            })
            .collect(),
    }
}

/// One request with its materials and timeline.
pub fn show<S: Store>(store: &mut S, number: &str, today: NaiveDate) -> Result<RequestDetail> {
    store.read(|q| {
        let row = q.request(number.trim())?.ok_or_else(|| {
            Error::invalid("number", format!("办件编号“{}”不存在", number.trim()))
        })?;
        let mut viewer = Viewer::new(q)?;
        viewer.item(row.town_id, &row.item_code)?;
        let item = &viewer.items[&(row.town_id, row.item_code.clone())];
        let town = viewer.towns.get(&row.town_id).map_or("", String::as_str);
        Ok(detail(
            &row,
            item,
            town,
            &viewer.calendar,
            today,
            q.request_events(row.id)?,
        ))
    })
}

/// One town by name, or every town.
fn towns_of(q: &dyn Queries, town: Option<&str>) -> Result<Vec<crate::staffing::Town>> {
    match town {
        Some(_) => Ok(vec![resolve_town(q, town)?]),
        None => q.towns(),
    }
}

/// How many rows a list shows at most.
pub const LIST_LIMIT: usize = 200;
/// How many rows a search shows at most: a clerk narrows the search rather than scroll.
pub const SEARCH_LIMIT: usize = 50;

/// Finds a town's requests by number, ID number (full or last six), name or pinyin initials.
pub fn search<S: Store>(
    store: &mut S,
    town: Option<&str>,
    query: &str,
    today: NaiveDate,
) -> Result<Vec<RequestView>> {
    let q_text = query.trim();
    if q_text.chars().count() > 100 {
        return Err(Error::invalid("query", "查找内容过长（最多 100 个字符）"));
    }
    store.read(|q| {
        let towns = towns_of(q, town)?;
        // A receipt's QR code scanned into the box: its number, once the check value is this
        // hall's (a code that does not check is refused).
        let scanned = if q_text.contains(crate::forms::CHECK_SEPARATOR) {
            crate::forms::read_receipt_code(&q.hall_key()?, "query", q_text)?
        } else {
            None
        };
        let q_text = scanned.as_deref().unwrap_or(q_text);
        let upper = q_text.to_ascii_uppercase();
        let is_digits_x = |s: &str| {
            s.chars()
                .enumerate()
                .all(|(i, c)| c.is_ascii_digit() || (c == 'X' && i + 1 == s.len()))
        };
        let queries = if q_text.is_empty() {
            vec![RequestQuery::All]
        } else if upper.contains('-')
            && upper.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            vec![RequestQuery::NumberPrefix(upper.clone())]
        } else if (upper.len() == 18 || upper.len() == 15) && is_digits_x(&upper) {
            match IdNumber::parse("query", &upper, today) {
                Ok(id) => {
                    let full = id.as_str().to_string();
                    // Requests past the retention period keep only a keyed hash of the number.
                    let mut found = vec![RequestQuery::ApplicantId(full.clone())];
                    if q.any_id_key()? {
                        found.push(RequestQuery::IdKey(crate::retention::id_key(
                            &q.hall_key()?,
                            &full,
                        )?));
                    }
                    found
                }
                Err(_) => vec![RequestQuery::ApplicantId(upper.clone())],
            }
        } else if upper.len() == 18 {
            vec![RequestQuery::ApplicantId(upper.clone())]
        } else if upper.len() == 6 && is_digits_x(&upper) {
            vec![RequestQuery::IdLast6(upper.clone())]
        } else if q_text.chars().all(|c| c.is_ascii_alphabetic()) {
            vec![RequestQuery::Initials(q_text.to_ascii_lowercase())]
        } else if q_text.chars().count() < NAME_PART_MIN {
            return Err(Error::invalid(
                "query",
                "按姓名查找请至少输入两个字（姓名中任意连续的两个字即可）",
            ));
        } else {
            vec![RequestQuery::Name(q_text.to_string())]
        };
        let mut viewer = Viewer::new(q)?;
        let mut rows = Vec::new();
        for town in &towns {
            for query in &queries {
                if rows.len() < SEARCH_LIMIT {
                    rows.extend(q.requests(town.id, query, SEARCH_LIMIT - rows.len())?);
                }
            }
        }
        rows.truncate(SEARCH_LIMIT);
        viewer.views(&rows, today)
    })
}

/// The counter's standing lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Today,
    Incomplete,
    Forwarded,
    Overdue,
    /// 待审批: accepted requests of items the township decides itself on the day (delegated, or
    /// entrusted under a letter valid that day), awaiting a decision.
    Pending,
    /// 待核查承诺: requests whose pledge is not yet checked.
    Pledges,
    All,
}

impl ListKind {
    pub fn parse(field: &'static str, s: &str) -> Result<ListKind> {
        Ok(match s.trim() {
            "today" => ListKind::Today,
            "incomplete" => ListKind::Incomplete,
            "forwarded" => ListKind::Forwarded,
            "overdue" => ListKind::Overdue,
            "pending" => ListKind::Pending,
            "pledges" => ListKind::Pledges,
            "all" => ListKind::All,
            other => {
                let lists = "today、incomplete、forwarded、overdue、pending、pledges 或 all";
                return Err(Error::invalid(
                    field,
                    format!("列表“{other}”无效：应为 {lists}"),
                ));
            }
        })
    }
}

pub fn list<S: Store>(
    store: &mut S,
    town: Option<&str>,
    kind: ListKind,
    today: NaiveDate,
) -> Result<Vec<RequestView>> {
    list_page(store, town, kind, today).map(|p| p.rows)
}

/// A list as a screen shows it: the newest [`LIST_LIMIT`] rows, and whether more exist, so that
/// the screen says it shows only the first ones rather than stopping silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ListPage {
    pub rows: Vec<RequestView>,
    /// More requests are on this list than `rows` holds.
    pub more: bool,
    /// The most rows a list holds.
    pub limit: usize,
}

/// [`list`] with whether it was cut at [`LIST_LIMIT`].
pub fn list_page<S: Store>(
    store: &mut S,
    town: Option<&str>,
    kind: ListKind,
    today: NaiveDate,
) -> Result<ListPage> {
    store.read(|q| {
        let towns = towns_of(q, town)?;
        let query = match kind {
            ListKind::Today => RequestQuery::CreatedOn(today),
            ListKind::Incomplete => RequestQuery::InStates(vec![State::Incomplete]),
            ListKind::Forwarded => RequestQuery::InStates(vec![State::Forwarded]),
            ListKind::Overdue => {
                RequestQuery::InStates(vec![State::Accepted, State::Forwarded, State::Received])
            }
            ListKind::Pledges => {
                RequestQuery::InStates(vec![State::Accepted, State::Decided, State::Completed])
            }
            ListKind::Pending => RequestQuery::InStates(vec![State::Accepted]),
            ListKind::All => RequestQuery::All,
        };
        // One more than is shown, to know whether there are more; the lists filtered after the
        // query read further.
        let limit = if matches!(
            kind,
            ListKind::Overdue | ListKind::Pending | ListKind::Pledges
        ) {
            10_000
        } else {
            LIST_LIMIT + 1
        };
        let mut viewer = Viewer::new(q)?;
        let mut out = Vec::new();
        for town in &towns {
            let rows = q.requests(town.id, &query, limit)?;
            let letters = if kind == ListKind::Pending {
                q.letters(town.id)?
            } else {
                Vec::new()
            };
            for v in viewer.views(&rows, today)? {
                let keep =
                    match kind {
                        ListKind::Overdue => v.overdue,
                        ListKind::Pledges => !v.pledged.is_empty() && v.pledge_checked_on.is_none(),
                        ListKind::Pending => viewer
                            .items
                            .get(&(town.id, v.item.clone()))
                            .is_some_and(|item| {
                                crate::catalog::effective_mode(item, &letters, today).decides_here()
                            }),
                        _ => true,
                    };
                if keep {
                    out.push(v);
                }
            }
        }
        let more = out.len() > LIST_LIMIT;
        out.truncate(LIST_LIMIT);
        Ok(ListPage {
            rows: out,
            more,
            limit: LIST_LIMIT,
        })
    })
}
