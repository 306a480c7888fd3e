//! The authority check: may this person, in this town, do this action on this item today, on
//! what basis, and if not, where must the resident go?
//!
//! [`decide`] is one pure function; every state change of a request goes through it and records
//! its answer. Rules (DESIGN.md "Authority check"): consult is always allowed; accept and forward
//! need a mode other than city-only and the 窗口人员 role; approve needs delegated, or entrusted
//! with a letter valid on the date and covering the item, and the 审批人员 or 镇领导 role;
//! enforcement needs an enforcement item decided here, a valid 行政执法证 for the item's
//! department, and at least two certified officers at work (行政处罚法 第四十二条).

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::{effective_mode, valid_letter, Item, Letter, Mode};
use crate::staff::{Role, StaffProfile};
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Consult,
    Accept,
    Approve,
    Forward,
    Enforce,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::Consult,
        Action::Accept,
        Action::Approve,
        Action::Forward,
        Action::Enforce,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Action::Consult => "consult",
            Action::Accept => "accept",
            Action::Approve => "approve",
            Action::Forward => "forward",
            Action::Enforce => "enforce",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::Consult => "咨询",
            Action::Accept => "受理",
            Action::Approve => "审批",
            Action::Forward => "转报",
            Action::Enforce => "执法",
        }
    }

    pub fn parse(field: &'static str, s: &str) -> Result<Action> {
        let s = s.trim();
        Action::ALL
            .into_iter()
            .find(|a| a.key() == s || a.label() == s)
            .ok_or_else(|| {
                Error::invalid(
                    field,
                    format!("操作“{s}”无效:应为 consult、accept、approve、forward 或 enforce"),
                )
            })
    }
}

/// The answer of the authority check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub allowed: bool,
    /// The mode that holds on the date (an entrusted item without a valid letter: `forward`).
    pub mode: Mode,
    /// Why it is allowed, or the mode's basis when it is not.
    pub basis: String,
    pub reason: Option<String>,
    pub alternative: Option<String>,
}

/// Everything the decision looks at besides the person and the action.
pub struct Situation<'a> {
    pub item: &'a Item,
    /// The town's letters (any number; those not covering the item are ignored).
    pub letters: &'a [Letter],
    /// People of the town at work on the date holding a valid 行政执法证 for the item's
    /// department.
    pub certified_officers: usize,
}

fn where_to_go(item: &Item) -> String {
    format!("请群众到{}办理;本镇可提供咨询和办事指引", item.department)
}

fn forward_route(item: &Item) -> String {
    format!(
        "由窗口收件后转报{},承诺{}办结",
        item.department,
        item.promised.display()
    )
}

/// The basis of the mode on the date, in words a clerk can say to a resident.
fn mode_basis(item: &Item, letters: &[Letter], on: NaiveDate) -> String {
    match effective_mode(item, letters, on) {
        Mode::Delegated => format!("下放事项,本镇可受理并办结;设定依据:{}", item.legal_basis),
        Mode::Entrusted => {
            let l = valid_letter(letters, &item.code, on).expect("entrusted means a valid letter");
            format!(
                "受{}委托办理,委托书 {}(有效期 {} 至 {})",
                l.issuer, l.number, l.valid_from, l.valid_to
            )
        }
        Mode::Forward if item.mode == Mode::Entrusted => format!(
            "委托事项,但{}没有有效的委托书,按收件转报办理:转报{}",
            on, item.department
        ),
        Mode::Forward => format!("收件转报事项:本镇受理后转报{}决定", item.department),
        Mode::CityOnly => format!("不予下放事项,由{}办理", item.department),
    }
}

fn refuse(mode: Mode, basis: String, reason: String, alternative: String) -> Decision {
    Decision {
        allowed: false,
        mode,
        basis,
        reason: Some(reason),
        alternative: Some(alternative),
    }
}

/// Decides whether `staff` may do `action` on the item of `s` on `on`.
pub fn decide(staff: &StaffProfile, s: &Situation<'_>, action: Action, on: NaiveDate) -> Decision {
    let item = s.item;
    let mode = effective_mode(item, s.letters, on);
    let basis = mode_basis(item, s.letters, on);
    let allow = |basis: String| Decision {
        allowed: true,
        mode,
        basis,
        reason: None,
        alternative: (mode == Mode::CityOnly).then(|| where_to_go(item)),
    };
    let lacks_role = |what: &str, roles: &[Role]| {
        let names: Vec<&str> = roles.iter().map(|r| r.label()).collect();
        refuse(
            mode,
            basis.clone(),
            format!(
                "{}({})不是{},不能{}",
                staff.name,
                staff.no,
                names.join("或"),
                what
            ),
            format!("请由{}办理", names.join("或")),
        )
    };

    if action != Action::Consult && !staff.at_work {
        return refuse(
            mode,
            basis.clone(),
            format!(
                "{}({})在{on}不在岗(借调出、长期请假或已退休)",
                staff.name, staff.no
            ),
            "请由在岗的工作人员办理".into(),
        );
    }
    match action {
        Action::Consult => allow(basis.clone()),
        Action::Accept | Action::Forward if mode == Mode::CityOnly => refuse(
            mode,
            basis.clone(),
            format!("“{}”属不予下放事项,乡镇不能受理或转报", item.name),
            where_to_go(item),
        ),
        Action::Accept | Action::Forward if !staff.has_role(&[Role::Clerk]) => {
            lacks_role(action.label(), &[Role::Clerk])
        }
        Action::Accept => allow(basis.clone()),
        Action::Forward if mode != Mode::Forward => refuse(
            mode,
            basis.clone(),
            format!("“{}”本镇有权办结,无需转报", item.name),
            "受理后由本镇审批人员审批".into(),
        ),
        Action::Forward => allow(basis.clone()),
        Action::Approve | Action::Enforce => match mode {
            Mode::CityOnly => refuse(
                mode,
                basis.clone(),
                format!("“{}”属不予下放事项,乡镇无权{}", item.name, action.label()),
                where_to_go(item),
            ),
            Mode::Forward => {
                let reason = if item.mode == Mode::Entrusted {
                    format!("{on}没有覆盖本事项的有效委托书,乡镇无权{}", action.label())
                } else {
                    format!("本事项由{}决定,乡镇只收件转报", item.department)
                };
                refuse(mode, basis.clone(), reason, forward_route(item))
            }
            Mode::Delegated | Mode::Entrusted if action == Action::Approve => {
                if staff.has_role(&[Role::Approver, Role::Leader]) {
                    allow(basis.clone())
                } else {
                    lacks_role("审批", &[Role::Approver, Role::Leader])
                }
            }
            Mode::Delegated | Mode::Entrusted => enforce(staff, s, mode, basis.clone(), on),
        },
    }
}

fn enforce(
    staff: &StaffProfile,
    s: &Situation<'_>,
    mode: Mode,
    basis: String,
    on: NaiveDate,
) -> Decision {
    let item = s.item;
    if !item.is_enforcement() {
        return refuse(
            mode,
            basis,
            format!("“{}”是{}事项,不是执法事项", item.name, item.item_type),
            "按受理、审批办理".into(),
        );
    }
    if !staff
        .credentials
        .iter()
        .any(|c| c.enforces(&item.department, on))
    {
        return refuse(
            mode,
            basis,
            format!(
                "{}({})没有{}有效的、适用于{}执法的行政执法证",
                staff.name, staff.no, on, item.department
            ),
            "请由持有效行政执法证的执法人员办理".into(),
        );
    }
    if s.certified_officers < 2 {
        return refuse(
            mode,
            basis,
            format!(
                "本镇在岗持证执法人员只有{}人,执法人员不得少于两人(《行政处罚法》第四十二条)",
                s.certified_officers
            ),
            format!("请{}派员或联合执法", item.department),
        );
    }
    Decision {
        allowed: true,
        mode,
        basis: format!(
            "{basis};执法人员持有效行政执法证,本镇在岗持证人员{}人",
            s.certified_officers
        ),
        reason: None,
        alternative: None,
    }
}

/// The authority check for a staff number, an item code and an action on a date, reading what
/// it needs from the store. The item is looked up in the staff member's own town.
pub fn check<S: crate::store::Store>(
    store: &mut S,
    staff_no: &str,
    item_code: &str,
    action: Action,
    on: NaiveDate,
) -> Result<Decision> {
    let staff = crate::staff::find_staff(store, "staff", staff_no, on)?;
    store.read(|q| {
        let town = crate::catalog::service::resolve_town(q, Some(&staff.town))?;
        let item = crate::catalog::service::load_item(q, &town, "item", item_code)?;
        let letters = q.letters(town.id)?;
        let certified_officers = crate::staff::profiles_on(q, town.id, on)?
            .iter()
            .filter(|p| {
                p.at_work
                    && p.credentials
                        .iter()
                        .any(|c| c.enforces(&item.department, on))
            })
            .count();
        let situation = Situation {
            item: &item,
            letters: &letters,
            certified_officers,
        };
        Ok(decide(&staff, &situation, action, on))
    })
}
