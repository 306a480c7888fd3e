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

use crate::domain::catalog::{effective_mode, valid_letter, Item, Letter, Mode};
use crate::domain::staff::{Role, StaffProfile};
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
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
                    format!("操作“{s}”无效：应为 consult、accept、approve、forward 或 enforce"),
                )
            })
    }
}

/// The answer of the authority check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Decision {
    pub allowed: bool,
    /// The mode that holds on the date (an entrusted item without a valid letter: `forward`).
    pub mode: Mode,
    /// Why it is allowed, or the mode's basis when it is not.
    pub basis: String,
    pub reason: Option<String>,
    pub alternative: Option<String>,
    /// The refusal is about who acts (a role they lack, not at work, no valid 行政执法证), not
    /// about the resident's request: the act is bad input for the counter, never a decision the
    /// resident receives (issue 16, defect 15).
    pub about_staff: bool,
}

/// Everything the decision looks at besides the person and the action.
pub struct Situation<'a> {
    pub item: &'a Item,
    /// The town's letters (any number; those not covering the item are ignored).
    pub letters: &'a [Letter],
    /// The town's officers free for field enforcement of the item's department on the date:
    /// at work, not on the hall's rota, holding a valid 行政执法证 for it (the staffing
    /// table's 执法力量, [`crate::domain::staffing::field_officers`]).
    pub certified_officers: usize,
}

fn where_to_go(item: &Item) -> String {
    format!("请群众到{}办理；本镇可提供咨询和办事指引", item.department)
}

fn forward_route(item: &Item) -> String {
    format!(
        "由窗口收件后转报{}，承诺{}办结",
        item.department,
        item.promised.display()
    )
}

/// The basis of the mode on the date, in words a clerk can say to a resident.
fn mode_basis(item: &Item, letters: &[Letter], on: NaiveDate) -> String {
    match effective_mode(item, letters, on) {
        Mode::Delegated => format!("下放事项，本镇可受理并办结；设定依据：{}", item.legal_basis),
        Mode::Empowered => format!(
            "赋权事项，本镇以自己的名义办理；{}；设定依据：{}",
            grant_text(item),
            item.legal_basis
        ),
        Mode::Entrusted => {
            let l = valid_letter(letters, &item.code, on).expect("entrusted means a valid letter");
            format!(
                "受{}委托办理，委托书 {}（有效期 {} 至 {}）",
                l.issuer, l.number, l.valid_from, l.valid_to
            )
        }
        Mode::Forward if item.mode == Mode::Entrusted => format!(
            "委托事项，但{}没有有效的委托书，按收件转报办理：转报{}",
            on, item.department
        ),
        Mode::Forward => format!("收件转报事项：本镇受理后转报{}决定", item.department),
        Mode::CityOnly => format!("不予下放事项，由{}办理", item.department),
    }
}

/// The decision an empowered item cites: 赋权文件 黔府发〔2021〕12号（2021-08-30）.
pub fn grant_text(item: &Item) -> String {
    match &item.grant {
        Some(g) => format!("赋权文件 {}（{}）", g.number, g.on),
        None => "赋权文件未载明".to_string(),
    }
}

fn refuse(mode: Mode, basis: String, reason: String, alternative: String) -> Decision {
    Decision {
        allowed: false,
        mode,
        basis,
        reason: Some(reason),
        alternative: Some(alternative),
        about_staff: false,
    }
}

/// A refusal for want of the person acting: see [`Decision::about_staff`].
fn refuse_staff(mode: Mode, basis: String, reason: String, alternative: String) -> Decision {
    Decision {
        about_staff: true,
        ..refuse(mode, basis, reason, alternative)
    }
}

/// `d` (an allowed decision) kept only when `staff` holds `role`; otherwise refused as about
/// who acts, naming what needs it (延期 needs the body's 负责人: a 镇领导).
pub fn require_role(staff: &StaffProfile, d: Decision, role: Role, what: &str) -> Decision {
    if staff.has_role(&[role]) {
        return d;
    }
    refuse_staff(
        d.mode,
        d.basis,
        format!(
            "{}（{}）不是{}，不能{what}",
            staff.name,
            staff.no,
            role.label()
        ),
        format!("请由{}{what}", role.label()),
    )
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
        about_staff: false,
    };
    let lacks_role = |what: &str, roles: &[Role]| {
        let names: Vec<&str> = roles.iter().map(|r| r.label()).collect();
        refuse_staff(
            mode,
            basis.clone(),
            format!(
                "{}（{}）不是{}，不能{}",
                staff.name,
                staff.no,
                names.join("或"),
                what
            ),
            format!("请由{}办理", names.join("或")),
        )
    };

    if action != Action::Consult && !staff.at_work {
        return refuse_staff(
            mode,
            basis.clone(),
            format!(
                "{}（{}）在{on}不在岗（借调出、长期请假或已退休）",
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
            format!("“{}”属不予下放事项，乡镇不能受理或转报", item.name),
            where_to_go(item),
        ),
        Action::Accept | Action::Forward if !staff.has_role(&[Role::Clerk]) => {
            lacks_role(action.label(), &[Role::Clerk])
        }
        Action::Accept => allow(basis.clone()),
        Action::Forward if mode != Mode::Forward => refuse(
            mode,
            basis.clone(),
            format!("“{}”本镇有权办结，无需转报", item.name),
            "受理后由本镇审批人员审批".into(),
        ),
        Action::Forward => allow(basis.clone()),
        Action::Approve | Action::Enforce => match mode {
            Mode::CityOnly => refuse(
                mode,
                basis.clone(),
                format!("“{}”属不予下放事项，乡镇无权{}", item.name, action.label()),
                where_to_go(item),
            ),
            Mode::Forward => {
                let reason = if item.mode == Mode::Entrusted {
                    format!("{on}没有覆盖本事项的有效委托书，乡镇无权{}", action.label())
                } else {
                    format!("本事项由{}决定，乡镇只收件转报", item.department)
                };
                refuse(mode, basis.clone(), reason, forward_route(item))
            }
            Mode::Delegated | Mode::Entrusted | Mode::Empowered if action == Action::Approve => {
                if staff.has_role(&[Role::Approver, Role::Leader]) {
                    allow(basis.clone())
                } else {
                    lacks_role("审批", &[Role::Approver, Role::Leader])
                }
            }
            Mode::Delegated | Mode::Entrusted | Mode::Empowered => {
                enforce(staff, s, mode, basis.clone(), on)
            }
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
            format!("“{}”是{}事项，不是执法事项", item.name, item.item_type),
            "按受理、审批办理".into(),
        );
    }
    if !staff
        .credentials
        .iter()
        .any(|c| c.enforces(&item.department, on))
    {
        return refuse_staff(
            mode,
            basis,
            format!(
                "{}（{}）没有{}有效的、适用于{}执法的行政执法证",
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
                "本镇当天可外出执法的持证人员只有{}人（在大厅值班的不计），执法人员不得少于两人（《行政处罚法》第四十二条）",
                s.certified_officers
            ),
            format!("请{}派员或联合执法", item.department),
        );
    }
    Decision {
        allowed: true,
        mode,
        basis: format!(
            "{basis}；执法人员持有效行政执法证，本镇当天可外出执法的持证人员{}人",
            s.certified_officers
        ),
        reason: None,
        alternative: None,
        about_staff: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::{TimeLimit, ENFORCEMENT_TYPES};
    use crate::domain::staff::{Credential, ENFORCEMENT_CARD};
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The five actions by their English key and by their Chinese word, as the CLI and the
    /// app send them; anything else is refused naming the field.
    #[test]
    fn actions_parse_by_key_or_word_and_nothing_else() {
        let table = [
            ("consult", "咨询", Action::Consult),
            ("accept", "受理", Action::Accept),
            ("approve", "审批", Action::Approve),
            ("forward", "转报", Action::Forward),
            ("enforce", "执法", Action::Enforce),
        ];
        for (key, word, action) in table {
            assert_eq!(Action::parse("action", key).unwrap(), action, "{key}");
            assert_eq!(
                Action::parse("action", &format!(" {word} ")).unwrap(),
                action
            );
            assert_eq!((action.key(), action.label()), (key, word));
        }
        for bad in ["", "Approve", "approve2", "审 批", "decide"] {
            assert!(
                matches!(
                    Action::parse("action", bad),
                    Err(Error::Invalid {
                        field: "action",
                        ..
                    })
                ),
                "{bad:?}"
            );
        }
    }

    fn item(mode: Mode, item_type: &str) -> Item {
        Item {
            code: "LY-101".into(),
            name: "林木采伐许可证核发".into(),
            initials: "lmcfxkzhf".into(),
            item_type: item_type.into(),
            department: "市林业局".into(),
            legal_basis: "《中华人民共和国森林法》第五十六条".into(),
            statutory: TimeLimit::WorkingDays(20),
            promised: TimeLimit::WorkingDays(10),
            fee: "不收费".into(),
            post: "农业林业窗口".into(),
            mode,
            grant: None,
            office: Default::default(),
            listing: Default::default(),
            materials: vec![],
        }
    }

    fn letter(from: &str, to: &str) -> Letter {
        Letter {
            number: "市林业局委〔2024〕12号".into(),
            issuer: "市林业局".into(),
            items: vec!["LY-101".into()],
            valid_from: d(from),
            valid_to: d(to),
        }
    }

    fn person(roles: &[Role], card_until: Option<&str>) -> StaffProfile {
        StaffProfile {
            id: crate::domain::ids::StaffId(1),
            no: "T0001".into(),
            name: "张三".into(),
            unit: "林业站".into(),
            town: "测试镇".into(),
            roles: roles.to_vec(),
            credentials: card_until
                .map(|to| Credential {
                    kind: ENFORCEMENT_CARD.into(),
                    number: "黔执010001".into(),
                    scope: "市林业局".into(),
                    valid_from: d("2023-01-01"),
                    valid_to: d(to),
                })
                .into_iter()
                .collect(),
            at_work: true,
        }
    }

    const ON: &str = "2026-11-28";

    /// The basis says which mode holds and why, in the clerk's words: an entrusted item whose
    /// letter has lapsed says so, which a plain forward item does not.
    #[test]
    fn the_basis_names_the_mode_and_a_lapsed_letter() {
        let everyone = person(&Role::ALL, Some("2028-12-31"));
        let basis = |mode: Mode, letters: &[Letter]| {
            let it = item(mode, "行政许可");
            let s = Situation {
                item: &it,
                letters,
                certified_officers: 2,
            };
            decide(&everyone, &s, Action::Consult, d(ON)).basis
        };
        let valid = [letter("2024-12-01", "2026-12-18")];
        let lapsed = [letter("2023-01-01", "2026-10-14")];
        assert!(basis(Mode::Delegated, &[]).starts_with("下放事项"));
        let entrusted = basis(Mode::Entrusted, &valid);
        assert!(
            entrusted.starts_with("受市林业局委托办理")
                && entrusted.contains("市林业局委〔2024〕12号"),
            "{entrusted}"
        );
        let fallback = basis(Mode::Entrusted, &lapsed);
        assert!(
            fallback.starts_with("委托事项") && fallback.contains("没有有效的委托书"),
            "{fallback}"
        );
        let forward = basis(Mode::Forward, &[]);
        assert!(
            forward.starts_with("收件转报事项") && !forward.contains("委托"),
            "{forward}"
        );
        assert!(basis(Mode::CityOnly, &[]).starts_with("不予下放事项"));
        let mut empowered = item(Mode::Empowered, "行政处罚");
        empowered.grant = Some(crate::domain::catalog::Grant {
            number: "黔府发〔2021〕12号".into(),
            on: d("2021-08-30"),
        });
        let s = Situation {
            item: &empowered,
            letters: &[],
            certified_officers: 2,
        };
        assert_eq!(
            decide(&everyone, &s, Action::Approve, d(ON)).basis,
            "赋权事项，本镇以自己的名义办理；赋权文件 黔府发〔2021〕12号（2021-08-30）；设定依据：《中华人民共和国森林法》第五十六条"
        );
    }

    /// Every mode against every action, for a person holding every role and a valid card, with
    /// two certified officers: what the mode alone allows.
    #[test]
    fn mode_by_action_table() {
        use Action::*;
        let everyone = person(&Role::ALL, Some("2028-12-31"));
        let valid = [letter("2024-12-01", "2026-12-18")];
        let expired = [letter("2023-01-01", "2026-10-14")];
        // (configured mode, letters, effective mode, [consult, accept, approve, forward, enforce])
        let cases: [(Mode, &[Letter], Mode, [bool; 5]); 6] = [
            // 赋权: decided and enforced here in the township's own name.
            (
                Mode::Empowered,
                &[],
                Mode::Empowered,
                [true, true, true, false, true],
            ),
            (
                Mode::Delegated,
                &[],
                Mode::Delegated,
                [true, true, true, false, true],
            ),
            (
                Mode::Entrusted,
                &valid,
                Mode::Entrusted,
                [true, true, true, false, true],
            ),
            (
                Mode::Entrusted,
                &expired,
                Mode::Forward,
                [true, true, false, true, false],
            ),
            (
                Mode::Forward,
                &[],
                Mode::Forward,
                [true, true, false, true, false],
            ),
            (
                Mode::CityOnly,
                &[],
                Mode::CityOnly,
                [true, false, false, false, false],
            ),
        ];
        for (mode, letters, effective, expected) in cases {
            let it = item(mode, "行政处罚");
            let s = Situation {
                item: &it,
                letters,
                certified_officers: 2,
            };
            for (action, want) in [Consult, Accept, Approve, Forward, Enforce]
                .into_iter()
                .zip(expected)
            {
                let got = decide(&everyone, &s, action, d(ON));
                assert_eq!(got.mode, effective, "{mode:?} {action:?}");
                assert_eq!(
                    got.allowed,
                    want,
                    "{mode:?} {action:?} with {} letters: {got:?}",
                    letters.len()
                );
                if !got.allowed {
                    assert!(got.reason.is_some() && got.alternative.is_some(), "{got:?}");
                }
            }
        }
    }

    #[test]
    fn refusals_say_where_to_go() {
        let clerk = person(&[Role::Clerk], None);
        let city = item(Mode::CityOnly, "行政许可");
        let s = Situation {
            item: &city,
            letters: &[],
            certified_officers: 0,
        };
        let got = decide(&clerk, &s, Action::Accept, d(ON));
        assert!(!got.allowed);
        assert!(got.alternative.unwrap().contains("市林业局"));

        let fwd = item(Mode::Forward, "行政许可");
        let s = Situation {
            item: &fwd,
            letters: &[],
            certified_officers: 0,
        };
        let got = decide(&person(&[Role::Approver], None), &s, Action::Approve, d(ON));
        assert_eq!(
            got.alternative.as_deref(),
            Some("由窗口收件后转报市林业局\u{ff0c}承诺10个工作日办结")
        );
    }

    #[test]
    fn an_approval_under_entrustment_cites_the_letter() {
        let it = item(Mode::Entrusted, "行政许可");
        let letters = [letter("2024-12-01", "2026-12-18")];
        let s = Situation {
            item: &it,
            letters: &letters,
            certified_officers: 0,
        };
        let got = decide(&person(&[Role::Leader], None), &s, Action::Approve, d(ON));
        assert!(got.allowed);
        assert!(
            got.basis.contains("市林业局委〔2024〕12号"),
            "{}",
            got.basis
        );
        // The day after the letter ends, the same approval is refused and the item is forwarded.
        let got = decide(
            &person(&[Role::Leader], None),
            &s,
            Action::Approve,
            d("2026-12-19"),
        );
        assert!(!got.allowed);
        assert_eq!(got.mode, Mode::Forward);
    }

    #[test]
    fn roles_separate_intake_from_approval() {
        let it = item(Mode::Delegated, "行政给付");
        let s = Situation {
            item: &it,
            letters: &[],
            certified_officers: 0,
        };
        let clerk = person(&[Role::Clerk], None);
        let approver = person(&[Role::Approver], None);
        assert!(decide(&clerk, &s, Action::Accept, d(ON)).allowed);
        assert!(!decide(&clerk, &s, Action::Approve, d(ON)).allowed);
        assert!(decide(&approver, &s, Action::Approve, d(ON)).allowed);
        assert!(!decide(&approver, &s, Action::Accept, d(ON)).allowed);
        let mut away = clerk.clone();
        away.at_work = false;
        assert!(!decide(&away, &s, Action::Accept, d(ON)).allowed);
        assert!(decide(&away, &s, Action::Consult, d(ON)).allowed);
    }

    #[test]
    fn enforcement_needs_a_valid_card_and_a_second_officer() {
        let it = item(Mode::Delegated, "行政处罚");
        let with = |officers| Situation {
            item: &it,
            letters: &[],
            certified_officers: officers,
        };
        let officer = person(&[], Some("2028-12-31"));
        assert!(decide(&officer, &with(2), Action::Enforce, d(ON)).allowed);
        let alone = decide(&officer, &with(1), Action::Enforce, d(ON));
        assert!(!alone.allowed);
        assert!(alone.reason.unwrap().contains("不得少于两人"));
        let lapsed = person(&[], Some("2026-11-27"));
        assert!(!decide(&lapsed, &with(2), Action::Enforce, d(ON)).allowed);
        let no_card = person(&Role::ALL, None);
        assert!(!decide(&no_card, &with(2), Action::Enforce, d(ON)).allowed);
        // Not an enforcement item: nothing to enforce.
        let benefit = item(Mode::Delegated, "行政给付");
        let s = Situation {
            item: &benefit,
            letters: &[],
            certified_officers: 2,
        };
        assert!(!decide(&officer, &s, Action::Enforce, d(ON)).allowed);
    }

    fn any_mode() -> impl Strategy<Value = Mode> {
        prop::sample::select(Mode::ALL.to_vec())
    }

    fn any_action() -> impl Strategy<Value = Action> {
        prop::sample::select(Action::ALL.to_vec())
    }

    fn any_type() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "行政许可",
            "行政给付",
            ENFORCEMENT_TYPES[0],
            ENFORCEMENT_TYPES[1],
        ])
    }

    /// A few letters with start and end offsets (days from 2026-01-01), each covering the item or
    /// not.
    fn any_letters() -> impl Strategy<Value = Vec<Letter>> {
        prop::collection::vec((0i64..700, 0i64..400, any::<bool>()), 0..4).prop_map(|spans| {
            let base = d("2026-01-01");
            spans
                .into_iter()
                .enumerate()
                .map(|(i, (start, len, covers))| Letter {
                    number: format!("委〔2026〕{i}号"),
                    issuer: "市林业局".into(),
                    items: vec![if covers { "LY-101" } else { "ZR-101" }.into()],
                    valid_from: base + chrono::Duration::days(start),
                    valid_to: base + chrono::Duration::days(start + len),
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn consult_is_always_allowed(
            mode in any_mode(), item_type in any_type(), letters in any_letters(),
            roles in prop::sample::subsequence(Role::ALL.to_vec(), 0..=4),
            at_work in any::<bool>(), officers in 0usize..4, day in 0i64..800,
        ) {
            let it = item(mode, item_type);
            let mut p = person(&roles, Some("2027-06-30"));
            p.at_work = at_work;
            let s = Situation { item: &it, letters: &letters, certified_officers: officers };
            let on = d("2026-01-01") + chrono::Duration::days(day);
            prop_assert!(decide(&p, &s, Action::Consult, on).allowed);
        }

        #[test]
        fn a_city_only_item_is_never_taken_in_or_decided(
            action in any_action(), item_type in any_type(), letters in any_letters(),
            officers in 0usize..4, day in 0i64..800,
        ) {
            prop_assume!(action != Action::Consult);
            let it = item(Mode::CityOnly, item_type);
            let p = person(&Role::ALL, Some("2030-12-31"));
            let s = Situation { item: &it, letters: &letters, certified_officers: officers };
            let on = d("2026-01-01") + chrono::Duration::days(day);
            let got = decide(&p, &s, action, on);
            prop_assert!(!got.allowed);
            prop_assert_eq!(got.mode, Mode::CityOnly);
        }

        #[test]
        fn nothing_is_approved_under_entrustment_without_a_valid_letter(
            action in any_action(), item_type in any_type(), letters in any_letters(),
            officers in 0usize..4, day in 0i64..800,
        ) {
            let it = item(Mode::Entrusted, item_type);
            let p = person(&Role::ALL, Some("2030-12-31"));
            let s = Situation { item: &it, letters: &letters, certified_officers: officers };
            let on = d("2026-01-01") + chrono::Duration::days(day);
            let covered = letters.iter().any(|l| l.covers("LY-101", on));
            let got = decide(&p, &s, action, on);
            if !covered {
                prop_assert_eq!(got.mode, Mode::Forward);
                if matches!(action, Action::Approve | Action::Enforce) {
                    prop_assert!(!got.allowed);
                }
            }
            if action == Action::Approve && got.allowed {
                prop_assert!(covered);
                prop_assert!(letters.iter().any(|l| l.covers("LY-101", on) && got.basis.contains(&l.number)));
            }
        }
    }
}
