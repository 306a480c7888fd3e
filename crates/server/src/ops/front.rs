//! The hall's front through the server (issue 19): tickets, calls, the day's figures, ratings
//! and the follow-up of a 差评, each the command line's command of the same name. A counter
//! acts as its own clerk; a town's figures and ratings are read within the account's towns.

use bianmin_core::accounts::Permission;
use bianmin_core::front::{self, Done, FollowupStep};
use bianmin_core::store::AnyStore;
use bianmin_core::{date, Error, Result};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{acting, on_or_today, town_for};
use crate::api::{Authorized, Needs, Operation};

/// 取号 (`queue_take`): a ticket for a post of a town the account may read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueTake {
    town: Option<String>,
    post: String,
    priority: Option<String>,
}

impl Operation for QueueTake {
    const NAME: &'static str = "queue_take";
    const WHAT: &'static str = "取号";
    type Answer = front::Taken;
    const NEEDS: Needs = Needs::Permission(Permission::Intake);
    const FRONT: bool = true;
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let town = town_for(store, who, self.town.as_deref(), Self::WHAT)?;
        front::take(
            store,
            town.as_deref(),
            &self.post,
            self.priority.as_deref(),
            date::now()?,
        )
    }
}

/// 叫号 (`queue_call`): the caller's own counter.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueCall {
    staff: Option<String>,
}

impl Operation for QueueCall {
    const NAME: &'static str = "queue_call";
    const WHAT: &'static str = "叫号";
    type Answer = front::Called;
    const NEEDS: Needs = Needs::Permission(Permission::Intake);
    const FRONT: bool = true;
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let staff = acting(store, who, self.staff.as_deref(), Self::WHAT)?;
        front::call_next(store, &staff, date::now()?)
    }
}

/// 办结, 过号, 重呼 or 转窗口 of the ticket the caller's counter is serving (`queue_done`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueDone {
    staff: Option<String>,
    what: String,
    request: Option<String>,
    post: Option<String>,
}

impl Operation for QueueDone {
    const NAME: &'static str = "queue_done";
    const WHAT: &'static str = "办结或过号";
    type Answer = front::TicketView;
    const NEEDS: Needs = Needs::Permission(Permission::Intake);
    const FRONT: bool = true;
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let staff = acting(store, who, self.staff.as_deref(), Self::WHAT)?;
        let at = date::now()?;
        let done = match self.what.as_str() {
            "finish" => Done::Finish,
            "skip" => Done::Skip,
            "recall" => Done::Recall,
            "transfer" => {
                let post = self.post.unwrap_or_default();
                return front::transfer(store, &staff, &post, at);
            }
            other => {
                return Err(Error::invalid(
                    "what",
                    format!("“{other}”不是 finish、skip、recall 或 transfer"),
                ))
            }
        };
        front::done(store, &staff, done, self.request.as_deref(), at)
    }
}

/// 过号重排 (`queue_return`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueReturn {
    town: Option<String>,
    ticket: String,
}

impl Operation for QueueReturn {
    const NAME: &'static str = "queue_return";
    const WHAT: &'static str = "过号重排";
    type Answer = front::TicketView;
    const NEEDS: Needs = Needs::Permission(Permission::Intake);
    const FRONT: bool = true;
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let town = town_for(store, who, self.town.as_deref(), Self::WHAT)?;
        front::return_skipped(store, town.as_deref(), &self.ticket, date::now()?)
    }
}

/// The day's figures at the queue (`queue_stats`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueStats {
    town: Option<String>,
    on: Option<String>,
}

impl Operation for QueueStats {
    const NAME: &'static str = "queue_stats";
    const WHAT: &'static str = "排队统计";
    type Answer = front::QueueStats;
    const NEEDS: Needs = Needs::Permission(Permission::ReadRequests);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let town = town_for(store, who, self.town.as_deref(), Self::WHAT)?;
        front::stats(store, town.as_deref(), on_or_today(self.on)?)
    }
}

/// The waiting-room screen's content (`queue_board`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueBoard {
    town: Option<String>,
}

impl Operation for QueueBoard {
    const NAME: &'static str = "queue_board";
    const WHAT: &'static str = "等候区大屏";
    type Answer = front::Board;
    const NEEDS: Needs = Needs::Permission(Permission::ReadRequests);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let town = town_for(store, who, self.town.as_deref(), Self::WHAT)?;
        front::board(store, town.as_deref(), date::now()?)
    }
}

/// A resident's rating of a request (`rating_add`), in a town the account may read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingAdd {
    request: String,
    grade: String,
    reason: Option<String>,
    comment: Option<String>,
}

impl Operation for RatingAdd {
    const NAME: &'static str = "rating_add";
    const WHAT: &'static str = "好差评";
    type Answer = front::RatingView;
    const NEEDS: Needs = Needs::Permission(Permission::Intake);
    const FRONT: bool = true;
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let grade = front::parse_grade(&self.grade)?;
        let shown = bianmin_core::request::show(store, &self.request, date::today()?)?;
        town_for(store, who, Some(&shown.view.town), Self::WHAT)?;
        front::rate(
            store,
            &self.request,
            grade,
            self.reason.as_deref(),
            self.comment.as_deref(),
            date::now()?,
        )
    }
}

/// Ratings of the account's towns (`rating_list`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingList {
    town: Option<String>,
    #[serde(default)]
    bad: bool,
}

impl Operation for RatingList {
    const NAME: &'static str = "rating_list";
    const WHAT: &'static str = "查看评价";
    type Answer = Vec<front::RatingView>;
    const NEEDS: Needs = Needs::Permission(Permission::ReadRequests);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let town = town_for(store, who, self.town.as_deref(), Self::WHAT)?;
        front::ratings(store, town.as_deref(), self.bad, date::today()?)
    }
}

/// A step of a 差评's follow-up, by the caller as their own staff member (`followup_step`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowupStepOp {
    id: i64,
    staff: Option<String>,
    step: String,
    result: Option<String>,
}

impl Operation for FollowupStepOp {
    const NAME: &'static str = "followup_step";
    const WHAT: &'static str = "差评回访";
    type Answer = Value;
    const NEEDS: Needs = Needs::Permission(Permission::FollowUp);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Value> {
        let step = match self.step.as_str() {
            "contacted" => FollowupStep::Contacted,
            "verified" => FollowupStep::Verified,
            "fixed" => FollowupStep::Fixed,
            "closed" => FollowupStep::Close,
            other => return Err(Error::invalid("step", format!("未知的回访步骤“{other}”"))),
        };
        let staff = acting(store, who, self.staff.as_deref(), Self::WHAT)?;
        let view = front::followup(
            store,
            self.id,
            step,
            &staff,
            self.result.as_deref(),
            date::now()?,
        )?;
        Ok(json!(view))
    }
}
