//! Service requests (办件) from first question to completion.
//!
//! The lifecycle of DESIGN.md "Request lifecycle" is a state machine ([`next_state`]); every step
//! goes through the authority check and writes its answer to the request's timeline and to the
//! audit log, in the same transaction as the change. Deadlines count working days on the
//! [`Calendar`](crate::domain::calendar::Calendar); overdue is computed when a request is shown, never
//! stored.

pub mod effect;
pub mod record;

use serde::Serialize;

use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Consulted,
    Incomplete,
    Accepted,
    Refused,
    Forwarded,
    Decided,
    Completed,
    Withdrawn,
    /// 暂停计时: a hearing, test, inspection, quarantine, appraisal or expert review the
    /// decision needs is under way; its time does not count (行政许可法第四十五条).
    Suspended,
    /// 已撤销: a pledge (告知承诺) found false on checking; the decision is revoked
    /// (国办发〔2020〕42号).
    Revoked,
    /// 收件待审: materials received to be examined (行政许可法第三十二条第一款第四项); within
    /// [`EXAMINE_DAYS`] working days the clerk accepts or gives the one-time notice, otherwise
    /// it counts as accepted from the day of receipt.
    Received,
}

/// The working days a clerk has to examine materials received (第三十二条：五日内).
pub const EXAMINE_DAYS: u32 = 5;

impl State {
    pub const ALL: [State; 11] = [
        State::Consulted,
        State::Incomplete,
        State::Accepted,
        State::Refused,
        State::Forwarded,
        State::Decided,
        State::Completed,
        State::Withdrawn,
        State::Suspended,
        State::Received,
        State::Revoked,
    ];

    pub fn key(self) -> &'static str {
        match self {
            State::Consulted => "consulted",
            State::Incomplete => "incomplete",
            State::Accepted => "accepted",
            State::Refused => "refused",
            State::Forwarded => "forwarded",
            State::Decided => "decided",
            State::Completed => "completed",
            State::Withdrawn => "withdrawn",
            State::Suspended => "suspended",
            State::Received => "received",
            State::Revoked => "revoked",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Consulted => "咨询",
            State::Incomplete => "待补正",
            State::Accepted => "已受理",
            State::Refused => "不予受理",
            State::Forwarded => "已转报",
            State::Decided => "已决定",
            State::Completed => "已办结",
            State::Withdrawn => "已撤回",
            State::Suspended => "暂停计时",
            State::Received => "收件待审",
            State::Revoked => "已撤销",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|st| st.key() == s)
    }
}

/// A step a clerk or approver takes on an existing request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// More materials handed in (补正); accepted once every mandatory one is in.
    Accept {
        materials: Vec<String>,
    },
    /// 不予受理, with the reason.
    Refuse {
        reason: String,
    },
    /// 转报 to a department, with its due date (default: the promised time limit from today).
    Forward {
        department: Option<String>,
        due: Option<chrono::NaiveDate>,
        /// Why another department than the item's 实施主体 (required then, audited).
        reason: Option<String>,
    },
    /// The department's result of a forwarded request.
    Result {
        approved: bool,
    },
    /// Decided here, where authority allows, with the approver's opinion (审批意见) and, when an
    /// item that pays out (行政给付) is granted, the amount in fen.
    Decide {
        approved: bool,
        opinion: String,
        amount_fen: Option<i64>,
    },
    Complete,
    Pickup,
    Withdraw,
    /// 延期 (行政许可法第四十二条): once, with a 镇领导's approval and a reason, at most
    /// [`EXTEND_MAX_DAYS`] working days added to the due date.
    Extend {
        days: u16,
        reason: String,
    },
    /// 暂停计时 for one of the procedures of 行政许可法第四十五条 (the reason names it), with
    /// the working days it is expected to take when known: the applicant is told in writing.
    Suspend {
        reason: String,
        days: Option<u16>,
    },
    /// 恢复计时: the due date moves by the working days suspended.
    Resume,
    /// 逾期说明 (优化营商环境条例第三十六条): why an overdue request is late.
    Explain {
        reason: String,
    },
    /// 核查承诺: the applicant's pledge checked; a false one revokes the request, with the
    /// reason (告知承诺, 国办发〔2020〕42号).
    Verify {
        truthful: bool,
        reason: Option<String>,
    },
    /// 部门受理: the department a request was forwarded to accepted it on `on` (default today);
    /// its clock starts then (issue 16 point 3).
    DeptAccept {
        on: Option<chrono::NaiveDate>,
    },
}

/// The most working days an extension adds (行政许可法第四十二条：可以延长十日).
pub const EXTEND_MAX_DAYS: u16 = 10;

/// The procedures whose time does not count (行政许可法第四十五条); a suspension's reason names
/// one of them.
pub const SUSPENDING_PROCEDURES: [&str; 8] = [
    "听证",
    "招标",
    "拍卖",
    "检验",
    "检测",
    "检疫",
    "鉴定",
    "专家评审",
];

/// Which step, without what it carries: the lifecycle's vocabulary, and what a request's
/// `next_steps` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Accept,
    Refuse,
    Forward,
    Result,
    Decide,
    Complete,
    Pickup,
    Withdraw,
    Extend,
    Suspend,
    Resume,
    Explain,
    DeptAccept,
    Verify,
}

impl StepKind {
    pub const ALL: [StepKind; 14] = [
        StepKind::Accept,
        StepKind::Refuse,
        StepKind::Forward,
        StepKind::Result,
        StepKind::Decide,
        StepKind::Complete,
        StepKind::Pickup,
        StepKind::Withdraw,
        StepKind::Extend,
        StepKind::Suspend,
        StepKind::Resume,
        StepKind::Explain,
        StepKind::DeptAccept,
        StepKind::Verify,
    ];

    pub fn key(self) -> &'static str {
        match self {
            StepKind::Accept => "accept",
            StepKind::Refuse => "refuse",
            StepKind::Forward => "forward",
            StepKind::Result => "result",
            StepKind::Decide => "decide",
            StepKind::Complete => "complete",
            StepKind::Pickup => "pickup",
            StepKind::Withdraw => "withdraw",
            StepKind::Extend => "extend",
            StepKind::Suspend => "suspend",
            StepKind::Resume => "resume",
            StepKind::Explain => "explain",
            StepKind::DeptAccept => "dept_accept",
            StepKind::Verify => "verify",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StepKind::Accept => "补正受理",
            StepKind::Refuse => "不予受理",
            StepKind::Forward => "转报",
            StepKind::Result => "部门办理结果",
            StepKind::Decide => "审批决定",
            StepKind::Complete => "办结",
            StepKind::Pickup => "取件",
            StepKind::Withdraw => "撤回",
            StepKind::Extend => "延期",
            StepKind::Suspend => "暂停计时",
            StepKind::Resume => "恢复计时",
            StepKind::Explain => "逾期说明",
            StepKind::DeptAccept => "部门受理",
            StepKind::Verify => "核查承诺",
        }
    }
}

/// What a step carries, as the edges receive it: the CLI's flags, the app command's arguments.
/// [`Step::parse`] turns it into a [`Step`], the one parse of a step. Serialized under the
/// names the hall server's `request_step` takes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct StepFields {
    /// What was handed in, by name or by number in the item's list.
    pub materials: Option<Vec<String>>,
    pub reason: Option<String>,
    pub department: Option<String>,
    /// The department's due date, `YYYY-MM-DD`.
    pub due: Option<String>,
    /// `approved` (准予) or `refused` (不予).
    pub result: Option<String>,
    /// The approver's opinion with a decision.
    pub opinion: Option<String>,
    /// The amount granted, in yuan as typed (1200, 1,200.50).
    pub amount: Option<String>,
    /// Working days, as typed: of an extension (1 to 10), or a suspension's expected time.
    pub days: Option<String>,
    /// A day a step records, `YYYY-MM-DD` (the department's acceptance).
    pub on: Option<String>,
}

/// Working days as typed, from `min` to `max`, refused naming `field`.
pub fn parse_days(field: &'static str, text: &str, min: u16, max: u16) -> Result<u16> {
    let t = text.trim();
    match t.parse::<u16>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(Error::invalid(
            field,
            format!("工作日数“{t}”无效：应为 {min} 到 {max} 的整数"),
        )),
    }
}

/// A reason a step must give (延期, 暂停计时, 逾期说明): not blank, at most
/// [`OPINION_MAX_CHARS`] characters, no control characters.
pub fn parse_reason(what: &str, text: Option<&str>) -> Result<String> {
    let t = text.unwrap_or("").trim();
    if t.is_empty() {
        return Err(Error::invalid("reason", format!("{what}须写明理由")));
    }
    let n = t.chars().count();
    if n > OPINION_MAX_CHARS {
        return Err(Error::invalid(
            "reason",
            format!("理由过长：{n} 字，最多 {OPINION_MAX_CHARS} 字"),
        ));
    }
    if t.chars().any(char::is_control) {
        return Err(Error::invalid("reason", "理由含有控制字符"));
    }
    Ok(t.to_string())
}

/// The most characters an opinion holds (the column's CHECK says the same).
pub const OPINION_MAX_CHARS: usize = 500;

/// The most a decision grants: 100 million yuan, in fen.
pub const AMOUNT_MAX_FEN: i64 = 100_000_000 * 100;

/// The opinion of a grant when the approver writes none: the customary 同意。
pub const DEFAULT_GRANT_OPINION: &str = "同意。";

/// An approver's opinion as typed, at most [`OPINION_MAX_CHARS`] characters. A grant without
/// one reads [`DEFAULT_GRANT_OPINION`]; a refusal must give its reasons (行政许可法第三十八条：
/// 不予行政许可的书面决定应当说明理由).
pub fn parse_opinion(approved: bool, text: &str) -> Result<String> {
    let t = text.trim();
    if t.is_empty() {
        if approved {
            return Ok(DEFAULT_GRANT_OPINION.into());
        }
        return Err(Error::invalid(
            "opinion",
            "不予决定须写明理由：请在审批意见中说明不予的理由和依据",
        ));
    }
    let n = t.chars().count();
    if n > OPINION_MAX_CHARS {
        return Err(Error::invalid(
            "opinion",
            format!("审批意见过长：{n} 字，最多 {OPINION_MAX_CHARS} 字"),
        ));
    }
    Ok(t.to_string())
}

/// An amount in yuan as typed (`1200`, `1,200.5`, `1200.50元`) to fen: more than nothing, at most
/// two decimals and [`AMOUNT_MAX_FEN`].
pub fn parse_amount(field: &'static str, text: &str) -> Result<i64> {
    let bad = || {
        Error::invalid(
            field,
            format!(
                "金额“{}”无效：应为大于 0 的元数，最多两位小数，如 1200 或 1200.50",
                text.trim()
            ),
        )
    };
    let t: String = text
        .trim()
        .trim_end_matches('元')
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !(frac.is_empty() || digits(frac)) || frac.len() > 2 || whole.len() > 12 {
        return Err(bad());
    }
    let yuan: i64 = whole.parse().map_err(|_| bad())?;
    let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let fen = yuan * 100 + cents;
    if fen <= 0 || fen > AMOUNT_MAX_FEN {
        return Err(bad());
    }
    Ok(fen)
}

/// Fen as the forms and the timeline write it: `1,200.00 元`.
pub fn amount_text(fen: i64) -> String {
    let yuan = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in yuan.chars().enumerate() {
        if i > 0 && (yuan.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:02} 元", fen % 100)
}

impl Step {
    /// A decision with the approver's opinion and, for an item that pays out, the amount in fen.
    pub fn decide(approved: bool, opinion: &str, amount_fen: Option<i64>) -> Step {
        Step::Decide {
            approved,
            opinion: opinion.into(),
            amount_fen,
        }
    }
}

impl StepKind {
    pub fn parse(field: &'static str, s: &str) -> Result<StepKind> {
        StepKind::ALL
            .into_iter()
            .find(|k| k.key() == s.trim())
            .ok_or_else(|| Error::invalid(field, format!("未知的办理步骤“{s}”")))
    }
}

impl Step {
    /// A step of `kind` with what `fields` carries; the fields a kind does not take are ignored.
    /// Bad values are refused naming their field (`due`, `result`).
    pub fn parse(kind: StepKind, fields: StepFields) -> Result<Step> {
        let approved = |r: Option<String>| match r.as_deref().map(str::trim) {
            Some("approved" | "准予") => Ok(true),
            Some("refused" | "不予") => Ok(false),
            Some(other) => Err(Error::invalid(
                "result",
                format!("结果“{other}”无效：应为 approved 或 refused"),
            )),
            None => Err(Error::invalid(
                "result",
                "请选择办理结果：准予（approved）或不予（refused）",
            )),
        };
        Ok(match kind {
            StepKind::Accept => Step::Accept {
                materials: fields.materials.unwrap_or_default(),
            },
            StepKind::Refuse => Step::Refuse {
                reason: fields.reason.unwrap_or_default(),
            },
            StepKind::Forward => Step::Forward {
                department: fields.department,
                due: fields
                    .due
                    .map(|d| crate::domain::date::parse_date("due", &d))
                    .transpose()?,
                reason: fields.reason.filter(|r| !r.trim().is_empty()),
            },
            StepKind::Result => Step::Result {
                approved: approved(fields.result)?,
            },
            StepKind::Decide => {
                let approved = approved(fields.result)?;
                Step::Decide {
                    approved,
                    opinion: parse_opinion(approved, fields.opinion.as_deref().unwrap_or(""))?,
                    amount_fen: fields
                        .amount
                        .as_deref()
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .map(|a| parse_amount("amount", a))
                        .transpose()?,
                }
            }
            StepKind::Complete => Step::Complete,
            StepKind::Pickup => Step::Pickup,
            StepKind::Withdraw => Step::Withdraw,
            StepKind::Extend => Step::Extend {
                days: match fields.days.as_deref().map(str::trim) {
                    Some(d) if !d.is_empty() => parse_days("days", d, 1, EXTEND_MAX_DAYS)?,
                    _ => {
                        return Err(Error::invalid(
                            "days",
                            format!("请填写延长的工作日数（1 到 {EXTEND_MAX_DAYS}）"),
                        ))
                    }
                },
                reason: parse_reason("延期", fields.reason.as_deref())?,
            },
            StepKind::Suspend => {
                let reason = parse_reason("暂停计时", fields.reason.as_deref())?;
                if !SUSPENDING_PROCEDURES.iter().any(|p| reason.contains(p)) {
                    return Err(Error::invalid(
                        "reason",
                        format!(
                            "暂停计时只用于依法需要的{}，理由中请写明是哪一项（《中华人民共和国行政许可法》第四十五条）",
                            procedures_text()
                        ),
                    ));
                }
                Step::Suspend {
                    reason,
                    days: fields
                        .days
                        .as_deref()
                        .map(str::trim)
                        .filter(|d| !d.is_empty())
                        .map(|d| parse_days("days", d, 1, 250))
                        .transpose()?,
                }
            }
            StepKind::Resume => Step::Resume,
            StepKind::Explain => Step::Explain {
                reason: parse_reason("逾期说明", fields.reason.as_deref())?,
            },
            StepKind::Verify => {
                let truthful = match fields.result.as_deref().map(str::trim) {
                    Some("true" | "属实") => true,
                    Some("false" | "不实") => false,
                    Some(other) => {
                        return Err(Error::invalid(
                            "result",
                            format!("核查结果“{other}”无效：应为 true（属实）或 false（不实）"),
                        ))
                    }
                    None => {
                        return Err(Error::invalid(
                            "result",
                            "请填写核查结果：true（属实）或 false（不实）",
                        ))
                    }
                };
                let reason = if truthful {
                    None
                } else {
                    Some(parse_reason("承诺不实的撤销", fields.reason.as_deref())?)
                };
                Step::Verify { truthful, reason }
            }
            StepKind::DeptAccept => Step::DeptAccept {
                on: fields
                    .on
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(|d| crate::domain::date::parse_date("on", d))
                    .transpose()?,
            },
        })
    }

    pub fn kind(&self) -> StepKind {
        match self {
            Step::Accept { .. } => StepKind::Accept,
            Step::Refuse { .. } => StepKind::Refuse,
            Step::Forward { .. } => StepKind::Forward,
            Step::Result { .. } => StepKind::Result,
            Step::Decide { .. } => StepKind::Decide,
            Step::Complete => StepKind::Complete,
            Step::Pickup => StepKind::Pickup,
            Step::Withdraw => StepKind::Withdraw,
            Step::Extend { .. } => StepKind::Extend,
            Step::Suspend { .. } => StepKind::Suspend,
            Step::Resume => StepKind::Resume,
            Step::Explain { .. } => StepKind::Explain,
            Step::DeptAccept { .. } => StepKind::DeptAccept,
            Step::Verify { .. } => StepKind::Verify,
        }
    }

    pub fn label(&self) -> &'static str {
        self.kind().label()
    }
}

/// 听证、招标、拍卖、检验、检测、检疫、鉴定或专家评审.
pub fn procedures_text() -> String {
    let (last, rest) = SUSPENDING_PROCEDURES
        .split_last()
        .expect("the list is not empty");
    format!("{}或{last}", rest.join("、"))
}

/// One state of the lifecycle: the steps that leave it (in the order a screen offers them) with
/// where each leads, and the forms a request in it may print.
#[derive(Debug)]
pub struct Stage {
    pub state: State,
    pub steps: &'static [(StepKind, State)],
    pub forms: &'static [FormKind],
}

/// The lifecycle of DESIGN.md "Request lifecycle", the one table of it: [`next_state`], the
/// refusal's "only from" text, a request's `next_steps` and `forms` are all read from here.
/// Two facts the table cannot hold are rules of [`next_state`]: 补正受理 leaves the request
/// 待补正 while a mandatory material is still missing, and a result is picked up once.
pub const LIFECYCLE: &[Stage] = {
    use FormKind::*;
    use State::*;
    use StepKind as K;
    &[
        Stage {
            state: Consulted,
            steps: &[],
            forms: &[Guide],
        },
        Stage {
            state: Received,
            steps: &[
                (K::Accept, Accepted),
                (K::Refuse, Refused),
                (K::Withdraw, Withdrawn),
            ],
            // The 收件凭证: proof of the day of receipt (第三十二条).
            forms: &[Collection],
        },
        Stage {
            state: Incomplete,
            steps: &[
                (K::Accept, Accepted),
                (K::Refuse, Refused),
                (K::Withdraw, Withdrawn),
            ],
            forms: &[Notice],
        },
        Stage {
            state: Accepted,
            steps: &[
                (K::Decide, Decided),
                (K::Forward, Forwarded),
                (K::Extend, Accepted),
                (K::Suspend, Suspended),
                (K::Explain, Accepted),
                (K::Verify, Accepted),
                (K::Refuse, Refused),
                (K::Withdraw, Withdrawn),
            ],
            forms: &[Receipt],
        },
        Stage {
            state: Suspended,
            steps: &[
                (K::Resume, Accepted),
                (K::Extend, Suspended),
                (K::Withdraw, Withdrawn),
            ],
            forms: &[Receipt, Suspension],
        },
        Stage {
            state: Refused,
            steps: &[],
            forms: &[Refusal],
        },
        Stage {
            state: Forwarded,
            steps: &[
                (K::DeptAccept, Forwarded),
                (K::Result, Decided),
                (K::Explain, Forwarded),
                (K::Withdraw, Withdrawn),
            ],
            forms: &[Receipt],
        },
        Stage {
            state: Decided,
            steps: &[
                (K::Complete, Completed),
                (K::Verify, Decided),
                (K::Withdraw, Withdrawn),
            ],
            forms: &[Receipt],
        },
        Stage {
            state: Completed,
            steps: &[(K::Pickup, Completed), (K::Verify, Completed)],
            forms: &[Receipt],
        },
        Stage {
            state: Withdrawn,
            steps: &[],
            forms: &[],
        },
        Stage {
            state: Revoked,
            steps: &[],
            forms: &[],
        },
    ]
};

fn stage(state: State) -> &'static Stage {
    LIFECYCLE
        .iter()
        .find(|s| s.state == state)
        .expect("every state has a row in LIFECYCLE")
}

/// The steps the lifecycle allows from `state` (pickup only while the result is not yet
/// picked up), in the order a screen offers them. Who may take them is the accounts' business.
pub fn next_steps(state: State, marks: Marks) -> Vec<StepKind> {
    stage(state)
        .steps
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| match k {
            StepKind::Pickup => !marks.picked_up,
            StepKind::Extend => !marks.extended,
            StepKind::Explain => marks.overdue,
            StepKind::DeptAccept => !marks.dept_accepted,
            StepKind::Verify => marks.pledge_open,
            _ => true,
        })
        .collect()
}

/// What of a request, beside its state, the steps and forms it is offered depend on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    /// The result was picked up: no second pickup.
    pub picked_up: bool,
    /// Extended once already: the law allows one extension (行政许可法第四十二条).
    pub extended: bool,
    /// Past its due date now: only then is a reason for the delay recorded.
    pub overdue: bool,
    /// Decided by the township (an opinion recorded): its 决定书 prints.
    pub decided_here: bool,
    /// Taken in to be forwarded: a 收件凭证, not a 受理回执.
    pub collected: bool,
    /// The department's acceptance is recorded: once.
    pub dept_accepted: bool,
    /// A pledge stands for materials and is not yet checked.
    pub pledge_open: bool,
    /// A pledge was given (its 告知承诺书 prints).
    pub pledged: bool,
}

/// The forms a request in `state` may print.
pub fn forms_for(state: State) -> &'static [FormKind] {
    stage(state).forms
}

/// The forms a request may print: those of its state, with the 收件凭证 for the 受理回执 when
/// it was taken in to be forwarded (`collected`: receiving for a department is not acceptance,
/// issue 16 point 3), the 延期告知书 once extended (until it ends without a decision), and the
/// 决定书 once it was decided here (an opinion is recorded only by the township's own decision;
/// a department's result is the department's paper).
pub fn forms_of(state: State, marks: Marks) -> Vec<FormKind> {
    let mut forms: Vec<FormKind> = forms_for(state)
        .iter()
        .map(|k| match k {
            FormKind::Receipt if marks.collected => FormKind::Collection,
            k => *k,
        })
        .collect();
    if marks.extended
        && matches!(
            state,
            State::Accepted | State::Suspended | State::Decided | State::Completed
        )
    {
        forms.push(FormKind::Extension);
    }
    if marks.decided_here && matches!(state, State::Decided | State::Completed) {
        forms.push(FormKind::Decision);
    }
    if marks.pledged && !matches!(state, State::Refused | State::Withdrawn) {
        forms.push(FormKind::Pledge);
    }
    forms
}

/// The state machine: where `step` leads from `state`, given whether every mandatory material
/// is in after the step, and whether the result was already picked up. Illegal steps are
/// refused in Chinese.
pub fn next_state(state: State, step: &Step, complete: bool, picked_up: bool) -> Result<State> {
    let kind = step.kind();
    let next = stage(state)
        .steps
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, to)| *to)
        .filter(|_| !(kind == StepKind::Pickup && picked_up))
        .map(|to| match (step, complete) {
            (Step::Accept { .. }, false) => State::Incomplete,
            // A pledge found false revokes the request (告知承诺).
            (
                Step::Verify {
                    truthful: false, ..
                },
                _,
            ) => State::Revoked,
            _ => to,
        });
    next.ok_or_else(|| {
        use State::*;
        let extra = match (state, kind) {
            (Completed, StepKind::Pickup) => "结果已经取走".to_string(),
            (Completed | Withdrawn | Refused | Revoked, _) => "办件已经结束".to_string(),
            (Consulted, _) => "咨询记录不是办件，请新建受理".to_string(),
            _ => format!("只有{}的办件才能{}", allowed_from(kind), kind.label()),
        };
        Error::invalid(
            "state",
            format!(
                "办件当前状态为“{}”，不能{}：{extra}",
                state.label(),
                kind.label()
            ),
        )
    })
}

/// The states `kind` may leave from, in Chinese: 待补正或已受理.
fn allowed_from(kind: StepKind) -> String {
    let labels: Vec<&str> = LIFECYCLE
        .iter()
        .filter(|s| s.steps.iter().any(|(k, _)| *k == kind))
        .map(|s| s.state.label())
        .collect();
    match labels.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{}或{last}", rest.join("、")),
    }
}

/// The kinds of printed form. Which of them a request may print in each state is in
/// [`LIFECYCLE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum FormKind {
    Receipt,
    /// 收件凭证: what an accept-and-forward intake gives instead of a receipt (issue 16, 3).
    Collection,
    Notice,
    Refusal,
    /// 准予 / 不予…决定书: a decision made here (行政许可法 Art. 38), printable once decided.
    Decision,
    /// 延期告知书: the extension and its reason, told in writing (行政许可法第四十二条).
    Extension,
    /// 特别程序告知书: a suspension and the time it needs, told in writing (第四十五条).
    Suspension,
    /// 告知承诺书: what the applicant pledges in place of materials, the obligations and the
    /// liability for a false pledge (国办发〔2020〕42号).
    Pledge,
    /// 办事指引: where to go, when, whom to call and what to bring, for a consultation
    /// (issue 16 point 4); no ID number needed.
    Guide,
    Handover,
    Staffing,
    /// 日结单: a town's requests of the day by state and the audit log's head, filed away from
    /// the PC so that a log cut or rewritten later is found (issue 17, point 4).
    Closing,
    /// 办件绩效报表: the leaders' performance report of a range (issue 20), made by `bianmin
    /// report --pdf` and the server's `report_pdf`, never through `form` ([`FormKind::parse`]
    /// does not read it) and not recorded in the print log. Not in the window's types until
    /// the window prints one.
    #[ts(skip)]
    Report,
}

impl FormKind {
    pub fn key(self) -> &'static str {
        match self {
            FormKind::Receipt => "receipt",
            FormKind::Collection => "collection",
            FormKind::Notice => "notice",
            FormKind::Refusal => "refusal",
            FormKind::Decision => "decision",
            FormKind::Extension => "extension",
            FormKind::Suspension => "suspension",
            FormKind::Guide => "guide",
            FormKind::Pledge => "pledge",
            FormKind::Handover => "handover",
            FormKind::Staffing => "staffing",
            FormKind::Closing => "closing",
            FormKind::Report => "report",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FormKind::Receipt => "受理回执",
            FormKind::Collection => "收件凭证",
            FormKind::Notice => "一次性告知书",
            FormKind::Refusal => "不予受理通知书",
            FormKind::Decision => "决定书",
            FormKind::Extension => "延期告知书",
            FormKind::Suspension => "特别程序告知书",
            FormKind::Guide => "办事指引",
            FormKind::Pledge => "告知承诺书",
            FormKind::Handover => "转报交接单",
            FormKind::Staffing => "编制与在岗情况表",
            FormKind::Closing => "日结单",
            FormKind::Report => "办件绩效报表",
        }
    }

    /// The form number's prefix: the initials of the label.
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            FormKind::Receipt => "HZ",
            FormKind::Collection => "SJ",
            FormKind::Notice => "GZ",
            FormKind::Refusal => "BY",
            FormKind::Decision => "JD",
            FormKind::Extension => "YQ",
            FormKind::Suspension => "TB",
            FormKind::Guide => "ZY",
            FormKind::Pledge => "CN",
            FormKind::Handover => "JJ",
            FormKind::Staffing => "BZ",
            FormKind::Closing => "RJ",
            FormKind::Report => "JX",
        }
    }

    pub fn parse(field: &'static str, s: &str) -> Result<FormKind> {
        Ok(match s.trim() {
            "receipt" => FormKind::Receipt,
            "collection" => FormKind::Collection,
            "notice" => FormKind::Notice,
            "refusal" => FormKind::Refusal,
            "decision" => FormKind::Decision,
            "extension" => FormKind::Extension,
            "suspension" => FormKind::Suspension,
            "guide" => FormKind::Guide,
            "pledge" => FormKind::Pledge,
            "handover" => FormKind::Handover,
            "staffing" => FormKind::Staffing,
            "closing" => FormKind::Closing,
            other => {
                return Err(Error::invalid(
                    field,
                    format!(
                    "表单种类“{other}”无效：应为 receipt、collection、notice、refusal、decision、extension、suspension、guide、pledge、handover、staffing 或 closing"
                ),
                ))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps() -> Vec<Step> {
        vec![
            Step::Accept { materials: vec![] },
            Step::Refuse { reason: "x".into() },
            Step::Forward {
                department: None,
                due: None,
                reason: None,
            },
            Step::Result { approved: true },
            Step::decide(true, "同意", None),
            Step::Complete,
            Step::Pickup,
            Step::Withdraw,
            Step::Extend {
                days: 5,
                reason: "需实地核查".into(),
            },
            Step::Suspend {
                reason: "需专家评审".into(),
                days: None,
            },
            Step::Resume,
            Step::Explain {
                reason: "部门尚未答复".into(),
            },
            Step::DeptAccept { on: None },
            Step::Verify {
                truthful: true,
                reason: None,
            },
        ]
    }

    /// The words the store keeps and the screens show, written out: each state's key reads
    /// back as that state, and each step is labelled with its kind's word.
    #[test]
    fn states_and_steps_in_the_words_kept_and_shown() {
        let states = [
            (State::Consulted, "consulted", "咨询"),
            (State::Incomplete, "incomplete", "待补正"),
            (State::Accepted, "accepted", "已受理"),
            (State::Refused, "refused", "不予受理"),
            (State::Forwarded, "forwarded", "已转报"),
            (State::Suspended, "suspended", "暂停计时"),
        ];
        for (state, key, label) in states {
            assert_eq!((state.key(), state.label()), (key, label));
        }
        for state in State::ALL {
            assert_eq!(State::parse(state.key()), Some(state));
        }
        assert_eq!(State::parse("已受理"), None);
        for (step, label) in [
            (Step::Accept { materials: vec![] }, "补正受理"),
            (Step::Refuse { reason: "x".into() }, "不予受理"),
            (
                Step::Forward {
                    department: None,
                    due: None,
                    reason: None,
                },
                "转报",
            ),
            (Step::Result { approved: true }, "部门办理结果"),
            (Step::decide(false, "不同意", None), "审批决定"),
            (Step::Complete, "办结"),
            (Step::Pickup, "取件"),
            (Step::Withdraw, "撤回"),
            (Step::Resume, "恢复计时"),
            (
                Step::Extend {
                    days: 1,
                    reason: "x".into(),
                },
                "延期",
            ),
        ] {
            assert_eq!(step.label(), label, "{step:?}");
        }
    }

    #[test]
    fn the_lifecycle_table() {
        use State::*;
        let legal: &[(State, usize, State)] = &[
            (Incomplete, 0, Accepted),
            (Incomplete, 1, Refused),
            (Accepted, 1, Refused),
            (Accepted, 2, Forwarded),
            (Forwarded, 3, Decided),
            (Accepted, 4, Decided),
            (Decided, 5, Completed),
            (Completed, 6, Completed),
            (Incomplete, 7, Withdrawn),
            (Accepted, 7, Withdrawn),
            (Forwarded, 7, Withdrawn),
            (Decided, 7, Withdrawn),
            (Accepted, 8, Accepted),
            (Accepted, 9, Suspended),
            (Accepted, 11, Accepted),
            (Suspended, 10, Accepted),
            (Suspended, 8, Suspended),
            (Suspended, 7, Withdrawn),
            (Forwarded, 11, Forwarded),
            (Forwarded, 12, Forwarded),
            (Accepted, 13, Accepted),
            (Decided, 13, Decided),
            (Completed, 13, Completed),
            (Received, 0, Accepted),
            (Received, 1, Refused),
            (Received, 7, Withdrawn),
        ];
        let all = steps();
        for state in State::ALL {
            for (i, step) in all.iter().enumerate() {
                let want = legal
                    .iter()
                    .find(|(s, k, _)| *s == state && *k == i)
                    .map(|t| t.2);
                match (next_state(state, step, true, false), want) {
                    (Ok(got), Some(w)) => assert_eq!(got, w, "{state:?} {step:?}"),
                    (Err(Error::Invalid { field, message }), None) => {
                        assert_eq!(field, "state");
                        assert!(message.contains(state.label()), "{message}");
                    }
                    (got, want) => panic!("{state:?} {step:?}: got {got:?}, want {want:?}"),
                }
            }
        }
    }

    /// `state[/picked][/extended][/overdue]` → the next steps and the forms, as their keys.
    fn check(input: &str, expect: &str) {
        let mut parts = input.split('/');
        let state = State::parse(parts.next().unwrap()).expect("a state key");
        let flags: Vec<&str> = parts.collect();
        let marks = Marks {
            picked_up: flags.contains(&"picked"),
            extended: flags.contains(&"extended"),
            overdue: flags.contains(&"overdue"),
            ..Marks::default()
        };
        let steps: Vec<&str> = next_steps(state, marks).iter().map(|k| k.key()).collect();
        let forms: Vec<&str> = forms_of(state, marks).iter().map(|k| k.key()).collect();
        assert_eq!(
            format!("{} | {}", steps.join(" "), forms.join(" ")),
            expect,
            "{input}"
        );
    }

    #[test]
    fn next_steps_and_forms() {
        // A consultation prints its 办事指引.
        check("consulted", " | guide");
        check("received", "accept refuse withdraw | collection");
        check("incomplete", "accept refuse withdraw | notice");
        check(
            "accepted",
            "decide forward extend suspend refuse withdraw | receipt",
        );
        // Extended once: no second extension, and its notice prints.
        check(
            "accepted/extended",
            "decide forward suspend refuse withdraw | receipt extension",
        );
        // Only an overdue request takes a reason for the delay.
        check(
            "accepted/overdue",
            "decide forward extend suspend explain refuse withdraw | receipt",
        );
        check("suspended", "resume extend withdraw | receipt suspension");
        check(
            "suspended/extended",
            "resume withdraw | receipt suspension extension",
        );
        check("refused", " | refusal");
        check("forwarded", "dept_accept result withdraw | receipt");
        check(
            "forwarded/overdue",
            "dept_accept result explain withdraw | receipt",
        );
        check("completed/extended", "pickup | receipt extension");
        check("withdrawn/extended", " | ");
        check("decided", "complete withdraw | receipt");
        check("completed", "pickup | receipt");
        check("completed/picked", " | receipt");
        check("withdrawn", " | ");
    }

    #[test]
    fn every_next_step_is_a_legal_transition() {
        for state in State::ALL {
            for kind in StepKind::ALL {
                let step = steps().into_iter().find(|s| s.kind() == kind).unwrap();
                let every = Marks {
                    overdue: true,
                    pledge_open: true,
                    ..Marks::default()
                };
                let listed = next_steps(state, every).contains(&kind);
                assert_eq!(
                    next_state(state, &step, true, false).is_ok(),
                    listed,
                    "{state:?} {kind:?}"
                );
            }
        }
    }

    #[test]
    fn the_only_from_text_comes_from_the_table() {
        use StepKind::*;
        for (kind, want) in [
            (Accept, "收件待审或待补正"),
            (Refuse, "收件待审、待补正或已受理"),
            (Forward, "已受理"),
            (Decide, "已受理"),
            (Result, "已转报"),
            (Complete, "已决定"),
            (Pickup, "已办结"),
            (
                Withdraw,
                "收件待审、待补正、已受理、暂停计时、已转报或已决定",
            ),
            (Extend, "已受理或暂停计时"),
            (Suspend, "已受理"),
            (Resume, "暂停计时"),
            (Explain, "已受理或已转报"),
            (DeptAccept, "已转报"),
            (Verify, "已受理、已决定或已办结"),
        ] {
            assert_eq!(allowed_from(kind), want, "{kind:?}");
        }
    }

    /// Amounts as a clerk types them, to fen, and back as the forms print them; bad ones are
    /// refused naming the field.
    #[test]
    fn amounts_and_opinions_as_typed() {
        for (typed, fen) in [
            ("1200", 120_000),
            ("1,200.5", 120_050),
            ("1，200.50 元", 120_050),
            ("0.01", 1),
            ("100000000", AMOUNT_MAX_FEN),
        ] {
            assert_eq!(parse_amount("amount", typed).unwrap(), fen, "{typed}");
        }
        for bad in [
            "",
            "0",
            "0.00",
            "-5",
            "1.234",
            "12a",
            "1e3",
            ".5",
            "100000000.01",
            "一千",
        ] {
            let e = parse_amount("amount", bad).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::Invalid {
                        field: "amount",
                        ..
                    }
                ),
                "{bad}: {e:?}"
            );
        }
        assert_eq!(amount_text(1), "0.01 元");
        assert_eq!(amount_text(120_050), "1,200.50 元");
        assert_eq!(amount_text(12_345_678_900), "123,456,789.00 元");
        assert_eq!(
            parse_opinion(false, "  不符合条件。 ").unwrap(),
            "不符合条件。"
        );
        // A grant without an opinion reads 同意。; a refusal must give its reasons.
        assert_eq!(parse_opinion(true, " ").unwrap(), "同意。");
        for bad in ["", "   "] {
            assert!(matches!(
                parse_opinion(false, bad),
                Err(Error::Invalid {
                    field: "opinion",
                    ..
                })
            ));
        }
        assert!(parse_opinion(true, &"意".repeat(500)).is_ok());
        let e = parse_opinion(true, &"意".repeat(501)).unwrap_err();
        assert!(e.to_string().contains("501 字"), "{e}");
    }

    /// The 决定书 is printable once the township decided (an opinion recorded), in the states
    /// after the decision; never for a department's result or before.
    #[test]
    fn a_decision_made_here_adds_its_form() {
        use FormKind::*;
        for (state, here, forms) in [
            (State::Accepted, true, vec![Receipt]),
            (State::Decided, true, vec![Receipt, Decision]),
            (State::Completed, true, vec![Receipt, Decision]),
            (State::Decided, false, vec![Receipt]),
            (State::Completed, false, vec![Receipt]),
            (State::Refused, true, vec![Refusal]),
        ] {
            let marks = Marks {
                decided_here: here,
                ..Marks::default()
            };
            assert_eq!(forms_of(state, marks), forms, "{state:?} {here}");
        }
        assert_eq!(FormKind::parse("kind", "decision").unwrap(), Decision);
        // Taken in to be forwarded: the 收件凭证 in the receipt's place, whatever the state.
        let collected = Marks {
            collected: true,
            ..Marks::default()
        };
        for state in [
            State::Accepted,
            State::Forwarded,
            State::Decided,
            State::Completed,
        ] {
            assert_eq!(forms_of(state, collected), vec![Collection], "{state:?}");
        }
        assert_eq!(forms_of(State::Incomplete, collected), vec![Notice]);
        assert_eq!((Decision.key(), Decision.prefix()), ("decision", "JD"));
    }

    #[test]
    fn one_parse_of_a_step() {
        let f = |result: Option<&str>, due: Option<&str>| StepFields {
            materials: Some(vec!["1".into()]),
            reason: Some("材料不实".into()),
            department: Some("市林业局".into()),
            due: due.map(String::from),
            result: result.map(String::from),
            opinion: Some(" 符合条件，同意。 ".into()),
            amount: Some("1,200.5".into()),
            days: Some("5".into()),
            on: None,
        };
        let p = |kind: &str, fields: StepFields| {
            StepKind::parse("step", kind).and_then(|k| Step::parse(k, fields))
        };
        assert_eq!(
            p("accept", f(None, None)).unwrap(),
            Step::Accept {
                materials: vec!["1".into()]
            }
        );
        assert_eq!(
            p("refuse", StepFields::default()).unwrap(),
            Step::Refuse { reason: "".into() }
        );
        assert_eq!(
            p("forward", f(None, Some("2026-12-01"))).unwrap(),
            Step::Forward {
                department: Some("市林业局".into()),
                due: chrono::NaiveDate::from_ymd_opt(2026, 12, 1),
                reason: Some("材料不实".into()),
            }
        );
        assert_eq!(
            p("decide", f(Some("准予"), None)).unwrap(),
            Step::decide(true, "符合条件，同意。", Some(120_050))
        );
        assert_eq!(
            p("result", f(Some("refused"), None)).unwrap(),
            Step::Result { approved: false }
        );
        assert_eq!(p("pickup", f(None, None)).unwrap(), Step::Pickup);
        for kind in StepKind::ALL {
            let mut fields = f(Some("approved"), None);
            if kind == StepKind::Suspend {
                fields.reason = Some("需鉴定".into());
            }
            if kind == StepKind::Verify {
                fields.result = Some("true".into());
            }
            let step = p(kind.key(), fields).unwrap();
            assert_eq!(step.kind(), kind);
        }
        let field = |r: Result<Step>| match r {
            Err(Error::Invalid { field, message }) => format!("{field}: {message}"),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(p("decide", f(None, None))),
            "result: 请选择办理结果：准予（approved）或不予（refused）"
        );
        assert_eq!(
            field(p("decide", f(Some("ok"), None))),
            "result: 结果“ok”无效：应为 approved 或 refused"
        );
        assert!(field(p("forward", f(None, Some("2026-13-01")))).starts_with("due: "));
        assert_eq!(
            field(p("approve", f(None, None))),
            "step: 未知的办理步骤“approve”"
        );
    }

    /// 延期, 暂停计时 and 逾期说明 as typed: `kind days reason` → the step, or the refusal's
    /// field and message. An extension is 1 to 10 working days (第四十二条); a suspension names
    /// a procedure of 第四十五条; each gives a reason.
    #[test]
    fn the_steps_that_stop_or_move_the_clock_as_typed() {
        fn check(input: &str, expect: &str) {
            let mut it = input.splitn(3, ' ');
            let (kind, days, reason) = (it.next().unwrap(), it.next().unwrap(), it.next());
            let fields = StepFields {
                days: (days != "-").then(|| days.to_string()),
                reason: reason.map(String::from),
                ..StepFields::default()
            };
            let got = match StepKind::parse("step", kind).and_then(|k| Step::parse(k, fields)) {
                Ok(step) => format!("{step:?}"),
                Err(Error::Invalid { field, message }) => format!("{field}: {message}"),
                Err(e) => panic!("{e:?}"),
            };
            assert_eq!(got, expect, "{input}");
        }
        check(
            "extend 10 需实地核查",
            r#"Extend { days: 10, reason: "需实地核查" }"#,
        );
        check(
            "extend 1  林权有争议 ",
            r#"Extend { days: 1, reason: "林权有争议" }"#,
        );
        for days in ["0", "11", "-3", "5.5", "五", "99999"] {
            check(
                &format!("extend {days} 需实地核查"),
                &format!("days: 工作日数“{days}”无效：应为 1 到 10 的整数"),
            );
        }
        check("extend - 需核查", "days: 请填写延长的工作日数（1 到 10）");
        check("extend 5", "reason: 延期须写明理由");
        check("extend 5 　", "reason: 延期须写明理由");
        check(
            "suspend - 需组织专家评审",
            r#"Suspend { reason: "需组织专家评审", days: None }"#,
        );
        check(
            "suspend 15 申请人要求听证",
            r#"Suspend { reason: "申请人要求听证", days: Some(15) }"#,
        );
        check(
            "suspend - 等申请人补材料",
            "reason: 暂停计时只用于依法需要的听证、招标、拍卖、检验、检测、检疫、鉴定或专家评审，理由中请写明是哪一项（《中华人民共和国行政许可法》第四十五条）",
        );
        check(
            "suspend 0 鉴定",
            "days: 工作日数“0”无效：应为 1 到 250 的整数",
        );
        check("suspend -", "reason: 暂停计时须写明理由");
        check(
            "explain - 部门尚未答复",
            r#"Explain { reason: "部门尚未答复" }"#,
        );
        check("explain -", "reason: 逾期说明须写明理由");
        check(
            &format!("explain - {}", "迟".repeat(501)),
            "reason: 理由过长：501 字，最多 500 字",
        );
        check("explain - 一\u{7}二", "reason: 理由含有控制字符");
        check("resume -", "Resume");
    }

    #[test]
    fn incomplete_stays_incomplete_until_every_mandatory_material_is_in() {
        let step = Step::Accept { materials: vec![] };
        assert_eq!(
            next_state(State::Incomplete, &step, false, false).unwrap(),
            State::Incomplete
        );
        assert!(next_state(State::Completed, &Step::Pickup, true, true).is_err());
    }
}
