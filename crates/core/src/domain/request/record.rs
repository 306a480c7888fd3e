//! What the store keeps of a request, its timeline and the audit log.

use crate::domain::ids::{RequestId, StaffId, TownId};
use chrono::{NaiveDate, NaiveDateTime};

use super::State;
use crate::domain::catalog::Mode;
use crate::domain::identity::{Applicant, Mobile};

/// One request as stored. The applicant's full ID stays here (it is what a search by full ID
/// number needs); every view masks it, and so does `Debug`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    pub id: RequestId,
    pub town_id: TownId,
    pub number: String,
    pub item_code: String,
    pub state: State,
    pub applicant_name: Option<String>,
    pub name_initials: Option<String>,
    /// None for a consultation.
    pub applicant: Option<Applicant>,
    /// Masked in `Debug`, as the applicant is.
    pub phone: Option<Mobile>,
    pub remark: Option<String>,
    pub clerk_id: StaffId,
    pub clerk_name: String,
    /// When the clerk took it in, China time; the store keeps it as `date::stamp` text.
    pub created_at: NaiveDateTime,
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
    /// The approver's opinion (审批意见) with a decision.
    pub opinion: Option<String>,
    /// For an item that pays out (行政给付), the amount granted, in fen.
    pub amount_fen: Option<i64>,
    /// The mode in force at intake (`None` for requests taken in before it was kept): an
    /// accept-and-forward intake gives a 收件凭证, not a 受理回执.
    pub mode: Option<Mode>,
    /// The working days an extension added (once at most) and its reason.
    pub extended_days: Option<u16>,
    pub extension_reason: Option<String>,
    /// While the clock is stopped (暂停计时): since when; the last suspension's reason and the
    /// working days it was expected to take, kept after it ends for its notice.
    pub suspended_on: Option<NaiveDate>,
    pub suspension_reason: Option<String>,
    pub suspension_days: Option<u16>,
    /// Working days the clock stood still, over every suspension that ended.
    pub suspended_days: u32,
    /// Why the request is late (逾期说明), once one was given.
    pub overdue_reason: Option<String>,
    /// The day the department a request was forwarded to accepted it: its clock starts then.
    pub department_accepted_on: Option<NaiveDate>,
    /// The day the department's result was first recorded (the performance report's answer).
    pub answered_on: Option<NaiveDate>,
    /// 告知承诺: the materials the applicant's signed pledge stands for, the day the pledge is
    /// to be checked by, and the check: when, and whether it was true.
    pub pledged: Vec<u16>,
    pub pledge_due: Option<NaiveDate>,
    pub pledge_checked_on: Option<NaiveDate>,
    pub pledge_truthful: Option<bool>,
    /// Someone acting for the applicant (帮办代办), recorded at intake.
    pub agent: Option<Agent>,
    /// Sequence numbers of the item's materials handed in.
    pub received: Vec<u16>,
    /// Once the retention period after the request ended has passed (issue 17 point 2): the
    /// masked forms kept in place of the full numbers. `applicant` (a person's), `phone` and
    /// `agent` are then `None`; an organisation's credit code is not personal and stays.
    pub retained: Option<Retained>,
    /// The key of the write that took it in through the hall server (issue 18): stored with the
    /// intake so that a retry finds it; not read back.
    pub idem_key: Option<String>,
}

/// What a request keeps of its personal numbers once they are retained
/// ([`crate::retention`]): the day, and each number masked as screens show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retained {
    pub on: NaiveDate,
    pub id_masked: Option<String>,
    pub phone_masked: Option<String>,
    /// The agent's name, masked ID number and relation.
    pub agent: Option<(String, String, String)>,
}

/// 帮办代办 (issue 16 point 11): who acts for the applicant, their ID number (checked, masked
/// wherever shown, `Debug` included) and their relation to the applicant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    pub name: String,
    pub id: crate::domain::identity::IdNumber,
    pub relation: String,
}

/// The longest relation an agent states (子女, 村委会代办员, 单位经办人 …).
pub const RELATION_MAX_CHARS: usize = 20;

impl RequestRow {
    /// A request of `item` in `state`, numbered `number`, taken by the clerk `clerk` (id and
    /// name) at `at`, with nothing else filled in yet (no id until it is stored).
    pub fn new(
        town_id: TownId,
        number: String,
        item_code: String,
        state: State,
        clerk: (StaffId, String),
        at: NaiveDateTime,
    ) -> RequestRow {
        RequestRow {
            id: RequestId(0),
            town_id,
            number,
            item_code,
            state,
            applicant_name: None,
            name_initials: None,
            applicant: None,
            phone: None,
            remark: None,
            clerk_id: clerk.0,
            clerk_name: clerk.1,
            created_at: at,
            created_on: at.date(),
            accepted_on: None,
            due: None,
            calendar_complete: true,
            forwarded_to: None,
            forwarded_on: None,
            department_due: None,
            result: None,
            reason: None,
            alternative: None,
            closed_on: None,
            picked_up_on: None,
            opinion: None,
            amount_fen: None,
            mode: None,
            extended_days: None,
            extension_reason: None,
            suspended_on: None,
            suspension_reason: None,
            suspension_days: None,
            suspended_days: 0,
            overdue_reason: None,
            agent: None,
            department_accepted_on: None,
            answered_on: None,
            pledged: Vec::new(),
            pledge_due: None,
            pledge_checked_on: None,
            pledge_truthful: None,
            received: Vec::new(),
            retained: None,
            idem_key: None,
        }
    }

    /// Someone acted for the applicant: an agent recorded, or one whose ID was retained.
    pub fn has_agent(&self) -> bool {
        self.agent.is_some() || self.retained.as_ref().is_some_and(|r| r.agent.is_some())
    }

    /// The applicant's number as screens and paper show it, whether held in full or retained.
    pub fn id_masked(&self) -> Option<String> {
        self.applicant
            .as_ref()
            .map(Applicant::masked)
            .or_else(|| self.retained.as_ref().and_then(|r| r.id_masked.clone()))
    }

    /// The last six characters of the applicant's ID, kept indexed for search.
    pub fn id_last6(&self) -> Option<&str> {
        self.applicant.as_ref().map(Applicant::last_six)
    }
}

/// One entry of a request's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub at: NaiveDateTime,
    pub step: String,
    pub staff_id: StaffId,
    pub staff_no: String,
    pub staff_name: String,
    pub allowed: bool,
    pub basis: String,
    pub note: Option<String>,
    /// The key of the write that took this step through the hall server; not read back.
    pub idem_key: Option<String>,
}

/// An ended request whose personal numbers are due to be retained, as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct RetentionDue {
    pub id: RequestId,
    pub number: String,
    pub closed_on: NaiveDate,
    /// "person" or "org" (or none, for a request taken without a number).
    pub applicant_kind: Option<String>,
    pub applicant_id: Option<String>,
    pub phone: Option<String>,
    pub agent_id: Option<String>,
}

/// Never prints a full number, as [`RequestRow`]'s `Debug` does not.
impl std::fmt::Debug for RetentionDue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RetentionDue({}, closed {})",
            self.number, self.closed_on
        )
    }
}

/// What retention writes over one request's numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetainedNumbers {
    pub id: RequestId,
    /// The masked ID number (a person's) or the credit code unchanged (an organisation's).
    pub applicant_id: Option<String>,
    pub phone: Option<String>,
    pub agent_id: Option<String>,
    /// The keyed hash of a person's full ID number.
    pub id_key: Option<String>,
    pub on: NaiveDate,
}

/// Which requests of a town to fetch, newest first, at most `limit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestQuery {
    CreatedOn(NaiveDate),
    InStates(Vec<State>),
    NumberPrefix(String),
    ApplicantId(String),
    /// A retained request's keyed hash of the full ID ([`crate::retention::id_key`]).
    IdKey(String),
    IdLast6(String),
    /// Part of the applicant's name, at least [`NAME_PART_MIN`] characters: the whole name or
    /// any stretch of it.
    Name(String),
    /// The pinyin initials of the applicant's whole name.
    Initials(String),
    All,
}

/// The shortest and longest stretch of a name that is indexed: a name is found by any part of
/// two characters or more (one character would match a whole surname's people); a query longer
/// than the longest indexed part is looked up by its first part and then compared whole.
pub const NAME_PART_MIN: usize = 2;
pub const NAME_PART_MAX: usize = 4;

/// Every distinct stretch of `NAME_PART_MIN..=NAME_PART_MAX` characters of `name`, as the
/// store indexes them for [`RequestQuery::Name`]; a name shorter than two characters has none.
pub fn name_parts(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut parts: Vec<String> = (NAME_PART_MIN..=NAME_PART_MAX)
        .flat_map(|k| chars.windows(k).map(|w| w.iter().collect::<String>()))
        .collect();
    parts.sort_unstable();
    parts.dedup();
    parts
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

#[cfg(test)]
impl RequestRow {
    /// A request of 张三 for GA-201 taken in at 10:00 on `on` by clerk 3 of town 1, for tests:
    /// state accepted, nothing else set. Tests change what they are about with `..sample(on)`.
    pub(crate) fn sample(on: NaiveDate) -> RequestRow {
        RequestRow {
            id: RequestId(1),
            applicant_name: Some("张三".into()),
            name_initials: Some("zs".into()),
            ..RequestRow::new(
                TownId(1),
                format!("DF-{}-0001", on.format("%Y%m%d")),
                "GA-201".into(),
                State::Accepted,
                (StaffId(3), "李四".into()),
                on.and_hms_opt(10, 0, 0).expect("10:00 is a time"),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::identity::{with_check_char, CreditCode, IdNumber};

    fn row(applicant: Applicant) -> RequestRow {
        let on = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        RequestRow {
            applicant: Some(applicant),
            accepted_on: Some(on),
            received: vec![1],
            ..RequestRow::sample(on)
        }
    }

    #[test]
    fn debug_never_prints_the_whole_id_number() {
        let full = with_check_char("52010219900307123");
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let r = row(Applicant::Person(
            IdNumber::parse("id", &full, today).unwrap(),
        ));
        let shown = format!("{r:?}");
        assert!(!shown.contains(&full), "{shown}");
        assert!(shown.contains("5201**********"), "{shown}");
        assert_eq!(r.id_last6(), Some(&full[12..]));

        let code = "91520102MA6DM0A0XE";
        let r = row(Applicant::Org(CreditCode::parse("c", code).unwrap()));
        let shown = format!("{r:#?}");
        assert!(!shown.contains(code), "{shown}");
    }

    #[test]
    fn debug_never_prints_the_whole_phone_number() {
        let code = "91520102MA6DM0A0XE";
        let mut r = row(Applicant::Org(CreditCode::parse("c", code).unwrap()));
        r.phone = Some(Mobile::parse("phone", "138 0851 2345").unwrap());
        let shown = format!("{r:?}");
        assert!(!shown.contains("13808512345"), "{shown}");
        assert!(shown.contains("138****2345"), "{shown}");
    }

    #[test]
    fn a_name_is_indexed_by_every_stretch_of_two_to_four_characters() {
        assert_eq!(name_parts("李玥明"), ["李玥", "李玥明", "玥明"]);
        assert_eq!(name_parts("王芳"), ["王芳"]);
        assert!(name_parts("王").is_empty());
        // A repeated stretch once; six characters give 5 + 4 + 3 parts.
        assert_eq!(name_parts("王王王"), ["王王", "王王王"]);
        let long = name_parts("买买提·艾力");
        assert_eq!(long.len(), 5 + 4 + 3);
        assert!(long.iter().all(|p| (2..=4).contains(&p.chars().count())));
    }
}
