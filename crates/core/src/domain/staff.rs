//! Staff as the authority check sees them: roles and credentials.

use crate::domain::ids::StaffId;
use chrono::NaiveDate;
use serde::Serialize;

/// What a person may do in the hall (DESIGN.md: roles, in `staff list` and everywhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, ts_rs::TS)]
pub enum Role {
    /// 窗口人员: consult, accept, forward, print.
    #[serde(rename = "窗口人员")]
    Clerk,
    /// 审批人员: approve.
    #[serde(rename = "审批人员")]
    Approver,
    /// 镇领导: staffing screens, approve.
    #[serde(rename = "镇领导")]
    Leader,
    /// 管理员: imports, accounts, backup.
    #[serde(rename = "管理员")]
    Admin,
    /// 县级领导: the county's view of every town (requests and staffing), reading only. An
    /// account role; no township staff member holds it.
    #[serde(rename = "县级领导")]
    County,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Clerk,
        Role::Approver,
        Role::Leader,
        Role::Admin,
        Role::County,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Role::Clerk => "窗口人员",
            Role::Approver => "审批人员",
            Role::Leader => "镇领导",
            Role::Admin => "管理员",
            Role::County => "县级领导",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.label() == s.trim())
    }
}

/// The kind of credential that enforcement needs.
pub const ENFORCEMENT_CARD: &str = "行政执法证";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Credential {
    pub kind: String,
    pub number: String,
    /// The department whose enforcement it covers, e.g. 市自然资源局.
    pub scope: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

impl Credential {
    /// A 行政执法证 valid on `on` for `department`'s enforcement.
    pub fn enforces(&self, department: &str, on: NaiveDate) -> bool {
        self.kind == ENFORCEMENT_CARD
            && self.scope == department
            && self.valid_from <= on
            && on <= self.valid_to
    }
}

/// A person with what the authority check needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct StaffProfile {
    #[serde(skip)]
    pub id: StaffId,
    pub no: String,
    pub name: String,
    /// The unit the person works in (home unit, or host unit when seconded in).
    pub unit: String,
    pub town: String,
    pub roles: Vec<Role>,
    pub credentials: Vec<Credential>,
    /// Whether the person is at work on the day asked about (on duty or seconded in).
    #[serde(skip)]
    pub at_work: bool,
}

impl StaffProfile {
    pub fn has_role(&self, any_of: &[Role]) -> bool {
        self.roles.iter().any(|r| any_of.contains(r))
    }
}
