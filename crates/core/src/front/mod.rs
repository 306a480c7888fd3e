//! The hall's front (issue 19): the queue a resident joins before the counter (取号, 叫号, 过号,
//! 转窗口, 办结), what it measures (waits and service times per post and hour), and the
//! resident's rating afterwards (好差评, 一事一评) with the leader's follow-up of a 差评.
//!
//! The rules:
//! - The hall is open on working days (the State Council's calendar), 9:00–12:00 and
//!   14:00–17:30 ([`OPEN_HOURS`](crate::demand::OPEN_HOURS)); a ticket at any other time, or for
//!   a post no one staffs that day, is refused with a message that says when to come.
//! - A ticket is the post's letter (A for the hall's first post, B for the second …) and its
//!   number of the day at that post: A012. Numbers are unique per town and day.
//! - A counter calls the next ticket of the posts its clerk sits at that day (the rota): the
//!   绿色通道 first (老年人, 残疾人, 孕妇, 军人), then by place. Calling the next finishes the
//!   ticket the counter was serving. The counter's number is the clerk's rota line's place
//!   among the day's lines (1, 2, …).
//! - 过号: a skipped resident who comes back within [`RETURN_MINUTES`] is put back behind the
//!   next [`RETURN_BEHIND`] waiting at the post; later, they take a new ticket.
//! - 转窗口: the ticket goes to another post's queue keeping its place by the time it was taken.
//! - Ratings: five grades, one per request (or per visit), never a default; a grade of 1 or 2
//!   opens a follow-up due [`FOLLOWUP_DAYS`] working days later.

pub mod device;
pub mod record;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::Serialize;

use crate::audit::os_user;
use crate::calendar::Calendar;
use crate::ids::{PostId, StaffId, TownId};
use crate::staffing::{HallPost, TownFacts};
use crate::store::{Queries, Store};
use crate::{Error, Result};
use record::{RatingRow, TicketRow, TicketState};

/// The 绿色通道: who may ask for a priority ticket (绿色通道 itself when the kiosk or the
/// command line does not say which).
pub const PRIORITIES: [&str; 5] = ["老年人", "残疾人", "孕妇", "军人", "绿色通道"];
/// How long after 过号 a returning resident keeps a place.
pub const RETURN_MINUTES: i64 = 60;
/// How many waiting residents a returning one is put behind.
pub const RETURN_BEHIND: usize = 2;
/// Working days a 差评's follow-up is due after the rating (no national figure; local rules
/// range from 5 to 15).
pub const FOLLOWUP_DAYS: u32 = 5;

/// The five grades of 好差评 (GB/T 39735-2020), best first.
pub const GRADES: [(u8, &str); 5] = [
    (5, "非常满意"),
    (4, "满意"),
    (3, "基本满意"),
    (2, "不满意"),
    (1, "非常不满意"),
];

/// Whether the hall is open at `at`; if not, the polite answer.
pub fn open_at(calendar: &Calendar, at: NaiveDateTime) -> std::result::Result<(), String> {
    let hours = "大厅在工作日 9:00—12:00、14:00—17:30 办理业务";
    if !calendar.is_working_day(at.date()).0 {
        return Err(format!(
            "今天（{}）不是工作日，{hours}，欢迎到时再来。",
            at.date()
        ));
    }
    let t = at.time();
    let between = |a: (u32, u32), b: (u32, u32)| {
        let from = NaiveTime::from_hms_opt(a.0, a.1, 0).expect("a time of day");
        let to = NaiveTime::from_hms_opt(b.0, b.1, 0).expect("a time of day");
        from <= t && t < to
    };
    if between((9, 0), (12, 0)) || between((14, 0), (17, 30)) {
        Ok(())
    } else {
        Err(format!(
            "现在（{:02}:{:02}）不在办理时间：{hours}。",
            t.hour(),
            t.minute()
        ))
    }
}

/// The hall's posts in their order, each with its letter.
fn lettered(posts: &[HallPost]) -> Vec<(char, &HallPost)> {
    posts
        .iter()
        .zip('A'..='Z')
        .map(|(p, letter)| (letter, p))
        .collect()
}

/// The posts staffed on `on` (a rota line in force that weekday), and each staff member's
/// counter number: their line's place among the day's lines.
fn seats(facts: &TownFacts, on: NaiveDate) -> Vec<(PostId, StaffId)> {
    use chrono::Datelike;
    let weekday = on.weekday().number_from_monday() as u8;
    let mut lines: Vec<(PostId, StaffId)> = facts
        .rota
        .iter()
        .filter(|r| r.weekday == weekday && r.in_force_on(on))
        .map(|r| (r.post_id, r.staff_id))
        .collect();
    lines.sort();
    lines.dedup();
    lines
}

/// The posts someone serves at on `on`: a rota line of theirs that day, and at work (not
/// seconded out, on long leave or retired). Counter numbers stay those of [`seats`], every
/// line of the day: a desk keeps its number when its clerk is away.
fn staffed_posts(facts: &TownFacts, on: NaiveDate) -> Vec<PostId> {
    seats(facts, on)
        .into_iter()
        .filter(|(_, s)| crate::staffing::at_work(facts, *s, on))
        .map(|(p, _)| p)
        .collect()
}

/// The order a post's queue is called in: the 绿色通道 first, then by place.
fn call_order(t: &TicketRow) -> (bool, i64, i64) {
    (t.priority.is_none(), t.rank, t.id)
}

/// A ticket as screens, slips and the command line show it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TicketView {
    pub ticket: String,
    pub post: String,
    pub state: TicketState,
    pub state_label: &'static str,
    pub priority: Option<String>,
    pub taken_at: String,
    pub called_at: Option<String>,
    pub counter: Option<i64>,
    pub staff_no: Option<String>,
    pub requests: Vec<String>,
}

fn view(t: &TicketRow, posts: &[HallPost]) -> TicketView {
    TicketView {
        ticket: t.number.clone(),
        post: posts
            .iter()
            .find(|p| p.id == t.post_id)
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        state: t.state,
        state_label: t.state.label(),
        priority: t.priority.clone(),
        taken_at: crate::date::stamp(t.taken_at),
        called_at: t.called_at.map(crate::date::stamp),
        counter: t.counter,
        staff_no: t.staff_no.clone(),
        requests: t.requests.clone(),
    }
}

/// A ticket just taken: what the slip prints.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Taken {
    #[serde(flatten)]
    pub view: TicketView,
    pub town: String,
    /// People waiting before this ticket at its post.
    pub waiting: usize,
}

/// What a counter's call answers: the ticket called (none: nobody waiting), the post and the
/// counter.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Called {
    pub ticket: Option<String>,
    pub post: Option<String>,
    pub counter: i64,
    /// The ticket the call finished (the one the counter was serving), if any.
    pub finished: Option<String>,
    /// Who is still waiting at the counter's posts.
    pub waiting: usize,
}

/// The day's facts a queue action needs: the town, its posts, its calendar and its tickets.
struct Day {
    facts: TownFacts,
    calendar: Calendar,
    tickets: Vec<TicketRow>,
}

fn day_of(q: &dyn Queries, town_id: TownId, on: NaiveDate) -> Result<Day> {
    Ok(Day {
        facts: q.town_facts(town_id, Some(on))?,
        calendar: crate::calendar::of(q)?,
        tickets: q.tickets(town_id, on, on)?,
    })
}

/// The post named `post` of the town (field `post`), listing the posts when there is none.
fn post_named<'a>(posts: &'a [HallPost], post: &str) -> Result<&'a HallPost> {
    let name = post.trim();
    posts.iter().find(|p| p.name == name).ok_or_else(|| {
        let names: Vec<&str> = posts.iter().map(|p| p.name.as_str()).collect();
        Error::invalid(
            "post",
            format!("没有“{name}”这个窗口；本大厅的窗口有：{}", names.join("、")),
        )
    })
}

/// 取号: a ticket for `post` of `town` (none: the first town), with the 绿色通道 `priority`
/// asked for. Refused outside opening hours and for a post nobody staffs today.
pub fn take<S: Store>(
    store: &mut S,
    town: Option<&str>,
    post: &str,
    priority: Option<&str>,
    at: NaiveDateTime,
) -> Result<Taken> {
    let priority = match priority.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) if PRIORITIES.contains(&p) => Some(p.to_string()),
        Some(p) => {
            return Err(Error::invalid(
                "priority",
                format!(
                    "“{p}”不在绿色通道之列；绿色通道为：{}",
                    PRIORITIES.join("、")
                ),
            ))
        }
        None => None,
    };
    store.write(|c| {
        let town = crate::town::resolve_town(c, town)?;
        let on = at.date();
        let day = day_of(c, town.id, on)?;
        let post = post_named(&day.facts.posts, post)?;
        open_at(&day.calendar, at).map_err(|m| Error::invalid("post", m))?;
        if !staffed_posts(&day.facts, on).contains(&post.id) {
            return Err(Error::invalid(
                "post",
                format!("{}今天没有安排人员，请到综合窗口或咨询台办理。", post.name),
            ));
        }
        let letter = lettered(&day.facts.posts)
            .into_iter()
            .find(|(_, p)| p.id == post.id)
            .map(|(l, _)| l)
            .ok_or_else(|| Error::invalid("post", "本大厅的窗口超过 26 个，无法编号"))?;
        let seq = day
            .tickets
            .iter()
            .filter(|t| t.number.starts_with(letter))
            .count()
            + 1;
        let mut ticket = TicketRow {
            id: 0,
            town_id: town.id,
            day: on,
            post_id: post.id,
            number: format!("{letter}{seq:03}"),
            priority,
            taken_at: at,
            rank: i64::from(at.num_seconds_from_midnight()) * 10,
            state: TicketState::Waiting,
            called_at: None,
            calls: 0,
            staff_no: None,
            counter: None,
            finished_at: None,
            skipped_at: None,
            requests: Vec::new(),
        };
        ticket.id = c.add_ticket(&ticket)?;
        let waiting = day
            .tickets
            .iter()
            .filter(|t| t.post_id == post.id && t.state == TicketState::Waiting)
            .filter(|t| call_order(t) < call_order(&ticket))
            .count();
        Ok(Taken {
            view: view(&ticket, &day.facts.posts),
            town: town.name,
            waiting,
        })
    })
}

/// The clerk `staff_no`'s town, id, posts and counter on `on` (refused, naming `staff`, when
/// they sit at no counter that day).
fn seat_of(
    c: &dyn Queries,
    staff_no: &str,
    on: NaiveDate,
) -> Result<(Day, StaffId, Vec<PostId>, i64)> {
    let town_id = c
        .staff_town(staff_no.trim())?
        .ok_or_else(|| Error::invalid("staff", format!("工号“{}”不存在", staff_no.trim())))?;
    let day = day_of(c, town_id, on)?;
    let staff = day
        .facts
        .staff
        .iter()
        .find(|s| s.no == staff_no.trim())
        .ok_or_else(|| Error::invalid("staff", format!("工号“{}”不存在", staff_no.trim())))?
        .id;
    let lines = seats(&day.facts, on);
    let posts: Vec<PostId> = lines
        .iter()
        .filter(|(_, s)| *s == staff)
        .map(|(p, _)| *p)
        .collect();
    let counter = lines.iter().position(|(_, s)| *s == staff).ok_or_else(|| {
        Error::invalid(
            "staff",
            format!("工号 {} 今天没有排班到窗口，不能叫号", staff_no.trim()),
        )
    })?;
    Ok((day, staff, posts, counter as i64 + 1))
}

/// The ticket the clerk is serving now, if any.
fn serving<'a>(day: &'a Day, staff_no: &str) -> Option<&'a TicketRow> {
    day.tickets
        .iter()
        .filter(|t| t.state == TicketState::Called && t.staff_no.as_deref() == Some(staff_no))
        .max_by_key(|t| t.called_at)
}

/// 叫号: finishes the ticket the counter was serving and calls the next of its posts.
pub fn call_next<S: Store>(store: &mut S, staff_no: &str, at: NaiveDateTime) -> Result<Called> {
    let staff_no = staff_no.trim();
    store.write(|c| {
        let (day, _, posts, counter) = seat_of(c, staff_no, at.date())?;
        let mut finished = None;
        if let Some(current) = serving(&day, staff_no) {
            let mut done = current.clone();
            done.state = TicketState::Finished;
            done.finished_at = Some(at);
            c.save_ticket(&done)?;
            finished = Some(done.number);
        }
        let mut waiting: Vec<&TicketRow> = day
            .tickets
            .iter()
            .filter(|t| t.state == TicketState::Waiting && posts.contains(&t.post_id))
            .collect();
        waiting.sort_by_key(|t| call_order(t));
        let Some(next) = waiting.first() else {
            return Ok(Called {
                ticket: None,
                post: None,
                counter,
                finished,
                waiting: 0,
            });
        };
        let mut called = (*next).clone();
        called.state = TicketState::Called;
        called.called_at = Some(at);
        called.calls += 1;
        called.staff_no = Some(staff_no.to_string());
        called.counter = Some(counter);
        c.save_ticket(&called)?;
        Ok(Called {
            post: Some(view(&called, &day.facts.posts).post),
            ticket: Some(called.number),
            counter,
            finished,
            waiting: waiting.len() - 1,
        })
    })
}

/// What the counter did with the resident it was serving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    /// 办结: served (and the requests taken in linked).
    Finish,
    /// 过号: called and not there.
    Skip,
    /// 重呼: called again (the screen announces it once more).
    Recall,
}

/// Finishes, skips or calls again the ticket the counter is serving; `requests` (办件编号,
/// comma-separated) are linked to it when finishing.
pub fn done<S: Store>(
    store: &mut S,
    staff_no: &str,
    what: Done,
    requests: Option<&str>,
    at: NaiveDateTime,
) -> Result<TicketView> {
    let staff_no = staff_no.trim();
    store.write(|c| {
        let (day, _, _, _) = seat_of(c, staff_no, at.date())?;
        let current = serving(&day, staff_no).ok_or_else(|| {
            Error::invalid(
                "staff",
                format!("工号 {staff_no} 现在没有正在办理的号，请先叫号"),
            )
        })?;
        let mut t = current.clone();
        match what {
            Done::Finish => {
                for number in requests
                    .unwrap_or_default()
                    .split([',', '，', '、'])
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                {
                    let row = c.request(number)?.ok_or_else(|| {
                        Error::invalid("request", format!("没有编号为“{number}”的办件"))
                    })?;
                    if row.town_id != t.town_id {
                        return Err(Error::invalid(
                            "request",
                            format!("办件 {number} 不是本大厅的"),
                        ));
                    }
                    if !t.requests.iter().any(|r| r == number) {
                        t.requests.push(number.to_string());
                    }
                }
                t.state = TicketState::Finished;
                t.finished_at = Some(at);
            }
            Done::Skip => {
                t.state = TicketState::Skipped;
                t.skipped_at = Some(at);
            }
            Done::Recall => {
                t.calls += 1;
                t.called_at = Some(at);
            }
        }
        c.save_ticket(&t)?;
        Ok(view(&t, &day.facts.posts))
    })
}

/// 过号重排: a skipped resident who came back within [`RETURN_MINUTES`] waits again behind the
/// next [`RETURN_BEHIND`] at their post.
pub fn return_skipped<S: Store>(
    store: &mut S,
    town: Option<&str>,
    number: &str,
    at: NaiveDateTime,
) -> Result<TicketView> {
    let number = number.trim().to_ascii_uppercase();
    store.write(|c| {
        let town = crate::town::resolve_town(c, town)?;
        let day = day_of(c, town.id, at.date())?;
        let t = day
            .tickets
            .iter()
            .find(|t| t.number == number)
            .ok_or_else(|| Error::invalid("ticket", format!("今天没有 {number} 号")))?;
        let skipped = match (t.state, t.skipped_at) {
            (TicketState::Skipped, Some(s)) => s,
            _ => {
                return Err(Error::invalid(
                    "ticket",
                    format!("{number} 号没有过号（{}），不需要重排", t.state.label()),
                ))
            }
        };
        if (at - skipped).num_minutes() > RETURN_MINUTES {
            return Err(Error::invalid(
                "ticket",
                format!("{number} 号过号已超过 {RETURN_MINUTES} 分钟，请重新取号"),
            ));
        }
        let mut waiting: Vec<&TicketRow> = day
            .tickets
            .iter()
            .filter(|w| w.state == TicketState::Waiting && w.post_id == t.post_id)
            .filter(|w| w.priority.is_none())
            .collect();
        waiting.sort_by_key(|w| call_order(w));
        let mut back = t.clone();
        back.state = TicketState::Waiting;
        back.rank = match waiting.get(RETURN_BEHIND - 1) {
            Some(w) => w.rank + 5,
            None => waiting.last().map_or(t.rank, |w| w.rank + 5),
        };
        back.staff_no = None;
        back.counter = None;
        c.save_ticket(&back)?;
        Ok(view(&back, &day.facts.posts))
    })
}

/// 转窗口: the ticket the counter is serving goes to `post`'s queue, keeping its place by the
/// time it was taken.
pub fn transfer<S: Store>(
    store: &mut S,
    staff_no: &str,
    post: &str,
    at: NaiveDateTime,
) -> Result<TicketView> {
    let staff_no = staff_no.trim();
    store.write(|c| {
        let (day, _, _, _) = seat_of(c, staff_no, at.date())?;
        let target = post_named(&day.facts.posts, post)?;
        let current = serving(&day, staff_no).ok_or_else(|| {
            Error::invalid(
                "staff",
                format!("工号 {staff_no} 现在没有正在办理的号，请先叫号"),
            )
        })?;
        let mut t = current.clone();
        t.post_id = target.id;
        t.state = TicketState::Waiting;
        t.rank = i64::from(t.taken_at.num_seconds_from_midnight()) * 10;
        t.staff_no = None;
        t.counter = None;
        c.save_ticket(&t)?;
        Ok(view(&t, &day.facts.posts))
    })
}

/// The day's figures at one post, or the whole hall.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
pub struct QueueFigures {
    pub tickets: usize,
    pub served: usize,
    pub skipped: usize,
    pub waiting: usize,
    /// Seconds from taking a ticket to its first call: median and 90th percentile.
    pub wait_p50_s: Option<i64>,
    pub wait_p90_s: Option<i64>,
    /// Seconds from the call to the finish: median.
    pub service_p50_s: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PostFigures {
    pub post: String,
    pub letter: String,
    #[serde(flatten)]
    pub figures: QueueFigures,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct HourFigures {
    pub hour: u32,
    /// Tickets taken in that hour.
    pub arrivals: usize,
    #[serde(flatten)]
    pub figures: QueueFigures,
}

/// `queue stats`: a town's day at the queue.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct QueueStats {
    pub town: String,
    #[ts(type = "string")]
    pub on: NaiveDate,
    #[serde(flatten)]
    pub figures: QueueFigures,
    pub posts: Vec<PostFigures>,
    pub hours: Vec<HourFigures>,
}

/// The `p`-th percentile (0–100) of sorted values, by nearest rank.
pub(crate) fn percentile(sorted: &[i64], p: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// The figures of some tickets.
pub fn figures<'a>(tickets: impl IntoIterator<Item = &'a TicketRow>) -> QueueFigures {
    let mut f = QueueFigures::default();
    let (mut waits, mut services) = (Vec::new(), Vec::new());
    for t in tickets {
        f.tickets += 1;
        match t.state {
            TicketState::Finished => f.served += 1,
            TicketState::Skipped => f.skipped += 1,
            TicketState::Waiting => f.waiting += 1,
            TicketState::Called => {}
        }
        if let Some(called) = first_call(t) {
            waits.push((called - t.taken_at).num_seconds());
            if let (TicketState::Finished, Some(end)) = (t.state, t.finished_at) {
                services.push((end - called).num_seconds());
            }
        }
    }
    waits.sort_unstable();
    services.sort_unstable();
    f.wait_p50_s = percentile(&waits, 50);
    f.wait_p90_s = percentile(&waits, 90);
    f.service_p50_s = percentile(&services, 50);
    f
}

/// When a ticket was first called (a recall moves `called_at`, never before the first call).
fn first_call(t: &TicketRow) -> Option<NaiveDateTime> {
    t.called_at
}

/// `queue stats`: the day's tickets of a town, by post and by hour.
pub fn stats<S: Store>(store: &mut S, town: Option<&str>, on: NaiveDate) -> Result<QueueStats> {
    store.read(|q| {
        let town = crate::town::resolve_town(q, town)?;
        let facts = q.town_facts(town.id, Some(on))?;
        let tickets = q.tickets(town.id, on, on)?;
        let posts = lettered(&facts.posts)
            .into_iter()
            .map(|(letter, p)| PostFigures {
                post: p.name.clone(),
                letter: letter.to_string(),
                figures: figures(tickets.iter().filter(|t| t.post_id == p.id)),
            })
            .collect();
        let mut by_hour: BTreeMap<u32, Vec<&TicketRow>> = BTreeMap::new();
        for t in &tickets {
            by_hour.entry(t.taken_at.hour()).or_default().push(t);
        }
        let hours = by_hour
            .into_iter()
            .map(|(hour, ts)| HourFigures {
                hour,
                arrivals: ts.len(),
                figures: figures(ts),
            })
            .collect();
        Ok(QueueStats {
            town: town.name,
            on,
            figures: figures(&tickets),
            posts,
            hours,
        })
    })
}

// ---- the waiting-room screen ----

/// A counter's current call, as the waiting-room screen shows it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct BoardCall {
    pub counter: i64,
    pub ticket: String,
    pub post: String,
    /// When it was (last) called: a recall moves it to the top again.
    pub at: String,
    pub calls: i64,
}

/// A post's queue on the screen: how many wait and the next numbers, in the order they will
/// be called.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct BoardPost {
    pub post: String,
    pub letter: String,
    pub waiting: usize,
    pub next: Vec<String>,
}

/// What the waiting-room screen shows at a moment.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Board {
    pub town: String,
    pub open: bool,
    /// Said when the hall is closed, politely.
    pub message: Option<String>,
    /// Each counter's current call, the latest first.
    pub calls: Vec<BoardCall>,
    pub posts: Vec<BoardPost>,
    /// What the latest call announces: 请 A012 号到 3 号窗口办理.
    pub announcement: Option<String>,
}

/// The sentence a call is announced with, in Mandarin.
pub fn announcement(ticket: &str, counter: i64) -> String {
    format!("请 {ticket} 号到 {counter} 号窗口办理")
}

/// The waiting-room screen of `town` at `at`: each counter's current call, the next numbers
/// per post (at most `next` each) and the waiting counts.
pub fn board<S: Store>(store: &mut S, town: Option<&str>, at: NaiveDateTime) -> Result<Board> {
    const NEXT: usize = 3;
    store.read(|q| {
        let town = crate::town::resolve_town(q, town)?;
        let day = day_of(q, town.id, at.date())?;
        let mut calls: Vec<&TicketRow> = day
            .tickets
            .iter()
            .filter(|t| t.state == TicketState::Called && t.counter.is_some())
            .collect();
        calls.sort_by_key(|t| std::cmp::Reverse((t.called_at, t.id)));
        let calls: Vec<BoardCall> = calls
            .into_iter()
            .map(|t| BoardCall {
                counter: t.counter.unwrap_or_default(),
                ticket: t.number.clone(),
                post: view(t, &day.facts.posts).post,
                at: t.called_at.map(crate::date::stamp).unwrap_or_default(),
                calls: t.calls,
            })
            .collect();
        let posts = lettered(&day.facts.posts)
            .into_iter()
            .map(|(letter, p)| {
                let mut waiting: Vec<&TicketRow> = day
                    .tickets
                    .iter()
                    .filter(|t| t.post_id == p.id && t.state == TicketState::Waiting)
                    .collect();
                waiting.sort_by_key(|t| call_order(t));
                BoardPost {
                    post: p.name.clone(),
                    letter: letter.to_string(),
                    waiting: waiting.len(),
                    next: waiting
                        .iter()
                        .take(NEXT)
                        .map(|t| t.number.clone())
                        .collect(),
                }
            })
            .collect();
        let open = open_at(&day.calendar, at);
        Ok(Board {
            town: town.name,
            announcement: calls.first().map(|c| announcement(&c.ticket, c.counter)),
            open: open.is_ok(),
            message: open.err(),
            calls,
            posts,
        })
    })
}

// ---- ratings ----

/// A rating as lists show it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RatingView {
    pub id: i64,
    pub request: Option<String>,
    pub ticket_id: Option<i64>,
    pub grade: u8,
    pub grade_label: &'static str,
    pub reasons: Vec<String>,
    pub comment: Option<String>,
    pub staff_no: Option<String>,
    pub item: Option<String>,
    pub at: String,
    pub followup_id: Option<i64>,
    #[ts(type = "string | null")]
    pub due: Option<NaiveDate>,
    /// Whether the follow-up is closed.
    pub closed: bool,
    /// Open past its due date.
    pub overdue: bool,
    pub result: Option<String>,
}

fn grade_label(grade: u8) -> &'static str {
    GRADES
        .iter()
        .find(|(g, _)| *g == grade)
        .map_or("", |(_, l)| l)
}

fn rating_view(r: &RatingRow, today: NaiveDate) -> RatingView {
    let f = r.followup.as_ref();
    RatingView {
        id: r.id,
        request: r.request_number.clone(),
        ticket_id: r.ticket_id,
        grade: r.grade,
        grade_label: grade_label(r.grade),
        reasons: r.reasons.clone(),
        comment: r.comment.clone(),
        staff_no: r.staff_no.clone(),
        item: r.item.clone(),
        at: crate::date::stamp(r.at),
        followup_id: f.map(|f| f.id),
        due: f.map(|f| f.due),
        closed: f.is_some_and(|f| f.closed_at.is_some()),
        overdue: f.is_some_and(|f| f.closed_at.is_none() && f.due < today),
        result: f.and_then(|f| f.result.clone()),
    }
}

/// Reads a grade typed as 1 to 5 or as its words (field `grade`).
pub fn parse_grade(text: &str) -> Result<u8> {
    let t = text.trim();
    GRADES
        .iter()
        .find(|(g, l)| t == g.to_string() || t == *l)
        .map(|(g, _)| *g)
        .ok_or_else(|| {
            Error::invalid(
                "grade",
                format!("评价“{t}”无效：请填 1 到 5（5 非常满意、4 满意、3 基本满意、2 不满意、1 非常不满意）"),
            )
        })
}

/// 一事一评: the resident's rating of request `number`. A grade of 1 or 2 opens a follow-up due
/// the hall's follow-up period ([`FOLLOWUP_DAYS`] unless it set another) in working days
/// later. Recorded in the audit log.
pub fn rate<S: Store>(
    store: &mut S,
    number: &str,
    grade: u8,
    reasons: Option<&str>,
    comment: Option<&str>,
    at: NaiveDateTime,
) -> Result<RatingView> {
    let number = number.trim();
    let (reasons, comment) = rating_words(reasons, comment)?;
    store.write(|c| {
        let row = c
            .request(number)?
            .ok_or_else(|| Error::invalid("request", format!("没有编号为“{number}”的办件")))?;
        if c.rating_of(Some(number), None)?.is_some() {
            return Err(Error::invalid(
                "request",
                format!("办件 {number} 已经评价过（一事一评）"),
            ));
        }
        let staff_no = c
            .staff_profiles(row.town_id)?
            .into_iter()
            .find(|p| p.id == row.clerk_id)
            .map(|p| p.no);
        let rating = RatingRow {
            id: 0,
            town_id: row.town_id,
            request_number: Some(number.to_string()),
            ticket_id: None,
            staff_no,
            item: Some(row.item_code.clone()),
            grade,
            reasons,
            comment,
            at,
            followup: None,
        };
        record_rating(c, rating)
    })
}

/// A visit's rating (一次一评) when no request was taken in for it: ticket `ticket_id`, as
/// [`rate`] does for a request.
pub fn rate_visit<S: Store>(
    store: &mut S,
    town: Option<&str>,
    ticket_id: i64,
    grade: u8,
    reasons: Option<&str>,
    comment: Option<&str>,
    at: NaiveDateTime,
) -> Result<RatingView> {
    let (reasons, comment) = rating_words(reasons, comment)?;
    store.write(|c| {
        let town = crate::town::resolve_town(c, town)?;
        let ticket = c
            .tickets(town.id, at.date(), at.date())?
            .into_iter()
            .find(|t| t.id == ticket_id && t.state == TicketState::Finished)
            .ok_or_else(|| Error::invalid("ticket", "今天没有办结这个号，无法评价"))?;
        if c.rating_of(None, Some(ticket_id))?.is_some() {
            return Err(Error::invalid(
                "ticket",
                format!("{} 号已经评价过", ticket.number),
            ));
        }
        let rating = RatingRow {
            id: 0,
            town_id: town.id,
            request_number: None,
            ticket_id: Some(ticket_id),
            staff_no: ticket.staff_no.clone(),
            item: None,
            grade,
            reasons,
            comment,
            at,
            followup: None,
        };
        record_rating(c, rating)
    })
}

/// A rating's reasons (split on commas or 、) and comment, checked (fields `reason`, `comment`).
fn rating_words(
    reasons: Option<&str>,
    comment: Option<&str>,
) -> Result<(Vec<String>, Option<String>)> {
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    if comment.is_some_and(|c| c.chars().count() > 500) {
        return Err(Error::invalid("comment", "意见最多 500 字"));
    }
    let reasons: Vec<String> = reasons
        .unwrap_or_default()
        .split([',', '，', '、'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    if reasons.iter().any(|r| r.chars().count() > 50) || reasons.len() > 10 {
        return Err(Error::invalid("reason", "原因最多 10 项，每项不超过 50 字"));
    }
    Ok((reasons, comment.map(str::to_string)))
}

/// The working days a town's 差评 follow-up is due in: the hall's own period, else
/// [`FOLLOWUP_DAYS`].
pub fn followup_days(q: &dyn Queries, town: TownId) -> Result<u32> {
    Ok(q.followup_period(town)?.unwrap_or(FOLLOWUP_DAYS))
}

/// Sets the hall's follow-up period for 差评, 1 to 30 working days (field `days`); audited.
pub fn set_followup_days<S: Store>(
    store: &mut S,
    town: Option<&str>,
    days: u32,
    at: NaiveDateTime,
) -> Result<u32> {
    if !(1..=30).contains(&days) {
        return Err(Error::invalid(
            "days",
            format!("差评回访期限 {days} 个工作日无效：应为 1 到 30 个工作日（各地规定多为 5 到 15 个）"),
        ));
    }
    store.write(|c| {
        let town = crate::town::resolve_town(c, town)?;
        c.set_followup_period(town.id, days, at)?;
        c.add_audit(&crate::audit::AuditEntry {
            at: crate::date::stamp(at),
            os_user: os_user(),
            staff_no: None,
            action: "followup_period".into(),
            request_number: None,
            item_code: None,
            allowed: true,
            basis: "差评回访期限".into(),
            detail: Some(format!("{} {days} 个工作日", town.name)),
        })?;
        Ok(days)
    })
}

/// Stores a rating, opens the follow-up of a 差评 and audits it.
fn record_rating(c: &dyn crate::store::Changes, mut rating: RatingRow) -> Result<RatingView> {
    let at = rating.at;
    rating.id = c.add_rating(&rating)?;
    let mut detail = format!("{} {}", rating.grade, grade_label(rating.grade));
    if rating.grade <= 2 {
        let days = followup_days(c, rating.town_id)?;
        let due = crate::calendar::of(c)?.due(at.date(), days).due;
        let id = c.add_followup(rating.id, due)?;
        rating.followup = Some(record::FollowupRow {
            id,
            due,
            contacted_at: None,
            verified_at: None,
            fixed_at: None,
            closed_at: None,
            closed_by: None,
            result: None,
        });
        detail.push_str(&format!("；差评回访 {id} 号，{due} 前办结"));
    }
    c.add_audit(&crate::audit::AuditEntry {
        at: crate::date::stamp(at),
        os_user: os_user(),
        staff_no: None,
        action: "rating".into(),
        request_number: rating.request_number.clone(),
        item_code: rating.item.clone(),
        allowed: true,
        basis: "好差评".into(),
        detail: Some(detail),
    })?;
    Ok(rating_view(&rating, at.date()))
}

/// `rating list`: a town's ratings (every town: `None`), newest first; `bad`: grades 1 and 2.
pub fn ratings<S: Store>(
    store: &mut S,
    town: Option<&str>,
    bad: bool,
    today: NaiveDate,
) -> Result<Vec<RatingView>> {
    store.read(|q| {
        let town = match town {
            Some(t) => Some(crate::town::resolve_town(q, Some(t))?.id),
            None => None,
        };
        Ok(q.ratings(town)?
            .iter()
            .filter(|r| !bad || r.grade <= 2)
            .map(|r| rating_view(r, today))
            .collect())
    })
}

/// A step of a 差评's follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowupStep {
    /// 回访: the resident contacted.
    Contacted,
    /// 核实: what happened established.
    Verified,
    /// 整改: put right.
    Fixed,
    /// 答复 and close, with the result told to the resident.
    Close,
}

impl FollowupStep {
    fn key(self) -> &'static str {
        match self {
            FollowupStep::Contacted => "contacted",
            FollowupStep::Verified => "verified",
            FollowupStep::Fixed => "fixed",
            FollowupStep::Close => "closed",
        }
    }

    fn label(self) -> &'static str {
        match self {
            FollowupStep::Contacted => "回访",
            FollowupStep::Verified => "核实",
            FollowupStep::Fixed => "整改",
            FollowupStep::Close => "答复办结",
        }
    }
}

/// Records a step of follow-up `id` by staff member `staff_no` (the close needs `result`, what
/// the resident was told). Every step is audited.
pub fn followup<S: Store>(
    store: &mut S,
    id: i64,
    step: FollowupStep,
    staff_no: &str,
    result: Option<&str>,
    at: NaiveDateTime,
) -> Result<RatingView> {
    let staff_no = staff_no.trim();
    let result = result.map(str::trim).filter(|r| !r.is_empty());
    if step == FollowupStep::Close && result.is_none() {
        return Err(Error::invalid(
            "result",
            "办结差评回访需要写明处理结果（答复群众的内容）",
        ));
    }
    if result.is_some_and(|r| r.chars().count() > 500) {
        return Err(Error::invalid("result", "处理结果最多 500 字"));
    }
    store.write(|c| {
        let rating = c
            .rating_of_followup(id)?
            .ok_or_else(|| Error::invalid("followup", format!("没有第 {id} 号差评回访")))?;
        let f = rating.followup.as_ref().expect("a follow-up's rating");
        if f.closed_at.is_some() {
            return Err(Error::invalid(
                "followup",
                format!("第 {id} 号差评回访已经办结"),
            ));
        }
        if c.staff_town(staff_no)? != Some(rating.town_id) {
            return Err(Error::invalid(
                "staff",
                format!("工号“{staff_no}”不是本镇的工作人员"),
            ));
        }
        let by = (step == FollowupStep::Close).then_some(staff_no);
        c.followup_step(id, step.key(), at, by, result)?;
        c.add_audit(&crate::audit::AuditEntry {
            at: crate::date::stamp(at),
            os_user: os_user(),
            staff_no: Some(staff_no.to_string()),
            action: format!("followup_{}", step.key()),
            request_number: rating.request_number.clone(),
            item_code: rating.item.clone(),
            allowed: true,
            basis: format!("差评回访 {id} 号：{}", step.label()),
            detail: result.map(str::to_string),
        })?;
        let now = c
            .rating_of_followup(id)?
            .expect("the follow-up just written");
        Ok(rating_view(&now, at.date()))
    })
}

/// The town (`None`: the first) and its follow-up period for 差评 in working days.
pub fn followup_period_of<S: Store>(store: &mut S, town: Option<&str>) -> Result<(String, u32)> {
    store.read(|q| {
        let town = crate::town::resolve_town(q, town)?;
        Ok((town.name, followup_days(q, town.id)?))
    })
}
