//! The hall's devices (issue 19): a kiosk (取号机), a waiting-room screen (等候区大屏) or a
//! rating pad (评价器) is a browser on the hall LAN. An administrator opens a device session for
//! it; the device keeps the token and shows only what its kind may show, for its town:
//!
//! - a kiosk takes tickets (and prints the slip);
//! - a screen reads the board and hears the calls;
//! - a pad belongs to one counter's clerk: it shows the resident just served at that counter and
//!   takes their rating, or a rating of a request from its receipt later.
//!
//! The token is 32 random bytes; only its SHA-256 is stored. Closing a device ends its session
//! at once. Opening and closing are audited.

use chrono::NaiveDateTime;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::record::{DeviceRow, TicketState};
use super::{day_of, seat_of};
use crate::audit::os_user;
use crate::store::{Queries, Store};
use crate::{Error, Result};

/// What a device is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    Kiosk,
    Screen,
    Pad,
}

impl DeviceKind {
    pub const ALL: [DeviceKind; 3] = [DeviceKind::Kiosk, DeviceKind::Screen, DeviceKind::Pad];

    pub fn key(self) -> &'static str {
        match self {
            DeviceKind::Kiosk => "kiosk",
            DeviceKind::Screen => "screen",
            DeviceKind::Pad => "pad",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DeviceKind::Kiosk => "取号机",
            DeviceKind::Screen => "等候区大屏",
            DeviceKind::Pad => "评价器",
        }
    }

    /// Reads `kiosk`, `screen`, `pad` or their Chinese names (field `kind`).
    pub fn parse(text: &str) -> Result<DeviceKind> {
        let t = text.trim();
        DeviceKind::ALL
            .into_iter()
            .find(|k| k.key() == t || k.label() == t)
            .ok_or_else(|| {
                Error::invalid(
                    "kind",
                    format!("设备类型“{t}”无效：应为 kiosk（取号机）、screen（等候区大屏）或 pad（评价器）"),
                )
            })
    }
}

/// A device as the administrator's list shows it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct DeviceView {
    pub id: i64,
    pub town: String,
    pub kind: DeviceKind,
    pub kind_label: &'static str,
    pub staff_no: Option<String>,
    pub label: String,
    pub opened_by: String,
    pub opened_at: String,
    pub closed_at: Option<String>,
    /// The page the device opens on the hall server: `/hall/kiosk` and so on.
    pub page: String,
}

/// A device just opened: its token is shown this once, as the link the device opens.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Opened {
    pub device: DeviceView,
    pub token: String,
    /// The page and the token, to be put after the server's address:
    /// `/hall/screen#device=TOKEN`. The page keeps the token and removes it from the address.
    pub link: String,
}

/// A device whose session is live: what the server lets it do.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: i64,
    pub town: String,
    pub kind: DeviceKind,
    pub staff_no: Option<String>,
    pub label: String,
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Crypto(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn kind_of(row: &DeviceRow) -> DeviceKind {
    DeviceKind::parse(&row.kind).unwrap_or(DeviceKind::Screen)
}

fn view(q: &dyn Queries, row: &DeviceRow) -> Result<DeviceView> {
    let kind = kind_of(row);
    let town = q
        .towns()?
        .into_iter()
        .find(|t| t.id == row.town_id)
        .map(|t| t.name)
        .unwrap_or_default();
    Ok(DeviceView {
        id: row.id,
        town,
        kind,
        kind_label: kind.label(),
        staff_no: row.staff_no.clone(),
        label: row.label.clone(),
        opened_by: row.opened_by.clone(),
        opened_at: crate::date::stamp(row.opened_at),
        closed_at: row.closed_at.map(crate::date::stamp),
        page: format!("/hall/{}", kind.key()),
    })
}

fn audit(
    c: &dyn crate::store::Changes,
    action: &str,
    by: &str,
    detail: String,
    at: NaiveDateTime,
) -> Result<()> {
    c.add_audit(&crate::audit::AuditEntry {
        at: crate::date::stamp(at),
        os_user: os_user(),
        staff_no: None,
        action: action.into(),
        request_number: None,
        item_code: None,
        allowed: true,
        basis: format!("大厅设备（{by}）"),
        detail: Some(detail),
    })
}

/// Opens a device session: a `kind` device of `town` named `label`; a pad needs the counter's
/// clerk `staff` (a staff member of the town on the rota today), other kinds take none. `by` is
/// who opened it (the administrator's account).
pub fn open<S: Store>(
    store: &mut S,
    town: Option<&str>,
    kind: &str,
    staff: Option<&str>,
    label: &str,
    by: &str,
    at: NaiveDateTime,
) -> Result<Opened> {
    let kind = DeviceKind::parse(kind)?;
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 40 {
        return Err(Error::invalid(
            "label",
            "设备名称应为 1 到 40 个字，如“大厅东侧取号机”“3 号窗口评价器”",
        ));
    }
    let staff = staff.map(str::trim).filter(|s| !s.is_empty());
    match (kind, staff) {
        (DeviceKind::Pad, None) => {
            return Err(Error::invalid(
                "staff",
                "评价器属于一个窗口：请填写该窗口工作人员的工号",
            ))
        }
        (DeviceKind::Kiosk | DeviceKind::Screen, Some(_)) => {
            return Err(Error::invalid(
                "staff",
                format!("{}不属于某个窗口，不填工号", kind.label()),
            ))
        }
        _ => {}
    }
    let token = new_token()?;
    store.write(|c| {
        // A pad with no town named is its clerk's town's.
        let town = match (town, staff) {
            (None, Some(no)) => match c.staff_town(no)? {
                Some(id) => c
                    .towns()?
                    .into_iter()
                    .find(|t| t.id == id)
                    .ok_or_else(|| Error::invalid("staff", format!("工号“{no}”不存在")))?,
                None => return Err(Error::invalid("staff", format!("工号“{no}”不存在"))),
            },
            _ => crate::town::resolve_town(c, town)?,
        };
        if let Some(no) = staff {
            if c.staff_town(no)? != Some(town.id) {
                return Err(Error::invalid(
                    "staff",
                    format!("工号“{no}”不是{}的工作人员", town.name),
                ));
            }
        }
        let mut row = DeviceRow {
            id: 0,
            token_hash: hash(&token),
            town_id: town.id,
            kind: kind.key().into(),
            staff_no: staff.map(str::to_string),
            label: label.to_string(),
            opened_by: by.to_string(),
            opened_at: at,
            closed_at: None,
        };
        row.id = c.add_device(&row)?;
        audit(
            c,
            "device_open",
            by,
            format!("{} {} {}（{} 号）", town.name, kind.label(), label, row.id),
            at,
        )?;
        let device = view(c, &row)?;
        Ok(Opened {
            link: format!("{}#device={token}", device.page),
            device,
            token,
        })
    })
}

/// The devices of the hall (`town`: of that town only), the newest first.
pub fn list<S: Store>(store: &mut S, town: Option<&str>) -> Result<Vec<DeviceView>> {
    store.read(|q| {
        let town = match town {
            Some(t) => Some(crate::town::resolve_town(q, Some(t))?.id),
            None => None,
        };
        q.devices()?
            .iter()
            .filter(|d| town.is_none_or(|t| d.town_id == t))
            .map(|d| view(q, d))
            .collect()
    })
}

/// Ends device `id`'s session (field `id` when there is no such open device).
pub fn close<S: Store>(store: &mut S, id: i64, by: &str, at: NaiveDateTime) -> Result<DeviceView> {
    store.write(|c| {
        let row = c
            .devices()?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or_else(|| Error::invalid("id", format!("没有第 {id} 号设备")))?;
        if !c.close_device(id, at)? {
            return Err(Error::invalid("id", format!("第 {id} 号设备已经停用")));
        }
        audit(
            c,
            "device_close",
            by,
            format!("{} {}（{id} 号）", kind_of(&row).label(), row.label),
            at,
        )?;
        let row = DeviceRow {
            closed_at: Some(at),
            ..row
        };
        view(c, &row)
    })
}

/// The device whose session `token` is, if it is open: anything else is no session.
pub fn find<S: Store>(store: &mut S, token: &str) -> Result<Device> {
    let token = token.trim();
    let well_formed = token.len() == 64
        && token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if !well_formed {
        return Err(Error::NotLoggedIn);
    }
    store.read(|q| {
        let row = q
            .device_by_token(&hash(token))?
            .filter(|d| d.closed_at.is_none())
            .ok_or(Error::NotLoggedIn)?;
        let v = view(q, &row)?;
        Ok(Device {
            id: row.id,
            town: v.town,
            kind: v.kind,
            staff_no: row.staff_no,
            label: row.label,
        })
    })
}

/// A request the resident just served may rate at the pad.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PadRequest {
    pub number: String,
    pub item: String,
    pub item_name: String,
    pub rated: bool,
}

/// The visit just finished at the pad's counter.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PadVisit {
    pub ticket_id: i64,
    pub ticket: String,
    pub finished_at: String,
    /// The requests taken in for the resident: each is rated on its own (一事一评). None: the
    /// visit itself is rated.
    pub requests: Vec<PadRequest>,
    /// Whether the visit (no request) is rated already.
    pub rated: bool,
}

/// What a rating pad shows: the counter's clerk, and the visit to rate if one just finished.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Pad {
    pub staff_no: String,
    pub staff_name: String,
    pub counter: Option<i64>,
    pub visit: Option<PadVisit>,
    /// The grades, best first, with no default: 5 非常满意 … 1 非常不满意.
    pub grades: Vec<(u8, String)>,
    /// Reasons a resident may tick for 不满意 and 非常不满意.
    pub reasons: Vec<String>,
}

/// How long after the finish a pad still offers the visit.
pub const PAD_MINUTES: i64 = 15;

/// Reasons offered for a 差评 (GB/T 39735-2020 lists the kinds of complaint; these are the
/// hall's words for them).
pub const BAD_REASONS: [&str; 6] = [
    "等候时间长",
    "态度不好",
    "一次告知不清",
    "材料要求多",
    "办理时间长",
    "环境设施不便",
];

/// The pad of clerk `staff_no` at `at`: the last visit they finished within [`PAD_MINUTES`],
/// unless it is rated whole.
pub fn pad<S: Store>(store: &mut S, staff_no: &str, at: NaiveDateTime) -> Result<Pad> {
    store.read(|q| {
        let town = q
            .staff_town(staff_no)?
            .ok_or_else(|| Error::invalid("staff", format!("工号“{staff_no}”不存在")))?;
        let day = day_of(q, town, at.date())?;
        let staff_name = day
            .facts
            .staff
            .iter()
            .find(|s| s.no == staff_no)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let counter = seat_of(q, staff_no, at.date()).ok().map(|s| s.3);
        let last = day
            .tickets
            .iter()
            .filter(|t| {
                t.state == TicketState::Finished
                    && t.staff_no.as_deref() == Some(staff_no)
                    && t.finished_at.is_some_and(|f| {
                        f <= at && at - f <= chrono::Duration::minutes(PAD_MINUTES)
                    })
            })
            .max_by_key(|t| (t.finished_at, t.id));
        let mut visit = None;
        if let Some(t) = last {
            let mut requests = Vec::new();
            for number in &t.requests {
                let Some(row) = q.request(number)? else {
                    continue;
                };
                let item_name = q
                    .item(row.town_id, &row.item_code)?
                    .map(|i| i.name)
                    .unwrap_or_default();
                requests.push(PadRequest {
                    number: number.clone(),
                    item: row.item_code.clone(),
                    item_name,
                    rated: q.rating_of(Some(number), None)?.is_some(),
                });
            }
            let rated = q.rating_of(None, Some(t.id))?.is_some();
            let whole = if requests.is_empty() {
                rated
            } else {
                requests.iter().all(|r| r.rated)
            };
            if !whole {
                visit = Some(PadVisit {
                    ticket_id: t.id,
                    ticket: t.number.clone(),
                    finished_at: t.finished_at.map(crate::date::stamp).unwrap_or_default(),
                    requests,
                    rated,
                });
            }
        }
        Ok(Pad {
            staff_no: staff_no.to_string(),
            staff_name,
            counter,
            visit,
            grades: super::GRADES
                .iter()
                .map(|(g, l)| (*g, l.to_string()))
                .collect(),
            reasons: BAD_REASONS.iter().map(|r| r.to_string()).collect(),
        })
    })
}

/// The request a receipt's code (`number*CHECK`, as its QR code holds it and its text prints it)
/// names, for rating it at a pad of `town` later (field `receipt`). A bare number is refused:
/// only the resident holding the receipt rates the request.
pub fn receipt_request<S: Store>(store: &mut S, town: &str, text: &str) -> Result<String> {
    store.read(|q| {
        let number =
            crate::forms::read_receipt_code(&q.hall_key()?, "receipt", text)?.ok_or_else(|| {
                Error::invalid(
                    "receipt",
                    "请扫描或输入回执上的二维码内容（办件编号*校验码），单凭编号不能评价",
                )
            })?;
        let row = q
            .request(&number)?
            .ok_or_else(|| Error::invalid("receipt", format!("没有编号为“{number}”的办件")))?;
        let own = crate::town::resolve_town(q, Some(town))?;
        if row.town_id != own.id {
            return Err(Error::invalid(
                "receipt",
                format!("办件 {number} 不是{town}受理的，请到受理地评价"),
            ));
        }
        Ok(number)
    })
}

/// A post as the kiosk offers it: in plain words, the things residents come for.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct KioskPost {
    pub post: String,
    pub letter: String,
    /// Someone sits at the post today: only then does it take tickets.
    pub staffed: bool,
    pub waiting: usize,
    /// What residents come to this post for, from the catalogue (at most six).
    pub items: Vec<String>,
}

/// What the kiosk shows: the posts, the 绿色通道 kinds, and whether the hall is open now.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Kiosk {
    pub town: String,
    pub hall: String,
    pub open: bool,
    pub message: Option<String>,
    pub posts: Vec<KioskPost>,
    pub priorities: Vec<String>,
}

/// The kiosk of `town` at `at`.
pub fn kiosk<S: Store>(store: &mut S, town: &str, at: NaiveDateTime) -> Result<Kiosk> {
    store.read(|q| {
        let town = crate::town::resolve_town(q, Some(town))?;
        let day = day_of(q, town.id, at.date())?;
        let staffed = super::staffed_posts(&day.facts, at.date());
        let items = q.items(town.id)?;
        let posts = super::lettered(&day.facts.posts)
            .into_iter()
            .map(|(letter, p)| KioskPost {
                post: p.name.clone(),
                letter: letter.to_string(),
                staffed: staffed.contains(&p.id),
                waiting: day
                    .tickets
                    .iter()
                    .filter(|t| t.post_id == p.id && t.state == TicketState::Waiting)
                    .count(),
                items: items
                    .iter()
                    .filter(|i| i.post == p.name)
                    .take(6)
                    .map(|i| i.name.clone())
                    .collect(),
            })
            .collect();
        let open = super::open_at(&day.calendar, at);
        Ok(Kiosk {
            hall: format!("{}便民服务中心", town.name),
            town: town.name,
            open: open.is_ok(),
            message: open.err(),
            posts,
            priorities: super::PRIORITIES.iter().map(|p| p.to_string()).collect(),
        })
    })
}

#[cfg(test)]
#[path = "device_tests.rs"]
mod tests;
