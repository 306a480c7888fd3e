//! What the store keeps of a request, its timeline and the audit log.

use crate::domain::ids::{RequestId, StaffId, TownId};
use chrono::NaiveDate;

use super::State;

/// One request as stored. The applicant's full ID stays here (it is what a search by full ID
/// number needs); every view masks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    pub id: RequestId,
    pub town_id: TownId,
    pub number: String,
    pub item_code: String,
    pub state: State,
    pub applicant_name: Option<String>,
    pub name_initials: Option<String>,
    /// "person" or "org".
    pub applicant_kind: Option<String>,
    pub applicant_id: Option<String>,
    pub phone: Option<String>,
    pub remark: Option<String>,
    pub clerk_id: StaffId,
    pub clerk_name: String,
    pub created_at: String,
    pub created_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub calendar_complete: bool,
    pub forwarded_to: Option<String>,
    pub forwarded_on: Option<NaiveDate>,
    pub department_due: Option<NaiveDate>,
    /// Some(true) approved, Some(false) refused.
    pub result: Option<bool>,
    pub reason: Option<String>,
    pub alternative: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub picked_up_on: Option<NaiveDate>,
    /// Sequence numbers of the item's materials handed in.
    pub received: Vec<u16>,
}

impl RequestRow {
    /// The last six characters of the applicant's ID, kept indexed for search.
    pub fn id_last6(&self) -> Option<String> {
        self.applicant_id.as_ref().and_then(|id| {
            let chars: Vec<char> = id.chars().collect();
            (chars.len() >= 6).then(|| chars[chars.len() - 6..].iter().collect())
        })
    }
}

/// One entry of a request's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub at: String,
    pub step: String,
    pub staff_id: StaffId,
    pub staff_no: String,
    pub staff_name: String,
    pub allowed: bool,
    pub basis: String,
    pub note: Option<String>,
}

/// Which requests of a town to fetch, newest first, at most `limit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestQuery {
    CreatedOn(NaiveDate),
    InStates(Vec<State>),
    NumberPrefix(String),
    ApplicantId(String),
    IdLast6(String),
    /// The applicant's whole name.
    Name(String),
    /// The pinyin initials of the applicant's whole name.
    Initials(String),
    All,
}

/// One issue of a form: printed, or written to a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct PrintRecord {
    pub form_no: String,
    /// receipt, notice, refusal, handover or staffing.
    pub kind: String,
    pub town_id: TownId,
    pub request_number: Option<String>,
    pub department: Option<String>,
    pub staff_no: Option<String>,
    pub os_user: String,
    pub at: String,
    /// 1 for the first issue, 2 and up for reprints.
    pub copy: u32,
    /// Where it went: "printer:NAME", "file" or "preview".
    pub route: String,
    pub pages: u32,
    pub bytes: i64,
}
