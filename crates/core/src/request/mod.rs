//! Service requests (办件) from first question to completion.
//!
//! The lifecycle of DESIGN.md "Request lifecycle" is a state machine ([`next_state`]); every step
//! goes through the authority check and writes its answer to the request's timeline and to the
//! audit log, in the same transaction as the change. Deadlines count working days on the
//! [`Calendar`](crate::calendar::Calendar); overdue is computed when a request is shown, never
//! stored.

pub mod record;
mod service;
#[cfg(test)]
mod service_tests;

use serde::Serialize;

pub use crate::audit::os_user;
pub(crate) use service::town_code;
pub use service::{
    consult, list, new_request, search, show, step, ListKind, NewRequest, RequestDetail,
    RequestMaterialView, RequestView, TimelineEntry,
};

use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
}

impl State {
    pub const ALL: [State; 8] = [
        State::Consulted,
        State::Incomplete,
        State::Accepted,
        State::Refused,
        State::Forwarded,
        State::Decided,
        State::Completed,
        State::Withdrawn,
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
    },
    /// The department's result of a forwarded request.
    Result {
        approved: bool,
    },
    /// Decided here, where authority allows.
    Decide {
        approved: bool,
    },
    Complete,
    Pickup,
    Withdraw,
}

impl Step {
    pub fn label(&self) -> &'static str {
        match self {
            Step::Accept { .. } => "补正受理",
            Step::Refuse { .. } => "不予受理",
            Step::Forward { .. } => "转报",
            Step::Result { .. } => "部门办理结果",
            Step::Decide { .. } => "审批决定",
            Step::Complete => "办结",
            Step::Pickup => "取件",
            Step::Withdraw => "撤回",
        }
    }
}

/// The state machine: where `step` leads from `state`, given whether every mandatory material
/// is in after the step, and whether the result was already picked up. Illegal steps are
/// refused in Chinese.
pub fn next_state(state: State, step: &Step, complete: bool, picked_up: bool) -> Result<State> {
    use State::*;
    let next = match (state, step) {
        (Incomplete, Step::Accept { .. }) => Some(if complete { Accepted } else { Incomplete }),
        (Incomplete | Accepted, Step::Refuse { .. }) => Some(Refused),
        (Accepted, Step::Forward { .. }) => Some(Forwarded),
        (Forwarded, Step::Result { .. }) => Some(Decided),
        (Accepted, Step::Decide { .. }) => Some(Decided),
        (Decided, Step::Complete) => Some(Completed),
        (Completed, Step::Pickup) if !picked_up => Some(Completed),
        (Incomplete | Accepted | Forwarded | Decided, Step::Withdraw) => Some(Withdrawn),
        _ => None,
    };
    next.ok_or_else(|| {
        let extra = match (state, step) {
            (Completed, Step::Pickup) => "结果已经取走".to_string(),
            (Completed | Withdrawn | Refused, _) => "办件已经结束".to_string(),
            (Consulted, _) => "咨询记录不是办件，请新建受理".to_string(),
            _ => format!("只有{}的办件才能{}", allowed_from(step), step.label()),
        };
        Error::invalid(
            "state",
            format!(
                "办件当前状态为“{}”，不能{}：{extra}",
                state.label(),
                step.label()
            ),
        )
    })
}

fn allowed_from(step: &Step) -> &'static str {
    match step {
        Step::Accept { .. } => "待补正",
        Step::Refuse { .. } => "待补正或已受理",
        Step::Forward { .. } | Step::Decide { .. } => "已受理",
        Step::Result { .. } => "已转报",
        Step::Complete => "已决定",
        Step::Pickup => "已办结",
        Step::Withdraw => "未办结",
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
            },
            Step::Result { approved: true },
            Step::Decide { approved: true },
            Step::Complete,
            Step::Pickup,
            Step::Withdraw,
        ]
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
