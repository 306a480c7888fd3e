//! Storage behind a trait, so that the SQLite default and the PostgreSQL backend of a
//! multi-counter hall serve the same core.
//!
//! The trait is synchronous. Every read runs inside one consistent snapshot and every change
//! inside one transaction, both through closures the store provides: a multi-step change either
//! happens whole or not at all. No SQL lives outside this module.

pub mod checkpoint;
pub(crate) mod conn;
mod postgres;
mod sql;
mod sqlite;
#[cfg(test)]
pub(crate) mod suite;
pub(crate) mod tls;
mod wal_vfs;

pub use crate::address::{is_postgres_url, redact_url};
pub use postgres::{PgStore, Probe};
#[cfg(test)]
pub(crate) use sqlite::count_rows;
pub use sqlite::{SqliteStore, SCHEMA_VERSION};

/// The throwaway PostgreSQL server the tests run against: `BIANMIN_TEST_PG`, its URL. Without
/// it a developer's `cargo test` runs the SQLite half only; under the README's test command,
/// which starts the server and sets `BIANMIN_REQUIRE_PG=1`, a missing server fails the test
/// instead of letting it pass without its PostgreSQL half.
#[doc(hidden)]
pub fn test_server_url() -> Option<String> {
    test_server_from(
        std::env::var("BIANMIN_TEST_PG").ok(),
        std::env::var_os("BIANMIN_REQUIRE_PG").is_some_and(|v| v == "1"),
    )
}

fn test_server_from(url: Option<String>, required: bool) -> Option<String> {
    match url.filter(|u| !u.trim().is_empty()) {
        Some(url) => Some(url),
        None if required => panic!(
            "BIANMIN_REQUIRE_PG=1 but BIANMIN_TEST_PG names no server: the test command starts \
             a throwaway PostgreSQL server (scripts/pg-test-server.sh) and this test needs it"
        ),
        None => {
            eprintln!("BIANMIN_TEST_PG is not set: the PostgreSQL half of this test is skipped");
            None
        }
    }
}
pub mod audit;
pub mod backup;
pub mod migrate;
pub mod numbers;

use crate::accounts::{Account, StoredAccount};
use crate::address::Database;
use crate::audit::AuditEntry;
use crate::calendar::YearArrangement;
use crate::catalog::{Item, Letter, Material, Mode};
use crate::ids::{AccountId, ItemId, PostId, RequestId, StaffId, TownId, UnitId};
use crate::request::record::{EventRow, PrintRecord, RequestQuery, RequestRow};
use crate::staff::{Credential, Role, StaffProfile};
use crate::staffing::{PostKind, Status, Town, TownFacts};
use crate::Result;
use chrono::{NaiveDate, NaiveDateTime};

/// A storage backend.
pub trait Store {
    /// Runs `f` against one consistent snapshot of the data.
    fn read<R>(&mut self, f: impl FnOnce(&dyn Queries) -> Result<R>) -> Result<R>;
    /// Runs `f` in one transaction: committed when `f` returns `Ok`, rolled back otherwise.
    fn write<R>(&mut self, f: impl FnOnce(&dyn Changes) -> Result<R>) -> Result<R>;
    /// Runs long reads side by side where the store can (the second half of `jobs` in a thread
    /// of its own, on a second, read-only connection to a SQLite file or a second pooled
    /// PostgreSQL connection, so that a county's year uses two cores), and returns their
    /// answers in order. Each job sees one consistent
    /// snapshot, though two halves may see snapshots a moment apart. By default the jobs run
    /// one after another in one snapshot.
    fn read_each<'a, R: Send>(&mut self, jobs: Vec<ReadJob<'a, R>>) -> Result<Vec<R>> {
        self.read(|q| run_jobs(q, jobs))
    }
}

/// A read [`Store::read_each`] may run beside others.
pub type ReadJob<'a, R> = Box<dyn FnOnce(&dyn Queries) -> Result<R> + Send + 'a>;

/// Runs `jobs` one after another on `q`, their answers in order.
pub(crate) fn run_jobs<R>(q: &dyn Queries, jobs: Vec<ReadJob<'_, R>>) -> Result<Vec<R>> {
    jobs.into_iter().map(|job| job(q)).collect()
}

/// The answers of the first half of a [`Store::read_each`] and, after them, those of the
/// second half, which ran in a thread of its own (a thread that panicked is a storage error).
pub(crate) fn joined<R>(
    first: Result<Vec<R>>,
    second: std::thread::ScopedJoinHandle<'_, Result<Vec<R>>>,
) -> Result<Vec<R>> {
    let theirs = second
        .join()
        .map_err(|_| crate::Error::Storage(crate::error::StorageError::new("读取线程意外退出")))?;
    let mut out = first?;
    out.extend(theirs?);
    Ok(out)
}

/// What can be read.
pub trait Queries {
    /// All towns, in the order they were created.
    fn towns(&self) -> Result<Vec<Town>>;
    /// The hall's own key (64 hex digits), made with the database (migration 12).
    fn hall_key(&self) -> Result<String>;
    /// The units (in display order), quotas, staff and status history, hall posts, rota and
    /// credentials of one town. With `rota_on`, only the rota lines in force on that date (all
    /// that figures for a date need; a year of weekly rotas is most of a town's rows).
    fn town_facts(&self, town_id: TownId, rota_on: Option<NaiveDate>) -> Result<TownFacts>;
    /// The catalogue as a town sees it (items with a mode for the town), by code.
    fn items(&self, town_id: TownId) -> Result<Vec<Item>>;
    /// One item as a town sees it.
    fn item(&self, town_id: TownId, code: &str) -> Result<Option<Item>>;
    /// The items with these codes as a town sees them (codes it does not have are left out),
    /// in a constant number of queries per 50 codes; only those also in `with_materials` have
    /// their materials read (the others' may be left empty); in no particular order. SQLite's
    /// store keeps the items it read, whole, until the catalogue changes.
    fn items_by_code(
        &self,
        town_id: TownId,
        codes: &[&str],
        with_materials: &[&str],
    ) -> Result<Vec<std::sync::Arc<Item>>>;
    /// The id of the item with this code, in any town's catalogue.
    fn item_id(&self, code: &str) -> Result<Option<ItemId>>;
    /// A town's entrustment letters.
    fn letters(&self, town_id: TownId) -> Result<Vec<Letter>>;
    /// Every person of a town with roles and credentials (`at_work` left false).
    fn staff_profiles(&self, town_id: TownId) -> Result<Vec<StaffProfile>>;
    /// One person by staff number, with roles and credentials (`at_work` left false).
    fn staff_profile(&self, no: &str) -> Result<Option<StaffProfile>>;
    /// One person's status history.
    fn staff_periods(&self, staff_id: StaffId) -> Result<Vec<crate::staffing::StatusPeriod>>;
    /// The town a staff number belongs to.
    fn staff_town(&self, no: &str) -> Result<Option<TownId>>;
    /// Holiday arrangements imported into the database.
    fn calendar_years(&self) -> Result<Vec<YearArrangement>>;
    /// A town's tickets of the days from `from` to `to`, in the order they were taken.
    fn tickets(
        &self,
        town_id: TownId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<crate::front::record::TicketRow>>;
    /// Ratings of a town (`None`: every town), newest first, with their follow-ups.
    fn ratings(&self, town_id: Option<TownId>) -> Result<Vec<crate::front::record::RatingRow>>;
    /// The rating of a request or of a ticket.
    fn rating_of(
        &self,
        request: Option<&str>,
        ticket: Option<i64>,
    ) -> Result<Option<crate::front::record::RatingRow>>;
    /// The rating a follow-up belongs to.
    fn rating_of_followup(&self, followup: i64) -> Result<Option<crate::front::record::RatingRow>>;
    /// Every device of the hall, the newest first.
    fn devices(&self) -> Result<Vec<crate::front::record::DeviceRow>>;
    /// The device whose token hashes to `token_hash`.
    fn device_by_token(&self, token_hash: &str) -> Result<Option<crate::front::record::DeviceRow>>;
    /// A town's follow-up period for 差评 in working days, if the hall set one.
    fn followup_period(&self, town_id: TownId) -> Result<Option<u32>>;
    fn request(&self, number: &str) -> Result<Option<RequestRow>>;
    /// A town's requests taken in from `from` to `to`, oldest first, without their materials.
    fn requests_received(
        &self,
        town_id: TownId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<RequestRow>>;
    /// Calls `f` with what the performance report reads of each of a town's requests taken in
    /// from `from` to `to` (in no particular order), with the day a forwarded one's department
    /// answered.
    fn each_request_facts(
        &self,
        town_id: TownId,
        from: NaiveDate,
        to: NaiveDate,
        f: &mut dyn FnMut(&crate::domain::report::StoredFacts<'_>) -> Result<()>,
    ) -> Result<()>;
    /// The requests of `ids`, by id, as the report lists them: number, item, clerk, state,
    /// dates, department and overdue reason (no applicant, materials or timeline).
    fn report_requests_by_id(&self, ids: &[RequestId]) -> Result<Vec<RequestRow>>;
    /// The day each forwarded request among those had its department's result recorded.
    fn answered_on(
        &self,
        town_id: TownId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(String, NaiveDate)>>;
    fn request_events(&self, request_id: RequestId) -> Result<Vec<EventRow>>;
    /// A town's requests matching `query`, newest first, at most `limit`.
    fn requests(
        &self,
        town_id: TownId,
        query: &RequestQuery,
        limit: usize,
    ) -> Result<Vec<RequestRow>>;
    /// How many audit entries name a request (for checks and tests).
    fn audit_count(&self, request_number: &str) -> Result<i64>;
    /// Residents served at the town's hall from `from` to `to` (both included): when, at which
    /// post (the item's 办理窗口), by which clerk; oldest first.
    fn arrivals(
        &self,
        town_id: TownId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<crate::demand::Arrival>>;
    /// Every issue of one form, first copy first.
    fn prints(&self, form_no: &str) -> Result<Vec<PrintRecord>>;
    /// One account by user name (compared without regard to case), with its password hash.
    fn account(&self, username: &str) -> Result<Option<StoredAccount>>;
    /// Every account, oldest first.
    fn accounts(&self) -> Result<Vec<Account>>;
    /// How many accounts exist.
    fn account_count(&self) -> Result<i64>;
    /// Whether `init --demo` marked this database as a demo database.
    fn demo_marked(&self) -> Result<bool>;
    /// How many requests exist.
    fn request_count(&self) -> Result<i64>;
    /// The audit log's chain walked in this snapshot: records, head, whether it holds.
    fn audit_verification(&self) -> Result<audit::Verification>;
    /// The SHA-256 of the first administrator's setup code, if one waits to be used.
    fn setup_code_hash(&self) -> Result<Option<String>>;
    /// Failed logins in a row under an unknown name's fingerprint, and the end of its lock.
    fn login_failure(&self, name_key: &str) -> Result<Option<(u32, Option<NaiveDateTime>)>>;
    /// The retention period in years and when it was set, or `None` while none is set.
    fn retention_period(&self) -> Result<Option<(u32, NaiveDateTime)>>;
    /// Ended requests closed on or before `cutoff` whose numbers are still held, in id order
    /// after `after`, at most `limit`.
    fn retention_due(
        &self,
        cutoff: NaiveDate,
        after: RequestId,
        limit: usize,
    ) -> Result<Vec<crate::request::record::RetentionDue>>;
    /// How many requests are retained already.
    fn retained_count(&self) -> Result<i64>;
    /// Whether any request keeps a keyed hash of its applicant's ID.
    fn any_id_key(&self) -> Result<bool>;
    /// The number of the request an intake with this idempotency key made, and its clerk's
    /// staff number.
    fn request_by_idem_key(&self, key: &str) -> Result<Option<(String, String)>>;
    /// The number of the request a step with this idempotency key was taken on, and the
    /// step's staff number.
    fn event_by_idem_key(&self, key: &str) -> Result<Option<(String, String)>>;
}

/// What can be changed, inside a transaction. Every `ensure_*` is keyed by its natural key and
/// leaves an existing row as it is, so that loading the same data twice changes nothing.
pub trait Changes: Queries {
    fn ensure_town(&self, name: &str) -> Result<TownId>;
    /// Names the town's superior government (上级人民政府).
    fn set_superior(&self, town_id: TownId, superior: &str) -> Result<()>;
    fn ensure_unit(&self, town_id: TownId, unit: &NewUnit<'_>) -> Result<UnitId>;
    fn ensure_quota(&self, unit_id: UnitId, quota: &NewQuota) -> Result<()>;
    fn ensure_staff(&self, town_id: TownId, staff: &NewStaff<'_>) -> Result<StaffId>;
    fn ensure_status(&self, staff_id: StaffId, period: &NewStatus<'_>) -> Result<()>;
    /// A hall post by (town, name); returns its id.
    fn ensure_hall_post(&self, town_id: TownId, name: &str, sort_order: i64) -> Result<PostId>;
    /// A rota line, keyed by post, person, weekday and start date.
    fn ensure_rota(&self, entry: &crate::staffing::RotaEntry) -> Result<()>;
    /// Adds an item or updates the one with the same code (everything but its materials).
    fn upsert_item(&self, item: &Item) -> Result<ItemId>;
    /// Adds an item unless one with its code exists; returns its id and whether it was added.
    fn ensure_item(&self, item: &Item) -> Result<(ItemId, bool)>;
    /// Sets a town's mode for an item.
    ///
    /// The ids are types of their own, so the two cannot be swapped:
    ///
    /// ```
    /// use bianmin_core::catalog::Mode;
    /// use bianmin_core::ids::{ItemId, TownId};
    /// fn set(c: &dyn bianmin_core::store::Changes, town: TownId, item: ItemId) {
    ///     c.set_mode(town, item, Mode::Delegated).unwrap();
    /// }
    /// ```
    ///
    /// ```compile_fail,E0308
    /// use bianmin_core::catalog::Mode;
    /// use bianmin_core::ids::{ItemId, TownId};
    /// fn set(c: &dyn bianmin_core::store::Changes, town: TownId, item: ItemId) {
    ///     c.set_mode(item, town, Mode::Delegated).unwrap();
    /// }
    /// ```
    fn set_mode(&self, town_id: TownId, item_id: ItemId, mode: Mode) -> Result<()>;
    /// Replaces an item's materials by `materials`.
    fn replace_materials(&self, item_id: ItemId, materials: &[Material]) -> Result<()>;
    /// Adds a town's letter or updates the one with the same number, with its items.
    fn upsert_letter(&self, town_id: TownId, letter: &Letter) -> Result<()>;
    fn ensure_role(&self, staff_id: StaffId, role: Role) -> Result<()>;
    fn ensure_credential(&self, staff_id: StaffId, credential: &Credential) -> Result<()>;
    /// Stores an imported year's arrangement, replacing that year's days.
    fn save_calendar_year(&self, year: &YearArrangement) -> Result<()>;
    /// The next request sequence number of a town on a day; never given out twice.
    fn next_request_seq(&self, town_id: TownId, day: chrono::NaiveDate) -> Result<u32>;
    /// Inserts a request (its `id` is ignored) with its materials; returns the new id.
    fn insert_request(&self, row: &RequestRow) -> Result<RequestId>;
    /// Updates a request's state and dates, and its materials.
    fn update_request(&self, row: &RequestRow) -> Result<()>;
    fn add_event(&self, request_id: RequestId, event: &EventRow) -> Result<()>;
    fn add_audit(&self, entry: &AuditEntry) -> Result<()>;
    /// Records an issue of a form; the copy number is the next for its form number and is
    /// returned (the `copy` given is ignored).
    fn add_print(&self, print: &PrintRecord) -> Result<u32>;
    /// Adds an account; returns its id. The caller has checked that the user name is new.
    fn insert_account(&self, account: &NewAccountRow<'_>) -> Result<AccountId>;
    /// Sets an account's count of failed logins and the end of its lock (`None`: not locked).
    fn set_login_state(
        &self,
        account_id: AccountId,
        failed_count: u32,
        locked_until: Option<NaiveDateTime>,
    ) -> Result<()>;
    /// Replaces an account's password hash (a PHC string).
    fn set_password_hash(&self, account_id: AccountId, password_hash: &str) -> Result<()>;
    fn set_account_disabled(&self, account_id: AccountId, disabled: bool) -> Result<()>;
    /// Marks the database as a demo database; a second call changes nothing.
    fn mark_demo(&self, at: NaiveDateTime) -> Result<()>;
    /// Keeps a new setup code's hash (replacing an earlier one), or uses it up (`None`).
    fn set_setup_code(&self, code_hash: Option<&str>, at: NaiveDateTime) -> Result<()>;
    /// Sets an unknown name's count of failed logins and the end of its lock.
    fn set_login_failure(
        &self,
        name_key: &str,
        failed_count: u32,
        locked_until: Option<NaiveDateTime>,
    ) -> Result<()>;
    /// Sets the retention period (`None`: no period, nothing is removed).
    fn set_retention_period(&self, years: Option<u32>, at: NaiveDateTime) -> Result<()>;
    /// Adds a ticket (its `id` is ignored); answers its id.
    fn add_ticket(&self, ticket: &crate::front::record::TicketRow) -> Result<i64>;
    /// Writes back a ticket's state, place, counter and requests.
    fn save_ticket(&self, ticket: &crate::front::record::TicketRow) -> Result<()>;
    /// Adds a rating (its `id` and follow-up are ignored); answers its id.
    fn add_rating(&self, rating: &crate::front::record::RatingRow) -> Result<i64>;
    /// Opens the follow-up of a rating, due on `due`; answers its id.
    fn add_followup(&self, rating: i64, due: NaiveDate) -> Result<i64>;
    /// Records a follow-up's step (`contacted`, `verified`, `fixed`, or its close with who
    /// closed it and the result).
    fn followup_step(
        &self,
        id: i64,
        step: &str,
        at: NaiveDateTime,
        by: Option<&str>,
        result: Option<&str>,
    ) -> Result<()>;
    /// Adds a device (its `id` and `closed_at` are ignored); answers its id.
    fn add_device(&self, device: &crate::front::record::DeviceRow) -> Result<i64>;
    /// Ends a device's session; whether it was open.
    fn close_device(&self, id: i64, at: NaiveDateTime) -> Result<bool>;
    /// Sets a town's follow-up period for 差评.
    fn set_followup_period(&self, town_id: TownId, days: u32, at: NaiveDateTime) -> Result<()>;
    /// Writes the masked numbers over a request not yet retained; whether it was written.
    fn retain_numbers(&self, numbers: &crate::request::record::RetainedNumbers) -> Result<bool>;
}

/// An account as it is first stored.
pub struct NewAccountRow<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub staff_id: Option<StaffId>,
    pub roles: &'a [Role],
    pub password_hash: &'a str,
    pub created_at: NaiveDateTime,
    /// A demo account: its password is published, so it must be changed at first login.
    pub must_change_password: bool,
}

pub struct NewUnit<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub managed_by: &'a str,
    pub sort_order: i64,
    pub enforcement_scope: Option<&'a str>,
}

pub struct NewQuota {
    pub kind: PostKind,
    pub posts: u32,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
}

pub struct NewStaff<'a> {
    pub no: &'a str,
    pub name: &'a str,
    pub gender: &'a str,
    pub home_unit_id: Option<UnitId>,
    pub home_body: Option<&'a str>,
    pub birth_date: Option<NaiveDate>,
    /// A woman's 退休类别 from the roster (`女职工` or `女干部`).
    pub retirement_track: Option<&'a str>,
}

pub struct NewStatus<'a> {
    pub status: Status,
    pub other_body: Option<&'a str>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// The store a `--db` value names: a SQLite file or a PostgreSQL server. A process holds one or
/// two, so the SQLite variant's size (its connection, checkpointer and marks inline) costs
/// nothing worth a box.
#[allow(clippy::large_enum_variant)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(Box<PgStore>),
}

impl AnyStore {
    /// Opens the database, creating a SQLite file if there is none (`init`), and brings its
    /// schema up to date.
    pub fn open(db: &Database) -> Result<Self> {
        Ok(match db {
            Database::File(p) => AnyStore::Sqlite(SqliteStore::open(p)?),
            Database::Server(url) => AnyStore::Postgres(Box::new(PgStore::connect(url.as_str())?)),
        })
    }

    /// Opens an existing database; a missing SQLite file is an error.
    pub fn open_existing(db: &Database) -> Result<Self> {
        Ok(match db {
            Database::File(p) => AnyStore::Sqlite(SqliteStore::open_existing(p)?),
            Database::Server(url) => AnyStore::Postgres(Box::new(PgStore::connect(url.as_str())?)),
        })
    }

    /// The schema version the database is at.
    pub fn schema_version(&mut self) -> Result<i64> {
        match self {
            AnyStore::Sqlite(s) => s.schema_version(),
            AnyStore::Postgres(s) => s.schema_version(),
        }
    }

    /// Walks the audit log's hash chain.
    pub fn verify_audit(&mut self) -> Result<audit::Verification> {
        self.verify_audit_against(None)
    }

    /// Walks the chain and checks the log still extends `expect` (`audit verify --expect`).
    pub fn verify_audit_against(
        &mut self,
        expect: Option<&audit::Head>,
    ) -> Result<audit::Verification> {
        match self {
            AnyStore::Sqlite(s) => s.verify_audit_against(expect),
            AnyStore::Postgres(s) => s.verify_audit_against(expect),
        }
    }
}

impl Store for AnyStore {
    fn read<R>(&mut self, f: impl FnOnce(&dyn Queries) -> Result<R>) -> Result<R> {
        match self {
            AnyStore::Sqlite(s) => s.read(f),
            AnyStore::Postgres(s) => s.read(f),
        }
    }

    fn write<R>(&mut self, f: impl FnOnce(&dyn Changes) -> Result<R>) -> Result<R> {
        match self {
            AnyStore::Sqlite(s) => s.write(f),
            AnyStore::Postgres(s) => s.write(f),
        }
    }

    fn read_each<'a, R: Send>(&mut self, jobs: Vec<ReadJob<'a, R>>) -> Result<Vec<R>> {
        match self {
            AnyStore::Sqlite(s) => s.read_each(jobs),
            AnyStore::Postgres(s) => s.read_each(jobs),
        }
    }
}

#[cfg(test)]
mod test_server_tests {
    use super::test_server_from;

    #[test]
    fn a_server_named_is_used_and_none_skips_only_when_not_required() {
        let url = "postgres://u@localhost/db".to_string();
        assert_eq!(test_server_from(Some(url.clone()), true), Some(url.clone()));
        assert_eq!(test_server_from(Some(url.clone()), false), Some(url));
        assert_eq!(test_server_from(None, false), None);
        assert_eq!(test_server_from(Some(" ".into()), false), None);
        for missing in [None, Some(String::new())] {
            let r = std::panic::catch_unwind(|| test_server_from(missing, true));
            assert!(
                r.is_err(),
                "a missing server must fail the test when required"
            );
        }
    }
}
