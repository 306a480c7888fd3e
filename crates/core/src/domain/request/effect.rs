//! What a step does to a request, as a pure function of the facts the service loaded: the
//! next state (from [`LIFECYCLE`](super::LIFECYCLE)), the deadlines counted on the calendar,
//! the forwarded request's department due date, the materials handed in, the timeline's note.
//! The service loads, calls [`effect`], and writes what it answers.

use chrono::NaiveDate;

use super::record::RequestRow;
use super::{next_state, State, Step};
use crate::domain::authority::{Action, Decision};
use crate::domain::calendar::Calendar;
use crate::domain::catalog::{Item, Material, Mode, TimeLimit};
use crate::{Error, Result};

/// What a step leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The authority check refused the step: `why` (its reason and where to go instead) goes
    /// back to the clerk, and only the refusal is audited.
    Refused { why: String },
    /// The request as the step leaves it, and the note its timeline entry carries.
    Done {
        row: Box<RequestRow>,
        note: Option<String>,
    },
}

/// The item type of the items that pay out (行政给付): a grant names its amount.
pub const PAYS_OUT: &str = "行政给付";

/// The authority action a step needs.
pub fn action_of(step: &Step) -> Action {
    match step {
        Step::Accept { .. }
        | Step::Refuse { .. }
        | Step::Complete
        | Step::Pickup
        | Step::Explain { .. } => Action::Accept,
        Step::Forward { .. } | Step::Result { .. } | Step::DeptAccept { .. } => Action::Forward,
        // The clock of a decision made here is the deciding body's: 延期 needs its 负责人 (a
        // 镇领导, [`needs_leader`]), 暂停计时 and 恢复计时 its approvers.
        Step::Decide { .. }
        | Step::Extend { .. }
        | Step::Suspend { .. }
        | Step::Resume
        | Step::Verify { .. } => Action::Approve,
        Step::Withdraw => Action::Consult,
    }
}

/// Whether `step` needs a 镇领导 beyond its action's roles: an extension is approved by the
/// body's 负责人 (行政许可法第四十二条：经本行政机关负责人批准).
pub fn needs_leader(step: &Step) -> bool {
    matches!(step, Step::Extend { .. })
}

/// The due date the clock runs to while `row` is open here or at a department: the
/// department's for a forwarded request, the township's while accepted; none while the clock
/// is stopped (暂停计时) or the request is closed.
pub fn open_due(row: &RequestRow) -> Option<NaiveDate> {
    open_due_of(row.state, row.due, row.department_due)
}

/// The states in which a request's clock runs ([`open_due_of`] gives a due date only in them).
pub const CLOCK_RUNNING: [State; 2] = [State::Accepted, State::Forwarded];

/// [`open_due`] of a request in `state` with these due dates.
pub fn open_due_of(
    state: State,
    due: Option<NaiveDate>,
    department_due: Option<NaiveDate>,
) -> Option<NaiveDate> {
    match state {
        State::Forwarded => department_due,
        State::Accepted => due,
        _ => None,
    }
}

/// Overdue on `today`: past the open due date.
pub fn overdue(row: &RequestRow, today: NaiveDate) -> bool {
    open_due(row).is_some_and(|d| today > d)
}

/// The last day to examine a request received for examination: [`super::EXAMINE_DAYS`] working
/// days after receipt.
pub fn examine_by(calendar: &Calendar, row: &RequestRow) -> NaiveDate {
    calendar.due(row.created_on, super::EXAMINE_DAYS).due
}

/// A request received for examination and neither accepted nor told by [`examine_by`] counts
/// as accepted from the day of receipt (行政许可法第三十二条：逾期不告知的，自收到申请材料之日起
/// 即为受理).
pub fn deemed_accepted(calendar: &Calendar, row: &RequestRow, today: NaiveDate) -> bool {
    row.state == State::Received && today > examine_by(calendar, row)
}

/// The due date of a time limit counted from `on`, and whether the calendar covered every day
/// counted.
pub fn due_on(calendar: &Calendar, limit: TimeLimit, on: NaiveDate) -> (NaiveDate, bool) {
    let d = calendar.due(on, limit.days().map_or(0, u32::from));
    (d.due, d.calendar_complete)
}

/// Resolves what was handed in (names or 1-based numbers of the item's list) to sequence numbers.
pub fn resolve_materials(item: &Item, given: &[String]) -> Result<Vec<u16>> {
    let mut seqs = Vec::new();
    for g in given.iter().map(|g| g.trim()).filter(|g| !g.is_empty()) {
        let found = item
            .materials
            .iter()
            .find(|m| m.name == g || g.parse::<u16>().ok() == Some(m.seq));
        match found {
            Some(m) if !seqs.contains(&m.seq) => seqs.push(m.seq),
            Some(_) => {}
            None => {
                let list: Vec<String> = item
                    .materials
                    .iter()
                    .map(|m| format!("{}.{}", m.seq, m.name))
                    .collect();
                return Err(Error::invalid(
                    "materials",
                    format!(
                        "材料“{g}”不在“{}”的材料清单中；清单为：{}",
                        item.name,
                        list.join("、")
                    ),
                ));
            }
        }
    }
    seqs.sort_unstable();
    Ok(seqs)
}

/// Whether `m` must be handed in: mandatory in the catalogue, or the power of attorney (a
/// material named …委托书) when an agent acts for the applicant (issue 16 point 11).
pub fn required(m: &Material, agent: bool) -> bool {
    m.mandatory || (agent && m.name.contains("委托书"))
}

/// The materials `row` must hand in and has not: the item's mandatory ones, and its 委托书
/// when an agent acts.
pub fn missing<'a>(item: &'a Item, row: &RequestRow) -> Vec<&'a Material> {
    missing_of(item, &row.received, row.has_agent())
}

/// [`missing`] with what was received and whether an agent acts given apart.
pub fn missing_of<'a>(item: &'a Item, received: &[u16], agent: bool) -> Vec<&'a Material> {
    item.materials
        .iter()
        .filter(|m| required(m, agent) && !received.contains(&m.seq))
        .collect()
}

/// What intake makes of `row`, a new request of `item` holding what was handed in: refused
/// when the authority check says the township may not take it in (with the reason and where
/// to go), incomplete while a mandatory material is missing, otherwise accepted with its due
/// date. Also the timeline's step and note.
pub fn intake(
    mut row: RequestRow,
    item: &Item,
    decision: &Decision,
    today: NaiveDate,
    calendar: &Calendar,
    examine_later: bool,
) -> (RequestRow, &'static str, Option<String>) {
    let absent = missing(item, &row);
    let (step, note) = if !decision.allowed {
        row.state = State::Refused;
        row.reason = decision.reason.clone();
        row.alternative = decision.alternative.clone();
        row.closed_on = Some(today);
        ("不予受理", decision.reason.clone())
    } else if examine_later {
        // Received to be examined (第三十二条第一款第四项): accepted or told within five
        // working days, else accepted from today.
        row.state = State::Received;
        let by = calendar.due(today, super::EXAMINE_DAYS).due;
        (
            "收件待审",
            Some(format!(
                "收到申请材料，{by} 前审查：受理或一次性告知补正；逾期未告知的，自收件之日起即为受理"
            )),
        )
    } else if !absent.is_empty() {
        row.state = State::Incomplete;
        let names: Vec<&str> = absent.iter().map(|m| m.name.as_str()).collect();
        ("一次性告知", Some(format!("缺少：{}", names.join("、"))))
    } else {
        let (due, complete) = due_on(calendar, item.promised, today);
        row.state = State::Accepted;
        row.accepted_on = Some(today);
        row.due = Some(due);
        row.calendar_complete = complete;
        ("受理", None)
    };
    (row, step, note)
}

/// What `step`, with the authority's answer `decision`, does to `row` (a request of `item`)
/// on `today`. Bad materials, an illegal transition and a department due date in the past are
/// errors (nothing is written); a refusal by the authority check is an [`Effect::Refused`].
pub fn effect(
    row: &RequestRow,
    item: &Item,
    step: &Step,
    decision: &Decision,
    today: NaiveDate,
    calendar: &Calendar,
) -> Result<Effect> {
    let mut received = row.received.clone();
    if let Step::Accept { materials } = step {
        for seq in resolve_materials(item, materials)? {
            if !received.contains(&seq) {
                received.push(seq);
            }
        }
        received.sort_unstable();
    }
    let complete = missing_of(item, &received, row.has_agent()).is_empty();
    let next = next_state(row.state, step, complete, row.picked_up_on.is_some())?;
    if !decision.allowed {
        let why = format!(
            "{}{}",
            decision.reason.clone().unwrap_or_default(),
            decision
                .alternative
                .as_deref()
                .map(|a| format!("\u{ff1b}{a}"))
                .unwrap_or_default()
        );
        return Ok(Effect::Refused { why });
    }
    let mut row = row.clone();
    let mut note = None;
    match step {
        Step::Accept { .. } => {
            row.received = received;
            if next == State::Accepted {
                // Accepted late after receipt for examination: from the day of receipt.
                let from = if deemed_accepted(calendar, &row, today) {
                    note = Some(format!(
                        "审查期限 {} 已过，自收件之日 {} 起即为受理",
                        examine_by(calendar, &row),
                        row.created_on
                    ));
                    row.created_on
                } else {
                    today
                };
                let (due, full) = due_on(calendar, item.promised, from);
                row.accepted_on = Some(from);
                row.due = Some(due);
                row.calendar_complete = full;
            } else {
                let names: Vec<&str> = missing(item, &row)
                    .iter()
                    .map(|m| m.name.as_str())
                    .collect();
                note = Some(format!("仍缺少：{}", names.join("、")));
            }
        }
        Step::Refuse { reason } => {
            row.reason = Some(reason.trim().to_string());
            row.alternative = (!matches!(item.mode, Mode::Delegated | Mode::Empowered))
                .then(|| format!("可到{}咨询办理", item.department));
            row.closed_on = Some(today);
            note = Some(reason.trim().to_string());
        }
        Step::Forward {
            department,
            due,
            reason,
        } => {
            let dept = department
                .as_deref()
                .map(str::trim)
                .unwrap_or(&item.department)
                .to_string();
            // The item's department is where it goes; another one needs a stated reason, which
            // the timeline and the audit log keep (issue 16, defect 16).
            let elsewhere = dept != item.department.trim();
            let reason = reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
            if elsewhere && reason.is_none() {
                return Err(Error::invalid(
                    "reason",
                    format!(
                        "“{}”的实施主体是{}；转报到{dept}须写明理由",
                        item.name, item.department
                    ),
                ));
            }
            if let Some(d) = due {
                if *d < today {
                    return Err(Error::invalid(
                        "due",
                        format!("部门办结日期 {d} 早于今天 {today}"),
                    ));
                }
            }
            let (default_due, full) = due_on(calendar, item.promised, today);
            let department_due = due.unwrap_or(default_due);
            row.forwarded_to = Some(dept.clone());
            row.forwarded_on = Some(today);
            row.department_due = Some(department_due);
            row.calendar_complete = due.is_some() || full;
            note = Some(match reason.filter(|_| elsewhere) {
                Some(r) => format!(
                    "转报{dept}（非实施主体{}，理由：{r}），部门办结期限 {department_due}",
                    item.department
                ),
                None => format!("转报{dept}，部门办结期限 {department_due}"),
            });
        }
        Step::Result { approved } => {
            row.result = Some(*approved);
            row.answered_on.get_or_insert(today);
            note = Some(if *approved { "准予" } else { "不予" }.to_string() + "许可/办理");
        }
        Step::Decide {
            approved,
            opinion,
            amount_fen,
        } => {
            // An item that pays out (行政给付) says how much when it grants; nothing else does.
            let pays = item.item_type == PAYS_OUT;
            match (pays && *approved, amount_fen) {
                (true, None) => {
                    return Err(Error::invalid(
                        "amount",
                        format!("“{}”是行政给付事项：准予时请填写给付金额（元）", item.name),
                    ))
                }
                (false, Some(_)) if pays => {
                    return Err(Error::invalid("amount", "不予给付时不填写金额"));
                }
                (false, Some(_)) => {
                    return Err(Error::invalid(
                        "amount",
                        format!("“{}”不是行政给付事项，不填写金额", item.name),
                    ));
                }
                _ => {}
            }
            row.result = Some(*approved);
            row.opinion = Some(opinion.clone());
            row.amount_fen = *amount_fen;
            let amount = amount_fen
                .map(|f| format!("；给付金额：{}", super::amount_text(f)))
                .unwrap_or_default();
            note = Some(format!(
                "{}许可/办理；审批意见：{opinion}{amount}",
                if *approved { "准予" } else { "不予" }
            ));
        }
        Step::Complete => row.closed_on = Some(today),
        Step::Pickup => row.picked_up_on = Some(today),
        Step::Withdraw => row.closed_on = Some(today),
        Step::Extend { days, reason } => {
            if let Some(before) = row.extended_days {
                return Err(Error::invalid(
                    "days",
                    format!("办件已延期 {before} 个工作日，依法只能延长一次（《中华人民共和国行政许可法》第四十二条）"),
                ));
            }
            let old = row
                .due
                .ok_or_else(|| Error::invalid("state", "办件没有办结期限，不能延期".to_string()))?;
            let moved = calendar.due(old, u32::from(*days));
            row.due = Some(moved.due);
            row.calendar_complete &= moved.calendar_complete;
            row.extended_days = Some(*days);
            row.extension_reason = Some(reason.clone());
            note = Some(format!(
                "延长 {days} 个工作日，办结期限由 {old} 延至 {}；理由：{reason}",
                moved.due
            ));
        }
        Step::Suspend { reason, days } => {
            row.suspended_on = Some(today);
            row.suspension_reason = Some(reason.clone());
            row.suspension_days = *days;
            let expected = days
                .map(|d| format!("，预计需 {d} 个工作日"))
                .unwrap_or_default();
            note = Some(format!(
                "暂停计时：{reason}{expected}；所需时间不计入办理期限"
            ));
        }
        Step::Resume => {
            let from = row.suspended_on.unwrap_or(today);
            let days = calendar.working_days_between(from, today).max(0);
            let old = row.due;
            if let Some(due) = old.filter(|_| days > 0) {
                let moved = calendar.due(due, days as u32);
                row.due = Some(moved.due);
                row.calendar_complete &= moved.calendar_complete;
            }
            row.suspended_on = None;
            row.suspended_days += days as u32;
            note = Some(match (old, row.due) {
                (Some(old), Some(new)) if days > 0 => format!(
                    "恢复计时：自 {from} 起暂停 {days} 个工作日，办结期限由 {old} 顺延至 {new}"
                ),
                _ => format!("恢复计时：自 {from} 起暂停 0 个工作日，办结期限不变"),
            });
        }
        Step::Verify { truthful, reason } => {
            if row.pledged.is_empty() || row.pledge_checked_on.is_some() {
                return Err(Error::invalid("state", "办件没有待核查的告知承诺"));
            }
            row.pledge_checked_on = Some(today);
            row.pledge_truthful = Some(*truthful);
            note = Some(match reason {
                Some(r) if !truthful => {
                    row.reason = Some(r.clone());
                    row.closed_on = Some(today);
                    format!("承诺核查不实，依法撤销：{r}")
                }
                _ => "承诺核查属实".to_string(),
            });
        }
        Step::DeptAccept { on } => {
            let on = on.unwrap_or(today);
            let sent = row.forwarded_on.unwrap_or(row.created_on);
            if on < sent || on > today {
                return Err(Error::invalid(
                    "on",
                    format!("部门受理日期 {on} 应在转报日期 {sent} 与今天 {today} 之间"),
                ));
            }
            let (due, full) = due_on(calendar, item.promised, on);
            let dept = row
                .forwarded_to
                .clone()
                .unwrap_or_else(|| item.department.clone());
            row.department_accepted_on = Some(on);
            row.department_due = Some(due);
            row.calendar_complete = full;
            note = Some(format!(
                "{dept}于 {on} 受理，办结期限自受理之日起计算：{due}（承诺时限 {}）",
                item.promised.display()
            ));
        }
        Step::Explain { reason } => {
            let Some(due) = open_due(&row).filter(|d| today > *d) else {
                return Err(Error::invalid(
                    "state",
                    format!(
                        "办件未逾期（{}），不需要逾期说明",
                        open_due(&row)
                            .map(|d| format!("办结期限 {d}"))
                            .unwrap_or_else(|| "没有在办的期限".into())
                    ),
                ));
            };
            row.overdue_reason = Some(reason.clone());
            note = Some(format!("逾期说明（期限 {due}）：{reason}"));
        }
    }
    row.state = next;
    Ok(Effect::Done {
        row: Box::new(row),
        note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::MaterialForm;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn item() -> Item {
        let material = |seq: u16, name: &str, mandatory: bool| Material {
            seq,
            name: name.into(),
            form: MaterialForm::Original,
            copies: 1,
            mandatory,
            pledgeable: false,
        };
        Item {
            code: "LY-101".into(),
            name: "林木采伐许可证核发".into(),
            initials: "lmcfxkzhf".into(),
            item_type: "行政许可".into(),
            department: "市林业局".into(),
            legal_basis: "《中华人民共和国森林法》第五十六条".into(),
            statutory: TimeLimit::WorkingDays(20),
            promised: TimeLimit::WorkingDays(10),
            fee: "不收费".into(),
            post: "农业林业窗口".into(),
            mode: Mode::Forward,
            grant: None,
            office: Default::default(),
            listing: Default::default(),
            materials: vec![
                material(1, "申请表", true),
                material(2, "身份证", true),
                material(3, "林权证", false),
            ],
        }
    }

    /// A request in `state` with materials 1 and 3 in, accepted on 2026-11-02 where that fits.
    fn row(state: State, picked_up: bool) -> RequestRow {
        let accepted = !matches!(state, State::Incomplete | State::Consulted | State::Refused);
        RequestRow {
            id: crate::domain::ids::RequestId(7),
            item_code: "LY-101".into(),
            state,
            applicant_name: Some("王五".into()),
            name_initials: Some("ww".into()),
            created_at: d("2026-11-02").and_hms_opt(9, 0, 0).unwrap(),
            accepted_on: accepted.then(|| d("2026-11-02")),
            due: accepted.then(|| d("2026-11-16")),
            picked_up_on: picked_up.then(|| d("2026-11-20")),
            received: if accepted { vec![1, 2] } else { vec![1, 3] },
            ..RequestRow::sample(d("2026-11-02"))
        }
    }

    fn decision(allowed: bool) -> Decision {
        Decision {
            allowed,
            mode: Mode::Forward,
            basis: "收件转报".into(),
            reason: (!allowed).then(|| "本镇对该事项只能收件转报".into()),
            alternative: (!allowed).then(|| "转报市林业局".into()),
            about_staff: false,
        }
    }

    /// The step of a case: `accept 2`, `refuse 理由`, `forward`, `forward 市局 2026-12-01`,
    /// `result approved`, `decide refused`, `complete`, `pickup`, `withdraw`.
    fn step(text: &str) -> Step {
        let mut words = text.split(' ');
        let kind = words.next().unwrap();
        let rest: Vec<&str> = words.collect();
        let approved = || rest.first() == Some(&"approved");
        match kind {
            "accept" => Step::Accept {
                materials: rest.iter().map(|s| s.to_string()).collect(),
            },
            "refuse" => Step::Refuse {
                reason: rest.join(" "),
            },
            "forward" => Step::Forward {
                department: rest.first().map(|s| s.to_string()),
                due: rest.get(1).map(|s| d(s)),
                reason: rest.get(2).map(|s| s.to_string()),
            },
            "result" => Step::Result {
                approved: approved(),
            },
            "decide" => Step::Decide {
                approved: approved(),
                opinion: "同意".into(),
                amount_fen: rest
                    .get(1)
                    .map(|a| super::super::parse_amount("amount", a).unwrap()),
            },
            "complete" => Step::Complete,
            "pickup" => Step::Pickup,
            "withdraw" => Step::Withdraw,
            other => panic!("no step {other}"),
        }
    }

    /// What changed, one line: the new state, then each field that differs from the input row,
    /// then the note; or `refused: …`, or the error's field and message.
    fn render(before: &RequestRow, got: Result<Effect>) -> String {
        let (after, note) = match got {
            Err(Error::Invalid { field, message }) => return format!("error {field}: {message}"),
            Err(e) => return format!("error {e:?}"),
            Ok(Effect::Refused { why }) => return format!("refused: {why}"),
            Ok(Effect::Done { row, note }) => (row, note),
        };
        let mut out = vec![after.state.key().to_string()];
        let mut diff = |name: &str, a: String, b: String| {
            if a != b {
                out.push(format!("{name}={b}"));
            }
        };
        let o = |d: Option<NaiveDate>| d.map_or("-".into(), |d| d.to_string());
        let s = |t: &Option<String>| t.clone().unwrap_or("-".into());
        diff(
            "received",
            format!("{:?}", before.received),
            format!("{:?}", after.received),
        );
        diff("accepted_on", o(before.accepted_on), o(after.accepted_on));
        diff("due", o(before.due), o(after.due));
        diff(
            "calendar_complete",
            before.calendar_complete.to_string(),
            after.calendar_complete.to_string(),
        );
        diff(
            "forwarded_to",
            s(&before.forwarded_to),
            s(&after.forwarded_to),
        );
        diff(
            "forwarded_on",
            o(before.forwarded_on),
            o(after.forwarded_on),
        );
        diff(
            "department_due",
            o(before.department_due),
            o(after.department_due),
        );
        diff(
            "result",
            format!("{:?}", before.result),
            format!("{:?}", after.result),
        );
        diff("reason", s(&before.reason), s(&after.reason));
        diff("alternative", s(&before.alternative), s(&after.alternative));
        diff("closed_on", o(before.closed_on), o(after.closed_on));
        diff(
            "picked_up_on",
            o(before.picked_up_on),
            o(after.picked_up_on),
        );
        if let Some(n) = note {
            out.push(format!("note={n}"));
        }
        out.join(" ")
    }

    /// `input`: `STATE[/picked] STEP… @TODAY[ denied]`; `expect`: what [`render`] prints.
    fn check(input: &str, expect: &str) {
        let (head, tail) = input.split_once(" @").expect("a case names its day");
        let (today, allowed) = match tail.split_once(' ') {
            Some((day, "denied")) => (d(day), false),
            _ => (d(tail), true),
        };
        let (state, step_text) = head.split_once(' ').unwrap_or((head, ""));
        let (state, picked) = match state.split_once('/') {
            Some((s, "picked")) => (s, true),
            _ => (state, false),
        };
        let before = row(State::parse(state).expect("a state key"), picked);
        let got = effect(
            &before,
            &item(),
            &step(step_text),
            &decision(allowed),
            today,
            &Calendar::builtin(),
        );
        assert_eq!(render(&before, got), expect, "{input}");
    }

    /// `input`: the materials handed in, `@TODAY[ denied]`; `expect`: what intake makes of a
    /// new request (as [`render`] prints it), then the timeline's step.
    fn check_intake(input: &str, expect: &str) {
        let (given, tail) = input.split_once('@').expect("a case names its day");
        let (today, allowed) = match tail.split_once(' ') {
            Some((day, "denied")) => (d(day), false),
            _ => (d(tail), true),
        };
        let mut before = row(State::Accepted, false);
        before.accepted_on = None;
        before.due = None;
        before.received = given
            .split_whitespace()
            .map(|s| s.parse().unwrap())
            .collect();
        let (after, step, note) = intake(
            before.clone(),
            &item(),
            &decision(allowed),
            today,
            &Calendar::builtin(),
            false,
        );
        let got = render(
            &before,
            Ok(Effect::Done {
                row: Box::new(after),
                note,
            }),
        );
        assert_eq!(format!("{got} | {step}"), expect, "{input}");
    }

    /// Materials by name or by number, each once however often it is named, in list order;
    /// one not on the list is refused naming the field.
    #[test]
    fn materials_resolve_by_name_or_number_once_each() {
        let given = |g: &[&str]| {
            resolve_materials(
                &item(),
                &g.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            given(&["3", "申请表", "1", " 身份证 ", "3"]).unwrap(),
            [1, 2, 3]
        );
        assert_eq!(given(&["", "2"]).unwrap(), [2]);
        assert!(matches!(
            given(&["4"]),
            Err(Error::Invalid {
                field: "materials",
                ..
            })
        ));
        assert!(matches!(
            given(&["营业执照"]),
            Err(Error::Invalid {
                field: "materials",
                ..
            })
        ));
    }

    #[test]
    fn intake_cases() {
        check_intake(
            "1 2 @2026-11-30",
            "accepted accepted_on=2026-11-30 due=2026-12-14 | 受理",
        );
        check_intake(
            "1 2 3 @2026-11-28",
            "accepted accepted_on=2026-11-28 due=2026-12-11 | 受理",
        );
        check_intake(
            "1 2 @2026-12-28",
            "accepted accepted_on=2026-12-28 due=2027-01-11 calendar_complete=false | 受理",
        );
        check_intake(
            "1 3 @2026-11-30",
            "incomplete note=缺少：身份证 | 一次性告知",
        );
        check_intake(
            " @2026-11-30",
            "incomplete note=缺少：申请表、身份证 | 一次性告知",
        );
        check_intake("1 2 @2026-11-30 denied", "refused reason=本镇对该事项只能收件转报 alternative=转报市林业局 closed_on=2026-11-30 note=本镇对该事项只能收件转报 | 不予受理");
        check_intake(" @2026-11-30 denied", "refused reason=本镇对该事项只能收件转报 alternative=转报市林业局 closed_on=2026-11-30 note=本镇对该事项只能收件转报 | 不予受理");
    }

    #[test]
    fn accept() {
        check(
            "incomplete accept 2 @2026-11-30",
            "accepted received=[1, 2, 3] accepted_on=2026-11-30 due=2026-12-14",
        );
        check(
            "incomplete accept 身份证 @2026-11-30",
            "accepted received=[1, 2, 3] accepted_on=2026-11-30 due=2026-12-14",
        );
        check(
            "incomplete accept @2026-11-30",
            "incomplete note=仍缺少：身份证",
        );
        check(
            "incomplete accept 3 @2026-11-30",
            "incomplete note=仍缺少：身份证",
        );
        check("incomplete accept 9 @2026-11-30", "error materials: 材料“9”不在“林木采伐许可证核发”的材料清单中；清单为：1.申请表、2.身份证、3.林权证");
        // Over the National Day holiday: eight days off, and Sunday 2026-10-11 is a workday.
        check(
            "incomplete accept 2 @2026-09-30",
            "accepted received=[1, 2, 3] accepted_on=2026-09-30 due=2026-10-20",
        );
        // Into 2027, whose arrangements are not published: counted on weekdays, and said so.
        check("incomplete accept 2 @2026-12-28", "accepted received=[1, 2, 3] accepted_on=2026-12-28 due=2027-01-11 calendar_complete=false");
        check(
            "accepted accept 2 @2026-11-30",
            "error state: 办件当前状态为“已受理”，不能补正受理：只有收件待审或待补正的办件才能补正受理",
        );
        check(
            "incomplete accept 2 @2026-11-30 denied",
            "refused: 本镇对该事项只能收件转报；转报市林业局",
        );
    }

    #[test]
    fn forward() {
        check("accepted forward @2026-11-30", "forwarded forwarded_to=市林业局 forwarded_on=2026-11-30 department_due=2026-12-14 note=转报市林业局，部门办结期限 2026-12-14");
        check("accepted forward 市林业局 2026-12-01 @2026-11-30", "forwarded forwarded_to=市林业局 forwarded_on=2026-11-30 department_due=2026-12-01 note=转报市林业局，部门办结期限 2026-12-01");
        check("accepted forward 市林业局 2026-11-30 @2026-11-30", "forwarded forwarded_to=市林业局 forwarded_on=2026-11-30 department_due=2026-11-30 note=转报市林业局，部门办结期限 2026-11-30");
        // Issue 16, defect 16: another department than the item's needs a reason, kept in the
        // note (the timeline and the audit log).
        check(
            "accepted forward 市自然资源局 2026-12-01 @2026-11-30",
            "error reason: “林木采伐许可证核发”的实施主体是市林业局；转报到市自然资源局须写明理由",
        );
        check("accepted forward 市自然资源局 2026-12-01 林地审批已划转 @2026-11-30", "forwarded forwarded_to=市自然资源局 forwarded_on=2026-11-30 department_due=2026-12-01 note=转报市自然资源局（非实施主体市林业局，理由：林地审批已划转），部门办结期限 2026-12-01");
        check(
            "accepted forward 市林业局 2026-11-29 @2026-11-30",
            "error due: 部门办结日期 2026-11-29 早于今天 2026-11-30",
        );
        check("accepted forward @2026-12-28", "forwarded calendar_complete=false forwarded_to=市林业局 forwarded_on=2026-12-28 department_due=2027-01-11 note=转报市林业局，部门办结期限 2027-01-11");
        // A date the clerk gives is the department's; no calendar is needed for it.
        check("accepted forward 市林业局 2027-01-05 @2026-12-28", "forwarded forwarded_to=市林业局 forwarded_on=2026-12-28 department_due=2027-01-05 note=转报市林业局，部门办结期限 2027-01-05");
        check(
            "accepted forward @2026-11-30 denied",
            "refused: 本镇对该事项只能收件转报；转报市林业局",
        );
        check(
            "incomplete forward @2026-11-30",
            "error state: 办件当前状态为“待补正”，不能转报：只有已受理的办件才能转报",
        );
        check(
            "forwarded forward @2026-11-30",
            "error state: 办件当前状态为“已转报”，不能转报：只有已受理的办件才能转报",
        );
    }

    #[test]
    fn decide_and_result() {
        check(
            "accepted decide approved @2026-11-30",
            "decided result=Some(true) note=准予许可/办理；审批意见：同意",
        );
        check(
            "accepted decide refused @2026-11-30",
            "decided result=Some(false) note=不予许可/办理；审批意见：同意",
        );
        // Only an item that pays out names an amount.
        check(
            "accepted decide approved 1200 @2026-11-30",
            "error amount: “林木采伐许可证核发”不是行政给付事项，不填写金额",
        );
        check(
            "forwarded result approved @2026-11-30",
            "decided result=Some(true) note=准予许可/办理",
        );
        check("accepted result approved @2026-11-30", "error state: 办件当前状态为“已受理”，不能部门办理结果：只有已转报的办件才能部门办理结果");
        check(
            "forwarded decide approved @2026-11-30",
            "error state: 办件当前状态为“已转报”，不能审批决定：只有已受理的办件才能审批决定",
        );
        check(
            "accepted decide approved @2026-11-30 denied",
            "refused: 本镇对该事项只能收件转报；转报市林业局",
        );
    }

    /// An item that pays out (行政给付) names the amount when it grants, and only then; the
    /// opinion and the amount are kept on the row and written in the timeline's note.
    #[test]
    fn a_grant_of_an_item_that_pays_out_names_its_amount() {
        let pays = Item {
            code: "MZ-004".into(),
            name: "高龄津贴申领".into(),
            item_type: PAYS_OUT.into(),
            mode: Mode::Delegated,
            ..item()
        };
        let before = row(State::Accepted, false);
        let run = |approved: bool, amount: Option<i64>| {
            effect(
                &before,
                &pays,
                &Step::decide(approved, "年满八十周岁，符合条件。", amount),
                &decision(true),
                d("2026-11-30"),
                &Calendar::builtin(),
            )
        };
        match run(true, Some(120_000)).unwrap() {
            Effect::Done { row, note } => {
                assert_eq!(row.state, State::Decided);
                assert_eq!(row.opinion.as_deref(), Some("年满八十周岁，符合条件。"));
                assert_eq!(row.amount_fen, Some(120_000));
                assert_eq!(
                    note.as_deref(),
                    Some(
                        "准予许可/办理；审批意见：年满八十周岁，符合条件。；给付金额：1,200.00 元"
                    )
                );
            }
            other => panic!("{other:?}"),
        }
        let field = |r: Result<Effect>| match r {
            Err(Error::Invalid { field, message }) => format!("{field}: {message}"),
            other => format!("{other:?}"),
        };
        assert_eq!(
            field(run(true, None)),
            "amount: “高龄津贴申领”是行政给付事项：准予时请填写给付金额（元）"
        );
        assert_eq!(field(run(false, Some(100))), "amount: 不予给付时不填写金额");
        match run(false, None).unwrap() {
            Effect::Done { row, .. } => assert_eq!(row.amount_fen, None),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn refuse_complete_pickup_withdraw() {
        check("incomplete refuse 材料不实 @2026-11-30", "refused reason=材料不实 alternative=可到市林业局咨询办理 closed_on=2026-11-30 note=材料不实");
        check("accepted refuse  材料不实  @2026-11-30", "refused reason=材料不实 alternative=可到市林业局咨询办理 closed_on=2026-11-30 note=材料不实");
        check(
            "decided complete @2026-11-30",
            "completed closed_on=2026-11-30",
        );
        check(
            "completed pickup @2026-11-30",
            "completed picked_up_on=2026-11-30",
        );
        check(
            "completed/picked pickup @2026-11-30",
            "error state: 办件当前状态为“已办结”，不能取件：结果已经取走",
        );
        check(
            "decided pickup @2026-11-30",
            "error state: 办件当前状态为“已决定”，不能取件：只有已办结的办件才能取件",
        );
        check(
            "forwarded withdraw @2026-11-30",
            "withdrawn closed_on=2026-11-30",
        );
        check(
            "incomplete withdraw @2026-11-30",
            "withdrawn closed_on=2026-11-30",
        );
        check(
            "completed withdraw @2026-11-30",
            "error state: 办件当前状态为“已办结”，不能撤回：办件已经结束",
        );
        check(
            "refused withdraw @2026-11-30",
            "error state: 办件当前状态为“不予受理”，不能撤回：办件已经结束",
        );
        check(
            "consulted accept @2026-11-30",
            "error state: 办件当前状态为“咨询”，不能补正受理：咨询记录不是办件，请新建受理",
        );
        check(
            "decided complete @2026-11-30 denied",
            "refused: 本镇对该事项只能收件转报；转报市林业局",
        );
    }
}
