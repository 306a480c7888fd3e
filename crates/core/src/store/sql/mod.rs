//! Every query of the store, written once for both engines, an area to a file. The backends
//! (`store/sqlite.rs`, `store/postgres.rs`) only open connections and transactions and hand
//! a [`Conn`] to [`Sql`], which answers the [`Queries`] and [`Changes`] the core sees.
//!
//! The SQL is what SQLite and PostgreSQL both accept: `?N` placeholders (rewritten to `$N` for
//! PostgreSQL), `ON CONFLICT … DO UPDATE/NOTHING`, `RETURNING`, `CAST(… AS TEXT)`, `TRUE`;
//! dates are ISO text in both, and values that would need an engine's own function (a prefix's
//! upper bound, an ID number's last six) are computed here and bound as parameters.

pub(crate) mod accounts;
pub(crate) mod audit;
pub(crate) mod calendar;
pub(crate) mod catalog;
pub(crate) mod front;
pub(crate) mod prints;
pub(crate) mod requests;
pub(crate) mod retention;
pub(crate) mod staffing;

use crate::ids::{AccountId, ItemId, PostId, RequestId, StaffId, TownId, UnitId};
use chrono::{NaiveDate, NaiveDateTime};

use super::conn::{conversion, Conn};
use super::{Changes, NewAccountRow, NewQuota, NewStaff, NewStatus, NewUnit, Queries};
use crate::accounts::{Account, StoredAccount};
use crate::audit::AuditEntry;
use crate::calendar::YearArrangement;
use crate::catalog::{Item, Letter, Material, Mode};
use crate::request::record::{
    EventRow, PrintRecord, RequestQuery, RequestRow, RetainedNumbers, RetentionDue,
};
use crate::staff::{Credential, Role, StaffProfile};
use crate::staffing::{RotaEntry, StatusPeriod, Town, TownFacts};
use crate::Result;

/// How timestamps are kept as text.
pub(crate) use crate::date::DATETIME;

pub(crate) fn datetime(s: &str) -> Result<NaiveDateTime> {
    crate::date::parse_stamp(s)
        .ok_or_else(|| conversion(format!("datetime {s:?} is not {DATETIME}")))
}

/// `?first, …, ?(first + n - 1)`: a fixed-length `IN` list, so that one statement (prepared
/// once) serves any number of values up to `n`, the unused places bound to a value no row has.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The queries over one connection inside one transaction.
pub(crate) struct Sql<'c>(pub(crate) &'c dyn Conn);

impl Queries for Sql<'_> {
    fn towns(&self) -> Result<Vec<Town>> {
        staffing::towns(self.0)
    }
    fn hall_key(&self) -> Result<String> {
        self.0.value("SELECT key FROM hall_key WHERE id = 1", &[])
    }
    fn town_facts(&self, town_id: TownId, rota_on: Option<NaiveDate>) -> Result<TownFacts> {
        staffing::town_facts(self.0, town_id, rota_on)
    }
    fn items(&self, town_id: TownId) -> Result<Vec<Item>> {
        catalog::items(self.0, town_id)
    }
    fn item(&self, town_id: TownId, code: &str) -> Result<Option<Item>> {
        catalog::item(self.0, town_id, code)
    }
    fn items_by_code(
        &self,
        town_id: TownId,
        codes: &[&str],
        with_materials: &[&str],
    ) -> Result<Vec<std::sync::Arc<Item>>> {
        catalog::items_by_code(self.0, town_id, codes, with_materials)
    }
    fn item_id(&self, code: &str) -> Result<Option<ItemId>> {
        catalog::item_id(self.0, code)
    }
    fn letters(&self, town_id: TownId) -> Result<Vec<Letter>> {
        catalog::letters(self.0, town_id)
    }
    fn staff_profiles(&self, town_id: TownId) -> Result<Vec<StaffProfile>> {
        staffing::staff_profiles(self.0, town_id)
    }
    fn staff_profile(&self, no: &str) -> Result<Option<StaffProfile>> {
        staffing::staff_profile(self.0, no)
    }
    fn staff_periods(&self, staff_id: StaffId) -> Result<Vec<StatusPeriod>> {
        staffing::staff_periods(self.0, staff_id)
    }
    fn staff_town(&self, no: &str) -> Result<Option<TownId>> {
        staffing::staff_town(self.0, no)
    }
    fn calendar_years(&self) -> Result<Vec<YearArrangement>> {
        calendar::calendar_years(self.0)
    }
    fn request(&self, number: &str) -> Result<Option<RequestRow>> {
        requests::request(self.0, number)
    }
    fn request_events(&self, request_id: RequestId) -> Result<Vec<EventRow>> {
        requests::request_events(self.0, request_id)
    }
    fn requests(
        &self,
        town_id: TownId,
        query: &RequestQuery,
        limit: usize,
    ) -> Result<Vec<RequestRow>> {
        requests::requests(self.0, town_id, query, limit)
    }
    fn audit_count(&self, request_number: &str) -> Result<i64> {
        requests::audit_count(self.0, request_number)
    }
    fn arrivals(
        &self,
        town_id: TownId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<crate::demand::Arrival>> {
        requests::arrivals(self.0, town_id, from, to)
    }
    fn prints(&self, form_no: &str) -> Result<Vec<PrintRecord>> {
        prints::prints(self.0, form_no)
    }
    fn account(&self, username: &str) -> Result<Option<StoredAccount>> {
        accounts::account(self.0, username)
    }
    fn accounts(&self) -> Result<Vec<Account>> {
        accounts::accounts(self.0)
    }
    fn account_count(&self) -> Result<i64> {
        accounts::account_count(self.0)
    }
    fn demo_marked(&self) -> Result<bool> {
        accounts::demo_marked(self.0)
    }
    fn request_count(&self) -> Result<i64> {
        accounts::request_count(self.0)
    }
    fn audit_verification(&self) -> Result<super::audit::Verification> {
        audit::verify(self.0, None)
    }
    fn setup_code_hash(&self) -> Result<Option<String>> {
        accounts::setup_code_hash(self.0)
    }
    fn login_failure(&self, name_key: &str) -> Result<Option<(u32, Option<NaiveDateTime>)>> {
        accounts::login_failure(self.0, name_key)
    }
    fn tickets(
        &self,
        town_id: TownId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<crate::front::record::TicketRow>> {
        front::tickets(self.0, town_id, from, to)
    }
    fn ratings(&self, town_id: Option<TownId>) -> Result<Vec<crate::front::record::RatingRow>> {
        front::ratings(self.0, town_id)
    }
    fn rating_of(
        &self,
        request: Option<&str>,
        ticket: Option<i64>,
    ) -> Result<Option<crate::front::record::RatingRow>> {
        front::rating_of(self.0, request, ticket)
    }
    fn rating_of_followup(&self, followup: i64) -> Result<Option<crate::front::record::RatingRow>> {
        front::rating_of_followup(self.0, followup)
    }
    fn requests_received(
        &self,
        town_id: TownId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<RequestRow>> {
        requests::requests_received(self.0, town_id, from, to)
    }
    fn each_request_facts(
        &self,
        town_id: TownId,
        from: NaiveDate,
        to: NaiveDate,
        f: &mut dyn FnMut(&crate::domain::report::StoredFacts<'_>) -> Result<()>,
    ) -> Result<()> {
        requests::each_request_facts(self.0, town_id, from, to, f)
    }
    fn report_requests_by_id(&self, ids: &[RequestId]) -> Result<Vec<RequestRow>> {
        requests::report_requests_by_id(self.0, ids)
    }
    fn answered_on(
        &self,
        town_id: TownId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(String, NaiveDate)>> {
        requests::answered_on(self.0, town_id, from, to)
    }
    fn devices(&self) -> Result<Vec<crate::front::record::DeviceRow>> {
        front::devices(self.0)
    }
    fn device_by_token(&self, token_hash: &str) -> Result<Option<crate::front::record::DeviceRow>> {
        front::device_by_token(self.0, token_hash)
    }
    fn followup_period(&self, town_id: TownId) -> Result<Option<u32>> {
        front::followup_period(self.0, town_id)
    }
    fn retention_period(&self) -> Result<Option<(u32, NaiveDateTime)>> {
        retention::period(self.0)
    }
    fn retention_due(
        &self,
        cutoff: NaiveDate,
        after: RequestId,
        limit: usize,
    ) -> Result<Vec<RetentionDue>> {
        retention::due(self.0, cutoff, after, limit)
    }
    fn retained_count(&self) -> Result<i64> {
        retention::retained_count(self.0)
    }
    fn any_id_key(&self) -> Result<bool> {
        retention::any_keyed(self.0)
    }
    fn request_by_idem_key(&self, key: &str) -> Result<Option<(String, String)>> {
        requests::request_by_idem_key(self.0, key)
    }
    fn event_by_idem_key(&self, key: &str) -> Result<Option<(String, String)>> {
        requests::event_by_idem_key(self.0, key)
    }
}

impl Changes for Sql<'_> {
    fn set_superior(&self, town_id: TownId, superior: &str) -> Result<()> {
        staffing::set_superior(self.0, town_id, superior)
    }

    fn ensure_town(&self, name: &str) -> Result<TownId> {
        staffing::ensure_town(self.0, name)
    }
    fn ensure_unit(&self, town_id: TownId, unit: &NewUnit<'_>) -> Result<UnitId> {
        staffing::ensure_unit(self.0, town_id, unit)
    }
    fn ensure_quota(&self, unit_id: UnitId, quota: &NewQuota) -> Result<()> {
        staffing::ensure_quota(self.0, unit_id, quota)
    }
    fn ensure_staff(&self, town_id: TownId, staff: &NewStaff<'_>) -> Result<StaffId> {
        staffing::ensure_staff(self.0, town_id, staff)
    }
    fn ensure_status(&self, staff_id: StaffId, period: &NewStatus<'_>) -> Result<()> {
        staffing::ensure_status(self.0, staff_id, period)
    }
    fn ensure_hall_post(&self, town_id: TownId, name: &str, sort_order: i64) -> Result<PostId> {
        staffing::ensure_hall_post(self.0, town_id, name, sort_order)
    }
    fn ensure_rota(&self, entry: &RotaEntry) -> Result<()> {
        staffing::ensure_rota(self.0, entry)
    }
    fn upsert_item(&self, item: &Item) -> Result<ItemId> {
        catalog::upsert_item(self.0, item)
    }
    fn ensure_item(&self, item: &Item) -> Result<(ItemId, bool)> {
        catalog::ensure_item(self.0, item)
    }
    fn set_mode(&self, town_id: TownId, item_id: ItemId, mode: Mode) -> Result<()> {
        catalog::set_mode(self.0, town_id, item_id, mode)
    }
    fn replace_materials(&self, item_id: ItemId, materials: &[Material]) -> Result<()> {
        catalog::replace_materials(self.0, item_id, materials)
    }
    fn upsert_letter(&self, town_id: TownId, letter: &Letter) -> Result<()> {
        catalog::upsert_letter(self.0, town_id, letter)
    }
    fn ensure_role(&self, staff_id: StaffId, role: Role) -> Result<()> {
        staffing::ensure_role(self.0, staff_id, role)
    }
    fn ensure_credential(&self, staff_id: StaffId, credential: &Credential) -> Result<()> {
        staffing::ensure_credential(self.0, staff_id, credential)
    }
    fn save_calendar_year(&self, year: &YearArrangement) -> Result<()> {
        calendar::save_calendar_year(self.0, year)
    }
    fn next_request_seq(&self, town_id: TownId, day: NaiveDate) -> Result<u32> {
        requests::next_request_seq(self.0, town_id, day)
    }
    fn insert_request(&self, row: &RequestRow) -> Result<RequestId> {
        requests::insert_request(self.0, row)
    }
    fn update_request(&self, row: &RequestRow) -> Result<()> {
        requests::update_request(self.0, row)
    }
    fn add_event(&self, request_id: RequestId, event: &EventRow) -> Result<()> {
        requests::add_event(self.0, request_id, event)
    }
    fn add_audit(&self, entry: &AuditEntry) -> Result<()> {
        audit::add_audit(self.0, entry)
    }
    fn add_print(&self, print: &PrintRecord) -> Result<u32> {
        prints::add_print(self.0, print)
    }
    fn insert_account(&self, account: &NewAccountRow<'_>) -> Result<AccountId> {
        accounts::insert_account(self.0, account)
    }
    fn set_login_state(
        &self,
        account_id: AccountId,
        failed_count: u32,
        locked_until: Option<NaiveDateTime>,
    ) -> Result<()> {
        accounts::set_login_state(self.0, account_id, failed_count, locked_until)
    }
    fn set_password_hash(&self, account_id: AccountId, password_hash: &str) -> Result<()> {
        accounts::set_password_hash(self.0, account_id, password_hash)
    }
    fn set_account_disabled(&self, account_id: AccountId, disabled: bool) -> Result<()> {
        accounts::set_account_disabled(self.0, account_id, disabled)
    }
    fn mark_demo(&self, at: NaiveDateTime) -> Result<()> {
        accounts::mark_demo(self.0, at)
    }
    fn set_setup_code(&self, code_hash: Option<&str>, at: NaiveDateTime) -> Result<()> {
        match code_hash {
            Some(h) => accounts::set_setup_code(self.0, h, at),
            None => accounts::clear_setup_code(self.0),
        }
    }
    fn set_login_failure(
        &self,
        name_key: &str,
        failed_count: u32,
        locked_until: Option<NaiveDateTime>,
    ) -> Result<()> {
        accounts::set_login_failure(self.0, name_key, failed_count, locked_until)
    }
    fn add_ticket(&self, ticket: &crate::front::record::TicketRow) -> Result<i64> {
        front::add_ticket(self.0, ticket)
    }
    fn save_ticket(&self, ticket: &crate::front::record::TicketRow) -> Result<()> {
        front::save_ticket(self.0, ticket)
    }
    fn add_rating(&self, rating: &crate::front::record::RatingRow) -> Result<i64> {
        front::add_rating(self.0, rating)
    }
    fn add_followup(&self, rating: i64, due: NaiveDate) -> Result<i64> {
        front::add_followup(self.0, rating, due)
    }
    fn followup_step(
        &self,
        id: i64,
        step: &str,
        at: NaiveDateTime,
        by: Option<&str>,
        result: Option<&str>,
    ) -> Result<()> {
        front::followup_step(self.0, id, step, at, by, result)
    }
    fn add_device(&self, device: &crate::front::record::DeviceRow) -> Result<i64> {
        front::add_device(self.0, device)
    }
    fn close_device(&self, id: i64, at: NaiveDateTime) -> Result<bool> {
        front::close_device(self.0, id, at)
    }
    fn set_followup_period(&self, town_id: TownId, days: u32, at: NaiveDateTime) -> Result<()> {
        front::set_followup_period(self.0, town_id, days, at)
    }
    fn set_retention_period(&self, years: Option<u32>, at: NaiveDateTime) -> Result<()> {
        retention::set_period(self.0, years, at)
    }
    fn retain_numbers(&self, numbers: &RetainedNumbers) -> Result<bool> {
        retention::retain(self.0, numbers)
    }
}

#[cfg(test)]
mod tests {
    /// Every SQL statement in the store's sources (outside their tests), whitespace folded.
    fn statements() -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
        let mut files = Vec::new();
        for sub in [dir.clone(), dir.join("sql")] {
            for e in std::fs::read_dir(&sub).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("suite.rs") {
                    files.push(p);
                }
            }
        }
        let mut out = Vec::new();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            // What follows a file's test module is tests' SQL, which may repeat on purpose.
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            for (i, literal) in code.split('"').enumerate() {
                if i % 2 == 0 {
                    continue;
                }
                let folded = literal
                    .replace("\\\n", " ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let first = folded.split(' ').next().unwrap_or("").to_ascii_uppercase();
                if ["SELECT", "INSERT", "UPDATE", "DELETE"].contains(&first.as_str()) {
                    out.push((
                        folded,
                        f.file_name().unwrap().to_string_lossy().into_owned(),
                    ));
                }
            }
        }
        out
    }

    /// Issue 14: no statement is written twice, for two engines or two callers.
    #[test]
    fn no_sql_statement_is_written_twice() {
        let found = statements();
        assert!(found.len() > 60, "only {} statements found", found.len());
        let mut seen = std::collections::HashMap::new();
        for (sql, file) in &found {
            if let Some(first) = seen.insert(sql.as_str(), file.as_str()) {
                panic!("written twice, in {first} and {file}: {sql}");
            }
        }
    }

    /// The backends hold no query of an area: their statements are the engine's own
    /// (schema version, locks, pragmas, the probe, the copy into a server), never a table's rows.
    #[test]
    fn the_backends_hold_no_area_query() {
        for (sql, file) in statements() {
            if file == "sqlite.rs" || file == "postgres.rs" {
                for table in ["request", "item", "staff", "audit_log", "account", "unit"] {
                    assert!(
                        !sql.contains(&format!("FROM {table} "))
                            && !sql.contains(&format!("INTO {table} ")),
                        "{file} holds a query of `{table}`: {sql}"
                    );
                }
            }
        }
    }
}
