//! The service-item catalogue: items with their materials and time limits, each town's
//! authority mode per item, and the entrustment letters that hand power down for a while.

mod search;

use chrono::NaiveDate;
use serde::Serialize;

pub use search::{initials, search};

use crate::{Error, Result};

/// How a town may handle an item (权限方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// 下放: take in and decide here.
    Delegated,
    /// 委托: decide here only while an entrustment letter covers the item and the date.
    Entrusted,
    /// 收件转报: take in here; the city department decides.
    Forward,
    /// 不予下放: no intake; consultation and directions only.
    CityOnly,
    /// 赋权: a power given to the township by a provincial decision (行政处罚法第二十四条),
    /// exercised in the township's own name, citing the decision ([`Item::grant`]).
    Empowered,
}

impl Mode {
    pub const ALL: [Mode; 5] = [
        Mode::Delegated,
        Mode::Entrusted,
        Mode::Forward,
        Mode::CityOnly,
        Mode::Empowered,
    ];

    /// The township decides and acts in its own name or the entrusting body's: an approval or
    /// an enforcement may be done here.
    pub fn decides_here(self) -> bool {
        matches!(self, Mode::Delegated | Mode::Entrusted | Mode::Empowered)
    }

    /// The key used in JSON and in the database.
    pub fn key(self) -> &'static str {
        match self {
            Mode::Delegated => "delegated",
            Mode::Entrusted => "entrusted",
            Mode::Forward => "forward",
            Mode::CityOnly => "city_only",
            Mode::Empowered => "empowered",
        }
    }

    /// The Chinese name, as catalogue files write it.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Delegated => "下放",
            Mode::Entrusted => "委托",
            Mode::Forward => "收件转报",
            Mode::CityOnly => "不予下放",
            Mode::Empowered => "赋权",
        }
    }

    /// Reads either the key or the Chinese name.
    pub fn parse(s: &str) -> Option<Mode> {
        let s = s.trim();
        Mode::ALL
            .into_iter()
            .find(|m| m.key() == s || m.label() == s)
    }
}

/// A time limit in working days, or 当场办结 (settled on the spot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeLimit {
    OnTheSpot,
    WorkingDays(u16),
}

impl TimeLimit {
    pub const ON_THE_SPOT: &'static str = "当场办结";

    pub fn parse(s: &str) -> Option<TimeLimit> {
        let s = s.trim();
        if s == Self::ON_THE_SPOT {
            return Some(TimeLimit::OnTheSpot);
        }
        let digits = s.strip_suffix("个工作日").unwrap_or(s).trim();
        match digits.parse::<u16>() {
            Ok(n) if (1..=3650).contains(&n) && digits.bytes().all(|b| b.is_ascii_digit()) => {
                Some(TimeLimit::WorkingDays(n))
            }
            _ => None,
        }
    }

    /// As the hall writes it: "5个工作日" or "当场办结".
    pub fn display(self) -> String {
        match self {
            TimeLimit::OnTheSpot => Self::ON_THE_SPOT.to_string(),
            TimeLimit::WorkingDays(n) => format!("{n}个工作日"),
        }
    }

    /// As a catalogue file writes it: the number alone, or 当场办结.
    pub fn file_value(self) -> String {
        match self {
            TimeLimit::OnTheSpot => Self::ON_THE_SPOT.to_string(),
            TimeLimit::WorkingDays(n) => n.to_string(),
        }
    }

    pub fn days(self) -> Option<u16> {
        match self {
            TimeLimit::OnTheSpot => None,
            TimeLimit::WorkingDays(n) => Some(n),
        }
    }

    pub fn from_days(days: Option<u16>) -> TimeLimit {
        days.map_or(TimeLimit::OnTheSpot, TimeLimit::WorkingDays)
    }
}

/// The kinds of item in a published 政务服务事项实施清单.
pub const ITEM_TYPES: &[&str] = &[
    "行政许可",
    "行政确认",
    "行政给付",
    "行政裁决",
    "行政处罚",
    "行政检查",
    "行政强制",
    "公共服务",
    "其他",
];

/// Item types whose action is enforcement (行政处罚法: by no fewer than two officers).
pub const ENFORCEMENT_TYPES: &[&str] = &["行政处罚", "行政检查", "行政强制"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub enum MaterialForm {
    #[serde(rename = "原件")]
    Original,
    #[serde(rename = "复印件")]
    Copy,
    #[serde(rename = "原件和复印件")]
    Both,
}

impl MaterialForm {
    pub fn label(self) -> &'static str {
        match self {
            MaterialForm::Original => "原件",
            MaterialForm::Copy => "复印件",
            MaterialForm::Both => "原件和复印件",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            MaterialForm::Original,
            MaterialForm::Copy,
            MaterialForm::Both,
        ]
        .into_iter()
        .find(|f| f.label() == s.trim())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Material {
    pub seq: u16,
    pub name: String,
    pub form: MaterialForm,
    pub copies: u16,
    pub mandatory: bool,
    /// 可承诺替代: under 告知承诺 the applicant's signed pledge may stand for it (国办发〔2020〕42号).
    pub pledgeable: bool,
}

/// One service item as a town sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub code: String,
    pub name: String,
    /// Pinyin initials of the name, lower case, for search (临时救助 → lsjz).
    pub initials: String,
    pub item_type: String,
    /// 实施主体: the body that decides, often a city bureau.
    pub department: String,
    pub legal_basis: String,
    pub statutory: TimeLimit,
    pub promised: TimeLimit,
    pub fee: String,
    /// 办理窗口: the hall post that handles it.
    pub post: String,
    /// This town's mode, as the catalogue configures it.
    pub mode: Mode,
    /// The provincial decision that gave the power (赋权文件), for an empowered item.
    pub grant: Option<Grant>,
    /// Where, when and whom to ask (办理地点, 办理时间, 咨询电话 of the 实施清单).
    pub office: Office,
    /// The 实施清单's codes and terms (基本编码, 实施编码, 办件类型, 到办事现场次数, 受理条件,
    /// 可告知承诺).
    pub listing: Listing,
    pub materials: Vec<Material>,
}

/// Where an item is handled, in which hours and whom to call (办理地点, 办理时间, 咨询电话 of the
/// 实施清单); empty where the catalogue does not say. What a resident sent to another body is
/// told on the 办事指引 (issue 16 point 4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Office {
    pub place: String,
    pub hours: String,
    pub phone: String,
}

/// A provincial decision that gives a power to townships (赋权文件): its number and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Grant {
    pub number: String,
    pub on: NaiveDate,
}

impl Grant {
    /// As a catalogue file writes it: `黔府发〔2021〕12号，2021-08-30`.
    pub fn file_value(&self) -> String {
        format!("{}，{}", self.number, self.on)
    }

    /// Reads a 赋权文件 cell: the number, then the date (`YYYY-MM-DD`) after a comma or a space;
    /// refusals in Chinese, for the column to name.
    pub fn parse(text: &str) -> std::result::Result<Grant, String> {
        let t = text.trim();
        let Some((number, date)) = t.rsplit_once(['，', ',', ' ', '\u{3000}']) else {
            return Err(format!(
                "“{t}”应写明文号和日期，如“黔府发〔2021〕12号，2021-08-30”"
            ));
        };
        let number = number.trim().trim_end_matches(['，', ',']).trim();
        if number.is_empty() || number.chars().count() > 100 {
            return Err(format!("文号“{number}”应为 1 到 100 个字符"));
        }
        let on = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| format!("日期“{}”无效，应为 YYYY-MM-DD", date.trim()))?;
        Ok(Grant {
            number: number.to_string(),
            on,
        })
    }
}

/// What a province's 实施清单 says of an item beyond what the counter works with
/// (GB/T 39554.1-2020), exchanged with the rest of the catalogue; empty where a file does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Listing {
    /// 基本编码 and 实施编码.
    pub basic_code: String,
    pub impl_code: String,
    /// 办件类型: 即办件 or 承诺件.
    pub case_kind: String,
    /// 到办事现场次数 (0 to 9).
    pub visits: Option<u8>,
    /// 受理条件.
    pub conditions: String,
    /// 可告知承诺: named materials may be replaced by the applicant's signed pledge.
    pub pledge: bool,
}

/// The values of 办件类型.
pub const CASE_KINDS: [&str; 2] = ["即办件", "承诺件"];

/// The longest 办理地点, 办理时间 or 咨询电话 a catalogue holds.
pub const OFFICE_MAX_CHARS: usize = 200;

impl Item {
    pub fn is_enforcement(&self) -> bool {
        ENFORCEMENT_TYPES.contains(&self.item_type.as_str())
    }
}

/// An entrustment letter (委托书) from a city department to a town.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub number: String,
    pub issuer: String,
    /// Codes of the items it covers.
    pub items: Vec<String>,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

/// Where a letter stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum LetterState {
    NotYet,
    Valid,
    /// Valid, but ends within [`EXPIRY_WARNING_DAYS`].
    Expiring,
    Expired,
}

/// How many days ahead a letter's end is announced.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

impl Letter {
    pub fn covers(&self, code: &str, on: NaiveDate) -> bool {
        self.valid_from <= on && on <= self.valid_to && self.items.iter().any(|c| c == code)
    }

    /// Days from `on` to the last valid day (0 on that day; negative once expired).
    pub fn days_left(&self, on: NaiveDate) -> i64 {
        (self.valid_to - on).num_days()
    }

    pub fn state(&self, on: NaiveDate) -> LetterState {
        let left = self.days_left(on);
        if on < self.valid_from {
            LetterState::NotYet
        } else if left < 0 {
            LetterState::Expired
        } else if left < EXPIRY_WARNING_DAYS {
            LetterState::Expiring
        } else {
            LetterState::Valid
        }
    }
}

/// The letter that lets a town decide `code` on `on`, if any. When several do, the one that
/// runs longest is cited.
pub fn valid_letter<'a>(letters: &'a [Letter], code: &str, on: NaiveDate) -> Option<&'a Letter> {
    letters
        .iter()
        .filter(|l| l.covers(code, on))
        .max_by_key(|l| l.valid_to)
}

/// The mode that holds on a date: an entrusted item with no letter valid that day falls back to
/// accept-and-forward.
pub fn effective_mode(item: &Item, letters: &[Letter], on: NaiveDate) -> Mode {
    match item.mode {
        Mode::Entrusted if valid_letter(letters, &item.code, on).is_none() => Mode::Forward,
        m => m,
    }
}

/// Parses an action's mode filter from outside input.
pub fn parse_mode(field: &'static str, s: &str) -> Result<Mode> {
    Mode::parse(s).ok_or_else(|| {
        Error::invalid(
            field,
            format!("权限方式“{s}”无效：应为 下放、委托、收件转报、不予下放 或 赋权"),
        )
    })
}
