//! The operations the server offers so far, each as the app's command of the same name does it:
//! arguments read at the edge, the acting staff member and the town checked (refusals
//! recorded), then the core. Answers are the core's types, as the app receives them.

use bianmin_core::accounts::{self, Account, Permission};
use bianmin_core::catalog::service::{
    self as catalog, Filter, ItemDetail, ItemSummary, LetterAlert,
};
use bianmin_core::request::{
    self, ListKind, ListPage, NewRequest, RequestDetail, RequestView, Step, StepFields, StepKind,
};
use bianmin_core::staffing::{self, StaffingReport};
use bianmin_core::store::AnyStore;
use bianmin_core::{date, Result};
use serde::{Deserialize, Serialize};

use crate::api::{Authorized, Change, Needs, Operation};

pub(crate) mod admin;
pub(crate) mod devices;
pub(crate) mod forms;
pub(crate) mod front;
pub(crate) mod leader;
pub(crate) mod report;

fn change_of(d: &RequestDetail) -> Option<Change> {
    Some(Change {
        number: d.view.number.clone(),
        town: d.view.town.clone(),
    })
}

/// The staff member the caller acts as (their own; another is refused and recorded).
pub(crate) fn acting(
    store: &mut AnyStore,
    who: &Authorized,
    staff: Option<&str>,
    what: &str,
) -> Result<String> {
    accounts::act_as(store, who.account(), staff, what, date::now()?)
}

/// The town the caller may read for `town` (their own, or any for the county role).
pub(crate) fn town_for(
    store: &mut AnyStore,
    who: &Authorized,
    town: Option<&str>,
    what: &str,
) -> Result<Option<String>> {
    accounts::see_town(store, who.account(), town, what, date::now()?)
}

/// The caller's account and what its roles permit.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhoAmI {}

#[derive(Serialize)]
pub struct Me {
    account: Account,
    permissions: Vec<Permission>,
}

impl Operation for WhoAmI {
    const NAME: &'static str = "whoami";
    const WHAT: &'static str = "查看当前账号";
    type Answer = Me;
    const NEEDS: Needs = Needs::Account;
    fn run(self, _: &mut AnyStore, who: &Authorized) -> Result<Me> {
        let account = who.account().clone();
        let permissions = Permission::ALL
            .into_iter()
            .filter(|p| account.can(*p))
            .collect();
        Ok(Me {
            account,
            permissions,
        })
    }
}

/// One's own password (`change_password`): any logged-in person, a demo account that must
/// change its published password first included.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    current: String,
    password: String,
}

impl Operation for ChangePassword {
    const NAME: &'static str = "change_password";
    const WHAT: &'static str = "修改密码";
    type Answer = Account;
    const NEEDS: Needs = Needs::Account;
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Account> {
        let me = &who.account().username;
        accounts::change_own_password(store, me, &self.current, &self.password, date::now()?)
    }
    fn account_after(answer: &Account) -> Option<Account> {
        Some(answer.clone())
    }
}

/// Intake at the counter (`request_new`): the core decides accepted, incomplete or refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestNew {
    staff: Option<String>,
    item: String,
    name: String,
    id: Option<String>,
    credit_code: Option<String>,
    phone: Option<String>,
    materials: Option<Vec<String>>,
    remark: Option<String>,
    agent_name: Option<String>,
    agent_id: Option<String>,
    agent_relation: Option<String>,
    #[serde(default)]
    examine_later: bool,
    pledge: Option<Vec<String>>,
    /// The client's key for this write: a retry with it answers the first intake.
    idempotency_key: Option<String>,
}

impl Operation for RequestNew {
    const NAME: &'static str = "request_new";
    const WHAT: &'static str = "受理";
    type Answer = RequestDetail;
    const NEEDS: Needs = Needs::Permission(Permission::Intake);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<RequestDetail> {
        let input = NewRequest {
            staff: acting(store, who, self.staff.as_deref(), Self::WHAT)?,
            item: self.item,
            name: self.name,
            id: self.id.filter(|s| !s.trim().is_empty()),
            credit_code: self.credit_code.filter(|s| !s.trim().is_empty()),
            phone: self.phone,
            materials: self.materials,
            remark: self.remark,
            agent_name: self.agent_name,
            agent_id: self.agent_id,
            agent_relation: self.agent_relation,
            examine_later: self.examine_later,
            pledge: self.pledge,
            idempotency_key: self.idempotency_key,
        };
        let d = request::new_request(store, &input, date::now()?)?;
        Ok(accounts::detail_for(who.account(), d))
    }
    fn changed(answer: &RequestDetail) -> Option<Change> {
        change_of(answer)
    }
}

/// A consultation (`request_consult`): no ID number, always allowed, with directions given.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestConsult {
    staff: Option<String>,
    item: String,
    name: Option<String>,
}

impl Operation for RequestConsult {
    const NAME: &'static str = "request_consult";
    const WHAT: &'static str = "咨询登记";
    type Answer = RequestDetail;
    const NEEDS: Needs = Needs::Permission(Permission::Intake);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<RequestDetail> {
        let staff = acting(store, who, self.staff.as_deref(), Self::WHAT)?;
        let d = request::consult(
            store,
            &staff,
            &self.item,
            self.name.as_deref(),
            date::now()?,
        )?;
        Ok(accounts::detail_for(who.account(), d))
    }
    fn changed(answer: &RequestDetail) -> Option<Change> {
        change_of(answer)
    }
}

/// One request's page (`request_show`), in the caller's town only.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestShow {
    number: String,
}

impl Operation for RequestShow {
    const NAME: &'static str = "request_show";
    const WHAT: &'static str = "查看办件";
    type Answer = RequestDetail;
    const NEEDS: Needs = Needs::Permission(Permission::ReadRequests);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<RequestDetail> {
        let d = request::show(store, &self.number, date::today()?)?;
        town_for(store, who, Some(&d.view.town), Self::WHAT)?;
        Ok(accounts::detail_for(who.account(), d))
    }
}

/// One step on a request (`request_step`); its permission depends on the step (deciding is an
/// approver's), checked before anything else is read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestStep {
    number: String,
    staff: Option<String>,
    step: String,
    materials: Option<Vec<String>>,
    reason: Option<String>,
    department: Option<String>,
    due: Option<String>,
    result: Option<String>,
    opinion: Option<String>,
    amount: Option<String>,
    days: Option<String>,
    on: Option<String>,
    /// The client's key for this write: a retry with it answers the request as the first left it.
    idempotency_key: Option<String>,
}

impl Operation for RequestStep {
    const NAME: &'static str = "request_step";
    const WHAT: &'static str = "办理步骤";
    type Answer = RequestDetail;
    /// The counter's steps; deciding, suspending and resuming need an approver ([`Self::needs`]).
    const NEEDS: Needs = Needs::Permission(Permission::Intake);
    fn needs(&self) -> Result<Needs> {
        let kind = StepKind::parse("step", &self.step)?;
        Ok(Needs::Permission(accounts::step_permission(kind)))
    }
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<RequestDetail> {
        let kind = StepKind::parse("step", &self.step)?;
        let blank = |v: Option<String>| v.filter(|d| !d.trim().is_empty());
        let fields = StepFields {
            materials: self.materials,
            reason: self.reason,
            department: blank(self.department),
            due: blank(self.due),
            result: self.result,
            opinion: self.opinion,
            amount: self.amount,
            days: blank(self.days),
            on: blank(self.on),
        };
        let step = Step::parse(kind, fields)?;
        let staff = acting(store, who, self.staff.as_deref(), Self::WHAT)?;
        let d = request::step_keyed(
            store,
            &self.number,
            &staff,
            &step,
            self.idempotency_key.as_deref(),
            date::now()?,
        )?;
        Ok(accounts::detail_for(who.account(), d))
    }
    fn changed(answer: &RequestDetail) -> Option<Change> {
        change_of(answer)
    }
}

/// Finds requests by number, ID number, name or initials (`request_search`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestSearch {
    town: Option<String>,
    query: String,
    #[serde(default)]
    background: bool,
}

impl Operation for RequestSearch {
    const NAME: &'static str = "request_search";
    const WHAT: &'static str = "查找办件";
    type Answer = Vec<RequestView>;
    const NEEDS: Needs = Needs::Permission(Permission::ReadRequests);
    fn background(&self) -> bool {
        self.background
    }
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Vec<RequestView>> {
        let town = town_for(store, who, self.town.as_deref(), Self::WHAT)?;
        let found = request::search(store, town.as_deref(), &self.query, date::today()?)?;
        Ok(accounts::views_for(who.account(), found))
    }
}

/// A standing list of the counter (`request_list`): today, incomplete, forwarded, overdue …
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestList {
    town: Option<String>,
    list: String,
    #[serde(default)]
    background: bool,
}

impl Operation for RequestList {
    const NAME: &'static str = "request_list";
    const WHAT: &'static str = "办件列表";
    type Answer = ListPage;
    const NEEDS: Needs = Needs::Permission(Permission::ReadRequests);
    fn background(&self) -> bool {
        self.background
    }
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<ListPage> {
        let town = town_for(store, who, self.town.as_deref(), Self::WHAT)?;
        let kind = ListKind::parse("list", &self.list)?;
        let mut page = request::list_page(store, town.as_deref(), kind, date::today()?)?;
        page.rows = accounts::views_for(who.account(), page.rows);
        Ok(page)
    }
}

/// The staffing report of the caller's town (or every town for the county role).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staffing {
    town: Option<String>,
    on: Option<String>,
}

impl Operation for Staffing {
    const NAME: &'static str = "staffing";
    const WHAT: &'static str = "编制统计";
    type Answer = StaffingReport;
    const NEEDS: Needs = Needs::Permission(Permission::ViewStaffing);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<StaffingReport> {
        let town = town_for(store, who, self.town.as_deref(), Self::WHAT)?;
        staffing::staffing_report(store, town.as_deref(), on_or_today(self.on)?)
    }
}

/// The towns the caller may read (`list_towns`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListTowns {}

impl Operation for ListTowns {
    const NAME: &'static str = "list_towns";
    const WHAT: &'static str = "乡镇列表";
    type Answer = Vec<String>;
    const NEEDS: Needs = Needs::Permission(Permission::ReadCatalog);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Vec<String>> {
        let scope = accounts::town_scope(who.account())?;
        let mut towns = staffing::town_names(store)?;
        towns.retain(|t| scope.admits(t));
        Ok(towns)
    }
}

/// A town's catalogue by name, code or pinyin initials (`catalog_search`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogSearch {
    town: String,
    query: String,
    mode: Option<String>,
    department: Option<String>,
}

impl Operation for CatalogSearch {
    const NAME: &'static str = "catalog_search";
    const WHAT: &'static str = "查找事项";
    type Answer = Vec<ItemSummary>;
    const NEEDS: Needs = Needs::Permission(Permission::ReadCatalog);
    fn run(self, store: &mut AnyStore, _: &Authorized) -> Result<Vec<ItemSummary>> {
        let filter = Filter {
            query: self.query,
            mode: self
                .mode
                .map(|m| bianmin_core::catalog::parse_mode("mode", &m))
                .transpose()?,
            department: self.department.filter(|d| !d.is_empty()),
        };
        catalog::find_items(store, Some(&self.town), &filter, date::today()?)
    }
}

/// The departments of a town's catalogue (`catalog_departments`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogDepartments {
    town: String,
}

impl Operation for CatalogDepartments {
    const NAME: &'static str = "catalog_departments";
    const WHAT: &'static str = "部门列表";
    type Answer = Vec<String>;
    const NEEDS: Needs = Needs::Permission(Permission::ReadCatalog);
    fn run(self, store: &mut AnyStore, _: &Authorized) -> Result<Vec<String>> {
        catalog::departments(store, Some(&self.town))
    }
}

/// One item's page (`catalog_item`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogItem {
    town: String,
    code: String,
}

impl Operation for CatalogItem {
    const NAME: &'static str = "catalog_item";
    const WHAT: &'static str = "事项详情";
    type Answer = ItemDetail;
    const NEEDS: Needs = Needs::Permission(Permission::ReadCatalog);
    fn run(self, store: &mut AnyStore, _: &Authorized) -> Result<ItemDetail> {
        catalog::item_detail(store, Some(&self.town), &self.code, date::today()?)
    }
}

/// Entrustment letters ending soon or ended (`letter_alerts`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterAlerts {
    town: String,
    on: Option<String>,
}

impl Operation for LetterAlerts {
    const NAME: &'static str = "letter_alerts";
    const WHAT: &'static str = "委托书提醒";
    type Answer = Vec<LetterAlert>;
    const NEEDS: Needs = Needs::Permission(Permission::ReadCatalog);
    fn run(self, store: &mut AnyStore, _: &Authorized) -> Result<Vec<LetterAlert>> {
        catalog::letter_alerts(store, Some(&self.town), on_or_today(self.on)?)
    }
}

/// What an ID number says (`identity_check`): checked, nothing stored or logged.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityCheck {
    id: String,
}

impl Operation for IdentityCheck {
    const NAME: &'static str = "identity_check";
    const WHAT: &'static str = "核验身份证号";
    type Answer = bianmin_core::identity::IdFacts;
    const NEEDS: Needs = Needs::Permission(Permission::Intake);
    fn run(self, _: &mut AnyStore, _: &Authorized) -> Result<Self::Answer> {
        bianmin_core::identity::IdFacts::of("id", &self.id, date::today()?)
    }
}

/// The applicant's ID number in full (`request_full_id`), for a role that may; every read is
/// audited, with the PC's address.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestFullId {
    number: String,
}

impl Operation for RequestFullId {
    const NAME: &'static str = "request_full_id";
    const WHAT: &'static str = "查看完整证件号码";
    type Answer = String;
    const NEEDS: Needs = Needs::Permission(Permission::ReadRequests);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<String> {
        accounts::read_full_id(store, who.account(), &self.number, date::now()?)
    }
}

/// A date typed by a person (`YYYY-MM-DD`), or today.
pub(crate) fn on_or_today(on: Option<String>) -> Result<chrono::NaiveDate> {
    match on.filter(|s| !s.trim().is_empty()) {
        Some(s) => date::parse_date("on", &s),
        None => date::today(),
    }
}
