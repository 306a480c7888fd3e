//! The rows the store keeps for the hall's front.

use chrono::{NaiveDate, NaiveDateTime};

use crate::ids::{PostId, TownId};

/// Where a ticket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    /// Taken, waiting to be called.
    Waiting,
    /// Called to a counter (and being served there).
    Called,
    /// Served and finished.
    Finished,
    /// Called and not there (过号).
    Skipped,
}

impl TicketState {
    pub fn key(self) -> &'static str {
        match self {
            TicketState::Waiting => "waiting",
            TicketState::Called => "called",
            TicketState::Finished => "finished",
            TicketState::Skipped => "skipped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TicketState::Waiting => "等候中",
            TicketState::Called => "已叫号",
            TicketState::Finished => "已办完",
            TicketState::Skipped => "过号",
        }
    }

    pub fn parse(text: &str) -> Option<TicketState> {
        [
            TicketState::Waiting,
            TicketState::Called,
            TicketState::Finished,
            TicketState::Skipped,
        ]
        .into_iter()
        .find(|s| s.key() == text)
    }
}

/// One ticket of a town's day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRow {
    pub id: i64,
    pub town_id: TownId,
    pub day: NaiveDate,
    pub post_id: PostId,
    /// The post's letter and the day's number at that post: `A012`.
    pub number: String,
    /// The 绿色通道 the resident asked for (老年人, 残疾人, 孕妇, 军人), if any.
    pub priority: Option<String>,
    pub taken_at: NaiveDateTime,
    /// Place in the post's queue (lower first, after the priority tickets).
    pub rank: i64,
    pub state: TicketState,
    pub called_at: Option<NaiveDateTime>,
    /// How many times it was called (a recall counts).
    pub calls: i64,
    pub staff_no: Option<String>,
    pub counter: Option<i64>,
    pub finished_at: Option<NaiveDateTime>,
    pub skipped_at: Option<NaiveDateTime>,
    /// The requests taken in for this resident.
    pub requests: Vec<String>,
}

/// A resident's rating (好差评), with its follow-up when it opened one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingRow {
    pub id: i64,
    pub town_id: TownId,
    pub request_number: Option<String>,
    pub ticket_id: Option<i64>,
    /// The clerk rated.
    pub staff_no: Option<String>,
    /// The item's code, for a request's rating.
    pub item: Option<String>,
    pub grade: u8,
    pub reasons: Vec<String>,
    pub comment: Option<String>,
    pub at: NaiveDateTime,
    pub followup: Option<FollowupRow>,
}

/// The leader's follow-up of a 差评: 回访, 核实, 整改, 答复 and its close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowupRow {
    pub id: i64,
    pub due: NaiveDate,
    pub contacted_at: Option<NaiveDateTime>,
    pub verified_at: Option<NaiveDateTime>,
    pub fixed_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub closed_by: Option<String>,
    pub result: Option<String>,
}

/// A device of the hall (a kiosk, a waiting-room screen, a rating pad) and its session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    pub id: i64,
    /// SHA-256 of the device's token, in hex.
    pub token_hash: String,
    pub town_id: TownId,
    /// `kiosk`, `screen` or `pad`.
    pub kind: String,
    /// A pad's counter clerk.
    pub staff_no: Option<String>,
    pub label: String,
    pub opened_by: String,
    pub opened_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}
